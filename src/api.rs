//! The console's only way out: HTTP to the proxy on the same origin (cookie session). The
//! proxy's own routes answer core's types ([`frontdesk_core::proxy`], [`frontdesk_core::report`]);
//! every call fails with one [`ApiError`].

use frontdesk_core::batch::JobEvent;
use frontdesk_core::envelope::{ApiMessage, Body, Envelope};
use frontdesk_core::proxy::{Credentials, SignedOut, field_issues};
use frontdesk_core::status::OrderKind;
use gloo_net::http::{Request, Response};
use leptos::prelude::{RwSignal, Set};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::server_errors::{self, Placed};

/// The proxy's own API (core's types, so both sides read and write the same JSON). The
/// signed-in user is core's [`frontdesk_core::proxy::Me`].
pub use frontdesk_core::proxy::{
    ApiKeyInfo, AuditPage, AuditRow, Health, IndexedOrder, IssuedPassword, Me as User, NewUser,
    OrderRecord, OrdersPage, PasswordChange, SessionInfo, Synced, UserChange, UserStatus,
    UserSummary,
};

const JSON: &str = "application/json";

/// Send to many (issue 19): the proxy's `/console/batches…` types, from core.
pub use frontdesk_core::batch::api::{
    BatchDetail, BatchList, BatchPreview, BatchRequest, BatchSummary, PreviewRow, RowIssue,
    RowResult, Totals,
};

/// How long a create may take before the console stops waiting (the key makes a retry safe).
const CREATE_TIMEOUT_MS: u32 = 30_000;

/// How many busy answers (429) in a row are waited out before the merchant is asked.
pub const BUSY_RETRIES: u32 = 3;
/// The wait when a 429 names none, and the longest one waited out by itself (seconds).
const DEFAULT_BUSY_WAIT: u32 = 5;
const MAX_BUSY_WAIT: u32 = 60;

