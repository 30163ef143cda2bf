//! Who in the book is the customer an order (or an import row) names. The same person has the
//! same personal number, a business the same organisation number; without a shared number, the
//! same email address, else the same phone number. Never the name: two Kari Nordmanns are two
//! customers until a number, an email or a phone says otherwise. When more than one entry could
//! be meant, nobody is merged and a person decides ([`Match::Ambiguous`]).

use serde::{Deserialize, Serialize};

use super::customers::Customer;
use crate::customer::CustomerDetails;
use crate::ids::phone::{DEFAULT_CALLING_CODE, normalize_calling_code, normalize_msisdn};

/// What identifies a customer, normalised the one way the book stores and compares it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    /// Fødselsnummer digits.
    pub personal_number: Option<String>,
    /// Organisasjonsnummer digits.
    pub org_number: Option<String>,
    /// Trimmed, lower case.
    pub email: Option<String>,
    /// Calling code and national number as digits (`4746567468`), like the order index's
    /// `phone` column.
    pub phone: Option<String>,
}

fn digits(s: Option<&str>) -> Option<String> {
    let d: String = s?.chars().filter(char::is_ascii_digit).collect();
    (!d.is_empty()).then_some(d)
}

impl Keys {
    /// The keys of a customer block (a missing calling code is the form's default, +47).
    pub fn of(d: &CustomerDetails) -> Keys {
        let national = d
            .msisdn
            .as_deref()
            .map(normalize_msisdn)
            .filter(|m| !m.is_empty());
        let phone = national.map(|m| {
            let code = d
                .country_code
                .as_deref()
                .and_then(normalize_calling_code)
                .unwrap_or_else(|| DEFAULT_CALLING_CODE.to_owned());
            format!("{}{m}", code.trim_start_matches('+'))
        });
        Keys {
            personal_number: digits(d.personal_number.as_deref()),
            org_number: digits(d.organization_id.as_deref()),
            email: d
                .email
                .as_deref()
                .map(|e| e.trim().to_lowercase())
                .filter(|e| !e.is_empty()),
            phone,
        }
    }

    /// Does `other` share a personal or organisation number with these keys?
    fn same_number(&self, other: &Keys) -> bool {
        let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
        same(&self.personal_number, &other.personal_number)
            || same(&self.org_number, &other.org_number)
    }

    /// Can these be the same customer at all? Not when both carry a number of the same kind
    /// and the numbers differ.
    fn compatible(&self, other: &Keys) -> bool {
        let differ = |a: &Option<String>, b: &Option<String>| a.is_some() && b.is_some() && a != b;
        !differ(&self.personal_number, &other.personal_number)
            && !differ(&self.org_number, &other.org_number)
    }
}

/// Which key decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Basis {
    Number,
    Email,
    Phone,
}

impl Basis {
    /// The wire name, for audit details.
    pub const fn as_str(self) -> &'static str {
        match self {
            Basis::Number => "number",
            Basis::Email => "email",
            Basis::Phone => "phone",
        }
    }
}

/// The outcome of [`match_customer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Match {
    /// Nobody in the book: a new customer.
    New,
    /// Exactly one entry, found by `basis`.
    Same { id: String, basis: Basis },
    /// Several entries could be meant (ids): nothing is merged, a person decides.
    Ambiguous(Vec<String>),
}

/// The book entries with the same personal or organisation number as `details` (a number
/// names one customer: a second entry with it is a duplicate).
pub fn number_holders<'a>(details: &CustomerDetails, book: &'a [Customer]) -> Vec<&'a Customer> {
    let keys = Keys::of(details);
    book.iter()
        .filter(|c| keys.same_number(&Keys::of(&c.customer_details)))
        .collect()
}

/// Does a book entry's keys match on one basis?
type SameKey<'a> = dyn Fn(&Keys) -> bool + 'a;

