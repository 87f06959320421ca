//! The exports owners have, as their services document them (fixtures in
//! `tests/fixtures/formats`, written from each service's column list), read
//! and imported into a store: the orders, amounts, customers, names, phones
//! and emails that come out are counted by hand from the fixtures.

use chrono::NaiveDate;

use super::{ContactImport, ImportSource, ImportSummary, OrderImport};
use crate::formats::{self, OrdersKind, Skipped};
use crate::store::Store;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/formats/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap()
}

fn source(kind: &str) -> ImportSource {
    ImportSource {
        kind: kind.into(),
        file_name: "fixture".into(),
        sha256: kind.into(),
        default_country: "FI".into(),
    }
}

fn import_orders(store: &mut Store, name: &str) -> (OrdersKind, Skipped, ImportSummary) {
    let file = formats::parse_orders(&fixture(name)).unwrap();
    let rows: Vec<OrderImport> = file.rows.into_iter().map(Into::into).collect();
    let summary = store
        .import_orders(&source(file.kind.code()), &rows, false, &mut |_| {})
        .unwrap();
    (file.kind, file.skipped, summary)
}

fn import_contacts(store: &mut Store, name: &str) -> ImportSummary {
    let rows = formats::parse_contacts_csv(&fixture(name)).unwrap();
    let rows: Vec<ContactImport> = rows.into_iter().map(Into::into).collect();
    store
        .import_contacts(&source("contacts"), &rows, false, &mut |_| {})
        .unwrap()
}

/// A customer as the store holds it.
#[derive(Debug, PartialEq)]
struct Held {
    name: String,
    company: Option<String>,
    city: Option<String>,
    emails: Vec<String>,
    phones: Vec<String>,
    tags: Vec<String>,
    notes: String,
}

