//! The one field table of the four create requests: every member once, in the order the
//! console's form shows them, with where it applies (kind × customer type), how it is entered,
//! the i18n keys of its label and help, where the draft keeps it (plain members, by their path)
//! and where the form shows its control.
//!
//! Read by the draft ([`super::OrderDraft`]: its plain members, their defaults and the
//! conversion both ways), by validation's map from a Laravel sentence to a path
//! (`validate::field_of_sentence`), and by the console (the controls of plain members, DOM ids,
//! labels, "optional" marks, the error summary's order). Presence follows what
//! `validate::create` enforces (the docs' tables) and the July 2025 recording's extra EHF
//! members, which the form always sends. A plain member (a text or a ticked choice) is one row
//! here and its label in nb and en: nothing else.

use crate::customer::{CustomerType, Language};
use crate::status::OrderKind;

/// Where a member stands in one kind × customer type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Shown, and must be filled (or always has a value, as a checkbox).
    Required,
    /// Shown, may be left empty.
    Optional,
    /// Not shown; the form sends a fixed or computed value.
    Hidden,
    /// Not part of this kind or customer type: neither shown nor sent.
    Forbidden,
}

impl Presence {
    /// The merchant sees a control for it.
    pub const fn is_shown(self) -> bool {
        matches!(self, Presence::Required | Presence::Optional)
    }
    /// The form puts it in the payload.
    pub const fn is_sent(self) -> bool {
        !matches!(self, Presence::Forbidden)
    }
}

/// How a member is entered (the console picks its control by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    /// Digits, perhaps typed in groups (`998 379 342`, a postcode): a text with a numeric
    /// keyboard.
    Digits,
    Email,
    Tel,
    Url,
    /// A decimal number (`1,5`).
    Number,
    /// An amount in kr (`1 234,50`).
    Money,
    /// One of a list the form builds by code of its own (calling codes, intervals, VAT rates).
    Select,
    /// A country (ISO alpha-2), chosen from core's list (`ids::country`).
    Country,
    /// One of core's [`Language`]s.
    Language,
    /// Radio buttons: one choice, no single control to focus.
    Radio,
    Checkbox,
    Date,
    /// Computed from other members, shown as output.
    Computed,
    /// A group of members (`customerDetails.address`), named by Laravel as a whole.
    Group,
}

impl Input {
    /// A single control the merchant can focus (an error links to it).
    pub const fn has_control(self) -> bool {
        !matches!(self, Input::Radio | Input::Computed | Input::Group)
    }
}

/// One kind × customer type: what the table's columns are. E-Faktura is always private and EHF
/// always corporate ([`CustomerType::for_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case {
    pub kind: OrderKind,
    /// The customer type the rules go by (never corporate for E-Faktura, never private for EHF).
    pub customer: CustomerType,
}

impl Case {
    /// The case a form is in: the type given, else private, overruled by the kind.
    pub fn new(kind: OrderKind, given: Option<CustomerType>) -> Case {
        let customer = CustomerType::for_kind(kind, given).unwrap_or(CustomerType::Private);
        Case { kind, customer }
    }

    /// The column: payment link private / corporate, invoice private / corporate, E-Faktura,
    /// EHF.
    const fn column(self) -> usize {
        let corporate = matches!(self.customer, CustomerType::Corporate);
        match self.kind {
            OrderKind::PaymentLink => corporate as usize,
            OrderKind::Invoice => 2 + corporate as usize,
            OrderKind::EFaktura => 4,
            OrderKind::Ehf => 5,
        }
    }
}

/// What an empty text sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    /// Nothing: the member is left out.
    Omit,
    /// `null`, as the recorded `frontgo` client sent empty references.
    Null,
    /// `""` (a required member: validation names it).
    Empty,
    /// This value instead (a language the provider would default to anyway).
    Default(&'static str),
}

/// How a typed text is cleaned before it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clean {
    Trim,
    /// Every whitespace removed (an id typed in groups: `998 379 342`).
    NoSpaces,
}

/// How a typed text is sent, and what a new draft holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    pub clean: Clean,
    pub blank: Blank,
    pub default: &'static str,
}

impl TextRule {
    /// Trimmed, left out when empty, empty in a new draft: an optional text.
    const PLAIN: TextRule = TextRule {
        clean: Clean::Trim,
        blank: Blank::Omit,
        default: "",
    };
}

