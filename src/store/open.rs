//! Opening, creating and migrating a store.

use std::fs::OpenOptions;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use thiserror::Error;

use super::held::{Check, FileId, Held, Opening};
use super::schema::{APPLICATION_ID, LATEST_VERSION, MIGRATIONS, migrate_data};

/// How long a writer waits for another kanta (or a script) to finish its write.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The config's default for `default_country`.
const DEFAULT_COUNTRY: &str = "FI";

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{path} is not a kanta store (it is not an SQLite database)")]
    NotSqlite { path: PathBuf },
    #[error("{path} is an SQLite database of another program, not a kanta store")]
    Foreign { path: PathBuf },
    #[error(
        "{path} was written by a newer kanta (schema version {found}, this kanta knows up to {known}); upgrade kanta to open it"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{path} is damaged ({detail}); restore it from a backup")]
    Damaged { path: PathBuf, detail: String },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the store {path} does not exist (create one with `kanta demo` or an import)")]
    Missing { path: PathBuf },
    #[error("{0}")]
    Invalid(String),
    /// A value the store's rules refuse, said by kind so each face words it.
    #[error("{0}")]
    Refused(Refusal),
    #[error("the store is busy: another program is writing to it; try again in a moment")]
    Busy,
    #[error("{} was changed in another window since this form opened", current.name)]
    ChangedElsewhere {
        /// The customer as the store holds them now.
        current: Box<crate::domain::Customer>,
    },
    #[error("there is no {what} with id {id}")]
    NotFound { what: Record, id: i64 },
    #[error(
        "{path} is on a network filesystem ({fstype}): SQLite's locks do not work between machines, so two computers writing it would corrupt it; keep the store on a local disk of one host and let each person reach kanta there (by SSH, one terminal each)"
    )]
    NetworkFilesystem { path: PathBuf, fstype: String },
    #[error("kanta cannot write to {path} ({why}); choose a --db on a writable disk")]
    ReadOnly { path: PathBuf, why: String },
    #[error("store error: {0}")]
    Sqlite(rusqlite::Error),
}

/// What kind of record a [`StoreError::NotFound`] looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    Customer,
    Order,
    Interaction,
    FollowUp,
}

impl std::fmt::Display for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Record::Customer => "customer",
            Record::Order => "order",
            Record::Interaction => "interaction",
            Record::FollowUp => "follow-up",
        })
    }
}

/// A customer or a merge the store's rules refuse: the same rules as an
/// import's, checked again where the write happens.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Refusal {
    #[error("name: must not be blank")]
    NameBlank,
    #[error("email: {0}")]
    Email(crate::domain::email::NotAnEmail),
    #[error("phone: {0}")]
    Phone(crate::domain::phone::PhoneError),
    #[error("contact every: must be at least 1 day")]
    CadenceZero,
    #[error("referred by: a customer cannot refer themselves")]
    RefersThemselves,
    #[error("ref: {reference:?} is already used by customer {holder}")]
    RefTaken { reference: String, holder: i64 },
    #[error("referred by: there is no customer with id {0}")]
    NoSuchReferrer(i64),
    #[error("merge: a customer cannot be merged into themselves")]
    MergeIntoThemselves,
}

impl From<rusqlite::Error> for StoreError {
    /// A query that runs into a damaged page says so in the product's words.
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                StoreError::Damaged {
                    path: PathBuf::from("the store"),
                    detail: e.to_string(),
                }
            }
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    /// True for errors the user caused (bad file, bad value): exit code 2.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, StoreError::Sqlite(_) | StoreError::Io { .. })
    }
}

