//! The real binary, run as a user would.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{AS_OF, bin, root};
use predicates::prelude::*;
use serde_json::Value;

fn assess_json(file: &str) -> (Value, i32) {
    let out = bin()
        .args(["assess", "--format", "json", "--as-of", AS_OF, file])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{file}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, out.status.code().unwrap())
}

#[test]
fn examples_give_their_verdicts() {
    for (file, verdict, code) in [
        ("examples/live-facial-recognition.yaml", "reject", 1),
        ("examples/welfare-risk-scoring.yaml", "conditional", 1),
        ("examples/well-governed.yaml", "acceptable", 0),
        ("examples/well-governed.json", "acceptable", 0),
    ] {
        let (json, status) = assess_json(file);
        assert_eq!(json["verdict"], verdict, "{file}");
        assert_eq!(status, code, "{file}");
    }
}

#[test]
fn yaml_and_json_of_the_same_system_give_the_same_findings() {
    let (yaml, _) = assess_json("examples/well-governed.yaml");
    let (json, _) = assess_json("examples/well-governed.json");
    let strip = |v: &Value| -> Vec<(Value, Value)> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["rule_id"].clone(), f["outcome"].clone()))
            .collect()
    };
    assert_eq!(strip(&yaml), strip(&json));
}

#[test]
fn red_line_findings_name_the_field_value_and_line() {
    let (json, _) = assess_json("examples/live-facial-recognition.yaml");
    let blockers: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "blocker" && f["outcome"] == "gap")
        .collect();
    assert!(!blockers.is_empty());
    for f in blockers {
        let obs = f["observations"].as_array().unwrap();
        assert!(!obs.is_empty(), "{f}");
        for o in obs {
            assert!(o["line"].as_u64().unwrap() > 1, "{o}");
            assert!(o["pointer"].as_str().unwrap().starts_with('/'));
        }
        assert!(!f["remediation"].as_str().unwrap().is_empty());
        assert!(!f["sources"].as_array().unwrap().is_empty());
    }
}

