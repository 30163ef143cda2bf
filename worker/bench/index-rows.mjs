// Synthetic rows for the proxy's order index, generated inside SQLite in one statement (D1
// binds at most 100 parameters): names from small lists, six statuses, amounts 51–1,050 kr.
const statuses = ['SENT', 'PAID', 'INVOICED', 'CANCELLED', 'EXPIRED', 'REFUNDED'];
const first = ['Kari', 'Ola', 'Nora', 'Jakob', 'Emma', 'Filip', 'Sofie', 'Lukas'];
const last = ['Nordmann', 'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Berg', 'Haugen'];

/** `INSERT … SELECT` of the orders numbered `from` (inclusive) to `to` (exclusive). */
export function indexRowsSql(from, to) {
  if (!Number.isInteger(from) || !Number.isInteger(to)) throw new Error('integer bounds only');
  const pick = (list, index) => `json_extract('${JSON.stringify(list)}', '$[' || (${index}) || ']')`;
  const firstName = pick(first, 'i % 8');
  const lastName = pick(last, '(i / 8) % 8');
  const status = pick(statuses, `i % ${statuses.length}`);
  return `WITH RECURSIVE seq(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ${to})
     INSERT OR IGNORE INTO orders (uuid, customer_uuid, kind, customer_name, name_lc, last_lc, full_name, full_lc,
       rev_lc, email_lc, phone, reference, reference_lc, amount_ore, created_by, created_at, status, updated_at, source)
     SELECT printf('ODR%010d', 1000000000 + i), printf('CSRT%010d', 2000000000 + i), 'PAYMENT_LINK',
       ${firstName} || ' ' || ${lastName}, lower(${firstName} || ' ' || ${lastName}), lower(${lastName}),
       ${firstName} || ' ' || ${lastName}, lower(${firstName} || ' ' || ${lastName}),
       lower(${lastName} || ' ' || ${firstName}),
       lower(${firstName}) || '.' || i || '@example.com', printf('4%07d', i), 'R-' || i, 'r-' || i,
       5100 + (i % 1000) * 100, 'key:bench', 1700000000000 + i * 1000, ${status},
       1700000000000 + i * 1000, 'proxy'
     FROM seq`;
}
