//! The overview and the VAT report (issue 20): the typed answers of `GET /console/overview` and
//! `GET /console/vat`, and the arithmetic behind them that is not a database's job.
//!
//! Which dates count:
//! - A [`Period`] is a run of whole Oslo calendar days, `from` and `to` included, at most
//!   [`MAX_PERIOD_DAYS`] long; the previous period is as long and ends the day before.
//! - Money in (paid, refunded, the paid series, top customers): orders first seen paid
//!   ([`is_paid`]) in the period, by the proxy's `paid_at`; an order's refunds count with it.
//! - Orders sent, outstanding and by status: orders created in the period.
//! - What is owed is a snapshot of the day asked: unpaid orders ([`OUTSTANDING`]) by days past
//!   their [`age_origin`]: an invoice's due date (order date + maturity,
//!   [`CreateOrder::due_date`]), a payment link's order date. Not yet due is in no bucket.
//! - The VAT report: paid orders whose order date or payment date ([`DateBasis`]) falls in the
//!   period, every refund of theirs deducted ([`refunded_by_rate`]).

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::clock;
use crate::money::{Money, Quantity, TaxRate};
use crate::order::{CreateOrder, MathError, Product, base_by_rate, line_totals, vat_by_rate};
use crate::requests::RefundedByLine;
use crate::responses::DetailProduct;
use crate::status::{OrderKind, OrderStatus};

const DAY: i64 = 86_400;

/// The longest period the proxy computes.
pub const MAX_PERIOD_DAYS: i64 = 366;
/// The paid series goes by day up to this many days, by week beyond.
pub const DAILY_UP_TO_DAYS: i64 = 60;

/// Oslo calendar days `from` to `to`, both included, as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub from: String,
    pub to: String,
}

/// Why a period is refused; [`PeriodError::param`] names the query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("from is not a date (YYYY-MM-DD)")]
    BadFrom,
    #[error("to is not a date (YYYY-MM-DD)")]
    BadTo,
    #[error("from is after to")]
    Reversed,
    #[error("a period is at most 366 days")]
    TooLong,
}

impl PeriodError {
    /// The query parameter at fault (`from`, `to`, or `period` for the two together).
    pub const fn param(self) -> &'static str {
        match self {
            PeriodError::BadFrom => "from",
            PeriodError::BadTo => "to",
            PeriodError::Reversed | PeriodError::TooLong => "period",
        }
    }
}

/// `2026-03-01` → days since 1970-01-01. Strict: four-digit year, two-digit month and day, a
/// real date.
pub fn parse_day(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let field = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (y, m, d) = (i64::from(field(0..4)?), field(5..7)?, field(8..10)?);
    let day = clock::days_from_civil(y, m, d);
    (clock::civil_from_days(day) == (y, m, d)).then_some(day)
}

/// Days since 1970-01-01 → `YYYY-MM-DD`.
pub fn format_day(day: i64) -> String {
    clock::format_date(clock::civil_from_days(day))
}

/// The Oslo calendar day of `unix` (seconds), as days since 1970-01-01.
pub fn oslo_day(unix: i64) -> i64 {
    let (y, m, d) = clock::oslo_date(unix);
    clock::days_from_civil(y, m, d)
}

/// Unix seconds of 00:00 in Oslo on `day` (days since 1970-01-01).
pub fn day_start(day: i64) -> i64 {
    // Noon UTC is always on the same Oslo day (13:00 or 14:00 there).
    clock::oslo_day_start(day * DAY + DAY / 2)
}

/// The Monday (days since 1970-01-01) of the week of `day`: weeks start on Monday.
pub fn monday_of(day: i64) -> i64 {
    // 1970-01-01 was a Thursday, three days after a Monday.
    day - (day + 3).rem_euclid(7)
}

