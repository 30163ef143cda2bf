//! The response envelope and every message code, in one enum.
//!
//! Success: `{status_code, status_message, message, is_data, data}`.
//! Error: `{status_code, status_message, message, is_error, errors}`.
//! The provider's `is_data` / `is_error` flags are inconsistent across its docs; constructors
//! reproduce what the docs show for each message ([`ApiMessage::default_flag`]), and parsing
//! keeps whatever arrived.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::endpoint::Endpoint;
use crate::validate::{FieldErrors, Report};

macro_rules! messages {
    ($( $(#[$doc:meta])* $v:ident = $wire:literal, $code:literal, $flag:literal; )*) => {
        /// Every `message` the API (provider, proxy, sandbox) answers with.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ApiMessage { $( $(#[$doc])* $v, )* }

        impl ApiMessage {
            pub const ALL: &'static [ApiMessage] = &[$(ApiMessage::$v),*];

            /// The wire string (`"orderNotFound"`).
            pub const fn as_str(self) -> &'static str {
                match self { $(ApiMessage::$v => $wire,)* }
            }
            /// The HTTP status that goes with it.
            pub const fn status_code(self) -> u16 {
                match self { $(ApiMessage::$v => $code,)* }
            }
            /// The documented `is_data` (success) or `is_error` (error) flag.
            pub const fn default_flag(self) -> bool {
                match self { $(ApiMessage::$v => $flag,)* }
            }
        }
    };
}

messages! {
    OrderAddedSuccessfully = "orderAddedSuccessfully", 201, false;
    ResentOrderSuccessfully = "resentOrderSuccessfully", 202, true;
    CancelledOrderSuccessfully = "cancelledOrderSuccessfully", 202, false;
    OrderRefundedSuccessfully = "orderRefundedSuccessfully", 202, true;
    OrderStatusRetrievedSuccessfully = "Order Status Retrieved Successfully", 200, true;
    OrderRetrievedSuccessfully = "orderRetrievedSuccessfully", 200, true;
    OrderInvoiceNoRetrievedSuccessfully = "orderInvoiceNoRetrievedSuccessfully", 200, true;
    OrderDelayedChargedSuccessfully = "orderDelayedChargedSuccessfully", 200, true;
    /// The proxy's own read endpoints for the console (`/console/...`).
    OrdersRetrievedSuccessfully = "ordersRetrievedSuccessfully", 200, true;
    AuditRetrievedSuccessfully = "auditRetrievedSuccessfully", 200, true;
    OrdersSynced = "ordersSynced", 200, true;
    /// The proxy's user management (`/console/users…`, `/console/sessions/…`,
    /// `/console/keys/…`, `POST /auth/password`).
    UsersRetrievedSuccessfully = "usersRetrievedSuccessfully", 200, true;
    UserCreated = "userCreated", 200, true;
    UserUpdated = "userUpdated", 200, true;
    PasswordReset = "passwordReset", 200, true;
    PasswordChanged = "passwordChanged", 200, true;
    SessionsRetrievedSuccessfully = "sessionsRetrievedSuccessfully", 200, true;
    SessionEnded = "sessionEnded", 200, true;
    ApiKeysRetrievedSuccessfully = "apiKeysRetrievedSuccessfully", 200, true;
    ApiKeyRevoked = "apiKeyRevoked", 200, true;
    /// The overview and the VAT report (`/console/overview`, `/console/vat`).
    ReportRetrievedSuccessfully = "reportRetrievedSuccessfully", 200, true;
    /// The customer book and the product catalogue (`/console/customers…`,
    /// `/console/products…`).
    CustomersRetrievedSuccessfully = "customersRetrievedSuccessfully", 200, true;
    CustomerSaved = "customerSaved", 200, true;
    CustomerErased = "customerErased", 200, true;
    ProductsRetrievedSuccessfully = "productsRetrievedSuccessfully", 200, true;
    ProductSaved = "productSaved", 200, true;
    ImportPreviewed = "importPreviewed", 200, true;
    ImportCompleted = "importCompleted", 200, true;
    /// The sandbox's simulation controls (`/_sandbox/...`).
    TransitionApplied = "transitionApplied", 200, true;
    ClockRetrieved = "clockRetrieved", 200, true;
    CallbackLogRetrieved = "callbackLogRetrieved", 200, true;
    SandboxReset = "sandboxReset", 200, false;
    OrderStatusAlreadyPaid = "orderStatusAlreadyPaid", 400, false;
    OrderStatusAlreadyCancelled = "orderStatusAlreadyCancelled", 400, false;
    /// Our addition for the sandbox: an action that the order's status does not allow.
    OrderStatusNotAllowed = "orderStatusNotAllowed", 400, true;
    RefundRejectionForRefundRequestGreaterThanOrderAmount = "refundRejectionForRefundRequestGreaterThanOrderAmount", 400, false;
    RequestProductIdNotAvailable = "requestProductIdNotAvailable", 400, false;
    RefundRejectionForProductAmountExceed = "refundRejectionForProductAmountExceed", 400, true;
    RefundRejectionForRequestAmountThresholdExceed = "refundRejectionForRequestAmountThresholdExceed", 400, true;
    RefundRejectionForWeeklyThresholdExceed = "refundRejectionForWeeklyThresholdExceed", 400, true;
    Unauthenticated = "unauthenticated", 401, true;
    Forbidden = "forbidden", 403, true;
    OrderNotFound = "orderNotFound", 404, false;
    RouteNotFound = "routeNotFound", 404, true;
    /// No console user, session or API key by that name or id.
    UserNotFound = "userNotFound", 404, true;
    SessionNotFound = "sessionNotFound", 404, true;
    ApiKeyNotFound = "apiKeyNotFound", 404, true;
    /// No customer or product of that id in the book.
    CustomerNotFound = "customerNotFound", 404, true;
    ProductNotFound = "productNotFound", 404, true;
    /// A query parameter of ours (`?type=`, `?limit=`, …) has a value we do not know.
    InvalidQueryParameter = "invalidQueryParameter", 400, true;
    InvalidIdempotencyKey = "invalidIdempotencyKey", 400, true;
    MethodNotAllowed = "methodNotAllowed", 405, true;
    IdempotencyRequestInFlight = "idempotencyRequestInFlight", 409, true;
    /// The first attempt with this key ended without a known outcome and could not be settled.
    IdempotencyOutcomeUnknown = "idempotencyOutcomeUnknown", 409, true;
    TransitionNotAllowed = "transitionNotAllowed", 409, true;
    UserAlreadyExists = "userAlreadyExists", 409, true;
    /// The change would leave no active admin (nobody could manage users any more).
    LastActiveAdmin = "lastActiveAdmin", 409, true;
    /// The book already has a customer with that personal or organisation number (`errors`
    /// lists their ids).
    CustomerAlreadyExists = "customerAlreadyExists", 409, true;
    PayloadTooLarge = "payloadTooLarge", 413, true;
    UnsupportedMediaType = "unsupportedMediaType", 415, true;
    PayloadValidationErrors = "payloadValidationErrors", 417, true;
    MalformedJson = "malformedJson", 422, true;
    /// An import whose file cannot be read as CSV at all (no header, an unclosed quote, too
    /// many rows); rows the rules refuse are a preview's, not this.
    UnreadableCsv = "unreadableCsv", 422, true;
    /// Same `Idempotency-Key`, different request (Stripe's semantics).
    IdempotencyKeyReused = "idempotencyKeyReused", 422, true;
    TooManyRequests = "tooManyRequests", 429, true;
    InternalErrorOccurredPleaseTryAgainLater = "internalErrorOccurredPleaseTryAgainLater", 500, true;
    UpstreamBadResponse = "upstreamBadResponse", 502, true;
    UpstreamTimeout = "upstreamTimeout", 504, true;
    SomethingWentWrong = "somethingWentWrong", 510, true;
}

impl ApiMessage {
    pub const fn is_success(self) -> bool {
        self.status_code() < 400
    }

    /// `status_message` for the status code.
    pub const fn status_message(self) -> &'static str {
        status_message(self.status_code())
    }
}

