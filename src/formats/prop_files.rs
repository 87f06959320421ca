//! Whole generated files for the property tests: orders CSV, contacts CSV,
//! vCard and Shopify exports, each with some rows made bad on purpose.

use proptest::prelude::*;
use proptest::sample::select;

use super::prop_gen::{
    CsvWriter, Written, bad_amount, bad_date, cell, encoding, formula, good_amount, good_date, name,
};

/// What makes a row bad, if anything. A fault whose column the file lacks
/// leaves the row good.
#[derive(Debug, Clone)]
pub(crate) enum Fault {
    None,
    /// Replaces the named column's cell with this text.
    Cell(&'static str, String),
    /// Only the first cell of the row is written.
    Short,
    /// A year no calendar has.
    YearZero,
}

fn order_fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        40 => Just(Fault::None),
        2 => bad_date().prop_map(|d| Fault::Cell("date", d)),
        2 => bad_amount().prop_map(|a| Fault::Cell("amount", a)),
        1 => select(&["", "  ", "\u{a0}"][..]).prop_map(|k| Fault::Cell("key", k.into())),
        1 => formula().prop_map(|f| Fault::Cell("key", f)),
        1 => formula().prop_map(|f| Fault::Cell("name", f)),
        1 => select(&["1.5", "two", "1e3"][..]).prop_map(|q| Fault::Cell("quantity", q.into())),
        1 => select(&["maybe", "2"][..]).prop_map(|d| Fault::Cell("discount", d.into())),
        1 => Just(Fault::Short),
        1 => select(&["0000-01-01", "1.1.0000"][..]).prop_map(|_| Fault::YearZero),
    ]
}

#[derive(Debug, Clone)]
pub(crate) struct OrderCells {
    key: String,
    date: String,
    amount: String,
    quantity: Option<i64>,
    order_id: String,
    name: String,
    email: String,
    phone: String,
    discount: &'static str,
    fault: Fault,
    blank_after: usize,
}

fn order_cells() -> impl Strategy<Value = OrderCells> {
    (
        (name(), good_date(), good_amount(), any::<Option<i64>>()),
        (cell(), name(), cell(), phone()),
        select(&["", "yes", "no", "kyllä", "ei", "true", "0"][..]),
        order_fault(),
        0usize..3,
    )
        .prop_map(
            |(
                (key, date, amount, quantity),
                (order_id, name, email, phone),
                discount,
                fault,
                blank_after,
            )| {
                OrderCells {
                    key,
                    date,
                    amount,
                    quantity,
                    order_id,
                    name,
                    email,
                    phone,
                    discount,
                    fault,
                    blank_after,
                }
            },
        )
}

/// A phone cell the one phone rule accepts, in the shapes owners write
/// (a number it refuses is a bad row, tested in the store's import tests).
fn phone() -> impl Strategy<Value = String> {
    select(
        &[
            "",
            "040 123 4567",
            "+358 40 765 4321",
            "+358 (0)50 111 2222",
            "(09) 123 4567",
            "0401234567;ext=12",
            "+46 70 123 45 67",
        ][..],
    )
    .prop_map(str::to_string)
}

/// The optional columns of a generic orders file.
const ORDER_OPTIONAL: [&str; 6] = ["quantity", "order_id", "name", "email", "phone", "discount"];

