//! Generated and mutated import files for the property tests: valid files with
//! hostile text in their cells, rows a reader must refuse (whose lines are
//! known), and byte-level damage to the sample files and fixtures.
//!
//! Every run uses one fixed seed and a fixed number of cases, so a failure
//! reproduces exactly and CI never passes by luck.

use std::fmt::Debug;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestCaseError, TestRunner};

/// The seed of every property test; printed with each run.
pub(crate) const SEED: u64 = 461_196_129_377;

/// Runs `test` on `cases` values of `strategy`, from the fixed seed, and fails
/// with the shrunk input.
pub(crate) fn check<S>(
    name: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: Debug,
{
    eprintln!("{name}: {cases} cases, ChaCha seed {SEED}");
    let config = Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(SEED),
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..Config::default()
    };
    if let Err(e) = TestRunner::new(config).run(&strategy, test) {
        panic!("{name} (seed {SEED}): {e}");
    }
}

/// Pieces of cell text: names in several scripts, the grammar's own
/// characters, and what could drive a terminal (ESC sequences, C1 codes, bidi
/// overrides).
const PIECES: &[&str] = &[
    "Liisa",
    "Mäkinen",
    "Øystein",
    "Ελένη",
    "李小龍",
    "Zoë",
    "O'Brien",
    "🙂",
    " ",
    "  ",
    "\"",
    "\"\"",
    ",",
    ";",
    ":",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\\",
    "\\n",
    "=",
    "+",
    "-",
    "@",
    "€",
    "=0A",
    "\u{a0}",
    "\u{feff}",
    "\u{1b}[31m",
    "\u{1b}]0;title\u{7}",
    "\u{9b}2J",
    "\u{85}",
    "\u{202e}",
    "\u{2066}",
    "\u{200f}",
    "\u{7f}",
    "BEGIN:VCARD",
    "END:VCARD",
    "12",
    "3.5",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(PIECES).prop_map(String::from),
        1 => prop_oneof![
            proptest::char::range('\u{1}', '\u{1f}'),
            proptest::char::range('\u{7f}', '\u{9f}'),
            proptest::char::range('\u{202a}', '\u{202e}'),
            proptest::char::range('\u{2066}', '\u{2069}'),
            any::<char>().prop_filter("no NUL", |c| *c != '\0'),
        ]
        .prop_map(String::from),
    ]
}

/// Any cell text at all (never a NUL, which makes a file binary).
pub(crate) fn cell() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..5).prop_map(|p| p.concat())
}

/// Cell text that is a valid name: something left after trimming, and no
/// formula a spreadsheet would run.
pub(crate) fn name() -> impl Strategy<Value = String> {
    cell().prop_map(|c| {
        let t = c.trim();
        if t.is_empty() || super::csv_safe::formula_risk(t).is_some() {
            format!("N{c}")
        } else {
            c
        }
    })
}

/// A valid date as spreadsheets and shops write it, leap days included.
pub(crate) fn good_date() -> impl Strategy<Value = String> {
    let day = (1900i32..2100, 1u32..=12, 1u32..=31).prop_filter_map("a real day", |(y, m, d)| {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
    });
    let form = select(
        &[
            "%Y-%m-%d",
            "%-d.%-m.%Y",
            "%d.%m.%Y",
            "%Y-%m-%dT%H:%M:%S%:z",
            "%Y-%m-%d %H:%M:%S.%3f",
            "%Y-%m-%d %H:%M:%S %z",
            "%-d.%-m.%Y %H:%M",
        ][..],
    );
    prop_oneof![
        (day, form).prop_map(|(d, f)| {
            d.and_hms_opt(23, 30, 0)
                .map(|t| t.and_utc().format(f).to_string())
                .unwrap_or_default()
        }),
        select(&["2024-02-29", "29.2.2024", "2000-02-29"][..]).prop_map(String::from),
    ]
}

/// An amount in one of the written forms, up to the largest kanta takes.
pub(crate) fn good_amount() -> impl Strategy<Value = String> {
    let max = crate::domain::money::MAX_AMOUNT_CENTS;
    let cents = prop_oneof![-100_000i64..1_000_000, -max..=max];
    (cents, 0usize..8).prop_map(|(c, form)| {
        let (sign, units, fraction) = (if c < 0 { "-" } else { "" }, c.abs() / 100, c.abs() % 100);
        let grouped = |sep: &str| {
            let digits = units.to_string();
            let mut out = String::new();
            for (i, d) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    out.push_str(sep);
                }
                out.push(d);
            }
            out
        };
        match form {
            0 => format!("{sign}{units}.{fraction:02}"),
            1 => format!("{sign}{units},{fraction:02}"),
            2 => format!("{sign}{},{fraction:02}", grouped(" ")),
            3 => format!("{sign}{}.{fraction:02}", grouped(",")),
            4 => format!("{sign}€{units}.{fraction:02}"),
            5 => format!("{sign}{},{fraction:02} €", grouped("\u{a0}")),
            6 => format!("EUR {sign}{units}.{fraction:02}"),
            _ => format!("{sign}{units}"),
        }
    })
}

