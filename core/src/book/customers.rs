//! A customer of the book: the order form's customer block plus what the proxy knows beside
//! it, the body that creates or changes one, and what a data-protection request reads back.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::customer::CustomerDetails;
use crate::ids::fnr;

/// One customer: private or business (`customerDetails.type`), with the fields of the order
/// form's customer block (names, calling code and msisdn, email, personal or organisation
/// number, address, language), Front Payment's `customerUuid` once an order told it, the
/// merchant's notes, and who created and last changed it (principal ids, Unix milliseconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// `cus_` and 20 hex digits, given by the proxy.
    pub id: String,
    pub customer_details: CustomerDetails,
    #[serde(default)]
    pub customer_uuid: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Archived customers are not offered in the order form.
    #[serde(default)]
    pub archived: bool,
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
    pub updated_by: String,
}

impl Customer {
    /// The customer as a viewer reads it: the personal number shows its date part only
    /// ([`fnr::mask`], as in the orders list). Clerks and admins need it whole to send orders.
    pub fn masked(mut self) -> Customer {
        if let Some(pn) = self.customer_details.personal_number.as_mut() {
            *pn = fnr::mask(pn);
        }
        self
    }

    /// The customer after an order was sent to them: what the order says wins, what it left
    /// out (an email on an SMS-only link, a language) stays; notes stay; Front Payment's
    /// `customerUuid` is kept once known.
    pub fn remembering(
        mut self,
        order: &CustomerDetails,
        customer_uuid: Option<&str>,
        by: &str,
        at: i64,
    ) -> Customer {
        let book = &self.customer_details;
        let keep = |new: &Option<String>, old: &Option<String>| new.clone().or_else(|| old.clone());
        self.customer_details = CustomerDetails {
            customer_type: order.customer_type.or(book.customer_type),
            country_code: keep(&order.country_code, &book.country_code),
            msisdn: keep(&order.msisdn, &book.msisdn),
            email: keep(&order.email, &book.email),
            first_name: keep(&order.first_name, &book.first_name),
            name: order.name.clone(),
            preferred_language: order.preferred_language.or(book.preferred_language),
            personal_number: keep(&order.personal_number, &book.personal_number),
            organization_id: keep(&order.organization_id, &book.organization_id),
            address: order.address.clone(),
        };
        self.customer_uuid = customer_uuid.map(str::to_owned).or(self.customer_uuid);
        self.updated_at = at;
        self.updated_by = by.to_owned();
        self
    }

    /// The names of the fields `input` changes, for the audit row (names, never values: the
    /// audit log keeps no personal data of the book).
    pub fn changed_fields(&self, input: &CustomerInput) -> Vec<String> {
        let before = serde_json::to_value(&self.customer_details).unwrap_or_default();
        let after = serde_json::to_value(&input.customer_details).unwrap_or_default();
        let mut changed = Vec::new();
        diff("customerDetails", &before, &after, &mut changed);
        if self.notes != input.notes {
            changed.push("notes".to_owned());
        }
        changed
    }
}

/// The dotted paths under `path` where `a` and `b` differ (objects member by member).
fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let null = Value::Null;
                let (l, r) = (x.get(k).unwrap_or(&null), y.get(k).unwrap_or(&null));
                diff(&format!("{path}.{k}"), l, r, out);
            }
        }
        _ if a != b => out.push(path.to_owned()),
        _ => {}
    }
}

/// The body of `POST /console/customers` and `PUT /console/customers/{id}`, as
/// `validate_book_customer` accepts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerInput {
    pub customer_details: CustomerDetails,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl CustomerInput {
    /// A new book entry from this input (`id` from the proxy, `by` a principal id).
    pub fn into_customer(self, id: String, by: &str, at: i64) -> Customer {
        Customer {
            id,
            customer_details: self.customer_details,
            customer_uuid: None,
            notes: self.notes,
            archived: false,
            created_at: at,
            created_by: by.to_owned(),
            updated_at: at,
            updated_by: by.to_owned(),
        }
    }

    /// `customer` with this input's details and notes (its id, uuid, state and creation stay).
    pub fn applied_to(self, customer: Customer, by: &str, at: i64) -> Customer {
        Customer {
            customer_details: self.customer_details,
            notes: self.notes,
            updated_at: at,
            updated_by: by.to_owned(),
            ..customer
        }
    }
}

