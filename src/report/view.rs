//! The context that the human report templates (`templates/report.*.j2`) render: the
//! assessment arranged the way a reader needs it, with nothing re-evaluated.
//!
//! Every string that comes from the descriptor has its control and bidirectional
//! characters made visible here; escaping for HTML or Markdown is the template engine's
//! job. A replacement template given with `--template` receives exactly this value: its
//! fields are the template's documented variables.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::labels::{anchor, clean, factor_weight, humanize, thousands};
use super::trace::{self, TraceDocument};
use super::{Deadlines, RenderOptions};
use crate::assessment::{
    Assessment, Evidence, Finding, LevelReason, Observation, Outcome, Support, Verdict, Waiver,
};
use crate::rules::{Level, Severity};
use crate::seeds;

/// Everything a human report shows.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    /// Title of the report.
    pub title: String,
    /// The verdict and what it means.
    pub verdict: VerdictView,
    /// The system in brief.
    pub system: SystemView,
    /// The impact level and why.
    pub level: LevelView,
    /// Counts.
    pub summary: SummaryView,
    /// Red lines crossed (blocker gaps).
    pub red_lines: Vec<FindingView>,
    /// The other gaps, by severity, most severe first; empty groups left out.
    pub gap_groups: Vec<GroupView>,
    /// Questions for the vendor: one per `unknown`, most severe first.
    pub questions: Vec<FindingView>,
    /// Questions the descriptor's source never asks (`not-asked`), most severe first.
    pub not_asked: Vec<FindingView>,
    /// The source that never asks them.
    pub not_asked_by: Option<String>,
    /// The remediation plan: gaps and questions, most severe first, with target dates.
    pub plan: Vec<PlanItem>,
    /// The plan's red-line and high-severity items, for the first page.
    pub key_actions: Vec<PlanItem>,
    /// Gaps and questions accepted by a valid waiver, with the waiver.
    pub waived: Vec<FindingView>,
    /// The profile used, and what the waivers did.
    pub tailoring: TailoringView,
    /// Rules that passed, with the evidence behind them.
    pub passed: Vec<FindingView>,
    /// Rules that do not apply, and why.
    pub not_applicable: Vec<FindingView>,
    /// Outcomes per theme, with the geometry of the chart.
    pub coverage: Vec<ThemeCoverage>,
    /// Every call to action, the rules that encode it and their outcomes.
    pub trace: Vec<TraceDocument>,
    /// Days to target dates, by severity.
    pub deadlines: Vec<DeadlineView>,
    /// The record block: what produced this report, from what.
    pub record: RecordView,
    /// What would lift the verdict one step, when asked for.
    pub what_if: Option<crate::assessment::WhatIf>,
}

/// The verdict.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictView {
    /// `reject`, `conditional` or `acceptable`.
    pub key: &'static str,
    /// `Reject`, `Conditional` or `Acceptable`.
    pub label: &'static str,
    /// A symbol that says the same as the colour.
    pub symbol: &'static str,
    /// What the reader should do, in a few words.
    pub headline: &'static str,
    /// Why, in one phrase (counts).
    pub reason: String,
    /// What the verdict means, as a sentence.
    pub meaning: String,
}

/// The system in brief.
#[derive(Debug, Clone, Serialize)]
pub struct SystemView {
    /// Name.
    pub name: String,
    /// Version, if stated.
    pub version: Option<String>,
    /// The descriptor file.
    pub file: String,
    /// Description.
    pub description: Option<String>,
    /// Purpose.
    pub purpose: Option<String>,
    /// Developer.
    pub developer: Option<String>,
    /// Deployer.
    pub deployer: Option<String>,
    /// `yes`, `no`, or nothing when not stated.
    pub deployer_public_authority: Option<&'static str>,
    /// How far it goes in decisions, in words.
    pub decision_role: Option<String>,
    /// Sectors, in words.
    pub sectors: Vec<String>,
    /// People affected a year, with thousands separators.
    pub people_affected: Option<String>,
    /// Groups at heightened risk, in words.
    pub groups_at_heightened_risk: Vec<String>,
    /// The register record it was imported from, when it was.
    pub register: Option<RegisterRecordView>,
}

/// The register record a descriptor was imported from.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterRecordView {
    /// The register.
    pub register: String,
    /// The record's id in it.
    pub record_id: Option<String>,
    /// The link to the record, as written.
    pub url: Option<String>,
    /// The link again, only when it is an `http` or `https` address that is safe to follow.
    pub href: Option<String>,
}

