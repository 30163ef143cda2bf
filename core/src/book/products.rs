//! A product of the catalogue, the body that creates or changes one, and the order line it
//! becomes (the product picker) or comes from ("save this line to the catalogue").

use serde::{Deserialize, Serialize};

use crate::money::{Money, Quantity, TaxRate};
use crate::order::{self, MathError, line_totals};

/// One product: name, the merchant's product id, the unit price including VAT (what a line's
/// `rate` is), a VAT rate from the configured list, an optional default discount (per line, as
/// an order line's `discount`) and unit. Archived products are never offered, and never
/// deleted: orders may name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    /// `prd_` and 20 hex digits, given by the proxy.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub product_id: Option<String>,
    pub unit_price: Money,
    pub tax: TaxRate,
    #[serde(default)]
    pub discount: Option<Money>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub archived: bool,
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
    pub updated_by: String,
}

impl Product {
    /// The order line of `quantity` of this product, its amount by core's line math.
    pub fn line(&self, quantity: Quantity) -> Result<order::Product, MathError> {
        let discount = self.discount.unwrap_or(Money::ZERO);
        let totals = line_totals(quantity, self.unit_price, discount, self.tax)?;
        Ok(order::Product {
            name: self.name.clone(),
            product_id: self.product_id.clone(),
            quantity,
            rate: self.unit_price,
            discount: self.discount,
            tax: self.tax,
            amount: totals.amount,
        })
    }
}

/// The body of `POST /console/products` and `PUT /console/products/{id}`, as
/// `validate_book_product` accepts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductInput {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    pub unit_price: Money,
    pub tax: TaxRate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

impl ProductInput {
    /// "Save this line to the catalogue": an order line's name, id, rate (the unit price
    /// incl. VAT), VAT rate and discount.
    pub fn from_line(line: &order::Product) -> ProductInput {
        ProductInput {
            name: line.name.clone(),
            product_id: line.product_id.clone(),
            unit_price: line.rate,
            tax: line.tax,
            discount: line.discount.filter(|d| *d != Money::ZERO),
            unit: None,
        }
    }

    /// A new catalogue entry from this input (`id` from the proxy, `by` a principal id).
    pub fn into_product(self, id: String, by: &str, at: i64) -> Product {
        Product {
            id,
            name: self.name,
            product_id: self.product_id,
            unit_price: self.unit_price,
            tax: self.tax,
            discount: self.discount,
            unit: self.unit,
            archived: false,
            created_at: at,
            created_by: by.to_owned(),
            updated_at: at,
            updated_by: by.to_owned(),
        }
    }

    /// `product` with this input's fields (its id, state and creation stay).
    pub fn applied_to(self, product: Product, by: &str, at: i64) -> Product {
        Product {
            updated_at: at,
            updated_by: by.to_owned(),
            ..self.into_product(product.id, &product.created_by, product.created_at)
        }
        .archived(product.archived)
    }

    /// The names of the fields this input changes on `product`, for the audit row.
    pub fn changed_fields(&self, product: &Product) -> Vec<&'static str> {
        let mut changed = Vec::new();
        let mut check = |differs: bool, name: &'static str| {
            if differs {
                changed.push(name);
            }
        };
        check(self.name != product.name, "name");
        check(self.product_id != product.product_id, "productId");
        check(self.unit_price != product.unit_price, "unitPrice");
        check(self.tax != product.tax, "tax");
        check(self.discount != product.discount, "discount");
        check(self.unit != product.unit, "unit");
        changed
    }
}

impl Product {
    fn archived(mut self, archived: bool) -> Product {
        self.archived = archived;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn wash() -> Product {
        ProductInput {
            name: "Hair Wash".into(),
            product_id: Some("VFDDF".into()),
            unit_price: Money(5100),
            tax: TaxRate::from_percent(25),
            discount: Some(Money(100)),
            unit: Some("stk".into()),
        }
        .into_product("prd_1".into(), "user:a", 1)
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_product_becomes_a_line_and_a_line_a_product() {
        let line = wash().line(Quantity(300)).unwrap();
        assert_eq!(line.amount, Money(15_200));
        assert_eq!(line.rate, Money(5100));
        let back = ProductInput::from_line(&line);
        assert_eq!(back.product_id.as_deref(), Some("VFDDF"));
        assert_eq!(back.unit_price, Money(5100));
        let j = serde_json::to_value(wash()).unwrap();
        assert_eq!(j["unitPrice"], "51.00");
        assert_eq!(j["tax"], "25");
        assert_eq!(j["discount"], "1.00");
        assert_eq!(serde_json::from_value::<Product>(j).unwrap(), wash());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn an_update_keeps_id_state_and_creation() {
        let mut archived = wash();
        archived.archived = true;
        let input = ProductInput {
            name: "Hair Wash Deluxe".into(),
            ..ProductInput::from_line(&wash().line(Quantity(100)).unwrap())
        };
        assert_eq!(input.changed_fields(&archived), ["name", "unit"]);
        let after = input.applied_to(archived, "user:b", 7);
        assert_eq!(
            (
                after.id.as_str(),
                after.created_by.as_str(),
                after.created_at
            ),
            ("prd_1", "user:a", 1)
        );
        assert_eq!(
            (after.updated_by.as_str(), after.archived),
            ("user:b", true)
        );
        assert_eq!(after.name, "Hair Wash Deluxe");
    }
}
