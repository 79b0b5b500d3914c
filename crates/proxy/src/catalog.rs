//! The merchant's catalog, and public checkouts priced from it. A shopper's browser only says
//! which SKUs and how many; every amount comes from here.

use std::path::Path;

use kassa_model::api::{NewLine, NewOrder, Product, PublicCheckout};
use kassa_model::{Currency, FieldError};

const DEMO: &str = include_str!("../catalog.example.json");

use crate::error::AppError;

/// At most this many of one item in a public checkout.
pub const MAX_QUANTITY: u32 = 99;

/// At most this many items (lines) in a public checkout: more than a shopper's basket holds.
pub const MAX_ITEMS: usize = 25;

/// At most this many pieces in a public checkout, all items together. A shop's storefront
/// serves consumers; anyone can call it, and each checkout creates an order at the provider,
/// so a checkout worth a fortune is refused here (larger orders go through staff).
pub const MAX_TOTAL_QUANTITY: u64 = 100;

#[derive(Clone, Debug)]
pub struct Catalog {
    products: Vec<Product>,
}

impl Catalog {
    /// The catalog from a JSON file (a list of products, like `catalog.example.json`), or
    /// the small demo catalog (that same file).
    pub fn load(path: Option<&Path>) -> Result<Self, AppError> {
        let (text, name) = match path {
            Some(path) => (
                std::fs::read_to_string(path)
                    .map_err(|e| AppError::Internal(format!("catalog {}: {e}", path.display())))?,
                path.display().to_string(),
            ),
            None => (DEMO.to_owned(), "the demo catalog".to_owned()),
        };
        let products: Vec<Product> =
            serde_json::from_str(&text).map_err(|e| AppError::Internal(format!("{name}: {e}")))?;
        Ok(Self { products })
    }

    /// The demo catalog (`catalog.example.json`).
    pub fn demo() -> Self {
        Self::load(None).unwrap_or(Self {
            products: Vec::new(),
        })
    }

    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// Turns a shopper's picks into an order priced from the catalog.
    pub fn price(&self, checkout: &PublicCheckout) -> Result<NewOrder, AppError> {
        if checkout.items.is_empty() {
            return Err(FieldError::new("items", "Pick at least one product.").into());
        }
        if checkout.items.len() > MAX_ITEMS {
            return Err(FieldError::new(
                "items",
                format!("A checkout can hold at most {MAX_ITEMS} different items."),
            )
            .into());
        }
        let mut currency: Option<Currency> = None;
        let mut lines = Vec::with_capacity(checkout.items.len());
        for (i, item) in checkout.items.iter().enumerate() {
            let product = self
                .products
                .iter()
                .find(|p| p.sku == item.sku)
                .ok_or_else(|| {
                    FieldError::new(format!("items.{i}.sku"), "This product is not for sale.")
                })?;
            if !(1..=MAX_QUANTITY).contains(&item.quantity) {
                return Err(FieldError::new(
                    format!("items.{i}.quantity"),
                    format!("Choose between 1 and {MAX_QUANTITY}."),
                )
                .into());
            }
            match currency {
                None => currency = Some(product.unit_price.currency),
                Some(c) if c != product.unit_price.currency => {
                    return Err(FieldError::new(
                        format!("items.{i}.sku"),
                        "These products cannot be bought together.",
                    )
                    .into())
                }
                Some(_) => {}
            }
            lines.push(NewLine {
                name: product.name.clone(),
                sku: Some(product.sku.clone()),
                quantity: item.quantity,
                unit_price: product.unit_price.minor,
                discount: 0,
                vat_rate: product.vat_rate,
            });
        }
        let pieces: u64 = checkout.items.iter().map(|i| u64::from(i.quantity)).sum();
        if pieces > MAX_TOTAL_QUANTITY {
            return Err(FieldError::new(
                "items",
                format!(
                    "A checkout can hold at most {MAX_TOTAL_QUANTITY} pieces in all; for more, \
                     contact the shop."
                ),
            )
            .into());
        }
        Ok(NewOrder {
            currency: currency.unwrap_or(Currency::EUR),
            locale: checkout.locale.clone(),
            order_number: None,
            billing_address: checkout.billing_address.clone(),
            lines,
            method: checkout.method.clone(),
        })
    }
}
