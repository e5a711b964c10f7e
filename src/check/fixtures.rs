//! Per-rule fixtures: descriptors whose file name states the outcome a rule must give.
//!
//! Layout: `fixtures/<RULE-ID>/<outcome>[-anything].yaml`, where outcome is `pass`, `gap`,
//! `unknown`, `not-asked` or `not-applicable`. Fixtures are assessed as of [`FIXTURE_AS_OF`], so results
//! never drift with the calendar.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::assessment::{FailOn, Outcome};
use crate::document::{Document, Format};
use crate::engine::{Engine, Options};
use crate::rules::{Catalog, RuleError};
use crate::schema::Schema;

/// The date fixtures are evaluated as of.
pub const FIXTURE_AS_OF: (i32, u32, u32) = (2026, 6, 30);

/// One fixture file.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Rule id, from the folder name.
    pub rule_id: String,
    /// File name as shown to the user.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// The result of running one fixture.
#[derive(Debug, Clone, Serialize)]
pub struct FixtureResult {
    /// Rule id.
    pub rule_id: String,
    /// Fixture file.
    pub fixture: String,
    /// Outcome its name asks for.
    pub expected: Option<Outcome>,
    /// Outcome the rule gave, if it could be run.
    pub actual: Option<Outcome>,
    /// Why it failed, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl FixtureResult {
    /// Whether the fixture gave the outcome its name states.
    pub fn passed(&self) -> bool {
        self.problem.is_none()
    }
}

/// The outcome a fixture's file name states.
pub fn expected_outcome(file_name: &str) -> Option<Outcome> {
    let stem = file_name
        .rsplit('/')
        .next()
        .unwrap_or(file_name)
        .split('.')
        .next()
        .unwrap_or_default();
    [
        ("not-applicable", Outcome::NotApplicable),
        ("not-asked", Outcome::NotAsked),
        ("pass", Outcome::Pass),
        ("gap", Outcome::Gap),
        ("unknown", Outcome::Unknown),
    ]
    .into_iter()
    .find(|(prefix, _)| stem == *prefix || stem.starts_with(&format!("{prefix}-")))
    .map(|(_, o)| o)
}

/// The fixtures built into the binary.
pub fn builtin() -> Vec<Fixture> {
    crate::rules::builtin_fixtures()
        .filter_map(|(path, text)| {
            let mut parts = path.split('/');
            let (_, id, _file) = (parts.next()?, parts.next()?, parts.next()?);
            Some(Fixture {
                rule_id: id.to_string(),
                name: format!("rules/{path}"),
                bytes: text.as_bytes().to_vec(),
            })
        })
        .collect()
}

/// The fixtures in `dir/fixtures/<RULE-ID>/`.
pub fn from_dir(dir: &Path) -> Result<Vec<Fixture>, RuleError> {
    let root = dir.join("fixtures");
    let io = |p: &Path| {
        let file = p.display().to_string();
        move |source| RuleError::Io { file, source }
    };
    let mut out = Vec::new();
    if !root.is_dir() {
        return Ok(out);
    }
    for rule_dir in std::fs::read_dir(&root).map_err(io(&root))? {
        let rule_dir = rule_dir.map_err(io(&root))?.path();
        if !rule_dir.is_dir() {
            continue;
        }
        let rule_id = rule_dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        for file in std::fs::read_dir(&rule_dir).map_err(io(&rule_dir))? {
            let file = file.map_err(io(&rule_dir))?.path();
            if file.is_file() {
                out.push(Fixture {
                    rule_id: rule_id.clone(),
                    name: file.display().to_string(),
                    bytes: crate::document::read_bounded(&file)?,
                });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Runs every fixture, and reports each rule that lacks a passing or a failing fixture.
pub fn run(catalog: &Catalog, fixtures: &[Fixture]) -> Vec<FixtureResult> {
    let (y, m, d) = FIXTURE_AS_OF;
    let options = Options {
        as_of: NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
        fail_on: FailOn::High,
    };
    let engine = Engine::plain(catalog);
    let mut results = Vec::new();
    for fixture in fixtures {
        let expected = expected_outcome(&fixture.name);
        let mut result = FixtureResult {
            rule_id: fixture.rule_id.clone(),
            fixture: fixture.name.clone(),
            expected,
            actual: None,
            problem: None,
        };
        let Some(rule) = catalog.get(&fixture.rule_id) else {
            result.problem = Some(format!("no rule has the id `{}`", fixture.rule_id));
            results.push(result);
            continue;
        };
        if expected.is_none() {
            result.problem = Some(
                "the file name must start with `pass`, `gap`, `unknown`, `not-asked` or `not-applicable`"
                    .to_string(),
            );
            results.push(result);
            continue;
        }
        let format = Format::from_name(&fixture.name);
        let doc = match Document::from_bytes(&fixture.name, &fixture.bytes, format) {
            Ok(doc) => doc,
            Err(err) => {
                result.problem = Some(err.to_string());
                results.push(result);
                continue;
            }
        };
        // A built-in schema that does not compile fails every fixture: it must never let
        // them all through unchecked.
        let issues = match Schema::descriptor().and_then(|schema| schema.validate(&doc)) {
            Ok(issues) => issues,
            Err(err) => {
                result.problem = Some(err.to_string());
                results.push(result);
                continue;
            }
        };
        if let Some(first) = issues.first() {
            result.problem = Some(format!("the fixture is not a valid descriptor: {first}"));
            results.push(result);
            continue;
        }
        let evaluation = engine.evaluate(&doc, &options);
        let Some(outcome) = evaluation
            .outcomes()
            .find(|o| o.rule.id == rule.id)
            .map(|o| o.outcome)
        else {
            continue;
        };
        result.actual = Some(outcome);
        if Some(outcome) != expected {
            let assessment = evaluation.to_assessment();
            let message = assessment
                .findings
                .iter()
                .find(|f| *f.rule_id == *rule.id)
                .map(|f| f.message.clone())
                .unwrap_or_default();
            result.problem = Some(format!(
                "expected `{}`, got `{}`: {}",
                expected.map_or("", Outcome::as_str),
                outcome.as_str(),
                message
            ));
        }
        results.push(result);
    }
    let missing = missing_fixtures(catalog, &results);
    results.extend(missing);
    results
}

/// A problem for each rule that lacks a passing or a failing fixture.
fn missing_fixtures(catalog: &Catalog, results: &[FixtureResult]) -> Vec<FixtureResult> {
    let mut out = Vec::new();
    for rule in catalog.rules() {
        let mine: Vec<&FixtureResult> = results.iter().filter(|r| r.rule_id == rule.id).collect();
        let has = |o: Outcome| mine.iter().any(|r| r.expected == Some(o));
        let missing: Vec<&str> = [(Outcome::Pass, "pass"), (Outcome::Gap, "gap")]
            .into_iter()
            .filter(|(o, _)| !has(*o))
            .map(|(_, n)| n)
            .collect();
        if !missing.is_empty() {
            out.push(FixtureResult {
                rule_id: rule.id.to_string(),
                fixture: String::new(),
                expected: None,
                actual: None,
                problem: Some(format!(
                    "rule `{}` has no `{}` fixture (add fixtures/{}/{}.yaml)",
                    rule.id,
                    missing.join("` or `"),
                    rule.id,
                    missing[0]
                )),
            });
        }
    }
    out
}
