//! The dashboard's first frame kept in the store: the pyramid counts at the
//! next few as-of dates, as the last complete load of a window computed them,
//! with the change log's mark they hold at.
//!
//! A window that opens on a store nobody changed since finds its day's
//! counts here and draws them at once, at any size; reading every order for
//! them takes seconds at a million customers. Any change of a customer's
//! data after the mark (kanta's own, a script's through `sqlite3`, a large
//! import) moves the log past it, and the counts are then computed from the
//! orders again, as before. So are they under other pyramid settings or
//! another time zone, which change whose dates fall on which day.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

/// Customers per stage at a day and at the week before it, by stage index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptFrame {
    pub as_of: NaiveDate,
    pub now: [u32; 7],
    pub week_ago: [u32; 7],
}

/// The table, as version 8 of the schema creates it.
pub(crate) const TABLE: &str = r#"
CREATE TABLE pyramid_frames (
    as_of TEXT PRIMARY KEY,             -- YYYY-MM-DD
    mark INTEGER NOT NULL,              -- the change log's mark the counts hold at
    setting TEXT NOT NULL,              -- the pyramid's settings and time zone they were counted with
    now TEXT NOT NULL,                  -- customers per stage at as_of, comma-separated, by stage
    week_ago TEXT NOT NULL              -- the same at as_of - 7
);
"#;

/// The change log's mark, as both its last row and its sequence give it.
/// They differ only after someone deleted the log's last rows by hand; the
/// last row alone could then come back to a mark already seen.
const MARKS: &str = "SELECT (SELECT coalesce(max(seq), 0) FROM customer_changes),
    (SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'customer_changes')";

/// The mark when both agree.
pub(crate) fn agreed_mark(conn: &rusqlite::Connection) -> rusqlite::Result<Option<i64>> {
    let (last, sequence): (i64, i64) = conn.query_row(MARKS, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((last == sequence).then_some(last))
}

fn joined(counts: &[u32; 7]) -> String {
    counts.map(|c| c.to_string()).join(",")
}

fn parsed(text: &str) -> Option<[u32; 7]> {
    let mut counts = [0u32; 7];
    let mut parts = text.split(',');
    for count in &mut counts {
        *count = parts.next()?.parse().ok()?;
    }
    parts.next().is_none().then_some(counts)
}

impl Store {
    /// The pyramid counts at `as_of` kept under `setting` (what they were
    /// counted with beside the store), if nothing changed since.
    pub fn pyramid_frame(
        &self,
        as_of: NaiveDate,
        setting: &str,
    ) -> Result<Option<KeptFrame>, StoreError> {
        let _snapshot = self.snapshot()?;
        let kept: Option<(i64, String, String)> = self
            .conn
            .query_row(
                "SELECT mark, now, week_ago FROM pyramid_frames WHERE as_of = ?1 AND setting = ?2",
                params![as_of.format("%Y-%m-%d").to_string(), setting],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((mark, now, week_ago)) = kept else {
            return Ok(None);
        };
        if agreed_mark(&self.conn)? != Some(mark) {
            return Ok(None);
        }
        // A row a script wrote that reads as no counts is no frame.
        Ok(parsed(&now)
            .zip(parsed(&week_ago))
            .map(|(now, week_ago)| KeptFrame {
                as_of,
                now,
                week_ago,
            }))
    }

    /// Keeps `frames`, counted from the store as it was at the change log's
    /// mark `mark`, in place of those kept before; nothing when the store
    /// has changed since (they would not hold). Whether they were kept.
    pub fn save_pyramid_frames(
        &mut self,
        mark: i64,
        setting: &str,
        frames: &[KeptFrame],
    ) -> Result<bool, StoreError> {
        let tx = self.write()?;
        if agreed_mark(&tx)? != Some(mark) {
            return Ok(false);
        }
        tx.execute("DELETE FROM pyramid_frames", [])?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO pyramid_frames (as_of, mark, setting, now, week_ago)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for frame in frames {
                insert.execute(params![
                    frame.as_of.format("%Y-%m-%d").to_string(),
                    mark,
                    setting,
                    joined(&frame.now),
                    joined(&frame.week_ago)
                ])?;
            }
        }
        tx.commit()?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(as_of: NaiveDate, n: u32) -> KeptFrame {
        KeptFrame {
            as_of,
            now: [n, 1, 2, 3, 4, 5, 6],
            week_ago: [0, 0, 0, 0, 0, 0, n],
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
    }

    /// A kept frame is read back at its day and setting while the change
    /// log stands at its mark; at no other.
    #[test]
    fn a_frame_holds_at_its_day_setting_and_mark_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kanta.db");
        let mut store = Store::open_or_create(&path).unwrap();
        let mark = store.last_change().unwrap();
        assert!(
            store
                .save_pyramid_frames(mark, "s", &[frame(day(), 7)])
                .unwrap()
        );
        assert_eq!(
            store.pyramid_frame(day(), "s").unwrap(),
            Some(frame(day(), 7))
        );
        assert_eq!(store.pyramid_frame(day(), "t").unwrap(), None);
        assert_eq!(
            store.pyramid_frame(day().succ_opt().unwrap(), "s").unwrap(),
            None
        );
        // Saving again replaces every frame kept before.
        let later = day().succ_opt().unwrap();
        assert!(
            store
                .save_pyramid_frames(mark, "s", &[frame(later, 8)])
                .unwrap()
        );
        assert_eq!(store.pyramid_frame(day(), "s").unwrap(), None);
        assert_eq!(
            store.pyramid_frame(later, "s").unwrap(),
            Some(frame(later, 8))
        );
        // A row a script wrote that reads as no counts is none.
        let script = rusqlite::Connection::open(&path).unwrap();
        script
            .execute("UPDATE pyramid_frames SET now = '1,2,3'", [])
            .unwrap();
        assert_eq!(store.pyramid_frame(later, "s").unwrap(), None);
        script
            .execute("UPDATE pyramid_frames SET now = '1,2,3,4,5,6,7,8'", [])
            .unwrap();
        assert_eq!(store.pyramid_frame(later, "s").unwrap(), None);
    }

    /// A script's write moves the log past the frame's mark; so it does
    /// when the script then deletes the log's rows by hand, after which the
    /// last row's number alone would read as the mark again.
    #[test]
    fn a_write_makes_the_frames_stale_even_with_the_log_emptied() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kanta.db");
        let mut store = Store::open_or_create(&path).unwrap();
        let mark = store.last_change().unwrap();
        assert_eq!(mark, 0, "a new store has changed nobody");
        assert!(
            store
                .save_pyramid_frames(mark, "s", &[frame(day(), 1)])
                .unwrap()
        );
        let script = rusqlite::Connection::open(&path).unwrap();
        script
            .execute_batch(
                "INSERT INTO customers (ref, name) VALUES ('S-1', 'Scripted');
                 DELETE FROM customer_changes;",
            )
            .unwrap();
        assert_eq!(store.last_change().unwrap(), mark);
        assert_eq!(store.pyramid_frame(day(), "s").unwrap(), None);
        // Nor is a frame kept at a mark the store has left.
        assert!(
            !store
                .save_pyramid_frames(mark, "s", &[frame(day(), 1)])
                .unwrap()
        );
    }
}
