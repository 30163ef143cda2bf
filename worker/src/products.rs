//! The product catalogue in D1 (`products`, migration 0007), as plain queries: rows, the page
//! and type-ahead search (name or product id), the upsert of created and changed products,
//! and imports, which update the product with the same product id and add the rest.

use frontdesk_core::book::{ImportAction, ImportDone, Product, ProductInput};
use frontdesk_core::money::{Money, TaxRate};
use frontdesk_core::roles::Role;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::book::{ImportPlan, Imported, Importer, Search, Shelf, Shelved};
use crate::sql::Query;

/// The columns a product is read back from.
pub const COLUMNS: &str = "id, name, name_lc, product_id, unit_price_ore, tax_bp, discount_ore, unit, \
     archived, created_at, created_by, updated_at, updated_by";

/// Names and product ids by the prefix typed.
const SEARCH: Search<'static> = Search {
    text: &["name_lc", "product_id_lc"],
    digits: &[],
};

/// A row of the `products` table as D1 gives it (numbers as floats).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ProductRow {
    pub id: String,
    pub name: String,
    pub name_lc: String,
    pub product_id: Option<String>,
    pub unit_price_ore: f64,
    pub tax_bp: f64,
    pub discount_ore: Option<f64>,
    pub unit: Option<String>,
    pub archived: f64,
    pub created_at: f64,
    pub created_by: String,
    pub updated_at: f64,
    pub updated_by: String,
}

impl ProductRow {
    /// The typed product.
    pub fn product(self) -> Product {
        Product {
            id: self.id,
            name: self.name,
            product_id: self.product_id,
            unit_price: Money(self.unit_price_ore as i64),
            tax: TaxRate(self.tax_bp as i64),
            discount: self.discount_ore.map(|d| Money(d as i64)),
            unit: self.unit,
            archived: self.archived != 0.0,
            created_at: self.created_at as i64,
            created_by: self.created_by,
            updated_at: self.updated_at as i64,
            updated_by: self.updated_by,
        }
    }
}

/// Products per upsert statement (a JSON parameter well under D1's 2 MB value).
pub const SAVE_CHUNK: usize = 1000;

/// The stored columns, in the order of the JSON [`Shelved::saved_row`] gives.
const SAVED: [&str; 14] = [
    "id",
    "name",
    "name_lc",
    "product_id",
    "product_id_lc",
    "unit_price_ore",
    "tax_bp",
    "discount_ore",
    "unit",
    "archived",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

impl Shelved for Product {
    const SHELF: Shelf = Shelf::Products;
    const COLUMNS: &'static str = COLUMNS;
    const SAVED: &'static [&'static str] = &SAVED;
    const SAVE_CHUNK: usize = SAVE_CHUNK;
    type Row = ProductRow;

    fn from_row(row: ProductRow) -> Option<Product> {
        Some(row.product())
    }

    fn row_key(row: &ProductRow) -> (&str, &str) {
        (&row.name_lc, &row.id)
    }

    fn id(&self) -> &str {
        &self.id
    }

    fn saved_row(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "name_lc": self.name.to_lowercase(),
            "product_id": self.product_id,
            "product_id_lc": self.product_id.as_ref().map(|i| i.to_lowercase()),
            "unit_price_ore": self.unit_price.ore(),
            "tax_bp": self.tax.basis_points(),
            "discount_ore": self.discount.map(Money::ore),
            "unit": self.unit,
            "archived": i64::from(self.archived),
            "created_at": self.created_at,
            "created_by": self.created_by,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
        })
    }

    /// Names and product ids by the prefix typed, whoever reads.
    fn search(_role: Role) -> Search<'static> {
        SEARCH
    }
}

/// Most parameters per lookup (D1 binds at most 100).
const LOOKUP_PARAMS: usize = 90;

