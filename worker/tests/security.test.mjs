// Issue 15: sessions that end (sign-out, sign out everywhere, idle and absolute expiry), users
// managed in the console (routes × roles, the add → sign in → role change → disable → reset
// flow, own password changes), a sign-in throttle that holds under 200 parallel guesses,
// revocable API keys, the __Host- cookie and HSTS off localhost, and the audit of all of it.
//
// TRUST_CF_CONNECTING_IP is on, so each test picks its own client address (CF-Connecting-IP)
// and its own throttle buckets. Idle expiry is tested by ageing the session's row in D1: the
// proxy reads `last_seen_at` on every request, so no clock needs faking.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { PASSWORD, json, setup } from './fixtures.mjs';
import { eventually } from './harness.mjs';

// worker/src/auth/session.rs and throttle.rs
const IDLE_MS = 30 * 60 * 1000;
const LIFETIME_MS = 8 * 3600 * 1000;
const PAIR_LIMIT = 5;
const ADDRESS_LIMIT = 20;
const HSTS = 'max-age=63072000; includeSubDomains';

let t;
before(async () => {
  t = await setup({ bindings: { TRUST_CF_CONNECTING_IP: 'true' } });
});
after(() => t?.stop());

let lastAddress = 0;
/** A client address no other test uses. */
const freshAddress = () => `192.0.2.${++lastAddress}`;

function signIn(username, password, address, base = t.proxy.base) {
  return t.proxy.mf.dispatchFetch(`${base}/auth/login`, json({ username, password }, { origin: base, 'cf-connecting-ip': address }));
}

/** Sign in; the `Cookie` header value. */
async function cookieOf(username, password, address = freshAddress()) {
  const r = await signIn(username, password, address);
  assert.equal(r.status, 200, `sign in ${username}: ${await r.clone().text()}`);
  return r.headers.get('set-cookie').split(';')[0];
}

/** The session id inside a cookie's signed payload. */
const sidOf = (cookie) => JSON.parse(Buffer.from(cookie.split('=')[1].split('.')[0], 'base64url')).sid;
/** Headers of a cookie write from our own origin (and, when given, an address). */
const write = (cookie, address) => ({ cookie, origin: t.proxy.base, ...(address ? { 'cf-connecting-ip': address } : {}) });
const me = (cookie) => t.proxy.fetch('/auth/me', { headers: { cookie } });
const reasonOf = async (r) => (await r.json()).errors?.[0];

function call(method, path, headers = {}, body) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  return t.proxy.fetch(path, init);
}

const dataOf = async (r) => (await r.json()).data;
const auditAsAdmin = async (query) => (await dataOf(await call('GET', `/console/audit?${query}`, t.auth('admin')))).items;

