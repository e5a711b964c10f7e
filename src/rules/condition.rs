//! The condition language of rules, checked against the descriptor schema when loaded.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use serde_json::{Value, json};

use crate::document::Document;
use crate::schema::{FieldInfo, FieldKind, descriptor_fields, did_you_mean};
use crate::vocabulary::Text;

/// A condition over a descriptor.
#[derive(Debug, Clone)]
pub enum Condition {
    /// Every child holds.
    All(Box<[Condition]>),
    /// At least one child holds.
    Any(Box<[Condition]>),
    /// The child does not hold.
    Not(Box<Condition>),
    /// A test of one field (boxed: a leaf is five times the size of the other kinds, and
    /// most conditions in a rule are not leaves but hold them).
    Leaf(Box<Leaf>),
}

impl Condition {
    /// The condition in the syntax rule files use.
    pub fn to_value(&self) -> Value {
        match self {
            Condition::All(c) => {
                json!({ "all": c.iter().map(Condition::to_value).collect::<Vec<_>>() })
            }
            Condition::Any(c) => {
                json!({ "any": c.iter().map(Condition::to_value).collect::<Vec<_>>() })
            }
            Condition::Not(c) => json!({ "not": c.to_value() }),
            Condition::Leaf(leaf) => {
                let (name, arg) = match &leaf.op {
                    Op::Equals(v) => ("equals", v.to_value()),
                    Op::OneOf(v) => ("one_of", Constant::array(v)),
                    Op::ContainsAny(v) => ("contains_any", Constant::array(v)),
                    Op::ContainsAll(v) => ("contains_all", Constant::array(v)),
                    Op::ContainsAtLeast { count, values } => (
                        "contains_at_least",
                        json!({ "count": count, "of": Constant::array(values) }),
                    ),
                    Op::IncludesAllOfField { field, .. } => {
                        ("includes_all_of_field", Value::String(field.to_string()))
                    }
                    Op::Compare { comparison, value } => {
                        let name = match comparison {
                            Comparison::GreaterThan => "greater_than",
                            Comparison::AtLeast => "at_least",
                            Comparison::LessThan => "less_than",
                            Comparison::AtMost => "at_most",
                        };
                        (name, json!(value))
                    }
                    Op::OlderThanDays(n) => ("older_than_days", days_arg(*n, leaf.param)),
                    Op::NewerThanDays(n) => ("newer_than_days", days_arg(*n, leaf.param)),
                };
                let mut map = serde_json::Map::new();
                map.insert("field".to_string(), Value::String(leaf.field.to_string()));
                map.insert(name.to_string(), arg);
                if leaf.unanswered_false {
                    map.insert("if_unanswered".to_string(), Value::Bool(false));
                }
                Value::Object(map)
            }
        }
    }
}

/// A number of days as rule files write it: a number, or a profile parameter with its default.
fn days_arg(days: i64, param: Option<&str>) -> Value {
    match param {
        Some(p) => json!({ "param": p, "default": days }),
        None => json!(days),
    }
}

/// Profile parameters a rule may refer to with `{param: NAME, default: N}`.
pub const PARAMETERS: &[&str] = &["impact_assessment_fresh_days"];

impl Condition {
    /// Replaces the days of every test that names `param` with `days` (a profile's value).
    pub fn set_parameter(&mut self, param: &str, days: i64) {
        match self {
            Condition::All(c) | Condition::Any(c) => {
                for child in c {
                    child.set_parameter(param, days);
                }
            }
            Condition::Not(c) => c.set_parameter(param, days),
            Condition::Leaf(leaf) => {
                if leaf.param == Some(param) {
                    match &mut leaf.op {
                        Op::OlderThanDays(n) | Op::NewerThanDays(n) => *n = days,
                        _ => {}
                    }
                    leaf.expectations = OnceLock::new();
                }
            }
        }
    }
}

