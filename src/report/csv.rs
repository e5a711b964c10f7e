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

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use serde::Serialize;

use super::error::Result;
use super::labels::csv_cell as cell;
use super::view::{evidence_of, lines_of, register_answers, support_of};
use super::{Deadlines, Only, Part, RenderOptions, Report, Scope, Spill, Whole};
use crate::assessment::{Assessment, Finding, Outcome};
use crate::rules::Severity;
use crate::vocabulary::Text;

/// The CSV report: one system's, or a portfolio's.
pub struct Csv<'a> {
    /// One system (every rule) or many (what needs action).
    pub scope: Scope,
    /// How the report looks.
    pub options: RenderOptions<'a>,
    /// The as-of date, for the rows of descriptors that could not be assessed.
    pub as_of: String,
    /// The cells many rows share (each rule's), made once for the whole report.
    pub(super) cells: Cells,
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
    rule_id: &'a str,
    severity: &'static str,
    outcome: &'static str,
    failing: &'static str,
    theme: &'a str,
    title: &'a str,
    finding: String,
    question: String,
    remediation: &'a str,
    target_date: &'a str,
    descriptor_lines: String,
    fields: String,
    support: &'static str,
    evidence: String,
    sources: &'a str,
    crosswalk: &'a str,
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

/// The cells that are the same on many rows, each made once: a rule's on every row of the
/// rule (one per system in a portfolio), and the target dates on every row of a date.
#[derive(Debug, Default)]
pub(crate) struct Cells {
    /// Per rule id: the rule's cells, and the texts they were made from.
    rules: HashMap<Text, RuleCells>,
    /// The target dates of the last as-of date and deadlines seen.
    dates: Option<TargetDates>,
}

/// The cells of a rule, made from the text every finding of the rule shares.
#[derive(Debug)]
struct RuleCells {
    /// The shared text the cells were made from: a finding whose text is not this very
    /// text (another catalog's rule of the same id) gets its cells made anew.
    made_from: RuleText,
    rule_id: String,
    theme: String,
    title: String,
    remediation: String,
    sources: String,
    crosswalk: String,
}

/// The text of a finding that comes from its rule, shared by every finding of the rule.
#[derive(Debug)]
struct RuleText {
    title: Text,
    theme: Text,
    remediation: Text,
    sources: Arc<[crate::rules::Source]>,
    crosswalk: Arc<[crate::rules::Crosswalk]>,
}

impl RuleText {
    fn of(f: &Finding) -> RuleText {
        RuleText {
            title: f.title.clone(),
            theme: f.theme.clone(),
            remediation: f.remediation.clone(),
            sources: f.sources.clone(),
            crosswalk: f.crosswalk.clone(),
        }
    }

    /// Whether a finding shares this very text (not merely equal text: the same memory).
    fn is_of(&self, f: &Finding) -> bool {
        self.title.is_same(&f.title)
            && self.theme.is_same(&f.theme)
            && self.remediation.is_same(&f.remediation)
            && Arc::ptr_eq(&self.sources, &f.sources)
            && Arc::ptr_eq(&self.crosswalk, &f.crosswalk)
    }
}

impl RuleCells {
    fn new(f: &Finding) -> RuleCells {
        RuleCells {
            made_from: RuleText::of(f),
            rule_id: cell(&f.rule_id),
            theme: cell(&f.theme),
            title: cell(&f.title),
            remediation: cell(&f.remediation),
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
        }
    }
}

/// The target date of a finding of each severity, on one as-of date.
#[derive(Debug)]
struct TargetDates {
    as_of: String,
    deadlines: Deadlines,
    dates: Vec<(Severity, String)>,
}

impl TargetDates {
    fn new(as_of: &str, deadlines: Deadlines) -> TargetDates {
        TargetDates {
            as_of: as_of.to_string(),
            deadlines,
            dates: Severity::ALL
                .into_iter()
                .map(|s| (s, deadlines.target_date(as_of, s).unwrap_or_default()))
                .collect(),
        }
    }

    fn of(&self, severity: Severity) -> &str {
        self.dates
            .iter()
            .find(|(s, _)| *s == severity)
            .map_or("", |(_, d)| d.as_str())
    }
}

impl Cells {
    /// The cells of a finding's rule, made at its first finding.
    fn rule_in<'c>(rules: &'c mut HashMap<Text, RuleCells>, f: &Finding) -> &'c RuleCells {
        let cells = rules
            .entry(f.rule_id.clone())
            .or_insert_with(|| RuleCells::new(f));
        if !cells.made_from.is_of(f) {
            *cells = RuleCells::new(f);
        }
        cells
    }

    /// The target dates of an as-of date, made once while the date stays the same.
    fn dates_in<'c>(
        dates: &'c mut Option<TargetDates>,
        as_of: &str,
        deadlines: Deadlines,
    ) -> &'c TargetDates {
        if dates
            .as_ref()
            .is_some_and(|d| d.as_of != as_of || d.deadlines != deadlines)
        {
            *dates = None;
        }
        dates.get_or_insert_with(|| TargetDates::new(as_of, deadlines))
    }
}

