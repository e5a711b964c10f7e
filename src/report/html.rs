//! The gap report as one self-contained HTML file, rendered from `templates/report.html.j2`
//! (or `--template`) with HTML auto-escaping always on.
//!
//! The page loads nothing: styles and the chart are inline, there is no script, and a
//! Content-Security-Policy forbids scripts and every request, so that even a template
//! mistake could not make a descriptor string run or call out.

use std::io::Write;

use super::error::Result;
use super::templating::{self, Flavor};
use super::{RenderOptions, Renderer};
use crate::assessment::Assessment;

/// The built-in template.
pub const TEMPLATE: &str = include_str!("../../templates/report.html.j2");

/// The HTML report.
pub struct Html;

impl Renderer for Html {
    fn write(&self, a: &Assessment, opts: &RenderOptions<'_>, out: &mut dyn Write) -> Result<()> {
        templating::write_report(Flavor::Html, "report.html.j2", TEMPLATE, a, opts, out)
    }
}
