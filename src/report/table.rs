use std::fmt::Write as _;

use std::io::Write;

use comfy_table::{Cell, Color, Table as Grid};

use super::error::Result;
use super::labels::{count, factor_weight, outcome_cell, sanitize_terminal, severity_heading};
use super::terminal::paint;
use super::{RenderOptions, Report, Spill, Whole};
use crate::assessment::{Assessment, Finding, LevelAssessment, Outcome, Support, Verdict};
use crate::rules::Severity;

/// The terminal view: a summary line, the verdict, findings grouped by severity.
pub struct Table<'a>(pub RenderOptions<'a>);

fn severity_color(severity: Severity) -> Color {
    match severity {
        Severity::Blocker => Color::Red,
        Severity::High => Color::Magenta,
        Severity::Medium => Color::Yellow,
        Severity::Low => Color::Cyan,
        Severity::Info => Color::Grey,
    }
}

fn finding_text(a: &Assessment, f: &Finding) -> String {
    let mut text = sanitize_terminal(&f.title);
    if matches!(
        f.outcome,
        Outcome::Gap | Outcome::Unknown | Outcome::NotAsked | Outcome::NotApplicable
    ) {
        text.push('\n');
        text.push_str(&sanitize_terminal(&f.message));
        let lines: Vec<String> = {
            let mut l: Vec<u32> = f
                .observations
                .iter()
                .map(|o| o.line)
                .filter(|l| *l > 0)
                .collect();
            l.sort_unstable();
            l.dedup();
            l.iter().map(ToString::to_string).collect()
        };
        if !lines.is_empty() {
            let _ = write!(text, "\n(descriptor line {})", lines.join(", "));
        }
    }
    // The register's own wording of the answers behind the finding, for an imported system.
    for r in super::view::register_answers(a, f) {
        let _ = write!(
            text,
            "\nIn the register: {} \u{201c}{}\u{201d}",
            r.question, r.answer
        );
        if let Some(e) = &r.explanation {
            let _ = write!(text, " (explanation: \u{201c}{e}\u{201d})");
        }
    }
    if f.outcome == Outcome::Pass {
        let stated: Vec<&crate::assessment::Observation> = f
            .observations
            .iter()
            .filter(|o| o.support != Support::NotStated)
            .collect();
        if stated.iter().any(|o| o.support == Support::Evidenced) {
            let mut titles: Vec<String> = stated
                .iter()
                .flat_map(|o| o.evidence.iter())
                .map(|e| {
                    if e.stale {
                        format!("{} (out of date)", e.title)
                    } else {
                        e.title.clone()
                    }
                })
                .collect();
            titles.sort_unstable();
            titles.dedup();
            let _ = write!(
                text,
                "\nEvidence: {}",
                sanitize_terminal(&titles.join("; "))
            );
        } else if !stated.is_empty() {
            text.push_str("\nClaimed, no evidence document given");
        }
    }
    if let Some(q) = &f.question {
        let _ = write!(text, "\nAsk: {}", sanitize_terminal(q));
    }
    if let Some(date) = &f.waiver_expired_on {
        let _ = write!(
            text,
            "\nA waiver expired on {}: the finding is open again",
            sanitize_terminal(date)
        );
    }
    text
}

/// A table laid out for the terminal (or a file), coloured only when asked.
pub(crate) fn grid(options: &RenderOptions<'_>, header: Vec<&str>) -> Grid {
    super::terminal::grid(header, options.width, options.color)
}

/// The waiver of a waived finding, in full.
fn waiver_text(f: &Finding) -> String {
    let Some(w) = &f.waiver else {
        return String::new();
    };
    sanitize_terminal(&format!(
        "Justification: {}\nApproved by {} on {}\nCompensating measure: {}\nExpires on {} ({})",
        w.justification,
        w.approved_by,
        w.approved_on,
        w.compensating_measure,
        w.expires_on,
        w.location
    ))
}

/// Waived findings, and waivers that matched nothing.
fn waived_section(out: &mut String, a: &Assessment, options: &RenderOptions<'_>) {
    let waived: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Waived)
        .collect();
    if !waived.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                "Waived (accepted for a time; not counted in the verdict)",
                "1",
                options.color
            )
        );
        let mut grid = grid(options, vec!["Rule", "Severity", "Finding", "Waiver"]);
        for f in waived {
            let was = f.waiver.as_ref().map_or("", |w| w.waived_outcome.as_str());
            grid.add_row(vec![
                Cell::new(&f.rule_id),
                Cell::new(f.severity.as_str()),
                Cell::new(format!(
                    "{}\n{} (was {was})",
                    sanitize_terminal(&f.title),
                    sanitize_terminal(&f.message)
                )),
                Cell::new(waiver_text(f)),
            ]);
        }
        let _ = writeln!(out, "{grid}");
    }
    for u in &a.waivers.unused {
        let _ = writeln!(
            out,
            "Unused waiver for {} ({}): {}",
            sanitize_terminal(&u.waiver.rule),
            sanitize_terminal(&u.waiver.location),
            sanitize_terminal(&u.reason)
        );
    }
}

