//! Every order of a batch checked as the form checks it: the form's payload
//! ([`crate::draft::OrderDraft::to_payload`]) through [`validate_create`], each issue placed
//! in the file (column, line), totals by core's money.

use crate::money::Money;
use crate::status::OrderKind;
use crate::validate::{Context, Issue, validate_create};

use super::BatchOrder;
use super::api::{PreviewRow, RowIssue, Totals};
use super::columns;
use crate::draft::fields::split_line_path;

/// One order's verdict: its grand total (core's sum of its lines) and its issues, the cells'
/// own first, then validation's errors.
pub fn check(kind: OrderKind, order: &BatchOrder, ctx: &Context) -> PreviewRow {
    let payload = order.draft.to_payload(kind, ctx.now_unix);
    let mut issues: Vec<Issue> = order.issues.clone();
    if let Err(report) = validate_create(kind, &payload, ctx) {
        issues.extend(report.errors);
    }
    PreviewRow {
        row: order.row,
        label: order.label.clone(),
        amount_ore: order.draft.summary().grand_total.ore(),
        issues: issues.into_iter().map(|i| placed(order, i)).collect(),
    }
}

/// An issue with the column and line it is about (a line's member: that line's row).
fn placed(order: &BatchOrder, issue: Issue) -> RowIssue {
    let line = match split_line_path(&issue.field) {
        Some((i, _)) => order.lines.get(i).copied(),
        None => order.lines.first().copied(),
    };
    RowIssue {
        column: columns::of_path(&issue.field).map(|c| c.key.to_owned()),
        line,
        issue,
    }
}

/// Every order's verdict, and the totals of those that pass.
pub fn preview(kind: OrderKind, orders: &[BatchOrder], ctx: &Context) -> (Vec<PreviewRow>, Totals) {
    let rows: Vec<PreviewRow> = orders.iter().map(|o| check(kind, o, ctx)).collect();
    let mut totals = Totals {
        orders: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        ..Totals::default()
    };
    let mut amount = Money::ZERO;
    for r in rows.iter().filter(|r| r.is_valid()) {
        totals.valid += 1;
        amount = amount.checked_add(Money(r.amount_ore)).unwrap_or(amount);
    }
    totals.amount_ore = amount.ore();
    (rows, totals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{BatchInput, orders};
    use crate::draft::{LineDraft, OrderDraft};
    use crate::validate::Code;
    use wasm_bindgen_test::wasm_bindgen_test;

    const NOW: i64 = 1_800_000_000;

    fn ctx() -> Context {
        Context::new(NOW).with_proxy_callback(true)
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn errors_per_row_in_their_column_and_line() {
        let options = OrderDraft {
            lines: vec![LineDraft::default()],
            ..OrderDraft::default()
        };
        let csv = "ordrereferanse;kundetype;navn;telefon;epost;gateadresse;postnummer;poststed;produkt;antall;enhetspris;mva_prosent\n\
                   1;privat;Kari Nordmann;46567468;kari@example.no;Luramyrveien 65;4313;Sandnes;Vask;2;200,00;25\n\
                   2;firma;Ola;;ola.example.no;Gate 1;4313;Sandnes;Vask;1;100;25\n\
                   2;;;;;;;;Klipp;1;;25\n";
        let input = BatchInput::Orders {
            options,
            csv: csv.into(),
        };
        let got = orders(&input).unwrap_or_default();
        let (rows, totals) = preview(OrderKind::PaymentLink, &got, &ctx());
        assert!(rows[0].is_valid(), "{:?}", rows[0].issues);
        assert_eq!(rows[0].amount_ore, 40_000);
        let bad = &rows[1];
        let at = |code: Code| {
            bad.issues
                .iter()
                .find(|i| i.issue.code == code)
                .map(|i| (i.issue.field.clone(), i.column.clone(), i.line))
        };
        assert_eq!(
            at(Code::In),
            Some((
                "customerDetails.type".into(),
                Some("customer_type".into()),
                Some(3)
            ))
        );
        assert_eq!(
            at(Code::Email),
            Some((
                "customerDetails.email".into(),
                Some("email".into()),
                Some(3)
            ))
        );
        // The second line has no price: its own line (4) and column.
        let rate = bad
            .issues
            .iter()
            .find(|i| i.issue.field == "products.1.rate");
        assert_eq!(
            rate.map(|i| (i.column.clone(), i.line)),
            Some((Some("unit_price".into()), Some(4)))
        );
        assert_eq!(
            (totals.orders, totals.valid, totals.amount_ore),
            (2, 1, 40_000)
        );
    }
}
