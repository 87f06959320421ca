//! Which store files this process holds open through SQLite, by file identity.
//!
//! POSIX drops every fcntl lock a process holds on a file as soon as any
//! descriptor of that file is closed, whoever opened it. A store file read
//! with `std::fs` while a connection of ours is open on it would drop that
//! connection's locks; another process closing its own connection then takes
//! itself for the last one and deletes the write-ahead log under us. So the
//! only reads of a store file outside SQLite (the header check at open) go
//! through [`Held::first_look`], which allows them only while no connection of
//! the process is open on that file. The same entry remembers whether the
//! file passed its check for damage, so that is done once per process.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// A file's identity: device and inode on Unix, so a symlink or another
/// spelling of the path is the same file and a file renamed over it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    /// The identity of the file at `path`, `None` when it does not exist.
    pub(crate) fn of(path: &Path) -> Option<FileId> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId {
                device: meta.dev(),
                inode: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            // Windows locks are per handle; only the path's identity matters.
            use std::hash::{Hash, Hasher};
            let _ = meta;
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            std::fs::canonicalize(path).ok()?.hash(&mut hasher);
            Some(FileId {
                device: 0,
                inode: hasher.finish(),
            })
        }
    }
}

/// Where the check for damage of one file stands in this process.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) enum Check {
    #[default]
    NotYet,
    /// A connection is running it; others wait for its answer.
    Running,
    Sound,
    /// What `quick_check` found.
    Damaged(String),
}

/// What the process knows of one store file.
#[derive(Debug, Default)]
struct Entry {
    /// Connections of ours open on it.
    open: usize,
    check: Check,
}

static FILES: Mutex<Option<HashMap<FileId, Entry>>> = Mutex::new(None);
/// Woken when a check finishes.
static CHECKED: Condvar = Condvar::new();

fn files() -> MutexGuard<'static, Option<HashMap<FileId, Entry>>> {
    // The map is consistent after any panic: every change is one statement.
    FILES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The table held while a store is being opened, so no other thread opens a
/// connection on the same file between the header check and the connection.
pub(crate) struct Opening {
    files: MutexGuard<'static, Option<HashMap<FileId, Entry>>>,
}

impl Opening {
    pub(crate) fn begin() -> Opening {
        Opening { files: files() }
    }

    /// True when no connection of the process is open on `file`: only then
    /// may it be read outside SQLite.
    pub(crate) fn first_look(&self, file: Option<FileId>) -> bool {
        file.is_none_or(|id| {
            self.files
                .as_ref()
                .and_then(|m| m.get(&id))
                .is_none_or(|e| e.open == 0)
        })
    }

    /// Counts a connection now open on `file`; dropping the [`Held`] uncounts it.
    pub(crate) fn hold(mut self, file: Option<FileId>) -> Held {
        if let Some(id) = file {
            self.files
                .get_or_insert_with(HashMap::new)
                .entry(id)
                .or_default()
                .open += 1;
        }
        Held { file }
    }
}

/// One connection of ours on a store file. Declared after the connection in
/// [`super::Store`], so it is dropped once the connection is closed.
#[derive(Debug)]
pub(crate) struct Held {
    file: Option<FileId>,
}

impl Held {
    /// A store in memory holds no file.
    pub(crate) fn nothing() -> Held {
        Held { file: None }
    }

    /// Where the check of this file stands; a store in memory is sound.
    pub(crate) fn check_state(&self) -> Check {
        let Some(id) = self.file else {
            return Check::Sound;
        };
        files()
            .as_ref()
            .and_then(|m| m.get(&id))
            .map_or(Check::NotYet, |e| e.check.clone())
    }

    /// The file's check, run once per process by `run` (`Ok(None)` sound,
    /// `Ok(Some(detail))` damaged): a thread that finds it running waits for
    /// its answer instead of reading every page a second time. An error of
    /// `run` itself (the store busy) leaves it to be tried again.
    pub(crate) fn check<E>(
        &self,
        run: impl FnOnce() -> Result<Option<String>, E>,
    ) -> Result<Check, E> {
        let Some(id) = self.file else {
            return Ok(Check::Sound);
        };
        let mut files = files();
        loop {
            let Some(entry) = files.as_mut().and_then(|m| m.get_mut(&id)) else {
                return Ok(Check::NotYet);
            };
            match &entry.check {
                Check::Running => {
                    files = CHECKED.wait(files).unwrap_or_else(PoisonError::into_inner);
                }
                Check::NotYet => {
                    entry.check = Check::Running;
                    break;
                }
                done => return Ok(done.clone()),
            }
        }
        drop(files);
        let outcome = run();
        let next = match &outcome {
            Ok(None) => Check::Sound,
            Ok(Some(detail)) => Check::Damaged(detail.clone()),
            Err(_) => Check::NotYet,
        };
        if let Some(entry) = self::files().as_mut().and_then(|m| m.get_mut(&id)) {
            entry.check = next.clone();
        }
        CHECKED.notify_all();
        outcome.map(|_| next)
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let Some(id) = self.file else { return };
        let mut files = files();
        if let Some(map) = files.as_mut()
            && let Some(entry) = map.get_mut(&id)
        {
            entry.open = entry.open.saturating_sub(1);
            if entry.open == 0 {
                // A file closed by every connection may be replaced or
                // damaged by others before we open it again: check anew.
                map.remove(&id);
            }
        }
    }
}
