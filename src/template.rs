//! The descriptor template `init` writes: commented YAML with the editor's schema line on
//! top, or the same content as JSON for a `.json` file.

use std::path::Path;

use serde::ser::{SerializeMap as _, SerializeSeq as _};
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::document::{Document, DocumentError, Format, escape_pointer_segment};

/// The commented descriptor template, as shipped in `templates/descriptor.yaml`.
pub const TEMPLATE: &str = crate::data::get("templates/descriptor.yaml");

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

/// The template's content as JSON: every section and field in the template's order, the
/// blanks as `null` (JSON has no comments, so the explanations stay in the YAML template).
pub fn json() -> Result<String, DocumentError> {
    let doc = Document::from_bytes("descriptor.yaml", TEMPLATE.as_bytes(), Format::Yaml)?;
    let ordered = InFileOrder {
        doc: &doc,
        value: &doc.value,
        pointer: String::new(),
    };
    Ok(serde_json::to_string_pretty(&ordered).unwrap_or_default() + "\n")
}

/// A value whose mappings serialize in the order their keys are written in the document,
/// not sorted: sections keep the order a person fills them in.
struct InFileOrder<'a> {
    doc: &'a Document,
    value: &'a Value,
    pointer: String,
}

impl Serialize for InFileOrder<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let child = |key: &str, value| InFileOrder {
            doc: self.doc,
            value,
            pointer: format!("{}/{}", self.pointer, escape_pointer_segment(key)),
        };
        match self.value {
            Value::Object(map) => {
                let mut entries: Vec<(&String, InFileOrder)> =
                    map.iter().map(|(k, v)| (k, child(k, v))).collect();
                entries.sort_by_key(|(_, c)| self.doc.position_of(&c.pointer));
                let mut out = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in &entries {
                    out.serialize_entry(key, value)?;
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for (i, item) in items.iter().enumerate() {
                    out.serialize_element(&child(&i.to_string(), item))?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}
