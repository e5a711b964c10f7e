//! Property tests: the reader never panics, every value it returns has a position, and
//! assessing any descriptor the schema allows is total, explained and deterministic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{Map, Value};

use rightscheck::assessment::{FailOn, Outcome};
use rightscheck::document::{Document, Format, escape_pointer_segment};
use rightscheck::engine::{self, Options};
use rightscheck::rules::Catalog;
use rightscheck::schema::{FieldKind, Schema, descriptor_fields};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        // Shrinking a failure is worth a little time, but not minutes.
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// (1) Arbitrary input never panics.
// ---------------------------------------------------------------------------------------

/// Fragments that matter to a YAML reader, to reach deeper than random bytes do.
const YAML_TOKENS: &[&str] = &[
    "- ",
    ": ",
    ":",
    "? ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: ",
    "!!str ",
    "!!int ",
    "!!binary ",
    "!tag ",
    "|",
    "|-",
    ">",
    ">+",
    "#",
    "'",
    "\"",
    "\\",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2024:\n",
    "\n",
    "\r\n",
    "  ",
    "\t",
    "key",
    "1",
    "010",
    "1_000",
    "0x1F",
    "0o17",
    ".inf",
    "-.inf",
    ".nan",
    "1e400",
    "-0",
    "NO",
    "yes",
    "~",
    "null",
    "true",
    "false",
    "é",
    "\u{feff}",
    "\u{2028}",
    "\u{0}",
    "\u{85}",
    "🦀",
    "9999999999999999999999999",
];

fn yaml_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(YAML_TOKENS).prop_map(str::to_string),
            1 => "[a-z0-9 ]{1,6}",
        ],
        0..64,
    )
    .prop_map(|parts| parts.concat())
}

fn read_both(bytes: &[u8]) {
    for format in [Format::Yaml, Format::Json] {
        match Document::from_bytes("prop", bytes, format) {
            Ok(doc) => {
                // Positions of whatever was read are always usable.
                let _ = doc.position_of("/a/b/0");
                let _ = doc.value_position_of("");
            }
            Err(err) => {
                let _ = err.to_string();
                let _ = err.help();
                let _ = err.position();
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn reading_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        read_both(&bytes);
    }

    #[test]
    fn reading_arbitrary_text_never_panics(text in any::<String>()) {
        read_both(text.as_bytes());
    }

    #[test]
    fn reading_yaml_like_text_never_panics(text in yaml_soup()) {
        read_both(text.as_bytes());
    }
}

// ---------------------------------------------------------------------------------------
// (2) Any well-formed YAML document is read back exactly, with a position for every value.
// ---------------------------------------------------------------------------------------

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z_][a-z0-9_]{0,8}",
        // Keys that must be escaped in a JSON Pointer, or quoted in YAML.
        1 => "[a-z~/ .:#-]{1,6}",
        1 => "\\PC{1,6}",
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (0u32..1_000_000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
        "\\PC{0,16}".prop_map(Value::String),
        // Words a YAML 1.1 reader would turn into booleans: strings under strict booleans.
        prop::sample::select(vec!["NO", "no", "yes", "on", "off", "y", "n", "Norway"])
            .prop_map(|s| Value::String(s.to_string())),
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..5)
                .prop_map(|m: BTreeMap<String, Value>| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Words that a plain (unquoted) scalar must not be, to stay a string.
fn plain_safe(s: &str) -> bool {
    let reserved = [
        "true", "false", "null", "nan", "inf", "y", "n", "yes", "no", "on", "off",
    ];
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !reserved.contains(&s)
}

fn quoted(s: &str) -> String {
    // JSON string escapes are valid in YAML double-quoted scalars.
    serde_json::to_string(s).unwrap()
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) if plain_safe(s) => s.clone(),
        Value::String(s) => quoted(s),
        Value::Null => "null".to_string(),
        Value::Array(a) if a.is_empty() => "[]".to_string(),
        Value::Object(o) if o.is_empty() => "{}".to_string(),
        other => other.to_string(),
    }
}

fn is_block(v: &Value) -> bool {
    matches!(v, Value::Array(a) if !a.is_empty()) || matches!(v, Value::Object(o) if !o.is_empty())
}