#[test]
fn an_observation_points_at_the_line_where_the_value_is_written() {
    let (json, _) = assess_json("examples/welfare-risk-scoring.yaml");
    let text = std::fs::read_to_string(root().join("examples/welfare-risk-scoring.yaml")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut checked = 0;
    for f in json["findings"].as_array().unwrap() {
        for o in f["observations"].as_array().unwrap() {
            if o["value"].is_null() {
                continue;
            }
            let key = o["field"].as_str().unwrap().rsplit('.').next().unwrap();
            let line = lines[usize::try_from(o["line"].as_u64().unwrap()).unwrap() - 1];
            assert!(
                line.trim_start().starts_with(&format!("{key}:")),
                "{key} at `{line}`"
            );
            checked += 1;
        }
    }
    assert!(checked > 5);
}

#[test]
fn three_mistakes_are_reported_at_once_with_their_lines() {
    let out = bin()
        .args(["validate", "tests/fixtures/invalid/three-errors.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "three-errors.yaml:31:11: `affected_people.number` must be a whole number, found `many`"
        ),
        "{err}"
    );
    assert!(
        err.contains("three-errors.yaml:37:3: unknown key `can_overide` in `oversight`"),
        "{err}"
    );
    assert!(err.contains("help: did you mean `can_override`?"), "{err}");
    assert!(
        err.contains("three-errors.yaml:42:9: `impact_assessment.date` must be a real date"),
        "{err}"
    );
    assert!(err.contains("3 mistakes"), "{err}");
}

#[test]
fn validate_json_output_carries_pointers_and_positions() {
    let out = bin()
        .args([
            "validate",
            "--format",
            "json",
            "tests/fixtures/invalid/three-errors.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = json[0]["errors"].as_array().unwrap();
    let pointers: Vec<&str> = errors
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        [
            "/affected_people/number",
            "/oversight/can_overide",
            "/impact_assessment/date"
        ]
    );
    assert_eq!(errors[0]["line"], 31);
}

#[test]
fn assess_refuses_an_invalid_descriptor_with_status_2() {
    bin()
        .args(["assess", "tests/fixtures/invalid/three-errors.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("can_overide"))
        .stderr(predicate::str::contains("nothing was assessed"));
}

#[test]
fn hostile_and_broken_files_get_located_errors_not_crashes() {
    for (file, needle) in [
        ("alias-bomb.yaml", "too complex to read safely"),
        ("deep-nesting.yaml", "too complex to read safely"),
        ("syntax-error.yaml", "syntax-error.yaml:8:11:"),
        ("syntax-error.json", "syntax-error.json:6:5:"),
        ("empty.yaml", "the file is empty"),
    ] {
        let path = format!("tests/fixtures/invalid/{file}");
        bin()
            .args(["assess", &path])
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(needle))
            .stderr(predicate::str::contains("help:"));
    }
}

#[test]
fn a_repeated_key_is_an_error_in_yaml_and_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("dup.json");
    std::fs::write(&json, "{\n  \"descriptor_version\": \"1\",\n  \"system\": {\"name\": \"a\", \"name\": \"b\"}\n}\n").unwrap();
    let yaml = dir.path().join("dup.yaml");
    std::fs::write(
        &yaml,
        "descriptor_version: \"1\"\nsystem:\n  name: a\n  name: b\n",
    )
    .unwrap();
    for (path, at) in [(&json, "dup.json:3:"), (&yaml, "dup.yaml:4:")] {
        bin()
            .arg("validate")
            .arg(path)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(at))
            .stderr(predicate::str::contains("duplicate mapping key: name"))
            .stderr(predicate::str::contains("help: each key may appear once"));
    }
}

#[test]
fn a_huge_file_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let line = "# padding padding padding padding padding padding padding padding\n";
    std::fs::write(&path, line.repeat(80_000)).unwrap();
    bin()
        .args(["validate", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bytes accepted"));
}

#[test]
fn a_top_level_list_is_explained() {
    bin()
        .args(["validate", "tests/fixtures/invalid/not-a-mapping.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the file must hold named sections",
        ));
}

#[test]
fn country_codes_and_leading_zeros_stay_text() {
    bin()
        .args(["validate", "tests/fixtures/invalid/norway.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("valid"));
    let doc = rightscheck::document::Document::from_path(
        &root().join("tests/fixtures/invalid/norway.yaml"),
    )
    .unwrap();
    let countries = doc
        .value
        .pointer("/context/countries")
        .unwrap()
        .as_array()
        .unwrap();
    assert!(
        countries.contains(&Value::String("NO".into())),
        "{countries:?}"
    );
    assert!(
        countries.contains(&Value::String("010".into())),
        "{countries:?}"
    );
}

#[test]
fn unreadable_file_is_status_2() {
    bin()
        .args(["assess", "no/such/file.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no/such/file.yaml: cannot read the file",
        ));
}

#[test]
fn usage_errors_are_status_2() {
    bin().args(["assess"]).assert().code(2);
    bin().args(["frobnicate"]).assert().code(2);
    bin()
        .args([
            "assess",
            "--as-of",
            "2026-02-30",
            "examples/well-governed.yaml",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YYYY-MM-DD"));
}

#[test]
fn fail_on_sets_the_threshold() {
    let run = |fail_on: &str, file: &str| {
        bin()
            .args(["assess", "--as-of", AS_OF, "--fail-on", fail_on, file])
            .output()
            .unwrap()
            .status
            .code()
            .unwrap()
    };
    assert_eq!(run("never", "examples/live-facial-recognition.yaml"), 0);
    assert_eq!(run("blocker", "examples/live-facial-recognition.yaml"), 1);
    assert_eq!(run("blocker", "examples/welfare-risk-scoring.yaml"), 0);
    assert_eq!(run("high", "examples/welfare-risk-scoring.yaml"), 1);
    assert_eq!(run("high", "examples/well-governed.yaml"), 0);
}

#[test]
fn same_inputs_give_byte_identical_reports() {
    for format in ["json", "table"] {
        let a = bin()
            .args([
                "assess",
                "--format",
                format,
                "--as-of",
                AS_OF,
                "examples/welfare-risk-scoring.yaml",
            ])
            .output()
            .unwrap();
        let b = bin()
            .args([
                "assess",
                "--format",
                format,
                "--as-of",
                AS_OF,
                "examples/welfare-risk-scoring.yaml",
            ])
            .output()
            .unwrap();
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
}

#[test]
fn source_date_epoch_sets_the_default_date() {
    let out = bin()
        .env("SOURCE_DATE_EPOCH", "1782777600") // 2026-06-30
        .args(["assess", "--format", "json", "examples/well-governed.yaml"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["as_of"], "2026-06-30");
}

#[test]
fn terminal_output_has_no_colour_when_piped_or_with_no_color() {
    let out = bin()
        .args([
            "assess",
            "--as-of",
            AS_OF,
            "examples/live-facial-recognition.yaml",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("Verdict: REJECT"), "{text}");
    assert!(text.contains("Red lines (blocker)"), "{text}");
}

#[test]
fn hostile_strings_cannot_drive_the_terminal() {
    let out = bin()
        .args([
            "assess",
            "--as-of",
            AS_OF,
            "--all",
            "examples/hostile-strings.yaml",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "raw escape reached the terminal");
    assert!(
        !text.contains('\u{202e}'),
        "bidi override reached the terminal"
    );
    assert!(
        text.contains("<img src=x onerror=alert(1)>"),
        "the name is shown as text"
    );
}

#[test]
fn output_file_is_written_and_a_failed_run_leaves_none() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    bin()
        .args(["assess", "--format", "json", "--as-of", AS_OF, "--output"])
        .arg(&report)
        .arg("examples/well-governed.yaml")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("verdict acceptable"));
    let json: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["verdict"], "acceptable");

    let failed = dir.path().join("failed.json");
    bin()
        .args(["assess", "--format", "json", "--output"])
        .arg(&failed)
        .arg("tests/fixtures/invalid/three-errors.yaml")
        .assert()
        .code(2);
    assert!(!failed.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "only report.json, no temporary file");
}

#[test]
fn init_writes_a_template_that_validates_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("my-system.yaml");
    bin().arg("init").arg(&file).assert().code(0);
    bin().arg("validate").arg(&file).assert().code(0);
    let first = std::fs::read_to_string(&file).unwrap();
    assert!(first.contains("descriptor_version"));

    std::fs::write(&file, "my own work\n").unwrap();
    bin()
        .arg("init")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my own work\n");

    bin().arg("init").arg("--force").arg(&file).assert().code(0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
}

#[test]
fn the_template_turns_every_blank_into_a_question() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blank.yaml");
    bin().arg("init").arg(&file).assert().code(0);
    let out = bin()
        .args(["assess", "--format", "json", "--as-of", AS_OF])
        .arg(&file)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["summary"]["gap"], 0,
        "a blank template asserts nothing, so it has no gaps"
    );
    assert!(json["summary"]["unknown"].as_u64().unwrap() > 5);
    for f in json["findings"].as_array().unwrap() {
        if f["outcome"] == "unknown" {
            assert!(f["question"].as_str().is_some_and(|q| q.len() > 10), "{f}");
        }
    }
}

#[test]
fn rules_list_json_has_the_catalog_fields() {
    let out = bin()
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = json.as_array().unwrap();
    let catalog = rightscheck::rules::Catalog::builtin().unwrap();
    assert_eq!(rules.len(), catalog.rules().len());
    let levels = ["I", "II", "III", "IV"];
    let severities_known = ["blocker", "high", "medium", "low", "info"];
    for r in rules {
        for key in ["id", "title", "theme"] {
            assert!(r[key].is_string(), "{key} in {r}");
        }
        // One severity, or one per level from where the rule applies.
        match &r["severity"] {
            Value::String(s) => assert!(severities_known.contains(&s.as_str()), "{r}"),
            Value::Object(by_level) => {
                assert!(by_level.len() >= 2, "{r}");
                for (level, s) in by_level {
                    assert!(levels.contains(&level.as_str()), "{r}");
                    assert!(
                        s.as_str().is_some_and(|s| severities_known.contains(&s)),
                        "{r}"
                    );
                }
            }
            other => panic!("severity {other} in {r}"),
        }
        if let Some(from) = r.get("applies_from") {
            assert!(levels[1..].contains(&from.as_str().unwrap()), "{r}");
        }
        let source = &r["sources"][0];
        for key in ["document", "call", "quote"] {
            assert!(source[key].is_string(), "{key} in {r}");
        }
    }
    let severities: Vec<&str> = rules
        .iter()
        .filter_map(|r| r["severity"].as_str())
        .collect();
    assert!(severities.contains(&"blocker"));
}

#[test]
fn explain_prints_the_documentation_sections() {
    let list: Value = serde_json::from_slice(
        &bin()
            .args(["rules", "list", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let id = list[0]["id"].as_str().unwrap();
    for args in [vec!["explain", id], vec!["rules", "show", id]] {
        bin()
            .args(&args)
            .assert()
            .code(0)
            .stdout(predicate::str::contains("What it checks"))
            .stdout(predicate::str::contains("Why it matters"))
            .stdout(predicate::str::contains("How to close the gap"))
            .stdout(predicate::str::contains("Sources"));
    }
    bin()
        .args(["explain", "RC-OVS-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rule has the id `RC-OVS-01`"))
        .stderr(predicate::str::contains("did you mean"));
}

#[test]
fn schema_prints_the_shipped_schemas() {
    let out = bin().args(["schema", "descriptor"]).output().unwrap();
    let shipped = std::fs::read(root().join("schemas/ai-system.schema.json")).unwrap();
    assert_eq!(out.stdout, shipped);
    let out = bin().args(["schema", "rule"]).output().unwrap();
    let shipped = std::fs::read(root().join("schemas/rule.schema.json")).unwrap();
    assert_eq!(out.stdout, shipped);
    let out = bin().args(["schema", "assessment"]).output().unwrap();
    let shipped = std::fs::read(root().join("schemas/assessment.schema.json")).unwrap();
    assert_eq!(out.stdout, shipped);
    let out = bin().args(["schema", "portfolio"]).output().unwrap();
    let shipped = std::fs::read(root().join("schemas/portfolio.schema.json")).unwrap();
    assert_eq!(out.stdout, shipped);
}

fn write_pack(dir: &Path, body: &str) {
    std::fs::write(dir.join("pack.yaml"), body).unwrap();
}

const PACK_RULE: &str = r#"rules:
  - id: XX-TST-001
    title: The system is publicly disclosed
    theme: transparency
    severity: low
    sources:
      - document: foc-2020
        call: FOC20-00
        quote: "States should take action to oppose and refrain from the use of AI systems"
    requires:
      field: FIELD
      equals: true
    remediation: Disclose it.
    docs:
      what_it_checks: Whether the system is disclosed.
      why_it_matters: People cannot contest what they cannot see.
"#;

#[test]
fn a_rule_pack_adds_rules() {
    let dir = tempfile::tempdir().unwrap();
    write_pack(
        dir.path(),
        &PACK_RULE.replace("FIELD", "transparency.public_disclosure"),
    );
    let out = bin()
        .args(["assess", "--format", "json", "--as-of", AS_OF, "--rules"])
        .arg(dir.path())
        .arg("examples/well-governed.yaml")
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mine = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "XX-TST-001")
        .expect("pack rule evaluated");
    assert_eq!(mine["outcome"], "pass");
}

#[test]
fn a_rule_referring_to_an_unknown_field_is_a_load_error() {
    let dir = tempfile::tempdir().unwrap();
    write_pack(
        dir.path(),
        &PACK_RULE.replace("FIELD", "transparency.public_disclosur"),
    );
    bin()
        .args(["assess", "--rules"])
        .arg(dir.path())
        .arg("examples/well-governed.yaml")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pack.yaml:11:7: rule `XX-TST-001`: refers to `transparency.public_disclosur`",
        ))
        .stderr(predicate::str::contains(
            "did you mean `transparency.public_disclosure`?",
        ));
}

#[test]
fn a_rule_with_a_value_the_field_cannot_hold_is_a_load_error() {
    let dir = tempfile::tempdir().unwrap();
    let body = PACK_RULE
        .replace("FIELD", "oversight.mode")
        .replace("equals: true", "equals: human-in-loop");
    write_pack(dir.path(), &body);
    bin()
        .args(["rules", "list", "--rules"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`human-in-loop` is not a value `oversight.mode` can hold",
        ))
        .stderr(predicate::str::contains(
            "did you mean `human-in-the-loop`?",
        ));
}

#[test]
fn a_pack_clashing_with_a_builtin_id_is_an_error() {
    let list: Value = serde_json::from_slice(
        &bin()
            .args(["rules", "list", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let taken = list[0]["id"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_pack(
        dir.path(),
        &PACK_RULE
            .replace("FIELD", "transparency.public_disclosure")
            .replace("XX-TST-001", taken),
    );
    bin()
        .args(["rules", "list", "--rules"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "rule id `{taken}` is already defined"
        )));
}

#[test]
fn the_builtin_rule_fixtures_pass() {
    bin()
        .args(["rules", "test"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(" 0 failed"));
}

#[test]
fn rules_levels_says_what_each_level_asks() {
    let out = bin()
        .args(["rules", "levels", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let levels: Value = serde_json::from_slice(&out.stdout).unwrap();
    let levels = levels.as_array().unwrap();
    let names: Vec<&str> = levels
        .iter()
        .map(|l| l["level"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["I", "II", "III", "IV"]);
    // The points run from 0 to the maximum without a hole or an overlap.
    assert_eq!(levels[0]["from_points"], 0);
    for pair in levels.windows(2) {
        assert_eq!(
            pair[0]["to_points"].as_u64().unwrap() + 1,
            pair[1]["from_points"].as_u64().unwrap()
        );
    }
    // Obligations grow: more high-severity rules at each level, and a person makes the
    // final decision from level III.
    let high: Vec<u64> = levels.iter().map(|l| l["high"].as_u64().unwrap()).collect();
    assert!(high.windows(2).all(|w| w[0] <= w[1]), "{high:?}");
    let starts_at_iii: Vec<&str> = levels[2]["starts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["rule_id"].as_str().unwrap())
        .collect();
    assert!(starts_at_iii.contains(&"RC-OVS-006"), "{starts_at_iii:?}");
    let table = bin().args(["rules", "levels"]).output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("III (high impact)"), "{text}");
    assert!(text.contains("From level III:"), "{text}");
}

#[test]
fn none_where_a_reference_is_expected_gets_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("none.yaml");
    std::fs::write(
        &file,
        "descriptor_version: \"1\"\nsystem: {name: x}\nlegality:\n  legal_basis: specific-law\n  legal_basis_reference: n/a\n  evidence:\n    - {title: Opinion, link: https://example.org/opinion, date: \"2026-01-01\"}\nimpact_assessment:\n  evidence:\n    - {title: Report, file: None., date: \"2026-01-01\"}\n",
    )
    .unwrap();
    let out = bin().arg("validate").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains(":5:26: `legality.legal_basis_reference` expects a reference, found `n/a`"),
        "{text}"
    );
    assert!(text.contains("write `legal_basis: none`"), "{text}");
    // In the order of the file.
    assert!(text.find(":5:26:") < text.find(":10:"), "{text}");
    assert!(
        text.contains("`impact_assessment.evidence.0.file` expects a reference"),
        "{text}"
    );
    // A real reference, the same place, is fine.
    std::fs::write(
        &file,
        "descriptor_version: \"1\"\nsystem: {name: x}\nlegality:\n  legal_basis: specific-law\n  legal_basis_reference: Police Act, s. 12\n",
    )
    .unwrap();
    let out = bin().arg("validate").arg(&file).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn rules_coverage_by_framework_accounts_for_every_provision() {
    for framework in [
        "coe-cets-225",
        "eu-ai-act",
        "nist-ai-rmf",
        "ungp",
        "canada-dadm",
    ] {
        let out = bin()
            .args([
                "rules",
                "coverage",
                "--framework",
                framework,
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{framework}");
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["complete"], true, "{framework}");
        for p in json["provisions"].as_array().unwrap() {
            match p["status"].as_str().unwrap() {
                "covered" => assert!(!p["checked_by"].as_array().unwrap().is_empty(), "{p}"),
                "out-of-scope" => assert!(p["out_of_scope"].as_str().is_some(), "{p}"),
                other => panic!("{framework}: {other} {p}"),
            }
        }
    }
    // The red line on emotion recognition at work is crosswalked to the Act's ban.
    let out = bin()
        .args(["rules", "coverage", "--framework", "eu-ai-act"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("RC-PRO-010"), "{text}");
    let unknown = bin()
        .args(["rules", "coverage", "--framework", "eu-ai-akt"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("eu-ai-act"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
}

#[test]
fn a_descriptor_on_standard_input_is_named_stdin() {
    let text = std::fs::read(root().join("examples/welfare-risk-scoring.yaml")).unwrap();
    let out = bin()
        .args(["assess", "--format", "json", "--as-of", AS_OF, "-"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["descriptor"]["file"], "<stdin>");
    let (from_file, _) = assess_json("examples/welfare-risk-scoring.yaml");
    assert_eq!(json["verdict"], from_file["verdict"]);
    assert_eq!(
        json["descriptor"]["sha256"],
        from_file["descriptor"]["sha256"]
    );

    bin()
        .args(["validate", "-"])
        .write_stdin(text)
        .assert()
        .code(0)
        .stdout("<stdin>: valid\n");
    bin()
        .args(["validate", "-"])
        .write_stdin("{\"system\": []}")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("<stdin>:1:"));
}

#[test]
fn colour_follows_the_color_flag_and_no_color() {
    let escape = predicate::str::contains("\u{1b}[");
    // `bin()` sets NO_COLOR: `auto` never colours, `always` does anyway.
    bin()
        .args(["explain", "RC-NOPE-000"])
        .assert()
        .code(2)
        .stderr(escape.clone().not());
    bin()
        .args(["--color", "always", "explain", "RC-NOPE-000"])
        .assert()
        .code(2)
        .stderr(escape.clone());
    bin()
        .args(["assess", "--color=always", "--as-of", AS_OF])
        .arg("examples/welfare-risk-scoring.yaml")
        .assert()
        .code(1)
        .stdout(escape.clone());
    bin()
        .args(["assess", "--color", "never", "--as-of", AS_OF])
        .arg("examples/welfare-risk-scoring.yaml")
        .env_remove("NO_COLOR")
        .assert()
        .code(1)
        .stdout(escape.not());
}

#[test]
fn the_settings_file_is_found_in_a_parent_folder_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("systems/2026");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(dir.path().join("rightscheck.toml"), "fail-on = \"never\"\n").unwrap();
    let file = root().join("examples/welfare-risk-scoring.yaml");
    let assess = || {
        let mut cmd = bin();
        cmd.current_dir(&sub).args(["assess", "--as-of", AS_OF]);
        cmd
    };
    assess().arg(&file).assert().code(0);
    assess()
        .arg("--fail-on")
        .arg("high")
        .arg(&file)
        .assert()
        .code(1);
    bin()
        .current_dir(&sub)
        .args(["--no-config", "assess", "--as-of", AS_OF])
        .arg(&file)
        .assert()
        .code(1);
    bin()
        .current_dir(&sub)
        .args(["--verbose", "rules", "levels"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("rightscheck.toml"));
    // A command that takes no settings runs whatever state the file is in.
    std::fs::write(dir.path().join("rightscheck.toml"), "fail-on = [\n").unwrap();
    bin()
        .current_dir(&sub)
        .args(["schema", "waivers"])
        .assert()
        .code(0);
    bin()
        .current_dir(&sub)
        .args(["rules", "levels"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rightscheck.toml:"));
}

#[test]
fn init_writes_json_for_a_json_name_and_the_schema_line_for_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let json_file = dir.path().join("my-system.json");
    bin().arg("init").arg(&json_file).assert().code(0);
    bin().arg("validate").arg(&json_file).assert().code(0);
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
    assert!(json.get("descriptor_version").is_some(), "{json}");

    let yaml_file = dir.path().join("my-system.yaml");
    bin().arg("init").arg(&yaml_file).assert().code(0);
    let yaml = std::fs::read_to_string(&yaml_file).unwrap();
    // The line the README shows for editors.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let line = yaml.lines().next().unwrap();
    assert!(
        line.starts_with("# yaml-language-server: $schema="),
        "{line}"
    );
    assert!(readme.contains(line), "README does not show `{line}`");
}

#[test]
fn completions_and_the_manual_page_come_from_the_argument_definitions() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = bin().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("validate") && text.contains("no-config"),
            "{shell}"
        );
    }
    let out = bin().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH rightscheck 1"), "{page}");
    for command in ["init", "validate", "assess", "rules", "completions", "man"] {
        assert!(
            page.contains(command),
            "{command} missing from the manual page"
        );
    }
}

/// The long flags of a `--help` text's options, without `--help` and `--version`.
fn long_flags(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| {
            w.strip_prefix("--")
                .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_lowercase()))
        })
        .filter(|w| *w != "--help" && *w != "--version")
        .map(str::to_string)
        .collect()
}

#[test]
fn the_readme_lists_exactly_the_global_flags() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- global-flags")
        .expect("global flags table");
    let end = readme
        .find("<!-- /global-flags -->")
        .expect("end of the table");
    let documented = long_flags(&readme[start..end]);
    let out = bin().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let options = &help[help.find("Options:").unwrap()..];
    assert_eq!(documented, long_flags(options));
}

#[test]
fn pre_commit_hooks_run_commands_that_exist() {
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let entries: Vec<&str> = hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: rightscheck "))
        .collect();
    assert_eq!(entries.len(), 2, "{hooks}");
    for entry in entries {
        let mut args: Vec<&str> = entry.split_whitespace().collect();
        args.push("examples/well-governed.yaml");
        let out = bin().args(&args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{entry}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_readme_conventions_show_command_lines_that_parse() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("## Command-line conventions").unwrap();
    let end = start + readme[start..].find("\n## Reports").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut seen = 0;
    for line in readme[start..end].lines() {
        let line = line.trim().trim_start_matches("- run: ");
        let Some(rest) = line.strip_prefix("rightscheck ") else {
            continue;
        };
        // The command alone: no redirection, no comment.
        let command = rest.split(['>', '#']).next().unwrap();
        let out = bin()
            .current_dir(dir.path())
            .args(command.split_whitespace())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("Usage:"), "`{line}` does not parse: {err}");
        seen += 1;
    }
    assert!(seen >= 5, "only {seen} command lines found");
}

/// One system's JSON report goes to standard output as it is written: a reader that stops
/// early (`| head`) is no error, and an output that cannot take it is one, said plainly.
#[test]
fn the_json_report_on_standard_output_meets_a_closed_or_full_output() {
    use std::io::Read as _;
    let args = [
        "assess",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "examples/welfare-risk-scoring.yaml",
    ];
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rightscheck"))
        .current_dir(root())
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The report is far larger than a pipe holds, so the run meets the closed pipe.
    let mut head = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(head.starts_with(b"{\n  \"tool\": {"));
    assert_eq!(
        out.status.code(),
        Some(1),
        "the verdict's status, as in full"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");

    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // Not on this system.
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rightscheck"))
        .current_dir(root())
        .args(args)
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: cannot write to standard output: No space left on device"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: check the disk or the pipe"),
        "{stderr}"
    );
}
