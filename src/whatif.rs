//! What would change the verdict: the smallest set of answers to give, or safeguards to put
//! in place, that lifts the verdict one step (reject to conditional, conditional to
//! acceptable).
//!
//! The rules that hold the verdict down say what they need in their `requires`; the
//! answers that would meet it are found from the conditions themselves
//! ([`satisfy::Ways`]), never by changing a fact about the system's nature (what the
//! descriptor schema marks `x-fact`: what it does, whom it affects). Among the ways, the
//! lightest wins: documents before new safeguards (the schema's `x-effort`), then fewer
//! changes. Every proposal is checked by evaluating the descriptor with the changes made,
//! in memory: the verdict announced is the one the engine gives, and a change that turns
//! out not to be needed is dropped. When the verdict is held down by a red line the system
//! crosses by what it is or does, no safeguard lifts it, and nothing is proposed.

mod satisfy;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::assessment::{Outcome, Verdict};
use crate::document::Document;
use crate::engine::{Engine, Evaluation, Options};
use crate::rules::{Condition, Level, Rule, Severity};
use crate::text::count;
use satisfy::{Answers, Ways, answered, cost, lookup};

/// What it takes to change an answer truthfully.
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
            Effort::Measure => "a new safeguard",
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

/// What would lift the verdict one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    /// The verdict now.
    pub verdict: Verdict,
    /// The verdict with the changes made; none when nothing lifts it.
    pub target: Option<Verdict>,
    /// The level now.
    pub level: Level,
    /// The level with the changes made, when they change it.
    pub target_level: Option<Level>,
    /// The changes, lightest first.
    pub changes: Vec<Change>,
    /// Why, in one sentence that starts with a capital and ends without a full stop.
    pub reason: String,
    /// The red lines no safeguard can lift: the system crosses them by what it is or does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_lines: Vec<String>,
}

/// What the descriptor schema says of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// A fact about the system's nature: never proposed as a fix.
    Fact,
    /// An answer that can change, with what it takes.
    Effort(Effort),
}

/// A field's mark; a field the schema does not mark counts as a fact, so that nothing
/// unmarked is ever proposed.
fn mark(field: &str) -> Mark {
    static MARKS: OnceLock<BTreeMap<String, Mark>> = OnceLock::new();
    let marks = MARKS.get_or_init(|| {
        let mut out = BTreeMap::new();
        if let Ok(schema) = serde_json::from_str::<Value>(crate::schema::DESCRIPTOR_SCHEMA) {
            index_marks(&schema, "", &mut out);
        }
        out
    });
    marks.get(field).copied().unwrap_or(Mark::Fact)
}

fn index_marks(schema: &Value, prefix: &str, out: &mut BTreeMap<String, Mark>) {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, sub) in props {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let effort = match sub.get("x-effort").and_then(Value::as_str) {
            Some("document") => Some(Effort::Document),
            Some("measure") => Some(Effort::Measure),
            _ => None,
        };
        if let Some(effort) = effort {
            out.insert(path.clone(), Mark::Effort(effort));
        }
        index_marks(sub, &path, out);
    }
}

/// Rounds of "evaluate, then meet what still holds the verdict down": a change can make
/// a rule apply that did not (an assessment done must then be published).
const ROUNDS: usize = 4;

/// The smallest set of changes that lifts the verdict one step, verified by evaluating the
/// descriptor with them made. `doc` must have passed validation, as for
/// [`Engine::evaluate`].
pub fn what_if(engine: &Engine, doc: &Document, options: &Options) -> WhatIf {
    let now = engine.evaluate(doc, options);
    let verdict = now.verdict();
    let level = now.level();
    let mut answer = WhatIf {
        verdict,
        target: None,
        level,
        target_level: None,
        changes: Vec::new(),
        reason: String::new(),
        red_lines: Vec::new(),
    };
    let target = match verdict {
        Verdict::Reject => Verdict::Conditional,
        Verdict::Conditional => Verdict::Acceptable,
        Verdict::Acceptable => {
            answer.reason = "The verdict is acceptable already: there is nothing to lift".into();
            return answer;
        }
    };
    let (chosen, stuck) = search(engine, doc, *options, target);
    let chosen = chosen.map(|c| smallest(engine, doc, *options, target, c));
    let Some(chosen) = chosen else {
        answer.red_lines = stuck;
        answer.reason = beyond_safeguards(verdict, &answer.red_lines);
        return answer;
    };
    let changed = doc.with_values(chosen.iter().map(|(f, v)| (&**f, v)));
    let after = engine.evaluate(&changed, options);
    answer.target = Some(after.verdict());
    answer.target_level = Some(after.level()).filter(|l| *l != level);
    answer.changes = changes(&now, &after, &chosen);
    answer.reason = lifted(target, answer.changes.len(), level, answer.target_level);
    answer
}

