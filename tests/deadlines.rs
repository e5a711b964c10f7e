//! Deadlines: the built-in days, a profile's own, `rightscheck.toml`'s and `--deadlines`,
//! each over the one before for the severities it names, and the command that reproduces
//! a report naming only what the profile does not give.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::{AS_OF, bin};
use rightscheck::report::Deadlines;
use serde_json::Value;

const WELFARE: &str = "examples/welfare-risk-scoring.yaml";

/// A profile that gives high-severity gaps a week and says nothing of the others.
const WEEK_FOR_HIGH: &str = "id: week\ntitle: A week for high\ndescription: Tighter.\nunknown_as_gap: false\ndeadlines:\n  high: 7\n";

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn run(format: &str, extra: &[&str]) -> String {
    run_with(&[], format, extra)
}

/// The report of `assess`, with global flags before it and `extra` flags after it.
fn run_with(global: &[&str], format: &str, extra: &[&str]) -> String {
    let out = bin()
        .args(global)
        .args(["assess", "--as-of", AS_OF, "--format", format])
        .args(extra)
        .arg(WELFARE)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The target date of each severity's findings, from the SARIF report.
fn targets_with(global: &[&str], extra: &[&str]) -> BTreeMap<String, String> {
    let sarif: Value = serde_json::from_str(&run_with(global, "sarif", extra)).unwrap();
    let mut out = BTreeMap::new();
    for result in sarif
        .pointer("/runs/0/results")
        .and_then(Value::as_array)
        .unwrap()
    {
        let property = |name: &str| {
            result
                .pointer(&format!("/properties/{name}"))
                .and_then(Value::as_str)
                .unwrap()
                .to_string()
        };
        out.insert(property("severity"), property("targetDate"));
    }
    out
}

fn targets(extra: &[&str]) -> BTreeMap<String, String> {
    targets_with(&[], extra)
}

/// The Markdown report, and the command it gives to reproduce it.
fn reported(extra: &[&str]) -> (String, String) {
    let report = run("markdown", extra);
    let command = report
        .lines()
        .find_map(|l| l.strip_prefix("| Command | rightscheck "))
        .unwrap_or_else(|| panic!("no command in\n{report}"))
        .trim_end_matches(" |")
        .to_string();
    (report, command)
}

#[test]
fn the_built_in_days_are_the_data_file_and_the_help_says_them() {
    let defaults = Deadlines::default().to_string();
    assert_eq!(defaults, "blocker=0,high=30,medium=90,low=180,info=365");
    let help = bin().args(["assess", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(
        help.contains(&format!("[default: {defaults}]")),
        "the help of --deadlines does not give the built-in days:\n{help}"
    );
    let targets = targets(&[]);
    assert_eq!(targets["high"], "2026-07-30");
    assert_eq!(targets["medium"], "2026-09-28");
}

#[test]
fn a_profile_sets_its_own_deadlines() {
    let dir = tempfile::tempdir().unwrap();
    let profile = file(&dir, "week.yaml", WEEK_FOR_HIGH);
    let targets = targets(&["--profile", &profile]);
    assert_eq!(targets["high"], "2026-07-07");
    // A severity the profile does not name keeps the built-in days.
    assert_eq!(targets["medium"], "2026-09-28");
}

#[test]
fn the_flag_wins_over_the_profile_for_what_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let profile = file(&dir, "week.yaml", WEEK_FOR_HIGH);
    let both = targets(&["--profile", &profile, "--deadlines", "high=14"]);
    assert_eq!(both["high"], "2026-07-14");
    let other = targets(&["--profile", &profile, "--deadlines", "medium=60"]);
    assert_eq!(other["high"], "2026-07-07");
    assert_eq!(other["medium"], "2026-08-29");
}

#[test]
fn the_settings_file_wins_over_the_profile_and_the_flag_over_both() {
    let dir = tempfile::tempdir().unwrap();
    let profile = file(&dir, "week.yaml", WEEK_FOR_HIGH);
    let config = file(
        &dir,
        "rightscheck.toml",
        &format!("profile = {profile:?}\ndeadlines = \"high=21,low=10\"\n"),
    );
    let settings = targets_with(&["--config", &config], &[]);
    assert_eq!(settings["high"], "2026-07-21");
    assert_eq!(settings["low"], "2026-07-10");
    let flagged = run_with(
        &["--config", &config],
        "markdown",
        &["--deadlines", "high=3"],
    );
    // The flag names `high`; the settings file still gives `low`.
    assert!(
        flagged.contains("--deadlines blocker=0,high=3,medium=90,low=10,info=365"),
        "{flagged}"
    );
}

#[test]
fn the_command_names_deadlines_only_where_they_differ_from_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let profile = file(&dir, "week.yaml", WEEK_FOR_HIGH);
    let given = reported(&["--profile", &profile]);
    assert!(!given.1.contains("--deadlines"), "{}", given.1);
    assert!(
        given.1.contains(&format!("--profile {profile}")),
        "{}",
        given.1
    );
    // The built-in days, but not the profile's: they must be named.
    let back = reported(&["--profile", &profile, "--deadlines", "high=30"]);
    assert!(
        back.1
            .contains("--deadlines blocker=0,high=30,medium=90,low=180,info=365"),
        "{}",
        back.1
    );
    // Each command gives the very report it is printed in.
    for (report, command) in [given, back] {
        assert!(!command.contains('\''), "quoted words: {command}");
        let again = bin().args(command.split_whitespace()).output().unwrap();
        assert_eq!(
            String::from_utf8(again.stdout).unwrap(),
            report,
            "{command}"
        );
    }
}

#[test]
fn a_broken_deadlines_entry_is_located() {
    let dir = tempfile::tempdir().unwrap();
    for (entry, words) in [
        ("  high: soon\n", "`deadlines.high` must be a whole number"),
        ("  urgent: 3\n", "unknown key `urgent` in `deadlines`"),
        ("  low: -1\n", "`deadlines.low` must be at least 0"),
    ] {
        let text = WEEK_FOR_HIGH.replace("  high: 7\n", entry);
        let profile = file(&dir, "broken.yaml", &text);
        let out = bin()
            .args(["assess", "--as-of", AS_OF, "--profile", &profile, WELFARE])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(&format!("{profile}:6:")), "{stderr}");
        assert!(stderr.contains(words), "{stderr}");
    }
}

