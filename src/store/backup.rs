//! Copies of the store, taken while it is in use (SQLite's online backup).

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::backup::Backup;

use super::{Store, StoreError};

/// Name of the daily backup of `date`.
fn daily_name(date: NaiveDate) -> String {
    format!("kanta-{}.db", date.format("%Y-%m-%d"))
}

/// True for the names `daily_backup` writes.
fn is_daily_name(name: &str) -> bool {
    name.strip_prefix("kanta-")
        .and_then(|rest| rest.strip_suffix(".db"))
        .is_some_and(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok())
}

impl Store {
    /// Writes a consistent copy of the store to `dest` (mode 0600), replacing
    /// it. The copy is written beside `dest` and renamed over it, so `dest` is
    /// never half-written.
    pub fn backup_to(&self, dest: &Path) -> Result<(), StoreError> {
        let io = |source| StoreError::Io {
            path: dest.to_path_buf(),
            source,
        };
        let file_name = dest.file_name().ok_or_else(|| {
            StoreError::Invalid(format!("backup: {} is not a file name", dest.display()))
        })?;
        let mut partial_name = file_name.to_os_string();
        partial_name.push(format!(".partial-{}", std::process::id()));
        let partial = dest.with_file_name(partial_name);
        let _ = std::fs::remove_file(&partial);
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options.open(&partial).map_err(io)?;
        let copied = (|| -> Result<(), StoreError> {
            let mut target = Connection::open(&partial)?;
            // All pages in one step: a copy restarted by every write of another
            // window might never finish.
            Backup::new(&self.conn, &mut target)?.run_to_completion(
                std::os::raw::c_int::MAX,
                Duration::ZERO,
                None,
            )?;
            // A copy that is one file, with no -wal beside it to lose.
            target.pragma_update(None, "journal_mode", "delete")?;
            target.close().map_err(|(_, e)| e)?;
            std::fs::File::open(&partial)
                .and_then(|f| f.sync_all())
                .map_err(io)?;
            std::fs::rename(&partial, dest).map_err(io)?;
            Ok(())
        })();
        if copied.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        copied
    }

    /// Today's backup in `dir` (`kanta-YYYY-MM-DD.db`), unless one was already
    /// taken today; then removes all but the newest `keep` (at least one).
    /// Returns the path written, or `None` when today's copy already existed.
    pub fn daily_backup(
        &self,
        dir: &Path,
        keep: usize,
        today: NaiveDate,
    ) -> Result<Option<PathBuf>, StoreError> {
        let io = |source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let path = dir.join(daily_name(today));
        let written = if path.exists() {
            None
        } else {
            self.backup_to(&path)?;
            Some(path)
        };
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| is_daily_name(name))
            .collect();
        // The date in the name sorts as text.
        names.sort_unstable_by(|a, b| b.cmp(a));
        for old in names.iter().skip(keep.max(1)) {
            std::fs::remove_file(dir.join(old)).map_err(io)?;
        }
        Ok(written)
    }
}
