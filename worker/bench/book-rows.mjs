// Synthetic customers and products for the book benches, generated inside SQLite (D1 binds at
// most 100 parameters), one `INSERT … SELECT` per chunk of rows. The columns are the ones
// worker/src/customers.rs and products.rs store (migration 0007): core's CustomerDetails as
// JSON, and beside it the searched keys: the name lower-cased both ways round, the email, the
// phone with and without the calling code, the numbers as digits. One customer in ten is a
// company (with an organisation number), every other person has a personal number; 3,072
// first-and-last-name pairs, so a name is shared by about 30 people, as in a real book. Names
// start with ASCII letters (SQLite's lower() folds ASCII only; æ, ø and å appear inside words,
// already lower case, so the keys equal Rust's to_lowercase). Products: 40 kinds × 25 variants
// × 10 sizes, each name once, product ids `P-00000` on.
const FIRST = ['Kari', 'Ola', 'Nora', 'Jakob', 'Emma', 'Filip', 'Sofie', 'Lukas', 'Ingrid', 'Henrik', 'Sara', 'Emil',
  'Maja', 'Oskar', 'Ella', 'Aksel', 'Leah', 'Noah', 'Olivia', 'William', 'Frida', 'Isak', 'Hedda', 'Magnus', 'Astrid',
  'Sander', 'Thea', 'Mathias', 'Julie', 'Elias', 'Ida', 'Tobias', 'Linnea', 'Adrian', 'Mia', 'Jonas', 'Marte', 'Even',
  'Tiril', 'Sindre', 'Vilde', 'Martin', 'Hanna', 'Kristian', 'Selma', 'Eirik', 'Live', 'Trond'];
const LAST = ['Nordmann', 'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen',
  'Jensen', 'Karlsen', 'Johnsen', 'Pettersen', 'Eriksen', 'Berg', 'Haugen', 'Hagen', 'Johannessen', 'Andreassen',
  'Jacobsen', 'Dahl', 'Jørgensen', 'Halvorsen', 'Henriksen', 'Lund', 'Sørensen', 'Jakobsen', 'Moen', 'Gundersen',
  'Iversen', 'Strand', 'Solberg', 'Svendsen', 'Eide', 'Knutsen', 'Martinsen', 'Paulsen', 'Bakken', 'Kristoffersen',
  'Mathisen', 'Lie', 'Amundsen', 'Nguyen', 'Rasmussen', 'Ali', 'Lunde', 'Solheim', 'Berge', 'Moe', 'Nygård', 'Bakke',
  'Kristensen', 'Fredriksen', 'Holm', 'Lien', 'Hauge', 'Christensen', 'Andresen', 'Nielsen', 'Knudsen', 'Evensen',
  'Sæther', 'Aas', 'Myhre'];
const TRADES = ['Bygg', 'Regnskap', 'Frisør', 'Transport', 'Elektro', 'Rør', 'Maling', 'Data', 'Eiendom', 'Catering',
  'Tannlege', 'Fysio', 'Snekkeri', 'Blomster', 'Bakeri', 'Reklame'];
const PLACES = [['0150', 'Oslo'], ['5003', 'Bergen'], ['7010', 'Trondheim'], ['4006', 'Stavanger'], ['4313', 'Sandnes'],
  ['9008', 'Tromsø'], ['3015', 'Drammen'], ['1606', 'Fredrikstad']];
const KINDS = ['Sjampo', 'Balsam', 'Hårkur', 'Hårspray', 'Voks', 'Gele', 'Serum', 'Olje', 'Krem', 'Maske', 'Såpe',
  'Lotion', 'Parfyme', 'Deodorant', 'Tannkrem', 'Kam', 'Børste', 'Saks', 'Føner', 'Rettetang', 'Krølltang', 'Hårstrikk',
  'Spenne', 'Neglelakk', 'Leppepomade', 'Ansiktskrem', 'Solkrem', 'Dusjsåpe', 'Skrubb', 'Toner', 'Rens', 'Barbergel',
  'Skjeggolje', 'Etterbarber', 'Håndkrem', 'Fotkrem', 'Gavekort', 'Klipp', 'Farge', 'Vask'];
const VARIANTS = ['Mild', 'Sterk', 'Classic', 'Pro', 'Natur', 'Sensitive', 'Fresh', 'Repair', 'Volum', 'Glans', 'Fukt',
  'Sport', 'Kids', 'Men', 'Deluxe', 'Basic', 'Argan', 'Kokos', 'Lavendel', 'Sitrus', 'Mynte', 'Rose', 'Vanilje',
  'Eukalyptus', 'Tea Tree'];
const SIZES = ['50 ml', '75 ml', '100 ml', '150 ml', '200 ml', '250 ml', '300 ml', '400 ml', '500 ml', '1000 ml'];
/** Who the rows say made them (the bench's API key, as the proxy names it). */
const BY = 'key:bench';

