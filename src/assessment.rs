//! The result of assessing one descriptor: every output format renders this one value.

use std::sync::Arc;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::rules::{Crosswalk, Source};
pub use crate::vocabulary::{FailOn, Outcome, Support, Verdict};
use crate::vocabulary::{Level, Severity, Text};

/// One descriptor value that decided a finding.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Observation {
    /// Dotted field name (shared with the rule's condition).
    pub field: Text,
    /// JSON Pointer.
    pub pointer: Text,
    /// The value, or nothing when the descriptor does not say.
    pub value: Option<Value>,
    /// Line in the descriptor (of the field, or of its section when absent).
    pub line: u32,
    /// Column in the descriptor.
    pub column: u32,
    /// What was found, in plain words.
    pub message: String,
    /// What the rule wanted instead, when this value counts against the system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Arc<str>>,
    /// Whether the value is only claimed or backed by documents in its section.
    pub support: Support,
    /// The source the descriptor comes from never asks for this field.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_asked: bool,
    /// The documents listed as evidence in the value's section (one list per section,
    /// shared by every observation of a field in it).
    #[serde(skip_serializing_if = "is_empty")]
    pub evidence: Arc<[Evidence]>,
}

/// Whether a shared list is empty, for `skip_serializing_if`.
fn is_empty<T>(list: &Arc<[T]>) -> bool {
    list.is_empty()
}

/// An evidence document, as the descriptor lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Evidence {
    /// Title.
    pub title: String,
    /// URL, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// File name, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Date, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Independent verifier, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<String>,
    /// Older than the profile's freshness limit for evidence.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
}

/// The outcome of one rule. The rule's text is shared with the catalog, not copied.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id.
    pub rule_id: Text,
    /// Rule title.
    pub title: Text,
    /// Theme.
    #[serde(default)]
    pub theme: Text,
    /// Severity at the system's impact level.
    pub severity: Severity,
    /// Outcome.
    pub outcome: Outcome,
    /// One-line explanation.
    #[serde(default)]
    pub message: String,
    /// For `not-asked`: the source that never asks what the rule needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_asked_by: Option<Arc<str>>,
    /// For `unknown`: the question to put to the vendor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<Text>,
    /// How to close the gap.
    #[serde(default)]
    pub remediation: Text,
    /// The values that decided the outcome.
    #[serde(default)]
    pub observations: Vec<Observation>,
    /// Calls to action the rule encodes.
    #[serde(default)]
    pub sources: Arc<[Source]>,
    /// Matching provisions in other frameworks.
    #[serde(skip_serializing_if = "is_empty")]
    #[serde(default)]
    pub crosswalk: Arc<[Crosswalk]>,
    /// Whether the finding reaches the failure threshold.
    #[serde(default)]
    pub failing: bool,
    /// For `waived`: the waiver that accepts the finding (boxed: few findings have one,
    /// and it is nine texts long).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Box<Waiver>>,
    /// A waiver matched the finding but expired on this date (YYYY-MM-DD), so it no longer
    /// applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver_expired_on: Option<String>,
}

/// An accepted exception to one rule for one system, as the waivers file states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiver {
    /// Rule id.
    #[serde(default)]
    pub rule: String,
    /// The system it is for (`system.id` or `system.name`).
    #[serde(default)]
    pub system: String,
    /// Why the finding is accepted.
    #[serde(default)]
    pub justification: String,
    /// Who approved it.
    pub approved_by: String,
    /// When it was approved (YYYY-MM-DD).
    #[serde(default)]
    pub approved_on: String,
    /// What reduces the risk meanwhile.
    #[serde(default)]
    pub compensating_measure: String,
    /// The last day it applies (YYYY-MM-DD).
    pub expires_on: String,
    /// The outcome it accepts, `gap` or `unknown` (empty for an unused waiver).
    #[serde(skip_serializing_if = "String::is_empty")]
    #[serde(default)]
    pub waived_outcome: String,
    /// Where the waiver is written, `file:line`.
    #[serde(default)]
    pub location: String,
}