/// `GET /console/customers/{id}/export`: everything the proxy keeps about one customer (a data
/// subject's access request): the book entry, the indexed orders sent to them (with what they
/// were sent with) and the audit rows about them or their orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerExport {
    pub customer: Customer,
    pub orders: Vec<Value>,
    pub audit: Vec<Value>,
    /// Unix milliseconds.
    pub exported_at: i64,
}

/// The answer of `DELETE /console/customers/{id}` (erasure): the entry is gone, and this many
/// orders and audit rows were anonymised. Order ids, amounts, VAT and statuses stay: Norwegian
/// bookkeeping law keeps them five years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Erasure {
    pub id: String,
    pub orders: usize,
    pub audit_rows: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::{Address, CustomerType, Language};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn details() -> CustomerDetails {
        CustomerDetails {
            customer_type: Some(CustomerType::Private),
            country_code: Some("+47".into()),
            msisdn: Some("46567468".into()),
            email: Some("kari@example.com".into()),
            first_name: Some("Kari".into()),
            name: "Nordmann".into(),
            preferred_language: Some(Language::En),
            personal_number: Some("01010012356".into()),
            organization_id: None,
            address: Address {
                street: "Luramyrveien 65".into(),
                zip: "4313".into(),
                city: "Sandnes".into(),
                country: "NO".into(),
            },
        }
    }

    fn kari() -> Customer {
        CustomerInput {
            customer_details: details(),
            notes: Some("VIP".into()),
        }
        .into_customer("cus_1".into(), "user:kari", 1)
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn viewers_see_the_date_part_only() {
        let m = kari().masked();
        assert_eq!(
            m.customer_details.personal_number.as_deref(),
            Some("010100*****")
        );
        let j = serde_json::to_value(kari()).unwrap();
        assert_eq!(j["customerDetails"]["type"], "private");
        assert_eq!(j["customerUuid"], Value::Null);
        assert_eq!(j["createdBy"], "user:kari");
        assert_eq!(serde_json::from_value::<Customer>(j).unwrap(), kari());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn an_order_updates_what_it_says_and_keeps_the_rest() {
        let order = CustomerDetails {
            email: None,
            preferred_language: None,
            msisdn: Some("91234567".into()),
            address: Address {
                street: "Storgata 1".into(),
                ..details().address
            },
            ..details()
        };
        let after = kari().remembering(&order, Some("CSRT1000000001"), "key:ci", 9);
        let d = &after.customer_details;
        assert_eq!(d.email.as_deref(), Some("kari@example.com"));
        assert_eq!(d.preferred_language, Some(Language::En));
        assert_eq!(d.msisdn.as_deref(), Some("91234567"));
        assert_eq!(d.address.street, "Storgata 1");
        assert_eq!(after.notes.as_deref(), Some("VIP"));
        assert_eq!(after.customer_uuid.as_deref(), Some("CSRT1000000001"));
        assert_eq!((after.updated_at, after.created_at), (9, 1));
        // A later order without a uuid keeps the one known.
        let again = after.remembering(&order, None, "key:ci", 10);
        assert_eq!(again.customer_uuid.as_deref(), Some("CSRT1000000001"));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn audit_rows_name_the_changed_fields_only() {
        let mut input = CustomerInput {
            customer_details: details(),
            notes: None,
        };
        input.customer_details.address.zip = "4314".into();
        input.customer_details.email = None;
        let changed = kari().changed_fields(&input);
        assert_eq!(
            changed,
            [
                "customerDetails.address.zip",
                "customerDetails.email",
                "notes"
            ]
        );
        let updated = input.applied_to(kari(), "user:ola", 5);
        assert_eq!(
            (updated.id.as_str(), updated.created_by.as_str()),
            ("cus_1", "user:kari")
        );
        assert_eq!(updated.updated_by, "user:ola");
    }
}
