//! [`OrderDraft`] ⇄ create payload. The plain members go through the field table
//! ([`Source`]): kept by their path, sent under it (a dotted path nests). What needs code of
//! its own is here: product lines and their summary (core's VAT math), the phone, the order
//! date, the invoice interval and maturity, the customer type.

use serde_json::{Map, Value};

use super::fields::{Blank, Case, Clean, FIELDS, FieldSpec, Presence, Source, TextRule};
use super::{LineDraft, OrderDraft};
use crate::clock::{civil_from_days, days_from_civil, format_date, oslo_date, oslo_day_start};
use crate::customer::{CustomerDetails, CustomerType};
use crate::ids::{country, phone};
use crate::money::{Money, Quantity, TaxRate, num, parse_typed_hundredths};
use crate::order::{LineTotals, OrderSummary, line_totals, sum_totals};
use crate::status::OrderKind;
use crate::validate::{allowed_maturities, default_maturity};

/// A decimal typed into the console, in hundredths: `12,50`, `12.50` and `1 234,50` all work
/// (core's typed-amount parser). The one entry parser of the form.
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
pub fn discount_kr(l: &LineDraft) -> Option<Money> {
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

impl LineDraft {
    /// The line's totals by core's VAT-inclusive math, when its numbers parse.
    pub fn totals(&self) -> Option<LineTotals> {
        let q = parse_entry(&self.quantity)?;
        let r = parse_entry(&self.rate)?;
        let d = discount_kr(self)?;
        let t = parse_entry(&self.tax)?;
        line_totals(Quantity(q), Money(r), d, TaxRate(t)).ok()
    }

    /// The line as sent: numbers that parse as the API writes them, others as typed (for
    /// validation to name), the amount from core's math.
    fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("name".into(), self.name.trim().into());
        if !self.product_id.trim().is_empty() {
            o.insert("productId".into(), self.product_id.trim().into());
        }
        let typed = |s: &str, as_api: fn(i64) -> Value| {
            let s = s.trim();
            (!s.is_empty()).then(|| parse_entry(s).map_or_else(|| s.into(), as_api))
        };
        if let Some(q) = typed(&self.quantity, |h| to_value(Quantity(h))) {
            o.insert("quantity".into(), q);
        }
        if let Some(r) = typed(&self.rate, money_json) {
            o.insert("rate".into(), r);
        }
        let d = self.discount.trim();
        let discount = if d.is_empty() {
            0.into()
        } else {
            discount_kr(self).map_or_else(|| d.into(), |m| money_json(m.0))
        };
        o.insert("discount".into(), discount);
        if let Some(t) = typed(&self.tax, |h| to_value(TaxRate(h))) {
            o.insert("tax".into(), t);
        }
        let amount = self.totals().map_or(0, |t| t.amount.0);
        o.insert("amount".into(), money_json(amount));
        Value::Object(o)
    }

    /// A sent line read back; a discount of 0 is no discount typed.
    fn from_json(p: &Value) -> LineDraft {
        let discount = text_of(p.get("discount"));
        LineDraft {
            name: text_of(p.get("name")),
            product_id: text_of(p.get("productId")),
            quantity: text_of(p.get("quantity")),
            rate: text_of(p.get("rate")),
            discount: if discount == "0" {
                String::new()
            } else {
                discount
            },
            discount_percent: false,
            tax: text_of(p.get("tax")),
        }
    }
}

