//! The create form: core's verdict on the draft (issues by dotted path, placed on the page by
//! core's field table) and its reactive state: the plain [`OrderDraft`] in one signal, each
//! product line in one signal of its own (for the keyed list), never a signal per field.
//! Building the payload and reading a sent one back are core's ([`OrderDraft::to_payload`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use frontdesk_core::book::Product as CatalogueProduct;
use frontdesk_core::customer::CustomerDetails;
use frontdesk_core::draft::fields::{self, Case, FieldSpec, Presence, Source};
use frontdesk_core::draft::maturity_of;
use frontdesk_core::ids::phone::normalize_msisdn;
use frontdesk_core::money::{Quantity, TaxRate};
use frontdesk_core::order;
use frontdesk_core::status::OrderKind;
use frontdesk_core::validate::{
    Code, Context, DEFAULT_TAX_RATES, Issue, Report, allowed_maturities, validate_create,
};
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::draft::{self, LineDraft, OrderDraft, StoredDraft};
use crate::i18n::Lang;
pub use crate::server_errors::ErrorText;
use crate::server_errors::Placed;
use crate::util;

/// The merchant's VAT rates (configurable; the provider's defaults).
pub fn tax_rates() -> Vec<TaxRate> {
    DEFAULT_TAX_RATES.to_vec()
}

/// The context the form is checked in. The console only ever sends through the proxy, which
/// supplies its callback to a create without one, so a missing callback is never the merchant's.
pub fn context(now: i64) -> Context {
    Context::new(now)
        .with_tax_rates(tax_rates())
        .with_proxy_callback(true)
}

/// A missing calling code while no number is typed: the form always has one selected and
/// sends it with a number, so what is missing is the number (or the email), said there.
fn calling_code_unsent(d: &OrderDraft, issue: &Issue) -> bool {
    issue.field == "customerDetails.countryCode"
        && matches!(issue.code, Code::Required | Code::RequiredWithout)
        && normalize_msisdn(&d.msisdn).is_empty()
}

/// Core's verdict on the form, as the console shows it.
pub fn check(kind: OrderKind, d: &OrderDraft, now: i64) -> Report {
    let payload = d.to_payload(kind, now);
    let mut report = match validate_create(kind, &payload, &context(now)) {
        Ok(v) => Report {
            errors: vec![],
            warnings: v.warnings,
        },
        Err(r) => r,
    };
    report.errors.retain(|i| !calling_code_unsent(d, i));
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
    out.sort_by_key(|i| fields::page_rank(&i.field));
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

/// The body to send: core's payload of the draft, once core accepts it.
pub fn submit_body(kind: OrderKind, d: &OrderDraft, now: i64) -> Result<String, Report> {
    let payload = d.to_payload(kind, now);
    validate_create(kind, &payload, &context(now))?;
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

/// The DOM id of a top-level field.
pub fn field_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// The DOM id of a line field.
pub fn line_field_id(line_id: u64, field: &str) -> String {
    format!("line-{line_id}-{field}")
}

/// A member the form has a control of its own for, in some kind (an error links to it).
fn has_control(f: &FieldSpec) -> bool {
    f.input.has_control() && f.presence.iter().any(|p| p.is_shown())
}

/// Where an issue at `path` is shown: the id of its control (`None`: only in the summary).
pub fn dom_id_for(path: &str, line_ids: &[u64]) -> Option<String> {
    if let Some((i, member)) = fields::split_line_path(path) {
        let id = *line_ids.get(i)?;
        // A member without a control (the amount, a refund's id) is said at the unit price.
        let member = fields::line_field(member)
            .filter(|f| f.input.has_control())
            .map_or("rate", |f| f.member);
        return Some(line_field_id(id, member));
    }
    match path {
        "products" => Some("add-line".into()),
        p if p.starts_with("orderSummary.") => Some("order-summary".into()),
        // Only paths the form has a control for; others (a server's `sendOrderBy.invoice`, a
        // sentence naming no field) are listed in the summary without a link.
        p => fields::field_spec(p)
            .filter(|f| has_control(f))
            .map(|_| field_id(p)),
    }
}

/// A field's name for the error summary, by the table's label key.
pub fn field_label(lang: Lang, path: &str) -> String {
    if let Some((i, member)) = fields::split_line_path(path) {
        let key = fields::line_field(member).map_or("amount", |f| f.label);
        return format!("{} {}: {}", lang.texts().line, i + 1, lang.field(key));
    }
    fields::field_spec(path).map_or_else(|| path.to_owned(), |f| lang.field(f.label).to_owned())
}

// ---------------------------------------------------------------------------------------------
// Reactive state

/// One value of the form's plain data, bound to a control: read reactively (a memo, so a
/// keystroke elsewhere does not touch this control), written back into the data.
pub struct Bound<T: Send + Sync + 'static> {
    read: Memo<T>,
    write: SignalSetter<T>,
}

impl<T: Send + Sync + 'static> Clone for Bound<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Bound<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Bound<T> {
    /// The value (tracked).
    pub fn get(&self) -> T {
        self.read.get()
    }
    /// Write a new value into the data.
    pub fn set(&self, value: T) {
        self.write.set(value);
    }
}

