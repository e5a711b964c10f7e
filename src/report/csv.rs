//! One row per finding, for spreadsheets. One system's CSV lists every rule (`--only`
//! narrows it); a portfolio's lists every gap, open question and waived finding of every
//! system (every finding with `--all`), in the same columns, and a descriptor that could
//! not be assessed is one row with the outcome `error`.
//!
//! Written for the spreadsheet programs procurement teams use: UTF-8 with a byte-order
//! mark (without it Excel reads the file in the local code page and garbles every
//! non-ASCII letter), CRLF line ends and RFC 4180 quoting. A cell that starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet shows it
//! as text and never evaluates it as a formula. Programs reading the file should open it
//! as `utf-8-sig` (Python) or skip the mark.

use std::io::Write;

use serde::Serialize;

use super::error::Result;
use super::labels::csv_cell as cell;
use super::view::{evidence_of, lines_of, register_answers, support_of};
use super::{Part, RenderOptions, Report, Scope, Spill, Whole};
use crate::assessment::{Assessment, Finding, Outcome};
use crate::rules::Severity;

/// The CSV report: one system's, or a portfolio's.
pub struct Csv<'a> {
    /// One system (every rule) or many (what needs action).
    pub scope: Scope,
    /// How the report looks.
    pub options: RenderOptions<'a>,
    /// The as-of date, for the rows of descriptors that could not be assessed.
    pub as_of: String,
}

/// The byte-order mark that tells spreadsheets the file is UTF-8.
pub const BOM: &str = "\u{feff}";

/// The columns, in order: the field names of [`Row`].
const COLUMNS: [&str; 26] = [
    "rule_id",
    "severity",
    "outcome",
    "failing",
    "theme",
    "title",
    "finding",
    "question",
    "remediation",
    "target_date",
    "descriptor_lines",
    "fields",
    "support",
    "evidence",
    "sources",
    "crosswalk",
    "waiver",
    "waiver_expired_on",
    "register_wording",
    "register_record",
    "register_url",
    "system",
    "deployer",
    "descriptor_file",
    "descriptor_sha256",
    "as_of",
];

#[derive(Serialize)]
struct Row<'a> {
    rule_id: String,
    severity: &'static str,
    outcome: &'static str,
    failing: &'static str,
    theme: String,
    title: String,
    finding: String,
    question: String,
    remediation: String,
    target_date: &'a str,
    descriptor_lines: String,
    fields: String,
    support: &'static str,
    evidence: String,
    sources: String,
    crosswalk: String,
    waiver: String,
    waiver_expired_on: String,
    register_wording: String,
    register_record: &'a str,
    register_url: &'a str,
    system: &'a str,
    deployer: &'a str,
    descriptor_file: &'a str,
    descriptor_sha256: &'a str,
    as_of: &'a str,
}

/// The cells that are the same on every row of a system, made once per system.
struct SystemCells {
    register_record: String,
    register_url: String,
    system: String,
    deployer: String,
    descriptor_file: String,
    /// The target date of a finding of each severity.
    target_dates: Vec<(Severity, String)>,
}

impl SystemCells {
    fn new(a: &Assessment, options: &RenderOptions<'_>) -> SystemCells {
        let source = a.descriptor.source.as_ref();
        SystemCells {
            register_record: register_record(a),
            register_url: source
                .and_then(|s| s.url.as_deref())
                .map(cell)
                .unwrap_or_default(),
            system: cell(&a.descriptor.system_name),
            deployer: a
                .descriptor
                .brief
                .deployer
                .as_deref()
                .map(cell)
                .unwrap_or_default(),
            descriptor_file: cell(&a.descriptor.file),
            target_dates: Severity::ALL
                .into_iter()
                .map(|s| {
                    let date = options.deadlines.target_date(&a.as_of, s);
                    (s, date.unwrap_or_default())
                })
                .collect(),
        }
    }

    fn target_date(&self, severity: Severity) -> &str {
        self.target_dates
            .iter()
            .find(|(s, _)| *s == severity)
            .map_or("", |(_, d)| d.as_str())
    }
}

