//! SARIF 2.1.0, so code hosts annotate the descriptor file at the lines that decided each
//! gap and open question.
//!
//! Every rule of the catalog is a `reportingDescriptor`; every gap and open question is a
//! `result` whose location is the descriptor line of the first value that decided it (the
//! other values are `relatedLocations`). Passes and rules that do not apply are not
//! results: SARIF consumers show results as alerts. An open question is reported with
//! `kind: fail` and level `warning` at most, because what fails is the descriptor's duty to
//! show the safeguard; its message starts with "Open question".

use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::error::Result;
use super::labels::clean;
use super::view::media_type;
use super::{RenderOptions, Report, Spill, Whole};
use crate::assessment::{Assessment, Finding, Outcome};
use crate::document::hex;
use crate::rules::Severity;

/// The SARIF log of one system.
pub struct Sarif<'a>(pub RenderOptions<'a>);

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    automation_details: AutomationDetails,
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
    properties: RunProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties {
    verdict: &'static str,
    verdict_reason: String,
    impact_level: &'static str,
    as_of: String,
    catalog_sha256: String,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
pub(crate) struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: std::borrow::Cow<'static, str>,
    version: std::borrow::Cow<'static, str>,
    semantic_version: std::borrow::Cow<'static, str>,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MultiformatMessage {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: String,
    short_description: MultiformatMessage,
    full_description: MultiformatMessage,
    help: MultiformatMessage,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    severity: &'static str,
    sources: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Artifact {
    location: ArtifactLocation,
    hashes: Hashes,
    mime_type: &'static str,
}

#[derive(Serialize)]
struct Hashes {
    #[serde(rename = "sha-256")]
    sha256: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SarifResult {
    rule_id: String,
    rule_index: usize,
    kind: &'static str,
    level: &'static str,
    message: Message,
    locations: Vec<ResultLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<ResultLocation>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties,
}

/// A waiver, as SARIF records an accepted result: suppressed outside the source file.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
    properties: SuppressionProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SuppressionProperties {
    approved_by: String,
    approved_on: String,
    compensating_measure: String,
    expires_on: String,
    location: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    outcome: &'static str,
    severity: &'static str,
    failing: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    question: Option<String>,
    remediation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver_expired_on: Option<String>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "rightscheck/v1")]
    v1: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
}

/// The SARIF level a finding of this severity gets.
fn level(severity: Severity, outcome: Outcome) -> &'static str {
    match (severity, outcome) {
        (_, Outcome::NotAsked) => "note",
        (Severity::Blocker | Severity::High, Outcome::Gap) => "error",
        (Severity::Blocker | Severity::High | Severity::Medium, _) => "warning",
        _ => "note",
    }
}

/// The descriptor's path as a URI reference: relative paths stay relative to the
/// checkout (`%SRCROOT%`), as code hosts expect; absolute ones become `file://` URIs.
pub(crate) fn artifact_uri(file: &str) -> (String, Option<&'static str>) {
    let encoded = super::labels::uri_path(file);
    if encoded.starts_with('/') {
        (format!("file://{encoded}"), None)
    } else {
        let relative = encoded.trim_start_matches("./").to_string();
        (relative, Some(SRCROOT))
    }
}

fn location(
    uri: &(String, Option<&'static str>),
    artifact: usize,
    line: u32,
    column: u32,
) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri.0.clone(),
            uri_base_id: uri.1,
            index: artifact,
        },
        region: (line > 0).then_some(Region {
            start_line: line,
            start_column: (column > 0).then_some(column),
        }),
    }
}

