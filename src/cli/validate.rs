//! `rightscheck validate FILE|FOLDER…`: every mistake of each descriptor, with its line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Context, ExitStatus, ListFormat, ListOut, Outcome, print_error};
use crate::diagnostic::count;
use crate::input;
use crate::output::shown;
use crate::report::sanitize_terminal;
use crate::schema::{Issue, Schema};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Descriptor files (YAML or JSON), folders of them, or `-` for standard input
    #[arg(required = true, value_name = "FILE|FOLDER")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    out: ListOut,
}

#[derive(Serialize)]
struct ValidationReport<'a> {
    file: String,
    valid: bool,
    errors: &'a [Issue],
    /// Mistakes found past the first [`crate::schema::MAX_MISTAKES`], not listed.
    #[serde(skip_serializing_if = "is_zero")]
    more: usize,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes a reference"
)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The lines of a document's mistakes for the terminal: the first
/// [`crate::schema::MAX_MISTAKES`], then how many more there are.
pub(super) fn mistake_lines(issues: &[Issue], total: usize) -> String {
    let mut text = String::new();
    for issue in issues {
        text.push_str(&sanitize_terminal(&issue.to_string()));
        text.push('\n');
    }
    if total > issues.len() {
        let more = total - issues.len();
        let _ = writeln!(
            text,
            "… and {more} more {}, not listed: fix these first",
            if more == 1 { "mistake" } else { "mistakes" }
        );
    }
    text
}

/// The files named, with the descriptors inside each folder named; a folder that cannot be
/// listed is reported and left out, like a file that cannot be read.
fn descriptors(paths: &[PathBuf], ctx: &Context) -> (Vec<PathBuf>, bool) {
    let mut files = Vec::new();
    let mut unreadable = false;
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        match crate::portfolio::collect_inputs(std::slice::from_ref(path)) {
            Ok(found) => files.extend(found),
            Err(e) => {
                print_error(&e, ctx.color);
                unreadable = true;
            }
        }
    }
    (files, unreadable)
}

pub(super) fn run(args: &Args, ctx: &Context) -> Outcome {
    let schema = Schema::descriptor()?;
    let (files, mut unreadable) = descriptors(&args.files, ctx);
    let mut any_invalid = false;
    let mut reports = Vec::new();
    let mut text = String::new();
    for path in &files {
        ctx.info(&format!("reading {}", shown(path)));
        let doc = match input::read(path) {
            Ok(doc) => doc,
            Err(e) => {
                // One unreadable file is reported; the others are still checked.
                print_error(&e, ctx.color);
                unreadable = true;
                continue;
            }
        };
        let (issues, total) = schema.validate_counted(&doc)?;
        any_invalid |= !issues.is_empty();
        let file = input::name(path);
        let name = shown(Path::new(&file));
        if issues.is_empty() {
            let _ = writeln!(text, "{name}: valid");
        } else {
            text.push_str(&mistake_lines(&issues, total));
            let _ = writeln!(text, "{name}: {}", count(total, "mistake", "mistakes"));
        }
        reports.push((file, issues, total));
    }
    let output = args.out.output.output.as_deref();
    match args.out.format {
        // Mistakes are for the person fixing them, on standard error; a clean run is the
        // document.
        ListFormat::Table if any_invalid && output.is_none() => eprint!("{text}"),
        ListFormat::Table => ctx.emit(output, &text)?,
        ListFormat::Json => {
            let out: Vec<ValidationReport> = reports
                .iter()
                .map(|(file, issues, total)| ValidationReport {
                    file: file.clone(),
                    valid: issues.is_empty(),
                    errors: issues,
                    more: total - issues.len(),
                })
                .collect();
            ctx.emit(output, &(serde_json::to_string_pretty(&out)? + "\n"))?;
        }
    }
    Ok(if unreadable {
        ExitStatus::Error
    } else {
        ExitStatus::findings_if(any_invalid)
    })
}
