//! Every shared contract case from /work/shared/contract/cases.json.

mod common;

use common::{Sandbox, now};
use serde_json::Value;

const CASES: &str = include_str!("../../../shared/contract/cases.json");

#[test]
fn every_contract_case() {
    let sb = Sandbox::start();
    let cases: Vec<Value> =
        serde_json::from_str(&CASES.replace("{{now}}", &(now() + 60).to_string())).unwrap();
    assert!(cases.len() >= 18, "cases.json shrank: {}", cases.len());
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let method = case["method"].as_str().unwrap();
        let path = case["path"].as_str().unwrap();
        let body = (!case["body"].is_null()).then_some(&case["body"]);
        let (status, v) = sb
            .send(method, path, body, &[])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = &case["expect"];
        assert_eq!(
            u64::from(status),
            want["status"].as_u64().unwrap(),
            "{name}: {v}"
        );
        assert_eq!(v["status_code"], want["status"], "{name}: {v}");
        assert_eq!(v["message"], want["message"], "{name}: {v}");
        if status == 201 {
            let id = v["data"]["uuid"].as_str().unwrap();
            assert!(id.starts_with("ODR") && id.len() == 13, "{name}: {id}");
            assert!(
                v["data"]["customerUuid"]
                    .as_str()
                    .unwrap()
                    .starts_with("CSRT")
            );
        }
        if let Some(keys) = want.get("errorKeys").and_then(Value::as_array) {
            for k in keys {
                let k = k.as_str().unwrap();
                assert!(
                    v["errors"].get(k).is_some(),
                    "{name}: {k} missing in {}",
                    v["errors"]
                );
            }
        }
    }
    sb.stop();
}
