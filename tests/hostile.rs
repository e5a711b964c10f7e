//! Hostile and careless input, one test per defect of the campaign that found them: each
//! ends with a clear message and status 2, or with the correct output; no input is ever
//! replaced; no temporary file is left behind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use common::{AS_OF, bin, root};
use serde_json::Value;

fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// A descriptor with `items` unknown sectors: one mistake each.
fn many_mistakes(items: usize) -> String {
    let mut text =
        String::from("descriptor_version: \"1\"\nsystem:\n  name: x\ncontext:\n  sectors:\n");
    for i in 0..items {
        let _ = writeln!(text, "    - z{i}");
    }
    text
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn f1_mistakes_reported_per_document_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many.yaml");
    fs::write(&file, many_mistakes(5_000)).unwrap();
    let out = bin().arg("validate").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    let listed = err.matches("must be one of").count();
    assert_eq!(listed, rightscheck::schema::MAX_MISTAKES, "{err}");
    assert!(err.contains("… and 4900 more mistakes"), "{err}");
    assert!(err.contains("many.yaml: 5000 mistakes"), "{err}");
    assert!(err.len() < 200_000, "{} bytes on stderr", err.len());

    let json = bin()
        .args(["validate", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        report[0]["errors"].as_array().unwrap().len(),
        rightscheck::schema::MAX_MISTAKES
    );
    assert_eq!(report[0]["more"], 4_900);

    // The size of the campaign's file: past the node limit, refused before validation.
    fs::write(&file, many_mistakes(249_000)).unwrap();
    let out = bin().arg("validate").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains(&format!(
            "more than {} values",
            rightscheck::document::MAX_NODES
        )),
        "{err}"
    );
    assert!(
        !err.contains("Nodes {"),
        "a Rust name in the message: {err}"
    );
    assert!(err.len() < 1_000, "{err}");
}

#[test]
fn f1_a_portfolio_reports_one_line_per_broken_descriptor() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.yaml", "b.yaml"] {
        fs::write(dir.path().join(name), many_mistakes(5_000)).unwrap();
    }
    let out = bin()
        .args([
            "assess", "--format", "json", "--jobs", "2", "--as-of", AS_OF,
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.len() < 200_000, "{} bytes", text.len());
    assert!(text.contains("5000 mistakes"), "{text}");
}

/// A sparse file of `size` bytes: no disk used, but a whole read would take `size` of memory.
fn sparse(path: &Path, size: u64) {
    fs::File::create(path).unwrap().set_len(size).unwrap();
}

