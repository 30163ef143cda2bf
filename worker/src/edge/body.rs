//! The one request-body reader: it streams the body with a running byte cap
//! ([`crate::bounded`]), so whatever `Content-Length` says (or does not, for a chunked body),
//! no request holds more than its cap plus one chunk of the isolate's memory. The rest of an
//! oversized body is never read: a client still sending it may see its connection closed
//! rather than the 413.

use futures_util::StreamExt;
use worker::Request;

use super::header;
use crate::bounded::{Capped, declared_within};
use crate::error::ProxyError;

/// The body, at most `max` bytes (a [`crate::bounded`] cap). 413 `payloadTooLarge` when a
/// declared `Content-Length` is over `max` (nothing is read) or when the stream passes `max`
/// (reading stops there). A request without a body reads as empty.
pub async fn read(req: &mut Request, max: usize) -> Result<Vec<u8>, ProxyError> {
    if !declared_within(header(req, "content-length").as_deref(), max) {
        return Err(ProxyError::PayloadTooLarge);
    }
    let mut chunks = match req.stream() {
        Ok(s) => Box::pin(s),
        Err(worker::Error::BodyUsed) => {
            return Err(ProxyError::Internal("the body was read twice".into()));
        }
        // The only other refusal: the request has no body.
        Err(_) => return Ok(Vec::new()),
    };
    let mut body = Capped::new(max);
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|_| ProxyError::MalformedJson)?;
        // Dropping the stream here cancels the rest of the upload.
        body.push(&chunk).map_err(|_| ProxyError::PayloadTooLarge)?;
    }
    Ok(body.into_bytes())
}
