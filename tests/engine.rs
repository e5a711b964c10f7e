//! The condition semantics, the impact level and the profile's reading, on small
//! descriptors and a small pack.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use rightscheck::assessment::{Assessment, FailOn, Outcome, Support};
use rightscheck::document::{Document, Format};
use rightscheck::engine::{Engine, Options, Tailoring};
use rightscheck::profile::Profile;
use rightscheck::rules::{Catalog, Level, Severity};

fn options() -> Options {
    Options {
        as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        fail_on: FailOn::High,
    }
}

fn doc(yaml: &str) -> Document {
    Document::from_bytes("test.yaml", yaml.as_bytes(), Format::Yaml).unwrap()
}

fn pack_text(severity: &str, requires: &str, extra: &str) -> String {
    format!(
        r#"rules:
  - id: XX-TST-001
    title: test
    theme: test
    severity: {severity}
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
    )
}

fn pack_with(severity: &str, requires: &str, extra: &str) -> Catalog {
    let text = pack_text(severity, requires, extra);
    Catalog::from_files("test", &[("pack.yaml".to_string(), text.into_bytes())]).unwrap()
}

fn pack(requires: &str, extra: &str) -> Catalog {
    pack_with("high", requires, extra)
}

fn assess_in(catalog: &Catalog, tailoring: &Tailoring, yaml: &str) -> Assessment {
    Engine::new(catalog, tailoring)
        .unwrap()
        .assess(&doc(yaml), &options())
        .unwrap()
}

fn assess(catalog: &Catalog, yaml: &str) -> Assessment {
    assess_in(catalog, &Tailoring::default(), yaml)
}

fn outcome(catalog: &Catalog, yaml: &str) -> Outcome {
    assess(catalog, yaml).findings[0].outcome
}

const BASE: &str = "descriptor_version: \"1\"\nsystem: {name: t}\n";

/// Every level factor answered, none holding: a system at level I with nothing open.
const LEVEL_I: &str = "purpose: {decision_role: none, decisions_affect_rights: false}
context: {sectors: [other], used_in: [], publicly_accessible_spaces: false, conflict_or_crisis_setting: false, weak_rule_of_law: false}
roles: {deployer: {public_authority: false}}
affected_people: {number: 200, groups_at_heightened_risk: [], can_avoid_the_system: true, dependent_on_deployer: false}
harm: {rights_at_stake: [], reversibility: reversible, group_level: false}
capabilities: {remote_biometric_identification: none, emotion_recognition: false, biometric_categorisation: false, profiling_or_scoring_of_people: false, social_scoring: false, sensitive_attributes_inferred: [], content_moderation_actions: [], synthetic_media_generation: false, intimate_imagery_generation: false, political_targeting: false, communications_interception: false, device_intrusion: false, location_tracking: false, monitored_groups: [], surveillance_scope: none, network_disruption: none, facial_image_scraping: false, crime_risk_prediction: none, manipulative_techniques: false, exploits_vulnerabilities: false}
data: {personal_data: false, sensitive_personal_data: false}
bias: {disparities_found: false}
";

