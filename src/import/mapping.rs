//! Register mappings: which column or key of a register's export feeds which descriptor
//! field, and how each of its answers is read.
//!
//! A mapping is data: a YAML file (the built-in ones are in `registers/` and embedded in
//! the binary; `import --mapping FILE` reads one the tool does not ship). It names the
//! columns that identify the register's file, how a record is named, the facts true of
//! every record, and for each field the column it is read from and a table of answers:
//! each answer the register gives is either read as a value or listed as deliberately
//! unread, with the reason. An answer in neither list leaves the field unknown, and the
//! import reports it, so that a mapping's gaps show instead of being guessed at.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::document::TooLargeOr;
use crate::schema::{FieldKind, descriptor_fields};

/// The mappings built in, by file, in the order detection tries them.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "registers/us-federal-2025.yaml",
        crate::data::get("registers/us-federal-2025.yaml"),
    ),
    (
        "registers/us-federal-2025-cots.yaml",
        crate::data::get("registers/us-federal-2025-cots.yaml"),
    ),
    (
        "registers/us-federal-2024.yaml",
        crate::data::get("registers/us-federal-2024.yaml"),
    ),
    (
        "registers/nl-algoritmeregister-2026.yaml",
        crate::data::get("registers/nl-algoritmeregister-2026.yaml"),
    ),
    (
        "registers/nl-algoritmeregister-2023.yaml",
        crate::data::get("registers/nl-algoritmeregister-2023.yaml"),
    ),
];

/// The largest mapping file read (the built-in ones are about 20 KB).
const MAX_MAPPING_BYTES: u64 = 1024 * 1024;

/// A mapping file that cannot be used, and where.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct MappingError {
    /// The mapping file.
    pub file: String,
    /// What is wrong, with its place in the file.
    pub message: String,
}

impl crate::diagnostic::Diagnostic for MappingError {
    fn help(&self) -> Option<String> {
        Some("fix the mapping file".to_string())
    }
}

/// How the register's file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// A table with a header row.
    Csv,
    /// A list of objects, at the top or under one key of a wrapper object.
    Json,
}

/// How one answer holds several choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListStyle {
    /// `['a', 'b']` (a Python list printed as text) or `["a","b"]`.
    Bracketed,
    /// `a,b` or `["a","b"]`.
    Comma,
    /// `a; b`.
    Semicolon,
    /// `{"a","b"}` (a database array printed as text).
    Braced,
}

/// How the readings of several choices make one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Combine {
    /// Every choice is read and all give the same value; otherwise unknown.
    Agree,
    /// `true` when one choice reads `true`; `false` when every choice reads `false`.
    AnyTrue,
    /// A list field: every value read, in order, once each.
    Union,
}

/// A condition on one column of the same record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The column or key.
    pub from: String,
    /// The answers that meet it (compared as tables compare them; `...` at the end
    /// matches the start of an answer).
    pub answer_in: Vec<String>,
}

/// A fact true of every record of the register.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constant {
    /// The descriptor field.
    pub field: String,
    /// Its value.
    pub value: Value,
    /// Why it holds for every record.
    pub because: String,
}

/// One descriptor field and the column it is read from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldMap {
    /// The descriptor field (dotted).
    pub field: String,
    /// The column header or key (`...` at the end matches the start of a header).
    pub from: String,
    /// The answer is the value, as written (free text fields: names, purposes).
    #[serde(default)]
    pub text: bool,
    /// Answers read, and the value each gives.
    #[serde(default)]
    pub answers: BTreeMap<String, Value>,
    /// Answers deliberately left unread, and why (`"*"`: every other answer).
    #[serde(default)]
    pub unread: BTreeMap<String, String>,
    /// How an answer holds several choices, if it can.
    #[serde(default)]
    pub list: Option<ListStyle>,
    /// How the choices' readings make one value (default: `union` for a list field,
    /// `agree` otherwise).
    #[serde(default)]
    pub combine: Option<Combine>,
    /// The column that explains the answer (`next`: the column right after it).
    #[serde(default)]
    pub explanation: Option<String>,
    /// The register asks the question only of records meeting every condition; for the
    /// others a blank is "not asked" rather than an open question.
    #[serde(default)]
    pub asked_if: Vec<Condition>,
    /// Why the field is read this way.
    #[serde(default)]
    pub note: Option<String>,
}

/// Words in a record's own text that make a question material although no column asks
/// it: a register that names face recognition raises the questions of the red lines on
/// biometric identification, which then stay open instead of "not asked".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    /// The columns searched.
    pub from: Vec<String>,
    /// The words or phrases (any case, any spacing).
    pub words: Vec<String>,
    /// The descriptor fields that become questions for the record.
    pub asks: Vec<String>,
    /// Why.
    pub note: String,
}