/// How the status endpoints word `orderNotFound` (the July 2025 recording).
pub const ORDER_NOT_FOUND_STATUS: &str = "Order Not Found";

/// The merchant's rate-limit headers on every answer (Laravel's `throttle:240,1`).
pub const RATE_LIMIT_LIMIT: &str = "x-ratelimit-limit";
pub const RATE_LIMIT_REMAINING: &str = "x-ratelimit-remaining";
/// Requests a minute per token on the recorded demo server.
pub const DEFAULT_RATE_LIMIT: u32 = 240;

/// The provider's `status_message` texts; standard reason phrases for our own codes.
pub const fn status_message(code: u16) -> &'static str {
    match code {
        200..=299 => "OK",
        400 => "Conflict of Business Logic",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        417 => "Client Error",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Dependency Error",
        502 => "Bad Gateway",
        504 => "Gateway Timeout",
        510 => "Execution Exception Occurred",
        _ => "Error",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown API message {0:?}")]
pub struct UnknownMessage(pub String);

impl FromStr for ApiMessage {
    type Err = UnknownMessage;
    /// Exact wire strings, plus the docs' variant spelling `"Something Went Wrong"` and the
    /// status endpoints' `"Order Not Found"` (recorded).
    fn from_str(s: &str) -> Result<Self, UnknownMessage> {
        match s {
            "Something Went Wrong" => return Ok(ApiMessage::SomethingWentWrong),
            ORDER_NOT_FOUND_STATUS => return Ok(ApiMessage::OrderNotFound),
            _ => {}
        }
        ApiMessage::ALL
            .iter()
            .copied()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownMessage(s.chars().take(80).collect()))
    }
}