/// A date no calendar has, or text that is no date.
pub(crate) fn bad_date() -> impl Strategy<Value = String> {
    select(
        &[
            "2023-02-29",
            "2024-02-30",
            "31.4.2026",
            "2026-13-01",
            "2026-00-10",
            "29.2.2023",
            "März",
            "2026/03/14",
            "14.3.26",
            "2026-03-14x",
        ][..],
    )
    .prop_map(String::from)
}

pub(crate) fn bad_amount() -> impl Strategy<Value = String> {
    select(
        &[
            "12.345",
            "1,234",
            "abc",
            ".50",
            "12 34,00",
            "99999999999999999999",
            "1000000000.01",
            "-1000000000.01",
            "1e3",
            "--5",
        ][..],
    )
    .prop_map(String::from)
}

/// A formula a spreadsheet would run.
pub(crate) fn formula() -> impl Strategy<Value = String> {
    (
        select(&["=HYPERLINK(\"http://x\")", "@SUM(A1)", "+A1", "-x", "=1+1"][..]),
        cell(),
    )
        .prop_map(|(f, c)| format!("{f}{c}"))
}

/// A file as the tests write it: its text, how it is encoded, and the lines of
/// the rows it holds that a reader must refuse.
#[derive(Debug, Clone)]
pub(crate) struct Written {
    pub(crate) text: String,
    pub(crate) encoding: Encoding,
    pub(crate) bad_lines: Vec<usize>,
    /// Lines bad in a way only the store can judge (a referrer it does not
    /// know), named when every row parsed.
    pub(crate) store_bad_lines: Vec<usize>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

pub(crate) fn encoding() -> impl Strategy<Value = Encoding> {
    select(
        &[
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
            Encoding::Windows1252,
        ][..],
    )
}

impl Written {
    /// The file's bytes. Windows-1252 only where it holds the text and reads
    /// back as the same text (not mistaken for UTF-8).
    pub(crate) fn bytes(&self) -> Vec<u8> {
        let utf8 = || self.text.as_bytes().to_vec();
        match self.encoding {
            Encoding::Utf8 => utf8(),
            Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), self.text.as_bytes()].concat(),
            Encoding::Utf16Le => {
                let mut out = vec![0xFF, 0xFE];
                out.extend(self.text.encode_utf16().flat_map(u16::to_le_bytes));
                out
            }
            Encoding::Utf16Be => {
                let mut out = vec![0xFE, 0xFF];
                out.extend(self.text.encode_utf16().flat_map(u16::to_be_bytes));
                out
            }
            Encoding::Windows1252 => {
                let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&self.text);
                if unmappable || super::text::decode(&bytes) != self.text {
                    utf8()
                } else {
                    bytes.into_owned()
                }
            }
        }
    }
}

/// Builds a CSV file record by record, knowing the line each record starts on.
pub(crate) struct CsvWriter {
    pub(crate) text: String,
    pub(crate) delimiter: char,
    pub(crate) newline: &'static str,
}

impl CsvWriter {
    /// Writes one record and returns the 1-based line it starts on.
    pub(crate) fn record(&mut self, cells: &[String]) -> usize {
        let line = self.text.matches('\n').count() + 1;
        let quoted: Vec<String> = cells.iter().map(|c| self.quote(c)).collect();
        self.text
            .push_str(&quoted.join(&self.delimiter.to_string()));
        self.text.push_str(self.newline);
        line
    }

    pub(crate) fn blank_lines(&mut self, count: usize) {
        for _ in 0..count {
            self.text.push_str(self.newline);
        }
    }

    fn quote(&self, cell: &str) -> String {
        let needs = cell.contains([self.delimiter, '"', '\n', '\r'])
            || cell.starts_with(char::is_whitespace)
            || cell.ends_with(char::is_whitespace);
        if needs {
            format!("\"{}\"", cell.replace('"', "\"\""))
        } else {
            cell.to_string()
        }
    }
}

/// The sample files and fixtures the mutations start from.
pub(crate) const SAMPLES: [&[u8]; 10] = [
    include_bytes!("../../assets/samples/orders.csv"),
    include_bytes!("../../assets/samples/orders_fi.csv"),
    include_bytes!("../../assets/samples/contacts.csv"),
    include_bytes!("../../assets/samples/contacts.vcf"),
    include_bytes!("../../tests/fixtures/formats/shopify_orders.csv"),
    include_bytes!("../../tests/fixtures/formats/contacts_formula.csv"),
    include_bytes!("../../tests/fixtures/formats/android.vcf"),
    include_bytes!("../../tests/fixtures/formats/google.vcf"),
    include_bytes!("../../tests/fixtures/formats/iphone.vcf"),
    include_bytes!("../../tests/fixtures/formats/truncated.vcf"),
];

