//! A register's table read through its mapping: one descriptor per record, and an account
//! of every answer the mapping's tables do not know.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::mapping::{
    Combine, Condition, Mapping, Pattern, Reading, header_matches, normal, split,
};
use super::source::SourceTable;
use super::{Descriptor, Record, tidy};
use crate::schema::{FieldKind, descriptor_fields};

/// The columns a mapping's parts are read from, found once per file.
struct Columns {
    fields: Vec<Option<usize>>,
    explanations: Vec<Option<usize>>,
    conditions: Vec<Vec<Test>>,
    mentions: Vec<Vec<usize>>,
    required: Vec<(String, Option<usize>)>,
    skip: Vec<Test>,
    placeholders: HashMap<String, Option<usize>>,
    /// The words of each mention, in normal form.
    words: Vec<Vec<String>>,
    /// The columns conditions and mentions compare, once each.
    compared: Vec<usize>,
}

/// An answer a mapping's table does not know: the field stays unknown, the answer is
/// kept verbatim, and the import reports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnknownAnswer {
    /// The column or key.
    pub column: String,
    /// The answer (one choice of it), tidied.
    pub answer: String,
}

/// What reading a register's table gave.
#[derive(Debug, Default)]
pub struct Read {
    /// The records, in file order.
    pub records: Vec<Record>,
    /// Rows that are not records (template or header rows), skipped.
    pub template_rows: usize,
    /// Answers no table knows, with how many records give each.
    pub unknown_answers: BTreeMap<UnknownAnswer, usize>,
    /// Columns of the file the mapping neither reads nor lists as unread.
    pub unknown_columns: Vec<String>,
}

/// The first column whose header matches `from`.
pub fn find(table: &SourceTable, from: &str) -> Option<usize> {
    let pattern = Pattern::new(from);
    table.normal_columns.iter().position(|h| pattern.matches(h))
}

/// Every column of the file the mapping says nothing about.
fn unknown_columns(mapping: &Mapping, table: &SourceTable) -> Vec<String> {
    let mut named: Vec<&str> = Vec::new();
    named.extend(mapping.detect.iter().map(String::as_str));
    named.extend(mapping.unread_columns.keys().map(String::as_str));
    named.extend(mapping.record.required.iter().map(String::as_str));
    for f in &mapping.fields {
        named.push(&f.from);
        if let Some(e) = f.explanation.as_deref().filter(|e| *e != "next") {
            named.push(e);
        }
        named.extend(f.asked_if.iter().map(|c| c.from.as_str()));
    }
    for m in &mapping.mentions {
        named.extend(m.from.iter().map(String::as_str));
    }
    let templates = [
        mapping.record.id.as_deref(),
        Some(mapping.record.file_name.as_str()),
        mapping.record.url.as_deref(),
        mapping.record.register.as_deref(),
    ];
    let placeholders: Vec<&str> = templates
        .iter()
        .flatten()
        .flat_map(|t| placeholders(t))
        .collect();
    let explained_next: Vec<usize> = mapping
        .fields
        .iter()
        .filter(|f| f.explanation.as_deref() == Some("next"))
        .filter_map(|f| find(table, &f.from).map(|i| i + 1))
        .collect();
    table
        .columns
        .iter()
        .enumerate()
        .filter(|(i, h)| {
            !explained_next.contains(i)
                && !named.iter().any(|n| header_matches(h, n))
                && !placeholders.iter().any(|p| header_matches(h, p))
        })
        .map(|(_, h)| h.clone())
        .collect()
}

/// The `{name}` placeholders of a template.
fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