/// The result of one finding; `index` is its rule's place in the driver's rules, `artifact`
/// the descriptor's place in the run's artifacts.
fn result(
    a: &Assessment,
    f: &Finding,
    index: usize,
    artifact: usize,
    options: &RenderOptions<'_>,
) -> SarifResult {
    let uri = artifact_uri(&a.descriptor.file);
    let mut observations: Vec<_> = f.observations.iter().collect();
    observations.sort_by_key(|o| (o.line == 0, o.line, o.column));
    let mut locations: Vec<ResultLocation> = observations
        .iter()
        .enumerate()
        .map(|(i, o)| ResultLocation {
            id: Some(i),
            physical_location: location(&uri, artifact, o.line, o.column),
            message: Some(Message {
                text: clean(&match &o.expected {
                    Some(e) => format!("{}; {e}", o.message),
                    None => o.message.clone(),
                }),
            }),
        })
        .collect();
    if locations.is_empty() {
        locations.push(ResultLocation {
            id: Some(0),
            physical_location: location(&uri, artifact, 0, 0),
            message: None,
        });
    }
    let related = locations.split_off(1);
    let mut text = match (f.outcome, &f.question) {
        (Outcome::Unknown, Some(q)) => {
            format!("Open question ({}): {}. Ask: {q}", f.rule_id, f.title)
        }
        (Outcome::NotAsked, Some(q)) => format!(
            "Not asked by {} ({}): {}. Ask: {q}",
            f.not_asked_by.as_deref().unwrap_or("the source"),
            f.rule_id,
            f.title
        ),
        _ => format!(
            "{} ({}): {}. Found: {}",
            severity_word(f.severity),
            f.rule_id,
            f.title,
            f.message
        ),
    };
    text.push_str(&register_note(a, f, &text));
    let mut hasher = Sha256::new();
    hasher.update(f.rule_id.as_bytes());
    for o in &f.observations {
        hasher.update([0]);
        hasher.update(o.pointer.as_bytes());
    }
    // A waived finding keeps the level of what it was; the suppression says it is accepted.
    let was = match f.waiver.as_ref().map(|w| w.waived_outcome.as_str()) {
        Some("unknown") => Outcome::Unknown,
        Some("not-asked") => Outcome::NotAsked,
        Some(_) => Outcome::Gap,
        None => f.outcome,
    };
    let suppressions = f
        .waiver
        .iter()
        .map(|w| Suppression {
            kind: "external",
            status: "accepted",
            justification: clean(&w.justification),
            properties: SuppressionProperties {
                approved_by: clean(&w.approved_by),
                approved_on: clean(&w.approved_on),
                compensating_measure: clean(&w.compensating_measure),
                expires_on: clean(&w.expires_on),
                location: clean(&w.location),
            },
        })
        .collect();
    SarifResult {
        rule_id: clean(&f.rule_id),
        rule_index: index,
        kind: "fail",
        level: level(f.severity, was),
        suppressions,
        message: Message { text: clean(&text) },
        locations,
        related_locations: related,
        partial_fingerprints: Fingerprints {
            v1: hex(&hasher.finalize()),
        },
        properties: ResultProperties {
            outcome: f.outcome.as_str(),
            severity: f.severity.as_str(),
            failing: f.failing,
            question: f.question.as_deref().map(clean),
            remediation: clean(&f.remediation),
            target_date: options.deadlines.target_date(&a.as_of, f.severity),
            waiver_expired_on: f.waiver_expired_on.as_deref().map(clean),
        },
    }
}

/// On an imported system, the register's own wording of the answers behind a finding and
/// the link to its record, to append to the message `text`.
fn register_note(a: &Assessment, f: &Finding, text: &str) -> String {
    let answers = super::view::register_answers(a, f);
    let url = a.descriptor.source.as_ref().and_then(|s| s.url.as_deref());
    let mut note = String::new();
    if (!answers.is_empty() || url.is_some()) && !text.ends_with(['.', '?']) {
        note.push('.');
    }
    for r in answers {
        let _ = write!(
            note,
            " In the register: {} \u{201c}{}\u{201d}",
            r.question, r.answer
        );
        if let Some(e) = &r.explanation {
            let _ = write!(note, " (explanation: \u{201c}{e}\u{201d})");
        }
        note.push('.');
    }
    if let Some(url) = url {
        let _ = write!(note, " Record: {url}");
    }
    note
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Blocker => "Red line crossed",
        Severity::High => "High-severity gap",
        Severity::Medium => "Medium-severity gap",
        Severity::Low => "Low-severity gap",
        Severity::Info => "Gap",
    }
}

