// Issue 19 item 5, "exactly once, provably": a batch of ROWS payment links sent by the proxy's
// job (a Durable Object on its alarm, worker/src/edge/batches/job.rs) to the sandbox on its
// SQLite `--db` file with `--fault-rate 0.1` and a small rate limit, the proxy under the real
// `wrangler dev` (workerd, local D1 and Durable Object storage persisted with `--persist-to`).
// Once some rows are sent, wrangler and its workerd are SIGKILLed (the whole process group, no
// shutdown) and started again on the same port and state; nobody touches the batch after that.
// The job must finish by itself with exactly ROWS orders upstream, each row's uuid recorded,
// none twice, every order in the D1 index, and no row answered with two different orders.
//
// Sizes by environment (the issue's full run: BATCH_CRASH_ROWS=1000 BATCH_CRASH_LIMIT=240):
// BATCH_CRASH_ROWS (30), BATCH_CRASH_LIMIT (requests a minute at the sandbox, 30),
// BATCH_CRASH_FAULT_RATE (0.1), BATCH_CRASH_KILL_AT (rows sent before the kill, a third),
// BATCH_CRASH_FINISH_MS (how long the job may take after the restart; computed from the sizes).
// RELIABILITY_KEEP_CRASH_DIR=1 keeps the state and the logs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { crashStack, startWranglerDev, tail } from '../support/processes.mjs';
import { allPages, figures, sleep } from '../support/reliability.mjs';


const ROWS = Number(process.env.BATCH_CRASH_ROWS ?? 30);
const LIMIT = Number(process.env.BATCH_CRASH_LIMIT ?? 30);
const FAULT_RATE = process.env.BATCH_CRASH_FAULT_RATE ?? '0.1';
const KILL_AT = Number(process.env.BATCH_CRASH_KILL_AT ?? Math.max(1, Math.floor(ROWS / 3)));
// The job leaves the people's reserve of each window unspent (worker/src/ratelimit.rs:
// max(limit / 4, 10)), so a window sends at most LIMIT - RESERVE requests of it (0: no limit).
const RESERVE = Math.max(Math.floor(LIMIT / 4), 10);
const PER_WINDOW = LIMIT === 0 ? Infinity : LIMIT - RESERVE;
if (!(Number.isInteger(ROWS) && ROWS >= 2 && KILL_AT >= 1 && KILL_AT < ROWS && PER_WINDOW > 0)) {
  throw new Error(`batch crash: needs 1 <= BATCH_CRASH_KILL_AT < BATCH_CRASH_ROWS and a limit of 0 or over ${RESERVE}`);
}
// A row whose create was in flight at the SIGKILL keeps its key `in_flight` in D1; the proxy
// settles it only after STALE_IN_FLIGHT_MS (worker/src/idempotency.rs), and rows go in order,
// so the job may stand still that long after the restart.
const STALE_IN_FLIGHT_MS = 150_000;
// Windows the rows need (a fifth more requests than rows: faults retried, settling reads).
const WINDOWS = PER_WINDOW === Infinity ? 1 : Math.ceil((ROWS * 1.2) / PER_WINDOW);
const FINISH_MS = Number(process.env.BATCH_CRASH_FINISH_MS ?? WINDOWS * 60_000 + STALE_IN_FLIGHT_MS + 90_000);
// No attempt this long after the restart means the alarm did not survive it: no legitimate
// wait of the job is longer (a row's backoff and a rate-limit window are at most 60 s).
const ALARM_GRACE_MS = 75_000;
// The cron that wakes confirmed and running batches (worker/wrangler.toml, edge/cron.rs).
const CRON = '*/5 * * * *';
const RUN = Date.now().toString(36);

let dir;
let token;
let apiKey;
let ports;
let sandbox;
let proxy;
let proxyOptions;
let tidy;

before(async () => {
  ({ dir, token, apiKey, ports, sandbox, proxy, proxyOptions, tidy } = await crashStack('batch-crash', {
    // A `timeout` fault holds 2 s, under the proxy's 5 s: no commit after the proxy gave up.
    sandboxArgs: ['--rate-limit', String(LIMIT), '--fault-rate', FAULT_RATE, '--fault-timeout-secs', '2'],
  }));
});

after(async () => {
  await proxy?.stop();
  await sandbox?.stop();
  tidy?.();
});

const proxyUrl = () => `http://127.0.0.1:${ports.proxy}`;
const sandboxUrl = () => `http://127.0.0.1:${ports.sandbox}`;
// A getter: the key is made in `before`, after this module is read.
const admin = { get authorization() { return `Bearer ${apiKey}`; } };
const upstreamAuth = () => ({ authorization: `Bearer ${token}` });

const HEADER = 'ordrereferanse;kundetype;navn;telefon;epost;gateadresse;postnummer;poststed;produkt;antall;enhetspris;mva_prosent';

