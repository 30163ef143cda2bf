//! The 12 operations as plain blocking functions: a parsed request in, a [`JsonAnswer`] out.
//! Validation (frontdesk-core) runs before any lock is taken; each write is one short
//! transaction on the writer connection.

use frontdesk_core::customer::CustomerType;
use frontdesk_core::endpoint::Endpoint;
use frontdesk_core::envelope::{ApiMessage, Envelope, Errors};
use frontdesk_core::ids::{CustomerId, OrderId};
use frontdesk_core::money::Money;
use frontdesk_core::order::{CreateOrder, summarize};
use frontdesk_core::refund::{MerchantLimits, RefundRejection};
use frontdesk_core::responses::{
    CreatedOrder, DetailCustomer, DetailProduct, DetailSummary, InvoiceNumber, OrderDetails,
    OrderStatusDetail, OrderStatusItem,
};
use frontdesk_core::status::{OrderKind, OrderStatus};
use frontdesk_core::validate::{
    Context, Report, validate_cancel, validate_create, validate_refund, validate_resend,
};
use serde::Serialize;
use serde_json::Value;

use crate::App;
use crate::refunds;
use crate::store::{NewOrder, OrderRow, StoreError};
use frontdesk_core::lifecycle::{self, Action, Refusal, Shape};

/// A finished answer: status code and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonAnswer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl JsonAnswer {
    /// An envelope, with the status code it carries.
    pub fn envelope<T: Serialize>(env: &Envelope<T>) -> JsonAnswer {
        match serde_json::to_vec(env) {
            Ok(body) => JsonAnswer {
                status: env.status_code,
                body,
            },
            Err(e) => JsonAnswer::internal(&format!("serialising the answer: {e}")),
        }
    }
    /// A message's envelope without data (its status code is the message's).
    pub fn message(m: ApiMessage) -> JsonAnswer {
        JsonAnswer::envelope(&Envelope::<Value>::of(m))
    }
    /// 500 with the documented `{happenedAt, internalErrorDetails}`.
    pub fn internal(detail: &str) -> JsonAnswer {
        let at = crate::clock::wall_secs().to_string();
        JsonAnswer::envelope(&Envelope::<Value>::internal_error(
            &at,
            vec![detail.to_owned()],
        ))
    }
    /// 417 for a rule of the sandbox's own: `errors` is a list of Laravel-style sentences, as
    /// core's validation answers ([`Envelope::validation`]).
    pub fn invalid(sentence: String) -> JsonAnswer {
        JsonAnswer::envelope(&Envelope::<Value>::error(
            ApiMessage::PayloadValidationErrors,
            Errors::List(vec![sentence]),
        ))
    }
}

/// Every way an operation fails; each has its envelope.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("order not found")]
    NotFound,
    #[error("payload validation failed")]
    Invalid(Report),
    /// A rule of the sandbox's own failed: one sentence naming the field.
    #[error("{0}")]
    Sentence(String),
    #[error("refused: {0}")]
    Refused(ApiMessage),
    #[error("refund rejected: {0}")]
    Refund(#[from] RefundRejection),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            e => ApiError::Store(e),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        ApiError::Refused(match r {
            Refusal::AlreadyPaid => ApiMessage::OrderStatusAlreadyPaid,
            Refusal::AlreadyCancelled => ApiMessage::OrderStatusAlreadyCancelled,
            Refusal::NotAllowed => ApiMessage::OrderStatusNotAllowed,
        })
    }
}

impl ApiError {
    /// The answer to an API call of `endpoint`: not found is worded per endpoint, as recorded
    /// (`Order Not Found` for the status endpoints, `orderNotFound` for the others).
    pub fn answer_to(&self, endpoint: Endpoint) -> JsonAnswer {
        match self {
            ApiError::NotFound => JsonAnswer::envelope(&Envelope::<Value>::not_found_for(endpoint)),
            other => other.answer(),
        }
    }

    /// The answer outside an API call (the controls).
    pub fn answer(&self) -> JsonAnswer {
        match self {
            ApiError::NotFound => JsonAnswer::message(ApiMessage::OrderNotFound),
            ApiError::Invalid(report) => {
                JsonAnswer::envelope(&Envelope::<Value>::validation(report))
            }
            ApiError::Sentence(s) => JsonAnswer::invalid(s.clone()),
            ApiError::Refused(m) => JsonAnswer::message(*m),
            ApiError::Refund(r) => JsonAnswer::message(r.message()),
            ApiError::Store(e) => JsonAnswer::internal(&e.to_string()),
        }
    }
}