impl Period {
    /// `from` and `to` as the query gave them.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Period, PeriodError> {
        let first = from
            .map(str::trim)
            .and_then(parse_day)
            .ok_or(PeriodError::BadFrom)?;
        let last = to
            .map(str::trim)
            .and_then(parse_day)
            .ok_or(PeriodError::BadTo)?;
        if first > last {
            return Err(PeriodError::Reversed);
        }
        if last - first + 1 > MAX_PERIOD_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(Period::of_days(first, last))
    }

    /// The days `first` to `last` (days since 1970-01-01).
    pub fn of_days(first: i64, last: i64) -> Period {
        Period {
            from: format_day(first),
            to: format_day(last),
        }
    }

    /// First and last day, or `None` when a date does not read.
    pub fn days(&self) -> Option<(i64, i64)> {
        Some((parse_day(&self.from)?, parse_day(&self.to)?))
    }

    /// How many days it has (0 when its dates do not read).
    pub fn len_days(&self) -> i64 {
        self.days().map_or(0, |(a, b)| (b - a + 1).max(0))
    }

    /// The period of the same length that ends the day before this one starts.
    pub fn previous(&self) -> Period {
        match self.days() {
            Some((a, b)) => Period::of_days(a - (b - a + 1), a - 1),
            None => self.clone(),
        }
    }

    /// Unix seconds `[start of from, start of the day after to)`; empty `(0, 0)` when a date
    /// does not read.
    pub fn bounds(&self) -> (i64, i64) {
        self.days()
            .map_or((0, 0), |(a, b)| (day_start(a), day_start(b + 1)))
    }

    /// [`Period::bounds`] in Unix milliseconds (the proxy's `created_at` and `paid_at`).
    pub fn bounds_ms(&self) -> (i64, i64) {
        let (lo, hi) = self.bounds();
        (lo * 1000, hi * 1000)
    }

    /// Is the instant `unix` (seconds) inside?
    pub fn contains(&self, unix: i64) -> bool {
        let (lo, hi) = self.bounds();
        lo <= unix && unix < hi
    }

    /// The Oslo calendar month of `now` (Unix seconds).
    pub fn this_month(now: i64) -> Period {
        let (y, m, _) = clock::oslo_date(now);
        months(y, m, m)
    }

    /// The Oslo calendar month before the one of `now`.
    pub fn last_month(now: i64) -> Period {
        let (y, m, _) = clock::oslo_date(now);
        if m == 1 {
            months(y - 1, 12, 12)
        } else {
            months(y, m - 1, m - 1)
        }
    }

    /// The VAT term (two months, [`vat_term`]) of `now`.
    pub fn vat_term_of(now: i64) -> Period {
        let (y, m, _) = clock::oslo_date(now);
        let term = u8::try_from(m.div_ceil(2)).unwrap_or(1);
        vat_term(i32::try_from(y).unwrap_or(i32::MAX), term)
    }
}

/// Months `first` to `last` (1–12) of `year`, whole.
fn months(year: i64, first: u32, last: u32) -> Period {
    let start = clock::days_from_civil(year, first, 1);
    let end = if last >= 12 {
        clock::days_from_civil(year + 1, 1, 1)
    } else {
        clock::days_from_civil(year, last + 1, 1)
    };
    Period::of_days(start, end - 1)
}

/// The VAT term (mva-termin) `term` of `year`: 1 = January–February … 6 = November–December
/// (out of range is clamped to 1..=6).
pub fn vat_term(year: i32, term: u8) -> Period {
    let t = u32::from(term.clamp(1, 6));
    months(i64::from(year), 2 * t - 1, 2 * t)
}

/// Paid by day or by week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Granularity {
    Day,
    Week,
}

impl Granularity {
    /// Days up to [`DAILY_UP_TO_DAYS`], weeks beyond.
    pub fn for_period(period: &Period) -> Granularity {
        if period.len_days() > DAILY_UP_TO_DAYS {
            Granularity::Week
        } else {
            Granularity::Day
        }
    }
}

/// One point of the paid series as the proxy asks the database for it: its label and the Unix
/// seconds it covers, `[lo, hi)`, clipped to the period (a week may start before `from`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesBucket {
    /// The day, or the week's Monday (`YYYY-MM-DD`).
    pub start: String,
    pub lo: i64,
    pub hi: i64,
}

/// The buckets of the period's paid series, in order, covering it exactly.
pub fn series_buckets(period: &Period) -> Vec<SeriesBucket> {
    let Some((first, last)) = period.days() else {
        return Vec::new();
    };
    let (mut start, step) = match Granularity::for_period(period) {
        Granularity::Day => (first, 1),
        Granularity::Week => (monday_of(first), 7),
    };
    let mut out = Vec::new();
    while start <= last {
        out.push(SeriesBucket {
            start: format_day(start),
            lo: day_start(start.max(first)),
            hi: day_start((start + step).min(last + 1)),
        });
        start += step;
    }
    out
}

/// The series from each bucket's sum (by bucket index; a bucket without payments is 0).
pub fn paid_series(buckets: &[SeriesBucket], sums: &BTreeMap<usize, i64>) -> Vec<PaidPoint> {
    buckets
        .iter()
        .enumerate()
        .map(|(i, b)| PaidPoint {
            start: b.start.clone(),
            paid_ore: sums.get(&i).copied().unwrap_or(0),
        })
        .collect()
}

