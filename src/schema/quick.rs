//! A quick answer to "is this document valid?" read straight from the schema, without
//! compiling a validator.
//!
//! Compiling the descriptor schema with `jsonschema` takes longer than assessing one
//! descriptor, so a run that checks one document pays for it on every start. This check
//! knows the few keywords the built-in schemas use and answers only when it is sure the
//! document is valid. Whenever it is not (the document breaks a rule, or the schema or
//! the value is something it does not know, such as a number in a list of choices), the
//! compiled validator decides and explains, exactly as before. So it can make a run
//! faster but never change what is accepted: the tests below hold it to the compiled
//! validator on every example, rule fixture and imported record, and on variants of them
//! with each value replaced by one of every wrong kind, each key removed and a key added.

use serde_json::Value;

use crate::data::Json;

/// How deep schemas and documents are followed before the check gives up (and the
/// compiled validator decides). Documents are already bounded when read.
const MAX_DEPTH: usize = 128;

/// Lists longer than this are compared item by item only when they hold only text.
const PAIRWISE_ITEMS: usize = 32;

/// Whether `instance` is valid against `schema` (a JSON Schema 2020-12 document whose
/// references point into `root`, parsed or as a constant tree); `false` means invalid or
/// not sure.
pub(crate) fn surely_valid<'s, S: Json<'s>>(root: S, instance: &Value) -> bool {
    valid(root, root, instance, 0)
}

fn valid<'s, S: Json<'s>>(root: S, schema: S, instance: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    if let Some(b) = schema.as_bool() {
        return b;
    }
    let Some(mut keywords) = schema.entries() else {
        return false;
    };
    keywords.all(|(keyword, arg)| keyword_holds(root, schema, keyword, arg, instance, depth))
}

/// Whether one keyword of `schema` surely holds for `instance`.
fn keyword_holds<'s, S: Json<'s>>(
    root: S,
    schema: S,
    keyword: &str,
    arg: S,
    instance: &Value,
    depth: usize,
) -> bool {
    let below = |sub: S, value: &Value| valid(root, sub, value, depth + 1);
    match keyword {
        "type" => match (arg.as_str(), arg.items()) {
            (Some(name), _) => is_of_type(name, instance),
            (None, Some(mut names)) => {
                names.any(|n| n.as_str().is_some_and(|n| is_of_type(n, instance)))
            }
            (None, None) => false,
        },
        "enum" => arg
            .items()
            .is_some_and(|mut choices| choices.any(|c| surely_equal(c, instance))),
        "const" => surely_equal(arg, instance),
        "properties" => match (arg.is_object(), instance) {
            (true, Value::Object(fields)) => fields
                .iter()
                .all(|(name, value)| arg.get(name).is_none_or(|sub| below(sub, value))),
            (true, _) => true,
            (false, _) => false,
        },
        "additionalProperties" => match instance {
            Value::Object(fields) => {
                let declared = schema.get("properties").filter(|p| p.is_object());
                fields
                    .iter()
                    .filter(|(name, _)| declared.is_none_or(|d| !d.contains_key(name)))
                    .all(|(_, value)| below(arg, value))
            }
            _ => arg.is_object() || arg.is_boolean(),
        },
        "required" => match (arg.items(), instance) {
            (Some(mut names), Value::Object(fields)) => {
                names.all(|n| n.as_str().is_some_and(|n| fields.contains_key(n)))
            }
            (Some(_), _) => true,
            (None, _) => false,
        },
        "items" => match instance {
            Value::Array(items) => items.iter().all(|item| below(arg, item)),
            _ => arg.is_object() || arg.is_boolean(),
        },
        "uniqueItems" => match (arg.as_bool(), instance) {
            (Some(true), Value::Array(items)) => surely_distinct(items),
            (Some(_), _) => true,
            (None, _) => false,
        },
        "minLength" => match (arg.as_u64(), instance) {
            // Counted in characters, and only as far as needed.
            (Some(least), Value::String(text)) => {
                least == 0
                    || usize::try_from(least - 1).is_ok_and(|i| text.chars().nth(i).is_some())
            }
            (Some(_), _) => true,
            (None, _) => false,
        },
        "minimum" => match instance {
            Value::Number(n) => at_least(n, arg),
            _ => arg.is_number(),
        },
        "format" => match (arg.as_str(), instance) {
            (Some("date"), Value::String(text)) => is_full_date(text),
            (Some("date"), _) => true,
            _ => false,
        },
        "$ref" => arg
            .as_str()
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| root.pointer(pointer))
            .is_some_and(|target| below(target, instance)),
        "anyOf" => arg
            .items()
            .is_some_and(|mut subs| subs.any(|sub| below(sub, instance))),
        "allOf" => arg.items().is_some_and(|mut subs| {
            let mut any = false;
            subs.all(|sub| {
                any = true;
                below(sub, instance)
            }) && any
        }),
        // Annotations and places for definitions: they constrain nothing.
        "$schema" | "$id" | "$defs" | "$comment" | "title" | "description" | "default"
        | "examples" | "deprecated" | "readOnly" | "writeOnly" => true,
        other => other.starts_with("x-"),
    }
}