/// One kind of damage, at a position given as a fraction of the file.
#[derive(Debug, Clone)]
pub(crate) enum Mutation {
    FlipBit { at: f64, bit: u8 },
    SetByte { at: f64, byte: u8 },
    Insert { at: f64, bytes: Vec<u8> },
    Truncate { at: f64 },
    DuplicateLine { at: f64 },
    DeleteLine { at: f64 },
    PrependBom(Vec<u8>),
}

/// Bytes that matter to the grammars, break UTF-8, or drive a terminal.
const NASTY: &[&[u8]] = &[
    b"\0",
    b"\xFF",
    b"\xC3",
    b"\xE2\x80",
    b"\x80",
    b"\x1b[2J",
    b"\xC2\x9B",
    b"\xE2\x80\xAE",
    b"\"",
    b",",
    b";",
    b"\n",
    b"\r",
    b"=",
    b":",
    b"\\",
    b"=\r\n",
    b"\xEF\xBB\xBF",
    b"\n\n",
];

const BOMS: &[&[u8]] = &[b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF"];

pub(crate) fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0f64..1.0;
    prop_oneof![
        (at.clone(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        (at.clone(), any::<u8>()).prop_map(|(at, byte)| Mutation::SetByte { at, byte }),
        (at.clone(), select(NASTY)).prop_map(|(at, b)| Mutation::Insert {
            at,
            bytes: b.to_vec()
        }),
        at.clone().prop_map(|at| Mutation::Truncate { at }),
        at.clone().prop_map(|at| Mutation::DuplicateLine { at }),
        at.prop_map(|at| Mutation::DeleteLine { at }),
        select(BOMS).prop_map(|b| Mutation::PrependBom(b.to_vec())),
    ]
}

fn position(len: usize, at: f64) -> usize {
    ((len as f64 * at) as usize).min(len)
}

/// The line (start, end including its `\n`) holding byte `at`.
fn line_around(bytes: &[u8], at: usize) -> (usize, usize) {
    let start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i + 1);
    (start, end)
}

pub(crate) fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let len = bytes.len();
    match mutation {
        Mutation::FlipBit { at, bit } if len > 0 => {
            let i = position(len - 1, *at);
            bytes[i] ^= 1 << bit;
        }
        Mutation::SetByte { at, byte } if len > 0 => {
            let i = position(len - 1, *at);
            bytes[i] = *byte;
        }
        Mutation::Insert { at, bytes: b } => {
            let i = position(len, *at);
            bytes.splice(i..i, b.iter().copied());
        }
        Mutation::Truncate { at } => bytes.truncate(position(len, *at)),
        Mutation::DuplicateLine { at } => {
            let (start, end) = line_around(bytes, position(len, *at));
            let line = bytes[start..end].to_vec();
            bytes.splice(end..end, line);
        }
        Mutation::DeleteLine { at } => {
            let (start, end) = line_around(bytes, position(len, *at));
            bytes.drain(start..end);
        }
        Mutation::PrependBom(bom) => {
            bytes.splice(0..0, bom.iter().copied());
        }
        _ => {}
    }
}

/// A sample file with one to six kinds of damage.
pub(crate) fn mutated_sample() -> impl Strategy<Value = (usize, Vec<Mutation>)> {
    (0..SAMPLES.len(), prop::collection::vec(mutation(), 1..7))
}

pub(crate) fn mutated_bytes(sample: usize, mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = SAMPLES[sample].to_vec();
    for m in mutations {
        apply(&mut bytes, m);
    }
    bytes
}

/// Characters no message may show raw: C0 controls, DEL, C1 controls and the
/// bidi embeddings, overrides and isolates.
pub(crate) fn is_raw_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The number of lines of a file as its readers count them.
pub(crate) fn line_count(bytes: &[u8]) -> usize {
    super::text::decode(bytes).split('\n').count()
}

/// Every problem names a line within the file and a column; no message holds
/// a raw control character.
pub(crate) fn well_formed(bytes: &[u8], errors: &super::ParseErrors) -> Result<(), TestCaseError> {
    let lines = line_count(bytes);
    prop_assert!(!errors.errors.is_empty(), "an error without problems");
    for e in &errors.errors {
        prop_assert!(
            (1..=lines).contains(&e.line),
            "line {} outside 1..={lines}: {e:?}",
            e.line
        );
        prop_assert!(!e.column.trim().is_empty(), "no column: {e:?}");
    }
    let shown = errors.display_with_file("file.csv");
    prop_assert!(
        !shown.split('\n').any(|l| l.chars().any(is_raw_control)),
        "raw control character in {shown:?}"
    );
    prop_assert!(shown.lines().all(|l| l.starts_with("file.csv:")));
    Ok(())
}
