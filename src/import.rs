//! Importers: public inventories of AI systems turned into descriptors, one per record.
//!
//! Each importer reads its register's export as published and maps only what a record
//! really says. An answer that is not a clear yes or no (a waiver, "not operationally
//! practical", free text) leaves its field unknown, and every answer read is kept in the
//! descriptor's `source` section in its original wording. A malformed record is reported
//! and skipped; the run goes on.

pub mod error;
pub mod listing;
pub mod mapping;
pub mod records;
pub mod source;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::ser::SerializeMap as _;
use serde_json::{Map, Value};

pub use error::ImportError;
pub use mapping::{Mapping, MappingError};

use crate::document::{Document, Format};
use crate::schema::{Schema, is_within};

/// Which mapping reads the file.
#[derive(Debug, Clone, Copy)]
pub enum Choice<'a> {
    /// The built-in mapping whose columns the file has.
    Detect,
    /// A built-in mapping, by id.
    Register(&'a str),
    /// A mapping file.
    Mapping(&'a Path),
}

/// One record of a register, read.
#[derive(Debug)]
pub enum Record {
    /// A record turned into a descriptor.
    Descriptor(Box<Descriptor>),
    /// A record that could not be read, and why.
    Malformed {
        /// Where it is in the source (id or position).
        record: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// A register's file read through its mapping.
#[derive(Debug)]
pub struct Imported {
    /// The mapping that read it.
    pub mapping: Mapping,
    /// The records, and what the mapping did not know.
    pub read: records::Read,
}

/// The top-level sections an importer may fill, in the order of the schema.
const SECTIONS: &[&str] = &[
    "system",
    "roles",
    "purpose",
    "context",
    "affected_people",
    "harm",
    "capabilities",
    "legality",
    "oversight",
    "due_diligence",
    "impact_assessment",
    "redress",
    "reversibility",
    "transparency",
    "content_moderation",
    "information_integrity",
    "groups_at_risk",
    "data",
    "bias",
    "traceability",
    "security",
    "environment",
    "export",
    "incidents",
    "training",
    "workers",
    "watchlist",
];

/// A descriptor built from one record, with its provenance.
#[derive(Debug, Clone)]
pub struct Descriptor {
    sections: Map<String, Value>,
    /// The fields the record's register asks about, answered or not.
    asked: BTreeSet<String>,
    /// Fields two answers of the record read differently: left unknown.
    conflicts: BTreeSet<String>,
    /// [`Descriptor::not_asked`], worked out once for the descriptor's two serialisations
    /// (checked, then written).
    not_asked: std::cell::OnceCell<Vec<String>>,
    /// The file name to write it under, before slugging and without extension.
    pub file_stem: String,
    /// Where it came from.
    pub source: Provenance,
}

/// The descriptor's `source` section.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// The register.
    pub register: String,
    /// The record's id in the register.
    pub record_id: String,
    /// The record's page in the register.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The date of the import.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported_on: Option<String>,
    /// Every answer read, in its original wording.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
}

/// The `source` section as written: provenance first, then what the register never asks,
/// then the answers read.
#[derive(Serialize)]
struct Source<'a> {
    register: &'a str,
    record_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    imported_on: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    not_asked: &'a [String],
    #[serde(skip_serializing_if = "<[Answer]>::is_empty")]
    answers: &'a [Answer],
}

/// One answer of a record, as the register writes it.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// The descriptor field it was read for.
    pub field: String,
    /// The question (column header or field name).
    pub question: String,
    /// The answer, verbatim.
    pub answer: String,
    /// The register's explanation of the answer, verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

impl Descriptor {
    /// An empty descriptor for one record of a register, to be written as `file_stem`.
    pub fn new(
        register: impl Into<String>,
        record_id: impl Into<String>,
        file_stem: impl Into<String>,
    ) -> Self {
        Descriptor {
            sections: Map::new(),
            asked: BTreeSet::new(),
            conflicts: BTreeSet::new(),
            not_asked: std::cell::OnceCell::new(),
            file_stem: file_stem.into(),
            source: Provenance {
                register: register.into(),
                record_id: record_id.into(),
                url: None,
                imported_on: None,
                answers: Vec::new(),
            },
        }
    }

    /// Records that the register asks about a field, e.g. `redress.can_contest`, whether
    /// or not this record answers it. A field no importer marks as asked is written in
    /// `source.not_asked`, so that rules depending on it say "not asked by this source"
    /// instead of raising a question the register could never have answered.
    pub fn ask(&mut self, path: &str) {
        if self.asked.insert(path.to_string()) {
            self.not_asked.take();
        }
    }

    /// Whether the register asks about a field.
    pub fn is_asked(&self, path: &str) -> bool {
        self.asked.contains(path)
    }

    /// Sets a field read from an answer. When another answer of the record already gave
    /// it a different value, the field is left unknown: the record contradicts itself.
    pub fn read(&mut self, path: &str, value: Value) {
        if self.conflicts.contains(path) {
            return;
        }
        match self.get(path) {
            Some(old) if *old != value => {
                self.conflicts.insert(path.to_string());
                self.remove(path);
            }
            Some(_) => {}
            None => self.set(path, value),
        }
    }

    fn remove(&mut self, path: &str) {
        let mut parts: Vec<&str> = path.split('.').collect();
        let Some(last) = parts.pop() else { return };
        let mut map = &mut self.sections;
        for part in parts {
            let Some(Value::Object(next)) = map.get_mut(part) else {
                return;
            };
            map = next;
        }
        map.remove(last);
    }

    /// The sections and fields the register never asks about, as short as possible: a
    /// section none of whose fields is asked is named alone.
    pub fn not_asked(&self) -> Vec<String> {
        // Asked under `path`: `path` itself or a field within it is asked (the first asked
        // field sorted after it), or a section holding it is (one of its dotted prefixes).
        let asked_under = |path: &str| {
            let within = self
                .asked
                .range::<str, _>((std::ops::Bound::Included(path), std::ops::Bound::Unbounded))
                .next()
                .is_some_and(|a| is_within(a, path));
            within
                || path
                    .match_indices('.')
                    .any(|(i, _)| self.asked.contains(&path[..i]))
        };
        let mut out: Vec<String> = Vec::new();
        // Fields are sorted, so a section's fields follow it: one already listed as a whole
        // is the last one listed.
        for path in crate::schema::descriptor_fields().keys() {
            let top = path.split('.').next().unwrap_or_default();
            if top == "source" || top == "descriptor_version" {
                continue;
            }
            if out.last().is_some_and(|section| is_within(path, section)) {
                continue;
            }
            if !asked_under(path) {
                out.push(path.clone());
            }
        }
        out
    }

    /// Sets a field by dotted path, e.g. `roles.deployer.name`, which the register
    /// therefore asks about.
    pub fn set(&mut self, path: &str, value: impl Into<Value>) {
        self.ask(path);
        let mut parts: Vec<&str> = path.split('.').collect();
        let Some(last) = parts.pop() else { return };
        let mut map = &mut self.sections;
        for part in parts {
            let entry = map
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            let Value::Object(next) = entry else { return };
            map = next;
        }
        map.insert(last.to_string(), value.into());
    }

    /// The value of a field, by dotted path.
    pub fn get(&self, path: &str) -> Option<&Value> {
        let mut parts = path.split('.');
        let mut value = self.sections.get(parts.next()?)?;
        for part in parts {
            value = value.get(part)?;
        }
        Some(value)
    }

    /// Keeps the original wording of an answer read for `field`.
    pub fn keep_answer(
        &mut self,
        field: &str,
        question: &str,
        answer: &str,
        explanation: Option<&str>,
    ) {
        self.source.answers.push(Answer {
            field: field.to_string(),
            question: question.trim().to_string(),
            answer: answer.to_string(),
            explanation: explanation.map(str::to_string),
        });
    }

    /// The descriptor as YAML.
    pub fn to_yaml(&self) -> Result<String, ImportError> {
        serde_saphyr::to_string(self).map_err(|e| ImportError::Serialize {
            record: self.source.record_id.clone(),
            reason: e.to_string(),
        })
    }
}

impl Serialize for Descriptor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("descriptor_version", "1")?;
        for name in SECTIONS {
            if let Some(section) = self.sections.get(*name) {
                map.serialize_entry(name, section)?;
            }
        }
        map.serialize_entry(
            "source",
            &Source {
                register: &self.source.register,
                record_id: &self.source.record_id,
                url: self.source.url.as_deref(),
                imported_on: self.source.imported_on.as_deref(),
                not_asked: self.not_asked.get_or_init(|| self.not_asked()),
                answers: &self.source.answers,
            },
        )?;
        map.end()
    }
}

