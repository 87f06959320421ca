//! Dates and instants as the store writes them, formatted on the stack.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// `YYYY-MM-DD` on the stack: a million orders should not mean a million
/// small heap strings.
#[derive(Clone, Copy)]
pub(super) struct Day([u8; 10]);

impl Day {
    pub(super) fn new(date: NaiveDate) -> Day {
        let mut buf = *b"0000-00-00";
        put_digits(&mut buf[0..4], date.year().clamp(0, 9999) as u32);
        put_digits(&mut buf[5..7], date.month());
        put_digits(&mut buf[8..10], date.day());
        Day(buf)
    }

    pub(super) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, the shape of the schema's own `created_at`
/// default, so stored instants sort as text.
#[derive(Clone, Copy)]
pub(super) struct Instant([u8; 24]);

impl Instant {
    pub(super) fn new(at: NaiveDateTime) -> Instant {
        let mut buf = *b"0000-00-00T00:00:00.000Z";
        buf[0..10].copy_from_slice(&Day::new(at.date()).0);
        put_digits(&mut buf[11..13], at.hour());
        put_digits(&mut buf[14..16], at.minute());
        put_digits(&mut buf[17..19], at.second());
        put_digits(&mut buf[20..23], (at.nanosecond() / 1_000_000).min(999));
        Instant(buf)
    }

    pub(super) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Writes `value` as decimal digits filling `out`, zero-padded on the left.
fn put_digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32, ms: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_milli_opt(h, min, s, ms)
            .unwrap()
    }

    #[test]
    fn dates_and_instants_are_written_like_the_schema_defaults() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        assert_eq!(Day::new(day).as_str(), "2026-03-07");
        assert_eq!(
            Instant::new(at(2025, 12, 31, 9, 5, 59, 42)).as_str(),
            "2025-12-31T09:05:59.042Z"
        );
    }
}
