//! Amounts in integer øre, quantities in hundredths, tax rates in basis points.
//!
//! All three are "decimal with at most two places" scaled by 100, so they share one parser
//! ([`parse_hundredths`]) that works on the decimal *text*: JSON numbers are read through
//! `serde_json::Number`'s `to_string`, never through `f64` arithmetic.
//!
//! Formatting for people: Norwegian uses U+00A0 NO-BREAK SPACE both after `kr` and as the
//! thousands separator (`kr 1 234,50`), English uses `NOK 1,234.50`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Why a decimal text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    #[error("empty")]
    Empty,
    #[error("not a plain decimal number")]
    Invalid,
    #[error("more than two decimal places")]
    TooManyDecimals,
    #[error("too large")]
    Overflow,
    #[error("negative")]
    Negative,
    #[error("neither a number nor a numeric string")]
    NotNumeric,
}

/// Largest magnitude accepted, in hundredths: 10^13 kr. Products of two values fit in i128,
/// and the value stays below 2^53, so emitting it as a JSON number is exact.
pub const MAX_HUNDREDTHS: i64 = 1_000_000_000_000_000;

/// Spaces a person (or nb formatting: `kr 1 234,50`) puts between thousands.
const GROUP_SEPARATORS: [char; 3] = [' ', '\u{a0}', '\u{202f}'];

/// An amount as a person types it into the console, in hundredths: what [`parse_hundredths`]
/// reads, and also thousands separated by spaces in groups of three (`1 234,50`, what the nb
/// formats write). A space anywhere else is refused (`12 34`).
pub fn parse_typed_hundredths(text: &str) -> Result<i64, DecimalError> {
    parse_hundredths(&ungroup(text))
}

/// `1 234,50` → `1234,50` when the spaces separate groups of three; other text unchanged.
fn ungroup(typed: &str) -> String {
    let s = typed.trim();
    if !s.contains(GROUP_SEPARATORS) {
        return s.to_owned();
    }
    let (sign, unsigned) = match s.strip_prefix(['-', '+']) {
        Some(rest) => (&s[..1], rest),
        None => ("", s),
    };
    let point = unsigned.find(['.', ',']).unwrap_or(unsigned.len());
    let (int, fraction) = unsigned.split_at(point);
    let groups: Vec<&str> = int.split(GROUP_SEPARATORS).collect();
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let grouped = groups.iter().copied().all(digits)
        && groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
        && groups.iter().skip(1).all(|g| g.len() == 3);
    if grouped {
        format!("{sign}{}{fraction}", groups.concat())
    } else {
        s.to_owned()
    }
}

/// Parse `51`, `-3`, `"51.00"`, `"51,5"`, `".5"` into hundredths. Refuses exponents, NaN,
/// infinities, thousands separators, more than two decimals and empty text. Surrounding
/// ASCII whitespace is ignored (console input).
pub fn parse_hundredths(text: &str) -> Result<i64, DecimalError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(DecimalError::Empty);
    }
    let (neg, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int_part, frac_part) = match body.find(['.', ',']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let frac = frac_part.unwrap_or("");
    if int_part.is_empty() && frac.is_empty() {
        return Err(DecimalError::Invalid);
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DecimalError::Invalid);
    }
    // "5." is PHP-numeric; a lone separator with digits on neither side was refused above.
    let frac_trimmed = frac.trim_end_matches('0');
    if frac_trimmed.len() > 2 {
        return Err(DecimalError::TooManyDecimals);
    }
    let mut value: i64 = 0;
    for b in int_part.bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or(DecimalError::Overflow)?;
    }
    let mut cents: i64 = 0;
    let mut digits = frac_trimmed.bytes();
    for _ in 0..2 {
        cents = cents * 10 + digits.next().map_or(0, |b| i64::from(b - b'0'));
    }
    let total = value
        .checked_mul(100)
        .and_then(|v| v.checked_add(cents))
        .ok_or(DecimalError::Overflow)?;
    if total > MAX_HUNDREDTHS {
        return Err(DecimalError::Overflow);
    }
    Ok(if neg { -total } else { total })
}

