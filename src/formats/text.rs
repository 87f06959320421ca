//! Text as spreadsheets write it: encodings, amounts of money, dates, yes/no.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};

use crate::domain::money::{self, AmountError};

/// Why an amount or a date could not be read. The text becomes the `reason` of a
/// row error, so it says what was wrong in the owner's terms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TextError {
    #[error("empty")]
    Empty,
    /// Amounts are read, and their errors worded, in one place.
    #[error(transparent)]
    Amount(#[from] AmountError),
    #[error("not a date: {0:?} (expected YYYY-MM-DD, D.M.YYYY or a timestamp)")]
    NotADate(String),
    #[error("no such day: {text:?} ({reason})")]
    NoSuchDay { text: String, reason: String },
    #[error("not yes/no: {0:?}")]
    NotABool(String),
    #[error("not a whole number: {0:?}")]
    NotAnInteger(String),
}

/// Decodes a file: UTF-8 with or without a BOM, else Windows-1252, which is what
/// a Finnish Excel saves ("Mäkinen" as one byte 0xE4); UTF-16 with its BOM.
/// Never fails: every byte sequence is some Windows-1252 text. Reads as
/// [`Decoded`] does, so a file decodes the same whole or streamed.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        return Cow::Borrowed(text);
    }
    let mut text = String::new();
    let mut decoded = Decoded::new(bytes);
    match std::io::Read::read_to_string(&mut decoded, &mut text) {
        Ok(_) => Cow::Owned(text),
        // Reading from a slice cannot fail, and the output is always UTF-8.
        Err(_) => Cow::Owned(String::from_utf8_lossy(body).into_owned()),
    }
}

/// How the bytes of a file are read as text, decided by its first bytes.
enum Encoding {
    /// Not decided yet: the first bytes have not been seen.
    Unknown,
    /// UTF-8, with any byte that is not UTF-8 read as Windows-1252.
    Utf8,
    /// UTF-16 (Excel's "Unicode text"), by its byte-order mark.
    Utf16(Box<encoding_rs::Decoder>),
}

/// The bytes of a file as UTF-8 text, read piece by piece, so a file of any
/// size is decoded in constant memory: UTF-8 with or without a BOM, Windows-1252
/// where the bytes are not UTF-8 (a Finnish Excel's "Mäkinen" with one byte
/// 0xE4), or UTF-16 with its BOM. A UTF-8 BOM is dropped.
pub(crate) struct Decoded<R> {
    inner: R,
    encoding: Encoding,
    /// Bytes read but not decoded yet: a UTF-8 sequence cut by a read.
    input: Vec<u8>,
    /// Decoded text not handed out yet, from `position` on.
    output: Vec<u8>,
    position: usize,
    at_end: bool,
}

/// Bytes read from the underlying file at a time.
const CHUNK: usize = 64 * 1024;

impl<R: std::io::Read> Decoded<R> {
    pub(crate) fn new(inner: R) -> Decoded<R> {
        Decoded {
            inner,
            encoding: Encoding::Unknown,
            input: Vec::with_capacity(CHUNK),
            output: Vec::with_capacity(CHUNK * 3),
            position: 0,
            at_end: false,
        }
    }

    /// Reads the next chunk and decodes what of it can be decoded.
    fn fill(&mut self) -> std::io::Result<()> {
        self.output.clear();
        self.position = 0;
        while self.output.is_empty() && !self.at_end {
            let start = self.input.len();
            self.input.resize(start + CHUNK, 0);
            let read = loop {
                match self.inner.read(&mut self.input[start..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.input.truncate(start);
                        return Err(e);
                    }
                }
            };
            self.input.truncate(start + read);
            self.at_end = read == 0;
            if matches!(self.encoding, Encoding::Unknown) {
                // A byte-order mark is two or three bytes; wait for them.
                if self.input.len() < 3 && !self.at_end {
                    continue;
                }
                self.encoding = self.sniff();
            }
            self.decode_input();
        }
        Ok(())
    }

    fn sniff(&mut self) -> Encoding {
        let utf16 = if self.input.starts_with(b"\xFF\xFE") {
            Some(encoding_rs::UTF_16LE)
        } else if self.input.starts_with(b"\xFE\xFF") {
            Some(encoding_rs::UTF_16BE)
        } else {
            None
        };
        if let Some(encoding) = utf16 {
            self.input.drain(..2);
            return Encoding::Utf16(Box::new(encoding.new_decoder_without_bom_handling()));
        }
        if self.input.starts_with(b"\xEF\xBB\xBF") {
            self.input.drain(..3);
        }
        Encoding::Utf8
    }

