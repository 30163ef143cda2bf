// The customer book and the product catalogue through the Rust proxy (Miniflare, real workerd,
// D1) at 100,000 customers and 10,000 products (issue 18's budget: a type-ahead keystroke to
// suggestions ≤ 50 ms at the proxy): every keystroke of what people type (names, a name last
// name first, an email, a mobile number, an organisation number; product names and ids), one
// GET each as the order form's type-ahead sends it (`?q=<prefix>&limit=8`), p50/p95 over the
// keystrokes; then keyset pages 1, 10 and 100 of the whole book (25 a page), 9 runs each.
// Prints figures only; fails if a search does not find what was typed or a page repeats rows.
// Needs worker-build --release and the sandbox binary: `cargo xtask bench --only book`.
import { customerTyping, keystrokes, productTyping, startBookProxy, suggestionsPath } from './book-proxy.mjs';
import { againstGoal, getTimed, spread, timeGet } from './timing.mjs';

const CUSTOMERS = Number(process.env.BENCH_BOOK_CUSTOMERS ?? 100_000);
const PRODUCTS = Number(process.env.BENCH_BOOK_PRODUCTS ?? 10_000);
const GOAL_MS = 50;
const PAGE = 25;
const PAGES = [1, 10, 100];
const RUNS = 9;

/** Time every keystroke of `typing` on `shelf`; the whole texts must find their entries. */
async function typeAhead(bench, shelf, typing) {
  const all = [];
  const by = typing.map(() => []);
  for (const key of keystrokes(typing)) {
    const { ms, data } = await getTimed(bench.proxy, bench.headers, suggestionsPath(shelf, key.typed));
    all.push(ms);
    by[key.entry].push(ms);
    if (key.last && (data.items.length === 0 || (key.id && !data.items.some((item) => item.id === key.id)))) {
      throw new Error(`${shelf}: "${key.typed}" (${key.what}) did not find ${key.id ?? 'anyone'}: ${JSON.stringify(data.items.map((i) => i.id))}`);
    }
  }
  console.log(`  ${shelf}, keystroke → suggestions: ${againstGoal(spread(all), GOAL_MS)}`);
  for (const [entry, { what, text }] of typing.entries()) {
    const s = spread(by[entry]);
    console.log(`    ${what} ("${text}", ${text.length} keys): p50 ${s.p50.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`);
  }
}

/** The cursors of pages 1 to the last of PAGES, walked page by page; no id may come twice. */
async function cursors(bench) {
  const seen = new Set();
  const out = [''];
  let cursor = '';
  for (let page = 1; page < Math.max(...PAGES); page++) {
    const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const { data } = await getTimed(bench.proxy, bench.headers, `/console/customers?limit=${PAGE}${after}`);
    for (const item of data.items) {
      if (seen.has(item.id)) throw new Error(`page ${page} repeats ${item.id}`);
      seen.add(item.id);
    }
    if (data.items.length !== PAGE || !data.nextCursor) throw new Error(`page ${page} has ${data.items.length} rows and no next page`);
    cursor = data.nextCursor;
    out.push(cursor);
  }
  return out;
}

/** Each of PAGES timed RUNS times by its cursor. */
async function pages(bench) {
  const all = await cursors(bench);
  console.log(`  the book in name order, ${PAGE} a page (keyset: after the last name and id), ${RUNS} runs each:`);
  for (const n of PAGES) {
    const after = all[n - 1] ? `&cursor=${encodeURIComponent(all[n - 1])}` : '';
    const t = await timeGet(bench.proxy, bench.headers, `/console/customers?limit=${PAGE}${after}`, RUNS);
    if (t.data.items.length !== PAGE) throw new Error(`page ${n} has ${t.data.items.length} rows`);
    console.log(`    page ${String(n).padStart(3)}: p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms (from "${t.data.items[0].customerDetails.name}")`);
  }
}

const bench = await startBookProxy({ customers: CUSTOMERS, products: PRODUCTS });
try {
  console.log(
    `customer book and catalogue through the Rust proxy (Miniflare + D1), ${CUSTOMERS.toLocaleString('en')} customers and `
      + `${PRODUCTS.toLocaleString('en')} products (seeded in ${bench.seededSeconds.toFixed(1)} s), one GET per keystroke (?q=…&limit=8):`,
  );
  await typeAhead(bench, 'customers', await customerTyping(bench.proxy.db, CUSTOMERS));
  await typeAhead(bench, 'products', await productTyping(bench.proxy.db, PRODUCTS));
  await pages(bench);
} finally {
  await bench.stop();
}
