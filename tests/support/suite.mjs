// One browser suite on a stack: what every end-to-end file needs around its tests.
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { launchBrowser, watchPage } from './browser.mjs';
import { login } from './console.mjs';
import { startStack } from './stack.mjs';

/**
 * What the suite runs on, set before its tests: import them (live bindings), not a copy of
 * their own in every file. `problems`: page errors not expected, emptied after each test.
 */
export let stack;
export let browser;
export let context;
export let page;
export const problems = [];

/**
 * Before the tests: the stack (`env` for a stack of other settings), Chromium, a context
 * (`context` adds options) with one page watched for errors (`expected`: console messages a
 * suite provokes on purpose), signed in unless `signIn` is false; `page: false` for suites that
 * open their own. `ready` runs once those exist, before the sign-in (to watch the page from the
 * start). After each test: no unexpected page error (the test that caused one fails). After
 * all: stop. One suite a file (node runs each test file in a process of its own).
 */
export function browserSuite(
  { env, expected = /status of 401/, context: contextOptions = {}, page: withPage = true, signIn = true } = {},
  ready = () => {},
) {
  let stopStack;
  before(async () => {
    const started = await startStack(env ? { env } : undefined);
    stack = started.info;
    stopStack = started.stop;
    browser = await launchBrowser();
    if (withPage) {
      context = await browser.newContext({ locale: 'en-GB', bypassCSP: true, ...contextOptions });
      page = await context.newPage();
      watchPage(page, problems, expected);
    }
    await ready();
    if (withPage && signIn) await login(page, stack);
  });
  afterEach(() => {
    assert.deepEqual(problems.splice(0), []);
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await stopStack?.();
  });
}
