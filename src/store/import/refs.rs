//! Customers' ids by their refs, for the rows of an import: one look-up a
//! row, a million of them in a large import, at places all over the table.
//! A ref of up to [`SHORT`] bytes (almost every one) is kept in the table
//! itself, so a look-up reads one place in memory rather than two: with
//! the refs on the heap, the look-ups took a fifth of a large import's
//! writing.

use std::collections::HashMap;

/// The longest ref kept in the table itself.
const SHORT: usize = 22;

/// A ref as the table keeps it. A short ref is never equal to a long one.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Short { len: u8, bytes: [u8; SHORT] },
    Long(Box<str>),
}

impl Key {
    fn of(reference: &str) -> Key {
        let text = reference.as_bytes();
        if text.len() > SHORT {
            return Key::Long(reference.into());
        }
        let mut bytes = [0; SHORT];
        bytes[..text.len()].copy_from_slice(text);
        Key::Short {
            len: text.len() as u8,
            bytes,
        }
    }
}

/// Customer ids by ref.
#[derive(Default)]
pub(crate) struct RefIds(HashMap<Key, i64>);

impl RefIds {
    pub(crate) fn get(&self, reference: &str) -> Option<i64> {
        self.0.get(&Key::of(reference)).copied()
    }

    /// Says that `reference` is the ref of `id`, unless it is some other's already.
    pub(crate) fn add(&mut self, reference: &str, id: i64) {
        self.0.entry(Key::of(reference)).or_insert(id);
    }
}

impl FromIterator<(String, i64)> for RefIds {
    fn from_iter<I: IntoIterator<Item = (String, i64)>>(rows: I) -> RefIds {
        let mut ids = RefIds::default();
        for (reference, id) in rows {
            ids.add(&reference, id);
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_short_long_and_at_the_bound_are_told_apart() {
        let bound = "x".repeat(SHORT);
        let longer = "x".repeat(SHORT + 1);
        let refs = [
            "",
            "C000001",
            "C0000010",
            "ä",
            bound.as_str(),
            longer.as_str(),
        ];
        let ids: RefIds = refs
            .iter()
            .enumerate()
            .map(|(i, r)| (r.to_string(), i as i64))
            .collect();
        for (i, r) in refs.iter().enumerate() {
            assert_eq!(ids.get(r), Some(i as i64), "{r:?}");
        }
        assert_eq!(ids.get("C00000"), None);
        assert_eq!(ids.get(&"x".repeat(SHORT - 1)), None);
        assert_eq!(ids.get(&"x".repeat(SHORT + 2)), None);
        // A ref already known keeps its first customer.
        let mut ids = ids;
        ids.add("C000001", 99);
        ids.add(&longer, 99);
        assert_eq!(ids.get("C000001"), Some(1));
        assert_eq!(ids.get(&longer), Some(5));
    }
}
