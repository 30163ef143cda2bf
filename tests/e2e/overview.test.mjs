// The overview and the VAT report (issue 20), as a merchant sees them: three payment links with
// mixed VAT rates and a discount, two of them paid (one through the sandbox panel, one at the
// sandbox) and one line of one refunded through the order page. The overview shows the money in,
// the orders, what is owed and the top customers; the VAT report shows per rate what core
// computes (VAT after the discount: line VAT = amount × rate / (100 + rate), half away from
// zero), its CSV equals the page in both languages, it prints alone, and axe finds nothing.
// Everyone lands on the overview after signing in.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import {
  consoleUrl,
  expectNoAxeViolations,
  postPaymentLink,
  sandboxTransition,
  screenshot,
} from '../support/console.mjs';
import { browserSuite, page, signedIn, stack } from '../support/suite.mjs';

// A stack of our own (any `env` starts one): the figures are exact only where no other suite
// creates or pays orders.
browserSuite({ env: {}, context: { acceptDownloads: true } });

const ADDRESS = { street: 'Storgata 1', zip: '0155', city: 'Oslo', country: 'NO' };

/** `n / d` rounded half away from zero (core's rounding), for n ≥ 0. */
const roundDiv = (n, d) => Math.floor((2 * n + d) / (2 * d));

/** A line in øre as core computes it: amount after the discount, VAT of that amount. */
function line({ quantity, rate, discount = 0, tax }) {
  const gross = quantity * rate * 100;
  const amount = gross - discount * 100;
  const vat = roundDiv(amount * tax, 100 + tax);
  return { amount, vat, base: amount - vat, grossNet: roundDiv(gross * 100, 100 + tax), discount: discount * 100 };
}

const kr = (ore) => (ore / 100).toFixed(2);

// A: a discounted 25 % line, a 15 % line (refunded later) and a 0 % line.
// B: a 12 % line and a 25 % line. C: one 25 % line, never paid.
const ORDERS = {
  A: {
    customer: 'Alfa Overview',
    msisdn: '41234561',
    lines: [
      { name: 'Coat', productId: 'C-1', quantity: 2, rate: 200, discount: 40, tax: 25 },
      { name: 'Shampoo', productId: 'S-1', quantity: 1, rate: 100, tax: 15 },
      { name: 'Gift card', productId: 'G-1', quantity: 1, rate: 50, tax: 0 },
    ],
  },
  B: {
    customer: 'Beta Overview',
    msisdn: '41234562',
    lines: [
      { name: 'Course', productId: 'K-1', quantity: 1, rate: 300, tax: 12 },
      { name: 'Boots', productId: 'B-1', quantity: 1, rate: 400, tax: 25 },
    ],
  },
  C: {
    customer: 'Gamma Overview',
    msisdn: '41234563',
    lines: [{ name: 'Scarf', productId: 'SC-1', quantity: 1, rate: 80, tax: 25 }],
  },
};
/** The line of A refunded in full (the 15 % one). */
const REFUNDED = { order: 'A', index: 1 };

const orderTotal = (o) => o.lines.map(line).reduce((s, l) => s + l.amount, 0);

/** A create body for `order`: three customers of their own (the top list groups by customer). */
function body({ customer, msisdn, lines }) {
  const totals = lines.map(line);
  const sum = (k) => totals.reduce((s, l) => s + l[k], 0);
  return {
    products: lines.map((l, i) => ({
      name: l.name, productId: l.productId, quantity: String(l.quantity), rate: l.rate,
      discount: l.discount ?? 0, tax: String(l.tax), amount: totals[i].amount / 100,
    })),
    orderSummary: {
      subTotal: kr(sum('grossNet')), totalTax: kr(sum('vat')),
      totalDiscount: kr(sum('discount')), grandTotal: kr(sum('amount')),
    },
    sendOrderBy: { sms: false, email: true },
    orderDate: String(Math.floor(Date.now() / 1000) + 60),
    customerDetails: {
      type: 'private', countryCode: '+47', msisdn, email: `${msisdn}@example.no`,
      name: customer, address: ADDRESS,
    },
    invoiceAsPaymentOption: false,
    referenceNo: 'OVERVIEW',
  };
}

/** The VAT report's rows as core should give them: per rate, highest first, 25/15/12/0 always. */
function expectedVat() {
  const rows = new Map([25, 15, 12, 0].map((r) => [r, { base: 0, vat: 0, rBase: 0, rVat: 0 }]));
  for (const key of ['A', 'B']) {
    ORDERS[key].lines.forEach((l, i) => {
      const t = line(l);
      const row = rows.get(l.tax);
      row.base += t.base;
      row.vat += t.vat;
      if (key === REFUNDED.order && i === REFUNDED.index) {
        row.rBase += t.base;
        row.rVat += t.vat;
      }
    });
  }
  const list = [...rows.entries()].sort((a, b) => b[0] - a[0]).map(([rate, r]) => ({
    label: `${rate} %`, cells: [r.base, r.vat, r.rBase, r.rVat, r.base - r.rBase, r.vat - r.rVat],
  }));
  const total = list.reduce((sum, r) => sum.map((v, i) => v + r.cells[i]), [0, 0, 0, 0, 0, 0]);
  return [...list, { label: 'Total', cells: total }];
}

