//! The question model: one question per descriptor field, worded in the schema, with the
//! rules behind it and what this system's answers make worth asking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use rightscheck::document::{Document, Format};
use rightscheck::questions::{Answer, Kind, Question, Questionnaire, Questions, questionnaire};
use rightscheck::rules::Catalog;
use serde_json::{Value, json};

const AS_OF: &str = "2026-06-30";

fn as_of() -> NaiveDate {
    NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap()
}

fn ask(doc: Option<&Document>) -> Questionnaire {
    let catalog = Catalog::builtin().unwrap();
    Questions::new(catalog).ask(doc, as_of())
}

fn example(name: &str) -> Document {
    Document::from_path(std::path::Path::new(&format!("examples/{name}"))).unwrap()
}

fn yaml(text: &str) -> Document {
    Document::from_bytes("test.yaml", text.as_bytes(), Format::Yaml).unwrap()
}

fn all(q: &Questionnaire) -> impl Iterator<Item = &Question> {
    q.triage
        .iter()
        .chain(q.sections.iter().flat_map(|s| &s.questions))
}

fn find<'q>(q: &'q Questionnaire, path: &str) -> &'q Question {
    all(q)
        .find(|x| x.path == path)
        .unwrap_or_else(|| panic!("no question for `{path}`"))
}

fn shown(q: &Questionnaire) -> Vec<&str> {
    q.sections
        .iter()
        .filter(|s| s.shown)
        .map(|s| s.key.as_str())
        .collect()
}

/// A system that does little and says so: a spell checker used by an office, with every
/// fact about its nature answered.
const LOW_RISK: &str = r"
descriptor_version: '1'
system:
  name: Spelling helper
roles:
  deployer:
    public_authority: false
  procurer:
    public_authority: false
purpose:
  decision_role: none
  decisions_affect_rights: false
  used_for_enforcement: false
  people_interact_with_it: false
context:
  sectors: [other]
  used_in: []
  publicly_accessible_spaces: false
  conflict_or_crisis_setting: false
  weak_rule_of_law: false
affected_people:
  number: 10
  groups_at_heightened_risk: []
  can_avoid_the_system: true
  dependent_on_deployer: false
harm:
  rights_at_stake: []
  reversibility: reversible
  group_level: false
capabilities:
  remote_biometric_identification: none
  emotion_recognition: false
  biometric_categorisation: false
  profiling_or_scoring_of_people: false
  social_scoring: false
  sensitive_attributes_inferred: []
  content_moderation_actions: []
  content_ranking: false
  synthetic_media_generation: false
  generated_media: []
  political_targeting: false
  communications_interception: false
  location_tracking: false
  monitored_groups: []
  watchlists: false
  surveillance_scope: none
  network_disruption: none
  intimate_imagery_generation: false
  facial_image_scraping: false
  crime_risk_prediction: none
  manipulative_techniques: false
  exploits_vulnerabilities: false
  device_intrusion: false
data:
  personal_data: false
  sensitive_personal_data: false
  trained_on_works: false
  user_data_reused_for_training: false
  third_party_sharing: false
export:
  exported: false
  surveillance_or_dual_use_item: false
workers:
  workplace_monitoring: false
  algorithmic_management: false
  human_data_work: false
";

#[test]
fn every_field_of_the_schema_is_a_question_with_its_own_wording() {
    let schema: Value = serde_json::from_str(rightscheck::schema::DESCRIPTOR_SCHEMA).unwrap();
    let mut missing = Vec::new();
    let mut fields = Vec::new();
    leaves(&schema, "", &mut fields, &mut missing);
    assert!(
        missing.is_empty(),
        "fields without `x-question`: {missing:?}"
    );
    let q = ask(None);
    let asked: Vec<&str> = all(&q).map(|x| x.path.as_str()).collect();
    let mut sorted = asked.clone();
    sorted.sort_unstable();
    fields.sort_unstable();
    assert_eq!(sorted, fields, "one question per field, no more");
    // Schema order within the sections.
    let system: Vec<&str> = q.sections[0]
        .questions
        .iter()
        .map(|x| x.path.as_str())
        .collect();
    assert_eq!(system[..2], ["system.name", "system.id"]);
}