/// The rules that hold the verdict down: red lines crossed for `reject`; high-severity
/// gaps and open questions for `conditional` (as the engine counts them for the verdict).
fn holding_down<'a>(eval: &Evaluation<'a>, target: Verdict) -> Vec<&'a Rule> {
    eval.outcomes()
        .filter(|o| match target {
            Verdict::Conditional => o.outcome == Outcome::Gap && o.severity == Severity::Blocker,
            _ => {
                o.severity >= Severity::High
                    && matches!(
                        o.outcome,
                        Outcome::Gap | Outcome::Unknown | Outcome::NotAsked
                    )
            }
        })
        .map(|o| o.rule)
        .collect()
}

fn reaches(v: Verdict, target: Verdict) -> bool {
    let rank = |v| Verdict::ALL.iter().position(|x| *x == v);
    rank(v) >= rank(target)
}

/// Meets the rules that hold the verdict down, round by round, cheapest way first and
/// reusing answers already chosen. The answers when they reach `target`; else none, and
/// the rules no answer that may change can meet.
fn search(
    engine: &Engine,
    doc: &Document,
    options: Options,
    target: Verdict,
) -> (Option<Answers>, Vec<String>) {
    let mut chosen = Answers::new();
    let mut stuck = BTreeSet::new();
    for _ in 0..ROUNDS {
        let changed = doc.with_values(chosen.iter().map(|(f, v)| (&**f, v)));
        let eval = engine.evaluate(&changed, &options);
        if reaches(eval.verdict(), target) {
            return (Some(chosen), Vec::new());
        }
        let ways = Ways {
            root: &changed.value,
            as_of: options.as_of,
        };
        let mut progressed = false;
        for rule in holding_down(&eval, target) {
            let best = ways
                .of(&rule.requires, true)
                .into_iter()
                // A way that undoes an answer chosen for another rule is no way.
                .filter(|w| w.iter().all(|(f, v)| chosen.get(f).is_none_or(|c| c == v)))
                .min_by_key(|w| {
                    let new: Answers = w
                        .iter()
                        .filter(|(f, _)| !chosen.contains_key(*f))
                        .map(|(f, v)| (f.clone(), v.clone()))
                        .collect();
                    cost(&new)
                });
            match best {
                Some(way) => {
                    progressed |= way.keys().any(|f| !chosen.contains_key(f));
                    chosen.extend(way);
                }
                None => {
                    stuck.insert(rule.id.clone());
                }
            }
        }
        if !progressed {
            break;
        }
    }
    let changed = doc.with_values(chosen.iter().map(|(f, v)| (&**f, v)));
    if reaches(engine.evaluate(&changed, &options).verdict(), target) {
        (Some(chosen), Vec::new())
    } else {
        (None, stuck.into_iter().collect())
    }
}

/// Drops every change the target does not need, heaviest first, checking each drop by
/// evaluation: what remains is a set no change of which can be left out.
fn smallest(
    engine: &Engine,
    doc: &Document,
    options: Options,
    target: Verdict,
    mut chosen: Answers,
) -> Answers {
    let mut order: Vec<_> = chosen.keys().cloned().collect();
    order.sort_by_key(|f| std::cmp::Reverse(mark(f) == Mark::Effort(Effort::Measure)));
    for field in order {
        let Some(value) = chosen.remove(&field) else {
            continue;
        };
        let changed = doc.with_values(chosen.iter().map(|(f, v)| (&**f, v)));
        if !reaches(engine.evaluate(&changed, &options).verdict(), target) {
            chosen.insert(field, value);
        }
    }
    chosen
}

