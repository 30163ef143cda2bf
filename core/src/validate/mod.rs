//! Validation of raw JSON payloads, Laravel style: every rule runs, every failure is collected
//! under the dotted path the API uses (`customerDetails.address.zip`, `products.3.tax`).
//!
//! Each [`Issue`] has a stable [`Code`] plus parameters, so the console can word it in nb or en;
//! [`Issue::message`] gives the English Laravel-style text used in the 417 envelope.
//! Warnings (checksums, unusual phone lengths, postcodes) never block a request.
//!
//! Our own limits, beyond the provider's tables: strings ≤ 255 chars ([`MAX_STRING`]),
//! `cancellationNote` ≤ 1000, `callbackUrl` ≤ 2048, ≤ 10,000 product lines, amounts ≤ 10^13 kr
//! with at most 2 decimals.

mod account;
mod book;
mod cancel;
mod create;
pub mod email;
pub mod fields;
mod note;
mod refund;
mod resend;
pub mod url;

pub use account::{
    MAX_PASSWORD, MAX_USERNAME, MIN_PASSWORD, NEW_PASSWORD_FIELD, normalize_username,
    validate_new_password, validate_username,
};
pub use book::{MAX_UNIT, validate_book_customer, validate_book_product};
pub use cancel::validate_cancel;
// `callback_required` is public so the callback rule can be tested (and asked) from outside.
pub use create::{
    EHF_RECORDED_EXTRA, allowed_maturities, callback_required, default_maturity, validate_create,
};
pub use note::validate_note;
pub use refund::{
    MerchantLimits, RefundRejection, RefundableOrder, RefundableProduct, check_refund,
    validate_refund,
};
pub use resend::validate_resend;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::dialect::Dialect;
use crate::money::{DecimalError, MAX_HUNDREDTHS, TaxRate, hundredths_from_json};

pub const MAX_STRING: usize = 255;
pub const MAX_NOTE: usize = 1000;
pub const MAX_URL: usize = 2048;
pub const MAX_LINES: usize = 10_000;

/// The provider's default VAT rates.
pub const DEFAULT_TAX_RATES: [TaxRate; 4] = [
    TaxRate::from_percent(0),
    TaxRate::from_percent(12),
    TaxRate::from_percent(15),
    TaxRate::from_percent(25),
];

/// What validation needs from outside: the time (the crate never reads a clock) and the
/// merchant's configured VAT rates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub now_unix: i64,
    pub tax_rates: Vec<TaxRate>,
    /// Whose rules run: the docs' (default) or the recorded live server's.
    pub dialect: Dialect,
    /// Take `orderDate` in either format (the proxy, which rewrites it for its upstream);
    /// otherwise only the dialect's own (a server: the sandbox).
    pub any_date_format: bool,
    /// The proxy adds its own callback to a create without one (`callback::proxy_callback_url`),
    /// so a missing callback is never required of the merchant.
    pub proxy_callback: bool,
}

impl Context {
    pub fn new(now_unix: i64) -> Self {
        Context {
            now_unix,
            tax_rates: DEFAULT_TAX_RATES.to_vec(),
            dialect: Dialect::Docs,
            any_date_format: false,
            proxy_callback: false,
        }
    }
    pub fn with_tax_rates(mut self, rates: Vec<TaxRate>) -> Self {
        self.tax_rates = rates;
        self
    }
    pub fn with_dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }
    pub fn accepting_any_date_format(mut self) -> Self {
        self.any_date_format = true;
        self
    }
    /// Creates go through a proxy that supplies its callback when one is missing.
    pub fn with_proxy_callback(mut self, supplied: bool) -> Self {
        self.proxy_callback = supplied;
        self
    }
}

