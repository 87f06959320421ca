//! The command line of SPEC section 7, as clap derives.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "kanta",
    version,
    about = "Know your customers: a terminal dashboard over a local SQLite store",
    long_about = None
)]
pub(crate) struct Cli {
    /// The store (else $KANTA_DB, else kanta.db in the platform data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,
    /// The config file (else config.toml in the platform config directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Open the dashboard on the demo store (demo.db beside the real one, or
    /// --db), creating it first; without a terminal only create it.
    Demo {
        /// How many customers to create.
        #[arg(long, default_value_t = 2000)]
        customers: u32,
        /// Seed of the generator: the same seed gives the same store.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The day the demo data ends on (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// Replace the demo store with a new one.
        #[arg(long)]
        fresh: bool,
    },
    /// Import orders or contacts, list past imports, undo one.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Print a report.
    Report(ReportArgs),
    /// Write every contact or every order.
    Export(ExportArgs),
    /// Show, export, erase, find duplicates of, or merge customers.
    Customer {
        #[command(subcommand)]
        command: CustomerCommand,
    },
    /// Show the caller's card in every dashboard open on the store (for a
    /// softphone's "run a command on incoming call"); with no dashboard open,
    /// print the card.
    Call {
        /// The caller's number, in any form (`+358 40 123 4567`, `0401234567`).
        #[arg(value_name = "NUMBER", allow_hyphen_values = true)]
        number: String,
    },
    /// An off-site replica kept current by Litestream.
    Replicate {
        #[command(subcommand)]
        command: ReplicateCommand,
    },
    /// Find customers as the dashboard's search does (a name, a ref, any
    /// form of a phone number; `ref:`, `phone:`, `email:`, `city:`, `tag:`).
    Lookup {
        #[arg(value_name = "QUERY")]
        query: String,
        #[arg(long, value_enum, default_value_t = LookupFormat::Table)]
        format: LookupFormat,
    },
    /// Copy the store to DEST (default: a dated file in the backups folder).
    Backup {
        #[arg(value_name = "DEST")]
        dest: Option<PathBuf>,
        /// Replace DEST even when it is not an earlier kanta backup.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReplicateCommand {
    /// Write a Litestream configuration that replicates the store to DEST
    /// (a folder, file:///path, sftp://user@host/path or s3://bucket/path).
    Init {
        #[arg(value_name = "DEST")]
        dest: String,
        /// Replace a configuration written before.
        #[arg(long)]
        force: bool,
    },
    /// How far behind the store the replica is.
    Status,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ImportCommand {
    /// A CSV of orders (generic or Shopify's export).
    Orders {
        file: PathBuf,
        /// Do everything but write: print what would happen.
        #[arg(long)]
        dry_run: bool,
    },
    /// A CSV or vCard (.vcf) file of contacts.
    Contacts {
        file: PathBuf,
        /// Do everything but write: print what would happen.
        #[arg(long)]
        dry_run: bool,
    },
    /// Past imports (batches).
    List,
    /// Remove what one import added.
    Undo {
        #[arg(value_name = "BATCH")]
        batch: i64,
    },
}

/// `--format` of a report: the command line's word for [`Format`], which the
/// report layer keeps free of the argument parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum FormatArg {
    /// Aligned columns for a terminal.
    #[default]
    Table,
    /// Comma-separated, money in cents, rates as fractions.
    Csv,
    /// An array of objects with the CSV's fields.
    Json,
    /// A GitHub table.
    Markdown,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportKind {
    /// Customers per stage, and the change in 7 days.
    Pyramid,
    /// Recency, frequency, monetary value, scores and segment per customer.
    Rfm,
    /// Active customers of each first-purchase month, month by month.
    Cohorts,
    /// Share of each cohort buying again within 90, 180 days, ever.
    Repeat,
    /// Open follow-ups, with those the rules would write at the date (writes nothing).
    Followups,
    /// P(alive), expected purchase days in 90 and 365 days, expected spend and
    /// revenue (MBG/NBD, or BG/NBD with --model bgnbd; Gamma-Gamma spend).
    Churn,
    /// The weekly review, as Markdown or JSON.
    Weekly,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    #[arg(value_enum)]
    pub(crate) kind: ReportKind,
    /// The day the figures are computed at (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub(crate) as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub(crate) format: FormatArg,
    /// `repeat` only: keep customers of one acquisition source (`none`: no source).
    #[arg(long, value_parser = parse_source)]
    pub(crate) source: Option<crate::analytics::SourceFilter>,
    /// `followups` only: also the expired and the done ones.
    #[arg(long)]
    pub(crate) all: bool,
    /// `churn` and `weekly`: the churn model, `mbgnbd` or `bgnbd` (default:
    /// `churn.model` of the config, else mbgnbd).
    #[arg(long, value_name = "MODEL", value_parser = parse_model)]
    pub(crate) model: Option<crate::analytics::churn::Model>,
}

fn parse_model(text: &str) -> Result<crate::analytics::churn::Model, String> {
    text.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LookupFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportKind {
    Contacts,
    Orders,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// The columns the imports read.
    Csv,
    Json,
    /// vCard 4.0 (contacts only).
    Vcard,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[arg(value_enum)]
    pub(crate) kind: ExportKind,
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub(crate) format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CustomerCommand {
    /// A customer's card.
    Show {
        /// A ref, or anything the search finds one customer by (a phone
        /// number in any form, a name, `email:...`).
        #[arg(value_name = "REF|QUERY", allow_hyphen_values = true)]
        reference: String,
    },
    /// All data held about a customer, as JSON.
    Export {
        #[arg(value_name = "REF")]
        reference: String,
        /// Write it to the exports folder beside the store, as the dashboard
        /// does (where `customer erase` finds it), instead of standard output.
        #[arg(long)]
        save: bool,
    },
    /// Remove a customer's personal data, keeping their orders anonymised.
    Erase {
        #[arg(value_name = "REF")]
        reference: String,
        /// Erase without asking (needed when not at a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// Candidate duplicate pairs, most likely first.
    Duplicates,
    /// Move OTHER's orders, history and fields into KEEP.
    Merge {
        #[arg(value_name = "KEEP")]
        keep: String,
        #[arg(value_name = "OTHER")]
        other: String,
    },
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date of the form YYYY-MM-DD"))
}

fn parse_source(text: &str) -> Result<crate::analytics::SourceFilter, String> {
    use crate::analytics::SourceFilter;
    if ["none", "no-source", "no source"].contains(&text.trim().to_lowercase().as_str()) {
        return Ok(SourceFilter::NoSource);
    }
    crate::domain::Source::parse(text)
        .map(SourceFilter::Only)
        .ok_or_else(|| {
            format!("{text:?} is not a source (offer, walk-in, referral, campaign, other or none)")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(
            parse_date("2026-02-28"),
            Ok(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap())
        );
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("28.2.2026").is_err());
    }

    #[test]
    fn report_arguments_parse() {
        let cli = Cli::try_parse_from([
            "kanta",
            "report",
            "repeat",
            "--as-of",
            "2026-01-31",
            "--format",
            "csv",
            "--source",
            "referral",
            "--db",
            "x.db",
        ])
        .unwrap();
        assert_eq!(cli.db, Some(PathBuf::from("x.db")));
        let Some(Command::Report(args)) = cli.command else {
            panic!("not a report");
        };
        assert_eq!(args.kind, ReportKind::Repeat);
        assert_eq!(Format::from(args.format), Format::Csv);
        assert_eq!(
            args.source,
            Some(crate::analytics::SourceFilter::Only(
                crate::domain::Source::Referral
            ))
        );
        assert_eq!(
            parse_source("none"),
            Ok(crate::analytics::SourceFilter::NoSource)
        );
    }

    #[test]
    fn demo_takes_fresh() {
        let cli = Cli::try_parse_from(["kanta", "demo", "--fresh", "--customers", "50"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Demo {
                fresh: true,
                customers: 50,
                ..
            })
        ));
        assert_eq!(cli.db, None);
    }
}
