//! Turning values into their stored text and back. Reading is defensive: the
//! store is also written by outside scripts, so a bad value is an error naming
//! the table, the row and the column, never a panic.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, Offset, SecondsFormat, TimeZone, Utc};
use rusqlite::Row;
use rusqlite::types::ValueRef;

use super::StoreError;

/// An instant as stored: RFC 3339 UTC with milliseconds, like SQLite's
/// `strftime('%Y-%m-%dT%H:%M:%fZ')`, so text order is time order.
pub(crate) fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn now_text() -> String {
    instant_text(Utc::now())
}

pub(crate) fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Parses `YYYY-MM-DD` by hand (the hot path of loading facts), falling back
/// to chrono for anything longer, such as a timestamp a script wrote.
pub(crate) fn parse_date(text: &[u8]) -> Option<NaiveDate> {
    if text.len() == 10 && text[4] == b'-' && text[7] == b'-' {
        let year = i32::try_from(number(&text[0..4])?).ok()?;
        return NaiveDate::from_ymd_opt(year, number(&text[5..7])?, number(&text[8..10])?);
    }
    None
}

/// The value of a run of ASCII digits.
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// The form kanta writes, `YYYY-MM-DDTHH:MM:SS.mmmZ`, parsed by hand.
fn parse_stored_instant(text: &[u8]) -> Option<DateTime<Utc>> {
    if text.len() != 24 || text[10] != b'T' || text[19] != b'.' || text[23] != b'Z' {
        return None;
    }
    if text[13] != b':' || text[16] != b':' {
        return None;
    }
    let time = chrono::NaiveTime::from_hms_milli_opt(
        number(&text[11..13])?,
        number(&text[14..16])?,
        number(&text[17..19])?,
        number(&text[20..23])?,
    )?;
    Some(parse_date(&text[..10])?.and_time(time).and_utc())
}

/// Parses a stored instant: RFC 3339, or the `YYYY-MM-DD HH:MM:SS` of SQLite's
/// `datetime('now')`, which is UTC.
pub(crate) fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    if let Some(at) = parse_stored_instant(text.as_bytes()) {
        return Some(at);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .map(|naive| naive.and_utc())
}

/// The local calendar date of an instant.
pub(crate) fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Local).date_naive()
}

/// Local calendar dates of many instants. Looking up the zone's offset is
/// slow, and offsets only change on a quarter hour, so each quarter hour is
/// looked up once.
pub(crate) struct LocalDates<Tz: TimeZone = Local> {
    zone: Tz,
    offsets: std::collections::HashMap<i64, i64>,
}

impl LocalDates {
    pub fn new() -> Self {
        LocalDates::in_zone(Local)
    }
}

impl<Tz: TimeZone> LocalDates<Tz> {
    pub fn in_zone(zone: Tz) -> Self {
        LocalDates {
            zone,
            offsets: std::collections::HashMap::new(),
        }
    }

    pub fn of(&mut self, at: DateTime<Utc>) -> NaiveDate {
        let quarter = at.timestamp().div_euclid(900);
        let zone = &self.zone;
        let offset = *self.offsets.entry(quarter).or_insert_with(|| {
            let offset = zone.offset_from_utc_datetime(&at.naive_utc()).fix();
            i64::from(offset.local_minus_utc())
        });
        at.naive_utc()
            .checked_add_signed(chrono::TimeDelta::seconds(offset))
            .map_or_else(|| at.date_naive(), |local| local.date())
    }
}

/// The UTC instant at which a local calendar date begins. A midnight skipped by
/// a clock change falls back to the date at UTC midnight, which is close enough
/// for choosing rows to look at (callers filter exactly afterwards).
pub(crate) fn local_day_start(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    Local
        .from_local_datetime(&midnight)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|| midnight.and_utc())
}

pub(crate) fn invalid(
    table: &str,
    id: i64,
    column: &str,
    detail: impl std::fmt::Display,
) -> StoreError {
    StoreError::Invalid(format!("{table} row {id}, column {column}: {detail}"))
}

/// One row being read, with the table and row id to name in errors.
pub(crate) struct Cols<'a, 'r> {
    row: &'a Row<'r>,
    table: &'static str,
    pub id: i64,
}

impl<'a, 'r> Cols<'a, 'r> {
    /// Wraps a row whose column `id_index` holds the row id.
    pub fn new(row: &'a Row<'r>, table: &'static str, id_index: usize) -> Result<Self, StoreError> {
        let id = match row.get_ref(id_index)? {
            ValueRef::Integer(id) => id,
            other => {
                return Err(StoreError::Invalid(format!(
                    "{table}: a row id is not an integer ({})",
                    other.data_type()
                )));
            }
        };
        Ok(Cols { row, table, id })
    }

    fn name(&self, index: usize) -> String {
        self.row
            .as_ref()
            .column_name(index)
            .map(str::to_string)
            .unwrap_or_else(|_| index.to_string())
    }

    fn bad(&self, index: usize, detail: impl std::fmt::Display) -> StoreError {
        invalid(self.table, self.id, &self.name(index), detail)
    }

