//! GitHub Actions workflow commands, so a workflow run annotates the descriptor's lines:
//! `::error file=F,line=L,col=C,title=RULE::message` for each gap and open question at or
//! above the failure threshold (`--fail-on`), `::warning` for those below it. Waived
//! findings, passes and rules that do not apply are not annotated.
//!
//! The same lines serve one system and a portfolio (each system's lines in file order, a
//! descriptor that could not be assessed as one `::error`).

use std::io::Write;

use super::error::Result;
use super::labels::{clean, github_data, github_property};
use crate::assessment::{Assessment, Finding, Outcome};
use crate::portfolio::SystemError;

/// Whether a finding needs action: a gap or an open question, not waived.
pub(crate) fn annotated(f: &Finding) -> bool {
    matches!(
        f.outcome,
        Outcome::Gap | Outcome::Unknown | Outcome::NotAsked
    )
}

/// The first descriptor line (and its column) a finding points at, if any.
pub(crate) fn first_line(f: &Finding) -> Option<(u32, u32)> {
    f.observations
        .iter()
        .filter(|o| o.line > 0)
        .map(|o| (o.line, o.column.max(1)))
        .min()
}

/// What the annotation says: the finding, the question when it is open, what to do.
pub(crate) fn message(f: &Finding) -> String {
    let mut text = format!(
        "{}, {}: {}",
        f.severity.label(),
        f.outcome.label().to_lowercase(),
        f.message
    );
    if let Some(q) = &f.question {
        text.push_str("\nQuestion for the vendor: ");
        text.push_str(q);
    }
    text.push_str("\nWhat to do: ");
    text.push_str(&f.remediation);
    clean(&text)
}

/// One workflow command.
fn command(
    out: &mut dyn Write,
    level: &str,
    file: &str,
    at: Option<(u32, u32)>,
    title: &str,
    message: &str,
) -> Result<()> {
    write!(out, "::{level} file={}", github_property(&clean(file)))?;
    if let Some((line, col)) = at {
        write!(out, ",line={line},col={col}")?;
    }
    writeln!(
        out,
        ",title={}::{}",
        github_property(&clean(title)),
        github_data(message)
    )?;
    Ok(())
}

/// The annotations of one system.
pub(crate) fn system(a: &Assessment, out: &mut dyn Write) -> Result<()> {
    for f in a.findings.iter().filter(|f| annotated(f)) {
        let level = if f.failing { "error" } else { "warning" };
        command(
            out,
            level,
            &a.descriptor.file,
            first_line(f),
            &format!("{}: {}", f.rule_id, f.title),
            &message(f),
        )?;
    }
    Ok(())
}

/// The annotation of a descriptor that could not be assessed.
pub(crate) fn error(e: &SystemError, out: &mut dyn Write) -> Result<()> {
    let at = (e.line > 0).then_some((e.line, e.column.max(1)));
    command(
        out,
        "error",
        &e.file,
        at,
        "the descriptor could not be assessed",
        &clean(&format!("{}\nhelp: {}", e.message, e.help)),
    )
}
