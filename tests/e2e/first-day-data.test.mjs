// A bookkeeper's first day with the order list (issue 14): a search for the full name finds
// the order ("Ola Nordmann", typed as the customer is called), and the CSV has Oslo local
// times, phones with their calling code, VAT after the discount per rate, the refunded
// amount, invoice number and due date, and the org. or personal number, masked unless an
// admin exports.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { consoleUrl, expectNoAxeViolations, postPaymentLink, screenshot } from '../support/console.mjs';
import { browserSuite, signedIn, stack } from '../support/suite.mjs';

browserSuite({ page: false });

const ADDRESS = { street: 'Storgata 1', zip: '0155', city: 'Oslo', country: 'NO' };

/** A page of a fresh context (downloads allowed) signed in as `role`. */
const signedInAs = (role) => signedIn(role, { acceptDownloads: true });

/** 1 000.00 at 25 % with 100.00 off, sent with everything a merchant types. */
async function createOrder(tag) {
  const body = {
    products: [{ name: 'Winter coat', productId: 'WC-1', quantity: '1', rate: 1000, discount: 100, tax: '25', amount: 900 }],
    orderSummary: { subTotal: '800.00', totalTax: '180.00', totalDiscount: '100.00', grandTotal: '900.00' },
    sendOrderBy: { sms: false, email: true },
    orderDate: String(Math.floor(Date.now() / 1000) + 60),
    customerDetails: {
      type: 'private', countryCode: '+47', msisdn: '46567468', email: 'ola@example.no',
      firstName: 'Ola', name: `Nordmann${tag}`, personalNumber: '01010012356', address: ADDRESS,
    },
    invoiceAsPaymentOption: false,
    referenceNo: `R-${tag}`,
    customerReference: `PO-${tag}`,
  };
  return postPaymentLink(stack, body);
}

/** `2026-12-01 06:29`: the Oslo wall clock at `ms`. */
function osloMinute(ms) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** Search the list for `q`, wait for exactly `uuid`, export the CSV; returns header and row. */
async function searchAndExport(page, q, uuid) {
  await page.goto(consoleUrl(stack, '/orders'));
  await page.getByTestId('orders-table').waitFor();
  await page.getByTestId('order-search').fill(q);
  await page.waitForFunction(
    (id) => {
      const rows = [...document.querySelectorAll('[data-testid=orders-table] tbody tr')];
      return rows.length === 1 && rows[0].dataset.uuid === id;
    },
    uuid,
  );
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  assert.match(download.suggestedFilename(), /^frontdesk-orders-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
  const lines = text.trim().split('\r\n');
  assert.equal(lines.length, 2, text);
  const header = lines[0].split(',');
  const cells = lines[1].split(',');
  return { header, cell: (name) => cells[header.indexOf(name)] };
}

test('"Ola Nordmann" finds the order; the CSV is the bookkeeper\'s', async () => {
  const tag = `${Date.now()}`;
  const before = Date.now();
  const uuid = await createOrder(tag);
  const afterCreate = Date.now();
  const { context, page } = await signedInAs('admin');
  try {
    const { header, cell } = await searchAndExport(page, `Ola Nordmann${tag}`, uuid);
    await expectNoAxeViolations(page, 'orders list searched by full name');
    await screenshot(page, 'orders-full-name-search');
    assert.match(await page.locator(`tr[data-uuid=${uuid}]`).innerText(), new RegExp(`Ola Nordmann${tag}`));

    for (const column of ['Created', 'Mobile phone', 'Customer reference', 'Org. / personal number', 'VAT 25 %', 'Refunded', 'Invoice number', 'Due date']) {
      assert.ok(header.includes(column), `${column} in ${header}`);
    }
    const created = cell('Created');
    assert.match(created, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'local date and time, not UTC ISO');
    assert.ok([osloMinute(before), osloMinute(afterCreate)].includes(created), `${created} is Oslo time`);
    assert.equal(cell('Customer'), `Ola Nordmann${tag}`);
    assert.equal(cell('Mobile phone'), '+47 46567468');
    assert.equal(cell('Customer reference'), `PO-${tag}`);
    assert.equal(cell('Org. / personal number'), '01010012356', 'an admin sees it whole');
    assert.equal(cell('Amount'), '900.00');
    assert.equal(cell('VAT 25 %'), '180.00', 'VAT after the discount');
    assert.equal(cell('Due date'), '', 'a payment link has no invoice due date');
  } finally {
    await context.close();
  }

  // A clerk's export masks the personal number; the reversed name finds the order too.
  const clerk = await signedInAs('clerk');
  try {
    const { cell } = await searchAndExport(clerk.page, `nordmann${tag} ola`, uuid);
    assert.equal(cell('Org. / personal number'), '010100*****');
  } finally {
    await clerk.context.close();
  }
});
