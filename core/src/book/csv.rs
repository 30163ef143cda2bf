//! The customer book's and the catalogue's CSV: their columns (English and Norwegian
//! headers), their exports in either layout ([`customers_csv`], [`products_csv`]) and their
//! imports, every row checked by core's rules into a preview ([`preview_customers`],
//! [`preview_products`]). Reading and writing CSV itself is [`crate::csv`]'s.

use serde_json::{Map, Value};

use super::customers::{Customer, CustomerInput};
use super::products::{Product, ProductInput};
use super::{ImportOutcome, ImportRow};
use crate::csv::{CsvError, Dialect, Record, amount, read, unguard, write};
use crate::customer::CustomerType;
use crate::money::{Money, parse_typed_hundredths};
use crate::validate::{Context, Report, Validated, validate_book_customer, validate_book_product};

/// One column of a book's CSV: the field it fills (a dotted path of the API's body, as the
/// preview's errors name it) and its header in English and Norwegian. `id` is written on
/// export and not read on import (the book matches rows itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub en: &'static str,
    pub nb: &'static str,
}

const fn col(key: &'static str, en: &'static str, nb: &'static str) -> Column {
    Column { key, en, nb }
}

/// The customer book's columns, in file order.
pub const CUSTOMER_COLUMNS: [Column; 15] = [
    col("id", "Id", "Id"),
    col("customerDetails.type", "Type", "Type"),
    col("customerDetails.firstName", "First name", "Fornavn"),
    col("customerDetails.name", "Name", "Navn"),
    col("customerDetails.countryCode", "Calling code", "Landskode"),
    col("customerDetails.msisdn", "Phone", "Telefon"),
    col("customerDetails.email", "Email", "E-post"),
    col(
        "customerDetails.personalNumber",
        "Personal number",
        "Fødselsnummer",
    ),
    col(
        "customerDetails.organizationId",
        "Organisation number",
        "Organisasjonsnummer",
    ),
    col("customerDetails.address.street", "Street", "Adresse"),
    col("customerDetails.address.zip", "Postcode", "Postnummer"),
    col("customerDetails.address.city", "City", "Poststed"),
    col("customerDetails.address.country", "Country", "Land"),
    col("customerDetails.preferredLanguage", "Language", "Språk"),
    col("notes", "Notes", "Notater"),
];

/// The catalogue's columns, in file order.
pub const PRODUCT_COLUMNS: [Column; 7] = [
    col("id", "Id", "Id"),
    col("name", "Name", "Navn"),
    col("productId", "Product id", "Produkt-ID"),
    col("unitPrice", "Unit price incl. VAT", "Enhetspris inkl. mva"),
    col("tax", "VAT %", "Mva %"),
    col("discount", "Discount", "Rabatt"),
    col("unit", "Unit", "Enhet"),
];

fn headers(dialect: Dialect, columns: &[Column]) -> Vec<&'static str> {
    columns
        .iter()
        .map(|c| match dialect {
            Dialect::Nb => c.nb,
            Dialect::En => c.en,
        })
        .collect()
}

/// A customer type as a spreadsheet shows it (`privat`/`bedrift`, `private`/`business`).
fn type_word(dialect: Dialect, t: Option<CustomerType>) -> &'static str {
    match (dialect, t) {
        (_, None) => "",
        (Dialect::Nb, Some(CustomerType::Private)) => "privat",
        (Dialect::Nb, Some(CustomerType::Corporate)) => "bedrift",
        (Dialect::En, Some(CustomerType::Private)) => "private",
        (Dialect::En, Some(CustomerType::Corporate)) => "business",
    }
}

/// The book as CSV in `dialect`, one row per customer in [`CUSTOMER_COLUMNS`] order.
pub fn customers_csv(dialect: Dialect, customers: &[Customer]) -> String {
    let rows: Vec<Vec<String>> = customers
        .iter()
        .map(|c| {
            let d = &c.customer_details;
            let text = |s: &Option<String>| s.clone().unwrap_or_default();
            vec![
                c.id.clone(),
                type_word(dialect, d.customer_type).to_owned(),
                text(&d.first_name),
                d.name.clone(),
                text(&d.country_code),
                text(&d.msisdn),
                text(&d.email),
                text(&d.personal_number),
                text(&d.organization_id),
                d.address.street.clone(),
                d.address.zip.clone(),
                d.address.city.clone(),
                d.address.country.clone(),
                d.preferred_language
                    .map(|l| l.as_str().to_owned())
                    .unwrap_or_default(),
                text(&c.notes),
            ]
        })
        .collect();
    write(dialect, &headers(dialect, &CUSTOMER_COLUMNS), &rows)
}

/// The catalogue as CSV in `dialect`, amounts and VAT with the dialect's decimal mark.
pub fn products_csv(dialect: Dialect, products: &[Product]) -> String {
    let rows: Vec<Vec<String>> = products
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                p.name.clone(),
                p.product_id.clone().unwrap_or_default(),
                amount(p.unit_price, dialect),
                dialect.decimal(p.tax.basis_points()),
                p.discount.map(|d| amount(d, dialect)).unwrap_or_default(),
                p.unit.clone().unwrap_or_default(),
            ]
        })
        .collect();
    write(dialect, &headers(dialect, &PRODUCT_COLUMNS), &rows)
}

