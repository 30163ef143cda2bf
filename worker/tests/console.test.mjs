// Callbacks, the order index, the audit log, the cron, and the console's assets.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { createOrder, json, paymentLink, setup } from './fixtures.mjs';
import { eventually } from './harness.mjs';

let t;
before(async () => {
  t = await setup({ bindings: { PUBLIC_URL: 'http://127.0.0.1' } });
});
after(() => t?.stop());

function signed(params, secret) {
  const sum = createHash('sha256').update(params.map(([, v]) => v).join('') + secret).digest('hex');
  const q = new URLSearchParams([...params, ['checksum', sum]]);
  return `/callbacks/frontpayment?${q}`;
}

async function sandboxStatus(id) {
  return (await (await t.sandbox.api(`/api/v1/connect/orders/status/${id}`)).json()).data.status;
}

async function indexed(id) {
  return t.proxy.db.prepare('SELECT * FROM orders WHERE uuid = ?').bind(id).first();
}

describe('callbacks', () => {
  test('good callback: re-reads upstream, records what upstream says', async () => {
    const id = await createOrder(t);
    await t.sandbox.api(`/_sandbox/orders/${id}/transition`, json({ to: 'PAID' }));
    const now = String(Math.floor(Date.now() / 1000));
    // The callback claims REFUNDED; upstream says PAID: PAID is recorded.
    const url = signed([['orderUuid', id], ['status', 'REFUNDED'], ['createdAt', now], ['paymentMethod', 'CARD'], ['amount', '51.00'], ['timestamp', now]], t.callbackSecret);
    const r = await t.proxy.fetch(url);
    assert.equal(r.status, 200, await r.clone().text());
    assert.equal((await r.json()).status, 'PAID');
    assert.equal((await indexed(id)).status, 'PAID');
    // A duplicate is harmless.
    assert.equal((await t.proxy.fetch(url)).status, 200);
    assert.equal((await t.proxy.db.prepare('SELECT COUNT(*) AS n FROM orders WHERE uuid = ?').bind(id).first()).n, 1);
  });

  test('bad checksum and stale timestamps are refused', async () => {
    const id = await createOrder(t);
    const now = Math.floor(Date.now() / 1000);
    const bad = signed([['orderUuid', id], ['status', 'PAID'], ['timestamp', String(now)]], 'wrong-secret');
    const r = await t.proxy.fetch(bad);
    assert.equal(r.status, 401);
    assert.deepEqual((await r.json()).errors, ['badChecksum']);
    const stale = signed([['orderUuid', id], ['status', 'PAID'], ['timestamp', String(now - 3600)]], t.callbackSecret);
    const s = await t.proxy.fetch(stale);
    assert.equal(s.status, 401);
    assert.deepEqual((await s.json()).errors, ['staleTimestamp']);
    const reordered = new URL(signed([['orderUuid', id], ['status', 'PAID'], ['timestamp', String(now)]], t.callbackSecret), 'http://x');
    const p = [...reordered.searchParams];
    const swapped = `/callbacks/frontpayment?${new URLSearchParams([p[1], p[0], p[2], p[3]])}`;
    assert.equal((await t.proxy.fetch(swapped)).status, 401);
  });

  test('E-Faktura without a callback validates because the proxy adds its own', async () => {
    const body = paymentLink({ customerDetails: { ...paymentLink().customerDetails, personalNumber: '01010012356' } });
    delete body.sendOrderBy;
    delete body.invoiceAsPaymentOption;
    body.invoiceMaturity = 10;
    body.invoiceFeeApplicable = true;
    const r = await t.proxy.fetch('/api/v1/connect/orders/faktura/create', json(body, t.auth('clerk')));
    assert.equal(r.status, 201, await r.clone().text());
  });
});

