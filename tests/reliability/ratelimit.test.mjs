// Issue 13, item 5: the merchant's rate limit. 1,000 orders not yet final in the proxy's index,
// the sandbox limiting the token to 240 requests a minute, the cron re-reading them run after
// run, and a console user's create in the middle: upstream sees at most the limit, the cron
// stops where the reserve kept for people begins (max(limit / 4, 10) = 60), and the create
// goes through first time.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { figures, fixtures, miniflareStack, pool } from '../support/reliability.mjs';

const { json, paymentLink } = await fixtures();

const ORDERS = 1000;
const LIMIT = 240;
/** The proxy's reserve for people (worker/src/ratelimit.rs). */
const RESERVE = Math.max(Math.floor(LIMIT / 4), 10);
/** Cron runs triggered: 8 × 50 re-reads would be far past the limit. */
const RUNS = 8;
/** Requests a concurrent person and the re-read after their create may add at the edge. */
const SLACK = 3;
const CRON = '*/5 * * * *';

let t;
before(async () => {
  // The limit is off while seeding (a load run), and set to 240 for the run itself.
  t = await miniflareStack({ sandboxArgs: ['--rate-limit', '0'] });
});
after(() => t?.stop());

/** The sandbox's rate-limit control: set `perMinute` (when given), then read the counters. */
async function rateLimit(perMinute) {
  if (perMinute != null) {
    const set = await t.sandbox.api('/_sandbox/rate-limit', json({ perMinute }));
    assert.equal(set.status, 200, await set.text());
  }
  const r = await t.sandbox.api('/_sandbox/rate-limit');
  assert.equal(r.status, 200, await r.clone().text());
  const body = await r.json();
  return body.data ?? body;
}

/** Orders of the seed re-read since `since` (the cron rewrites their row's updated_at). */
async function rereadSince(since) {
  const row = await t.proxy.db
    .prepare("SELECT COUNT(*) AS n FROM orders WHERE source = 'sync' AND updated_at >= ?")
    .bind(since)
    .first();
  return row.n;
}

test(`${ORDERS} orders not final, the cron running, a limit of ${LIMIT}: upstream sees at most the limit, a console create succeeds`, { timeout: 60_000 }, async () => {
  // Seed: 1,000 payment links at the sandbox (SENT), merged into the proxy's index by a sync.
  const seeded = await pool(ORDERS, 25, async (i) => {
    const r = await t.sandbox.api('/api/v1/connect/orders/payment-link/create', json(paymentLink({ referenceNo: `RL-${i}` })));
    const body = await r.json();
    assert.equal(r.status, 201, JSON.stringify(body));
    return body.data.uuid;
  });
  const sync = await t.proxy.fetch('/console/sync', { method: 'POST', headers: t.auth('clerk') });
  const synced = await sync.json();
  assert.equal(sync.status, 200, JSON.stringify(synced));
  assert.equal(synced.data.listed, ORDERS);
  const cookie = await t.login('clerk');

  // The limit on: a fresh window.
  const start = await rateLimit(LIMIT);
  assert.equal(start.perMinute, LIMIT);
  assert.ok(start.windowRequests < SLACK, `setting the limit starts a fresh window: ${JSON.stringify(start)}`);
  // A person's read: the proxy passes the sandbox's headers on and learns the window from them.
  const read = await t.proxy.fetch(`/api/v1/connect/orders/status/${seeded[0]}`, { headers: t.auth('viewer') });
  assert.equal(read.status, 200);
  assert.equal(read.headers.get('x-ratelimit-limit'), String(LIMIT));
  assert.ok(Number(read.headers.get('x-ratelimit-remaining')) >= LIMIT - SLACK, read.headers.get('x-ratelimit-remaining'));

  const began = Date.now();
  let created;
  for (let run = 0; run < RUNS; run++) {
    const cron = t.proxy.scheduled(CRON);
    // Mid-run, as the console does it: session cookie, same origin, an idempotency key.
    if (run === 2) {
      created = t.proxy.fetch('/api/v1/connect/orders/payment-link/create', json(paymentLink({ referenceNo: 'RL-console' }), {
        cookie,
        origin: t.proxy.base,
        'idempotency-key': `ratelimit-${began}`,
      }));
    }
    await cron;
  }
  const answer = await created;
  const answerBody = await answer.json();
  const ms = Date.now() - began;
  const end = await rateLimit();
  const reread = await rereadSince(began);
  const sent = end.totalRequests - start.totalRequests;
  figures('rate limit', {
    orders: ORDERS,
    limit: LIMIT,
    reserve: RESERVE,
    cronRuns: RUNS,
    cronReads: reread,
    upstreamRequests: sent,
    windowRequests: end.windowRequests,
    createStatus: answer.status,
    ms,
  });

  assert.equal(answer.status, 201, `the console's create: ${JSON.stringify(answerBody)}`);
  assert.equal(answer.headers.get('x-ratelimit-limit'), String(LIMIT));
  assert.ok(end.windowRequests <= LIMIT, `upstream saw ${end.windowRequests} in the window, limit ${LIMIT}`);
  assert.ok(sent <= LIMIT, `${sent} requests during the run`);
  // The cron stopped where the people's reserve begins, not before and not after.
  assert.ok(reread < RUNS * 50, `the cron stopped: ${reread} re-reads`);
  assert.ok(end.windowRequests <= LIMIT - RESERVE + SLACK, `stopped at the reserve: ${end.windowRequests} used`);
  assert.ok(end.windowRequests >= LIMIT - RESERVE - SLACK, `used the budget up to the reserve: ${end.windowRequests} used`);
  assert.ok(ms < 45_000, `took ${ms} ms`);
});
