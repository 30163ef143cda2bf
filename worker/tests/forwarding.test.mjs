// Checks before upstream, idempotency, the contract cases, upstream faults, the token.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { contractCases, createOrder, json, paymentLink, setup } from './fixtures.mjs';

let t;
before(async () => {
  // No PUBLIC_URL here: the contract cases must behave exactly as against the sandbox.
  t = await setup();
});
after(async () => {
  if (t) {
    const logs = t.proxy.logs();
    await t.stop();
    // Nothing the proxy logged may contain the upstream token.
    assert.ok(!logs.includes(t.token), 'token in the worker logs');
  }
});

const CREATE = '/api/v1/connect/orders/payment-link/create';

describe('contract cases through the proxy (admin key) answer as the sandbox does', () => {
  for (const c of contractCases()) {
    test(c.name, async () => {
      const init = { method: c.method, headers: { 'content-type': 'application/json', ...t.auth('admin') } };
      if (c.body != null) init.body = JSON.stringify(c.body);
      const r = await t.proxy.fetch(c.path, init);
      const body = await r.json();
      assert.equal(r.status, c.expect.status, JSON.stringify(body));
      assert.equal(body.message, c.expect.message);
      if (c.expect.status === 417) {
        // The live server's sentences, and the proxy's own keyed detail naming each field.
        assert.ok(Array.isArray(body.errors) && body.errors.every((e) => typeof e === 'string'), JSON.stringify(body));
        for (const key of c.expect.errorKeys ?? []) assert.ok(key in (body.fields ?? {}), `${key} in ${JSON.stringify(body.fields)}`);
      }
      // And the sandbox itself agrees.
      const direct = await t.sandbox.api(c.path, { method: c.method, headers: { 'content-type': 'application/json' }, body: init.body });
      assert.equal(direct.status, c.expect.status);
    });
  }
});

describe('validation refusals never reach upstream', () => {
  const refusals = [
    ['totals that do not add up', paymentLink({ orderSummary: { subTotal: '51.00', totalTax: '0.00', totalDiscount: '0.00', grandTotal: '52.00' } }), 'orderSummary.grandTotal'],
    ['tax 10', paymentLink({ products: [{ name: 'x', quantity: '1', rate: 51, tax: '10', amount: 51 }] }), 'products.0.tax'],
    ['no name', paymentLink({ customerDetails: { type: 'private', email: 'a@b.no', address: { street: 's', zip: '4313', city: 'c', country: 'NO' } } }), 'customerDetails.name'],
  ];
  for (const [name, body, key] of refusals) {
    test(name, async () => {
      const before = await t.upstreamCount();
      const r = await t.proxy.fetch(CREATE, json(body, t.auth('clerk')));
      const env = await r.json();
      assert.equal(r.status, 417);
      assert.equal(env.message, 'payloadValidationErrors');
      assert.ok(Array.isArray(env.errors), JSON.stringify(env));
      assert.ok(key in env.fields, JSON.stringify(env.fields));
      assert.equal(await t.upstreamCount(), before);
    });
  }
  test('malformed JSON is 422, a non-JSON content type 415', async () => {
    const before = await t.upstreamCount();
    const r = await t.proxy.fetch(CREATE, { method: 'POST', headers: { 'content-type': 'application/json', ...t.auth('clerk') }, body: '{"products": [' });
    assert.equal(r.status, 422);
    const r2 = await t.proxy.fetch(CREATE, { method: 'POST', headers: { 'content-type': 'text/plain', ...t.auth('clerk') }, body: '{}' });
    assert.equal(r2.status, 415);
    assert.equal(await t.upstreamCount(), before);
  });
  test('cancel without a note, refund with a bad total', async () => {
    const id = await createOrder(t);
    const r = await t.proxy.fetch(`/api/v1/connect/orders/cancel/${id}`, json({}, t.auth('admin')));
    assert.equal(r.status, 417);
    assert.ok('cancellationNote' in (await r.json()).fields);
    const r2 = await t.proxy.fetch(`/api/v1/connect/orders/refund/${id}`, json({ type: 'regular', grandTotal: 10, products: [{ id: 1, amount: 5 }] }, t.auth('admin')));
    assert.equal(r2.status, 417);
  });
});

