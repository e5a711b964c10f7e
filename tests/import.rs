//! `rightscheck import`: an excerpt of every shipped register vintage against its pinned
//! descriptors, the full published files when they are present (every record and every
//! answer accounted for, the misreadings of earlier versions pinned), mappings written by
//! users, refusals, and the rules about skipping and overwriting.
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

fn import(file: &Path, out: &Path) -> Command {
    let mut cmd = Command::cargo_bin("rightscheck").unwrap();
    cmd.env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("import")
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
        let issues = schema.validate(&doc).unwrap();
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

const US_2024: &str = "US federal AI use case inventory 2024 (consolidated, OMB M-24-10)";
const US_2025: &str =
    "US federal AI use case inventory 2025 (individually reported use cases, OMB M-25-21)";
const NL_2023: &str =
    "Dutch algorithm register, export of June 2023 (publication standards 0.1 to 0.4)";
const NL_2026: &str = "Dutch algorithm register, API listing of 2026 (algoritmes.overheid.nl)";

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn every_shipped_vintage_is_recognised_and_gives_the_pinned_descriptors() {
    for (excerpt, expected, title, summary) in [
        (
            "us-2024-excerpt.csv",
            "us-2024",
            US_2024,
            "read 4 records, wrote 4 descriptors, skipped 0",
        ),
        (
            "nl-2023-excerpt.json",
            "nl-2023",
            NL_2023,
            "read 3 records, wrote 3 descriptors, skipped 0",
        ),
        (
            "us-2025-excerpt.csv",
            "us-2025",
            US_2025,
            "read 7 records, wrote 6 descriptors, skipped 1 (1 malformed)",
        ),
        (
            "nl-2026-excerpt.json",
            "nl-2026",
            NL_2026,
            "read 5 records, wrote 5 descriptors, skipped 0",
        ),
    ] {
        let out = tempfile::tempdir().unwrap();
        let skipped = summary.ends_with("skipped 0");
        import(&fixture(excerpt), out.path())
            .assert()
            .code(i32::from(!skipped))
            .stdout(format!("{title}: {summary}\n"));
        assert_matches_expected(out.path(), &fixture(&format!("expected/{expected}")));
        assert_all_valid(out.path());
    }
}

#[test]
fn us_2024_excerpt_keeps_waivers_and_stray_newlines_unknown_but_recorded() {
    let expected = fixture("expected/us-2024");
    let waived = read(&expected, "us-2024-hud-row-0002.yaml");
    // The waiver is kept word for word, and the field it answers stays unknown.
    assert!(waived.contains("Agency CAIO has waived this minimum practice"));
    assert!(!waived.contains("can_contest: "));
    // Windows-1252 quotes are decoded, not mangled.
    assert!(waived.contains("system’s"));
    let newline = read(&expected, "us-2024-dhs-row-0001.yaml");
    assert!(newline.contains("decisions_affect_rights: true"));
    assert!(newline.contains("answer: |\n      Rights-Impacting\n"));
    // A biometric matching service: the red line on remote identification is a question
    // for it, not "not asked".
    assert!(newline.contains("field: capabilities.remote_biometric_identification"));
    assert!(!newline.contains("  - capabilities\n"));
}

#[test]
fn us_2025_excerpt_reads_high_impact_practices_only_where_the_form_asks_them() {
    let expected = fixture("expected/us-2025");
    let texts: Vec<(String, String)> = yaml_files(&expected)
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect();
    // A deployed high-impact use case with an established appeal process.
    assert!(
        texts
            .iter()
            .any(|(_, t)| t.contains("answer: Appeal Process Established")
                && t.contains("can_contest: true"))
    );
    // Usability testing is not consultation of the people affected.
    for (name, t) in &texts {
        if t.contains("Usability Testing") {
            assert!(!t.contains("affected_groups_consulted: true"), "{name}");
        }
    }
    // For a use case that is not high-impact the practices are not asked, not open
    // (unless the agency answered them all the same).
    let low = texts
        .iter()
        .find(|(_, t)| t.contains("answer: Not High-impact") && !t.contains("question: hi_"))
        .unwrap();
    assert!(low.1.contains("  - redress\n"), "{}", low.0);
    assert!(!low.1.contains("  decisions_affect_rights:"), "{}", low.0);
}

#[test]
fn nl_2023_excerpt_of_three_standard_versions_links_each_record() {
    let texts: Vec<String> = yaml_files(&fixture("expected/nl-2023"))
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
    assert!(
        texts
            .iter()
            .all(|t| t.contains("url: https://algoritmes.overheid.nl/nl/algoritme/"))
    );
}

#[test]
fn nl_2026_reads_no_impact_assessment_as_a_gap_and_yes_as_unknown_kind() {
    let texts: Vec<String> = yaml_files(&fixture("expected/nl-2026"))
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let nee = texts.iter().find(|t| t.contains("answer: Nee")).unwrap();
    assert!(nee.contains("impact_assessment:\n  done: false"), "{nee}");
    assert!(nee.contains("privacy_impact_assessment: false"), "{nee}");
    let ja = texts.iter().find(|t| t.contains("answer: Ja")).unwrap();
    assert!(!ja.contains("done: true"), "{ja}");
    let face = texts
        .iter()
        .find(|t| t.contains("gezichtsvergelijking"))
        .unwrap();
    assert!(
        face.contains("field: capabilities.remote_biometric_identification"),
        "{face}"
    );
}

#[test]
fn existing_descriptors_are_kept_without_force() {
    let out = tempfile::tempdir().unwrap();
    let csv = fixture("us-2024-excerpt.csv");
    import(&csv, out.path()).assert().code(0);
    let one = out.path().join("us-2024-hud-row-0002.yaml");
    std::fs::write(&one, "edited by hand\n").unwrap();
    import(&csv, out.path())
        .assert()
        .code(1)
        .stdout(format!(
            "{US_2024}: read 4 records, wrote 0 descriptors, skipped 4 (4 already existed; add `--force` to replace them)\n",
        ))
        .stderr(predicate::str::contains("skipped row 2: ").and(predicate::str::contains(
            "us-2024-hud-row-0002.yaml already exists",
        )));
    assert_eq!(std::fs::read_to_string(&one).unwrap(), "edited by hand\n");
    import(&csv, out.path())
        .arg("--force")
        .assert()
        .code(0)
        .stdout(format!(
            "{US_2024}: read 4 records, wrote 4 descriptors, skipped 0\n"
        ));
    assert_matches_expected(out.path(), &fixture("expected/us-2024"));
    // Nothing but the descriptors is left in the folder.
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            std::path::Path::new(n)
                .extension()
                .is_none_or(|e| e != "yaml")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_malformed_or_oversized_record_is_reported_and_skipped_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    // The excerpt with a short row and a row whose purpose is 5 MB, between good ones.
    let bytes = std::fs::read(fixture("us-2024-excerpt.csv")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let header = text.split_inclusive("\r\n").next().unwrap();
    let columns = 62;
    let csv = dir.path().join("broken.csv");
    let mut broken = header.as_bytes().to_vec();
    broken.extend_from_slice(b"Only a name,Some agency\r\n");
    let mut big = vec![String::new(); columns];
    big[0] = "Huge".into();
    big[1] = "Department of Examples".into();
    big[2] = "DOX".into();
    big[7] = "x".repeat(5 * 1024 * 1024);
    broken.extend_from_slice(big.join(",").as_bytes());
    broken.extend_from_slice(b"\r\n");
    broken.extend_from_slice(&bytes[header.len()..]);
    std::fs::write(&csv, broken).unwrap();
    let out = dir.path().join("systems");
    import(&csv, &out)
        .assert()
        .code(1)
        .stdout(format!("{US_2024}: read 6 records, wrote 4 descriptors, skipped 2 (2 malformed)\n"))
        .stderr(
            predicate::str::contains("skipped row 1: has 2 columns, the header has 62")
                .and(predicate::str::contains("skipped row 2: its descriptor would be 5.0 MB, more than the 4 MB a descriptor may be"))
                .and(predicate::str::contains("bug").not()),
        );
    assert_eq!(assert_all_valid(&out), 4);

    let json = dir.path().join("broken.json");
    std::fs::write(
        &json,
        r#"[{"lars": "1", "name": "Ok", "organization": "Gemeente X", "standard_version": "0.1.0"}, 42,
            {"lars": "3", "name": "", "organization": "Y", "standard_version": "0.1.0"},
            {"lars": 12345678901234567890123456789, "name": "Long id", "organization": "Z", "standard_version": "0.1.0"}]"#,
    )
    .unwrap();
    let out = dir.path().join("nl");
    import(&json, &out)
        .assert()
        .code(1)
        .stdout(format!(
            "{NL_2023}: read 4 records, wrote 1 descriptors, skipped 3 (3 malformed)\n"
        ))
        .stderr(
            predicate::str::contains("skipped row 2: not an object")
                .and(predicate::str::contains("skipped 3: no `name`"))
                .and(predicate::str::contains(
                    "`lars` holds a number too long to keep exactly",
                )),
        );
    assert_eq!(yaml_files(&out).len(), 1);
}

#[test]
fn a_utf8_copy_of_a_windows_1252_file_gives_the_same_descriptors() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("us-2024-excerpt.csv")).unwrap();
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    for (name, prefix) in [("plain.csv", &b""[..]), ("bom.csv", &b"\xEF\xBB\xBF"[..])] {
        let file = dir.path().join(name);
        let mut utf8 = prefix.to_vec();
        utf8.extend_from_slice(text.as_bytes());
        std::fs::write(&file, utf8).unwrap();
        let out = dir.path().join(format!("out-{name}"));
        import(&file, &out).assert().code(0);
        assert_matches_expected(&out, &fixture("expected/us-2024"));
    }
}