    fn decode_input(&mut self) {
        let at_end = self.at_end;
        match &mut self.encoding {
            Encoding::Unknown => {}
            Encoding::Utf8 => {
                let used = repair_utf8(&self.input, &mut self.output, at_end);
                self.input.drain(..used);
            }
            Encoding::Utf16(decoder) => {
                let mut read = 0;
                loop {
                    let room = decoder
                        .max_utf8_buffer_length(self.input.len() - read)
                        .unwrap_or(CHUNK * 3)
                        .max(16);
                    let start = self.output.len();
                    self.output.resize(start + room, 0);
                    let (result, used, written, _) = decoder.decode_to_utf8(
                        &self.input[read..],
                        &mut self.output[start..],
                        at_end,
                    );
                    self.output.truncate(start + written);
                    read += used;
                    if result == encoding_rs::CoderResult::InputEmpty {
                        break;
                    }
                }
                self.input.drain(..read);
            }
        }
    }
}

/// Appends `input` to `output` as UTF-8: valid sequences as they are, any
/// other byte as the Windows-1252 character it is. A sequence cut at the end
/// is left for the next call unless `at_end`. Returns the bytes used.
fn repair_utf8(input: &[u8], output: &mut Vec<u8>, at_end: bool) -> usize {
    let mut rest = input;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                output.extend_from_slice(valid.as_bytes());
                return input.len();
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                output.extend_from_slice(valid);
                let bad = match e.error_len() {
                    Some(n) => n,
                    None if at_end => after.len(),
                    None => return input.len() - after.len(),
                };
                let text = encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(&after[..bad])
                    .0;
                output.extend_from_slice(text.as_bytes());
                rest = &after[bad..];
            }
        }
    }
}

impl<R: std::io::Read> std::io::Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.position == self.output.len() {
            self.fill()?;
        }
        let available = &self.output[self.position..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.position += n;
        Ok(n)
    }
}

/// The reason a file holding NUL bytes is refused: it is no text at all (a
/// spreadsheet's binary format, an image, UTF-16 without its byte-order mark),
/// and would otherwise read as one garbled column and give a misleading error.
pub(crate) fn not_text(line: usize) -> super::RowError {
    super::RowError::new(
        line,
        "file",
        "not a text file (it holds NUL bytes); save it as CSV, UTF-8 or Windows-1252",
    )
}

/// Parses an amount of money to integer cents by the one rule of
/// [`money::parse_cents`], which the order form uses too.
pub(crate) fn parse_cents(text: &str) -> Result<i64, TextError> {
    money::parse_cents(text).map_err(|e| match e {
        AmountError::Empty => TextError::Empty,
        other => TextError::Amount(other),
    })
}

fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    u32::try_from((next - first).num_days()).ok()
}

/// A calendar date from its numbers, or a reason naming what is wrong with it.
fn calendar_date(text: &str, year: i32, month: u32, day: u32) -> Result<NaiveDate, TextError> {
    // The calendar has no year 0, and the store holds none.
    if year < 1 {
        return Err(TextError::NoSuchDay {
            text: text.to_string(),
            reason: "there is no year 0".into(),
        });
    }
    if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
        return Ok(date);
    }
    let reason = match days_in_month(year, month) {
        None => format!("there is no month {month}"),
        Some(days) => {
            let first = NaiveDate::from_ymd_opt(year, month, 1);
            let name = first
                .map(|d| d.format("%B %Y").to_string())
                .unwrap_or_default();
            format!("{name} has {days} days")
        }
    };
    Err(TextError::NoSuchDay {
        text: text.to_string(),
        reason,
    })
}