/// Which date of an order places it in a period of the VAT report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DateBasis {
    /// The order's `orderDate` (the invoice date).
    #[default]
    OrderDate,
    /// When the proxy first saw it paid.
    PaymentDate,
}

impl DateBasis {
    pub const fn as_str(self) -> &'static str {
        match self {
            DateBasis::OrderDate => "orderDate",
            DateBasis::PaymentDate => "paymentDate",
        }
    }

    /// The query's `basis`: absent or blank is the order date.
    pub fn parse(s: Option<&str>) -> Option<DateBasis> {
        match s.map(str::trim).unwrap_or_default() {
            "" | "orderDate" => Some(DateBasis::OrderDate),
            "paymentDate" => Some(DateBasis::PaymentDate),
            _ => None,
        }
    }
}

/// Money in and orders of one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Amount of the orders first seen paid in the period.
    pub paid_ore: i64,
    /// Refunded of those orders.
    pub refunded_ore: i64,
    /// `paid_ore − refunded_ore`.
    pub net_ore: i64,
    /// Orders created in the period.
    pub sent: i64,
    /// Orders first seen paid in the period.
    pub paid: i64,
    /// Orders created in the period and not yet paid ([`OUTSTANDING`]).
    pub outstanding: i64,
    pub outstanding_ore: i64,
}

impl Totals {
    /// With `net_ore` worked out from paid and refunded.
    pub fn with_net(self) -> Totals {
        Totals {
            net_ore: self.paid_ore.saturating_sub(self.refunded_ore),
            ..self
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaidPoint {
    /// `YYYY-MM-DD` of the day, or of the week's Monday.
    pub start: String,
    pub paid_ore: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusCount {
    pub status: OrderStatus,
    pub count: i64,
    pub amount_ore: i64,
}

/// Days past an unpaid order's [`age_origin`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AgeBucket {
    #[serde(rename = "0-14")]
    Days0To14,
    #[serde(rename = "15-30")]
    Days15To30,
    #[serde(rename = "31-60")]
    Days31To60,
    /// 61 days and more.
    #[serde(rename = "60+")]
    Over60,
}

impl AgeBucket {
    pub const ALL: [AgeBucket; 4] = [
        AgeBucket::Days0To14,
        AgeBucket::Days15To30,
        AgeBucket::Days31To60,
        AgeBucket::Over60,
    ];

    /// The wire name (`"0-14"`, `"15-30"`, `"31-60"`, `"60+"`), also the list's `overdue=`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AgeBucket::Days0To14 => "0-14",
            AgeBucket::Days15To30 => "15-30",
            AgeBucket::Days31To60 => "31-60",
            AgeBucket::Over60 => "60+",
        }
    }

    /// Days past, fewest and most (`None`: no end), both included.
    pub const fn days(self) -> (i64, Option<i64>) {
        match self {
            AgeBucket::Days0To14 => (0, Some(14)),
            AgeBucket::Days15To30 => (15, Some(30)),
            AgeBucket::Days31To60 => (31, Some(60)),
            AgeBucket::Over60 => (61, None),
        }
    }

    /// The age origins (days since 1970-01-01) in this bucket on `today`: from the earliest
    /// (`None`: no limit) to the latest, both included. What the database compares `due_day`
    /// with.
    pub fn origin_days(self, today: i64) -> (Option<i64>, i64) {
        let (fewest, most) = self.days();
        (most.map(|m| today - m), today - fewest)
    }
}

impl FromStr for AgeBucket {
    type Err = ();
    /// The wire names; a `+` that arrived as a space in a query (`60 `) reads as `60+`.
    fn from_str(s: &str) -> Result<AgeBucket, ()> {
        let s = s.trim();
        let s = if s == "60" { "60+" } else { s };
        AgeBucket::ALL
            .into_iter()
            .find(|b| b.as_str() == s)
            .ok_or(())
    }
}

/// The bucket of an order `days_past` its age origin; `None` before it (not yet due).
pub fn age_bucket(days_past: i64) -> Option<AgeBucket> {
    AgeBucket::ALL.into_iter().find(|b| {
        let (fewest, most) = b.days();
        days_past >= fewest && most.is_none_or(|m| days_past <= m)
    })
}

/// The day (days since 1970-01-01) an unpaid order's age counts from: an invoice's due date
/// ([`CreateOrder::due_date`]: its order date + maturity, Oslo days), a payment link's order
/// date.
pub fn age_origin(order: &CreateOrder, kind: OrderKind) -> i64 {
    let (y, m, d) = order
        .due_date(kind)
        .unwrap_or_else(|| clock::oslo_date(order.order_date.0));
    clock::days_from_civil(y, m, d)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Owed {
    pub bucket: AgeBucket,
    pub count: i64,
    pub amount_ore: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TopCustomer {
    pub name: String,
    pub paid_ore: i64,
    pub orders: i64,
}

/// `GET /console/overview?from=&to=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub period: Period,
    pub previous: Period,
    pub current_totals: Totals,
    pub previous_totals: Totals,
    pub granularity: Granularity,
    pub paid_series: Vec<PaidPoint>,
    /// Orders created in the period per status (statuses with orders only, in
    /// [`OrderStatus::ALL`]'s order).
    pub by_status: Vec<StatusCount>,
    /// What is owed today, every [`AgeBucket`] in order.
    pub owed: Vec<Owed>,
    /// All orders in REMINDER today.
    pub reminders: StatusCount,
    /// All orders in DEBT COLLECTION today.
    pub debt_collection: StatusCount,
    /// By amount paid in the period, largest first.
    pub top_customers: Vec<TopCustomer>,
}

/// Money came in ([`crate::lifecycle::was_paid`]: paid, since refunded, completed).
pub fn is_paid(s: OrderStatus) -> bool {
    crate::lifecycle::was_paid(s)
}

/// The statuses [`is_paid`] counts, in [`OrderStatus::ALL`]'s order.
pub fn paid_statuses() -> Vec<OrderStatus> {
    OrderStatus::ALL
        .into_iter()
        .filter(|s| is_paid(*s))
        .collect()
}

/// Sent or invoiced and not paid yet: what is owed (a reservation not yet charged too).
pub const OUTSTANDING: [OrderStatus; 5] = [
    OrderStatus::Sent,
    OrderStatus::Invoiced,
    OrderStatus::Reserved,
    OrderStatus::Reminder,
    OrderStatus::DebtCollection,
];

pub fn is_outstanding(s: OrderStatus) -> bool {
    OUTSTANDING.contains(&s)
}

/// Base (excluding VAT) and VAT of some sales, or of refunds, at one rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineVat {
    pub base_ore: i64,
    pub vat_ore: i64,
}

impl LineVat {
    /// What the customer paid (or got back): base + VAT.
    pub fn amount_ore(self) -> i64 {
        self.base_ore.saturating_add(self.vat_ore)
    }