impl Serialize for Condition {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

/// A test of one field.
#[derive(Debug, Clone)]
pub struct Leaf {
    /// Dotted field path, e.g. `oversight.can_override`; shared with the observations
    /// that report it.
    pub field: Text,
    /// The same path as a JSON Pointer.
    pub pointer: Text,
    /// The field's place in [`field_paths`], where evaluation caches its value.
    pub(crate) slot: u32,
    /// The place in [`field_paths`] of the section whose `evidence` backs this field.
    pub(crate) evidence_slot: Option<u32>,
    /// "it should …" and "it should not …" [`Op::expectation`], written the first time
    /// an observation needs them and shared by the observations after; a yes-or-no test
    /// (most tests) shares them with every other test of the same answer instead.
    pub(super) expectations: OnceLock<Box<[Arc<str>; 2]>>,
    /// The test. Change its number of days with [`Condition::set_parameter`], which
    /// keeps the leaf's written expectations in step.
    pub op: Op,
    /// The profile parameter that sets the test's number of days, if any: one of
    /// [`PARAMETERS`].
    pub param: Option<&'static str>,
    /// `if_unanswered: false`: an unanswered field makes this test false rather than
    /// unknown. Allowed only in `applies_when`, where it lets a rule about a capability
    /// apply only when the descriptor states the capability: silence can make a rule not
    /// apply, never a gap or a pass.
    pub unanswered_false: bool,
}

impl Leaf {
    /// What an observation of this leaf says was expected: "it should …" when the test
    /// should have held, "it should not …" when it should not.
    pub fn expected(&self, wanted: bool) -> &Arc<str> {
        /// The expectations of `equals: false` and `equals: true`, shared by every such
        /// test of every catalog.
        static YES_OR_NO: [OnceLock<[Arc<str>; 2]>; 2] = [OnceLock::new(), OnceLock::new()];
        // Written the first time an observation needs them: most leaves of most rules are
        // never observed in a run, and loading the catalog stays cheap.
        let both = match self.op {
            Op::Equals(Constant::Bool(answer)) => {
                YES_OR_NO[usize::from(answer)].get_or_init(|| self.op.expectations())
            }
            _ => &**self
                .expectations
                .get_or_init(|| Box::new(self.op.expectations())),
        };
        &both[usize::from(!wanted)]
    }

    /// The field's place in [`field_paths`].
    pub(crate) fn slot(&self) -> usize {
        self.slot as usize
    }

    /// The place in [`field_paths`] of the section whose `evidence` backs this field.
    pub(crate) fn evidence_slot(&self) -> Option<usize> {
        self.evidence_slot.map(|slot| slot as usize)
    }

    /// The `evidence` list of the section that backs this field, if the descriptor has one
    /// there.
    pub(crate) fn evidence_in<'v>(&self, root: &'v Value) -> Option<&'v Value> {
        value_in(root, self.evidence_slot()?)?.get("evidence")
    }

    /// The dotted `evidence` field of the section that backs this field, if any.
    pub(crate) fn evidence_field(&self) -> Option<String> {
        let section = field_paths().get(self.evidence_slot()?)?;
        Some(format!("{}.evidence", section.name))
    }
}

/// Numeric comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `>`
    GreaterThan,
    /// `>=`
    AtLeast,
    /// `<`
    LessThan,
    /// `<=`
    AtMost,
}

