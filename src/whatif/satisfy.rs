//! The answers that would make a condition hold (or fail), found from the condition itself:
//! for each test, the value nearest to the one given that passes it, and for `all`, `any`
//! and `not` the ways their children can. Facts about the system are never changed: a
//! test on a fact either holds already or offers no way.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde_json::Value;

use super::Effort;
use crate::questions::form;
use crate::rules::{Comparison, Condition, Constant, Leaf, Op, Text};

/// A set of answers to give, by dotted field.
pub(super) type Answers = BTreeMap<Text, Value>;

/// Ways kept per condition: the cheapest few are enough to combine.
const WAYS: usize = 8;

/// What one set of answers costs: new safeguards first, then how many answers change.
pub(super) fn cost(answers: &Answers) -> (usize, usize) {
    let measures = answers
        .keys()
        .filter(|f| form::effort(f) == Some(Effort::Measure))
        .count();
    (measures, answers.len())
}

/// Finds the answers that make conditions hold in one descriptor.
pub(super) struct Ways<'a> {
    pub root: &'a Value,
    pub as_of: NaiveDate,
}

impl Ways<'_> {
    /// The cheapest ways (at most [`WAYS`]) to make `cond` give `want`, cheapest first; an
    /// empty set of answers when it gives `want` already, none when no answer that may
    /// change can.
    pub fn of(&self, cond: &Condition, want: bool) -> Vec<Answers> {
        let mut ways = match cond {
            Condition::Leaf(leaf) => self.leaf(leaf, want).into_iter().collect(),
            Condition::Not(child) => return self.of(child, !want),
            // Every child must give `want`: `all` holding, or `any` failing.
            Condition::All(children) | Condition::Any(children)
                if want == matches!(cond, Condition::All(_)) =>
            {
                let mut ways = vec![Answers::new()];
                for child in children {
                    let options = self.of(child, want);
                    ways = ways
                        .iter()
                        .flat_map(|a| options.iter().filter_map(move |b| merged(a, b)))
                        .collect();
                    prune(&mut ways);
                    if ways.is_empty() {
                        break;
                    }
                }
                ways
            }
            // One child giving `want` is enough.
            Condition::All(children) | Condition::Any(children) => children
                .iter()
                .flat_map(|child| self.of(child, want))
                .collect(),
        };
        prune(&mut ways);
        ways
    }

    /// The ways to back a met requirement with a document, as a profile that asks for
    /// evidence needs: one per section whose answers the requirement reads, each adding a
    /// document to that section's `evidence` list.
    pub fn evidence(&self, requires: &Condition) -> Vec<Answers> {
        let mut sections = Vec::new();
        evidence_sections(requires, self.root, &mut sections);
        sections.sort();
        sections.dedup();
        sections
            .into_iter()
            .filter(|section| form::effort(section) == Some(Effort::Document))
            .map(|section| {
                let mut list = lookup(self.root, &section)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                list.push(serde_json::json!({
                    "title": "The document that backs up these answers",
                    "file": "to be added",
                }));
                Answers::from([(Text::from(section.as_str()), Value::Array(list))])
            })
            .collect()
    }

    /// The one answer that makes a test give `want`, if its field may change.
    fn leaf(&self, leaf: &Leaf, want: bool) -> Option<Answers> {
        let current = answered(lookup(self.root, &leaf.field));
        let other = match &leaf.op {
            Op::IncludesAllOfField { field, .. } => answered(lookup(self.root, field)),
            _ => None,
        };
        let nearest = nearest(&leaf.op, current, other, want, self.as_of)?;
        if current == Some(&nearest) {
            return Some(Answers::new());
        }
        // A fact, or a field the schema does not mark, is never changed.
        form::effort(&leaf.field).map(|_| Answers::from([(leaf.field.clone(), nearest)]))
    }
}

/// The dotted `evidence` fields of the sections whose answered fields a condition reads.
fn evidence_sections(cond: &Condition, root: &Value, out: &mut Vec<String>) {
    match cond {
        Condition::All(c) | Condition::Any(c) => {
            for child in c {
                evidence_sections(child, root, out);
            }
        }
        Condition::Not(c) => evidence_sections(c, root, out),
        Condition::Leaf(leaf) => {
            if let (Some(field), Some(_)) =
                (leaf.evidence_field(), answered(lookup(root, &leaf.field)))
            {
                out.push(field);
            }
        }
    }
}

/// Two sets of answers together, unless they give one field two different answers.
fn merged(a: &Answers, b: &Answers) -> Option<Answers> {
    let mut out = a.clone();
    for (field, value) in b {
        match out.get(field) {
            Some(v) if v != value => return None,
            _ => {
                out.insert(field.clone(), value.clone());
            }
        }
    }
    Some(out)
}

