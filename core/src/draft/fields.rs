//! The one field table of the four create requests: every member once, in the order the
//! console's form shows them, with where it applies (kind × customer type), how it is entered,
//! the i18n keys of its label and help, and (for plain members) where the draft keeps it.
//!
//! Read by the draft's conversion ([`super::OrderDraft::to_payload`] and back), by validation's
//! map from a Laravel sentence to a path (`validate::field_of_sentence`), and by the console
//! (DOM ids, labels, "optional" marks, the error summary's order). Presence follows what
//! `validate::create` enforces (the docs' tables) and the July 2025 recording's extra EHF
//! members, which the form always sends.

use crate::customer::CustomerType;
use crate::status::OrderKind;

use super::OrderDraft;

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
    Email,
    Tel,
    Url,
    /// A decimal number (`1,5`).
    Number,
    /// An amount in kr (`1 234,50`).
    Money,
    Select,
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

/// Where the draft keeps a plain member, so the conversion (both ways) and the form need no
/// code of their own for it. `None` members are written by the conversion itself.
#[derive(Clone, Copy)]
pub enum Source {
    None,
    /// A typed text.
    Text {
        read: fn(&OrderDraft) -> &String,
        write: fn(&mut OrderDraft) -> &mut String,
        clean: Clean,
        blank: Blank,
    },
    /// A ticked choice; where the member is hidden the form sends `hidden(kind)`.
    Flag {
        read: fn(&OrderDraft) -> bool,
        write: fn(&mut OrderDraft) -> &mut bool,
        hidden: fn(OrderKind) -> bool,
    },
    /// Never shown: always `value(kind)`.
    Fixed {
        value: fn(OrderKind) -> bool,
    },
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Source::None => "None",
            Source::Text { .. } => "Text",
            Source::Flag { .. } => "Flag",
            Source::Fixed { .. } => "Fixed",
        })
    }
}

/// One member of a create request.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The dotted path validation reports (`customerDetails.address.city`).
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
}

impl FieldSpec {
    /// Where it stands for this kind and customer type.
    pub const fn presence(&self, case: Case) -> Presence {
        self.presence[case.column()]
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
}

use Presence::{Forbidden, Hidden, Optional, Required};

/// The same in every case.
const fn every(p: Presence) -> [Presence; 6] {
    [p; 6]
}

/// One way for the payment link, another for the three invoiced kinds.
const fn link_invoiced(link: Presence, invoiced: Presence) -> [Presence; 6] {
    [link, link, invoiced, invoiced, invoiced, invoiced]
}

/// Chosen by the merchant for a payment link or an invoice; fixed by the kind (sent, not
/// shown) for E-Faktura (private) and EHF (corporate).
const fn chosen_or_fixed() -> [Presence; 6] {
    let mut p = every(Presence::Required);
    p[4] = Presence::Hidden;
    p[5] = Presence::Hidden;
    p
}

/// One way for private customers, another for corporate ones (E-Faktura is private, EHF
/// corporate), with E-Faktura's own.
const fn by_customer(private: Presence, corporate: Presence, e_faktura: Presence) -> [Presence; 6] {
    [private, corporate, private, corporate, e_faktura, corporate]
}

const fn field(
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
        source: Source::None,
    }
}

const fn plain(
    path: &'static str,
    input: Input,
    label: &'static str,
    presence: [Presence; 6],
    source: Source,
) -> FieldSpec {
    FieldSpec {
        path,
        input,
        label,
        help: None,
        presence,
        source,
    }
}

/// `false` in every kind (a choice the form never makes).
const fn off(_: OrderKind) -> bool {
    false
}