/// A 429's `Retry-After` (delta-seconds) as said; [`DEFAULT_BUSY_WAIT`] when absent.
fn retry_after_secs(retry_after: Option<&str>) -> u32 {
    retry_after
        .and_then(|s| s.trim().parse::<u32>().ok())
        .unwrap_or(DEFAULT_BUSY_WAIT)
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

/// Waits `ms` milliseconds (a browser timer).
pub async fn sleep_ms(ms: i32) {
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
    let keyed = envelope
        .fields
        .as_ref()
        .map(field_issues)
        .unwrap_or_default();
    server_errors::place(&keyed, envelope.errors())
}

/// `GET /health`: the proxy is up, and which upstream it forwards to.
pub async fn health() -> Result<Health, ApiError> {
    send_raw(Request::get("/health").build()).await
}

/// `GET /auth/me`: `Ok(None)` when not signed in.
pub async fn me() -> Result<Option<User>, ApiError> {
    match send_raw(Request::get("/auth/me").build()).await {
        Ok(user) => Ok(Some(user)),
        Err(ApiError::Unauthorized | ApiError::Forbidden) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `POST /auth/login`: the user, or [`ApiError::Unauthorized`] (wrong name or password) or
/// [`ApiError::Busy`] (locked by the throttle for `retry_after` seconds).
pub async fn login(username: &str, password: &str) -> Result<User, ApiError> {
    let credentials = Credentials {
        username: username.to_owned(),
        password: password.to_owned(),
    };
    send_raw(Request::post("/auth/login").json(&credentials)).await
}

pub async fn logout() {
    if let Ok(request) = Request::post("/auth/logout").build() {
        let _ = request.send().await;
    }
}

/// `POST /auth/logout-everywhere`: ends every session of the signed-in user, this one too.
pub async fn logout_everywhere() -> Result<(), ApiError> {
    send_raw::<SignedOut>(
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

/// Why a call to the proxy (a create, a follow-up, a read, a sign-in) did not succeed. The
/// answer's `message` decides where it names one of core's ([`ApiMessage`]: 422 is both
/// `malformedJson` and `idempotencyKeyReused`, 409 both "in flight" and a refusal), else the
/// status ([`ApiError::of_answer`]).
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 417: the messages by dotted path (see [`server_errors`]).
    Validation(Placed),
    /// 429: busy (Front Payment's rate limit, or the sign-in throttle); the same request may
    /// go again after this many seconds (as the answer said).
    Busy { retry_after: u32 },
    /// `idempotencyRequestInFlight` / `idempotencyOutcomeUnknown` (or a bare 409): the same
    /// key is still being processed.
    InFlight,
    /// `idempotencyKeyReused`: the key was used before with a different body.
    KeyReused,
    /// 401: not signed in (any more), or a wrong name or password at the sign-in.
    Unauthorized,
    /// 403: the role may not, or a cross-site write.
    Forbidden,
    /// 5xx: may or may not have happened; retry with the same key.
    Server { status: u16, message: String },
    /// No answer (offline, DNS, connection reset).
    Network { offline: bool },
    /// The console stopped waiting (a create), or the proxy did (504).
    Timeout,
    /// Any other answer, `message` its envelope's (an [`ApiMessage`] wire name); status 0 for
    /// a failure in the console itself ([`ApiError::local`]).
    Other { status: u16, message: String },
}

impl ApiError {
    /// An error answer (status, body text, `Retry-After`) as its meaning; pure, for tests.
    pub fn of_answer(status: u16, text: &str, retry_after: Option<&str>) -> ApiError {
        let envelope: Option<Envelope<Value>> = serde_json::from_str(text).ok();
        let said = envelope.as_ref().and_then(Envelope::api_message);
        let message = envelope
            .as_ref()
            .map(|e| e.message.clone())
            .unwrap_or_default();
        match (status, said) {
            (429, _) => ApiError::Busy {
                retry_after: retry_after_secs(retry_after),
            },
            (417, _) => ApiError::Validation(rejection(envelope.as_ref())),
            (_, Some(ApiMessage::IdempotencyKeyReused)) => ApiError::KeyReused,
            (
                _,
                Some(
                    ApiMessage::IdempotencyRequestInFlight | ApiMessage::IdempotencyOutcomeUnknown,
                ),
            )
            | (409, None) => ApiError::InFlight,
            (401, _) => ApiError::Unauthorized,
            (403, _) => ApiError::Forbidden,
            (504, _) => ApiError::Timeout,
            (s, _) if s >= 500 => ApiError::Server { status, message },
            _ => ApiError::Other { status, message },
        }
    }

    /// A failure in the console itself (a request it could not build, a download refused),
    /// in words.
    pub fn local(message: impl Into<String>) -> ApiError {
        ApiError::Other {
            status: 0,
            message: message.into(),
        }
    }

    /// The HTTP status behind the error (`None`: no answer, or the console stopped waiting).
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Validation(_) => Some(417),
            ApiError::Busy { .. } => Some(429),
            ApiError::InFlight => Some(409),
            ApiError::KeyReused => Some(422),
            ApiError::Unauthorized => Some(401),
            ApiError::Forbidden => Some(403),
            ApiError::Server { status, .. } | ApiError::Other { status, .. } => Some(*status),
            ApiError::Network { .. } | ApiError::Timeout => None,
        }
    }

    /// Should the same request go again exactly as it was (same body, same idempotency key)?
    /// Yes when the outcome is unknown (no answer, a timeout, 5xx), another attempt with the
    /// key is still running, or Front Payment is busy (429). The one rule for every call.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::Busy { .. }
                | ApiError::InFlight
                | ApiError::Server { .. }
                | ApiError::Network { .. }
                | ApiError::Timeout
        )
    }

    /// Refused as asked (a 4xx other than busy): the request itself must change.
    pub fn is_refusal(&self) -> bool {
        !self.is_retryable() && self.status().is_some_and(|s| (400..500).contains(&s))
    }
}

impl Busy for ApiError {
    /// The wait before sending again by itself: as the answer said, 1 ..= 60 seconds.
    fn busy_for(&self) -> Option<u32> {
        match self {
            ApiError::Busy { retry_after } => Some((*retry_after).clamp(1, MAX_BUSY_WAIT)),
            _ => None,
        }
    }
}

/// `POST` a create body under an idempotency key.
pub async fn create(kind: OrderKind, body: &str, key: &str) -> Result<Created, ApiError> {
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
        Err(e) => return Err(ApiError::local(e.to_string())),
    };
    drop(timer);
    match result {
        Err(_) if timed_out.get() => Err(ApiError::Timeout),
        Err(_) => Err(offline()),
        Ok(response) => {
            let replayed = response
                .headers()
                .get("Idempotent-Replayed")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"));
            let answer = Answer::read(response).await;
            interpret_create(
                answer.status,
                &answer.text,
                replayed,
                answer.retry_after.as_deref(),
            )
        }
    }
}

