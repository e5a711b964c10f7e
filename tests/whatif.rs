//! What would change the verdict: the descriptor schema says which answers are facts about
//! the system's nature (never proposed as a fix) and what it takes to change the others.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use rightscheck::assessment::{FailOn, Verdict};
use rightscheck::document::Document;
use rightscheck::engine::{Engine, Options};
use rightscheck::rules::{Catalog, Level};
use rightscheck::whatif::{Effort, WhatIf, what_if};

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

// ---------------------------------------------------------------------------------------
// Expert scenarios, written from what a reviewer would advise before the tool was run.
// ---------------------------------------------------------------------------------------

fn options() -> Options {
    Options {
        as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        fail_on: FailOn::High,
    }
}

fn example(name: &str) -> Document {
    Document::from_path(&common::root().join("examples").join(name)).unwrap()
}

/// A copy of a descriptor with answers set (`null` removes an answer), written here
/// independently of the tool's own way of changing a descriptor.
fn with(doc: &Document, answers: &[(&str, Value)]) -> Document {
    let mut value = doc.value.clone();
    for (field, answer) in answers {
        let mut at = &mut value;
        for key in field.split('.') {
            if !at.is_object() {
                *at = Value::Object(Map::new());
            }
            at = at
                .as_object_mut()
                .unwrap()
                .entry(key.to_string())
                .or_insert(Value::Null);
        }
        *at = answer.clone();
    }
    let text = serde_json::to_string(&value).unwrap();
    Document::from_bytes(
        "case.json",
        text.as_bytes(),
        rightscheck::document::Format::Json,
    )
    .unwrap()
}

/// The verdict and level the engine gives, after validating the descriptor.
fn verdict(doc: &Document) -> (Verdict, Level) {
    let catalog = Catalog::builtin().unwrap();
    let a = Engine::plain(catalog).assess(doc, &options()).unwrap();
    (a.verdict, a.level.level)
}

fn proposal(doc: &Document) -> WhatIf {
    what_if(&Engine::plain(Catalog::builtin().unwrap()), doc, &options())
}

/// Whether the schema marks a dotted field as a fact about the system.
fn is_fact(path: &str) -> bool {
    let (_, schema) = descriptor_schema();
    let mut fields = Vec::new();
    leaves(&schema, &schema, "", &mut fields);
    fields
        .iter()
        .any(|(p, f)| p == path && f.get("x-fact") == Some(&Value::Bool(true)))
}

/// The proposal, applied, gives the verdict and level announced, and changes no fact.
fn holds(doc: &Document, w: &WhatIf) {
    holds_with(&Engine::plain(Catalog::builtin().unwrap()), doc, w);
}

fn holds_with(engine: &Engine, doc: &Document, w: &WhatIf) {
    for c in &w.changes {
        assert!(!is_fact(&c.path), "a fact is proposed: {}", c.path);
        assert!(!c.label.is_empty(), "{c:?}");
        // A change that lifts the verdict closes a rule; one that lowers the level of an
        // acceptable system may close none.
        assert!(w.target.is_none() || !c.rules.is_empty(), "{c:?}");
    }
    let answers: Vec<(&str, Value)> = w
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.value.clone()))
        .collect();
    let a = engine.assess(&with(doc, &answers), &options()).unwrap();
    match w.target {
        Some(target) => {
            assert_eq!(a.verdict, target, "{w:#?}");
            assert!(
                w.reason.contains(&format!("the verdict {}", target.key())),
                "{w:#?}"
            );
        }
        // Nothing lifts it: nothing is proposed, unless the verdict is acceptable already
        // and the changes lower the level.
        None if w.changes.is_empty() => assert_eq!(a.verdict, w.verdict),
        None => {
            assert_eq!(a.verdict, Verdict::Acceptable, "{w:#?}");
            assert!(w.target_level.is_some_and(|l| l < w.level), "{w:#?}");
        }
    }
    assert_eq!(a.level.level, w.target_level.unwrap_or(w.level), "{w:#?}");
}