/// What a request carries once the HTTP layer has parsed it.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub endpoint: Endpoint,
    pub order_id: Option<&'a OrderId>,
    /// The raw query string (Get All Order Status' `type`).
    pub query: Option<&'a str>,
    /// The JSON body (`Value::Null` when the endpoint takes none).
    pub body: &'a Value,
}

/// Run one API call.
pub fn call(app: &App, c: Call<'_>) -> JsonAnswer {
    if let Err(e) = app.sweep() {
        return JsonAnswer::internal(&e.to_string());
    }
    let id = c.order_id.map(OrderId::as_str).unwrap_or_default();
    let out = match c.endpoint {
        Endpoint::CreatePaymentLink
        | Endpoint::CreateInvoice
        | Endpoint::CreateEFaktura
        | Endpoint::CreateEhf => match c.endpoint.kind() {
            Some(kind) => create(app, kind, c.body),
            None => Err(ApiError::NotFound),
        },
        Endpoint::Resend => resend(app, id, c.body),
        Endpoint::Cancel => cancel(app, id, c.body),
        Endpoint::Refund => refund(app, id, c.body),
        Endpoint::StatusAll => status_all(app, c.query),
        Endpoint::Status => status(app, id),
        Endpoint::Details => details(app, id),
        Endpoint::InvoiceNumber => invoice_number(app, id),
        Endpoint::DelayedCharge => delayed_charge(app, id),
    };
    out.unwrap_or_else(|e| e.answer_to(c.endpoint))
}

fn ctx(app: &App) -> Context {
    ctx_at(app, app.clock.now())
}

/// Validation as this sandbox's dialect has it; `orderDate` only in the dialect's own format
/// (a server insists on its format; only the proxy accepts either).
fn ctx_at(app: &App, now: i64) -> Context {
    Context::new(now).with_dialect(app.config.dialect)
}

fn ok<T: Serialize>(m: ApiMessage, data: T) -> Result<JsonAnswer, ApiError> {
    Ok(JsonAnswer::envelope(&Envelope::ok(m, data)))
}

fn shape(o: &OrderRow) -> Shape {
    Shape {
        kind: o.kind,
        invoice_option: o.invoice_option,
    }
}

/// The customer's identity for CSRT reuse: the strongest identifier sent.
fn customer_identity(order: &CreateOrder) -> String {
    let c = &order.customer_details;
    let non_empty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    if let Some(p) = non_empty(&c.personal_number) {
        format!("pnr:{p}")
    } else if let Some(o) = non_empty(&c.organization_id) {
        format!("org:{o}")
    } else if let Some(e) = non_empty(&c.email) {
        format!("email:{}", e.to_lowercase())
    } else {
        format!(
            "phone:{}{}|{}",
            c.country_code.as_deref().unwrap_or_default(),
            c.msisdn.as_deref().unwrap_or_default(),
            c.name
        )
    }
}

fn create(app: &App, kind: OrderKind, body: &Value) -> Result<JsonAnswer, ApiError> {
    let now = app.clock.now();
    let order = validate_create(kind, body, &ctx_at(app, now))
        .map_err(ApiError::Invalid)?
        .value;
    let validity = i64::try_from(app.config.payment_link_validity.as_secs()).unwrap_or(i64::MAX);
    let new = NewOrder {
        kind,
        invoice_option: order.invoice_as_payment_option.unwrap_or(false),
        order_date: order.order_date.0,
        // Decision: an unpaid link is due 7 days after its order date (or creation, if later).
        due_at: (!kind.is_invoice()).then(|| order.order_date.0.max(now).saturating_add(validity)),
        amount: order.order_summary.grand_total,
        callback_url: order.callback.as_ref().and_then(|c| c.callback_url.clone()),
        customer_identity: customer_identity(&order),
        line_amounts: order.products.iter().map(|p| p.amount).collect(),
        request: serde_json::to_string(&order)
            .map_err(|e| ApiError::Store(StoreError::Corrupt(e.to_string())))?,
    };
    let (uuid, customer_uuid) = app.store.create(&new, lifecycle::initial(kind), now)?;
    ok(
        ApiMessage::OrderAddedSuccessfully,
        CreatedOrder {
            uuid,
            customer_uuid,
        },
    )
}