/// What went wrong (or looks odd). Serialized as a stable camelCase string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Code {
    // Errors
    Required,
    /// Required when `other` is not present.
    RequiredWithout,
    /// Required when `other` is present.
    RequiredWith,
    /// Required when `other` is `value`.
    RequiredIf,
    String,
    Numeric,
    Integer,
    Boolean,
    Array,
    /// Not one of `values`.
    In,
    /// Number below `min`.
    Min,
    /// Number not greater than `min`.
    Gt,
    /// Number above `max`.
    Max,
    /// String longer than `max` characters.
    MaxLength,
    /// More than `max` items.
    MaxItems,
    /// More than 2 decimal places.
    Decimals,
    /// Exactly `expected` digits.
    Digits,
    DigitsOnly,
    Email,
    Url,
    CountryCode,
    CallingCode,
    /// More than 15 digits with the calling code.
    PhoneTooLong,
    /// Does not match the date format `expected` (Laravel's `date_format:`: `U` or `d M, Y`).
    DateFormat,
    /// Before today (Europe/Oslo).
    DateBeforeToday,
    /// Does not agree with the lines: `expected`.
    AmountMismatch,
    /// `grandTotal` is not the sum of the product amounts: `expected`.
    SumMismatch,
    /// Organisation number fails mod-11 (error for EHF, else a warning).
    OrgnrChecksum,
    // Warnings only
    /// Personal number fails the fødselsnummer checks.
    FnrChecksum,
    /// Norwegian number not starting with 4 or 9.
    NotMobile,
    /// Unusual length for the country: `min`..`max` digits.
    MsisdnLength,
    UnknownCallingCode,
    /// Norwegian postcode that is not 4 digits.
    Postcode,
    /// Contains a C0/C1 control character (NUL, ESC, CR, LF, tab, DEL, U+0080–U+009F…).
    /// Declared last so the codes before it keep their order; an error, not a warning.
    ControlCharacters,
    // Accounts (the proxy's users; issue 15)
    /// String shorter than `min` characters (a new password).
    MinLength,
    /// Equal to `other` (a password that is the user name).
    Different,
    /// One of the most common passwords, or one character repeated.
    CommonPassword,
    /// A user name with characters other than a-z, 0-9, `.`, `_`, `-` and `@`.
    UsernameCharacters,
}

