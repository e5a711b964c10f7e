//! Compares two JSON assessments (`assess --format json`) of a system, each read back as
//! an [`Assessment`]: gaps closed, new gaps, outcomes and severities that changed, waivers
//! added or expired, and the verdict. Any regression makes `rightscheck diff` exit with
//! status 1, so CI can gate on it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::assessment::{Assessment, Finding};
use crate::document::{Document, DocumentError};
use crate::report::{escape_markdown, sanitize_terminal};
use crate::text::count;
use crate::vocabulary::{Outcome, Severity, Verdict};

/// Why two assessments could not be compared.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// A file could not be read or parsed.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// A file is JSON but not an assessment.
    #[error("{file}: not a rightscheck assessment: {message}")]
    NotAssessment {
        /// The file.
        file: String,
        /// What is missing or wrong.
        message: String,
    },
}

impl DiffError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            DiffError::Document(e) => e.help(),
            DiffError::NotAssessment { .. } => {
                "give two files written by `rightscheck assess --format json --output FILE`"
            }
        }
    }
}

impl crate::diagnostic::Diagnostic for DiffError {
    fn help(&self) -> Option<String> {
        Some(DiffError::help(self).to_string())
    }

    fn location(&self) -> Option<crate::diagnostic::Location> {
        match self {
            DiffError::Document(e) => crate::diagnostic::Diagnostic::location(e),
            DiffError::NotAssessment { .. } => None,
        }
    }
}

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The assessment file.
    pub file: String,
    /// The descriptor it assessed.
    pub descriptor: String,
    /// The system's name.
    pub system: String,
    /// Its as-of date.
    pub as_of: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// The profile used (`default` for assessments made before profiles existed).
    pub profile: String,
}

/// What changed for one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Was not a gap, is one now (or a new rule with a gap).
    NewGap,
    /// Passed or did not apply, is an open question now; or was a question, is a gap now.
    OutcomeWorsened,
    /// A waiver that applied has expired: the finding is open again.
    WaiverExpired,
    /// A waiver that applied is gone and the finding is open again.
    WaiverRemoved,
    /// The severity of an open finding went up.
    SeverityRaised,
    /// A gap or question is met now, or no longer applies.
    GapClosed,
    /// A gap became an open question.
    OutcomeImproved,
    /// A gap or question is waived now.
    WaiverAdded,
    /// The severity went down, or changed on a finding that is not open.
    SeverityChanged,
    /// The rule is assessed now and was not before, with no gap.
    RuleAdded,
    /// The rule was assessed before and is not now.
    RuleRemoved,
}

impl ChangeKind {
    /// Whether the change is a regression.
    pub fn regression(self) -> bool {
        matches!(
            self,
            ChangeKind::NewGap
                | ChangeKind::OutcomeWorsened
                | ChangeKind::WaiverExpired
                | ChangeKind::WaiverRemoved
                | ChangeKind::SeverityRaised
        )
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::NewGap => "new gap",
            ChangeKind::OutcomeWorsened => "outcome worsened",
            ChangeKind::WaiverExpired => "waiver expired",
            ChangeKind::WaiverRemoved => "waiver removed",
            ChangeKind::SeverityRaised => "severity raised",
            ChangeKind::GapClosed => "gap closed",
            ChangeKind::OutcomeImproved => "outcome improved",
            ChangeKind::WaiverAdded => "waiver added",
            ChangeKind::SeverityChanged => "severity changed",
            ChangeKind::RuleAdded => "rule added",
            ChangeKind::RuleRemoved => "rule removed",
        }
    }
}

/// One change.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// Rule id.
    pub rule_id: String,
    /// Rule title.
    pub title: String,
    /// What changed.
    pub kind: ChangeKind,
    /// Whether it is a regression.
    pub regression: bool,
    /// Outcome before (nothing when the rule was not assessed).
    pub old_outcome: Option<Outcome>,
    /// Outcome after.
    pub new_outcome: Option<Outcome>,
    /// Severity before.
    pub old_severity: Option<Severity>,
    /// Severity after.
    pub new_severity: Option<Severity>,
    /// More about it, e.g. the expiry date.
    pub detail: String,
}

