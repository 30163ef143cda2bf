//! The create form: its pure side (draft data → API payload → core validation → issues by
//! dotted path) and its reactive state (one signal per field, per-line signals).

use std::collections::{BTreeMap, HashMap, HashSet};

use frontdesk_core::clock::{
    civil_from_days, days_from_civil, format_date, oslo_date, oslo_day_start,
};
use frontdesk_core::customer::{CustomerType, Language};
use frontdesk_core::ids::phone::normalize_msisdn;
use frontdesk_core::money::{Money, Quantity, TaxRate, num, parse_typed_hundredths};
use frontdesk_core::order::{LineTotals, OrderSummary, line_totals, sum_totals};
use frontdesk_core::status::OrderKind;
use frontdesk_core::validate::{
    Code, Context, DEFAULT_TAX_RATES, Issue, Report, allowed_maturities, default_maturity,
    validate_create,
};
use leptos::prelude::*;
use serde_json::{Map, Value, json};

use crate::draft::{self, DraftData, LineData, StoredDraft};
use crate::i18n::Texts;
pub use crate::server_errors::ErrorText;
use crate::server_errors::Placed;
use crate::util;

/// The merchant's VAT rates (configurable; the provider's defaults).
pub fn tax_rates() -> Vec<TaxRate> {
    DEFAULT_TAX_RATES.to_vec()
}

pub fn context(now: i64) -> Context {
    Context::new(now).with_tax_rates(tax_rates())
}

/// The customer type the rules go by: E-Faktura is private, EHF corporate.
pub fn effective_type(kind: OrderKind, typed: &str) -> CustomerType {
    match kind {
        OrderKind::EFaktura => CustomerType::Private,
        OrderKind::Ehf => CustomerType::Corporate,
        _ => CustomerType::parse(typed).unwrap_or(CustomerType::Private),
    }
}

fn strip_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A decimal typed into the console, in hundredths: `12,50`, `12.50` and `1 234,50` all work
/// (core's typed-amount parser). The one entry parser: what `Lang::amount_entry` writes, it
/// reads back.
pub fn parse_entry(s: &str) -> Option<i64> {
    parse_typed_hundredths(s).ok()
}

/// `percent` (in hundredths: 12.5 % is 1250) of `gross`, rounded half away from zero to the
/// øre: a discount typed in percent becomes the kr the API takes.
pub fn percent_of(gross: Money, percent: i64) -> Money {
    let n = i128::from(gross.0) * i128::from(percent);
    let (q, r) = (n / 10_000, n % 10_000);
    let rounded = if 2 * r.abs() >= 10_000 {
        q + n.signum()
    } else {
        q
    };
    Money(i64::try_from(rounded).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX }))
}

/// A line's discount in kr: as typed, or the typed percent of the line's gross (quantity ×
/// unit price, by core) rounded to the øre. Empty is no discount; `None` when it does not
/// compute.
pub fn discount_kr(l: &LineData) -> Option<Money> {
    let typed = l.discount.trim();
    if typed.is_empty() {
        return Some(Money::ZERO);
    }
    let value = parse_entry(typed)?;
    if !l.discount_percent {
        return Some(Money(value));
    }
    let q = parse_entry(&l.quantity)?;
    let r = parse_entry(&l.rate)?;
    let gross = line_totals(Quantity(q), Money(r), Money::ZERO, TaxRate(0))
        .ok()?
        .gross;
    Some(percent_of(gross, value))
}

/// One line's totals by core's VAT-inclusive math, when its numbers parse.
pub fn line_totals_of(l: &LineData) -> Option<LineTotals> {
    let q = parse_entry(&l.quantity)?;
    let r = parse_entry(&l.rate)?;
    let d = discount_kr(l)?;
    let t = parse_entry(&l.tax)?;
    line_totals(Quantity(q), Money(r), d, TaxRate(t)).ok()
}

/// The order summary of the lines that compute (core's sum).
pub fn summary_of(lines: &[LineData]) -> OrderSummary {
    let totals: Vec<LineTotals> = lines.iter().filter_map(line_totals_of).collect();
    sum_totals(&totals).unwrap_or_default()
}

fn money_json(h: i64) -> Value {
    num::serialize(&Money(h), serde_json::value::Serializer).unwrap_or(Value::Null)
}

fn line_json(l: &LineData) -> Value {
    let mut o = Map::new();
    o.insert("name".into(), l.name.trim().into());
    if !l.product_id.trim().is_empty() {
        o.insert("productId".into(), l.product_id.trim().into());
    }
    let q = l.quantity.trim();
    if !q.is_empty() {
        let v = match parse_entry(q) {
            Some(h) => serde_json::to_value(Quantity(h)).unwrap_or(Value::Null),
            None => q.into(),
        };
        o.insert("quantity".into(), v);
    }
    let r = l.rate.trim();
    if !r.is_empty() {
        o.insert(
            "rate".into(),
            parse_entry(r).map_or_else(|| r.into(), money_json),
        );
    }
    let d = l.discount.trim();
    o.insert(
        "discount".into(),
        if d.is_empty() {
            0.into()
        } else {
            discount_kr(l).map_or_else(|| d.into(), |m| money_json(m.0))
        },
    );
    let t = l.tax.trim();
    if !t.is_empty() {
        let v = match parse_entry(t) {
            Some(h) => serde_json::to_value(TaxRate(h)).unwrap_or(Value::Null),
            None => t.into(),
        };
        o.insert("tax".into(), v);
    }
    let amount = line_totals_of(l).map_or(0, |t| t.amount.0);
    o.insert("amount".into(), money_json(amount));
    Value::Object(o)
}

fn opt_text(s: &str) -> Value {
    let t = s.trim();
    if t.is_empty() { Value::Null } else { t.into() }
}

/// `sendOrderBy` with all three choices: a payment link goes as the merchant chose, an invoice
/// as an invoice (what the recorded `frontgo` client sent).
fn send_order_by(kind: OrderKind, d: &DraftData) -> Value {
    match kind {
        OrderKind::PaymentLink => {
            json!({"sms": d.send_sms, "email": d.send_email, "invoice": false})
        }
        _ => json!({"sms": false, "email": false, "invoice": true}),
    }
}

/// Today in Oslo as a date input shows it (`2026-01-15`).
pub fn today_iso(now: i64) -> String {
    format_date(oslo_date(now))
}

