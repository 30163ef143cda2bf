//! The order routes of the proxy: `GET /console/orders` (the index, a page at a time),
//! `GET /console/orders/{uuid}` and `PUT …/note` (what the proxy keeps of one order) and
//! `POST /console/sync`.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::{Money, TaxRate};
use crate::order::{CreateOrder, MathError, Product, vat_by_rate};
use crate::status::{OrderKind, OrderStatus};

/// The body of `PUT /console/orders/{uuid}/note`, and the audit `detail` of that write:
/// `{"note": "…"}`; `null` or blank clears the note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteRequest {
    #[serde(default)]
    pub note: Option<String>,
}

/// VAT due per rate (after the discount), as JSON `{"2500": 18000}`: rate in basis points →
/// øre. Only rates that the order's lines use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VatByRate(pub BTreeMap<TaxRate, Money>);

impl VatByRate {
    /// Core's VAT per rate of these lines.
    pub fn of(products: &[Product]) -> Result<VatByRate, MathError> {
        vat_by_rate(products).map(VatByRate)
    }
}

impl Serialize for VatByRate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            self.0
                .iter()
                .map(|(rate, vat)| (rate.basis_points().to_string(), vat.0)),
        )
    }
}

impl<'de> Deserialize<'de> for VatByRate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, i64>::deserialize(d)?;
        raw.into_iter()
            .map(|(bp, ore)| {
                bp.parse::<i64>()
                    .map(|bp| (TaxRate(bp), Money(ore)))
                    .map_err(|_| serde::de::Error::custom("a VAT rate in basis points"))
            })
            .collect::<Result<_, _>>()
            .map(VatByRate)
    }
}

/// `GET /console/orders/{uuid}` (and the answer of a note write): what the proxy knows of an
/// order beyond the API's details. Everything is optional: an order known from a sync has a
/// status and little else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrderRecord {
    pub uuid: String,
    /// `proxy` (created through Frontdesk), `sync` or `callback` (known by status only).
    pub source: String,
    pub kind: Option<OrderKind>,
    pub created_by: Option<String>,
    /// Unix milliseconds.
    pub created_at: Option<i64>,
    /// From the request, for the order page (the API's details leave these out).
    pub first_name: Option<String>,
    /// First name and name as a person reads them ([`crate::CustomerDetails::full_name`]).
    pub full_name: Option<String>,
    pub reference_no: Option<String>,
    pub customer_reference: Option<String>,
    /// The note sent with a cancel through Frontdesk.
    pub cancellation_note: Option<String>,
    /// The internal note: kept by the proxy, never sent upstream.
    pub note: Option<String>,
    /// Who wrote the note (`user:alice`) and when (Unix milliseconds).
    pub note_by: Option<String>,
    pub note_at: Option<i64>,
    pub vat: Option<VatByRate>,
    pub invoice_number: Option<String>,
    /// Refunded so far, øre: as the API last said, else the refunds made through Frontdesk.
    pub refunded_ore: Option<i64>,
    /// The create request as validated: every field the order was sent with (address,
    /// maturity, sending choices, lines, …).
    pub request: Option<CreateOrder>,
}

impl OrderRecord {
    /// Fill the request's own members (first name, references) from `request`.
    pub fn with_request(mut self, request: CreateOrder) -> OrderRecord {
        let nonblank = |s: &Option<String>| s.clone().filter(|v| !v.trim().is_empty());
        self.first_name = nonblank(&request.customer_details.first_name);
        self.reference_no = nonblank(&request.reference_no);
        self.customer_reference = nonblank(&request.customer_reference);
        self.request = Some(request);
        self
    }
}

/// One order of the index (`GET /console/orders`): what the list, the search and the
/// bookkeeper's CSV show. Times are Unix milliseconds, `order_date` Unix seconds, amounts øre.
/// Every member is present on the wire (`null` when unknown): an order known from a sync has
/// a status and little else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IndexedOrder {
    pub uuid: String,
    pub customer_uuid: Option<String>,
    pub kind: Option<OrderKind>,
    /// The name as indexed (last name first for search).
    pub customer_name: Option<String>,
    /// First name and name as a person reads them ([`crate::CustomerDetails::full_name`];
    /// orders created through the proxy).
    pub full_name: Option<String>,
    pub first_name: Option<String>,
    pub email: Option<String>,
    /// Digits with the calling code (orders indexed before the calling code was kept apart).
    pub phone: Option<String>,
    pub country_code: Option<String>,
    pub msisdn: Option<String>,
    pub reference: Option<String>,
    pub customer_reference: Option<String>,
    pub org_number: Option<String>,
    /// Masked (`010190*****`) unless an admin asks.
    pub personal_number: Option<String>,
    pub amount_ore: Option<i64>,
    pub vat: Option<VatByRate>,
    /// Refunded so far, øre (as [`OrderRecord::refunded_ore`]).
    pub refunded_ore: Option<i64>,
    pub status: Option<OrderStatus>,
    pub invoice_number: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub order_date: Option<i64>,
    /// Days until due (invoice kinds).
    pub invoice_maturity: Option<i64>,
    /// `proxy` (created here) or `sync` / `callback` (known by status only).
    pub source: String,
}

