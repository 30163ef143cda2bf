//! Every refusal the proxy makes, as one enum that becomes an envelope answer ([`ProxyReply`]).

use frontdesk_core::endpoint::RouteError;
use frontdesk_core::envelope::{ApiMessage, Envelope, Errors};
use frontdesk_core::json::JsonError;
use frontdesk_core::validate::Report;
use serde::Serialize;
use serde_json::Value;

/// A finished answer in plain values: the adapter turns it into a `worker::Response`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyReply {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl ProxyReply {
    /// A JSON answer.
    pub fn json<T: Serialize>(status: u16, value: &T) -> ProxyReply {
        ProxyReply {
            status,
            body: serde_json::to_string(value).unwrap_or_else(|_| "{}".into()),
            headers: vec![("content-type".into(), "application/json".into())],
        }
    }

    /// An envelope answer (its own status code).
    pub fn envelope(envelope: &Envelope<Value>) -> ProxyReply {
        ProxyReply::json(envelope.status_code, envelope)
    }

    /// `{…, is_data, data}` with `message`'s status.
    pub fn ok(message: ApiMessage, data: Value) -> ProxyReply {
        ProxyReply::envelope(&Envelope::ok(message, data))
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> ProxyReply {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why the proxy answers instead of forwarding (or after a failed forward).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProxyError {
    #[error("{0}")]
    Route(#[from] RouteError),
    #[error("no such route")]
    NotFound,
    /// The proxy keeps nothing of this order (`/console/orders/{uuid}`).
    #[error("order not known to the proxy")]
    UnknownOrder,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// No console user of that name (`/console/users/{username}…`).
    #[error("no such user")]
    UnknownUser,
    /// No live session of that id the caller may see.
    #[error("no such session")]
    UnknownSession,
    /// No key of that name in `API_KEYS`.
    #[error("no such API key")]
    UnknownApiKey,
    #[error("user already exists")]
    UserExists,
    /// The change would leave no active admin.
    #[error("the last active admin")]
    LastAdmin,
    /// No customer of that id in the book (`/console/customers/{id}…`).
    #[error("no such customer")]
    UnknownCustomer,
    /// No product of that id in the catalogue.
    #[error("no such product")]
    UnknownProduct,
    /// The book already holds a customer with that personal or organisation number (their ids).
    #[error("customer already in the book")]
    CustomerExists(Vec<String>),
    /// An import file that cannot be read as CSV.
    #[error("{0}")]
    BadCsv(frontdesk_core::csv::CsvError),
    /// No credential, a bad key, a bad or expired session (the reason is a stable code).
    #[error("unauthenticated: {0}")]
    Unauthenticated(&'static str),
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("malformed JSON")]
    MalformedJson,
    /// A body naming an object member twice: 422 `malformedJson` like any other bad JSON, but
    /// with core's message (the key and where), so the client learns what to fix.
    #[error("{0}")]
    DuplicateKey(String),
    #[error("invalid query parameter {0}")]
    BadQuery(&'static str),
    /// A batch's spreadsheet that cannot be read (core's `csv::CsvError`, worded).
    #[error("{0}")]
    BadBatchFile(String),
    /// A batch's state does not allow the action (pause a finished batch).
    #[error("transition not allowed")]
    TransitionNotAllowed,
    #[error("payload validation failed")]
    Validation(Report),
    #[error("invalid Idempotency-Key")]
    BadIdempotencyKey,
    /// Same key, different request (Stripe answers this too; 422 here).
    #[error("idempotency key reused with a different request")]
    IdempotencyMismatch,
    /// Same key while the first request is still running.
    #[error("idempotency key in flight")]
    IdempotencyInFlight,
    /// The first attempt's outcome is unknown and could not be settled; retrying could duplicate.
    #[error("idempotency outcome unknown")]
    IdempotencyUnresolved,
    #[error("too many failed logins")]
    LoginLocked { retry_after: u64 },
    /// Upstream's rate limit: it answered 429, or background work waits to keep the merchant's
    /// reserve for people. Nothing was done; try again after `retry_after` seconds.
    #[error("upstream rate limit")]
    UpstreamBusy { retry_after: u64 },
    #[error("upstream timed out")]
    UpstreamTimeout,
    #[error("upstream answered something that is not the API's JSON")]
    UpstreamBadResponse,
    #[error("upstream unreachable")]
    UpstreamUnreachable,
    #[error("proxy not configured: {0}")]
    NotConfigured(&'static str),
    /// Anything else; the text goes to the log, never to the client.
    #[error("internal error")]
    Internal(String),
}

fn reason(message: ApiMessage, why: &str) -> Envelope<Value> {
    Envelope::error(message, Errors::List(vec![why.to_owned()]))
}

impl From<JsonError> for ProxyError {
    fn from(e: JsonError) -> ProxyError {
        match e {
            JsonError::DuplicateKey { .. } => ProxyError::DuplicateKey(e.to_string()),
            // serde_json's detail stays out of the answer, as before.
            JsonError::Syntax(_) => ProxyError::MalformedJson,
        }
    }
}

impl ProxyError {
    pub fn envelope(&self) -> Envelope<Value> {
        use ProxyError::*;
        match self {
            Route(e) => e.envelope(),
            NotFound => Envelope::of(ApiMessage::RouteNotFound),
            UnknownOrder => Envelope::of(ApiMessage::OrderNotFound),
            MethodNotAllowed => Envelope::of(ApiMessage::MethodNotAllowed),
            UnknownUser => Envelope::of(ApiMessage::UserNotFound),
            UnknownSession => Envelope::of(ApiMessage::SessionNotFound),
            UnknownApiKey => Envelope::of(ApiMessage::ApiKeyNotFound),
            UserExists => Envelope::of(ApiMessage::UserAlreadyExists),
            LastAdmin => Envelope::of(ApiMessage::LastActiveAdmin),
            UnknownCustomer => Envelope::of(ApiMessage::CustomerNotFound),
            UnknownProduct => Envelope::of(ApiMessage::ProductNotFound),
            CustomerExists(ids) => {
                Envelope::error(ApiMessage::CustomerAlreadyExists, Errors::List(ids.clone()))
            }
            BadCsv(e) => reason(ApiMessage::UnreadableCsv, &e.to_string()),
            Unauthenticated(why) => reason(ApiMessage::Unauthenticated, why),
            Forbidden(why) => reason(ApiMessage::Forbidden, why),
            PayloadTooLarge => Envelope::of(ApiMessage::PayloadTooLarge),
            UnsupportedMediaType => Envelope::of(ApiMessage::UnsupportedMediaType),
            MalformedJson => Envelope::of(ApiMessage::MalformedJson),
            DuplicateKey(detail) => reason(ApiMessage::MalformedJson, detail),
            BadQuery(name) => reason(ApiMessage::InvalidQueryParameter, name),
            BadBatchFile(detail) => reason(ApiMessage::MalformedJson, detail),
            TransitionNotAllowed => Envelope::of(ApiMessage::TransitionNotAllowed),
            // The live server's sentences, plus the keyed detail the console puts on fields.
            Validation(report) => Envelope::validation_with_fields(report),
            BadIdempotencyKey => Envelope::error(
                ApiMessage::InvalidIdempotencyKey,
                Errors::Text("Idempotency-Key must be 1 to 255 visible ASCII characters".into()),
            ),
            IdempotencyMismatch => Envelope::of(ApiMessage::IdempotencyKeyReused),
            IdempotencyInFlight => Envelope::of(ApiMessage::IdempotencyRequestInFlight),
            IdempotencyUnresolved => Envelope::error(
                ApiMessage::IdempotencyOutcomeUnknown,
                Errors::Text(
                    "The first attempt's outcome could not be settled; check the orders before sending again with a new key".into(),
                ),
            ),
            LoginLocked { .. } | UpstreamBusy { .. } => Envelope::of(ApiMessage::TooManyRequests),
            UpstreamTimeout => Envelope::of(ApiMessage::UpstreamTimeout),
            UpstreamBadResponse => Envelope::of(ApiMessage::UpstreamBadResponse),
            UpstreamUnreachable => reason(ApiMessage::UpstreamBadResponse, "upstreamUnreachable"),
            NotConfigured(_) | Internal(_) => {
                Envelope::internal_error("proxy", Vec::new())
            }
        }
    }

    pub fn status(&self) -> u16 {
        self.envelope().status_code
    }

    pub fn reply(&self) -> ProxyReply {
        let reply = ProxyReply::envelope(&self.envelope());
        match self {
            ProxyError::LoginLocked { retry_after } | ProxyError::UpstreamBusy { retry_after } => {
                reply.with_header("retry-after", retry_after.to_string())
            }
            ProxyError::MethodNotAllowed
            | ProxyError::Route(RouteError::MethodNotAllowed { .. }) => reply,
            _ => reply,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::Endpoint;

    #[test]
    fn statuses_and_messages() {
        let cases: Vec<(ProxyError, u16, &str)> = vec![
            (ProxyError::NotFound, 404, "routeNotFound"),
            (ProxyError::UnknownOrder, 404, "orderNotFound"),
            (
                ProxyError::Route(RouteError::NotAnOrderId(None)),
                404,
                "orderNotFound",
            ),
            (
                ProxyError::Route(RouteError::NotAnOrderId(Some(Endpoint::Status))),
                404,
                "Order Not Found",
            ),
            (ProxyError::MethodNotAllowed, 405, "methodNotAllowed"),
            (ProxyError::UnknownUser, 404, "userNotFound"),
            (ProxyError::UnknownSession, 404, "sessionNotFound"),
            (ProxyError::UnknownApiKey, 404, "apiKeyNotFound"),
            (ProxyError::UserExists, 409, "userAlreadyExists"),
            (ProxyError::LastAdmin, 409, "lastActiveAdmin"),
            (ProxyError::UnknownCustomer, 404, "customerNotFound"),
            (ProxyError::UnknownProduct, 404, "productNotFound"),
            (
                ProxyError::CustomerExists(vec!["cus_1".into()]),
                409,
                "customerAlreadyExists",
            ),
            (
                ProxyError::BadCsv(frontdesk_core::csv::CsvError::Empty),
                422,
                "unreadableCsv",
            ),
            (
                ProxyError::Unauthenticated("noCredentials"),
                401,
                "unauthenticated",
            ),
            (ProxyError::Forbidden("role"), 403, "forbidden"),
            (ProxyError::PayloadTooLarge, 413, "payloadTooLarge"),
            (ProxyError::MalformedJson, 422, "malformedJson"),
            (ProxyError::IdempotencyMismatch, 422, "idempotencyKeyReused"),
            (
                ProxyError::IdempotencyInFlight,
                409,
                "idempotencyRequestInFlight",
            ),
            (
                ProxyError::IdempotencyUnresolved,
                409,
                "idempotencyOutcomeUnknown",
            ),
            (
                ProxyError::LoginLocked { retry_after: 3 },
                429,
                "tooManyRequests",
            ),
            (ProxyError::UpstreamTimeout, 504, "upstreamTimeout"),
            (ProxyError::UpstreamBadResponse, 502, "upstreamBadResponse"),
            (ProxyError::UpstreamUnreachable, 502, "upstreamBadResponse"),
            (
                ProxyError::Internal("secret detail".into()),
                500,
                "internalErrorOccurredPleaseTryAgainLater",
            ),
        ];
        for (e, status, message) in cases {
            let r = e.reply();
            assert_eq!(r.status, status, "{e:?}");
            let v: Value = serde_json::from_str(&r.body).unwrap_or_default();
            assert_eq!(v["status_code"], status);
            assert_eq!(v["message"], message);
            // A flag is always there: `is_error`, or a 404's recorded `is_data: false`.
            assert!(v["is_error"].is_boolean() || v["is_data"] == false, "{v}");
            assert!(!r.body.contains("secret detail"));
        }
        let r = ProxyError::LoginLocked { retry_after: 42 }.reply();
        assert_eq!(r.header("Retry-After"), Some("42"));
        let r = ProxyError::UpstreamBusy { retry_after: 60 }.reply();
        assert_eq!(r.status, 429);
        assert_eq!(r.header("Retry-After"), Some("60"));
    }

    /// The proxy's body parse (core's strict parse + this mapping), as `edge::api` runs it.
    #[test]
    fn duplicate_keys_are_a_422_naming_the_key() {
        use frontdesk_core::json::parse_strict;
        let parse = |text: &str| parse_strict(text).map_err(ProxyError::from);
        for (text, key) in [
            (r#"{"products": [], "products": "x"}"#, "products"),
            (
                r#"{"products": [{"name": "a"}], "customerDetails": {"name": "b", "name": "c"}}"#,
                "name",
            ),
            (
                r#"{"products": [{"tax": "0"}, {"tax": "25", "tax": "0"}]}"#,
                "tax",
            ),
        ] {
            let e = parse(text).err();
            assert!(
                matches!(e, Some(ProxyError::DuplicateKey(_))),
                "{text}: {e:?}"
            );
            let r = e.map(|e| e.reply()).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(r.status, 422, "{text}");
            let v: Value = serde_json::from_str(&r.body).unwrap_or_default();
            assert_eq!(v["message"], "malformedJson");
            assert_eq!(v["is_error"], true);
            let detail = v["errors"][0].as_str().unwrap_or_default();
            assert!(
                detail.starts_with(&format!("duplicate key \"{key}\" at line 1 column ")),
                "{detail}"
            );
        }
        // Any other bad JSON is refused as before: 422, no detail.
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        for text in ["", "{", "1e400", "NaN", "{} x", "\u{feff}{}", deep.as_str()] {
            let e = parse(text).err();
            assert_eq!(e, Some(ProxyError::MalformedJson), "{text:.20}");
        }
        let v: Value =
            serde_json::from_str(&ProxyError::MalformedJson.reply().body).unwrap_or_default();
        assert_eq!(v["errors"], Value::Null);
        // The same name in different objects is fine, and the value is serde_json's.
        let ok = r#"{"products": [{"name": "a", "tax": "0"}, {"name": "b", "tax": "0"}], "customerDetails": {"name": "c"}}"#;
        assert_eq!(parse(ok).ok(), serde_json::from_str::<Value>(ok).ok());
    }

    #[test]
    fn validation_is_the_417_envelope() {
        let report = Report {
            errors: vec![frontdesk_core::Issue::new(
                "products.0.tax",
                frontdesk_core::Code::In,
            )],
            warnings: vec![],
        };
        let r = ProxyError::Validation(report).reply();
        assert_eq!(r.status, 417);
        let v: Value = serde_json::from_str(&r.body).unwrap_or_default();
        assert_eq!(v["message"], "payloadValidationErrors");
        // `errors` as the live server sends it (sentences), `fields` keyed for the console.
        let sentences = v["errors"].as_array().cloned().unwrap_or_default();
        assert_eq!(sentences.len(), 1, "{v}");
        assert!(
            sentences[0].as_str().is_some_and(|s| s.starts_with("The ")),
            "{v}"
        );
        assert!(v["fields"]["products.0.tax"][0]["code"].is_string(), "{v}");
        let keys: Vec<&String> = v["fields"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["products.0.tax"]);
    }
}
