//! Evaluates a descriptor against a catalog.
//!
//! Conditions use three-valued logic: a field the descriptor does not state is *unknown*,
//! never silently true or false, so that silence becomes a question and not a pass.
//!
//! Evaluation comes in two steps. [`evaluate`] decides every rule's outcome, the risk
//! tier and the verdict, and keeps the leaves that decided each one as references into
//! the catalog and the descriptor: no text is written. [`Evaluation::to_assessment`] then
//! writes those up as the [`Assessment`] every report renders. [`assess`] does both;
//! where only outcomes are needed (many descriptors at once), [`evaluate`] alone is far
//! cheaper.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::Value;

use crate::assessment::{
    Assessment, CatalogInfo, DescriptorInfo, Evidence, FailOn, Finding, Observation, Outcome,
    ProfileInfo, Summary, Support, SystemBrief, TierAssessment, TierReason, ToolInfo, Verdict,
    WaiverSummary,
};
use crate::document::Document;
use crate::profile::{Profile, ProfileError};
use crate::rules::{
    Catalog, Comparison, Condition, Leaf, Op, Rule, Severity, Step, Tier, TierModel, field_paths,
    write_plain,
};
use crate::schema::{
    Issue, Schema, SchemaError, descriptor_fields, string_items, write_description,
};
use crate::waivers::{WaiverError, Waivers};

/// Settings of one assessment.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The date ages are computed from.
    pub as_of: NaiveDate,
    /// Failure threshold.
    pub fail_on: FailOn,
}

/// True, false, or cannot tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    /// Holds.
    True,
    /// Does not hold.
    False,
    /// The descriptor does not say enough.
    Unknown,
}

impl Truth {
    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// Why a descriptor could not be assessed.
#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    /// The descriptor does not follow the schema.
    #[error("the descriptor has {} mistake(s)", .0.len())]
    Invalid(Vec<Issue>),
    /// The built-in schema is broken.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// The profile cannot tailor this catalog.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The waivers cannot be applied (e.g. one waives a red line).
    #[error(transparent)]
    Waiver(#[from] WaiverError),
}

/// How the catalog is tailored and which exceptions are accepted.
#[derive(Debug, Clone, Default)]
pub struct Tailoring {
    /// The profile (the catalog as written when not chosen).
    pub profile: Profile,
    /// The waivers, when a file is given.
    pub waivers: Option<Waivers>,
}

/// Validates, then assesses with a profile and waivers.
pub fn validate_and_assess_with(
    doc: &Document,
    catalog: &Catalog,
    options: &Options,
    tailoring: &Tailoring,
) -> Result<Assessment, AssessError> {
    let issues = Schema::descriptor()?.validate(doc);
    if !issues.is_empty() {
        return Err(AssessError::Invalid(issues));
    }
    assess_with(doc, catalog, options, tailoring)
}

/// Assesses a valid descriptor with a profile and waivers: the profile tailors the catalog
/// before evaluation and reads the outcomes after it; the waivers come last.
pub fn assess_with(
    doc: &Document,
    catalog: &Catalog,
    options: &Options,
    tailoring: &Tailoring,
) -> Result<Assessment, AssessError> {
    let tailored;
    let catalog = if tailoring.profile.tailors_catalog() {
        tailored = tailoring.profile.tailor(catalog)?;
        &tailored
    } else {
        catalog
    };
    if let Some(waivers) = &tailoring.waivers {
        waivers.check_blockers(catalog)?;
    }
    let evaluation = evaluate(doc, catalog, options);
    // In catalog order: the waivers match findings in that order.
    let (tier, mut findings) = evaluation.write_up(0..catalog.rules().len());
    tailoring.profile.adjust(&mut findings, options.fail_on);
    let waivers = match &tailoring.waivers {
        Some(w) => {
            let systems: Vec<&str> = ["/system/id", "/system/name"]
                .iter()
                .filter_map(|p| doc.value.pointer(p).and_then(Value::as_str))
                .collect();
            w.apply(&mut findings, &systems, options.as_of)
        }
        None => WaiverSummary::default(),
    };
    let mut assessment = finish(doc, catalog, *options, tier, findings);
    assessment.profile = tailoring.profile.info();
    assessment.waivers = waivers;
    Ok(assessment)
}

/// Validates, then assesses.
pub fn validate_and_assess(
    doc: &Document,
    catalog: &Catalog,
    options: &Options,
) -> Result<Assessment, AssessError> {
    let issues = Schema::descriptor()?.validate(doc);
    if !issues.is_empty() {
        return Err(AssessError::Invalid(issues));
    }
    Ok(assess(doc, catalog, options))
}

/// Assesses a descriptor that has passed validation: [`evaluate`], then
/// [`Evaluation::to_assessment`].
pub fn assess(doc: &Document, catalog: &Catalog, options: &Options) -> Assessment {
    evaluate(doc, catalog, options).to_assessment()
}

/// Evaluates every rule of a catalog, and the risk tier, for a descriptor that has passed
/// validation. Nothing is written up: see [`Evaluation`].
pub fn evaluate<'a>(doc: &'a Document, catalog: &'a Catalog, options: &Options) -> Evaluation<'a> {
    let mut run = Evaluator::new(doc, options.as_of);
    let tier = run.tier(&catalog.tier_model);
    let rules: Vec<RuleResult> = catalog
        .rules()
        .iter()
        .map(|rule| run.rule(rule, tier.tier, tier.highest_possible))
        .collect();
    let outcomes = || {
        catalog
            .rules()
            .iter()
            .zip(&rules)
            .map(|(rule, result)| (rule.severity, result.outcome))
    };
    let summary = count(
        outcomes()
            .map(|(severity, outcome)| (outcome, failing(outcome, severity, options.fail_on))),
    );
    let mut tally = Tally::default();
    for (severity, outcome) in outcomes() {
        tally.add(severity, outcome, false);
    }
    Evaluation {
        doc,
        catalog,
        options: *options,
        tier,
        rules,
        seen: run.seen,
        summary,
        verdict: tally.verdict(),
    }
}

/// What [`evaluate`] decides: each rule's outcome, the risk tier and the verdict, with the
/// descriptor values behind each outcome kept as references, ready to be written up.
///
/// Profiles and waivers change findings after evaluation ([`assess_with`]); an
/// `Evaluation` is the catalog as given, with no waiver.
#[derive(Debug)]
pub struct Evaluation<'a> {
    doc: &'a Document,
    catalog: &'a Catalog,
    options: Options,
    tier: TierResult,
    /// One per rule, in catalog order.
    rules: Vec<RuleResult>,
    /// The leaves that decided each factor and rule; results hold ranges of it.
    seen: Vec<Seen<'a>>,
    summary: Summary,
    verdict: Verdict,
}

