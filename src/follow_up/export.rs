//! CSV of the orders list as filtered: RFC 4180 quoting, a BOM so spreadsheet programs read
//! UTF-8, and the separator and decimal mark of the chosen language (Norwegian spreadsheets
//! expect `;` and `1234,50`).

/// Cells as a CSV document (`\r\n` line ends). Text that a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@` first) is prefixed with `'`.
pub fn csv(separator: char, header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from('\u{feff}');
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut first = true;
        for cell in cells {
            if !first {
                out.push(separator);
            }
            first = false;
            push_cell(&mut out, separator, cell);
        }
        out.push_str("\r\n");
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

fn push_cell(out: &mut String, separator: char, cell: &str) {
    let formula = cell.starts_with(['=', '+', '-', '@']) && !is_number(cell);
    let quote = formula
        || cell.contains(separator)
        || cell.contains(['"', '\n', '\r'])
        || cell.starts_with(' ');
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for c in cell.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

fn is_number(s: &str) -> bool {
    let digits = s.trim_start_matches(['-', '+']);
    !digits.is_empty()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// An amount as a plain number with this decimal mark (no grouping, no currency).
pub fn amount(m: frontdesk_core::Money, decimal_mark: char) -> String {
    m.to_api_string()
        .replacen('.', decimal_mark.encode_utf8(&mut [0; 4]), 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn quotes_what_needs_quoting_and_defuses_formulas() {
        let rows = vec![
            vec![
                "Kari; Nordmann".into(),
                "=HYPERLINK(\"x\")".into(),
                "-12,50".into(),
            ],
            vec!["Ola \"O\"".into(), "Æøå 😀".into(), "line\nbreak".into()],
        ];
        let text = csv(';', &["Kunde", "Notat", "Beløp"], &rows);
        assert_eq!(
            text,
            "\u{feff}Kunde;Notat;Beløp\r\n\
             \"Kari; Nordmann\";\"'=HYPERLINK(\"\"x\"\")\";-12,50\r\n\
             \"Ola \"\"O\"\"\";Æøå 😀;\"line\nbreak\"\r\n"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn amounts_use_the_decimal_mark() {
        use frontdesk_core::Money;
        assert_eq!(amount(Money(123_450), ','), "1234,50");
        assert_eq!(amount(Money(5), '.'), "0.05");
    }
}
