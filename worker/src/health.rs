//! `GET /health`: liveness, which kind of upstream this proxy forwards to (without revealing
//! it), and whether it supplies creates' callback URL itself (core's [`Health`]).

use frontdesk_core::callback::proxy_callback_url;
use frontdesk_core::proxy::Health;

use crate::config;

/// The answer from the Worker's vars (read without the rest of the configuration, so that a
/// misconfigured proxy still answers): the callback is the proxy's when it has a `PUBLIC_URL`
/// ([`crate::config::Config::own_callback_url`]).
pub fn health(get: impl Fn(&str) -> Option<String>) -> Health {
    let callback = proxy_callback_url(config::public_url(&get).as_deref());
    Health::ok(config::sandbox_controls(&get), callback.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn names_the_upstream_kind_and_the_callback_supply() {
        assert!(health(vars(&[("SANDBOX_CONTROLS", "true")])).is_sandbox());
        let live = health(vars(&[("PUBLIC_URL", "https://desk.example/")]));
        let json = serde_json::to_string(&live).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"status":"ok","upstream":"frontpayment","proxyCallback":true}"#
        );
        assert!(!health(vars(&[("PUBLIC_URL", "desk.example")])).proxy_callback);
        assert!(!health(vars(&[])).proxy_callback);
    }
}
