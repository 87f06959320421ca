//! SPEC section 7, "Exports round-trip": a generated store is exported, the
//! export imported into an empty store, and that store exported again; the
//! two exports are the same bytes, for every format of `kanta export`. The
//! import is the one `kanta import` runs (streamed, in one transaction).

use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::super::args::{ExportFormat, ExportKind};
use super::super::import::Streamed;
use super::{ExportError, write_export};
use crate::domain::{CustomerId, Source};
use crate::formats::prop_gen::{cell, check};
use crate::formats::{ContactsReader, OrdersReader};
use crate::store::bulk::{CustomerRow, OrderRow};
use crate::store::{ImportSource, Store};

#[derive(Debug, Clone)]
struct Customer {
    reference: String,
    name: String,
    company: Option<String>,
    address: Option<String>,
    city: Option<String>,
    emails: Vec<String>,
    phones: Vec<String>,
    tags: Vec<String>,
    source: Option<Source>,
    /// Who referred them, as a position among the customers (any, but not themselves).
    referrer: Option<usize>,
    prospect: bool,
    advocate: bool,
    marketing_consent: bool,
    contact_every_days: Option<u32>,
    notes: String,
}

#[derive(Debug, Clone)]
struct Order {
    customer: usize,
    date: NaiveDate,
    amount_cents: i64,
    quantity: Option<i64>,
    order_id: Option<String>,
    discount: bool,
    note: Option<String>,
    /// The same customer, day and amount as the order before, with no order
    /// id: two coffees on one day are two orders.
    repeat_of_previous: bool,
}

/// Text as the store keeps a field: trimmed, as every form and import leaves it.
fn text() -> impl Strategy<Value = String> {
    cell().prop_map(|c| c.trim().to_string())
}

fn optional_text() -> impl Strategy<Value = Option<String>> {
    text().prop_map(|t| Some(t).filter(|t| !t.is_empty()))
}

/// Notes as the owner typed or pasted them: spaces and line breaks kept.
fn notes() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        3 => prop::collection::vec(
            prop_oneof![cell(), Just(" ".into()), Just("\n".into()), Just("  two  ".into())],
            1..5
        )
        .prop_map(|p| p.concat()),
    ]
}

/// Emails `check_email` accepts, with the characters a CSV list must escape.
fn email() -> impl Strategy<Value = String> {
    let local =
        prop::sample::select(&["aino", "=x", "a,b", "o'neil", "a;b", "b\\c", "+1", "äö"][..]);
    let domain = prop::sample::select(&["example.fi", "esimerkki.fi", "x.co"][..]);
    (local, domain, 0u8..10).prop_map(|(l, d, n)| format!("{l}{n}@{d}"))
}

/// Phones as owners write them, with what a CSV list or a spreadsheet minds,
/// each a number of its country's plan once two digits end it (a number that
/// is none is refused by the import, as by a form, so no store holds one
/// from kanta's own doors).
const PHONE_FORMS: [&str; 8] = [
    "+358 40 123 45",
    "040 765 43",
    "+46 70 123 45",
    "(09) 123 4",
    "-040 123 45",
    "050-123-45",
    "+358401234567 ext. ",
    "=040 123 45",
];

fn phone() -> impl Strategy<Value = String> {
    let form = prop::sample::select(&PHONE_FORMS[..]);
    (form, 10u8..100).prop_map(|(f, n)| format!("{f}{n}"))
}

#[test]
fn the_generated_phones_are_numbers() {
    for form in PHONE_FORMS {
        for n in [10, 55, 99] {
            let written = format!("{form}{n}");
            assert!(
                crate::domain::phone::parse(&written, "FI").is_ok(),
                "{written}"
            );
        }
    }
}

fn customer() -> impl Strategy<Value = Customer> {
    let lists = (
        prop::collection::vec(email(), 0..3),
        prop::collection::vec(phone(), 0..3),
        prop::collection::vec(text(), 0..4),
    );
    let flags = (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(1u32..400),
        prop::option::of(prop::sample::select(
            &[
                Source::Offer,
                Source::WalkIn,
                Source::Referral,
                Source::Campaign,
                Source::Other,
            ][..],
        )),
        prop::option::of(0usize..8),
    );
    (
        (
            text(),
            text(),
            optional_text(),
            optional_text(),
            optional_text(),
        ),
        lists,
        flags,
        notes(),
    )
        .prop_map(
            |(
                (reference, name, company, address, city),
                (emails, phones, tags),
                (prospect, advocate, marketing_consent, contact_every_days, source, referrer),
                notes,
            )| Customer {
                reference,
                name: if name.is_empty() { "N".into() } else { name },
                company,
                address,
                city,
                emails,
                phones,
                tags,
                source,
                referrer,
                prospect,
                advocate,
                marketing_consent,
                contact_every_days,
                notes,
            },
        )
}

