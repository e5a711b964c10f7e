//! The gap report as Markdown, rendered from `templates/report.md.j2` (or `--template`).

use std::io::Write;

use super::error::Result;
use super::templating::{self, Flavor};
use super::{RenderOptions, Renderer};
use crate::assessment::Assessment;

/// The built-in template.
pub const TEMPLATE: &str = include_str!("../../templates/report.md.j2");

/// The Markdown report.
pub struct Markdown;

impl Renderer for Markdown {
    fn write(&self, a: &Assessment, opts: &RenderOptions<'_>, out: &mut dyn Write) -> Result<()> {
        templating::write_report(Flavor::Markdown, "report.md.j2", TEMPLATE, a, opts, out)
    }
}
