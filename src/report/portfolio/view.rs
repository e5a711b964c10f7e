//! What portfolio reports show, arranged for their readers: the JSON form (rule ids in
//! place of indices) and the context of the human templates (`templates/portfolio.*.j2`).
//!
//! Strings from descriptors have their control and bidirectional characters made visible
//! here; escaping for HTML or Markdown is the template engine's job.

use std::fmt::Write as _;

use serde::Serialize;

use super::super::RenderOptions;
use crate::assessment::{CatalogInfo, FailOn, ProfileInfo, ToolInfo, Verdict};
use crate::portfolio::{
    Answered, Cell, OrganisationTally, Portfolio, PortfolioSummary, RuleTally, SystemError,
    SystemRow, ThemeTally,
};
use crate::report::labels::{clean, humanize, thousands};
use crate::rules::Level;

/// How many of the most common gaps the human reports list.
pub const COMMON_GAPS: usize = 15;

/// How many of each organisation's most common gaps the reports list.
pub const ORGANISATION_GAPS: usize = 3;

/// What the reports call the systems whose descriptor names no deploying organisation.
pub const NO_ORGANISATION: &str = "(no organisation named)";

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
        map.serialize_entry("answered", &s.answered)?;
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
    /// Per deploying organisation, worst first (see [`Portfolio::organisations_worst_first`]).
    pub organisations: Vec<JsonOrganisation<'a>>,
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
            organisations: p
                .organisations_worst_first()
                .into_iter()
                .map(|o| JsonOrganisation::new(o, p))
                .collect(),
            systems: JsonSystems(p),
            errors: &p.errors,
        }
    }
}

/// One deploying organisation in the JSON report.
#[derive(Serialize)]
pub struct JsonOrganisation<'a> {
    /// Its name; `null` for the systems whose descriptor names none.
    pub name: Option<&'a str>,
    /// Systems.
    pub systems: u32,
    /// Systems rejected.
    pub reject: u32,
    /// Systems conditional.
    pub conditional: u32,
    /// Systems acceptable.
    pub acceptable: u32,
    /// Systems by impact level.
    pub levels: &'a std::collections::BTreeMap<Level, u32>,
    /// Fields the rules read that its sources ask, and how many it answered.
    pub fields: Answered,
    /// Gaps its answers show, over its systems.
    pub answered_gap: u32,
    /// Open questions (blank answers), over its systems.
    pub unknown: u32,
    /// Questions its source never asks, over its systems.
    pub not_asked: u32,
    /// Systems at or above the failure threshold.
    pub failing: u32,
    /// Its most common gaps (answered only), most systems first.
    pub common_gaps: Vec<JsonOrganisationGap<'a>>,
}

/// One of an organisation's most common gaps.
#[derive(Serialize)]
pub struct JsonOrganisationGap<'a> {
    /// Rule id.
    pub rule_id: &'a str,
    /// Its systems with the gap.
    pub systems: u32,
}

impl<'a> JsonOrganisation<'a> {
    fn new(o: &'a OrganisationTally, p: &'a Portfolio) -> Self {
        JsonOrganisation {
            name: o.name.as_deref(),
            systems: o.systems,
            reject: o.reject,
            conditional: o.conditional,
            acceptable: o.acceptable,
            levels: &o.levels,
            fields: o.fields,
            answered_gap: o.answered_gap,
            unknown: o.unknown,
            not_asked: o.not_asked,
            failing: o.failing,
            common_gaps: o
                .common_gaps(&p.rules, usize::MAX)
                .into_iter()
                .map(|(r, n)| JsonOrganisationGap {
                    rule_id: &r.rule_id,
                    systems: n,
                })
                .collect(),
        }
    }
}

/// `no system`, `1 system`, `1,234 systems`: a count with its noun, in words a reader
/// expects for zero and one.
pub fn count_of(n: u32, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {one}"),
        1 => format!("1 {one}"),
        n => format!("{} {many}", thousands(n)),
    }
}

/// The verb that agrees with a count: singular for none and one.
fn agree(n: u32, singular: &'static str, plural: &'static str) -> &'static str {
    if n <= 1 { singular } else { plural }
}

/// `no system of 5`, `1 system of 5 (20%)`.
fn failing_text(failing: u32, assessed: u32) -> String {
    if failing == 0 {
        format!("no system of {}", thousands(assessed))
    } else {
        format!(
            "{} of {} ({})",
            count_of(failing, "system", "systems"),
            thousands(assessed),
            Share::of(failing, assessed).percent
        )
    }
}