/// What the draft keeps of a member and how it is sent. Plain members (`Text`, `Flag`) are kept
/// in the draft under their path, so the conversion (both ways) and the form need no code of
/// their own for them.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// Written by the conversion's own code (lines, summary, phone, date, interval, maturity,
    /// customer type), or a group.
    Own,
    /// A typed text.
    Text(TextRule),
    /// A ticked choice; a new draft holds `default`; where the member is hidden, `false` is
    /// sent.
    Flag { default: bool },
    /// Never shown: always `value(kind)`.
    Fixed { value: fn(OrderKind) -> bool },
}

/// Where the form shows a plain member: the runs of plain controls on the page, in page order,
/// each between controls of their own (the customer type, the phone, the order date, the
/// invoice's interval and maturity).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The customer's names, after the customer type.
    Names,
    /// The customer's email and ids, after the phone.
    Contact,
    /// The customer's address, in a fieldset of its own.
    Address,
    /// What the customer prefers (the language), after the address.
    Preferences,
    /// Sending and invoicing choices, after the order date (and an invoice's interval and
    /// maturity).
    Options,
    /// References and the callback, last.
    References,
}

/// How a control shares its line with the ones beside it: consecutive members of a section with
/// the same `Row` (but `Alone`) sit on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A line of its own.
    Alone,
    /// Two halves (name and first name).
    Halves,
    /// A short control, then a long one (postcode and city).
    ShortLong,
}

/// One member of a create request.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The dotted path validation reports (`customerDetails.address.city`); a plain member is
    /// kept in the draft and sent under it.
    pub path: &'static str,
    /// How the merchant enters it.
    pub input: Input,
    /// The i18n key of its label.
    pub label: &'static str,
    /// The i18n key of a help text under the label.
    pub help: Option<&'static str>,
    /// By [`Case`] column: payment link private, corporate; invoice private, corporate;
    /// E-Faktura; EHF.
    pub presence: [Presence; 6],
    pub source: Source,
    /// Where the form shows a plain member's control (`None`: a control of its own, or none).
    pub section: Option<Section>,
    /// How its control shares a line with the ones beside it.
    pub row: Row,
    /// The browser's autofill token (`given-name`), where one fits.
    pub autocomplete: Option<&'static str>,
}

impl FieldSpec {
    /// Where it stands for this kind and customer type.
    pub const fn presence(&self, case: Case) -> Presence {
        self.presence[case.column()]
    }

    /// A text's rule (a plain optional text's for any other member).
    const fn text_rule(&self) -> TextRule {
        match self.source {
            Source::Text(rule) => rule,
            _ => TextRule::PLAIN,
        }
    }

    /// A text sent by `rule`.
    const fn rule(self, rule: TextRule) -> FieldSpec {
        FieldSpec {
            source: Source::Text(rule),
            ..self
        }
    }

    /// Sent as typed but `blank` when empty (a text).
    const fn blank(self, blank: Blank) -> FieldSpec {
        let rule = TextRule {
            blank,
            ..self.text_rule()
        };
        self.rule(rule)
    }

    /// Sent without its spaces (a text).
    const fn no_spaces(self) -> FieldSpec {
        let rule = TextRule {
            clean: Clean::NoSpaces,
            ..self.text_rule()
        };
        self.rule(rule)
    }

    /// A new draft holds `default` (a text).
    const fn preset(self, default: &'static str) -> FieldSpec {
        let rule = TextRule {
            default,
            ..self.text_rule()
        };
        self.rule(rule)
    }

    /// Shares its line as `row` says.
    const fn row(self, row: Row) -> FieldSpec {
        FieldSpec { row, ..self }
    }

    /// The browser may fill it in as `token`.
    const fn autofill(self, token: &'static str) -> FieldSpec {
        FieldSpec {
            autocomplete: Some(token),
            ..self
        }
    }

    /// A help text under the label.
    const fn help(self, key: &'static str) -> FieldSpec {
        FieldSpec {
            help: Some(key),
            ..self
        }
    }
}

/// One member of a product line (`products.N.<member>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFieldSpec {
    /// The member's name in the line (`rate`).
    pub member: &'static str,
    /// How the merchant enters it.
    pub input: Input,
    /// The i18n key of its label.
    pub label: &'static str,
    /// Required in every kind (a line is the same everywhere); else optional.
    pub required: bool,
    /// The short name of its column on the page (`qty`): the console's grid places the heading
    /// and the control by it.
    pub column: &'static str,
}

use Presence::{Forbidden, Hidden, Optional, Required};
use Row::{Halves, ShortLong};
use Section::{Address, Contact, Names, Options, Preferences, References};

/// The same in every case.
const fn every(p: Presence) -> [Presence; 6] {
    [p; 6]
}

