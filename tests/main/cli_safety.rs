//! Safe to keep open all day: text a script wrote into the store never reaches
//! the terminal as a control sequence, and money sums over amounts no import
//! would accept never wrap or panic (the test binary is built with overflow
//! checks, so a wrapping sum fails here as a panic).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kanta::domain::{CustomerDraft, OrderDraft};
use kanta::store::Store;

use crate::cli_common;

use cli_common::Run;

/// ESC starting a colour, the C1 CSI that some terminals obey on its own, and
/// a right-to-left override that would show the name reversed.
const SPOOF: &str = "Eve\u{1b}[31m\u{9b}2J\u{202e}gnp.exe";

fn kanta(dir: &Path, args: &[&str]) -> Run {
    let db = dir.join("kanta.db");
    let mut all = args.to_vec();
    all.extend(["--db", db.to_str().unwrap()]);
    cli_common::kanta(dir, &all)
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// A store as a script might leave it: customer `EVE-1` whose name carries
/// control characters, and one whose ref does, both with ordinary orders.
fn spoofed_store(dir: &Path) -> PathBuf {
    let path = dir.join("kanta.db");
    let mut store = Store::open_or_create(&path).unwrap();
    for reference in ["EVE-1", "EVE-2"] {
        let customer = store
            .insert_customer(&CustomerDraft {
                reference: Some(reference.into()),
                name: "placeholder".into(),
                ..CustomerDraft::default()
            })
            .unwrap();
        for (m, d, cents) in [(1, 5, 1_000), (2, 10, 2_000), (3, 20, 3_000)] {
            store
                .add_order(&OrderDraft {
                    customer_id: customer.id,
                    order_date: day(m, d),
                    amount_cents: cents,
                    ..OrderDraft::default()
                })
                .unwrap();
        }
    }
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE customers SET name = ?1", [SPOOF])
        .unwrap();
    conn.execute("UPDATE customers SET ref = ?1 WHERE ref = 'EVE-2'", [SPOOF])
        .unwrap();
    path
}

/// No C0 control but the line break, no DEL, no C1 control, no bidi control.
fn assert_terminal_safe(text: &str, what: &str) {
    let raw = text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    });
    assert_eq!(raw, None, "{what} holds a raw control: {text:?}");
}