    pub fn opt_i64(&self, index: usize) -> Result<Option<i64>, StoreError> {
        match self.row.get_ref(index)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(value) => Ok(Some(value)),
            other => Err(self.bad(
                index,
                format!("expected an integer, found {}", other.data_type()),
            )),
        }
    }

    pub fn i64(&self, index: usize) -> Result<i64, StoreError> {
        self.opt_i64(index)?
            .ok_or_else(|| self.bad(index, "expected an integer, found NULL"))
    }

    pub fn bool(&self, index: usize) -> Result<bool, StoreError> {
        Ok(self.opt_i64(index)?.unwrap_or(0) != 0)
    }

    pub fn opt_u32(&self, index: usize) -> Result<Option<u32>, StoreError> {
        self.opt_i64(index)?
            .map(|v| u32::try_from(v).map_err(|_| self.bad(index, format!("{v} is out of range"))))
            .transpose()
    }

    pub fn opt_text(&self, index: usize) -> Result<Option<String>, StoreError> {
        match self.row.get_ref(index)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(bytes) => std::str::from_utf8(bytes)
                .map(|s| Some(s.to_string()))
                .map_err(|_| self.bad(index, "text is not valid UTF-8")),
            ValueRef::Integer(value) => Ok(Some(value.to_string())),
            other => Err(self.bad(index, format!("expected text, found {}", other.data_type()))),
        }
    }

    pub fn text(&self, index: usize) -> Result<String, StoreError> {
        Ok(self.opt_text(index)?.unwrap_or_default())
    }

    pub fn opt_date(&self, index: usize) -> Result<Option<NaiveDate>, StoreError> {
        match self.opt_text(index)? {
            None => Ok(None),
            Some(text) => parse_date(text.as_bytes())
                .map(Some)
                .ok_or_else(|| self.bad(index, format!("{text:?} is not a date (YYYY-MM-DD)"))),
        }
    }

    pub fn date(&self, index: usize) -> Result<NaiveDate, StoreError> {
        self.opt_date(index)?
            .ok_or_else(|| self.bad(index, "expected a date, found NULL"))
    }

    pub fn opt_instant(&self, index: usize) -> Result<Option<DateTime<Utc>>, StoreError> {
        match self.opt_text(index)? {
            None => Ok(None),
            Some(text) => parse_instant(&text)
                .map(Some)
                .ok_or_else(|| self.bad(index, format!("{text:?} is not an RFC 3339 timestamp"))),
        }
    }

    pub fn instant(&self, index: usize) -> Result<DateTime<Utc>, StoreError> {
        self.opt_instant(index)?
            .ok_or_else(|| self.bad(index, "expected a timestamp, found NULL"))
    }

    /// A code column parsed by `parse`; `None` for NULL.
    pub fn opt_code<T>(
        &self,
        index: usize,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, StoreError> {
        match self.opt_text(index)? {
            None => Ok(None),
            Some(text) => parse(&text)
                .map(Some)
                .ok_or_else(|| self.bad(index, format!("unknown code {text:?}"))),
        }
    }

    pub fn code<T>(
        &self,
        index: usize,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<T, StoreError> {
        self.opt_code(index, parse)?
            .ok_or_else(|| self.bad(index, "expected a code, found NULL"))
    }
}

/// Text bounds that surely contain every instant of the local dates
/// `from..=to`, whatever the time zone; callers filter exactly afterwards.
pub(crate) fn rough_bounds(from: NaiveDate, to: NaiveDate) -> (String, String) {
    let start = local_day_start(from.checked_sub_days(chrono::Days::new(1)).unwrap_or(from));
    let end = local_day_start(to.checked_add_days(chrono::Days::new(2)).unwrap_or(to));
    (instant_text(start), instant_text(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_by_hand_and_refuse_nonsense() {
        assert_eq!(
            parse_date(b"2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(parse_date(b"2023-02-29"), None);
        assert_eq!(parse_date(b"2024-13-01"), None);
        assert_eq!(parse_date(b"2024-1-01x"), None);
        assert_eq!(parse_date(b"24-01-01"), None);
    }

    #[test]
    fn instants_round_trip_and_accept_sqlite_datetime() {
        let at = parse_instant("2024-03-01T10:20:30.456Z").unwrap();
        assert_eq!(instant_text(at), "2024-03-01T10:20:30.456Z");
        let plain = parse_instant("2024-03-01 10:20:30").unwrap();
        assert_eq!(instant_text(plain), "2024-03-01T10:20:30.000Z");
        assert_eq!(
            instant_text(parse_instant("2024-03-01T12:20:30+02:00").unwrap()),
            "2024-03-01T10:20:30.000Z"
        );
        assert!(parse_instant("yesterday").is_none());
        assert!(parse_instant("2024-03-01T25:20:30.456Z").is_none());
        let stored = parse_instant("2024-03-01T23:59:59.999Z").unwrap();
        assert_eq!(
            Some(stored),
            DateTime::parse_from_rfc3339("2024-03-01T23:59:59.999Z")
                .ok()
                .map(|d| d.with_timezone(&Utc))
        );
    }

    #[test]
    fn local_dates_agree_with_chrono_across_a_year() {
        let mut here = LocalDates::new();
        // Nepal's +05:45 moves the date change to a quarter past the hour.
        let nepal = chrono::FixedOffset::east_opt(5 * 3600 + 45 * 60).unwrap();
        let mut kathmandu = LocalDates::in_zone(nepal);
        let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 7, 0).unwrap();
        for step in 0..(366 * 24 * 4) {
            let at = start + chrono::TimeDelta::minutes(15 * step + step % 15);
            assert_eq!(here.of(at), local_date(at), "{at}");
            assert_eq!(
                kathmandu.of(at),
                at.with_timezone(&nepal).date_naive(),
                "{at}"
            );
        }
        let just_before = Utc.with_ymd_and_hms(2024, 3, 1, 18, 14, 59).unwrap();
        assert_eq!(
            kathmandu.of(just_before),
            NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()
        );
        assert_eq!(
            kathmandu.of(just_before + chrono::TimeDelta::seconds(1)),
            NaiveDate::from_ymd_opt(2024, 3, 2).unwrap()
        );
    }
}
