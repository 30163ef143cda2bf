//! The console's only way out: HTTP to the proxy on the same origin (cookie session).

use frontdesk_core::envelope::{Body, Envelope, Errors};
use frontdesk_core::roles::{Action as Permission, Role};
use frontdesk_core::status::OrderKind;
use frontdesk_core::validate::Issue;
use gloo_net::http::{Request, Response};
use leptos::prelude::{RwSignal, Set};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::server_errors::{self, Placed};

/// The proxy's user management types (core's, so both sides read and write the same JSON).
pub use frontdesk_core::proxy::{
    ApiKeyInfo, IssuedPassword, NewUser, PasswordChange, SessionInfo, UserChange, UserStatus,
    UserSummary,
};

const JSON: &str = "application/json";

/// How long a create may take before the console stops waiting (the key makes a retry safe).
const CREATE_TIMEOUT_MS: u32 = 30_000;

/// How many busy answers (429) in a row are waited out before the merchant is asked.
pub const BUSY_RETRIES: u32 = 3;
/// The wait when a 429 names none, and the longest one honoured (seconds).
const DEFAULT_BUSY_WAIT: u32 = 5;
const MAX_BUSY_WAIT: u32 = 60;

/// Whether an answer with this status leaves the request worth sending again exactly as it
/// was, under the same idempotency key: the outcome is unknown (5xx), another attempt with the
/// key is still running (409), or the request was not taken because Front Payment is busy
/// (429). The one rule for creates and follow-ups alike.
pub const fn retryable_status(status: u16) -> bool {
    status >= 500 || status == 409 || status == 429
}

/// A 429's `Retry-After` (delta-seconds) as the wait in seconds, 1 ..= 60.
pub fn busy_wait(retry_after: Option<&str>) -> u32 {
    retry_after
        .and_then(|s| s.trim().parse::<u32>().ok())
        .unwrap_or(DEFAULT_BUSY_WAIT)
        .clamp(1, MAX_BUSY_WAIT)
}

/// An error that may mean "busy: send the same again after this many seconds".
pub trait Busy {
    fn busy_for(&self) -> Option<u32>;
}

/// Send until the answer is not "busy", waiting each busy answer out (at most
/// [`BUSY_RETRIES`] times) with the seconds left counting down in `waiting`. `send` repeats the
/// same request (same body, same idempotency key). Gives up early when the page went away.
pub async fn patiently<T, E: Busy, Fut: Future<Output = Result<T, E>>>(
    waiting: RwSignal<Option<u32>>,
    mut send: impl FnMut() -> Fut,
) -> Result<T, E> {
    let mut retries = 0;
    loop {
        let result = send().await;
        let wait = result.as_ref().err().and_then(Busy::busy_for);
        let Some(secs) = wait else {
            return result;
        };
        if retries == BUSY_RETRIES || !count_down(waiting, secs).await {
            return result;
        }
        retries += 1;
    }
}

/// Show `secs` counting down in `waiting`, then clear it; false when the page is gone.
async fn count_down(waiting: RwSignal<Option<u32>>, secs: u32) -> bool {
    for left in (1..=secs).rev() {
        if waiting.try_set(Some(left)).is_some() {
            return false;
        }
        sleep_ms(1000).await;
    }
    waiting.try_set(None).is_none()
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let scheduled = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .ok()
        });
        if scheduled.is_none() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A 417's messages placed by path: the proxy's keyed detail (`fields`) when the answer has
/// it, else the `errors` member (an upstream's sentences).
fn rejection(envelope: Option<&Envelope<Value>>) -> Placed {
    let Some(envelope) = envelope else {
        return Placed::new();
    };
    let keyed: Vec<Issue> = envelope
        .fields
        .iter()
        .flatten()
        .flat_map(|(path, failed)| {
            failed.iter().map(move |f| Issue {
                field: path.clone(),
                code: f.code,
                params: f.params.clone(),
            })
        })
        .collect();
    server_errors::place(&keyed, envelope.errors())
}

/// The proxy's `GET /health` answer.
#[derive(Clone, Debug, Deserialize)]
pub struct Health {
    pub status: String,
    pub upstream: String,
}

impl Health {
    /// The proxy forwards to the built-in sandbox (its controls are on).
    pub fn is_sandbox(&self) -> bool {
        self.upstream == "sandbox"
    }
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
    /// The role as core knows it (`None`: one this console does not know, which may nothing).
    pub fn known_role(&self) -> Option<Role> {
        self.role.parse().ok()
    }

    /// Whether core's role table (the one the proxy enforces) lets this user do `action`.
    pub fn may(&self, action: Permission) -> bool {
        self.known_role().is_some_and(|r| r.allows(action))
    }