    /// An amount including VAT at `rate`, split as core splits a line: VAT rounded half away
    /// from zero, the base what is left.
    pub fn of_amount(amount: Money, rate: TaxRate) -> Result<LineVat, MathError> {
        let l = line_totals(Quantity(100), amount, Money::ZERO, rate)?;
        Ok(LineVat {
            base_ore: l.net.0,
            vat_ore: l.tax.0,
        })
    }

    fn plus(self, o: LineVat) -> LineVat {
        LineVat {
            base_ore: self.base_ore.saturating_add(o.base_ore),
            vat_ore: self.vat_ore.saturating_add(o.vat_ore),
        }
    }
}

/// Base and VAT per rate.
pub type ByRate = BTreeMap<TaxRate, LineVat>;

/// Add `more` into `into`, rate by rate.
pub fn add_into(into: &mut ByRate, more: &ByRate) {
    for (rate, v) in more {
        let slot = into.entry(*rate).or_default();
        *slot = slot.plus(*v);
    }
}

/// Base and VAT per rate from the two per-rate maps the proxy stores (`vat_base`, `vat`).
pub fn by_rate(base: &BTreeMap<TaxRate, Money>, vat: &BTreeMap<TaxRate, Money>) -> ByRate {
    let mut out = ByRate::new();
    for (rate, m) in base {
        out.entry(*rate).or_default().base_ore = m.0;
    }
    for (rate, m) in vat {
        out.entry(*rate).or_default().vat_ore = m.0;
    }
    out
}

/// An order's sales per rate from its lines: core's [`base_by_rate`] and [`vat_by_rate`].
pub fn sales_by_rate(products: &[Product]) -> Result<ByRate, MathError> {
    Ok(by_rate(&base_by_rate(products)?, &vat_by_rate(products)?))
}

/// Each `productList[].id` of an order with its VAT rate in basis points, as the proxy stores
/// it (`{"5410": 1250}`): refunds through Frontdesk name lines by that id.
pub type LineRates = BTreeMap<i64, i64>;

/// The line rates of an order's details.
pub fn line_rates(products: &[DetailProduct]) -> LineRates {
    products
        .iter()
        .map(|p| (p.id, p.tax.basis_points()))
        .collect()
}

/// What one order's refunds come to per rate.
///
/// `lines`: øre refunded through Frontdesk per line id (all its refunds summed); `total`: all
/// refunded on the order (the API's figure, else Frontdesk's refunds). A line whose rate is
/// known ([`LineRates`]) counts at that rate. The rest of `total` (refunds made elsewhere,
/// lines whose rate is not known) is split across the order's rates in proportion to its amount
/// per rate ([`split_by_amount`]). Each rate's refund is then split into base and VAT like a
/// line ([`LineVat::of_amount`]).
pub fn refunded_by_rate(
    sales: &ByRate,
    rates: &LineRates,
    lines: &RefundedByLine,
    total: Money,
) -> Result<ByRate, MathError> {
    let mut amounts: BTreeMap<TaxRate, i64> = BTreeMap::new();
    let mut known: i64 = 0;
    for (id, ore) in lines {
        if let Some(bp) = rates.get(id) {
            let slot = amounts.entry(TaxRate(*bp)).or_default();
            *slot = slot.checked_add(*ore).ok_or(MathError::Overflow)?;
            known = known.checked_add(*ore).ok_or(MathError::Overflow)?;
        }
    }
    let rest = total.0.saturating_sub(known);
    if rest > 0 {
        for (rate, part) in split_by_amount(rest, sales) {
            let slot = amounts.entry(rate).or_default();
            *slot = slot.checked_add(part).ok_or(MathError::Overflow)?;
        }
    }
    amounts
        .into_iter()
        .filter(|(_, ore)| *ore != 0)
        .map(|(rate, ore)| LineVat::of_amount(Money(ore), rate).map(|v| (rate, v)))
        .collect()
}

/// `total` øre (≥ 0) across the rates in proportion to each rate's amount (base + VAT), by the
/// largest remainder: each part rounded down, the øre left over one each to the largest
/// remainders (ties: the larger amount, then the higher rate), so the parts add up to `total`
/// exactly. Nothing when the order has no amount per rate.
pub fn split_by_amount(total: i64, sales: &ByRate) -> BTreeMap<TaxRate, i64> {
    let weights: Vec<(TaxRate, i128)> = sales
        .iter()
        .map(|(r, v)| (*r, i128::from(v.amount_ore())))
        .filter(|(_, w)| *w > 0)
        .collect();
    let sum: i128 = weights.iter().map(|(_, w)| w).sum();
    let t = i128::from(total.max(0));
    if sum <= 0 {
        return BTreeMap::new();
    }
    // (rate, part, remainder, weight)
    let mut parts: Vec<(TaxRate, i128, i128, i128)> = weights
        .iter()
        .map(|(r, w)| (*r, t * w / sum, t * w % sum, *w))
        .collect();
    let short = t - parts.iter().map(|p| p.1).sum::<i128>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        (parts[b].2, parts[b].3, parts[b].0).cmp(&(parts[a].2, parts[a].3, parts[a].0))
    });
    for &i in order.iter().take(usize::try_from(short).unwrap_or(0)) {
        parts[i].1 += 1;
    }
    parts
        .into_iter()
        .map(|(r, p, ..)| (r, i64::try_from(p).unwrap_or(i64::MAX)))
        .collect()
}