/// The well-governed example with some answers changed, the verdict it then has, and what
/// would change it.
fn scenario(answers: &[(&str, Value)], now: Verdict) -> (Document, WhatIf) {
    let doc = with(&example("well-governed.yaml"), answers);
    assert_eq!(verdict(&doc).0, now);
    let w = proposal(&doc);
    holds(&doc, &w);
    (doc, w)
}

/// The one change proposed, which lifts the verdict to acceptable: its field, the answer it
/// gives, what it takes and what its label tells the reader to do.
fn the_one_change<'w>(
    w: &'w WhatIf,
    (path, value): (&str, Value),
    effort: Effort,
    label: &str,
) -> &'w rightscheck::whatif::Change {
    assert_eq!(w.target, Some(Verdict::Acceptable), "{w:#?}");
    assert_eq!(w.changes.len(), 1, "{w:#?}");
    let change = &w.changes[0];
    assert_eq!(
        (change.path.as_str(), &change.value),
        (path, &value),
        "{change:?}"
    );
    assert_eq!(change.effort, effort, "{change:?}");
    assert!(change.label.contains(label), "{}", change.label);
    change
}

/// A system people talk to, at level III, that does not tell them they are dealing with a
/// machine: saying so is all it lacks, and saying so is a matter of notice, not of a new
/// safeguard.
#[test]
fn a_missing_notice_is_one_document_away_from_acceptable() {
    let (_, w) = scenario(
        &[
            ("purpose.people_interact_with_it", json!(true)),
            ("transparency.ai_interaction_disclosed", json!(false)),
        ],
        Verdict::Conditional,
    );
    let change = the_one_change(
        &w,
        ("transparency.ai_interaction_disclosed", json!(true)),
        Effort::Document,
        "Write it down or publish it",
    );
    assert!(
        change.rules.contains(&"RC-TRA-007".to_string()),
        "{change:?}"
    );
}

/// Radiologists who cannot overrule the triage: nothing written down replaces the power to
/// override; the one way is the safeguard itself.
#[test]
fn a_missing_safeguard_takes_a_measure() {
    let (_, w) = scenario(
        &[("oversight.can_override", json!(false))],
        Verdict::Conditional,
    );
    let expected = ("oversight.can_override", json!(true));
    the_one_change(&w, expected, Effort::Measure, "Put it in place");
}

/// An unanswered question on a core safeguard: the way forward is to answer it (once it is
/// true), and the label says to answer.
#[test]
fn an_open_question_is_answered() {
    let (_, w) = scenario(
        &[("oversight.can_override", Value::Null)],
        Verdict::Conditional,
    );
    let expected = ("oversight.can_override", json!(true));
    the_one_change(&w, expected, Effort::Measure, "Answer yes if it is so.");
}

/// Live facial recognition in streets and stations, watching protesters and journalists:
/// that is what the system is, and no safeguard makes it something else. Nothing is
/// proposed, and the reason says so.
#[test]
fn a_red_line_crossed_by_nature_has_no_fix() {
    let doc = example("live-facial-recognition.yaml");
    assert_eq!(verdict(&doc).0, Verdict::Reject);
    let w = proposal(&doc);
    assert_eq!(w.target, None, "{w:#?}");
    assert!(w.changes.is_empty(), "{w:#?}");
    assert!(w.red_lines.contains(&"RC-PRO-001".to_string()), "{w:#?}");
    assert!(
        w.reason.starts_with("No safeguard can lift the verdict"),
        "{}",
        w.reason
    );
    assert!(w.reason.contains("by what it is or does"), "{}", w.reason);
}

