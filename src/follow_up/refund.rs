//! The refund editor's arithmetic: what is left per line, what the merchant typed, and the
//! request core's refund rules accept, checked before anything is sent.

use frontdesk_core::money::parse_typed_hundredths;
use frontdesk_core::refund::{
    MerchantLimits, RefundRejection, RefundableOrder, RefundableProduct, check_refund,
};
use frontdesk_core::requests::RefundedByLine;
use frontdesk_core::{Money, RefundProduct, RefundRequest, RefundType};

/// One order line in the editor: core's refundable line (refunded = through Frontdesk so far)
/// and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub name: String,
    pub product: RefundableProduct,
}

/// The order as the editor sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refundable {
    pub lines: Vec<Line>,
    pub order_amount: Money,
    /// The API's `refundedAmount` (every refund, also those not made through Frontdesk).
    pub refunded_amount: Money,
    pub refund_type: RefundType,
}

/// What is wrong with one line's entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineProblem {
    /// Not an amount (or more than two decimals, or negative).
    NotAnAmount,
    /// More than is left on this line.
    MoreThanLeft(Money),
}

/// Why the whole refund cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundProblem {
    /// Entries that are wrong, by line index.
    Lines(Vec<(usize, LineProblem)>),
    /// Nothing to refund entered.
    Nothing,
    /// Core's rules refuse it (what the API would answer).
    Rejected(RefundRejection),
}

impl Refundable {
    /// Refunds the API counts that Frontdesk's lines do not know of (made elsewhere).
    pub fn refunded_elsewhere(&self) -> Money {
        let known: i64 = self.lines.iter().map(|l| l.product.refunded.0).sum();
        Money(self.refunded_amount.0.saturating_sub(known).max(0))
    }

    /// An entry: empty is zero; otherwise a non-negative amount with at most two decimals,
    /// thousands maybe spaced as nb writes them (`3 580,00`, what "fill in everything" puts
    /// there).
    pub fn parse_entry(text: &str) -> Result<Money, LineProblem> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(Money::ZERO);
        }
        match parse_typed_hundredths(t) {
            Ok(h) if h >= 0 => Ok(Money(h)),
            _ => Err(LineProblem::NotAnAmount),
        }
    }

    /// The problem of line `i`'s entry, if any (shown live under the field).
    pub fn line_problem(&self, i: usize, text: &str) -> Option<LineProblem> {
        let line = self.lines.get(i)?;
        match Self::parse_entry(text) {
            Err(p) => Some(p),
            Ok(m) if m > line.product.left() => {
                Some(LineProblem::MoreThanLeft(line.product.left()))
            }
            Ok(_) => None,
        }
    }

    /// The sum of the valid entries (for the live total).
    pub fn total(&self, entries: &[String]) -> Money {
        Money(
            entries
                .iter()
                .filter_map(|e| Self::parse_entry(e).ok())
                .map(|m| m.0)
                .sum(),
        )
    }

    /// Every line's remaining amount (the "refund everything left" button writes them in the
    /// locale's format).
    pub fn everything_left(&self) -> Vec<Money> {
        self.lines.iter().map(|l| l.product.left()).collect()
    }

    /// The request to send, or why not. Lines left at zero are not sent.
    pub fn request(&self, entries: &[String]) -> Result<RefundRequest, RefundProblem> {
        let problems: Vec<(usize, LineProblem)> = self
            .lines
            .iter()
            .enumerate()
            .filter_map(|(i, _)| {
                let text = entries.get(i).map(String::as_str).unwrap_or_default();
                self.line_problem(i, text).map(|p| (i, p))
            })
            .collect();
        if !problems.is_empty() {
            return Err(RefundProblem::Lines(problems));
        }
        let products: Vec<RefundProduct> = self
            .lines
            .iter()
            .zip(entries)
            .filter_map(|(l, e)| {
                let amount = Self::parse_entry(e).ok()?;
                (amount.0 > 0).then_some(RefundProduct {
                    id: l.product.id,
                    amount,
                })
            })
            .collect();
        if products.is_empty() {
            return Err(RefundProblem::Nothing);
        }
        let request = RefundRequest {
            refund_type: self.refund_type,
            grand_total: Money(products.iter().map(|p| p.amount.0).sum()),
            products,
        };
        // Core compares against order amount − Σ line refunds; refunds made elsewhere are
        // known only as the API's total, so they shrink the order amount it sees.
        let elsewhere = self.refunded_elsewhere();
        let order = RefundableOrder {
            order_amount: Money(self.order_amount.0.saturating_sub(elsewhere.0)),
            products: self.lines.iter().map(|l| l.product).collect(),
        };
        check_refund(&order, &request, &MerchantLimits::default())
            .map_err(RefundProblem::Rejected)?;
        Ok(request)
    }
}

/// One audit row as the per-line sum needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundRecord<'a> {
    pub idempotency_key: Option<&'a str>,
    pub succeeded: bool,
    /// `{"<product id>": øre}`.
    pub detail: Option<&'a str>,
}

