// A merchant's first day, as the proxy keeps it (issue 14): VAT after the discount (and the
// portal's figure still accepted), search by full name, customer reference and org number,
// every field an order was sent with and its cancellation note read back, to whom a link was
// resent, the internal note (clerk/admin, never upstream), and what the bookkeeper's CSV needs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { corporateInvoice, createOrder, customer, json, paymentLink, setup } from './fixtures.mjs';
import { eventually } from './harness.mjs';

let t;
before(async () => {
  t = await setup({ bindings: { PUBLIC_URL: 'http://127.0.0.1' } });
});
after(() => t?.stop());

const CREATE = '/api/v1/connect/orders/payment-link/create';

async function get(path, role = 'viewer') {
  const r = await t.proxy.fetch(path, { headers: t.auth(role) });
  return { status: r.status, body: await r.json() };
}

const search = async (q, role = 'viewer') => (await get(`/console/orders?q=${encodeURIComponent(q)}`, role)).body.data;
const record = async (id) => get(`/console/orders/${id}`);

/** 1 000.00 at 25 % with 100.00 off: 900.00 to pay, VAT 180.00 (the portal says 200.00). */
function discounted(totalTax, overrides = {}) {
  return paymentLink({
    products: [{ name: 'Coat', productId: 'C-1', quantity: '1', rate: 1000, discount: 100, tax: '25', amount: 900 }],
    orderSummary: { subTotal: '800.00', totalTax, totalDiscount: '100.00', grandTotal: '900.00' },
    ...overrides,
  });
}

describe('VAT after the discount', () => {
  test('ours and the portal\'s totalTax are accepted, a third figure is refused', async () => {
    for (const tax of ['180.00', '200.00']) {
      const r = await t.proxy.fetch(CREATE, json(discounted(tax), t.auth('clerk')));
      assert.equal(r.status, 201, `${tax}: ${await r.clone().text()}`);
    }
    const before = await t.upstreamCount();
    const r = await t.proxy.fetch(CREATE, json(discounted('190.00'), t.auth('clerk')));
    assert.equal(r.status, 417);
    const body = await r.json();
    assert.deepEqual(body.fields['orderSummary.totalTax'], [{ code: 'amountMismatch', params: { expected: '180.00' } }]);
    assert.equal(await t.upstreamCount(), before, 'nothing went upstream');
  });

  test('the index keeps core\'s VAT per rate; the details say the VAT due', async () => {
    const id = await createOrder(t, discounted('200.00'));
    const page = await search(id);
    assert.deepEqual(page.items[0].vat, { 2500: 18000 });
    const details = (await get(`/api/v1/connect/orders/details/${id}`)).body.data;
    assert.equal(details.orderSummary.tax, 180);
    assert.equal(details.orderSummary.grandTotal, 900);
  });
});