describe('sessions that end', () => {
  test('a cookie copied before sign-out is refused after it', async () => {
    const cookie = await cookieOf('viewer', PASSWORD);
    const other = await cookieOf('viewer', PASSWORD);
    const copy = `${cookie}`;
    assert.equal((await me(copy)).status, 200);
    const out = await t.proxy.fetch('/auth/logout', { method: 'POST', headers: write(cookie) });
    assert.equal(out.status, 200);
    assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
    const refused = await me(copy);
    assert.equal(refused.status, 401);
    assert.equal(await reasonOf(refused), 'sessionRevoked');
    const row = await t.proxy.db.prepare('SELECT revoked_at FROM sessions WHERE id = ?').bind(sidOf(cookie)).first();
    assert.ok(row.revoked_at > 0);
    // Only that session ended.
    assert.equal((await me(other)).status, 200);
  });

  test('sign out everywhere ends every session of the user, and only theirs', async () => {
    const a = await cookieOf('clerk', PASSWORD);
    const b = await cookieOf('clerk', PASSWORD);
    const admin = await cookieOf('admin', PASSWORD);
    const r = await t.proxy.fetch('/auth/logout-everywhere', { method: 'POST', headers: write(a) });
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.equal(body.loggedOut, true);
    assert.ok(body.revoked >= 2, JSON.stringify(body));
    assert.match(r.headers.get('set-cookie'), /Max-Age=0/);
    for (const c of [a, b]) {
      const x = await me(c);
      assert.equal(x.status, 401);
      assert.equal(await reasonOf(x), 'sessionRevoked');
    }
    assert.equal((await me(admin)).status, 200);
    // A key has no session to end; a cross-site page cannot end them.
    const key = await t.proxy.fetch('/auth/logout-everywhere', { method: 'POST', headers: t.auth('clerk') });
    assert.equal(key.status, 403);
    assert.equal(await reasonOf(key), 'sessionRequired');
    const c = await cookieOf('clerk', PASSWORD);
    const cross = await t.proxy.fetch('/auth/logout-everywhere', { method: 'POST', headers: { cookie: c, origin: 'https://evil.example' } });
    assert.equal(cross.status, 403);
    assert.equal(await reasonOf(cross), 'crossOrigin');
    assert.equal((await me(c)).status, 200);
  });

  test('idle for 30 minutes, or 8 hours after sign-in, the session is over', async () => {
    const cookie = await cookieOf('viewer', PASSWORD);
    const sid = sidOf(cookie);
    const seenAt = async () => (await t.proxy.db.prepare('SELECT last_seen_at FROM sessions WHERE id = ?').bind(sid).first()).last_seen_at;
    const setSeen = (v) => t.proxy.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?').bind(v, sid).run();
    // 29 minutes without a request: still good, and this request counts as activity.
    const idle29 = Date.now() - (IDLE_MS - 60_000);
    await setSeen(idle29);
    assert.equal((await me(cookie)).status, 200);
    const touched = await eventually(async () => ((await seenAt()) > idle29 ? seenAt() : null));
    assert.ok(touched >= Date.now() - 60_000, `last_seen_at ${touched}`);
    // Within the minute, a request writes nothing.
    assert.equal((await me(cookie)).status, 200);
    // 31 minutes: over.
    await setSeen(Date.now() - IDLE_MS - 60_000);
    const idle = await me(cookie);
    assert.equal(idle.status, 401);
    assert.equal(await reasonOf(idle), 'sessionExpired');
    // Busy all along, but signed in more than 8 hours ago: over too.
    const busy = await cookieOf('viewer', PASSWORD);
    await t.proxy.db
      .prepare('UPDATE sessions SET created_at = ?, last_seen_at = ? WHERE id = ?')
      .bind(Date.now() - LIFETIME_MS - 1000, Date.now(), sidOf(busy))
      .run();
    const old = await me(busy);
    assert.equal(old.status, 401);
    assert.equal(await reasonOf(old), 'sessionExpired');
  });

  test('a forged session id costs no session: the signature is checked first', async () => {
    const cookie = await cookieOf('viewer', PASSWORD);
    const [payload, tag] = cookie.split('=')[1].split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url'));
    const forged = Buffer.from(JSON.stringify({ ...claims, sid: 'f'.repeat(32) })).toString('base64url');
    const r = await me(`fd_session=${forged}.${tag}`);
    assert.equal(r.status, 401);
    assert.equal(await reasonOf(r), 'sessionInvalid');
  });
});

