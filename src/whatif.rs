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
//!
//! Under a profile that asks for evidence, a safeguard claimed without a document is met by
//! the document. A system that is acceptable already is asked what would lower its level.

mod satisfy;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value;

pub use crate::assessment::{Change, Effort, WhatIf};
use crate::document::Document;
use crate::engine::{Engine, Evaluation, Options};
use crate::questions::form;
use crate::rules::{Condition, Level, Rule, Severity};
use crate::text::count;
use crate::vocabulary::{Outcome, Verdict};
use satisfy::{Answers, Ways, answered, cost, lookup};

/// Rounds of "evaluate, then meet what still holds the verdict down": a change can make
/// a rule apply that did not (an assessment done must then be published).
const ROUNDS: usize = 4;

/// What a search aims at.
#[derive(Debug, Clone, Copy)]
enum Goal {
    /// This verdict or a better one.
    Verdict(Verdict),
    /// A level below this one, the verdict staying acceptable.
    Below(Level),
}

impl Goal {
    fn reached(self, eval: &Evaluation) -> bool {
        match self {
            Goal::Verdict(target) => reaches(eval.verdict(), target),
            Goal::Below(level) => eval.verdict() == Verdict::Acceptable && eval.level() < level,
        }
    }
}

/// The smallest set of changes that lifts the verdict one step, or, for a system that is
/// acceptable already, that lowers its level; verified by evaluating the descriptor with
/// them made. `doc` must have passed validation, as for [`Engine::evaluate`].
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
    if verdict == Verdict::Acceptable && level == Level::I {
        answer.reason =
            "The verdict is acceptable already, at the lowest level: there is nothing to lift"
                .into();
        return answer;
    }
    let goal = match verdict {
        Verdict::Reject => Goal::Verdict(Verdict::Conditional),
        Verdict::Conditional => Goal::Verdict(Verdict::Acceptable),
        Verdict::Acceptable => Goal::Below(level),
    };
    let search = Search {
        engine,
        doc,
        options: *options,
        goal,
    };
    let (found, stuck) = search.run();
    let Some(chosen) = found.map(|c| search.smallest(c)) else {
        answer.red_lines = stuck;
        answer.reason = beyond_safeguards(verdict, &answer.red_lines);
        return answer;
    };
    let changed = doc.with_values(chosen.iter().map(|(f, v)| (&**f, v)));
    let after = engine.evaluate(&changed, options);
    if let Goal::Verdict(_) = goal {
        answer.target = Some(after.verdict());
    }
    answer.target_level = Some(after.level()).filter(|l| *l != level);
    answer.changes = changes(&now, &after, &chosen);
    answer.reason = lifted(
        answer.target,
        answer.changes.len(),
        level,
        answer.target_level,
    );
    answer
}

/// One condition a search must make give `want`, and the rule it is for, if any.
struct Need<'a> {
    cond: &'a Condition,
    want: bool,
    rule: Option<&'a Rule>,
}

/// What holds the goal back in one evaluation. For a verdict: the rules that hold it down,
/// red lines crossed for `reject`, high-severity gaps and open questions for `conditional`
/// (as the engine counts them for the verdict). For a lower level: the level model's
/// factors that raise it (to be made false) and those that hold it down (to be made true),
/// and whatever would make the verdict fall from acceptable.
fn needs<'a>(eval: &Evaluation<'a>, goal: Goal) -> Vec<Need<'a>> {
    let target = match goal {
        Goal::Verdict(target) => target,
        Goal::Below(_) => Verdict::Acceptable,
    };
    let mut out: Vec<Need<'a>> = eval
        .outcomes()
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
        .map(|o| Need {
            cond: &o.rule.requires,
            want: true,
            rule: Some(o.rule),
        })
        .collect();
    if let Goal::Below(_) = goal {
        for variable in &eval.catalog().level_model.variables {
            for factor in &variable.factors {
                if factor.score > variable.base {
                    out.push(Need {
                        cond: &factor.when,
                        want: false,
                        rule: None,
                    });
                } else if factor.score < variable.if_unknown {
                    out.push(Need {
                        cond: &factor.when,
                        want: true,
                        rule: None,
                    });
                }
            }
        }
    }
    out
}

fn reaches(v: Verdict, target: Verdict) -> bool {
    let rank = |v| Verdict::ALL.iter().position(|x| *x == v);
    rank(v) >= rank(target)
}

