//! `rightscheck diff`: the examples before and after a change, waivers over time, and
//! files that are not assessments.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::bin;
use predicates::prelude::*;
use serde_json::Value;

/// Writes `assess --format json` of `file` into `out`.
fn assess_to(out: &Path, as_of: &str, file: &str, extra: &[&str]) {
    let status = bin()
        .args(["assess", "--as-of", as_of, "--format", "json", "--output"])
        .arg(out)
        .arg(file)
        .args(extra)
        .output()
        .unwrap()
        .status
        .code()
        .unwrap();
    assert!(status < 2, "{file}");
}

fn diff_json(old: &Path, new: &Path) -> (Value, i32) {
    let out = bin()
        .args(["diff", "--format", "json"])
        .arg(old)
        .arg(new)
        .output()
        .unwrap();
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

fn kinds(d: &Value) -> Vec<(String, String)> {
    d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["rule_id"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_welfare_example_before_and_after_release_2_2() {
    let dir = tempfile::tempdir().unwrap();
    let (before, after) = (
        dir.path().join("before.json"),
        dir.path().join("after.json"),
    );
    assess_to(
        &before,
        "2026-06-30",
        "examples/welfare-risk-scoring.yaml",
        &[],
    );
    assess_to(
        &after,
        "2026-06-30",
        "examples/welfare-risk-scoring-v2.yaml",
        &[],
    );
    let (d, code) = diff_json(&before, &after);
    assert_eq!(code, 1, "a new gap is a regression");
    let k = kinds(&d);
    assert_eq!(k[0], ("RC-RED-002".to_string(), "new-gap".to_string()));
    for rule in ["RC-DD-003", "RC-IA-002", "RC-IA-005", "RC-OVS-003"] {
        assert!(
            k.contains(&(rule.to_string(), "gap-closed".to_string())),
            "{rule}: {k:?}"
        );
    }
    assert_eq!(d["summary"]["closed"], 4);
    assert_eq!(d["summary"]["new_gaps"], 1);
    assert_eq!(d["summary"]["regressions"], 1);
    assert!(d.get("verdict_change").is_none());

    // The other way round, the closed gaps are new gaps and the regression a closed gap.
    let (d, code) = diff_json(&after, &before);
    assert_eq!(code, 1);
    assert_eq!(d["summary"]["new_gaps"], 4);
    assert_eq!(d["summary"]["closed"], 1);

    // The same assessment twice: nothing changed, exit 0.
    let (d, code) = diff_json(&before, &before);
    assert_eq!(code, 0);
    assert!(d["changes"].as_array().unwrap().is_empty());
}

#[test]
fn verdicts_and_red_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (good, bad) = (dir.path().join("good.json"), dir.path().join("bad.json"));
    assess_to(&good, "2026-06-30", "examples/well-governed.yaml", &[]);
    assess_to(
        &bad,
        "2026-06-30",
        "examples/live-facial-recognition.yaml",
        &[],
    );
    let (d, code) = diff_json(&good, &bad);
    assert_eq!(code, 1);
    assert_eq!(d["verdict_change"]["old"], "acceptable");
    assert_eq!(d["verdict_change"]["new"], "reject");
    assert_eq!(d["verdict_change"]["regression"], true);
    let (d, code) = diff_json(&bad, &good);
    assert_eq!(code, 0, "only improvements: {:?}", kinds(&d));
    assert_eq!(d["verdict_change"]["regression"], false);
}

#[test]
fn waivers_added_then_expired() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.json");
    let waived = dir.path().join("waived.json");
    let later = dir.path().join("later.json");
    let welfare = "examples/welfare-risk-scoring.yaml";
    assess_to(&plain, "2026-06-30", welfare, &[]);
    assess_to(
        &waived,
        "2026-06-30",
        welfare,
        &["--waivers", "examples/waivers.yaml"],
    );
    // 2026-10-01: the RC-IA-002 waiver (to 2026-09-30) has lapsed, RC-IA-005's has not.
    assess_to(
        &later,
        "2026-10-01",
        welfare,
        &["--waivers", "examples/waivers.yaml"],
    );

    let (d, code) = diff_json(&plain, &waived);
    assert_eq!(d["summary"]["waivers_added"], 2, "{:?}", kinds(&d));
    // RC-ENV-001's waiver had already expired: it shows as an expiry, a regression.
    assert!(kinds(&d).contains(&("RC-ENV-001".to_string(), "waiver-expired".to_string())));
    assert_eq!(code, 1);

    let (d, code) = diff_json(&waived, &later);
    assert_eq!(code, 1);
    let change = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule_id"] == "RC-IA-002")
        .unwrap();
    assert_eq!(change["kind"], "waiver-expired");
    assert_eq!(change["regression"], true);
    assert!(change["detail"].as_str().unwrap().contains("2026-09-30"));
}

#[test]
fn table_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let (before, after) = (
        dir.path().join("before.json"),
        dir.path().join("after.json"),
    );
    assess_to(
        &before,
        "2026-06-30",
        "examples/welfare-risk-scoring.yaml",
        &[],
    );
    assess_to(
        &after,
        "2026-06-30",
        "examples/welfare-risk-scoring-v2.yaml",
        &[],
    );
    bin()
        .arg("diff")
        .arg(&before)
        .arg(&after)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Verdict: conditional (unchanged)"))
        .stdout(predicate::str::contains("4 gaps closed, 1 new gap"))
        .stdout(predicate::str::contains("REGRESSION: new gap"));
    bin()
        .args(["diff", "--format", "markdown"])
        .arg(&before)
        .arg(&after)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "| RC-RED-002 | **regression:** new gap | pass (high) | gap (high) |",
        ));
}

#[test]
fn a_file_that_is_not_an_assessment_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    assess_to(&good, "2026-06-30", "examples/well-governed.yaml", &[]);
    bin()
        .arg("diff")
        .arg(&good)
        .arg("examples/well-governed.json")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "examples/well-governed.json: not a rightscheck assessment",
        ))
        .stderr(predicate::str::contains(
            "help: give two files written by `rightscheck assess --format json",
        ));
    bin()
        .arg("diff")
        .arg(&good)
        .arg(dir.path().join("missing.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read the file"));
}

#[test]
fn an_assessment_reads_back_as_it_was_written() {
    let dir = tempfile::tempdir().unwrap();
    for example in [
        "examples/welfare-risk-scoring.yaml",
        "examples/well-governed.yaml",
    ] {
        let out = dir.path().join("a.json");
        assess_to(&out, "2026-06-30", example, &[]);
        let written = std::fs::read_to_string(&out).unwrap();
        let read: rightscheck::assessment::Assessment = serde_json::from_str(&written).unwrap();
        let again = serde_json::to_string_pretty(&read).unwrap();
        assert_eq!(again.trim_end(), written.trim_end(), "{example}");
    }
}
