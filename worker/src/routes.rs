//! The proxy's routing table: the 12 API endpoints (core's router), plus the console's own
//! routes, callbacks, sandbox controls and the static console.

use frontdesk_core::{Endpoint, OrderId, RouteError};

use crate::auth::Action;
use crate::book::{self, BookOp, Shelf};
use crate::error::ProxyError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Health,
    Api {
        endpoint: Endpoint,
        order: Option<OrderId>,
    },
    Login,
    Logout,
    Me,
    ConsoleOrders,
    /// `GET /console/orders/{uuid}`: what the proxy keeps of one order.
    ConsoleOrder(OrderId),
    /// `PUT /console/orders/{uuid}/note`: its internal note.
    ConsoleNote(OrderId),
    ConsoleAudit,
    ConsoleSync,
    Callback,
    /// `/_sandbox/…`: the path below the sandbox root, e.g. `/_sandbox/clock`.
    Sandbox,
    /// Users, sessions and API keys ([`Account`]).
    Account(Account),
    /// Anything else: the console's static files (SPA fallback).
    Assets,
    /// `GET /console/overview?from=&to=`: money in, what is owed, top customers.
    ConsoleOverview,
    /// `GET /console/vat?from=&to=&basis=`: the VAT report.
    ConsoleVat,
    /// `/console/customers…`, `/console/products…`: the customer book and the catalogue.
    Book(Shelf, BookOp),
    /// `/console/batches…`: send to many ([`crate::batches::BatchRoute`]).
    Batch(crate::batches::BatchRoute),
}

/// The proxy's user, session and key management (issue 15). Names and ids are the decoded
/// path segment, as sent (the handlers normalise user names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// `GET /console/users`
    ListUsers,
    /// `POST /console/users`
    CreateUser,
    /// `PATCH /console/users/{username}`
    ChangeUser(String),
    /// `POST /console/users/{username}/password`: a new generated password.
    ResetPassword(String),
    /// `GET /console/users/{username}/sessions`
    Sessions(String),
    /// `GET /console/users/{username}/keys`
    Keys(String),
    /// `DELETE /console/sessions/{id}`: admins, or the session's own user.
    RevokeSession(String),
    /// `DELETE /console/keys/{id}`
    RevokeKey(String),
    /// `POST /auth/password`: the caller's own password.
    ChangeOwnPassword,
    /// `POST /auth/logout-everywhere`
    SignOutEverywhere,
}

impl Account {
    pub const fn action(&self) -> Action {
        match self {
            Account::RevokeSession(_) | Account::ChangeOwnPassword | Account::SignOutEverywhere => {
                Action::OwnAccount
            }
            _ => Action::ManageUsers,
        }
    }

    pub const fn is_write(&self) -> bool {
        !matches!(
            self,
            Account::ListUsers | Account::Sessions(_) | Account::Keys(_)
        )
    }
}

impl Route {
    /// The role check this route needs; `None` for public routes (health, auth, callbacks,
    /// assets), which do their own checks.
    pub const fn action(&self) -> Option<Action> {
        match self {
            Route::Api { endpoint, .. } => Some(Action::for_endpoint(*endpoint)),
            Route::ConsoleOrders | Route::ConsoleOrder(_) | Route::ConsoleAudit => {
                Some(Action::ConsoleRead)
            }
            Route::ConsoleOverview | Route::ConsoleVat => Some(Action::ConsoleRead),
            Route::ConsoleSync => Some(Action::ConsoleSync),
            Route::ConsoleNote(_) => Some(Action::ConsoleNote),
            Route::Sandbox => Some(Action::SandboxControl),
            Route::Account(a) => Some(a.action()),
            Route::Book(_, op) => Some(op.action()),
            Route::Batch(b) => Some(b.action()),
            Route::Health
            | Route::Login
            | Route::Logout
            | Route::Me
            | Route::Callback
            | Route::Assets => None,
        }
    }

