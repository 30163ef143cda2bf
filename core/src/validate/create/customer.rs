//! `customerDetails`: the customer type the rules go by, the contact (the resend's rules too),
//! names, language, the personal and organisation numbers, and the address.

use serde_json::Value;

use crate::customer::{Address, CustomerDetails, CustomerType, Language};
use crate::ids::{country, fnr, orgnr, phone};
use crate::status::OrderKind;
use crate::validate::{Code, Context, FieldValue, Issue, MAX_STRING, Obj, Walker, get, obj};

/// What every member of `customerDetails` is reported under.
const PREFIX: &str = "customerDetails.";

/// `customerDetails.{member}`.
fn detail_path(member: &str) -> String {
    format!("{PREFIX}{member}")
}

/// `customerDetails.address.{member}`.
fn address_path(member: &str) -> String {
    format!("{PREFIX}address.{member}")
}

/// `customerDetails`, plus the customer type that the rules go by (E-Faktura is private,
/// EHF corporate, whether or not `type` was sent).
pub(in crate::validate) fn customer(
    walker: &mut Walker,
    kind: OrderKind,
    details: Option<&Obj>,
    ctx: &Context,
) -> (CustomerDetails, Option<CustomerType>) {
    let (given_type, effective_type) = customer_type(walker, kind, details);
    let either = kind == OrderKind::PaymentLink;
    let (country_code, msisdn, email) = contact(walker, details, PREFIX, either);
    let name = walker
        .req_string(get(details, "name"), &detail_path("name"), MAX_STRING)
        .ok()
        .unwrap_or_default();
    let first_name = walker
        .string(
            get(details, "firstName"),
            &detail_path("firstName"),
            MAX_STRING,
        )
        .ok();
    let preferred_language = preferred_language(walker, kind, details, ctx);
    let personal_number = personal_number(walker, kind, details);
    let organization_id = organization_id(walker, kind, effective_type, details, ctx);
    let address = address(walker, details);

    let customer_details = CustomerDetails {
        customer_type: given_type,
        country_code,
        msisdn,
        email,
        first_name,
        name,
        preferred_language,
        personal_number,
        organization_id,
        address,
    };
    (customer_details, effective_type)
}

/// `type` as given, and the type the rules go by ([`CustomerType::for_kind`]). A payment link
/// or an invoice must say which; E-Faktura and EHF have one type (the kind's), may leave it out
/// and may not send the other.
fn customer_type(
    walker: &mut Walker,
    kind: OrderKind,
    details: Option<&Obj>,
) -> (Option<CustomerType>, Option<CustomerType>) {
    let path = detail_path("type");
    // With nothing given, `for_kind` is the type the kind fixes, if it fixes one.
    let given = match CustomerType::for_kind(kind, None) {
        Some(only) => walker
            .str_in(get(details, "type"), &path, &[only.as_str()])
            .ok()
            .map(|_| only),
        None => {
            let given = walker.str_in(get(details, "type"), &path, &CustomerType::CODES);
            if given.is_absent() {
                walker.required(&path);
            }
            given.ok().and_then(|s| CustomerType::parse(&s))
        }
    };
    (given, CustomerType::for_kind(kind, given))
}

/// `preferredLanguage`: one of [`Language::CODES`]; required of an EHF in the dialect whose
/// server required the payment link's members of one.
fn preferred_language(
    walker: &mut Walker,
    kind: OrderKind,
    details: Option<&Obj>,
    ctx: &Context,
) -> Option<Language> {
    let path = detail_path("preferredLanguage");
    let language = walker.str_in(get(details, "preferredLanguage"), &path, &Language::CODES);
    if language.is_absent() && kind == OrderKind::Ehf && ctx.dialect.ehf_requires_link_members() {
        walker.required(&path);
    }
    language.ok().and_then(|s| Language::parse(&s))
}