describe('the sign-in throttle holds under concurrency', () => {
  test(`200 parallel wrong guesses for one name run PBKDF2 at most ${PAIR_LIMIT} times`, async () => {
    const address = freshAddress();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => signIn('admin', `guess-${i}`, address)));
    const statuses = answers.map((r) => r.status);
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    const wrong = statuses.filter((s) => s === 401).length;
    const throttled = statuses.filter((s) => s === 429).length;
    assert.equal(wrong + throttled, 200, statuses.join());
    assert.ok(wrong >= 1 && wrong <= PAIR_LIMIT, `${wrong} guesses were checked`);
    // Every attempt was recorded before it was judged.
    const recorded = await t.proxy.db
      .prepare("SELECT COUNT(*) AS n FROM login_failures WHERE username = 'admin' AND address = ?")
      .bind(address)
      .first();
    assert.equal(recorded.n, 200);
    // The audit tells the guesses that ran PBKDF2 ('password') from those that did not.
    const rows = await eventually(async () => {
      const { results } = await t.proxy.db
        .prepare("SELECT message, COUNT(*) AS n FROM audit_log WHERE action = 'signInFailed' AND address = ? GROUP BY message")
        .bind(address)
        .all();
      return results.reduce((sum, r) => sum + r.n, 0) >= 200 ? results : null;
    }, 15_000);
    assert.ok(rows, 'every attempt audited');
    const by = Object.fromEntries(rows.map((r) => [r.message, r.n]));
    assert.deepEqual(by, { password: wrong, throttled });
    // Even the right password waits now, with a Retry-After; another address is not locked out.
    const locked = await signIn('admin', PASSWORD, address);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get('retry-after')) >= 1);
    assert.equal((await locked.json()).message, 'tooManyRequests');
    assert.equal((await signIn('admin', PASSWORD, freshAddress())).status, 200);
  });

  test(`random names cost the guesser: after ${ADDRESS_LIMIT} the address waits, before any PBKDF2`, async () => {
    const address = freshAddress();
    const statuses = [];
    for (let i = 0; i < ADDRESS_LIMIT + 5; i++) {
      const r = await signIn(`nobody-${i}-${Math.random().toString(36).slice(2)}`, 'x', address);
      statuses.push(r.status);
      await r.arrayBuffer();
    }
    assert.deepEqual(statuses.slice(0, ADDRESS_LIMIT), Array(ADDRESS_LIMIT).fill(401));
    assert.ok(statuses.slice(ADDRESS_LIMIT).every((s) => s === 429), statuses.join());
    const rows = await eventually(async () => {
      const { results } = await t.proxy.db
        .prepare("SELECT actor, message FROM audit_log WHERE action = 'signInFailed' AND address = ?")
        .bind(address)
        .all();
      return results.length >= ADDRESS_LIMIT + 5 ? results : null;
    });
    assert.ok(rows, 'every attempt audited');
    // Unknown names are not written down: people type passwords into that field.
    assert.ok(rows.every((r) => r.actor === 'unknown'), JSON.stringify(rows.slice(0, 3)));
    assert.equal(rows.filter((r) => r.message === 'unknownUser').length, ADDRESS_LIMIT);
    assert.equal(rows.filter((r) => r.message === 'throttled').length, 5);
  });
});

