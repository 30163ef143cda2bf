//! The order index: orders created through the proxy (and, status only, orders learnt from a
//! sync or callback), served as `GET /console/orders` with keyset paging and search.

use frontdesk_core::order::base_by_rate;
use std::collections::BTreeMap;

use frontdesk_core::ids::fnr;
use frontdesk_core::proxy::{IndexedOrder, OrderRecord, OrdersPage, VatByRate};
use frontdesk_core::report::{self, AgeBucket, DateBasis, OUTSTANDING};
use frontdesk_core::{CreateOrder, OrderKind, OrderStatus};
use serde::Serialize;

use crate::book::Shelf;
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

/// A new row for an order created through the proxy: what the list, the search, the CSV and
/// the order page need of the validated request (and the request itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewOrder {
    pub uuid: String,
    pub customer_uuid: Option<String>,
    pub kind: &'static str,
    pub customer_name: String,
    pub first_name: Option<String>,
    /// Core's [`frontdesk_core::CustomerDetails::full_name`].
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub country_code: Option<String>,
    pub msisdn: Option<String>,
    pub reference: Option<String>,
    pub customer_reference: Option<String>,
    pub org_number: Option<String>,
    pub personal_number: Option<String>,
    pub order_date: i64,
    /// Days until due (invoice kinds; the provider's default when none was sent).
    pub invoice_maturity: Option<u16>,
    pub amount_ore: i64,
    /// Core's VAT per rate as JSON (`{"2500": øre}`).
    pub vat: Option<String>,
    /// The validated create request as JSON.
    pub request: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    /// Core's sales excluding VAT per rate as JSON (`{"2500": øre}`), beside `vat`.
    pub vat_base: Option<String>,
    /// The day its age counts from when unpaid ([`report::age_origin`]).
    pub due_day: i64,
}

/// A stored kind (`PAYMENT_LINK`, …); `None` for one this build does not know.
fn kind_of(stored: &str) -> Option<OrderKind> {
    OrderKind::ALL.into_iter().find(|k| k.as_str() == stored)
}

