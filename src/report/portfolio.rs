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
use crate::portfolio::{Findings, Portfolio, SystemResult};
use view::PortfolioView;

pub(crate) use super::spill::{SideSpill, Spilled, spill_line};

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

    /// Which findings of each system the report lists, and so writes up: by default
    /// every finding when it lists findings ([`Self::findings`]).
    fn lists(&self, options: &RenderOptions<'_>) -> Findings {
        let _ = options;
        if self.findings() { Findings::All } else { Findings::None }
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
            cells: super::csv::Cells::default(),
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
        let rows = SystemRows::new(portfolio)?;
        let context = minijinja::context! {
            systems => minijinja::Value::from_object(rows),
            ..minijinja::Value::from(minijinja::value::Serde(&view))
        };
        let (name, builtin) = match self.0 {
            Flavor::Html => ("portfolio.html.j2", HTML_TEMPLATE),
            Flavor::Markdown => ("portfolio.md.j2", MARKDOWN_TEMPLATE),
        };
        let systems = usize::try_from(portfolio.summary.descriptors).unwrap_or(usize::MAX);
        templating::render_to(
            self.0,
            name,
            builtin,
            options.template,
            context,
            systems,
            out,
        )?;
        Ok(())
    }
}

/// The templates' `systems`: every system's row ([`view::SystemLine`]), worst first,
/// spilled to a temporary file as a line of JSON each and read back one row at a time
/// whenever a template goes through them, so that memory does not grow with the rows a
/// template is shown (a template may go through them more than once).
#[derive(Debug)]
struct SystemRows {
    file: tempfile::NamedTempFile,
    len: usize,
}

impl SystemRows {
    fn new(portfolio: &Portfolio) -> Result<SystemRows> {
        let mut file = tempfile::NamedTempFile::new()?;
        let mut len = 0;
        {
            let mut spill = std::io::BufWriter::new(file.as_file_mut());
            for line in view::system_lines(portfolio) {
                spill_line(&mut spill, &line)?;
                len += 1;
            }
            spill.flush()?;
        }
        Ok(SystemRows { file, len })
    }

    /// The rows from the first; a row that cannot be read back is an invalid value, which
    /// fails the render where the template uses it.
    fn rows(&self) -> Box<dyn Iterator<Item = minijinja::Value> + Send + Sync> {
        use minijinja::{Error, ErrorKind, Value};
        let unreadable = |e: &dyn std::fmt::Display| {
            Value::from(Error::new(
                ErrorKind::InvalidOperation,
                format!("cannot read back the systems' rows: {e}"),
            ))
        };
        match self.file.reopen() {
            Ok(f) => Box::new(
                std::io::BufReader::new(f)
                    .lines()
                    .map(move |line| match line {
                        Ok(line) => serde_json::from_str(&line).unwrap_or_else(|e| unreadable(&e)),
                        Err(e) => unreadable(&e),
                    }),
            ),
            Err(e) => Box::new(std::iter::once(unreadable(&e))),
        }
    }
}

impl minijinja::value::Object for SystemRows {
    fn repr(self: &std::sync::Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Seq
    }

    fn get_value(self: &std::sync::Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        self.rows().nth(key.as_usize()?)
    }

    fn enumerate(self: &std::sync::Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Iter(self.rows())
    }

    fn enumerator_len(self: &std::sync::Arc<Self>) -> Option<usize> {
        Some(self.len)
    }
}
