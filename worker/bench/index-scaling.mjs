// The console's orders list through the Rust proxy (Miniflare, real workerd, D1) at 10, 1,000
// and 100,000 indexed orders: first page and a search, median and p95 of 9 runs each, so that a
// non-linear cost shows. Prints figures only. Needs worker-build --release and the sandbox binary.
import { randomBytes } from 'node:crypto';

import { sha256hex, startProxy, startSandbox } from '../tests/harness.mjs';

const SIZES = (process.env.BENCH_INDEX_SIZES ?? '10,1000,100000').split(',').map(Number);
const RUNS = 9;
const token = `sbx_${randomBytes(16).toString('hex')}`;
const apiKey = `fdk_${randomBytes(16).toString('hex')}`;
const sandbox = await startSandbox({ token, callbackSecret: 'bench' });
const proxy = await startProxy({
  sandbox,
  bindings: {
    API_KEYS: JSON.stringify([{ name: 'bench', role: 'admin', sha256: sha256hex(apiKey) }]),
    SESSION_SECRET: randomBytes(32).toString('hex'),
  },
});
const headers = { authorization: `Bearer ${apiKey}` };
const statuses = ['SENT', 'PAID', 'INVOICED', 'CANCELLED', 'EXPIRED', 'REFUNDED'];
const first = ['Kari', 'Ola', 'Nora', 'Jakob', 'Emma', 'Filip', 'Sofie', 'Lukas'];
const last = ['Nordmann', 'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Berg', 'Haugen'];

let filled = 0;
/** Rows are generated inside SQLite (one statement per size step): D1 binds ≤ 100 parameters. */
async function fillTo(n) {
  if (n <= filled) return;
  const names = (list) => `json_extract('${JSON.stringify(list)}', '$[' || (%s) || ']')`;
  const firstName = names(first).replace('%s', 'i % 8');
  const lastName = names(last).replace('%s', '(i / 8) % 8');
  const status = names(statuses).replace('%s', `i % ${statuses.length}`);
  await proxy.db.prepare(
    `WITH RECURSIVE seq(i) AS (SELECT CAST(?1 AS INTEGER) UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < CAST(?2 AS INTEGER))
     INSERT INTO orders (uuid, customer_uuid, kind, customer_name, name_lc, last_lc, email_lc, phone,
       reference, reference_lc, amount_ore, created_by, created_at, status, updated_at, source)
     SELECT printf('ODR%010d', 1000000000 + i), printf('CSRT%010d', 2000000000 + i), 'PAYMENT_LINK',
       ${firstName} || ' ' || ${lastName}, lower(${firstName} || ' ' || ${lastName}), lower(${lastName}),
       lower(${firstName}) || '.' || i || '@example.com', printf('4%07d', i), 'R-' || i, 'r-' || i,
       5100 + (i % 1000) * 100, 'key:bench', 1700000000000 + i * 1000, ${status},
       1700000000000 + i * 1000, 'proxy'
     FROM seq`,
  ).bind(filled, n).run();
  filled = n;
}

async function time(path) {
  const times = [];
  let items = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const response = await proxy.fetch(path, { headers });
    const body = await response.json();
    times.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    items = body.data.items.length;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(RUNS / 2)], p95: times[RUNS - 1], items };
}

console.log('orders list through the Rust proxy (Miniflare + D1), 9 runs each:');
for (const n of SIZES) {
  const t0 = performance.now();
  await fillTo(n);
  const seeded = (performance.now() - t0) / 1000;
  const page = await time('/console/orders?limit=50');
  const byStatus = await time('/console/orders?limit=50&status=PAID');
  const search = await time('/console/orders?limit=50&q=kari');
  console.log(
    `  ${String(n).padStart(7)} orders (seeded in ${seeded.toFixed(1)} s): first page p50 ${page.p50.toFixed(1)} ms p95 ${page.p95.toFixed(1)} ms;`
      + ` PAID tab p50 ${byStatus.p50.toFixed(1)} ms; search "kari" p50 ${search.p50.toFixed(1)} ms p95 ${search.p95.toFixed(1)} ms (${search.items} rows)`,
  );
}
await proxy.dispose();
await sandbox.stop();