/// One answer of the register record, in its own words.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterAnswerView {
    /// The descriptor field it was read for.
    pub field: String,
    /// The register's question.
    pub question: String,
    /// The answer, verbatim.
    pub answer: String,
    /// The register's explanation of the answer, when it has one.
    pub explanation: Option<String>,
}

/// The register's wording of the answers behind a finding.
pub fn register_answers(a: &Assessment, f: &Finding) -> Vec<RegisterAnswerView> {
    let Some(source) = &a.descriptor.source else {
        return Vec::new();
    };
    source
        .answers_for(f.observations.iter().map(|o| &*o.field))
        .map(|r| RegisterAnswerView {
            field: clean(&r.field),
            question: clean(r.question.trim()),
            answer: clean(r.answer.trim()),
            explanation: r
                .explanation
                .as_deref()
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(clean),
        })
        .collect()
}

/// The register record of an imported descriptor.
pub fn register_record(a: &Assessment) -> Option<RegisterRecordView> {
    a.descriptor.source.as_ref().map(|s| RegisterRecordView {
        register: clean(&s.register),
        record_id: s.record_id.as_deref().map(clean),
        url: s.url.as_deref().map(clean),
        href: s.url.as_deref().and_then(safe_href),
    })
}

/// The impact level.
#[derive(Debug, Clone, Serialize)]
pub struct LevelView {
    /// `I` to `IV`, or `prohibited`.
    pub key: &'static str,
    /// `Level III: high impact`, or `Prohibited: crosses a red line`.
    pub label: String,
    /// The level's name, e.g. `high impact`.
    pub name: String,
    /// Whether a red line makes the system prohibited.
    pub prohibited: bool,
    /// Red lines crossed.
    pub red_lines: usize,
    /// The level the impact factors give on their own.
    pub impact_level: &'static str,
    /// Points, after any mitigation reduction.
    pub points: u32,
    /// The most points a system can have.
    pub max_points: u32,
    /// The points before the mitigation reduction, when it applied.
    pub reduced_from: Option<u32>,
    /// Mitigation measures in place, in words.
    pub mitigation: Vec<String>,
    /// How many measures the model has, and how many the reduction needs.
    pub measures: usize,
    /// How many must be in place for the reduction.
    pub measures_needed: usize,
    /// The level if every open factor held.
    pub highest_possible: &'static str,
    /// Whether open factors could raise the level.
    pub could_be_higher: bool,
    /// Each variable, with its score and the facts behind it.
    pub variables: Vec<VariableView>,
    /// Floors that hold.
    pub floors: Vec<LevelFactorView>,
    /// Open factors, every variable together.
    pub unknown: Vec<LevelFactorView>,
}

/// One of HUDERIA's variables.
#[derive(Debug, Clone, Serialize)]
pub struct VariableView {
    /// Id, e.g. `scale`.
    pub id: String,
    /// Name, capitalised.
    pub name: String,
    /// The question it answers.
    pub question: String,
    /// Score on what is stated.
    pub score: u32,
    /// Highest score.
    pub max: u32,
    /// Points per unit of score.
    pub weight: u32,
    /// Points it gives (weight x score).
    pub points: u32,
    /// Its score if every open factor held, when higher.
    pub could_reach: Option<u32>,
    /// The facts that hold.
    pub reasons: Vec<LevelFactorView>,
}

/// One fact behind the level.
#[derive(Debug, Clone, Serialize)]
pub struct LevelFactorView {
    /// Factor id.
    pub id: String,
    /// The variable it scores, capitalised (for open factors and floors).
    pub variable: String,
    /// What holds, in plain words.
    pub reason: String,
    /// `4 of 4`, or `at least III`.
    pub weight: String,
    /// The descriptor values that decided it.
    pub observations: Vec<ObservationView>,
    /// Their descriptor lines, e.g. `12, 40`.
    pub lines: String,
}

/// Counts.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryView {
    /// Rules evaluated.
    pub rules: usize,
    /// Passed.
    pub pass: usize,
    /// Gaps.
    pub gap: usize,
    /// Open questions.
    pub unknown: usize,
    /// Questions the source never asks.
    pub not_asked: usize,
    /// Not applicable.
    pub not_applicable: usize,
    /// Waived.
    pub waived: usize,
    /// Red lines crossed.
    pub red_lines: usize,
    /// Red lines the descriptor leaves open (blocker questions).
    pub open_red_lines: usize,
    /// Gaps and questions at or above the failure threshold.
    pub failing: usize,
    /// The failure threshold.
    pub fail_on: String,
}

/// Gaps of one severity.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    /// Severity key.
    pub severity: &'static str,
    /// Heading.
    pub label: &'static str,
    /// The gaps.
    pub findings: Vec<FindingView>,
}

