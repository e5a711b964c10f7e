//! A YAML tree that keeps the position of every node, read with serde-saphyr's `Spanned`.

use std::fmt::{self, Write as _};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_saphyr::Spanned;

use super::{
    DocumentError, MAX_ALIASES, MAX_DEPTH, MAX_NODES, Position, Span, Spans, escape_pointer_segment,
};

enum Node {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        // Too large for JSON numbers: keep the digits as text rather than lose them.
        Ok(Node::String(v.to_string()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        Ok(Node::String(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Number::from_f64(v)
            .map(Node::Number)
            .ok_or_else(|| E::custom("numbers must be finite"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Node>>()? {
            let value = map.next_value::<Spanned<Node>>()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        // `NO` is Norway and `010` is a code, not `false` and `8`.
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_documents: 1,
            max_nodes: MAX_NODES,
            max_events: 500_000,
            max_aliases: MAX_ALIASES,
            max_anchors: 1_000,
            max_total_scalar_bytes: super::MAX_DOCUMENT_BYTES,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 50_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 100,
        },
    }
}

fn position(loc: serde_saphyr::Location) -> Position {
    Position {
        line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
        column: u32::try_from(loc.column()).unwrap_or(u32::MAX),
    }
}

/// Reads YAML into a value alone, without positions (see [`super::Document::from_path_quick`]);
/// documents the fast path declines are read in full and their positions dropped.
pub(super) fn parse_yaml_values(name: &str, text: &str) -> Result<Value, DocumentError> {
    if text.trim().is_empty() {
        return Err(DocumentError::Empty {
            file: name.to_string(),
        });
    }
    if let Some(value) = super::fast::values(text) {
        return Ok(value);
    }
    Ok(parse_yaml_in_full(name, text)?.0)
}

/// Parses YAML text into a JSON value and the span of every value, keyed by JSON Pointer.
///
/// Ordinary documents take the fast path straight from the parser's events; anything it
/// declines is read here through serde-saphyr, with the same result or error as ever.
pub(super) fn parse_yaml(name: &str, text: &str) -> Result<(Value, Spans), DocumentError> {
    if text.trim().is_empty() {
        return Err(DocumentError::Empty {
            file: name.to_string(),
        });
    }
    if let Some(parsed) = super::fast::parse(text) {
        return Ok(parsed);
    }
    parse_yaml_in_full(name, text)
}

/// The span of every value in YAML text, as `parse_yaml` finds them, and its errors.
pub(super) fn yaml_positions(name: &str, text: &str) -> Result<Spans, DocumentError> {
    if text.trim().is_empty() {
        return Err(DocumentError::Empty {
            file: name.to_string(),
        });
    }
    if let Some(spans) = super::fast::positions(text) {
        return Ok(spans);
    }
    parse_yaml_in_full(name, text).map(|(_, spans)| spans)
}

/// Parses YAML text through serde-saphyr, which handles everything YAML allows (anchors,
/// aliases, tags, complex keys) and reports every error and limit.
pub(super) fn parse_yaml_in_full(name: &str, text: &str) -> Result<(Value, Spans), DocumentError> {
    let root: Spanned<Node> = serde_saphyr::from_str_with_options(text, options())
        .map_err(|err| syntax(name, text, &err))?;
    // About one value per line: room enough that the map seldom grows.
    let mut spans = Spans::with_capacity(text.len() / 24);
    let start = position(root.referenced);
    let mut pointer = String::with_capacity(64);
    let value = convert(
        name,
        root.value,
        &mut pointer,
        Span {
            key: start,
            value: start,
        },
        &mut spans,
    )?;
    Ok((value, spans))
}

/// Converts a node; `pointer` is its JSON Pointer, one buffer grown and cut back as the
/// walk goes down and up, so that each value costs one allocation (its key in `spans`).
fn convert(
    name: &str,
    node: Node,
    pointer: &mut String,
    span: Span,
    spans: &mut Spans,
) -> Result<Value, DocumentError> {
    let value = match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(b),
        Node::Number(n) => Value::Number(n),
        Node::String(s) => Value::String(s),
        Node::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            let len = pointer.len();
            for (idx, item) in items.into_iter().enumerate() {
                let at = position(item.referenced);
                let _ = write!(pointer, "/{idx}");
                out.push(convert(
                    name,
                    item.value,
                    pointer,
                    Span { key: at, value: at },
                    spans,
                )?);
                pointer.truncate(len);
            }
            Value::Array(out)
        }
        Node::Map(entries) => {
            let mut out = Map::new();
            for (key, item) in entries {
                let key_pos = position(key.referenced);
                let key_text = match key.value {
                    Node::String(s) => s,
                    Node::Number(n) => n.to_string(),
                    Node::Bool(b) => b.to_string(),
                    Node::Null => "null".to_string(),
                    Node::Seq(_) | Node::Map(_) => {
                        return Err(DocumentError::Syntax {
                            file: name.to_string(),
                            position: key_pos,
                            message: "a key must be a single word or phrase, not a list or mapping"
                                .to_string(),
                        });
                    }
                };
                let len = pointer.len();
                pointer.push('/');
                if key_text.contains(['~', '/']) {
                    pointer.push_str(&escape_pointer_segment(&key_text));
                } else {
                    pointer.push_str(&key_text);
                }
                let child_span = Span {
                    key: key_pos,
                    value: position(item.referenced),
                };
                let converted = convert(name, item.value, pointer, child_span, spans)?;
                pointer.truncate(len);
                out.insert(key_text, converted);
            }
            Value::Object(out)
        }
    };
    spans.insert(pointer, span);
    Ok(value)
}

/// The text of `position`'s line before it.
fn value_before(text: &str, position: Position) -> &str {
    let line = text
        .lines()
        .nth((position.line as usize).saturating_sub(1))
        .unwrap_or_default();
    let column = (position.column as usize).saturating_sub(1);
    line.char_indices()
        .nth(column)
        .map_or(line, |(at, _)| &line[..at])
}

fn syntax(name: &str, text: &str, err: &serde_saphyr::Error) -> DocumentError {
    let inner = err.without_snippet();
    let position = inner.location().map_or(Position::START, position);
    let said = inner.to_string();
    // The location is reported separately; drop the parser's own suffix.
    let message = super::shorten_quoted(match said.find(" at line ") {
        Some(idx) => &said[..idx],
        None => &said,
    });
    // serde-saphyr suggests one of its own settings here, which means nothing to a user.
    let message = match message.find(", set DuplicateKeyPolicy") {
        Some(idx) => message[..idx].to_string(),
        None => message,
    };
    // serde-saphyr names a budget that is breached by its Rust name
    // (`budget breached: Nodes { nodes: 100001 }`): say which limit, in words.
    let message = match message.strip_prefix("budget breached: ") {
        Some(which) => {
            let limit = which.split([' ', '{']).next().unwrap_or_default();
            let words = match limit {
                "Nodes" => format!("more than {MAX_NODES} values"),
                "Depth" => format!("nesting deeper than {MAX_DEPTH} levels"),
                "Aliases" => format!("more than {MAX_ALIASES} aliases"),
                "Anchors" => "more than 1000 anchors".to_string(),
                "Events" => "more than 500000 parser events".to_string(),
                "Documents" => "more than one document (`---`)".to_string(),
                "ScalarBytes" | "TotalScalarBytes" => {
                    format!("more than {} bytes of text", super::MAX_DOCUMENT_BYTES)
                }
                other => format!("a limit of the reader (`{other}`)"),
            };
            format!("budget exceeded: {words}")
        }
        None => message,
    };
    // The parser's words for `key: text: more text`, which people write in plain values
    // (a key indented too far, on a line of its own, gets the same words).
    let message = if message.starts_with("mapping values are not allowed")
        && value_before(text, position).contains(": ")
    {
        super::error::UNQUOTED_COLON.to_string()
    } else {
        message
    };
    // Limits reached (budget, alias replay or expansion, recursion), not mere mistakes:
    // an alias to an anchor that does not exist is a plain syntax error.
    if ["budget", "replay", "expansion", "recursion", "limit"]
        .iter()
        .any(|w| message.contains(w))
    {
        return DocumentError::TooComplex {
            file: name.to_string(),
            position,
            message,
        };
    }
    DocumentError::Syntax {
        file: name.to_string(),
        position,
        message,
    }
}