fn resend(app: &App, id: &str, body: &Value) -> Result<JsonAnswer, ApiError> {
    validate_resend(body, &ctx(app)).map_err(ApiError::Invalid)?;
    app.store.with_order(id, app.clock.now(), |tx| {
        lifecycle::decide(shape(&tx.order), tx.order.status, Action::Resend).map_err(ApiError::from)
    })?;
    Ok(JsonAnswer::message(ApiMessage::ResentOrderSuccessfully))
}

fn cancel(app: &App, id: &str, body: &Value) -> Result<JsonAnswer, ApiError> {
    let req = validate_cancel(body, &ctx(app))
        .map_err(ApiError::Invalid)?
        .value;
    let ((), cbs) = app.store.with_order(id, app.clock.now(), |tx| {
        if let Some(to) = lifecycle::decide(shape(&tx.order), tx.order.status, Action::Cancel)? {
            tx.set_status(to, "cancel", Some(&req.cancellation_note))?;
        }
        Ok::<_, ApiError>(())
    })?;
    app.callbacks.send(cbs);
    Ok(JsonAnswer::message(ApiMessage::CancelledOrderSuccessfully))
}

fn refund(app: &App, id: &str, body: &Value) -> Result<JsonAnswer, ApiError> {
    let now = app.clock.now();
    let req = validate_refund(body, &ctx_at(app, now))
        .map_err(ApiError::Invalid)?
        .value;
    let request_json = serde_json::to_string(&req).unwrap_or_default();
    let ((), cbs) = app.store.with_order(id, now, |tx| {
        let want = refunds::expected_type(&tx.order);
        if req.refund_type != want {
            let name = want.as_str();
            return Err(ApiError::Sentence(format!(
                "The type must be {name} for this order."
            )));
        }
        lifecycle::decide(shape(&tx.order), tx.order.status, Action::Refund)?;
        let limits = MerchantLimits {
            per_request: app.config.refund_limit,
            weekly: app.config.weekly_refund_limit,
            refunded_this_week: tx.refunded_since(now - 7 * 86_400)?,
        };
        let lines = tx.lines()?;
        let booking = refunds::plan(&tx.order, &lines, &req, &limits)?;
        tx.add_refund(
            &booking.lines,
            booking.total,
            booking.new_status,
            &request_json,
        )?;
        Ok(())
    })?;
    app.callbacks.send(cbs);
    Ok(JsonAnswer::message(ApiMessage::OrderRefundedSuccessfully))
}

/// `?type=` of Get All Order Status: case-insensitive, `+`, `%20`, `_` or `-` for the space.
pub fn status_filter(query: Option<&str>) -> Result<Option<OrderStatus>, ApiError> {
    let Some(q) = query else { return Ok(None) };
    for pair in q.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k != "type" {
            continue;
        }
        let v = percent_decode(v);
        if v.trim().is_empty() {
            return Ok(None);
        }
        return v
            .parse()
            .map(Some)
            .map_err(|_| ApiError::Sentence("The selected type is invalid.".to_owned()));
    }
    Ok(None)
}

/// Query-string decoding: `+` is a space, `%XX` a byte; bad escapes stay as they are.
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Both dialects answer "no order matches" with 404 `Order Not Found`, never `200 []`, as the
/// live server did (with and without `?type=`).
fn status_all(app: &App, query: Option<&str>) -> Result<JsonAnswer, ApiError> {
    let filter = status_filter(query)?;
    let rows = app.store.statuses(filter)?;
    if rows.is_empty() {
        return Err(ApiError::NotFound);
    }
    let mut items = Vec::with_capacity(rows.len());
    for (uuid, status) in rows {
        let uuid = uuid.parse().map_err(|_| StoreError::Corrupt(uuid))?;
        items.push(OrderStatusItem { uuid, status });
    }
    ok(ApiMessage::OrderStatusRetrievedSuccessfully, items)
}

fn load(app: &App, id: &str) -> Result<(OrderRow, Vec<crate::store::LineRow>), ApiError> {
    app.store.order(id)?.ok_or(ApiError::NotFound)
}

fn order_id(o: &OrderRow) -> Result<OrderId, ApiError> {
    o.uuid
        .parse()
        .map_err(|_| ApiError::Store(StoreError::Corrupt(o.uuid.clone())))
}

/// The docs show `orderAmount` / `refundedAmount`; the recorded server sent `uuid` and
/// `status` only.
fn status(app: &App, id: &str) -> Result<JsonAnswer, ApiError> {
    let (o, _) = load(app, id)?;
    let amounts = app.config.dialect.status_has_amounts();
    ok(
        ApiMessage::OrderStatusRetrievedSuccessfully,
        OrderStatusDetail {
            uuid: order_id(&o)?,
            status: o.status,
            order_amount: amounts.then_some(o.amount),
            refunded_amount: amounts.then_some(o.refunded),
        },
    )
}

