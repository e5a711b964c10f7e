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

use std::fmt;
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::assessment::Assessment;
use crate::rules::Severity;

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

/// Days from the as-of date to the target date of a remediation, by severity.
///
/// The built-in days are data, in `profiles/defaults.yaml` (blocker 0, high 30, medium 90,
/// low 180, info 365): they follow how the sources rank the findings, a red line resolved
/// before any decision to buy or deploy, a missing core safeguard within a month, the rest
/// within a quarter, half a year or a year. A profile's `deadlines:`, then
/// `rightscheck.toml`, then `--deadlines` change them, each for the severities it names
/// ([`DeadlineChanges`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// Red lines.
    pub blocker: u32,
    /// High severity.
    pub high: u32,
    /// Medium severity.
    pub medium: u32,
    /// Low severity.
    pub low: u32,
    /// For information.
    pub info: u32,
}

impl Default for Deadlines {
    /// The built-in deadlines, as [`crate::profile::builtin_deadlines`] reads them.
    #[expect(
        clippy::expect_used,
        reason = "the embedded defaults never change after the build: the unit tests read them, and every command reads them through `builtin_deadlines`, reporting a broken file as an error, before any report asks for this default"
    )]
    fn default() -> Self {
        crate::profile::builtin_deadlines().expect("profiles/defaults.yaml is read by the tests")
    }
}

impl Deadlines {
    /// Days allowed for a finding of this severity.
    pub fn days(&self, severity: Severity) -> u32 {
        match severity {
            Severity::Blocker => self.blocker,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }

    /// These deadlines with the days `changes` names put in place.
    #[must_use]
    pub fn with(self, changes: &DeadlineChanges) -> Deadlines {
        let day = |severity| changes.days(severity).unwrap_or(self.days(severity));
        Deadlines {
            blocker: day(Severity::Blocker),
            high: day(Severity::High),
            medium: day(Severity::Medium),
            low: day(Severity::Low),
            info: day(Severity::Info),
        }
    }

    /// The target date (YYYY-MM-DD) for a finding of this severity, counted from `as_of`
    /// (itself YYYY-MM-DD). `None` when `as_of` is not a date or the sum overflows.
    pub fn target_date(&self, as_of: &str, severity: Severity) -> Option<String> {
        NaiveDate::parse_from_str(as_of, "%Y-%m-%d")
            .ok()?
            .checked_add_days(Days::new(u64::from(self.days(severity))))
            .map(|d| d.format("%Y-%m-%d").to_string())
    }
}

impl fmt::Display for Deadlines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "blocker={},high={},medium={},low={},info={}",
            self.blocker, self.high, self.medium, self.low, self.info
        )
    }
}

impl FromStr for Deadlines {
    type Err = String;

    /// Parses `blocker=0,high=30,...`; severities not named keep their built-in days.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Deadlines::default().with(&s.parse()?))
    }
}

/// Days for some severities, over the deadlines they change: a profile's `deadlines:`,
/// the `deadlines` of `rightscheck.toml` or `--deadlines`. A severity not named keeps the
/// days it had.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineChanges {
    /// Red lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocker: Option<u32>,
    /// High severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<u32>,
    /// Medium severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<u32>,
    /// Low severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<u32>,
    /// For information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<u32>,
}

impl DeadlineChanges {
    /// The most days a deadline can be: a hundred years.
    pub const MAX_DAYS: u32 = 36_500;

    /// The days named for this severity.
    pub fn days(&self, severity: Severity) -> Option<u32> {
        let mut copy = *self;
        *copy.slot(severity)
    }

    fn slot(&mut self, severity: Severity) -> &mut Option<u32> {
        match severity {
            Severity::Blocker => &mut self.blocker,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        }
    }

    /// Names the days for a severity.
    pub fn set(&mut self, severity: Severity, days: u32) {
        *self.slot(severity) = Some(days);
    }

    /// The deadlines, when every severity is named; else the first severity not named.
    pub fn complete(&self) -> Result<Deadlines, Severity> {
        let day = |severity| self.days(severity).ok_or(severity);
        Ok(Deadlines {
            blocker: day(Severity::Blocker)?,
            high: day(Severity::High)?,
            medium: day(Severity::Medium)?,
            low: day(Severity::Low)?,
            info: day(Severity::Info)?,
        })
    }

    /// Whether no severity is named.
    pub fn is_empty(&self) -> bool {
        Severity::ALL.iter().all(|s| self.days(*s).is_none())
    }

    /// These changes, then `later`'s over them: a severity `later` names takes its days.
    #[must_use]
    pub fn then(mut self, later: &DeadlineChanges) -> DeadlineChanges {
        for severity in Severity::ALL {
            if let Some(days) = later.days(severity) {
                self.set(severity, days);
            }
        }
        self
    }
}

impl FromStr for DeadlineChanges {
    type Err = String;

    /// Parses `high=30,low=365`: `SEVERITY=DAYS` pairs, separated by commas.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut out = DeadlineChanges::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((name, days)) = part.split_once('=') else {
                return Err(format!("`{part}` is not SEVERITY=DAYS, e.g. `high=30`"));
            };
            let days: u32 = days
                .trim()
                .parse()
                .ok()
                .filter(|d| *d <= Self::MAX_DAYS)
                .ok_or_else(|| {
                    format!(
                        "`{}` is not a number of days from 0 to {}",
                        days.trim(),
                        Self::MAX_DAYS
                    )
                })?;
            let name = name.trim().to_ascii_lowercase();
            let Some(severity) = Severity::ALL.into_iter().find(|s| s.key() == name) else {
                return Err(format!(
                    "`{name}` is not a severity; use blocker, high, medium, low or info"
                ));
            };
            out.set(severity, days);
        }
        Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_parse_and_keep_defaults() {
        let d: Deadlines = "high=14, low=365".parse().unwrap();
        assert_eq!(d.high, 14);
        assert_eq!(d.low, 365);
        assert_eq!(d.blocker, 0);
        assert_eq!(d.medium, 90);
        assert_eq!(d.to_string().parse::<Deadlines>().unwrap(), d);
        assert!("urgent=3".parse::<Deadlines>().is_err());
        assert!("high=soon".parse::<Deadlines>().is_err());
        assert!("high".parse::<Deadlines>().is_err());
        assert!("high=99999999".parse::<Deadlines>().is_err());
    }

    #[test]
    fn target_dates_count_from_the_as_of_date() {
        let d = Deadlines::default();
        assert_eq!(
            d.target_date("2026-06-30", Severity::High).as_deref(),
            Some("2026-07-30")
        );
        assert_eq!(
            d.target_date("2026-06-30", Severity::Blocker).as_deref(),
            Some("2026-06-30")
        );
        assert_eq!(d.target_date("not a date", Severity::Low), None);
    }
}
