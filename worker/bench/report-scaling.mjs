// The overview and the VAT report through the Rust proxy (Miniflare, real workerd, D1) with
// 100,000 indexed orders (issue 20's budget: ≤ 300 ms at the proxy): the overview for the last
// two months and the VAT report for them by order date and by payment date, median and p95 of 9
// runs each. Prints figures only. Needs worker-build --release and the sandbox binary.
import { randomBytes } from 'node:crypto';

import { sha256hex, startProxy, startSandbox } from '../tests/harness.mjs';
import { reportRowsSql } from './report-rows.mjs';

const ORDERS = Number(process.env.BENCH_REPORT_ORDERS ?? 100_000);
const RUNS = 9;
const BUDGET_MS = 300;
const token = `sbx_${randomBytes(16).toString('hex')}`;
const apiKey = `fdk_${randomBytes(16).toString('hex')}`;
// No rate limit: a bench sends far more than 240 requests a minute.
const sandbox = await startSandbox({ token, callbackSecret: 'bench', args: ['--rate-limit', '0'] });
const proxy = await startProxy({
  sandbox,
  bindings: {
    API_KEYS: JSON.stringify([{ name: 'bench', role: 'viewer', sha256: sha256hex(apiKey) }]),
    SESSION_SECRET: randomBytes(32).toString('hex'),
  },
});
const headers = { authorization: `Bearer ${apiKey}` };

/** `YYYY-MM-DD` of `ms` in Oslo. */
const osloDay = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date(ms));

async function time(path) {
  const times = [];
  let data;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const response = await proxy.fetch(path, { headers });
    const body = await response.json();
    times.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    data = body.data;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(RUNS / 2)], p95: times[RUNS - 1], data };
}

const line = (what, t) => {
  const verdict = t.p50 <= BUDGET_MS ? 'within' : 'OVER';
  return `  ${what}: p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms (${verdict} the ${BUDGET_MS} ms budget)`;
};

try {
  const now = Date.now();
  const t0 = performance.now();
  await proxy.db.prepare(reportRowsSql(0, ORDERS, now)).run();
  const seeded = (performance.now() - t0) / 1000;
  // Two months: the last 61 days up to today (weekly series, past 60 days).
  const to = osloDay(now);
  const from = osloDay(now - 60 * 86_400_000);
  const period = `from=${from}&to=${to}`;
  console.log(`overview and VAT report through the Rust proxy (Miniflare + D1), ${ORDERS} indexed orders (seeded in ${seeded.toFixed(1)} s), ${from} to ${to}, ${RUNS} runs each:`);
  const overview = await time(`/console/overview?${period}`);
  console.log(line('overview', overview));
  const totals = overview.data.currentTotals;
  console.log(`    (${totals.sent} sent, ${totals.paid} paid, ${overview.data.paidSeries.length} weeks, ${overview.data.owed.reduce((n, o) => n + o.count, 0)} owed)`);
  const byOrder = await time(`/console/vat?${period}&basis=orderDate`);
  console.log(line('VAT report by order date', byOrder));
  const byPayment = await time(`/console/vat?${period}&basis=paymentDate`);
  console.log(line('VAT report by payment date', byPayment));
  const t = byOrder.data.totals;
  console.log(`    (VAT ${(t.vatOre / 100).toFixed(2)} kr, refunded VAT ${(t.refundedVatOre / 100).toFixed(2)} kr, ${byOrder.data.rows.length} rates)`);
} finally {
  await proxy.dispose();
  await sandbox.stop();
}
