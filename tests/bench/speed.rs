//! kanta's speed benchmark (SPEC section 8), one row per target.
//!
//! `cargo bench --bench speed` builds the reference store (`kanta demo
//! --customers 100000`) once, caches it under `target/kanta-bench/`, and prints
//! what, target, measured (median of several runs) and pass or fail.
//! `cargo bench --bench speed -- --customers 5000 --runs 1` is the small variant
//! CI runs as a smoke check; times are printed, never asserted there.
//! `-- --only search` runs one row (here the search row, which needs the
//! dashboard opened first); the names are the first word of a row.

mod measure;
mod rows;
mod tui_rows;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;

/// The day the reference store's history ends, fixed so every run measures the
/// same data.
pub const REFERENCE_TODAY: (i32, u32, u32) = (2026, 11, 23);
pub const REFERENCE_SEED: u64 = 1;

pub struct Options {
    pub customers: u32,
    pub runs: usize,
    /// Asserting mode: exit non-zero when a row fails (off for the CI smoke run).
    pub strict: bool,
    pub work_dir: PathBuf,
    /// Only the row whose name starts with this (`search`, `import`, ...).
    pub only: Option<String>,
}

/// The targets that depend on the store's size (SPEC section 8); the rest
/// are the same at both: a keystroke within a frame (16 ms), another
/// program's write on screen within 1 s, `report rfm` at most half of
/// sqlite3's scan, an import over 300,000 rows a second in under 300 MB.
pub struct Targets {
    pub first_frame_ms: u64,
    pub all_panes_ms: u64,
    pub memory_mb: u64,
}

/// Another program's write on screen within this.
pub const WRITE_SEEN_MS: u64 = 1_000;
/// `kanta report rfm` against sqlite3's scan, at most.
pub const RFM_RATIO: f64 = 0.5;
/// An import of a million rows: at least this many a second...
pub const IMPORT_ROWS_PER_S: f64 = 300_000.0;
/// ...in at most this much memory.
pub const IMPORT_RSS_MB: u64 = 300;

impl Options {
    fn parse() -> Result<Options, String> {
        let mut options = Options {
            customers: 100_000,
            runs: 5,
            strict: false,
            work_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/kanta-bench"),
            only: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--customers" => {
                    options.customers = args
                        .next()
                        .and_then(|v| v.parse().ok())
                        .ok_or("--customers needs a number")?;
                }
                "--runs" => {
                    options.runs = args
                        .next()
                        .and_then(|v| v.parse().ok())
                        .filter(|n: &usize| *n > 0)
                        .ok_or("--runs needs a positive number")?;
                }
                "--strict" => options.strict = true,
                "--only" => options.only = Some(args.next().ok_or("--only needs a row name")?),
                // cargo bench passes --bench; ignore what libtest would take.
                "--bench" => {}
                other if other.starts_with("--") => return Err(format!("unknown option {other}")),
                _ => {}
            }
        }
        Ok(options)
    }

    /// Whether the row named `name` (its first word) is to run.
    pub fn wants(&self, name: &str) -> bool {
        self.only.as_deref().is_none_or(|only| only == name)
    }

    /// SPEC section 8's targets for this store's size: those of 1,000,000
    /// customers above 100,000, else those of 100,000.
    pub fn targets(&self) -> Targets {
        if self.customers > 100_000 {
            Targets {
                first_frame_ms: 300,
                all_panes_ms: 5_000,
                memory_mb: 600,
            }
        } else {
            Targets {
                first_frame_ms: 100,
                all_panes_ms: 1_000,
                memory_mb: 100,
            }
        }
    }

    pub fn today(&self) -> NaiveDate {
        let (y, m, d) = REFERENCE_TODAY;
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }
}

fn main() -> ExitCode {
    // As the binary does.
    kanta::return_large_blocks();
    let options = match Options::parse() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("speed: {message}");
            return ExitCode::from(2);
        }
    };
    if let Some(code) = rows::child_entry() {
        return code;
    }
    match rows::run_all(&options) {
        Ok(all_pass) if all_pass || !options.strict => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("speed: {message}");
            ExitCode::FAILURE
        }
    }
}
