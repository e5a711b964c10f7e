//! `rightscheck import FILE --out DIR`: a public register's records as descriptors.

use std::path::PathBuf;

use super::{Context, ExitStatus, Outcome};
use crate::import::{self, Choice};
use crate::output::print;
use crate::report::sanitize_terminal;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The register's export, as published (CSV or JSON)
    file: PathBuf,
    /// Folder to write the descriptors in (created if missing)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Read the file with this mapping file (for a register rightscheck does not ship)
    #[arg(long, value_name = "FILE", conflicts_with = "register")]
    mapping: Option<PathBuf>,
    /// Read the file with this built-in mapping instead of recognising it
    #[arg(long, value_name = "ID")]
    register: Option<String>,
    /// Replace descriptors that already exist
    #[arg(long)]
    force: bool,
}

pub(super) fn run(args: &Args, ctx: &Context) -> Outcome {
    let choice = match (&args.mapping, &args.register) {
        (Some(path), _) => Choice::Mapping(path),
        (None, Some(id)) => Choice::Register(id),
        (None, None) => Choice::Detect,
    };
    let imported = import::read(&args.file, choice)?;
    ctx.info(&format!("register: {}", imported.mapping.title));
    let imported_on = crate::clock::today()?.format("%Y-%m-%d").to_string();
    let notes = import::listing::unknown_notes(&imported);
    let mut summary = import::write_all(
        imported.read.records,
        &args.out,
        args.force,
        Some(&imported_on),
        Some(&args.file),
    )?;
    summary.template_rows = imported.read.template_rows;
    for skip in summary.malformed.iter().chain(&summary.existing) {
        eprintln!(
            "skipped {}: {}",
            sanitize_terminal(&skip.record),
            sanitize_terminal(&skip.reason)
        );
    }
    for note in notes {
        ctx.note(&note);
    }
    print(&format!(
        "{}: {summary}\n",
        sanitize_terminal(&imported.mapping.title)
    ))?;
    Ok(ExitStatus::findings_if(summary.skipped() > 0))
}