#[test]
fn f2_every_file_is_read_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let limit = rightscheck::document::MAX_DOCUMENT_BYTES.to_string();
    // A rule pack with a 2 GB file.
    let pack = dir.path().join("rules");
    fs::create_dir(&pack).unwrap();
    sparse(&pack.join("huge.yaml"), 2 << 30);
    for args in [
        vec!["rules", "lint"],
        vec!["rules", "test"],
        vec!["rules", "list", "--rules"],
    ] {
        let out = bin().args(&args).arg(&pack).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr_of(&out).contains(&limit),
            "{args:?}: {}",
            stderr_of(&out)
        );
    }
    // A valid pack whose fixture is 1 GB.
    let pack = dir.path().join("pack");
    fs::create_dir(&pack).unwrap();
    fs::copy(
        root().join("rules/reversibility.yaml"),
        pack.join("reversibility.yaml"),
    )
    .unwrap();
    let fixtures = pack.join("fixtures/RC-REV-001");
    fs::create_dir_all(&fixtures).unwrap();
    sparse(&fixtures.join("pass-huge.yaml"), 1 << 30);
    let out = bin().args(["rules", "test"]).arg(&pack).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains(&limit), "{}", stderr_of(&out));
    // A 150 MB template.
    let template = dir.path().join("huge.md.j2");
    sparse(&template, 150 << 20);
    let out = bin()
        .args([
            "assess",
            "--format",
            "markdown",
            "--as-of",
            AS_OF,
            "--template",
        ])
        .arg(&template)
        .arg(example("well-governed.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains(&limit), "{}", stderr_of(&out));
}

fn render_with_template(template: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.md.j2");
    fs::write(&path, template).unwrap();
    bin()
        .args([
            "assess",
            "--format",
            "markdown",
            "--as-of",
            AS_OF,
            "--template",
        ])
        .arg(&path)
        .arg(example("well-governed.yaml"))
        .output()
        .unwrap()
}

#[test]
fn f3_templates_run_on_fuel() {
    let cases = [
        // Two nested loops of 100,000: ten billion steps.
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        // A macro that doubles a string forty times: a terabyte.
        "{% macro d(s, n) %}{% if n > 0 %}{{ d(s ~ s, n - 1) }}{% else %}{{ s }}{% endif %}{% endmacro %}{{ d('xxxxxxxx', 40) }}",
        // The same with a namespace in a loop, without output.
        "{% set s = namespace(v='x') %}{% for i in range(40) %}{% set s.v = s.v ~ s.v %}{% endfor %}{{ s.v|length }}",
    ];
    for template in cases {
        let out = render_with_template(template);
        assert_eq!(out.status.code(), Some(2), "{template}");
        let err = stderr_of(&out);
        assert!(err.contains("budget"), "{template}: {err}");
        assert!(err.contains("help:"), "{err}");
        assert!(out.stdout.is_empty());
    }
    // A template within the budget still renders.
    let out = render_with_template("{{ system.name }}\n");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}

/// A window-title sequence, a screen clear and a bidi override, as a double-quoted YAML
/// scalar.
const ESCAPES_YAML: &str = "\"\\e]0;owned\\a\\e[2J\\u202Eevil\"";

fn assert_clean(what: &str, text: &str) {
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!text.contains(bad), "{what}: raw U+{:04X}", u32::from(bad));
    }
}

#[test]
fn f4_rule_packs_and_profiles_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    fs::create_dir(&pack).unwrap();
    let rule = fs::read_to_string(root().join("rules/reversibility.yaml")).unwrap();
    // A rule file of another id with escapes in the texts `explain` and `rules list` show.
    let rule = rule
        .replace("RC-REV-", "RC-EVL-")
        .replacen("title: ", &format!("title: {ESCAPES_YAML} # "), 1)
        .replacen(
            "what_it_checks: ",
            &format!("what_it_checks: {ESCAPES_YAML} # "),
            1,
        );
    fs::write(pack.join("evil.yaml"), rule).unwrap();
    let id = "RC-EVL-001";
    for args in [
        vec!["explain", id, "--rules"],
        vec!["rules", "show", id, "--rules"],
        vec!["rules", "list", "--rules"],
    ] {
        let out = bin().args(&args).arg(&pack).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr_of(&out));
        assert!(text.contains("evil"), "{args:?}: {text}");
        assert_clean(&format!("{args:?}"), &text);
        assert_clean(&format!("{args:?}"), &stderr_of(&out));
    }
    // A profile file.
    let profile = dir.path().join("p.yaml");
    let builtin = fs::read_to_string(root().join("profiles/procurement.yaml")).unwrap();
    let builtin = builtin.replacen("title: ", &format!("title: {ESCAPES_YAML} # "), 1);
    fs::write(&profile, builtin).unwrap();
    let out = bin()
        .args(["profiles", "show"])
        .arg(&profile)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("evil"), "{text}");
    assert_clean("profiles show", &text);
}

/// The well-governed example with `name` as the system's name.
fn named(dir: &Path, name: &str) -> PathBuf {
    let mut doc: Value =
        serde_json::from_str(&fs::read_to_string(example("well-governed.json")).unwrap()).unwrap();
    doc["system"]["name"] = Value::from(name);
    let path = dir.join("named.json");
    fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
    path
}

#[test]
fn f5_e_mail_addresses_never_become_links() {
    let dir = tempfile::tempdir().unwrap();
    let file = named(dir.path(), "Contact security@evil.example");
    let out = bin()
        .args(["assess", "--format", "markdown", "--as-of", AS_OF])
        .arg(&file)
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("security\\@evil.example"), "{md}");
    assert!(!md.contains("security@evil.example"));
    let out = bin()
        .args(["assess", "--format", "oscal", "--as-of", AS_OF])
        .arg(&file)
        .output()
        .unwrap();
    let oscal = String::from_utf8(out.stdout).unwrap();
    serde_json::from_str::<Value>(&oscal).unwrap();
    assert!(oscal.contains("security\\\\@evil.example"), "{oscal}");
}

