//! Profiles: the built-ins, custom files, and each way a profile tailors an assessment.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::bin;
use predicates::prelude::*;
use serde_json::Value;

const WELFARE: &str = "examples/welfare-risk-scoring.yaml";

fn assess(extra: &[&str]) -> Value {
    let out = bin()
        .args([
            "assess",
            "--as-of",
            "2026-06-30",
            "--format",
            "json",
            WELFARE,
        ])
        .args(extra)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    })
}

fn finding<'a>(a: &'a Value, rule: &str) -> Option<&'a Value> {
    a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule)
}

fn profile_file(dir: &tempfile::TempDir, text: &str) -> String {
    let path = dir.path().join("profile.yaml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn the_builtins_are_listed_and_shown() {
    bin()
        .args(["profiles", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("procurement"))
        .stdout(predicate::str::contains("self-assessment"))
        .stdout(predicate::str::contains("audit"));
    let out = bin()
        .args(["profiles", "list", "--format", "json"])
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["procurement", "self-assessment", "audit"]);
    bin()
        .args(["profiles", "show", "procurement"])
        .assert()
        .success()
        .stdout(predicate::str::contains("unknowns: counted as gaps"));
    bin()
        .args(["profiles", "show", "procurment"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `procurement`?"));
}

#[test]
fn without_a_profile_the_catalog_is_used_as_written() {
    let a = assess(&[]);
    assert_eq!(a["profile"]["id"], "default");
    assert_eq!(finding(&a, "RC-OVS-002").unwrap()["outcome"], "unknown");
}

#[test]
fn procurement_counts_unknowns_as_gaps_and_requires_evidence() {
    let a = assess(&["--profile", "procurement"]);
    assert_eq!(a["profile"]["id"], "procurement");
    assert_eq!(a["profile"]["source"], "built-in");
    assert_eq!(a["summary"]["unknown"], 0);
    let open = finding(&a, "RC-OVS-002").unwrap();
    assert_eq!(open["outcome"], "gap");
    assert!(
        open["message"]
            .as_str()
            .unwrap()
            .contains("`procurement` profile")
    );
    // Switching off is claimed in the descriptor with no document: a gap for a buyer.
    let claimed = finding(&a, "RC-REV-001").unwrap();
    assert_eq!(claimed["outcome"], "gap");
    assert!(
        claimed["message"]
            .as_str()
            .unwrap()
            .starts_with("claimed without evidence")
    );
    // Red lines are exempt: no document can show that a use is absent.
    assert_eq!(finding(&a, "RC-PRO-004").unwrap()["outcome"], "pass");
    assert_eq!(a["verdict"], "conditional");
}

#[test]
fn self_assessment_keeps_questions_and_gives_impact_assessments_longer() {
    let a = assess(&["--profile", "self-assessment"]);
    assert_eq!(finding(&a, "RC-OVS-002").unwrap()["outcome"], "unknown");
    // Dated 2024-11-15: 592 days before 2026-06-30, more than its 548 days.
    assert_eq!(finding(&a, "RC-IA-002").unwrap()["outcome"], "gap");
    let a = bin()
        .args([
            "assess",
            "--as-of",
            "2026-04-30",
            "--format",
            "json",
            "--profile",
            "self-assessment",
            WELFARE,
        ])
        .output()
        .unwrap();
    let a: Value = serde_json::from_slice(&a.stdout).unwrap();
    // 531 days: stale by the default 365, fresh by this profile's 548.
    assert_eq!(finding(&a, "RC-IA-002").unwrap()["outcome"], "pass");
}

#[test]
fn a_parameter_sets_the_days_a_rule_allows() {
    let dir = tempfile::tempdir().unwrap();
    let lenient = profile_file(
        &dir,
        "id: lenient\ntitle: Lenient\ndescription: fresh for 800 days\nunknown_as_gap: false\nparameters:\n  impact_assessment_fresh_days: 800\n",
    );
    let a = assess(&["--profile", &lenient]);
    assert_eq!(finding(&a, "RC-IA-002").unwrap()["outcome"], "pass");
    assert_eq!(a["profile"]["source"], Value::from(lenient));
}

#[test]
fn a_custom_profile_tailors_rules_themes_severities_and_levels() {
    let dir = tempfile::tempdir().unwrap();
    let path = profile_file(
        &dir,
        "id: oversight-only\ntitle: Oversight only\ndescription: just oversight\nunknown_as_gap: false\ninclude_themes: [human-oversight, impact-assessment]\nexclude_rules: [RC-IA-005]\nseverity_overrides:\n  RC-OVS-003: high\n",
    );
    let a = assess(&["--profile", &path]);
    assert_eq!(a["profile"]["id"], "oversight-only");
    assert!(finding(&a, "RC-IA-005").is_none());
    // Red lines apply whatever themes a profile keeps.
    assert_eq!(finding(&a, "RC-PRO-001").unwrap()["severity"], "blocker");
    assert_eq!(finding(&a, "RC-OVS-003").unwrap()["severity"], "high");
    assert_eq!(finding(&a, "RC-OVS-003").unwrap()["failing"], true);
    let themes: std::collections::BTreeSet<&str> = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["theme"].as_str().unwrap())
        .collect();
    assert_eq!(
        themes.into_iter().collect::<Vec<_>>(),
        ["human-oversight", "impact-assessment", "prohibited-uses"]
    );

    // The welfare system is at level III: a profile from level IV up leaves every rule out
    // but the red lines, which apply at every level.
    let path = profile_file(
        &dir,
        "id: top\ntitle: Level IV only\ndescription: only the worst\nunknown_as_gap: false\nmin_level: IV\n",
    );
    let a = assess(&["--profile", &path]);
    assert_eq!(a["level"]["level"], "III");
    let findings = a["findings"].as_array().unwrap();
    for f in findings {
        if f["severity"] == "blocker" {
            assert_ne!(f["outcome"], "not-applicable", "{}", f["rule_id"]);
        } else {
            assert_eq!(f["outcome"], "not-applicable", "{}", f["rule_id"]);
        }
    }
    assert_eq!(a["verdict"], "acceptable");
}

#[test]
fn mistakes_in_a_profile_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = profile_file(
        &dir,
        "id: typo\ntitle: Typo\ndescription: a typo\nunknown_as_gap: false\nexclude_rules: [RC-OVS-01]\n",
    );
    bin()
        .args(["assess", WELFARE, "--profile", &path])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "profile.yaml:5:17: the profile names rule `RC-OVS-01`, which is not in the catalog",
        ))
        .stderr(predicate::str::contains("help: did you mean"));
    let path = profile_file(
        &dir,
        "id: typo\ntitle: Typo\ndescription: a typo\nunknown_as_gap: maybe\n",
    );
    bin()
        .args(["assess", WELFARE, "--profile", &path])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("profile.yaml:4:"));
}

#[test]
fn the_profile_is_recorded_in_the_human_reports() {
    for (format, needle) in [
        ("table", "Profile: procurement"),
        (
            "markdown",
            "| Profile | Public procurement (procurement, built-in) |",
        ),
        ("html", "Public procurement (procurement, built-in)"),
    ] {
        let out = bin()
            .args([
                "assess",
                "--as-of",
                "2026-06-30",
                "--profile",
                "procurement",
                "--format",
                format,
                WELFARE,
            ])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(needle), "{format}");
        if format != "table" {
            assert!(
                text.contains("--profile procurement"),
                "{format}: the record's command"
            );
        }
    }
}
