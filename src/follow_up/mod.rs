//! Following up an order, as data and pure decisions the pages render: the order as loaded
//! ([`Loaded`]), which actions it offers to whom ([`offered`]), which simulations the sandbox
//! panel shows ([`simulations`]), the refund editor's arithmetic ([`refund`]) and the CSV export
//! ([`export`]).

pub mod export;
pub mod refund;

use frontdesk_core::lifecycle::{self, Action as Step, Shape};
use frontdesk_core::roles::{Action as Permission, Role};
use frontdesk_core::{Endpoint, Money, OrderDetails, OrderKind, OrderStatus, OrderStatusDetail};

/// Everything the page shows about one order.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub details: OrderDetails,
    pub state: OrderStatusDetail,
    pub invoice_number: Option<String>,
    pub events: Vec<crate::api::AuditRow>,
}

impl Loaded {
    /// Refunded øre per product id through Frontdesk.
    pub fn refunded_lines(&self) -> frontdesk_core::requests::RefundedByLine {
        refund::refunded_per_line(
            self.events
                .iter()
                .filter(|e| e.action == Endpoint::Refund.name())
                .map(|e| refund::RefundRecord {
                    idempotency_key: e.idempotency_key.as_deref(),
                    succeeded: (200.0..300.0).contains(&e.status),
                    detail: e.detail.as_deref(),
                }),
        )
    }

    /// The order's amount: the status's `orderAmount`, or (a live server's status has none)
    /// the details' grand total.
    pub fn order_amount(&self) -> Money {
        self.state
            .order_amount
            .unwrap_or(self.details.order_summary.grand_total)
    }

    /// Refunded so far: the status's `refundedAmount`, or (absent) what the refunds made
    /// through Frontdesk add up to, from the proxy's audit.
    pub fn refunded_amount(&self) -> Money {
        self.state
            .refunded_amount
            .unwrap_or_else(|| Money(self.refunded_lines().values().sum()))
    }

    /// What can still be refunded, by core's rule, on the amounts above.
    pub fn left_to_refund(&self) -> Money {
        let known = OrderStatusDetail {
            order_amount: Some(self.order_amount()),
            refunded_amount: Some(self.refunded_amount()),
            ..self.state.clone()
        };
        known.left_to_refund().unwrap_or_default()
    }
}

/// A customer's contact as one line: `+47 46567468, kari@example.no` (what is there of it).
pub fn contact_line(
    country_code: Option<&str>,
    msisdn: Option<&str>,
    email: Option<&str>,
) -> String {
    let phone = country_code.zip(msisdn).map(|(c, m)| format!("{c} {m}"));
    [phone.as_deref(), email]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

/// The four follow-up writes of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FollowUp {
    Resend,
    Cancel,
    Refund,
    DelayedCharge,
}

impl FollowUp {
    pub const ALL: [FollowUp; 4] = [
        FollowUp::Resend,
        FollowUp::DelayedCharge,
        FollowUp::Refund,
        FollowUp::Cancel,
    ];

    const fn step(self) -> Step {
        match self {
            FollowUp::Resend => Step::Resend,
            FollowUp::Cancel => Step::Cancel,
            FollowUp::Refund => Step::Refund,
            FollowUp::DelayedCharge => Step::DelayedCharge,
        }
    }

    pub const fn endpoint(self) -> Endpoint {
        match self {
            FollowUp::Resend => Endpoint::Resend,
            FollowUp::Cancel => Endpoint::Cancel,
            FollowUp::Refund => Endpoint::Refund,
            FollowUp::DelayedCharge => Endpoint::DelayedCharge,
        }
    }

    /// Stable id for test hooks and element ids.
    pub const fn id(self) -> &'static str {
        match self {
            FollowUp::Resend => "resend",
            FollowUp::Cancel => "cancel",
            FollowUp::Refund => "refund",
            FollowUp::DelayedCharge => "delayed-charge",
        }
    }
}

/// The actions to offer: the role may (core's role table, as the proxy enforces it) and the
/// status allows (core's lifecycle, as the sandbox enforces it). Final statuses offer nothing:
/// a REFUNDED order passes the lifecycle but has nothing left to refund.
pub fn offered(role: Option<Role>, kind: OrderKind, status: OrderStatus) -> Vec<FollowUp> {
    let Some(role) = role else {
        return Vec::new();
    };
    if status.is_final() {
        return Vec::new();
    }
    // Whether a payment link may become an invoice matters to no action.
    let shape = Shape {
        kind,
        invoice_option: false,
    };
    FollowUp::ALL
        .into_iter()
        .filter(|a| role.allows(Permission::for_endpoint(a.endpoint())))
        .filter(|a| lifecycle::decide(shape, status, a.step()).is_ok())
        .collect()
}

/// The customer-side events the sandbox panel can simulate, in the order a story goes.
const SIMULATED: [OrderStatus; 6] = [
    OrderStatus::Paid,
    OrderStatus::Reserved,
    OrderStatus::Invoiced,
    OrderStatus::Expired,
    OrderStatus::Reminder,
    OrderStatus::DebtCollection,
];

/// Whether the role may use the sandbox controls (the proxy's rule, from core's role table).
pub fn may_simulate(role: Option<Role>) -> bool {
    role.is_some_and(|r| r.allows(Permission::SandboxControl))
}

