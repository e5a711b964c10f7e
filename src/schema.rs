//! The descriptor schema: validation with located, explained errors, and the index of
//! fields that rules may refer to.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde::{Deserialize as _, Serialize};
use serde_json::Value;

use crate::data::{Json, Tree};
use crate::document::{Document, Position, escape_pointer_segment};

#[cfg(test)]
mod bake;
#[rustfmt::skip]
mod baked;
#[cfg(test)]
mod for_runs;
mod quick;

/// The descriptor JSON Schema (2020-12), as shipped in `schemas/ai-system.schema.json`.
pub const DESCRIPTOR_SCHEMA: &str = crate::data::get("schemas/ai-system.schema.json");
/// The rule file JSON Schema, as shipped in `schemas/rule.schema.json`.
pub const RULE_SCHEMA: &str = crate::data::get("schemas/rule.schema.json");

/// The waivers file JSON Schema, as shipped in `schemas/waivers.schema.json`.
pub const WAIVERS_SCHEMA: &str = crate::data::get("schemas/waivers.schema.json");
/// The profile file JSON Schema, as shipped in `schemas/profile.schema.json`.
pub const PROFILE_SCHEMA: &str = crate::data::get("schemas/profile.schema.json");

/// The schema of the JSON report, as shipped in `schemas/assessment.schema.json`.
pub const ASSESSMENT_SCHEMA: &str = crate::data::get("schemas/assessment.schema.json");
/// The schema of a portfolio in JSON (`assess --format json` over several descriptors).
pub const PORTFOLIO_SCHEMA: &str = crate::data::get("schemas/portfolio.schema.json");

/// One mistake in a document.
#[derive(Debug, Clone, Serialize)]
pub struct Issue {
    /// File name.
    pub file: String,
    /// Line and column.
    #[serde(flatten)]
    pub position: Position,
    /// JSON Pointer of the value concerned.
    pub pointer: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.position.line, self.position.column, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl crate::diagnostic::Diagnostic for Issue {
    // The help is a line of its own, not part of the message.
    fn message(&self) -> String {
        format!(
            "{}:{}:{}: {}",
            self.file, self.position.line, self.position.column, self.message
        )
    }

    fn help(&self) -> Option<String> {
        self.help.clone()
    }

    fn location(&self) -> Option<crate::diagnostic::Location> {
        crate::diagnostic::Location::at(&self.file, self.position.line, self.position.column)
    }
}

/// Mistakes reported per document; the others are counted (`and N more`).
pub const MAX_MISTAKES: usize = 100;

/// Mistakes held at once while a document is validated, before all but the first
/// [`MAX_MISTAKES`] are dropped and counted.
const KEPT_WHILE_VALIDATING: usize = 1_000;

/// Puts mistakes in file order, once each: a value outside a choice is said once, as such,
/// not also as the wrong type.
fn tidy(issues: &mut Vec<Issue>) {
    let choices: std::collections::HashSet<String> = issues
        .iter()
        .filter(|i| i.message.contains("must be one of"))
        .map(|i| i.pointer.clone())
        .collect();
    issues.retain(|i| i.message.contains("must be one of") || !choices.contains(&i.pointer));
    issues.sort_by(|a, b| (a.position, &a.pointer).cmp(&(b.position, &b.pointer)));
    issues.dedup_by(|a, b| a.pointer == b.pointer && a.message == b.message);
}

/// Where a built-in schema without an `$id` is registered while it is compiled.
const BUILTIN_ID: &str = "urn:rightscheck:schema:builtin";

/// How the schema paths of errors start: with the reference to the schema compiled.
const REFERENCE: &str = "/$ref";

/// A JSON Schema: its parsed form, read by the quick check and for explaining errors,
/// and its validator, compiled the first time a document needs it.
pub struct Schema {
    name: &'static str,
    validator: OnceLock<Result<jsonschema::Validator, String>>,
    /// The schema as JSON, for the validator and for explaining mistakes. The descriptor
    /// schema's is made from its tree only when one of them is needed: a valid
    /// descriptor is recognised from the tree itself.
    raw: OnceLock<Value>,
    /// The descriptor schema as the constant tree `build.rs` wrote.
    tree: Option<Tree>,
    /// Where the schema expects a reference (`x-reference`), found once when read.
    references: Vec<Vec<Step>>,
}

/// One step of a path through a document: a key, or every item of a list. A kept step's
/// key is borrowed when it lies in the binary (the baked schema's), else copied.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step<K = std::borrow::Cow<'static, str>> {
    Key(K),
    Each,
}

impl Step<&str> {
    /// The step with its key copied, to be kept.
    fn owned(&self) -> Step {
        match self {
            Step::Key(key) => Step::Key((*key).to_string().into()),
            Step::Each => Step::Each,
        }
    }
}

impl Step<&'static str> {
    /// The step with its key borrowed from the binary, to be kept.
    fn kept(&self) -> Step {
        match self {
            Step::Key(key) => Step::Key((*key).into()),
            Step::Each => Step::Each,
        }
    }
}

