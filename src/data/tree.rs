//! JSON written into the binary as constant Rust data. `build.rs` writes the built-in
//! catalog's files and the descriptor schema this way, so that a run reads them without
//! parsing any text: a tree is deserialised straight into the types that read rule files,
//! with the same checks (unknown keys, missing fields, wrong types) as if it were JSON.
//!
//! The trees hold no pointers: every node is a number or a place in one pool of nodes and
//! one of text. A pointer in constant data is a relocation the loader must apply to
//! every process at start-up, whatever the command; tens of thousands of them made even
//! `--version` slower.

use serde::de::value::{
    BorrowedStrDeserializer, Error, MapAccessDeserializer, MapDeserializer, SeqDeserializer,
};
use serde::de::{self, IntoDeserializer, Visitor};

use super::embedded::{TREE_KEYS, TREE_NODES, TREE_TEXT};

/// One node of a tree, as `build.rs` writes it: a place is an index into the pool of
/// nodes (`TREE_NODES`) or a range of the text (`TREE_TEXT`).
#[derive(Debug, Clone, Copy)]
#[allow(
    dead_code,
    reason = "build.rs writes the variants the data needs; the built-in files may use only some"
)]
pub(crate) enum Node {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number from 0 up.
    Unsigned(u64),
    /// A negative whole number.
    Signed(i64),
    /// Any other number.
    Float(f64),
    /// A string: where it starts in the text, and its length in bytes.
    Text(u32, u32),
    /// An array: where its items start in the pool, and how many there are.
    List(u32, u32),
    /// An object: where its values start in the pool, and how many there are; the key of
    /// each is at the same place in `TREE_KEYS`.
    Map(u32, u32),
}

/// A tree: the place of its root in the pool of nodes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tree(pub(crate) u32);

/// A range of the text. `build.rs` writes every range on character boundaries, within
/// the text, as it writes every place within the pool.
fn text(start: u32, len: u32) -> &'static str {
    let start = start as usize;
    &TREE_TEXT[start..start + len as usize]
}

/// The places `start..start + len` of the pool.
fn places(start: u32, len: u32) -> impl Iterator<Item = u32> {
    start..start + len
}

impl Tree {
    fn node(self) -> Node {
        TREE_NODES[self.0 as usize]
    }

    /// The entries of an object, as a map deserialiser reads them.
    fn entries(
        start: u32,
        len: u32,
    ) -> MapDeserializer<'static, impl Iterator<Item = (&'static str, Tree)>, Error> {
        MapDeserializer::new(places(start, len).map(Tree::entry))
    }

    /// The entry of an object at place `i` of the pool: its key, and its value.
    fn entry(i: u32) -> (&'static str, Tree) {
        let (key_start, key_len) = TREE_KEYS[i as usize];
        (text(key_start, key_len), Tree(i))
    }
}

impl IntoDeserializer<'static, Error> for Tree {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl de::Deserializer<'static> for Tree {
    type Error = Error;

