// The proxy both book benches measure (issue 18): bench-proxy.mjs's, signed in as a clerk (who
// sees and searches personal numbers), its customer book and product catalogue filled inside D1
// (book-rows.mjs), and what a person types into the type-ahead, taken from rows of that book.
// bench/book-scaling.mjs times the proxy; tests/bench/book-pages.mjs the customer finder in
// Chromium.
import { startBenchProxy } from './bench-proxy.mjs';
import { customerId, customerRowsSql, productId, productRowsSql } from './book-rows.mjs';

/** Rows per INSERT statement. */
const CHUNK = 5000;

/** Fill `table` with `count` rows by `sql(from, to, now)`, CHUNK at a time. */
async function fill(db, count, sql, now) {
  for (let from = 0; from < count; from += CHUNK) {
    await db.prepare(sql(from, Math.min(from + CHUNK, count), now)).run();
  }
}

/**
 * Starts the sandbox and the proxy and fills the book with `customers` customers and the
 * catalogue with `products` products. Resolves to bench-proxy.mjs's `{ sandbox, proxy, url,
 * headers, user, stop }` (a clerk's key and user) and `seededSeconds`.
 */
export async function startBookProxy({ customers, products }) {
  const bench = await startBenchProxy({ role: 'clerk' });
  try {
    const now = Date.now();
    const t0 = performance.now();
    await fill(bench.proxy.db, customers, customerRowsSql, now);
    await fill(bench.proxy.db, products, productRowsSql, now);
    const seededSeconds = (performance.now() - t0) / 1000;
    const stored = await bench.proxy.db.prepare('SELECT (SELECT COUNT(*) FROM customers) AS c, (SELECT COUNT(*) FROM products) AS p').first();
    if (stored.c !== customers || stored.p !== products) {
      throw new Error(`the book holds ${stored.c} customers and ${stored.p} products, not ${customers} and ${products}`);
    }
    return { ...bench, seededSeconds };
  } catch (e) {
    await bench.stop();
    throw e;
  }
}

/** `46567468` → `465 67 468`, as people write a Norwegian mobile number. */
const spacedPhone = (m) => `${m.slice(0, 3)} ${m.slice(3, 5)} ${m.slice(5)}`;
/** `923609016` → `923 609 016`. */
const spacedOrg = (o) => `${o.slice(0, 3)} ${o.slice(3, 6)} ${o.slice(6)}`;

/** Stored row `id` of `table` (`columns`), or an error: the bench's data is not what it expects. */
async function row(db, table, columns, id) {
  const found = await db.prepare(`SELECT ${columns} FROM ${table} WHERE id = ?`).bind(id).first();
  if (!found) throw new Error(`${table} has no ${id}: the book was not filled`);
  return found;
}

/**
 * What a person types to find customers, each `{ what, text, id }`, typed key by key (every
 * prefix a keystroke): a person's name, a name last name first, an email up to its `@`, a
 * mobile number and an organisation number with spaces. `id` is the customer the whole text must
 * find (`null` for names, which a few dozen people share: the first 8 are offered).
 */
export async function customerTyping(db, customers) {
  const person = Math.floor(customers * 0.4242) - (Math.floor(customers * 0.4242) % 10) + 2;
  const company = Math.floor(customers * 0.3141) - (Math.floor(customers * 0.3141) % 10);
  const p = await row(db, 'customers', 'details, rev_lc', customerId(person));
  const c = await row(db, 'customers', 'details', customerId(company));
  const pd = JSON.parse(p.details);
  const cd = JSON.parse(c.details);
  if (!cd.organizationId) throw new Error(`${customerId(company)} is not a company`);
  return [
    { what: 'name', text: pd.name, id: null },
    { what: 'name, last name first', text: p.rev_lc, id: null },
    { what: 'email', text: pd.email.slice(0, pd.email.indexOf('@') + 1), id: customerId(person) },
    { what: 'mobile number', text: spacedPhone(pd.msisdn), id: customerId(person) },
    { what: 'organisation number', text: spacedOrg(cd.organizationId), id: customerId(company) },
  ];
}

/** What a person types to find products (as customerTyping): two names and two product ids. */
export async function productTyping(db, products) {
  const picks = [Math.floor(products * 0.4242), Math.floor(products * 0.0777)];
  const rows = await Promise.all(picks.map((i) => row(db, 'products', 'name, product_id', productId(i))));
  return [
    ...rows.map((r, k) => ({ what: 'name', text: r.name, id: productId(picks[k]) })),
    ...rows.map((r, k) => ({ what: 'product id', text: r.product_id, id: productId(picks[k]) })),
  ];
}

/**
 * Every keystroke of `typing`: `{ entry, what, typed, last, id }`, `entry` the index in
 * `typing`, `last` on the whole text.
 */
export function keystrokes(typing) {
  return typing.flatMap(({ what, text, id }, entry) =>
    [...text].map((_, k) => ({ entry, what, typed: text.slice(0, k + 1), last: k === text.length - 1, id })));
}

/** The search a type-ahead sends for `typed` (the console trims it, asks for 8). */
export const suggestionsPath = (shelf, typed) => `/console/${shelf}?q=${encodeURIComponent(typed.trim())}&limit=8`;
