//! CSV of the orders list as filtered, for the bookkeeper, and of the VAT report, written by
//! core's one CSV writer ([`frontdesk_core::csv`]: a BOM so spreadsheet programs read UTF-8,
//! RFC 4180 quoting, the formula guard) in the layout of the chosen language (Norwegian
//! spreadsheets expect `;` and `1234,50`). Times are Oslo local time, phones carry
//! their calling code, VAT is core's per rate (one column per rate present), and a personal
//! number is masked unless an admin exports ([`orders_csv`]).

use std::collections::BTreeSet;

use frontdesk_core::csv::{self, Dialect, amount};
use frontdesk_core::ids::fnr;
use frontdesk_core::order::{UnixTime, invoice_due_date};
use frontdesk_core::proxy::IndexedOrder;
use frontdesk_core::report::{VatReport, VatRow};
use frontdesk_core::{Money, TaxRate, clock};

use crate::i18n::Lang;

/// Today's Oslo date (`2026-12-01`) at `now_ms`, for the file name.
pub fn today(now_ms: f64) -> String {
    clock::format_date(clock::oslo_date((now_ms / 1000.0).floor() as i64))
}

/// The spreadsheet layout of a language's CSV (separator and decimal mark).
pub fn dialect(lang: Lang) -> Dialect {
    match lang {
        Lang::Nb => Dialect::Nb,
        Lang::En => Dialect::En,
    }
}

/// The whole CSV of `orders`: fixed columns, then one VAT column per rate any order uses,
/// then refunded, status, invoice number and due date. `admin` sees personal numbers whole.
pub fn orders_csv(lang: Lang, orders: &[IndexedOrder], admin: bool) -> String {
    let layout = dialect(lang);
    let t = lang.texts();
    let rates: BTreeSet<TaxRate> = orders
        .iter()
        .filter_map(|o| o.vat.as_ref())
        .flat_map(|v| v.0.keys().copied())
        .collect();
    let vat_headers: Vec<String> = rates
        .iter()
        .map(|r| format!("{} {}", t.total_tax, percent(*r, layout)))
        .collect();
    let mut header: Vec<&str> = vec![
        t.col_order,
        t.col_created,
        t.col_customer,
        t.col_kind,
        t.email,
        t.phone,
        t.col_reference,
        t.customer_reference,
        t.col_national_id,
        t.amount,
    ];
    header.extend(vat_headers.iter().map(String::as_str));
    header.extend([
        t.refunded_amount,
        t.col_status,
        t.invoice_number,
        t.col_due_date,
    ]);
    let rows: Vec<Vec<String>> = orders.iter().map(|o| row(lang, o, &rates, admin)).collect();
    csv::write(layout, &header, &rows)
}

/// One order's cells, in [`orders_csv`]'s column order.
fn row(lang: Lang, o: &IndexedOrder, rates: &BTreeSet<TaxRate>, admin: bool) -> Vec<String> {
    let layout = dialect(lang);
    let money = |m: Option<Money>| m.map(|a| amount(a, layout)).unwrap_or_default();
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    let name = o.full_name.as_ref().or(o.customer_name.as_ref());
    let mut cells = vec![
        o.uuid.clone(),
        clock::format_oslo_minute(o.created_at.div_euclid(1000)),
        name.cloned().unwrap_or_default(),
        o.kind.map(|k| lang.kind(k)).unwrap_or_default().to_owned(),
        text(&o.email),
        phone(o),
        text(&o.reference),
        text(&o.customer_reference),
        national_id(o, admin),
        money(o.amount()),
    ];
    cells.extend(rates.iter().map(|r| {
        o.vat
            .as_ref()
            .and_then(|v| v.0.get(r))
            .map(|m| amount(*m, layout))
            .unwrap_or_default()
    }));
    cells.extend([
        money(o.refunded()),
        o.status
            .map(|s| lang.status(s))
            .unwrap_or_default()
            .to_owned(),
        text(&o.invoice_number),
        due_date(o),
    ]);
    cells
}

/// `+47 46567468`: the calling code and the number as sent, else the indexed digits.
fn phone(o: &IndexedOrder) -> String {
    match (&o.country_code, &o.msisdn, &o.phone) {
        (Some(cc), Some(m), _) => format!("{cc} {m}"),
        (_, _, Some(digits)) if !digits.is_empty() => format!("+{digits}"),
        _ => String::new(),
    }
}

