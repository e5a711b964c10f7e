#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use super::{to_vec, to_writer};

/// What `serde_json` writes, which this module must write byte for byte.
fn reference<T: ?Sized + Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

fn ours<T: ?Sized + Serialize>(value: &T) -> String {
    let mut out = Vec::new();
    to_vec(&mut out, value).unwrap();
    String::from_utf8(out).unwrap()
}

#[track_caller]
fn same<T: ?Sized + Serialize>(value: &T) {
    assert_eq!(ours(value), reference(value));
}

#[test]
fn every_character_is_escaped_as_serde_json_escapes_it() {
    // Every ASCII character, and text beyond ASCII, alone and in runs of every length up to
    // past two blocks of the wide comparison, with a character needing an escape at every
    // place.
    let mut texts: Vec<String> = (0..=0x7f_u8).map(|b| char::from(b).to_string()).collect();
    texts.extend(["é", "→", "😀", "\u{7f}", "\u{2028}", "a\"b\\c\nd\u{1}e"].map(String::from));
    for special in [
        '"', '\\', '\n', '\t', '\u{0}', '\u{8}', '\u{c}', '\r', '\u{1f}', ' ', 'é',
    ] {
        for len in 0..72 {
            for at in 0..=len {
                let mut text: String = "x".repeat(len);
                text.insert(at, special);
                texts.push(text);
                // Bytes above ASCII (and the bytes just below a control character and
                // a quote) around it, which a word-at-a-time check must not mistake, nor
                // the sixteen-byte check of long text around its first blocks' ends.
                let around_blocks = (28..=36).contains(&len) || (44..=52).contains(&len);
                for fill in ["é", "\u{1f}", "!", "#", "]"]
                    .iter()
                    .filter(|_| len < 24 || around_blocks)
                {
                    let mut text: String = fill.repeat(len);
                    text.insert(at * fill.len(), special);
                    texts.push(text);
                }
            }
        }
    }
    for text in &texts {
        same(text);
    }
    same(&texts);
}

#[test]
fn containers_are_laid_out_as_serde_json_lays_them_out() {
    same(&json!(null));
    same(&json!([]));
    same(&json!({}));
    same(&json!([[], {}, [[]], [{}], {"a": []}, {"a": {}}]));
    same(&json!({
        "a": 1, "b": -2, "c": 1.5, "d": 1e300, "e": true, "f": null, "g": "text",
        "nested": {"deeper": {"deepest": [1, [2, [3, [4, [5, [6, {"x": [[]]}]]]]]]}}
    }));
    // Deeper than the indentation written without a loop.
    let mut deep = json!("bottom");
    for level in 0..40 {
        deep = if level % 2 == 0 {
            json!([deep])
        } else {
            json!({"k": deep})
        };
    }
    same(&deep);
    same(&(
        1_u8,
        -1_i64,
        u64::MAX,
        i128::MIN,
        u128::MAX,
        0.1_f32,
        f64::NAN,
        f64::INFINITY,
    ));
    same(&Some(vec![Some(1), None]));
    same(&('c', "str", b"bytes".as_slice(), serde_bytes_like(b"ab")));
}

/// Bytes serialised as bytes (`serialize_bytes`), not as a sequence of numbers.
fn serde_bytes_like(bytes: &'static [u8]) -> impl Serialize {
    struct Bytes(&'static [u8]);
    impl Serialize for Bytes {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }
    Bytes(bytes)
}

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Newtype(Vec<u8>);

#[derive(Serialize)]
struct Tuple(u8, &'static str);

#[derive(Serialize)]
enum Shape {
    Plain,
    Newtype(u8),
    NewtypeEmpty(Vec<u8>),
    Tuple(u8, u8),
    TupleEmpty(),
    Struct { a: u8, b: Vec<Shape> },
    StructEmpty {},
}

#[test]
fn every_kind_of_type_is_written_as_serde_json_writes_it() {
    same(&Unit);
    same(&Newtype(vec![1, 2]));
    same(&Tuple(1, "x"));
    same(&vec![
        Shape::Plain,
        Shape::Newtype(1),
        Shape::NewtypeEmpty(vec![]),
        Shape::Tuple(1, 2),
        Shape::TupleEmpty(),
        Shape::Struct {
            a: 1,
            b: vec![Shape::Plain, Shape::StructEmpty {}, Shape::Tuple(3, 4)],
        },
        Shape::StructEmpty {},
    ]);
    let numbered: BTreeMap<i32, &str> = [(-1, "a"), (2, "b")].into();
    same(&numbered);
    let flags: BTreeMap<bool, u8> = [(false, 0), (true, 1)].into();
    same(&flags);
    let chars: BTreeMap<char, u8> = [('"', 0), ('k', 1)].into();
    same(&chars);
    let raw = serde_json::value::RawValue::from_string(r#"{"already":["json"]}"#.into()).unwrap();
    same(&vec![json!({"a": 1}), serde_json::to_value(&raw).unwrap()]);
    same(&(vec![&raw, &raw], json!({})));
}

/// Field names of every length around the word-at-a-time check, and ones needing escapes.
#[derive(Serialize)]
struct Named {
    a: u8,
    abc: u8,
    abcd: u8,
    abcdefg: u8,
    abcdefgh: u8,
    abcdefghijklmnopq: u8,
    #[serde(rename = "quote\"d")]
    quoted: u8,
    #[serde(rename = "new\nline")]
    newline: u8,
    #[serde(rename = "b\\")]
    backslash: u8,
    #[serde(rename = "")]
    empty: u8,
}

#[test]
fn field_names_are_written_as_serde_json_writes_them() {
    same(&Named {
        a: 1,
        abc: 2,
        abcd: 3,
        abcdefg: 4,
        abcdefgh: 5,
        abcdefghijklmnopq: 6,
        quoted: 7,
        newline: 8,
        backslash: 9,
        empty: 10,
    });
    same(&vec![Shape::Struct { a: 1, b: vec![] }]);
}

/// Struct fields named by the test: each name written with the value 1.
struct Fields(Vec<&'static str>);

impl Serialize for Fields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut st = s.serialize_struct("Fields", self.0.len())?;
        for name in &self.0 {
            st.serialize_field(name, &1)?;
        }
        st.end()
    }
}

/// `Fields` inside as many structs of one field as its depth says.
struct Nested<'a>(usize, &'a Fields);

impl Serialize for Nested<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        if self.0 == 0 {
            return self.1.serialize(s);
        }
        let mut st = s.serialize_struct("Nested", 1)?;
        st.serialize_field("in", &Nested(self.0 - 1, self.1))?;
        st.end()
    }
}