/// Every answerable leaf of the schema, and those without `x-question`.
fn leaves(node: &Value, path: &str, out: &mut Vec<String>, missing: &mut Vec<String>) {
    let Some(props) = node.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (key, sub) in props {
        if path.is_empty() && (key == "descriptor_version" || key == "source") {
            continue;
        }
        if key == "evidence" {
            continue;
        }
        let dotted = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        let is_object = match sub.get("type") {
            Some(Value::String(t)) => t == "object",
            Some(Value::Array(a)) => a.iter().any(|t| t == "object"),
            _ => false,
        };
        if is_object {
            leaves(sub, &dotted, out, missing);
            continue;
        }
        if sub
            .get("x-question")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            missing.push(dotted.clone());
        }
        out.push(dotted);
    }
}

#[test]
fn a_blank_field_is_unknown_and_an_unasked_one_not_asked() {
    let doc = yaml(
        "descriptor_version: '1'\nsystem:\n  name: X\noversight:\n  can_override:\n  mode: human-in-the-loop\nsource:\n  register: a register\n  not_asked: [bias, redress.can_contest]\n",
    );
    let q = ask(Some(&doc));
    assert_eq!(find(&q, "oversight.can_override").answer, Answer::Unknown);
    assert_eq!(
        find(&q, "oversight.competence_and_authority").answer,
        Answer::Unknown
    );
    assert_eq!(
        find(&q, "oversight.mode").answer,
        Answer::Value {
            value: json!("human-in-the-loop")
        }
    );
    assert_eq!(find(&q, "bias.tested").answer, Answer::NotAsked);
    assert_eq!(find(&q, "redress.can_contest").answer, Answer::NotAsked);
    assert_eq!(find(&q, "redress.human_review").answer, Answer::Unknown);
    let json = serde_json::to_value(find(&q, "bias.tested")).unwrap();
    assert_eq!(json["answer"], json!({ "state": "not-asked" }));
    assert_eq!(json["kind"], json!({ "type": "yes-no" }));
}

#[test]
fn kinds_and_labels_come_from_the_schema() {
    let q = ask(None);
    let Kind::Choice { options } = &find(&q, "oversight.mode").kind else {
        panic!("oversight.mode is a choice");
    };
    let keys: Vec<&str> = options.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "human-in-the-loop",
            "human-on-the-loop",
            "human-in-command",
            "none"
        ]
    );
    assert!(
        options
            .iter()
            .all(|o| !o.label.is_empty() && !o.label.contains('-'))
    );
    assert!(matches!(
        find(&q, "context.sectors").kind,
        Kind::Choices { .. }
    ));
    assert_eq!(find(&q, "affected_people.languages").kind, Kind::List);
    assert_eq!(find(&q, "due_diligence.date").kind, Kind::Date);
    assert_eq!(find(&q, "system.description").kind, Kind::Text);
    assert_eq!(
        find(&q, "affected_people.number").kind,
        Kind::Number {
            minimum: Some(0.0),
            maximum: None,
            whole: true
        }
    );
    let json = serde_json::to_value(&find(&q, "affected_people.number").kind).unwrap();
    assert_eq!(json["type"], "number");
}

#[test]
fn rules_of_a_field_carry_the_sentence_they_quote() {
    let catalog = Catalog::builtin().unwrap();
    let q = ask(None);
    let question = find(&q, "oversight.can_override");
    assert!(!question.rules.is_empty());
    for why in &question.rules {
        let rule = catalog.get(&why.rule).unwrap();
        assert_eq!(why.quote, rule.sources[0].quote);
        assert_eq!(why.title, rule.title);
        assert!(!why.document.is_empty());
        assert_ne!(
            why.document, rule.sources[0].document,
            "the document's title, not its id"
        );
    }
    assert_eq!(question.evidence.as_deref(), Some("oversight.evidence"));
    assert!(find(&q, "system.name").rules.is_empty());
}

#[test]
fn triage_comes_first_and_holds_the_facts_that_decide_applicability_and_level() {
    let q = ask(None);
    let triage: Vec<&str> = q.triage.iter().map(|x| x.path.as_str()).collect();
    for fact in [
        "purpose.decision_role",
        "context.sectors",
        "affected_people.groups_at_heightened_risk",
        "harm.rights_at_stake",
        "capabilities.remote_biometric_identification",
        "roles.deployer.public_authority",
    ] {
        assert!(
            triage.contains(&fact),
            "`{fact}` is asked first: {triage:?}"
        );
    }
    for safeguard in ["oversight.mode", "bias.tested", "oversight.can_override"] {
        assert!(
            !triage.contains(&safeguard),
            "`{safeguard}` is no triage fact"
        );
    }
    for finding in ["impact_assessment.conclusion", "bias.disparities_found"] {
        assert!(
            !triage.contains(&finding),
            "`{finding}` is asked once its assessment is done"
        );
    }
    assert!(
        q.triage.iter().filter(|x| x.matters).count() >= triage.len() - 5,
        "triage questions matter, but for those that follow another answer"
    );
    assert!(
        q.sections.iter().all(|s| s
            .questions
            .iter()
            .all(|x| !triage.contains(&x.path.as_str()))),
        "a triage question is not asked again in its section"
    );
}