/// Every row of a customer CSV checked by the book's rules (`validate_book_customer`).
pub fn preview_customers(
    text: &str,
    ctx: &Context,
) -> Result<Vec<ImportRow<CustomerInput>>, CsvError> {
    preview(text, &CUSTOMER_COLUMNS, |v| validate_book_customer(v, ctx))
}

/// Every row of a product CSV checked by the catalogue's rules (`validate_book_product`).
pub fn preview_products(
    text: &str,
    ctx: &Context,
) -> Result<Vec<ImportRow<ProductInput>>, CsvError> {
    preview(text, &PRODUCT_COLUMNS, |v| validate_book_product(v, ctx))
}

fn preview<T>(
    text: &str,
    columns: &[Column],
    validate: impl Fn(&Value) -> Result<Validated<T>, Report>,
) -> Result<Vec<ImportRow<T>>, CsvError> {
    let records = read(text, None)?;
    let (header, rows) = records.split_first().ok_or(CsvError::Empty)?;
    let map: Vec<Option<&Column>> = header.cells.iter().map(|h| named(columns, h)).collect();
    if !map.iter().flatten().any(|c| c.key != "id") {
        return Err(CsvError::UnknownHeader);
    }
    Ok(rows
        .iter()
        .map(|record| {
            let outcome = match validate(&row_value(&map, record)) {
                Ok(v) => ImportOutcome::Ok {
                    value: v.value,
                    warnings: Report {
                        errors: Vec::new(),
                        warnings: v.warnings,
                    }
                    .warning_fields(),
                },
                Err(r) => ImportOutcome::Err {
                    errors: r.fields(),
                    warnings: r.warning_fields(),
                },
            };
            ImportRow {
                line: record.line,
                outcome,
            }
        })
        .collect())
}

/// The column a header names: its field, or its English or Norwegian header, in any case.
fn named<'a>(columns: &'a [Column], header: &str) -> Option<&'a Column> {
    let h = header.trim().to_lowercase();
    columns.iter().find(|c| {
        [c.key, c.en, c.nb]
            .iter()
            .any(|name| name.to_lowercase() == h)
    })
}

/// A record as the API's JSON body: blank cells are absent, cells trimmed, a formula guard
/// (`'=…`) taken off, and the spreadsheet's ways of writing a value made the API's.
fn row_value(map: &[Option<&Column>], record: &Record) -> Value {
    let mut root = Map::new();
    for (cell, column) in record.cells.iter().zip(map) {
        let Some(column) = column else { continue };
        let text = unguard(cell.trim());
        if text.is_empty() || column.key == "id" {
            continue;
        }
        set_path(
            &mut root,
            column.key,
            Value::String(as_api(column.key, text)),
        );
    }
    Value::Object(root)
}

/// A cell's text as the API writes that field: customer types in either language, country
/// codes upper case, languages lower case, amounts and rates typed the nb or en way
/// (`1 234,50`) as `1234.50` (left as typed when unreadable, for the rules to refuse).
fn as_api(key: &str, text: &str) -> String {
    match key {
        "customerDetails.type" => match text.to_lowercase().as_str() {
            "privat" | "private" | "person" => "private".to_owned(),
            "bedrift" | "firma" | "business" | "company" | "corporate" => "corporate".to_owned(),
            _ => text.to_owned(),
        },
        "customerDetails.address.country" => text.to_uppercase(),
        "customerDetails.preferredLanguage" => text.to_lowercase(),
        "unitPrice" | "tax" | "discount" => parse_typed_hundredths(text)
            .map(|h| Money(h).to_api_string())
            .unwrap_or_else(|_| text.to_owned()),
        _ => text.to_owned(),
    }
}

