//! Views of an [`Assessment`]: one file per output format, none of which re-evaluates.
//!
//! The human formats (HTML, Markdown) render minijinja templates from `templates/` over
//! one shared context ([`view`]); the machine formats build typed values (serde structs,
//! the `csv` and `quick-junit` crates) and never concatenate JSON or XML by hand.

mod annotations;
pub mod catalog;
mod csv;
pub mod error;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
pub mod labels;
mod oscal;
pub mod portfolio;
mod sarif;
mod spill;
mod table;
mod templating;
pub mod terminal;
pub mod trace;
pub mod view;

use serde::Serialize;

use crate::assessment::Assessment;
use crate::portfolio::{Portfolio, SystemError, SystemResult};
use templating::Flavor;

pub use crate::deadlines::{DeadlineChanges, Deadlines};
pub use crate::text::{sanitize_line, sanitize_terminal};
pub use error::RenderError;
pub use labels::escape_markdown;
pub use templating::{
    MAX_TEMPLATE_OUTPUT_BYTES, TEMPLATE_FUEL, TEMPLATE_FUEL_PER_SYSTEM, fuel_for,
};

/// Output formats of `assess`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// Verdict and findings table for the terminal.
    Table,
    /// The assessment as JSON (schema: `schemas/assessment.schema.json`).
    Json,
    /// The gap report as Markdown, for wikis, merge requests and tickets.
    Markdown,
    /// The gap report as one self-contained HTML file, for reading and printing to PDF.
    Html,
    /// One row per finding, for spreadsheets.
    Csv,
    /// SARIF 2.1.0, so code hosts annotate the descriptor's lines.
    Sarif,
    /// JUnit XML, one test case per rule, for CI test reports.
    #[expect(clippy::doc_markdown, reason = "this comment is the `--help` text")]
    Junit,
    /// OSCAL 1.1 assessment results, for governance, risk and compliance tools.
    Oscal,
    /// GitHub Actions workflow commands: an error or warning annotation per finding.
    Github,
    /// A GitLab Code Quality report, for merge request widgets.
    Gitlab,
}

impl ReportFormat {
    /// Whether the format lists every finding of every system, so that a portfolio
    /// needs each system's full assessment and writes each system's part as it arrives;
    /// the other formats render the compact summary of many systems.
    pub fn has_parts(self) -> bool {
        !matches!(
            self,
            ReportFormat::Table | ReportFormat::Json | ReportFormat::Markdown | ReportFormat::Html
        )
    }

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Table => "table",
            ReportFormat::Json => "json",
            ReportFormat::Markdown => "markdown",
            ReportFormat::Html => "html",
            ReportFormat::Csv => "csv",
            ReportFormat::Sarif => "sarif",
            ReportFormat::Junit => "junit",
            ReportFormat::Oscal => "oscal",
            ReportFormat::Github => "github",
            ReportFormat::Gitlab => "gitlab",
        }
    }

    /// Whether the format is rendered from a template that `--template` can replace.
    pub fn uses_template(self) -> bool {
        matches!(self, ReportFormat::Markdown | ReportFormat::Html)
    }
}

/// Which findings the CSV lists (`--only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Only {
    /// Gaps the answers show, and waived gaps.
    Gaps,
    /// Open questions (blank answers), and waived questions.
    Questions,
    /// Gaps, open questions and waived findings: everything that needs action, without
    /// the questions a source never asks and without what passed or does not apply.
    #[default]
    All,
}

impl Only {
    /// Whether a finding of this outcome (for a waived one, the outcome it had) is listed.
    pub fn keeps(self, outcome: crate::assessment::Outcome, waived_from: Option<&str>) -> bool {
        use crate::assessment::Outcome;
        let was = match (outcome, waived_from) {
            (Outcome::Waived, Some("unknown")) => Outcome::Unknown,
            (Outcome::Waived, _) => Outcome::Gap,
            (o, _) => o,
        };
        match self {
            Only::Gaps => was == Outcome::Gap,
            Only::Questions => was == Outcome::Unknown,
            Only::All => matches!(was, Outcome::Gap | Outcome::Unknown),
        }
    }
}

/// Settings that affect how a report looks but never what it says.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions<'a> {
    /// Use ANSI colours.
    pub color: bool,
    /// Width to lay tables out in; `None` lets the renderer choose.
    pub width: Option<u16>,
    /// Also list passed and not-applicable rules.
    pub show_all: bool,
    /// Who made the assessment, for the record block of human reports.
    pub assessor: Option<&'a str>,
    /// A replacement template (its text) for the human formats.
    pub template: Option<&'a str>,
    /// Days to the target date of each remediation, by severity.
    pub deadlines: Deadlines,
    /// Which findings the CSV lists (`--only`); `None` when not given.
    pub only: Option<Only>,
    /// Arguments of the command that made the report beyond those the assessment records
    /// (`--format`, `--assessor`…), so that the command to reproduce it is complete.
    pub reproduce: &'a [String],
}

/// What a report is written over: one system, or a portfolio of many.
#[derive(Debug, Clone, Copy)]
pub enum Whole<'a> {
    /// One system's assessment.
    One(&'a Assessment),
    /// Many systems, summed up.
    Many(&'a Portfolio),
}

impl<'a> Whole<'a> {
    /// The one system of a report made for one system only.
    pub fn one(self) -> Result<&'a Assessment, RenderError> {
        match self {
            Whole::One(a) => Ok(a),
            Whole::Many(_) => Err(RenderError::Scope),
        }
    }

    /// The portfolio of a report made for many systems only.
    pub fn many(self) -> Result<&'a Portfolio, RenderError> {
        match self {
            Whole::Many(p) => Ok(p),
            Whole::One(_) => Err(RenderError::Scope),
        }
    }
}

