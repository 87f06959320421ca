//! `kanta demo` (SPEC section 7): the dashboard on a demo store kept apart
//! from real data. Without `--db` the demo has its own file (`demo.db` in the
//! platform data directory), made when missing or with `--fresh`; with `--db`
//! that store is filled when empty. On a terminal the dashboard then opens on
//! it; piped, kanta only says what it made.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{CliError, Context, daily_backup_job, dashboard_on, paths, progress_bar, say};
use crate::demo::{DemoError, DemoOptions, DemoSummary};
use crate::i18n::Lang;
use crate::i18n::plural::{CONTACT, CUSTOMER, FOLLOW_UP, ORDER, count};
use crate::store::Store;

/// What `kanta demo` was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DemoArgs {
    pub(crate) customers: u32,
    pub(crate) seed: u64,
    pub(crate) as_of: Option<NaiveDate>,
    pub(crate) fresh: bool,
}

pub(crate) fn run(context: &Context, db: Option<&Path>, args: &DemoArgs) -> Result<(), CliError> {
    let own = db.is_none();
    let path = match db {
        Some(path) => path.to_path_buf(),
        None => paths::demo_path()?,
    };
    // `$KANTA_DB` may point anywhere, even here: the real store is never the demo's.
    if own && paths::store_path(None).is_ok_and(|real| real == path) {
        return Err(CliError::BadInput(format!(
            "the real store ($KANTA_DB) is {}, where the demo would go; pass --db PATH for the demo",
            path.display()
        )));
    }
    if args.fresh {
        if own {
            remove_store(&path)?;
        } else if Store::open(&path)
            .and_then(|s| s.customer_count())
            .is_ok_and(|n| n > 0)
        {
            return Err(CliError::BadInput(format!(
                "{} already has customers and is kept: --fresh replaces only the demo's own store (leave out --db)",
                path.display()
            )));
        }
    }
    let made = fill(context, &path, args)?;
    if std::io::stdout().is_terminal() {
        // The demo's own store takes no daily backups: nothing there to lose,
        // and the backups folder beside it is the real store's too.
        let backup = if own { None } else { daily_backup_job(context) };
        return dashboard_on(context, &path, backup);
    }
    say(&match made {
        Made::New(summary) => made_sentence(&path, &summary, own),
        Made::Existing(customers) => existing_sentence(&path, customers, own),
    })
}

/// What [`fill`] found or did.
enum Made {
    New(DemoSummary),
    /// The store was there with this many customers; nothing was written.
    Existing(u64),
}

/// Creates the store when missing and fills it when empty.
fn fill(context: &Context, path: &Path, args: &DemoArgs) -> Result<Made, CliError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::store::copies::private_dir(dir)
            .map_err(|e| CliError::BadInput(format!("cannot write {}: {e}", dir.display())))?;
    }
    let mut store = Store::open_or_create(path)?;
    store.set_default_country(&context.config.default_country);
    let existing = store.customer_count()?;
    if existing > 0 {
        return Ok(Made::Existing(existing));
    }
    let options = DemoOptions {
        customers: args.customers,
        seed: args.seed,
        today: args.as_of.unwrap_or(context.today),
    };
    let bar = progress_bar(u64::from(args.customers), "customers");
    let generated = crate::demo::generate(&mut store, &options, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    generated.map(Made::New).map_err(|e| match e {
        DemoError::Store(e) => CliError::from(e),
        other => CliError::BadInput(other.to_string()),
    })
}

/// Removes the demo's own store and its journal files, so a new one is made.
fn remove_store(path: &Path) -> Result<(), CliError> {
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    for file in files {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(CliError::Failed(format!(
                    "cannot replace the demo store: {} could not be removed: {e}",
                    file.display()
                )));
            }
        }
    }
    Ok(())
}

/// The command that opens this demo again.
fn again(path: &Path, own: bool) -> String {
    if own {
        "kanta demo".to_string()
    } else {
        format!("kanta demo --db {}", path.display())
    }
}

fn made_sentence(path: &Path, summary: &DemoSummary, own: bool) -> String {
    let en = Lang::En;
    format!(
        "{}: a demo store of {}, {}, {} and {}; `{}` opens it",
        path.display(),
        count(en, summary.customers, CUSTOMER),
        count(en, summary.orders, ORDER),
        count(en, summary.interactions, CONTACT),
        count(en, summary.followups, FOLLOW_UP),
        again(path, own)
    )
}

fn existing_sentence(path: &Path, customers: u64, own: bool) -> String {
    let fresh = if own {
        "; `kanta demo --fresh` makes a new one"
    } else {
        ""
    };
    format!(
        "{} already holds {}, left as it is; `{}` opens it{fresh}",
        path.display(),
        count(Lang::En, customers, CUSTOMER),
        again(path, own)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentences_count_with_plurals() {
        let summary = DemoSummary {
            customers: 1,
            orders: 2,
            interactions: 1,
            followups: 0,
        };
        assert_eq!(
            made_sentence(Path::new("demo.db"), &summary, true),
            "demo.db: a demo store of 1 customer, 2 orders, 1 contact and 0 follow-ups; `kanta demo` opens it"
        );
        assert_eq!(
            existing_sentence(Path::new("x.db"), 2000, false),
            "x.db already holds 2000 customers, left as it is; `kanta demo --db x.db` opens it"
        );
    }

    #[test]
    fn removing_a_store_that_is_not_there_is_no_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        remove_store(&path).unwrap();
        std::fs::File::create(&path).unwrap();
        std::fs::File::create(dir.path().join("demo.db-wal")).unwrap();
        remove_store(&path).unwrap();
        assert!(!path.exists());
        assert!(!dir.path().join("demo.db-wal").exists());
    }
}
