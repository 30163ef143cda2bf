//! What `xtask drift` sends, and nothing else: lookups of a made-up order id, the status list,
//! and creates that no server can accept. Pure: paths and bodies, no I/O.

use frontdesk_core::DateFormat;
use frontdesk_core::endpoint::{BASE_PATH, Endpoint, Method, ORDER_SLOT};
use frontdesk_core::order::UnixTime;
use serde_json::{Value, json};

/// Shaped like an order id (`ODR` + 9 digits) but unlike the ones the server hands out
/// (`ODR3506777330`). Cancel, refund and resend go to it only after status and details have
/// both answered that it does not exist.
pub const MADE_UP_ORDER: &str = "ODR000000001";

/// One request of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// `endpoint` with the made-up order id.
    MadeUpOrder(Endpoint),
    /// The status list: all orders, or `?type=paid` (lower case, as recorded).
    StatusList { paid: bool },
    /// A create built to be refused, its `orderDate` in the given format.
    Create(Endpoint, DateFormat),
}

/// The reads, sent first.
pub const LOOKUPS: [Probe; 5] = [
    Probe::MadeUpOrder(Endpoint::Status),
    Probe::MadeUpOrder(Endpoint::Details),
    Probe::MadeUpOrder(Endpoint::InvoiceNumber),
    Probe::StatusList { paid: false },
    Probe::StatusList { paid: true },
];

/// The writes to the made-up id, with bodies every dialect accepts, so the answer is about the
/// order (not found), as in the recording.
pub const WRITES: [Probe; 3] = [
    Probe::MadeUpOrder(Endpoint::Cancel),
    Probe::MadeUpOrder(Endpoint::Refund),
    Probe::MadeUpOrder(Endpoint::Resend),
];

const CREATES: [Endpoint; 4] = [
    Endpoint::CreatePaymentLink,
    Endpoint::CreateInvoice,
    Endpoint::CreateEFaktura,
    Endpoint::CreateEhf,
];

/// Each create twice: `orderDate` as a Unix timestamp, then as `d M, Y`.
pub fn creates() -> impl Iterator<Item = Probe> {
    CREATES
        .into_iter()
        .flat_map(|endpoint| DateFormat::ALL.map(move |format| Probe::Create(endpoint, format)))
}

impl Probe {
    pub fn method(self) -> Method {
        match self {
            Probe::MadeUpOrder(endpoint) | Probe::Create(endpoint, _) => endpoint.method(),
            Probe::StatusList { .. } => Method::Get,
        }
    }

    /// The full path, from `/api/v1` on.
    pub fn path(self) -> String {
        match self {
            Probe::MadeUpOrder(endpoint) => {
                endpoint.path_template().replace(ORDER_SLOT, MADE_UP_ORDER)
            }
            Probe::StatusList { paid: false } => Endpoint::StatusAll.path_template().to_owned(),
            Probe::StatusList { paid: true } => {
                format!("{}?type=paid", Endpoint::StatusAll.path_template())
            }
            Probe::Create(endpoint, _) => endpoint.path_template().to_owned(),
        }
    }

    /// Short, for the report: `status/ODR000000001`, `ehf/create (orderDate dmy)`.
    pub fn label(self) -> String {
        let path = self.path();
        let prefix = format!("{BASE_PATH}/connect/orders/");
        let short = path.strip_prefix(&prefix).unwrap_or(&path);
        match self {
            Probe::Create(_, format) => format!("{short} (orderDate {format})"),
            _ => short.to_owned(),
        }
    }

    /// The JSON body of a POST; `None` for a GET.
    pub fn body(self, now_unix: i64) -> Option<Value> {
        match self {
            Probe::MadeUpOrder(Endpoint::Cancel) => Some(json!({
                "cancellationNote": "cargo xtask drift: probe of an order id that does not exist"
            })),
            // The recording's refund body.
            Probe::MadeUpOrder(Endpoint::Refund) => Some(json!({
                "type": "regular",
                "grandTotal": 55,
                "products": [{"id": 451, "amount": 30}, {"id": 452, "amount": 25}],
                "source": null,
                "reference": null
            })),
            // E-mail only (enough for a resend): no phone number anyone owns.
            Probe::MadeUpOrder(Endpoint::Resend) => {
                Some(json!({"email": "drift-probe@example.com"}))
            }
            Probe::MadeUpOrder(_) | Probe::StatusList { .. } => None,
            Probe::Create(endpoint, format) => Some(refused_create(endpoint, format, now_unix)),
        }
    }
}

