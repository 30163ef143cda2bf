//! Follow-up actions on an order (resend, cancel, delayed charge): their checks, settling an
//! unknown outcome by the order's status, and the cancellation note kept in the index.

use frontdesk_core::envelope::Envelope;
use frontdesk_core::validate::{Context, validate_cancel, validate_resend};
use frontdesk_core::{Endpoint, Money, OrderId, OrderStatus};
use serde_json::Value;

use super::keys::Settled;
use super::refresh::status_of;
use super::{Attempt, Checked, Note, WriteCtx};
use crate::edge::log_error;
use crate::edge::upstream as up;
use crate::error::{ProxyError, ProxyReply};
use crate::idempotency::store::Earlier;
use crate::upstream::api_url;
use crate::{audit, db, index, reconcile};

/// A resend's or a cancel's body checked; to whom / the note go to the audit row. The other
/// follow-ups have nothing more to check.
pub fn check(
    endpoint: Endpoint,
    value: &Value,
    rules: &Context,
    note: &mut Note,
) -> Result<Checked, ProxyError> {
    match endpoint {
        Endpoint::Resend => {
            let v = validate_resend(value, rules).map_err(ProxyError::Validation)?;
            // To whom, for the order's timeline.
            note.detail = Some(audit::resend_detail(&v.value));
            Ok(Checked::Other)
        }
        Endpoint::Cancel => {
            let v = validate_cancel(value, rules).map_err(ProxyError::Validation)?;
            note.detail = Some(audit::detail_of(&v.value));
            Ok(Checked::Cancel(v.value.cancellation_note))
        }
        _ => Ok(Checked::Other),
    }
}

/// What upstream says of the write's order now.
pub struct OrderNow<'a> {
    pub id: &'a OrderId,
    pub status: OrderStatus,
    /// Optional: the live server's status by uuid has been seen without it.
    pub refunded: Option<Money>,
}

/// The order's status now (`None` when the write names no order or upstream does not say).
pub async fn order_now<'a>(w: &WriteCtx<'a>) -> Option<OrderNow<'a>> {
    let attempt: &'a Attempt = w.attempt;
    let id = attempt.order.as_ref()?;
    let path = Endpoint::Status.path(Some(id))?;
    let out = up::get(w.ctx, &api_url(&w.ctx.cfg.api_base, &path, None), None).await;
    let data = up::data(&out)?;
    let status = status_of(data)?;
    let refunded = data
        .get("refundedAmount")
        .and_then(|v| Money::from_json(v).ok());
    Some(OrderNow {
        id,
        status,
        refunded,
    })
}

/// A cancel or delayed charge of unknown outcome: did it take effect, judging by the order's
/// status now? (A refund settles by its amount: [`super::refund::settle`].)
pub async fn settle(w: &WriteCtx<'_>, earlier: &Earlier) -> Settled {
    let Some(now) = order_now(w).await else {
        return Settled::Unresolved;
    };
    let refunded = now.refunded.unwrap_or(Money::ZERO);
    let endpoint = w.attempt.endpoint;
    if reconcile::took_effect(endpoint, now.status, refunded, earlier.baseline, None) {
        Settled::Done(ProxyReply::envelope(&Envelope::of(endpoint.success())))
    } else {
        Settled::NotDone
    }
}

/// The note a cancel that went through was sent with, for the order page.
pub async fn remember_cancel(w: &WriteCtx<'_>, uuid: &str, text: &str) {
    if let Err(e) = db::run(&w.db, &index::set_cancellation_note(uuid, text)).await {
        log_error(Some(&w.ctx.cfg), "index", &e.to_string());
    }
}
