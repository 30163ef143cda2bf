//! The overview and the VAT report in SQL (`GET /console/overview`, `GET /console/vat`): the
//! database counts and sums with its indexes, core turns the sums into its typed answers
//! ([`frontdesk_core::report`]). Only the refunded orders of a VAT report come back one by one,
//! for core to split their refunds per rate.

use std::collections::BTreeMap;

use frontdesk_core::money::{Money, TaxRate};
use frontdesk_core::order::{CreateOrder, base_by_rate};
use frontdesk_core::proxy::VatByRate;
use frontdesk_core::report::{
    self, AgeBucket, ByRate, DateBasis, Granularity, LineRates, LineVat, OUTSTANDING, Overview,
    Owed, Period, SeriesBucket, StatusCount, TopCustomer, Totals, VatReport,
};
use frontdesk_core::requests::RefundedByLine;
use frontdesk_core::responses::DetailProduct;
use frontdesk_core::{Endpoint, OrderKind, OrderStatus};
use serde::Deserialize;
use serde_json::Value;

use crate::error::ProxyError;
use crate::index::{REFUNDED_SQL, param};
use crate::sql::Query;

/// How many customers the overview names.
pub const TOP_CUSTOMERS: i64 = 5;
/// Rows given their due day and base per rate before each report ([`backfill_sql`]).
pub const BACKFILL_ROWS: i64 = 200;

/// A SQL list of statuses (core's names, never a request's text).
pub fn statuses_sql(statuses: impl IntoIterator<Item = OrderStatus>) -> String {
    statuses
        .into_iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn paid_sql() -> String {
    statuses_sql(report::paid_statuses())
}

/// `from` and `to` of a report's query (a bad, missing or too long period is a 400
/// `invalidQueryParameter` naming `from`, `to` or `period`).
pub fn period_of(pairs: &[(String, String)]) -> Result<Period, ProxyError> {
    Period::parse(param(pairs, "from"), param(pairs, "to"))
        .map_err(|e| ProxyError::BadQuery(e.param()))
}

/// `basis=orderDate|paymentDate` (order date when absent).
pub fn basis_of(pairs: &[(String, String)]) -> Result<DateBasis, ProxyError> {
    DateBasis::parse(param(pairs, "basis")).ok_or(ProxyError::BadQuery("basis"))
}

/// The overview's queries, and how their rows become an [`Overview`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewPlan {
    pub period: Period,
    pub previous: Period,
    pub buckets: Vec<SeriesBucket>,
    /// Today's Oslo day, for what is owed.
    pub today: i64,
}

impl OverviewPlan {
    pub fn new(period: Period, now_secs: i64) -> OverviewPlan {
        OverviewPlan {
            previous: period.previous(),
            buckets: report::series_buckets(&period),
            today: report::oslo_day(now_secs),
            period,
        }
    }

    /// In the order [`OverviewRows`] takes their rows: the totals of the period and of the one
    /// before, the paid series, by status, what is owed, reminders and debt collection, top
    /// customers.
    pub fn queries(&self) -> [Query; 7] {
        [
            totals_sql(&self.period),
            totals_sql(&self.previous),
            series_sql(&self.buckets),
            by_status_sql(&self.period),
            owed_sql(self.today),
            flagged_sql(),
            top_customers_sql(&self.period),
        ]
    }

    pub fn overview(&self, rows: OverviewRows) -> Overview {
        let sums: BTreeMap<usize, i64> = rows
            .series
            .iter()
            .map(|r| (r.i as usize, r.ore as i64))
            .collect();
        let mut by_status: Vec<StatusCount> =
            rows.by_status.iter().filter_map(StatusRow::count).collect();
        by_status.sort_by_key(|c| c.status);
        let flagged = |status: OrderStatus| {
            rows.flagged
                .iter()
                .filter_map(StatusRow::count)
                .find(|c| c.status == status)
                .unwrap_or(StatusCount {
                    status,
                    count: 0,
                    amount_ore: 0,
                })
        };
        Overview {
            period: self.period.clone(),
            previous: self.previous.clone(),
            current_totals: rows.current.totals(),
            previous_totals: rows.previous.totals(),
            granularity: Granularity::for_period(&self.period),
            paid_series: report::paid_series(&self.buckets, &sums),
            by_status,
            owed: AgeBucket::ALL
                .into_iter()
                .map(|b| owed(b, &rows.owed))
                .collect(),
            reminders: flagged(OrderStatus::Reminder),
            debt_collection: flagged(OrderStatus::DebtCollection),
            top_customers: rows.top.iter().map(TopRow::customer).collect(),
        }
    }
}

