//! The columns of a batch's spreadsheet: one table, read both ways (a cell into an
//! [`OrderDraft`] on import, a draft into cells on export), so a template exported and imported
//! gives the same orders. Plain text members go through the form's field table
//! ([`fields::Source::Text`]); which columns a kind's template has follows the table's presence.
//! A file's rows by column are [`read_rows`] (the CSV itself is [`crate::csv`]'s).

use crate::csv::{self, CsvError, Dialect, Record};
use crate::customer::CustomerType;
use crate::draft::fields::{self, Case, Source};
use crate::draft::{LineDraft, OrderDraft, discount_kr, parse_entry};
use crate::ids::phone;
use crate::status::OrderKind;
use crate::validate::{Code, Issue, Params};

/// A member of a product line a column fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineMember {
    Name,
    ProductId,
    Quantity,
    Rate,
    /// In kr (a discount typed in percent is exported as its kr).
    Discount,
    Tax,
}

/// Where a column's cell goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The reference that groups a spreadsheet's lines into orders.
    OrderRef,
    /// A plain text member of the form's field table, by its path.
    Text(&'static str),
    /// `private` / `corporate` (nb `privat` / `bedrift`).
    CustomerType,
    /// The phone's calling code (`+47`).
    CallingCode,
    /// The phone number.
    Msisdn,
    /// `2026-01-15` (or `15.01.2026`); empty: the day the batch is sent.
    OrderDate,
    Line(LineMember),
}

/// One column: its English header (also its stable key), its Norwegian header, its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub nb: &'static str,
    pub target: Target,
}

impl Column {
    /// Its header in `dialect`.
    pub const fn header(&self, dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::Nb => self.nb,
            Dialect::En => self.key,
        }
    }

    /// Part of the customer block (what way (a) takes per row).
    pub fn is_customer(&self) -> bool {
        match self.target {
            Target::Text(path) => path.starts_with("customerDetails."),
            Target::CustomerType | Target::CallingCode | Target::Msisdn => true,
            Target::OrderRef | Target::OrderDate | Target::Line(_) => false,
        }
    }

    /// Part of an order's lines, or its reference (only a spreadsheet of whole orders has them).
    pub const fn is_order_only(&self) -> bool {
        matches!(self.target, Target::OrderRef | Target::Line(_))
    }

    /// The field table's path whose presence decides whether a kind's template has it.
    const fn path(&self) -> &'static str {
        match self.target {
            Target::Text(path) => path,
            Target::CustomerType => "customerDetails.type",
            Target::CallingCode => "customerDetails.countryCode",
            Target::Msisdn => "customerDetails.msisdn",
            Target::OrderDate => "orderDate",
            Target::OrderRef | Target::Line(_) => "products",
        }
    }

    /// Shown on the form for `kind` with either customer type.
    pub fn applies_to(&self, kind: OrderKind) -> bool {
        let Some(spec) = fields::field_spec(self.path()) else {
            return false;
        };
        [CustomerType::Private, CustomerType::Corporate]
            .into_iter()
            .any(|ct| spec.presence(Case::new(kind, Some(ct))).is_shown())
    }
}

const fn col(key: &'static str, nb: &'static str, target: Target) -> Column {
    Column { key, nb, target }
}

