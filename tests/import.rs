//! `rightscheck import`: the excerpts in `tests/fixtures/import` against their pinned
//! descriptors, the full published files when they are present, and the rules about
//! skipping and overwriting.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::root;
use predicates::prelude::*;
use rightscheck::document::Document;
use rightscheck::schema::Schema;

/// 2026-06-30, so that `imported_on` is pinned.
const EPOCH: &str = "1782777600";

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/import").join(name)
}

fn import(register: &str, file: &Path, out: &Path) -> Command {
    let mut cmd = Command::cargo_bin("rightscheck").unwrap();
    cmd.env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("import")
        .arg(register)
        .arg(file)
        .arg("--out")
        .arg(out);
    cmd
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn assert_all_valid(dir: &Path) -> usize {
    let schema = Schema::descriptor().unwrap();
    let files = yaml_files(dir);
    for file in &files {
        let doc = Document::from_path(file).unwrap();
        let issues = schema.validate(&doc);
        assert!(issues.is_empty(), "{}: {issues:?}", file.display());
    }
    files.len()
}

fn assert_matches_expected(out: &Path, expected: &Path) {
    let names = |dir: &Path| -> Vec<String> {
        yaml_files(dir)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names(out), names(expected));
    for name in names(expected) {
        assert_eq!(
            std::fs::read_to_string(out.join(&name)).unwrap(),
            std::fs::read_to_string(expected.join(&name)).unwrap(),
            "{name} differs from tests/fixtures/import/expected"
        );
    }
}

#[test]
fn us_excerpt_gives_the_pinned_descriptors() {
    let out = tempfile::tempdir().unwrap();
    import(
        "us-federal-inventory",
        &fixture("us-inventory-excerpt.csv"),
        out.path(),
    )
    .assert()
    .code(0)
    .stdout("read 4 records, wrote 4 descriptors, skipped 0\n");
    assert_matches_expected(out.path(), &fixture("expected/us"));
    assert_eq!(assert_all_valid(out.path()), 4);
}

#[test]
fn us_excerpt_keeps_waivers_and_stray_newlines_unknown_but_recorded() {
    let expected = fixture("expected/us");
    let waived = std::fs::read_to_string(expected.join("us-2024-hud-row-0002.yaml")).unwrap();
    // The waiver is kept word for word, and the field it answers stays unknown.
    assert!(waived.contains("Agency CAIO has waived this minimum practice"));
    assert!(!waived.contains("can_contest: "));
    // Windows-1252 quotes are decoded, not mangled.
    assert!(waived.contains("system’s"));
    let newline = std::fs::read_to_string(expected.join("us-2024-dhs-row-0001.yaml")).unwrap();
    assert!(newline.contains("decisions_affect_rights: true"));
    assert!(newline.contains("answer: |\n      Rights-Impacting\n"));
}

#[test]
fn nl_excerpt_of_three_standard_versions_gives_the_pinned_descriptors() {
    let out = tempfile::tempdir().unwrap();
    import(
        "nl-algoritmeregister",
        &fixture("nl-register-excerpt.json"),
        out.path(),
    )
    .assert()
    .code(0)
    .stdout("read 3 records, wrote 3 descriptors, skipped 0\n");
    assert_matches_expected(out.path(), &fixture("expected/nl"));
    assert_eq!(assert_all_valid(out.path()), 3);
    let texts: Vec<String> = yaml_files(out.path())
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for version in ["0.1.0", "0.3.1", "0.4.0"] {
        assert!(
            texts
                .iter()
                .any(|t| t.contains(&format!("publication standard {version}"))),
            "no record of standard {version}"
        );
    }
}

#[test]
fn existing_descriptors_are_kept_without_force() {
    let out = tempfile::tempdir().unwrap();
    let csv = fixture("us-inventory-excerpt.csv");
    import("us-federal-inventory", &csv, out.path())
        .assert()
        .code(0);
    let one = out.path().join("us-2024-hud-row-0002.yaml");
    std::fs::write(&one, "edited by hand\n").unwrap();
    import("us-federal-inventory", &csv, out.path())
        .assert()
        .code(1)
        .stdout(
            "read 4 records, wrote 0 descriptors, skipped 4 (4 already existed; add `--force` to replace them)\n",
        )
        .stderr(predicate::str::contains("skipped row 2: ").and(predicate::str::contains(
            "us-2024-hud-row-0002.yaml already exists",
        )));
    assert_eq!(std::fs::read_to_string(&one).unwrap(), "edited by hand\n");
    import("us-federal-inventory", &csv, out.path())
        .arg("--force")
        .assert()
        .code(0)
        .stdout("read 4 records, wrote 4 descriptors, skipped 0\n");
    assert_matches_expected(out.path(), &fixture("expected/us"));
}

#[test]
fn a_malformed_record_is_reported_and_skipped_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    // The excerpt with a short row added between two good ones.
    let bytes = std::fs::read(fixture("us-inventory-excerpt.csv")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let header = text.split_inclusive("\r\n").next().unwrap();
    let csv = dir.path().join("broken.csv");
    let mut broken = header.as_bytes().to_vec();
    broken.extend_from_slice(b"Only a name,Some agency\r\n");
    broken.extend_from_slice(&bytes[header.len()..]);
    std::fs::write(&csv, broken).unwrap();
    let out = dir.path().join("systems");
    import("us-federal-inventory", &csv, &out)
        .assert()
        .code(1)
        .stdout("read 5 records, wrote 4 descriptors, skipped 1 (1 malformed)\n")
        .stderr(predicate::str::contains(
            "skipped row 1: has 2 columns, the header has 62",
        ));
    assert_eq!(assert_all_valid(&out), 4);

    let json = dir.path().join("broken.json");
    std::fs::write(
        &json,
        r#"[{"lars": "1", "name": "Ok", "organization": "Gemeente X"}, 42, {"lars": "3", "name": "", "organization": "Y"}]"#,
    )
    .unwrap();
    let out = dir.path().join("nl");
    import("nl-algoritmeregister", &json, &out)
        .assert()
        .code(1)
        .stdout("read 3 records, wrote 1 descriptors, skipped 2 (2 malformed)\n")
        .stderr(
            predicate::str::contains("skipped record 2: not an object").and(
                predicate::str::contains(
                    "skipped record 3 (lars 3): no `name` or no `organization`",
                ),
            ),
        );
}

#[test]
fn a_file_of_the_wrong_kind_is_an_error() {
    let out = tempfile::tempdir().unwrap();
    import(
        "nl-algoritmeregister",
        &fixture("us-inventory-excerpt.csv"),
        out.path(),
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "not an Algoritmeregister JSON export",
    ));
    import(
        "us-federal-inventory",
        &fixture("does-not-exist.csv"),
        out.path(),
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains("cannot read"));
}

