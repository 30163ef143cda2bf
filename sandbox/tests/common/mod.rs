//! Shared test helpers: a sandbox on 127.0.0.1:0 and a small ureq client.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use axum::http::HeaderMap;
use frontdesk_core::dialect::Dialect;
use frontdesk_core::validate::field_of_sentence;
use frontdesk_sandbox::{Config, Db, Running};
use serde_json::{Value, json};

pub const TOKEN: &str = "test-token";
pub const SECRET: &str = "test-secret";

pub fn config() -> Config {
    let mut c = Config::new(TOKEN, SECRET);
    c.fault_timeout = Duration::from_secs(2);
    c.callback_retry.base_delay = Duration::from_millis(50);
    c.callback_retry.timeout = Duration::from_secs(2);
    c.callback_retry.attempts = 3;
    // Tests send bursts; the rate limit's own tests turn it on.
    c.rate_limit = 0;
    // The tests' callback receivers listen on 127.0.0.1 (callback_targets.rs turns it off).
    c.allow_private_callbacks = true;
    c
}

/// [`config`] speaking `dialect`.
pub fn config_in(dialect: Dialect) -> Config {
    let mut c = config();
    c.dialect = dialect;
    c
}

/// A file of the repository's `docs/contract/` (the provider's docs, cases, recordings).
pub fn contract_file(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs/contract")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The 417 `errors` sentences of an answer (empty when `errors` is not a list of strings).
pub fn sentences(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The fields the 417 sentences name, as core maps a Laravel sentence back to its path.
pub fn named_fields(v: &Value) -> Vec<String> {
    sentences(v)
        .iter()
        .filter_map(|s| field_of_sentence(s))
        .collect()
}

/// Whether some 417 sentence of `v` names `field`.
pub fn names(v: &Value, field: &str) -> bool {
    named_fields(v).iter().any(|f| f == field)
}

/// An answer with its headers.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub struct Sandbox {
    pub running: Option<Running>,
    pub base: String,
    pub agent: ureq::Agent,
}

pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

impl Sandbox {
    pub fn start() -> Sandbox {
        Sandbox::with(config(), Db::Memory)
    }
    pub fn with(config: Config, db: Db) -> Sandbox {
        let running = frontdesk_sandbox::start(config, db, "127.0.0.1:0".parse().unwrap())
            .expect("sandbox starts");
        let base = running.url();
        Sandbox {
            running: Some(running),
            base,
            agent: agent(Duration::from_secs(10)),
        }
    }
    pub fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().expect("graceful stop");
        }
    }

    /// Send a request; `(status, parsed body or the raw text as a JSON string)`.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Result<(u16, Value), ureq::Error> {
        self.raw(method, path, body.map(|b| b.to_string()), headers, true)
    }

    pub fn raw(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
        headers: &[(&str, &str)],
        auth: bool,
    ) -> Result<(u16, Value), ureq::Error> {
        self.exchange(method, path, body, headers, auth)
            .map(|a| (a.status, a.body))
    }

    /// Send a request; the whole answer, headers included.
    pub fn exchange(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
        headers: &[(&str, &str)],
        auth: bool,
    ) -> Result<Answer, ureq::Error> {
        let url = format!("{}{}", self.base, path);
        let mut req = axum::http::Request::builder().method(method).uri(&url);
        if auth {
            req = req.header("Authorization", format!("Bearer {TOKEN}"));
        }
        if body.is_some()
            && !headers
                .iter()
                .any(|h| h.0.eq_ignore_ascii_case("content-type"))
        {
            req = req.header("Content-Type", "application/json");
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let mut resp = match body {
            Some(b) => self.agent.run(req.body(b).unwrap())?,
            None => self.agent.run(req.body(()).unwrap())?,
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()?;
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        self.send("GET", path, None, &[]).expect("GET answered")
    }
    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send("POST", path, Some(body), &[])
            .expect("POST answered")
    }

    pub fn create(&self, kind: &str, body: &Value) -> String {
        let (s, v) = self.post(&format!("/api/v1/connect/orders/{kind}/create"), body);
        assert_eq!(s, 201, "{v}");
        v["data"]["uuid"].as_str().unwrap().to_owned()
    }
    pub fn status_of(&self, id: &str) -> Value {
        let (s, v) = self.get(&format!("/api/v1/connect/orders/status/{id}"));
        assert_eq!(s, 200, "{v}");
        v["data"].clone()
    }
    pub fn transition(&self, id: &str, to: &str) -> (u16, Value) {
        self.post(
            &format!("/_sandbox/orders/{id}/transition"),
            &json!({"to": to}),
        )
    }
    pub fn details(&self, id: &str) -> Value {
        let (s, v) = self.get(&format!("/api/v1/connect/orders/details/{id}"));
        assert_eq!(s, 200, "{v}");
        v["data"].clone()
    }
    /// How many orders Get All Order Status lists (its 404 `Order Not Found` is none).
    pub fn order_count(&self) -> usize {
        let (s, v) = self.get("/api/v1/connect/orders/status");
        match s {
            200 => v["data"].as_array().map_or(0, Vec::len),
            404 if v["message"] == "Order Not Found" => 0,
            _ => panic!("status list: {s} {v}"),
        }
    }
    /// Give order `id` the uuid `to` (a control), e.g. to replay a recorded order id.
    pub fn rename(&self, id: &str, to: &str) {
        let (s, v) = self.post(
            &format!("/_sandbox/orders/{id}/rename"),
            &json!({"uuid": to}),
        );
        assert_eq!(s, 200, "{v}");
    }
    /// `/_sandbox/rate-limit`: set the limit (`Some`) or only read it; the stats.
    pub fn rate_limit(&self, per_minute: Option<u32>) -> Value {
        let (s, v) = match per_minute {
            Some(n) => self.post("/_sandbox/rate-limit", &json!({"perMinute": n})),
            None => self.get("/_sandbox/rate-limit"),
        };
        assert_eq!(s, 200, "{v}");
        v["data"].clone()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(r) = self.running.take() {
            let _ = r.stop();
        }
    }
}