describe('idempotency', () => {
  test('a retry replays the first answer; one order upstream', async () => {
    const before = await t.upstreamCount();
    const body = paymentLink();
    const h2 = { ...t.auth('clerk'), 'idempotency-key': 'replay-2' };
    const x = await t.proxy.fetch(CREATE, json(body, h2));
    const y = await t.proxy.fetch(CREATE, json(body, h2));
    assert.equal(y.status, x.status);
    assert.equal(y.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await y.json(), await x.json());
    assert.equal(await t.upstreamCount(), before + 1);
  });

  test('same key, different body: 422; keys are per principal', async () => {
    const h = { ...t.auth('clerk'), 'idempotency-key': 'mismatch-1' };
    assert.equal((await t.proxy.fetch(CREATE, json(paymentLink({ referenceNo: 'A' }), h))).status, 201);
    const r = await t.proxy.fetch(CREATE, json(paymentLink({ referenceNo: 'B' }), h));
    assert.equal(r.status, 422);
    assert.equal((await r.json()).message, 'idempotencyKeyReused');
    // Another principal may use the same key for its own request.
    const other = await t.proxy.fetch(CREATE, json(paymentLink({ referenceNo: 'B' }), { ...t.auth('admin'), 'idempotency-key': 'mismatch-1' }));
    assert.equal(other.status, 201);
  });

  test('a concurrent duplicate while the first is in flight: 409', async () => {
    const body = paymentLink({ referenceNo: 'slow' });
    const h = { ...t.auth('admin'), 'idempotency-key': 'concurrent-1' };
    const first = t.proxy.fetch(CREATE, json(body, { ...h, 'x-sandbox-fault': 'slow=600' }));
    await new Promise((r) => setTimeout(r, 150));
    const dup = await t.proxy.fetch(CREATE, json(body, h));
    assert.equal(dup.status, 409);
    assert.equal((await dup.json()).message, 'idempotencyRequestInFlight');
    assert.equal((await first).status, 201);
    const again = await t.proxy.fetch(CREATE, json(body, h));
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
  });

  test('unknown outcome (500 after commit): the retry adopts the order, no duplicate', async () => {
    const before = await t.upstreamCount();
    const body = paymentLink({ referenceNo: 'unknown-1', customerDetails: { ...paymentLink().customerDetails, name: 'Unik Kunde' } });
    const h = { ...t.auth('admin'), 'idempotency-key': 'unknown-1' };
    const first = await t.proxy.fetch(CREATE, json(body, { ...h, 'x-sandbox-fault': '500' }));
    assert.equal(first.status, 500);
    assert.equal(await t.upstreamCount(), before + 1, 'the sandbox committed it');
    const retry = await t.proxy.fetch(CREATE, json(body, h));
    const env = await retry.json();
    assert.equal(retry.status, 201, JSON.stringify(env));
    assert.match(env.data.uuid, /^ODR/);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.equal(await t.upstreamCount(), before + 1, 'no second order');
  });

  test('unknown outcome where nothing happened (510, drop): the retry sends again', async () => {
    for (const fault of ['510', 'drop']) {
      const before = await t.upstreamCount();
      const body = paymentLink({ referenceNo: `nd-${fault}`, customerDetails: { ...paymentLink().customerDetails, name: `Nobody ${fault}` } });
      const h = { ...t.auth('admin'), 'idempotency-key': `not-done-${fault}` };
      const first = await t.proxy.fetch(CREATE, json(body, { ...h, 'x-sandbox-fault': fault }));
      assert.ok(first.status >= 500, `${fault}: ${first.status}`);
      assert.equal(await t.upstreamCount(), before);
      const retry = await t.proxy.fetch(CREATE, json(body, h));
      assert.equal(retry.status, 201, fault);
      assert.equal(await t.upstreamCount(), before + 1);
    }
  });

  test('cancel with an unknown outcome settles by status', async () => {
    const id = await createOrder(t);
    const h = { ...t.auth('admin'), 'idempotency-key': 'cancel-unknown' };
    const body = { cancellationNote: 'customer asked' };
    const first = await t.proxy.fetch(`/api/v1/connect/orders/cancel/${id}`, json(body, { ...h, 'x-sandbox-fault': '500' }));
    assert.equal(first.status, 500);
    const retry = await t.proxy.fetch(`/api/v1/connect/orders/cancel/${id}`, json(body, h));
    assert.equal(retry.status, 202);
    assert.equal((await retry.json()).message, 'cancelledOrderSuccessfully');
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  });

  test('a bad key is 400', async () => {
    const r = await t.proxy.fetch(CREATE, json(paymentLink(), { ...t.auth('admin'), 'idempotency-key': 'x'.repeat(300) }));
    assert.equal(r.status, 400);
  });
});

