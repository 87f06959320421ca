//! Records kept by a window between loads, brought up to date with the
//! customers the change log names: the facts and the listings alike.

use crate::domain::CustomerId;

use super::{Store, StoreError};

/// More changed customers than this, and more than one in [`PATCH_SHARE`]
/// of all, and everyone's records are read in one scan rather than theirs
/// one by one.
const PATCH_ALWAYS: usize = 64;
const PATCH_SHARE: usize = 8;

/// `old` (ordered by id) with the records of the customers `changed` read
/// again by `one`, in one snapshot of `store`: those deleted are left out,
/// those added put in their place. When so many changed that one scan is
/// quicker, every record is read by `all` instead.
pub(crate) fn patch<T: Clone>(
    store: &Store,
    old: &[T],
    changed: &[CustomerId],
    id: impl Fn(&T) -> CustomerId,
    all: impl FnOnce() -> Result<Vec<T>, StoreError>,
    mut one: impl FnMut(CustomerId) -> Result<Vec<T>, StoreError>,
) -> Result<Vec<T>, StoreError> {
    if read_all(changed.len(), old.len()) {
        return all();
    }
    let changed = sorted(changed);
    let read = {
        let _snapshot = store.snapshot()?;
        let mut read = Vec::with_capacity(changed.len());
        for &customer in &changed {
            read.extend(one(customer)?);
        }
        read
    };
    Ok(merge(old, &changed, read, id))
}

/// Whether `changed` of `all` records are better read all again.
fn read_all(changed: usize, all: usize) -> bool {
    changed > PATCH_ALWAYS.max(all / PATCH_SHARE)
}

/// `changed` sorted, each once.
fn sorted(changed: &[CustomerId]) -> Vec<CustomerId> {
    let mut changed = changed.to_vec();
    changed.sort_unstable();
    changed.dedup();
    changed
}

/// `old` (ordered by id) with the records of the `changed` customers
/// (sorted) replaced by `read`, their records as they are now (ordered by
/// id): one no longer there is gone, one new is put in its place.
fn merge<T: Clone>(
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
