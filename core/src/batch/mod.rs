//! Send to many (issue 19): one order to a list of customers, or a spreadsheet of whole
//! orders, turned into create payloads by the form's own conversion
//! ([`OrderDraft::to_payload`]) and validated by core exactly as the form is
//! ([`preview`]), before a job at the edge sends them one by one.
//!
//! - [`columns`]: the spreadsheet's columns, a file's rows by column, and where each cell goes
//!   in a draft (the CSV itself, nb or en, is [`crate::csv`]'s).
//! - [`export`]: the downloadable templates per kind and language, and the result CSV.
//! - [`job`]: the job's states and transitions, each row's state, progress and ETA.
//! - [`api`]: the request and answer types of `/console/batches…`.

pub mod api;
pub mod columns;
pub mod export;
pub mod job;
mod preview;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::csv::{CsvError, MAX_ROWS};
use crate::draft::{LineDraft, OrderDraft};
use crate::validate::Issue;

use columns::{Row, Target};

pub use job::{JobEvent, JobState, Progress, RowState, TransitionError};
pub use preview::{check, preview};

/// The two ways in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "way", rename_all = "camelCase")]
pub enum BatchInput {
    /// One order (its lines and options, from the form) to each customer of a list: the
    /// template's customer block is replaced per row.
    ToCustomers {
        template: OrderDraft,
        customers: Customers,
    },
    /// A spreadsheet of whole orders: one row per order line, rows grouped by the
    /// `order_reference` column; sending and invoice terms from `options` (a form's draft).
    Orders { options: OrderDraft, csv: String },
}

/// The customers of way (a): a pasted or uploaded CSV, or rows picked in the console (the
/// customer book), each a map of column key (or header) to cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Customers {
    Csv(String),
    Rows(Vec<BTreeMap<String, String>>),
}

/// One order of a batch, as the form would hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOrder {
    /// Its number in the batch, from 1 (part of its idempotency key).
    pub row: u32,
    /// The order reference, or the customer's name: how people find it in the results.
    pub label: String,
    /// The file's lines it came from (a line per product line for way (b)).
    pub lines: Vec<u64>,
    pub draft: OrderDraft,
    /// What a cell said that the form could not have (an unknown customer type).
    pub issues: Vec<Issue>,
}

/// The orders a batch input makes, in file order.
pub fn orders(input: &BatchInput) -> Result<Vec<BatchOrder>, CsvError> {
    match input {
        BatchInput::ToCustomers {
            template,
            customers,
        } => to_customers(template, customers),
        BatchInput::Orders { options, csv } => whole_orders(options, csv),
    }
}

/// Way (a): one order per customer row.
fn to_customers(template: &OrderDraft, customers: &Customers) -> Result<Vec<BatchOrder>, CsvError> {
    let records = match customers {
        Customers::Csv(text) => columns::read_rows(text)?,
        Customers::Rows(rows) => picked(rows)?,
    };
    let base = columns::without_customer(template);
    let mut out = Vec::with_capacity(records.len());
    for (i, rec) in records.iter().enumerate() {
        if let Some((c, _)) = rec.cells.iter().find(|(c, _)| !c.is_customer()) {
            return Err(CsvError::WrongColumn(c.key.into()));
        }
        let mut draft = base.clone();
        let issues = apply(&mut draft, rec);
        out.push(BatchOrder {
            row: row_number(i),
            label: label(&draft, None, rec.line),
            lines: vec![rec.line],
            draft,
            issues,
        });
    }
    Ok(out)
}

/// Rows picked in the console as records (their index from 1 stands for the line).
fn picked(rows: &[BTreeMap<String, String>]) -> Result<Vec<Row>, CsvError> {
    if rows.is_empty() {
        return Err(CsvError::NoRows);
    }
    if rows.len() > MAX_ROWS {
        return Err(CsvError::TooManyRows(MAX_ROWS));
    }
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let mut cells = Vec::with_capacity(row.len());
        for (key, value) in row {
            let column =
                columns::by_header(key).ok_or_else(|| CsvError::UnknownColumn(key.clone()))?;
            cells.push((column, value.clone()));
        }
        out.push(Row {
            line: i as u64 + 1,
            cells,
        });
    }
    Ok(out)
}

/// Way (b): rows grouped into orders by their reference (a row without one is an order of
/// its own), in the order the references first appear.
fn whole_orders(options: &OrderDraft, text: &str) -> Result<Vec<BatchOrder>, CsvError> {
    let records = columns::read_rows(text)?;
    let reference = columns::COLUMNS
        .iter()
        .find(|c| c.target == Target::OrderRef)
        .ok_or_else(|| CsvError::MissingColumn("order_reference".into()))?;
    let has_reference = |r: &Row| r.cells.iter().any(|(c, _)| *c == reference);
    if !records.first().is_some_and(has_reference) {
        return Err(CsvError::MissingColumn(reference.key.into()));
    }
    let mut base = columns::without_customer(options);
    base.lines.clear();
    let mut groups: Vec<(String, Vec<&Row>)> = Vec::new();
    let mut by_ref: HashMap<String, usize> = HashMap::new();
    for rec in &records {
        let r = rec.get(reference).trim().to_owned();
        match by_ref.get(&r).copied() {
            Some(at) if !r.is_empty() => {
                if let Some((_, rows)) = groups.get_mut(at) {
                    rows.push(rec);
                }
            }
            _ => {
                by_ref.insert(r.clone(), groups.len());
                groups.push((r, vec![rec]));
            }
        }
    }
    Ok(groups
        .into_iter()
        .enumerate()
        .map(|(i, (r, recs))| grouped_order(&base, i, r, &recs))
        .collect())
}

