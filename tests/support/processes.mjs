// Real processes for the crash/restart suite: the sandbox binary on a SQLite file and the proxy
// under the real `wrangler dev` (workerd, local D1 persisted with --persist-to), each in its own
// process group so a test can SIGKILL it (wrangler AND its workerd) and start it again on the
// same port and the same state. Everything listens on 127.0.0.1 and is stopped by the test.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, sha256hex, userEntry } from '../../worker/tests/harness.mjs';
import { repoRoot, sleep } from './reliability.mjs';

const workerDir = `${repoRoot}worker`;
const wranglerBin = `${workerDir}/node_modules/.bin/wrangler`;
export const sandboxBinary = `${repoRoot}target/debug/frontdesk-sandbox`;

const quietEnv = () => ({
  ...process.env,
  CI: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
});

/**
 * worker/wrangler.toml as deployed minus its [build] step, its paths absolute: written by
 * `cargo xtask` next to the bundle it builds (xtask/src/stack.rs, `write_prebuilt_config`), as
 * wrangler dev would otherwise re-run worker-build — and cargo — on every start.
 */
export function wranglerConfig() {
  const path = join(workerDir, 'build/wrangler.prebuilt.toml');
  if (!existsSync(path)) throw new Error(`${path} is missing: build the proxy first (cargo xtask test, or cargo xtask stack)`);
  return path;
}

/**
 * The worker's secrets as `wrangler dev --env-file` reads them (like xtask's stack). wrangler
 * runs dotenv-expand over the file, quotes or not: `$Name` in a value (a password hash's
 * base64 salt) would be replaced by an empty variable, so every `$` is escaped as `\$`.
 */
export function writeEnvFile(dir, secrets) {
  const path = join(dir, 'worker.env');
  const escape = (v) => v.replaceAll('$', '\\$');
  const body = Object.entries(secrets)
    .map(([k, v]) => (typeof v === 'string' ? `${k}=${escape(v)}` : `${k}='${escape(JSON.stringify(v))}'`))
    .join('\n');
  writeFileSync(path, `${body}\n`, { mode: 0o600 });
  return path;
}

/** `wrangler d1 migrations apply DB --local --persist-to dir` with the generated config. */
export function applyMigrations(config, persistDir) {
  const r = spawnSync(wranglerBin, ['d1', 'migrations', 'apply', 'DB', '--local', '--config', config, '--persist-to', persistDir], {
    cwd: workerDir,
    env: quietEnv(),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`migrations: ${r.status}\n${r.stdout}\n${r.stderr}`);
}

/** A long-running child in its own process group, output appended to `log`. */
function service(name, command, args, { env, cwd, log }) {
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {}
  };
  return {
    name,
    child,
    exited,
    log,
    /** SIGKILL the whole group (wrangler and workerd die without any shutdown). */
    async kill() {
      signalGroup('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        signalGroup('SIGKILL');
        return;
      }
      signalGroup('SIGTERM');
      const timeout = sleep(5000).then(() => 'timeout');
      await Promise.race([exited, timeout]);
      signalGroup('SIGKILL');
      await exited;
    },
  };
}

/** Polls `url` until 2xx; fails early if the process exits. */
export async function waitHealthy(svc, url, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (svc.child.exitCode !== null || svc.child.signalCode !== null) {
      throw new Error(`${svc.name} exited before ${url} answered:\n${tail(svc.log)}`);
    }
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${svc.name}: ${url} did not answer:\n${tail(svc.log)}`);
    await sleep(200);
  }
}

export const tail = (log, n = 40) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-n).join('\n') : '');

/**
 * The sandbox on a SQLite file (`--db`), secrets by environment. Its callbacks go to a proxy on
 * 127.0.0.1, which the sandbox refuses without `--allow-private-callbacks`. The rate limit is
 * off unless `args` set one (clap refuses `--rate-limit` twice).
 */
export async function startSandboxProcess({ port, db, token, callbackSecret, log, args = [] }) {
  const limit = args.includes('--rate-limit') ? [] : ['--rate-limit', '0'];
  const fixed = ['--addr', `127.0.0.1:${port}`, '--db', db, ...limit, '--allow-private-callbacks'];
  const svc = service('sandbox', sandboxBinary, [...fixed, ...args], {
    env: { ...process.env, SANDBOX_TOKEN: token, SANDBOX_CALLBACK_SECRET: callbackSecret },
    cwd: repoRoot,
    log,
  });
  await waitHealthy(svc, `http://127.0.0.1:${port}/health`, 30_000);
  return svc;
}

/** The proxy under the real `wrangler dev --local`, D1 persisted in `persistDir`. */
export async function startWranglerDev({ port, inspectorPort, config, persistDir, envFile, vars, log }) {
  const args = [
    'dev', '--local', '--config', config, '--ip', '127.0.0.1', '--port', String(port),
    '--inspector-port', String(inspectorPort), '--persist-to', persistDir, '--env-file', envFile,
    '--show-interactive-dev-session=false',
  ];
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
  const svc = service('proxy', wranglerBin, args, { env: quietEnv(), cwd: workerDir, log });
  await waitHealthy(svc, `http://127.0.0.1:${port}/health`, 120_000);
  return svc;
}

/**
 * The crash suites' stack: a sandbox on its SQLite file and the proxy under `wrangler dev`, both
 * on state kept in a temporary folder, so either can be SIGKILLed and started again on the same
 * port and state. `name` names the folder and the admin API key; `sandboxArgs` go to the sandbox.
 * Resolves to the started processes and what a test needs to restart, reach and tidy them.
 */
export async function crashStack(name, { sandboxArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `frontdesk-${name}-`));
  const token = `sbx_${randomBytes(16).toString('hex')}`;
  const callbackSecret = randomBytes(16).toString('hex');
  const apiKey = `fdk_${randomBytes(24).toString('hex')}`;
  const ports = { sandbox: await freePort(), proxy: await freePort(), inspector: await freePort() };
  const config = wranglerConfig();
  const persistDir = join(dir, 'wrangler');
  applyMigrations(config, persistDir);
  const envFile = writeEnvFile(dir, {
    FRONTPAY_TOKEN: token,
    CALLBACK_SECRET: callbackSecret,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    USERS: [userEntry('admin', 'admin', randomBytes(8).toString('hex'))],
    API_KEYS: [{ name, role: 'admin', sha256: sha256hex(apiKey) }],
  });
  const sandboxOptions = {
    port: ports.sandbox, db: join(dir, 'sandbox.sqlite'), token, callbackSecret, log: join(dir, 'sandbox.log'), args: sandboxArgs,
  };
  const proxyOptions = {
    port: ports.proxy,
    inspectorPort: ports.inspector,
    config,
    persistDir,
    envFile,
    log: join(dir, 'proxy.log'),
    vars: {
      FRONTPAY_API_BASE: `http://127.0.0.1:${ports.sandbox}/api/v1`,
      SANDBOX_CONTROLS: 'false',
      PUBLIC_URL: `http://127.0.0.1:${ports.proxy}`,
      UPSTREAM_TIMEOUT_MS: '5000',
    },
  };
  const sandbox = await startSandboxProcess(sandboxOptions);
  const proxy = await startWranglerDev(proxyOptions);
  /** Removes the folder, unless RELIABILITY_KEEP_CRASH_DIR asks to keep it (then says where). */
  const tidy = () => {
    if (process.env.RELIABILITY_KEEP_CRASH_DIR) console.log(`[${name}] state kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
  return { dir, token, apiKey, ports, sandboxOptions, proxyOptions, sandbox, proxy, tidy };
}
