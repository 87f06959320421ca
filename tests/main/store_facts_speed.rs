//! How long `load_facts` and `duplicate_candidates` take on a store the size of
//! the reference demo (100,000 customers, 1,000,000 orders). A measurement, not
//! a pass/fail test; run it in release:
//! `cargo test --release --test main store_facts_speed -- --ignored --nocapture`

use std::time::{Duration, Instant};

use kanta::store::Store;
use rusqlite::params;

/// A small deterministic generator; the figures need no statistical quality.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

const FIRST: [&str; 8] = [
    "Matti", "Maija", "Juha", "Anna", "Timo", "Liisa", "Pekka", "Sanna",
];
const LAST: [&str; 8] = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Hämäläinen",
    "Laine",
    "Koskinen",
    "Heikkinen",
];
const CITIES: [&str; 6] = ["Helsinki", "Tampere", "Oulu", "Turku", "Espoo", "Kuopio"];

fn fill(store: &mut Store, customers: u64, orders: u64) {
    let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
    let tx = store.connection_mut().transaction().unwrap();
    {
        let mut customer = tx
            .prepare("INSERT INTO customers (id, ref, name, city) VALUES (?1, ?2, ?3, ?4)")
            .unwrap();
        let mut email = tx
            .prepare(
                "INSERT INTO customer_emails (customer_id, position, email) VALUES (?1, 0, ?2)",
            )
            .unwrap();
        for id in 1..=customers {
            let first = FIRST[random.below(8) as usize];
            let last = LAST[random.below(8) as usize];
            let name = format!("{first} {last} {}", random.below(500));
            let city = CITIES[random.below(6) as usize];
            customer
                .execute(params![id as i64, format!("K{id:06}"), name, city])
                .unwrap();
            email
                .execute(params![
                    id as i64,
                    format!("c{}@example.fi", random.below(customers * 4))
                ])
                .unwrap();
        }
        let mut order = tx
            .prepare(
                "INSERT INTO orders (customer_id, order_date, amount_cents) VALUES (?1, ?2, ?3)",
            )
            .unwrap();
        for _ in 0..orders {
            let customer = 1 + random.below(customers) as i64;
            let date = format!(
                "20{:02}-{:02}-{:02}",
                18 + random.below(7),
                1 + random.below(12),
                1 + random.below(28)
            );
            let amount = random.below(20_000) as i64 - 1_000;
            order.execute(params![customer, date, amount]).unwrap();
        }
        let mut interaction = tx
            .prepare("INSERT INTO interactions (customer_id, at, kind) VALUES (?1, ?2, 'call')")
            .unwrap();
        for _ in 0..customers {
            let at = format!(
                "2024-{:02}-{:02}T{:02}:15:00.000Z",
                1 + random.below(12),
                1 + random.below(28),
                random.below(24)
            );
            interaction
                .execute(params![1 + random.below(customers) as i64, at])
                .unwrap();
        }
    }
    tx.commit().unwrap();
}

/// CPU time of this thread (user + system), from /proc: on a machine shared
/// with other work, wall time says more about the neighbours than about us.
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<u64> = after_name
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse().ok())
        .collect();
    // Clock ticks of 10 ms (USER_HZ is 100 on Linux).
    Duration::from_millis(fields.iter().sum::<u64>() * 10)
}

/// Best wall time and best CPU time of `runs` runs.
fn best_of<T>(runs: usize, mut work: impl FnMut() -> T) -> (Duration, Duration) {
    let times: Vec<(Duration, Duration)> = (0..runs)
        .map(|_| {
            let (start, cpu) = (Instant::now(), thread_cpu());
            let result = work();
            let time = (start.elapsed(), thread_cpu() - cpu);
            drop(result);
            time
        })
        .collect();
    (
        times.iter().map(|t| t.0).min().unwrap(),
        times.iter().map(|t| t.1).min().unwrap(),
    )
}

