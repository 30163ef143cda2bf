import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { artifacts, launchBrowser, newWatchedPage } from '../support/browser.mjs';
import { login } from '../support/console.mjs';
import { startStack } from '../support/stack.mjs';

let stack;
let browser;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('the console loads from the stack and reaches the proxy', async () => {
  const { page, problems } = await newWatchedPage(browser);
  await page.goto(stack.info.console);
  await page.getByRole('heading', { name: 'Frontdesk' }).waitFor();
  const status = page.getByRole('status');
  await status.getByText('Connected to the Front Payment sandbox').waitFor({ timeout: 15_000 });
  await page.screenshot({ path: `${artifacts}console-shell.png`, fullPage: true });
  // A signed-out visitor's `GET /auth/me` answers 401 by design; Chromium logs that as a
  // failed resource load, which is not a problem of the page.
  const unexpected = problems.filter((p) => !/status of 401 \(Unauthorized\)/.test(p));
  assert.deepEqual(unexpected, []);
});

test('a page group arrives as its own chunk: "Loading…" while it comes, "Try again" when it cannot', async () => {
  const { page } = await newWatchedPage(browser);
  await login(page, stack.info);
  // The release build is split: the account page is in the `people` group, not yet loaded
  // on the overview. Its first three fetches fail (a train's tunnel: the console tries three
  // times by itself), the fourth, asked for by the person, is held a moment.
  const fetched = [];
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/split_people.wasm', async (route) => {
    fetched.push(route.request().url());
    if (fetched.length <= 3) return route.abort('internetdisconnected');
    await held;
    return route.continue();
  });
  await page.getByRole('link', { name: 'Account', exact: true }).click();
  const failed = page.getByRole('alert').filter({ hasText: 'This page could not be loaded' });
  await failed.waitFor();
  await failed.getByRole('button', { name: 'Try again' }).click();
  const loading = page.locator('main .page-loading[aria-busy=true]');
  await loading.waitFor();
  assert.equal(await loading.innerText(), 'Loading…');
  release();
  await page.locator('#account-title').waitFor();
  assert.equal(await loading.count(), 0);
  assert.equal(fetched.length, 4, 'tried three times by itself, then once on request');
  assert.match(fetched[0], /\/pkg-[0-9a-f]{16}\/split_people\.wasm$/);
  // The shell stayed alive through the failure: the header still signs out.
  await page.locator('header').getByRole('button', { name: 'Sign out' }).waitFor();
});
