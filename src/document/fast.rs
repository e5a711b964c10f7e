//! The quick way to read an ordinary document: straight from the YAML parser's events to a
//! JSON value and the position of every value, with no intermediate tree.
//!
//! `tree.rs` reads through serde-saphyr, which is thorough but spends most of its time on
//! machinery real descriptors never need (anchors and alias replay, tags, merge keys,
//! complex keys, comments). This module reads the same events from granit-parser, the YAML
//! parser serde-saphyr itself uses, with the same parser options, and resolves each scalar
//! exactly as serde-saphyr does with the options of `tree.rs`.
//!
//! It is a fast path, not a second reader: whenever a document holds anything it does not
//! handle with certainty it declines (returns `None`), and the caller reads the document
//! again through `tree.rs`, which gives today's value, positions or error. It declines on:
//!
//! - any parser error, so that errors are always reported by the one reader;
//! - anchors, aliases and tags (`&a`, `*a`, `!!str`): alias replay, its budgets and tag
//!   resolution stay with serde-saphyr;
//! - a `%YAML` directive or a second document;
//! - keys that are not strings (numbers, booleans, null, lists, mappings), the merge key
//!   `<<`, and a key given twice (serde-saphyr reports it);
//! - scalars whose reading is an error or rare: `.inf`, `.nan` and numbers too large for a
//!   float, hexadecimal, octal and binary integers, and plain scalars with padding;
//! - documents deeper, longer or with more scalar text than half of what the budgets in
//!   `tree.rs` allow, so that every limit is still enforced, and reported, by serde-saphyr.
//!
//! Declining costs one extra pass over the text and only happens for unusual documents.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use granit_parser::{Event, Parser, ScalarStyle};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use super::{MAX_DOCUMENT_BYTES, Position, Span, escape_pointer_segment, tree};

/// Nesting past which the fast path declines, well inside the limit serde-saphyr enforces.
const MAX_DEPTH: usize = tree::MAX_DEPTH / 2;
/// Parser events (nodes, ends and markers) past which it declines: half of either budget.
const MAX_EVENTS: usize = if tree::MAX_EVENTS < tree::MAX_NODES {
    tree::MAX_EVENTS / 2
} else {
    tree::MAX_NODES / 2
};
/// Scalar text past which it declines: half of the budget.
const MAX_SCALAR_BYTES: usize = MAX_DOCUMENT_BYTES / 2;

/// Reads `text` into a value and the span of every value keyed by JSON Pointer, or returns
/// `None` when the document needs the full reader (see the module documentation).
pub(super) fn parse(text: &str) -> Option<(Value, HashMap<String, Span>)> {
    let mut builder = Builder::new(text.len());
    let mut events = 0usize;
    let mut scalar_bytes = 0usize;
    let mut documents = 0usize;
    // serde-saphyr's parser options with our budget are the defaults, without comments.
    let options = granit_parser::options! { emit_comments: false };
    for item in Parser::new_from_str_with_options(text, options) {
        let (event, span) = item.ok()?;
        events += 1;
        if events > MAX_EVENTS {
            return None;
        }
        let at = Position {
            line: u32::try_from(span.start.line()).unwrap_or(u32::MAX),
            column: u32::try_from(span.start.col() + 1).unwrap_or(u32::MAX),
        };
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
            Event::DocumentStart(_, version) => {
                documents += 1;
                if documents > 1 || version.is_some() {
                    return None;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                scalar_bytes += value.len();
                if scalar_bytes > MAX_SCALAR_BYTES {
                    return None;
                }
                builder.scalar(value, style, at)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                builder.start(Frame::Seq(Vec::new()), at)?;
            }
            Event::MappingStart(_, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                builder.start(Frame::Map(Map::new(), None), at)?;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.end()?,
            // Aliases, and anything the parser emits only with options we leave off.
            _ => return None,
        }
    }
    builder.finish()
}

/// A container being filled.
enum Frame {
    /// A sequence and its items so far.
    Seq(Vec<Value>),
    /// A mapping, its members so far, and the key (with its position) awaiting a value.
    Map(Map<String, Value>, Option<(String, Position)>),
}

/// The state of the walk: open containers, the pointer of the current one, what is done.
struct Builder {
    /// Open containers, outermost first, each with the length of `pointer` before it.
    stack: Vec<(Frame, usize)>,
    /// JSON Pointer of the innermost open container: one buffer grown and cut back.
    pointer: String,
    spans: HashMap<String, Span>,
    root: Option<Value>,
}

impl Builder {
    fn new(text_len: usize) -> Self {
        Builder {
            stack: Vec::with_capacity(8),
            pointer: String::with_capacity(64),
            // About one value per line: room enough that the map seldom grows.
            spans: HashMap::with_capacity(text_len / 24),
            root: None,
        }
    }

    /// A scalar: a mapping key, or a value to record and place.
    fn scalar(&mut self, text: Cow<'_, str>, style: ScalarStyle, at: Position) -> Option<()> {
        if let Some((Frame::Map(_, key @ None), _)) = self.stack.last_mut() {
            // Plain `<<` is a merge key to serde-saphyr; any other spelling is declined too.
            if text == "<<" {
                return None;
            }
            let Value::String(text) = resolve(text, style)? else {
                return None;
            };
            *key = Some((text, at));
            return Some(());
        }
        let value = resolve(text, style)?;
        let len = self.pointer.len();
        let span = self.enter(at)?;
        self.spans.insert(self.pointer.clone(), span);
        self.pointer.truncate(len);
        self.place(value)
    }

    /// The start of a sequence or mapping.
    fn start(&mut self, frame: Frame, at: Position) -> Option<()> {
        if matches!(self.stack.last(), Some((Frame::Map(_, None), _))) {
            // A list or mapping as a key: serde-saphyr's error, with its position.
            return None;
        }
        if self.stack.len() >= MAX_DEPTH {
            return None;
        }
        let len = self.pointer.len();
        let span = self.enter(at)?;
        self.spans.insert(self.pointer.clone(), span);
        self.stack.push((frame, len));
        Some(())
    }

    /// The end of the innermost sequence or mapping.
    fn end(&mut self) -> Option<()> {
        let (frame, len) = self.stack.pop()?;
        self.pointer.truncate(len);
        let value = match frame {
            Frame::Seq(items) => Value::Array(items),
            Frame::Map(members, None) => Value::Object(members),
            // A key without a value: the parser never emits this.
            Frame::Map(_, Some(_)) => return None,
        };
        self.place(value)
    }

    /// Extends `pointer` to the node starting at `at` and returns its span.
    fn enter(&mut self, at: Position) -> Option<Span> {
        match self.stack.last() {
            None if self.root.is_some() => None,
            None => Some(Span { key: at, value: at }),
            Some((Frame::Seq(items), _)) => {
                let _ = write!(self.pointer, "/{}", items.len());
                Some(Span { key: at, value: at })
            }
            Some((Frame::Map(_, Some((key, key_at))), _)) => {
                self.pointer.push('/');
                if key.contains(['~', '/']) {
                    self.pointer.push_str(&escape_pointer_segment(key));
                } else {
                    self.pointer.push_str(key);
                }
                Some(Span {
                    key: *key_at,
                    value: at,
                })
            }
            Some((Frame::Map(_, None), _)) => None,
        }
    }

    /// Puts a finished value into its container, or makes it the root.
    fn place(&mut self, value: Value) -> Option<()> {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some((Frame::Seq(items), _)) => items.push(value),
            Some((Frame::Map(members, key), _)) => {
                let (key, _) = key.take()?;
                match members.entry(key) {
                    Entry::Vacant(slot) => {
                        slot.insert(value);
                    }
                    // A key given twice: serde-saphyr's error, with its position.
                    Entry::Occupied(_) => return None,
                }
            }
        }
        Some(())
    }

    fn finish(self) -> Option<(Value, HashMap<String, Span>)> {
        if !self.stack.is_empty() {
            return None;
        }
        // No node at all (only comments or markers): serde-saphyr decides what that is.
        Some((self.root?, self.spans))
    }
}

