//! The job that sends a batch, at the edge and not in the tab: one Durable Object per batch
//! (named by its id), woken by confirm and resume (and by the cron, so a restart never strands
//! a batch), that sends the batch's rows one at a time on its alarm.
//!
//! Each row goes through the write path of an API create ([`orders::check`],
//! [`orders::send`]) under its own idempotency key ([`batches::row_key`]), in the scope of
//! whoever confirmed the batch: a retry, a second turn or a restart claims the same key, and
//! the key's claim replays or settles an earlier attempt instead of sending twice. Rows wait
//! while the rate budget is down to the reserve kept for people ([`ratelimit`]).

use frontdesk_core::OrderKind;
use frontdesk_core::batch::api::{BatchAuditDetail, BatchRef};
use frontdesk_core::batch::{JobEvent, JobState};
use frontdesk_core::draft::OrderDraft;
use frontdesk_core::roles::Role;
use worker::{DurableObject, Env, Request, Response, State, durable_object};

use crate::audit;
use crate::batches::{self, BatchRow, IdRow, PendingRow, RowOutcome};
use crate::db;
use crate::edge::orders::{self, Attempt, Note};
use crate::edge::{Ctx, config, log_error, now_ms};
use crate::error::{ProxyError, ProxyReply};
use crate::ratelimit;

/// The Durable Object's binding (wrangler.toml).
pub const BINDING: &str = "BATCH_JOB";
/// A turn ends after this long, or after this many rows, and the next starts at once: an
/// alarm may run 15 minutes, but one invocation has a budget of D1 queries and subrequests.
const TURN_MS: i64 = 25_000;
/// Most rows one turn sends.
const ROWS_PER_TURN: u32 = 20;
/// Wait after a failure of our own (D1, configuration) before the next turn.
const TROUBLE_WAIT_MS: i64 = 30_000;
/// Where the object keeps its batch's id.
const BATCH_KEY: &str = "batch";

/// One batch's sender.
#[durable_object(alarm)]
pub struct BatchJob {
    state: State,
    env: Env,
}

impl DurableObject for BatchJob {
    fn new(state: State, env: Env) -> Self {
        BatchJob { state, env }
    }

    /// `…/wake/{id}`: remember the batch, and take a turn now unless one is due anyway.
    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        let path = req.path();
        let Some(id) = path.rsplit('/').next().and_then(|s| s.parse::<i64>().ok()) else {
            return Response::error("no batch", 400);
        };
        let storage = self.state.storage();
        storage.put(BATCH_KEY, id.to_string()).await?;
        if storage.get_alarm().await?.is_none() {
            storage.set_alarm(0_i64).await?;
        }
        Response::empty()
    }

    /// A turn: send rows until the turn is over, the budget is down to the reserve, or the
    /// batch is no longer running; then the next alarm, if there is more to do.
    async fn alarm(&self) -> worker::Result<Response> {
        let storage = self.state.storage();
        let id = storage
            .get::<String>(BATCH_KEY)
            .await?
            .and_then(|s| s.parse::<i64>().ok());
        if let Some(id) = id
            && let Some(wait_ms) = turn(&self.env, id).await
        {
            storage.set_alarm(wait_ms.max(0)).await?;
        }
        Response::empty()
    }
}

/// Wake the job of batch `id` (errors are logged: the cron wakes it again).
pub async fn wake(ctx: &Ctx, id: i64) {
    if let Err(e) = poke(&ctx.env, id).await {
        log_error(Some(&ctx.cfg), "batch wake", &e.to_string());
    }
}

async fn poke(env: &Env, id: i64) -> worker::Result<Response> {
    let namespace = env.durable_object(BINDING)?;
    let stub = namespace.id_from_name(&id.to_string())?.get_stub()?;
    stub.fetch_with_str(&format!("https://batch-job/wake/{id}"))
        .await
}

/// The cron's safety net: wake every batch that should be sending (after a restart, a lost
/// alarm). A job already at work is not disturbed.
pub async fn wake_active(ctx: &Ctx) {
    let Ok(db) = ctx.db() else { return };
    match db::all::<IdRow>(&db, &batches::active_sql()).await {
        Ok(rows) => {
            for r in rows {
                wake(ctx, r.id).await;
            }
        }
        Err(e) => log_error(Some(&ctx.cfg), "batch wake", &e.to_string()),
    }
}

