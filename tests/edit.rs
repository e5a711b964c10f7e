//! Property tests of `edit::set`: for random descriptors (block YAML with comments, and JSON
//! laid out in several ways) and random edits, the edited text parses, holds the new value
//! at the path and every other value as before, and keeps every comment line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{Map, Value, json};

use rightscheck::document::{Document, Format};
use rightscheck::edit;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

/// A generated descriptor: sections of fields, as a tree.
#[derive(Debug, Clone)]
enum Node {
    Scalar(Value),
    List(Vec<String>),
    Section(Vec<(String, Node)>, Option<String>),
}

const KEYS: [&str; 6] = ["alpha", "beta", "gamma", "can_override", "name", "evidence"];

/// Text a person might answer, including text a careless writer would break.
const TEXTS: [&str; 16] = [
    "plain words",
    "true",
    "no",
    "2024-01-01",
    "0042",
    "a: b",
    "# not a comment",
    "- not an item",
    "two\nlines",
    "",
    "ünïcödé text",
    "C# and F#",
    "trailing space ",
    "'single'",
    "\"double\" and \\ back",
    "{not: flow}",
];

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(TEXTS.to_vec()).prop_map(str::to_string)
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(Value::from),
        text().prop_map(Value::String),
    ]
}

fn comment() -> impl Strategy<Value = Option<String>> {
    prop::option::of(
        prop::sample::select(vec!["# why", "# TODO: ask the vendor", "#tight"])
            .prop_map(str::to_string),
    )
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        3 => scalar().prop_map(Node::Scalar),
        1 => prop::collection::vec(text(), 0..3).prop_map(Node::List),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        (
            prop::collection::vec((prop::sample::select(KEYS.to_vec()), inner), 1..4),
            comment(),
        )
            .prop_map(|(entries, comment)| Node::Section(unique(entries), comment))
    })
}

/// The entries with the first of each key kept, as a mapping holds them.
fn unique(entries: Vec<(&'static str, Node)>) -> Vec<(String, Node)> {
    let mut seen = Vec::new();
    entries
        .into_iter()
        .filter(|(k, _)| {
            let new = !seen.contains(k);
            seen.push(*k);
            new
        })
        .map(|(k, n)| (k.to_string(), n))
        .collect()
}

/// The root: always a section.
fn root() -> impl Strategy<Value = Vec<(String, Node)>> {
    prop::collection::vec((prop::sample::select(KEYS.to_vec()), node()), 1..5).prop_map(unique)
}

fn value_of(node: &Node) -> Value {
    match node {
        Node::Scalar(v) => v.clone(),
        Node::List(items) => Value::from(items.clone()),
        Node::Section(entries, _) => Value::Object(
            entries
                .iter()
                .map(|(k, n)| (k.clone(), value_of(n)))
                .collect::<Map<_, _>>(),
        ),
    }
}

/// A scalar as its own writer would put it: JSON strings are YAML double-quoted strings.
fn yaml_scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s)
            if s.chars().all(|c| c.is_ascii_lowercase() || c == ' ')
                && !s.is_empty()
                && !s.ends_with(' ')
                && s != "no" =>
        {
            format!(" {s}")
        }
        other => format!(" {other}"),
    }
}

/// Block YAML with comment lines between entries and comments after values.
fn write_yaml(entries: &[(String, Node)], indent: usize, flow_lists: bool, out: &mut String) {
    let pad = " ".repeat(indent);
    for (i, (key, node)) in entries.iter().enumerate() {
        if i % 2 == 1 {
            let _ = writeln!(out, "{pad}# about {key}");
        }
        match node {
            Node::Scalar(v) => {
                let _ = writeln!(
                    out,
                    "{pad}{key}:{}{}",
                    yaml_scalar(v),
                    if i % 3 == 0 { " # note" } else { "" }
                );
            }
            Node::List(items) if items.is_empty() || flow_lists => {
                let _ = writeln!(out, "{pad}{key}: {}", serde_json::to_string(items).unwrap());
            }
            Node::List(items) => {
                let _ = writeln!(out, "{pad}{key}:");
                for item in items {
                    let _ = writeln!(out, "{pad}  - {}", serde_json::to_string(item).unwrap());
                }
            }
            Node::Section(children, comment) => {
                let _ = writeln!(
                    out,
                    "{pad}{key}:{}",
                    comment
                        .as_ref()
                        .map(|c| format!(" {c}"))
                        .unwrap_or_default()
                );
                write_yaml(children, indent + 2, flow_lists, out);
            }
        }
    }
}

/// Every path to a field in the tree, and to each section.
fn paths(
    entries: &[(String, Node)],
    prefix: &str,
    leaves: &mut Vec<String>,
    sections: &mut Vec<String>,
) {
    for (key, node) in entries {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match node {
            Node::Section(children, _) => {
                sections.push(path.clone());
                paths(children, &path, leaves, sections);
            }
            _ => leaves.push(path),
        }
    }
}