/// A reason, and the descriptor facts and lines behind it.
fn reason_with_facts(reason: &str, observations: &[crate::assessment::Observation]) -> String {
    let mut facts: Vec<String> = observations.iter().map(|o| o.message.clone()).collect();
    facts.dedup();
    let lines = super::view::lines_of(observations);
    let mut out = sanitize_terminal(reason);
    if !facts.is_empty() {
        let _ = write!(out, " ({}", sanitize_terminal(&facts.join("; ")));
        if !lines.is_empty() {
            let _ = write!(out, "; line {lines}");
        }
        out.push(')');
    }
    out
}

/// The level, each variable's score and the facts behind it, one per line.
fn level_lines(out: &mut String, l: &LevelAssessment) {
    let _ = write!(out, "Impact level: {} ({})", l.level, l.name);
    if l.level == crate::rules::Level::Prohibited {
        let _ = write!(
            out,
            ": {} crossed; on its impact factors alone, level {}",
            count(l.red_lines, "red line", "red lines"),
            l.impact_level
        );
    }
    let _ = write!(out, " · {} of {} points", l.points, l.max_points);
    if let Some(m) = &l.mitigation
        && let Some(from) = m.reduced_from
    {
        let _ = write!(
            out,
            " (from {from}: {} of {} mitigation measures in place)",
            m.in_place.len(),
            m.measures
        );
    }
    if l.highest_possible > l.impact_level {
        let mut open: Vec<&str> = l
            .variables
            .iter()
            .flat_map(|v| v.unknown.iter())
            .flat_map(|r| r.observations.iter())
            .filter(|o| o.value.is_none())
            .map(|o| &*o.field)
            .collect();
        open.sort_unstable();
        open.dedup();
        let _ = write!(
            out,
            "; could be {} once {} answered",
            l.highest_possible,
            count(open.len(), "unanswered field is", "unanswered fields are")
        );
    }
    for v in &l.variables {
        let weight = if v.weight == 1 {
            String::new()
        } else {
            format!(" x{}", v.weight)
        };
        let reach = v
            .could_reach
            .map(|c| format!(", could be {c}"))
            .unwrap_or_default();
        let counted: Vec<String> = v
            .reasons
            .iter()
            .filter(|r| r.counted)
            .map(|r| reason_with_facts(&r.reason, &r.observations))
            .collect();
        let why = if !counted.is_empty() {
            counted.join("; ")
        } else if v.unknown.is_empty() {
            "nothing raises it".to_string()
        } else {
            "not answered".to_string()
        };
        let _ = write!(
            out,
            "\n  {:<22} {}/{}{weight}{reach}: {why}",
            v.name, v.score, v.max
        );
    }
    for f in &l.floors {
        let _ = write!(
            out,
            "\n  {:<22} {}",
            factor_weight(f.score, f.floor),
            reason_with_facts(&f.reason, &f.observations)
        );
    }
}

/// The summary line, and the profile and waivers when they are used.
fn header(out: &mut String, a: &Assessment) {
    let s = &a.summary;
    let _ = write!(
        out,
        "{} · {} rules: {}, {}, {} met, {} not applicable",
        sanitize_terminal(&a.descriptor.system_name),
        s.rules,
        count(s.gap, "gap", "gaps"),
        count(s.unknown, "open question", "open questions"),
        s.pass,
        s.not_applicable,
    );
    if s.not_asked > 0 {
        let _ = write!(out, ", {} not asked by the source", s.not_asked);
    }
    if a.waivers.file.is_some() {
        let _ = write!(out, ", {} waived", s.waived);
    }
    let _ = writeln!(out, " · as of {}", a.as_of);
    if a.profile.id != "default" {
        let _ = writeln!(
            out,
            "Profile: {} ({}, {})",
            sanitize_terminal(&a.profile.id),
            sanitize_terminal(&a.profile.title),
            sanitize_terminal(&a.profile.source)
        );
    }
    if let Some(file) = &a.waivers.file {
        let _ = writeln!(
            out,
            "Waivers: {} applied, {} expired, {} unused ({})",
            a.waivers.applied,
            a.waivers.expired,
            a.waivers.unused.len(),
            sanitize_terminal(file)
        );
    }
}

