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
 * A browser context of its own (`options` over the suite's locale and CSP bypass) whose page is
 * watched for errors (`expected`: the messages provoked on purpose) and signed in as
 * `username`, for a test that needs a second person: `{ context, page }`; the test closes it.
 */
export async function signedIn(username, { expected = /status of 401/, ...options } = {}) {
  const own = await browser.newContext({ locale: 'en-GB', bypassCSP: true, ...options });
  const signed = await own.newPage();
  watchPage(signed, problems, expected);
  await login(signed, stack, username);
  return { context: own, page: signed };
}

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