#[test]
fn f6_junit_is_well_formed_whatever_the_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = named(dir.path(), "bad \u{fffe} and \u{ffff} \u{1} name");
    let single = bin()
        .args(["assess", "--format", "junit", "--as-of", AS_OF])
        .arg(&file)
        .output()
        .unwrap();
    let xml = String::from_utf8(single.stdout).unwrap();
    roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}"));
    assert!(xml.contains("\\u{fffe}"), "{xml}");
    // In a portfolio, beside another system.
    fs::copy(example("well-governed.yaml"), dir.path().join("other.yaml")).unwrap();
    let portfolio = bin()
        .args(["assess", "--format", "junit", "--as-of", AS_OF])
        .arg(dir.path())
        .output()
        .unwrap();
    let xml = String::from_utf8(portfolio.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("testsuite"))
            .count(),
        2
    );
}

#[test]
fn f7_a_newline_in_a_file_name_cannot_forge_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x\nerror: forged.yaml");
    fs::write(&file, "descriptor_version: \"1\"\nsystem: {}\n").unwrap();
    let out = bin().arg("validate").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.lines().all(|l| !l.starts_with("error: forged")),
        "{err}"
    );
    assert!(err.contains("x\\u{000a}error: forged.yaml"), "{err}");
    // Unreadable: the error line of `main`.
    fs::write(&file, "a: [").unwrap();
    let out = bin()
        .args(["assess", "--as-of", AS_OF])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out)
            .lines()
            .all(|l| !l.starts_with("error: forged")),
        "{}",
        stderr_of(&out)
    );
    // In the table of a portfolio.
    fs::copy(example("well-governed.yaml"), dir.path().join("ok.yaml")).unwrap();
    let out = bin()
        .args(["assess", "--as-of", AS_OF])
        .arg(dir.path())
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.lines().all(|l| !l.starts_with("error: forged")),
        "{table}"
    );
}

