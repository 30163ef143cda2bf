//! One order line, VAT-inclusive (contract-notes "Money"): `amount = quantity × rate − discount`
//! and VAT is due on what the customer pays, `tax = amount × tax / (100 + tax)`. The docs'
//! `subTotal` is still "before tax and discount" (`gross_net`), and Front Payment's portal's VAT
//! before the discount (`portal_tax`) is kept for the totals check. Each value is rounded half
//! away from zero to the øre, per line.

use crate::money::{Money, Quantity, TaxRate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MathError {
    #[error("amount too large")]
    Overflow,
    #[error("tax rate must be above -100 %")]
    InvalidTax,
}

/// What one line adds up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineTotals {
    /// quantity × rate.
    pub gross: Money,
    pub discount: Money,
    /// gross − discount: the line `amount`, what the customer pays.
    pub amount: Money,
    /// VAT-exclusive part of `amount` (`amount − tax`, so the two add up exactly).
    pub net: Money,
    /// VAT part of `amount`: the VAT that is due, shown, sent and reported.
    pub tax: Money,
    /// VAT-exclusive part of `gross`: what the docs' `subTotal` adds up.
    pub gross_net: Money,
    /// VAT part of `gross` (before the discount): Front Payment's portal's figure, which the
    /// totals check also accepts.
    pub portal_tax: Money,
}

/// `n / d` rounded half away from zero; `d > 0`.
pub(crate) fn round_div(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d { q + n.signum() } else { q }
}

fn to_money(v: i128) -> Result<Money, MathError> {
    i64::try_from(v).map(Money).map_err(|_| MathError::Overflow)
}

/// Totals of one line. Quantity is in hundredths, so `gross` is rounded to the øre too.
pub fn line_totals(
    quantity: Quantity,
    rate: Money,
    discount: Money,
    tax: TaxRate,
) -> Result<LineTotals, MathError> {
    let bp = i128::from(tax.basis_points());
    let denom = 10_000 + bp;
    if denom <= 0 {
        return Err(MathError::InvalidTax);
    }
    let gross = round_div(i128::from(quantity.0) * i128::from(rate.0), 100);
    let amount = gross - i128::from(discount.0);
    let vat = round_div(amount * bp, denom);
    Ok(LineTotals {
        gross: to_money(gross)?,
        discount,
        amount: to_money(amount)?,
        net: to_money(amount - vat)?,
        tax: to_money(vat)?,
        gross_net: to_money(round_div(gross * 10_000, denom))?,
        portal_tax: to_money(round_div(gross * bp, denom))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn t(q: i64, rate: i64, disc: i64, tax: i64) -> LineTotals {
        line_totals(Quantity(q), Money(rate), Money(disc), TaxRate(tax)).unwrap()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn rounding() {
        assert_eq!(round_div(5, 10), 1);
        assert_eq!(round_div(-5, 10), -1);
        assert_eq!(round_div(4, 10), 0);
        assert_eq!(round_div(-4, 10), 0);
        assert_eq!(round_div(15, 10), 2);
        assert_eq!(round_div(14, 10), 1);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn contract_notes_example() {
        // 2 × 200.00 at 25 % → amount 400.00, net 320.00, tax 80.00.
        let l = t(200, 20_000, 0, 2500);
        assert_eq!(
            (l.amount, l.net, l.tax, l.gross_net, l.portal_tax),
            (
                Money(40_000),
                Money(32_000),
                Money(8_000),
                Money(32_000),
                Money(8_000)
            )
        );
        // 1 000.00 at 25 % with 100.00 off → amount 900.00, VAT 180.00 (the portal: 200.00).
        let l = t(100, 100_000, 10_000, 2500);
        assert_eq!(
            (l.amount, l.net, l.tax, l.portal_tax),
            (Money(90_000), Money(72_000), Money(18_000), Money(20_000))
        );
        // 1 × 300 − 50 at 25 %: amount 250, VAT 50 on it, net 200; before the discount net
        // 240 (the docs' subTotal) and the portal's VAT 60.
        let l = t(100, 30_000, 5_000, 2500);
        assert_eq!(
            (l.gross, l.amount, l.net, l.tax),
            (Money(30_000), Money(25_000), Money(20_000), Money(5_000))
        );
        assert_eq!((l.gross_net, l.portal_tax), (Money(24_000), Money(6_000)));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn odd_rates() {
        // 12.5 %: 100.00 → net 88.89 (88.888…), tax 11.11.
        let l = t(100, 10_000, 0, 1250);
        assert_eq!((l.net, l.tax), (Money(8_889), Money(1_111)));
        // 15 % of 0.01: net 0.01, tax 0.00 (0.0013 rounds down).
        let l = t(100, 1, 0, 1500);
        assert_eq!((l.net, l.tax), (Money(1), Money(0)));
        // Quantity 1.5 × 0.03 = 0.045 → 0.05 (half away from zero).
        assert_eq!(t(150, 3, 0, 0).gross, Money(5));
        // Half-øre both ways: 25 % of 1.25 → net 1.00, tax 0.25; 25 % of 0.05 → 0.04 + 0.01.
        let l = t(100, 5, 0, 2500);
        assert_eq!((l.net, l.tax), (Money(4), Money(1)));
        let l = t(100, 3, 0, 2500); // 0.024 → 0.02, 0.006 → 0.01: net + tax = gross
        assert_eq!((l.net, l.tax), (Money(2), Money(1)));
        // 12 % of 0.14 is 0.015 → 0.02: net is what is left (0.12), never a rounding of its own.
        let l = t(100, 14, 0, 1200);
        assert_eq!((l.net, l.tax), (Money(12), Money(2)));
        // A line discounted to nothing owes no VAT.
        let l = t(100, 10_000, 10_000, 2500);
        assert_eq!(
            (l.amount, l.net, l.tax),
            (Money::ZERO, Money::ZERO, Money::ZERO)
        );
        assert_eq!(l.portal_tax, Money(2_000));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn errors() {
        assert_eq!(
            line_totals(Quantity(100), Money(1), Money(0), TaxRate(-10_000)),
            Err(MathError::InvalidTax)
        );
        assert_eq!(
            line_totals(Quantity(i64::MAX), Money(i64::MAX), Money(0), TaxRate(0)),
            Err(MathError::Overflow)
        );
    }
}