fn is_of_type(name: &str, instance: &Value) -> bool {
    match name {
        "null" => instance.is_null(),
        "boolean" => instance.is_boolean(),
        "string" => instance.is_string(),
        "object" => instance.is_object(),
        "array" => instance.is_array(),
        "number" => instance.is_number(),
        // A whole number written with a fraction (`3.0`) is left to the validator.
        "integer" => instance.is_i64() || instance.is_u64(),
        _ => false,
    }
}

/// Whether a value of the schema and one of the document are surely equal as JSON Schema
/// compares them. Numbers compare by value there (`1` equals `1.0`), which `==` does not,
/// so any number leaves it unsure.
fn surely_equal<'s, S: Json<'s>>(a: S, b: &Value) -> bool {
    !schema_holds_number(a) && !holds_number(b) && a.equals(b)
}

fn schema_holds_number<'s, S: Json<'s>>(v: S) -> bool {
    v.is_number()
        || v.items()
            .is_some_and(|mut items| items.any(schema_holds_number))
        || v.entries()
            .is_some_and(|mut fields| fields.any(|(_, f)| schema_holds_number(f)))
}

fn holds_number(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::Array(items) => items.iter().any(holds_number),
        Value::Object(fields) => fields.values().any(holds_number),
        _ => false,
    }
}

/// Whether the items of a list are surely all different.
fn surely_distinct(items: &[Value]) -> bool {
    if items.iter().any(holds_number) {
        return false;
    }
    if items.iter().all(Value::is_string) {
        let mut seen = std::collections::HashSet::with_capacity(items.len());
        return items
            .iter()
            .filter_map(Value::as_str)
            .all(|s| seen.insert(s));
    }
    items.len() <= PAIRWISE_ITEMS
        && items
            .iter()
            .enumerate()
            .all(|(i, a)| items[i + 1..].iter().all(|b| a != b))
}

/// Whether a number is at least `least`; sure only where both are whole numbers or both
/// are exactly representable as floating point.
fn at_least<'s, S: Json<'s>>(n: &serde_json::Number, least: S) -> bool {
    if let (Some(a), Some(b)) = (n.as_i64(), least.as_i64()) {
        return a >= b;
    }
    if let (Some(a), Some(b)) = (n.as_u64(), least.as_u64()) {
        return a >= b;
    }
    match (n.as_f64(), least.as_f64()) {
        (Some(a), Some(b)) if a.is_finite() && b.is_finite() && n.is_f64() => a >= b,
        _ => false,
    }
}

