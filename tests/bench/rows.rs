//! The rows of the benchmark table.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use kanta::demo::{DemoOptions, generate};
use kanta::store::Store;

use crate::Options;
use crate::measure::{Row, median, millis, print_table};

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

/// `kanta report rfm` as a whole process against the sqlite3 shell's GROUP BY scan.
fn report_rfm(options: &Options, store: &Path) -> Result<Row, String> {
    let kanta = median(options.runs, || {
        run_quiet(
            Command::new(KANTA)
                .arg("--db")
                .arg(store)
                .args(["report", "rfm", "--format", "csv", "--as-of"])
                .arg(options.today().to_string()),
        )
    })?;
    let sqlite = median(options.runs, || {
        run_quiet(Command::new("sqlite3").arg(store).arg(
            "SELECT customer_id, COUNT(DISTINCT order_date), SUM(amount_cents), MAX(order_date) \
             FROM orders GROUP BY customer_id",
        ))
    });
    Ok(match sqlite {
        Ok(sqlite) => {
            let ratio = kanta.as_secs_f64() / sqlite.as_secs_f64().max(1e-9);
            Row {
                what: "`kanta report rfm` vs sqlite3 GROUP BY".into(),
                target: "<= 2.0x".into(),
                measured: format!("{:.2}x ({} vs {})", ratio, millis(kanta), millis(sqlite)),
                pass: ratio <= 2.0,
            }
        }
        Err(e) => Row {
            what: "`kanta report rfm` vs sqlite3 GROUP BY".into(),
            target: "<= 2.0x".into(),
            measured: format!("{} (sqlite3 unavailable: {e})", millis(kanta)),
            pass: false,
        },
    })
}

/// Rows of the import file: ten orders a customer, as in the reference store.
fn import_file(options: &Options) -> Result<(PathBuf, u64), String> {
    let rows = u64::from(options.customers) * 10;
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

/// `kanta import orders` of ten rows per reference customer into a new store.
fn import_rate(options: &Options) -> Result<Row, String> {
    let (file, rows) = import_file(options)?;
    let target = options.work_dir.join("import-target.db");
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..options.runs.min(3) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = fs::remove_file(format!("{}{suffix}", target.display()));
        }
        let start = Instant::now();
        run_quiet(
            Command::new(KANTA)
                .arg("--db")
                .arg(&target)
                .args(["import", "orders"])
                .arg(&file),
        )?;
        times.push(start.elapsed());
    }
    times.sort();
    let time = times[times.len() / 2];
    let rate = rows as f64 / time.as_secs_f64();
    Ok(Row {
        what: format!("import of {rows} order rows"),
        target: "> 200,000 rows/s".into(),
        measured: format!("{:.0} rows/s ({})", rate, millis(time)),
        pass: rate > 200_000.0,
    })
}