/// The register's wording of the answers behind a finding, as one cell.
fn register_wording(a: &Assessment, f: &Finding) -> String {
    cell(
        &register_answers(a, f)
            .iter()
            .map(|r| match &r.explanation {
                Some(e) => format!(
                    "{}: \u{201c}{}\u{201d} (explanation: \u{201c}{e}\u{201d})",
                    r.question, r.answer
                ),
                None => format!("{}: \u{201c}{}\u{201d}", r.question, r.answer),
            })
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// The register and record an imported descriptor comes from, as one cell.
fn register_record(a: &Assessment) -> String {
    a.descriptor
        .source
        .as_ref()
        .map(|s| match &s.record_id {
            Some(id) => cell(&format!("{}, record {id}", s.register)),
            None => cell(&s.register),
        })
        .unwrap_or_default()
}

fn row<'a>(a: &'a Assessment, f: &Finding, system: &'a SystemCells) -> Row<'a> {
    let open = matches!(
        f.outcome,
        Outcome::Gap | Outcome::Unknown | Outcome::NotAsked
    );
    let mut fields: Vec<&str> = f.observations.iter().map(|o| &*o.field).collect();
    fields.dedup();
    let evidence: Vec<String> = evidence_of(f)
        .iter()
        .map(|e| {
            let mut parts = vec![e.title.clone()];
            parts.extend(e.link.clone());
            parts.extend(e.file.clone());
            parts.extend(e.date.clone());
            if let Some(v) = &e.verified_by {
                parts.push(format!("verified by {v}"));
            }
            parts.join(", ")
        })
        .collect();
    Row {
        rule_id: cell(&f.rule_id),
        severity: f.severity.as_str(),
        outcome: f.outcome.as_str(),
        failing: if f.failing { "yes" } else { "no" },
        theme: cell(&f.theme),
        title: cell(&f.title),
        finding: cell(&f.message),
        question: cell(f.question.as_deref().unwrap_or_default()),
        remediation: if open {
            cell(&f.remediation)
        } else {
            String::new()
        },
        target_date: if open {
            system.target_date(f.severity)
        } else {
            ""
        },
        descriptor_lines: lines_of(&f.observations),
        fields: cell(&fields.join("; ")),
        support: support_of(f).key(),
        evidence: cell(&evidence.join("; ")),
        sources: cell(
            &f.sources
                .iter()
                .map(|s| format!("{} {}", s.document, s.call))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        crosswalk: cell(
            &f.crosswalk
                .iter()
                .map(crate::rules::Crosswalk::label)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        waiver: cell(&f.waiver.as_ref().map_or_else(String::new, |w| {
            format!(
                "{}; approved by {} on {}; compensating measure: {}; expires on {}",
                w.justification, w.approved_by, w.approved_on, w.compensating_measure, w.expires_on
            )
        })),
        waiver_expired_on: f
            .waiver_expired_on
            .clone()
            .map(|d| cell(&d))
            .unwrap_or_default(),
        register_wording: register_wording(a, f),
        register_record: &system.register_record,
        register_url: &system.register_url,
        system: &system.system,
        deployer: &system.deployer,
        descriptor_file: &system.descriptor_file,
        descriptor_sha256: &a.descriptor.sha256,
        as_of: &a.as_of,
    }
}

impl Report for Csv<'_> {
    fn part(&mut self, part: Part<'_>, spill: &mut dyn Write) -> Result<()> {
        let options = &self.options;
        let mut w = writer(spill);
        match part {
            // One system: every rule, unless `--only` narrows it.
            Part::Assessed(a) if self.scope == Scope::One => rows(&mut w, a, options, |f| {
                options
                    .only
                    .is_none_or(|only| only.keeps(f.outcome, waived_from(f)))
            })?,
            // Many: gaps, open questions and waived findings (`--only` narrows them to gaps
            // or questions); with `--all`, every rule. Questions a source never asks are
            // rows only with `--all`: they would make an inventory's CSV too large to open.
            Part::Assessed(a) => rows(&mut w, a, options, |f| {
                options.show_all
                    || options
                        .only
                        .unwrap_or_default()
                        .keeps(f.outcome, waived_from(f))
            })?,
            Part::Failed(e) => error_row(&mut w, e, &self.as_of)?,
        }
        w.flush()?;
        Ok(())
    }

    fn finish(&mut self, _: Whole<'_>, spill: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        out.write_all(BOM.as_bytes())?;
        let mut w = writer(&mut *out);
        header(&mut w)?;
        w.flush()?;
        drop(w);
        std::io::copy(spill, out)?;
        Ok(())
    }
}

/// The outcome a waived finding had, as `--only` reads it.
fn waived_from(f: &Finding) -> Option<&str> {
    f.waiver.as_ref().map(|w| w.waived_outcome.as_str())
}

/// A CSV writer in the report's dialect (CRLF line ends, RFC 4180 quoting) that writes
/// rows only: the header is [`header`]'s job, once per file.
pub(crate) fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .has_headers(false)
        .from_writer(out)
}

/// The header line.
pub(crate) fn header<W: Write>(w: &mut csv::Writer<W>) -> Result<()> {
    w.write_record(COLUMNS)?;
    Ok(())
}

/// One row per finding that `keep` accepts.
pub(crate) fn rows<W: Write>(
    w: &mut csv::Writer<W>,
    a: &Assessment,
    options: &RenderOptions<'_>,
    keep: impl Fn(&Finding) -> bool,
) -> Result<()> {
    let system = SystemCells::new(a, options);
    for f in a.findings.iter().filter(|f| keep(f)) {
        w.serialize(row(a, f, &system))?;
    }
    Ok(())
}

/// The row of a descriptor that could not be assessed (in portfolio reports): outcome
/// `error`, the problem as the finding.
pub(crate) fn error_row<W: Write>(
    w: &mut csv::Writer<W>,
    e: &crate::portfolio::SystemError,
    as_of: &str,
) -> Result<()> {
    let row = Row {
        rule_id: String::new(),
        severity: "",
        outcome: "error",
        failing: "yes",
        theme: String::new(),
        title: "The descriptor could not be assessed".to_string(),
        finding: cell(&e.to_string()),
        question: String::new(),
        remediation: cell(&e.help),
        target_date: "",
        descriptor_lines: if e.line > 0 {
            e.line.to_string()
        } else {
            String::new()
        },
        fields: String::new(),
        support: "",
        evidence: String::new(),
        sources: String::new(),
        crosswalk: String::new(),
        waiver: String::new(),
        waiver_expired_on: String::new(),
        register_wording: String::new(),
        register_record: "",
        register_url: "",
        system: "",
        deployer: "",
        descriptor_file: &cell(&e.file),
        descriptor_sha256: "",
        as_of,
    };
    w.serialize(row)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_every_field_of_a_row() {
        let e = crate::portfolio::SystemError {
            file: String::new(),
            line: 0,
            column: 0,
            message: String::new(),
            help: String::new(),
        };
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let mut ours = writer(Vec::new());
        header(&mut ours).unwrap();
        let ours = ours.into_inner().unwrap();
        // The csv crate's own header, from the field names of a serialised row.
        error_row(&mut w, &e, "").unwrap();
        let theirs = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let theirs = theirs.lines().next().unwrap();
        assert_eq!(String::from_utf8(ours).unwrap().trim_end(), theirs);
    }
}
