//! The files kanta writes beside a store: its backups (`backups/`) and the
//! per-customer exports (`exports/`). They are named after the store, so two
//! stores in one folder never replace, prune or erase each other's copies, and
//! every one of them is readable by its owner only (folders 0700, files 0600).
//!
//! Nothing here opens a file of a live store with `std::fs`: closing such a
//! descriptor would drop the process's SQLite locks on it. Files of the store
//! are only ever looked at with `stat`.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use thiserror::Error;

use crate::domain::CustomerId;

use super::{Store, StoreError};

/// A file kanta meant to write could not be written, or the store refused.
#[derive(Debug, Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl WriteError {
    pub(crate) fn write(path: &Path, source: std::io::Error) -> WriteError {
        WriteError::Write {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// What every copy of a store is named after: its file name without `.db`
/// (`kanta.db` gives `kanta`, so the names older versions gave the backups of
/// the default store are this store's names).
pub fn store_prefix(store_path: &Path) -> String {
    let name = store_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match name.strip_suffix(".db") {
        Some(stem) => stem.to_string(),
        None => name,
    }
}

fn beside(store_path: &Path, folder: &str) -> PathBuf {
    store_path.parent().unwrap_or(Path::new(".")).join(folder)
}

/// The `backups` folder beside the store.
pub fn backups_dir(store_path: &Path) -> PathBuf {
    beside(store_path, "backups")
}

/// The `exports` folder beside the store.
pub fn exports_dir(store_path: &Path) -> PathBuf {
    beside(store_path, "exports")
}

/// `<prefix>-YYYY-MM-DD.db`.
pub fn backup_name(prefix: &str, date: NaiveDate) -> String {
    format!("{prefix}-{}.db", date.format("%Y-%m-%d"))
}

/// The date of a backup of the store `prefix`, from its name.
pub fn backup_date(prefix: &str, name: &str) -> Option<NaiveDate> {
    let date = name
        .strip_prefix(prefix)?
        .strip_prefix('-')?
        .strip_suffix(".db")?;
    parse_date(date)
}

/// The prefix of a dated backup of any store (`X-YYYY-MM-DD.db`).
pub(super) fn any_backup_prefix(name: &str) -> Option<&str> {
    let rest = name.strip_suffix(".db")?;
    let (prefix, date) = rest.split_at_checked(rest.len().checked_sub(11)?)?;
    let date = date.strip_prefix('-')?;
    parse_date(date).map(|_| prefix)
}

pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    // Exactly `YYYY-MM-DD`: chrono alone would also take `2024-5-1`.
    (text.len() == 10)
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

/// `<prefix>-customer-<id>-YYYY-MM-DD.json`. Named by the customer's id, not
/// their ref: an import may have made the ref an email address, and a name in
/// a folder listing outlives an erasure of the file's content. The id is stable,
/// so an erasure finds every export of the customer even after the ref changed.
pub fn export_name(prefix: &str, id: CustomerId, date: NaiveDate) -> String {
    format!("{prefix}-customer-{id}-{}.json", date.format("%Y-%m-%d"))
}

/// The store prefix and customer id of an export's name.
pub(super) fn export_of(name: &str) -> Option<(&str, CustomerId)> {
    let rest = name.strip_suffix(".json")?;
    let (rest, date) = rest.split_at_checked(rest.len().checked_sub(11)?)?;
    parse_date(date.strip_prefix('-')?)?;
    let (prefix, id) = rest.rsplit_once("-customer-")?;
    let id: CustomerId = id.parse().ok().filter(|id: &CustomerId| *id > 0)?;
    Some((prefix, id))
}

/// The name the dashboard gave an export before exports were named by id: the
/// ref with every character but letters, digits, `-` and `_` made `_`.
pub(super) fn legacy_export_stem(reference: &str) -> String {
    reference
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Creates `dir` (and missing parents) readable by its owner only, or makes an
/// existing one so.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            if meta.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
            }
            Ok(())
        }
        Ok(_) => Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "a file of that name is in the way of the folder",
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir),
        Err(e) => Err(e),
    }
}

/// Makes a file kanta wrote readable by its owner only, if it is not already.
pub(super) fn private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if std::fs::metadata(path)?.permissions().mode() & 0o777 != 0o600 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// Where a file is written before it is renamed into place: beside it, named
/// after it and this process.
pub(crate) fn partial_path(path: &Path) -> std::io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is not a file name")
    })?;
    let mut partial = name.to_os_string();
    partial.push(format!(".partial-{}", std::process::id()));
    Ok(path.with_file_name(partial))
}

/// A link is written through: the file it points to is replaced, not the link.
pub(crate) fn through_links(path: &Path) -> PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// Creates an empty file, mode 0600, failing if one is there.
pub(crate) fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

/// Writes `bytes` to `path` (mode 0600) through a file beside it that is renamed
/// over it, so a full disk never leaves half a file; a failure removes the
/// partial file. `path` must not be a file of an open store.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let path = through_links(path);
    let partial = partial_path(&path)?;
    let _ = std::fs::remove_file(&partial);
    let written = create_private(&partial).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&partial, &path)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// The device and inode of what `path` names, links followed.
fn identity(path: &Path) -> Option<super::held::FileId> {
    super::held::FileId::of(path)
}

