//! The Dutch Algoritmeregister, JSON export (an array of records).
//!
//! The export mixes records written to publication standards 0.1.0, 0.3.1 and 0.4.0 in one
//! flat shape: every record has every key, and a key a version did not ask for is `null`.
//! Answers are in Dutch and mostly free text; only a bare `ja` or `nee` (any case, with
//! or without a final full stop) is read as yes or no, and a status only when it is one
//! of the usual phrases. The record's id is its `lars` number.

use std::path::Path;

use serde_json::Value;

use super::{Descriptor, ImportError, Record, tidy};

/// The register named in each descriptor's `source`, followed by the record's standard.
pub const REGISTER: &str = "Algoritmeregister (NL)";

/// Reads the whole export; one record per element of the array.
pub fn read(file: &Path, bytes: &[u8]) -> Result<Vec<Record>, ImportError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| ImportError::Format {
        file: file.to_path_buf(),
        expected: "an Algoritmeregister JSON export",
        reason: e.to_string(),
    })?;
    let Value::Array(items) = value else {
        return Err(ImportError::Format {
            file: file.to_path_buf(),
            expected: "an Algoritmeregister JSON export",
            reason: "the file is not a list of records".to_string(),
        });
    };
    Ok(items
        .iter()
        .enumerate()
        .map(|(index, item)| record(index, item))
        .collect())
}

fn text<'a>(item: &'a Value, key: &str) -> &'a str {
    item.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn record(index: usize, item: &Value) -> Record {
    let position = format!("record {}", index + 1);
    if !item.is_object() {
        return Record::Malformed {
            record: position,
            reason: "not an object".to_string(),
        };
    }
    let lars = match item.get("lars") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Record::Malformed {
                record: position,
                reason: "no `lars` id".to_string(),
            };
        }
    };
    let name = tidy(text(item, "name"));
    let organisation = tidy(text(item, "organization"));
    if name.is_empty() || organisation.is_empty() {
        return Record::Malformed {
            record: format!("{position} (lars {lars})"),
            reason: "no `name` or no `organization`".to_string(),
        };
    }
    let version = tidy(text(item, "standard_version"));
    let register = if version.is_empty() {
        REGISTER.to_string()
    } else {
        format!("{REGISTER}, publication standard {version}")
    };
    let mut d = Descriptor::new(register, lars.clone(), format!("nl-{lars}"));
    d.set("system.name", name);
    d.set("roles.deployer.name", organisation);
    // The register is for government organisations only.
    d.set("roles.deployer.public_authority", true);
    d.set("roles.deployer.country", "NL");
    // A key is asked by the record's publication standard when it is there and not
    // `null`, answered or not; the rest of the descriptor is written as not asked.
    let asks = |key: &str| item.get(key).is_some_and(|v| !v.is_null());
    if asks("description_short") {
        d.ask("system.description");
    }
    if asks("goal") {
        d.ask("purpose.summary");
    }
    let short = text(item, "description_short").trim();
    if !short.is_empty() {
        d.set("system.description", short);
    }
    let goal = text(item, "goal").trim();
    if !goal.is_empty() {
        d.set("purpose.summary", goal);
    }
    let link = ["url", "website"]
        .iter()
        .map(|k| tidy(text(item, k)))
        .find(|u| u.starts_with("https://") || u.starts_with("http://"));
    if asks("url") || asks("website") {
        d.ask("system.register_url");
    }
    if let Some(link) = link {
        d.set("system.register_url", link);
    }
    let mut read = |field: &str, key: &str, reading: fn(&str) -> Option<Value>| {
        if asks(key) {
            d.ask(field);
        }
        let raw = text(item, key);
        let answer = tidy(raw);
        if answer.is_empty() {
            return;
        }
        d.keep_answer(field, key, raw);
        if let Some(value) = reading(&answer.to_lowercase()) {
            d.set(field, value);
        }
    };
    read("system.status", "status", |a| match a {
        "in gebruik" | "actief" | "in werking" => Some("in-use".into()),
        "in ontwikkeling" => Some("in-development".into()),
        "gestopt" | "buiten gebruik" => Some("retired".into()),
        _ => None,
    });
    read("oversight.mode", "human_intervention", |a| {
        ja_nee(a).map(|yes| if yes { "human-in-the-loop" } else { "none" }.into())
    });
    read("redress.can_contest", "objection_procedure", |a| {
        ja_nee(a).map(Value::from)
    });
    read("impact_assessment.done", "iama", |a| {
        ja_nee(a).map(Value::from)
    });
    read("data.privacy_impact_assessment", "dpia", |a| {
        ja_nee(a).map(Value::from)
    });
    Record::Descriptor(Box::new(d))
}

/// A bare `ja` or `nee`; anything longer is free text and stays unknown.
fn ja_nee(answer: &str) -> Option<bool> {
    match answer.trim_end_matches('.') {
        "ja" => Some(true),
        "nee" => Some(false),
        _ => None,
    }
}
