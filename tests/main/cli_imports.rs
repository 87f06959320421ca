//! The exports owners have, imported through the binary: what the sentence
//! says, what is refused and how, and a second import of the same bytes.

use std::path::{Path, PathBuf};

use crate::cli_common;

use cli_common::Run;

/// `kanta ARGS --db dir/kanta.db`.
fn kanta(dir: &Path, args: &[&str]) -> Run {
    let db = dir.join("kanta.db");
    let mut all = args.to_vec();
    all.extend(["--db", db.to_str().unwrap()]);
    cli_common::kanta(dir, &all)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

/// `kanta import KIND FIXTURE` with the fixture copied into `dir`, so that
/// messages name it by its file name alone.
fn import(dir: &Path, kind: &str, name: &str) -> Run {
    std::fs::copy(fixture(name), dir.join(name)).unwrap();
    kanta(dir, &["import", kind, name])
}

fn count(dir: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("kanta.db")).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_shopify_import_says_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let run = import(dir.path(), "orders", "shopify_till_and_refunds.csv");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "shopify_till_and_refunds.csv: added 4 customers and 4 orders; skipped 1 cancelled \
         order, 1 wholly refunded order and 1 sale with no customer (import 1; \
         `kanta import undo 1` takes it back)\n"
    );
    let list = kanta(dir.path(), &["import", "list"]);
    assert!(list.stdout.contains("shopify"), "{}", list.stdout);
}

#[test]
fn woocommerce_and_stripe_imports_say_what_they_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let run = import(dir.path(), "orders", "woocommerce_orders.csv");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "added 3 customers and 3 orders; skipped 1 cancelled order, 2 wholly refunded \
             orders and 1 unpaid order"
        ),
        "{}",
        run.stdout
    );
    // The same customers again, by email: Stripe adds orders, not people.
    let run = import(dir.path(), "orders", "stripe_payments.csv");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "added 1 customer and 3 orders; skipped 1 wholly refunded order, 1 sale \
             with no customer and 2 unpaid orders"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(count(dir.path(), "SELECT count(*) FROM orders"), 6);
    assert_eq!(
        count(dir.path(), "SELECT sum(amount_cents) FROM orders"),
        4580 + 10000 + 123450 + 4900 + 10000 + 123450
    );
}