/// An edit: which existing field or new field, and the new value (`None`: blank).
#[derive(Debug, Clone)]
struct Edit {
    pick: prop::sample::Index,
    new_field: Option<(prop::sample::Index, Vec<&'static str>)>,
    value: Option<Value>,
}

fn new_value() -> impl Strategy<Value = Option<Value>> {
    prop::option::of(prop_oneof![
        scalar().prop_filter("blank is None", |v| !v.is_null()),
        prop::collection::vec(text(), 0..3).prop_map(Value::from),
        (text(), text()).prop_map(|(t, l)| json!([{"title": t, "link": l}])),
    ])
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        any::<prop::sample::Index>(),
        prop::option::of((
            any::<prop::sample::Index>(),
            prop::collection::vec(prop::sample::select(vec!["zeta", "omega"]), 1..3),
        )),
        new_value(),
    )
        .prop_map(|(pick, new_field, value)| Edit {
            pick,
            new_field,
            value,
        })
}

/// The path an edit sets, in a tree with these leaves and sections.
fn target(edit: &Edit, leaves: &[String], sections: &[String]) -> String {
    match &edit.new_field {
        Some((section, keys)) => {
            let mut all = vec![String::new()];
            all.extend(sections.iter().cloned());
            let base = section.get(&all);
            let mut keys = keys.clone();
            keys.dedup();
            let tail = keys.join(".");
            if base.is_empty() {
                tail
            } else {
                format!("{base}.{tail}")
            }
        }
        None if leaves.is_empty() => "zeta".to_string(),
        None => edit.pick.get(leaves).clone(),
    }
}

/// The value expected after the edit.
fn expected(mut value: Value, path: &str, new: Option<&Value>) -> Value {
    let parts: Vec<&str> = path.split('.').collect();
    let mut here = &mut value;
    for part in &parts[..parts.len() - 1] {
        if here.is_null() {
            *here = Value::Object(Map::new());
        }
        here = here
            .as_object_mut()
            .unwrap()
            .entry(*part)
            .or_insert(Value::Null);
    }
    if here.is_null() {
        *here = Value::Object(Map::new());
    }
    here.as_object_mut().unwrap().insert(
        parts[parts.len() - 1].to_string(),
        new.cloned().unwrap_or(Value::Null),
    );
    value
}

/// Whether `needles` appear in `hay` in order.
fn in_order<'a>(needles: impl Iterator<Item = &'a str>, hay: &[&str]) -> bool {
    let mut rest = hay.iter();
    needles.into_iter().all(|n| rest.any(|h| *h == n))
}

fn check(
    text: &str,
    format: Format,
    root: &[(String, Node)],
    edit: &Edit,
) -> Result<(), TestCaseError> {
    let name = if format == Format::Json {
        "t.json"
    } else {
        "t.yaml"
    };
    let before = Document::from_bytes(name, text.as_bytes(), format).unwrap();
    let (mut leaves, mut sections) = (Vec::new(), Vec::new());
    paths(root, "", &mut leaves, &mut sections);
    let path = target(edit, &leaves, &sections);
    let result = edit::set(name, text, format, &path, edit.value.as_ref());
    // New fields are named apart from every generated one, so no value is ever in the way.
    let edited = result.map_err(|e| TestCaseError::fail(format!("{path}: {e}\n{text}")))?;
    let after = Document::from_bytes(name, edited.as_bytes(), format)
        .map_err(|e| TestCaseError::fail(format!("{e}\n{edited}")))?;
    prop_assert_eq!(
        &after.value,
        &expected(before.value.clone(), &path, edit.value.as_ref()),
        "{}\n---\n{}",
        text,
        edited
    );
    let lines: Vec<&str> = edited.lines().collect();
    prop_assert!(
        in_order(
            text.lines().filter(|l| l.trim_start().starts_with('#')),
            &lines
        ),
        "a comment line was lost:\n{}\n---\n{}",
        text,
        edited
    );
    if format == Format::Yaml {
        // Every line but the edited field's own (and its list items) keeps its bytes.
        let key = format!("{}:", path.rsplit('.').next().unwrap_or_default());
        let untouched = text.lines().filter(|l| {
            let t = l.trim_start();
            !t.starts_with(&key) && !t.starts_with("- ")
        });
        prop_assert!(
            in_order(untouched, &lines),
            "a line changed:\n{}\n---\n{}",
            text,
            edited
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn yaml_edits_keep_everything_else(root in root(), flow_lists in any::<bool>(), edit in edit()) {
        let mut text = String::from("# A descriptor\n\n");
        write_yaml(&root, 0, flow_lists, &mut text);
        check(&text, Format::Yaml, &root, &edit)?;
    }

    #[test]
    fn json_edits_keep_everything_else(root in root(), layout in 0usize..3, edit in edit()) {
        let value = Value::Object(root.iter().map(|(k, n)| (k.clone(), value_of(n))).collect());
        let text = match layout {
            0 => serde_json::to_string(&value).unwrap(),
            1 => serde_json::to_string_pretty(&value).unwrap() + "\n",
            _ => {
                let mut bytes = Vec::new();
                let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
                serde::Serialize::serialize(&value, &mut serde_json::Serializer::with_formatter(&mut bytes, formatter)).unwrap();
                String::from_utf8(bytes).unwrap()
            }
        };
        check(&text, Format::Json, &root, &edit)?;
    }
}

#[test]
fn a_comment_after_a_field_stays_when_the_field_changes() {
    let text = "a:\n  b: 1 # keep\n    # deeper note\n  # about c\n  c: 2\n";
    let edited = edit::set("t.yaml", text, Format::Yaml, "a.b", Some(&json!(["x"]))).unwrap();
    assert_eq!(
        edited,
        "a:\n  b: # keep\n    - x\n    # deeper note\n  # about c\n  c: 2\n"
    );
}