impl<'a> Evaluation<'a> {
    /// The verdict, decided as for an [`Assessment`] without waivers.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// The risk tier the stated facts give.
    pub fn tier(&self) -> Tier {
        self.tier.tier
    }

    /// The risk tier if every factor the descriptor leaves open held.
    pub fn highest_possible_tier(&self) -> Tier {
        self.tier.highest_possible
    }

    /// Points from the tier factors that hold.
    pub fn tier_points(&self) -> u32 {
        self.tier.points
    }

    /// Counts of outcomes (nothing is waived), and how many reach the failure threshold.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Whether any outcome reaches the failure threshold (exit status 1).
    pub fn fails(&self) -> bool {
        self.summary.failing > 0
    }

    /// Every rule with its outcome, in catalog order (by id).
    pub fn outcomes(&self) -> impl ExactSizeIterator<Item = (&'a Rule, Outcome)> + '_ {
        self.catalog
            .rules()
            .iter()
            .zip(&self.rules)
            .map(|(rule, result)| (rule, result.outcome))
    }

    /// The catalog evaluated.
    pub fn catalog(&self) -> &'a Catalog {
        self.catalog
    }

    /// The descriptor evaluated.
    pub fn document(&self) -> &'a Document {
        self.doc
    }

    /// Writes the evaluation up as an [`Assessment`]: messages, questions and the
    /// observations behind every finding and tier factor.
    pub fn to_assessment(&self) -> Assessment {
        // Written in the order the assessment lists them, most severe first and then by
        // id (the catalog's order), so that sorting them finds nothing to move.
        let rules = self.catalog.rules();
        let order = Severity::ALL
            .into_iter()
            .flat_map(|severity| (0..rules.len()).filter(move |&i| rules[i].severity == severity));
        let (tier, findings) = self.write_up(order);
        finish(self.doc, self.catalog, self.options, tier, findings)
    }

    /// The tier and the findings, in the order of `order` (indices of rules), written up.
    fn write_up(&self, order: impl IntoIterator<Item = usize>) -> (TierAssessment, Vec<Finding>) {
        let mut writer = Writer::new(self.doc, &self.seen);
        let tier = writer.tier(&self.catalog.tier_model, &self.tier);
        let rules = self.catalog.rules();
        let mut findings = Vec::with_capacity(rules.len());
        findings.extend(
            order.into_iter().map(|i| {
                writer.finding(&rules[i], &self.rules[i], &self.tier, self.options.fail_on)
            }),
        );
        (tier, findings)
    }
}

/// Whether an outcome of a rule of this severity reaches the failure threshold.
pub(crate) fn failing(outcome: Outcome, severity: Severity, fail_on: FailOn) -> bool {
    matches!(outcome, Outcome::Gap | Outcome::Unknown) && fail_on.reached_by(severity)
}

/// Counts outcomes, each with whether it fails.
fn count(outcomes: impl Iterator<Item = (Outcome, bool)>) -> Summary {
    let mut summary = Summary::default();
    for (outcome, failing) in outcomes {
        summary.rules += 1;
        match outcome {
            Outcome::Pass => summary.pass += 1,
            Outcome::Gap => summary.gap += 1,
            Outcome::Unknown => summary.unknown += 1,
            Outcome::NotApplicable => summary.not_applicable += 1,
            Outcome::Waived => summary.waived += 1,
        }
        if failing {
            summary.failing += 1;
        }
    }
    summary
}