/// The cells that are the same on every row of a system, made once per system.
struct SystemCells<'c> {
    register_record: String,
    register_url: String,
    system: String,
    deployer: String,
    descriptor_file: String,
    /// The target date of a finding of each severity.
    target_dates: &'c TargetDates,
}

impl<'c> SystemCells<'c> {
    fn new(a: &Assessment, target_dates: &'c TargetDates) -> SystemCells<'c> {
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
            target_dates,
        }
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

fn row<'a>(
    a: &'a Assessment,
    f: &Finding,
    system: &'a SystemCells<'_>,
    rule: &'a RuleCells,
) -> Row<'a> {
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
        rule_id: &rule.rule_id,
        severity: f.severity.as_str(),
        outcome: f.outcome.as_str(),
        failing: if f.failing { "yes" } else { "no" },
        theme: &rule.theme,
        title: &rule.title,
        finding: cell(&f.message),
        question: cell(f.question.as_deref().unwrap_or_default()),
        remediation: if open { &rule.remediation } else { "" },
        target_date: if open {
            system.target_dates.of(f.severity)
        } else {
            ""
        },
        descriptor_lines: lines_of(&f.observations),
        fields: cell(&fields.join("; ")),
        support: support_of(f).key(),
        evidence: cell(&evidence.join("; ")),
        sources: &rule.sources,
        crosswalk: &rule.crosswalk,
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
    /// One system: every rule, unless `--only` narrows it. Many: gaps, open questions and
    /// waived findings (`--only` narrows them to gaps or questions); with `--all`, every
    /// rule. Questions a source never asks are rows only with `--all`: they would make an
    /// inventory's CSV too large to open.
    fn lists(&self) -> Option<Only> {
        match self.scope {
            Scope::Many if self.options.show_all => None,
            Scope::Many => Some(self.options.only.unwrap_or_default()),
            Scope::One => self.options.only,
        }
    }

    fn part(&mut self, part: Part<'_>, spill: &mut dyn Write) -> Result<()> {
        let mut w = writer(Unflushed(spill));
        match part {
            Part::Assessed(a) => {
                let only = self.lists();
                rows(&mut w, a, &self.options, &mut self.cells, |f| {
                    only.is_none_or(|only| only.keeps(f.outcome, waived_from(f)))
                })?;
            }
            Part::Failed(e) => error_row(&mut w, e, &self.as_of)?,
        }
        w.flush()?;
        Ok(())
    }

    /// The rows of each system follow the header as they come: a portfolio's CSV goes
    /// straight to its output.
    fn streams(&self) -> bool {
        true
    }

    fn head(&mut self, out: &mut dyn Write) -> Result<()> {
        out.write_all(BOM.as_bytes())?;
        let mut w = writer(&mut *out);
        header(&mut w)?;
        w.flush()?;
        Ok(())
    }

    fn finish(&mut self, _: Whole<'_>, spill: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        self.head(out)?;
        std::io::copy(spill, out)?;
        Ok(())
    }
}

/// A writer whose `flush` does nothing: the csv crate flushes the writer under it with
/// its own buffer, which for a part of a portfolio would be one system call per system;
/// whoever owns the writer flushes it once, at the end.
struct Unflushed<W>(W);

impl<W: Write> Write for Unflushed<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes)
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.0.write_all(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The outcome a waived finding had, as `--only` reads it.
fn waived_from(f: &Finding) -> Option<&str> {
    f.waiver.as_ref().map(|w| w.waived_outcome.as_str())
}

/// A CSV writer in the report's dialect (CRLF line ends, RFC 4180 quoting) that writes
/// rows only: the header is [`header`]'s job, once per file.
///
/// Its buffer is small: a portfolio makes one writer per system, over a buffered spill
/// file, and zeroing the crate's default 8 KiB each time cost more than the rows.
pub(crate) fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .has_headers(false)
        .buffer_capacity(512)
        .from_writer(out)
}

/// The header line.
pub(crate) fn header<W: Write>(w: &mut csv::Writer<W>) -> Result<()> {
    w.write_record(COLUMNS)?;
    Ok(())
}

/// One row per finding that `keep` accepts; `cells` keeps the cells rows share, for the
/// next system of a portfolio.
pub(crate) fn rows<W: Write>(
    w: &mut csv::Writer<W>,
    a: &Assessment,
    options: &RenderOptions<'_>,
    cells: &mut Cells,
    keep: impl Fn(&Finding) -> bool,
) -> Result<()> {
    let Cells { rules, dates } = cells;
    let dates = Cells::dates_in(dates, &a.as_of, options.deadlines);
    let system = SystemCells::new(a, dates);
    for f in a.findings.iter().filter(|f| keep(f)) {
        let rule = Cells::rule_in(rules, f);
        w.serialize(row(a, f, &system, rule))?;
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
        rule_id: "",
        severity: "",
        outcome: "error",
        failing: "yes",
        theme: "",
        title: "The descriptor could not be assessed",
        finding: cell(&e.to_string()),
        question: String::new(),
        remediation: &cell(&e.help),
        target_date: "",
        descriptor_lines: if e.line > 0 {
            e.line.to_string()
        } else {
            String::new()
        },
        fields: String::new(),
        support: "",
        evidence: String::new(),
        sources: "",
        crosswalk: "",
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
