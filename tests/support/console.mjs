import { randomUUID } from 'node:crypto';
// Helpers for driving the console: login, form filling, axe, the sandbox's API.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

import { artifacts } from './browser.mjs';

const axePath = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));

/** Runs axe-core on the page; fails with the list of violations. */
export async function expectNoAxeViolations(page, label) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  assert.deepEqual(result, [], `axe violations on ${label}: ${JSON.stringify(result, null, 2)}`);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });
}

/** An absolute console URL for `path` (the stack's console URL may end in a slash). */
export function consoleUrl(stack, path) {
  return `${stack.console.replace(/\/+$/, '')}${path}`;
}

/** Sign in on the login page as `username` (the stack's admin unless named), on to the overview. */
export async function login(page, stack, username = stack.username) {
  await page.goto(consoleUrl(stack, '/login'));
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(stack.password);
  await page.getByRole('button', { name: /^(Sign in|Logg inn)$/ }).click();
  // Every role starts on the overview.
  await page.waitForURL(/\/overview$/);
  await page.getByTestId('overview').waitFor();
}

/**
 * Sign out from the header. When the console asks about unsent drafts, answers `drafts`
 * (`keep` or `discard`); waits for the login.
 */
export async function signOut(page, { drafts = 'discard' } = {}) {
  await page.getByRole('button', { name: /^(Sign out|Logg ut)$/ }).click();
  const choice = page.locator(`#sign-out-${drafts}`);
  await choice.or(page.locator('#login-username')).first().waitFor();
  if (await choice.isVisible()) await choice.click();
  await page.waitForURL(/\/login(\?|$)/);
}

/** GET a sandbox API path with the bearer token; returns { status, envelope }. */
async function sandboxFetch(stack, path) {
  const response = await fetch(`${stack.sandbox}/api/v1/connect/orders/${path}`, {
    headers: { Authorization: `Bearer ${stack.token}`, Accept: 'application/json' },
  });
  return { status: response.status, envelope: await response.json() };
}

/** GET a sandbox API path with the bearer token; returns the envelope's data. */
export async function sandboxGet(stack, path) {
  const { status, envelope } = await sandboxFetch(stack, path);
  assert.equal(status, 200, `GET ${path}`);
  return envelope.data;
}

/** What the customer does, at the sandbox (`to`: `PAID`, …): the proxy hears of it by callback. */
export async function sandboxTransition(stack, uuid, to) {
  const r = await fetch(`${stack.sandbox}/_sandbox/orders/${uuid}/transition`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to }),
  });
  assert.equal(r.status, 200, await r.clone().text());
}

/** How many orders the sandbox has. No orders is a 404 `Order Not Found`, as recorded. */
export async function orderCount(stack) {
  const { status, envelope } = await sandboxFetch(stack, 'status');
  if (status === 404 && envelope?.message === 'Order Not Found') return 0;
  assert.equal(status, 200, 'GET status');
  return Array.isArray(envelope.data) ? envelope.data.length : 0;
}

export async function chooseKind(page, kind) {
  await page.locator(`#kind-${kind}`).check();
  assert.equal(await page.locator(`#kind-${kind}`).isChecked(), true);
}

/** A fresh form of `kind`: the new-order page, the kind chosen, a draft kept from before discarded. */
export async function newOrder(page, stack, kind) {
  await page.goto(consoleUrl(stack, '/orders/new'));
  await chooseKind(page, kind);
  await page.locator('#discard-draft').click();
}

/** Fill the customer part of the form. */
export async function fillCustomer(page, c) {
  if (c.type) await page.locator(`#type-${c.type}`).check();
  await page.locator('#f-customerDetails-name').fill(c.name);
  await page.locator('#f-customerDetails-firstName').fill(c.firstName ?? '');
  await page.locator('#f-customerDetails-countryCode').selectOption(c.phoneCountry ?? 'NO');
  await page.locator('#f-customerDetails-msisdn').fill(c.msisdn ?? '');
  await page.locator('#f-customerDetails-email').fill(c.email ?? '');
  if (c.personalNumber !== undefined) {
    await page.locator('#f-customerDetails-personalNumber').fill(c.personalNumber);
  }
  if (c.organizationId !== undefined) {
    await page.locator('#f-customerDetails-organizationId').fill(c.organizationId);
  }
  await page.locator('#f-customerDetails-address-street').fill(c.street);
  await page.locator('#f-customerDetails-address-zip').fill(c.zip);
  await page.locator('#f-customerDetails-address-city').fill(c.city);
  await page.locator('#f-customerDetails-address-country').selectOption(c.country ?? 'NO');
  await page.locator('#f-customerDetails-preferredLanguage').selectOption(c.language ?? 'no');
}

/** Replace the product lines with `lines`. */
export async function fillLines(page, lines) {
  const rows = page.locator('ol.lines > li');
  while ((await rows.count()) < lines.length) await page.locator('#add-line').click();
  while ((await rows.count()) > lines.length) {
    await rows.last().locator('button[id$="-remove"]').click();
  }
  for (const [i, l] of lines.entries()) {
    const row = rows.nth(i);
    await row.locator('input[id$="-name"]').fill(l.name);
    await row.locator('input[id$="-productId"]').fill(l.productId ?? '');
    await row.locator('input[id$="-quantity"]').fill(l.quantity);
    await row.locator('input[id$="-rate"]').fill(l.rate);
    await row.locator('input[id$="-discount"]').fill(l.discount ?? '');
    await row.locator('select[id$="-tax"]').selectOption(l.tax);
  }
}

export async function setCheck(page, id, on) {
  const box = page.locator(`#${id}`);
  if ((await box.isChecked()) !== on) await box.click();
}

/** Submit and wait for the success screen; returns {uuid, customerUuid}. */
export async function submitAndWait(page) {
  await page.locator('#submit-order').click();
  await page.waitForURL(/\/orders\/new\/done\/ODR\d+$/, { timeout: 20_000 });
  const uuid = (await page.getByTestId('order-uuid').textContent()).trim();
  const customerUuid = (await page.getByTestId('customer-uuid').textContent()).trim();
  return { uuid, customerUuid };
}

/** Create a payment link through the proxy with the stack's API key; returns its uuid. */
export async function postPaymentLink(stack, body) {
  const r = await fetch(`${stack.proxy}/api/v1/connect/orders/payment-link/create`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stack.apiKey}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(body),
  });
  assert.equal(r.status, 201, await r.clone().text());
  return (await r.json()).data.uuid;
}