/// Trimmed, or `None` when blank.
fn nonblank(s: Option<&String>) -> Option<String> {
    s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
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
        let vat = VatByRate::of(&order.products)
            .ok()
            .and_then(|v| serde_json::to_string(&v).ok());
        let vat_base = base_by_rate(&order.products)
            .ok()
            .and_then(|v| serde_json::to_string(&VatByRate(v)).ok());
        NewOrder {
            uuid: uuid.to_owned(),
            customer_uuid: customer_uuid.map(str::to_owned),
            kind: kind.as_str(),
            customer_name: c.name.trim().to_owned(),
            first_name: nonblank(c.first_name.as_ref()),
            full_name: c.full_name(),
            email: nonblank(c.email.as_ref()),
            phone,
            country_code: nonblank(c.country_code.as_ref()),
            msisdn: nonblank(c.msisdn.as_ref()),
            reference: order.reference_no.clone(),
            customer_reference: nonblank(order.customer_reference.as_ref()),
            org_number: nonblank(c.organization_id.as_ref()),
            personal_number: nonblank(c.personal_number.as_ref()),
            order_date: order.order_date.0,
            invoice_maturity: order.maturity_days(kind),
            amount_ore: order.order_summary.grand_total.ore(),
            vat,
            request: serde_json::to_string(order).ok(),
            created_by: created_by.to_owned(),
            created_at: now_ms,
            vat_base,
            due_day: report::age_origin(order, kind),
        }
    }

    /// Insert (or fill in a row a sync created first; its status and notes stay).
    pub fn upsert(&self) -> Query {
        let mut q = Query::new("");
        let lower = |s: &Option<String>| s.as_ref().map(|v| v.to_lowercase());
        let cols: Vec<(&str, String)> = vec![
            ("uuid", q.bind(self.uuid.as_str())),
            ("customer_uuid", q.bind(self.customer_uuid.clone())),
            ("kind", q.bind(self.kind)),
            ("customer_name", q.bind(self.customer_name.as_str())),
            ("name_lc", q.bind(self.customer_name.to_lowercase())),
            ("last_lc", q.bind(last_word(&self.full_name))),
            ("email_lc", q.bind(lower(&self.email))),
            ("phone", q.bind(self.phone.as_ref().map(|p| digits(p)))),
            ("reference", q.bind(self.reference.clone())),
            ("reference_lc", q.bind(lower(&self.reference))),
            ("amount_ore", q.bind(self.amount_ore)),
            ("created_by", q.bind(self.created_by.as_str())),
            ("first_name", q.bind(self.first_name.clone())),
            ("full_name", q.bind(self.full_name.as_str())),
            ("full_lc", q.bind(self.full_name.to_lowercase())),
            ("rev_lc", q.bind(last_name_first(&self.full_name))),
            (
                "customer_reference",
                q.bind(self.customer_reference.clone()),
            ),
            (
                "customer_reference_lc",
                q.bind(lower(&self.customer_reference)),
            ),
            (
                "org_number",
                q.bind(self.org_number.as_ref().map(|o| digits(o))),
            ),
            ("personal_number", q.bind(self.personal_number.clone())),
            ("country_code", q.bind(self.country_code.clone())),
            ("msisdn", q.bind(self.msisdn.clone())),
            ("order_date", q.bind(self.order_date)),
            (
                "invoice_maturity",
                q.bind(self.invoice_maturity.map(i64::from)),
            ),
            ("vat", q.bind(self.vat.clone())),
            ("request", q.bind(self.request.clone())),
            ("vat_base", q.bind(self.vat_base.clone())),
            ("due_day", q.bind(self.due_day)),
        ];
        let now = q.bind(self.created_at);
        let names: Vec<&str> = cols.iter().map(|(c, _)| *c).collect();
        let values: Vec<&str> = cols.iter().map(|(_, p)| p.as_str()).collect();
        let updates: Vec<String> = names[1..]
            .iter()
            .map(|c| format!("{c}=excluded.{c}"))
            .collect();
        q.sql = format!(
            "INSERT INTO orders ({}, created_at, updated_at, source) VALUES ({}, {now}, {now}, 'proxy') \
             ON CONFLICT(uuid) DO UPDATE SET {}, source='proxy'",
            names.join(", "),
            values.join(", "),
            updates.join(", ")
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

/// `ola jakob nordmann` → `nordmann ola jakob`: a search for "Nordmann Ola" finds it too.
pub(crate) fn last_name_first(full: &str) -> String {
    let words: Vec<&str> = full.split_whitespace().collect();
    let turned = match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{last} {}", rest.join(" ")),
        _ => words.join(" "),
    };
    turned.to_lowercase()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// `paid_at` for a status recorded at `now_ms`: now if it says paid ([`report::is_paid`]).
/// Written as `COALESCE(paid_at, …)`, so it keeps the first time the order was seen paid.
fn paid_at(status: OrderStatus, now_ms: i64) -> Option<i64> {
    report::is_paid(status).then_some(now_ms)
}

/// Record a status read from upstream: update, or insert a status-only row (`source`). A row
/// unknown until now ages from today ([`report::oslo_day`]).
pub fn upsert_status(uuid: &str, status: OrderStatus, source: &str, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (u, s, src, now) = (
        q.bind(uuid),
        q.bind(status.as_str()),
        q.bind(source),
        q.bind(now_ms),
    );
    let (paid, day) = (
        q.bind(paid_at(status, now_ms)),
        q.bind(report::oslo_day(now_ms.div_euclid(1000))),
    );
    q.sql = format!(
        "INSERT INTO orders (uuid, status, created_at, updated_at, source, paid_at, due_day) \
         VALUES ({u}, {s}, {now}, {now}, {src}, {paid}, {day}) \
         ON CONFLICT(uuid) DO UPDATE SET status=excluded.status, updated_at=excluded.updated_at, \
         paid_at=COALESCE(orders.paid_at, excluded.paid_at), due_day=COALESCE(orders.due_day, excluded.due_day)"
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

/// Update the status only when the order is already indexed, and only when it changed (the
/// console asks for the status every few seconds: only a changed status is a write).
pub fn update_status(uuid: &str, status: OrderStatus, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (s, now, paid, u) = (
        q.bind(status.as_str()),
        q.bind(now_ms),
        q.bind(paid_at(status, now_ms)),
        q.bind(uuid),
    );
    q.sql = format!(
        "UPDATE orders SET status={s}, updated_at={now}, paid_at=COALESCE(paid_at, {paid}) WHERE uuid={u}"
    );
    let s = q.bind(status.as_str());
    q.sql.push_str(&format!(" AND status IS NOT {s}"));
    q
}

/// The note sent with a cancel that went through.
pub fn set_cancellation_note(uuid: &str, note: &str) -> Query {
    let mut q = Query::new("");
    let (n, u) = (q.bind(note), q.bind(uuid));
    q.sql = format!("UPDATE orders SET cancellation_note={n} WHERE uuid={u}");
    q
}

/// Set (or, with `None`, clear) the internal note of an indexed order.
pub fn set_note(uuid: &str, note: Option<&str>, by: &str, at_ms: i64) -> Query {
    let mut q = Query::new("");
    let (n, b, a, u) = (
        q.bind(note),
        q.bind(note.map(|_| by)),
        q.bind(note.map(|_| at_ms)),
        q.bind(uuid),
    );
    q.sql = format!("UPDATE orders SET note={n}, note_by={b}, note_at={a} WHERE uuid={u}");
    q
}

/// What the API said of an order beyond its status, when it said it: the invoice number, the
/// refunded amount. Only the members given are written; an unknown order is not created.
pub fn set_upstream_facts(
    uuid: &str,
    invoice_number: Option<&str>,
    refunded_ore: Option<i64>,
) -> Option<Query> {
    let mut q = Query::new("");
    let (mut sets, mut changed) = (Vec::new(), Vec::new());
    let mut set = |col: &str, p: String| {
        sets.push(format!("{col}={p}"));
        changed.push(format!("{col} IS NOT {p}"));
    };
    if let Some(n) = invoice_number {
        set("invoice_number", q.bind(n));
    }
    if let Some(r) = refunded_ore {
        set("refunded_ore", q.bind(r));
    }
    if sets.is_empty() {
        return None;
    }
    let u = q.bind(uuid);
    // Only a change is a write (the console asks for the status every few seconds).
    q.sql = format!(
        "UPDATE orders SET {} WHERE uuid={u} AND ({})",
        sets.join(", "),
        changed.join(" OR ")
    );
    Some(q)
}

/// An order's kind and invoice number ([`InvoiceRow`]): is its invoice number still to learn?
pub fn invoice_sql(uuid: &str) -> Query {
    let mut q = Query::new("");
    let u = q.bind(uuid);
    q.sql = format!("SELECT kind, invoice_number FROM orders WHERE uuid = {u}");
    q
}

/// A row of [`invoice_sql`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct InvoiceRow {
    pub kind: Option<String>,
    pub invoice_number: Option<String>,
}

impl InvoiceRow {
    /// An invoice order (invoice, E-Faktura, EHF) whose invoice number the index lacks.
    pub fn lacks_invoice_number(&self) -> bool {
        let invoice_kind = self
            .kind
            .as_deref()
            .and_then(|k| {
                serde_json::from_value::<OrderKind>(serde_json::Value::String(k.to_owned())).ok()
            })
            .is_some_and(OrderKind::is_invoice);
        invoice_kind && self.invoice_number.is_none()
    }
}

/// Most uuids looked up by one [`known_sql`] (D1 binds at most 100 parameters).
pub const KNOWN_PER_QUERY: usize = 90;

/// Which of these upstream orders the index knows, and how ([`KnownRow`]); at most
/// [`KNOWN_PER_QUERY`] uuids.
pub fn known_sql(uuids: &[String]) -> Query {
    let mut q = Query::new("");
    let ps: Vec<String> = uuids.iter().map(|u| q.bind(u.as_str())).collect();
    q.sql = format!(
        "SELECT uuid, source, created_at FROM orders WHERE uuid IN ({})",
        ps.join(",")
    );
    q
}

/// A row of [`known_sql`] (D1 gives numbers as floats).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct KnownRow {
    pub uuid: String,
    pub source: String,
    pub created_at: f64,
}

impl KnownRow {
    /// Could this order be a create attempted at `attempt_at`? Not if the proxy made it; yes
    /// if the index learnt it (a sync, a callback) only since the attempt.
    pub fn learnt_since(&self, attempt_at: i64) -> bool {
        self.source != "proxy" && self.created_at as i64 >= attempt_at
    }
}

/// Refunded øre: what the API last said, else the refunds that went through the proxy (2xx,
/// not replays).
/// (`+a.action`: the order's rows by `audit_log_order`, not every refund by `audit_log_action`.)
pub(crate) const REFUNDED_SQL: &str = "COALESCE(refunded_ore, (SELECT SUM(a.amount_ore) FROM audit_log a \
     WHERE a.order_uuid = orders.uuid AND +a.action = 'refundOrder' AND a.replayed = 0 \
     AND a.status BETWEEN 200 AND 299))";

/// One order's record for `GET /console/orders/{uuid}` (see [`RecordRow`]): columns named as
/// core's [`OrderRecord`] members.
pub fn record_sql(uuid: &str) -> Query {
    let mut q = Query::new("");
    let u = q.bind(uuid);
    q.sql = format!(
        "SELECT uuid, source, kind, created_by AS createdBy, created_at AS createdAt, request, \
         full_name AS fullName, cancellation_note AS cancellationNote, note, note_by AS noteBy, \
         note_at AS noteAt, vat, invoice_number AS invoiceNumber, {REFUNDED_SQL} AS refundedOre \
         FROM orders WHERE uuid = {u}"
    );
    q
}

/// A row of [`record_sql`] as D1 gives it: core's [`OrderRecord`] straight from the columns
/// that carry its members' names, beside the columns stored as text that core types (the
/// kind, JSON). [`RecordRow::record`] is what the console reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct RecordRow {
    #[serde(flatten)]
    pub record: OrderRecord,
    #[serde(default)]
    pub kind: Option<String>,
    /// VAT per rate as stored (JSON text).
    #[serde(default)]
    pub vat: Option<String>,
    /// The validated create request as stored (JSON text).
    #[serde(default)]
    pub request: Option<String>,
}

impl RecordRow {
    /// The typed record; an unknown kind or unreadable stored JSON reads as absent, and who
    /// wrote the note and when only beside a note.
    pub fn record(self) -> OrderRecord {
        let mut record = OrderRecord {
            kind: self.kind.as_deref().and_then(kind_of),
            vat: stored_vat(self.vat.as_deref()),
            ..self.record
        };
        if record.note.is_none() {
            (record.note_by, record.note_at) = (None, None);
        }
        match self
            .request
            .and_then(|r| serde_json::from_str::<CreateOrder>(&r).ok())
        {
            Some(request) => record.with_request(request),
            None => record,
        }
    }
}

/// VAT per rate as stored (JSON text); unreadable reads as absent.
fn stored_vat(text: Option<&str>) -> Option<VatByRate> {
    text.and_then(|v| serde_json::from_str(v).ok())
}

/// The columns of a page row ([`OrderRow`]), named as core's [`IndexedOrder`] members (the
/// e-mail as indexed, lower case), the refunded amount last.
const PAGE_COLUMNS: &str = "uuid, customer_uuid AS customerUuid, kind, customer_name AS customerName, \
     email_lc AS email, phone, reference, amount_ore AS amountOre, created_by AS createdBy, \
     created_at AS createdAt, status, updated_at AS updatedAt, source, first_name AS firstName, \
     full_name AS fullName, country_code AS countryCode, msisdn, \
     customer_reference AS customerReference, org_number AS orgNumber, \
     personal_number AS personalNumber, order_date AS orderDate, \
     invoice_maturity AS invoiceMaturity, vat, invoice_number AS invoiceNumber";

/// A row of [`OrdersQuery::page_sql`] as D1 gives it: core's [`IndexedOrder`] straight from
/// the columns that carry its members' names, beside the columns stored as text that core
/// types (kind, status, VAT as JSON). [`OrderRow::indexed`] is what the console reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct OrderRow {
    #[serde(flatten)]
    pub order: IndexedOrder,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    /// VAT per rate as stored (JSON text).
    #[serde(default)]
    pub vat: Option<String>,
}