/// The test a leaf applies. Every test is unknown on a field the descriptor leaves
/// unanswered: only an explicit answer passes or fails.
#[derive(Debug, Clone)]
pub enum Op {
    /// The field equals the value.
    Equals(Constant),
    /// The field equals one of the values.
    OneOf(Vec<Constant>),
    /// The list holds at least one of the values.
    ContainsAny(Vec<Constant>),
    /// The list holds every value.
    ContainsAll(Vec<Constant>),
    /// The list holds at least `count` of the values: e.g. two or more groups at risk.
    ContainsAtLeast {
        /// How many.
        count: usize,
        /// Of which values.
        values: Vec<Constant>,
    },
    /// The list holds every item of another list field (compared without regard to case
    /// or surrounding spaces): e.g. moderation works in every language its users use.
    IncludesAllOfField {
        /// The other field, dotted.
        field: Text,
        /// Its place in [`field_paths`].
        slot: usize,
    },
    /// Numeric comparison with a number.
    Compare {
        /// Which comparison.
        comparison: Comparison,
        /// The number compared with.
        value: f64,
    },
    /// The date is more than N days before the as-of date.
    OlderThanDays(i64),
    /// The date is at most N days before the as-of date.
    NewerThanDays(i64),
}

impl Op {
    /// "it should …" and "it should not …" followed by [`Op::expectation`].
    fn expectations(&self) -> [Arc<str>; 2] {
        ["it should ", "it should not "].map(|lead| {
            // Room for the usual test ("be `true`") and a short list, so that the text
            // is written without growing.
            let mut text = String::with_capacity(lead.len() + 64);
            text.push_str(lead);
            self.write_expectation(&mut text);
            text.into()
        })
    }

    /// How the test reads after "it should": "be `true`", "include any of ..."
    pub fn expectation(&self) -> String {
        let mut out = String::new();
        self.write_expectation(&mut out);
        out
    }

    /// Appends [`Op::expectation`] to `out`.
    pub fn write_expectation(&self, out: &mut String) {
        let list = |out: &mut String, values: &[Constant]| {
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push('`');
                v.write_plain(out);
                out.push('`');
            }
        };
        match self {
            Op::Equals(v) => {
                out.push_str("be `");
                v.write_plain(out);
                out.push('`');
            }
            Op::OneOf(vs) => {
                out.push_str("be one of ");
                list(out, vs);
            }
            // One value: "include `x`", not "include any of `x`".
            Op::ContainsAny(vs) | Op::ContainsAll(vs) if vs.len() == 1 => {
                out.push_str("include ");
                list(out, vs);
            }
            Op::ContainsAny(vs) => {
                out.push_str("include any of ");
                list(out, vs);
            }
            Op::ContainsAll(vs) => {
                out.push_str("include all of ");
                list(out, vs);
            }
            Op::ContainsAtLeast { count, values } => {
                let _ = write!(out, "include at least {count} of ");
                list(out, values);
            }
            Op::IncludesAllOfField { field, .. } => {
                let _ = write!(out, "include every item of `{field}`");
            }
            Op::Compare { comparison, value } => {
                let word = match comparison {
                    Comparison::GreaterThan => "more than",
                    Comparison::AtLeast => "at least",
                    Comparison::LessThan => "less than",
                    Comparison::AtMost => "at most",
                };
                let _ = write!(out, "be {word} {value}");
            }
            Op::OlderThanDays(n) => {
                let _ = write!(out, "be more than {n} days before the assessment date");
            }
            Op::NewerThanDays(n) => {
                let _ = write!(out, "be no more than {n} days before the assessment date");
            }
        }
    }
}

/// A value a test compares with: what a rule file writes after `equals`, `one_of` or
/// `contains_any`. Rule files allow a yes or no, a number or a text, nothing else (checked
/// against the field's kind when the rule is read); the built-in catalog's texts stay where
/// they lie in the binary.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    /// `true` or `false`.
    Bool(bool),
    /// A number, compared as JSON compares numbers (`1` is not `1.0`).
    Number(serde_json::Number),
    /// A text.
    Text(Text),
}

impl Constant {
    /// The constant of a JSON value; none for null, a list or a mapping.
    pub fn from_value(value: &Value) -> Option<Constant> {
        match value {
            Value::Bool(b) => Some(Constant::Bool(*b)),
            Value::Number(n) => Some(Constant::Number(n.clone())),
            Value::String(s) => Some(Constant::Text(s.as_str().into())),
            Value::Null | Value::Array(_) | Value::Object(_) => None,
        }
    }