    /// Clerks and admins create orders; viewers only look.
    pub fn can_create(&self) -> bool {
        self.may(Permission::Create)
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

/// `POST /auth/logout-everywhere`: ends every session of the signed-in user, this one too.
pub async fn logout_everywhere() -> Result<(), ApiError> {
    send_built::<Value>(
        Request::post("/auth/logout-everywhere")
            .header("Accept", JSON)
            .build(),
    )
    .await
    .map(drop)
}

/// `POST /auth/password`: the signed-in user's own password; the proxy ends their other
/// sessions.
pub async fn change_password(change: &PasswordChange) -> Result<(), ApiError> {
    send_built::<Value>(
        Request::post("/auth/password")
            .header("Accept", JSON)
            .json(change),
    )
    .await
    .map(drop)
}

fn user_path(username: &str) -> String {
    format!("/console/users/{}", js_sys::encode_uri_component(username))
}

/// `GET /console/users` (admins).
pub async fn users() -> Result<Vec<UserSummary>, ApiError> {
    get_data("/console/users").await
}

/// `POST /console/users`: the new user's generated password, shown once.
pub async fn add_user(user: &NewUser) -> Result<IssuedPassword, ApiError> {
    send_built(
        Request::post("/console/users")
            .header("Accept", JSON)
            .json(user),
    )
    .await
}

/// `PATCH /console/users/{username}`: a new role or status (either ends the user's sessions).
pub async fn change_user(username: &str, change: &UserChange) -> Result<UserSummary, ApiError> {
    send_built(
        Request::patch(&user_path(username))
            .header("Accept", JSON)
            .json(change),
    )
    .await
}

/// `POST /console/users/{username}/password`: a new generated password, shown once; the
/// user's sessions end.
pub async fn reset_password(username: &str) -> Result<IssuedPassword, ApiError> {
    let path = format!("{}/password", user_path(username));
    send_built(Request::post(&path).header("Accept", JSON).build()).await
}

/// `GET /console/users/{username}/sessions`.
pub async fn sessions_of(username: &str) -> Result<Vec<SessionInfo>, ApiError> {
    get_data(&format!("{}/sessions", user_path(username))).await
}

/// `GET /console/users/{username}/keys`.
pub async fn keys_of(username: &str) -> Result<Vec<ApiKeyInfo>, ApiError> {
    get_data(&format!("{}/keys", user_path(username))).await
}

/// `DELETE /console/sessions/{id}`: whoever uses that session is signed out.
pub async fn revoke_session(id: &str) -> Result<(), ApiError> {
    delete(&format!(
        "/console/sessions/{}",
        js_sys::encode_uri_component(id)
    ))
    .await
}

/// `DELETE /console/keys/{id}`: the API key stops working.
pub async fn revoke_key(id: &str) -> Result<(), ApiError> {
    delete(&format!(
        "/console/keys/{}",
        js_sys::encode_uri_component(id)
    ))
    .await
}

async fn delete(path: &str) -> Result<(), ApiError> {
    send_built::<Value>(Request::delete(path).header("Accept", JSON).build())
        .await
        .map(drop)
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
    /// 417: the messages by dotted path (see [`server_errors`]).
    Validation(Placed),
    /// 429: Front Payment is busy; the same body under the same key may go again after this
    /// many seconds.
    Busy {
        retry_after: u32,
    },
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
    /// The HTTP status behind the error (`None`: no answer, or the console stopped waiting).
    pub fn status(&self) -> Option<u16> {
        match self {
            CreateError::Validation(_) => Some(417),
            CreateError::Busy { .. } => Some(429),
            CreateError::InFlight => Some(409),
            CreateError::KeyReused => Some(422),
            CreateError::Unauthorized => Some(401),
            CreateError::Forbidden => Some(403),
            CreateError::Server { status, .. } | CreateError::Other { status, .. } => Some(*status),
            CreateError::Network { .. } | CreateError::Timeout => None,
        }
    }

    /// Should the same body go again under the same key ([`retryable_status`]; no answer at
    /// all leaves the outcome unknown too)?
    pub fn is_retryable(&self) -> bool {
        self.status().is_none_or(retryable_status)
    }
}

impl Busy for CreateError {
    fn busy_for(&self) -> Option<u32> {
        match self {
            CreateError::Busy { retry_after } => Some(*retry_after),
            _ => None,
        }
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
    let (replayed, retry_after) = {
        let headers = response.headers();
        let replayed = headers
            .get("Idempotent-Replayed")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        (replayed, headers.get("Retry-After"))
    };
    let text = response.text().await.unwrap_or_default();
    interpret_create(status, &text, replayed, retry_after.as_deref())
}

/// Map a create answer (status, body text, `Idempotent-Replayed`, `Retry-After`) to the
/// outcome; pure, for tests.
pub fn interpret_create(
    status: u16,
    text: &str,
    replayed: bool,
    retry_after: Option<&str>,
) -> Result<Created, CreateError> {
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
        417 => Err(CreateError::Validation(rejection(envelope.as_ref()))),
        429 => Err(CreateError::Busy {
            retry_after: busy_wait(retry_after),
        }),
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

/// Why a follow-up call (read or write) did not succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The proxy or the API answered with an error envelope: its `message` (an
    /// [`frontdesk_core::ApiMessage`] wire name) and field errors, if any.
    Http {
        status: u16,
        message: String,
        errors: Option<Errors>,
    },
    /// 429: Front Payment is busy; the same request may go again after this many seconds.
    Busy { retry_after: u32 },
    /// No answer (offline, connection reset).
    Network { offline: bool },
}

impl ApiError {
    /// The HTTP status behind the error (`None`: no answer).
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } => Some(*status),
            ApiError::Busy { .. } => Some(429),
            ApiError::Network { .. } => None,
        }
    }

