//! The customer book's and the product catalogue's entries (issue 18), by the order form's own
//! rules: a customer is a payment link's `customerDetails` (type, email or phone, name,
//! address, numbers with their mod-11 warnings), a catalogue product is an order line of one
//! unit (name, product id, price, a configured VAT rate, a discount within the price).

use serde_json::Value;

use super::create::{customer, discount_exceeds, non_negative, tax_rate};
use super::{Context, MAX_NOTE, MAX_STRING, Report, Validated, Walker, get, obj};
use crate::book::customers::CustomerInput;
use crate::book::products::ProductInput;
use crate::money::{Money, Quantity, TaxRate};
use crate::order::line_totals;
use crate::status::OrderKind;

/// The longest unit name (`stk`, `timer`, `m²`): a label, not a description.
pub const MAX_UNIT: usize = 32;

/// The body of `POST /console/customers` and `PUT /console/customers/{id}`:
/// `{"customerDetails": {…}, "notes": "…"}`. The details are checked as a payment link's, the
/// least any order kind asks, so every entry fills at least that form; issues are keyed
/// `customerDetails.*` like the order form's, `notes` like an internal note (≤ 1000).
pub fn validate_book_customer(
    payload: &Value,
    ctx: &Context,
) -> Result<Validated<CustomerInput>, Report> {
    let root = payload.as_object();
    let mut w = Walker::default();
    let details = obj(get(root, "customerDetails"));
    let (customer_details, _) = customer(&mut w, OrderKind::PaymentLink, details, ctx);
    let notes = w
        .string(get(root, "notes"), "notes", MAX_NOTE)
        .ok()
        .map(|n| n.trim().to_owned());
    w.finish(CustomerInput {
        customer_details,
        notes,
    })
}

/// The body of `POST /console/products` and `PUT /console/products/{id}`: `name`,
/// `productId`, `unitPrice` (incl. VAT), `tax` (one of the configured rates), `discount` and
/// `unit`. Price and discount follow an order line's rules for one unit.
pub fn validate_book_product(
    payload: &Value,
    ctx: &Context,
) -> Result<Validated<ProductInput>, Report> {
    let root = payload.as_object();
    let mut w = Walker::default();
    let name = w.req_string(get(root, "name"), "name", MAX_STRING);
    let product_id = w.string(get(root, "productId"), "productId", MAX_STRING);
    let price = w.req_numeric(get(root, "unitPrice"), "unitPrice");
    let price = non_negative(&mut w, price, "unitPrice");
    let tax = tax_rate(&mut w, get(root, "tax"), "tax", ctx);
    let discount = w.numeric(get(root, "discount"), "discount");
    let discount = non_negative(&mut w, discount, "discount");
    let unit = w.string(get(root, "unit"), "unit", MAX_UNIT);
    if let (Some(&p), Some(&d), Some(&t)) = (price.as_ref(), discount.as_ref(), tax.as_ref())
        && let Ok(line) = line_totals(Quantity(100), Money(p), Money(d), TaxRate(t))
    {
        discount_exceeds(&mut w, &line, "discount");
    }
    w.finish(ProductInput {
        name: name.ok().map(|n| n.trim().to_owned()).unwrap_or_default(),
        product_id: product_id.ok().map(|p| p.trim().to_owned()),
        unit_price: Money(price.ok().unwrap_or_default()),
        tax: TaxRate(tax.ok().unwrap_or_default()),
        discount: discount.ok().map(Money),
        unit: unit.ok().map(|u| u.trim().to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Code;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn ctx() -> Context {
        Context::new(1_703_040_812)
    }

    fn kari() -> Value {
        json!({"customerDetails": {
            "type": "private", "countryCode": "47", "msisdn": "465 67 468",
            "email": "kari@example.com", "firstName": "Kari", "name": "Nordmann",
            "personalNumber": "01010012357",
            "address": {"street": "Luramyrveien 65", "zip": "4313", "city": "Sandnes", "country": "NO"}
        }, "notes": "  Prefers SMS "})
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_customer_is_checked_as_the_order_forms_block() {
        let v = validate_book_customer(&kari(), &ctx()).unwrap();
        let c = &v.value.customer_details;
        // Normalised as the form sends it; a bad control digit is a warning, as in the form.
        assert_eq!(c.country_code.as_deref(), Some("+47"));
        assert_eq!(c.msisdn.as_deref(), Some("46567468"));
        assert_eq!(v.value.notes.as_deref(), Some("Prefers SMS"));
        let warned: Vec<_> = v
            .warnings
            .iter()
            .map(|i| (i.field.as_str(), i.code))
            .collect();
        assert_eq!(
            warned,
            [("customerDetails.personalNumber", Code::FnrChecksum)]
        );

        let mut bad = kari();
        bad["customerDetails"]["msisdn"] = json!("46x67468");
        bad["customerDetails"]["type"] = json!("person");
        bad["customerDetails"]["address"]["country"] = json!("Norway");
        bad["notes"] = json!("a\u{7}b");
        let r = validate_book_customer(&bad, &ctx()).unwrap_err();
        assert_eq!(r.error_codes("customerDetails.msisdn"), [Code::DigitsOnly]);
        assert_eq!(r.error_codes("customerDetails.type"), [Code::In]);
        assert_eq!(
            r.error_codes("customerDetails.address.country"),
            [Code::CountryCode]
        );
        assert_eq!(r.error_codes("notes"), [Code::ControlCharacters]);

        let r = validate_book_customer(&json!({}), &ctx()).unwrap_err();
        for field in ["customerDetails.type", "customerDetails.name"] {
            assert_eq!(r.error_codes(field), [Code::Required], "{field}");
        }
        // A business needs its organisation number, as on the order form.
        let mut firm = kari();
        firm["customerDetails"]["type"] = json!("corporate");
        let r = validate_book_customer(&firm, &ctx()).unwrap_err();
        assert_eq!(
            r.error_codes("customerDetails.organizationId"),
            [Code::RequiredIf]
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_product_is_checked_as_an_order_line_of_one() {
        let ok = json!({"name": " Hair Wash ", "productId": "VFDDF", "unitPrice": "499,50",
            "tax": "25", "discount": 50, "unit": "stk"});
        let p = validate_book_product(&ok, &ctx()).unwrap().value;
        assert_eq!(p.name, "Hair Wash");
        assert_eq!(
            (p.unit_price, p.tax, p.discount),
            (Money(49_950), TaxRate(2500), Some(Money(5000)))
        );
        let bad = json!({"unitPrice": -1, "tax": "24", "discount": "600", "unit": "x".repeat(33)});
        let r = validate_book_product(&bad, &ctx()).unwrap_err();
        assert_eq!(r.error_codes("name"), [Code::Required]);
        assert_eq!(r.error_codes("unitPrice"), [Code::Min]);
        assert_eq!(r.error_codes("tax"), [Code::In]);
        assert_eq!(r.error_codes("unit"), [Code::MaxLength]);
        let over = json!({"name": "A", "unitPrice": 100, "tax": "0", "discount": "100.01"});
        let r = validate_book_product(&over, &ctx()).unwrap_err();
        assert_eq!(r.error_codes("discount"), [Code::Max]);
        // Only the configured rates.
        let rates = ctx().with_tax_rates(vec![TaxRate::from_percent(25)]);
        let twelve = json!({"name": "A", "unitPrice": 100, "tax": 12});
        assert!(validate_book_product(&twelve, &rates).is_err());
    }
}