/// Why a schema could not be prepared (only possible with a broken build).
#[derive(Debug, thiserror::Error)]
#[error("the built-in {name} schema is invalid: {message}")]
pub struct SchemaError {
    name: &'static str,
    message: String,
}

impl crate::diagnostic::Diagnostic for SchemaError {
    fn help(&self) -> Option<String> {
        Some(crate::diagnostic::BUG.to_string())
    }
}

impl Schema {
    /// A schema read from its JSON text.
    fn read(name: &'static str, text: &str) -> Result<Self, SchemaError> {
        let raw: Value = serde_json::from_str(text).map_err(|e| SchemaError {
            name,
            message: e.to_string(),
        })?;
        let mut references = Vec::new();
        reference_paths(&raw, &raw, &mut Vec::new(), &mut references, 0);
        Ok(Schema {
            name,
            validator: OnceLock::new(),
            raw: OnceLock::from(raw),
            tree: None,
            references,
        })
    }

    /// A schema written as a constant tree, with the places it expects a reference; its
    /// validator is compiled the first time a document needs it.
    fn from_tree(name: &'static str, tree: Tree, references: Vec<Vec<Step>>) -> Self {
        Schema {
            name,
            validator: OnceLock::new(),
            raw: OnceLock::new(),
            tree: Some(tree),
            references,
        }
    }

    /// The schema as JSON.
    fn raw(&self) -> &Value {
        self.raw.get_or_init(|| {
            // Any tree reads as a JSON value; `build.rs` wrote it from one.
            self.tree
                .and_then(|tree| Value::deserialize(tree).ok())
                .unwrap_or_default()
        })
    }

    /// The compiled validator, compiled now if it has not been.
    fn validator(&self) -> Result<&jsonschema::Validator, SchemaError> {
        self.validator
            .get_or_init(|| self.compile_validator())
            .as_ref()
            .map_err(|message| SchemaError {
                name: self.name,
                message: message.clone(),
            })
    }

