//! Shopify's orders export (Admin > Orders > Export), imported as it is: one order
//! per `Name`, its line items on several rows with the totals on the first.
//! Cancelled and wholly refunded orders, and till sales with no customer, are
//! no one's purchases: they are left out and counted.

use super::order_rows::{OrderRow, OrdersFile, OrdersKind, Skipped, finish};
use super::text::{self, TextError};
use super::{Header, ParseErrors, Records, RowError, blame_unclosed_quote, field, non_empty};

struct Columns {
    name: Option<usize>,
    email: Option<usize>,
    financial_status: Option<usize>,
    created_at: Option<usize>,
    total: Option<usize>,
    refunded: Option<usize>,
    discount_code: Option<usize>,
    discount_amount: Option<usize>,
    quantity: Option<usize>,
    billing_name: Option<usize>,
    billing_phone: Option<usize>,
    cancelled_at: Option<usize>,
}

/// Why an order is not a purchase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Left {
    Cancelled,
    Refunded,
}

/// An order being gathered from its rows.
struct Pending {
    line: usize,
    key: Option<String>,
    date: Option<chrono::NaiveDate>,
    amount_cents: Option<i64>,
    quantity: i64,
    order_id: String,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    discount: bool,
    left: Option<Left>,
    has_errors: bool,
}

pub(crate) fn parse_rows(
    records: &mut Records<'_>,
    header: &Header,
    header_line: usize,
) -> Result<OrdersFile, ParseErrors> {
    let columns = Columns {
        name: header.index("name"),
        email: header.index("email"),
        financial_status: header.index("financial status"),
        created_at: header.index("created at"),
        total: header.index("total"),
        refunded: header.index("refunded amount"),
        discount_code: header.index("discount code"),
        discount_amount: header.index("discount amount"),
        quantity: header.index("lineitem quantity"),
        billing_name: header.index("billing name"),
        billing_phone: header.index("billing phone"),
        // Newer exports spell it the American way.
        cancelled_at: header.any(&["cancelled at", "canceled at"]),
    };
    if columns.total.is_none() {
        return Err(ParseErrors::one(RowError::new(
            header_line,
            "Total",
            "missing column in a Shopify orders export",
        )));
    }
    let mut errors = Vec::new();
    let orders = records.gather_orders(
        columns.name,
        ("Name", "empty order name"),
        &mut errors,
        |record, line, errors| first_row(record, &columns, line, errors),
        // Exports list an order's rows together, but nothing relies on it.
        |order, record, line, errors| add_line_item(order, record, line, &columns, errors),
    );
    blame_unclosed_quote(records, Some(header), &mut errors);
    let mut rows = Vec::with_capacity(orders.len());
    let mut skipped = Skipped::default();
    for order in orders {
        match order.left {
            Some(Left::Cancelled) => {
                skipped.cancelled += 1;
                continue;
            }
            Some(Left::Refunded) => {
                skipped.refunded += 1;
                continue;
            }
            None => {}
        }
        let Some(customer_key) = order.key else {
            // A till sale to a walk-in: no email, no phone, no one to count it for.
            skipped.no_customer += 1;
            continue;
        };
        if let (Some(date), Some(amount_cents), false) =
            (order.date, order.amount_cents, order.has_errors)
        {
            rows.push(OrderRow {
                line: order.line,
                customer_key,
                date,
                amount_cents,
                quantity: Some(order.quantity),
                order_id: Some(order.order_id),
                name: order.name,
                email: order.email,
                phone: order.phone,
                discount: order.discount,
                note: None,
            });
        }
    }
    finish(OrdersKind::Shopify, rows, skipped, errors)
}

fn first_row(
    record: &csv::ByteRecord,
    columns: &Columns,
    line: usize,
    errors: &mut Vec<RowError>,
) -> Pending {
    let status = field(record, columns.financial_status).to_ascii_lowercase();
    let mut left = if !field(record, columns.cancelled_at).is_empty() || status == "voided" {
        Some(Left::Cancelled)
    } else if status == "refunded" {
        Some(Left::Refunded)
    } else {
        None
    };
    let before = errors.len();
    // An order that is left out is not judged, field by field.
    let quiet = left.is_some();
    let mut check = |column: &str, result: Result<i64, TextError>| match result {
        Ok(v) => Some(v),
        Err(e) => {
            if !quiet {
                errors.push(RowError::new(line, column, e.to_string()));
            }
            None
        }
    };
    let total = check("Total", text::parse_cents(field(record, columns.total)));
    let refunded_text = field(record, columns.refunded);
    let refunded = if refunded_text.is_empty() {
        Some(0)
    } else {
        check("Refunded Amount", text::parse_cents(refunded_text))
    };
    let discount_text = field(record, columns.discount_amount);
    let discount_amount = if discount_text.is_empty() {
        Some(0)
    } else {
        check("Discount Amount", text::parse_cents(discount_text))
    };
    let amount_cents = match total.zip(refunded) {
        Some((t, r)) => check(
            "Refunded Amount",
            t.checked_sub(r)
                .filter(|amount| crate::domain::money::within_bound(*amount))
                .ok_or_else(|| {
                    TextError::Amount(crate::domain::money::AmountError::TooLarge(
                        field(record, columns.refunded).to_string(),
                    ))
                }),
        ),
        None => None,
    };
    // Refunded to the last cent, whatever the status says.
    if left.is_none() && matches!((total, refunded), (Some(t), Some(r)) if r > 0 && r >= t) {
        left = Some(Left::Refunded);
    }
    let quantity = line_item_quantity(record, columns, line, errors, quiet);
    let date = match text::parse_date(field(record, columns.created_at)) {
        Ok(d) => Some(d),
        Err(e) => {
            if !quiet {
                errors.push(RowError::new(line, "Created at", e.to_string()));
            }
            None
        }
    };
    let email = non_empty(field(record, columns.email)).map(|e| e.to_lowercase());
    let phone = non_empty(field(record, columns.billing_phone));
    Pending {
        line,
        // A phone written in international form keys one customer however it is
        // spaced; a national one stays as written, its country being unknown.
        key: email.clone().or_else(|| {
            phone.as_deref().map(|p| {
                crate::domain::phone::parse(p, "").map_or_else(|_| p.to_string(), |n| n.e164)
            })
        }),
        date,
        amount_cents,
        quantity,
        order_id: field(record, columns.name).to_string(),
        name: non_empty(field(record, columns.billing_name)),
        email,
        phone,
        discount: !field(record, columns.discount_code).is_empty()
            || discount_amount.is_some_and(|d| d != 0),
        left,
        has_errors: errors.len() > before,
    }
}

