//! What portfolio reports show, arranged for their readers: the JSON form (rule ids in
//! place of indices) and the context of the human templates (`templates/portfolio.*.j2`).
//!
//! Strings from descriptors have their control and bidirectional characters made visible
//! here; escaping for HTML or Markdown is the template engine's job.

use std::fmt::Write as _;

use serde::Serialize;

use super::super::RenderOptions;
use super::super::view::{clean, humanize, severity_label, thousands};
use crate::assessment::{CatalogInfo, FailOn, ProfileInfo, ToolInfo, Verdict};
use crate::portfolio::{
    Cell, Portfolio, PortfolioSummary, RuleTally, SystemError, SystemRow, ThemeTally,
};
use crate::rules::Level;

/// How many of the most common gaps the human reports list.
pub const COMMON_GAPS: usize = 15;

/// One system, with rule ids, written as it is serialised.
struct JsonSystem<'a> {
    portfolio: &'a Portfolio,
    row: &'a SystemRow,
}

/// Rule indices as rule ids.
struct RuleIds<'a>(&'a Portfolio, &'a [u16]);

impl Serialize for RuleIds<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.1
                .iter()
                .filter_map(|i| self.0.rules.get(usize::from(*i)))
                .map(|r| r.rule_id.as_str()),
        )
    }
}

/// A system's cells as a map from theme name to cell.
struct ThemeCells<'a>(&'a Portfolio, &'a [Cell]);

impl Serialize for ThemeCells<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.themes.iter().map(String::as_str).zip(self.1))
    }
}

impl Serialize for JsonSystem<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let (p, s) = (self.portfolio, self.row);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("file", &s.file)?;
        if let Some(id) = &s.id {
            map.serialize_entry("id", id)?;
        }
        map.serialize_entry("name", &s.name)?;
        if let Some(deployer) = &s.deployer {
            map.serialize_entry("deployer", deployer)?;
        }
        map.serialize_entry("verdict", &s.verdict)?;
        map.serialize_entry("level", &s.level)?;
        map.serialize_entry("highest_possible_level", &s.highest_possible_level)?;
        map.serialize_entry("counts", &s.counts)?;
        map.serialize_entry("themes", &ThemeCells(p, &s.themes))?;
        map.serialize_entry("gaps", &RuleIds(p, &s.gaps))?;
        map.serialize_entry("unknown", &RuleIds(p, &s.unknown))?;
        map.end()
    }
}

/// Every system, serialised one at a time (nothing is built for the whole list), each on
/// one line.
pub struct JsonSystems<'a>(&'a Portfolio);

impl Serialize for JsonSystems<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq as _};
        // One line per system: a large inventory stays readable line by line (and a third
        // of the size it would be with every field on a line of its own).
        let mut seq = serializer.serialize_seq(Some(self.0.systems.len()))?;
        for row in &self.0.systems {
            let line = serde_json::value::to_raw_value(&JsonSystem {
                portfolio: self.0,
                row,
            })
            .map_err(S::Error::custom)?;
            seq.serialize_element(&line)?;
        }
        seq.end()
    }
}

/// The portfolio as the JSON report writes it (schema: `schemas/portfolio.schema.json`).
#[derive(Serialize)]
pub struct JsonPortfolio<'a> {
    /// The tool.
    pub tool: &'a ToolInfo,
    /// Always `portfolio`, to tell this document from a single assessment.
    pub kind: &'static str,
    /// Date of the assessment.
    pub as_of: &'a str,
    /// The rules.
    pub catalog: &'a CatalogInfo,
    /// Failure threshold.
    pub fail_on: FailOn,
    /// Profile.
    pub profile: &'a ProfileInfo,
    /// Totals.
    pub summary: &'a PortfolioSummary,
    /// Per theme, systems in each state.
    pub themes: &'a [ThemeTally],
    /// The rules with gaps or open questions, most gaps first.
    pub common_gaps: Vec<&'a RuleTally>,
    /// Every rule with its counts, in catalog order.
    pub rules: &'a [RuleTally],
    /// One entry per system, in file order.
    pub systems: JsonSystems<'a>,
    /// Descriptors that could not be assessed.
    pub errors: &'a [SystemError],
}