/// Fills a template from a record; `None` when a placeholder is blank or unknown.
fn fill(
    template: &str,
    columns: &Columns,
    cells: &[Option<String>],
    row: usize,
    record: Option<&str>,
) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let name = &after[..close];
        let value = match name {
            "row" => row.to_string(),
            "row:04" => format!("{row:04}"),
            "record" => record?.to_string(),
            _ => {
                let i = (*columns.placeholders.get(name)?)?;
                tidy(cells.get(i)?.as_deref()?)
            }
        };
        if value.is_empty() {
            return None;
        }
        out.push_str(&value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// A condition with its column found and its answers in normal form.
struct Test {
    column: Option<usize>,
    answers: Vec<Pattern>,
}

fn condition_columns(table: &SourceTable, conditions: &[Condition]) -> Vec<Test> {
    conditions
        .iter()
        .map(|c| Test {
            column: find(table, &c.from),
            answers: c.answer_in.iter().map(|a| Pattern::new(a)).collect(),
        })
        .collect()
}

/// The cells of one record that conditions and mentions read, in normal form, each
/// worked out once per record.
type Normals = HashMap<usize, String>;

/// One record's cells, and those that are compared in normal form.
struct Row<'a> {
    cells: &'a [Option<String>],
    normals: Normals,
}

fn normals(columns: &Columns, cells: &[Option<String>]) -> Normals {
    columns
        .compared
        .iter()
        .filter_map(|&i| Some((i, normal(cells.get(i)?.as_deref()?))))
        .collect()
}

fn holds(normals: &Normals, test: &Test) -> bool {
    test.column
        .and_then(|i| normals.get(&i))
        .is_some_and(|a| test.answers.iter().any(|p| p.matches(a)))
}

/// Reads every row of `table` through `mapping`.
pub fn read(mapping: &Mapping, table: &SourceTable) -> Read {
    let columns = Columns {
        fields: mapping
            .fields
            .iter()
            .map(|f| find(table, &f.from))
            .collect(),
        explanations: mapping
            .fields
            .iter()
            .map(|f| match f.explanation.as_deref() {
                Some("next") => find(table, &f.from).map(|i| i + 1),
                Some(column) => find(table, column),
                None => None,
            })
            .collect(),
        conditions: mapping
            .fields
            .iter()
            .map(|f| condition_columns(table, &f.asked_if))
            .collect(),
        mentions: mapping
            .mentions
            .iter()
            .map(|m| m.from.iter().filter_map(|c| find(table, c)).collect())
            .collect(),
        required: mapping
            .record
            .required
            .iter()
            .map(|c| (c.clone(), find(table, c)))
            .collect(),
        skip: condition_columns(table, &mapping.record.skip_if),
        placeholders: [
            mapping.record.id.as_deref(),
            mapping.record.fallback_id.as_deref(),
            Some(mapping.record.file_name.as_str()),
            mapping.record.url.as_deref(),
            mapping.record.register.as_deref(),
        ]
        .iter()
        .flatten()
        .flat_map(|t| placeholders(t))
        .map(|p| (p.to_string(), find(table, p)))
        .collect(),
        words: mapping
            .mentions
            .iter()
            .map(|m| m.words.iter().map(|w| normal(w)).collect())
            .collect(),
        compared: Vec::new(),
    };
    let mut columns = columns;
    let mut compared: Vec<usize> = columns
        .conditions
        .iter()
        .flatten()
        .chain(&columns.skip)
        .filter_map(|t| t.column)
        .chain(columns.mentions.iter().flatten().copied())
        .collect();
    compared.sort_unstable();
    compared.dedup();
    columns.compared = compared;
    let mut out = Read {
        unknown_columns: unknown_columns(mapping, table),
        ..Read::default()
    };
    for (index, row) in table.rows.iter().enumerate() {
        let number = index + 1;
        let cells = match row {
            Ok(cells) => cells,
            Err(reason) => {
                out.records.push(Record::Malformed {
                    record: format!("row {number}"),
                    reason: reason.clone(),
                });
                continue;
            }
        };
        let row = Row {
            cells,
            normals: normals(&columns, cells),
        };
        if !columns.skip.is_empty() && columns.skip.iter().all(|c| holds(&row.normals, c)) {
            out.template_rows += 1;
            continue;
        }
        out.records.push(record(
            mapping,
            table,
            &columns,
            &row,
            number,
            &mut out.unknown_answers,
        ));
    }
    out
}

