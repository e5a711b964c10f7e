//! In-place edits of JSON: a value is replaced between its first and last byte; a new key
//! goes after the last member of its object, laid out as the file is (indented or on one
//! line).

use serde_json::Value;

use super::{Lines, pointer};
use crate::document::Document;

/// The edited text, or `None` when the positions needed are not known.
pub(super) fn set(text: &str, doc: &Document, parts: &[&str], want: &Value) -> Option<String> {
    let lines = Lines::new(text);
    let style = Style::of(text);
    let known = (0..=parts.len())
        .rev()
        .find(|k| doc.value.pointer(&pointer(&parts[..*k])).is_some())?;
    let at = &parts[..known];
    let here = doc.value.pointer(&pointer(at))?;
    let start = lines.offset(doc.span(&pointer(at))?.value)?;
    let end = value_end(text.as_bytes(), start)?;
    let depth = indent_at(text, &lines, start);
    let mut out = String::with_capacity(text.len() + 64);
    match here {
        Value::Object(map) if known < parts.len() && !map.is_empty() => {
            // After the last member, before the closing brace and the space before it.
            let close = end - 1;
            let last = text[..close].trim_end().len();
            let mut path = at.to_vec();
            path.push(parts[known]);
            let value = want.pointer(&pointer(&path))?;
            let inner = format!("{depth}{}", style.unit);
            out.push_str(&text[..last]);
            out.push(',');
            if style.pretty {
                out.push_str(style.newline);
                out.push_str(&inner);
            }
            out.push_str(&serde_json::to_string(parts[known]).ok()?);
            out.push(':');
            if style.pretty {
                out.push(' ');
            }
            out.push_str(&style.render(value, &inner)?);
            out.push_str(&text[last..]);
        }
        _ => {
            let value = want.pointer(&pointer(at))?;
            out.push_str(&text[..start]);
            out.push_str(&style.render(value, &depth)?);
            out.push_str(&text[end..]);
        }
    }
    Some(out)
}

/// How a file is laid out.
struct Style {
    /// Indented over several lines, or all on one line.
    pretty: bool,
    /// One level of indentation.
    unit: String,
    newline: &'static str,
}

impl Style {
    fn of(text: &str) -> Style {
        let unit = text
            .lines()
            .map(|l| &l[..l.len() - l.trim_start_matches([' ', '\t']).len()])
            .find(|i| !i.is_empty())
            .unwrap_or("  ")
            .to_string();
        Style {
            pretty: text.trim().contains('\n'),
            unit,
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
        }
    }

    /// A value as JSON, its lines after the first indented from `depth`.
    fn render(&self, value: &Value, depth: &str) -> Option<String> {
        if !self.pretty {
            return serde_json::to_string(value).ok();
        }
        let mut bytes = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(self.unit.as_bytes());
        let mut writer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
        serde::Serialize::serialize(value, &mut writer).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        Some(text.replace('\n', &format!("{}{depth}", self.newline)))
    }
}

/// The indentation of the line holding `offset`.
fn indent_at(text: &str, lines: &Lines<'_>, offset: usize) -> String {
    let line = &text[lines.starts[lines.line_of(offset)]..];
    line[..line.len() - line.trim_start_matches([' ', '\t']).len()].to_string()
}

/// The offset just past the JSON value that starts at `start`.
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    loop {
        match bytes.get(i)? {
            b'"' => {
                i += 1;
                loop {
                    match bytes.get(i)? {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.checked_sub(1)?,
            b',' | b' ' | b'\t' | b'\r' | b'\n' if depth == 0 => return Some(i),
            _ => {}
        }
        i += 1;
        if depth == 0 && matches!(bytes[i - 1], b'"' | b'}' | b']') {
            return Some(i);
        }
        if depth == 0 && bytes.get(i).is_none_or(|b| matches!(b, b'}' | b']')) {
            return Some(i);
        }
    }
}
