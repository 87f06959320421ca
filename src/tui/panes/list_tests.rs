//! The shared list behaviour: cursor, pages, filter, sort and column widths.

use super::*;

/// Names and amounts, as a pane gives them.
struct People(Vec<(&'static str, i64)>);

impl Rows for People {
    fn count(&self) -> usize {
        self.0.len()
    }
    fn haystack(&self, item: usize) -> String {
        self.0.get(item).map_or(String::new(), |p| p.0.to_string())
    }
    fn sort_key(&self, column: usize, item: usize) -> SortKey {
        match (column, self.0.get(item)) {
            (0, Some(p)) => SortKey::text(p.0),
            (_, Some(p)) if p.1 >= 0 => SortKey::Int(p.1),
            _ => SortKey::Missing,
        }
    }
    fn identity(&self, item: usize) -> i64 {
        item as i64
    }
}

const COLUMNS: [Column; 2] = [Column::text("Name", 4, 1), Column::figure("Revenue")];

fn people(n: usize) -> People {
    let names = ["Aino", "Bertil", "Cecilia", "Daniel", "Eero"];
    People(
        (0..n)
            .map(|i| (names[i % names.len()], (i as i64 * 37) % 101 - 5))
            .collect(),
    )
}

fn view(rows: &People) -> ListView {
    let mut v = ListView::new(SortBy {
        column: 0,
        descending: false,
    });
    v.refresh(rows);
    v
}

#[test]
fn home_end_and_pages_of_the_rows_shown() {
    let rows = people(2000);
    let mut v = view(&rows);
    assert!(v.handle(Action::Last, &rows, &COLUMNS));
    assert_eq!(v.position(), "2000/2000");
    v.handle(Action::First, &rows, &COLUMNS);
    assert_eq!(v.selected, 0);
    // Before a frame: ten rows; after one of 31 rows: 31.
    v.handle(Action::PageDown, &rows, &COLUMNS);
    assert_eq!(v.selected, 10);
    assert_eq!(v.visible(31), 0..31);
    v.handle(Action::PageDown, &rows, &COLUMNS);
    assert_eq!(v.selected, 41);
    assert_eq!(
        v.visible(31),
        11..42,
        "the view moves as little as it takes"
    );
    v.handle(Action::PageUp, &rows, &COLUMNS);
    assert_eq!(v.selected, 10);
    assert_eq!(v.visible(31), 10..41);
    assert_eq!(v.position(), "11/2000");
    v.handle(Action::Up, &rows, &COLUMNS);
    v.handle(Action::Up, &rows, &COLUMNS);
    assert_eq!(v.visible(31), 8..39);
}

#[test]
fn the_view_never_leaves_the_rows_for_any_moves() {
    // A bounded walk with a fixed seed: every step keeps the cursor in
    // the list and on screen.
    let rows = people(57);
    let mut v = view(&rows);
    let actions = [
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::First,
        Action::Last,
    ];
    let mut seed: u64 = 0x5eed_1157;
    for _ in 0..2000 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let action = actions[(seed >> 33) as usize % actions.len()];
        let height = (seed >> 45) as usize % 40;
        v.handle(action, &rows, &COLUMNS);
        let shown = v.visible(height);
        assert!(v.selected < 57);
        if height > 0 {
            assert!(shown.contains(&v.selected), "{shown:?} {}", v.selected);
            assert!(shown.len() == height.min(57));
        }
    }
}

#[test]
fn the_filter_narrows_as_one_types_and_esc_clears_it() {
    let rows = people(10);
    let mut v = view(&rows);
    v.handle(Action::Filter, &rows, &COLUMNS);
    assert!(v.typing);
    v.type_char('e', &rows);
    // Bertil, Cecilia, Daniel, Eero, twice each.
    assert_eq!(v.len(), 8);
    v.type_char('r', &rows);
    assert_eq!(v.len(), 4, "Bertil and Eero");
    v.type_char(' ', &rows);
    v.type_char('b', &rows);
    assert_eq!(v.len(), 2, "every word must match");
    v.erase(&rows);
    v.erase(&rows);
    assert_eq!(v.len(), 4);
    // The cursor stays on its row as the filter changes.
    v.select(3);
    let before = v.current();
    v.erase(&rows);
    assert_eq!(v.current(), before);
    v.clear_filter(&rows);
    assert!(!v.typing);
    assert_eq!(v.len(), 10);
    assert_eq!(v.current(), before);
    v.type_char('z', &rows);
    assert!(v.is_empty());
    assert_eq!(v.position(), "0/0");
    assert_eq!(v.current(), None);
}

#[test]
fn sort_cycles_columns_and_reverses_with_missing_values_last() {
    let rows = People(vec![("Cecilia", 10), ("Aino", -1), ("Bertil", 30)]);
    let mut v = view(&rows);
    assert_eq!(v.shown, [1, 2, 0], "by name");
    v.handle(Action::CycleSort, &rows, &COLUMNS);
    assert_eq!(
        v.sort,
        SortBy {
            column: 1,
            descending: true
        }
    );
    assert_eq!(v.shown, [2, 0, 1], "highest first, the missing amount last");
    v.handle(Action::ReverseSort, &rows, &COLUMNS);
    assert_eq!(
        v.shown,
        [0, 2, 1],
        "lowest first, the missing amount still last"
    );
    v.handle(Action::CycleSort, &rows, &COLUMNS);
    assert_eq!(v.sort.column, 0);
    assert_eq!(v.shown, [1, 2, 0]);
}

#[test]
fn columns_use_the_width_they_get() {
    let columns = [
        Column::text("Name", 6, 2),
        Column::text("Company", 6, 1).optional(2),
        Column::figure("Revenue"),
        Column::figure("P").optional(1),
    ];
    let natural = [20, 12, 10, 4];
    // Everything fits: the room left goes to the text columns.
    let (w, gap) = widths(&columns, &natural, 120);
    assert_eq!(gap, 2);
    let total: usize = w.iter().flatten().sum::<usize>() + gap * 3;
    assert_eq!(total, 120);
    assert!(w[0] > Some(20) && w[1] > Some(12));
    assert_eq!((w[2], w[3]), (Some(10), Some(4)));
    // Too narrow: the optional columns go, lowest first, before any cut.
    let (w, _) = widths(&columns, &natural, 45);
    assert_eq!(w[3], None);
    assert_eq!((w[0], w[1], w[2]), (Some(21), Some(12), Some(10)));
    let (w, _) = widths(&columns, &natural, 31);
    assert_eq!(w[1], None);
    assert_eq!((w[0], w[2]), (Some(20), Some(10)));
    // Narrower still: the name is cut, the figure never.
    let (w, _) = widths(&columns, &natural, 20);
    assert_eq!((w[0], w[2]), (Some(9), Some(10)));
    // Degenerate widths draw something, never panic.
    for width in 0..8 {
        let (w, _) = widths(&columns, &natural, width);
        assert!(w.iter().flatten().all(|&c| c <= width));
    }
}

#[test]
fn lines_are_laid_out_in_terminal_cells() {
    let columns = [Column::text("Name", 4, 1), Column::figure("Sum")];
    let widths = [Some(6), Some(5)];
    assert_eq!(
        layout_line(&columns, &["日本語".into(), "12".into()], &widths, 1),
        "日本語    12"
    );
    assert_eq!(
        layout_line(&columns, &["Järvinen".into(), "1".into()], &widths, 1),
        "Järvi…     1"
    );
    let header = header_line(
        &columns,
        SortBy {
            column: 1,
            descending: true,
        },
        &widths,
        1,
    );
    assert_eq!(header.to_string(), "Name   Sum ▼");
}

#[test]
fn ranks_share_equal_keys_and_put_missing_last() {
    let keys = [
        SortKey::text("b"),
        SortKey::Missing,
        SortKey::text("A"),
        SortKey::text("a"),
        SortKey::text("c"),
    ];
    assert_eq!(ranked(&keys).ranks, [1, MISSING_RANK, 0, 0, 2]);
}

/// How a test list sorts: by its keys, by each item's rank, or by the
/// column's whole order.
#[derive(Clone, Copy, Debug, PartialEq)]
enum SortPath {
    Keys,
    Ranks,
    Order,
}

/// Keys ranked beforehand, the items admitted by a rule (a list's own
/// narrowing), sorted by one path.
struct Ranked {
    keys: Vec<SortKey>,
    ranked: super::Ranked,
    path: SortPath,
    admit_every: usize,
}

impl Rows for Ranked {
    fn count(&self) -> usize {
        self.keys.len()
    }
    fn haystack(&self, _item: usize) -> String {
        String::new()
    }
    fn sort_key(&self, _column: usize, item: usize) -> SortKey {
        self.keys[item].clone()
    }
    fn identity(&self, item: usize) -> i64 {
        item as i64
    }
    fn admits(&self, item: usize) -> bool {
        item.is_multiple_of(self.admit_every)
    }
    fn rank(&self, _column: usize, item: usize) -> Option<u32> {
        (self.path != SortPath::Keys).then(|| self.ranked.ranks[item])
    }
    fn ranked(&self, _column: usize) -> Option<&super::Ranked> {
        (self.path == SortPath::Order).then_some(&self.ranked)
    }
}

/// Sorting by precomputed ranks, or by the column's precomputed order, gives
/// the order the keys give, in both directions, for every row or some of
/// them, ties in the pane's order and missing values last.
#[test]
fn a_sort_by_ranks_or_by_the_order_is_the_sort_by_keys() {
    // Many ties, a few missing; ranks far apart (few items against their
    // range) as well as dense.
    let keysets: [Vec<SortKey>; 2] = [
        (0..600u64)
            .map(|i| match (i * 7919) % 11 {
                0 => SortKey::Missing,
                k => SortKey::Int((k % 5) as i64),
            })
            .collect(),
        // Every 31st of a few values (ties among the rows one in 31 admits),
        // the rest spread wide.
        (0..3000u64)
            .map(|i| match (i % 31, (i * 104_729) % 13) {
                (0, _) => SortKey::Int(((i / 31) % 3) as i64 * 40_000),
                (_, 0) => SortKey::Missing,
                _ => SortKey::Int(((i * 2_654_435_761) % 99_991) as i64),
            })
            .collect(),
    ];
    for keys in keysets {
        let ranked = ranked(&keys);
        for admit_every in [1, 2, 7, 31, 200] {
            for descending in [false, true] {
                let by = |path: SortPath| {
                    let rows = Ranked {
                        keys: keys.clone(),
                        ranked: ranked.clone(),
                        path,
                        admit_every,
                    };
                    let mut view = ListView::new(SortBy {
                        column: 0,
                        descending,
                    });
                    view.refresh(&rows);
                    view.shown
                };
                let by_keys = by(SortPath::Keys);
                assert_eq!(by_keys.len(), keys.len().div_ceil(admit_every));
                for path in [SortPath::Ranks, SortPath::Order] {
                    assert_eq!(
                        by(path),
                        by_keys,
                        "{path:?}, every {admit_every}, descending {descending}"
                    );
                }
            }
        }
    }
}

/// A column's order is its keys' indices in ascending order, equal keys in
/// the indices' order (texts alike in their first bytes too), missing last.
#[test]
fn a_columns_order_keeps_equal_keys_in_the_indices_order() {
    let keys: Vec<SortKey> = ["b", "", "mattilainen", "A", "mattilainen", "a", "", "b"]
        .iter()
        .map(|t| SortKey::text(t))
        .collect();
    assert_eq!(ranked(&keys).order, [3, 5, 0, 7, 2, 4, 1, 6]);
    let ints = [
        SortKey::Int(2),
        SortKey::Missing,
        SortKey::Int(1),
        SortKey::Int(2),
    ];
    assert_eq!(ranked(&ints).order, [2, 0, 3, 1]);
}

/// The ranks' fast sort (by a whole number first) orders every kind of key
/// as the keys' own comparison does.
#[test]
fn ranks_order_as_the_keys_compare() {
    let by_compare = |keys: &[SortKey]| {
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by(|&a, &b| keys[a].compare(&keys[b], false));
        // Each key's rank: how many distinct smaller keys come before it.
        let mut ranks = vec![MISSING_RANK; keys.len()];
        let mut rank = 0;
        for (n, &i) in order.iter().enumerate() {
            if keys[i] == SortKey::Missing {
                continue;
            }
            if n > 0 && keys[order[n - 1]].compare(&keys[i], false) != std::cmp::Ordering::Equal {
                rank += 1;
            }
            ranks[i] = rank;
        }
        ranks
    };
    let texts: Vec<SortKey> = [
        "matti",
        "Matti",
        "mattila",
        "mattilainen",
        "mattilaine",
        "",
        "ä",
        "z",
        "a\u{0}",
        "a",
        "abcdefgh",
        "abcdefghi",
        "abcdefgh\u{0}",
        "Ökkö",
        "öljy",
    ]
    .iter()
    .map(|t| SortKey::text(t))
    .collect();
    assert_eq!(ranked(&texts).ranks, by_compare(&texts));
    let ints: Vec<SortKey> = [5, -3, i64::MIN, i64::MAX, 0, -3, 7]
        .into_iter()
        .map(SortKey::Int)
        .chain([SortKey::Missing])
        .collect();
    assert_eq!(ranked(&ints).ranks, by_compare(&ints));
    let floats: Vec<SortKey> = [
        0.5,
        -0.0,
        0.0,
        -2.5,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1e-300,
        0.5,
    ]
    .into_iter()
    .map(SortKey::Float)
    .chain([SortKey::Missing, SortKey::Missing])
    .collect();
    assert_eq!(ranked(&floats).ranks, by_compare(&floats));
    // Mixed kinds keep the comparison's own answer.
    let mixed = vec![SortKey::Int(2), SortKey::text("b"), SortKey::Int(1)];
    assert_eq!(ranked(&mixed).ranks.len(), 3);
}

#[test]
fn ranks_after_a_few_keys_changed_are_the_ranks_of_every_key_now() {
    // Generated from one seed: keys with many ties and some missing, texts
    // and numbers; a few rows changed, some added past the last.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |below: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % below
    };
    for case in 0..300 {
        let texts = case % 2 == 0;
        let key = |next: &mut dyn FnMut(u64) -> u64| match next(9) {
            0 => SortKey::Missing,
            k if texts => SortKey::text(&format!(
                "{}{}",
                ["a", "B", "ab", "b"][k as usize % 4],
                next(3)
            )),
            _ => SortKey::Int(next(6) as i64 - 2),
        };
        let rows = 1 + next(40) as usize;
        let mut keys: Vec<SortKey> = (0..rows).map(|_| key(&mut next)).collect();
        let before = ranked(&keys);
        let mut changed = Vec::new();
        for _ in 0..1 + next(5) {
            let row = next(rows as u64 + 3) as usize;
            if row >= keys.len() {
                keys.resize(row + 1, SortKey::Missing);
            }
            keys[row] = key(&mut next);
            changed.push(row as u32);
        }
        // A row added past the last without a new key stays missing.
        for row in rows..keys.len() {
            changed.push(row as u32);
        }
        let mut after = before.clone();
        after.change(&changed, |row| key_at(&keys, row).clone());
        assert_eq!(
            after,
            ranked(&keys),
            "case {case}: keys {keys:?}, changed {changed:?}"
        );
    }
}
