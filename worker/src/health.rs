//! `GET /health`: liveness plus which upstream this proxy forwards to, without revealing it.

use serde::Serialize;

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Health {
    pub status: &'static str,
    /// `sandbox` when the sandbox controls are on, else `frontpayment`.
    pub upstream: &'static str,
}

pub fn health(sandbox_controls: bool) -> Health {
    Health {
        status: "ok",
        upstream: if sandbox_controls {
            "sandbox"
        } else {
            "frontpayment"
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_upstream_kind_only() {
        assert_eq!(health(true).upstream, "sandbox");
        assert_eq!(health(false).upstream, "frontpayment");
        let json = serde_json::to_string(&health(false)).unwrap_or_default();
        assert_eq!(json, r#"{"status":"ok","upstream":"frontpayment"}"#);
    }
}
