//! Importers: public inventories of AI systems turned into descriptors, one per record.
//!
//! Each importer reads its register's export as published and maps only what a record
//! really says. An answer that is not a clear yes or no (a waiver, "not operationally
//! practical", free text) leaves its field unknown, and every answer read is kept in the
//! descriptor's `source` section in its original wording. A malformed record is reported
//! and skipped; the run goes on.

pub mod error;
pub mod nl_register;
pub mod us_federal;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::ser::SerializeMap as _;
use serde_json::{Map, Value};

pub use error::ImportError;

use crate::document::{Document, Format};
use crate::schema::{Schema, is_within};

/// The registers rightscheck can import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    /// The US federal AI use case inventory, 2024 consolidated CSV (Windows-1252).
    UsFederalInventory,
    /// The Dutch Algoritmeregister JSON export (publication standards 0.1 to 1.0).
    NlAlgoritmeregister,
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

/// The top-level sections an importer may fill, in the order of the schema.
const SECTIONS: &[&str] = &[
    "system",
    "roles",
    "purpose",
    "context",
    "affected_people",
    "oversight",
    "impact_assessment",
    "redress",
    "transparency",
    "data",
];

/// A descriptor built from one record, with its provenance.
#[derive(Debug, Clone)]
pub struct Descriptor {
    sections: Map<String, Value>,
    /// The fields the record's register asks about, answered or not.
    asked: BTreeSet<String>,
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
    imported_on: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_asked: Vec<String>,
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
            file_stem: file_stem.into(),
            source: Provenance {
                register: register.into(),
                record_id: record_id.into(),
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
        self.asked.insert(path.to_string());
    }

    /// The sections and fields the register never asks about, as short as possible: a
    /// section none of whose fields is asked is named alone.
    pub fn not_asked(&self) -> Vec<String> {
        let asked_under = |path: &str| {
            self.asked
                .iter()
                .any(|a| is_within(a, path) || is_within(path, a))
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
    pub fn keep_answer(&mut self, field: &str, question: &str, answer: &str) {
        self.source.answers.push(Answer {
            field: field.to_string(),
            question: question.trim().to_string(),
            answer: answer.to_string(),
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
                imported_on: self.source.imported_on.as_deref(),
                not_asked: self.not_asked(),
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

/// Reads a register's export into records.
pub fn read(register: Register, file: &Path) -> Result<Vec<Record>, ImportError> {
    let bytes = std::fs::read(file).map_err(|source| ImportError::Read {
        file: file.to_path_buf(),
        source,
    })?;
    match register {
        Register::UsFederalInventory => us_federal::read(file, &bytes),
        Register::NlAlgoritmeregister => nl_register::read(file, &bytes),
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

/// Writes one descriptor per record into `out_dir`, named from the record's id, never
/// replacing an existing file unless `force`. Each descriptor is checked against the
/// schema before it is written; one that does not validate is skipped as malformed.
pub fn write_all(
    records: Vec<Record>,
    out_dir: &Path,
    force: bool,
    imported_on: Option<&str>,
) -> Result<Summary, ImportError> {
    std::fs::create_dir_all(out_dir).map_err(|e| ImportError::Write {
        path: out_dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let schema = Schema::descriptor().map_err(|e| ImportError::Serialize {
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
        let stem = slug(&descriptor.file_stem);
        let mut name = format!("{stem}.yaml");
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{stem}-{n}.yaml");
            n += 1;
        }
        let path = out_dir.join(&name);
        let yaml = descriptor.to_yaml()?;
        let doc = Document::from_bytes(&name, yaml.as_bytes(), Format::Yaml).map_err(|e| {
            ImportError::Serialize {
                record: id.clone(),
                reason: e.to_string(),
            }
        })?;
        let issues = schema.validate(&doc);
        if let Some(issue) = issues.first() {
            summary.malformed.push(Skipped {
                record: id,
                reason: format!("the descriptor would not be valid: {}", issue.message),
            });
            continue;
        }
        if path.exists() && !force {
            summary.existing.push(Skipped {
                record: id,
                reason: format!("{} already exists", path.display()),
            });
            continue;
        }
        crate::cli::write_atomically(&path, &yaml).map_err(|f| ImportError::Write {
            path: path.clone(),
            reason: f.message,
        })?;
        summary.written.push(path);
    }
    Ok(summary)
}
