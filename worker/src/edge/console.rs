//! `GET /console/orders`, `GET|PUT /console/orders/{uuid}[/note]`, `GET /console/audit`,
//! `POST /console/sync`: core's [`frontdesk_core::proxy`] types, built from D1 rows by
//! [`crate::index`] and [`crate::audit`].

use frontdesk_core::envelope::ApiMessage;
use frontdesk_core::json::parse_strict;
use frontdesk_core::proxy::{OrderRecord, Synced};
use frontdesk_core::roles::Role;
use frontdesk_core::validate::{Context, validate_note};
use frontdesk_core::{Endpoint, OrderId, OrderStatus};
use serde::Serialize;
use worker::Request;

use super::auth::audit_entry;
use super::upstream as up;
use super::{Ctx, header};
use crate::audit::{self, AuditQuery, LogRow};
use crate::auth::Principal;
use crate::db;
use crate::error::{ProxyError, ProxyReply};
use crate::index::{self, CountRow, OrderRow, OrdersQuery, RecordRow};
use crate::ratelimit;
use crate::sql::Query;
use crate::upstream::{api_url, listed_orders};

pub(super) fn pairs(url: &worker::Url) -> Vec<(String, String)> {
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A failure of D1 or of serialisation: the proxy's fault (500).
pub(super) fn internal(e: impl std::fmt::Display) -> ProxyError {
    ProxyError::Internal(e.to_string())
}

/// A success envelope with `value` (one of core's proxy types) as its `data`.
pub(super) fn data<T: Serialize>(message: ApiMessage, value: &T) -> Result<ProxyReply, ProxyError> {
    Ok(ProxyReply::ok(
        message,
        serde_json::to_value(value).map_err(internal)?,
    ))
}

/// `GET /console/orders`: a page of the index (core's `OrdersPage`); personal numbers whole
/// for admins only.
pub async fn orders(
    ctx: &Ctx,
    url: &worker::Url,
    principal: &Principal,
) -> Result<ProxyReply, ProxyError> {
    let today = frontdesk_core::report::oslo_day(ctx.now_secs());
    let q = OrdersQuery::parse(&pairs(url))?.on_day(today);
    let db = ctx.db()?;
    // Counts first: how many a search matches decides how to find its page.
    let counts: Vec<CountRow> = db::all(&db, &q.counts_sql()).await.map_err(internal)?;
    let rows: Vec<OrderRow> = db::all(&db, &q.page_sql(q.plan(&counts)))
        .await
        .map_err(internal)?;
    let page = q.page(rows, &counts, principal.role == Role::Admin);
    data(ApiMessage::OrdersRetrievedSuccessfully, &page)
}

/// What the proxy keeps of one order (core's `OrderRecord`); 404 when it knows nothing of it.
async fn record(db: &worker::D1Database, id: &OrderId) -> Result<OrderRecord, ProxyError> {
    let row: RecordRow = db::first(db, &index::record_sql(id.as_str()))
        .await
        .map_err(internal)?
        .ok_or(ProxyError::UnknownOrder)?;
    Ok(row.record())
}

/// `GET /console/orders/{uuid}`.
pub async fn order(ctx: &Ctx, id: &OrderId) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    data(
        ApiMessage::OrderRetrievedSuccessfully,
        &record(&db, id).await?,
    )
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
    let (status, message) = audit::outcome(&result);
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
        order_uuid: Some(id.as_str().to_owned()),
        status,
        message,
        ..audit_entry(ctx, principal, audit::NOTE_ACTION)
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
    data(
        ApiMessage::OrderRetrievedSuccessfully,
        &record(&db, id).await?,
    )
}

/// `GET /console/audit`: sign-ins and account changes (with addresses) only for admins.
pub async fn audit(ctx: &Ctx, url: &worker::Url, role: Role) -> Result<ProxyReply, ProxyError> {
    let q = AuditQuery::parse(&pairs(url))?.for_role(role);
    let db = ctx.db()?;
    let rows: Vec<LogRow> = db::all(&db, &q.sql()).await.map_err(internal)?;
    data(ApiMessage::AuditRetrievedSuccessfully, &q.page(rows))
}

/// Merge Get All Order Status into the index: new uuids become status-only rows, known ones
/// get their status. Background work: while the rate budget is down to the people's reserve
/// it is not sent (429 `UpstreamBusy` with the wait).
pub async fn sync_all(ctx: &Ctx) -> Result<Synced, ProxyError> {
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
    let items: Vec<(String, OrderStatus)> = list
        .iter()
        .filter_map(|o| {
            Some((
                o.get("uuid")?.as_str()?.to_owned(),
                o.get("status")?.as_str()?.parse().ok()?,
            ))
        })
        .collect();
    let changed = merge_statuses(ctx, &items).await?;
    Ok(Synced {
        listed: items.len(),
        changed,
    })
}

/// Write listed statuses into the index, 50 a batch; only rows whose status changed are
/// touched. Returns how many changed.
async fn merge_statuses(ctx: &Ctx, items: &[(String, OrderStatus)]) -> Result<usize, ProxyError> {
    let db = ctx.db()?;
    let now = super::now_ms();
    let mut changed = 0;
    for chunk in items.chunks(50) {
        let queries: Vec<Query> = chunk
            .iter()
            .map(|(uuid, st)| {
                let mut q = index::upsert_status(uuid, *st, "sync", now);
                q.sql
                    .push_str(" WHERE orders.status IS NOT excluded.status");
                q
            })
            .collect();
        let results = db::batch(&db, &queries).await.map_err(internal)?;
        changed += results
            .iter()
            .filter_map(|r| r.meta().ok().flatten().and_then(|m| m.changes))
            .sum::<usize>();
    }
    Ok(changed)
}

/// `POST /console/sync`.
pub async fn sync(ctx: &Ctx) -> Result<ProxyReply, ProxyError> {
    data(ApiMessage::OrdersSynced, &sync_all(ctx).await?)
}