/// Read hundredths from a JSON number or numeric string.
pub fn hundredths_from_json(value: &Value) -> Result<i64, DecimalError> {
    match value {
        Value::Number(n) => parse_hundredths(&n.to_string()),
        Value::String(s) => parse_hundredths(s),
        _ => Err(DecimalError::NotNumeric),
    }
}

/// `1234` hundredths → `"12.34"`; always two decimals.
fn fixed2(h: i64) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let a = h.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// `150` → `"1.5"`, `100` → `"1"`, `125` → `"1.25"`: no trailing zeros.
pub(crate) fn trimmed(h: i64) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let a = h.unsigned_abs();
    match a % 100 {
        0 => format!("{sign}{}", a / 100),
        f if f % 10 == 0 => format!("{sign}{}.{}", a / 100, f / 10),
        f => format!("{sign}{}.{f:02}", a / 100),
    }
}

/// A JSON number for hundredths: integers stay integers; otherwise the shortest f64
/// representation, which for two decimals prints back exactly (output only, no arithmetic).
fn json_number(h: i64) -> Value {
    if h % 100 == 0 {
        Value::from(h / 100)
    } else {
        // Shortest round-trip formatting of h/100 is exact for |h| < 2^53 (MAX_HUNDREDTHS is).
        serde_json::Number::from_f64(h as f64 / 100.0).map_or(Value::Null, Value::Number)
    }
}

/// Values scaled by 100: shared serde helpers need only this.
pub trait Hundredths: Sized {
    fn from_hundredths(h: i64) -> Self;
    fn hundredths(&self) -> i64;
}

macro_rules! hundredths_type {
    ($t:ident) => {
        impl Hundredths for $t {
            fn from_hundredths(h: i64) -> Self {
                $t(h)
            }
            fn hundredths(&self) -> i64 {
                self.0
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = Value::deserialize(d)?;
                hundredths_from_json(&v)
                    .map($t)
                    .map_err(|e| serde::de::Error::custom(format!("{}: {e}", stringify!($t))))
            }
        }
        impl FromStr for $t {
            type Err = DecimalError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_hundredths(s).map($t)
            }
        }
    };
}

/// An amount of NOK in øre. Serializes as the API's string form `"51.00"`; use
/// [`num`] / [`num_opt`] for fields the API shows as JSON numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);
hundredths_type!(Money);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_ore(ore: i64) -> Self {
        Money(ore)
    }
    pub const fn from_kroner(kr: i64) -> Self {
        Money(kr * 100)
    }
    pub const fn ore(self) -> i64 {
        self.0
    }
    /// Parse and refuse negatives.
    pub fn parse_non_negative(s: &str) -> Result<Self, DecimalError> {
        let m: Money = s.parse()?;
        if m.0 < 0 {
            return Err(DecimalError::Negative);
        }
        Ok(m)
    }
    pub fn from_json(v: &Value) -> Result<Self, DecimalError> {
        hundredths_from_json(v).map(Money)
    }
    pub fn checked_add(self, o: Money) -> Option<Money> {
        self.0.checked_add(o.0).map(Money)
    }
    pub fn checked_sub(self, o: Money) -> Option<Money> {
        self.0.checked_sub(o.0).map(Money)
    }
    /// `"1234.50"`: the API's form.
    pub fn to_api_string(self) -> String {
        fixed2(self.0)
    }
    /// Norwegian: `kr 1 234,50`, with U+00A0 after `kr` and between thousands groups.
    pub fn format_nb(self) -> String {
        self.format_human("kr\u{a0}", '\u{a0}', ',')
    }
    /// English: `NOK 1,234.50`.
    pub fn format_en(self) -> String {
        self.format_human("NOK ", ',', '.')
    }
    fn format_human(self, prefix: &str, group: char, point: char) -> String {
        let a = self.0.unsigned_abs();
        let digits = (a / 100).to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 2);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(group);
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{prefix}{sign}{grouped}{point}{:02}", a % 100)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fixed2(self.0))
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&fixed2(self.0))
    }
}

