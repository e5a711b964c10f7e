//! The impact-level model: HUDERIA's severity variables (scale, scope, reversibility and
//! probability of harm, in their context) scored from descriptor facts, combined into
//! points and levels I to IV as in Canada's Algorithmic Impact Assessment, with its
//! mitigation reduction and a few floors. The model is data, in
//! `rules/tiers/risk-level.yaml`; this module reads and checks it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::RuleError;
use super::condition::{Compiler, Condition};
use crate::document::{Document, Format};
pub use crate::vocabulary::Level;
use crate::vocabulary::Text;

/// The built-in model file, relative to `rules/`.
pub const BUILTIN_PATH: &str = "tiers/risk-level.yaml";

/// How a variable combines the factors that hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    /// The highest score among them.
    Highest,
    /// Their sum, up to the variable's maximum.
    Sum,
}

/// One impact level as the model defines it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelDef {
    /// `I` to `IV`.
    pub level: Level,
    /// Its name, e.g. `high impact`.
    pub name: Text,
    /// The points from which a system has this level.
    pub from_points: u32,
    /// What the level means, in one sentence.
    pub means: Text,
}

/// A fact that gives a variable a score.
#[derive(Debug, Clone)]
pub struct Factor {
    /// Stable id.
    pub id: Text,
    /// Why it scores, in plain words.
    pub reason: Text,
    /// The score it gives when it holds.
    pub score: u32,
    /// A higher score it could stand for, which raises only the highest possible level:
    /// for a fact that says something was never assessed.
    pub could_reach: Option<u32>,
    /// When it holds.
    pub when: Condition,
}

/// One of HUDERIA's variables.
#[derive(Debug, Clone)]
pub struct Variable {
    /// `scale`, `scope`, `reversibility`, `probability` or `context`.
    pub id: Text,
    /// Its name in reports.
    pub name: Text,
    /// The question it answers.
    pub question: Text,
    /// Points per unit of score.
    pub weight: u32,
    /// How its factors combine.
    pub combine: Combine,
    /// The score when no factor holds and none is unknown.
    pub base: u32,
    /// The score when no factor holds but some are unknown.
    pub if_unknown: u32,
    /// The highest score it can have.
    pub max: u32,
    /// Its factors, in file order.
    pub factors: Vec<Factor>,
}

/// A safeguard that counts toward the mitigation reduction.
#[derive(Debug, Clone)]
pub struct Measure {
    /// Stable id.
    pub id: Text,
    /// What is in place, in plain words.
    pub reason: Text,
    /// When it is in place.
    pub when: Condition,
}

/// The AIA's mitigation reduction.
#[derive(Debug, Clone)]
pub struct Mitigation {
    /// The share of measures (0 to 1) that must be in place.
    pub share: f64,
    /// The share of points removed (0 to 1) when they are.
    pub reduction: f64,
    /// The measures.
    pub measures: Vec<Measure>,
}

impl Mitigation {
    /// How many measures must be in place for the reduction.
    pub fn needed(&self) -> usize {
        let total = f64::from(u32::try_from(self.measures.len()).unwrap_or(u32::MAX));
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a small positive count"
        )]
        let needed = (self.share * total).ceil() as usize;
        needed.max(1)
    }

    /// The points after the reduction, rounded half up as the AIA does.
    pub fn reduce(&self, points: u32) -> u32 {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a small positive number of points"
        )]
        let reduced = (f64::from(points) * (1.0 - self.reduction)).round() as u32;
        reduced
    }
}

/// A fact that sets a minimum level on its own.
#[derive(Debug, Clone)]
pub struct Floor {
    /// Stable id.
    pub id: Text,
    /// The level the system has at least.
    pub level: Level,
    /// Why, in plain words.
    pub reason: Text,
    /// When it holds.
    pub when: Condition,
}

