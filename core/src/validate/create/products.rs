//! `products` and `orderSummary`: each line read and priced, its `amount` checked against the
//! price, and the summary checked against the lines.

use serde_json::Value;

use crate::money::{MAX_HUNDREDTHS, Money, Quantity, TaxRate};
use crate::order::{LineTotals, MathError, OrderSummary, Product, check_summary, line_totals};
use crate::validate::{
    Code, Context, Field, FieldValue, Issue, Item, MAX_LINES, MAX_STRING, Obj, Walker, get, obj,
};

/// The products, and the order summary checked against their totals when every line and every
/// summary figure could be read (the summary is defaulted when it could not).
pub(super) fn products_and_summary(
    walker: &mut Walker,
    root: Option<&Obj>,
    ctx: &Context,
) -> (Vec<Product>, OrderSummary) {
    let (products, lines) = products(walker, root, ctx);
    let summary = order_summary(walker, root);
    if let (Some(lines), Some(summary)) = (&lines, &summary) {
        match check_summary(lines, summary) {
            Ok(mismatches) => {
                for mismatch in mismatches {
                    walker.error(
                        Issue::new(mismatch.path, Code::AmountMismatch)
                            .expected(mismatch.expected.to_api_string()),
                    );
                }
            }
            Err(_) => walker
                .error(Issue::new("orderSummary.grandTotal", Code::Max).max(Money(MAX_HUNDREDTHS))),
        }
    }
    (products, summary.unwrap_or_default())
}

/// Products and, when every line parsed, their totals (for the summary check).
fn products(
    walker: &mut Walker,
    root: Option<&Obj>,
    ctx: &Context,
) -> (Vec<Product>, Option<Vec<LineTotals>>) {
    let Some(v) = get(root, "products") else {
        walker.required("products");
        return (Vec::new(), None);
    };
    let Some(items) = product_items(v) else {
        walker.error(Issue::new("products", Code::Array));
        return (Vec::new(), None);
    };
    if items.len() > MAX_LINES {
        walker.error(Issue::new("products", Code::MaxItems).max(MAX_LINES));
        return (Vec::new(), None);
    }
    let mut out = Vec::with_capacity(items.len());
    let mut totals = Some(Vec::with_capacity(items.len()));
    for (index, item) in items {
        let (product, line) = product_line(walker, index, item.as_object(), ctx);
        match line {
            Some(line) => {
                if let Some(all) = totals.as_mut() {
                    all.push(line);
                }
            }
            None => totals = None,
        }
        out.push(product);
    }
    (out, totals)
}

/// One line, `products.{index}`: the product as read (defaults where a member was refused) and
/// its totals when every member was read and the stated `amount` could be checked.
fn product_line(
    walker: &mut Walker,
    index: usize,
    line: Option<&Obj>,
    ctx: &Context,
) -> (Product, Option<LineTotals>) {
    let path = |member: &'static str| Item("products", index, member);
    let name = walker.req_string(get(line, "name"), path("name"), MAX_STRING);
    let product_id = walker.string(get(line, "productId"), path("productId"), MAX_STRING);
    let quantity = walker.req_numeric(get(line, "quantity"), path("quantity"));
    let quantity = above_zero(walker, quantity, path("quantity"));
    let rate = walker.req_numeric(get(line, "rate"), path("rate"));
    let rate = non_negative(walker, rate, path("rate"));
    let discount = walker.numeric(get(line, "discount"), path("discount"));
    let discount = non_negative(walker, discount, path("discount"));
    let tax = tax_rate(walker, get(line, "tax"), path("tax"), ctx);
    let amount = walker.req_numeric(get(line, "amount"), path("amount"));

    let discount_ok = !matches!(discount, FieldValue::Bad);
    let totals = match (quantity.as_ref(), rate.as_ref(), tax.as_ref()) {
        (Some(&q), Some(&r), Some(&t)) if discount_ok => {
            let line_discount = Money(discount.as_ref().copied().unwrap_or(0));
            let computed = line_totals(Quantity(q), Money(r), line_discount, TaxRate(t));
            within_limits(walker, index, computed)
        }
        _ => None,
    };
    match (&totals, amount.as_ref()) {
        (Some(l), Some(&a)) if l.amount != Money(a) => {
            walker.error(
                Issue::new(path("amount").name(), Code::AmountMismatch)
                    .expected(l.amount.to_api_string()),
            );
        }
        _ => {}
    }
    let totals = totals.filter(|_| amount.is_ok());
    let product = Product {
        name: name.ok().unwrap_or_default(),
        product_id: product_id.ok(),
        quantity: Quantity(quantity.ok().unwrap_or_default()),
        rate: Money(rate.ok().unwrap_or_default()),
        discount: discount.ok().map(Money),
        tax: TaxRate(tax.ok().unwrap_or_default()),
        amount: Money(amount.ok().unwrap_or_default()),
    };
    (product, totals)
}

