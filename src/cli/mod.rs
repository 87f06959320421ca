//! The command line (SPEC section 7): parses arguments and calls into the library.
//! May import: every module of the library (it is a face).
//!
//! Every error reaches the user as one plain sentence on stderr naming the file or
//! argument at fault; the exit code is 0 on success, 2 for bad input (a file, an
//! argument, the config) and 1 for anything else.

mod args;
mod call;
mod customer;
mod demo;
mod export;
mod import;
mod lookup;
mod paths;
mod replicate;
mod report;

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Parser;
use thiserror::Error;

pub(crate) use args::Cli;
use args::Command;
use demo::DemoArgs;

use crate::config::{Config, ConfigError, KeysProblem};
use crate::domain::terminal::terminal_safe_lines;
use crate::store::{ImportError, Store, StoreError, WriteError};

/// An error at the face, already worded for the user.
#[derive(Debug, Error)]
pub(crate) enum CliError {
    /// The user's input is at fault (exit 2).
    #[error("{0}")]
    BadInput(String),
    /// Anything else (exit 1).
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    pub(crate) fn exit_code(&self) -> i32 {
        match self {
            CliError::BadInput(_) => 2,
            CliError::Failed(_) => 1,
        }
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        if e.is_user_error() {
            CliError::BadInput(e.to_string())
        } else {
            CliError::Failed(e.to_string())
        }
    }
}

impl From<WriteError> for CliError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Write { .. } => CliError::BadInput(e.to_string()),
            WriteError::Store(e) => e.into(),
        }
    }
}

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> Self {
        match e {
            ConfigError::Invalid { .. } | ConfigError::Missing { .. } => {
                CliError::BadInput(e.to_string())
            }
            ConfigError::Io { .. } => CliError::Failed(e.to_string()),
        }
    }
}

/// `[keys]` as the dashboard's keymap reads it: an unknown action or key, or
/// a key bound to two actions in one place, refused by every command, so a
/// bad config is found before the dashboard is needed.
fn check_keys(keys: &std::collections::HashMap<String, String>) -> Result<(), KeysProblem> {
    use crate::tui::keymap::{Keymap, KeymapError};
    Keymap::with_overrides(keys).map(|_| ()).map_err(|e| {
        let actions = match &e {
            KeymapError::BadAction(name) => vec![name.clone()],
            KeymapError::BadKey(key) => keys
                .iter()
                .filter(|(_, k)| *k == key)
                .map(|(name, _)| name.clone())
                .collect(),
            KeymapError::Conflict { first, second, .. } => {
                vec![first.to_string(), second.to_string()]
            }
        };
        KeysProblem {
            actions,
            message: e.to_string(),
        }
    })
}

impl From<ImportError> for CliError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Store(e) => e.into(),
            // Callers name the file; this is a fallback that still says what is wrong.
            ImportError::Rows(rows) => CliError::BadInput(
                rows.iter()
                    .map(|r| format!("{}: {}: {}", r.line, r.column, r.reason))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        }
    }
}

/// What every command gets: where the store is, the config, today's date.
pub(crate) struct Context {
    pub(crate) store_path: PathBuf,
    pub(crate) config: Config,
    pub(crate) today: NaiveDate,
}

impl Context {
    fn open_store(&self) -> Result<Store, CliError> {
        let country = &self.config.default_country;
        let mut store = Store::open_in_country(&self.store_path, false, country)?;
        store.set_user(&self.config.user);
        Ok(store)
    }

    fn open_or_create_store(&self) -> Result<Store, CliError> {
        let country = &self.config.default_country;
        let mut store = Store::open_in_country(&self.store_path, true, country)?;
        store.set_user(&self.config.user);
        Ok(store)
    }
}

/// Runs the command line and returns the process exit code
/// (0 success, 2 bad input, 1 anything else).
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version are successes, printed as clap writes them.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return e.exit_code();
        }
        // A usage error quotes what was typed: plain text, escaped. Exit 2.
        Err(e) => {
            tell(&e.render().to_string());
            return e.exit_code();
        }
    };
    match run(cli) {
        Ok(()) => 0,
        Err(e) => {
            tell(&format!("kanta: {e}\n"));
            e.exit_code()
        }
    }
}

/// Writes a message to stderr, the one way errors reach the user: whatever
/// data or path it quotes is escaped so it cannot drive the terminal.
fn tell(message: &str) {
    use std::io::Write;
    let safe = terminal_safe_lines(message);
    // Nothing more to do if even stderr is gone.
    let _ = std::io::stderr().lock().write_all(safe.as_bytes());
}

/// Runs a parsed command line.
pub(crate) fn run(cli: Cli) -> Result<(), CliError> {
    let config_path = paths::config_path(cli.config.as_deref())?;
    let config = Config::load_checked(&config_path, cli.config.is_some(), &check_keys)?;
    let context = Context {
        store_path: paths::store_path(cli.db.as_deref())?,
        config,
        today: chrono::Local::now().date_naive(),
    };
    run_command(&context, cli)
}