/// `2026-01-15` (a date input's value) → the Unix time at which that day starts in Oslo.
pub fn date_to_unix(iso: &str) -> Option<i64> {
    let mut parts = iso.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let days = days_from_civil(y, m, d);
    if !(1..=12).contains(&m) || civil_from_days(days) != (y, m, d) {
        return None;
    }
    Some(oslo_day_start(days * 86_400 + 12 * 3600))
}

/// `orderDate` as sent: `now` while the merchant keeps today, else the start of the chosen Oslo
/// day, in Unix seconds as the docs show it; a date that does not read goes as typed, for core
/// to name.
fn order_date_json(chosen: &str, now: i64) -> Value {
    let chosen = chosen.trim();
    if chosen.is_empty() {
        return now.to_string().into();
    }
    date_to_unix(chosen).map_or_else(|| chosen.into(), |t| t.to_string().into())
}

/// The `invoiceMaturity` the form shows and sends: the one chosen when core allows it for the
/// kind and customer type, else core's default for them (`None` for a payment link).
pub fn maturity_of(kind: OrderKind, ctype: CustomerType, typed: &str) -> Option<i64> {
    let allowed = allowed_maturities(kind, Some(ctype))?;
    typed
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|m| allowed.contains(m))
        .or_else(|| {
            default_maturity(kind, Some(ctype))
                .map(i64::from)
                .filter(|m| allowed.contains(m))
        })
        .or_else(|| allowed.first().copied())
}

/// The API payload of the form: for every kind the union of what the provider's docs and the
/// July 2025 recording of its live server require (`sendOrderBy` with `invoice`,
/// `isCreditCheckAvailable`, `invoiceAsPaymentOption`, `customerDetails.preferredLanguage`), so
/// one form succeeds against both; members a reading does not list are ignored by it. Line
/// `amount`s and the `orderSummary` come from core's math; `orderDate` is `now` (or the start
/// of the chosen Oslo day) in Unix seconds (the proxy rewrites it for an upstream that wants
/// `d M, Y`).
pub fn build_payload(kind: OrderKind, d: &DraftData, now: i64) -> Value {
    let ctype = effective_type(kind, &d.customer_type);
    let summary = summary_of(&d.lines);
    let mut root = Map::new();
    root.insert(
        "products".into(),
        Value::Array(d.lines.iter().map(line_json).collect()),
    );
    root.insert(
        "orderSummary".into(),
        serde_json::to_value(summary).unwrap_or(Value::Null),
    );
    root.insert("orderDate".into(), order_date_json(&d.order_date, now));
    root.insert("customerDetails".into(), customer_json(ctype, d));
    root.insert("sendOrderBy".into(), send_order_by(kind, d));
    root.insert("isCreditCheckAvailable".into(), false.into());
    if kind == OrderKind::PaymentLink {
        root.insert(
            "invoiceAsPaymentOption".into(),
            d.invoice_as_payment_option.into(),
        );
        root.insert("secureDetails".into(), d.secure_details.into());
    } else {
        root.insert("invoiceAsPaymentOption".into(), false.into());
        insert_invoice_members(&mut root, kind, ctype, d);
    }
    root.insert("referenceNo".into(), opt_text(&d.reference_no));
    root.insert("customerReference".into(), opt_text(&d.customer_reference));
    if !d.callback_url.trim().is_empty() {
        root.insert(
            "callback".into(),
            json!({"callbackUrl": d.callback_url.trim()}),
        );
    }
    Value::Object(root)
}

/// `customerDetails`: what was typed, the id that goes with the customer type, and always a
/// preferred language (the July 2025 server required it of an EHF).
fn customer_json(ctype: CustomerType, d: &DraftData) -> Value {
    let mut cd = Map::new();
    cd.insert("type".into(), ctype.as_str().into());
    let msisdn = normalize_msisdn(&d.msisdn);
    if !msisdn.is_empty() {
        let code = frontdesk_core::ids::country::find(&d.phone_country)
            .and_then(|c| c.calling_code)
            .unwrap_or(d.calling_code.trim());
        cd.insert("countryCode".into(), code.into());
        cd.insert("msisdn".into(), msisdn.into());
    }
    if !d.email.trim().is_empty() {
        cd.insert("email".into(), d.email.trim().into());
    }
    if !d.first_name.trim().is_empty() {
        cd.insert("firstName".into(), d.first_name.trim().into());
    }
    cd.insert("name".into(), d.name.trim().into());
    let language = match d.language.trim() {
        "" => Language::No.as_str(),
        l => l,
    };
    cd.insert("preferredLanguage".into(), language.into());
    let (id_key, id) = match ctype {
        CustomerType::Private => ("personalNumber", strip_spaces(&d.personal_number)),
        CustomerType::Corporate => ("organizationId", strip_spaces(&d.organization_id)),
    };
    if !id.is_empty() {
        cd.insert(id_key.into(), id.into());
    }
    cd.insert(
        "address".into(),
        json!({
            "street": d.street.trim(),
            "zip": d.zip.trim(),
            "city": d.city.trim(),
            "country": d.country.trim(),
        }),
    );
    Value::Object(cd)
}

/// The members of the three invoiced kinds; the maturity is the one shown ([`maturity_of`]).
fn insert_invoice_members(
    root: &mut Map<String, Value>,
    kind: OrderKind,
    ctype: CustomerType,
    d: &DraftData,
) {
    let interval = d.invoice_interval.trim().parse::<i64>().unwrap_or(0);
    root.insert("invoiceInterval".into(), interval.into());
    if let Some(m) = maturity_of(kind, ctype, &d.invoice_maturity) {
        root.insert("invoiceMaturity".into(), m.into());
    }
    root.insert("invoiceFeeApplicable".into(), d.invoice_fee.into());
    root.insert("separateInvoices".into(), d.separate_invoices.into());
}

/// The proxy supplies its own callback for E-Faktura and EHF when the create has none, so a
/// missing callback is not the merchant's problem.
fn proxy_fills(kind: OrderKind, d: &DraftData, issue: &Issue) -> bool {
    issue.field == "callback.callbackUrl"
        && issue.code == Code::Required
        && kind.is_invoice()
        && d.callback_url.trim().is_empty()
}

/// A missing calling code while no number is typed: the form always has one selected and
/// sends it with a number, so what is missing is the number (or the email), said there.
fn calling_code_unsent(d: &DraftData, issue: &Issue) -> bool {
    issue.field == "customerDetails.countryCode"
        && matches!(issue.code, Code::Required | Code::RequiredWithout)
        && normalize_msisdn(&d.msisdn).is_empty()
}

