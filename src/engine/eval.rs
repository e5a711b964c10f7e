//! Evaluating conditions and the impact level against one descriptor, in three-valued
//! logic: a field the descriptor does not answer is unknown to every test, never silently
//! true or false. Each field is looked up once, and the leaves that decided a result are
//! kept, as references, for the write-up.

use std::ops::Range;

use chrono::NaiveDate;
use serde_json::Value;

use crate::document::Document;
use crate::rules::level::{Combine, Factor, Variable};
use crate::rules::{
    Comparison, Condition, Leaf, Level, LevelModel, Op, Step, field_paths, fields_within,
};

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
    pub(super) fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }

    pub(super) fn of(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }

    pub(super) fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Unknown,
        }
    }
}

/// One leaf's result: what a written-up observation is made from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Seen<'a> {
    pub leaf: &'a Leaf,
    pub value: Option<&'a Value>,
    pub truth: Truth,
    /// The truth value that would satisfy the rule (it flips under `not`).
    pub wanted: bool,
    /// Unanswered, and the descriptor's source never asks for it.
    pub not_asked: bool,
}

/// A factor, measure or floor that holds or may hold, and the leaves that decided it.
#[derive(Debug)]
pub(super) struct Hit {
    /// Its index in its list in the model.
    pub index: usize,
    /// `True` or `Unknown`.
    pub truth: Truth,
    pub seen: Range<usize>,
}

/// One variable's score.
#[derive(Debug)]
pub(super) struct VariableResult {
    pub score: u32,
    /// The score if every open factor held.
    pub upper: u32,
    pub hits: Vec<Hit>,
}

/// The impact level, and the facts behind it.
#[derive(Debug)]
pub(super) struct LevelResult {
    /// The level the stated facts give (I to IV).
    pub level: Level,
    /// The level if every open factor held.
    pub highest_possible: Level,
    /// Points after any mitigation reduction.
    pub points: u32,
    /// Points before it, when it applied.
    pub reduced_from: Option<u32>,
    pub variables: Vec<VariableResult>,
    /// Measures in place.
    pub measures: Vec<Hit>,
    /// Floors that hold or may hold.
    pub floors: Vec<Hit>,
}

/// A child of `all` or `any` while its siblings are evaluated: its truth and its leaves.
#[derive(Debug, Clone, Copy)]
struct Child {
    truth: Truth,
    from: usize,
    to: usize,
}

/// The set of truth values a condition can reach, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reach(u8);

impl Reach {
    const TRUE: Reach = Reach(1);
    const FALSE: Reach = Reach(2);
    const UNKNOWN: Reach = Reach(4);

    fn has(self, one: Reach) -> bool {
        self.0 & one.0 != 0
    }

    fn truths(self) -> impl Iterator<Item = Truth> {
        [
            (Reach::TRUE, Truth::True),
            (Reach::FALSE, Truth::False),
            (Reach::UNKNOWN, Truth::Unknown),
        ]
        .into_iter()
        .filter(move |(bit, _)| self.has(*bit))
        .map(|(_, t)| t)
    }
}

/// A field's value, or that it has not been looked up yet.
#[derive(Debug, Clone, Copy)]
enum Cached<'a> {
    NotLooked,
    Looked(Option<&'a Value>),
}

/// Evaluates conditions against one descriptor, remembering each field's value so that a
/// field many rules test is looked up once.
pub(super) struct Evaluator<'a> {
    root: &'a Value,
    as_of: NaiveDate,
    /// Per schema field (a leaf's `slot`): its value, once looked up.
    values: Vec<Cached<'a>>,
    /// Per schema field (a leaf's `slot`): whether the descriptor's source never asks it,
    /// as `source.not_asked` lists it or its section; empty when the source lists nothing.
    pub(super) unasked: Vec<bool>,
    /// The decisive leaves of every condition evaluated so far.
    pub seen: Vec<Seen<'a>>,
    /// Children of the `all`s and `any`s being evaluated, innermost last.
    children: Vec<Child>,
}

