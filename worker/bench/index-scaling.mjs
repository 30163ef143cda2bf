// The console's orders list through the Rust proxy (Miniflare, real workerd, D1) at 10, 1,000
// and 100,000 indexed orders: first page and a search, median and p95 of 9 runs each, so that a
// non-linear cost shows. Prints figures only. Needs worker-build --release and the sandbox binary.
import { randomBytes } from 'node:crypto';

import { sha256hex, startProxy, startSandbox } from '../tests/harness.mjs';
import { indexRowsSql } from './index-rows.mjs';
import { timeGet } from './timing.mjs';

const SIZES = (process.env.BENCH_INDEX_SIZES ?? '10,1000,100000').split(',').map(Number);
const RUNS = 9;
const token = `sbx_${randomBytes(16).toString('hex')}`;
const apiKey = `fdk_${randomBytes(16).toString('hex')}`;
// No rate limit: a bench sends far more than 240 requests a minute.
const sandbox = await startSandbox({ token, callbackSecret: 'bench', args: ['--rate-limit', '0'] });
const proxy = await startProxy({
  sandbox,
  bindings: {
    API_KEYS: JSON.stringify([{ name: 'bench', role: 'admin', sha256: sha256hex(apiKey) }]),
    SESSION_SECRET: randomBytes(32).toString('hex'),
  },
});
const headers = { authorization: `Bearer ${apiKey}` };
let filled = 0;
async function fillTo(n) {
  if (n <= filled) return;
  await proxy.db.prepare(indexRowsSql(filled, n)).run();
  filled = n;
}

async function time(path) {
  const { p50, p95, data } = await timeGet(proxy, headers, path, RUNS);
  return { p50, p95, items: data.items.length };
}

console.log('orders list through the Rust proxy (Miniflare + D1), 9 runs each:');
for (const n of SIZES) {
  const t0 = performance.now();
  await fillTo(n);
  const seeded = (performance.now() - t0) / 1000;
  const page = await time('/console/orders?limit=50');
  const byStatus = await time('/console/orders?limit=50&status=PAID');
  const search = await time('/console/orders?limit=50&q=kari');
  const fullName = await time('/console/orders?limit=50&q=kari%20nordmann');
  console.log(
    `  ${String(n).padStart(7)} orders (seeded in ${seeded.toFixed(1)} s): first page p50 ${page.p50.toFixed(1)} ms p95 ${page.p95.toFixed(1)} ms;`
      + ` PAID tab p50 ${byStatus.p50.toFixed(1)} ms; search "kari" p50 ${search.p50.toFixed(1)} ms p95 ${search.p95.toFixed(1)} ms (${search.items} rows);`
      + ` "kari nordmann" p50 ${fullName.p50.toFixed(1)} ms p95 ${fullName.p95.toFixed(1)} ms`,
  );
}
await proxy.dispose();
await sandbox.stop();