impl<'a> JsonPortfolio<'a> {
    /// Arranges the portfolio for JSON.
    pub fn new(p: &'a Portfolio) -> JsonPortfolio<'a> {
        JsonPortfolio {
            tool: &p.tool,
            kind: "portfolio",
            as_of: &p.as_of,
            catalog: &p.catalog,
            fail_on: p.fail_on,
            profile: &p.profile,
            summary: &p.summary,
            themes: &p.theme_tallies,
            common_gaps: p.common_gaps(usize::MAX),
            rules: &p.rules,
            systems: JsonSystems(p),
            errors: &p.errors,
        }
    }
}

/// A count and its share of a whole, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct Share {
    /// The count.
    pub count: u32,
    /// `count` with thousands separators.
    pub text: String,
    /// Percentage of the whole, rounded, e.g. `42%`.
    pub percent: String,
}

impl Share {
    fn of(count: u32, whole: u32) -> Share {
        let percent = if whole == 0 {
            "–".to_string()
        } else {
            format!(
                "{}%",
                (u64::from(count) * 100 + u64::from(whole) / 2) / u64::from(whole)
            )
        };
        Share {
            count,
            text: thousands(count),
            percent,
        }
    }
}

/// A theme column of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeColumn {
    /// Column number, from 1.
    pub number: usize,
    /// Theme id.
    pub id: String,
    /// Theme in words.
    pub label: String,
    /// Systems with a gap in it.
    pub gap: Share,
    /// Systems with open questions and no gap.
    pub unknown: Share,
    /// Systems that meet it.
    pub pass: Share,
    /// Systems whose open findings in it are waived.
    pub waived: Share,
    /// Systems whose only open findings in it are questions their source never asks.
    pub not_asked: Share,
    /// Systems it does not apply to.
    pub not_applicable: Share,
}

/// One of the most common gaps.
#[derive(Debug, Clone, Serialize)]
pub struct CommonGap {
    /// Rule id.
    pub rule_id: String,
    /// Title.
    pub title: String,
    /// Theme in words.
    pub theme: String,
    /// Severity id.
    pub severity: String,
    /// Severity in words.
    pub severity_label: &'static str,
    /// Systems it applies to.
    pub applies: String,
    /// Systems with a gap, and their share of those it applies to.
    pub gap: Share,
    /// Systems where it is an open question, and their share.
    pub unknown: Share,
    /// Systems whose source never asks what it needs, and their share.
    pub not_asked: Share,
    /// One sentence: "1,204 of 1,530 systems it applies to (79%) ...".
    pub sentence: String,
}

impl CommonGap {
    fn new(r: &RuleTally) -> CommonGap {
        CommonGap {
            rule_id: clean(&r.rule_id),
            title: clean(&r.title),
            theme: humanize(&r.theme),
            severity: r.severity.as_str().to_string(),
            severity_label: severity_label(r.severity),
            applies: thousands(r.applies),
            gap: Share::of(r.gap, r.applies),
            unknown: Share::of(r.unknown, r.applies),
            not_asked: Share::of(r.not_asked, r.applies),
            sentence: format!(
                "{}: a gap in {} of the {} systems it applies to ({}), an open question in {} more, not asked by the source in {}",
                clean(&r.title),
                thousands(r.gap),
                thousands(r.applies),
                Share::of(r.gap, r.applies).percent,
                thousands(r.unknown),
                thousands(r.not_asked)
            ),
        }
    }
}

/// One theme cell of a system's row.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    /// `gap`, `unknown`, `waived`, `pass` or `not-applicable`.
    pub state: &'static str,
    /// One character for the state.
    pub symbol: &'static str,
}

/// One system's row.
#[derive(Debug, Clone, Serialize)]
pub struct SystemLine {
    /// Position in the list, from 1.
    pub number: usize,
    /// Descriptor file.
    pub file: String,
    /// `system.id`, or nothing.
    pub id: String,
    /// System name.
    pub name: String,
    /// Deployer, or nothing.
    pub deployer: String,
    /// Verdict id.
    pub verdict: &'static str,
    /// Impact level, or `prohibited`.
    pub level: &'static str,
    /// Impact level if every open factor held, when higher.
    pub could_be: String,
    /// Red lines crossed.
    pub red_lines: u32,
    /// Gaps.
    pub gaps: u32,
    /// Open questions.
    pub unknown: u32,
    /// Questions the source never asks.
    pub not_asked: u32,
    /// Met.
    pub pass: u32,
    /// Whether it reaches the failure threshold.
    pub failing: bool,
    /// One cell per theme.
    pub cells: Vec<CellView>,
    /// The most severe gaps, as rule ids (at most five).
    pub top_gaps: Vec<String>,
}