/// A waiver that matched no finding, and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnusedWaiver {
    /// The waiver.
    #[serde(flatten)]
    pub waiver: Waiver,
    /// Why it matched nothing.
    #[serde(default)]
    pub reason: String,
}

/// What the waivers did to this assessment.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WaiverSummary {
    /// The waivers file, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Findings waived.
    pub applied: usize,
    /// Waivers that matched a finding but had expired: the finding stays open.
    pub expired: usize,
    /// Waivers for this system that matched nothing.
    pub unused: Vec<UnusedWaiver>,
    /// Waivers in the file for other systems, left aside.
    pub other_systems: usize,
}

/// The profile the rules were tailored with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileInfo {
    /// Profile id, e.g. `procurement`; `default` when none was chosen.
    pub id: String,
    /// Title.
    pub title: String,
    /// `built-in` or the file it was read from.
    pub source: String,
    /// The profile's own deadlines, so that the command that reproduces a report names
    /// `--deadlines` only for days the profile does not give. Not part of the record.
    #[serde(skip)]
    pub deadlines: crate::deadlines::DeadlineChanges,
}

impl Default for ProfileInfo {
    fn default() -> Self {
        ProfileInfo {
            id: "default".to_string(),
            title: "The whole catalog as written, unknowns as questions".to_string(),
            source: "built-in".to_string(),
            deadlines: crate::deadlines::DeadlineChanges::default(),
        }
    }
}

/// Counts of outcomes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Summary {
    /// Rules evaluated.
    pub rules: usize,
    /// Passed.
    pub pass: usize,
    /// Gaps.
    pub gap: usize,
    /// Unknown: open questions.
    pub unknown: usize,
    /// Unknown because the source never asks: counted apart from open questions.
    pub not_asked: usize,
    /// Not applicable.
    pub not_applicable: usize,
    /// Gaps and unknowns accepted by a valid waiver.
    pub waived: usize,
    /// Gaps and unknowns at or above the failure threshold.
    pub failing: usize,
}

impl Summary {
    /// Counts one outcome, and whether it reaches the failure threshold.
    pub fn count(&mut self, outcome: Outcome, failing: bool) {
        self.rules += 1;
        match outcome {
            Outcome::Pass => self.pass += 1,
            Outcome::Gap => self.gap += 1,
            Outcome::Unknown => self.unknown += 1,
            Outcome::NotAsked => self.not_asked += 1,
            Outcome::NotApplicable => self.not_applicable += 1,
            Outcome::Waived => self.waived += 1,
        }
        if failing {
            self.failing += 1;
        }
    }
}

/// The tool that made the assessment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ToolInfo {
    /// `rightscheck`.
    pub name: Cow<'static, str>,
    /// Its version.
    #[serde(default)]
    pub version: Cow<'static, str>,
}

impl ToolInfo {
    /// This build of rightscheck.
    pub fn current() -> ToolInfo {
        ToolInfo {
            name: Cow::Borrowed(env!("CARGO_PKG_NAME")),
            version: Cow::Borrowed(env!("CARGO_PKG_VERSION")),
        }
    }
}

/// The descriptor assessed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DescriptorInfo {
    /// File name as given.
    pub file: String,
    /// SHA-256 of its bytes.
    #[serde(default)]
    pub sha256: String,
    /// The system's name.
    pub system_name: String,
    /// The system's version, if stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_version: Option<String>,
    /// The system in brief.
    #[serde(default)]
    pub brief: SystemBrief,
    /// Where its answers come from (an imported register's record), when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRecord>,
}

/// The register record a descriptor was imported from (`source`), as reports show it: each
/// finding on an imported system shows the register's own wording of the answers behind it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceRecord {
    /// The register, inventory or questionnaire.
    pub register: String,
    /// The record's id in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
    /// Where the record can be read in the register.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Every answer read, in the register's wording.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<RegisterAnswer>,
}

