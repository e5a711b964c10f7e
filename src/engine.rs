//! Evaluates descriptors against a catalog: the one way in is [`Engine`].
//!
//! Conditions use three-valued logic ([`Truth`]): a field the descriptor does not answer
//! is *unknown* to every test, never silently true or false, so that silence becomes a
//! question and not a pass or a gap. A field the descriptor's source never asks
//! (`source.not_asked`) ends apart, as *not asked*.
//!
//! [`Engine::new`] tailors the catalog by the profile once. [`Engine::evaluate`] then
//! decides, for one descriptor, the impact level, every rule's outcome as the profile
//! reads it and the waivers accept it, the counts and the verdict, once, and keeps the
//! descriptor values behind each as references: no text is written.
//! [`Evaluation::to_assessment`] writes it up as the [`Assessment`] every report renders.
//! [`Engine::assess`] does all three after validating the descriptor.

mod eval;
mod write;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde_json::Value;

pub use eval::Truth;

use crate::assessment::{
    Assessment, FailOn, Outcome, Summary, UnusedWaiver, Verdict, WaiverSummary,
};
use crate::document::Document;
use crate::profile::{Profile, ProfileError};
use crate::rules::{Catalog, Leaf, Level, Rule, Severity};
use crate::schema::{Issue, Schema, SchemaError};
use crate::text::count;
use crate::waivers::{WaiverError, Waivers};
use eval::{Evaluator, LevelResult, Seen};

/// Settings of one assessment.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The date ages are computed from.
    pub as_of: NaiveDate,
    /// Failure threshold.
    pub fail_on: FailOn,
}

/// Why a descriptor could not be assessed.
#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    /// The descriptor does not follow the schema.
    #[error("the descriptor has {}", crate::text::count(.0.len(), "mistake", "mistakes"))]
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

impl crate::diagnostic::Diagnostic for AssessError {
    fn help(&self) -> Option<String> {
        match self {
            AssessError::Invalid(_) => Some(
                "fix them and run again; `rightscheck validate FILE` checks the file alone"
                    .to_string(),
            ),
            AssessError::Schema(e) => crate::diagnostic::Diagnostic::help(e),
            AssessError::Profile(e) => crate::diagnostic::Diagnostic::help(e),
            AssessError::Waiver(e) => crate::diagnostic::Diagnostic::help(e),
        }
    }

    fn location(&self) -> Option<crate::diagnostic::Location> {
        match self {
            AssessError::Invalid(issues) => issues.first().and_then(Issue::location),
            AssessError::Schema(_) => None,
            AssessError::Profile(e) => e.location(),
            AssessError::Waiver(e) => e.location(),
        }
    }
}

/// How the catalog is tailored and which exceptions are accepted.
#[derive(Debug, Clone, Default)]
pub struct Tailoring {
    /// The profile (the catalog as written when not chosen).
    pub profile: Profile,
    /// The waivers, when a file is given.
    pub waivers: Option<Waivers>,
}

/// A catalog made ready to assess descriptors: tailored by the profile once, with the
/// profile's reading of outcomes and the waivers.
#[derive(Debug)]
pub struct Engine<'c> {
    catalog: Cow<'c, Catalog>,
    tailoring: &'c Tailoring,
}

