//! Records kept by a window between loads, brought up to date with the
//! customers the change log names: the facts and the listings alike.

use crate::domain::CustomerId;

/// More changed customers than this, and more than one in [`PATCH_SHARE`]
/// of all, and everyone's records are read in one scan rather than theirs
/// one by one.
const PATCH_ALWAYS: usize = 64;
const PATCH_SHARE: usize = 8;

/// Whether `changed` of `all` records are better read all again.
pub(crate) fn read_all(changed: usize, all: usize) -> bool {
    changed > PATCH_ALWAYS.max(all / PATCH_SHARE)
}

/// `changed` sorted, each once.
pub(crate) fn sorted(changed: &[CustomerId]) -> Vec<CustomerId> {
    let mut changed = changed.to_vec();
    changed.sort_unstable();
    changed.dedup();
    changed
}

/// `old` (ordered by id) with the records of the `changed` customers
/// (sorted) replaced by `read`, their records as they are now (ordered by
/// id): one no longer there is gone, one new is put in its place.
pub(crate) fn merge<T: Clone>(
    old: &[T],
    changed: &[CustomerId],
    read: Vec<T>,
    id: impl Fn(&T) -> CustomerId,
) -> Vec<T> {
    let mut merged = Vec::with_capacity(old.len() + read.len());
    let mut read = read.into_iter().peekable();
    for kept in old
        .iter()
        .filter(|r| changed.binary_search(&id(r)).is_err())
    {
        while let Some(new) = read.next_if(|new| id(new) < id(kept)) {
            merged.push(new);
        }
        merged.push(kept.clone());
    }
    merged.extend(read);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_replaces_drops_and_inserts_in_id_order() {
        let old = [1, 3, 5, 7];
        // 3 changed, 5 deleted, 4 and 9 new.
        let merged = merge(&old, &sorted(&[9, 5, 3, 4, 3]), vec![3, 4, 9], |&r| r);
        assert_eq!(merged, vec![1, 3, 4, 7, 9]);
        assert_eq!(merge(&[], &[2], vec![2], |&r| r), vec![2]);
        assert_eq!(merge(&old, &[], vec![], |&r| r), old.to_vec());
    }
}
