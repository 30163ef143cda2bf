// The proxy against Front Payment as its live server answers (docs/contract/live-demo-2025-07.json):
// a fake upstream (a plain HTTP server on a free port) records what the proxy sends and answers
// what the test says. Real clients' shapes forwarded untouched, both `orderDate` formats, every
// recorded exchange replayed through the proxy, upstream's rate limit, an empty (404) list.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';

import { liveDemo } from './fixtures.mjs';
import { sha256hex, startProxy } from './harness.mjs';

const API = '/api/v1/connect/orders';
const CREATE = `${API}/payment-link/create`;
const TOKEN = `live_${randomBytes(12).toString('hex')}`;
const RUN = Date.now().toString(36);

const rate = (remaining) => ({ 'x-ratelimit-limit': '240', 'x-ratelimit-remaining': String(remaining) });
const envelope = (status_code, message, data) => ({
  status_code,
  status_message: status_code < 300 ? 'OK' : 'Not Found',
  message,
  is_data: data != null,
  data,
});

let nextOrder = 2_000_000_000;
/** What Front Payment answers unless a test says otherwise (shapes as recorded). */
function defaultAnswer(r) {
  const path = r.url.split('?')[0];
  if (r.method === 'POST' && path.endsWith('/create')) {
    return { status: 201, body: { ...envelope(201, 'orderAddedSuccessfully', { uuid: `ODR${nextOrder++}`, customerUuid: 'CSRT3672053467' }), is_data: false } };
  }
  const status = path.match(/\/status\/(ODR\d+)$/);
  if (r.method === 'GET' && status) {
    // As recorded: no orderAmount / refundedAmount.
    return { status: 200, body: envelope(200, 'Order Status Retrieved Successfully', { uuid: status[1], status: 'SENT' }) };
  }
  // As recorded: an account without orders answers its status list with 404.
  if (r.method === 'GET' && path === `${API}/status`) return { status: 404, body: envelope(404, 'Order Not Found', null) };
  return { status: 404, body: envelope(404, 'orderNotFound', null) };
}

/** A stand-in for Front Payment: records every request, answers with `answer(request)` or the default. */
async function fakeUpstream() {
  const seen = [];
  let answer = () => undefined;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const r = { method: req.method, url: req.url, headers: req.headers, body };
      seen.push(r);
      const a = answer(r) ?? defaultAnswer(r);
      res.writeHead(a.status, { 'content-type': 'application/json', ...rate(239), ...(a.headers ?? {}) });
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}/api/v1`,
    seen,
    /** Requests since `from` (an index into `seen`) matching method and path (query included). */
    since: (from, method, url) => seen.slice(from).filter((r) => r.method === method && (url == null || r.url === url)),
    answerWith(fn) { answer = fn ?? (() => undefined); },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

async function startStack({ format, publicUrl }) {
  const upstream = await fakeUpstream();
  const key = `fdk_admin_${randomBytes(12).toString('hex')}`;
  const callbackSecret = randomBytes(16).toString('hex');
  let proxy;
  try {
    proxy = await startProxy({
      bindings: {
        FRONTPAY_API_BASE: upstream.base,
        FRONTPAY_TOKEN: TOKEN,
        FRONTPAY_ORDER_DATE_FORMAT: format,
        SESSION_SECRET: randomBytes(32).toString('hex'),
        CALLBACK_SECRET: callbackSecret,
        API_KEYS: JSON.stringify([{ name: 'admin-key', role: 'admin', sha256: sha256hex(key) }]),
        UPSTREAM_TIMEOUT_MS: '2000',
        ...(publicUrl ? { PUBLIC_URL: publicUrl } : {}),
      },
    });
  } catch (e) {
    await upstream.close();
    throw e;
  }
  return {
    upstream,
    proxy,
    callbackSecret,
    auth: { authorization: `Bearer ${key}` },
    stop: async () => {
      await proxy.dispose();
      await upstream.close();
    },
  };
}

/** `d M, Y` of the Oslo calendar day of a Unix time, as core writes it (`05 Dec, 2023`). */
function osloDmy(secs) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Oslo', day: '2-digit', month: 'short', year: 'numeric' })
      .formatToParts(new Date(secs * 1000))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day} ${parts.month}, ${parts.year}`;
}

const nowSecs = () => Math.floor(Date.now() / 1000);

/** The recorded create body of the frontgo client (products keyed "0", undocumented members). */
function recorded(suffix, overrides = {}) {
  const e = liveDemo().find((x) => x.method === 'POST' && x.path.endsWith(suffix));
  return { ...structuredClone(e.requestBody), ...overrides };
}
const linkBody = (overrides = {}) =>
  recorded('/payment-link/create', { orderDate: String(nowSecs() + 60), callback: { callbackUrl: 'https://merchant.example/cb' }, ...overrides });

