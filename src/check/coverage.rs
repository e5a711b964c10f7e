//! What the catalog covers: every call to action of the seed texts and every provision of
//! the crosswalked frameworks, with the rules that encode it, or why none does.

use serde::Serialize;

use crate::rules::{Catalog, Crosswalk};
use crate::seeds::{Call, Framework, Provision, framework, frameworks};
use crate::vocabulary::Relation;

/// How a call is accounted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallStatus {
    /// At least one rule encodes it.
    Covered,
    /// Explained as out of scope.
    OutOfScope,
    /// Neither: a hole in the catalog.
    NotCovered,
}

impl CallStatus {
    /// Covered when rules encode it; else out of scope when a reason is given; else
    /// neither.
    fn of(has_rules: bool, out_of_scope: Option<&str>) -> CallStatus {
        if has_rules {
            CallStatus::Covered
        } else if out_of_scope.is_some_and(|r| !r.trim().is_empty()) {
            CallStatus::OutOfScope
        } else {
            CallStatus::NotCovered
        }
    }
}

/// One row of the traceability matrix.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageRow {
    /// The call.
    #[serde(flatten)]
    pub call: Call,
    /// Rules that cite it (from the rules themselves).
    pub encoded_by: Vec<String>,
    /// How it is accounted for.
    pub status: CallStatus,
}

/// The traceability matrix: every call, with the rules that cite it or why none does.
pub fn coverage(catalog: &Catalog, calls: &[Call]) -> Vec<CoverageRow> {
    calls
        .iter()
        .map(|call| {
            let encoded_by: Vec<String> = catalog
                .rules()
                .iter()
                .filter(|r| r.sources.iter().any(|s| s.call == call.id))
                .map(|r| r.id.to_string())
                .collect();
            let status = CallStatus::of(!encoded_by.is_empty(), call.out_of_scope.as_deref());
            CoverageRow {
                call: call.clone(),
                encoded_by,
                status,
            }
        })
        .collect()
}

/// A rule crosswalked to a provision.
#[derive(Debug, Clone, Serialize)]
pub struct CheckedBy {
    /// The rule.
    pub rule_id: String,
    /// How the rule relates to the provision.
    pub relation: Relation,
}

/// One provision of a framework, with the rules crosswalked to it.
#[derive(Debug, Clone, Serialize)]
pub struct ProvisionRow {
    /// The provision.
    #[serde(flatten)]
    pub provision: Provision,
    /// The rules crosswalked to it, each with its relation.
    pub checked_by: Vec<CheckedBy>,
    /// Whether rules check it, it is out of scope, or neither.
    pub status: CallStatus,
}

/// Which provisions of a framework the catalog checks, and which it does not and why.
pub fn framework_coverage(catalog: &Catalog, framework: &Framework) -> Vec<ProvisionRow> {
    framework
        .provisions
        .iter()
        .map(|p| {
            let checked_by: Vec<CheckedBy> = catalog
                .rules()
                .iter()
                .flat_map(|r| {
                    r.crosswalk
                        .iter()
                        .filter(|c| c.framework == framework.id && c.provision == p.id)
                        .map(|c| CheckedBy {
                            rule_id: r.id.to_string(),
                            relation: c.relation,
                        })
                })
                .collect();
            let status = CallStatus::of(!checked_by.is_empty(), p.out_of_scope.as_deref());
            ProvisionRow {
                provision: p.clone(),
                checked_by,
                status,
            }
        })
        .collect()
}

/// What is wrong with a crosswalk: an unknown framework or provision, or one the
/// reference could not confirm.
pub fn check_crosswalk(c: &Crosswalk) -> Option<String> {
    let Some(framework) = framework(&c.framework) else {
        let known: Vec<String> = frameworks()
            .unwrap_or_default()
            .iter()
            .map(|f| f.id.clone())
            .collect();
        return Some(format!(
            "crosswalks to framework `{}`, which is not in seeds/frameworks.yaml (known: {})",
            c.framework,
            known.join(", ")
        ));
    };
    match framework.provisions.iter().find(|p| p.id == c.provision) {
        None => Some(format!(
            "crosswalks to `{}` of `{}`, which the framework file does not list",
            c.provision, c.framework
        )),
        Some(p) if p.unverified => Some(format!(
            "crosswalks to `{}` of `{}`, which the reference marks unverified",
            c.provision, c.framework
        )),
        Some(_) => None,
    }
}
