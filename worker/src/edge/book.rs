//! What the customer book's and the catalogue's handlers share: reading their bodies (JSON, or
//! a CSV file), new ids, running their writes as one batch, and their audit rows.

use frontdesk_core::csv;
use frontdesk_core::envelope::ApiMessage;
use frontdesk_core::json::parse_strict;
use frontdesk_core::validate::Context;
use serde::Serialize;
use serde_json::Value;
use worker::Request;

use super::auth::random_bytes;
use super::{Ctx, header};
use crate::audit;
use crate::auth::Principal;
use crate::book::{self, BookOp, ID_BYTES, Shelf};
use crate::error::{ProxyError, ProxyReply};

pub(super) fn internal(e: impl std::fmt::Display) -> ProxyError {
    ProxyError::Internal(e.to_string())
}

/// A success answer with `value` as its data.
pub(super) fn data<T: Serialize>(message: ApiMessage, value: &T) -> Result<ProxyReply, ProxyError> {
    Ok(ProxyReply::ok(
        message,
        serde_json::to_value(value).map_err(internal)?,
    ))
}

/// The rules' context: the time, the configured VAT rates (core's list) and dialect.
pub(super) fn rules(ctx: &Ctx) -> Context {
    Context::new(ctx.now_secs()).with_dialect(ctx.cfg.dialect())
}

/// A JSON body of at most `max` bytes (a [`crate::bounded`] cap), duplicate keys refused.
pub(super) async fn json_body(req: &mut Request, max: usize) -> Result<Value, ProxyError> {
    if let Some(ct) = header(req, "content-type")
        && !ct.to_ascii_lowercase().contains("json")
    {
        return Err(ProxyError::UnsupportedMediaType);
    }
    Ok(parse_strict(&super::body::read(req, max).await?)?)
}

/// A CSV file as the body (`text/csv` or plain text, UTF-8 with or without a BOM), at most the
/// API's cap.
pub(super) async fn csv_body(req: &mut Request) -> Result<String, ProxyError> {
    if let Some(ct) = header(req, "content-type")
        && !["csv", "text/plain"]
            .iter()
            .any(|t| ct.to_ascii_lowercase().contains(t))
    {
        return Err(ProxyError::UnsupportedMediaType);
    }
    let bytes = super::body::read(req, crate::bounded::API_MAX).await?;
    csv::decode(&bytes)
        .map(str::to_owned)
        .map_err(ProxyError::BadCsv)
}

/// `n` new ids on `shelf`, from one call to the runtime's CSPRNG.
pub(super) fn new_ids(shelf: Shelf, n: usize) -> Result<Vec<String>, ProxyError> {
    let random = random_bytes(ID_BYTES * n.max(1))?;
    Ok(random
        .chunks(ID_BYTES)
        .map(|bytes| shelf.new_id(bytes))
        .collect())
}

/// Keep an audit row (after the answer).
pub(super) fn record(ctx: &Ctx, entry: audit::Entry) {
    ctx.write_later(entry.insert(), "audit");
}

/// The audit row of a change by `principal` (`detail` names the entry and what changed).
pub(super) fn changed(ctx: &Ctx, principal: &Principal, action: &str, detail: &Value) {
    record(
        ctx,
        book::entry(ctx.now_ms, principal, action, None, detail),
    );
}

/// Audit a write that failed or was refused (reads are not audited).
pub fn audit_failure(ctx: &Ctx, principal: &Principal, shelf: Shelf, op: &BookOp, e: &ProxyError) {
    if let Some(entry) = book::failure(ctx.now_ms, principal, shelf, op, e) {
        record(ctx, entry);
    }
}