let unix;
let dmy;
before(async () => {
  // `unix` adds its own callback URL to creates without one; `dmy` does not.
  unix = await startStack({ format: 'unix', publicUrl: 'http://127.0.0.1' });
  dmy = await startStack({ format: 'dmy' });
});
after(async () => {
  for (const s of [unix, dmy]) {
    if (!s) continue;
    const logs = s.proxy.logs();
    await s.stop();
    assert.ok(!logs.includes(TOKEN), 'token in the worker logs');
  }
});

/** Send a create through `stack`; returns the answer and what upstream received (if anything). */
async function create(stack, body, headers = {}, path = CREATE) {
  const from = stack.upstream.seen.length;
  const text = JSON.stringify(body);
  const r = await stack.proxy.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...stack.auth, ...headers }, body: text });
  const env = await r.json();
  const sent = stack.upstream.since(from, 'POST', path);
  return { r, env, text, upstream: sent.at(-1) };
}

describe('a real client\'s create bodies', () => {
  test('products keyed "0" and undocumented members: accepted, forwarded byte for byte', async () => {
    const { r, env, text, upstream } = await create(unix, linkBody());
    assert.equal(r.status, 201, JSON.stringify(env));
    assert.equal(upstream.body, text);
    const seen = JSON.parse(upstream.body);
    assert.ok(seen.products && typeof seen.products === 'object' && !Array.isArray(seen.products), upstream.body);
    assert.deepEqual(Object.keys(seen.products), ['0']);
    assert.equal(seen.dueDateForPaymentLink, '1703040812');
    assert.deepEqual(seen.internalReferences, { referenceNo: 'Dhaka', notes: '3500' });
    assert.equal(upstream.headers.authorization, `Bearer ${TOKEN}`);
    // Upstream's rate-limit headers reach the client.
    assert.equal(r.headers.get('x-ratelimit-limit'), '240');
    assert.equal(r.headers.get('x-ratelimit-remaining'), '239');
    const row = await unix.proxy.db.prepare('SELECT amount_ore FROM orders WHERE uuid = ?').bind(env.data.uuid).first();
    assert.equal(row?.amount_ore, 5100);
  });

  test('an added callback leaves every other byte, and the order of 12 keyed lines, as sent', async () => {
    const products = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [String(i), { name: `Line ${i}`, productId: `P${i}`, quantity: '1', rate: 10, discount: 0, tax: '0', amount: 10 }]),
    );
    const body = linkBody({ products, orderSummary: { subTotal: '120.00', totalTax: '0.00', totalDiscount: '0.00', grandTotal: '120.00' } });
    delete body.callback;
    const { r, env, text, upstream } = await create(unix, body);
    assert.equal(r.status, 201, JSON.stringify(env));
    // Every member's value as sent (the keyed lines in their order, "10" after "9"); only the
    // callback is added.
    assert.ok(upstream.body.includes(`"products":${JSON.stringify(products)}`), upstream.body);
    assert.deepEqual(JSON.parse(upstream.body), { ...JSON.parse(text), callback: { callbackUrl: 'http://127.0.0.1/callbacks/frontpayment' } });
  });
});

describe('orderDate in the format upstream wants (FRONTPAY_ORDER_DATE_FORMAT)', () => {
  test('dmy: a Unix orderDate reaches upstream as "dd Mon, YYYY"; nothing else changes', async () => {
    const at = nowSecs() + 60;
    const body = linkBody({ orderDate: String(at) });
    delete body.callback;
    const { r, env, upstream } = await create(dmy, body);
    assert.equal(r.status, 201, JSON.stringify(env));
    const seen = JSON.parse(upstream.body);
    assert.match(seen.orderDate, /^\d{2} [A-Z][a-z]{2}, \d{4}$/);
    assert.equal(seen.orderDate, osloDmy(at));
    assert.deepEqual(seen, { ...body, orderDate: osloDmy(at) });
  });

  test('dmy: a dmy orderDate passes unchanged', async () => {
    const body = linkBody({ orderDate: osloDmy(nowSecs() + 86_400) });
    delete body.callback;
    const { r, env, text, upstream } = await create(dmy, body);
    assert.equal(r.status, 201, JSON.stringify(env));
    assert.equal(upstream.body, text);
  });

  test('unix: a dmy orderDate reaches upstream as the Unix time of that Oslo day; a Unix one unchanged', async () => {
    const day = osloDmy(nowSecs() + 86_400);
    const body = linkBody({ orderDate: day });
    const { r, env, upstream } = await create(unix, body);
    assert.equal(r.status, 201, JSON.stringify(env));
    const seen = JSON.parse(upstream.body);
    assert.match(seen.orderDate, /^\d+$/);
    const t = Number(seen.orderDate);
    assert.equal(osloDmy(t), day, 'the same Oslo day');
    assert.notEqual(osloDmy(t - 1), day, 'its first second');
    assert.deepEqual(seen, { ...body, orderDate: seen.orderDate });
    const plain = linkBody();
    const same = await create(unix, plain);
    assert.equal(same.r.status, 201);
    assert.equal(same.upstream.body, same.text);
  });
});

