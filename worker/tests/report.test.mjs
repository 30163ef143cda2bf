// The overview and the VAT report (issue 20): routes × roles, refused periods, and the figures of
// a few orders created through the proxy, paid, refunded (through Frontdesk and elsewhere),
// reminded and sent to debt collection at the sandbox; the orders list's date, overdue and
// outstanding filters that the overview's figures link to.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { corporateInvoice, createOrder, customer, json, ROLES, setup } from './fixtures.mjs';
import { eventually } from './harness.mjs';

let t;
before(async () => {
  t = await setup();
});
after(() => t?.stop());

const DAY = 86_400_000;
/** `YYYY-MM-DD` of `ms` in Oslo. */
const osloDay = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date(ms));

async function get(path, role = 'viewer') {
  const r = await t.proxy.fetch(path, { headers: t.auth(role) });
  return { status: r.status, body: await r.json() };
}

const indexed = (id) => t.proxy.db.prepare('SELECT * FROM orders WHERE uuid = ?').bind(id).first();

/** Wait until the index holds `id` in `status` (the proxy re-reads after each write). */
async function settled(id, status) {
  const row = await eventually(async () => {
    const r = await indexed(id);
    return r?.status === status ? r : null;
  });
  assert.ok(row, `${id} indexed as ${status}: ${JSON.stringify(await indexed(id))}`);
  return row;
}

/** Move an order at the sandbox, then let the proxy read its status. */
async function move(id, to) {
  const r = await t.sandbox.api(`/_sandbox/orders/${id}/transition`, json({ to }));
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal((await get(`/api/v1/connect/orders/status/${id}`)).status, 200);
  return settled(id, to);
}

/** An invoice dated `daysAgo` days back, due `maturity` days after. */
async function invoice(daysAgo, maturity) {
  const body = corporateInvoice('Fjord AS', {
    products: [{ name: 'Hair Wash', quantity: '1', rate: 51, discount: 0, tax: '25', amount: 51 }],
    orderSummary: { subTotal: '40.80', totalTax: '10.20', totalDiscount: '0.00', grandTotal: '51.00' },
    orderDate: String(Math.floor(Date.now() / 1000) - daysAgo * 86_400),
    invoiceMaturity: maturity,
  });
  const r = await t.proxy.fetch('/api/v1/connect/orders/invoice/create', json(body, t.auth('clerk')));
  assert.equal(r.status, 201, await r.clone().text());
  const id = (await r.json()).data.uuid;
  await settled(id, 'INVOICED');
  return id;
}

const now = Date.now();
const period = `from=${osloDay(now - DAY)}&to=${osloDay(now + DAY)}`;
const orders = {};