/// Counts of changes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DiffSummary {
    /// Gaps and questions closed.
    pub closed: usize,
    /// New gaps.
    pub new_gaps: usize,
    /// Other changes of outcome or severity.
    pub changed: usize,
    /// Waivers added.
    pub waivers_added: usize,
    /// Waivers expired or removed.
    pub waivers_lapsed: usize,
    /// Regressions, the verdict included.
    pub regressions: usize,
}

/// The verdict before and after.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictChange {
    /// Before.
    pub old: Verdict,
    /// After.
    pub new: Verdict,
    /// Whether it got worse (acceptable < conditional < reject).
    pub regression: bool,
}

/// The comparison of two assessments.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The earlier assessment.
    pub old: Side,
    /// The later one.
    pub new: Side,
    /// The verdict, when it changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict_change: Option<VerdictChange>,
    /// Counts.
    pub summary: DiffSummary,
    /// Every change, regressions first.
    pub changes: Vec<Change>,
}

impl Diff {
    /// Whether anything regressed (exit status 1).
    pub fn regressed(&self) -> bool {
        self.summary.regressions > 0
    }
}

fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::Reject => 2,
        Verdict::Conditional => 1,
        Verdict::Acceptable => 0,
    }
}

fn read(path: &Path) -> Result<(Side, Assessment), DiffError> {
    let doc = Document::from_path(path)?;
    let assessment: Assessment =
        serde_json::from_value(doc.value).map_err(|e| DiffError::NotAssessment {
            file: doc.name.clone(),
            message: e.to_string(),
        })?;
    if assessment.tool.name != env!("CARGO_PKG_NAME") {
        return Err(DiffError::NotAssessment {
            file: doc.name,
            message: format!("it was written by `{}`", assessment.tool.name),
        });
    }
    let side = Side {
        file: doc.name,
        descriptor: assessment.descriptor.file.clone(),
        system: assessment.descriptor.system_name.clone(),
        as_of: assessment.as_of.clone(),
        verdict: assessment.verdict,
        profile: assessment.profile.id.clone(),
    };
    Ok((side, assessment))
}

/// Reads and compares two JSON assessments.
pub fn diff_files(old: &Path, new: &Path) -> Result<Diff, DiffError> {
    let (old_side, old) = read(old)?;
    let (new_side, new) = read(new)?;
    Ok(compare(old_side, &old, new_side, &new))
}

fn is_open(outcome: Outcome) -> bool {
    matches!(outcome, Outcome::Gap | Outcome::Unknown)
}

fn outcome_change(o: Option<&Finding>, n: Option<&Finding>) -> Option<(ChangeKind, String)> {
    let old = o.map(|f| f.outcome);
    let new = n.map(|f| f.outcome);
    let kind = match (old, new) {
        (Some(a), Some(b)) if a == b => {
            // Same outcome, but a waiver may have lapsed in between.
            let expired = n.and_then(|f| f.waiver_expired_on.as_deref());
            let was_expired = o.and_then(|f| f.waiver_expired_on.as_deref());
            return match expired {
                Some(date) if was_expired.is_none() => Some((
                    ChangeKind::WaiverExpired,
                    format!("the waiver expired on {date}"),
                )),
                _ => None,
            };
        }
        (None, Some(Outcome::Gap)) => ChangeKind::NewGap,
        (None, Some(Outcome::Unknown)) => ChangeKind::OutcomeWorsened,
        (None, Some(_)) => ChangeKind::RuleAdded,
        (Some(_), None) => ChangeKind::RuleRemoved,
        (None, None) => return None,
        (Some(Outcome::Waived), Some(b)) if is_open(b) => {
            return Some(match n.and_then(|f| f.waiver_expired_on.as_deref()) {
                Some(date) => (
                    ChangeKind::WaiverExpired,
                    format!("the waiver expired on {date}"),
                ),
                None => (
                    ChangeKind::WaiverRemoved,
                    "no waiver applies any more".to_string(),
                ),
            });
        }
        (Some(a), Some(Outcome::Waived)) if is_open(a) => {
            let detail = n
                .and_then(|f| f.waiver.as_ref())
                .map(|w| format!("approved by {}, expires on {}", w.approved_by, w.expires_on))
                .unwrap_or_default();
            return Some((ChangeKind::WaiverAdded, detail));
        }
        (Some(_), Some(Outcome::Gap)) => {
            if old == Some(Outcome::Unknown) {
                ChangeKind::OutcomeWorsened
            } else {
                ChangeKind::NewGap
            }
        }
        (Some(_), Some(Outcome::Unknown)) => {
            if old == Some(Outcome::Gap) {
                ChangeKind::OutcomeImproved
            } else {
                ChangeKind::OutcomeWorsened
            }
        }
        (Some(_), Some(_)) => ChangeKind::GapClosed,
    };
    Some((kind, String::new()))
}

