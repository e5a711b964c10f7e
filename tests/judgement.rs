//! The judgement suite: realistic systems described in prose by someone who had not read
//! the rules, each with the descriptor written from that prose and the verdict, level and
//! themes an expert expects (`tests/judgement/cases/*/`). The tool must agree; a mismatch
//! fails the test and prints a table. Changing an expectation needs a reason in the commit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rightscheck::assessment::{Assessment, FailOn, Outcome};
use rightscheck::document::Document;
use rightscheck::engine::{Engine, Options, Tailoring};
use rightscheck::profile::Profile;
use rightscheck::rules::{Catalog, Severity};
use serde::Deserialize;

/// What the expert expects, as `expected.yaml` states it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    as_of: String,
    #[serde(default)]
    profile: Option<String>,
    verdict: String,
    level: OneOrMore,
    #[serde(default)]
    gaps_in: Vec<String>,
    #[serde(default)]
    no_gaps_in: Vec<String>,
    #[serde(default)]
    no_high_questions: bool,
    #[serde(default)]
    not_asked: bool,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMore {
    One(String),
    More(Vec<String>),
}

impl OneOrMore {
    fn accepts(&self, level: &str) -> bool {
        match self {
            OneOrMore::One(l) => l == level,
            OneOrMore::More(ls) => ls.iter().any(|l| l == level),
        }
    }

    fn text(&self) -> String {
        match self {
            OneOrMore::One(l) => l.clone(),
            OneOrMore::More(ls) => ls.join(" or "),
        }
    }
}

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/judgement/cases");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn assess(case: &Path, expected: &Expected) -> Assessment {
    let catalog = Catalog::builtin().unwrap();
    let profile = match expected.profile.as_deref() {
        None | Some("default") => Profile::default(),
        Some(name) => Profile::resolve(name).unwrap(),
    };
    let tailoring = Tailoring {
        profile,
        waivers: None,
    };
    let mut doc = Document::from_path(&case.join("descriptor.yaml")).unwrap();
    doc.name = format!(
        "{}/descriptor.yaml",
        case.file_name().unwrap().to_string_lossy()
    );
    let options = Options {
        as_of: NaiveDate::parse_from_str(&expected.as_of, "%Y-%m-%d").unwrap(),
        fail_on: FailOn::High,
    };
    Engine::new(catalog, &tailoring)
        .unwrap()
        .assess(&doc, &options)
        .unwrap_or_else(|e| panic!("{}: {e}", doc.name))
}

/// Every way the tool's answer differs from the expert's.
fn mismatches(expected: &Expected, a: &Assessment) -> Vec<String> {
    let mut out = Vec::new();
    if a.verdict.as_str() != expected.verdict {
        out.push(format!(
            "verdict {} (expected {}): {}",
            a.verdict.as_str(),
            expected.verdict,
            a.verdict_reason
        ));
    }
    if !expected.level.accepts(a.level.level.as_str()) {
        out.push(format!(
            "level {} (expected {}; {} points)",
            a.level.level,
            expected.level.text(),
            a.level.points
        ));
    }
    let gaps_in = |theme: &str| -> Vec<String> {
        a.findings
            .iter()
            .filter(|f| &*f.theme == theme && f.outcome == Outcome::Gap)
            .map(|f| f.rule_id.to_string())
            .collect()
    };
    for theme in &expected.gaps_in {
        if gaps_in(theme).is_empty() {
            out.push(format!("no gap in {theme}"));
        }
    }
    for theme in &expected.no_gaps_in {
        let gaps = gaps_in(theme);
        if !gaps.is_empty() {
            out.push(format!("gap in {theme}: {}", gaps.join(", ")));
        }
    }
    if expected.no_high_questions {
        let high: Vec<String> = a
            .findings
            .iter()
            .filter(|f| f.outcome == Outcome::Unknown && f.severity >= Severity::High)
            .map(|f| f.rule_id.to_string())
            .collect();
        if !high.is_empty() {
            out.push(format!("high questions: {}", high.join(", ")));
        }
    }
    if expected.not_asked && a.summary.not_asked == 0 {
        out.push("nothing counted as not asked by the source".to_string());
    }
    out
}

#[test]
fn the_tool_gives_the_answers_an_expert_gives() {
    let themes: BTreeSet<String> = Catalog::builtin()
        .unwrap()
        .themes()
        .keys()
        .map(|t| (*t).to_string())
        .collect();
    let cases = cases();
    assert_eq!(
        cases.len(),
        44,
        "the expert scenarios in tests/judgement/cases"
    );
    let mut table = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        for file in ["scenario.md", "descriptor.yaml", "expected.yaml"] {
            assert!(case.join(file).is_file(), "{name} has no {file}");
        }
        let text = std::fs::read_to_string(case.join("expected.yaml")).unwrap();
        let expected: Expected =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}/expected.yaml: {e}"));
        for theme in expected.gaps_in.iter().chain(&expected.no_gaps_in) {
            if !themes.contains(theme) {
                table.push(format!("| {name} | the catalog has no theme `{theme}` |"));
            }
        }
        let a = assess(case, &expected);
        for problem in mismatches(&expected, &a) {
            table.push(format!("| {name} | {problem} |"));
        }
    }
    if !table.is_empty() {
        println!("| case | mismatch |\n|---|---|\n{}", table.join("\n"));
    }
    assert!(
        table.is_empty(),
        "{} mismatch(es) in {} cases:\n{}",
        table.len(),
        cases.len(),
        table.join("\n")
    );
}
