//! Views of an [`Assessment`]: one file per output format, none of which re-evaluates.

mod json;
mod table;

use serde::Serialize;

use crate::assessment::Assessment;

pub use table::sanitize_terminal;

/// Output formats of `assess`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// Verdict and findings table for the terminal.
    Table,
    /// The assessment as JSON.
    Json,
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
}

/// A format's renderer.
pub trait Renderer {
    /// Renders the assessment as the complete text of the report.
    fn render(
        &self,
        assessment: &Assessment,
        options: &RenderOptions<'_>,
    ) -> anyhow::Result<String>;
}

/// The renderer for a format.
pub fn renderer(format: ReportFormat) -> &'static dyn Renderer {
    match format {
        ReportFormat::Table => &table::Table,
        ReportFormat::Json => &json::Json,
    }
}