/// One order of way (b) from its rows: the order's cells from every row (a later non-blank
/// cell wins), a product line per row.
fn grouped_order(base: &OrderDraft, i: usize, reference: String, recs: &[&Row]) -> BatchOrder {
    let mut draft = base.clone();
    let mut issues = Vec::new();
    for rec in recs {
        issues.extend(apply(&mut draft, rec));
        let mut line = LineDraft::default();
        for (c, v) in &rec.cells {
            if let Target::Line(member) = c.target {
                columns::set_line(&mut line, member, v);
            }
        }
        draft.lines.push(line);
    }
    let first = recs.first().map_or(0, |r| r.line);
    BatchOrder {
        row: row_number(i),
        label: label(&draft, Some(reference), first),
        lines: recs.iter().map(|r| r.line).collect(),
        draft,
        issues,
    }
}

/// A record's order cells into the draft; the issues the cells raise.
fn apply(draft: &mut OrderDraft, rec: &Row) -> Vec<Issue> {
    rec.cells
        .iter()
        .filter(|(c, _)| !c.is_order_only())
        .filter_map(|(c, v)| columns::set(draft, c, v))
        .collect()
}

fn row_number(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

/// The customer's name in the draft.
const NAME: &str = "customerDetails.name";

/// The reference, else the customer's name, else the file's line.
fn label(draft: &OrderDraft, reference: Option<String>, line: u64) -> String {
    match reference.filter(|r| !r.is_empty()) {
        Some(r) => r,
        None if !draft.text(NAME).trim().is_empty() => draft.text(NAME).trim().to_owned(),
        None => format!("#{line}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::OrderKind;
    use wasm_bindgen_test::wasm_bindgen_test;

    const NOW: i64 = 1_800_000_000;

    fn template() -> OrderDraft {
        OrderDraft {
            lines: vec![LineDraft {
                name: "Kontingent".into(),
                rate: "500".into(),
                tax: "0".into(),
                ..LineDraft::default()
            }],
            ..OrderDraft::default()
        }
        .with_text(NAME, "Template Person")
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn one_order_to_many_customers() {
        let csv =
            "navn;telefon;epost\nKari Nordmann;46567468;kari@example.no\nOla;;ola@example.no\n";
        let input = BatchInput::ToCustomers {
            template: template(),
            customers: Customers::Csv(csv.into()),
        };
        let got = orders(&input).unwrap_or_default();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].row, got[0].label.as_str()), (1, "Kari Nordmann"));
        assert_eq!(
            got[1].draft.msisdn, "",
            "the template's customer never leaks"
        );
        assert_eq!(got[1].draft.lines, template().lines);
        assert_eq!(got[1].lines, vec![3]);
        let picked = BatchInput::ToCustomers {
            template: template(),
            customers: Customers::Rows(vec![BTreeMap::from([("name".into(), "Kari".into())])]),
        };
        assert_eq!(
            orders(&picked).map(|o| o[0].draft.text(NAME).to_owned()),
            Ok("Kari".into())
        );
        let lines = BatchInput::ToCustomers {
            template: template(),
            customers: Customers::Csv("navn;produkt\nKari;Sko\n".into()),
        };
        assert_eq!(orders(&lines), Err(CsvError::WrongColumn("product".into())));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn whole_orders_grouped_by_reference() {
        let csv = "order_reference,name,product,quantity,unit_price,vat_percent\n\
                   A,Kari,Rent,1,12000,0\n\
                   B,Ola,Rent,1,9000,0\n\
                   A,,Power,1,450.5,25\n\
                   ,Per,Fee,1,100,0\n";
        let input = BatchInput::Orders {
            options: template(),
            csv: csv.into(),
        };
        let got = orders(&input).unwrap_or_default();
        let labels: Vec<&str> = got.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(labels, ["A", "B", "Per"]);
        assert_eq!(
            got[0].draft.lines.len(),
            2,
            "the options' lines are not kept"
        );
        assert_eq!(got[0].draft.lines[1].rate, "450.5");
        assert_eq!(got[0].lines, vec![2, 4]);
        assert_eq!(got[0].draft.text(NAME), "Kari");
        let p = got[0].draft.to_payload(OrderKind::Invoice, NOW);
        assert_eq!(
            p["orderSummary"]["grandTotal"],
            serde_json::json!("12450.50")
        );
        let missing = BatchInput::Orders {
            options: template(),
            csv: "name,product\nKari,Rent\n".into(),
        };
        assert_eq!(
            orders(&missing),
            Err(CsvError::MissingColumn("order_reference".into()))
        );
    }
}
