//! The console's static files, with security headers; HTML gets a CSP that allows exactly its
//! inline scripts (hashed from the page served).

use worker::{Env, Headers, Request, Response};

use crate::headers::{COMMON, console_csp, inline_script_hashes};

pub async fn serve(req: Request, env: &Env) -> worker::Result<Response> {
    let fetched = match env.assets("ASSETS") {
        Ok(a) => a.fetch_request(req).await,
        Err(e) => Err(e),
    };
    let mut resp = match fetched {
        Ok(r) => r,
        Err(e) => {
            super::log_error(None, "assets", &e.to_string());
            return super::respond(crate::error::ProxyError::NotFound.reply());
        }
    };
    let status = resp.status_code();
    let headers = Headers::new();
    for (k, v) in resp.headers().entries() {
        let _ = headers.append(&k, &v);
    }
    for (k, v) in COMMON {
        let _ = headers.set(k, v);
    }
    if status == 304 {
        // A revalidated cache entry (If-None-Match): no body to hash, and a 304's headers
        // update the stored ones. A hashless CSP here would block trunk's inline loader in the
        // cached page on every second visit (a blank console), so the stored CSP (made from
        // the same body: the ETag matched) is left as it is.
        let _ = headers.delete("content-security-policy");
        let _ = headers.delete("content-length");
        return Ok(Response::empty()?.with_status(304).with_headers(headers));
    }
    let is_html = resp
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .is_some_and(|c| c.starts_with("text/html"));
    if is_html {
        let html = resp.text().await.unwrap_or_default();
        let _ = headers.set(
            "content-security-policy",
            &console_csp(&inline_script_hashes(&html)),
        );
        let _ = headers.delete("content-length");
        return Ok(Response::from_bytes(html.into_bytes())?
            .with_status(status)
            .with_headers(headers));
    }
    let _ = headers.set("content-security-policy", &console_csp(&[]));
    let (_, body) = resp.into_parts();
    Ok(Response::builder()
        .with_status(status)
        .with_headers(headers)
        .body(body))
}
