//! Views of the catalog and of what surrounds it, for `rules`, `explain` and `profiles`:
//! the rule list, one rule's documentation, fixture results, the traceability matrix,
//! framework coverage, impact levels, lint problems and profiles. Each view is text for
//! people (cleaned of terminal controls, since rule packs and profile files are input
//! too) or JSON for programs.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::check::coverage::{self, CallStatus};
use crate::check::fixtures::{Fixture, FixtureResult};
use crate::diagnostic::{BUG, Diagnostic, count};
use crate::profile::Profile;
use crate::report::{sanitize_line, sanitize_terminal};
use crate::rules::{Catalog, Rule};
use crate::seeds;

/// How a listing is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A table or text, for people.
    Table,
    /// Pretty-printed JSON, for programs.
    Json,
    /// A Markdown table, for documents.
    Markdown,
}

/// A listing and whether it shows something to act on (a failed fixture, a call to action
/// no rule accounts for, a lint problem): the exit status of its command.
#[derive(Debug)]
pub struct Listing {
    /// The text to print.
    pub text: String,
    /// Whether it shows something to act on.
    pub findings: bool,
}

impl Listing {
    fn plain(text: String) -> Listing {
        Listing {
            text,
            findings: false,
        }
    }
}

/// Why a listing could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// No rule has this id.
    #[error("no rule has the id `{id}`")]
    UnknownRule {
        /// The id asked for.
        id: String,
        /// A close id.
        suggestion: Option<String>,
    },
    /// The rule was given a new id.
    #[error("rule `{id}` was renamed to `{to}`")]
    Renamed {
        /// The old id.
        id: String,
        /// The new id.
        to: String,
    },
    /// The rule was retired.
    #[error("rule `{id}` (\"{title}\") was retired: {reason}")]
    Retired {
        /// Its id.
        id: String,
        /// Its title.
        title: String,
        /// Why.
        reason: String,
        /// The rules that replace it.
        see: Vec<String>,
    },
    /// No framework has this id.
    #[error("no framework has the id `{id}`")]
    UnknownFramework {
        /// The id asked for.
        id: String,
        /// A close id.
        suggestion: Option<String>,
        /// Every id.
        ids: Vec<String>,
    },
    /// The built-in calls to action or frameworks could not be read.
    #[error("{0}")]
    Seeds(String),
    /// JSON could not be written.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl Diagnostic for CatalogError {
    fn help(&self) -> Option<String> {
        Some(match self {
            CatalogError::UnknownRule { suggestion, .. } => suggestion.as_ref().map_or_else(
                || "run `rightscheck rules list` to see every rule id".to_string(),
                |s| format!("did you mean `{s}`?"),
            ),
            CatalogError::Renamed { to, .. } => format!("run `rightscheck explain {to}`"),
            CatalogError::Retired { see, .. } if see.is_empty() => {
                "run `rightscheck rules list` to see every rule".to_string()
            }
            CatalogError::Retired { see, .. } => format!("see {}", see.join(", ")),
            CatalogError::UnknownFramework {
                suggestion, ids, ..
            } => suggestion.as_ref().map_or_else(
                || format!("use one of `{}`", ids.join("`, `")),
                |s| format!("did you mean `{s}`?"),
            ),
            CatalogError::Seeds(_) => BUG.to_string(),
            CatalogError::Json(_) => return None,
        })
    }
}

fn json(value: &impl Serialize) -> Result<String, CatalogError> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

/// A table for a listing printed to the terminal (rules, calls, levels, provisions,
/// profiles), `width` columns wide.
fn listing_grid(header: Vec<&str>, width: u16) -> comfy_table::Table {
    crate::report::terminal::grid(header, Some(width), false)
}

/// A Markdown table cell: pipes escaped, on one line.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

#[derive(Serialize)]
struct RuleSummary<'a> {
    id: &'a str,
    title: &'a str,
    theme: &'a str,
    severity: crate::rules::Severities,
    #[serde(skip_serializing_if = "Option::is_none")]
    applies_from: Option<crate::rules::Level>,
    sources: &'a [crate::rules::Source],
}