impl<'a> Evaluator<'a> {
    pub fn new(doc: &'a Document, as_of: NaiveDate) -> Self {
        let listed = doc
            .value
            .get("source")
            .and_then(|s| s.get("not_asked"))
            .and_then(Value::as_array)
            .filter(|items| !items.is_empty());
        let mut unasked = Vec::new();
        if let Some(items) = listed {
            unasked = vec![false; field_paths().len()];
            // A name that is no field has no field within it either: every section of a
            // field is a field of its own (`every_schema_field_is_reached_through_its_section`).
            for slots in items
                .iter()
                .filter_map(Value::as_str)
                .filter_map(fields_within)
            {
                for &slot in slots {
                    unasked[slot] = true;
                }
            }
        }
        Evaluator {
            root: &doc.value,
            as_of,
            values: vec![Cached::NotLooked; field_paths().len()],
            unasked,
            seen: Vec::with_capacity(512),
            children: Vec::with_capacity(16),
        }
    }

    /// The value of the schema field in `slot`, as [`super::lookup`] of its pointer finds it.
    pub fn value(&mut self, slot: usize) -> Option<&'a Value> {
        if let Cached::Looked(known) = self.values[slot] {
            return known;
        }
        let value = match &field_paths()[slot].step {
            Step::Top(key) => self.root.get(*key),
            Step::Child(section, key) => self.value(*section).and_then(|s| s.get(*key)),
            Step::Pointer(pointer) => super::lookup(self.root, pointer),
        };
        self.values[slot] = Cached::Looked(value);
        value
    }

    /// Whether the source never asks for a field: it, or a section it is in, is listed.
    fn leaf_not_asked(&self, leaf: &Leaf) -> bool {
        self.unasked.get(leaf.slot()).copied().unwrap_or(false)
    }

    /// Evaluates a condition and keeps its decisive leaves only when it holds or may hold.
    fn hit(&mut self, index: usize, when: &'a Condition) -> Option<Hit> {
        let start = self.seen.len();
        let truth = self.eval(when, true);
        if truth == Truth::False {
            self.seen.truncate(start);
            return None;
        }
        Some(Hit {
            index,
            truth,
            seen: start..self.seen.len(),
        })
    }

    /// One variable's score on what is stated, and if every open factor held.
    fn variable(&mut self, variable: &'a Variable) -> VariableResult {
        let hits: Vec<Hit> = variable
            .factors
            .iter()
            .enumerate()
            .filter_map(|(i, f)| self.hit(i, &f.when))
            .collect();
        let holds = |truth| {
            hits.iter()
                .filter(move |h| h.truth == truth)
                .map(|h| &variable.factors[h.index])
        };
        let reach = |f: &Factor| f.could_reach.unwrap_or(f.score);
        let (mut score, upper) = match variable.combine {
            Combine::Highest => {
                let score = holds(Truth::True).map(|f| f.score).max();
                let upper = holds(Truth::True)
                    .chain(holds(Truth::Unknown))
                    .map(reach)
                    .max()
                    .unwrap_or(0);
                (score.map_or(variable.base, |s| s.max(variable.base)), upper)
            }
            Combine::Sum => {
                let score = variable.base + holds(Truth::True).map(|f| f.score).sum::<u32>();
                let more: u32 = holds(Truth::True)
                    .map(|f| reach(f) - f.score)
                    .chain(holds(Truth::Unknown).map(reach))
                    .sum();
                (score, score + more)
            }
        };
        if holds(Truth::True).next().is_none() && holds(Truth::Unknown).next().is_some() {
            score = score.max(variable.if_unknown);
        }
        let score = score.min(variable.max);
        VariableResult {
            score,
            upper: upper.max(score).min(variable.max),
            hits,
        }
    }

    /// The variables, the mitigation reduction and the floors, then the level they give.
    pub fn level(&mut self, model: &'a LevelModel) -> LevelResult {
        let mut variables = Vec::with_capacity(model.variables.len());
        let (mut points, mut upper_points) = (0, 0);
        for variable in &model.variables {
            let result = self.variable(variable);
            points += variable.weight * result.score;
            upper_points += variable.weight * result.upper;
            variables.push(result);
        }
        let (measures, reduced_from) = match &model.mitigation {
            Some(m) => {
                let measures: Vec<Hit> = m
                    .measures
                    .iter()
                    .enumerate()
                    .filter_map(|(i, measure)| self.hit(i, &measure.when))
                    .filter(|h| h.truth == Truth::True)
                    .collect();
                if measures.len() >= m.needed() {
                    let before = points;
                    points = m.reduce(points);
                    upper_points = m.reduce(upper_points);
                    (measures, Some(before))
                } else {
                    (measures, None)
                }
            }
            None => (Vec::new(), None),
        };
        let floors: Vec<Hit> = model
            .floors
            .iter()
            .enumerate()
            .filter_map(|(i, f)| self.hit(i, &f.when))
            .collect();
        let floor = |truths: &[Truth]| {
            floors
                .iter()
                .filter(|h| truths.contains(&h.truth))
                .map(|h| model.floors[h.index].level)
                .max()
                .unwrap_or(Level::I)
        };
        let level = model.level_for(points).max(floor(&[Truth::True]));
        let highest_possible = model
            .level_for(upper_points)
            .max(floor(&[Truth::True, Truth::Unknown]))
            .max(level);
        LevelResult {
            level,
            highest_possible,
            points,
            reduced_from,
            variables,
            measures,
            floors,
        }
    }

    /// Evaluates a condition. `wanted` is the truth value that would satisfy the rule,
    /// which flips under `not`; it phrases the observations.
    pub fn eval(&mut self, cond: &'a Condition, wanted: bool) -> Truth {
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

    /// Whether the open questions of a rule that ended unknown could settle it without
    /// what its source never asks: whether some way of answering the leaves that are open
    /// but asked (each yes or no; the leaves the source never asks stay unknown) makes
    /// `settled` hold for the applicability and the requirement. Every leaf of a rule is a
    /// test of its own, so the values each condition can reach are worked out bottom up,
    /// exactly and in one pass. True when no leaf the rule needs is unasked.
    pub fn settles_without_unasked(
        &mut self,
        applies_when: Option<&'a Condition>,
        requires: &'a Condition,
        settled: impl Fn(Truth, Truth) -> bool,
    ) -> bool {
        if self.unasked.is_empty() {
            return true;
        }
        let mut unasked = false;
        let applies = applies_when.map_or(Reach::TRUE, |c| self.reach(c, &mut unasked));
        let requirement = self.reach(requires, &mut unasked);
        if !unasked {
            return true;
        }
        applies
            .truths()
            .any(|a| requirement.truths().any(|r| settled(a, r)))
    }

    /// The truth values a condition can reach when its open but asked leaves are answered.
    fn reach(&mut self, cond: &'a Condition, unasked: &mut bool) -> Reach {
        match cond {
            Condition::All(children) | Condition::Any(children) => {
                let conjunction = matches!(cond, Condition::All(_));
                let (decisive, other) = if conjunction {
                    (Reach::FALSE, Reach::TRUE)
                } else {
                    (Reach::TRUE, Reach::FALSE)
                };
                // Decisive if one child can be; the other value if all can be; unknown if
                // all can avoid the decisive value and one can be unknown.
                let mut out = Reach(0);
                let mut all_other = true;
                let mut all_avoid = true;
                let mut some_unknown = false;
                for child in children {
                    let r = self.reach(child, unasked);
                    if r.has(decisive) {
                        out.0 |= decisive.0;
                    }
                    all_other &= r.has(other);
                    all_avoid &= r.0 & !decisive.0 != 0;
                    some_unknown |= r.has(Reach::UNKNOWN);
                }
                if all_other {
                    out.0 |= other.0;
                }
                if all_avoid && some_unknown {
                    out.0 |= Reach::UNKNOWN.0;
                }
                out
            }
            Condition::Not(child) => {
                let r = self.reach(child, unasked);
                let mut out = Reach(r.0 & Reach::UNKNOWN.0);
                if r.has(Reach::TRUE) {
                    out.0 |= Reach::FALSE.0;
                }
                if r.has(Reach::FALSE) {
                    out.0 |= Reach::TRUE.0;
                }
                out
            }
            Condition::Leaf(leaf) => match self.leaf_truth(leaf).0 {
                Truth::True => Reach::TRUE,
                Truth::False => Reach::FALSE,
                Truth::Unknown if self.leaf_not_asked(leaf) => {
                    *unasked = true;
                    Reach::UNKNOWN
                }
                Truth::Unknown => Reach(Reach::TRUE.0 | Reach::FALSE.0),
            },
        }
    }

    /// A leaf's truth and the value it read, without recording it.
    fn leaf_truth(&mut self, leaf: &'a Leaf) -> (Truth, Option<&'a Value>) {
        let value = answered(self.value(leaf.slot()));
        let truth = match (value, &leaf.op) {
            (None, _) if leaf.unanswered_false => Truth::False,
            (None, _) => Truth::Unknown,
            (Some(v), Op::IncludesAllOfField { slot, .. }) => {
                match answered(self.value(*slot)).and_then(Value::as_array) {
                    Some(wanted_items) => includes_all(v, wanted_items),
                    None => Truth::Unknown,
                }
            }
            (Some(v), op) => test(op, v, self.as_of),
        };
        (truth, value)
    }

    fn leaf(&mut self, leaf: &'a Leaf, wanted: bool) -> Truth {
        let (truth, value) = self.leaf_truth(leaf);
        let not_asked = value.is_none() && self.leaf_not_asked(leaf);
        self.seen.push(Seen {
            leaf,
            value,
            truth,
            wanted,
            not_asked,
        });
        truth
    }
}