/// The products with any of these product ids (any case): what an import updates.
pub fn by_product_ids_sql(inputs: &[&ProductInput]) -> Vec<Query> {
    let mut ids: Vec<String> = inputs
        .iter()
        .filter_map(|p| p.product_id.as_ref().map(|i| i.to_lowercase()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.chunks(LOOKUP_PARAMS)
        .map(|chunk| {
            let mut q = Query::new("");
            let list: Vec<String> = chunk.iter().map(|i| q.bind(i.as_str())).collect();
            q.sql = format!(
                "SELECT {COLUMNS} FROM products WHERE product_id_lc IN ({})",
                list.join(", ")
            );
            q
        })
        .collect()
}

/// The import of accepted rows into a catalogue holding `existing` (from
/// [`by_product_ids_sql`]): a row whose product id (any case) is already there updates that
/// product (several: a person decides), the rest are new (ids from `new_id`). Never by name.
pub fn plan_import(
    rows: Vec<(usize, ProductInput)>,
    existing: Vec<Product>,
    new_id: &mut dyn FnMut() -> String,
    who: Importer<'_>,
) -> ImportPlan {
    let (by, at) = (who.principal.id(), who.now_ms);
    let mut import = Imported::new(existing);
    let mut done = Vec::with_capacity(rows.len());
    for (line, input) in rows {
        let same = same_product_id(import.known(), &input);
        let action = match same.as_slice() {
            [] => import.create(input.into_product(new_id(), &by, at)),
            [i] => match import.update(*i, |p| input.applied_to(p, &by, at)) {
                Some(action) => action,
                None => continue,
            },
            many => ImportAction::Ambiguous {
                candidates: many
                    .iter()
                    .filter_map(|&i| import.known().get(i))
                    .map(|p| p.id.clone())
                    .collect(),
            },
        };
        done.push(ImportDone { line, action });
    }
    import.plan(done, who, Map::new())
}

/// The places in `known` of the products with the product id of `input` (any case); none
/// when it has none.
fn same_product_id(known: &[Product], input: &ProductInput) -> Vec<usize> {
    let Some(wanted) = input.product_id.as_ref().map(|i| i.to_lowercase()) else {
        return Vec::new();
    };
    known
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.product_id
                .as_deref()
                .is_some_and(|id| id.to_lowercase() == wanted)
        })
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Principal, Via};
    use crate::book::{ListQuery, page_sql, save_sql};
    use crate::index::has_text;
    use crate::sql::SqlValue;

    fn wash(id: &str, product_id: Option<&str>) -> Product {
        ProductInput {
            name: "Hair Wash".into(),
            product_id: product_id.map(str::to_owned),
            unit_price: Money(5100),
            tax: TaxRate::from_percent(25),
            discount: None,
            unit: Some("stk".into()),
        }
        .into_product(id.into(), "user:a", 1)
    }

    #[test]
    fn rows_save_and_read_back() {
        let p = wash("prd_1", Some("VFDDF"));
        let q = save_sql(std::slice::from_ref(&p));
        let SqlValue::Text(json) = &q[0].params[0] else {
            panic!("{:?}", q[0].params)
        };
        let rows: Value = serde_json::from_str(json).unwrap_or_default();
        assert_eq!(rows[0]["product_id_lc"], "vfddf");
        assert_eq!(rows[0]["unit_price_ore"], 5100);
        assert_eq!(rows[0]["tax_bp"], 2500);
        assert!(q[0].sql.contains("DO UPDATE SET name=excluded.name"));
        let row = ProductRow {
            id: "prd_1".into(),
            name: "Hair Wash".into(),
            name_lc: "hair wash".into(),
            product_id: Some("VFDDF".into()),
            unit_price_ore: 5100.0,
            tax_bp: 2500.0,
            unit: Some("stk".into()),
            created_at: 1.0,
            created_by: "user:a".into(),
            updated_at: 1.0,
            updated_by: "user:a".into(),
            ..ProductRow::default()
        };
        assert_eq!(row.product(), p);
        let query = ListQuery::parse(&[("q".into(), "VFD".into())]).unwrap_or_else(|_| panic!());
        let page = page_sql::<Product>(&query, Role::Viewer, 1);
        assert!(
            page.sql
                .contains("(product_id_lc >= ?3 AND product_id_lc < ?4)"),
            "{}",
            page.sql
        );
        assert!(has_text(&page.params, "vfd"));
    }

    #[test]
    fn imports_update_by_product_id_and_add_the_rest() {
        let p = Principal {
            name: "kari".into(),
            role: Role::Clerk,
            via: Via::Session,
            session: None,
        };
        let input = |name: &str, id: Option<&str>| ProductInput {
            name: name.into(),
            ..ProductInput::from_line(
                &wash("x", id)
                    .line(frontdesk_core::Quantity(100))
                    .unwrap_or_else(|_| panic!()),
            )
        };
        let rows = vec![
            (2, input("Hair Wash XL", Some("vfddf"))),
            (3, input("Hair Wash", None)),
            (4, input("Hair Wash", None)),
        ];
        let lookups = by_product_ids_sql(&rows.iter().map(|(_, r)| r).collect::<Vec<_>>());
        assert_eq!(lookups.len(), 1);
        assert!(has_text(&lookups[0].params, "vfddf"));
        let mut n = 0;
        let mut ids = || {
            n += 1;
            format!("prd_new{n}")
        };
        let plan = plan_import(
            rows,
            vec![wash("prd_1", Some("VFDDF"))],
            &mut ids,
            Importer {
                principal: &p,
                now_ms: 2,
            },
        );
        let what: Vec<&ImportAction> = plan.done.iter().map(|d| &d.action).collect();
        // Same product id: updated; no product id: new each time (never matched by name).
        assert_eq!(
            what,
            [
                &ImportAction::Updated { id: "prd_1".into() },
                &ImportAction::Created {
                    id: "prd_new1".into()
                },
                &ImportAction::Created {
                    id: "prd_new2".into()
                },
            ]
        );
        assert_eq!(plan.queries.len(), 2);
        assert!(has_text(&plan.queries[1].params, "productsImported"));
    }
}
