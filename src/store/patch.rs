//! Records kept by a window between loads, brought up to date with the
//! customers the change log names: the facts and the listings alike.

use crate::domain::CustomerId;

use super::{Store, StoreError};

/// More changed customers than this, and more than one in [`PATCH_SHARE`]
/// of all, and everyone's records are read in one scan rather than theirs
/// one by one.
const PATCH_ALWAYS: usize = 64;
const PATCH_SHARE: usize = 8;

/// Records a window kept, ordered by id: shared with what it shows (then
/// those kept are cloned) or its own (then they are moved, which on a large
/// store is most of a patch's cost saved).
pub(crate) enum Old<'a, T> {
    Shared(&'a [T]),
    Owned(Vec<T>),
}

impl<T: Clone> Old<'_, T> {
    fn len(&self) -> usize {
        match self {
            Old::Shared(old) => old.len(),
            Old::Owned(old) => old.len(),
        }
    }

    /// The records of customers not in `changed` (sorted), in their order.
    fn unchanged(self, changed: &[CustomerId], id: impl Fn(&T) -> CustomerId) -> Vec<T> {
        let unchanged = |r: &T| changed.binary_search(&id(r)).is_err();
        match self {
            Old::Shared(old) => old.iter().filter(|r| unchanged(r)).cloned().collect(),
            Old::Owned(mut old) => {
                old.retain(unchanged);
                old
            }
        }
    }
}

/// `old` with the records of the customers `changed` read again by `one`,
/// in one snapshot of `store`: those deleted are left out, those added put
/// in their place. When so many changed that one scan is quicker, every
/// record is read by `all` instead.
pub(crate) fn patch<T: Clone>(
    store: &Store,
    old: Old<'_, T>,
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
    Ok(merge(old.unchanged(&changed, &id), read, id))
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

/// `kept` and `read` (each ordered by id, no id in both) in one list ordered
/// by id, every record moved.
fn merge<T>(kept: Vec<T>, read: Vec<T>, id: impl Fn(&T) -> CustomerId) -> Vec<T> {
    let mut merged = Vec::with_capacity(kept.len() + read.len());
    let mut read = read.into_iter().peekable();
    for kept in kept {
        while let Some(new) = read.next_if(|new| id(new) < id(&kept)) {
            merged.push(new);
        }
        merged.push(kept);
    }
    merged.extend(read);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shared or owned, the records kept come out the same.
    #[test]
    fn a_merge_replaces_drops_and_inserts_in_id_order() {
        let old = [1, 3, 5, 7];
        // 3 changed, 5 deleted, 4 and 9 new.
        let changed = sorted(&[9, 5, 3, 4, 3]);
        for old in [Old::Shared(&old[..]), Old::Owned(old.to_vec())] {
            let merged = merge(old.unchanged(&changed, |&r| r), vec![3, 4, 9], |&r| r);
            assert_eq!(merged, vec![1, 3, 4, 7, 9]);
        }
        let none: Old<'_, i64> = Old::Owned(Vec::new());
        assert_eq!(
            merge(none.unchanged(&[2], |&r| r), vec![2], |&r| r),
            vec![2]
        );
        assert_eq!(
            merge(Old::Shared(&old[..]).unchanged(&[], |&r| r), vec![], |&r| r),
            old.to_vec()
        );
    }
}
