// Item 6: hostile input to the proxy AND the sandbox. Every case must be a clean 4xx envelope
// (never a 5xx, never a hang), and both services must still answer afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { figures, fixtures, miniflareStack } from '../support/reliability.mjs';

const { paymentLink, createOrder } = await fixtures();

let t;
let order;
let sent = 0;
before(async () => {
  t = await miniflareStack();
  order = await createOrder(t);
});
after(async () => {
  figures('hostile input', { requests: sent });
  await t?.stop();
});

const CREATE = '/api/v1/connect/orders/payment-link/create';
const deep = (n) => '['.repeat(n) + ']'.repeat(n);
const deepObj = (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const withAmount = (amount) =>
  JSON.stringify(paymentLink({ products: [{ name: 'x', quantity: '1', rate: amount, discount: 0, tax: '0', amount }] })).replace(/"__RAW__"/g, amount);

// [label, method, path, body (string|Buffer|null), content-type]
const CASES = () => [
  // (A literal `../` is resolved by every HTTP client before it is sent: the encoded forms test it.)
  ['encoded traversal', 'GET', '/api/v1/connect/orders/status/%2e%2e%2fstatus', null],
  ['encoded slash in id', 'GET', `/api/v1/connect/orders/details/${order}%2F..%2F..`, null],
  ['encoded slash POST', 'POST', `/api/v1/connect/orders/cancel/ODR1000000001%2fx`, '{"cancellationNote":"x"}'],
  ['backslash', 'GET', '/api/v1/connect/orders/status/ODR1000000001\\..', null],
  ['double slash', 'GET', '/api/v1/connect/orders//status', null],
  ['null byte', 'GET', '/api/v1/connect/orders/status/ODR1000000001%00', null],
  ['lowercase id', 'GET', '/api/v1/connect/orders/status/odr1000000001', null],
  ['11-digit id', 'GET', '/api/v1/connect/orders/status/ODR12345678901', null],
  ['unicode id', 'GET', '/api/v1/connect/orders/status/ODR１０００００００００１', null],
  ['10 MiB body', 'POST', CREATE, Buffer.alloc(10 * 1024 * 1024, 'a')],
  ['JSON nested 10,000 deep (array)', 'POST', CREATE, deep(10_000)],
  ['JSON nested 10,000 deep (object)', 'POST', CREATE, deepObj(10_000)],
  ['duplicate keys (refused: 422 malformedJson)', 'POST', CREATE, JSON.stringify(paymentLink()).replace('{"products"', '{"referenceNo":"a","referenceNo":"b","products":"x","products"').replace(/"products":\[\{.*?\}\],/, '"products":[],')],
  ['1e400', 'POST', CREATE, withAmount('__RAW__').replace(/__RAW__/g, '1e400').replace(/"rate":"1e400"/, '"rate":1e400')],
  ['NaN', 'POST', CREATE, JSON.stringify(paymentLink()).replace('"rate":51', '"rate":NaN')],
  ['Infinity', 'POST', CREATE, JSON.stringify(paymentLink()).replace('"rate":51', '"rate":Infinity')],
  ['negative amount', 'POST', CREATE, JSON.stringify(paymentLink({ products: [{ name: 'x', quantity: '1', rate: -51, discount: 0, tax: '0', amount: -51 }], orderSummary: { subTotal: '-51.00', totalTax: '0.00', totalDiscount: '0.00', grandTotal: '-51.00' } }))],
  ['17 decimals', 'POST', CREATE, JSON.stringify(paymentLink()).replaceAll('"amount":51', '"amount":51.00000000000000001').replace('"rate":51', '"rate":51.12345678901234567')],
  ['huge quantity', 'POST', CREATE, JSON.stringify(paymentLink()).replace('"quantity":"1"', '"quantity":"99999999999999999999999"')],
  ['lone surrogate', 'POST', CREATE, JSON.stringify(paymentLink()).replace('Kari Nordmann', '\\ud800')],
  ['empty object', 'POST', CREATE, '{}'],
  ['array body', 'POST', CREATE, '[]'],
  ['string body', 'POST', CREATE, '"x"'],
  ['truncated JSON', 'POST', CREATE, '{"products": ['],
  ['text/plain', 'POST', CREATE, JSON.stringify(paymentLink()), 'text/plain'],
  ['form encoded', 'POST', CREATE, 'a=1&b=2', 'application/x-www-form-urlencoded'],
  ['multipart', 'POST', CREATE, '--x\r\n\r\n--x--', 'multipart/form-data; boundary=x'],
  ['no content type', 'POST', CREATE, JSON.stringify(paymentLink()), null],
  ['BOM', 'POST', CREATE, '\ufeff' + JSON.stringify(paymentLink())],
  ['PUT', 'PUT', CREATE, '{}'],
  ['DELETE', 'DELETE', `/api/v1/connect/orders/cancel/${order}`, null],
  ['PATCH', 'PATCH', `/api/v1/connect/orders/details/${order}`, '{}'],
  ['OPTIONS', 'OPTIONS', CREATE, null],
  ['TRACE-like unknown method', 'PROPFIND', CREATE, null],
  ['console route PUT', 'PUT', '/console/orders', '{}'],
  ['limit=0', 'GET', '/console/orders?limit=0', null],
  ['limit=1e9', 'GET', '/console/orders?limit=1000000000', null],
  ['bad cursor', 'GET', '/console/orders?cursor=%ff%fe', null],
  ['bad sort', 'GET', '/console/orders?sort=uuid;DROP TABLE orders', null],
  ['status type unknown', 'GET', '/api/v1/connect/orders/status?type=NOPE', null],
  ['long idempotency key', 'POST', CREATE, JSON.stringify(paymentLink()), 'application/json', { 'idempotency-key': 'k'.repeat(10_000) }],
  ['control char idempotency key', 'POST', CREATE, JSON.stringify(paymentLink()), 'application/json', { 'idempotency-key': 'a b' }],
];

// RTL (including the U+202E override, a format character, not a control) and emoji names are
// *valid*: accepted (201) and stored as sent, not mangled.
const VALID = [
  ['RTL name', 'مرحبا שלום \u202Eevil'],
  ['emoji name', 'Kari 👩‍👩‍👧‍👦 Nordmann 🇳🇴'],
];

async function call(base, label, method, path, body, type = 'application/json', extra = {}) {
  const headers = { ...extra };
  if (type) headers['content-type'] = type;
  sent++;
  const init = { method, headers };
  if (body != null) init.body = body;
  const r = base === 'proxy'
    ? await t.proxy.fetch(path, { ...init, headers: { ...headers, ...t.auth('admin') } })
    : await t.sandbox.api(path, init);
  const text = await r.text();
  return { status: r.status, text };
}

for (const [label, method, path, body, type, extra] of CASES()) {
  test(`hostile: ${label}`, async () => {
    const live = CASES().find((c) => c[0] === label);
    for (const base of ['proxy', 'sandbox']) {
      // The sandbox knows nothing of the console's routes or idempotency keys.
      if (base === 'sandbox' && (live[2].startsWith('/console') || live[5])) continue;
      const { status, text } = await call(base, label, live[1], live[2], live[3], live[4] === undefined ? 'application/json' : live[4], live[5] ?? {});
      assert.ok(status >= 400 && status < 500, `${base} ${label}: ${status} ${text.slice(0, 300)}`);
      const env = JSON.parse(text);
      // (The flag mirrors the provider: `is_error`, or on a 404 `is_data: false` as recorded.)
      assert.equal(typeof (env.is_error ?? env.is_data), 'boolean', `${base} ${label}: ${text.slice(0, 200)}`);
      assert.equal(typeof env.message, 'string', `${base} ${label}`);
      assert.equal(env.status_code, status, `${base} ${label}`);
    }
  });
}

test('RTL and emoji names are accepted as sent', async () => {
  for (const [label, name] of VALID) {
    for (const base of ['proxy', 'sandbox']) {
      const body = JSON.stringify(paymentLink({ customerDetails: { ...paymentLink().customerDetails, name } }));
      const { status, text } = await call(base, label, 'POST', CREATE, body);
      assert.equal(status, 201, `${base} ${label}: ${text}`);
      const id = JSON.parse(text).data.uuid;
      const d = await (await t.sandbox.api(`/api/v1/connect/orders/details/${id}`)).json();
      assert.equal(d.data.customerDetails.name, name, `${base} ${label}`);
    }
  }
});

// C0/C1 control characters (NUL, BEL, ESC, CR, LF, tab, DEL, NEL) in free text are refused by
// core's rule (`controlCharacters`), the same in console, proxy and sandbox: 417 keyed by field.
const CONTROL = ['Kari\u0000', 'a\u0007b', '\u001b[31mX', 'Kari\r\nX', 'a\tb', 'x\u007f', 'x\u0085'];
test('control characters in free text are refused with 417, keyed by field', async () => {
  const customer = paymentLink().customerDetails;
  const bodies = (bad) => [
    ['customerDetails.name', paymentLink({ customerDetails: { ...customer, name: bad } })],
    ['customerDetails.address.street', paymentLink({ customerDetails: { ...customer, address: { ...customer.address, street: bad } } })],
    ['products.0.name', paymentLink({ products: [{ ...paymentLink().products[0], name: bad }] })],
    ['referenceNo', paymentLink({ referenceNo: bad })],
  ];
  const before = await t.upstreamCount();
  for (const bad of CONTROL) {
    for (const [field, body] of bodies(bad)) {
      for (const base of ['proxy', 'sandbox']) {
        const { status, text } = await call(base, 'control', 'POST', CREATE, JSON.stringify(body));
        assert.equal(status, 417, `${base} ${field} ${JSON.stringify(bad)}: ${text}`);
        const env = JSON.parse(text);
        // One Laravel sentence; the proxy's own 417 also names the field in `fields`.
        assert.equal(env.errors.length, 1, `${base} ${JSON.stringify(bad)}: ${text}`);
        assert.match(env.errors[0], /must not contain control characters/);
        if (base === 'proxy') assert.deepEqual(Object.keys(env.fields), [field], text);
      }
    }
    for (const base of ['proxy', 'sandbox']) {
      const { status, text } = await call(base, 'control', 'POST', `/api/v1/connect/orders/cancel/${order}`, JSON.stringify({ cancellationNote: `note${bad}` }));
      assert.equal(status, 417, `${base} cancellationNote: ${text}`);
      const env = JSON.parse(text);
      assert.deepEqual(env.errors, ['The cancellation note must not contain control characters.'], text);
      if (base === 'proxy') assert.deepEqual(Object.keys(env.fields), ['cancellationNote']);
    }
  }
  assert.equal(await t.upstreamCount(), before, 'nothing was created');
});

// Duplicate keys are refused by both (core's strict parse, `frontdesk_core::json`): a 422
// `malformedJson` whose error names the key, at any depth, and nothing is created. (Last-wins
// would let a parser that keeps the first value see what the proxy never checked.)
test('duplicate keys: refused with 422 naming the key, in proxy and sandbox alike', async () => {
  const body = JSON.stringify(paymentLink({ referenceNo: 'first' }));
  const cases = [
    ['referenceNo', body.replace('"referenceNo":"first"', '"referenceNo":"first","referenceNo":"last"')],
    ['name', body.replace('"name":"Kari Nordmann"', '"name":"Kari Nordmann","name":"Ola Nordmann"')],
    ['tax', body.replace('"tax":"0"', '"tax":"25","tax":"0"')],
  ];
  const before = await t.upstreamCount();
  for (const [key, text] of cases) {
    assert.notEqual(text, body, `${key}: the fixture no longer has the member`);
    for (const base of ['proxy', 'sandbox']) {
      const r = await call(base, 'dup', 'POST', CREATE, text);
      assert.equal(r.status, 422, `${base} ${key}: ${r.text}`);
      const env = JSON.parse(r.text);
      assert.equal(env.status_code, 422, `${base} ${key}`);
      assert.equal(env.message, 'malformedJson', `${base} ${key}`);
      assert.equal(env.is_error, true, `${base} ${key}`);
      assert.match(env.errors[0], new RegExp(`^duplicate key "${key}" at line 1 column \\d+$`), `${base} ${key}: ${r.text}`);
    }
  }
  assert.equal(await t.upstreamCount(), before, 'nothing was created');
  // The same name in different objects (customer and product lines both have `name`) is fine.
  const ok = await call('proxy', 'dup', 'POST', CREATE, body);
  assert.equal(ok.status, 201, ok.text);
});

test('both services still answer after all of it', async () => {
  assert.equal((await t.proxy.fetch('/health')).status, 200);
  assert.equal((await t.sandbox.api('/health')).status, 200);
  const r = await t.proxy.fetch(`/api/v1/connect/orders/status/${order}`, { headers: t.auth('viewer') });
  assert.equal(r.status, 200);
  assert.equal((await t.proxy.fetch('/console/orders', { headers: t.auth('viewer') })).status, 200);
});