fn details(app: &App, id: &str) -> Result<JsonAnswer, ApiError> {
    let (o, lines) = load(app, id)?;
    let corrupt = |e: String| ApiError::Store(StoreError::Corrupt(e));
    let req: CreateOrder = serde_json::from_str(&o.request).map_err(|e| corrupt(e.to_string()))?;
    let sum = summarize(&req.products).map_err(|e| corrupt(e.to_string()))?;
    let product_list = req
        .products
        .iter()
        .zip(&lines)
        .map(|(p, l)| DetailProduct {
            id: l.id,
            name: p.name.clone(),
            product_id: p.product_id.clone(),
            quantity: p.quantity,
            rate: p.rate,
            discount: p.discount.unwrap_or(Money::ZERO),
            tax: p.tax,
            amount: p.amount,
        })
        .collect();
    let c = req.customer_details;
    // Core's rule (E-Faktura private, EHF corporate); a kind open to both says which.
    let customer_type =
        CustomerType::for_kind(o.kind, c.customer_type).unwrap_or(CustomerType::Private);
    let customer_uuid: CustomerId = o
        .customer_uuid
        .parse()
        .map_err(|_| corrupt(o.customer_uuid.clone()))?;
    let data = OrderDetails {
        kind: o.kind,
        order_id: order_id(&o)?,
        invoice_number: o.invoice_number.clone(),
        status: o.status,
        order_date: o.order_date.to_string(),
        payment_link_due_date: o.due_at.map(|d| d.to_string()),
        product_list,
        order_summary: DetailSummary {
            sub_total: sum.sub_total,
            tax: sum.total_tax,
            discount: sum.total_discount,
            grand_total: sum.grand_total,
        },
        customer_details: DetailCustomer {
            customer_type,
            uuid: customer_uuid,
            country_code: c.country_code,
            msisdn: c.msisdn,
            email: c.email,
            name: c.name,
            preferred_language: c.preferred_language.unwrap_or_default(),
            personal_number: c.personal_number,
            organization_id: c.organization_id,
            address: c.address,
        },
    };
    ok(ApiMessage::OrderRetrievedSuccessfully, data)
}

fn invoice_number(app: &App, id: &str) -> Result<JsonAnswer, ApiError> {
    let (o, _) = load(app, id)?;
    match &o.invoice_number {
        // Decision: no number (not an invoiced order, or cancelled/expired) is 400 orderStatusNotAllowed.
        Some(n) if o.status.has_invoice_number() => ok(
            ApiMessage::OrderInvoiceNoRetrievedSuccessfully,
            InvoiceNumber {
                order_id: order_id(&o)?,
                invoice_number: n.clone(),
                status: o.status,
            },
        ),
        _ => Err(ApiError::Refused(ApiMessage::OrderStatusNotAllowed)),
    }
}

fn delayed_charge(app: &App, id: &str) -> Result<JsonAnswer, ApiError> {
    let ((), cbs) = app.store.with_order(id, app.clock.now(), |tx| {
        if let Some(to) =
            lifecycle::decide(shape(&tx.order), tx.order.status, Action::DelayedCharge)?
        {
            tx.set_status(to, "delayedCharge", None)?;
        }
        Ok::<_, ApiError>(())
    })?;
    app.callbacks.send(cbs);
    Ok(JsonAnswer::message(
        ApiMessage::OrderDelayedChargedSuccessfully,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_filter() {
        assert_eq!(status_filter(None).unwrap(), None);
        assert_eq!(
            status_filter(Some("type=Paid")).unwrap(),
            Some(OrderStatus::Paid)
        );
        assert_eq!(
            status_filter(Some("type=PARTIAL+REFUNDED")).unwrap(),
            Some(OrderStatus::PartialRefunded)
        );
        assert_eq!(
            status_filter(Some("x=1&type=partial%20refunded")).unwrap(),
            Some(OrderStatus::PartialRefunded)
        );
        assert_eq!(
            status_filter(Some("type=debt%20collection")).unwrap(),
            Some(OrderStatus::DebtCollection)
        );
        assert_eq!(status_filter(Some("type=")).unwrap(), None);
        assert!(status_filter(Some("type=NOPE")).is_err());
        assert!(status_filter(Some("type=%ZZ")).is_err());
        assert_eq!(percent_decode("a%2"), "a%2");
    }
}
