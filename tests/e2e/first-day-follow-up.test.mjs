// A merchant's first day following up orders (issue 14), as a merchant, a clerk, a viewer and a
// bookkeeper would: resend to a number typed with spaces (and a warning for a short one), every
// field the order was sent with on its page, the reason a missing action is missing, the list
// and the refund editor at 390 px, words a person understands, the internal note, "Duplicate"
// and the printed receipt.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { watchPage } from '../support/browser.mjs';
import {
  consoleUrl,
  expectNoAxeViolations,
  login,
  postPaymentLink,
  sandboxGet,
  sandboxTransition,
  screenshot,
} from '../support/console.mjs';
import { browser, browserSuite, context, page, problems, stack } from '../support/suite.mjs';

// Signed-out first loads (401) are expected; nothing else is.
const EXPECTED = /status of 401/;

browserSuite({ expected: EXPECTED });

const ADDRESS = { street: 'Storgata 1', zip: '0155', city: 'Oslo', country: 'NO' };

/**
 * Create a payment link through the proxy with the stack's API key, with everything a merchant
 * types: first name, address, personal number, both references. One line at 0 % VAT.
 */
async function createByApi({ name, firstName = 'Ola', rate = 250, line = 'Gift card', ...extra }) {
  const body = {
    products: [{ name: line, productId: 'G-1', quantity: '1', rate, discount: 0, tax: '0', amount: rate }],
    orderSummary: { subTotal: rate.toFixed(2), totalTax: '0.00', totalDiscount: '0.00', grandTotal: rate.toFixed(2) },
    sendOrderBy: { sms: false, email: true },
    orderDate: String(Math.floor(Date.now() / 1000) + 60),
    customerDetails: {
      type: 'private', countryCode: '+47', msisdn: '46567468', email: 'ola@example.no', firstName, name,
      personalNumber: '01010012356', address: ADDRESS,
    },
    invoiceAsPaymentOption: false,
    referenceNo: 'REF-2024-17',
    customerReference: 'Att. Ola',
    ...extra,
  };
  return postPaymentLink(stack, body);
}

/** A page of its own, signed in as `username` (the stack's admin when not given). */
async function signIn({ username = stack.username, viewport, lang } = {}) {
  const ctx = await browser.newContext({ locale: 'en-GB', bypassCSP: true, ...(viewport ? { viewport } : {}) });
  if (lang) {
    await ctx.addInitScript((l) => {
      try {
        localStorage.setItem('frontdesk.lang', l);
      } catch {
        // about:blank has no storage.
      }
    }, lang);
  }
  const p = await ctx.newPage();
  watchPage(p, problems, EXPECTED);
  await p.goto(consoleUrl(stack, '/login'));
  await p.locator('#login-username').fill(username);
  await p.locator('#login-password').fill(stack.password);
  await p.locator('form button[type=submit]').click();
  await p.waitForURL(/\/overview$/);
  return { ctx, page: p };
}

async function openOrder(p, uuid) {
  await p.goto(consoleUrl(stack, `/orders/${uuid}`));
  await p.getByTestId('order-facts').waitFor();
}

const text = async (p, testId) => (await p.getByTestId(testId).textContent()).trim();

/** Wait for `locator`, reloading the page between tries (audit rows are written just after). */
async function waitReloading(p, locator, tries = 4) {
  for (let i = 1; ; i += 1) {
    try {
      await locator.waitFor({ timeout: 3_000 });
      return;
    } catch (e) {
      if (i === tries) throw e;
      await p.reload();
    }
  }
}

