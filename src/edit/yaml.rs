//! In-place edits of block-style YAML: a key's value is the rest of its line and every
//! following line indented deeper (or, for a list, starting with `- ` at the key's own
//! indentation); new keys go after the last line of their section.

use serde_json::Value;

use super::{Lines, pointer};
use crate::document::Document;

/// The edited text, or `None` when the layout does not allow an edit in place.
pub(super) fn set(text: &str, doc: &Document, parts: &[&str], want: &Value) -> Option<String> {
    let edit = Editor::new(text, doc);
    let known = (0..=parts.len())
        .rev()
        .find(|k| doc.value.pointer(&pointer(&parts[..*k])).is_some())?;
    if known == parts.len() {
        return edit.replace(parts, want);
    }
    let here = doc.value.pointer(&pointer(&parts[..known]))?;
    match here {
        Value::Object(map) if !map.is_empty() => edit
            .insert(&parts[..known], parts[known], want)
            .or_else(|| edit.replace(&parts[..known], want)),
        _ => edit.replace(&parts[..known], want),
    }
}

struct Editor<'a> {
    text: &'a str,
    doc: &'a Document,
    lines: Lines<'a>,
    /// The file's line ending.
    newline: &'static str,
    /// How much deeper each level is indented.
    unit: usize,
}

/// The leading spaces of a line.
fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

impl<'a> Editor<'a> {
    fn new(text: &'a str, doc: &'a Document) -> Editor<'a> {
        let lines = Lines::new(text);
        // The indentation of the first nested line under an unindented key.
        let unit = text
            .lines()
            .map(indent_of)
            .find(|i| *i > 0)
            .filter(|i| *i <= 8)
            .unwrap_or(2);
        Editor {
            text,
            doc,
            lines,
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
            unit,
        }
    }

    /// Line `index` without its line ending.
    fn line(&self, index: usize) -> &'a str {
        let start = self.lines.starts[index];
        let end = self.lines.end_of(index);
        let line = &self.text[start..end];
        line.strip_suffix('\r').unwrap_or(line)
    }

    /// Where line `index` ends, before its line ending.
    fn line_end(&self, index: usize) -> usize {
        self.lines.starts[index] + self.line(index).len()
    }

    /// The line and byte offset of a key in block style (nothing but spaces before it on
    /// its line), or `None`.
    fn block_key(&self, parts: &[&str]) -> Option<(usize, usize)> {
        let span = self.doc.span(&pointer(parts))?;
        let at = self.lines.offset(span.key)?;
        let index = self.lines.line_of(at);
        let before = &self.text[self.lines.starts[index]..at];
        before.bytes().all(|b| b == b' ').then_some((index, at))
    }

    /// The last line of a block key's value (the key's own line when the value is on it).
    /// Comment lines after the value's last line are left to what follows, except in a
    /// block scalar (`|`, `>`), where a line starting with `#` is text.
    fn last_line(&self, index: usize) -> usize {
        let key_line = self.line(index);
        let indent = indent_of(key_line);
        let block_scalar = after_key(key_line.trim_start_matches(' ')).is_some_and(|colon| {
            let rest = key_line.trim_start_matches(' ')[colon..].trim_start();
            rest.starts_with('|') || rest.starts_with('>')
        });
        let mut last = index;
        for next in index + 1..self.lines.starts.len() {
            let line = self.line(next);
            let rest = line.trim_start_matches(' ');
            if rest.trim().is_empty() || (!block_scalar && rest.starts_with('#')) {
                continue;
            }
            let deeper = indent_of(line) > indent;
            let list_item = indent_of(line) == indent
                && (rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t"));
            if !(deeper || list_item) {
                break;
            }
            last = next;
        }
        last
    }

    /// Sets the value of an existing key, or of the whole section that holds it when the
    /// key is not in block style.
    fn replace(&self, parts: &[&str], want: &Value) -> Option<String> {
        if parts.is_empty() {
            return None;
        }
        let Some((index, at)) = self.block_key(parts) else {
            return self.replace(&parts[..parts.len() - 1], want);
        };
        let value = want.pointer(&pointer(parts))?;
        let key_indent = indent_of(self.line(index));
        let colon = after_key(&self.text[at..self.line_end(index)])? + at;
        let comment = comment_in(&self.text[colon..self.line_end(index)]);
        let mut out = String::with_capacity(self.text.len() + 64);
        out.push_str(&self.text[..colon]);
        let child = key_indent + if value.is_array() { 2 } else { self.unit };
        match self.render(value, child) {
            Rendered::Inline(inline) => out.push_str(&inline),
            Rendered::Block(lines) => {
                if let Some(comment) = comment {
                    out.push(' ');
                    out.push_str(comment);
                }
                for line in lines {
                    out.push_str(self.newline);
                    out.push_str(&line);
                }
                out.push_str(&self.text[self.line_end(self.last_line(index))..]);
                return Some(out);
            }
        }
        if let Some(comment) = comment {
            out.push(' ');
            out.push_str(comment);
        }
        out.push_str(&self.text[self.line_end(self.last_line(index))..]);
        Some(out)
    }

    /// Adds `key` (with any sections missing below it) at the end of the non-empty block
    /// section `section`, holding `want`'s value there.
    fn insert(&self, section: &[&str], key: &str, want: &Value) -> Option<String> {
        let map = self.doc.value.pointer(&pointer(section))?.as_object()?;
        let first = map.keys().next()?;
        let mut first_path = section.to_vec();
        first_path.push(first);
        let (first_line, _) = self.block_key(&first_path)?;
        let indent = indent_of(self.line(first_line));
        let after = if section.is_empty() {
            None
        } else {
            let (index, _) = self.block_key(section)?;
            if first_line <= index || indent <= indent_of(self.line(index)) {
                return None;
            }
            Some(self.line_end(self.last_line(index)))
        };
        let mut path = section.to_vec();
        path.push(key);
        let mut entry = serde_json::Map::new();
        entry.insert(key.to_string(), want.pointer(&pointer(&path))?.clone());
        let Rendered::Block(lines) = self.render(&Value::Object(entry), indent) else {
            return None;
        };
        let mut out = String::with_capacity(self.text.len() + 64);
        if let Some(end) = after {
            out.push_str(&self.text[..end]);
            for line in &lines {
                out.push_str(self.newline);
                out.push_str(line);
            }
            out.push_str(&self.text[end..]);
        } else {
            out.push_str(self.text);
            if !self.text.ends_with('\n') {
                out.push_str(self.newline);
            }
            for line in &lines {
                out.push_str(line);
                out.push_str(self.newline);
            }
        }
        Some(out)
    }

    /// A value as it follows `key:`, or as the lines below it at `indent`.
    fn render(&self, value: &Value, indent: usize) -> Rendered {
        match value {
            Value::Null => Rendered::Inline(String::new()),
            Value::Array(items) if items.is_empty() => Rendered::Inline(" []".to_string()),
            Value::Object(map) if map.is_empty() => Rendered::Inline(" {}".to_string()),
            Value::Array(items) => {
                let mut lines = Vec::new();
                for item in items {
                    self.item(item, indent, &mut lines);
                }
                Rendered::Block(lines)
            }
            Value::Object(map) => {
                let pad = " ".repeat(indent);
                let mut lines = Vec::new();
                for (key, value) in map {
                    let child = indent + if value.is_array() { 2 } else { self.unit };
                    match self.render(value, child) {
                        Rendered::Inline(text) => lines.push(format!(
                            "{pad}{}:{text}",
                            scalar(&Value::String(key.clone()))
                        )),
                        Rendered::Block(block) => {
                            lines.push(format!("{pad}{}:", scalar(&Value::String(key.clone()))));
                            lines.extend(block);
                        }
                    }
                }
                Rendered::Block(lines)
            }
            scalar_value => Rendered::Inline(format!(" {}", scalar(scalar_value))),
        }
    }

    /// One item of a block list at `indent`: `- value`, or `- key: value` with the other
    /// keys of a section aligned under the first.
    fn item(&self, item: &Value, indent: usize, lines: &mut Vec<String>) {
        let pad = " ".repeat(indent);
        match self.render(item, indent + 2) {
            Rendered::Inline(text) if item.is_null() => lines.push(format!("{pad}- null{text}")),
            Rendered::Inline(text) => lines.push(format!("{pad}-{text}")),
            Rendered::Block(block) if item.is_object() => {
                for (i, line) in block.into_iter().enumerate() {
                    if i == 0 {
                        lines.push(format!("{pad}- {}", &line[(indent + 2).min(line.len())..]));
                    } else {
                        lines.push(line);
                    }
                }
            }
            Rendered::Block(block) => {
                lines.push(format!("{pad}-"));
                lines.extend(block);
            }
        }
    }
}

