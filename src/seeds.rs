//! The policy texts the catalog encodes, embedded verbatim, and the quote check that ties
//! every rule to the exact sentence it comes from.

use serde::{Deserialize, Serialize};

use crate::rules::Catalog;

/// The seed index, `seeds/index.yaml`.
pub const INDEX: &str = include_str!("../seeds/index.yaml");

/// The inventory of calls to action, `seeds/calls-to-action.yaml`.
pub const CALLS: &str = include_str!("../seeds/calls-to-action.yaml");

/// One call to action or recommendation in a source document.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    /// Stable id, e.g. `FOC20-01`.
    pub id: String,
    /// Document id.
    pub document: String,
    /// The call, verbatim.
    pub text: String,
    /// Whom it addresses.
    #[serde(default)]
    pub addressees: Vec<String>,
    /// Rules that encode it, as the inventory lists them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<String>>,
    /// Why no rule about a system can check it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_scope: Option<String>,
}

#[derive(Deserialize)]
struct CallFile {
    calls: Vec<Call>,
}

/// The inventory of calls to action.
pub fn calls() -> Result<Vec<Call>, String> {
    serde_saphyr::from_str::<CallFile>(CALLS)
        .map(|f| f.calls)
        .map_err(|e| format!("seeds/calls-to-action.yaml: {e}"))
}

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
                .map(|r| r.id.clone())
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

/// The texts, by original file name.
pub const TEXTS: &[(&str, &str)] = &[
    (
        "000_98187dd24184560a.txt",
        include_str!("../seeds/000_98187dd24184560a.txt"),
    ),
    (
        "001_3454945f76917e0e.txt",
        include_str!("../seeds/001_3454945f76917e0e.txt"),
    ),
    (
        "002_ec5a69897a079ff0.txt",
        include_str!("../seeds/002_ec5a69897a079ff0.txt"),
    ),
    (
        "003_14bca144d99ac3ca.txt",
        include_str!("../seeds/003_14bca144d99ac3ca.txt"),
    ),
    (
        "004_3759829afb9b5884.txt",
        include_str!("../seeds/004_3759829afb9b5884.txt"),
    ),
];

/// One source document.
#[derive(Debug, Clone, Deserialize)]
pub struct SeedDocument {
    /// Short id that rules cite, e.g. `foc-2020`.
    pub id: String,
    /// Full title.
    pub title: String,
    /// Who issued it.
    pub issuer: String,
    /// Year of issue.
    pub year: u16,
    /// Original file name in `seeds/`.
    pub file: String,
}

#[derive(Deserialize)]
struct Index {
    documents: Vec<SeedDocument>,
}

/// The documents listed in the seed index.
pub fn documents() -> Vec<SeedDocument> {
    serde_saphyr::from_str::<Index>(INDEX)
        .map(|i| i.documents)
        .unwrap_or_default()
}

/// The text of a document by id.
pub fn text(document_id: &str) -> Option<&'static str> {
    let doc = documents().into_iter().find(|d| d.id == document_id)?;
    TEXTS
        .iter()
        .find(|(file, _)| *file == doc.file)
        .map(|(_, text)| *text)
}

/// Collapses every run of whitespace to one space and trims the ends.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes footnote markers: digits glued to the end of a word or punctuation mark
/// (`law.3`, `rights”12`), which PDF extraction leaves inside sentences.
fn drop_footnote_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let glued = prev.is_some_and(|p| {
            p.is_alphabetic() || matches!(p, '.' | ',' | ';' | ':' | '”' | '"' | ')' | '’')
        });
        if c.is_ascii_digit() && glued {
            // Skip the whole digit run; keep what follows.
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// Whether `quote` appears verbatim in `text`, comparing with whitespace collapsed and,
/// failing that, with footnote digits glued to words removed from both. Nothing looser.
pub fn contains_quote(text: &str, quote: &str) -> bool {
    let text = collapse_whitespace(text);
    let quote = collapse_whitespace(quote);
    if quote.is_empty() {
        return false;
    }
    text.contains(&quote) || drop_footnote_digits(&text).contains(&drop_footnote_digits(&quote))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_footnotes_only() {
        let text = "States should  refrain\n\nfrom the use of AI,3 including";
        assert!(contains_quote(
            text,
            "States should refrain from the use of AI, including"
        ));
        assert!(contains_quote(
            text,
            "refrain from the use of AI,3 including"
        ));
        assert!(!contains_quote(text, "States should refrain from using AI"));
        assert!(!contains_quote(text, "states should refrain"));
        assert!(!contains_quote(text, "   "));
    }

    #[test]
    fn every_indexed_document_has_its_text() {
        let docs = documents();
        assert_eq!(docs.len(), 5);
        for doc in docs {
            assert!(text(&doc.id).is_some_and(|t| t.len() > 1000), "{}", doc.id);
        }
    }
}

/// The frameworks rules are crosswalked to, as shipped in `seeds/frameworks.yaml`.
pub const FRAMEWORKS: &str = include_str!("../seeds/frameworks.yaml");

/// A framework rules may be crosswalked to.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Stable id, e.g. `eu-ai-act`.
    pub id: String,
    /// Full title.
    pub title: String,
    /// Short name for reports, e.g. `EU AI Act`.
    pub short: String,
    /// Whether every provision is listed, so that coverage can say what is not checked.
    pub complete: bool,
    /// Its provisions.
    pub provisions: Vec<Provision>,
}

/// One provision of a framework.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    /// As rules cite it, e.g. `Art. 14` or `GOVERN 1.7`.
    pub id: String,
    /// What it says, in a few words (a paraphrase, not a quote).
    pub title: String,
    /// Why no rule about a system, its vendor or its deployer can check it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_scope: Option<String>,
    /// The reference it was taken from could not confirm it: no rule may rest on it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
}

#[derive(Deserialize)]
struct FrameworkFile {
    frameworks: Vec<Framework>,
}

/// Every framework, in file order.
pub fn frameworks() -> Result<&'static [Framework], String> {
    static CELL: std::sync::OnceLock<Result<Vec<Framework>, String>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        serde_saphyr::from_str::<FrameworkFile>(FRAMEWORKS)
            .map(|f| f.frameworks)
            .map_err(|e| format!("seeds/frameworks.yaml: {e}"))
    })
    .as_ref()
    .map(Vec::as_slice)
    .map_err(Clone::clone)
}

/// A framework by id.
pub fn framework(id: &str) -> Option<&'static Framework> {
    frameworks().ok()?.iter().find(|f| f.id == id)
}

/// A rule crosswalked to a provision.
#[derive(Debug, Clone, Serialize)]
pub struct CheckedBy {
    /// The rule.
    pub rule_id: String,
    /// How the rule relates to the provision.
    pub relation: crate::rules::Relation,
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
                            rule_id: r.id.clone(),
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
pub fn check_crosswalk(c: &crate::rules::Crosswalk) -> Option<String> {
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
