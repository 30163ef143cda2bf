//! `ODR` + 9–10 digits and `CSRT` + 10 digits: anything else is not an id of ours.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("not an order id (ODR followed by 9 or 10 digits): {0:?}")]
    NotAnOrderId(String),
    #[error("not a customer id (CSRT followed by 10 digits): {0:?}")]
    NotACustomerId(String),
}

fn shaped(s: &str, prefix: &str, min: usize, max: usize) -> bool {
    s.strip_prefix(prefix).is_some_and(|rest| {
        (min..=max).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit())
    })
}

macro_rules! id_type {
    ($t:ident, $prefix:expr, $min:expr, $max:expr, $err:ident, $desc:expr) => {
        #[doc = $desc]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $t(String);

        impl $t {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl FromStr for $t {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                if shaped(s, $prefix, $min, $max) {
                    Ok($t(s.to_owned()))
                } else {
                    Err(IdError::$err(s.chars().take(40).collect()))
                }
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
        #[cfg(feature = "openapi")]
        impl schemars::JsonSchema for $t {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($t).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "pattern": concat!("^", $prefix, "[0-9]{", $min, ",", $max, "}$"),
                    "description": $desc
                })
            }
        }
    };
}

id_type!(
    OrderId,
    "ODR",
    9,
    10,
    NotAnOrderId,
    "An order id: `ODR` followed by 9 or 10 digits."
);
id_type!(
    CustomerId,
    "CSRT",
    10,
    10,
    NotACustomerId,
    "A customer id: `CSRT` followed by 10 digits."
);

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn order_ids() {
        assert!("ODR3506777330".parse::<OrderId>().is_ok());
        assert!("ODR350677733".parse::<OrderId>().is_ok());
        for bad in [
            "ODR35067773",
            "ODR35067773301",
            "odr3506777330",
            "ODR350677733x",
            "",
            "ODR",
            " ODR3506777330",
            "ODR３５０６７７７３３０",
        ] {
            assert!(bad.parse::<OrderId>().is_err(), "{bad}");
        }
        let id: OrderId = serde_json::from_str("\"ODR2005869234\"").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"ODR2005869234\"");
        assert!(serde_json::from_str::<OrderId>("\"X\"").is_err());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn customer_ids() {
        assert!("CSRT3463048878".parse::<CustomerId>().is_ok());
        for bad in [
            "CSRT346304887",
            "CSRT34630488781",
            "CSR3463048878",
            "ODR3506777330",
        ] {
            assert!(bad.parse::<CustomerId>().is_err(), "{bad}");
        }
    }
}