impl SystemLine {
    fn new(number: usize, row: &SystemRow, p: &Portfolio) -> SystemLine {
        SystemLine {
            number,
            file: clean(&row.file),
            id: row.id.as_deref().map(clean).unwrap_or_default(),
            name: clean(&row.name),
            deployer: row.deployer.as_deref().map(clean).unwrap_or_default(),
            verdict: row.verdict.as_str(),
            level: row.level.as_str(),
            could_be: if row.highest_possible_level > row.level.min(Level::IV) {
                row.highest_possible_level.as_str().to_string()
            } else {
                String::new()
            },
            red_lines: row.counts.red_lines,
            gaps: row.counts.gap,
            unknown: row.counts.unknown,
            not_asked: row.counts.not_asked,
            pass: row.counts.pass,
            failing: row.counts.failing > 0,
            cells: row
                .themes
                .iter()
                .map(|c| CellView {
                    state: c.as_str(),
                    symbol: symbol(*c),
                })
                .collect(),
            top_gaps: row
                .gaps
                .iter()
                .take(5)
                .filter_map(|i| p.rules.get(usize::from(*i)))
                .map(|r| clean(&r.rule_id))
                .collect(),
        }
    }
}

/// A descriptor that could not be assessed.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorLine {
    /// `file:line:col`, or the file alone.
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: String,
}

/// A verdict and its count.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictCount {
    /// Verdict id.
    pub verdict: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// Systems with it.
    pub share: Share,
}

/// An impact level and its count.
#[derive(Debug, Clone, Serialize)]
pub struct LevelCount {
    /// `prohibited`, or `I` to `IV`.
    pub level: &'static str,
    /// Systems in it.
    pub share: Share,
}

/// The record of how the portfolio was assessed.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioRecord {
    /// Tool name.
    pub tool: &'static str,
    /// Tool version.
    pub tool_version: &'static str,
    /// As-of date.
    pub as_of: String,
    /// Rules used.
    pub rules: usize,
    /// Where they came from.
    pub origins: String,
    /// SHA-256 of the rule files.
    pub catalog_sha256: String,
    /// Profile id and title.
    pub profile: String,
    /// Failure threshold.
    pub fail_on: &'static str,
    /// Who made the assessment, when given.
    pub assessor: String,
}

/// Everything a human portfolio report shows.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioView {
    /// Title.
    pub title: String,
    /// The key findings, as sentences.
    pub headlines: Vec<String>,
    /// Descriptors found.
    pub descriptors: String,
    /// Systems assessed.
    pub assessed: Share,
    /// Descriptors that could not be assessed.
    pub errors: Share,
    /// Systems at or above the failure threshold.
    pub failing: Share,
    /// Count per verdict, worst first.
    pub verdicts: Vec<VerdictCount>,
    /// Count per impact level, highest first.
    pub levels: Vec<LevelCount>,
    /// The theme columns.
    pub themes: Vec<ThemeColumn>,
    /// The most common gaps.
    pub common_gaps: Vec<CommonGap>,
    /// Every system, worst first (verdict, red lines, gaps, open questions, file).
    pub systems: Vec<SystemLine>,
    /// Descriptors that could not be assessed, in file order.
    pub error_lines: Vec<ErrorLine>,
    /// How it was assessed.
    pub record: PortfolioRecord,
}

fn symbol(cell: Cell) -> &'static str {
    match cell {
        Cell::Gap => "✗",
        Cell::Unknown => "?",
        Cell::NotAsked => "-",
        Cell::Waived => "w",
        Cell::Pass => "✓",
        Cell::NotApplicable => "·",
    }
}

fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::Reject => 0,
        Verdict::Conditional => 1,
        Verdict::Acceptable => 2,
    }
}

/// The systems, worst first.
pub fn worst_first(p: &Portfolio) -> Vec<&SystemRow> {
    let mut rows: Vec<&SystemRow> = p.systems.iter().collect();
    rows.sort_by(|a, b| {
        verdict_rank(a.verdict)
            .cmp(&verdict_rank(b.verdict))
            .then(b.counts.red_lines.cmp(&a.counts.red_lines))
            .then(b.counts.gap.cmp(&a.counts.gap))
            .then(b.counts.unknown.cmp(&a.counts.unknown))
            .then(a.file.cmp(&b.file))
    });
    rows
}