/// An open kanta store.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    /// ISO 3166 country of phone numbers written without a country code.
    pub(crate) default_country: String,
    /// Who is writing: recorded with every contact, follow-up action, order
    /// entered by hand and customer edit.
    pub(crate) user: String,
    /// Counts this connection as open on the file; after `conn`, so it is
    /// dropped once the connection has closed.
    pub(crate) held: Held,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens the store at `path`, creating it (mode 0600) when it does not exist.
    pub fn open_or_create(path: &Path) -> Result<Store, StoreError> {
        Self::open_inner(path, true, DEFAULT_COUNTRY)
    }

    /// Opens an existing store; a missing file is an error.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::open_inner(path, false, DEFAULT_COUNTRY)
    }

    /// As [`Store::open_or_create`] (`create`) or [`Store::open`], with the
    /// config's `default_country` from the start: a migration reads the
    /// stored phones in it.
    pub fn open_in_country(path: &Path, create: bool, country: &str) -> Result<Store, StoreError> {
        Self::open_inner(path, create, country.trim())
    }

    /// A fresh store in memory, for tests.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        let path = PathBuf::from(":memory:");
        configure(&conn)?;
        let mut store = Store {
            conn,
            path,
            default_country: DEFAULT_COUNTRY.to_string(),
            user: os_user(),
            held: Held::nothing(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Sets the country (ISO 3166 alpha-2, the config's `default_country`) of
    /// phone numbers written without a country code.
    pub fn set_default_country(&mut self, country: &str) {
        self.default_country = country.trim().to_string();
    }

    /// Sets who is writing (the config's `user`; blank keeps the OS user name).
    pub fn set_user(&mut self, user: &str) {
        let user = user.trim();
        if !user.is_empty() {
            self.user = user.to_string();
        }
    }

    /// Who is writing.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The country national phone numbers are read in.
    pub fn default_country(&self) -> &str {
        &self.default_country
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for the store's own modules and tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    fn open_inner(path: &Path, create: bool, country: &str) -> Result<Store, StoreError> {
        // Held until the connection is counted: no other thread opens the
        // same file between the look at its header and the connection.
        super::place::check_place(path)?;
        let opening = Opening::begin();
        let exists = path.exists();
        if !exists && !create {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let mut look = Look::default();
        if !exists {
            create_private_file(path)?;
        } else if opening.first_look(FileId::of(path)) {
            look = check_header(path)?;
        }
        inspect(path, look)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| damaged(path, e))?;
        let held = opening.hold(FileId::of(path));
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "journal_mode", "wal")
            .map_err(|e| damaged(path, e))?;
        // NORMAL is durable in WAL mode against process crashes (kill -9);
        // only a power loss can drop the last transactions.
        conn.pragma_update(None, "synchronous", "normal")?;
        configure(&conn)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            default_country: country.to_string(),
            user: os_user(),
            held,
        };
        store.migrate()?;
        Ok(store)
    }

    /// Migrates forward from `user_version` to the latest, one step at a time,
    /// inside one immediate transaction.
    fn migrate(&mut self) -> Result<(), StoreError> {
        // Opening an up-to-date store writes nothing (a write would wake every
        // other window watching `data_version`).
        let current: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current == LATEST_VERSION {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > LATEST_VERSION {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                known: LATEST_VERSION,
            });
        }
        for (step, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)?;
            migrate_data(&tx, step as i64 + 1, &self.default_country)?;
            tx.pragma_update(None, "user_version", step as i64 + 1)?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()?;
        Ok(())
    }

    /// Starts a write transaction. Immediate, so a second writer waits for the
    /// busy timeout at the start instead of failing when it upgrades a read.
    ///
    /// The first write of the process to a file waits for its check for
    /// damage: a damaged store is never written to.
    pub(crate) fn write(&mut self) -> Result<Transaction<'_>, StoreError> {
        self.check_sound()?;
        self.begin_write()
    }

    /// [`Store::write`] without the check for damage, for a write whose
    /// caller knows the store was checked ([`Store::ring`]).
    pub(crate) fn begin_write(&mut self) -> Result<Transaction<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The change log is kept short as it is written; this finds nothing
        // to delete in one look-up of the last row most of the time.
        Store::prune_changes(&tx)?;
        Ok(tx)
    }

    /// A read transaction, so that several queries see one state of the store
    /// even while another program writes. `None` inside a transaction already
    /// open. Dropping it ends it.
    pub(crate) fn snapshot(&self) -> Result<Option<Transaction<'_>>, StoreError> {
        if self.conn.is_autocommit() {
            Ok(Some(self.conn.unchecked_transaction()?))
        } else {
            Ok(None)
        }
    }

    /// Refuses a damaged store: `PRAGMA quick_check` once per file and process
    /// (it reads every page: 1.6 s at 100,000 customers, so it is not done at
    /// every open). A second thread asking while it runs waits for its answer.
    /// The dashboard runs it in the background as soon as it is open; backups
    /// and the first write of a command wait for it.
    pub fn check_sound(&self) -> Result<(), StoreError> {
        let state = self.held.check(|| {
            let check: String = self
                .conn
                .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
                .map_err(|e| damaged(&self.path, e))?;
            Ok::<_, StoreError>((check != "ok").then_some(check))
        });
        match state {
            Err(StoreError::Damaged { detail, .. }) | Ok(Check::Damaged(detail)) => {
                Err(StoreError::Damaged {
                    path: self.path.clone(),
                    detail,
                })
            }
            Err(e) => Err(e),
            Ok(_) => Ok(()),
        }
    }

    /// True once the check for damage has found the store sound (a store in
    /// memory always is): its writes then wait for nothing.
    pub fn is_known_sound(&self) -> bool {
        self.held.check_state() == Check::Sound
    }

    /// True once the check for damage has found the store damaged.
    pub fn is_known_damaged(&self) -> bool {
        matches!(self.held.check_state(), Check::Damaged(_))
    }

    /// Schema version of the open store.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Changes whenever another connection commits to the store; cheap to poll.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }
}

