//! Following up an order, as data and pure decisions the pages render: the order as loaded
//! ([`Loaded`]), which actions it offers to whom ([`offered`]) and why others are missing
//! ([`reason`]), which simulations the sandbox panel shows ([`simulations`]), what the facts
//! show ([`refundable`], [`link_due`], [`customer_name`], [`shown_personal_number`]), the payload
//! "Duplicate" starts from ([`create_payload`]), the refund editor's arithmetic ([`refund`])
//! and the CSV export ([`export`]).

pub mod export;
pub mod refund;

use frontdesk_core::lifecycle::{self, Action as Step, Shape};
use frontdesk_core::roles::{Action as Permission, Role};
use frontdesk_core::{
    CustomerDetails, Endpoint, Money, OrderDetails, OrderKind, OrderStatus, OrderStatusDetail,
};
use serde_json::{Value, json};

use crate::api::OrderRecord;

/// Everything the page shows about one order.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub details: OrderDetails,
    pub state: OrderStatusDetail,
    pub invoice_number: Option<String>,
    pub events: Vec<crate::api::AuditRow>,
    /// What the proxy keeps of the order (first name, references, notes); `None` when it could
    /// not be read (then the internal note is not editable: nothing may overwrite it blind).
    pub record: Option<OrderRecord>,
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
                    succeeded: e.succeeded(),
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

/// The customer's name as a person reads it: the proxy's full name, else core's
/// `CustomerDetails::full_name` of the record's first name and the details' name.
pub fn customer_name(l: &Loaded) -> String {
    let record = l.record.as_ref();
    record.and_then(|r| r.full_name.clone()).unwrap_or_else(|| {
        CustomerDetails {
            first_name: record.and_then(|r| r.first_name.clone()),
            name: l.details.customer_details.name.clone(),
            ..CustomerDetails::default()
        }
        .full_name()
    })
}

/// A personal number as this role may see it: whole for admins, else masked by core
/// (`010100*****`).
pub fn shown_personal_number(role: Option<Role>, number: &str) -> String {
    if role == Some(Role::Admin) {
        number.to_owned()
    } else {
        frontdesk_core::ids::fnr::mask(number)
    }
}

/// Who may write the internal note (core's role table, as the proxy enforces it); everyone
/// signed in reads it.
pub fn may_edit_note(role: Option<Role>) -> bool {
    role.is_some_and(|r| r.allows(Permission::ConsoleNote))
}

/// Whether refunds apply to the order now (core's lifecycle): only then are "Refunded" and
/// "Left to refund" worth showing.
pub fn refundable(kind: OrderKind, status: OrderStatus) -> bool {
    lifecycle::decide(shape(kind), status, Step::Refund).is_ok()
}

/// What a payment link's due date means now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkDue {
    /// The customer can still pay until then.
    ValidUntil,
    /// The link expired then.
    ExpiredOn,
}

/// How to show a payment link's due date in this status (`None`: it no longer matters).
pub fn link_due(kind: OrderKind, status: OrderStatus) -> Option<LinkDue> {
    if status == OrderStatus::Expired {
        Some(LinkDue::ExpiredOn)
    } else if lifecycle::expires(kind, status) {
        Some(LinkDue::ValidUntil)
    } else {
        None
    }
}

/// The create payload the order was sent with: what "Duplicate" prefills the form from
/// (through the draft's own reader, `OrderDraft::from_payload`). The proxy's copy of the request
/// when it kept one (without the callback, which is the proxy's to fill in), else what the
/// details and the record know.
pub fn create_payload(l: &Loaded) -> Value {
    let kept = l
        .record
        .as_ref()
        .and_then(|r| r.request.as_ref())
        .and_then(|r| serde_json::to_value(r).ok());
    match kept {
        Some(mut sent) => {
            if let Some(o) = sent.as_object_mut() {
                o.remove("callback");
            }
            sent
        }
        None => details_payload(l),
    }
}