/// A rule's severity in words, with the level it applies from: `high`, or
/// `from II: medium at II, high from III`.
fn severity_words(rule: &Rule) -> String {
    let from = rule.applies_from.unwrap_or(crate::rules::Level::I);
    let words = rule.severity.describe(from);
    match rule.applies_from {
        Some(level) => format!("from level {level}: {words}"),
        None => words,
    }
}

/// `rules list`: every rule, with its severity, theme and sources.
pub fn rules(catalog: &Catalog, format: Format, width: u16) -> Result<Listing, CatalogError> {
    if format == Format::Json {
        let list: Vec<RuleSummary> = catalog
            .rules()
            .iter()
            .map(|r| RuleSummary {
                id: &r.id,
                title: &r.title,
                theme: &r.theme,
                severity: r.severity,
                applies_from: r.applies_from,
                sources: &r.sources,
            })
            .collect();
        return Ok(Listing::plain(json(&list)?));
    }
    let mut grid = listing_grid(vec!["Rule", "Severity", "Theme", "Title", "Sources"], width);
    for r in catalog.rules() {
        let sources: Vec<String> = r
            .sources
            .iter()
            .map(|s| format!("{} {}", s.document, s.call))
            .collect();
        grid.add_row(vec![
            r.id.to_string(),
            severity_words(r),
            r.theme.to_string(),
            r.title.to_string(),
            sources.join("\n"),
        ]);
    }
    Ok(Listing::plain(sanitize_terminal(&format!(
        "{grid}\n{} rules in {} themes · catalog sha256 {}\n",
        catalog.rules().len(),
        catalog.themes().len(),
        catalog.sha256
    ))))
}

/// `explain ID`: one rule in full, or why there is no such rule.
pub fn explain(catalog: &Catalog, id: &str, format: Format) -> Result<Listing, CatalogError> {
    if let (None, Some(r)) = (catalog.get(id), catalog.redirect(id)) {
        return Err(CatalogError::Renamed {
            id: r.from.clone(),
            to: r.to.clone(),
        });
    }
    if let (None, Some(gone)) = (catalog.get(id), catalog.retired(id)) {
        return Err(CatalogError::Retired {
            id: gone.id.to_string(),
            title: gone.title.to_string(),
            reason: gone.reason.trim().to_string(),
            see: gone.see.iter().map(ToString::to_string).collect(),
        });
    }
    let Some(rule) = catalog.get(id) else {
        return Err(CatalogError::UnknownRule {
            id: id.to_string(),
            suggestion: catalog.suggest(id),
        });
    };
    Ok(Listing::plain(match format {
        Format::Json => json(rule)?,
        Format::Table | Format::Markdown => sanitize_terminal(&explain_text(rule)),
    }))
}

/// The fixed documentation sections of a rule, as `explain` prints them.
pub fn explain_text(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", rule.id, rule.title);
    let _ = writeln!(
        out,
        "severity: {} · theme: {}\n",
        severity_words(rule),
        rule.theme
    );
    let _ = writeln!(
        out,
        "What it checks\n  {}\n",
        rule.docs.what_it_checks.trim()
    );
    let _ = writeln!(
        out,
        "Why it matters\n  {}\n",
        rule.docs.why_it_matters.trim()
    );
    let _ = writeln!(out, "How to close the gap\n  {}\n", rule.remediation.trim());
    if let Some(example) = &rule.docs.example {
        let _ = writeln!(out, "Example\n  {}\n", example.trim());
    }
    let _ = writeln!(out, "Sources");
    for s in rule.sources.iter() {
        let _ = writeln!(out, "  {} ({}): \"{}\"", s.document, s.call, s.quote.trim());
    }
    if !rule.crosswalk.is_empty() {
        let _ = writeln!(out, "\nAlso in");
        for c in rule.crosswalk.iter() {
            let _ = writeln!(out, "  {}", c.label());
        }
    }
    let _ = writeln!(out, "\nCondition");
    if let Some(applies) = &rule.applies_when {
        let _ = writeln!(out, "  applies when: {}", applies.to_value());
    }
    let _ = writeln!(out, "  requires: {}", rule.requires.to_value());
    let _ = writeln!(out, "\nDefined in {}", rule.file);
    out
}