/// True when `candidate` is the store at `store_path` or one of its journal
/// files (`-wal`, `-shm`, `-journal`), by file identity, not by how the path is
/// spelled: through a link, a `..` or another hard link it is still the store.
/// A file not there yet is one of them when it would be created under one of
/// their names in the store's folder.
pub fn is_part_of_store(store_path: &Path, candidate: &Path) -> bool {
    let Some(store_name) = store_path.file_name() else {
        return false;
    };
    let names = ["", "-wal", "-shm", "-journal"].map(|suffix| {
        let mut name = store_name.to_os_string();
        name.push(suffix);
        name
    });
    let files = names.clone().map(|name| store_path.with_file_name(name));
    if let Some(id) = identity(candidate) {
        return files.iter().any(|file| identity(file) == Some(id));
    }
    let folder = |path: &Path| {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        identity(parent.unwrap_or(Path::new(".")))
    };
    let candidate = through_links(candidate);
    candidate
        .file_name()
        .is_some_and(|name| names.iter().any(|n| n == name))
        && folder(&candidate).is_some()
        && folder(&candidate) == folder(store_path)
}

/// True for a file that `kanta backup` may replace without `--force`: an empty
/// file, or a kanta database that is not a live store (kanta's backups are
/// rollback-journal files; a live store is in WAL mode).
///
/// Reads the 100-byte SQLite header with `std::fs`, which is safe because the
/// caller has made sure by [`is_part_of_store`] that it is not the open store;
/// SQLite itself is not asked, so nothing (a `-shm`) is created beside it.
pub fn is_replaceable_backup(path: &Path) -> bool {
    use std::io::Read;
    let Ok(meta) = std::fs::metadata(path) else {
        return true;
    };
    if !meta.is_file() {
        return false;
    }
    if meta.len() == 0 {
        return true;
    }
    let mut header = [0u8; 100];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut header));
    if read.is_err() || &header[..16] != b"SQLite format 3\0" {
        return false;
    }
    let application_id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    // Bytes 18 and 19 are 2 in WAL mode, 1 with a rollback journal.
    application_id == super::schema::APPLICATION_ID && header[18] == 1 && header[19] == 1
}

impl Store {
    /// Writes everything held about a customer ([`Store::export_customer`]) to
    /// `exports/<prefix>-customer-<id>-<date>.json` beside the store (folder
    /// 0700, file 0600), where `customer erase` finds it again.
    pub fn export_customer_to_file(
        &self,
        id: CustomerId,
        today: NaiveDate,
    ) -> Result<PathBuf, WriteError> {
        let text = customer_export_text(&self.export_customer(id)?);
        let dir = exports_dir(self.path());
        private_dir(&dir).map_err(|e| WriteError::write(&dir, e))?;
        let path = dir.join(export_name(&store_prefix(self.path()), id, today));
        write_private_file(&path, text.as_bytes()).map_err(|e| WriteError::write(&path, e))?;
        Ok(path)
    }
}

/// The text of a customer's export, as the dashboard and the command line write it.
pub fn customer_export_text(value: &serde_json::Value) -> String {
    // A `Value` always serialises.
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    format!("{}\n", crate::domain::terminal::json_terminal_safe(&text))
}

/// The Litestream configuration `kanta replicate init` writes for a store:
/// beside it, named after it.
pub fn replica_config(store: &Path) -> PathBuf {
    let mut name = store.file_name().unwrap_or_default().to_os_string();
    name.push(".litestream.yml");
    store.with_file_name(name)
}

/// Whether the store is replicated off the machine: kanta wrote a Litestream
/// configuration for it, or Litestream keeps its state beside it.
pub fn is_replicated(store: &Path) -> bool {
    let mut state = std::ffi::OsString::from(".");
    state.push(store.file_name().unwrap_or_default());
    state.push("-litestream");
    replica_config(store).exists() || store.with_file_name(state).is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 5, d).unwrap()
    }

    #[test]
    fn names_belong_to_one_store() {
        assert_eq!(store_prefix(Path::new("/x/kanta.db")), "kanta");
        assert_eq!(store_prefix(Path::new("shop.sqlite")), "shop.sqlite");
        assert_eq!(backup_name("shop", day(1)), "shop-2024-05-01.db");
        assert_eq!(backup_date("shop", "shop-2024-05-01.db"), Some(day(1)));
        assert_eq!(backup_date("shop", "shop-2-2024-05-01.db"), None);
        assert_eq!(backup_date("shop-2", "shop-2024-05-01.db"), None);
        assert_eq!(backup_date("shop", "shop-2024-5-1.db"), None);
        assert_eq!(any_backup_prefix("shop-2-2024-05-01.db"), Some("shop-2"));
        assert_eq!(any_backup_prefix("notes.db"), None);
    }

    #[test]
    fn export_names_carry_the_id_and_no_ref() {
        let name = export_name("kanta", 42, day(3));
        assert_eq!(name, "kanta-customer-42-2024-05-03.json");
        assert_eq!(export_of(&name), Some(("kanta", 42)));
        assert_eq!(
            export_of("a-customer-b-customer-7-2024-05-03.json"),
            Some(("a-customer-b", 7))
        );
        assert_eq!(export_of("anna_example_org-2024-05-03.json"), None);
        assert_eq!(legacy_export_stem("anna@example.org"), "anna_example_org");
    }
}