impl OrderRow {
    /// The row as the console reads it (core's [`IndexedOrder`]): an unknown kind or status
    /// and unreadable VAT read as absent, the personal number masked unless `whole` (admins;
    /// the bookkeeper's CSV, issue 14).
    pub fn indexed(self, whole: bool) -> IndexedOrder {
        let order = self.order;
        IndexedOrder {
            kind: self.kind.as_deref().and_then(kind_of),
            status: self.status.as_deref().and_then(|s| s.parse().ok()),
            vat: stored_vat(self.vat.as_deref()),
            personal_number: if whole {
                order.personal_number
            } else {
                order.personal_number.map(|pn| fnr::mask(&pn))
            },
            ..order
        }
    }
}

/// A row of [`OrdersQuery::counts_sql`]: orders per status (`UNKNOWN` for none).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct CountRow {
    pub status: String,
    pub n: i64,
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

/// `GET /console/orders?status=&q=&cursor=&limit=&sort=&from=&to=&basis=&overdue=&outstanding=`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrdersQuery {
    pub status: Option<OrderStatus>,
    pub q: Option<String>,
    pub cursor: Option<(i64, String)>,
    pub limit: u32,
    pub sort: Sort,
    /// `from`/`to`: Oslo days (both included, either alone) on the date `basis` names.
    pub dates: Option<DateRange>,
    /// `overdue=0-14|15-30|31-60|60+`: unpaid orders that many days past their age origin.
    pub overdue: Option<AgeBucket>,
    /// `outstanding=1`: unpaid orders ([`OUTSTANDING`]).
    pub outstanding: bool,
    /// `customer=cus_…`: the orders sent to this entry of the customer book (by the index's
    /// `customer_id`, which the create path sets).
    pub customer: Option<String>,
    /// Today's Oslo day (days since 1970-01-01), for `overdue` ([`OrdersQuery::on_day`]).
    pub today: i64,
}

