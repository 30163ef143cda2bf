//! `GET /console/orders`, `GET|PUT /console/orders/{uuid}[/note]`, `GET /console/audit`,
//! `POST /console/sync`.

use std::collections::BTreeMap;

use frontdesk_core::envelope::ApiMessage;
use frontdesk_core::ids::fnr;
use frontdesk_core::json::parse_strict;
use frontdesk_core::roles::Role;
use frontdesk_core::validate::{Context, validate_note};
use frontdesk_core::{Endpoint, OrderId, OrderStatus};
use serde_json::{Value, json};
use worker::Request;

use super::upstream as up;
use super::{Ctx, header};
use crate::audit::{self, AuditQuery};
use crate::auth::Principal;
use crate::db;
use crate::error::{ProxyError, ProxyReply};
use crate::index::{self, OrdersQuery, PageRow, RecordRow};
use crate::ratelimit;
use crate::upstream::{api_url, listed_orders};

pub(super) fn pairs(url: &worker::Url) -> Vec<(String, String)> {
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn internal(e: impl std::fmt::Display) -> ProxyError {
    ProxyError::Internal(e.to_string())
}

#[derive(serde::Deserialize)]
struct Count {
    status: String,
    n: f64,
}

/// A page row as the console reads it: the VAT per rate as an object (stored as JSON text),
/// and the personal number masked unless an admin asks (the bookkeeper's CSV, issue 14).
fn present_row(row: &mut Value, role: Role) {
    let Some(obj) = row.as_object_mut() else {
        return;
    };
    let vat = obj
        .get("vat")
        .and_then(Value::as_str)
        .and_then(|v| serde_json::from_str::<Value>(v).ok());
    obj.insert("vat".into(), vat.unwrap_or(Value::Null));
    if role != Role::Admin
        && let Some(Value::String(pn)) = obj.get_mut("personalNumber")
    {
        *pn = fnr::mask(pn);
    }
}

pub async fn orders(
    ctx: &Ctx,
    url: &worker::Url,
    principal: &Principal,
) -> Result<ProxyReply, ProxyError> {
    let today = frontdesk_core::report::oslo_day(ctx.now_secs());
    let q = OrdersQuery::parse(&pairs(url))?.on_day(today);
    let db = ctx.db()?;
    // Counts first: how many a search matches decides how to find its page.
    let counts: Vec<Count> = db::all(&db, &q.counts_sql()).await.map_err(internal)?;
    let plan = match q.q {
        Some(_) => index::Plan::for_matches(counts.iter().map(|c| c.n as i64).sum()),
        None => index::Plan::Indexes,
    };
    let capped = plan == index::Plan::Scan;
    let mut rows: Vec<Value> = db::all(&db, &q.page_sql(plan)).await.map_err(internal)?;
    for row in &mut rows {
        present_row(row, principal.role);
    }
    let limit = q.limit as usize;
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| {
            let n = |k: &str| r.get(k).and_then(Value::as_f64).map(|n| n as i64);
            q.next_cursor(&PageRow {
                uuid: r
                    .get("uuid")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                created_at: n("createdAt").unwrap_or_default(),
                updated_at: n("updatedAt").unwrap_or_default(),
                amount_ore: n("amountOre"),
            })
        })
    } else {
        None
    };
    // Past the cap the per-status split of the first matches would mislead: say "many".
    let by_status: BTreeMap<String, i64> = if capped {
        BTreeMap::new()
    } else {
        counts
            .iter()
            .map(|c| (c.status.clone(), c.n as i64))
            .collect()
    };
    let total = match (capped, q.status) {
        (true, _) => index::SEARCH_COUNT_CAP,
        (false, Some(s)) => by_status.get(s.as_str()).copied().unwrap_or(0),
        (false, None) => by_status.values().sum(),
    };
    Ok(ProxyReply::ok(
        ApiMessage::OrdersRetrievedSuccessfully,
        json!({"items": rows, "nextCursor": next, "counts": by_status, "total": total, "countsCapped": capped}),
    ))
}

/// What the proxy keeps of one order (core's `OrderRecord`); 404 when it knows nothing of it.
async fn record(db: &worker::D1Database, id: &OrderId) -> Result<Value, ProxyError> {
    let row: RecordRow = db::first(db, &index::record_sql(id.as_str()))
        .await
        .map_err(internal)?
        .ok_or(ProxyError::UnknownOrder)?;
    serde_json::to_value(row.record()).map_err(internal)
}

/// `GET /console/orders/{uuid}`.
pub async fn order(ctx: &Ctx, id: &OrderId) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    Ok(ProxyReply::ok(
        ApiMessage::OrderRetrievedSuccessfully,
        record(&db, id).await?,
    ))
}

/// `PUT /console/orders/{uuid}/note` `{"note": "…"}`: set or clear the internal note of an
/// order the proxy knows; answers with the order's record. Every attempt is audited.
pub async fn note(
    ctx: &Ctx,
    req: Request,
    principal: &Principal,
    id: &OrderId,
) -> Result<ProxyReply, ProxyError> {
    let mut detail = None;
    let result = save_note(ctx, req, principal, id, &mut detail).await;
    let (status, message) = match &result {
        Ok(r) => (r.status, audit::message_of(&r.body)),
        Err(e) => (e.status(), e.envelope().message),
    };
    let entry = audit::Entry {
        detail,
        ..note_entry(ctx, principal, id, status, message)
    };
    ctx.write_later(entry.insert(), "audit");
    result
}