fn compare(old_side: Side, old: &Assessment, new_side: Side, new: &Assessment) -> Diff {
    let mut rules: BTreeMap<&str, (Option<&Finding>, Option<&Finding>)> = BTreeMap::new();
    for f in &old.findings {
        rules.entry(&f.rule_id).or_default().0 = Some(f);
    }
    for f in &new.findings {
        rules.entry(&f.rule_id).or_default().1 = Some(f);
    }
    let mut changes = Vec::new();
    for (id, (o, n)) in rules {
        let title = n.or(o).map(|f| f.title.to_string()).unwrap_or_default();
        let change = |kind: ChangeKind, detail: String| Change {
            rule_id: id.to_string(),
            title: title.clone(),
            kind,
            regression: kind.regression(),
            old_outcome: o.map(|f| f.outcome),
            new_outcome: n.map(|f| f.outcome),
            old_severity: o.map(|f| f.severity),
            new_severity: n.map(|f| f.severity),
            detail,
        };
        if let Some((kind, detail)) = outcome_change(o, n) {
            // A pass that stays out of reach is not worth a line.
            let trivial = kind == ChangeKind::GapClosed
                && o.is_some_and(|f| !is_open(f.outcome) && f.outcome != Outcome::Waived);
            if !trivial {
                changes.push(change(kind, detail));
            }
        }
        if let (Some(a), Some(b)) = (o, n)
            && a.severity != b.severity
        {
            let kind = if b.severity > a.severity && is_open(b.outcome) {
                ChangeKind::SeverityRaised
            } else {
                ChangeKind::SeverityChanged
            };
            changes.push(change(kind, format!("{} to {}", a.severity, b.severity)));
        }
    }
    changes.sort_by(|a, b| {
        b.regression
            .cmp(&a.regression)
            .then(a.kind.cmp(&b.kind))
            .then(a.rule_id.cmp(&b.rule_id))
    });
    let verdict_change = (old.verdict != new.verdict).then(|| VerdictChange {
        old: old.verdict,
        new: new.verdict,
        regression: verdict_rank(new.verdict) > verdict_rank(old.verdict),
    });
    let count = |pred: &dyn Fn(&Change) -> bool| changes.iter().filter(|c| pred(c)).count();
    let summary = DiffSummary {
        closed: count(&|c| c.kind == ChangeKind::GapClosed),
        new_gaps: count(&|c| c.kind == ChangeKind::NewGap),
        changed: count(&|c| {
            matches!(
                c.kind,
                ChangeKind::OutcomeWorsened
                    | ChangeKind::OutcomeImproved
                    | ChangeKind::SeverityRaised
                    | ChangeKind::SeverityChanged
            )
        }),
        waivers_added: count(&|c| c.kind == ChangeKind::WaiverAdded),
        waivers_lapsed: count(&|c| {
            matches!(
                c.kind,
                ChangeKind::WaiverExpired | ChangeKind::WaiverRemoved
            )
        }),
        regressions: count(&|c| c.regression)
            + usize::from(verdict_change.as_ref().is_some_and(|v| v.regression)),
    };
    Diff {
        old: old_side,
        new: new_side,
        verdict_change,
        summary,
        changes,
    }
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    /// For the terminal.
    Table,
    /// For programs.
    Json,
    /// For merge requests and tickets.
    Markdown,
}

