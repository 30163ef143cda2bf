//! The 12 endpoints, once: method, path, shape, success answer; and a pure router.

use std::fmt;

use crate::envelope::{ApiMessage, Envelope};
use crate::ids::OrderId;
use crate::status::OrderKind;

/// Base path of every endpoint on the provider's hosts (and ours).
pub const BASE_PATH: &str = "/api/v1";
/// The placeholder in path templates.
pub const ORDER_SLOT: &str = "{ORDER_UUID}";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    CreatePaymentLink,
    CreateInvoice,
    CreateEFaktura,
    CreateEhf,
    Resend,
    Cancel,
    Refund,
    StatusAll,
    Status,
    Details,
    InvoiceNumber,
    DelayedCharge,
}

/// Why a request matched no endpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error("no such route")]
    NotFound,
    #[error("method not allowed; allowed: {allowed}")]
    MethodNotAllowed { allowed: Method },
    /// The path has the shape of an endpoint (named, for the API's 12) but its `{ORDER_UUID}`
    /// slot is not an order id: not found, worded as that endpoint words it.
    #[error("not an order id")]
    NotAnOrderId(Option<Endpoint>),
}

impl RouteError {
    pub const fn status(&self) -> u16 {
        self.message().status_code()
    }
    pub const fn message(&self) -> ApiMessage {
        match self {
            RouteError::NotFound => ApiMessage::RouteNotFound,
            RouteError::MethodNotAllowed { .. } => ApiMessage::MethodNotAllowed,
            RouteError::NotAnOrderId(_) => ApiMessage::OrderNotFound,
        }
    }

    /// The answer: a 404 for a slot that is no order id is worded as its endpoint's (recorded).
    pub fn envelope(&self) -> Envelope<serde_json::Value> {
        match self {
            RouteError::NotAnOrderId(Some(endpoint)) => Envelope::not_found_for(*endpoint),
            RouteError::NotAnOrderId(None) => Envelope::not_found(),
            other => Envelope::of(other.message()),
        }
    }
}

impl Endpoint {
    pub const ALL: [Endpoint; 12] = [
        Endpoint::CreatePaymentLink,
        Endpoint::CreateInvoice,
        Endpoint::CreateEFaktura,
        Endpoint::CreateEhf,
        Endpoint::Resend,
        Endpoint::Cancel,
        Endpoint::Refund,
        Endpoint::StatusAll,
        Endpoint::Status,
        Endpoint::Details,
        Endpoint::InvoiceNumber,
        Endpoint::DelayedCharge,
    ];

    pub const fn method(self) -> Method {
        match self {
            Endpoint::StatusAll
            | Endpoint::Status
            | Endpoint::Details
            | Endpoint::InvoiceNumber => Method::Get,
            _ => Method::Post,
        }
    }