impl<'c> Engine<'c> {
    /// Tailors the catalog by the profile and checks the waivers against it (a red line
    /// cannot be waived).
    pub fn new(catalog: &'c Catalog, tailoring: &'c Tailoring) -> Result<Engine<'c>, AssessError> {
        let catalog = if tailoring.profile.tailors_catalog() {
            Cow::Owned(tailoring.profile.tailor(catalog)?)
        } else {
            Cow::Borrowed(catalog)
        };
        if let Some(waivers) = &tailoring.waivers {
            waivers.check_blockers(&catalog)?;
        }
        Ok(Engine { catalog, tailoring })
    }

    /// The catalog as written, read with no profile and no waiver.
    pub fn plain(catalog: &'c Catalog) -> Engine<'c> {
        static AS_WRITTEN: OnceLock<Tailoring> = OnceLock::new();
        Engine {
            catalog: Cow::Borrowed(catalog),
            tailoring: AS_WRITTEN.get_or_init(Tailoring::default),
        }
    }

    /// The catalog, as the profile tailors it.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The profile.
    pub fn profile(&self) -> &Profile {
        &self.tailoring.profile
    }

    /// Validates a descriptor, evaluates it and writes the evaluation up.
    pub fn assess(&self, doc: &Document, options: &Options) -> Result<Assessment, AssessError> {
        let issues = Schema::descriptor()?.validate(doc)?;
        if !issues.is_empty() {
            return Err(AssessError::Invalid(issues));
        }
        Ok(self.evaluate(doc, options).to_assessment())
    }

    /// Evaluates a descriptor that has passed validation: the level, each rule's outcome
    /// as the profile reads it and the waivers accept it, the counts and the verdict.
    pub fn evaluate<'a>(&'a self, doc: &'a Document, options: &Options) -> Evaluation<'a> {
        let catalog: &'a Catalog = &self.catalog;
        let profile = &self.tailoring.profile;
        let mut run = Evaluator::new(doc, options.as_of);
        let level = run.level(&catalog.level_model);
        let mut evidence = EvidenceCache::new(doc, options.as_of, profile);
        let mut rules: Vec<RuleResult> = catalog
            .rules()
            .iter()
            .map(|rule| {
                let mut result = decide(&mut run, rule, &level);
                read_as_profile(profile, &mut result, &run.seen, &mut evidence);
                result
            })
            .collect();
        let waivers = match &self.tailoring.waivers {
            Some(w) => apply_waivers(w, catalog, &mut rules, doc, options.as_of),
            None => WaiverSummary::default(),
        };
        let mut summary = Summary::default();
        let mut tally = Tally::default();
        for r in &mut rules {
            r.failing = failing(r.outcome, r.severity, options.fail_on);
            summary.count(r.outcome, r.failing);
            tally.add(
                r.severity,
                r.outcome,
                matches!(r.waiver, Some(WaiverMark::Expired(_))),
            );
        }
        Evaluation {
            engine: self,
            doc,
            options: *options,
            level,
            rules,
            seen: run.seen,
            unasked: run.unasked,
            summary,
            tally,
            waivers,
        }
    }
}

/// What [`Engine::evaluate`] decides: the impact level, each rule's outcome, the counts and
/// the verdict, with the descriptor values behind each kept as references, ready to be
/// written up.
#[derive(Debug)]
pub struct Evaluation<'a> {
    engine: &'a Engine<'a>,
    doc: &'a Document,
    options: Options,
    level: LevelResult,
    /// One per rule, in catalog order.
    rules: Vec<RuleResult>,
    /// The leaves that decided each factor and rule; results hold ranges of it.
    seen: Vec<Seen<'a>>,
    /// By field slot, whether the descriptor's source never asked it (`source.not_asked`);
    /// empty when it lists nothing.
    unasked: Vec<bool>,
    summary: Summary,
    tally: Tally,
    waivers: WaiverSummary,
}

/// One rule's outcome, as [`Evaluation::outcomes`] lists it.
#[derive(Debug, Clone, Copy)]
pub struct RuleOutcome<'a> {
    /// The rule.
    pub rule: &'a Rule,
    /// Its outcome.
    pub outcome: Outcome,
    /// Its severity at the system's level.
    pub severity: Severity,
    /// Whether it reaches the failure threshold.
    pub failing: bool,
    /// A gap only because the profile counts an unanswered question as one: no answer
    /// shows it.
    pub blank_as_gap: bool,
}

impl<'a> Evaluation<'a> {
    /// Whether the descriptor's source never asked the schema field in `slot` (a leaf's
    /// `slot`): `source.not_asked` lists it or its section.
    pub(crate) fn never_asked(&self, slot: usize) -> bool {
        self.unasked.get(slot).copied().unwrap_or(false)
    }

    /// The verdict.
    pub fn verdict(&self) -> Verdict {
        self.tally.verdict()
    }

    /// The level: `prohibited` when a red line is crossed, else the impact level.
    pub fn level(&self) -> Level {
        if self.tally.red_lines > 0 {
            Level::Prohibited
        } else {
            self.level.level
        }
    }

    /// The impact level the stated facts give (I to IV), red lines aside.
    pub fn impact_level(&self) -> Level {
        self.level.level
    }

    /// The impact level if every factor the descriptor leaves open held.
    pub fn highest_possible_level(&self) -> Level {
        self.level.highest_possible
    }

    /// Points from the level model.
    pub fn points(&self) -> u32 {
        self.level.points
    }

    /// Counts of outcomes, and how many reach the failure threshold.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Whether any outcome reaches the failure threshold (exit status 1).
    pub fn fails(&self) -> bool {
        self.summary.failing > 0
    }