/// A value of `data` bound for a control: `read` reactively, `write` back into the data.
fn bind<D, T>(
    data: RwSignal<D>,
    read: impl Fn(&D) -> T + Send + Sync + 'static,
    write: impl Fn(&mut D, T) + Send + Sync + 'static,
) -> Bound<T>
where
    D: Send + Sync + 'static,
    T: Clone + PartialEq + Send + Sync + 'static,
{
    Bound {
        read: Memo::new(move |_| data.with(&read)),
        write: SignalSetter::map(move |v| data.update(|d| write(d, v))),
    }
}

/// One product line of the form: a stable id for the keyed list and its data as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormLine {
    pub id: u64,
    pub data: RwSignal<LineDraft>,
}

impl FormLine {
    fn new(id: u64, d: &LineDraft) -> FormLine {
        FormLine {
            id,
            data: RwSignal::new(d.clone()),
        }
    }
    /// The line's text of `member` (the field table's name: `quantity`), bound for its
    /// control.
    pub fn text(&self, member: &'static str) -> Bound<String> {
        bind(
            self.data,
            move |l| l.text(member).unwrap_or_default().to_owned(),
            move |l, v| {
                if let Some(text) = l.text_mut(member) {
                    *text = v;
                }
            },
        )
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
    /// The draft as typed, but its lines (each line is in `lines`, so the keyed list keeps
    /// its rows): `lines` here is always empty.
    pub draft: RwSignal<OrderDraft>,
    pub lines: RwSignal<Vec<FormLine>>,
    next_id: StoredValue<u64>,
    /// The idempotency key of the next submit.
    pub key: RwSignal<String>,
    /// A body sent under `key` whose outcome is unknown.
    pub pending: RwSignal<Option<String>>,
    /// The whole draft, lines included, re-read on every change.
    pub snapshot: Memo<OrderDraft>,
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

/// The draft without its lines (they live per line).
fn without_lines(data: &OrderDraft) -> OrderDraft {
    OrderDraft {
        lines: Vec::new(),
        ..data.clone()
    }
}

impl Form {
    pub fn new(kind: OrderKind, data: &OrderDraft, key: String) -> Form {
        let kind_sig = RwSignal::new(kind);
        let draft = RwSignal::new(without_lines(data));
        let lines: RwSignal<Vec<FormLine>> = RwSignal::new(Vec::new());
        let snapshot = Memo::new(move |_| OrderDraft {
            lines: lines.with(|ls| ls.iter().map(|l| l.data.get()).collect()),
            ..draft.get()
        });
        let report = Memo::new(move |_| {
            let k = kind_sig.get();
            snapshot.with(|d| check(k, d, util::now_unix()))
        });
        let issues = Memo::new(move |_| report.with(issue_map));
        let form = Form {
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            kind: kind_sig,
            draft,
            lines,
            next_id: StoredValue::new(1u64),
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
        };
        form.lines
            .set(data.lines.iter().map(|l| form.new_line(l)).collect());
        form
    }

    fn new_line(&self, d: &LineDraft) -> FormLine {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.owner.get_value().with(|| FormLine::new(id, d))
    }

    /// Replace everything with `data` (restore, discard, kind switch).
    pub fn apply(&self, data: &OrderDraft) {
        self.draft.set(without_lines(data));
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

    // ---- the draft's values, by the field table ----

    /// The column of the field table the form is in (kind × customer type; tracked).
    pub fn case(&self) -> Case {
        let kind = self.kind.get();
        self.draft.with(|d| d.case(kind))
    }

    /// A member of the draft the form has code of its own for, bound for a control.
    pub fn text(
        &self,
        read: fn(&OrderDraft) -> &String,
        write: fn(&mut OrderDraft) -> &mut String,
    ) -> Bound<String> {
        bind(
            self.draft,
            move |d| read(d).clone(),
            move |d, v| *write(d) = v,
        )
    }

    /// Whether the member at `path` is optional in the form's current kind and customer type
    /// (its label says so).
    pub fn optional(&self, path: &'static str) -> Signal<bool> {
        let form = *self;
        Signal::derive(move || {
            fields::field_spec(path).is_some_and(|f| f.presence(form.case()) == Presence::Optional)
        })
    }

    /// The plain member at `path` of the field table, bound for its control: a text or a
    /// ticked choice, kept in the draft by its path (`None`: the table has no plain member
    /// there).
    pub fn member(&self, path: &'static str) -> Option<MemberValue> {
        Some(match fields::field_spec(path)?.source {
            Source::Text(_) => MemberValue::Text(bind(
                self.draft,
                move |d| d.text(path).to_owned(),
                move |d, v| d.set_text(path, v),
            )),
            Source::Flag { .. } => MemberValue::Flag(bind(
                self.draft,
                move |d| d.flag(path),
                move |d, v| d.set_flag(path, v),
            )),
            Source::Own | Source::Fixed { .. } => return None,
        })
    }

    // ---- lines editor ----

    /// Fill the whole customer block from a customer of the book, as core reads one
    /// ([`OrderDraft::from_customer`]: the type the kind allows, the phone's country); a
    /// member the entry lacks goes back to its default. The rest of the draft stays, and the
    /// block stays editable for this order.
    pub fn fill_customer(&self, details: &CustomerDetails) {
        let read = OrderDraft::from_customer(self.kind.get_untracked(), details);
        self.draft.update(|d| {
            for f in fields::FIELDS {
                if f.path.starts_with("customerDetails.") && matches!(f.source, Source::Text(_)) {
                    d.set_text(f.path, read.text(f.path));
                }
            }
            d.customer_type.clone_from(&read.customer_type);
            d.phone_country.clone_from(&read.phone_country);
            d.calling_code.clone_from(&read.calling_code);
            d.msisdn.clone_from(&read.msisdn);
        });
        if self
            .server
            .with_untracked(|s| s.keys().any(|k| k.starts_with("customerDetails")))
        {
            self.server
                .update(|s| s.retain(|k, _| !k.starts_with("customerDetails")));
        }
    }

    /// Add a line of one unit of a catalogue product (core's line of it, read back as the
    /// editor shows lines); the untouched empty line of a new form gives way to it. `None`
    /// when core's math refuses the product.
    pub fn add_product_line(&self, product: &CatalogueProduct) -> Option<u64> {
        let line = serde_json::to_value(product.line(Quantity(100)).ok()?).ok()?;
        let mut body = Map::new();
        body.insert("products".into(), Value::Array(vec![line]));
        let read = OrderDraft::from_payload(self.kind.get_untracked(), &Value::Object(body));
        let added = self.new_line(read.lines.first()?);
        let blank = self.lines.with_untracked(|ls| {
            ls.len() == 1
                && ls
                    .first()
                    .is_some_and(|l| l.data.with_untracked(|d| *d == LineDraft::default()))
        });
        self.lines.update(|ls| {
            if blank {
                ls.clear();
            }
            ls.push(added);
        });
        self.clear_line_server_errors();
        Some(added.id)
    }

    /// Line `id` as an order line, by core's payload of it ("save this line to the
    /// catalogue"); `None` while it does not read as one (a number mistyped).
    pub fn line_product(&self, id: u64) -> Option<order::Product> {
        let pos = self.position(id)?;
        let line = self
            .lines
            .with_untracked(|ls| ls.get(pos).map(|l| l.data.get_untracked()))?;
        let one = OrderDraft {
            lines: vec![line],
            ..OrderDraft::default()
        };
        let payload = one.to_payload(self.kind.get_untracked(), util::now_unix());
        let sent = payload.get("products")?.as_array()?.first()?.clone();
        serde_json::from_value(sent).ok()
    }

    pub fn add_line(&self) -> u64 {
        let line = self.new_line(&LineDraft::default());
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
        let data = self
            .lines
            .with_untracked(|ls| ls.get(pos).map(|l| l.data.get_untracked()))?;
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
        out.sort_by_key(|(p, _, _)| fields::page_rank(p));
        dedupe_summary(out)
    }

    /// Put a 417's messages on their fields (placed by [`crate::server_errors::place`]).
    pub fn apply_server_errors(&self, placed: Placed) {
        self.server.set(placed);
        self.submitted.set(true);
    }

    /// Allowed maturities for the current kind and customer type.
    pub fn maturities(&self) -> Vec<i64> {
        let case = self.case();
        allowed_maturities(case.kind, Some(case.customer))
            .map(<[i64]>::to_vec)
            .unwrap_or_default()
    }

    /// The maturity the select shows, which is the one sent ([`maturity_of`]).
    pub fn maturity_shown(&self) -> String {
        let case = self.case();
        let typed = self.draft.with(|d| d.invoice_maturity.clone());
        maturity_of(case.kind, case.customer, &typed)
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

/// A plain member of the draft bound for its control ([`Form::member`]).
#[derive(Clone, Copy)]
pub enum MemberValue {
    Text(Bound<String>),
    Flag(Bound<bool>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn filled() -> OrderDraft {
        OrderDraft::example()
    }

    const NOW: i64 = 1_800_000_000;

    #[wasm_bindgen_test(unsupported = test)]
    fn the_body_sent_is_cores_payload_and_the_callback_is_the_proxys() {
        let body = submit_body(OrderKind::PaymentLink, &filled(), NOW).unwrap();
        assert!(body.contains("\"orderDate\":\"1800000000\""));
        let mut d = filled();
        d.set_text("customerDetails.personalNumber", "01010012356");
        assert!(check(OrderKind::EFaktura, &d, NOW).errors.is_empty());
        let body = submit_body(OrderKind::EFaktura, &d, NOW).unwrap();
        assert!(!body.contains("callback"), "{body}");
        let sent: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(sent, d.to_payload(OrderKind::EFaktura, NOW));
        d.set_text("customerDetails.name", "");
        assert!(submit_body(OrderKind::EFaktura, &d, NOW).is_err());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn paths_ids_and_labels_come_from_the_table() {
        assert_eq!(
            dom_id_for("products.1.tax", &[7, 9]).as_deref(),
            Some("line-9-tax")
        );
        assert_eq!(
            dom_id_for("products.0.amount", &[7]).as_deref(),
            Some("line-7-rate")
        );
        assert_eq!(
            dom_id_for("customerDetails.address.zip", &[]).as_deref(),
            Some("f-customerDetails-address-zip")
        );
        assert_eq!(dom_id_for("orderDate", &[]).as_deref(), Some("f-orderDate"));
        assert_eq!(
            dom_id_for("orderSummary.grandTotal", &[]).as_deref(),
            Some("order-summary")
        );
        // No control, no link: listed in the summary only.
        assert_eq!(dom_id_for("sendOrderBy.invoice", &[]), None);
        assert_eq!(dom_id_for("customerDetails.type", &[]), None);
        assert_eq!(dom_id_for("", &[]), None);
        assert_eq!(
            field_label(Lang::En, "customerDetails.address.city"),
            "City"
        );
        assert_eq!(field_label(Lang::En, "products.2.tax"), "Line 3: VAT");
        assert_eq!(field_label(Lang::En, "somethingElse"), "somethingElse");
        assert!(same_but_date(
            r#"{"a":1,"orderDate":"1"}"#,
            r#"{"orderDate":"2","a":1}"#
        ));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn phone_or_email_is_said_once() {
        let d = OrderDraft {
            msisdn: String::new(),
            ..filled()
        }
        .with_text("customerDetails.email", "");
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
        let d = OrderDraft {
            msisdn: "4656746".into(),
            ..filled()
        }
        .with_text("customerDetails.address.zip", "155")
        .with_text("customerDetails.personalNumber", "01010012357");
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
