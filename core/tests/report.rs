//! The VAT report against hand-computed figures, and its totals against the orders' own
//! summaries (native only; proptest does not run in the browser).
#![cfg(not(target_arch = "wasm32"))]

use frontdesk_core::OrderStatus;
use frontdesk_core::money::{Money, Quantity, TaxRate};
use frontdesk_core::order::{Product, UnixTime, summarize};
use frontdesk_core::report::{
    AgeBucket, ByRate, DateBasis, Granularity, LineRates, LineVat, Period, VatOrder, VatRow,
    age_bucket, refunded_by_rate, sales_by_rate, series_buckets, split_by_amount, vat_report,
    vat_term,
};
use frontdesk_core::requests::RefundedByLine;
use proptest::prelude::*;

fn line(quantity: i64, rate: i64, discount: i64, tax: i64) -> Product {
    Product {
        name: "x".into(),
        product_id: None,
        quantity: Quantity(quantity),
        rate: Money(rate),
        discount: Some(Money(discount)),
        tax: TaxRate(tax),
        amount: Money(0),
    }
}

/// An order of `products`, dated `dmy` (`05 Mar, 2024`), refunded through Frontdesk by line
/// (`lines`, ids of `rates`) and `total` in all.
struct Given<'a> {
    status: OrderStatus,
    dmy: &'a str,
    products: Vec<Product>,
    rates: LineRates,
    lines: RefundedByLine,
    total: i64,
}

fn order(g: Given) -> VatOrder {
    let vat = sales_by_rate(&g.products).unwrap();
    let refunded = refunded_by_rate(&vat, &g.rates, &g.lines, Money(g.total)).unwrap();
    let order_date = UnixTime::from_dmy(g.dmy).unwrap().0 + 12 * 3600;
    VatOrder {
        status: Some(g.status),
        order_date,
        // Paid the day after the order date.
        paid_at: Some((order_date + 86_400) * 1000),
        vat,
        refunded,
    }
}

fn row(rate: i64, sold: (i64, i64), back: (i64, i64)) -> VatRow {
    VatRow::new(
        TaxRate(rate),
        LineVat {
            base_ore: sold.0,
            vat_ore: sold.1,
        },
        LineVat {
            base_ore: back.0,
            vat_ore: back.1,
        },
    )
}

/// Six orders of March–April 2024 (the second VAT term) and around it.
fn fixed_orders() -> Vec<VatOrder> {
    let none = || (LineRates::new(), RefundedByLine::new());
    let (r0, l0) = none();
    let (r4, l4) = none();
    let (r5, l5) = none();
    vec![
        // 1 000.00 at 25 % less 100.00 (VAT 180.00) and 2 × 50.00 at 15 % (VAT 13.04); line 11
        // (the 25 % line) refunded 200.00 through Frontdesk: VAT 40.00 back.
        order(Given {
            status: OrderStatus::PartialRefunded,
            dmy: "05 Mar, 2024",
            products: vec![line(100, 100_000, 10_000, 2500), line(200, 5_000, 0, 1500)],
            rates: [(11, 2500), (12, 1500)].into(),
            lines: [(11, 20_000)].into(),
            total: 20_000,
        }),
        // 3 × 33.33 at 12 % (99.99, VAT 10.71) and 80.00 at 0 %; 50.00 refunded elsewhere:
        // by amount 27.7768… and 22.2232… → 27.78 (largest remainder) and 22.22.
        order(Given {
            status: OrderStatus::PartialRefunded,
            dmy: "20 Mar, 2024",
            products: vec![line(300, 3_333, 0, 1200), line(100, 8_000, 0, 0)],
            rates: r0,
            lines: l0,
            total: 5_000,
        }),
        // 1.5 × 199.90 at 25 % (299.85, VAT 59.97); 10.00 refunded on a line whose rate is not
        // known: split by amount, all at 25 %.
        order(Given {
            status: OrderStatus::Paid,
            dmy: "10 Apr, 2024",
            products: vec![line(150, 19_990, 0, 2500)],
            rates: [(31, 2500)].into(),
            lines: [(99, 1_000)].into(),
            total: 1_000,
        }),
        // Not paid: not in the report.
        order(Given {
            status: OrderStatus::Sent,
            dmy: "10 Mar, 2024",
            products: vec![line(100, 10_000, 0, 2500)],
            rates: r4,
            lines: l4,
            total: 0,
        }),
        // Paid, but dated in May.
        order(Given {
            status: OrderStatus::Paid,
            dmy: "02 May, 2024",
            products: vec![line(100, 10_000, 0, 2500)],
            rates: r5,
            lines: l5,
            total: 0,
        }),
        // 40.00 at 25 % on the term's last day, wholly refunded (line 61).
        order(Given {
            status: OrderStatus::Refunded,
            dmy: "30 Apr, 2024",
            products: vec![line(100, 4_000, 0, 2500)],
            rates: [(61, 2500)].into(),
            lines: [(61, 4_000)].into(),
            total: 4_000,
        }),
    ]
}