describe('every recorded exchange, replayed through the proxy (dmy)', () => {
  for (const e of liveDemo()) {
    test(`${e.method} ${e.path} → ${e.status} ${e.responseBody.message}`, async () => {
      dmy.upstream.answerWith((r) =>
        r.method === e.method && r.url === e.path ? { status: e.status, body: e.responseBody, headers: e.responseHeaders } : undefined,
      );
      try {
        const from = dmy.upstream.seen.length;
        const init = { method: e.method, headers: { ...dmy.auth } };
        if (e.requestBody != null) {
          init.headers['content-type'] = 'application/json';
          init.body = JSON.stringify(e.requestBody);
        }
        const r = await dmy.proxy.fetch(e.path, init);
        const body = await r.json();
        assert.equal(r.status, e.status, JSON.stringify(body));
        assert.equal(body.status_code, e.responseBody.status_code);
        assert.equal(body.message, e.responseBody.message);
        const reached = dmy.upstream.since(from, e.method, e.path);
        if (e.status === 417) {
          // "5 Dec, 2023" fails `d M, Y`: the proxy refuses it itself, in the live server's words.
          assert.equal(reached.length, 0, 'refused before upstream');
          assert.deepEqual(body.errors, e.responseBody.errors);
          assert.ok('orderDate' in (body.fields ?? {}), JSON.stringify(body.fields));
          for (const key of Object.keys(body.fields)) assert.ok(Array.isArray(body.fields[key]) && body.fields[key].length > 0, key);
        } else {
          assert.equal(reached.length, 1, 'forwarded once');
          assert.deepEqual(body, e.responseBody);
          assert.equal(r.headers.get('x-ratelimit-limit'), e.responseHeaders['x-ratelimit-limit']);
          assert.equal(r.headers.get('x-ratelimit-remaining'), e.responseHeaders['x-ratelimit-remaining']);
        }
      } finally {
        dmy.upstream.answerWith(null);
      }
    });
  }
});

/** A person's read whose answer says how much of the minute is left. */
async function budgetLeft(stack, remaining) {
  stack.upstream.answerWith((r) =>
    r.url === `${API}/status/ODR1999999999` ? { status: 200, body: envelope(200, 'Order Status Retrieved Successfully', { uuid: 'ODR1999999999', status: 'SENT' }), headers: rate(remaining) } : undefined,
  );
  const r = await stack.proxy.fetch(`${API}/status/ODR1999999999`, { headers: stack.auth });
  stack.upstream.answerWith(null);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-ratelimit-remaining'), String(remaining));
}

