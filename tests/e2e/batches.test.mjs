// Send to many (issue 19), as a clerk and a viewer see it: customers picked from the book join
// a customer list by keyboard and its preview; a bad cell is fixed in place; a sheet of five payment links with one
// bad row is previewed (the bad row shown with its line, column and reason, and left out),
// confirmed, and sent by the proxy's job until the batch page says done with four sent; the result
// file names the four orders, which the orders list shows. A viewer is offered no "New batch".
// Against a small rate limit: pause and resume from the page, then the tab closes and the job
// finishes by itself, seen from a page opened later. axe finds nothing on the batch pages.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { watchPage } from '../support/browser.mjs';
import { consoleUrl, expectNoAxeViolations, screenshot } from '../support/console.mjs';
import { browserSuite, problems, signedIn, stack } from '../support/suite.mjs';

// Signed-out first loads (401) are expected; nothing else is.
const EXPECTED = /status of 401/;

// A stack of our own (any `env` starts one): the pause test changes the sandbox's rate limit,
// which no other suite should meet.
browserSuite({ env: {}, page: false, expected: EXPECTED });

const HEADER =
  'ordrereferanse;kundetype;navn;telefon;epost;gateadresse;postnummer;poststed;produkt;antall;enhetspris;mva_prosent';

/** A nb sheet of `n` payment links, one line each (row i costs 100+i,50 kr); `bad` rows have a broken email. */
function sheet(n, tag, bad = []) {
  const rows = [];
  for (let i = 1; i <= n; i++) {
    const email = bad.includes(i) ? 'not-an-email' : `kunde${i}@example.no`;
    rows.push(`R${i}-${tag};privat;Kunde ${i} ${tag};46567468;${email};Gate ${i};4313;Sandnes;Kontingent;1;${100 + i},50;25`);
  }
  return `\ufeff${HEADER}\r\n${rows.join('\r\n')}\r\n`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A context of its own (downloads allowed), signed in as `username`. */
const signIn = (username) => signedIn(username, { expected: EXPECTED, acceptDownloads: true });

async function watched(ctx) {
  const page = await ctx.newPage();
  watchPage(page, problems, EXPECTED);
  return page;
}

/** The sandbox's requests a minute for the stack's token (0 = off); a new limit starts a fresh window. */
async function rateLimit(perMinute) {
  const r = await fetch(`${stack.sandbox}/_sandbox/rate-limit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ perMinute }),
  });
  assert.equal(r.status, 200, await r.clone().text());
}

/** The proxy's record of batch `id`, read with the page's session. */
async function batchOf(ctx, id) {
  const r = await ctx.request.get(consoleUrl(stack, `/console/batches/${id}`));
  assert.equal(r.status(), 200, await r.text());
  return r.json();
}

/** From the list to a previewed batch: name, a payment link sheet uploaded, checked by the proxy. */
async function previewSheet(page, name, csv) {
  await page.goto(consoleUrl(stack, '/batches'));
  await page.getByTestId('new-batch').click();
  await page.waitForURL(/\/batches\/new$/);
  await page.locator('#batch-name').fill(name);
  await page.locator('#batch-kind-PAYMENT_LINK').check();
  await page.locator('#batch-way-orders').check();
  await page.locator('#batch-file').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => document.querySelector('#batch-csv')?.value.includes('ordrereferanse'));
  await page.locator('#batch-check').click();
  await page.getByTestId('batch-preview').waitFor();
}

/** Confirm the preview; the batch's id from the page it leads to. */
async function confirmSend(page) {
  await page.locator('#batch-send').click();
  await page.waitForURL(/\/batches\/\d+$/);
  return Number(new URL(page.url()).pathname.split('/').pop());
}

const stateIs = (page, state) => page.locator(`[data-testid=batch-state][data-state="${state}"]`);

test('a clerk sends five orders, one with a bad email: shown and left out in the preview, four sent', { timeout: 180_000 }, async () => {
  const tag = Date.now().toString(36);
  const clerk = await signIn('clerk');
  try {
    const page = clerk.page;
    await previewSheet(page, `Kontingent ${tag}`, sheet(5, tag, [3]));
    assert.equal(
      (await page.getByTestId('preview-totals').textContent()).trim(),
      '4 of 5 orders will be sent, NOK 414.00 in all.',
    );
    assert.equal(await page.locator('[data-testid=preview-rows] tr[data-valid="true"]').count(), 4);
    // The bad row is the file's line 4 (the header is line 1), its email column (by its key in en), and why.
    const bad = page.locator('[data-testid=preview-rows] tr[data-row="3"][data-valid="false"]');
    assert.match(await bad.textContent(), /Line 4, email: .*email/i);
    assert.match(await page.locator('#batch-send').textContent(), /Confirm and send 4 orders/);
    await expectNoAxeViolations(page, 'a batch preview with an error');
    await screenshot(page, 'batch-preview');

    const id = await confirmSend(page);
    await stateIs(page, 'done').waitFor({ timeout: 120_000 });
    assert.equal((await page.getByTestId('batch-counts').textContent()).trim(), '4 sent, 0 failed, 0 left');
    assert.equal(await page.locator('progress').getAttribute('value'), '4');
    assert.equal(await page.locator('progress').getAttribute('max'), '4');
    assert.equal(await page.locator('[data-testid=batch-rows] tr[data-state="sent"]').count(), 4);
    const invalid = page.locator('[data-testid=batch-rows] tr[data-state="invalid"]');
    assert.match(await invalid.textContent(), /Left out.*Line 4, email/);
    const shown = (await page.getByTestId('row-uuid').allTextContents()).map((u) => u.trim());
    assert.equal(new Set(shown).size, 4);
    await expectNoAxeViolations(page, 'a finished batch');

    // The result file: each row's order uuid (or why not).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('batch-result-en').click()]);
    const csv = await readFile(await download.path(), 'utf8');
    assert.match(csv, /^\ufeffrow,order_or_customer,state,amount,order_uuid,error\r\n/);
    const inFile = [...csv.matchAll(/ODR\d{10}/g)].map((m) => m[0]);
    assert.deepEqual([...inFile].sort(), [...shown].sort());

    // Every order is in the orders list too.
    await page.goto(consoleUrl(stack, '/orders'));
    for (const uuid of shown) await page.locator(`tr[data-uuid="${uuid}"]`).waitFor();

    await page.goto(consoleUrl(stack, '/batches'));
    await page.locator(`tr[data-batch="${id}"][data-state="done"]`).waitFor();
    await expectNoAxeViolations(page, 'the list of batches');
  } finally {
    await clerk.context.close();
  }
});

/** Put a customer in the book (as a clerk's page would), by the admin API key. */
async function bookCustomer(name, email) {
  const r = await fetch(`${stack.proxy}/console/customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      customerDetails: {
        type: 'private', countryCode: '+47', msisdn: '46567468', email, name,
        address: { street: 'Luramyrveien 65', zip: '4313', city: 'Sandnes', country: 'NO' },
      },
    }),
  });
  assert.equal(r.status, 200, await r.clone().text());
}