#[test]
fn a_paypal_download_is_refused_with_what_to_export_instead() {
    let dir = tempfile::tempdir().unwrap();
    let run = import(dir.path(), "orders", "paypal_activity.csv");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "paypal_activity.csv:1: header: this is a PayPal activity download, which kanta \
             does not read"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("export the orders from your shop"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("kanta.db").exists());
    let run = import(dir.path(), "orders", "woocommerce_analytics_orders.csv");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "woocommerce_analytics_orders.csv:1: header: this is WooCommerce's Analytics"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn the_same_bytes_again_add_nothing_for_orders_and_contacts() {
    let dir = tempfile::tempdir().unwrap();
    for (kind, name, batch) in [
        ("orders", "woocommerce_orders.csv", 1),
        ("contacts", "google_contacts.csv", 2),
        ("contacts", "outlook_contacts.csv", 3),
    ] {
        let first = import(dir.path(), kind, name);
        assert_eq!(first.code, 0, "{}", first.stderr);
        let customers = count(dir.path(), "SELECT count(*) FROM customers");
        let again = kanta(dir.path(), &["import", kind, name]);
        assert_eq!(again.code, 0, "{}", again.stderr);
        assert_eq!(
            again.stdout,
            format!("{name}: already imported as import {batch}; nothing new\n")
        );
        assert_eq!(
            count(dir.path(), "SELECT count(*) FROM customers"),
            customers
        );
    }
    assert_eq!(count(dir.path(), "SELECT count(*) FROM import_batches"), 3);
    assert_eq!(count(dir.path(), "SELECT count(*) FROM orders"), 3);
}

#[test]
fn a_contacts_file_again_under_other_bytes_duplicates_no_one() {
    // Rows with no ref, email or phone included: a later export of the same
    // address book, with one contact more.
    let dir = tempfile::tempdir().unwrap();
    let first = "name,city\nAino,Tampere\nKahvila Kanta,\nAino,Oulu\n";
    std::fs::write(dir.path().join("c.csv"), first).unwrap();
    let run = kanta(dir.path(), &["import", "contacts", "c.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::write(dir.path().join("c2.csv"), format!("{first}Bertta,\n")).unwrap();
    let run = kanta(dir.path(), &["import", "contacts", "c2.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("c2.csv: added 1 customer"),
        "{}",
        run.stdout
    );
    assert_eq!(count(dir.path(), "SELECT count(*) FROM customers"), 4);
}

#[test]
fn every_bad_row_of_a_contacts_file_is_named_in_one_run() {
    // Before: the unknown referrers of lines 3 and 5 were named only once the
    // bad email of line 2 was fixed.
    let dir = tempfile::tempdir().unwrap();
    let file = "ref,name,email,referred_by\n\
                A,Aino,aino.at.example.fi,\n\
                B,Bertta,bertta@example.fi,nobody\n\
                C,Cecilia,cecilia@example.fi,A\n\
                D,Daniel,daniel@example.fi,D\n\
                E,=cmd,eeva@example.fi,\n";
    std::fs::write(dir.path().join("c.csv"), file).unwrap();
    let run = kanta(dir.path(), &["import", "contacts", "c.csv"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let named: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("c.csv:"))
        .collect();
    assert_eq!(named.len(), 4, "{}", run.stderr);
    assert!(
        named[0].starts_with("c.csv:2: email: not an email address"),
        "{}",
        run.stderr
    );
    assert_eq!(
        named[1],
        "c.csv:3: referred_by: no customer has the ref \"nobody\""
    );
    assert_eq!(
        named[2],
        "c.csv:5: referred_by: a customer cannot refer themselves"
    );
    assert!(
        named[3].starts_with("c.csv:6: name: begins with '='"),
        "{}",
        run.stderr
    );
    // Nothing imported, and no store made for a file refused whole.
    assert!(!dir.path().join("kanta.db").exists());
}

#[test]
fn a_referrer_in_the_store_is_known_when_the_file_has_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.csv"), "ref,name\nK1,Aino\n").unwrap();
    assert_eq!(kanta(dir.path(), &["import", "contacts", "a.csv"]).code, 0);
    let file = "ref,name,email,referred_by\nK2,Bertta,bertta.at.x,K1\nK3,Cecilia,,K9\n";
    std::fs::write(dir.path().join("b.csv"), file).unwrap();
    let run = kanta(dir.path(), &["import", "contacts", "b.csv"]);
    assert_eq!(run.code, 2);
    let named: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("b.csv:"))
        .collect();
    assert_eq!(named.len(), 2, "{}", run.stderr);
    assert!(named[0].starts_with("b.csv:2: email:"), "{}", run.stderr);
    assert_eq!(
        named[1],
        "b.csv:3: referred_by: no customer has the ref \"K9\""
    );
    assert_eq!(count(dir.path(), "SELECT count(*) FROM customers"), 1);
}

#[test]
fn an_unterminated_quote_is_named_as_such() {
    // Before: `kanta` said the amount of line 2 was not an amount.
    let dir = tempfile::tempdir().unwrap();
    let file = "customer,date,amount\nC0,2026-01-01,1.00\nC1,2026-01-02,\"12.50\nC2,2026-01-03,5\n";
    std::fs::write(dir.path().join("o.csv"), file).unwrap();
    let run = kanta(dir.path(), &["import", "orders", "o.csv"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let named: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("o.csv:"))
        .collect();
    assert_eq!(named.len(), 1, "{}", run.stderr);
    assert!(
        named[0].starts_with("o.csv:3: amount: a quote (\") opens a cell here and never closes"),
        "{}",
        run.stderr
    );
    let contacts = "name,email,notes\nAino,aino@example.fi,\"ok\"\nBertta,b@example.fi,\"tilaa\n";
    std::fs::write(dir.path().join("c.csv"), contacts).unwrap();
    let run = kanta(dir.path(), &["import", "contacts", "c.csv"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("c.csv:3: notes: a quote (\") opens a cell here and never closes"),
        "{}",
        run.stderr
    );
}

/// A new store an import makes is written without the write-ahead log, and
/// put in place in it, as every store is kept: the header says so, and
/// nothing lies beside it.
#[test]
fn a_store_an_import_makes_is_kept_in_the_write_ahead_log() {
    let dir = tempfile::tempdir().unwrap();
    for (kind, name) in [
        ("orders", "shopify_till_and_refunds.csv"),
        ("contacts", "google_contacts.csv"),
    ] {
        let _ = std::fs::remove_file(dir.path().join("kanta.db"));
        let run = import(dir.path(), kind, name);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let header = std::fs::read(dir.path().join("kanta.db")).unwrap();
        assert_eq!(
            header[18..20],
            [2, 2],
            "{name}: the write-ahead log's versions"
        );
        let mut beside: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("kanta.db") || n.contains("partial"))
            .collect();
        beside.sort();
        assert_eq!(beside, ["kanta.db"], "{name}");
    }
}