/// The catalog's rules as the findings of `a` list them, in id order, so that `ruleIndex`
/// does not depend on the findings' order.
fn rule_order(a: &Assessment) -> Vec<&Finding> {
    let mut rules: Vec<&Finding> = a.findings.iter().collect();
    rules.sort_by(|x, y| x.rule_id.cmp(&y.rule_id));
    rules
}

/// The tool block: rightscheck and every rule of the catalog.
pub(crate) fn tool(a: &Assessment) -> Tool {
    Tool {
        driver: Driver {
            name: a.tool.name.clone(),
            version: a.tool.version.clone(),
            semantic_version: a.tool.version.clone(),
            rules: rule_order(a)
                .iter()
                .map(|f| ReportingDescriptor {
                    id: clean(&f.rule_id),
                    short_description: MultiformatMessage {
                        text: clean(&f.title),
                    },
                    full_description: MultiformatMessage {
                        text: clean(&format!(
                            "{} (theme: {}, severity: {})",
                            f.title, f.theme, f.severity
                        )),
                    },
                    help: MultiformatMessage {
                        text: clean(&f.remediation),
                    },
                    default_configuration: Configuration {
                        level: level(f.severity, Outcome::Gap),
                    },
                    properties: RuleProperties {
                        tags: vec!["human-rights".to_string(), clean(&f.theme)],
                        severity: f.severity.as_str(),
                        sources: f
                            .sources
                            .iter()
                            .map(|s| clean(&format!("{} {}", s.document, s.call)))
                            .collect(),
                    },
                })
                .collect(),
        },
    }
}

/// The descriptor as artifact number `index` of the run.
pub(crate) fn artifact(a: &Assessment, index: usize) -> Artifact {
    let uri = artifact_uri(&a.descriptor.file);
    Artifact {
        location: ArtifactLocation {
            uri: uri.0,
            uri_base_id: uri.1,
            index,
        },
        hashes: Hashes {
            sha256: a.descriptor.sha256.clone(),
        },
        mime_type: media_type(&a.descriptor.file),
    }
}

/// A result for every gap, open question, question not asked and waived finding, located in artifact number
/// `artifact`.
pub(crate) fn results(
    a: &Assessment,
    options: &RenderOptions<'_>,
    artifact: usize,
) -> Vec<SarifResult> {
    let rules = rule_order(a);
    let index_of = |id: &str| rules.iter().position(|r| &*r.rule_id == id).unwrap_or(0);
    a.findings
        .iter()
        .filter(|f| {
            matches!(
                f.outcome,
                Outcome::Gap | Outcome::Unknown | Outcome::NotAsked | Outcome::Waived
            )
        })
        .map(|f| result(a, f, index_of(&f.rule_id), artifact, options))
        .collect()
}

impl Report for Sarif<'_> {
    fn finish(&mut self, whole: Whole<'_>, _: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        let (a, opts) = (whole.one()?, &self.0);
        let uri = artifact_uri(&a.descriptor.file);
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: vec![Run {
                tool: tool(a),
                // One category per descriptor, the same at every run, so that a code host
                // closes the alerts of a gap once it is fixed.
                automation_details: AutomationDetails {
                    id: format!("{}/{}/", a.tool.name, uri.0),
                },
                artifacts: vec![artifact(a, 0)],
                results: results(a, opts, 0),
                column_kind: "unicodeCodePoints",
                properties: RunProperties {
                    verdict: a.verdict.as_str(),
                    verdict_reason: clean(&a.verdict_reason),
                    impact_level: a.level.level.as_str(),
                    as_of: a.as_of.clone(),
                    catalog_sha256: a.catalog.sha256.clone(),
                },
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::artifact_uri;

    #[test]
    fn relative_paths_stay_relative_to_the_checkout() {
        assert_eq!(
            artifact_uri("examples/a b.yaml"),
            ("examples/a%20b.yaml".to_string(), Some("%SRCROOT%"))
        );
        assert_eq!(artifact_uri("./x.yaml").0, "x.yaml");
        assert_eq!(
            artifact_uri("/tmp/x.yaml"),
            ("file:///tmp/x.yaml".to_string(), None)
        );
    }
}
