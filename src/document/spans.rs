//! Where each value of a document sits, by JSON Pointer.
//!
//! Descriptors are read by the thousand, each with a few hundred values, and every
//! finding looks its fields up. So the pointers are kept in one text, one after the
//! other, rather than one allocation each, and found through a table of their places
//! hashed with foldhash (several times faster than the standard `SipHash` on short keys,
//! and still seeded per process). A document holds at most [`super::MAX_NODES`] values.

use std::hash::BuildHasher as _;

use hashbrown::HashTable;

use super::Span;

/// The position of every value of a document, by JSON Pointer.
#[derive(Clone, Default)]
pub(crate) struct Spans {
    /// Every pointer, one after the other.
    text: String,
    /// Each pointer's end in `text` (it starts where the one before ends) and its span.
    entries: Vec<(u32, Span)>,
    /// Places in `entries`, by the hash of their pointer.
    table: HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl Spans {
    /// Room for about `values` values, so that nothing grows while a document is read.
    pub(crate) fn with_capacity(values: usize) -> Self {
        Spans {
            text: String::with_capacity(values * 16),
            entries: Vec::with_capacity(values),
            table: HashTable::with_capacity(values),
            hasher: foldhash::fast::RandomState::default(),
        }
    }

    /// How many pointers it holds.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The pointer of the entry at `place`.
    fn pointer(&self, place: usize) -> &str {
        pointer_at(&self.text, &self.entries, place)
    }

    fn place(&self, pointer: &str, hash: u64) -> Option<usize> {
        self.table
            .find(hash, |&place| self.pointer(place as usize) == pointer)
            .map(|&place| place as usize)
    }

    /// Records where the value at `pointer` sits; if the pointer was already recorded
    /// (a key given twice), its span is replaced and the one before returned.
    pub(crate) fn insert(&mut self, pointer: &str, span: Span) -> Option<Span> {
        let hash = self.hasher.hash_one(pointer);
        if let Some(place) = self.place(pointer, hash) {
            return Some(std::mem::replace(&mut self.entries[place].1, span));
        }
        // Documents are at most a few megabytes and hold at most `MAX_NODES` values, so
        // places and ends fit in 32 bits; a document past that keeps no more positions.
        let (Ok(place), Ok(end)) = (
            u32::try_from(self.entries.len()),
            u32::try_from(self.text.len() + pointer.len()),
        ) else {
            return None;
        };
        self.text.push_str(pointer);
        self.entries.push((end, span));
        let Spans {
            table,
            entries,
            text,
            hasher,
        } = self;
        // Growing the table hashes the pointers again.
        table.insert_unique(hash, place, |&p| {
            hasher.hash_one(pointer_at(text, entries, p as usize))
        });
        None
    }

    /// Where the value at `pointer` sits, if the document has one there.
    pub(crate) fn get(&self, pointer: &str) -> Option<&Span> {
        let place = self.place(pointer, self.hasher.hash_one(pointer))?;
        Some(&self.entries[place].1)
    }

    /// Every pointer with its span, in the order they were recorded.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Span)> {
        (0..self.entries.len()).map(|place| (self.pointer(place), &self.entries[place].1))
    }
}

/// The pointer of the entry at `place`: from the end of the one before to its own end.
fn pointer_at<'a>(text: &'a str, entries: &[(u32, Span)], place: usize) -> &'a str {
    let start = place
        .checked_sub(1)
        .map_or(0, |before| entries[before].0 as usize);
    &text[start..entries[place].0 as usize]
}

/// The same pointers at the same places, whatever the order they were recorded in.
impl PartialEq for Spans {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(pointer, span)| other.get(pointer) == Some(span))
    }
}

impl std::fmt::Debug for Spans {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Position;

    fn at(line: u32) -> Span {
        let p = Position { line, column: 1 };
        Span { key: p, value: p }
    }

    #[test]
    fn each_pointer_finds_its_own_span() {
        let mut spans = Spans::with_capacity(2);
        let pointers: Vec<String> = (0..1000).map(|i| format!("/a/{i}")).collect();
        for (i, p) in pointers.iter().enumerate() {
            assert_eq!(spans.insert(p, at(u32::try_from(i).unwrap_or(0))), None);
        }
        assert_eq!(spans.insert("", at(7)), None);
        for (i, p) in pointers.iter().enumerate() {
            assert_eq!(spans.get(p), Some(&at(u32::try_from(i).unwrap_or(0))));
        }
        assert_eq!(spans.get(""), Some(&at(7)));
        assert_eq!(spans.get("/a"), None);
        assert_eq!(spans.get("/a/1000"), None);
        assert_eq!(spans.len(), 1001);
    }

    #[test]
    fn a_pointer_given_twice_keeps_one_entry_with_the_last_span() {
        let mut spans = Spans::default();
        assert_eq!(spans.insert("/x", at(1)), None);
        assert_eq!(spans.insert("/x", at(2)), Some(at(1)));
        assert_eq!(spans.get("/x"), Some(&at(2)));
        assert_eq!(spans.len(), 1);
    }

    #[test]
    fn equal_whatever_the_order() {
        let mut a = Spans::default();
        let mut b = Spans::default();
        a.insert("/x", at(1));
        a.insert("/y", at(2));
        b.insert("/y", at(2));
        b.insert("/x", at(1));
        assert_eq!(a, b);
        b.insert("/z", at(3));
        assert_ne!(a, b);
    }
}