describe('order index and audit', () => {
  test('creates are indexed with their details; search, filter, paging', async () => {
    const names = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'];
    const ids = [];
    for (const [i, name] of names.entries()) {
      ids.push(await createOrder(t, { referenceNo: `IDX-${i}`, customerDetails: { ...paymentLink().customerDetails, name, email: `${name.split(' ')[0].toLowerCase()}@example.com` } }));
    }
    const get = async (q) => {
      const r = await t.proxy.fetch(`/console/orders?${q}`, { headers: t.auth('viewer') });
      assert.equal(r.status, 200);
      return (await r.json()).data;
    };
    const row = (await get('q=turing')).items;
    assert.equal(row.length, 1);
    assert.equal(row[0].uuid, ids[1]);
    assert.equal(row[0].customerName, 'Alan Turing');
    assert.equal(row[0].amountOre, 5100);
    assert.equal(row[0].createdBy, 'key:admin-key');
    assert.equal((await get('q=grace@')).items[0].uuid, ids[2]);
    assert.equal((await get('q=idx-4')).items[0].uuid, ids[4]);
    assert.equal((await get(`q=${ids[3]}`)).items[0].uuid, ids[3]);
    // Paging: 2 per page over everything, newest first, no repeats.
    const seen = new Set();
    let cursor = '';
    let pages = 0;
    for (;;) {
      const page = await get(`limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const it of page.items) {
        assert.ok(!seen.has(it.uuid));
        seen.add(it.uuid);
      }
      pages++;
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    for (const id of ids) assert.ok(seen.has(id));
    assert.ok(pages >= 3);
    const all = await get('');
    assert.equal(all.total, Object.values(all.counts).reduce((a, b) => a + b, 0));
    assert.equal((await (await t.proxy.fetch('/console/orders?limit=0', { headers: t.auth('viewer') })).json()).status_code, 400);
  });

  test('status reads and the cron keep statuses fresh; sync merges unknown orders', async () => {
    const id = await createOrder(t);
    await eventually(async () => (await indexed(id))?.status);
    await t.sandbox.api(`/_sandbox/orders/${id}/transition`, json({ to: 'PAID' }));
    await t.proxy.scheduled('*/5 * * * *');
    assert.equal((await indexed(id)).status, await sandboxStatus(id));
    // An order made directly at the sandbox (not through the proxy) appears after a sync.
    const direct = await t.sandbox.api('/api/v1/connect/orders/payment-link/create', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(paymentLink()) });
    const uuid = (await direct.json()).data.uuid;
    assert.equal(await indexed(uuid), null);
    const s = await t.proxy.fetch('/console/sync', { method: 'POST', headers: t.auth('clerk') });
    assert.equal(s.status, 200);
    const row = await indexed(uuid);
    assert.equal(row.source, 'sync');
    assert.equal(row.status, 'SENT');
    await t.proxy.scheduled('17 * * * *');
  });

  test('every write is audited: who, role, endpoint, order, amount, result, key', async () => {
    const id = await createOrder(t);
    await t.proxy.fetch(`/api/v1/connect/orders/cancel/${id}`, json({ cancellationNote: 'oops' }, { ...t.auth('admin'), 'idempotency-key': 'audit-1' }));
    await t.proxy.fetch(`/api/v1/connect/orders/cancel/${id}`, json({}, t.auth('clerk')));
    // Audit rows are written after the answer: wait for the three of them.
    const items = await eventually(async () => {
      const r = await t.proxy.fetch(`/console/audit?order=${id}`, { headers: t.auth('viewer') });
      const its = (await r.json()).data.items;
      return its.length >= 3 ? its : null;
    });
    const cancel = items.find((i) => i.action === 'cancelOrder' && i.status === 202);
    assert.ok(cancel, JSON.stringify(items));
    assert.equal(cancel.actor, 'key:admin-key');
    assert.equal(cancel.role, 'admin');
    assert.equal(cancel.idempotencyKey, 'audit-1');
    assert.equal(cancel.message, 'cancelledOrderSuccessfully');
    assert.ok(items.some((i) => i.status === 403 && i.role === 'clerk'));
    const create = items.find((i) => i.action === 'createPaymentLink');
    assert.equal(create.amountOre, 5100);
    const byUser = await (await t.proxy.fetch('/console/audit?user=key:clerk-key&action=cancelOrder', { headers: t.auth('viewer') })).json();
    assert.ok(byUser.data.items.every((i) => i.actor === 'key:clerk-key' && i.action === 'cancelOrder'));
  });
});

describe('order index: amount sort, broad searches, timeline rows', () => {
  const get = async (q) => {
    const r = await t.proxy.fetch(`/console/orders?${q}`, { headers: t.auth('viewer') });
    assert.equal(r.status, 200, await r.clone().text());
    return (await r.json()).data;
  };

  test('sort by amount pages through every order once, in amount order', async () => {
    const tag = `amt${Date.now()}`;
    for (const rate of [30, 10, 20, 10]) {
      const line = { name: 'X', productId: 'X', quantity: '1', rate, discount: 0, tax: '0', amount: rate };
      const sum = rate.toFixed(2);
      await createOrder(t, {
        products: [line],
        orderSummary: { subTotal: sum, totalTax: '0.00', totalDiscount: '0.00', grandTotal: sum },
        customerDetails: { ...paymentLink().customerDetails, name: `${tag} Buyer` },
      });
    }
    const amounts = [];
    let cursor = '';
    for (;;) {
      const page = await get(`q=${tag}&sort=amount&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      amounts.push(...page.items.map((i) => i.amountOre));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    assert.deepEqual(amounts, [1000, 1000, 2000, 3000]);
    assert.deepEqual((await get(`q=${tag}&sort=-amount`)).items.map((i) => i.amountOre), [3000, 2000, 1000, 1000]);
  });

  test('a search matching more than 1,000 orders says "many" and still pages newest first', async () => {
    const stamp = Date.now();
    await t.proxy.db.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < 1200)
       INSERT INTO orders (uuid, customer_name, name_lc, last_lc, amount_ore, created_at, status, updated_at, source)
       SELECT printf('ODR%010d', 5000000000 + i), 'Broad Match', 'broad match', 'match', 100, ?1 + i, 'SENT', ?1 + i, 'proxy' FROM seq`,
    ).bind(stamp).run();
    const page = await get('q=broad&limit=5');
    assert.equal(page.countsCapped, true);
    assert.equal(page.total, 1000);
    assert.deepEqual(page.counts, {});
    assert.deepEqual(page.items.map((i) => i.uuid), [4, 3, 2, 1, 0].map((k) => `ODR${5000000000 + 1195 + k}`));
    const narrow = await get('q=broad match&limit=5');
    assert.equal(narrow.countsCapped, true);
    const none = await get('q=nobody-matches-this');
    assert.equal(none.countsCapped, false);
    assert.equal(none.total, 0);
  });

  test('callbacks and refund lines land in the audit log for the timeline', async () => {
    const id = await createOrder(t);
    await t.sandbox.api(`/_sandbox/orders/${id}/transition`, json({ to: 'PAID' }));
    const now = String(Math.floor(Date.now() / 1000));
    const url = signed([['orderUuid', id], ['status', 'PAID'], ['timestamp', now]], t.callbackSecret);
    assert.equal((await t.proxy.fetch(url)).status, 200);
    const details = await (await t.proxy.fetch(`/api/v1/connect/orders/details/${id}`, { headers: t.auth('viewer') })).json();
    const lineId = details.data.productList[0].id;
    const refund = { type: 'regular', grandTotal: '20.00', products: [{ id: lineId, amount: '20.00' }] };
    const r = await t.proxy.fetch(`/api/v1/connect/orders/refund/${id}`, json(refund, { ...t.auth('admin'), 'idempotency-key': `rl-${id}` }));
    assert.equal(r.status, 202, await r.clone().text());
    const items = await eventually(async () => {
      const a = await t.proxy.fetch(`/console/audit?order=${id}`, { headers: t.auth('viewer') });
      const its = (await a.json()).data.items;
      return its.some((i) => i.action === 'refundOrder') && its.some((i) => i.action === 'callback') ? its : null;
    });
    const cb = items.find((i) => i.action === 'callback');
    assert.deepEqual([cb.actor, cb.role, cb.message, cb.status], ['callback', 'system', 'PAID', 200]);
    const refunded = items.find((i) => i.action === 'refundOrder');
    assert.deepEqual(JSON.parse(refunded.detail), { [lineId]: 2000 });
    assert.equal(refunded.amountOre, 2000);
  });
});

describe('console assets', () => {
  test('index.html with a CSP that hashes its inline loader', async () => {
    const r = await t.proxy.fetch('/');
    assert.equal(r.status, 200);
    const html = await r.text();
    const csp = r.headers.get('content-security-policy');
    // trunk's page writes `type=module`, the split release build's `type="module"`.
    const inline = html.match(/<script type="?module"?>([\s\S]*?)<\/script>/)[1];
    const hash = createHash('sha256').update(inline).digest('base64');
    assert.ok(csp.includes(`'sha256-${hash}'`), csp);
    assert.ok(!/script-src[^;]*unsafe-inline/.test(csp));
    assert.ok(csp.includes("frame-ancestors 'none'"));
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  });
  test('a revalidated page (304) does not replace the stored CSP with a hashless one', async () => {
    // Regression: the 304 to a browser's If-None-Match had no body to hash, so it carried
    // `script-src 'self' 'wasm-unsafe-eval'`; the browser merged that into its cached page and
    // blocked trunk's inline loader: a blank console on every second visit.
    for (const path of ['/', '/orders/new']) {
      const first = await t.proxy.fetch(path);
      await first.arrayBuffer();
      const etag = first.headers.get('etag');
      assert.ok(etag, `${path}: assets answer with an ETag`);
      const again = await t.proxy.fetch(path, { headers: { 'if-none-match': etag } });
      await again.arrayBuffer();
      assert.equal(again.status, 304, path);
      assert.equal(again.headers.get('content-security-policy'), null, path);
      assert.equal(again.headers.get('x-content-type-options'), 'nosniff', path);
    }
  });
  test('SPA fallback, and API paths never fall through to index.html', async () => {
    const r = await t.proxy.fetch('/orders/ODR1000000001');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /html/);
    const api = await t.proxy.fetch('/api/v1/whatever', { headers: t.auth('admin') });
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type'), /json/);
  });
});
