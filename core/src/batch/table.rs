//! A batch's spreadsheet as CSV text, both ways: read (UTF-8 with or without a byte-order
//! mark, `;` or `,` between cells, headers in nb or en) into [`Record`]s of known columns, and
//! written in a language's form (nb: `;` and a decimal comma; en: `,` and a point), with a
//! byte-order mark so spreadsheet programs read the UTF-8 as such.

use serde::{Deserialize, Serialize};

use super::columns::{self, Column};

/// The byte-order mark some spreadsheet programs write first (and need, to read UTF-8).
const BOM: char = '\u{feff}';
/// Most rows one batch file may have (the 1,000-row send, with room).
pub const MAX_ROWS: usize = 5000;

/// The language of a spreadsheet: its headers, its cell separator and its decimal mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// `;` between cells, `1234,5`.
    #[default]
    Nb,
    /// `,` between cells, `1234.5`.
    En,
}

impl Lang {
    /// The cell separator.
    pub const fn delimiter(self) -> u8 {
        match self {
            Lang::Nb => b';',
            Lang::En => b',',
        }
    }

    /// Hundredths as a spreadsheet cell: whole numbers bare, else up to two decimals with this
    /// language's mark (`1,5`, `12,25`).
    pub fn decimal(self, hundredths: i64) -> String {
        let sign = if hundredths < 0 { "-" } else { "" };
        let a = hundredths.unsigned_abs();
        let (int, frac) = (a / 100, a % 100);
        let point = match self {
            Lang::Nb => ',',
            Lang::En => '.',
        };
        match frac {
            0 => format!("{sign}{int}"),
            f if f.is_multiple_of(10) => format!("{sign}{int}{point}{}", f / 10),
            f => format!("{sign}{int}{point}{f:02}"),
        }
    }
}

/// Why a file cannot be read as a batch (nothing of it is kept).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "code", content = "detail", rename_all = "camelCase")]
pub enum CsvError {
    #[error("the file has no header row")]
    Empty,
    #[error("the file has no rows below its header")]
    NoRows,
    #[error("unknown column {0:?}")]
    UnknownColumn(String),
    #[error("column {0:?} appears twice")]
    DuplicateColumn(String),
    /// A column this way of sending does not take (lines in a list of customers).
    #[error("column {0:?} does not belong in this file")]
    WrongColumn(String),
    #[error("the column {0:?} is missing")]
    MissingColumn(String),
    #[error("line {0} has more cells than the header")]
    ExtraCells(u64),
    #[error("more than {0} rows")]
    TooManyRows(usize),
    /// Broken quoting and the like, as the CSV reader words it.
    #[error("unreadable CSV: {0}")]
    Unreadable(String),
}

/// One data row: its line in the file (the header is line 1) and its cells by column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: u64,
    pub cells: Vec<(&'static Column, String)>,
}

impl Record {
    /// The cell of a column (`""` when the file has no such column).
    pub fn get(&self, column: &Column) -> &str {
        self.cells
            .iter()
            .find(|(c, _)| *c == column)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// The separator the header line uses: `;` when it has one, else `,`.
fn sniff(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    if header.contains(';') { b';' } else { b',' }
}

/// Read a batch file into records; blank rows are skipped.
pub fn read(text: &str) -> Result<Vec<Record>, CsvError> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = reader.records();
    let header = rows
        .next()
        .ok_or(CsvError::Empty)?
        .map_err(|e| CsvError::Unreadable(e.to_string()))?;
    let known = header_columns(&header)?;
    let mut records = Vec::new();
    for row in rows {
        let row = row.map_err(|e| CsvError::Unreadable(e.to_string()))?;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if records.len() == MAX_ROWS {
            return Err(CsvError::TooManyRows(MAX_ROWS));
        }
        records.push(record(&known, &row)?);
    }
    if records.is_empty() {
        return Err(CsvError::NoRows);
    }
    Ok(records)
}

/// The header's columns (a blank header cell is a column nobody named: ignored).
fn header_columns(header: &csv::StringRecord) -> Result<Vec<Option<&'static Column>>, CsvError> {
    let mut known: Vec<Option<&'static Column>> = Vec::new();
    for name in header.iter() {
        if name.trim().is_empty() {
            known.push(None);
            continue;
        }
        let column =
            columns::by_header(name).ok_or_else(|| CsvError::UnknownColumn(name.trim().into()))?;
        if known.contains(&Some(column)) {
            return Err(CsvError::DuplicateColumn(name.trim().into()));
        }
        known.push(Some(column));
    }
    if known.iter().all(Option::is_none) {
        return Err(CsvError::Empty);
    }
    Ok(known)
}

