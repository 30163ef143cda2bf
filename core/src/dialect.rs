//! Two dialects of the same API, named after their evidence.
//!
//! - [`Dialect::Docs`]: the provider's endpoint text (`orderDate` a Unix timestamp, the validation
//!   tables as written).
//! - [`Dialect::Live202507`]: what Front Payment's demo server answered in July 2025
//!   (`docs/contract/live-demo-2025-07.json`): `orderDate` as Laravel's `d M, Y`, EHF requiring
//!   the payment-link members too, and no refusal the recording shows it did not make.
//!
//! Core reads either date format from clients ([`crate::order::parse_order_date`]); a dialect says
//! which one a *server* insists on, and which rules it runs. The proxy picks its upstream's dialect
//! from `FRONTPAY_ORDER_DATE_FORMAT`; the sandbox from `--dialect`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Which reading of the API a server speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dialect {
    /// The endpoint text (the default).
    #[default]
    #[serde(rename = "docs")]
    Docs,
    /// The demo server as recorded in July 2025.
    #[serde(rename = "live-2025-07")]
    Live202507,
}

impl Dialect {
    pub const ALL: [Dialect; 2] = [Dialect::Docs, Dialect::Live202507];

    /// `"docs"` or `"live-2025-07"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Dialect::Docs => "docs",
            Dialect::Live202507 => "live-2025-07",
        }
    }

    /// The `orderDate` format the server validates.
    pub const fn order_date_format(self) -> DateFormat {
        match self {
            Dialect::Docs => DateFormat::Unix,
            Dialect::Live202507 => DateFormat::Dmy,
        }
    }

    /// Whether status by uuid carries `orderAmount` / `refundedAmount` (the docs show both; the
    /// recording has only `uuid` and `status`).
    pub const fn status_has_amounts(self) -> bool {
        matches!(self, Dialect::Docs)
    }

    /// Whether EHF requires the members the recording showed it requires beyond the docs
    /// (`sendOrderBy.sms/email/invoice`, `isCreditCheckAvailable`, `invoiceAsPaymentOption`,
    /// `customerDetails.preferredLanguage`).
    pub const fn ehf_requires_link_members(self) -> bool {
        matches!(self, Dialect::Live202507)
    }

    /// Whether invoiced kinds require `invoiceFeeApplicable`, E-Faktura/EHF a `callbackUrl`, and
    /// EHF a valid organisation-number checksum: the docs' tables say so, the recorded server
    /// accepted bodies without them.
    pub const fn docs_table_rules(self) -> bool {
        matches!(self, Dialect::Docs)
    }
}

impl FromStr for Dialect {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| UnknownName(s.chars().take(40).collect()))
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The two `orderDate` formats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateFormat {
    /// Unix seconds, as a number or a string of digits (the docs).
    #[default]
    Unix,
    /// Laravel's `d M, Y`: `05 Dec, 2023` (the July 2025 recording).
    Dmy,
}

impl DateFormat {
    pub const ALL: [DateFormat; 2] = [DateFormat::Unix, DateFormat::Dmy];

    /// `"unix"` or `"dmy"` (the values of `FRONTPAY_ORDER_DATE_FORMAT`).
    pub const fn as_str(self) -> &'static str {
        match self {
            DateFormat::Unix => "unix",
            DateFormat::Dmy => "dmy",
        }
    }

    /// Laravel's `date_format:` pattern, as its error sentence names it.
    pub const fn laravel_pattern(self) -> &'static str {
        match self {
            DateFormat::Unix => "U",
            DateFormat::Dmy => "d M, Y",
        }
    }

    /// The dialect whose server wants this format.
    pub const fn dialect(self) -> Dialect {
        match self {
            DateFormat::Unix => Dialect::Docs,
            DateFormat::Dmy => Dialect::Live202507,
        }
    }
}

impl FromStr for DateFormat {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        DateFormat::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| UnknownName(s.chars().take(40).collect()))
    }
}

impl fmt::Display for DateFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A dialect or date-format name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown name {0:?}")]
pub struct UnknownName(pub String);

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn names_round_trip() {
        for d in Dialect::ALL {
            assert_eq!(d.as_str().parse::<Dialect>(), Ok(d));
            assert_eq!(d.order_date_format().dialect(), d);
        }
        for f in DateFormat::ALL {
            assert_eq!(f.as_str().parse::<DateFormat>(), Ok(f));
        }
        assert!("live".parse::<Dialect>().is_err());
        assert_eq!(DateFormat::Dmy.laravel_pattern(), "d M, Y");
    }
}