describe('user management', () => {
  test('every users route: anonymous 401, viewer and clerk 403 (key or cookie), admin passes', async () => {
    const routes = [
      ['GET', '/console/users'],
      ['POST', '/console/users', { username: 'matrix-user', role: 'viewer' }],
      ['PATCH', '/console/users/nobody-here', { role: 'clerk' }],
      ['POST', '/console/users/nobody-here/password'],
      ['GET', '/console/users/viewer/sessions'],
      ['GET', '/console/users/viewer/keys'],
      ['DELETE', '/console/keys/no-such-key'],
    ];
    const cookies = { viewer: await cookieOf('viewer', PASSWORD), clerk: await cookieOf('clerk', PASSWORD) };
    for (const [method, path, body] of routes) {
      const label = `${method} ${path}`;
      const anon = await call(method, path, { origin: t.proxy.base }, body);
      assert.equal(anon.status, 401, label);
      for (const role of ['viewer', 'clerk']) {
        for (const headers of [t.auth(role), write(cookies[role])]) {
          const r = await call(method, path, headers, body);
          assert.equal(r.status, 403, `${role} ${label}`);
          assert.equal(await reasonOf(r), 'roleNotAllowed', `${role} ${label}`);
        }
      }
      const admin = await call(method, path, t.auth('admin'), body);
      const text = await admin.text();
      assert.ok(![401, 403].includes(admin.status) && admin.status < 500, `admin ${label}: ${admin.status} ${text}`);
    }
    // The refused attempts are in the audit (for admins).
    const refused = await eventually(async () => {
      const items = await auditAsAdmin('user=clerk&action=userChanged');
      return items.some((i) => i.status === 403 && i.message === 'roleNotAllowed') ? items : null;
    });
    assert.ok(refused, 'a refused user change is audited');
  });

  test('add a user → first sign-in → role change → disable → enable → reset → end a session', async () => {
    const adminAddress = freshAddress();
    const admin = await cookieOf('admin', PASSWORD, adminAddress);
    const asAdmin = write(admin, adminAddress);
    const created = await call('POST', '/console/users', asAdmin, { username: ' Kari.Nordmann ', role: 'clerk' });
    assert.equal(created.status, 200, await created.clone().text());
    const issued = await dataOf(created);
    assert.equal(issued.username, 'kari.nordmann');
    assert.ok(issued.password.length >= 12, issued.password);
    // The name is taken now, whatever its case; a bad name is a 417 on `username`.
    const again = await call('POST', '/console/users', asAdmin, { username: 'KARI.NORDMANN', role: 'viewer' });
    assert.equal(again.status, 409);
    assert.equal((await again.json()).message, 'userAlreadyExists');
    const bad = await call('POST', '/console/users', asAdmin, { username: 'kari nordmann', role: 'viewer' });
    assert.equal(bad.status, 417);
    assert.deepEqual((await bad.json()).fields.username.map((f) => f.code), ['usernameCharacters']);

    // First sign-in with the issued password.
    const kariAddress = freshAddress();
    const kari = await cookieOf('kari.nordmann', issued.password, kariAddress);
    const who = await (await me(kari)).json();
    assert.deepEqual([who.username, who.role, who.via], ['kari.nordmann', 'clerk', 'session']);
    const listed = async () => (await dataOf(await call('GET', '/console/users', t.auth('admin')))).find((u) => u.username === 'kari.nordmann');
    const row = await listed();
    assert.deepEqual([row.role, row.status], ['clerk', 'active']);
    assert.ok(row.lastSignInAt > 0 && row.createdAt > 0);
    assert.equal(row.password, undefined);
    const sessions = await dataOf(await call('GET', '/console/users/kari.nordmann/sessions', t.auth('admin')));
    assert.equal(sessions.length, 1);
    assert.deepEqual([sessions[0].id, sessions[0].address, sessions[0].current], [sidOf(kari), kariAddress, false]);

    // A role change ends her session; she signs in again with the new role.
    const demoted = await call('PATCH', '/console/users/kari.nordmann', asAdmin, { role: 'viewer' });
    assert.equal(demoted.status, 200);
    assert.equal((await dataOf(demoted)).role, 'viewer');
    const ended = await me(kari);
    assert.equal(ended.status, 401);
    assert.equal(await reasonOf(ended), 'sessionRevoked');
    const kari2 = await cookieOf('kari.nordmann', issued.password);
    assert.equal((await (await me(kari2)).json()).role, 'viewer');

    // Disabled: her live session stops working and she cannot sign in.
    const disabled = await call('PATCH', '/console/users/kari.nordmann', asAdmin, { status: 'disabled' });
    assert.equal((await dataOf(disabled)).status, 'disabled');
    assert.equal((await me(kari2)).status, 401);
    const refused = await signIn('kari.nordmann', issued.password, freshAddress());
    assert.equal(refused.status, 401);
    assert.equal(await reasonOf(refused), 'badCredentials');
    assert.equal((await listed()).status, 'disabled');

    // Enabled again; then a reset: every session ends and the old password is gone.
    const enabled = await call('PATCH', '/console/users/kari.nordmann', asAdmin, { status: 'active' });
    assert.equal((await dataOf(enabled)).status, 'active');
    const kari3 = await cookieOf('kari.nordmann', issued.password);
    const reset = await call('POST', '/console/users/kari.nordmann/password', asAdmin);
    assert.equal(reset.status, 200);
    const fresh = (await dataOf(reset)).password;
    assert.notEqual(fresh, issued.password);
    assert.equal((await me(kari3)).status, 401);
    assert.equal((await signIn('kari.nordmann', issued.password, freshAddress())).status, 401);

    // The admin ends her new session from the list.
    const kari4 = await cookieOf('kari.nordmann', fresh);
    const del = await call('DELETE', `/console/sessions/${sidOf(kari4)}`, asAdmin);
    assert.equal(del.status, 200, await del.clone().text());
    assert.equal((await me(kari4)).status, 401);
    const gone = await call('DELETE', `/console/sessions/${sidOf(kari4)}`, asAdmin);
    assert.equal(gone.status, 404);

    // All of it audited with the admin as actor and the admin's address; viewers do not see it.
    const wanted = ['userCreated', 'userChanged', 'passwordReset', 'sessionRevoked'];
    const audit = await eventually(async () => {
      const items = (await auditAsAdmin('user=admin&limit=100')).filter((i) => i.address === adminAddress);
      return wanted.every((a) => items.some((i) => i.action === a && i.status === 200)) ? items : null;
    });
    assert.ok(audit, 'account changes audited');
    const create = audit.find((i) => i.action === 'userCreated' && i.status === 200);
    assert.deepEqual(JSON.parse(create.detail), { username: 'kari.nordmann', role: 'clerk' });
    assert.ok(audit.some((i) => i.action === 'userCreated' && i.status === 409));
    const asViewer = (await dataOf(await call('GET', '/console/audit?user=admin&action=userCreated', t.auth('viewer')))).items;
    assert.deepEqual(asViewer, []);
  });

  test('a user ends their own session, not anyone else\'s', async () => {
    const mine = await cookieOf('clerk', PASSWORD);
    const theirs = await cookieOf('viewer', PASSWORD);
    const notMine = await call('DELETE', `/console/sessions/${sidOf(theirs)}`, write(mine));
    assert.equal(notMine.status, 404);
    assert.equal((await me(theirs)).status, 200);
    const own = await call('DELETE', `/console/sessions/${sidOf(mine)}`, write(mine));
    assert.equal(own.status, 200);
    assert.match(own.headers.get('set-cookie'), /Max-Age=0/);
    assert.equal((await me(mine)).status, 401);
  });

  test('the last active admin cannot be demoted or disabled', async () => {
    const admins = (await dataOf(await call('GET', '/console/users', t.auth('admin')))).filter((u) => u.role === 'admin' && u.status === 'active');
    assert.deepEqual(admins.map((u) => u.username), ['admin']);
    for (const change of [{ role: 'clerk' }, { status: 'disabled' }]) {
      const r = await call('PATCH', '/console/users/admin', t.auth('admin'), change);
      assert.equal(r.status, 409, JSON.stringify(change));
      assert.equal((await r.json()).message, 'lastActiveAdmin');
    }
    assert.equal((await signIn('admin', PASSWORD, freshAddress())).status, 200);
  });

  test('own password: core\'s rules, the current one under the throttle, other sessions end', async () => {
    const created = await call('POST', '/console/users', t.auth('admin'), { username: 'ola.nordmann.test', role: 'viewer' });
    const first = (await dataOf(created)).password;
    const here = await cookieOf('ola.nordmann.test', first);
    const there = await cookieOf('ola.nordmann.test', first);
    const change = (body) => call('POST', '/auth/password', write(here), body);
    for (const [bad, code] of [['short', 'minLength'], ['Ola.Nordmann.Test', 'different'], ['Password1234', 'commonPassword']]) {
      const r = await change({ current: first, new: bad });
      assert.equal(r.status, 417, bad);
      assert.deepEqual((await r.json()).fields.new.map((f) => f.code), [code], bad);
    }
    const wrong = await change({ current: 'not the password', new: 'a fine new passphrase' });
    assert.equal(wrong.status, 403);
    assert.equal(await reasonOf(wrong), 'currentPasswordWrong');
    const ok = await change({ current: first, new: 'a fine new passphrase' });
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.equal((await ok.json()).message, 'passwordChanged');
    assert.equal((await me(here)).status, 200);
    const other = await me(there);
    assert.equal(other.status, 401);
    assert.equal(await reasonOf(other), 'sessionRevoked');
    assert.equal((await signIn('ola.nordmann.test', first, freshAddress())).status, 401);
    assert.equal((await signIn('ola.nordmann.test', 'a fine new passphrase', freshAddress())).status, 200);
    // A key has no password of its own here.
    const key = await call('POST', '/auth/password', t.auth('admin'), { current: 'x', new: 'a fine new passphrase' });
    assert.equal(key.status, 403);
    assert.equal(await reasonOf(key), 'sessionRequired');
  });
});