#[test]
fn customer_show_escapes_the_spoofed_name() {
    let dir = tempfile::tempdir().unwrap();
    spoofed_store(dir.path());
    let run = kanta(dir.path(), &["customer", "show", "EVE-1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_terminal_safe(&run.stdout, "customer show");
    assert!(run.stdout.contains("Eve^[[31m"), "{}", run.stdout);
    assert!(run.stdout.contains("\\u{202e}gnp.exe"), "{}", run.stdout);
}

#[test]
fn report_tables_and_markdown_escape_the_spoofed_name() {
    let dir = tempfile::tempdir().unwrap();
    spoofed_store(dir.path());
    for format in ["table", "markdown"] {
        let run = kanta(
            dir.path(),
            &["report", "rfm", "--as-of", "2026-03-31", "--format", format],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_terminal_safe(&run.stdout, format);
        assert!(run.stdout.contains("\\u{9b}2J"), "{}", run.stdout);
    }
}

#[test]
fn json_escapes_c1_and_bidi_controls_and_stays_exact() {
    let dir = tempfile::tempdir().unwrap();
    spoofed_store(dir.path());
    let run = kanta(
        dir.path(),
        &["report", "rfm", "--as-of", "2026-03-31", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_terminal_safe(&run.stdout, "json");
    assert!(run.stdout.contains("\\u009b"), "{}", run.stdout);
    assert!(run.stdout.contains("\\u202e"), "{}", run.stdout);
    let parsed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(parsed[1]["ref"], SPOOF, "the JSON still reads back exactly");

    let run = kanta(dir.path(), &["customer", "export", "EVE-1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_terminal_safe(&run.stdout, "customer export");
    assert!(run.stdout.contains("\\u009b"), "{}", run.stdout);
}

#[test]
fn csv_to_a_pipe_stays_exact_data() {
    let dir = tempfile::tempdir().unwrap();
    spoofed_store(dir.path());
    let run = kanta(dir.path(), &["export", "contacts", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(SPOOF), "{}", run.stdout);
}

#[test]
fn error_messages_escape_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    spoofed_store(dir.path());
    let unknown = format!("{SPOOF}-9");
    let run = kanta(dir.path(), &["customer", "show", &unknown]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_terminal_safe(&run.stderr, "the error of an unknown ref");
    let run = kanta(dir.path(), &[SPOOF]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_terminal_safe(&run.stderr, "the error of a bad command");
    assert!(run.stderr.contains("\\u{202e}gnp.exe"), "{}", run.stderr);
    let run = kanta(dir.path(), &["report", SPOOF]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_terminal_safe(&run.stderr, "the error of a bad report");
}

/// Half of i64::MAX and one: two of them make a sum one past i64::MAX.
const HUGE: i64 = i64::MAX / 2 + 1;

/// A store a script filled with amounts no import accepts: customer `BIG-1`
/// with two huge orders on two days, `BIG-2` with two on one day (when
/// `same_day`) or one order of 10.00.
fn huge_store(dir: &Path, same_day: bool) {
    let path = dir.join("kanta.db");
    let mut store = Store::open_or_create(&path).unwrap();
    for reference in ["BIG-1", "BIG-2"] {
        store
            .insert_customer(&CustomerDraft {
                reference: Some(reference.into()),
                name: reference.into(),
                ..CustomerDraft::default()
            })
            .unwrap();
    }
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let second = if same_day { HUGE } else { 1_000 };
    for (reference, date, cents) in [
        ("BIG-1", "2026-03-20", HUGE),
        ("BIG-1", "2026-03-27", HUGE),
        ("BIG-2", "2026-03-25", HUGE),
        ("BIG-2", "2026-03-25", second),
    ] {
        conn.execute(
            "INSERT INTO orders (customer_id, order_date, amount_cents, discount)
             SELECT id, ?2, ?3, 0 FROM customers WHERE ref = ?1",
            rusqlite::params![reference, date, cents],
        )
        .unwrap();
    }
}

#[test]
fn reports_over_huge_amounts_on_two_days_neither_panic_nor_wrap() {
    every_report_works(false);
}

#[test]
fn reports_over_huge_amounts_on_one_day_neither_panic_nor_wrap() {
    every_report_works(true);
}

fn every_report_works(same_day: bool) {
    let dir = tempfile::tempdir().unwrap();
    huge_store(dir.path(), same_day);
    for kind in [
        "rfm",
        "cohorts",
        "repeat",
        "pyramid",
        "followups",
        "churn",
        "weekly",
    ] {
        for format in ["csv", "json", "table", "markdown"] {
            if kind == "weekly" && format == "csv" {
                continue;
            }
            let run = kanta(
                dir.path(),
                &["report", kind, "--as-of", "2026-03-31", "--format", format],
            );
            assert!(
                !run.stderr.contains("panicked"),
                "report {kind} --format {format}: {}",
                run.stderr
            );
            // Churn does not fit two customers, and says so with exit code 0.
            assert_eq!(run.code, 0, "report {kind} {format}: {}", run.stderr);
        }
    }
    let run = kanta(
        dir.path(),
        &["report", "rfm", "--as-of", "2026-03-31", "--format", "csv"],
    );
    let big = run
        .stdout
        .lines()
        .find(|l| l.starts_with("BIG-1,"))
        .unwrap();
    let monetary = big.split(',').nth(4).unwrap();
    assert_eq!(monetary, i64::MAX.to_string(), "held at the bound: {big}");
    for reference in ["BIG-1", "BIG-2"] {
        let run = kanta(dir.path(), &["customer", "show", reference]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn an_import_refuses_an_amount_over_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orders.csv");
    std::fs::write(
        &file,
        "customer,date,amount\nA,2026-03-01,1000000000.00\nA,2026-03-02,1000000000.01\n",
    )
    .unwrap();
    let run = kanta(dir.path(), &["import", "orders", file.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("orders.csv:3: amount:"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(":2:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("more than 1 000 000 000.00"),
        "{}",
        run.stderr
    );
}

/// `kanta ARGS` with its stdout on a pseudo-terminal: every byte it wrote.
fn on_a_terminal(dir: &Path, args: &[&str]) -> String {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_kanta"));
    cmd.args(args);
    cmd.arg("--db");
    cmd.arg(dir.join("kanta.db"));
    cmd.arg("--config");
    let config = dir.join("config.toml");
    if !config.exists() {
        std::fs::write(&config, "").unwrap();
    }
    cmd.arg(config);
    cmd.env_remove("KANTA_DB");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let reading = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut buf = [0u8; 4096];
        // The pty reports an error rather than end of file once the child is gone.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            bytes.extend_from_slice(&buf[..n]);
        }
        bytes
    });
    let status = child.wait().unwrap();
    drop(pair.master);
    let bytes = reading.join().unwrap();
    assert!(status.success(), "{}", String::from_utf8_lossy(&bytes));
    String::from_utf8(bytes).unwrap()
}

#[test]
fn csv_and_json_on_a_terminal_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    spoofed_store(dir.path());
    let csv = on_a_terminal(dir.path(), &["export", "contacts", "--format", "csv"]);
    // The terminal turns each line break into \r\n.
    assert_terminal_safe(&csv.replace("\r\n", "\n"), "CSV on a terminal");
    assert!(csv.contains("Eve^[[31m\\u{9b}2J\\u{202e}gnp.exe"), "{csv}");
    let json = on_a_terminal(dir.path(), &["export", "contacts", "--format", "json"]);
    assert_terminal_safe(&json.replace("\r\n", "\n"), "JSON on a terminal");
    assert!(json.contains("\\u009b"), "{json}");
}