/** A nb sheet of `n` payment links, one line each, every customer and amount its own (so a settle matches one order). */
function sheet(n) {
  const rows = [];
  for (let i = 1; i <= n; i++) {
    rows.push(`K${i};privat;Krasj Kunde ${i};46567468;krasj${i}@example.no;Gate ${i};4313;Sandnes;Kontingent;1;${100 + i},50;25`);
  }
  return `\ufeff${HEADER}\r\n${rows.join('\r\n')}\r\n`;
}

const proxyFetch = (path, init = {}) =>
  fetch(`${proxyUrl()}${path}`, { signal: AbortSignal.timeout(15_000), ...init, headers: { ...admin, ...init.headers } });

async function proxyJson(path) {
  const r = await proxyFetch(path);
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const post = (path, body) =>
  proxyFetch(path, body === undefined
    ? { method: 'POST' }
    : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The batch's summary from the list (no rows: light enough to poll); `null` if not readable now. */
async function summary(id) {
  try {
    return (await proxyJson('/console/batches')).items.find((b) => b.id === id) ?? null;
  } catch {
    return null;
  }
}

/** `fn()`'s first truthy answer, asked every `every` ms until `deadline` (then `null`). */
async function until(fn, deadline, every) {
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) return null;
    await sleep(every);
  }
}

/** The job's attempts of batch `id`: the audit rows under its row keys (`batch-{id}-{row}`). */
async function attempts(id, firstPageOnly = false) {
  const mine = (items) => items.filter((a) => a.idempotencyKey?.startsWith(`batch-${id}-`));
  if (firstPageOnly) return mine((await proxyJson('/console/audit?limit=50')).data.items);
  return mine((await allPages(proxyJson, '/console/audit')).items);
}

/**
 * How the job went on after the restart: `alarm` if it made an attempt by itself within
 * ALARM_GRACE_MS (workerd keeps a Durable Object's alarm in its persisted storage and runs it
 * after a restart); else the cron is fired once, as production's every five minutes would
 * (`wake_active`), and the answer is `cron`. Either way no person acts.
 */
async function resumedBy(id, since) {
  const seen = await until(async () => {
    try {
      return (await attempts(id, true)).some((a) => a.at >= since);
    } catch {
      return false;
    }
  }, since + ALARM_GRACE_MS, 1000);
  if (seen) return 'alarm';
  // The cron also re-reads orders not yet final, paced by the rate limit: it may take a while.
  const r = await proxyFetch(`/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(CRON)}`, { signal: AbortSignal.timeout(180_000) });
  assert.equal(r.status, 200, `the cron: ${r.status} ${await r.text()}\n${tail(proxyOptions.log)}`);
  return 'cron';
}