/// Whether `s` holds a C0 control (U+0000–U+001F: NUL, tab, LF, CR, ESC…), DEL (U+007F) or a
/// C1 control (U+0080–U+009F). Free text (names, streets, notes, references) refuses them: they
/// break CSV exports, logs, SMS and terminals, and the provider stores them verbatim. Unicode
/// format characters (RTL marks and overrides, zero-width joiners in emoji) are not controls
/// in this sense and stay allowed.
pub fn has_control_characters(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Message parameters; absent ones are left out of the JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Params {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

/// One finding at one dotted path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Issue {
    pub field: String,
    pub code: Code,
    #[serde(default)]
    pub params: Params,
}

/// Laravel's displayable attribute: `customerDetails.msisdn` → `customer details.msisdn`.
pub fn display_field(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 4);
    let mut prev: Option<char> = None;
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            if prev.is_some_and(|p| p != '.') {
                out.push(' ');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

impl Issue {
    pub fn new(field: impl Into<String>, code: Code) -> Self {
        Issue {
            field: field.into(),
            code,
            params: Params::default(),
        }
    }
    fn other(mut self, other: &str) -> Self {
        self.params.other = Some(other.to_owned());
        self
    }
    fn value(mut self, v: impl Into<String>) -> Self {
        self.params.value = Some(v.into());
        self
    }
    fn values<S: ToString>(mut self, vs: &[S]) -> Self {
        self.params.values = vs.iter().map(ToString::to_string).collect();
        self
    }
    fn min(mut self, v: impl ToString) -> Self {
        self.params.min = Some(v.to_string());
        self
    }
    fn max(mut self, v: impl ToString) -> Self {
        self.params.max = Some(v.to_string());
        self
    }
    fn expected(mut self, v: impl ToString) -> Self {
        self.params.expected = Some(v.to_string());
        self
    }

    /// English, in Laravel 9's words (the recorded server's: "The order date does not match
    /// the format d M, Y." is Laravel 9's `date_format`), our own rules worded alike.
    pub fn message(&self) -> String {
        let f = display_field(&self.field);
        let p = &self.params;
        let o = p.other.as_deref().map(display_field).unwrap_or_default();
        let val = p.value.as_deref().unwrap_or_default();
        let min = p.min.as_deref().unwrap_or_default();
        let max = p.max.as_deref().unwrap_or_default();
        let exp = p.expected.as_deref().unwrap_or_default();
        match self.code {
            Code::Required => format!("The {f} field is required."),
            Code::RequiredWithout => format!("The {f} field is required when {o} is not present."),
            Code::RequiredWith => format!("The {f} field is required when {o} is present."),
            Code::RequiredIf => format!("The {f} field is required when {o} is {val}."),
            Code::String => format!("The {f} must be a string."),
            Code::Numeric => format!("The {f} must be a number."),
            Code::Integer => format!("The {f} must be an integer."),
            Code::Boolean => format!("The {f} field must be true or false."),
            Code::Array => format!("The {f} must be an array."),
            Code::In => format!("The selected {f} is invalid."),
            Code::Min => format!("The {f} must be at least {min}."),
            Code::Gt => format!("The {f} must be greater than {min}."),
            Code::Max => format!("The {f} must not be greater than {max}."),
            Code::MaxLength => format!("The {f} must not be greater than {max} characters."),
            Code::MaxItems => format!("The {f} must not have more than {max} items."),
            Code::Decimals => format!("The {f} must have at most 2 decimal places."),
            Code::Digits => format!("The {f} must be {exp} digits."),
            Code::DigitsOnly => format!("The {f} must contain only digits."),
            Code::Email => format!("The {f} must be a valid email address."),
            Code::Url => format!("The {f} must be a valid URL."),
            Code::CountryCode => {
                format!("The {f} must be a valid ISO 3166-1 alpha-2 country code.")
            }
            Code::CallingCode => format!("The {f} must be a country calling code like +47."),
            Code::PhoneTooLong => {
                format!("The {f} must not have more than 15 digits with the country code.")
            }
            Code::DateFormat => format!("The {f} does not match the format {exp}."),
            Code::DateBeforeToday => format!("The {f} must be a date after or equal to today."),
            Code::AmountMismatch => {
                format!("The {f} does not match the order lines (expected {exp}).")
            }
            Code::SumMismatch => {
                format!("The {f} must equal the sum of the product amounts ({exp}).")
            }
            Code::OrgnrChecksum => format!("The {f} is not a valid Norwegian organisation number."),
            Code::FnrChecksum => {
                format!("The {f} is not a valid Norwegian national identity number.")
            }
            Code::NotMobile => {
                format!("The {f} is not a Norwegian mobile number (it should start with 4 or 9).")
            }
            Code::MsisdnLength => {
                format!("The {f} usually has {min} to {max} digits for this country.")
            }
            Code::UnknownCallingCode => format!("The {f} is not a known country calling code."),
            Code::Postcode => format!("The {f} should be a 4-digit Norwegian postcode."),
            Code::ControlCharacters => format!("The {f} must not contain control characters."),
            Code::MinLength => format!("The {f} must be at least {min} characters."),
            Code::Different => format!("The {f} and {o} must be different."),
            Code::CommonPassword => {
                format!("The given {f} is too common. Please choose a different {f}.")
            }
            Code::UsernameCharacters => format!(
                "The {f} may only contain letters, numbers, dots, dashes, underscores and @."
            ),
        }
    }
}

/// Top-level members in the order the recorded server's rules list them: a 417's sentences come
/// in this order (Laravel reports in rule order), each member's own rules in the order they ran.
const SENTENCE_ORDER: [&str; 17] = [
    "products",
    "orderSummary",
    "orderDate",
    "sendOrderBy",
    "isCreditCheckAvailable",
    "invoiceAsPaymentOption",
    "customerDetails",
    "secureDetails",
    "invoiceInterval",
    "invoiceMaturity",
    "invoiceFeeApplicable",
    "separateInvoices",
    "referenceNo",
    "customerReference",
    "callback",
    // resend, cancel, refund
    "cancellationNote",
    "grandTotal",
];

fn sentence_rank(path: &str) -> usize {
    let top = path.split('.').next().unwrap_or(path);
    SENTENCE_ORDER
        .iter()
        .position(|m| *m == top)
        .unwrap_or(SENTENCE_ORDER.len())
}

/// One rule that failed on a field: the keyed detail of the proxy's own 417 (`fields`), which
/// the console words in nb or en.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FieldError {
    pub code: Code,
    #[serde(default)]
    pub params: Params,
}

/// Field path → the rules that failed there.
pub type FieldErrors = BTreeMap<String, Vec<FieldError>>;

/// The dotted path a Laravel sentence names, for every path core knows (product lines
/// included): `"The customer details.preferred language field is required."` →
/// `customerDetails.preferredLanguage`. `None` for a sentence about no known field.
pub fn field_of_sentence(sentence: &str) -> Option<String> {
    let rest = sentence
        .strip_prefix("The selected ")
        .or_else(|| sentence.strip_prefix("The "))?;
    let named = |display: &str| {
        rest.strip_prefix(display)
            .is_some_and(|after| after.starts_with(' '))
    };
    if let Some(line) = rest.strip_prefix("products.") {
        let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
        let sub = line.get(digits.len()..)?.strip_prefix('.')?;
        let field = fields::product_fields()
            .filter(|f| {
                sub.strip_prefix(display_field(f).as_str())
                    .is_some_and(|after| after.starts_with(' '))
            })
            .max_by_key(|f| f.len())?;
        return (!digits.is_empty()).then(|| format!("products.{digits}.{field}"));
    }
    fields::known_fields()
        .filter(|f| named(&display_field(f)))
        .max_by_key(|f| f.len())
        .map(str::to_owned)
}

/// A refused payload: all errors, and the warnings found on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Report {
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

impl Report {
    /// The 417 `errors` object: dotted path → English messages.
    pub fn to_error_map(&self) -> BTreeMap<String, Vec<String>> {
        to_map(&self.errors)
    }
    /// The 417 `errors` array as the live server sends it: one Laravel sentence per failed
    /// rule, in the server's rule order.
    pub fn sentences(&self) -> Vec<String> {
        let mut ranked: Vec<(usize, &Issue)> = self
            .errors
            .iter()
            .map(|i| (sentence_rank(&i.field), i))
            .collect();
        ranked.sort_by_key(|(rank, _)| *rank);
        ranked.into_iter().map(|(_, i)| i.message()).collect()
    }
    /// The keyed detail of the errors: path → code + params.
    pub fn fields(&self) -> FieldErrors {
        keyed(&self.errors)
    }
    /// The keyed detail of the warnings (an import preview shows them per row).
    pub fn warning_fields(&self) -> FieldErrors {
        keyed(&self.warnings)
    }
    pub fn to_warning_map(&self) -> BTreeMap<String, Vec<String>> {
        to_map(&self.warnings)
    }
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|i| i.field == field)
    }
    pub fn has_warning(&self, field: &str) -> bool {
        self.warnings.iter().any(|i| i.field == field)
    }
    pub fn error_codes(&self, field: &str) -> Vec<Code> {
        self.errors
            .iter()
            .filter(|i| i.field == field)
            .map(|i| i.code)
            .collect()
    }
}

