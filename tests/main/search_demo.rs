//! The phone call (issue 10): every phone of every customer of the demo
//! store is found by its E.164 form, its national form and its last seven
//! digits, through the search the dashboard and `kanta lookup` share; and
//! `kanta lookup` prints what it found.

use kanta::demo::{DemoOptions, generate};
use kanta::search::{Entry, Index, Matched};
use kanta::store::Store;
use nucleo_matcher::Matcher;

use crate::cli_common::kanta;

#[test]
fn every_demo_phone_is_found_in_every_form() {
    let mut store = Store::open_in_memory().unwrap();
    let options = DemoOptions {
        customers: 2000,
        seed: 1,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
    };
    generate(&mut store, &options, &mut |_, _| {}).unwrap();
    let customers = store.customers().unwrap();
    let index = Index::build(customers.iter().map(|c| Entry::of(c, &c.name)), "FI");
    let mut matcher = Matcher::new(nucleo_matcher::Config::DEFAULT);
    let mut phones = 0;
    for (at, customer) in customers.iter().enumerate() {
        assert_eq!(customer.phones.len(), customer.phones_e164.len());
        for (written, number) in customer.phones.iter().zip(&customer.phones_e164) {
            let e164 = number.map(|n| n.to_string()).unwrap_or_default();
            // The demo's numbers are Finnish and British: a trunk 0 at home.
            let code = ["+358", "+44"]
                .into_iter()
                .find(|c| e164.starts_with(c))
                .unwrap_or_else(|| panic!("{written}: {e164}"));
            let national = format!("0{}", &e164[code.len()..]);
            let last_seven = &e164[e164.len() - 7..];
            for query in [e164.as_str(), national.as_str(), last_seven] {
                let found = index.find(query, &mut matcher, 200);
                assert!(found.contains(&at), "{query} ({written}) did not find {at}");
                assert_eq!(
                    index.matched(at, query, &mut matcher),
                    Matched::Phone(written.clone()),
                    "{query}"
                );
                if query != last_seven {
                    // The whole number: its holders first.
                    let first = &customers[found[0]];
                    assert!(
                        first.phones_e164.contains(number),
                        "{query}: {}",
                        first.name
                    );
                }
            }
            phones += 1;
        }
    }
    assert!(phones > 1500, "{phones} phones");
}

#[test]
fn lookup_prints_the_searchs_hits_best_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_or_create(&dir.path().join("k.db")).unwrap();
    for (name, phone, city) in [
        ("Aino Virtanen", "040-4803684", "Turku"),
        ("Bertil Ek", "+46 70 123 45 67", "Tampere"),
    ] {
        store
            .insert_customer(&kanta::domain::CustomerDraft {
                name: name.into(),
                phones: vec![phone.into()],
                city: Some(city.into()),
                ..Default::default()
            })
            .unwrap();
    }
    drop(store);
    let run = kanta(
        dir.path(),
        &[
            "lookup",
            "+358 40 480 3684",
            "--db",
            "k.db",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rows[0]["ref"], "K000001");
    assert_eq!(rows[0]["name"], "Aino Virtanen");
    assert_eq!(rows[0]["phone"], "040-4803684");
    assert_eq!(rows[0]["stage"], "suspect");
    assert_eq!(rows[0]["matched"], "phone");
    let table = kanta(dir.path(), &["lookup", "city:tampere", "--db", "k.db"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("K000002"), "{}", table.stdout);
    assert!(table.stdout.contains("Bertil Ek"), "{}", table.stdout);
    assert!(!table.stdout.contains("Aino"), "{}", table.stdout);
    let none = kanta(dir.path(), &["lookup", "0509999999", "--db", "k.db"]);
    assert_eq!(none.code, 1);
    assert_eq!(none.stdout, "");
    assert!(
        none.stderr.contains("no customer matches"),
        "{}",
        none.stderr
    );
    let json_none = kanta(
        dir.path(),
        &[
            "lookup",
            "nobody at all",
            "--db",
            "k.db",
            "--format",
            "json",
        ],
    );
    assert_eq!((json_none.code, json_none.stdout.trim()), (1, "[]"));
}

#[test]
fn customer_show_finds_the_customer_by_any_form_of_their_number() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kanta.db");
    {
        let mut store = Store::open_or_create(&db).unwrap();
        for (name, phone) in [
            ("Aino Virtanen", "040-4803684"),
            ("Bertil Ek", "050 765 4321"),
        ] {
            store
                .insert_customer(&kanta::domain::CustomerDraft {
                    name: name.into(),
                    phones: vec![phone.into()],
                    ..Default::default()
                })
                .unwrap();
        }
    }
    let db = db.to_string_lossy().into_owned();
    for query in ["K000001", "+358 40 480 3684", "0404803684", "4803684"] {
        let run = kanta(dir.path(), &["--db", &db, "customer", "show", query]);
        assert_eq!(run.code, 0, "{query}: {}", run.stderr);
        assert!(
            run.stdout.contains("Aino Virtanen"),
            "{query}: {}",
            run.stdout
        );
    }
    let none = kanta(dir.path(), &["--db", &db, "customer", "show", "0451112223"]);
    assert_eq!(none.code, 2, "{}", none.stdout);
}