/// `rules test`: the fixtures that failed, and the totals.
pub fn fixture_results(
    catalog: &Catalog,
    fixtures: &[Fixture],
    results: &[FixtureResult],
    format: Format,
) -> Result<Listing, CatalogError> {
    let failed = results.iter().filter(|r| !r.passed()).count();
    let text = if format == Format::Json {
        json(&results)?
    } else {
        let mut text = String::new();
        for r in results.iter().filter(|r| !r.passed()) {
            let _ = writeln!(
                text,
                "FAIL {} {}: {}",
                r.rule_id,
                r.fixture,
                r.problem.as_deref().unwrap_or_default()
            );
        }
        let _ = writeln!(
            text,
            "{} rules, {} fixtures: {} passed, {} failed",
            catalog.rules().len(),
            fixtures.len(),
            results.len() - failed,
            failed
        );
        sanitize_terminal(&text)
    };
    Ok(Listing {
        text,
        findings: failed > 0,
    })
}

/// `rules lint`: each problem of a rule pack, and how many.
pub fn lint_problems(
    dir: &Path,
    problems: &[String],
    format: Format,
) -> Result<Listing, CatalogError> {
    let text = if format == Format::Json {
        json(&problems)?
    } else {
        let mut text = String::new();
        for p in problems {
            let _ = writeln!(text, "{p}");
        }
        let _ = writeln!(
            text,
            "{}: {}",
            sanitize_line(&dir.display().to_string()),
            count(problems.len(), "problem", "problems")
        );
        sanitize_terminal(&text)
    };
    Ok(Listing {
        text,
        findings: !problems.is_empty(),
    })
}

/// The rows of a coverage listing, however they are written: the Markdown header and
/// cells, and the table header and cells.
struct Rows<'a> {
    markdown_header: &'a str,
    markdown: Vec<Vec<String>>,
    table_header: Vec<&'a str>,
    table: Vec<Vec<String>>,
    summary: String,
}

impl Rows<'_> {
    fn write(self, format: Format, width: u16) -> String {
        if format == Format::Markdown {
            let mut text = self.markdown_header.to_string();
            for row in &self.markdown {
                let _ = writeln!(text, "| {} |", row.join(" | "));
            }
            let _ = writeln!(text, "\n{}", self.summary);
            return sanitize_terminal(&text);
        }
        let mut grid = listing_grid(self.table_header, width);
        for row in self.table {
            grid.add_row(row);
        }
        sanitize_terminal(&format!("{grid}\n{}\n", self.summary))
    }
}

/// How a call or provision is accounted for: the rules that check it, why none can, or
/// `NOT ACCOUNTED FOR`.
fn accounted(
    status: CallStatus,
    rules: impl FnOnce() -> String,
    not_checked: &str,
    reason: Option<&str>,
) -> String {
    match status {
        CallStatus::Covered => rules(),
        CallStatus::OutOfScope => format!("{not_checked}: {}", reason.unwrap_or_default()),
        CallStatus::NotCovered => "NOT ACCOUNTED FOR".to_string(),
    }
}