/// Every column, in the order a template writes them.
pub static COLUMNS: &[Column] = &[
    col("order_reference", "ordrereferanse", Target::OrderRef),
    col("customer_type", "kundetype", Target::CustomerType),
    col("name", "navn", Target::Text("customerDetails.name")),
    col(
        "first_name",
        "fornavn",
        Target::Text("customerDetails.firstName"),
    ),
    col("country_code", "landkode", Target::CallingCode),
    col("phone", "telefon", Target::Msisdn),
    col("email", "epost", Target::Text("customerDetails.email")),
    col(
        "personal_number",
        "fødselsnummer",
        Target::Text("customerDetails.personalNumber"),
    ),
    col(
        "organization_number",
        "organisasjonsnummer",
        Target::Text("customerDetails.organizationId"),
    ),
    col(
        "street",
        "gateadresse",
        Target::Text("customerDetails.address.street"),
    ),
    col(
        "zip",
        "postnummer",
        Target::Text("customerDetails.address.zip"),
    ),
    col(
        "city",
        "poststed",
        Target::Text("customerDetails.address.city"),
    ),
    col(
        "country",
        "land",
        Target::Text("customerDetails.address.country"),
    ),
    col(
        "language",
        "språk",
        Target::Text("customerDetails.preferredLanguage"),
    ),
    col("reference", "referanse", Target::Text("referenceNo")),
    col(
        "customer_reference",
        "kundereferanse",
        Target::Text("customerReference"),
    ),
    col("order_date", "ordredato", Target::OrderDate),
    col("product", "produkt", Target::Line(LineMember::Name)),
    col(
        "product_id",
        "produktnummer",
        Target::Line(LineMember::ProductId),
    ),
    col("quantity", "antall", Target::Line(LineMember::Quantity)),
    col("unit_price", "enhetspris", Target::Line(LineMember::Rate)),
    col("discount", "rabatt", Target::Line(LineMember::Discount)),
    col("vat_percent", "mva_prosent", Target::Line(LineMember::Tax)),
];

/// The column a header names, in either language or as its key (case and surrounding spaces
/// ignored).
pub fn by_header(header: &str) -> Option<&'static Column> {
    let h = header.trim().to_lowercase();
    COLUMNS.iter().find(|c| c.key == h || c.nb == h)
}

/// One data row of a batch: its line in the file (the header is line 1; a picked row's
/// number) and its cells by column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<(&'static Column, String)>,
}

impl Row {
    /// The cell of a column (`""` when the row has no such column).
    pub fn get(&self, column: &Column) -> &str {
        self.cells
            .iter()
            .find(|(c, _)| *c == column)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A batch file's rows, read by [`crate::csv::read`] (either layout, sniffed): the header's
/// cells matched to columns (a blank header cell is a column nobody named: ignored), each cell
/// as it was before the export's formula guard.
pub fn read_rows(text: &str) -> Result<Vec<Row>, CsvError> {
    let records = csv::read(text, None)?;
    let (header, records) = records.split_first().ok_or(CsvError::Empty)?;
    let known = header_columns(&header.cells)?;
    if records.is_empty() {
        return Err(CsvError::NoRows);
    }
    records.iter().map(|r| row(&known, r)).collect()
}

/// The header's columns, by position.
pub(super) fn header_columns(header: &[String]) -> Result<Vec<Option<&'static Column>>, CsvError> {
    let mut known: Vec<Option<&'static Column>> = Vec::with_capacity(header.len());
    for name in header.iter().map(|h| h.trim()) {
        if name.is_empty() {
            known.push(None);
            continue;
        }
        let column = by_header(name).ok_or_else(|| CsvError::UnknownColumn(name.into()))?;
        if known.contains(&Some(column)) {
            return Err(CsvError::DuplicateColumn(name.into()));
        }
        known.push(Some(column));
    }
    Ok(known)
}

/// A record's cells by column; a cell beyond the header is refused unless blank.
fn row(known: &[Option<&'static Column>], record: &Record) -> Result<Row, CsvError> {
    let mut cells = Vec::with_capacity(known.len());
    for (i, value) in record.cells.iter().enumerate() {
        match known.get(i) {
            Some(Some(column)) => cells.push((*column, csv::unguard(value).to_owned())),
            Some(None) => {}
            None if value.trim().is_empty() => {}
            None => return Err(CsvError::ExtraCells(record.line)),
        }
    }
    Ok(Row {
        line: u64::try_from(record.line).unwrap_or(u64::MAX),
        cells,
    })
}

/// The cell of column `key` on the file's `line`, as a fix in place starts from it (empty
/// when the line has no such cell); `None` when the file cannot be read or has no such line.
pub fn cell_at(text: &str, line: u64, key: &str) -> Option<String> {
    let column = by_header(key)?;
    let records = csv::read(text, None).ok()?;
    let (header, records) = records.split_first()?;
    let record = records.iter().find(|r| r.line as u64 == line)?;
    let at = header
        .cells
        .iter()
        .position(|h| by_header(h) == Some(column));
    Some(
        at.and_then(|i| record.cells.get(i))
            .cloned()
            .unwrap_or_default(),
    )
}

/// `text` with the cell of column `key` on the file's `line` set to `value`, written again in
/// the file's own layout; a column the header lacks is added (empty on the other lines).
/// `None` when the file cannot be read or has no such line or column.
pub fn with_cell(text: &str, line: u64, key: &str, value: &str) -> Option<String> {
    let column = by_header(key)?;
    let layout = csv::Dialect::sniff(text);
    let mut records = csv::read(text, None).ok()?;
    let (header, rows) = records.split_first_mut()?;
    let at = match header
        .cells
        .iter()
        .position(|h| by_header(h) == Some(column))
    {
        Some(i) => i,
        None => {
            header.cells.push(column.header(layout).to_owned());
            header.cells.len() - 1
        }
    };
    let record = rows.iter_mut().find(|r| r.line as u64 == line)?;
    if record.cells.len() <= at {
        record.cells.resize(at + 1, String::new());
    }
    record.cells[at] = value.to_owned();
    let head: Vec<&str> = header.cells.iter().map(String::as_str).collect();
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells.clone()).collect();
    Some(csv::write(layout, &head, &cells))
}

/// The column a validation path is about (`products.N.<member>` → the line's column).
pub fn of_path(path: &str) -> Option<&'static Column> {
    if let Some((_, member)) = fields::split_line_path(path) {
        let m = match member {
            "name" => LineMember::Name,
            "productId" => LineMember::ProductId,
            "quantity" => LineMember::Quantity,
            "rate" | "amount" => LineMember::Rate,
            "discount" => LineMember::Discount,
            "tax" => LineMember::Tax,
            _ => return None,
        };
        return COLUMNS.iter().find(|c| c.target == Target::Line(m));
    }
    COLUMNS
        .iter()
        .find(|c| !c.is_order_only() && c.path() == path)
}

