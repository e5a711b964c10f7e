//! JSON written into the binary as constant Rust data. `build.rs` writes the built-in
//! catalog's files this way, so that a run reads them without parsing any text: a tree is
//! deserialised straight into the types that read rule files, with the same checks
//! (unknown keys, missing fields, wrong types) as if it were JSON text.

use serde::de::value::{
    BorrowedStrDeserializer, Error, MapAccessDeserializer, MapDeserializer, SeqDeserializer,
};
use serde::de::{self, IntoDeserializer, Visitor};

/// A JSON value as constant data.
#[derive(Debug)]
#[allow(
    dead_code,
    reason = "build.rs writes the variants the data needs; the built-in files may use only some"
)]
pub(crate) enum Tree {
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
    /// A string.
    Text(&'static str),
    /// An array.
    List(&'static [Tree]),
    /// An object, its keys in order.
    Map(&'static [(&'static str, Tree)]),
}

impl Tree {
    /// The entries of an object, as a map deserialiser reads them.
    fn entries(
        entries: &'static [(&'static str, Tree)],
    ) -> MapDeserializer<'static, impl Iterator<Item = (&'static str, &'static Tree)>, Error> {
        MapDeserializer::new(entries.iter().map(|(key, value)| (*key, value)))
    }
}

impl IntoDeserializer<'static, Error> for &'static Tree {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl de::Deserializer<'static> for &'static Tree {
    type Error = Error;

    fn deserialize_any<V: Visitor<'static>>(self, visitor: V) -> Result<V::Value, Error> {
        match *self {
            Tree::Null => visitor.visit_unit(),
            Tree::Bool(b) => visitor.visit_bool(b),
            Tree::Unsigned(n) => visitor.visit_u64(n),
            Tree::Signed(n) => visitor.visit_i64(n),
            Tree::Float(n) => visitor.visit_f64(n),
            Tree::Text(s) => visitor.visit_borrowed_str(s),
            Tree::List(items) => {
                let mut seq = SeqDeserializer::new(items.iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Tree::Map(entries) => {
                let mut map = Tree::entries(entries);
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'static>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Tree::Null => visitor.visit_none(),
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
        match *self {
            Tree::Text(s) => visitor.visit_enum(BorrowedStrDeserializer::new(s)),
            Tree::Map(entries) if entries.len() == 1 => {
                visitor.visit_enum(MapAccessDeserializer::new(Tree::entries(entries)))
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

    use serde::Deserialize as _;
    use serde_json::{Value, json};

    use super::Tree;

    static SAMPLE: Tree = Tree::Map(&[
        (
            "a",
            Tree::List(&[Tree::Unsigned(1), Tree::Signed(-2), Tree::Float(0.5)]),
        ),
        ("b", Tree::Bool(true)),
        ("c", Tree::Null),
        ("d", Tree::Text("x \"y\"")),
    ]);

    #[test]
    fn a_tree_reads_as_the_json_it_was_written_from() {
        let value = Value::deserialize(&SAMPLE).unwrap();
        assert_eq!(
            value,
            json!({"a": [1, -2, 0.5], "b": true, "c": null, "d": "x \"y\""})
        );
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_errors_as_in_json() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[expect(dead_code, reason = "only whether it reads is looked at")]
        struct Strict {
            b: bool,
        }
        static WRONG: Tree = Tree::Map(&[("b", Tree::Text("yes"))]);
        let error = Strict::deserialize(&SAMPLE).unwrap_err().to_string();
        assert!(error.contains("unknown field `a`"), "{error}");
        let error = Strict::deserialize(&WRONG).unwrap_err().to_string();
        assert!(error.contains("invalid type"), "{error}");
    }
}
