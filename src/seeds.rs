//! The policy texts the catalog encodes, embedded verbatim, and the quote check that ties
//! every rule to the exact sentence it comes from.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The seed index, `seeds/index.yaml`.
pub const INDEX: &str = crate::data::get("seeds/index.yaml");

/// The inventory of calls to action, `seeds/calls-to-action.yaml`.
pub const CALLS: &str = crate::data::get("seeds/calls-to-action.yaml");

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

/// The texts, by original file name: every `.txt` file in `seeds/`.
pub fn texts() -> impl Iterator<Item = (&'static str, &'static str)> {
    crate::data::folder("seeds").filter(|(name, _)| {
        std::path::Path::new(name)
            .extension()
            .is_some_and(|e| e == "txt")
    })
}

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

/// The documents listed in the seed index, read once; an index that does not read is an
/// error (built-in data is checked as a whole by `check::builtin`).
pub fn index() -> Result<&'static [SeedDocument], String> {
    static CELL: OnceLock<Result<Vec<SeedDocument>, String>> = OnceLock::new();
    read_once(&CELL, "seeds/index.yaml", INDEX, |i: Index| i.documents)
}

/// A list read from a built-in seed file, once per process.
fn read_once<T, F: serde::de::DeserializeOwned>(
    cell: &'static OnceLock<Result<Vec<T>, String>>,
    file: &str,
    text: &str,
    list: fn(F) -> Vec<T>,
) -> Result<&'static [T], String> {
    cell.get_or_init(|| {
        serde_saphyr::from_str::<F>(text)
            .map(list)
            .map_err(|e| format!("{file}: {e}"))
    })
    .as_ref()
    .map(Vec::as_slice)
    .map_err(Clone::clone)
}

/// The documents listed in the seed index ([`index`]), or none if it does not read.
pub fn documents() -> Vec<SeedDocument> {
    index().map(<[SeedDocument]>::to_vec).unwrap_or_default()
}

/// The text of a document by id.
pub fn text(document_id: &str) -> Option<&'static str> {
    let doc = documents().into_iter().find(|d| d.id == document_id)?;
    texts()
        .find(|(file, _)| *file == doc.file)
        .map(|(_, text)| text)
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
pub const FRAMEWORKS: &str = crate::data::get("seeds/frameworks.yaml");

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
    static CELL: OnceLock<Result<Vec<Framework>, String>> = OnceLock::new();
    read_once(
        &CELL,
        "seeds/frameworks.yaml",
        FRAMEWORKS,
        |f: FrameworkFile| f.frameworks,
    )
}

/// A framework by id.
pub fn framework(id: &str) -> Option<&'static Framework> {
    frameworks().ok()?.iter().find(|f| f.id == id)
}