describe('upstream\'s rate limit', () => {
  test('a 429 reaches the client with Retry-After; the same Idempotency-Key then goes through', async () => {
    const key = `busy-${RUN}`;
    const body = linkBody();
    unix.upstream.answerWith((r) =>
      r.method === 'POST' ? { status: 429, body: { message: 'Too Many Attempts.' }, headers: { 'retry-after': '7', ...rate(0) } } : undefined,
    );
    const first = await create(unix, body, { 'idempotency-key': key });
    unix.upstream.answerWith(null);
    assert.equal(first.r.status, 429);
    assert.equal(first.r.headers.get('retry-after'), '7');
    assert.equal(first.r.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(first.env.status_code, 429);
    assert.equal(first.env.message, 'tooManyRequests');
    assert.equal(first.env.is_error, true);
    const from = unix.upstream.seen.length;
    const again = await create(unix, body, { 'idempotency-key': key });
    assert.equal(again.r.status, 201, JSON.stringify(again.env));
    assert.equal(again.r.headers.get('idempotent-replayed'), null);
    assert.equal(unix.upstream.since(from, 'POST', CREATE).length, 1, 'sent again, once');
  });

  test('a 429 without Retry-After says 60, and a GET is not retried', async () => {
    const path = `${API}/status/ODR1000000009`;
    unix.upstream.answerWith((r) => (r.url === path ? { status: 429, body: '' } : undefined));
    const from = unix.upstream.seen.length;
    const r = await unix.proxy.fetch(path, { headers: unix.auth });
    unix.upstream.answerWith(null);
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '60');
    assert.equal((await r.json()).message, 'tooManyRequests');
    assert.equal(unix.upstream.since(from, 'GET', path).length, 1);
    await budgetLeft(unix, 239);
  });

  test('down to the reserve, background work waits: sync, callbacks and the cron send nothing', async () => {
    const id = 'ODR1000000004';
    await unix.proxy.db
      .prepare("INSERT INTO orders (uuid, status, created_at, updated_at, source) VALUES (?, 'SENT', 0, 0, 'sync')")
      .bind(id)
      .run();
    await budgetLeft(unix, 60);
    const from = unix.upstream.seen.length;
    const sync = await unix.proxy.fetch('/console/sync', { method: 'POST', headers: unix.auth });
    assert.equal(sync.status, 429);
    assert.equal((await sync.json()).message, 'tooManyRequests');
    const wait = Number(sync.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);

    const callbackId = 'ODR1000000005';
    const cb = await unix.proxy.fetch(signedCallback(callbackId, unix.callbackSecret));
    assert.equal(cb.status, 200);
    assert.deepEqual(await cb.json(), { received: true, orderUuid: callbackId, status: null, deferred: true });

    await unix.proxy.scheduled('*/5 * * * *');
    await unix.proxy.scheduled('17 * * * *');
    assert.deepEqual(unix.upstream.seen.slice(from).map((r) => r.url), [], 'nothing sent upstream');
    // The paced callback's order waits on the cron's list.
    const row = await waitFor(() => unix.proxy.db.prepare('SELECT status FROM orders WHERE uuid = ?').bind(callbackId).first());
    assert.equal(row.status, null);

    // A fresh reading with room to spare: the cron reads both.
    await budgetLeft(unix, 200);
    const later = unix.upstream.seen.length;
    await unix.proxy.scheduled('*/5 * * * *');
    const read = unix.upstream.since(later, 'GET').map((r) => r.url);
    for (const uuid of [id, callbackId]) assert.ok(read.includes(`${API}/status/${uuid}`), `${uuid} in ${read}`);
    assert.equal((await unix.proxy.db.prepare('SELECT status FROM orders WHERE uuid = ?').bind(callbackId).first()).status, 'SENT');
  });
});

function signedCallback(id, secret) {
  const now = String(nowSecs());
  const params = [['orderUuid', id], ['status', 'PAID'], ['createdAt', now], ['paymentMethod', 'CARD'], ['amount', '51.00'], ['timestamp', now]];
  const sum = createHash('sha256').update(params.map(([, v]) => v).join('') + secret).digest('hex');
  return `/callbacks/frontpayment?${new URLSearchParams([...params, ['checksum', sum]])}`;
}

async function waitFor(fn, ms = 3000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('an empty status list is a 404 (as recorded)', () => {
  test('sync reports 0 orders, no error; the hourly cron logs none', async () => {
    await budgetLeft(dmy, 239);
    const r = await dmy.proxy.fetch('/console/sync', { method: 'POST', headers: dmy.auth });
    const env = await r.json();
    assert.equal(r.status, 200, JSON.stringify(env));
    assert.equal(env.message, 'ordersSynced');
    assert.deepEqual(env.data, { listed: 0, changed: 0 });
    await dmy.proxy.scheduled('17 * * * *');
    assert.ok(!dmy.proxy.logs().includes('cron sync'), dmy.proxy.logs());
  });

  test('a create of unknown outcome settles against the empty list: sent again', async () => {
    const key = `settle-empty-${RUN}`;
    const body = linkBody({ orderDate: osloDmy(nowSecs() + 86_400) });
    delete body.callback;
    dmy.upstream.answerWith((r) =>
      r.method === 'POST'
        ? { status: 500, body: { status_code: 500, status_message: 'Internal Dependency Error', message: 'internalErrorOccurredPleaseTryAgainLater', is_error: true, errors: null } }
        : undefined,
    );
    const first = await create(dmy, body, { 'idempotency-key': key });
    dmy.upstream.answerWith(null);
    assert.equal(first.r.status, 500);
    const from = dmy.upstream.seen.length;
    const retry = await create(dmy, body, { 'idempotency-key': key });
    assert.equal(retry.r.status, 201, JSON.stringify(retry.env));
    assert.equal(dmy.upstream.since(from, 'GET', `${API}/status`).length, 1, 'the list was read');
    assert.equal(dmy.upstream.since(from, 'POST', CREATE).length, 1, 'sent again');
  });
});

test('the proxy\'s own 417 for a keyed line names the key the client sent', async () => {
  const body = linkBody({ products: { 0: { name: 'Hair Wash', quantity: '1', rate: 51, discount: 0, tax: '10', amount: 51 } } });
  const { r, env, upstream } = await create(unix, body);
  assert.equal(r.status, 417);
  assert.equal(upstream, undefined, 'refused before upstream');
  assert.ok(Array.isArray(env.errors) && env.errors.length > 0, JSON.stringify(env));
  assert.ok('products.0.tax' in env.fields, JSON.stringify(env.fields));
});