/// Looks before touching: a foreign, newer or damaged file is refused through
/// a read-only connection, which cannot write to it even when closing (a
/// read-write one would checkpoint a leftover -wal into it).
///
/// A read-only connection still creates the -wal and -shm of a WAL-mode file
/// that has none, and leaves them when it closes; a refused file must have
/// nothing written beside it. Without a -wal the main file holds the whole
/// store and nothing but a checkpoint, which needs a -wal, writes to it, so
/// it is read as immutable: no locks, no files beside it.
fn inspect(path: &Path, look: Look) -> Result<(), StoreError> {
    let immutable = look.wal && !beside(path, "-wal").exists();
    let conn = if immutable {
        let uri = format!("file:{}?mode=ro&immutable=1", uri_path(path));
        Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
    } else {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    }
    .map_err(|e| damaged(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| damaged(path, e))?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| damaged(path, e))?;
    let table_count: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(|e| damaged(path, e))?;
    if app_id != APPLICATION_ID && (app_id != 0 || version != 0 || table_count != 0) {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
        });
    }
    if version > LATEST_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: LATEST_VERSION,
        });
    }
    // A whole check reads every page (half a second on the reference store),
    // so it is done only before migrating an old store. Damage elsewhere shows
    // when a query reaches it, as `StoreError::Damaged`.
    if version > 0 && version < LATEST_VERSION {
        let check: String = conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(|e| damaged(path, e))?;
        if check != "ok" {
            return Err(StoreError::Damaged {
                path: path.to_path_buf(),
                detail: check,
            });
        }
    }
    Ok(())
}

/// `path` written for an SQLite URI: `%`, `?` and `#` escaped, absolute.
fn uri_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for &byte in absolute.as_os_str().as_encoded_bytes() {
        match byte {
            b'%' | b'?' | b'#' | 0x80.. => out.push_str(&format!("%{byte:02X}")),
            _ => out.push(char::from(byte)),
        }
    }
    out
}

/// Pragmas every connection of ours gets.
fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "foreign_keys", true)?;
    // Deleted content is overwritten with zeros, so an erased customer leaves
    // no trace in the file (SPEC section 9).
    conn.pragma_update(None, "secure_delete", true)?;
    Ok(())
}

/// Maps what SQLite says of a file that passed the header check: it starts
/// like an SQLite database, so one SQLite cannot read is damaged.
fn damaged(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            StoreError::Damaged {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }
        }
        _ => StoreError::Sqlite(e),
    }
}

/// What the header of a file said, read before any connection of ours was
/// open on it.
#[derive(Debug, Default, Clone, Copy)]
struct Look {
    /// The file is in WAL mode (header bytes 18 and 19 are 2).
    wal: bool,
}

/// Refuses a file that is not SQLite before SQLite ever opens it for writing.
/// An empty file is accepted: it becomes a new store. Only called while no
/// connection of the process is open on the file ([`Opening::first_look`]):
/// closing this descriptor would drop that connection's locks.
fn check_header(path: &Path) -> Result<Look, StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(StoreError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    if meta.len() == 0 {
        return Ok(Look::default());
    }
    let mut header = [0u8; 20];
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]).map_err(io)? {
            0 => break,
            n => read += n,
        }
    }
    if read < header.len() || &header[..16] != SQLITE_MAGIC {
        return Err(StoreError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    Ok(Look {
        wal: header[18] == 2 && header[19] == 2,
    })
}

/// `path` with `suffix` added to its file name (`kanta.db-wal`).
pub(crate) fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Creates an empty file readable only by its owner, so SQLite inherits the mode
/// (it gives the -wal and -shm files the mode of the database).
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(io)?;
    Ok(())
}

/// The OS user name: `$USER`, else `$LOGNAME`, else `$USERNAME` (Windows),
/// else the account of the process's user id, else "unknown".
pub(crate) fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .or_else(account_name)
        .unwrap_or_else(|| "unknown".to_string())
}

/// The name of the account of this process's user id (a service or a
/// container often runs without `$USER`).
#[cfg(unix)]
fn account_name() -> Option<String> {
    // SAFETY: getpwuid returns null or a pointer to a record valid until the
    // next call; the name is copied out at once. It is called only here.
    unsafe {
        let record = libc::getpwuid(libc::getuid());
        if record.is_null() || (*record).pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr((*record).pw_name);
        name.to_str()
            .ok()
            .map(str::to_string)
            .filter(|n| !n.is_empty())
    }
}

#[cfg(not(unix))]
fn account_name() -> Option<String> {
    None
}