fn keyed(issues: &[Issue]) -> FieldErrors {
    let mut m = FieldErrors::new();
    for i in issues {
        m.entry(i.field.clone()).or_default().push(FieldError {
            code: i.code,
            params: i.params.clone(),
        });
    }
    m
}

fn to_map(issues: &[Issue]) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for i in issues {
        m.entry(i.field.clone()).or_default().push(i.message());
    }
    m
}

/// An accepted payload with its typed value and any warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated<T> {
    pub value: T,
    pub warnings: Vec<Issue>,
}

// ---- the walker: small Laravel-like helpers over serde_json::Value ----

/// A field's value as read: missing (or null / blank), present but refused (the error is
/// already recorded), or ok. Three states, because "required" and "refused" are different rules.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldValue<T> {
    Absent,
    Bad,
    Ok(T),
}

impl<T> FieldValue<T> {
    pub(crate) fn ok(self) -> Option<T> {
        match self {
            FieldValue::Ok(v) => Some(v),
            _ => None,
        }
    }
    pub(crate) fn is_absent(&self) -> bool {
        matches!(self, FieldValue::Absent)
    }
    pub(crate) fn is_ok(&self) -> bool {
        matches!(self, FieldValue::Ok(_))
    }
    pub(crate) fn as_ref(&self) -> Option<&T> {
        match self {
            FieldValue::Ok(v) => Some(v),
            _ => None,
        }
    }
}

pub(crate) type Obj = Map<String, Value>;

/// The object at `v`, or `None` if it is not one.
pub(crate) fn obj(v: Option<&Value>) -> Option<&Obj> {
    v.and_then(Value::as_object)
}

/// `o[k]`, with null, blank strings and empty arrays read as absent (Laravel's "required").
pub(crate) fn get<'a>(o: Option<&'a Obj>, k: &str) -> Option<&'a Value> {
    match o?.get(k)? {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::Array(a) if a.is_empty() => None,
        v => Some(v),
    }
}

/// A field path, rendered only when an issue is recorded (validation runs per keystroke).
pub(crate) trait Field: Copy {
    fn name(self) -> String;
}

