// The customer book and the product catalogue in the console (issue 18), end to end: an order
// sent to a new customer puts them in the book, the type-ahead fills the next order from three
// letters of their name, the product picker adds lines, a line goes to the catalogue, a
// 500-row CSV with 3 bad rows is previewed and its good rows imported, "New customer" saves one
// typed by hand, a viewer reads but is offered no change, and an erased customer's order keeps
// its amount and status without their name. axe-core finds nothing on the new pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  consoleUrl,
  expectNoAxeViolations,
  fillCustomer,
  fillLines,
  newOrder,
  screenshot,
  submitAndWait,
} from '../support/console.mjs';
import { ADDRESS, CASES, LINES } from '../support/orders.mjs';
import { browserSuite, page, signedIn, stack } from '../support/suite.mjs';

// An erased customer's page answers 404 (the browser logs it).
browserSuite({ expected: /status of (401|404)/ });

/** Lower-case letters no other suite's data starts with (the stack is shared). */
const letters = (n) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const tag = letters(7);
const Tag = tag[0].toUpperCase() + tag.slice(1);
/** A Norwegian mobile number no other suite uses. */
const phone = () => `4${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const customer = {
  type: 'private',
  name: `${Tag} Nordmann`,
  msisdn: phone(),
  email: `${tag}@example.no`,
  language: 'en',
  ...ADDRESS,
};
const product = { name: `Wash ${Tag}`, productId: `W-${tag}`, price: '51.00' };
/** What the tests made, for the later ones. */
const made = {};

/** Open `path` until `check` passes (the book is filled after the order's answer). */
async function eventually(path, check, tries = 15) {
  for (let i = 1; ; i += 1) {
    await page.goto(consoleUrl(stack, path));
    try {
      await check();
      return;
    } catch (error) {
      if (i >= tries) throw error;
      await page.waitForTimeout(500);
    }
  }
}

/** In a type-ahead `id`, type `typed`, go down to the suggestion `label` by arrow keys, Enter. */
async function pickByKeyboard(id, typed, label) {
  const input = page.locator(`#${id}`);
  await input.fill(typed);
  const option = page.locator(`#${id}-list [role=option]`, { hasText: label }).first();
  await option.waitFor();
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  const optionId = await option.getAttribute('id');
  const index = Number(optionId.split('-opt-')[1]);
  for (let i = 0; i <= index; i += 1) await input.press('ArrowDown');
  assert.equal(await input.getAttribute('aria-activedescendant'), optionId);
  await input.press('Enter');
}

test('an order sent to a new customer puts them in the book with their orders and totals', async () => {
  await newOrder(page, stack, 'payment-link');
  await fillCustomer(page, customer);
  await fillLines(page, LINES);
  await CASES[0].options(page);
  made.first = (await submitAndWait(page)).uuid;

  await eventually(`/customers?q=${encodeURIComponent(customer.email)}`, async () => {
    await page.getByTestId('customers-table').getByRole('link', { name: customer.name }).waitFor({ timeout: 1000 });
  });
  await expectNoAxeViolations(page, 'customers');
  await screenshot(page, 'customers');

  await page.getByTestId('customers-table').getByRole('link', { name: customer.name }).click();
  await page.waitForURL(/\/customers\/cus_[0-9a-f]{20}$/);
  made.customerPath = new URL(page.url()).pathname;
  await page.getByTestId('customer-title').getByText(customer.name).waitFor();
  assert.ok((await page.getByTestId('customer-facts').textContent()).includes(customer.email));
  await page.getByTestId('customer-orders').getByText(made.first).waitFor();
  assert.equal((await page.getByTestId('total-sent').textContent()).trim(), 'NOK 362.50');
  assert.equal((await page.getByTestId('total-outstanding').textContent()).trim(), 'NOK 362.50');
  assert.equal((await page.getByTestId('total-paid').textContent()).trim(), 'NOK 0.00');
  await page.getByTestId('show-export').click();
  await page.getByTestId('export-view').getByText(made.first).waitFor();
  await expectNoAxeViolations(page, 'customer');
  await screenshot(page, 'customer');
});

