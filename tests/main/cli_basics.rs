//! The command line's contract that needs no figures: exit codes, messages,
//! refusing foreign files, the config, imports, undo and exports.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use kanta::store::{ImportSource, OrderImport, Store};

use crate::cli_common;

use cli_common::kanta;

fn store_with_orders(dir: &Path) -> PathBuf {
    let path = dir.join("kanta.db");
    let mut store = Store::open_or_create(&path).unwrap();
    let order = |line, key: &str, day, cents| OrderImport {
        line,
        customer_key: key.into(),
        date: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
        amount_cents: cents,
        ..Default::default()
    };
    let source = ImportSource {
        kind: "orders".into(),
        file_name: "first.csv".into(),
        sha256: "ab".into(),
        default_country: "FI".into(),
    };
    let rows = [order(2, "A-1", 1, 1250), order(3, "=B", 2, -99)];
    store
        .import_orders(&source, &rows, false, &mut |_| {})
        .unwrap();
    path
}

#[test]
fn an_unknown_command_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = kanta(dir.path(), &["frobnicate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("frobnicate"), "{}", run.stderr);
}

#[test]
fn a_bad_as_of_names_the_argument() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_orders(dir.path());
    let db = db.to_str().unwrap();
    let run = kanta(
        dir.path(),
        &["report", "rfm", "--db", db, "--as-of", "2026-13-01"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--as-of"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn a_file_that_is_not_a_store_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "shopping list\n").unwrap();
    let run = kanta(
        dir.path(),
        &["import", "list", "--db", notes.to_str().unwrap()],
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("notes.txt"), "{}", run.stderr);
    assert!(run.stderr.contains("not a kanta store"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "shopping list\n");
}

#[test]
fn the_dashboard_refuses_a_file_that_is_not_a_store_with_nothing_written_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "shopping list\n").unwrap();
    std::fs::write(dir.path().join("config.toml"), "").unwrap();
    let run = kanta(dir.path(), &["--db", notes.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a kanta store"), "{}", run.stderr);
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["config.toml", "notes.txt"],
        "nothing else beside it"
    );
}

#[test]
fn an_sqlite_file_of_another_program_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    let run = kanta(
        dir.path(),
        &["report", "pyramid", "--db", other.to_str().unwrap()],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("another program"), "{}", run.stderr);
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

#[test]
fn a_missing_store_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let run = kanta(dir.path(), &["export", "orders", "--db", "none.db"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("none.db"), "{}", run.stderr);
    assert!(!dir.path().join("none.db").exists());
}

#[test]
fn the_store_comes_from_kanta_db_when_not_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_orders(dir.path());
    std::fs::write(dir.path().join("config.toml"), "").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kanta"))
        .args(["import", "list", "--config"])
        .arg(dir.path().join("config.toml"))
        .env("KANTA_DB", &db)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("first.csv"));
}