/// Core's verdict on the form, as the console shows it.
pub fn check(kind: OrderKind, d: &DraftData, now: i64) -> Report {
    let payload = build_payload(kind, d, now);
    let mut report = match validate_create(kind, &payload, &context(now)) {
        Ok(v) => Report {
            errors: vec![],
            warnings: v.warnings,
        },
        Err(r) => r,
    };
    report
        .errors
        .retain(|i| !proxy_fills(kind, d, i) && !calling_code_unsent(d, i));
    report
}

/// The warnings a submit asks about ("Send anyway?"), once per field and code, in page order.
pub fn warnings_to_confirm(report: &Report) -> Vec<Issue> {
    let mut out: Vec<Issue> = Vec::new();
    for w in &report.warnings {
        if !out.iter().any(|o| o.field == w.field && o.code == w.code) {
            out.push(w.clone());
        }
    }
    out.sort_by_key(|i| rank(&i.field));
    out
}

/// The side of "a phone number or an email" a contact field is on (`None`: not a contact
/// field).
fn contact_side(path: &str) -> Option<(&str, &'static str)> {
    let (prefix, field) = path.rsplit_once('.').unwrap_or(("", path));
    let side = match field {
        "countryCode" | "msisdn" => "phone",
        "email" => "email",
        _ => return None,
    };
    Some((prefix, side))
}

/// What makes two summary entries the same message: one "phone or email" rule per contact
/// pair (core names it at each field it concerns), else the same text at the same path.
fn summary_key(path: &str, text: &ErrorText) -> String {
    if let ErrorText::Issue(i) = text
        && i.code == Code::RequiredWithout
        && let (Some((prefix, a)), Some((_, b))) = (
            contact_side(path),
            i.params.other.as_deref().and_then(contact_side),
        )
        && a != b
    {
        return format!("{prefix}|phone-or-email");
    }
    match text {
        ErrorText::Issue(i) => format!("{path}|{:?}|{:?}", i.code, i.params),
        ErrorText::Server(s) => format!("{path}|{s}"),
    }
}

/// The error summary's entries, each message once (the first, in page order, keeps its link).
pub fn dedupe_summary(
    list: Vec<(String, Option<String>, ErrorText)>,
) -> Vec<(String, Option<String>, ErrorText)> {
    let mut seen = HashSet::new();
    list.into_iter()
        .filter(|(path, _, text)| seen.insert(summary_key(path, text)))
        .collect()
}

const PLACEHOLDER_CALLBACK: &str = "https://proxy.invalid/callback";

/// The body to send: the payload itself once core accepts it. Not core's typed `CreateOrder`
/// re-serialized: that would drop the members only the live server asks for.
pub fn submit_body(kind: OrderKind, d: &DraftData, now: i64) -> Result<String, Report> {
    let payload = build_payload(kind, d, now);
    let mut checked = payload.clone();
    if kind.is_invoice() && d.callback_url.trim().is_empty() {
        // The proxy supplies its own callback ([`proxy_fills`]).
        checked["callback"] = json!({ "callbackUrl": PLACEHOLDER_CALLBACK });
    }
    validate_create(kind, &checked, &context(now))?;
    serde_json::to_string(&payload).map_err(|_| Report::default())
}

/// Two bodies that differ at most in `orderDate`.
pub fn same_but_date(a: &str, b: &str) -> bool {
    let parse = |s: &str| {
        serde_json::from_str::<Value>(s).ok().map(|mut v| {
            if let Some(o) = v.as_object_mut() {
                o.remove("orderDate");
            }
            v
        })
    };
    matches!((parse(a), parse(b)), (Some(x), Some(y)) if x == y)
}

/// Errors and warnings of one field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldIssues {
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

pub type IssueMap = HashMap<String, FieldIssues>;

pub fn issue_map(report: &Report) -> IssueMap {
    let mut m: IssueMap = HashMap::new();
    for i in &report.errors {
        m.entry(i.field.clone()).or_default().errors.push(i.clone());
    }
    for i in &report.warnings {
        m.entry(i.field.clone())
            .or_default()
            .warnings
            .push(i.clone());
    }
    m
}

/// `products.3.rate` → (3, "rate").
pub fn split_line_path(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix("products.")?;
    let (i, f) = rest.split_once('.')?;
    Some((i.parse().ok()?, f))
}

/// The DOM id of a top-level field.
pub fn field_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// The DOM id of a line field.
pub fn line_field_id(line_id: u64, field: &str) -> String {
    format!("line-{line_id}-{field}")
}

/// Where an issue at `path` is shown: the id of its control (`None`: only in the summary).
pub fn dom_id_for(path: &str, line_ids: &[u64]) -> Option<String> {
    if let Some((i, f)) = split_line_path(path) {
        let id = *line_ids.get(i)?;
        let f = match f {
            "name" | "productId" | "quantity" | "rate" | "discount" | "tax" => f,
            _ => "rate",
        };
        return Some(line_field_id(id, f));
    }
    match path {
        "products" => Some("add-line".into()),
        p if p.starts_with("orderSummary.") => Some("order-summary".into()),
        "customerDetails.type" => None,
        // Only paths the form has a control for; others (a server's `sendOrderBy.invoice`, a
        // sentence naming no field) are listed in the summary without a link.
        p if ORDER.contains(&p) => Some(field_id(p)),
        _ => None,
    }
}

/// Field order on the page, for the error summary.
const ORDER: [&str; 27] = [
    "customerDetails.type",
    "customerDetails.name",
    "customerDetails.firstName",
    "customerDetails.countryCode",
    "customerDetails.msisdn",
    "customerDetails.email",
    "customerDetails.personalNumber",
    "customerDetails.organizationId",
    "customerDetails.address.street",
    "customerDetails.address.zip",
    "customerDetails.address.city",
    "customerDetails.address.country",
    "customerDetails.preferredLanguage",
    "products",
    "orderSummary",
    "orderDate",
    "sendOrderBy.sms",
    "sendOrderBy.email",
    "invoiceAsPaymentOption",
    "secureDetails",
    "invoiceInterval",
    "invoiceMaturity",
    "invoiceFeeApplicable",
    "separateInvoices",
    "referenceNo",
    "customerReference",
    "callback.callbackUrl",
];