test('resend: a number typed with spaces is sent as digits, a short one warns, the timeline says to whom', async () => {
  const uuid = await createByApi({ name: 'Resend Spaces' });
  await openOrder(page, uuid);
  await page.locator('[data-action=resend]').click();
  await page.getByTestId('resend-new').check();
  const phone = page.getByTestId('resend-msisdn');
  const confirm = page.getByTestId('confirm-action');

  // Spaces as the order form accepts them: no error, sent as digits.
  await phone.fill('912 34 567');
  assert.equal((await page.locator('#resend-msisdn-err').textContent()).trim(), '');
  assert.equal(await confirm.isDisabled(), false);
  await page.locator('.action-panel .confirm-text').getByText('+47 91234567').waitFor();

  // Too short for Norway: core's warning; it may still be sent.
  await phone.fill('9123');
  await page.getByTestId('resend-msisdn-warn').getByText(/^Check: /).waitFor();
  assert.equal(await confirm.isDisabled(), false);
  await expectNoAxeViolations(page, 'resend dialog with a warning');
  await screenshot(page, 'first-day-resend-warning');

  await phone.fill('912 34 567');
  assert.equal((await text(page, 'resend-msisdn-warn')), '');
  await confirm.click();
  await page.getByTestId('action-result').getByText('The payment link was sent again.').waitFor({ timeout: 15_000 });
  await waitReloading(page, page.getByTestId('resent-to').getByText('to +47 91234567'));
  const timeline = await text(page, 'timeline');
  assert.ok(!/\b20[0-9] ·/.test(timeline), `no HTTP status in the timeline: ${timeline}`);
});

test('the order page shows every field the order was sent with; the list the full name', async () => {
  const token = `Typed${Date.now()}`;
  const uuid = await createByApi({ name: `${token} Nordmann`, firstName: 'Ola' });
  await openOrder(page, uuid);
  assert.equal(await text(page, 'customer-name'), `Ola ${token} Nordmann`);
  const address = await text(page, 'customer-address');
  for (const part of ['Storgata 1', '0155 Oslo', 'Norway']) assert.ok(address.includes(part), address);
  const contact = await text(page, 'customer-contact');
  assert.ok(contact.includes('+47 46567468') && contact.includes('ola@example.no'), contact);
  assert.equal(await text(page, 'personal-number'), '01010012356', 'an admin sees it whole');
  assert.equal(await text(page, 'reference-no'), 'REF-2024-17');
  assert.equal(await text(page, 'customer-reference'), 'Att. Ola');
  await expectNoAxeViolations(page, 'order page with every field');
  await screenshot(page, 'first-day-order-fields');

  // A clerk sees the personal number masked.
  const clerk = await signIn({ username: 'clerk' });
  try {
    await openOrder(clerk.page, uuid);
    assert.equal(await text(clerk.page, 'personal-number'), '010100*****');
  } finally {
    await clerk.ctx.close();
  }

  // Cancelled with a note: the note is shown.
  await page.locator('[data-action=cancel]').click();
  await page.getByTestId('cancel-note').fill('Customer moved away');
  await page.getByTestId('confirm-action').click();
  await page.getByTestId('order-status').getByText('Cancelled', { exact: true }).waitFor({ timeout: 15_000 });
  await waitReloading(page, page.getByTestId('cancellation-note').getByText('Customer moved away'));

  // The list: the full name.
  await page.goto(consoleUrl(stack, `/orders?q=${token.toLowerCase()}`));
  const row = page.locator(`tr[data-uuid=${uuid}]`);
  await row.waitFor();
  assert.equal((await row.getByTestId('customer-name').textContent()).trim(), `Ola ${token} Nordmann`);
});