/// [`create_payload`] from the details and the record; sending options follow the contact
/// there is.
fn details_payload(l: &Loaded) -> Value {
    let c = &l.details.customer_details;
    let record = l.record.clone().unwrap_or_default();
    let products: Vec<Value> = l
        .details
        .product_list
        .iter()
        .map(|p| {
            json!({
                "name": p.name,
                "productId": p.product_id,
                "quantity": p.quantity.to_string(),
                "rate": p.rate.to_api_string(),
                "discount": (p.discount > Money::ZERO).then(|| p.discount.to_api_string()),
                "tax": p.tax.to_string()
            })
        })
        .collect();
    json!({
        "products": products,
        "sendOrderBy": {"sms": c.msisdn.is_some(), "email": c.email.is_some()},
        "customerDetails": {
            "type": c.customer_type.as_str(),
            "countryCode": c.country_code,
            "msisdn": c.msisdn,
            "email": c.email,
            "firstName": record.first_name,
            "name": c.name,
            "preferredLanguage": c.preferred_language.as_str(),
            "personalNumber": c.personal_number,
            "organizationId": c.organization_id,
            "address": {
                "street": c.address.street,
                "zip": c.address.zip,
                "city": c.address.city,
                "country": c.address.country
            }
        },
        "referenceNo": record.reference_no,
        "customerReference": record.customer_reference
    })
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

    /// What core's role table calls it.
    pub const fn permission(self) -> Permission {
        Permission::for_endpoint(self.endpoint())
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

/// The order's shape for the actions: whether a payment link may become an invoice matters
/// to none of them.
const fn shape(kind: OrderKind) -> Shape {
    Shape {
        kind,
        invoice_option: false,
    }
}

/// The actions the status allows (core's lifecycle, as the sandbox enforces it), whoever asks.
/// Final statuses allow nothing: a REFUNDED order passes the lifecycle but has nothing left to
/// refund.
fn status_allows(kind: OrderKind, status: OrderStatus) -> Vec<FollowUp> {
    if status.is_final() {
        return Vec::new();
    }
    FollowUp::ALL
        .into_iter()
        .filter(|a| lifecycle::decide(shape(kind), status, a.step()).is_ok())
        .collect()
}

/// The actions to offer: the status allows and the role may (core's role table, as the proxy
/// enforces it).
pub fn offered(role: Option<Role>, kind: OrderKind, status: OrderStatus) -> Vec<FollowUp> {
    let Some(role) = role else {
        return Vec::new();
    };
    status_allows(kind, status)
        .into_iter()
        .filter(|a| role.allows(a.permission()))
        .collect()
}

/// Why an order page offers less than everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The status allows these, the role does not: each with the least role that may.
    Role {
        role: Role,
        withheld: Vec<(FollowUp, Role)>,
    },
    /// The status allows nothing (more).
    Status(OrderStatus),
}

/// Why actions are missing, if any are: the role (what the status allows but the role may not)
/// or else the status (it allows nothing).
pub fn reason(role: Option<Role>, kind: OrderKind, status: OrderStatus) -> Option<Reason> {
    let role = role?;
    let possible = status_allows(kind, status);
    let withheld: Vec<(FollowUp, Role)> = possible
        .iter()
        .filter(|a| !role.allows(a.permission()))
        .map(|a| (*a, a.permission().min_role()))
        .collect();
    if !withheld.is_empty() {
        return Some(Reason::Role { role, withheld });
    }
    possible.is_empty().then_some(Reason::Status(status))
}

/// The writes a person may do with orders, in the order the reasons name them.
pub const ABILITIES: [Permission; 5] = [
    Permission::Create,
    Permission::Resend,
    Permission::Cancel,
    Permission::Refund,
    Permission::DelayedCharge,
];

/// What of [`ABILITIES`] the role may (core's role table).
pub fn abilities(role: Role) -> Vec<Permission> {
    ABILITIES.into_iter().filter(|a| role.allows(*a)).collect()
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
            id: 1,
            actor: "admin".into(),
            role: "admin".into(),
            action: Endpoint::Refund.name().into(),
            order_uuid: Some("ODR1000000001".into()),
            status: 202,
            message: "orderRefundedSuccessfully".into(),
            idempotency_key: Some(key.into()),
            detail: Some(detail.into()),
            ..crate::api::AuditRow::default()
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
            record: None,
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

    #[wasm_bindgen_test(unsupported = test)]
    fn reasons_name_the_role_or_the_status() {
        let link = OrderKind::PaymentLink;
        // A clerk on a PAID order: the status allows a refund, the role does not.
        assert_eq!(
            reason(Some(Role::Clerk), link, S::Paid),
            Some(Reason::Role {
                role: Role::Clerk,
                withheld: vec![(FollowUp::Refund, Role::Admin)],
            })
        );
        // A clerk on a SENT link may resend; cancelling needs an admin.
        assert_eq!(
            reason(Some(Role::Clerk), link, S::Sent),
            Some(Reason::Role {
                role: Role::Clerk,
                withheld: vec![(FollowUp::Cancel, Role::Admin)],
            })
        );
        // A viewer: each action with the least role that may.
        assert_eq!(
            reason(Some(Role::Viewer), link, S::Sent),
            Some(Reason::Role {
                role: Role::Viewer,
                withheld: vec![
                    (FollowUp::Resend, Role::Clerk),
                    (FollowUp::Cancel, Role::Admin)
                ],
            })
        );
        // The status: nothing for anyone.
        for role in Role::ALL {
            assert_eq!(
                reason(Some(role), link, S::Refunded),
                Some(Reason::Status(S::Refunded))
            );
        }
        // An admin with actions offered: nothing to explain.
        assert_eq!(reason(Some(Role::Admin), link, S::Sent), None);
        assert_eq!(reason(None, link, S::Sent), None);
        assert!(abilities(Role::Viewer).is_empty());
        assert_eq!(
            abilities(Role::Clerk),
            [Permission::Create, Permission::Resend]
        );
        assert_eq!(abilities(Role::Admin), ABILITIES);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refunds_and_due_dates_show_only_where_they_apply() {
        let link = OrderKind::PaymentLink;
        for s in [S::Paid, S::PartialRefunded, S::Refunded] {
            assert!(refundable(link, s), "{s}");
        }
        for s in [S::Sent, S::Cancelled, S::Expired, S::Reserved, S::Invoiced] {
            assert!(!refundable(link, s), "{s}");
        }
        assert_eq!(link_due(link, S::Sent), Some(LinkDue::ValidUntil));
        assert_eq!(link_due(link, S::Expired), Some(LinkDue::ExpiredOn));
        assert_eq!(link_due(link, S::Paid), None);
        assert_eq!(link_due(link, S::Cancelled), None);
        assert_eq!(link_due(OrderKind::Invoice, S::Invoiced), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn names_and_personal_numbers_as_shown() {
        let with = |record: Option<OrderRecord>| Loaded {
            details: details(),
            state: serde_json::from_value(json!({"uuid": "ODR1000000001", "status": "PAID"}))
                .expect("status"),
            invoice_number: None,
            events: Vec::new(),
            record,
        };
        // The details' name is "Kari Nordmann": a first name "Kari" is not said twice.
        let first = |f: &str| OrderRecord {
            first_name: Some(f.into()),
            ..OrderRecord::default()
        };
        assert_eq!(customer_name(&with(None)), "Kari Nordmann");
        assert_eq!(customer_name(&with(Some(first("Kari")))), "Kari Nordmann");
        assert_eq!(
            customer_name(&with(Some(first("Anne")))),
            "Anne Kari Nordmann"
        );
        let full = OrderRecord {
            full_name: Some("Kari Nordmann".into()),
            ..OrderRecord::default()
        };
        assert_eq!(customer_name(&with(Some(full))), "Kari Nordmann");
        assert_eq!(
            shown_personal_number(Some(Role::Admin), "01010012356"),
            "01010012356"
        );
        for role in [Some(Role::Clerk), Some(Role::Viewer), None] {
            assert_eq!(shown_personal_number(role, "01010012356"), "010100*****");
        }
        assert!(may_edit_note(Some(Role::Clerk)) && may_edit_note(Some(Role::Admin)));
        assert!(!may_edit_note(Some(Role::Viewer)) && !may_edit_note(None));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn duplicate_starts_from_what_was_sent() {
        let mut l = Loaded {
            details: details(),
            state: serde_json::from_value(json!({"uuid": "ODR1000000001", "status": "PAID"}))
                .expect("status"),
            invoice_number: None,
            events: Vec::new(),
            record: Some(OrderRecord {
                first_name: Some("Kari".into()),
                reference_no: Some("REF-7".into()),
                customer_reference: Some("Att. Kari".into()),
                ..OrderRecord::default()
            }),
        };
        l.details.customer_details.email = Some("kari@example.no".into());
        let p = create_payload(&l);
        assert_eq!(p["customerDetails"]["firstName"], "Kari");
        assert_eq!(p["customerDetails"]["name"], "Kari Nordmann");
        assert_eq!(p["customerDetails"]["address"]["city"], "Oslo");
        assert_eq!(p["referenceNo"], "REF-7");
        assert_eq!(p["customerReference"], "Att. Kari");
        assert_eq!(p["sendOrderBy"], json!({"sms": false, "email": true}));
        assert_eq!(p["products"][0]["rate"], "200.00");
        assert_eq!(p["products"][0]["quantity"], "2");
        assert_eq!(p["products"][1]["tax"], "25");
        // The form reads it back through the draft's own reader.
        let draft = crate::draft::OrderDraft::from_payload(OrderKind::PaymentLink, &p);
        assert_eq!(draft.text("customerDetails.firstName"), "Kari");
        assert_eq!(draft.text("referenceNo"), "REF-7");
        assert_eq!(draft.lines.len(), 2);
        assert_eq!(draft.lines[1].name, "Socks");
        // The proxy's copy of the request wins: everything it was sent with, but the callback.
        let sent: frontdesk_core::CreateOrder = serde_json::from_value(json!({
            "products": [{"name": "Tea", "quantity": "3", "rate": "12.50", "tax": "15", "amount": "37.50"}],
            "orderSummary": {"subTotal": "32.61", "totalTax": "4.89", "totalDiscount": "0.00", "grandTotal": "37.50"},
            "orderDate": "1764000000",
            "customerDetails": {"name": "Nordmann", "firstName": "Ola", "address": {"street": "Gate 1", "zip": "0150", "city": "Oslo", "country": "NO"}},
            "invoiceMaturity": 30,
            "callback": {"callbackUrl": "https://proxy.example/callbacks/frontpayment"}
        }))
        .expect("a create request");
        l.record = Some(OrderRecord {
            request: Some(sent),
            ..OrderRecord::default()
        });
        let p = create_payload(&l);
        assert!(p.get("callback").is_none());
        let draft = crate::draft::OrderDraft::from_payload(OrderKind::Invoice, &p);
        assert_eq!(
            (
                draft.text("customerDetails.firstName"),
                draft.text("customerDetails.name")
            ),
            ("Ola", "Nordmann")
        );
        assert_eq!(draft.invoice_maturity, "30");
        assert_eq!(draft.lines.len(), 1);
        assert_eq!(draft.lines[0].name, "Tea");
    }
}