/// Facts that put a system at level III whatever is left open: rights-affecting
/// recommendations about many people's social security, hard to undo, by a public
/// authority, over people who depend on it.
const LEVEL_III: &str = "roles: {deployer: {public_authority: true}}
purpose: {decision_role: recommends, decisions_affect_rights: true}
harm: {rights_at_stake: [social-security-and-essential-services], reversibility: difficult-to-reverse}
affected_people: {number: 150000, dependent_on_deployer: true}
";

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
fn tests_of_non_emptiness_and_of_documents_are_refused_with_their_line() {
    for (test, said) in [
        ("present", "`present` is no longer a test"),
        ("absent", "`absent` is no longer a test"),
        ("evidenced", "`evidenced` is no longer a test"),
    ] {
        let text = pack_text(
            "high",
            &format!("      field: legality.legal_basis_reference\n      {test}: true"),
            "",
        );
        let err = Catalog::from_files("test", &[("pack.yaml".to_string(), text.into_bytes())])
            .unwrap_err()
            .to_string();
        assert!(err.contains(said), "{err}");
        assert!(err.starts_with("pack.yaml:12:7:"), "{err}");
    }
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
fn a_rule_from_level_iii_follows_the_level_the_facts_give() {
    let c = pack(
        "      field: impact_assessment.independent_evaluation\n      equals: true",
        "    applies_from: III\n",
    );
    // Little stated: the level the facts give is below III, and the note says what is
    // open; the level's open factors, not this rule, are the questions.
    let open = format!("{BASE}impact_assessment: {{independent_evaluation: false}}\n");
    let a = assess(&c, &open);
    assert!(a.level.level < Level::III);
    assert!(a.level.highest_possible >= Level::III);
    let f = &a.findings[0];
    assert_eq!(f.outcome, Outcome::NotApplicable);
    assert!(
        f.message.contains("applies from impact level III")
            && f.message.contains("could be at level"),
        "{}",
        f.message
    );
    let low = format!(
        "{BASE}{LEVEL_I}impact_assessment: {{done: true, conclusion: no-significant-risks, independent_evaluation: false}}\n"
    );
    let a = assess(&c, &low);
    assert_eq!(a.level.level, Level::I);
    assert_eq!(a.findings[0].outcome, Outcome::NotApplicable);
    assert!(
        !a.findings[0].message.contains("could be"),
        "{}",
        a.findings[0].message
    );
    let high = format!("{BASE}{LEVEL_III}impact_assessment: {{independent_evaluation: false}}\n");
    let a = assess(&c, &high);
    assert!(a.level.level >= Level::III, "{:?}", a.level.level);
    assert_eq!(a.findings[0].outcome, Outcome::Gap);
}

#[test]
fn obligations_grow_with_the_level() {
    let c = pack_with(
        "{I: low, II: medium, III: high}",
        "      field: due_diligence.done\n      equals: true",
        "",
    );
    let low = assess(
        &c,
        &format!("{BASE}{LEVEL_I}due_diligence: {{done: false}}\n"),
    );
    assert_eq!(
        (low.level.level, low.findings[0].severity),
        (Level::I, Severity::Low)
    );
    assert_eq!(low.verdict.as_str(), "acceptable");
    assert!(!low.fails());
    let high = assess(
        &c,
        &format!("{BASE}{LEVEL_III}due_diligence: {{done: false}}\n"),
    );
    assert_eq!(high.findings[0].severity, Severity::High);
    assert_eq!(high.verdict.as_str(), "conditional");
    assert!(high.fails());
}

#[test]
fn a_severity_by_level_must_start_where_the_rule_applies() {
    let text = pack_text(
        "{III: high}",
        "      field: due_diligence.done\n      equals: true",
        "",
    );
    let err = Catalog::from_files("test", &[("pack.yaml".to_string(), text.into_bytes())])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("must start at the level the rule applies from"),
        "{err}"
    );
    let text = pack_text(
        "blocker",
        "      field: due_diligence.done\n      equals: true",
        "    applies_from: III\n",
    );
    let err = Catalog::from_files("test", &[("pack.yaml".to_string(), text.into_bytes())])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a red line (`blocker`) applies at every level"),
        "{err}"
    );
}

