//! The risk-tier model: factors (HUDERIA's context, scale, scope, reversibility and
//! probability of harm) written as conditions in `rules/tiers/risk-tier.yaml`, each adding
//! points or setting a floor, and the point thresholds of each tier.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::RuleError;
use super::condition::{Compiler, Condition};
use crate::document::{Document, Format};

/// The built-in tier model file.
pub const BUILTIN_PATH: &str = "tiers/risk-tier.yaml";

/// Risk tier, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Little potential for harm to people's rights.
    Minimal,
    /// Some potential for harm; transparency and basic safeguards expected.
    Limited,
    /// Significant potential for harm; the full set of safeguards, with evidence.
    High,
    /// A use the sources call to refrain from or ban.
    Unacceptable,
}

impl Tier {
    /// The lower-case name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Minimal => "minimal",
            Tier::Limited => "limited",
            Tier::High => "high",
            Tier::Unacceptable => "unacceptable",
        }
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which HUDERIA-style severity factor a tier factor measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FactorKind {
    /// Context of use.
    Context,
    /// Groups affected.
    Groups,
    /// What the system can do.
    Capabilities,
    /// How grave the harm can be.
    Scale,
    /// How many people.
    Scope,
    /// Whether harm can be undone.
    Reversibility,
    /// How likely harm is.
    Probability,
}

/// One factor of the model.
#[derive(Debug, Clone)]
pub struct Factor {
    /// Stable id.
    pub id: String,
    /// Which factor it measures.
    pub kind: FactorKind,
    /// Why it raises the tier, in plain words.
    pub reason: String,
    /// Points it adds when it holds.
    pub points: u32,
    /// Tier the system has at least when it holds.
    pub floor: Option<Tier>,
    /// When it holds.
    pub when: Condition,
}

/// Points needed for each tier.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Points from which a system is `limited`.
    pub limited: u32,
    /// Points from which a system is `high`.
    pub high: u32,
}

/// The whole model.
#[derive(Debug, Clone)]
pub struct TierModel {
    /// Point thresholds.
    pub thresholds: Thresholds,
    /// Factors, in file order.
    pub factors: Vec<Factor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    thresholds: Thresholds,
    factors: Vec<RawFactor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFactor {
    id: String,
    factor: FactorKind,
    reason: String,
    #[serde(default)]
    points: u32,
    #[serde(default)]
    tier: Option<Tier>,
    when: Value,
}

impl TierModel {
    /// Reads a tier model file.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<TierModel, RuleError> {
        let doc = Document::from_bytes(name, bytes, Format::from_name(name))
            .map_err(|e| RuleError::Invalid(vec![e.to_string()]))?;
        let raw: RawModel = serde_json::from_value(doc.value.clone())
            .map_err(|e| RuleError::Invalid(vec![format!("{name}: {e}")]))?;
        let mut problems = Vec::new();
        let mut factors = Vec::new();
        for (idx, f) in raw.factors.into_iter().enumerate() {
            if f.points == 0 && f.tier.is_none() {
                problems.push(format!(
                    "{name}: factor `{}` neither adds points nor sets a tier",
                    f.id
                ));
            }
            let before = problems.len();
            let condition = Compiler {
                doc: &doc,
                problems: &mut problems,
                rule_id: &f.id,
            }
            .compile(&f.when, &format!("/factors/{idx}/when"));
            if condition.is_none() && problems.len() == before {
                problems.push(format!(
                    "{name}: factor `{}`: `when` must be a condition (all, any, not, or a field with one test)",
                    f.id
                ));
            }
            if let Some(when) = condition {
                factors.push(Factor {
                    id: f.id,
                    kind: f.factor,
                    reason: f.reason,
                    points: f.points,
                    floor: f.tier,
                    when,
                });
            }
        }
        if raw.thresholds.limited > raw.thresholds.high {
            problems.push(format!(
                "{name}: the `limited` threshold is above the `high` one"
            ));
        }
        if problems.is_empty() {
            Ok(TierModel {
                thresholds: raw.thresholds,
                factors,
            })
        } else {
            Err(RuleError::Invalid(problems))
        }
    }

    /// The tier that a number of points and a floor give.
    pub fn tier_for(&self, points: u32, floor: Option<Tier>) -> Tier {
        let by_points = if points >= self.thresholds.high {
            Tier::High
        } else if points >= self.thresholds.limited {
            Tier::Limited
        } else {
            Tier::Minimal
        };
        floor.map_or(by_points, |f| f.max(by_points))
    }
}