#[test]
fn the_second_term_of_2024_by_hand() {
    let report = vat_report(&fixed_orders(), &vat_term(2024, 2), DateBasis::OrderDate);
    assert_eq!(report.period.from, "2024-03-01");
    assert_eq!(report.period.to, "2024-04-30");
    let want = vec![
        // 720.00 + 239.88 + 32.00; VAT 180.00 + 59.97 + 8.00; back 160.00 + 8.00 + 32.00,
        // VAT 40.00 + 2.00 + 8.00.
        row(2500, (99_188, 24_797), (20_000, 5_000)),
        row(1500, (8_696, 1_304), (0, 0)),
        // 27.78 back at 12 %: VAT 2.98 (2.976…).
        row(1200, (8_928, 1_071), (2_480, 298)),
        row(0, (8_000, 0), (2_222, 0)),
    ];
    assert_eq!(report.rows, want);
    assert_eq!(report.totals, row(0, (124_812, 27_172), (24_702, 5_298)));
    assert_eq!(
        (report.totals.net_base_ore, report.totals.net_vat_ore),
        (100_110, 21_874)
    );
    // By payment date the order of April 30 (paid May 1) falls out; the one of May 2 stays out.
    let by_payment = vat_report(&fixed_orders(), &vat_term(2024, 2), DateBasis::PaymentDate);
    assert_eq!(report.totals.base_ore - by_payment.totals.base_ore, 3_200);
    assert_eq!(
        report.totals.refunded_base_ore - by_payment.totals.refunded_base_ore,
        3_200
    );
}

/// A product line: quantity (hundredths), unit price, discount in per mille of the gross, rate.
fn arb_line() -> impl Strategy<Value = Product> {
    (
        1i64..=1_000,
        1i64..=2_000_000,
        0i64..=1000,
        prop::sample::select(vec![0i64, 1000, 1200, 1500, 2500]),
    )
        .prop_map(|(q, rate, permille, tax)| {
            let gross = q * rate / 100;
            line(q, rate, gross * permille / 1000, tax)
        })
}

/// An order: its lines, status, day of the term, and refunds (per line, by index into its
/// lines, whose ids are known or not, and what was refunded elsewhere).
type Arb = (Vec<Product>, OrderStatus, i64, Vec<(usize, i64, bool)>, i64);