/// Is `path` a typed text of the field table (kept in the draft by its path)?
fn is_text_member(path: &str) -> bool {
    fields::field_spec(path).is_some_and(|f| matches!(f.source, Source::Text(_)))
}

/// Put a cell into the order's draft (not a line's cell, nor the reference). A blank cell
/// keeps what the draft has. A customer type that is neither is an issue (the form could not
/// have sent it); anything else is left for validation to name.
pub fn set(d: &mut OrderDraft, column: &Column, cell: &str) -> Option<Issue> {
    let cell = cell.trim();
    if cell.is_empty() {
        return None;
    }
    match column.target {
        Target::Text(path) => {
            if is_text_member(path) {
                d.set_text(path, cell);
            }
        }
        Target::CustomerType => return set_customer_type(d, cell),
        Target::CallingCode => {
            d.calling_code = cell.to_owned();
            // The phone's country: the first of the form's list with this code.
            d.phone_country = phone::select_list()
                .find(|c| c.calling_code == Some(cell))
                .map_or_else(String::new, |c| c.alpha2.to_owned());
        }
        Target::Msisdn => d.msisdn = cell.to_owned(),
        Target::OrderDate => d.order_date = iso_date(cell),
        Target::OrderRef | Target::Line(_) => {}
    }
    None
}

fn set_customer_type(d: &mut OrderDraft, cell: &str) -> Option<Issue> {
    let ct = match cell.to_lowercase().as_str() {
        "private" | "privat" => CustomerType::Private,
        "corporate" | "bedrift" => CustomerType::Corporate,
        _ => {
            return Some(Issue {
                field: "customerDetails.type".into(),
                code: Code::In,
                params: Params {
                    values: vec!["private".into(), "corporate".into()],
                    ..Params::default()
                },
            });
        }
    };
    d.customer_type = ct.as_str().into();
    None
}