/// The organisation number, else the personal number (masked unless `admin`).
fn national_id(o: &IndexedOrder, admin: bool) -> String {
    match (&o.org_number, &o.personal_number) {
        (Some(org), _) => org.clone(),
        (None, Some(pn)) if admin => pn.clone(),
        (None, Some(pn)) => fnr::mask(pn),
        (None, None) => String::new(),
    }
}

/// An invoice's due date (`2026-12-15`): its order date plus the maturity, by core.
fn due_date(o: &IndexedOrder) -> String {
    match (o.kind, o.order_date, o.invoice_maturity) {
        (Some(k), Some(date), Some(days)) if k.is_invoice() => {
            let days = u16::try_from(days).unwrap_or(0);
            clock::format_date(invoice_due_date(UnixTime(date), days))
        }
        _ => String::new(),
    }
}

/// A VAT rate as people write it, with the layout's decimal mark: `25 %`, `12,5 %`.
pub fn percent(rate: TaxRate, layout: Dialect) -> String {
    format!("{} %", layout.decimal(rate.basis_points()))
}

/// The VAT report's columns: the rate, then the six amounts of [`vat_amounts`].
pub fn vat_header(lang: Lang) -> [&'static str; 7] {
    let t = lang.texts();
    [
        t.vat_col_rate,
        t.vat_col_base,
        t.vat_col_vat,
        t.vat_col_refunded_base,
        t.vat_col_refunded_vat,
        t.vat_col_net_base,
        t.vat_col_net_vat,
    ]
}

/// A row's amounts in [`vat_header`]'s order, as core computed them.
pub fn vat_amounts(row: &VatRow) -> [Money; 6] {
    [
        row.base_ore,
        row.vat_ore,
        row.refunded_base_ore,
        row.refunded_vat_ore,
        row.net_base_ore,
        row.net_vat_ore,
    ]
    .map(Money)
}

/// The report's rows as the page shows them and the CSV writes them: the rate (or "Total")
/// and its amounts, one row per rate, the totals last. One source, so the two agree.
pub fn vat_lines(lang: Lang, report: &VatReport) -> Vec<(String, [Money; 6])> {
    report
        .rows
        .iter()
        .map(|r| (percent(r.rate, dialect(lang)), vat_amounts(r)))
        .chain(std::iter::once((
            lang.texts().vat_total.to_owned(),
            vat_amounts(&report.totals),
        )))
        .collect()
}