fn order() -> impl Strategy<Value = Order> {
    (
        (0usize..8, 1i32..=9999, 1u32..=12, 1u32..=28),
        (
            -1_000_000_000i64..1_000_000_000,
            prop::option::of(-5i64..1000),
        ),
        (optional_text(), any::<bool>(), prop::option::of(notes())),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(
                (customer, y, m, d),
                (amount_cents, quantity),
                (order_id, discount, note),
                repeat,
            )| {
                Order {
                    customer,
                    date: NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
                    amount_cents,
                    quantity,
                    order_id,
                    discount,
                    note: note.filter(|n| !n.is_empty()),
                    repeat_of_previous: repeat,
                }
            },
        )
}

fn failed(e: impl std::fmt::Debug) -> TestCaseError {
    TestCaseError::fail(format!("{e:?}"))
}

fn normalized(phone: &str) -> String {
    crate::domain::phone::StoredPhone::lenient(phone, "FI")
        .map(|p| p.normalized)
        .unwrap_or_default()
}

/// The generated store, made as the store's own bulk writer writes (the
/// demo's path): every field set directly, lists kept as a store can hold them.
fn store_of(customers: &[Customer], orders: &[Order]) -> Result<Store, TestCaseError> {
    let mut store = Store::open_in_memory().map_err(failed)?;
    let at = NaiveDateTime::default();
    let mut rows = Vec::new();
    for (i, c) in customers.iter().enumerate() {
        // Refs are unique; a digit at the end keeps them apart.
        let base = if c.reference.is_empty() {
            "K"
        } else {
            &c.reference
        };
        let reference = format!("{base}{i}");
        let mut emails: Vec<String> = Vec::new();
        for e in &c.emails {
            if !emails.iter().any(|x| x.to_lowercase() == e.to_lowercase()) {
                emails.push(e.clone());
            }
        }
        let mut phones: Vec<(String, String)> = Vec::new();
        for p in &c.phones {
            let n = normalized(p);
            if !phones.iter().any(|(_, m)| *m == n) {
                phones.push((p.clone(), n));
            }
        }
        let mut tags: Vec<String> = c
            .tags
            .iter()
            // Google's own group, which every vCard reader leaves out.
            .filter(|t| !t.is_empty() && *t != "myContacts")
            .cloned()
            .collect();
        tags.sort();
        tags.dedup();
        rows.push((reference, emails, phones, tags));
    }
    store
        .bulk_write(|w| {
            for (i, (c, (reference, emails, phones, tags))) in
                customers.iter().zip(&rows).enumerate()
            {
                let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
                w.insert_customer(&CustomerRow {
                    id: i as CustomerId + 1,
                    reference,
                    name: &c.name,
                    company: c.company.as_deref(),
                    address: c.address.as_deref(),
                    city: c.city.as_deref(),
                    source: c.source,
                    referred_by: None,
                    prospect: c.prospect,
                    advocate: c.advocate,
                    marketing_consent: c.marketing_consent,
                    notes: &c.notes,
                    contact_every_days: c.contact_every_days,
                    created_at: at,
                    updated_at: at,
                    emails,
                    phones,
                    tags: &tags,
                })?;
            }
            let mut previous: Option<&Order> = None;
            for (j, o) in orders.iter().enumerate() {
                let (customer, date, amount_cents, order_id) = match previous {
                    Some(p) if o.repeat_of_previous => (p.customer, p.date, p.amount_cents, None),
                    _ => (
                        o.customer,
                        o.date,
                        o.amount_cents,
                        o.order_id.as_ref().map(|id| format!("{id}{j}")),
                    ),
                };
                w.insert_order(&OrderRow {
                    customer_id: (customer % customers.len()) as CustomerId + 1,
                    order_date: date,
                    amount_cents,
                    quantity: o.quantity,
                    external_id: order_id.as_deref(),
                    discount: o.discount,
                    note: o.note.as_deref(),
                    created_at: at,
                })?;
                previous = Some(o);
            }
            Ok::<(), crate::store::StoreError>(())
        })
        .map_err(failed)?;
    for (i, c) in customers.iter().enumerate() {
        let referrer = c.referrer.map(|r| r % customers.len()).filter(|r| *r != i);
        if let Some(r) = referrer {
            store
                .connection()
                .execute(
                    "UPDATE customers SET referred_by = ?2 WHERE id = ?1",
                    [i as i64 + 1, r as i64 + 1],
                )
                .map_err(failed)?;
        }
    }
    Ok(store)
}

fn export(store: &Store, kind: ExportKind, format: ExportFormat) -> Result<String, TestCaseError> {
    let mut text = String::new();
    write_export(store, kind, format, &mut |piece| {
        text.push_str(piece);
        Ok::<(), ExportError>(())
    })
    .map_err(|e| failed(e.0))?;
    Ok(text)
}

