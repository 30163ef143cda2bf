// The customer book and the product catalogue (issue 18): routes × roles, create, type-ahead
// search and keyset pages, archive, the CSV import preview (writes nothing) and import (all or
// nothing), erasure (anonymises the order index and the audit details; amounts and statuses
// stay), the data export, and the audit rows of every change.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createOrder, paymentLink, setup } from './fixtures.mjs';
import { eventually } from './harness.mjs';

let t;
before(async () => {
  t = await setup();
});
after(() => t?.stop());

/** A request with `role`'s API key (no cookie: no same-origin check). */
function send(method, body, role, contentType = 'application/json') {
  const headers = { ...t.auth(role) };
  if (body !== undefined) headers['content-type'] = contentType;
  const payload = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
  return { method, headers, body: payload };
}

async function call(path, init) {
  const r = await t.proxy.fetch(path, init);
  return { status: r.status, env: await r.json() };
}

function customer(details = {}, notes = 'Prefers SMS') {
  return {
    customerDetails: {
      type: 'private',
      countryCode: '+47',
      msisdn: '46567468',
      email: 'kari@example.com',
      name: 'Kari Nordmann',
      address: { street: 'Luramyrveien 65', zip: '4313', city: 'Sandnes', country: 'NO' },
      ...details,
    },
    notes,
  };
}

