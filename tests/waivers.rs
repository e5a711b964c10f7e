//! Waivers: applied, expired at the boundary, unused, refused on red lines, shown in every
//! format. The real binary, and the library where a file is easier to build in memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use common::{bin, root};
use predicates::prelude::*;
use rightscheck::assessment::{FailOn, Outcome};
use rightscheck::document::{Document, Format};
use rightscheck::engine::{AssessError, Engine, Options, Tailoring};
use rightscheck::rules::Catalog;
use rightscheck::waivers::{WaiverError, Waivers};
use serde_json::Value;

const WELFARE: &str = "examples/welfare-risk-scoring.yaml";
const WAIVERS: &str = "examples/waivers.yaml";

fn run(as_of: &str, format: &str, waivers: &str) -> (String, i32) {
    let out = bin()
        .args(["assess", "--as-of", as_of, "--format", format, WELFARE])
        .args(["--waivers", waivers])
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

fn finding<'a>(a: &'a Value, rule: &str) -> &'a Value {
    a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule)
        .unwrap()
}

/// One waiver of `rule` for the welfare system, expiring on `expires_on`.
fn one_waiver(rule: &str, expires_on: &str) -> String {
    format!(
        "waivers:\n  - rule: {rule}\n    system: RIV-ALG-017\n    justification: fix scheduled\n    approved_by: the board\n    approved_on: 2026-01-01\n    compensating_measure: manual checks\n    expires_on: {expires_on}\n"
    )
}

fn assess_with(
    waivers: &str,
    as_of: (i32, u32, u32),
) -> Result<rightscheck::assessment::Assessment, AssessError> {
    let doc = Document::from_path(&root().join(WELFARE)).unwrap();
    let waivers = Waivers::from_document(
        &Document::from_bytes("w.yaml", waivers.as_bytes(), Format::Yaml).unwrap(),
    )
    .unwrap();
    let options = Options {
        as_of: NaiveDate::from_ymd_opt(as_of.0, as_of.1, as_of.2).unwrap(),
        fail_on: FailOn::High,
    };
    let tailoring = Tailoring {
        waivers: Some(waivers),
        ..Tailoring::default()
    };
    Engine::new(Catalog::builtin().unwrap(), &tailoring)?.assess(&doc, &options)
}

#[test]
fn the_example_waivers_apply_expire_and_go_unused() {
    let (text, _) = run("2026-06-30", "json", WAIVERS);
    let a: Value = serde_json::from_str(&text).unwrap();
    let waived = finding(&a, "RC-IA-005");
    assert_eq!(waived["outcome"], "waived");
    assert_eq!(waived["failing"], false);
    assert_eq!(
        waived["waiver"]["approved_by"],
        "Riverton Social Services procurement board (decision PB-2026-14)"
    );
    assert_eq!(waived["waiver"]["expires_on"], "2026-12-31");
    assert_eq!(waived["waiver"]["waived_outcome"], "gap");
    assert!(
        waived["waiver"]["compensating_measure"]
            .as_str()
            .unwrap()
            .contains("two caseworkers")
    );
    // Matched by `system.name` as well as by `system.id`.
    assert_eq!(finding(&a, "RC-IA-002")["outcome"], "waived");
    let expired = finding(&a, "RC-ENV-001");
    assert_eq!(expired["outcome"], "gap");
    assert_eq!(expired["waiver_expired_on"], "2026-03-31");
    assert_eq!(a["waivers"]["applied"], 2);
    assert_eq!(a["waivers"]["expired"], 1);
    assert_eq!(a["waivers"]["unused"][0]["rule"], "RC-SEC-004");
    assert_eq!(a["summary"]["waived"], 2);
    let reason = a["verdict_reason"].as_str().unwrap();
    assert!(reason.contains("2 findings waived"), "{reason}");
    assert!(reason.contains("1 waiver expired"), "{reason}");
}

#[test]
fn a_waiver_is_valid_on_its_expiry_date_and_not_the_day_after() {
    let text = one_waiver("RC-IA-005", "2026-06-30");
    let on = assess_with(&text, (2026, 6, 30)).unwrap();
    let f = on
        .findings
        .iter()
        .find(|f| &*f.rule_id == "RC-IA-005")
        .unwrap();
    assert_eq!(f.outcome, Outcome::Waived);
    assert_eq!(on.waivers.applied, 1);

    let after = assess_with(&text, (2026, 7, 1)).unwrap();
    let f = after
        .findings
        .iter()
        .find(|f| &*f.rule_id == "RC-IA-005")
        .unwrap();
    assert_eq!(f.outcome, Outcome::Gap);
    assert!(f.failing);
    assert_eq!(f.waiver_expired_on.as_deref(), Some("2026-06-30"));
    assert_eq!(after.waivers.expired, 1);
    assert_eq!(after.waivers.applied, 0);
}

#[test]
fn waiving_the_only_failing_gaps_changes_the_exit_status_but_the_report_says_so() {
    // Every finding that makes the welfare example fail (gaps such as RC-IA-005 and open
    // questions such as RC-OVS-002), waived.
    let before = assess_with("waivers: []\n", (2026, 6, 30)).unwrap();
    let failing: Vec<&str> = before
        .findings
        .iter()
        .filter(|f| f.failing)
        .map(|f| &*f.rule_id)
        .collect();
    assert!(
        failing.contains(&"RC-IA-005") && failing.contains(&"RC-OVS-002"),
        "{failing:?}"
    );
    let mut text = String::from("waivers:\n");
    for rule in &failing {
        text.push_str(&one_waiver(rule, "2026-12-31").replace("waivers:\n", ""));
    }
    let a = assess_with(&text, (2026, 6, 30)).unwrap();
    assert_eq!(a.verdict.as_str(), "acceptable");
    assert!(!a.fails());
    assert!(
        a.verdict_reason
            .contains(&format!("{} findings waived", failing.len())),
        "{}",
        a.verdict_reason
    );
    let open = a
        .findings
        .iter()
        .find(|f| &*f.rule_id == "RC-OVS-002")
        .unwrap();
    assert_eq!(open.waiver.as_ref().unwrap().waived_outcome, "unknown");
}

