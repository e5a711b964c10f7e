//! What the web page is sent: a system with its assessment and mistakes, and the list of
//! systems of the workspace. Every value comes from the one engine; nothing is computed
//! here but the shape.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::Workspace;
use crate::assessment::Assessment;
use crate::document::{Document, DocumentError, Format};
use crate::questions::Questionnaire;
use crate::schema::{Issue, Schema, display_field};
use crate::whatif::WhatIf;

/// One descriptor as the questionnaire shows it.
#[derive(Debug, Serialize)]
pub(super) struct SystemView {
    /// The file, relative to the workspace.
    pub file: String,
    /// SHA-256 of the file's bytes: what an answer must name to be saved.
    pub version: String,
    /// `system.name`, or empty.
    pub name: String,
    /// The assessment; `None` while the descriptor has mistakes.
    pub assessment: Option<AssessmentView>,
    /// The questions, by section; `None` when the file does not read.
    pub questionnaire: Option<Questionnaire>,
    /// The smallest changes that would lift the verdict; `None` while there are mistakes.
    pub what_if: Option<WhatIf>,
    /// The descriptor's mistakes, each at its place.
    pub mistakes: Vec<Mistake>,
    /// The documents already listed in each section, by the dotted path of its evidence
    /// list (`oversight.evidence`), as the file has them.
    pub evidence: BTreeMap<String, Vec<Value>>,
}

/// The part of an assessment the questionnaire shows beside the questions.
#[derive(Debug, Serialize)]
pub(super) struct AssessmentView {
    verdict: &'static str,
    verdict_label: &'static str,
    level: &'static str,
    level_label: &'static str,
    highest_possible_level: &'static str,
    summary: Counts,
    findings: Vec<FindingView>,
}

#[derive(Debug, Serialize)]
struct Counts {
    gaps: usize,
    questions: usize,
    met: usize,
    not_applicable: usize,
}

#[derive(Debug, Serialize)]
struct FindingView {
    rule: String,
    title: String,
    outcome: &'static str,
    severity: &'static str,
    message: String,
    remediation: String,
}

/// A mistake in a descriptor, at the field (dotted path) and place it concerns.
#[derive(Debug, Serialize)]
pub(super) struct Mistake {
    path: String,
    line: u32,
    column: u32,
    message: String,
    help: Option<String>,
}

impl From<&Issue> for Mistake {
    fn from(issue: &Issue) -> Mistake {
        Mistake {
            path: display_field(&issue.pointer),
            line: issue.position.line,
            column: issue.position.column,
            message: issue.message.clone(),
            help: issue.help.clone(),
        }
    }
}

impl From<&DocumentError> for Mistake {
    fn from(e: &DocumentError) -> Mistake {
        let position = e.position().unwrap_or_default();
        Mistake {
            path: String::new(),
            line: position.line,
            column: position.column,
            message: e.to_string(),
            help: Some(e.help().to_string()).filter(|h| !h.is_empty()),
        }
    }
}

impl AssessmentView {
    fn of(a: &Assessment) -> AssessmentView {
        AssessmentView {
            verdict: a.verdict.key(),
            verdict_label: a.verdict.label(),
            level: a.level.level.key(),
            level_label: a.level.level.label(),
            highest_possible_level: a.level.highest_possible.key(),
            summary: Counts {
                gaps: a.summary.gap,
                questions: a.summary.unknown,
                met: a.summary.pass,
                not_applicable: a.summary.not_applicable,
            },
            findings: a
                .findings
                .iter()
                .map(|f| FindingView {
                    rule: f.rule_id.to_string(),
                    title: f.title.to_string(),
                    outcome: f.outcome.key(),
                    severity: f.severity.key(),
                    message: f.message.clone(),
                    remediation: f.remediation.to_string(),
                })
                .collect(),
        }
    }
}

/// A descriptor read from the workspace: its text parsed, or why it does not parse.
pub(super) struct Read {
    pub name: String,
    pub version: String,
    pub doc: Result<Document, DocumentError>,
}

impl Read {
    /// A document already read.
    pub fn of(doc: Document) -> Read {
        Read {
            name: doc.name.clone(),
            version: doc.sha256.clone(),
            doc: Ok(doc),
        }
    }
}

/// Reads a descriptor's bytes, named by its path relative to the workspace, as `assess`
/// run in the workspace names it.
pub(super) fn read(file: &Path, name: &str) -> Result<Read, DocumentError> {
    let bytes = crate::document::read_bounded(file)?;
    Ok(parse(name, &bytes))
}

/// Parses bytes already read.
pub(super) fn parse(name: &str, bytes: &[u8]) -> Read {
    let name = crate::text::sanitize_line(name);
    Read {
        version: crate::edit::version_of(bytes),
        doc: Document::from_bytes(&name, bytes, Format::from_name(&name)),
        name,
    }
}