/// Sorts the findings, counts them and gives the verdict.
fn finish(
    doc: &Document,
    catalog: &Catalog,
    options: Options,
    tier: TierAssessment,
    mut findings: Vec<Finding>,
) -> Assessment {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule_id.cmp(&b.rule_id))
    });
    let summary = count(findings.iter().map(|f| (f.outcome, f.failing)));
    let mut tally = Tally::default();
    for f in &findings {
        tally.add(f.severity, f.outcome, f.waiver_expired_on.is_some());
    }
    let text = |p: &str| {
        lookup(&doc.value, p)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    Assessment {
        tool: ToolInfo::current(),
        as_of: options.as_of.format("%Y-%m-%d").to_string(),
        descriptor: DescriptorInfo {
            file: doc.name.clone(),
            sha256: doc.sha256.clone(),
            system_name: text("/system/name").unwrap_or_default(),
            system_version: text("/system/version"),
            brief: brief(&doc.value),
        },
        catalog: CatalogInfo::of(catalog),
        fail_on: options.fail_on,
        profile: ProfileInfo::default(),
        waivers: WaiverSummary::default(),
        tier,
        verdict: tally.verdict(),
        verdict_reason: tally.reason(),
        summary,
        findings,
    }
}

fn brief(v: &Value) -> SystemBrief {
    let text = |p: &str| lookup(v, p).and_then(Value::as_str).map(str::to_string);
    let list = |p: &str| string_items(lookup(v, p));
    SystemBrief {
        description: text("/system/description"),
        purpose: text("/purpose/summary"),
        developer: text("/roles/developer/name"),
        deployer: text("/roles/deployer/name"),
        deployer_public_authority: lookup(v, "/roles/deployer/public_authority")
            .and_then(Value::as_bool),
        decision_role: text("/purpose/decision_role"),
        sectors: list("/context/sectors"),
        people_affected: lookup(v, "/affected_people/number").and_then(Value::as_u64),
        groups_at_heightened_risk: list("/affected_people/groups_at_heightened_risk"),
    }
}

/// What the verdict is decided on: the same for an [`Evaluation`] and, after profiles and
/// waivers, for an [`Assessment`].
#[derive(Debug, Default)]
struct Tally {
    /// Red lines crossed.
    red_lines: usize,
    /// Gaps of high severity or above.
    high_gaps: usize,
    /// Open questions of high severity or above.
    open: usize,
    /// Findings waived; they do not count toward the verdict.
    waived: usize,
    /// Waivers that matched a finding but have expired.
    expired: usize,
}

impl Tally {
    fn add(&mut self, severity: Severity, outcome: Outcome, waiver_expired: bool) {
        let high = severity >= Severity::High;
        match outcome {
            Outcome::Gap if severity == Severity::Blocker => {
                self.red_lines += 1;
                self.high_gaps += 1;
            }
            Outcome::Gap if high => self.high_gaps += 1,
            Outcome::Unknown if high => self.open += 1,
            Outcome::Waived => self.waived += 1,
            _ => {}
        }
        if waiver_expired {
            self.expired += 1;
        }
    }

    fn verdict(&self) -> Verdict {
        if self.red_lines > 0 {
            Verdict::Reject
        } else if self.high_gaps + self.open > 0 {
            Verdict::Conditional
        } else {
            Verdict::Acceptable
        }
    }

    /// Why, in one sentence. It always says how many findings are waived and how many
    /// waivers have expired, when there are any.
    fn reason(&self) -> String {
        let mut reason = match self.verdict() {
            Verdict::Reject => format!("{} red line(s) crossed", self.red_lines),
            Verdict::Conditional => format!(
                "{} high-severity gap(s) and {} open question(s) on red lines or high-severity safeguards",
                self.high_gaps, self.open
            ),
            Verdict::Acceptable => {
                "no red line crossed and no high-severity gap or open question".to_string()
            }
        };
        if self.waived > 0 {
            let _ = write!(reason, "; {} finding(s) waived", self.waived);
        }
        if self.expired > 0 {
            let _ = write!(reason, "; {} waiver(s) expired", self.expired);
        }
        reason
    }
}

/// Computes the risk tier from the tier model's factors.
pub fn evaluate_tier(doc: &Document, model: &TierModel, options: &Options) -> TierAssessment {
    let mut run = Evaluator::new(doc, options.as_of);
    let result = run.tier(model);
    Writer::new(doc, &run.seen).tier(model, &result)
}

