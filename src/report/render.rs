//! Writing a [`Report`] in each [`Format`].

use super::{Cell, Format, HeaderValue, Report};
use crate::domain::money::format_cents;
use crate::domain::terminal::{json_terminal_safe, terminal_safe};

/// Renders `report`; `currency` labels money columns in the human formats.
pub fn render(report: &Report, format: Format, currency: &str) -> String {
    match format {
        Format::Csv => csv(report),
        Format::Json => json(report),
        Format::Table => table(report, currency),
        Format::Markdown => markdown(report, currency),
    }
}

/// A rate with at most six decimals and no trailing zeros: `0.3`, `0.333333`, `1`.
pub fn format_rate(rate: f64) -> String {
    if !rate.is_finite() {
        return String::new();
    }
    let text = format!("{rate:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Cents as currency units with two decimals and spaces between thousands: `-1 234.50`.
pub fn format_money(cents: i64) -> String {
    format_cents(cents, " ", Some('.'))
}

/// Text cells that a spreadsheet would run as a formula get a leading quote;
/// plain numbers (`-19.99`) stay numbers.
pub(crate) fn csv_text(text: &str) -> String {
    crate::formats::csv_safe::neutralize_formula(text).into_owned()
}

/// A cell for the human formats (table, Markdown): rates to six decimals.
fn raw(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Int(n) | Cell::Money(n) => n.to_string(),
        Cell::Rate(x) | Cell::Real(x) => format_rate(*x),
        Cell::OpenRate(x) => format!("{}*", format_rate(*x)),
    }
}

/// A cell for the machine formats (CSV, JSON): numbers in full precision, the
/// shortest text that reads back to the same f64, so a script's own
/// computation of a figure compares equal.
fn precise(cell: &Cell) -> String {
    match cell {
        Cell::Rate(x) | Cell::Real(x) | Cell::OpenRate(x) if !x.is_finite() => String::new(),
        // -0 prints as 0.
        Cell::Rate(x) | Cell::Real(x) | Cell::OpenRate(x) => format!("{}", x + 0.0),
        other => raw(other),
    }
}

fn csv(report: &Report) -> String {
    let mut out = report.columns.join(",");
    out.push('\n');
    for row in &report.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| match cell {
                Cell::Text(text) => quote_csv(&csv_text(text)),
                other => precise(other),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn quote_csv(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn json(report: &Report) -> String {
    let mut out = String::from("[");
    for (i, row) in report.rows.iter().enumerate() {
        out.push_str(if i == 0 { "\n  {" } else { ",\n  {" });
        for (j, (column, cell)) in report.columns.iter().zip(row).enumerate() {
            if j > 0 {
                out.push_str(", ");
            }
            let value = match cell {
                Cell::Text(text) => {
                    json_terminal_safe(&serde_json::Value::from(text.as_str()).to_string())
                        .into_owned()
                }
                Cell::Rate(x) | Cell::Real(x) | Cell::OpenRate(x) if !x.is_finite() => {
                    "null".to_string()
                }
                other => precise(other),
            };
            out.push_str(&format!("\"{column}\": {value}"));
        }
        out.push('}');
    }
    out.push_str(if report.rows.is_empty() { "]" } else { "\n]" });
    if report.json_header.is_empty() {
        out.push('\n');
        return out;
    }
    let header: Vec<String> = report
        .json_header
        .iter()
        .map(|(name, value)| format!("\"{name}\": {}", header_value(value)))
        .collect();
    format!("{{{}, \"rows\": {out}}}\n", header.join(", "))
}

fn header_value(value: &HeaderValue) -> String {
    match value {
        HeaderValue::Number(x) => serde_json::Number::from_f64(*x)
            .map(|n| n.to_string())
            .unwrap_or_else(|| "null".to_string()),
        HeaderValue::Text(text) => {
            json_terminal_safe(&serde_json::Value::from(text.as_str()).to_string()).into_owned()
        }
        HeaderValue::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(name, value)| format!("\"{name}\": {}", header_value(value)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        HeaderValue::List(items) => {
            let items: Vec<String> = items.iter().map(header_value).collect();
            format!("[{}]", items.join(", "))
        }
        HeaderValue::Null => "null".to_string(),
    }
}

/// Column title in the human formats: money columns in currency units.
fn human_title(column: &str, currency: &str) -> String {
    match column.strip_suffix("_cents") {
        Some(stem) => format!("{stem} ({currency})"),
        None => column.to_string(),
    }
}

/// Cell text for a person: control characters escaped so data never drives the terminal.
fn human(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => terminal_safe(text).into_owned(),
        Cell::Money(cents) => format_money(*cents),
        other => raw(other),
    }
}

fn human_cells(report: &Report) -> Vec<Vec<String>> {
    report
        .rows
        .iter()
        .map(|row| row.iter().map(human).collect())
        .collect()
}

fn is_numeric(report: &Report, column: usize) -> bool {
    report
        .rows
        .first()
        .and_then(|row| row.get(column))
        .is_some_and(|cell| !matches!(cell, Cell::Text(_)))
}

fn table(report: &Report, currency: &str) -> String {
    let titles: Vec<String> = report
        .columns
        .iter()
        .map(|c| human_title(c, currency))
        .collect();
    let cells = human_cells(report);
    let widths: Vec<usize> = titles
        .iter()
        .enumerate()
        .map(|(i, title)| {
            cells
                .iter()
                .filter_map(|row| row.get(i))
                .map(|c| c.chars().count())
                .chain([title.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |values: &[String]| {
        let padded: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let width = widths.get(i).copied().unwrap_or(0);
                if is_numeric(report, i) {
                    format!("{v:>width$}")
                } else {
                    format!("{v:<width$}")
                }
            })
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(&titles);
    for row in &cells {
        out.push_str(&line(row));
    }
    push_notes(&mut out, report, |note| terminal_safe(note).into_owned());
    out
}

/// The report's notes after a blank line, one a line.
fn push_notes(out: &mut String, report: &Report, line: impl Fn(&str) -> String) {
    if report.notes.is_empty() {
        return;
    }
    out.push('\n');
    for note in &report.notes {
        out.push_str(&line(note));
        out.push('\n');
    }
}

fn markdown(report: &Report, currency: &str) -> String {
    let cell = |text: &str| text.replace('|', "\\|");
    let titles: Vec<String> = report
        .columns
        .iter()
        .map(|c| cell(&human_title(c, currency)))
        .collect();
    let mut out = format!("| {} |\n", titles.join(" | "));
    let rule: Vec<&str> = (0..titles.len())
        .map(|i| if is_numeric(report, i) { "---:" } else { "---" })
        .collect();
    out.push_str(&format!("|{}|\n", rule.join("|")));
    for row in human_cells(report) {
        let row: Vec<String> = row.iter().map(|c| cell(c)).collect();
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    // A leading `*` would start a Markdown list item.
    push_notes(&mut out, report, |note| match note.strip_prefix('*') {
        Some(rest) => format!("\\*{rest}"),
        None => note.to_string(),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        Report {
            json_header: vec![],
            notes: vec![],
            columns: vec!["ref", "monetary_cents", "rate"],
            rows: vec![
                vec![
                    Cell::Text("A-1".into()),
                    Cell::Money(123_450),
                    Cell::Rate(0.3),
                ],
                vec![
                    Cell::Text("=cmd, \"x\"".into()),
                    Cell::Money(-5),
                    Cell::Rate(1.0 / 3.0),
                ],
            ],
        }
    }

    #[test]
    fn rates_have_no_float_noise() {
        assert_eq!(format_rate(0.1 + 0.2), "0.3");
        assert_eq!(format_rate(1.0 / 3.0), "0.333333");
        assert_eq!(format_rate(2.0 / 3.0), "0.666667");
        assert_eq!(format_rate(1.0), "1");
        assert_eq!(format_rate(0.0), "0");
        assert_eq!(format_rate(0.25), "0.25");
    }

    #[test]
    fn money_in_units_with_grouped_thousands() {
        assert_eq!(format_money(123_450), "1 234.50");
        assert_eq!(format_money(-5), "-0.05");
        assert_eq!(format_money(100_000_000), "1 000 000.00");
        assert_eq!(format_money(99), "0.99");
        assert_eq!(format_money(i64::MIN), "-92 233 720 368 547 758.08");
    }

    #[test]
    fn csv_keeps_numbers_raw_and_defuses_formulas() {
        assert_eq!(
            render(&sample(), Format::Csv, "EUR"),
            "ref,monetary_cents,rate\nA-1,123450,0.3\n\"'=cmd, \"\"x\"\"\",-5,0.3333333333333333\n"
        );
    }

    #[test]
    fn json_is_an_array_of_objects_in_column_order() {
        let text = render(&sample(), Format::Json, "EUR");
        assert_eq!(
            text,
            "[\n  {\"ref\": \"A-1\", \"monetary_cents\": 123450, \"rate\": 0.3},\n  \
             {\"ref\": \"=cmd, \\\"x\\\"\", \"monetary_cents\": -5, \"rate\": 0.3333333333333333}\n]\n"
        );
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed[1]["monetary_cents"], -5);
    }

    #[test]
    fn empty_json_is_an_empty_array() {
        let report = Report {
            json_header: vec![],
            notes: vec![],
            columns: vec!["a"],
            rows: vec![],
        };
        assert_eq!(render(&report, Format::Json, "EUR"), "[]\n");
    }

    #[test]
    fn params_wrap_the_json_rows() {
        let report = Report {
            columns: vec!["x"],
            rows: vec![vec![Cell::Real(30.5)]],
            json_header: vec![(
                "params",
                HeaderValue::Object(vec![
                    ("r", HeaderValue::Number(0.243)),
                    ("alpha", HeaderValue::Number(30.9)),
                ]),
            )],
            notes: vec![],
        };
        let text = render(&report, Format::Json, "EUR");
        assert_eq!(
            text,
            "{\"params\": {\"r\": 0.243, \"alpha\": 30.9}, \"rows\": [\n  {\"x\": 30.5}\n]}\n"
        );
        assert_eq!(render(&report, Format::Csv, "EUR"), "x\n30.5\n");
    }

    #[test]
    fn table_aligns_text_left_and_numbers_right() {
        assert_eq!(
            render(&sample(), Format::Table, "EUR"),
            "ref        monetary (EUR)      rate\n\
             A-1              1 234.50       0.3\n\
             =cmd, \"x\"           -0.05  0.333333\n"
        );
    }

    #[test]
    fn table_escapes_control_characters() {
        let report = Report {
            json_header: vec![],
            notes: vec![],
            columns: vec!["name"],
            rows: vec![vec![Cell::Text("ä\u{1b}[31mb\u{9b}\u{202e}".into())]],
        };
        assert_eq!(
            render(&report, Format::Table, "EUR"),
            "name\nä^[[31mb\\u{9b}\\u{202e}\n"
        );
        let json = render(&report, Format::Json, "EUR");
        assert_eq!(
            json,
            "[\n  {\"name\": \"ä\\u001b[31mb\\u009b\\u202e\"}\n]\n"
        );
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed[0]["name"], "ä\u{1b}[31mb\u{9b}\u{202e}");
    }

    #[test]
    fn markdown_is_a_github_table() {
        assert_eq!(
            render(&sample(), Format::Markdown, "EUR"),
            "| ref | monetary (EUR) | rate |\n|---|---:|---:|\n\
             | A-1 | 1 234.50 | 0.3 |\n| =cmd, \"x\" | -0.05 | 0.333333 |\n"
        );
    }
}