#[test]
fn a_low_risk_system_is_asked_few_sections_and_a_high_risk_one_many() {
    let low = ask(Some(&yaml(LOW_RISK)));
    let high = ask(Some(&example("live-facial-recognition.yaml")));
    let (low_shown, high_shown) = (shown(&low), shown(&high));
    assert!(
        low_shown.len() + 5 <= high_shown.len(),
        "low: {low_shown:?}\nhigh: {high_shown:?}"
    );
    let beyond_triage = |q: &Questionnaire| {
        q.sections
            .iter()
            .flat_map(|s| &s.questions)
            .filter(|x| x.matters)
            .count()
    };
    assert!(
        beyond_triage(&low) * 2 < beyond_triage(&high),
        "{} vs {}",
        low.progress,
        high.progress
    );
    for section in [
        "content_moderation",
        "information_integrity",
        "watchlist",
        "legality",
        "redress",
    ] {
        assert!(
            !low_shown.contains(&section),
            "`{section}` is not asked of a spelling helper"
        );
    }
    for section in [
        "oversight",
        "legality",
        "bias",
        "redress",
        "impact_assessment",
    ] {
        assert!(
            high_shown.contains(&section),
            "`{section}` is asked of live facial recognition"
        );
    }
    for s in low.sections.iter().chain(&high.sections) {
        assert!(!s.reason.is_empty());
        assert!(
            s.reason
                .starts_with(if s.shown { "asked" } else { "not asked" }),
            "{}",
            s.reason
        );
        assert_eq!(s.shown, s.questions.iter().any(|x| x.matters), "{}", s.key);
    }
}

/// Whether `field` matters for a system named X with `facts` (YAML sections) stated.
fn matters_given(field: &str, facts: &str) -> bool {
    let doc = yaml(&format!(
        "descriptor_version: '1'\nsystem:\n  name: X\n{facts}"
    ));
    find(&ask(Some(&doc)), field).matters
}

#[test]
fn a_rule_ruled_out_by_an_answer_no_longer_makes_its_fields_matter() {
    let matters =
        |facts: &str| matters_given("legality.necessity_and_proportionality_assessed", facts);
    assert!(matters(""), "it may apply while the facts are unknown");
    assert!(!matters(
        "roles:\n  deployer:\n    public_authority: false\npurpose:\n  decision_role: none\n  decisions_affect_rights: false\ncontext:\n  sectors: [health]\n"
    ));
    assert!(matters(
        "roles:\n  deployer:\n    public_authority: true\npurpose:\n  decisions_affect_rights: true\n"
    ));
}

#[test]
fn a_capability_left_unsaid_does_not_open_its_section() {
    let matters = |facts: &str| matters_given("watchlist.people_notified", facts);
    assert!(
        !matters(""),
        "rules about a capability apply when it is stated"
    );
    assert!(!matters("capabilities:\n  watchlists: false\n"));
    assert!(matters("capabilities:\n  watchlists: true\n"));
}

#[test]
fn a_question_that_follows_an_answer_matters_once_that_answer_states_something() {
    let conclusion = |done: &str| {
        let doc = yaml(&format!(
            "descriptor_version: '1'\nsystem:\n  name: X\nimpact_assessment:\n  done: {done}\n"
        ));
        find(&ask(Some(&doc)), "impact_assessment.conclusion").matters
    };
    assert!(
        !conclusion(""),
        "not before the assessment is said to be done"
    );
    assert!(!conclusion("false"));
    assert!(conclusion("true"));
    let purpose = |groups: &str| {
        let doc = yaml(&format!(
            "descriptor_version: '1'\nsystem:\n  name: X\ncapabilities:\n  monitored_groups: {groups}\n"
        ));
        let q = ask(Some(&doc));
        let question = find(&q, "capabilities.group_identification_purpose");
        assert!(
            q.triage.iter().any(|x| x.path == question.path),
            "a fact following a fact"
        );
        question.matters
    };
    assert!(!purpose("[]"));
    assert!(purpose("[journalists]"));
}