/// An answer with its spacing tidied (stray newlines and runs of spaces become one
/// space), for reading; the original wording is kept separately.
pub fn tidy(answer: &str) -> String {
    answer.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A lower-case, ASCII, dash-separated form of a record id, for file names.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(80);
    if out.is_empty() {
        out.push_str("record");
    }
    out
}

/// Reads a register's export through its mapping: the one chosen, or the built-in one
/// whose columns the file has. A file no mapping fits is refused whole, saying what was
/// expected and what was found.
pub fn read(file: &Path, choice: Choice<'_>) -> Result<Imported, ImportError> {
    let candidates = match choice {
        Choice::Detect => Mapping::built_in()?,
        Choice::Register(id) => {
            let all = Mapping::built_in()?;
            let known: Vec<String> = all.iter().map(|m| m.id.clone()).collect();
            let found: Vec<Mapping> = all.into_iter().filter(|m| m.id == id).collect();
            if found.is_empty() {
                return Err(ImportError::NoSuchRegister {
                    id: id.to_string(),
                    known,
                });
            }
            found
        }
        Choice::Mapping(path) => vec![Mapping::from_path(path)?],
    };
    let bytes = source::read_bounded(file)?;
    read_bytes(file, &bytes, &candidates)
}

/// Reads a register's export already in memory through the first of `candidates` that
/// fits it (see [`read`]).
pub fn read_bytes(
    file: &Path,
    bytes: &[u8],
    candidates: &[Mapping],
) -> Result<Imported, ImportError> {
    let text = source::decode(bytes);
    let wrappers: Vec<&str> = candidates
        .iter()
        .filter_map(|m| m.records.as_deref())
        .collect();
    let table = source::parse(file, &text, &wrappers)?;
    drop(text);
    let fits = |m: &Mapping| {
        m.format == table.format
            && m.records == table.wrapper
            && m.detect.iter().all(|d| records::find(&table, d).is_some())
    };
    let Some(mapping) = candidates.iter().find(|m| fits(m)) else {
        return Err(unrecognised(file, &table, candidates));
    };
    if let Some(reason) = &mapping.refuse {
        return Err(ImportError::Refused {
            file: file.to_path_buf(),
            title: mapping.title.clone(),
            reason: reason.trim().to_string(),
        });
    }
    let read = records::read(mapping, &table);
    Ok(Imported {
        mapping: mapping.clone(),
        read,
    })
}