/// `rules coverage`: the traceability matrix, every call to action with the rules that
/// encode it or why none does.
pub fn coverage(catalog: &Catalog, format: Format, width: u16) -> Result<Listing, CatalogError> {
    let calls = seeds::calls().map_err(CatalogError::Seeds)?;
    let rows = coverage::coverage(catalog, &calls);
    let count = |s: CallStatus| rows.iter().filter(|r| r.status == s).count();
    let holes = count(CallStatus::NotCovered);
    let findings = holes > 0;
    if format == Format::Json {
        return Ok(Listing {
            text: json(&rows)?,
            findings,
        });
    }
    let summary = format!(
        "{} calls to action: {} covered by rules, {} out of scope with a reason, {} not accounted for",
        rows.len(),
        count(CallStatus::Covered),
        count(CallStatus::OutOfScope),
        holes
    );
    let accounted = |r: &coverage::CoverageRow| {
        accounted(
            r.status,
            || r.encoded_by.join(", "),
            "out of scope",
            r.call.out_of_scope.as_deref(),
        )
    };
    let text = Rows {
        markdown_header: "| call | document | addressees | text | rules or reason |\n|---|---|---|---|---|\n",
        markdown: rows
            .iter()
            .map(|r| {
                vec![
                    r.call.id.clone(),
                    r.call.document.clone(),
                    r.call.addressees.join(", "),
                    cell(&r.call.text),
                    cell(&accounted(r)),
                ]
            })
            .collect(),
        table_header: vec!["Call", "Addressees", "Text", "Rules or reason"],
        table: rows
            .iter()
            .map(|r| {
                let mut text: String = r.call.text.chars().take(160).collect();
                if r.call.text.chars().count() > 160 {
                    text.push('…');
                }
                vec![
                    r.call.id.clone(),
                    r.call.addressees.join(", "),
                    text,
                    accounted(r),
                ]
            })
            .collect(),
        summary,
    }
    .write(format, width);
    Ok(Listing { text, findings })
}