/// Map a create answer (status, body text, `Idempotent-Replayed`, `Retry-After`) to the
/// outcome; pure, for tests.
pub fn interpret_create(
    status: u16,
    text: &str,
    replayed: bool,
    retry_after: Option<&str>,
) -> Result<Created, ApiError> {
    let data: Value = interpret(status, text, retry_after)?;
    let text_of = |k: &str| data.get(k).and_then(Value::as_str).map(str::to_owned);
    match text_of("uuid") {
        Some(uuid) => Ok(Created {
            uuid,
            customer_uuid: text_of("customerUuid").unwrap_or_default(),
            replayed,
        }),
        None => Err(ApiError::Other {
            status,
            message: "no order id in the answer".into(),
        }),
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

/// `GET` a proxy path and return the envelope's `data`. A 401 means the session ended
/// (revoked, signed out everywhere, idle): the console forgets the user, so the page's guard
/// sends them to the login.
pub async fn get_data<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(path)
        .header("Accept", "application/json")
        .send()
        .await;
    let result = data_of(response).await;
    if matches!(result, Err(ApiError::Unauthorized)) {
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
pub async fn put_data<T: DeserializeOwned>(
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

/// No answer at all: offline, or the connection failed.
fn offline() -> ApiError {
    ApiError::Network {
        offline: !crate::util::online(),
    }
}

/// An answer as read: status, body text and `Retry-After`.
struct Answer {
    status: u16,
    text: String,
    retry_after: Option<String>,
}

impl Answer {
    async fn read(response: Response) -> Answer {
        let status = response.status();
        let retry_after = response.headers().get("Retry-After");
        let text = response.text().await.unwrap_or_default();
        Answer {
            status,
            text,
            retry_after,
        }
    }

    /// Send a built request and read what comes back.
    async fn of(request: Result<Request, gloo_net::Error>) -> Result<Answer, ApiError> {
        let request = request.map_err(|e| ApiError::local(e.to_string()))?;
        let response = request.send().await.map_err(|_| offline())?;
        Ok(Answer::read(response).await)
    }
}

/// Send a built request and read the envelope's `data`.
async fn send_built<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    let answer = Answer::of(request).await?;
    interpret(answer.status, &answer.text, answer.retry_after.as_deref())
}

/// Send a built request whose answer is plain JSON, not an envelope (`/health`, the sign-in
/// routes).
async fn send_raw<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    let answer = Answer::of(request).await?;
    let status = answer.status;
    if !(200..300).contains(&status) {
        return Err(ApiError::of_answer(
            status,
            &answer.text,
            answer.retry_after.as_deref(),
        ));
    }
    serde_json::from_str(&answer.text).map_err(|e| ApiError::Other {
        status,
        message: e.to_string(),
    })
}

async fn data_of<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let answer = Answer::read(response.map_err(|_| offline())?).await;
    interpret(answer.status, &answer.text, answer.retry_after.as_deref())
}

/// An answer (status, body text, `Retry-After`) as the envelope's `data` or an [`ApiError`];
/// pure, for tests.
pub fn interpret<T: DeserializeOwned>(
    status: u16,
    text: &str,
    retry_after: Option<&str>,
) -> Result<T, ApiError> {
    if !(200..300).contains(&status) {
        return Err(ApiError::of_answer(status, text, retry_after));
    }
    let data = serde_json::from_str::<Envelope<Value>>(text)
        .ok()
        .and_then(|e| match e.body {
            Body::Data { data, .. } => data,
            Body::Error { .. } => None,
        });
    serde_json::from_value(data.unwrap_or(Value::Null)).map_err(|e| ApiError::Other {
        status,
        message: e.to_string(),
    })
}

fn order_record_path(uuid: &str) -> String {
    format!("/console/orders/{}", js_sys::encode_uri_component(uuid))
}

/// `GET /console/orders/{uuid}`: `Ok(default)` when the proxy keeps nothing of the order
/// (404), `Err` when it could not be read (then nothing may overwrite the note).
pub async fn order_record(uuid: &str) -> Result<OrderRecord, ApiError> {
    match get_data::<OrderRecord>(&order_record_path(uuid)).await {
        Err(ApiError::Other { status: 404, .. }) => Ok(OrderRecord::default()),
        other => other,
    }
}

/// `POST /console/sync`: re-read every status from Front Payment into the index.
pub async fn sync() -> Result<Synced, ApiError> {
    send_built(
        Request::post("/console/sync")
            .header("Accept", JSON)
            .build(),
    )
    .await
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

/// The batches' routes.
const BATCHES: &str = "/console/batches";

fn batch_path(id: i64) -> String {
    format!("{BATCHES}/{id}")
}

/// A `/console/batches…` answer: plain JSON (not an envelope) on success, an envelope on
/// error; a 401 forgets the user as [`get_data`] does.
async fn batch_call<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    let result = send_raw(request).await;
    if matches!(result, Err(ApiError::Unauthorized)) {
        crate::auth::session_ended();
    }
    result
}

/// `GET /console/batches`: the newest batches, each with its progress.
pub async fn batches() -> Result<BatchList, ApiError> {
    batch_call(Request::get(BATCHES).header("Accept", JSON).build()).await
}

/// `GET /console/batches/{id}`: the batch and what became of each row.
pub async fn batch(id: i64) -> Result<BatchDetail, ApiError> {
    batch_call(Request::get(&batch_path(id)).header("Accept", JSON).build()).await
}

/// `POST /console/batches`: every order checked as the form checks it; kept as a draft that
/// sends nothing until confirmed.
pub async fn preview_batch(request: &BatchRequest) -> Result<BatchPreview, ApiError> {
    batch_call(Request::post(BATCHES).header("Accept", JSON).json(request)).await
}

/// `POST /console/batches/{id}/confirm|pause|resume|cancel`: the batch as it stands after. The
/// job's own events (start, finish) are no route.
pub async fn batch_event(id: i64, event: JobEvent) -> Result<BatchSummary, ApiError> {
    let action = match event {
        JobEvent::Confirm => "confirm",
        JobEvent::Pause => "pause",
        JobEvent::Resume => "resume",
        JobEvent::Cancel => "cancel",
        JobEvent::Start | JobEvent::Finish => {
            return Err(ApiError::local(format!("{event:?} is the job's own step")));
        }
    };
    let path = format!("{}/{action}", batch_path(id));
    batch_call(Request::post(&path).header("Accept", JSON).build()).await
}

/// Where a batch's result file is (each row's order uuid or error), in `lang`'s spreadsheet
/// form: a same-origin link the browser downloads with the session cookie.
pub fn batch_result_path(id: i64, lang: crate::i18n::Lang) -> String {
    format!("{}/result.csv?lang={}", batch_path(id), lang.code())
}

/// The customer book's and the catalogue's API (issue 18), typed by core.
pub use frontdesk_core::book::{
    Customer, CustomerExport, CustomerInput, Erasure, ImportDone, ImportLine, ImportRequest,
    ImportRow, Page, Product, ProductInput,
};

/// The customer book (`/console/customers`).
pub const CUSTOMERS: &str = "/console/customers";
/// The product catalogue (`/console/products`).
pub const PRODUCTS: &str = "/console/products";

/// Which entries of a shelf a list shows (`archived=`): what the order form offers, the
/// archived ones, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Shown {
    #[default]
    Active,
    Archived,
    All,
}

