//! Timing helpers and the result table.

use std::time::Duration;

/// One line of the result table.
pub struct Row {
    pub what: String,
    pub target: String,
    pub measured: String,
    pub pass: bool,
}

pub fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub fn print_table(rows: &[Row]) {
    let what = rows.iter().map(|r| r.what.len()).max().unwrap_or(4).max(4);
    let target = rows
        .iter()
        .map(|r| r.target.len())
        .max()
        .unwrap_or(6)
        .max(6);
    let measured = rows
        .iter()
        .map(|r| r.measured.len())
        .max()
        .unwrap_or(8)
        .max(8);
    println!(
        "| {:what$} | {:target$} | {:measured$} | result |",
        "what", "target", "measured"
    );
    println!(
        "|{}|{}|{}|--------|",
        "-".repeat(what + 2),
        "-".repeat(target + 2),
        "-".repeat(measured + 2)
    );
    for row in rows {
        println!(
            "| {:what$} | {:target$} | {:measured$} | {:6} |",
            row.what,
            row.target,
            row.measured,
            if row.pass { "pass" } else { "FAIL" }
        );
    }
}