#[test]
fn what_the_source_never_asks_is_counted_apart_from_open_questions() {
    let c = pack("      field: redress.can_contest\n      equals: true", "");
    let by_section = format!(
        "{BASE}source: {{register: Test register, record_id: '1', not_asked: [redress]}}\n"
    );
    let a = assess(&c, &by_section);
    let f = &a.findings[0];
    assert_eq!(f.outcome, Outcome::NotAsked);
    assert_eq!(f.not_asked_by.as_deref(), Some("Test register"));
    assert!(
        f.message.contains("not asked by Test register"),
        "{}",
        f.message
    );
    assert_eq!((a.summary.not_asked, a.summary.unknown), (1, 0));
    // Named by field, the same; another field of the section stays a question.
    let by_field = format!("{BASE}source: {{register: R, not_asked: [redress.can_contest]}}\n");
    assert_eq!(outcome(&c, &by_field), Outcome::NotAsked);
    let other = format!("{BASE}source: {{register: R, not_asked: [redress.human_review]}}\n");
    assert_eq!(outcome(&c, &other), Outcome::Unknown);
    // A prefix of a name is not its section.
    let prefix = format!("{BASE}source: {{register: R, not_asked: [redress.can]}}\n");
    assert_eq!(outcome(&c, &prefix), Outcome::Unknown);
    // An answer given anyway decides.
    let answered = format!(
        "{BASE}source: {{register: R, not_asked: [redress]}}\nredress: {{can_contest: false}}\n"
    );
    assert_eq!(outcome(&c, &answered), Outcome::Gap);
    // A high-severity question never asked keeps the verdict from `acceptable`.
    assert_eq!(a.verdict.as_str(), "conditional");
    assert!(
        a.verdict_reason.contains("the source never asks"),
        "{}",
        a.verdict_reason
    );
}

#[test]
fn a_question_partly_blank_and_partly_never_asked_stays_open() {
    let c = pack(
        "      all:\n        - {field: redress.can_contest, equals: true}\n        - {field: oversight.can_override, equals: true}",
        "",
    );
    let mixed = format!("{BASE}source: {{register: R, not_asked: [redress]}}\n");
    assert_eq!(outcome(&c, &mixed), Outcome::Unknown);
    let both = format!("{BASE}source: {{register: R, not_asked: [redress, oversight]}}\n");
    assert_eq!(outcome(&c, &both), Outcome::NotAsked);
    // With `all`, a blank answer that can only make it fail is still a question: "no" to
    // it would be a gap whatever the unasked field says.
    let mixed = format!("{BASE}source: {{register: R, not_asked: [oversight]}}\n");
    assert_eq!(outcome(&c, &mixed), Outcome::Unknown);
}

#[test]
fn a_rule_is_not_asked_when_no_answer_the_source_asks_could_decide_it() {
    // Met only if one of two fields holds: the source asks one and never the other. A "no"
    // to the asked one would settle nothing, and a "yes" would make it met: a question.
    let any = pack(
        "      any:\n        - {field: redress.can_contest, equals: true}\n        - {field: oversight.can_override, equals: true}",
        "",
    );
    let one_asked = format!("{BASE}source: {{register: R, not_asked: [oversight]}}\n");
    assert_eq!(outcome(&any, &one_asked), Outcome::Unknown);
    // The requirement is never asked and only its applicability is open: answering
    // whether it applies could at most make it not applicable, so it is not asked.
    let gated = pack(
        "      field: redress.can_contest\n      equals: true",
        "    applies_when:\n      field: purpose.decisions_affect_rights\n      equals: true\n",
    );
    let open_gate = format!("{BASE}source: {{register: R, not_asked: [redress]}}\n");
    assert_eq!(outcome(&gated, &open_gate), Outcome::NotAsked);
    // Answered "no", it does not apply, whatever the source never asks.
    let closed_gate = format!(
        "{BASE}source: {{register: R, not_asked: [redress]}}\npurpose: {{decisions_affect_rights: false}}\n"
    );
    assert_eq!(outcome(&gated, &closed_gate), Outcome::NotApplicable);
    // A red line whose use is never asked is not asked, even where it is plausible.
    let red = pack_with(
        "blocker",
        "      not:\n        field: capabilities.social_scoring\n        equals: true",
        "    applies_when:\n      field: roles.deployer.public_authority\n      equals: true\n",
    );
    let register = format!("{BASE}source: {{register: R, not_asked: [capabilities]}}\n");
    assert_eq!(outcome(&red, &register), Outcome::NotAsked);
}

