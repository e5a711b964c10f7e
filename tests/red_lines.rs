//! Red lines hold on facts: no red line can be switched off by changing one label a
//! vendor declares about its own system while the facts stay the same, and uses the
//! sources do not ban are not rejected.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use rightscheck::assessment::{Assessment, FailOn};
use rightscheck::document::{Document, Format};
use rightscheck::engine::{Engine, Options};
use rightscheck::rules::{Catalog, Level};
use serde_json::{Map, Value};

fn assess(value: &Value) -> Assessment {
    let text = serde_json::to_string(value).unwrap();
    let doc = Document::from_bytes("case.json", text.as_bytes(), Format::Json).unwrap();
    let options = Options {
        as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        fail_on: FailOn::High,
    };
    Engine::plain(Catalog::builtin().unwrap())
        .assess(&doc, &options)
        .unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn yaml(text: &str) -> Value {
    let doc = Document::from_bytes(
        "case.yaml",
        format!("descriptor_version: \"1\"\n{text}").as_bytes(),
        Format::Yaml,
    )
    .unwrap();
    doc.value
}

/// Sets (or, with `None`, removes) a dotted field.
fn set(mut root: Value, dotted: &str, value: Option<Value>) -> Value {
    let mut parts: Vec<&str> = dotted.split('.').collect();
    let last = parts.pop().unwrap();
    let mut map = root.as_object_mut().unwrap();
    for part in parts {
        map = map
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .unwrap();
    }
    match value {
        Some(v) => {
            map.insert(last.to_string(), v);
        }
        None => {
            map.remove(last);
        }
    }
    root
}

/// The labels a vendor declares about its own system, each with every value it can take
/// (and `None`: left out).
fn labels() -> Vec<(&'static str, Vec<Option<Value>>)> {
    let s = |v: &str| Some(Value::from(v));
    vec![
        (
            "capabilities.surveillance_scope",
            vec![s("none"), s("targeted"), s("untargeted-or-bulk"), None],
        ),
        (
            "capabilities.group_identification_purpose",
            vec![s("target-or-control"), s("serve-or-protect"), None],
        ),
        (
            "purpose.decision_role",
            vec![s("none"), s("informs"), s("recommends"), s("decides"), None],
        ),
        (
            "purpose.decisions_affect_rights",
            vec![Some(Value::Bool(true)), Some(Value::Bool(false)), None],
        ),
        (
            "roles.deployer.public_authority",
            vec![Some(Value::Bool(true)), Some(Value::Bool(false)), None],
        ),
    ]
}

/// Systems that cross a red line on their facts, and the rule that must say so.
#[expect(
    clippy::too_many_lines,
    reason = "one descriptor per red line, as data, side by side"
)]
fn crossing() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "live face recognition at a railway station, shoplifting watchlist, general police powers, declared targeted",
            "RC-PRO-003",
            yaml(
                "system: {name: Station face search}
roles: {deployer: {public_authority: true}}
purpose: {decision_role: recommends, decisions_affect_rights: true}
context: {sectors: [law-enforcement], publicly_accessible_spaces: true}
capabilities: {remote_biometric_identification: live, surveillance_scope: targeted, watchlists: true}
legality: {legal_basis: general-powers, independent_authorisation: false, identification_objective: other, limited_in_time_and_place: false, necessity_and_proportionality_assessed: true}
impact_assessment: {done: true, before_deployment: true, date: 2026-01-10, conclusion: risks-mitigated}
oversight: {mode: human-in-the-loop, can_override: true}",
            ),
        ),
        (
            "the same run by a shopping mall against its ban list",
            "RC-PRO-003",
            yaml(
                "system: {name: Mall face matcher}
roles: {deployer: {public_authority: false}}
context: {sectors: [other], publicly_accessible_spaces: true}
capabilities: {remote_biometric_identification: live, watchlists: true}
legality: {legal_basis: contract-or-consent, necessity_and_proportionality_assessed: true}",
            ),
        ),
        (
            "a government mobile-network shutdown with a decree and an authorisation",
            "RC-PRO-009",
            yaml(
                "system: {name: Regional shutdown platform}
roles: {deployer: {public_authority: true}}
context: {sectors: [national-security]}
capabilities: {network_disruption: shutdown-or-throttling}
legality: {legal_basis: specific-law, independent_authorisation: true, necessity_and_proportionality_assessed: true}",
            ),
        ),
        (
            "a welfare model that selects people in poverty and migrants for fraud checks",
            "RC-PRO-002",
            yaml(
                "system: {name: Benefit integrity selector}
purpose: {decision_role: informs, decisions_affect_rights: true, used_for_enforcement: true}
context: {sectors: [welfare-and-social-services]}
capabilities: {profiling_or_scoring_of_people: true, monitored_groups: [people-in-poverty, migrants-and-refugees]}",
            ),
        ),
        (
            "covert interception under general powers",
            "RC-PRO-006",
            yaml(
                "system: {name: Interception suite}
capabilities: {communications_interception: true}
legality: {legal_basis: general-powers, independent_authorisation: false, necessity_and_proportionality_assessed: false}",
            ),
        ),
        (
            "watching protesters and journalists",
            "RC-PRO-001",
            yaml(
                "system: {name: Protest monitor}
capabilities: {monitored_groups: [protesters, journalists]}",
            ),
        ),
        (
            "emotion recognition of pupils in online exams",
            "RC-PRO-010",
            yaml(
                "system: {name: Exam proctoring}
context: {sectors: [education], used_in: [education]}
capabilities: {emotion_recognition: true, emotion_recognition_purpose: other}",
            ),
        ),
        (
            "inferring sexual orientation from selfies for ads",
            "RC-PRO-011",
            yaml(
                "system: {name: Selfie ad segmenter}
capabilities: {biometric_categorisation: true, sensitive_attributes_inferred: [sex-life-or-sexual-orientation]}",
            ),
        ),
        (
            "predicting who will offend from their profile",
            "RC-PRO-012",
            yaml(
                "system: {name: Future offender list}
context: {sectors: [law-enforcement]}
capabilities: {profiling_or_scoring_of_people: true, crime_risk_prediction: from-profiling-or-traits}",
            ),
        ),
        (
            "a face database scraped from the web",
            "RC-PRO-013",
            yaml(
                "system: {name: Face search engine}
capabilities: {remote_biometric_identification: after-the-fact, facial_image_scraping: true}",
            ),
        ),
        (
            "a feed exploiting teenagers' vulnerabilities",
            "RC-PRO-014",
            yaml(
                "system: {name: Teen video feed}
affected_people: {groups_at_heightened_risk: [children]}
capabilities: {exploits_vulnerabilities: true}",
            ),
        ),
        (
            "a nudify app",
            "RC-PRO-015",
            yaml(
                "system: {name: Nudify app}
capabilities: {synthetic_media_generation: true, intimate_imagery_generation: true}
groups_at_risk: {intimate_imagery_safeguards: false}",
            ),
        ),
        (
            "social scoring of residents",
            "RC-PRO-004",
            yaml(
                "system: {name: Good citizen index}
capabilities: {social_scoring: true}",
            ),
        ),
        (
            "spyware exported to a service that hacks journalists",
            "RC-PRO-005",
            yaml(
                "system: {name: Intrusion kit}
capabilities: {device_intrusion: true}
export: {exported: true, end_users_with_misuse_risk: true, end_use_controls: true, surveillance_or_dual_use_item: true}",
            ),
        ),
        (
            "a system its own assessment found cannot comply, still in use",
            "RC-PRO-008",
            yaml(
                "system: {name: Debt recovery automation, status: in-use}
impact_assessment: {done: true, date: 2025-02-01, conclusion: cannot-comply-with-human-rights-law}",
            ),
        ),
    ]
}

