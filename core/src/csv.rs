//! CSV as spreadsheets write and read it, for every file Frontdesk makes or takes: RFC 4180
//! quoting (the `csv` crate's), UTF-8 with a byte-order mark on the way out (spreadsheet
//! programs read UTF-8 by it) and with or without one on the way in, CRLF or LF, and the two
//! layouts people have ([`Dialect`]): Norwegian (`;` between cells, `1234,50`) and English
//! (`,` and `1234.50`). Text a spreadsheet would run as a formula is defused on the way out
//! ([`write`]) and given back by the imports ([`unguard`]).
//!
//! Its users: the console's orders and VAT exports, the customer book's and the catalogue's
//! exports and import previews ([`crate::book::csv`]), a batch's files ([`crate::batch`]).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::money::{Money, trimmed};

/// The byte-order mark spreadsheet programs write first (and need, to read UTF-8).
const BOM: char = '\u{feff}';

/// Most rows one file may have below its header (a 1 MiB body of customers is about this
/// many; the 1,000-row batch, with room).
pub const MAX_ROWS: usize = 5_000;

/// A spreadsheet's layout, by the language of whoever opens it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// `;` between cells, `1234,50`.
    #[default]
    Nb,
    /// `,` between cells, `1234.50`.
    En,
}

impl Dialect {
    /// Between cells.
    pub const fn separator(self) -> u8 {
        match self {
            Dialect::Nb => b';',
            Dialect::En => b',',
        }
    }

    /// Between kroner and øre.
    pub const fn decimal_mark(self) -> char {
        match self {
            Dialect::Nb => ',',
            Dialect::En => '.',
        }
    }

    /// `nb` (or `no`) and `en`, as the console's language or a query names it.
    pub fn parse(s: &str) -> Option<Dialect> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nb" | "no" => Some(Dialect::Nb),
            "en" => Some(Dialect::En),
            _ => None,
        }
    }

    /// The layout of a file from its header row (its first line that is not blank): `;`
    /// there, at least as often as `,`, means a Norwegian spreadsheet (header names hold
    /// neither separator).
    pub fn sniff(text: &str) -> Dialect {
        let header = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        let count = |c: char| header.matches(c).count();
        if count(';') > 0 && count(';') >= count(',') {
            Dialect::Nb
        } else {
            Dialect::En
        }
    }

    /// Hundredths as a number cell: whole numbers bare, else up to two decimals with this
    /// layout's mark (`1,5`, `12,25`): quantities, prices and VAT rates as people type them.
    pub fn decimal(self, hundredths: i64) -> String {
        self.with_mark(trimmed(hundredths))
    }

    /// A number written with a decimal point, with this layout's mark instead.
    fn with_mark(self, number: String) -> String {
        number.replacen('.', self.decimal_mark().encode_utf8(&mut [0; 4]), 1)
    }
}

/// An amount as a plain number cell in `dialect`: two decimals, no grouping, no currency
/// (`1234,50`), as bookkeepers' spreadsheets sum it.
pub fn amount(m: Money, dialect: Dialect) -> String {
    dialect.with_mark(m.to_api_string())
}

/// Why a file cannot be read at all; nothing of it is kept (a row the rules refuse is a
/// preview row instead). Its text is what the worker answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("the file is not UTF-8 text")]
    NotUtf8,
    #[error("the file has no header row")]
    Empty,
    #[error("the file has no rows below its header")]
    NoRows,
    #[error("a quoted cell starting on line {line} is never closed")]
    UnclosedQuote { line: usize },
    #[error("more than {0} rows")]
    TooManyRows(usize),
    /// What the CSV reader itself refuses, as it words it.
    #[error("unreadable CSV: {0}")]
    Unreadable(String),
    /// The book's import: no header cell names one of its columns.
    #[error("no column of the header is one we know")]
    UnknownHeader,
    /// A batch: a header cell that names none of its columns.
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
    ExtraCells(usize),
}

/// An uploaded file as text: UTF-8 (a BOM is dropped by [`read`]); anything else refused.
pub fn decode(bytes: &[u8]) -> Result<&str, CsvError> {
    std::str::from_utf8(bytes).map_err(|_| CsvError::NotUtf8)
}

/// One record of a file: the line it starts on (1-based; the header is line 1), for messages,
/// and its cells as written (not trimmed, not unguarded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub cells: Vec<String>,
}

/// The records of `text`, the header first: a leading BOM dropped; quoted cells may hold
/// separators, quotes as `""` and line breaks; CRLF or LF; blank rows skipped. The separator
/// is `dialect`'s, or sniffed from the header row when the caller does not know it
/// ([`Dialect::sniff`]). At most [`MAX_ROWS`] rows below the header.
pub fn read(text: &str, dialect: Option<Dialect>) -> Result<Vec<Record>, CsvError> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let separator = dialect.unwrap_or_else(|| Dialect::sniff(text)).separator();
    if let Some(line) = unclosed_quote(text.as_bytes(), separator) {
        return Err(CsvError::UnclosedQuote { line });
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = Lines::new(text.as_bytes());
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| CsvError::Unreadable(e.to_string()))?;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // The header and at most MAX_ROWS rows.
        if out.len() > MAX_ROWS {
            return Err(CsvError::TooManyRows(MAX_ROWS));
        }
        out.push(Record {
            line: lines.of(row.position().map_or(0, ::csv::Position::byte)),
            cells: row.iter().map(str::to_owned).collect(),
        });
    }
    Ok(out)
}