fn all_digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses `YYYY-MM-DD`, `D.M.YYYY`/`DD.MM.YYYY`, or a timestamp such as
/// `2026-03-14T10:22:00+02:00`, `2026-03-14 10:22:00 +0200` or
/// `2026-03-14T10:22:00.123Z`. A timestamp gives
/// its date as written: no time-zone conversion, because the shop's own day is
/// the day the owner means.
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, TextError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(TextError::Empty);
    }
    let not_date = || TextError::NotADate(text.to_string());
    // A Finnish spreadsheet may add a time after the date: "14.3.2026 10:22".
    // A timestamp's fractional seconds (`2024-03-05T14:22:01.123Z`) are not
    // the dots of that form: its fifth character is the `-` of an ISO date.
    let first = t.split_whitespace().next().unwrap_or("");
    if first.contains('.') && first.as_bytes().get(4) != Some(&b'-') {
        let parts: Vec<&str> = first.split('.').collect();
        let [d, m, y] = parts.as_slice() else {
            return Err(not_date());
        };
        if !(all_digits(d, 1, 2) && all_digits(m, 1, 2) && all_digits(y, 4, 4)) {
            return Err(not_date());
        }
        let (Ok(day), Ok(month), Ok(year)) = (d.parse(), m.parse(), y.parse()) else {
            return Err(not_date());
        };
        return calendar_date(first, year, month, day);
    }
    let (Some(date), Some(rest)) = (t.get(..10), t.get(10..)) else {
        return Err(not_date());
    };
    let b = date.as_bytes();
    let shape_ok = b[4] == b'-'
        && b[7] == b'-'
        && all_digits(&date[..4], 4, 4)
        && all_digits(&date[5..7], 2, 2)
        && all_digits(&date[8..], 2, 2);
    // After the date only a time may follow: 'T' or a space, then HH:MM.
    let time_ok = rest.is_empty() || {
        let time = rest
            .strip_prefix(['T', 't', ' '])
            .map(str::trim_start)
            .unwrap_or("");
        let tb = time.as_bytes();
        tb.len() >= 5 && tb[..2].iter().all(u8::is_ascii_digit) && tb[2] == b':'
    };
    if !(shape_ok && time_ok) {
        return Err(not_date());
    }
    let (Ok(year), Ok(month), Ok(day)) = (date[..4].parse(), date[5..7].parse(), date[8..].parse())
    else {
        return Err(not_date());
    };
    calendar_date(date, year, month, day)
}

/// Yes/no as owners type it; empty means no.
pub(crate) fn parse_bool(text: &str) -> Result<bool, TextError> {
    match text.trim().to_lowercase().as_str() {
        "" | "false" | "no" | "0" | "ei" | "n" => Ok(false),
        "true" | "yes" | "1" | "kyllä" | "kylla" | "y" => Ok(true),
        _ => Err(TextError::NotABool(text.to_string())),
    }
}

/// An optional whole number: empty is None.
pub(crate) fn parse_optional_integer(text: &str) -> Result<Option<i64>, TextError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| TextError::NotAnInteger(text.to_string()))
}

