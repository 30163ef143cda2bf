// Item 2: load with faults. The sandbox injects a random fault into 10 % of API calls
// (`--fault-rate 0.1`: 500 before/after the commit, 510, timeout, drop, slow, badjson); 50
// clients send 1,000 creates through the proxy, each retrying with its Idempotency-Key until it
// gets a definitive answer. Then 200 concurrent partial refunds on one order, the same way.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { allPages, figures, fixtures, miniflareStack, pool, sleep, untilSettled } from '../support/reliability.mjs';

const { json, paymentLink } = await fixtures();

const ORDERS = Number(process.env.RELIABILITY_LOAD_ORDERS ?? 1000);
const CLIENTS = 50;
const REFUNDS = 200;
const RUN = Date.now().toString(36);

let t;
before(async () => {
  t = await miniflareStack({
    sandboxArgs: ['--fault-rate', '0.1', '--fault-timeout-secs', '1'],
    // Above the sandbox's slowest `slow` fault (2 s): a slow write is answered, not cut off.
    bindings: { UPSTREAM_TIMEOUT_MS: '3000' },
  });
});
after(() => t?.stop());

const admin = (extra = {}) => ({ ...t.auth('admin'), ...extra });

/** A read straight from the sandbox, retried through its own random faults. */
async function upstream(path) {
  for (let i = 0; ; i++) {
    try {
      const r = await t.sandbox.api(path);
      if (r.status === 200) return (await r.json()).data;
    } catch {}
    if (i > 50) throw new Error(`sandbox ${path} kept failing`);
    await sleep(20);
  }
}

async function proxyJson(path) {
  for (let i = 0; ; i++) {
    const r = await t.proxy.fetch(path, { headers: admin() });
    if (r.status === 200) return r.json();
    if (i > 20) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    await sleep(50);
  }
}

test(`${ORDERS} creates from ${CLIENTS} clients with 10 % upstream faults: exactly ${ORDERS} orders`, async () => {
  const started = Date.now();
  const statusCounts = {};
  const results = await pool(ORDERS, CLIENTS, async (i) => {
    const key = `load-${RUN}-${i}`;
    const body = paymentLink({
      referenceNo: `L-${i}`,
      customerDetails: { ...paymentLink().customerDetails, name: `Last Kunde ${i}`, email: `kunde${i}@example.com` },
    });
    const out = await untilSettled(
      () => t.proxy.fetch('/api/v1/connect/orders/payment-link/create', json(body, admin({ 'idempotency-key': key }))),
      { maxAttempts: 80, delayMs: 20 },
    );
    for (const s of out.statuses) statusCounts[s] = (statusCounts[s] ?? 0) + 1;
    return out;
  });
  const wall = Date.now() - started;
  const failed = results.filter((r) => r.response.status !== 201);
  assert.deepEqual(failed.map((r) => [r.statuses, r.body]), [], 'every client ends with 201');
  const uuids = results.map((r) => r.body.data.uuid);
  const unique = new Set(uuids);
  const upstreamOrders = await upstream('/api/v1/connect/orders/status');
  const upstreamIds = new Set(upstreamOrders.map((o) => o.uuid));
  const index = await allPages((p) => proxyJson(p), '/console/orders');
  const indexIds = index.items.map((o) => o.uuid);
  const requests = results.reduce((n, r) => n + r.attempts, 0);
  const faultAnswers = Object.entries(statusCounts).filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0);
  figures('load creates', {
    clients: CLIENTS,
    orders: ORDERS,
    requests,
    retries: requests - ORDERS,
    faultAnswers,
    statuses: JSON.stringify(statusCounts),
    sandboxOrders: upstreamOrders.length,
    indexTotal: index.total,
    indexRows: indexIds.length,
    wallMs: wall,
    perSecond: Math.round((requests * 1000) / wall),
  });
  assert.equal(unique.size, ORDERS, 'no client got another client\'s order');
  assert.equal(upstreamOrders.length, ORDERS, 'exactly one order per client in the sandbox');
  assert.equal(upstreamIds.size, ORDERS);
  for (const id of unique) assert.ok(upstreamIds.has(id), `${id} missing upstream`);
  assert.equal(index.total, ORDERS, 'order index total');
  assert.equal(indexIds.length, ORDERS, 'order index rows');
  assert.equal(new Set(indexIds).size, ORDERS, 'no index row twice');
  for (const id of indexIds) assert.ok(unique.has(id), `${id} in the index but no client got it`);
  assert.ok(faultAnswers > 0, 'faults were injected');
});

