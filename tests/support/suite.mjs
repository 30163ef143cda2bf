// One browser suite on a stack: what every end-to-end file needs around its tests.
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { launchBrowser, watchPage } from './browser.mjs';
import { login } from './console.mjs';
import { startStack } from './stack.mjs';

/**
 * Before the tests: the stack (`env` for a stack of other settings), Chromium, a context
 * (`context` adds options) with one page watched for errors (`expected`: console messages a
 * suite provokes on purpose), signed in unless `signIn` is false; `page: false` for suites that
 * open their own. `ready` receives `{ stack, browser, context, page, problems }`.
 * After each test: no unexpected page error (the test that caused one fails). After all: stop.
 */
export function browserSuite(
  { env, expected = /status of 401/, context: contextOptions = {}, page: withPage = true, signIn = true } = {},
  ready = () => {},
) {
  const s = { problems: [] };
  let stopStack;
  before(async () => {
    const started = await startStack(env ? { env } : undefined);
    s.stack = started.info;
    stopStack = started.stop;
    s.browser = await launchBrowser();
    if (withPage) {
      s.context = await s.browser.newContext({ locale: 'en-GB', bypassCSP: true, ...contextOptions });
      s.page = await s.context.newPage();
      watchPage(s.page, s.problems, expected);
      await ready(s);
      if (signIn) await login(s.page, s.stack);
    } else {
      await ready(s);
    }
  });
  afterEach(() => {
    assert.deepEqual(s.problems.splice(0), []);
  });
  after(async () => {
    await s.context?.close();
    await s.browser?.close();
    await stopStack?.();
  });
  return s;
}
