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
//!   `<<`, and a key given twice (serde-saphyr reports it; seen here as a pointer that
//!   already has a position);
//! - scalars whose reading is an error or rare: `.inf`, `.nan` and numbers too large for a
//!   float, hexadecimal, octal and binary integers, and plain scalars with padding;
//! - documents deeper, longer or with more scalar text than half of what the budgets in
//!   `tree.rs` allow, so that every limit is still enforced, and reported, by serde-saphyr.
//!
//! Declining costs one more pass over the text, and only unusual documents pay it.
//!
//! Most descriptors are written in the plain block style (one key a line, no anchors,
//! flow mappings or escapes but the common ones): those are read line by line first
//! (`lines.rs`), which gives the same events at a fraction of the parser's cost, and the
//! parser reads only what that declines.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Number, Value};

use super::{
    MAX_DEPTH as TREE_MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_NODES, Position, Span, Spans,
    escape_pointer_segment,
};

/// Nesting past which the fast path declines, well inside the limit serde-saphyr enforces.
const MAX_DEPTH: usize = TREE_MAX_DEPTH / 2;
/// Parser events past which it declines. Every node is an event, so half the node budget
/// keeps both it and the larger event budget out of reach.
const MAX_EVENTS: usize = MAX_NODES / 2;
/// Scalar text past which it declines: half of the budget.
const MAX_SCALAR_BYTES: usize = MAX_DOCUMENT_BYTES / 2;

/// Reads `text` into a value and the span of every value keyed by JSON Pointer, or returns
/// `None` when the document needs the full reader (see the module documentation).
pub(super) fn parse(text: &str) -> Option<(Value, Spans)> {
    let builder = walk(text, true, true)?;
    Some((builder.root?, builder.spans))
}

/// Reads `text` into a value alone, without positions: for evaluation, which never reports
/// a line. A key given twice is still declined (found by the mapping, not by a pointer).
pub(super) fn values(text: &str) -> Option<Value> {
    walk(text, true, false)?.root
}

/// The span of every value, as `parse` finds them, without building the value: for JSON,
/// which `serde_json` reads, and whose positions and limits the YAML reader supplies.
pub(super) fn positions(text: &str) -> Option<Spans> {
    let builder = walk(text, false, true)?;
    builder.root?;
    Some(builder.spans)
}

/// Reads `text` line by line if it is written in the plain block style, and through the
/// parser's events if not; `None` if both decline.
fn walk(text: &str, values: bool, positions: bool) -> Option<Builder<'_>> {
    let mut builder = Builder::new(text.len(), values, positions);
    if lines::walk(text, &mut builder).is_some() && builder.stack.is_empty() {
        return Some(builder);
    }
    events(text, Builder::new(text.len(), values, positions))
}

/// Feeds every parser event to `builder`; `None` as soon as the document is declined.
fn events<'a>(text: &'a str, mut builder: Builder<'a>) -> Option<Builder<'a>> {
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
                builder.start(Frame::Seq(Vec::new(), 0), at)?;
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
    // Still open, or no node at all (only comments or markers): serde-saphyr decides.
    builder.stack.is_empty().then_some(builder)
}

