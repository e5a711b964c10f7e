//! Writing an [`Evaluation`] up as an [`Assessment`]: the messages, questions and
//! observations behind every finding and level factor. Nothing is decided here: outcomes,
//! severities, counts and the verdict come from the evaluation as they are.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::Value;

use super::eval::{Hit, LevelResult, Seen, Truth};
use super::{Evaluation, Reading, RuleResult, WaiverMark, fresh_from, is_stale, lookup};
use crate::assessment::{
    Assessment, CatalogInfo, DescriptorInfo, Evidence, Finding, LevelAssessment, LevelReason,
    MitigationScore, Observation, Outcome, RegisterAnswer, SourceRecord, Support, SystemBrief,
    ToolInfo, VariableScore,
};
use crate::document::Document;
use crate::rules::level::Combine;
use crate::rules::{Leaf, Level, LevelModel, Op, Rule, field_paths, write_plain};
use crate::schema::{field_description, string_items, write_description};
use crate::vocabulary::Text;

/// The whole write-up.
pub(super) fn assessment(e: &Evaluation<'_>) -> Assessment {
    write_up(e, None)
}

impl Evaluation<'_> {
    /// Writes up only what a list of findings shows: the findings `lists` keeps (given
    /// each one's outcome and, for a waived one, the outcome it had), in the order of
    /// [`Evaluation::to_assessment`], and the level without the factors behind it (no
    /// variables, mitigation or floors). Every finding it holds is the one
    /// [`Evaluation::to_assessment`] writes: a system's rows in a portfolio's list read as
    /// in its own report, without writing up the rules the list leaves out.
    pub fn to_listing(&self, lists: impl Fn(Outcome, Option<Outcome>) -> bool) -> Assessment {
        write_up(self, Some(&lists))
    }
}

/// Which findings a write-up holds: given a rule's outcome and, for a waived one, the
/// outcome it had, whether to write it up; `None` writes up every finding and the reasons
/// behind the level.
type Lists<'f> = Option<&'f dyn Fn(Outcome, Option<Outcome>) -> bool>;