/// Evaluates one rule, given the system's tier.
pub fn evaluate_rule(
    doc: &Document,
    rule: &Rule,
    tier: &TierAssessment,
    options: &Options,
) -> Finding {
    let mut run = Evaluator::new(doc, options.as_of);
    let result = run.rule(rule, tier.tier, tier.highest_possible);
    let tier = TierResult {
        tier: tier.tier,
        highest_possible: tier.highest_possible,
        points: tier.points,
        factors: Vec::new(),
    };
    Writer::new(doc, &run.seen).finding(rule, &result, &tier, options.fail_on)
}

/// The tier, and the factors that hold or may hold.
#[derive(Debug)]
struct TierResult {
    tier: Tier,
    highest_possible: Tier,
    points: u32,
    /// Factors that hold or are unknown (not those that do not hold), in model order.
    factors: Vec<FactorResult>,
}

/// A tier factor that holds or may hold.
#[derive(Debug)]
struct FactorResult {
    /// Its index in the model.
    index: usize,
    /// `True` or `Unknown`.
    truth: Truth,
    /// The leaves that decided it.
    seen: Range<usize>,
}

/// How one rule ended, and the leaves that decided it.
#[derive(Debug)]
struct RuleResult {
    outcome: Outcome,
    /// Whether the system's tier is one the rule applies to.
    in_tier: Truth,
    /// Whether the rule applies (tier and `applies_when`).
    applies: Truth,
    /// The leaves that decided `applies_when`.
    applicability: Range<usize>,
    /// The leaves that decided `requires` (none when the rule does not apply).
    requirement: Range<usize>,
}

/// One leaf's result: what a written-up [`Observation`] is made from.
#[derive(Debug, Clone, Copy)]
struct Seen<'a> {
    leaf: &'a Leaf,
    value: Option<&'a Value>,
    truth: Truth,
    /// The truth value that would satisfy the rule (it flips under `not`).
    wanted: bool,
}

/// A child of `all` or `any` while its siblings are evaluated: its truth and its leaves.
#[derive(Debug, Clone, Copy)]
struct Child {
    truth: Truth,
    from: usize,
    to: usize,
}

/// A field's value, or that it has not been looked up yet.
#[derive(Debug, Clone, Copy)]
enum Cached<'a> {
    NotLooked,
    Looked(Option<&'a Value>),
}

/// Evaluates conditions against one descriptor, remembering each field's value so that a
/// field many rules test is looked up once.
struct Evaluator<'a> {
    root: &'a Value,
    as_of: NaiveDate,
    /// Per schema field (a leaf's `slot`): its value, once looked up.
    values: Vec<Cached<'a>>,
    /// The decisive leaves of every condition evaluated so far.
    seen: Vec<Seen<'a>>,
    /// Children of the `all`s and `any`s being evaluated, innermost last.
    children: Vec<Child>,
}

impl<'a> Evaluator<'a> {
    fn new(doc: &'a Document, as_of: NaiveDate) -> Self {
        Evaluator {
            root: &doc.value,
            as_of,
            values: vec![Cached::NotLooked; field_paths().len()],
            seen: Vec::with_capacity(512),
            children: Vec::with_capacity(16),
        }
    }