fn to_value<T: serde::Serialize>(v: T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn money_json(h: i64) -> Value {
    num::serialize(&Money(h), serde_json::value::Serializer).unwrap_or(Value::Null)
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
/// day, in Unix seconds as the docs show it; a date that does not read goes as typed, for
/// validation to name.
fn order_date_json(chosen: &str, now: i64) -> Value {
    let chosen = chosen.trim();
    if chosen.is_empty() {
        return now.to_string().into();
    }
    date_to_unix(chosen).map_or_else(|| chosen.into(), |t| t.to_string().into())
}

/// The `invoiceMaturity` the form shows and sends: the one chosen when core allows it for the
/// kind and customer type, else core's default for them (`None` for a payment link).
pub fn maturity_of(kind: OrderKind, customer: CustomerType, typed: &str) -> Option<i64> {
    let allowed = allowed_maturities(kind, Some(customer))?;
    typed
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|m| allowed.contains(m))
        .or_else(|| {
            default_maturity(kind, Some(customer))
                .map(i64::from)
                .filter(|m| allowed.contains(m))
        })
        .or_else(|| allowed.first().copied())
}

impl OrderDraft {
    /// The order summary of the lines that compute (core's sum).
    pub fn summary(&self) -> OrderSummary {
        let totals: Vec<LineTotals> = self.lines.iter().filter_map(LineDraft::totals).collect();
        sum_totals(&totals).unwrap_or_default()
    }

    /// The create payload of `kind`, validated and sent as is: for every kind the union of
    /// what the provider's docs and the July 2025 recording of its live server require
    /// (`sendOrderBy` with `invoice`, `isCreditCheckAvailable`, `invoiceAsPaymentOption`,
    /// `customerDetails.preferredLanguage`), so one form succeeds against both; members a
    /// reading does not list are ignored by it. Not core's typed `CreateOrder` re-serialized:
    /// that would drop the members only the live server asks for. Line `amount`s and the
    /// `orderSummary` come from core's math; `orderDate` is `now` (or the start of the chosen
    /// Oslo day) in Unix seconds (the proxy rewrites it for an upstream that wants `d M, Y`).
    pub fn to_payload(&self, kind: OrderKind, now: i64) -> Value {
        let case = self.case(kind);
        let mut root = Map::new();
        for spec in FIELDS {
            if let Some(v) = plain_value(spec, self, case) {
                put(&mut root, spec.path, v);
            }
        }
        let lines = self.lines.iter().map(LineDraft::to_json).collect();
        root.insert("products".into(), Value::Array(lines));
        root.insert("orderSummary".into(), to_value(self.summary()));
        root.insert("orderDate".into(), order_date_json(&self.order_date, now));
        put(
            &mut root,
            "customerDetails.type",
            case.customer.as_str().into(),
        );
        self.put_phone(&mut root);
        if kind.is_invoice() {
            let interval = self.invoice_interval.trim().parse::<i64>().unwrap_or(0);
            root.insert("invoiceInterval".into(), interval.into());
        }
        if let Some(m) = maturity_of(kind, case.customer, &self.invoice_maturity) {
            root.insert("invoiceMaturity".into(), m.into());
        }
        Value::Object(root)
    }

    /// The calling code of the phone's country (the typed code when the country has none)
    /// and the number normalised, both only with a number.
    fn put_phone(&self, root: &mut Map<String, Value>) {
        let msisdn = phone::normalize_msisdn(&self.msisdn);
        if msisdn.is_empty() {
            return;
        }
        let code = country::find(&self.phone_country)
            .and_then(|c| c.calling_code)
            .unwrap_or(self.calling_code.trim());
        put(root, "customerDetails.countryCode", code.into());
        put(root, "customerDetails.msisdn", msisdn.into());
    }

    /// A customer of the book as a draft of `kind` reads them (its customer block only: the
    /// type the kind allows, the phone's country): what fills the order form's block and a
    /// batch's customer list.
    pub fn from_customer(kind: OrderKind, details: &CustomerDetails) -> OrderDraft {
        let mut body = Map::new();
        body.insert(
            "customerDetails".into(),
            serde_json::to_value(details).unwrap_or_default(),
        );
        OrderDraft::from_payload(kind, &Value::Object(body))
    }

    /// Prefill from a payload that was sent ("create another like this", "Duplicate"): what it
    /// has, the defaults for the rest, and today as the order date.
    pub fn from_payload(kind: OrderKind, body: &Value) -> OrderDraft {
        let mut d = OrderDraft::default();
        for spec in FIELDS {
            read_plain(spec, body, &mut d);
        }
        let given = text_of(at(body, "customerDetails.type"));
        d.customer_type = Case::new(kind, CustomerType::parse(&given))
            .customer
            .as_str()
            .into();
        if let Some(lines) = body.get("products").and_then(Value::as_array)
            && !lines.is_empty()
        {
            d.lines = lines.iter().map(LineDraft::from_json).collect();
        }
        d.read_phone(body);
        let interval = text_of(body.get("invoiceInterval"));
        if !interval.is_empty() {
            d.invoice_interval = interval;
        }
        d.invoice_maturity = text_of(body.get("invoiceMaturity"));
        d
    }

    /// The phone's calling code, and its country: the address's when that country has this
    /// code, else the first country of the select list that has it.
    fn read_phone(&mut self, body: &Value) {
        let code = text_of(at(body, "customerDetails.countryCode"));
        if !code.is_empty() {
            self.calling_code = code;
        }
        self.msisdn = text_of(at(body, "customerDetails.msisdn"));
        let code = Some(self.calling_code.as_str());
        let found = country::find(self.text("customerDetails.address.country"))
            .filter(|c| c.calling_code == code)
            .or_else(|| phone::select_list().find(|c| c.calling_code == code));
        if let Some(c) = found {
            self.phone_country = c.alpha2.to_owned();
        }
    }
}

/// A plain member's value as sent in `case` (`None`: left out).
fn plain_value(spec: &FieldSpec, d: &OrderDraft, case: Case) -> Option<Value> {
    let presence = spec.presence(case);
    if !presence.is_sent() {
        return None;
    }
    match spec.source {
        Source::Own => None,
        Source::Text(rule) => text_value(d.text(spec.path), rule),
        Source::Flag { .. } => Some(Value::Bool(
            presence != Presence::Hidden && d.flag(spec.path),
        )),
        Source::Fixed { value } => Some(Value::Bool(value(case.kind))),
    }
}

/// A typed text as `rule` sends it (`None`: left out).
fn text_value(typed: &str, rule: TextRule) -> Option<Value> {
    let v: String = match rule.clean {
        Clean::Trim => typed.trim().to_owned(),
        Clean::NoSpaces => typed.chars().filter(|c| !c.is_whitespace()).collect(),
    };
    if !v.is_empty() {
        return Some(Value::String(v));
    }
    match rule.blank {
        Blank::Omit => None,
        Blank::Null => Some(Value::Null),
        Blank::Empty => Some(Value::String(v)),
        Blank::Default(value) => Some(value.into()),
    }
}

/// A plain member read back into the draft; absent or blank keeps the draft's default.
fn read_plain(spec: &FieldSpec, body: &Value, d: &mut OrderDraft) {
    let v = at(body, spec.path);
    match spec.source {
        Source::Text(_) => {
            let text = text_of(v);
            if !text.is_empty() {
                d.set_text(spec.path, text);
            }
        }
        Source::Flag { .. } => {
            if let Some(b) = v.and_then(Value::as_bool) {
                d.set_flag(spec.path, b);
            }
        }
        Source::Own | Source::Fixed { .. } => {}
    }
}

/// The value at a dotted path.
fn at<'a>(body: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(body, |v, k| v.get(k))
}