fn crossed(a: &Assessment, rule: &str) -> bool {
    a.findings
        .iter()
        .any(|f| &*f.rule_id == rule && f.outcome.as_str() == "gap")
}

#[test]
fn no_red_line_is_switched_off_by_a_declared_label() {
    let mut failures = Vec::new();
    let mut variants = 0;
    for (case, rule, base) in crossing() {
        let a = assess(&base);
        assert!(
            crossed(&a, rule),
            "{case}: {rule} not crossed: {}",
            a.verdict_reason
        );
        assert_eq!(a.level.level, Level::Prohibited, "{case}");
        for (label, values) in labels() {
            for value in values {
                let varied = set(base.clone(), label, value.clone());
                let a = assess(&varied);
                variants += 1;
                if !crossed(&a, rule) || a.verdict.as_str() != "reject" {
                    failures.push(format!(
                        "{case}: with {label} = {value:?}, {rule} is {} and the verdict {}",
                        a.findings
                            .iter()
                            .find(|f| &*f.rule_id == rule)
                            .map_or("missing", |f| f.outcome.as_str()),
                        a.verdict.as_str()
                    ));
                }
            }
        }
    }
    assert!(variants > 150, "only {variants} variants");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn uses_the_sources_do_not_ban_are_not_rejected() {
    for (case, text) in [
        (
            "an internet provider's routine DDoS scrubbing and spam filtering",
            "system: {name: ISP scrubbing}
context: {sectors: [critical-infrastructure]}
capabilities: {network_disruption: security-filtering, surveillance_scope: none, communications_interception: false}",
        ),
        (
            "interpreter routing that identifies minority-language speakers to serve them",
            "system: {name: Interpreter routing}
purpose: {decision_role: none, decisions_affect_rights: false}
context: {sectors: [health]}
capabilities: {monitored_groups: [linguistic-minorities], group_identification_purpose: serve-or-protect}",
        ),
        (
            // It looks for one child, not for children because they are children: no group
            // is singled out (`monitored_groups` is for that).
            "a search for one missing child within every exception",
            "system: {name: Missing child search}
roles: {deployer: {public_authority: true}}
purpose: {decision_role: recommends, decisions_affect_rights: true}
context: {sectors: [law-enforcement], publicly_accessible_spaces: true}
capabilities: {remote_biometric_identification: live, surveillance_scope: targeted, monitored_groups: []}
legality: {legal_basis: specific-law, independent_authorisation: true, identification_objective: search-for-victims-or-missing-persons, limited_in_time_and_place: true, necessity_and_proportionality_assessed: true}
impact_assessment: {done: true, before_deployment: true}
oversight: {mode: human-in-the-loop, can_override: true}",
        ),
        (
            "a lorry cab camera detecting driver fatigue",
            "system: {name: Fatigue alert}
context: {used_in: [workplace]}
capabilities: {emotion_recognition: true, emotion_recognition_purpose: medical-or-safety}",
        ),
    ] {
        let a = assess(&yaml(text));
        let crossed: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.severity.as_str() == "blocker" && f.outcome.as_str() == "gap")
            .map(|f| &*f.rule_id)
            .collect();
        assert!(crossed.is_empty(), "{case}: crosses {crossed:?}");
        assert_ne!(a.verdict.as_str(), "reject", "{case}");
    }
}
