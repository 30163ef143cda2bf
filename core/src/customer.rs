//! Customer types, languages and addresses.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum CustomerType {
    Private,
    Corporate,
}

impl CustomerType {
    /// The wire names, for Laravel's `in:` rule.
    pub const CODES: [&'static str; 2] = ["private", "corporate"];
    pub const fn as_str(self) -> &'static str {
        match self {
            CustomerType::Private => "private",
            CustomerType::Corporate => "corporate",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "private" => Some(CustomerType::Private),
            "corporate" => Some(CustomerType::Corporate),
            _ => None,
        }
    }

    /// The customer type the rules go by: E-Faktura is always private and EHF always corporate,
    /// whatever was typed or sent; a payment link or invoice goes by what was given.
    pub fn for_kind(kind: crate::status::OrderKind, given: Option<CustomerType>) -> Option<Self> {
        use crate::status::OrderKind;
        match kind {
            OrderKind::EFaktura => Some(CustomerType::Private),
            OrderKind::Ehf => Some(CustomerType::Corporate),
            OrderKind::PaymentLink | OrderKind::Invoice => given,
        }
    }
}

/// `preferredLanguage`; the provider defaults to `no`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    #[default]
    No,
    Sv,
    Da,
    De,
}

impl Language {
    pub const ALL: [Language; 5] = [
        Language::En,
        Language::No,
        Language::Sv,
        Language::Da,
        Language::De,
    ];
    /// The wire names, for Laravel's `in:` rule.
    pub const CODES: [&'static str; 5] = ["en", "no", "sv", "da", "de"];
    pub const fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::No => "no",
            Language::Sv => "sv",
            Language::Da => "da",
            Language::De => "de",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Language::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Address {
    pub street: String,
    pub zip: String,
    pub city: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
}

/// `customerDetails` of the four create requests. `type` is absent in the E-Faktura and EHF
/// docs, so it is optional here; validation decides per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomerDetails {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub customer_type: Option<CustomerType>,
    /// Calling code, normalised to `"+47"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msisdn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<Language>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    pub address: Address,
}

impl CustomerDetails {
    /// The name as a person reads it: `firstName name` (`Ola Nordmann`), or `name` alone when
    /// there is no first name or `name` already starts with it (a client that sent the full
    /// name in both). Whitespace is collapsed.
    pub fn full_name(&self) -> String {
        let name = words(&self.name);
        let first = self.first_name.as_deref().map(words).unwrap_or_default();
        let repeated = name
            .to_lowercase()
            .strip_prefix(&first.to_lowercase())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '));
        if first.is_empty() || repeated {
            name
        } else if name.is_empty() {
            first
        } else {
            format!("{first} {name}")
        }
    }
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn wire_names() {
        let c = CustomerDetails {
            customer_type: Some(CustomerType::Corporate),
            country_code: Some("+47".into()),
            name: "AS".into(),
            preferred_language: Some(Language::Sv),
            organization_id: Some("998379342".into()),
            ..Default::default()
        };
        let j = serde_json::to_value(&c).unwrap();
        assert_eq!(j["type"], "corporate");
        assert_eq!(j["countryCode"], "+47");
        assert_eq!(j["preferredLanguage"], "sv");
        assert_eq!(j["organizationId"], "998379342");
        assert!(j.get("email").is_none());
        assert_eq!(serde_json::from_value::<CustomerDetails>(j).unwrap(), c);
        assert_eq!(Language::default(), Language::No);
        assert_eq!(Language::parse("de"), Some(Language::De));
        assert_eq!(Language::parse("nb"), None);
        assert_eq!(CustomerType::parse("Private"), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn full_names() {
        let c = |first: Option<&str>, name: &str| CustomerDetails {
            first_name: first.map(str::to_owned),
            name: name.into(),
            ..Default::default()
        };
        assert_eq!(c(Some("Ola"), "Nordmann").full_name(), "Ola Nordmann");
        assert_eq!(c(None, "Kari  Nordmann ").full_name(), "Kari Nordmann");
        assert_eq!(c(Some(""), "Kari Nordmann").full_name(), "Kari Nordmann");
        assert_eq!(c(Some("Ola"), "Ola Nordmann").full_name(), "Ola Nordmann");
        assert_eq!(c(Some("ola"), "Ola Nordmann").full_name(), "Ola Nordmann");
        assert_eq!(c(Some("Ola"), "Olavsen").full_name(), "Ola Olavsen");
        assert_eq!(
            c(Some("Ola Jakob"), "Nordmann").full_name(),
            "Ola Jakob Nordmann"
        );
    }
}