enum Rendered {
    /// Text that follows `key:` on its line (with its leading space).
    Inline(String),
    /// Lines below `key:`, indented.
    Block(Vec<String>),
}

/// The offset just past the `:` that ends the key at the start of `line`.
fn after_key(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = match bytes.first() {
        Some(q @ (b'"' | b'\'')) => closing_quote(bytes, 0, *q)? + 1,
        _ => 0,
    };
    while i < bytes.len() {
        if bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\t') {
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// The offset of the quote closing the one at `open`.
fn closing_quote(bytes: &[u8], open: usize, quote: u8) -> Option<usize> {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The comment (`# …`) at the end of what follows a key's colon, if any.
fn comment_in(rest: &str) -> Option<&str> {
    let bytes = rest.as_bytes();
    let mut i = 0;
    let mut spaced = true;
    while i < bytes.len() {
        match bytes[i] {
            b'#' if spaced => return Some(&rest[i..]),
            q @ (b'"' | b'\'') if spaced || i == 0 => {
                i = closing_quote(bytes, i, q)? + 1;
                spaced = false;
                continue;
            }
            b => spaced = b == b' ' || b == b'\t',
        }
        i += 1;
    }
    None
}

/// Words a YAML reader may take for something other than text.
const RESERVED: [&str; 13] = [
    "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", ".inf", ".nan", "nan",
];

/// A scalar as YAML: plain where no reader could take it for anything but the same text,
/// double-quoted otherwise.
pub(crate) fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if plain(s) => s.clone(),
        Value::String(s) => quoted(s),
        other => other.to_string(),
    }
}

/// Whether text can be written unquoted: it starts with a letter (never a digit, so that
/// no number or date), holds no character YAML gives a meaning to, and is no reserved word.
fn plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    first.is_alphabetic()
        && !s.ends_with(' ')
        && !s.chars().any(|c| {
            c.is_control()
                || matches!(
                    c,
                    ':' | '#'
                        | '{'
                        | '}'
                        | '['
                        | ']'
                        | ','
                        | '&'
                        | '*'
                        | '!'
                        | '|'
                        | '>'
                        | '\''
                        | '"'
                        | '%'
                        | '@'
                        | '`'
                        | '\\'
                        | '\u{2028}'
                        | '\u{2029}'
                        | '\u{feff}'
                        | '\u{fffe}'
                        | '\u{ffff}'
                )
        })
        && !RESERVED.iter().any(|w| w.eq_ignore_ascii_case(s))
}

/// Text in double quotes, with every character a YAML reader could misread escaped.
fn quoted(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
