//! The four create requests: one function, parameterised by [`OrderKind`], read by part of the
//! payload: [`products`] (the lines and the summary checked against them), [`customer`]
//! (`customerDetails`: type, contact, ids, address) and, here, the order date, the options of
//! each kind and the callback.

mod customer;
mod products;

pub(crate) use customer::contact;
pub(crate) use products::product_items;
// The customer book checks its entries by the same rules (`validate::book`).
pub(in crate::validate) use customer::customer;
pub(in crate::validate) use products::{discount_exceeds, non_negative, tax_rate};

use serde_json::Value;

use super::{Code, Context, Issue, MAX_STRING, Obj, Report, Validated, Walker, get, obj};
use crate::clock::oslo_day_start;
use crate::customer::CustomerType;
use crate::order::{Callback, CreateOrder, SendOrderBy, UnixTime, parse_order_date};
use crate::status::OrderKind;

/// Allowed `invoiceMaturity` values, by kind and (for plain invoices) customer type.
pub fn allowed_maturities(
    kind: OrderKind,
    customer: Option<CustomerType>,
) -> Option<&'static [i64]> {
    match (kind, customer) {
        (OrderKind::PaymentLink, _) => None,
        (OrderKind::EFaktura, _) | (OrderKind::Invoice, Some(CustomerType::Private)) => Some(&[10]),
        (OrderKind::Ehf, _) | (OrderKind::Invoice, Some(CustomerType::Corporate)) => {
            Some(&[14, 30, 45])
        }
        (OrderKind::Invoice, None) => None,
    }
}

/// The provider's default `invoiceMaturity` when none is sent.
pub fn default_maturity(kind: OrderKind, customer: Option<CustomerType>) -> Option<u16> {
    match (kind, customer) {
        (OrderKind::PaymentLink, _) => None,
        (OrderKind::EFaktura, _) | (OrderKind::Invoice, Some(CustomerType::Private)) => Some(10),
        _ => Some(14),
    }
}

/// Validate a create payload of `kind`. All errors are collected; warnings come back either way.
/// Keep the order of the reads: within a member it is the order of the 417's sentences
/// (`Report::sentences` sorts by top-level member only).
pub fn validate_create(
    kind: OrderKind,
    payload: &Value,
    ctx: &Context,
) -> Result<Validated<CreateOrder>, Report> {
    let root = payload.as_object();
    let mut walker = Walker::default();

    let (products, order_summary) = products::products_and_summary(&mut walker, root, ctx);
    let order_date = order_date(&mut walker, kind, get(root, "orderDate"), ctx);
    let details = obj(get(root, "customerDetails"));
    let (customer_details, customer_type) = customer::customer(&mut walker, kind, details, ctx);

    let mut order = CreateOrder {
        products,
        order_summary,
        send_order_by: None,
        order_date,
        customer_details,
        invoice_as_payment_option: None,
        secure_details: None,
        invoice_interval: None,
        invoice_maturity: None,
        invoice_fee_applicable: None,
        separate_invoices: None,
        reference_no: walker
            .string(get(root, "referenceNo"), "referenceNo", MAX_STRING)
            .ok(),
        customer_reference: walker
            .string(
                get(root, "customerReference"),
                "customerReference",
                MAX_STRING,
            )
            .ok(),
        callback: None,
    };

    if kind == OrderKind::Ehf && ctx.dialect.ehf_requires_link_members() {
        link_members_required(&mut walker, root);
    }
    if kind == OrderKind::PaymentLink {
        payment_link_options(&mut walker, root, &mut order);
    } else {
        invoice_options(&mut walker, root, ctx, &mut order);
        order.invoice_maturity = invoice_maturity(&mut walker, root, kind, customer_type);
    }
    order.callback = callback(&mut walker, kind, root, ctx);

    walker.finish(order)
}

/// Must the create carry `callback.callbackUrl`? The docs' tables require one of E-Faktura and
/// EHF; the recorded server does not; never when the proxy supplies its own.
pub fn callback_required(kind: OrderKind, ctx: &Context) -> bool {
    matches!(kind, OrderKind::EFaktura | OrderKind::Ehf)
        && ctx.dialect.docs_table_rules()
        && !ctx.proxy_callback
}

/// `orderDate`: the dialect's format (or either, for the proxy); a payment link's not before
/// today (Oslo). An unreadable date is not also checked against today, as Laravel's bail.
fn order_date(walker: &mut Walker, kind: OrderKind, v: Option<&Value>, ctx: &Context) -> UnixTime {
    let Some(v) = v else {
        walker.required("orderDate");
        return UnixTime::default();
    };
    let wanted = ctx.dialect.order_date_format();
    let parsed = parse_order_date(v).filter(|(_, f)| ctx.any_date_format || *f == wanted);
    let Some((t, _)) = parsed else {
        walker.error(Issue::new("orderDate", Code::DateFormat).expected(wanted.laravel_pattern()));
        return UnixTime::default();
    };
    if kind == OrderKind::PaymentLink && t.0 < oslo_day_start(ctx.now_unix) {
        walker.error(Issue::new("orderDate", Code::DateBeforeToday));
    }
    t
}

