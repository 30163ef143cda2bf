// Item 5 (part): the upstream token and the callback secret never leave the proxy in an answer.
// Every route of the stack is called with the admin API key and with a session cookie; every
// status line, header and body is scanned here and written to FRONTDESK_CAPTURE (when set),
// which `cargo xtask test` scans again with dist/, worker/build/ and the stack's logs once the
// stack has stopped.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { figures } from '../support/reliability.mjs';
import { stackSecrets, stackSkip, stackUnderTest } from '../support/stack-under-test.mjs';

const { paymentLink } = await import('../../worker/tests/fixtures.mjs');

let stack;
before(async () => {
  if (stackSkip) return;
  stack = await stackUnderTest();
});
after(() => stack?.stop());

const ID_PLACEHOLDER = 'ODR1234567890';

test('no answer of any route, by API key or cookie, carries the upstream token or the callback secret', { skip: stackSkip }, async () => {
  const { info } = stack;
  const base = info.proxy;
  const origin = new URL(base).origin;
  const captured = [];
  const call = async (label, method, path, { headers = {}, body } = {}) => {
    const init = { method, headers: { ...headers }, redirect: 'manual' };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers['content-type'] ??= 'application/json';
    }
    const r = await fetch(new URL(path, base), init);
    const text = await r.text();
    const head = [...r.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
    captured.push(`### ${label} ${method} ${path} -> ${r.status}\n${head}\n\n${text}\n`);
    return { status: r.status, text, headers: r.headers };
  };

  // Log in (the stack's admin) for the cookie runs.
  const login = await call('login', 'POST', '/auth/login', {
    headers: { origin },
    body: { username: info.username, password: info.password },
  });
  assert.equal(login.status, 200, login.text);
  const cookie = login.headers.get('set-cookie').split(';')[0];

  // One real order, paid through the sandbox controls, so refund / charge / resend reach upstream.
  const key = { authorization: `Bearer ${info.apiKey}` };
  const created = await call('create', 'POST', '/api/v1/connect/orders/payment-link/create', {
    headers: key,
    body: paymentLink({ referenceNo: 'secret-scan' }),
  });
  assert.equal(created.status, 201, created.text);
  const id = JSON.parse(created.text).data.uuid;

  const routes = (who) => [
    ['GET', '/health'],
    ['GET', '/'],
    ['GET', '/orders/new'],
    ['GET', `/orders/${id}`],
    ['GET', '/no/such/page'],
    ['GET', '/auth/me'],
    ['GET', '/console/orders'],
    ['GET', '/console/audit'],
    ['POST', '/console/sync', {}],
    ['GET', '/api/v1/connect/orders/status'],
    ['GET', `/api/v1/connect/orders/status/${id}`],
    ['GET', `/api/v1/connect/orders/details/${id}`],
    ['GET', `/api/v1/connect/orders/invoice-number/${id}`],
    ['GET', `/api/v1/connect/orders/status/${ID_PLACEHOLDER}`],
    ['POST', '/api/v1/connect/orders/payment-link/create', paymentLink({ referenceNo: `scan-${who}` })],
    ['POST', '/api/v1/connect/orders/invoice/create', { referenceNo: 'invalid on purpose' }],
    ['POST', '/api/v1/connect/orders/faktura/create', '{not json'],
    ['POST', '/api/v1/connect/orders/ehf/create', {}],
    ['POST', `/api/v1/connect/orders/resend/${id}`, { email: 'kari@example.com' }],
    ['POST', `/api/v1/connect/orders/delayed/charge/${id}`, {}],
    ['POST', `/api/v1/connect/orders/refund/${id}`, { type: 'regular', grandTotal: 1, products: [{ id: 1, amount: 1 }] }],
    ['POST', `/api/v1/connect/orders/cancel/${ID_PLACEHOLDER}`, { cancellationNote: 'scan' }],
    ['GET', '/api/v1/connect/orders/nope'],
    ['GET', '/_sandbox/health'],
    ['GET', '/_sandbox/openapi.json'],
    ['GET', `/callbacks/frontpayment?orderUuid=${id}&status=PAID&checksum=deadbeef`],
    ['GET', '/callbacks/frontpayment'],
  ];
  for (const [who, headers] of [
    ['key', key],
    ['cookie', { cookie, origin }],
    ['anonymous', {}],
    ['wrong key', { authorization: 'Bearer fdk_wrong' }],
  ]) {
    for (const [method, path, body] of routes(who)) await call(who, method, path, { headers, body });
  }
  // Upstream failures must not echo the token either: an unknown order upstream, a cancel.
  await call('key', 'POST', `/api/v1/connect/orders/cancel/${id}`, { headers: key, body: { cancellationNote: 'scan' } });
  await call('cookie', 'POST', '/auth/logout', { headers: { cookie, origin } });

  const all = captured.join('\n');
  if (process.env.FRONTDESK_CAPTURE) writeFileSync(process.env.FRONTDESK_CAPTURE, all);
  const found = stackSecrets(info).filter(([, v]) => all.includes(v)).map(([name]) => name);
  figures('secrets in answers', { responses: captured.length, bytes: Buffer.byteLength(all), secretsFound: found.length });
  assert.deepEqual(found, [], 'a secret appeared in a response (see the capture)');
  assert.ok(captured.length > 100);
});