    /// Does it change state (and so need the same-origin check with a cookie)?
    pub fn is_write(&self, method: &str) -> bool {
        match self {
            Route::Api { endpoint, .. } => endpoint.is_write(),
            Route::ConsoleSync | Route::ConsoleNote(_) | Route::Logout => true,
            Route::Sandbox => method != "GET" && method != "HEAD",
            Route::Account(a) => a.is_write(),
            Route::Book(_, op) => op.is_write(),
            Route::Batch(b) => b.is_write(),
            _ => false,
        }
    }
}

fn only(method: &str, allowed: &[&str], route: Route) -> Result<Route, ProxyError> {
    if allowed.contains(&method) {
        Ok(route)
    } else {
        Err(ProxyError::MethodNotAllowed)
    }
}

/// Route a request. `path` is the URL path without the query.
pub fn route(method: &str, path: &str) -> Result<Route, ProxyError> {
    const GET: &[&str] = &["GET", "HEAD"];
    if path == "/api" || path.starts_with("/api/") {
        // Only the 12 shapes, with a real order id in the slot; nothing else reaches upstream.
        return Endpoint::route(method, path)
            .map(|(endpoint, order)| Route::Api { endpoint, order })
            .map_err(ProxyError::Route);
    }
    if let Some((shelf, rest)) = shelf_of(path) {
        return book::route(shelf, method, rest).map(|op| Route::Book(shelf, op));
    }
    match path {
        "/health" => only(method, GET, Route::Health),
        "/auth/login" => only(method, &["POST"], Route::Login),
        "/auth/logout" => only(method, &["POST"], Route::Logout),
        "/auth/me" => only(method, GET, Route::Me),
        "/auth/password" => only(
            method,
            &["POST"],
            Route::Account(Account::ChangeOwnPassword),
        ),
        "/auth/logout-everywhere" => only(
            method,
            &["POST"],
            Route::Account(Account::SignOutEverywhere),
        ),
        "/console/users" => match method {
            "POST" => Ok(Route::Account(Account::CreateUser)),
            _ => only(method, GET, Route::Account(Account::ListUsers)),
        },
        _ if path.starts_with("/console/users/") => {
            console_user(method, path.trim_start_matches("/console/users/"))
        }
        _ if path.starts_with("/console/sessions/") => {
            let id = decode_segment(path.trim_start_matches("/console/sessions/"))
                .ok_or(ProxyError::NotFound)?;
            only(
                method,
                &["DELETE"],
                Route::Account(Account::RevokeSession(id)),
            )
        }
        _ if path.starts_with("/console/keys/") => {
            let id = decode_segment(path.trim_start_matches("/console/keys/"))
                .ok_or(ProxyError::NotFound)?;
            only(method, &["DELETE"], Route::Account(Account::RevokeKey(id)))
        }
        "/console/orders" => only(method, GET, Route::ConsoleOrders),
        "/console/audit" => only(method, GET, Route::ConsoleAudit),
        "/console/sync" => only(method, &["POST"], Route::ConsoleSync),
        "/console/overview" => only(method, GET, Route::ConsoleOverview),
        "/console/vat" => only(method, GET, Route::ConsoleVat),
        "/callbacks/frontpayment" => only(method, GET, Route::Callback),
        _ if path.starts_with("/console/orders/") => console_order(method, path),
        _ if path == "/console/batches" || path.starts_with("/console/batches/") => {
            crate::batches::route(method, path).map(Route::Batch)
        }
        _ if path == "/_sandbox" || path.starts_with("/_sandbox/") => {
            if path.contains(['%', '\\']) || path.split('/').any(|s| s == ".." || s == ".") {
                return Err(ProxyError::NotFound);
            }
            only(method, &["GET", "POST"], Route::Sandbox)
        }
        _ if path.starts_with("/auth/")
            || path.starts_with("/console/")
            || path.starts_with("/callbacks/")
            || path == "/auth"
            || path == "/console"
            || path == "/callbacks" =>
        {
            Err(ProxyError::NotFound)
        }
        _ => only(method, GET, Route::Assets),
    }
}

