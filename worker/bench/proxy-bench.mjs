// Bounded load on 127.0.0.1, same Miniflare/workerd for both workers, fixed request counts.
// Prints (never asserts): throughput, p50, p99 for a status GET and a payment-link create
// (auth + idempotency key on the Rust proxy), the Rust/JS ratio, and the wasm size; the status
// GET by API key and by session cookie in the same run (the session check: HMAC + one D1 read
// by primary key; the key's revocation check is one D1 read too), and the CPU of a failed
// sign-in (throttle batch + PBKDF2 at 100,000 iterations) against a throttled one (batch only).
// Locally D1 runs inside the same workerd, so its SQLite work is in the CPU figures here; on
// Cloudflare it is not billed to the Worker.
// Needs: worker-build --release (build/), cargo build -p frontdesk-sandbox.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

import { sha256hex, startProxy, startSandbox, userEntry } from '../tests/harness.mjs';

const N_GET = Number(process.env.BENCH_GETS ?? 2000);
const N_POST = Number(process.env.BENCH_POSTS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const N_LOGIN = Number(process.env.BENCH_LOGINS ?? 40);

/** workerd processes started by this process (Miniflare spawns one per instance). */
function workerdPids() {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return stat.includes('(workerd)') && Number(fields[1]) === process.pid;
    } catch {
      return false;
    }
  });
}
/** CPU seconds (user + system) a process has used: workerd's own accounting of its work. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ = 100)
}

const token = `sbx_${randomBytes(16).toString('hex')}`;
const apiKey = `fdk_${randomBytes(16).toString('hex')}`;
const benchPassword = randomBytes(12).toString('hex');
// No rate limit: a bench sends far more than 240 requests a minute.
const sandbox = await startSandbox({ token, callbackSecret: 'bench', args: ['--rate-limit', '0'] });
const js = new Miniflare({
  modules: true,
  scriptPath: fileURLToPath(new URL('./passthrough.mjs', import.meta.url)),
  bindings: { FRONTPAY_API_BASE: `${sandbox.url}/api/v1`, FRONTPAY_TOKEN: token },
  compatibilityDate: '2026-04-20',
});
const jsUrl = (await js.ready).toString().replace(/\/$/, '');
const jsPid = workerdPids()[0];
const startupStarted = performance.now();
const rust = await startProxy({
  sandbox,
  bindings: {
    API_KEYS: JSON.stringify([{ name: 'bench', role: 'admin', sha256: sha256hex(apiKey) }]),
    SESSION_SECRET: randomBytes(32).toString('hex'),
    // What production stores: the Workers' maximum PBKDF2 iterations.
    USERS: JSON.stringify([userEntry('bench', 'admin', benchPassword, 100_000)]),
    // Distinct addresses per failed sign-in below, so the throttle lets each run PBKDF2.
    TRUST_CF_CONNECTING_IP: 'true',
  },
});
const rustUrl = (await rust.mf.ready).toString().replace(/\/$/, '');
const startupMs = performance.now() - startupStarted;
const rustPid = workerdPids().find((pid) => pid !== jsPid);

function body() {
  return JSON.stringify({
    products: [{ name: 'Hair Wash', quantity: '1', rate: 51, discount: 0, tax: '0', amount: 51 }],
    orderSummary: { subTotal: '51.00', totalTax: '0.00', totalDiscount: '0.00', grandTotal: '51.00' },
    orderDate: String(Math.floor(Date.now() / 1000) + 60),
    customerDetails: { type: 'private', email: 'kari@example.com', name: 'Kari Nordmann', address: { street: 'Gate 1', zip: '4313', city: 'Sandnes', country: 'NO' } },
    invoiceAsPaymentOption: false,
  });
}

const create = await (await sandbox.api('/api/v1/connect/orders/payment-link/create', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() })).json();
const orderPath = `/api/v1/connect/orders/status/${create.data.uuid}`;
const createPath = '/api/v1/connect/orders/payment-link/create';

async function run(label, n, makeRequest, pid) {
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  const lat = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      const r = await makeRequest(i);
      await r.arrayBuffer();
      if (r.status >= 300) failed++;
      lat.push(performance.now() - t0);
    }
  }));
  const secs = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  const cpuMs = pid ? ((cpuSeconds(pid) - cpuBefore) * 1000) / n : undefined;
  const row = { label, n, rps: n / secs, p50: q(0.5), p99: q(0.99), failed, cpuMs };
  const cpu = cpuMs === undefined ? '' : `  workerd CPU ${cpuMs.toFixed(2)} ms/req`;
  console.log(`${label.padEnd(34)} ${String(n).padStart(5)} req  ${row.rps.toFixed(0).padStart(6)} req/s  p50 ${row.p50.toFixed(2)} ms  p99 ${row.p99.toFixed(2)} ms${cpu}${failed ? `  (${failed} non-2xx)` : ''}`);
  return row;
}

const auth = { authorization: `Bearer ${token}` };
const key = { authorization: `Bearer ${apiKey}` };
console.log(`concurrency ${CONCURRENCY}; warm-up…`);
for (let i = 0; i < 50; i++) {
  await (await fetch(`${rustUrl}${orderPath}`, { headers: key })).arrayBuffer();
  await (await fetch(`${jsUrl}${orderPath}`)).arrayBuffer();
}
const signIn = (password, address) => fetch(`${rustUrl}/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'cf-connecting-ip': address },
  body: JSON.stringify({ username: 'bench', password }),
});
const signedIn = await signIn(benchPassword, '192.0.2.1');
if (signedIn.status !== 200) throw new Error(`bench sign-in: ${signedIn.status} ${await signedIn.text()}`);
const session = { cookie: signedIn.headers.get('set-cookie').split(';')[0] };
const results = {};
results.directGet = await run('status GET: sandbox direct', N_GET, () => fetch(`${sandbox.url}${orderPath}`, { headers: auth }));
results.jsGet = await run('status GET: JS pass-through', N_GET, () => fetch(`${jsUrl}${orderPath}`), jsPid);
results.rustGet = await run('status GET: Rust proxy (key)', N_GET, () => fetch(`${rustUrl}${orderPath}`, { headers: key }), rustPid);
results.rustSessionGet = await run('status GET: Rust proxy (session)', N_GET, () => fetch(`${rustUrl}${orderPath}`, { headers: session }), rustPid);
results.meKey = await run('GET /auth/me (key)', N_GET, () => fetch(`${rustUrl}/auth/me`, { headers: key }), rustPid);
results.meSession = await run('GET /auth/me (session)', N_GET, () => fetch(`${rustUrl}/auth/me`, { headers: session }), rustPid);
// A wrong password from a fresh address each time: recorded, judged, PBKDF2, audited (401).
results.failedLogin = await run('sign-in: wrong password (PBKDF2)', N_LOGIN, (i) => signIn('wrong', `198.51.100.${i % 250}`), rustPid);
// One address past its limit: recorded and judged only (429).
for (let i = 0; i < 6; i++) await (await signIn('wrong', '203.0.113.9')).arrayBuffer();
results.throttledLogin = await run('sign-in: throttled (no PBKDF2)', N_LOGIN, () => signIn('wrong', '203.0.113.9'), rustPid);
const post = (url, headers) => () => fetch(`${url}${createPath}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body() });
results.directPost = await run('create: sandbox direct', N_POST, post(sandbox.url, auth));
results.jsPost = await run('create: JS pass-through', N_POST, post(jsUrl, {}), jsPid);
results.rustPost = await run('create: Rust proxy (key+idem)', N_POST, (i) => post(rustUrl, { ...key, 'idempotency-key': `bench-${i}-${Date.now()}` })(), rustPid);

const ratio = (a, b) => (a / b).toFixed(2);
const ms = (row) => (row.cpuMs === undefined ? 'n/a' : row.cpuMs.toFixed(2));
console.log(`session check: status GET by session ${ms(results.rustSessionGet)} vs by key ${ms(results.rustGet)} ms workerd CPU/req (${ratio(results.rustSessionGet.cpuMs, results.rustGet.cpuMs)}x); /auth/me ${ms(results.meSession)} vs ${ms(results.meKey)} ms`);
console.log(`failed sign-in: ${ms(results.failedLogin)} ms workerd CPU/req with PBKDF2 (100,000 iterations), ${ms(results.throttledLogin)} ms throttled`);
console.log(`Rust/JS throughput: GET ${ratio(results.rustGet.rps, results.jsGet.rps)}x, create ${ratio(results.rustPost.rps, results.jsPost.rps)}x`);
console.log(`Rust/JS p50: GET ${ratio(results.rustGet.p50, results.jsGet.p50)}x, create ${ratio(results.rustPost.p50, results.jsPost.p50)}x`);
const wasm = readFileSync(fileURLToPath(new URL('../build/index_bg.wasm', import.meta.url)));
console.log(`Rust proxy startup (Miniflare instance ready, workerd + wasm, migrations applied): ${startupMs.toFixed(0)} ms`);
console.log(`wasm: ${(wasm.length / 1024).toFixed(0)} KiB raw, ${(brotliCompressSync(wasm).length / 1024).toFixed(0)} KiB brotli`);

await js.dispose();
await rust.dispose();
await sandbox.stop();