const made = {};

/**
 * Open `path` until `check` passes: the proxy hears of payments and refunds by callback, so the
 * figures may need a moment. The last try's failure is the test's.
 */
async function eventually(check, path = '/overview', tries = 15) {
  for (let i = 1; ; i += 1) {
    await page.goto(consoleUrl(stack, path));
    await page.getByTestId('figure-paid').waitFor();
    try {
      await check();
      return;
    } catch (error) {
      if (i >= tries) throw error;
      await page.waitForTimeout(1000);
    }
  }
}

/** The status chart's table: status in words → orders. */
const statusCounts = () =>
  page.locator('[data-testid=chart-status] tbody tr').evaluateAll((trs) =>
    Object.fromEntries(trs.map((tr) => [tr.querySelector('th').textContent.trim(), Number(tr.dataset.value)])));

const figureText = async (testId) => (await page.getByTestId(testId).locator('.figure-value').textContent()).trim();
const attr = async (locator, name) => Number(await locator.getAttribute(name));

test('everyone lands on the overview after signing in', async () => {
  assert.match(page.url(), /\/overview$/, 'the admin (browserSuite signed in)');
  const { context, page: viewer } = await signedIn('viewer');
  try {
    await viewer.getByTestId('figure-paid').waitFor();
    const nav = viewer.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Overview' }).waitFor();
    await nav.getByRole('link', { name: 'VAT report' }).waitFor();
  } finally {
    await context.close();
  }
});

test('orders made, two paid and one line refunded', async () => {
  for (const [key, order] of Object.entries(ORDERS)) made[key] = await postPaymentLink(stack, body(order));

  // A: paid through the sandbox panel, its 15 % line refunded through the refund editor.
  await page.goto(consoleUrl(stack, `/orders/${made.A}`));
  await page.locator('[data-simulate=PAID]').click();
  await page.getByTestId('order-status').getByText('Paid', { exact: true }).waitFor({ timeout: 10_000 });
  await page.locator('[data-action=refund]').click();
  const refunded = line(ORDERS.A.lines[REFUNDED.index]);
  await page.getByTestId(`refund-line-${REFUNDED.index}`).fill(kr(refunded.amount));
  await page.getByTestId('confirm-action').click();
  await page.getByTestId('action-result').getByText('The refund was registered.').waitFor({ timeout: 15_000 });
  await page.getByTestId('order-status').getByText('Partly refunded', { exact: true }).waitFor();

  // B: paid at the sandbox (the customer pays; the proxy hears of it by callback).
  await sandboxTransition(stack, made.B, 'PAID');
});