/// Every member of the four create requests, in page order (the error summary's order).
pub static FIELDS: &[FieldSpec] = &[
    field(
        "customerDetails",
        Input::Group,
        "customer_legend",
        every(Required),
    ),
    field(
        "customerDetails.type",
        Input::Radio,
        "customer_type",
        chosen_or_fixed(),
    ),
    plain(
        "customerDetails.name",
        Input::Text,
        "name",
        every(Required),
        Source::Text {
            read: |d| &d.name,
            write: |d| &mut d.name,
            clean: Clean::Trim,
            blank: Blank::Empty,
        },
    ),
    plain(
        "customerDetails.firstName",
        Input::Text,
        "first_name",
        every(Optional),
        Source::Text {
            read: |d| &d.first_name,
            write: |d| &mut d.first_name,
            clean: Clean::Trim,
            blank: Blank::Omit,
        },
    ),
    field(
        "customerDetails.countryCode",
        Input::Select,
        "calling_code",
        link_invoiced(Optional, Required),
    ),
    field(
        "customerDetails.msisdn",
        Input::Tel,
        "phone_number",
        link_invoiced(Optional, Required),
    ),
    plain(
        "customerDetails.email",
        Input::Email,
        "email",
        link_invoiced(Optional, Required),
        Source::Text {
            read: |d| &d.email,
            write: |d| &mut d.email,
            clean: Clean::Trim,
            blank: Blank::Omit,
        },
    ),
    plain(
        "customerDetails.personalNumber",
        Input::Text,
        "personal_number",
        by_customer(Optional, Forbidden, Required),
        Source::Text {
            read: |d| &d.personal_number,
            write: |d| &mut d.personal_number,
            clean: Clean::NoSpaces,
            blank: Blank::Omit,
        },
    ),
    plain(
        "customerDetails.organizationId",
        Input::Text,
        "organization_id",
        by_customer(Forbidden, Required, Forbidden),
        Source::Text {
            read: |d| &d.organization_id,
            write: |d| &mut d.organization_id,
            clean: Clean::NoSpaces,
            blank: Blank::Omit,
        },
    ),
    field(
        "customerDetails.address",
        Input::Group,
        "address_legend",
        every(Required),
    ),
    plain(
        "customerDetails.address.street",
        Input::Text,
        "street",
        every(Required),
        Source::Text {
            read: |d| &d.street,
            write: |d| &mut d.street,
            clean: Clean::Trim,
            blank: Blank::Empty,
        },
    ),
    plain(
        "customerDetails.address.zip",
        Input::Text,
        "zip",
        every(Required),
        Source::Text {
            read: |d| &d.zip,
            write: |d| &mut d.zip,
            clean: Clean::Trim,
            blank: Blank::Empty,
        },
    ),
    plain(
        "customerDetails.address.city",
        Input::Text,
        "city",
        every(Required),
        Source::Text {
            read: |d| &d.city,
            write: |d| &mut d.city,
            clean: Clean::Trim,
            blank: Blank::Empty,
        },
    ),
    plain(
        "customerDetails.address.country",
        Input::Select,
        "country",
        every(Required),
        Source::Text {
            read: |d| &d.country,
            write: |d| &mut d.country,
            clean: Clean::Trim,
            blank: Blank::Empty,
        },
    ),
    // Optional in the docs; the recorded server required it of an EHF. A select: always one.
    plain(
        "customerDetails.preferredLanguage",
        Input::Select,
        "preferred_language",
        [Optional, Optional, Optional, Optional, Optional, Required],
        Source::Text {
            read: |d| &d.language,
            write: |d| &mut d.language,
            clean: Clean::Trim,
            blank: Blank::Default(crate::customer::Language::No.as_str()),
        },
    ),
    field("products", Input::Group, "products_legend", every(Required)),
    field(
        "orderSummary",
        Input::Group,
        "summary_legend",
        every(Hidden),
    ),
    field(
        "orderSummary.subTotal",
        Input::Computed,
        "sub_total",
        every(Hidden),
    ),
    field(
        "orderSummary.totalTax",
        Input::Computed,
        "total_tax",
        every(Hidden),
    ),
    field(
        "orderSummary.totalDiscount",
        Input::Computed,
        "total_discount",
        every(Hidden),
    ),
    field(
        "orderSummary.grandTotal",
        Input::Computed,
        "grand_total",
        every(Hidden),
    ),
    field("orderDate", Input::Date, "order_date", every(Required)),
    // The recorded server wanted all three choices of every kind; an invoice goes as one.
    field(
        "sendOrderBy",
        Input::Group,
        "send_order_by",
        link_invoiced(Optional, Hidden),
    ),
    plain(
        "sendOrderBy.sms",
        Input::Checkbox,
        "send_by_sms",
        link_invoiced(Optional, Hidden),
        Source::Flag {
            read: |d| d.send_sms,
            write: |d| &mut d.send_sms,
            hidden: off,
        },
    ),
    plain(
        "sendOrderBy.email",
        Input::Checkbox,
        "send_by_email",
        link_invoiced(Optional, Hidden),
        Source::Flag {
            read: |d| d.send_email,
            write: |d| &mut d.send_email,
            hidden: off,
        },
    ),
    plain(
        "sendOrderBy.invoice",
        Input::Checkbox,
        "send_by_invoice",
        every(Hidden),
        Source::Fixed {
            value: OrderKind::is_invoice,
        },
    ),
    plain(
        "isCreditCheckAvailable",
        Input::Checkbox,
        "credit_check",
        every(Hidden),
        Source::Fixed { value: off },
    ),
    plain(
        "invoiceAsPaymentOption",
        Input::Checkbox,
        "invoice_as_payment_option",
        link_invoiced(Required, Hidden),
        Source::Flag {
            read: |d| d.invoice_as_payment_option,
            write: |d| &mut d.invoice_as_payment_option,
            hidden: off,
        },
    ),
    plain(
        "secureDetails",
        Input::Checkbox,
        "secure_details",
        link_invoiced(Optional, Forbidden),
        Source::Flag {
            read: |d| d.secure_details,
            write: |d| &mut d.secure_details,
            hidden: off,
        },
    ),
    field(
        "invoiceInterval",
        Input::Select,
        "invoice_interval",
        link_invoiced(Forbidden, Optional),
    ),
    field(
        "invoiceMaturity",
        Input::Select,
        "invoice_maturity",
        link_invoiced(Forbidden, Optional),
    ),
    plain(
        "invoiceFeeApplicable",
        Input::Checkbox,
        "invoice_fee",
        link_invoiced(Forbidden, Required),
        Source::Flag {
            read: |d| d.invoice_fee,
            write: |d| &mut d.invoice_fee,
            hidden: off,
        },
    ),
    plain(
        "separateInvoices",
        Input::Checkbox,
        "separate_invoices",
        link_invoiced(Forbidden, Optional),
        Source::Flag {
            read: |d| d.separate_invoices,
            write: |d| &mut d.separate_invoices,
            hidden: off,
        },
    ),
    plain(
        "referenceNo",
        Input::Text,
        "reference_no",
        every(Optional),
        Source::Text {
            read: |d| &d.reference_no,
            write: |d| &mut d.reference_no,
            clean: Clean::Trim,
            blank: Blank::Null,
        },
    ),
    plain(
        "customerReference",
        Input::Text,
        "customer_reference",
        every(Optional),
        Source::Text {
            read: |d| &d.customer_reference,
            write: |d| &mut d.customer_reference,
            clean: Clean::Trim,
            blank: Blank::Null,
        },
    ),
    // Laravel names the group as a whole ("The callback must be an array.").
    field("callback", Input::Group, "callback_url", every(Optional)),
    // Optional for the merchant: the console sends through the proxy, which supplies its own
    // (`callback::proxy_callback_url`).
    FieldSpec {
        help: Some("callback_note"),
        ..plain(
            "callback.callbackUrl",
            Input::Url,
            "callback_url",
            every(Optional),
            Source::Text {
                read: |d| &d.callback_url,
                write: |d| &mut d.callback_url,
                clean: Clean::Trim,
                blank: Blank::Omit,
            },
        )
    },
];

/// The members of a product line, in column order (also the summary's order within a line).
pub static LINE_FIELDS: &[LineFieldSpec] = &[
    line("name", Input::Text, "product_name", true),
    line("productId", Input::Text, "product_id", false),
    line("quantity", Input::Number, "quantity", true),
    line("rate", Input::Money, "rate", true),
    line("discount", Input::Money, "discount", false),
    line("tax", Input::Select, "tax", true),
    line("amount", Input::Computed, "amount", true),
];

const fn line(
    member: &'static str,
    input: Input,
    label: &'static str,
    required: bool,
) -> LineFieldSpec {
    LineFieldSpec {
        member,
        input,
        label,
        required,
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
            if let Some((group, _)) = f.path.rsplit_once('.') {
                let g = FIELDS.iter().position(|g| g.path == group);
                assert!(g.is_some_and(|g| g < i), "{}: group {group}", f.path);
            }
        }
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
