// Item 3: crash and restart. The sandbox (on its SQLite `--db` file) and the proxy under the
// real `wrangler dev` (workerd, local D1 persisted with `--persist-to`) take creates from
// concurrent clients; mid-load both are SIGKILLed (no shutdown of any kind), started again on
// the same ports and the same state, and the clients finish, retrying with their keys.
// Nothing the API acknowledged with 2xx may be lost: every acknowledged order uuid is in the
// sandbox after the restart, and every create acknowledged by the proxy is in its D1 order index.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { crashStack, startSandboxProcess, startWranglerDev, tail } from '../support/processes.mjs';
import { allPages, figures, fixtures, pool, RETRYABLE, sleep } from '../support/reliability.mjs';

const { paymentLink } = await fixtures();

const ORDERS = Number(process.env.RELIABILITY_CRASH_ORDERS ?? 300);
const CLIENTS = 12;
// Kill once this many creates have been acknowledged (so some are in flight at the kill).
const KILL_AFTER = Math.floor(ORDERS / 3);
// A client retries its key this long after the restart. A create in flight in the proxy at the
// SIGKILL leaves its key `in_flight` in D1; the proxy treats it as of unknown outcome only
// after STALE_IN_FLIGHT_MS (150 s), answering 409 until then: those keys are reported as
// pending, not waited for (nothing was acknowledged for them, so nothing can be lost).
const FINISH_MS = Number(process.env.RELIABILITY_CRASH_FINISH_MS ?? 20_000);
const RUN = Date.now().toString(36);

let token;
let apiKey;
let ports;
let sandbox;
let proxy;
let proxyOptions;
let sandboxOptions;
let tidy;

before(async () => {
  ({ token, apiKey, ports, sandbox, proxy, proxyOptions, sandboxOptions, tidy } = await crashStack('crash'));
});

after(async () => {
  await proxy?.stop();
  await sandbox?.stop();
  tidy?.();
});

const proxyUrl = () => `http://127.0.0.1:${ports.proxy}`;
const sandboxUrl = () => `http://127.0.0.1:${ports.sandbox}`;
// A getter: the key is made in `before`, after this module is read.
const admin = { get authorization() { return `Bearer ${apiKey}`; } };

async function proxyJson(path) {
  const r = await fetch(`${proxyUrl()}${path}`, { headers: admin });
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

test(`SIGKILL of sandbox and wrangler dev mid-load: every 2xx-acknowledged create survives the restart`, async () => {
  const acknowledged = new Map(); // key -> uuid
  const pending = [];
  const counts = { requests: 0, connectionErrors: 0, retryable: 0 };
  let killed = null; // Promise of the kill + restart, once started
  let restartedAt = null;
  let ackBeforeKill = null;
  const startedAt = Date.now();

  const crashAndRestart = async () => {
    ackBeforeKill = acknowledged.size;
    const t0 = Date.now();
    await sandbox.kill();
    await sleep(150); // the proxy sees its upstream die first (502/504 to in-flight clients)
    await proxy.kill();
    const down = Date.now();
    sandbox = await startSandboxProcess(sandboxOptions);
    proxy = await startWranglerDev(proxyOptions);
    restartedAt = Date.now();
    figures('crash restart', { killAtAck: ackBeforeKill, killMs: down - t0, restartMs: restartedAt - down });
  };

  await pool(ORDERS, CLIENTS, async (i) => {
    const key = `crash-${RUN}-${i}`;
    const body = JSON.stringify(paymentLink({
      referenceNo: `C-${i}`,
      customerDetails: { ...paymentLink().customerDetails, name: `Krasj Kunde ${i}`, email: `krasj${i}@example.com` },
    }));
    for (let attempt = 0; ; attempt++) {
      counts.requests++;
      let status;
      let text;
      try {
        const r = await fetch(`${proxyUrl()}/api/v1/connect/orders/payment-link/create`, {
          method: 'POST',
          headers: { ...admin, 'content-type': 'application/json', 'idempotency-key': key },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        status = r.status;
        text = await r.text();
      } catch {
        counts.connectionErrors++;
        status = 0; // refused / reset while a process is down: retry like a client would
      }
      if (status >= 200 && status < 300) {
        acknowledged.set(key, JSON.parse(text).data.uuid);
        if (!killed && acknowledged.size >= KILL_AFTER) killed = crashAndRestart();
        return;
      }
      if (status !== 0 && !RETRYABLE.has(status)) throw new Error(`${key}: ${status} ${text}`);
      if (status !== 0) counts.retryable++;
      if (Date.now() - startedAt > 300_000) throw new Error(`${key}: still ${status} after 300 s\n${tail(proxyOptions.log)}`);
      if (restartedAt && Date.now() - restartedAt > FINISH_MS) {
        pending.push({ key, status });
        return;
      }
      await sleep(Math.min(1000, 50 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
    }
  });
  await killed;
  assert.ok(restartedAt, 'the crash happened');

  // After the restart: the sandbox's own list, and the proxy's D1 order index.
  const r = await fetch(`${sandboxUrl()}/api/v1/connect/orders/status`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  const inSandbox = new Set((await r.json()).data.map((o) => o.uuid));
  const index = await allPages(proxyJson, '/console/orders');
  const inIndex = new Set(index.items.map((o) => o.uuid));
  const uuids = [...acknowledged.values()];
  const lostSandbox = uuids.filter((u) => !inSandbox.has(u));
  const lostIndex = uuids.filter((u) => !inIndex.has(u));
  const acknowledgedTwice = uuids.length - new Set(uuids).size;
  figures('crash', {
    orders: ORDERS,
    clients: CLIENTS,
    acknowledgedBeforeKill: ackBeforeKill,
    acknowledgedTotal: acknowledged.size,
    foundInSandbox: uuids.length - lostSandbox.length,
    foundInD1Index: uuids.length - lostIndex.length,
    lost: new Set([...lostSandbox, ...lostIndex]).size,
    pendingInFlightAtKill: pending.length,
    sandboxOrders: inSandbox.size,
    indexRows: inIndex.size,
    requests: counts.requests,
    connectionErrors: counts.connectionErrors,
    retryableAnswers: counts.retryable,
    wallMs: Date.now() - startedAt,
  });
  assert.deepEqual(lostSandbox, [], `acknowledged but not in the sandbox after restart\n${tail(sandboxOptions.log)}`);
  assert.deepEqual(lostIndex, [], 'acknowledged by the proxy but not in its D1 order index after restart');
  assert.equal(acknowledgedTwice, 0, 'no uuid given to two keys');
  // Only keys caught in flight by the kill may still be pending, and only with 409.
  assert.ok(pending.length <= CLIENTS, `pending: ${JSON.stringify(pending)}`);
  assert.ok(pending.every((p) => p.status === 409), `pending: ${JSON.stringify(pending)}`);
  assert.ok(acknowledged.size + pending.length === ORDERS);
});
