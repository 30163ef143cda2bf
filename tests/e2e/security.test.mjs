// Issue 15 in a browser: an admin manages a colleague's account on the Users page (added with a
// password shown once, first sign-in, a session ended, a role change, a reset, disabled and
// enabled again: each takes effect on the colleague's live session at once), the colleague's
// own password and "sign out everywhere", `next` after sign-in never leaving the site, and
// drafts that stay with the user who typed them.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';

import { launchBrowser, watchPage } from '../support/browser.mjs';
import { consoleUrl, expectNoAxeViolations, screenshot } from '../support/console.mjs';
import { startStack } from '../support/stack.mjs';

let stack;
let stopStack;
let browser;
const problems = [];
const contexts = [];

// A signed-out first load asks `/auth/me` (401). The colleague's browser also meets ended
// sessions (401) and refused sign-ins (401/403, or 429 once throttled); nothing else is expected.
const SIGNED_OUT = /status of 401/;
const REFUSED = /status of (401|403|429)/;

before(async () => {
  const started = await startStack();
  stack = started.info;
  stopStack = started.stop;
  browser = await launchBrowser();
});

afterEach(() => {
  const seen = problems.splice(0);
  assert.deepEqual(seen, []);
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await stopStack?.();
});

/** A browser of its own (cookies, localStorage), in English. */
async function newBrowser(expected = SIGNED_OUT) {
  const context = await browser.newContext({ locale: 'en-GB', bypassCSP: true });
  contexts.push(context);
  const page = await context.newPage();
  watchPage(page, problems, expected);
  return page;
}

async function submitLogin(page, username, password) {
  await page.goto(consoleUrl(stack, '/login'));
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('form button[type=submit]').click();
}

/** Sign in through the form; waits until the console has left the login. */
async function signIn(page, username, password) {
  await submitLogin(page, username, password);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.getByTestId('username').waitFor();
}

/** The order form (everyone lands on the overview). */
async function openForm(page) {
  await page.goto(consoleUrl(stack, '/orders/new'));
  await page.locator('#f-customerDetails-name').waitFor();
}

/** The sign-in is refused: a message on the form, still on the login. */
async function expectRefused(page, username, password) {
  await submitLogin(page, username, password);
  await page.locator('#login-msg .msg-error').waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
}

/** The session is over: the next page asked for is the login, which leads back to it. */
async function expectSessionEnded(page) {
  await page.goto(consoleUrl(stack, '/orders'));
  await page.waitForURL(/\/login\?next=%2Forders$/);
}

/** The password the Users page shows once, for `name`. */
async function issuedPassword(page, name) {
  const panel = page.getByTestId('issued');
  await panel.getByRole('heading', { name: `Password for ${name}` }).waitFor();
  const password = (await panel.getByTestId('issued-password').textContent()).trim();
  assert.ok(password.length >= 12, `a generated password of ${password.length} characters`);
  return password;
}

/** Confirm the step just asked about; waits for its result. */
async function confirmStep(page, result) {
  await page.getByTestId('confirm').waitFor();
  await page.getByTestId('confirm-yes').click();
  await page.getByTestId('users-result').getByText(result).waitFor();
}

const text = async (locator) => (await locator.textContent()).trim();

// One colleague's story across the tests below (they run in order).
const name = `kari.${Date.now().toString(36)}`;
let admin;
let colleague;
let password;