fn line_item_quantity(
    record: &csv::ByteRecord,
    columns: &Columns,
    line: usize,
    errors: &mut Vec<RowError>,
    quiet: bool,
) -> i64 {
    match text::parse_optional_integer(field(record, columns.quantity)) {
        Ok(q) => q.unwrap_or(0),
        Err(e) => {
            if !quiet {
                errors.push(RowError::new(line, "Lineitem quantity", e.to_string()));
            }
            0
        }
    }
}

fn add_line_item(
    order: &mut Pending,
    record: &csv::ByteRecord,
    line: usize,
    columns: &Columns,
    errors: &mut Vec<RowError>,
) {
    let before = errors.len();
    let quantity = line_item_quantity(record, columns, line, errors, order.left.is_some());
    order.quantity = order.quantity.saturating_add(quantity);
    order.has_errors |= errors.len() > before;
}

#[cfg(test)]
mod tests {
    use super::super::parse_orders;
    use super::*;
    use chrono::NaiveDate;

    const FIXTURE: &[u8] = include_bytes!("../../tests/fixtures/formats/shopify_orders.csv");

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reads_the_fixture_export() {
        let parsed = parse_orders(FIXTURE).unwrap();
        assert_eq!(parsed.kind, OrdersKind::Shopify);
        let ids: Vec<&str> = parsed
            .rows
            .iter()
            .filter_map(|r| r.order_id.as_deref())
            .collect();
        // #1003 was cancelled.
        assert_eq!(ids, ["#1001", "#1002", "#1004", "#1005"]);

        let first = &parsed.rows[0];
        assert_eq!(first.line, 2);
        assert_eq!(first.customer_key, "liisa.makinen@example.fi");
        assert_eq!(first.date, ymd(2026, 3, 14));
        assert_eq!(first.amount_cents, 8450);
        assert_eq!(first.quantity, Some(3));
        assert_eq!(first.name.as_deref(), Some("Liisa Mäkinen"));
        assert_eq!(first.phone.as_deref(), Some("+358 40 123 4567"));
        assert!(first.discount);

        // Partly refunded: 59.90 less 20.00.
        let refunded = &parsed.rows[1];
        assert_eq!(refunded.amount_cents, 3990);
        assert_eq!(refunded.quantity, Some(1));
        assert!(!refunded.discount);
        // The date as written, though 23:30 -0500 is the next day in Helsinki.
        assert_eq!(refunded.date, ymd(2026, 3, 15));

        // No email: the billing phone is the key.
        let by_phone = &parsed.rows[2];
        assert_eq!(by_phone.customer_key, "+46701234567");
        assert_eq!(by_phone.phone.as_deref(), Some("+46 70 123 45 67"));
        assert_eq!(by_phone.email, None);
        assert_eq!(by_phone.amount_cents, 123450);

        // A quoted address with a comma and a newline keeps later lines right.
        assert_eq!(parsed.rows[3].line, 10);
        assert_eq!(parsed.rows[3].quantity, Some(5));
    }

    #[test]
    fn errors_name_shopify_columns() {
        let head = "Name,Email,Financial Status,Total,Created at,Lineitem quantity,Lineitem name,Billing Phone,Cancelled at\n";
        let file = format!(
            "{head}#1,,paid,10.00,2026-01-01 10:00:00 +0200,1,Mug,,\n\
             #2,b@x.fi,paid,ten,2026-01-01 10:00:00 +0200,1,Mug,,\n\
             #2,b@x.fi,,,,x,Cup,,\n\
             #3,c@x.fi,paid,oops,bad,1,Mug,,2026-01-02 10:00:00 +0200\n"
        );
        let err = parse_orders(file.as_bytes()).unwrap_err();
        let found: Vec<String> = err
            .errors
            .iter()
            .map(|e| format!("{}:{}", e.line, e.column))
            .collect();
        // #1, a till sale with no one to know, is left out, not a bad row.
        assert_eq!(found, ["3:Total", "4:Lineitem quantity"]);
    }
}