/// Chosen by the merchant for a payment link or an invoice; fixed by the kind (sent, not
/// shown) for E-Faktura (private) and EHF (corporate).
const fn chosen_or_fixed() -> [Presence; 6] {
    let mut p = every(Presence::Required);
    p[4] = Presence::Hidden;
    p[5] = Presence::Hidden;
    p
}

/// One way for the payment link, another for the three invoiced kinds.
const fn link_invoiced(link: Presence, invoiced: Presence) -> [Presence; 6] {
    [link, link, invoiced, invoiced, invoiced, invoiced]
}

/// One way for private customers, another for corporate ones (E-Faktura is private, EHF
/// corporate), with E-Faktura's own.
const fn by_customer(private: Presence, corporate: Presence, e_faktura: Presence) -> [Presence; 6] {
    [private, corporate, private, corporate, e_faktura, corporate]
}

/// A member the conversion writes by code of its own (or a group).
const fn own(
    path: &'static str,
    input: Input,
    label: &'static str,
    presence: [Presence; 6],
) -> FieldSpec {
    FieldSpec {
        path,
        input,
        label,
        help: None,
        presence,
        source: Source::Own,
        section: None,
        row: Row::Alone,
        autocomplete: None,
    }
}

/// A typed text the draft keeps under its path, shown in `section`: trimmed, left out when
/// empty (change it with `blank`, `no_spaces`, `preset`).
const fn text(
    path: &'static str,
    input: Input,
    label: &'static str,
    presence: [Presence; 6],
    section: Section,
) -> FieldSpec {
    FieldSpec {
        section: Some(section),
        ..own(path, input, label, presence).rule(TextRule::PLAIN)
    }
}

/// A ticked choice the draft keeps under its path, shown in `section`.
const fn flag(
    path: &'static str,
    label: &'static str,
    presence: [Presence; 6],
    section: Section,
    default: bool,
) -> FieldSpec {
    FieldSpec {
        source: Source::Flag { default },
        section: Some(section),
        ..own(path, Input::Checkbox, label, presence)
    }
}

/// A choice never shown: always `value(kind)`.
const fn fixed(path: &'static str, label: &'static str, value: fn(OrderKind) -> bool) -> FieldSpec {
    FieldSpec {
        source: Source::Fixed { value },
        ..own(path, Input::Checkbox, label, every(Hidden))
    }
}

/// `false` in every kind (a choice the form never makes).
const fn off(_: OrderKind) -> bool {
    false
}