#[test]
fn unused_waivers_say_why() {
    let mut text = one_waiver("RC-SEC-004", "2026-12-31");
    text.push_str(&one_waiver("RC-EXP-001", "2026-12-31").replace("waivers:\n", ""));
    text.push_str(&one_waiver("RC-NOPE-001", "2026-12-31").replace("waivers:\n", ""));
    text.push_str(
        &one_waiver("RC-IA-005", "2026-12-31")
            .replace("waivers:\n", "")
            .replace("RIV-ALG-017", "another system"),
    );
    let a = assess_with(&text, (2026, 6, 30)).unwrap();
    let reasons: Vec<&str> = a.waivers.unused.iter().map(|u| u.reason.as_str()).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].contains("is met"), "{reasons:?}");
    assert!(reasons[1].contains("does not apply"), "{reasons:?}");
    assert!(reasons[2].contains("not in the catalog"), "{reasons:?}");
    assert_eq!(a.waivers.other_systems, 1);
    assert_eq!(a.waivers.applied, 0);
}

#[test]
fn a_red_line_cannot_be_waived() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waivers.yaml");
    std::fs::write(&path, one_waiver("RC-PRO-007", "2026-12-31")).unwrap();
    bin()
        .args(["assess", "--as-of", "2026-06-30", WELFARE, "--waivers"])
        .arg(&path)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "waivers.yaml:2:5: rule `RC-PRO-007` is a red line (blocker) and cannot be waived",
        ))
        .stderr(predicate::str::contains("help: remove this waiver"));
    let err = assess_with(&one_waiver("RC-PRO-007", "2026-12-31"), (2026, 6, 30)).unwrap_err();
    assert!(matches!(
        err,
        AssessError::Waiver(WaiverError::RedLine { .. })
    ));
}

#[test]
fn mistakes_in_a_waivers_file_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waivers.yaml");
    let text = one_waiver("RC-IA-005", "2026-13-45").replace("RIV-ALG-017", "\"*\"")
        + "    approver: someone\n";
    std::fs::write(&path, text).unwrap();
    let out = bin()
        .args(["assess", "--as-of", "2026-06-30", WELFARE, "--waivers"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("waivers.yaml:8:17:"), "{err}");
    assert!(err.contains("2026-13-45"), "{err}");
    assert!(err.contains("unknown key `approver`"), "{err}");

    // `*` and an expiry before approval are refused once the schema is satisfied.
    let text = one_waiver("RC-IA-005", "2025-12-31").replace("RIV-ALG-017", "\"*\"");
    let err = Waivers::from_document(
        &Document::from_bytes("w.yaml", text.as_bytes(), Format::Yaml).unwrap(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("w.yaml:3:5: a waiver cannot be for every system (`*`)"),
        "{err}"
    );
    assert!(
        err.contains(
            "w.yaml:8:5: the waiver expires on `2025-12-31`, before it was approved on `2026-01-01`"
        ),
        "{err}"
    );
}

#[test]
fn every_format_shows_the_waivers() {
    let (table, _) = run("2026-06-30", "table", WAIVERS);
    assert!(table.contains("2 waived"), "{table}");
    assert!(table.contains("Waived (accepted for a time"), "{table}");
    assert!(table.contains("A waiver expired on 2026-03-31"), "{table}");
    assert!(table.contains("Unused waiver for RC-SEC-004"), "{table}");
    let (markdown, _) = run("2026-06-30", "markdown", WAIVERS);
    assert!(markdown.contains("## Waivers"), "{markdown}");
    assert!(markdown.contains("**Compensating measure:**"));
    assert!(markdown.contains("**Waiver expired:** on 2026-03-31"));
    let (html, _) = run("2026-06-30", "html", WAIVERS);
    assert!(html.contains("id=\"waivers\""));
    assert!(html.contains("Compensating measure"));
    let (csv, _) = run("2026-06-30", "csv", WAIVERS);
    assert!(csv.contains(",waived,"));
    assert!(csv.contains("expires on 2026-12-31"));
    let (junit, _) = run("2026-06-30", "junit", WAIVERS);
    assert!(junit.contains("type=\"waived\""));
    let (sarif, _) = run("2026-06-30", "sarif", WAIVERS);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let suppressed: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 2);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "external");
    assert!(
        suppressed[0]["suppressions"][0]["justification"]
            .as_str()
            .is_some()
    );
    let (oscal, _) = run("2026-06-30", "oscal", WAIVERS);
    assert_eq!(oscal.matches("\"deviation-approved\"").count(), 2);
}

#[test]
fn the_json_with_waivers_follows_the_assessment_schema() {
    let schema: Value = serde_json::from_str(rightscheck::schema::ASSESSMENT_SCHEMA).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let (text, _) = run("2026-06-30", "json", WAIVERS);
    let a: Value = serde_json::from_str(&text).unwrap();
    let errors: Vec<String> = validator.iter_errors(&a).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let mut bad = a.clone();
    let i = bad["findings"]
        .as_array()
        .unwrap()
        .iter()
        .position(|f| f["outcome"] == "waived")
        .unwrap();
    bad["findings"][i].as_object_mut().unwrap().remove("waiver");
    assert!(!validator.is_valid(&bad));
}
