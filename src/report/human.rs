//! The human reports, HTML and Markdown, rendered from minijinja templates in `templates/`
//! (or `--template`): one system's gap report over [`super::view::ReportView`], a
//! portfolio's over [`super::portfolio::view::PortfolioView`].
//!
//! HTML auto-escaping is always on. The HTML page loads nothing: styles and the chart are
//! inline, there is no script, and a Content-Security-Policy forbids scripts and every
//! request, so that even a template mistake could not make a descriptor string run or
//! call out.

use std::io::{BufRead, Write};

use super::error::Result;
use super::portfolio::view::{self, PortfolioView};
use super::spill::spill_line;
use super::templating::{self, Flavor};
use super::{RenderOptions, Report, Spill, Whole};
use crate::portfolio::Portfolio;

/// The built-in HTML template of one system's report.
pub const HTML_TEMPLATE: &str = crate::data::get("templates/report.html.j2");
/// The built-in Markdown template of one system's report.
pub const MARKDOWN_TEMPLATE: &str = crate::data::get("templates/report.md.j2");
/// The built-in HTML portfolio template.
pub const HTML_PORTFOLIO_TEMPLATE: &str = crate::data::get("templates/portfolio.html.j2");
/// The built-in Markdown portfolio template.
pub const MARKDOWN_PORTFOLIO_TEMPLATE: &str = crate::data::get("templates/portfolio.md.j2");

/// The HTML or Markdown report, looking as the options say.
pub struct Human<'a>(pub Flavor, pub RenderOptions<'a>);

impl Report for Human<'_> {
    fn finish(&mut self, whole: Whole<'_>, _: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        let options = &self.1;
        let portfolio = match whole {
            Whole::One(a) => {
                let (name, builtin) = match self.0 {
                    Flavor::Html => ("report.html.j2", HTML_TEMPLATE),
                    Flavor::Markdown => ("report.md.j2", MARKDOWN_TEMPLATE),
                };
                return templating::write_report(self.0, name, builtin, a, options, out);
            }
            Whole::Many(p) => p,
        };
        let view = PortfolioView::new(portfolio, options);
        let rows = SystemRows::new(portfolio)?;
        let context = minijinja::context! {
            systems => minijinja::Value::from_object(rows),
            ..minijinja::Value::from(minijinja::value::Serde(&view))
        };
        let (name, builtin) = match self.0 {
            Flavor::Html => ("portfolio.html.j2", HTML_PORTFOLIO_TEMPLATE),
            Flavor::Markdown => ("portfolio.md.j2", MARKDOWN_PORTFOLIO_TEMPLATE),
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
        )
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