/// Who in `book` is the customer of `details`: by number, else email, else phone, each
/// among the entries that can be the same customer (same type when both say, no different
/// number of the same kind). The first key that finds anyone decides.
pub fn match_customer(details: &CustomerDetails, book: &[Customer]) -> Match {
    let keys = Keys::of(details);
    let fits = |c: &&Customer| {
        let theirs = Keys::of(&c.customer_details);
        let types = match (details.customer_type, c.customer_details.customer_type) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        types && keys.compatible(&theirs)
    };
    let steps: [(Basis, &SameKey); 3] = [
        (Basis::Number, &|k: &Keys| keys.same_number(k)),
        (Basis::Email, &|k: &Keys| {
            keys.email.is_some() && keys.email == k.email
        }),
        (Basis::Phone, &|k: &Keys| {
            keys.phone.is_some() && keys.phone == k.phone
        }),
    ];
    for (basis, same) in steps {
        let found: Vec<&Customer> = book
            .iter()
            .filter(&fits)
            .filter(|c| same(&Keys::of(&c.customer_details)))
            .collect();
        match found.as_slice() {
            [] => continue,
            [one] => {
                return Match::Same {
                    id: one.id.clone(),
                    basis,
                };
            }
            many => return Match::Ambiguous(many.iter().map(|c| c.id.clone()).collect()),
        }
    }
    Match::New
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::CustomerInput;
    use crate::customer::{Address, CustomerType};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn person(name: &str) -> CustomerDetails {
        CustomerDetails {
            customer_type: Some(CustomerType::Private),
            name: name.into(),
            address: Address {
                street: "Gata 1".into(),
                zip: "0155".into(),
                city: "Oslo".into(),
                country: "NO".into(),
            },
            ..CustomerDetails::default()
        }
    }

    fn with(
        mut d: CustomerDetails,
        pn: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> CustomerDetails {
        d.personal_number = pn.map(str::to_owned);
        d.email = email.map(str::to_owned);
        d.msisdn = phone.map(str::to_owned);
        d.country_code = phone.map(|_| "+47".to_owned());
        d
    }

    fn entry(id: &str, d: CustomerDetails) -> Customer {
        CustomerInput {
            customer_details: d,
            notes: None,
        }
        .into_customer(id.into(), "user:a", 1)
    }

    fn book() -> Vec<Customer> {
        vec![
            entry(
                "cus_kari",
                with(
                    person("Kari Nordmann"),
                    Some("01010012356"),
                    Some("kari@example.com"),
                    Some("46567468"),
                ),
            ),
            entry(
                "cus_ola",
                with(
                    person("Ola Nordmann"),
                    None,
                    Some("familie@example.com"),
                    Some("91234567"),
                ),
            ),
            entry(
                "cus_per",
                with(
                    person("Per Nordmann"),
                    None,
                    Some("familie@example.com"),
                    None,
                ),
            ),
        ]
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_same_person_by_number_first() {
        // Another email and phone, same personal number: Kari (the number decides).
        let d = with(
            person("K. Nordmann"),
            Some("010100 12356"),
            Some("new@example.com"),
            Some("99999999"),
        );
        assert_eq!(
            match_customer(&d, &book()),
            Match::Same {
                id: "cus_kari".into(),
                basis: Basis::Number
            }
        );
        assert_eq!(number_holders(&d, &book()).len(), 1);
        // Email in another case, no number.
        let d = with(person("Kari"), None, Some(" KARI@example.com "), None);
        assert_eq!(
            match_customer(&d, &book()),
            Match::Same {
                id: "cus_kari".into(),
                basis: Basis::Email
            }
        );
        // Phone typed with spaces and the calling code without +.
        let mut d = with(person("Ola"), None, None, Some("912 34 567"));
        d.country_code = Some("47".into());
        assert_eq!(
            match_customer(&d, &book()),
            Match::Same {
                id: "cus_ola".into(),
                basis: Basis::Phone
            }
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn ambiguous_matches_are_asked() {
        // Ola and Per share the family's email: nobody is merged.
        let d = with(person("Nordmann"), None, Some("familie@example.com"), None);
        assert_eq!(
            match_customer(&d, &book()),
            Match::Ambiguous(vec!["cus_ola".into(), "cus_per".into()])
        );
        // The phone would single out Ola, but the email came first and found two.
        let d = with(
            person("Nordmann"),
            None,
            Some("familie@example.com"),
            Some("91234567"),
        );
        assert!(matches!(match_customer(&d, &book()), Match::Ambiguous(_)));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn never_merged_on_the_name_alone() {
        let d = with(
            person("Kari Nordmann"),
            None,
            Some("other@example.com"),
            None,
        );
        assert_eq!(match_customer(&d, &book()), Match::New);
        assert_eq!(
            match_customer(&person("Kari Nordmann"), &book()),
            Match::New
        );
        // Kari's email but another personal number: a different person.
        let d = with(
            person("Kari Nordmann"),
            Some("01010012357"),
            Some("kari@example.com"),
            None,
        );
        assert_eq!(match_customer(&d, &book()), Match::New);
        // Kari's phone on a business: not the same customer either.
        let mut firm = with(person("Nordmann AS"), None, None, Some("46567468"));
        firm.customer_type = Some(CustomerType::Corporate);
        firm.organization_id = Some("923609016".into());
        assert_eq!(match_customer(&firm, &book()), Match::New);
        assert_eq!(match_customer(&person("x"), &[]), Match::New);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn keys_are_normalised_like_the_order_index() {
        let mut d = with(
            person("A"),
            Some("010100 12356"),
            Some(" A@B.no"),
            Some("(0)46-56"),
        );
        d.country_code = None;
        d.organization_id = Some("923 609 016".into());
        let k = Keys::of(&d);
        assert_eq!(k.personal_number.as_deref(), Some("01010012356"));
        assert_eq!(k.org_number.as_deref(), Some("923609016"));
        assert_eq!(k.email.as_deref(), Some("a@b.no"));
        assert_eq!(k.phone.as_deref(), Some("4704656"));
        assert_eq!(Keys::of(&person("A")), Keys::default());
        assert_eq!(Basis::Email.as_str(), "email");
    }
}