    /// The constants of a list of values; none if any is not one.
    pub fn list(values: &[Value]) -> Option<Vec<Constant>> {
        values.iter().map(Constant::from_value).collect()
    }

    /// The constant as a JSON value.
    pub fn to_value(&self) -> Value {
        match self {
            Constant::Bool(b) => Value::Bool(*b),
            Constant::Number(n) => Value::Number(n.clone()),
            Constant::Text(t) => Value::String(t.to_string()),
        }
    }

    /// Constants as a JSON list.
    pub fn array(values: &[Constant]) -> Value {
        Value::Array(values.iter().map(Constant::to_value).collect())
    }

    /// The yes or no, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Constant::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Whether a list of values holds this constant.
    pub fn is_in(&self, values: &[Value]) -> bool {
        values.iter().any(|v| self == v)
    }

    /// Appends the constant as plain text, as [`write_plain`] writes its value.
    pub fn write_plain(&self, out: &mut String) {
        match self {
            Constant::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Constant::Number(n) => {
                let _ = write!(out, "{n}");
            }
            Constant::Text(t) => out.push_str(t),
        }
    }
}

impl From<bool> for Constant {
    fn from(b: bool) -> Self {
        Constant::Bool(b)
    }
}

impl From<&str> for Constant {
    fn from(text: &str) -> Self {
        Constant::Text(text.into())
    }
}

/// A value equals a constant of the same kind and content, as JSON values compare.
impl PartialEq<Value> for Constant {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Constant::Bool(a), Value::Bool(b)) => a == b,
            (Constant::Number(a), Value::Number(b)) => a == b,
            (Constant::Text(a), Value::String(b)) => a.as_str() == b,
            _ => false,
        }
    }
}

impl PartialEq<Constant> for Value {
    fn eq(&self, other: &Constant) -> bool {
        other == self
    }
}

/// A value as plain text, without JSON quotes around strings.
pub fn plain(v: &Value) -> String {
    let mut out = String::new();
    write_plain(&mut out, v);
    out
}

/// Appends [`plain`] to `out`.
pub fn write_plain(out: &mut String, v: &Value) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_plain(out, item);
            }
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// How evaluation reaches one field of the descriptor schema: by its key inside its
/// section, so that each section is looked up once per descriptor however many rules
/// test its fields.
#[derive(Debug)]
pub(crate) struct FieldPath {
    /// The dotted name.
    pub name: &'static str,
    /// Where the field's value is found.
    pub step: Step,
}

/// The value of the field in `slot` of `root`, found as evaluation finds it (which keeps
/// the values it has found).
pub(crate) fn value_in(root: &Value, slot: usize) -> Option<&Value> {
    match &field_paths().get(slot)?.step {
        Step::Top(key) => root.get(*key),
        Step::Child(section, key) => value_in(root, *section)?.get(*key),
        Step::Pointer(pointer) => root.pointer(pointer),
    }
}

