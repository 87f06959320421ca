//! Erasing a customer from the copies kanta made of a store: each of its
//! backups, rewritten with the store's own erasure, and the customer's exports,
//! deleted. Every other file in those folders that may hold personal data kanta
//! cannot tell is named.

use std::path::{Path, PathBuf};

use crate::domain::CustomerId;

use super::StoreError;
use super::copies::{
    any_backup_prefix, backup_date, backups_dir, export_of, exports_dir, is_part_of_store,
    legacy_export_stem, parse_date, private_file, store_prefix,
};
use super::schema::{APPLICATION_ID, LATEST_VERSION};

/// What an erasure did to the copies kanta made of the store, and the files it
/// cannot vouch for (one sentence each, naming the file).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CopiesSwept {
    /// Backups the customer was erased from.
    pub rewritten: Vec<PathBuf>,
    /// The customer's exports, deleted.
    pub deleted: Vec<PathBuf>,
    pub unvouched: Vec<String>,
}

/// Erases customer `id` (whose ref was `former_ref`) from every backup of the
/// store at `store_path` and deletes their exports. Every other file in those
/// two folders that may hold personal data kanta cannot tell is named in
/// `unvouched`; backups and exports of other stores in the folder are left be.
pub fn erase_from_copies(store_path: &Path, id: CustomerId, former_ref: &str) -> CopiesSwept {
    let prefix = store_prefix(store_path);
    let mut swept = CopiesSwept::default();
    let folder = store_path.parent().unwrap_or(Path::new("."));
    let store_exists = |other: &str| {
        ["", ".db"]
            .iter()
            .any(|ext| folder.join(format!("{other}{ext}")).is_file())
    };
    for (path, name) in entries(&backups_dir(store_path), &mut swept) {
        // A link back to the live store is no backup: the store is erased already.
        if is_part_of_store(store_path, &path) {
            continue;
        }
        if backup_date(&prefix, &name).is_some() {
            match erase_in_backup(&path, id) {
                Ok(true) => swept.rewritten.push(path),
                Ok(false) => {}
                Err(e) => swept.unvouched.push(format!(
                    "{}: a backup the customer could not be erased from ({})",
                    path.display(),
                    plain(e)
                )),
            }
            continue;
        }
        let unfinished = name
            .rsplit_once(".partial-")
            .map_or(name.as_str(), |(n, _)| n);
        match any_backup_prefix(unfinished) {
            // The name an older kanta gave the backups of every store.
            Some("kanta") if !store_exists("kanta") => swept.unvouched.push(format!(
                "{}: a backup by an older kanta, perhaps of this store; erase the customer there or delete it",
                path.display()
            )),
            // Another store's, finished or not.
            Some(other) if other != prefix => {}
            Some(_) => swept.unvouched.push(format!(
                "{}: a backup being written, or left unfinished by a stopped kanta; delete it when no backup is running",
                path.display()
            )),
            None => swept.unvouched.push(format!(
                "{}: not a backup kanta made; check it holds no personal data",
                path.display()
            )),
        }
    }
    let legacy = legacy_export_stem(former_ref);
    for (path, name) in entries(&exports_dir(store_path), &mut swept) {
        let of_legacy_name = name
            .strip_suffix(".json")
            .and_then(|n| n.strip_prefix(&legacy))
            .and_then(|n| n.strip_prefix('-'))
            .and_then(parse_date)
            .is_some();
        let theirs = match export_of(&name) {
            Some((p, of)) if p == prefix => of == id,
            Some(_) => continue,
            None => of_legacy_name,
        };
        if theirs {
            match std::fs::remove_file(&path) {
                Ok(()) => swept.deleted.push(path),
                Err(e) => swept.unvouched.push(format!(
                    "{}: an export of the customer that cannot be deleted ({e})",
                    path.display()
                )),
            }
        } else if export_of(&name).is_none() {
            swept.unvouched.push(format!(
                "{}: not an export kanta can vouch for; check it holds nothing of the customer",
                path.display()
            ));
        }
    }
    swept
}

/// The files of `dir` with their names; none when it does not exist.
fn entries(dir: &Path, swept: &mut CopiesSwept) -> Vec<(PathBuf, String)> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            swept
                .unvouched
                .push(format!("{}: cannot be read ({e})", dir.display()));
            return Vec::new();
        }
    };
    let mut found: Vec<(PathBuf, String)> = listing
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().to_string_lossy().into_owned();
            Some((entry.path(), name))
        })
        .collect();
    found.sort();
    found
}

/// What went wrong in a backup, without the store's advice to restore from one.
fn plain(e: StoreError) -> String {
    match e {
        StoreError::Damaged { detail, .. } => detail,
        other => other.to_string(),
    }
}

/// Erases customer `id` from one backup (a file of its own, never the live
/// store) with the store's own erasure, then VACUUMs it so no freed page keeps
/// the old content. Returns whether the backup held the customer.
fn erase_in_backup(path: &Path, id: CustomerId) -> Result<bool, StoreError> {
    use rusqlite::{Connection, OpenFlags};
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let application_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if application_id != APPLICATION_ID {
        return Err(StoreError::Invalid("it is not a kanta backup".into()));
    }
    if version != LATEST_VERSION {
        return Err(StoreError::Invalid(format!(
            "its schema version is {version}, this kanta erases from version {}",
            LATEST_VERSION
        )));
    }
    conn.pragma_update(None, "secure_delete", true)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    let tx = conn.transaction()?;
    let held: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1 AND erased = 0)",
        [id],
        |r| r.get(0),
    )?;
    if !held {
        return Ok(false);
    }
    super::erasure::erase_personal_data(&tx, id)?;
    tx.commit()?;
    conn.execute_batch("VACUUM")?;
    conn.close().map_err(|(_, e)| e)?;
    private_file(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(true)
}
