//! `rightscheck diff OLD NEW`: what changed between two JSON assessments.

use std::path::PathBuf;

use super::{Context, CoverageFormat, CoverageOut, ExitStatus, Outcome};
use crate::diff::{self, DiffFormat};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The earlier assessment (`assess --format json`)
    old: PathBuf,
    /// The later assessment
    new: PathBuf,
    #[command(flatten)]
    out: CoverageOut,
}

pub(super) fn run(args: &Args, ctx: &Context) -> Outcome {
    ctx.info(&format!(
        "comparing {} with {}",
        crate::output::shown(&args.old),
        crate::output::shown(&args.new)
    ));
    let report = diff::diff_files(&args.old, &args.new)?;
    let format = match args.out.format {
        CoverageFormat::Table => DiffFormat::Table,
        CoverageFormat::Json => DiffFormat::Json,
        CoverageFormat::Markdown => DiffFormat::Markdown,
    };
    ctx.emit(
        args.out.output.output.as_deref(),
        &diff::render(&report, format)?,
    )?;
    Ok(ExitStatus::findings_if(report.regressed()))
}
