//! WooCommerce's order export, imported as it is: the column names of the
//! Customer / Order / Coupon Export extension (`order_id`, `order_date`,
//! `status`, `order_total`, `refunded_total`, `billing_email`, …), one row per
//! order or one per line item with the order's fields on each. Completed and
//! processing orders are purchases; the rest are left out and counted.

use super::csv_safe;
use super::order_rows::{OrderRow, OrdersFile, OrdersKind, Skipped, finish};
use super::text::{self, TextError};
use super::{Header, ParseErrors, Records, RowError, blame_unclosed_quote, field, non_empty};

struct Columns {
    order_id: Option<usize>,
    order_number: Option<usize>,
    date: Option<usize>,
    status: Option<usize>,
    total: Option<usize>,
    refunded: Option<usize>,
    email: Option<usize>,
    first_name: Option<usize>,
    last_name: Option<usize>,
    full_name: Option<usize>,
    phone: Option<usize>,
    discount: Option<usize>,
    coupons: Option<usize>,
    item_quantity: Option<usize>,
    /// `line_items` (`name:Mug|quantity:2|…;name:…`) or one column per item.
    item_lists: Vec<usize>,
}

impl Columns {
    fn find(header: &Header) -> Columns {
        Columns {
            order_id: header.index("order_id"),
            order_number: header.any(&["order_number_formatted", "order_number"]),
            date: header.index("order_date"),
            status: header.index("status"),
            total: header.index("order_total"),
            refunded: header.any(&["refunded_total", "order_refund"]),
            email: header.any(&["billing_email", "customer_email"]),
            first_name: header.index("billing_first_name"),
            last_name: header.index("billing_last_name"),
            full_name: header.index("billing_full_name"),
            phone: header.index("billing_phone"),
            discount: header.any(&["discount_total", "cart_discount"]),
            coupons: header.any(&["coupon_items", "coupons"]),
            item_quantity: header.index("item_quantity"),
            item_lists: header.matching(|n| {
                n == "line_items"
                    || ["line_item_", "order_item_"].iter().any(|p| {
                        n.strip_prefix(p).is_some_and(|rest| {
                            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
                        })
                    })
            }),
        }
    }
}

/// What the status says of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Purchase,
    Cancelled,
    Refunded,
    NotPaid,
}

fn standing(status: &str) -> Standing {
    let status = status.trim().to_ascii_lowercase();
    match status.strip_prefix("wc-").unwrap_or(&status) {
        "completed" | "processing" => Standing::Purchase,
        "cancelled" => Standing::Cancelled,
        "refunded" => Standing::Refunded,
        _ => Standing::NotPaid,
    }
}

/// An order as its first row reads.
enum Read {
    Purchase(OrderRow),
    Left(Standing),
    /// A purchase with no email or phone to know the customer by.
    NoCustomer,
    /// A bad field, named in the errors.
    Bad,
}

/// An order gathered from its rows.
struct Pending {
    read: Read,
    /// None when any row's quantity is not known.
    quantity: Option<i64>,
}

pub(crate) fn parse_rows(
    records: &mut Records<'_>,
    header: &Header,
) -> Result<OrdersFile, ParseErrors> {
    let columns = Columns::find(header);
    let mut errors = Vec::new();
    let orders = records.gather_orders(
        columns.order_id,
        ("order_id", "empty order id"),
        &mut errors,
        |record, line, errors| Pending {
            read: read_order(record, &columns, header, line, errors),
            quantity: row_quantity(record, &columns),
        },
        // A line item of an order already begun.
        |order, record, _, _| {
            order.quantity = order
                .quantity
                .zip(row_quantity(record, &columns))
                .map(|(a, b)| a.saturating_add(b));
        },
    );
    blame_unclosed_quote(records, Some(header), &mut errors);
    let mut rows = Vec::with_capacity(orders.len());
    let mut skipped = Skipped::default();
    for order in orders {
        match order.read {
            Read::Purchase(mut row) => {
                row.quantity = order.quantity;
                rows.push(row);
            }
            Read::Left(Standing::Cancelled) => skipped.cancelled += 1,
            Read::Left(Standing::Refunded) => skipped.refunded += 1,
            Read::Left(_) => skipped.not_paid += 1,
            Read::NoCustomer => skipped.no_customer += 1,
            Read::Bad => {}
        }
    }
    finish(OrdersKind::WooCommerce, rows, skipped, errors)
}

