//! The product catalogue in D1 (`products`, migration 0007), as plain queries: rows, the page
//! and type-ahead search (name or product id), the upsert of created and changed products,
//! and imports, which update the product with the same product id and add the rest.

use frontdesk_core::book::{ImportAction, ImportDone, Product, ProductInput};
use frontdesk_core::money::{Money, TaxRate};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::book::{self, ImportPlan, Importer, ListQuery, Search, Shelf, actions};
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

/// One product by id.
pub fn get_sql(id: &str) -> Query {
    let mut q = Query::new("");
    let i = q.bind(id);
    q.sql = format!("SELECT {COLUMNS} FROM products WHERE id = {i}");
    q
}

/// A page of the catalogue.
pub fn page_sql(query: &ListQuery) -> Query {
    query.page_sql(Shelf::Products.table(), COLUMNS, &SEARCH)
}

/// Products per upsert statement (a JSON parameter well under D1's 2 MB value).
pub const SAVE_CHUNK: usize = 1000;

/// The stored columns, in the order of the JSON [`save_sql`] reads.
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

fn saved_row(p: &Product) -> Value {
    json!({
        "id": p.id,
        "name": p.name,
        "name_lc": p.name.to_lowercase(),
        "product_id": p.product_id,
        "product_id_lc": p.product_id.as_ref().map(|i| i.to_lowercase()),
        "unit_price_ore": p.unit_price.ore(),
        "tax_bp": p.tax.basis_points(),
        "discount_ore": p.discount.map(Money::ore),
        "unit": p.unit,
        "archived": i64::from(p.archived),
        "created_at": p.created_at,
        "created_by": p.created_by,
        "updated_at": p.updated_at,
        "updated_by": p.updated_by,
    })
}

/// Insert or update `products`, [`SAVE_CHUNK`] per statement; creation columns stay.
pub fn save_sql(products: &[Product]) -> Vec<Query> {
    products
        .chunks(SAVE_CHUNK)
        .map(|chunk| {
            let rows: Vec<Value> = chunk.iter().map(saved_row).collect();
            let mut q = Query::new("");
            let p = q.bind(Value::Array(rows).to_string());
            let values: Vec<String> = SAVED
                .iter()
                .map(|c| format!("json_extract(value, '$.{c}')"))
                .collect();
            let updates: Vec<String> = SAVED[1..]
                .iter()
                .filter(|c| !c.starts_with("created_"))
                .map(|c| format!("{c}=excluded.{c}"))
                .collect();
            q.sql = format!(
                "INSERT INTO products ({}) SELECT {} FROM json_each({p}) WHERE true \
                 ON CONFLICT(id) DO UPDATE SET {}",
                SAVED.join(", "),
                values.join(", "),
                updates.join(", ")
            );
            q
        })
        .collect()
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
    let mut known = existing;
    let mut touched: Vec<usize> = Vec::new();
    let mut done = Vec::with_capacity(rows.len());
    for (line, input) in rows {
        let wanted = input.product_id.as_ref().map(|i| i.to_lowercase());
        let same: Vec<usize> = (0..known.len())
            .filter(|&i| {
                wanted.is_some()
                    && known
                        .get(i)
                        .and_then(|p| p.product_id.as_ref())
                        .map(|id| id.to_lowercase())
                        == wanted
            })
            .collect();
        let action = match same.as_slice() {
            [] => {
                let created = input.into_product(new_id(), &by, at);
                let id = created.id.clone();
                touched.push(known.len());
                known.push(created);
                ImportAction::Created { id }
            }
            [i] => match known.get_mut(*i) {
                Some(p) => {
                    *p = input.applied_to(p.clone(), &by, at);
                    touched.push(*i);
                    ImportAction::Updated { id: p.id.clone() }
                }
                None => continue,
            },
            many => ImportAction::Ambiguous {
                candidates: many
                    .iter()
                    .filter_map(|&i| known.get(i))
                    .map(|p| p.id.clone())
                    .collect(),
            },
        };
        done.push(ImportDone { line, action });
    }
    touched.sort_unstable();
    touched.dedup();
    let saved: Vec<Product> = touched
        .iter()
        .filter_map(|&i| known.get(i).cloned())
        .collect();
    let ids: Vec<&str> = saved.iter().map(|p| p.id.as_str()).collect();
    let detail = json!({"products": ids});
    let audit = book::entry(at, who.principal, actions::PRODUCTS_IMPORTED, None, &detail);
    let mut queries = save_sql(&saved);
    queries.push(audit.insert());
    ImportPlan { queries, done }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Principal, Via};
    use crate::index::has_text;
    use crate::sql::SqlValue;
    use frontdesk_core::roles::Role;

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
        let page =
            page_sql(&ListQuery::parse(&[("q".into(), "VFD".into())]).unwrap_or_else(|_| panic!()));
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