    /// Segments after `/api/v1/connect/orders/`, without the order id slot.
    const fn stem(self) -> &'static str {
        match self {
            Endpoint::CreatePaymentLink => "payment-link/create",
            Endpoint::CreateInvoice => "invoice/create",
            Endpoint::CreateEFaktura => "faktura/create",
            Endpoint::CreateEhf => "ehf/create",
            Endpoint::Resend => "resend",
            Endpoint::Cancel => "cancel",
            Endpoint::Refund => "refund",
            Endpoint::StatusAll | Endpoint::Status => "status",
            Endpoint::Details => "details",
            Endpoint::InvoiceNumber => "invoice-number",
            Endpoint::DelayedCharge => "delayed/charge",
        }
    }

    /// Other stems the live server answers on: the July 2025 recording's client created
    /// E-Faktura and EHF orders at `invoice/create/faktura` and `invoice/create/ehf`.
    const fn recorded_stems(self) -> &'static [&'static str] {
        match self {
            Endpoint::CreateEFaktura => &["invoice/create/faktura"],
            Endpoint::CreateEhf => &["invoice/create/ehf"],
            _ => &[],
        }
    }

    /// Full upstream path template, e.g. `/api/v1/connect/orders/resend/{ORDER_UUID}`.
    pub const fn path_template(self) -> &'static str {
        match self {
            Endpoint::CreatePaymentLink => "/api/v1/connect/orders/payment-link/create",
            Endpoint::CreateInvoice => "/api/v1/connect/orders/invoice/create",
            Endpoint::CreateEFaktura => "/api/v1/connect/orders/faktura/create",
            Endpoint::CreateEhf => "/api/v1/connect/orders/ehf/create",
            Endpoint::Resend => "/api/v1/connect/orders/resend/{ORDER_UUID}",
            Endpoint::Cancel => "/api/v1/connect/orders/cancel/{ORDER_UUID}",
            Endpoint::Refund => "/api/v1/connect/orders/refund/{ORDER_UUID}",
            Endpoint::StatusAll => "/api/v1/connect/orders/status",
            Endpoint::Status => "/api/v1/connect/orders/status/{ORDER_UUID}",
            Endpoint::Details => "/api/v1/connect/orders/details/{ORDER_UUID}",
            Endpoint::InvoiceNumber => "/api/v1/connect/orders/invoice-number/{ORDER_UUID}",
            Endpoint::DelayedCharge => "/api/v1/connect/orders/delayed/charge/{ORDER_UUID}",
        }
    }

    pub const fn takes_order_id(self) -> bool {
        !matches!(
            self,
            Endpoint::CreatePaymentLink
                | Endpoint::CreateInvoice
                | Endpoint::CreateEFaktura
                | Endpoint::CreateEhf
                | Endpoint::StatusAll
        )
    }

    /// Changes state at the provider (needs idempotency, audit, a write role).
    pub const fn is_write(self) -> bool {
        matches!(self.method(), Method::Post)
    }

    /// Does the request carry a JSON body? (Delayed Charge is a POST without one.)
    pub const fn has_body(self) -> bool {
        self.is_write() && !matches!(self, Endpoint::DelayedCharge)
    }

    /// The create kind, for the four create endpoints.
    pub const fn kind(self) -> Option<OrderKind> {
        match self {
            Endpoint::CreatePaymentLink => Some(OrderKind::PaymentLink),
            Endpoint::CreateInvoice => Some(OrderKind::Invoice),
            Endpoint::CreateEFaktura => Some(OrderKind::EFaktura),
            Endpoint::CreateEhf => Some(OrderKind::Ehf),
            _ => None,
        }
    }

    /// The documented success answer.
    pub const fn success(self) -> ApiMessage {
        match self {
            Endpoint::CreatePaymentLink
            | Endpoint::CreateInvoice
            | Endpoint::CreateEFaktura
            | Endpoint::CreateEhf => ApiMessage::OrderAddedSuccessfully,
            Endpoint::Resend => ApiMessage::ResentOrderSuccessfully,
            Endpoint::Cancel => ApiMessage::CancelledOrderSuccessfully,
            Endpoint::Refund => ApiMessage::OrderRefundedSuccessfully,
            Endpoint::StatusAll | Endpoint::Status => ApiMessage::OrderStatusRetrievedSuccessfully,
            Endpoint::Details => ApiMessage::OrderRetrievedSuccessfully,
            Endpoint::InvoiceNumber => ApiMessage::OrderInvoiceNoRetrievedSuccessfully,
            Endpoint::DelayedCharge => ApiMessage::OrderDelayedChargedSuccessfully,
        }
    }

    pub const fn success_status(self) -> u16 {
        self.success().status_code()
    }

    /// A short stable name (`"createPaymentLink"`), for logs, audit rows and OpenAPI operation ids.
    pub const fn name(self) -> &'static str {
        match self {
            Endpoint::CreatePaymentLink => "createPaymentLink",
            Endpoint::CreateInvoice => "createInvoice",
            Endpoint::CreateEFaktura => "createEFaktura",
            Endpoint::CreateEhf => "createEhf",
            Endpoint::Resend => "resendPaymentLink",
            Endpoint::Cancel => "cancelOrder",
            Endpoint::Refund => "refundOrder",
            Endpoint::StatusAll => "getAllOrderStatus",
            Endpoint::Status => "getOrderStatus",
            Endpoint::Details => "getOrderDetails",
            Endpoint::InvoiceNumber => "getInvoiceNumber",
            Endpoint::DelayedCharge => "delayedCharge",
        }
    }

    /// The concrete path. `None` when `order_id` is given to an endpoint without a slot, or
    /// missing for one with a slot.
    pub fn path(self, order_id: Option<&OrderId>) -> Option<String> {
        match (self.takes_order_id(), order_id) {
            (true, Some(id)) => Some(self.path_template().replace(ORDER_SLOT, id.as_str())),
            (false, None) => Some(self.path_template().to_owned()),
            _ => None,
        }
    }

    /// Match a request. `path` is the URL path; anything from `?` on is ignored. The match is
    /// exact and case-sensitive: percent-escapes, empty segments, `.`/`..` and trailing
    /// segments or slashes are not found.
    pub fn route(method: &str, path: &str) -> Result<(Endpoint, Option<OrderId>), RouteError> {
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        if path.contains(['%', '#', '\\']) {
            return Err(RouteError::NotFound);
        }
        let rest = path
            .strip_prefix(BASE_PATH)
            .and_then(|r| r.strip_prefix("/connect/orders/"))
            .ok_or(RouteError::NotFound)?;
        let segments: Vec<&str> = rest.split('/').collect();
        if segments
            .iter()
            .any(|s| s.is_empty() || *s == "." || *s == "..")
        {
            return Err(RouteError::NotFound);
        }
        let mut found: Option<(Endpoint, Option<&str>)> = None;
        'endpoints: for ep in Endpoint::ALL {
            for stem in std::iter::once(ep.stem()).chain(ep.recorded_stems().iter().copied()) {
                let stem: Vec<&str> = stem.split('/').collect();
                let want = stem.len() + usize::from(ep.takes_order_id());
                if segments.len() == want && segments[..stem.len()] == stem[..] {
                    found = Some((ep, segments.get(stem.len()).copied()));
                    break 'endpoints;
                }
            }
        }
        let (ep, slot) = found.ok_or(RouteError::NotFound)?;
        if method != ep.method().as_str() {
            return Err(RouteError::MethodNotAllowed {
                allowed: ep.method(),
            });
        }
        match slot {
            None => Ok((ep, None)),
            Some(s) => s
                .parse::<OrderId>()
                .map(|id| (ep, Some(id)))
                .map_err(|_| RouteError::NotAnOrderId(Some(ep))),
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn id() -> OrderId {
        "ODR3506777330".parse().unwrap()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn recorded_create_paths_route() {
        let r = |p: &str| Endpoint::route("POST", p).map(|(e, _)| e);
        assert_eq!(
            r("/api/v1/connect/orders/invoice/create/faktura"),
            Ok(Endpoint::CreateEFaktura)
        );
        assert_eq!(
            r("/api/v1/connect/orders/invoice/create/ehf"),
            Ok(Endpoint::CreateEhf)
        );
        assert_eq!(
            r("/api/v1/connect/orders/invoice/create/other"),
            Err(RouteError::NotFound)
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn every_endpoint_routes_to_itself() {
        for ep in Endpoint::ALL {
            let oid = ep.takes_order_id().then(id);
            let path = ep.path(oid.as_ref()).unwrap();
            assert_eq!(
                Endpoint::route(ep.method().as_str(), &path),
                Ok((ep, oid.clone())),
                "{path}"
            );
            assert_eq!(
                path.replace("ODR3506777330", ORDER_SLOT),
                ep.path_template()
            );
            assert!(ep.path_template().starts_with("/api/v1/connect/orders/"));
        }
        let templates: std::collections::HashSet<_> =
            Endpoint::ALL.iter().map(|e| e.path_template()).collect();
        assert_eq!(templates.len(), 12);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn facts() {
        assert_eq!(
            Endpoint::Resend.path_template(),
            "/api/v1/connect/orders/resend/{ORDER_UUID}"
        );
        assert_eq!(Endpoint::CreatePaymentLink.success_status(), 201);
        assert_eq!(Endpoint::Refund.success_status(), 202);
        assert_eq!(Endpoint::DelayedCharge.success_status(), 200);
        assert!(Endpoint::DelayedCharge.is_write() && !Endpoint::DelayedCharge.has_body());
        assert!(!Endpoint::Details.is_write());
        assert_eq!(Endpoint::Cancel.path(None), None);
        assert_eq!(Endpoint::StatusAll.path(Some(&id())), None);
        assert_eq!(
            Endpoint::ALL.iter().filter(|e| e.kind().is_some()).count(),
            4
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn route_errors() {
        use RouteError::*;
        let r = Endpoint::route;
        assert_eq!(
            r("GET", "/api/v1/connect/orders/status?type=Paid"),
            Ok((Endpoint::StatusAll, None))
        );
        assert_eq!(
            r("GET", "/api/v1/connect/orders/payment-link/create"),
            Err(MethodNotAllowed {
                allowed: Method::Post
            })
        );
        assert_eq!(
            r("POST", "/api/v1/connect/orders/status/ODR3506777330"),
            Err(MethodNotAllowed {
                allowed: Method::Get
            })
        );
        assert_eq!(
            r("post", "/api/v1/connect/orders/cancel/ODR3506777330"),
            Err(MethodNotAllowed {
                allowed: Method::Post
            })
        );
        assert_eq!(
            r("GET", "/api/v1/connect/orders/status/ODR1"),
            Err(NotAnOrderId(Some(Endpoint::Status)))
        );
        assert_eq!(
            r("GET", "/api/v1/connect/orders/details/odr3506777330"),
            Err(NotAnOrderId(Some(Endpoint::Details)))
        );
        for bad in [
            "/api/v1/connect/orders/status/",
            "/api/v1/connect/orders/status/ODR3506777330/",
            "/api/v1/connect/orders/status/ODR3506777330/x",
            "/api/v1/connect/orders//status",
            "/api/v1/connect/orders/status/..",
            "/api/v1/connect/orders/x/../status",
            "/api/v1/connect/orders/./status",
            "/api/v1/connect/orders/status%2FODR3506777330",
            "/api/v1/connect/orders/status/ODR350677%33330",
            "/api/v1/connect/orders/Status",
            "/api/v2/connect/orders/status",
            "/api/v1/connect/orders",
            "/api/v1/connect/orders/",
            "",
            "/",
            "/api/v1/connect/orders/delayed",
            "/api/v1/connect/orders/payment-link/create/x",
        ] {
            assert_eq!(r("GET", bad), Err(NotFound), "{bad}");
        }
        assert_eq!(NotFound.status(), 404);
        assert_eq!(NotAnOrderId(None).status(), 404);
        assert_eq!(
            NotAnOrderId(Some(Endpoint::Status)).envelope().message,
            crate::envelope::ORDER_NOT_FOUND_STATUS
        );
        assert_eq!(
            MethodNotAllowed {
                allowed: Method::Get
            }
            .status(),
            405
        );
    }
}