test('the overview shows the money in, the orders, what is owed and the top customers', async () => {
  const paid = orderTotal(ORDERS.A) + orderTotal(ORDERS.B);
  const refunded = line(ORDERS.A.lines[REFUNDED.index]).amount;
  await eventually(async () => {
    assert.equal(await attr(page.getByTestId('figure-paid'), 'data-value'), paid);
    assert.equal(await attr(page.getByTestId('figure-refunded'), 'data-value'), refunded);
    assert.deepEqual(await statusCounts(), { Paid: 1, 'Partly refunded': 1, Sent: 1 });
  });
  assert.equal(paid, 121_000, 'A 510.00 + B 700.00');
  assert.equal(await figureText('figure-paid'), 'NOK 1,210.00');
  assert.equal(await figureText('figure-refunded'), 'NOK 100.00');
  assert.equal(await figureText('figure-net'), 'NOK 1,110.00');
  assert.equal(await attr(page.getByTestId('figure-net'), 'data-value'), paid - refunded);
  // A fresh stack: nothing in the previous period, so everything went up by itself.
  assert.equal(await attr(page.getByTestId('figure-paid'), 'data-previous'), 0);
  assert.equal((await page.getByTestId('figure-paid-delta').textContent()).trim(), '▲ +NOK 1,210.00');
  for (const [id, want] of [['figure-sent', 3], ['figure-paid-orders', 2], ['figure-outstanding', 1]]) {
    assert.equal(await attr(page.getByTestId(id), 'data-value'), want, id);
  }
  assert.equal(await attr(page.getByTestId('figure-outstanding-amount'), 'data-value'), orderTotal(ORDERS.C));

  // Charts: paid today is the whole period's paid; the statuses of the three orders.
  const paidRows = page.locator('[data-testid=chart-paid] tbody tr');
  const perDay = await paidRows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.value)));
  assert.equal(perDay.reduce((s, v) => s + v, 0), paid);
  assert.equal(perDay.filter((v) => v > 0).length, 1);
  assert.equal(await page.locator('[data-testid=chart-paid] svg rect.bar').count(), perDay.length);
  await page.getByTestId('chart-status').locator('summary').click();
  await page.locator('[data-testid=chart-status] tbody tr').first().waitFor();

  // What is owed: C, not yet 15 days old; nothing in reminder or debt collection.
  const young = page.locator('[data-testid=owed-table] tr[data-bucket="0-14"]');
  assert.equal(await attr(young, 'data-count'), 1);
  assert.equal(await attr(young, 'data-amount'), orderTotal(ORDERS.C));
  for (const bucket of ['15-30', '31-60', '60+']) {
    assert.equal(await attr(page.locator(`[data-testid=owed-table] tr[data-bucket="${bucket}"]`), 'data-count'), 0);
  }
  assert.equal(await attr(page.getByTestId('owed-reminder'), 'data-count'), 0);
  assert.equal(await attr(page.getByTestId('owed-debt-collection'), 'data-count'), 0);

  // Top customers: B paid the most.
  const top = await page.locator('[data-testid=top-customers] tbody th').allTextContents();
  assert.deepEqual(top.map((s) => s.trim()), [ORDERS.B.customer, ORDERS.A.customer]);
  assert.equal(await attr(page.locator('[data-testid=top-customers] tbody tr').first(), 'data-paid'), orderTotal(ORDERS.B));

  await expectNoAxeViolations(page, 'overview');
  await screenshot(page, 'overview');
});

/** Wait until the orders list shows exactly `uuids` (in any order). */
async function listShows(uuids) {
  await page.waitForFunction(
    (want) => [...document.querySelectorAll('[data-testid=orders-table] tbody tr')].map((tr) => tr.dataset.uuid).sort().join() === want,
    [...uuids].sort().join(),
  );
}

const DAY = '\\d{4}-\\d{2}-\\d{2}';

test('each figure leads to its orders', async () => {
  // Paid in the period: the orders the money in counts.
  await page.goto(consoleUrl(stack, '/overview'));
  await page.getByTestId('figure-paid-orders').locator('.figure-value').click();
  await page.waitForURL(new RegExp(`/orders\\?from=${DAY}&to=${DAY}&basis=paymentDate$`));
  await page.getByTestId('active-filter').getByText('Paid:', { exact: false }).waitFor();
  await listShows([made.A, made.B]);

  // Not yet paid, of the orders created in the period.
  await page.goto(consoleUrl(stack, '/overview'));
  await page.getByTestId('figure-outstanding').locator('.figure-value').click();
  await page.waitForURL(new RegExp(`/orders\\?from=${DAY}&to=${DAY}&outstanding=1$`));
  await listShows([made.C]);

  // What is owed, by age.
  await page.goto(consoleUrl(stack, '/overview'));
  await page.locator('[data-testid=owed-table] tr[data-bucket="0-14"] a').click();
  await page.waitForURL(/\/orders\?overdue=0-14$/);
  await listShows([made.C]);
  await expectNoAxeViolations(page, 'orders filtered from the overview');
  await page.getByTestId('clear-filter').click();
  await listShows([made.A, made.B, made.C]);
});

test('other dates: typed days, checked before asking', async () => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date());
  await page.goto(consoleUrl(stack, '/overview'));
  await page.locator('[data-preset=Custom]').click();
  await page.getByTestId('period-from').fill('2026-02-01');
  await page.getByTestId('period-to').fill('2026-01-01');
  await page.getByTestId('period-apply').click();
  await page.getByTestId('period-error').getByText('The end date is before the start date.').waitFor();
  await page.getByTestId('period-from').fill(today);
  await page.getByTestId('period-to').fill(today);
  await page.getByTestId('period-apply').click();
  await page.waitForURL(new RegExp(`/overview\\?from=${today}&to=${today}$`));
  await page.waitForFunction((d) => document.querySelector('[data-testid=period-shown]')?.dataset.from === d, today);
  assert.equal(await attr(page.getByTestId('figure-paid'), 'data-value'), orderTotal(ORDERS.A) + orderTotal(ORDERS.B));
  await expectNoAxeViolations(page, 'overview, other dates');
});

/** The page's VAT table: header, then each row's label and cell texts. */
async function vatTable() {
  const table = page.getByTestId('vat-table');
  const header = (await table.locator('thead th').allTextContents()).map((s) => s.trim());
  const rows = await table.locator('tbody tr, tfoot tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      label: tr.querySelector('th').textContent.trim(),
      texts: [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()),
      ore: [...tr.querySelectorAll('td')].map((td) => Number(td.dataset.ore)),
    })));
  return { header, rows };
}

