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
use std::sync::{Mutex, MutexGuard, PoisonError};

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

/// What the process knows of one store file.
#[derive(Debug, Default)]
struct Entry {
    /// Connections of ours open on it.
    open: usize,
    /// The file passed `quick_check` on one of our connections.
    checked: bool,
}

static FILES: Mutex<Option<HashMap<FileId, Entry>>> = Mutex::new(None);

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

    pub(crate) fn is_checked(&self) -> bool {
        self.file.is_none_or(|id| {
            files()
                .as_ref()
                .and_then(|m| m.get(&id))
                .is_some_and(|e| e.checked)
        })
    }

    pub(crate) fn mark_checked(&self) {
        if let Some(id) = self.file
            && let Some(entry) = files().as_mut().and_then(|m| m.get_mut(&id))
        {
            entry.checked = true;
        }
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
