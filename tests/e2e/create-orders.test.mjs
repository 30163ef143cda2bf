// Creating orders through the console, end to end: login, the four kinds read back from the
// sandbox field by field, idempotent submits, drafts across reloads, languages, axe on every page.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { chromium } from 'playwright-core';

import { freePort } from '../../worker/tests/harness.mjs';
import {
  chooseKind,
  consoleUrl,
  expectNoAxeViolations,
  fillCustomer,
  fillLines,
  login,
  newOrder,
  orderCount,
  sandboxGet,
  screenshot,
  signOut,
  submitAndWait,
} from '../support/console.mjs';
import { ADDRESS, CASES, EXPECTED_PRODUCTS, EXPECTED_SUMMARY, LINES } from '../support/orders.mjs';
import { figures } from '../support/reliability.mjs';
import { browser, browserSuite, context, page, problems, stack } from '../support/suite.mjs';

browserSuite({ expected: /status of 401|ERR_CONNECTION_RESET|net::ERR_FAILED/, signIn: false });

/** Milliseconds until `text` is in a file of `dir` (Chromium's localStorage on disk); fails after 60 s. */
async function untilOnDisk(dir, text) {
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    const names = await readdir(dir).catch(() => []);
    for (const name of names) {
      const bytes = await readFile(join(dir, name)).catch(() => Buffer.alloc(0));
      if (bytes.includes(text)) return Date.now() - started;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`"${text}" never reached ${dir}`);
}

const num = (v) => (v === null || v === undefined ? v : Number(v));

function compareDetails(details, c, uuid, customerUuid, startedAt) {
  assert.equal(details.type, c.apiType);
  assert.equal(details.orderId, uuid);
  assert.equal(details.status, c.status);
  const orderDate = Number(details.orderDate);
  assert.ok(orderDate >= startedAt - 5 && orderDate <= Date.now() / 1000 + 5, `orderDate ${details.orderDate}`);
  assert.equal(details.productList.length, EXPECTED_PRODUCTS.length);
  for (const [i, want] of EXPECTED_PRODUCTS.entries()) {
    const got = details.productList[i];
    assert.equal(got.name, want.name, `product ${i} name`);
    assert.equal(got.productId ?? null, want.productId, `product ${i} productId`);
    for (const k of ['quantity', 'rate', 'discount', 'tax', 'amount']) {
      assert.equal(num(got[k]), want[k], `product ${i} ${k}`);
    }
  }
  for (const [k, v] of Object.entries(EXPECTED_SUMMARY)) {
    assert.equal(num(details.orderSummary[k]), v, `orderSummary.${k}`);
  }
  const cd = details.customerDetails;
  assert.equal(cd.uuid, customerUuid);
  for (const [k, v] of Object.entries(c.expectCustomer)) {
    assert.equal(cd[k], v, `customerDetails.${k}`);
  }
  if (c.expectCustomer.type === 'private') assert.ok(!cd.organizationId, 'no organizationId');
  else assert.ok(!cd.personalNumber, 'no personalNumber');
  assert.deepEqual(
    { street: cd.address.street, zip: cd.address.zip, city: cd.address.city, country: cd.address.country },
    ADDRESS,
  );
}

test('signing in: redirect, bad credentials, user and role shown', async () => {
  await page.goto(consoleUrl(stack, '/orders/new'));
  await page.waitForURL(/\/login\?next=/);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await expectNoAxeViolations(page, 'login');
  await screenshot(page, 'login');

  await page.locator('#login-username').fill(stack.username);
  await page.locator('#login-password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Wrong username or password.').waitFor();
  await expectNoAxeViolations(page, 'login with an error');

  await login(page, stack);
  await page.getByTestId('username').getByText(stack.username).waitFor();
  assert.ok((await page.getByTestId('role').textContent()).trim().length > 0);
  await page.getByRole('navigation').getByRole('link', { name: 'New order' }).waitFor();
  await page.getByRole('status').getByText('Connected to the Front Payment sandbox').waitFor({ timeout: 15_000 });
});

test('an empty submit lists the errors and focuses the first', async () => {
  await page.goto(consoleUrl(stack, '/orders/new'));
  await page.locator('#discard-draft').click();
  await chooseKind(page, 'invoice');
  await page.locator('#submit-order').click();
  await page.locator('#error-summary').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-customerDetails-name');
  assert.equal(await page.locator('#f-customerDetails-name').getAttribute('aria-invalid'), 'true');
  await expectNoAxeViolations(page, 'new order with errors');
  await screenshot(page, 'new-order-errors');
  await page.locator('#discard-draft').click();
});

