//! Copies of the store, taken while it is in use (SQLite's online backup).
//!
//! A copy is taken only of a store that passes `PRAGMA quick_check`, and it
//! replaces an older one only after it passes `PRAGMA integrity_check` itself:
//! a damaged store never replaces or rotates out a good backup (SPEC section 9).

use std::os::raw::c_int;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::copies::{
    WriteError, backup_date, backup_name, create_private, partial_path, private_dir, store_prefix,
    through_links,
};
use super::{Store, StoreError};

/// Pages the daily backup copies at a time (a megabyte of 4 KiB pages), and
/// the pause after each, so that a big store does not take the disk and a core
/// from the windows in use while it is copied.
const STEP_PAGES: c_int = 256;
const STEP_PAUSE: Duration = Duration::from_millis(5);
/// Another connection's write restarts a copy taken in steps; after this many
/// restarts the rest is copied at once, so that a busy store is still copied.
const RESTARTS_BEFORE_ALL_AT_ONCE: u32 = 3;

/// How a copy is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pace {
    /// Every page in one step: `kanta backup`, which the user waits for.
    AllAtOnce,
    /// A few hundred pages at a time: the daily backup, in the background.
    InSteps,
}

impl Store {
    /// Writes a consistent copy of the store to `dest` (mode 0600), replacing
    /// it. The copy is written beside `dest` and renamed over it, so `dest` is
    /// never half-written. The caller makes sure `dest` is not the store.
    pub fn backup_to(&self, dest: &Path) -> Result<(), WriteError> {
        self.backup_paced(dest, Pace::AllAtOnce)
    }

    pub(crate) fn backup_paced(&self, dest: &Path, pace: Pace) -> Result<(), WriteError> {
        self.check_before_backup()?;
        let dest = through_links(dest);
        let write = |e| WriteError::write(&dest, e);
        let partial = partial_path(&dest).map_err(write)?;
        let _ = std::fs::remove_file(&partial);
        create_private(&partial).map_err(write)?;
        let copied = self.copy_into(&partial, &dest, pace);
        if copied.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        copied
    }

    /// The store is checked through its own connection, never by reading its
    /// file.
    fn check_before_backup(&self) -> Result<(), WriteError> {
        let check: String = self
            .conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(|e| self.damaged(e))?;
        if check != "ok" {
            return Err(self.damaged_by(check));
        }
        Ok(())
    }

    fn damaged_by(&self, detail: String) -> WriteError {
        WriteError::Store(StoreError::Damaged {
            path: self.path().to_path_buf(),
            detail,
        })
    }

    /// An error of a copy: the destination's own failures name it, a corrupt
    /// page names the store.
    fn damaged(&self, e: rusqlite::Error) -> WriteError {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match e.sqlite_error_code() {
            Some(DatabaseCorrupt | NotADatabase) => self.damaged_by(e.to_string()),
            _ => WriteError::Store(StoreError::Sqlite(e)),
        }
    }

    fn copy_into(&self, partial: &Path, dest: &Path, pace: Pace) -> Result<(), WriteError> {
        let write = |e| WriteError::write(dest, e);
        let to_dest = |e: rusqlite::Error| {
            use rusqlite::ErrorCode::{
                CannotOpen, DiskFull, PermissionDenied, ReadOnly, SystemIoFailure,
            };
            match e.sqlite_error_code() {
                Some(CannotOpen | DiskFull | PermissionDenied | ReadOnly | SystemIoFailure) => {
                    write(std::io::Error::other(e))
                }
                _ => self.damaged(e),
            }
        };
        let mut target = Connection::open(partial).map_err(to_dest)?;
        copy_pages(&self.conn, &mut target, pace).map_err(to_dest)?;
        // A copy that is one file, with no -wal beside it to lose.
        target
            .pragma_update(None, "journal_mode", "delete")
            .map_err(to_dest)?;
        let check: String = target
            .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
            .map_err(to_dest)?;
        if check != "ok" {
            return Err(self.damaged_by(check));
        }
        target.close().map_err(|(_, e)| to_dest(e))?;
        // The partial copy is a file of its own, no connection open on it.
        std::fs::File::open(partial)
            .and_then(|f| f.sync_all())
            .map_err(write)?;
        std::fs::rename(partial, dest).map_err(write)
    }

