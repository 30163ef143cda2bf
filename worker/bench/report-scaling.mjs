// The overview and the VAT report through the Rust proxy (Miniflare, real workerd, D1) with
// 100,000 indexed orders (issue 20's budget: ≤ 300 ms at the proxy): the overview for the last
// two months and the VAT report for them by order date and by payment date, median and p95 of 9
// runs each. Prints figures only. Needs worker-build --release, the sandbox binary and trunk's
// dist/ (the proxy serves it; ../../tests/bench/report-pages.mjs times the pages).
import { startReportProxy } from './report-proxy.mjs';
import { timeGet } from './timing.mjs';

const ORDERS = Number(process.env.BENCH_REPORT_ORDERS ?? 100_000);
const RUNS = 9;
const BUDGET_MS = 300;
const bench = await startReportProxy(ORDERS);
const { proxy, headers } = bench;

const time = (path) => timeGet(proxy, headers, path, RUNS);

const line = (what, t) => {
  const verdict = t.p50 <= BUDGET_MS ? 'within' : 'OVER';
  return `  ${what}: p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms (${verdict} the ${BUDGET_MS} ms budget)`;
};

try {
  const { from, to } = bench.period;
  const period = `from=${from}&to=${to}`;
  console.log(`overview and VAT report through the Rust proxy (Miniflare + D1), ${ORDERS} indexed orders (seeded in ${bench.seededSeconds.toFixed(1)} s), ${from} to ${to}, ${RUNS} runs each:`);
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
  await bench.stop();
}