test('the type-ahead fills the next order from three letters; the picker adds catalogue lines', async () => {
  // A catalogue product, made on the products page.
  await page.goto(consoleUrl(stack, '/products'));
  await page.locator('#new-product').click();
  await page.locator('#product-name').fill(product.name);
  await page.locator('#product-productId').fill(product.productId);
  await page.locator('#product-unitPrice').fill(product.price);
  await page.locator('#product-tax').selectOption('25');
  await expectNoAxeViolations(page, 'product form');
  await page.locator('#save-product').click();
  await page.getByTestId('product-note').getByText('Product saved.').waitFor();
  await page.getByTestId('products-table').getByText(product.name).waitFor();
  await expectNoAxeViolations(page, 'products');

  await newOrder(page, stack, 'payment-link');
  await pickByKeyboard('customer-search', Tag.slice(0, 3), customer.name);
  await page.getByTestId('customer-filled').getByText(customer.name).waitFor();
  assert.equal(await page.locator('#f-customerDetails-name').inputValue(), customer.name);
  assert.equal(await page.locator('#f-customerDetails-email').inputValue(), customer.email);
  assert.equal(await page.locator('#f-customerDetails-msisdn').inputValue(), customer.msisdn);
  assert.equal(await page.locator('#f-customerDetails-address-city').inputValue(), ADDRESS.city);
  assert.equal(await page.locator('#f-customerDetails-preferredLanguage').inputValue(), 'en');

  // Enter adds a line and keeps the list open: Enter again adds another.
  await pickByKeyboard('product-search', product.name, product.name);
  await page.locator('#product-search').press('Enter');
  const rows = page.locator('ol.lines > li');
  await page.waitForFunction(() => document.querySelectorAll('ol.lines > li').length === 2);
  assert.equal(await rows.first().locator('input[id$="-name"]').inputValue(), product.name);
  assert.equal(await rows.nth(1).locator('input[id$="-productId"]').inputValue(), product.productId);
  assert.equal((await page.getByTestId('grand-total').textContent()).trim(), 'NOK 102.00');
  await page.locator('#product-search').press('Escape');
  await expectNoAxeViolations(page, 'new order with the book');

  // A typed line goes to the catalogue.
  await page.locator('#add-line').click();
  const typed = rows.nth(2);
  const lineName = `Trim ${Tag}`;
  await typed.locator('input[id$="-name"]').fill(lineName);
  await typed.locator('input[id$="-rate"]').fill('120.00');
  await typed.locator('button.save-line').click();
  await typed.getByText(`Saved ${lineName} to the catalogue.`).waitFor();

  await CASES[0].options(page);
  made.second = (await submitAndWait(page)).uuid;
  await page.goto(consoleUrl(stack, made.customerPath));
  await page.getByTestId('customer-orders').getByText(made.second).waitFor();
  await page.goto(consoleUrl(stack, `/products`));
  await page.getByTestId('product-search').fill(lineName);
  await page.getByTestId('products-table').getByText(lineName).waitFor();
});

/** Rows of the 500-row import the rules refuse: data row → [column named, what is wrong]. */
const BAD_ROWS = new Map([
  [51, ['Phone', (r) => ({ ...r, phone: '46x00002' })]],
  [252, ['Country', (r) => ({ ...r, country: 'Norge' })]],
  [451, ['Name', (r) => ({ ...r, name: '' })]],
]);
const IMPORT_ROWS = 500;

/** The import file: IMPORT_ROWS customers, each their own email and phone, BAD_ROWS spoiled. */
function importCsv() {
  const first = Math.floor(Math.random() * (1e7 - IMPORT_ROWS));
  const lines = ['Type,Name,Calling code,Phone,Email,Street,Postcode,City,Country'];
  for (let i = 1; i <= IMPORT_ROWS; i += 1) {
    let row = {
      name: `${Tag} Import ${i}`,
      phone: `4${String(first + i).padStart(7, '0')}`,
      email: `imp${i}-${tag}@example.no`,
      country: 'NO',
    };
    if (BAD_ROWS.has(i)) row = BAD_ROWS.get(i)[1](row);
    lines.push(`private,${row.name},+47,${row.phone},${row.email},Gate ${i},4313,Sandnes,${row.country}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

test('a 500-row customer CSV with 3 bad rows: the preview shows them, the other 497 import', async () => {
  await page.goto(consoleUrl(stack, '/customers/import'));
  await expectNoAxeViolations(page, 'customer import');
  await page.locator('#import-file').setInputFiles({ name: 'kunder.csv', mimeType: 'text/csv', buffer: Buffer.from(importCsv()) });
  await page.waitForFunction(() => document.querySelector('#import-text')?.value.length > 0);
  await page.locator('#import-check').click();
  const preview = page.getByTestId('import-preview');
  await preview.locator('tbody tr').nth(IMPORT_ROWS - 1).waitFor();
  assert.equal(await preview.locator('tbody tr').count(), IMPORT_ROWS);
  // A data row's line in the file is one past its number (the header is line 1).
  const badLines = await preview.locator('tr[data-ok="false"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.line));
  assert.deepEqual(badLines, [...BAD_ROWS.keys()].map((row) => String(row + 1)));
  for (const [row, [column]] of BAD_ROWS) {
    const bad = preview.locator(`tr[data-line="${row + 1}"]`);
    assert.ok((await bad.textContent()).includes(column), `row ${row}: ${await bad.textContent()}`);
    assert.equal(await page.locator(`#accept-${row + 1}`).isDisabled(), true);
  }
  assert.equal(await page.locator('#accept-2').isChecked(), true);
  await expectNoAxeViolations(page, 'customer import preview');
  await screenshot(page, 'customer-import-preview');

  await page.locator('#import-accepted').click();
  const done = page.getByTestId('import-done');
  await done.waitFor({ timeout: 30_000 });
  const good = IMPORT_ROWS - BAD_ROWS.size;
  assert.ok((await done.textContent()).includes(`${good} new`), await done.textContent());
  assert.equal(await page.getByTestId('import-result').locator('tbody tr').count(), good);

  for (const row of [1, 250, 500]) {
    await page.goto(consoleUrl(stack, `/customers?q=${encodeURIComponent(`imp${row}-${tag}`)}`));
    await page.getByTestId('customers-table').getByRole('link', { name: `${Tag} Import ${row}` }).waitFor();
  }
  for (const row of BAD_ROWS.keys()) {
    await page.goto(consoleUrl(stack, `/customers?q=${encodeURIComponent(`imp${row}-${tag}`)}`));
    await page.getByTestId('no-customers').waitFor();
  }
});