    fn deserialize_any<V: Visitor<'static>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node() {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(b),
            Node::Unsigned(n) => visitor.visit_u64(n),
            Node::Signed(n) => visitor.visit_i64(n),
            Node::Float(n) => visitor.visit_f64(n),
            Node::Text(start, len) => visitor.visit_borrowed_str(text(start, len)),
            Node::List(start, len) => {
                let mut seq = SeqDeserializer::new(places(start, len).map(Tree));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Node::Map(start, len) => {
                let mut map = Tree::entries(start, len);
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'static>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node() {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'static>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// A unit variant is a string; a variant with data, an object of one entry (as in JSON).
    fn deserialize_enum<V: Visitor<'static>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.node() {
            Node::Text(start, len) => {
                visitor.visit_enum(BorrowedStrDeserializer::new(text(start, len)))
            }
            Node::Map(start, 1) => {
                visitor.visit_enum(MapAccessDeserializer::new(Tree::entries(start, 1)))
            }
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'static>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

/// A JSON value as the schema checks read it: a parsed `serde_json::Value`, or a constant
/// tree read in place, with nothing built. The descriptor schema is read as a tree on every
/// run, so that checking one descriptor needs no copy of the schema in memory.
pub(crate) trait Json<'a>: Copy + 'a {
    /// The entries of an object.
    type Entries: Iterator<Item = (&'a str, Self)>;
    /// The items of a list.
    type Items: Iterator<Item = Self>;

    /// The entries, if this is an object.
    fn entries(self) -> Option<Self::Entries>;
    /// The items, if this is a list.
    fn items(self) -> Option<Self::Items>;
    /// The text, if this is a string.
    fn as_str(self) -> Option<&'a str>;
    /// The value, if this is `true` or `false`.
    fn as_bool(self) -> Option<bool>;
    /// The number, if this is a whole number from 0 up.
    fn as_u64(self) -> Option<u64>;
    /// The number, if this is a whole number that fits an `i64`.
    fn as_i64(self) -> Option<i64>;
    /// The number, if this is any number.
    fn as_f64(self) -> Option<f64>;
    /// Whether this is `null`.
    fn is_null(self) -> bool;

    /// Whether this is a number.
    fn is_number(self) -> bool {
        self.as_f64().is_some()
    }

    /// Whether this is an object.
    fn is_object(self) -> bool {
        self.entries().is_some()
    }

    /// Whether this is `true` or `false`.
    fn is_boolean(self) -> bool {
        self.as_bool().is_some()
    }

    /// The value of `key`, if this is an object that has it.
    fn get(self, key: &str) -> Option<Self> {
        self.entries()?.find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Whether this is an object that has `key`.
    fn contains_key(self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The value a JSON Pointer (RFC 6901) leads to, as `serde_json::Value::pointer` finds it.
    fn pointer(self, pointer: &str) -> Option<Self> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut at = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            // Copied only when it has an escape: most have none.
            let token = if token.contains('~') {
                std::borrow::Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
            } else {
                std::borrow::Cow::Borrowed(token)
            };
            at = if let Some(mut items) = at.items() {
                let plain = !token.starts_with('+') && (token == "0" || !token.starts_with('0'));
                items.nth(token.parse::<usize>().ok().filter(|_| plain)?)?
            } else {
                at.get(&token)?
            };
        }
        Some(at)
    }

    /// Whether this equals `value`. Numbers are compared only as whole numbers: the schema
    /// checks never decide on a comparison of other numbers.
    fn equals(self, value: &serde_json::Value) -> bool {
        use serde_json::Value;
        match value {
            Value::Null => self.is_null(),
            Value::Bool(b) => self.as_bool() == Some(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => self.as_u64() == Some(u),
                (None, Some(i)) => self.as_u64().is_none() && self.as_i64() == Some(i),
                (None, None) => false,
            },
            Value::String(s) => self.as_str() == Some(s.as_str()),
            Value::Array(list) => {
                self.items()
                    .is_some_and(|items| items.count() == list.len())
                    && self
                        .items()
                        .is_some_and(|items| items.zip(list).all(|(a, b)| a.equals(b)))
            }
            Value::Object(map) => {
                self.entries()
                    .is_some_and(|entries| entries.count() == map.len())
                    && self.entries().is_some_and(|mut entries| {
                        entries.all(|(k, v)| map.get(k).is_some_and(|m| v.equals(m)))
                    })
            }
        }
    }
}

/// The entries of a parsed object, with their keys as text.
type ValueEntries<'a> = std::iter::Map<
    serde_json::map::Iter<'a>,
    fn((&'a String, &'a serde_json::Value)) -> (&'a str, &'a serde_json::Value),
>;

impl<'a> Json<'a> for &'a serde_json::Value {
    type Entries = ValueEntries<'a>;
    type Items = std::slice::Iter<'a, serde_json::Value>;

    fn entries(self) -> Option<Self::Entries> {
        let entry: fn((&'a String, &'a serde_json::Value)) -> (&'a str, &'a serde_json::Value) =
            |(k, v)| (k.as_str(), v);
        self.as_object().map(|map| map.iter().map(entry))
    }

    fn items(self) -> Option<Self::Items> {
        self.as_array().map(|list| list.iter())
    }

    fn as_str(self) -> Option<&'a str> {
        serde_json::Value::as_str(self)
    }

    fn as_bool(self) -> Option<bool> {
        serde_json::Value::as_bool(self)
    }

    fn as_u64(self) -> Option<u64> {
        serde_json::Value::as_u64(self)
    }

    fn as_i64(self) -> Option<i64> {
        serde_json::Value::as_i64(self)
    }

    fn as_f64(self) -> Option<f64> {
        serde_json::Value::as_f64(self)
    }

    fn is_null(self) -> bool {
        serde_json::Value::is_null(self)
    }

    fn get(self, key: &str) -> Option<Self> {
        serde_json::Value::get(self, key)
    }

    fn pointer(self, pointer: &str) -> Option<Self> {
        serde_json::Value::pointer(self, pointer)
    }

    fn equals(self, value: &serde_json::Value) -> bool {
        self == value
    }
}

/// The entries of an object in a tree.
type TreeEntries = std::iter::Map<std::ops::Range<u32>, fn(u32) -> (&'static str, Tree)>;

impl Json<'static> for Tree {
    type Entries = TreeEntries;
    type Items = std::iter::Map<std::ops::Range<u32>, fn(u32) -> Tree>;

    fn entries(self) -> Option<Self::Entries> {
        match self.node() {
            Node::Map(start, len) => Some((start..start + len).map(Tree::entry as fn(u32) -> _)),
            _ => None,
        }
    }

    fn items(self) -> Option<Self::Items> {
        match self.node() {
            Node::List(start, len) => Some((start..start + len).map(Tree as fn(u32) -> Tree)),
            _ => None,
        }
    }

    fn as_str(self) -> Option<&'static str> {
        match self.node() {
            Node::Text(start, len) => Some(text(start, len)),
            _ => None,
        }
    }

    fn as_bool(self) -> Option<bool> {
        match self.node() {
            Node::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn as_u64(self) -> Option<u64> {
        match self.node() {
            Node::Unsigned(n) => Some(n),
            _ => None,
        }
    }

    fn as_i64(self) -> Option<i64> {
        match self.node() {
            Node::Unsigned(n) => i64::try_from(n).ok(),
            Node::Signed(n) => Some(n),
            _ => None,
        }
    }

    #[allow(
        clippy::cast_precision_loss,
        reason = "as `serde_json::Value::as_f64` reads it"
    )]
    fn as_f64(self) -> Option<f64> {
        match self.node() {
            Node::Unsigned(n) => Some(n as f64),
            Node::Signed(n) => Some(n as f64),
            Node::Float(n) => Some(n),
            _ => None,
        }
    }

    fn is_null(self) -> bool {
        matches!(self.node(), Node::Null)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde::Deserialize;
    use serde_json::Value;

    use crate::data::RULE_TREES;
    use crate::document::{Document, Format};

    #[test]
    fn every_built_in_tree_reads_as_the_file_it_was_written_from() {
        for (rel, tree) in RULE_TREES {
            let path = format!("rules/{rel}");
            let text = crate::data::file(&path).unwrap();
            let doc =
                Document::from_bytes(&path, text.as_bytes(), Format::from_name(&path)).unwrap();
            assert_eq!(Value::deserialize(*tree).unwrap(), doc.value, "{path}");
        }
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_errors_as_in_json() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Other {
            #[expect(dead_code, reason = "only whether it reads is looked at")]
            other: Option<bool>,
        }
        #[derive(Debug, Deserialize)]
        struct Wrong {
            #[expect(dead_code, reason = "only whether it reads is looked at")]
            rules: bool,
        }
        let (_, tree) = RULE_TREES
            .iter()
            .find(|(rel, _)| !rel.contains('/'))
            .unwrap();
        let error = Other::deserialize(*tree).unwrap_err().to_string();
        assert!(error.contains("unknown field `rules`"), "{error}");
        let error = Wrong::deserialize(*tree).unwrap_err().to_string();
        assert!(error.contains("invalid type"), "{error}");
    }
}