#[test]
fn a_file_no_mapping_fits_is_refused_once_saying_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("other.csv");
    let rows: String = std::iter::once("name,owner,purpose\n".to_string())
        .chain((0..99).map(|i| format!("System {i},Agency,Something\n")))
        .collect();
    std::fs::write(&csv, rows).unwrap();
    let out = dir.path().join("out");
    let assert = import(&csv, &out).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("no register mapping fits this file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("a CSV table with the columns `name`, `owner`, `purpose`"),
        "{stderr}"
    );
    assert!(stderr.contains("us-federal-2025"), "{stderr}");
    assert!(stderr.contains("`use_case_name`"), "{stderr}");
    assert!(stderr.contains("--mapping FILE"), "{stderr}");
    assert_eq!(stderr.matches("error").count(), 1, "{stderr}");
    assert!(!out.exists());
    import(&fixture("does-not-exist.csv"), &out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}

#[test]
fn a_register_rightscheck_does_not_ship_imports_through_a_mapping_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("city.csv");
    std::fs::write(&csv, "Ref;Name;Department;Stage;Appeal\n").unwrap();
    // Semicolons are not this reader's separator: use commas, as most exports do.
    std::fs::write(
        &csv,
        "Ref,Name,Department,Stage,Appeal,Appeal notes\n\
         C-1,Parking scan car,City of Example,live,yes,\n\
         C-2,Benefit triage,City of Example,trial,no,Only by letter to the mayor\n\
         C-3,Chat assistant,City of Example,live,n/a,\n",
    )
    .unwrap();
    let mapping = dir.path().join("city.yaml");
    std::fs::write(
        &mapping,
        r#"id: city-of-example
register: City of Example algorithm list
title: City of Example algorithm list (CSV)
format: csv
detect: [Ref, Name, Appeal]
record:
  id: "{Ref}"
  file_name: "city-{record}"
  url: "https://example.org/algorithms/{Ref}"
  required: [Name]
constants:
  - field: roles.deployer.public_authority
    value: true
    because: a city's own list
fields:
  - field: system.name
    from: Name
    text: true
  - field: roles.deployer.name
    from: Department
    text: true
  - field: system.status
    from: Stage
    answers: {live: in-use, trial: pilot}
  - field: redress.can_contest
    from: Appeal
    explanation: next
    answers: {"yes": true, "no": false}
    unread: {n/a: not an answer}
"#,
    )
    .unwrap();
    let out = dir.path().join("systems");
    import(&csv, &out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no register mapping fits this file",
        ));
    import(&csv, &out)
        .arg("--mapping")
        .arg(&mapping)
        .assert()
        .code(0)
        .stdout("City of Example algorithm list (CSV): read 3 records, wrote 3 descriptors, skipped 0\n");
    let two = read(&out, "city-c-2.yaml");
    assert!(two.contains("status: pilot"), "{two}");
    assert!(two.contains("can_contest: false"), "{two}");
    assert!(
        two.contains("explanation: Only by letter to the mayor"),
        "{two}"
    );
    assert!(
        two.contains("url: https://example.org/algorithms/C-2"),
        "{two}"
    );
    assert!(!read(&out, "city-c-3.yaml").contains("can_contest: "));
    assert_all_valid(&out);

    // A mistake in a mapping file is named with its place, before anything is read.
    std::fs::write(
        &mapping,
        "id: x\nregister: X\ntitle: X\nformat: csv\ndetect: [Ref]\nrecord: {file_name: x}\nfields:\n  - field: redress.can_appeal\n    from: Appeal\n    answers: {\"yes\": true}\n",
    )
    .unwrap();
    import(&csv, &dir.path().join("none"))
        .arg("--mapping")
        .arg(&mapping)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "fields[0] (redress.can_appeal): not a descriptor field",
        ));
}

