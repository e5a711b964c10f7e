//! Assessing many descriptors in one run: the portfolio report in every format, from the
//! real binary, over copies of the examples, a broken descriptor, and (when present) the
//! whole US federal AI use case inventory.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::cast_possible_truncation
)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use common::{AS_OF, assert_valid, bin, oscal_references_resolve, root, trestle_python, validator};
use serde_json::Value;

const FORMATS: [&str; 8] = [
    "table", "json", "markdown", "html", "csv", "sarif", "junit", "oscal",
];

/// The examples copied into a folder, with their expected verdicts.
const SYSTEMS: [(&str, &str); 5] = [
    ("examples/live-facial-recognition.yaml", "reject"),
    ("examples/welfare-risk-scoring.yaml", "conditional"),
    ("examples/well-governed.yaml", "acceptable"),
    ("examples/well-governed.json", "acceptable"),
    ("examples/hostile-strings.yaml", "acceptable"),
];

/// A folder of descriptors: the examples (in a subfolder for two of them), a hidden file
/// that must be skipped, a text file that is not a descriptor, and optionally a broken one.
fn inventory(broken: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    for (i, (file, _)) in SYSTEMS.iter().enumerate() {
        let name = Path::new(file).file_name().unwrap().to_string_lossy();
        let target = if i < 2 {
            dir.path().join("sub").join(format!("{i}-{name}"))
        } else {
            dir.path().join(format!("{i}-{name}"))
        };
        std::fs::copy(root().join(file), target).unwrap();
    }
    std::fs::write(dir.path().join(".hidden.yaml"), "not: [a descriptor").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not read").unwrap();
    if broken {
        std::fs::write(
            dir.path().join("9-broken.yaml"),
            "descriptor_version: \"1.0\"\nsystem:\n  name: [unclosed\n",
        )
        .unwrap();
    }
    dir
}