#[test]
fn a_red_line_makes_the_level_prohibited() {
    let c = pack_with(
        "blocker",
        "      not: {field: capabilities.social_scoring, equals: true}",
        "",
    );
    let a = assess(&c, &format!("{BASE}{LEVEL_I}"));
    assert_eq!(
        (a.level.level, a.verdict.as_str()),
        (Level::I, "acceptable")
    );
    let scoring =
        format!("{BASE}{LEVEL_I}").replace("social_scoring: false", "social_scoring: true");
    let a = assess(&c, &scoring);
    assert_eq!(a.level.level, Level::Prohibited);
    assert_eq!(a.verdict.as_str(), "reject");
    assert_eq!(a.level.red_lines, 1);
    assert!(a.level.impact_level < Level::Prohibited);
}

#[test]
fn disclosed_mitigation_lowers_the_level_and_silence_never_does() {
    let c = Catalog::builtin().unwrap();
    let model = "roles: {deployer: {public_authority: false}}
purpose: {decision_role: recommends, decisions_affect_rights: true}
harm: {rights_at_stake: [property-and-economic-interests, non-discrimination-and-equality], reversibility: likely-reversible, group_level: false}
affected_people: {number: 200000, can_avoid_the_system: true, dependent_on_deployer: false, groups_at_heightened_risk: []}
context: {sectors: [financial-services], used_in: [], publicly_accessible_spaces: false, conflict_or_crisis_setting: false, weak_rule_of_law: false}
";
    let disclosed = format!(
        "{BASE}{model}impact_assessment: {{done: true, date: 2026-03-01, conclusion: risks-mitigated}}\nbias: {{tested: true, disparities_found: true, disparities_mitigated: true}}\n"
    );
    let unmitigated = format!(
        "{BASE}{model}impact_assessment: {{done: true, date: 2026-03-01, conclusion: significant-risks-remain}}\nbias: {{tested: true, disparities_found: true, disparities_mitigated: false}}\n"
    );
    let silent = format!("{BASE}{model}");
    let level = |yaml: &str| {
        let a = assess(c, yaml);
        (a.level.points, a.level.level, a.level.highest_possible)
    };
    let (d_points, d_level, _) = level(&disclosed);
    let (u_points, u_level, _) = level(&unmitigated);
    let (s_points, s_level, s_upper) = level(&silent);
    assert!(
        d_points < s_points,
        "disclosed {d_points}, silent {s_points}"
    );
    assert!(
        s_points < u_points,
        "silent {s_points}, unmitigated {u_points}"
    );
    assert!(d_level <= s_level && s_level <= u_level);
    // What silence leaves open, the report says it could be.
    assert!(
        s_upper >= u_level,
        "silent could be {s_upper}, unmitigated is {u_level}"
    );
}

#[test]
fn every_counted_level_factor_names_its_descriptor_line() {
    let c = Catalog::builtin().unwrap();
    let a = assess(c, &format!("{BASE}{LEVEL_III}"));
    let counted: Vec<_> = a
        .level
        .variables
        .iter()
        .flat_map(|v| v.reasons.iter())
        .filter(|r| r.counted)
        .collect();
    assert!(!counted.is_empty());
    for r in counted {
        assert!(
            r.observations
                .iter()
                .any(|o| o.line > 0 && o.value.is_some()),
            "{}: {:?}",
            r.id,
            r.observations
        );
    }
}

fn profile(yaml: &str) -> Profile {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.yaml");
    std::fs::write(&path, yaml).unwrap();
    Profile::from_path(&path).unwrap()
}

