//! The gap report as one self-contained HTML file, rendered from `templates/report.html.j2`
//! (or `--template`) with HTML auto-escaping always on.
//!
//! The page loads nothing: styles and the chart are inline, there is no script, and a
//! Content-Security-Policy forbids scripts and every request, so that even a template
//! mistake could not make a descriptor string run or call out.

use super::error::Result;
use super::templating::{self, Flavor};
use super::view::ReportView;
use super::{RenderOptions, Renderer};
use crate::assessment::Assessment;

/// The built-in template.
pub const TEMPLATE: &str = include_str!("../../templates/report.html.j2");

/// The HTML report.
pub struct Html;

impl Renderer for Html {
    fn write(
        &self,
        a: &Assessment,
        options: &RenderOptions<'_>,
        out: &mut dyn std::io::Write,
    ) -> Result<()> {
        let view = ReportView::new(a, options)?;
        let text = templating::render(
            Flavor::Html,
            "report.html.j2",
            TEMPLATE,
            options.template,
            &view,
            1,
        )?;
        out.write_all(text.as_bytes())?;
        Ok(())
    }
}