/// Every member of the four create requests, in page order (the error summary's order; within
/// a [`Section`], the order of the controls).
#[rustfmt::skip]
pub static FIELDS: &[FieldSpec] = &[
    own("customerDetails", Input::Group, "customer_legend", every(Required)),
    own("customerDetails.type", Input::Radio, "customer_type", chosen_or_fixed()),
    text("customerDetails.name", Input::Text, "name", every(Required), Names).blank(Blank::Empty).row(Halves).autofill("name"),
    text("customerDetails.firstName", Input::Text, "first_name", every(Optional), Names).row(Halves).autofill("given-name"),
    own("customerDetails.countryCode", Input::Select, "calling_code", link_invoiced(Optional, Required)),
    own("customerDetails.msisdn", Input::Tel, "phone_number", link_invoiced(Optional, Required)),
    text("customerDetails.email", Input::Email, "email", link_invoiced(Optional, Required), Contact).autofill("email"),
    text("customerDetails.personalNumber", Input::Digits, "personal_number", by_customer(Optional, Forbidden, Required), Contact).no_spaces(),
    text("customerDetails.organizationId", Input::Digits, "organization_id", by_customer(Forbidden, Required, Forbidden), Contact).no_spaces(),
    own("customerDetails.address", Input::Group, "address_legend", every(Required)),
    text("customerDetails.address.street", Input::Text, "street", every(Required), Address).blank(Blank::Empty).autofill("street-address"),
    text("customerDetails.address.zip", Input::Digits, "zip", every(Required), Address).blank(Blank::Empty).row(ShortLong).autofill("postal-code"),
    text("customerDetails.address.city", Input::Text, "city", every(Required), Address).blank(Blank::Empty).row(ShortLong).autofill("address-level2"),
    text("customerDetails.address.country", Input::Country, "country", every(Required), Address).blank(Blank::Empty).preset("NO").autofill("country"),
    // Optional in the docs; the recorded server required it of an EHF. A select: always one.
    text("customerDetails.preferredLanguage", Input::Language, "preferred_language", [Optional, Optional, Optional, Optional, Optional, Required], Preferences)
        .blank(Blank::Default(Language::No.as_str())).preset(Language::No.as_str()),
    own("products", Input::Group, "products_legend", every(Required)),
    own("orderSummary", Input::Group, "summary_legend", every(Hidden)),
    own("orderSummary.subTotal", Input::Computed, "sub_total", every(Hidden)),
    own("orderSummary.totalTax", Input::Computed, "total_tax", every(Hidden)),
    own("orderSummary.totalDiscount", Input::Computed, "total_discount", every(Hidden)),
    own("orderSummary.grandTotal", Input::Computed, "grand_total", every(Hidden)),
    own("orderDate", Input::Date, "order_date", every(Required)),
    // The recorded server wanted all three choices of every kind; an invoice goes as one.
    own("sendOrderBy", Input::Group, "send_order_by", link_invoiced(Optional, Hidden)),
    flag("sendOrderBy.sms", "send_by_sms", link_invoiced(Optional, Hidden), Options, true),
    flag("sendOrderBy.email", "send_by_email", link_invoiced(Optional, Hidden), Options, false),
    fixed("sendOrderBy.invoice", "send_by_invoice", OrderKind::is_invoice),
    fixed("isCreditCheckAvailable", "credit_check", off),
    flag("invoiceAsPaymentOption", "invoice_as_payment_option", link_invoiced(Required, Hidden), Options, true),
    flag("secureDetails", "secure_details", link_invoiced(Optional, Forbidden), Options, false),
    own("invoiceInterval", Input::Select, "invoice_interval", link_invoiced(Forbidden, Optional)),
    own("invoiceMaturity", Input::Select, "invoice_maturity", link_invoiced(Forbidden, Optional)),
    flag("invoiceFeeApplicable", "invoice_fee", link_invoiced(Forbidden, Required), Options, true),
    flag("separateInvoices", "separate_invoices", link_invoiced(Forbidden, Optional), Options, true),
    text("referenceNo", Input::Text, "reference_no", every(Optional), References).blank(Blank::Null).row(Halves),
    text("customerReference", Input::Text, "customer_reference", every(Optional), References).blank(Blank::Null).row(Halves),
    // Laravel names the group as a whole ("The callback must be an array.").
    own("callback", Input::Group, "callback_url", every(Optional)),
    // Optional for the merchant: the console sends through the proxy, which supplies its own
    // (`callback::proxy_callback_url`).
    text("callback.callbackUrl", Input::Url, "callback_url", every(Optional), References).help("callback_note"),
];

/// The members of a product line, in column order (also the summary's order within a line).
#[rustfmt::skip]
pub static LINE_FIELDS: &[LineFieldSpec] = &[
    line("name", Input::Text, "product_name", true, "name"),
    line("productId", Input::Text, "product_id", false, "pid"),
    line("quantity", Input::Number, "quantity", true, "qty"),
    line("rate", Input::Money, "rate", true, "rate"),
    line("discount", Input::Money, "discount", false, "disc"),
    line("tax", Input::Select, "tax", true, "tax"),
    line("amount", Input::Computed, "amount", true, "amount"),
];

const fn line(
    member: &'static str,
    input: Input,
    label: &'static str,
    required: bool,
    column: &'static str,
) -> LineFieldSpec {
    LineFieldSpec {
        member,
        input,
        label,
        required,
        column,
    }
}

/// The row of `path` (not a product line's member: see [`line_field`]).
pub fn field_spec(path: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|f| f.path == path)
}

/// The line member of `products.N.<member>`.
pub fn line_field(member: &str) -> Option<&'static LineFieldSpec> {
    LINE_FIELDS.iter().find(|f| f.member == member)
}

