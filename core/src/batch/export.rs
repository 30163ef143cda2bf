//! Files people download: a spreadsheet of orders or customers in a language's form (the
//! templates are such a file with example rows), and a batch's result (each row's order uuid
//! or error). What [`super::orders`] reads back from an export gives the same orders.

use crate::csv::{self, CsvError, Dialect};
use crate::customer::CustomerDetails;
use crate::draft::{LineDraft, OrderDraft};
use crate::status::OrderKind;

use super::api::RowResult;
use super::columns::{self, Column, Target};

/// Whole orders (way (b)): one row per product line, the order's cells on each, under its
/// reference.
pub fn orders_csv(kind: OrderKind, dialect: Dialect, orders: &[(String, OrderDraft)]) -> String {
    let cols = columns::for_kind(kind, true);
    let mut rows = Vec::new();
    for (reference, d) in orders {
        let blank = [LineDraft::default()];
        let lines = if d.lines.is_empty() {
            &blank[..]
        } else {
            &d.lines[..]
        };
        for l in lines {
            rows.push(
                cols.iter()
                    .map(|c| order_cell(c, reference, d, l, dialect))
                    .collect(),
            );
        }
    }
    csv::write(dialect, &headers(&cols, dialect), &rows)
}

fn order_cell(
    c: &Column,
    reference: &str,
    d: &OrderDraft,
    l: &LineDraft,
    dialect: Dialect,
) -> String {
    match c.target {
        Target::OrderRef => reference.to_owned(),
        Target::Line(member) => columns::line_cell(l, member, dialect),
        _ => columns::cell(d, c, dialect),
    }
}

/// A list of customers (way (a)): one row per customer block.
pub fn customers_csv(kind: OrderKind, dialect: Dialect, customers: &[OrderDraft]) -> String {
    let cols = columns::for_kind(kind, false);
    let rows: Vec<Vec<String>> = customers
        .iter()
        .map(|d| cols.iter().map(|c| columns::cell(d, c, dialect)).collect())
        .collect();
    csv::write(dialect, &headers(&cols, dialect), &rows)
}

/// `text` (a customer list as typed or uploaded, maybe empty) with `customers` of the book
/// added as rows under its own header, in its own layout; an empty text becomes a new list of
/// `kind` in `dialect`. A customer reads as the order form reads one
/// ([`OrderDraft::from_customer`]).
pub fn add_customers(
    text: &str,
    kind: OrderKind,
    dialect: Dialect,
    customers: &[CustomerDetails],
) -> Result<String, CsvError> {
    let drafts: Vec<OrderDraft> = customers
        .iter()
        .map(|c| OrderDraft::from_customer(kind, c))
        .collect();
    if text.trim().is_empty() {
        return Ok(customers_csv(kind, dialect, &drafts));
    }
    let records = csv::read(text, None)?;
    let header = records.first().ok_or(CsvError::Empty)?;
    let known = columns::header_columns(&header.cells)?;
    let layout = Dialect::sniff(text);
    let rows: Vec<Vec<String>> = drafts
        .iter()
        .map(|d| {
            known
                .iter()
                .map(|c| c.map_or_else(String::new, |c| columns::cell(d, c, layout)))
                .collect()
        })
        .collect();
    let mut out = text.to_owned();
    if !out.ends_with('\n') {
        out.push_str("\r\n");
    }
    out.push_str(&csv::write_rows(layout, &rows));
    Ok(out)
}

fn headers(cols: &[&Column], dialect: Dialect) -> Vec<&'static str> {
    cols.iter().map(|c| c.header(dialect)).collect()
}

/// The downloadable template of `kind` in `dialect`: whole orders (way (b)) or customers (way
/// (a)), with example rows that pass validation.
pub fn template(kind: OrderKind, dialect: Dialect, whole_orders: bool) -> String {
    let examples = examples(kind, dialect);
    if whole_orders {
        orders_csv(kind, dialect, &examples)
    } else {
        let customers: Vec<OrderDraft> = examples.into_iter().map(|(_, d)| d).collect();
        customers_csv(kind, dialect, &customers)
    }
}