impl Field for &str {
    fn name(self) -> String {
        self.to_owned()
    }
}

impl Field for &String {
    fn name(self) -> String {
        self.clone()
    }
}

/// `products.3.tax` without allocating until needed.
#[derive(Clone, Copy)]
pub(crate) struct Item<'a>(pub &'a str, pub usize, pub &'a str);

impl Field for Item<'_> {
    fn name(self) -> String {
        format!("{}.{}.{}", self.0, self.1, self.2)
    }
}

/// Reads a payload field by field, Laravel style: each helper checks one value, records what is
/// wrong (errors) or odd (warnings) and goes on, so one pass reports every failed rule.
#[derive(Default)]
pub(crate) struct Walker {
    pub(crate) report: Report,
}

impl Walker {
    pub(crate) fn error(&mut self, issue: Issue) {
        self.report.errors.push(issue);
    }
    pub(crate) fn warn(&mut self, issue: Issue) {
        self.report.warnings.push(issue);
    }
    pub(crate) fn required(&mut self, field: impl Field) {
        self.error(Issue::new(field.name(), Code::Required));
    }
    pub(crate) fn required_without(&mut self, field: &str, other: &str) {
        self.error(Issue::new(field.name(), Code::RequiredWithout).other(other));
    }
    pub(crate) fn required_with(&mut self, field: &str, other: &str) {
        self.error(Issue::new(field.name(), Code::RequiredWith).other(other));
    }
    pub(crate) fn required_if(&mut self, field: &str, other: &str, value: &str) {
        self.error(
            Issue::new(field.name(), Code::RequiredIf)
                .other(other)
                .value(value),
        );
    }

    /// Required-ness checked by the caller; this checks the value if present. Every free-text
    /// field goes through here: length, then no control characters.
    pub(crate) fn string(
        &mut self,
        v: Option<&Value>,
        field: impl Field,
        max: usize,
    ) -> FieldValue<String> {
        match v {
            None => FieldValue::Absent,
            Some(Value::String(s)) => {
                if s.chars().count() > max {
                    self.error(Issue::new(field.name(), Code::MaxLength).max(max));
                    FieldValue::Bad
                } else if has_control_characters(s) {
                    self.error(Issue::new(field.name(), Code::ControlCharacters));
                    FieldValue::Bad
                } else {
                    FieldValue::Ok(s.clone())
                }
            }
            Some(_) => {
                self.error(Issue::new(field.name(), Code::String));
                FieldValue::Bad
            }
        }
    }

    /// A string that is required: records `Required` when absent.
    pub(crate) fn req_string(
        &mut self,
        v: Option<&Value>,
        field: impl Field,
        max: usize,
    ) -> FieldValue<String> {
        let f = self.string(v, field, max);
        if f.is_absent() {
            self.required(field);
        }
        f
    }

    /// A number or numeric string with at most 2 decimals, in hundredths.
    pub(crate) fn numeric(&mut self, v: Option<&Value>, field: impl Field) -> FieldValue<i64> {
        let Some(v) = v else {
            return FieldValue::Absent;
        };
        match hundredths_from_json(v) {
            Ok(h) => FieldValue::Ok(h),
            Err(e) => {
                let issue = match e {
                    DecimalError::TooManyDecimals => Issue::new(field.name(), Code::Decimals),
                    DecimalError::Overflow => {
                        Issue::new(field.name(), Code::Max).max(crate::money::Money(MAX_HUNDREDTHS))
                    }
                    _ => Issue::new(field.name(), Code::Numeric),
                };
                self.error(issue);
                FieldValue::Bad
            }
        }
    }

    pub(crate) fn req_numeric(&mut self, v: Option<&Value>, field: impl Field) -> FieldValue<i64> {
        let f = self.numeric(v, field);
        if f.is_absent() {
            self.required(field);
        }
        f
    }