impl IndexedOrder {
    /// The order's amount as money.
    pub fn amount(&self) -> Option<Money> {
        self.amount_ore.map(Money)
    }

    /// Refunded so far as money.
    pub fn refunded(&self) -> Option<Money> {
        self.refunded_ore.map(Money)
    }

    /// Known by status only (from a sync or a callback), not created through Frontdesk.
    pub fn is_status_only(&self) -> bool {
        self.source != "proxy"
    }
}

/// A page of `GET /console/orders`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrdersPage {
    pub items: Vec<IndexedOrder>,
    /// The cursor of the next page; `None` on the last.
    pub next_cursor: Option<String>,
    /// Per status over the search (`UNKNOWN` for orders without one); empty when capped.
    pub counts: BTreeMap<String, i64>,
    /// Orders matching the filter (the cap when `counts_capped`).
    pub total: i64,
    /// A search matched more than the proxy counts: `total` is that cap, `counts` empty.
    pub counts_capped: bool,
}

impl OrdersPage {
    /// All orders over the search, every status.
    pub fn counted(&self) -> i64 {
        self.counts.values().sum()
    }

    /// Orders over the search with this status (`0` when none).
    pub fn count_of(&self, status: OrderStatus) -> i64 {
        self.counts.get(status.as_str()).copied().unwrap_or(0)
    }
}

/// The answer of `POST /console/sync`: orders Get All Order Status listed, and how many of
/// them changed in the index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Synced {
    pub listed: usize,
    pub changed: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn record_shapes() {
        let vat = VatByRate([(TaxRate(2500), Money(18_000)), (TaxRate(0), Money(0))].into());
        let j = serde_json::to_value(&vat).unwrap();
        assert_eq!(j, json!({"0": 0, "2500": 18000}));
        assert_eq!(serde_json::from_value::<VatByRate>(j).unwrap(), vat);
        assert!(serde_json::from_value::<VatByRate>(json!({"x": 1})).is_err());
        let r: OrderRecord =
            serde_json::from_value(json!({"uuid": "ODR1000000001", "source": "sync"})).unwrap();
        assert_eq!((r.request, r.note, r.vat), (None, None, None));
        let j = serde_json::to_value(OrderRecord {
            note: Some("Call after 16".into()),
            ..OrderRecord::default()
        })
        .unwrap();
        for member in [
            "firstName",
            "fullName",
            "referenceNo",
            "customerReference",
            "cancellationNote",
            "note",
            "noteBy",
            "noteAt",
            "vat",
            "invoiceNumber",
            "refundedOre",
            "request",
        ] {
            assert!(j.get(member).is_some(), "{member}");
        }
        let n: NoteRequest = serde_json::from_value(json!({"note": null})).unwrap();
        assert_eq!(n.note, None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn index_page_shapes() {
        let order = IndexedOrder {
            uuid: "ODR1000000001".into(),
            kind: Some(OrderKind::Invoice),
            amount_ore: Some(40_000),
            status: Some(OrderStatus::Paid),
            created_at: 1_700_000_000_000,
            source: "proxy".into(),
            ..IndexedOrder::default()
        };
        let j = serde_json::to_value(&order).unwrap();
        assert_eq!(j["amountOre"], json!(40000));
        assert_eq!(
            (j["kind"].clone(), j["status"].clone()),
            (json!("INVOICE"), json!("PAID"))
        );
        for member in [
            "customerUuid",
            "customerName",
            "fullName",
            "firstName",
            "countryCode",
            "msisdn",
            "customerReference",
            "orgNumber",
            "personalNumber",
            "refundedOre",
            "invoiceNumber",
            "createdBy",
            "updatedAt",
            "orderDate",
            "invoiceMaturity",
            "source",
        ] {
            assert!(j.get(member).is_some(), "{member}");
        }
        assert_eq!(serde_json::from_value::<IndexedOrder>(j).unwrap(), order);
        assert_eq!(order.amount(), Some(Money(40_000)));
        assert!(!order.is_status_only());
        let page: OrdersPage = serde_json::from_value(json!({
            "items": [], "nextCursor": null, "counts": {"PAID": 2, "UNKNOWN": 1}, "total": 3
        }))
        .unwrap();
        assert_eq!((page.counted(), page.count_of(OrderStatus::Paid)), (3, 2));
        assert!(!page.counts_capped);
        assert_eq!(
            serde_json::to_value(Synced {
                listed: 2,
                changed: 1
            })
            .unwrap(),
            json!({"listed": 2, "changed": 1})
        );
    }
}
