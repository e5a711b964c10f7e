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
        MapDeserializer::new(places(start, len).map(|i| {
            let (key_start, key_len) = TREE_KEYS[i as usize];
            (text(key_start, key_len), Tree(i))
        }))
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