/** `list[index]` in SQL, `index` an SQL expression. */
const pick = (list, index) => `json_extract('${JSON.stringify(list).replaceAll("'", "''")}', '$[' || (${index}) || ']')`;
/** Lower case without æ, ø, å and spaces: an email's local part. */
const plain = (expr) => `replace(replace(replace(replace(lower(${expr}), 'æ', 'ae'), 'ø', 'o'), 'å', 'a'), ' ', '')`;

/** The ids of customer and product number `i`, as the proxy's (`cus_`/`prd_` and 20 digits). */
export const customerId = (i) => `cus_${String(i).padStart(20, '0')}`;
export const productId = (i) => `prd_${String(i).padStart(20, '0')}`;

function checkRange(from, to, nowMs) {
  for (const n of [from, to, nowMs]) if (!Number.isInteger(n)) throw new Error('integer arguments only');
}

/** The rows `from` (inclusive) to `to` (exclusive) as `seq(i)`. */
const seq = (from, to) => `seq(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ${to})`;

/** `INSERT … SELECT` of customers numbered `from` (inclusive) to `to` (exclusive). */
export function customerRowsSql(from, to, nowMs) {
  checkRange(from, to, nowMs);
  return `WITH RECURSIVE ${seq(from, to)},
     c AS (SELECT i, CASE WHEN i % 10 = 0 THEN 'corporate' ELSE 'private' END AS kind,
       ${pick(FIRST, `i % ${FIRST.length}`)} AS fname, ${pick(LAST, `(i / ${FIRST.length}) % ${LAST.length}`)} AS lname,
       ${pick(TRADES, `i % ${TRADES.length}`)} AS trade, ${pick(PLACES, `i % ${PLACES.length}`)} AS place,
       printf('%d', 40000000 + (i * 7919) % 10000000) AS msisdn FROM seq),
     n AS (SELECT *,
       CASE kind WHEN 'corporate' THEN lname || ' ' || trade || ' AS' ELSE fname || ' ' || lname END AS name,
       CASE kind WHEN 'corporate' THEN 'as ' || lower(lname || ' ' || trade) ELSE lower(lname || ' ' || fname) END AS rev,
       CASE kind WHEN 'corporate' THEN printf('post%d@%s.no', i, ${plain('lname')})
         ELSE ${plain('fname')} || '.' || ${plain('lname')} || i || '@example.no' END AS email,
       CASE kind WHEN 'corporate' THEN printf('%d', 910000000 + i) END AS org,
       CASE WHEN kind = 'private' AND i % 2 = 0
         THEN printf('%02d%02d%02d%05d', 1 + i % 28, 1 + i % 12, i % 100, i % 100000) END AS pnr
       FROM c)
     INSERT OR IGNORE INTO customers (id, customer_type, details, name_lc, rev_lc, email_lc, phone, msisdn, org_number,
       personal_number, customer_uuid, notes, archived, created_at, created_by, updated_at, updated_by)
     SELECT printf('cus_%020d', i), kind,
       json_object('type', kind, 'countryCode', '+47', 'msisdn', msisdn, 'email', email, 'name', name,
         'personalNumber', pnr, 'organizationId', org,
         'address', json_object('street', lname || 'veien ' || (1 + i % 120), 'zip', json_extract(place, '$[0]'),
           'city', json_extract(place, '$[1]'), 'country', 'NO')),
       lower(name), rev, email, '47' || msisdn, msisdn, org, pnr, NULL, NULL, 0, ${nowMs}, '${BY}', ${nowMs}, '${BY}'
     FROM n`;
}

/** `INSERT … SELECT` of products numbered `from` (inclusive) to `to` (exclusive). */
export function productRowsSql(from, to, nowMs) {
  checkRange(from, to, nowMs);
  const kinds = KINDS.length;
  const variants = VARIANTS.length;
  return `WITH RECURSIVE ${seq(from, to)},
     p AS (SELECT i, ${pick(KINDS, `i % ${kinds}`)} || ' ' || ${pick(VARIANTS, `(i / ${kinds}) % ${variants}`)}
       || ' ' || ${pick(SIZES, `(i / ${kinds * variants}) % ${SIZES.length}`)} AS name FROM seq)
     INSERT OR IGNORE INTO products (id, name, name_lc, product_id, product_id_lc, unit_price_ore, tax_bp, discount_ore,
       unit, archived, created_at, created_by, updated_at, updated_by)
     SELECT printf('prd_%020d', i), name, lower(name), printf('P-%05d', i), printf('p-%05d', i),
       1000 + (i * 37) % 900 * 100, CASE i % 7 WHEN 0 THEN 1500 ELSE 2500 END, NULL, 'stk', 0,
       ${nowMs}, '${BY}', ${nowMs}, '${BY}'
     FROM p`;
}