/// Set the value at a dotted path, making the objects on the way.
fn put(root: &mut Map<String, Value>, path: &str, v: Value) {
    match path.split_once('.') {
        None => {
            root.insert(path.to_owned(), v);
        }
        Some((head, rest)) => {
            let inner = root
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = inner {
                put(inner, rest, v);
            }
        }
    }
}

/// A string or number as typed text; anything else is nothing typed.
fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::validate::{Code, Context, Report, validate_create};
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    const NOW: i64 = 1_800_000_000;

    fn filled() -> OrderDraft {
        OrderDraft::example()
    }

    /// The console's context: it sends through the proxy, which supplies the callback.
    fn ctx() -> Context {
        Context::new(NOW).with_proxy_callback(true)
    }

    fn errors(kind: OrderKind, d: &OrderDraft) -> Report {
        match validate_create(kind, &d.to_payload(kind, NOW), &ctx()) {
            Ok(_) => Report::default(),
            Err(r) => r,
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn payload_uses_core_math_and_validates() {
        let p = filled().to_payload(OrderKind::PaymentLink, NOW);
        assert_eq!(p["products"][0]["rate"], json!(200));
        assert_eq!(p["products"][0]["amount"], json!(350));
        assert_eq!(p["products"][0]["quantity"], json!("2"));
        assert_eq!(p["orderSummary"]["subTotal"], json!("320.00"));
        // VAT after the discount (contract-notes "Money"): 25 % of 350.00.
        assert_eq!(p["orderSummary"]["totalTax"], json!("70.00"));
        assert_eq!(p["orderSummary"]["totalDiscount"], json!("50.00"));
        assert_eq!(p["orderSummary"]["grandTotal"], json!("350.00"));
        assert_eq!(p["customerDetails"]["msisdn"], json!("46567468"));
        assert_eq!(p["orderDate"], json!("1800000000"));
        assert_eq!(p["referenceNo"], Value::Null);
        assert!(p["customerDetails"].get("firstName").is_none());
        assert!(p.get("secureDetails").is_some() && p.get("invoiceInterval").is_none());
        assert!(errors(OrderKind::PaymentLink, &filled()).errors.is_empty());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn decimal_comma_and_point() {
        let mut d = filled();
        d.lines[0].rate = "12,50".into();
        let a = d.to_payload(OrderKind::Invoice, NOW);
        d.lines[0].rate = "12.50".into();
        assert_eq!(a, d.to_payload(OrderKind::Invoice, NOW));
        assert_eq!(a["products"][0]["rate"], json!(12.5));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn e_faktura_callback_is_left_to_the_proxy() {
        let mut d = filled();
        d.set_text("customerDetails.personalNumber", "010100 12356");
        assert!(errors(OrderKind::EFaktura, &d).errors.is_empty());
        let p = d.to_payload(OrderKind::EFaktura, NOW);
        assert!(p.get("callback").is_none(), "{p}");
        assert_eq!(p["invoiceMaturity"], json!(10));
        assert_eq!(p["customerDetails"]["personalNumber"], json!("01010012356"));
        assert_eq!(p["customerDetails"]["type"], json!("private"));
        // Without the proxy the docs' reading wants one of the merchant.
        let direct = validate_create(OrderKind::EFaktura, &p, &Context::new(NOW));
        assert!(direct.is_err_and(|r| r.has_error("callback.callbackUrl")));
        d.set_text("callback.callbackUrl", " https://m.example/cb ");
        let p = d.to_payload(OrderKind::EFaktura, NOW);
        assert_eq!(
            p["callback"],
            json!({"callbackUrl": "https://m.example/cb"})
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn ehf_needs_a_valid_orgnr_and_sends_no_personal_number() {
        let mut d = filled();
        d.set_text("customerDetails.personalNumber", "01010012356");
        d.set_text("customerDetails.organizationId", "123456789");
        let r = errors(OrderKind::Ehf, &d);
        assert_eq!(
            r.error_codes("customerDetails.organizationId"),
            [Code::OrgnrChecksum]
        );
        d.set_text("customerDetails.organizationId", "998 379 342");
        assert!(errors(OrderKind::Ehf, &d).errors.is_empty());
        let p = d.to_payload(OrderKind::Ehf, NOW);
        assert!(p["customerDetails"].get("personalNumber").is_none());
        assert_eq!(p["customerDetails"]["type"], json!("corporate"));
        assert_eq!(p["customerDetails"]["organizationId"], json!("998379342"));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn every_kind_sends_what_both_readings_require() {
        let live = ctx()
            .with_dialect(Dialect::Live202507)
            .accepting_any_date_format();
        for kind in OrderKind::ALL {
            let d = filled()
                .with_text("customerDetails.personalNumber", "01010012356")
                .with_text("customerDetails.organizationId", "998379342")
                .with_text("customerDetails.preferredLanguage", "");
            let body = d.to_payload(kind, NOW);
            if let Err(r) = validate_create(kind, &body, &ctx()) {
                panic!("{kind:?} refused by the docs' reading: {:?}", r.errors);
            }
            for k in ["sms", "email", "invoice"] {
                assert!(
                    body["sendOrderBy"][k].is_boolean(),
                    "{kind:?}: sendOrderBy.{k}"
                );
            }
            assert_eq!(body["isCreditCheckAvailable"], json!(false), "{kind:?}");
            assert!(body["invoiceAsPaymentOption"].is_boolean(), "{kind:?}");
            assert_eq!(body["customerDetails"]["preferredLanguage"], json!("no"));
            // What a proxy in front of the July 2025 server accepts (it rewrites the date).
            if let Err(r) = validate_create(kind, &body, &live) {
                panic!("{kind:?} refused by the live reading: {:?}", r.errors);
            }
        }
        let invoice = filled().to_payload(OrderKind::Ehf, NOW);
        assert_eq!(
            invoice["sendOrderBy"],
            json!({"sms": false, "email": false, "invoice": true})
        );
        assert_eq!(invoice["invoiceFeeApplicable"], json!(true));
        assert_eq!(invoice["invoiceAsPaymentOption"], json!(false));
        let link = filled().to_payload(OrderKind::PaymentLink, NOW);
        assert_eq!(
            link["sendOrderBy"],
            json!({"sms": true, "email": false, "invoice": false})
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_draft_round_trips_through_its_payload() {
        for kind in OrderKind::ALL {
            let d = OrderDraft {
                invoice_maturity: "30".into(),
                ..filled()
            }
            .with_text("customerDetails.firstName", "Kari")
            .with_text("referenceNo", "R-1")
            .with_text("customerReference", "PO 7")
            .with_text("customerDetails.organizationId", "998379342")
            .with_text("customerDetails.personalNumber", "01010012356");
            let sent = d.to_payload(kind, NOW);
            let back = OrderDraft::from_payload(kind, &sent);
            assert_eq!(back.to_payload(kind, NOW), sent, "{kind:?}");
            assert_eq!(back.text("customerDetails.firstName"), "Kari");
            assert_eq!(back.order_date, "", "another like this is made today");
        }
    }

    /// Every plain member of the table is sent under its path where the table sends it, and
    /// read back: a new row needs no code here.
    #[wasm_bindgen_test(unsupported = test)]
    fn every_plain_member_goes_by_its_path() {
        for kind in OrderKind::ALL {
            for f in FIELDS {
                let mut d = filled();
                let (typed, sent_as) = match f.source {
                    Source::Text(_) => {
                        d.set_text(f.path, " 7 ");
                        (json!("7"), json!("7"))
                    }
                    Source::Flag { default } => {
                        d.set_flag(f.path, !default);
                        let hidden = f.presence(d.case(kind)) == Presence::Hidden;
                        (json!(!default), json!(!default && !hidden))
                    }
                    Source::Own | Source::Fixed { .. } => continue,
                };
                let body = d.to_payload(kind, NOW);
                let presence = f.presence(d.case(kind));
                if !presence.is_sent() {
                    assert_eq!(at(&body, f.path), None, "{kind:?} {}", f.path);
                    continue;
                }
                assert_eq!(at(&body, f.path), Some(&sent_as), "{kind:?} {}", f.path);
                if presence.is_shown() {
                    let back = OrderDraft::from_payload(kind, &body);
                    let read = match f.source {
                        Source::Text(_) => json!(back.text(f.path)),
                        _ => json!(back.flag(f.path)),
                    };
                    assert_eq!(read, typed, "{kind:?} {} read back", f.path);
                }
            }
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_stored_draft_without_a_version_still_reads() {
        // What the console stored before drafts had a version (`DraftData`).
        let stored = json!({
            "customer_type": "corporate", "name": "Nordmann AS", "phone_country": "SE",
            "calling_code": "+46", "send_sms": false, "invoice_maturity": "30",
            "lines": [{"name": "Tea", "rate": "12,50", "discount_percent": true}]
        });
        let d: OrderDraft = serde_json::from_value(stored).unwrap();
        assert_eq!(d.version, crate::draft::DRAFT_VERSION);
        assert_eq!(d.customer_type(OrderKind::Invoice), CustomerType::Corporate);
        assert_eq!(d.customer_type(OrderKind::EFaktura), CustomerType::Private);
        assert_eq!(d.phone_country, "SE");
        assert!(!d.flag("sendOrderBy.sms"));
        assert!(
            d.flag("invoiceFeeApplicable"),
            "a default where nothing was stored"
        );
        assert_eq!(d.text("customerDetails.name"), "Nordmann AS");
        assert_eq!(d.text("customerDetails.address.country"), "NO");
        assert_eq!(d.lines[0].quantity, "1");
        assert_eq!(d.lines[0].tax, "25");
        assert!(d.lines[0].discount_percent);
        assert!(OrderDraft::default().is_blank() && !d.is_blank());
        let again: OrderDraft = serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap();
        assert_eq!(again, d);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn phone_is_sent_normalised_with_its_countrys_code() {
        let mut d = filled();
        d.msisdn = "465 67-468".into();
        let p = d.to_payload(OrderKind::PaymentLink, NOW);
        assert_eq!(p["customerDetails"]["msisdn"], json!("46567468"));
        assert_eq!(p["customerDetails"]["countryCode"], json!("+47"));
        d.phone_country = "SE".into();
        let p = d.to_payload(OrderKind::PaymentLink, NOW);
        assert_eq!(p["customerDetails"]["countryCode"], json!("+46"));
        d.msisdn = " ".into();
        let p = d.to_payload(OrderKind::PaymentLink, NOW);
        assert!(p["customerDetails"].get("countryCode").is_none());
        let back = OrderDraft::from_payload(
            OrderKind::PaymentLink,
            &json!({"customerDetails": {"countryCode": "+46", "msisdn": "701234567"}}),
        );
        assert_eq!(
            (back.phone_country.as_str(), back.calling_code.as_str()),
            ("SE", "+46")
        );
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
        let p = d.to_payload(OrderKind::Invoice, NOW);
        assert_eq!(p["products"][0]["rate"], json!(1234.5));
        assert_eq!(p["products"][0]["amount"], json!(1234.5));
        assert_eq!(p["products"][0]["discount"], json!(0));
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
        let p = d.to_payload(OrderKind::PaymentLink, NOW);
        assert_eq!(p["products"][0]["discount"], json!(12.5));
        assert_eq!(p["products"][0]["amount"], json!(87.49));
        assert_eq!(p["orderSummary"]["totalDiscount"], json!("12.50"));
        assert!(errors(OrderKind::PaymentLink, &d).errors.is_empty());
        // The same number in kr is kr.
        d.lines[0].discount_percent = false;
        assert_eq!(discount_kr(&d.lines[0]), Some(Money(1_250)));
        // Over 100 % is more than the line: core refuses it at the discount.
        d.lines[0].discount = "150".into();
        d.lines[0].discount_percent = true;
        let r = errors(OrderKind::PaymentLink, &d);
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
        assert_eq!(
            d.to_payload(OrderKind::PaymentLink, NOW)["orderDate"],
            json!("1800000000")
        );
        d.order_date = "2027-01-20".into();
        assert_eq!(
            d.to_payload(OrderKind::PaymentLink, NOW)["orderDate"],
            json!("1800399600")
        );
        // Today (its start) is fine for a payment link, yesterday is not; an invoice may be
        // dated back.
        d.order_date = "2027-01-15".into();
        assert!(errors(OrderKind::PaymentLink, &d).errors.is_empty());
        d.order_date = "2027-01-14".into();
        let r = errors(OrderKind::PaymentLink, &d);
        assert_eq!(r.error_codes("orderDate"), [Code::DateBeforeToday]);
        assert!(errors(OrderKind::Invoice, &d).errors.is_empty());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_maturity_shown_is_cores_and_is_sent() {
        for kind in OrderKind::ALL {
            for typed in ["private", "corporate"] {
                let d = OrderDraft {
                    customer_type: typed.into(),
                    invoice_maturity: "99".into(),
                    ..filled()
                };
                let customer = d.customer_type(kind);
                let allowed = allowed_maturities(kind, Some(customer)).unwrap_or(&[]);
                let default = default_maturity(kind, Some(customer)).map(i64::from);
                let shown = maturity_of(kind, customer, "");
                if kind == OrderKind::PaymentLink {
                    assert_eq!(shown, None);
                    assert!(d.to_payload(kind, NOW).get("invoiceMaturity").is_none());
                    continue;
                }
                assert_eq!(shown, default, "{kind:?} × {typed}");
                assert!(
                    shown.is_some_and(|m| allowed.contains(&m)),
                    "{kind:?} × {typed}"
                );
                for m in allowed {
                    assert_eq!(maturity_of(kind, customer, &m.to_string()), Some(*m));
                }
                // Something core does not allow here shows (and sends) the default.
                assert_eq!(maturity_of(kind, customer, "99"), default);
                let p = d.to_payload(kind, NOW);
                assert_eq!(p["invoiceMaturity"], json!(shown), "{kind:?} × {typed}");
            }
        }
    }
}