/// The members the recorded server (July 2025) required of an EHF beyond the docs, which never
/// name them: the payment link's sending choices, `isCreditCheckAvailable`,
/// `invoiceAsPaymentOption` (booleans) and a preferred language. The `live-2025-07` dialect
/// requires them here (the language with the customer); the sandbox's recording test and
/// `xtask drift` check a server for them.
pub const EHF_RECORDED_EXTRA: [&str; 6] = [
    "sendOrderBy.sms",
    "sendOrderBy.email",
    "sendOrderBy.invoice",
    "isCreditCheckAvailable",
    "invoiceAsPaymentOption",
    "customerDetails.preferredLanguage",
];

/// The boolean members of [`EHF_RECORDED_EXTRA`] (the language is checked with the customer).
fn link_members_required(walker: &mut Walker, root: Option<&Obj>) {
    for path in EHF_RECORDED_EXTRA {
        let value = match path.split_once('.') {
            None => get(root, path),
            Some(("sendOrderBy", member)) => get(obj(get(root, "sendOrderBy")), member),
            Some(_) => continue,
        };
        if walker.boolean(value, path).is_absent() {
            walker.required(path);
        }
    }
}

/// A payment link's own members: `sendOrderBy`, `invoiceAsPaymentOption` (required) and
/// `secureDetails`.
fn payment_link_options(walker: &mut Walker, root: Option<&Obj>, order: &mut CreateOrder) {
    if let Some(send_by) = obj(get(root, "sendOrderBy")) {
        let send_by = Some(send_by);
        order.send_order_by = Some(SendOrderBy {
            sms: walker.boolean(get(send_by, "sms"), "sendOrderBy.sms").ok(),
            email: walker
                .boolean(get(send_by, "email"), "sendOrderBy.email")
                .ok(),
        });
    }
    let invoice_option = walker.boolean(
        get(root, "invoiceAsPaymentOption"),
        "invoiceAsPaymentOption",
    );
    if invoice_option.is_absent() {
        walker.required("invoiceAsPaymentOption");
    }
    order.invoice_as_payment_option = invoice_option.ok();
    order.secure_details = walker
        .boolean(get(root, "secureDetails"), "secureDetails")
        .ok();
}

/// The invoice kinds' members but the maturity: `invoiceInterval`, `invoiceFeeApplicable`
/// (required by the docs' tables) and `separateInvoices`.
fn invoice_options(
    walker: &mut Walker,
    root: Option<&Obj>,
    ctx: &Context,
    order: &mut CreateOrder,
) {
    order.invoice_interval = walker
        .int_in(get(root, "invoiceInterval"), "invoiceInterval", &[0, 1, 2])
        .ok()
        .and_then(|n| u8::try_from(n).ok());
    let fee = walker.boolean(get(root, "invoiceFeeApplicable"), "invoiceFeeApplicable");
    if fee.is_absent() && ctx.dialect.docs_table_rules() {
        walker.required("invoiceFeeApplicable");
    }
    order.invoice_fee_applicable = fee.ok();
    order.separate_invoices = walker
        .boolean(get(root, "separateInvoices"), "separateInvoices")
        .ok();
}

/// `invoiceMaturity`: one of [`allowed_maturities`] for the kind and the customer type the
/// rules go by, or any integer when those are not known.
fn invoice_maturity(
    walker: &mut Walker,
    root: Option<&Obj>,
    kind: OrderKind,
    customer_type: Option<CustomerType>,
) -> Option<u16> {
    let maturity = match allowed_maturities(kind, customer_type) {
        Some(allowed) => walker.int_in(get(root, "invoiceMaturity"), "invoiceMaturity", allowed),
        None => walker.integer(get(root, "invoiceMaturity"), "invoiceMaturity"),
    };
    maturity.ok().and_then(|n| u16::try_from(n).ok())
}

/// `callback.callbackUrl`, required when [`callback_required`]; the typed callback is kept when
/// the object was sent or the URL read.
fn callback(
    walker: &mut Walker,
    kind: OrderKind,
    root: Option<&Obj>,
    ctx: &Context,
) -> Option<Callback> {
    let callback = obj(get(root, "callback"));
    let url = walker.url(get(callback, "callbackUrl"), "callback.callbackUrl");
    if url.is_absent() && callback_required(kind, ctx) {
        walker.required("callback.callbackUrl");
    }
    (callback.is_some() || url.is_ok()).then(|| Callback {
        callback_url: url.ok(),
    })
}