/// `1,234 in 456 systems (35%)`, `1 in 1 system (100%)`, or `none`.
fn in_systems(findings: u32, systems: u32, assessed: u32) -> String {
    if findings == 0 {
        return "none".to_string();
    }
    format!(
        "{} in {} ({})",
        thousands(findings),
        count_of(systems, "system", "systems"),
        Share::of(systems, assessed).percent
    )
}

/// `63% (12,345 of 19,500)` for answered fields; `nothing asked` when none is asked.
pub fn answered_text(a: Answered) -> String {
    if a.asked == 0 {
        return "nothing asked".to_string();
    }
    format!(
        "{} ({} of {})",
        Share::of(a.answered, a.asked).percent,
        thousands(a.answered),
        thousands(a.asked)
    )
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
    /// Systems it applies to whose source asks what it needs.
    pub asked: String,
    /// Systems whose answers show a gap, and their share of those asked.
    pub gap: Share,
    /// Systems where it is an open question (a blank answer), and their share of those
    /// asked.
    pub unknown: Share,
    /// Systems whose source never asks what it needs, and their share of those it
    /// applies to.
    pub not_asked: Share,
    /// One sentence on the rule's counts.
    pub sentence: String,
}

impl CommonGap {
    fn new(r: &RuleTally) -> CommonGap {
        CommonGap {
            rule_id: clean(&r.rule_id),
            title: clean(&r.title),
            theme: humanize(&r.theme),
            severity: r.severity.as_str().to_string(),
            severity_label: r.severity.label(),
            applies: thousands(r.applies),
            asked: thousands(r.applies - r.not_asked),
            gap: Share::of(r.answered_gap, r.applies - r.not_asked),
            unknown: Share::of(r.unknown, r.applies - r.not_asked),
            not_asked: Share::of(r.not_asked, r.applies),
            sentence: format!(
                "{}: the answers show a gap in {} of the {} asked it ({}); left blank in {}; never asked by the source in {}",
                clean(&r.title),
                thousands(r.answered_gap),
                count_of(r.applies - r.not_asked, "system", "systems"),
                Share::of(r.answered_gap, r.applies - r.not_asked).percent,
                count_of(r.unknown, "system", "systems"),
                count_of(r.not_asked, "system", "systems")
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

/// One deploying organisation's row.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationLine {
    /// Position in the list, from 1 (worst first).
    pub number: usize,
    /// Its name, or [`NO_ORGANISATION`].
    pub name: String,
    /// Whether the descriptors name it (false for [`NO_ORGANISATION`]).
    pub named: bool,
    /// Systems.
    pub systems: String,
    /// Systems rejected.
    pub reject: u32,
    /// Systems conditional.
    pub conditional: u32,
    /// Systems acceptable.
    pub acceptable: u32,
    /// Systems by level, highest first, e.g. `IV 2 · III 1`.
    pub levels: String,
    /// Fields answered of those its sources ask.
    pub answered: Share,
    /// The same as `63% (12 of 19)`, or `nothing asked`.
    pub answered_text: String,
    /// Gaps its answers show.
    pub gaps: String,
    /// Open questions (blank answers).
    pub unknown: String,
    /// Questions its source never asks.
    pub not_asked: String,
    /// Its most common gaps (answered only), e.g. `RC-OVS-001 (3)`.
    pub top_gaps: Vec<String>,
}

impl OrganisationLine {
    fn new(number: usize, o: &OrganisationTally, p: &Portfolio) -> OrganisationLine {
        let levels = Level::ALL
            .into_iter()
            .rev()
            .filter_map(|l| {
                let n = o.levels.get(&l).copied().unwrap_or(0);
                (n > 0).then(|| format!("{} {}", l.as_str(), thousands(n)))
            })
            .collect::<Vec<_>>()
            .join(" · ");
        OrganisationLine {
            number,
            name: o
                .name
                .as_deref()
                .map_or_else(|| NO_ORGANISATION.to_string(), clean),
            named: o.name.is_some(),
            systems: thousands(o.systems),
            reject: o.reject,
            conditional: o.conditional,
            acceptable: o.acceptable,
            levels,
            answered: Share::of(o.fields.answered, o.fields.asked),
            answered_text: answered_text(o.fields),
            gaps: thousands(o.answered_gap),
            unknown: thousands(o.unknown),
            not_asked: thousands(o.not_asked),
            top_gaps: o
                .common_gaps(&p.rules, ORGANISATION_GAPS)
                .into_iter()
                .map(|(r, n)| format!("{} ({})", clean(&r.rule_id), thousands(n)))
                .collect(),
        }
    }
}

/// The three kinds of finding an inventory's answers give, kept apart.
#[derive(Debug, Clone, Serialize)]
pub struct FindingKinds {
    /// Gaps the answers show.
    pub answered_gaps: String,
    /// Systems with at least one.
    pub answered_gap_systems: Share,
    /// Both in words, e.g. `1,234 in 456 systems (35%)`, or `none`.
    pub answered_gaps_text: String,
    /// Open questions: blank answers to what the source asks.
    pub open_questions: String,
    /// Systems with at least one.
    pub open_question_systems: Share,
    /// Both in words.
    pub open_questions_text: String,
    /// Questions the source never asks.
    pub not_asked: String,
    /// Systems with at least one.
    pub not_asked_systems: Share,
    /// Both in words.
    pub not_asked_text: String,
    /// Fields answered of those the sources ask, e.g. `63% (12,345 of 19,500)`.
    pub answered: String,
}

impl FindingKinds {
    fn new(s: &PortfolioSummary) -> FindingKinds {
        let assessed = s.assessed;
        FindingKinds {
            answered_gaps_text: in_systems(
                s.answered_gap_findings,
                s.answered_gap_systems,
                assessed,
            ),
            open_questions_text: in_systems(
                s.open_question_findings,
                s.open_question_systems,
                assessed,
            ),
            not_asked_text: in_systems(s.not_asked_findings, s.not_asked, assessed),
            answered_gaps: thousands(s.answered_gap_findings),
            answered_gap_systems: Share::of(s.answered_gap_systems, assessed),
            open_questions: thousands(s.open_question_findings),
            open_question_systems: Share::of(s.open_question_systems, assessed),
            not_asked: thousands(s.not_asked_findings),
            not_asked_systems: Share::of(s.not_asked, assessed),
            answered: answered_text(s.fields),
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
    pub tool: std::borrow::Cow<'static, str>,
    /// Tool version.
    pub tool_version: std::borrow::Cow<'static, str>,
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
    /// The same in words: `no system of 5`, `1 system of 5 (20%)`.
    pub failing_text: String,
    /// Count per verdict, worst first.
    pub verdicts: Vec<VerdictCount>,
    /// Count per impact level, highest first.
    pub levels: Vec<LevelCount>,
    /// The theme columns.
    pub themes: Vec<ThemeColumn>,
    /// The most common gaps.
    pub common_gaps: Vec<CommonGap>,
    /// Gaps, open questions and questions never asked, apart.
    pub findings: FindingKinds,
    /// Per deploying organisation, worst first (see
    /// [`Portfolio::organisations_worst_first`]).
    pub organisations: Vec<OrganisationLine>,
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

/// Every system's row, worst first (verdict, red lines, gaps, open questions, file),
/// made one at a time: the rows of a large portfolio are never all held at once.
pub fn system_lines(p: &Portfolio) -> impl Iterator<Item = SystemLine> + '_ {
    worst_first(p)
        .into_iter()
        .enumerate()
        .map(move |(i, row)| SystemLine::new(i + 1, row, p))
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
        let levels = Level::ALL
            .into_iter()
            .rev()
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
            failing_text: failing_text(s.failing, assessed),
            verdicts,
            levels,
            themes,
            common_gaps,
            findings: FindingKinds::new(s),
            organisations: p
                .organisations_worst_first()
                .into_iter()
                .enumerate()
                .map(|(i, o)| OrganisationLine::new(i + 1, o, p))
                .collect(),
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
                tool: p.tool.name.clone(),
                tool_version: p.tool.version.clone(),
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

/// The key findings in a few sentences: what was read; the verdicts; the gaps the answers
/// show, the questions left blank and the questions never asked, each apart; the gap the
/// answers show most often (or that there is none); how much of what the sources ask was
/// answered, and by whom least.
pub fn headlines(p: &Portfolio) -> Vec<String> {
    let s = &p.summary;
    let mut out = Vec::new();
    let mut first = format!(
        "{} read; {} assessed",
        count_of(s.descriptors, "descriptor", "descriptors"),
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
    let of_assessed = |n: u32| {
        if n == 0 {
            "No system".to_string()
        } else {
            format!(
                "{} ({} of {})",
                count_of(n, "system", "systems"),
                Share::of(n, s.assessed).percent,
                thousands(s.assessed)
            )
        }
    };
    let lower = |text: String| -> String {
        let mut chars = text.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    };
    out.push(format!(
        "{} {} a red line; {} {} high-severity safeguards or cannot show them yet (an open question, or one their source never asks); {} {} acceptable.",
        of_assessed(s.reject),
        agree(s.reject, "crosses", "cross"),
        lower(of_assessed(s.conditional)),
        agree(s.conditional, "lacks", "lack"),
        lower(of_assessed(s.acceptable)),
        agree(s.acceptable, "is", "are"),
    ));
    out.push(findings_sentence(s));
    out.push(most_common_gap_sentence(p));
    out.extend(answered_sentence(p));
    if s.no_organisation > 0 && s.organisations > 0 {
        out.push(format!(
            "{} no deploying organisation, and {} listed as {}.",
            if s.no_organisation == 1 {
                "1 system names".to_string()
            } else {
                format!("{} systems name", thousands(s.no_organisation))
            },
            agree(s.no_organisation, "is", "are"),
            NO_ORGANISATION
        ));
    }
    out
}

/// Gaps the answers show, questions left blank and questions never asked, apart.
fn findings_sentence(s: &PortfolioSummary) -> String {
    let gaps = if s.answered_gap_findings == 0 {
        "The answers show no gap".to_string()
    } else {
        format!(
            "The answers show {} in {}",
            count_of(s.answered_gap_findings, "gap", "gaps"),
            count_of(s.answered_gap_systems, "system", "systems")
        )
    };
    let blanks = if s.open_question_findings == 0 {
        "no question the sources ask was left blank".to_string()
    } else {
        format!(
            "{} the sources ask {} left blank in {} (open questions, to put to the deploying organisation)",
            count_of(s.open_question_findings, "question", "questions"),
            agree(s.open_question_findings, "was", "were"),
            count_of(s.open_question_systems, "system", "systems")
        )
    };
    let mut findings = format!("{gaps}; {blanks}");
    if s.not_asked_findings > 0 {
        let _ = write!(
            findings,
            "; {} in {} {} never asked by their source, and {} counted apart, never as a gap",
            count_of(s.not_asked_findings, "question", "questions"),
            count_of(s.not_asked, "system", "systems"),
            agree(s.not_asked_findings, "is", "are"),
            agree(s.not_asked_findings, "is", "are"),
        );
    }
    findings.push('.');
    findings
}

/// The gap the answers show most often, or that there is none.
fn most_common_gap_sentence(p: &Portfolio) -> String {
    match p.common_gaps(1).first().filter(|r| r.answered_gap > 0) {
        Some(top) => {
            let asked = top.applies - top.not_asked;
            format!(
                "The gap the answers show most often is {}, \u{201c}{}\u{201d}: in {} of the {} whose source asks it ({}).",
                clean(&top.rule_id),
                clean(&top.title),
                thousands(top.answered_gap),
                count_of(asked, "system", "systems"),
                Share::of(top.answered_gap, asked).percent
            )
        }
        None => "No answer shows a gap, so there is no most common gap.".to_string(),
    }
}

/// How much of what the sources ask is answered, and which organisation answered least.
fn answered_sentence(p: &Portfolio) -> Option<String> {
    let s = &p.summary;
    if s.fields.asked > 0 {
        let mut answered = format!(
            "Of the fields the rules read that the sources ask, {} are answered",
            answered_text(s.fields)
        );
        let named: Vec<&OrganisationTally> = p
            .organisations_worst_first()
            .into_iter()
            .filter(|o| o.name.is_some() && o.fields.asked > 0)
            .collect();
        if named.len() > 1 {
            let least = named
                .iter()
                .min_by_key(|o| (o.fields.per_mille().unwrap_or(0), o.name.clone()))
                .copied();
            if let Some(least) = least {
                let _ = write!(
                    answered,
                    "; of {} deploying organisations, {} answered least: {}",
                    thousands(s.organisations),
                    clean(least.name.as_deref().unwrap_or_default()),
                    answered_text(least.fields)
                );
            }
        }
        answered.push('.');
        Some(answered)
    } else {
        None
    }
}