#[test]
fn evidence_is_read_by_the_profile_alone() {
    let c = pack("      field: redress.can_contest\n      equals: true", "");
    let claimed = format!("{BASE}redress: {{can_contest: true}}\n");
    let evidenced = format!(
        "{BASE}redress: {{can_contest: true, evidence: [{{title: Appeal procedure, file: appeal.pdf, date: 2026-01-10}}]}}\n"
    );
    let stale = format!(
        "{BASE}redress: {{can_contest: true, evidence: [{{title: Appeal procedure, file: appeal.pdf, date: 2019-01-10}}]}}\n"
    );
    // The catalog as written shows a claim as claimed, and never makes it a gap.
    let a = assess(&c, &claimed);
    assert_eq!(a.findings[0].outcome, Outcome::Pass);
    assert_eq!(a.findings[0].observations[0].support, Support::Claimed);
    let a = assess(&c, &evidenced);
    assert_eq!(a.findings[0].observations[0].support, Support::Evidenced);
    // A profile that requires evidence makes a bare claim, or only stale documents, a gap.
    let strict = Tailoring {
        profile: profile(
            "id: strict\ntitle: Strict\ndescription: d\nunknown_as_gap: false\nevidence_required_from: high\nparameters: {evidence_fresh_days: 730}\n",
        ),
        waivers: None,
    };
    let a = assess_in(&c, &strict, &claimed);
    assert_eq!(a.findings[0].outcome, Outcome::Gap);
    assert!(
        a.findings[0]
            .message
            .starts_with("claimed without evidence"),
        "{}",
        a.findings[0].message
    );
    assert_eq!(
        assess_in(&c, &strict, &evidenced).findings[0].outcome,
        Outcome::Pass
    );
    let a = assess_in(&c, &strict, &stale);
    assert_eq!(a.findings[0].outcome, Outcome::Gap);
    assert!(
        a.findings[0].message.contains("older than 730 days"),
        "{}",
        a.findings[0].message
    );
    assert!(a.findings[0].observations[0].evidence[0].stale);
    // The built-in self-assessment profile accepts claims.
    let own = Tailoring {
        profile: Profile::resolve("self-assessment").unwrap(),
        waivers: None,
    };
    assert_eq!(
        assess_in(&c, &own, &claimed).findings[0].outcome,
        Outcome::Pass
    );
}

#[test]
fn an_unanswered_question_is_a_gap_only_where_the_profile_says_so() {
    let c = pack("      field: redress.can_contest\n      equals: true", "");
    let buyer = Tailoring {
        profile: Profile::resolve("procurement").unwrap(),
        waivers: None,
    };
    let a = assess_in(&c, &buyer, BASE);
    assert_eq!(a.findings[0].outcome, Outcome::Gap);
    assert!(
        a.findings[0]
            .message
            .contains("the `procurement` profile counts an unanswered question as a gap")
    );
    assert!(a.findings[0].question.is_some());
    // Never asked by the source is not the vendor's silence: it stays apart.
    let imported = format!("{BASE}source: {{register: R, not_asked: [redress]}}\n");
    assert_eq!(
        assess_in(&c, &buyer, &imported).findings[0].outcome,
        Outcome::NotAsked
    );
    assert_eq!(outcome(&c, BASE), Outcome::Unknown);
}

#[test]
fn a_profile_cannot_lower_a_red_line() {
    let c = pack_with(
        "blocker",
        "      not: {field: capabilities.social_scoring, equals: true}",
        "",
    );
    let lax = Tailoring {
        profile: profile(
            "id: lax\ntitle: Lax\ndescription: d\nunknown_as_gap: false\nseverity_overrides: {XX-TST-001: low}\n",
        ),
        waivers: None,
    };
    let err = Engine::new(&c, &lax).unwrap_err().to_string();
    assert!(
        err.contains("lowers or leaves out red line `XX-TST-001`"),
        "{err}"
    );
    // Nor leave it out, by id or by keeping other themes only.
    let without = Tailoring {
        profile: profile(
            "id: lax\ntitle: Lax\ndescription: d\nunknown_as_gap: false\nexclude_rules: [XX-TST-001]\n",
        ),
        waivers: None,
    };
    let err = Engine::new(&c, &without).unwrap_err().to_string();
    assert!(err.contains("leaves out red line `XX-TST-001`"), "{err}");
    let builtin = Catalog::builtin().unwrap();
    let other_themes = Tailoring {
        profile: profile(
            "id: narrow\ntitle: Narrow\ndescription: d\nunknown_as_gap: false\ninclude_themes: [transparency]\n",
        ),
        waivers: None,
    };
    let engine = Engine::new(builtin, &other_themes).unwrap();
    let kept = engine.catalog().rules();
    assert!(
        kept.iter()
            .all(|r| r.theme == "transparency" || r.severity.is_blocker())
    );
    assert_eq!(
        kept.iter().filter(|r| r.severity.is_blocker()).count(),
        builtin
            .rules()
            .iter()
            .filter(|r| r.severity.is_blocker())
            .count()
    );
}