/// The simulations the lifecycle allows from `status` (for an admin on a sandbox upstream).
/// Whether a payment link offered invoice is not in the details, so "choose invoice" is shown
/// for every SENT link; the sandbox refuses it (409) when the order did not offer it.
pub fn simulations(role: Option<Role>, kind: OrderKind, status: OrderStatus) -> Vec<OrderStatus> {
    if !may_simulate(role) {
        return Vec::new();
    }
    let shape = Shape {
        kind,
        invoice_option: true,
    };
    SIMULATED
        .into_iter()
        .filter(|to| lifecycle::allowed(shape, status, *to))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    use OrderStatus as S;

    #[wasm_bindgen_test(unsupported = test)]
    fn actions_follow_status_and_role() {
        let link = OrderKind::PaymentLink;
        let admin = Some(Role::Admin);
        assert_eq!(
            offered(admin, link, S::Sent),
            [FollowUp::Resend, FollowUp::Cancel]
        );
        assert_eq!(
            offered(admin, link, S::Reserved),
            [FollowUp::DelayedCharge, FollowUp::Cancel]
        );
        assert_eq!(offered(admin, link, S::Paid), [FollowUp::Refund]);
        assert_eq!(offered(admin, link, S::PartialRefunded), [FollowUp::Refund]);
        // Final statuses offer nothing, REFUNDED included (nothing left).
        for s in [S::Refunded, S::Cancelled, S::Expired, S::Completed] {
            assert!(offered(admin, link, s).is_empty(), "{s}");
        }
        // Invoices are never resent as links; they can be cancelled while unpaid.
        let invoice = OrderKind::Invoice;
        assert_eq!(offered(admin, invoice, S::Invoiced), [FollowUp::Cancel]);
        assert_eq!(offered(admin, invoice, S::Reminder), [FollowUp::Cancel]);
        // Clerks resend only; viewers and anonymous nothing.
        assert_eq!(
            offered(Some(Role::Clerk), link, S::Sent),
            [FollowUp::Resend]
        );
        assert!(offered(Some(Role::Clerk), link, S::Paid).is_empty());
        assert!(offered(Some(Role::Viewer), link, S::Sent).is_empty());
        assert!(offered(None, link, S::Sent).is_empty());
    }

    fn details() -> OrderDetails {
        serde_json::from_value(json!({
            "type": "PAYMENT_LINK", "orderId": "ODR1000000001", "status": "PARTIAL REFUNDED",
            "orderDate": "1764000000",
            "productList": [
                {"id": 1, "name": "Shoes", "quantity": 2, "rate": 200, "discount": 0, "tax": 25, "amount": 400},
                {"id": 2, "name": "Socks", "quantity": 1, "rate": 100, "discount": 0, "tax": 25, "amount": 100}
            ],
            "orderSummary": {"subTotal": 400, "tax": 100, "discount": 0, "grandTotal": 500},
            "customerDetails": {
                "type": "private", "uuid": "CSRT1000000001", "name": "Kari Nordmann",
                "address": {"street": "Gate 1", "zip": "0150", "city": "Oslo", "country": "NO"}
            }
        }))
        .expect("details")
    }

    fn refund_row(key: &str, detail: &str) -> crate::api::AuditRow {
        crate::api::AuditRow {
            id: 1.0,
            at: 0.0,
            actor: "admin".into(),
            role: "admin".into(),
            action: Endpoint::Refund.name().into(),
            order_uuid: Some("ODR1000000001".into()),
            amount_ore: None,
            status: 202.0,
            message: "orderRefundedSuccessfully".into(),
            idempotency_key: Some(key.into()),
            replayed: false,
            detail: Some(detail.into()),
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn amounts_without_the_status_come_from_details_and_audit() {
        // The recorded live server: status by uuid has no amounts.
        let live = Loaded {
            details: details(),
            state: serde_json::from_value(
                json!({"uuid": "ODR1000000001", "status": "PARTIAL REFUNDED"}),
            )
            .expect("status"),
            invoice_number: None,
            events: vec![
                refund_row("a", r#"{"1":10000}"#),
                refund_row("b", r#"{"2":2500}"#),
            ],
        };
        assert_eq!(live.order_amount(), Money::from_kroner(500));
        assert_eq!(live.refunded_amount(), Money(12_500));
        assert_eq!(live.left_to_refund(), Money(37_500));
        // The docs' answer: its amounts win (refunds made elsewhere included).
        let docs = Loaded {
            state: serde_json::from_value(json!({
                "uuid": "ODR1000000001", "status": "PARTIAL REFUNDED",
                "orderAmount": "500.00", "refundedAmount": "200.00"
            }))
            .expect("status"),
            ..live
        };
        assert_eq!(docs.refunded_amount(), Money::from_kroner(200));
        assert_eq!(docs.left_to_refund(), Money::from_kroner(300));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn contact_line_joins_what_is_there() {
        assert_eq!(
            contact_line(Some("+47"), Some("46567468"), Some("k@e.no")),
            "+47 46567468, k@e.no"
        );
        assert_eq!(
            contact_line(None, Some("46567468"), Some("k@e.no")),
            "k@e.no"
        );
        assert_eq!(
            contact_line(Some("+47"), Some("46567468"), None),
            "+47 46567468"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn simulations_follow_the_lifecycle_for_admins_only() {
        let link = OrderKind::PaymentLink;
        assert_eq!(
            simulations(Some(Role::Admin), link, S::Sent),
            [S::Paid, S::Reserved, S::Invoiced, S::Expired]
        );
        assert_eq!(
            simulations(Some(Role::Admin), OrderKind::Ehf, S::Invoiced),
            [S::Paid, S::Reminder]
        );
        assert_eq!(
            simulations(Some(Role::Admin), link, S::Reminder),
            [S::Paid, S::DebtCollection]
        );
        assert!(simulations(Some(Role::Admin), link, S::Paid).is_empty());
        assert!(simulations(Some(Role::Clerk), link, S::Sent).is_empty());
    }
}