/// One system's share of a report, given to [`Report::part`] as the run goes.
#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    /// A system assessed, with its full assessment.
    Assessed(&'a Assessment),
    /// A descriptor that could not be assessed.
    Failed(&'a SystemError),
}

impl<'a> Part<'a> {
    /// The part of a system's result, for a report made of parts; an error when the full
    /// assessment such a report needs was not kept.
    pub fn of(result: &'a SystemResult) -> Result<Part<'a>, RenderError> {
        match result {
            SystemResult::Assessed(_, Some(a)) => Ok(Part::Assessed(a)),
            SystemResult::Assessed(_, None) => Err(RenderError::NotKept),
            SystemResult::Failed(e) => Ok(Part::Failed(e)),
        }
    }
}

/// The spill file a report's parts were written to, read back from the start.
pub type Spill<'a> = &'a mut dyn std::io::BufRead;

/// A report in one format, assembled from the part of each system (in file order, as the
/// run goes) and then written whole. One system's report is the same assembler over that
/// one system: [`write`]. The formats that list every finding
/// ([`ReportFormat::has_parts`]) write each part to the spill file; the others render
/// the whole at the end.
pub trait Report {
    /// Which findings of each system the report's parts list, when not every one: those
    /// `Only` keeps. Only these are written up.
    fn lists(&self) -> Option<Only> {
        None
    }

    /// Takes one system's part, and may write it to `spill`.
    fn part(&mut self, part: Part<'_>, spill: &mut dyn std::io::Write) -> error::Result<()> {
        let _ = (part, spill);
        Ok(())
    }

    /// Whether the report is a fixed [`head`](Report::head) and then its parts, as they
    /// are written, with nothing that depends on the whole: a portfolio run then writes
    /// the parts straight to the output, in place of keeping them in a spill file and
    /// copying them at the end. [`finish`](Report::finish) is then not called.
    fn streams(&self) -> bool {
        false
    }

    /// What a report that [`streams`](Report::streams) writes before its first part.
    fn head(&mut self, out: &mut dyn std::io::Write) -> error::Result<()> {
        let _ = out;
        Ok(())
    }

    /// Writes the complete report over `whole` to `out`, with the parts read back.
    fn finish(
        &mut self,
        whole: Whole<'_>,
        spill: Spill<'_>,
        out: &mut dyn std::io::Write,
    ) -> error::Result<()>;
}

/// The report of a format, over one system or many, looking as `options` say; `as_of` is
/// the date of the assessment.
pub fn report<'a>(
    format: ReportFormat,
    scope: Scope,
    options: &RenderOptions<'a>,
    as_of: &str,
) -> Box<dyn Report + 'a> {
    let options = *options;
    match format {
        ReportFormat::Table => Box::new(table::Table(options)),
        ReportFormat::Json => Box::new(json::Json),
        ReportFormat::Markdown => Box::new(human::Human(Flavor::Markdown, options)),
        ReportFormat::Html => Box::new(human::Human(Flavor::Html, options)),
        ReportFormat::Csv => Box::new(csv::Csv {
            scope,
            options,
            as_of: as_of.to_string(),
            cells: csv::Cells::default(),
        }),
        // Their documents of one system and of many differ in shape: one type each.
        ReportFormat::Sarif if scope == Scope::One => Box::new(sarif::Sarif(options)),
        ReportFormat::Sarif => Box::new(portfolio::sarif::Sarif::new(options)),
        ReportFormat::Junit if scope == Scope::One => Box::new(junit::Junit(options)),
        ReportFormat::Junit => Box::new(portfolio::junit::Junit::new(options)),
        ReportFormat::Oscal if scope == Scope::One => Box::new(oscal::Oscal(options)),
        ReportFormat::Oscal => Box::new(portfolio::oscal::Oscal::new(options)),
        ReportFormat::Github => Box::new(annotations::GITHUB),
        ReportFormat::Gitlab => Box::new(annotations::GITLAB),
    }
}

/// Whether a report covers one system or many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One system's report.
    One,
    /// A portfolio's.
    Many,
}

/// Writes one system's complete report to `out`: the format's assembler over that system.
pub fn write(
    format: ReportFormat,
    a: &Assessment,
    options: &RenderOptions<'_>,
    out: &mut dyn std::io::Write,
) -> error::Result<()> {
    let mut report = report(format, Scope::One, options, &a.as_of);
    let mut spill = Vec::new();
    report.part(Part::Assessed(a), &mut spill)?;
    report.finish(Whole::One(a), &mut spill.as_slice(), out)
}

/// The complete text of one system's report, for a caller that must have it all before
/// writing anything (so that a failure leaves no file behind).
pub fn render(
    format: ReportFormat,
    a: &Assessment,
    options: &RenderOptions<'_>,
) -> error::Result<String> {
    // The largest report of one system is written straight into the text it becomes.
    let out = if format == ReportFormat::Json {
        json::bytes(a)?
    } else {
        let mut out = Vec::new();
        write(format, a, options, &mut out)?;
        out
    };
    String::from_utf8(out).map_err(|_| RenderError::NotUtf8)
}