#[test]
fn f8_the_report_never_replaces_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.yaml");
    fs::copy(example("well-governed.yaml"), &file).unwrap();
    let before = fs::read(&file).unwrap();
    let same = dir.path().join("./sub/../x.yaml");
    fs::create_dir(dir.path().join("sub")).unwrap();
    let link = dir.path().join("hard.yaml");
    fs::hard_link(&file, &link).unwrap();
    for output in [&file, &same, &link] {
        let out = bin()
            .args(["assess", "--format", "json", "--as-of", AS_OF, "--output"])
            .arg(output)
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", output.display());
        assert!(stderr_of(&out).contains("which this run reads"));
        assert_eq!(fs::read(&file).unwrap(), before);
    }
    // Inside a portfolio folder.
    fs::copy(
        example("welfare-risk-scoring.yaml"),
        dir.path().join("y.yaml"),
    )
    .unwrap();
    let out = bin()
        .args(["assess", "--format", "json", "--as-of", AS_OF, "--output"])
        .arg(dir.path().join("y.yaml"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_eq!(
        fs::read(dir.path().join("y.yaml")).unwrap(),
        fs::read(example("welfare-risk-scoring.yaml")).unwrap()
    );
    // The waivers file and the template are inputs too.
    let waivers = dir.path().join("w.yaml");
    fs::copy(example("waivers.yaml"), &waivers).unwrap();
    let out = bin()
        .args(["assess", "--format", "json", "--as-of", AS_OF, "--waivers"])
        .arg(&waivers)
        .arg("--output")
        .arg(&waivers)
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
}

#[cfg(unix)]
#[test]
fn f9_a_pipe_or_a_device_is_written_in_place() {
    use std::io::Read as _;
    use std::os::unix::fs::FileTypeExt as _;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            fs::File::open(&fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let out = bin()
        .args(["assess", "--format", "json", "--as-of", AS_OF, "--output"])
        .arg(&fifo)
        .arg(example("well-governed.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let text = reader.join().unwrap();
    serde_json::from_str::<Value>(&text).unwrap();
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // Standard output by its name reaches standard output.
    let out = bin()
        .args(["assess", "--format", "json", "--as-of", AS_OF])
        .args(["--output", "/dev/stdout"])
        .arg(example("well-governed.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    serde_json::from_slice::<Value>(&out.stdout).unwrap();
    assert!(
        fs::symlink_metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    let out = bin()
        .args(["assess", "--format", "json", "--as-of", AS_OF])
        .args(["--output", "/dev/null"])
        .arg(example("well-governed.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        fs::symlink_metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

fn temp_files(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".rightscheck-") || n.starts_with(".tmp"))
        .collect()
}

#[test]
fn f10_stale_temporary_files_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    // Left by a run that was killed: its process no longer exists.
    let stale = dir.path().join(".rightscheck-999999999-AbCdEf.tmp");
    fs::write(&stale, "partial").unwrap();
    // Someone else's file, and one of a run that still goes on (this test).
    let foreign = dir.path().join(".rightscheck-notes.tmp");
    fs::write(&foreign, "mine").unwrap();
    let live = dir
        .path()
        .join(format!(".rightscheck-{}-AbCdEf.tmp", std::process::id()));
    fs::write(&live, "writing").unwrap();
    let out = bin()
        .args(["assess", "--format", "json", "--as-of", AS_OF, "--output"])
        .arg(dir.path().join("r.json"))
        .arg(example("well-governed.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(!stale.exists());
    assert!(foreign.exists() && live.exists());
    fs::remove_file(&live).unwrap();
    assert_eq!(temp_files(dir.path()), vec![".rightscheck-notes.tmp"]);
}

#[cfg(unix)]
#[test]
fn f10_an_interrupted_run_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    fs::create_dir(&inputs).unwrap();
    fs::copy(example("well-governed.yaml"), inputs.join("a.yaml")).unwrap();
    // A portfolio template that writes a line, then works until its fuel runs out: the
    // temporary file exists while it works.
    let template = dir.path().join("slow.md.j2");
    fs::write(
        &template,
        "started\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    for signal in ["INT", "TERM"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("rightscheck"))
            .args([
                "assess",
                "--format",
                "markdown",
                "--as-of",
                AS_OF,
                "--template",
            ])
            .arg(&template)
            .arg("--output")
            .arg(out_dir.join("report.md"))
            .arg(&inputs)
            .arg(inputs.join("a.yaml"))
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Wait for the temporary file (or for the run to end, if it is too quick).
        let mut seen = false;
        for _ in 0..2_000 {
            if !temp_files(&out_dir).is_empty() {
                seen = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let killed = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert!(
            seen,
            "{signal}: no temporary file was seen while the report was written"
        );
        assert!(killed.success());
        assert_eq!(status.code(), Some(130), "{signal}");
        assert!(
            temp_files(&out_dir).is_empty(),
            "{signal}: {:?}",
            temp_files(&out_dir)
        );
        assert!(!out_dir.join("report.md").exists());
    }
}

#[test]
fn f12_jobs_are_capped_and_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3 {
        fs::copy(
            example("well-governed.yaml"),
            dir.path().join(format!("{i}.yaml")),
        )
        .unwrap();
    }
    let out = bin()
        .args([
            "assess", "--format", "json", "--as-of", AS_OF, "--jobs", "65535",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["descriptors"], 3);
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    assert!(
        stderr_of(&out).contains(&format!(
            "using {}",
            rightscheck::portfolio::max_jobs(cores)
        )),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn f12_results_keep_their_order_with_many_workers() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "live-facial-recognition.yaml",
        "well-governed.yaml",
        "welfare-risk-scoring.yaml",
    ];
    for i in 0..150 {
        fs::copy(
            example(names[i % 3]),
            dir.path().join(format!("{i:03}.yaml")),
        )
        .unwrap();
    }
    let run = |jobs: &str| {
        bin()
            .args([
                "assess", "--format", "csv", "--as-of", AS_OF, "--jobs", jobs,
            ])
            .arg(dir.path())
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("1"), run("64"));
}

#[test]
fn smaller_items() {
    let dir = tempfile::tempdir().unwrap();
    // A date with one-digit month.
    let out = bin()
        .args(["assess", "--as-of", "2026-6-30"])
        .arg(example("well-governed.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("YYYY-MM-DD"));

    // `init` over a dangling link.
    #[cfg(unix)]
    {
        let link = dir.path().join("dangling.yaml");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
        let out = bin().arg("init").arg(&link).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr_of(&out).contains("already exists"));
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    // Valid JSON that YAML alone would refuse: a byte order mark, U+FFFE, a long key.
    let base = fs::read_to_string(example("well-governed.json")).unwrap();
    let bom = dir.path().join("bom.json");
    fs::write(&bom, format!("\u{feff}{base}")).unwrap();
    let out = bin().arg("validate").arg(&bom).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let odd = named(dir.path(), "odd \u{fffe} name");
    let out = bin().arg("validate").arg(&odd).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let mut doc: Value = serde_json::from_str(&base).unwrap();
    doc["k".repeat(1_500)] = Value::from(1);
    let long = dir.path().join("long.json");
    fs::write(&long, serde_json::to_string(&doc).unwrap()).unwrap();
    let out = bin().arg("validate").arg(&long).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("unknown key"),
        "{}",
        stderr_of(&out)
    );

    // A 10,000-digit number is not echoed in full.
    let number = dir.path().join("number.yaml");
    fs::write(
        &number,
        format!(
            "descriptor_version: \"1\"\nsystem:\n  name: {}\n",
            "9".repeat(10_000)
        ),
    )
    .unwrap();
    let out = bin().arg("validate").arg(&number).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(stderr_of(&out).len() < 1_000, "{}", stderr_of(&out));
    // In JSON, where it is read as a number that is no string.
    fs::write(
        &number,
        format!(
            "{{\"descriptor_version\": \"1\", \"system\": {{\"name\": {}}}}}",
            "9".repeat(10_000)
        ),
    )
    .unwrap();
    let json = dir.path().join("number.json");
    fs::rename(&number, &json).unwrap();
    let out = bin().arg("validate").arg(&json).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(1 | 2)),
        "{}",
        stderr_of(&out)
    );
    assert!(stderr_of(&out).len() < 1_000, "{}", stderr_of(&out));

    // A pipe in a folder is reported, not skipped, and not waited on.
    #[cfg(unix)]
    {
        let folder = dir.path().join("folder");
        fs::create_dir(&folder).unwrap();
        fs::copy(example("well-governed.yaml"), folder.join("a.yaml")).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(folder.join("b.yaml"))
            .status()
            .unwrap();
        assert!(made.success());
        let out = bin()
            .args(["assess", "--format", "json", "--as-of", AS_OF])
            .arg(&folder)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("not a regular file"), "{text}");
    }
}

#[test]
fn readme_limits_are_the_enforced_ones() {
    use rightscheck::{document, portfolio, report, schema};
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let limits: [(&str, u64); 9] = [
        (
            "document::MAX_DOCUMENT_BYTES",
            document::MAX_DOCUMENT_BYTES as u64,
        ),
        ("document::MAX_NODES", document::MAX_NODES as u64),
        ("document::MAX_ALIASES", document::MAX_ALIASES as u64),
        ("document::MAX_DEPTH", document::MAX_DEPTH as u64),
        ("schema::MAX_MISTAKES", schema::MAX_MISTAKES as u64),
        ("report::TEMPLATE_FUEL", report::TEMPLATE_FUEL),
        (
            "report::TEMPLATE_FUEL_PER_SYSTEM",
            report::TEMPLATE_FUEL_PER_SYSTEM,
        ),
        (
            "report::MAX_TEMPLATE_OUTPUT_BYTES",
            report::MAX_TEMPLATE_OUTPUT_BYTES as u64,
        ),
        ("portfolio::JOBS_PER_CORE", portfolio::JOBS_PER_CORE as u64),
    ];
    for (name, value) in limits {
        let row = readme
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("no row for `{name}` in the README's limits"));
        let shown: String = row
            .split('|')
            .nth(2)
            .unwrap()
            .trim()
            .split(' ')
            .next()
            .unwrap()
            .replace(',', "");
        assert_eq!(shown.parse::<u64>().unwrap(), value, "{name}: {row}");
    }
}
