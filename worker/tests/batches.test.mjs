// Send to many (issue 19): the preview, who may start a batch, the job at the edge (a Durable
// Object on its alarm) against a small rate limit and random faults, pause / resume / cancel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { json, setup } from './fixtures.mjs';

const HEADER = 'ordrereferanse;kundetype;navn;telefon;epost;gateadresse;postnummer;poststed;produkt;antall;enhetspris;mva_prosent';

/** A nb sheet of `n` payment links, one line each (row i costs 100+i,50 kr); `bad` rows have a broken email. */
function sheet(n, bad = []) {
  const rows = [];
  for (let i = 1; i <= n; i++) {
    const email = bad.includes(i) ? 'not-an-email' : `kunde${i}@example.no`;
    rows.push(`R${i};privat;Kunde ${i};46567468;${email};Gate ${i};4313;Sandnes;Kontingent;1;${100 + i},50;25`);
  }
  return `\ufeff${HEADER}\r\n${rows.join('\r\n')}\r\n`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `fn()`'s first truthy answer, asked every `every` ms for at most `ms`. */
async function until(fn, ms, every = 500) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await sleep(every);
  }
}

function helpers(get) {
  const t = () => get();
  return {
    preview: (name, csv, role = 'clerk') =>
      t().proxy.fetch('/console/batches', json({ name, kind: 'PAYMENT_LINK', input: { way: 'orders', options: {}, csv } }, t().auth(role))),
    act: (id, what, role = 'clerk') => t().proxy.fetch(`/console/batches/${id}/${what}`, { method: 'POST', headers: t().auth(role) }),
    batch: async (id) => (await t().proxy.fetch(`/console/batches/${id}`, { headers: t().auth('viewer') })).json(),
    /** A sandbox read that may meet a random fault: asked again until it answers cleanly. */
    async upstream(path) {
      for (let i = 0; i < 40; i++) {
        try {
          const r = await t().sandbox.api(path);
          const body = JSON.parse(await r.text());
          if (r.status === 200 || r.status === 404) return { status: r.status, body };
        } catch {}
        await sleep(100);
      }
      throw new Error(`the sandbox never answered ${path} cleanly`);
    },
    /** Orders the sandbox holds (its rate limit switched off first: the test's reads are not the merchant's). */
    async upstreamOrders() {
      await t().sandbox.api('/_sandbox/rate-limit', json({ perMinute: 0 }));
      const all = await this.upstream('/api/v1/connect/orders/status');
      return all.status === 404 ? [] : all.body.data;
    },
  };
}