/// A buyer who asks for evidence (the procurement profile) counts a safeguard claimed
/// without a document as missing: the way forward is the document, not a new safeguard.
#[test]
fn a_claimed_safeguard_needs_its_document_under_the_procurement_profile() {
    let tailoring = rightscheck::engine::Tailoring {
        profile: rightscheck::profile::Profile::resolve("procurement").unwrap(),
        waivers: None,
    };
    let catalog = Catalog::builtin().unwrap();
    let engine = Engine::new(catalog, &tailoring).unwrap();
    let doc = with(
        &example("well-governed.yaml"),
        &[("oversight.evidence", Value::Null)],
    );
    let a = engine.assess(&doc, &options()).unwrap();
    assert_eq!(a.verdict, Verdict::Conditional);
    let w = what_if(&engine, &doc, &options());
    assert_eq!(w.target, Some(Verdict::Acceptable), "{w:#?}");
    assert_eq!(w.changes.len(), 1, "{w:#?}");
    assert_eq!(w.changes[0].path, "oversight.evidence");
    assert_eq!(w.changes[0].effort, Effort::Document);
    assert!(
        w.changes[0].label.starts_with("Attach a document"),
        "{}",
        w.changes[0].label
    );
    holds_with(&engine, &doc, &w);
}

/// Interception of communications is a red line only without its legal safeguards (a
/// specific law, a necessity and proportionality assessment, prior independent
/// authorisation): the way out is those safeguards, never "stop intercepting".
#[test]
fn a_red_line_held_by_missing_legal_safeguards_is_lifted_by_them() {
    let (_, w) = scenario(
        &[("capabilities.communications_interception", json!(true))],
        Verdict::Reject,
    );
    assert!(w.target.is_some_and(|t| t != Verdict::Reject), "{w:#?}");
    assert!(!w.changes.is_empty());
    for c in &w.changes {
        assert!(c.path.starts_with("legality."), "{c:?}");
        assert_eq!(c.effort, Effort::Measure, "{c:?}");
    }
    assert!(w.red_lines.is_empty());
}

/// Whatever holds a system down, the way out never rewrites what the system is.
#[test]
fn facts_are_never_proposed_and_proposals_hold_on_the_examples() {
    for name in [
        "welfare-risk-scoring.yaml",
        "welfare-risk-scoring-v2.yaml",
        "live-facial-recognition.yaml",
        "well-governed.yaml",
        "hostile-strings.yaml",
    ] {
        let doc = example(name);
        let w = proposal(&doc);
        holds(&doc, &w);
        if w.verdict == Verdict::Acceptable {
            assert_eq!(w.target, None, "{name}");
        }
    }
}

/// The welfare risk scoring system: conditional on gaps and open questions, all of which
/// are safeguards and answers, so there is a way to acceptable.
#[test]
fn the_welfare_example_can_be_lifted() {
    let doc = example("welfare-risk-scoring.yaml");
    let w = proposal(&doc);
    assert_eq!(w.verdict, Verdict::Conditional);
    assert_eq!(w.target, Some(Verdict::Acceptable), "{w:#?}");
    // Documents come first.
    let efforts: Vec<Effort> = w.changes.iter().map(|c| c.effort).collect();
    let mut sorted = efforts.clone();
    sorted.sort();
    assert_eq!(efforts, sorted);
    holds(&doc, &w);
}

/// Every answer that may change, by dotted field, with its kind: what the property test
/// varies.
fn changeable() -> Vec<(String, Value)> {
    let (_, schema) = descriptor_schema();
    let mut fields = Vec::new();
    leaves(&schema, &schema, "", &mut fields);
    fields
        .into_iter()
        .filter(|(_, f)| f.get("x-effort").is_some())
        .filter(|(_, f)| {
            f.get("type")
                .is_some_and(|t| t.to_string().contains("boolean"))
        })
        .map(|(p, f)| (p, f.clone()))
        .collect()
}

proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 48, ..Default::default() })]

    /// Any answers to safeguards, on any example, under any built-in profile: every
    /// proposal, made, gives the verdict and level it announces, and none changes a fact.
    #[test]
    fn every_proposal_gives_the_verdict_it_announces(
        base in prop::sample::select(vec![
            "welfare-risk-scoring.yaml",
            "well-governed.yaml",
            "welfare-risk-scoring-v2.yaml",
            "live-facial-recognition.yaml",
        ]),
        profile in prop::sample::select(vec!["default", "procurement", "audit", "self-assessment"]),
        picks in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3), 0..12),
    ) {
        let fields = changeable();
        let answers: Vec<(&str, Value)> = picks
            .iter()
            .map(|(i, a)| {
                let (path, _) = &fields[i.index(fields.len())];
                let answer = match a { 0 => json!(true), 1 => json!(false), _ => Value::Null };
                (path.as_str(), answer)
            })
            .collect();
        let doc = with(&example(base), &answers);
        let tailoring = rightscheck::engine::Tailoring {
            profile: rightscheck::profile::Profile::resolve(profile).unwrap_or_default(),
            waivers: None,
        };
        let engine = Engine::new(Catalog::builtin().unwrap(), &tailoring).unwrap();
        let w = what_if(&engine, &doc, &options());
        holds_with(&engine, &doc, &w);
    }
}

