//! The order lifecycle as a pure state machine (contract-notes, "Lifecycle used by this project"):
//! the sandbox enforces it, the console offers only the actions and simulations it allows.
//!
//! ```text
//! payment link ─▶ SENT ─┬─▶ PAID ─▶ PARTIAL REFUNDED ─▶ REFUNDED   (refunds; PAID ─▶ REFUNDED too)
//!                       ├─▶ EXPIRED                                (due date passed, terminal)
//!                       ├─▶ CANCELLED                              (terminal)
//!                       ├─▶ RESERVED ─┬─▶ PAID (Delayed Charge)
//!                       │             └─▶ CANCELLED (authorisation released)
//!                       └─▶ INVOICED (customer chose invoice; only if invoiceAsPaymentOption)
//! invoice / E-Faktura / EHF ─▶ INVOICED ─┬─▶ PAID
//!                                         ├─▶ REMINDER ─┬─▶ PAID
//!                                         │             └─▶ DEBT COLLECTION ─▶ PAID
//!                                         └─▶ CANCELLED (credit note; also from REMINDER and DEBT COLLECTION)
//! ```
//!
//! REFUND PENDING and COMPLETED exist in the provider's vocabulary but the sandbox never enters
//! them: refunds here settle at once.

use crate::status::{OrderKind, OrderStatus};

use OrderStatus as S;

/// What an order is, as far as the lifecycle cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub kind: OrderKind,
    /// Payment links only: the customer may switch to an invoice (SENT → INVOICED).
    pub invoice_option: bool,
}

/// The status an order is created in.
pub const fn initial(kind: OrderKind) -> OrderStatus {
    if kind.is_invoice() {
        S::Invoiced
    } else {
        S::Sent
    }
}

/// Whether the edge `from → to` exists for this order. Refund states are entered by refunds
/// (see [`after_refund`]); `PARTIAL REFUNDED → PARTIAL REFUNDED` is a further partial refund.
pub fn allowed(shape: Shape, from: OrderStatus, to: OrderStatus) -> bool {
    let link = !shape.kind.is_invoice();
    match (from, to) {
        (S::Sent, S::Paid | S::Expired | S::Cancelled | S::Reserved) => link,
        (S::Sent, S::Invoiced) => link && shape.invoice_option,
        (S::Reserved, S::Paid | S::Cancelled) => true,
        (S::Invoiced, S::Paid | S::Reminder | S::Cancelled) => true,
        (S::Reminder, S::Paid | S::DebtCollection | S::Cancelled) => true,
        (S::DebtCollection, S::Paid | S::Cancelled) => true,
        (S::Paid, S::PartialRefunded | S::Refunded) => true,
        (S::PartialRefunded, S::PartialRefunded | S::Refunded) => true,
        _ => false,
    }
}

/// Why an API action is refused (all `400 Conflict of Business Logic`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `orderStatusAlreadyPaid`: PAID, or paid and (partly) refunded since.
    AlreadyPaid,
    /// `orderStatusAlreadyCancelled`.
    AlreadyCancelled,
    /// `orderStatusNotAllowed`: any other status the action does not apply to.
    NotAllowed,
}

/// The API actions that depend on the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Resend Payment Link: SENT payment links only; no status change.
    Resend,
    Cancel,
    /// RESERVED → PAID.
    DelayedCharge,
    /// Allowed from PAID and PARTIAL REFUNDED; the new status comes from [`after_refund`].
    Refund,
}

/// Paid, or paid and since (partly) refunded or completed: money came in. The overview and the
/// VAT report count these as paid ([`crate::report`]).
pub fn was_paid(s: OrderStatus) -> bool {
    matches!(s, S::Paid | S::PartialRefunded | S::Refunded | S::Completed)
}

fn refuse(s: OrderStatus) -> Refusal {
    if was_paid(s) {
        Refusal::AlreadyPaid
    } else if s == S::Cancelled {
        Refusal::AlreadyCancelled
    } else {
        Refusal::NotAllowed
    }
}