/// One finding, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    /// Fragment id for links inside the report, e.g. `rc-ovs-001`.
    pub anchor: String,
    /// Rule id.
    pub rule_id: String,
    /// What a compliant system does.
    pub title: String,
    /// Theme key.
    pub theme: String,
    /// Theme in words.
    pub theme_label: String,
    /// Severity key.
    pub severity: &'static str,
    /// Severity in words.
    pub severity_label: &'static str,
    /// Outcome key.
    pub outcome: &'static str,
    /// Outcome in words.
    pub outcome_label: &'static str,
    /// What was found.
    pub message: String,
    /// The question for the vendor, for `unknown`.
    pub question: Option<String>,
    /// How to close the gap.
    pub remediation: String,
    /// Descriptor lines concerned, e.g. `31, 42`; empty when none.
    pub lines: String,
    /// The values that decided the outcome.
    pub observations: Vec<ObservationView>,
    /// Evidence documents listed for those values (each once).
    pub evidence: Vec<EvidenceView>,
    /// For an imported descriptor: the register's own wording of the answers behind the
    /// finding (its question, answer and explanation), in record order.
    pub register_answers: Vec<RegisterAnswerView>,
    /// For an imported descriptor: the register record, with its link.
    pub register: Option<RegisterRecordView>,
    /// `evidenced`, `claimed` or `not-stated`: the best support among the stated values.
    pub support: &'static str,
    /// The same in words.
    pub support_label: &'static str,
    /// Where the rule comes from.
    pub sources: Vec<SourceView>,
    /// Matching provisions elsewhere, e.g. `EU AI Act: Article 14`.
    pub crosswalk: Vec<String>,
    /// Target date for gaps and questions.
    pub target_date: Option<String>,
    /// Whether it reaches the failure threshold.
    pub failing: bool,
    /// For a waived finding: the waiver.
    pub waiver: Option<Waiver>,
    /// A waiver matched but expired on this date, so the finding is open.
    pub waiver_expired_on: Option<String>,
}

/// A waiver that matched nothing.
#[derive(Debug, Clone, Serialize)]
pub struct UnusedWaiverView {
    /// The waiver.
    pub waiver: Waiver,
    /// Why it matched nothing.
    pub reason: String,
}

/// The profile the catalog was tailored with, and what the waivers did.
#[derive(Debug, Clone, Serialize)]
pub struct TailoringView {
    /// Profile id.
    pub profile_id: String,
    /// Profile title.
    pub profile_title: String,
    /// `built-in` or its file.
    pub profile_source: String,
    /// The waivers file, if any.
    pub waivers_file: Option<String>,
    /// Findings waived.
    pub waived: usize,
    /// Waivers expired.
    pub expired: usize,
    /// Waivers for this system that matched nothing.
    pub unused: Vec<UnusedWaiverView>,
}

/// A waiver with its text made safe to show.
fn waiver_view(w: &Waiver) -> Waiver {
    Waiver {
        rule: clean(&w.rule),
        system: clean(&w.system),
        justification: clean(&w.justification),
        approved_by: clean(&w.approved_by),
        approved_on: clean(&w.approved_on),
        compensating_measure: clean(&w.compensating_measure),
        expires_on: clean(&w.expires_on),
        waived_outcome: clean(&w.waived_outcome),
        location: clean(&w.location),
    }
}

fn tailoring(a: &Assessment) -> TailoringView {
    TailoringView {
        profile_id: clean(&a.profile.id),
        profile_title: clean(&a.profile.title),
        profile_source: clean(&a.profile.source),
        waivers_file: a.waivers.file.as_deref().map(clean),
        waived: a.waivers.applied,
        expired: a.waivers.expired,
        unused: a
            .waivers
            .unused
            .iter()
            .map(|u| UnusedWaiverView {
                waiver: waiver_view(&u.waiver),
                reason: clean(&u.reason),
            })
            .collect(),
    }
}

/// One descriptor value.
#[derive(Debug, Clone, Serialize)]
pub struct ObservationView {
    /// Dotted field name.
    pub field: String,
    /// JSON Pointer.
    pub pointer: String,
    /// The value as text; nothing when not stated.
    pub value: Option<String>,
    /// Line (0 when unknown).
    pub line: u32,
    /// What was found.
    pub message: String,
    /// What the rule wanted instead.
    pub expected: Option<String>,
    /// `evidenced`, `claimed` or `not-stated`.
    pub support: &'static str,
    /// The source never asks for this field.
    pub not_asked: bool,
}