/// How a record is named and linked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordSpec {
    /// The record's id: a template of `{column}` placeholders; `{row}` is the record's
    /// position (`{row:04}` with leading zeros to four digits). When a placeholder is blank, `fallback_id` is used.
    #[serde(default)]
    pub id: Option<String>,
    /// The id when `id` cannot be filled (default `row {row}`).
    #[serde(default)]
    pub fallback_id: Option<String>,
    /// The file name, without extension: a template; `{record}` is the record's id.
    pub file_name: String,
    /// The register as named in each descriptor, when it depends on the record (e.g.
    /// its standard version); the mapping's `register` when a placeholder is blank.
    #[serde(default)]
    pub register: Option<String>,
    /// The link to the record in the register: a template.
    #[serde(default)]
    pub url: Option<String>,
    /// Columns without which a record is malformed.
    #[serde(default)]
    pub required: Vec<String>,
    /// Rows that are not records (a template's example row, a repeated header).
    #[serde(default)]
    pub skip_if: Vec<Condition>,
}

/// A register mapping, as written in its file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Short name, used by `--register` and `registers show`.
    pub id: String,
    /// The register, as named in each descriptor's `source`.
    pub register: String,
    /// One line: the register, its vintage and its form.
    pub title: String,
    /// What the register is, where to get it, how it is read.
    #[serde(default)]
    pub about: String,
    /// How its file is laid out.
    pub format: FileFormat,
    /// JSON: the key of the wrapper object that holds the records.
    #[serde(default)]
    pub records: Option<String>,
    /// Columns or keys that all appear in the register's file and identify it.
    pub detect: Vec<String>,
    /// A file of this shape is recognised but not imported, for this reason.
    #[serde(default)]
    pub refuse: Option<String>,
    /// How a record is named.
    #[serde(default)]
    pub record: RecordSpec,
    /// Facts true of every record.
    #[serde(default)]
    pub constants: Vec<Constant>,
    /// The fields read.
    #[serde(default)]
    pub fields: Vec<FieldMap>,
    /// Words that raise questions.
    #[serde(default)]
    pub mentions: Vec<Mention>,
    /// Columns deliberately not read, and why.
    #[serde(default)]
    pub unread_columns: BTreeMap<String, String>,
    /// Where it came from (built in or the path given).
    #[serde(skip)]
    pub origin: String,
    #[serde(skip)]
    tables: Vec<Table>,
}

/// What a table makes of one answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// A value.
    Value(Value),
    /// Deliberately not read, and why.
    Unread(String),
    /// Not in the table.
    Unknown,
}

/// A field's answers, compared in their normal form.
#[derive(Debug, Clone, Default)]
struct Table {
    exact: HashMap<String, Reading>,
    prefixes: Vec<(String, Reading)>,
    otherwise: Option<String>,
}

impl Table {
    fn lookup(&self, answer: &str) -> Reading {
        let key = normal(answer);
        if let Some(r) = self.exact.get(&key) {
            return r.clone();
        }
        if let Some((_, r)) = self
            .prefixes
            .iter()
            .find(|(p, _)| key.starts_with(p.as_str()))
        {
            return r.clone();
        }
        match &self.otherwise {
            Some(reason) => Reading::Unread(reason.clone()),
            None => Reading::Unknown,
        }
    }
}

/// An answer's normal form for comparison: spacing collapsed, lower case, one kind of
/// dash and apostrophe, no final full stop.
pub fn normal(answer: &str) -> String {
    let mut out = String::with_capacity(answer.len());
    for word in answer.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
                '\u{2018}' | '\u{2019}' => out.push('\''),
                '\u{201C}' | '\u{201D}' => out.push('"'),
                _ => out.extend(c.to_lowercase()),
            }
        }
    }
    while out.ends_with('.') || out.ends_with(' ') {
        out.pop();
    }
    out
}

/// An answer or header to look for, in normal form: `...` at the end of the text as
/// written matches the start of an answer.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The text, in normal form, without the `...`.
    pub text: String,
    /// Whether it matches the start of an answer rather than the whole.
    pub start: bool,
}

impl Pattern {
    /// The pattern a mapping writes as `text`.
    pub fn new(text: &str) -> Self {
        match text.trim_end().strip_suffix("...") {
            Some(start) => Pattern {
                text: normal(start),
                start: true,
            },
            None => Pattern {
                text: normal(text),
                start: false,
            },
        }
    }

    /// Whether an answer already in normal form matches.
    pub fn matches(&self, normal: &str) -> bool {
        if self.start {
            normal.starts_with(&self.text)
        } else {
            normal == self.text
        }
    }
}

/// Whether a header matches a mapping's `from`: the same words in any case, or its start
/// when `from` ends with `...`.
pub fn header_matches(header: &str, from: &str) -> bool {
    Pattern::new(from).matches(&normal(header))
}