test('"New customer": checked as typed, saved, their page opens', async () => {
  await page.goto(consoleUrl(stack, '/customers'));
  await page.locator('#new-customer').click();
  await page.waitForURL(/\/customers\/new$/);
  const field = (key) => page.locator(`#contact-customerDetails-${key}`);
  await field('name').waitFor();
  await expectNoAxeViolations(page, 'new customer');
  // Core's rules as typed: a phone with a letter is refused before anything is sent.
  await field('name').fill(`${Tag} Handlaget`);
  await field('msisdn').fill('46x67468');
  await page.locator('#save-contact').click();
  await page.locator('#contact-customerDetails-msisdn[aria-invalid="true"]').waitFor();
  assert.equal(new URL(page.url()).pathname, '/customers/new');
  await field('msisdn').fill(phone());
  await field('email').fill(`hand-${tag}@example.no`);
  await field('address-street').fill('Kaigata 1');
  await field('address-zip').fill('5003');
  await field('address-city').fill('Bergen');
  await page.locator('#save-contact').click();
  await page.waitForURL(/\/customers\/cus_[0-9a-f]{20}$/);
  await page.getByTestId('customer-title').getByText(`${Tag} Handlaget`).waitFor();
});

test('a viewer reads the book and the catalogue, and is offered no new, import, edit or erase', async () => {
  const { context, page: viewer } = await signedIn('viewer');
  try {
    await viewer.goto(consoleUrl(stack, `/customers?q=${encodeURIComponent(customer.email)}`));
    await viewer.getByTestId('customers-table').getByRole('link', { name: customer.name }).waitFor();
    assert.equal(await viewer.locator('#new-customer, a[href="/customers/import"]').count(), 0);
    await viewer.goto(consoleUrl(stack, made.customerPath));
    await viewer.getByTestId('customer-title').getByText(customer.name).waitFor();
    await viewer.getByTestId('customer-orders').getByText(made.second).waitFor();
    assert.equal(await viewer.locator('#edit-contact, #erase-customer').count(), 0);
    await viewer.goto(consoleUrl(stack, '/products'));
    await viewer.getByTestId('products-table').waitFor();
    assert.equal(await viewer.locator('#new-product, a[href="/products/import"]').count(), 0);
    await expectNoAxeViolations(viewer, 'the catalogue, read only');
  } finally {
    await context.close();
  }
});

test('erasing a customer (admin) anonymises their orders; ids, amounts and statuses stay', async () => {
  await page.goto(consoleUrl(stack, made.customerPath));
  await page.getByTestId('customer-title').getByText(customer.name).waitFor();
  await page.locator('#erase-customer').click();
  const confirm = page.getByTestId('erase-confirm');
  await confirm.waitFor();
  const question = await confirm.textContent();
  assert.ok(question.includes('five years') && question.includes('bookkeeping law'), question);
  await expectNoAxeViolations(page, 'erase confirmation');
  await page.locator('#erase-yes').click();
  await page.getByTestId('erased').waitFor();
  assert.ok((await page.getByTestId('erased').textContent()).includes('2 orders'));

  await page.goto(consoleUrl(stack, `/orders?q=${made.first}`));
  const row = page.locator(`tr[data-uuid="${made.first}"]`);
  await row.waitFor();
  assert.equal((await row.getByTestId('customer-name').textContent()).trim(), '');
  assert.ok(!(await row.textContent()).includes(customer.email));
  assert.equal((await row.locator('.c-amount').textContent()).trim(), 'NOK 362.50');
  assert.equal(await row.locator('.c-status [data-status]').getAttribute('data-status'), 'SENT');
  await page.goto(consoleUrl(stack, `/orders?q=${encodeURIComponent(customer.email)}`));
  await page.getByTestId('no-orders').waitFor();
  await page.goto(consoleUrl(stack, made.customerPath));
  await page.getByText('There is no such customer').waitFor();
});