/// A valid descriptor's assessment, or its mistakes.
pub(super) fn assess(ws: &Workspace, doc: &Document) -> Result<Assessment, Vec<Issue>> {
    let issues = match Schema::descriptor().and_then(|schema| schema.validate(doc)) {
        Ok(issues) => issues,
        Err(e) => vec![Issue {
            file: doc.name.clone(),
            position: crate::document::Position::START,
            pointer: String::new(),
            message: e.to_string(),
            help: Some(crate::diagnostic::BUG.to_string()),
        }],
    };
    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(ws.engine.evaluate(doc, &ws.options).to_assessment())
}

/// The text of `system.name`.
fn system_name(value: &Value) -> String {
    value
        .pointer("/system/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Every section's evidence list that has items, by its dotted path.
fn evidence_lists(value: &Value) -> BTreeMap<String, Vec<Value>> {
    let Some(sections) = value.as_object() else {
        return BTreeMap::new();
    };
    sections
        .iter()
        .filter_map(|(key, section)| {
            let items = section.get("evidence")?.as_array()?;
            (!items.is_empty()).then(|| (format!("{key}.evidence"), items.clone()))
        })
        .collect()
}

/// The questionnaire's view of a descriptor.
pub(super) fn system(ws: &Workspace, read: &Read) -> SystemView {
    let mut view = SystemView {
        file: read.name.clone(),
        version: read.version.clone(),
        name: String::new(),
        assessment: None,
        questionnaire: None,
        what_if: None,
        mistakes: Vec::new(),
        evidence: BTreeMap::new(),
    };
    match &read.doc {
        Err(e) => view.mistakes.push(Mistake::from(e)),
        Ok(doc) => {
            view.name = system_name(&doc.value);
            view.evidence = evidence_lists(&doc.value);
            view.questionnaire = Some(ws.questions.ask(Some(doc), ws.options.as_of));
            match assess(ws, doc) {
                Ok(a) => {
                    view.assessment = Some(AssessmentView::of(&a));
                    view.what_if = Some(crate::whatif::what_if(ws.engine, doc, &ws.options));
                }
                Err(issues) => view.mistakes = issues.iter().map(Mistake::from).collect(),
            }
        }
    }
    view
}

/// The workspace page: every descriptor with its verdict and level.
#[derive(Debug, Serialize)]
pub(super) struct WorkspaceView {
    folder: String,
    systems: Vec<SystemLine>,
    unreadable: Vec<Unreadable>,
}

#[derive(Debug, Serialize)]
struct SystemLine {
    file: String,
    name: String,
    verdict: Option<&'static str>,
    verdict_label: Option<&'static str>,
    level: Option<&'static str>,
    level_label: Option<&'static str>,
    gaps: usize,
    questions: usize,
    mistakes: usize,
}

#[derive(Debug, Serialize)]
struct Unreadable {
    file: String,
    message: String,
}

/// Every descriptor of the workspace (links that lead outside it left out), sorted by
/// file name.
pub(super) fn workspace(ws: &Workspace) -> WorkspaceView {
    let mut view = WorkspaceView {
        folder: ws.root.display().to_string(),
        systems: Vec::new(),
        unreadable: Vec::new(),
    };
    let files =
        crate::portfolio::collect_inputs(std::slice::from_ref(&ws.root)).unwrap_or_default();
    for file in files {
        let inside = std::fs::canonicalize(&file)
            .ok()
            .filter(|f| f.starts_with(&ws.root));
        let Some(name) = super::files::name_of(&ws.root, &file) else {
            continue;
        };
        let read = match inside.as_deref().map(|f| read(f, &name)) {
            Some(Ok(read)) => read,
            Some(Err(e)) => {
                view.unreadable.push(Unreadable {
                    file: name,
                    message: e.to_string(),
                });
                continue;
            }
            None => continue,
        };
        let doc = match &read.doc {
            Ok(doc) => doc,
            Err(e) => {
                view.unreadable.push(Unreadable {
                    file: read.name,
                    message: e.to_string(),
                });
                continue;
            }
        };
        let mut line = SystemLine {
            file: read.name.clone(),
            name: system_name(&doc.value),
            verdict: None,
            verdict_label: None,
            level: None,
            level_label: None,
            gaps: 0,
            questions: 0,
            mistakes: 0,
        };
        match assess(ws, doc) {
            Ok(a) => {
                line.verdict = Some(a.verdict.key());
                line.verdict_label = Some(a.verdict.label());
                line.level = Some(a.level.level.key());
                line.level_label = Some(a.level.level.label());
                line.gaps = a.summary.gap;
                line.questions = a.summary.unknown;
            }
            Err(issues) => line.mistakes = issues.len(),
        }
        view.systems.push(line);
    }
    view.systems.sort_by(|a, b| a.file.cmp(&b.file));
    view.unreadable.sort_by(|a, b| a.file.cmp(&b.file));
    view
}
