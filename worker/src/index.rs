//! The order index: orders created through the proxy (and, status only, orders learnt from a
//! sync or callback), served as `GET /console/orders` with keyset paging and search.

use frontdesk_core::{CreateOrder, OrderKind, OrderStatus};
use serde::Serialize;

use crate::error::ProxyError;
use crate::sql::{Query, SqlValue, cursor};

/// The SQL list of final statuses (core's lifecycle fact), for the cron's query.
pub fn final_statuses_sql() -> String {
    OrderStatus::ALL
        .into_iter()
        .filter(|s| s.is_final())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

/// A new row for an order created through the proxy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewOrder {
    pub uuid: String,
    pub customer_uuid: Option<String>,
    pub kind: &'static str,
    pub customer_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub reference: Option<String>,
    pub amount_ore: i64,
    pub created_by: String,
    pub created_at: i64,
}

fn kind_str(kind: OrderKind) -> &'static str {
    match kind {
        OrderKind::PaymentLink => "PAYMENT_LINK",
        OrderKind::Invoice => "INVOICE",
        OrderKind::EFaktura => "E_FAKTURA",
        OrderKind::Ehf => "EHF",
    }
}

impl NewOrder {
    pub fn from_create(
        kind: OrderKind,
        order: &CreateOrder,
        uuid: &str,
        customer_uuid: Option<&str>,
        created_by: &str,
        now_ms: i64,
    ) -> NewOrder {
        let c = &order.customer_details;
        let phone = match (&c.country_code, &c.msisdn) {
            (Some(cc), Some(m)) => Some(format!("{}{}", cc.trim(), m.trim())),
            (None, Some(m)) => Some(m.trim().to_owned()),
            _ => None,
        };
        NewOrder {
            uuid: uuid.to_owned(),
            customer_uuid: customer_uuid.map(str::to_owned),
            kind: kind_str(kind),
            customer_name: c.name.trim().to_owned(),
            email: c.email.as_ref().map(|e| e.trim().to_owned()),
            phone,
            reference: order.reference_no.clone(),
            amount_ore: order.order_summary.grand_total.ore(),
            created_by: created_by.to_owned(),
            created_at: now_ms,
        }
    }

    /// Insert (or fill in a row a sync created first).
    pub fn upsert(&self) -> Query {
        let mut q = Query::new("");
        let p: Vec<String> = vec![
            q.bind(self.uuid.as_str()),
            q.bind(self.customer_uuid.clone()),
            q.bind(self.kind),
            q.bind(self.customer_name.as_str()),
            q.bind(self.customer_name.to_lowercase()),
            q.bind(last_word(&self.customer_name)),
            q.bind(self.email.as_ref().map(|e| e.to_lowercase())),
            q.bind(self.phone.as_ref().map(|p| digits(p))),
            q.bind(self.reference.clone()),
            q.bind(self.reference.as_ref().map(|r| r.to_lowercase())),
            q.bind(self.amount_ore),
            q.bind(self.created_by.as_str()),
            q.bind(self.created_at),
        ];
        q.sql = format!(
            "INSERT INTO orders (uuid, customer_uuid, kind, customer_name, name_lc, last_lc, email_lc, phone, reference, reference_lc, amount_ore, created_by, created_at, updated_at, source) \
             VALUES ({}, {}, 'proxy') \
             ON CONFLICT(uuid) DO UPDATE SET customer_uuid=excluded.customer_uuid, kind=excluded.kind, customer_name=excluded.customer_name, \
             name_lc=excluded.name_lc, last_lc=excluded.last_lc, email_lc=excluded.email_lc, phone=excluded.phone, reference=excluded.reference, \
             reference_lc=excluded.reference_lc, amount_ore=excluded.amount_ore, created_by=excluded.created_by, source='proxy'",
            p.join(", "),
            p[12]
        );
        q
    }
}