/// A line break at `i`: `\n`, or a `\r` not followed by one (old Mac spreadsheets).
fn is_break(text: &[u8], i: usize) -> bool {
    match text.get(i) {
        Some(b'\n') => true,
        Some(b'\r') => text.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// Where a quoted cell is in a file as the reader sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    CellStart,
    Plain,
    Quoted,
    QuoteInQuoted,
}

/// The line a quoted cell opens on when the file ends inside it. The reader would take the
/// rest of the file as that one cell; this follows its rules (a quote opens a cell only as
/// its first character; `""` inside is a quote) to refuse such a file instead.
fn unclosed_quote(text: &[u8], separator: u8) -> Option<usize> {
    let (mut state, mut line, mut opened) = (Scan::CellStart, 1, 1);
    for (i, &b) in text.iter().enumerate() {
        state = match (state, b) {
            (Scan::Quoted, b'"') => Scan::QuoteInQuoted,
            (Scan::Quoted, _) => Scan::Quoted,
            (Scan::QuoteInQuoted, b'"') => Scan::Quoted,
            (Scan::CellStart, b'"') => {
                opened = line;
                Scan::Quoted
            }
            (_, b'\r' | b'\n') => Scan::CellStart,
            _ if b == separator => Scan::CellStart,
            _ => Scan::Plain,
        };
        line += usize::from(is_break(text, i));
    }
    (state == Scan::Quoted).then_some(opened)
}

/// The lines records start on, counted forward from the reader's byte positions as the
/// records come. (The reader's own line count is off after a CRLF and after a blank line:
/// rust-csv issues 395 and 208.)
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a [u8]) -> Self {
        Lines {
            text,
            at: 0,
            line: 1,
        }
    }

    /// The line of the record the reader began at `byte`: past the line breaks (the rest of a
    /// CRLF, blank lines) it skips before the record's first cell.
    fn of(&mut self, byte: u64) -> usize {
        let mut start = usize::try_from(byte).unwrap_or(usize::MAX).max(self.at);
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        self.line += (self.at..start.min(self.text.len()))
            .filter(|&i| is_break(self.text, i))
            .count();
        self.at = start;
        self.line
    }
}

/// Cells as a CSV document in `dialect`: a BOM, CRLF line ends, RFC 4180 quotes where a cell
/// needs them. Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first; not a
/// number, not a `+47 …` phone) is prefixed with `'`, which [`unguard`] takes off again.
pub fn write(dialect: Dialect, header: &[&str], rows: &[Vec<String>]) -> String {
    document(dialect, header, rows)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// Rows to add under a document [`write`] made (or a person's file of the same layout): as
/// `write` writes them, without the BOM and the header.
pub fn write_rows(dialect: Dialect, rows: &[Vec<String>]) -> String {
    records(dialect, Vec::new(), None, rows)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// The document's bytes. Writing into a `Vec` cannot fail, and a flexible writer takes
/// records of any length: `None` is never seen.
fn document(dialect: Dialect, header: &[&str], rows: &[Vec<String>]) -> Option<Vec<u8>> {
    records(dialect, String::from(BOM).into_bytes(), Some(header), rows)
}

/// `start`, then the header if any, then the rows.
fn records(
    dialect: Dialect,
    start: Vec<u8>,
    header: Option<&[&str]>,
    rows: &[Vec<String>],
) -> Option<Vec<u8>> {
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(dialect.separator())
        .terminator(::csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(start);
    if let Some(header) = header {
        record(&mut writer, header.iter().copied()).ok()?;
    }
    for row in rows {
        record(&mut writer, row.iter().map(String::as_str)).ok()?;
    }
    writer.into_inner().ok()
}

/// One record, each cell guarded.
fn record<'a>(
    writer: &mut ::csv::Writer<Vec<u8>>,
    cells: impl Iterator<Item = &'a str>,
) -> ::csv::Result<()> {
    for cell in cells {
        writer.write_field(guard(cell).as_bytes())?;
    }
    writer.write_record(None::<&[u8]>)
}

/// What starts a spreadsheet formula.
const FORMULA: [char; 4] = ['=', '+', '-', '@'];

/// A cell as written: `'` before text a spreadsheet would run as a formula.
fn guard(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA) && !is_number(cell) && !is_phone(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// `'=SUM(1)` → `=SUM(1)`: a cell as it was before [`write`] guarded it (imports call this
/// on each cell; the reader leaves cells as written).
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA) => rest,
        _ => cell,
    }
}

/// `+47 46567468`: a calling code and digits. Nothing a spreadsheet could run, so it keeps
/// its `+`.
fn is_phone(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|rest| {
        rest.starts_with(|c: char| c.is_ascii_digit())
            && rest.chars().all(|c| c.is_ascii_digit() || c == ' ')
            && !rest.contains("  ")
    })
}