/// Decide an action: `Ok(Some(new))` changes the status, `Ok(None)` keeps it.
pub fn decide(
    shape: Shape,
    from: OrderStatus,
    action: Action,
) -> Result<Option<OrderStatus>, Refusal> {
    match action {
        Action::Resend if from == S::Sent && !shape.kind.is_invoice() => Ok(None),
        Action::Cancel if allowed(shape, from, S::Cancelled) => Ok(Some(S::Cancelled)),
        Action::DelayedCharge if from == S::Reserved => Ok(Some(S::Paid)),
        // Refunds: a REFUNDED order goes on to the refund rules, which reject it for having
        // nothing left (`refundRejectionForRefundRequestGreaterThanOrderAmount`).
        Action::Refund if matches!(from, S::Paid | S::PartialRefunded | S::Refunded) => Ok(None),
        _ => Err(refuse(from)),
    }
}

/// The status after a refund that leaves `refunded` of `total` øre refunded.
pub fn after_refund(refunded: i64, total: i64) -> OrderStatus {
    if refunded >= total {
        S::Refunded
    } else {
        S::PartialRefunded
    }
}

/// Statuses in which an unpaid payment link still waits for its customer (expiry applies).
pub fn expires(kind: OrderKind, s: OrderStatus) -> bool {
    !kind.is_invoice() && s == S::Sent
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: Shape = Shape {
        kind: OrderKind::PaymentLink,
        invoice_option: false,
    };
    const LINK_INV: Shape = Shape {
        kind: OrderKind::PaymentLink,
        invoice_option: true,
    };
    const INV: Shape = Shape {
        kind: OrderKind::Invoice,
        invoice_option: false,
    };

    #[test]
    fn final_statuses_have_no_way_out() {
        // The proxy stops re-reading orders in final statuses: the lifecycle must agree.
        for shape in [LINK, LINK_INV, INV] {
            for from in OrderStatus::ALL.into_iter().filter(|s| s.is_final()) {
                for to in OrderStatus::ALL {
                    assert!(!allowed(shape, from, to), "{from} → {to} for {shape:?}");
                }
            }
        }
    }

    #[test]
    fn initial_statuses() {
        assert_eq!(initial(OrderKind::PaymentLink), S::Sent);
        for k in [OrderKind::Invoice, OrderKind::EFaktura, OrderKind::Ehf] {
            assert_eq!(initial(k), S::Invoiced);
        }
    }

    #[test]
    fn every_documented_edge() {
        let edges = [
            (LINK, S::Sent, S::Paid),
            (LINK, S::Sent, S::Expired),
            (LINK, S::Sent, S::Cancelled),
            (LINK, S::Sent, S::Reserved),
            (LINK_INV, S::Sent, S::Invoiced),
            (LINK, S::Reserved, S::Paid),
            (LINK, S::Reserved, S::Cancelled),
            (INV, S::Invoiced, S::Paid),
            (INV, S::Invoiced, S::Reminder),
            (INV, S::Reminder, S::DebtCollection),
            (INV, S::DebtCollection, S::Paid),
            (INV, S::Reminder, S::Paid),
            (INV, S::Invoiced, S::Cancelled),
            (INV, S::Paid, S::PartialRefunded),
            (INV, S::PartialRefunded, S::Refunded),
            (LINK, S::Paid, S::Refunded),
        ];
        for (shape, from, to) in edges {
            assert!(allowed(shape, from, to), "{from} → {to}");
        }
    }

    #[test]
    fn refused_edges() {
        let no = [
            (LINK, S::Expired, S::Paid),
            (LINK, S::Cancelled, S::Paid),
            (LINK, S::Refunded, S::Paid),
            (LINK, S::Sent, S::Invoiced), // no invoice option
            (LINK, S::Sent, S::Refunded),
            (LINK, S::Paid, S::Sent),
            (LINK, S::Paid, S::Cancelled),
            (INV, S::Sent, S::Paid),
            (INV, S::Invoiced, S::Expired),
            (INV, S::Invoiced, S::Reserved),
            (INV, S::Invoiced, S::DebtCollection),
            (INV, S::DebtCollection, S::Reminder),
            (LINK, S::Sent, S::RefundPending),
            (LINK, S::Sent, S::Completed),
        ];
        for (shape, from, to) in no {
            assert!(!allowed(shape, from, to), "{from} → {to}");
        }
        for s in OrderStatus::ALL {
            assert!(
                !allowed(LINK, s, s) || s == S::PartialRefunded,
                "{s} → itself"
            );
            for t in OrderStatus::ALL {
                for terminal in [S::Expired, S::Cancelled, S::Refunded] {
                    if s == terminal {
                        assert!(!allowed(LINK, s, t) && !allowed(INV, s, t));
                    }
                }
            }
        }
    }

    #[test]
    fn actions() {
        assert_eq!(decide(LINK, S::Sent, Action::Resend), Ok(None));
        assert_eq!(
            decide(LINK, S::Paid, Action::Resend),
            Err(Refusal::AlreadyPaid)
        );
        assert_eq!(
            decide(LINK, S::Cancelled, Action::Resend),
            Err(Refusal::AlreadyCancelled)
        );
        assert_eq!(
            decide(LINK, S::Expired, Action::Resend),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            decide(LINK, S::Reserved, Action::Resend),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            decide(INV, S::Invoiced, Action::Resend),
            Err(Refusal::NotAllowed)
        );

        assert_eq!(
            decide(LINK, S::Sent, Action::Cancel),
            Ok(Some(S::Cancelled))
        );
        assert_eq!(
            decide(LINK, S::Reserved, Action::Cancel),
            Ok(Some(S::Cancelled))
        );
        assert_eq!(
            decide(INV, S::DebtCollection, Action::Cancel),
            Ok(Some(S::Cancelled))
        );
        assert_eq!(
            decide(LINK, S::Paid, Action::Cancel),
            Err(Refusal::AlreadyPaid)
        );
        assert_eq!(
            decide(LINK, S::PartialRefunded, Action::Cancel),
            Err(Refusal::AlreadyPaid)
        );
        assert_eq!(
            decide(LINK, S::Cancelled, Action::Cancel),
            Err(Refusal::AlreadyCancelled)
        );
        assert_eq!(
            decide(LINK, S::Expired, Action::Cancel),
            Err(Refusal::NotAllowed)
        );

        assert_eq!(
            decide(LINK, S::Reserved, Action::DelayedCharge),
            Ok(Some(S::Paid))
        );
        assert_eq!(
            decide(LINK, S::Paid, Action::DelayedCharge),
            Err(Refusal::AlreadyPaid)
        );
        assert_eq!(
            decide(LINK, S::Sent, Action::DelayedCharge),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            decide(LINK, S::Cancelled, Action::DelayedCharge),
            Err(Refusal::AlreadyCancelled)
        );

        assert_eq!(decide(LINK, S::Paid, Action::Refund), Ok(None));
        assert_eq!(decide(INV, S::PartialRefunded, Action::Refund), Ok(None));
        assert_eq!(
            decide(INV, S::Invoiced, Action::Refund),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            decide(LINK, S::Sent, Action::Refund),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            decide(LINK, S::Cancelled, Action::Refund),
            Err(Refusal::AlreadyCancelled)
        );
    }

    #[test]
    fn refunds_and_expiry() {
        assert_eq!(after_refund(1, 100), S::PartialRefunded);
        assert_eq!(after_refund(100, 100), S::Refunded);
        assert!(expires(OrderKind::PaymentLink, S::Sent));
        assert!(!expires(OrderKind::PaymentLink, S::Reserved));
        assert!(!expires(OrderKind::Invoice, S::Invoiced));
    }
}