#[test]
fn an_unanswered_capability_can_make_a_rule_not_apply_and_never_decides_it() {
    // In `applies_when`, `if_unanswered: false` makes silence "does not apply".
    let c = pack(
        "      field: content_moderation.appeal_available\n      equals: true",
        "    applies_when:\n      field: capabilities.content_moderation_actions\n      contains_any: [removal]\n      if_unanswered: false\n",
    );
    assert_eq!(outcome(&c, BASE), Outcome::NotApplicable);
    let moderates = format!("{BASE}capabilities: {{content_moderation_actions: [removal]}}\n");
    assert_eq!(outcome(&c, &moderates), Outcome::Unknown);
    // In a requirement it is refused: silence never becomes a pass or a gap.
    let text = pack_text(
        "high",
        "      field: content_moderation.appeal_available\n      equals: true\n      if_unanswered: false",
        "",
    );
    let err = Catalog::from_files("test", &[("pack.yaml".to_string(), text.into_bytes())])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`if_unanswered` may only be used in `applies_when`"),
        "{err}"
    );
}

#[test]
fn a_stated_red_line_is_crossed_whatever_its_applicability_says() {
    let c = pack_with(
        "blocker",
        "      not: {field: capabilities.social_scoring, equals: true}",
        "    applies_when:\n      field: purpose.decision_role\n      one_of: [informs, recommends, decides]\n",
    );
    let no_decisions = format!("{BASE}purpose: {{decision_role: none}}\n");
    // Unanswered, and the gate says it cannot concern the system: not applicable.
    assert_eq!(outcome(&c, &no_decisions), Outcome::NotApplicable);
    // Stated, it is crossed, whatever the gate says.
    let stated =
        format!("{BASE}purpose: {{decision_role: none}}\ncapabilities: {{social_scoring: true}}\n");
    assert_eq!(outcome(&c, &stated), Outcome::Gap);
    // A safeguard rule with the same gate does not apply, even when its answer is no.
    let safeguard = pack(
        "      field: redress.can_contest\n      equals: true",
        "    applies_when:\n      field: purpose.decision_role\n      one_of: [informs, recommends, decides]\n",
    );
    let said_no =
        format!("{BASE}purpose: {{decision_role: none}}\nredress: {{can_contest: false}}\n");
    assert_eq!(outcome(&safeguard, &said_no), Outcome::NotApplicable);
}

#[test]
fn contains_at_least_counts_the_listed_values() {
    let c = pack(
        "      field: affected_people.groups_at_heightened_risk\n      contains_at_least: {count: 2, of: [children, women-and-girls, older-persons]}",
        "",
    );
    let with =
        |groups: &str| format!("{BASE}affected_people: {{groups_at_heightened_risk: {groups}}}\n");
    assert_eq!(
        outcome(&c, &with("[children, older-persons]")),
        Outcome::Pass
    );
    assert_eq!(outcome(&c, &with("[children, journalists]")), Outcome::Gap);
    assert_eq!(outcome(&c, &with("[]")), Outcome::Gap);
    assert_eq!(outcome(&c, BASE), Outcome::Unknown);
    let gap = assess(&c, &with("[children]"));
    assert!(
        gap.findings[0]
            .message
            .contains("include at least 2 of `children`, `women-and-girls`, `older-persons`"),
        "{}",
        gap.findings[0].message
    );
}
