//! The config refused with one sentence (SPEC section 7), and `kanta demo`
//! kept apart from the real store, in a private home.

use std::path::Path;
use std::process::Command;

use crate::cli_common::Run;

/// `kanta ARGS` with `home` as the home: its own config and data directories,
/// `$KANTA_DB` pointing at `home/real.db`, the real store the demo must leave alone.
fn kanta_at_home(home: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_kanta"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("KANTA_DB", home.join("real.db"))
        .env("LANG", "en_US.UTF-8")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `kanta --config home/config.toml ARGS` with the config holding `text`.
fn with_config(home: &Path, text: &str, args: &[&str]) -> Run {
    let config = home.join("config.toml");
    std::fs::write(&config, text).unwrap();
    let mut all = vec!["--config", config.to_str().unwrap()];
    all.extend(args);
    kanta_at_home(home, &all)
}

/// A refusal: exit 2 and one line on stderr, which says `expected`.
fn refused(run: &Run, expected: &str) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(expected), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn a_config_file_named_but_missing_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("nope.toml");
    let run = kanta_at_home(
        home.path(),
        &["--config", missing.to_str().unwrap(), "import", "list"],
    );
    refused(
        &run,
        &format!(
            "kanta: the config file {} does not exist",
            missing.display()
        ),
    );
    // Without --config, a missing default config means the defaults.
    assert!(!home.path().join("real.db").exists());
    let run = kanta_at_home(home.path(), &["report", "pyramid", "--db", "x.db"]);
    assert!(run.stderr.contains("x.db"), "{}", run.stderr);
    assert!(!run.stderr.contains("config"), "{}", run.stderr);
}

#[test]
fn an_unknown_language_is_refused_at_its_line() {
    let home = tempfile::tempdir().unwrap();
    let run = with_config(
        home.path(),
        "currency = \"EUR\"\nlanguage = \"de\"\n",
        &["import", "list"],
    );
    refused(
        &run,
        "config.toml:2: language: \"de\" is not a language kanta speaks (en or fi",
    );
}

#[test]
fn an_unknown_setting_is_refused_with_its_name_and_line() {
    let home = tempfile::tempdir().unwrap();
    let run = with_config(
        home.path(),
        "[rules]\nexpire_after_day = 10\n",
        &["import", "list"],
    );
    refused(&run, "config.toml:2:");
    assert!(run.stderr.contains("expire_after_day"), "{}", run.stderr);
    let run = with_config(
        home.path(),
        "[rules.thank_you]\nwithin = 10\n",
        &["import", "list"],
    );
    refused(&run, "within");
}

#[test]
fn a_key_bound_to_two_actions_is_refused_naming_both() {
    let home = tempfile::tempdir().unwrap();
    let run = with_config(home.path(), "[keys]\ndone = \"z\"\n", &["import", "list"]);
    refused(
        &run,
        "config.toml:2: [keys] binds z to both done and snooze_day in the follow-up list",
    );
    // A global key over a pane's own.
    let run = with_config(
        home.path(),
        "[keys]\nweekly_review = \"d\"\n",
        &["import", "list"],
    );
    refused(&run, "binds d to both done and weekly_review");
    // Swapped, each key means one thing: accepted.
    let run = with_config(
        home.path(),
        "[keys]\ndone = \"z\"\nsnooze_day = \"d\"\n",
        &["import", "list", "--db", "swap.db"],
    );
    assert!(!run.stderr.contains("[keys]"), "{}", run.stderr);
    let run = with_config(home.path(), "[keys]\nfly = \"x\"\n", &["import", "list"]);
    refused(&run, "config.toml:2: unknown action \"fly\" in [keys]");
}

fn customers(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_demo_has_its_own_store_made_once_and_never_the_real_one() {
    let home = tempfile::tempdir().unwrap();
    let demo = home.path().join("data/kanta/demo.db");
    let run = kanta_at_home(home.path(), &["demo", "--customers", "30"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let said = run.stdout.trim_end();
    assert!(
        said.starts_with(&format!(
            "{}: a demo store of 30 customers, ",
            demo.display()
        )) && said.ends_with(" follow-ups; `kanta demo` opens it"),
        "{said}"
    );
    assert_eq!(customers(&demo), 30);
    assert!(
        !home.path().join("real.db").exists(),
        "the real store untouched"
    );

    // A second time it is there: kept as it is, with what was added to it.
    rusqlite::Connection::open(&demo)
        .unwrap()
        .execute(
            "INSERT INTO customers (ref, name) VALUES ('MINE', 'Added by hand')",
            [],
        )
        .unwrap();
    let run = kanta_at_home(home.path(), &["demo", "--customers", "30"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim_end(),
        format!(
            "{} already holds 31 customers, left as it is; `kanta demo` opens it; \
             `kanta demo --fresh` makes a new one",
            demo.display()
        )
    );
    assert_eq!(customers(&demo), 31);

    // --fresh replaces it.
    let run = kanta_at_home(home.path(), &["demo", "--customers", "20", "--fresh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("a demo store of 20 customers"),
        "{}",
        run.stdout
    );
    assert_eq!(customers(&demo), 20);
    assert!(
        !home.path().join("real.db").exists(),
        "the real store untouched"
    );
}

#[test]
fn the_demo_with_db_fills_that_store_only_when_empty() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("other.db");
    let db_arg = db.to_str().unwrap();
    let run = kanta_at_home(home.path(), &["demo", "--customers", "25", "--db", db_arg]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains(&format!("`kanta demo --db {}` opens it", db.display())),
        "{}",
        run.stdout
    );
    assert_eq!(customers(&db), 25);
    let run = kanta_at_home(home.path(), &["demo", "--customers", "40", "--db", db_arg]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("already holds 25 customers"),
        "{}",
        run.stdout
    );
    // --fresh never replaces a store it was pointed at.
    let run = kanta_at_home(
        home.path(),
        &["demo", "--customers", "40", "--db", db_arg, "--fresh"],
    );
    refused(&run, "already has customers and is kept");
    assert_eq!(customers(&db), 25);
    assert!(!home.path().join("data/kanta/demo.db").exists());
}
