//! The gap report as Markdown, rendered from `templates/report.md.j2` (or `--template`).

use super::error::Result;
use super::templating::{self, Flavor};
use super::view::ReportView;
use super::{RenderOptions, Renderer};
use crate::assessment::Assessment;

/// The built-in template.
pub const TEMPLATE: &str = include_str!("../../templates/report.md.j2");

/// The Markdown report.
pub struct Markdown;

impl Renderer for Markdown {
    fn write(
        &self,
        a: &Assessment,
        options: &RenderOptions<'_>,
        out: &mut dyn std::io::Write,
    ) -> Result<()> {
        let view = ReportView::new(a, options)?;
        let text = templating::render(
            Flavor::Markdown,
            "report.md.j2",
            TEMPLATE,
            options.template,
            &view,
            1,
        )?;
        out.write_all(text.as_bytes())?;
        Ok(())
    }
}