for (const c of CASES) {
  test(`creates a ${c.kind} and the sandbox has every field`, async () => {
    const before = await orderCount(stack);
    await newOrder(page, stack, c.kind);
    await fillCustomer(page, c.customer);
    await fillLines(page, LINES);
    await c.options(page);
    assert.equal((await page.getByTestId('grand-total').textContent()).trim(), 'NOK 362.50');
    if (c.kind === 'payment-link') {
      await expectNoAxeViolations(page, 'new order, filled');
      await screenshot(page, 'new-order-filled');
    }
    const startedAt = Math.floor(Date.now() / 1000);
    const { uuid, customerUuid } = await submitAndWait(page);
    assert.match(uuid, /^ODR\d{9,10}$/);
    assert.match(customerUuid, /^CSRT\d{10}$/);
    const recipients = await page.getByTestId('recipients').textContent();
    for (const r of c.recipients) assert.ok(recipients.includes(r), `${recipients} has ${r}`);
    await expectNoAxeViolations(page, `done (${c.kind})`);
    await screenshot(page, `done-${c.kind}`);

    const details = await sandboxGet(stack, `details/${uuid}`);
    compareDetails(details, c, uuid, customerUuid, startedAt);
    assert.equal(await orderCount(stack), before + 1);
  });
}

test('"create another like this" prefills a new draft', async () => {
  await page.getByRole('button', { name: 'Create another like this' }).click();
  await page.waitForURL(/\/orders\/new$/);
  assert.equal(await page.locator('#kind-ehf').isChecked(), true);
  assert.equal(await page.locator('#f-customerDetails-name').inputValue(), 'Peppol Kunde AS');
  assert.equal(await page.locator('ol.lines > li').count(), 2);
  await page.locator('#discard-draft').click();
});

