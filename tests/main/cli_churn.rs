//! `kanta report churn` on the CDNOW 1/10 sample imported as an orders file,
//! calibration period to 1997-09-30, against the `lifetimes` package
//! (`tests/fixtures/churn/make_mbgnbd_fixtures.py`): the whole way from a file
//! to the report's figures.

use std::collections::HashMap;
use std::path::Path;

use crate::cli_common;

fn fixture(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn kanta(dir: &Path, args: &[&str]) -> cli_common::Run {
    let db = dir.join("kanta.db");
    let mut all = args.to_vec();
    all.extend(["--db", db.to_str().unwrap()]);
    cli_common::kanta(dir, &all)
}

/// The transactions as an orders CSV: customer, date, amount in dollars.
fn imported_cdnow() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut orders = String::from("customer,date,amount\n");
    for line in fixture("tests/fixtures/cdnow/transactions.csv")
        .lines()
        .skip(1)
    {
        let mut cells = line.split(',');
        let (id, date, cents) = (
            cells.next().unwrap(),
            cells.next().unwrap(),
            cells.next().unwrap().parse::<i64>().unwrap(),
        );
        orders.push_str(&format!("{id},{date},{}.{:02}\n", cents / 100, cents % 100));
    }
    let file = dir.path().join("cdnow.csv");
    std::fs::write(&file, orders).unwrap();
    let run = kanta(dir.path(), &["import", "orders", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn the_churn_report_on_cdnow_equals_lifetimes() {
    let dir = imported_cdnow();
    let (_, reference) = csv_rows(&fixture("tests/fixtures/churn/cdnow_customers.csv"));
    let reference: HashMap<&str, &Vec<String>> =
        reference.iter().map(|r| (r[0].as_str(), r)).collect();
    let number = |text: &str| text.parse::<f64>().unwrap();
    for (model, first) in [("mbgnbd", 5), ("bgnbd", 8)] {
        let run = kanta(
            dir.path(),
            &[
                "report",
                "churn",
                "--as-of",
                "1997-09-30",
                "--format",
                "csv",
                "--model",
                model,
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        // The spend and frequency of CDNOW are hardly correlated: no warning.
        assert_eq!(run.stderr, "");
        let (header, rows) = csv_rows(&run.stdout);
        assert_eq!(
            header.join(","),
            "ref,name,x,t_x,T,p_alive,expected_90d,expected_365d,expected_spend,expected_revenue_365d"
        );
        assert_eq!(rows.len(), 2357);
        let mut worst_p_alive = 0.0f64;
        for row in &rows {
            let theirs = reference[row[0].as_str()];
            assert_eq!(row[1], row[0], "named by the ref");
            for column in 2..5 {
                assert_eq!(number(&row[column]), number(&theirs[column - 1]), "{row:?}");
            }
            worst_p_alive = worst_p_alive.max((number(&row[5]) - number(&theirs[first])).abs());
            for (column, their_column) in [(6, first + 1), (7, first + 2), (8, 11)] {
                let (ours, theirs) = (number(&row[column]), number(&theirs[their_column]));
                assert!(
                    (ours - theirs).abs() <= 1e-3 * theirs.abs().max(1.0),
                    "{model} {row:?}"
                );
            }
            let revenue = number(&row[9]);
            let expected = number(&row[7]) * number(&row[8]);
            assert!((revenue - expected).abs() <= 1e-9 * expected.max(1.0));
        }
        assert!(worst_p_alive <= 0.01, "{model}: {worst_p_alive}");
    }
    let run = kanta(
        dir.path(),
        &[
            "report",
            "churn",
            "--as-of",
            "1997-09-30",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["model"], "mbgnbd");
    let r = json["params"]["r"].as_f64().unwrap();
    assert!((r - 0.5248).abs() < 0.005, "{}", json["params"]);
    let p = json["spend_params"]["p"].as_f64().unwrap();
    assert!((p - 6.25).abs() < 0.06, "{}", json["spend_params"]);
    let correlation = json["spend_correlation"].as_f64().unwrap();
    assert!((correlation - 0.1139).abs() < 1e-3, "{correlation}");
    assert_eq!(json["rows"].as_array().unwrap().len(), 2357);
}
