//! A descriptor with some answers changed, in memory: what "what if" evaluates. Nothing is
//! written to disk, and the file the descriptor was read from is left as it is.

use serde_json::{Map, Value};

use super::Document;

impl Document {
    /// A copy of this descriptor with each dotted field (`oversight.can_override`) set to
    /// its value; sections on the way that are missing or empty are created. The copy has
    /// the value alone, without the position of each value or the digest of the bytes:
    /// it is for evaluation, never for a report that points at a line.
    #[must_use]
    pub fn with_values<'v>(
        &self,
        changes: impl IntoIterator<Item = (&'v str, &'v Value)>,
    ) -> Document {
        let mut value = self.value.clone();
        for (field, new) in changes {
            set(&mut value, field, new.clone());
        }
        Document::from_value(&self.name, value, self.format)
    }
}

/// Sets the dotted field `field` of `root` to `new`, turning whatever stands in the way
/// (nothing, `null`, a scalar) into a section.
fn set(root: &mut Value, field: &str, new: Value) {
    let mut at = root;
    let mut keys = field.split('.').peekable();
    while let Some(key) = keys.next() {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Value::Object(map) = at else {
            return;
        };
        if keys.peek().is_none() {
            map.insert(key.to_string(), new);
            return;
        }
        at = map.entry(key.to_string()).or_insert(Value::Null);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::document::Format;

    #[test]
    fn sets_a_field_and_creates_the_sections_on_the_way() {
        let doc = Document::from_value(
            "d.yaml",
            json!({"system": {"name": "x"}, "oversight": null, "redress": {"can_contest": false}}),
            Format::Yaml,
        );
        let yes = json!(true);
        let changed = doc.with_values([
            ("oversight.can_override", &yes),
            ("redress.can_contest", &yes),
            ("roles.deployer.public_authority", &yes),
        ]);
        assert_eq!(
            changed.value,
            json!({
                "system": {"name": "x"},
                "oversight": {"can_override": true},
                "redress": {"can_contest": true},
                "roles": {"deployer": {"public_authority": true}},
            })
        );
        // The descriptor itself is untouched.
        assert_eq!(doc.value["redress"]["can_contest"], json!(false));
        assert_eq!(changed.name, "d.yaml");
    }
}