impl Mapping {
    /// The built-in mappings.
    pub fn built_in() -> Result<Vec<Mapping>, MappingError> {
        BUILT_IN
            .iter()
            .map(|(file, text)| Mapping::parse(file, text))
            .collect()
    }

    /// Reads a mapping file.
    pub fn from_path(path: &Path) -> Result<Mapping, MappingError> {
        let file = path.display().to_string();
        let fail = |message: String| MappingError {
            file: file.clone(),
            message,
        };
        let bytes =
            crate::document::read_at_most(path, MAX_MAPPING_BYTES).map_err(|e| match e {
                TooLargeOr::Io(e) => fail(format!("cannot read it: {e}")),
                TooLargeOr::TooLarge(size) => {
                    fail(format!("{size} bytes; a mapping file may be at most 1 MB"))
                }
            })?;
        let text = String::from_utf8(bytes)
            .map_err(|e| fail(format!("cannot read it as UTF-8 text: {e}")))?;
        Mapping::parse(&file, &text)
    }

    /// Parses and checks a mapping: every field exists in the descriptor schema and every
    /// value fits its field.
    pub fn parse(file: &str, text: &str) -> Result<Mapping, MappingError> {
        let options = serde_saphyr::options! {
            // An answer `No` or `Yes` is text, as the register writes it.
            strict_booleans: true,
            budget: serde_saphyr::budget! {
                max_depth: 32,
                max_documents: 1,
                max_nodes: 200_000,
                max_aliases: 100,
                max_anchors: 100,
            },
        };
        let mut mapping: Mapping =
            serde_saphyr::from_str_with_options(text, options).map_err(|e| MappingError {
                file: file.to_string(),
                message: e.to_string(),
            })?;
        mapping.origin = file.to_string();
        let fail = |message: String| MappingError {
            file: file.to_string(),
            message,
        };
        if mapping.detect.is_empty() {
            return Err(fail(
                "`detect` is empty: name the columns or keys that identify the register's file"
                    .into(),
            ));
        }
        if mapping.format == FileFormat::Csv && mapping.records.is_some() {
            return Err(fail("`records` is for JSON files only".into()));
        }
        for (i, c) in mapping.constants.iter().enumerate() {
            check_value(&c.field, &c.value)
                .map_err(|m| fail(format!("constants[{i}] ({}): {m}", c.field)))?;
        }
        for (i, m) in mapping.mentions.iter().enumerate() {
            for field in &m.asks {
                if !descriptor_fields().contains_key(field) {
                    return Err(fail(format!(
                        "mentions[{i}]: `{field}` is not a descriptor field"
                    )));
                }
            }
        }
        let mut tables = Vec::with_capacity(mapping.fields.len());
        for (i, f) in mapping.fields.iter().enumerate() {
            let at = |m: String| fail(format!("fields[{i}] ({}): {m}", f.field));
            let Some(info) = descriptor_fields().get(&f.field) else {
                return Err(at(
                    "not a descriptor field (see `rightscheck schema descriptor`)".into(),
                ));
            };
            if f.text {
                if !matches!(info.kind, FieldKind::Text | FieldKind::Date) {
                    return Err(at("`text: true` is for free-text fields only".into()));
                }
                if !f.answers.is_empty() {
                    return Err(at("a text field has no table of answers".into()));
                }
            } else if f.answers.is_empty() && f.unread.is_empty() {
                return Err(at(
                    "no `answers` and no `unread`: say how each answer is read, or `text: true`"
                        .into(),
                ));
            }
            let mut table = Table::default();
            for (answer, value) in &f.answers {
                check_value(&f.field, value).map_err(|m| at(format!("answer `{answer}`: {m}")))?;
                table_insert(&mut table, answer, Reading::Value(value.clone()));
            }
            for (answer, reason) in &f.unread {
                if answer == "*" {
                    table.otherwise = Some(reason.clone());
                } else {
                    table_insert(&mut table, answer, Reading::Unread(reason.clone()));
                }
            }
            // The longest start first, so that a precise prefix wins over a general one.
            table
                .prefixes
                .sort_by_key(|(start, _)| std::cmp::Reverse(start.len()));
            if f.combine == Some(Combine::Union) && !matches!(info.kind, FieldKind::List(_)) {
                return Err(at("`combine: union` is for list fields only".into()));
            }
            tables.push(table);
        }
        mapping.tables = tables;
        Ok(mapping)
    }

    /// What the table of field `index` makes of one answer (one choice).
    pub fn read(&self, index: usize, answer: &str) -> Reading {
        self.tables
            .get(index)
            .map_or(Reading::Unknown, |t| t.lookup(answer))
    }
}