/// `personalNumber`: 11 digits (required of E-Faktura); a failed fødselsnummer check is only a
/// warning.
fn personal_number(walker: &mut Walker, kind: OrderKind, details: Option<&Obj>) -> Option<String> {
    let path = detail_path("personalNumber");
    match walker.string(get(details, "personalNumber"), &path, MAX_STRING) {
        FieldValue::Absent => {
            if kind == OrderKind::EFaktura {
                walker.required(&path);
            }
            None
        }
        FieldValue::Bad => None,
        FieldValue::Ok(s) => {
            if s.len() != 11 || !s.bytes().all(|b| b.is_ascii_digit()) {
                walker.error(Issue::new(&path, Code::Digits).expected(11));
                None
            } else {
                if fnr::check(&s).is_err() {
                    walker.warn(Issue::new(&path, Code::FnrChecksum));
                }
                Some(s)
            }
        }
    }
}

/// `organizationId`: digits, required of an EHF (9 digits, the mod-11 check an error by the
/// docs) and of a corporate customer; elsewhere a failed check is only a warning.
fn organization_id(
    walker: &mut Walker,
    kind: OrderKind,
    effective_type: Option<CustomerType>,
    details: Option<&Obj>,
    ctx: &Context,
) -> Option<String> {
    let path = detail_path("organizationId");
    match walker.string(get(details, "organizationId"), &path, MAX_STRING) {
        FieldValue::Absent => {
            if kind == OrderKind::Ehf {
                walker.required(&path);
            } else if effective_type == Some(CustomerType::Corporate) {
                let type_path = detail_path("type");
                walker.required_if(&path, &type_path, CustomerType::Corporate.as_str());
            }
            None
        }
        FieldValue::Bad => None,
        FieldValue::Ok(s) => {
            if !s.bytes().all(|b| b.is_ascii_digit()) {
                walker.error(Issue::new(&path, Code::DigitsOnly));
                None
            } else {
                if kind == OrderKind::Ehf {
                    if s.len() != 9 {
                        walker.error(Issue::new(&path, Code::Digits).expected(9));
                    } else if orgnr::check(&s).is_err() {
                        // The Peppol rule as the docs read it; the recorded server took
                        // `123456789` for an EHF, so there it is a warning.
                        let issue = Issue::new(&path, Code::OrgnrChecksum);
                        if ctx.dialect.docs_table_rules() {
                            walker.error(issue);
                        } else {
                            walker.warn(issue);
                        }
                    }
                } else if orgnr::check(&s).is_err() {
                    walker.warn(Issue::new(&path, Code::OrgnrChecksum));
                }
                Some(s)
            }
        }
    }
}

/// `address`: street, zip, city and an ISO alpha-2 country, all required; a Norwegian postcode
/// that is not 4 digits is a warning.
fn address(walker: &mut Walker, details: Option<&Obj>) -> Address {
    let address = obj(get(details, "address"));
    let mut required = |member: &str| {
        walker
            .req_string(get(address, member), &address_path(member), MAX_STRING)
            .ok()
            .unwrap_or_default()
    };
    let street = required("street");
    let zip = required("zip");
    let city = required("city");
    let country_path = address_path("country");
    let country = match walker.req_string(get(address, "country"), &country_path, MAX_STRING) {
        FieldValue::Ok(c) if country::is_alpha2(&c) => c,
        FieldValue::Ok(_) => {
            walker.error(Issue::new(&country_path, Code::CountryCode));
            String::new()
        }
        _ => String::new(),
    };
    if country == "NO"
        && !zip.is_empty()
        && (zip.len() != 4 || !zip.bytes().all(|b| b.is_ascii_digit()))
    {
        walker.warn(Issue::new(address_path("zip"), Code::Postcode));
    }
    Address {
        street,
        zip,
        city,
        country,
    }
}

