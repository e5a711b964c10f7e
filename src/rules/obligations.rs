//! What each impact level asks of a system: its points, what puts a system there, and the
//! rules that start to apply or weigh more at it. Built from the level model and the
//! catalog, never written by hand, so that `rightscheck rules levels` and the README's
//! table (checked against it by a test) cannot drift from the rules.

use std::fmt::Write as _;

use serde::Serialize;

use super::level::Level;
use super::{Catalog, Severity};

/// One rule as a level's obligation.
#[derive(Debug, Clone, Serialize)]
pub struct Obligation {
    /// Rule id.
    pub rule_id: String,
    /// Title.
    pub title: String,
    /// Severity at this level.
    pub severity: Severity,
}

/// One impact level and what it asks.
#[derive(Debug, Clone, Serialize)]
pub struct LevelObligations {
    /// `I` to `IV`.
    pub level: Level,
    /// Its name, e.g. `high impact`.
    pub name: String,
    /// The points from which a system has it.
    pub from_points: u32,
    /// The most points a system at it can have.
    pub to_points: u32,
    /// What it means, in one sentence.
    pub means: String,
    /// Facts that put a system at this level at least, whatever its points.
    pub floors: Vec<String>,
    /// Rules that apply from this level up (none apply below it).
    pub starts: Vec<Obligation>,
    /// Rules that already applied and weigh more from this level.
    pub raised: Vec<Obligation>,
    /// Rules (red lines aside) that apply at this level, when their conditions hold.
    pub rules: usize,
    /// Of those, the ones whose gap makes the verdict at best `conditional` (high).
    pub high: usize,
}

/// The levels, lowest first, with their obligations.
pub fn by_level(catalog: &Catalog) -> Vec<LevelObligations> {
    let model = &catalog.level_model;
    let max = model.max_points();
    model
        .levels
        .iter()
        .enumerate()
        .map(|(i, def)| {
            let level = def.level;
            let to_points = model
                .levels
                .get(i + 1)
                .map_or(max, |next| next.from_points.saturating_sub(1));
            let lower = (i > 0).then(|| model.levels[i - 1].level);
            let applies = |from: Option<Level>| from.is_none_or(|f| f <= level);
            let mut starts = Vec::new();
            let mut raised = Vec::new();
            let mut rules = 0;
            let mut high = 0;
            for rule in catalog.rules() {
                if rule.severity.is_blocker() || !applies(rule.applies_from) {
                    continue;
                }
                let severity = rule.severity.at(level);
                rules += 1;
                if severity >= Severity::High {
                    high += 1;
                }
                let obligation = || Obligation {
                    rule_id: rule.id.to_string(),
                    title: rule.title.to_string(),
                    severity,
                };
                if rule.applies_from == Some(level) && level != Level::I {
                    starts.push(obligation());
                } else if let Some(lower) = lower
                    && rule.applies_from.is_none_or(|f| f <= lower)
                    && severity > rule.severity.at(lower)
                {
                    raised.push(obligation());
                }
            }
            LevelObligations {
                level,
                name: def.name.to_string(),
                from_points: def.from_points,
                to_points,
                means: def.means.to_string(),
                floors: model
                    .floors
                    .iter()
                    .filter(|f| f.level == level)
                    .map(|f| f.reason.to_string())
                    .collect(),
                starts,
                raised,
                rules,
                high,
            }
        })
        .collect()
}

/// The levels as a Markdown table, then the rules each level adds or raises.
pub fn to_markdown(levels: &[LevelObligations]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::from(
        "| level | points | what it means | at least this level, whatever the points | rules that apply (high or above) |\n|---|---|---|---|---|\n",
    );
    for l in levels {
        let floors = if l.floors.is_empty() {
            "–".to_string()
        } else {
            l.floors
                .iter()
                .map(|f| cell(f))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let _ = writeln!(
            out,
            "| {} ({}) | {}–{} | {} | {} | {} ({}) |",
            l.level.as_str(),
            cell(&l.name),
            l.from_points,
            l.to_points,
            cell(&l.means),
            floors,
            l.rules,
            l.high
        );
    }
    for l in levels {
        if l.starts.is_empty() && l.raised.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\nFrom level {}:\n", l.level.as_str());
        for o in &l.starts {
            let _ = writeln!(
                out,
                "- {} ({}) starts to apply: {}",
                o.rule_id,
                o.severity.as_str(),
                cell(&o.title)
            );
        }
        if !l.raised.is_empty() {
            let raised: Vec<String> = l
                .raised
                .iter()
                .map(|o| format!("{} ({})", o.rule_id, o.severity.as_str()))
                .collect();
            let _ = writeln!(out, "- weigh more: {}", raised.join(", "));
        }
    }
    out
}

/// The rules each level adds or raises, for the terminal: a line per rule.
pub fn changes_as_text(levels: &[LevelObligations]) -> String {
    let mut out = String::new();
    for l in levels
        .iter()
        .filter(|l| !l.starts.is_empty() || !l.raised.is_empty())
    {
        let _ = writeln!(out, "\nFrom level {}:", l.level.as_str());
        for o in &l.starts {
            let _ = writeln!(
                out,
                "  {} ({}) starts to apply: {}",
                o.rule_id, o.severity, o.title
            );
        }
        for o in &l.raised {
            let _ = writeln!(
                out,
                "  {} weighs more ({}): {}",
                o.rule_id, o.severity, o.title
            );
        }
    }
    out
}
