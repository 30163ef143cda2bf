//! The Worker's vars and secrets, read once per request into plain values.

use frontdesk_core::dialect::{DateFormat, Dialect};

use crate::auth::keys::{self, ApiKey};
use crate::auth::session::MIN_SECRET_LEN;
use crate::auth::users::{self, User};
use crate::error::ProxyError;

pub const DEFAULT_TIMEOUT_MS: u64 = 15_000;

#[derive(Debug, Clone)]
pub struct Config {
    /// `FRONTPAY_API_BASE`, e.g. `https://demo-api.frontpayment.no/api/v1` (no trailing slash).
    pub api_base: String,
    /// `FRONTPAY_TOKEN` (secret).
    pub token: String,
    pub session_secret: Option<String>,
    pub callback_secret: Option<String>,
    pub users: Vec<User>,
    pub api_keys: Vec<ApiKey>,
    pub sandbox_controls: bool,
    /// `PUBLIC_URL`, e.g. `https://desk.example` (no trailing slash).
    pub public_url: Option<String>,
    pub upstream_timeout_ms: u64,
    /// `FRONTPAY_ORDER_DATE_FORMAT`: the `orderDate` format upstream validates, `unix` (the
    /// docs, default) or `dmy` (`05 Dec, 2023`, the July 2025 recording). Clients may send either.
    pub order_date_format: DateFormat,
    /// `TRUST_CF_CONNECTING_IP` (`true`/`false`): believe `CF-Connecting-IP` for the client's
    /// address. Unset: believed off the local development hosts ([`crate::auth::client`]).
    pub trust_cf_connecting_ip: Option<bool>,
}

/// `SANDBOX_CONTROLS` is `true`: the `/_sandbox/*` routes are on (the upstream is the sandbox).
pub fn sandbox_controls(get: &impl Fn(&str) -> Option<String>) -> bool {
    get("SANDBOX_CONTROLS").is_some_and(|v| v.trim() == "true")
}

/// `PUBLIC_URL` without a trailing slash, when it is an http(s) URL.
pub fn public_url(get: &impl Fn(&str) -> Option<String>) -> Option<String> {
    get("PUBLIC_URL")
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
}

