//! Incoming calls, from `kanta call` to every dashboard open on the store.
//!
//! `kanta call NUMBER` writes the number into `calls`; a dashboard watches
//! the store's files and `data_version` and shows the caller's card for
//! every call newer than the last it saw. Dashboards say they are open in
//! `dashboards` (their process id), so that `kanta call` knows whether anyone
//! will see the call or should print the card instead.
//!
//! A call is a signal, not a record: calls older than [`CALL_KEPT_MINUTES`]
//! are deleted by the next one, and erasing a customer deletes the calls from
//! their numbers.

use chrono::{DateTime, Duration, Utc};
use rusqlite::params;

use super::{Store, StoreError};
use crate::domain::phone::StoredPhone;

/// How long a call is kept for a dashboard to pick it up.
pub const CALL_KEPT_MINUTES: i64 = 10;

/// One incoming call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub id: i64,
    /// As the phone gave it.
    pub number: String,
    pub at: DateTime<Utc>,
}

impl Store {
    /// Records an incoming call for the open dashboards; returns its id.
    pub fn ring(&mut self, number: &str, now: DateTime<Utc>) -> Result<i64, StoreError> {
        let normalized = StoredPhone::lenient(number, &self.default_country)
            .map(|p| p.normalized)
            .unwrap_or_default();
        let tx = if self.vouched()? {
            self.begin_write()?
        } else {
            self.write()?
        };
        let oldest = now - Duration::minutes(CALL_KEPT_MINUTES);
        tx.execute("DELETE FROM calls WHERE at < ?1", [oldest.to_rfc3339()])?;
        tx.execute(
            "INSERT INTO calls (number, number_normalized, at) VALUES (?1, ?2, ?3)",
            params![number.trim(), normalized, now.to_rfc3339()],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// Whether a call may be written without this process's check for
    /// damage, because a dashboard open on the store vouches for it: a
    /// dashboard says it is open only once its own check found the store
    /// sound, and it writes on that check for as long as it runs. So a call
    /// rings as soon as it comes, not after every page of a large store was
    /// read (nearly a second at 100,000 customers). Not without a live
    /// dashboard, nor once this process found the store damaged.
    fn vouched(&self) -> Result<bool, StoreError> {
        if matches!(self.held.check_state(), super::held::Check::Damaged(_)) {
            return Ok(false);
        }
        let pids: Vec<u32> = self
            .conn
            .prepare_cached("SELECT pid FROM dashboards")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(pids.into_iter().any(is_running))
    }

    /// The newest call's id (0 when there is none): a dashboard shows only
    /// the calls that come after it opened.
    pub fn last_call_id(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM calls", [], |r| r.get(0))?)
    }

    /// The calls after `id`, oldest first.
    pub fn calls_after(&self, id: i64) -> Result<Vec<Call>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, number, at FROM calls WHERE id > ?1 ORDER BY id")?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut calls = Vec::new();
        for row in rows {
            let (id, number, at) = row?;
            let at = DateTime::parse_from_rfc3339(&at)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| {
                    StoreError::Invalid(format!("call {id} has a time that is not RFC 3339: {at}"))
                })?;
            calls.push(Call { id, number, at });
        }
        Ok(calls)
    }

    /// Says that a dashboard of process `pid` is open on the store.
    pub fn register_dashboard(&mut self, pid: u32, now: DateTime<Utc>) -> Result<(), StoreError> {
        let tx = self.write()?;
        tx.execute(
            "INSERT OR REPLACE INTO dashboards (pid, started_at) VALUES (?1, ?2)",
            params![pid, now.to_rfc3339()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Says that the dashboard of process `pid` has closed.
    pub fn unregister_dashboard(&mut self, pid: u32) -> Result<(), StoreError> {
        let tx = self.write()?;
        tx.execute("DELETE FROM dashboards WHERE pid = ?1", [pid])?;
        tx.commit()?;
        Ok(())
    }

    /// The process ids of the dashboards open on the store. A dashboard
    /// killed without closing leaves its row behind: rows of processes that
    /// no longer run are deleted here.
    pub fn open_dashboards(&mut self) -> Result<Vec<u32>, StoreError> {
        let pids: Vec<u32> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT pid FROM dashboards ORDER BY pid")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        let (live, gone): (Vec<u32>, Vec<u32>) = pids.into_iter().partition(|&p| is_running(p));
        if !gone.is_empty() {
            let tx = self.write()?;
            for pid in &gone {
                tx.execute("DELETE FROM dashboards WHERE pid = ?1", [pid])?;
            }
            tx.commit()?;
        }
        Ok(live)
    }
}

/// Whether a process with this id runs (on this host: SPEC section 9 keeps
/// every process of a store on one host).
#[cfg(unix)]
pub fn is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // Signal 0 checks that the process exists without sending anything.
    // SAFETY: kill with signal 0 has no effect on the target.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Elsewhere a dashboard's row is trusted: it is deleted when it closes.
#[cfg(not(unix))]
pub fn is_running(_pid: u32) -> bool {
    true
}