fn unrecognised(file: &Path, table: &source::SourceTable, candidates: &[Mapping]) -> ImportError {
    const SHOWN: usize = 8;
    let kind = match (table.format, &table.wrapper) {
        (mapping::FileFormat::Csv, _) => "a CSV table with the columns".to_string(),
        (mapping::FileFormat::Json, None) => "a JSON list of records with the keys".to_string(),
        (mapping::FileFormat::Json, Some(w)) => {
            format!("a JSON object holding records under `{w}`, with the keys")
        }
    };
    let mut columns: Vec<String> = table
        .columns
        .iter()
        .take(SHOWN)
        .map(|c| format!("`{}`", c.chars().take(60).collect::<String>()))
        .collect();
    if table.columns.len() > SHOWN {
        columns.push(format!("and {} more", table.columns.len() - SHOWN));
    }
    let found = format!("{kind} {}", columns.join(", "));
    let expected = candidates
        .iter()
        .map(|m| {
            let missing: Vec<String> = m
                .detect
                .iter()
                .filter(|d| records::find(table, d).is_none())
                .map(|d| format!("`{d}`"))
                .collect();
            let shape = match (m.format, &m.records) {
                (mapping::FileFormat::Csv, _) => "CSV".to_string(),
                (mapping::FileFormat::Json, None) => "a JSON list".to_string(),
                (mapping::FileFormat::Json, Some(w)) => format!("JSON records under `{w}`"),
            };
            if missing.is_empty() {
                format!("  {} ({}): {shape}", m.id, m.title)
            } else {
                format!(
                    "  {} ({}): {shape} with {}",
                    m.id,
                    m.title,
                    missing.join(", ")
                )
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    ImportError::Unrecognised {
        file: file.to_path_buf(),
        found,
        expected,
    }
}

/// Why a record was not written.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// The record.
    pub record: String,
    /// Why.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Records read from the source.
    pub read: usize,
    /// Descriptors written.
    pub written: Vec<PathBuf>,
    /// Records skipped as malformed.
    pub malformed: Vec<Skipped>,
    /// Records not written because their file exists (and `force` was not given).
    pub existing: Vec<Skipped>,
    /// Rows that are not records (a template's example row, a repeated header).
    pub template_rows: usize,
}

impl Summary {
    /// Records skipped, for any reason.
    pub fn skipped(&self) -> usize {
        self.malformed.len() + self.existing.len()
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "read {} records, wrote {} descriptors, skipped {}",
            self.read,
            self.written.len(),
            self.skipped()
        )?;
        let mut reasons = Vec::new();
        if !self.malformed.is_empty() {
            reasons.push(format!("{} malformed", self.malformed.len()));
        }
        if self.template_rows > 0 {
            reasons.push(format!(
                "{} template {} not records",
                self.template_rows,
                if self.template_rows == 1 {
                    "row is"
                } else {
                    "rows are"
                }
            ));
        }
        if !self.existing.is_empty() {
            reasons.push(format!(
                "{} already existed; add `--force` to replace them",
                self.existing.len()
            ));
        }
        if !reasons.is_empty() {
            write!(f, " ({})", reasons.join(", "))?;
        }
        Ok(())
    }
}

/// `STEM.yaml`, or `STEM-2.yaml`, `STEM-3.yaml`... when the name is already taken.
fn unique_name(taken: &mut BTreeSet<String>, stem: &str) -> String {
    let mut name = format!("{stem}.yaml");
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{stem}-{n}.yaml");
        n += 1;
    }
    name
}