test('a missing action says whether the role or the status is why; viewers start on the overview', async () => {
  const paid = await createByApi({ name: 'Reason Paid' });
  await sandboxTransition(stack, paid, 'PAID');
  const clerk = await signIn({ username: 'clerk' });
  try {
    assert.match(clerk.page.url(), /\/overview$/, 'clerks start on the overview');
    await openOrder(clerk.page, paid);
    await clerk.page.getByTestId('order-status').getByText('Paid', { exact: true }).waitFor();
    const reason = clerk.page.getByTestId('action-reason');
    assert.equal(await reason.getAttribute('data-reason'), 'role');
    assert.equal(
      (await reason.textContent()).trim(),
      'Your role (clerk) may view orders, create orders and resend payment links. Ask an admin to refund this order.',
    );
    assert.equal(await clerk.page.locator('[data-action]').count(), 0);
    await expectNoAxeViolations(clerk.page, 'order as clerk, refund withheld');
  } finally {
    await clerk.ctx.close();
  }

  // The status: an admin on a cancelled order.
  const cancelled = await createByApi({ name: 'Reason Cancelled' });
  await sandboxTransition(stack, cancelled, 'CANCELLED');
  await openOrder(page, cancelled);
  const none = page.getByTestId('no-actions');
  await none.getByText('(Cancelled)', { exact: false }).waitFor();
  assert.equal(await none.getAttribute('data-reason'), 'status');

  // A viewer lands on the overview too and is offered no New order link anywhere.
  const viewer = await signIn({ username: 'viewer' });
  try {
    await viewer.page.waitForURL(/\/overview$/);
    await viewer.page.getByTestId('overview').waitFor();
    assert.equal(await viewer.page.locator('a[href="/orders/new"]').count(), 0);
    await viewer.page.goto(consoleUrl(stack, '/orders'));
    await viewer.page.getByTestId('orders-table').waitFor();
    assert.equal(await viewer.page.locator('a[href="/orders/new"]').count(), 0);
    await viewer.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).waitFor();
    await expectNoAxeViolations(viewer.page, 'orders as viewer');
    await openOrder(viewer.page, paid);
    await viewer.page
      .getByTestId('action-reason')
      .getByText('Your role (viewer) may view orders. Ask an admin to refund this order.')
      .waitFor();
  } finally {
    await viewer.ctx.close();
  }
});

/**
 * Elements under `selector` sticking out of the viewport or clipping their text (visually
 * hidden ones, for screen readers only, aside).
 */