/// Why the rules that do not apply do not, grouped by reason, unless `--all` lists them.
fn not_applicable_lines(out: &mut String, a: &Assessment, options: &RenderOptions<'_>) {
    if options.show_all {
        return;
    }
    let mut reasons: std::collections::BTreeMap<String, Vec<&str>> =
        std::collections::BTreeMap::new();
    for f in a
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::NotApplicable)
    {
        let reason = f
            .message
            .strip_prefix("does not apply: ")
            .unwrap_or(&f.message);
        reasons
            .entry(sanitize_terminal(reason))
            .or_default()
            .push(&f.rule_id);
    }
    if reasons.is_empty() {
        return;
    }
    let count: usize = reasons.values().map(Vec::len).sum();
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            &format!("Not applicable ({count} rules)"),
            "1",
            options.color
        )
    );
    let mut grouped: Vec<(String, Vec<&str>)> = reasons.into_iter().collect();
    grouped.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    for (reason, ids) in grouped {
        let _ = writeln!(out, "  {}: {reason}", ids.join(", "));
    }
}

/// What would lift the verdict, when asked for: the reason, then one line per change.
fn what_if_lines(out: &mut String, a: &Assessment, options: &RenderOptions<'_>) {
    let Some(w) = &a.what_if else {
        return;
    };
    let _ = writeln!(
        out,
        "\n{}",
        paint("What would change the verdict", "1", options.color)
    );
    let _ = writeln!(out, "  {}", sanitize_terminal(&w.reason));
    for (i, c) in w.changes.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. {} ({}; closes {})",
            i + 1,
            sanitize_terminal(&c.label),
            c.effort.label(),
            c.rules.join(", ")
        );
    }
}

impl Report for Table<'_> {
    fn finish(&mut self, whole: Whole<'_>, _: Spill<'_>, w: &mut dyn Write) -> Result<()> {
        match whole {
            Whole::One(a) => single(a, &self.0, w),
            Whole::Many(p) => super::portfolio::table::write(p, &self.0, w),
        }
    }
}

/// One system's report in the terminal.
fn single(a: &Assessment, options: &RenderOptions<'_>, w: &mut dyn Write) -> Result<()> {
    let color = options.color;
    let mut out = String::new();
    let s = &a.summary;
    header(&mut out, a);
    let (label, code) = match a.verdict {
        Verdict::Reject => ("REJECT", "1;31"),
        Verdict::Conditional => ("CONDITIONAL", "1;33"),
        Verdict::Acceptable => ("ACCEPTABLE", "1;32"),
    };
    if let Some(r) = super::view::register_record(a) {
        let mut line = format!("Imported from: {}", r.register);
        if let Some(id) = &r.record_id {
            let _ = write!(line, ", record {id}");
        }
        if let Some(url) = &r.url {
            let _ = write!(line, ", {url}");
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(
        out,
        "Verdict: {} ({}): {}",
        paint(label, code, color),
        a.verdict_reason,
        a.verdict.meaning()
    );
    level_lines(&mut out, &a.level);
    out.push('\n');
    for severity in Severity::ALL {
        let group: Vec<&Finding> = a
            .findings
            .iter()
            .filter(|f| f.severity == severity && f.outcome != Outcome::Waived)
            .filter(|f| {
                options.show_all
                    || matches!(
                        f.outcome,
                        Outcome::Gap | Outcome::Unknown | Outcome::NotAsked
                    )
            })
            .collect();
        let hidden = a
            .findings
            .iter()
            .filter(|f| f.severity == severity && f.outcome != Outcome::Waived)
            .count()
            - group.len();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", paint(severity_heading(severity), "1", color));
        let mut grid = grid(options, vec!["Rule", "Outcome", "Finding", "What to do"]);
        for f in group {
            let mut outcome = Cell::new(outcome_cell(f.outcome));
            if color
                && matches!(
                    f.outcome,
                    Outcome::Gap | Outcome::Unknown | Outcome::NotAsked
                )
            {
                outcome = outcome.fg(severity_color(severity));
            }
            let todo = if f.outcome == Outcome::Pass || f.outcome == Outcome::NotApplicable {
                String::new()
            } else {
                sanitize_terminal(&f.remediation)
            };
            grid.add_row(vec![
                Cell::new(&f.rule_id),
                outcome,
                Cell::new(finding_text(a, f)),
                Cell::new(todo),
            ]);
        }
        let _ = writeln!(out, "{grid}");
        if hidden > 0 {
            let _ = writeln!(
                out,
                "  and {} passed or not applicable (show them with --all)",
                count(hidden, "rule", "rules")
            );
        }
    }
    waived_section(&mut out, a, options);
    if s.gap + s.unknown + s.not_asked == 0 {
        let _ = writeln!(out, "\nNo gaps and no open questions.");
    }
    not_applicable_lines(&mut out, a, options);
    what_if_lines(&mut out, a, options);
    let _ = writeln!(
        out,
        "\nExplain a rule: rightscheck explain RULE-ID · full report: --format json --output FILE"
    );
    w.write_all(out.as_bytes())?;
    Ok(())
}