impl fmt::Display for ApiMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ApiMessage {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ApiMessage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// The `errors` member, tolerantly read: the Laravel object of lists, a list, a string, null,
/// or anything else kept raw (the 500 answer's `{happenedAt, internalErrorDetails}`).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Errors {
    #[default]
    Null,
    Fields(BTreeMap<String, Vec<String>>),
    List(Vec<String>),
    Text(String),
    Raw(Value),
}

impl Errors {
    pub fn from_value(v: Value) -> Errors {
        match v {
            Value::Null => Errors::Null,
            Value::String(s) => Errors::Text(s),
            Value::Array(items) => {
                if items.iter().all(Value::is_string) {
                    Errors::List(
                        items
                            .into_iter()
                            .filter_map(|i| i.as_str().map(str::to_owned))
                            .collect(),
                    )
                } else {
                    Errors::Raw(Value::Array(items))
                }
            }
            Value::Object(map) => {
                let mut fields = BTreeMap::new();
                for (k, v) in &map {
                    let msgs = match v {
                        Value::String(s) => vec![s.clone()],
                        Value::Array(a) if a.iter().all(Value::is_string) => a
                            .iter()
                            .filter_map(|i| i.as_str().map(str::to_owned))
                            .collect(),
                        _ => return Errors::Raw(Value::Object(map)),
                    };
                    fields.insert(k.clone(), msgs);
                }
                Errors::Fields(fields)
            }
            other => Errors::Raw(other),
        }
    }

    pub fn to_value(&self) -> Value {
        match self {
            Errors::Null => Value::Null,
            Errors::Fields(f) => serde_json::to_value(f).unwrap_or(Value::Null),
            Errors::List(l) => Value::from(l.clone()),
            Errors::Text(t) => Value::String(t.clone()),
            Errors::Raw(v) => v.clone(),
        }
    }

    /// Messages for one dotted field path, if the errors are keyed that way.
    pub fn field(&self, path: &str) -> &[String] {
        match self {
            Errors::Fields(f) => f.get(path).map_or(&[], Vec::as_slice),
            _ => &[],
        }
    }