fn record(
    mapping: &Mapping,
    table: &SourceTable,
    columns: &Columns,
    row: &Row<'_>,
    number: usize,
    unknown: &mut BTreeMap<UnknownAnswer, usize>,
) -> Record {
    let cells = row.cells;
    let fallback = mapping.record.fallback_id.as_deref().unwrap_or("row {row}");
    let id = mapping
        .record
        .id
        .as_deref()
        .and_then(|t| fill(t, columns, cells, number, None))
        .or_else(|| fill(fallback, columns, cells, number, None))
        .unwrap_or_else(|| format!("row {number}"));
    let missing: Vec<&str> = columns
        .required
        .iter()
        .filter(|(_, i)| {
            i.and_then(|i| cells.get(i))
                .and_then(Option::as_deref)
                .is_none_or(|c| c.trim().is_empty())
        })
        .map(|(c, _)| c.as_str())
        .collect();
    if !missing.is_empty() {
        return Record::Malformed {
            record: id,
            reason: format!("no {}", quoted_list(&missing)),
        };
    }
    let register = mapping
        .record
        .register
        .as_deref()
        .and_then(|t| fill(t, columns, cells, number, None))
        .unwrap_or_else(|| mapping.register.clone());
    let stem = fill(&mapping.record.file_name, columns, cells, number, Some(&id))
        .unwrap_or_else(|| format!("{}-row-{number:04}", mapping.id));
    let mut d = Descriptor::new(register, id, stem);
    d.source.url = mapping
        .record
        .url
        .as_deref()
        .and_then(|t| fill(t, columns, cells, number, None))
        .and_then(|u| first_link(&u));
    for c in &mapping.constants {
        d.set(&c.field, c.value.clone());
    }
    for i in 0..mapping.fields.len() {
        read_field(mapping, table, columns, row, i, &mut d, unknown);
    }
    read_mentions(mapping, table, columns, row, &mut d);
    Record::Descriptor(Box::new(d))
}

/// Reads field `i` of the mapping from one record.
fn read_field(
    mapping: &Mapping,
    table: &SourceTable,
    columns: &Columns,
    row: &Row<'_>,
    i: usize,
    d: &mut Descriptor,
    unknown: &mut BTreeMap<UnknownAnswer, usize>,
) {
    let f = &mapping.fields[i];
    let cells = row.cells;
    let Some(column) = columns.fields[i] else {
        return;
    };
    // A column the record's register does not have, or a `null` key: not asked.
    let Some(raw) = cells.get(column).and_then(Option::as_deref) else {
        return;
    };
    let answer = tidy(raw);
    let blank = answer.is_empty() || answer == "[]" || answer == "{}";
    let asked = columns.conditions[i].iter().all(|c| holds(&row.normals, c));
    if asked || !blank {
        d.ask(&f.field);
    }
    if blank {
        return;
    }
    let explanation = columns.explanations[i]
        .and_then(|e| cells.get(e))
        .and_then(Option::as_deref)
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if f.text {
        let value = if f.field == "system.register_url" {
            first_link(raw)
        } else {
            Some(raw.trim().to_string())
        };
        if let Some(value) = value {
            d.read(&f.field, Value::String(value));
        }
        return;
    }
    d.keep_answer(&f.field, &table.columns[column], raw, explanation);
    let mut readings = Vec::new();
    for choice in split(raw, f.list) {
        let reading = mapping.read(i, &choice);
        if reading == Reading::Unknown {
            *unknown
                .entry(UnknownAnswer {
                    column: table.columns[column].clone(),
                    answer: tidy(&choice),
                })
                .or_default() += 1;
        }
        readings.push(reading);
    }
    let is_list = matches!(
        descriptor_fields().get(&f.field).map(|i| &i.kind),
        Some(FieldKind::List(_))
    );
    let combine = f.combine.unwrap_or(if is_list {
        Combine::Union
    } else {
        Combine::Agree
    });
    if let Some(value) = combined(&readings, combine) {
        d.read(&f.field, value);
    }
}