/// Used by the vCard reader for `BDAY:19850412` (ISO basic form).
pub(crate) fn parse_basic_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if !all_digits(t, 8, 8) {
        return None;
    }
    let (Ok(year), Ok(month), Ok(day)) = (t[..4].parse(), t[4..6].parse(), t[6..].parse()) else {
        return None;
    };
    NaiveDate::from_ymd_opt(year, month, day).filter(|d| d.year() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn decodes_utf8_with_and_without_bom_and_windows_1252() {
        assert_eq!(decode("Mäkinen".as_bytes()), "Mäkinen");
        assert_eq!(decode(b"\xEF\xBB\xBFM\xC3\xA4kinen"), "Mäkinen");
        assert_eq!(decode(b"M\xE4kinen \x80"), "Mäkinen €");
        // UTF-16 with its byte-order mark, both byte orders.
        assert_eq!(decode(b"\xFF\xFEM\x00\xE4\x00"), "Mä");
        assert_eq!(decode(b"\xFE\xFF\x00M\x00\xE4"), "Mä");
    }

    #[test]
    fn streamed_decoding_is_the_whole_file_decoding_at_every_cut() {
        use std::io::Read;
        /// Hands out its bytes a few at a time, as a pipe may.
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let files: [&[u8]; 5] = [
            "Mäkinen, €5 😀\n".as_bytes(),
            b"\xEF\xBB\xBFM\xC3\xA4kinen",
            b"M\xE4kinen \x80 \xC3",
            b"\xFF\xFEM\x00\xE4\x00\n\x00",
            b"\xFE\xFF\x00M\x00\xE4",
        ];
        for file in files {
            let whole = decode(file).into_owned();
            for step in 1..6 {
                let mut streamed = String::new();
                Decoded::new(Trickle(file, step))
                    .read_to_string(&mut streamed)
                    .unwrap();
                assert_eq!(streamed, whole, "{file:?} read {step} bytes at a time");
            }
        }
        // UTF-8 and Windows-1252 mixed: each byte as what it can be.
        assert_eq!(decode(b"\xC3\xA4 \xE4"), "ä ä");
    }

    // Every written form of an amount is tested where amounts are read,
    // `domain::money`; this wrapper only renames the error.

    #[test]
    fn bad_amounts_are_errors_not_guesses() {
        assert!(matches!(
            parse_cents("12.345"),
            Err(TextError::Amount(AmountError::TooManyDecimals(_)))
        ));
        assert!(matches!(
            parse_cents("1,234"),
            Err(TextError::Amount(AmountError::TooManyDecimals(_)))
        ));
        assert!(matches!(
            parse_cents("12 34,00"),
            Err(TextError::Amount(AmountError::BadGrouping(_)))
        ));
        assert!(matches!(
            parse_cents("1,23,45.00"),
            Err(TextError::Amount(AmountError::BadGrouping(_)))
        ));
        assert_eq!(parse_cents(""), Err(TextError::Empty));
        assert!(parse_cents("€").is_err());
        assert!(parse_cents("12.").is_err());
        assert!(matches!(
            parse_cents(".50"),
            Err(TextError::Amount(AmountError::NotAnAmount(_)))
        ));
        assert!(parse_cents("1e3").is_err());
        assert!(parse_cents("--5").is_err());
        assert!(parse_cents("ä12").is_err());
        assert!(matches!(
            parse_cents("99999999999999999999"),
            Err(TextError::Amount(AmountError::TooLarge(_)))
        ));
    }

    #[test]
    fn dates_in_all_written_forms() {
        let d = ymd(2026, 3, 14);
        for text in [
            "2026-03-14",
            "14.3.2026",
            "14.03.2026",
            "14.3.2026 10:22",
            "2026-03-14T10:22:00+02:00",
            "2026-03-14 10:22:00 +0200",
        ] {
            assert_eq!(parse_date(text), Ok(d), "{text}");
        }
        // Late evening UTC stays on the day written, not the next local day.
        assert_eq!(parse_date("2026-03-14T23:30:00Z"), Ok(d));
    }

    #[test]
    fn timestamps_with_fractional_seconds_give_their_date_as_written() {
        // kanta's own instants, JavaScript's toISOString, Stripe and Shopify.
        let d = ymd(2024, 3, 5);
        for text in [
            "2024-03-05T14:22:01.123Z",
            "2024-03-05T23:59:59.999999+02:00",
            "2024-03-05 14:22:01.5 -0500",
            "2024-03-05T00:00:00.000-08:00",
        ] {
            assert_eq!(parse_date(text), Ok(d), "{text}");
        }
        // The dotted Finnish form with a time still reads as before.
        assert_eq!(parse_date("5.3.2024 14.22"), Ok(d));
        assert!(matches!(
            parse_date("2024-3-05T14:22:01.1Z"),
            Err(TextError::NotADate(_))
        ));
    }

    #[test]
    fn invalid_dates_say_why() {
        let err = parse_date("2026-02-30").unwrap_err();
        assert_eq!(
            err.to_string(),
            "no such day: \"2026-02-30\" (February 2026 has 28 days)"
        );
        assert!(
            parse_date("30.2.2028")
                .unwrap_err()
                .to_string()
                .contains("29 days")
        );
        // Found by the property tests: year 0 passed here and was refused only
        // by the store, after the other bad rows had been named.
        assert_eq!(
            parse_date("0000-01-01").unwrap_err().to_string(),
            "no such day: \"0000-01-01\" (there is no year 0)"
        );
        assert!(parse_date("1.1.0000").is_err());
        assert!(
            parse_date("2026-13-01")
                .unwrap_err()
                .to_string()
                .contains("no month 13")
        );
        for bad in [
            "2026/03/14",
            "14.3.26",
            "2026-03-14x",
            "März",
            "2026-3-14",
            "1.2.3.4",
        ] {
            assert!(
                matches!(parse_date(bad), Err(TextError::NotADate(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn yes_no_and_integers() {
        assert_eq!(parse_bool("Kyllä"), Ok(true));
        assert_eq!(parse_bool(""), Ok(false));
        assert_eq!(parse_bool("ei"), Ok(false));
        assert!(parse_bool("maybe").is_err());
        assert_eq!(parse_optional_integer(" 3 "), Ok(Some(3)));
        assert_eq!(parse_optional_integer(""), Ok(None));
        assert!(parse_optional_integer("2.5").is_err());
        assert_eq!(parse_basic_date("19850412"), Some(ymd(1985, 4, 12)));
        assert_eq!(parse_basic_date("1985041"), None);
    }
}
