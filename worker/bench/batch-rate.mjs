// Send to many (issue 19) through the Rust proxy (Miniflare, real workerd and D1; the job is the
// BatchJob Durable Object on its alarm) against the sandbox started with `--rate-limit 240`.
// Prints figures only; fails if a batch never finishes or an order is not sent.
// 1. The job's cost per sent order, with the sandbox's limit off (nothing to wait for): wall
//    time (the batch's started → finished, as the proxy records them) and workerd's CPU. Miniflare
//    does not say how much CPU one invocation used, so this is the whole workerd process's user
//    + system time from /proc over the job (the Durable Object's wasm, D1's SQLite, which runs
//    inside workerd under Miniflare, and the HTTP to the sandbox), less the same number of
//    progress reads measured afterwards: an upper bound of the job's own CPU, not Cloudflare's
//    billed CPU time.
// 2. Rows sent per minute at the limit: a fresh 240/min window, a 300-row batch confirmed, its
//    progress read every second by GET /console/batches/{id} (as the batch page does) and the
//    sandbox's count of the window's requests beside it. The job stops while no more than the
//    reserve for people is left (worker/src/ratelimit.rs), so it may send limit − reserve rows a
//    window; the rate is taken over whole windows (sent rows come in bursts separated by the wait
//    for the next window), against that share (goal ≥ 95 %), and end to end.
// Needs worker-build --release and the sandbox binary: `cargo xtask bench --only batch`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

import { ordersSheet } from './batch-sheet.mjs';
import { startBenchProxy } from './bench-proxy.mjs';

const LIMIT = Number(process.env.BENCH_BATCH_LIMIT ?? 240);
const ROWS = Number(process.env.BENCH_BATCH_ROWS ?? 300);
const FREE_ROWS = Number(process.env.BENCH_BATCH_FREE_ROWS ?? 100);
/** What the proxy keeps for people: worker/src/ratelimit.rs `Budget::reserve` (a quarter, at least 10). */
const RESERVE = Math.max(Math.floor(LIMIT / 4), 10);
const GOAL_SHARE = 0.95;
/** Sent rows this far apart are in different windows (a row takes milliseconds, a window's wait seconds). */
const PACING_GAP_MS = 5_000;
const POLL_MS = 1_000;
/** Past this a batch is not slow but stuck. */
const DONE_TIMEOUT_MS = 240_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A console call with the clerk's key; the answer's JSON, or an error for anything but 2xx. */
async function call(bench, path, init = {}) {
  const response = await bench.proxy.fetch(path, { ...init, headers: { ...bench.headers, ...(init.headers ?? {}) } });
  const body = await response.json();
  if (response.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** The sandbox's limiter (`perMinute` given: set first, which opens a fresh window). */
async function limiter(bench, perMinute) {
  const init = perMinute === undefined
    ? {}
    : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ perMinute }) };
  const response = await bench.sandbox.api('/_sandbox/rate-limit', init);
  const body = await response.json();
  if (response.status !== 200) throw new Error(`/_sandbox/rate-limit: ${response.status} ${JSON.stringify(body)}`);
  return body.data;
}

