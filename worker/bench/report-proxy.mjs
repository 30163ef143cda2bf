// The proxy both report benches measure (issue 20): the sandbox without a rate limit and the
// Rust proxy under Miniflare (real workerd and D1, configured from wrangler.toml, so it also
// serves trunk's dist/ as its assets, the worker first, as deployed), its index filled inside
// D1 with synthetic orders (report-rows.mjs), a viewer API key, a viewer who can sign in, and
// the two-month period both benches ask for. bench/report-scaling.mjs times the proxy;
// tests/bench/report-pages.mjs the pages in Chromium.
import { randomBytes } from 'node:crypto';

import { sha256hex, startProxy, startSandbox, userEntry } from '../tests/harness.mjs';
import { reportRowsSql } from './report-rows.mjs';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of `ms` in Oslo. */
const osloDay = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date(ms));

/** The proxy and its secrets, started before the index is filled. */
async function start() {
  // workerd resolves the assets folder (../dist) from the working directory and refuses a path
  // that climbs out of it with "..": start from the worker's folder whoever calls.
  process.chdir(new URL('..', import.meta.url).pathname);
  const token = `sbx_${randomBytes(16).toString('hex')}`;
  const apiKey = `fdk_${randomBytes(16).toString('hex')}`;
  const user = { username: 'bench', password: randomBytes(12).toString('hex') };
  // No rate limit: a bench sends far more than 240 requests a minute.
  const sandbox = await startSandbox({ token, callbackSecret: 'bench', args: ['--rate-limit', '0'] });
  try {
    const proxy = await startProxy({
      sandbox,
      bindings: {
        API_KEYS: JSON.stringify([{ name: 'bench', role: 'viewer', sha256: sha256hex(apiKey) }]),
        USERS: JSON.stringify([userEntry(user.username, 'viewer', user.password)]),
        SESSION_SECRET: randomBytes(32).toString('hex'),
      },
    });
    return { sandbox, proxy, apiKey, user };
  } catch (e) {
    await sandbox.stop();
    throw e;
  }
}

/**
 * Starts the sandbox and the proxy and fills the index with `orders` orders of the year before
 * now. Resolves to `{ proxy, url, headers, user, period, seededSeconds, stop }`: `url` is the
 * proxy's own HTTP address (console and API, for a browser), `headers` carry the viewer key,
 * `user` ({ username, password }) signs in as a viewer, `period` ({ from, to }, Oslo days) is
 * the last 61 days to today (a weekly series: past 60 days), `stop` ends both processes.
 */
export async function startReportProxy(orders) {
  const { sandbox, proxy, apiKey, user } = await start();
  const stop = async () => {
    await proxy.dispose();
    await sandbox.stop();
  };
  try {
    const now = Date.now();
    const t0 = performance.now();
    await proxy.db.prepare(reportRowsSql(0, orders, now)).run();
    const seededSeconds = (performance.now() - t0) / 1000;
    const url = (await proxy.mf.ready).toString().replace(/\/$/, '');
    const period = { from: osloDay(now - 60 * DAY_MS), to: osloDay(now) };
    const headers = { authorization: `Bearer ${apiKey}` };
    return { proxy, url, headers, user, period, seededSeconds, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