/// One paid order as the VAT report reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VatOrder {
    pub status: Option<OrderStatus>,
    /// The order's `orderDate`, Unix seconds.
    pub order_date: i64,
    /// When the proxy first saw it paid, Unix milliseconds.
    pub paid_at: Option<i64>,
    /// Its sales per rate ([`sales_by_rate`]).
    pub vat: ByRate,
    /// Its refunds per rate ([`refunded_by_rate`]).
    pub refunded: ByRate,
}

impl VatOrder {
    /// The instant (Unix seconds) that places it in a period.
    pub fn dated(&self, basis: DateBasis) -> Option<i64> {
        match basis {
            DateBasis::OrderDate => Some(self.order_date),
            DateBasis::PaymentDate => self.paid_at.map(|ms| ms.div_euclid(1000)),
        }
    }

    /// Paid, and dated in the period.
    pub fn counts_in(&self, period: &Period, basis: DateBasis) -> bool {
        self.status.is_some_and(is_paid) && self.dated(basis).is_some_and(|t| period.contains(t))
    }
}

/// One rate of the VAT report (the totals row too, whose `rate` means nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VatRow {
    pub rate: TaxRate,
    pub base_ore: i64,
    pub vat_ore: i64,
    pub refunded_base_ore: i64,
    pub refunded_vat_ore: i64,
    pub net_base_ore: i64,
    pub net_vat_ore: i64,
}