test('the admin adds a colleague; the password is shown once; the first sign-in shows on the page', async () => {
  admin = await newBrowser();
  colleague = await newBrowser(REFUSED);
  await signIn(admin, stack.username, stack.password);
  await admin.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
  await admin.getByRole('heading', { name: 'Users', level: 2 }).waitFor();
  const own = admin.locator(`tr[data-user="${stack.username}"]`);
  await own.waitFor();
  // An admin cannot lock themselves out from this page.
  assert.equal(await own.locator('button[data-action=disable], select').count(), 0);
  await expectNoAxeViolations(admin, 'users');

  // A user name core refuses is explained before anything is sent.
  await admin.locator('#new-username').fill('Kari Nordmann');
  await admin.locator('#add-user').click();
  await admin.locator('#new-username-msg').getByText('letters a–z').waitFor();
  assert.equal(await admin.locator('#new-username').getAttribute('aria-invalid'), 'true');

  await admin.locator('#new-username').fill(name);
  await admin.locator('#new-role').selectOption('clerk');
  await admin.locator('#add-user').click();
  password = await issuedPassword(admin, name);
  await admin.getByTestId('issued').getByText('it will not be shown again').waitFor();
  await expectNoAxeViolations(admin, 'users, a password shown once');
  await screenshot(admin, 'users-password-once');
  await admin.locator('#issued-done').click();
  await admin.getByTestId('issued').waitFor({ state: 'detached' });
  await admin.waitForFunction(() => document.activeElement?.id === 'new-username');
  await admin.reload();
  const row = admin.locator(`tr[data-user="${name}"]`);
  assert.equal(await text(row.getByTestId('last-sign-in')), 'Never');
  assert.equal(await text(row.getByTestId('user-status')), 'Active');
  assert.equal(await admin.getByText(password).count(), 0, 'never shown again');

  // The colleague signs in with it, in a browser of their own, as a clerk.
  await signIn(colleague, name, password);
  assert.equal(await text(colleague.getByTestId('role')), 'clerk');
  await admin.reload();
  await row.waitFor();
  assert.notEqual(await text(row.getByTestId('last-sign-in')), 'Never');

  // Norwegian: the same page, named "Brukere" in the menu.
  await admin.getByRole('button', { name: 'Bytt til norsk' }).click();
  await admin.getByRole('navigation').getByRole('link', { name: 'Brukere' }).waitFor();
  await admin.getByRole('heading', { name: 'Brukere', level: 2 }).waitFor();
  await expectNoAxeViolations(admin, 'users (nb)');
  await admin.getByRole('button', { name: 'Switch to English' }).click();
  await admin.getByRole('heading', { name: 'Users', level: 2 }).waitFor();
});

test("the admin sees the colleague's session and ends it: their next page is the login", async () => {
  const row = admin.locator(`tr[data-user="${name}"]`);
  await row.locator('button[data-action=access]').click();
  const panel = admin.getByTestId('access-panel');
  await panel.getByRole('heading', { name: `Sessions of ${name}` }).waitFor();
  const sessions = panel.locator('tr[data-session]');
  await sessions.first().waitFor();
  assert.equal(await sessions.count(), 1);
  assert.match(await text(sessions.locator('td.user-agent')), /Chrom/);
  await panel.getByText('No API keys.').waitFor();
  await expectNoAxeViolations(admin, "users, a colleague's sessions and keys");

  // Back (or Escape) asks nothing and returns focus to the button that asked.
  await sessions.locator('button[data-action=end-session]').click();
  await admin.getByTestId('confirm').waitFor();
  await admin.waitForFunction(() => document.activeElement?.id === 'confirm-text', null, { timeout: 5_000 });
  await admin.keyboard.press('Escape');
  await admin.waitForFunction(() => document.activeElement?.dataset?.action === 'end-session');
  assert.equal(await admin.getByTestId('confirm').count(), 0);

  await sessions.locator('button[data-action=end-session]').click();
  await expectNoAxeViolations(admin, 'users, ending a session asked first');
  await confirmStep(admin, 'The session was ended.');
  await panel.getByText('No active sessions.').waitFor();
  await expectSessionEnded(colleague);
});

test('a role change ends the colleague\'s session; signed in again they have the new role', async () => {
  await signIn(colleague, name, password);
  const row = admin.locator(`tr[data-user="${name}"]`);
  await row.getByTestId('user-role').selectOption('viewer');
  await admin.getByTestId('users-result').getByText(`${name} is now viewer.`).waitFor();
  await expectSessionEnded(colleague);
  await signIn(colleague, name, password);
  assert.equal(await text(colleague.getByTestId('role')), 'viewer');
  assert.equal(new URL(colleague.url()).pathname, '/overview', 'everyone starts on the overview');
  // A viewer is offered no Users page, and the page itself says why.
  assert.equal(await colleague.getByRole('navigation').getByRole('link', { name: 'Users' }).count(), 0);
  await colleague.goto(consoleUrl(stack, '/users'));
  await colleague.getByTestId('users-admin-only').waitFor();
});

