// The console's create flow against the other dialect: a stack of its own whose sandbox answers
// as Front Payment's live server did in July 2025 (FRONTDESK_DIALECT=live-2025-07: `orderDate`
// as `d M, Y`, EHF requiring the payment link's members too, status by uuid without amounts).
// The same form, unchanged, creates all four kinds (create-orders.test.mjs does it for `docs`),
// and the order page still shows the amounts.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  consoleUrl,
  expectNoAxeViolations,
  fillCustomer,
  fillLines,
  newOrder,
  orderCount,
  sandboxGet,
  sandboxTransition,
  submitAndWait,
} from '../support/console.mjs';
import { CASES, EXPECTED_SUMMARY, LINES } from '../support/orders.mjs';
import { browser, browserSuite, context, page, problems, stack } from '../support/suite.mjs';

const DIALECT = 'live-2025-07';

/** Created orders by kind. */
const created = new Map();

browserSuite({ env: { FRONTDESK_DIALECT: DIALECT } }, () => {
  assert.equal(stack.dialect, DIALECT, 'the stack runs the dialect asked for');
});

for (const c of CASES) {
  test(`creates a ${c.kind} against the ${DIALECT} dialect`, async () => {
    const before = await orderCount(stack);
    await newOrder(page, stack, c.kind);
    await fillCustomer(page, c.customer);
    await fillLines(page, LINES);
    await c.options(page);
    const { uuid, customerUuid } = await submitAndWait(page);
    created.set(c.kind, uuid);

    const details = await sandboxGet(stack, `details/${uuid}`);
    assert.equal(details.type, c.apiType);
    assert.equal(details.orderId, uuid);
    assert.equal(details.customerDetails.uuid, customerUuid);
    assert.equal(details.customerDetails.name, c.customer.name);
    assert.equal(details.productList.length, LINES.length);
    assert.equal(Number(details.orderSummary.grandTotal), EXPECTED_SUMMARY.grandTotal);
    assert.equal(await orderCount(stack), before + 1);
  });
}

test('the order page takes the amount from the details when the status has none', async () => {
  const uuid = created.get('payment-link');
  assert.ok(uuid, 'the payment link was created');
  // Paid, so that refunds apply and the page shows what is refunded and left.
  await sandboxTransition(stack, uuid, 'PAID');
  const status = await sandboxGet(stack, `status/${uuid}`);
  assert.equal(status.orderAmount, undefined, `${DIALECT} answers a status without amounts`);
  await page.goto(consoleUrl(stack, `/orders/${uuid}`));
  const amount = page.getByTestId('order-amount');
  await amount.waitFor();
  assert.equal((await amount.textContent()).trim(), 'NOK 362.50');
  assert.equal((await page.getByTestId('refunded-amount').textContent()).trim(), 'NOK 0.00');
  assert.equal((await page.getByTestId('left-to-refund').textContent()).trim(), 'NOK 362.50');
  await expectNoAxeViolations(page, `order (${DIALECT})`);
});
