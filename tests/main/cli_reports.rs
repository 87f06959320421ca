//! Importing a real file through the binary, then reports over it; every
//! expectation below is computed by hand from `tests/fixtures/cli/orders.csv`
//! at the as-of date 2026-03-31:
//!
//! | ref | purchase days (amounts)                        | R   | F | M     |
//! |-----|------------------------------------------------|-----|---|-------|
//! | A   | 01-05 (100), 02-10 (50), 03-30 (25)            | 1   | 3 | 17500 |
//! | B   | 03-28 (200)                                    | 3   | 1 | 20000 |
//! | C   | 2025-12-20 (10 + 5); 01-15 is a refund of 3    | 101 | 1 | 1200  |
//! | D   | 02-01 (30), 02-15 (30)                         | 44  | 2 | 6000  |
//! | E   | 04-02 only, after the as-of date: no purchase  |     |   |       |
//!
//! Scores, `1 + floor(5 * below / 4)`: R (fewer days is better) A 4, B 3, D 2,
//! C 1; F A 4, D 3, B 1, C 1 (B and C tie); M B 4, A 3, D 2, C 1.

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
        .join("tests/fixtures/cli")
        .join(name)
}

fn imported() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let orders = fixture("orders.csv");
    let run = kanta(dir.path(), &["import", "orders", orders.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

/// An orders file without a `name` column names each customer by their ref.
const RFM_CSV: &str = "ref,name,recency_days,frequency,monetary_cents,r,f,m,segment\n\
    A,A,1,3,17500,4,4,3,Loyal\n\
    B,B,3,1,20000,3,1,4,About to sleep\n\
    C,C,101,1,1200,1,1,1,Hibernating\n\
    D,D,44,2,6000,2,3,2,At risk\n";

fn report(dir: &Path, kind: &str, format: &str) -> Run {
    kanta(
        dir,
        &["report", kind, "--as-of", "2026-03-31", "--format", format],
    )
}

#[test]
fn rfm_csv_of_an_imported_file() {
    let dir = imported();
    let run = report(dir.path(), "rfm", "csv");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, RFM_CSV);
}

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let dir = imported();
    let orders = fixture("orders.csv");
    let run = kanta(dir.path(), &["import", "orders", orders.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("already imported as import 1; nothing new"),
        "{}",
        run.stdout
    );
    // The same rows in a file with other bytes are recognised row by row.
    let copy = dir.path().join("orders again.csv");
    let mut bytes = std::fs::read(&orders).unwrap();
    bytes.extend_from_slice(b"\n");
    std::fs::write(&copy, bytes).unwrap();
    let run = kanta(dir.path(), &["import", "orders", copy.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("10 orders already imported"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("nothing new"), "{}", run.stdout);
    assert_eq!(report(dir.path(), "rfm", "csv").stdout, RFM_CSV);
    let list = kanta(dir.path(), &["import", "list"]);
    assert_eq!(list.stdout.lines().count(), 2, "{}", list.stdout);
}

#[test]
fn a_dry_run_says_what_it_would_do_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let orders = fixture("orders.csv");
    let run = kanta(
        dir.path(),
        &["import", "orders", orders.to_str().unwrap(), "--dry-run"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .ends_with("would add 5 customers and 10 orders\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        kanta(dir.path(), &["import", "list"]).stdout,
        "no imports yet\n"
    );
}

#[test]
fn a_bad_file_names_every_bad_row_and_imports_nothing() {
    let dir = imported();
    let bad = fixture("bad_orders.csv");
    let shown = bad.to_str().unwrap();
    let run = kanta(dir.path(), &["import", "orders", shown]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!("{shown}:3: date: ")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("{shown}:5: amount: ")),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains(":2:") && !run.stderr.contains(":4:"),
        "{}",
        run.stderr
    );
    assert_eq!(report(dir.path(), "rfm", "csv").stdout, RFM_CSV);
    assert_eq!(
        kanta(dir.path(), &["import", "list"])
            .stdout
            .lines()
            .count(),
        2
    );
}

#[test]
fn cohorts_csv_has_one_row_per_existing_cell() {
    let dir = imported();
    let run = report(dir.path(), "cohorts", "csv");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        // March 2026, the as-of month, is partial in every cohort.
        "cohort,size,offset,active,rate,partial\n\
         2025-12,1,0,1,1,0\n2025-12,1,1,0,0,0\n2025-12,1,2,0,0,0\n2025-12,1,3,0,0,1\n\
         2026-01,1,0,1,1,0\n2026-01,1,1,1,1,0\n2026-01,1,2,1,1,1\n\
         2026-02,1,0,1,1,0\n2026-02,1,1,0,0,1\n\
         2026-03,1,0,1,1,1\n"
    );
}

#[test]
fn pyramid_csv_with_the_change_since_a_week_ago() {
    // The store was created by today's import, so a customer exists from their
    // first order. At D: E has not bought yet and does not exist; B and C have one
    // purchase day, A and D two or more. The key threshold ranks the active repeat
    // customers A (17500) and D (6000): k = ceil(0.4) = 1, so A is key, D a regular.
    // At D - 7 B did not exist yet: C a customer, A key (15000), D a regular.
    let dir = imported();
    let run = report(dir.path(), "pyramid", "csv");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "stage,count,change_7d\nsuspect,0,0\nprospect,0,0\ncustomer,2,1\nregular,1,0\n\
         key customer,1,0\nadvocate,0,0\nlapsed,0,0\n"
    );
}

#[test]
fn rfm_as_json_and_markdown() {
    let dir = imported();
    let run = report(dir.path(), "rfm", "json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json[3]["ref"], "D");
    assert_eq!(json[3]["monetary_cents"], 6000);
    assert_eq!(json[3]["segment"], "At risk");
    let run = report(dir.path(), "rfm", "markdown");
    assert_eq!(
        run.stdout.lines().nth(2),
        Some("| A | A | 1 | 3 | 175.00 | 4 | 4 | 3 | Loyal |")
    );
}

#[test]
fn repeat_csv_and_its_source_filter() {
    // A's second day is 36 days after the first, D's 14; B and C never came back.
    let dir = imported();
    let run = report(dir.path(), "repeat", "csv");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        // 2025-12-31 + 90 days = 2026-03-31 = D: only December's 90-day rate is final.
        "cohort,size,repeat_90d,repeat_180d,repeat_ever,complete_90d,complete_180d\n\
         2025-12,1,0,0,0,1,0\n2026-01,1,1,1,1,0,0\n2026-02,1,1,1,1,0,0\n\
         2026-03,1,0,0,0,0,0\n"
    );
    // Nobody in the file has a source, so the referral cohorts are empty.
    let run = kanta(
        dir.path(),
        &[
            "report",
            "repeat",
            "--as-of",
            "2026-03-31",
            "--format",
            "csv",
            "--source",
            "referral",
        ],
    );
    assert_eq!(
        run.stdout,
        "cohort,size,repeat_90d,repeat_180d,repeat_ever,complete_90d,complete_180d\n"
    );
    // ... and the customers with no source are everyone.
    let run = kanta(
        dir.path(),
        &[
            "report",
            "repeat",
            "--as-of",
            "2026-03-31",
            "--format",
            "csv",
            "--source",
            "none",
        ],
    );
    assert_eq!(run.stdout, report(dir.path(), "repeat", "csv").stdout);
    let run = kanta(dir.path(), &["report", "rfm", "--source", "referral"]);
    assert_eq!(run.code, 2);
}

#[test]
fn churn_with_too_few_repeat_customers_says_so() {
    // Not enough history is an honest answer, not an error: exit code 0.
    let dir = imported();
    let sentence = "The churn model is not fitted: not enough history: \
                    2 repeat customers, the models need 30.";
    let run = report(dir.path(), "churn", "csv");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "ref,name,x,t_x,T,p_alive,expected_90d,expected_365d,expected_spend,expected_revenue_365d\n"
    );
    assert_eq!(run.stderr, format!("kanta: {sentence}\n"));
    for format in ["table", "markdown"] {
        let run = report(dir.path(), "churn", format);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stdout, format!("{sentence}\n"));
    }
    let run = report(dir.path(), "churn", "json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["model"], "mbgnbd");
    assert_eq!(json["not_fitted"], sentence);
    assert_eq!(json["rows"], serde_json::json!([]));
    let run = kanta(
        dir.path(),
        &["report", "churn", "--model", "bgnbd", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["model"], "bgnbd");
    let run = kanta(dir.path(), &["report", "churn", "--model", "pareto"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = kanta(dir.path(), &["report", "rfm", "--model", "bgnbd"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn weekly_review_in_markdown() {
    // The week 2026-03-25..31: B's first purchase (200) and A's 25 are its revenue.
    let dir = imported();
    let run = report(dir.path(), "weekly", "markdown");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("# Weekly review 2026-03-25 to 2026-03-31\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("This week 225.00 EUR"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("## New customers (1)\n\n- B\n"),
        "{}",
        run.stdout
    );
    assert_eq!(report(dir.path(), "weekly", "csv").code, 2);
}

#[test]
fn followups_report_lists_open_follow_ups_with_the_issue_columns() {
    let dir = imported();
    {
        let conn = rusqlite::Connection::open(dir.path().join("kanta.db")).unwrap();
        conn.execute_batch(
            "INSERT INTO followups (customer_id, due, reason)
                 SELECT id, '2026-03-20', 'call back about the order' FROM customers WHERE ref = 'B';
             INSERT INTO followups (customer_id, due, status, reason)
                 SELECT id, '2026-03-21', 'done', 'already called' FROM customers WHERE ref = 'A';",
        )
        .unwrap();
    }
    // The open one written by hand, overdue (2026-03-20 is before the as-of
    // date), and what the rules would write at 2026-03-31 (SPEC section 7):
    // B's first purchase day 03-28 is within 30 days and unthanked, due 3 days
    // after it; D, a regular, last bought 44 days ago, more than max(30, 2 x
    // the 14-day gap). A's done one is not listed. The report writes nothing.
    let db = dir.path().join("kanta.db");
    let before = std::fs::read(&db).unwrap();
    let run = kanta(
        dir.path(),
        &[
            "report",
            "followups",
            "--as-of",
            "2026-03-31",
            "--format",
            "csv",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the store is as it was"
    );
    let listed: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM followups", [], |r| r.get(0))
        .unwrap();
    assert_eq!(listed, 2, "no follow-up written");
    assert_eq!(
        run.stdout,
        "due,status,rule,ref,name,reason\n\
         2026-03-20,overdue,manual,B,B,call back about the order\n\
         2026-03-31,today,thank-you,B,B,\"first purchase on 2026-03-28, not thanked yet\"\n\
         2026-03-31,today,check-in,D,D,no purchase for 44 days; usual gap 14 days\n"
    );
    // With --all, the done one too.
    let run = kanta(
        dir.path(),
        &[
            "report",
            "followups",
            "--as-of",
            "2026-03-31",
            "--all",
            "--format",
            "csv",
        ],
    );
    assert!(
        run.stdout
            .contains("2026-03-21,done,manual,A,A,already called"),
        "{}",
        run.stdout
    );
}