/** Download the CSV; returns its lines split into cells (no quoting needed in this table). */
async function vatCsv(separator) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('vat-csv').click()]);
  assert.match(download.suggestedFilename(), /^frontdesk-vat-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}-(orderDate|paymentDate)\.csv$/);
  const raw = await readFile(await download.path(), 'utf8');
  assert.ok(raw.startsWith('\uFEFF'), 'a BOM for spreadsheets');
  return raw.slice(1).trim().split('\r\n').map((l) => l.split(separator));
}

/** `NOK 1,012.82` / `kr 1 012,82` → the CSV's plain number (`1012.82` / `1012,82`). */
const plain = (text) => text.replace(/^(NOK|kr)\s/u, '').replace(/[\s,\u00a0](?=\d{3}\b)/gu, '');

test('the VAT report: per rate, refunds deducted, totals; the CSV is the page', async () => {
  await page.goto(consoleUrl(stack, '/overview'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'VAT report' }).click();
  await page.waitForURL(/\/vat\?from=.*&basis=orderDate$/);
  await page.getByTestId('vat-table').waitFor();
  assert.equal((await page.getByTestId('vat-basis').textContent()).trim(), 'Order date');

  const want = expectedVat();
  const { header, rows } = await vatTable();
  assert.deepEqual(rows.map((r) => r.label), want.map((r) => r.label));
  for (const [i, r] of rows.entries()) assert.deepEqual(r.ore, want[i].cells, r.label);
  const total = rows.at(-1).ore;
  assert.deepEqual(total, [101_282, 19_718, 8_696, 1_304, 92_586, 18_414], 'the hand-computed totals');
  assert.equal(rows.at(-1).texts[5], 'NOK 184.14');

  // English CSV: `,` and the decimal point; exactly the page's table.
  const en = await vatCsv(',');
  assert.deepEqual(en[0], header);
  assert.deepEqual(en.slice(1), rows.map((r) => [r.label, ...r.texts.map(plain)]));
  assert.deepEqual(en.slice(1).map((cells) => cells.slice(1).map((c) => Math.round(Number(c) * 100))), want.map((r) => r.cells));
  await expectNoAxeViolations(page, 'VAT report');
  await screenshot(page, 'vat-report');

  // By payment date: the same orders (paid today, ordered today), the basis shown.
  await page.getByTestId('basis-payment-date').check();
  await page.waitForURL(/basis=paymentDate$/);
  await page.waitForFunction(() => document.querySelector('[data-testid=vat-basis]')?.dataset.basis === 'paymentDate');
  assert.equal((await page.getByTestId('vat-basis').textContent()).trim(), 'Payment date');
  assert.deepEqual((await vatTable()).rows.map((r) => r.ore), want.map((r) => r.cells));

  // Norwegian: `;` and the decimal comma, still exactly the page.
  await page.getByRole('button', { name: 'Bytt til norsk' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'nb');
  await page.getByTestId('vat-table').getByText('Sum', { exact: true }).waitFor();
  const nb = await vatTable();
  const nbCsv = await vatCsv(';');
  assert.deepEqual(nbCsv[0], nb.header);
  assert.deepEqual(nbCsv.slice(1), nb.rows.map((r) => [r.label, ...r.texts.map(plain)]));
  assert.equal(nbCsv.at(-1)[6], '184,14');
  await expectNoAxeViolations(page, 'MVA-rapport');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
});

test('a VAT term is chosen by year and months, and the report prints alone', async () => {
  await page.goto(consoleUrl(stack, '/vat'));
  await page.getByTestId('vat-table').waitFor();
  // Last year's November–December: nothing sold then, the standard rates at zero.
  const year = new Date().getFullYear() - 1;
  await page.getByTestId('vat-year').selectOption(String(year));
  await page.getByTestId('vat-term').selectOption('6');
  await page.waitForURL(new RegExp(`from=${year}-11-01&to=${year}-12-31`));
  await page.getByTestId('vat-none').waitFor();
  assert.deepEqual((await vatTable()).rows.map((r) => r.label), ['25 %', '15 %', '12 %', '0 %', 'Total']);

  await page.emulateMedia({ media: 'print' });
  try {
    for (const hidden of ['.app-header', '.vat-choices', '[data-testid=vat-csv]']) {
      assert.equal(await page.locator(hidden).isVisible(), false, `${hidden} is not printed`);
    }
    for (const shown of ['vat-table', 'vat-facts']) {
      assert.equal(await page.getByTestId(shown).isVisible(), true, `${shown} is printed`);
    }
    await screenshot(page, 'vat-report-print');
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});