/// Refunded øre per product id, from the proxy's audit rows of successful refunds. A retried
/// refund (same idempotency key, replayed) counts once.
pub fn refunded_per_line<'a>(
    records: impl IntoIterator<Item = RefundRecord<'a>>,
) -> RefundedByLine {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = RefundedByLine::new();
    for r in records {
        if !r.succeeded || r.idempotency_key.is_some_and(|k| !seen.insert(k)) {
            continue;
        }
        let lines: RefundedByLine = r
            .detail
            .and_then(|d| serde_json::from_str(d).ok())
            .unwrap_or_default();
        for (id, ore) in lines {
            *out.entry(id).or_insert(0) += ore;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn order() -> Refundable {
        let line = |id, name: &str, kr, back| Line {
            name: name.into(),
            product: RefundableProduct {
                id,
                amount: Money::from_kroner(kr),
                refunded: Money::from_kroner(back),
            },
        };
        Refundable {
            lines: vec![line(1, "Shoes", 400, 100), line(2, "Socks", 100, 0)],
            order_amount: Money::from_kroner(500),
            refunded_amount: Money::from_kroner(100),
            refund_type: RefundType::Regular,
        }
    }

    fn entries(e: &[&str]) -> Vec<String> {
        e.iter().map(|s| (*s).to_owned()).collect()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn what_is_left_per_line_and_in_total() {
        let o = order();
        assert_eq!(o.lines[0].product.left(), Money::from_kroner(300));
        assert_eq!(o.refunded_elsewhere(), Money::ZERO);
        assert_eq!(
            o.everything_left(),
            [Money::from_kroner(300), Money::from_kroner(100)]
        );
        assert_eq!(o.total(&entries(&["12,50", "x", "0.5"])), Money(1300));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn entries_beyond_a_line_or_not_amounts_are_refused() {
        let o = order();
        assert_eq!(
            o.line_problem(0, "300.01"),
            Some(LineProblem::MoreThanLeft(Money::from_kroner(300)))
        );
        assert_eq!(o.line_problem(0, "300"), None);
        assert_eq!(o.line_problem(1, "1.234"), Some(LineProblem::NotAnAmount));
        assert_eq!(o.line_problem(1, "-5"), Some(LineProblem::NotAnAmount));
        assert_eq!(
            o.request(&entries(&["", "101"])),
            Err(RefundProblem::Lines(vec![(
                1,
                LineProblem::MoreThanLeft(Money::from_kroner(100))
            )]))
        );
        assert_eq!(o.request(&entries(&["", " "])), Err(RefundProblem::Nothing));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_valid_request_sums_its_lines_and_skips_zeroes() {
        let r = order()
            .request(&entries(&["50,25", "0"]))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(r.grand_total, Money(5025));
        assert_eq!(r.products.len(), 1);
        assert_eq!((r.products[0].id, r.products[0].amount), (1, Money(5025)));
        let everything: Vec<String> = order()
            .everything_left()
            .into_iter()
            .map(Money::to_api_string)
            .collect();
        assert_eq!(
            order().request(&everything).map(|r| r.grand_total),
            Ok(Money::from_kroner(400))
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn entries_read_what_fill_in_everything_writes() {
        // nb writes thousands spaced (`3 580,00`); en plainly (`3580.00`).
        for lang in [crate::i18n::Lang::Nb, crate::i18n::Lang::En] {
            let m = Money(358_000);
            assert_eq!(Refundable::parse_entry(&lang.amount_entry(m)), Ok(m));
        }
        assert_eq!(
            crate::i18n::Lang::Nb.amount_entry(Money(358_000)),
            "3 580,00"
        );
        assert_eq!(
            crate::i18n::Lang::En.amount_entry(Money(358_000)),
            "3580.00"
        );
        assert_eq!(
            Refundable::parse_entry("1 234 567,50"),
            Ok(Money(123_456_750))
        );
        assert_eq!(Refundable::parse_entry("1\u{a0}000"), Ok(Money(100_000)));
        for bad in ["1 2", "12 34", "1234 567", "1 000,0 0", " 1 00"] {
            assert_eq!(
                Refundable::parse_entry(bad),
                Err(LineProblem::NotAnAmount),
                "{bad}"
            );
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refunds_made_elsewhere_shrink_what_the_order_allows() {
        // 150 kr refunded upstream, Frontdesk knows of 100 on line 1: 50 kr came from elsewhere.
        let o = Refundable {
            refunded_amount: Money::from_kroner(150),
            ..order()
        };
        assert_eq!(
            o.request(&entries(&["300", "100"])),
            Err(RefundProblem::Rejected(
                RefundRejection::GreaterThanOrderAmount
            ))
        );
        assert!(o.request(&entries(&["300", "50"])).is_ok());
        assert_eq!(o.refunded_elsewhere(), Money::from_kroner(50));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refunded_per_line_counts_each_key_once() {
        let rec = |k, ok, d| RefundRecord {
            idempotency_key: k,
            succeeded: ok,
            detail: d,
        };
        let lines = refunded_per_line([
            rec(Some("a"), true, Some(r#"{"1":1000,"2":50}"#)),
            rec(Some("a"), true, Some(r#"{"1":1000,"2":50}"#)),
            rec(Some("b"), false, Some(r#"{"1":999}"#)),
            rec(None, true, Some(r#"{"2":25}"#)),
            rec(Some("c"), true, Some("not json")),
        ]);
        assert_eq!(lines.get(&1), Some(&1000));
        assert_eq!(lines.get(&2), Some(&75));
    }
}