pub fn rank(path: &str) -> (usize, usize, usize) {
    let products = ORDER.iter().position(|p| *p == "products").unwrap_or(0);
    if let Some((i, f)) = split_line_path(path) {
        // A line's members in core's order (the one list of them).
        let sub = frontdesk_core::validate::fields::PRODUCT_FIELDS
            .iter()
            .position(|p| *p == f)
            .unwrap_or(9);
        return (products, i + 1, sub);
    }
    let top = ORDER
        .iter()
        .position(|p| path == *p || path.starts_with(&format!("{p}.")))
        .unwrap_or(ORDER.len());
    (top, 0, 0)
}

/// A field's name for the error summary.
pub fn field_label(t: &Texts, path: &str) -> String {
    if let Some((i, f)) = split_line_path(path) {
        let name = match f {
            "name" => t.product_name,
            "productId" => t.product_id,
            "quantity" => t.quantity,
            "rate" => t.rate,
            "discount" => t.discount,
            "tax" => t.tax,
            _ => t.amount,
        };
        return format!("{} {}: {name}", t.line, i + 1);
    }
    match path {
        "customerDetails.type" => t.customer_type,
        "customerDetails.name" => t.name,
        "customerDetails.firstName" => t.first_name,
        "customerDetails.countryCode" => t.calling_code,
        "customerDetails.msisdn" => t.phone_number,
        "customerDetails.email" => t.email,
        "customerDetails.personalNumber" => t.personal_number,
        "customerDetails.organizationId" => t.organization_id,
        "customerDetails.address.street" => t.street,
        "customerDetails.address.zip" => t.zip,
        "customerDetails.address.city" => t.city,
        "customerDetails.address.country" => t.country,
        "customerDetails.preferredLanguage" => t.preferred_language,
        "products" => t.products_legend,
        "orderSummary.subTotal" => t.sub_total,
        "orderSummary.totalTax" => t.total_tax,
        "orderSummary.totalDiscount" => t.total_discount,
        "orderSummary.grandTotal" => t.grand_total,
        "sendOrderBy.sms" => t.send_by_sms,
        "sendOrderBy.email" => t.send_by_email,
        "invoiceAsPaymentOption" => t.invoice_as_payment_option,
        "secureDetails" => t.secure_details,
        "invoiceInterval" => t.invoice_interval,
        "invoiceMaturity" => t.invoice_maturity,
        "invoiceFeeApplicable" => t.invoice_fee,
        "separateInvoices" => t.separate_invoices,
        "referenceNo" => t.reference_no,
        "customerReference" => t.customer_reference,
        "callback.callbackUrl" => t.callback_url,
        "orderDate" => t.order_date,
        other => return other.to_owned(),
    }
    .to_owned()
}

// ---------------------------------------------------------------------------------------------
// Reactive state

/// One product line: a stable id for the keyed list, a signal per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub id: u64,
    pub name: RwSignal<String>,
    pub product_id: RwSignal<String>,
    pub quantity: RwSignal<String>,
    pub rate: RwSignal<String>,
    pub discount: RwSignal<String>,
    pub discount_percent: RwSignal<bool>,
    pub tax: RwSignal<String>,
}

impl Line {
    fn new(id: u64, d: &LineData) -> Line {
        Line {
            id,
            name: RwSignal::new(d.name.clone()),
            product_id: RwSignal::new(d.product_id.clone()),
            quantity: RwSignal::new(d.quantity.clone()),
            rate: RwSignal::new(d.rate.clone()),
            discount: RwSignal::new(d.discount.clone()),
            discount_percent: RwSignal::new(d.discount_percent),
            tax: RwSignal::new(d.tax.clone()),
        }
    }
    pub fn data(&self) -> LineData {
        LineData {
            name: self.name.get(),
            product_id: self.product_id.get(),
            quantity: self.quantity.get(),
            rate: self.rate.get(),
            discount: self.discount.get(),
            discount_percent: self.discount_percent.get(),
            tax: self.tax.get(),
        }
    }
    pub fn data_untracked(&self) -> LineData {
        LineData {
            name: self.name.get_untracked(),
            product_id: self.product_id.get_untracked(),
            quantity: self.quantity.get_untracked(),
            rate: self.rate.get_untracked(),
            discount: self.discount.get_untracked(),
            discount_percent: self.discount_percent.get_untracked(),
            tax: self.tax.get_untracked(),
        }
    }
}

/// The outcome banner under the submit button.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    None,
    /// 417: errors placed on fields.
    Rejected,
    Failed(crate::api::ApiError),
}

/// The whole form. `Copy`: every member is a signal or memo.
#[derive(Clone, Copy)]
pub struct Form {
    /// The reactive owner the form was made in. New lines are created under it: a line made
    /// inside an event handler would otherwise belong to that handler's view (say, the draft
    /// banner) and be disposed with it while the form still shows the line.
    owner: StoredValue<Owner>,
    pub kind: RwSignal<OrderKind>,
    pub customer_type: RwSignal<String>,
    pub name: RwSignal<String>,
    pub first_name: RwSignal<String>,
    pub phone_country: RwSignal<String>,
    pub calling_code: RwSignal<String>,
    pub msisdn: RwSignal<String>,
    pub email: RwSignal<String>,
    pub personal_number: RwSignal<String>,
    pub organization_id: RwSignal<String>,
    pub street: RwSignal<String>,
    pub zip: RwSignal<String>,
    pub city: RwSignal<String>,
    pub country: RwSignal<String>,
    pub language: RwSignal<String>,
    pub send_sms: RwSignal<bool>,
    pub send_email: RwSignal<bool>,
    pub invoice_as_payment_option: RwSignal<bool>,
    pub secure_details: RwSignal<bool>,
    pub invoice_interval: RwSignal<String>,
    pub invoice_maturity: RwSignal<String>,
    pub invoice_fee: RwSignal<bool>,
    pub separate_invoices: RwSignal<bool>,
    pub reference_no: RwSignal<String>,
    pub customer_reference: RwSignal<String>,
    pub callback_url: RwSignal<String>,
    /// `2026-01-15`; empty: today.
    pub order_date: RwSignal<String>,
    pub lines: RwSignal<Vec<Line>>,
    next_id: StoredValue<u64>,
    /// The idempotency key of the next submit.
    pub key: RwSignal<String>,
    /// A body sent under `key` whose outcome is unknown.
    pub pending: RwSignal<Option<String>>,
    /// The form's data, re-read on every change.
    pub snapshot: Memo<DraftData>,
    /// Core's report on it.
    pub report: Memo<Report>,
    pub issues: Memo<IssueMap>,
    /// Controls (by DOM id) the user has left at least once.
    pub touched: RwSignal<HashSet<String>>,
    pub submitted: RwSignal<bool>,
    /// Errors from a 417, by dotted path (cleared per field when it is edited).
    pub server: RwSignal<Placed>,
    pub in_flight: RwSignal<bool>,
    /// Front Payment is busy: seconds until the submit goes again by itself.
    pub busy: RwSignal<Option<u32>>,
    pub outcome: RwSignal<Outcome>,
    /// When the draft shown was restored from storage (ms), for the banner.
    pub restored_at: RwSignal<Option<f64>>,
    /// A submit found warnings: they are listed and "Send anyway?" is asked.
    pub confirming: RwSignal<Option<Vec<Issue>>>,
    /// The draft just discarded, until it is undone or the form is typed in again.
    pub discarded: RwSignal<Option<StoredDraft>>,
}