/// Marks the questions a record's own words make material.
fn read_mentions(
    mapping: &Mapping,
    table: &SourceTable,
    columns: &Columns,
    row: &Row<'_>,
    d: &mut Descriptor,
) {
    for ((m, found), words) in mapping
        .mentions
        .iter()
        .zip(&columns.mentions)
        .zip(&columns.words)
    {
        for &column in found {
            let (Some(raw), Some(text)) = (
                row.cells.get(column).and_then(Option::as_deref),
                row.normals.get(&column),
            ) else {
                continue;
            };
            if words.iter().any(|w| contains_words(text, w)) {
                for field in &m.asks {
                    if !d.is_asked(field) {
                        d.ask(field);
                        d.keep_answer(field, &table.columns[column], raw, None);
                    }
                }
                break;
            }
        }
    }
}

/// Whether `text` holds `words` as whole words.
fn contains_words(text: &str, words: &str) -> bool {
    text.match_indices(words).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + words.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The readings of an answer's choices, made one value.
fn combined(readings: &[Reading], combine: Combine) -> Option<Value> {
    let values: Vec<&Value> = readings
        .iter()
        .filter_map(|r| match r {
            Reading::Value(v) => Some(v),
            _ => None,
        })
        .collect();
    match combine {
        Combine::Union => {
            let mut out: Vec<Value> = Vec::new();
            for v in values {
                let items = match v {
                    Value::Array(items) => items.clone(),
                    other => vec![other.clone()],
                };
                for item in items {
                    if !out.contains(&item) {
                        out.push(item);
                    }
                }
            }
            (!out.is_empty()).then_some(Value::Array(out))
        }
        Combine::AnyTrue => {
            if values.iter().any(|v| **v == Value::Bool(true)) {
                Some(Value::Bool(true))
            } else if values.len() == readings.len() && !values.is_empty() {
                values.first().map(|v| (*v).clone())
            } else {
                None
            }
        }
        Combine::Agree => {
            let first = values.first()?;
            (values.len() == readings.len() && values.iter().all(|v| v == first))
                .then(|| (*first).clone())
        }
    }
}

/// The first web link in a text that may hold several, or other words.
fn first_link(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .find(|w| w.starts_with("https://") || w.starts_with("http://"))
        .map(|w| w.trim_end_matches(['.', ')']).to_string())
        .filter(|w| w.len() > "https://".len())
}

fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        [] => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_whole() {
        assert!(contains_words(
            "uses facial recognition to",
            "facial recognition"
        ));
        assert!(!contains_words(
            "superfacial recognitions",
            "facial recognition"
        ));
    }

    #[test]
    fn several_links_give_the_first() {
        assert_eq!(
            first_link("Zie https://a.example/x, https://b.example/y").as_deref(),
            Some("https://a.example/x")
        );
        assert_eq!(first_link("Nog niet beschikbaar"), None);
    }

    #[test]
    fn choices_combine_without_overreading() {
        let t = Reading::Value(Value::Bool(true));
        let f = Reading::Value(Value::Bool(false));
        let u = Reading::Unread("free text".into());
        assert_eq!(combined(&[f.clone(), u.clone()], Combine::Agree), None);
        assert_eq!(
            combined(&[t.clone(), u.clone()], Combine::AnyTrue),
            Some(true.into())
        );
        assert_eq!(combined(&[f.clone(), u], Combine::AnyTrue), None);
        assert_eq!(
            combined(&[f.clone(), f], Combine::AnyTrue),
            Some(false.into())
        );
    }
}