    /// Worth trying again as it is ([`retryable_status`]; the idempotency key makes a write
    /// retry safe).
    pub fn is_retryable(&self) -> bool {
        self.status().is_none_or(retryable_status)
    }
}

impl Busy for ApiError {
    fn busy_for(&self) -> Option<u32> {
        match self {
            ApiError::Busy { retry_after } => Some(*retry_after),
            _ => None,
        }
    }
}

/// `GET` a proxy path and return the envelope's `data`. A 401 means the session ended
/// (revoked, signed out everywhere, idle): the console forgets the user, so the page's guard
/// sends them to the login.
pub async fn get_data<T: serde::de::DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(path)
        .header("Accept", "application/json")
        .send()
        .await;
    let result = data_of(response).await;
    if matches!(result, Err(ApiError::Http { status: 401, .. })) {
        crate::auth::session_ended();
    }
    result
}

/// `POST` to a proxy path (with a JSON body and an idempotency key when given).
pub async fn post_data(
    path: &str,
    body: Option<&Value>,
    key: Option<&str>,
) -> Result<Value, ApiError> {
    let mut builder = Request::post(path).header("Accept", "application/json");
    if let Some(k) = key {
        builder = builder.header("Idempotency-Key", k);
    }
    send_built(match body {
        Some(b) => builder.json(b),
        None => builder.build(),
    })
    .await
}

/// `PUT` a JSON body to a proxy path (an idempotent console write) and read the `data`.
pub async fn put_data<T: serde::de::DeserializeOwned>(
    path: &str,
    body: &impl Serialize,
) -> Result<T, ApiError> {
    send_built(
        Request::put(path)
            .header("Accept", "application/json")
            .json(body),
    )
    .await
}

/// Send a built request and read the envelope's `data`.
async fn send_built<T: serde::de::DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    match request {
        Ok(r) => data_of(r.send().await).await,
        Err(e) => Err(ApiError::Http {
            status: 0,
            message: e.to_string(),
            errors: None,
        }),
    }
}

async fn data_of<T: serde::de::DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = response.map_err(|_| ApiError::Network {
        offline: !crate::util::online(),
    })?;
    let status = response.status();
    let retry_after = response.headers().get("Retry-After");
    let text = response.text().await.unwrap_or_default();
    interpret(status, &text, retry_after.as_deref())
}

/// An answer (status, body text, `Retry-After`) as data or an [`ApiError`]; pure, for tests.
pub fn interpret<T: serde::de::DeserializeOwned>(
    status: u16,
    text: &str,
    retry_after: Option<&str>,
) -> Result<T, ApiError> {
    if status == 429 {
        return Err(ApiError::Busy {
            retry_after: busy_wait(retry_after),
        });
    }
    let envelope: Option<Envelope<Value>> = serde_json::from_str(text).ok();
    if (200..300).contains(&status) {
        let data = envelope.and_then(|e| match e.body {
            Body::Data { data, .. } => data,
            Body::Error { .. } => None,
        });
        return serde_json::from_value(data.unwrap_or(Value::Null)).map_err(|e| ApiError::Http {
            status,
            message: e.to_string(),
            errors: None,
        });
    }
    Err(ApiError::Http {
        status,
        message: envelope
            .as_ref()
            .map(|e| e.message.clone())
            .unwrap_or_default(),
        errors: envelope.and_then(|e| e.errors().cloned()),
    })
}

/// One row of the proxy's order index (`GET /console/orders`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexedOrder {
    pub uuid: String,
    pub kind: Option<OrderKind>,
    pub customer_name: Option<String>,
    /// First name and name as a person reads them (core's `CustomerDetails::full_name`;
    /// orders created through the proxy).
    #[serde(default)]
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub reference: Option<String>,
    /// D1 numbers arrive as JSON floats (`40000.0`): read as f64, use [`Self::amount`].
    pub amount_ore: Option<f64>,
    pub created_at: f64,
    pub status: Option<frontdesk_core::OrderStatus>,
    /// `proxy` (created here) or `sync` / `callback` (known by status only).
    pub source: String,
}