/// Writes one descriptor per record into `out_dir`, named from the record's id, never
/// replacing an existing file unless `force`. Each descriptor is checked against the
/// schema before it is written; one that does not validate, or cannot be written, is
/// reported and skipped, and the run goes on. Each file is written whole under a
/// temporary name and renamed into place; the folder is flushed to disk once, at the end.
pub fn write_all(
    records: Vec<Record>,
    out_dir: &Path,
    force: bool,
    imported_on: Option<&str>,
    input: Option<&Path>,
) -> Result<Summary, ImportError> {
    std::fs::create_dir_all(out_dir).map_err(|e| ImportError::Write {
        path: out_dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    // Every record is checked, by the validator compiled once for all.
    let schema = Schema::descriptor()
        .and_then(Schema::prepare)
        .map_err(|e| ImportError::Serialize {
            record: String::new(),
            reason: e.to_string(),
        })?;
    let mut summary = Summary {
        read: records.len(),
        ..Summary::default()
    };
    let mut names = BTreeSet::new();
    for record in records {
        let mut descriptor = match record {
            Record::Descriptor(d) => d,
            Record::Malformed { record, reason } => {
                summary.malformed.push(Skipped { record, reason });
                continue;
            }
        };
        descriptor.source.imported_on = imported_on.map(str::to_string);
        let id = descriptor.source.record_id.clone();
        let name = unique_name(&mut names, &slug(&descriptor.file_stem));
        let path = out_dir.join(&name);
        let mut skip = |reason: String| {
            summary.malformed.push(Skipped {
                record: id.clone(),
                reason,
            });
        };
        // Checked against the schema as the value it is, before it is written as YAML.
        let value = match serde_json::to_value(&*descriptor) {
            Ok(value) => value,
            Err(e) => {
                skip(format!("cannot be written: {e}"));
                continue;
            }
        };
        let doc = Document::from_value(&name, value, Format::Yaml);
        let refused = schema.validate(&doc).map_or_else(
            |e| Some(e.to_string()),
            |issues| {
                let first = issues.first()?;
                Some(format!(
                    "the descriptor would not be valid: {}",
                    first.message
                ))
            },
        );
        if let Some(reason) = refused {
            skip(reason);
            continue;
        }
        let yaml = match descriptor.to_yaml() {
            Ok(yaml) => yaml,
            Err(e) => {
                skip(format!("cannot be written as YAML: {e}"));
                continue;
            }
        };
        if yaml.len() > crate::document::MAX_DOCUMENT_BYTES {
            skip(format!(
                "its descriptor would be {:.1} MB, more than the {} MB a descriptor may be, so it is not written",
                mb(yaml.len()),
                crate::document::MAX_DOCUMENT_BYTES / (1024 * 1024)
            ));
            continue;
        }
        if path.symlink_metadata().is_ok() && !force {
            summary.existing.push(Skipped {
                record: id,
                reason: format!("{} already exists", path.display()),
            });
            continue;
        }
        if input.is_some_and(|input| crate::output::same_file(&path, input)) {
            skip(format!(
                "{} is the register file being imported; it is never replaced",
                path.display()
            ));
            continue;
        }
        if let Err(e) = crate::output::write_unsynced(&path, yaml.as_bytes()) {
            skip(e.to_string());
            continue;
        }
        summary.written.push(path);
    }
    crate::output::sync_folder(out_dir).map_err(|e| ImportError::Write {
        path: out_dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok(summary)
}

#[expect(
    clippy::cast_precision_loss,
    reason = "a size in megabytes, for people"
)]
fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
