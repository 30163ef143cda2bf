// Item 4: authorization of EVERY proxy route that is not one of the 12 API endpoints (those are
// in worker/tests/auth.test.mjs): /console/*, /_sandbox/*, /auth/*, /callbacks/*, /health, the
// console's assets × {anonymous, wrong key, expired cookie, forged cookie, viewer, clerk, admin}
// by key and by cookie; cross-origin cookie writes; session expiry edges; login throttling.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { figures, fixtures, miniflareStack } from '../support/reliability.mjs';

const { json, createOrder, PASSWORD } = await fixtures();

let t;
let order;
const cookies = {};
let checks = 0;
before(async () => {
  t = await miniflareStack();
  order = await createOrder(t);
  for (const role of ['viewer', 'clerk', 'admin']) cookies[role] = await t.login(role);
});
after(async () => {
  figures('authorization', { checks });
  await t?.stop();
});

const RANK = { any: 0, viewer: 1, clerk: 2, admin: 3 };
// [method, path, body, who may pass: public | any (any signed-in role) | viewer | clerk | admin]
const ROUTES = () => [
  ['GET', '/health', null, 'public'],
  ['GET', '/', null, 'public'],
  ['GET', '/orders/ODR1000000001', null, 'public'],
  ['POST', '/auth/login', { username: 'nobody-here', password: 'x' }, 'login'],
  ['GET', '/auth/me', null, 'any'],
  ['POST', '/auth/logout', null, 'public'],
  ['GET', '/console/orders', null, 'viewer'],
  ['GET', '/console/orders?status=SENT&q=Kari&limit=5', null, 'viewer'],
  ['GET', '/console/audit', null, 'viewer'],
  ['GET', `/console/audit?order=${order}`, null, 'viewer'],
  ['POST', '/console/sync', null, 'clerk'],
  ['GET', '/_sandbox/clock', null, 'admin'],
  ['POST', '/_sandbox/clock', { advanceSeconds: 0 }, 'admin'],
  ['GET', `/_sandbox/orders/${order}/callbacks`, null, 'admin'],
  ['POST', `/_sandbox/orders/${order}/transition`, { to: 'NOPE' }, 'admin'],
  ['GET', '/callbacks/frontpayment?orderUuid=ODR1000000001&status=PAID&timestamp=1&checksum=00', null, 'callback'],
];

function signCookie(secret, { sub = 'admin', iat, exp, pwv = 'x' }) {
  const payload = Buffer.from(JSON.stringify({ sub, iat, exp, pwv })).toString('base64url');
  const tag = createHmac('sha256', secret).update('frontdesk-session-v1.').update(payload).digest('base64url');
  return `fd_session=${payload}.${tag}`;
}

function send([method, path, body], headers) {
  const init = { method, headers: { ...headers } };
  if (body != null) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  return t.proxy.fetch(path, init);
}

async function expectDenied(r, status, label) {
  const text = await r.text();
  assert.equal(r.status, status, `${label}: ${text}`);
  const env = JSON.parse(text);
  assert.equal(env.is_error, true, label);
  assert.equal(env.status_code, status, label);
  checks++;
  return env;
}

async function expectPassed(r, label) {
  const text = await r.text();
  assert.ok(![401, 403].includes(r.status), `${label}: ${r.status} ${text}`);
  assert.ok(r.status < 500, `${label}: ${r.status} ${text}`);
  checks++;
}

describe('every non-API route × every principal', () => {
  ROUTES().forEach((route, index) => {
    const [method, path, , least] = route;
    test(`${method} ${path.split('?')[0].replace('undefined', '{id}')}${path.includes('?') ? '?…' : ''} (${least})`, async () => {
      const live = ROUTES()[index];
      const now = Date.now();
      const expired = signCookie(t.sessionSecret, { iat: now - 9 * 3600e3, exp: now - 3600e3 });
      const forged = signCookie('not-the-secret-not-the-secret-00', { iat: now, exp: now + 3600e3 });
      const sameOrigin = { origin: t.proxy.base };
      if (least === 'callback') {
        // Callbacks take no principal at all: only the checksum counts, whoever asks.
        for (const h of [{}, t.auth('admin'), { cookie: cookies.admin }]) {
          const env = await expectDenied(await send(live, h), 401, 'callback');
          assert.deepEqual(env.errors, ['badChecksum']);
        }
        return;
      }
      if (least === 'login') {
        // Public, but wrong credentials are a clean 401 whoever asks.
        for (const h of [sameOrigin, t.auth('admin'), { ...sameOrigin, cookie: forged }]) {
          const env = await expectDenied(await send(live, h), 401, 'bad login');
          assert.deepEqual(env.errors, ['badCredentials']);
        }
        return;
      }
      if (least === 'public') {
        await expectPassed(await send(live, sameOrigin), 'anonymous');
        await expectPassed(await send(live, { ...sameOrigin, cookie: forged }), 'forged cookie on a public route');
        return;
      }
      const anon = await expectDenied(await send(live, sameOrigin), 401, 'anonymous');
      assert.equal(anon.message, 'unauthenticated');
      const bad = await expectDenied(await send(live, { authorization: 'Bearer fdk_wrong' }), 401, 'wrong key');
      assert.deepEqual(bad.errors, ['badApiKey']);
      // A wrong key is never silently replaced by a good cookie.
      await expectDenied(await send(live, { authorization: 'Bearer fdk_wrong', cookie: cookies.admin, ...sameOrigin }), 401, 'wrong key + cookie');
      const exp = await expectDenied(await send(live, { cookie: expired, ...sameOrigin }), 401, 'expired cookie');
      assert.deepEqual(exp.errors, ['sessionExpired']);
      const fake = await expectDenied(await send(live, { cookie: forged, ...sameOrigin }), 401, 'forged cookie');
      assert.deepEqual(fake.errors, ['sessionInvalid']);
      for (const role of ['viewer', 'clerk', 'admin']) {
        for (const [via, h] of [['key', t.auth(role)], ['cookie', { cookie: cookies[role], ...sameOrigin }]]) {
          const r = await send(live, h);
          if (RANK[role] < RANK[least]) {
            const env = await expectDenied(r, 403, `${role} by ${via}`);
            assert.equal(env.message, 'forbidden');
            assert.deepEqual(env.errors, ['roleNotAllowed']);
          } else {
            await expectPassed(r, `${role} by ${via}`);
          }
        }
      }
    });
  });
});