/// The value of a scalar without a tag, as serde-saphyr's `deserialize_any` resolves it
/// with strict booleans and leading-zero and underscored numbers kept as text; `None` for
/// the spellings left to it (errors and rarities).
fn resolve(text: Cow<'_, str>, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        // Quoted and block scalars are text, whatever they look like.
        return Some(Value::String(text.into_owned()));
    }
    let t = text.as_ref();
    // serde-saphyr trims this padding from some readings and not others; plain scalars
    // never carry it, so decline rather than reason about it.
    if t.starts_with([' ', '\t', '\r', '\n']) || t.ends_with([' ', '\t', '\r', '\n']) {
        return None;
    }
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    // One sign at most: serde-saphyr reads neither `+-1` nor `--1` as a number.
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    // Every integer starts with a digit after its sign, and every float serde-saphyr
    // accepts with a digit or a dot (Rust also reads `inf` and `nan`, but those are not
    // finite, and serde-saphyr then keeps the text).
    if !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Some(Value::String(text.into_owned()));
    }
    match number(t, unsigned) {
        Reading::Number(n) => Some(Value::Number(n)),
        Reading::Text => Some(Value::String(text.into_owned())),
        Reading::Decline => None,
    }
}

/// How a plain scalar that may be a number reads.
enum Reading {
    Number(Number),
    Text,
    Decline,
}

/// Reads `t` (with `unsigned`, the same without its sign) in serde-saphyr's order: kept as
/// text by our options, then a 64-bit integer, then a float, else text.
fn number(t: &str, unsigned: &str) -> Reading {
    // `010` is a code and `1_000` a spelling to keep, not numbers.
    let leading_zero = unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned.bytes().all(|b| b.is_ascii_digit());
    if leading_zero || t.contains('_') {
        return Reading::Text;
    }
    if ["0x", "0X", "0o", "0O", "0b", "0B"]
        .iter()
        .any(|p| unsigned.starts_with(p))
    {
        return Reading::Decline;
    }
    // Integers: a leading `-` makes it signed, anything else unsigned; a magnitude out of
    // range, like any spelling that is not plain decimal, is then tried as a float.
    if let Some(magnitude) = decimal(unsigned) {
        if !t.starts_with('-') {
            return Reading::Number(magnitude.into());
        }
        if let Ok(v) = i64::try_from(-i128::from(magnitude)) {
            return Reading::Number(v.into());
        }
    }
    // `.inf` and `.nan` are rejected as not finite: serde-saphyr reports it.
    if matches!(
        unsigned,
        ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN"
    ) {
        return Reading::Decline;
    }
    match t.parse::<f64>() {
        Ok(v) => Number::from_f64(v).map_or(Reading::Decline, Reading::Number),
        Err(_) => Reading::Text,
    }
}

/// The value of one or more ASCII digits without a redundant leading zero, if it fits.
fn decimal(digits: &str) -> Option<u64> {
    if digits.is_empty() || (digits.starts_with('0') && digits != "0") {
        return None;
    }
    digits.bytes().try_fold(0u64, |acc, b| {
        if b.is_ascii_digit() {
            acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests;