fn record(known: &[Option<&'static Column>], row: &csv::StringRecord) -> Result<Record, CsvError> {
    let line = row.position().map_or(0, csv::Position::line);
    let mut cells = Vec::with_capacity(known.len());
    for (i, value) in row.iter().enumerate() {
        match known.get(i) {
            Some(Some(column)) => cells.push((*column, value.to_owned())),
            Some(None) => {}
            None if value.trim().is_empty() => {}
            None => return Err(CsvError::ExtraCells(line)),
        }
    }
    Ok(Record { line, cells })
}

/// A file in `lang`'s form: the byte-order mark, the header, the rows, CRLF line ends.
pub fn write(lang: Lang, header: &[&str], rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(lang.delimiter())
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    // Writing into a Vec cannot fail but for a record the writer refuses; none here is.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    let mut out = String::with_capacity(bytes.len() + 3);
    out.push(BOM);
    out.push_str(&String::from_utf8_lossy(&bytes));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn decimals() {
        assert_eq!(Lang::Nb.decimal(150), "1,5");
        assert_eq!(Lang::En.decimal(123_425), "1234.25");
        assert_eq!(Lang::Nb.decimal(2500), "25");
        assert_eq!(Lang::En.decimal(-5), "-0.05");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn reads_either_form_with_or_without_a_bom() {
        let nb = "\u{feff}navn;telefon\r\nKari;\"465 67 468\"\r\n;\r\nOla;\r\n";
        let en = "Name,Phone\nKari,465 67 468\nOla,\n";
        for text in [nb, en] {
            let rows = read(text).unwrap_or_default();
            assert_eq!(rows.len(), 2, "{text}");
            let name = columns::by_header("name").unwrap_or_else(|| panic!());
            let phone = columns::by_header("phone").unwrap_or_else(|| panic!());
            assert_eq!(
                (rows[0].get(name), rows[0].get(phone)),
                ("Kari", "465 67 468")
            );
            assert_eq!(rows[1].get(phone), "");
        }
        assert_eq!(read(nb).map(|r| r[1].line), Ok(4));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refuses_what_it_cannot_read() {
        assert_eq!(read(""), Err(CsvError::Empty));
        assert_eq!(read("navn\n"), Err(CsvError::NoRows));
        assert_eq!(
            read("navn;skostørrelse\nKari;38\n"),
            Err(CsvError::UnknownColumn("skostørrelse".into()))
        );
        assert_eq!(
            read("navn;name\nKari;Kari\n"),
            Err(CsvError::DuplicateColumn("name".into()))
        );
        // A blank header cell's column is ignored; a cell beyond the header is refused.
        assert_eq!(read("navn;\nKari;x;y\n"), Err(CsvError::ExtraCells(2)));
        assert_eq!(read("navn;\nKari;x\n").map(|r| r[0].cells.len()), Ok(1));
        let many = format!("navn\n{}", "Kari\n".repeat(MAX_ROWS + 1));
        assert_eq!(read(&many), Err(CsvError::TooManyRows(MAX_ROWS)));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn writes_with_bom_and_quotes() {
        let text = write(
            Lang::Nb,
            &["navn", "produkt"],
            &[vec!["Kari; Ola".into(), "Vask".into()]],
        );
        assert_eq!(text, "\u{feff}navn;produkt\r\n\"Kari; Ola\";Vask\r\n");
        assert_eq!(read(&text).map(|r| r.len()), Ok(1));
    }
}