test('one order to many: two customers picked from the book by keyboard join the list and the preview', async () => {
  const tag = Date.now().toString(36);
  const names = [`Bokkunde Aase ${tag}`, `Bokkunde Berit ${tag}`];
  for (const [i, name] of names.entries()) await bookCustomer(name, `bok${i}-${tag}@example.no`);
  const clerk = await signIn('clerk');
  try {
    const page = clerk.page;
    await page.goto(consoleUrl(stack, '/batches/new'));
    await page.locator('#batch-name').fill(`Fra registeret ${tag}`);
    await page.locator('#batch-kind-PAYMENT_LINK').check();
    await page.locator('#batch-way-customers').check();
    await page.locator('#batch-line-0-name').fill('Kontingent');
    await page.locator('#batch-line-0-rate').fill('250');
    const input = page.locator('#list-customer-search');
    for (const name of names) {
      await input.fill(name.split(' ').slice(0, 2).join(' '));
      const option = page.locator('#list-customer-search-list [role=option]', { hasText: name }).first();
      await option.waitFor();
      await input.press('ArrowDown');
      await input.press('Enter');
      await page.getByTestId('customer-listed').getByText(name).waitFor();
    }
    const list = await page.locator('#batch-csv').inputValue();
    assert.ok(names.every((n) => list.includes(n)), list);
    await expectNoAxeViolations(page, 'customers picked from the book');
    await page.locator('#batch-check').click();
    await page.getByTestId('batch-preview').waitFor();
    assert.equal(await page.locator('[data-testid=preview-rows] tr[data-valid="true"]').count(), 2);
    for (const name of names) await page.getByTestId('preview-rows').getByText(name).first().waitFor();
  } finally {
    await clerk.context.close();
  }
});