/// The published files in `../shared/data`, when they are there.
fn full_file(relative: &str) -> Option<PathBuf> {
    let path = root().join("../shared/data").join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "note: {} is absent; the full-file import test is skipped",
            path.display()
        );
        None
    }
}

fn import_full(register: &str, path: &Path, records: usize) {
    let out = tempfile::tempdir().unwrap();
    let output = import(register, path, out.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Every record is accounted for: read = written + skipped, with one line per skip.
    let skipped = stderr.lines().filter(|l| l.starts_with("skipped ")).count();
    let written = assert_all_valid(out.path());
    assert_eq!(written + skipped, records, "{stdout}{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "read {records} records, wrote {written} descriptors, skipped {skipped}"
        )),
        "{stdout}"
    );
    assert_eq!(output.status.code(), Some(i32::from(skipped > 0)));
}

#[test]
fn the_full_us_inventory_is_accounted_for() {
    if let Some(path) =
        full_file("us-federal-ai-inventory-2024/2024_consolidated_ai_inventory_raw_v2.csv")
    {
        import_full("us-federal-inventory", &path, 2133);
    }
}

/// The gaps an inventory's portfolio counts are answers the register gave: questions it
/// never asks (a legal basis, the red lines) are counted apart as "not asked", never as
/// gaps or open questions.
#[test]
fn the_full_us_inventory_counts_unasked_questions_apart_from_gaps() {
    let Some(path) =
        full_file("us-federal-ai-inventory-2024/2024_consolidated_ai_inventory_raw_v2.csv")
    else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    import("us-federal-inventory", &path, out.path())
        .assert()
        .success();
    let report = Command::cargo_bin("rightscheck")
        .unwrap()
        .args(["assess", "--as-of", "2026-06-30", "--format", "json"])
        .arg(out.path())
        .output()
        .unwrap();
    let p: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let summary = &p["summary"];
    assert_eq!(summary["not_asked"], summary["assessed"]);
    let rule = |id: &str| {
        p["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule_id"] == id)
            .unwrap()
            .clone()
    };
    // The inventory never asks for a legal basis or about the red lines' capabilities.
    for id in [
        "RC-IA-009",
        "RC-PRO-001",
        "RC-PRO-003",
        "RC-PRO-004",
        "RC-PRO-006",
    ] {
        let r = rule(id);
        assert_eq!(r["gap"], 0, "{r}");
        assert_eq!(r["unknown"], 0, "{r}");
    }
    assert!(rule("RC-IA-009")["not_asked"].as_u64().unwrap() > 100);
    // The gap found most often is an answer the register gave: a privacy assessment the
    // agency said was not done.
    let top = &p["common_gaps"][0];
    assert!(top["gap"].as_u64().unwrap() > 0, "{top}");
    assert_eq!(top["not_asked"], 0, "{top}");
}

#[test]
fn the_full_dutch_register_export_is_accounted_for() {
    if let Some(path) = full_file("nl-algoritmeregister/minbzk_pub_data_2023-06.json") {
        import_full("nl-algoritmeregister", &path, 130);
    }
}
