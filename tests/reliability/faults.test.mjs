// Item 1: every sandbox fault on every write (create, resend, cancel, refund), through the proxy.
// The first attempt carries the fault; the client then retries with the same Idempotency-Key
// until it gets an answer. Checks: a clean error envelope first, exactly one effect upstream
// (one order / one refund / one cancel), a replay after that, and one audit row per attempt.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { figures, fixtures, isErrorEnvelope, miniflareStack, untilSettled } from '../support/reliability.mjs';

const { json, paymentLink, createOrder } = await fixtures();

// fault → [status the client sees first, did the write happen]
const FAULTS = [
  ['500', 500, true],
  ['500;before', 500, false],
  ['510', 510, false],
  ['510;after', 510, true],
  ['timeout', 504, false],
  ['drop', 502, false],
  ['badjson', 502, true],
  ['slow=200', null, true],
];
const OPS = ['create', 'resend', 'cancel', 'refund'];

let t;
const tally = { cases: 0, attempts: 0, auditRows: 0 };
before(async () => {
  t = await miniflareStack({ sandboxArgs: ['--fault-timeout-secs', '2'] });
});
after(async () => {
  figures('faults end to end', tally);
  await t?.stop();
});

const admin = (extra = {}) => ({ ...t.auth('admin'), ...extra });
const upstreamJson = async (path) => (await (await t.sandbox.api(path)).json()).data;

async function paidOrder(name) {
  const id = await createOrder(t, { customerDetails: { ...paymentLink().customerDetails, name } });
  const r = await t.sandbox.api(`/_sandbox/orders/${id}/transition`, json({ to: 'PAID' }));
  assert.equal(r.status, 200);
  return id;
}

async function auditRowsFor(key) {
  const r = await t.proxy.fetch('/console/audit?user=key:admin-key&limit=100', { headers: admin() });
  assert.equal(r.status, 200);
  const env = await r.json();
  return env.data.items.filter((row) => row.idempotencyKey === key).reverse();
}

describe('faults on writes: retry with the key gives exactly one effect', () => {
  for (const op of OPS) {
    for (const [fault, firstStatus, done] of FAULTS) {
      test(`${op} with ${fault}`, async () => {
        tally.cases++;
        const key = `fault-${op}-${fault}-${Math.random().toString(36).slice(2)}`;
        const name = `Fault ${op} ${fault}`.replace(/[^A-Za-z0-9 ]/g, ' ');
        let path;
        let body;
        let check;
        if (op === 'create') {
          path = '/api/v1/connect/orders/payment-link/create';
          body = paymentLink({ referenceNo: key.slice(0, 40), customerDetails: { ...paymentLink().customerDetails, name } });
          const before = await t.upstreamCount();
          check = async (final) => {
            assert.equal(await t.upstreamCount(), before + 1, 'exactly one order upstream');
            const uuid = final.body.data.uuid;
            const rows = await t.proxy.db.prepare('SELECT COUNT(*) AS n FROM orders WHERE uuid = ?').bind(uuid).first();
            assert.equal(rows.n, 1, 'indexed once');
          };
        } else if (op === 'resend') {
          const id = await createOrder(t, { customerDetails: { ...paymentLink().customerDetails, name } });
          path = `/api/v1/connect/orders/resend/${id}`;
          body = { email: 'kari@example.com' };
          check = async () => {
            assert.equal((await upstreamJson(`/api/v1/connect/orders/status/${id}`)).status, 'SENT');
          };
        } else if (op === 'cancel') {
          const id = await createOrder(t, { customerDetails: { ...paymentLink().customerDetails, name } });
          path = `/api/v1/connect/orders/cancel/${id}`;
          body = { cancellationNote: 'customer asked' };
          check = async () => {
            assert.equal((await upstreamJson(`/api/v1/connect/orders/status/${id}`)).status, 'CANCELLED');
          };
        } else {
          const id = await paidOrder(name);
          const details = await upstreamJson(`/api/v1/connect/orders/details/${id}`);
          const productId = details.productList[0].id;
          path = `/api/v1/connect/orders/refund/${id}`;
          body = { type: 'regular', grandTotal: 10, products: [{ id: productId, amount: 10 }] };
          check = async () => {
            const st = await upstreamJson(`/api/v1/connect/orders/status/${id}`);
            assert.equal(Number(st.refundedAmount), 10, 'refunded exactly once');
          };
        }
        const send = (extra) => t.proxy.fetch(path, json(body, admin({ 'idempotency-key': key, ...extra })));

        // 1. The faulty attempt: a clean envelope the client can act on.
        const first = await send({ 'x-sandbox-fault': fault });
        const firstText = await first.text();
        const statuses = [first.status];
        if (firstStatus === null) {
          assert.ok(first.status >= 200 && first.status < 300, `${first.status} ${firstText}`);
        } else {
          assert.equal(first.status, firstStatus, firstText);
          const env = JSON.parse(firstText);
          assert.ok(isErrorEnvelope(env, firstStatus), firstText);
          assert.equal(first.headers.get('content-type')?.split(';')[0], 'application/json');
        }
        assert.ok(!firstText.includes(t.token));

        // 2. Retry with the same key until settled.
        const final = await untilSettled(() => send({}));
        statuses.push(...final.statuses);
        assert.ok(final.response.status >= 200 && final.response.status < 300, `${final.response.status} ${JSON.stringify(final.body)}`);
        if (firstStatus !== null && done && op !== 'resend') {
          assert.equal(final.response.headers.get('idempotent-replayed'), 'true', 'settled, not sent again');
        }
        await check(final);

        // 3. One more retry: replayed, still exactly one effect.
        const again = await send({});
        statuses.push(again.status);
        assert.equal(again.status, final.response.status);
        assert.equal(again.headers.get('idempotent-replayed'), 'true');
        await again.text();
        await check(final);

        // 4. The audit log has every attempt, in order, with its outcome.
        const rows = await auditRowsFor(key);
        assert.deepEqual(rows.map((r) => r.status), statuses, JSON.stringify(rows));
        for (const row of rows) assert.ok(typeof row.message === 'string' && row.message.length > 0);
        assert.equal(rows.at(-1).replayed, true);
        tally.attempts += statuses.length;
        tally.auditRows += rows.length;
      });
    }
  }
});