impl Form {
    pub fn new(kind: OrderKind, data: &DraftData, key: String) -> Form {
        let s = |v: &String| RwSignal::new(v.clone());
        let kind_sig = RwSignal::new(kind);
        let lines = RwSignal::new(Vec::new());
        let next_id = StoredValue::new(1u64);
        let customer_type = s(&data.customer_type);
        let name = s(&data.name);
        let first_name = s(&data.first_name);
        let phone_country = s(&data.phone_country);
        let calling_code = s(&data.calling_code);
        let msisdn = s(&data.msisdn);
        let email = s(&data.email);
        let personal_number = s(&data.personal_number);
        let organization_id = s(&data.organization_id);
        let street = s(&data.street);
        let zip = s(&data.zip);
        let city = s(&data.city);
        let country = s(&data.country);
        let language = s(&data.language);
        let send_sms = RwSignal::new(data.send_sms);
        let send_email = RwSignal::new(data.send_email);
        let invoice_as_payment_option = RwSignal::new(data.invoice_as_payment_option);
        let secure_details = RwSignal::new(data.secure_details);
        let invoice_interval = s(&data.invoice_interval);
        let invoice_maturity = s(&data.invoice_maturity);
        let invoice_fee = RwSignal::new(data.invoice_fee);
        let separate_invoices = RwSignal::new(data.separate_invoices);
        let reference_no = s(&data.reference_no);
        let customer_reference = s(&data.customer_reference);
        let callback_url = s(&data.callback_url);
        let order_date = s(&data.order_date);
        let snapshot = Memo::new(move |_| DraftData {
            customer_type: customer_type.get(),
            name: name.get(),
            first_name: first_name.get(),
            phone_country: phone_country.get(),
            calling_code: calling_code.get(),
            msisdn: msisdn.get(),
            email: email.get(),
            personal_number: personal_number.get(),
            organization_id: organization_id.get(),
            street: street.get(),
            zip: zip.get(),
            city: city.get(),
            country: country.get(),
            language: language.get(),
            send_sms: send_sms.get(),
            send_email: send_email.get(),
            invoice_as_payment_option: invoice_as_payment_option.get(),
            secure_details: secure_details.get(),
            invoice_interval: invoice_interval.get(),
            invoice_maturity: invoice_maturity.get(),
            invoice_fee: invoice_fee.get(),
            separate_invoices: separate_invoices.get(),
            reference_no: reference_no.get(),
            customer_reference: customer_reference.get(),
            callback_url: callback_url.get(),
            order_date: order_date.get(),
            lines: lines.with(|ls: &Vec<Line>| ls.iter().map(Line::data).collect()),
        });
        let report = Memo::new(move |_| {
            let k = kind_sig.get();
            snapshot.with(|d| check(k, d, util::now_unix()))
        });
        let issues = Memo::new(move |_| report.with(issue_map));
        let form = Form {
            kind: kind_sig,
            customer_type,
            name,
            first_name,
            phone_country,
            calling_code,
            msisdn,
            email,
            personal_number,
            organization_id,
            street,
            zip,
            city,
            country,
            language,
            send_sms,
            send_email,
            invoice_as_payment_option,
            secure_details,
            invoice_interval,
            invoice_maturity,
            invoice_fee,
            separate_invoices,
            reference_no,
            customer_reference,
            callback_url,
            order_date,
            lines,
            next_id,
            key: RwSignal::new(key),
            pending: RwSignal::new(None),
            snapshot,
            report,
            issues,
            touched: RwSignal::new(HashSet::new()),
            submitted: RwSignal::new(false),
            server: RwSignal::new(BTreeMap::new()),
            in_flight: RwSignal::new(false),
            busy: RwSignal::new(None),
            outcome: RwSignal::new(Outcome::None),
            restored_at: RwSignal::new(None),
            confirming: RwSignal::new(None),
            discarded: RwSignal::new(None),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        };
        form.lines
            .set(data.lines.iter().map(|l| form.new_line(l)).collect());
        form
    }

    fn new_line(&self, d: &LineData) -> Line {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.owner.get_value().with(|| Line::new(id, d))
    }

    /// Replace everything with `data` (restore, discard, kind switch).
    pub fn apply(&self, data: &DraftData) {
        self.customer_type.set(data.customer_type.clone());
        self.name.set(data.name.clone());
        self.first_name.set(data.first_name.clone());
        self.phone_country.set(data.phone_country.clone());
        self.calling_code.set(data.calling_code.clone());
        self.msisdn.set(data.msisdn.clone());
        self.email.set(data.email.clone());
        self.personal_number.set(data.personal_number.clone());
        self.organization_id.set(data.organization_id.clone());
        self.street.set(data.street.clone());
        self.zip.set(data.zip.clone());
        self.city.set(data.city.clone());
        self.country.set(data.country.clone());
        self.language.set(data.language.clone());
        self.send_sms.set(data.send_sms);
        self.send_email.set(data.send_email);
        self.invoice_as_payment_option
            .set(data.invoice_as_payment_option);
        self.secure_details.set(data.secure_details);
        self.invoice_interval.set(data.invoice_interval.clone());
        self.invoice_maturity.set(data.invoice_maturity.clone());
        self.invoice_fee.set(data.invoice_fee);
        self.separate_invoices.set(data.separate_invoices);
        self.reference_no.set(data.reference_no.clone());
        self.customer_reference.set(data.customer_reference.clone());
        self.callback_url.set(data.callback_url.clone());
        self.order_date.set(data.order_date.clone());
        let lines = data.lines.iter().map(|l| self.new_line(l)).collect();
        self.lines.set(lines);
        self.touched.set(HashSet::new());
        self.submitted.set(false);
        self.server.set(BTreeMap::new());
        self.outcome.set(Outcome::None);
        self.confirming.set(None);
    }

