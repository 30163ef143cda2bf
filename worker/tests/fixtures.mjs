// Shared test set-up: a sandbox, a proxy in front of it, users and keys for every role.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { sha256hex, startProxy, startSandbox, userEntry } from './harness.mjs';

export const PASSWORD = 'correct horse battery';
export const ROLES = ['viewer', 'clerk', 'admin'];

export async function setup({ bindings = {}, sandboxArgs = [] } = {}) {
  const token = `sbx_${randomBytes(16).toString('hex')}`;
  const callbackSecret = randomBytes(16).toString('hex');
  // The suites send far more than a merchant's 240 requests a minute: the limit is off unless
  // a test sets one (tests/reliability/ratelimit.test.mjs).
  const limited = sandboxArgs.includes('--rate-limit') ? sandboxArgs : ['--rate-limit', '0', ...sandboxArgs];
  // Callbacks go to receivers on 127.0.0.1, which the sandbox refuses by default (issue 15).
  const args = limited.includes('--allow-private-callbacks') ? limited : ['--allow-private-callbacks', ...limited];
  const sandbox = await startSandbox({ token, callbackSecret, args });
  const keys = Object.fromEntries(ROLES.map((r) => [r, `fdk_${r}_${randomBytes(12).toString('hex')}`]));
  const users = ROLES.map((r) => userEntry(r, r, PASSWORD));
  const sessionSecret = bindings.SESSION_SECRET ?? randomBytes(32).toString('hex');
  let proxy;
  try {
    proxy = await startProxy({
      sandbox,
      bindings: {
        SANDBOX_CONTROLS: 'true',
        SESSION_SECRET: sessionSecret,
        CALLBACK_SECRET: callbackSecret,
        USERS: JSON.stringify(users),
        API_KEYS: JSON.stringify(ROLES.map((r) => ({ name: `${r}-key`, role: r, sha256: sha256hex(keys[r]) }))),
        UPSTREAM_TIMEOUT_MS: '1000',
        ...bindings,
      },
    });
  } catch (e) {
    await sandbox.stop();
    throw e;
  }
  const t = {
    sandbox,
    proxy,
    keys,
    token,
    callbackSecret,
    sessionSecret,
    auth: (role) => ({ authorization: `Bearer ${keys[role]}` }),
    /** Log in through the proxy; returns the Cookie header value. */
    async login(role) {
      const r = await proxy.fetch('/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: proxy.base },
        body: JSON.stringify({ username: role, password: PASSWORD }),
      });
      if (r.status !== 200) throw new Error(`login ${role}: ${r.status} ${await r.text()}`);
      return r.headers.get('set-cookie').split(';')[0];
    },
    /** How many orders the sandbox holds (none is a 404 `Order Not Found`, as recorded). */
    async upstreamCount() {
      const r = await sandbox.api('/api/v1/connect/orders/status');
      const env = await r.json();
      if (r.status === 404) return 0;
      return env.data.length;
    },
    stop: async () => {
      await proxy.dispose();
      await sandbox.stop();
    },
  };
  return t;
}

/** The repository's copy of the provider's contract material (docs/contract/). */
const contractFile = (name) => fileURLToPath(new URL(`../../docs/contract/${name}`, import.meta.url));

/** The contract cases with `{{now}}` filled in. */
export function contractCases() {
  const raw = readFileSync(contractFile('cases.json'), 'utf8');
  const now = String(Math.floor(Date.now() / 1000) + 60);
  return JSON.parse(raw.replaceAll('{{now}}', now));
}

/** The 13 exchanges recorded against Front Payment's demo API in July 2025. */
export function liveDemo() {
  return JSON.parse(readFileSync(contractFile('live-demo-2025-07.json'), 'utf8')).exchanges;
}

export function paymentLink(overrides = {}) {
  return {
    products: [{ name: 'Hair Wash', productId: 'VFDDF', quantity: '1', rate: 51, discount: 0, tax: '0', amount: 51 }],
    orderSummary: { subTotal: '51.00', totalTax: '0.00', totalDiscount: '0.00', grandTotal: '51.00' },
    sendOrderBy: { sms: false, email: true },
    orderDate: String(Math.floor(Date.now() / 1000) + 60),
    customerDetails: {
      type: 'private', countryCode: '+47', msisdn: '46567468', email: 'kari@example.com', name: 'Kari Nordmann',
      address: { street: 'Luramyrveien 65', zip: '4313', city: 'Sandnes', country: 'NO' },
    },
    invoiceAsPaymentOption: false,
    referenceNo: 'R-1',
    ...overrides,
  };
}

/** The payment link's customer with `extra` members (`name`, `type`, …). */
export function customer(extra) {
  return { ...paymentLink().customerDetails, ...extra };
}

/**
 * A corporate invoice's create body (`POST …/invoice/create`) to `name` (organisation
 * 923609016): the payment link's without its sending choices, due in 30 days, with a fee;
 * `overrides` last.
 */
export function corporateInvoice(name, overrides = {}) {
  const body = paymentLink({
    customerDetails: customer({ name, type: 'corporate', organizationId: '923609016' }),
    invoiceMaturity: 30,
    invoiceFeeApplicable: true,
    invoiceInterval: 0,
    ...overrides,
  });
  delete body.sendOrderBy;
  delete body.invoiceAsPaymentOption;
  return body;
}

export const json = (body, headers = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Create an order through the proxy as admin; returns its uuid. */
export async function createOrder(t, overrides = {}) {
  const r = await t.proxy.fetch('/api/v1/connect/orders/payment-link/create', json(paymentLink(overrides), t.auth('admin')));
  const body = await r.json();
  if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(body)}`);
  return body.data.uuid;
}
