//! The questionnaire: one question per descriptor field, generated from the descriptor
//! schema (its wording: `x-question`, `x-title`, `x-labels`) and the catalog (which rules
//! read each field, and the sentence they quote), with what this system's answers make
//! worth asking.
//!
//! A short triage comes first: the facts about the system's nature (`x-fact`) that decide
//! which rules apply and the impact level. A section is shown when one of its questions
//! matters for this system: some rule that applies, or may apply given what is still
//! unknown, reads it, or the level model does. So a low-risk system honestly described is
//! asked few questions, and a high-risk one everything its level requires.
//!
//! [`Questions::new`] prepares a catalog once; [`Questions::ask`] then builds the
//! questionnaire of one descriptor with one evaluation, fast enough to run on every answer.
//! [`questionnaire`] does both.

pub(crate) mod form;
pub mod write;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::assessment::{FailOn, Outcome};
use crate::document::{Document, Format};
use crate::engine::{Engine, Options};
use crate::rules::{Catalog, Condition, Level, Op, Rule, Severities, Severity};
use crate::schema::is_within;
use form::{FieldForm, SectionForm};

/// Everything to ask about one system, in the order to ask it.
#[derive(Debug, Clone, Serialize)]
pub struct Questionnaire {
    /// The facts that decide which rules apply and the impact level, asked first.
    pub triage: Vec<Question>,
    /// The other questions, by section, in schema order.
    pub sections: Vec<Section>,
    /// How many of the questions that matter are answered.
    pub progress: Progress,
}

/// A section of the descriptor.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Its key in the descriptor, e.g. `oversight`.
    pub key: String,
    /// Its title.
    pub title: String,
    /// What it is about.
    pub description: String,
    /// Whether to ask it: one of its questions matters for this system.
    pub shown: bool,
    /// Why it is asked, or why not, in plain words.
    pub reason: String,
    /// Its questions, triage questions apart.
    pub questions: Vec<Question>,
}

/// One question: one descriptor field.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// Dotted path of the field, e.g. `oversight.can_override`.
    pub path: String,
    /// The question, in plain language.
    pub prompt: String,
    /// More about what it means.
    pub help: Option<String>,
    /// The answer it takes.
    pub kind: Kind,
    /// The answer the descriptor gives.
    pub answer: Answer,
    /// Whether it matters for this system: a rule that applies, or may apply, reads it,
    /// or it decides which rules apply or the level.
    pub matters: bool,
    /// The descriptor must answer it (the system's name): "don't know" is no answer.
    pub required: bool,
    /// The rules that read it, with the sentence each encodes.
    pub rules: Vec<Why>,
    /// Dotted path of the section's evidence list, where documents backing it go.
    pub evidence: Option<String>,
}

/// The answer a question takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Kind {
    /// Yes or no.
    YesNo,
    /// One of a fixed set.
    Choice {
        /// The allowed answers.
        options: Vec<AnswerOption>,
    },
    /// Any number of a fixed set.
    Choices {
        /// The allowed answers.
        options: Vec<AnswerOption>,
    },
    /// Free text.
    Text,
    /// A number.
    Number {
        /// The smallest allowed.
        minimum: Option<f64>,
        /// The largest allowed.
        maximum: Option<f64>,
        /// Whole numbers only.
        whole: bool,
    },
    /// A date, YYYY-MM-DD.
    Date,
    /// A list of free-text items.
    List,
}

/// One allowed answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerOption {
    /// The value written in the descriptor.
    pub key: String,
    /// What a person reads.
    pub label: String,
}

/// What the descriptor says.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Answer {
    /// "Don't know": left blank; it becomes a question for the vendor.
    Unknown,
    /// The source the descriptor was imported from never asks it (`source.not_asked`).
    NotAsked,
    /// An answer.
    Value {
        /// The value as the descriptor holds it.
        value: Value,
    },
}

/// A rule that reads a field, and the sentence it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Why {
    /// The rule's id.
    pub rule: String,
    /// What a compliant system does.
    pub title: String,
    /// The policy text the sentence is from (its title).
    pub document: String,
    /// The sentence, verbatim.
    pub quote: String,
}

/// How far the questionnaire is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Questions that matter and are answered.
    pub answered: usize,
    /// Questions that matter.
    pub matter: usize,
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} questions that matter for this system answered",
            self.answered, self.matter
        )
    }
}