/// The shelf a `/console/customers…` or `/console/products…` path is on, and the rest of the
/// path after its `/`.
fn shelf_of(path: &str) -> Option<(Shelf, &str)> {
    [
        ("/console/customers", Shelf::Customers),
        ("/console/products", Shelf::Products),
    ]
    .into_iter()
    .find_map(|(root, shelf)| {
        let rest = path.strip_prefix(root)?;
        if rest.is_empty() {
            return Some((shelf, rest));
        }
        rest.strip_prefix('/')
            .filter(|r| !r.is_empty())
            .map(|r| (shelf, r))
    })
}

/// `/console/users/{username}` (PATCH) and its `/password` (POST), `/sessions` and `/keys`
/// (GET). `rest` is the path after `/console/users/`.
fn console_user(method: &str, rest: &str) -> Result<Route, ProxyError> {
    const GET: &[&str] = &["GET", "HEAD"];
    const POST: &[&str] = &["POST"];
    const PATCH: &[&str] = &["PATCH"];
    let (raw, tail) = match rest.split_once('/') {
        Some((name, tail)) => (name, Some(tail)),
        None => (rest, None),
    };
    let name = decode_segment(raw).ok_or(ProxyError::NotFound)?;
    let (allowed, account): (&[&str], Account) = match tail {
        None => (PATCH, Account::ChangeUser(name)),
        Some("password") => (POST, Account::ResetPassword(name)),
        Some("sessions") => (GET, Account::Sessions(name)),
        Some("keys") => (GET, Account::Keys(name)),
        Some(_) => return Err(ProxyError::NotFound),
    };
    only(method, allowed, Route::Account(account))
}

/// One percent-encoded path segment (a user name, a session id, a key name): decoded, UTF-8,
/// 1 to 128 bytes, no `/` and no control characters.
pub fn decode_segment(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let s = String::from_utf8(out).ok()?;
    let ok =
        !s.is_empty() && s.len() <= 128 && !s.contains('/') && !s.chars().any(char::is_control);
    ok.then_some(s)
}

