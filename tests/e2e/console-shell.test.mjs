import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { artifacts, launchBrowser, newWatchedPage } from '../support/browser.mjs';
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