    pub fn stored(&self) -> StoredDraft {
        StoredDraft {
            data: self.snapshot.get_untracked(),
            key: self.key.get_untracked(),
            pending: self.pending.get_untracked(),
            saved_at: util::now_ms(),
        }
    }

    /// Write the draft now (submit, kind switch) rather than after the debounce.
    pub fn save_now(&self) {
        let kind = self.kind.get_untracked();
        draft::save(kind, &self.stored());
        draft::set_last_kind(kind);
    }

    // ---- lines editor ----

    pub fn add_line(&self) -> u64 {
        let line = self.new_line(&LineData::default());
        self.lines.update(|ls| ls.push(line));
        self.clear_line_server_errors();
        line.id
    }

    pub fn remove_line(&self, id: u64) {
        self.lines.update(|ls| ls.retain(|l| l.id != id));
        self.clear_line_server_errors();
    }

    pub fn duplicate_line(&self, id: u64) -> Option<u64> {
        let pos = self.position(id)?;
        let data = self.lines.with_untracked(|ls| ls[pos].data_untracked());
        let copy = self.new_line(&data);
        self.lines.update(|ls| ls.insert(pos + 1, copy));
        self.clear_line_server_errors();
        Some(copy.id)
    }

    /// Move a line by `delta` (−1 up, +1 down); `false` at an end.
    pub fn move_line(&self, id: u64, delta: isize) -> bool {
        let Some(pos) = self.position(id) else {
            return false;
        };
        let len = self.lines.with_untracked(Vec::len);
        let Some(to) = pos.checked_add_signed(delta).filter(|t| *t < len) else {
            return false;
        };
        self.lines.update(|ls| ls.swap(pos, to));
        self.clear_line_server_errors();
        true
    }

    pub fn position(&self, id: u64) -> Option<usize> {
        self.lines
            .with_untracked(|ls| ls.iter().position(|l| l.id == id))
    }

    fn clear_line_server_errors(&self) {
        if self
            .server
            .with_untracked(|s| s.keys().any(|k| k.starts_with("products")))
        {
            self.server
                .update(|s| s.retain(|k, _| !k.starts_with("products")));
        }
    }

    // ---- messages ----

    /// Mark a control as left (its errors show from now on).
    pub fn touch(&self, dom_id: &str) {
        if !self.touched.with_untracked(|t| t.contains(dom_id)) {
            self.touched.update(|t| {
                t.insert(dom_id.to_owned());
            });
        }
    }

    /// The user edited the field at `path`: a server message about it no longer applies.
    pub fn edited(&self, path: &str) {
        if self.server.with_untracked(|s| s.contains_key(path)) {
            self.server.update(|s| {
                s.remove(path);
            });
        }
    }

    /// Client errors plus server errors, ordered as on the page: (path, DOM id, message or
    /// issue).
    pub fn error_list(&self) -> Vec<(String, Option<String>, ErrorText)> {
        let line_ids: Vec<u64> = self.lines.with(|ls| ls.iter().map(|l| l.id).collect());
        let mut out: Vec<(String, Option<String>, ErrorText)> = Vec::new();
        self.report.with(|r| {
            for i in &r.errors {
                out.push((
                    i.field.clone(),
                    dom_id_for(&i.field, &line_ids),
                    ErrorText::Issue(i.clone()),
                ));
            }
        });
        self.server.with(|s| {
            for (path, msgs) in s {
                for m in msgs {
                    out.push((path.clone(), dom_id_for(path, &line_ids), m.clone()));
                }
            }
        });
        out.sort_by_key(|(p, _, _)| rank(p));
        dedupe_summary(out)
    }

    /// Put a 417's messages on their fields (placed by [`crate::server_errors::place`]).
    pub fn apply_server_errors(&self, placed: Placed) {
        self.server.set(placed);
        self.submitted.set(true);
    }

    /// Allowed maturities for the current kind and customer type.
    pub fn maturities(&self) -> Vec<i64> {
        let kind = self.kind.get();
        let ctype = effective_type(kind, &self.customer_type.get());
        allowed_maturities(kind, Some(ctype))
            .map(<[i64]>::to_vec)
            .unwrap_or_default()
    }

    /// The maturity the select shows, which is the one sent ([`maturity_of`]).
    pub fn maturity_shown(&self) -> String {
        let kind = self.kind.get();
        let ctype = effective_type(kind, &self.customer_type.get());
        maturity_of(kind, ctype, &self.invoice_maturity.get())
            .map(|m| m.to_string())
            .unwrap_or_default()
    }