function overflowing(p, selector) {
  return p.evaluate((sel) => {
    const width = document.documentElement.clientWidth;
    const srOnly = (el) => {
      for (let e = el; e && e !== document.body; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.position === 'absolute' && s.clip !== 'auto') return true;
      }
      return false;
    };
    const out = [];
    for (const el of document.querySelectorAll(`${sel}, ${sel} *`)) {
      const r = el.getBoundingClientRect();
      if ((r.width === 0 && r.height === 0) || srOnly(el)) continue;
      const style = getComputedStyle(el);
      const clipped = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && style.overflowX !== 'visible';
      if (r.left < -1 || r.right > width + 1 || clipped) {
        out.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${Math.round(r.left)}–${Math.round(r.right)}`);
      }
    }
    return out;
  }, selector);
}

const noHorizontalScroll = (p) =>
  p.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

test('390 px wide: the list is cards with amount and status in view; the refund editor stacks', async () => {
  const token = `Narrow${Date.now()}`;
  const made = [];
  for (const rate of [1250, 80]) made.push(await createByApi({ name: `${token} Hansen`, rate }));
  const phone = await signIn({ viewport: { width: 390, height: 844 } });
  try {
    const p = phone.page;
    await p.goto(consoleUrl(stack, `/orders?q=${token.toLowerCase()}`));
    await p.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=orders-table] tbody tr').length === n,
      made.length,
    );
    assert.ok(await noHorizontalScroll(p), 'the page does not scroll sideways');
    const wrap = await p.evaluate(() => {
      const w = document.querySelector('[data-testid=orders-table]').closest('.table-wrap');
      return { scroll: w.scrollWidth, client: w.clientWidth };
    });
    assert.ok(wrap.scroll <= wrap.client, `the list does not scroll sideways: ${JSON.stringify(wrap)}`);
    for (const uuid of made) {
      for (const cell of ['.c-amount', '.c-status']) {
        const box = await p.locator(`tr[data-uuid=${uuid}] ${cell}`).boundingBox();
        assert.ok(box && box.width > 0, `${cell} shown`);
        assert.ok(box.x >= 0 && box.x + box.width <= 390, `${cell} inside the viewport: ${JSON.stringify(box)}`);
      }
    }
    await p.locator(`tr[data-uuid=${made[0]}] .c-amount`).getByText('NOK 1,250.00').waitFor();
    assert.deepEqual(await overflowing(p, '[data-testid=orders-table]'), []);
    await expectNoAxeViolations(p, 'orders at 390 px');
    await screenshot(p, 'first-day-orders-390');

    // The refund editor of a paid order.
    await sandboxTransition(stack, made[0], 'PAID');
    await openOrder(p, made[0]);
    await p.getByTestId('order-status').getByText('Paid', { exact: true }).waitFor();
    await p.locator('[data-action=refund]').click();
    await p.getByTestId('refund-fill-all').click();
    const input = await p.getByTestId('refund-line-0').boundingBox();
    const label = await p.locator('label[for=refund-line-0]').boundingBox();
    assert.ok(label.y + label.height <= input.y + 1, 'the label sits above its input');
    assert.ok(input.x >= 0 && input.x + input.width <= 390, `input inside: ${JSON.stringify(input)}`);
    assert.deepEqual(await overflowing(p, '.action-panel'), []);
    const total = await p.getByTestId('refund-total').boundingBox();
    assert.ok(total.x >= 0 && total.x + total.width <= 390, 'the total is in view');
    assert.equal(await text(p, 'refund-total'), 'NOK 1,250.00');
    assert.ok(await noHorizontalScroll(p), 'the order page does not scroll sideways');
    await expectNoAxeViolations(p, 'refund editor at 390 px');
    await screenshot(p, 'first-day-refund-390');
  } finally {
    await phone.ctx.close();
  }
});

test('words: left to refund only where refunds apply, expired links, plurals, nb amounts, no jargon', async () => {
  // A SENT link: nothing to refund yet, and the link is valid until its due date.
  const sent = await createByApi({ name: 'Words Sent' });
  await openOrder(page, sent);
  assert.equal(await page.getByTestId('left-to-refund').count(), 0);
  assert.equal(await page.getByTestId('refunded-amount').count(), 0);
  await page.getByTestId('order-facts').getByText('Link valid until').waitFor();
  await sandboxTransition(stack, sent, 'EXPIRED');
  await page.reload();
  await page.getByTestId('order-status').getByText('Expired', { exact: true }).waitFor();
  await page.getByTestId('order-facts').getByText('Link expired on').waitFor();
  assert.equal(await page.getByText('Link valid until').count(), 0);
  assert.equal(await page.getByTestId('left-to-refund').count(), 0);

  // Technical words are gone: the footer, the timeline, the form's callback hint.
  await page.getByRole('status').getByText('Connected to the Front Payment sandbox').waitFor();
  const timeline = await text(page, 'timeline');
  assert.ok(!/\b201\b/.test(timeline) && !timeline.includes('by callback'), timeline);
  assert.ok(timeline.includes('Front Payment accepted the order.'), timeline);
  await page.goto(consoleUrl(stack, '/orders/new'));
  await page.locator('#f-customerDetails-name').waitFor();
  assert.ok(!(await page.locator('body').textContent()).includes("proxy's own callback"));

  // Plurals.
  const token = `Plural${Date.now()}`;
  await createByApi({ name: `${token} Berg` });
  await page.goto(consoleUrl(stack, `/orders?q=${token.toLowerCase()}`));
  await page.getByTestId('orders-total').getByText('1 order', { exact: true }).waitFor();
  await createByApi({ name: `${token} Berg` });
  await page.reload();
  await page.getByTestId('orders-total').getByText('2 orders', { exact: true }).waitFor();

  // Norwegian: "Fill in everything" writes 3 580,00, which the editor reads back.
  const big = await createByApi({ name: 'Words Norsk', rate: 3580 });
  await sandboxTransition(stack, big, 'PAID');
  const nb = await signIn({ lang: 'nb' });
  try {
    await openOrder(nb.page, big);
    await nb.page.getByTestId('order-status').getByText('Betalt', { exact: true }).waitFor();
    await nb.page.locator('[data-action=refund]').click();
    await nb.page.getByTestId('refund-fill-all').click();
    assert.equal(await nb.page.getByTestId('refund-line-0').inputValue(), '3 580,00');
    assert.equal(await text(nb.page, 'refund-total'), 'kr\u00a03\u00a0580,00');
    assert.equal(await nb.page.getByTestId('confirm-action').isDisabled(), false);
    assert.equal((await text(nb.page, 'refund-problem')), '');
    // "E-Faktura", spelt as Front Payment does, also in the activity filter.
    await nb.page.goto(consoleUrl(stack, '/activity'));
    await nb.page.getByTestId('activity-action').locator('option', { hasText: 'Opprettet E-Faktura' }).waitFor({ state: 'attached' });
  } finally {
    await nb.ctx.close();
  }
});

test('the internal note, "Duplicate" and the printed receipt', async () => {
  const token = `Noted${Date.now()}`;
  const uuid = await createByApi({ name: `${token} Dahl`, firstName: 'Kari', line: 'Consulting', rate: 900 });
  const note = `Prefers calls after 16:00 (${token})`;

  // A clerk writes the note; it stays in Frontdesk.
  const clerk = await signIn({ username: 'clerk' });
  try {
    await openOrder(clerk.page, uuid);
    await clerk.page.getByTestId('note-input').fill(note);
    await clerk.page.getByTestId('note-save').click();
    await clerk.page.getByTestId('note-status').getByText('Note saved.').waitFor();
    await expectNoAxeViolations(clerk.page, 'internal note');
    await clerk.page.reload();
    await clerk.page.getByTestId('order-facts').waitFor();
    assert.equal(await clerk.page.getByTestId('note-input').inputValue(), note);
  } finally {
    await clerk.ctx.close();
  }
  const upstream = JSON.stringify(await sandboxGet(stack, `details/${uuid}`));
  assert.ok(!upstream.includes(token + ')'), 'the note never reaches Front Payment');

  // A viewer reads it and cannot change it.
  const viewer = await signIn({ username: 'viewer' });
  try {
    await openOrder(viewer.page, uuid);
    await viewer.page.getByTestId('note-text').getByText(note).waitFor();
    assert.equal(await viewer.page.getByTestId('note-input').count(), 0);
    assert.equal(await viewer.page.getByTestId('duplicate').count(), 0, 'viewers do not create orders');
  } finally {
    await viewer.ctx.close();
  }

  // Print: a receipt of what was sent, without navigation, buttons or the note.
  await openOrder(page, uuid);
  await page.emulateMedia({ media: 'print' });
  try {
    for (const hidden of ['.app-header', '.app-header nav', '[data-testid=order-actions]', '[data-testid=print]', '[data-testid=internal-note]', '[data-testid=timeline]']) {
      assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
    }
    for (const shown of ['order-products', 'customer-name', 'grand-total', 'order-facts']) {
      assert.equal(await page.getByTestId(shown).isVisible(), true, `${shown} is printed`);
    }
    await screenshot(page, 'first-day-print');
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }

  // Duplicate: the form opens with the kind, the customer and the lines.
  await page.getByTestId('duplicate').click();
  await page.waitForURL(/\/orders\/new$/);
  await page.locator('#f-customerDetails-name').waitFor();
  assert.equal(await page.locator('#kind-payment-link').isChecked(), true);
  assert.equal(await page.locator('#f-customerDetails-name').inputValue(), `${token} Dahl`);
  assert.equal(await page.locator('#f-customerDetails-firstName').inputValue(), 'Kari');
  assert.equal(await page.locator('#f-customerDetails-address-city').inputValue(), 'Oslo');
  assert.equal(await page.locator('#f-referenceNo').inputValue(), 'REF-2024-17');
  const lines = page.locator('ol.lines > li');
  assert.equal(await lines.count(), 1);
  assert.equal(await lines.first().locator('input[id$="-name"]').inputValue(), 'Consulting');
  await expectNoAxeViolations(page, 'new order from Duplicate');
});
