//! The copies kanta writes (SPEC section 9): backups named per store and never
//! written over the store, private files written whole, and an erasure that
//! reaches every copy kanta made.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use kanta::domain::CustomerDraft;
use kanta::store::Store;

use crate::cli_common;

use cli_common::kanta;

const EMAIL: &str = "zyxwvut.unique@example.org";
const NAME: &str = "Zyxwvut Qwertyson";

/// A store `name` in `dir` with one customer whose ref is an email.
fn store(dir: &Path, name: &str) -> (PathBuf, i64) {
    let path = dir.join(name);
    let mut store = Store::open_or_create(&path).unwrap();
    store
        .insert_customer(&CustomerDraft {
            name: "Somebody Else".into(),
            ..CustomerDraft::default()
        })
        .unwrap();
    let id = store
        .insert_customer(&CustomerDraft {
            reference: Some(EMAIL.into()),
            name: NAME.into(),
            emails: vec![EMAIL.into()],
            notes: format!("{NAME} prefers mornings"),
            ..CustomerDraft::default()
        })
        .unwrap()
        .id;
    (path, id)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn customers_in(path: &Path) -> usize {
    Store::open(path).unwrap().customers().unwrap().len()
}

#[test]
fn a_backup_never_replaces_the_store_however_it_is_named() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path(), "kanta.db");
    std::os::unix::fs::symlink("kanta.db", dir.path().join("link.db")).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    for dest in ["./kanta.db", "sub/../kanta.db", "link.db", "kanta.db-wal"] {
        let run = kanta(dir.path(), &["backup", dest, "--db", "kanta.db"]);
        assert_eq!(run.code, 2, "{dest}: {}", run.stderr);
        assert!(run.stderr.contains("store"), "{dest}: {}", run.stderr);
        assert_eq!(customers_in(&dir.path().join("kanta.db")), 2, "{dest}");
    }
    assert!(!dir.path().join("kanta.db-wal").is_file());
}

#[test]
fn a_backup_replaces_an_earlier_backup_but_another_file_only_when_forced() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path(), "kanta.db");
    let args = ["backup", "copy.db", "--db", "kanta.db"];
    assert_eq!(kanta(dir.path(), &args).code, 0);
    let again = kanta(dir.path(), &args);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "mine").unwrap();
    let run = kanta(dir.path(), &["backup", "notes.txt", "--db", "kanta.db"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("notes.txt") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "mine");
    let run = kanta(
        dir.path(),
        &["backup", "notes.txt", "--force", "--db", "kanta.db"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(customers_in(&notes), 2);
}

#[test]
fn a_backup_destination_that_cannot_be_written_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path(), "kanta.db");
    let run = kanta(
        dir.path(),
        &["backup", "missing/copy.db", "--db", "kanta.db"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("kanta: cannot write missing/copy.db"),
        "{}",
        run.stderr
    );
}

#[test]
fn backups_are_named_after_their_store_and_private() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path(), "shop.db");
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    std::fs::set_permissions(&backups, std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = kanta(dir.path(), &["backup", "--db", "shop.db"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let copy = backups.join(format!("shop-{}.db", today()));
    assert!(copy.is_file(), "{}", run.stdout);
    assert_eq!(mode(&copy), 0o600);
    assert_eq!(mode(&backups), 0o700);
}

#[test]
fn erase_reaches_the_backups_and_exports_and_names_what_it_cannot_vouch_for() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path(), "kanta.db");
    assert_eq!(kanta(dir.path(), &["backup", "--db", "kanta.db"]).code, 0);
    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    // As the dashboard named exports before they were named by id.
    let legacy = exports.join("zyxwvut_unique_example_org-2024-05-01.json");
    std::fs::write(&legacy, NAME).unwrap();
    std::fs::write(exports.join("notes.txt"), "mine").unwrap();

    let run = kanta(
        dir.path(),
        &["customer", "erase", EMAIL, "--yes", "--db", "kanta.db"],
    );

    let said = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(
        said.lines().filter(|l| l.contains("notes.txt")).count(),
        1,
        "{said}"
    );
    let backup = dir.path().join(format!("backups/kanta-{}.db", today()));
    let bytes = std::fs::read(&backup).unwrap();
    assert!(
        !contains(&bytes, NAME) && !contains(&bytes, EMAIL),
        "{said}"
    );
    assert_eq!(mode(&backup), 0o600);
    assert!(!legacy.exists(), "{said}");
}

#[test]
fn a_customer_export_saved_by_the_command_line_is_named_by_id_and_private() {
    let dir = tempfile::tempdir().unwrap();
    let (_, id) = store(dir.path(), "kanta.db");
    let run = kanta(
        dir.path(),
        &["customer", "export", EMAIL, "--save", "--db", "kanta.db"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let exports = dir.path().join("exports");
    let name = format!("kanta-customer-{id}-{}.json", today());
    let file = exports.join(&name);
    assert!(run.stdout.contains(&name), "{}", run.stdout);
    assert!(!run.stdout.contains("zyxwvut"), "{}", run.stdout);
    assert!(std::fs::read_to_string(&file).unwrap().contains(NAME));
    assert_eq!((mode(&exports), mode(&file)), (0o700, 0o600));
    // And an erasure deletes it.
    let run = kanta(
        dir.path(),
        &["customer", "erase", EMAIL, "--yes", "--db", "kanta.db"],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!file.exists());
}

#[test]
fn output_files_are_private_written_whole_and_never_the_store() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path(), "kanta.db");
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "older").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = kanta(
        dir.path(),
        &["export", "contacts", "--db", "kanta.db", "-o", "out.csv"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read_to_string(&out).unwrap().contains(NAME));
    assert_eq!(mode(&out), 0o600);

    let run = kanta(
        dir.path(),
        &["export", "contacts", "--db", "kanta.db", "-o", "./kanta.db"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(customers_in(&dir.path().join("kanta.db")), 2);

    // A folder in the way: the rename fails, and nothing is left beside it.
    std::fs::create_dir(dir.path().join("taken")).unwrap();
    std::fs::write(dir.path().join("taken/x"), "").unwrap();
    let run = kanta(
        dir.path(),
        &["export", "contacts", "--db", "kanta.db", "-o", "taken"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot write taken"), "{}", run.stderr);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