const count = async (table) => (await t.proxy.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first()).n;
/** The audit rows of `action` (written after the answer: callers wait with `eventually`). */
const auditOf = async (action) =>
  (await t.proxy.db.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY id').bind(action).all()).results;

describe('customer book', () => {
  test('viewers read, clerks and admins edit, admins erase; refusals are audited', async () => {
    const body = customer({ email: 'roles@example.com', msisdn: '40000001' });
    assert.equal((await call('/console/customers', send('POST', body, 'viewer'))).status, 403);
    assert.equal((await t.proxy.fetch('/console/customers')).status, 401);
    const created = await call('/console/customers', send('POST', body, 'clerk'));
    assert.equal(created.status, 200, JSON.stringify(created.env));
    assert.equal(created.env.message, 'customerSaved');
    const id = created.env.data.id;
    assert.match(id, /^cus_[0-9a-f]{20}$/);
    assert.equal(created.env.data.createdBy, 'key:clerk-key');
    for (const role of ['viewer', 'clerk', 'admin']) {
      assert.equal((await call(`/console/customers/${id}`, send('GET', undefined, role))).status, 200, role);
      assert.equal((await call('/console/customers', send('GET', undefined, role))).status, 200, role);
    }
    assert.equal((await call(`/console/customers/${id}/export`, send('GET', undefined, 'viewer'))).status, 403);
    assert.equal((await call(`/console/customers/${id}`, send('DELETE', undefined, 'clerk'))).status, 403);
    assert.equal((await call(`/console/customers/${id}`, send('PUT', body, 'viewer'))).status, 403);
    assert.equal((await call('/console/customers/cus_00000000000000000000', send('GET', undefined, 'viewer'))).status, 404);
    assert.equal((await call('/console/customers/nope', send('GET', undefined, 'viewer'))).status, 404);
    // Refused writes are audited with their reason; the create by the clerk too.
    const refused = await eventually(async () => (await auditOf('customerErased')).find((r) => r.status === 403));
    assert.equal(refused?.actor, 'key:clerk-key');
    assert.equal(refused?.message, 'roleNotAllowed');
    const made = await eventually(async () => (await auditOf('customerCreated')).find((r) => r.status === 200 && JSON.parse(r.detail).customer === id));
    assert.ok(made, 'the create is audited');
    assert.ok(!made.detail.includes('roles@example.com'), 'audit rows name fields, not personal data');
  });

  test('a personal number already in the book is a 409 naming the entry; rules are the form\'s', async () => {
    const first = await call('/console/customers', send('POST', customer({ email: 'pn1@example.com', personalNumber: '01010012356' }), 'clerk'));
    assert.equal(first.status, 200, JSON.stringify(first.env));
    const twin = await call('/console/customers', send('POST', customer({ email: 'pn2@example.com', personalNumber: '01010012356' }), 'admin'));
    assert.equal(twin.status, 409);
    assert.equal(twin.env.message, 'customerAlreadyExists');
    assert.deepEqual(twin.env.errors, [first.env.data.id]);
    const bad = await call('/console/customers', send('POST', customer({ msisdn: '46x67468', address: { street: 's', zip: '1', city: 'c', country: 'Norway' } }), 'clerk'));
    assert.equal(bad.status, 417);
    assert.equal(bad.env.fields['customerDetails.msisdn'][0].code, 'digitsOnly');
    assert.equal(bad.env.fields['customerDetails.address.country'][0].code, 'countryCode');
  });

  test('type-ahead by name either way round, email and phone; keyset pages in name order; viewers see masked numbers', async () => {
    const names = ['Grace Hopper', 'Ada Lovelace', 'Edsger Dijkstra', 'Alan Turing', 'Barbara Liskov'];
    for (const [i, name] of names.entries()) {
      const r = await call('/console/customers', send('POST', customer({
        name, email: `pg-${name.split(' ')[0].toLowerCase()}@example.com`, msisdn: `4100000${i}`,
        personalNumber: i === 0 ? '01010012356'.replace('0101', '0202') : undefined,
      }), 'clerk'));
      assert.equal(r.status, 200, JSON.stringify(r.env));
    }
    const get = async (q, role = 'viewer') => {
      const r = await call(`/console/customers?${q}`, send('GET', undefined, role));
      assert.equal(r.status, 200, JSON.stringify(r.env));
      return r.env.data;
    };
    const one = async (q) => (await get(`q=${encodeURIComponent(q)}`)).items.map((c) => c.customerDetails.name);
    assert.deepEqual(await one('tur'), ['Alan Turing']);
    assert.deepEqual(await one('lovelace ada'), ['Ada Lovelace']);
    assert.deepEqual(await one('pg-grace@'), ['Grace Hopper']);
    assert.deepEqual(await one('+47 410 000 03'), ['Alan Turing']);
    // Paging two at a time over the five, alphabetically, no repeats.
    const seen = [];
    let cursor = '';
    for (;;) {
      const page = await get(`q=pg-&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.items.map((c) => c.customerDetails.name));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    assert.deepEqual(seen, [...names].sort());
    const grace = (await get('q=grace')).items[0];
    assert.equal(grace.customerDetails.personalNumber, '020200*****');
    const whole = (await get('q=grace', 'clerk')).items[0];
    assert.equal(whole.customerDetails.personalNumber, '02020012356');
    assert.equal((await call('/console/customers?limit=0', send('GET', undefined, 'viewer'))).status, 400);
  });

  test('archived customers leave the default list and come back', async () => {
    const { env } = await call('/console/customers', send('POST', customer({ name: 'Arkiv Arvesen', email: 'arkiv@example.com', msisdn: '42000000' }), 'clerk'));
    const id = env.data.id;
    const names = async (q) => (await call(`/console/customers?${q}`, send('GET', undefined, 'viewer'))).env.data.items.map((c) => c.id);
    assert.deepEqual(await names('q=arkiv'), [id]);
    const archived = await call(`/console/customers/${id}/archive`, send('POST', { archived: true }, 'clerk'));
    assert.equal(archived.status, 200, JSON.stringify(archived.env));
    assert.equal(archived.env.data.archived, true);
    assert.deepEqual(await names('q=arkiv'), []);
    assert.deepEqual(await names('q=arkiv&archived=1'), [id]);
    await call(`/console/customers/${id}/archive`, send('POST', { archived: false }, 'admin'));
    assert.deepEqual(await names('q=arkiv'), [id]);
    const logged = await eventually(async () => (await auditOf('customerArchived'))
      .some((r) => JSON.parse(r.detail).customer === id && JSON.parse(r.detail).archived === true));
    assert.ok(logged);
  });

  test('an update is audited with the names of the fields it changed', async () => {
    const { env } = await call('/console/customers', send('POST', customer({ name: 'Endre Endresen', email: 'endre@example.com', msisdn: '43000000' }), 'clerk'));
    const id = env.data.id;
    const changed = customer({ name: 'Endre Endresen', email: 'endre@example.com', msisdn: '43000000', address: { street: 'Ny gate 2', zip: '4313', city: 'Sandnes', country: 'NO' } });
    const r = await call(`/console/customers/${id}`, send('PUT', changed, 'admin'));
    assert.equal(r.status, 200, JSON.stringify(r.env));
    assert.equal(r.env.data.customerDetails.address.street, 'Ny gate 2');
    assert.equal(r.env.data.createdBy, 'key:clerk-key');
    assert.equal(r.env.data.updatedBy, 'key:admin-key');
    const row = await eventually(async () => (await auditOf('customerUpdated')).find((a) => JSON.parse(a.detail).customer === id));
    assert.deepEqual(JSON.parse(row.detail).fields, ['customerDetails.address.street']);
  });

  test('the import preview checks every row and writes nothing; the import writes all accepted rows or none', async () => {
    const csv = '\ufeffType;Navn;Landskode;Telefon;E-post;Fødselsnummer;Adresse;Postnummer;Poststed;Land\r\n'
      + 'privat;Imre Import;+47;465 00 001;imre@example.com;01010012357;Gata 1;4313;Sandnes;NO\r\n'
      + 'privat;"Ivar; Import";47;46x00002;ivar@example.com;;Gata 2;4313;Sandnes;NO\r\n'
      + 'bedrift;Import AS;+47;46500003;post@import.no;;Kaia 3;5003;Bergen;no\r\n'
      + 'person;Ingrid Import;+47;46500004;ingrid@example.com;;Gata 4;4313;Sandnes;NO\r\n';
    const before = await count('customers');
    const preview = await call('/console/customers/import/preview', send('POST', csv, 'clerk', 'text/csv; charset=utf-8'));
    assert.equal(preview.status, 200, JSON.stringify(preview.env));
    assert.equal(preview.env.message, 'importPreviewed');
    const rows = preview.env.data;
    assert.deepEqual(rows.map((r) => r.line), [2, 3, 4, 5]);
    assert.equal(rows[0].outcome.ok.warnings['customerDetails.personalNumber'][0].code, 'fnrChecksum');
    assert.equal(rows[1].outcome.err.errors['customerDetails.msisdn'][0].code, 'digitsOnly');
    assert.equal(rows[2].outcome.err.errors['customerDetails.organizationId'][0].code, 'requiredIf');
    assert.equal(rows[3].outcome.ok.value.customerDetails.type, 'private');
    assert.equal(await count('customers'), before, 'a preview writes nothing');
    assert.equal((await call('/console/customers/import/preview', send('POST', csv, 'viewer', 'text/csv'))).status, 403);
    assert.equal((await call('/console/customers/import/preview', send('POST', 'a;b\n"open', 'clerk', 'text/csv'))).env.message, 'unreadableCsv');

    // One refused row refuses the import: nothing is half-imported.
    const accepted = rows.filter((r) => r.outcome.ok).map((r) => ({ line: r.line, value: r.outcome.ok.value }));
    const withBad = [...accepted, { line: 3, value: { customerDetails: { name: 'x' } } }];
    const refused = await call('/console/customers/import', send('POST', { rows: withBad }, 'clerk'));
    assert.equal(refused.status, 417);
    assert.ok(refused.env.fields['rows.2.customerDetails.type'], JSON.stringify(refused.env.fields));
    assert.equal(await count('customers'), before);

    const done = await call('/console/customers/import', send('POST', { rows: accepted }, 'clerk'));
    assert.equal(done.status, 200, JSON.stringify(done.env));
    assert.deepEqual(done.env.data.map((d) => [d.line, Object.keys(d.action)[0]]), [[2, 'created'], [5, 'created']]);
    assert.equal(await count('customers'), before + 2);
    // Again: the same people by number and email, brought up to date rather than doubled.
    const again = await call('/console/customers/import', send('POST', { rows: accepted }, 'clerk'));
    assert.deepEqual(again.env.data.map((d) => Object.keys(d.action)[0]), ['updated', 'updated']);
    assert.equal(await count('customers'), before + 2);
    const imported = await eventually(async () => (await auditOf('customersImported')).some((r) => JSON.parse(r.detail).created === 2));
    assert.ok(imported);
  });

  test('an order sent through the proxy links to its book entry: the orders list filters by customer', async () => {
    const details = { ...paymentLink().customerDetails, name: 'Linn Linked', email: 'linn-linked@example.com', msisdn: '44000011' };
    const order = await createOrder(t, { customerDetails: details });
    const entry = await eventually(async () => {
      const found = await call('/console/customers?q=linn-linked%40', send('GET', undefined, 'viewer'));
      return found.env.data?.items?.[0] ?? null;
    });
    const theirs = await call(`/console/orders?customer=${entry.id}`, send('GET', undefined, 'viewer'));
    assert.equal(theirs.status, 200, JSON.stringify(theirs.env));
    assert.deepEqual(theirs.env.data.items.map((o) => o.uuid), [order]);
    const { env } = await call('/console/customers', send('POST', customer({ name: 'Nobody Else', email: 'nobody-else@example.com', msisdn: '44000012' }), 'clerk'));
    const none = await call(`/console/orders?customer=${env.data.id}`, send('GET', undefined, 'viewer'));
    assert.deepEqual(none.env.data.items, []);
    const bad = await call('/console/orders?customer=cus_nope', send('GET', undefined, 'viewer'));
    assert.equal(bad.status, 400, JSON.stringify(bad.env));
  });

  test('erasure anonymises the order index and the audit details; ids, amounts and statuses stay', async () => {
    const details = { ...paymentLink().customerDetails, name: 'Erika Eraseme', email: 'erika@example.com', msisdn: '44000000' };
    const order = await createOrder(t, { customerDetails: details, customerReference: 'Att. Erika' });
    const indexed = () => t.proxy.db.prepare('SELECT * FROM orders WHERE uuid = ?').bind(order).first();
    const before = await eventually(async () => {
      const row = await indexed();
      return row?.status ? row : null;
    });
    assert.equal(before.customer_name, 'Erika Eraseme');
    const note = await t.proxy.fetch(`/console/orders/${order}/note`, {
      method: 'PUT', headers: { 'content-type': 'application/json', ...t.auth('clerk') }, body: JSON.stringify({ note: 'Call Erika after 16' }),
    });
    assert.equal(note.status, 200);
    const { env } = await call('/console/customers', send('POST', customer({ name: 'Erika Eraseme', email: 'erika@example.com', msisdn: '44000000' }), 'clerk'));
    const id = env.data.id;
    // The create path links an order to its customer (edge::customers::remember); the test
    // links this one itself so that it does not depend on that wiring.
    await t.proxy.db.prepare('UPDATE orders SET customer_id = ? WHERE uuid = ?').bind(id, order).run();
    await eventually(async () => (await t.proxy.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE order_uuid = ? AND action = 'orderNote'").bind(order).first()).n > 0);

    await eventually(async () => (await auditOf('customerCreated')).some((r) => JSON.parse(r.detail).customer === id));
    const exported = await call(`/console/customers/${id}/export`, send('GET', undefined, 'clerk'));
    assert.equal(exported.status, 200, JSON.stringify(exported.env));
    assert.deepEqual(exported.env.data.orders.map((o) => o.uuid), [order]);
    assert.equal(exported.env.data.orders[0].request.customerDetails.name, 'Erika Eraseme');
    assert.ok(exported.env.data.audit.some((a) => a.action === 'customerCreated'));
    assert.ok(exported.env.data.audit.some((a) => a.action === 'orderNote' && a.detail.note === 'Call Erika after 16'));

    const erased = await call(`/console/customers/${id}`, send('DELETE', undefined, 'admin'));
    assert.equal(erased.status, 200, JSON.stringify(erased.env));
    assert.equal(erased.env.message, 'customerErased');
    assert.equal(erased.env.data.orders, 1);
    assert.ok(erased.env.data.auditRows >= 1);

    const afterRow = await indexed();
    for (const col of ['customer_name', 'name_lc', 'full_name', 'email_lc', 'phone', 'msisdn', 'customer_reference', 'note', 'customer_uuid']) {
      assert.equal(afterRow[col], null, col);
    }
    assert.equal(afterRow.uuid, order);
    assert.equal(afterRow.amount_ore, before.amount_ore);
    assert.equal(afterRow.status, before.status);
    const request = JSON.parse(afterRow.request);
    assert.equal(request.customerDetails.name, '');
    assert.equal(request.products[0].name, 'Hair Wash');
    assert.equal(request.customerReference, undefined);
    const notes = await t.proxy.db.prepare("SELECT detail FROM audit_log WHERE order_uuid = ? AND action = 'orderNote'").bind(order).all();
    assert.ok(notes.results.every((r) => r.detail === null));

    // Their name is nowhere in the proxy's answers; the order's amount and status are.
    assert.equal((await call(`/console/customers/${id}`, send('GET', undefined, 'admin'))).status, 404);
    const page = await call(`/console/orders/${order}`, send('GET', undefined, 'admin'));
    assert.equal(page.status, 200);
    assert.ok(!JSON.stringify(page.env).includes('Erika'), JSON.stringify(page.env));
    const list = await call('/console/orders?q=erika', send('GET', undefined, 'admin'));
    assert.equal(list.env.data.items.length, 0);
    const byId = await call(`/console/orders?q=${order}`, send('GET', undefined, 'admin'));
    assert.equal(byId.env.data.items[0].amountOre, before.amount_ore);
    assert.equal(byId.env.data.items[0].status, before.status);
    const timeline = await call(`/console/audit?order=${order}`, send('GET', undefined, 'admin'));
    assert.ok(!JSON.stringify(timeline.env).includes('Erika'), JSON.stringify(timeline.env));
    const logged = await eventually(async () => (await auditOf('customerErased')).some((r) => r.status === 200 && JSON.parse(r.detail).customer === id));
    assert.ok(logged);
  });
});

describe('product catalogue', () => {
  const wash = { name: 'Hair Wash', productId: 'VFDDF', unitPrice: '51.00', tax: '25', unit: 'stk' };

  test('viewers read, clerks edit; prices and VAT by the order form\'s rules', async () => {
    assert.equal((await call('/console/products', send('POST', wash, 'viewer'))).status, 403);
    const made = await call('/console/products', send('POST', wash, 'clerk'));
    assert.equal(made.status, 200, JSON.stringify(made.env));
    assert.equal(made.env.message, 'productSaved');
    assert.match(made.env.data.id, /^prd_[0-9a-f]{20}$/);
    assert.equal(made.env.data.unitPrice, '51.00');
    assert.equal(made.env.data.tax, '25');
    const bad = await call('/console/products', send('POST', { ...wash, tax: '24', unitPrice: -1 }, 'clerk'));
    assert.equal(bad.status, 417);
    assert.equal(bad.env.fields.tax[0].code, 'in');
    assert.equal(bad.env.fields.unitPrice[0].code, 'min');
    const found = await call('/console/products?q=vfd', send('GET', undefined, 'viewer'));
    assert.deepEqual(found.env.data.items.map((p) => p.id), [made.env.data.id]);
    assert.equal((await call('/console/products/prd_00000000000000000000', send('GET', undefined, 'viewer'))).status, 404);
    assert.equal((await call(`/console/products/${made.env.data.id}`, send('DELETE', undefined, 'admin'))).status, 405);
  });

  test('updates are audited with their fields; archived products are not offered', async () => {
    const { env } = await call('/console/products', send('POST', { ...wash, name: 'Beard Trim', productId: 'BT-1' }, 'clerk'));
    const id = env.data.id;
    const r = await call(`/console/products/${id}`, send('PUT', { ...wash, name: 'Beard Trim', productId: 'BT-1', unitPrice: '60' }, 'clerk'));
    assert.equal(r.status, 200, JSON.stringify(r.env));
    assert.equal(r.env.data.unitPrice, '60.00');
    const row = await eventually(async () => (await auditOf('productUpdated')).find((a) => JSON.parse(a.detail).product === id));
    assert.deepEqual(JSON.parse(row.detail).fields, ['unitPrice']);
    await call(`/console/products/${id}/archive`, send('POST', { archived: true }, 'clerk'));
    const active = await call('/console/products?q=beard', send('GET', undefined, 'viewer'));
    assert.equal(active.env.data.items.length, 0);
    const archived = await call('/console/products?q=beard&archived=1', send('GET', undefined, 'viewer'));
    assert.deepEqual(archived.env.data.items.map((p) => p.id), [id]);
  });

  test('an English CSV previews and imports; a known product id is updated, not doubled', async () => {
    const csv = 'Name,Product id,Unit price incl. VAT,VAT %,Unit\n'
      + 'Colour,COL-1,499.50,25,stk\n'
      + '"Wash, large",vfddf,75,25,stk\n'
      + 'Bad,BAD-1,12.345,25,stk\n';
    const before = await count('products');
    const preview = await call('/console/products/import/preview', send('POST', csv, 'clerk', 'text/csv'));
    assert.equal(preview.status, 200, JSON.stringify(preview.env));
    const rows = preview.env.data;
    assert.equal(rows[0].outcome.ok.value.unitPrice, '499.50');
    assert.equal(rows[2].outcome.err.errors.unitPrice[0].code, 'decimals');
    assert.equal(await count('products'), before);
    const accepted = rows.filter((r) => r.outcome.ok).map((r) => ({ line: r.line, value: r.outcome.ok.value }));
    const done = await call('/console/products/import', send('POST', { rows: accepted }, 'clerk'));
    assert.equal(done.status, 200, JSON.stringify(done.env));
    const actions = done.env.data.map((d) => Object.keys(d.action)[0]);
    assert.equal(actions[0], 'created');
    assert.equal(await count('products'), before + (actions[1] === 'updated' ? 1 : 2));
    const vfddf = await call('/console/products?q=vfddf&archived=all', send('GET', undefined, 'viewer'));
    assert.ok(vfddf.env.data.items.some((p) => p.name === 'Wash, large' && p.unitPrice === '75.00'));
  });
});