    /// The DOM id of the control for `path` right now (untracked).
    pub fn dom_id(&self, path: &str) -> Option<String> {
        let line_ids: Vec<u64> = self
            .lines
            .with_untracked(|ls| ls.iter().map(|l| l.id).collect());
        dom_id_for(path, &line_ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::Dialect;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn filled() -> DraftData {
        DraftData {
            name: "Kari Nordmann".into(),
            msisdn: "465 67 468".into(),
            email: "kari@example.no".into(),
            street: "Luramyrveien 65".into(),
            zip: "4313".into(),
            city: "Sandnes".into(),
            lines: vec![LineData {
                name: "Hair wash".into(),
                quantity: "2".into(),
                rate: "200,00".into(),
                discount: "50".into(),
                tax: "25".into(),
                ..LineData::default()
            }],
            ..DraftData::default()
        }
    }

    const NOW: i64 = 1_800_000_000;

    #[wasm_bindgen_test(unsupported = test)]
    fn payload_uses_core_math_and_validates() {
        let d = filled();
        let p = build_payload(OrderKind::PaymentLink, &d, NOW);
        assert_eq!(p["products"][0]["rate"], json!(200));
        assert_eq!(p["products"][0]["amount"], json!(350));
        assert_eq!(p["products"][0]["quantity"], json!("2"));
        assert_eq!(p["orderSummary"]["subTotal"], json!("320.00"));
        // VAT after the discount (contract-notes "Money"): 25 % of 350.00.
        assert_eq!(p["orderSummary"]["totalTax"], json!("70.00"));
        assert_eq!(p["orderSummary"]["totalDiscount"], json!("50.00"));
        assert_eq!(p["orderSummary"]["grandTotal"], json!("350.00"));
        assert_eq!(p["customerDetails"]["msisdn"], json!("46567468"));
        let r = check(OrderKind::PaymentLink, &d, NOW);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let body = submit_body(OrderKind::PaymentLink, &d, NOW).unwrap();
        assert!(body.contains("\"orderDate\":\"1800000000\""));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn decimal_comma_and_point() {
        let mut d = filled();
        d.lines[0].rate = "12,50".into();
        let a = build_payload(OrderKind::Invoice, &d, NOW);
        d.lines[0].rate = "12.50".into();
        let b = build_payload(OrderKind::Invoice, &d, NOW);
        assert_eq!(a, b);
        assert_eq!(a["products"][0]["rate"], json!(12.5));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn e_faktura_callback_is_left_to_the_proxy() {
        let mut d = filled();
        d.personal_number = "01010012356".into();
        let r = check(OrderKind::EFaktura, &d, NOW);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let body = submit_body(OrderKind::EFaktura, &d, NOW).unwrap();
        assert!(!body.contains("callback"), "{body}");
        assert!(body.contains("\"invoiceMaturity\":10"), "{body}");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn ehf_needs_a_valid_orgnr() {
        let mut d = filled();
        d.organization_id = "123456789".into();
        let r = check(OrderKind::Ehf, &d, NOW);
        assert_eq!(
            r.error_codes("customerDetails.organizationId"),
            [Code::OrgnrChecksum]
        );
        d.organization_id = "998 379 342".into();
        assert!(check(OrderKind::Ehf, &d, NOW).errors.is_empty());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn paths_ids_and_order() {
        assert_eq!(split_line_path("products.12.tax"), Some((12, "tax")));
        assert_eq!(
            dom_id_for("products.1.tax", &[7, 9]).as_deref(),
            Some("line-9-tax")
        );
        assert_eq!(
            dom_id_for("customerDetails.address.zip", &[]).as_deref(),
            Some("f-customerDetails-address-zip")
        );
        assert!(rank("customerDetails.name") < rank("products.0.name"));
        assert!(rank("products.0.tax") < rank("products.1.name"));
        assert!(rank("products.3.tax") < rank("sendOrderBy.sms"));
        // No control, no link: listed in the summary only.
        assert_eq!(dom_id_for("sendOrderBy.invoice", &[]), None);
        assert_eq!(dom_id_for("", &[]), None);
        assert!(same_but_date(
            r#"{"a":1,"orderDate":"1"}"#,
            r#"{"orderDate":"2","a":1}"#
        ));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn every_kind_sends_what_both_readings_require() {
        let live = context(NOW)
            .with_dialect(Dialect::Live202507)
            .accepting_any_date_format();
        for kind in OrderKind::ALL {
            let d = DraftData {
                personal_number: "01010012356".into(),
                organization_id: "998379342".into(),
                language: String::new(),
                ..filled()
            };
            let body = submit_body(kind, &d, NOW).unwrap_or_else(|r| panic!("{kind:?}: {r:?}"));
            let body: Value = serde_json::from_str(&body).unwrap();
            for k in ["sms", "email", "invoice"] {
                assert!(
                    body["sendOrderBy"][k].is_boolean(),
                    "{kind:?}: sendOrderBy.{k}"
                );
            }
            assert_eq!(body["isCreditCheckAvailable"], json!(false), "{kind:?}");
            assert!(body["invoiceAsPaymentOption"].is_boolean(), "{kind:?}");
            assert_eq!(body["customerDetails"]["preferredLanguage"], json!("no"));
            assert_eq!(body["orderDate"], json!("1800000000"));
            // What a proxy in front of the July 2025 server accepts (it rewrites the date).
            if let Err(r) = validate_create(kind, &body, &live) {
                panic!("{kind:?} refused by the live reading: {:?}", r.errors);
            }
        }
        let invoice = build_payload(OrderKind::Ehf, &filled(), NOW);
        assert_eq!(
            invoice["sendOrderBy"],
            json!({"sms": false, "email": false, "invoice": true})
        );
        assert_eq!(invoice["invoiceFeeApplicable"], json!(true));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn draft_round_trips_through_a_payload() {
        let d = filled();
        let p: Value =
            serde_json::from_str(&submit_body(OrderKind::PaymentLink, &d, NOW).unwrap()).unwrap();
        let back = DraftData::from_payload(OrderKind::PaymentLink, &p);
        assert_eq!(
            build_payload(OrderKind::PaymentLink, &back, NOW),
            build_payload(OrderKind::PaymentLink, &d, NOW)
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn phone_is_sent_normalised() {
        let mut d = filled();
        d.msisdn = "465 67-468".into();
        let p = build_payload(OrderKind::PaymentLink, &d, NOW);
        assert_eq!(p["customerDetails"]["msisdn"], json!("46567468"));
        assert_eq!(p["customerDetails"]["countryCode"], json!("+47"));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn thousands_separators_are_accepted_in_number_entry() {
        for typed in [
            "1 234,50",
            "1\u{a0}234,50",
            "1\u{202f}234.50",
            " 1 234,5 ",
            "1234,50",
        ] {
            assert_eq!(parse_entry(typed), Some(123_450), "{typed:?}");
        }
        assert_eq!(parse_entry("-1 000"), Some(-100_000));
        assert_eq!(parse_entry("12 345 678"), Some(1_234_567_800));
        // Spaces that are not thousands groups stay refused (core's parser judges them).
        for bad in [
            "12 34", "1 2345", "1 23,50", "1,234 50", "1  234", "1 234 5",
        ] {
            assert_eq!(parse_entry(bad), None, "{bad:?}");
        }
        let mut d = filled();
        d.lines[0].rate = "1 234,50".into();
        d.lines[0].quantity = "1".into();
        d.lines[0].discount = String::new();
        let p = build_payload(OrderKind::Invoice, &d, NOW);
        assert_eq!(p["products"][0]["rate"], json!(1234.5));
        assert_eq!(p["products"][0]["amount"], json!(1234.5));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_percent_discount_is_sent_in_kr_of_the_gross() {
        assert_eq!(percent_of(Money(40_000), 1_000), Money(4_000));
        // 12.5 % of 99.99 is 12.49875: 12.50, half away from zero.
        assert_eq!(percent_of(Money(9_999), 1_250), Money(1_250));
        assert_eq!(percent_of(Money(9_999), 1), Money(1));
        assert_eq!(percent_of(Money(100), 49), Money(0));
        assert_eq!(percent_of(Money(-9_999), 1_250), Money(-1_250));
        let mut d = filled();
        d.lines[0].quantity = "3".into();
        d.lines[0].rate = "33,33".into();
        d.lines[0].discount = "12,5".into();
        d.lines[0].discount_percent = true;
        assert_eq!(discount_kr(&d.lines[0]), Some(Money(1_250)));
        let p = build_payload(OrderKind::PaymentLink, &d, NOW);
        assert_eq!(p["products"][0]["discount"], json!(12.5));
        assert_eq!(p["products"][0]["amount"], json!(87.49));
        assert_eq!(p["orderSummary"]["totalDiscount"], json!("12.50"));
        assert!(check(OrderKind::PaymentLink, &d, NOW).errors.is_empty());
        // The same number in kr is kr.
        d.lines[0].discount_percent = false;
        assert_eq!(discount_kr(&d.lines[0]), Some(Money(1_250)));
        // Over 100 % is more than the line: core refuses it at the discount.
        d.lines[0].discount = "150".into();
        d.lines[0].discount_percent = true;
        let r = check(OrderKind::PaymentLink, &d, NOW);
        assert_eq!(r.error_codes("products.0.discount"), [Code::Max]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_order_date_is_today_or_the_chosen_oslo_day() {
        assert_eq!(today_iso(NOW), "2027-01-15");
        assert_eq!(date_to_unix("2024-06-16"), Some(1_718_488_800));
        assert_eq!(date_to_unix("2023-12-05"), Some(1_701_730_800));
        assert_eq!(date_to_unix("2027-01-15"), Some(1_799_967_600));
        for bad in [
            "",
            "2024-02-30",
            "2024-6-16",
            "2024-13-01",
            "16.06.2024",
            "2024-06-16x",
        ] {
            assert_eq!(date_to_unix(bad), None, "{bad:?}");
        }
        let mut d = filled();
        let p = build_payload(OrderKind::PaymentLink, &d, NOW);
        assert_eq!(p["orderDate"], json!("1800000000"));
        d.order_date = "2027-01-20".into();
        let p = build_payload(OrderKind::PaymentLink, &d, NOW);
        assert_eq!(p["orderDate"], json!("1800399600"));
        // Today (its start) is fine for a payment link, yesterday is not; an invoice may be
        // dated back.
        d.order_date = "2027-01-15".into();
        assert!(check(OrderKind::PaymentLink, &d, NOW).errors.is_empty());
        d.order_date = "2027-01-14".into();
        let r = check(OrderKind::PaymentLink, &d, NOW);
        assert_eq!(r.error_codes("orderDate"), [Code::DateBeforeToday]);
        assert_eq!(dom_id_for("orderDate", &[]).as_deref(), Some("f-orderDate"));
        assert!(check(OrderKind::Invoice, &d, NOW).errors.is_empty());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_maturity_shown_is_cores_and_is_sent() {
        for kind in OrderKind::ALL {
            for typed in ["private", "corporate"] {
                let ctype = effective_type(kind, typed);
                let allowed = allowed_maturities(kind, Some(ctype)).unwrap_or(&[]);
                let default = default_maturity(kind, Some(ctype)).map(i64::from);
                let shown = maturity_of(kind, ctype, "");
                if kind == OrderKind::PaymentLink {
                    assert_eq!(shown, None);
                    continue;
                }
                assert_eq!(shown, default, "{kind:?} × {typed}");
                assert!(
                    shown.is_some_and(|m| allowed.contains(&m)),
                    "{kind:?} × {typed}"
                );
                for m in allowed {
                    assert_eq!(maturity_of(kind, ctype, &m.to_string()), Some(*m));
                }
                // Something core does not allow here shows (and sends) the default.
                assert_eq!(maturity_of(kind, ctype, "99"), default);
                let d = DraftData {
                    customer_type: typed.into(),
                    invoice_maturity: "99".into(),
                    ..filled()
                };
                let p = build_payload(kind, &d, NOW);
                assert_eq!(p["invoiceMaturity"], json!(shown), "{kind:?} × {typed}");
            }
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn phone_or_email_is_said_once() {
        let d = DraftData {
            msisdn: String::new(),
            email: String::new(),
            ..filled()
        };
        let r = check(OrderKind::PaymentLink, &d, NOW);
        assert!(
            !r.has_error("customerDetails.countryCode"),
            "{:?}",
            r.errors
        );
        // An invoice needs all three: the number is what is missing, not the code beside it.
        let invoice = check(OrderKind::Invoice, &d, NOW);
        assert!(invoice.has_error("customerDetails.msisdn"));
        assert!(!invoice.has_error("customerDetails.countryCode"));
        let list: Vec<(String, Option<String>, ErrorText)> = r
            .errors
            .iter()
            .map(|i| {
                let id = dom_id_for(&i.field, &[]);
                (i.field.clone(), id, ErrorText::Issue(i.clone()))
            })
            .collect();
        let either = |l: &[(String, Option<String>, ErrorText)]| {
            l.iter()
                .filter(
                    |(_, _, t)| matches!(t, ErrorText::Issue(i) if i.code == Code::RequiredWithout),
                )
                .count()
        };
        assert_eq!(either(&list), 2);
        let deduped = dedupe_summary(list);
        assert_eq!(either(&deduped), 1);
        // Kept: the first, at the phone number (core names it there first).
        let kept = deduped
            .iter()
            .find(|(_, _, t)| matches!(t, ErrorText::Issue(i) if i.code == Code::RequiredWithout))
            .and_then(|(_, id, _)| id.as_deref());
        assert_eq!(kept, Some("f-customerDetails-msisdn"));
        // The same server sentence twice at one path is listed once; at two paths, twice.
        let s = |p: &str| (p.to_owned(), None, ErrorText::Server("x".into()));
        assert_eq!(dedupe_summary(vec![s("a"), s("a"), s("b")]).len(), 2);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn warnings_to_confirm_are_listed_once_in_page_order() {
        let d = DraftData {
            msisdn: "4656746".into(),
            zip: "155".into(),
            personal_number: "01010012357".into(),
            ..filled()
        };
        let r = check(OrderKind::PaymentLink, &d, NOW);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let fields: Vec<String> = warnings_to_confirm(&r)
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(
            fields,
            [
                "customerDetails.msisdn",
                "customerDetails.personalNumber",
                "customerDetails.address.zip"
            ]
        );
        let clean = check(OrderKind::PaymentLink, &filled(), NOW);
        assert!(warnings_to_confirm(&clean).is_empty());
    }
}
