//! The condition semantics and the tier, on small descriptors and a small pack.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use rightscheck::assessment::{FailOn, Outcome};
use rightscheck::document::{Document, Format};
use rightscheck::engine::{Options, assess, evaluate_rule, evaluate_tier};
use rightscheck::rules::{Catalog, Tier};

fn options() -> Options {
    Options {
        as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        fail_on: FailOn::High,
    }
}

fn doc(yaml: &str) -> Document {
    Document::from_bytes("test.yaml", yaml.as_bytes(), Format::Yaml).unwrap()
}

fn pack(requires: &str, extra: &str) -> Catalog {
    let text = format!(
        r#"rules:
  - id: XX-TST-001
    title: test
    theme: test
    severity: high
    sources:
      - document: foc-2020
        call: FOC20-01
        quote: "States should take action to oppose and refrain"
{extra}    requires:
{requires}
    remediation: do it
    docs:
      what_it_checks: a
      why_it_matters: b
"#
    );
    Catalog::from_files("test", &[("pack.yaml".to_string(), text.into_bytes())]).unwrap()
}

fn outcome(catalog: &Catalog, yaml: &str) -> Outcome {
    let d = doc(yaml);
    let tier = evaluate_tier(&d, &catalog.tier_model, &options());
    evaluate_rule(&d, &catalog.rules()[0], &tier, &options()).outcome
}

const BASE: &str = "descriptor_version: \"1\"\nsystem: {name: t}\n";

#[test]
fn silence_is_unknown_never_pass_or_gap() {
    let c = pack("      field: redress.can_contest\n      equals: true", "");
    assert_eq!(outcome(&c, BASE), Outcome::Unknown);
    assert_eq!(
        outcome(&c, &format!("{BASE}redress: {{can_contest: }}")),
        Outcome::Unknown
    );
    assert_eq!(
        outcome(&c, &format!("{BASE}redress: {{can_contest: true}}")),
        Outcome::Pass
    );
    assert_eq!(
        outcome(&c, &format!("{BASE}redress: {{can_contest: false}}")),
        Outcome::Gap
    );
}

#[test]
fn all_and_any_follow_three_valued_logic() {
    let all = pack(
        "      all:\n        - {field: redress.can_contest, equals: true}\n        - {field: redress.human_review, equals: true}",
        "",
    );
    // false beats unknown in `all`
    assert_eq!(
        outcome(&all, &format!("{BASE}redress: {{can_contest: false}}")),
        Outcome::Gap
    );
    assert_eq!(
        outcome(&all, &format!("{BASE}redress: {{can_contest: true}}")),
        Outcome::Unknown
    );
    let any = pack(
        "      any:\n        - {field: redress.can_contest, equals: true}\n        - {field: redress.human_review, equals: true}",
        "",
    );
    // true beats unknown in `any`
    assert_eq!(
        outcome(&any, &format!("{BASE}redress: {{can_contest: true}}")),
        Outcome::Pass
    );
    assert_eq!(
        outcome(&any, &format!("{BASE}redress: {{can_contest: false}}")),
        Outcome::Unknown
    );
    let not = pack(
        "      not: {field: capabilities.social_scoring, equals: true}",
        "",
    );
    assert_eq!(outcome(&not, BASE), Outcome::Unknown);
    assert_eq!(
        outcome(
            &not,
            &format!("{BASE}capabilities: {{social_scoring: true}}")
        ),
        Outcome::Gap
    );
}

#[test]
fn an_empty_evidence_list_backs_nothing() {
    let c = pack(
        "      field: redress.can_contest\n      evidenced: true",
        "",
    );
    assert_eq!(
        outcome(
            &c,
            &format!("{BASE}redress: {{can_contest: true, evidence: []}}")
        ),
        Outcome::Gap
    );
    assert_eq!(
        outcome(
            &c,
            &format!(
                "{BASE}redress: {{can_contest: true, evidence: [{{title: Appeal procedure}}]}}"
            )
        ),
        Outcome::Pass
    );
}

#[test]
fn dates_are_compared_with_the_as_of_date() {
    let c = pack(
        "      field: impact_assessment.date\n      newer_than_days: 365",
        "",
    );
    assert_eq!(
        outcome(
            &c,
            &format!("{BASE}impact_assessment: {{date: 2025-06-30}}")
        ),
        Outcome::Pass
    );
    assert_eq!(
        outcome(
            &c,
            &format!("{BASE}impact_assessment: {{date: 2025-06-29}}")
        ),
        Outcome::Gap
    );
}

#[test]
fn a_rule_limited_to_high_tier_is_a_question_while_the_tier_is_open() {
    let c = pack(
        "      field: impact_assessment.independent_evaluation\n      equals: true",
        "    min_tier: high\n",
    );
    let minimal = format!(
        "{BASE}purpose: {{decision_role: none, decisions_affect_rights: false}}\ncontext: {{sectors: [other], publicly_accessible_spaces: false, conflict_or_crisis_setting: false}}\n"
    );
    // Tier factors left open could make the system high: not yet "not applicable".
    assert_eq!(
        outcome(
            &c,
            &format!("{BASE}impact_assessment: {{independent_evaluation: false}}")
        ),
        Outcome::Unknown
    );
    let high = format!(
        "{BASE}roles: {{deployer: {{public_authority: true}}}}\npurpose: {{decision_role: decides, decisions_affect_rights: true}}\ncontext: {{sectors: [justice]}}\nimpact_assessment: {{independent_evaluation: false}}\n"
    );
    assert_eq!(outcome(&c, &high), Outcome::Gap);
    let d = doc(&minimal);
    let tier = evaluate_tier(&d, &c.tier_model, &options());
    assert_eq!(tier.tier, Tier::Minimal);
}

#[test]
fn tier_floors_and_points() {
    let c = pack("      field: redress.can_contest\n      equals: true", "");
    let d = doc(&format!("{BASE}capabilities: {{social_scoring: true}}\n"));
    let a = assess(&d, &c, &options());
    assert_eq!(a.tier.tier, Tier::Unacceptable);
    assert!(a.tier.reasons.iter().any(|r| r.id == "social-scoring"));
    let d = doc(&format!(
        "{BASE}context: {{sectors: [welfare-and-social-services]}}\nroles: {{deployer: {{public_authority: true}}}}\n"
    ));
    let a = assess(&d, &c, &options());
    assert_eq!((a.tier.tier, a.tier.points), (Tier::Limited, 3));
    assert!(a.tier.highest_possible >= Tier::High);
}
