//! Order totals and the check that a client's `orderSummary` and line `amount`s agree with
//! its lines. Exact: each line `amount`, `totalDiscount`, `grandTotal`. Within one øre per
//! line: `subTotal` and `totalTax` (clients round net and tax differently).

use super::lines::{LineTotals, MathError, line_totals};
use super::{OrderSummary, Product};
use crate::money::Money;

/// Totals of one product line of a request.
pub fn product_totals(p: &Product) -> Result<LineTotals, MathError> {
    line_totals(p.quantity, p.rate, p.discount.unwrap_or(Money::ZERO), p.tax)
}

/// Sum line totals into an `orderSummary`. Sums run in i128, so any number of lines is safe;
/// only a total beyond i64 øre is an error.
pub fn sum_totals<'a>(
    lines: impl IntoIterator<Item = &'a LineTotals>,
) -> Result<OrderSummary, MathError> {
    let (mut net, mut tax, mut disc, mut amount) = (0i128, 0i128, 0i128, 0i128);
    for l in lines {
        net += i128::from(l.net.0);
        tax += i128::from(l.tax.0);
        disc += i128::from(l.discount.0);
        amount += i128::from(l.amount.0);
    }
    let m = |v: i128| i64::try_from(v).map(Money).map_err(|_| MathError::Overflow);
    Ok(OrderSummary {
        sub_total: m(net)?,
        total_tax: m(tax)?,
        total_discount: m(disc)?,
        grand_total: m(amount)?,
    })
}

/// The `orderSummary` that a list of products should carry.
pub fn summarize(products: &[Product]) -> Result<OrderSummary, MathError> {
    let lines = products
        .iter()
        .map(product_totals)
        .collect::<Result<Vec<_>, _>>()?;
    sum_totals(&lines)
}

/// A given value that does not agree with the lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Dotted path (`products.2.amount`, `orderSummary.subTotal`).
    pub path: String,
    pub expected: Money,
    pub given: Money,
    /// Allowed absolute difference.
    pub tolerance: Money,
}

/// Compare given line amounts and summary with what the lines compute.
pub fn check_agreement(
    products: &[Product],
    given: &OrderSummary,
) -> Result<Vec<Mismatch>, MathError> {
    let lines = products
        .iter()
        .map(product_totals)
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for (i, (p, l)) in products.iter().zip(&lines).enumerate() {
        if p.amount != l.amount {
            out.push(Mismatch {
                path: format!("products.{i}.amount"),
                expected: l.amount,
                given: p.amount,
                tolerance: Money::ZERO,
            });
        }
    }
    out.extend(check_summary(&lines, given)?);
    Ok(out)
}

/// Compare a given `orderSummary` with computed line totals (paths `orderSummary.*`).
pub fn check_summary(
    lines: &[LineTotals],
    given: &OrderSummary,
) -> Result<Vec<Mismatch>, MathError> {
    let want = sum_totals(lines)?;
    let per_line = Money(i64::try_from(lines.len()).unwrap_or(i64::MAX));
    let checks = [
        (
            "orderSummary.subTotal",
            want.sub_total,
            given.sub_total,
            per_line,
        ),
        (
            "orderSummary.totalTax",
            want.total_tax,
            given.total_tax,
            per_line,
        ),
        (
            "orderSummary.totalDiscount",
            want.total_discount,
            given.total_discount,
            Money::ZERO,
        ),
        (
            "orderSummary.grandTotal",
            want.grand_total,
            given.grand_total,
            Money::ZERO,
        ),
    ];
    let mut out = Vec::new();
    for (path, expected, given, tolerance) in checks {
        let diff = (i128::from(expected.0) - i128::from(given.0)).abs();
        if diff > i128::from(tolerance.0) {
            out.push(Mismatch {
                path: path.to_owned(),
                expected,
                given,
                tolerance,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Quantity, TaxRate};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn p(q: i64, rate: i64, disc: i64, tax: i64, amount: i64) -> Product {
        Product {
            name: "x".into(),
            product_id: None,
            quantity: Quantity(q),
            rate: Money(rate),
            discount: Some(Money(disc)),
            tax: TaxRate(tax),
            amount: Money(amount),
        }
    }

    fn contract_lines() -> Vec<Product> {
        vec![
            p(100, 5_100, 0, 0, 5_100),
            p(100, 30_000, 5_000, 2_500, 25_000),
        ]
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn contract_case_totals() {
        let s = summarize(&contract_lines()).unwrap();
        assert_eq!(
            s,
            OrderSummary {
                sub_total: Money(29_100),
                total_tax: Money(6_000),
                total_discount: Money(5_000),
                grand_total: Money(30_100)
            }
        );
        assert_eq!(check_agreement(&contract_lines(), &s).unwrap(), vec![]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn tolerances() {
        let lines = contract_lines();
        let good = summarize(&lines).unwrap();
        // One øre per line (2 lines) on subTotal and totalTax is fine, three is not.
        let ok = OrderSummary {
            sub_total: Money(good.sub_total.0 + 2),
            total_tax: Money(good.total_tax.0 - 2),
            ..good
        };
        assert!(check_agreement(&lines, &ok).unwrap().is_empty());
        let bad = OrderSummary {
            sub_total: Money(good.sub_total.0 + 3),
            total_tax: Money(good.total_tax.0 - 3),
            ..good
        };
        let paths: Vec<_> = check_agreement(&lines, &bad)
            .unwrap()
            .into_iter()
            .map(|m| m.path)
            .collect();
        assert_eq!(paths, ["orderSummary.subTotal", "orderSummary.totalTax"]);
        // grandTotal and totalDiscount are exact.
        let bad = OrderSummary {
            grand_total: Money(good.grand_total.0 + 1),
            total_discount: Money(good.total_discount.0 - 1),
            ..good
        };
        let paths: Vec<_> = check_agreement(&lines, &bad)
            .unwrap()
            .into_iter()
            .map(|m| m.path)
            .collect();
        assert_eq!(
            paths,
            ["orderSummary.totalDiscount", "orderSummary.grandTotal"]
        );
        // A line amount off by one øre.
        let mut lines2 = lines.clone();
        lines2[1].amount = Money(25_001);
        let m = check_agreement(&lines2, &good).unwrap();
        assert_eq!(
            m[0],
            Mismatch {
                path: "products.1.amount".into(),
                expected: Money(25_000),
                given: Money(25_001),
                tolerance: Money::ZERO
            }
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn big_orders_do_not_overflow() {
        let big = p(100, 100_000_000_000, 0, 2_500, 100_000_000_000);
        let lines = vec![big; 10_000];
        let s = summarize(&lines).unwrap();
        assert_eq!(s.grand_total, Money(1_000_000_000_000_000));
        assert_eq!(s.sub_total.0 + s.total_tax.0, s.grand_total.0);
    }
}
