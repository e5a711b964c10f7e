//! Sets one field of a YAML or JSON descriptor to a value, or to blank, by editing its text
//! in place: comments, key order, quoting and every field left alone keep their bytes.
//!
//! The field is found with the positions the parsed [`Document`] keeps. A field that is
//! missing is added at the end of its section, and missing sections at the end of theirs.
//! The edited text is parsed again before it is returned, and refused unless it holds the
//! new value at the path and every other value as before: an edit this module cannot make
//! in place is an error, never a changed answer elsewhere.

use std::path::Path;

use serde_json::{Map, Value};

use crate::document::{Document, DocumentError, Format, Position, escape_pointer_segment};

/// Why a field could not be set.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The path is empty or has an empty part.
    #[error("`{0}` is not a field name")]
    BadPath(String),
    /// The document does not read.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// A section on the way to the field holds a value that is not a section.
    #[error(
        "`{path}` holds a value, not a section of fields, so `{field}` cannot be set inside it"
    )]
    NotSection {
        /// The dotted path of the value in the way.
        path: String,
        /// The field asked for.
        field: String,
    },
    /// The document's layout could not be edited in place without changing other values.
    #[error("`{0}` cannot be changed in place in this file's layout")]
    Layout(String),
    /// The file's bytes changed since they were read.
    #[error("the file changed on disk since it was opened")]
    Changed,
    /// The edited file could not be written.
    #[error(transparent)]
    Write(#[from] crate::output::OutputError),
}

impl crate::diagnostic::Diagnostic for EditError {
    fn help(&self) -> Option<String> {
        Some(
            match self {
                EditError::BadPath(_) => {
                    "name a field with its sections, e.g. `oversight.can_override`"
                }
                EditError::Document(e) => return crate::diagnostic::Diagnostic::help(e),
                EditError::NotSection { .. } => {
                    "clear the value in the way first, or fix the file by hand"
                }
                EditError::Layout(_) => "change this field in a text editor",
                EditError::Changed => {
                    "open the file again to see its new content, then answer again"
                }
                EditError::Write(e) => return crate::diagnostic::Diagnostic::help(e),
            }
            .to_string(),
        )
    }
}

/// `a.b.c` → `["a", "b", "c"]`, refusing empty parts.
fn split_path(path: &str) -> Result<Vec<&str>, EditError> {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(EditError::BadPath(path.to_string()));
    }
    Ok(parts)
}

fn pointer(parts: &[&str]) -> String {
    let mut out = String::new();
    for part in parts {
        out.push('/');
        out.push_str(&escape_pointer_segment(part));
    }
    out
}

/// The document's value with `parts` set to `new` (`None`: blank, read as null), creating
/// missing sections; an error when a value on the way is not a section.
fn expected(
    root: &Value,
    parts: &[&str],
    new: Option<&Value>,
    path: &str,
) -> Result<Value, EditError> {
    let mut out = root.clone();
    let mut here = &mut out;
    for (i, part) in parts.iter().enumerate() {
        if here.is_null() {
            *here = Value::Object(Map::new());
        }
        let Value::Object(map) = here else {
            return Err(EditError::NotSection {
                path: parts[..i].join("."),
                field: path.to_string(),
            });
        };
        if i + 1 == parts.len() {
            map.insert((*part).to_string(), new.cloned().unwrap_or(Value::Null));
            break;
        }
        here = map.entry((*part).to_string()).or_insert(Value::Null);
    }
    Ok(out)
}

/// Sets the dotted `path` of the document `text` to `new`, or to blank when `new` is
/// `None`, and returns the edited text; see the module documentation.
pub fn set(
    name: &str,
    text: &str,
    format: Format,
    path: &str,
    new: Option<&Value>,
) -> Result<String, EditError> {
    edit(name, text, format, path, new).map(|(text, _)| text)
}

/// [`set`], with the edited text's document as it was read back.
fn edit(
    name: &str,
    text: &str,
    format: Format,
    path: &str,
    new: Option<&Value>,
) -> Result<(String, Document), EditError> {
    let parts = split_path(path)?;
    let doc = Document::from_bytes(name, text.as_bytes(), format)?;
    let want = expected(&doc.value, &parts, new, path)?;
    let edited = match format {
        Format::Yaml => yaml::set(text, &doc, &parts, &want),
        Format::Json => json::set(text, &doc, &parts, &want),
    }
    .ok_or_else(|| EditError::Layout(path.to_string()))?;
    // The edit is only as good as what the edited text reads as.
    let again = Document::from_bytes(name, edited.as_bytes(), format)
        .map_err(|_| EditError::Layout(path.to_string()))?;
    if again.value != want {
        return Err(EditError::Layout(path.to_string()));
    }
    Ok((edited, again))
}

/// Reads a file, checks it is still the `version` (SHA-256 of its bytes) it was opened at,
/// sets `path` as [`set`] does and replaces the file atomically. Returns the new text and
/// its document.
pub fn set_in_file(
    file: &Path,
    name: &str,
    version: &str,
    path: &str,
    new: Option<&Value>,
) -> Result<(String, Document), EditError> {
    let bytes = crate::document::read_bounded(file)?;
    if version_of(&bytes) != version {
        return Err(EditError::Changed);
    }
    let format = Format::from_name(name);
    let Ok(text) = std::str::from_utf8(&bytes) else {
        // The reader says where the first byte that is not UTF-8 is.
        return Err(match Document::from_bytes(name, &bytes, format) {
            Err(e) => e.into(),
            Ok(_) => EditError::Layout(path.to_string()),
        });
    };
    let (edited, doc) = edit(name, text, format, path, new)?;
    crate::output::write_atomically(file, &edited)?;
    Ok((edited, doc))
}

/// The version of a file's bytes: their SHA-256, hex encoded, as [`Document::sha256`].
pub fn version_of(bytes: &[u8]) -> String {
    use sha2::{Digest as _, Sha256};
    crate::document::hex(&Sha256::digest(bytes))
}

/// Line starts and conversions from a line and character column to a byte offset.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The byte offset of a 1-based line and character column.
    fn offset(&self, at: Position) -> Option<usize> {
        let start = *self.starts.get((at.line as usize).checked_sub(1)?)?;
        let rest = &self.text[start..];
        let column = (at.column as usize).checked_sub(1)?;
        match rest.char_indices().nth(column) {
            Some((i, _)) => Some(start + i),
            None if rest.chars().count() == column => Some(self.text.len()),
            None => None,
        }
    }

    /// The 0-based index of the line holding a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Where line `index` (0-based) ends: the offset of its `\n`, or the end of the text.
    fn end_of(&self, index: usize) -> usize {
        self.starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1)
    }
}

mod yaml;

mod json;

#[cfg(test)]
mod tests;