/// `countryCode`, `msisdn`, `email` of `members`, reported under `prefix`, for creates and resends alike: the msisdn
/// comes back normalised ([`phone::normalize_msisdn`]) and its unusual-length / not-mobile
/// warnings apply to both. With `either`, email or (countryCode and msisdn) suffices (payment
/// link, resend); otherwise all three are required.
pub(crate) fn contact(
    walker: &mut Walker,
    members: Option<&Obj>,
    prefix: &str,
    either: bool,
) -> (Option<String>, Option<String>, Option<String>) {
    let country_code_path = format!("{prefix}countryCode");
    let msisdn_path = format!("{prefix}msisdn");
    let email_path = format!("{prefix}email");

    let country_code = calling_code(walker, get(members, "countryCode"), &country_code_path);
    // One rule for the order form and the resend: typed separators are not an error (the
    // value is the normalised number), anything else that is not a digit is.
    let msisdn = match walker.string(get(members, "msisdn"), &msisdn_path, MAX_STRING) {
        FieldValue::Ok(typed) => {
            let digits = phone::normalize_msisdn(&typed);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                walker.error(Issue::new(&msisdn_path, Code::DigitsOnly));
                FieldValue::Bad
            } else {
                FieldValue::Ok(digits)
            }
        }
        other => other,
    };
    let email = walker.email(get(members, "email"), &email_path);

    if either {
        if email.is_absent() {
            if country_code.is_absent() {
                walker.required_without(&country_code_path, &email_path);
            }
            if msisdn.is_absent() {
                walker.required_without(&msisdn_path, &email_path);
                walker.required_without(&email_path, &msisdn_path);
            }
        } else if country_code.is_absent() && !msisdn.is_absent() {
            walker.required_with(&country_code_path, &msisdn_path);
        }
    } else {
        for (missing, path) in [
            (country_code.is_absent(), &country_code_path),
            (msisdn.is_absent(), &msisdn_path),
            (email.is_absent(), &email_path),
        ] {
            if missing {
                walker.required(path);
            }
        }
    }

    if let (Some(code), Some(number)) = (country_code.as_ref(), msisdn.as_ref()) {
        phone_checks(walker, code, number, &msisdn_path);
    }
    (country_code.ok(), msisdn.ok(), email.ok())
}

/// A calling code and number read together: too long or not digits is an error; an unusual
/// length for the country or a Norwegian number that is not a mobile is a warning.
fn phone_checks(walker: &mut Walker, code: &str, number: &str, msisdn_path: &str) {
    match phone::check_msisdn(code, number) {
        Err(phone::MsisdnError::TooLong) => {
            walker.error(Issue::new(msisdn_path, Code::PhoneTooLong));
        }
        Err(phone::MsisdnError::NotDigits) => {
            walker.error(Issue::new(msisdn_path, Code::DigitsOnly));
        }
        Ok(warnings) => {
            for warning in warnings {
                walker.warn(match warning {
                    phone::MsisdnWarning::UnusualLength { min, max } => {
                        Issue::new(msisdn_path, Code::MsisdnLength)
                            .min(min)
                            .max(max)
                    }
                    phone::MsisdnWarning::NotNorwegianMobile => {
                        Issue::new(msisdn_path, Code::NotMobile)
                    }
                });
            }
        }
    }
}

/// `"+47"`, `"47"` or the number 47 → `"+47"`.
fn calling_code(walker: &mut Walker, v: Option<&Value>, field: &str) -> FieldValue<String> {
    let raw = match v {
        None => return FieldValue::Absent,
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if n.is_u64() => n.to_string(),
        Some(_) => String::new(),
    };
    match phone::normalize_calling_code(&raw) {
        Some(code) => {
            if !phone::is_known_calling_code(&code) {
                walker.warn(Issue::new(field, Code::UnknownCallingCode));
            }
            FieldValue::Ok(code)
        }
        None => {
            walker.error(Issue::new(field, Code::CallingCode));
            FieldValue::Bad
        }
    }
}
