// The built proxy (build/index.js + wasm, from worker-build) on the real workerd via Miniflare,
// configured from wrangler.toml itself (so tests never drift from what deploys), with in-memory
// D1 migrated from migrations/*.sql, test secrets, and a REAL sandbox upstream
// (target/debug/frontdesk-sandbox, built by `cargo build -p frontdesk-sandbox`) on a free port.
import { spawn } from 'node:child_process';
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

const workerDir = fileURLToPath(new URL('..', import.meta.url));
export const sandboxBinary = fileURLToPath(new URL('../../target/debug/frontdesk-sandbox', import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Start the sandbox on a free port; resolves once GET /health answers. */
export async function startSandbox({ token, callbackSecret, args = [] }) {
  if (!existsSync(sandboxBinary)) {
    throw new Error(`${sandboxBinary} is missing: run cargo build -p frontdesk-sandbox`);
  }
  const port = await freePort();
  const child = spawn(sandboxBinary, ['--addr', `127.0.0.1:${port}`, '--memory', ...args], {
    env: { ...process.env, SANDBOX_TOKEN: token, SANDBOX_CALLBACK_SECRET: callbackSecret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sandbox exited: ${output}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`sandbox did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    token,
    output: () => output,
    api: (path, init = {}) =>
      fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } }),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

/** A USERS entry, hashed like `cargo xtask user add` (few iterations: tests only). */
export function userEntry(username, role, password, iterations = 1000) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  return { username, role, password: `pbkdf2-sha256$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}` };
}

export const sha256hex = (s) => createHash('sha256').update(s).digest('hex');

/** Every statement of migrations/*.sql, in file order. */
function migrationStatements() {
  const dir = `${workerDir}migrations`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .flatMap((f) =>
      readFileSync(`${dir}/${f}`, 'utf8')
        .split('\n')
        .filter((l) => !l.trim().startsWith('--'))
        .join('\n')
        .split(/;\s*(?:\n|$)/)
        .map((s) => s.trim())
        .filter(Boolean),
    );
}

/**
 * Start the proxy. `sandbox` (from startSandbox) sets FRONTPAY_API_BASE/FRONTPAY_TOKEN.
 * Returns fetch (relative paths, on http://127.0.0.1), the Miniflare, its D1 and the logs.
 */
export async function startProxy({ bindings = {}, sandbox } = {}) {
  const { workerOptions, main } = unstable_getMiniflareWorkerOptions(`${workerDir}wrangler.toml`);
  let logs = '';
  const mf = new Miniflare({
    ...workerOptions,
    rootPath: workerDir,
    scriptPath: main,
    modules: true,
    d1Databases: ['DB'],
    handleRuntimeStdio(stdout, stderr) {
      stdout.on('data', (d) => { logs += d; });
      stderr.on('data', (d) => { logs += d; });
    },
    bindings: {
      ...workerOptions.bindings,
      FRONTPAY_API_BASE: sandbox ? `${sandbox.url}/api/v1` : 'http://127.0.0.1:9/api/v1',
      FRONTPAY_TOKEN: sandbox ? sandbox.token : 'test-upstream-token',
      ...bindings,
    },
  });
  await mf.ready;
  const db = await mf.getD1Database('DB');
  for (const sql of migrationStatements()) await db.prepare(sql).run();
  const base = 'http://127.0.0.1';
  return {
    mf,
    db,
    base,
    logs: () => logs,
    fetch: (path, init) => mf.dispatchFetch(new URL(path, base).toString(), init),
    scheduled: async (cron) => (await mf.getWorker()).scheduled({ cron }),
    dispose: () => mf.dispose(),
  };
}

/** `fn()`'s first truthy answer within `ms` (asked every 50 ms), else its last answer. */
export async function eventually(fn, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}