/// What one step of a turn leads to.
enum Step {
    /// Go on (if the turn has time left).
    Next,
    /// Come back after this many ms.
    Later(i64),
    /// Nothing to do until a person acts.
    Stop,
}

/// One turn of batch `id`; the ms until the next (`None`: none).
async fn turn(env: &Env, id: i64) -> Option<i64> {
    let cfg = match config(env) {
        Ok(c) => c,
        Err(e) => {
            log_error(None, "batch config", &e.to_string());
            return Some(TROUBLE_WAIT_MS);
        }
    };
    let started = now_ms();
    let ctx = Ctx {
        env: env.clone(),
        cfg,
        now_ms: started,
        wctx: None,
    };
    let db = ctx.db().ok()?;
    // A confirmed batch starts with its first turn.
    let start = batches::transition(id, JobEvent::Start, started, None);
    if let Err(e) = db::run(&db, &start).await {
        log_error(Some(&ctx.cfg), "batch start", &e.to_string());
    }
    for _ in 0..ROWS_PER_TURN {
        match step(&ctx, &db, id).await {
            Step::Next if now_ms() - started < TURN_MS => {}
            Step::Next => return Some(0),
            Step::Later(ms) => return Some(ms),
            Step::Stop => return None,
        }
    }
    Some(0)
}

/// Send the next row, if the batch still runs, the budget allows and its time has come.
async fn step(ctx: &Ctx, db: &worker::D1Database, id: i64) -> Step {
    let batch = match db::first::<BatchRow>(db, &batches::batch_sql(id)).await {
        Ok(Some(b)) if b.job_state() == JobState::Running => b,
        Ok(_) => return Step::Stop,
        Err(_) => return Step::Later(TROUBLE_WAIT_MS),
    };
    let Some(kind) = batch.order_kind() else {
        return Step::Stop;
    };
    let now = now_ms();
    if !ratelimit::background_allowed(now) {
        let secs = ratelimit::background_wait_secs(now);
        return Step::Later(i64::try_from(secs).unwrap_or(60).saturating_mul(1000));
    }
    let row = match db::first::<PendingRow>(db, &batches::next_row_sql(id)).await {
        Ok(Some(r)) => r,
        Ok(None) => return finish(ctx, db, id).await,
        Err(_) => return Step::Later(TROUBLE_WAIT_MS),
    };
    if row.next_at > now {
        return Step::Later(row.next_at - now);
    }
    let outcome = send_row(ctx, &batch, kind, &row).await;
    record(ctx, db, id, &row, &outcome).await
}

/// No row left: the batch is done.
async fn finish(ctx: &Ctx, db: &worker::D1Database, id: i64) -> Step {
    let done = batches::transition(id, JobEvent::Finish, now_ms(), None);
    if let Err(e) = db::run(db, &done).await {
        log_error(Some(&ctx.cfg), "batch finish", &e.to_string());
        return Step::Later(TROUBLE_WAIT_MS);
    }
    Step::Stop
}

