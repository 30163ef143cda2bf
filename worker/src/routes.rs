//! The proxy's routing table: the 12 API endpoints (core's router), plus the console's own
//! routes, callbacks, sandbox controls and the static console.

use frontdesk_core::{Endpoint, OrderId, RouteError};

use crate::auth::Action;
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
    /// Anything else: the console's static files (SPA fallback).
    Assets,
    /// `GET /console/overview?from=&to=`: money in, what is owed, top customers.
    ConsoleOverview,
    /// `GET /console/vat?from=&to=&basis=`: the VAT report.
    ConsoleVat,
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
    match path {
        "/health" => only(method, GET, Route::Health),
        "/auth/login" => only(method, &["POST"], Route::Login),
        "/auth/logout" => only(method, &["POST"], Route::Logout),
        "/auth/me" => only(method, GET, Route::Me),
        "/console/orders" => only(method, GET, Route::ConsoleOrders),
        "/console/audit" => only(method, GET, Route::ConsoleAudit),
        "/console/sync" => only(method, &["POST"], Route::ConsoleSync),
        "/console/overview" => only(method, GET, Route::ConsoleOverview),
        "/console/vat" => only(method, GET, Route::ConsoleVat),
        "/callbacks/frontpayment" => only(method, GET, Route::Callback),
        _ if path.starts_with("/console/orders/") => console_order(method, path),
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