describe('audit of sign-ins', () => {
  test('sign-ins and failures are audited with the address; only admins read them', async () => {
    const address = freshAddress();
    await cookieOf('clerk', PASSWORD, address);
    await (await signIn('clerk', 'wrong', address)).arrayBuffer();
    const rows = await eventually(async () => {
      const mine = (await auditAsAdmin('user=clerk&limit=100')).filter((i) => i.address === address);
      return mine.length >= 2 ? mine : null;
    });
    assert.ok(rows, 'audited');
    assert.ok(rows.some((i) => i.action === 'signIn' && i.status === 200 && i.actor === 'user:clerk'));
    assert.ok(rows.some((i) => i.action === 'signInFailed' && i.status === 401 && i.message === 'password'));
    const asViewer = (await dataOf(await call('GET', '/console/audit?user=clerk&limit=100', t.auth('viewer')))).items;
    assert.ok(asViewer.every((i) => !['signIn', 'signInFailed'].includes(i.action)), JSON.stringify(asViewer[0]));
  });
});

describe('cookies and headers off localhost', () => {
  test('__Host- cookie and HSTS on a real host; the plain name and no HSTS on localhost', async () => {
    const base = 'https://desk.example';
    const r = await signIn('viewer', PASSWORD, freshAddress(), base);
    assert.equal(r.status, 200);
    const c = r.headers.get('set-cookie');
    assert.match(c, /^__Host-fd_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800; Secure$/);
    assert.equal(r.headers.get('strict-transport-security'), HSTS);
    const cookie = c.split(';')[0];
    const value = cookie.slice(cookie.indexOf('=') + 1);
    const meThere = (header) => t.proxy.mf.dispatchFetch(`${base}/auth/me`, { headers: { cookie: header } });
    assert.equal((await meThere(cookie)).status, 200);
    // The unprefixed name (which a sibling subdomain could plant) is not read there.
    assert.equal((await meThere(`fd_session=${value}`)).status, 401);
    for (const path of ['/health', '/console/nope', '/auth/me']) {
      const x = await t.proxy.mf.dispatchFetch(`${base}${path}`);
      assert.equal(x.headers.get('strict-transport-security'), HSTS, path);
    }
    const local = await signIn('viewer', PASSWORD, freshAddress());
    assert.match(local.headers.get('set-cookie'), /^fd_session=/);
    assert.equal(local.headers.get('strict-transport-security'), null);
    assert.equal((await t.proxy.fetch('/health')).headers.get('strict-transport-security'), null);
  });
});