/// Runs `assess` on the folder and returns (exit status, stdout).
fn assess(dir: &Path, format: &str, extra: &[&str]) -> (i32, String) {
    let out = bin()
        .args(["assess", "--as-of", AS_OF, "--format", format])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code == 1 || code == 2,
        "{format}: status {code}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code, String::from_utf8(out.stdout).unwrap())
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn a_folder_is_assessed_into_one_portfolio_with_the_single_verdicts() {
    let dir = inventory(false);
    let (code, text) = assess(dir.path(), "json", &[]);
    assert_eq!(code, 1, "findings at or above high, no error");
    let p = json(&text);
    assert_valid(
        &validator("schemas/portfolio.schema.json"),
        &p,
        "portfolio JSON",
    );
    assert_eq!(p["kind"], "portfolio");
    assert_eq!(p["summary"]["descriptors"], 5);
    assert_eq!(p["summary"]["assessed"], 5);
    assert_eq!(p["summary"]["errors"], 0);
    assert_eq!(p["summary"]["reject"], 1);
    assert_eq!(p["summary"]["conditional"], 1);
    assert_eq!(p["summary"]["acceptable"], 3);
    // File order: sorted by name within each folder, hidden entries and other files skipped.
    let files: Vec<String> = p["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            Path::new(s["file"].as_str().unwrap())
                .strip_prefix(dir.path())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        files,
        [
            "2-well-governed.yaml",
            "3-well-governed.json",
            "4-hostile-strings.yaml",
            "sub/0-live-facial-recognition.yaml",
            "sub/1-welfare-risk-scoring.yaml",
        ]
    );
    // Each system's row agrees with assessing the file alone.
    let catalog_rules = p["catalog"]["rules"].as_u64().unwrap();
    for system in p["systems"].as_array().unwrap() {
        let file = system["file"].as_str().unwrap();
        let out = bin()
            .args(["assess", "--as-of", AS_OF, "--format", "json", file])
            .output()
            .unwrap();
        let single = json(&String::from_utf8(out.stdout).unwrap());
        assert_eq!(system["verdict"], single["verdict"], "{file}");
        assert_eq!(system["level"], single["level"]["level"], "{file}");
        let c = &system["counts"];
        assert_eq!(c["gap"], single["summary"]["gap"], "{file}");
        assert_eq!(c["unknown"], single["summary"]["unknown"], "{file}");
        assert_eq!(c["pass"], single["summary"]["pass"], "{file}");
        let sum: u64 = ["gap", "unknown", "pass", "not_applicable", "waived"]
            .iter()
            .map(|k| c[k].as_u64().unwrap())
            .sum();
        assert_eq!(sum, catalog_rules, "{file}");
        let gaps: BTreeSet<&str> = system["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g.as_str().unwrap())
            .collect();
        let single_gaps: BTreeSet<&str> = single["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["outcome"] == "gap")
            .map(|f| f["rule_id"].as_str().unwrap())
            .collect();
        assert_eq!(gaps, single_gaps, "{file}");
    }
    for (file, verdict) in SYSTEMS {
        let name = Path::new(file).file_name().unwrap().to_string_lossy();
        let row = p["systems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["file"].as_str().unwrap().ends_with(name.as_ref()))
            .unwrap();
        assert_eq!(row["verdict"], verdict, "{file}");
    }
}

/// The themes of the built-in catalog: the columns of the system-by-theme matrix.
fn theme_count() -> usize {
    let catalog = rightscheck::rules::Catalog::builtin().unwrap();
    let themes: std::collections::BTreeSet<&str> =
        catalog.rules().iter().map(|r| r.theme.as_str()).collect();
    themes.len()
}

#[test]
fn theme_matrix_and_common_gaps_add_up() {
    let dir = inventory(false);
    let p = json(&assess(dir.path(), "json", &[]).1);
    let themes = p["themes"].as_array().unwrap();
    assert_eq!(themes.len(), theme_count());
    for t in themes {
        let total: u64 = [
            "gap",
            "unknown",
            "not_asked",
            "waived",
            "pass",
            "not_applicable",
        ]
        .iter()
        .map(|k| t[k].as_u64().unwrap())
        .sum();
        assert_eq!(total, 5, "{t}");
        let name = t["theme"].as_str().unwrap();
        let gaps = p["systems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["themes"][name] == "gap")
            .count();
        assert_eq!(t["gap"].as_u64().unwrap() as usize, gaps, "{name}");
    }
    let common = p["common_gaps"].as_array().unwrap();
    assert!(!common.is_empty());
    for pair in common.windows(2) {
        assert!(pair[0]["gap"].as_u64() >= pair[1]["gap"].as_u64());
    }
    for rule in p["rules"].as_array().unwrap() {
        let id = rule["rule_id"].as_str().unwrap();
        let with_gap = p["systems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["gaps"].as_array().unwrap().iter().any(|g| g == id))
            .count();
        assert_eq!(rule["gap"].as_u64().unwrap() as usize, with_gap, "{id}");
        assert!(rule["applies"].as_u64() <= Some(5));
    }
}

#[test]
fn an_unreadable_descriptor_is_an_error_line_in_every_format_and_exit_2() {
    let dir = inventory(true);
    for format in FORMATS {
        let (code, text) = assess(dir.path(), format, &[]);
        assert_eq!(code, 2, "{format}");
        match format {
            "json" => {
                let p = json(&text);
                assert_valid(
                    &validator("schemas/portfolio.schema.json"),
                    &p,
                    "portfolio JSON",
                );
                assert_eq!(p["summary"]["assessed"], 5);
                assert_eq!(p["summary"]["errors"], 1);
                let e = &p["errors"][0];
                assert!(e["file"].as_str().unwrap().ends_with("9-broken.yaml"));
                assert_eq!(e["line"], 3, "{e}");
                assert!(e["column"].as_u64().unwrap() > 0);
            }
            "csv" => assert!(text.contains(",error,yes,"), "{format}"),
            "sarif" => {
                let n = &json(&text)["runs"][0]["invocations"][0]["toolExecutionNotifications"];
                assert_eq!(n.as_array().unwrap().len(), 1);
                assert_eq!(n[0]["level"], "error");
            }
            "oscal" => assert!(text.contains("Not assessed: ")),
            _ => assert!(text.contains("9-broken.yaml"), "{format}"),
        }
    }
}

#[test]
fn every_format_is_byte_identical_with_one_worker_or_many() {
    let dir = inventory(true);
    for format in FORMATS {
        let one = assess(dir.path(), format, &["--jobs", "1"]).1;
        let many = assess(dir.path(), format, &["--jobs", "4"]).1;
        assert!(one == many, "{format} differs between 1 and 4 workers");
        assert!(!one.is_empty());
    }
}

#[test]
fn csv_lists_the_findings_of_every_system_under_one_header() {
    let dir = inventory(true);
    let text = assess(dir.path(), "csv", &["--all"]).1;
    assert_eq!(text.matches('\u{feff}').count(), 1);
    assert!(text.starts_with("\u{feff}rule_id,"));
    assert_eq!(text.matches("rule_id,severity,outcome").count(), 1);
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let p = json(&assess(dir.path(), "json", &[]).1);
    let rules = p["catalog"]["rules"].as_u64().unwrap() as usize;
    assert_eq!(rows.len(), 5 * rules + 1);
    // The CSV (from full assessments) and the JSON (from evaluations alone) agree on every
    // system's gaps and open questions.
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (file, outcome) = (column("descriptor_file"), column("outcome"));
    for system in p["systems"].as_array().unwrap() {
        for (key, word) in [("gap", "gap"), ("unknown", "unknown")] {
            let in_csv = rows
                .iter()
                .filter(|r| r[file] == *system["file"].as_str().unwrap() && &r[outcome] == word)
                .count();
            assert_eq!(
                in_csv as u64,
                system["counts"][key].as_u64().unwrap(),
                "{key}"
            );
        }
    }
    // Without `--all`: the gaps and open questions only, and the error row.
    let open = assess(dir.path(), "csv", &[]).1;
    let mut reader = csv::Reader::from_reader(open.trim_start_matches('\u{feff}').as_bytes());
    let outcomes: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[outcome].to_string())
        .collect();
    let expected: u64 = p["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["counts"]["gap"].as_u64().unwrap() + s["counts"]["unknown"].as_u64().unwrap())
        .sum();
    assert_eq!(outcomes.len() as u64, expected + 1);
    assert!(
        outcomes
            .iter()
            .all(|o| ["gap", "unknown", "error"].contains(&o.as_str()))
    );
}

#[test]
fn sarif_follows_its_schema_with_one_artifact_per_system() {
    let dir = inventory(true);
    let sarif = json(&assess(dir.path(), "sarif", &[]).1);
    assert_valid(
        &validator("tests/schemas/sarif-schema-2.1.0.json"),
        &sarif,
        "portfolio SARIF",
    );
    let run = &sarif["runs"][0];
    let artifacts = run["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 5);
    for (i, a) in artifacts.iter().enumerate() {
        assert_eq!(a["location"]["index"], i);
    }
    for r in run["results"].as_array().unwrap() {
        let location = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        let index = location["index"].as_u64().unwrap() as usize;
        assert_eq!(location["uri"], artifacts[index]["location"]["uri"]);
        let rule = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][rule]["id"], r["ruleId"]);
    }
}

#[test]
fn junit_has_one_suite_per_system_and_totals_that_add_up() {
    let dir = inventory(true);
    let text = assess(dir.path(), "junit", &[]).1;
    let doc = roxmltree::Document::parse(&text).unwrap();
    let top = doc.root_element();
    assert_eq!(top.tag_name().name(), "testsuites");
    let suites: Vec<_> = top.children().filter(roxmltree::Node::is_element).collect();
    assert_eq!(suites.len(), 6, "five systems and the broken descriptor");
    for attr in ["tests", "failures", "errors", "skipped"] {
        let total: usize = suites
            .iter()
            .map(|s| s.attribute(attr).unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(
            top.attribute(attr).unwrap().parse::<usize>().unwrap(),
            total,
            "{attr}"
        );
    }
}

#[test]
fn oscal_has_one_result_per_system_and_resolving_unique_uuids() {
    let dir = inventory(true);
    // The same bytes twice under two names: the second gets its own UUIDs.
    std::fs::copy(
        root().join("examples/well-governed.yaml"),
        dir.path().join("8-well-governed-copy.yaml"),
    )
    .unwrap();
    let text = assess(dir.path(), "oscal", &["--assessor", "A. Auditor"]).1;
    let doc = json(&text);
    assert_eq!(
        doc["assessment-results"]["results"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    oscal_references_resolve(&doc, "portfolio OSCAL");
    let Some(python) = trestle_python() else {
        let message = "compliance-trestle 3.x (OSCAL 1.1) is not installed; `bash .ci/run` installs it in target/ci-venv";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("skipped: {message}");
        return;
    };
    let file = dir.path().join("portfolio.json");
    std::fs::write(&file, &text).unwrap();
    let out = Process::new(python)
        .arg("-c")
        .arg(
            "import sys, pathlib\n\
             from trestle.oscal.assessment_results import AssessmentResults\n\
             m = AssessmentResults.oscal_read(pathlib.Path(sys.argv[1]))\n\
             assert len(m.results) == 6\n",
        )
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "trestle rejects the portfolio OSCAL:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn human_reports_escape_descriptor_text_and_show_the_matrix() {
    let dir = inventory(true);
    let html = assess(dir.path(), "html", &[]).1;
    assert!(!html.contains("<img src=x"), "hostile name must be escaped");
    assert!(html.contains("&lt;img src=x"));
    assert!(!html.contains("<script"));
    assert!(html.contains("Content-Security-Policy"));
    assert_eq!(html.matches("<td class=\"c ").count(), 5 * theme_count());
    let md = assess(dir.path(), "markdown", &[]).1;
    assert!(!md.contains("<img src=x"));
    // Organisations come second, before the themes and the systems.
    assert!(md.contains("## 2. Organisations"));
    assert!(md.contains("## 4. Systems by theme"));
    let table = assess(dir.path(), "table", &[]).1;
    assert!(table.contains("Verdicts: REJECT 1 (20%) · CONDITIONAL 1 (20%) · ACCEPTABLE 3 (60%)"));
    assert!(table.contains("Most common gaps"));
}

#[cfg(unix)]
#[test]
fn a_broken_link_is_an_error_line_and_links_are_followed() {
    let dir = inventory(false);
    std::os::unix::fs::symlink(
        dir.path().join("nowhere.yaml"),
        dir.path().join("5-broken-link.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        root().join("examples/welfare-risk-scoring-v2.yaml"),
        dir.path().join("6-linked.yaml"),
    )
    .unwrap();
    let (code, text) = assess(dir.path(), "json", &[]);
    assert_eq!(code, 2);
    let p = json(&text);
    assert_eq!(
        p["summary"]["assessed"], 6,
        "the linked descriptor is assessed"
    );
    assert_eq!(p["summary"]["errors"], 1);
    assert!(
        p["errors"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("5-broken-link.yaml")
    );
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("cannot read")
    );
}

#[test]
fn inputs_that_cannot_be_listed_stop_the_run_with_status_2() {
    let empty = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["assess", "--as-of", AS_OF])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no descriptor found"), "{err}");
    let out = bin()
        .args([
            "assess",
            "--as-of",
            AS_OF,
            "examples/well-governed.yaml",
            "no/such/folder",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/folder"));
}

#[test]
fn several_files_make_a_portfolio_and_the_output_is_written_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("inventory.html");
    std::fs::write(&out_file, "previous report").unwrap();
    let status = bin()
        .args(["assess", "--as-of", AS_OF, "--format", "html", "--output"])
        .arg(&out_file)
        .args(["examples/well-governed.yaml", "examples/well-governed.json"])
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(0), "two acceptable systems");
    let html = std::fs::read_to_string(&out_file).unwrap();
    assert!(html.contains("Human-rights assessment of 2 AI systems"));
    // A failing write (the folder does not exist) leaves nothing behind.
    let missing: PathBuf = dir.path().join("nope").join("r.csv");
    let out = bin()
        .args(["assess", "--as-of", AS_OF, "--format", "csv", "--output"])
        .arg(&missing)
        .arg("examples")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!missing.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only the report written before");
}

/// The whole US federal AI use case inventory 2024, imported and assessed in one command:
/// every record accounted for, every descriptor assessed.
#[test]
fn the_whole_us_inventory_assesses_in_one_run() {
    let csv = root().join(
        "../shared/data/us-federal-ai-inventory-2024/2024_consolidated_ai_inventory_raw_v2.csv",
    );
    if !csv.exists() {
        assert!(std::env::var_os("CI").is_none() || !root().join("../shared").exists());
        eprintln!("skipped: {} is not here", csv.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let systems = dir.path().join("systems");
    let out = bin()
        .arg("import")
        .arg(&csv)
        .arg("--out")
        .arg(&systems)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = dir.path().join("inventory.json");
    let out = bin()
        .args([
            "assess",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--fail-on",
            "never",
            "--output",
        ])
        .arg(&report)
        .arg(&systems)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p = json(&std::fs::read_to_string(&report).unwrap());
    let s = &p["summary"];
    assert_eq!(s["descriptors"], 2133);
    assert_eq!(s["assessed"], 2133);
    assert_eq!(s["errors"], 0);
    let verdicts: u64 = ["reject", "conditional", "acceptable"]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum();
    assert_eq!(verdicts, 2133);
}

/// The small imported inventory of `tests/fixtures/portfolio`: two systems of one agency
/// with a privacy gap each (one explained, with a link to its record), one of another
/// agency, one of an agency that left its answers blank, and one that names no deployer.
fn imported() -> PathBuf {
    root().join("tests/fixtures/portfolio")
}

/// The CSV text as rows of cells, the byte-order mark dropped.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn csv_header(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    csv::Reader::from_reader(text.as_bytes())
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_most_common_gap_counts_only_gaps_the_answers_show() {
    let (code, text) = assess(&imported(), "json", &[]);
    assert_eq!(code, 1);
    let p = json(&text);
    assert_valid(
        &validator("schemas/portfolio.schema.json"),
        &p,
        "portfolio JSON",
    );
    let s = &p["summary"];
    assert_eq!(s["answered_gap_findings"], 4);
    assert_eq!(s["answered_gap_systems"], 3);
    assert_eq!(s["open_question_findings"], 11);
    assert_eq!(s["not_asked"], 5);
    // Legal basis is never asked by the register and contesting decisions is left blank in
    // four systems: neither may be the most common gap.
    let top = &p["common_gaps"][0];
    assert_eq!(top["rule_id"], "RC-PRV-002");
    assert_eq!(top["answered_gap"], 2);
    for rule in p["common_gaps"].as_array().unwrap() {
        assert!(
            rule["answered_gap"].as_u64().unwrap() + rule["unknown"].as_u64().unwrap() > 0,
            "a rule with only not-asked outcomes is not a common gap: {rule}"
        );
    }
    let unknown_only = p["common_gaps"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r["rule_id"] == "RC-RED-001")
        .unwrap();
    assert!(unknown_only > 0, "open questions rank after answered gaps");
    // A profile that counts a blank answer as a gap makes it a gap for the verdict, but
    // never an answered gap.
    let strict = json(&assess(&imported(), "json", &["--profile", "procurement"]).1);
    let contest = strict["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_id"] == "RC-RED-001")
        .unwrap();
    // Four systems leave it blank; the fifth answers it without evidence, which this
    // profile counts as a gap of an answer given.
    assert_eq!(contest["gap"], 5, "{contest}");
    assert_eq!(contest["answered_gap"], 1, "{contest}");
    assert_ne!(strict["common_gaps"][0]["rule_id"], "RC-RED-001");
    for format in ["table", "markdown", "html"] {
        let text = assess(&imported(), format, &["--no-color"]).1;
        assert!(
            text.contains("The gap the answers show most often is RC-PRV-002"),
            "{format}"
        );
        assert!(
            text.contains("The answers show 4 gaps in 3 systems; 11 questions the sources ask were left blank in 4 systems"),
            "{format}"
        );
        assert!(
            text.contains("270 questions in 5 systems are never asked by their source"),
            "{format}"
        );
    }
}

#[test]
fn zero_and_one_are_worded_for_people() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        imported().join("unnamed.yaml"),
        dir.path().join("only.yaml"),
    )
    .unwrap();
    let table = assess_any(dir.path(), "table", &["--no-color"]).1;
    assert!(table.contains("1 descriptor read; 1 assessed."), "{table}");
    assert!(
        table.contains("No system crosses a red line; no system lacks high-severity safeguards")
    );
    assert!(table.contains("1 system (100% of 1) is acceptable."));
    assert!(table.contains("The answers show no gap;"));
    assert!(table.contains("No answer shows a gap, so there is no most common gap."));
    assert!(table.contains("3 questions the sources ask were left blank in 1 system"));
    assert!(!table.contains(" 0 of "), "never `0 of N`: {table}");
    assert!(!table.contains("1 systems"));
    assert!(!table.contains("gap found most often"));
    // One system with an answered gap.
    std::fs::copy(
        imported().join("agency-a-1.yaml"),
        dir.path().join("only.yaml"),
    )
    .unwrap();
    let table = assess_any(dir.path(), "table", &["--no-color"]).1;
    assert!(
        table.contains("in 1 of the 1 system whose source asks it (100%)"),
        "{table}"
    );
    assert!(table.contains("The answers show 1 gap in 1 system;"));
}

/// Like [`assess`], for a folder whose systems may all pass (status 0).
fn assess_any(dir: &Path, format: &str, extra: &[&str]) -> (i32, String) {
    let out = bin()
        .args(["assess", "--as-of", AS_OF, "--format", format])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn organisations_are_grouped_and_silence_never_ranks_best() {
    let p = json(&assess(&imported(), "json", &[]).1);
    let organisations = p["organisations"].as_array().unwrap();
    let names: Vec<&Value> = organisations.iter().map(|o| &o["name"]).collect();
    assert_eq!(organisations.len(), 4, "{names:?}");
    // The agency that left its answers blank has no gap, yet comes first.
    assert_eq!(organisations[0]["name"], "Quiet Agency");
    assert_eq!(organisations[0]["answered_gap"], 0);
    assert_eq!(organisations[0]["fields"]["asked"], 14);
    assert_eq!(organisations[0]["fields"]["answered"], 2);
    let dhs = organisations
        .iter()
        .find(|o| o["name"] == "Department of Homeland Security")
        .unwrap();
    assert_eq!(dhs["systems"], 2);
    assert_eq!(dhs["answered_gap"], 3);
    assert_eq!(dhs["common_gaps"][0]["rule_id"], "RC-PRV-002");
    assert_eq!(dhs["common_gaps"][0]["systems"], 2);
    assert!(organisations.iter().any(|o| o["name"].is_null()));
    assert_eq!(p["summary"]["organisations"], 3);
    assert_eq!(p["summary"]["no_organisation"], 1);
    // The answered share of each organisation never exceeds what was asked, and the sum
    // over organisations is the portfolio's.
    for o in organisations {
        assert!(o["fields"]["answered"].as_u64() <= o["fields"]["asked"].as_u64());
    }
    let asked: u64 = organisations
        .iter()
        .map(|o| o["fields"]["asked"].as_u64().unwrap())
        .sum();
    assert_eq!(asked, p["summary"]["fields"]["asked"].as_u64().unwrap());
    for format in ["table", "markdown", "html"] {
        let text = assess(&imported(), format, &["--no-color"]).1;
        assert!(text.contains("(no organisation named)"), "{format}");
        assert!(text.contains("Quiet Agency"), "{format}");
        assert!(text.contains("14% (2 of 14)"), "{format}");
        let quiet = text.find("Quiet Agency").unwrap();
        // The table may wrap a long name; its middle word is enough.
        let dhs = text.find("Homeland").unwrap();
        assert!(quiet < dhs, "{format}: silence ranks first");
    }
}

#[test]
fn csv_has_a_deployer_column_and_only_narrows_the_rows() {
    let (_, all) = assess(&imported(), "csv", &[]);
    let header = csv_header(&all);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (outcome, deployer) = (column("outcome"), column("deployer"));
    let rows = csv_rows(&all);
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r[outcome] != "not-asked"),
        "questions a source never asks are not rows by default"
    );
    assert!(rows.iter().any(|r| r[deployer] == "Quiet Agency"));
    assert!(rows.iter().any(|r| r[deployer].is_empty()));
    let gaps = csv_rows(&assess(&imported(), "csv", &["--only", "gaps"]).1);
    assert_eq!(gaps.len(), 4);
    assert!(gaps.iter().all(|r| r[outcome] == "gap"));
    let questions = csv_rows(&assess(&imported(), "csv", &["--only", "questions"]).1);
    assert_eq!(questions.len(), 11);
    assert!(questions.iter().all(|r| r[outcome] == "unknown"));
    assert_eq!(rows.len(), gaps.len() + questions.len());
    let every = csv_rows(&assess(&imported(), "csv", &["--all"]).1);
    assert!(every.iter().any(|r| r[outcome] == "not-asked"));
    // The register's own wording and the link to the record.
    let explained = gaps
        .iter()
        .find(|r| r[column("descriptor_file")].ends_with("agency-a-1.yaml"))
        .unwrap();
    assert!(explained[column("register_wording")].contains(
        "\u{201c}No\u{201d} (explanation: \u{201c}The privacy review is planned for the next budget year.\u{201d})"
    ));
    assert_eq!(
        explained[column("register_url")],
        "https://example.org/inventory/2024/row-1"
    );
    // `--only` is for the CSV and not with `--all`.
    for extra in [
        &["--format", "json", "--only", "gaps"][..],
        &["--format", "csv", "--only", "gaps", "--all"][..],
        &[
            "--format",
            "html",
            "--questions-by",
            "organisation",
            "--output",
            "x",
        ][..],
    ] {
        let out = bin()
            .args(["assess", "--as-of", AS_OF])
            .args(extra)
            .arg(imported())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
    }
}

#[test]
fn a_finding_on_an_imported_system_shows_the_registers_wording_and_link() {
    let file = imported().join("agency-a-1.yaml");
    let run = |format: &str| {
        let out = bin()
            .args(["assess", "--as-of", AS_OF, "--no-color", "--format", format])
            .arg(&file)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let html = run("html");
    assert!(html.contains("In the register"));
    assert!(
        html.contains(
            "Has the Senior Agency Official for Privacy (SAOP) assessed the privacy risks"
        )
    );
    assert!(
        html.contains("Explanation: “The privacy review is planned for the next budget year.”")
    );
    // The template engine escapes `/` in attributes and text.
    assert!(
        html.contains(
            "<a href=\"https:&#x2f;&#x2f;example.org&#x2f;inventory&#x2f;2024&#x2f;row-1\""
        )
    );
    let md = run("markdown");
    assert!(md.contains("**In the register:**"));
    assert!(md.contains("<https://example.org/inventory/2024/row-1>"));
    let table = run("table");
    assert!(table.contains("Imported from: US federal AI use case inventory 2024, record row 1, https://example.org/inventory/2024/row-1"));
    assert!(table.contains("In the register:"));
    let sarif = run("sarif");
    assert!(sarif.contains("In the register: Has the Senior Agency Official for Privacy"));
    assert!(sarif.contains("Record: https://example.org/inventory/2024/row-1"));
    let a = json(&run("json"));
    assert_valid(
        &validator("schemas/assessment.schema.json"),
        &a,
        "assessment JSON",
    );
    assert_eq!(
        a["descriptor"]["source"]["url"],
        "https://example.org/inventory/2024/row-1"
    );
}

#[test]
fn open_questions_go_to_one_file_per_organisation() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("questions");
    let export = |extra: &[&str]| {
        bin()
            .args(["assess", "--as-of", AS_OF, "--format", "csv"])
            .args(["--questions-by", "organisation", "--output"])
            .arg(&out_dir)
            .args(extra)
            .arg(imported())
            .output()
            .unwrap()
    };
    let out = export(&[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "_index.csv",
            "department-of-homeland-security.csv",
            "department-of-housing-and-urban-development.csv",
            "no-organisation-named.csv",
            "quiet-agency.csv",
        ]
    );
    let read = |name: &str| std::fs::read_to_string(out_dir.join(name)).unwrap();
    let index = csv_rows(&read("_index.csv"));
    assert_eq!(index.len(), 4);
    assert_eq!(index[3][0], "(no organisation named)");
    let quiet = read("quiet-agency.csv");
    let header = csv_header(&quiet);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows = csv_rows(&quiet);
    assert_eq!(rows.len(), 4, "the quiet agency's four open questions");
    // Each question once per system, whatever the number of rules that ask it.
    let mut seen = BTreeSet::new();
    for name in &names[1..] {
        let text = read(name);
        let header = csv_header(&text);
        let q = header.iter().position(|h| h == "question").unwrap();
        let f = header.iter().position(|h| h == "descriptor_file").unwrap();
        for row in csv_rows(&text) {
            assert!(
                seen.insert((row[q].clone(), row[f].clone())),
                "{row:?} twice"
            );
        }
    }
    assert!(
        rows.iter()
            .all(|r| r[column("organisation")] == "Quiet Agency")
    );
    assert!(rows.iter().all(|r| r[column("answer")].is_empty()));
    assert!(
        rows.iter()
            .all(|r| !r[column("fields_left_blank")].is_empty())
    );
    assert!(rows.iter().all(|r| r[column("record_id")] == "row 5"));
    // The same inputs give the same files.
    let before = read("department-of-homeland-security.csv");
    // A second run does not overwrite without `--force`, and writes nothing.
    std::fs::write(out_dir.join("notes.txt"), "mine").unwrap();
    std::fs::write(out_dir.join("quiet-agency.csv"), "edited").unwrap();
    let refused = export(&[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(read("quiet-agency.csv"), "edited");
    let forced = export(&["--force"]);
    assert_eq!(forced.status.code(), Some(1));
    assert_eq!(read("quiet-agency.csv"), quiet);
    assert_eq!(read("department-of-homeland-security.csv"), before);
    assert_eq!(read("notes.txt"), "mine", "files of other runs are kept");
    // A file where the folder should be is refused.
    let file = dir.path().join("file.csv");
    std::fs::write(&file, "x").unwrap();
    let out = bin()
        .args(["assess", "--as-of", AS_OF, "--format", "csv"])
        .args(["--questions-by", "organisation", "--output"])
        .arg(&file)
        .arg(imported())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

/// The portfolio of the small imported inventory, as each human format renders it, run
/// from the repository root so that file names are relative.
fn portfolio_of_fixtures(format: &str) -> String {
    let out = bin()
        .args([
            "assess", "--as-of", AS_OF, "--format", format, "--jobs", "2",
        ])
        .arg("tests/fixtures/portfolio")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stdout)
        .unwrap()
        .replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn portfolio_table_snapshot() {
    insta::assert_snapshot!(portfolio_of_fixtures("table"));
}

#[test]
fn portfolio_markdown_snapshot() {
    insta::assert_snapshot!(portfolio_of_fixtures("markdown"));
}

/// The CI formats and a CSV narrowed by `--only` are the same assembler for one system and
/// for many: a folder holding one descriptor gives the very bytes of that descriptor's own
/// report.
#[test]
fn a_folder_of_one_gives_the_single_report_where_the_format_is_the_same_assembler() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("welfare.yaml");
    std::fs::copy(root().join("examples/welfare-risk-scoring.yaml"), &file).unwrap();
    for (format, extra) in [
        ("github", &[][..]),
        ("gitlab", &[][..]),
        ("csv", &["--only", "gaps"][..]),
    ] {
        let run = |target: &Path| {
            let out = bin()
                .args(["assess", "--as-of", AS_OF, "--format", format])
                .args(extra)
                .arg(target)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{format}");
            out.stdout
        };
        let one = run(&file);
        assert!(!one.is_empty(), "{format}: empty report");
        assert_eq!(
            String::from_utf8(run(dir.path())).unwrap(),
            String::from_utf8(one).unwrap(),
            "{format}"
        );
    }
}

#[test]
fn a_reader_that_stops_reading_stops_a_csv_run_and_is_told_apart() {
    use std::io::Read as _;
    // Far more rows than a pipe holds, so that the run meets the closed pipe.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("examples/welfare-risk-scoring.yaml")).unwrap();
    let total = 400;
    for i in 0..total {
        std::fs::write(dir.path().join(format!("{i:03}.yaml")), &text).unwrap();
    }
    let mut child = Process::new(env!("CARGO_BIN_EXE_rightscheck"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args([
            "assess",
            "--as-of",
            AS_OF,
            "--format",
            "csv",
            "--fail-on",
            "never",
        ])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 1000];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // The reader goes away, as `head` does.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(head.starts_with("\u{feff}rule_id,".as_bytes()));
    let line = stderr
        .lines()
        .find(|l| l.starts_with("standard output was closed after "))
        .unwrap_or_else(|| panic!("no line on the closed output:\n{stderr}"));
    let assessed: usize = line["standard output was closed after ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(assessed < total, "{line}");
    assert!(
        line.contains(&format!(
            "of {total} descriptors, and the run stopped there: {assessed} descriptors:"
        )),
        "{line}"
    );
}