/// The whole model.
#[derive(Debug, Clone)]
pub struct LevelModel {
    /// Levels I to IV, in order.
    pub levels: Vec<LevelDef>,
    /// The variables, in file order.
    pub variables: Vec<Variable>,
    /// The mitigation reduction, if the model has one.
    pub mitigation: Option<Mitigation>,
    /// The floors.
    pub floors: Vec<Floor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    levels: Vec<LevelDef>,
    variables: Vec<RawVariable>,
    #[serde(default)]
    mitigation: Option<RawMitigation>,
    #[serde(default)]
    floors: Vec<RawFloor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariable {
    id: String,
    name: String,
    question: String,
    weight: u32,
    combine: Combine,
    base: u32,
    if_unknown: u32,
    #[serde(default)]
    max: Option<u32>,
    factors: Vec<RawFactor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFactor {
    id: String,
    score: u32,
    #[serde(default)]
    could_reach: Option<u32>,
    reason: String,
    when: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMitigation {
    share: f64,
    reduction: f64,
    measures: Vec<RawMeasure>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    id: String,
    reason: String,
    when: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFloor {
    id: String,
    level: Level,
    reason: String,
    when: Value,
}

/// Reads a model file's parts, collecting every problem.
struct Reader<'a> {
    name: &'a str,
    doc: &'a Document,
    problems: Vec<String>,
}

impl Reader<'_> {
    /// Compiles a `when` condition against the descriptor schema.
    fn condition(&mut self, id: &str, when: &Value, pointer: &str) -> Option<Condition> {
        let before = self.problems.len();
        let condition =
            Compiler::new(self.doc, &mut self.problems, id, false).compile(when, pointer);
        if condition.is_none() && self.problems.len() == before {
            self.problems.push(format!(
                "{}: `{id}`: `when` must be a condition (all, any, not, or a field with one test)",
                self.name
            ));
        }
        condition
    }

    fn variable(&mut self, index: usize, v: RawVariable) -> Variable {
        let name = self.name;
        let highest = v.factors.iter().map(|f| f.score).max().unwrap_or(0);
        let max = v.max.unwrap_or(highest.max(v.base).max(v.if_unknown));
        if v.weight == 0 {
            self.problems
                .push(format!("{name}: variable `{}` has weight 0", v.id));
        }
        let mut factors = Vec::with_capacity(v.factors.len());
        for (i, f) in v.factors.into_iter().enumerate() {
            if f.score == 0 {
                self.problems
                    .push(format!("{name}: factor `{}` scores 0", f.id));
            }
            if f.score > max || f.could_reach.is_some_and(|c| c > max || c < f.score) {
                self.problems.push(format!(
                    "{name}: factor `{}` scores beyond its variable's maximum of {max}, or `could_reach` is below its score",
                    f.id
                ));
            }
            let pointer = format!("/variables/{index}/factors/{i}/when");
            if let Some(when) = self.condition(&f.id, &f.when, &pointer) {
                factors.push(Factor {
                    id: f.id.into(),
                    reason: f.reason.into(),
                    score: f.score,
                    could_reach: f.could_reach,
                    when,
                });
            }
        }
        Variable {
            id: v.id.into(),
            name: v.name.into(),
            question: v.question.into(),
            weight: v.weight,
            combine: v.combine,
            base: v.base,
            if_unknown: v.if_unknown,
            max,
            factors,
        }
    }

    fn mitigation(&mut self, m: RawMitigation) -> Mitigation {
        if !(m.share > 0.0 && m.share <= 1.0 && (0.0..1.0).contains(&m.reduction)) {
            self.problems.push(format!(
                "{}: mitigation `share` must be above 0 and at most 1, and `reduction` at least 0 and below 1",
                self.name
            ));
        }
        let measures = m
            .measures
            .into_iter()
            .enumerate()
            .filter_map(|(i, measure)| {
                let pointer = format!("/mitigation/measures/{i}/when");
                self.condition(&measure.id, &measure.when, &pointer)
                    .map(|when| Measure {
                        id: measure.id.into(),
                        reason: measure.reason.into(),
                        when,
                    })
            })
            .collect();
        Mitigation {
            share: m.share,
            reduction: m.reduction,
            measures,
        }
    }

    fn floor(&mut self, index: usize, f: RawFloor) -> Option<Floor> {
        if f.level == Level::Prohibited {
            self.problems.push(format!(
                "{}: floor `{}`: `prohibited` comes from red-line rules, not from a floor",
                self.name, f.id
            ));
        }
        let when = self.condition(&f.id, &f.when, &format!("/floors/{index}/when"))?;
        Some(Floor {
            id: f.id.into(),
            level: f.level,
            reason: f.reason.into(),
            when,
        })
    }
}

impl LevelModel {
    /// Reads and checks a model file.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<LevelModel, RuleError> {
        let doc = Document::from_bytes(name, bytes, Format::from_name(name))
            .map_err(|e| RuleError::Invalid(vec![e.to_string()]))?;
        LevelModel::from_document(name, &doc)
    }

    /// Reads a level model from a document already parsed.
    pub fn from_document(name: &str, doc: &Document) -> Result<LevelModel, RuleError> {
        let raw = RawModel::deserialize(&doc.value)
            .map_err(|e| RuleError::Invalid(vec![format!("{name}: {e}")]))?;
        let mut reader = Reader {
            name,
            doc,
            problems: Vec::new(),
        };
        check_levels(name, &raw.levels, &mut reader.problems);
        let variables = raw
            .variables
            .into_iter()
            .enumerate()
            .map(|(i, v)| reader.variable(i, v))
            .collect();
        let mitigation = raw.mitigation.map(|m| reader.mitigation(m));
        let floors = raw
            .floors
            .into_iter()
            .enumerate()
            .filter_map(|(i, f)| reader.floor(i, f))
            .collect();
        if reader.problems.is_empty() {
            Ok(LevelModel {
                levels: raw.levels,
                variables,
                mitigation,
                floors,
            })
        } else {
            Err(RuleError::Invalid(reader.problems))
        }
    }

    /// The most points a system can have.
    pub fn max_points(&self) -> u32 {
        self.variables.iter().map(|v| v.weight * v.max).sum()
    }

    /// The fewest points a system can have: every variable at its base.
    pub fn min_points(&self) -> u32 {
        self.variables.iter().map(|v| v.weight * v.base).sum()
    }

    /// The level a number of points gives.
    pub fn level_for(&self, points: u32) -> Level {
        self.levels
            .iter()
            .rev()
            .find(|l| points >= l.from_points)
            .map_or(Level::I, |l| l.level)
    }

    /// The definition of an impact level (`prohibited` has none).
    pub fn def(&self, level: Level) -> Option<&LevelDef> {
        self.levels.iter().find(|l| l.level == level)
    }

    /// The name of a level: `high impact`, or for `prohibited`, `crosses a red line`.
    pub fn name(&self, level: Level) -> &str {
        match self.def(level) {
            Some(d) => &d.name,
            None => "crosses a red line",
        }
    }
}

/// Levels I to IV, in order, from 0 points, each from more points than the last.
fn check_levels(name: &str, levels: &[LevelDef], problems: &mut Vec<String>) {
    let ids: Vec<Level> = levels.iter().map(|l| l.level).collect();
    if ids != Level::IMPACT {
        problems.push(format!(
            "{name}: `levels` must define I, II, III and IV, in that order"
        ));
        return;
    }
    if levels[0].from_points != 0 {
        problems.push(format!("{name}: level I must start from 0 points"));
    }
    if levels
        .windows(2)
        .any(|w| w[1].from_points <= w[0].from_points)
    {
        problems.push(format!(
            "{name}: each level must start from more points than the one below"
        ));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn the_built_in_levels_are_the_aia_quartiles_of_the_range_of_points() {
        let model = &crate::rules::Catalog::builtin().unwrap().level_model;
        let (min, max) = (model.min_points(), model.max_points());
        assert_eq!((min, max), (3, 24));
        for (i, level) in model.levels.iter().enumerate() {
            // Up to a quarter of the way from the fewest to the most points is I, up to
            // half II, up to three quarters III, beyond IV: each level starts at the first
            // whole point past its quarter.
            let quarter =
                f64::from(min) + f64::from(max - min) * f64::from(u32::try_from(i).unwrap()) / 4.0;
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "small"
            )]
            let start = if i == 0 {
                0
            } else {
                quarter.floor() as u32 + 1
            };
            assert_eq!(level.from_points, start, "level {}", level.level);
        }
    }

    #[test]
    fn the_reduction_rounds_as_the_aia_does() {
        let m = Mitigation {
            share: 0.8,
            reduction: 0.15,
            measures: Vec::new(),
        };
        assert_eq!(m.reduce(13), 11);
        assert_eq!(m.reduce(12), 10);
        assert_eq!(m.reduce(19), 16);
        assert_eq!(m.reduce(0), 0);
    }

    #[test]
    fn a_model_that_skips_a_level_is_refused() {
        let text = "levels:\n  - {level: I, name: a, from_points: 0, means: x}\n  - {level: III, name: b, from_points: 5, means: y}\nvariables: []\n";
        let err = LevelModel::from_bytes("m.yaml", text.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("I, II, III and IV"), "{err}");
    }
}
