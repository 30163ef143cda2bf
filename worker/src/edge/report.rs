//! `GET /console/overview` and `GET /console/vat`: one D1 batch each, answered with core's
//! types ([`crate::report`] builds the statements and reads the rows).

use frontdesk_core::envelope::ApiMessage;
use serde::de::DeserializeOwned;

use super::Ctx;
use super::console::{data, internal, pairs};
use crate::db;
use crate::error::{ProxyError, ProxyReply};
use crate::report::{self, OverviewPlan, OverviewRows};
use crate::sql::Query;

/// Run `queries` in one round trip.
async fn batch(
    db: &worker::D1Database,
    queries: &[Query],
) -> Result<Vec<worker::D1Result>, ProxyError> {
    db::batch(db, queries).await.map_err(internal)
}

/// The rows of the `i`th statement of a batch.
fn rows<T: DeserializeOwned>(results: &[worker::D1Result], i: usize) -> Result<Vec<T>, ProxyError> {
    results
        .get(i)
        .ok_or_else(|| internal(format!("no result {i} in the batch")))?
        .results::<T>()
        .map_err(internal)
}

fn first<T: DeserializeOwned + Default>(
    results: &[worker::D1Result],
    i: usize,
) -> Result<T, ProxyError> {
    Ok(rows::<T>(results, i)?
        .into_iter()
        .next()
        .unwrap_or_default())
}

fn reply<T: serde::Serialize>(value: &T) -> Result<ProxyReply, ProxyError> {
    data(ApiMessage::ReportRetrievedSuccessfully, value)
}

/// Give rows indexed before the report existed their due day and base per rate, a batch per
/// request until none is left (logged, never fatal: the figures then miss those rows only).
async fn backfill(ctx: &Ctx, db: &worker::D1Database) {
    let pending: Vec<report::BackfillRow> = match db::all(db, &report::backfill_sql()).await {
        Ok(found) => found,
        Err(e) => return super::log_error(Some(&ctx.cfg), "report backfill", &e.to_string()),
    };
    if pending.is_empty() {
        return;
    }
    let updates: Vec<Query> = pending.iter().map(report::BackfillRow::update).collect();
    if let Err(e) = batch(db, &updates).await {
        super::log_error(Some(&ctx.cfg), "report backfill", &format!("{e:?}"));
    }
}

/// `GET /console/overview?from=YYYY-MM-DD&to=YYYY-MM-DD`.
pub async fn overview(ctx: &Ctx, url: &worker::Url) -> Result<ProxyReply, ProxyError> {
    let period = report::period_of(&pairs(url))?;
    let db = ctx.db()?;
    backfill(ctx, &db).await;
    let plan = OverviewPlan::new(period, ctx.now_secs());
    let results = batch(&db, &plan.queries()).await?;
    let fetched = OverviewRows {
        current: first(&results, 0)?,
        previous: first(&results, 1)?,
        series: rows(&results, 2)?,
        by_status: rows(&results, 3)?,
        owed: rows(&results, 4)?,
        flagged: rows(&results, 5)?,
        top: rows(&results, 6)?,
    };
    reply(&plan.overview(fetched))
}

/// `GET /console/vat?from=YYYY-MM-DD&to=YYYY-MM-DD&basis=orderDate|paymentDate`.
pub async fn vat(ctx: &Ctx, url: &worker::Url) -> Result<ProxyReply, ProxyError> {
    let pairs = pairs(url);
    let (period, basis) = (report::period_of(&pairs)?, report::basis_of(&pairs)?);
    let db = ctx.db()?;
    backfill(ctx, &db).await;
    let queries = [
        report::vat_sales_sql(&period, basis),
        report::vat_refunds_sql(&period, basis),
    ];
    let results = batch(&db, &queries).await?;
    let sales: Vec<report::SalesRow> = rows(&results, 0)?;
    let refunds: Vec<report::RefundRow> = rows(&results, 1)?;
    reply(&report::vat_report(period, basis, &sales, &refunds))
}
