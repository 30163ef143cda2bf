// A merchant's first day on the order form (issue 14): warnings that ask "Send anyway?" before
// anything is sent (errors still block), product-line headings over their inputs, the "Due in"
// choices core allows per kind × customer type with the default selected and the due date shown
// after, focus never hidden under the sticky Create bar, a discard that can be undone, one
// "phone or email" message, nb number entry with thousands spaces, plurals, Norwegian country
// names, the order date and a discount in percent (sent in kr).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  chooseKind,
  consoleUrl,
  expectNoAxeViolations,
  fillCustomer,
  fillLines,
  login,
  screenshot,
} from '../support/console.mjs';
import { browser, browserSuite, context, page, problems, stack } from '../support/suite.mjs';

/** Create requests the page sent (anything sent at all is counted, answered or not). */
let creates = 0;

const isCreate = (url) => /\/api\/v1\/connect\/orders\/.+\/create(\/[a-z-]+)?$/.test(url.pathname);

browserSuite({}, () => {
  page.on('request', (r) => {
    if (r.method() === 'POST' && isCreate(new URL(r.url()))) creates += 1;
  });
});

const ADDRESS = { street: 'Storgata 1', zip: '0155', city: 'Oslo', country: 'NO' };
const LINE = { name: 'Hair wash', productId: 'HW-1', quantity: '2', rate: '200', discount: '', tax: '25' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The Oslo calendar day of a Unix time, `2026-01-15`. */
const osloDate = (unix) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(unix * 1000));

/** `iso` plus `days` calendar days. */
function addDays(iso, days) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The Unix time at which an Oslo day begins (CET or CEST). */
function osloDayStart(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
  for (const hours of [1, 2]) {
    const t = Date.UTC(y, m - 1, d) / 1000 - hours * 3600;
    if (clock.format(new Date(t * 1000)) === '00:00' && osloDate(t) === iso) return t;
  }
  throw new Error(`no Oslo midnight on ${iso}`);
}

/** How the console writes a date in English: `5 Jan 2026`. */
function enDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** The form of `kind`, blank. */
async function fresh(kind) {
  await page.goto(consoleUrl(stack, '/orders/new'));
  await page.locator('#f-customerDetails-name').waitFor();
  await chooseKind(page, kind);
  await page.locator('#discard-draft').click();
  await page.waitForFunction(() => document.querySelector('#f-customerDetails-name').value === '');
}

async function waitForFocus(id) {
  await page.waitForFunction((want) => document.activeElement?.id === want, id);
}

/** Run `action` and return the JSON body of the create request it sent. */
async function createBody(action) {
  let body;
  const handler = async (route) => {
    body = route.request().postDataJSON();
    await route.continue();
  };
  await page.route(isCreate, handler);
  try {
    await action();
  } finally {
    await page.unroute(isCreate, handler);
  }
  return body;
}

async function setLanguage(lang) {
  const now = await page.evaluate(() => document.documentElement.lang);
  if (now === lang) return;
  await page.getByRole('button', { name: lang === 'nb' ? 'Bytt til norsk' : 'Switch to English' }).click();
  await page.waitForFunction((want) => document.documentElement.lang === want, lang);
}