describe('routes', () => {
  test('every role reads both; signed out is refused', async () => {
    const cookie = await t.login('viewer');
    for (const path of [`/console/overview?${period}`, `/console/vat?${period}`, `/console/vat?${period}&basis=paymentDate`]) {
      for (const role of ROLES) {
        const r = await get(path, role);
        assert.equal(r.status, 200, `${role} ${path}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.message, 'reportRetrievedSuccessfully');
      }
      assert.equal((await t.proxy.fetch(path, { headers: { cookie } })).status, 200);
      const anonymous = await t.proxy.fetch(path);
      assert.equal(anonymous.status, 401);
      assert.equal((await t.proxy.fetch(path, { method: 'POST', headers: t.auth('admin') })).status, 405);
    }
  });

  test('a bad, missing, reversed or too long period is a 400 naming it', async () => {
    const cases = [
      ['from=2024-02-30&to=2024-03-01', 'from'],
      ['from=2024-03-01', 'to'],
      ['to=2024-03-01', 'from'],
      ['from=1.3.2024&to=2024-03-31', 'from'],
      ['from=2024-03-02&to=2024-03-01', 'period'],
      ['from=2023-01-01&to=2024-01-02', 'period'],
    ];
    for (const route of ['overview', 'vat']) {
      for (const [query, param] of cases) {
        const r = await get(`/console/${route}?${query}`);
        assert.equal(r.status, 400, `${route}?${query}`);
        assert.equal(r.body.message, 'invalidQueryParameter');
        assert.deepEqual(r.body.errors, [param], `${route}?${query}`);
      }
    }
    const r = await get(`/console/vat?${period}&basis=invoiceDate`);
    assert.deepEqual([r.status, r.body.errors], [400, ['basis']]);
    // A whole year (2024 has 366 days) is fine.
    assert.equal((await get('/console/vat?from=2024-01-01&to=2024-12-31')).status, 200);
  });
});

describe('figures', () => {
  before(async () => {
    // A: 1 000.00 at 25 % less 100.00 (VAT 180.00) and 2 × 50.00 at 15 % (VAT 13.04); paid, then
    // 200.00 of the 25 % line refunded through Frontdesk (VAT 40.00 back).
    orders.a = await createOrder(t, {
      products: [
        { name: 'Coat', productId: 'C-1', quantity: '1', rate: 1000, discount: 100, tax: '25', amount: 900 },
        { name: 'Soap', quantity: '2', rate: 50, discount: 0, tax: '15', amount: 100 },
      ],
      orderSummary: { subTotal: '886.96', totalTax: '193.04', totalDiscount: '100.00', grandTotal: '1000.00' },
    });
    // B: 300.00 at 12 % (VAT 32.14) for another customer; paid.
    orders.b = await createOrder(t, {
      products: [{ name: 'Dinner', quantity: '1', rate: 300, discount: 0, tax: '12', amount: 300 }],
      orderSummary: { subTotal: '267.86', totalTax: '32.14', totalDiscount: '0.00', grandTotal: '300.00' },
      customerDetails: customer({ name: 'Ola Nordmann', email: 'ola@example.com' }),
    });
    // C: 51.00 at 0 %, not paid (owed since today).
    orders.c = await createOrder(t);
    // E: 100.00 at 25 % and 100.00 at 0 %; paid, 50.00 refunded at the sandbox (not through
    // Frontdesk): split by amount, 25.00 at each rate.
    orders.e = await createOrder(t, {
      products: [
        { name: 'Book', quantity: '1', rate: 100, discount: 0, tax: '0', amount: 100 },
        { name: 'Pen', quantity: '1', rate: 100, discount: 0, tax: '25', amount: 100 },
      ],
      orderSummary: { subTotal: '180.00', totalTax: '20.00', totalDiscount: '0.00', grandTotal: '200.00' },
    });
    for (const id of [orders.a, orders.b, orders.c, orders.e]) await settled(id, 'SENT');
    for (const id of [orders.a, orders.b, orders.e]) {
      const row = await move(id, 'PAID');
      assert.equal(typeof row.paid_at, 'number', 'paid_at set when first seen paid');
    }

    // The details through the proxy teach it the lines' rates; the refund names line ids.
    const details = (await get(`/api/v1/connect/orders/details/${orders.a}`)).body.data;
    const coat = details.productList.find((l) => l.tax === 25).id;
    assert.ok(await eventually(async () => (await indexed(orders.a))?.line_rates), 'line rates kept');
    const refund = { type: 'regular', grandTotal: '200.00', products: [{ id: coat, amount: '200.00' }] };
    const rr = await t.proxy.fetch(`/api/v1/connect/orders/refund/${orders.a}`, json(refund, { ...t.auth('admin'), 'idempotency-key': `vat-${orders.a}` }));
    assert.equal(rr.status, 202, await rr.clone().text());
    await settled(orders.a, 'PARTIAL REFUNDED');
    const audited = async () => (await t.proxy.db
      .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE order_uuid = ? AND action = 'refundOrder' AND detail IS NOT NULL")
      .bind(orders.a).first()).n === 1;
    assert.ok(await eventually(audited), 'the refund\'s lines are in the audit log');

    const atSandbox = (await (await t.sandbox.api(`/api/v1/connect/orders/details/${orders.e}`)).json()).data;
    const book = atSandbox.productList.find((l) => l.tax === 0).id;
    const elsewhere = await t.sandbox.api(`/api/v1/connect/orders/refund/${orders.e}`, json({ type: 'regular', grandTotal: '50.00', products: [{ id: book, amount: '50.00' }] }));
    assert.equal(elsewhere.status, 202, await elsewhere.clone().text());
    assert.equal((await get(`/api/v1/connect/orders/status/${orders.e}`)).status, 200);
    await settled(orders.e, 'PARTIAL REFUNDED');
    assert.ok(await eventually(async () => (await indexed(orders.e))?.refunded_ore === 5000), 'the API\'s refunded amount');
    assert.ok(await eventually(async () => (await indexed(orders.a))?.refunded_ore === 20000));

    // Invoices overdue by 17, 37 and 90 days (reminded, at debt collection), and one not due;
    // a corporate invoice falls due 14, 30 or 45 days after its date (core's rule).
    orders.d1 = await invoice(31, 14);
    orders.d2 = await invoice(51, 14);
    orders.d3 = await invoice(104, 14);
    orders.d4 = await invoice(0, 14);
    await move(orders.d2, 'REMINDER');
    await move(orders.d3, 'REMINDER');
    await move(orders.d3, 'DEBT COLLECTION');
  });

  test('the overview: money in, orders, what is owed by age, top customers', async () => {
    const r = await get(`/console/overview?${period}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const o = r.body.data;
    assert.deepEqual(o.period, { from: osloDay(now - DAY), to: osloDay(now + DAY) });
    assert.deepEqual(o.currentTotals, {
      paidOre: 150_000, refundedOre: 25_000, netOre: 125_000, sent: 8, paid: 3, outstanding: 5, outstandingOre: 25_500,
    });
    assert.deepEqual(o.previousTotals, { paidOre: 0, refundedOre: 0, netOre: 0, sent: 0, paid: 0, outstanding: 0, outstandingOre: 0 });
    assert.equal(o.granularity, 'day');
    const today = o.paidSeries.find((p) => p.start === osloDay(Date.now()));
    assert.equal(today?.paidOre, 150_000, JSON.stringify(o.paidSeries));
    assert.equal(o.paidSeries.reduce((s, p) => s + p.paidOre, 0), 150_000);
    assert.deepEqual(o.byStatus, [
      { status: 'SENT', count: 1, amountOre: 5100 },
      { status: 'PAID', count: 1, amountOre: 30_000 },
      { status: 'INVOICED', count: 2, amountOre: 10_200 },
      { status: 'PARTIAL REFUNDED', count: 2, amountOre: 120_000 },
      { status: 'REMINDER', count: 1, amountOre: 5100 },
      { status: 'DEBT COLLECTION', count: 1, amountOre: 5100 },
    ]);
    assert.deepEqual(o.owed, [
      { bucket: '0-14', count: 1, amountOre: 5100 },
      { bucket: '15-30', count: 1, amountOre: 5100 },
      { bucket: '31-60', count: 1, amountOre: 5100 },
      { bucket: '60+', count: 1, amountOre: 5100 },
    ]);
    assert.deepEqual(o.reminders, { status: 'REMINDER', count: 1, amountOre: 5100 });
    assert.deepEqual(o.debtCollection, { status: 'DEBT COLLECTION', count: 1, amountOre: 5100 });
    // Kari (A and E share her e-mail, so Front Payment's customer) before Ola.
    assert.deepEqual(o.topCustomers, [
      { name: 'Kari Nordmann', paidOre: 120_000, orders: 2 },
      { name: 'Ola Nordmann', paidOre: 30_000, orders: 1 },
    ]);
  });

  test('the VAT report per rate, refunds deducted, by order date and by payment date', async () => {
    const want = [
      // A 720.00 / 180.00 + E 80.00 / 20.00; back: A 160.00 / 40.00 + E 20.00 / 5.00.
      { rate: '25', baseOre: 80_000, vatOre: 20_000, refundedBaseOre: 18_000, refundedVatOre: 4_500, netBaseOre: 62_000, netVatOre: 15_500 },
      { rate: '15', baseOre: 8_696, vatOre: 1_304, refundedBaseOre: 0, refundedVatOre: 0, netBaseOre: 8_696, netVatOre: 1_304 },
      { rate: '12', baseOre: 26_786, vatOre: 3_214, refundedBaseOre: 0, refundedVatOre: 0, netBaseOre: 26_786, netVatOre: 3_214 },
      { rate: '0', baseOre: 10_000, vatOre: 0, refundedBaseOre: 2_500, refundedVatOre: 0, netBaseOre: 7_500, netVatOre: 0 },
    ];
    const totals = { rate: '0', baseOre: 125_482, vatOre: 24_518, refundedBaseOre: 20_500, refundedVatOre: 4_500, netBaseOre: 104_982, netVatOre: 20_018 };
    for (const basis of ['orderDate', 'paymentDate']) {
      const r = await get(`/console/vat?${period}&basis=${basis}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.data.basis, basis);
      assert.deepEqual(r.body.data.rows, want, basis);
      assert.deepEqual(r.body.data.totals, totals, basis);
    }
    // The default basis is the order date; a period without sales still lists the four rates.
    assert.equal((await get(`/console/vat?${period}`)).body.data.basis, 'orderDate');
    const empty = (await get('/console/vat?from=2020-01-01&to=2020-02-29')).body.data;
    assert.deepEqual(empty.rows.map((r) => [r.rate, r.baseOre, r.netVatOre]), [['25', 0, 0], ['15', 0, 0], ['12', 0, 0], ['0', 0, 0]]);
  });

  test('the list filters the figures link to', async () => {
    const uuids = async (query) => {
      const r = await get(`/console/orders?limit=100&${query}`);
      assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.body)}`);
      return r.body.data.items.map((i) => i.uuid).sort();
    };
    const sorted = (...ids) => ids.sort();
    assert.deepEqual(await uuids('overdue=0-14'), [orders.c]);
    assert.deepEqual(await uuids('overdue=15-30'), [orders.d1]);
    assert.deepEqual(await uuids('overdue=31-60'), [orders.d2]);
    assert.deepEqual(await uuids(`overdue=${encodeURIComponent('60+')}`), [orders.d3]);
    assert.deepEqual(await uuids('outstanding=1'), sorted(orders.c, orders.d1, orders.d2, orders.d3, orders.d4));
    assert.deepEqual(await uuids(`${period}&basis=paymentDate`), sorted(orders.a, orders.b, orders.e));
    assert.equal((await uuids(period)).length, 8);
    assert.deepEqual(await uuids(`from=${osloDay(now + 2 * DAY)}`), []);
    assert.deepEqual(await uuids(`basis=orderDate&to=${osloDay(now - 10 * DAY)}`), sorted(orders.d1, orders.d2, orders.d3));
    // The tabs count within the filter.
    const counts = (await get('/console/orders?outstanding=1')).body.data.counts;
    assert.deepEqual(counts, { SENT: 1, INVOICED: 2, REMINDER: 1, 'DEBT COLLECTION': 1 });
    for (const bad of ['from=2024-02-30', 'to=soon', 'overdue=90%2B', 'basis=created&from=2024-01-01', 'outstanding=maybe']) {
      const r = await get(`/console/orders?${bad}`);
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.message, 'invalidQueryParameter');
    }
  });
});
