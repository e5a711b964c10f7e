//! A GitLab Code Quality report: a JSON array of issues, one per gap and open question,
//! each with a fingerprint that stays the same from run to run (the SHA-256 of the
//! descriptor's path and the rule id), so that GitLab can tell new findings from fixed
//! ones in a merge request.
//!
//! One system's report and a portfolio's are the same array: each system's issues in file
//! order, and a descriptor that could not be assessed as one `blocker` issue.

use std::io::Write;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::error::Result;
use super::github::{annotated, first_line, message};
use super::labels::clean;
use super::spill::{Spilled, spill_line};
use crate::assessment::Assessment;
use crate::portfolio::SystemError;
use crate::rules::Severity;

/// One Code Quality issue.
#[derive(Serialize)]
pub(crate) struct Issue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

/// GitLab's severity for ours.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Blocker => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

/// The SHA-256 of the descriptor's path and the check, as hex.
fn fingerprint(path: &str, check: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(path.as_bytes());
    digest.update([0]);
    digest.update(check.as_bytes());
    crate::document::hex(&digest.finalize())
}

fn issue(path: &str, check: &str, description: String, severity: &'static str, line: u32) -> Issue {
    Issue {
        description,
        check_name: clean(check),
        fingerprint: fingerprint(path, check),
        severity,
        location: Location {
            path: clean(path),
            lines: Lines { begin: line.max(1) },
        },
    }
}

/// The issues of one system.
pub(crate) fn issues(a: &Assessment) -> impl Iterator<Item = Issue> + '_ {
    a.findings.iter().filter(|f| annotated(f)).map(|f| {
        issue(
            &a.descriptor.file,
            &f.rule_id,
            clean(&format!("{}: {}", f.title, message(f))),
            severity(f.severity),
            first_line(f).map_or(1, |(line, _)| line),
        )
    })
}

/// The issue of a descriptor that could not be assessed.
pub(crate) fn error(e: &SystemError) -> Issue {
    issue(
        &e.file,
        "descriptor",
        clean(&format!(
            "the descriptor could not be assessed: {} (help: {})",
            e.message, e.help
        )),
        "blocker",
        e.line,
    )
}

/// Writes one system's issues, one compact line each, for [`document`].
pub(crate) fn system(a: &Assessment, out: &mut dyn Write) -> Result<()> {
    for i in issues(a) {
        spill_line(out, &i)?;
    }
    Ok(())
}

/// Writes the issue of a descriptor that could not be assessed, for [`document`].
pub(crate) fn error_part(e: &SystemError, out: &mut dyn Write) -> Result<()> {
    spill_line(out, &error(e))
}

/// Writes the report: the issues written one per line by [`system`], as one array.
pub(crate) fn document(spill: &mut dyn std::io::BufRead, out: &mut dyn Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Spilled::new(spill))?;
    out.write_all(b"\n")?;
    Ok(())
}