test('a submit with warnings lists them and asks "Send anyway?": Escape goes back, Enter sends', async () => {
  await fresh('payment-link');
  await fillCustomer(page, {
    type: 'private', name: 'Varsel Kunde', msisdn: '4656746', email: 'varsel@example.no',
    personalNumber: '01010012357', language: 'en', ...ADDRESS, zip: '155',
  });
  await fillLines(page, [LINE]);
  const before = creates;

  // Enter in a field submits: the warnings are listed, nothing is sent, focus is on the answer.
  await page.locator('#f-customerDetails-name').press('Enter');
  const panel = page.locator('#warn-confirm');
  await panel.waitFor();
  await waitForFocus('send-anyway');
  const items = await panel.locator('li').allTextContents();
  assert.deepEqual(items.map((s) => s.trim()), [
    'Phone number: Numbers in this country usually have 8 digits.',
    'Personal number (11 digits): This does not look like a valid Norwegian personal number (check digits).',
    'Postcode: Norwegian postcodes have 4 digits.',
  ]);
  await panel.getByText('These look unusual. Send anyway?').waitFor();
  assert.equal(await panel.getAttribute('role'), 'alertdialog');
  await expectNoAxeViolations(page, 'new order, "send anyway?"');
  await screenshot(page, 'first-day-send-anyway');
  assert.equal(creates, before, 'nothing sent while asking');

  // Escape: back to the form, at the first field warned about; still nothing sent.
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  await waitForFocus('f-customerDetails-msisdn');
  assert.equal(creates, before);

  // The same in Norwegian.
  await setLanguage('nb');
  await page.locator('#submit-order').click();
  await panel.getByText('Sjekk før du sender:').waitFor();
  await panel.getByRole('button', { name: 'Send likevel' }).waitFor();
  await panel.getByRole('button', { name: 'Tilbake til skjemaet' }).click();
  await panel.waitFor({ state: 'detached' });
  await setLanguage('en');

  // Errors still block: no question, the error summary, nothing sent.
  await page.locator('#f-customerDetails-name').fill('');
  await page.locator('#submit-order').click();
  await page.locator('#error-summary').waitFor();
  await waitForFocus('f-customerDetails-name');
  assert.equal(await panel.count(), 0);
  assert.equal(creates, before);

  // Fixed, then one keyboard step: Enter asks, Enter sends (what was typed, the phone as typed).
  await page.locator('#f-customerDetails-name').fill('Varsel Kunde');
  const body = await createBody(async () => {
    await page.locator('#submit-order').focus();
    await page.keyboard.press('Enter');
    await waitForFocus('send-anyway');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/orders\/new\/done\//, { timeout: 20_000 });
  });
  assert.equal(creates, before + 1);
  assert.equal(body.customerDetails.msisdn, '4656746');
  assert.equal(body.customerDetails.address.zip, '155');
});

test('an organisation number failing its check digit is a warning on an invoice, asked about', async () => {
  await fresh('invoice');
  await fillCustomer(page, {
    type: 'corporate', name: 'Sjekk AS', msisdn: '98765432', email: 'faktura@sjekk.example',
    organizationId: '923609017', language: 'no', ...ADDRESS,
  });
  await fillLines(page, [LINE]);
  const before = creates;
  await page.locator('#submit-order').click();
  const panel = page.locator('#warn-confirm');
  await panel.getByText('Organisation number: This is not a valid Norwegian organisation number (check digit).').waitFor();
  await waitForFocus('send-anyway');
  await page.getByRole('button', { name: 'Back to the form' }).click();
  await waitForFocus('f-customerDetails-organizationId');
  assert.equal(creates, before);
});