impl Shown {
    /// The query value (`""`: the proxy's default, active only).
    pub const fn wire(self) -> &'static str {
        match self {
            Shown::Active => "",
            Shown::Archived => "1",
            Shown::All => "all",
        }
    }
}

/// A list of a shelf: the search typed, the page after `cursor` (empty: the first), at most
/// `limit` entries (0: the proxy's default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShelfQuery {
    pub q: String,
    pub cursor: String,
    pub limit: u32,
    pub shown: Shown,
}

impl ShelfQuery {
    /// The search `q` for a type-ahead: the first `limit` active entries.
    pub fn typed(q: &str, limit: u32) -> ShelfQuery {
        ShelfQuery {
            q: q.to_owned(),
            limit,
            ..ShelfQuery::default()
        }
    }

    fn path(&self, shelf: &str) -> String {
        let limit = if self.limit == 0 {
            String::new()
        } else {
            self.limit.to_string()
        };
        let pairs = [
            ("q", self.q.trim()),
            ("cursor", self.cursor.as_str()),
            ("limit", limit.as_str()),
            ("archived", self.shown.wire()),
        ];
        format!("{shelf}{}", query(&pairs))
    }
}

fn entry_path(shelf: &str, id: &str) -> String {
    format!("{shelf}/{}", js_sys::encode_uri_component(id))
}