/// Whether a list holds every item of another, without regard to case or spaces.
fn includes_all(list: &Value, wanted: &[Value]) -> Truth {
    let Some(items) = list.as_array() else {
        return Truth::Unknown;
    };
    let norm = |v: &Value| v.as_str().map(|s| s.trim().to_lowercase());
    let have: Vec<String> = items.iter().filter_map(norm).collect();
    Truth::of(wanted.iter().filter_map(norm).all(|w| have.contains(&w)))
}

fn test(op: &Op, v: &Value, as_of: NaiveDate) -> Truth {
    match op {
        Op::Equals(expected) => Truth::of(expected == v),
        Op::OneOf(options) => Truth::of(options.iter().any(|o| o == v)),
        Op::ContainsAny(options) => match v.as_array() {
            Some(items) => Truth::of(options.iter().any(|o| o.is_in(items))),
            None => Truth::Unknown,
        },
        Op::ContainsAll(options) => match v.as_array() {
            Some(items) => Truth::of(options.iter().all(|o| o.is_in(items))),
            None => Truth::Unknown,
        },
        Op::ContainsAtLeast { count, values } => match v.as_array() {
            Some(items) => Truth::of(values.iter().filter(|o| o.is_in(items)).count() >= *count),
            None => Truth::Unknown,
        },
        Op::Compare { comparison, value } => match v.as_f64() {
            Some(n) => Truth::of(match comparison {
                Comparison::GreaterThan => n > *value,
                Comparison::AtLeast => n >= *value,
                Comparison::LessThan => n < *value,
                Comparison::AtMost => n <= *value,
            }),
            None => Truth::Unknown,
        },
        // Compared with another field, in `Evaluator::leaf`.
        Op::IncludesAllOfField { .. } => Truth::Unknown,
        Op::OlderThanDays(days) | Op::NewerThanDays(days) => {
            let Some(date) = v
                .as_str()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            else {
                return Truth::Unknown;
            };
            let age = (as_of - date).num_days();
            if matches!(op, Op::OlderThanDays(_)) {
                Truth::of(age > *days)
            } else {
                Truth::of(age <= *days)
            }
        }
    }
}

/// Whether a value counts as an answer: not null, not blank text, not an empty section.
/// An empty list is an answer ("none"), so `monitored_groups: []` is a statement.
pub(super) fn answered(v: Option<&Value>) -> Option<&Value> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::Object(o)) if o.is_empty() => None,
        Some(v) => Some(v),
    }
}