/// The list's date filter: `[lo, hi)` on `column`, in the column's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// `created_at` (no `basis`), `order_date` (`basis=orderDate`, seconds) or `paid_at`
    /// (`basis=paymentDate`).
    pub column: &'static str,
    pub lo: Option<i64>,
    pub hi: Option<i64>,
}

/// The value of `k`, trimmed, unless blank.
pub(crate) fn param<'a>(pairs: &'a [(String, String)], k: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// A page's `limit`: 1 to `max`, `default` when not given; anything else is a 400.
pub(crate) fn limit_param(
    pairs: &[(String, String)],
    max: u32,
    default: u32,
) -> Result<u32, ProxyError> {
    match param(pairs, "limit") {
        Some(l) => l
            .parse::<u32>()
            .ok()
            .filter(|l| (1..=max).contains(l))
            .ok_or(ProxyError::BadQuery("limit")),
        None => Ok(default),
    }
}

impl DateRange {
    /// `from`, `to` and `basis` of a query; `None` without either date.
    fn parse(pairs: &[(String, String)]) -> Result<Option<DateRange>, ProxyError> {
        let day = |k: &'static str| -> Result<Option<i64>, ProxyError> {
            param(pairs, k)
                .map(|v| report::parse_day(v).ok_or(ProxyError::BadQuery(k)))
                .transpose()
        };
        let (from, to) = (day("from")?, day("to")?);
        let (column, unit) = match param(pairs, "basis").map(|b| DateBasis::parse(Some(b))) {
            None => ("created_at", 1000),
            Some(Some(DateBasis::OrderDate)) => ("order_date", 1),
            Some(Some(DateBasis::PaymentDate)) => ("paid_at", 1000),
            Some(None) => return Err(ProxyError::BadQuery("basis")),
        };
        if from.is_none() && to.is_none() {
            return Ok(None);
        }
        Ok(Some(DateRange {
            column,
            lo: from.map(|d| report::day_start(d) * unit),
            hi: to.map(|d| report::day_start(d + 1) * unit),
        }))
    }
}

