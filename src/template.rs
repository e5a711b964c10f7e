//! The descriptor template `init` writes: commented YAML with the editor's schema line on
//! top, or the same content as JSON for a `.json` file.

use std::path::Path;

use crate::document::{Document, DocumentError, Format};

/// The commented descriptor template, as shipped in `templates/descriptor.yaml`.
pub const TEMPLATE: &str = include_str!("../templates/descriptor.yaml");

/// The first line of a YAML template: points YAML language servers (VS Code, Neovim…) at
/// the descriptor schema, written with `rightscheck schema descriptor > ai-system.schema.json`.
pub const SCHEMA_LINE: &str = "# yaml-language-server: $schema=./ai-system.schema.json";

/// The template for `file`: JSON when its name ends in `.json`, else YAML.
pub fn for_file(file: &Path) -> Result<String, DocumentError> {
    match Format::from_name(&file.display().to_string()) {
        Format::Json => json(),
        Format::Yaml => Ok(yaml()),
    }
}

/// The YAML template, with the schema line first.
pub fn yaml() -> String {
    format!("{SCHEMA_LINE}\n{TEMPLATE}")
}

/// The template's content as JSON: every section and field, the blanks as `null` (JSON
/// has no comments, so the explanations stay in the YAML template).
pub fn json() -> Result<String, DocumentError> {
    let doc = Document::from_bytes("descriptor.yaml", TEMPLATE.as_bytes(), Format::Yaml)?;
    Ok(serde_json::to_string_pretty(&doc.value).unwrap_or_default() + "\n")
}