/// `GET /console/customers?q=&cursor=&limit=&archived=`: a page in name order.
pub async fn customers(q: &ShelfQuery) -> Result<Page<Customer>, ApiError> {
    get_data(&q.path(CUSTOMERS)).await
}

/// `GET /console/products?q=&cursor=&limit=&archived=`: a page in name order.
pub async fn products(q: &ShelfQuery) -> Result<Page<Product>, ApiError> {
    get_data(&q.path(PRODUCTS)).await
}

/// `GET /console/customers/{id}` (viewers see a personal number's date part only).
pub async fn customer(id: &str) -> Result<Customer, ApiError> {
    get_data(&entry_path(CUSTOMERS, id)).await
}

/// `POST /console/{shelf}` (a new entry, `id` none) or `PUT /console/{shelf}/{id}`: the body
/// as core's `validate_book_*` reads it; answers the entry as saved.
async fn save_entry<T: DeserializeOwned>(
    shelf: &str,
    id: Option<&str>,
    body: &Value,
) -> Result<T, ApiError> {
    let request = match id {
        Some(id) => Request::put(&entry_path(shelf, id)),
        None => Request::post(shelf),
    };
    send_built(request.header("Accept", JSON).json(body)).await
}

/// Create (`id` none) or change a customer: `{customerDetails, notes}`.
pub async fn save_customer(id: Option<&str>, body: &Value) -> Result<Customer, ApiError> {
    save_entry(CUSTOMERS, id, body).await
}

/// Create (`id` none) or change a product: `{name, productId, unitPrice, tax, discount, unit}`.
pub async fn save_product(id: Option<&str>, body: &Value) -> Result<Product, ApiError> {
    save_entry(PRODUCTS, id, body).await
}

/// `POST /console/{shelf}/{id}/archive`: archived entries are never offered in the order form.
async fn archive_entry<T: DeserializeOwned>(
    shelf: &str,
    id: &str,
    archived: bool,
) -> Result<T, ApiError> {
    let path = format!("{}/archive", entry_path(shelf, id));
    let body = frontdesk_core::book::ArchiveRequest { archived };
    send_built(Request::post(&path).header("Accept", JSON).json(&body)).await
}

/// Archive a customer (`false`: bring them back).
pub async fn archive_customer(id: &str, archived: bool) -> Result<Customer, ApiError> {
    archive_entry(CUSTOMERS, id, archived).await
}

/// Archive a product (`false`: offer it again).
pub async fn archive_product(id: &str, archived: bool) -> Result<Product, ApiError> {
    archive_entry(PRODUCTS, id, archived).await
}

/// `DELETE /console/customers/{id}` (admins): the entry goes, their orders and audit rows are
/// anonymised; order ids, amounts and statuses stay (bookkeeping law).
pub async fn erase_customer(id: &str) -> Result<Erasure, ApiError> {
    send_built(
        Request::delete(&entry_path(CUSTOMERS, id))
            .header("Accept", JSON)
            .build(),
    )
    .await
}

/// `GET /console/customers/{id}/export`: everything kept about one customer.
pub async fn export_customer(id: &str) -> Result<CustomerExport, ApiError> {
    get_data(&format!("{}/export", entry_path(CUSTOMERS, id))).await
}

/// `POST /console/{shelf}/import/preview` with a CSV file: every row as core's rules read it.
async fn preview_rows<T: DeserializeOwned>(
    shelf: &str,
    csv: &str,
) -> Result<Vec<ImportRow<T>>, ApiError> {
    send_built(
        Request::post(&format!("{shelf}/import/preview"))
            .header("Accept", JSON)
            .header("Content-Type", "text/csv;charset=utf-8")
            .body(csv.to_owned()),
    )
    .await
}

/// The preview of a customer CSV (nothing is written).
pub async fn preview_customers(csv: &str) -> Result<Vec<ImportRow<CustomerInput>>, ApiError> {
    preview_rows(CUSTOMERS, csv).await
}

/// The preview of a product CSV (nothing is written).
pub async fn preview_products(csv: &str) -> Result<Vec<ImportRow<ProductInput>>, ApiError> {
    preview_rows(PRODUCTS, csv).await
}