    /// Every message as plain text, for a banner.
    pub fn messages(&self) -> Vec<String> {
        match self {
            Errors::Null => vec![],
            Errors::Fields(f) => f.values().flatten().cloned().collect(),
            Errors::List(l) => l.clone(),
            Errors::Text(t) => vec![t.clone()],
            Errors::Raw(v) => vec![v.to_string()],
        }
    }
}

/// Success or error half of an envelope.
#[derive(Debug, Clone, PartialEq)]
pub enum Body<T> {
    Data { is_data: bool, data: Option<T> },
    Error { is_error: bool, errors: Errors },
}

/// A whole answer. `message` is kept as text so an unknown provider message still parses;
/// [`Envelope::api_message`] gives the enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope<T = Value> {
    pub status_code: u16,
    pub status_message: String,
    pub message: String,
    pub body: Body<T>,
    /// The proxy's own 417 only: the keyed detail of `errors` (path → code + params), one extra
    /// member beside the sentences every client already parses.
    pub fields: Option<FieldErrors>,
}

impl<T> Envelope<T> {
    /// A success answer with data.
    pub fn ok(message: ApiMessage, data: T) -> Self {
        Self::with_body(
            message,
            Body::Data {
                is_data: message.default_flag(),
                data: Some(data),
            },
        )
    }

    /// A success answer with `data: null` (resend, cancel, refund, delayed charge).
    pub fn ok_empty(message: ApiMessage) -> Self {
        Self::with_body(
            message,
            Body::Data {
                is_data: message.default_flag(),
                data: None,
            },
        )
    }

    /// An error answer.
    pub fn error(message: ApiMessage, errors: Errors) -> Self {
        Self::with_body(
            message,
            Body::Error {
                is_error: message.default_flag(),
                errors,
            },
        )
    }

    /// Any message: success ones get `data: null`, error ones `errors: null`.
    pub fn of(message: ApiMessage) -> Self {
        if message.is_success() {
            Self::ok_empty(message)
        } else {
            Self::error(message, Errors::Null)
        }
    }

    /// 417 `payloadValidationErrors` as the live server sends it: `errors` is an array of
    /// Laravel sentences, one per failed rule.
    pub fn validation(report: &Report) -> Self {
        Self::error(
            ApiMessage::PayloadValidationErrors,
            Errors::List(report.sentences()),
        )
    }

    /// The proxy's own 417: the same sentences, plus `fields` (path → code + params) for the
    /// console to word and place.
    pub fn validation_with_fields(report: &Report) -> Self {
        let mut envelope = Self::validation(report);
        envelope.fields = Some(report.fields());
        envelope
    }

    /// 404 `orderNotFound`, shaped as recorded: `is_data: false, data: null`.
    pub fn not_found() -> Self {
        Self::with_body(
            ApiMessage::OrderNotFound,
            Body::Data {
                is_data: false,
                data: None,
            },
        )
    }

    /// 404 as the recorded server words it for `endpoint`: `"Order Not Found"` from the two
    /// status endpoints, `"orderNotFound"` from the others.
    pub fn not_found_for(endpoint: Endpoint) -> Self {
        let mut envelope = Self::not_found();
        if matches!(endpoint, Endpoint::Status | Endpoint::StatusAll) {
            envelope.message = ORDER_NOT_FOUND_STATUS.to_owned();
        }
        envelope
    }

    /// 500 with the documented `{happenedAt, internalErrorDetails}` object.
    pub fn internal_error(happened_at: &str, details: Vec<String>) -> Self {
        let mut m = Map::new();
        m.insert("happenedAt".into(), Value::String(happened_at.to_owned()));
        m.insert("internalErrorDetails".into(), Value::from(details));
        Self::error(
            ApiMessage::InternalErrorOccurredPleaseTryAgainLater,
            Errors::Raw(Value::Object(m)),
        )
    }

    fn with_body(message: ApiMessage, body: Body<T>) -> Self {
        Envelope {
            status_code: message.status_code(),
            status_message: message.status_message().to_owned(),
            message: message.as_str().to_owned(),
            body,
            fields: None,
        }
    }

    pub fn api_message(&self) -> Option<ApiMessage> {
        self.message.parse().ok()
    }

