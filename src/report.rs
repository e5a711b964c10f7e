//! Views of an [`Assessment`]: one file per output format, none of which re-evaluates.
//!
//! The human formats (HTML, Markdown) render minijinja templates from `templates/` over
//! one shared context ([`view`]); the machine formats build typed values (serde structs,
//! the `csv` and `quick-junit` crates) and never concatenate JSON or XML by hand.

pub mod catalog;
mod csv;
pub mod error;
mod github;
mod gitlab;
mod html;
mod json;
mod junit;
pub mod labels;
mod markdown;
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

/// A format's renderer.
pub trait Renderer {
    /// Writes the complete report of the assessment to `out`.
    fn write(
        &self,
        assessment: &Assessment,
        options: &RenderOptions<'_>,
        out: &mut dyn std::io::Write,
    ) -> error::Result<()>;

    /// The complete text of the report, for a caller that must have it all before
    /// writing anything (so that a failure leaves no file behind).
    fn render(
        &self,
        assessment: &Assessment,
        options: &RenderOptions<'_>,
    ) -> error::Result<String> {
        let mut out = Vec::new();
        self.write(assessment, options, &mut out)?;
        String::from_utf8(out).map_err(|_| RenderError::NotUtf8)
    }
}

/// The renderer for a format.
pub fn renderer(format: ReportFormat) -> &'static dyn Renderer {
    match format {
        ReportFormat::Table => &table::Table,
        ReportFormat::Json => &json::Json,
        ReportFormat::Markdown => &markdown::Markdown,
        ReportFormat::Html => &html::Html,
        ReportFormat::Csv => &csv::Csv,
        ReportFormat::Sarif => &sarif::Sarif,
        ReportFormat::Junit => &junit::Junit,
        ReportFormat::Oscal => &oscal::Oscal,
        ReportFormat::Github => &github::Github,
        ReportFormat::Gitlab => &gitlab::Gitlab,
    }
}