/** A sandbox control (`/_sandbox/…`: no faults, no rate limit), its `data`. */
async function control(path, body) {
  const init = body === undefined
    ? { headers: upstreamAuth() }
    : { method: 'POST', headers: { ...upstreamAuth(), 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const r = await fetch(`${sandboxUrl()}${path}`, init);
  assert.equal(r.status, 200, `${path}: ${await r.clone().text()}`);
  return (await r.json()).data;
}

/** The sandbox's orders. Its random faults hit the test's reads too: asked again until clean. */
async function upstreamOrders() {
  for (let i = 0; i < 40; i++) {
    try {
      const r = await fetch(`${sandboxUrl()}/api/v1/connect/orders/status`, { headers: upstreamAuth(), signal: AbortSignal.timeout(10_000) });
      const body = JSON.parse(await r.text());
      if (r.status === 200) return body.data;
      if (r.status === 404) return [];
    } catch {}
    await sleep(200);
  }
  throw new Error(`the sandbox never answered its order list cleanly\n${tail(join(dir, 'sandbox.log'))}`);
}

test(`a batch of ${ROWS} rows, limit ${LIMIT}/min, fault rate ${FAULT_RATE}, the proxy SIGKILLed mid-job: exactly ${ROWS} orders, each row's uuid, none twice`, { timeout: FINISH_MS + 180_000 }, async () => {
  const made = await post('/console/batches', {
    name: `Kontingent krasj ${RUN}`,
    kind: 'PAYMENT_LINK',
    input: { way: 'orders', options: {}, csv: sheet(ROWS) },
  });
  assert.equal(made.status, 201, await made.clone().text());
  const preview = await made.json();
  assert.equal(preview.totals.valid, ROWS, JSON.stringify(preview.rows.filter((r) => r.issues.length > 0).slice(0, 3)));
  const id = preview.batch.id;
  const confirmed = await post(`/console/batches/${id}/confirm`);
  assert.equal(confirmed.status, 200, await confirmed.clone().text());
  const confirmedAt = Date.now();

  // Kill once KILL_AT rows are sent: the job is then sending (or pacing), with rows left.
  const atKill = await until(async () => {
    const b = await summary(id);
    return b && (b.progress.sent >= KILL_AT || b.progress.left === 0) && b;
  }, confirmedAt + FINISH_MS, 100);
  assert.ok(atKill, `no ${KILL_AT} rows sent in time\n${tail(proxyOptions.log)}`);
  assert.ok(atKill.progress.left > 0, `the job finished before the kill (${JSON.stringify(atKill.progress)}): raise BATCH_CRASH_ROWS or lower BATCH_CRASH_LIMIT`);
  await proxy.kill();
  const down = Date.now();
  proxy = await startWranglerDev(proxyOptions);
  const restartedAt = Date.now();
  const wokenBy = await resumedBy(id, down);

  // From here on only reads: the job has to finish by itself.
  const done = await until(async () => {
    const b = await summary(id);
    return b && b.state !== 'running' && b.state !== 'confirmed' && b;
  }, restartedAt + FINISH_MS, 1000);
  assert.ok(done, `the job did not finish within ${FINISH_MS} ms of the restart: ${JSON.stringify((await summary(id))?.progress)}\n${tail(proxyOptions.log)}`);
  const finishedAt = Date.now();

  const stats = await control('/_sandbox/rate-limit');
  await control('/_sandbox/rate-limit', { perMinute: 0 }); // the test's own reads are not the job's
  const detail = await proxyJson(`/console/batches/${id}`);
  const rows = detail.rows;
  const uuids = rows.map((r) => r.orderUuid);
  const upstream = (await upstreamOrders()).map((o) => o.uuid);
  const inIndex = new Set((await allPages(proxyJson, '/console/orders')).items.map((o) => o.uuid));
  const tried = await attempts(id);
  const rowOf = (a) => Number(a.idempotencyKey.slice(`batch-${id}-`.length));
  const answered = tried.filter((a) => a.status >= 200 && a.status < 300);
  // Each row's 2xx attempts (a first answer, replays, a settle) all name the same order.
  const ordersPerRow = new Map();
  for (const a of answered) {
    const set = ordersPerRow.get(rowOf(a)) ?? new Set();
    set.add(a.orderUuid);
    ordersPerRow.set(rowOf(a), set);
  }
  const firstAnswer = new Map();
  for (const a of answered) firstAnswer.set(rowOf(a), Math.min(a.at, firstAnswer.get(rowOf(a)) ?? Infinity));
  const sentAfterRestart = [...firstAnswer.values()].filter((at) => at >= down).length;
  const jobMs = (detail.batch.finishedAt ?? finishedAt) - (detail.batch.startedAt ?? confirmedAt);

  figures('batch crash', {
    rows: ROWS,
    limitPerMinute: LIMIT,
    faultRate: FAULT_RATE,
    state: detail.batch.state,
    sent: detail.batch.progress.sent,
    failed: detail.batch.progress.failed,
    sentWhenKilled: atKill.progress.sent,
    sentAfterRestart,
    downMs: restartedAt - down,
    resumedBy: wokenBy,
    upstreamOrders: upstream.length,
    distinctRowUuids: new Set(uuids).size,
    inD1Index: uuids.filter((u) => inIndex.has(u)).length,
    attempts: tried.length,
    faultAnswers: tried.filter((a) => a.status >= 500).length,
    inFlightWaits: tried.filter((a) => a.message === 'idempotencyRequestInFlight').length,
    outcomeUnknown: tried.filter((a) => a.message === 'idempotencyOutcomeUnknown').length,
    replayedOrSettled: tried.filter((a) => a.replayed).length,
    upstreamRequests: stats.totalRequests,
    upstream429: stats.limitedRequests,
    jobMs,
    rowsPerMinute: ((ROWS * 60_000) / jobMs).toFixed(1),
    wallMs: finishedAt - confirmedAt,
  });

  assert.equal(detail.batch.state, 'done', JSON.stringify(rows.filter((r) => r.state !== 'sent')));
  assert.deepEqual(
    { sent: detail.batch.progress.sent, failed: detail.batch.progress.failed, left: detail.batch.progress.left },
    { sent: ROWS, failed: 0, left: 0 },
  );
  assert.ok(rows.every((r) => r.state === 'sent' && /^ODR\d{9,10}$/.test(r.orderUuid ?? '')), JSON.stringify(rows.filter((r) => r.state !== 'sent')));
  assert.equal(new Set(uuids).size, ROWS, 'no uuid recorded for two rows');
  assert.equal(upstream.length, ROWS, `exactly ${ROWS} orders upstream`);
  assert.deepEqual([...upstream].sort(), [...uuids].sort(), 'the orders upstream are exactly the rows\' orders');
  assert.deepEqual(uuids.filter((u) => !inIndex.has(u)), [], 'every order in the D1 order index');
  for (const r of rows) {
    assert.deepEqual([...(ordersPerRow.get(r.row) ?? [])], [r.orderUuid], `row ${r.row}: every 2xx attempt names its one order`);
  }
  assert.ok(sentAfterRestart > 0, 'rows were sent after the restart (the kill was mid-job)');
});
