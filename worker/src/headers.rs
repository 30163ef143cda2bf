//! Response header policy: security headers on everything, a CSP for the console's HTML that
//! allows exactly its inline module loader (trunk's in development, `xtask/src/split.rs`'s in
//! release) by hash, computed from the served page, so a rebuilt console never needs a config
//! change; and what upstream headers pass.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// Headers every answer gets.
pub const COMMON: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
];

/// CSP for JSON answers: nothing may load from them.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// HSTS, on every answer off the local development hosts: two years, subdomains included
/// (browsers then never try plain HTTP, so the `Secure` session cookie cannot be dropped by a
/// downgrade).
pub const HSTS: (&str, &str) = (
    "strict-transport-security",
    "max-age=63072000; includeSubDomains",
);

/// Plain-HTTP local development hosts (`localhost`, `127.0.0.1`, `[::1]`, any port): no
/// `Secure` cookie, no `__Host-` prefix, no HSTS there. Everything else is served over HTTPS.
pub fn is_local_host(host: &str) -> bool {
    let h = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    matches!(
        h.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    )
}

/// The HSTS header for an answer to a request on `host`, if it gets one.
pub fn hsts_for_host(host: &str) -> Option<(&'static str, &'static str)> {
    (!is_local_host(host)).then_some(HSTS)
}

/// The `'sha256-…'` sources of every inline `<script>` (one without `src`) in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<script") {
        let tag_start = at + start;
        let Some(tag_len) = lower[tag_start..].find('>') else {
            break;
        };
        let tag = &lower[tag_start..tag_start + tag_len];
        let body_start = tag_start + tag_len + 1;
        let Some(body_len) = lower[body_start..].find("</script") else {
            break;
        };
        let has_src = tag
            .split(|c: char| c.is_whitespace())
            .any(|a| a.starts_with("src=") || a == "src");
        if !has_src {
            let body = &html[body_start..body_start + body_len];
            out.push(format!(
                "'sha256-{}'",
                STANDARD.encode(Sha256::digest(body.as_bytes()))
            ));
        }
        at = body_start + body_len;
    }
    out
}

/// The console's CSP. No `'unsafe-inline'` for scripts; `'wasm-unsafe-eval'` for the wasm.
/// Styles allow inline (the console sets `style` attributes); nothing else is loosened.
pub fn console_csp(script_hashes: &[String]) -> String {
    let mut script = String::from("'self' 'wasm-unsafe-eval'");
    for h in script_hashes {
        script.push(' ');
        script.push_str(h);
    }
    format!(
        "default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Upstream response headers we pass on (everything else, e.g. cookies or server banners, is
/// dropped).
pub fn passes_upstream(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "content-type" | "retry-after" | "x-ratelimit-limit" | "x-ratelimit-remaining"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<html><script type=module>import init from '/a.js';
await init();</script><script src="/x.js"></script><SCRIPT>alert(1)</SCRIPT><link></html>"#;
        let hs = inline_script_hashes(html);
        assert_eq!(hs.len(), 2);
        let want = STANDARD.encode(Sha256::digest(b"import init from '/a.js';\nawait init();"));
        assert_eq!(hs[0], format!("'sha256-{want}'"));
        assert_eq!(
            hs[1],
            format!("'sha256-{}'", STANDARD.encode(Sha256::digest(b"alert(1)")))
        );
        assert!(inline_script_hashes("<script>unterminated").is_empty());
        assert!(inline_script_hashes("no scripts").is_empty());
    }

    #[test]
    fn csp_shape() {
        let c = console_csp(&["'sha256-abc'".into()]);
        assert!(c.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';"));
        assert!(c.contains("frame-ancestors 'none'"));
        assert!(c.contains("default-src 'self'"));
        let script_src = c
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_default();
        assert!(!script_src.contains("unsafe-inline"));
        assert!(passes_upstream("Retry-After"));
        assert!(!passes_upstream("set-cookie"));
        assert!(!passes_upstream("authorization"));
    }

    #[test]
    fn hsts_off_localhost_only() {
        for local in [
            "localhost",
            "localhost:8787",
            "127.0.0.1:8787",
            "[::1]:8787",
            "LOCALHOST",
        ] {
            assert!(is_local_host(local), "{local}");
            assert_eq!(hsts_for_host(local), None, "{local}");
        }
        for remote in [
            "desk.example.com",
            "127.0.0.2:80",
            "localhost.evil.example",
            "[::2]",
        ] {
            assert!(!is_local_host(remote), "{remote}");
            assert_eq!(hsts_for_host(remote), Some(HSTS), "{remote}");
        }
        assert_eq!(HSTS.1, "max-age=63072000; includeSubDomains");
    }
}