fn write_up(e: &Evaluation<'_>, lists: Lists<'_>) -> Assessment {
    let catalog = e.catalog();
    let profile = e.engine.profile();
    let source: Option<Arc<str>> = lookup(&e.doc.value, "/source/register")
        .and_then(Value::as_str)
        .map(Arc::from);
    let mut writer = Writer {
        doc: e.doc,
        seen: &e.seen,
        fresh_from: fresh_from(e.options.as_of, profile),
        source,
        evidence: Vec::new(),
        no_evidence: Arc::new([]),
    };
    let level = writer.level(
        &catalog.level_model,
        &e.level,
        e.level(),
        e.tally.red_lines,
        lists.is_none(),
    );
    let rules = catalog.rules();
    let listed = |r: &RuleResult| {
        lists.is_none_or(|lists| {
            let was = match r.waiver {
                Some(WaiverMark::Applied(_, was)) => Some(was),
                _ => None,
            };
            lists(r.outcome, was)
        })
    };
    // Most severe first, then by id (the catalog's order).
    let mut order: Vec<usize> = (0..rules.len()).filter(|&i| listed(&e.rules[i])).collect();
    order.sort_by(|&a, &b| {
        e.rules[b]
            .severity
            .cmp(&e.rules[a].severity)
            .then(a.cmp(&b))
    });
    let findings = order
        .into_iter()
        .map(|i| writer.finding(e, &rules[i], &e.rules[i]))
        .collect();
    let text = |p: &str| {
        lookup(&e.doc.value, p)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    Assessment {
        tool: ToolInfo::current(),
        as_of: e.options.as_of.format("%Y-%m-%d").to_string(),
        descriptor: DescriptorInfo {
            file: e.doc.name.clone(),
            sha256: e.doc.sha256.clone(),
            system_name: text("/system/name").unwrap_or_default(),
            system_version: text("/system/version"),
            brief: brief(&e.doc.value),
            source: source_record(&e.doc.value),
        },
        catalog: CatalogInfo::of(catalog),
        fail_on: e.options.fail_on,
        profile: profile.info(),
        waivers: e.waivers.clone(),
        level,
        verdict: e.tally.verdict(),
        verdict_reason: e.tally.reason(),
        summary: e.summary.clone(),
        findings,
        what_if: None,
    }
}

/// The register record the descriptor comes from, when it names one.
fn source_record(v: &Value) -> Option<SourceRecord> {
    let source = v.get("source")?;
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    Some(SourceRecord {
        register: text(source, "register")?,
        record_id: text(source, "record_id"),
        url: text(source, "url"),
        answers: source
            .get("answers")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|a| {
                        Some(RegisterAnswer {
                            field: text(a, "field")?,
                            question: text(a, "question")?,
                            answer: text(a, "answer")?,
                            explanation: text(a, "explanation"),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
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

/// Writes decisive leaves up as observations, and results as level reasons and findings.
struct Writer<'a> {
    doc: &'a Document,
    seen: &'a [Seen<'a>],
    /// The oldest date an evidence document may have and still be fresh.
    fresh_from: Option<NaiveDate>,
    /// The register or questionnaire the descriptor comes from.
    source: Option<Arc<str>>,
    /// Per evidence section (a leaf's `evidence_slot`): its documents, once read.
    evidence: Vec<Option<Arc<[Evidence]>>>,
    /// The list of a section with no evidence, shared too.
    no_evidence: Arc<[Evidence]>,
}

impl Writer<'_> {
    /// The level; with `reasons`, the factors behind it (variables, mitigation, floors).
    fn level(
        &mut self,
        model: &LevelModel,
        result: &LevelResult,
        level: Level,
        red_lines: usize,
        reasons: bool,
    ) -> LevelAssessment {
        let (variables, mitigation, floors) = if reasons {
            self.factors(model, result)
        } else {
            (Vec::new(), None, Vec::new())
        };
        LevelAssessment {
            level,
            name: model.name(level).to_string(),
            impact_level: result.level,
            highest_possible: result.highest_possible,
            points: result.points,
            max_points: model.max_points(),
            variables,
            mitigation,
            floors,
            red_lines,
        }
    }

    /// The factors behind a level: each variable's score and reasons, the mitigation in
    /// place, and the floors that hold.
    fn factors(
        &mut self,
        model: &LevelModel,
        result: &LevelResult,
    ) -> (
        Vec<VariableScore>,
        Option<MitigationScore>,
        Vec<LevelReason>,
    ) {
        let variables = model
            .variables
            .iter()
            .zip(&result.variables)
            .map(|(variable, v)| {
                let mut reasons = Vec::new();
                let mut unknown = Vec::new();
                for hit in &v.hits {
                    let factor = &variable.factors[hit.index];
                    let mut reason =
                        self.reason(hit, &factor.id, &factor.reason, Some(factor.score), None);
                    if hit.truth == Truth::True {
                        reason.counted =
                            variable.combine == Combine::Sum || factor.score == v.score;
                        reasons.push(reason);
                    } else {
                        unknown.push(reason);
                    }
                }
                // The factors that count first, then the others, each in model order.
                reasons.sort_by_key(|r| !r.counted);
                VariableScore {
                    id: variable.id.to_string(),
                    name: variable.name.to_string(),
                    question: variable.question.to_string(),
                    weight: variable.weight,
                    score: v.score,
                    max: variable.max,
                    could_reach: (v.upper > v.score).then_some(v.upper),
                    reasons,
                    unknown,
                }
            })
            .collect();
        let mitigation = model.mitigation.as_ref().map(|m| MitigationScore {
            in_place: result
                .measures
                .iter()
                .map(|hit| {
                    let measure = &m.measures[hit.index];
                    self.reason(hit, &measure.id, &measure.reason, None, None)
                })
                .collect(),
            measures: m.measures.len(),
            needed: m.needed(),
            reduced_from: result.reduced_from,
        });
        let floors = result
            .floors
            .iter()
            .filter(|h| h.truth == Truth::True)
            .map(|hit| {
                let floor = &model.floors[hit.index];
                self.reason(hit, &floor.id, &floor.reason, None, Some(floor.level))
            })
            .collect();
        (variables, mitigation, floors)
    }

    fn reason(
        &mut self,
        hit: &Hit,
        id: &str,
        reason: &str,
        score: Option<u32>,
        floor: Option<Level>,
    ) -> LevelReason {
        let mut observations = Vec::with_capacity(hit.seen.len());
        self.observe_all(hit.seen.clone(), &mut observations);
        dedup_facts(&mut observations);
        LevelReason {
            id: id.to_string(),
            reason: reason.to_string(),
            score,
            counted: true,
            floor,
            observations,
        }
    }

    fn finding(&mut self, e: &Evaluation<'_>, rule: &Rule, result: &RuleResult) -> Finding {
        let outcome = result.outcome;
        let shown = match result.waiver {
            Some(WaiverMark::Applied(_, was)) => was,
            _ => outcome,
        };
        // Why a rule limited to a level does not (or may not) apply comes first among the
        // reasons it does not apply.
        let level_note = match (rule.applies_from, result.in_level) {
            (Some(from), Truth::False) => Some(level_observation(from, &e.level)),
            _ => None,
        };
        // Each list is made at its full length at once, and what the dedup removes is
        // given back: every finding's list lives to the end of the run.
        let mut observations = Vec::new();
        if outcome == Outcome::NotApplicable {
            observations.reserve_exact(result.applicability.len() + 1);
            observations.extend(level_note);
            self.observe_all(result.applicability.clone(), &mut observations);
        } else {
            let open = matches!(shown, Outcome::Unknown | Outcome::NotAsked)
                || result.reading == Reading::UnknownAsGap;
            let with_applicability = result.applies == Truth::Unknown && open;
            let more = if with_applicability {
                result.applicability.len() + 1
            } else {
                0
            };
            observations.reserve_exact(result.requirement.len() + more);
            self.observe_all(result.requirement.clone(), &mut observations);
            if with_applicability {
                observations.extend(level_note);
                self.observe_all(result.applicability.clone(), &mut observations);
            }
        }
        dedup_facts(&mut observations);
        observations.shrink_to_fit();
        let profile = e.engine.profile();
        let mut message = summarise(shown, &observations);
        match result.reading {
            Reading::AsEvaluated => {}
            Reading::UnknownAsGap => {
                let _ = write!(
                    message,
                    "; the `{}` profile counts an unanswered question as a gap",
                    profile.id
                );
            }
            Reading::ClaimedWithoutEvidence { stale } => {
                message = claimed_message(&observations, profile, result, stale);
            }
        }
        let question = (matches!(shown, Outcome::Unknown | Outcome::NotAsked)
            || result.reading == Reading::UnknownAsGap)
            .then(|| match &rule.question {
                Some(q) => q.clone(),
                None => question(rule, &observations).into(),
            });
        let (waiver, waiver_expired_on) = match (result.waiver, &e.engine.tailoring.waivers) {
            (Some(WaiverMark::Applied(i, was)), Some(w)) => {
                let mut waiver = w.entries[i].waiver.clone();
                waiver.waived_outcome = was.as_str().to_string();
                (Some(Box::new(waiver)), None)
            }
            (Some(WaiverMark::Expired(i)), Some(w)) => {
                (None, Some(w.entries[i].waiver.expires_on.clone()))
            }
            _ => (None, None),
        };
        Finding {
            rule_id: rule.id.clone(),
            title: rule.title.clone(),
            theme: rule.theme.clone(),
            severity: result.severity,
            outcome,
            message,
            not_asked_by: (shown == Outcome::NotAsked)
                .then(|| self.source.clone().unwrap_or_else(|| "the source".into())),
            question,
            remediation: rule.remediation.clone(),
            observations,
            sources: rule.sources.clone(),
            crosswalk: rule.crosswalk.clone(),
            failing: result.failing,
            waiver,
            waiver_expired_on,
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
            not_asked,
        } = *seen;
        let position = self.doc.position_of(&leaf.pointer);
        let holds = truth == Truth::True;
        let expected = match truth {
            Truth::Unknown => None,
            _ if holds == wanted => None,
            _ => Some(leaf.expected(wanted).clone()),
        };
        let evidence = self.evidence(leaf);
        let support = match (value, evidence.iter().any(|d| !d.stale)) {
            (None, _) => Support::NotStated,
            (Some(_), false) => Support::Claimed,
            (Some(_), true) => Support::Evidenced,
        };
        let source = not_asked.then_some(self.source.as_deref()).flatten();
        Observation {
            field: leaf.field.clone(),
            pointer: leaf.pointer.clone(),
            value: value.cloned(),
            line: position.line,
            column: position.column,
            message: fact(&leaf.field, &leaf.op, value, not_asked, source),
            expected,
            support,
            not_asked,
            evidence,
        }
    }

    /// The evidence documents of a section, read once per section.
    fn evidence(&mut self, leaf: &Leaf) -> Arc<[Evidence]> {
        let Some(slot) = leaf.evidence_slot() else {
            return self.no_evidence.clone();
        };
        if self.evidence.is_empty() {
            self.evidence = vec![None; field_paths().len()];
        }
        if let Some(known) = &self.evidence[slot] {
            return known.clone();
        }
        let fresh_from = self.fresh_from;
        let documents: Arc<[Evidence]> = match leaf
            .evidence_in(&self.doc.value)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| evidence_of(item, fresh_from))
                    .collect::<Vec<_>>()
            }) {
            Some(list) if !list.is_empty() => list.into(),
            _ => self.no_evidence.clone(),
        };
        self.evidence[slot] = Some(documents.clone());
        documents
    }
}

/// The message of a pass the profile reads as a gap for want of evidence.
fn claimed_message(
    observations: &[Observation],
    profile: &crate::profile::Profile,
    result: &RuleResult,
    stale: bool,
) -> String {
    let fields: Vec<String> = observations
        .iter()
        .filter(|o| o.support == Support::Claimed)
        .map(|o| format!("`{}`", o.field))
        .collect();
    let one = fields.len() == 1;
    let mut message = format!(
        "claimed without evidence: {} {} stated but no {}evidence document backs {}; the `{}` profile requires evidence for {}-severity safeguards",
        fields.join(", "),
        if one { "is" } else { "are" },
        if stale { "current " } else { "" },
        if one { "it" } else { "them" },
        profile.id,
        result.severity
    );
    if let (true, Some(days)) = (stale, profile.parameters.evidence_fresh_days) {
        let _ = write!(
            message,
            ", and documents older than {days} days no longer count"
        );
    }
    message
}

/// What a leaf found, in plain words: "`field` is `value`".
fn fact(
    field: &str,
    op: &Op,
    value: Option<&Value>,
    not_asked: bool,
    source: Option<&str>,
) -> String {
    let mut out = String::with_capacity(field.len() + 80);
    out.push('`');
    out.push_str(field);
    out.push('`');
    match value {
        None if not_asked => {
            out.push_str(" is not asked by ");
            out.push_str(source.unwrap_or("the source"));
        }
        None => out.push_str(" is not stated"),
        Some(v) => match (op, v) {
            (
                Op::ContainsAny(_) | Op::ContainsAll(_) | Op::ContainsAtLeast { .. },
                Value::Array(items),
            ) if items.is_empty() => {
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
            // The same fact can decide several tests of one field: said once.
            out = String::from("does not apply: ");
            let mut said: Vec<&str> = Vec::with_capacity(observations.len());
            for o in observations {
                if said.contains(&o.message.as_str()) {
                    continue;
                }
                if !said.is_empty() {
                    out.push_str("; ");
                }
                out.push_str(&o.message);
                said.push(&o.message);
            }
        }
        Outcome::Gap | Outcome::Unknown | Outcome::NotAsked | Outcome::Waived => {
            // A rule that asks for several values of one list (each group at risk among
            // the groups tested) fails once per missing value, on the same facts: the
            // facts are said once, and the missing values as one list.
            let mut parts: Vec<Cow<str>> = Vec::with_capacity(observations.len() * 2);
            let mut missing: Vec<&str> = Vec::new();
            let mut missing_field: Option<&str> = None;
            for o in observations {
                if !parts.iter().any(|p| *p == o.message) {
                    flush_missing(&mut parts, &mut missing);
                    parts.push(Cow::Borrowed(&o.message));
                }
                let Some(e) = o.expected.as_deref().filter(|e| spelled_out(e)) else {
                    continue;
                };
                match single_inclusion(e) {
                    Some(value) if missing.is_empty() || missing_field == Some(&*o.field) => {
                        missing_field = Some(&o.field);
                        if !missing.contains(&value) {
                            missing.push(value);
                        }
                    }
                    _ => {
                        flush_missing(&mut parts, &mut missing);
                        missing_field = single_inclusion(e).map(|v| {
                            missing.push(v);
                            &*o.field
                        });
                        if missing.is_empty() {
                            parts.push(Cow::Borrowed(e));
                        }
                    }
                }
            }
            flush_missing(&mut parts, &mut missing);
            out = parts.join("; ");
        }
    }
    out
}

/// The value of an expectation that asks a list to include one value: `` `x` `` of
/// "it should include `x`".
fn single_inclusion(expected: &str) -> Option<&str> {
    let value = expected.strip_prefix("it should include ")?;
    (value.starts_with('`') && value.ends_with('`') && value.matches('`').count() == 2)
        .then_some(value)
}

/// Writes the values a list lacks as one expectation: "it should include `a`, `b` and `c`".
fn flush_missing(parts: &mut Vec<Cow<str>>, missing: &mut Vec<&str>) {
    let Some((last, rest)) = missing.split_last() else {
        return;
    };
    let mut text = String::from("it should include ");
    if !rest.is_empty() {
        text.push_str(&rest.join(", "));
        text.push_str(" and ");
    }
    text.push_str(last);
    parts.push(Cow::Owned(text));
    missing.clear();
}

/// The question for a rule that does not write its own: what the schema asks about each
/// field left unstated.
fn question(rule: &Rule, observations: &[Observation]) -> String {
    let asks: Vec<&str> = observations
        .iter()
        .filter(|o| o.value.is_none())
        .filter_map(|o| field_description(&o.field))
        .filter(|d| !d.is_empty())
        .collect();
    if asks.is_empty() {
        format!("Please show how the system meets this: {}", rule.title)
    } else {
        asks.join(" ")
    }
}

fn evidence_of(item: &Value, fresh_from: Option<NaiveDate>) -> Option<Evidence> {
    let text = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_string);
    Some(Evidence {
        title: text("title")?,
        link: text("link"),
        file: text("file"),
        date: text("date"),
        verified_by: text("verified_by"),
        stale: is_stale(item, fresh_from),
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

/// Why a rule limited to a level does not apply.
fn level_observation(from: Level, level: &LevelResult) -> Observation {
    let mut message = format!(
        "the rule applies from impact level {from}; this system is at level {} on what the descriptor states",
        level.level
    );
    if level.highest_possible >= from {
        let _ = write!(
            message,
            ", and could be at level {} once the factors it leaves open are answered",
            level.highest_possible
        );
    }
    Observation {
        field: Text::Static("impact level"),
        pointer: Text::Static(""),
        value: Some(Value::String(level.level.as_str().to_string())),
        line: 0,
        column: 0,
        message,
        expected: None,
        support: Support::Claimed,
        not_asked: false,
        evidence: Arc::new([]),
    }
}

#[cfg(test)]
mod summary_tests {
    use super::{flush_missing, single_inclusion};

    #[test]
    fn the_values_a_list_lacks_are_said_as_one_list() {
        assert_eq!(single_inclusion("it should include `x`"), Some("`x`"));
        assert_eq!(single_inclusion("it should include any of `x`, `y`"), None);
        assert_eq!(single_inclusion("it should not include `x`"), None);
        let mut parts = Vec::new();
        flush_missing(&mut parts, &mut vec!["`a`", "`b`", "`c`"]);
        flush_missing(&mut parts, &mut vec!["`d`"]);
        flush_missing(&mut parts, &mut Vec::new());
        assert_eq!(
            parts,
            [
                "it should include `a`, `b` and `c`",
                "it should include `d`"
            ]
        );
    }
}

#[cfg(test)]
mod listing_tests {
    #![allow(clippy::unwrap_used)]

    use chrono::NaiveDate;

    use crate::assessment::{FailOn, Outcome};
    use crate::document::{Document, Format};
    use crate::engine::{Engine, Options};
    use crate::rules::{Catalog, builtin_fixtures};

    /// A listing holds exactly the findings it keeps, each as the full write-up has it, in
    /// the same order: a portfolio's list and each system's own report read the same.
    #[test]
    fn a_listing_holds_the_findings_of_the_full_write_up_it_keeps() {
        let engine = Engine::plain(Catalog::builtin().unwrap());
        let options = Options {
            as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            fail_on: FailOn::High,
        };
        let open = |o: Outcome, was: Option<Outcome>| {
            matches!(was.unwrap_or(o), Outcome::Gap | Outcome::Unknown)
        };
        let mut listed = 0;
        for (name, text) in builtin_fixtures() {
            let doc = Document::from_bytes(name, text.as_bytes(), Format::from_name(name)).unwrap();
            let evaluation = engine.evaluate(&doc, &options);
            let full = evaluation.to_assessment();
            let listing = evaluation.to_listing(open);
            let kept: Vec<_> = full
                .findings
                .iter()
                .filter(|f| open(f.outcome, None))
                .collect();
            assert_eq!(
                serde_json::to_string(&kept).unwrap(),
                serde_json::to_string(&listing.findings).unwrap(),
                "{name}"
            );
            assert_eq!(
                serde_json::to_string(&full.descriptor).unwrap(),
                serde_json::to_string(&listing.descriptor).unwrap(),
                "{name}"
            );
            assert_eq!(full.level.level, listing.level.level, "{name}");
            assert!(listing.level.variables.is_empty(), "{name}");
            listed += listing.findings.len();
        }
        assert!(listed > 100, "only {listed} findings listed");
    }
}