/// A line quantity in hundredths (`"1"` = 100, `"1.5"` = 150). Serializes as the docs'
/// string form without trailing zeros.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(pub i64);
hundredths_type!(Quantity);

impl Quantity {
    pub const fn from_units(n: i64) -> Self {
        Quantity(n * 100)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&trimmed(self.0))
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&trimmed(self.0))
    }
}

/// A VAT rate in basis points (`25` % = 2500, `12.5` % = 1250). Serializes as `"25"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaxRate(pub i64);
hundredths_type!(TaxRate);

impl TaxRate {
    pub const fn from_percent(p: i64) -> Self {
        TaxRate(p * 100)
    }
    pub const fn basis_points(self) -> i64 {
        self.0
    }
}

impl fmt::Display for TaxRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&trimmed(self.0))
    }
}

impl Serialize for TaxRate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&trimmed(self.0))
    }
}

/// `#[serde(with = "money::num")]`: emit a JSON number (`51`, `12.5`), read number or string.
pub mod num {
    use super::*;
    pub fn serialize<T: Hundredths, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        json_number(v.hundredths()).serialize(s)
    }
    pub fn deserialize<'de, T: Hundredths, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let v = Value::deserialize(d)?;
        hundredths_from_json(&v)
            .map(T::from_hundredths)
            .map_err(serde::de::Error::custom)
    }
}

/// Like [`num`] for `Option<T>`; `None` is `null`.
pub mod num_opt {
    use super::*;
    pub fn serialize<T: Hundredths, S: Serializer>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => json_number(v.hundredths()).serialize(s),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, T: Hundredths, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        let v = Value::deserialize(d)?;
        if v.is_null() {
            return Ok(None);
        }
        hundredths_from_json(&v)
            .map(|h| Some(T::from_hundredths(h)))
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
mod schema {
    use super::*;
    use schemars::{JsonSchema, SchemaGenerator, json_schema};
    use std::borrow::Cow;

