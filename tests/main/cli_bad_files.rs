//! Generated bad files through the real binary: each is refused with exit code
//! 2, names its bad row as `file:line:`, and leaves no import behind.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestRunner};

use crate::cli_common;

use cli_common::kanta;

/// The seed of the property tests (as in the library's own).
const SEED: u64 = 461_196_129_377;

/// An orders or contacts file of good rows with one bad row among them: its
/// command, text and the line of the bad row.
fn bad_file() -> impl Strategy<Value = (&'static str, String, usize)> {
    let good_orders = (
        1u32..28,
        1i64..100_000,
        "[A-Za-zäö \u{1b}\u{9b}\u{202e}]{1,8}",
    )
        .prop_map(|(day, cents, name)| {
            format!(
                "K{cents},2026-02-{day:02},{}.{:02},\"{name}\"",
                cents / 100,
                cents % 100
            )
        });
    let bad_orders = prop::sample::select(
        &[
            "K1,2023-02-29,5.00,x",
            "K2,2026-01-01,12.345,x",
            ",2026-01-01,5,x",
            "K3,2026-01-01,5,\"=HYPERLINK(\"\"http://x\"\")\"",
            "K4,0000-01-01,5,x",
            "K5,2026-01-01,\u{1b}[2J,x",
        ][..],
    );
    let orders = (
        prop::collection::vec(good_orders, 0..6),
        bad_orders,
        any::<usize>(),
    )
        .prop_map(|(mut rows, bad, at)| {
            let at = at % (rows.len() + 1);
            rows.insert(at, bad.to_string());
            let text = format!("customer,date,amount,name\n{}\n", rows.join("\n"));
            ("orders", text, at + 2)
        });
    let bad_contacts = prop::sample::select(
        &[
            "C1,Anna,anna.at.x.fi,",
            "C2,=cmd,,",
            "C3,\u{1b}]0;x\u{7},,nobody\u{202e}",
            "C4,Bo,bo@x.fi,C4",
        ][..],
    );
    let contacts = (1usize..5, bad_contacts, any::<usize>()).prop_map(|(good, bad, at)| {
        let mut rows: Vec<String> = (0..good)
            .map(|i| format!("R{i},Name {i},r{i}@example.fi,"))
            .collect();
        let at = at % (rows.len() + 1);
        rows.insert(at, bad.to_string());
        let text = format!("ref,name,email,referred_by\n{}\n", rows.join("\n"));
        ("contacts", text, at + 2)
    });
    prop_oneof![orders, contacts]
}

#[test]
fn generated_bad_files_exit_with_2_and_name_their_line() {
    let cases = 8;
    eprintln!("{cases} cases, ChaCha seed {SEED}");
    let config = Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(SEED),
        failure_persistence: None,
        ..Config::default()
    };
    let result = TestRunner::new(config).run(&bad_file(), |(command, text, line)| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.csv"), &text).unwrap();
        let run = kanta(dir.path(), &["import", command, "bad.csv", "--db", "k.db"]);
        prop_assert_eq!(run.code, 2, "{}", run.stderr);
        prop_assert!(
            run.stderr.contains(&format!("bad.csv:{line}: ")),
            "line {} not named: {}",
            line,
            run.stderr
        );
        prop_assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        prop_assert!(
            !run.stderr
                .chars()
                .any(|c| matches!(c, '\u{1b}' | '\u{7}' | '\u{9b}' | '\u{202e}')),
            "{:?}",
            run.stderr
        );
        // Refused by the reader, the store is never made; by the store, it is
        // made but holds no import.
        if dir.path().join("k.db").exists() {
            let list = kanta(dir.path(), &["import", "list", "--db", "k.db"]);
            prop_assert!(list.stdout.contains("no imports yet"), "{}", list.stdout);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("seed {SEED}: {e}");
    }
}

#[test]
fn a_file_imported_before_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.csv"), "name\nAino\n").unwrap();
    let args = ["import", "contacts", "c.csv", "--db", "k.db"];
    let first = kanta(dir.path(), &args);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let again = kanta(dir.path(), &args);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        again.stdout,
        "c.csv: already imported as import 1; nothing new\n"
    );
}
