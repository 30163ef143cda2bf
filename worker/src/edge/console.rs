//! `GET /console/orders`, `GET /console/audit`, `POST /console/sync`.

use std::collections::BTreeMap;

use frontdesk_core::envelope::ApiMessage;
use frontdesk_core::{Endpoint, OrderStatus};
use serde_json::{Value, json};

use super::Ctx;
use super::upstream as up;
use crate::audit::AuditQuery;
use crate::db;
use crate::error::{ProxyError, Reply};
use crate::index::{self, OrdersQuery, PageRow};
use crate::ratelimit;
use crate::upstream::{api_url, listed_orders};

fn pairs(url: &worker::Url) -> Vec<(String, String)> {
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

pub async fn orders(ctx: &Ctx, url: &worker::Url) -> Result<Reply, ProxyError> {
    let q = OrdersQuery::parse(&pairs(url))?;
    let db = ctx.db()?;
    // Counts first: how many a search matches decides how to find its page.
    let counts: Vec<Count> = db::all(&db, &q.counts_sql()).await.map_err(internal)?;
    let plan = match q.q {
        Some(_) => index::Plan::for_matches(counts.iter().map(|c| c.n as i64).sum()),
        None => index::Plan::Indexes,
    };
    let capped = plan == index::Plan::Scan;
    let mut rows: Vec<Value> = db::all(&db, &q.page_sql(plan)).await.map_err(internal)?;
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
    Ok(Reply::ok(
        ApiMessage::OrdersRetrievedSuccessfully,
        json!({"items": rows, "nextCursor": next, "counts": by_status, "total": total, "countsCapped": capped}),
    ))
}

pub async fn audit(ctx: &Ctx, url: &worker::Url) -> Result<Reply, ProxyError> {
    let q = AuditQuery::parse(&pairs(url))?;
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
    Ok(Reply::ok(
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

pub async fn sync(ctx: &Ctx) -> Result<Reply, ProxyError> {
    let (listed, changed) = sync_all(ctx).await?;
    Ok(Reply::ok(
        ApiMessage::OrdersSynced,
        json!({"listed": listed, "changed": changed}),
    ))
}