    fn compile_validator(&self) -> Result<jsonschema::Validator, String> {
        // `build.rs` has checked every built-in schema against its meta-schema, so the
        // check is not repeated at each run (it costs more than compiling the schema, as
        // the 2020-12 meta-schema must itself be compiled first). jsonschema offers no
        // switch for it; it checks only the document `build` is given, so that document
        // is a reference to the schema, registered under its `$id`, and the reference
        // is read with the smallest meta-schema, draft 4's. The schema itself is compiled
        // as before, with its own draft (2020-12, from its `$schema`), so validation is
        // exactly as strict; its errors' schema paths start with [`REFERENCE`].
        let raw = self.raw();
        let id = raw
            .get("$id")
            .and_then(Value::as_str)
            .unwrap_or(BUILTIN_ID)
            .to_string();
        let registry = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft202012)
            .add(&id, raw)
            .and_then(jsonschema::RegistryBuilder::prepare)
            .map_err(|e| e.to_string())?;
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .with_registry(&registry)
            .should_validate_formats(true)
            .build(&serde_json::json!({ "$ref": id }))
            .map_err(|e| e.to_string())
    }

    /// Compiles the validator now, for a caller about to validate many documents (each is
    /// then checked by the compiled validator alone) or that must know the schema compiles.
    pub fn prepare(&self) -> Result<&Self, SchemaError> {
        self.validator().map(|_| self)
    }

    /// The descriptor schema, read once per process (its validator is compiled when first needed).
    pub fn descriptor() -> Result<&'static Schema, SchemaError> {
        static CELL: OnceLock<Schema> = OnceLock::new();
        Ok(CELL.get_or_init(|| {
            let tree = crate::data::DESCRIPTOR_SCHEMA_TREE;
            let references = if let Some(baked) = descriptor_schema_baked() {
                baked.references()
            } else {
                let mut references = Vec::new();
                reference_paths(tree, tree, &mut Vec::new(), &mut references, 0);
                references
            };
            Schema::from_tree("descriptor", tree, references)
        }))
    }

    /// The rule file schema, read once per process (its validator is compiled when first needed).
    pub fn rule() -> Result<&'static Schema, SchemaError> {
        static CELL: OnceLock<Result<Schema, SchemaError>> = OnceLock::new();
        CELL.get_or_init(|| Schema::read("rule", RULE_SCHEMA))
            .as_ref()
            .map_err(|e| SchemaError {
                name: e.name,
                message: e.message.clone(),
            })
    }

    /// The waivers file schema, read once per process (its validator is compiled when first needed).
    pub fn waivers() -> Result<&'static Schema, SchemaError> {
        static CELL: OnceLock<Result<Schema, SchemaError>> = OnceLock::new();
        CELL.get_or_init(|| Schema::read("waivers", WAIVERS_SCHEMA))
            .as_ref()
            .map_err(|e| SchemaError {
                name: e.name,
                message: e.message.clone(),
            })
    }

    /// The profile file schema, read once per process (its validator is compiled when first needed).
    pub fn profile() -> Result<&'static Schema, SchemaError> {
        static CELL: OnceLock<Result<Schema, SchemaError>> = OnceLock::new();
        CELL.get_or_init(|| Schema::read("profile", PROFILE_SCHEMA))
            .as_ref()
            .map_err(|e| SchemaError {
                name: e.name,
                message: e.message.clone(),
            })
    }

    /// Every mistake in the document, sorted by position.
    pub fn validate(&self, doc: &Document) -> Result<Vec<Issue>, SchemaError> {
        Ok(self.validate_counted(doc)?.0)
    }

    /// Validates a document: its first [`MAX_MISTAKES`] mistakes in file order, and how
    /// many it has in all. Memory stays bounded whatever the count: past
    /// [`KEPT_WHILE_VALIDATING`] mistakes, only the first ones are kept and the others
    /// counted.
    ///
    /// A document the quick check finds valid is not given to the compiled validator
    /// unless it has already been compiled ([`Schema::prepare`]).
    pub fn validate_counted(&self, doc: &Document) -> Result<(Vec<Issue>, usize), SchemaError> {
        let mut issues = Vec::new();
        let mut dropped = 0usize;
        self.check_references(doc, &mut issues);
        let valid = if let Some(Ok(validator)) = self.validator.get() {
            validator.is_valid(&doc.value)
        } else {
            let quick = match self.tree {
                Some(tree) => quick::surely_valid(tree, &doc.value),
                None => quick::surely_valid(self.raw(), &doc.value),
            };
            quick || self.validator()?.is_valid(&doc.value)
        };
        if valid {
            issues.sort_by(|a, b| (a.position, &a.pointer).cmp(&(b.position, &b.pointer)));
            let total = issues.len();
            issues.truncate(MAX_MISTAKES);
            return Ok((issues, total));
        }
        for error in self.validator()?.iter_errors(&doc.value) {
            if issues.len() >= KEPT_WHILE_VALIDATING {
                tidy(&mut issues);
                dropped += issues.len().saturating_sub(MAX_MISTAKES);
                issues.truncate(MAX_MISTAKES);
            }
            let pointer = error.instance_path().as_str().to_string();
            let path = error.schema_path().as_str();
            let schema_pointer = path.strip_prefix(REFERENCE).unwrap_or(path).to_string();
            let fallback = error.to_string();
            self.explain(
                doc,
                &Failure {
                    pointer: &pointer,
                    schema_pointer: &schema_pointer,
                    kind: error.kind(),
                    instance: error.instance(),
                    fallback: &fallback,
                },
                &mut issues,
            );
        }
        tidy(&mut issues);
        let total = dropped + issues.len();
        issues.truncate(MAX_MISTAKES);
        Ok((issues, total))
    }

    /// Text that says "none" where the schema expects a reference (a law, a link, a file):
    /// a mistake, since the field would read as if a reference were given.
    fn check_references(&self, doc: &Document, issues: &mut Vec<Issue>) {
        let mut pointers = Vec::new();
        for path in &self.references {
            saying_none(&doc.value, path, &mut String::new(), &mut pointers);
        }
        for pointer in pointers {
            let Some(text) = doc.value.pointer(&pointer).and_then(Value::as_str) else {
                continue;
            };
            let field = display_field(&pointer);
            let help = match field.rsplit('.').next() {
                Some("legal_basis_reference") => {
                    "to say there is no legal basis, write `legal_basis: none` and leave `legal_basis_reference` out".to_string()
                }
                Some("link" | "file") => {
                    "an evidence entry needs a real link or file; leave the entry out if there is no document".to_string()
                }
                _ => "leave the field out (or empty) if there is nothing to refer to".to_string(),
            };
            issues.push(Issue {
                file: doc.name.clone(),
                position: doc.value_position_of(&pointer),
                pointer: pointer.clone(),
                message: format!(
                    "`{field}` expects a reference, found {}",
                    describe_value(&Value::String(text.to_string()))
                ),
                help: Some(help),
            });
        }
    }

    /// The schema object that a failed keyword belongs to.
    fn subschema(&self, schema_pointer: &str) -> Option<&Value> {
        let parent = schema_pointer.rsplit_once('/').map_or("", |(p, _)| p);
        self.raw().pointer(parent).map(|s| self.resolve(s))
    }

    fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..8 {
            let target = resolved(self.raw(), schema);
            if std::ptr::eq(target, schema) {
                break;
            }
            schema = target;
        }
        schema
    }

    #[allow(clippy::too_many_lines)]
    fn explain(&self, doc: &Document, failure: &Failure<'_>, out: &mut Vec<Issue>) {
        let Failure {
            pointer,
            schema_pointer,
            kind,
            instance,
            fallback,
        } = *failure;
        let field = if pointer.is_empty() {
            "the document".to_string()
        } else {
            display_field(pointer)
        };
        let mut push =
            |pointer: String, position: Position, message: String, help: Option<String>| {
                out.push(Issue {
                    file: doc.name.clone(),
                    position,
                    pointer,
                    message,
                    help,
                });
            };
        let found = describe_value(instance);
        match kind {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known: Vec<String> = self
                    .subschema(schema_pointer)
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                for key in unexpected {
                    let child = format!("{pointer}/{}", escape_pointer_segment(key));
                    let where_ = if pointer.is_empty() {
                        "at the top level".to_string()
                    } else {
                        format!("in `{field}`")
                    };
                    let help = match did_you_mean(key, &known) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None if known.is_empty() => "remove this key".to_string(),
                        None => format!("the keys allowed here are {}", list_names(&known)),
                    };
                    push(
                        child.clone(),
                        doc.position_of(&child),
                        format!("unknown key `{key}` {where_}"),
                        Some(help),
                    );
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let full = if pointer.is_empty() {
                    name.to_string()
                } else {
                    format!("{field}.{name}")
                };
                push(
                    pointer.to_string(),
                    doc.position_of(pointer),
                    format!("`{full}` is required"),
                    Some(required_help(name)),
                );
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => type_words(&t.to_string()),
                    TypeKind::Multiple(set) => {
                        let words: Vec<String> = set
                            .iter()
                            .filter(|t| t.to_string() != "null")
                            .map(|t| type_words(&t.to_string()))
                            .collect();
                        words.join(" or ")
                    }
                };
                let own = self
                    .subschema(schema_pointer)
                    .and_then(|s| s.get("x-help"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                // `"true"` in quotes is text: say so, rather than that `true` is not true.
                let quoted = instance
                    .as_str()
                    .filter(|_| expected.contains("true or false"))
                    .map(|s| s.trim().to_ascii_lowercase())
                    .filter(|s| s == "true" || s == "false");
                if let Some(word) = quoted {
                    let key = pointer.rsplit('/').next().unwrap_or_default();
                    push(
                        pointer.to_string(),
                        doc.value_position_of(pointer),
                        format!(
                            "`{field}` must be true or false, found `\"{word}\"`, which is written as text because of the quotes"
                        ),
                        Some(format!("remove the quotes: write `{key}: {word}`")),
                    );
                    return;
                }
                let help = if own.is_some() {
                    own
                } else if expected.contains("true or false") {
                    Some("write `true` or `false` (not yes/no), or leave it empty if you do not know".to_string())
                } else if expected.contains("number") {
                    Some(
                        "write digits only, e.g. `12000`; leave it empty if you do not know"
                            .to_string(),
                    )
                } else if expected.contains("list") {
                    Some("write one item per line, each starting with `- `".to_string())
                } else if expected.contains("text") {
                    Some("put the value in quotes".to_string())
                } else {
                    None
                };
                let message = if pointer.is_empty() {
                    format!(
                        "the file must hold named sections (`descriptor_version:`, `system:`, ...), found {found}"
                    )
                } else {
                    format!("`{field}` must be {expected}, found {found}")
                };
                push(
                    pointer.to_string(),
                    doc.value_position_of(pointer),
                    message,
                    help,
                );
            }
            ValidationErrorKind::Enum { options } => {
                let allowed = string_items(Some(options));
                let help = instance
                    .as_str()
                    .and_then(|s| did_you_mean(s, &allowed))
                    .map(|best| format!("did you mean `{best}`?"))
                    .or_else(|| {
                        self.subschema(schema_pointer)
                            .and_then(|s| s.get("x-help"))
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    });
                push(
                    pointer.to_string(),
                    doc.value_position_of(pointer),
                    format!(
                        "`{field}` must be one of {}, found {found}",
                        list_names(&allowed)
                    ),
                    help,
                );
            }
            ValidationErrorKind::Constant { expected_value } => {
                push(
                    pointer.to_string(),
                    doc.value_position_of(pointer),
                    format!(
                        "`{field}` must be {}, found {found}",
                        describe_value(expected_value)
                    ),
                    Some(format!("write `{field}: {expected_value}`")),
                );
            }
            ValidationErrorKind::Format { format } => {
                let (what, help) = match format.as_str() {
                    "date" => (
                        "a real date written as YYYY-MM-DD",
                        "for example `2025-03-31`; check that the month is 01-12 and the day exists",
                    ),
                    _ => ("well formed", "check the spelling"),
                };
                push(
                    pointer.to_string(),
                    doc.value_position_of(pointer),
                    format!("`{field}` must be {what}, found {found}"),
                    Some(help.to_string()),
                );
            }
            ValidationErrorKind::Minimum { limit }
            | ValidationErrorKind::ExclusiveMinimum { limit } => {
                push(
                    pointer.to_string(),
                    doc.value_position_of(pointer),
                    format!("`{field}` must be at least {limit}, found {found}"),
                    None,
                );
            }
            ValidationErrorKind::MinLength { .. } => push(
                pointer.to_string(),
                doc.value_position_of(pointer),
                format!("`{field}` must not be empty"),
                Some("write a value or remove the line".to_string()),
            ),
            ValidationErrorKind::AnyOf { .. }
                if self
                    .subschema(schema_pointer)
                    .and_then(|s| s.get("properties"))
                    .is_some_and(|p| p.get("link").is_some() && p.get("file").is_some()) =>
            {
                push(
                    pointer.to_string(),
                    doc.position_of(pointer),
                    format!("`{field}` needs a `link` or a `file`: a title alone cannot be checked"),
                    Some(
                        "add where to find the document (`link:` a web address, or `file:` its name in the procurement or audit file)"
                            .to_string(),
                    ),
                );
            }
            ValidationErrorKind::UniqueItems => push(
                pointer.to_string(),
                doc.value_position_of(pointer),
                format!("`{field}` lists the same item twice"),
                Some("remove the repeated item".to_string()),
            ),
            _ => {
                let text = fallback;
                push(
                    pointer.to_string(),
                    doc.value_position_of(pointer),
                    format!("`{field}`: {text}"),
                    None,
                );
            }
        }
    }
}