test('product-line headings sit over their inputs', async () => {
  await fresh('payment-link');
  await fillLines(page, [LINE, { ...LINE, name: 'Shampoo', productId: '' }]);
  for (const width of [1280, 1100]) {
    await page.setViewportSize({ width, height: 800 });
    const columns = await page.evaluate(() => {
      const count = (el) => getComputedStyle(el).gridTemplateColumns.split(' ').length;
      return [count(document.querySelector('.lines-head')), count(document.querySelector('ol.lines > li'))];
    });
    assert.equal(columns[0], columns[1], `same columns in the header and a line at ${width}px`);
    for (const row of [0, 1]) {
      const line = page.locator('ol.lines > li').nth(row);
      for (const [head, input] of [
        ['.h-name', 'input[id$="-name"]'],
        ['.h-pid', 'input[id$="-productId"]'],
        ['.h-qty', 'input[id$="-quantity"]'],
        ['.h-rate', 'input[id$="-rate"]'],
        ['.h-disc', 'input[id$="-discount"]'],
        ['.h-tax', 'select[id$="-tax"]'],
        ['.h-amount', 'output[id$="-amount"]'],
      ]) {
        const h = await page.locator(`.lines-head ${head}`).boundingBox();
        const i = await line.locator(input).boundingBox();
        const overlap = Math.min(h.x + h.width, i.x + i.width) - Math.max(h.x, i.x);
        assert.ok(overlap > i.width / 2, `${head} over its input at ${width}px: ${JSON.stringify({ h, i })}`);
        assert.ok(Math.abs(h.x - i.x) <= 1, `${head} starts where its input does at ${width}px`);
      }
      // The kr / % choice sits under the discount heading too.
      const h = await page.locator('.lines-head .h-disc').boundingBox();
      const unit = await line.locator('select[id$="-discountUnit"]').boundingBox();
      assert.ok(unit.x + unit.width <= h.x + h.width + 1, 'the unit under the discount heading');
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await screenshot(page, 'first-day-lines');
});

test('"Due in" shows exactly the maturities core allows, the default selected, and sends it', async () => {
  const cases = [
    { kind: 'invoice', type: 'private', options: ['10'], selected: '10' },
    { kind: 'invoice', type: 'corporate', options: ['14', '30', '45'], selected: '14' },
    { kind: 'e-faktura', options: ['10'], selected: '10' },
    { kind: 'ehf', options: ['14', '30', '45'], selected: '14' },
  ];
  await fresh('invoice');
  for (const c of cases) {
    await chooseKind(page, c.kind);
    if (c.type) await page.locator(`#type-${c.type}`).check();
    const select = page.locator('#f-invoiceMaturity');
    const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(values, c.options, `${c.kind} × ${c.type ?? 'fixed'}`);
    assert.equal(await select.inputValue(), c.selected, `${c.kind} × ${c.type ?? 'fixed'} default`);
    assert.equal((await select.locator('option:checked').textContent()).trim(), `${c.selected} days`);
  }
  // A choice core does not allow after a switch falls back to the default, shown and sent.
  await chooseKind(page, 'invoice');
  await page.locator('#type-corporate').check();
  await page.locator('#f-invoiceMaturity').selectOption('30');
  await page.locator('#type-private').check();
  assert.equal(await page.locator('#f-invoiceMaturity').inputValue(), '10');
  await page.locator('#type-corporate').check();

  // An EHF with the default: 14 days is sent, and the done page shows the due date.
  await fresh('ehf');
  await fillCustomer(page, {
    name: 'Forfall AS', msisdn: '91234567', email: 'ap@forfall.example', organizationId: '998379342',
    language: 'en', ...ADDRESS,
  });
  await fillLines(page, [LINE]);
  assert.equal(await page.locator('#f-invoiceMaturity').inputValue(), '14');
  const body = await createBody(async () => {
    await page.locator('#submit-order').click();
    await page.waitForURL(/\/orders\/new\/done\//, { timeout: 20_000 });
  });
  assert.equal(body.invoiceMaturity, 14);
  const day = osloDate(Number(body.orderDate));
  assert.equal((await page.getByTestId('order-date').textContent()).trim(), enDate(day));
  assert.equal((await page.getByTestId('due-date').textContent()).trim(), enDate(addDays(day, 14)));
  await expectNoAxeViolations(page, 'done with a due date');
});

/** Tab through the whole form: every focused control (and its message) is above the bar. */
async function tabThroughTheForm(label) {
  await page.locator('input[name="kind"]:checked').focus();
  let checked = 0;
  for (let i = 0; i < 300; i += 1) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement;
      const bar = document.getElementById('submit-bar');
      const r = el.getBoundingClientRect();
      const msgs = (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .filter((id) => id.endsWith('-msg'))
        .map((id) => document.getElementById(id))
        .filter((m) => m && m.textContent.trim() !== '');
      return {
        id: el.id || el.tagName,
        inForm: Boolean(el.closest('form.order-form')),
        inBar: bar.contains(el),
        top: r.top,
        bottom: r.bottom,
        msgBottom: msgs.length ? Math.max(...msgs.map((m) => m.getBoundingClientRect().bottom)) : null,
        barTop: bar.getBoundingClientRect().top,
        padding: parseFloat(getComputedStyle(document.documentElement).scrollPaddingBottom),
        barHeight: bar.offsetHeight,
      };
    });
    if (!at.inForm || at.inBar) break;
    checked += 1;
    assert.ok(at.padding >= at.barHeight, `${label}: scroll padding ${at.padding} ≥ bar ${at.barHeight}`);
    assert.ok(at.top >= 0, `${label}: ${at.id} below the top (${at.top})`);
    assert.ok(at.bottom <= at.barTop + 0.5, `${label}: ${at.id} above the bar (${at.bottom} > ${at.barTop})`);
    if (at.msgBottom !== null) {
      assert.ok(at.msgBottom <= at.barTop + 0.5, `${label}: the message of ${at.id} above the bar`);
    }
  }
  assert.ok(checked >= 30, `${label}: tabbed through ${checked} controls`);
}

test('tabbing through the whole form never hides focus or its message under the Create bar', async () => {
  await fresh('invoice');
  await fillLines(page, [LINE, LINE, LINE]);
  // Errors everywhere: every field has a message to keep in view.
  await page.locator('#submit-order').click();
  await page.locator('#error-summary').waitFor();
  await page.setViewportSize({ width: 1280, height: 720 });
  await tabThroughTheForm('1280×720');
  await page.setViewportSize({ width: 390, height: 740 });
  await tabThroughTheForm('390×740');
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('"Discard draft" can be undone; "phone or email" is said once; 8 digits, not 8–8', async () => {
  await fresh('payment-link');
  await page.locator('#f-customerDetails-name').fill('Angre Kunde');
  await page.locator('#discard-draft').click();
  assert.equal(await page.locator('#f-customerDetails-name').inputValue(), '');
  await page.getByTestId('draft-discarded').getByRole('button', { name: 'Undo' }).click();
  assert.equal(await page.locator('#f-customerDetails-name').inputValue(), 'Angre Kunde');
  await page.getByTestId('draft-discarded').waitFor({ state: 'detached' });
  // Typing after a discard ends the offer.
  await page.locator('#discard-draft').click();
  await page.getByTestId('draft-discarded').waitFor();
  await page.locator('#f-customerDetails-name').fill('Ny Kunde');
  await page.getByTestId('draft-discarded').waitFor({ state: 'detached' });

  await page.locator('#f-customerDetails-msisdn').fill('');
  await page.locator('#f-customerDetails-email').fill('');
  await page.locator('#submit-order').click();
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  const text = await summary.textContent();
  assert.equal(text.split('Enter a phone number or an email.').length - 1, 1, text);

  await page.locator('#f-customerDetails-msisdn').fill('4656746');
  await page.locator('#f-customerDetails-msisdn').press('Tab');
  const msg = page.locator('#f-customerDetails-msisdn-msg');
  await msg.getByText('Numbers in this country usually have 8 digits.').waitFor();
  assert.ok(!(await msg.textContent()).includes('8–8'));
});

test('nb: thousands spaces in amounts, plurals, Norwegian country names, E-Faktura, no technical words', async () => {
  await fresh('payment-link');
  const row = page.locator('ol.lines > li').first();
  const count = page.getByTestId('line-count');
  assert.equal((await count.textContent()).trim(), '1 line');
  await page.locator('#add-line').click();
  assert.equal((await count.textContent()).trim(), '2 lines');
  assert.equal(
    await page.locator('#f-customerDetails-address-country option[value="AS"]').textContent(),
    'American Samoa',
  );

  await setLanguage('nb');
  assert.equal((await count.textContent()).trim(), '2 linjer');
  await page.locator('ol.lines > li').last().locator('button[id$="-remove"]').click();
  assert.equal((await count.textContent()).trim(), '1 linje');

  await row.locator('input[id$="-quantity"]').fill('1');
  for (const [typed, shown] of [
    ['1 234,50', 'kr\u00a01\u00a0234,50'],
    ['2\u00a0345,00', 'kr\u00a02\u00a0345,00'],
    ['12 345', 'kr\u00a012\u00a0345,00'],
  ]) {
    await row.locator('input[id$="-rate"]').fill(typed);
    await row.locator('input[id$="-rate"]').press('Tab');
    assert.equal((await row.locator('output[id$="-amount"]').textContent()).trim(), shown, typed);
    assert.equal((await row.locator('[id$="-rate-msg"]').textContent()).trim(), '', typed);
  }

  const country = page.locator('#f-customerDetails-address-country');
  assert.equal(await country.locator('option[value="AS"]').textContent(), 'Amerikansk Samoa');
  assert.equal(await country.locator('option[value="ZA"]').textContent(), 'Sør-Afrika');
  const calling = await page.locator('#f-customerDetails-countryCode option[value="AS"]').textContent();
  assert.equal(calling, 'Amerikansk Samoa +1');
  // Norwegian alphabetical order: Æ, Ø, Å after Z.
  const names = await country.locator('option').allTextContents();
  assert.ok(names.indexOf('Zimbabwe') < names.indexOf('Østerrike'), 'Østerrike after Zimbabwe');

  for (const lang of ['nb', 'en']) {
    await setLanguage(lang);
    const words = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(words, /eFaktura|Efaktura|E-faktura|EFaktura/, `${lang}: E-Faktura spelled so`);
    assert.match(words, /E-Faktura/);
    assert.doesNotMatch(words, /proxy|callback|upstream|\bHTTP\b/i, `${lang}: no technical words`);
  }
  await expectNoAxeViolations(page, 'new order (en) after nb');
});

test('the order date (today by default) and a discount in percent, sent in kr', async () => {
  await fresh('payment-link');
  const now = Math.floor(Date.now() / 1000);
  const today = osloDate(now);
  const date = page.locator('#f-orderDate');
  assert.equal(await date.inputValue(), today);
  assert.equal(await date.getAttribute('min'), today);
  await date.fill(addDays(today, -1));
  await date.blur(); // Tab would only move to the input's next part (day, month, year)
  await page.locator('#f-orderDate-msg').getByText('The date cannot be before today.').waitFor();
  await date.fill('');
  assert.equal(await date.inputValue(), today);

  await fresh('invoice');
  assert.equal(await page.locator('#f-orderDate').getAttribute('min'), null, 'an invoice may be dated back');
  await fillCustomer(page, {
    type: 'private', name: 'Prosent Kunde', msisdn: '41234567', email: 'prosent@example.no',
    language: 'en', ...ADDRESS,
  });
  const row = page.locator('ol.lines > li').first();
  await fillLines(page, [{ ...LINE, quantity: '1', rate: '400', discount: '10' }]);
  await row.locator('select[id$="-discountUnit"]').selectOption('percent');
  assert.equal((await row.locator('output[id$="-discountKr"]').textContent()).trim(), '= NOK 40.00');
  assert.equal((await row.locator('output[id$="-amount"]').textContent()).trim(), 'NOK 360.00');
  assert.equal((await page.getByTestId('total-discount').textContent()).trim(), 'NOK 40.00');
  const tomorrow = addDays(today, 1);
  await page.locator('#f-orderDate').fill(tomorrow);
  await expectNoAxeViolations(page, 'new order with a date and a percent discount');
  await screenshot(page, 'first-day-percent-and-date');

  const body = await createBody(async () => {
    await page.locator('#submit-order').click();
    await page.waitForURL(/\/orders\/new\/done\//, { timeout: 20_000 });
  });
  assert.equal(body.orderDate, String(osloDayStart(tomorrow)));
  assert.equal(Number(body.products[0].discount), 40);
  assert.equal(Number(body.products[0].amount), 360);
  assert.equal(body.orderSummary.totalDiscount, '40.00');
  assert.equal(body.invoiceMaturity, 10);
  assert.equal((await page.getByTestId('order-date').textContent()).trim(), enDate(tomorrow));
  assert.equal((await page.getByTestId('due-date').textContent()).trim(), enDate(addDays(tomorrow, 10)));
  const words = await page.evaluate(() => document.body.innerText);
  assert.doesNotMatch(words, /proxy|callback|upstream|\bHTTP\b/i, 'done page: no technical words');
});