test(`${REFUNDS} concurrent partial refunds on one order: never more than the order amount`, async () => {
  // One order of 1,000.00 kr; 200 refunds of 7.00 kr ask for 1,400.00 in all.
  const line = { name: 'Stor jobb', productId: 'BIG', quantity: '1', rate: 1000, discount: 0, tax: '0', amount: 1000 };
  const body = paymentLink({
    products: [line],
    orderSummary: { subTotal: '1000.00', totalTax: '0.00', totalDiscount: '0.00', grandTotal: '1000.00' },
    customerDetails: { ...paymentLink().customerDetails, name: 'Refund Kunde' },
  });
  const created = await untilSettled(() =>
    t.proxy.fetch('/api/v1/connect/orders/payment-link/create', json(body, admin({ 'idempotency-key': `refund-order-${RUN}` }))),
  );
  assert.equal(created.response.status, 201, JSON.stringify(created.body));
  const id = created.body.data.uuid;
  const moved = await t.sandbox.api(`/_sandbox/orders/${id}/transition`, json({ to: 'PAID' }));
  assert.equal(moved.status, 200);
  const productId = (await upstream(`/api/v1/connect/orders/details/${id}`)).productList[0].id;

  const started = Date.now();
  const statusCounts = {};
  const results = await pool(REFUNDS, REFUNDS, async (i) => {
    const refund = { type: 'regular', grandTotal: 7, products: [{ id: productId, amount: 7 }] };
    const out = await untilSettled(
      () => t.proxy.fetch(`/api/v1/connect/orders/refund/${id}`, json(refund, admin({ 'idempotency-key': `refund-${RUN}-${i}` }))),
      // The proxy runs one keyed refund of an order at a time: the others wait (409 in flight).
      { maxAttempts: 400, delayMs: 20, maxDelayMs: 1000 },
    );
    for (const s of out.statuses) statusCounts[s] = (statusCounts[s] ?? 0) + 1;
    return out;
  });
  const wall = Date.now() - started;
  const status = await upstream(`/api/v1/connect/orders/status/${id}`);
  const refunded = Math.round(Number(status.refundedAmount) * 100);
  const ok = results.filter((r) => r.response.status >= 200 && r.response.status < 300);
  const refused = results.filter((r) => r.response.status === 400);
  const unresolved = results.filter((r) => r.response.status === 409 && r.body.message === 'idempotencyOutcomeUnknown');
  const other = results.filter((r) => ![200, 201, 202, 400].includes(r.response.status) && !unresolved.includes(r));
  const requests = results.reduce((n, r) => n + r.attempts, 0);
  figures('load refunds', {
    refunds: REFUNDS,
    requests,
    retries: requests - REFUNDS,
    statuses: JSON.stringify(statusCounts),
    acknowledged: ok.length,
    refused: refused.length,
    unresolved409: unresolved.length,
    refundedKr: refunded / 100,
    orderKr: 1000,
    finalStatus: status.status,
    wallMs: wall,
  });
  assert.deepEqual(other.map((r) => [r.statuses, r.body]), [], 'every client finishes: 2xx, 400 (rules) or 409 idempotencyOutcomeUnknown');
  assert.ok(refunded <= 100_000, `refunded ${refunded / 100} kr of a 1000 kr order`);
  for (const r of refused) assert.match(r.body.message, /^refundRejection/, JSON.stringify(r.body));
  // Every acknowledged refund happened exactly once: acknowledged × 7 kr is what was refunded
  // (a 409 is "a person checks": it may or may not have happened).
  assert.ok(ok.length * 700 <= refunded, `acknowledged ${ok.length} × 7 kr but only ${refunded / 100} kr refunded`);
  assert.ok(refunded <= (ok.length + unresolved.length) * 700, `refunded ${refunded / 100} kr but only ${ok.length} acknowledged (+${unresolved.length} unresolved)`);
});
