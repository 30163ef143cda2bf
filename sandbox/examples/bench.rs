//! `cargo run --release -p frontdesk-sandbox --example bench [CLIENTS] [ORDERS]`
//!
//! Starts the sandbox in-process on 127.0.0.1:0 (file database in a temp dir: WAL, as in
//! production use), creates ORDERS payment links (default 100,000) from CLIENTS concurrent
//! keep-alive clients (default 8), then times `GET …/orders/status` (all orders) 9 times.
//! Prints figures only; asserts nothing about speed. The clients share the machine's cores
//! with the server, so creates/s is a floor.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use frontdesk_sandbox::{Config, Db};
use serde_json::json;

fn rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let clients: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);
    let orders: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let dir = std::env::temp_dir().join(format!(
        "frontdesk-sandbox-bench-{}-{now}",
        std::process::id()
    ));
    let token = "bench-token";
    let mut config = Config::new(token, "bench-secret");
    config.rate_limit = 0; // a load run: Laravel's 240 a minute would refuse nearly all of it
    let running = frontdesk_sandbox::start(
        config,
        Db::File(dir.join("bench.sqlite")),
        "127.0.0.1:0".parse()?,
    )?;
    let base = running.url();
    let body = json!({
        "products": [
            {"name": "Hair Wash", "productId": "VFDDF", "quantity": "1", "rate": 51, "discount": 0, "tax": "0", "amount": 51},
            {"name": "Colour", "productId": "COL2", "quantity": "1", "rate": 300, "discount": 50, "tax": "25", "amount": 250}
        ],
        "orderSummary": {"subTotal": "291.00", "totalTax": "60.00", "totalDiscount": "50.00", "grandTotal": "301.00"},
        "sendOrderBy": {"sms": false, "email": true},
        "orderDate": (now + 60).to_string(),
        "customerDetails": {"type": "private", "email": "ola@example.com", "name": "Ola Nordmann",
            "address": {"street": "Storgata 1", "zip": "0155", "city": "Oslo", "country": "NO"}},
        "invoiceAsPaymentOption": false
    })
    .to_string();
    let agent = |t: u64| -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(t)))
            .build()
            .into()
    };

    let left = AtomicUsize::new(orders);
    let failed = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..clients {
            s.spawn(|| {
                let a = agent(30);
                let url = format!("{base}/api/v1/connect/orders/payment-link/create");
                while left
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                    .is_ok()
                {
                    let ok = a
                        .post(&url)
                        .header("Authorization", &format!("Bearer {token}"))
                        .header("Content-Type", "application/json")
                        .send(body.as_str())
                        .is_ok_and(|r| r.status().as_u16() == 201);
                    if !ok {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let took = started.elapsed();
    println!(
        "creates: {orders} in {:.2} s with {clients} clients = {:.0} creates/s ({} failed)",
        took.as_secs_f64(),
        orders as f64 / took.as_secs_f64(),
        failed.load(Ordering::Relaxed)
    );

    let a = agent(60);
    let mut times = Vec::new();
    let mut items = 0;
    for _ in 0..9 {
        let t = Instant::now();
        let mut r = a
            .get(&format!("{base}/api/v1/connect/orders/status"))
            .header("Authorization", &format!("Bearer {token}"))
            .call()?;
        let text = r
            .body_mut()
            .with_config()
            .limit(512 * 1024 * 1024)
            .read_to_string()?;
        times.push(t.elapsed());
        items = text.matches("\"uuid\"").count();
    }
    times.sort();
    println!(
        "status-all with {items} orders ({} runs): p50 {:.1} ms, p95 {:.1} ms, min {:.1} ms",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    );
    match rss_kb() {
        Some(kb) => println!(
            "process memory (VmRSS, server + clients): {:.1} MiB",
            kb as f64 / 1024.0
        ),
        None => println!("process memory: /proc/self/status not available"),
    }
    running.stop()?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
