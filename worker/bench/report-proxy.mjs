// The proxy both report benches measure (issue 20): bench-proxy.mjs's (the sandbox without a
// rate limit, the Rust proxy under Miniflare serving trunk's dist/ too), its index filled inside
// D1 with synthetic orders (report-rows.mjs), a viewer API key, a viewer who can sign in, and
// the two-month period both benches ask for. bench/report-scaling.mjs times the proxy;
// tests/bench/report-pages.mjs the pages in Chromium.
import { startBenchProxy } from './bench-proxy.mjs';
import { reportRowsSql } from './report-rows.mjs';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of `ms` in Oslo. */
const osloDay = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date(ms));

/**
 * Starts the sandbox and the proxy and fills the index with `orders` orders of the year before
 * now. Resolves to `{ proxy, url, headers, user, period, seededSeconds, stop }`: `url` is the
 * proxy's own HTTP address (console and API, for a browser), `headers` carry the viewer key,
 * `user` ({ username, password }) signs in as a viewer, `period` ({ from, to }, Oslo days) is
 * the last 61 days to today (a weekly series: past 60 days), `stop` ends both processes.
 */
export async function startReportProxy(orders) {
  const bench = await startBenchProxy({ role: 'viewer' });
  try {
    const now = Date.now();
    const t0 = performance.now();
    await bench.proxy.db.prepare(reportRowsSql(0, orders, now)).run();
    const seededSeconds = (performance.now() - t0) / 1000;
    const period = { from: osloDay(now - 60 * DAY_MS), to: osloDay(now) };
    return { ...bench, period, seededSeconds };
  } catch (e) {
    await bench.stop();
    throw e;
  }
}
