//! An orders file as read, whatever its format: the rows, the kind, and the
//! rows a shop's export holds that are no sale. Every orders reader makes
//! these; the generic reader, which recognises the others by their header,
//! is `orders_csv`.

use chrono::NaiveDate;

use super::{ParseErrors, RowError};

/// Which kind of orders file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrdersKind {
    Generic,
    Shopify,
    WooCommerce,
    Stripe,
}

impl OrdersKind {
    /// The kind an import batch records.
    pub(crate) fn code(self) -> &'static str {
        match self {
            OrdersKind::Generic => "orders",
            OrdersKind::Shopify => "shopify",
            OrdersKind::WooCommerce => "woocommerce",
            OrdersKind::Stripe => "stripe",
        }
    }
}

/// Orders of an export that are not purchases, left out and counted so the
/// import can say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Skipped {
    pub(crate) cancelled: u64,
    /// Refunded in full: nothing was bought in the end.
    pub(crate) refunded: u64,
    /// A till sale or a payment with no email or phone to know anyone by.
    pub(crate) no_customer: u64,
    /// Not paid (yet): failed, pending, on hold.
    pub(crate) not_paid: u64,
}

impl Skipped {
    pub(crate) fn total(&self) -> u64 {
        self.cancelled + self.refunded + self.no_customer + self.not_paid
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrdersFile {
    pub(crate) kind: OrdersKind,
    pub(crate) rows: Vec<OrderRow>,
    pub(crate) skipped: Skipped,
}

/// One order as read from a file, and as the store imports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderRow {
    /// 1-based physical line in the file (the first line of a Shopify order).
    pub line: usize,
    /// Becomes the customer's `ref`.
    pub customer_key: String,
    pub date: NaiveDate,
    pub amount_cents: i64,
    pub quantity: Option<i64>,
    pub order_id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub discount: bool,
    /// As written, spaces and line breaks kept.
    pub note: Option<String>,
}

/// The file read, or every bad row in file order.
pub(crate) fn finish(
    kind: OrdersKind,
    rows: Vec<OrderRow>,
    skipped: Skipped,
    mut errors: Vec<RowError>,
) -> Result<OrdersFile, ParseErrors> {
    if errors.is_empty() {
        Ok(OrdersFile {
            kind,
            rows,
            skipped,
        })
    } else {
        errors.sort_by_key(|e| e.line);
        Err(ParseErrors { errors })
    }
}