describe('cross-origin cookie writes are refused on every write route', () => {
  const writes = () => [
    ['POST', '/console/sync', null],
    ['POST', '/_sandbox/clock', { advanceSeconds: 0 }],
    ['POST', '/auth/logout', null],
    ['POST', `/api/v1/connect/orders/cancel/${order}`, { cancellationNote: 'x' }],
  ];
  test('evil Origin, no Origin, Sec-Fetch-Site cross-site', async () => {
    for (const w of writes()) {
      for (const h of [{ origin: 'https://evil.example' }, {}, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }]) {
        const env = await expectDenied(await send(w, { cookie: cookies.admin, ...h }), 403, `${w[1]} ${JSON.stringify(h)}`);
        assert.deepEqual(env.errors, ['crossOrigin']);
      }
    }
    // The order was not cancelled by any of it.
    const st = await (await t.sandbox.api(`/api/v1/connect/orders/status/${order}`)).json();
    assert.equal(st.data.status, 'SENT');
  });
});

describe('sessions', () => {
  test('cookie flags: HttpOnly, SameSite=Strict, Path=/, 8 h; Secure off localhost only', async () => {
    for (const base of ['http://127.0.0.1', 'http://localhost:8787', 'https://desk.example', 'http://desk.example']) {
      const r = await t.proxy.mf.dispatchFetch(`${base}/auth/login`, json({ username: 'viewer', password: PASSWORD }, { origin: base }));
      assert.equal(r.status, 200, base);
      const c = r.headers.get('set-cookie');
      for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=28800']) assert.ok(c.includes(flag), `${base}: ${c}`);
      const local = /127\.0\.0\.1|localhost/.test(base);
      assert.equal(/;\s*Secure/i.test(c), !local, `${base}: ${c}`);
      assert.doesNotMatch(c, /Domain=/i);
      checks++;
    }
  });

  test('expiry edges: just expired, issued in the future, longer than 8 h, garbage', async () => {
    const now = Date.now();
    const s = t.sessionSecret;
    const cases = [
      [signCookie(s, { sub: 'viewer', iat: now - 8 * 3600e3, exp: now - 1 }), 'sessionExpired'],
      [signCookie(s, { sub: 'viewer', iat: now + 3600e3, exp: now + 2 * 3600e3 }), 'sessionExpired'],
      [signCookie(s, { sub: 'viewer', iat: now, exp: now + 30 * 24 * 3600e3 }), 'sessionExpired'],
      ['fd_session=not-a-session', 'sessionInvalid'],
      ['fd_session=a.b.c', 'sessionInvalid'],
      [`fd_session=${'A'.repeat(5000)}.x`, 'sessionInvalid'],
    ];
    for (const [cookie, reason] of cases) {
      const env = await expectDenied(await t.proxy.fetch('/auth/me', { headers: { cookie } }), 401, cookie.slice(0, 40));
      assert.deepEqual(env.errors, [reason], cookie.slice(0, 60));
    }
    // A correctly signed, current cookie for a user who does not exist.
    const ghost = signCookie(s, { sub: 'ghost', iat: now, exp: now + 3600e3 });
    await expectDenied(await t.proxy.fetch('/auth/me', { headers: { cookie: ghost } }), 401, 'ghost');
  });

  test('login brute force is slowed per name, and only for that name', async () => {
    const attempt = (username, password) => t.proxy.fetch('/auth/login', json({ username, password }, { origin: t.proxy.base }));
    let locked = null;
    for (let i = 0; i < 8; i++) {
      const r = await attempt('clerk', `guess-${i}`);
      if (r.status === 429) {
        locked = r;
        break;
      }
      await expectDenied(r, 401, `guess ${i}`);
    }
    assert.ok(locked, 'locked within 8 guesses');
    const retryAfter = Number(locked.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After ${retryAfter}`);
    // Even the right password waits now (no oracle for the guesser).
    assert.equal((await attempt('clerk', PASSWORD)).status, 429);
    assert.equal((await attempt('CLERK', PASSWORD)).status, 429, 'case does not dodge the lock');
    // Another user is not locked out by it.
    assert.equal((await attempt('admin', PASSWORD)).status, 200);
    // Sessions issued before keep working (the lock is on logging in, not on the user).
    assert.equal((await t.proxy.fetch('/auth/me', { headers: { cookie: cookies.clerk } })).status, 200);
    checks += 4;
  });
});
