//! `products` as a JSON object keyed "0", "1", … (a PHP array, as the `frontgo` client sends it)
//! is the same order as the array form, in both dialects; errors name the key the client sent.

mod common;

use common::{
    Sandbox, config_in, contract_file, named_fields, names, now, order_date_in, payment_link,
    products,
};
use frontdesk_core::dialect::Dialect;
use frontdesk_sandbox::Db;
use serde_json::{Map, Value, json};

const CREATE: &str = "/api/v1/connect/orders/payment-link/create";

/// The array's lines keyed by their index.
fn keyed(lines: &Value) -> Value {
    let map: Map<String, Value> = lines
        .as_array()
        .expect("products array")
        .iter()
        .enumerate()
        .map(|(i, line)| (i.to_string(), line.clone()))
        .collect();
    Value::Object(map)
}

/// The details of an order without what differs between two creates of the same body (ids, the
/// invoice number drawn, a due date counted from the second of creation).
fn comparable(details: &Value) -> Value {
    let mut d = details.clone();
    if let Some(o) = d.as_object_mut() {
        for k in ["orderId", "invoiceNumber", "paymentLinkDueDate"] {
            o.remove(k);
        }
    }
    if let Some(lines) = d["productList"].as_array_mut() {
        for line in lines {
            if let Some(l) = line.as_object_mut() {
                l.remove("id");
            }
        }
    }
    d
}

/// Every create case of `cases.json`, in both dialects: the keyed form gets the answer the array
/// form gets (status, message, the same sentences), and a created order is the same order.
#[test]
fn keyed_products_answer_like_the_array_form() {
    for dialect in Dialect::ALL {
        let sb = Sandbox::with(config_in(dialect), Db::Memory);
        let text = contract_file("cases.json")
            .to_string()
            .replace("{{now}}", &order_date_in(dialect, now() + 60));
        let cases: Vec<Value> = serde_json::from_str(&text).expect("cases");
        let (mut compared, mut created) = (0, 0);
        for case in cases.iter().filter(|c| c["body"]["products"].is_array()) {
            let name = format!("{dialect}: {}", case["name"].as_str().unwrap_or("?"));
            let path = case["path"].as_str().unwrap();
            let (s1, a) = sb.post(path, &case["body"]);
            let mut body = case["body"].clone();
            body["products"] = keyed(&case["body"]["products"]);
            let (s2, b) = sb.post(path, &body);
            assert_eq!(s1, s2, "{name}: {a} / {b}");
            assert_eq!(a["message"], b["message"], "{name}");
            assert_eq!(a["errors"], b["errors"], "{name}");
            if s1 == 201 {
                let id = |v: &Value| v["data"]["uuid"].as_str().unwrap().to_owned();
                assert_eq!(
                    comparable(&sb.details(&id(&a))),
                    comparable(&sb.details(&id(&b))),
                    "{name}"
                );
                created += 1;
            }
            compared += 1;
        }
        assert!(
            compared >= 15 && created >= 3,
            "{dialect}: {compared} / {created}"
        );
        sb.stop();
    }
}

#[test]
fn errors_name_the_key_the_client_sent() {
    let sb = Sandbox::start();
    let lines = products();
    let mut bad = lines[1].clone();
    bad["tax"] = json!("10"); // not a configured rate
    let mut body = payment_link(None, false);

    body["products"] = json!({"0": lines[0], "1": bad});
    let (s, v) = sb.post(CREATE, &body);
    assert_eq!(s, 417, "{v}");
    assert!(names(&v, "products.1.tax"), "{v}");

    body["products"] = json!({"0": lines[0], "3": bad});
    let (s, v) = sb.post(CREATE, &body);
    assert_eq!(s, 417, "{v}");
    let named = named_fields(&v);
    assert!(named.iter().any(|f| f == "products.3.tax"), "{v}");
    assert!(!named.iter().any(|f| f == "products.1.tax"), "{v}");

    // The same lines keyed are accepted, and listed in key order.
    body["products"] = json!({"1": lines[1], "0": lines[0]});
    let (s, v) = sb.post(CREATE, &body);
    assert_eq!(s, 201, "{v}");
    let d = sb.details(v["data"]["uuid"].as_str().unwrap());
    assert_eq!(d["productList"][0]["productId"], "VFDDF");
    assert_eq!(d["productList"][1]["productId"], "COL2");
    sb.stop();
}