/// A create in the shape the recorded client sent (members the docs do not list included) that
/// no dialect can accept, whatever date format the server takes: no product lines, and no
/// customer name or address, which every kind requires in the docs' tables and on the recorded
/// server. EHF keeps the rest of its recorded customer and leaves out what the recorded server
/// demanded for EHF (`sendOrderBy.*`, `isCreditCheckAvailable`, `invoiceAsPaymentOption`,
/// `customerDetails.preferredLanguage`), so its answer tells whether it still does. `orderDate`
/// is tomorrow, so a sentence about it can only be about its format.
pub fn refused_create(endpoint: Endpoint, format: DateFormat, now_unix: i64) -> Value {
    let tomorrow = UnixTime(now_unix + 86_400);
    let order_date = match format {
        DateFormat::Unix => tomorrow.0.to_string(),
        DateFormat::Dmy => tomorrow.to_dmy(),
    };
    let mut body = json!({
        "products": [],
        "orderSummary": {
            "subTotal": "51.00", "totalTax": "0.00", "totalDiscount": "0.00", "grandTotal": "51.00"
        },
        "orderDate": order_date,
        "internalReferences": {"referenceNo": "drift-probe", "notes": "made to be refused"}
    });
    let by_kind = match endpoint {
        Endpoint::CreateEhf => json!({
            "customerDetails": {
                "type": "corporate", "countryCode": "+47", "msisdn": "46567468",
                "email": "drift-probe@example.com", "organizationId": "123456789"
            },
            "invoiceInterval": 0, "separateInvoices": true, "invoiceMaturity": 14
        }),
        Endpoint::CreatePaymentLink => json!({
            "sendOrderBy": {"sms": false, "email": true, "invoice": false},
            "invoiceAsPaymentOption": false, "isCreditCheckAvailable": false
        }),
        _ => json!({
            "sendOrderBy": {"sms": false, "email": false, "invoice": true},
            "invoiceAsPaymentOption": false, "isCreditCheckAvailable": false,
            "invoiceInterval": 0, "separateInvoices": true
        }),
    };
    if let (Some(target), Value::Object(members)) = (body.as_object_mut(), by_kind) {
        target.extend(members);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::validate::{Context, validate_create};
    use frontdesk_core::{Dialect, OrderId};

    /// 2025-07-15 19:42 UTC, the recording's day.
    const NOW: i64 = 1_752_608_548;

    #[test]
    fn no_dialect_can_accept_a_probe_create() {
        for probe in creates() {
            let Probe::Create(endpoint, _) = probe else {
                panic!("not a create: {probe:?}");
            };
            let kind = endpoint.kind().expect("a create endpoint has a kind");
            let body = probe.body(NOW).expect("a create has a body");
            assert!(body.pointer("/customerDetails/name").is_none());
            for dialect in Dialect::ALL {
                let ctx = Context::new(NOW).with_dialect(dialect);
                let report =
                    validate_create(kind, &body, &ctx).expect_err("a probe create must be refused");
                for field in ["customerDetails.name", "customerDetails.address.street"] {
                    assert!(report.has_error(field), "{probe:?} {dialect}: {field}");
                }
            }
        }
    }

    #[test]
    fn order_dates_are_tomorrow_in_the_asked_format() {
        let unix = refused_create(Endpoint::CreateInvoice, DateFormat::Unix, NOW);
        assert_eq!(unix["orderDate"], json!((NOW + 86_400).to_string()));
        let dmy = refused_create(Endpoint::CreateInvoice, DateFormat::Dmy, NOW);
        assert_eq!(dmy["orderDate"], json!("16 Jul, 2025"));
    }

    #[test]
    fn every_path_is_an_endpoint_of_core() {
        assert!(MADE_UP_ORDER.parse::<OrderId>().is_ok());
        let plan: Vec<Probe> = LOOKUPS.into_iter().chain(WRITES).chain(creates()).collect();
        assert_eq!(plan.len(), 16);
        for probe in plan {
            let routed = Endpoint::route(probe.method().as_str(), &probe.path());
            let want = match probe {
                Probe::MadeUpOrder(endpoint) | Probe::Create(endpoint, _) => endpoint,
                Probe::StatusList { .. } => Endpoint::StatusAll,
            };
            assert_eq!(routed.map(|(endpoint, _)| endpoint), Ok(want), "{probe:?}");
            assert_eq!(probe.body(NOW).is_some(), probe.method() == Method::Post);
        }
        assert_eq!(
            Probe::MadeUpOrder(Endpoint::Status).label(),
            "status/ODR000000001"
        );
        assert_eq!(
            Probe::Create(Endpoint::CreateEhf, DateFormat::Dmy).label(),
            "ehf/create (orderDate dmy)"
        );
    }
}