/// Two example orders of `kind`: a private and a corporate customer where the kind allows
/// both; the second with two lines.
pub fn examples(kind: OrderKind, dialect: Dialect) -> Vec<(String, OrderDraft)> {
    let (corporate_first, corporate_second) = match kind {
        OrderKind::EFaktura => (false, false),
        OrderKind::Ehf => (true, true),
        OrderKind::PaymentLink | OrderKind::Invoice => (false, true),
    };
    let (fee, rent, power) = match dialect {
        Dialect::Nb => ("Medlemskontingent", "Husleie", "Strøm"),
        Dialect::En => ("Membership fee", "Rent", "Electricity"),
    };
    let first = OrderDraft {
        lines: vec![line(fee, "500", "0")],
        ..customer(kind, corporate_first, "Kari Nordmann")
    };
    let second = OrderDraft {
        lines: vec![line(rent, "12000", "0"), line(power, "450.5", "25")],
        ..customer(kind, corporate_second, "Nordmann Eiendom AS")
    };
    vec![("1001".into(), first), ("1002".into(), second)]
}

fn line(name: &str, rate: &str, tax: &str) -> LineDraft {
    LineDraft {
        name: name.into(),
        rate: rate.into(),
        tax: tax.into(),
        ..LineDraft::default()
    }
}

/// An example customer: every member the kind asks of it.
fn customer(kind: OrderKind, corporate: bool, name: &str) -> OrderDraft {
    let mut d = OrderDraft {
        msisdn: "46567468".into(),
        ..OrderDraft::default()
    }
    .with_text("customerDetails.name", name)
    .with_text("customerDetails.email", "post@example.no")
    .with_text("customerDetails.address.street", "Luramyrveien 65")
    .with_text("customerDetails.address.zip", "4313")
    .with_text("customerDetails.address.city", "Sandnes");
    if corporate {
        d.customer_type = "corporate".into();
        d.set_text("customerDetails.organizationId", "998379342");
    } else if kind == OrderKind::EFaktura {
        d.set_text("customerDetails.personalNumber", "01010012356");
    }
    d
}