/// An evidence document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EvidenceView {
    /// Title.
    pub title: String,
    /// The link as written.
    pub link: Option<String>,
    /// The link again, only when it is an `http` or `https` address that is safe to follow.
    pub href: Option<String>,
    /// File name.
    pub file: Option<String>,
    /// Date.
    pub date: Option<String>,
    /// Independent verifier.
    pub verified_by: Option<String>,
    /// Older than the profile's freshness limit.
    pub stale: bool,
}

/// A source of a rule.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// Document id.
    pub document: String,
    /// Document title, when the seed index knows it.
    pub document_title: String,
    /// Call-to-action id.
    pub call: String,
    /// The sentence, verbatim.
    pub quote: String,
}

/// One step of the remediation plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanItem {
    /// 1, 2, 3...
    pub number: usize,
    /// Fragment id of the finding.
    pub anchor: String,
    /// Rule id.
    pub rule_id: String,
    /// Rule title.
    pub title: String,
    /// Severity key.
    pub severity: &'static str,
    /// Severity in words.
    pub severity_label: &'static str,
    /// `gap` or `unknown`.
    pub outcome: &'static str,
    /// Outcome in words.
    pub outcome_label: &'static str,
    /// What to do.
    pub action: String,
    /// For a question: what to ask first.
    pub question: Option<String>,
    /// Days from the as-of date.
    pub days: u32,
    /// Target date.
    pub target_date: String,
    /// `before any decision to buy or deploy`, or `within 30 days`.
    pub when: String,
}

/// Outcomes of one theme, with the bar chart's geometry (a bar 600 units wide).
#[derive(Debug, Clone, Serialize)]
pub struct ThemeCoverage {
    /// Theme key.
    pub theme: String,
    /// Theme in words.
    pub label: String,
    /// Rules in the theme.
    pub total: usize,
    /// Passed.
    pub pass: usize,
    /// Gaps.
    pub gap: usize,
    /// Open questions.
    pub unknown: usize,
    /// Not applicable.
    pub not_applicable: usize,
    /// Share of applicable rules passed, in whole percent; nothing when none applies.
    pub percent_pass: Option<u32>,
    /// The same as text: `67%`, or `–` when no rule of the theme applies.
    pub percent_label: String,
    /// Bar segments, left to right.
    pub segments: Vec<Segment>,
    /// Text bar for plain-text formats, e.g. `██████░░░░`.
    pub text_bar: String,
}

/// One segment of a bar.
#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    /// Outcome key.
    pub outcome: &'static str,
    /// Outcome in words.
    pub label: &'static str,
    /// Rules.
    pub count: usize,
    /// Left edge, in units of a 600-unit bar.
    pub x: u32,
    /// Width in the same units.
    pub width: u32,
    /// Middle, for the count label.
    pub middle: u32,
}

/// Days allowed for one severity.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineView {
    /// Severity key.
    pub severity: &'static str,
    /// Severity in words.
    pub label: &'static str,
    /// Days.
    pub days: u32,
}

/// What produced the report, from what: enough to reproduce it.
#[derive(Debug, Clone, Serialize)]
pub struct RecordView {
    /// Tool name.
    pub tool: String,
    /// Tool version.
    pub tool_version: String,
    /// Which catalog: built-in (with the tool's version) and any packs.
    pub catalog_version: String,
    /// Rules in the catalog.
    pub catalog_rules: usize,
    /// SHA-256 of the catalog.
    pub catalog_sha256: String,
    /// Descriptor file.
    pub descriptor_file: String,
    /// SHA-256 of the descriptor.
    pub descriptor_sha256: String,
    /// As-of date.
    pub as_of: String,
    /// Who made the assessment, when given.
    pub assessor: Option<String>,
    /// Failure threshold.
    pub fail_on: String,
    /// Deadlines used, as `--deadlines` takes them.
    pub deadlines: String,
    /// The command that reproduces the assessment.
    pub command: String,
}