/// Put `value` at the dotted `path` of `target`, making the objects on the way.
fn set_path(target: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            target.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = target
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = child {
                set_path(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::{Address, CustomerDetails, Language};
    use crate::money::TaxRate;
    use crate::validate::Code;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn ctx() -> Context {
        Context::new(1_703_040_812)
    }

    const NB_FILE: &str = "\u{feff}Type;Fornavn;Navn;Landskode;Telefon;E-post;Fødselsnummer;Adresse;Postnummer;Poststed;Land;Ukjent\r\n\
        privat;Kari;Nordmann;+47;465 67 468;kari@example.com;01010012357;Gata 1;4313;Sandnes;no;x\r\n\
        bedrift;;\"Fjord; AS\";47;91234567;post@fjord.no;;Kaia 2;5003;Bergen;NO;\r\n\
        privat;Ola;Nordmann;+47;46x67468;ola@example.com;;Gata 2;0155;Oslo;NO;\r\n\
        person;'=Ola;Nordmann;;;ola@example.com;;Gata 2;155;Oslo;NO;\r\n";

    #[wasm_bindgen_test(unsupported = test)]
    fn every_row_is_checked_by_the_forms_rules() {
        let rows = preview_customers(NB_FILE, &ctx()).unwrap();
        assert_eq!(
            rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            [2, 3, 4, 5]
        );
        // A bad control digit is a warning only; the phone is normalised, the country read.
        let ImportOutcome::Ok { value, warnings } = &rows[0].outcome else {
            panic!("{:?}", rows[0].outcome)
        };
        assert_eq!(value.customer_details.msisdn.as_deref(), Some("46567468"));
        assert_eq!(value.customer_details.address.country, "NO");
        assert_eq!(
            warnings["customerDetails.personalNumber"][0].code,
            Code::FnrChecksum
        );
        // A business without its organisation number, in a quoted cell with the separator.
        let ImportOutcome::Err { errors, .. } = &rows[1].outcome else {
            panic!("{:?}", rows[1].outcome)
        };
        assert_eq!(
            errors["customerDetails.organizationId"][0].code,
            Code::RequiredIf
        );
        // A bad phone.
        let ImportOutcome::Err { errors, .. } = &rows[2].outcome else {
            panic!("{:?}", rows[2].outcome)
        };
        assert_eq!(errors["customerDetails.msisdn"][0].code, Code::DigitsOnly);
        // `person` is read as private, the formula guard comes off, a short postcode warns.
        let ImportOutcome::Ok { value, warnings } = &rows[3].outcome else {
            panic!("{:?}", rows[3].outcome)
        };
        assert_eq!(value.customer_details.first_name.as_deref(), Some("=Ola"));
        assert_eq!(
            warnings["customerDetails.address.zip"][0].code,
            Code::Postcode
        );
        assert_eq!(
            preview_customers("a;b\nc;d", &ctx()),
            Err(CsvError::UnknownHeader)
        );
        assert_eq!(preview_customers("", &ctx()), Err(CsvError::Empty));
    }

    fn customer(id: &str, name: &str, notes: Option<&str>) -> Customer {
        CustomerInput {
            customer_details: CustomerDetails {
                customer_type: Some(CustomerType::Private),
                country_code: Some("+47".into()),
                msisdn: Some("46567468".into()),
                email: Some("kari@example.com".into()),
                first_name: Some("Kari".into()),
                name: name.into(),
                preferred_language: Some(Language::En),
                personal_number: Some("01010012356".into()),
                organization_id: None,
                address: Address {
                    street: "Gata 1, oppgang B".into(),
                    zip: "0155".into(),
                    city: "Oslo".into(),
                    country: "NO".into(),
                },
            },
            notes: notes.map(str::to_owned),
        }
        .into_customer(id.into(), "user:a", 1)
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn customers_export_and_import_round_trip_in_both_dialects() {
        let book = vec![
            customer("cus_1", "Nordmann; \"Kari\"", Some("-VIP")),
            customer("cus_2", "=Ola", None),
        ];
        for dialect in [Dialect::Nb, Dialect::En] {
            let text = customers_csv(dialect, &book);
            assert!(text.starts_with('\u{feff}'));
            let rows = preview_customers(&text, &ctx()).unwrap();
            let back: Vec<CustomerInput> = rows
                .iter()
                .filter_map(|r| r.outcome.value().cloned())
                .collect();
            let expected: Vec<CustomerInput> = book
                .iter()
                .map(|c| CustomerInput {
                    customer_details: c.customer_details.clone(),
                    notes: c.notes.clone(),
                })
                .collect();
            assert_eq!(back, expected, "{dialect:?}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn products_in_both_dialects() {
        let p = ProductInput {
            name: "Hair Wash, large".into(),
            product_id: Some("VFDDF".into()),
            unit_price: Money(123_450),
            tax: TaxRate(1250),
            discount: Some(Money(50)),
            unit: Some("stk".into()),
        }
        .into_product("prd_1".into(), "user:a", 1);
        let nb = products_csv(Dialect::Nb, std::slice::from_ref(&p));
        assert!(
            nb.contains("prd_1;Hair Wash, large;VFDDF;1234,50;12,5;0,50;stk"),
            "{nb}"
        );
        let en = products_csv(Dialect::En, std::slice::from_ref(&p));
        assert!(
            en.contains("\"Hair Wash, large\",VFDDF,1234.50,12.5,0.50,stk"),
            "{en}"
        );
        let rates = ctx().with_tax_rates(vec![TaxRate(1250), TaxRate(2500)]);
        for text in [nb, en] {
            let rows = preview_products(&text, &rates).unwrap();
            let value = rows[0].outcome.value().cloned();
            assert_eq!(
                value.map(|v| v.into_product("prd_1".into(), "user:a", 1)),
                Some(p.clone())
            );
        }
        // Typed the Norwegian way, and a rate not configured.
        let rows = preview_products(
            "Navn;Enhetspris inkl. mva;Mva %\nA;1 234,5;25\nB;9;24",
            &ctx(),
        )
        .unwrap();
        assert_eq!(
            rows[0].outcome.value().map(|v| v.unit_price),
            Some(Money(123_450))
        );
        let ImportOutcome::Err { errors, .. } = &rows[1].outcome else {
            panic!("{:?}", rows[1].outcome)
        };
        assert_eq!(errors["tax"][0].code, Code::In);
    }
}