    macro_rules! decimal_schema {
        ($t:ident, $desc:expr) => {
            impl JsonSchema for $t {
                fn schema_name() -> Cow<'static, str> {
                    stringify!($t).into()
                }
                fn json_schema(_: &mut SchemaGenerator) -> schemars::Schema {
                    json_schema!({
                        "description": $desc,
                        "anyOf": [
                            {"type": "number"},
                            {"type": "string", "pattern": "^[+-]?[0-9]*([.,][0-9]{0,2})?$"}
                        ]
                    })
                }
            }
        };
    }
    decimal_schema!(
        Money,
        "NOK amount with at most two decimals, as a JSON number or numeric string"
    );
    decimal_schema!(
        Quantity,
        "Quantity with at most two decimals, as a JSON number or numeric string"
    );
    decimal_schema!(
        TaxRate,
        "VAT percent (e.g. 0, 12, 15, 25), as a JSON number or numeric string"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn typed_amounts_may_group_thousands() {
        for (typed, want) in [
            ("1 234,50", Ok(123_450)),
            ("1\u{a0}234,50", Ok(123_450)),
            ("12\u{202f}345 678.9", Ok(1_234_567_890)),
            ("-1 000", Ok(-100_000)),
            ("3580.00", Ok(358_000)),
        ] {
            assert_eq!(parse_typed_hundredths(typed), want, "{typed}");
        }
        for bad in ["12 34", "1 2345", "1 000,0 0", "1  000", " "] {
            assert!(parse_typed_hundredths(bad).is_err(), "{bad}");
        }
        // What the nb format writes, it reads back.
        let m = Money(123_456_789);
        let nb = m.format_nb().replace("kr", "");
        assert_eq!(parse_typed_hundredths(&nb), Ok(m.0));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn parses_numbers_and_strings() {
        assert_eq!(parse_hundredths("51"), Ok(5100));
        assert_eq!(parse_hundredths("51.00"), Ok(5100));
        assert_eq!(parse_hundredths("51,5"), Ok(5150));
        assert_eq!(parse_hundredths(" 0.05 "), Ok(5));
        assert_eq!(parse_hundredths(".5"), Ok(50));
        assert_eq!(parse_hundredths("5."), Ok(500));
        assert_eq!(parse_hundredths("-3.10"), Ok(-310));
        assert_eq!(parse_hundredths("1.2300"), Ok(123));
        assert_eq!(Money::from_json(&serde_json::json!(51)), Ok(Money(5100)));
        assert_eq!(Money::from_json(&serde_json::json!(12.34)), Ok(Money(1234)));
        assert_eq!(Money::from_json(&serde_json::json!(0.1)), Ok(Money(10)));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refuses_bad_text() {
        for bad in [
            "", " ", ".", "-", "1.234", "1e3", "1E3", "NaN", "inf", "1 000", "1.2.3", "0x10",
            "1,000.00", "--1",
        ] {
            assert!(parse_hundredths(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            parse_hundredths("1.234"),
            Err(DecimalError::TooManyDecimals)
        );
        assert_eq!(
            parse_hundredths("99999999999999999999"),
            Err(DecimalError::Overflow)
        );
        assert_eq!(
            parse_hundredths("10000000000001"),
            Err(DecimalError::Overflow)
        );
        assert_eq!(parse_hundredths("10000000000000"), Ok(MAX_HUNDREDTHS));
        assert!(Money::from_json(&serde_json::json!(1e300)).is_err());
        assert!(Money::from_json(&serde_json::json!(true)).is_err());
        assert_eq!(Money::parse_non_negative("-1"), Err(DecimalError::Negative));
        assert_eq!(Money::parse_non_negative("1"), Ok(Money(100)));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn formats() {
        assert_eq!(Money(5100).to_api_string(), "51.00");
        assert_eq!(Money(-5).to_api_string(), "-0.05");
        assert_eq!(Money(123_450).format_nb(), "kr\u{a0}1\u{a0}234,50");
        assert_eq!(Money(123_450).format_en(), "NOK 1,234.50");
        assert_eq!(Money(100_000_000).format_en(), "NOK 1,000,000.00");
        assert_eq!(Money(99).format_nb(), "kr\u{a0}0,99");
        assert_eq!(Money(-123_450).format_en(), "NOK -1,234.50");
        assert_eq!(Quantity(100).to_string(), "1");
        assert_eq!(Quantity(150).to_string(), "1.5");
        assert_eq!(Quantity(125).to_string(), "1.25");
        assert_eq!(TaxRate(1250).to_string(), "12.5");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn serde_forms() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct S {
            s: Money,
            #[serde(with = "num")]
            n: Money,
            #[serde(with = "num_opt")]
            o: Option<Money>,
            q: Quantity,
        }
        let v = S {
            s: Money(5100),
            n: Money(5150),
            o: None,
            q: Quantity(100),
        };
        let j = serde_json::to_value(&v).unwrap();
        assert_eq!(
            j,
            serde_json::json!({"s": "51.00", "n": 51.5, "o": null, "q": "1"})
        );
        let back: S = serde_json::from_value(j).unwrap();
        assert_eq!(back, v);
        let j2 = serde_json::json!({"s": 51, "n": "51,50", "o": "2", "q": 1});
        let v2: S = serde_json::from_value(j2).unwrap();
        assert_eq!(v2.o, Some(Money(200)));
        assert!(
            serde_json::from_value::<S>(serde_json::json!({"s": "x", "n": 1, "o": null, "q": 1}))
                .is_err()
        );
    }
}