/// One answer of a register record, verbatim.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterAnswer {
    /// The descriptor field it was read for (dotted).
    pub field: String,
    /// The register's question (its column or field name).
    pub question: String,
    /// The answer as the register writes it.
    pub answer: String,
    /// The register's own explanation of the answer, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

impl SourceRecord {
    /// The answers read for any of these fields (dotted), each once, in record order.
    pub fn answers_for<'a>(
        &'a self,
        fields: impl Iterator<Item = &'a str> + Clone,
    ) -> impl Iterator<Item = &'a RegisterAnswer> {
        self.answers
            .iter()
            .filter(move |a| fields.clone().any(|f| f == a.field))
    }
}

/// The system in brief, as the descriptor states it, for the head of a report.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SystemBrief {
    /// Plain-language description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Purpose in one or two sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Who develops it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub developer: Option<String>,
    /// Who deploys it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployer: Option<String>,
    /// Whether the deployer is a public authority.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployer_public_authority: Option<bool>,
    /// How far it goes in decisions about people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_role: Option<String>,
    /// Sectors and contexts of use.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
    /// About how many people are affected each year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people_affected: Option<u64>,
    /// Groups at heightened risk among them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups_at_heightened_risk: Vec<String>,
}

/// A fact that counted toward the impact level, or that the descriptor leaves open.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LevelReason {
    /// Factor, measure or floor id in the level model.
    pub id: String,
    /// What holds (or would hold), in plain words.
    pub reason: String,
    /// The score it gives its variable (factors only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    /// Whether it counts toward the variable's score: for a variable that takes the
    /// highest score, only the factors that reach it count.
    pub counted: bool,
    /// The level it sets at least (floors only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor: Option<Level>,
    /// The descriptor values that decided it.
    pub observations: Vec<Observation>,
}

/// One of HUDERIA's variables, scored for this system.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VariableScore {
    /// `scale`, `scope`, `reversibility`, `probability` or `context`.
    pub id: String,
    /// Its name in reports.
    pub name: String,
    /// The question it answers.
    pub question: String,
    /// Points per unit of score.
    pub weight: u32,
    /// Its score on what the descriptor states.
    pub score: u32,
    /// The highest score it can have.
    pub max: u32,
    /// Its score if every open factor held, when higher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub could_reach: Option<u32>,
    /// The factors that hold.
    pub reasons: Vec<LevelReason>,
    /// The factors the descriptor leaves open.
    pub unknown: Vec<LevelReason>,
}

/// The mitigation reduction, as the AIA applies it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MitigationScore {
    /// Measures in place.
    pub in_place: Vec<LevelReason>,
    /// How many measures the model has.
    pub measures: usize,
    /// How many must be in place for the reduction.
    pub needed: usize,
    /// The points before the reduction, when it applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reduced_from: Option<u32>,
}

/// The impact level and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct LevelAssessment {
    /// `I` to `IV`, or `prohibited` when a red line is crossed.
    pub level: Level,
    /// Its name, e.g. `high impact`.
    pub name: String,
    /// The level the impact factors give, also when a red line makes it `prohibited`.
    pub impact_level: Level,
    /// The level if every open factor held.
    pub highest_possible: Level,
    /// Points, after any mitigation reduction.
    pub points: u32,
    /// The most points a system can have.
    pub max_points: u32,
    /// Each variable's score and the facts behind it.
    pub variables: Vec<VariableScore>,
    /// The mitigation reduction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mitigation: Option<MitigationScore>,
    /// Floors that hold.
    pub floors: Vec<LevelReason>,
    /// Red lines crossed.
    pub red_lines: usize,
}

