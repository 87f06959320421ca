use super::{add, date, order};
use crate::store::Store;

#[test]
fn a_backup_is_a_private_openable_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_or_create(&dir.path().join("kanta.db")).unwrap();
    let anna = add(&mut store, "Anna");
    store
        .add_order(&order(anna, date(2024, 1, 1), 1234))
        .unwrap();
    let dest = dir.path().join("copy.db");
    std::fs::write(&dest, b"an older copy").unwrap();
    store.backup_to(&dest).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dest).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let copy = Store::open(&dest).unwrap();
    assert_eq!(copy.customers().unwrap(), store.customers().unwrap());
    assert_eq!(copy.orders().unwrap(), store.orders().unwrap());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn daily_backups_are_one_a_day_and_only_the_newest_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_or_create(&dir.path().join("kanta.db")).unwrap();
    add(&mut store, "Anna");
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::write(backups.join("notes.txt"), "mine").unwrap();
    for day in 1..=4 {
        let written = store.daily_backup(&backups, 2, date(2024, 5, day)).unwrap();
        assert_eq!(
            written,
            Some(backups.join(format!("kanta-2024-05-0{day}.db")))
        );
    }
    assert_eq!(
        store.daily_backup(&backups, 2, date(2024, 5, 4)).unwrap(),
        None
    );
    let mut names: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec!["kanta-2024-05-03.db", "kanta-2024-05-04.db", "notes.txt"]
    );
}
