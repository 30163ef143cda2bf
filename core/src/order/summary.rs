//! Order totals and the check that a client's `orderSummary` and line `amount`s agree with
//! its lines (contract-notes "Money"). Exact: each line `amount`, `totalDiscount`, `grandTotal`
//! (`Σ amount`), and `totalTax`, which is either ours (VAT after the discount, `Σ` line tax) or
//! Front Payment's portal's (VAT before the discount, rounded per line): clients that copied the
//! portal are not refused, any third figure is. Within one øre per line: `subTotal` (clients
//! round net differently).

use std::collections::BTreeMap;

use super::lines::{LineTotals, MathError, line_totals};
use super::{OrderSummary, Product};
use crate::money::{Money, TaxRate};

/// Totals of one product line of a request.
pub fn product_totals(p: &Product) -> Result<LineTotals, MathError> {
    line_totals(p.quantity, p.rate, p.discount.unwrap_or(Money::ZERO), p.tax)
}

/// Sum line totals into an `orderSummary`: `subTotal` before tax and discount (as the docs
/// define it), `totalTax` after the discount. Sums run in i128, so any number of lines is safe;
/// only a total beyond i64 øre is an error.
pub fn sum_totals<'a>(
    lines: impl IntoIterator<Item = &'a LineTotals>,
) -> Result<OrderSummary, MathError> {
    let (mut net, mut tax, mut disc, mut amount) = (0i128, 0i128, 0i128, 0i128);
    for l in lines {
        net += i128::from(l.gross_net.0);
        tax += i128::from(l.tax.0);
        disc += i128::from(l.discount.0);
        amount += i128::from(l.amount.0);
    }
    Ok(OrderSummary {
        sub_total: to_money(net)?,
        total_tax: to_money(tax)?,
        total_discount: to_money(disc)?,
        grand_total: to_money(amount)?,
    })
}

fn to_money(v: i128) -> Result<Money, MathError> {
    i64::try_from(v).map(Money).map_err(|_| MathError::Overflow)
}

/// The `totalTax` Front Payment's portal would send: VAT before the discount, per line.
pub fn portal_total_tax<'a>(
    lines: impl IntoIterator<Item = &'a LineTotals>,
) -> Result<Money, MathError> {
    to_money(lines.into_iter().map(|l| i128::from(l.portal_tax.0)).sum())
}

/// The `orderSummary` that a list of products should carry.
pub fn summarize(products: &[Product]) -> Result<OrderSummary, MathError> {
    let lines = products
        .iter()
        .map(product_totals)
        .collect::<Result<Vec<_>, _>>()?;
    sum_totals(&lines)
}

/// VAT due per rate (after the discount), for the bookkeeper: only rates that lines use.
pub fn vat_by_rate(products: &[Product]) -> Result<BTreeMap<TaxRate, Money>, MathError> {
    sum_by_rate(products, |l| l.tax)
}

/// Sales excluding VAT per rate (each line's `amount − tax`, so after the discount): the base of
/// the VAT report, beside [`vat_by_rate`]. Only rates that lines use.
pub fn base_by_rate(products: &[Product]) -> Result<BTreeMap<TaxRate, Money>, MathError> {
    sum_by_rate(products, |l| l.net)
}