/// The export imported into an empty store as `kanta import` imports a file.
fn import(kind: ExportKind, format: ExportFormat, bytes: &[u8]) -> Result<Store, TestCaseError> {
    let mut store = Store::open_in_memory().map_err(failed)?;
    let source = ImportSource {
        kind: "export".into(),
        file_name: "export".into(),
        sha256: "export".into(),
        default_country: "FI".into(),
    };
    let size = bytes.len() as u64;
    match kind {
        ExportKind::Orders => {
            let reader = OrdersReader::open(bytes).map_err(failed)?;
            let mut rows = Streamed::new(reader, size);
            store.import_orders_from(&source, &mut rows, false)
        }
        ExportKind::Contacts => {
            let reader = ContactsReader::open(bytes, format == ExportFormat::Vcard);
            let mut rows = Streamed::new(reader, size);
            store.import_contacts_from(&source, &mut rows, false)
        }
    }
    .map_err(failed)?;
    Ok(store)
}

const FORMATS: [(ExportKind, ExportFormat); 5] = [
    (ExportKind::Contacts, ExportFormat::Csv),
    (ExportKind::Contacts, ExportFormat::Json),
    (ExportKind::Contacts, ExportFormat::Vcard),
    (ExportKind::Orders, ExportFormat::Csv),
    (ExportKind::Orders, ExportFormat::Json),
];

#[test]
fn every_export_imported_into_an_empty_store_exports_the_same_bytes() {
    let stores = (
        prop::collection::vec(customer(), 1..6),
        prop::collection::vec(order(), 0..10),
    );
    check(
        "every_export_round_trips",
        300,
        stores,
        |(customers, orders)| {
            let store = store_of(&customers, &orders)?;
            for (kind, format) in FORMATS {
                let first = export(&store, kind, format)?;
                let again = import(kind, format, first.as_bytes())?;
                let second = export(&again, kind, format)?;
                prop_assert_eq!(&first, &second, "{:?} {:?}", kind, format);
            }
            Ok(())
        },
    );
}

#[test]
fn exports_carry_every_field_a_customer_has() {
    let customers = [Customer {
        reference: "K-1".into(),
        name: "Liisa Mäkinen".into(),
        company: Some("Mäkinen Oy".into()),
        address: Some("Hämeenkatu 12".into()),
        city: Some("Tampere".into()),
        emails: vec!["liisa@example.fi".into(), "=l@example.fi".into()],
        phones: vec!["+358 40 123 4567".into(), "040 765 4321".into()],
        tags: vec!["kahvi, tumma".into(), "vip".into()],
        source: Some(Source::WalkIn),
        referrer: None,
        prospect: true,
        advocate: true,
        marketing_consent: true,
        contact_every_days: Some(30),
        notes: "  Soita aamulla.\nEi maanantaisin.  ".into(),
    }];
    let store = store_of(&customers, &[]).unwrap();
    let csv = export(&store, ExportKind::Contacts, ExportFormat::Csv).unwrap();
    assert_eq!(
        csv,
        "ref,name,company,email,phone,address,city,tags,source,referred_by,\
         marketing_consent,prospect,advocate,contact_every_days,notes\n\
         K-10,Liisa Mäkinen,Mäkinen Oy,liisa@example.fi; '=l@example.fi,\
         '+358 40 123 4567; 040 765 4321,Hämeenkatu 12,Tampere,\"kahvi\\, tumma; vip\",\
         walk-in,,yes,yes,yes,30,\"  Soita aamulla.\nEi maanantaisin.  \"\n"
    );
    // Read back, the guard is off and every field is as it was.
    let again = import(ExportKind::Contacts, ExportFormat::Csv, csv.as_bytes()).unwrap();
    let listed = again.contact_listing().unwrap();
    assert_eq!(listed[0].phones, ["+358 40 123 4567", "040 765 4321"]);
    assert_eq!(listed[0].emails, ["liisa@example.fi", "=l@example.fi"]);
    assert_eq!(listed[0].tags, ["kahvi, tumma", "vip"]);
    assert_eq!(listed[0].notes, customers[0].notes);
    assert_eq!(listed[0].contact_every_days, Some(30));
    assert!(listed[0].marketing_consent && listed[0].prospect && listed[0].advocate);
    let phone: String = again
        .connection()
        .query_row(
            "SELECT phone_normalized FROM customer_phones WHERE position = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(phone, "+358401234567");
    let card = export(&store, ExportKind::Contacts, ExportFormat::Vcard).unwrap();
    for line in [
        "X-KANTA-MARKETING-CONSENT:yes\r\n",
        "X-KANTA-PROSPECT:yes\r\n",
        "X-KANTA-ADVOCATE:yes\r\n",
        "X-KANTA-CONTACT-EVERY-DAYS:30\r\n",
        "X-KANTA-SOURCE:walk-in\r\n",
    ] {
        assert!(card.contains(line), "{line:?} in {card}");
    }
    let json = export(&store, ExportKind::Contacts, ExportFormat::Json).unwrap();
    assert!(json.contains("\"contact_every_days\": 30"), "{json}");
    assert!(json.contains("\"marketing_consent\": true"), "{json}");
}