/** Preview `rows` orders as batch `name` (all must be valid); its id. */
async function preview(bench, name, rows) {
  const body = JSON.stringify({ name, kind: 'PAYMENT_LINK', input: { way: 'orders', options: {}, csv: ordersSheet(rows) } });
  const p = await call(bench, '/console/batches', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (p.totals.valid !== rows) {
    throw new Error(`${name}: the preview lets ${p.totals.valid} of ${rows} orders through: ${JSON.stringify(p.rows.find((r) => r.issues.length))}`);
  }
  return p.batch.id;
}

/**
 * Read batch `id` every POLL_MS (and run `each`, if given) until it is done with every row
 * sent; the last summary and the number of reads.
 */
async function watch(bench, id, each) {
  const end = Date.now() + DONE_TIMEOUT_MS;
  for (let reads = 1; ; reads++) {
    const { batch, rows } = await call(bench, `/console/batches/${id}`);
    await each?.(batch);
    const p = batch.progress;
    if (batch.state === 'done') {
      if (p.failed > 0 || p.left > 0) throw new Error(`batch ${id} done with ${JSON.stringify(p)}: ${JSON.stringify(rows.filter((r) => r.state !== 'sent').slice(0, 3))}`);
      return { batch, reads };
    }
    if ((batch.state !== 'running' && batch.state !== 'confirmed') || Date.now() > end) {
      const logs = bench.proxy.logs().split('\n').slice(-20).join('\n');
      throw new Error(`batch ${id} is ${batch.state} with ${JSON.stringify(p)} after ${reads} reads\nproxy log tail:\n${logs}`);
    }
    await sleep(POLL_MS);
  }
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Every process: parent, name and CPU ticks (user + system), from /proc. */
function processes() {
  const out = new Map();
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(pid), {
        name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        parent: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** CPU ms the workerd processes under this one have used; null when there is none (not Linux). */
function workerdCpuMs() {
  let all;
  try {
    all = processes();
  } catch {
    return null;
  }
  const ours = (pid) => {
    for (let p = all.get(pid)?.parent; p; p = all.get(p)?.parent) if (p === process.pid) return true;
    return false;
  };
  const workerd = [...all].filter(([pid, p]) => p.name === 'workerd' && ours(pid));
  if (workerd.length === 0) return null;
  return (workerd.reduce((n, [, p]) => n + p.ticks, 0) * 1000) / TICKS_PER_SECOND;
}

/** Part 1: wall time and workerd CPU per order with the limit off. */
async function unlimited(bench) {
  await limiter(bench, 0);
  const id = await preview(bench, 'Bench unlimited', FREE_ROWS);
  const cpu0 = workerdCpuMs();
  await call(bench, `/console/batches/${id}/confirm`, { method: 'POST' });
  const { batch, reads } = await watch(bench, id);
  const cpu1 = workerdCpuMs();
  for (let i = 0; i < reads; i++) await call(bench, `/console/batches/${id}`);
  const cpu2 = workerdCpuMs();
  const sent = batch.progress.sent;
  const wall = (batch.finishedAt - batch.startedAt) / sent;
  console.log(`  limit off, ${sent} orders: wall time ${wall.toFixed(1)} ms per order (the batch's started → finished, ${((batch.finishedAt - batch.startedAt) / 1000).toFixed(1)} s)`);
  if (cpu0 === null) {
    console.log('    workerd CPU: not measured (no workerd process found under this one in /proc)');
    return;
  }
  const job = cpu1 - cpu0 - (cpu2 - cpu1);
  console.log(
    `    workerd CPU ${(job / sent).toFixed(1)} ms per order (the whole workerd process, user + system, over the job: `
      + `${(cpu1 - cpu0).toFixed(0)} ms, less ${(cpu2 - cpu1).toFixed(0)} ms for the ${reads} progress reads; D1 runs inside it; `
      + `resolution ${(1000 / TICKS_PER_SECOND).toFixed(0)} ms; not Cloudflare's billed CPU)`,
  );
}

/** Sent times (ms) grouped into bursts: `{ start, end, rows }`. */
function bursts(times) {
  const out = [];
  for (const t of times) {
    const last = out[out.length - 1];
    if (last && t - last.end < PACING_GAP_MS) {
      last.end = t;
      last.rows += 1;
    } else {
      out.push({ start: t, end: t, rows: 1 });
    }
  }
  return out;
}

/** Part 2's figures from the rows' sent times and what was read along the way. */
function printPaced(seen, times, batch) {
  const share = LIMIT - RESERVE;
  const goal = GOAL_SHARE * share;
  console.log(
    `  limit ${LIMIT}/min, ${times.length} orders: the proxy keeps ${RESERVE} requests a window for people (worker/src/ratelimit.rs: `
      + `a quarter of the limit, at least 10), so the job may send ${share} a minute; goal ≥ ${goal.toFixed(0)} rows/min (${GOAL_SHARE * 100} % of ${share})`,
  );
  const b = bursts(times);
  if (b.length >= 2) {
    const rows = b.slice(0, -1).reduce((n, x) => n + x.rows, 0);
    const rate = (rows / (b[b.length - 1].start - b[0].start)) * 60_000;
    const verdict = rate >= goal ? 'within' : 'OVER';
    console.log(
      `    paced: ${rate.toFixed(1)} rows/min over ${b.length - 1} whole window(s) (${b.map((x) => x.rows).join(' + ')} rows in bursts, `
        + `each burst ${b.map((x) => ((x.end - x.start) / 1000).toFixed(1)).join(' / ')} s): ${((100 * rate) / share).toFixed(1)} % of ${share}, `
        + `${((100 * rate) / LIMIT).toFixed(1)} % of the limit (${verdict} the goal)`,
    );
  } else {
    console.log(`    paced: not measured: all ${times.length} rows went in one window (more than ${share} rows are needed)`);
  }
  const seconds = (batch.finishedAt - batch.startedAt) / 1000;
  console.log(`    end to end: ${times.length} rows in ${seconds.toFixed(1)} s, ${((times.length / seconds) * 60).toFixed(1)} rows/min (the last window's rows unpaced)`);
  const verdict = seen.most <= share ? 'the reserve kept' : 'the reserve NOT kept';
  console.log(
    `    upstream: ${seen.requests} requests (${(seen.requests / times.length).toFixed(2)} per order), ${seen.limited} refused with 429; `
      + `at most ${seen.most} of ${LIMIT} in one window, read each second (${verdict})`,
  );
  if (seen.etaHalf) {
    const off = (seen.etaHalf - batch.finishedAt) / 1000;
    console.log(`    the batch page's estimated finish, read half way: ${Math.abs(off).toFixed(1)} s ${off >= 0 ? 'late' : 'early'}`);
  }
}

/** Part 2: rows sent per minute at the limit. */
async function paced(bench) {
  const base = await limiter(bench, LIMIT);
  const id = await preview(bench, 'Bench paced', ROWS);
  await call(bench, `/console/batches/${id}/confirm`, { method: 'POST' });
  const seen = { most: 0, etaHalf: null };
  const { batch } = await watch(bench, id, async (b) => {
    seen.most = Math.max(seen.most, (await limiter(bench)).windowRequests);
    if (seen.etaHalf === null && b.progress.sent >= ROWS / 2 && b.etaAt) seen.etaHalf = b.etaAt;
  });
  const after = await limiter(bench);
  seen.requests = after.totalRequests - base.totalRequests;
  seen.limited = after.limitedRequests - base.limitedRequests;
  const { results } = await bench.proxy.db
    .prepare("SELECT updated_at AS at FROM batch_rows WHERE batch_id = ? AND state = 'sent' ORDER BY updated_at")
    .bind(id)
    .all();
  printPaced(seen, results.map((r) => r.at), batch);
}

const bench = await startBenchProxy({ role: 'clerk', sandboxArgs: ['--rate-limit', String(LIMIT)] });
try {
  console.log('send to many through the Rust proxy (Miniflare + D1; the job a Durable Object on its alarm), orders from a sheet, against the sandbox:');
  await unlimited(bench);
  await paced(bench);
} finally {
  await bench.stop();
}