    /// The value of the schema field in `slot`, as [`lookup`] of its pointer finds it.
    fn value(&mut self, slot: usize) -> Option<&'a Value> {
        if let Cached::Looked(known) = self.values[slot] {
            return known;
        }
        let value = match &field_paths()[slot].step {
            Step::Top(key) => self.root.get(key.as_str()),
            Step::Child(section, key) => self.value(*section).and_then(|s| s.get(key.as_str())),
            Step::Pointer(pointer) => lookup(self.root, pointer),
        };
        self.values[slot] = Cached::Looked(value);
        value
    }

    /// The tier factors, then the tier they give.
    fn tier(&mut self, model: &'a TierModel) -> TierResult {
        let mut factors = Vec::new();
        let (mut points, mut floor) = (0, None);
        let (mut open_points, mut open_floor) = (0, None);
        for (index, factor) in model.factors.iter().enumerate() {
            let start = self.seen.len();
            let truth = self.eval(&factor.when, true);
            match truth {
                Truth::False => {
                    self.seen.truncate(start);
                    continue;
                }
                Truth::True => {
                    points += factor.points;
                    floor = floor.max(factor.floor);
                }
                Truth::Unknown => {
                    open_points += factor.points;
                    open_floor = open_floor.max(factor.floor);
                }
            }
            factors.push(FactorResult {
                index,
                truth,
                seen: start..self.seen.len(),
            });
        }
        TierResult {
            tier: model.tier_for(points, floor),
            highest_possible: model.tier_for(points + open_points, floor.max(open_floor)),
            points,
            factors,
        }
    }

    /// One rule, given the system's tier and the highest it could be.
    fn rule(&mut self, rule: &'a Rule, tier: Tier, highest_possible: Tier) -> RuleResult {
        let in_tier = match rule.min_tier {
            None => Truth::True,
            Some(min) if tier >= min => Truth::True,
            Some(min) if highest_possible >= min => Truth::Unknown,
            Some(_) => Truth::False,
        };
        let start = self.seen.len();
        let applies = match (&rule.applies_when, in_tier) {
            (_, Truth::False) => Truth::False,
            (Some(cond), t) => and(self.eval(cond, true), t),
            (None, t) => t,
        };
        let applicability = start..self.seen.len();
        let end = self.seen.len();
        let outcome = if applies == Truth::False {
            Outcome::NotApplicable
        } else {
            match (applies, self.eval(&rule.requires, true)) {
                (_, Truth::True) => Outcome::Pass,
                (Truth::True, Truth::False) => Outcome::Gap,
                _ => Outcome::Unknown,
            }
        };
        RuleResult {
            outcome,
            in_tier,
            applies,
            applicability,
            requirement: end..self.seen.len(),
        }
    }

    /// Evaluates a condition. `wanted` is the truth value that would satisfy the rule,
    /// which flips under `not`; it phrases the observations.
    fn eval(&mut self, cond: &'a Condition, wanted: bool) -> Truth {
        match cond {
            Condition::All(children) => self.combine(children, wanted, true),
            Condition::Any(children) => self.combine(children, wanted, false),
            Condition::Not(child) => self.eval(child, !wanted).not(),
            Condition::Leaf(leaf) => self.leaf(leaf, wanted),
        }
    }

    /// `all` (conjunction) or `any`. Only the children that decided the result keep
    /// their leaves, so a finding names what mattered and nothing else.
    fn combine(&mut self, children: &'a [Condition], wanted: bool, conjunction: bool) -> Truth {
        let start = self.seen.len();
        let first = self.children.len();
        for child in children {
            let from = self.seen.len();
            let truth = self.eval(child, wanted);
            self.children.push(Child {
                truth,
                from,
                to: self.seen.len(),
            });
        }
        let results = &self.children[first..];
        let decisive = if conjunction {
            Truth::False
        } else {
            Truth::True
        };
        let result = if results.iter().any(|c| c.truth == decisive) {
            decisive
        } else if results.iter().any(|c| c.truth == Truth::Unknown) {
            Truth::Unknown
        } else {
            decisive.not()
        };
        // Keep the leaves of children whose value equals the result: they decided it.
        let mut kept = start;
        for c in &self.children[first..] {
            if c.truth == result {
                self.seen.copy_within(c.from..c.to, kept);
                kept += c.to - c.from;
            }
        }
        self.seen.truncate(kept);
        self.children.truncate(first);
        result
    }

    fn leaf(&mut self, leaf: &'a Leaf, wanted: bool) -> Truth {
        let value = answered(self.value(leaf.slot));
        let truth = match &leaf.op {
            Op::Present => bool_truth(value.is_some()),
            Op::Absent => bool_truth(value.is_none()),
            Op::Evidenced => {
                // `evidence: []` lists no document: it backs nothing.
                let documents = leaf
                    .evidence_slot
                    .and_then(|section| self.value(section))
                    .and_then(|section| section.get("evidence"))
                    .and_then(Value::as_array)
                    .is_some_and(|items| !items.is_empty());
                bool_truth(value.is_some() && documents)
            }
            op => match value {
                None => Truth::Unknown,
                Some(v) => test(op, v, self.as_of),
            },
        };
        self.seen.push(Seen {
            leaf,
            value,
            truth,
            wanted,
        });
        truth
    }
}

fn test(op: &Op, v: &Value, as_of: NaiveDate) -> Truth {
    match op {
        Op::Equals(expected) => bool_truth(v == expected),
        Op::OneOf(options) => bool_truth(options.contains(v)),
        Op::ContainsAny(options) => match v.as_array() {
            Some(items) => bool_truth(options.iter().any(|o| items.contains(o))),
            None => Truth::Unknown,
        },
        Op::ContainsAll(options) => match v.as_array() {
            Some(items) => bool_truth(options.iter().all(|o| items.contains(o))),
            None => Truth::Unknown,
        },
        Op::Compare { comparison, value } => match v.as_f64() {
            Some(n) => bool_truth(match comparison {
                Comparison::GreaterThan => n > *value,
                Comparison::AtLeast => n >= *value,
                Comparison::LessThan => n < *value,
                Comparison::AtMost => n <= *value,
            }),
            None => Truth::Unknown,
        },
        Op::OlderThanDays(days) | Op::NewerThanDays(days) => {
            let Some(date) = v
                .as_str()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            else {
                return Truth::Unknown;
            };
            let age = (as_of - date).num_days();
            if matches!(op, Op::OlderThanDays(_)) {
                bool_truth(age > *days)
            } else {
                bool_truth(age <= *days)
            }
        }
        Op::Present | Op::Absent | Op::Evidenced => Truth::Unknown,
    }
}

/// Writes decisive leaves up as observations, and results as tier reasons and findings.
struct Writer<'a> {
    doc: &'a Document,
    seen: &'a [Seen<'a>],
    /// Per evidence section (a leaf's `evidence_slot`): its documents, once read.
    evidence: Vec<Option<Arc<[Evidence]>>>,
    /// The list of a section with no evidence, shared too.
    no_evidence: Arc<[Evidence]>,
}

