// Answers as Front Payment's live server gives them, met by the console's create flow: a 417
// from upstream with only Laravel sentences (no keyed detail) lands on the fields it names, and
// a 429 with Retry-After is counted down and retried under the same Idempotency-Key. Both are
// injected between the browser and the proxy (Playwright routes), on the suite's stack.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  expectNoAxeViolations,
  fillCustomer,
  fillLines,
  newOrder,
  orderCount,
  screenshot,
} from '../support/console.mjs';
import { CASES, LINES } from '../support/orders.mjs';
import { browser, browserSuite, context, page, problems, stack } from '../support/suite.mjs';

browserSuite({ expected: /status of (401|417|429)/ });

/** The four create endpoints (`…/payment-link/create`, `…/invoice/create/ehf`, …). */
const isCreate = (url) => /\/api\/v1\/connect\/orders\/.+\/create(\/[a-z-]+)?$/.test(url.pathname);

const envelope = (status, statusMessage, message, errors) =>
  JSON.stringify({ status_code: status, status_message: statusMessage, message, is_error: true, errors });

/** A filled payment link, ready to submit. */
async function fillPaymentLink() {
  await newOrder(page, stack, 'payment-link');
  await fillCustomer(page, CASES[0].customer);
  await fillLines(page, LINES);
}

/** The id of the element that has focus, once it is `id` (focus moves after a frame). */
async function waitForFocus(id) {
  await page.waitForFunction((want) => document.activeElement?.id === want, id);
}

const SENTENCES = [
  'The customer details.address.city field is required.',
  'The products.0.tax field must be a number.',
  'Something unrelated happened.',
];

test('a 417 from upstream (sentences only) lands on its fields, the rest in the summary', async () => {
  await fillPaymentLink();
  const before = await orderCount(stack);
  let sent = 0;
  await page.route(isCreate, async (route) => {
    sent += 1;
    await route.fulfill({
      status: 417,
      contentType: 'application/json',
      body: envelope(417, 'Client Error', 'payloadValidationErrors', SENTENCES),
    });
  });
  try {
    await page.locator('#submit-order').click();
    await page.locator('#error-summary').getByText(SENTENCES[2]).waitFor();
  } finally {
    await page.unroute(isCreate);
  }
  await page.getByText('Front Payment refused the order.').waitFor();

  // Each named field shows its sentence verbatim and is marked invalid.
  const city = page.locator('#f-customerDetails-address-city');
  assert.ok((await page.locator('#f-customerDetails-address-city-msg').textContent()).includes(SENTENCES[0]));
  assert.equal(await city.getAttribute('aria-invalid'), 'true');
  const firstLine = page.locator('ol.lines > li').first();
  assert.ok((await firstLine.locator('[id$="-tax-msg"]').textContent()).includes(SENTENCES[1]));
  const taxId = await firstLine.locator('select[id$="-tax"]').getAttribute('id');
  assert.equal(await page.locator(`#${taxId}`).getAttribute('aria-invalid'), 'true');

  // The first field in page order has focus; the summary links to both fields; the sentence
  // that names no field is listed as it came, without a link.
  await waitForFocus('f-customerDetails-address-city');
  const summary = page.locator('#error-summary');
  await summary.locator('a[href="#f-customerDetails-address-city"]').waitFor();
  assert.equal(await summary.locator('a', { hasText: SENTENCES[2] }).count(), 0);
  await summary.locator(`a[href="#${taxId}"]`).click();
  await waitForFocus(taxId);

  await expectNoAxeViolations(page, 'new order, refused upstream');
  await screenshot(page, 'new-order-upstream-417');
  assert.equal(sent, 1);
  assert.equal(await orderCount(stack), before);
  await page.locator('#discard-draft').click();
});

test('a busy Front Payment (429) is counted down and retried once, under the same key', async () => {
  await fillPaymentLink();
  const before = await orderCount(stack);
  const keys = [];
  await page.route(isCreate, async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (keys.length > 1) {
      await route.continue();
      return;
    }
    await route.fulfill({
      status: 429,
      headers: { 'Retry-After': '1' },
      contentType: 'application/json',
      body: envelope(429, 'Too Many Requests', 'tooManyRequests', null),
    });
  });
  let busy;
  try {
    await page.locator('#submit-order').click();
    // Read while it shows: it goes away when the countdown ends.
    const shown = await page.waitForFunction(
      () => document.querySelector('[data-testid=busy-notice]')?.textContent,
    );
    busy = await shown.jsonValue();
    await page.waitForURL(/\/orders\/new\/done\/ODR\d+$/, { timeout: 20_000 });
  } finally {
    await page.unroute(isCreate);
  }
  assert.match(busy, /^Front Payment is busy, trying again in 1 s\.$/);
  assert.equal(keys.length, 2, 'one wait, one retry');
  assert.ok(keys[0], 'the create carries an Idempotency-Key');
  assert.equal(keys[1], keys[0], 'the retry repeats the key');
  assert.equal(await orderCount(stack), before + 1);
  await page.getByTestId('order-uuid').waitFor();
});