/// The rows of [`OverviewPlan::queries`] (D1 gives numbers as floats).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OverviewRows {
    pub current: TotalsRow,
    pub previous: TotalsRow,
    pub series: Vec<BucketRow>,
    pub by_status: Vec<StatusRow>,
    pub owed: Vec<OwedRow>,
    pub flagged: Vec<StatusRow>,
    pub top: Vec<TopRow>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct TotalsRow {
    pub sent: f64,
    pub outstanding: f64,
    pub outstanding_ore: f64,
    pub paid: f64,
    pub paid_ore: f64,
    pub refunded_ore: f64,
}

impl TotalsRow {
    fn totals(&self) -> Totals {
        Totals {
            paid_ore: self.paid_ore as i64,
            refunded_ore: self.refunded_ore as i64,
            net_ore: 0,
            sent: self.sent as i64,
            paid: self.paid as i64,
            outstanding: self.outstanding as i64,
            outstanding_ore: self.outstanding_ore as i64,
        }
        .with_net()
    }
}

/// Paid in one bucket of the series (by its index).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct BucketRow {
    pub i: f64,
    pub ore: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StatusRow {
    pub status: Option<String>,
    pub n: f64,
    pub ore: f64,
}

impl StatusRow {
    fn count(&self) -> Option<StatusCount> {
        Some(StatusCount {
            status: self.status.as_deref()?.parse().ok()?,
            count: self.n as i64,
            amount_ore: self.ore as i64,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct OwedRow {
    pub bucket: String,
    pub n: f64,
    pub ore: f64,
}

fn owed(bucket: AgeBucket, rows: &[OwedRow]) -> Owed {
    let row = rows.iter().find(|r| r.bucket == bucket.as_str());
    Owed {
        bucket,
        count: row.map_or(0, |r| r.n as i64),
        amount_ore: row.map_or(0, |r| r.ore as i64),
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct TopRow {
    pub name: Option<String>,
    pub ore: f64,
    pub n: f64,
}

impl TopRow {
    fn customer(&self) -> TopCustomer {
        TopCustomer {
            name: self.name.clone().unwrap_or_default(),
            paid_ore: self.ore as i64,
            orders: self.n as i64,
        }
    }
}

/// `created_at` and `paid_at` in `period`, as two bound placeholders.
fn bounds_ms(q: &mut Query, period: &Period) -> (String, String) {
    let (lo, hi) = period.bounds_ms();
    (q.bind(lo), q.bind(hi))
}

// The statements below that pick orders by a date write `+status`: SQLite (without statistics)
// would otherwise walk the status index over every paid order instead of the date's range.

/// Orders created in the period (sent; outstanding) and first seen paid in it (paid, refunded).
fn totals_sql(period: &Period) -> Query {
    let mut q = Query::new("");
    let (lo, hi) = bounds_ms(&mut q, period);
    let (open, paid) = (statuses_sql(OUTSTANDING), paid_sql());
    q.sql = format!(
        "WITH made AS (SELECT COUNT(*) AS sent, IFNULL(SUM(status IN ({open})), 0) AS outstanding, \
         IFNULL(SUM(CASE WHEN status IN ({open}) THEN amount_ore END), 0) AS outstanding_ore \
         FROM orders WHERE created_at >= {lo} AND created_at < {hi}), \
         came AS (SELECT COUNT(*) AS paid, IFNULL(SUM(amount_ore), 0) AS paid_ore, \
         IFNULL(SUM({REFUNDED_SQL}), 0) AS refunded_ore FROM orders \
         WHERE paid_at >= {lo} AND paid_at < {hi} AND +status IN ({paid})) \
         SELECT * FROM made, came"
    );
    q
}

/// Paid per bucket of the series: one range join on the `paid_at` index. The bounds are core's
/// numbers, not the request's text, so they are written into the statement (D1 binds at most
/// 100 parameters; a year by day has 366 buckets).
fn series_sql(buckets: &[SeriesBucket]) -> Query {
    if buckets.is_empty() {
        return Query::new("SELECT 0 AS i, 0 AS ore WHERE 0");
    }
    let values: Vec<String> = buckets
        .iter()
        .enumerate()
        .map(|(i, b)| format!("({i}, {}, {})", b.lo * 1000, b.hi * 1000))
        .collect();
    Query::new(format!(
        "WITH b(i, lo, hi) AS (VALUES {}) SELECT b.i AS i, IFNULL(SUM(o.amount_ore), 0) AS ore \
         FROM b JOIN orders o ON o.paid_at >= b.lo AND o.paid_at < b.hi \
         WHERE +o.status IN ({}) GROUP BY b.i",
        values.join(", "),
        paid_sql()
    ))
}

/// Orders created in the period per status.
fn by_status_sql(period: &Period) -> Query {
    let mut q = Query::new("");
    let (lo, hi) = bounds_ms(&mut q, period);
    q.sql = format!(
        "SELECT status, COUNT(*) AS n, IFNULL(SUM(amount_ore), 0) AS ore FROM orders \
         WHERE created_at >= {lo} AND created_at < {hi} AND status IS NOT NULL GROUP BY status"
    );
    q
}

/// What is owed on `today`, per age bucket (core's edges): unpaid orders past their age origin.
fn owed_sql(today: i64) -> Query {
    let mut q = Query::new("");
    let mut arms = Vec::new();
    for bucket in AgeBucket::ALL {
        let (earliest, latest) = bucket.origin_days(today);
        let cond = match earliest {
            Some(e) => format!("due_day BETWEEN {} AND {}", q.bind(e), q.bind(latest)),
            None => format!("due_day <= {}", q.bind(latest)),
        };
        arms.push(format!("WHEN {cond} THEN '{}'", bucket.as_str()));
    }
    let t = q.bind(today);
    q.sql = format!(
        "SELECT CASE {} END AS bucket, COUNT(*) AS n, IFNULL(SUM(amount_ore), 0) AS ore FROM orders \
         WHERE status IN ({}) AND due_day <= {t} GROUP BY bucket",
        arms.join(" "),
        statuses_sql(OUTSTANDING)
    );
    q
}

/// All orders in REMINDER and in DEBT COLLECTION today.
fn flagged_sql() -> Query {
    Query::new(format!(
        "SELECT status, COUNT(*) AS n, IFNULL(SUM(amount_ore), 0) AS ore FROM orders \
         WHERE status IN ({}) GROUP BY status",
        statuses_sql([OrderStatus::Reminder, OrderStatus::DebtCollection])
    ))
}

/// Customers by amount first seen paid in the period (a customer: Front Payment's customer
/// uuid, else the name).
fn top_customers_sql(period: &Period) -> Query {
    let mut q = Query::new("");
    let (lo, hi) = bounds_ms(&mut q, period);
    let limit = q.bind(TOP_CUSTOMERS);
    q.sql = format!(
        "SELECT IFNULL(MAX(full_name), MAX(customer_name)) AS name, IFNULL(SUM(amount_ore), 0) AS ore, \
         COUNT(*) AS n FROM orders WHERE paid_at >= {lo} AND paid_at < {hi} AND +status IN ({}) \
         AND amount_ore IS NOT NULL GROUP BY COALESCE(customer_uuid, name_lc, uuid) \
         ORDER BY ore DESC, name ASC LIMIT {limit}",
        paid_sql()
    );
    q
}

/// The VAT report's date condition: `order_date` (seconds) or `paid_at` (milliseconds).
fn dated(q: &mut Query, period: &Period, basis: DateBasis) -> String {
    let ((lo, hi), column) = match basis {
        DateBasis::OrderDate => (period.bounds(), "orders.order_date"),
        DateBasis::PaymentDate => (period.bounds_ms(), "orders.paid_at"),
    };
    format!("{column} >= {} AND {column} < {}", q.bind(lo), q.bind(hi))
}

/// Sales per rate of the paid orders dated in the period: the stored VAT and base per rate
/// (core's, on create) summed in SQL over `json_each`.
pub fn vat_sales_sql(period: &Period, basis: DateBasis) -> Query {
    let mut q = Query::new("");
    let cond = dated(&mut q, period, basis);
    q.sql = format!(
        "SELECT CAST(v.key AS INTEGER) AS rate, IFNULL(SUM(v.value), 0) AS vat, \
         IFNULL(SUM(json_extract(orders.vat_base, '$.\"' || v.key || '\"')), 0) AS base \
         FROM orders, json_each(orders.vat) AS v \
         WHERE {cond} AND +orders.status IN ({}) AND orders.vat IS NOT NULL GROUP BY v.key",
        paid_sql()
    );
    q
}

/// The refunded ones among those orders, one row each: what core needs to split their refunds
/// per rate (see [`RefundRow`]).
pub fn vat_refunds_sql(period: &Period, basis: DateBasis) -> Query {
    let mut q = Query::new("");
    let cond = dated(&mut q, period, basis);
    q.sql = format!(
        "SELECT orders.vat AS vat, orders.vat_base AS base, orders.line_rates AS rates, \
         {REFUNDED_SQL} AS refunded, (SELECT json_group_array(a.detail) FROM audit_log a \
         WHERE a.order_uuid = orders.uuid AND +a.action = '{}' AND a.replayed = 0 \
         AND a.status BETWEEN 200 AND 299 AND a.detail IS NOT NULL) AS lines \
         FROM orders WHERE {cond} AND +orders.status IN ({}) AND orders.vat IS NOT NULL \
         AND {REFUNDED_SQL} > 0",
        Endpoint::Refund.name(),
        paid_sql()
    );
    q
}

/// One row of [`vat_sales_sql`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SalesRow {
    /// Basis points.
    pub rate: f64,
    pub vat: f64,
    pub base: f64,
}

/// One refunded order of [`vat_refunds_sql`]: its stored VAT and base per rate, line rates, all
/// refunded (the list's rule: the API's figure, else Frontdesk's refunds) and the lines of
/// Frontdesk's refunds (a JSON array of audit `detail`s).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RefundRow {
    pub vat: Option<String>,
    pub base: Option<String>,
    pub rates: Option<String>,
    pub refunded: Option<f64>,
    pub lines: Option<String>,
}

impl RefundRow {
    /// Its refunds per rate by core ([`report::refunded_by_rate`]); unreadable stored JSON
    /// reads as absent.
    pub fn by_rate(&self) -> Option<ByRate> {
        let stored = |j: &Option<String>| {
            j.as_deref()
                .and_then(|t| serde_json::from_str::<VatByRate>(t).ok())
                .unwrap_or_default()
        };
        let sales = report::by_rate(&stored(&self.base).0, &stored(&self.vat).0);
        let rates: LineRates = self
            .rates
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default();
        let details: Vec<Option<String>> = self
            .lines
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default();
        let mut lines = RefundedByLine::new();
        for one in details
            .iter()
            .flatten()
            .filter_map(|d| serde_json::from_str::<RefundedByLine>(d).ok())
        {
            for (id, ore) in one {
                let slot = lines.entry(id).or_default();
                *slot = slot.saturating_add(ore);
            }
        }
        let total = Money(self.refunded.unwrap_or(0.0) as i64);
        report::refunded_by_rate(&sales, &rates, &lines, total).ok()
    }
}

/// The report from the rows of [`vat_sales_sql`] and [`vat_refunds_sql`].
pub fn vat_report(
    period: Period,
    basis: DateBasis,
    sales: &[SalesRow],
    refunds: &[RefundRow],
) -> VatReport {
    let sold: ByRate = sales
        .iter()
        .map(|r| {
            let v = LineVat {
                base_ore: r.base as i64,
                vat_ore: r.vat as i64,
            };
            (TaxRate(r.rate as i64), v)
        })
        .collect();
    let mut back = ByRate::new();
    for by in refunds.iter().filter_map(RefundRow::by_rate) {
        report::add_into(&mut back, &by);
    }
    VatReport::from_sums(period, basis, &sold, &back)
}

/// The line rates of a details answer (`productList[].id` → rate) as the index keeps them;
/// `None` when it lists no readable line.
pub fn line_rates_json(data: &Value) -> Option<String> {
    let products: Vec<DetailProduct> = data
        .get("productList")?
        .as_array()?
        .iter()
        .filter_map(|p| serde_json::from_value(p.clone()).ok())
        .collect();
    if products.is_empty() {
        return None;
    }
    serde_json::to_string(&report::line_rates(&products)).ok()
}

/// Keep an indexed order's line rates (a write only when they changed).
pub fn set_line_rates(uuid: &str, rates: &str) -> Query {
    let mut q = Query::new("");
    let (r, u) = (q.bind(rates), q.bind(uuid));
    q.sql = format!("UPDATE orders SET line_rates={r} WHERE uuid={u} AND line_rates IS NOT {r}");
    q
}

/// Rows without a due day (indexed before the report existed), a batch at a time.
pub fn backfill_sql() -> Query {
    let mut q = Query::new("");
    let n = q.bind(BACKFILL_ROWS);
    q.sql = format!(
        "SELECT uuid, kind, request, created_at FROM orders WHERE due_day IS NULL LIMIT {n}"
    );
    q
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct BackfillRow {
    pub uuid: String,
    pub kind: Option<String>,
    pub request: Option<String>,
    pub created_at: f64,
}

impl BackfillRow {
    /// Its due day ([`report::age_origin`]; for an order known by status only, the day the
    /// proxy first saw it) and, from its request, its base per rate.
    pub fn update(&self) -> Query {
        let kind: Option<OrderKind> = self
            .kind
            .as_ref()
            .and_then(|k| serde_json::from_value(Value::String(k.clone())).ok());
        let request: Option<CreateOrder> = self
            .request
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok());
        let due_day = match (&request, kind) {
            (Some(r), Some(k)) => report::age_origin(r, k),
            _ => report::oslo_day((self.created_at as i64).div_euclid(1000)),
        };
        let base = request
            .as_ref()
            .and_then(|r| base_by_rate(&r.products).ok())
            .and_then(|b| serde_json::to_string(&VatByRate(b)).ok());
        let mut q = Query::new("");
        let (d, b, u) = (q.bind(due_day), q.bind(base), q.bind(self.uuid.as_str()));
        q.sql = format!(
            "UPDATE orders SET due_day={d}, vat_base=COALESCE(vat_base, {b}) WHERE uuid={u}"
        );
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::owned_pairs as pairs;
    use crate::sql::SqlValue;
    use serde_json::json;

    /// Every `?N` used is bound, and every bound one used.
    fn bound(q: &Query) -> bool {
        let n = q.params.len();
        (1..=n).all(|i| q.sql.contains(&format!("?{i}"))) && !q.sql.contains(&format!("?{}", n + 1))
    }

    #[test]
    fn periods_and_bases_from_the_query() {
        let ok = period_of(&pairs(&[("from", "2024-03-01"), ("to", "2024-04-30")]));
        assert_eq!(ok.map(|p| p.len_days()), Ok(61));
        for (from, to, param) in [
            ("2024-02-30", "2024-03-01", "from"),
            ("2024-03-01", "", "to"),
            ("2024-03-02", "2024-03-01", "period"),
            ("2023-01-01", "2024-01-02", "period"),
        ] {
            assert_eq!(
                period_of(&pairs(&[("from", from), ("to", to)])),
                Err(ProxyError::BadQuery(param)),
                "{from}..{to}"
            );
        }
        assert_eq!(period_of(&pairs(&[])), Err(ProxyError::BadQuery("from")));
        assert_eq!(basis_of(&pairs(&[])), Ok(DateBasis::OrderDate));
        assert_eq!(
            basis_of(&pairs(&[("basis", "paymentDate")])),
            Ok(DateBasis::PaymentDate)
        );
        assert_eq!(
            basis_of(&pairs(&[("basis", "x")])),
            Err(ProxyError::BadQuery("basis"))
        );
        let reply = ProxyError::BadQuery("from").reply();
        assert_eq!(reply.status, 400);
        assert!(reply.body.contains("invalidQueryParameter"));
    }

    #[test]
    fn the_overview_asks_the_indexes() {
        let period = Period::of_days(19_783, 19_843); // 2024-03-01 .. 2024-04-30
        let plan = OverviewPlan::new(period, 1_714_400_000);
        assert_eq!(plan.previous.len_days(), 61);
        let [current, previous, series, by_status, owed, flagged, top] = plan.queries();
        for q in [&current, &previous, &by_status, &owed, &flagged, &top] {
            assert!(bound(q), "{}", q.sql);
        }
        assert!(current.sql.contains("created_at >= ?1") && current.sql.contains("paid_at >= ?1"));
        assert!(current.sql.contains("'PARTIAL REFUNDED'") && current.sql.contains("'REMINDER'"));
        assert_ne!(current.params, previous.params);
        // Weeks past 60 days: 10 buckets, bounds written in.
        assert_eq!(series.sql.matches("), (").count() + 1, plan.buckets.len());
        assert!(
            series.params.is_empty() && series.sql.contains("JOIN orders o ON o.paid_at >= b.lo")
        );
        assert_eq!(owed.sql.matches("WHEN ").count(), 4);
        assert!(owed.sql.contains("THEN '60+'") && owed.sql.contains("'DEBT COLLECTION'"));
        assert!(by_status.sql.contains("GROUP BY status"));
        assert_eq!(top.params.last(), Some(&SqlValue::Int(TOP_CUSTOMERS)));
        assert!(flagged.params.is_empty());
    }

    #[test]
    fn rows_become_the_overview() {
        let period = Period::of_days(19_783, 19_789);
        let plan = OverviewPlan::new(period, 1_709_500_000);
        let status = |s: &str, n: f64, ore: f64| StatusRow {
            status: Some(s.into()),
            n,
            ore,
        };
        let rows = OverviewRows {
            current: TotalsRow {
                sent: 4.0,
                paid: 2.0,
                paid_ore: 15_000.0,
                refunded_ore: 2_000.0,
                outstanding: 2.0,
                outstanding_ore: 5_100.0,
            },
            series: vec![BucketRow {
                i: 2.0,
                ore: 15_000.0,
            }],
            by_status: vec![status("SENT", 1.0, 5_100.0), status("PAID", 2.0, 15_000.0)],
            owed: vec![OwedRow {
                bucket: "15-30".into(),
                n: 1.0,
                ore: 5_100.0,
            }],
            flagged: vec![status("REMINDER", 1.0, 5_100.0)],
            top: vec![TopRow {
                name: Some("Kari Nordmann".into()),
                ore: 15_000.0,
                n: 2.0,
            }],
            ..OverviewRows::default()
        };
        let o = plan.overview(rows);
        assert_eq!(o.current_totals.net_ore, 13_000);
        assert_eq!(o.previous_totals, Totals::default());
        assert_eq!(o.granularity, Granularity::Day);
        let series: Vec<i64> = o.paid_series.iter().map(|p| p.paid_ore).collect();
        assert_eq!(series, [0, 0, 15_000, 0, 0, 0, 0]);
        assert_eq!(o.paid_series[0].start, "2024-03-01");
        let statuses: Vec<OrderStatus> = o.by_status.iter().map(|c| c.status).collect();
        assert_eq!(statuses, [OrderStatus::Sent, OrderStatus::Paid]);
        let owed: Vec<(AgeBucket, i64)> = o.owed.iter().map(|w| (w.bucket, w.count)).collect();
        assert_eq!(
            owed,
            [
                (AgeBucket::Days0To14, 0),
                (AgeBucket::Days15To30, 1),
                (AgeBucket::Days31To60, 0),
                (AgeBucket::Over60, 0)
            ]
        );
        assert_eq!((o.reminders.count, o.debt_collection.count), (1, 0));
        assert_eq!(o.debt_collection.status, OrderStatus::DebtCollection);
        assert_eq!(o.top_customers[0].name, "Kari Nordmann");
        let j = serde_json::to_value(&o).unwrap_or_default();
        assert_eq!(
            j["owed"][1],
            json!({"bucket": "15-30", "count": 1, "amountOre": 5100})
        );
        assert_eq!(j["byStatus"][0]["status"], "SENT");
    }

    #[test]
    fn the_vat_report_sums_in_sql_and_splits_refunds_in_core() {
        let period = Period::of_days(19_783, 19_843);
        let sales = vat_sales_sql(&period, DateBasis::OrderDate);
        assert!(bound(&sales));
        assert!(
            sales.sql.contains("json_each(orders.vat)")
                && sales.sql.contains("orders.order_date >= ?1")
        );
        assert_eq!(sales.params[0], SqlValue::Int(1_709_247_600));
        let by_payment = vat_refunds_sql(&period, DateBasis::PaymentDate);
        assert!(bound(&by_payment) && by_payment.sql.contains("orders.paid_at >= ?1"));
        assert_eq!(by_payment.params[0], SqlValue::Int(1_709_247_600_000));
        assert!(by_payment.sql.contains("+a.action = 'refundOrder'"));
        assert!(by_payment.sql.contains("+orders.status IN ('PAID'"));

        // 1 000.00 at 25 % less 100 and 2 × 50.00 at 15 %; line 11 (25 %) refunded 200.00 through
        // Frontdesk, and 10.00 more elsewhere (split 90 : 10).
        let row = RefundRow {
            vat: Some(r#"{"1500":1304,"2500":18000}"#.into()),
            base: Some(r#"{"1500":8696,"2500":72000}"#.into()),
            rates: Some(r#"{"11":2500,"12":1500}"#.into()),
            refunded: Some(21_000.0),
            lines: Some(r#"["{\"11\":20000}"]"#.into()),
        };
        let by = row.by_rate().unwrap_or_default();
        assert_eq!(by[&TaxRate(2500)].amount_ore(), 20_900);
        assert_eq!(by[&TaxRate(1500)].amount_ore(), 100);
        let rows = [SalesRow {
            rate: 2500.0,
            vat: 18_000.0,
            base: 72_000.0,
        }];
        let report = vat_report(period, DateBasis::OrderDate, &rows, &[row]);
        assert_eq!(report.rows[0].net_vat_ore, 18_000 - 4_180);
        assert_eq!(report.rows[1].refunded_vat_ore, 13);
        assert_eq!(
            report.totals.refunded_base_ore + report.totals.refunded_vat_ore,
            21_000
        );
        // Unreadable stored JSON reads as absent: nothing to split by.
        let broken = RefundRow {
            refunded: Some(100.0),
            vat: Some("{".into()),
            ..RefundRow::default()
        };
        assert_eq!(broken.by_rate(), Some(ByRate::new()));
    }

    #[test]
    fn line_rates_come_from_the_details() {
        let data = json!({"productList": [
            {"id": 5410, "name": "Hair Wash", "productId": "VFDDF", "quantity": 1, "rate": 51, "discount": 0, "tax": 12.5, "amount": 51},
            {"id": 5411, "name": "Coat", "quantity": 1, "rate": 900, "discount": 0, "tax": 25, "amount": 900}
        ]});
        assert_eq!(
            line_rates_json(&data).as_deref(),
            Some(r#"{"5410":1250,"5411":2500}"#)
        );
        assert_eq!(line_rates_json(&json!({"productList": []})), None);
        assert_eq!(line_rates_json(&json!({})), None);
        let q = set_line_rates("ODR1000000001", "{}");
        assert!(bound(&q) && q.sql.contains("line_rates IS NOT ?1"));
    }

    #[test]
    fn older_rows_get_their_due_day_and_base() {
        let request = json!({
            "products": [{"name": "A", "quantity": "1", "rate": 1000, "discount": 100, "tax": "25", "amount": 900}],
            "orderSummary": {"subTotal": "800.00", "totalTax": "180.00", "totalDiscount": "100.00", "grandTotal": "900.00"},
            "orderDate": "1703040812", "invoiceMaturity": 14,
            "customerDetails": {"type": "private", "name": "Kari",
                "address": {"street": "s", "zip": "0155", "city": "Oslo", "country": "NO"}}
        });
        let row = BackfillRow {
            uuid: "ODR1000000001".into(),
            kind: Some("INVOICE".into()),
            request: Some(request.to_string()),
            created_at: 1_703_040_812_000.0,
        };
        let q = row.update();
        // Due 2024-01-03 (order date 2023-12-20 + 14).
        assert_eq!(
            q.params[0],
            SqlValue::Int(report::parse_day("2024-01-03").unwrap_or(0))
        );
        assert_eq!(q.params[1], SqlValue::Text(r#"{"2500":72000}"#.into()));
        let status_only = BackfillRow {
            uuid: "ODR1000000002".into(),
            created_at: 1_703_040_812_000.0,
            ..BackfillRow::default()
        };
        let q = status_only.update();
        assert_eq!(
            q.params[0],
            SqlValue::Int(report::parse_day("2023-12-20").unwrap_or(0))
        );
        assert_eq!(q.params[1], SqlValue::Null);
        assert!(bound(&backfill_sql()));
    }
}