fn held(store: &Store, where_clause: &str, value: &str) -> Held {
    let conn = store.connection();
    let (id, name, company, city, notes): (i64, String, Option<String>, Option<String>, String) =
        conn.query_row(
            &format!("SELECT id, name, company, city, notes FROM customers WHERE {where_clause}"),
            [value],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap_or_else(|e| panic!("{where_clause} {value}: {e}"));
    let list = |sql: &str| -> Vec<String> {
        let mut statement = conn.prepare(sql).unwrap();
        statement
            .query_map([id], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    Held {
        name,
        company,
        city,
        emails: list("SELECT email FROM customer_emails WHERE customer_id = ?1 ORDER BY position"),
        phones: list(
            "SELECT phone_normalized FROM customer_phones WHERE customer_id = ?1 ORDER BY position",
        ),
        tags: list("SELECT tag FROM customer_tags WHERE customer_id = ?1 ORDER BY tag"),
        notes,
    }
}

fn by_ref(store: &Store, reference: &str) -> Held {
    held(store, "ref = ?1", reference)
}

fn by_name(store: &Store, name: &str) -> Held {
    held(store, "name = ?1", name)
}

/// Every order: external id, customer ref, date, cents, quantity, discount.
fn orders(store: &Store) -> Vec<(String, String, String, i64, Option<i64>, bool)> {
    let mut statement = store
        .connection()
        .prepare(
            "SELECT o.external_id, c.ref, o.order_date, o.amount_cents, o.quantity, o.discount \
             FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.external_id",
        )
        .unwrap();
    statement
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn order(
    id: &str,
    customer: &str,
    date: &str,
    cents: i64,
    quantity: Option<i64>,
    discount: bool,
) -> (String, String, String, i64, Option<i64>, bool) {
    (
        id.into(),
        customer.into(),
        date.into(),
        cents,
        quantity,
        discount,
    )
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn shopify_till_sales_and_refunds_are_left_out_and_counted() {
    let mut store = Store::open_in_memory().unwrap();
    let (kind, skipped, summary) = import_orders(&mut store, "shopify_till_and_refunds.csv");
    assert_eq!(kind, OrdersKind::Shopify);
    assert_eq!(
        skipped,
        Skipped {
            cancelled: 1,
            refunded: 1,
            no_customer: 1,
            not_paid: 0,
        }
    );
    assert_eq!((summary.customers_added, summary.orders_added), (4, 4));
    assert_eq!(
        orders(&store),
        [
            order(
                "#2001",
                "aino.lahtinen@example.fi",
                "2024-03-05",
                7790,
                Some(3),
                true
            ),
            order(
                "#2005",
                "matti.virtanen@example.com",
                "2024-03-09",
                10000,
                Some(3),
                false
            ),
            // 23:59:59 at -0500 is the next day in Helsinki; the date as written.
            order(
                "#2006",
                "sari.koskinen@example.fi",
                "2024-03-09",
                1200,
                Some(2),
                false
            ),
            order(
                "#2007",
                "+46701234567",
                "2024-03-10",
                123450,
                Some(1),
                false
            ),
        ]
    );
    let aino = by_ref(&store, "aino.lahtinen@example.fi");
    assert_eq!(aino.name, "Aino Lahtinen");
    assert_eq!(aino.emails, ["Aino.Lahtinen@Example.fi".to_lowercase()]);
    assert_eq!(aino.phones, ["+358401234567"]);
    let matti = by_ref(&store, "matti.virtanen@example.com");
    assert_eq!(
        (matti.name.as_str(), &matti.phones[..]),
        ("Matti Virtanen", &strings(&["+358407654321"])[..])
    );
    let erik = by_ref(&store, "+46701234567");
    assert_eq!(erik.name, "Erik Johansson");
    assert!(erik.emails.is_empty());
}

#[test]
fn woocommerce_completed_and_processing_orders_less_refunds() {
    let mut store = Store::open_in_memory().unwrap();
    let (kind, skipped, summary) = import_orders(&mut store, "woocommerce_orders.csv");
    assert_eq!(kind, OrdersKind::WooCommerce);
    // 503 cancelled; 504 refunded by status, 505 to the last cent; 506 pending.
    assert_eq!(
        skipped,
        Skipped {
            cancelled: 1,
            refunded: 2,
            no_customer: 0,
            not_paid: 1,
        }
    );
    assert_eq!((summary.customers_added, summary.orders_added), (3, 3));
    assert_eq!(
        orders(&store),
        [
            order(
                "501",
                "aino.lahtinen@example.fi",
                "2024-03-05",
                4580,
                Some(2),
                false
            ),
            // 120.00 less the 20.00 refunded; a coupon, two items of 1 and 3.
            order(
                "502",
                "matti.virtanen@example.com",
                "2024-03-06",
                10000,
                Some(4),
                true
            ),
            order(
                "507",
                "sari.koskinen@example.fi",
                "2024-03-09",
                123450,
                Some(1),
                false
            ),
        ]
    );
    let sari = by_ref(&store, "sari.koskinen@example.fi");
    assert_eq!(sari.name, "Sari Koskinen");
    assert_eq!(sari.emails, ["Sari.Koskinen@Example.FI".to_lowercase()]);
    assert_eq!(sari.phones, ["+358501112222"]);
    let matti = by_ref(&store, "matti.virtanen@example.com");
    assert_eq!(matti.phones, ["+358407654321"]);
    assert_eq!(
        by_ref(&store, "aino.lahtinen@example.fi").name,
        "Aino Lahtinen"
    );
}

#[test]
fn stripe_paid_payments_less_refunds() {
    let mut store = Store::open_in_memory().unwrap();
    let (kind, skipped, summary) = import_orders(&mut store, "stripe_payments.csv");
    assert_eq!(kind, OrdersKind::Stripe);
    // ch_3 refunded; ch_4 failed and ch_5 never captured; ch_7 nobody's.
    assert_eq!(
        skipped,
        Skipped {
            cancelled: 0,
            refunded: 1,
            no_customer: 1,
            not_paid: 2,
        }
    );
    assert_eq!((summary.customers_added, summary.orders_added), (3, 3));
    assert_eq!(
        orders(&store),
        [
            order(
                "ch_3OaA1",
                "aino.lahtinen@example.fi",
                "2024-03-05",
                4900,
                None,
                false
            ),
            order(
                "ch_3OaA2",
                "matti.virtanen@example.com",
                "2024-03-06",
                10000,
                None,
                false
            ),
            // No email: Stripe's customer id is the ref.
            order("ch_3OaA6", "cus_PaA7", "2024-03-09", 123450, None, false),
        ]
    );
    assert_eq!(by_ref(&store, "cus_PaA7").name, "Erik Johansson");
    let matti = by_ref(&store, "matti.virtanen@example.com");
    assert_eq!(matti.name, "Matti Virtanen");
    assert_eq!(matti.emails, ["matti.virtanen@example.com"]);
}

#[test]
fn finnish_column_names_in_an_orders_file() {
    let mut store = Store::open_in_memory().unwrap();
    let (kind, _, summary) = import_orders(&mut store, "orders_fi_columns.csv");
    assert_eq!(kind, OrdersKind::Generic);
    assert_eq!((summary.customers_added, summary.orders_added), (2, 3));
    assert_eq!(
        orders(&store),
        [
            order("T-100", "A-1", "2024-03-05", 2490, Some(2), false),
            order("T-101", "A-2", "2024-03-06", 123450, Some(1), true),
            order("T-102", "A-1", "2024-03-07", 800, None, false),
        ]
    );
    let liisa = by_ref(&store, "A-1");
    assert_eq!(liisa.name, "Liisa Mäkinen");
    assert_eq!(liisa.emails, ["liisa@example.fi"]);
    assert_eq!(liisa.phones, ["+358401234567"]);
    assert_eq!(by_ref(&store, "A-2").name, "Pekka Järvinen");
}

#[test]
fn timestamps_with_fractional_seconds_give_the_date_as_written() {
    let mut store = Store::open_in_memory().unwrap();
    let (_, _, summary) = import_orders(&mut store, "orders_timestamps.csv");
    assert_eq!(summary.orders_added, 3);
    let dates: Vec<String> = orders(&store).into_iter().map(|o| o.2).collect();
    assert_eq!(dates, ["2024-03-05", "2024-03-05", "2024-03-06"]);
}

#[test]
fn google_contacts_read_whole() {
    let mut store = Store::open_in_memory().unwrap();
    let summary = import_contacts(&mut store, "google_contacts.csv");
    assert_eq!(summary.customers_added, 4);
    let aino = by_name(&store, "Aino Lahtinen");
    assert_eq!(
        aino,
        Held {
            name: "Aino Lahtinen".into(),
            company: Some("Lahtinen Oy".into()),
            city: Some("Tampere".into()),
            emails: strings(&[
                "aino.lahtinen@example.fi",
                "aino@lahtinen.fi",
                "aino.work@example.com"
            ]),
            phones: strings(&["+358401234567", "+358401112222", "+35891234567"]),
            tags: strings(&["Kahvi", "VIP"]),
            notes: "Tilaa aina kaurajuomaa.\nEi paperilaskuja.\nBirthday 1985-04-12".into(),
        }
    );
    // No name but a company: named after the company.
    let cafe = by_name(&store, "Kahvila Kanta Oy");
    assert_eq!(cafe.company.as_deref(), Some("Kahvila Kanta Oy"));
    assert_eq!(cafe.phones, ["+35892223333"]);
    assert_eq!(cafe.tags, ["Tukku"]);
    // Google's own labels are no tags; a birthday without a year is a note.
    let matti = by_name(&store, "Matti Virtanen");
    assert!(matti.tags.is_empty(), "{:?}", matti.tags);
    assert_eq!(matti.emails, ["Matti.Virtanen@example.com"]);
    assert_eq!(matti.notes, "Birthday --06-21");
    // Only a phone: named after it.
    let unnamed = by_name(&store, "+358 50 987 6543");
    assert_eq!(unnamed.phones, ["+358509876543"]);
}

#[test]
fn older_google_contacts_keep_every_email_and_phone() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(
        import_contacts(&mut store, "google_contacts_old.csv").customers_added,
        2
    );
    let pekka = by_name(&store, "Pekka Järvinen");
    assert_eq!(
        pekka.emails,
        ["pekka@example.fi", "pekka.jarvinen@example.com"]
    );
    assert_eq!(pekka.phones, ["+358405556666", "+35897654321"]);
    assert_eq!(pekka.company.as_deref(), Some("Järvinen Ky"));
    assert_eq!(pekka.city.as_deref(), Some("Helsinki"));
    assert_eq!(pekka.tags, ["Asiakkaat"]);
    assert_eq!(pekka.notes, "Kanta-asiakas vuodesta 2019");
    // No `Name`: given and family names.
    let anna = by_name(&store, "Anna Lindqvist");
    assert_eq!(anna.emails, ["anna.lindqvist@example.se"]);
    assert_eq!(anna.phones, ["+46705551234"]);
    assert!(anna.tags.is_empty());
}

#[test]
fn outlook_contacts_read_whole() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(
        import_contacts(&mut store, "outlook_contacts.csv").customers_added,
        3
    );
    let sari = by_name(&store, "Sari Koskinen");
    assert_eq!(
        sari.emails,
        ["sari.koskinen@example.fi", "sari@koskinen.fi"]
    );
    assert_eq!(sari.phones, ["+358501112222", "+35821234567"]);
    assert_eq!(sari.city.as_deref(), Some("Turku"));
    assert_eq!(sari.tags, ["Asiakkaat", "VIP"]);
    assert_eq!(
        sari.notes,
        "Haluaa tarjoukset sähköpostilla.\nBirthday 1985-04-12"
    );
    // Saved in the Windows code page; no name but a company.
    let wholesale = by_name(&store, "Tukku Järvinen Oy");
    assert_eq!(wholesale.phones, ["+35898765432", "+35898765400"]);
    assert_eq!(wholesale.city.as_deref(), Some("Vantaa"));
    assert_eq!(wholesale.notes, "");
    // An Exchange directory path is no email.
    let erik = by_name(&store, "Erik Johansson");
    assert!(erik.emails.is_empty());
    assert_eq!(erik.phones, ["+46701234567"]);
}

#[test]
fn finnish_column_names_in_a_contacts_file() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(
        import_contacts(&mut store, "contacts_fi_columns.csv").customers_added,
        2
    );
    let liisa = by_ref(&store, "A-1");
    assert_eq!(liisa.name, "Liisa Mäkinen");
    assert_eq!(liisa.company.as_deref(), Some("Mäkinen Oy"));
    assert_eq!(liisa.emails, ["liisa@example.fi"]);
    assert_eq!(liisa.phones, ["+358401234567"]);
    assert_eq!(liisa.tags, ["kahvi", "vip"]);
    assert_eq!(liisa.notes, "Tilaa torstaisin");
    let referrer: String = store
        .connection()
        .query_row(
            "SELECT r.ref FROM customers c JOIN customers r ON r.id = c.referred_by \
             WHERE c.ref = 'A-2'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(referrer, "A-1");
}

#[test]
fn exports_kanta_does_not_read_are_refused_with_what_to_export() {
    for (name, names, instead) in [
        (
            "paypal_activity.csv",
            "PayPal activity download",
            "export the orders from your shop",
        ),
        (
            "woocommerce_analytics_orders.csv",
            "Analytics \"Orders\" download",
            "WooCommerce's order export",
        ),
        (
            "google_contacts.csv",
            "Google Contacts CSV",
            "kanta import contacts",
        ),
    ] {
        let err = formats::parse_orders(&fixture(name)).unwrap_err();
        assert_eq!(err.errors.len(), 1, "{name}");
        let error = &err.errors[0];
        assert_eq!((error.line, error.column.as_str()), (1, "header"), "{name}");
        assert!(error.reason.contains(names), "{name}: {}", error.reason);
        assert!(error.reason.contains(instead), "{name}: {}", error.reason);
    }
    let err = formats::parse_contacts_csv(&fixture("shopify_till_and_refunds.csv")).unwrap_err();
    assert!(
        err.errors[0].reason.contains("kanta import orders"),
        "{err}"
    );
    let err = formats::parse_contacts_csv(&fixture("paypal_activity.csv")).unwrap_err();
    assert!(err.errors[0].reason.contains("PayPal"), "{err}");
}

#[test]
fn the_fixture_dates_are_the_days_written() {
    // The fixtures' first orders, read alone: no time zone moves a day.
    let first = |name: &str| formats::parse_orders(&fixture(name)).unwrap().rows[0].date;
    let day = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
    for name in [
        "shopify_till_and_refunds.csv",
        "woocommerce_orders.csv",
        "stripe_payments.csv",
        "orders_fi_columns.csv",
        "orders_timestamps.csv",
    ] {
        assert_eq!(first(name), day, "{name}");
    }
}