#[test]
fn registers_list_shows_every_built_in_mapping_field_by_field() {
    let output = Command::cargo_bin("rightscheck")
        .unwrap()
        .args(["registers", "list"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for id in [
        "us-federal-2024",
        "us-federal-2025",
        "us-federal-2025-cots",
        "nl-algoritmeregister-2023",
        "nl-algoritmeregister-2026",
    ] {
        assert!(text.contains(id), "{id} missing:\n{text}");
    }
    assert!(text.contains("redress.can_contest"));
    let show = Command::cargo_bin("rightscheck")
        .unwrap()
        .args(["registers", "show", "us-federal-2024"])
        .output()
        .unwrap();
    let show = String::from_utf8_lossy(&show.stdout);
    assert!(
        show.contains("\"Direct user testing\": not read, testing with the system's users"),
        "{show}"
    );
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

const US_2024_FILE: &str = "us-federal-ai-inventory-2024/2024_consolidated_ai_inventory_raw_v2.csv";
const US_2025_FILE: &str =
    "us-federal-ai-inventory-2025/2025_individually_reported_AI_use_cases.csv";
const NL_2023_FILE: &str = "nl-algoritmeregister/minbzk_pub_data_2023-06.json";
const NL_2026_FILE: &str = "nl-algoritmeregister/algoritmeregister_export_2026-08-08.json";

/// Imports a full file: every record is accounted for (read = written + skipped, one
/// line per skip) and no answer or column is unknown to the mapping.
fn import_full(path: &Path, records: usize) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let output = import(path, out.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let skipped = stderr.lines().filter(|l| l.starts_with("skipped ")).count();
    let written = assert_all_valid(out.path());
    assert_eq!(written + skipped, records, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!(
            "read {records} records, wrote {written} descriptors, skipped {skipped}"
        )),
        "{stdout}"
    );
    assert!(!stderr.contains("note:"), "{stderr}");
    assert_eq!(output.status.code(), Some(i32::from(skipped > 0)));
    out
}

/// Every distinct answer of every column a mapping reads is either read or listed as
/// deliberately unread, and every column is read or listed as unread.
#[test]
fn every_answer_in_the_real_files_is_mapped_or_deliberately_unread() {
    use rightscheck::import::{Choice, read};
    for file in [US_2024_FILE, US_2025_FILE, NL_2023_FILE, NL_2026_FILE] {
        let Some(path) = full_file(file) else {
            continue;
        };
        let imported = read(&path, Choice::Detect).unwrap();
        assert!(
            imported.read.unknown_answers.is_empty(),
            "{file}: answers the mapping does not know: {:#?}",
            imported.read.unknown_answers
        );
        assert!(
            imported.read.unknown_columns.is_empty(),
            "{file}: columns the mapping does not mention: {:?}",
            imported.read.unknown_columns
        );
    }
}

#[test]
fn the_full_registers_are_accounted_for() {
    for (file, records) in [
        (US_2024_FILE, 2133),
        (US_2025_FILE, 3611),
        (NL_2023_FILE, 130),
        (NL_2026_FILE, 1530),
    ] {
        if let Some(path) = full_file(file) {
            import_full(&path, records);
        }
    }
    if let Some(path) =
        full_file("us-federal-ai-inventory-2025/2025_consolidated_COTS_AI_use_cases.csv")
    {
        let out = tempfile::tempdir().unwrap();
        import(&path, out.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not an AI system with a purpose"));
        assert!(yaml_files(out.path()).is_empty());
    }
}

/// The readings the issue tracker found too strong or missing, on the real records.
#[test]
fn the_us_2024_misreadings_are_gone() {
    let Some(path) = full_file(US_2024_FILE) else {
        return;
    };
    let out = import_full(&path, 2133);
    let file = |row: usize| {
        let pattern = format!("-row-{row:04}.yaml");
        let found = yaml_files(out.path())
            .into_iter()
            .find(|p| p.to_string_lossy().ends_with(&pattern))
            .unwrap();
        std::fs::read_to_string(found).unwrap()
    };
    // Monitoring of model drift is not monitoring of human-rights impacts.
    for row in [54, 114, 1246] {
        let t = file(row);
        assert!(
            t.contains("field: oversight.monitors_human_rights_impacts"),
            "row {row}"
        );
        assert!(
            !t.contains("monitors_human_rights_impacts: true"),
            "row {row}"
        );
    }
    let all: Vec<String> = yaml_files(out.path())
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let count = |needle: &str| all.iter().filter(|t| t.contains(needle)).count();
    assert_eq!(count("monitors_human_rights_impacts: true"), 0);
    // Notice of AI use is not notice of an automated decision.
    assert_eq!(count("notice_of_automated_decision: "), 0);
    assert_eq!(count("ai_interaction_disclosed: true"), 57);
    // Direct user testing alone is not consultation of affected groups.
    for t in all
        .iter()
        .filter(|t| t.contains("answer: Direct user testing\n"))
    {
        assert!(!t.contains("affected_groups_consulted: true"), "{t}");
    }
    // Answers once dropped are read: a stage, a sector, an extension, an explanation.
    assert_eq!(count("answer: Implementation and Assessment"), 287);
    assert_eq!(count("status: pilot"), 287);
    assert_eq!(count("answer: Law & Justice"), 247);
    assert_eq!(count("- justice\n"), 247);
    assert_eq!(count("explanation: Yes – Agency requested an extension"), 5);
    let t = file(1283);
    assert!(t.contains("explanation:"), "{t}");
}

#[test]
fn the_nl_2023_human_intervention_yes_is_not_a_mode() {
    let Some(path) = full_file(NL_2023_FILE) else {
        return;
    };
    let out = import_full(&path, 130);
    let t = read(out.path(), "nl-27924554.yaml");
    assert!(t.contains("question: human_intervention"), "{t}");
    assert!(!t.contains("human-in-the-loop"), "{t}");
    let all: Vec<String> = yaml_files(out.path())
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    // An answer that names the mode is read; a DPIA listed as an impact test is read.
    assert!(all.iter().any(|t| t.contains("mode: human-in-the-loop")));
    assert!(all.iter().any(|t| t.contains("mode: human-on-the-loop")));
    assert!(
        all.iter().any(|t| t.contains("question: impacttoetsen")
            && t.contains("privacy_impact_assessment: true"))
    );
    assert!(all.iter().any(|t| t.contains("status: pilot")));
    assert!(all.iter().any(|t| t.contains("legal_basis_reference:")));
}

/// The gaps an inventory's portfolio counts are answers the register gave: questions it
/// never asks (a legal basis, most red lines) are counted apart as "not asked", never as
/// gaps or open questions.
#[test]
fn the_full_us_inventory_counts_unasked_questions_apart_from_gaps() {
    let Some(path) = full_file(US_2024_FILE) else {
        return;
    };
    let out = import_full(&path, 2133);
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
    // The inventory never asks for a legal basis or about most red lines' capabilities.
    for id in ["RC-IA-009", "RC-PRO-001", "RC-PRO-004", "RC-PRO-006"] {
        let r = rule(id);
        assert_eq!(r["gap"], 0, "{r}");
        assert_eq!(r["unknown"], 0, "{r}");
    }
    assert_eq!(rule("RC-IA-009")["not_asked"], 2133);
    // Where a record names face recognition, the red line on remote identification is an
    // open question rather than not asked.
    assert_eq!(rule("RC-PRO-003")["unknown"], 33);
    // The gap found most often is an answer the register gave.
    let top = &p["common_gaps"][0];
    assert_eq!(top["rule_id"], "RC-PRV-002", "{top}");
    assert_eq!(top["gap"], 68, "{top}");
    assert_eq!(top["not_asked"], 0, "{top}");
}

#[test]
fn an_import_never_replaces_the_register_file_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    // The register file sits in the output folder under the name one record would get.
    let input = dir.path().join("us-2024-dhs-row-0001.yaml");
    std::fs::copy(fixture("us-2024-excerpt.csv"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    import(&input, dir.path())
        .arg("--force")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "us-2024-dhs-row-0001.yaml is the register file being imported; it is never replaced",
        ));
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert_eq!(yaml_files(dir.path()).len(), 4);
}