/// The last step to a field's value.
#[derive(Debug)]
pub(crate) enum Step {
    /// A key of the descriptor's top level.
    Top(&'static str),
    /// A key of the section in another slot.
    Child(usize, &'static str),
    /// A JSON Pointer from the top, for a field whose section the schema does not list
    /// as a field of its own (which the schema reader never produces).
    Pointer(String),
}

/// Every field of the descriptor schema, in the order of [`descriptor_fields`]: a leaf's
/// `slot` indexes this list.
pub(crate) fn field_paths() -> &'static [FieldPath] {
    static CELL: OnceLock<Vec<FieldPath>> = OnceLock::new();
    CELL.get_or_init(|| {
        let names = crate::schema::field_names();
        // Each section's slot by its name: hashing a name once costs less than the string
        // comparisons of a binary search over some 240 names, for every field.
        let slots: std::collections::HashMap<&str, usize, foldhash::fast::FixedState> = names
            .iter()
            .enumerate()
            .map(|(slot, &name)| (name, slot))
            .collect();
        names
            .iter()
            .map(|&name| {
                let step = match name.bytes().rposition(|b| b == b'.') {
                    None => Step::Top(name),
                    Some(dot) => match slots.get(&name[..dot]) {
                        Some(&parent) => Step::Child(parent, &name[dot + 1..]),
                        None => Step::Pointer(format!("/{}", name.replace('.', "/"))),
                    },
                };
                FieldPath { name, step }
            })
            .collect()
    })
}

/// The slots of a schema field and of every field within it (its own slot first), as a
/// descriptor's `source.not_asked` names them: a source that never asks for a section
/// never asks for anything in it. `None` for a name that is no field.
pub(crate) fn fields_within(name: &str) -> Option<&'static [usize]> {
    type Within = std::collections::HashMap<&'static str, Box<[usize]>, foldhash::fast::FixedState>;
    static CELL: OnceLock<Within> = OnceLock::new();
    let within = CELL.get_or_init(|| {
        let paths = field_paths();
        paths
            .iter()
            .enumerate()
            .map(|(slot, path)| {
                // Names are sorted, so the fields in a section follow its own name.
                let slots = (slot..paths.len())
                    .take_while(|&s| paths[s].name.starts_with(path.name))
                    .filter(|&s| crate::schema::is_within(paths[s].name, path.name))
                    .collect();
                (path.name, slots)
            })
            .collect()
    });
    within.get(name).map(|slots| &**slots)
}

/// The slot of a schema field.
fn field_slot(field: &str) -> Option<u32> {
    let slot = field_paths().binary_search_by(|p| p.name.cmp(field)).ok()?;
    u32::try_from(slot).ok()
}

pub(super) struct Compiler<'a> {
    pub doc: &'a Document,
    pub problems: &'a mut Vec<String>,
    pub rule_id: &'a str,
    /// Whether the condition is an `applies_when`, the one place `if_unanswered` may be.
    pub applicability: bool,
    /// The JSON Pointer of the part being compiled, grown and cut back as the compiler
    /// goes down and up: a pointer is only written out for a problem, and most
    /// conditions have none.
    at: String,
}

const OPS: &[&str] = &[
    "includes_all_of_field",
    "present",
    "absent",
    "equals",
    "one_of",
    "contains_any",
    "contains_all",
    "contains_at_least",
    "greater_than",
    "at_least",
    "less_than",
    "at_most",
    "older_than_days",
    "newer_than_days",
    "evidenced",
];