fn last_word(name: &str) -> String {
    name.split_whitespace()
        .last()
        .unwrap_or_default()
        .to_lowercase()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Record a status read from upstream: update, or insert a status-only row (`source`).
pub fn upsert_status(uuid: &str, status: OrderStatus, source: &str, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (u, s, src, now) = (
        q.bind(uuid),
        q.bind(status.as_str()),
        q.bind(source),
        q.bind(now_ms),
    );
    q.sql = format!(
        "INSERT INTO orders (uuid, status, created_at, updated_at, source) VALUES ({u}, {s}, {now}, {now}, {src}) \
         ON CONFLICT(uuid) DO UPDATE SET status=excluded.status, updated_at=excluded.updated_at"
    );
    q
}

/// Put an order whose status could not be re-read now (a callback paced by the rate budget)
/// on the cron's list: an unknown order becomes a row without a status, which the cron reads
/// first; a known one keeps its row (not final, it is on the list already).
pub fn await_reread(uuid: &str, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (u, now) = (q.bind(uuid), q.bind(now_ms));
    q.sql = format!(
        "INSERT INTO orders (uuid, created_at, updated_at, source) VALUES ({u}, {now}, 0, 'callback') \
         ON CONFLICT(uuid) DO NOTHING"
    );
    q
}

/// Update the status only when the order is already indexed.
pub fn update_status(uuid: &str, status: OrderStatus, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (s, now, u) = (q.bind(status.as_str()), q.bind(now_ms), q.bind(uuid));
    q.sql = format!("UPDATE orders SET status={s}, updated_at={now} WHERE uuid={u}");
    q
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    CreatedDesc,
    CreatedAsc,
    UpdatedDesc,
    UpdatedAsc,
    AmountDesc,
    AmountAsc,
}

impl Sort {
    fn parse(s: &str) -> Option<Sort> {
        Some(match s {
            "" | "-created" | "created_desc" => Sort::CreatedDesc,
            "created" | "created_asc" => Sort::CreatedAsc,
            "-updated" | "updated_desc" => Sort::UpdatedDesc,
            "updated" | "updated_asc" => Sort::UpdatedAsc,
            "-amount" | "amount_desc" => Sort::AmountDesc,
            "amount" | "amount_asc" => Sort::AmountAsc,
            _ => return None,
        })
    }
    const fn column(self) -> &'static str {
        match self {
            Sort::CreatedDesc | Sort::CreatedAsc => "created_at",
            Sort::UpdatedDesc | Sort::UpdatedAsc => "updated_at",
            // The expression of the `orders_amount` indexes, so that SQLite uses them.
            Sort::AmountDesc | Sort::AmountAsc => AMOUNT_KEY,
        }
    }
    const fn desc(self) -> bool {
        matches!(
            self,
            Sort::CreatedDesc | Sort::UpdatedDesc | Sort::AmountDesc
        )
    }
}

const AMOUNT_KEY: &str = "IFNULL(amount_ore, -1)";

pub const DEFAULT_LIMIT: u32 = 25;
/// A search matching more orders than this is "many": counted no further, paged by scan.
pub const SEARCH_COUNT_CAP: i64 = 1000;

/// How SQLite should find a search's page (see [`OrdersQuery::search`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Indexes,
    Scan,
}

impl Plan {
    /// From the capped count of matches.
    pub fn for_matches(matches: i64) -> Plan {
        if matches > SEARCH_COUNT_CAP {
            Plan::Scan
        } else {
            Plan::Indexes
        }
    }
}
pub const MAX_LIMIT: u32 = 100;

/// `GET /console/orders?status=&q=&cursor=&limit=&sort=`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrdersQuery {
    pub status: Option<OrderStatus>,
    pub q: Option<String>,
    pub cursor: Option<(i64, String)>,
    pub limit: u32,
    pub sort: Sort,
}