    pub fn is_success(&self) -> bool {
        matches!(self.body, Body::Data { .. }) && self.status_code < 400
    }

    pub fn data(&self) -> Option<&T> {
        match &self.body {
            Body::Data { data, .. } => data.as_ref(),
            Body::Error { .. } => None,
        }
    }

    pub fn errors(&self) -> Option<&Errors> {
        match &self.body {
            Body::Error { errors, .. } => Some(errors),
            Body::Data { .. } => None,
        }
    }
}

impl Envelope<Value> {
    /// Turn the untyped data into `T` (e.g. after a tolerant first parse).
    pub fn into_typed<T: DeserializeOwned>(self) -> Result<Envelope<T>, serde_json::Error> {
        let body = match self.body {
            Body::Data { is_data, data } => Body::Data {
                is_data,
                data: match data {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(serde_json::from_value(v)?),
                },
            },
            Body::Error { is_error, errors } => Body::Error { is_error, errors },
        };
        Ok(Envelope {
            status_code: self.status_code,
            status_message: self.status_message,
            message: self.message,
            body,
            fields: self.fields,
        })
    }
}

impl<T: Serialize> Serialize for Envelope<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(5 + usize::from(self.fields.is_some())))?;
        m.serialize_entry("status_code", &self.status_code)?;
        m.serialize_entry("status_message", &self.status_message)?;
        m.serialize_entry("message", &self.message)?;
        match &self.body {
            Body::Data { is_data, data } => {
                m.serialize_entry("is_data", is_data)?;
                m.serialize_entry("data", data)?;
            }
            Body::Error { is_error, errors } => {
                m.serialize_entry("is_error", is_error)?;
                m.serialize_entry("errors", &errors.to_value())?;
            }
        }
        if let Some(fields) = &self.fields {
            m.serialize_entry("fields", fields)?;
        }
        m.end()
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Envelope<T> {
    /// Tolerant: an object with `is_error` or `errors` is an error answer, else a data answer;
    /// a missing `status_message`/`message` reads as empty, a missing flag as the status says.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let Value::Object(mut map) = Value::deserialize(d)? else {
            return Err(D::Error::custom("envelope must be a JSON object"));
        };
        let status_code = map
            .get("status_code")
            .and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            })
            .and_then(|c| u16::try_from(c).ok())
            .ok_or_else(|| D::Error::custom("status_code missing or not a status"))?;
        let text = |map: &Map<String, Value>, k: &str| {
            map.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let status_message = text(&map, "status_message");
        let message = text(&map, "message");
        let body = if map.contains_key("is_error") || map.contains_key("errors") {
            Body::Error {
                is_error: map
                    .get("is_error")
                    .and_then(Value::as_bool)
                    .unwrap_or(status_code >= 400),
                errors: Errors::from_value(map.remove("errors").unwrap_or(Value::Null)),
            }
        } else {
            let data = match map.remove("data") {
                None | Some(Value::Null) => None,
                Some(v) => Some(serde_json::from_value(v).map_err(D::Error::custom)?),
            };
            Body::Data {
                is_data: map
                    .get("is_data")
                    .and_then(Value::as_bool)
                    .unwrap_or(data.is_some()),
                data,
            }
        };
        // A `fields` member that is not the proxy's shape is ignored, never an error.
        let fields = map
            .remove("fields")
            .and_then(|v| serde_json::from_value(v).ok());
        Ok(Envelope {
            status_code,
            status_message,
            message,
            body,
            fields,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn messages_are_unique_and_parse() {
        let mut seen = std::collections::HashSet::new();
        for m in ApiMessage::ALL {
            assert!(seen.insert(m.as_str()), "{m}");
            assert_eq!(m.as_str().parse::<ApiMessage>(), Ok(*m));
            assert_ne!(m.status_message(), "Error", "{m}");
        }
        assert_eq!(
            "Something Went Wrong".parse(),
            Ok(ApiMessage::SomethingWentWrong)
        );
        assert!("nope".parse::<ApiMessage>().is_err());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn documented_shapes() {
        let created = Envelope::ok(
            ApiMessage::OrderAddedSuccessfully,
            json!({"uuid": "ODR3506777330", "customerUuid": "CSRT3463048878"}),
        );
        assert_eq!(
            serde_json::to_value(&created).unwrap(),
            json!({"status_code": 201, "status_message": "OK", "message": "orderAddedSuccessfully", "is_data": false,
                   "data": {"uuid": "ODR3506777330", "customerUuid": "CSRT3463048878"}})
        );
        let nf = Envelope::<Value>::not_found();
        assert_eq!(
            serde_json::to_value(&nf).unwrap(),
            json!({"status_code": 404, "status_message": "Not Found", "message": "orderNotFound", "is_data": false, "data": null})
        );
        let paid = Envelope::<Value>::of(ApiMessage::OrderStatusAlreadyPaid);
        assert_eq!(
            serde_json::to_value(&paid).unwrap()["status_message"],
            "Conflict of Business Logic"
        );
        let e510 = Envelope::<Value>::of(ApiMessage::SomethingWentWrong);
        assert_eq!(
            serde_json::to_value(&e510).unwrap()["status_message"],
            "Execution Exception Occurred"
        );
        let e500 = Envelope::<Value>::internal_error("2024-01-01T00:00:00Z", vec![]);
        assert_eq!(
            serde_json::to_value(&e500).unwrap()["errors"]["internalErrorDetails"],
            json!([])
        );
        let refunded = Envelope::<Value>::ok_empty(ApiMessage::OrderRefundedSuccessfully);
        assert_eq!(
            serde_json::to_value(&refunded).unwrap(),
            json!({"status_code": 202, "status_message": "OK", "message": "orderRefundedSuccessfully", "is_data": true, "data": null})
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn tolerant_parsing() {
        let cases = [
            (
                json!({"status_code": 417, "status_message": "Client Error", "message": "payloadValidationErrors", "is_error": true,
                    "errors": {"products.0.tax": ["bad"], "name": "also bad"}}),
                2,
            ),
            (
                json!({"status_code": 417, "message": "payloadValidationErrors", "is_error": true, "errors": ["a", "b"]}),
                2,
            ),
            (
                json!({"status_code": 510, "message": "Something Went Wrong", "is_error": true, "errors": "Array"}),
                1,
            ),
            (
                json!({"status_code": 400, "message": "orderStatusAlreadyPaid", "is_error": false, "errors": null}),
                0,
            ),
            (
                json!({"status_code": 500, "message": "internalErrorOccurredPleaseTryAgainLater", "is_error": true,
                    "errors": {"happenedAt": "x", "internalErrorDetails": [{"a": 1}]}}),
                1,
            ),
        ];
        for (v, n) in cases {
            let e: Envelope = serde_json::from_value(v.clone()).unwrap();
            assert!(!e.is_success());
            assert_eq!(e.errors().map(|e| e.messages().len()), Some(n), "{v}");
        }
        let e: Envelope =
            serde_json::from_value(json!({"status_code": 417, "errors": {"a.b": ["x"]}})).unwrap();
        assert_eq!(e.errors().unwrap().field("a.b"), ["x".to_string()]);
        let nf: Envelope = serde_json::from_value(json!({"status_code": 404, "status_message": "Not Found", "message": "orderNotFound", "is_data": false, "data": null})).unwrap();
        assert_eq!(nf.api_message(), Some(ApiMessage::OrderNotFound));
        assert!(!nf.is_success());
        assert!(serde_json::from_value::<Envelope>(json!([1])).is_err());
        assert!(serde_json::from_value::<Envelope>(json!({"message": "x"})).is_err());
        let typed: Envelope<Vec<u8>> =
            serde_json::from_value(json!({"status_code": 200, "is_data": true, "data": [1, 2]}))
                .unwrap();
        assert_eq!(typed.data(), Some(&vec![1, 2]));
        let round = serde_json::to_value(&typed).unwrap();
        assert_eq!(
            serde_json::from_value::<Envelope<Vec<u8>>>(round).unwrap(),
            typed
        );
    }
}
