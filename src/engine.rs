//! Evaluates a descriptor against a catalog, producing one [`Assessment`].
//!
//! Conditions use three-valued logic: a field the descriptor does not state is *unknown*,
//! never silently true or false, so that silence becomes a question and not a pass.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde_json::Value;

use crate::assessment::{
    Assessment, CatalogInfo, DescriptorInfo, Evidence, FailOn, Finding, Observation, Outcome,
    ProfileInfo, Summary, Support, SystemBrief, TierAssessment, TierReason, ToolInfo, Verdict,
    WaiverSummary,
};
use crate::document::Document;
use crate::profile::{Profile, ProfileError};
use crate::rules::{Catalog, Comparison, Condition, Leaf, Op, Rule, Severity, Tier, TierModel};
use crate::schema::{Issue, Schema, SchemaError, describe_value, descriptor_fields, string_items};
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
    let tailored = tailoring.profile.tailor(catalog)?;
    if let Some(waivers) = &tailoring.waivers {
        waivers.check_blockers(&tailored)?;
    }
    let tier = evaluate_tier(doc, &tailored.tier_model, options);
    let mut findings = evaluate_all(doc, &tailored, &tier, *options);
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
    let mut assessment = finish(doc, &tailored, *options, tier, findings);
    assessment.profile = tailoring.profile.info();
    assessment.waivers = waivers;
    Ok(assessment)
}