/// `overdue=` and `outstanding=` of a query.
fn parse_unpaid(pairs: &[(String, String)]) -> Result<(Option<AgeBucket>, bool), ProxyError> {
    let overdue = param(pairs, "overdue")
        .map(|v| {
            v.parse::<AgeBucket>()
                .map_err(|_| ProxyError::BadQuery("overdue"))
        })
        .transpose()?;
    let outstanding = match param(pairs, "outstanding") {
        None | Some("0" | "false") => false,
        Some("1" | "true") => true,
        Some(_) => return Err(ProxyError::BadQuery("outstanding")),
    };
    Ok((overdue, outstanding))
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
        let limit = limit_param(pairs, MAX_LIMIT, DEFAULT_LIMIT)?;
        let sort =
            Sort::parse(get("sort").unwrap_or_default()).ok_or(ProxyError::BadQuery("sort"))?;
        let (overdue, outstanding) = parse_unpaid(pairs)?;
        let customer = match get("customer").filter(|c| !c.is_empty()) {
            Some(c) if Shelf::Customers.is_id(c) => Some(c.to_owned()),
            Some(_) => return Err(ProxyError::BadQuery("customer")),
            None => None,
        };
        Ok(OrdersQuery {
            status,
            q,
            cursor,
            limit,
            sort,
            dates: DateRange::parse(pairs)?,
            overdue,
            outstanding,
            customer,
            today: 0,
        })
    }

    /// The same query on `today` (an Oslo day, [`report::oslo_day`]), which `overdue` needs.
    pub fn on_day(self, today: i64) -> OrdersQuery {
        OrdersQuery { today, ..self }
    }

    /// The conditions of `from`/`to`, `overdue` and `outstanding`, for the page and the counts.
    fn filters(&self, q: &mut Query) -> Vec<String> {
        let mut conds = Vec::new();
        if let Some(r) = &self.dates {
            if let Some(lo) = r.lo {
                conds.push(format!("{} >= {}", r.column, q.bind(lo)));
            }
            if let Some(hi) = r.hi {
                conds.push(format!("{} < {}", r.column, q.bind(hi)));
            }
        }
        if self.outstanding || self.overdue.is_some() {
            conds.push(format!(
                "status IN ({})",
                crate::report::statuses_sql(OUTSTANDING)
            ));
        }
        if let Some(customer) = &self.customer {
            conds.push(format!("customer_id = {}", q.bind(customer.as_str())));
        }
        if let Some(bucket) = self.overdue {
            let (earliest, latest) = bucket.origin_days(self.today);
            conds.push(format!("due_day <= {}", q.bind(latest)));
            if let Some(e) = earliest {
                conds.push(format!("due_day >= {}", q.bind(e)));
            }
        }
        conds
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
        // Names in either order ("Ola Nordmann", "nordmann ola"), one space between words.
        let lc = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        for col in [
            "name_lc",
            "last_lc",
            "full_lc",
            "rev_lc",
            "email_lc",
            "reference_lc",
            "customer_reference_lc",
        ] {
            range(q, col, lc.clone());
        }
        range(q, "uuid", text.to_uppercase());
        let d = digits(text);
        if d.len() >= 3 && d.len() + 2 >= text.trim_start_matches('+').len() {
            range(q, "phone", d.clone());
            // Phones are stored with the calling code: also match the national number.
            range(q, "phone", format!("47{d}"));
            // Organisation numbers are typed with spaces too (`923 609 016`).
            range(q, "org_number", d.clone());
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
        conds.extend(self.filters(&mut q));
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
            "SELECT {PAGE_COLUMNS}, {REFUNDED_SQL} AS refundedOre \
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
        let mut conds = self.filters(&mut q);
        q.sql = match self.search(&mut q, Plan::Indexes) {
            None => format!(
                "SELECT IFNULL(status, 'UNKNOWN') AS status, COUNT(*) AS n FROM orders{} GROUP BY status",
                where_clause(&conds)
            ),
            Some(cond) => {
                conds.push(cond);
                let cap = q.bind(SEARCH_COUNT_CAP + 1);
                format!(
                    "SELECT status, COUNT(*) AS n FROM (SELECT IFNULL(status, 'UNKNOWN') AS status FROM orders{} \
                     LIMIT {cap}) GROUP BY status",
                    where_clause(&conds)
                )
            }
        };
        q
    }

    /// How to find the page of this query, from its counts: a search matching more than
    /// [`SEARCH_COUNT_CAP`] scans.
    pub fn plan(&self, counts: &[CountRow]) -> Plan {
        match self.q {
            Some(_) => Plan::for_matches(counts.iter().map(|c| c.n).sum()),
            None => Plan::Indexes,
        }
    }

    /// The page answered from the rows of [`Self::page_sql`] (one more than the limit when
    /// there is a next page) and of [`Self::counts_sql`]; `whole`: see [`OrderRow::indexed`].
    pub fn page(&self, rows: Vec<OrderRow>, counts: &[CountRow], whole: bool) -> OrdersPage {
        let limit = self.limit as usize;
        let mut items: Vec<IndexedOrder> = rows.into_iter().map(|r| r.indexed(whole)).collect();
        let next_cursor = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|o| self.next_cursor(o))
        } else {
            None
        };
        // Past the cap the per-status split of the first matches would mislead: say "many".
        let capped = self.plan(counts) == Plan::Scan;
        let counts: BTreeMap<String, i64> = if capped {
            BTreeMap::new()
        } else {
            counts.iter().map(|c| (c.status.clone(), c.n)).collect()
        };
        let total = match (capped, self.status) {
            (true, _) => SEARCH_COUNT_CAP,
            (false, Some(s)) => counts.get(s.as_str()).copied().unwrap_or(0),
            (false, None) => counts.values().sum(),
        };
        OrdersPage {
            items,
            next_cursor,
            counts,
            total,
            counts_capped: capped,
        }
    }

    /// The next cursor from the last order of a full page (`amount_ore` None sorts as -1).
    pub fn next_cursor(&self, last: &IndexedOrder) -> String {
        let key = match self.sort {
            Sort::CreatedDesc | Sort::CreatedAsc => last.created_at,
            Sort::UpdatedDesc | Sort::UpdatedAsc => last.updated_at,
            Sort::AmountDesc | Sort::AmountAsc => last.amount_ore.unwrap_or(-1),
        };
        cursor::encode(key, &last.uuid)
    }
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

/// Query pairs as a parsed URL gives them, from literals (test helper).
pub fn owned_pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// Does `param` list contain `SqlValue::Text(s)`? (test helper)
pub fn has_text(params: &[SqlValue], s: &str) -> bool {
    params
        .iter()
        .any(|p| matches!(p, SqlValue::Text(t) if t == s))
}