/// Text that stands for "nothing": `none`, `n/a`, `-`, `unknown`, `tbd`...
fn says_none(text: &str) -> bool {
    const NONE: [&str; 15] = [
        "none",
        "no",
        "n/a",
        "na",
        "n.a",
        "-",
        "--",
        "nil",
        "null",
        "nothing",
        "unknown",
        "tbd",
        "todo",
        "not applicable",
        "not available",
    ];
    let t = text.trim().trim_end_matches('.');
    if t.is_ascii() {
        // Without writing the text again in lower case, which nearly every text needs not.
        return NONE.iter().any(|word| t.eq_ignore_ascii_case(word));
    }
    // Beyond ASCII, lower-casing can give an ASCII letter (the Kelvin sign gives `k`).
    let lower = t.to_lowercase();
    NONE.contains(&lower.as_str())
}

/// The paths to every value the schema marks `x-reference` (following local `$ref`s, at
/// most a few levels deep, which is all the descriptor schema nests). The keys walked are
/// borrowed from the schema; only the paths found are copied.
fn reference_paths<'s, S: Json<'s>>(
    root: S,
    schema: S,
    at: &mut Vec<Step<&'s str>>,
    out: &mut Vec<Vec<Step>>,
    depth: usize,
) {
    if depth > 8 {
        return;
    }
    let schema = resolved(root, schema);
    if schema.get("x-reference").and_then(S::as_bool) == Some(true) {
        out.push(at.iter().map(Step::owned).collect());
        return;
    }
    if let Some(props) = schema.get("properties").and_then(S::entries) {
        for (key, sub) in props {
            at.push(Step::Key(key));
            reference_paths(root, sub, at, out, depth + 1);
            at.pop();
        }
    }
    if let Some(items) = schema.get("items") {
        at.push(Step::Each);
        reference_paths(root, items, at, out, depth + 1);
        at.pop();
    }
}

