//! The rows of the benchmark table.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use kanta::demo::{DemoOptions, generate};
use kanta::store::Store;

use crate::Options;
use crate::measure::{Row, millis, print_table};

const KANTA: &str = env!("CARGO_BIN_EXE_kanta");

/// The benchmark re-runs itself as a child to measure one thing in a fresh
/// process (peak memory); returns the exit code when this process is that child.
pub fn child_entry() -> Option<ExitCode> {
    None
}

pub fn run_all(options: &Options) -> Result<bool, String> {
    fs::create_dir_all(&options.work_dir).map_err(|e| e.to_string())?;
    let store = reference_store(options)?;
    let mut rows = crate::tui_rows::dashboard_rows(options, &store)?;
    if options.wants("report") {
        rows.push(report_rfm(options, &store)?);
    }
    if options.wants("import") {
        rows.push(import_rate(options)?);
    }
    println!();
    println!(
        "kanta speed, reference store of {} customers ({}), median of {} runs",
        options.customers,
        store.display(),
        options.runs
    );
    print_table(&rows);
    Ok(rows.iter().all(|r| r.pass))
}

/// Builds `kanta demo --customers N` once and keeps it between runs, one per
/// schema version: a store of an older version would be migrated on every
/// cold open of its copies, and an older kanta refuses a newer one.
fn reference_store(options: &Options) -> Result<PathBuf, String> {
    let path = options.work_dir.join(format!(
        "reference-{}-seed{}-v{}.db",
        options.customers,
        crate::REFERENCE_SEED,
        kanta::store::schema::LATEST_VERSION
    ));
    if path.exists() {
        return Ok(path);
    }
    let partial = path.with_extension("partial");
    let _ = fs::remove_file(&partial);
    eprintln!(
        "building the reference store ({} customers)...",
        options.customers
    );
    let start = Instant::now();
    let mut store = Store::open_or_create(&partial).map_err(|e| e.to_string())?;
    let summary = generate(
        &mut store,
        &DemoOptions {
            customers: options.customers,
            seed: crate::REFERENCE_SEED,
            today: options.today(),
        },
        &mut |_, _| {},
    )
    .map_err(|e| e.to_string())?;
    drop(store);
    eprintln!(
        "  {} customers, {} orders in {:.1} s",
        summary.customers,
        summary.orders,
        start.elapsed().as_secs_f64()
    );
    for suffix in ["-wal", "-shm"] {
        let _ = fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    fs::rename(&partial, &path).map_err(|e| e.to_string())?;
    Ok(path)
}

fn run_quiet(command: &mut Command) -> Result<(), String> {
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if !status.status.success() {
        return Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&status.stderr)
        ));
    }
    Ok(())
}

/// `kanta report rfm` as a whole process against the sqlite3 shell's GROUP BY
/// scan, run interleaved (kanta, sqlite3, kanta, sqlite3...) on a shared,
/// noisy machine: the median of the ratios of each pair.
fn report_rfm(options: &Options, store: &Path) -> Result<Row, String> {
    let what = "`kanta report rfm` vs sqlite3 GROUP BY".to_string();
    let target = format!("<= {}x", crate::RFM_RATIO);
    let mut ratios = Vec::new();
    let (mut kanta_times, mut sqlite_times) = (Vec::new(), Vec::new());
    for _ in 0..options.runs {
        let kanta = timed(|| {
            run_quiet(
                Command::new(KANTA)
                    .arg("--db")
                    .arg(store)
                    .args(["report", "rfm", "--format", "csv", "--as-of"])
                    .arg(options.today().to_string()),
            )
        })?;
        let sqlite = timed(|| {
            run_quiet(Command::new("sqlite3").arg(store).arg(
                "SELECT customer_id, COUNT(DISTINCT order_date), SUM(amount_cents), \
                 MAX(order_date) FROM orders GROUP BY customer_id",
            ))
        });
        let sqlite = match sqlite {
            Ok(sqlite) => sqlite,
            Err(e) => {
                return Ok(Row {
                    what,
                    target,
                    measured: format!("{} (sqlite3 unavailable: {e})", millis(kanta)),
                    pass: false,
                });
            }
        };
        ratios.push(kanta.as_secs_f64() / sqlite.as_secs_f64().max(1e-9));
        kanta_times.push(kanta);
        sqlite_times.push(sqlite);
    }
    ratios.sort_by(f64::total_cmp);
    kanta_times.sort();
    sqlite_times.sort();
    let ratio = ratios[ratios.len() / 2];
    Ok(Row {
        what,
        target,
        measured: format!(
            "{ratio:.2}x (medians {} vs {}, interleaved)",
            millis(kanta_times[kanta_times.len() / 2]),
            millis(sqlite_times[sqlite_times.len() / 2])
        ),
        pass: ratio <= crate::RFM_RATIO,
    })
}

