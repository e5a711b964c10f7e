//! Answers into a descriptor: a field set by its dotted path, and the descriptor written as
//! YAML in the order the schema (and so the questionnaire) asks its fields, a blank for
//! every "don't know".

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::form;
use crate::template::SCHEMA_LINE;

/// Sets the field at `path` (dotted) to `answer`, `Value::Null` for "don't know", making
/// the sections on the way.
pub fn set(descriptor: &mut Value, path: &str, answer: Value) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let Some(last) = parts.pop() else {
        return;
    };
    let mut node = descriptor;
    for part in parts {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        let Value::Object(map) = node else {
            return;
        };
        node = map
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    if let Value::Object(map) = node {
        map.insert(last.to_string(), answer);
    }
}

/// A new descriptor: only the format's version.
pub fn new_descriptor() -> Value {
    let mut map = Map::new();
    map.insert("descriptor_version".to_string(), Value::from("1"));
    Value::Object(map)
}

/// The descriptor as YAML, the editor's schema line first, sections and fields in schema
/// order; a "don't know" is a blank answer, as the template leaves it. List items are
/// indented under their key, as in the template, the examples and the answers `serve`
/// edits into a file.
pub fn to_yaml(descriptor: &Value) -> Result<String, String> {
    let mut options = serde_saphyr::SerializerOptions::default();
    options.compact_list_indent = false;
    let body = serde_saphyr::to_string_with_options(
        &InSchemaOrder {
            value: descriptor,
            path: String::new(),
        },
        options,
    )
    .map_err(|e| e.to_string())?;
    Ok(format!("{SCHEMA_LINE}\n{}", blank_nulls(&body)))
}

/// The descriptor as JSON, sections and fields in schema order, `null` for "don't know".
pub fn to_json(descriptor: &Value) -> Result<String, String> {
    serde_json::to_string_pretty(&InSchemaOrder {
        value: descriptor,
        path: String::new(),
    })
    .map(|text| text + "\n")
    .map_err(|e| e.to_string())
}

/// `key: null` as `key:`, the blank the template and a person write for "don't know".
fn blank_nulls(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len());
    for line in yaml.lines() {
        out.push_str(line.strip_suffix(": null").map_or(line, |key| {
            // Only a mapping's key: a list item `- null` is left as it is.
            if key.trim_start().starts_with('-') {
                line
            } else {
                line.strip_suffix(" null").unwrap_or(line)
            }
        }));
        out.push('\n');
    }
    out
}

/// Where a dotted path comes in the schema's order: the place of the first field at or
/// under it; `descriptor_version` first, anything the form does not know (`source`) last.
fn rank(path: &str) -> usize {
    if path == "descriptor_version" {
        return 0;
    }
    form::form()
        .iter()
        .flat_map(|s| &s.fields)
        .position(|f| crate::schema::is_within(&f.path, path))
        .map_or(usize::MAX, |i| i + 1)
}

/// A value whose mappings serialize in schema order.
struct InSchemaOrder<'a> {
    value: &'a Value,
    path: String,
}

impl Serialize for InSchemaOrder<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let child = |key: &str, value| InSchemaOrder {
            value,
            path: if self.path.is_empty() {
                key.to_string()
            } else {
                format!("{}.{key}", self.path)
            },
        };
        match self.value {
            Value::Object(map) => {
                let mut entries: Vec<(&String, InSchemaOrder)> =
                    map.iter().map(|(k, v)| (k, child(k, v))).collect();
                entries.sort_by_cached_key(|(_, c)| rank(&c.path));
                serializer.collect_map(entries)
            }
            Value::Array(items) => serializer.collect_seq(items.iter().map(|item| InSchemaOrder {
                value: item,
                path: self.path.clone(),
            })),
            other => other.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_are_written_in_schema_order_with_blanks_for_unknowns() {
        let mut d = new_descriptor();
        set(&mut d, "oversight.can_override", Value::Null);
        set(&mut d, "system.name", json!("A: tricky # name"));
        set(&mut d, "roles.deployer.public_authority", json!(true));
        set(&mut d, "oversight.mode", json!("human-in-the-loop"));
        set(&mut d, "context.sectors", json!(["health", "education"]));
        let yaml = to_yaml(&d).unwrap();
        let body: Vec<&str> = yaml.lines().collect();
        assert_eq!(body[0], SCHEMA_LINE);
        assert_eq!(body[1], "descriptor_version: \"1\"", "{yaml}");
        let at = |needle: &str| {
            yaml.find(needle)
                .unwrap_or_else(|| panic!("{needle} in {yaml}"))
        };
        assert!(at("system:") < at("roles:") && at("roles:") < at("context:"));
        assert!(
            at("mode:") < at("can_override:"),
            "schema order within a section"
        );
        assert!(
            yaml.contains("  can_override:\n"),
            "a blank for don't know: {yaml}"
        );
        let back = crate::document::Document::from_bytes(
            "x.yaml",
            yaml.as_bytes(),
            crate::document::Format::Yaml,
        )
        .unwrap();
        assert_eq!(back.value, d);
    }

    #[test]
    fn json_keeps_the_same_order_and_null_for_unknowns() {
        let mut d = new_descriptor();
        set(&mut d, "oversight.can_override", Value::Null);
        set(&mut d, "oversight.mode", json!("none"));
        set(&mut d, "system.name", json!("X"));
        let text = to_json(&d).unwrap();
        let at = |needle: &str| {
            text.find(needle)
                .unwrap_or_else(|| panic!("{needle} in {text}"))
        };
        assert!(at("\"system\"") < at("\"oversight\""), "{text}");
        assert!(at("\"mode\"") < at("\"can_override\""), "{text}");
        assert!(text.contains("\"can_override\": null"));
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), d);
    }
}
