//! Stripe's payments export (Payments > Export), imported as it is: one
//! payment a row, paid ones only, less what was refunded. Each payment is an
//! order; its customer is known by `Customer Email`, else Stripe's customer id.

use super::csv_safe;
use super::order_rows::{OrderRow, OrdersFile, OrdersKind, Skipped, finish};
use super::text::{self, TextError};
use super::{Header, ParseErrors, Records, RowError, blame_unclosed_quote, field, non_empty};

struct Columns {
    id: Option<usize>,
    created: Option<usize>,
    amount: Option<usize>,
    refunded: Option<usize>,
    status: Option<usize>,
    captured: Option<usize>,
    email: Option<usize>,
    customer_id: Option<usize>,
    name: Option<usize>,
    phone: Option<usize>,
}

/// What a payment's status and captured flag say of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Paid,
    Refunded,
    NotPaid,
}

fn standing(status: &str, captured: &str) -> Standing {
    if captured.eq_ignore_ascii_case("false") {
        return Standing::NotPaid;
    }
    match status
        .trim()
        .to_ascii_lowercase()
        .replace('_', " ")
        .as_str()
    {
        "paid" | "succeeded" | "partially refunded" => Standing::Paid,
        "refunded" => Standing::Refunded,
        _ => Standing::NotPaid,
    }
}

pub(crate) fn parse_rows(
    records: &mut Records<'_>,
    header: &Header,
) -> Result<OrdersFile, ParseErrors> {
    let columns = Columns {
        id: header.any(&["id", "paymentintent id"]),
        created: header.any(&["created date (utc)", "created (utc)", "created"]),
        amount: header.index("amount"),
        refunded: header.index("amount refunded"),
        status: header.index("status"),
        captured: header.index("captured"),
        email: header.index("customer email"),
        customer_id: header.index("customer id"),
        name: header.any(&["customer name", "card name", "billing name"]),
        phone: header.any(&["customer phone", "phone"]),
    };
    let mut rows = Vec::new();
    let mut skipped = Skipped::default();
    let mut errors = Vec::new();
    while let Some(line) = records.next_line_or_stop(&mut errors) {
        let record = &records.record;
        match standing(
            field(record, columns.status),
            field(record, columns.captured),
        ) {
            Standing::Paid => {}
            Standing::Refunded => {
                skipped.refunded += 1;
                continue;
            }
            Standing::NotPaid => {
                skipped.not_paid += 1;
                continue;
            }
        }
        let mut fail = |index: Option<usize>, e: TextError| {
            let column = index.map_or_else(|| "Amount".to_string(), |i| header.shown(i));
            errors.push(RowError::new(line, column, e.to_string()));
        };
        let date = text::parse_date(field(record, columns.created))
            .map_err(|e| fail(columns.created, e))
            .ok();
        let amount = text::parse_cents(field(record, columns.amount))
            .map_err(|e| fail(columns.amount, e))
            .ok();
        let refunded = match field(record, columns.refunded) {
            "" => Some(0),
            text => text::parse_cents(text)
                .map_err(|e| fail(columns.refunded, e))
                .ok(),
        };
        let name = non_empty(field(record, columns.name));
        if let Some(reason) = name.as_deref().and_then(csv_safe::formula_risk) {
            let column = columns.name.map_or_else(String::new, |i| header.shown(i));
            errors.push(RowError::new(line, column, reason));
            continue;
        }
        let (Some(date), Some(amount), Some(refunded)) = (date, amount, refunded) else {
            continue;
        };
        if refunded > 0 && refunded >= amount {
            skipped.refunded += 1;
            continue;
        }
        let email = non_empty(field(record, columns.email)).map(|e| e.to_lowercase());
        let Some(customer_key) = email
            .clone()
            .or_else(|| non_empty(field(record, columns.customer_id)))
        else {
            skipped.no_customer += 1;
            continue;
        };
        rows.push(OrderRow {
            line,
            customer_key,
            date,
            amount_cents: amount - refunded,
            quantity: None,
            order_id: non_empty(field(record, columns.id)),
            name,
            email,
            phone: non_empty(field(record, columns.phone)),
            discount: false,
            note: None,
        });
    }
    blame_unclosed_quote(records, Some(header), &mut errors);
    finish(OrdersKind::Stripe, rows, skipped, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paid_means_paid_and_captured() {
        assert_eq!(standing("Paid", "true"), Standing::Paid);
        assert_eq!(standing("succeeded", ""), Standing::Paid);
        assert_eq!(standing("Partially refunded", "true"), Standing::Paid);
        assert_eq!(standing("Paid", "false"), Standing::NotPaid);
        assert_eq!(standing("Refunded", "true"), Standing::Refunded);
        for other in ["Failed", "Canceled", "Uncaptured", "Blocked", ""] {
            assert_eq!(standing(other, "true"), Standing::NotPaid, "{other}");
        }
    }
}