impl<'a> Compiler<'a> {
    /// A compiler for the conditions of one rule (or level-model entry).
    pub fn new(
        doc: &'a Document,
        problems: &'a mut Vec<String>,
        rule_id: &'a str,
        applicability: bool,
    ) -> Compiler<'a> {
        Compiler {
            doc,
            problems,
            rule_id,
            applicability,
            at: String::new(),
        }
    }

    /// A problem at the part being compiled, or at `below` it (a pointer suffix).
    fn problem(&mut self, below: &str, message: &str, help: Option<String>) {
        let pointer = format!("{}{below}", self.at);
        let pos = self.doc.position_of(&pointer);
        let mut text = format!(
            "{}:{}:{}: rule `{}`: {message}",
            self.doc.name, pos.line, pos.column, self.rule_id
        );
        if let Some(help) = help {
            text.push_str("\n  help: ");
            text.push_str(&help);
        }
        self.problems.push(text);
    }

    /// Compiles a condition that has already passed the rule schema, found at `pointer`.
    pub fn compile(&mut self, value: &Value, pointer: &str) -> Option<Condition> {
        self.at.clear();
        self.at.push_str(pointer);
        self.condition(value)
    }

    /// Runs `f` one step down, at `step` below the part being compiled.
    fn below<T>(&mut self, step: impl std::fmt::Display, f: impl FnOnce(&mut Self) -> T) -> T {
        let len = self.at.len();
        let _ = write!(self.at, "/{step}");
        let out = f(self);
        self.at.truncate(len);
        out
    }

    /// The condition at [`Compiler::at`].
    fn condition(&mut self, value: &Value) -> Option<Condition> {
        let obj = value.as_object()?;
        if let Some(children) = obj.get("all").and_then(Value::as_array) {
            return self
                .below("all", |c| c.compile_list(children))
                .map(|c| Condition::All(c.into()));
        }
        if let Some(children) = obj.get("any").and_then(Value::as_array) {
            return self
                .below("any", |c| c.compile_list(children))
                .map(|c| Condition::Any(c.into()));
        }
        if let Some(child) = obj.get("not") {
            return self
                .below("not", |c| c.condition(child))
                .map(|c| Condition::Not(Box::new(c)));
        }
        let field = obj.get("field").and_then(Value::as_str)?;
        let Some((op_name, arg)) = obj.iter().find(|(k, _)| OPS.contains(&k.as_str())) else {
            self.problem(
                "",
                &format!("the test of `{field}` names no comparison"),
                Some(format!("add one of `{}`", OPS.join("`, `"))),
            );
            return None;
        };
        let fields = descriptor_fields();
        let Some(info) = fields.get(field) else {
            let names: Vec<String> = fields.keys().cloned().collect();
            let help = did_you_mean(field, &names).map(|b| format!("did you mean `{b}`?"));
            self.problem(
                "/field",
                &format!("refers to `{field}`, which the descriptor schema does not define"),
                help.or_else(|| {
                    Some("run `rightscheck schema descriptor` to see every field".to_string())
                }),
            );
            return None;
        };
        let op = self.below(op_name, |c| c.compile_op(op_name, arg, field, info))?;
        let unanswered_false = obj.contains_key("if_unanswered");
        if unanswered_false && !self.applicability {
            self.problem(
                "/if_unanswered",
                "`if_unanswered` may only be used in `applies_when`",
                Some(
                    "a requirement decides on explicit answers; an unanswered field stays unknown"
                        .to_string(),
                ),
            );
            return None;
        }
        let named = arg.get("param").and_then(Value::as_str);
        let param = named.and_then(|p| PARAMETERS.iter().find(|known| **known == p).copied());
        if let Some(p) = named
            && param.is_none()
        {
            self.problem(
                &format!("/{op_name}/param"),
                &format!("`{p}` is not a profile parameter"),
                Some(format!("use one of `{}`", PARAMETERS.join("`, `"))),
            );
            return None;
        }
        Some(Condition::Leaf(Box::new(Leaf {
            param,
            field: field.into(),
            pointer: format!("/{}", field.replace('.', "/")).into(),
            expectations: OnceLock::new(),
            slot: field_slot(field)?,
            evidence_slot: match &info.evidence_section {
                Some(section) => Some(field_slot(section)?),
                None => None,
            },
            op,
            unanswered_false,
        })))
    }

    fn compile_list(&mut self, children: &[Value]) -> Option<Vec<Condition>> {
        let mut out = Vec::with_capacity(children.len());
        let mut ok = true;
        for (idx, child) in children.iter().enumerate() {
            match self.below(idx, |c| c.condition(child)) {
                Some(c) => out.push(c),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// A test that no longer exists: a located problem saying what to write instead.
    fn retired_op(&mut self, name: &str, field: &str, kind: &FieldKind) {
        let help = match name {
            "evidenced" => {
                "evidence is read through the profile (`evidence_required_from`); remove the test"
                    .to_string()
            }
            _ => format!(
                "test an explicit answer: a yes/no, choice, number or date field ({} is {})",
                field,
                kind_words(kind)
            ),
        };
        self.problem(
            "",
            &format!(
                "`{name}` is no longer a test: a rule decides on explicit answers, and an unanswered field is unknown to every test"
            ),
            Some(help),
        );
    }

    /// `includes_all_of_field: other.list`: both fields must be lists.
    fn includes_all_of_field(&mut self, arg: &Value, field: &str, kind: &FieldKind) -> Option<Op> {
        let other = arg.as_str()?;
        let is_list = |k: &FieldKind| matches!(k, FieldKind::List(_));
        match (
            is_list(kind),
            descriptor_fields().get(other),
            field_slot(other),
        ) {
            (true, Some(info), Some(slot)) if is_list(&info.kind) => Some(Op::IncludesAllOfField {
                field: other.into(),
                slot: slot as usize,
            }),
            _ => {
                self.problem(
                    "",
                    &format!(
                        "`includes_all_of_field` compares two list fields, but `{field}` or `{other}` is not one"
                    ),
                    None,
                );
                None
            }
        }
    }

    fn compile_op(&mut self, name: &str, arg: &Value, field: &str, info: &FieldInfo) -> Option<Op> {
        let kind = &info.kind;
        let mismatch = |what: &str| {
            format!(
                "`{name}` needs {what}, but `{field}` is {}",
                kind_words(kind)
            )
        };
        let op = match name {
            "present" | "absent" | "evidenced" => {
                self.retired_op(name, field, kind);
                return None;
            }
            "equals" => {
                self.check_value(arg, field, kind, None)?;
                Op::Equals(Constant::from_value(arg)?)
            }
            "one_of" => {
                let values = arg.as_array()?;
                for (i, v) in values.iter().enumerate() {
                    self.check_value(v, field, kind, Some(i))?;
                }
                Op::OneOf(Constant::list(values)?)
            }
            "contains_any" | "contains_all" | "contains_at_least" => {
                let FieldKind::List(allowed) = kind else {
                    self.problem("", &mismatch("a list field"), None);
                    return None;
                };
                let (values, within) = if name == "contains_at_least" {
                    (arg.get("of")?.as_array()?, "/of")
                } else {
                    (arg.as_array()?, "")
                };
                for (i, v) in values.iter().enumerate() {
                    let text = v.as_str().unwrap_or_default();
                    if !v.is_string() || (!allowed.is_empty() && !allowed.iter().any(|a| a == text))
                    {
                        self.problem(
                            &format!("{within}/{i}"),
                            &format!(
                                "`{}` is not a value `{field}` can hold",
                                super::condition::plain(v)
                            ),
                            did_you_mean(text, allowed).map(|b| format!("did you mean `{b}`?")),
                        );
                        return None;
                    }
                }
                let values = Constant::list(values)?;
                match name {
                    "contains_any" => Op::ContainsAny(values),
                    "contains_all" => Op::ContainsAll(values),
                    _ => Op::ContainsAtLeast {
                        count: usize::try_from(arg.get("count")?.as_u64()?).ok()?,
                        values,
                    },
                }
            }
            "includes_all_of_field" => self.includes_all_of_field(arg, field, kind)?,
            "greater_than" | "at_least" | "less_than" | "at_most" => {
                if *kind != FieldKind::Number {
                    self.problem("", &mismatch("a number field"), None);
                    return None;
                }
                let comparison = match name {
                    "greater_than" => Comparison::GreaterThan,
                    "at_least" => Comparison::AtLeast,
                    "less_than" => Comparison::LessThan,
                    _ => Comparison::AtMost,
                };
                Op::Compare {
                    comparison,
                    value: arg.as_f64()?,
                }
            }
            "older_than_days" | "newer_than_days" => {
                if *kind != FieldKind::Date {
                    self.problem("", &mismatch("a date field"), None);
                    return None;
                }
                let days = arg
                    .as_i64()
                    .or_else(|| arg.get("default").and_then(Value::as_i64))?;
                if name == "older_than_days" {
                    Op::OlderThanDays(days)
                } else {
                    Op::NewerThanDays(days)
                }
            }
            _ => return None,
        };
        Some(op)
    }

    /// Whether `v` is a value `field` can hold; `item` is its place in a list of values.
    fn check_value(
        &mut self,
        v: &Value,
        field: &str,
        kind: &FieldKind,
        item: Option<usize>,
    ) -> Option<()> {
        let ok = match kind {
            FieldKind::Boolean => v.is_boolean(),
            FieldKind::Number => v.is_number(),
            FieldKind::Text | FieldKind::Date => v.is_string(),
            FieldKind::Choice(allowed) => {
                v.as_str().is_some_and(|s| allowed.iter().any(|a| a == s))
            }
            FieldKind::List(_) | FieldKind::Section => false,
        };
        if ok {
            return Some(());
        }
        let help = match kind {
            FieldKind::Choice(allowed) => v
                .as_str()
                .and_then(|s| did_you_mean(s, allowed))
                .map(|b| format!("did you mean `{b}`?"))
                .or_else(|| Some(format!("allowed values: {}", allowed.join(", ")))),
            FieldKind::List(_) => {
                Some("use `contains_any` or `contains_all` for a list".to_string())
            }
            _ => None,
        };
        let below = item.map(|i| format!("/{i}")).unwrap_or_default();
        self.problem(
            &below,
            &format!(
                "`{}` is not a value `{field}` can hold ({})",
                plain(v),
                kind_words(kind)
            ),
            help,
        );
        None
    }
}

fn kind_words(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Boolean => "true or false",
        FieldKind::Number => "a number",
        FieldKind::Text => "text",
        FieldKind::Date => "a date",
        FieldKind::Choice(_) => "one of a fixed set of values",
        FieldKind::List(_) => "a list",
        FieldKind::Section => "a section",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::rules::Catalog;

    fn leaves<'c>(condition: &'c Condition, out: &mut Vec<&'c Leaf>) {
        match condition {
            Condition::All(c) | Condition::Any(c) => c.iter().for_each(|c| leaves(c, out)),
            Condition::Not(c) => leaves(c, out),
            Condition::Leaf(leaf) => out.push(leaf),
        }
    }

    #[test]
    fn fields_within_a_section_are_exactly_those_named_under_it() {
        let paths = field_paths();
        let slot = |name: &str| field_slot(name).unwrap() as usize;
        for (i, path) in paths.iter().enumerate() {
            let within = fields_within(path.name).unwrap();
            assert_eq!(within.first(), Some(&i), "{}", path.name);
            let expected: Vec<usize> = (0..paths.len())
                .filter(|&j| crate::schema::is_within(paths[j].name, path.name))
                .collect();
            assert_eq!(within, expected.as_slice(), "{}", path.name);
        }
        // A section holds its fields, and not a field whose name merely starts the same.
        let data = fields_within("data").unwrap();
        assert!(data.contains(&slot("data.opt_out")));
        assert!(data.len() > 5);
        assert!(fields_within("data.opt_out").unwrap() == [slot("data.opt_out")]);
        assert!(fields_within("dat").is_none());
        assert!(fields_within("").is_none());
    }

    #[test]
    fn written_expectations_follow_the_test_and_its_parameter() {
        let catalog = Catalog::builtin().unwrap();
        let mut tuned = 0;
        for rule in catalog.rules() {
            let mut requires = rule.requires.clone();
            requires.set_parameter(PARAMETERS[0], 4321);
            for (original, set) in [(&rule.requires, false), (&requires, true)] {
                let mut found = Vec::new();
                leaves(original, &mut found);
                for leaf in found {
                    let expectation = leaf.op.expectation();
                    assert_eq!(**leaf.expected(true), format!("it should {expectation}"));
                    assert_eq!(
                        **leaf.expected(false),
                        format!("it should not {expectation}")
                    );
                    if set && leaf.param.is_some() {
                        assert!(expectation.contains("4321"), "{expectation}");
                        tuned += 1;
                    }
                }
            }
        }
        assert!(tuned > 0, "no rule uses a profile parameter");
    }
}