impl<'a> Writer<'a> {
    fn new(doc: &'a Document, seen: &'a [Seen<'a>]) -> Self {
        Writer {
            doc,
            seen,
            evidence: Vec::new(),
            no_evidence: Arc::new([]),
        }
    }

    fn tier(&mut self, model: &TierModel, result: &TierResult) -> TierAssessment {
        let mut reasons = Vec::new();
        let mut unknown = Vec::new();
        for f in &result.factors {
            let factor = &model.factors[f.index];
            let mut observations = Vec::with_capacity(f.seen.len());
            self.observe_all(f.seen.clone(), &mut observations);
            dedup_facts(&mut observations);
            let reason = TierReason {
                id: factor.id.clone(),
                factor: factor.kind,
                reason: factor.reason.clone(),
                points: factor.points,
                floor: factor.floor,
                observations,
            };
            if f.truth == Truth::True {
                reasons.push(reason);
            } else {
                unknown.push(reason);
            }
        }
        TierAssessment {
            tier: result.tier,
            points: result.points,
            reasons,
            unknown,
            highest_possible: result.highest_possible,
        }
    }

    fn finding(
        &mut self,
        rule: &Rule,
        result: &RuleResult,
        tier: &TierResult,
        fail_on: FailOn,
    ) -> Finding {
        let outcome = result.outcome;
        // Why a rule limited to a tier does not (or may not) apply comes first among the
        // reasons it does not apply.
        let tier_note = match (rule.min_tier, result.in_tier) {
            (Some(min), Truth::False | Truth::Unknown) => {
                Some(tier_observation(min, tier, result.in_tier))
            }
            _ => None,
        };
        let mut observations = Vec::new();
        if outcome == Outcome::NotApplicable {
            observations.reserve_exact(result.applicability.len() + 1);
            observations.extend(tier_note);
            self.observe_all(result.applicability.clone(), &mut observations);
        } else {
            let with_applicability =
                result.applies == Truth::Unknown && outcome == Outcome::Unknown;
            observations.reserve_exact(
                result.requirement.len()
                    + if with_applicability {
                        result.applicability.len() + 1
                    } else {
                        0
                    },
            );
            self.observe_all(result.requirement.clone(), &mut observations);
            if with_applicability {
                observations.extend(tier_note);
                self.observe_all(result.applicability.clone(), &mut observations);
            }
        }
        dedup_facts(&mut observations);
        let message = summarise(outcome, &observations);
        let text = rule.shared();
        let question = (outcome == Outcome::Unknown).then(|| match &text.question {
            Some(q) => q.clone(),
            None => question(rule, &observations).into(),
        });
        Finding {
            rule_id: text.id.clone(),
            title: text.title.clone(),
            theme: text.theme.clone(),
            severity: rule.severity,
            outcome,
            message,
            question,
            remediation: text.remediation.clone(),
            observations,
            sources: text.sources.clone(),
            crosswalk: text.crosswalk.clone(),
            failing: failing(outcome, rule.severity, fail_on),
            waiver: None,
            waiver_expired_on: None,
        }
    }

    fn observe_all(&mut self, range: Range<usize>, out: &mut Vec<Observation>) {
        let seen = self.seen;
        out.extend(seen[range].iter().map(|s| self.observe(s)));
    }

    fn observe(&mut self, seen: &Seen<'_>) -> Observation {
        let Seen {
            leaf,
            value,
            truth,
            wanted,
        } = *seen;
        let position = self.doc.position_of(&leaf.pointer);
        let holds = truth == Truth::True;
        let expected = match truth {
            Truth::Unknown => None,
            _ if holds == wanted => None,
            _ => Some(leaf.expected(wanted).clone()),
        };
        let evidence = self.evidence(leaf);
        let support = match (value, evidence.is_empty()) {
            (None, _) => Support::NotStated,
            (Some(_), true) => Support::Claimed,
            (Some(_), false) => Support::Evidenced,
        };
        Observation {
            field: leaf.field.clone(),
            pointer: leaf.pointer.clone(),
            value: value.cloned(),
            line: position.line,
            column: position.column,
            message: fact(leaf, value),
            expected,
            support,
            evidence,
        }
    }

    /// The evidence documents of a leaf's section, read once per section.
    fn evidence(&mut self, leaf: &Leaf) -> Arc<[Evidence]> {
        let (Some(slot), Some(pointer)) = (leaf.evidence_slot, leaf.evidence_pointer.as_deref())
        else {
            return self.no_evidence.clone();
        };
        if self.evidence.is_empty() {
            self.evidence = vec![None; field_paths().len()];
        }
        if let Some(known) = &self.evidence[slot] {
            return known.clone();
        }
        let documents: Arc<[Evidence]> = match lookup(&self.doc.value, pointer)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(evidence_of).collect::<Vec<_>>())
        {
            Some(list) if !list.is_empty() => list.into(),
            _ => self.no_evidence.clone(),
        };
        self.evidence[slot] = Some(documents.clone());
        documents
    }
}