/// The order its first row describes, or why it is no purchase.
fn read_order(
    record: &csv::ByteRecord,
    columns: &Columns,
    header: &Header,
    line: usize,
    errors: &mut Vec<RowError>,
) -> Read {
    // Orders left out are not judged field by field.
    let standing = standing(field(record, columns.status));
    if standing != Standing::Purchase {
        return Read::Left(standing);
    }
    let before = errors.len();
    let shown = |index: Option<usize>, fallback: &str| match index {
        Some(i) => header.shown(i),
        None => fallback.to_string(),
    };
    let mut fail = |index: Option<usize>, fallback: &str, e: TextError| {
        errors.push(RowError::new(line, shown(index, fallback), e.to_string()));
    };
    let date = text::parse_date(field(record, columns.date))
        .map_err(|e| fail(columns.date, "order_date", e))
        .ok();
    let total = text::parse_cents(field(record, columns.total))
        .map_err(|e| fail(columns.total, "order_total", e))
        .ok();
    let refunded = match field(record, columns.refunded) {
        "" => Some(0),
        // Some exports write refunds as a negative number.
        text => text::parse_cents(text)
            .map(i64::saturating_abs)
            .map_err(|e| fail(columns.refunded, "refunded_total", e))
            .ok(),
    };
    let discount = match field(record, columns.discount) {
        "" => Some(0),
        text => text::parse_cents(text)
            .map_err(|e| fail(columns.discount, "discount_total", e))
            .ok(),
    };
    let email = non_empty(field(record, columns.email)).map(|e| e.to_lowercase());
    let phone = non_empty(field(record, columns.phone));
    let name = non_empty(field(record, columns.full_name)).or_else(|| {
        let joined = format!(
            "{} {}",
            field(record, columns.first_name),
            field(record, columns.last_name)
        );
        non_empty(&joined)
    });
    let name_column = columns.full_name.or(columns.first_name);
    for (index, fallback, value) in [
        (name_column, "billing_first_name", name.as_deref()),
        (columns.email, "billing_email", email.as_deref()),
    ] {
        if let Some(reason) = value.and_then(csv_safe::formula_risk) {
            errors.push(RowError::new(line, shown(index, fallback), reason));
        }
    }
    let (Some(date), Some(total), Some(refunded), Some(discount)) =
        (date, total, refunded, discount)
    else {
        return Read::Bad;
    };
    if errors.len() > before {
        return Read::Bad;
    }
    if refunded > 0 && refunded >= total {
        return Read::Left(Standing::Refunded);
    }
    let Some(customer_key) = email.clone().or_else(|| {
        phone
            .as_deref()
            .map(|p| crate::domain::phone::parse(p, "").map_or_else(|_| p.to_string(), |n| n.e164))
    }) else {
        return Read::NoCustomer;
    };
    Read::Purchase(OrderRow {
        line,
        customer_key,
        date,
        amount_cents: total - refunded,
        quantity: None,
        order_id: non_empty(field(record, columns.order_number))
            .or_else(|| non_empty(field(record, columns.order_id))),
        name,
        email,
        phone,
        discount: discount != 0 || !field(record, columns.coupons).is_empty(),
        note: None,
    })
}

/// The items a row counts: its `item_quantity`, else the `quantity:` of each
/// item in its item lists; None when they say nothing readable.
fn row_quantity(record: &csv::ByteRecord, columns: &Columns) -> Option<i64> {
    if columns.item_quantity.is_some() {
        return text::parse_optional_integer(field(record, columns.item_quantity))
            .ok()
            .flatten();
    }
    let mut sum = 0i64;
    let mut any = false;
    for &index in &columns.item_lists {
        for item in field(record, Some(index))
            .split(';')
            .filter(|i| !i.trim().is_empty())
        {
            let quantity = item
                .split('|')
                .find_map(|pair| pair.trim().strip_prefix("quantity:"))
                .and_then(|q| q.trim().parse::<i64>().ok())?;
            sum = sum.saturating_add(quantity);
            any = true;
        }
    }
    any.then_some(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_as_woocommerce_writes_them() {
        assert_eq!(standing("completed"), Standing::Purchase);
        assert_eq!(standing("wc-processing"), Standing::Purchase);
        assert_eq!(standing("Cancelled"), Standing::Cancelled);
        assert_eq!(standing("refunded"), Standing::Refunded);
        for other in ["pending", "on-hold", "failed", "checkout-draft", ""] {
            assert_eq!(standing(other), Standing::NotPaid, "{other}");
        }
    }
}