/// The pointers of the text values along `path` that say "none".
fn saying_none(value: &Value, path: &[Step], at: &mut String, out: &mut Vec<String>) {
    let Some((step, rest)) = path.split_first() else {
        if value.as_str().is_some_and(says_none) {
            out.push(at.clone());
        }
        return;
    };
    let len = at.len();
    match (step, value) {
        (Step::Key(key), Value::Object(map)) => {
            if let Some(child) = map.get(key.as_ref()) {
                at.push('/');
                at.push_str(&escape_pointer_segment(key));
                saying_none(child, rest, at, out);
            }
        }
        (Step::Each, Value::Array(items)) => {
            for (i, child) in items.iter().enumerate() {
                let _ = write!(at, "/{i}");
                saying_none(child, rest, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
    at.truncate(len);
}

/// One failed keyword, as the validator reported it.
struct Failure<'a> {
    pointer: &'a str,
    schema_pointer: &'a str,
    kind: &'a ValidationErrorKind,
    instance: &'a Value,
    /// The validator's own wording, for keywords this schema does not use.
    fallback: &'a str,
}

fn required_help(name: &str) -> String {
    match name {
        "descriptor_version" => {
            "add `descriptor_version: \"1\"` at the top of the file".to_string()
        }
        "system" => "add a `system:` section with at least `name:`".to_string(),
        _ => format!("add `{name}:` here"),
    }
}

fn type_words(t: &str) -> String {
    match t {
        "boolean" => "true or false".to_string(),
        "string" => "text".to_string(),
        "integer" => "a whole number".to_string(),
        "number" => "a number".to_string(),
        "array" => "a list".to_string(),
        "object" => "a section of named fields".to_string(),
        other => other.to_string(),
    }
}

/// The text items of a JSON list (other items skipped); empty when it is not a list.
pub fn string_items(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Describes a value for a message: `` `sometimes` ``, a list, a section, nothing.
pub fn describe_value(v: &Value) -> String {
    let mut out = String::new();
    write_description(&mut out, v);
    out
}

/// Appends [`describe_value`] to `out`.
pub fn write_description(out: &mut String, v: &Value) {
    use std::fmt::Write as _;
    const LONGEST: usize = 60;
    match v {
        Value::Null => out.push_str("nothing"),
        Value::Bool(b) => {
            let _ = write!(out, "`{b}`");
        }
        Value::Number(n) => {
            let text = n.to_string();
            match text.char_indices().nth(LONGEST) {
                None => {
                    let _ = write!(out, "`{text}`");
                }
                Some((cut, _)) => {
                    let _ = write!(out, "`{}…` ({} digits)", &text[..cut], text.len());
                }
            }
        }
        Value::String(s) => {
            out.push('`');
            match s.char_indices().nth(LONGEST) {
                None => out.push_str(s),
                Some((cut, _)) => {
                    out.push_str(&s[..cut]);
                    out.push('…');
                }
            }
            out.push('`');
        }
        Value::Array(_) => out.push_str("a list"),
        Value::Object(_) => out.push_str("a section"),
    }
}

fn list_names(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

/// The dotted field name for a JSON Pointer: `/oversight/mode` → `oversight.mode`.
pub fn display_field(pointer: &str) -> String {
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

/// The closest candidate to a misspelt word, if it is close enough to be a likely typo.
pub fn did_you_mean(word: &str, candidates: &[String]) -> Option<String> {
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.clone())
}

/// What kind of value a descriptor field holds, as far as rules care. The values of a
/// choice or list are owned, or borrowed from the binary in the index compiled ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind<L = Vec<String>> {
    /// true / false.
    Boolean,
    /// A number.
    Number,
    /// Free text.
    Text,
    /// A date, YYYY-MM-DD.
    Date,
    /// One of a fixed set of values.
    Choice(L),
    /// A list of text, or of fixed values when the vector is non-empty.
    List(L),
    /// A section of named fields.
    Section,
}

/// A field a rule may refer to: owned, or borrowed from the binary in the index compiled
/// ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInfo<T = String, L = Vec<String>> {
    /// Its kind.
    pub kind: FieldKind<L>,
    /// The schema's description, phrased as a question for yes/no fields.
    pub description: T,
    /// Whether this field (a section) or its section carries an `evidence` list.
    pub evidence_section: Option<T>,
}

/// A field as the index compiled ahead holds it.
type StaticField = FieldInfo<&'static str, &'static [&'static str]>;

impl StaticField {
    fn owned(&self) -> FieldInfo {
        let values = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect();
        FieldInfo {
            kind: match self.kind {
                FieldKind::Boolean => FieldKind::Boolean,
                FieldKind::Number => FieldKind::Number,
                FieldKind::Text => FieldKind::Text,
                FieldKind::Date => FieldKind::Date,
                FieldKind::Choice(v) => FieldKind::Choice(values(v)),
                FieldKind::List(v) => FieldKind::List(values(v)),
                FieldKind::Section => FieldKind::Section,
            },
            description: self.description.to_string(),
            evidence_section: self.evidence_section.map(str::to_string),
        }
    }
}

/// What `baked.rs` holds: the descriptor schema's field index and the places it expects
/// a reference, compiled ahead from the schema whose digest is `inputs`.
struct Baked {
    inputs: &'static str,
    fields: &'static [(&'static str, StaticField)],
    references: &'static [&'static [Step<&'static str>]],
}

impl Baked {
    fn fields(&self) -> BTreeMap<String, FieldInfo> {
        let entry = |(name, info): &(&str, StaticField)| ((*name).to_string(), info.owned());
        self.fields.iter().map(entry).collect()
    }

    fn references(&self) -> Vec<Vec<Step>> {
        let path = |p: &[Step<&'static str>]| p.iter().map(Step::kept).collect();
        self.references.iter().map(|p| path(p)).collect()
    }
}

/// What `baked.rs` holds, if it was compiled from the descriptor schema of this build
/// (a build with the schema edited reads the schema instead).
fn descriptor_schema_baked() -> Option<&'static Baked> {
    baked_for(crate::data::DESCRIPTOR_SCHEMA_SHA256)
}

/// What `baked.rs` holds, if it was compiled from a schema whose digest is `inputs`.
fn baked_for(inputs: &str) -> Option<&'static Baked> {
    Some(&baked::BAKED).filter(|b| b.inputs == inputs)
}

/// Whether a dotted field is `section` itself or one of its fields: `redress.can_contest`
/// is within `redress`, `redress.can` is not within `red`.
pub fn is_within(field: &str, section: &str) -> bool {
    field
        .strip_prefix(section)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// The descriptor schema as JSON, made once from its tree (runs read the tree itself).
#[cfg(test)]
fn descriptor_schema() -> Result<&'static Value, &'static String> {
    static CELL: OnceLock<Result<Value, String>> = OnceLock::new();
    // The same value as `DESCRIPTOR_SCHEMA` parsed, read from the tree `build.rs` wrote.
    CELL.get_or_init(|| {
        serde::Deserialize::deserialize(crate::data::DESCRIPTOR_SCHEMA_TREE)
            .map_err(|e: serde::de::value::Error| e.to_string())
    })
    .as_ref()
}

/// Every field of the descriptor schema, by dotted path.
pub fn descriptor_fields() -> &'static BTreeMap<String, FieldInfo> {
    static CELL: OnceLock<BTreeMap<String, FieldInfo>> = OnceLock::new();
    CELL.get_or_init(|| {
        if let Some(baked) = descriptor_schema_baked() {
            return baked.fields();
        }
        let mut out = BTreeMap::new();
        let tree = crate::data::DESCRIPTOR_SCHEMA_TREE;
        index_fields(tree, tree, "", None, &mut out);
        out
    })
}

/// The names of the descriptor schema's fields, in the order of [`descriptor_fields`],
/// read from the index compiled ahead when it is current (without building the index).
pub fn field_names() -> Vec<&'static str> {
    names_in(descriptor_schema_baked())
}

fn names_in(baked: Option<&'static Baked>) -> Vec<&'static str> {
    match baked {
        Some(baked) => baked.fields.iter().map(|(name, _)| *name).collect(),
        None => descriptor_fields().keys().map(String::as_str).collect(),
    }
}

/// The schema's description of a field (phrased as a question for yes/no fields), read
/// from the index compiled ahead when it is current (without building the index).
pub fn field_description(field: &str) -> Option<&'static str> {
    description_in(descriptor_schema_baked(), field)
}

fn description_in(baked: Option<&'static Baked>, field: &str) -> Option<&'static str> {
    match baked {
        Some(baked) => baked
            .fields
            .binary_search_by(|(name, _)| (*name).cmp(field))
            .ok()
            .map(|i| baked.fields[i].1.description),
        None => descriptor_fields()
            .get(field)
            .map(|info| info.description.as_str()),
    }
}

fn index_fields<'s, S: Json<'s>>(
    root: S,
    schema: S,
    prefix: &str,
    parent_evidence: Option<&str>,
    out: &mut BTreeMap<String, FieldInfo>,
) {
    let Some(props) = schema.get("properties").filter(|p| p.is_object()) else {
        return;
    };
    let own_evidence = if props.contains_key("evidence") && !prefix.is_empty() {
        Some(prefix.to_string())
    } else {
        parent_evidence.map(str::to_string)
    };
    for (name, sub) in props.entries().into_iter().flatten() {
        // Lists of records (evidence, an import's original answers) are not values a rule
        // can compare, so they are not fields rules may refer to.
        if name == "evidence" || is_list_of_records(root, sub) {
            continue;
        }
        let path = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        };
        let kind = field_kind(root, sub);
        let description = sub
            .get("description")
            .and_then(S::as_str)
            .unwrap_or_default()
            .to_string();
        let sub_has_evidence = sub
            .get("properties")
            .is_some_and(|p| p.contains_key("evidence"));
        let evidence_section = if sub_has_evidence {
            Some(path.clone())
        } else {
            own_evidence.clone()
        };
        out.insert(
            path.clone(),
            FieldInfo {
                kind: kind.clone(),
                description,
                evidence_section,
            },
        );
        if kind == FieldKind::Section {
            index_fields(root, sub, &path, own_evidence.as_deref(), out);
        }
    }
}

fn field_kind<'s, S: Json<'s>>(root: S, schema: S) -> FieldKind {
    let types: Vec<&str> = match schema.get("type") {
        Some(t) => match (t.as_str(), t.items()) {
            (Some(one), _) => vec![one],
            (None, Some(many)) => many.filter_map(S::as_str).collect(),
            (None, None) => Vec::new(),
        },
        None => Vec::new(),
    };
    let enum_values = |s: S| -> Vec<String> {
        s.get("enum")
            .and_then(S::items)
            .map(|items| items.filter_map(S::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    if types.contains(&"object") {
        FieldKind::Section
    } else if types.contains(&"array") {
        let items = schema.get("items").map(|items| resolved(root, items));
        FieldKind::List(items.map(enum_values).unwrap_or_default())
    } else if types.contains(&"boolean") {
        FieldKind::Boolean
    } else if types.contains(&"number") || types.contains(&"integer") {
        FieldKind::Number
    } else if schema.get("enum").is_some() {
        FieldKind::Choice(enum_values(schema))
    } else if schema.get("format").and_then(S::as_str) == Some("date") {
        FieldKind::Date
    } else {
        FieldKind::Text
    }
}

/// Whether a schema is an array whose items are objects.
fn is_list_of_records<'s, S: Json<'s>>(root: S, schema: S) -> bool {
    schema
        .get("items")
        .map(|items| resolved(root, items))
        .and_then(|items| items.get("type"))
        .and_then(S::as_str)
        == Some("object")
}

/// The schema a local `$ref` leads to (one step), or the schema itself.
fn resolved<'s, S: Json<'s>>(root: S, schema: S) -> S {
    match schema.get("$ref").and_then(S::as_str) {
        Some(r) if r.starts_with("#/") => root.pointer(&r[1..]).unwrap_or(schema),
        _ => schema,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn text_saying_none_is_found_in_any_case_and_nothing_else_is() {
        for text in [
            "none",
            " N/A. ",
            "Not Applicable",
            "TBD...",
            "-",
            "UN\u{212a}NOWN",
            "İ",
        ] {
            assert_eq!(says_none(text), !text.contains('İ'), "{text:?}");
        }
        for text in [
            "nonexistent",
            "no one",
            "n / a",
            "not applicable yet",
            "",
            "ñone",
        ] {
            assert!(!says_none(text), "{text:?}");
        }
    }

    #[test]
    fn the_descriptor_schema_reads_the_same_as_a_tree_and_as_json() {
        let tree = crate::data::DESCRIPTOR_SCHEMA_TREE;
        let value = descriptor_schema().unwrap();
        // The field index.
        let mut from_value = BTreeMap::new();
        index_fields(value, value, "", None, &mut from_value);
        assert_eq!(
            format!("{from_value:?}"),
            format!("{:?}", descriptor_fields())
        );
        assert!(from_value.len() > 200);
        // The places that expect a reference.
        let (mut read, mut walked) = (Vec::new(), Vec::new());
        reference_paths(value, value, &mut Vec::new(), &mut read, 0);
        reference_paths(tree, tree, &mut Vec::new(), &mut walked, 0);
        assert_eq!(format!("{read:?}"), format!("{walked:?}"));
        assert!(!read.is_empty());
        // Pointers, and equality with parsed values, node by node.
        let mut pointers = vec![String::new()];
        let mut next = 0;
        while next < pointers.len() {
            let at = pointers[next].clone();
            let (v, t) = (value.pointer(&at).unwrap(), tree.pointer(&at).unwrap());
            assert!(t.equals(v), "{at}");
            if let Some(map) = v.as_object() {
                for k in map.keys() {
                    pointers.push(format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")));
                }
            }
            if let Some(list) = v.as_array() {
                pointers.extend((0..list.len()).map(|n| format!("{at}/{n}")));
            }
            next += 1;
        }
        assert!(pointers.len() > 1000, "{}", pointers.len());
        assert!(tree.pointer("/nothing").is_none() && tree.pointer("x").is_none());
        assert!(!tree.equals(&Value::Null) && !tree.equals(&serde_json::json!({})));
    }

    #[test]
    fn the_descriptor_schema_read_from_its_tree_is_the_schema_text_without_unread_annotations() {
        let parsed: Value = serde_json::from_str(DESCRIPTOR_SCHEMA).unwrap();
        let tree = descriptor_schema().unwrap();
        assert_eq!(tree, &super::for_runs::for_runs(parsed.clone()));
        // What it leaves out is what the questionnaire reads, and more than a little.
        let text = |v: &Value| v.to_string().len();
        assert!(
            text(tree) * 4 < text(&parsed) * 3,
            "{} of {}",
            text(tree),
            text(&parsed)
        );
        assert!(!tree.to_string().contains("x-question"));
        assert!(tree.to_string().contains("x-help") && tree.to_string().contains("x-reference"));
        // Validating with it accepts and refuses exactly what the whole schema does: the
        // annotations constrain nothing. Every example and rule fixture, as is.
        let whole = jsonschema::validator_for(&parsed).unwrap();
        let read = jsonschema::validator_for(tree).unwrap();
        let mut inputs: Vec<(String, String)> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .map(|p| {
                    (
                        p.display().to_string(),
                        std::fs::read_to_string(&p).unwrap(),
                    )
                })
                .collect();
        inputs
            .extend(crate::rules::builtin_fixtures().map(|(n, t)| (n.to_string(), t.to_string())));
        let mut checked = 0;
        for (name, text) in inputs.iter().filter(|(n, _)| {
            std::path::Path::new(n)
                .extension()
                .is_some_and(|e| e == "yaml" || e == "json")
        }) {
            let Ok(doc) = crate::document::Document::from_bytes(
                name,
                text.as_bytes(),
                crate::document::Format::from_name(name),
            ) else {
                continue;
            };
            let errors = |v: &jsonschema::Validator| -> Vec<String> {
                v.iter_errors(&doc.value).map(|e| e.to_string()).collect()
            };
            assert_eq!(errors(&whole), errors(&read), "{name}");
            checked += 1;
        }
        assert!(checked > 100, "{checked}");
    }
}
