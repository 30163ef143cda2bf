//! `/console/batches…`: the preview (every order checked by core as the form checks it, kept
//! as a draft), the list, one batch with each row's outcome, the result CSV, and confirm /
//! pause / resume / cancel. The job that sends is [`job`]; the pure part is
//! [`crate::batches`].

pub mod job;

use frontdesk_core::batch::api::{
    BatchDetail, BatchList, BatchPreview, BatchRequest, BatchSummary, PreviewRow,
};
use frontdesk_core::batch::export::result_csv;
use frontdesk_core::batch::{self, BatchOrder, JobEvent};
use frontdesk_core::csv::Dialect;
use frontdesk_core::json::parse_strict;
use frontdesk_core::validate::Report;
use worker::Request;

use super::Ctx;
use super::console::{internal, pairs};
use crate::audit;
use crate::auth::Principal;
use crate::batches::{self, BatchRoute, BatchRow, IdRow, NewRow, ResultRow, StateCount};
use crate::db;
use crate::error::{ProxyError, ProxyReply};

/// One of the batch routes (the role check is done: reads for all, the rest for clerks).
pub async fn handle(
    ctx: &Ctx,
    req: Request,
    principal: &Principal,
    route: BatchRoute,
    url: &worker::Url,
) -> Result<ProxyReply, ProxyError> {
    match route {
        BatchRoute::List => list(ctx).await,
        BatchRoute::Create => create(ctx, req, principal).await,
        BatchRoute::Get(id) => detail(ctx, id).await,
        BatchRoute::Result(id) => result(ctx, id, url).await,
        BatchRoute::Act(id, event) => act(ctx, principal, id, event).await,
    }
}

/// `POST /console/batches`: read the batch, check every order, keep it as a draft (valid
/// orders pending, the others invalid with their issues), answer the preview.
async fn create(
    ctx: &Ctx,
    mut req: Request,
    principal: &Principal,
) -> Result<ProxyReply, ProxyError> {
    let sent = super::body::read(&mut req, crate::bounded::API_MAX).await?;
    let request: BatchRequest =
        serde_json::from_value(parse_strict(&sent)?).map_err(|_| ProxyError::MalformedJson)?;
    let name = request.checked_name().map_err(|issue| {
        ProxyError::Validation(Report {
            errors: vec![*issue],
            warnings: Vec::new(),
        })
    })?;
    let orders =
        batch::orders(&request.input).map_err(|e| ProxyError::BadBatchFile(e.to_string()))?;
    // The proxy's own rules, with its callback supplied as `check` will at send time.
    let rules = super::orders::rules(ctx).with_proxy_callback(ctx.cfg.own_callback_url().is_some());
    let (rows, totals) = batch::preview(request.kind, &orders, &rules);
    let db = ctx.db()?;
    let who = principal.id();
    let new_batch = batches::insert_batch(&name, request.kind, &who, totals.amount_ore, ctx.now_ms);
    let id = insert(&db, &new_batch).await?;
    let stored = stored_rows(&orders, &rows)?;
    db::batch(&db, &batches::insert_rows(id, &stored, ctx.now_ms))
        .await
        .map_err(internal)?;
    let preview = BatchPreview {
        batch: summary(ctx, &db, id).await?,
        totals,
        rows,
    };
    Ok(ProxyReply::json(201, &preview))
}

/// Run the batch's insert; its id.
async fn insert(db: &worker::D1Database, q: &crate::sql::Query) -> Result<i64, ProxyError> {
    let row: IdRow = db::first(db, q)
        .await
        .map_err(internal)?
        .ok_or_else(|| ProxyError::Internal("batch insert returned no id".into()))?;
    Ok(row.id)
}

/// Each order with its verdict, as stored.
fn stored_rows(orders: &[BatchOrder], rows: &[PreviewRow]) -> Result<Vec<NewRow>, ProxyError> {
    orders
        .iter()
        .zip(rows)
        .map(|(o, r)| -> Result<NewRow, ProxyError> {
            let issues = if r.is_valid() {
                None
            } else {
                Some(serde_json::to_string(&r.issues).map_err(internal)?)
            };
            Ok(NewRow {
                row: o.row,
                label: o.label.clone(),
                draft: serde_json::to_string(&o.draft).map_err(internal)?,
                amount_ore: r.amount_ore,
                issues,
            })
        })
        .collect()
}

/// The batch's row, 404 when there is none.
async fn load(db: &worker::D1Database, id: i64) -> Result<BatchRow, ProxyError> {
    db::first(db, &batches::batch_sql(id))
        .await
        .map_err(internal)?
        .ok_or(ProxyError::NotFound)
}