/// One attempt of a row through the write path, audited; what it means for the row.
async fn send_row(base: &Ctx, batch: &BatchRow, kind: OrderKind, row: &PendingRow) -> RowOutcome {
    let ctx = Ctx {
        env: base.env.clone(),
        cfg: base.cfg.clone(),
        now_ms: now_ms(),
        wctx: None,
    };
    let number = u32::try_from(row.row_no).unwrap_or(0);
    let draft: OrderDraft = match serde_json::from_str(&row.draft) {
        Ok(d) => d,
        Err(e) => {
            return RowOutcome::Failed {
                error: format!("the stored order is unreadable: {e}"),
            };
        }
    };
    // The same bytes on every attempt: the order date is the confirm's day when left open.
    let date = batch.confirmed_at.unwrap_or(ctx.now_ms).div_euclid(1000);
    let sent = serde_json::to_vec(&draft.to_payload(kind, date)).unwrap_or_default();
    let endpoint = kind.create_endpoint();
    let attempt = Attempt {
        principal: batch
            .confirmed_by
            .clone()
            .unwrap_or_else(|| batch.created_by.clone()),
        // Only clerks and admins confirm a batch; the confirmer's role as stored.
        role: batch
            .confirmed_role
            .as_deref()
            .and_then(|r| r.parse().ok())
            .unwrap_or(Role::Clerk),
        endpoint,
        order: None,
        path: endpoint.path(None).unwrap_or_default(),
        key: Some(batches::row_key(batch.id, number)),
        fault: None,
    };
    let mut note = Note::new(None);
    let result = match orders::check(&ctx, endpoint, sent, &mut note) {
        Ok(body) => orders::send(&ctx, &attempt, &body, &mut note).await,
        Err(e) => Err(e),
    };
    let tries = u32::try_from(row.attempts).unwrap_or(0).saturating_add(1);
    let outcome = batches::outcome(&result, tries);
    let tried = Tried {
        row: number,
        attempt: &attempt,
        note,
        result: &result,
        outcome: &outcome,
    };
    audit_attempt(&ctx, batch, tried).await;
    outcome
}

/// One attempt of a row, as its audit row tells it.
struct Tried<'a> {
    row: u32,
    attempt: &'a Attempt,
    note: Note,
    result: &'a Result<ProxyReply, ProxyError>,
    outcome: &'a RowOutcome,
}

/// The attempt's audit row, as an API create's, with the batch's name in its detail.
async fn audit_attempt(ctx: &Ctx, batch: &BatchRow, tried: Tried<'_>) {
    let (status, message) = match tried.result {
        Ok(r) => (r.status, audit::message_of(&r.body)),
        Err(e) => (e.status(), e.envelope().message),
    };
    let detail = BatchAuditDetail {
        batch: BatchRef {
            id: batch.id,
            name: batch.name.clone(),
            row: tried.row,
        },
    };
    let entry = audit::Entry {
        at: ctx.now_ms,
        actor: tried.attempt.principal.clone(),
        role: tried.attempt.role.as_str().to_owned(),
        action: tried.attempt.endpoint.name().to_owned(),
        // A replayed or settled create names its order only in the outcome.
        order_uuid: match tried.outcome {
            RowOutcome::Sent { uuid } => Some(uuid.clone()),
            _ => tried.note.order,
        },
        amount_ore: tried.note.amount_ore,
        status,
        message,
        idempotency_key: tried.attempt.key.clone(),
        replayed: tried.note.replayed,
        detail: serde_json::to_string(&detail).ok(),
    };
    let Ok(db) = ctx.db() else { return };
    if let Err(e) = db::run(&db, &entry.insert()).await {
        log_error(Some(&ctx.cfg), "audit", &e.to_string());
    }
}

/// Keep what became of the row: sent (and the index row names the batch), failed, or its
/// next try.
async fn record(
    ctx: &Ctx,
    db: &worker::D1Database,
    id: i64,
    row: &PendingRow,
    outcome: &RowOutcome,
) -> Step {
    let now = now_ms();
    let number = u32::try_from(row.row_no).unwrap_or(0);
    let q = match outcome {
        RowOutcome::Sent { uuid } => {
            if let Err(e) = db::run(db, &batches::tag_order(uuid, id)).await {
                log_error(Some(&ctx.cfg), "index", &e.to_string());
            }
            batches::finish_row(id, number, outcome, now)
        }
        RowOutcome::Failed { .. } => batches::finish_row(id, number, outcome, now),
        RowOutcome::Retry { after_ms, counted } => {
            batches::retry_row(id, number, now + after_ms, *counted, now)
        }
        RowOutcome::Wait { after_ms } => return Step::Later(*after_ms),
    };
    match db::run(db, &q).await {
        Ok(_) => Step::Next,
        Err(e) => {
            // Not recorded: the row is tried again, and its key answers for the first try.
            log_error(Some(&ctx.cfg), "batch row", &e.to_string());
            Step::Later(TROUBLE_WAIT_MS)
        }
    }
}
