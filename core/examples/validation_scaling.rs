//! `cargo run --release -p frontdesk-core --example validation_scaling`
//!
//! Time to validate a payment link of 10, 1,000 and 10,000 product lines (the most the rules
//! allow), median of repeated runs, so non-linear growth shows. Prints figures only.

use std::time::{Duration, Instant};

use frontdesk_core::OrderKind;
use frontdesk_core::validate::{Context, validate_create};
use serde_json::{Value, json};

fn order(lines: usize, now: i64) -> Value {
    let products: Vec<Value> = (0..lines)
        .map(|i| {
            json!({"name": format!("Line {i}"), "productId": format!("P{i}"), "quantity": "2",
                   "rate": 199.5, "discount": 10, "tax": "25", "amount": 389})
        })
        .collect();
    // 2 × 199.50 at 25 %: net 319.20, tax 79.80, discount 10, amount 389 per line.
    let n = lines as i64;
    let kr = |ore: i64| format!("{}.{:02}", ore / 100, ore % 100);
    json!({
        "products": products,
        "orderSummary": {"subTotal": kr(31_920 * n), "totalTax": kr(7_980 * n),
                         "totalDiscount": kr(1_000 * n), "grandTotal": kr(38_900 * n)},
        "orderDate": (now + 60).to_string(),
        "customerDetails": {"type": "private", "countryCode": "+47", "msisdn": "46567468",
            "email": "kari@example.com", "name": "Kari Nordmann",
            "address": {"street": "Storgata 1", "zip": "0155", "city": "Oslo", "country": "NO"}},
        "invoiceAsPaymentOption": false
    })
}

fn main() {
    let now = 1_800_000_000;
    let ctx = Context::new(now);
    println!("validation of a payment link (validate_create), median of repeated runs:");
    let mut per_line = Vec::new();
    for lines in [10usize, 1_000, 10_000] {
        let payload = order(lines, now);
        if let Err(report) = validate_create(OrderKind::PaymentLink, &payload, &ctx) {
            eprintln!(
                "the {lines}-line order does not validate: {:?}",
                report.to_error_map()
            );
            std::process::exit(1);
        }
        let runs = (200_000 / lines).clamp(9, 2_000);
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let started = Instant::now();
                let outcome =
                    validate_create(OrderKind::PaymentLink, std::hint::black_box(&payload), &ctx);
                std::hint::black_box(outcome.is_ok());
                started.elapsed()
            })
            .collect();
        times.sort();
        let median = times[times.len() / 2];
        let micros = median.as_secs_f64() * 1e6;
        per_line.push(micros / lines as f64);
        println!(
            "  {lines:>6} lines: median {micros:>10.1} µs ({:.2} µs/line, {runs} runs, p95 {:.1} µs)",
            micros / lines as f64,
            times[times.len() * 95 / 100].as_secs_f64() * 1e6
        );
    }
    if let (Some(first), Some(last)) = (per_line.first(), per_line.last()) {
        println!(
            "  cost per line grows ×{:.2} from 10 to 10,000 lines (1.00 = linear)",
            last / first
        );
    }
}