fn evaluate_all(
    doc: &Document,
    catalog: &Catalog,
    tier: &TierAssessment,
    options: Options,
) -> Vec<Finding> {
    catalog
        .rules()
        .iter()
        .map(|rule| evaluate_rule(doc, rule, tier, &options))
        .collect()
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

/// Assesses a descriptor that has passed validation.
pub fn assess(doc: &Document, catalog: &Catalog, options: &Options) -> Assessment {
    let tier = evaluate_tier(doc, &catalog.tier_model, options);
    let findings = evaluate_all(doc, catalog, &tier, *options);
    finish(doc, catalog, *options, tier, findings)
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

    let mut summary = Summary {
        rules: findings.len(),
        ..Summary::default()
    };
    for f in &findings {
        match f.outcome {
            Outcome::Pass => summary.pass += 1,
            Outcome::Gap => summary.gap += 1,
            Outcome::Unknown => summary.unknown += 1,
            Outcome::NotApplicable => summary.not_applicable += 1,
            Outcome::Waived => summary.waived += 1,
        }
        if f.failing {
            summary.failing += 1;
        }
    }
    let (verdict, verdict_reason) = verdict(&findings);
    let text = |p: &str| {
        lookup(&doc.value, p)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    Assessment {
        tool: ToolInfo {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        as_of: options.as_of.format("%Y-%m-%d").to_string(),
        descriptor: DescriptorInfo {
            file: doc.name.clone(),
            sha256: doc.sha256.clone(),
            system_name: text("/system/name").unwrap_or_default(),
            system_version: text("/system/version"),
            brief: brief(&doc.value),
        },
        catalog: CatalogInfo {
            origins: catalog.origins.clone(),
            rules: catalog.rules().len(),
            sha256: catalog.sha256.clone(),
        },
        fail_on: options.fail_on,
        profile: ProfileInfo::default(),
        waivers: WaiverSummary::default(),
        tier,
        verdict,
        verdict_reason,
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

/// The verdict, and why. Waived findings do not count toward it, but the reason always
/// says how many there are, and how many waivers have expired.
fn verdict(findings: &[Finding]) -> (Verdict, String) {
    let (verdict, mut reason) = open_verdict(findings);
    let waived = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Waived)
        .count();
    let expired = findings
        .iter()
        .filter(|f| f.waiver_expired_on.is_some())
        .count();
    if waived > 0 {
        let _ = write!(reason, "; {waived} finding(s) waived");
    }
    if expired > 0 {
        let _ = write!(reason, "; {expired} waiver(s) expired");
    }
    (verdict, reason)
}

fn open_verdict(findings: &[Finding]) -> (Verdict, String) {
    let count = |pred: &dyn Fn(&Finding) -> bool| findings.iter().filter(|f| pred(f)).count();
    let red_lines = count(&|f| f.severity == Severity::Blocker && f.outcome == Outcome::Gap);
    if red_lines > 0 {
        return (Verdict::Reject, format!("{red_lines} red line(s) crossed"));
    }
    let high_gaps = count(&|f| f.severity >= Severity::High && f.outcome == Outcome::Gap);
    let open = count(&|f| f.severity >= Severity::High && f.outcome == Outcome::Unknown);
    if high_gaps + open > 0 {
        return (
            Verdict::Conditional,
            format!(
                "{high_gaps} high-severity gap(s) and {open} open question(s) on red lines or high-severity safeguards"
            ),
        );
    }
    (
        Verdict::Acceptable,
        "no red line crossed and no high-severity gap or open question".to_string(),
    )
}

/// Computes the risk tier from the tier model's factors.
pub fn evaluate_tier(doc: &Document, model: &TierModel, options: &Options) -> TierAssessment {
    let mut ctx = Eval {
        doc,
        as_of: options.as_of,
        observations: Vec::new(),
    };
    let mut reasons = Vec::new();
    let mut unknown = Vec::new();
    for factor in &model.factors {
        let truth = ctx.eval(&factor.when, true);
        let pending = std::mem::take(&mut ctx.observations);
        if truth == Truth::False {
            continue;
        }
        let mut observations = ctx.materialise(pending);
        dedup_facts(&mut observations);
        let reason = TierReason {
            id: factor.id.clone(),
            factor: factor.kind,
            reason: factor.reason.clone(),
            points: factor.points,
            floor: factor.floor,
            observations,
        };
        match truth {
            Truth::True => reasons.push(reason),
            Truth::Unknown => unknown.push(reason),
            Truth::False => {}
        }
    }
    let sum = |list: &[TierReason]| list.iter().map(|r| r.points).sum::<u32>();
    let floor = |list: &[TierReason]| list.iter().filter_map(|r| r.floor).max();
    let points = sum(&reasons);
    let tier = model.tier_for(points, floor(&reasons));
    let highest_possible =
        model.tier_for(points + sum(&unknown), floor(&reasons).max(floor(&unknown)));
    TierAssessment {
        tier,
        points,
        reasons,
        unknown,
        highest_possible,
    }
}

/// Evaluates one rule, given the system's tier.
pub fn evaluate_rule(
    doc: &Document,
    rule: &Rule,
    tier: &TierAssessment,
    options: &Options,
) -> Finding {
    let mut ctx = Eval {
        doc,
        as_of: options.as_of,
        observations: Vec::new(),
    };
    let in_tier = match rule.min_tier {
        None => Truth::True,
        Some(min) if tier.tier >= min => Truth::True,
        Some(min) if tier.highest_possible >= min => Truth::Unknown,
        Some(_) => Truth::False,
    };
    let applies = match (&rule.applies_when, in_tier) {
        (_, Truth::False) => Truth::False,
        (Some(cond), t) => and(ctx.eval(cond, true), t),
        (None, t) => t,
    };
    let pending = std::mem::take(&mut ctx.observations);
    let mut applicability = ctx.materialise(pending);
    if let (Some(min), Truth::False | Truth::Unknown) = (rule.min_tier, in_tier) {
        applicability.insert(0, tier_observation(min, tier, in_tier));
    }
    let (outcome, observations) = if applies == Truth::False {
        (Outcome::NotApplicable, applicability)
    } else {
        let requires = ctx.eval(&rule.requires, true);
        let pending = std::mem::take(&mut ctx.observations);
        let observations = ctx.materialise(pending);
        let outcome = match (applies, requires) {
            (_, Truth::True) => Outcome::Pass,
            (Truth::True, Truth::False) => Outcome::Gap,
            _ => Outcome::Unknown,
        };
        let mut observations = observations;
        if applies == Truth::Unknown && outcome == Outcome::Unknown {
            observations.extend(applicability);
        }
        (outcome, observations)
    };
    let mut observations = observations;
    dedup_facts(&mut observations);
    let message = summarise(outcome, &observations);
    let question = (outcome == Outcome::Unknown).then(|| question(rule, &observations));
    Finding {
        rule_id: rule.id.clone(),
        title: rule.title.clone(),
        theme: rule.theme.clone(),
        severity: rule.severity,
        outcome,
        message,
        question,
        remediation: rule.remediation.clone(),
        observations,
        sources: rule.sources.clone(),
        crosswalk: rule.crosswalk.clone(),
        failing: matches!(outcome, Outcome::Gap | Outcome::Unknown)
            && options.fail_on.reached_by(rule.severity),
        waiver: None,
        waiver_expired_on: None,
    }
}

fn summarise(outcome: Outcome, observations: &[Observation]) -> String {
    // A requirement that should hold is always spelled out. "It should not" is spelled
    // out only when one value alone decided the finding; where several values together
    // describe a ruled-out use, the facts read better without it.
    let alone = observations.len() == 1;
    let joined = || {
        observations
            .iter()
            .map(|o| match &o.expected {
                Some(e)
                    if alone || e.starts_with("it should ") && !e.starts_with("it should not") =>
                {
                    format!("{}; {e}", o.message)
                }
                _ => o.message.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    match outcome {
        Outcome::Pass => "met".to_string(),
        Outcome::NotApplicable => {
            let facts: Vec<&str> = observations.iter().map(|o| o.message.as_str()).collect();
            format!("does not apply: {}", facts.join("; "))
        }
        Outcome::Gap | Outcome::Unknown | Outcome::Waived => joined(),
    }
}

fn question(rule: &Rule, observations: &[Observation]) -> String {
    if let Some(q) = &rule.question {
        return q.clone();
    }
    let fields = descriptor_fields();
    let asks: Vec<String> = observations
        .iter()
        .filter(|o| o.value.is_none())
        .filter_map(|o| fields.get(&o.field).map(|f| f.description.clone()))
        .filter(|d| !d.is_empty())
        .collect();
    if asks.is_empty() {
        format!("Please show how the system meets this: {}", rule.title)
    } else {
        asks.join(" ")
    }
}

struct Eval<'a> {
    doc: &'a Document,
    as_of: NaiveDate,
    /// What each leaf saw, kept cheap: `combine` drops most of them, so the messages,
    /// value copies and evidence lists are built only for those kept (`materialise`).
    observations: Vec<Pending<'a>>,
}

/// One leaf's result, before it is written up as an [`Observation`].
#[derive(Clone, Copy)]
struct Pending<'a> {
    leaf: &'a Leaf,
    value: Option<&'a Value>,
    truth: Truth,
    wanted: bool,
}

/// [`Value::pointer`] without its cost: `serde_json` allocates two strings per segment to
/// unescape `~0` and `~1`, which made it the largest single cost of an assessment. The
/// pointers here are built from dotted field names and hold no `~`; one that does takes
/// the exact RFC 6901 path.
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

impl<'a> Eval<'a> {
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
    /// their observations, so a finding names what mattered and nothing else.
    fn combine(&mut self, children: &'a [Condition], wanted: bool, conjunction: bool) -> Truth {
        let start = self.observations.len();
        let mut results = Vec::with_capacity(children.len());
        for child in children {
            let from = self.observations.len();
            let t = self.eval(child, wanted);
            results.push((t, from, self.observations.len()));
        }
        let decisive = if conjunction {
            Truth::False
        } else {
            Truth::True
        };
        let result = if results.iter().any(|r| r.0 == decisive) {
            decisive
        } else if results.iter().any(|r| r.0 == Truth::Unknown) {
            Truth::Unknown
        } else {
            decisive.not()
        };
        // Keep the observations of children whose value equals the result: they decided it.
        let all = self.observations.split_off(start);
        for (t, from, to) in results {
            if t == result {
                self.observations
                    .extend_from_slice(&all[from - start..to - start]);
            }
        }
        result
    }

    fn leaf(&mut self, leaf: &'a Leaf, wanted: bool) -> Truth {
        let raw = lookup(&self.doc.value, &leaf.pointer);
        let value = answered(raw);
        let truth = match &leaf.op {
            Op::Present => bool_truth(value.is_some()),
            Op::Absent => bool_truth(value.is_none()),
            Op::Evidenced => {
                // `evidence: []` lists no document: it backs nothing.
                let documents = leaf
                    .evidence_pointer
                    .as_deref()
                    .and_then(|p| lookup(&self.doc.value, p))
                    .and_then(Value::as_array)
                    .is_some_and(|items| !items.is_empty());
                bool_truth(value.is_some() && documents)
            }
            op => match value {
                None => Truth::Unknown,
                Some(v) => self.test(op, v),
            },
        };
        self.observations.push(Pending {
            leaf,
            value,
            truth,
            wanted,
        });
        truth
    }

    fn test(&self, op: &Op, v: &Value) -> Truth {
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
                let age = (self.as_of - date).num_days();
                if matches!(op, Op::OlderThanDays(_)) {
                    bool_truth(age > *days)
                } else {
                    bool_truth(age <= *days)
                }
            }
            Op::Present | Op::Absent | Op::Evidenced => Truth::Unknown,
        }
    }

    fn materialise(&self, pending: Vec<Pending<'a>>) -> Vec<Observation> {
        pending.into_iter().map(|p| self.observe(p)).collect()
    }

    fn observe(&self, pending: Pending<'a>) -> Observation {
        let Pending {
            leaf,
            value,
            truth,
            wanted,
        } = pending;
        let position = self.doc.position_of(&leaf.pointer);
        let fact = match value {
            None => format!("`{}` is not stated", leaf.field),
            Some(v) => match (&leaf.op, v) {
                (Op::ContainsAny(_) | Op::ContainsAll(_), Value::Array(items))
                    if items.is_empty() =>
                {
                    format!("`{}` lists none", leaf.field)
                }
                (_, Value::Array(items)) => {
                    format!("`{}` lists {}", leaf.field, list_values(items))
                }
                _ => format!("`{}` is {}", leaf.field, describe_value(v)),
            },
        };
        let holds = truth == Truth::True;
        let expected = match truth {
            Truth::Unknown => None,
            _ if holds == wanted => None,
            _ if wanted => Some(format!("it should {}", leaf.op.expectation())),
            _ => Some(format!("it should not {}", leaf.op.expectation())),
        };
        let evidence = leaf
            .evidence_pointer
            .as_deref()
            .and_then(|p| lookup(&self.doc.value, p))
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(evidence_of).collect::<Vec<_>>())
            .unwrap_or_default();
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
            message: fact,
            expected,
            support,
            evidence,
        }
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

fn list_values(items: &[Value]) -> String {
    const SHOWN: usize = 8;
    let mut parts: Vec<String> = items
        .iter()
        .take(SHOWN)
        .map(|v| format!("`{}`", crate::rules::plain(v)))
        .collect();
    if items.len() > SHOWN {
        parts.push(format!("and {} more", items.len() - SHOWN));
    }
    parts.join(", ")
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
fn tier_observation(min: Tier, tier: &TierAssessment, in_tier: Truth) -> Observation {
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
        field: "risk tier".to_string(),
        pointer: String::new(),
        value: Some(Value::String(tier.tier.as_str().to_string())),
        line: 0,
        column: 0,
        message,
        expected: None,
        support: Support::Claimed,
        evidence: Vec::new(),
    }
}

fn bool_truth(b: bool) -> Truth {
    if b { Truth::True } else { Truth::False }
}