test('a reset makes a new password, shown once, and ends the colleague\'s session; the old one stops working', async () => {
  const row = admin.locator(`tr[data-user="${name}"]`);
  await row.locator('button[data-action=reset]').click();
  await confirmStep(admin, `${name} has a new password.`);
  const fresh = await issuedPassword(admin, name);
  assert.notEqual(fresh, password);
  await admin.locator('#issued-done').click();
  await expectSessionEnded(colleague);
  await expectRefused(colleague, name, password);
  password = fresh;
  await signIn(colleague, name, password);
});

test('disabling ends the live session and refuses sign-in until enabled again', async () => {
  const row = admin.locator(`tr[data-user="${name}"]`);
  await row.locator('button[data-action=disable]').click();
  await admin.getByTestId('confirm').getByText(`Disable ${name}?`).waitFor();
  await confirmStep(admin, `${name} is disabled`);
  await admin.locator(`tr[data-user="${name}"][data-status="disabled"]`).waitFor();
  assert.equal(await text(row.getByTestId('user-status')), 'Disabled');
  await screenshot(admin, 'users-disabled');
  await expectSessionEnded(colleague);
  await expectRefused(colleague, name, password);

  await row.locator('button[data-action=enable]').click();
  await admin.getByTestId('users-result').getByText(`${name} can sign in again.`).waitFor();
  await admin.locator(`tr[data-user="${name}"][data-status="active"]`).waitFor();
  await signIn(colleague, name, password);
});

test('the colleague changes their own password (checked as typed) and signs out everywhere', async () => {
  await colleague.getByRole('navigation').getByRole('link', { name: 'Account' }).click();
  await colleague.getByRole('heading', { name: 'Your account' }).waitFor();
  const message = colleague.locator('#new-password-msg');
  await colleague.locator('#new-password').fill('short');
  await message.getByText('At least 12 characters.').waitFor();
  await colleague.locator('#new-password').fill(name);
  await message.getByText('Must not be the user name.').waitFor();
  await colleague.locator('#new-password').fill('password1234');
  await message.getByText('Too common').waitFor();
  assert.equal(await colleague.locator('#new-password').getAttribute('aria-invalid'), 'true');
  await expectNoAxeViolations(colleague, 'account, a weak new password');
  // Refused as typed: nothing is sent.
  await colleague.locator('#current-password').fill(password);
  await colleague.locator('#change-password').click();
  assert.equal(await text(colleague.getByTestId('password-result')), '');

  const chosen = `lang og trygg ${Date.now()}`;
  await colleague.locator('#new-password').fill(chosen);
  await colleague.waitForFunction(() => document.querySelector('#new-password-msg')?.textContent.trim() === '');
  assert.equal(await colleague.locator('#new-password').getAttribute('aria-invalid'), 'false');
  await colleague.locator('#change-password').click();
  await colleague.getByTestId('password-result').getByText('Your password was changed.').waitFor();

  // A second browser of theirs, then "sign out everywhere" from the first: both are signed out.
  const other = await newBrowser(REFUSED);
  await signIn(other, name, chosen);
  await colleague.locator('#sign-out-everywhere').click();
  await colleague.waitForURL(/\/sign-out\?everywhere=1$/);
  await colleague.locator('#everywhere-question').waitFor();
  await expectNoAxeViolations(colleague, 'sign out everywhere, asked first');
  await colleague.locator('#sign-out-confirm').click();
  await colleague.waitForURL(/\/login$/);
  await expectSessionEnded(other);
  await expectRefused(colleague, name, password);
  await signIn(colleague, name, chosen);
});