/// A line's computed totals, refused when the discount is more than the gross amount (on
/// `discount`) or the arithmetic overflows (on `amount`).
fn within_limits(
    walker: &mut Walker,
    index: usize,
    computed: Result<LineTotals, MathError>,
) -> Option<LineTotals> {
    match computed {
        Ok(l) if discount_exceeds(walker, &l, Item("products", index, "discount")) => None,
        Ok(l) => Some(l),
        Err(_) => {
            let field = Item("products", index, "amount");
            walker.error(Issue::new(field.name(), Code::Max).max(Money(MAX_HUNDREDTHS)));
            None
        }
    }
}

/// The product lines with the index each is named by: a JSON array, or an object whose keys are
/// non-negative integers as strings (a PHP client's array, `{"0": {...}}`), in numeric key order.
/// Anything else is not a list of lines.
pub(crate) fn product_items(v: &Value) -> Option<Vec<(usize, &Value)>> {
    match v {
        Value::Array(items) => Some(items.iter().enumerate().collect()),
        Value::Object(map) => {
            let mut items = map
                .iter()
                .map(|(k, item)| {
                    let canonical = !k.is_empty()
                        && k.bytes().all(|b| b.is_ascii_digit())
                        && (k == "0" || !k.starts_with('0'));
                    canonical
                        .then(|| k.parse::<usize>().ok())
                        .flatten()
                        .map(|i| (i, item))
                })
                .collect::<Option<Vec<_>>>()?;
            items.sort_by_key(|(i, _)| *i);
            Some(items)
        }
        _ => None,
    }
}

/// A quantity: more than zero (Laravel's `gt:0`).
fn above_zero(walker: &mut Walker, value: FieldValue<i64>, field: impl Field) -> FieldValue<i64> {
    match value {
        FieldValue::Ok(q) if q <= 0 => {
            walker.error(Issue::new(field.name(), Code::Gt).min(0));
            FieldValue::Bad
        }
        other => other,
    }
}

/// A rate or discount: zero or more (Laravel's `min:0`).
pub(in crate::validate) fn non_negative(
    walker: &mut Walker,
    value: FieldValue<i64>,
    field: impl Field,
) -> FieldValue<i64> {
    match value {
        FieldValue::Ok(n) if n < 0 => {
            walker.error(Issue::new(field.name(), Code::Min).min(0));
            FieldValue::Bad
        }
        other => other,
    }
}

/// A line's `tax`: one of the merchant's configured rates (Laravel's `in:`).
/// A required VAT rate, one of the merchant's configured rates (order lines, catalogue).
pub(in crate::validate) fn tax_rate(
    walker: &mut Walker,
    value: Option<&Value>,
    field: impl Field,
    ctx: &Context,
) -> FieldValue<i64> {
    let rate = walker.req_numeric(value, field);
    known_tax_rate(walker, rate, field, &ctx.tax_rates)
}

/// A line's discount may not exceed its gross (quantity × rate): records the error, says so.
pub(in crate::validate) fn discount_exceeds(
    walker: &mut Walker,
    line: &LineTotals,
    field: impl Field,
) -> bool {
    let over = line.discount > line.gross;
    if over {
        walker.error(Issue::new(field.name(), Code::Max).max(line.gross));
    }
    over
}

fn known_tax_rate(
    walker: &mut Walker,
    value: FieldValue<i64>,
    field: impl Field,
    rates: &[TaxRate],
) -> FieldValue<i64> {
    match value {
        FieldValue::Ok(t) if !rates.contains(&TaxRate(t)) => {
            walker.error(Issue::new(field.name(), Code::In).values(rates));
            FieldValue::Bad
        }
        other => other,
    }
}

/// `orderSummary`: its four figures, each required; `None` unless all four were read.
fn order_summary(walker: &mut Walker, root: Option<&Obj>) -> Option<OrderSummary> {
    let summary = obj(get(root, "orderSummary"));
    let mut figure = |member: &str| {
        let path = format!("orderSummary.{member}");
        walker
            .req_numeric(get(summary, member), &path)
            .ok()
            .map(Money)
    };
    let sub_total = figure("subTotal");
    let total_tax = figure("totalTax");
    let total_discount = figure("totalDiscount");
    let grand_total = figure("grandTotal");
    Some(OrderSummary {
        sub_total: sub_total?,
        total_tax: total_tax?,
        total_discount: total_discount?,
        grand_total: grand_total?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn product_items_take_an_array_or_canonical_integer_keys_in_numeric_order() {
        let array = json!([{"a": 1}, {"b": 2}]);
        let indices: Vec<usize> = product_items(&array)
            .unwrap_or_default()
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        assert_eq!(indices, [0, 1]);

        let keyed = json!({"10": {"x": 10}, "2": {"x": 2}, "0": {"x": 0}});
        let read: Vec<(usize, i64)> = product_items(&keyed)
            .unwrap_or_default()
            .into_iter()
            .map(|(i, v)| (i, v["x"].as_i64().unwrap_or(-1)))
            .collect();
        assert_eq!(read, [(0, 0), (2, 2), (10, 10)]);

        for not_lines in [
            json!({"01": {}}),
            json!({"": {}}),
            json!({"-1": {}}),
            json!({"0": {}, "a": {}}),
            json!("x"),
            json!(3),
        ] {
            assert!(product_items(&not_lines).is_none(), "{not_lines}");
        }
    }
}
