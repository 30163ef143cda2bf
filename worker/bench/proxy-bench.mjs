// Bounded load on 127.0.0.1, same Miniflare/workerd for both workers, fixed request counts.
// Prints (never asserts): throughput, p50, p99 for a status GET and a payment-link create
// (auth + idempotency key on the Rust proxy), the Rust/JS ratio, and the wasm size.
// Needs: worker-build --release (build/), cargo build -p frontdesk-sandbox.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

import { sha256hex, startProxy, startSandbox } from '../tests/harness.mjs';

const N_GET = Number(process.env.BENCH_GETS ?? 2000);
const N_POST = Number(process.env.BENCH_POSTS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

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
const sandbox = await startSandbox({ token, callbackSecret: 'bench' });
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
const results = {};
results.directGet = await run('status GET: sandbox direct', N_GET, () => fetch(`${sandbox.url}${orderPath}`, { headers: auth }));
results.jsGet = await run('status GET: JS pass-through', N_GET, () => fetch(`${jsUrl}${orderPath}`), jsPid);
results.rustGet = await run('status GET: Rust proxy (key)', N_GET, () => fetch(`${rustUrl}${orderPath}`, { headers: key }), rustPid);
const post = (url, headers) => () => fetch(`${url}${createPath}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body() });
results.directPost = await run('create: sandbox direct', N_POST, post(sandbox.url, auth));
results.jsPost = await run('create: JS pass-through', N_POST, post(jsUrl, {}), jsPid);
results.rustPost = await run('create: Rust proxy (key+idem)', N_POST, (i) => post(rustUrl, { ...key, 'idempotency-key': `bench-${i}-${Date.now()}` })(), rustPid);

const ratio = (a, b) => (a / b).toFixed(2);
console.log(`Rust/JS throughput: GET ${ratio(results.rustGet.rps, results.jsGet.rps)}x, create ${ratio(results.rustPost.rps, results.jsPost.rps)}x`);
console.log(`Rust/JS p50: GET ${ratio(results.rustGet.p50, results.jsGet.p50)}x, create ${ratio(results.rustPost.p50, results.jsPost.p50)}x`);
const wasm = readFileSync(fileURLToPath(new URL('../build/index_bg.wasm', import.meta.url)));
console.log(`Rust proxy startup (Miniflare instance ready, workerd + wasm, migrations applied): ${startupMs.toFixed(0)} ms`);
console.log(`wasm: ${(wasm.length / 1024).toFixed(0)} KiB raw, ${(brotliCompressSync(wasm).length / 1024).toFixed(0)} KiB brotli`);

await js.dispose();
await rust.dispose();
await sandbox.stop();