/// A batch's result: each row's number, label, state, amount, order uuid or error.
pub fn result_csv(dialect: Dialect, rows: &[RowResult]) -> String {
    let header: &[&str] = match dialect {
        Dialect::Nb => &[
            "rad",
            "ordre_eller_kunde",
            "status",
            "beløp",
            "ordre_uuid",
            "feil",
        ],
        Dialect::En => &[
            "row",
            "order_or_customer",
            "state",
            "amount",
            "order_uuid",
            "error",
        ],
    };
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.row.to_string(),
                r.label.clone(),
                r.state.as_str().to_owned(),
                dialect.decimal(r.amount_ore),
                r.order_uuid.clone().unwrap_or_default(),
                r.error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    csv::write(dialect, header, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{BatchInput, Customers, RowState, check, orders};
    use crate::validate::Context;
    use wasm_bindgen_test::wasm_bindgen_test;

    const NOW: i64 = 1_800_000_000;

    fn payloads(kind: OrderKind, drafts: &[OrderDraft]) -> Vec<serde_json::Value> {
        drafts.iter().map(|d| d.to_payload(kind, NOW)).collect()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn order_templates_round_trip_and_validate() {
        let ctx = Context::new(NOW).with_proxy_callback(true);
        for kind in OrderKind::ALL {
            for dialect in [Dialect::Nb, Dialect::En] {
                let sent: Vec<OrderDraft> = examples(kind, dialect)
                    .into_iter()
                    .map(|(_, d)| d)
                    .collect();
                let input = BatchInput::Orders {
                    options: OrderDraft::default(),
                    csv: template(kind, dialect, true),
                };
                let back = orders(&input).unwrap_or_else(|e| panic!("{kind} {dialect:?}: {e}"));
                let read: Vec<OrderDraft> = back.iter().map(|o| o.draft.clone()).collect();
                assert_eq!(
                    payloads(kind, &read),
                    payloads(kind, &sent),
                    "{kind} {dialect:?}"
                );
                let labels: Vec<&str> = back.iter().map(|o| o.label.as_str()).collect();
                assert_eq!(labels, ["1001", "1002"]);
                for o in &back {
                    let verdict = check(kind, o, &ctx);
                    assert!(
                        verdict.is_valid(),
                        "{kind} {dialect:?}: {:?}",
                        verdict.issues
                    );
                }
            }
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn customer_templates_round_trip() {
        for kind in OrderKind::ALL {
            for dialect in [Dialect::Nb, Dialect::En] {
                let template_order = OrderDraft {
                    lines: vec![line("Fee", "100", "0")],
                    ..OrderDraft::default()
                };
                let input = BatchInput::ToCustomers {
                    template: template_order.clone(),
                    customers: Customers::Csv(template(kind, dialect, false)),
                };
                let back = orders(&input).unwrap_or_else(|e| panic!("{kind} {dialect:?}: {e}"));
                let want: Vec<OrderDraft> = examples(kind, dialect)
                    .into_iter()
                    .map(|(_, d)| OrderDraft {
                        lines: template_order.lines.clone(),
                        ..d
                    })
                    .collect();
                let read: Vec<OrderDraft> = back.into_iter().map(|o| o.draft).collect();
                assert_eq!(
                    payloads(kind, &read),
                    payloads(kind, &want),
                    "{kind} {dialect:?}"
                );
            }
        }
    }

    /// Customers picked from the book become rows of the list: a new list, or under a typed
    /// list's own header (its order, its layout); read back, they are the picked customers.
    #[wasm_bindgen_test(unsupported = test)]
    fn customers_from_the_book_join_the_list() {
        let kind = OrderKind::PaymentLink;
        let kari: CustomerDetails = serde_json::from_value(serde_json::json!({
            "type": "private", "name": "Kari Nordmann", "countryCode": "+47", "msisdn": "46567468",
            "email": "kari@example.no",
            "address": {"street": "Gate 1", "zip": "4313", "city": "Sandnes", "country": "NO"}
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        let read = |text: &str| {
            let input = BatchInput::ToCustomers {
                template: OrderDraft {
                    lines: vec![line("Fee", "100", "0")],
                    ..OrderDraft::default()
                },
                customers: Customers::Csv(text.to_owned()),
            };
            let back = orders(&input).unwrap_or_else(|e| panic!("{e}: {text}"));
            back.into_iter()
                .map(|o| {
                    (
                        o.draft.text("customerDetails.name").to_owned(),
                        o.draft.msisdn,
                    )
                })
                .collect::<Vec<_>>()
        };
        let fresh = add_customers(" ", kind, Dialect::Nb, std::slice::from_ref(&kari))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(fresh.contains("navn;"), "{fresh}");
        assert_eq!(read(&fresh), [("Kari Nordmann".into(), "46567468".into())]);

        // A typed English list with its own column order and no line end after its last row.
        let typed = "email,name,phone,street,zip,city\nola@example.no,Ola Hansen,41234567,Vei 2,5003,Bergen";
        let more =
            add_customers(typed, kind, Dialect::Nb, &[kari]).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            more.starts_with(typed)
                && more.ends_with("kari@example.no,Kari Nordmann,46567468,Gate 1,4313,Sandnes\r\n"),
            "{more}"
        );
        assert_eq!(
            read(&more),
            [
                ("Ola Hansen".into(), "41234567".into()),
                ("Kari Nordmann".into(), "46567468".into())
            ]
        );
        assert!(add_customers("shoe size\n42", kind, Dialect::En, &[]).is_err());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_result_file() {
        let rows = [
            RowResult {
                row: 1,
                label: "1001".into(),
                state: RowState::Sent,
                amount_ore: 50_000,
                order_uuid: Some("ODR3506777330".into()),
                error: None,
            },
            RowResult {
                row: 2,
                label: "Ola; AS".into(),
                state: RowState::Failed,
                amount_ore: 45_050,
                order_uuid: None,
                error: Some("The customer details.email must be a valid email address.".into()),
            },
        ];
        let text = result_csv(Dialect::Nb, &rows);
        assert!(text.starts_with("\u{feff}rad;ordre_eller_kunde;status;beløp;ordre_uuid;feil\r\n"));
        assert!(text.contains("1;1001;sent;500;ODR3506777330;\r\n"));
        assert!(text.contains("2;\"Ola; AS\";failed;450,5;;The customer"));
        // No comma in the label: en needs no quotes there.
        assert!(
            result_csv(Dialect::En, &rows).contains("\r\n2,Ola; AS,failed,450.5,,The customer")
        );
    }
}