/// `15.01.2026` → `2026-01-15`; anything else as typed (validation names a bad date).
fn iso_date(cell: &str) -> String {
    let parts: Vec<&str> = cell.split('.').collect();
    match parts.as_slice() {
        [d, m, y] if d.len() == 2 && m.len() == 2 && y.len() == 4 => format!("{y}-{m}-{d}"),
        _ => cell.to_owned(),
    }
}

/// Put a line's cell into the line (blank keeps the line's default).
pub fn set_line(l: &mut LineDraft, member: LineMember, cell: &str) {
    let cell = cell.trim();
    if cell.is_empty() {
        return;
    }
    let slot = match member {
        LineMember::Name => &mut l.name,
        LineMember::ProductId => &mut l.product_id,
        LineMember::Quantity => &mut l.quantity,
        LineMember::Rate => &mut l.rate,
        LineMember::Discount => {
            l.discount_percent = false;
            &mut l.discount
        }
        LineMember::Tax => &mut l.tax,
    };
    *slot = cell.to_owned();
}

/// The order's cell of `column` as exported (empty for a line's column or the reference).
pub fn cell(d: &OrderDraft, column: &Column, dialect: Dialect) -> String {
    match column.target {
        Target::Text(path) => {
            if is_text_member(path) {
                d.text(path).to_owned()
            } else {
                String::new()
            }
        }
        Target::CustomerType => customer_type_cell(d, dialect),
        Target::CallingCode => d.calling_code.clone(),
        Target::Msisdn => d.msisdn.clone(),
        Target::OrderDate => d.order_date.clone(),
        Target::OrderRef | Target::Line(_) => String::new(),
    }
}

fn customer_type_cell(d: &OrderDraft, dialect: Dialect) -> String {
    let ct = CustomerType::parse(&d.customer_type).unwrap_or(CustomerType::Private);
    let text = match (ct, dialect) {
        (CustomerType::Private, Dialect::Nb) => "privat",
        (CustomerType::Corporate, Dialect::Nb) => "bedrift",
        (ct, Dialect::En) => ct.as_str(),
    };
    text.to_owned()
}

/// A line's cell as exported: numbers in `dialect`'s decimal form, the discount in kr.
pub fn line_cell(l: &LineDraft, member: LineMember, dialect: Dialect) -> String {
    match member {
        LineMember::Name => l.name.clone(),
        LineMember::ProductId => l.product_id.clone(),
        LineMember::Quantity => number(&l.quantity, dialect),
        LineMember::Rate => number(&l.rate, dialect),
        LineMember::Discount if l.discount.trim().is_empty() => String::new(),
        LineMember::Discount => match discount_kr(l) {
            Some(kr) => dialect.decimal(kr.ore()),
            None => l.discount.clone(),
        },
        LineMember::Tax => number(&l.tax, dialect),
    }
}

/// A typed number in `dialect`'s form when it reads, else as typed.
fn number(typed: &str, dialect: Dialect) -> String {
    parse_entry(typed).map_or_else(|| typed.to_owned(), |h| dialect.decimal(h))
}

/// The draft with the customer block as a new form has it: what way (a) fills per row.
pub fn without_customer(d: &OrderDraft) -> OrderDraft {
    let blank = OrderDraft::default();
    let mut out = d.clone();
    for c in COLUMNS.iter().filter(|c| c.is_customer()) {
        match c.target {
            Target::Text(path) => {
                if is_text_member(path) {
                    out.set_text(path, blank.text(path));
                }
            }
            Target::CustomerType => out.customer_type = blank.customer_type.clone(),
            Target::CallingCode => {
                out.calling_code = blank.calling_code.clone();
                out.phone_country = blank.phone_country.clone();
            }
            Target::Msisdn => out.msisdn = blank.msisdn.clone(),
            Target::OrderRef | Target::OrderDate | Target::Line(_) => {}
        }
    }
    out
}