#[test]
fn a_bad_config_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "currency = \"EUR\"\n[backups]\nkeep = -1\n",
    )
    .unwrap();
    let run = kanta(dir.path(), &["import", "list", "--db", "x.db"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("config.toml:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("backups.keep"), "{}", run.stderr);
}

#[test]
fn exports_orders_as_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_orders(dir.path());
    let db = db.to_str().unwrap();
    let run = kanta(
        dir.path(),
        &["export", "orders", "--db", db, "--format", "csv"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "customer,date,amount,quantity,order_id,discount,note\n\
         A-1,2026-03-01,12.50,,,,\n'=B,2026-03-02,-0.99,,,,\n"
    );
    let out = dir.path().join("orders.json");
    let run = kanta(
        dir.path(),
        &[
            "export",
            "orders",
            "--db",
            db,
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json[1]["customer"], "=B");
    assert_eq!(json[1]["amount_cents"], -99);
}

#[test]
fn import_list_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_orders(dir.path());
    let db = db.to_str().unwrap();
    let run = kanta(dir.path(), &["import", "list", "--db", db]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("batch"), "{}", run.stdout);
    assert!(run.stdout.contains("first.csv"), "{}", run.stdout);
    let run = kanta(dir.path(), &["import", "undo", "1", "--db", db]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "import 1 undone: removed 2 orders and 2 customers\n"
    );
    let run = kanta(dir.path(), &["import", "undo", "1", "--db", db]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "kanta: import 1 was already undone\n");
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cli")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn contacts_import_then_export() {
    let dir = tempfile::tempdir().unwrap();
    let contacts = fixture("contacts.csv");
    let run = kanta(
        dir.path(),
        &["import", "contacts", &contacts, "--db", "k.db"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("added 2 customers"), "{}", run.stdout);
    let run = kanta(dir.path(), &["export", "contacts", "--db", "k.db"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "ref,name,company,email,phone,address,city,tags,source,referred_by,\
         marketing_consent,prospect,advocate,contact_every_days,notes\n\
         A,Aino Virtanen,,aino@example.com,040 123 4567,,Tampere,vip,,,no,no,no,,\n\
         F,Frans,,frans@example.com,,,Oulu,local; new,,A,no,no,no,,\n"
    );
    let again = kanta(
        dir.path(),
        &["import", "contacts", &contacts, "--db", "k.db"],
    );
    assert!(again.stdout.contains("nothing new"), "{}", again.stdout);
}

#[test]
fn an_unknown_referrer_names_its_row_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = fixture("bad_contacts.csv");
    let run = kanta(dir.path(), &["import", "contacts", &bad, "--db", "k.db"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!("{bad}:3: referred_by: ")),
        "{}",
        run.stderr
    );
    // Refused, the import leaves no store behind where there was none.
    assert!(!dir.path().join("k.db").exists());
    let made = kanta(
        dir.path(),
        &[
            "import",
            "contacts",
            &fixture("contacts.csv"),
            "--db",
            "k.db",
        ],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let run = kanta(dir.path(), &["import", "contacts", &bad, "--db", "k.db"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        kanta(dir.path(), &["import", "list", "--db", "k.db"])
            .stdout
            .lines()
            .count(),
        2,
        "only the good import is listed"
    );
}

#[test]
fn every_export_of_the_binary_imports_into_an_empty_store_and_exports_the_same() {
    let dir = tempfile::tempdir().unwrap();
    for (kind, file) in [("contacts", "contacts.csv"), ("orders", "orders.csv")] {
        let run = kanta(
            dir.path(),
            &["import", kind, &fixture(file), "--db", "a.db"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    for (kind, format, name) in [
        ("contacts", "csv", "c.csv"),
        ("contacts", "json", "c.json"),
        ("contacts", "vcard", "c.vcf"),
        ("orders", "csv", "o.csv"),
        ("orders", "json", "o.json"),
    ] {
        let store = format!("{name}.db");
        let first = kanta(
            dir.path(),
            &[
                "export", kind, "--db", "a.db", "--format", format, "-o", name,
            ],
        );
        assert_eq!(first.code, 0, "{}", first.stderr);
        let run = kanta(dir.path(), &["import", kind, name, "--db", &store]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let again = kanta(
            dir.path(),
            &["export", kind, "--db", &store, "--format", format],
        );
        let written = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert_eq!(again.stdout, written, "{name}");
        assert!(!written.is_empty());
    }
    // The file being imported may not be the store itself.
    let run = kanta(dir.path(), &["import", "orders", "a.db", "--db", "a.db"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is the store"), "{}", run.stderr);
}

#[test]
fn contacts_round_trip_through_vcard() {
    let dir = tempfile::tempdir().unwrap();
    let contacts = fixture("contacts.csv");
    assert_eq!(
        kanta(
            dir.path(),
            &["import", "contacts", &contacts, "--db", "a.db"]
        )
        .code,
        0
    );
    let run = kanta(
        dir.path(),
        &[
            "export", "contacts", "--db", "a.db", "--format", "vcard", "-o", "c.vcf",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = kanta(dir.path(), &["import", "contacts", "c.vcf", "--db", "b.db"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("added 2 customers"), "{}", run.stdout);
    let exported = kanta(dir.path(), &["export", "contacts", "--db", "b.db"]).stdout;
    assert!(
        exported.contains("A,Aino Virtanen,,aino@example.com,040 123 4567,"),
        "{exported}"
    );
    let orders_as_vcard = kanta(
        dir.path(),
        &["export", "orders", "--db", "a.db", "--format", "vcard"],
    );
    assert_eq!(orders_as_vcard.code, 2);
}

#[test]
fn a_contacts_file_with_a_formula_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats/contacts_formula.csv");
    let run = kanta(dir.path(), &["import", "contacts", file.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("contacts_formula.csv:3: name: begins with '='"),
        "{}",
        run.stderr
    );
    // Nothing was written: not even the good first row.
    let db = dir.path().join("kanta.db");
    if db.exists() {
        let count: i64 = rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 0);
    }
}