/// `rules coverage --framework ID`: which provisions of a framework the catalog checks,
/// and which it does not and why.
pub fn framework_coverage(
    catalog: &Catalog,
    id: &str,
    format: Format,
    width: u16,
) -> Result<Listing, CatalogError> {
    let frameworks = seeds::frameworks().map_err(CatalogError::Seeds)?;
    let Some(framework) = frameworks.iter().find(|f| f.id == id) else {
        let ids: Vec<String> = frameworks.iter().map(|f| f.id.clone()).collect();
        return Err(CatalogError::UnknownFramework {
            id: id.to_string(),
            suggestion: crate::schema::did_you_mean(id, &ids),
            ids,
        });
    };
    let rows = coverage::framework_coverage(catalog, framework);
    let count = |s: CallStatus| rows.iter().filter(|r| r.status == s).count();
    let holes = count(CallStatus::NotCovered);
    let findings = holes > 0 && framework.complete;
    if format == Format::Json {
        let text = json(&serde_json::json!({
            "framework": framework.id,
            "title": framework.title,
            "complete": framework.complete,
            "provisions": rows,
        }))?;
        return Ok(Listing { text, findings });
    }
    let mut summary = format!(
        "{}: {} provisions listed, {} checked by rules, {} out of scope with a reason, {} not accounted for",
        framework.title,
        rows.len(),
        count(CallStatus::Covered),
        count(CallStatus::OutOfScope),
        holes
    );
    if !framework.complete {
        summary.push_str(
            "\n(only the provisions rules cite are listed for this framework, not all of it)",
        );
    }
    let accounted = |r: &coverage::ProvisionRow| {
        let rules = || {
            r.checked_by
                .iter()
                .map(|c| format!("{} ({})", c.rule_id, c.relation.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        accounted(
            r.status,
            rules,
            "not checked",
            r.provision.out_of_scope.as_deref(),
        )
    };
    let text = Rows {
        markdown_header: "| provision | what it asks | rules, or why none |\n|---|---|---|\n",
        markdown: rows
            .iter()
            .map(|r| {
                vec![
                    cell(&r.provision.id),
                    cell(&r.provision.title),
                    cell(&accounted(r)),
                ]
            })
            .collect(),
        table_header: vec!["Provision", "What it asks", "Rules, or why none"],
        table: rows
            .iter()
            .map(|r| {
                vec![
                    r.provision.id.clone(),
                    r.provision.title.clone(),
                    accounted(r),
                ]
            })
            .collect(),
        summary,
    }
    .write(format, width);
    Ok(Listing { text, findings })
}

/// `rules levels`: what each impact level asks, from the level model and the catalog.
pub fn levels(catalog: &Catalog, format: Format, width: u16) -> Result<Listing, CatalogError> {
    use crate::rules::obligations;
    let levels = obligations::by_level(catalog);
    Ok(Listing::plain(match format {
        Format::Json => json(&levels)?,
        Format::Markdown => sanitize_terminal(&obligations::to_markdown(&levels)),
        Format::Table => {
            let mut grid = listing_grid(
                vec![
                    "Level",
                    "Points",
                    "What it means",
                    "At least this level, whatever the points",
                    "Rules (high)",
                ],
                width,
            );
            for l in &levels {
                grid.add_row(vec![
                    format!("{} ({})", l.level.as_str(), l.name),
                    format!("{}–{}", l.from_points, l.to_points),
                    l.means.clone(),
                    l.floors.join("\n"),
                    format!("{} ({})", l.rules, l.high),
                ]);
            }
            sanitize_terminal(&format!(
                "{grid}\n{}",
                obligations::changes_as_text(&levels)
            ))
        }
    }))
}

/// `profiles list`: the built-in profiles.
pub fn profiles(profiles: &[Profile], format: Format, width: u16) -> Result<Listing, CatalogError> {
    if format == Format::Json {
        return Ok(Listing::plain(json(&profiles)?));
    }
    let mut grid = listing_grid(
        vec![
            "Profile",
            "Title",
            "Unknowns",
            "Evidence required",
            "Description",
        ],
        width,
    );
    for p in profiles {
        grid.add_row(vec![
            p.id.clone(),
            p.title.clone(),
            if p.unknown_as_gap {
                "gaps"
            } else {
                "questions"
            }
            .to_string(),
            p.evidence_required_from
                .map_or_else(|| "no".to_string(), |s| format!("from {s}")),
            p.description.trim().to_string(),
        ]);
    }
    Ok(Listing::plain(sanitize_terminal(&format!(
        "{grid}\nWithout `--profile`, `assess` uses the catalog as written (profile `default`). Show one: rightscheck profiles show ID\n"
    ))))
}

/// `profiles show`: one profile in full.
pub fn profile(p: &Profile, format: Format) -> Result<Listing, CatalogError> {
    if format == Format::Json {
        return Ok(Listing::plain(json(p)?));
    }
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", p.id, p.title);
    let _ = writeln!(out, "source: {}\n", p.source);
    let _ = writeln!(out, "{}\n", p.description.trim());
    let _ = writeln!(
        out,
        "unknowns: {}",
        if p.unknown_as_gap {
            "counted as gaps"
        } else {
            "questions for the vendor"
        }
    );
    let _ = writeln!(
        out,
        "evidence required: {}",
        p.evidence_required_from.map_or_else(
            || "no; claimed answers are accepted".to_string(),
            |s| format!("for {s}-severity rules and above")
        )
    );
    let _ = writeln!(
        out,
        "themes: {}",
        p.include_themes
            .as_ref()
            .map_or_else(|| "all".to_string(), |t| t.join(", "))
    );
    if !p.exclude_rules.is_empty() {
        let _ = writeln!(out, "rules left out: {}", p.exclude_rules.join(", "));
    }
    for (rule, severity) in &p.severity_overrides {
        let _ = writeln!(out, "severity of {rule}: {severity}");
    }
    if let Some(level) = p.min_level {
        let _ = writeln!(out, "rules apply from impact level: {level}");
    }
    for (name, value) in p.parameters.set() {
        let _ = writeln!(out, "parameter {name}: {value}");
    }
    if let Some(days) = p.parameters.evidence_fresh_days {
        let _ = writeln!(
            out,
            "evidence documents count for: {days} days from their date"
        );
    }
    for severity in crate::rules::Severity::ALL {
        if let Some(days) = p.deadlines.days(severity) {
            let _ = writeln!(out, "days to fix a {} finding: {days}", severity.as_str());
        }
    }
    Ok(Listing::plain(sanitize_terminal(&out)))
}
