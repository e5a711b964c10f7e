//! Reading YAML and JSON documents into a JSON value plus the source location of every
//! value, so that every error and finding can point at a line.

mod error;
mod fast;
mod patch;
mod spans;
mod tree;

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

pub use error::DocumentError;
pub(crate) use spans::Spans;

/// Deepest nesting accepted; descriptors are four or five levels deep.
pub const MAX_DEPTH: usize = 64;
/// Most nodes (scalars, lists and mappings) accepted in a document: real descriptors have
/// a few hundred; a list of a hundred thousand is an attack on memory, not a system.
pub const MAX_NODES: usize = 100_000;
/// Most aliases (`*name`) accepted in a document; descriptors need none.
pub const MAX_ALIASES: usize = 1_000;

/// Largest document accepted, in bytes. Real descriptors are a few kilobytes; anything far
/// larger is a mistake or an attack and is refused before parsing.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Position {
    /// Line, starting at 1 (0 when unknown).
    pub line: u32,
    /// Column, starting at 1 (0 when unknown).
    pub column: u32,
}

impl Position {
    /// The start of the file, used when nothing more precise is known.
    pub const START: Position = Position { line: 1, column: 1 };
}

/// Where a value sits: the key that introduces it (for object members) and the value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Position of the member's key, or of the value for array items and the root.
    pub key: Position,
    /// Position of the value.
    pub value: Position,
}

/// Input format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// YAML 1.2 with strict booleans.
    Yaml,
    /// JSON.
    Json,
}

impl Format {
    /// The format a file name implies: `.json` (any case) is JSON, anything else YAML.
    pub fn from_name(name: &str) -> Format {
        let is_json = Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json { Format::Json } else { Format::Yaml }
    }
}

/// A parsed document: its value, where each value came from, and a digest of its bytes.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name as the user gave it (or `<stdin>`), used in messages.
    pub name: String,
    /// Path on disk, when it came from a file.
    pub path: Option<PathBuf>,
    /// The parsed content.
    pub value: Value,
    /// SHA-256 of the raw bytes, hex encoded.
    pub sha256: String,
    /// Input format.
    pub format: Format,
    spans: Spans,
}

impl Document {
    /// Reads and parses a file; `.json` files are read as JSON, everything else as YAML.
    pub fn from_path(path: &Path) -> Result<Self, DocumentError> {
        let (name, bytes) = read_file(path)?;
        let format = Format::from_name(&name);
        let mut doc = Self::from_bytes(&name, &bytes, format)?;
        doc.path = Some(path.to_path_buf());
        Ok(doc)
    }

    /// Reads a YAML file for evaluation alone: the value, without the position of every
    /// value and without the digest of the bytes (`sha256` is empty). It fails exactly where
    /// [`Document::from_path`] fails. Whatever reports a line or the digest needs
    /// `from_path`; JSON files are read by it, since their duplicate keys are found only
    /// with the positions.
    pub fn from_path_quick(path: &Path) -> Result<Self, DocumentError> {
        let (name, bytes) = read_file(path)?;
        let format = Format::from_name(&name);
        if format == Format::Json {
            return Self::from_path(path);
        }
        let text = utf8(&name, &bytes)?;
        Ok(Document {
            value: tree::parse_yaml_values(&name, text)?,
            name,
            path: Some(path.to_path_buf()),
            sha256: String::new(),
            format,
            spans: Spans::default(),
        })
    }

    /// A document of a value already parsed elsewhere, without positions (every position is
    /// the top of the file) and without a digest: the built-in rules, converted to JSON at
    /// build time and read with positions by the tests, where a problem would show.
    pub fn from_value(name: &str, value: Value, format: Format) -> Self {
        Document {
            name: name.to_string(),
            path: None,
            value,
            sha256: String::new(),
            format,
            spans: Spans::default(),
        }
    }