// Last: it revokes the viewer's key for good.
describe('API keys', () => {
  test('listed per user, revoked by an admin, refused and audited after', async () => {
    const address = freshAddress();
    const keys = async () => dataOf(await call('GET', '/console/users/viewer-key/keys', t.auth('admin')));
    assert.deepEqual(await keys(), [{ id: 'viewer-key', username: 'viewer-key', role: 'viewer', revoked: false }]);
    const bad = await call('GET', '/auth/me', { authorization: 'Bearer fdk_nope', 'cf-connecting-ip': address });
    assert.equal(bad.status, 401);
    assert.equal(await reasonOf(bad), 'badApiKey');
    assert.equal((await call('DELETE', '/console/keys/viewer-key', t.auth('viewer'))).status, 403);
    const del = await call('DELETE', '/console/keys/viewer-key', t.auth('admin'));
    assert.equal(del.status, 200);
    assert.equal((await del.json()).message, 'apiKeyRevoked');
    const revoked = await call('GET', '/api/v1/connect/orders/status', { ...t.auth('viewer'), 'cf-connecting-ip': address });
    assert.equal(revoked.status, 401);
    assert.equal(await reasonOf(revoked), 'apiKeyRevoked');
    assert.deepEqual(await keys(), [{ id: 'viewer-key', username: 'viewer-key', role: 'viewer', revoked: true }]);
    assert.equal((await call('DELETE', '/console/keys/no-such-key', t.auth('admin'))).status, 404);
    const rows = await eventually(async () => {
      const items = (await auditAsAdmin('action=apiKeyRefused&limit=100')).filter((i) => i.address === address);
      return items.length >= 2 ? items : null;
    });
    assert.ok(rows, 'refused keys audited');
    assert.deepEqual(rows.map((i) => [i.actor, i.message]).sort(), [['key:viewer-key', 'apiKeyRevoked'], ['unknown', 'badApiKey']]);
    const revocation = await eventually(async () => {
      const items = await auditAsAdmin('action=apiKeyRevoked&user=key:admin-key');
      return items.some((i) => i.status === 200 && JSON.parse(i.detail).key === 'viewer-key') ? items : null;
    });
    assert.ok(revocation, 'the revocation is audited');
  });
});