describe('search', () => {
  test('full name in either order, first or last name alone, customer reference, org number', async () => {
    const tag = `Fd${Date.now()}`;
    const id = await createOrder(t, {
      customerReference: `PO-${tag}`,
      customerDetails: customer({ firstName: 'Ola', name: `Nordmann${tag}`, type: 'corporate', organizationId: '923609016' }),
    });
    for (const q of [`Ola Nordmann${tag}`, `ola   nordmann${tag.toLowerCase()}`, `Nordmann${tag} Ola`, `nordmann${tag}`, `po-${tag}`]) {
      const uuids = (await search(q)).items.map((i) => i.uuid);
      assert.ok(uuids.includes(id), `${q}: ${uuids}`);
    }
    const row = (await search(`Ola Nordmann${tag}`)).items[0];
    assert.equal(row.fullName, `Ola Nordmann${tag}`);
    assert.equal(row.firstName, 'Ola');
    assert.equal(row.customerReference, `PO-${tag}`);
    const byOrg = (await search('923 609 016')).items.map((i) => i.uuid);
    assert.ok(byOrg.includes(id), 'org number typed with spaces');
  });

  test('a full-name search matching more than 1,000 orders still says "many" and pages', async () => {
    const stamp = Date.now();
    await t.proxy.db.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < 1100)
       INSERT INTO orders (uuid, customer_name, name_lc, last_lc, full_name, full_lc, rev_lc, amount_ore, created_at, status, updated_at, source)
       SELECT printf('ODR%010d', 6000000000 + i), 'Many', 'many', 'many', 'Kari Many', 'kari many', 'many kari', 100, ?1 + i, 'SENT', ?1 + i, 'proxy' FROM seq`,
    ).bind(stamp).run();
    const page = (await get('/console/orders?q=kari%20many&limit=3')).body.data;
    assert.equal(page.countsCapped, true);
    assert.equal(page.total, 1000);
    assert.deepEqual(page.items.map((i) => i.uuid), [2, 1, 0].map((k) => `ODR${6000000000 + 1097 + k}`));
    const reversed = (await get('/console/orders?q=many%20kari&limit=1')).body.data;
    assert.equal(reversed.items.length, 1);
  });
});

describe('what an order was sent with', () => {
  test('GET /console/orders/{uuid}: typed fields, the request, the cancellation note', async () => {
    const id = await createOrder(t, {
      referenceNo: 'R-77',
      customerReference: 'Dept. 4',
      customerDetails: customer({ firstName: 'Ola', name: 'Nordmann' }),
    });
    const { status, body } = await record(id);
    assert.equal(status, 200, JSON.stringify(body));
    const r = body.data;
    assert.equal(r.uuid, id);
    assert.equal(r.source, 'proxy');
    assert.equal(r.kind, 'PAYMENT_LINK');
    assert.equal(r.createdBy, 'key:admin-key');
    assert.equal(r.firstName, 'Ola');
    assert.equal(r.fullName, 'Ola Nordmann');
    assert.equal(r.referenceNo, 'R-77');
    assert.equal(r.customerReference, 'Dept. 4');
    assert.deepEqual(r.request.customerDetails.address, paymentLink().customerDetails.address);
    assert.equal(r.request.sendOrderBy.email, true);
    assert.equal(r.cancellationNote, null);

    const c = await t.proxy.fetch(`/api/v1/connect/orders/cancel/${id}`, json({ cancellationNote: 'Customer changed her mind' }, t.auth('admin')));
    assert.equal(c.status, 202, await c.clone().text());
    const after = await eventually(async () => {
      const d = (await record(id)).body.data;
      return d.cancellationNote ? d : null;
    });
    assert.equal(after?.cancellationNote, 'Customer changed her mind');
    const audit = await eventually(async () => {
      const its = (await get(`/console/audit?order=${id}&action=cancelOrder`)).body.data.items;
      return its.length ? its : null;
    });
    assert.deepEqual(JSON.parse(audit[0].detail), { cancellationNote: 'Customer changed her mind' });

    assert.equal((await record('ODR1999999999')).status, 404);
    assert.equal((await record('nope')).status, 404);
  });

  test('a resend records to whom, with the number as digits', async () => {
    const id = await createOrder(t);
    const r = await t.proxy.fetch(`/api/v1/connect/orders/resend/${id}`, json({ countryCode: '+47', msisdn: '912 34 567' }, t.auth('clerk')));
    assert.equal(r.status, 202, await r.clone().text());
    const sent = await eventually(async () => {
      const its = (await get(`/console/audit?order=${id}&action=resendPaymentLink`)).body.data.items;
      return its.find((i) => i.status === 202);
    });
    assert.ok(sent, 'the resend is audited');
    assert.deepEqual(JSON.parse(sent.detail), { to: { countryCode: '+47', msisdn: '91234567' } });
    // Letters are still refused, by core's one phone rule.
    const bad = await t.proxy.fetch(`/api/v1/connect/orders/resend/${id}`, json({ countryCode: '+47', msisdn: '912 34 56x' }, t.auth('clerk')));
    assert.equal(bad.status, 417);
    assert.equal((await bad.json()).fields.msisdn[0].code, 'digitsOnly');
  });
});

describe('the internal note', () => {
  const put = (id, body, role, headers = {}) =>
    t.proxy.fetch(`/console/orders/${id}/note`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...t.auth(role), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  test('clerks and admins keep a note; viewers may not; it is audited and never sent upstream', async () => {
    const id = await createOrder(t);
    const r = await put(id, { note: 'Call after 16' }, 'clerk');
    assert.equal(r.status, 200, await r.clone().text());
    const saved = (await r.json()).data;
    assert.equal(saved.note, 'Call after 16');
    assert.equal(saved.noteBy, 'key:clerk-key');
    assert.ok(saved.noteAt > 0);
    assert.equal((await record(id)).body.data.note, 'Call after 16');

    const viewer = await put(id, { note: 'mine now' }, 'viewer');
    assert.equal(viewer.status, 403);
    assert.equal((await record(id)).body.data.note, 'Call after 16');

    for (const [body, code] of [
      [{ note: 'x'.repeat(1001) }, 'maxLength'],
      [{ note: 'line 1\nline 2' }, 'controlCharacters'],
      [{}, 'required'],
    ]) {
      const bad = await put(id, body, 'admin');
      assert.equal(bad.status, 417, JSON.stringify(body));
      assert.equal((await bad.json()).fields.note[0].code, code);
    }
    assert.equal((await put(id, '{"note": "a", "note": "b"}', 'admin')).status, 422);
    assert.equal((await put('ODR1999999999', { note: 'x' }, 'admin')).status, 404);

    const cleared = await put(id, { note: '' }, 'admin');
    assert.equal(cleared.status, 200);
    assert.equal((await cleared.json()).data.note, null);

    const audit = await eventually(async () => {
      const its = (await get(`/console/audit?order=${id}&action=orderNote`)).body.data.items;
      return its.length >= 6 ? its : null;
    });
    assert.ok(audit, 'every note write is audited');
    const first = audit.at(-1);
    assert.deepEqual([first.actor, first.status, JSON.parse(first.detail)], ['key:clerk-key', 200, { note: 'Call after 16' }]);
    assert.ok(audit.some((i) => i.status === 403 && i.role === 'viewer'));

    // Upstream never hears of it.
    const details = await (await t.sandbox.api(`/api/v1/connect/orders/details/${id}`)).text();
    assert.ok(!details.includes('Call after 16'));
  });

  test('a cookie session may not write a note from another site', async () => {
    const id = await createOrder(t);
    const cookie = await t.login('clerk');
    const r = await t.proxy.fetch(`/console/orders/${id}/note`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie, origin: 'https://evil.example' },
      body: JSON.stringify({ note: 'x' }),
    });
    assert.equal(r.status, 403);
  });
});

describe('what the bookkeeper\'s CSV needs', () => {
  test('list rows: phone parts, ids (masked for all but admins), VAT, refunded, invoice number, due date', async () => {
    const tag = `Csv${Date.now()}`;
    const link = await createOrder(t, discounted('180.00', {
      customerDetails: customer({ name: `${tag} Hansen`, personalNumber: '01010012356' }),
    }));
    await t.sandbox.api(`/_sandbox/orders/${link}/transition`, json({ to: 'PAID' }));
    const lineId = (await get(`/api/v1/connect/orders/details/${link}`)).body.data.productList[0].id;
    const refund = { type: 'regular', grandTotal: '20.00', products: [{ id: lineId, amount: '20.00' }] };
    const rr = await t.proxy.fetch(`/api/v1/connect/orders/refund/${link}`, json(refund, { ...t.auth('admin'), 'idempotency-key': `csv-${link}` }));
    assert.equal(rr.status, 202, await rr.clone().text());

    const invoice = corporateInvoice(`${tag} AS`);
    const ir = await t.proxy.fetch('/api/v1/connect/orders/invoice/create', json(invoice, t.auth('clerk')));
    assert.equal(ir.status, 201, await ir.clone().text());
    const inv = (await ir.json()).data.uuid;

    const rows = await eventually(async () => {
      const items = (await search(tag, 'viewer')).items;
      const l = items.find((i) => i.uuid === link);
      const n = items.find((i) => i.uuid === inv);
      return l?.refundedOre === 2000 && n?.invoiceNumber ? { l, n } : null;
    }, 5000);
    assert.ok(rows, 'refunded amount and invoice number reach the index');
    const { l, n } = rows;
    assert.deepEqual([l.countryCode, l.msisdn], ['+47', '46567468']);
    assert.equal(l.personalNumber, '010100*****', 'masked for a viewer');
    assert.deepEqual(l.vat, { 2500: 18000 });
    assert.equal(n.orgNumber, '923609016');
    assert.equal(n.invoiceMaturity, 30);
    assert.equal(typeof n.orderDate, 'number');
    assert.equal(n.kind, 'INVOICE');
    const forAdmin = (await search(tag, 'admin')).items.find((i) => i.uuid === link);
    assert.equal(forAdmin.personalNumber, '01010012356');
  });
});