    /// Parses bytes already in memory.
    pub fn from_bytes(name: &str, bytes: &[u8], format: Format) -> Result<Self, DocumentError> {
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(DocumentError::TooLarge {
                file: name.to_string(),
                size: bytes.len() as u64,
            });
        }
        let text = utf8(name, bytes)?;
        let sha256 = hex(&Sha256::digest(bytes));
        let (value, spans) = match format {
            Format::Yaml => tree::parse_yaml(name, text)?,
            Format::Json => {
                // A byte order mark is no part of JSON, but editors write one.
                let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                let value: Value =
                    serde_json::from_str(text).map_err(|err| DocumentError::Syntax {
                        file: name.to_string(),
                        position: Position {
                            line: u32::try_from(err.line()).unwrap_or(u32::MAX),
                            column: u32::try_from(err.column()).unwrap_or(u32::MAX),
                        },
                        message: json_message(&err),
                    })?;
                // JSON is a subset of YAML 1.2, so the YAML reader supplies the positions.
                // What it refuses in valid JSON is what JSON readers let through silently
                // (a key given twice, nesting past the depth limit): report it, as for
                // YAML, rather than keep the last value and lose every position.
                // What YAML alone refuses in valid JSON (U+FFFE in a string, a key longer
                // than YAML's 1,024 characters) costs the positions, not the document.
                let spans = match tree::yaml_positions(name, text) {
                    Ok(spans) => spans,
                    Err(DocumentError::Syntax { message, .. })
                        if !message.contains("duplicate") =>
                    {
                        Spans::default()
                    }
                    Err(e) => return Err(e),
                };
                (value, spans)
            }
        };
        Ok(Document {
            name: name.to_string(),
            path: None,
            value,
            sha256,
            format,
            spans,
        })
    }

    /// The span of the value at a JSON Pointer, if it is in the document.
    pub fn span(&self, pointer: &str) -> Option<Span> {
        self.spans.get(pointer).copied()
    }

    /// The best position for a pointer: its own key, or that of its nearest ancestor that
    /// exists (an absent field is reported where its section is, or at the top).
    pub fn position_of(&self, pointer: &str) -> Position {
        let mut current = pointer;
        loop {
            if let Some(span) = self.spans.get(current) {
                return span.key;
            }
            // A byte search: pointers are short, and `str::rfind` on a character sets up
            // a searcher that costs more than the search.
            match current.bytes().rposition(|b| b == b'/') {
                Some(idx) => current = &current[..idx],
                None => return Position::START,
            }
        }
    }

    /// The position of a value (rather than its key), falling back like `position_of`.
    pub fn value_position_of(&self, pointer: &str) -> Position {
        self.spans
            .get(pointer)
            .map_or_else(|| self.position_of(pointer), |s| s.value)
    }
}

/// Reads a file of at most [`MAX_DOCUMENT_BYTES`]: every file the tool reads (descriptors,
/// rule packs and their fixtures, templates, profiles, waivers, assessments) goes through
/// here, so none is ever read whole before its size is known.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, DocumentError> {
    read_file(path).map(|(_, bytes)| bytes)
}

/// Reads a file of at most [`MAX_DOCUMENT_BYTES`]: its name as given, and its bytes.
fn read_file(path: &Path) -> Result<(String, Vec<u8>), DocumentError> {
    let name = crate::text::sanitize_line(&path.display().to_string());
    match read_at_most(path, MAX_DOCUMENT_BYTES as u64) {
        Ok(bytes) => Ok((name, bytes)),
        Err(TooLargeOr::Io(source)) => Err(DocumentError::Io { file: name, source }),
        Err(TooLargeOr::TooLarge(size)) => Err(DocumentError::TooLarge { file: name, size }),
    }
}

/// Why a bounded read failed.
#[derive(Debug)]
pub enum TooLargeOr {
    /// The file is larger than the limit: its size, or as much as was read past it.
    TooLarge(u64),
    /// It could not be read.
    Io(std::io::Error),
}

/// Reads a whole file of at most `limit` bytes; the one reader behind every file the tool
/// reads, each with its own limit (a descriptor, a register export, a mapping).
pub fn read_at_most(path: &Path, limit: u64) -> Result<Vec<u8>, TooLargeOr> {
    use std::io::Read as _;
    // One open and one stat of the open file: the size is checked before reading, and
    // reading stops past the limit even if the file grows meanwhile.
    let file = std::fs::File::open(path).map_err(TooLargeOr::Io)?;
    let size = file.metadata().map_err(TooLargeOr::Io)?.len();
    if size > limit {
        return Err(TooLargeOr::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(TooLargeOr::Io)?;
    if bytes.len() as u64 > limit {
        return Err(TooLargeOr::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The bytes as text, or where the first byte that is not UTF-8 is.
fn utf8<'b>(name: &str, bytes: &'b [u8]) -> Result<&'b str, DocumentError> {
    std::str::from_utf8(bytes).map_err(|err| {
        let (line, column) = line_col_at(bytes, err.valid_up_to());
        DocumentError::NotUtf8 {
            file: name.to_string(),
            position: Position { line, column },
        }
    })
}

fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    // serde_json appends " at line N column M"; the location is reported separately.
    shorten_quoted(match text.rfind(" at line ") {
        Some(idx) => &text[..idx],
        None => &text,
    })
}

/// Values a parser quotes in its message (`` `999…` ``) cut to 60 characters: a message
/// echoes a value to point at it, not to print ten thousand digits.
pub(crate) fn shorten_quoted(message: &str) -> String {
    const LONGEST: usize = 60;
    let mut out = String::with_capacity(message.len().min(1024));
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts are inside backticks.
        match part.char_indices().nth(LONGEST) {
            Some((cut, _)) if i % 2 == 1 => {
                out.push_str(&part[..cut]);
                out.push('…');
            }
            _ => out.push_str(part),
        }
    }
    out
}

#[expect(clippy::naive_bytecount, reason = "runs once, on an error path")]
fn line_col_at(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// Lower-case hexadecimal encoding (a digest per descriptor: by table, not by `fmt`).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Escapes one segment of a JSON Pointer (RFC 6901).
pub fn escape_pointer_segment(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains(['~', '/']) {
        segment.replace('~', "~0").replace('/', "~1").into()
    } else {
        segment.into()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_writes_two_lower_case_digits_per_byte() {
        assert_eq!(super::hex(&[0x00, 0x0f, 0xa5, 0xff, 0x10]), "000fa5ff10");
        assert_eq!(super::hex(&[]), "");
    }
}
