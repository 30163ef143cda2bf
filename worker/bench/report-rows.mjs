// Synthetic rows for the overview and the VAT report, generated inside SQLite in one statement
// (D1 binds at most 100 parameters): a year of orders before `nowMs`, half payment links and
// half invoices, ten statuses, 5,000 customers, each order a 25 % line and a 15 % line whose
// stored VAT and base per rate are exact (25 %: 5k øre → VAT k; 15 %: 1,150m øre → VAT 150m),
// paid a few days after creation, partly or wholly refunded elsewhere.
const statuses = ['PAID', 'PAID', 'SENT', 'INVOICED', 'PARTIAL REFUNDED', 'REFUNDED', 'CANCELLED', 'EXPIRED', 'REMINDER', 'DEBT COLLECTION'];
const paid = ['PAID', 'PARTIAL REFUNDED', 'REFUNDED'];
const first = ['Kari', 'Ola', 'Nora', 'Jakob', 'Emma', 'Filip', 'Sofie', 'Lukas'];
const last = ['Nordmann', 'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Berg', 'Haugen'];
const DAY_MS = 86_400_000;

/** `INSERT … SELECT` of the orders numbered `from` (inclusive) to `to` (exclusive). */
export function reportRowsSql(from, to, nowMs) {
  for (const n of [from, to, nowMs]) if (!Number.isInteger(n)) throw new Error('integer arguments only');
  const pick = (list, index) => `json_extract('${JSON.stringify(list)}', '$[' || (${index}) || ']')`;
  const inList = (list) => list.map((s) => `'${s}'`).join(', ');
  const name = `${pick(first, 'c % 8')} || ' ' || ${pick(last, '(c / 8) % 8')}`;
  return `WITH RECURSIVE seq(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ${to}),
     o AS (SELECT i, i % 5000 AS c, ${pick(statuses, `i % ${statuses.length}`)} AS status,
       1000 + (i % 997) * 10 AS k, 1 + i % 13 AS m,
       ${nowMs} - (i % 365) * ${DAY_MS} - ((i * 7919) % 86400) * 1000 AS created FROM seq)
     INSERT OR IGNORE INTO orders (uuid, customer_uuid, kind, customer_name, name_lc, last_lc, full_name, full_lc,
       amount_ore, created_by, created_at, status, updated_at, source, order_date, invoice_maturity, vat, vat_base,
       due_day, paid_at, refunded_ore)
     SELECT printf('ODR%010d', 3000000000 + i), printf('CSRT%010d', 2000000000 + c),
       CASE i % 2 WHEN 0 THEN 'PAYMENT_LINK' ELSE 'INVOICE' END,
       ${name}, lower(${name}), lower(${pick(last, '(c / 8) % 8')}), ${name}, lower(${name}),
       5 * k + 1150 * m, 'key:bench', created, status, created, 'proxy', created / 1000,
       CASE i % 2 WHEN 0 THEN NULL ELSE 14 END,
       json_object('1500', 150 * m, '2500', k), json_object('1500', 1000 * m, '2500', 4 * k),
       (created / 1000 + 3600) / 86400 + CASE i % 2 WHEN 0 THEN 0 ELSE 14 END,
       CASE WHEN status IN (${inList(paid)}) THEN created + (i % 5) * ${DAY_MS} END,
       CASE status WHEN 'REFUNDED' THEN 5 * k + 1150 * m WHEN 'PARTIAL REFUNDED' THEN (5 * k + 1150 * m) / 3
         WHEN 'PAID' THEN 0 END
     FROM o`;
}