fn run_command(context: &Context, cli: Cli) -> Result<(), CliError> {
    match cli.command {
        None => open_dashboard(context),
        Some(Command::Demo {
            customers,
            seed,
            as_of,
            fresh,
        }) => demo::run(
            context,
            cli.db.as_deref(),
            &DemoArgs {
                customers,
                seed,
                as_of,
                fresh,
            },
        ),
        Some(Command::Import { command }) => import::run(context, command),
        Some(Command::Report(args)) => report::run(context, &args),
        Some(Command::Export(args)) => export::run(context, &args),
        Some(Command::Customer { command }) => customer::run(context, command),
        Some(Command::Lookup { query, format }) => lookup::run(context, &query, format),
        Some(Command::Backup { dest, force }) => backup(context, dest, force),
        Some(Command::Call { number }) => call::run(context, &number),
        Some(Command::Replicate { command }) => replicate::run(context, command),
    }
}

fn open_dashboard(context: &Context) -> Result<(), CliError> {
    dashboard_on(context, &context.store_path, daily_backup_job(context))
}

/// The dashboard on the store at `path`.
fn dashboard_on(
    context: &Context,
    path: &std::path::Path,
    after_load: Option<crate::tui::BackgroundJob>,
) -> Result<(), CliError> {
    let result = crate::tui::run(path, &context.config, after_load);
    result.map_err(|e| match e {
        crate::tui::TuiError::Store(e) => CliError::from(e),
        crate::tui::TuiError::Keys(e) => CliError::BadInput(e.to_string()),
        crate::tui::TuiError::Terminal(e) => {
            CliError::Failed(format!("the dashboard cannot use this terminal: {e}"))
        }
    })
}

/// A progress bar on a terminal; nothing when stderr is piped.
fn progress_bar(total: u64, unit: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    let template = format!("{{bar:40}} {{pos}}/{{len}} {unit} ({{per_sec}})");
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// The automatic daily backup (config `backups.daily`, keeping `backups.keep`),
/// taken through its own connection with SQLite's online backup, a few hundred
/// pages at a time; the dashboard runs it in a thread once its data is in.
fn daily_backup_job(context: &Context) -> Option<crate::tui::BackgroundJob> {
    let config = &context.config.backups;
    if !config.daily || !context.store_path.exists() {
        return None;
    }
    let store_path = context.store_path.clone();
    let dir = crate::store::copies::backups_dir(&store_path);
    let keep = usize::try_from(config.keep).unwrap_or(usize::MAX).max(1);
    let today = context.today;
    Some(Box::new(move |lang| {
        let fail = |sentence: &str| {
            format!(
                "{} ({}): {sentence}",
                crate::i18n::errors::ErrorStrings::of(lang).daily_backup_failed,
                dir.display(),
            )
        };
        let store = Store::open(&store_path)
            .map_err(|e| fail(&crate::i18n::errors::store_error(lang, &e)))?;
        store
            .daily_backup(&dir, keep, today)
            .map(|_| ())
            .map_err(|e| fail(&crate::i18n::errors::write_error(lang, &e)))
    }))
}

/// `kanta backup [DEST] [--force]`: DEST a file, a folder, or by default the
/// `backups` folder beside the store; in a folder the copy is named after the
/// store and the date. DEST is never the store itself or its journal, and an
/// existing file that is not an earlier kanta backup is replaced only with
/// `--force`.
fn backup(context: &Context, dest: Option<PathBuf>, force: bool) -> Result<(), CliError> {
    use crate::store::copies;
    let store = context.open_store()?;
    let dated = copies::backup_name(&copies::store_prefix(&context.store_path), context.today);
    let dest = match dest {
        Some(dest) if dest.is_dir() => dest.join(dated),
        Some(dest) => dest,
        None => {
            let dir = copies::backups_dir(&context.store_path);
            copies::private_dir(&dir)
                .map_err(|e| CliError::BadInput(format!("cannot write {}: {e}", dir.display())))?;
            dir.join(dated)
        }
    };
    if copies::is_part_of_store(&context.store_path, &dest) {
        return Err(CliError::BadInput(format!(
            "{} is the store {} itself (or its journal); choose another DEST",
            dest.display(),
            context.store_path.display()
        )));
    }
    if !force && !copies::is_replaceable_backup(&dest) {
        return Err(CliError::BadInput(format!(
            "{} exists and is not an earlier kanta backup; add --force to replace it",
            dest.display()
        )));
    }
    store.backup_to(&dest)?;
    say(&format!(
        "{} backed up to {}",
        context.store_path.display(),
        dest.display()
    ))
}

/// One line to stdout, for a person: what it quotes is escaped even when piped.
fn say(line: &str) -> Result<(), CliError> {
    write_output(None, &terminal_safe_lines(&format!("{line}\n")))
}

/// Writes `text` to `output` (mode 0600, whole or not at all), or to stdout
/// when there is none. A file or a pipe gets the exact data (CSV, vCard and
/// JSON round-trip byte for byte); a terminal gets it escaped as the
/// dashboard shows it, line breaks kept.
fn write_output(output: Option<&std::path::Path>, text: &str) -> Result<(), CliError> {
    use std::io::{IsTerminal, Write};
    match output {
        Some(path) => crate::store::copies::write_private_file(path, text.as_bytes())
            .map_err(|e| CliError::BadInput(format!("cannot write {}: {e}", path.display()))),
        None => {
            let mut stdout = std::io::stdout().lock();
            let text = if stdout.is_terminal() {
                terminal_safe_lines(text)
            } else {
                std::borrow::Cow::Borrowed(text)
            };
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(CliError::Failed(format!("cannot write the output: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}
