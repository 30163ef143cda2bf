//! A write's idempotency key ([`crate::idempotency`]): claim it, answer from an earlier attempt
//! (replay, or settle one of unknown outcome), and record how the send ended. The statements
//! are [`crate::idempotency::store`]'s.

use frontdesk_core::OrderId;

use super::{Checked, Note, WriteCtx, create, follow_up, internal, refund, run};
use crate::db;
use crate::error::{ProxyError, ProxyReply};
use crate::idempotency::store::{self, Claim, Earlier, KeyRef, KeyRow};
use crate::idempotency::{self, Decision, State};
use crate::reconcile::{self, Settlement};
use crate::sql::Query;
use crate::upstream::{Certainty, Outcome};

/// What upstream shows of an earlier attempt of unknown outcome.
pub enum Settled {
    /// It took effect: this is its answer.
    Done(ProxyReply),
    /// It did not: send again.
    NotDone,
    /// Cannot tell: a person checks (409).
    Unresolved,
}

/// Claim the write's key. `Ok(Some(answer))` ends the write: the stored answer replayed, or
/// the earlier attempt settled as done. `Ok(None)`: the key is ours, send.
pub async fn claim(
    w: &WriteCtx<'_>,
    row: KeyRef<'_>,
    note: &mut Note,
) -> Result<Option<ProxyReply>, ProxyError> {
    idempotency::validate_key(row.key)?;
    let fp = idempotency::fingerprint("POST", &w.attempt.path, &w.body.sent);
    let claim = Claim {
        fingerprint: &fp,
        endpoint: w.attempt.endpoint,
        order: w.attempt.order.as_ref().map(OrderId::as_str),
        now_ms: w.ctx.now_ms,
    };
    if run(&w.db, &store::claim(row, &claim)).await? != 0 {
        return Ok(None);
    }
    let earlier = load(&w.db, row).await?;
    match idempotency::on_existing(&earlier.stored, &fp, w.ctx.now_ms) {
        Decision::Replay { status, body } => {
            note.replayed = true;
            Ok(Some(
                ProxyReply {
                    status,
                    body,
                    headers: vec![("content-type".into(), "application/json".into())],
                }
                .with_header("idempotent-replayed", "true"),
            ))
        }
        Decision::Mismatch => Err(ProxyError::IdempotencyMismatch),
        Decision::InFlight => Err(ProxyError::IdempotencyInFlight),
        Decision::Settle => settle_earlier(w, row, &earlier, note).await,
    }
}

async fn load(db: &worker::D1Database, row: KeyRef<'_>) -> Result<Earlier, ProxyError> {
    // The row can vanish between the claim and this read (released after a 429): treat as in flight.
    let raw: KeyRow = db::first(db, &store::load(row))
        .await
        .map_err(internal)?
        .ok_or(ProxyError::IdempotencyInFlight)?;
    Ok(raw.earlier())
}

/// Settle an earlier attempt of unknown outcome, taking its row over atomically first so two
/// retries never settle at once: done → its answer, kept and replayed; not done → `None`, send
/// again; unresolved → kept unknown, 409.
async fn settle_earlier(
    w: &WriteCtx<'_>,
    row: KeyRef<'_>,
    earlier: &Earlier,
    note: &mut Note,
) -> Result<Option<ProxyReply>, ProxyError> {
    let take = store::take_over(row, earlier.stored.updated_at, w.ctx.now_ms);
    if run(&w.db, &take).await? != 1 {
        return Err(ProxyError::IdempotencyInFlight);
    }
    match settle(w, row, earlier).await {
        Settled::Done(reply) => {
            note.replayed = true;
            finish(w, row, State::Done, Some(&reply)).await?;
            Ok(Some(reply.with_header("idempotent-replayed", "true")))
        }
        Settled::NotDone => Ok(None),
        Settled::Unresolved => {
            finish(w, row, State::Unknown, None).await?;
            Err(ProxyError::IdempotencyUnresolved)
        }
    }
}

/// Each capability settles its own way ([`reconcile::settlement`]).
async fn settle(w: &WriteCtx<'_>, row: KeyRef<'_>, earlier: &Earlier) -> Settled {
    match (reconcile::settlement(w.attempt.endpoint), &w.body.checked) {
        (Some(Settlement::Resend), _) => Settled::NotDone,
        (Some(Settlement::ByStatus), Checked::Refund(total)) => {
            refund::settle(w, row, earlier, *total).await
        }
        (Some(Settlement::ByStatus), _) => follow_up::settle(w, earlier).await,
        (Some(Settlement::FindCreated), Checked::Create(kind, req)) => {
            create::settle(w, *kind, req, earlier.created_at).await
        }
        _ => Settled::Unresolved,
    }
}

/// Record how the send ended: a definitive answer is kept for replay, a 429 (nothing happened)
/// gives the key back, anything else leaves the outcome unknown for the next try to settle.
/// `with` (a created order's index row) commits in the same transaction as a kept answer.
pub async fn record(
    w: &WriteCtx<'_>,
    row: KeyRef<'_>,
    out: &Outcome,
    reply: &Result<ProxyReply, ProxyError>,
    with: Option<&Query>,
) -> Result<(), ProxyError> {
    match (out.certainty(), reply) {
        (Certainty::Definitive, Ok(r)) => {
            let done = store::finish(row, State::Done, Some(r), w.ctx.now_ms);
            let statements: Vec<Query> = std::iter::once(done).chain(with.cloned()).collect();
            db::batch(&w.db, &statements)
                .await
                .map(drop)
                .map_err(internal)
        }
        (Certainty::NotDone, _) => release(w, row).await,
        _ => finish(w, row, State::Unknown, None).await,
    }
}

/// Give the key back: the write did not go out, or upstream did nothing (429).
pub async fn release(w: &WriteCtx<'_>, row: KeyRef<'_>) -> Result<(), ProxyError> {
    run(&w.db, &store::release(row)).await.map(drop)
}

async fn finish(
    w: &WriteCtx<'_>,
    row: KeyRef<'_>,
    state: State,
    reply: Option<&ProxyReply>,
) -> Result<(), ProxyError> {
    run(&w.db, &store::finish(row, state, reply, w.ctx.now_ms))
        .await
        .map(drop)
}