/// A payment link whose `orderDate` is in `dialect`'s format (today, Oslo, for `d M, Y`).
pub fn payment_link_in(dialect: Dialect) -> Value {
    let mut v = payment_link(None, false);
    v["orderDate"] = json!(order_date_in(dialect, now() + 60));
    v
}

/// `at` as `dialect`'s server wants `orderDate`.
pub fn order_date_in(dialect: Dialect, at: i64) -> String {
    use frontdesk_core::dialect::DateFormat;
    match dialect.order_date_format() {
        DateFormat::Unix => at.to_string(),
        DateFormat::Dmy => frontdesk_core::order::UnixTime(at).to_dmy(),
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The contract cases' lines: 51.00 at 0 % and 300.00 − 50.00 at 25 % → 301.00. The summary
/// carries the portal's VAT before the discount (60.00), as the contract cases do; core's own
/// figure (50.00) is accepted as well.
pub fn products() -> Value {
    json!([
        {"name": "Hair Wash", "productId": "VFDDF", "quantity": "1", "rate": 51, "discount": 0, "tax": "0", "amount": 51},
        {"name": "Colour", "productId": "COL2", "quantity": "1", "rate": 300, "discount": 50, "tax": "25", "amount": 250}
    ])
}

pub fn summary() -> Value {
    json!({"subTotal": "291.00", "totalTax": "60.00", "totalDiscount": "50.00", "grandTotal": "301.00"})
}

fn address() -> Value {
    json!({"street": "Storgata 1", "zip": "0155", "city": "Oslo", "country": "NO"})
}

pub fn payment_link(callback: Option<&str>, invoice_option: bool) -> Value {
    let mut v = json!({
        "products": products(),
        "orderSummary": summary(),
        "sendOrderBy": {"sms": true, "email": false},
        "orderDate": (now() + 60).to_string(),
        "customerDetails": {"type": "private", "countryCode": "+47", "msisdn": "46567468", "email": "ola@example.com",
            "name": "Ola Nordmann", "preferredLanguage": "no", "address": address(), "personalNumber": "01010012356"},
        "invoiceAsPaymentOption": invoice_option,
        "referenceNo": "R-1",
        "customerReference": null,
        "secureDetails": false
    });
    if let Some(cb) = callback {
        v["callback"] = json!({"callbackUrl": cb});
    }
    v
}

pub fn invoice(callback: &str) -> Value {
    json!({
        "products": products(),
        "orderSummary": summary(),
        "orderDate": (now() + 60).to_string(),
        "customerDetails": {"type": "private", "countryCode": "+47", "msisdn": "46567468", "email": "ola@example.com",
            "name": "Ola Nordmann", "preferredLanguage": "no", "address": address(), "personalNumber": "01010012356"},
        "invoiceInterval": 1, "invoiceMaturity": 10, "invoiceFeeApplicable": false, "separateInvoices": true,
        "referenceNo": null, "customerReference": "PO-77",
        "callback": {"callbackUrl": callback}
    })
}

pub fn ehf(callback: &str) -> Value {
    json!({
        "products": products(),
        "orderSummary": summary(),
        "orderDate": (now() + 60).to_string(),
        "customerDetails": {"countryCode": "+47", "msisdn": "46567468", "email": "ola@example.com",
            "name": "Ola AS", "preferredLanguage": "no", "address": address(), "organizationId": "998379342"},
        "invoiceInterval": 1, "invoiceMaturity": 30, "invoiceFeeApplicable": false,
        "callback": {"callbackUrl": callback}
    })
}

/// A callback receiver on 127.0.0.1 at `path` (`/hook`, with a query if wanted): it answers
/// every request with `head` (status line and headers) and sends the request target down the
/// channel first, so a test that saw an attempt logged (the sandbox logs after the answer)
/// finds its target there. Returns the URL it listens at.
pub fn receiver(path: &str, head: String) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!(
        "http://{}{path}",
        listener.local_addr().expect("an address")
    );
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Ok(read_half) = stream.try_clone() else {
                continue;
            };
            let mut reader = BufReader::new(read_half);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).map(|n| n == 0).unwrap_or(true) || h == "\r\n" {
                    break;
                }
            }
            // Told before answering: the sandbox logs the attempt only after the answer.
            let target = line.split_whitespace().nth(1).unwrap_or_default();
            if tx.send(target.to_owned()).is_err() {
                return;
            }
            let _ = write!(
                stream,
                "{head}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (url, rx)
}