/// What a leaf found, in plain words: "`field` is `value`".
fn fact(leaf: &Leaf, value: Option<&Value>) -> String {
    let mut out = String::with_capacity(leaf.field.len() + 80);
    out.push('`');
    out.push_str(&leaf.field);
    out.push('`');
    match value {
        None => out.push_str(" is not stated"),
        Some(v) => match (&leaf.op, v) {
            (Op::ContainsAny(_) | Op::ContainsAll(_), Value::Array(items)) if items.is_empty() => {
                out.push_str(" lists none");
            }
            (_, Value::Array(items)) => {
                out.push_str(" lists ");
                write_list_values(&mut out, items);
            }
            _ => {
                out.push_str(" is ");
                write_description(&mut out, v);
            }
        },
    }
    out
}

fn summarise(outcome: Outcome, observations: &[Observation]) -> String {
    // A requirement that should hold is always spelled out. "It should not" is spelled
    // out only when one value alone decided the finding; where several values together
    // describe a ruled-out use, the facts read better without it.
    let alone = observations.len() == 1;
    let spelled_out =
        |e: &str| alone || e.starts_with("it should ") && !e.starts_with("it should not");
    let mut out;
    match outcome {
        Outcome::Pass => return "met".to_string(),
        Outcome::NotApplicable => {
            out = String::from("does not apply: ");
            for (i, o) in observations.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                out.push_str(&o.message);
            }
        }
        Outcome::Gap | Outcome::Unknown | Outcome::Waived => {
            out = String::with_capacity(observations.iter().map(|o| o.message.len() + 40).sum());
            for (i, o) in observations.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                out.push_str(&o.message);
                if let Some(e) = o.expected.as_deref().filter(|e| spelled_out(e)) {
                    out.push_str("; ");
                    out.push_str(e);
                }
            }
        }
    }
    out
}

/// The question for a rule that does not write its own: what the schema asks about each
/// field left unstated.
fn question(rule: &Rule, observations: &[Observation]) -> String {
    let fields = descriptor_fields();
    let asks: Vec<String> = observations
        .iter()
        .filter(|o| o.value.is_none())
        .filter_map(|o| fields.get(&*o.field).map(|f| f.description.clone()))
        .filter(|d| !d.is_empty())
        .collect();
    if asks.is_empty() {
        format!("Please show how the system meets this: {}", rule.title)
    } else {
        asks.join(" ")
    }
}

/// [`Value::pointer`] without its cost: `serde_json` allocates two strings per segment to
/// unescape `~0` and `~1`. The pointers here are built from dotted field names and hold no
/// `~`; one that does takes the exact RFC 6901 path.
fn lookup<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.contains('~') {
        return root.pointer(pointer);
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return pointer.is_empty().then_some(root);
    };
    rest.split('/')
        .try_fold(root, |target, token| match target {
            Value::Object(map) => map.get(token),
            // RFC 6901 indices: digits only, no leading zero.
            Value::Array(items) if token == "0" || !token.starts_with(['0', '+']) => {
                token.parse::<usize>().ok().and_then(|i| items.get(i))
            }
            _ => None,
        })
}

/// Whether a value counts as an answer: not null, not blank text, not an empty section.
/// An empty list is an answer ("none"), so `monitored_groups: []` is a statement.
fn answered(v: Option<&Value>) -> Option<&Value> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::Object(o)) if o.is_empty() => None,
        Some(v) => Some(v),
    }
}

fn evidence_of(item: &Value) -> Option<Evidence> {
    let text = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_string);
    Some(Evidence {
        title: text("title")?,
        link: text("link"),
        file: text("file"),
        date: text("date"),
        verified_by: text("verified_by"),
    })
}

/// Appends the first items of a list, each quoted, and how many more there are.
fn write_list_values(out: &mut String, items: &[Value]) {
    const SHOWN: usize = 8;
    for (i, v) in items.iter().take(SHOWN).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('`');
        write_plain(out, v);
        out.push('`');
    }
    if items.len() > SHOWN {
        let _ = write!(out, ", and {} more", items.len() - SHOWN);
    }
}

/// Two tests of one field (`at_least` and `less_than`) state the same fact once; a test
/// that says what was expected instead is kept.
fn dedup_facts(observations: &mut Vec<Observation>) {
    observations.dedup_by(|later, earlier| {
        later.pointer == earlier.pointer
            && later.message == earlier.message
            && later.expected.is_none()
    });
}

fn and(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::False, _) | (_, Truth::False) => Truth::False,
        (Truth::True, Truth::True) => Truth::True,
        _ => Truth::Unknown,
    }
}