/// The link of an evidence document, only if it is a plain `http`/`https` address.
pub fn safe_href(link: &str) -> Option<String> {
    let trimmed = link.trim();
    let lower = trimmed.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !trimmed
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`'));
    ok.then(|| trimmed.to_string())
}

/// The media type of a descriptor file, from its extension.
pub fn media_type(file: &str) -> &'static str {
    let json = Path::new(file)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if json {
        "application/json"
    } else {
        "application/yaml"
    }
}

/// Sorted, distinct, non-zero descriptor lines, joined with commas.
pub fn lines_of(observations: &[Observation]) -> String {
    let mut lines: Vec<u32> = observations
        .iter()
        .map(|o| o.line)
        .filter(|l| *l > 0)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn value_text(v: &Value) -> String {
    clean(&crate::rules::plain(v))
}

fn observation(o: &Observation) -> ObservationView {
    ObservationView {
        field: clean(&o.field),
        pointer: clean(&o.pointer),
        value: o.value.as_ref().map(value_text),
        line: o.line,
        message: clean(&o.message),
        expected: o.expected.as_deref().map(clean),
        support: o.support.key(),
        not_asked: o.not_asked,
    }
}

fn evidence(e: &Evidence) -> EvidenceView {
    EvidenceView {
        title: clean(&e.title),
        link: e.link.as_deref().map(clean),
        href: e.link.as_deref().and_then(safe_href),
        file: e.file.as_deref().map(clean),
        date: e.date.as_deref().map(clean),
        verified_by: e.verified_by.as_deref().map(clean),
        stale: e.stale,
    }
}

/// The evidence documents behind a finding's stated values, each once, in title order.
pub fn evidence_of(f: &Finding) -> Vec<EvidenceView> {
    let mut out: Vec<EvidenceView> = f
        .observations
        .iter()
        .flat_map(|o| o.evidence.iter().map(evidence))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The best support among a finding's stated values.
pub fn support_of(f: &Finding) -> Support {
    if f.observations
        .iter()
        .any(|o| o.support == Support::Evidenced)
    {
        Support::Evidenced
    } else if f.observations.iter().any(|o| o.support == Support::Claimed) {
        Support::Claimed
    } else {
        Support::NotStated
    }
}

fn finding(
    f: &Finding,
    a: &Assessment,
    deadlines: &Deadlines,
    titles: &BTreeMap<String, String>,
) -> FindingView {
    let open = matches!(
        f.outcome,
        Outcome::Gap | Outcome::Unknown | Outcome::NotAsked
    );
    let support = support_of(f);
    FindingView {
        anchor: anchor(&f.rule_id),
        rule_id: clean(&f.rule_id),
        title: clean(&f.title),
        theme: clean(&f.theme),
        theme_label: humanize(&f.theme),
        severity: f.severity.as_str(),
        severity_label: f.severity.label(),
        outcome: f.outcome.as_str(),
        outcome_label: f.outcome.label(),
        message: clean(&f.message),
        question: f.question.as_deref().map(clean),
        remediation: clean(&f.remediation),
        lines: lines_of(&f.observations),
        observations: f.observations.iter().map(observation).collect(),
        evidence: evidence_of(f),
        register_answers: register_answers(a, f),
        register: register_record(a),
        support: support.key(),
        support_label: support.label(),
        sources: f
            .sources
            .iter()
            .map(|s| SourceView {
                document: clean(&s.document),
                document_title: titles
                    .get(s.document.as_str())
                    .cloned()
                    .unwrap_or_else(|| clean(&s.document)),
                call: clean(&s.call),
                quote: clean(s.quote.trim()),
            })
            .collect(),
        crosswalk: f.crosswalk.iter().map(|c| clean(&c.label())).collect(),
        target_date: if open {
            deadlines.target_date(&a.as_of, f.severity)
        } else {
            None
        },
        failing: f.failing,
        waiver: f.waiver.as_deref().map(waiver_view),
        waiver_expired_on: f.waiver_expired_on.as_deref().map(clean),
    }
}

fn level_factor(variable: &str, r: &LevelReason) -> LevelFactorView {
    LevelFactorView {
        id: clean(&r.id),
        variable: humanize(variable),
        reason: clean(&r.reason),
        weight: factor_weight(r.score, r.floor),
        observations: r.observations.iter().map(observation).collect(),
        lines: lines_of(&r.observations),
    }
}

fn level(a: &Assessment) -> LevelView {
    let l = &a.level;
    let label = match l.level {
        Level::Prohibited => format!("Prohibited: {}", l.name),
        other => format!("Level {other}: {}", l.name),
    };
    let (reduced_from, mitigation, measures, measures_needed) = match &l.mitigation {
        Some(m) => (
            m.reduced_from,
            m.in_place.iter().map(|r| clean(&r.reason)).collect(),
            m.measures,
            m.needed,
        ),
        None => (None, Vec::new(), 0, 0),
    };
    LevelView {
        key: l.level.as_str(),
        label,
        name: clean(&l.name),
        prohibited: l.level == Level::Prohibited,
        red_lines: l.red_lines,
        impact_level: l.impact_level.as_str(),
        points: l.points,
        max_points: l.max_points,
        reduced_from,
        mitigation,
        measures,
        measures_needed,
        highest_possible: l.highest_possible.as_str(),
        could_be_higher: l.highest_possible > l.impact_level,
        variables: l
            .variables
            .iter()
            .map(|v| VariableView {
                id: clean(&v.id),
                name: humanize(&v.name),
                question: clean(&v.question),
                score: v.score,
                max: v.max,
                weight: v.weight,
                points: v.weight * v.score,
                could_reach: v.could_reach,
                reasons: v.reasons.iter().map(|r| level_factor(&v.name, r)).collect(),
            })
            .collect(),
        floors: l.floors.iter().map(|r| level_factor("floor", r)).collect(),
        unknown: l
            .variables
            .iter()
            .flat_map(|v| v.unknown.iter().map(|r| level_factor(&v.name, r)))
            .collect(),
    }
}

fn verdict(a: &Assessment) -> VerdictView {
    let (label, symbol, headline) = match a.verdict {
        Verdict::Reject => (
            "Reject",
            "✗",
            "Do not buy or deploy the system as described",
        ),
        Verdict::Conditional => (
            "Conditional",
            "!",
            "Buy or deploy only once the conditions below are met",
        ),
        Verdict::Acceptable => (
            "Acceptable",
            "✓",
            "No red line crossed and every high-severity safeguard in place",
        ),
    };
    let meaning = a.verdict.meaning();
    let mut chars = meaning.chars();
    let meaning = match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    };
    VerdictView {
        key: a.verdict.as_str(),
        label,
        symbol,
        headline,
        reason: clean(&a.verdict_reason),
        meaning,
    }
}

fn system(a: &Assessment) -> SystemView {
    let d = &a.descriptor;
    let b = &d.brief;
    SystemView {
        name: clean(&d.system_name),
        version: d.system_version.as_deref().map(clean),
        file: clean(&d.file),
        description: b.description.as_deref().map(clean),
        purpose: b.purpose.as_deref().map(clean),
        developer: b.developer.as_deref().map(clean),
        deployer: b.deployer.as_deref().map(clean),
        deployer_public_authority: b
            .deployer_public_authority
            .map(|p| if p { "yes" } else { "no" }),
        decision_role: b.decision_role.as_deref().map(|r| match r {
            "none" => "Does not take part in decisions about people".to_string(),
            "informs" => "Informs decisions about people that a person takes".to_string(),
            "recommends" => "Recommends decisions about people that a person takes".to_string(),
            "decides" => "Decides about people itself".to_string(),
            other => humanize(other),
        }),
        sectors: b.sectors.iter().map(|s| humanize(s)).collect(),
        people_affected: b.people_affected.map(thousands),
        groups_at_heightened_risk: b
            .groups_at_heightened_risk
            .iter()
            .map(|g| humanize(g))
            .collect(),
        register: register_record(a),
    }
}

/// Splits a 600-unit bar into segments whose widths add up exactly.
fn segments(counts: &[(Outcome, usize)], total: usize) -> Vec<Segment> {
    const WIDTH: usize = 600;
    let mut out = Vec::new();
    let mut done = 0usize;
    let mut x = 0usize;
    for (outcome, count) in counts {
        if *count == 0 || total == 0 {
            continue;
        }
        done += count;
        let end = done * WIDTH / total;
        let width = end - x;
        out.push(Segment {
            outcome: outcome.as_str(),
            label: outcome.label(),
            count: *count,
            x: u32::try_from(x).unwrap_or(0),
            width: u32::try_from(width).unwrap_or(0),
            middle: u32::try_from(x + width / 2).unwrap_or(0),
        });
        x = end;
    }
    out
}

fn text_bar(counts: &[(Outcome, usize)], total: usize) -> String {
    const CELLS: usize = 20;
    let mut out = String::new();
    let mut done = 0usize;
    let mut drawn = 0usize;
    for (outcome, count) in counts {
        if total == 0 {
            break;
        }
        done += count;
        let end = (done * CELLS + total / 2) / total;
        let glyph = match outcome {
            Outcome::Pass => '█',
            Outcome::Gap => '▒',
            Outcome::Unknown | Outcome::NotAsked => '?',
            Outcome::NotApplicable => '·',
            Outcome::Waived => '~',
        };
        out.extend(std::iter::repeat_n(glyph, end.saturating_sub(drawn)));
        drawn = drawn.max(end);
    }
    out
}

fn coverage(a: &Assessment) -> Vec<ThemeCoverage> {
    let mut themes: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for f in &a.findings {
        let slot = themes.entry(&*f.theme).or_default();
        let i = match f.outcome {
            Outcome::Pass => 0,
            Outcome::Gap => 1,
            Outcome::Unknown | Outcome::NotAsked => 2,
            Outcome::NotApplicable => 3,
            // A waived finding is still not met: it counts where it came from.
            Outcome::Waived => {
                if f.waiver.as_ref().is_some_and(|w| w.waived_outcome != "gap") {
                    2
                } else {
                    1
                }
            }
        };
        slot[i] += 1;
    }
    themes
        .into_iter()
        .map(|(theme, [pass, gap, unknown, na])| {
            let total = pass + gap + unknown + na;
            let applicable = pass + gap + unknown;
            let counts = [
                (Outcome::Pass, pass),
                (Outcome::Gap, gap),
                (Outcome::Unknown, unknown),
                (Outcome::NotApplicable, na),
            ];
            let percent_pass = (applicable > 0)
                .then(|| u32::try_from((pass * 100 + applicable / 2) / applicable).unwrap_or(100));
            ThemeCoverage {
                theme: clean(theme),
                label: humanize(theme),
                total,
                pass,
                gap,
                unknown,
                not_applicable: na,
                percent_pass,
                percent_label: percent_pass.map_or_else(|| "–".to_string(), |p| format!("{p}%")),
                segments: segments(&counts, total),
                text_bar: text_bar(&counts, total),
            }
        })
        .collect()
}

fn plan(a: &Assessment, deadlines: &Deadlines) -> Vec<PlanItem> {
    let mut open: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| matches!(f.outcome, Outcome::Gap | Outcome::Unknown))
        .collect();
    // Most severe first; within a severity gaps before questions, then by rule id.
    open.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then_with(|| x.outcome.cmp(&y.outcome))
            .then_with(|| x.rule_id.cmp(&y.rule_id))
    });
    open.iter()
        .enumerate()
        .map(|(i, f)| {
            let days = deadlines.days(f.severity);
            PlanItem {
                number: i + 1,
                anchor: anchor(&f.rule_id),
                rule_id: clean(&f.rule_id),
                title: clean(&f.title),
                severity: f.severity.as_str(),
                severity_label: f.severity.label(),
                outcome: f.outcome.as_str(),
                outcome_label: f.outcome.label(),
                action: clean(&f.remediation),
                question: f.question.as_deref().map(clean),
                days,
                target_date: deadlines
                    .target_date(&a.as_of, f.severity)
                    .unwrap_or_else(|| a.as_of.clone()),
                when: if days == 0 {
                    "before any decision to buy or deploy".to_string()
                } else {
                    format!("within {days} days")
                },
            }
        })
        .collect()
}

fn record(a: &Assessment, options: &RenderOptions<'_>) -> RecordView {
    let origins: Vec<String> = a
        .catalog
        .origins
        .iter()
        .map(|o| {
            if o == "built-in" {
                format!("built-in catalog of {} {}", a.tool.name, a.tool.version)
            } else {
                format!("rule pack {}", clean(o))
            }
        })
        .collect();
    let mut command = format!(
        "{} assess --as-of {} --fail-on {}",
        a.tool.name,
        a.as_of,
        a.fail_on.as_str()
    );
    for o in a.catalog.origins.iter().filter(|o| *o != "built-in") {
        let _ = write!(command, " --rules {}", shell_quote(&clean(o)));
    }
    // The profile named below gives its own days: only a change to them needs naming.
    if options.deadlines != Deadlines::default().with(&a.profile.deadlines) {
        let _ = write!(command, " --deadlines {}", options.deadlines);
    }
    if a.profile.id != "default" {
        let profile = if a.profile.source == "built-in" {
            &a.profile.id
        } else {
            &a.profile.source
        };
        let _ = write!(command, " --profile {}", shell_quote(&clean(profile)));
    }
    if let Some(file) = &a.waivers.file {
        let _ = write!(command, " --waivers {}", shell_quote(&clean(file)));
    }
    for word in options.reproduce {
        let _ = write!(command, " {}", shell_quote(&clean(word)));
    }
    command.push(' ');
    command.push_str(&shell_quote(&clean(&a.descriptor.file)));
    RecordView {
        tool: a.tool.name.to_string(),
        tool_version: a.tool.version.to_string(),
        catalog_version: origins.join(" + "),
        catalog_rules: a.catalog.rules,
        catalog_sha256: a.catalog.sha256.clone(),
        descriptor_file: clean(&a.descriptor.file),
        descriptor_sha256: a.descriptor.sha256.clone(),
        as_of: a.as_of.clone(),
        assessor: options
            .assessor
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(clean),
        fail_on: a.fail_on.as_str().to_string(),
        deadlines: options.deadlines.to_string(),
        command,
    }
}

/// A word for a POSIX shell: as it is when plain, else in single quotes.
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-' | '=' | ',' | ':')
        });
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Document titles from the seed index, by id.
pub fn document_titles() -> BTreeMap<String, String> {
    seeds::documents()
        .into_iter()
        .map(|d| (d.id, d.title))
        .collect()
}

impl ReportView {
    /// Arranges an assessment for the human reports.
    pub fn new(
        a: &Assessment,
        options: &RenderOptions<'_>,
    ) -> Result<ReportView, super::RenderError> {
        let deadlines = &options.deadlines;
        let titles = document_titles();
        let view = |f: &Finding| finding(f, a, deadlines, &titles);
        let red_lines: Vec<FindingView> = a
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Blocker && f.outcome == Outcome::Gap)
            .map(view)
            .collect();
        let gap_groups = Severity::ALL
            .iter()
            .filter(|s| **s != Severity::Blocker)
            .map(|s| GroupView {
                severity: s.as_str(),
                label: s.label(),
                findings: a
                    .findings
                    .iter()
                    .filter(|f| f.severity == *s && f.outcome == Outcome::Gap)
                    .map(view)
                    .collect(),
            })
            .filter(|g| !g.findings.is_empty())
            .collect();
        let with = |o: Outcome| -> Vec<FindingView> {
            a.findings
                .iter()
                .filter(|f| f.outcome == o)
                .map(view)
                .collect()
        };
        let system = system(a);
        Ok(ReportView {
            title: format!("Human-rights gap report: {}", system.name),
            verdict: verdict(a),
            level: level(a),
            summary: SummaryView {
                rules: a.summary.rules,
                pass: a.summary.pass,
                gap: a.summary.gap,
                unknown: a.summary.unknown,
                not_asked: a.summary.not_asked,
                not_applicable: a.summary.not_applicable,
                waived: a.summary.waived,
                red_lines: red_lines.len(),
                open_red_lines: a
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Blocker && f.outcome == Outcome::Unknown)
                    .count(),
                failing: a.summary.failing,
                fail_on: record(a, options).fail_on,
            },
            red_lines,
            gap_groups,
            questions: with(Outcome::Unknown),
            not_asked: with(Outcome::NotAsked),
            not_asked_by: a
                .findings
                .iter()
                .find_map(|f| f.not_asked_by.as_deref())
                .map(clean),
            key_actions: plan(a, deadlines)
                .into_iter()
                .filter(|p| matches!(p.severity, "blocker" | "high"))
                .collect(),
            plan: plan(a, deadlines),
            waived: with(Outcome::Waived),
            tailoring: tailoring(a),
            passed: with(Outcome::Pass),
            not_applicable: with(Outcome::NotApplicable),
            coverage: coverage(a),
            trace: trace::trace(a, &titles)?,
            deadlines: Severity::ALL
                .iter()
                .map(|s| DeadlineView {
                    severity: s.as_str(),
                    label: s.label(),
                    days: deadlines.days(*s),
                })
                .collect(),
            record: record(a, options),
            what_if: a.what_if.clone(),
            system,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_web_links_are_followable() {
        assert_eq!(
            safe_href("https://example.org/a?b=c").as_deref(),
            Some("https://example.org/a?b=c")
        );
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href("data:text/html;base64,xyz"), None);
        assert_eq!(safe_href("https://example.org/\"><script>"), None);
        assert_eq!(safe_href("//evil.example"), None);
    }

    #[test]
    fn bars_add_up_to_the_full_width() {
        let s = segments(
            &[
                (Outcome::Pass, 1),
                (Outcome::Gap, 1),
                (Outcome::Unknown, 1),
                (Outcome::NotApplicable, 0),
            ],
            3,
        );
        assert_eq!(s.iter().map(|s| s.width).sum::<u32>(), 600);
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn commands_quote_unusual_file_names() {
        assert_eq!(shell_quote("examples/a.yaml"), "examples/a.yaml");
        assert_eq!(shell_quote("my file.yaml"), "'my file.yaml'");
        assert_eq!(shell_quote("it's;rm"), "'it'\\''s;rm'");
    }

    #[test]
    fn words_for_people() {
        assert_eq!(
            humanize("welfare-and-social-services"),
            "Welfare and social services"
        );
        assert_eq!(thousands(38_000_u64), "38,000");
        assert_eq!(thousands(999_u64), "999");
        assert_eq!(thousands(1_234_567_u64), "1,234,567");
        assert_eq!(anchor("RC-OVS-001"), "rule-rc-ovs-001");
    }
}