/// A generic orders CSV: header names in any case and order, `,` or `;`.
pub(crate) fn orders_file() -> impl Strategy<Value = Written> {
    (
        (
            select(&["customer", "Customer_ID", " customer_ref "][..]),
            select(&["date", "Order_Date", "created_at"][..]),
            select(&["amount", "TOTAL", "dollar_value"][..]),
        ),
        prop::collection::vec(any::<bool>(), ORDER_OPTIONAL.len()),
        prop::collection::vec(any::<u16>(), 3 + ORDER_OPTIONAL.len()),
        (
            select(&[',', ';'][..]),
            select(&["\n", "\r\n"][..]),
            0usize..3,
        ),
        prop::collection::vec(order_cells(), 0..10),
        encoding(),
    )
        .prop_map(
            |(required, optional, order, (delimiter, newline, lead), rows, encoding)| {
                let mut columns: Vec<(&str, &str)> = vec![
                    ("key", required.0),
                    ("date", required.1),
                    ("amount", required.2),
                ];
                for (present, column) in optional.iter().zip(ORDER_OPTIONAL) {
                    if *present {
                        columns.push((column, column));
                    }
                }
                let mut ranked: Vec<(u16, (&str, &str))> = order.into_iter().zip(columns).collect();
                ranked.sort_by_key(|(rank, _)| *rank);
                let columns: Vec<(&str, &str)> = ranked.into_iter().map(|(_, c)| c).collect();
                let mut csv = CsvWriter {
                    text: String::new(),
                    delimiter,
                    newline,
                };
                csv.blank_lines(lead);
                let header: Vec<String> = columns.iter().map(|(_, h)| h.to_string()).collect();
                csv.record(&header);
                let mut bad_lines = Vec::new();
                for row in &rows {
                    let value = |column: &str| match column {
                        "key" => row.key.clone(),
                        "date" if matches!(row.fault, Fault::YearZero) => "0000-01-01".into(),
                        "date" => row.date.clone(),
                        "amount" => row.amount.clone(),
                        "quantity" => row.quantity.map(|q| q.to_string()).unwrap_or_default(),
                        "order_id" => row.order_id.clone(),
                        "name" => row.name.clone(),
                        "email" => row.email.clone(),
                        "phone" => row.phone.clone(),
                        _ => row.discount.to_string(),
                    };
                    let mut cells: Vec<String> = columns.iter().map(|(c, _)| value(c)).collect();
                    let bad = match &row.fault {
                        Fault::None => false,
                        Fault::Cell(column, text) => {
                            match columns.iter().position(|(c, _)| c == column) {
                                Some(i) => {
                                    cells[i] = text.clone();
                                    true
                                }
                                None => false,
                            }
                        }
                        Fault::Short => {
                            cells.truncate(1);
                            cells[0] = "x".into();
                            true
                        }
                        Fault::YearZero => true,
                    };
                    let line = csv.record(&cells);
                    if bad {
                        bad_lines.push(line);
                    }
                    csv.blank_lines(row.blank_after);
                }
                Written {
                    text: csv.text,
                    encoding,
                    bad_lines,
                    store_bad_lines: Vec::new(),
                }
            },
        )
}

fn contact_fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        40 => Just(Fault::None),
        2 => select(&["anna.at.x.fi", "cy@@x", "a b@c", "@x"][..])
            .prop_map(|e| Fault::Cell("email", e.into())),
        1 => select(&["friends", "facebook"][..]).prop_map(|s| Fault::Cell("source", s.into())),
        2 => bad_date().prop_map(|d| Fault::Cell("birthday", d)),
        1 => formula().prop_map(|f| Fault::Cell("name", f)),
        1 => formula().prop_map(|f| Fault::Cell("company", f)),
        1 => formula().prop_map(|f| Fault::Cell("city", f)),
        1 => formula().prop_map(|f| Fault::Cell("tags", f)),
        1 => cell().prop_map(|r| Fault::Cell("referred_by", format!("nobody {r}"))),
        1 => Just(Fault::Short),
    ]
}

#[derive(Debug, Clone)]
pub(crate) struct ContactCells {
    reference: String,
    name: String,
    company: String,
    city: String,
    address: String,
    notes: String,
    tags: Vec<&'static str>,
    source: &'static str,
    birthday: String,
    referrer: Option<usize>,
    fault: Fault,
}

const WORDS: [&str; 6] = ["vip", "kahvi", "tee", "Mäkinen", "new", "a b"];

fn contact_cells() -> impl Strategy<Value = ContactCells> {
    (
        (cell(), name(), name(), name(), cell(), cell()),
        prop::collection::vec(select(&WORDS[..]), 0..3),
        select(&["", "offer", "walk-in", "referral", "suositus", "muu"][..]),
        prop_oneof![Just(String::new()), good_date()],
        any::<Option<usize>>(),
        contact_fault(),
    )
        .prop_map(
            |(
                (reference, name, company, city, address, notes),
                tags,
                source,
                birthday,
                referrer,
                fault,
            )| {
                ContactCells {
                    reference,
                    name,
                    company,
                    city,
                    address,
                    notes,
                    tags,
                    source,
                    birthday,
                    referrer,
                    fault,
                }
            },
        )
}