fn timed(f: impl FnOnce() -> Result<(), String>) -> Result<Duration, String> {
    let start = Instant::now();
    f()?;
    Ok(start.elapsed())
}

/// Rows of the import file: ten orders a customer, as in the reference
/// store, up to the million rows of SPEC section 8's target at either size.
fn import_file(options: &Options) -> Result<(PathBuf, u64), String> {
    let rows = (u64::from(options.customers) * 10).min(1_000_000);
    let path = options.work_dir.join(format!("orders-{rows}.csv"));
    if !path.exists() {
        let mut out = std::io::BufWriter::new(fs::File::create(&path).map_err(|e| e.to_string())?);
        let write = |out: &mut std::io::BufWriter<fs::File>, s: &str| {
            out.write_all(s.as_bytes()).map_err(|e| e.to_string())
        };
        write(&mut out, "customer,date,amount,quantity,order_id\n")?;
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..rows {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let customer = state % u64::from(options.customers.max(1));
            let day = 1 + (state >> 20) % 28;
            let month = 1 + (state >> 30) % 12;
            let year = 2023 + (state >> 40) % 4;
            let cents = 500 + (state >> 8) % 20_000;
            write(
                &mut out,
                &format!(
                    "C{customer:06},{year}-{month:02}-{day:02},{}.{:02},{},O{i:08}\n",
                    cents / 100,
                    cents % 100,
                    1 + state % 4
                ),
            )?;
        }
        out.flush().map_err(|e| e.to_string())?;
    }
    Ok((path, rows))
}

/// `kanta import orders` of the import file into a new store: its rate, and
/// its peak memory.
fn import_rate(options: &Options) -> Result<Row, String> {
    let (file, rows) = import_file(options)?;
    let target = options.work_dir.join("import-target.db");
    let mut times: Vec<Duration> = Vec::new();
    let mut peak_kib = 0;
    for _ in 0..options.runs.min(3) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = fs::remove_file(format!("{}{suffix}", target.display()));
        }
        let start = Instant::now();
        let child = Command::new(KANTA)
            .arg("--db")
            .arg(&target)
            .args(["import", "orders"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        let (ok, rss) = wait_with_peak(child)?;
        if !ok {
            return Err(format!("kanta import orders {} failed", file.display()));
        }
        times.push(start.elapsed());
        peak_kib = peak_kib.max(rss);
    }
    times.sort();
    let time = times[times.len() / 2];
    let rate = rows as f64 / time.as_secs_f64();
    Ok(Row {
        what: format!("import of {rows} order rows"),
        target: format!(
            "> {:.0} rows/s, < {} MB",
            crate::IMPORT_ROWS_PER_S,
            crate::IMPORT_RSS_MB
        ),
        measured: format!(
            "{:.0} rows/s ({}), peak {:.0} MB",
            rate,
            millis(time),
            peak_kib as f64 / 1024.0
        ),
        pass: rate > crate::IMPORT_ROWS_PER_S && peak_kib < crate::IMPORT_RSS_MB * 1024,
    })
}

/// Waits for a child and returns whether it succeeded and its peak RSS in
/// KiB: its `VmHWM`, read until it exits. (The rusage of the reaped child
/// would count the pages of this large process it was forked from.)
fn wait_with_peak(mut child: std::process::Child) -> Result<(bool, u64), String> {
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok((status.success(), peak));
        }
        let high_water = fs::read_to_string(&status_file).ok().and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        });
        peak = peak.max(high_water.unwrap_or(0));
        std::thread::sleep(Duration::from_millis(10));
    }
}