/// The controls of `section`, in page order, by line: consecutive members with the same
/// [`Row`] (but `Alone`) share one.
pub fn section_rows(section: Section) -> Vec<(Row, Vec<&'static FieldSpec>)> {
    let mut rows: Vec<(Row, Vec<&'static FieldSpec>)> = Vec::new();
    for f in FIELDS.iter().filter(|f| f.section == Some(section)) {
        let beside = rows
            .last_mut()
            .filter(|(row, _)| f.row != Row::Alone && *row == f.row);
        match beside {
            Some((_, members)) => members.push(f),
            None => rows.push((f.row, vec![f])),
        }
    }
    rows
}

/// `products.3.rate` → (3, "rate").
pub fn split_line_path(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix("products.")?;
    let (i, member) = rest.split_once('.')?;
    Some((i.parse().ok()?, member))
}

/// A path's place on the page: (row, line + 1, member) — a line's members sit at the
/// `products` row, line by line; a path the table does not know comes last.
pub fn page_rank(path: &str) -> (usize, usize, usize) {
    let row = |p: &str| FIELDS.iter().position(|f| f.path == p);
    if let Some((i, member)) = split_line_path(path) {
        let at = LINE_FIELDS
            .iter()
            .position(|f| f.member == member)
            .unwrap_or(LINE_FIELDS.len());
        return (row("products").unwrap_or(0), i + 1, at);
    }
    (row(path).unwrap_or(FIELDS.len()), 0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn every_path_once_and_groups_before_their_members() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(
                FIELDS[i + 1..].iter().all(|g| g.path != f.path),
                "{} twice",
                f.path
            );
            // A group has a row where Laravel names it as a whole; then it comes first.
            if let Some((group, _)) = f.path.rsplit_once('.')
                && let Some(g) = FIELDS.iter().position(|g| g.path == group)
            {
                assert!(g < i, "{}: group {group}", f.path);
            }
        }
    }

    /// A plain member has a control in a section; the others are the form's own code.
    #[wasm_bindgen_test(unsupported = test)]
    fn plain_members_and_only_they_have_a_section() {
        for f in FIELDS {
            let plain = matches!(f.source, Source::Text(_) | Source::Flag { .. });
            assert_eq!(f.section.is_some(), plain, "{}", f.path);
            if plain {
                assert!(f.input.has_control(), "{}", f.path);
            }
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_section_is_laid_out_by_rows() {
        let paths = |section| {
            section_rows(section)
                .into_iter()
                .map(|(row, members)| (row, members.iter().map(|f| f.path).collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            paths(Section::Address),
            [
                (Row::Alone, vec!["customerDetails.address.street"]),
                (
                    Row::ShortLong,
                    vec![
                        "customerDetails.address.zip",
                        "customerDetails.address.city"
                    ]
                ),
                (Row::Alone, vec!["customerDetails.address.country"]),
            ]
        );
        assert_eq!(
            paths(Section::Names),
            [(
                Row::Halves,
                vec!["customerDetails.name", "customerDetails.firstName"]
            )]
        );
        // Checkboxes stand one to a line.
        assert!(
            section_rows(Section::Options)
                .iter()
                .all(|(_, m)| m.len() == 1)
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_cases_follow_the_customer_type_rule() {
        let pn = field_spec("customerDetails.personalNumber").unwrap();
        let org = field_spec("customerDetails.organizationId").unwrap();
        let corporate = Some(CustomerType::Corporate);
        assert_eq!(pn.presence(Case::new(OrderKind::Invoice, None)), Optional);
        assert_eq!(
            pn.presence(Case::new(OrderKind::Invoice, corporate)),
            Forbidden
        );
        // E-Faktura is private whatever was typed; EHF corporate.
        assert_eq!(
            pn.presence(Case::new(OrderKind::EFaktura, corporate)),
            Required
        );
        assert_eq!(org.presence(Case::new(OrderKind::Ehf, None)), Required);
        assert_eq!(
            org.presence(Case::new(OrderKind::PaymentLink, None)),
            Forbidden
        );
        let secure = field_spec("secureDetails").unwrap();
        assert!(
            secure
                .presence(Case::new(OrderKind::PaymentLink, None))
                .is_shown()
        );
        assert!(!secure.presence(Case::new(OrderKind::Ehf, None)).is_sent());
        // The type is chosen for links and invoices, fixed (sent, not shown) for the others.
        let ty = field_spec("customerDetails.type").unwrap();
        for (kind, chosen) in [
            (OrderKind::PaymentLink, true),
            (OrderKind::Invoice, true),
            (OrderKind::EFaktura, false),
            (OrderKind::Ehf, false),
        ] {
            for given in [None, corporate] {
                let p = ty.presence(Case::new(kind, given));
                assert_eq!(p.is_shown(), chosen, "{kind:?} {given:?}");
                assert!(p.is_sent(), "{kind:?} {given:?}");
            }
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn page_order() {
        assert!(page_rank("customerDetails.name") < page_rank("products.0.name"));
        assert!(page_rank("products.0.tax") < page_rank("products.1.name"));
        assert!(page_rank("products.3.tax") < page_rank("sendOrderBy.sms"));
        assert!(page_rank("products.0.name") < page_rank("products.0.tax"));
        assert!(page_rank("callback.callbackUrl") < page_rank("somethingElse"));
        assert_eq!(split_line_path("products.12.tax"), Some((12, "tax")));
        assert_eq!(split_line_path("products.x.tax"), None);
    }
}