/// Cheapest first, each way once, at most [`WAYS`]: a way that contains another is
/// never cheaper, so it is dropped.
fn prune(ways: &mut Vec<Answers>) {
    // Values have no order of their own; their JSON text gives a stable one.
    ways.sort_by_cached_key(|w| {
        let text: Vec<(Text, String)> = w.iter().map(|(f, v)| (f.clone(), v.to_string())).collect();
        (cost(w), text)
    });
    ways.dedup();
    let mut kept: Vec<Answers> = Vec::with_capacity(WAYS);
    for way in ways.drain(..) {
        let covered = kept
            .iter()
            .any(|k| k.iter().all(|(f, v)| way.get(f) == Some(v)));
        if !covered {
            kept.push(way);
        }
        if kept.len() == WAYS {
            break;
        }
    }
    *ways = kept;
}

/// The value of a dotted field.
pub(super) fn lookup<'v>(root: &'v Value, field: &str) -> Option<&'v Value> {
    field.split('.').try_fold(root, |at, key| at.get(key))
}

/// A value that counts as an answer: not null, not blank text, not an empty section.
pub(super) fn answered(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    })
}

/// The value nearest to `current` that makes the test give `want`: `current` itself when
/// it does already, else the smallest change (an item added to a list rather than a new
/// list); `None` when no value can (a test no single value fails, for instance).
fn nearest(
    op: &Op,
    current: Option<&Value>,
    other: Option<&Value>,
    want: bool,
    as_of: NaiveDate,
) -> Option<Value> {
    let items = || -> Vec<Value> {
        current
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let with = |add: &mut dyn Iterator<Item = Value>| {
        let mut list = items();
        for v in add {
            if !list.contains(&v) {
                list.push(v);
            }
        }
        Value::Array(list)
    };
    let with_constants = |add: &[Constant]| with(&mut add.iter().map(Constant::to_value));
    let without = |drop: &[Constant]| {
        Value::Array(
            items()
                .into_iter()
                .filter(|v| !drop.iter().any(|d| d == v))
                .collect(),
        )
    };
    if current.is_some_and(|v| gives(op, v, other, as_of) == Some(want)) {
        return current.cloned();
    }
    let date = |days: i64| {
        Value::String(
            (as_of - Duration::days(days))
                .format("%Y-%m-%d")
                .to_string(),
        )
    };
    match (op, want) {
        (Op::Equals(v), true) => Some(v.to_value()),
        (Op::Equals(v), false) => v.as_bool().map(|b| Value::Bool(!b)),
        (Op::OneOf(vs), true) => vs.first().map(Constant::to_value),
        (Op::OneOf(vs), false) => [true, false]
            .into_iter()
            .find(|&b| vs.iter().all(|v| v.as_bool().is_some()) && !vs.contains(&b.into()))
            .map(Value::Bool),
        (Op::ContainsAny(vs), true) => vs.first().map(|v| with_constants(std::slice::from_ref(v))),
        (Op::ContainsAll(vs), true) => Some(with_constants(vs)),
        (Op::ContainsAtLeast { count, values }, true) => {
            let have = items();
            let present = values.iter().filter(|v| v.is_in(&have)).count();
            let mut missing = values
                .iter()
                .filter(|v| !v.is_in(&have))
                .take(count.saturating_sub(present))
                .map(Constant::to_value);
            Some(with(&mut missing))
        }
        (
            Op::ContainsAny(vs) | Op::ContainsAll(vs) | Op::ContainsAtLeast { values: vs, .. },
            false,
        ) => Some(without(vs)),
        (Op::IncludesAllOfField { .. }, true) => {
            Some(with(&mut other.and_then(Value::as_array)?.iter().cloned()))
        }
        (Op::IncludesAllOfField { .. }, false) => None,
        (Op::Compare { comparison, value }, _) => {
            // The test to pass: failing `at least` is passing `less than`, and so on.
            let above = matches!(comparison, Comparison::GreaterThan | Comparison::AtLeast) == want;
            let inclusive = matches!(comparison, Comparison::AtLeast | Comparison::AtMost) == want;
            // The bound itself when it passes; else the next whole number past it.
            let n = if inclusive {
                *value
            } else if above {
                value.floor() + 1.0
            } else {
                value.ceil() - 1.0
            };
            number(n)
        }
        (Op::NewerThanDays(_), true) | (Op::OlderThanDays(_), false) => Some(date(0)),
        (Op::NewerThanDays(days), false) | (Op::OlderThanDays(days), true) => Some(date(days + 1)),
    }
}

/// A whole number as an integer, so that it fits integer fields; none below zero, which no
/// count, duration or size can be.
fn number(n: f64) -> Option<Value> {
    if n < 0.0 || !n.is_finite() {
        None
    } else if n.fract() == 0.0 && n <= 9_007_199_254_740_992.0 {
        #[expect(clippy::cast_possible_truncation, reason = "whole and within 2^53")]
        Some(Value::from(n as i64))
    } else {
        serde_json::Number::from_f64(n).map(Value::Number)
    }
}

/// What a test gives on an answered value, as rule evaluation decides it; `None` when it
/// cannot tell (a list test on a value that is not a list).
fn gives(op: &Op, v: &Value, other: Option<&Value>, as_of: NaiveDate) -> Option<bool> {
    let list = || v.as_array();
    Some(match op {
        Op::Equals(e) => e == v,
        Op::OneOf(options) => options.iter().any(|o| o == v),
        Op::ContainsAny(options) => {
            let l = list()?;
            options.iter().any(|o| o.is_in(l))
        }
        Op::ContainsAll(options) => {
            let l = list()?;
            options.iter().all(|o| o.is_in(l))
        }
        Op::ContainsAtLeast { count, values } => {
            let l = list()?;
            values.iter().filter(|o| o.is_in(l)).count() >= *count
        }
        Op::IncludesAllOfField { .. } => {
            let norm = |v: &Value| v.as_str().map(|s| s.trim().to_lowercase());
            let have: Vec<String> = list()?.iter().filter_map(norm).collect();
            other?
                .as_array()?
                .iter()
                .filter_map(norm)
                .all(|w| have.contains(&w))
        }
        Op::Compare { comparison, value } => {
            let n = v.as_f64()?;
            match comparison {
                Comparison::GreaterThan => n > *value,
                Comparison::AtLeast => n >= *value,
                Comparison::LessThan => n < *value,
                Comparison::AtMost => n <= *value,
            }
        }
        Op::OlderThanDays(days) | Op::NewerThanDays(days) => {
            let date = NaiveDate::parse_from_str(v.as_str()?, "%Y-%m-%d").ok()?;
            let age = (as_of - date).num_days();
            if matches!(op, Op::OlderThanDays(_)) {
                age > *days
            } else {
                age <= *days
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
    }

    /// The nearest value for a test, and that it gives what was wanted.
    fn check(op: &Op, current: Option<&Value>, want: bool) -> Option<Value> {
        let value = nearest(op, current, None, want, as_of())?;
        assert_eq!(
            gives(op, &value, None, as_of()),
            Some(want),
            "{op:?} {value}"
        );
        Some(value)
    }

    #[test]
    fn numbers_stop_at_the_nearest_whole_number_that_passes() {
        let cmp = |comparison, value| Op::Compare { comparison, value };
        let cases = [
            (Comparison::AtLeast, true, 3),
            (Comparison::AtLeast, false, 2),
            (Comparison::GreaterThan, true, 4),
            (Comparison::GreaterThan, false, 3),
            (Comparison::LessThan, true, 2),
            (Comparison::LessThan, false, 3),
            (Comparison::AtMost, true, 3),
            (Comparison::AtMost, false, 4),
        ];
        for (comparison, want, expected) in cases {
            let op = cmp(comparison, 3.0);
            assert_eq!(
                check(&op, None, want),
                Some(json!(expected)),
                "{op:?} {want}"
            );
        }
        // Nothing below zero: no count can be.
        assert_eq!(check(&cmp(Comparison::LessThan, 0.0), None, true), None);
    }

    #[test]
    fn a_value_that_passes_already_is_kept() {
        let op = Op::Compare {
            comparison: Comparison::AtLeast,
            value: 3.0,
        };
        assert_eq!(check(&op, Some(&json!(12)), true), Some(json!(12)));
        let op = Op::ContainsAny(vec!["a".into(), "b".into()]);
        assert_eq!(check(&op, Some(&json!(["b"])), true), Some(json!(["b"])));
    }

    #[test]
    fn lists_gain_or_lose_only_what_the_test_needs() {
        let any = Op::ContainsAny(vec!["a".into(), "b".into()]);
        assert_eq!(
            check(&any, Some(&json!(["x"])), true),
            Some(json!(["x", "a"]))
        );
        assert_eq!(
            check(&any, Some(&json!(["a", "x", "b"])), false),
            Some(json!(["x"]))
        );
        let all = Op::ContainsAll(vec!["a".into(), "b".into()]);
        assert_eq!(
            check(&all, Some(&json!(["b"])), true),
            Some(json!(["b", "a"]))
        );
        let two = Op::ContainsAtLeast {
            count: 2,
            values: vec!["a".into(), "b".into(), "c".into()],
        };
        assert_eq!(
            check(&two, Some(&json!(["c"])), true),
            Some(json!(["c", "a"]))
        );
    }

    #[test]
    fn dates_are_the_assessment_date_or_just_past_the_limit() {
        assert_eq!(
            check(&Op::NewerThanDays(365), Some(&json!("2020-01-01")), true),
            Some(json!("2026-06-30"))
        );
        assert_eq!(
            check(&Op::OlderThanDays(30), None, true),
            Some(json!("2026-05-30"))
        );
    }

    #[test]
    fn choices_and_booleans() {
        assert_eq!(
            check(&Op::Equals(true.into()), None, false),
            Some(json!(false))
        );
        let op = Op::OneOf(vec!["human-in-the-loop".into(), "human-on-the-loop".into()]);
        assert_eq!(
            check(&op, Some(&json!("none")), true),
            Some(json!("human-in-the-loop"))
        );
        // No one value is "not one of these" among many choices: no way is offered.
        assert_eq!(check(&op, None, false), None);
    }
}