impl Config {
    /// Build from a lookup of vars/secrets by name. Broken `USERS`/`API_KEYS` are errors (500
    /// everywhere is safer than silently locking out or in).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ProxyError> {
        let api_base = get("FRONTPAY_API_BASE")
            .map(|b| b.trim().trim_end_matches('/').to_owned())
            .filter(|b| b.starts_with("http://") || b.starts_with("https://"))
            .ok_or(ProxyError::NotConfigured("FRONTPAY_API_BASE"))?;
        let users = users::parse(get("USERS").as_deref())
            .map_err(|_| ProxyError::NotConfigured("USERS"))?;
        let api_keys = keys::parse(get("API_KEYS").as_deref())
            .map_err(|_| ProxyError::NotConfigured("API_KEYS"))?;
        // A misspelt format is an error: guessing would send every create in the wrong one.
        let order_date_format = match get("FRONTPAY_ORDER_DATE_FORMAT") {
            Some(v) if !v.trim().is_empty() => v
                .trim()
                .parse()
                .map_err(|_| ProxyError::NotConfigured("FRONTPAY_ORDER_DATE_FORMAT"))?,
            _ => DateFormat::default(),
        };
        Ok(Config {
            api_base,
            token: get("FRONTPAY_TOKEN").unwrap_or_default(),
            session_secret: get("SESSION_SECRET").filter(|s| s.len() >= MIN_SECRET_LEN),
            callback_secret: get("CALLBACK_SECRET").filter(|s| !s.is_empty()),
            users,
            api_keys,
            sandbox_controls: sandbox_controls(&get),
            public_url: public_url(&get),
            upstream_timeout_ms: get("UPSTREAM_TIMEOUT_MS")
                .and_then(|v| v.trim().parse().ok())
                .filter(|ms| (1..=120_000).contains(ms))
                .unwrap_or(DEFAULT_TIMEOUT_MS),
            order_date_format,
            trust_cf_connecting_ip: match get("TRUST_CF_CONNECTING_IP").as_deref().map(str::trim) {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            },
        })
    }

    /// The dialect upstream speaks, as its date format tells (whose rules creates run).
    pub fn dialect(&self) -> Dialect {
        self.order_date_format.dialect()
    }

    /// Our callback URL (`{PUBLIC_URL}/callbacks/frontpayment`) when a public URL is known.
    pub fn own_callback_url(&self) -> Option<String> {
        frontdesk_core::callback::proxy_callback_url(self.public_url.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn reads_vars() {
        let c = Config::from_lookup(lookup(&[
            ("FRONTPAY_API_BASE", "http://127.0.0.1:9/api/v1/"),
            ("FRONTPAY_TOKEN", "t"),
            ("SESSION_SECRET", "short"),
            ("SANDBOX_CONTROLS", "true"),
            ("PUBLIC_URL", "http://127.0.0.1:8787/"),
            ("UPSTREAM_TIMEOUT_MS", "500"),
        ]));
        let Ok(c) = c else { panic!("config") };
        assert_eq!(c.api_base, "http://127.0.0.1:9/api/v1");
        assert!(c.session_secret.is_none());
        assert!(c.sandbox_controls);
        assert_eq!(c.upstream_timeout_ms, 500);
        assert_eq!(c.trust_cf_connecting_ip, None);
        let trusted = Config::from_lookup(lookup(&[
            ("FRONTPAY_API_BASE", "https://a/api/v1"),
            ("TRUST_CF_CONNECTING_IP", " false "),
        ]));
        assert_eq!(
            trusted.map(|c| c.trust_cf_connecting_ip).ok(),
            Some(Some(false))
        );
        assert_eq!(
            c.own_callback_url().as_deref(),
            Some("http://127.0.0.1:8787/callbacks/frontpayment")
        );
        assert!(Config::from_lookup(lookup(&[])).is_err());
        assert!(
            Config::from_lookup(lookup(&[("FRONTPAY_API_BASE", "x"), ("USERS", "[]")])).is_err()
        );
        assert!(matches!(
            Config::from_lookup(lookup(&[
                ("FRONTPAY_API_BASE", "https://a/api/v1"),
                ("USERS", "{")
            ])),
            Err(ProxyError::NotConfigured("USERS"))
        ));
        let d = Config::from_lookup(lookup(&[
            ("FRONTPAY_API_BASE", "https://a/api/v1"),
            ("UPSTREAM_TIMEOUT_MS", "0"),
        ]));
        assert_eq!(
            d.map(|d| d.upstream_timeout_ms).ok(),
            Some(DEFAULT_TIMEOUT_MS)
        );
    }

    #[test]
    fn order_date_format() {
        let base = ("FRONTPAY_API_BASE", "https://a/api/v1");
        let read = |v: Option<&str>| {
            let mut pairs = vec![base];
            pairs.extend(v.map(|v| ("FRONTPAY_ORDER_DATE_FORMAT", v)));
            Config::from_lookup(lookup(&pairs)).map(|c| (c.order_date_format, c.dialect()))
        };
        assert_eq!(read(None).ok(), Some((DateFormat::Unix, Dialect::Docs)));
        assert_eq!(read(Some("")).ok(), Some((DateFormat::Unix, Dialect::Docs)));
        assert_eq!(
            read(Some("unix")).ok(),
            Some((DateFormat::Unix, Dialect::Docs))
        );
        assert_eq!(
            read(Some(" dmy ")).ok(),
            Some((DateFormat::Dmy, Dialect::Live202507))
        );
        for bad in ["DMY", "d M, Y", "live"] {
            assert!(
                matches!(
                    read(Some(bad)),
                    Err(ProxyError::NotConfigured("FRONTPAY_ORDER_DATE_FORMAT"))
                ),
                "{bad}"
            );
        }
    }
}