/// Renders a value as block YAML; subtrees at `flow_depth` and below are written as JSON
/// (flow style), so both styles and their mix are exercised.
fn render(v: &Value, indent: usize, depth: usize, flow_depth: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) if !map.is_empty() => {
            for (k, item) in map {
                let k = if plain_safe(k) { k.clone() } else { quoted(k) };
                if is_block(item) && depth + 1 < flow_depth {
                    let _ = writeln!(out, "{pad}{k}:");
                    render(item, indent + 2, depth + 1, flow_depth, out);
                } else if is_block(item) {
                    let _ = writeln!(out, "{pad}{k}: {item}");
                } else {
                    let _ = writeln!(out, "{pad}{k}: {}", scalar_text(item));
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                if is_block(item) && depth + 1 < flow_depth {
                    let _ = writeln!(out, "{pad}-");
                    render(item, indent + 2, depth + 1, flow_depth, out);
                } else if is_block(item) {
                    let _ = writeln!(out, "{pad}- {item}");
                } else {
                    let _ = writeln!(out, "{pad}- {}", scalar_text(item));
                }
            }
        }
        other => {
            let _ = writeln!(out, "{pad}{}", scalar_text(other));
        }
    }
}

/// Every JSON Pointer in a value, the root (`""`) included.
fn pointers(v: &Value, at: &str, out: &mut Vec<String>) {
    out.push(at.to_string());
    match v {
        Value::Object(map) => {
            for (k, item) in map {
                pointers(item, &format!("{at}/{}", escape_pointer_segment(k)), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn check_positions(doc: &Document, text: &str) -> Result<(), TestCaseError> {
    let lines = u32::try_from(text.lines().count().max(1)).unwrap();
    let mut all = Vec::new();
    pointers(&doc.value, "", &mut all);
    for p in &all {
        prop_assert!(doc.span(p).is_some(), "no span for {p:?} in\n{text}");
        let pos = doc.position_of(p);
        prop_assert!(pos.line >= 1 && pos.column >= 1, "{p:?} at {pos:?}");
        prop_assert!(pos.line <= lines, "{p:?} at {pos:?} past the last line");
        let value_pos = doc.value_position_of(p);
        prop_assert!(
            value_pos.line >= 1 && value_pos.line <= lines,
            "{p:?} value at {value_pos:?}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn yaml_documents_read_back_with_every_position(v in tree(), flow_depth in 0usize..6) {
        // The reader refuses empty files; give it at least one value.
        let v = if v == Value::Null { Value::Object(Map::new()) } else { v };
        let mut text = String::new();
        render(&v, 0, 0, flow_depth.max(1), &mut text);
        let doc = Document::from_bytes("prop.yaml", text.as_bytes(), Format::Yaml)
            .map_err(|e| TestCaseError::fail(format!("{e}\n---\n{text}")))?;
        prop_assert_eq!(&doc.value, &v, "read back differently:\n{}", text);
        check_positions(&doc, &text)?;
    }

    #[test]
    fn json_documents_read_back_with_every_position(v in tree(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&v).unwrap()
        } else {
            serde_json::to_string(&v).unwrap()
        };
        let doc = Document::from_bytes("prop.json", text.as_bytes(), Format::Json)
            .map_err(|e| TestCaseError::fail(format!("{e}\n---\n{text}")))?;
        prop_assert_eq!(&doc.value, &v);
        check_positions(&doc, &text)?;
    }
}

// ---------------------------------------------------------------------------------------
// (3) Assessing any descriptor is total, explained and deterministic.
// ---------------------------------------------------------------------------------------

/// Yes/no answers the rules lean on most; each is true, false, null or left out.
const CORE_BOOLEANS: &[&str] = &[
    "oversight.can_override",
    "redress.can_contest",
    "redress.human_review",
    "redress.notice_of_automated_decision",
    "impact_assessment.done",
    "impact_assessment.before_deployment",
    "due_diligence.done",
    "reversibility.can_deactivate",
    "transparency.public_disclosure",
    "bias.tested",
    "capabilities.social_scoring",
    "capabilities.emotion_recognition",
    "purpose.decisions_affect_rights",
    "context.publicly_accessible_spaces",
];

/// The strategies below rely on these fields: a renamed one should fail here, plainly.
#[test]
fn core_booleans_are_boolean_fields_of_the_schema() {
    let fields = descriptor_fields();
    for name in CORE_BOOLEANS {
        let kind = fields.get(*name).map(|f| &f.kind);
        assert_eq!(kind, Some(&FieldKind::Boolean), "`{name}` in the schema");
    }
}

fn date() -> impl Strategy<Value = String> {
    (2015i32..2031, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

/// A value the schema allows for a field of this kind.
fn value_for(kind: &FieldKind) -> BoxedStrategy<Value> {
    match kind {
        FieldKind::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
        FieldKind::Number => (1u32..100_000).prop_map(Value::from).boxed(),
        // With a digit: never a word that stands for "nothing" in a field that expects a
        // reference (`none`, `n/a`), which validation rightly refuses.
        FieldKind::Text => "[A-Z][a-z]{2,6} [0-9]{1,3}[A-Za-z .]{0,8}"
            .prop_map(Value::String)
            .boxed(),
        FieldKind::Date => date().prop_map(Value::String).boxed(),
        FieldKind::Choice(allowed) if !allowed.is_empty() => prop::sample::select(allowed.clone())
            .prop_map(Value::String)
            .boxed(),
        FieldKind::List(allowed) if !allowed.is_empty() => {
            prop::sample::subsequence(allowed.clone(), 0..=allowed.len().min(4))
                .prop_map(|items| Value::Array(items.into_iter().map(Value::String).collect()))
                .boxed()
        }
        FieldKind::List(_) => prop::collection::btree_set("[a-z]{1,8}", 0..3)
            .prop_map(|items: BTreeSet<String>| {
                Value::Array(items.into_iter().map(Value::String).collect())
            })
            .boxed(),
        FieldKind::Choice(_) | FieldKind::Section => Just(Value::Null).boxed(),
    }
}

/// Each field is left out (`None`), `null`, or given a value.
fn answer(kind: &FieldKind, core: bool) -> BoxedStrategy<Option<Value>> {
    let weights = if core { (1, 1, 4) } else { (4, 1, 2) };
    prop_oneof![
        weights.0 => Just(None),
        weights.1 => Just(Some(Value::Null)),
        weights.2 => value_for(kind).prop_map(Some),
    ]
    .boxed()
}

fn set_path(root: &mut Map<String, Value>, dotted: &str, value: Value) {
    let mut parts: Vec<&str> = dotted.split('.').collect();
    let last = parts.pop().unwrap();
    let mut map = root;
    for part in parts {
        let entry = map
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        map = entry.as_object_mut().unwrap();
    }
    map.insert(last.to_string(), value);
}

/// Descriptors that the schema allows, over every field rules may refer to.
fn descriptor() -> impl Strategy<Value = Value> {
    let fields: Vec<(String, FieldKind)> = descriptor_fields()
        .iter()
        // `source` is provenance written by `import`, all or nothing (its register and
        // record id are required), not answers about the system.
        .filter(|(path, info)| {
            info.kind != FieldKind::Section
                && path.as_str() != "descriptor_version"
                && !path.starts_with("source.")
        })
        .map(|(path, info)| (path.clone(), info.kind.clone()))
        .collect();
    let evidence_sections: Vec<String> = descriptor_fields()
        .values()
        .filter_map(|info| info.evidence_section.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let answers: Vec<BoxedStrategy<Option<Value>>> = fields
        .iter()
        .map(|(path, kind)| answer(kind, CORE_BOOLEANS.contains(&path.as_str())))
        .collect();
    let evidence: Vec<BoxedStrategy<Option<Value>>> = evidence_sections
        .iter()
        .map(|_| {
            prop_oneof![
                2 => Just(None),
                1 => Just(Some(Value::Array(Vec::new()))),
                2 => (date(), "[A-Z][a-z ]{0,12}").prop_map(|(d, t)| Some(serde_json::json!([{ "title": t, "file": "record.pdf", "date": d }]))),
            ]
            .boxed()
        })
        .collect();
    let name = "[A-Za-z][A-Za-z0-9 ]{0,20}";
    (answers, evidence, name).prop_map(move |(answers, evidence, name)| {
        let mut root = Map::new();
        root.insert("descriptor_version".to_string(), Value::from("1"));
        for ((path, _), answer) in fields.iter().zip(answers) {
            if let Some(v) = answer {
                set_path(&mut root, path, v);
            }
        }
        for (section, list) in evidence_sections.iter().zip(evidence) {
            if let Some(list) = list {
                set_path(&mut root, &format!("{section}.evidence"), list);
            }
        }
        set_path(&mut root, "system.name", Value::String(name));
        Value::Object(root)
    })
}

/// The well-governed example with a handful of core answers changed (true, false, null or
/// removed): random descriptors almost never reach an `acceptable` verdict, this does.
fn mutated_example() -> impl Strategy<Value = Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/well-governed.yaml");
    let base = std::fs::read(path)
        .ok()
        .and_then(|bytes| Document::from_bytes(path, &bytes, Format::Yaml).ok())
        .map_or(Value::Null, |doc| doc.value);
    let changes = prop::collection::vec(
        (
            prop::sample::select(CORE_BOOLEANS),
            prop::option::of(prop::option::of(any::<bool>())),
        ),
        0..4,
    );
    changes.prop_map(move |changes| {
        let mut v = base.clone();
        for (field, change) in changes {
            let pointer = format!("/{}", field.replace('.', "/"));
            let (section, key) = pointer.rsplit_once('/').unwrap();
            let Some(Value::Object(map)) = v.pointer_mut(section) else {
                continue;
            };
            match change {
                None => {
                    map.remove(key);
                }
                Some(b) => {
                    map.insert(key.to_string(), b.map_or(Value::Null, Value::Bool));
                }
            }
        }
        v
    })
}

fn fail_on() -> impl Strategy<Value = FailOn> {
    prop::sample::select(vec![
        FailOn::Blocker,
        FailOn::High,
        FailOn::Medium,
        FailOn::Low,
        FailOn::Never,
    ])
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn assessment_is_total_explained_and_deterministic(
        descriptor in prop_oneof![3 => descriptor(), 1 => mutated_example()],
        as_of in date(),
        fail_on in fail_on(),
        yaml in any::<bool>(),
    ) {
        // The example could not be read: nothing to mutate.
        prop_assume!(descriptor.is_object());
        let catalog = Catalog::builtin().unwrap();
        let schema = Schema::descriptor().unwrap();
        let options = Options {
            as_of: NaiveDate::parse_from_str(&as_of, "%Y-%m-%d").unwrap(),
            fail_on,
        };
        let (text, format) = if yaml {
            let mut text = String::new();
            render(&descriptor, 0, 0, usize::MAX, &mut text);
            (text, Format::Yaml)
        } else {
            (serde_json::to_string_pretty(&descriptor).unwrap(), Format::Json)
        };
        let doc = Document::from_bytes("prop", text.as_bytes(), format)
            .map_err(|e| TestCaseError::fail(format!("{e}\n---\n{text}")))?;
        prop_assert_eq!(&doc.value, &descriptor);

        let issues = schema.validate(&doc).unwrap();
        prop_assert!(
            issues.is_empty(),
            "a descriptor built from the schema's own fields is refused: {:?}\n{}",
            issues.iter().map(ToString::to_string).collect::<Vec<_>>(),
            text
        );

        let first = engine::Engine::plain(catalog).evaluate(&doc, &options).to_assessment();
        prop_assert_eq!(first.findings.len(), catalog.rules().len());
        for finding in &first.findings {
            if finding.outcome == Outcome::Gap {
                prop_assert!(
                    !finding.observations.is_empty(),
                    "{} is a gap with nothing observed",
                    finding.rule_id
                );
            }
            if finding.outcome == Outcome::Unknown {
                prop_assert!(finding.question.is_some(), "{} has no question", finding.rule_id);
            }
            // Observations of a descriptor field point at a line; derived ones (such as
            // the impact level) have no pointer and no line.
            for o in finding.observations.iter().filter(|o| !o.pointer.is_empty()) {
                prop_assert!(o.line >= 1, "{}: observation {} at line 0", finding.rule_id, o.field);
            }
        }
        let s = &first.summary;
        prop_assert_eq!(s.pass + s.gap + s.unknown + s.not_asked + s.not_applicable, s.rules);

        // Assessed again from a fresh read of the same text (another document, other hash
        // seeds): identical output.
        let reread = Document::from_bytes("prop", text.as_bytes(), format).unwrap();
        let again = engine::Engine::plain(catalog)
            .evaluate(&reread, &options)
            .to_assessment();
        prop_assert_eq!(
            serde_json::to_string(&first).unwrap(),
            serde_json::to_string(&again).unwrap()
        );
    }
}

/// The quick reading used to evaluate inventories (no positions, no digest) gives the same
/// value, and fails on the same files with the same error, as the full reading.
#[test]
fn the_quick_reading_matches_the_full_one() {
    let mut files = Vec::new();
    for dir in ["examples", "tests/fixtures/invalid", "rules/fixtures"] {
        for entry in
            walkdir::WalkDir::new(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
    }
    assert!(files.len() > 300);
    for file in files {
        let full = Document::from_path(&file);
        let quick = Document::from_path_quick(&file);
        match (full, quick) {
            (Ok(full), Ok(quick)) => {
                assert_eq!(full.value, quick.value, "{}", file.display());
                assert_eq!(
                    serde_json::to_string(&full.value).unwrap(),
                    serde_json::to_string(&quick.value).unwrap()
                );
            }
            (Err(full), Err(quick)) => {
                assert_eq!(full.to_string(), quick.to_string(), "{}", file.display());
            }
            (full, quick) => panic!(
                "{}: full {:?}, quick {:?}",
                file.display(),
                full.err(),
                quick.err()
            ),
        }
    }
}