    /// Laravel's boolean: true, false, 1, 0, "1", "0".
    pub(crate) fn boolean(&mut self, v: Option<&Value>, field: impl Field) -> FieldValue<bool> {
        let b = match v {
            None => return FieldValue::Absent,
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => None,
            },
            Some(Value::String(s)) => match s.as_str() {
                "0" => Some(false),
                "1" => Some(true),
                _ => None,
            },
            Some(_) => None,
        };
        match b {
            Some(b) => FieldValue::Ok(b),
            None => {
                self.error(Issue::new(field.name(), Code::Boolean));
                FieldValue::Bad
            }
        }
    }

    /// An integer given as a JSON integer or a string of digits (optional leading `-`).
    pub(crate) fn integer(&mut self, v: Option<&Value>, field: impl Field) -> FieldValue<i64> {
        let n = match v {
            None => return FieldValue::Absent,
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => {
                let t = s.trim();
                let digits = t.strip_prefix('-').unwrap_or(t);
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    t.parse().ok()
                } else {
                    None
                }
            }
            Some(_) => None,
        };
        match n {
            Some(n) => FieldValue::Ok(n),
            None => {
                self.error(Issue::new(field.name(), Code::Integer));
                FieldValue::Bad
            }
        }
    }

    /// An integer that must be one of `allowed` (Laravel `in:` on a numeric field).
    pub(crate) fn int_in(
        &mut self,
        v: Option<&Value>,
        field: impl Field,
        allowed: &[i64],
    ) -> FieldValue<i64> {
        match self.integer(v, field) {
            FieldValue::Ok(n) if allowed.contains(&n) => FieldValue::Ok(n),
            FieldValue::Ok(_) => {
                self.error(Issue::new(field.name(), Code::In).values(allowed));
                FieldValue::Bad
            }
            other => other,
        }
    }

    /// A string that must be one of `allowed`.
    pub(crate) fn str_in(
        &mut self,
        v: Option<&Value>,
        field: impl Field,
        allowed: &[&str],
    ) -> FieldValue<String> {
        match v {
            None => FieldValue::Absent,
            Some(Value::String(s)) if allowed.contains(&s.as_str()) => FieldValue::Ok(s.clone()),
            Some(_) => {
                self.error(Issue::new(field.name(), Code::In).values(allowed));
                FieldValue::Bad
            }
        }
    }

    pub(crate) fn email(&mut self, v: Option<&Value>, field: impl Field) -> FieldValue<String> {
        match self.string(v, field, MAX_STRING) {
            FieldValue::Ok(s) if email::is_valid(&s) => FieldValue::Ok(s),
            FieldValue::Ok(_) => {
                self.error(Issue::new(field.name(), Code::Email));
                FieldValue::Bad
            }
            other => other,
        }
    }

    pub(crate) fn url(&mut self, v: Option<&Value>, field: impl Field) -> FieldValue<String> {
        match self.string(v, field, MAX_URL) {
            FieldValue::Ok(s) if url::is_valid(&s) => FieldValue::Ok(s),
            FieldValue::Ok(_) => {
                self.error(Issue::new(field.name(), Code::Url));
                FieldValue::Bad
            }
            other => other,
        }
    }

    /// Finish: the value if there were no errors, else the report.
    pub(crate) fn finish<T>(self, value: T) -> Result<Validated<T>, Report> {
        if self.report.errors.is_empty() {
            Ok(Validated {
                value,
                warnings: self.report.warnings,
            })
        } else {
            Err(self.report)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn display_fields() {
        assert_eq!(
            display_field("customerDetails.msisdn"),
            "customer details.msisdn"
        );
        assert_eq!(
            display_field("orderSummary.subTotal"),
            "order summary.sub total"
        );
        assert_eq!(display_field("products.3.tax"), "products.3.tax");
        assert_eq!(
            display_field("callback.callbackUrl"),
            "callback.callback url"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn messages() {
        let i = Issue::new("customerDetails.msisdn", Code::RequiredWithout)
            .other("customerDetails.email");
        assert_eq!(
            i.message(),
            "The customer details.msisdn field is required when customer details.email is not present."
        );
        let i = Issue::new("products.0.tax", Code::In).values(&["0", "12"]);
        assert_eq!(i.message(), "The selected products.0.tax is invalid.");
        // Laravel 9's words, as the recorded server: the date, a type, a sentence order.
        let date = Issue::new("orderDate", Code::DateFormat).expected("d M, Y");
        assert_eq!(
            date.message(),
            "The order date does not match the format d M, Y."
        );
        assert_eq!(
            Issue::new("products", Code::Array).message(),
            "The products must be an array."
        );
        let r = Report {
            errors: vec![
                Issue::new("customerDetails.preferredLanguage", Code::Required),
                Issue::new("sendOrderBy.sms", Code::Required),
                Issue::new("products.1.tax", Code::Numeric),
                date.clone(),
            ],
            warnings: vec![],
        };
        assert_eq!(
            r.sentences(),
            [
                "The products.1.tax must be a number.",
                "The order date does not match the format d M, Y.",
                "The send order by.sms field is required.",
                "The customer details.preferred language field is required.",
            ]
        );
        assert_eq!(
            serde_json::to_value(r.fields()).unwrap()["orderDate"],
            json!([{"code": "dateFormat", "params": {"expected": "d M, Y"}}])
        );
        assert_eq!(
            serde_json::to_value(Code::RequiredWithout).unwrap(),
            json!("requiredWithout")
        );
        assert_eq!(
            serde_json::to_value(Code::DateBeforeToday).unwrap(),
            json!("dateBeforeToday")
        );
        let j = serde_json::to_value(&i).unwrap();
        assert_eq!(
            j,
            json!({"field": "products.0.tax", "code": "in", "params": {"values": ["0", "12"]}})
        );
        let r = Report {
            errors: vec![i.clone(), Issue::new("products.0.tax", Code::Numeric)],
            warnings: vec![],
        };
        assert_eq!(r.to_error_map()["products.0.tax"].len(), 2);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn control_characters_are_refused_rtl_and_emoji_are_not() {
        for bad in [
            "Kari\u{0}",
            "a\u{7}b",
            "\u{1b}[31m",
            "a\rb",
            "a\nb",
            "a\tb",
            "x\u{7f}",
            "x\u{80}",
            "x\u{9f}",
            "x\u{85}",
        ] {
            assert!(has_control_characters(bad), "{bad:?}");
            let mut w = Walker::default();
            assert_eq!(
                w.string(Some(&json!(bad)), "customerDetails.name", 255),
                FieldValue::Bad
            );
            assert_eq!(
                w.report.error_codes("customerDetails.name"),
                [Code::ControlCharacters]
            );
        }
        for good in [
            "مرحبا שלום \u{202E}evil",
            "Kari 👩\u{200d}👩\u{200d}👧 Nordmann 🇳🇴",
            "Åse Ødegård-Ærø",
            "\u{a0}non-breaking\u{a0}",
        ] {
            assert!(!has_control_characters(good), "{good:?}");
            let mut w = Walker::default();
            assert_eq!(
                w.string(Some(&json!(good)), "customerDetails.name", 255),
                FieldValue::Ok(good.to_owned())
            );
        }
        assert_eq!(
            Issue::new("customerDetails.name", Code::ControlCharacters).message(),
            "The customer details.name must not contain control characters."
        );
        assert_eq!(
            serde_json::to_value(Code::ControlCharacters).unwrap(),
            json!("controlCharacters")
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn helpers() {
        let mut w = Walker::default();
        let o = json!({"a": true, "b": 1, "c": "0", "d": "yes", "e": 2, "f": null, "g": "  ", "h": "1.5", "i": "1.555", "j": [], "k": "12"});
        let o = o.as_object();
        assert_eq!(w.boolean(get(o, "a"), "a"), FieldValue::Ok(true));
        assert_eq!(w.boolean(get(o, "b"), "b"), FieldValue::Ok(true));
        assert_eq!(w.boolean(get(o, "c"), "c"), FieldValue::Ok(false));
        assert_eq!(w.boolean(get(o, "d"), "d"), FieldValue::Bad);
        assert_eq!(w.boolean(get(o, "e"), "e"), FieldValue::Bad);
        assert_eq!(w.boolean(get(o, "f"), "f"), FieldValue::Absent);
        assert_eq!(w.string(get(o, "g"), "g", 5), FieldValue::Absent);
        assert_eq!(w.numeric(get(o, "h"), "h"), FieldValue::Ok(150));
        assert_eq!(w.numeric(get(o, "i"), "i"), FieldValue::Bad);
        assert!(get(o, "j").is_none());
        assert_eq!(w.integer(get(o, "k"), "k"), FieldValue::Ok(12));
        assert_eq!(w.integer(get(o, "h"), "h2"), FieldValue::Bad);
        assert_eq!(w.string(get(o, "k"), "k", 1), FieldValue::Bad);
        let codes: Vec<_> = w
            .report
            .errors
            .iter()
            .map(|i| (i.field.as_str(), i.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("d", Code::Boolean),
                ("e", Code::Boolean),
                ("i", Code::Decimals),
                ("h2", Code::Integer),
                ("k", Code::MaxLength)
            ]
        );
    }
}