fn arb_order() -> impl Strategy<Value = Arb> {
    (
        prop::collection::vec(arb_line(), 1..6),
        prop::sample::select(OrderStatus::ALL.to_vec()),
        -10i64..70,
        prop::collection::vec((0usize..6, 0i64..50_000, any::<bool>()), 0..3),
        0i64..100_000,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn report_totals_are_the_sum_of_the_orders_summaries(
        given in prop::collection::vec(arb_order(), 0..12),
        by_payment in any::<bool>(),
    ) {
        let term = vat_term(2024, 2);
        let first = UnixTime::from_dmy("01 Mar, 2024").unwrap().0;
        let basis = if by_payment { DateBasis::PaymentDate } else { DateBasis::OrderDate };
        let (mut vat, mut base, mut back) = (0i64, 0i64, 0i64);
        let mut orders = Vec::new();
        for (products, status, day, refunds, elsewhere) in given {
            let sales = sales_by_rate(&products).unwrap();
            let rates: LineRates = refunds
                .iter()
                .filter(|(_, _, known)| *known)
                .map(|(i, _, _)| (*i as i64, products[i % products.len()].tax.0))
                .collect();
            let mut lines = RefundedByLine::new();
            for (i, ore, _) in &refunds {
                *lines.entry(*i as i64).or_default() += ore;
            }
            let frontdesk: i64 = lines.values().sum();
            let known: i64 = lines
                .iter()
                .filter(|(id, _)| rates.contains_key(*id))
                .map(|(_, o)| o)
                .sum();
            let total = frontdesk + elsewhere;
            let refunded = refunded_by_rate(&sales, &rates, &lines, Money(total)).unwrap();
            let o = VatOrder {
                status: Some(status),
                order_date: first + day * 86_400 + 3_600,
                paid_at: Some((first + day * 86_400 + 7_200) * 1000),
                vat: sales,
                refunded,
            };
            if o.counts_in(&term, basis) {
                let s = summarize(&products).unwrap();
                vat += s.total_tax.0;
                base += s.grand_total.0 - s.total_tax.0;
                let amount: i64 = o.vat.values().map(|v| v.amount_ore()).sum();
                // Everything refunded is deducted, once; an order of nothing has no rate to put
                // the refunds of unknown lines at.
                back += if amount > 0 { total } else { known };
            }
            orders.push(o);
        }
        let report = vat_report(&orders, &term, basis);
        prop_assert_eq!(report.totals.vat_ore, vat);
        prop_assert_eq!(report.totals.base_ore, base);
        prop_assert_eq!(report.totals.refunded_base_ore + report.totals.refunded_vat_ore, back);
        prop_assert_eq!(report.totals.net_vat_ore, vat - report.totals.refunded_vat_ore);
        let column = |f: fn(&VatRow) -> i64| report.rows.iter().map(f).sum::<i64>();
        prop_assert_eq!(column(|r| r.base_ore), report.totals.base_ore);
        prop_assert_eq!(column(|r| r.refunded_vat_ore), report.totals.refunded_vat_ore);
        prop_assert_eq!(column(|r| r.net_base_ore), report.totals.net_base_ore);
        let rates: Vec<i64> = report.rows.iter().map(|r| r.rate.0).collect();
        prop_assert!(rates.windows(2).all(|w| w[0] > w[1]), "{:?}", rates);
        for standard in [2500, 1500, 1200, 0] {
            prop_assert!(rates.contains(&standard));
        }
    }

    #[test]
    fn a_split_adds_up_and_follows_the_amounts(
        total in 0i64..10_000_000,
        amounts in prop::collection::vec(0i64..5_000_000, 1..5),
    ) {
        let sales: ByRate = amounts
            .iter()
            .enumerate()
            .map(|(i, a)| (TaxRate(i as i64 * 500), LineVat { base_ore: *a, vat_ore: 0 }))
            .collect();
        let parts = split_by_amount(total, &sales);
        let sum: i128 = amounts.iter().map(|a| i128::from(*a)).sum();
        if sum == 0 {
            prop_assert!(parts.is_empty());
        } else {
            prop_assert_eq!(parts.values().sum::<i64>(), total);
            for (rate, part) in &parts {
                let a = i128::from(sales[rate].amount_ore());
                let exact = i128::from(total) * a;
                // Within one øre of the exact share.
                prop_assert!((i128::from(*part) * sum - exact).abs() < sum);
            }
        }
    }

    #[test]
    fn every_day_past_is_in_the_bucket_whose_range_holds_it(
        days in -400i64..400,
        today in 0i64..40_000,
    ) {
        let bucket = age_bucket(days);
        prop_assert_eq!(bucket.is_none(), days < 0);
        let origin = today - days;
        for b in AgeBucket::ALL {
            let (earliest, latest) = b.origin_days(today);
            let inside = origin <= latest && earliest.is_none_or(|e| origin >= e);
            prop_assert_eq!(inside, bucket == Some(b), "{:?} {}", b, days);
        }
    }

    #[test]
    fn series_buckets_cover_the_period_exactly(start in 18_000i64..21_000, len in 1i64..=366) {
        let p = Period::of_days(start, start + len - 1);
        let b = series_buckets(&p);
        prop_assert_eq!((b[0].lo, b[b.len() - 1].hi), p.bounds());
        prop_assert!(b.windows(2).all(|w| w[0].hi == w[1].lo && w[0].lo < w[0].hi));
        if Granularity::for_period(&p) == Granularity::Week {
            for bucket in &b {
                let day = frontdesk_core::report::parse_day(&bucket.start).unwrap();
                prop_assert_eq!(frontdesk_core::report::monday_of(day), day);
            }
        } else {
            prop_assert_eq!(b.len() as i64, len);
        }
        prop_assert_eq!(p.previous().len_days(), len);
    }
}