#[test]
fn progress_counts_the_questions_that_matter() {
    let doc = example("live-facial-recognition.yaml");
    let q = ask(Some(&doc));
    let matter = all(&q).filter(|x| x.matters).count();
    let answered = all(&q)
        .filter(|x| x.matters && matches!(x.answer, Answer::Value { .. }))
        .count();
    assert_eq!((q.progress.matter, q.progress.answered), (matter, answered));
    assert!(answered > 0 && answered < matter);
    assert_eq!(
        q.progress.to_string(),
        format!("{answered} of {matter} questions that matter for this system answered")
    );
}

#[test]
fn the_convenience_function_and_the_json_dump_agree() {
    let catalog = Catalog::builtin().unwrap();
    let doc = example("well-governed.yaml");
    let q = questionnaire(catalog, Some(&doc));
    let json = serde_json::to_value(&q).unwrap();
    assert!(json["triage"].as_array().is_some_and(|t| !t.is_empty()));
    assert!(json["sections"][0]["questions"][0]["prompt"].is_string());
    assert!(json["progress"]["matter"].as_u64().is_some_and(|n| n > 0));
}

#[test]
fn labels_name_only_values_the_schema_allows() {
    let schema: Value = serde_json::from_str(rightscheck::schema::DESCRIPTOR_SCHEMA).unwrap();
    let mut checked = 0;
    let mut stack = vec![&schema];
    while let Some(node) = stack.pop() {
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            stack.extend(props.values());
        }
        let Some(labels) = node.get("x-labels").and_then(Value::as_object) else {
            continue;
        };
        let allowed = node
            .get("enum")
            .or_else(|| node.get("items").and_then(|i| i.get("enum")))
            .and_then(Value::as_array)
            .unwrap();
        for key in labels.keys() {
            assert!(allowed.contains(&json!(key)), "`{key}` is no allowed value");
            checked += 1;
        }
    }
    assert!(checked > 20);
}

/// Answers given in the browser are edited into the file one at a time (`edit::set`, as
/// `serve` saves them); answers given in the terminal are written once at the end
/// (`questions::write`, as `init --interactive` writes them). Both start from the same new
/// descriptor, so the same answers make the same descriptor: the same values, the same
/// assessment, and here, answered in the questionnaire's order, the same bytes.
#[test]
fn the_browser_and_the_terminal_write_the_same_descriptor() {
    use rightscheck::questions::write;
    let answers = [
        ("purpose.decision_role", json!("recommends")),
        ("purpose.decisions_affect_rights", json!(true)),
        ("context.sectors", json!(["employment"])),
        ("affected_people.number", json!(1200)),
        ("oversight.mode", json!("human-in-the-loop")),
        ("oversight.can_override", Value::Null),
        ("impact_assessment.date", json!("2026-01-15")),
        ("redress.can_contest", json!(false)),
        (
            "redress.how_to_contest",
            json!("Write to: the HR office # not a comment"),
        ),
    ];
    for format in [Format::Yaml, Format::Json] {
        let name = match format {
            Format::Yaml => "new.yaml",
            Format::Json => "new.json",
        };
        let render = |descriptor: &Value| match format {
            Format::Yaml => write::to_yaml(descriptor).unwrap(),
            Format::Json => write::to_json(descriptor).unwrap(),
        };
        let mut descriptor = write::new_descriptor();
        write::set(&mut descriptor, "system.name", json!("Shift planner"));
        let mut browser = render(&descriptor);
        for (path, value) in &answers {
            write::set(&mut descriptor, path, value.clone());
            let value = (!value.is_null()).then_some(value);
            browser = rightscheck::edit::set(name, &browser, format, path, value).unwrap();
        }
        let terminal = render(&descriptor);

        let read = |text: &str| Document::from_bytes(name, text.as_bytes(), format).unwrap();
        let (browser_doc, terminal_doc) = (read(&browser), read(&terminal));
        assert_eq!(
            browser_doc.value, terminal_doc.value,
            "{browser}\n---\n{terminal}"
        );
        assert_eq!(browser, terminal);

        let catalog = Catalog::builtin().unwrap();
        let engine = rightscheck::engine::Engine::plain(catalog);
        let options = rightscheck::engine::Options {
            as_of: as_of(),
            fail_on: rightscheck::vocabulary::FailOn::High,
        };
        let verdict = |doc: &Document| {
            let e = engine.evaluate(doc, &options);
            (
                e.verdict(),
                e.level(),
                serde_json::to_value(e.summary()).unwrap(),
            )
        };
        assert_eq!(verdict(&browser_doc), verdict(&terminal_doc));
    }
}