/// The questionnaire of `doc` (of a new, empty descriptor when `None`), with the catalog
/// as written and today's date.
pub fn questionnaire(catalog: &Catalog, doc: Option<&Document>) -> Questionnaire {
    let today = crate::clock::today().unwrap_or_else(|_| chrono::Utc::now().date_naive());
    Questions::new(catalog).ask(doc, today)
}

/// A catalog prepared to build questionnaires: which rules read each field, and the
/// catalog without level limits, so that one evaluation tells which rules may apply at
/// any level the system could still have.
#[derive(Debug)]
pub struct Questions<'c> {
    catalog: &'c Catalog,
    /// The catalog with every rule's `applies_from` removed and no red line: its outcomes
    /// say whether a rule's `applies_when` rules it out (a red line is decided whether it
    /// applies or not, so its outcome alone would not say).
    ungated: Catalog,
    /// For each field, the rules (indices in catalog order) that read it.
    readers: HashMap<String, Vec<usize>>,
    /// For each field, why it is asked: the rules that read it and their sentence.
    whys: HashMap<String, Vec<Why>>,
    /// Fields any rule's `applies_when` reads.
    gates: HashSet<String>,
    /// Fields the level model reads.
    level: HashSet<String>,
    /// Fields asked first (see [`Questions::is_triage`]).
    triage: HashSet<&'static str>,
}

