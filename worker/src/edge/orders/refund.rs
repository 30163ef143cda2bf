//! Refunds: the check, one keyed refund per order at a time (so that the change of
//! `refundedAmount` is this refund's alone), and settling an unknown outcome by that amount.

use frontdesk_core::envelope::Envelope;
use frontdesk_core::validate::{Context, validate_refund};
use frontdesk_core::{Endpoint, Money, OrderId};
use serde_json::Value;

use super::follow_up::order_now;
use super::keys::{Settled, release};
use super::{Checked, Note, WriteCtx, internal, run};
use crate::audit;
use crate::db;
use crate::edge::upstream as up;
use crate::error::{ProxyError, ProxyReply};
use crate::idempotency::store::{self, CountRow, Earlier, KeyRef};
use crate::reconcile::{self, Baseline, RefundOutcome};
use crate::upstream::api_url;

/// A refund's body checked; its total and lines go to the audit row.
pub fn check(value: &Value, rules: &Context, note: &mut Note) -> Result<Checked, ProxyError> {
    let v = validate_refund(value, rules).map_err(ProxyError::Validation)?;
    note.amount_ore = Some(v.value.grand_total.ore());
    note.detail = Some(audit::refund_lines(&v.value));
    Ok(Checked::Refund(v.value.grand_total))
}

/// Before a keyed refund goes out: take the order's refund slot (another waits, 409 in flight
/// and its key released, while one is in flight or of unknown outcome), then remember what was
/// refunded before, to settle an unknown outcome later.
pub async fn hold(w: &WriteCtx<'_>, row: KeyRef<'_>, id: &OrderId) -> Result<(), ProxyError> {
    if run(&w.db, &store::hold_refund(row, id.as_str(), w.ctx.now_ms)).await? != 1 {
        release(w, row).await?;
        return Err(ProxyError::IdempotencyInFlight);
    }
    let target = api_url(
        &w.ctx.cfg.api_base,
        &Endpoint::Status.path(Some(id)).unwrap_or_default(),
        None,
    );
    if let Some(refunded) = up::data(&up::get(w.ctx, &target, None).await)
        .and_then(|d| d.get("refundedAmount"))
        .and_then(|v| Money::from_json(v).ok())
    {
        let b = serde_json::to_string(&Baseline {
            refunded_ore: refunded.ore(),
        })
        .map_err(internal)?;
        run(&w.db, &store::set_baseline(row, &b)).await?;
    }
    Ok(())
}

/// A refund of unknown outcome: done only if the order's refunds grew by exactly this one and
/// nobody else refunded it through the proxy meanwhile ([`reconcile::refund_outcome`]).
pub async fn settle(w: &WriteCtx<'_>, row: KeyRef<'_>, earlier: &Earlier, total: Money) -> Settled {
    let Some(now) = order_now(w).await else {
        return Settled::Unresolved;
    };
    // Without the amount refunded now, a refund cannot be settled: a person checks.
    let Some(refunded) = now.refunded else {
        return Settled::Unresolved;
    };
    let Ok(others) = others_since(w, row, now.id, earlier.created_at).await else {
        return Settled::Unresolved;
    };
    match reconcile::refund_outcome(refunded, earlier.baseline, total, others) {
        RefundOutcome::Done => Settled::Done(ProxyReply::envelope(&Envelope::of(
            w.attempt.endpoint.success(),
        ))),
        RefundOutcome::NotDone => Settled::NotDone,
        RefundOutcome::Unresolved => Settled::Unresolved,
    }
}

/// Did another refund of this order (keyed and possibly done, or without a key and answered
/// 2xx / of unknown outcome) go through the proxy since `since`?
async fn others_since(
    w: &WriteCtx<'_>,
    row: KeyRef<'_>,
    order: &OrderId,
    since: i64,
) -> Result<bool, ProxyError> {
    let q = store::other_refunds_since(row, order.as_str(), since);
    let count: Option<CountRow> = db::first(&w.db, &q).await.map_err(internal)?;
    Ok(count.is_some_and(|c| c.n > 0.0))
}
