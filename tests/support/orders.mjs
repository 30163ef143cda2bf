// The orders the create suites send through the form: two lines, and one case per kind with
// the customer, the kind's options, what the sandbox must store and whom the done page names.
import { setCheck } from './console.mjs';

export const LINES = [
  { name: 'Hair wash', productId: 'VFDDF', quantity: '2', rate: '200,00', discount: '50', tax: '25' },
  { name: 'Shampoo', productId: '', quantity: '1', rate: '12.50', discount: '', tax: '15' },
];
// What core computes for LINES (VAT-inclusive, per line, rounded to the øre; VAT after the
// discount: 25 % of 350.00 is 70.00, 15 % of 12.50 is 1.63).
export const EXPECTED_PRODUCTS = [
  { name: 'Hair wash', productId: 'VFDDF', quantity: 2, rate: 200, discount: 50, tax: 25, amount: 350 },
  { name: 'Shampoo', productId: null, quantity: 1, rate: 12.5, discount: 0, tax: 15, amount: 12.5 },
];
export const EXPECTED_SUMMARY = { subTotal: 330.87, tax: 71.63, discount: 50, grandTotal: 362.5 };

export const ADDRESS = { street: 'Luramyrveien 65', zip: '4313', city: 'Sandnes', country: 'NO' };

export const CASES = [
  {
    kind: 'payment-link',
    apiType: 'PAYMENT_LINK',
    status: 'SENT',
    customer: {
      type: 'private', name: 'Kari Nordmann', firstName: 'Kari', msisdn: '46567468',
      email: 'kari@example.no', personalNumber: '01010012356', language: 'en', ...ADDRESS,
    },
    options: async (page) => {
      await setCheck(page, 'f-sendOrderBy-sms', true);
      await setCheck(page, 'f-sendOrderBy-email', true);
      await setCheck(page, 'f-invoiceAsPaymentOption', true);
      await setCheck(page, 'f-secureDetails', true);
    },
    expectCustomer: {
      type: 'private', countryCode: '+47', msisdn: '46567468', email: 'kari@example.no',
      name: 'Kari Nordmann', preferredLanguage: 'en', personalNumber: '01010012356',
    },
    recipients: ['SMS to +47 46567468', 'email to kari@example.no'],
  },
  {
    kind: 'invoice',
    apiType: 'INVOICE',
    status: 'INVOICED',
    customer: {
      type: 'corporate', name: 'Fjordkraft Demo AS', msisdn: '98765432', email: 'faktura@fjord.example',
      organizationId: '998379342', language: 'no', ...ADDRESS,
    },
    options: async (page) => {
      await page.locator('#f-invoiceInterval').selectOption('1');
      await page.locator('#f-invoiceMaturity').selectOption('30');
      await setCheck(page, 'f-invoiceFeeApplicable', false);
      await setCheck(page, 'f-separateInvoices', true);
      await page.locator('#f-referenceNo').fill('REF-42');
      await page.locator('#f-customerReference').fill('Kari');
    },
    expectCustomer: {
      type: 'corporate', countryCode: '+47', msisdn: '98765432', email: 'faktura@fjord.example',
      name: 'Fjordkraft Demo AS', preferredLanguage: 'no', organizationId: '998379342',
    },
    recipients: ['Invoice delivered to Fjordkraft Demo AS'],
  },
  {
    kind: 'e-faktura',
    apiType: 'E_FAKTURA',
    status: 'INVOICED',
    customer: {
      name: 'Ola Nordmann', msisdn: '41234567', email: 'ola@example.no',
      personalNumber: '01010012356', language: 'no', ...ADDRESS,
    },
    options: async () => {},
    expectCustomer: {
      type: 'private', countryCode: '+47', msisdn: '41234567', email: 'ola@example.no',
      name: 'Ola Nordmann', preferredLanguage: 'no', personalNumber: '01010012356',
    },
    recipients: ['E-Faktura to the online bank of personal number 01010012356'],
  },
  {
    kind: 'ehf',
    apiType: 'EHF',
    status: 'INVOICED',
    customer: {
      name: 'Peppol Kunde AS', msisdn: '91234567', email: 'ap@peppol.example',
      organizationId: '998379342', language: 'en', ...ADDRESS,
    },
    options: async (page) => {
      await page.locator('#f-invoiceMaturity').selectOption('45');
    },
    expectCustomer: {
      type: 'corporate', countryCode: '+47', msisdn: '91234567', email: 'ap@peppol.example',
      name: 'Peppol Kunde AS', preferredLanguage: 'en', organizationId: '998379342',
    },
    recipients: ['EHF invoice to organisation number 998379342'],
  },
];
