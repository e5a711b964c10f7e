//! The questionnaire's form, read from the descriptor schema once: its sections and fields
//! in the order the schema writes them, each with its wording (`x-question`, `x-title`,
//! `x-labels`), the answer it follows (`x-asked-if`), the kind of answer it takes, and what
//! it is: a fact about the system (`x-fact`) or an answer that changes with a document or a
//! safeguard (`x-effort`). The questionnaire and what-if both read the schema's
//! annotations here, and nowhere else.

use std::sync::OnceLock;

use serde_json::Value;

use super::{AnswerOption, Kind};
use crate::assessment::Effort;
use crate::document::{Document, Format, escape_pointer_segment};
use crate::schema::DESCRIPTOR_SCHEMA;

/// Top-level keys that are not sections a person answers: the format's version and where
/// an imported descriptor's answers come from.
const NOT_ASKED: &[&str] = &["descriptor_version", "source"];

/// A section of the form.
#[derive(Debug)]
pub(crate) struct SectionForm {
    /// Its key, e.g. `oversight`.
    pub key: String,
    /// Its title, from `x-title` (else its description).
    pub title: String,
    /// Its description.
    pub description: String,
    /// The dotted path of its evidence list, when it has one.
    pub evidence: Option<String>,
    /// What it takes to add to its evidence list (the list's `x-effort`).
    pub evidence_effort: Option<Effort>,
    /// Its fields, in schema order.
    pub fields: Vec<FieldForm>,
}

/// One field: one question.
#[derive(Debug)]
pub(crate) struct FieldForm {
    /// Dotted path, e.g. `oversight.can_override`.
    pub path: String,
    /// The same as a JSON Pointer.
    pub pointer: String,
    /// The question, from `x-question` (else the description).
    pub prompt: String,
    /// More about it: the description, when the prompt is not the description itself.
    pub help: Option<String>,
    /// The answer it takes.
    pub kind: Kind,
    /// A fact about the system's nature (`x-fact`), not a safeguard.
    pub fact: bool,
    /// What it takes to change the answer truthfully (`x-effort`); none for a field the
    /// schema does not mark, which what-if never proposes to change.
    pub effort: Option<Effort>,
    /// The schema requires it (it cannot be left blank).
    pub required: bool,
    /// Asked only once the answer to this other field (dotted, `x-asked-if`) states
    /// something: what an assessment concluded, once one was done.
    pub asked_if: Option<String>,
}

/// The form, or `None` when the built-in schema cannot be read (which
/// [`crate::schema::Schema::descriptor`] reports).
pub(crate) fn form() -> &'static [SectionForm] {
    static CELL: OnceLock<Vec<SectionForm>> = OnceLock::new();
    CELL.get_or_init(|| {
        Document::from_bytes(
            "ai-system.schema.json",
            DESCRIPTOR_SCHEMA.as_bytes(),
            Format::Json,
        )
        .map(|schema| read(&schema))
        .unwrap_or_default()
    })
}

/// The field of the form at a dotted path.
pub(crate) fn field(path: &str) -> Option<&'static FieldForm> {
    form()
        .iter()
        .flat_map(|s| &s.fields)
        .find(|f| f.path == path)
}

/// The section of the form with this key, e.g. `oversight`.
pub(crate) fn section(key: &str) -> Option<&'static SectionForm> {
    form().iter().find(|s| s.key == key)
}

/// What it takes to change the answer at a dotted path: a field's effort, or for a
/// section's evidence list (`oversight.evidence`), the list's. `None` for a fact, a field
/// the schema does not mark, or a path the form does not have.
pub(crate) fn effort(path: &str) -> Option<Effort> {
    match field(path) {
        Some(f) => f.effort,
        None => form()
            .iter()
            .find(|s| s.evidence.as_deref() == Some(path))
            .and_then(|s| s.evidence_effort),
    }
}

/// The words a person is asked a dotted path in: a field's question, or a section's title.
pub(crate) fn asked(path: &str) -> Option<&'static str> {
    field(path)
        .map(|f| f.prompt.as_str())
        .or_else(|| section(path).map(|s| s.title.as_str()))
}

fn read(schema: &Document) -> Vec<SectionForm> {
    in_order(schema, &schema.value, "")
        .into_iter()
        .filter(|(key, _, _)| !NOT_ASKED.contains(&key.as_str()))
        .filter(|(_, sub, _)| is_object(sub))
        .map(|(key, sub, pointer)| {
            let mut fields = Vec::new();
            leaves(schema, sub, &pointer, &key, &mut fields);
            let description = text(sub, "description").unwrap_or_default();
            // An evidence list is marked once, where it is defined.
            let evidence = sub
                .get("properties")
                .and_then(|p| p.get("evidence"))
                .map(|list| resolved(schema, list));
            SectionForm {
                title: text(sub, "x-title").unwrap_or_else(|| description.clone()),
                description,
                evidence: evidence.is_some().then(|| format!("{key}.evidence")),
                evidence_effort: evidence.and_then(effort_of),
                fields,
                key,
            }
        })
        .collect()
}

/// The properties of `node` in the order the schema file writes them, each with its schema
/// pointer.
fn in_order<'a>(
    schema: &Document,
    node: &'a Value,
    pointer: &str,
) -> Vec<(String, &'a Value, String)> {
    let Some(props) = node.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out: Vec<(String, &Value, String)> = props
        .iter()
        .map(|(k, v)| {
            let at = format!("{pointer}/properties/{}", escape_pointer_segment(k));
            (k.clone(), v, at)
        })
        .collect();
    out.sort_by_key(|(_, _, at)| schema.position_of(at));
    out
}

