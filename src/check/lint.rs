//! Static checks of a rule pack, without running it: the pack loads (format, fields,
//! values), every source is a known document, every quote is verbatim in it, every call is
//! in the inventory, every crosswalk names a known provision, and every rule has a passing
//! and a failing fixture and a counter-example on each side of its boundary.

use std::path::Path;

use super::coverage::check_crosswalk;
use super::fixtures::expected_outcome;
use crate::assessment::Outcome;
use crate::rules::{Catalog, RuleError};
use crate::seeds;

/// Lints the pack in `dir`. Returns one located message per problem (empty when clean);
/// an error only when the folder cannot be read at all.
pub fn lint_dir(dir: &Path) -> Result<Vec<String>, RuleError> {
    let catalog = match Catalog::from_dir(dir) {
        Ok(c) => c,
        Err(RuleError::Invalid(problems)) => return Ok(problems),
        Err(e @ (RuleError::Io { .. } | RuleError::Read(_) | RuleError::EmptyPack { .. })) => {
            return Err(e);
        }
        Err(e) => return Ok(vec![e.to_string()]),
    };
    Ok(lint(&catalog, Some(dir)))
}

/// Lints a loaded catalog; fixtures are looked for in `dir/fixtures` when a folder is given.
pub fn lint(catalog: &Catalog, dir: Option<&Path>) -> Vec<String> {
    let mut problems = Vec::new();
    // The seed files are built in: if they do not read, say so rather than report every
    // source as unknown.
    if let Err(err) = crate::check::builtin::check() {
        problems.push(err.to_string());
        return problems;
    }
    let documents = seeds::index().unwrap_or_default();
    let calls = seeds::calls().unwrap_or_default();
    for rule in catalog.rules() {
        let at = format!(
            "{}:{}:{}: rule `{}`",
            rule.file, rule.position.line, rule.position.column, rule.id
        );
        for c in rule.crosswalk.iter() {
            if let Some(problem) = check_crosswalk(c) {
                problems.push(format!("{at}: {problem}"));
            }
        }
        for source in rule.sources.iter() {
            let Some(text) = seeds::text(&source.document) else {
                let known: Vec<&str> = documents.iter().map(|d| d.id.as_str()).collect();
                problems.push(format!(
                    "{at}: cites document `{}`, which is not in seeds/index.yaml (known: {})",
                    source.document,
                    known.join(", ")
                ));
                continue;
            };
            if !seeds::contains_quote(text, &source.quote) {
                problems.push(format!(
                    "{at}: the quote is not verbatim in `{}`: \"{}\"",
                    source.document,
                    source.quote.trim()
                ));
            }
            match calls.iter().find(|c| c.id == source.call) {
                None => problems.push(format!(
                    "{at}: cites call `{}`, which is not in seeds/calls-to-action.yaml",
                    source.call
                )),
                Some(call) if call.document != source.document => problems.push(format!(
                    "{at}: call `{}` belongs to `{}`, not `{}`",
                    source.call, call.document, source.document
                )),
                Some(_) => {}
            }
        }
        if let Some(dir) = dir {
            let names: Vec<String> = std::fs::read_dir(dir.join("fixtures").join(&rule.id))
                .map(|entries| {
                    entries
                        .flatten()
                        .map(|e| e.file_name().to_string_lossy().to_string())
                        .collect()
                })
                .unwrap_or_default();
            for (outcome, name) in [(Outcome::Pass, "pass"), (Outcome::Gap, "gap")] {
                if !names.iter().any(|n| expected_outcome(n) == Some(outcome)) {
                    problems.push(format!(
                        "{at}: no `{name}` fixture (add {}/fixtures/{}/{name}.yaml)",
                        dir.display(),
                        rule.id
                    ));
                }
            }
            problems.extend(counter_examples(&at, &names));
        }
    }
    problems
}

/// A rule's counter-examples: a fixture a too-lax version of the rule would pass although
/// it must not (`gap-lax-*` or `unknown-lax-*`), and one a too-strict version would fail
/// although it must not (`pass-strict-*` or `not-applicable-strict-*`).
fn counter_examples(at: &str, names: &[String]) -> Vec<String> {
    let has = |prefixes: &[&str]| {
        names
            .iter()
            .any(|n| prefixes.iter().any(|p| n.starts_with(p)))
    };
    let mut problems = Vec::new();
    if !has(&["gap-lax-", "unknown-lax-"]) {
        problems.push(format!(
            "{at}: no counter-example that a too-lax version would pass (add a `gap-lax-*.yaml` fixture)"
        ));
    }
    if !has(&["pass-strict-", "not-applicable-strict-"]) {
        problems.push(format!(
            "{at}: no counter-example that a too-strict version would fail (add a `pass-strict-*.yaml` or `not-applicable-strict-*.yaml` fixture)"
        ));
    }
    problems
}