/// The batch as core's summary, with its progress.
async fn summary(ctx: &Ctx, db: &worker::D1Database, id: i64) -> Result<BatchSummary, ProxyError> {
    let row = load(db, id).await?;
    let counts: Vec<StateCount> = db::all(db, &batches::counts_sql(id))
        .await
        .map_err(internal)?;
    row.summary(batches::progress(None, &counts), ctx.now_ms)
}

/// `GET /console/batches`: the newest batches with their progress.
async fn list(ctx: &Ctx) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    let rows: Vec<BatchRow> = db::all(&db, &batches::list_sql()).await.map_err(internal)?;
    let counts: Vec<StateCount> = db::all(&db, &batches::list_counts_sql())
        .await
        .map_err(internal)?;
    let items = rows
        .iter()
        .map(|r| r.summary(batches::progress(Some(r.id), &counts), ctx.now_ms))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ProxyReply::json(200, &BatchList { items }))
}

/// `GET /console/batches/{id}`: the batch and each row's outcome.
async fn detail(ctx: &Ctx, id: i64) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    let batch = summary(ctx, &db, id).await?;
    let rows: Vec<ResultRow> = db::all(&db, &batches::rows_sql(id))
        .await
        .map_err(internal)?;
    let rows = rows.into_iter().map(ResultRow::result).collect();
    Ok(ProxyReply::json(200, &BatchDetail { batch, rows }))
}

/// `GET /console/batches/{id}/result.csv?lang=nb|en`: each row's order uuid or error.
async fn result(ctx: &Ctx, id: i64, url: &worker::Url) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    load(&db, id).await?;
    let dialect = match pairs(url).iter().find(|(k, _)| k == "lang") {
        None => Dialect::Nb,
        Some((_, v)) => Dialect::parse(v).ok_or(ProxyError::BadQuery("lang"))?,
    };
    let rows: Vec<ResultRow> = db::all(&db, &batches::rows_sql(id))
        .await
        .map_err(internal)?;
    let rows: Vec<_> = rows.into_iter().map(ResultRow::result).collect();
    Ok(ProxyReply {
        status: 200,
        body: result_csv(dialect, &rows),
        headers: vec![
            ("content-type".into(), "text/csv; charset=utf-8".into()),
            (
                "content-disposition".into(),
                format!("attachment; filename=\"batch-{id}.csv\""),
            ),
        ],
    })
}

/// `POST /console/batches/{id}/confirm|pause|resume|cancel`: move the batch (409 when its
/// state does not allow it), skip what is not yet sent on cancel, wake the job on confirm and
/// resume; audited. Answers the batch's summary.
async fn act(
    ctx: &Ctx,
    principal: &Principal,
    id: i64,
    event: JobEvent,
) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    let row = load(&db, id).await?;
    row.job_state()
        .apply(event)
        .map_err(|_| ProxyError::TransitionNotAllowed)?;
    let who = principal.id();
    let by = (event == JobEvent::Confirm).then_some((who.as_str(), principal.role.as_str()));
    let mut queries = vec![batches::transition(id, event, ctx.now_ms, by)];
    if event == JobEvent::Cancel {
        queries.push(batches::skip_pending(id, ctx.now_ms));
    }
    let results = db::batch(&db, &queries).await.map_err(internal)?;
    let changed = results
        .first()
        .and_then(|r| r.meta().ok().flatten())
        .and_then(|m| m.changes)
        .unwrap_or(0);
    if changed == 0 {
        return Err(ProxyError::TransitionNotAllowed);
    }
    if matches!(event, JobEvent::Confirm | JobEvent::Resume) {
        job::wake(ctx, id).await;
    }
    let batch = summary(ctx, &db, id).await?;
    ctx.write_later(action_entry(ctx, principal, &row, event).insert(), "audit");
    Ok(ProxyReply::json(200, &batch))
}

/// The audit row of a batch's confirm, pause, resume or cancel.
fn action_entry(ctx: &Ctx, p: &Principal, row: &BatchRow, event: JobEvent) -> audit::Entry {
    let detail = serde_json::json!({"batch": {"id": row.id, "name": row.name}});
    audit::Entry {
        at: ctx.now_ms,
        actor: p.id(),
        role: p.role.as_str().to_owned(),
        action: format!("batch{event:?}"),
        order_uuid: None,
        amount_ore: Some(row.amount_ore),
        status: 200,
        message: event.target().as_str().to_owned(),
        idempotency_key: None,
        replayed: false,
        detail: Some(detail.to_string()),
    }
}
