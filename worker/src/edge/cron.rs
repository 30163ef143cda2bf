//! The Cron Trigger: re-read orders not yet final, merge upstream's list, purge old rows.

use super::orders::refresh::{Missed, refresh};
use super::{Ctx, config, log_error, now_ms};
use crate::db;
use crate::error::ProxyError;
use crate::idempotency::PURGE_AFTER_MS;
use crate::index::stale_orders_sql;
use crate::sql::Query;

/// The hourly cron (wrangler.toml) also merges the full upstream list.
pub const FULL_SYNC_CRON: &str = "17 * * * *";
/// Orders re-read per tick.
const PER_TICK: u32 = 50;

#[derive(serde::Deserialize)]
struct Uuid {
    uuid: String,
}

pub async fn run(env: &worker::Env, cron: &str) {
    let cfg = match config(env) {
        Ok(c) => c,
        Err(e) => return log_error(None, "cron config", &e.to_string()),
    };
    let ctx = Ctx {
        env: env.clone(),
        cfg,
        now_ms: now_ms(),
        wctx: None,
    };
    let Ok(db) = ctx.db() else { return };
    // Paced like the re-reads below: a sync skipped for the rate budget waits for the next hour.
    if cron == FULL_SYNC_CRON
        && let Err(e) = super::console::sync_all(&ctx).await
        && !matches!(e, ProxyError::UpstreamBusy { .. })
    {
        log_error(Some(&ctx.cfg), "cron sync", &e.to_string());
    }
    // A batch whose job should be sending (after a restart) is woken.
    super::batches::job::wake_active(&ctx).await;
    match db::all::<Uuid>(&db, &stale_orders_sql(PER_TICK)).await {
        Ok(rows) => reread(&ctx, &db, rows).await,
        Err(e) => log_error(Some(&ctx.cfg), "cron stale", &e.to_string()),
    }
    for (table, col, age) in [
        ("idempotency_keys", "created_at", PURGE_AFTER_MS),
        ("login_failures", "at", crate::auth::throttle::WINDOW_MS),
    ] {
        let mut q = Query::new("");
        let before = q.bind(ctx.now_ms - age);
        q.sql = format!("DELETE FROM {table} WHERE {col} < {before}");
        if let Err(e) = db::run(&db, &q).await {
            log_error(Some(&ctx.cfg), "cron purge", &e.to_string());
        }
    }
}

/// Re-read orders until done or the rate budget is down to the people's reserve (or upstream
/// answers 429): the rest keep their place and are first in the next run.
async fn reread(ctx: &Ctx, db: &worker::D1Database, rows: Vec<Uuid>) {
    for r in rows {
        match refresh(ctx, &r.uuid, "sync").await {
            Ok(_) => {}
            Err(Missed::Paced) => break,
            Err(Missed::Unreadable) => {
                // Not readable now: push it back so the others get their turn.
                let mut q = Query::new("");
                let (now, u) = (q.bind(now_ms()), q.bind(r.uuid.as_str()));
                q.sql = format!("UPDATE orders SET updated_at = {now} WHERE uuid = {u}");
                let _ = db::run(db, &q).await;
            }
        }
    }
}