/// The VAT report as CSV in the language's spreadsheet dialect: exactly the page's table.
pub fn vat_csv(lang: Lang, report: &VatReport) -> String {
    let layout = dialect(lang);
    let rows: Vec<Vec<String>> = vat_lines(lang, report)
        .into_iter()
        .map(|(label, amounts)| {
            std::iter::once(label)
                .chain(amounts.iter().map(|m| amount(*m, layout)))
                .collect()
        })
        .collect();
    csv::write(layout, &vat_header(lang), &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn bookkeeping_orders() -> Vec<IndexedOrder> {
        let row = serde_json::json!({
            "uuid": "ODR1000000001", "kind": "INVOICE", "customerName": "Nordmann",
            "fullName": "Ola Nordmann", "email": "ola@example.no", "countryCode": "+47",
            "msisdn": "46567468", "phone": "4746567468", "reference": "R-1",
            "customerReference": "PO-77", "orgNumber": null, "personalNumber": "01010012356",
            "amountOre": 100000, "vat": {"2500": 18000, "1500": 1304}, "refundedOre": 2000,
            "status": "INVOICED", "invoiceNumber": "99900753",
            "createdAt": 1796102991511_i64, "orderDate": 1796102991, "invoiceMaturity": 14
        });
        let link = serde_json::json!({
            "uuid": "ODR1000000002", "kind": "PAYMENT_LINK", "customerName": "Fjord AS",
            "phone": "4791234567", "orgNumber": "923609016", "amountOre": 5100,
            "vat": {"0": 0}, "refundedOre": null, "status": "SENT", "createdAt": 1782857100000_i64
        });
        vec![
            serde_json::from_value(row).unwrap(),
            serde_json::from_value(link).unwrap(),
        ]
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn bookkeepers_csv_has_local_times_phones_vat_per_rate_and_masked_ids() {
        let text = orders_csv(Lang::En, &bookkeeping_orders(), false);
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "Order,Created,Customer,Type,Email,Mobile phone,Reference,Customer reference,\
             Org. / personal number,Amount,VAT 0 %,VAT 15 %,VAT 25 %,Refunded,Status,\
             Invoice number,Due date"
        );
        let first: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(first[1], "2026-12-01 06:29", "Oslo local time, not UTC");
        assert_eq!(first[2], "Ola Nordmann");
        assert_eq!(first[5], "+47 46567468");
        assert_eq!(first[8], "010100*****");
        assert_eq!(&first[9..14], ["1000.00", "", "13.04", "180.00", "20.00"]);
        assert_eq!(first[15], "99900753");
        assert_eq!(first[16], "2026-12-15");
        let second: Vec<&str> = lines[2].split(',').collect();
        assert_eq!(second[1], "2026-07-01 00:05");
        assert_eq!(second[5], "+4791234567");
        assert_eq!(second[8], "923609016");
        assert_eq!(&second[9..14], ["51.00", "0.00", "", "", ""]);
        assert_eq!(second[16], "", "a payment link has no invoice due date");
        // An admin sees the personal number whole; Norwegian uses ; and the decimal comma.
        let admin = orders_csv(Lang::Nb, &bookkeeping_orders(), true);
        assert!(admin.contains(";01010012356;"), "{admin}");
        assert!(admin.contains("Mva. 25 %"), "{admin}");
        assert!(admin.contains(";1000,00;"), "{admin}");
        // The file is named by the Oslo date too.
        assert_eq!(today(1_796_102_991_511.0), "2026-12-01");
    }

    fn vat_report() -> VatReport {
        let row = |rate: &str, base: i64, vat: i64, rbase: i64, rvat: i64| {
            serde_json::json!({
                "rate": rate, "baseOre": base, "vatOre": vat, "refundedBaseOre": rbase,
                "refundedVatOre": rvat, "netBaseOre": base - rbase, "netVatOre": vat - rvat
            })
        };
        serde_json::from_value(serde_json::json!({
            "period": {"from": "2026-01-01", "to": "2026-02-28"},
            "basis": "orderDate",
            "rows": [
                row("25", 60_800, 15_200, 0, 0),
                row("12.5", 26_786, 3_348, 0, 0),
                row("0", 5_000, 0, 0, 0),
                row("15", 8_696, 1_304, 8_696, 1_304),
            ],
            "totals": row("0", 101_282, 19_852, 8_696, 1_304),
        }))
        .expect("a VAT report")
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn vat_csv_is_the_table_in_the_spreadsheet_dialect() {
        let en = vat_csv(Lang::En, &vat_report());
        assert_eq!(
            en,
            "\u{feff}VAT rate,Sales excl. VAT,Output VAT,Refunds excl. VAT,VAT on refunds,\
             Net sales excl. VAT,Net output VAT\r\n\
             25 %,608.00,152.00,0.00,0.00,608.00,152.00\r\n\
             12.5 %,267.86,33.48,0.00,0.00,267.86,33.48\r\n\
             0 %,50.00,0.00,0.00,0.00,50.00,0.00\r\n\
             15 %,86.96,13.04,86.96,13.04,0.00,0.00\r\n\
             Total,1012.82,198.52,86.96,13.04,925.86,185.48\r\n"
        );
        let nb = vat_csv(Lang::Nb, &vat_report());
        let lines: Vec<&str> = nb.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "Mva-sats;Salg ekskl. mva.;Utgående mva.;Refusjoner ekskl. mva.;Mva. på refusjoner;\
             Netto salg ekskl. mva.;Netto utgående mva."
        );
        assert_eq!(lines[2], "12,5 %;267,86;33,48;0,00;0,00;267,86;33,48");
        assert_eq!(lines[5], "Sum;1012,82;198,52;86,96;13,04;925,86;185,48");
        // The page reads the same rows.
        let page = vat_lines(Lang::Nb, &vat_report());
        assert_eq!(page.len(), 5);
        assert_eq!(page[1].0, "12,5 %");
        assert_eq!(page[4].1[5], Money(18_548));
    }
}