const CONTACT_OPTIONAL: [&str; 9] = [
    "company",
    "phone",
    "address",
    "city",
    "tags",
    "source",
    "referred_by",
    "birthday",
    "notes",
];

/// A contacts CSV with at least one of `ref`, `name`, `email`. Refs, emails
/// and phones are unique to their row, so no two rows are one customer.
pub(crate) fn contacts_file() -> impl Strategy<Value = Written> {
    (
        prop::collection::vec(any::<bool>(), 3),
        prop::collection::vec(any::<bool>(), CONTACT_OPTIONAL.len()),
        (select(&[',', ';'][..]), select(&["\n", "\r\n"][..])),
        prop::collection::vec(contact_cells(), 0..8),
        encoding(),
    )
        .prop_map(
            |(identity, optional, (delimiter, newline), rows, encoding)| {
                let mut columns: Vec<&str> = ["ref", "name", "email"]
                    .into_iter()
                    .zip(&identity)
                    .filter(|(_, on)| **on)
                    .map(|(c, _)| c)
                    .collect();
                if columns.is_empty() {
                    columns.push("name");
                }
                for (present, column) in optional.iter().zip(CONTACT_OPTIONAL) {
                    if *present {
                        columns.push(column);
                    }
                }
                let mut csv = CsvWriter {
                    text: String::new(),
                    delimiter,
                    newline,
                };
                csv.record(&columns.iter().map(|c| c.to_string()).collect::<Vec<_>>());
                let has_ref = columns.contains(&"ref");
                let reference = |i: usize, row: &ContactCells| format!("R{i}.{}", row.reference);
                let mut bad_lines = Vec::new();
                let mut store_bad_lines = Vec::new();
                for (i, row) in rows.iter().enumerate() {
                    let referrer = match row.referrer {
                        Some(j) if has_ref && rows.len() > 1 => {
                            // Another row of the file, never the row itself.
                            let j = j % (rows.len() - 1);
                            let j = if j >= i { j + 1 } else { j };
                            reference(j, &rows[j])
                        }
                        Some(_) => "K-1001".into(),
                        None => String::new(),
                    };
                    let value = |column: &str| match column {
                        "ref" => reference(i, row),
                        "name" => row.name.clone(),
                        "email" => format!("{}{i}@example.fi", ["liisa", "Matti", "ÄÖ"][i % 3]),
                        "company" => row.company.clone(),
                        "phone" => format!("{}{i:07}", ["040 ", "+358 40 ", "(040) "][i % 3]),
                        "address" => row.address.clone(),
                        "city" => row.city.clone(),
                        "tags" => row.tags.join([",", ";"][i % 2]),
                        "source" => row.source.into(),
                        "referred_by" => referrer.clone(),
                        "birthday" => row.birthday.clone(),
                        _ => row.notes.clone(),
                    };
                    let mut cells: Vec<String> = columns.iter().map(|c| value(c)).collect();
                    let bad = match &row.fault {
                        Fault::Cell(column, text) => match columns.iter().position(|c| c == column)
                        {
                            Some(at) => {
                                cells[at] = text.clone();
                                true
                            }
                            None => false,
                        },
                        // A row with nothing to know the contact by, only a city,
                        // an address, notes or tags (a company or a phone would
                        // name it).
                        Fault::Short => {
                            let free = ["city", "address", "notes", "tags"];
                            match columns.iter().position(|c| free.contains(c)) {
                                Some(at) => {
                                    let identifying = ["ref", "name", "email", "company", "phone"];
                                    for (cell, column) in cells.iter_mut().zip(&columns) {
                                        if identifying.contains(column) {
                                            cell.clear();
                                        }
                                    }
                                    cells[at] = "x".into();
                                    true
                                }
                                None => false,
                            }
                        }
                        Fault::None | Fault::YearZero => false,
                    };
                    let line = csv.record(&cells);
                    match (bad, &row.fault) {
                        (true, Fault::Cell("referred_by", _)) => store_bad_lines.push(line),
                        (true, _) => bad_lines.push(line),
                        (false, _) => {}
                    }
                }
                Written {
                    text: csv.text,
                    encoding,
                    bad_lines,
                    store_bad_lines,
                }
            },
        )
}