// ---------------------------------------------------------------------------------------
// The command line and the reports.
// ---------------------------------------------------------------------------------------

/// The JSON report of an example, with `--what-if` or without.
fn json_report(name: &str, what_if: bool) -> Value {
    let mut cmd = common::bin();
    cmd.args(["assess", "--as-of", common::AS_OF, "--format", "json"]);
    if what_if {
        cmd.arg("--what-if");
    }
    let out = cmd
        .arg(common::root().join("examples").join(name))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `--what-if` adds a `what_if` object the assessment schema describes, for every example;
/// without it the report has none.
#[test]
fn the_json_report_carries_what_if_and_follows_its_schema() {
    let v = common::validator("schemas/assessment.schema.json");
    for name in [
        "welfare-risk-scoring.yaml",
        "live-facial-recognition.yaml",
        "well-governed.yaml",
    ] {
        let report = json_report(name, true);
        let errors: Vec<String> = v.iter_errors(&report).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        let w: WhatIf = serde_json::from_value(report["what_if"].clone()).unwrap();
        assert_eq!(w, proposal(&example(name)), "{name}");
        assert!(json_report(name, false).get("what_if").is_none(), "{name}");
    }
    let mut bad = json_report("welfare-risk-scoring.yaml", true);
    bad["what_if"]["changes"][0]["effort"] = json!("wish");
    assert!(!v.is_valid(&bad));
}

/// Text in a proposal (a label can quote a descriptor's own list items) is escaped in
/// every report that shows it.
#[test]
fn hostile_text_in_a_proposal_is_escaped() {
    use rightscheck::report::{RenderOptions, ReportFormat, render};
    let doc = example("welfare-risk-scoring.yaml");
    let catalog = Catalog::builtin().unwrap();
    let mut a = Engine::plain(catalog).assess(&doc, &options()).unwrap();
    let mut w = proposal(&doc);
    w.changes[0].label = "<script>alert(1)</script> [x](javascript:1) \u{1b}[31mred".into();
    a.what_if = Some(w);
    let render = |format| render(format, &a, &RenderOptions::default()).unwrap();
    let html = render(ReportFormat::Html);
    assert!(html.contains("What would change the verdict"));
    assert!(!html.contains("<script>alert"), "raw script in HTML");
    assert!(
        html.contains("&lt;script&gt;alert(1)"),
        "the text is shown, escaped"
    );
    let markdown = render(ReportFormat::Markdown);
    assert!(markdown.contains("## What would change the verdict"));
    assert!(!markdown.contains("<script>"), "raw script in Markdown");
    assert!(
        markdown.contains(r"\[x\](javascript"),
        "live link in Markdown"
    );
    let table = render(ReportFormat::Table);
    assert!(table.contains("What would change the verdict"));
    assert!(
        !table.contains('\u{1b}'),
        "escape sequence reaches the terminal"
    );
}

/// Refused plainly, with status 2: a portfolio, and formats that cannot show it.
#[test]
fn what_if_is_refused_where_it_cannot_show() {
    let out = common::bin()
        .args(["assess", "--as-of", common::AS_OF, "--what-if", "examples/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("one descriptor at a time"));
    for format in ["csv", "sarif", "junit", "oscal", "github", "gitlab"] {
        let out = common::bin()
            .args([
                "assess",
                "--as-of",
                common::AS_OF,
                "--what-if",
                "--format",
                format,
            ])
            .arg("examples/welfare-risk-scoring.yaml")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(out.stdout.is_empty(), "{format}");
    }
}