describe('upstream faults', () => {
  const status = async (fault, method = 'GET') => {
    const id = await createOrder(t);
    const path = method === 'GET' ? `/api/v1/connect/orders/status/${id}` : `/api/v1/connect/orders/resend/${id}`;
    const init = method === 'GET' ? { headers: { ...t.auth('admin'), 'x-sandbox-fault': fault } } : json({ email: 'a@b.no' }, { ...t.auth('admin'), 'x-sandbox-fault': fault });
    const started = Date.now();
    const r = await t.proxy.fetch(path, init);
    return { r, body: await r.text(), ms: Date.now() - started };
  };
  test('500 passes the envelope through', async () => {
    const { r, body } = await status('500');
    assert.equal(r.status, 500);
    assert.equal(JSON.parse(body).message, 'internalErrorOccurredPleaseTryAgainLater');
  });
  test('510 passes the envelope through', async () => {
    const { r } = await status('510', 'POST');
    assert.equal(r.status, 510);
  });
  test('timeout is 504 (GET retried twice)', async () => {
    const { r, body, ms } = await status('timeout');
    assert.equal(r.status, 504);
    assert.equal(JSON.parse(body).message, 'upstreamTimeout');
    assert.ok(ms >= 3000, `3 attempts of 1 s, took ${ms}`);
  });
  test('POST timeout is 504 after one attempt', async () => {
    const { r, ms } = await status('timeout', 'POST');
    assert.equal(r.status, 504);
    assert.ok(ms < 2500, `one attempt, took ${ms}`);
  });
  test('drop is 502', async () => {
    const { r, body } = await status('drop');
    assert.equal(r.status, 502);
    assert.equal(JSON.parse(body).message, 'upstreamBadResponse');
  });
  test('slow under the timeout passes', async () => {
    const { r, ms } = await status('slow=300');
    assert.equal(r.status, 200);
    assert.ok(ms >= 300);
  });
  test('badjson is 502', async () => {
    const { r, body } = await status('badjson');
    assert.equal(r.status, 502);
    assert.equal(JSON.parse(body).message, 'upstreamBadResponse');
  });
  test('the fault header is not forwarded without SANDBOX_CONTROLS', async () => {
    const { setup: s } = await import('./fixtures.mjs');
    const t2 = await s({ bindings: { SANDBOX_CONTROLS: 'false' } });
    try {
      // No fault: the empty account's list is answered as recorded (404 `Order Not Found`), not 500.
      const r = await t2.proxy.fetch('/api/v1/connect/orders/status', { headers: { ...t2.auth('admin'), 'x-sandbox-fault': '500' } });
      assert.equal(r.status, 404);
      assert.equal((await r.json()).message, 'Order Not Found');
      const sb = await t2.proxy.fetch('/_sandbox/clock', { headers: t2.auth('admin') });
      assert.equal(sb.status, 404);
    } finally {
      await t2.stop();
    }
  });
});

test('sandbox controls: admins only', async () => {
  assert.equal((await t.proxy.fetch('/_sandbox/clock', { headers: t.auth('clerk') })).status, 403);
  const r = await t.proxy.fetch('/_sandbox/clock', { headers: t.auth('admin') });
  assert.equal(r.status, 200);
});

test('no response carries the token', async () => {
  const id = await createOrder(t);
  const paths = [
    ['GET', `/api/v1/connect/orders/details/${id}`],
    ['GET', '/api/v1/connect/orders/status'],
    ['GET', '/api/v1/connect/orders/status/ODR1000000001'],
    ['GET', '/_sandbox/clock'],
    ['GET', '/health'],
    ['GET', '/console/orders'],
  ];
  for (const [method, path] of paths) {
    for (const fault of [undefined, '500', 'badjson']) {
      const headers = { ...t.auth('admin'), ...(fault ? { 'x-sandbox-fault': fault } : {}) };
      const r = await t.proxy.fetch(path, { method, headers });
      const text = await r.text();
      assert.ok(!text.includes(t.token), `${path} ${fault}`);
      for (const [k, v] of r.headers) assert.ok(!v.includes(t.token), `${path} header ${k}`);
    }
  }
});