/// The columns of `kind`'s spreadsheet: the customer columns (way (a)), or all (way (b)).
pub fn for_kind(kind: OrderKind, whole_orders: bool) -> Vec<&'static Column> {
    COLUMNS
        .iter()
        .filter(|c| c.is_order_only() || c.applies_to(kind))
        .filter(|c| whole_orders || c.is_customer())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn headers_in_either_language() {
        assert_eq!(by_header(" Navn ").map(|c| c.key), Some("name"));
        assert_eq!(by_header("unit_price").map(|c| c.nb), Some("enhetspris"));
        assert_eq!(
            by_header("FØDSELSNUMMER").map(|c| c.key),
            Some("personal_number")
        );
        assert!(by_header("shoe size").is_none());
        let mut keys: Vec<&str> = COLUMNS.iter().flat_map(|c| [c.key, c.nb]).collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "headers are unique");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn reads_either_layout_with_or_without_a_bom() {
        let nb = "\u{feff}navn;telefon\r\nKari;\"465 67 468\"\r\n;\r\nOla;\r\n";
        let en = "Name,Phone\nKari,465 67 468\nOla,\n";
        let name = by_header("name").unwrap_or_else(|| panic!());
        let phone = by_header("phone").unwrap_or_else(|| panic!());
        for text in [nb, en] {
            let rows = read_rows(text).unwrap_or_default();
            assert_eq!(rows.len(), 2, "{text}");
            assert_eq!(
                (rows[0].get(name), rows[0].get(phone)),
                ("Kari", "465 67 468")
            );
            assert_eq!(rows[1].get(phone), "");
        }
        assert_eq!(read_rows(nb).map(|r| r[1].line), Ok(4));
        // What the export guarded comes back as it was.
        let guarded = read_rows("navn;telefon\n'=Kari;'+47+1\n").unwrap_or_default();
        assert_eq!(
            guarded.first().map(|r| (r.get(name), r.get(phone))),
            Some(("=Kari", "+47+1"))
        );
    }

    /// A fix in place changes one cell of one line and keeps the rest of the file as read.
    #[wasm_bindgen_test(unsupported = test)]
    fn a_cell_is_fixed_in_place() {
        let text = "\u{feff}navn;epost;telefon\r\nKari;kari@example.no;46567468\r\nOla;ikke-epost;41234567\r\n";
        assert_eq!(cell_at(text, 3, "email").as_deref(), Some("ikke-epost"));
        assert_eq!(cell_at(text, 3, "zip").as_deref(), Some(""));
        assert_eq!(cell_at(text, 9, "email"), None);
        let fixed = with_cell(text, 3, "email", "ola@example.no").unwrap_or_default();
        assert_eq!(fixed, text.replace("ikke-epost", "ola@example.no"));
        // A column the file lacks is added, empty on the other lines.
        let zip = with_cell(text, 2, "zip", "4313").unwrap_or_default();
        let rows = read_rows(&zip).unwrap_or_else(|e| panic!("{e}"));
        let zip_of = |r: &Row| {
            r.get(by_header("zip").unwrap_or_else(|| panic!()))
                .to_owned()
        };
        assert_eq!(rows.iter().map(zip_of).collect::<Vec<_>>(), ["4313", ""]);
        assert!(
            zip.starts_with("\u{feff}navn;epost;telefon;postnummer\r\n"),
            "{zip}"
        );
        assert_eq!(with_cell(text, 3, "shoe size", "42"), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refuses_what_it_cannot_read() {
        assert_eq!(read_rows(""), Err(CsvError::Empty));
        assert_eq!(read_rows("navn\n"), Err(CsvError::NoRows));
        assert_eq!(
            read_rows("navn;skostørrelse\nKari;38\n"),
            Err(CsvError::UnknownColumn("skostørrelse".into()))
        );
        assert_eq!(
            read_rows("navn;name\nKari;Kari\n"),
            Err(CsvError::DuplicateColumn("name".into()))
        );
        // A blank header cell's column is ignored; a cell beyond the header is refused.
        assert_eq!(read_rows("navn;\nKari;x;y\n"), Err(CsvError::ExtraCells(2)));
        assert_eq!(
            read_rows("navn;\nKari;x\n").map(|r| r[0].cells.len()),
            Ok(1)
        );
        let many = format!("navn\n{}", "Kari\n".repeat(crate::csv::MAX_ROWS + 1));
        assert_eq!(
            read_rows(&many),
            Err(CsvError::TooManyRows(crate::csv::MAX_ROWS))
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn every_text_column_is_a_text_member_of_the_field_table() {
        for c in COLUMNS {
            if let Target::Text(path) = c.target {
                assert!(is_text_member(path), "{path}");
            }
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn templates_follow_the_field_table() {
        let keys =
            |kind, whole| -> Vec<&str> { for_kind(kind, whole).iter().map(|c| c.key).collect() };
        let ehf = keys(OrderKind::Ehf, true);
        assert!(ehf.contains(&"organization_number") && !ehf.contains(&"personal_number"));
        assert!(!ehf.contains(&"customer_type"));
        let efaktura = keys(OrderKind::EFaktura, true);
        assert!(
            efaktura.contains(&"personal_number") && !efaktura.contains(&"organization_number")
        );
        let link = keys(OrderKind::PaymentLink, false);
        assert!(link.contains(&"customer_type") && link.contains(&"organization_number"));
        assert!(!link.contains(&"product") && !link.contains(&"order_reference"));
        assert!(!link.contains(&"order_date") && !link.contains(&"reference"));
        assert_eq!(
            keys(OrderKind::Invoice, true).first(),
            Some(&"order_reference")
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn cells_into_the_draft() {
        let mut d = OrderDraft::default();
        let c = |k: &str| by_header(k).unwrap_or_else(|| panic!("{k}"));
        assert_eq!(set(&mut d, c("kundetype"), "Bedrift"), None);
        assert_eq!(d.customer_type, "corporate");
        let bad = set(&mut d, c("customer_type"), "company");
        assert_eq!(
            bad.map(|i| (i.field, i.code)),
            Some(("customerDetails.type".into(), Code::In))
        );
        set(&mut d, c("country_code"), "+46");
        assert_eq!(
            (d.calling_code.as_str(), d.phone_country.as_str()),
            ("+46", "SE")
        );
        set(&mut d, c("ordredato"), "15.01.2026");
        assert_eq!(d.order_date, "2026-01-15");
        set(&mut d, c("email"), "  ");
        assert_eq!(
            d.text("customerDetails.email"),
            "",
            "blank keeps the default"
        );
        set(&mut d, c("navn"), "Kari");
        assert_eq!(cell(&d, c("name"), Dialect::Nb), "Kari");
        assert_eq!(cell(&d, c("customer_type"), Dialect::Nb), "bedrift");
        assert_eq!(without_customer(&d).text("customerDetails.name"), "");
        assert_eq!(without_customer(&d).order_date, "2026-01-15");
        assert_eq!(
            of_path("products.3.rate").map(|c| c.key),
            Some("unit_price")
        );
        assert_eq!(
            of_path("customerDetails.msisdn").map(|c| c.key),
            Some("phone")
        );
        assert_eq!(of_path("orderSummary.grandTotal"), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn line_cells_in_the_languages_decimal_form() {
        let l = LineDraft {
            quantity: "1.5".into(),
            rate: "1 234,50".into(),
            discount: "10".into(),
            discount_percent: true,
            tax: "12.5".into(),
            ..LineDraft::default()
        };
        assert_eq!(line_cell(&l, LineMember::Quantity, Dialect::Nb), "1,5");
        assert_eq!(line_cell(&l, LineMember::Rate, Dialect::En), "1234.5");
        // 10 % of 1.5 × 1 234.50 = 185.175 → 185.18 kr.
        assert_eq!(line_cell(&l, LineMember::Discount, Dialect::Nb), "185,18");
        assert_eq!(line_cell(&l, LineMember::Tax, Dialect::Nb), "12,5");
        let mut back = LineDraft::default();
        set_line(&mut back, LineMember::Discount, "185,18");
        assert!(!back.discount_percent);
    }
}