    /// Every rule with its outcome, in catalog order (by id).
    pub fn outcomes(&self) -> impl ExactSizeIterator<Item = RuleOutcome<'a>> + '_ {
        let catalog: &'a Catalog = &self.engine.catalog;
        catalog
            .rules()
            .iter()
            .zip(&self.rules)
            .map(|(rule, r)| RuleOutcome {
                rule,
                outcome: r.outcome,
                severity: r.severity,
                failing: r.failing,
                blank_as_gap: r.reading == Reading::UnknownAsGap,
            })
    }

    /// The catalog evaluated, as the profile tailors it.
    pub fn catalog(&self) -> &'a Catalog {
        &self.engine.catalog
    }

    /// The descriptor evaluated.
    pub fn document(&self) -> &'a Document {
        self.doc
    }

    /// Writes the evaluation up as an [`Assessment`]: messages, questions and the
    /// observations behind every finding and level factor.
    pub fn to_assessment(&self) -> Assessment {
        write::assessment(self)
    }
}

/// A profile's reading of one outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// As the rule gave it.
    AsEvaluated,
    /// An open question the profile counts as a gap.
    UnknownAsGap,
    /// A pass the profile counts as a gap: the stated values are only claimed. `stale`
    /// when the section's documents are all older than the profile's freshness limit.
    ClaimedWithoutEvidence { stale: bool },
}

/// What a waiver did to one outcome: an index into the waivers file's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WaiverMark {
    /// The waiver accepts the finding.
    Applied(usize, Outcome),
    /// A waiver matched but has expired: the finding stays open.
    Expired(usize),
}

/// How one rule ended, and the leaves that decided it.
#[derive(Debug)]
struct RuleResult {
    outcome: Outcome,
    /// Severity at the system's level (or, when the rule may not apply at it, at the
    /// level it applies from).
    severity: Severity,
    failing: bool,
    /// Whether the system's level is one the rule applies at.
    in_level: Truth,
    /// Whether the rule applies (level and `applies_when`).
    applies: Truth,
    /// The leaves that decided `applies_when`.
    applicability: Range<usize>,
    /// The leaves that decided `requires` (none when the rule does not apply).
    requirement: Range<usize>,
    reading: Reading,
    waiver: Option<WaiverMark>,
}

/// One rule, given the system's level.
///
/// A rule applies from its level up, on the level the stated facts give; the level's own
/// open factors are the questions that could raise it. A red line is crossed whenever the
/// descriptor states the use it rules out, whatever its applicability says: its
/// `applies_when` only decides whether an unanswered red line is worth a question.
fn decide<'a>(run: &mut Evaluator<'a>, rule: &'a Rule, level: &LevelResult) -> RuleResult {
    let in_level = match rule.applies_from {
        Some(from) if level.level < from => Truth::False,
        _ => Truth::True,
    };
    let start = run.seen.len();
    let applies = match (&rule.applies_when, in_level) {
        (_, Truth::False) => Truth::False,
        (Some(cond), t) => run.eval(cond, true).and(t),
        (None, t) => t,
    };
    let applicability = start..run.seen.len();
    let end = run.seen.len();
    let red_line = rule.severity.is_blocker();
    let outcome = if applies == Truth::False && !red_line {
        Outcome::NotApplicable
    } else {
        outcome_of(red_line, applies, run.eval(&rule.requires, true))
    };
    // A red line that does not apply keeps no leaves of its requirement.
    if outcome == Outcome::NotApplicable {
        run.seen.truncate(end);
    }
    let requirement = end..run.seen.len();
    // Unknown only for want of answers the source never asks: apart from open questions.
    // It is not asked when no answer the source does ask could make it met or a gap
    // (answering whether it applies could at most make it not applicable).
    let outcome = if outcome == Outcome::Unknown
        && !run.settles_without_unasked(rule.applies_when.as_ref(), &rule.requires, |a, r| {
            let applies = a.and(in_level);
            (applies != Truth::False || red_line)
                && matches!(
                    outcome_of(red_line, applies, r),
                    Outcome::Pass | Outcome::Gap
                )
        }) {
        Outcome::NotAsked
    } else {
        outcome
    };
    let at = if in_level == Truth::True {
        level.level
    } else {
        rule.applies_from.unwrap_or(Level::I)
    };
    RuleResult {
        outcome,
        severity: rule.severity.at(at),
        failing: false,
        in_level,
        applies,
        applicability,
        requirement,
        reading: Reading::AsEvaluated,
        waiver: None,
    }
}