impl PortfolioView {
    /// Arranges the portfolio for the templates.
    pub fn new(p: &Portfolio, options: &RenderOptions<'_>) -> PortfolioView {
        let s = &p.summary;
        let assessed = s.assessed;
        let labels: Vec<String> = p.themes.iter().map(|t| humanize(t)).collect();
        let themes = p
            .theme_tallies
            .iter()
            .enumerate()
            .map(|(i, t)| ThemeColumn {
                number: i + 1,
                id: clean(&t.theme),
                label: labels[i].clone(),
                gap: Share::of(t.gap, assessed),
                unknown: Share::of(t.unknown, assessed),
                pass: Share::of(t.pass, assessed),
                waived: Share::of(t.waived, assessed),
                not_asked: Share::of(t.not_asked, assessed),
                not_applicable: Share::of(t.not_applicable, assessed),
            })
            .collect();
        let common_gaps: Vec<CommonGap> = p
            .common_gaps(COMMON_GAPS)
            .into_iter()
            .map(CommonGap::new)
            .collect();
        let systems = worst_first(p)
            .into_iter()
            .enumerate()
            .map(|(i, row)| SystemLine::new(i + 1, row, p))
            .collect();
        let verdicts = [
            (Verdict::Reject, s.reject),
            (Verdict::Conditional, s.conditional),
            (Verdict::Acceptable, s.acceptable),
        ]
        .into_iter()
        .map(|(v, n)| VerdictCount {
            verdict: v.as_str(),
            meaning: v.meaning(),
            share: Share::of(n, assessed),
        })
        .collect();
        let levels = [
            Level::Prohibited,
            Level::IV,
            Level::III,
            Level::II,
            Level::I,
        ]
        .into_iter()
        .map(|l| LevelCount {
            level: l.as_str(),
            share: Share::of(s.levels.get(&l).copied().unwrap_or(0), assessed),
        })
        .collect();
        PortfolioView {
            title: format!(
                "Human-rights assessment of {} AI system{}",
                thousands(s.descriptors),
                if s.descriptors == 1 { "" } else { "s" }
            ),
            headlines: headlines(p),
            descriptors: thousands(s.descriptors),
            assessed: Share::of(assessed, s.descriptors),
            errors: Share::of(s.errors, s.descriptors),
            failing: Share::of(s.failing, assessed),
            verdicts,
            levels,
            themes,
            common_gaps,
            systems,
            error_lines: p
                .errors
                .iter()
                .map(|e| ErrorLine {
                    location: clean(&e.location()),
                    message: clean(&e.message),
                    help: clean(&e.help),
                })
                .collect(),
            record: PortfolioRecord {
                tool: p.tool.name,
                tool_version: p.tool.version,
                as_of: p.as_of.clone(),
                rules: p.catalog.rules,
                origins: clean(&p.catalog.origins.join(", ")),
                catalog_sha256: p.catalog.sha256.clone(),
                profile: clean(&format!("{} ({})", p.profile.id, p.profile.title)),
                fail_on: p.fail_on.as_str(),
                assessor: options.assessor.map(clean).unwrap_or_default(),
            },
        }
    }
}

/// The key findings in a few sentences.
pub fn headlines(p: &Portfolio) -> Vec<String> {
    let s = &p.summary;
    let mut out = Vec::new();
    let mut first = format!(
        "{} descriptor{} read; {} assessed",
        thousands(s.descriptors),
        if s.descriptors == 1 { "" } else { "s" },
        thousands(s.assessed)
    );
    if s.errors > 0 {
        let _ = write!(
            first,
            ", {} could not be assessed (listed at the end)",
            thousands(s.errors)
        );
    }
    first.push('.');
    out.push(first);
    if s.assessed == 0 {
        return out;
    }
    out.push(format!(
        "{} of {} systems ({}) cross a red line; {} ({}) lack high-severity safeguards or cannot show them yet (an open question, or one their source never asks); {} ({}) are acceptable.",
        thousands(s.reject),
        thousands(s.assessed),
        Share::of(s.reject, s.assessed).percent,
        thousands(s.conditional),
        Share::of(s.conditional, s.assessed).percent,
        thousands(s.acceptable),
        Share::of(s.acceptable, s.assessed).percent
    ));
    if let Some(top) = p.common_gaps(1).first().filter(|r| r.gap > 0) {
        out.push(format!(
            "The gap found most often is {}, \u{201c}{}\u{201d}: {} of the {} systems it applies to ({}).",
            clean(&top.rule_id),
            clean(&top.title),
            thousands(top.gap),
            thousands(top.applies),
            Share::of(top.gap, top.applies).percent
        ));
    }
    if s.not_asked > 0 {
        out.push(format!(
            "{} system{} ({}) come from a source that never asks what some rules need: {} finding{} in all are counted as not asked by the source, apart from gaps and open questions.",
            thousands(s.not_asked),
            if s.not_asked == 1 { "" } else { "s" },
            Share::of(s.not_asked, s.assessed).percent,
            thousands(s.not_asked_findings),
            if s.not_asked_findings == 1 { " is" } else { "s" },
        ));
    }
    out
}