impl IndexedOrder {
    pub fn amount(&self) -> Option<frontdesk_core::Money> {
        self.amount_ore.map(|a| frontdesk_core::Money(a as i64))
    }
}

/// A page of the order index.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrdersPage {
    pub items: Vec<IndexedOrder>,
    pub next_cursor: Option<String>,
    /// Per status over the search (`UNKNOWN` for rows without one).
    pub counts: std::collections::BTreeMap<String, f64>,
    pub total: f64,
    /// A search matched more than the proxy counts (then `total` is that cap, `counts` empty).
    #[serde(default)]
    pub counts_capped: bool,
}

/// One audit row (`GET /console/audit`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRow {
    pub id: f64,
    pub at: f64,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub order_uuid: Option<String>,
    pub amount_ore: Option<f64>,
    pub status: f64,
    pub message: String,
    pub idempotency_key: Option<String>,
    pub replayed: bool,
    /// Refunds: `{"<product id>": øre}`; resends: `{"to": {countryCode, msisdn, email}}`.
    pub detail: Option<String>,
}

/// A page of the audit log.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    pub items: Vec<AuditRow>,
    pub next_cursor: Option<String>,
}

/// What the proxy keeps of an order beyond the API's details (core's type, the proxy's JSON).
pub use frontdesk_core::proxy::OrderRecord;

fn order_record_path(uuid: &str) -> String {
    format!("/console/orders/{}", js_sys::encode_uri_component(uuid))
}

/// `GET /console/orders/{uuid}`: `Ok(default)` when the proxy keeps nothing of the order
/// (404), `Err` when it could not be read (then nothing may overwrite the note).
pub async fn order_record(uuid: &str) -> Result<OrderRecord, ApiError> {
    match get_data::<OrderRecord>(&order_record_path(uuid)).await {
        Err(ApiError::Http { status: 404, .. }) => Ok(OrderRecord::default()),
        other => other,
    }
}

/// `PUT /console/orders/{uuid}/note`: the internal note (blank clears it); answers with the
/// order's record as saved.
pub async fn save_note(uuid: &str, note: &str) -> Result<OrderRecord, ApiError> {
    let body = frontdesk_core::proxy::NoteRequest {
        note: Some(note.to_owned()),
    };
    put_data(&format!("{}/note", order_record_path(uuid)), &body).await
}

/// A query string from pairs, skipping empty values.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// `GET /console/overview`: the proxy's figures for a period (Oslo days, inclusive) and the
/// period just before it.
pub async fn overview(from: &str, to: &str) -> Result<frontdesk_core::report::Overview, ApiError> {
    get_data(&format!(
        "/console/overview{}",
        query(&[("from", from), ("to", to)])
    ))
    .await
}

/// `GET /console/vat`: the proxy's VAT report for a period, by order or payment date.
pub async fn vat(
    from: &str,
    to: &str,
    basis: frontdesk_core::report::DateBasis,
) -> Result<frontdesk_core::report::VatReport, ApiError> {
    get_data(&format!(
        "/console/vat{}",
        query(&[("from", from), ("to", to), ("basis", basis.as_str())])
    ))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn busy_answers_wait_as_told_and_one_rule_says_what_to_retry() {
        let busy = r#"{"status_code":429,"status_message":"Too Many Requests","message":"tooManyRequests","is_error":true,"errors":null}"#;
        let wait = |header| match interpret_create(429, busy, false, header) {
            Err(CreateError::Busy { retry_after }) => retry_after,
            other => panic!("{other:?}"),
        };
        assert_eq!(wait(Some("2")), 2);
        assert_eq!(wait(None), 5, "no Retry-After: a default wait");
        assert_eq!(wait(Some("3600")), 60, "never longer than a minute");
        assert_eq!(wait(Some("0")), 1);
        assert_eq!(
            interpret::<serde_json::Value>(429, busy, Some("1")),
            Err(ApiError::Busy { retry_after: 1 })
        );
        // Creates and follow-ups agree, status by status.
        for (status, retry) in [
            (429, true),
            (409, true),
            (502, true),
            (417, false),
            (400, false),
        ] {
            let create = interpret_create(status, "{}", false, None).unwrap_err();
            let action = interpret::<serde_json::Value>(status, "{}", None).unwrap_err();
            assert_eq!(create.is_retryable(), retry, "create {status}");
            assert_eq!(action.is_retryable(), retry, "action {status}");
        }
    }
}