#[test]
fn field_names_of_every_length_at_every_depth_are_written_as_serde_json_writes_them() {
    // Lengths across the one-piece line (1 to 32 bytes) and past it, at depths across its
    // limit, each name first and not first among its fields.
    let names: Vec<&'static str> = (1..=40)
        .map(|n| {
            &*Box::leak(
                (0..n)
                    .map(|i| char::from(b'a' + i % 26))
                    .collect::<String>()
                    .into_boxed_str(),
            )
        })
        .chain(["caf\u{e9}s", "tab\there", "end\\"])
        .collect();
    let fields = Fields(names);
    for depth in 0..=16 {
        same(&Nested(depth, &fields));
    }
    let one = |name: &'static str| Fields(vec![name]);
    for name in ["x", "quote\"d", "\u{1f}"] {
        same(&Nested(3, &one(name)));
    }
}

#[test]
fn plain_text_of_every_length_is_written_as_serde_json_writes_it() {
    // Around the copies of fixed lengths (1 to 32 bytes) and past them, in ASCII and not.
    for fill in ['x', '\u{e9}', '\u{1f600}'] {
        let texts: Vec<String> = (0..=40)
            .map(|n| {
                (0..n)
                    .map(|i| {
                        if i % 3 == 0 {
                            fill
                        } else {
                            char::from(b'a' + i % 26)
                        }
                    })
                    .collect()
            })
            .collect();
        same(&texts);
    }
}

/// Pairs written as an object, whatever their keys.
struct AsMap(Vec<(f64, u8)>);

impl Serialize for AsMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

#[test]
fn keys_that_are_not_text_are_refused() {
    let by_list: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
    assert!(serde_json::to_string_pretty(&by_list).is_err());
    assert!(to_vec(&mut Vec::new(), &by_list).is_err());
    let by_nan: Vec<(f64, u8)> = vec![(f64::NAN, 1)];
    assert!(serde_json::to_string_pretty(&AsMap(by_nan.clone())).is_err());
    assert!(to_vec(&mut Vec::new(), &AsMap(by_nan)).is_err());
    assert_eq!(
        ours(&AsMap(vec![(1.5, 1)])),
        reference(&AsMap(vec![(1.5, 1)]))
    );
}

#[test]
fn text_already_in_the_buffer_is_kept() {
    let mut out = b"before ".to_vec();
    to_vec(&mut out, &json!({"a": [1]})).unwrap();
    assert_eq!(out, b"before {\n  \"a\": [\n    1\n  ]\n}");
}

#[test]
fn a_large_document_written_to_an_output_is_the_same_text() {
    let big: Vec<String> = (0..20_000)
        .map(|i| format!("line {i}\twith a tab"))
        .collect();
    let mut written = Vec::new();
    to_writer(&mut written, &big).unwrap();
    assert!(written.len() > 2 * super::FLUSH_AT);
    assert_eq!(String::from_utf8(written).unwrap(), reference(&big));
}

#[test]
fn an_output_is_given_whole_lines_until_the_last_piece() {
    struct Pieces(Vec<Vec<u8>>);
    impl std::io::Write for Pieces {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.push(buf.to_vec());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let big: Vec<String> = (0..20_000).map(|i| format!("line {i}")).collect();
    let mut pieces = Pieces(Vec::new());
    to_writer(&mut pieces, &big).unwrap();
    assert!(pieces.0.len() > 2, "{} pieces", pieces.0.len());
    let (last, whole) = pieces.0.split_last().unwrap();
    for piece in whole {
        assert_eq!(piece.last(), Some(&b'\n'));
    }
    assert_eq!(last.last(), Some(&b']'));
    assert_eq!(
        String::from_utf8(pieces.0.concat()).unwrap(),
        reference(&big)
    );
}

#[test]
fn an_output_that_fails_gives_back_its_error() {
    struct Closed;
    impl std::io::Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let big: Vec<u32> = (0..100_000).collect();
    for error in [to_writer(&mut Closed, &big), to_writer(&mut Closed, &[1])] {
        let error = error.unwrap_err();
        assert!(
            matches!(&error, crate::report::error::RenderError::Io(_)),
            "{error:?}"
        );
        assert!(error.is_broken_pipe());
    }
}

#[test]
fn every_assessment_is_written_as_serde_json_writes_it() {
    use crate::assessment::FailOn;
    use crate::engine::tests::{descriptors, options};
    let engine = crate::engine::Engine::plain(crate::rules::Catalog::builtin().unwrap());
    for doc in descriptors() {
        let assessment = engine
            .evaluate(&doc, &options(FailOn::High))
            .to_assessment();
        assert!(ours(&assessment) == reference(&assessment), "{}", doc.name);
    }
}
