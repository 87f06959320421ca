//! The command line (SPEC section 7): parses arguments and calls into the library.
//!
//! Every error reaches the user as one plain sentence on stderr naming the file or
//! argument at fault; the exit code is 0 on success, 2 for bad input (a file, an
//! argument, the config) and 1 for anything else.

mod args;
mod customer;
mod export;
mod import;
mod lookup;
mod paths;
mod report;

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Parser;
use thiserror::Error;

pub use args::Cli;
use args::Command;

use crate::config::{Config, ConfigError};
use crate::demo::{DemoError, DemoOptions};
use crate::domain::terminal::terminal_safe_lines;
use crate::store::{ImportError, Store, StoreError, WriteError};

/// An error at the face, already worded for the user.
#[derive(Debug, Error)]
pub enum CliError {
    /// The user's input is at fault (exit 2).
    #[error("{0}")]
    BadInput(String),
    /// Anything else (exit 1).
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
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
            ConfigError::Invalid { .. } => CliError::BadInput(e.to_string()),
            ConfigError::Io { .. } => CliError::Failed(e.to_string()),
        }
    }
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
pub struct Context {
    pub store_path: PathBuf,
    pub config: Config,
    pub today: NaiveDate,
}

impl Context {
    fn open_store(&self) -> Result<Store, CliError> {
        let country = &self.config.default_country;
        Ok(Store::open_in_country(&self.store_path, false, country)?)
    }

    fn open_or_create_store(&self) -> Result<Store, CliError> {
        let country = &self.config.default_country;
        Ok(Store::open_in_country(&self.store_path, true, country)?)
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
pub fn run(cli: Cli) -> Result<(), CliError> {
    let config_path = paths::config_path(cli.config.as_deref())?;
    let config = Config::load(&config_path)?;
    let context = Context {
        store_path: paths::store_path(cli.db.as_deref())?,
        config,
        today: chrono::Local::now().date_naive(),
    };
    match cli.command {
        None => open_dashboard(&context),
        Some(Command::Demo {
            customers,
            seed,
            as_of,
        }) => demo(&context, customers, seed, as_of),
        Some(Command::Import { command }) => import::run(&context, command),
        Some(Command::Report(args)) => report::run(&context, &args),
        Some(Command::Export(args)) => export::run(&context, &args),
        Some(Command::Customer { command }) => customer::run(&context, command),
        Some(Command::Lookup { query, format }) => lookup::run(&context, &query, format),
        Some(Command::Backup { dest, force }) => backup(&context, dest, force),
    }
}

fn open_dashboard(context: &Context) -> Result<(), CliError> {
    let result = crate::tui::run(
        &context.store_path,
        &context.config,
        daily_backup_job(context),
    );
    result.map_err(|e| match e {
        crate::tui::TuiError::Store(e) => CliError::from(e),
        crate::tui::TuiError::Keys(e) => CliError::BadInput(e.to_string()),
        crate::tui::TuiError::Terminal(e) => {
            CliError::Failed(format!("the dashboard cannot use this terminal: {e}"))
        }
    })
}

fn demo(
    context: &Context,
    customers: u32,
    seed: u64,
    as_of: Option<NaiveDate>,
) -> Result<(), CliError> {
    let mut store = context.open_or_create_store()?;
    let options = DemoOptions {
        customers,
        seed,
        today: as_of.unwrap_or(context.today),
    };
    let bar = progress_bar(u64::from(customers), "customers");
    let generated = crate::demo::generate(&mut store, &options, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let summary = generated.map_err(|e| match e {
        DemoError::Store(e) => CliError::from(e),
        DemoError::NotEmpty => CliError::BadInput(format!(
            "{} already has customers; demo data goes only into a new, empty store (choose another --db path)",
            context.store_path.display()
        )),
        other => CliError::BadInput(other.to_string()),
    })?;
    say(&format!(
        "{}: {} customers, {} orders, {} contacts and {} follow-ups of demo data",
        context.store_path.display(),
        summary.customers,
        summary.orders,
        summary.interactions,
        summary.followups
    ))
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
    Some(Box::new(move || {
        let fail = |e: &dyn std::fmt::Display| {
            format!("the daily backup into {} failed: {e}", dir.display())
        };
        let store = Store::open(&store_path).map_err(|e| fail(&e))?;
        store
            .daily_backup(&dir, keep, today)
            .map(|_| ())
            .map_err(|e| fail(&e))
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
