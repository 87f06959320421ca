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

fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn two_stores_in_one_folder_keep_their_own_backups() {
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    let mut kanta = Store::open_or_create(&dir.path().join("kanta.db")).unwrap();
    let mut shop = Store::open_or_create(&dir.path().join("shop.db")).unwrap();
    add(&mut kanta, "Anna");
    add(&mut shop, "Bertta");
    for day in 1..=2 {
        kanta.daily_backup(&backups, 1, date(2024, 5, day)).unwrap();
        shop.daily_backup(&backups, 1, date(2024, 5, day)).unwrap();
    }
    assert_eq!(
        names_in(&backups),
        vec!["kanta-2024-05-02.db", "shop-2024-05-02.db"]
    );
    let copy = Store::open(&backups.join("shop-2024-05-02.db")).unwrap();
    assert_eq!(copy.customers().unwrap()[0].name, "Bertta");
}

#[test]
fn a_future_dated_backup_never_pushes_out_the_one_just_written() {
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    let mut store = Store::open_or_create(&dir.path().join("kanta.db")).unwrap();
    add(&mut store, "Anna");
    // Taken while the clock was set years ahead.
    store.daily_backup(&backups, 7, date(2030, 1, 1)).unwrap();
    store.daily_backup(&backups, 7, date(2031, 1, 1)).unwrap();
    let today = backups.join("kanta-2024-05-04.db");
    assert_eq!(
        store.daily_backup(&backups, 2, date(2024, 5, 4)).unwrap(),
        Some(today.clone())
    );
    assert!(today.exists(), "{:?}", names_in(&backups));
    assert_eq!(
        names_in(&backups),
        vec!["kanta-2024-05-04.db", "kanta-2031-01-01.db"]
    );
    // Still there the next day, with the true dates first.
    store.daily_backup(&backups, 2, date(2024, 5, 5)).unwrap();
    assert_eq!(
        names_in(&backups),
        vec!["kanta-2024-05-04.db", "kanta-2024-05-05.db"]
    );
}

#[cfg(unix)]
#[test]
fn the_backups_folder_and_its_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_or_create(&dir.path().join("kanta.db")).unwrap();
    add(&mut store, "Anna");
    let fresh = dir.path().join("backups");
    let written = store
        .daily_backup(&fresh, 2, date(2024, 5, 1))
        .unwrap()
        .unwrap();
    assert_eq!(mode(&fresh), 0o700);
    assert_eq!(mode(&written), 0o600);
    // A folder made by someone else, open to all, is closed.
    let open = dir.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
    store.daily_backup(&open, 2, date(2024, 5, 1)).unwrap();
    assert_eq!(mode(&open), 0o700);
}

/// Overwrites one page near the end of a closed store with garbage.
fn damage(path: &std::path::Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let pages = bytes.len() / 4096;
    assert!(pages > 4, "{pages} pages");
    let start = (pages - 2) * 4096;
    bytes[start..start + 4096].fill(0xA5);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_store_never_replaces_a_good_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanta.db");
    let backups = dir.path().join("backups");
    let good = backups.join("kanta-2024-05-01.db");
    {
        let mut store = Store::open_or_create(&path).unwrap();
        for i in 0..300 {
            let id = add(&mut store, &format!("Customer {i} with a longer name"));
            store.add_order(&order(id, date(2024, 1, 1), 100)).unwrap();
        }
        store.daily_backup(&backups, 7, date(2024, 5, 1)).unwrap();
    }
    let before = std::fs::read(&good).unwrap();
    damage(&path);
    let store = Store::open(&path).unwrap();
    let error = store.backup_to(&good).unwrap_err().to_string();
    assert!(
        error.contains("damaged") && error.contains(&path.display().to_string()),
        "{error}"
    );
    assert_eq!(std::fs::read(&good).unwrap(), before);
    // Nor does the daily one rotate the good one out.
    assert!(store.daily_backup(&backups, 1, date(2024, 5, 2)).is_err());
    assert_eq!(names_in(&backups), vec!["kanta-2024-05-01.db"]);
}