/// RFC 3339 `full-date`: `YYYY-MM-DD`, a real day of a real month.
fn is_full_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b[range].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1 && (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::path::{Path, PathBuf};

    use super::*;
    use crate::document::Document;
    use crate::schema::{Schema, descriptor_schema};
    use serde_json::json;

    /// Every descriptor the project ships: examples, rule fixtures, portfolio and import
    /// fixtures, and the invalid ones that still parse.
    fn corpus() -> Vec<(PathBuf, Value)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for folder in ["examples", "rules/fixtures", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(folder)).sort_by_file_name() {
                let path = entry.unwrap().into_path();
                let descriptor = path.extension().is_some_and(|e| e == "yaml" || e == "json")
                    && path.file_name().is_some_and(|n| n != "waivers.yaml");
                if descriptor && let Ok(doc) = Document::from_path(&path) {
                    out.push((path, doc.value));
                }
            }
        }
        out
    }

    /// The answer of the compiled validator, which decides whenever the quick check does not.
    fn compiled(instance: &Value) -> bool {
        Schema::descriptor()
            .unwrap()
            .validator()
            .unwrap()
            .is_valid(instance)
    }

    #[test]
    fn it_finds_valid_exactly_the_shipped_descriptors_the_validator_finds_valid() {
        let schema = descriptor_schema().unwrap();
        let corpus = corpus();
        assert!(corpus.len() > 800, "{} descriptors", corpus.len());
        let mut valid = 0;
        for (path, value) in &corpus {
            let quick = surely_valid(schema, value);
            // Read from the tree every run reads, the answer is the same.
            let tree = crate::data::DESCRIPTOR_SCHEMA_TREE;
            assert_eq!(quick, surely_valid(tree, value), "{}", path.display());
            assert_eq!(quick, compiled(value), "{}", path.display());
            valid += usize::from(quick);
        }
        // The invalid fixtures are invalid; every other one is valid.
        assert!(valid + 11 >= corpus.len(), "{valid} of {}", corpus.len());
    }

    /// Values of every kind the schema distinguishes, and some near misses.
    fn wrong_values() -> Vec<Value> {
        vec![
            Value::Null,
            json!(true),
            json!(0),
            json!(-1),
            json!(2.5),
            json!(3.0),
            json!(""),
            json!("x"),
            json!("2024-02-30"),
            json!("2024-02-29"),
            json!([]),
            json!(["a", "a"]),
            json!([1]),
            json!({}),
            json!({ "unknown": true }),
        ]
    }

    /// Every variant of `value` with one change at one place.
    fn variants(value: &Value, out: &mut Vec<Value>) {
        let mut at = Vec::new();
        places(value, &mut at, &mut |pointer| {
            for wrong in wrong_values() {
                let mut changed = value.clone();
                *changed.pointer_mut(pointer).unwrap() = wrong;
                out.push(changed);
            }
            let mut changed = value.clone();
            match changed.pointer_mut(pointer).unwrap() {
                Value::Object(fields) => {
                    fields.insert("not_in_the_schema".to_string(), json!(true));
                    out.push(changed.clone());
                    for key in value.pointer(pointer).unwrap().as_object().unwrap().keys() {
                        let mut removed = value.clone();
                        removed
                            .pointer_mut(pointer)
                            .unwrap()
                            .as_object_mut()
                            .unwrap()
                            .remove(key);
                        out.push(removed);
                    }
                }
                Value::Array(items) if !items.is_empty() => {
                    items.push(items[0].clone());
                    out.push(changed);
                }
                _ => {}
            }
        });
    }

    /// Calls `f` with the pointer of every place in `value`, the top included.
    fn places(value: &Value, at: &mut Vec<String>, f: &mut dyn FnMut(&str)) {
        let pointer = at
            .iter()
            .fold(String::new(), |pointer, step| pointer + "/" + step);
        f(&pointer);
        match value {
            Value::Object(fields) => {
                for (key, sub) in fields {
                    at.push(key.replace('~', "~0").replace('/', "~1"));
                    places(sub, at, f);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, sub) in items.iter().enumerate() {
                    at.push(i.to_string());
                    places(sub, at, f);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    #[test]
    fn no_change_to_a_valid_descriptor_makes_it_accept_what_the_validator_refuses() {
        let schema = descriptor_schema().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        let mut refused = 0;
        for (path, value) in corpus() {
            let shipped = path.starts_with(root.join("examples"))
                || path.starts_with(root.join("tests/fixtures"));
            if !shipped {
                continue;
            }
            let mut changed = Vec::new();
            variants(&value, &mut changed);
            for variant in &changed {
                let quick = surely_valid(schema, variant);
                assert_eq!(
                    quick,
                    surely_valid(crate::data::DESCRIPTOR_SCHEMA_TREE, variant)
                );
                let exact = compiled(variant);
                assert!(
                    !quick || exact,
                    "{}: accepted what the validator refuses:\n{variant:#}",
                    path.display()
                );
                checked += 1;
                refused += usize::from(!exact);
            }
        }
        assert!(
            checked > 20_000 && refused > checked / 4,
            "{refused} of {checked}"
        );
    }

    #[test]
    fn dates_are_real_days() {
        for good in ["2024-02-29", "2000-02-29", "2023-12-31", "0001-01-01"] {
            assert!(is_full_date(good), "{good}");
        }
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2023-13-01",
            "2023-00-10",
            "2023-04-31",
            "2023-4-01",
            "2023-04-01T00:00:00Z",
            "２０２３-04-01",
            "0000-01-01",
            "",
        ] {
            assert!(!is_full_date(bad), "{bad}");
        }
    }

    #[test]
    fn a_keyword_it_does_not_know_leaves_it_unsure() {
        let schema = json!({ "type": "string", "pattern": "^a" });
        assert!(!surely_valid(&schema, &json!("abc")));
        let schema = json!({ "not": { "type": "string" } });
        assert!(!surely_valid(&schema, &json!(1)));
    }

    #[test]
    fn numbers_in_choices_and_lists_leave_it_unsure() {
        let schema = json!({ "enum": [1, 2] });
        assert!(!surely_valid(&schema, &json!(1)));
        let schema = json!({ "type": "array", "uniqueItems": true });
        assert!(!surely_valid(&schema, &json!([1, 2])));
        assert!(surely_valid(&schema, &json!(["a", "b"])));
        assert!(!surely_valid(&schema, &json!(["a", "a"])));
        let schema = json!({ "type": "integer" });
        assert!(surely_valid(&schema, &json!(3)));
        assert!(!surely_valid(&schema, &json!(3.0)));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let schema = json!({ "type": "string", "minLength": 2 });
        assert!(!surely_valid(&schema, &json!("é")));
        assert!(surely_valid(&schema, &json!("éé")));
        let schema = json!({ "type": "string", "minLength": 0 });
        assert!(surely_valid(&schema, &json!("")));
    }

    #[test]
    fn references_and_closed_objects() {
        let root = json!({
            "$defs": { "name": { "type": "string", "minLength": 1 } },
            "type": "object",
            "properties": { "name": { "$ref": "#/$defs/name" } },
            "required": ["name"],
            "additionalProperties": false
        });
        assert!(surely_valid(&root, &json!({ "name": "x" })));
        assert!(!surely_valid(&root, &json!({ "name": "" })));
        assert!(!surely_valid(&root, &json!({})));
        assert!(!surely_valid(&root, &json!({ "name": "x", "other": 1 })));
    }
}