impl OrdersQuery {
    pub fn parse(pairs: &[(String, String)]) -> Result<OrdersQuery, ProxyError> {
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim());
        let status = match get("status").filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("all"))
        {
            Some(s) => Some(
                s.parse::<OrderStatus>()
                    .map_err(|_| ProxyError::BadQuery("status"))?,
            ),
            None => None,
        };
        let q = get("q")
            .filter(|q| !q.is_empty())
            .map(|q| q.chars().take(100).collect::<String>());
        let cursor = match get("cursor").filter(|c| !c.is_empty()) {
            Some(c) => Some(cursor::decode(c).ok_or(ProxyError::BadQuery("cursor"))?),
            None => None,
        };
        let limit = match get("limit").filter(|l| !l.is_empty()) {
            Some(l) => l
                .parse::<u32>()
                .ok()
                .filter(|l| (1..=MAX_LIMIT).contains(l))
                .ok_or(ProxyError::BadQuery("limit"))?,
            None => DEFAULT_LIMIT,
        };
        let sort =
            Sort::parse(get("sort").unwrap_or_default()).ok_or(ProxyError::BadQuery("sort"))?;
        Ok(OrdersQuery {
            status,
            q,
            cursor,
            limit,
            sort,
        })
    }

    /// The search condition: prefix ranges on the indexed text columns, the uuid and (for
    /// digits) the phone. [`Plan::Indexes`] lets SQLite answer it from each column's index (OR
    /// by union: fast when few rows match); [`Plan::Scan`] hides those indexes (`+col`) so that
    /// SQLite walks the sort index and stops at the page's last row (fast when many match).
    fn search(&self, q: &mut Query, plan: Plan) -> Option<String> {
        let text = self.q.as_ref()?;
        let mut ors = Vec::new();
        let mut range = |q: &mut Query, col: &str, prefix: String| {
            let col = match plan {
                Plan::Indexes => col.to_owned(),
                Plan::Scan => format!("+{col}"),
            };
            let hi = format!("{prefix}\u{10FFFF}");
            let (lo, hi) = (q.bind(prefix), q.bind(hi));
            ors.push(format!("({col} >= {lo} AND {col} < {hi})"));
        };
        let lc = text.to_lowercase();
        for col in ["name_lc", "last_lc", "email_lc", "reference_lc"] {
            range(q, col, lc.clone());
        }
        range(q, "uuid", text.to_uppercase());
        let d = digits(text);
        if d.len() >= 3 && d.len() + 2 >= text.trim_start_matches('+').len() {
            range(q, "phone", d.clone());
            // Phones are stored with the calling code: also match the national number.
            range(q, "phone", format!("47{d}"));
        }
        Some(format!("({})", ors.join(" OR ")))
    }

    /// The page query (fetches `limit + 1` rows to know whether there is a next page).
    pub fn page_sql(&self, plan: Plan) -> Query {
        let mut q = Query::new("");
        let mut conds = Vec::new();
        if let Some(s) = self.status {
            conds.push(format!("status = {}", q.bind(s.as_str())));
        }
        if let Some(s) = self.search(&mut q, plan) {
            conds.push(s);
        }
        let col = self.sort.column();
        let (cmp, dir) = if self.sort.desc() {
            ("<", "DESC")
        } else {
            (">", "ASC")
        };
        if let Some((key, tie)) = &self.cursor {
            let (k, t) = (q.bind(*key), q.bind(tie.as_str()));
            conds.push(format!(
                "({col} {cmp} {k} OR ({col} = {k} AND uuid {cmp} {t}))"
            ));
        }
        let limit = q.bind(i64::from(self.limit) + 1);
        q.sql = format!(
            "SELECT uuid, customer_uuid AS customerUuid, kind, customer_name AS customerName, email_lc AS email, phone, reference, \
             amount_ore AS amountOre, created_by AS createdBy, created_at AS createdAt, status, updated_at AS updatedAt, source \
             FROM orders{} ORDER BY {col} {dir}, uuid {dir} LIMIT {limit}",
            where_clause(&conds)
        );
        q
    }

    /// Counts per status over the search (not the status filter), for the tabs. A search
    /// counts at most [`SEARCH_COUNT_CAP`] + 1 matches (cheap from the column indexes); more
    /// than the cap means "many", and the page then takes [`Plan::Scan`].
    pub fn counts_sql(&self) -> Query {
        let mut q = Query::new("");
        q.sql = match self.search(&mut q, Plan::Indexes) {
            None => "SELECT IFNULL(status, 'UNKNOWN') AS status, COUNT(*) AS n FROM orders GROUP BY status"
                .to_owned(),
            Some(cond) => {
                let cap = q.bind(SEARCH_COUNT_CAP + 1);
                format!(
                    "SELECT status, COUNT(*) AS n FROM (SELECT IFNULL(status, 'UNKNOWN') AS status FROM orders \
                     WHERE {cond} LIMIT {cap}) GROUP BY status"
                )
            }
        };
        q
    }

    /// The next cursor from the last row of a full page (`amount_ore` None sorts as -1).
    pub fn next_cursor(&self, row: &PageRow) -> String {
        let key = match self.sort {
            Sort::CreatedDesc | Sort::CreatedAsc => row.created_at,
            Sort::UpdatedDesc | Sort::UpdatedAsc => row.updated_at,
            Sort::AmountDesc | Sort::AmountAsc => row.amount_ore.unwrap_or(-1),
        };
        cursor::encode(key, &row.uuid)
    }
}

/// The keys of a page row that the cursor needs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageRow {
    pub uuid: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub amount_ore: Option<i64>,
}

fn where_clause(conds: &[String]) -> String {
    if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    }
}

/// The cron's pick: orders not final, least recently refreshed first.
pub fn stale_orders_sql(limit: u32) -> Query {
    let mut q = Query::new("");
    let l = q.bind(i64::from(limit));
    q.sql = format!(
        "SELECT uuid FROM orders WHERE status IS NULL OR status NOT IN ({}) ORDER BY updated_at ASC LIMIT {l}",
        final_statuses_sql()
    );
    q
}