#[cfg(test)]
mod tests {
    use super::owned_pairs as pairs;
    use super::*;

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
            ("customer", "cus_1"),
            ("customer", "prd_0123456789abcdef0123"),
        ] {
            assert!(OrdersQuery::parse(&pairs(&[bad])).is_err(), "{bad:?}");
        }
        let theirs = OrdersQuery::parse(&pairs(&[("customer", "cus_0123456789abcdef0123")]))
            .unwrap_or_else(|_| panic!());
        let sql = theirs.page_sql(Plan::Indexes);
        assert!(sql.sql.contains("customer_id = ?1"), "{}", sql.sql);
        assert!(
            sql.params
                .contains(&SqlValue::Text("cus_0123456789abcdef0123".into()))
        );
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
    fn full_names_customer_references_and_org_numbers_are_searched() {
        let q =
            OrdersQuery::parse(&pairs(&[("q", "  Ola   Nordmann ")])).unwrap_or_else(|_| panic!());
        let sql = q.page_sql(Plan::Indexes);
        assert!(has_text(&sql.params, "ola nordmann"));
        for col in ["full_lc", "rev_lc", "customer_reference_lc"] {
            assert!(
                sql.sql.contains(&format!("({col} >= ?")),
                "{col}: {}",
                sql.sql
            );
        }
        let org = OrdersQuery::parse(&pairs(&[("q", "923 609 016")])).unwrap_or_else(|_| panic!());
        let sql = org.page_sql(Plan::Indexes);
        assert!(sql.sql.contains("(org_number >= ?") && has_text(&sql.params, "923609016"));
        // The CSV's columns come with every page.
        for column in [
            "full_name",
            "vat",
            "invoice_number",
            "refunded_ore",
            "personal_number",
        ] {
            assert!(sql.sql.contains(column), "{column}");
        }
        assert_eq!(last_name_first("Ola Jakob  Nordmann"), "nordmann ola jakob");
        assert_eq!(last_name_first("Cher"), "cher");
    }

    #[test]
    fn a_created_order_keeps_what_it_was_sent_with() {
        let order: CreateOrder = serde_json::from_value(serde_json::json!({
            "products": [
                {"name": "A", "quantity": "1", "rate": 1000, "discount": 100, "tax": "25", "amount": 900},
                {"name": "B", "quantity": "2", "rate": 50, "tax": "15", "amount": 100}
            ],
            "orderSummary": {"subTotal": "886.96", "totalTax": "193.04", "totalDiscount": "100.00", "grandTotal": "1000.00"},
            "orderDate": "1703040812",
            "invoiceMaturity": 14,
            "customerReference": " PO-77 ",
            "referenceNo": "R-1",
            "customerDetails": {"type": "corporate", "countryCode": "+47", "msisdn": "91234567",
                "firstName": "Ola", "name": "Nordmann", "organizationId": "923609016",
                "address": {"street": "s", "zip": "0155", "city": "Oslo", "country": "NO"}}
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        let row = NewOrder::from_create(OrderKind::Invoice, &order, "ODR1000000001", None, "u", 5);
        assert_eq!(row.full_name, "Ola Nordmann");
        assert_eq!(row.customer_reference.as_deref(), Some("PO-77"));
        assert_eq!(row.org_number.as_deref(), Some("923609016"));
        assert_eq!(row.invoice_maturity, Some(14));
        assert_eq!(row.vat.as_deref(), Some(r#"{"1500":1304,"2500":18000}"#));
        // Base per rate beside it (amount − VAT), and due 14 days after 2023-12-20.
        assert_eq!(
            row.vat_base.as_deref(),
            Some(r#"{"1500":8696,"2500":72000}"#)
        );
        assert_eq!(Some(row.due_day), report::parse_day("2024-01-03"));
        let back: CreateOrder = serde_json::from_str(row.request.as_deref().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, order);
        let q = row.upsert();
        assert!(has_text(&q.params, "ola nordmann") && has_text(&q.params, "nordmann ola"));
        assert!(has_text(&q.params, "po-77"));
        let placeholders = q.sql.matches('?').count();
        assert_eq!(placeholders, q.params.len() + 1, "{}", q.sql); // `now` twice
        let conflict = "ON CONFLICT(uuid) DO UPDATE SET customer_uuid=excluded.customer_uuid";
        assert!(q.sql.contains(conflict), "{}", q.sql);
    }

    /// A page row as D1 gives it: an object keyed by the query's result names.
    fn page_row(uuid: &str, created_at: i64) -> OrderRow {
        serde_json::from_value(serde_json::json!({
            "uuid": uuid, "customerUuid": null, "kind": "EHF", "status": "PAID",
            "email": "kari@example.no", "personalNumber": "01019012345",
            "vat": r#"{"2500":18000}"#, "amountOre": 90_000, "createdAt": created_at,
            "updatedAt": created_at, "source": "proxy", "orderDate": null, "refundedOre": null
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn page_columns_are_named_as_core_s_members() {
        let members = serde_json::to_value(IndexedOrder::default()).unwrap_or_default();
        let names: Vec<&str> = PAGE_COLUMNS
            .split(',')
            .filter_map(|c| c.split_whitespace().last())
            .collect();
        assert_eq!(names.len(), 24);
        for name in names.iter().chain(&["refundedOre"]) {
            assert!(members.get(name).is_some(), "{name} is not a member");
        }
        let row = page_row("ODR1000000001", 5);
        assert_eq!(
            (
                row.order.created_at,
                row.order.amount_ore,
                row.kind.as_deref()
            ),
            (5, Some(90_000), Some("EHF"))
        );
        // Kind and status this build does not know, and unreadable VAT, read as absent.
        let odd = OrderRow {
            kind: Some("CRYPTO".into()),
            status: Some("LOST".into()),
            vat: Some("{".into()),
            ..row
        }
        .indexed(true);
        assert_eq!((odd.kind, odd.status, odd.vat), (None, None, None));
    }

    #[test]
    fn a_page_is_core_s_orders_page() {
        let row = page_row;
        let count = |status: &str, n| CountRow {
            status: status.into(),
            n,
        };
        let q = OrdersQuery::parse(&pairs(&[("limit", "1")])).unwrap_or_else(|_| panic!());
        let rows = vec![row("ODR1000000002", 2), row("ODR1000000001", 1)];
        let counts = [count("PAID", 2), count("UNKNOWN", 1)];
        let page = q.page(rows.clone(), &counts, false);
        assert_eq!(
            (page.items.len(), page.total, page.counts_capped),
            (1, 3, false)
        );
        let first = &page.items[0];
        assert_eq!(
            (first.kind, first.status),
            (Some(OrderKind::Ehf), Some(OrderStatus::Paid))
        );
        assert_eq!(first.email.as_deref(), Some("kari@example.no"));
        assert_ne!(
            first.personal_number.as_deref(),
            Some("01019012345"),
            "masked"
        );
        assert!(first.vat.is_some());
        assert_eq!(
            page.next_cursor.as_deref().and_then(cursor::decode),
            Some((2, "ODR1000000002".to_owned()))
        );
        let whole = q.page(rows, &counts, true);
        assert_eq!(
            whole.items[0].personal_number.as_deref(),
            Some("01019012345")
        );
        let search = OrdersQuery::parse(&pairs(&[("q", "kari"), ("status", "PAID")]))
            .unwrap_or_else(|_| panic!());
        assert_eq!(search.page(Vec::new(), &counts, false).total, 2);
        let many = [count("PAID", SEARCH_COUNT_CAP + 1)];
        let capped = search.page(Vec::new(), &many, false);
        assert!(capped.counts_capped && capped.counts.is_empty());
        assert_eq!((capped.total, capped.next_cursor), (SEARCH_COUNT_CAP, None));
    }

    #[test]
    fn records_read_back_typed() {
        // As D1 gives it: an object keyed by the query's result names.
        let row: RecordRow = serde_json::from_value(serde_json::json!({
            "uuid": "ODR1000000001", "source": "proxy", "kind": "INVOICE", "createdBy": null,
            "createdAt": 5, "request": "not json", "fullName": null, "cancellationNote": null,
            "note": "Call after 16", "noteBy": "user:a", "noteAt": 7,
            "vat": r#"{"2500":18000}"#, "invoiceNumber": null, "refundedOre": 2000
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        for name in [
            "createdAt",
            "noteBy",
            "noteAt",
            "refundedOre",
            "invoiceNumber",
        ] {
            assert!(
                record_sql("x").sql.contains(&format!("AS {name}")),
                "{name}"
            );
        }
        let unnoted = RecordRow {
            record: OrderRecord {
                note: None,
                ..row.record.clone()
            },
            ..row.clone()
        }
        .record();
        assert_eq!((unnoted.note_by, unnoted.note_at), (None, None));
        let r = row.clone().record();
        assert_eq!(r.kind, Some(OrderKind::Invoice));
        assert_eq!(
            (r.note.as_deref(), r.note_by.as_deref(), r.note_at),
            (Some("Call after 16"), Some("user:a"), Some(7))
        );
        assert_eq!(r.request, None);
        let request = r#"{"products": [], "orderSummary": {"subTotal": "0", "totalTax": "0", "totalDiscount": "0", "grandTotal": "0"},
            "orderDate": "1703040812", "referenceNo": "R-1", "customerReference": "PO-77",
            "customerDetails": {"firstName": "Ola", "name": "Nordmann", "address": {"street": "s", "zip": "0155", "city": "Oslo", "country": "NO"}}}"#;
        let r = RecordRow {
            request: Some(request.into()),
            ..row
        }
        .record();
        assert_eq!(
            (
                r.first_name.as_deref(),
                r.reference_no.as_deref(),
                r.customer_reference.as_deref()
            ),
            (Some("Ola"), Some("R-1"), Some("PO-77"))
        );
        assert!(r.request.is_some());
        assert_eq!(r.refunded_ore, Some(2000));
        assert!(r.vat.is_some());
        let cleared = set_note("ODR1000000001", None, "user:a", 9);
        assert_eq!(
            cleared.params[..3],
            [SqlValue::Null, SqlValue::Null, SqlValue::Null]
        );
        assert!(set_upstream_facts("ODR1000000001", None, None).is_none());
        let facts = set_upstream_facts("ODR1000000001", Some("99900753"), Some(100));
        assert!(facts.is_some_and(|q| q.sql.contains("invoice_number=?1, refunded_ore=?2")));
    }

    #[test]
    fn dates_overdue_and_outstanding_filter_the_page_and_the_counts() {
        let q = OrdersQuery::parse(&pairs(&[("from", "2024-03-01"), ("to", "2024-03-31")]))
            .unwrap_or_else(|_| panic!());
        // Oslo days on created_at: 2024-03-01 00:00 CET to 2024-04-01 00:00 CEST.
        assert_eq!(
            q.dates,
            Some(DateRange {
                column: "created_at",
                lo: Some(1_709_247_600_000),
                hi: Some(1_711_922_400_000),
            })
        );
        let page = q.page_sql(Plan::Indexes);
        assert!(
            page.sql.contains("created_at >= ?1 AND created_at < ?2"),
            "{}",
            page.sql
        );
        assert!(q.counts_sql().sql.contains("WHERE created_at >= ?1"));
        let paid = OrdersQuery::parse(&pairs(&[("to", "2024-03-31"), ("basis", "paymentDate")]))
            .unwrap_or_else(|_| panic!());
        assert_eq!(
            paid.dates.map(|d| (d.column, d.lo)),
            Some(("paid_at", None))
        );
        let dated = OrdersQuery::parse(&pairs(&[("from", "2024-03-01"), ("basis", "orderDate")]))
            .unwrap_or_else(|_| panic!());
        assert_eq!(dated.dates.and_then(|d| d.lo), Some(1_709_247_600));

        let today = report::parse_day("2024-03-31").unwrap_or_default();
        let q = OrdersQuery::parse(&pairs(&[("overdue", "15-30"), ("q", "kari")]))
            .unwrap_or_else(|_| panic!())
            .on_day(today);
        assert_eq!(q.overdue, Some(AgeBucket::Days15To30));
        let page = q.page_sql(Plan::Indexes);
        assert!(
            page.sql.contains(
                "status IN ('SENT', 'INVOICED', 'RESERVED', 'REMINDER', 'DEBT COLLECTION')"
            )
        );
        assert!(
            page.sql.contains("due_day <= ?1 AND due_day >= ?2"),
            "{}",
            page.sql
        );
        assert_eq!(
            page.params[..2],
            [SqlValue::Int(today - 15), SqlValue::Int(today - 30)]
        );
        let counts = q.counts_sql();
        assert!(counts.sql.contains("due_day <= ?1") && counts.sql.contains("LIMIT ?"));
        let open = OrdersQuery::parse(&pairs(&[("outstanding", "1"), ("overdue", "60+")]))
            .unwrap_or_else(|_| panic!());
        assert!(open.outstanding && open.overdue == Some(AgeBucket::Over60));
        assert!(!open.page_sql(Plan::Indexes).sql.contains("due_day >="));
        for bad in [
            ("from", "2024-02-30"),
            ("to", "yesterday"),
            ("basis", "created"),
            ("overdue", "90+"),
            ("outstanding", "maybe"),
        ] {
            assert_eq!(
                OrdersQuery::parse(&pairs(&[bad, ("from", "2024-01-01")])).err(),
                Some(ProxyError::BadQuery(bad.0)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn amount_sort_pages_over_the_indexed_expression() {
        let q = OrdersQuery::parse(&pairs(&[("sort", "-amount")])).unwrap_or_else(|_| panic!());
        let row = IndexedOrder {
            uuid: "ODR1000000009".into(),
            created_at: 1,
            updated_at: 2,
            amount_ore: None,
            ..IndexedOrder::default()
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
        let with_amount = IndexedOrder {
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
        // The first time it is seen paid is kept.
        assert!(
            u.sql
                .contains("paid_at=COALESCE(orders.paid_at, excluded.paid_at)")
        );
        assert_eq!(u.params[4], SqlValue::Int(1));
        let sent = upsert_status("ODR1000000001", OrderStatus::Sent, "sync", 1);
        assert_eq!(sent.params[4], SqlValue::Null);
        let refunded = update_status("ODR1000000001", OrderStatus::Refunded, 7);
        assert!(refunded.sql.contains("paid_at=COALESCE(paid_at, ?3)"));
        assert_eq!(refunded.params[2], SqlValue::Int(7));
        let invoiced = update_status("ODR1000000001", OrderStatus::Invoiced, 7);
        assert_eq!(invoiced.params[2], SqlValue::Null);
        // Only a changed status is a write.
        assert!(invoiced.sql.ends_with("WHERE uuid=?4 AND status IS NOT ?5"));
        assert_eq!(invoiced.params[4], SqlValue::Text("INVOICED".into()));
        let w = await_reread("ODR1000000001", 5);
        assert!(w.sql.contains("DO NOTHING"), "{}", w.sql);
        assert!(has_text(&w.params, "ODR1000000001"));
    }

    #[test]
    fn invoice_numbers_to_learn_and_orders_known() {
        let row = |kind: Option<&str>, number: Option<&str>| InvoiceRow {
            kind: kind.map(str::to_owned),
            invoice_number: number.map(str::to_owned),
        };
        assert!(row(Some(OrderKind::Ehf.as_str()), None).lacks_invoice_number());
        assert!(!row(Some(OrderKind::Ehf.as_str()), Some("99900753")).lacks_invoice_number());
        assert!(!row(Some(OrderKind::PaymentLink.as_str()), None).lacks_invoice_number());
        assert!(!row(None, None).lacks_invoice_number());
        let q = known_sql(&["a".to_owned(), "b".to_owned()]);
        assert!(q.sql.ends_with("WHERE uuid IN (?1,?2)"), "{}", q.sql);
        assert!(has_text(&q.params, "b"));
        let known = |source: &str, at: f64| KnownRow {
            uuid: "a".into(),
            source: source.into(),
            created_at: at,
        };
        assert!(!known("proxy", 10.0).learnt_since(5));
        assert!(known("sync", 10.0).learnt_since(10));
        assert!(!known("sync", 4.0).learnt_since(5));
    }
}