test('after sign-in, `next` leads only to pages of this site', async () => {
  const page = await newBrowser();
  const origin = new URL(consoleUrl(stack, '/')).origin;
  const landed = (path) => (u) => u.origin === origin && u.pathname === path;
  // Signed out, as the link has it: the form, then the start page, not another site.
  await page.goto(consoleUrl(stack, '/login?next=%2F%5Cevil.example'));
  await page.locator('#login-username').fill(stack.username);
  await page.locator('#login-password').fill(stack.password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(landed('/overview'));

  // Signed in, the login sends on at once: every one of these lands on the start page.
  const offSite = [
    '/\\evil.example',
    '/%5Cevil.example',
    '/%5cevil.example',
    '//evil.example',
    'https://evil.example',
    '/\tevil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'javascript:alert(1)',
    '/%2F/evil.example',
    '\\\\evil.example',
    'https:evil.example',
  ];
  const asLinked = [
    '%2F%5Cevil.example',
    '/%5Cevil.example',
    '%2F%2Fevil.example',
    '/%09/evil.example',
    'https:%2F%2Fevil.example',
  ];
  const hrefs = [
    ...offSite.map((n) => `/login?next=${encodeURIComponent(n)}`),
    ...asLinked.map((n) => `/login?next=${n}`),
  ];
  for (const href of hrefs) {
    await page.goto(consoleUrl(stack, href));
    await page.waitForURL(landed('/overview'), { timeout: 10_000 });
    await page.getByTestId('overview').waitFor();
    assert.equal(new URL(page.url()).origin, origin, href);
  }

  // Pages of this site are kept, with their query and fragment.
  await page.goto(consoleUrl(stack, `/login?next=${encodeURIComponent('/orders?status=PAID')}`));
  await page.waitForURL((u) => landed('/orders')(u) && u.searchParams.get('status') === 'PAID');
  await page.goto(consoleUrl(stack, `/login?next=${encodeURIComponent('/activity#recent')}`));
  await page.waitForURL((u) => landed('/activity')(u) && u.hash === '#recent');
});

test('a draft stays with the user who typed it: kept at sign-out, unseen by the next user', async () => {
  const page = await newBrowser();
  const customer = `Utkast ${Date.now().toString(36)}`;
  await signIn(page, stack.username, stack.password);
  await openForm(page);
  await page.locator('#f-customerDetails-name').fill(customer);
  // Signing out right away: the last typing is saved and listed, and the choice is asked.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByTestId('unsent-drafts').getByText(customer).waitFor();
  await expectNoAxeViolations(page, 'sign-out, unsent drafts');
  await screenshot(page, 'sign-out-unsent-drafts');
  await page.locator('#sign-out-keep').click();
  await page.waitForURL(/\/login$/);
  // Kept under the admin's name only.
  const keys = await page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('frontdesk.draft.') && k !== 'frontdesk.draft.kind'),
  );
  assert.ok(keys.length > 0, 'the draft was kept');
  for (const k of keys) assert.ok(k.endsWith(`@${stack.username}`), k);

  // The clerk on the same browser: a blank form, nothing restored, no Users page.
  await signIn(page, 'clerk', stack.password);
  await openForm(page);
  await page.locator('#f-customerDetails-name').waitFor();
  assert.equal(await page.locator('#f-customerDetails-name').inputValue(), '');
  assert.equal(await page.getByTestId('draft-restored').count(), 0);
  assert.equal(await page.getByRole('navigation').getByRole('link', { name: 'Users' }).count(), 0);
  // Nothing to ask about: straight to the login.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login$/);

  // The admin again: the draft is back; discarded at sign-out this time, it is gone.
  await signIn(page, stack.username, stack.password);
  await openForm(page);
  await page.getByTestId('draft-restored').waitFor();
  assert.equal(await page.locator('#f-customerDetails-name').inputValue(), customer);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#sign-out-discard').click();
  await page.waitForURL(/\/login$/);
  await signIn(page, stack.username, stack.password);
  await openForm(page);
  await page.locator('#f-customerDetails-name').waitFor();
  assert.equal(await page.locator('#f-customerDetails-name').inputValue(), '');
});

test('a draft from before drafts were per user is dropped unread at the next sign-in', async () => {
  const page = await newBrowser();
  await page.goto(consoleUrl(stack, '/login'));
  await page.evaluate(() => {
    const data = { name: 'Someone Else', lines: [] };
    localStorage.setItem('frontdesk.draft.PAYMENT_LINK', JSON.stringify({ data, key: 'old' }));
    localStorage.setItem('frontdesk.draft.kind', 'PAYMENT_LINK');
  });
  await signIn(page, 'clerk', stack.password);
  await openForm(page);
  await page.locator('#f-customerDetails-name').waitFor();
  assert.equal(await page.locator('#f-customerDetails-name').inputValue(), '');
  assert.equal(await page.evaluate(() => localStorage.getItem('frontdesk.draft.PAYMENT_LINK')), null);
});