describe('preview and roles', () => {
  let t;
  const h = helpers(() => t);
  before(async () => {
    t = await setup({ sandboxArgs: ['--rate-limit', '30'] });
  });
  after(() => t?.stop());

  test('every order is checked as the form checks it; errors per row, with column and line; nothing is sent', async () => {
    const r = await h.preview('Kontingent', sheet(4, [2, 4]));
    assert.equal(r.status, 201, await r.clone().text());
    const p = await r.json();
    assert.equal(p.batch.state, 'draft');
    assert.equal(p.batch.name, 'Kontingent');
    assert.deepEqual(p.rows.map((row) => [row.row, row.label, row.issues.length === 0]), [
      [1, 'R1', true], [2, 'R2', false], [3, 'R3', true], [4, 'R4', false],
    ]);
    const issue = p.rows[1].issues.find((i) => i.field === 'customerDetails.email');
    assert.deepEqual([issue.code, issue.column, issue.line], ['email', 'email', 3]);
    assert.deepEqual(p.totals, { orders: 4, valid: 2, amountOre: 10150 + 10350 });
    assert.deepEqual([p.batch.progress.left, p.batch.progress.invalid, p.batch.progress.sent], [2, 2, 0]);
    assert.equal(p.batch.amountOre, 20500);
    assert.deepEqual(await h.upstreamOrders(), []);
    await t.sandbox.api('/_sandbox/rate-limit', json({ perMinute: 30 }));
  });

  test('a file that cannot be read is refused whole; a batch needs a name', async () => {
    const unknown = await h.preview('X', 'navn;skostørrelse\nKari;38\n');
    assert.equal(unknown.status, 422);
    assert.match(JSON.stringify(await unknown.json()), /skostørrelse/);
    const nameless = await h.preview('  ', sheet(1));
    assert.equal(nameless.status, 417);
    const count = await t.proxy.db.prepare('SELECT COUNT(*) AS n FROM batches WHERE name = ?').bind('X').first();
    assert.equal(count.n, 0);
  });

  test('viewers read batches but cannot preview, confirm or cancel one', async () => {
    assert.equal((await h.preview('V', sheet(1), 'viewer')).status, 403);
    const made = await (await h.preview('V', sheet(1))).json();
    for (const what of ['confirm', 'cancel']) {
      assert.equal((await h.act(made.batch.id, what, 'viewer')).status, 403, what);
    }
    const list = await t.proxy.fetch('/console/batches', { headers: t.auth('viewer') });
    assert.equal(list.status, 200);
    assert.ok((await list.json()).items.some((b) => b.id === made.batch.id && b.state === 'draft'));
    const one = await h.batch(made.batch.id);
    assert.deepEqual(one.rows.map((r) => r.state), ['pending']);
    const csv = await t.proxy.fetch(`/console/batches/${made.batch.id}/result.csv?lang=en`, { headers: t.auth('viewer') });
    assert.equal(csv.status, 200);
    // Response.text() drops a leading BOM: decode the bytes as they came.
    const bytes = await csv.arrayBuffer();
    assert.match(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), /^\ufeffrow,order_or_customer,state,amount,order_uuid,error\r\n1,R1,pending,101\.5,,\r\n$/);
    assert.equal((await t.proxy.fetch('/console/batches/999999', { headers: t.auth('viewer') })).status, 404);
  });

  test('pause stops the job, resume goes on, cancel skips what is not yet sent', { timeout: 150_000 }, async () => {
    const { batch } = await (await h.preview('Husleie', sheet(25))).json();
    assert.equal((await h.act(batch.id, 'confirm')).status, 200);
    const paused = await h.act(batch.id, 'pause');
    assert.equal(paused.status, 200, await paused.clone().text());
    assert.equal((await paused.json()).state, 'paused');
    await sleep(1500); // a row in flight when paused lands
    const a = await h.batch(batch.id);
    await sleep(2500);
    const b = await h.batch(batch.id);
    assert.equal(b.batch.state, 'paused');
    assert.equal(b.batch.progress.sent, a.batch.progress.sent, 'nothing is sent while paused');
    assert.ok(b.batch.progress.left > 0);
    assert.equal((await h.act(batch.id, 'pause')).status, 409);
    const resumed = await h.act(batch.id, 'resume');
    assert.equal((await resumed.json()).state, 'running');
    const moved = await until(async () => (await h.batch(batch.id)).batch.progress.sent > b.batch.progress.sent, 90_000);
    assert.ok(moved, 'the job went on after resume');
    const cancelled = await h.act(batch.id, 'cancel');
    assert.equal((await cancelled.json()).state, 'cancelled');
    await sleep(1500);
    const end = await h.batch(batch.id);
    const p = end.batch.progress;
    assert.equal(p.left, 0);
    assert.ok(p.skipped > 0, JSON.stringify(p));
    assert.equal(p.sent + p.skipped + p.failed, 25);
    const sent = end.rows.filter((r) => r.state === 'sent');
    assert.ok(sent.every((r) => /^ODR\d{10}$/.test(r.orderUuid)));
    assert.ok(end.rows.filter((r) => r.state === 'skipped').every((r) => r.orderUuid === null));
    assert.equal((await h.act(batch.id, 'resume')).status, 409);
    const upstream = await h.upstreamOrders();
    assert.deepEqual(upstream.map((o) => o.uuid).sort(), sent.map((r) => r.orderUuid).sort());
  });
});

describe('a batch against random faults and a small rate limit', () => {
  let t;
  const h = helpers(() => t);
  before(async () => {
    t = await setup({ sandboxArgs: ['--rate-limit', '30', '--fault-rate', '0.2', '--fault-timeout-secs', '2'] });
  });
  after(() => t?.stop());

  test('12 rows: exactly 12 orders upstream, none twice, each row with its uuid, in the index and the audit log', { timeout: 300_000 }, async () => {
    const r = await h.preview('Kontingent 2026', sheet(12));
    assert.equal(r.status, 201, await r.clone().text());
    const { batch, totals } = await r.json();
    assert.equal(totals.valid, 12);
    const confirmed = await h.act(batch.id, 'confirm');
    assert.equal(confirmed.status, 200, await confirmed.clone().text());
    // The tab may close: nothing here drives the job but its own alarm.
    const done = await until(async () => {
      const d = await h.batch(batch.id);
      return d.batch.state === 'done' && d;
    }, 280_000, 1000);
    assert.ok(done, 'the job finished by itself');
    assert.equal(done.batch.progress.sent, 12, JSON.stringify(done.rows));
    const uuids = done.rows.map((row) => row.orderUuid);
    assert.equal(new Set(uuids).size, 12);
    const upstream = await h.upstreamOrders();
    assert.deepEqual(upstream.map((o) => o.uuid).sort(), [...uuids].sort());
    for (const u of uuids) {
      assert.equal((await h.upstream(`/api/v1/connect/orders/status/${u}`)).status, 200, u);
    }
    const indexed = await t.proxy.db.prepare('SELECT COUNT(*) AS n FROM orders WHERE batch_id = ?').bind(batch.id).first();
    assert.equal(indexed.n, 12);
    const audited = await t.proxy.db
      .prepare("SELECT COUNT(DISTINCT order_uuid) AS n FROM audit_log WHERE detail LIKE ? AND status BETWEEN 200 AND 299")
      .bind(`{"batch":{"id":${batch.id},"name":"Kontingent 2026",%`)
      .first();
    assert.equal(audited.n, 12);
    const csv = await (await t.proxy.fetch(`/console/batches/${batch.id}/result.csv`, { headers: t.auth('viewer') })).text();
    for (const u of uuids) assert.ok(csv.includes(u), u);
  });
});