test('a bad cell is fixed in place in the preview, and the orders are checked again', async () => {
  const tag = Date.now().toString(36);
  const clerk = await signIn('clerk');
  try {
    const page = clerk.page;
    await previewSheet(page, `Rettes ${tag}`, sheet(3, tag, [2]));
    assert.equal(await page.locator('[data-testid=preview-rows] tr[data-valid="true"]').count(), 2);
    // Row 2 is the file's line 3; its email column.
    await page.locator('#fix-3-email').click();
    const value = page.locator('#fix-3-email-value');
    assert.equal(await value.inputValue(), 'not-an-email');
    await expectNoAxeViolations(page, 'a fix in place');
    await value.fill(`kunde2-${tag}@example.no`);
    await page.locator('#fix-3-email-save').click();
    await page.locator('[data-testid=preview-rows] tr[data-row="2"][data-valid="true"]').waitFor();
    assert.equal(await page.locator('[data-testid=preview-rows] tr[data-valid="true"]').count(), 3);
    assert.match(await page.locator('#batch-csv').inputValue(), new RegExp(`kunde2-${tag}@example\\.no`));
    assert.match(await page.locator('#batch-send').textContent(), /Confirm and send 3 orders/);
  } finally {
    await clerk.context.close();
  }
});

test('a viewer reads batches but is offered no "New batch"', async () => {
  const viewer = await signIn('viewer');
  try {
    const page = viewer.page;
    await page.goto(consoleUrl(stack, '/batches'));
    await page.locator('[data-testid=batches-table] tr[data-batch]').first().waitFor();
    assert.equal(await page.getByTestId('new-batch').count(), 0);
    await page.goto(consoleUrl(stack, '/batches/new'));
    await page.getByTestId('batch-not-allowed').waitFor();
    assert.equal(await page.locator('#batch-name').count(), 0);
  } finally {
    await viewer.context.close();
  }
});

test('pause and resume from the page; the tab closes and the job finishes by itself', { timeout: 300_000 }, async () => {
  // 16 a minute keeps 10 for people: a window lets the job send about six, so eight rows take
  // at least two windows and the batch is still sending when the tab closes.
  await rateLimit(16);
  const tag = Date.now().toString(36);
  const clerk = await signIn('clerk');
  try {
    const page = clerk.page;
    await previewSheet(page, `Husleie ${tag}`, sheet(8, tag));
    const id = await confirmSend(page);
    await page.getByTestId('batch-indicator').waitFor();

    await page.locator('#batch-pause').click();
    await stateIs(page, 'paused').waitFor();
    await page.locator('#batch-resume').waitFor();
    await expectNoAxeViolations(page, 'a paused batch');
    await sleep(1500); // a row in flight when paused lands
    const a = await batchOf(clerk.context, id);
    await sleep(2500);
    const b = await batchOf(clerk.context, id);
    assert.equal(b.batch.state, 'paused');
    assert.equal(b.batch.progress.sent, a.batch.progress.sent, 'nothing is sent while paused');
    assert.ok(b.batch.progress.left > 0, JSON.stringify(b.batch.progress));

    await page.locator('#batch-resume').click();
    await stateIs(page, 'running').waitFor();
    const atClose = await batchOf(clerk.context, id);
    assert.ok(atClose.batch.progress.left > 0, 'still sending when the tab closes');
    await page.close();

    // Later, a new tab: the job went on without any page.
    await sleep(5000);
    const later = await watched(clerk.context);
    await later.goto(consoleUrl(stack, `/batches/${id}`));
    await stateIs(later, 'done').waitFor({ timeout: 240_000 });
    assert.equal((await later.getByTestId('batch-counts').textContent()).trim(), '8 sent, 0 failed, 0 left');
    // The header stops saying a batch sends once none does.
    await later.getByTestId('batch-indicator').waitFor({ state: 'hidden', timeout: 30_000 });
    await expectNoAxeViolations(later, 'a batch finished while no tab was open');
  } finally {
    await clerk.context.close();
    await rateLimit(0);
  }
});