/// `/console/orders/{uuid}` (GET) and `/console/orders/{uuid}/note` (PUT).
fn console_order(method: &str, path: &str) -> Result<Route, ProxyError> {
    let rest = path.trim_start_matches("/console/orders/");
    let (id, note) = match rest.split_once('/') {
        Some((id, "note")) => (id, true),
        Some(_) => return Err(ProxyError::NotFound),
        None => (rest, false),
    };
    let id: OrderId = id.parse().map_err(|_| RouteError::NotAnOrderId(None))?;
    if note {
        only(method, &["PUT"], Route::ConsoleNote(id))
    } else {
        only(method, &["GET", "HEAD"], Route::ConsoleOrder(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::RouteError;

    #[test]
    fn api_paths_go_through_cores_router() {
        let r = route("GET", "/api/v1/connect/orders/status/ODR3506777330");
        assert!(matches!(
            r,
            Ok(Route::Api {
                endpoint: Endpoint::Status,
                order: Some(_)
            })
        ));
        assert_eq!(
            route("POST", "/api/v1/connect/orders/payment-link/create"),
            Ok(Route::Api {
                endpoint: Endpoint::CreatePaymentLink,
                order: None
            })
        );
        assert_eq!(
            route("GET", "/api/v1/connect/orders/status/ODR1"),
            Err(ProxyError::Route(RouteError::NotAnOrderId(Some(
                Endpoint::Status
            ))))
        );
        assert_eq!(
            route("GET", "/api/v1/anything"),
            Err(ProxyError::Route(RouteError::NotFound))
        );
        assert_eq!(
            route("GET", "/api"),
            Err(ProxyError::Route(RouteError::NotFound))
        );
        assert!(matches!(
            route("DELETE", "/api/v1/connect/orders/cancel/ODR3506777330"),
            Err(ProxyError::Route(RouteError::MethodNotAllowed { .. }))
        ));
        // Every one of the 12 routes, each with the action of its endpoint.
        for ep in Endpoint::ALL {
            let id: Option<OrderId> = ep
                .takes_order_id()
                .then(|| "ODR3506777330".parse().ok())
                .flatten();
            let path = ep.path(id.as_ref()).unwrap_or_default();
            let r = route(ep.method().as_str(), &path).unwrap_or(Route::Assets);
            assert_eq!(r.action(), Some(Action::for_endpoint(ep)), "{path}");
            assert_eq!(r.is_write("POST"), ep.is_write());
        }
    }

    #[test]
    fn own_routes() {
        assert_eq!(route("GET", "/health"), Ok(Route::Health));
        assert_eq!(route("POST", "/health"), Err(ProxyError::MethodNotAllowed));
        assert_eq!(route("POST", "/auth/login"), Ok(Route::Login));
        assert_eq!(
            route("GET", "/auth/login"),
            Err(ProxyError::MethodNotAllowed)
        );
        assert_eq!(route("GET", "/auth/me"), Ok(Route::Me));
        assert_eq!(route("POST", "/auth/logout"), Ok(Route::Logout));
        assert_eq!(route("GET", "/auth/other"), Err(ProxyError::NotFound));
        assert_eq!(route("GET", "/console/orders"), Ok(Route::ConsoleOrders));
        assert_eq!(route("GET", "/console/audit"), Ok(Route::ConsoleAudit));
        assert_eq!(route("POST", "/console/sync"), Ok(Route::ConsoleSync));
        assert_eq!(route("GET", "/console/nope"), Err(ProxyError::NotFound));
        let id: OrderId = "ODR3506777330".parse().unwrap_or_else(|_| panic!());
        assert_eq!(
            route("GET", "/console/orders/ODR3506777330"),
            Ok(Route::ConsoleOrder(id.clone()))
        );
        let note = route("PUT", "/console/orders/ODR3506777330/note");
        assert_eq!(note, Ok(Route::ConsoleNote(id.clone())));
        assert!(note.is_ok_and(|r| r.is_write("PUT") && r.action() == Some(Action::ConsoleNote)));
        assert_eq!(
            route("POST", "/console/orders/ODR3506777330/note"),
            Err(ProxyError::MethodNotAllowed)
        );
        assert_eq!(
            route("GET", "/console/orders/ODR1"),
            Err(ProxyError::Route(RouteError::NotAnOrderId(None)))
        );
        assert_eq!(
            route("GET", "/console/orders/ODR3506777330/other"),
            Err(ProxyError::NotFound)
        );
        assert_eq!(Route::ConsoleOrder(id).action(), Some(Action::ConsoleRead));
        assert_eq!(route("GET", "/callbacks/frontpayment"), Ok(Route::Callback));
        assert_eq!(route("GET", "/callbacks/x"), Err(ProxyError::NotFound));
        assert_eq!(route("POST", "/_sandbox/reset"), Ok(Route::Sandbox));
        assert_eq!(route("GET", "/_sandbox/../api"), Err(ProxyError::NotFound));
        assert_eq!(route("GET", "/"), Ok(Route::Assets));
        assert_eq!(route("GET", "/orders/ODR1"), Ok(Route::Assets));
        assert_eq!(route("POST", "/orders"), Err(ProxyError::MethodNotAllowed));
        assert_eq!(Route::Sandbox.action(), Some(Action::SandboxControl));
        assert_eq!(Route::ConsoleOrders.action(), Some(Action::ConsoleRead));
        assert_eq!(Route::Callback.action(), None);
        assert!(Route::Sandbox.is_write("POST") && !Route::Sandbox.is_write("GET"));
    }

    #[test]
    fn account_routes() {
        let acc = |method: &str, path: &str| match route(method, path) {
            Ok(Route::Account(a)) => Some(a),
            _ => None,
        };
        assert_eq!(acc("GET", "/console/users"), Some(Account::ListUsers));
        assert_eq!(acc("POST", "/console/users"), Some(Account::CreateUser));
        assert_eq!(
            route("DELETE", "/console/users"),
            Err(ProxyError::MethodNotAllowed)
        );
        assert_eq!(
            acc("PATCH", "/console/users/kari%40example.no"),
            Some(Account::ChangeUser("kari@example.no".into()))
        );
        assert_eq!(
            acc("POST", "/console/users/kari/password"),
            Some(Account::ResetPassword("kari".into()))
        );
        assert_eq!(
            acc("GET", "/console/users/kari/sessions"),
            Some(Account::Sessions("kari".into()))
        );
        assert_eq!(
            acc("GET", "/console/users/kari/keys"),
            Some(Account::Keys("kari".into()))
        );
        assert_eq!(
            acc(
                "DELETE",
                "/console/sessions/0123456789abcdef0123456789abcdef"
            ),
            Some(Account::RevokeSession(
                "0123456789abcdef0123456789abcdef".into()
            ))
        );
        assert_eq!(
            acc("DELETE", "/console/keys/viewer-key"),
            Some(Account::RevokeKey("viewer-key".into()))
        );
        assert_eq!(
            acc("POST", "/auth/password"),
            Some(Account::ChangeOwnPassword)
        );
        assert_eq!(
            acc("POST", "/auth/logout-everywhere"),
            Some(Account::SignOutEverywhere)
        );
        for (method, path, err) in [
            ("GET", "/console/users/kari", ProxyError::MethodNotAllowed),
            ("GET", "/console/users/kari/other", ProxyError::NotFound),
            ("PATCH", "/console/users/a%2Fb", ProxyError::NotFound),
            ("PATCH", "/console/users/%zz", ProxyError::NotFound),
            ("PATCH", "/console/users/%0a", ProxyError::NotFound),
            ("PATCH", "/console/users/", ProxyError::NotFound),
            ("GET", "/console/sessions/x", ProxyError::MethodNotAllowed),
            (
                "GET",
                "/auth/logout-everywhere",
                ProxyError::MethodNotAllowed,
            ),
        ] {
            assert_eq!(route(method, path), Err(err), "{method} {path}");
        }
        // Admin only, but for what users do to their own account; reads are not writes.
        assert_eq!(Account::ListUsers.action(), Action::ManageUsers);
        assert_eq!(Account::RevokeKey("x".into()).action(), Action::ManageUsers);
        assert_eq!(
            Account::RevokeSession("x".into()).action(),
            Action::OwnAccount
        );
        assert_eq!(Account::ChangeOwnPassword.action(), Action::OwnAccount);
        assert!(!Route::Account(Account::Keys("k".into())).is_write("GET"));
        assert!(Route::Account(Account::SignOutEverywhere).is_write("POST"));
        assert!(Route::Account(Account::ChangeUser("k".into())).is_write("PATCH"));
    }

    #[test]
    fn book_routes() {
        let id = "cus_0123456789abcdef0123";
        assert_eq!(
            route("GET", "/console/customers"),
            Ok(Route::Book(Shelf::Customers, BookOp::List))
        );
        assert_eq!(
            route("POST", "/console/products"),
            Ok(Route::Book(Shelf::Products, BookOp::Create))
        );
        let erase = route("DELETE", &format!("/console/customers/{id}"));
        assert_eq!(
            erase,
            Ok(Route::Book(Shelf::Customers, BookOp::Erase(id.into())))
        );
        assert!(erase.is_ok_and(|r| r.is_write("DELETE") && r.action() == Some(Action::BookErase)));
        let preview = route("POST", "/console/customers/import/preview");
        assert!(preview.is_ok_and(|r| r.is_write("POST") && r.action() == Some(Action::BookEdit)));
        let list = route("GET", "/console/products?q=x");
        assert!(list.is_err(), "the path comes without its query");
        let read = Route::Book(Shelf::Products, BookOp::List);
        assert_eq!(read.action(), Some(Action::ConsoleRead));
        assert!(!read.is_write("GET"));
        for path in [
            "/console/customersx",
            "/console/customers/nope",
            "/console/products/",
        ] {
            assert_eq!(route("GET", path), Err(ProxyError::NotFound), "{path}");
        }
    }

    #[test]
    fn report_routes_are_reads_for_every_role() {
        for (path, r) in [
            ("/console/overview", Route::ConsoleOverview),
            ("/console/vat", Route::ConsoleVat),
        ] {
            assert_eq!(route("GET", path), Ok(r.clone()));
            assert_eq!(route("POST", path), Err(ProxyError::MethodNotAllowed));
            assert_eq!(r.action(), Some(Action::ConsoleRead));
            assert!(!r.is_write("GET"));
            assert!(frontdesk_core::roles::Role::Viewer.allows(Action::ConsoleRead));
        }
    }
}