impl VatRow {
    pub fn new(rate: TaxRate, sold: LineVat, refunded: LineVat) -> VatRow {
        VatRow {
            rate,
            base_ore: sold.base_ore,
            vat_ore: sold.vat_ore,
            refunded_base_ore: refunded.base_ore,
            refunded_vat_ore: refunded.vat_ore,
            net_base_ore: sold.base_ore.saturating_sub(refunded.base_ore),
            net_vat_ore: sold.vat_ore.saturating_sub(refunded.vat_ore),
        }
    }

    fn sold(&self) -> LineVat {
        LineVat {
            base_ore: self.base_ore,
            vat_ore: self.vat_ore,
        }
    }

    fn refunded(&self) -> LineVat {
        LineVat {
            base_ore: self.refunded_base_ore,
            vat_ore: self.refunded_vat_ore,
        }
    }
}

/// The rates every report shows, even with nothing at them: 25, 15, 12 and 0 %.
pub const STANDARD_RATES: [TaxRate; 4] = [TaxRate(2500), TaxRate(1500), TaxRate(1200), TaxRate(0)];

/// `GET /console/vat?from=&to=&basis=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VatReport {
    pub period: Period,
    pub basis: DateBasis,
    /// The [`STANDARD_RATES`] and any other rate sold or refunded at, highest first.
    pub rows: Vec<VatRow>,
    /// The sum of the rows (its `rate` is 0 and means nothing).
    pub totals: VatRow,
}

impl VatReport {
    /// The report of sales and refunds already summed per rate (what the proxy's database
    /// gives).
    pub fn from_sums(
        period: Period,
        basis: DateBasis,
        sales: &ByRate,
        refunded: &ByRate,
    ) -> VatReport {
        let mut rates: Vec<TaxRate> = STANDARD_RATES
            .into_iter()
            .chain(sales.keys().copied())
            .chain(refunded.keys().copied())
            .collect();
        rates.sort_by(|a, b| b.cmp(a));
        rates.dedup();
        let rows: Vec<VatRow> = rates
            .into_iter()
            .map(|r| {
                let get = |m: &ByRate| m.get(&r).copied().unwrap_or_default();
                VatRow::new(r, get(sales), get(refunded))
            })
            .collect();
        let (sold, back) = rows
            .iter()
            .fold((LineVat::default(), LineVat::default()), |(s, b), row| {
                (s.plus(row.sold()), b.plus(row.refunded()))
            });
        VatReport {
            period,
            basis,
            rows,
            totals: VatRow::new(TaxRate(0), sold, back),
        }
    }
}