/// The changes as the user reads them, with the rules each closes: those open or short
/// before and met or not applicable after, whose conditions test the field. Documents
/// first, then the changes that close lower-severity rules, then by field.
fn changes(before: &Evaluation, after: &Evaluation, chosen: &Answers) -> Vec<Change> {
    let closed: Vec<(&Rule, Severity)> = before
        .outcomes()
        .zip(after.outcomes())
        .filter(|(b, a)| {
            matches!(
                b.outcome,
                Outcome::Gap | Outcome::Unknown | Outcome::NotAsked
            ) && matches!(a.outcome, Outcome::Pass | Outcome::NotApplicable)
        })
        .map(|(b, _)| (b.rule, b.severity))
        .collect();
    let mut out: Vec<(Effort, Severity, Change)> = chosen
        .iter()
        .map(|(field, value)| {
            let tests = |rule: &Rule| {
                tests_field(&rule.requires, field)
                    || rule
                        .applies_when
                        .as_ref()
                        .is_some_and(|c| tests_field(c, field))
            };
            let mine: Vec<&(&Rule, Severity)> = closed.iter().filter(|(r, _)| tests(r)).collect();
            let effort = match mark(field) {
                Mark::Effort(e) => e,
                Mark::Fact => Effort::Measure,
            };
            let before_value = answered(lookup(&before.document().value, field));
            let change = Change {
                path: field.to_string(),
                value: value.clone(),
                label: label(field, value, before_value.is_some(), effort),
                effort,
                rules: mine.iter().map(|(r, _)| r.id.clone()).collect(),
            };
            let severity = mine.iter().map(|(_, s)| *s).max().unwrap_or(Severity::Info);
            (effort, severity, change)
        })
        .collect();
    out.sort_by(|a, b| (a.0, a.1, &a.2.path).cmp(&(b.0, b.1, &b.2.path)));
    out.into_iter().map(|(_, _, c)| c).collect()
}

/// Whether a condition tests the dotted field.
fn tests_field(cond: &Condition, field: &str) -> bool {
    match cond {
        Condition::All(c) | Condition::Any(c) => c.iter().any(|c| tests_field(c, field)),
        Condition::Not(c) => tests_field(c, field),
        Condition::Leaf(leaf) => &*leaf.field == field,
    }
}

/// What to do, in plain words: the schema's question, and the answer to give once it is
/// true.
fn label(field: &str, value: &Value, answered_before: bool, effort: Effort) -> String {
    let question = crate::schema::descriptor_fields()
        .get(field)
        .map_or_else(|| format!("`{field}`"), |f| f.description.clone());
    let answer = match value {
        Value::Bool(true) => "yes".to_string(),
        Value::Bool(false) => "no".to_string(),
        other => format!("`{}`", crate::rules::plain(other)),
    };
    let is_date = value
        .as_str()
        .is_some_and(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok());
    let lead = match (answered_before, effort) {
        (false, _) => "Answer",
        (true, _) if is_date => "Do it again, then answer",
        (true, Effort::Document) => "Write it down or publish it, then answer",
        (true, Effort::Measure) => "Put it in place, then answer",
    };
    format!("{lead} {answer}: {question}")
}

fn lifted(target: Verdict, changes: usize, level: Level, target_level: Option<Level>) -> String {
    let mut reason = format!(
        "{} would make the verdict {}",
        count(changes, "change", "changes"),
        target.key()
    );
    if let Some(to) = target_level {
        let way = if to < level { "lower" } else { "raise" };
        let _ = write!(
            reason,
            " and {way} the level from {} to {}",
            level.key(),
            to.key()
        );
    }
    reason
}

fn beyond_safeguards(verdict: Verdict, stuck: &[String]) -> String {
    match verdict {
        Verdict::Reject if !stuck.is_empty() => format!(
            "No safeguard can lift the verdict: the system crosses {} ({}) by what it is or does; only a different system, or a different use, would not",
            count(stuck.len(), "red line", "red lines"),
            stuck.join(", ")
        ),
        _ if !stuck.is_empty() => format!(
            "No change of answers or safeguards alone lifts the verdict: it is held down by {} that only a change in what the system is or does could meet ({})",
            count(stuck.len(), "rule", "rules"),
            stuck.join(", ")
        ),
        _ => "No change of answers or safeguards alone lifts the verdict".to_string(),
    }
}