/// A container being filled.
enum Frame<'a> {
    /// A sequence, its items so far, and how many there are (also when not kept).
    Seq(Vec<Value>, usize),
    /// A mapping, its members so far, and the key (with its position) awaiting a value.
    Map(Map<String, Value>, Option<(Cow<'a, str>, Position)>),
}

/// The state of the walk: open containers, the pointer of the current one, what is done.
struct Builder<'a> {
    /// Whether to build the value; if not, only positions are gathered.
    values: bool,
    /// Whether to gather positions; if not, only the value is built.
    positions: bool,
    /// Open containers, outermost first, each with the length of `pointer` before it.
    stack: Vec<(Frame<'a>, usize)>,
    /// JSON Pointer of the innermost open container: one buffer grown and cut back.
    pointer: String,
    spans: Spans,
    /// The root value once complete (`null` when values are not built).
    root: Option<Value>,
}

impl<'a> Builder<'a> {
    fn new(text_len: usize, values: bool, positions: bool) -> Self {
        Builder {
            values,
            positions,
            stack: Vec::with_capacity(8),
            pointer: String::with_capacity(64),
            // About one value per line: room enough that the map seldom grows.
            spans: Spans::with_capacity(if positions { text_len / 24 } else { 0 }),
            root: None,
        }
    }

    /// A scalar: a mapping key, or a value to record and place.
    fn scalar(&mut self, text: Cow<'a, str>, style: ScalarStyle, at: Position) -> Option<()> {
        let scalar = resolve(&text, style)?;
        if let Some((Frame::Map(_, key @ None), _)) = self.stack.last_mut() {
            // Plain `<<` is a merge key to serde-saphyr; any other spelling is declined too.
            if !matches!(scalar, Scalar::Text) || text == "<<" {
                return None;
            }
            // Borrowed from the text when the parser can: copied only into a kept value.
            *key = Some((text, at));
            return Some(());
        }
        let len = self.pointer.len();
        self.enter(at)?;
        self.pointer.truncate(len);
        let value = match scalar {
            _ if !self.values => Value::Null,
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Number(n) => Value::Number(n),
            Scalar::Text => Value::String(text.into_owned()),
        };
        self.place(value)
    }

    /// The start of a sequence or mapping.
    fn start(&mut self, frame: Frame<'a>, at: Position) -> Option<()> {
        if matches!(self.stack.last(), Some((Frame::Map(_, None), _))) {
            // A list or mapping as a key: serde-saphyr's error, with its position.
            return None;
        }
        if self.stack.len() >= MAX_DEPTH {
            return None;
        }
        let len = self.pointer.len();
        self.enter(at)?;
        self.stack.push((frame, len));
        Some(())
    }

    /// The end of the innermost sequence or mapping.
    fn end(&mut self) -> Option<()> {
        let (frame, len) = self.stack.pop()?;
        self.pointer.truncate(len);
        let value = match frame {
            Frame::Seq(items, _) => Value::Array(items),
            Frame::Map(members, None) => Value::Object(members),
            // A key without a value: the parser never emits this.
            Frame::Map(_, Some(_)) => return None,
        };
        self.place(value)
    }

    /// Records the span of the node starting at `at`, under its pointer. For a container
    /// `pointer` is left extended, to be cut back at its end.
    fn enter(&mut self, at: Position) -> Option<()> {
        if !self.positions {
            return match self.stack.last() {
                None if self.root.is_some() => None,
                Some((Frame::Map(_, None), _)) => None,
                _ => Some(()),
            };
        }
        let span = match self.stack.last() {
            None if self.root.is_some() => return None,
            None => Span { key: at, value: at },
            Some((Frame::Seq(_, count), _)) => {
                self.pointer.push('/');
                push_number(&mut self.pointer, *count);
                Span { key: at, value: at }
            }
            Some((Frame::Map(_, Some((key, key_at))), _)) => {
                self.pointer.push('/');
                if key.contains(['~', '/']) {
                    self.pointer.push_str(&escape_pointer_segment(key));
                } else {
                    self.pointer.push_str(key);
                }
                Span {
                    key: *key_at,
                    value: at,
                }
            }
            Some((Frame::Map(_, None), _)) => return None,
        };
        // Pointers are unique but for a key given twice in one mapping: serde-saphyr's
        // error, with its position.
        if self.spans.insert(&self.pointer, span).is_some() {
            return None;
        }
        Some(())
    }

    /// Puts a finished value into its container (a count only, when values are not
    /// built), or makes it the root. Without positions, a key the mapping already holds is
    /// the key given twice: declined.
    fn place(&mut self, value: Value) -> Option<()> {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some((Frame::Seq(items, count), _)) => {
                *count += 1;
                if self.values {
                    items.push(value);
                }
            }
            Some((Frame::Map(members, key), _)) => {
                if let Some((key, _)) = key.take()
                    && self.values
                    && members.insert(key.into_owned(), value).is_some()
                    && !self.positions
                {
                    return None;
                }
            }
        }
        Some(())
    }
}

/// What a scalar without a tag is, as serde-saphyr's `deserialize_any` reads it with
/// strict booleans and leading-zero and underscored numbers kept as text.
enum Scalar {
    Null,
    Bool(bool),
    Number(Number),
    /// The scalar's own text, as a string.
    Text,
}

/// Reads a scalar; `None` for the spellings left to serde-saphyr (errors and rarities).
fn resolve(text: &str, style: ScalarStyle) -> Option<Scalar> {
    if style != ScalarStyle::Plain {
        // Quoted and block scalars are text, whatever they look like.
        return Some(Scalar::Text);
    }
    // serde-saphyr trims this padding from some readings and not others; plain scalars
    // never carry it, so decline rather than reason about it.
    if text.starts_with([' ', '\t', '\r', '\n']) || text.ends_with([' ', '\t', '\r', '\n']) {
        return None;
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Scalar::Null),
        "true" | "True" | "TRUE" => return Some(Scalar::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Scalar::Bool(false)),
        _ => {}
    }
    // One sign at most: serde-saphyr reads neither `+-1` nor `--1` as a number.
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    // Every integer starts with a digit after its sign, and every float serde-saphyr
    // accepts with a digit or a dot (Rust also reads `inf` and `nan`, but those are not
    // finite, and serde-saphyr then keeps the text).
    if !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Some(Scalar::Text);
    }
    number(text, unsigned)
}

/// Reads `t` (with `unsigned`, the same without its sign) in serde-saphyr's order: kept as
/// text by our options, then a 64-bit integer, then a float, else text.
fn number(t: &str, unsigned: &str) -> Option<Scalar> {
    // `010` is a code and `1_000` a spelling to keep, not numbers.
    let leading_zero = unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned.bytes().all(|b| b.is_ascii_digit());
    if leading_zero || t.contains('_') {
        return Some(Scalar::Text);
    }
    if ["0x", "0X", "0o", "0O", "0b", "0B"]
        .iter()
        .any(|p| unsigned.starts_with(p))
    {
        return None;
    }
    // Integers: a leading `-` makes it signed, anything else unsigned; a magnitude out of
    // range, like any spelling that is not plain decimal, is then tried as a float.
    if let Some(magnitude) = decimal(unsigned) {
        if !t.starts_with('-') {
            return Some(Scalar::Number(magnitude.into()));
        }
        if let Ok(v) = i64::try_from(-i128::from(magnitude)) {
            return Some(Scalar::Number(v.into()));
        }
    }
    // `.inf` and `.nan` are rejected as not finite: serde-saphyr reports it.
    if matches!(
        unsigned,
        ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN"
    ) {
        return None;
    }
    match t.parse::<f64>() {
        // Not finite (`1e400`): rejected, and serde-saphyr reports it.
        Ok(v) => Number::from_f64(v).map(Scalar::Number),
        Err(_) => Some(Scalar::Text),
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

mod lines;

/// Appends a whole number in decimal: a list index in a pointer, for every item of every
/// descriptor read with positions, where `write!` cost more than the rest of the step.
fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + u8::try_from(n % 10).unwrap_or_default();
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests;