/// vCard text escaping (`\\`, `\,`, `\;`, `\n`).
fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\\' | ',' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

#[derive(Debug, Clone)]
pub(crate) struct CardCells {
    version: &'static str,
    name: String,
    notes: String,
    tags: Vec<&'static str>,
    birthday: &'static str,
    with_uid: bool,
    fault: u8,
}

fn card_cells() -> impl Strategy<Value = CardCells> {
    (
        select(&["2.1", "3.0", "4.0"][..]),
        name(),
        cell(),
        prop::collection::vec(select(&WORDS[..]), 0..3),
        select(&["", "1985-04-12", "19850412", "--0412", "1604-04-12"][..]),
        any::<bool>(),
        prop_oneof![20 => Just(0u8), 6 => 1u8..7],
    )
        .prop_map(
            |(version, name, notes, tags, birthday, with_uid, fault)| CardCells {
                version,
                name,
                notes,
                tags,
                birthday,
                with_uid,
                fault,
            },
        )
}

/// A `.vcf` of one to six cards, long lines folded.
pub(crate) fn vcard_file() -> impl Strategy<Value = Written> {
    (
        prop::collection::vec(card_cells(), 1..6),
        select(&["\n", "\r\n"][..]),
        encoding(),
    )
        .prop_map(|(cards, newline, encoding)| {
            let mut text = String::new();
            let mut bad_lines = Vec::new();
            let line_now = |text: &str| text.matches('\n').count() + 1;
            for (i, card) in cards.iter().enumerate() {
                let begin = line_now(&text);
                let mut lines: Vec<(String, bool)> = vec![
                    ("BEGIN:VCARD".into(), false),
                    (format!("VERSION:{}", card.version), false),
                ];
                let fault = card.fault;
                match fault {
                    1 => lines.push(("FN:=cmd|' /C calc'!A0".into(), false)),
                    5 => {}
                    _ => lines.push((format!("FN:{}", escape(&card.name)), false)),
                }
                if fault != 5 {
                    lines.push((format!("N:{};Given;;;", escape(&card.name)), false));
                    lines.push((format!("EMAIL;TYPE=INTERNET:v{i}@example.fi"), false));
                    if card.with_uid {
                        lines.push((format!("UID:V{i}"), false));
                    }
                }
                if fault == 2 {
                    lines.push(("EMAIL:not an email".into(), false));
                }
                // A card with no name, email or phone has nothing to know it by.
                if fault != 5 {
                    lines.push((format!("TEL;TYPE=CELL:+358 50 {i:07}"), false));
                }
                if !card.notes.is_empty() {
                    lines.push((format!("NOTE:{}", escape(&card.notes)), false));
                }
                if !card.tags.is_empty() {
                    lines.push((format!("CATEGORIES:{}", card.tags.join(",")), false));
                }
                match fault {
                    3 => lines.push(("BDAY:2023-02-29".into(), true)),
                    4 => lines.push(("X-KANTA-SOURCE:friends".into(), true)),
                    _ if !card.birthday.is_empty() => {
                        lines.push((format!("BDAY:{}", card.birthday), false))
                    }
                    _ => {}
                }
                if fault != 6 {
                    lines.push(("END:VCARD".into(), false));
                }
                if matches!(fault, 1 | 2 | 5 | 6) {
                    bad_lines.push(begin);
                }
                for (line, own_error) in lines {
                    if own_error {
                        bad_lines.push(line_now(&text));
                    }
                    text.push_str(&fold(&line, newline, card.version != "2.1"));
                    text.push_str(newline);
                }
            }
            Written {
                text,
                encoding,
                bad_lines,
                store_bad_lines: Vec::new(),
            }
        })
}

/// Folds a content line at 75 characters (3.0 and 4.0 only).
fn fold(line: &str, newline: &str, allowed: bool) -> String {
    if !allowed {
        return line.to_string();
    }
    let mut out = String::new();
    for (i, c) in line.chars().enumerate() {
        if i > 0 && i % 75 == 0 {
            out.push_str(newline);
            out.push(' ');
        }
        out.push(c);
    }
    out
}
