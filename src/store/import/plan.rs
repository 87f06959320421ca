//! The order in which an orders import writes its rows.
//!
//! Writing in customer-key order turns the index inserts into near-appends,
//! which keeps a million-row import in the page cache. The plan is built from
//! numbers only (a slot per distinct key, ranked by the key), so sorting and
//! walking it never chases a string through memory.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::OrderImport;

/// One row, as the writer needs it, in writing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Planned {
    /// Rank of the row's customer key among the file's distinct keys.
    pub slot: u32,
    pub date: NaiveDate,
    pub amount_cents: i64,
    /// Position in the file: identical rows keep their order.
    pub index: u32,
}

/// The distinct customer keys in key order, and the rows in writing order
/// (by key, date, amount, then position in the file).
pub(super) fn plan(rows: &[OrderImport]) -> (Vec<&str>, Vec<Planned>) {
    let mut first_seen: HashMap<&str, u32> = HashMap::new();
    let mut keys: Vec<&str> = Vec::new();
    let mut slots: Vec<u32> = Vec::with_capacity(rows.len());
    for row in rows {
        let key = row.customer_key.as_str();
        let next = keys.len() as u32;
        let slot = *first_seen.entry(key).or_insert_with(|| {
            keys.push(key);
            next
        });
        slots.push(slot);
    }
    let mut by_key: Vec<u32> = (0..keys.len() as u32).collect();
    by_key.sort_unstable_by_key(|&slot| keys[slot as usize]);
    let mut rank = vec![0u32; keys.len()];
    for (position, &slot) in by_key.iter().enumerate() {
        rank[slot as usize] = position as u32;
    }
    let mut planned: Vec<Planned> = rows
        .iter()
        .zip(&slots)
        .enumerate()
        .map(|(index, (row, &slot))| Planned {
            slot: rank[slot as usize],
            date: row.date,
            amount_cents: row.amount_cents,
            index: index as u32,
        })
        .collect();
    planned.sort_unstable();
    let keys = by_key.iter().map(|&slot| keys[slot as usize]).collect();
    (keys, planned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_go_by_key_then_date_then_amount_then_file_order() {
        let row = |key: &str, day: u32, cents: i64| OrderImport {
            customer_key: key.into(),
            date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            amount_cents: cents,
            ..Default::default()
        };
        let rows = vec![
            row("b", 1, 5),
            row("a", 2, 5),
            row("b", 1, 3),
            row("a", 1, 9),
            row("b", 1, 5),
        ];
        let (keys, planned) = plan(&rows);
        assert_eq!(keys, vec!["a", "b"]);
        let order: Vec<u32> = planned.iter().map(|p| p.index).collect();
        assert_eq!(order, vec![3, 1, 2, 0, 4]);
        assert_eq!(planned[0].slot, 0);
        assert_eq!(planned[4].slot, 1);
    }
}