/// A rule's outcome from whether it applies and whether its requirement holds. A red line
/// is crossed whenever its requirement fails, whatever its applicability says.
fn outcome_of(red_line: bool, applies: Truth, requires: Truth) -> Outcome {
    match (applies, requires) {
        (_, Truth::True) => Outcome::Pass,
        (Truth::True, Truth::False) => Outcome::Gap,
        (_, Truth::False) if red_line => Outcome::Gap,
        (Truth::False, _) => Outcome::NotApplicable,
        _ => Outcome::Unknown,
    }
}

/// The profile's reading: an open question as a gap, a pass resting on claims alone as a
/// gap where the profile asks for evidence. Red lines are exempt from evidence: they
/// check that a use is absent, which no document in a descriptor can show.
fn read_as_profile(
    profile: &Profile,
    result: &mut RuleResult,
    seen: &[Seen<'_>],
    evidence: &mut EvidenceCache<'_>,
) {
    match result.outcome {
        Outcome::Unknown if profile.unknown_as_gap => {
            result.outcome = Outcome::Gap;
            result.reading = Reading::UnknownAsGap;
        }
        Outcome::Pass
            if result.severity != Severity::Blocker
                && profile
                    .evidence_required_from
                    .is_some_and(|min| result.severity >= min) =>
        {
            let stated: Vec<&Seen<'_>> = seen[result.requirement.clone()]
                .iter()
                .filter(|s| s.value.is_some())
                .collect();
            if stated.is_empty() {
                return;
            }
            let mut stale = false;
            let claimed_only = stated.iter().all(|s| match evidence.state(s.leaf) {
                None => true,
                Some(documents) => {
                    stale |= documents.any && !documents.fresh;
                    !documents.fresh
                }
            });
            if claimed_only {
                result.outcome = Outcome::Gap;
                result.reading = Reading::ClaimedWithoutEvidence { stale };
            }
        }
        _ => {}
    }
}

/// Whether a section lists evidence documents, and fresh ones, read once per section.
struct EvidenceCache<'a> {
    root: &'a Value,
    /// The oldest date a document may have and still count, when the profile sets one.
    fresh_from: Option<NaiveDate>,
    states: Vec<Option<EvidenceState>>,
}

#[derive(Debug, Clone, Copy)]
struct EvidenceState {
    /// The section lists at least one document.
    any: bool,
    /// ... and at least one is fresh (or undated, or there is no freshness limit).
    fresh: bool,
}

impl<'a> EvidenceCache<'a> {
    fn new(doc: &'a Document, as_of: NaiveDate, profile: &Profile) -> Self {
        EvidenceCache {
            root: &doc.value,
            fresh_from: fresh_from(as_of, profile),
            states: Vec::new(),
        }
    }

    /// The state of the evidence backing a test's field; none when no section's evidence
    /// backs it.
    fn state(&mut self, leaf: &Leaf) -> Option<EvidenceState> {
        let slot = leaf.evidence_slot()?;
        if self.states.is_empty() {
            self.states = vec![None; crate::rules::field_paths().len()];
        }
        if let Some(known) = self.states[slot] {
            return Some(known);
        }
        let items = leaf
            .evidence_in(self.root)
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let state = EvidenceState {
            any: !items.is_empty(),
            fresh: items.iter().any(|item| !is_stale(item, self.fresh_from)),
        };
        self.states[slot] = Some(state);
        Some(state)
    }
}

/// The oldest date an evidence document may have under the profile's freshness limit.
fn fresh_from(as_of: NaiveDate, profile: &Profile) -> Option<NaiveDate> {
    profile
        .parameters
        .evidence_fresh_days
        .and_then(|days| as_of.checked_sub_signed(chrono::Duration::days(days)))
}

/// Whether an evidence entry is dated before the freshness limit (an undated one is not).
fn is_stale(item: &Value, fresh_from: Option<NaiveDate>) -> bool {
    let (Some(limit), Some(date)) = (
        fresh_from,
        item.get("date")
            .and_then(Value::as_str)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
    ) else {
        return false;
    };
    date < limit
}