/// The audit row of a note write (also of one refused for the role).
pub fn note_entry(
    ctx: &Ctx,
    principal: &Principal,
    id: &OrderId,
    status: u16,
    message: String,
) -> audit::Entry {
    audit::Entry {
        at: ctx.now_ms,
        actor: principal.id(),
        role: principal.role.as_str().to_owned(),
        action: audit::NOTE_ACTION.to_owned(),
        order_uuid: Some(id.as_str().to_owned()),
        amount_ore: None,
        status,
        message,
        idempotency_key: None,
        replayed: false,
        detail: None,
    }
}

async fn save_note(
    ctx: &Ctx,
    mut req: Request,
    principal: &Principal,
    id: &OrderId,
    detail: &mut Option<String>,
) -> Result<ProxyReply, ProxyError> {
    if let Some(ct) = header(&req, "content-type")
        && !ct.to_ascii_lowercase().contains("json")
    {
        return Err(ProxyError::UnsupportedMediaType);
    }
    let bytes = super::body::read(&mut req, crate::bounded::SMALL_MAX).await?;
    let value = parse_strict(&bytes)?;
    let v = validate_note(&value, &Context::new(ctx.now_secs())).map_err(ProxyError::Validation)?;
    *detail = Some(audit::detail_of(&v.value));
    let db = ctx.db()?;
    let q = index::set_note(
        id.as_str(),
        v.value.note.as_deref(),
        &principal.id(),
        ctx.now_ms,
    );
    if db::run(&db, &q).await.map_err(internal)? == 0 {
        return Err(ProxyError::UnknownOrder);
    }
    Ok(ProxyReply::ok(
        ApiMessage::OrderRetrievedSuccessfully,
        record(&db, id).await?,
    ))
}

/// `GET /console/audit`: sign-ins and account changes (with addresses) only for admins.
pub async fn audit(ctx: &Ctx, url: &worker::Url, role: Role) -> Result<ProxyReply, ProxyError> {
    let q = AuditQuery::parse(&pairs(url))?.for_role(role);
    let db = ctx.db()?;
    let mut rows: Vec<Value> = db::all(&db, &q.sql()).await.map_err(internal)?;
    let next = if rows.len() > q.limit as usize {
        rows.truncate(q.limit as usize);
        rows.last()
            .and_then(|r| r.get("id"))
            .and_then(Value::as_f64)
            .map(|id| AuditQuery::next_cursor(id as i64))
    } else {
        None
    };
    for r in &mut rows {
        if let Some(obj) = r.as_object_mut() {
            let replayed = obj
                .get("replayed")
                .and_then(Value::as_f64)
                .unwrap_or_default()
                != 0.0;
            obj.insert("replayed".into(), Value::Bool(replayed));
        }
    }
    Ok(ProxyReply::ok(
        ApiMessage::AuditRetrievedSuccessfully,
        json!({"items": rows, "nextCursor": next}),
    ))
}

/// Merge Get All Order Status into the index: new uuids become status-only rows, known ones
/// get their status. Returns (listed, changed). Background work: while the rate budget is down
/// to the people's reserve it is not sent (429 `UpstreamBusy` with the wait).
pub async fn sync_all(ctx: &Ctx) -> Result<(usize, usize), ProxyError> {
    let asked = super::now_ms();
    if !ratelimit::background_allowed(asked) {
        return Err(ProxyError::UpstreamBusy {
            retry_after: ratelimit::background_wait_secs(asked),
        });
    }
    let out = up::get(
        ctx,
        &api_url(&ctx.cfg.api_base, Endpoint::StatusAll.path_template(), None),
        None,
    )
    .await;
    // A 404 `Order Not Found` list is an account without orders: zero, not an error.
    let Some(list) = listed_orders(&out) else {
        return Err(out.failure());
    };
    let db = ctx.db()?;
    let now = super::now_ms();
    let mut changed = 0;
    let items: Vec<(String, OrderStatus)> = list
        .iter()
        .filter_map(|o| {
            Some((
                o.get("uuid")?.as_str()?.to_owned(),
                o.get("status")?.as_str()?.parse().ok()?,
            ))
        })
        .collect();
    for chunk in items.chunks(50) {
        let mut stmts = Vec::with_capacity(chunk.len());
        for (uuid, st) in chunk {
            let mut q = index::upsert_status(uuid, *st, "sync", now);
            // Only touch rows whose status actually changed.
            q.sql
                .push_str(" WHERE orders.status IS NOT excluded.status");
            stmts.push(db::statement(&db, &q).map_err(internal)?);
        }
        let results = db.batch(stmts).await.map_err(internal)?;
        changed += results
            .iter()
            .filter_map(|r| r.meta().ok().flatten().and_then(|m| m.changes))
            .sum::<usize>();
    }
    Ok((items.len(), changed))
}

pub async fn sync(ctx: &Ctx) -> Result<ProxyReply, ProxyError> {
    let (listed, changed) = sync_all(ctx).await?;
    Ok(ProxyReply::ok(
        ApiMessage::OrdersSynced,
        json!({"listed": listed, "changed": changed}),
    ))
}