fn is_number(s: &str) -> bool {
    let digits = s.trim_start_matches(['-', '+']);
    !digits.is_empty()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
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
        let text = write(Dialect::Nb, &["Kunde", "Notat", "Beløp"], &rows);
        assert_eq!(
            text,
            "\u{feff}Kunde;Notat;Beløp\r\n\
             \"Kari; Nordmann\";\"'=HYPERLINK(\"\"x\"\")\";-12,50\r\n\
             \"Ola \"\"O\"\"\";Æøå 😀;\"line\nbreak\"\r\n"
        );
        // Read back: the same cells (the guard is taken off by the imports, not the reader).
        let records = read(&text, None).unwrap();
        assert_eq!(Dialect::sniff(&text), Dialect::Nb);
        assert_eq!(records[1].cells[0], "Kari; Nordmann");
        assert_eq!(records[1].cells[1], "'=HYPERLINK(\"x\")");
        assert_eq!(unguard(&records[1].cells[1]), "=HYPERLINK(\"x\")");
        assert_eq!(unguard("'Ola"), "'Ola");
        assert_eq!(records[2].cells[2], "line\nbreak");
        // A separator of the other layout needs no quotes.
        let en = write(
            Dialect::En,
            &["a", "b"],
            &[vec!["Kari; Ola".into(), "1,5".into()]],
        );
        assert_eq!(en, "\u{feff}a,b\r\nKari; Ola,\"1,5\"\r\n");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn phones_keep_their_plus_formulas_do_not() {
        let rows: [Vec<String>; 2] = [vec!["+47 46567468".into()], vec!["+47+1".into()]];
        let text = write(Dialect::En, &["a"], &rows);
        assert_eq!(text, "\u{feff}a\r\n+47 46567468\r\n'+47+1\r\n");
        let cells: Vec<String> = read(&text, None)
            .unwrap()
            .into_iter()
            .flat_map(|r| r.cells)
            .collect();
        assert_eq!(cells, ["a", "+47 46567468", "'+47+1"]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn amounts_and_decimals_in_either_layout() {
        assert_eq!(amount(Money(123_450), Dialect::Nb), "1234,50");
        assert_eq!(amount(Money(5), Dialect::En), "0.05");
        assert_eq!(amount(Money(-1_250), Dialect::Nb), "-12,50");
        assert_eq!(Dialect::Nb.decimal(150), "1,5");
        assert_eq!(Dialect::En.decimal(123_425), "1234.25");
        assert_eq!(Dialect::Nb.decimal(2500), "25");
        assert_eq!(Dialect::En.decimal(-5), "-0.05");
        assert_eq!(Dialect::parse(" NO "), Some(Dialect::Nb));
        assert_eq!(Dialect::parse("en"), Some(Dialect::En));
        assert_eq!(Dialect::parse("sv"), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn records_with_or_without_bom_crlf_and_blank_lines() {
        let text = "Name,Phone\n\"Nordmann, Kari\",46567468\r\n\n,\nOla,\"91 23\n45 67\"";
        let records = read(text, None).unwrap();
        let lines: Vec<usize> = records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 5]);
        assert_eq!(records[1].cells, ["Nordmann, Kari", "46567468"]);
        assert_eq!(records[2].cells, ["Ola", "91 23\n45 67"]);
        let with_bom = read(&format!("\u{feff}{text}"), None).unwrap();
        assert_eq!(with_bom, records);
        // CRLF throughout (as spreadsheets and `write` end lines), a blank row, a lone CR.
        let crlf = read(
            "navn;telefon\r\nKari;\"465\r\n67\"\r\n;\r\nOla;\rPer;1",
            None,
        )
        .unwrap();
        let lines: Vec<usize> = crlf.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 5, 6]);
        assert_eq!(crlf[1].cells, ["Kari", "465\r\n67"]);
        assert_eq!(
            read("Name\n\"open", None),
            Err(CsvError::UnclosedQuote { line: 2 })
        );
        assert_eq!(
            read("Name;Note\n\"a \"\"b\"\"\";\"c\n", None),
            Err(CsvError::UnclosedQuote { line: 2 })
        );
        assert_eq!(read("", None), Ok(Vec::new()));
        let many = format!("Name\n{}", "A\n".repeat(MAX_ROWS + 1));
        assert_eq!(read(&many, None), Err(CsvError::TooManyRows(MAX_ROWS)));
        let most = format!("Name\n{}", "A\n".repeat(MAX_ROWS));
        assert_eq!(read(&most, None).map(|r| r.len()), Ok(MAX_ROWS + 1));
        assert_eq!(decode(b"Navn\n\xff"), Err(CsvError::NotUtf8));
        assert_eq!(decode("Æ".as_bytes()), Ok("Æ"));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_known_layout_is_not_sniffed() {
        let text = "Antall\n1,5\n";
        assert_eq!(Dialect::sniff(text), Dialect::En);
        let en = read(text, None).unwrap();
        assert_eq!(en[1].cells, ["1", "5"]);
        let nb = read(text, Some(Dialect::Nb)).unwrap();
        assert_eq!(nb[1].cells, ["1,5"]);
    }
}