/// Applies the waivers for this system: a matching gap or open question becomes
/// `waived`, or stays open when the waiver has expired.
fn apply_waivers(
    waivers: &Waivers,
    catalog: &Catalog,
    rules: &mut [RuleResult],
    doc: &Document,
    as_of: NaiveDate,
) -> WaiverSummary {
    let systems: Vec<&str> = ["/system/id", "/system/name"]
        .iter()
        .filter_map(|p| lookup(&doc.value, p).and_then(Value::as_str))
        .collect();
    let mut summary = WaiverSummary {
        file: Some(waivers.file.clone()),
        ..WaiverSummary::default()
    };
    for (index, e) in waivers.entries.iter().enumerate() {
        if !systems.iter().any(|s| *s == e.waiver.system) {
            summary.other_systems += 1;
            continue;
        }
        let unused = |reason: String| UnusedWaiver {
            waiver: e.waiver.clone(),
            reason,
        };
        let Some((rule, r)) = catalog
            .rules()
            .iter()
            .zip(rules.iter_mut())
            .find(|(rule, _)| rule.id.eq_ignore_ascii_case(&e.waiver.rule))
        else {
            let reason = match catalog.retired(&e.waiver.rule) {
                Some(gone) => format!("rule `{}` was retired: {}", gone.id, gone.reason.trim()),
                None => format!(
                    "rule `{}` is not in the catalog, or the profile leaves it out",
                    e.waiver.rule
                ),
            };
            summary.unused.push(unused(reason));
            continue;
        };
        match r.outcome {
            Outcome::Gap | Outcome::Unknown | Outcome::NotAsked if as_of > e.expires_on => {
                if r.waiver.is_none() {
                    r.waiver = Some(WaiverMark::Expired(index));
                }
                summary.expired += 1;
            }
            Outcome::Gap | Outcome::Unknown | Outcome::NotAsked => {
                r.waiver = Some(WaiverMark::Applied(index, r.outcome));
                r.outcome = Outcome::Waived;
                summary.applied += 1;
            }
            Outcome::Waived => summary.unused.push(unused(format!(
                "an earlier waiver in the file already waives rule `{}`",
                rule.id
            ))),
            Outcome::Pass => summary.unused.push(unused(format!(
                "rule `{}` is met: there is nothing to waive",
                rule.id
            ))),
            Outcome::NotApplicable => summary.unused.push(unused(format!(
                "rule `{}` does not apply to this system",
                rule.id
            ))),
        }
    }
    summary
}

/// Whether an outcome of a rule of this severity reaches the failure threshold.
pub(crate) fn failing(outcome: Outcome, severity: Severity, fail_on: FailOn) -> bool {
    matches!(outcome, Outcome::Gap | Outcome::Unknown | Outcome::NotAsked)
        && fail_on.reached_by(severity)
}

/// What the verdict is decided on, counted once per evaluation.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    /// Red lines crossed.
    red_lines: usize,
    /// Gaps of high severity or above.
    high_gaps: usize,
    /// Open questions of high severity or above.
    open: usize,
    /// High-severity questions the source never asks.
    not_asked: usize,
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
            Outcome::NotAsked if high => self.not_asked += 1,
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
        } else if self.high_gaps + self.open + self.not_asked > 0 {
            Verdict::Conditional
        } else {
            Verdict::Acceptable
        }
    }

    /// Why, in one sentence. It always says how many findings are waived and how many
    /// waivers have expired, when there are any.
    fn reason(&self) -> String {
        let mut reason = match self.verdict() {
            Verdict::Reject => {
                format!("{} crossed", count(self.red_lines, "red line", "red lines"))
            }
            Verdict::Conditional => {
                let mut parts = Vec::new();
                if self.high_gaps > 0 {
                    parts.push(count(
                        self.high_gaps,
                        "high-severity gap",
                        "high-severity gaps",
                    ));
                }
                if self.open > 0 {
                    parts.push(format!(
                        "{} on red lines or high-severity safeguards",
                        count(self.open, "open question", "open questions")
                    ));
                }
                if self.not_asked > 0 {
                    parts.push(format!(
                        "{} the source never asks",
                        count(
                            self.not_asked,
                            "high-severity question",
                            "high-severity questions"
                        )
                    ));
                }
                parts.join(", ")
            }
            Verdict::Acceptable => {
                "no red line crossed and no high-severity gap or open question".to_string()
            }
        };
        if self.waived > 0 {
            let _ = write!(
                reason,
                "; {} waived",
                count(self.waived, "finding", "findings")
            );
        }
        if self.expired > 0 {
            let _ = write!(
                reason,
                "; {} expired",
                count(self.expired, "waiver", "waivers")
            );
        }
        reason
    }
}

/// [`Value::pointer`] without its cost: `serde_json` allocates two strings per segment to
/// unescape `~0` and `~1`. The pointers here are built from dotted field names and hold no
/// `~`; one that does takes the exact RFC 6901 path.
pub(crate) fn lookup<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
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

#[cfg(test)]
pub(crate) mod tests;