fn sum_by_rate(
    products: &[Product],
    part: impl Fn(&LineTotals) -> Money,
) -> Result<BTreeMap<TaxRate, Money>, MathError> {
    let mut out = BTreeMap::new();
    for p in products {
        let value = part(&product_totals(p)?);
        let slot: &mut Money = out.entry(p.tax).or_default();
        *slot = slot.checked_add(value).ok_or(MathError::Overflow)?;
    }
    Ok(out)
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

/// Compare a given `orderSummary` with computed line totals (paths `orderSummary.*`). A
/// refused `totalTax` expects ours.
pub fn check_summary(
    lines: &[LineTotals],
    given: &OrderSummary,
) -> Result<Vec<Mismatch>, MathError> {
    let want = sum_totals(lines)?;
    let portal = portal_total_tax(lines)?;
    let per_line = Money(i64::try_from(lines.len()).unwrap_or(i64::MAX));
    // The portal's figure is as good as ours: compare with whichever was sent.
    let tax_reference = if given.total_tax == portal {
        portal
    } else {
        want.total_tax
    };
    let checks = [
        (
            "orderSummary.subTotal",
            want.sub_total,
            given.sub_total,
            per_line,
        ),
        (
            "orderSummary.totalTax",
            tax_reference,
            given.total_tax,
            Money::ZERO,
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

    fn paths(lines: &[Product], s: &OrderSummary) -> Vec<String> {
        check_agreement(lines, s)
            .unwrap()
            .into_iter()
            .map(|m| m.path)
            .collect()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn contract_case_totals() {
        let s = summarize(&contract_lines()).unwrap();
        // subTotal before tax and discount (51 + 240); VAT after the discount (25 % of 250).
        assert_eq!(
            s,
            OrderSummary {
                sub_total: Money(29_100),
                total_tax: Money(5_000),
                total_discount: Money(5_000),
                grand_total: Money(30_100)
            }
        );
        assert_eq!(check_agreement(&contract_lines(), &s).unwrap(), vec![]);
        // The docs' example sends the portal's 60.00: accepted too.
        let portal = OrderSummary {
            total_tax: Money(6_000),
            ..s
        };
        assert_eq!(check_agreement(&contract_lines(), &portal).unwrap(), vec![]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn issue_example_vat_after_the_discount() {
        // 1 000.00 at 25 % with 100.00 off: total 900.00, VAT 180.00 (the portal: 200.00).
        let lines = vec![p(100, 100_000, 10_000, 2_500, 90_000)];
        let s = summarize(&lines).unwrap();
        assert_eq!((s.grand_total, s.total_tax), (Money(90_000), Money(18_000)));
        for ok in [18_000, 20_000] {
            let given = OrderSummary {
                total_tax: Money(ok),
                ..s
            };
            assert!(paths(&lines, &given).is_empty(), "{ok}");
        }
        for third in [17_999, 18_001, 19_000, 19_999, 20_001] {
            let given = OrderSummary {
                total_tax: Money(third),
                ..s
            };
            let m = check_agreement(&lines, &given).unwrap();
            assert_eq!(m.len(), 1, "{third}");
            assert_eq!(
                (m[0].path.as_str(), m[0].expected),
                ("orderSummary.totalTax", Money(18_000))
            );
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn vat_per_rate() {
        let lines = vec![
            p(100, 100_000, 10_000, 2_500, 90_000),
            p(200, 5_000, 0, 1_500, 10_000),
            p(100, 5_100, 0, 0, 5_100),
            p(100, 30_000, 5_000, 2_500, 25_000),
        ];
        let v = vat_by_rate(&lines).unwrap();
        assert_eq!(
            v.into_iter().collect::<Vec<_>>(),
            [
                (TaxRate(0), Money::ZERO),
                (TaxRate(1_500), Money(1_304)),
                (TaxRate(2_500), Money(23_000)),
            ]
        );
        let total: i64 = vat_by_rate(&lines).unwrap().values().map(|m| m.0).sum();
        assert_eq!(Money(total), summarize(&lines).unwrap().total_tax);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn tolerances() {
        let lines = contract_lines();
        let good = summarize(&lines).unwrap();
        // One øre per line (2 lines) on subTotal is fine, three is not.
        let ok = OrderSummary {
            sub_total: Money(good.sub_total.0 + 2),
            ..good
        };
        assert!(check_agreement(&lines, &ok).unwrap().is_empty());
        let bad = OrderSummary {
            sub_total: Money(good.sub_total.0 + 3),
            ..good
        };
        assert_eq!(paths(&lines, &bad), ["orderSummary.subTotal"]);
        // totalTax is ours or the portal's, exactly: one øre off either is refused.
        for off in [-1, 1] {
            for base in [good.total_tax.0, 6_000] {
                let bad = OrderSummary {
                    total_tax: Money(base + off),
                    ..good
                };
                assert_eq!(
                    paths(&lines, &bad),
                    ["orderSummary.totalTax"],
                    "{base}{off:+}"
                );
            }
        }
        // grandTotal and totalDiscount are exact.
        let bad = OrderSummary {
            grand_total: Money(good.grand_total.0 + 1),
            total_discount: Money(good.total_discount.0 - 1),
            ..good
        };
        assert_eq!(
            paths(&lines, &bad),
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
