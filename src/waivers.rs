//! Waivers: accepted exceptions, each for one rule and one system, with a justification,
//! an approver, a compensating measure and an expiry date. The engine applies them while
//! it evaluates, and they never change a finding silently: a waived finding shows as `waived`
//! with the waiver, an expired waiver leaves the finding open and says so, and a waiver
//! that matches nothing is reported as unused. A red line (blocker) cannot be waived.

mod error;

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::assessment::Waiver;
use crate::document::{Document, Position};
use crate::rules::Catalog;
use crate::schema::{Issue, Schema};

pub use error::WaiverError;

#[derive(Deserialize)]
struct RawFile {
    waivers: Vec<RawWaiver>,
}

#[derive(Deserialize)]
struct RawWaiver {
    rule: String,
    system: String,
    justification: String,
    approved_by: String,
    approved_on: String,
    compensating_measure: String,
    expires_on: String,
}

/// One waiver, read and checked.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The waiver as reports show it.
    pub waiver: Waiver,
    /// The last day it applies.
    pub expires_on: NaiveDate,
    /// Where it is written.
    pub position: Position,
}

/// A waivers file.
#[derive(Debug, Clone)]
pub struct Waivers {
    /// The file name, as given.
    pub file: String,
    /// The waivers, in file order.
    pub entries: Vec<Entry>,
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

impl Waivers {
    /// Reads and checks a waivers file: every mistake at once, with its line.
    pub fn from_path(path: &Path) -> Result<Waivers, WaiverError> {
        let doc = Document::from_path(path)?;
        Waivers::from_document(&doc)
    }

    /// Checks a parsed waivers file.
    pub fn from_document(doc: &Document) -> Result<Waivers, WaiverError> {
        let mut issues = Schema::waivers()?.validate(doc)?;
        if !issues.is_empty() {
            return Err(WaiverError::Invalid(issues));
        }
        let raw: RawFile = serde_json::from_value(doc.value.clone()).map_err(|e| {
            WaiverError::Invalid(vec![Issue {
                file: doc.name.clone(),
                position: Position::START,
                pointer: String::new(),
                message: e.to_string(),
                help: None,
            }])
        })?;
        let mut entries = Vec::with_capacity(raw.waivers.len());
        for (i, w) in raw.waivers.into_iter().enumerate() {
            let pointer = format!("/waivers/{i}");
            let issue = |field: &str, message: String, help: &str| Issue {
                file: doc.name.clone(),
                position: doc.position_of(&format!("{pointer}/{field}")),
                pointer: format!("{pointer}/{field}"),
                message,
                help: Some(help.to_string()),
            };
            if w.system.trim() == "*" {
                issues.push(issue(
                    "system",
                    "a waiver cannot be for every system (`*`)".to_string(),
                    "write the `system.id` or `system.name` of the one system it is for",
                ));
            }
            // The schema has checked both dates.
            let (Some(approved), Some(expires)) = (date(&w.approved_on), date(&w.expires_on))
            else {
                continue;
            };
            if expires < approved {
                issues.push(issue(
                    "expires_on",
                    format!(
                        "the waiver expires on `{}`, before it was approved on `{}`",
                        w.expires_on, w.approved_on
                    ),
                    "check both dates",
                ));
            }
            let position = doc.position_of(&pointer);
            entries.push(Entry {
                waiver: Waiver {
                    rule: w.rule,
                    system: w.system,
                    justification: w.justification,
                    approved_by: w.approved_by,
                    approved_on: w.approved_on,
                    compensating_measure: w.compensating_measure,
                    expires_on: w.expires_on,
                    waived_outcome: String::new(),
                    location: format!("{}:{}", doc.name, position.line),
                },
                expires_on: expires,
                position,
            });
        }
        if !issues.is_empty() {
            return Err(WaiverError::Invalid(issues));
        }
        Ok(Waivers {
            file: doc.name.clone(),
            entries,
        })
    }

    /// Refuses a waiver of a red line: the sources call on governments to refrain from or
    /// ban these uses, so no approval can accept them.
    pub fn check_blockers(&self, catalog: &Catalog) -> Result<(), WaiverError> {
        for e in &self.entries {
            if let Some(rule) = catalog.get(&e.waiver.rule)
                && rule.severity.is_blocker()
            {
                return Err(WaiverError::RedLine {
                    file: self.file.clone(),
                    position: e.position,
                    rule: rule.id.to_string(),
                    title: rule.title.to_string(),
                });
            }
        }
        Ok(())
    }
}