impl<'c> Questions<'c> {
    /// Prepares `catalog`.
    pub fn new(catalog: &'c Catalog) -> Questions<'c> {
        let mut readers: HashMap<String, Vec<usize>> = HashMap::new();
        let mut gates = HashSet::new();
        for (i, rule) in catalog.rules().iter().enumerate() {
            let mut fields = Vec::new();
            if let Some(when) = &rule.applies_when {
                fields_of(when, &mut fields);
                gates.extend(fields.iter().map(|f| (*f).to_string()));
            }
            fields_of(&rule.requires, &mut fields);
            fields.sort_unstable();
            fields.dedup();
            for field in fields {
                readers.entry(field.to_string()).or_default().push(i);
            }
        }
        let whys = readers
            .iter()
            .map(|(field, rules)| {
                let whys = rules.iter().map(|&i| why(&catalog.rules()[i])).collect();
                (field.clone(), whys)
            })
            .collect();
        let model = &catalog.level_model;
        let mut level = Vec::new();
        for variable in &model.variables {
            for factor in &variable.factors {
                fields_of(&factor.when, &mut level);
            }
        }
        for measure in model.mitigation.iter().flat_map(|m| &m.measures) {
            fields_of(&measure.when, &mut level);
        }
        for floor in &model.floors {
            fields_of(&floor.when, &mut level);
        }
        let level = level.into_iter().map(str::to_string).collect();
        let mut ungated = catalog.clone();
        ungated.retain_mut(|rule| {
            rule.applies_from = None;
            rule.severity = Severities::uniform(Severity::Medium);
            true
        });
        let mut questions = Questions {
            catalog,
            ungated,
            readers,
            whys,
            gates,
            level,
            triage: HashSet::new(),
        };
        questions.triage = form::form()
            .iter()
            .flat_map(|s| &s.fields)
            .filter(|f| questions.is_triage(f))
            .map(|f| f.path.as_str())
            .collect();
        questions
    }

    /// The questionnaire of `doc` (of a new, empty descriptor when `None`) on `as_of`.
    pub fn ask(&self, doc: Option<&Document>, as_of: NaiveDate) -> Questionnaire {
        let empty;
        let doc = if let Some(doc) = doc {
            doc
        } else {
            empty =
                Document::from_value("new", Value::Object(serde_json::Map::new()), Format::Yaml);
            &empty
        };
        let options = Options {
            as_of,
            fail_on: FailOn::default(),
        };
        let engine = Engine::plain(&self.ungated);
        let evaluation = engine.evaluate(doc, &options);
        let highest = evaluation.highest_possible_level();
        let rules = self.catalog.rules();
        let may_apply: Vec<bool> = evaluation
            .outcomes()
            .zip(rules)
            .map(|(o, rule)| {
                o.outcome != Outcome::NotApplicable
                    && rule.applies_from.is_none_or(|from| from <= highest)
            })
            .collect();
        let context = Context {
            questions: self,
            doc,
            not_asked: crate::schema::string_items(doc.value.pointer("/source/not_asked")),
            may_apply,
            level: evaluation.impact_level(),
            level_open: evaluation.impact_level() > Level::I || highest > Level::I,
        };
        let mut triage = Vec::new();
        let mut sections = Vec::new();
        for section in form::form() {
            let mut questions = Vec::new();
            let mut asked = Vec::new();
            let mut why_shown = Vec::new();
            for field in &section.fields {
                let question = context.question(field, section);
                if self.triage.contains(field.path.as_str()) {
                    triage.push(question);
                } else {
                    if question.matters {
                        why_shown.push(field);
                    }
                    asked.push(field);
                    questions.push(question);
                }
            }
            if questions.is_empty() {
                continue;
            }
            sections.push(Section {
                key: section.key.clone(),
                title: section.title.clone(),
                description: section.description.clone(),
                shown: !why_shown.is_empty(),
                reason: context.reason(&why_shown, &asked),
                questions,
            });
        }
        let mut progress = Progress {
            answered: 0,
            matter: 0,
        };
        let all = triage
            .iter()
            .chain(sections.iter().flat_map(|s| &s.questions));
        for q in all.filter(|q| q.matters) {
            progress.matter += 1;
            progress.answered += usize::from(matches!(q.answer, Answer::Value { .. }));
        }
        Questionnaire {
            triage,
            sections,
            progress,
        }
    }

    /// Whether a field decides which rules apply or the level.
    fn decides(&self, path: &str) -> bool {
        self.gates.contains(path) || self.level.contains(path)
    }

    /// Whether a field is asked first: a fact about the system's nature that decides which
    /// rules apply or the level, and that follows no answer other than such a fact (what an
    /// assessment concluded is a fact, but asked once the assessment is said to be done).
    fn is_triage(&self, field: &FieldForm) -> bool {
        field.fact
            && self.decides(&field.path)
            && field
                .asked_if
                .as_deref()
                .is_none_or(|after| form::field(after).is_some_and(|f| self.is_triage(f)))
    }
}

/// One descriptor's answers, with the rules that may apply to it.
struct Context<'q, 'c> {
    questions: &'q Questions<'c>,
    doc: &'q Document,
    not_asked: Vec<String>,
    /// For each rule in catalog order: whether it applies, or may apply given what is still
    /// unknown, at any level the system could have.
    may_apply: Vec<bool>,
    level: Level,
    /// Whether safeguards the level model counts could still change the level: not when
    /// the system is at the lowest level whatever its open facts.
    level_open: bool,
}

impl Context<'_, '_> {
    fn question(&self, field: &FieldForm, section: &SectionForm) -> Question {
        let q = self.questions;
        let answer = match self.doc.value.pointer(&field.pointer) {
            Some(v) if !v.is_null() => Answer::Value { value: v.clone() },
            _ if self.not_asked.iter().any(|s| is_within(&field.path, s)) => Answer::NotAsked,
            _ => Answer::Unknown,
        };
        let followed = field
            .asked_if
            .as_deref()
            .is_none_or(|after| self.value(after).is_some_and(states_something));
        let matters = followed
            && (field.required
                || q.triage.contains(field.path.as_str())
                || (self.level_open && q.level.contains(&field.path))
                || self.read_by_applicable(&field.path).is_some());
        Question {
            path: field.path.clone(),
            prompt: field.prompt.clone(),
            help: field.help.clone(),
            kind: field.kind.clone(),
            answer,
            matters,
            required: field.required,
            rules: q.whys.get(&field.path).cloned().unwrap_or_default(),
            evidence: section.evidence.clone(),
        }
    }

    /// The answer at a dotted path, if the descriptor gives one.
    fn value(&self, path: &str) -> Option<&Value> {
        self.doc
            .value
            .pointer(&pointer(path))
            .filter(|v| !v.is_null())
    }

    /// The first rule that reads `path` and applies, or may apply.
    fn read_by_applicable(&self, path: &str) -> Option<&Rule> {
        let rules = self.questions.catalog.rules();
        self.questions
            .readers
            .get(path)?
            .iter()
            .find(|&&i| self.may_apply.get(i).copied().unwrap_or(false))
            .map(|&i| &rules[i])
    }