#[test]
#[ignore]
fn load_facts_of_the_reference_store() {
    // KANTA_SPEED_DB keeps the filled store between runs (for profiling).
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var_os("KANTA_SPEED_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("kanta.db"));
    if !path.exists() {
        let mut store = Store::open_or_create(&path).unwrap();
        let start = Instant::now();
        fill(&mut store, 100_000, 1_000_000);
        eprintln!("filled in {:?}", start.elapsed());
    }
    let open_time = best_of(3, || drop(Store::open(&path).unwrap()));
    eprintln!("open: {:?} wall, {:?} cpu", open_time.0, open_time.1);
    let store = Store::open(&path).unwrap();
    // The facts of the run before are dropped outside the timing.
    let mut kept = Vec::new();
    let facts_time = best_of(5, || kept = store.load_facts().unwrap());
    let days = kept.iter().map(|f| f.days.len()).sum::<usize>();
    assert_eq!(kept.len(), 100_000);
    eprintln!(
        "load_facts: {:?} wall, {:?} cpu ({days} customer-days)",
        facts_time.0, facts_time.1
    );
    // The two ways of reading the orders: folded by SQLite, or every row.
    for sql in [
        "SELECT customer_id, order_date, sum(amount_cents), max(amount_cents >= 0)
         FROM orders GROUP BY customer_id, order_date ORDER BY customer_id, order_date",
        "SELECT customer_id, order_date, amount_cents FROM orders ORDER BY customer_id, order_date",
        "SELECT id, ref, source, referred_by, prospect, advocate, contact_every_days FROM customers ORDER BY id",
        "SELECT id, customer_id, at FROM interactions ORDER BY customer_id, at",
    ] {
        let mut stmt = store.connection().prepare(sql).unwrap();
        let scan = best_of(3, || {
            let mut rows = stmt.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                std::hint::black_box(row.get_ref(1).unwrap());
            }
        });
        eprintln!(
            "{:?} wall, {:?} cpu: {}",
            scan.0,
            scan.1,
            sql.split_whitespace().take(6).collect::<Vec<_>>().join(" ")
        );
    }
    let mut pairs = 0;
    let duplicates_time = best_of(2, || pairs = store.duplicate_candidates().unwrap().len());
    eprintln!(
        "duplicate_candidates: {:?} wall, {:?} cpu ({pairs} pairs)",
        duplicates_time.0, duplicates_time.1
    );
}

/// The same on the demo store of the benchmark (`kanta demo --customers
/// 100000`), whose names come from lists, so namesakes are common.
#[test]
#[ignore]
fn load_facts_and_duplicates_of_the_demo_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var_os("KANTA_DEMO_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("demo.db"));
    if !path.exists() {
        let mut store = Store::open_or_create(&path).unwrap();
        let options = kanta::demo::DemoOptions {
            customers: 100_000,
            seed: 1,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        };
        let summary = kanta::demo::generate(&mut store, &options, &mut |_, _| {}).unwrap();
        eprintln!("demo: {summary:?}");
    }
    let store = Store::open(&path).unwrap();
    let facts_time = best_of(5, || store.load_facts().unwrap());
    eprintln!(
        "load_facts: {:?} wall, {:?} cpu",
        facts_time.0, facts_time.1
    );
    let mut pairs = Vec::new();
    let duplicates_time = best_of(2, || pairs = store.duplicate_candidates().unwrap());
    eprintln!(
        "duplicate_candidates: {:?} wall, {:?} cpu ({} pairs)",
        duplicates_time.0,
        duplicates_time.1,
        pairs.len()
    );
    for pair in pairs.iter().take(3).chain(pairs.iter().rev().take(3)) {
        let (a, b) = (
            store.customer(pair.a).unwrap().unwrap(),
            store.customer(pair.b).unwrap().unwrap(),
        );
        eprintln!(
            "{:.3} {} | {} / {} | {:?} {:?}",
            pair.score, pair.reason, a.name, b.name, a.city, b.city
        );
    }
}