/// One search for the changes that reach a goal.
struct Search<'e> {
    engine: &'e Engine<'e>,
    doc: &'e Document,
    options: Options,
    goal: Goal,
}

impl Search<'_> {
    fn reached(&self, chosen: &Answers) -> bool {
        let changed = self.doc.with_values(chosen.iter().map(|(f, v)| (&**f, v)));
        self.goal
            .reached(&self.engine.evaluate(&changed, &self.options))
    }

    /// Meets what holds the goal back, round by round, cheapest way first and reusing
    /// answers already chosen. The answers when they reach the goal; else none, and the
    /// rules no answer that may change can meet.
    fn run(&self) -> (Option<Answers>, Vec<String>) {
        let mut chosen = Answers::new();
        let mut stuck = BTreeSet::new();
        for _ in 0..ROUNDS {
            let changed = self.doc.with_values(chosen.iter().map(|(f, v)| (&**f, v)));
            let eval = self.engine.evaluate(&changed, &self.options);
            if self.goal.reached(&eval) {
                return (Some(chosen), Vec::new());
            }
            let ways = Ways {
                root: &changed.value,
                as_of: self.options.as_of,
            };
            let mut progressed = false;
            for need in needs(&eval, self.goal) {
                let mut options = ways.of(need.cond, need.want);
                // Met already, yet still a gap: the profile asks for a document behind
                // the answers.
                if let (Some(rule), true) = (need.rule, options.iter().any(Answers::is_empty)) {
                    options = ways.evidence(&rule.requires);
                }
                let best = options
                    .into_iter()
                    // A way that undoes an answer chosen for another need is no way.
                    .filter(|w| w.iter().all(|(f, v)| chosen.get(f).is_none_or(|c| c == v)))
                    .min_by_key(|w| {
                        let new: Answers = w
                            .iter()
                            .filter(|(f, _)| !chosen.contains_key(*f))
                            .map(|(f, v)| (f.clone(), v.clone()))
                            .collect();
                        cost(&new)
                    });
                match (best, need.rule) {
                    (Some(way), _) => {
                        progressed |= way.keys().any(|f| !chosen.contains_key(f));
                        chosen.extend(way);
                    }
                    (None, Some(rule)) => {
                        stuck.insert(rule.id.clone());
                    }
                    (None, None) => {}
                }
            }
            if !progressed {
                break;
            }
        }
        if self.reached(&chosen) {
            (Some(chosen), Vec::new())
        } else {
            (
                None,
                stuck
                    .into_iter()
                    .map(|id: crate::rules::Text| id.to_string())
                    .collect(),
            )
        }
    }

    /// Drops every change the goal does not need, heaviest first, checking each drop by
    /// evaluation: what remains is a set no change of which can be left out.
    fn smallest(&self, mut chosen: Answers) -> Answers {
        let mut order: Vec<_> = chosen.keys().cloned().collect();
        order.sort_by_key(|f| std::cmp::Reverse(form::effort(f) == Some(Effort::Measure)));
        for field in order {
            let Some(value) = chosen.remove(&field) else {
                continue;
            };
            if !self.reached(&chosen) {
                chosen.insert(field, value);
            }
        }
        chosen
    }
}