    /// Today's backup in `dir` (`<store>-YYYY-MM-DD.db`, the store's file name
    /// without `.db`), unless one was already taken today; then removes all but
    /// the newest `keep` (at least one) of this store's backups. Returns the
    /// path written, or `None` when today's copy already existed.
    pub fn daily_backup(
        &self,
        dir: &Path,
        keep: usize,
        today: NaiveDate,
    ) -> Result<Option<PathBuf>, WriteError> {
        private_dir(dir).map_err(|e| WriteError::write(dir, e))?;
        let prefix = store_prefix(self.path());
        let name = backup_name(&prefix, today);
        let path = dir.join(&name);
        let written = if path.exists() {
            None
        } else {
            self.backup_paced(&path, Pace::InSteps)?;
            Some(path)
        };
        rotate(dir, &prefix, &name, keep, today)?;
        Ok(written)
    }
}

/// Keeps the newest `keep` backups of the store `prefix` by the date in their
/// names, and always `todays`. A date after today was written while the clock
/// was set ahead: such a copy is older than it says, so it counts as older
/// than every copy with a true date.
fn rotate(
    dir: &Path,
    prefix: &str,
    todays: &str,
    keep: usize,
    today: NaiveDate,
) -> Result<(), WriteError> {
    let io = |e| WriteError::write(dir, e);
    let mut dated: Vec<(NaiveDate, String)> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            Some((backup_date(prefix, &name)?, name))
        })
        .collect();
    dated.sort_unstable_by(|(a, _), (b, _)| (*a > today).cmp(&(*b > today)).then(b.cmp(a)));
    for (_, old) in dated.iter().skip(keep.max(1)) {
        if old != todays {
            std::fs::remove_file(dir.join(old)).map_err(io)?;
        }
    }
    Ok(())
}

/// Copies every page of `source` into `target`; returns how many steps it took.
pub(crate) fn copy_pages(
    source: &Connection,
    target: &mut Connection,
    pace: Pace,
) -> rusqlite::Result<u32> {
    let backup = Backup::new(source, target)?;
    let mut steps = 0;
    let mut restarts = 0;
    let mut remaining = c_int::MAX;
    loop {
        let pages = if pace == Pace::AllAtOnce || restarts >= RESTARTS_BEFORE_ALL_AT_ONCE {
            -1
        } else {
            STEP_PAGES
        };
        steps += 1;
        match backup.step(pages)? {
            StepResult::Done => return Ok(steps),
            StepResult::More => {
                let now = backup.progress().remaining;
                if now >= remaining {
                    restarts += 1;
                }
                remaining = now;
            }
            // Busy, locked: try again after the pause.
            _ => {}
        }
        std::thread::sleep(STEP_PAUSE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daily_pace_copies_a_big_store_in_steps_while_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kanta.db");
        let store = Store::open_or_create(&path).unwrap();
        store
            .connection()
            .execute_batch(
                "CREATE TABLE filler(x BLOB);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
                 INSERT INTO filler SELECT randomblob(3000) FROM n;",
            )
            .unwrap();
        let mut target = Connection::open(dir.path().join("copy.db")).unwrap();
        let steps = copy_pages(store.connection(), &mut target, Pace::InSteps).unwrap();
        assert!(steps > 3, "{steps} steps");
        // Another window writing meanwhile restarts the copy; it still ends.
        let stop = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let writer = Store::open(&path).unwrap();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    writer
                        .connection()
                        .execute("INSERT INTO filler VALUES (randomblob(100))", [])
                        .unwrap();
                    std::thread::sleep(Duration::from_millis(2));
                }
            });
            let mut target = Connection::open(dir.path().join("busy.db")).unwrap();
            let copied = copy_pages(store.connection(), &mut target, Pace::InSteps);
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            assert!(copied.is_ok(), "{copied:?}");
        });
        let mut target = Connection::open(dir.path().join("once.db")).unwrap();
        assert_eq!(
            copy_pages(store.connection(), &mut target, Pace::AllAtOnce).unwrap(),
            1
        );
    }
}