test('a double submit and a retry after a lost answer create exactly one order', async () => {
  await newOrder(page, stack, 'payment-link');
  await fillCustomer(page, CASES[0].customer);
  await fillLines(page, LINES);

  // 1. Double click (and a second programmatic click while in flight).
  let before = await orderCount(stack);
  await page.locator('#submit-order').evaluate((b) => {
    b.click();
    b.click();
    b.form.requestSubmit();
  });
  await page.waitForURL(/\/orders\/new\/done\//, { timeout: 20_000 });
  assert.equal(await orderCount(stack), before + 1);

  // 2. The answer is lost after the order was created: the retry is replayed, not repeated.
  await page.goto(consoleUrl(stack, '/orders/new'));
  await fillCustomer(page, CASES[0].customer);
  await fillLines(page, LINES);
  before = await orderCount(stack);
  let creates = 0;
  await page.route('**/api/v1/connect/orders/*/create', async (route) => {
    creates += 1;
    if (creates === 1) {
      await route.fetch(); // reaches the proxy, which creates the order …
      await route.abort('connectionreset'); // … but the browser never hears back.
    } else {
      await route.continue();
    }
  });
  await page.locator('#submit-order').click();
  const retry = page.getByRole('button', { name: 'Try again' });
  await retry.waitFor();
  await expectNoAxeViolations(page, 'network error');
  await screenshot(page, 'new-order-network-error');
  assert.equal(await page.locator('#f-customerDetails-name').inputValue(), 'Kari Nordmann');
  await retry.click();
  await page.waitForURL(/\/orders\/new\/done\//, { timeout: 20_000 });
  await page.unroute('**/api/v1/connect/orders/*/create');
  assert.equal(creates, 2);
  assert.equal(await orderCount(stack), before + 1);
  await page.getByText('no duplicate was made').waitFor();
});

test('a reload mid-form restores the draft', async () => {
  await newOrder(page, stack, 'invoice');
  await page.locator('#f-customerDetails-name').fill('Draft Kunde');
  await fillLines(page, [LINES[0], LINES[1], LINES[0]]);
  await page.waitForTimeout(800); // the autosave debounce
  await page.reload();
  await page.locator('#f-customerDetails-name').waitFor();
  assert.equal(await page.locator('#kind-invoice').isChecked(), true);
  assert.equal(await page.locator('#f-customerDetails-name').inputValue(), 'Draft Kunde');
  assert.equal(await page.locator('ol.lines > li').count(), 3);
  await page.getByTestId('draft-restored').waitFor();
  await page.getByTestId('draft-restored').getByRole('button', { name: 'Discard draft' }).click();
  assert.equal(await page.locator('#f-customerDetails-name').inputValue(), '');
});

test('a draft survives a browser crash (SIGKILL) and restart', async () => {
  // Our own Chromium with a profile on disk, killed without shutdown, started again on it.
  const profile = await mkdtemp(join(tmpdir(), 'frontdesk-profile-'));
  const start = async () => {
    const port = await freePort();
    const child = spawn(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', `--user-data-dir=${profile}`, `--remote-debugging-port=${port}`,
      '--remote-debugging-address=127.0.0.1', 'about:blank',
    ], { stdio: 'ignore', detached: true });
    let connected;
    for (let i = 0; i < 100 && !connected; i++) {
      connected = await chromium.connectOverCDP(`http://127.0.0.1:${port}`).catch(() => null);
      if (!connected) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(connected, 'Chromium answered on its debugging port');
    const ctx = connected.contexts()[0];
    // A tab of our own: after a crash Chromium may bring back the old tabs in some state.
    return { child, cdp: connected, page: await ctx.newPage() };
  };
  let run = await start();
  try {
    await login(run.page, stack);
    await newOrder(run.page, stack, 'payment-link');
    await run.page.locator('#f-customerDetails-name').fill('Krasj Kunde');
    await fillLines(run.page, [LINES[0], LINES[1]]);
    // Chromium batches localStorage writes to disk: at least 5 s after a write, and at most one
    // commit per 10 s since the page's storage opened, so a crash right after typing loses the
    // last seconds. Wait, as a merchant's pause would, until the draft is in the profile's
    // LevelDB files (a fixed 8 s was too short once the pages loaded in chunks).
    const committedIn = await untilOnDisk(join(profile, 'Default', 'Local Storage', 'leveldb'), 'Krasj Kunde');
    process.kill(-run.child.pid, 'SIGKILL');
    await new Promise((r) => run.child.once('exit', r));
    run = await start();
    // The session cookie has no Expires, but Chromium may bring it back with the crashed
    // session: sign in again only if asked to. The draft is there either way.
    await run.page.goto(consoleUrl(stack, '/login'));
    const asked = run.page.locator('#login-username');
    await Promise.race([asked.waitFor(), run.page.waitForURL(/\/overview$/)]);
    if (await asked.isVisible()) await login(run.page, stack);
    await run.page.goto(consoleUrl(stack, '/orders/new'));
    await run.page.locator('#f-customerDetails-name').waitFor();
    assert.equal(await run.page.locator('#f-customerDetails-name').inputValue(), 'Krasj Kunde');
    assert.equal(await run.page.locator('ol.lines > li').count(), 2);
    await run.page.getByTestId('draft-restored').waitFor();
    figures('draft after browser SIGKILL', { lines: 2, restored: 1, committedInMs: committedIn });
  } finally {
    await run.cdp.close().catch(() => {});
    try { process.kill(-run.child.pid, 'SIGKILL'); } catch { /* already gone */ }
    await rm(profile, { recursive: true, force: true });
  }
});

test('Norwegian and English, remembered; phone layout; orders page', async () => {
  await page.goto(consoleUrl(stack, '/orders/new'));
  await page.getByRole('button', { name: 'Bytt til norsk' }).click();
  await page.getByRole('heading', { name: 'Ny ordre' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'nb');
  await page.reload();
  await page.getByRole('heading', { name: 'Ny ordre' }).waitFor();
  await expectNoAxeViolations(page, 'new order (nb)');
  await page.setViewportSize({ width: 375, height: 800 });
  await screenshot(page, 'new-order-phone-nb');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { name: 'New order' }).waitFor();

  await page.getByRole('navigation').getByRole('link', { name: 'Orders' }).click();
  await page.getByRole('heading', { name: 'Orders' }).waitFor();
  await expectNoAxeViolations(page, 'orders');
  await screenshot(page, 'orders');

  // Deep link on reload, then sign out.
  await page.goto(consoleUrl(stack, '/orders'));
  await page.getByRole('heading', { name: 'Orders' }).waitFor();
  // Drafts left by the tests above are discarded when the console asks (issue 15).
  await signOut(page);
  await page.goto(consoleUrl(stack, '/orders/new'));
  await page.waitForURL(/\/login\?next=/);
  assert.deepEqual(problems, []);
});
