//! The console's only way out: HTTP to the proxy on the same origin (cookie session).

use frontdesk_core::envelope::{Body, Envelope, Errors};
use frontdesk_core::status::OrderKind;
use gloo_net::http::{Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How long a create may take before the console stops waiting (the key makes a retry safe).
const CREATE_TIMEOUT_MS: u32 = 30_000;

/// The proxy's `GET /health` answer.
#[derive(Clone, Debug, Deserialize)]
pub struct Health {
    pub status: String,
    pub upstream: String,
}

pub async fn health() -> Result<Health, String> {
    let response = Request::get("/health")
        .send()
        .await
        .map_err(|error| error.to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    response
        .json::<Health>()
        .await
        .map_err(|error| error.to_string())
}

/// The signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub username: String,
    pub role: String,
}

impl User {
    /// Clerks and admins create orders; viewers only look.
    pub fn can_create(&self) -> bool {
        matches!(self.role.as_str(), "clerk" | "admin")
    }
}

/// `GET /auth/me`: `Ok(None)` when not signed in.
pub async fn me() -> Result<Option<User>, String> {
    let response = Request::get("/auth/me")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    match response.status() {
        200 => response
            .json::<User>()
            .await
            .map(Some)
            .map_err(|e| e.to_string()),
        401 | 403 => Ok(None),
        s => Err(format!("HTTP {s}")),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    BadCredentials,
    /// Locked; retry after this many seconds.
    Locked(u32),
    Other(String),
}

#[derive(Serialize)]
struct Credentials<'a> {
    username: &'a str,
    password: &'a str,
}

pub async fn login(username: &str, password: &str) -> Result<User, LoginError> {
    let response = Request::post("/auth/login")
        .json(&Credentials { username, password })
        .map_err(|e| LoginError::Other(e.to_string()))?
        .send()
        .await
        .map_err(|e| LoginError::Other(e.to_string()))?;
    match response.status() {
        200 => response
            .json::<User>()
            .await
            .map_err(|e| LoginError::Other(e.to_string())),
        401 => Err(LoginError::BadCredentials),
        429 => Err(LoginError::Locked(
            response
                .headers()
                .get("Retry-After")
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(60),
        )),
        s => Err(LoginError::Other(format!("HTTP {s}"))),
    }
}

pub async fn logout() {
    if let Ok(request) = Request::post("/auth/logout").build() {
        let _ = request.send().await;
    }
}

/// The create endpoint of a kind, from core.
pub fn create_path(kind: OrderKind) -> &'static str {
    kind.create_endpoint().path_template()
}

/// A created order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub uuid: String,
    pub customer_uuid: String,
    /// The proxy answered from its idempotency store: the order existed already.
    pub replayed: bool,
}

/// Why a create did not (knowingly) succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum CreateError {
    /// 417: errors by dotted path (or a list / text).
    Validation(Errors),
    /// 409: the same key is still being processed.
    InFlight,
    /// 422: the key was used before with a different body.
    KeyReused,
    Unauthorized,
    Forbidden,
    /// 5xx: may or may not have been created; retry with the same key.
    Server {
        status: u16,
        message: String,
    },
    /// No answer (offline, DNS, connection reset).
    Network {
        offline: bool,
    },
    Timeout,
    Other {
        status: u16,
        message: String,
    },
}

impl CreateError {
    /// Is the outcome unknown, so that the same body must be retried under the same key?
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            CreateError::Server { .. }
                | CreateError::Network { .. }
                | CreateError::Timeout
                | CreateError::InFlight
        )
    }
}

/// `POST` a create body under an idempotency key.
pub async fn create(kind: OrderKind, body: &str, key: &str) -> Result<Created, CreateError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let timer = {
        let controller = controller.clone();
        let timed_out = timed_out.clone();
        gloo_timeout(CREATE_TIMEOUT_MS, move || {
            timed_out.set(true);
            if let Some(c) = controller {
                c.abort();
            }
        })
    };
    let request = Request::post(create_path(kind))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("Idempotency-Key", key)
        .abort_signal(signal.as_ref())
        .body(body.to_owned());
    let result = match request {
        Ok(r) => r.send().await,
        Err(e) => {
            return Err(CreateError::Other {
                status: 0,
                message: e.to_string(),
            });
        }
    };
    drop(timer);
    match result {
        Err(_) if timed_out.get() => Err(CreateError::Timeout),
        Err(_) => Err(CreateError::Network {
            offline: !crate::util::online(),
        }),
        Ok(response) => read_create(response).await,
    }
}

async fn read_create(response: Response) -> Result<Created, CreateError> {
    let status = response.status();
    let replayed = response
        .headers()
        .get("Idempotent-Replayed")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let text = response.text().await.unwrap_or_default();
    interpret_create(status, &text, replayed)
}

/// Map a create answer (status + body text) to the outcome; pure, for tests.
pub fn interpret_create(status: u16, text: &str, replayed: bool) -> Result<Created, CreateError> {
    let envelope: Option<Envelope<Value>> = serde_json::from_str(text).ok();
    let message = envelope
        .as_ref()
        .map(|e| e.message.clone())
        .unwrap_or_default();
    match status {
        200 | 201 => {
            let data = envelope.as_ref().and_then(|e| match &e.body {
                Body::Data { data, .. } => data.clone(),
                Body::Error { .. } => None,
            });
            let text_of = |k: &str| {
                data.as_ref()
                    .and_then(|d| d.get(k))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            match (text_of("uuid"), text_of("customerUuid")) {
                (Some(uuid), customer) => Ok(Created {
                    uuid,
                    customer_uuid: customer.unwrap_or_default(),
                    replayed,
                }),
                _ => Err(CreateError::Other {
                    status,
                    message: "no order id in the answer".into(),
                }),
            }
        }
        417 => Err(CreateError::Validation(
            envelope
                .and_then(|e| e.errors().cloned())
                .unwrap_or_default(),
        )),
        409 => Err(CreateError::InFlight),
        422 => Err(CreateError::KeyReused),
        401 => Err(CreateError::Unauthorized),
        403 => Err(CreateError::Forbidden),
        504 => Err(CreateError::Timeout),
        s if s >= 500 => Err(CreateError::Server { status, message }),
        _ => Err(CreateError::Other { status, message }),
    }
}

/// A cancellable timeout: dropping the guard clears it.
struct TimeoutGuard(Option<leptos::prelude::TimeoutHandle>);

impl Drop for TimeoutGuard {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            h.clear();
        }
    }
}

fn gloo_timeout(ms: u32, f: impl FnOnce() + 'static) -> TimeoutGuard {
    TimeoutGuard(
        leptos::prelude::set_timeout_with_handle(f, std::time::Duration::from_millis(ms.into()))
            .ok(),
    )
}