/// `POST /console/{shelf}/import`: the accepted rows, all or none; what each row did.
async fn import_rows<T: Serialize>(
    shelf: &str,
    rows: &ImportRequest<T>,
) -> Result<Vec<ImportDone>, ApiError> {
    send_built(
        Request::post(&format!("{shelf}/import"))
            .header("Accept", JSON)
            .json(rows),
    )
    .await
}

/// Import the accepted customer rows.
pub async fn import_customers(
    rows: &ImportRequest<CustomerInput>,
) -> Result<Vec<ImportDone>, ApiError> {
    import_rows(CUSTOMERS, rows).await
}

/// Import the accepted product rows.
pub async fn import_products(
    rows: &ImportRequest<ProductInput>,
) -> Result<Vec<ImportDone>, ApiError> {
    import_rows(PRODUCTS, rows).await
}

/// `GET /console/orders?q=…&limit=100`: the index's orders matching a search (newest first).
/// The orders sent to customer `id` of the book (the index links each order sent through
/// Frontdesk to its entry), newest first.
pub async fn orders_of_customer(id: &str) -> Result<OrdersPage, ApiError> {
    get_data(&format!(
        "/console/orders{}",
        query(&[("customer", id), ("limit", "100")])
    ))
    .await
}

pub async fn orders_matching(q: &str) -> Result<OrdersPage, ApiError> {
    get_data(&format!(
        "/console/orders{}",
        query(&[("q", q), ("limit", "100")])
    ))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// An error envelope with this `message`.
    fn said(status: u16, message: &str) -> String {
        format!(
            r#"{{"status_code":{status},"status_message":"x","message":"{message}","is_error":true,"errors":null}}"#
        )
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn busy_answers_wait_as_told_and_one_rule_says_what_to_retry() {
        let busy = said(429, "tooManyRequests");
        let wait = |header| {
            let e = interpret_create(429, &busy, false, header).unwrap_err();
            assert!(matches!(e, ApiError::Busy { .. }), "{e:?}");
            e.busy_for().unwrap_or_default()
        };
        assert_eq!(wait(Some("2")), 2);
        assert_eq!(wait(None), 5, "no Retry-After: a default wait");
        assert_eq!(wait(Some("3600")), 60, "never longer than a minute");
        assert_eq!(wait(Some("0")), 1);
        // What the answer said is kept (a locked sign-in says how long).
        assert_eq!(
            interpret::<serde_json::Value>(429, &busy, Some("900")),
            Err(ApiError::Busy { retry_after: 900 })
        );
        // Creates and follow-ups are one error type, read by one rule, status by status.
        for (status, body, retry) in [
            (429, "{}".to_owned(), true),
            (409, "{}".to_owned(), true),
            (409, said(409, "idempotencyRequestInFlight"), true),
            (409, said(409, "lastActiveAdmin"), false),
            (502, "{}".to_owned(), true),
            (504, "{}".to_owned(), true),
            (417, "{}".to_owned(), false),
            (422, said(422, "malformedJson"), false),
            (400, "{}".to_owned(), false),
        ] {
            let create = interpret_create(status, &body, false, None).unwrap_err();
            let action = interpret::<serde_json::Value>(status, &body, None).unwrap_err();
            assert_eq!(create, action, "{status} {body}");
            assert_eq!(create.is_retryable(), retry, "{status} {body}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_batch_result_in_either_language() {
        use crate::i18n::Lang;
        assert_eq!(
            batch_result_path(7, Lang::En),
            "/console/batches/7/result.csv?lang=en"
        );
        assert_eq!(
            batch_result_path(12, Lang::Nb),
            "/console/batches/12/result.csv?lang=nb"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_message_decides_what_an_answer_means() {
        let of = |status, message: &str| ApiError::of_answer(status, &said(status, message), None);
        assert_eq!(of(422, "idempotencyKeyReused"), ApiError::KeyReused);
        assert_eq!(
            of(422, "malformedJson"),
            ApiError::Other {
                status: 422,
                message: "malformedJson".into()
            }
        );
        assert_eq!(of(409, "idempotencyOutcomeUnknown"), ApiError::InFlight);
        assert_eq!(of(401, "unauthenticated"), ApiError::Unauthorized);
        assert!(of(403, "forbidden").is_refusal() && !of(503, "x").is_refusal());
        assert_eq!(
            of(503, "upstreamBadResponse").status(),
            Some(503),
            "a fault keeps its status"
        );
    }
}
