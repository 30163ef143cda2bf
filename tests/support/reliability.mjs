// Shared helpers of the reliability suites (tests/reliability/): the worker's Miniflare harness
// (a real sandbox + the built proxy on workerd), figures printed for the report, bounded
// concurrency, retry-until-success clients and readers of the order index and audit log.
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The worker's own fixtures (sandbox + Miniflare proxy, users and keys for every role). */
export async function miniflareStack(options) {
  // Miniflare resolves wrangler.toml's relative paths (assets, build) from the working dir.
  process.chdir(`${repoRoot}worker`);
  const fixtures = await import('../../worker/tests/fixtures.mjs');
  return fixtures.setup(options);
}
export const fixtures = () => import('../../worker/tests/fixtures.mjs');
export const harness = () => import('../../worker/tests/harness.mjs');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One figure line, easy to grep from `cargo xtask test` output. */
export function figures(name, values) {
  const parts = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  console.log(`[figures] ${name}: ${parts.join(' ')}`);
}

/** Run `task(i)` for i in 0..count with at most `width` in flight. */
export async function pool(count, width, task) {
  let next = 0;
  const results = new Array(count);
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
  return results;
}

/** Is this a well-formed error envelope of the API (status_code, message, is_error)? */
export function isErrorEnvelope(body, status) {
  return (
    body != null &&
    typeof body === 'object' &&
    body.status_code === status &&
    typeof body.message === 'string' &&
    body.message.length > 0 &&
    body.is_error === true
  );
}

/** Statuses a well-behaved client retries with the same idempotency key. */
export const RETRYABLE = new Set([409, 429, 500, 502, 503, 504, 510]);

/**
 * Send `attempt()` (which returns a Response) until it is not retryable or `maxAttempts` is
 * reached; returns { response, body, attempts, statuses }.
 */
export async function untilSettled(attempt, { maxAttempts = 40, delayMs = 30, maxDelayMs = 1000 } = {}) {
  const statuses = [];
  let streak = 0;
  for (let n = 1; ; n++) {
    const response = await attempt(n);
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = { unparsable: text.slice(0, 200) };
    }
    statuses.push(response.status);
    if (!RETRYABLE.has(response.status) || n >= maxAttempts) {
      return { response, body, attempts: n, statuses };
    }
    // Exponential backoff with jitter over a streak of the same answer, so a crowd of waiting
    // clients spreads out while a client whose own attempt just failed retries promptly.
    streak = response.status === statuses.at(-2) ? streak + 1 : 0;
    const cap = Math.min(maxDelayMs, delayMs * 2 ** Math.min(streak, 10));
    await sleep(cap * (0.5 + Math.random()));
  }
}

/** Every row of a paged console list (`/console/orders` or `/console/audit`). */
export async function allPages(fetchJson, path, limit = 100) {
  const items = [];
  let cursor = null;
  let total = null;
  for (let page = 0; page < 10_000; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const env = await fetchJson(url);
    if (!env?.data) throw new Error(`${url}: ${JSON.stringify(env)}`);
    if (total === null && typeof env.data.total === 'number') total = env.data.total;
    items.push(...env.data.items);
    cursor = env.data.nextCursor;
    if (!cursor) break;
  }
  return { items, total };
}
