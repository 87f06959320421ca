//! Another program's write wakes the dashboard at once. The store's folder is
//! watched by the system (inotify, kqueue); a write to the store or its
//! journal wakes the event loop, which asks SQLite whether anything was
//! committed, as it does once a second without the watch. An idle store
//! sends nothing: the idle dashboard still wakes at most once a second.

use std::ffi::OsString;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;

use notify::{EventKind, RecursiveMode, Watcher};

/// What wakes the event loop.
pub(super) enum Wakeup {
    /// What the terminal sent, or why it could not be read.
    Terminal(std::io::Result<ratatui::crossterm::event::Event>),
    /// A write to the store's files, by this process or another.
    Store,
}

/// The watch on one store's files, for as long as it is held.
pub(super) struct Wake {
    /// Set by a write seen, cleared when the loop looks at the store: one
    /// signal until then, however many pages a long import writes.
    pending: Arc<AtomicBool>,
    /// `None` where the system would not watch (no inotify left, say): the
    /// loop then finds writes at its look once a second.
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Wake {
    pub(super) fn watch(store: &Path, wakeups: Sender<Wakeup>) -> Wake {
        let pending = Arc::new(AtomicBool::new(false));
        let watcher = start(store, Arc::clone(&pending), wakeups).ok();
        Wake {
            pending,
            _watcher: watcher,
        }
    }

    /// Whether a write was seen since the loop last looked.
    pub(super) fn pending(&self) -> bool {
        self.pending.load(Ordering::Acquire)
    }

    /// The loop looks now: a write from here on wakes it again.
    pub(super) fn clear(&self) {
        self.pending.store(false, Ordering::Release);
    }
}

/// The names a write to the store touches: the file and its write-ahead log.
fn watched_names(store: &Path) -> [OsString; 2] {
    let name = store.file_name().map(OsString::from).unwrap_or_default();
    let mut journal = name.clone();
    journal.push("-wal");
    [name, journal]
}

fn start(
    store: &Path,
    pending: Arc<AtomicBool>,
    wakeups: Sender<Wakeup>,
) -> notify::Result<notify::RecommendedWatcher> {
    // Where SQLite keeps the journal: beside the file a link points to.
    let store = &std::fs::canonicalize(store).unwrap_or_else(|_| store.to_path_buf());
    // The folder, not the files: the journal comes and goes with the
    // connections, and a store put in place by a rename is a new file.
    let folder = match store.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let names = watched_names(store);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if !matches!(event.kind, EventKind::Modify(_) | EventKind::Create(_)) {
            return;
        }
        let ours = event
            .paths
            .iter()
            .any(|p| p.file_name().is_some_and(|n| names.iter().any(|m| m == n)));
        if ours && !pending.swap(true, Ordering::AcqRel) {
            // The loop gone: the dashboard is closing, nobody to wake.
            let _ = wakeups.send(Wakeup::Store);
        }
    })?;
    watcher.watch(folder, RecursiveMode::NonRecursive)?;
    Ok(watcher)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn the_journal_and_the_store_are_watched_and_nothing_else() {
        let names = watched_names(Path::new("/data/kanta.db"));
        assert_eq!(names, [OsString::from("kanta.db"), "kanta.db-wal".into()]);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_write_by_another_connection_is_seen_once_until_looked_at() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kanta.db");
        let store = crate::store::Store::open_or_create(&path).unwrap();
        let (wakeups, woken) = std::sync::mpsc::channel();
        let wake = Wake::watch(&path, wakeups);
        assert!(wake._watcher.is_some());
        assert!(!wake.pending());
        std::fs::write(dir.path().join("notes.txt"), "not the store").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        assert!(!wake.pending(), "another file in the folder woke it");
        let mut other = crate::store::Store::open(&path).unwrap();
        other
            .connection_mut()
            .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        let start = Instant::now();
        while !wake.pending() && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(wake.pending(), "the write was not seen");
        assert!(matches!(woken.try_recv(), Ok(Wakeup::Store)));
        // Once until looked at, however many pages were written.
        std::thread::sleep(Duration::from_millis(100));
        assert!(woken.try_recv().is_err());
        wake.clear();
        assert!(!wake.pending());
        drop(store);
    }
}