/// Every answerable field under `node`: nested sections (such as `roles.deployer`) are
/// walked; evidence lists, attached to their section, are not questions.
fn leaves(schema: &Document, node: &Value, pointer: &str, path: &str, out: &mut Vec<FieldForm>) {
    let required = string_set(node.get("required"));
    for (key, sub, at) in in_order(schema, node, pointer) {
        if key == "evidence" {
            continue;
        }
        let dotted = format!("{path}.{key}");
        if is_object(sub) {
            leaves(schema, sub, &at, &dotted, out);
            continue;
        }
        let description = text(sub, "description").unwrap_or_default();
        let prompt = text(sub, "x-question").unwrap_or_else(|| description.clone());
        out.push(FieldForm {
            pointer: super::pointer(&dotted),
            help: adds_to(&description, &prompt).then_some(description),
            kind: kind(schema, sub),
            fact: sub.get("x-fact").and_then(Value::as_bool) == Some(true),
            effort: effort_of(sub),
            required: required.iter().any(|r| *r == key),
            asked_if: text(sub, "x-asked-if"),
            prompt,
            path: dotted,
        });
    }
}

/// Whether a field's description tells a reader more than its question does: two or more
/// words of four letters or more that the question does not use (examples, a definition).
/// "Where the system is in its life", under "Where is the system in its life?", does not.
fn adds_to(description: &str, prompt: &str) -> bool {
    let words = |text: &str| {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4)
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    let asked = words(prompt);
    words(description)
        .iter()
        .filter(|w| !asked.contains(w))
        .nth(1)
        .is_some()
}

/// A schema's `x-effort`.
fn effort_of(sub: &Value) -> Option<Effort> {
    match sub.get("x-effort").and_then(Value::as_str) {
        Some("document") => Some(Effort::Document),
        Some("measure") => Some(Effort::Measure),
        _ => None,
    }
}

/// The schema a local `$ref` points to, else the schema itself.
fn resolved<'a>(schema: &'a Document, sub: &'a Value) -> &'a Value {
    match sub.get("$ref").and_then(Value::as_str) {
        Some(r) if r.starts_with("#/") => schema.value.pointer(&r[1..]).unwrap_or(sub),
        _ => sub,
    }
}

fn kind(schema: &Document, sub: &Value) -> Kind {
    let types = types(sub);
    if types.contains(&"array") {
        let items = resolved(schema, sub.get("items").unwrap_or(&Value::Null));
        return match options(sub, items) {
            options if options.is_empty() => Kind::List,
            options => Kind::Choices { options },
        };
    }
    if types.contains(&"boolean") {
        return Kind::YesNo;
    }
    if types.contains(&"integer") || types.contains(&"number") {
        return Kind::Number {
            minimum: sub.get("minimum").and_then(Value::as_f64),
            maximum: sub.get("maximum").and_then(Value::as_f64),
            whole: types.contains(&"integer"),
        };
    }
    if sub.get("enum").is_some() {
        return Kind::Choice {
            options: options(sub, sub),
        };
    }
    if sub.get("format").and_then(Value::as_str) == Some("date") {
        return Kind::Date;
    }
    Kind::Text
}

/// The allowed values of `values` (a schema with an `enum`), labelled by the field's
/// `x-labels` where a key is not readable as it is.
fn options(field: &Value, values: &Value) -> Vec<AnswerOption> {
    let labels = field.get("x-labels").and_then(Value::as_object);
    values
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|key| AnswerOption {
            label: labels
                .and_then(|l| l.get(key))
                .and_then(Value::as_str)
                .map_or_else(|| key.replace(['-', '_'], " "), str::to_string),
            key: key.to_string(),
        })
        .collect()
}

fn types(sub: &Value) -> Vec<&str> {
    match sub.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_object(sub: &Value) -> bool {
    types(sub).contains(&"object")
}

fn text(node: &Value, key: &str) -> Option<String> {
    node.get(key).and_then(Value::as_str).map(str::to_string)
}

fn string_set(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_annotations_are_read_for_fields_and_evidence_lists() {
        assert_eq!(effort("oversight.can_override"), Some(Effort::Measure));
        assert_eq!(effort("oversight.overseen_by"), Some(Effort::Document));
        // An evidence list is marked where it is defined, behind its `$ref`.
        assert_eq!(effort("oversight.evidence"), Some(Effort::Document));
        let fact = field("purpose.decisions").unwrap();
        assert!(fact.fact);
        assert_eq!(fact.effort, None);
        assert_eq!(effort("no.such.field"), None);
        assert_eq!(asked("oversight"), Some("Human oversight"));
        assert_eq!(
            asked("oversight.mode"),
            Some("How do people oversee the system?")
        );
        assert_eq!(asked("oversight.evidence"), None);
    }

    #[test]
    fn help_that_repeats_the_question_is_not_shown() {
        assert!(!adds_to(
            "Where the system is in its life",
            "Where is the system in its life?"
        ));
        assert!(!adds_to(
            "Is the deployer a public authority?",
            "Is the organisation that uses it a public authority?"
        ));
        assert!(adds_to(
            "Are its outputs used to investigate, check, sanction, stop or exclude people \
             (enforcement or control), rather than only to serve them?",
            "Are its outputs used to investigate, check, sanction, stop or exclude people?"
        ));
        assert!(!adds_to("", "Anything?"));
    }
}