    /// Why a section is asked (`shown` holds the fields of `asked` that matter), or why not.
    fn reason(&self, shown: &[&FieldForm], asked: &[&FieldForm]) -> String {
        if shown.is_empty() {
            let read = asked
                .iter()
                .any(|f| self.questions.readers.contains_key(&f.path));
            return if read {
                "not asked: none of the rules that read these answers apply to this system"
            } else {
                "not asked: no rule depends on these answers; they describe the system in the report"
            }
            .to_string();
        }
        if shown.iter().any(|f| f.required) {
            return "asked of every system".to_string();
        }
        if self.level_open && shown.iter().any(|f| self.questions.level.contains(&f.path)) {
            return "asked because these answers decide the system's impact level".to_string();
        }
        let rules: Vec<&Rule> = shown
            .iter()
            .filter_map(|f| self.read_by_applicable(&f.path))
            .collect();
        if rules
            .iter()
            .any(|r| r.applies_when.is_none() && r.applies_from.is_none())
        {
            return "asked of every system".to_string();
        }
        let mut gates = Vec::new();
        for rule in &rules {
            if let Some(when) = &rule.applies_when {
                fields_of(when, &mut gates);
            }
        }
        let value = |path: &str| self.value(path);
        if let Some(open) = gates.iter().find(|g| value(g).is_none()) {
            return format!(
                "asked because it may apply to this system: the answer to “{}” is still unknown",
                prompt(open)
            );
        }
        // An answer that states something (yes, a choice, a list) is what makes a rule
        // apply far more often than one that rules something out.
        let stated = gates
            .iter()
            .find(|g| value(g).is_some_and(states_something))
            .or(gates.first());
        if let (Some(path), Some(answer)) = (stated, stated.and_then(|g| value(g))) {
            return format!(
                "asked because of your answer to “{}”: {}",
                prompt(path),
                describe(path, answer)
            );
        }
        match rules.iter().filter_map(|r| r.applies_from).min() {
            Some(from) if from > self.level => format!(
                "asked because the system could reach impact level {}",
                from.as_str()
            ),
            Some(from) => format!(
                "asked because of the system's impact level (level {} or higher)",
                from.as_str()
            ),
            None => "asked of every system".to_string(),
        }
    }
}

/// The question a field asks.
fn prompt(path: &str) -> String {
    form::field(path).map_or_else(|| path.to_string(), |f| f.prompt.clone())
}

/// Whether an answer states something rather than ruling it out.
fn states_something(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => s != "none",
        Value::Array(a) => !a.is_empty(),
        Value::Null => false,
        _ => true,
    }
}

/// An answer in a person's words: a choice's label, yes or no.
pub fn describe(path: &str, answer: &Value) -> String {
    let options = match form::field(path).map(|f| &f.kind) {
        Some(Kind::Choice { options } | Kind::Choices { options }) => options.as_slice(),
        _ => &[],
    };
    let one = |v: &Value| match v {
        Value::Bool(true) => "yes".to_string(),
        Value::Bool(false) => "no".to_string(),
        Value::String(s) => options
            .iter()
            .find(|o| o.key == *s)
            .map_or_else(|| s.clone(), |o| o.label.clone()),
        other => crate::rules::plain(other),
    };
    match answer {
        Value::Array(items) => items.iter().map(one).collect::<Vec<_>>().join(", "),
        other => one(other),
    }
}

/// The rule's reason for a field: its first source's sentence.
fn why(rule: &Rule) -> Why {
    let source = rule.sources.first();
    let document = source.map(|s| s.document.as_str()).unwrap_or_default();
    Why {
        rule: rule.id.to_string(),
        title: rule.title.to_string(),
        document: crate::seeds::index()
            .ok()
            .and_then(|docs| docs.iter().find(|d| d.id == document))
            .map_or_else(|| document.to_string(), |d| d.title.clone()),
        quote: source.map(|s| s.quote.to_string()).unwrap_or_default(),
    }
}

/// The fields a condition reads, including those a test compares with.
fn fields_of<'a>(condition: &'a Condition, out: &mut Vec<&'a str>) {
    match condition {
        Condition::All(c) | Condition::Any(c) => c.iter().for_each(|c| fields_of(c, out)),
        Condition::Not(c) => fields_of(c, out),
        Condition::Leaf(leaf) => {
            out.push(&leaf.field);
            if let Op::IncludesAllOfField { field, .. } = &leaf.op {
                out.push(field);
            }
        }
    }
}

/// A dotted path as a JSON Pointer.
fn pointer(path: &str) -> String {
    path.split('.')
        .map(crate::document::escape_pointer_segment)
        .fold(String::new(), |mut out, segment| {
            out.push('/');
            out.push_str(&segment);
            out
        })
}
