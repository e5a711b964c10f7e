//! Where a descriptor comes from: a file, or standard input when the path is `-`. Read from
//! standard input, a descriptor is named `<stdin>` in reports and messages, and is JSON when
//! it starts with `{`, else YAML.

use std::io::Read as _;
use std::path::Path;

use crate::document::{Document, DocumentError, Format, MAX_DOCUMENT_BYTES};

/// The name of a descriptor read from standard input.
pub const STDIN_NAME: &str = "<stdin>";

/// Whether a path given on the command line means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The name a path given on the command line is shown by: `<stdin>` for `-`.
pub fn name(path: &Path) -> String {
    if is_stdin(path) {
        STDIN_NAME.to_string()
    } else {
        path.display().to_string()
    }
}

/// Reads a descriptor from its file, or from standard input for `-`.
pub fn read(path: &Path) -> Result<Document, DocumentError> {
    if !is_stdin(path) {
        return Document::from_path(path);
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_DOCUMENT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| DocumentError::Io {
            file: STDIN_NAME.to_string(),
            source,
        })?;
    let format = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Format::Json,
        _ => Format::Yaml,
    };
    Document::from_bytes(STDIN_NAME, &bytes, format)
}
