//! Portfolio reports: one report over many assessed systems, in every format.
//!
//! A [`PortfolioWriter`] sees each system's result once, in file order, as the run goes,
//! and then writes the whole report. The summary formats (table, JSON, Markdown, HTML)
//! render the compact [`Portfolio`] at the end. The formats that list every finding (CSV,
//! SARIF, `JUnit`, OSCAL) write each system's part to a spill file as it arrives, using the
//! single-system renderer for it, and copy it into place at the end: memory does not grow
//! with the number of findings.

mod annotations;
mod csv;
mod junit;
mod oscal;
pub mod questions;
mod sarif;
mod table;
pub mod view;

use std::io::{BufRead, Write};

use super::error::{RenderError, Result};
use super::templating::{self, Flavor};
use super::{RenderOptions, ReportFormat};
use crate::portfolio::{Portfolio, SystemResult};
use view::PortfolioView;

/// The built-in HTML portfolio template.
pub const HTML_TEMPLATE: &str = crate::data::get("templates/portfolio.html.j2");
/// The built-in Markdown portfolio template.
pub const MARKDOWN_TEMPLATE: &str = crate::data::get("templates/portfolio.md.j2");

/// A portfolio report being written.
pub trait PortfolioWriter {
    /// Whether the report lists every finding, and so needs each system's full
    /// assessment (otherwise the compact [`crate::portfolio::Brief`] is enough).
    fn findings(&self) -> bool {
        false
    }

    /// Takes one system's result, in file order; may write its part of the report to
    /// `spill`.
    fn system(
        &mut self,
        result: &SystemResult,
        options: &RenderOptions<'_>,
        spill: &mut dyn Write,
    ) -> Result<()> {
        let _ = (result, options, spill);
        Ok(())
    }

    /// Writes the complete report to `out`; `spill` reads back what [`Self::system`] wrote.
    fn finish(
        &mut self,
        portfolio: &Portfolio,
        options: &RenderOptions<'_>,
        spill: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<()>;
}

/// The portfolio writer for a format; `as_of` is the date of the assessment.
pub fn writer(format: ReportFormat, as_of: &str) -> Box<dyn PortfolioWriter> {
    match format {
        ReportFormat::Table => Box::new(table::Table),
        ReportFormat::Json => Box::new(Json),
        ReportFormat::Markdown => Box::new(Human(Flavor::Markdown)),
        ReportFormat::Html => Box::new(Human(Flavor::Html)),
        ReportFormat::Csv => Box::new(csv::Csv {
            as_of: as_of.to_string(),
        }),
        ReportFormat::Sarif => Box::new(sarif::Sarif::default()),
        ReportFormat::Junit => Box::new(junit::Junit::default()),
        ReportFormat::Oscal => Box::new(oscal::Oscal::default()),
        ReportFormat::Github => Box::new(annotations::GITHUB),
        ReportFormat::Gitlab => Box::new(annotations::GITLAB),
    }
}

/// The full assessment a findings format needs, or nothing for a descriptor that could
/// not be assessed.
fn full(result: &SystemResult) -> Result<Option<&crate::assessment::Assessment>> {
    match result {
        SystemResult::Assessed(_, Some(a)) => Ok(Some(a)),
        SystemResult::Assessed(_, None) => Err(RenderError::NotKept),
        SystemResult::Failed(_) => Ok(None),
    }
}

/// The portfolio as pretty-printed JSON (schema: `schemas/portfolio.schema.json`).
struct Json;

impl PortfolioWriter for Json {
    fn finish(
        &mut self,
        portfolio: &Portfolio,
        _: &RenderOptions<'_>,
        _: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<()> {
        serde_json::to_writer_pretty(&mut *out, &view::JsonPortfolio::new(portfolio))?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

/// The Markdown and HTML portfolio reports, from templates over [`PortfolioView`].
struct Human(Flavor);

impl PortfolioWriter for Human {
    fn finish(
        &mut self,
        portfolio: &Portfolio,
        options: &RenderOptions<'_>,
        _: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<()> {
        let view = PortfolioView::new(portfolio, options);
        let (name, builtin) = match self.0 {
            Flavor::Html => ("portfolio.html.j2", HTML_TEMPLATE),
            Flavor::Markdown => ("portfolio.md.j2", MARKDOWN_TEMPLATE),
        };
        let systems = usize::try_from(portfolio.summary.descriptors).unwrap_or(usize::MAX);
        templating::render_to(self.0, name, builtin, options.template, &view, systems, out)?;
        Ok(())
    }
}

/// A JSON array whose items were written to a spill file, one compact JSON value per line,
/// serialised straight from the file so that the array is never held in memory.
pub(crate) struct Spilled<'a>(std::cell::RefCell<&'a mut dyn BufRead>);

impl<'a> Spilled<'a> {
    pub(crate) fn new(source: &'a mut dyn BufRead) -> Self {
        Spilled(std::cell::RefCell::new(source))
    }
}

impl serde::Serialize for Spilled<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq as _};
        let mut source = self.0.borrow_mut();
        let mut seq = serializer.serialize_seq(None)?;
        let mut line = String::new();
        loop {
            line.clear();
            let read = source.read_line(&mut line).map_err(S::Error::custom)?;
            if read == 0 {
                break;
            }
            let item = line.trim_end_matches('\n');
            if item.is_empty() {
                continue;
            }
            let raw: Box<serde_json::value::RawValue> =
                serde_json::from_str(item).map_err(S::Error::custom)?;
            seq.serialize_element(&raw)?;
        }
        seq.end()
    }
}

/// A second spill file, for formats that stream two lists (artifacts and results,
/// results and back-matter resources); created on first use.
#[derive(Default)]
pub(crate) struct SideSpill(Option<std::fs::File>);

impl SideSpill {
    /// Appends one value as a line of compact JSON.
    pub(crate) fn push(&mut self, value: &impl serde::Serialize) -> Result<()> {
        let file = match &mut self.0 {
            Some(f) => f,
            slot @ None => slot.insert(tempfile::tempfile()?),
        };
        spill_line(file, value)
    }

    /// Reads back what was pushed, from the start.
    pub(crate) fn reader(&mut self) -> Result<Box<dyn BufRead>> {
        use std::io::Seek as _;
        Ok(match self.0.take() {
            Some(mut f) => {
                f.rewind()?;
                Box::new(std::io::BufReader::new(f))
            }
            None => Box::new(std::io::empty()),
        })
    }
}

/// Writes one value as a line of compact JSON, for [`Spilled`].
pub(crate) fn spill_line(spill: &mut dyn Write, value: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer(&mut *spill, value)?;
    spill.write_all(b"\n")?;
    Ok(())
}
