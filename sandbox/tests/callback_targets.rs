//! Where the sandbox may deliver a callback (issue 15, SSRF): metadata, private and loopback
//! addresses are refused unless `--allow-private-callbacks` (`Config::allow_private_callbacks`)
//! lets local receivers through; metadata stays refused; redirects are never followed.

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{Sandbox, payment_link};
use frontdesk_sandbox::Db;
use frontdesk_sandbox::targets::{Policy, Refused, check_url};
use serde_json::Value;

/// A receiver at `/hook` answering `head` (status line and headers).
fn receiver(head: String) -> (String, mpsc::Receiver<String>) {
    common::receiver("/hook", head)
}

/// A sandbox that refuses private callback targets (the default outside tests and the stack).
fn strict() -> Sandbox {
    let mut c = common::config();
    c.allow_private_callbacks = false;
    Sandbox::with(c, Db::Memory)
}

/// The callback log of `id` once its first delivery has ended (not `pending`).
fn settled(sb: &Sandbox, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (s, v) = sb.get(&format!("/_sandbox/orders/{id}/callbacks"));
        assert_eq!(s, 200, "{v}");
        if v["data"][0]["state"]
            .as_str()
            .is_some_and(|st| st != "pending")
        {
            return v["data"][0].clone();
        }
        assert!(Instant::now() < deadline, "the delivery never ended: {v}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Create a payment link calling back `url`, pay it, and return its settled delivery.
fn pay_and_deliver(sb: &Sandbox, url: &str) -> Value {
    let id = sb.create("payment-link", &payment_link(Some(url), false));
    assert_eq!(sb.transition(&id, "PAID").0, 200);
    // The order is made and changed whatever its callback URL: the callback is a hint.
    assert_eq!(sb.status_of(&id)["status"], "PAID");
    settled(sb, &id)
}

fn assert_refused(delivery: &Value, url: &str) {
    assert_eq!(delivery["state"], "refused", "{url}: {delivery}");
    let attempts = delivery["attempts"].as_array().expect("attempts");
    assert_eq!(attempts.len(), 1, "{url}: logged once, not retried");
    assert!(
        attempts[0]["httpStatus"].is_null(),
        "{url}: nothing was sent"
    );
    let error = attempts[0]["error"].as_str().unwrap_or_default();
    assert!(error.starts_with("refused: "), "{url}: {error}");
}

#[test]
fn metadata_private_and_loopback_targets_are_refused_without_the_flag() {
    let sb = strict();
    for url in [
        "http://169.254.169.254/",
        "http://10.0.0.1/",
        "http://[::1]/",
        "http://127.0.0.1:9/cb",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
    ] {
        assert_refused(&pay_and_deliver(&sb, url), url);
    }
    let metadata = pay_and_deliver(&sb, "http://169.254.169.254/");
    let error = metadata["attempts"][0]["error"]
        .as_str()
        .unwrap_or_default();
    assert!(error.contains("cloud metadata"), "{error}");
    sb.stop();
}

#[test]
fn a_local_receiver_is_called_only_with_the_flag() {
    let (url, rx) = receiver("HTTP/1.1 200 OK".into());
    let sb = strict();
    assert_refused(&pay_and_deliver(&sb, &url), &url);
    assert!(
        rx.recv_timeout(Duration::from_millis(300)).is_err(),
        "nothing reached the receiver"
    );
    sb.stop();

    let sb = Sandbox::start(); // common::config(): allow_private_callbacks
    let delivery = pay_and_deliver(&sb, &url);
    assert_eq!(delivery["state"], "delivered", "{delivery}");
    let target = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("the callback arrives");
    assert!(target.starts_with("/hook?orderUuid="), "{target}");
    sb.stop();
}

#[test]
fn the_flag_lets_loopback_and_private_through_but_never_metadata() {
    let local = Policy {
        allow_private: true,
    };
    for url in ["http://[::1]/", "http://127.0.0.1/", "http://10.0.0.1/"] {
        assert_eq!(check_url(url, local), Ok(()), "{url}");
        assert!(
            matches!(
                check_url(url, Policy::default()),
                Err(Refused::Address { .. })
            ),
            "{url}"
        );
    }
    for url in [
        "http://169.254.169.254/",
        "http://[fd00:ec2::254]/",
        "http://0.0.0.0:80/",
    ] {
        assert!(check_url(url, local).is_err(), "{url}");
    }
    // End to end: the flag's sandbox still refuses the metadata service.
    let sb = Sandbox::start();
    let url = "http://169.254.169.254/latest/meta-data/";
    assert_refused(&pay_and_deliver(&sb, url), url);
    sb.stop();
}

#[test]
fn redirects_are_not_followed() {
    let (final_url, final_rx) = receiver("HTTP/1.1 200 OK".into());
    let (url, rx) = receiver(format!("HTTP/1.1 302 Found\r\nLocation: {final_url}"));
    let sb = Sandbox::start(); // 3 attempts, 50 ms base backoff
    let delivery = pay_and_deliver(&sb, &url);
    assert_eq!(delivery["state"], "failed", "{delivery}");
    for a in delivery["attempts"].as_array().expect("attempts") {
        assert_eq!(a["httpStatus"], 302, "{a}");
    }
    assert_eq!(
        rx.try_iter().count(),
        3,
        "each attempt asked the first receiver"
    );
    assert!(
        final_rx.recv_timeout(Duration::from_millis(300)).is_err(),
        "the redirect's target was never called"
    );
    sb.stop();
}
