//! `kanta export contacts|orders`.

use super::args::{ExportArgs, ExportFormat, ExportKind};
use super::{CliError, Context, write_output};
use crate::domain::Source;
use crate::domain::money::format_cents;
use crate::domain::terminal::json_terminal_safe;
use crate::formats::{ContactRow, write_vcard4};
use crate::report::render::csv_text;
use crate::store::{ContactListing, OrderListing};

pub fn run(context: &Context, args: &ExportArgs) -> Result<(), CliError> {
    let store = context.open_store()?;
    let text = match (args.kind, args.format) {
        (ExportKind::Orders, ExportFormat::Vcard) => {
            return Err(CliError::BadInput(
                "orders cannot be written as vCard; use --format csv or json".into(),
            ));
        }
        (ExportKind::Contacts, ExportFormat::Vcard) => vcard(store.contact_listing()?),
        (ExportKind::Orders, ExportFormat::Csv) => orders_csv(&store.order_listing()?)?,
        (ExportKind::Orders, ExportFormat::Json) => json(&store.order_listing()?)?,
        (ExportKind::Contacts, ExportFormat::Csv) => contacts_csv(&store.contact_listing()?)?,
        (ExportKind::Contacts, ExportFormat::Json) => json(&store.contact_listing()?)?,
    };
    if let Some(output) = &args.output
        && crate::store::copies::is_part_of_store(&context.store_path, output)
    {
        return Err(CliError::BadInput(format!(
            "{} is the store {} itself (or its journal); choose another --output",
            output.display(),
            context.store_path.display()
        )));
    }
    write_output(args.output.as_deref(), &text)
}

fn vcard(contacts: Vec<ContactListing>) -> String {
    let rows: Vec<ContactRow> = contacts
        .into_iter()
        .map(|c| ContactRow {
            line: 0,
            reference: Some(c.reference),
            name: Some(c.name),
            company: c.company,
            emails: c.emails,
            phones: c.phones,
            address: c.address,
            city: c.city,
            tags: c.tags,
            source: c.source.as_deref().and_then(Source::parse),
            referred_by: c.referred_by,
            birthday: None,
            notes: Some(c.notes).filter(|n| !n.is_empty()),
        })
        .collect();
    write_vcard4(&rows)
}

fn json<T: serde::Serialize>(rows: &[T]) -> Result<String, CliError> {
    let text = serde_json::to_string_pretty(rows)
        .map_err(|e| CliError::Failed(format!("cannot write JSON: {e}")))?;
    Ok(format!("{}\n", json_terminal_safe(&text)))
}

/// Cents as currency units with a decimal point, the way the orders import reads them.
fn units(cents: i64) -> String {
    format_cents(cents, "", Some('.'))
}

fn write_csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<String, CliError> {
    let failed = |e: csv::Error| CliError::Failed(format!("cannot write CSV: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(failed)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| csv_text(cell)))
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| CliError::Failed(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| CliError::Failed(format!("cannot write CSV: {e}")))
}

/// The columns of the orders import, so an export imports back as is.
fn orders_csv(orders: &[OrderListing]) -> Result<String, CliError> {
    write_csv(
        &[
            "customer", "date", "amount", "quantity", "order_id", "discount", "note",
        ],
        orders.iter().map(|o| {
            vec![
                o.customer.clone(),
                o.date.clone(),
                units(o.amount_cents),
                o.quantity.map(|q| q.to_string()).unwrap_or_default(),
                o.order_id.clone().unwrap_or_default(),
                if o.discount { "yes" } else { "" }.to_string(),
                o.note.clone().unwrap_or_default(),
            ]
        }),
    )
}

/// The columns of the contacts import; lists joined with `; `.
fn contacts_csv(contacts: &[ContactListing]) -> Result<String, CliError> {
    write_csv(
        &[
            "ref",
            "name",
            "company",
            "email",
            "phone",
            "address",
            "city",
            "tags",
            "source",
            "referred_by",
            "notes",
        ],
        contacts.iter().map(|c| {
            vec![
                c.reference.clone(),
                c.name.clone(),
                c.company.clone().unwrap_or_default(),
                c.emails.join("; "),
                c.phones.join("; "),
                c.address.clone().unwrap_or_default(),
                c.city.clone().unwrap_or_default(),
                c.tags.join("; "),
                c.source.clone().unwrap_or_default(),
                c.referred_by.clone().unwrap_or_default(),
                c.notes.clone(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_units() {
        assert_eq!(units(1250), "12.50");
        assert_eq!(units(-5), "-0.05");
        assert_eq!(units(0), "0.00");
    }

    #[test]
    fn orders_csv_defuses_formulas_and_quotes() {
        let orders = vec![OrderListing {
            customer: "=HYPERLINK(\"x\")".into(),
            date: "2026-01-02".into(),
            amount_cents: -1999,
            quantity: Some(2),
            order_id: None,
            discount: true,
            note: Some("a, b".into()),
        }];
        assert_eq!(
            orders_csv(&orders).unwrap(),
            "customer,date,amount,quantity,order_id,discount,note\n\
             \"'=HYPERLINK(\"\"x\"\")\",2026-01-02,-19.99,2,,yes,\"a, b\"\n"
        );
    }
}