fn headline(d: &Diff) -> String {
    let s = &d.summary;
    format!(
        "{} closed, {}, {}, {} added, {} expired or removed: {}",
        count(s.closed, "gap", "gaps"),
        count(s.new_gaps, "new gap", "new gaps"),
        count(s.changed, "other change", "other changes"),
        count(s.waivers_added, "waiver", "waivers"),
        count(s.waivers_lapsed, "waiver", "waivers"),
        if d.regressed() {
            count(s.regressions, "regression", "regressions")
        } else {
            "no regression".to_string()
        }
    )
}

fn verdict_line(d: &Diff) -> String {
    match &d.verdict_change {
        Some(v) => format!(
            "Verdict: {} -> {}{}",
            v.old,
            v.new,
            if v.regression {
                " (worse)"
            } else {
                " (better)"
            }
        ),
        None => format!("Verdict: {} (unchanged)", d.new.verdict),
    }
}

fn cell(o: Option<Outcome>, s: Option<Severity>) -> String {
    match (o, s) {
        (Some(o), Some(s)) => format!("{o} ({s})"),
        _ => "not assessed".to_string(),
    }
}

/// Renders a comparison.
pub fn render(d: &Diff, format: DiffFormat) -> anyhow::Result<String> {
    let mut out = String::new();
    match format {
        DiffFormat::Json => {
            out = serde_json::to_string_pretty(d)? + "\n";
        }
        DiffFormat::Table => {
            let _ = writeln!(
                out,
                "{} · {} (as of {}, profile {}) -> {} (as of {}, profile {})",
                sanitize_terminal(&d.new.system),
                sanitize_terminal(&d.old.file),
                d.old.as_of,
                sanitize_terminal(&d.old.profile),
                sanitize_terminal(&d.new.file),
                d.new.as_of,
                sanitize_terminal(&d.new.profile)
            );
            let _ = writeln!(out, "{}", verdict_line(d));
            let _ = writeln!(out, "{}", headline(d));
            if !d.changes.is_empty() {
                let mut grid = crate::report::terminal::grid(
                    vec!["Rule", "Change", "Before", "After", "Requirement"],
                    None,
                    false,
                );
                for c in &d.changes {
                    let mut title = sanitize_terminal(&c.title);
                    if !c.detail.is_empty() {
                        let _ = write!(title, "\n{}", sanitize_terminal(&c.detail));
                    }
                    grid.add_row(vec![
                        c.rule_id.clone(),
                        format!(
                            "{}{}",
                            if c.regression { "REGRESSION: " } else { "" },
                            c.kind.label()
                        ),
                        cell(c.old_outcome, c.old_severity),
                        cell(c.new_outcome, c.new_severity),
                        title,
                    ]);
                }
                let _ = writeln!(out, "{grid}");
            }
        }
        DiffFormat::Markdown => {
            let _ = writeln!(
                out,
                "# Changes since the last assessment: {}\n",
                escape_markdown(&d.new.system)
            );
            let _ = writeln!(
                out,
                "From `{}` (as of {}, profile {}) to `{}` (as of {}, profile {}).\n",
                d.old.file.replace('`', "'"),
                d.old.as_of,
                escape_markdown(&d.old.profile),
                d.new.file.replace('`', "'"),
                d.new.as_of,
                escape_markdown(&d.new.profile)
            );
            let _ = writeln!(out, "**{}**\n", verdict_line(d));
            let _ = writeln!(out, "{}\n", headline(d));
            if !d.changes.is_empty() {
                let _ = writeln!(
                    out,
                    "| Rule | Change | Before | After | Requirement |\n|---|---|---|---|---|"
                );
                for c in &d.changes {
                    let mut title = escape_markdown(&c.title);
                    if !c.detail.is_empty() {
                        let _ = write!(title, " ({})", escape_markdown(&c.detail));
                    }
                    let _ = writeln!(
                        out,
                        "| {} | {}{} | {} | {} | {} |",
                        escape_markdown(&c.rule_id),
                        if c.regression { "**regression:** " } else { "" },
                        c.kind.label(),
                        cell(c.old_outcome, c.old_severity),
                        cell(c.new_outcome, c.new_severity),
                        title
                    );
                }
            }
        }
    }
    Ok(out)
}