/// Why a rule limited to a tier does not (or may not) apply.
fn tier_observation(min: Tier, tier: &TierResult, in_tier: Truth) -> Observation {
    let message = if in_tier == Truth::False {
        format!(
            "the rule applies from risk tier `{min}`; this system is `{}`",
            tier.tier
        )
    } else {
        format!(
            "the rule applies from risk tier `{min}`; this system is `{}` on what the descriptor states, and could be `{}` on what it leaves open",
            tier.tier, tier.highest_possible
        )
    };
    Observation {
        field: "risk tier".into(),
        pointer: "".into(),
        value: Some(Value::String(tier.tier.as_str().to_string())),
        line: 0,
        column: 0,
        message,
        expected: None,
        support: Support::Claimed,
        evidence: Arc::new([]),
    }
}

fn bool_truth(b: bool) -> Truth {
    if b { Truth::True } else { Truth::False }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::document::Format;
    use crate::rules::builtin_fixtures;

    fn options(fail_on: FailOn) -> Options {
        Options {
            as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            fail_on,
        }
    }

    /// Every example descriptor and every rule fixture of the built-in catalog.
    fn descriptors() -> Vec<Document> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut docs: Vec<Document> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().is_some_and(|n| n != "waivers.yaml"))
            .map(|p| Document::from_path(&p).unwrap())
            .collect();
        docs.extend(builtin_fixtures().map(|(name, text)| {
            Document::from_bytes(name, text.as_bytes(), Format::from_name(name)).unwrap()
        }));
        assert!(docs.len() > 300, "only {} descriptors", docs.len());
        docs
    }

    #[test]
    fn evaluation_agrees_with_the_assessment_written_from_it() {
        let catalog = Catalog::builtin().unwrap();
        let mut verdicts = std::collections::BTreeSet::new();
        for doc in descriptors() {
            for fail_on in [FailOn::High, FailOn::Low] {
                let options = options(fail_on);
                let evaluation = evaluate(&doc, catalog, &options);
                let assessment = assess(&doc, catalog, &options);
                let name = &doc.name;
                assert_eq!(evaluation.verdict(), assessment.verdict, "{name}");
                assert_eq!(evaluation.tier(), assessment.tier.tier, "{name}");
                assert_eq!(
                    evaluation.highest_possible_tier(),
                    assessment.tier.highest_possible,
                    "{name}"
                );
                assert_eq!(evaluation.tier_points(), assessment.tier.points, "{name}");
                assert_eq!(evaluation.fails(), assessment.fails(), "{name}");
                let counts = |s: &Summary| {
                    [
                        s.rules,
                        s.pass,
                        s.gap,
                        s.unknown,
                        s.not_applicable,
                        s.waived,
                        s.failing,
                    ]
                };
                assert_eq!(
                    counts(evaluation.summary()),
                    counts(&assessment.summary),
                    "{name}"
                );
                assert_eq!(evaluation.outcomes().len(), assessment.findings.len());
                for (rule, outcome) in evaluation.outcomes() {
                    let finding = assessment
                        .findings
                        .iter()
                        .find(|f| *f.rule_id == *rule.id)
                        .unwrap();
                    assert_eq!(outcome, finding.outcome, "{name}: {}", rule.id);
                }
                verdicts.insert(evaluation.verdict().as_str());
            }
        }
        // The descriptors reach every verdict, so each branch is compared.
        assert_eq!(verdicts.len(), 3, "{verdicts:?}");
    }

    #[test]
    fn one_rule_alone_is_evaluated_as_in_the_whole_catalog() {
        let catalog = Catalog::builtin().unwrap();
        let options = options(FailOn::High);
        for doc in descriptors().iter().take(40) {
            let assessment = assess(doc, catalog, &options);
            let tier = evaluate_tier(doc, &catalog.tier_model, &options);
            assert_eq!(
                serde_json::to_value(&tier).unwrap(),
                serde_json::to_value(&assessment.tier).unwrap()
            );
            for rule in catalog.rules() {
                let alone = evaluate_rule(doc, rule, &tier, &options);
                let within = assessment
                    .findings
                    .iter()
                    .find(|f| f.rule_id == alone.rule_id)
                    .unwrap();
                assert_eq!(
                    serde_json::to_value(&alone).unwrap(),
                    serde_json::to_value(within).unwrap()
                );
            }
        }
    }

    #[test]
    fn every_schema_field_is_reached_through_its_section() {
        let paths = field_paths();
        assert_eq!(paths.len(), descriptor_fields().len());
        for path in paths {
            match &path.step {
                Step::Top(key) => assert_eq!(*key, path.name),
                Step::Child(section, key) => {
                    assert_eq!(format!("{}.{key}", paths[*section].name), path.name);
                }
                Step::Pointer(_) => panic!("`{}` has no section field", path.name),
            }
        }
    }

    #[test]
    fn cached_field_values_are_those_of_their_pointers() {
        for doc in descriptors().iter().take(40) {
            let mut run = Evaluator::new(doc, NaiveDate::MIN);
            for (slot, path) in field_paths().iter().enumerate() {
                let pointer = format!("/{}", path.name.replace('.', "/"));
                assert_eq!(run.value(slot), lookup(&doc.value, &pointer), "{pointer}");
            }
        }
    }
}