fn table_insert(table: &mut Table, answer: &str, reading: Reading) {
    let pattern = Pattern::new(answer);
    if pattern.start {
        table.prefixes.push((pattern.text, reading));
    } else {
        table.exact.insert(pattern.text, reading);
    }
}

/// Whether `value` fits the descriptor field `field`.
fn check_value(field: &str, value: &Value) -> Result<(), String> {
    let Some(info) = descriptor_fields().get(field) else {
        return Err("not a descriptor field (see `rightscheck schema descriptor`)".into());
    };
    let ok = match (&info.kind, value) {
        (FieldKind::Boolean, Value::Bool(_))
        | (FieldKind::Number, Value::Number(_))
        | (FieldKind::Text | FieldKind::Date, Value::String(_)) => true,
        (FieldKind::Choice(choices), Value::String(s)) => choices.contains(s),
        (FieldKind::List(choices), Value::Array(items)) => items.iter().all(|v| {
            v.as_str()
                .is_some_and(|s| choices.is_empty() || choices.iter().any(|c| c == s))
        }),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        let expected = match &info.kind {
            FieldKind::Boolean => "true or false".to_string(),
            FieldKind::Number => "a number".to_string(),
            FieldKind::Text | FieldKind::Date => "text".to_string(),
            FieldKind::Choice(c) => format!("one of {}", c.join(", ")),
            FieldKind::List(c) if c.is_empty() => "a list of text".to_string(),
            FieldKind::List(c) => format!("a list of {}", c.join(", ")),
            FieldKind::Section => "a field, not a section".to_string(),
        };
        Err(format!("`{value}` does not fit: expected {expected}"))
    }
}

/// Splits an answer into its choices.
pub fn split(answer: &str, style: Option<ListStyle>) -> Vec<String> {
    let trimmed = answer.trim();
    let Some(style) = style else {
        return vec![trimmed.to_string()];
    };
    let bracketed = trimmed.starts_with('[') && trimmed.ends_with(']');
    let braced = trimmed.starts_with('{') && trimmed.ends_with('}');
    let inner = if bracketed || braced {
        &trimmed[1..trimmed.len() - 1]
    } else {
        trimmed
    };
    let items: Vec<String> = if bracketed || braced {
        quoted_items(inner)
    } else {
        let sep = match style {
            ListStyle::Semicolon => ';',
            _ => ',',
        };
        inner.split(sep).map(|s| s.trim().to_string()).collect()
    };
    items
        .into_iter()
        .map(|s| s.replace("\\n", " "))
        .filter(|s| !s.trim().is_empty())
        .collect()
}

/// The items of `'a', "b", c`: quoted items may hold commas.
fn quoted_items(inner: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let mut item = String::new();
        if first == '\'' || first == '"' {
            chars.next();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        item.push('\\');
                        item.push(n);
                    }
                } else if c == first {
                    break;
                } else {
                    item.push(c);
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                item.push(c);
                chars.next();
            }
        }
        items.push(item.trim().to_string());
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_mappings_load() {
        let all = Mapping::built_in().unwrap();
        assert_eq!(all.len(), BUILT_IN.len());
    }

    #[test]
    fn answers_compare_in_normal_form() {
        assert_eq!(
            normal("  No – it is NOT\npractical. "),
            "no - it is not practical"
        );
        assert!(Pattern::new("yes - by...").matches(&normal("Yes – by the CAIO")));
        assert!(!Pattern::new("yes - by...").matches(&normal("Yes")));
    }

    #[test]
    fn lists_split_with_their_quotes() {
        assert_eq!(
            split(
                "['a) Race, Ethnicity', 'c) Age']",
                Some(ListStyle::Bracketed)
            ),
            vec!["a) Race, Ethnicity", "c) Age"]
        );
        assert!(split("[]", Some(ListStyle::Bracketed)).is_empty());
        assert_eq!(
            split("Email , Other", Some(ListStyle::Comma)),
            vec!["Email", "Other"]
        );
        assert_eq!(
            split(r#"["Direct user testing","Other"]"#, Some(ListStyle::Comma)),
            vec!["Direct user testing", "Other"]
        );
        assert_eq!(
            split(
                r#"{"Data Protection Impact Asssesment (DPIA)"}"#,
                Some(ListStyle::Braced)
            ),
            vec!["Data Protection Impact Asssesment (DPIA)"]
        );
    }

    #[test]
    fn a_value_that_does_not_fit_its_field_is_refused() {
        let text = "id: x\nregister: X\ntitle: X\nformat: csv\ndetect: [a]\nrecord: {file_name: x}\nfields:\n  - field: system.status\n    from: a\n    answers: {Live: running}\n";
        let e = Mapping::parse("m.yaml", text).unwrap_err();
        assert!(e.message.contains("fields[0] (system.status)"), "{e}");
        assert!(e.message.contains("one of planned"), "{e}");
    }
}