#[test]
fn the_profile_schema_documents_the_block() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/profile.schema.json").unwrap())
            .unwrap();
    let block = &schema["properties"]["deadlines"];
    assert!(block["description"].as_str().unwrap().contains("built-in"));
    for severity in ["blocker", "high", "medium", "low", "info"] {
        assert!(
            block["properties"][severity]["description"].is_string(),
            "{severity}"
        );
    }
    let validator = common::validator("schemas/profile.schema.json");
    let profile = |deadlines: Value| {
        serde_json::json!({
            "id": "p", "title": "P", "description": "P.", "unknown_as_gap": false,
            "deadlines": deadlines
        })
    };
    assert!(validator.is_valid(&profile(serde_json::json!({"high": 7, "info": 0}))));
    for wrong in [
        serde_json::json!({"high": "soon"}),
        serde_json::json!({"urgent": 3}),
        serde_json::json!({"low": -1}),
        serde_json::json!({"low": 40000}),
        serde_json::json!({}),
    ] {
        assert!(!validator.is_valid(&profile(wrong.clone())), "{wrong}");
    }
    // `profiles show` gives the block of a profile that has one.
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, "week.yaml", WEEK_FOR_HIGH);
    let shown = bin()
        .args(["profiles", "show", &path, "--format", "json"])
        .output()
        .unwrap();
    let shown: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["deadlines"], serde_json::json!({"high": 7}));
    // And in the terminal: the severities the profile names, and no other.
    let table = bin().args(["profiles", "show", &path]).output().unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains("days to fix a high finding: 7\n"), "{table}");
    assert!(!table.contains("days to fix a medium"), "{table}");
}
