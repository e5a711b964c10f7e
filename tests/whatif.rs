//! What would change the verdict: the descriptor schema says which answers are facts about
//! the system's nature (never proposed as a fix) and what it takes to change the others.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::Value;

/// Top-level keys that are not answers about the system: the format's version and where
/// an imported descriptor's answers come from.
const NOT_ANSWERS: [&str; 2] = ["descriptor_version", "source"];

fn descriptor_schema() -> (String, Value) {
    let text =
        std::fs::read_to_string(common::root().join("schemas/ai-system.schema.json")).unwrap();
    let schema = serde_json::from_str(&text).unwrap();
    (text, schema)
}

/// Every leaf field (a value that is not an object of named fields) with its dotted path,
/// `$ref`s resolved.
fn leaves<'a>(root: &'a Value, schema: &'a Value, path: &str, out: &mut Vec<(String, &'a Value)>) {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => root.pointer(&r[1..]).unwrap(),
        None => schema,
    };
    match schema.get("properties").and_then(Value::as_object) {
        Some(props) => {
            for (key, sub) in props {
                if path.is_empty() && NOT_ANSWERS.contains(&key.as_str()) {
                    continue;
                }
                let dotted = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                leaves(root, sub, &dotted, out);
            }
        }
        None => out.push((path.to_owned(), schema)),
    }
}

#[test]
fn every_answer_is_a_fact_or_says_the_effort_to_change_it() {
    let (_, schema) = descriptor_schema();
    let mut fields = Vec::new();
    leaves(&schema, &schema, "", &mut fields);
    assert!(fields.len() > 150, "only {} fields found", fields.len());
    let mut wrong = Vec::new();
    for (path, field) in &fields {
        let fact = field.get("x-fact");
        let effort = field.get("x-effort");
        match (fact, effort.and_then(Value::as_str)) {
            (Some(Value::Bool(true)), None) | (None, Some("document" | "measure")) => {}
            _ => wrong.push(format!("{path}: x-fact {fact:?}, x-effort {effort:?}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_system_s_nature_is_fact_and_safeguards_are_not() {
    let (_, schema) = descriptor_schema();
    let mut fields = Vec::new();
    leaves(&schema, &schema, "", &mut fields);
    let fact = |path: &str| {
        let (_, field) = fields.iter().find(|(p, _)| p == path).unwrap();
        field.get("x-fact") == Some(&Value::Bool(true))
    };
    let effort = |path: &str| {
        let (_, field) = fields.iter().find(|(p, _)| p == path).unwrap();
        field
            .get("x-effort")
            .and_then(Value::as_str)
            .unwrap_or("-")
            .to_owned()
    };
    for section in [
        "system.",
        "roles.",
        "purpose.",
        "context.",
        "affected_people.",
        "harm.",
        "capabilities.",
    ] {
        for (path, _) in fields.iter().filter(|(p, _)| p.starts_with(section)) {
            assert!(fact(path), "{path} is a fact about the system");
        }
    }
    for path in [
        "data.personal_data",
        "export.exported",
        "workers.workplace_monitoring",
    ] {
        assert!(fact(path), "{path} is a fact about the system");
    }
    for (path, expected) in [
        ("impact_assessment.published", "document"),
        ("legality.evidence", "document"),
        ("transparency.public_disclosure", "document"),
        ("oversight.can_override", "measure"),
        ("bias.tested", "measure"),
        ("redress.can_contest", "measure"),
        ("impact_assessment.done", "measure"),
    ] {
        assert_eq!(effort(path), expected, "{path}");
    }
}

/// Each annotation sits on its own line right after the field's `type`, so a reader of the
/// schema finds it where they look first.
#[test]
fn annotations_follow_the_type_line() {
    let (text, _) = descriptor_schema();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        if !(line.starts_with("\"x-fact\"") || line.starts_with("\"x-effort\"")) {
            continue;
        }
        let before = lines[i - 1].trim();
        let after_type = before.starts_with("\"type\": \"")
            || (before.starts_with(']')
                && lines[..i]
                    .iter()
                    .rev()
                    .find(|l| l.trim().starts_with("\"type\""))
                    .is_some_and(|l| l.trim() == "\"type\": ["));
        assert!(
            after_type,
            "line {}: `{line}` does not follow a type",
            i + 1
        );
    }
}