/// The changes as the user reads them, with the rules each closes: those open or short
/// before and met or not applicable after (or brought in by another change, and met),
/// whose conditions test the field. A rule closed
/// by none of the fields it tests was closed through the level (a lower level asks less):
/// it goes to the changes that close no rule of their own. Documents first, then the
/// changes that close lower-severity rules, then by field.
fn changes(before: &Evaluation, after: &Evaluation, chosen: &Answers) -> Vec<Change> {
    let closed: Vec<(&Rule, Severity)> = before
        .outcomes()
        .zip(after.outcomes())
        .filter(|(b, a)| {
            let open = matches!(
                b.outcome,
                Outcome::Gap | Outcome::Unknown | Outcome::NotAsked
            );
            // Open and settled, or brought in by another change and met.
            (open && matches!(a.outcome, Outcome::Pass | Outcome::NotApplicable))
                || (b.outcome == Outcome::NotApplicable && a.outcome == Outcome::Pass)
        })
        .map(|(b, _)| (b.rule, b.severity))
        .collect();
    let tests = |rule: &Rule, field: &str| {
        tests_field(&rule.requires, field)
            || rule
                .applies_when
                .as_ref()
                .is_some_and(|c| tests_field(c, field))
    };
    let through_level: Vec<&(&Rule, Severity)> = closed
        .iter()
        .filter(|(r, _)| !chosen.keys().any(|f| tests(r, f)))
        .collect();
    let mut out: Vec<(Effort, Severity, Change)> = chosen
        .iter()
        .map(|(field, value)| {
            let mut mine: Vec<&(&Rule, Severity)> =
                closed.iter().filter(|(r, _)| tests(r, field)).collect();
            if mine.is_empty() {
                mine.clone_from(&through_level);
            }
            let effort = form::effort(field).unwrap_or(Effort::Measure);
            let before_value = answered(lookup(&before.document().value, field));
            let change = Change {
                path: field.to_string(),
                value: value.clone(),
                label: label(field, value, before_value.is_some(), effort),
                effort,
                rules: mine.iter().map(|(r, _)| r.id.to_string()).collect(),
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
        Condition::Leaf(leaf) => {
            &*leaf.field == field || leaf.evidence_field().is_some_and(|e| e == field)
        }
    }
}

/// What to do, in plain words: the question a person is asked (the questionnaire's own
/// wording), and the answer to give once it is true, in a person's words.
fn label(field: &str, value: &Value, answered_before: bool, effort: Effort) -> String {
    let asked = |path: &str| form::asked(path).map_or_else(|| format!("`{path}`"), str::to_string);
    if let Some(section) = field.strip_suffix(".evidence") {
        return format!(
            "Attach a document that backs up the answers on \u{201c}{}\u{201d}: its title, and a link or a file reference",
            asked(section)
        );
    }
    let is_date = value
        .as_str()
        .is_some_and(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok());
    let answer = match value {
        Value::Bool(_) => crate::questions::describe(field, value),
        _ => format!(
            "\u{201c}{}\u{201d}",
            crate::questions::describe(field, value)
        ),
    };
    let what = match (answered_before, effort) {
        (false, _) => format!("Answer {answer} if it is so."),
        (true, _) if is_date => format!("Do it again, then answer {answer}."),
        (true, Effort::Document) => format!("Write it down or publish it, then answer {answer}."),
        (true, Effort::Measure) => format!("Put it in place, then answer {answer}."),
    };
    // A question reads within its section ("When was it last done?"), so the section's
    // title comes first.
    let section = field.split('.').next().unwrap_or(field);
    format!("{} \u{2014} {} {what}", asked(section), asked(field))
}

/// What the changes do, in one sentence: the verdict they give (none when it is acceptable
/// already) and the level, when it changes.
fn lifted(
    target: Option<Verdict>,
    changes: usize,
    level: Level,
    target_level: Option<Level>,
) -> String {
    let changes = count(changes, "change", "changes");
    let mut reason = match target {
        Some(target) => format!("{changes} would make the verdict {}", target.key()),
        None => format!("The verdict is acceptable already; {changes} would"),
    };
    if let Some(to) = target_level {
        let way = if to < level { "lower" } else { "raise" };
        if target.is_some() {
            reason.push_str(" and");
        }
        let _ = write!(
            reason,
            " {way} the level from {} to {}",
            level.key(),
            to.key()
        );
    }
    reason
}

/// Why nothing is proposed, in one sentence.
fn beyond_safeguards(verdict: Verdict, stuck: &[String]) -> String {
    match verdict {
        Verdict::Reject if !stuck.is_empty() => format!(
            "No safeguard can lift the verdict: the system crosses {} ({}) by what it is or does; only a different system, or a different use, would not",
            count(stuck.len(), "red line", "red lines"),
            stuck.join(", ")
        ),
        Verdict::Acceptable => {
            "The verdict is acceptable already, and no change of answers or safeguards alone lowers the level".to_string()
        }
        _ if !stuck.is_empty() => format!(
            "No change of answers or safeguards alone lifts the verdict: it is held down by {} that only a change in what the system is or does could meet ({})",
            count(stuck.len(), "rule", "rules"),
            stuck.join(", ")
        ),
        _ => "No change of answers or safeguards alone lifts the verdict".to_string(),
    }
}