impl Default for LevelAssessment {
    /// Nothing scored: what an assessment written before impact levels existed is read as.
    fn default() -> Self {
        LevelAssessment {
            level: Level::I,
            name: String::new(),
            impact_level: Level::I,
            highest_possible: Level::I,
            points: 0,
            max_points: 0,
            variables: Vec::new(),
            mitigation: None,
            floors: Vec::new(),
            red_lines: 0,
        }
    }
}

impl LevelAssessment {
    /// Every factor that holds, variable by variable, then the floors.
    pub fn reasons(&self) -> impl Iterator<Item = (&VariableScore, &LevelReason)> {
        self.variables
            .iter()
            .flat_map(|v| v.reasons.iter().map(move |r| (v, r)))
    }
}

/// The rules used.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CatalogInfo {
    /// Where the rules came from.
    pub origins: Vec<String>,
    /// How many rules.
    pub rules: usize,
    /// SHA-256 identifying the rule files.
    pub sha256: String,
}

impl CatalogInfo {
    /// What a report says of the rules it used.
    pub fn of(catalog: &crate::rules::Catalog) -> CatalogInfo {
        CatalogInfo {
            origins: catalog.origins.clone(),
            rules: catalog.rules().len(),
            sha256: catalog.sha256.clone(),
        }
    }
}

/// The assessment of one descriptor.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Assessment {
    /// The tool.
    pub tool: ToolInfo,
    /// The date the assessment is made as of (YYYY-MM-DD).
    pub as_of: String,
    /// The descriptor.
    pub descriptor: DescriptorInfo,
    /// The rules.
    #[serde(default)]
    pub catalog: CatalogInfo,
    /// Failure threshold used.
    #[serde(default)]
    pub fail_on: FailOn,
    /// The profile the rules were tailored with.
    #[serde(default)]
    pub profile: ProfileInfo,
    /// What the waivers did.
    #[serde(default)]
    pub waivers: WaiverSummary,
    /// Impact level and its reasons.
    #[serde(default)]
    pub level: LevelAssessment,
    /// `reject`, `conditional` or `acceptable`.
    pub verdict: Verdict,
    /// Why, in one sentence.
    #[serde(default)]
    pub verdict_reason: String,
    /// Counts.
    #[serde(default)]
    pub summary: Summary,
    /// One per rule, most severe first.
    pub findings: Vec<Finding>,
    /// What would lift the verdict one step, when asked for (`assess --what-if`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what_if: Option<WhatIf>,
}

impl Assessment {
    /// Whether any finding reaches the failure threshold (exit status 1).
    pub fn fails(&self) -> bool {
        self.summary.failing > 0
    }
}

/// What it takes to change an answer truthfully (the schema's `x-effort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effort {
    /// Writing down, publishing or handing over something that exists.
    Document,
    /// A new safeguard or process.
    Measure,
}

impl Effort {
    /// The effort in words.
    pub fn label(self) -> &'static str {
        match self {
            Effort::Document => "a document",
            Effort::Measure => "a safeguard",
        }
    }
}

/// One answer to give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The dotted field, e.g. `oversight.can_override`.
    pub path: String,
    /// The answer to give.
    pub value: Value,
    /// What to do, in plain words.
    pub label: String,
    /// What it takes.
    pub effort: Effort,
    /// The rules it closes, by id.
    pub rules: Vec<String>,
}

/// What would lift the verdict one step, or lower the level of a system that is acceptable
/// already.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    /// The verdict now.
    pub verdict: Verdict,
    /// The verdict with the changes made; none when nothing lifts it, or when it is
    /// acceptable already (the changes, if any, then lower the level).
    pub target: Option<Verdict>,
    /// The level now.
    pub level: Level,
    /// The level with the changes made, when they change it.
    pub target_level: Option<Level>,
    /// The changes, lightest first: documents before new safeguards.
    pub changes: Vec<Change>,
    /// Why, in one sentence that starts with a capital and ends without a full stop.
    pub reason: String,
    /// The red lines no safeguard can lift: the system crosses them by what it is or does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_lines: Vec<String>,
}