/// The VAT report of `orders`: the paid ones dated in the period by `basis`.
pub fn vat_report(orders: &[VatOrder], period: &Period, basis: DateBasis) -> VatReport {
    let (mut sales, mut refunded) = (ByRate::new(), ByRate::new());
    for o in orders.iter().filter(|o| o.counts_in(period, basis)) {
        add_into(&mut sales, &o.vat);
        add_into(&mut refunded, &o.refunded);
    }
    VatReport::from_sums(period.clone(), basis, &sales, &refunded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn day(s: &str) -> i64 {
        parse_day(s).unwrap()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn days_parse_strictly() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(format_day(day("2024-02-29")), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-00",
            "2024-1-01",
            "24-01-01",
            "2024/01/01",
            "2024-01-01T00",
            "",
            "2024-0é-01",
            "+024-01-01",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn periods_and_their_previous() {
        let p = Period::parse(Some("2024-03-01"), Some("2024-04-30")).unwrap();
        assert_eq!(p.len_days(), 61);
        assert_eq!(
            p.previous(),
            Period::of_days(day("2023-12-31"), day("2024-02-29"))
        );
        assert_eq!(p.previous().len_days(), 61);
        // 2024-03-01 00:00 CET = 2024-02-29 23:00 UTC; 2024-05-01 00:00 CEST = 04-30 22:00 UTC.
        assert_eq!(p.bounds(), (1_709_247_600, 1_714_514_400));
        assert!(p.contains(1_709_247_600) && !p.contains(1_709_247_599));
        assert!(!p.contains(1_714_514_400) && p.contains(1_714_514_399));
        let one = Period::parse(Some(" 2024-03-31 "), Some("2024-03-31")).unwrap();
        // The DST day has 23 hours.
        assert_eq!(one.bounds().1 - one.bounds().0, 23 * 3600);
        assert_eq!(one.previous().from, "2024-03-30");
        let err = |f: &str, t: &str| {
            Period::parse(Some(f), Some(t))
                .err()
                .map(PeriodError::param)
        };
        assert_eq!(err("2024-02-30", "2024-03-01"), Some("from"));
        assert_eq!(err("2024-03-01", "x"), Some("to"));
        assert_eq!(err("2024-03-02", "2024-03-01"), Some("period"));
        assert_eq!(err("2024-01-01", "2024-12-31"), None, "366 days");
        assert_eq!(err("2023-01-01", "2024-01-02"), Some("period"), "367 days");
        assert_eq!(
            Period::parse(None, Some("2024-01-01")),
            Err(PeriodError::BadFrom)
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn vat_terms_and_months() {
        assert_eq!(
            vat_term(2024, 1),
            Period::of_days(day("2024-01-01"), day("2024-02-29"))
        );
        assert_eq!(vat_term(2023, 1).to, "2023-02-28");
        assert_eq!(vat_term(2024, 2).from, "2024-03-01");
        assert_eq!(
            vat_term(2024, 6),
            Period::of_days(day("2024-11-01"), day("2024-12-31"))
        );
        assert_eq!(vat_term(2024, 9), vat_term(2024, 6));
        // 2024-06-15 23:30 UTC is June 16 in Oslo.
        let now = 1_718_494_200;
        assert_eq!(Period::vat_term_of(now), vat_term(2024, 3));
        assert_eq!(Period::this_month(now).to, "2024-06-30");
        assert_eq!(Period::last_month(now).from, "2024-05-01");
        // 2024-01-10: last month is December 2023.
        assert_eq!(Period::last_month(1_704_880_000).from, "2023-12-01");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn series_by_day_then_by_week_from_monday() {
        let p = Period::parse(Some("2024-03-01"), Some("2024-04-29")).unwrap();
        assert_eq!(p.len_days(), 60);
        assert_eq!(Granularity::for_period(&p), Granularity::Day);
        let b = series_buckets(&p);
        assert_eq!(b.len(), 60);
        assert_eq!((b[0].lo, b[59].hi), p.bounds());
        let p = Period::parse(Some("2024-03-01"), Some("2024-04-30")).unwrap();
        assert_eq!(Granularity::for_period(&p), Granularity::Week);
        let b = series_buckets(&p);
        // 2024-03-01 is a Friday: its week starts Monday 2024-02-26, counted from March 1.
        assert_eq!(b[0].start, "2024-02-26");
        assert_eq!(b[1].start, "2024-03-04");
        assert_eq!((b[0].lo, b.last().unwrap().hi), p.bounds());
        assert_eq!(b.last().unwrap().start, "2024-04-29");
        for w in b.windows(2) {
            assert_eq!(w[0].hi, w[1].lo);
        }
        assert_eq!(monday_of(0), day("1969-12-29"));
        let sums = BTreeMap::from([(1usize, 500i64)]);
        let s = paid_series(&b, &sums);
        assert_eq!((s[0].paid_ore, s[1].paid_ore), (0, 500));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn age_buckets_at_their_edges() {
        let cases = [
            (-1, None),
            (0, Some(AgeBucket::Days0To14)),
            (14, Some(AgeBucket::Days0To14)),
            (15, Some(AgeBucket::Days15To30)),
            (30, Some(AgeBucket::Days15To30)),
            (31, Some(AgeBucket::Days31To60)),
            (60, Some(AgeBucket::Days31To60)),
            (61, Some(AgeBucket::Over60)),
            (10_000, Some(AgeBucket::Over60)),
        ];
        for (d, want) in cases {
            assert_eq!(age_bucket(d), want, "{d}");
        }
        let today = 20_000;
        assert_eq!(
            AgeBucket::Days0To14.origin_days(today),
            (Some(19_986), 20_000)
        );
        assert_eq!(AgeBucket::Over60.origin_days(today), (None, 19_939));
        for b in AgeBucket::ALL {
            assert_eq!(b.as_str().parse(), Ok(b));
            assert_eq!(serde_json::to_value(b).unwrap(), json!(b.as_str()));
        }
        assert_eq!("60 ".parse(), Ok(AgeBucket::Over60));
        assert!("61+".parse::<AgeBucket>().is_err());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn ages_count_from_the_due_date_or_the_order_date() {
        let mut order: CreateOrder = serde_json::from_value(json!({
            "products": [], "orderDate": "1703040812", "invoiceMaturity": 14,
            "orderSummary": {"subTotal": "0", "totalTax": "0", "totalDiscount": "0", "grandTotal": "0"},
            "customerDetails": {"type": "private", "name": "Kari",
                "address": {"street": "s", "zip": "0155", "city": "Oslo", "country": "NO"}}
        }))
        .unwrap();
        assert_eq!(age_origin(&order, OrderKind::Invoice), day("2024-01-03"));
        assert_eq!(
            age_origin(&order, OrderKind::PaymentLink),
            day("2023-12-20")
        );
        order.invoice_maturity = None;
        assert_eq!(age_origin(&order, OrderKind::Ehf), day("2024-01-03"));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refunds_split_by_line_then_by_amount() {
        let sales: ByRate = [
            (
                TaxRate(2500),
                LineVat {
                    base_ore: 8000,
                    vat_ore: 2000,
                },
            ),
            (
                TaxRate(0),
                LineVat {
                    base_ore: 10_000,
                    vat_ore: 0,
                },
            ),
        ]
        .into();
        // 50.01 elsewhere: 2500.5 each, the odd øre to the higher rate (equal amounts).
        assert_eq!(
            split_by_amount(5001, &sales),
            BTreeMap::from([(TaxRate(0), 2500), (TaxRate(2500), 2501)])
        );
        let back = refunded_by_rate(
            &sales,
            &LineRates::new(),
            &RefundedByLine::new(),
            Money(5001),
        )
        .unwrap();
        assert_eq!(
            back[&TaxRate(2500)],
            LineVat {
                base_ore: 2001,
                vat_ore: 500
            }
        );
        assert_eq!(
            back[&TaxRate(0)],
            LineVat {
                base_ore: 2500,
                vat_ore: 0
            }
        );
        // A known line counts at its rate; the API's larger total puts the rest by amount.
        let rates: LineRates = [(7, 0)].into();
        let lines: RefundedByLine = [(7, 1000), (8, 400)].into();
        let back = refunded_by_rate(&sales, &rates, &lines, Money(3000)).unwrap();
        assert_eq!(back[&TaxRate(0)].amount_ore(), 1000 + 1000);
        assert_eq!(back[&TaxRate(2500)].amount_ore(), 1000);
        // An API figure behind Frontdesk's own refunds: the lines stand.
        let back = refunded_by_rate(&sales, &rates, &lines, Money(0)).unwrap();
        assert_eq!(back.values().map(|v| v.amount_ore()).sum::<i64>(), 1000);
        assert!(split_by_amount(100, &ByRate::new()).is_empty());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn wire_shapes() {
        let report = VatReport::from_sums(
            vat_term(2024, 2),
            DateBasis::PaymentDate,
            &[(
                TaxRate(1000),
                LineVat {
                    base_ore: 1000,
                    vat_ore: 100,
                },
            )]
            .into(),
            &ByRate::new(),
        );
        let rates: Vec<i64> = report.rows.iter().map(|r| r.rate.0).collect();
        assert_eq!(rates, [2500, 1500, 1200, 1000, 0]);
        let j = serde_json::to_value(&report).unwrap();
        assert_eq!(j["basis"], "paymentDate");
        assert_eq!(
            j["period"],
            json!({"from": "2024-03-01", "to": "2024-04-30"})
        );
        assert_eq!(
            j["rows"][3],
            json!({"rate": "10", "baseOre": 1000, "vatOre": 100, "refundedBaseOre": 0,
                   "refundedVatOre": 0, "netBaseOre": 1000, "netVatOre": 100})
        );
        assert_eq!(serde_json::from_value::<VatReport>(j).unwrap(), report);
        assert_eq!(DateBasis::parse(None), Some(DateBasis::OrderDate));
        assert_eq!(
            DateBasis::parse(Some("paymentDate")),
            Some(DateBasis::PaymentDate)
        );
        assert_eq!(DateBasis::parse(Some("created")), None);
        let t = Totals {
            paid_ore: 500,
            refunded_ore: 200,
            ..Totals::default()
        }
        .with_net();
        assert_eq!(serde_json::to_value(t).unwrap()["netOre"], 300);
        assert_eq!(serde_json::to_value(Granularity::Week).unwrap(), "week");
        assert!(is_paid(OrderStatus::PartialRefunded) && !is_paid(OrderStatus::Sent));
        assert_eq!(paid_statuses().len(), 4);
        assert!(is_outstanding(OrderStatus::Reminder) && !is_outstanding(OrderStatus::Expired));
    }
}
