//! Shared test helpers: a sandbox on 127.0.0.1:0 and a small ureq client.
#![allow(dead_code)]

use std::time::Duration;

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
    c
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
        let text = resp
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()?;
        let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok((status, v))
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
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(r) = self.running.take() {
            let _ = r.stop();
        }
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The contract cases' lines: 51.00 at 0 % and 300.00 − 50.00 at 25 % → 301.00.
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
