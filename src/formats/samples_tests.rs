//! The sample files shipped for the README must import as they are.

use chrono::NaiveDate;

use super::{OrdersKind, parse_contacts_csv, parse_orders, parse_vcards};
use crate::domain::Source;

fn sample(name: &str) -> Vec<u8> {
    let path = format!("{}/assets/samples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap()
}

#[test]
fn generic_orders_sample() {
    let file = parse_orders(&sample("orders.csv")).unwrap();
    assert_eq!(file.kind, OrdersKind::Generic);
    assert_eq!(file.rows.len(), 20);
    assert_eq!(
        file.rows.iter().map(|r| r.amount_cents).sum::<i64>(),
        261405
    );
    assert_eq!(file.rows[0].customer_key, "K-1001");
    assert_eq!(
        file.rows[0].date,
        NaiveDate::from_ymd_opt(2026, 1, 11).unwrap()
    );
    assert_eq!(file.rows[19].line, 21);
}

#[test]
fn finnish_excel_orders_sample() {
    let bytes = sample("orders_fi.csv");
    // Saved as Windows-1252, as a Finnish Excel does.
    assert!(std::str::from_utf8(&bytes).is_err());
    let file = parse_orders(&bytes).unwrap();
    assert_eq!(file.rows.len(), 15);
    assert_eq!(
        file.rows.iter().map(|r| r.amount_cents).sum::<i64>(),
        212260
    );
    assert_eq!(file.rows[1].name.as_deref(), Some("Pekka Järvinen"));
    assert_eq!(file.rows[2].amount_cents, 123450);
    assert_eq!(
        file.rows[0].date,
        NaiveDate::from_ymd_opt(2026, 1, 11).unwrap()
    );
}

#[test]
fn contacts_csv_sample() {
    let contacts = parse_contacts_csv(&sample("contacts.csv")).unwrap();
    assert_eq!(contacts.len(), 10);
    assert_eq!(contacts[0].tags, ["vip", "kahvi"]);
    assert_eq!(contacts[2].referred_by.as_deref(), Some("K-1001"));
    assert_eq!(contacts[5].source, Some(Source::Referral));
    assert_eq!(contacts[9].reference, None);
    assert_eq!(contacts[9].tags, ["tukku", "kahvi"]);
}

#[test]
fn contacts_vcard_sample_mixes_versions() {
    let contacts = parse_vcards(&sample("contacts.vcf")).unwrap();
    assert_eq!(contacts.len(), 6);
    assert_eq!(contacts[0].reference.as_deref(), Some("K-1001"));
    assert_eq!(contacts[0].phones, ["+358-40-123-4567"]);
    assert_eq!(contacts[1].city.as_deref(), Some("Helsinki"));
    assert!(
        contacts[3]
            .notes
            .as_deref()
            .unwrap()
            .ends_with("ei paperilaskuja.")
    );
    assert_eq!(contacts[4].city.as_deref(), Some("Jyväskylä"));
}