/// Does `param` list contain `SqlValue::Text(s)`? (test helper)
pub fn has_text(params: &[SqlValue], s: &str) -> bool {
    params
        .iter()
        .any(|p| matches!(p, SqlValue::Text(t) if t == s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn parse_queries() {
        let q = OrdersQuery::parse(&pairs(&[])).unwrap_or_else(|_| panic!());
        assert_eq!(
            (q.limit, q.sort, q.status.is_none()),
            (25, Sort::CreatedDesc, true)
        );
        let q = OrdersQuery::parse(&pairs(&[
            ("status", "partial_refunded"),
            ("limit", "100"),
            ("sort", "created"),
        ]));
        assert!(matches!(
            q,
            Ok(OrdersQuery {
                status: Some(OrderStatus::PartialRefunded),
                limit: 100,
                sort: Sort::CreatedAsc,
                ..
            })
        ));
        for bad in [
            ("status", "NOPE"),
            ("limit", "0"),
            ("limit", "101"),
            ("sort", "price"),
            ("cursor", "zz"),
        ] {
            assert!(OrdersQuery::parse(&pairs(&[bad])).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn page_sql_is_keyset_and_parameterised() {
        let c = cursor::encode(5, "ODR1000000005");
        let q = OrdersQuery::parse(&pairs(&[
            ("status", "SENT"),
            ("q", "Kari'; DROP"),
            ("cursor", &c),
        ]))
        .unwrap_or_else(|_| panic!());
        let sql = q.page_sql(Plan::Indexes);
        assert!(sql.sql.contains("ORDER BY created_at DESC, uuid DESC"));
        assert!(sql.sql.contains("(created_at < ?"));
        assert!(!sql.sql.contains("DROP"));
        assert!(has_text(&sql.params, "kari'; drop"));
        assert!(has_text(&sql.params, "SENT"));
        assert_eq!(sql.params.last(), Some(&SqlValue::Int(26)));
        let counts = q.counts_sql();
        assert!(counts.sql.contains("GROUP BY status"));
        assert!(
            counts.sql.contains("LIMIT ?"),
            "a search counts up to the cap"
        );
        assert!(!counts.sql.contains("status = ?"));
        // Many matches: the page hides the column indexes and walks the sort index.
        let scan = q.page_sql(Plan::Scan).sql;
        assert!(
            scan.contains("(+name_lc >= ?") && !scan.contains("(name_lc >= ?"),
            "{scan}"
        );
        assert_eq!(Plan::for_matches(SEARCH_COUNT_CAP), Plan::Indexes);
        assert_eq!(Plan::for_matches(SEARCH_COUNT_CAP + 1), Plan::Scan);
        let phone = OrdersQuery::parse(&pairs(&[("q", "465 67 468")])).unwrap_or_else(|_| panic!());
        assert!(has_text(&phone.page_sql(Plan::Indexes).params, "46567468"));
        assert!(has_text(
            &phone.page_sql(Plan::Indexes).params,
            "4746567468"
        ));
    }

    #[test]
    fn amount_sort_pages_over_the_indexed_expression() {
        let q = OrdersQuery::parse(&pairs(&[("sort", "-amount")])).unwrap_or_else(|_| panic!());
        let row = PageRow {
            uuid: "ODR1000000009".into(),
            created_at: 1,
            updated_at: 2,
            amount_ore: None,
        };
        // A status-only row (no amount) pages on as -1, like the index orders it.
        let next = q.next_cursor(&row);
        assert_eq!(cursor::decode(&next), Some((-1, "ODR1000000009".into())));
        let page2 = OrdersQuery::parse(&pairs(&[("sort", "-amount"), ("cursor", &next)]))
            .unwrap_or_else(|_| panic!());
        let sql = page2.page_sql(Plan::Indexes).sql;
        assert!(
            sql.contains("ORDER BY IFNULL(amount_ore, -1) DESC, uuid DESC"),
            "{sql}"
        );
        assert!(sql.contains("(IFNULL(amount_ore, -1) < ?"), "{sql}");
        let asc = OrdersQuery::parse(&pairs(&[("sort", "amount")])).unwrap_or_else(|_| panic!());
        assert_eq!(asc.sort, Sort::AmountAsc);
        let with_amount = PageRow {
            amount_ore: Some(12_345),
            ..row
        };
        assert_eq!(
            cursor::decode(&asc.next_cursor(&with_amount)).map(|c| c.0),
            Some(12_345)
        );
    }

    #[test]
    fn finals() {
        assert!(OrderStatus::Cancelled.is_final());
        assert!(!OrderStatus::Paid.is_final());
        assert!(stale_orders_sql(50).sql.contains("'CANCELLED'"));
        let u = upsert_status("ODR1000000001", OrderStatus::Paid, "sync", 1);
        assert!(u.sql.contains("ON CONFLICT(uuid)"));
        let w = await_reread("ODR1000000001", 5);
        assert!(w.sql.contains("DO NOTHING"), "{}", w.sql);
        assert!(has_text(&w.params, "ODR1000000001"));
    }
}
