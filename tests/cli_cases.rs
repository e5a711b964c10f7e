//! Command-line cases as data: each `tests/cases/*.case` file names a command line and the
//! exit status it must give; its standard output and error are pinned as insta snapshots.
//!
//! A case file:
//!
//! ```text
//! # What the case shows (comment lines are ignored)
//! $ rightscheck assess --as-of 2026-06-30 examples/welfare-risk-scoring.yaml
//! status: 1
//! env: SOURCE_DATE_EPOCH=1782777600      (optional, repeatable)
//! show: {tmp}/my-system.yaml              (optional: a written file to pin too)
//! ```
//!
//! `{tmp}` is a fresh temporary folder per case, shown as `[TMP]` in the snapshot. Accept
//! intended changes with `INSTA_UPDATE=always cargo test --test cli_cases` and review the
//! diff; CI (`CI=true`) fails on a stale or missing snapshot.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write as _;
use std::path::Path;

/// One parsed case file.
struct Case {
    args: Vec<String>,
    status: i32,
    env: Vec<(String, String)>,
    show: Vec<String>,
}

/// Splits a command line on spaces, keeping double-quoted words whole.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            _ => {
                word.push(c);
                any = true;
            }
        }
    }
    assert!(!quoted, "unbalanced quote in `{line}`");
    if any {
        out.push(word);
    }
    out
}

fn parse(path: &Path) -> Case {
    let text = std::fs::read_to_string(path).unwrap();
    let mut case = Case {
        args: Vec::new(),
        status: -1,
        env: Vec::new(),
        show: Vec::new(),
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("$ rightscheck") {
            case.args = words(rest.trim());
        } else if let Some(rest) = line.strip_prefix("status:") {
            case.status = rest.trim().parse().unwrap();
        } else if let Some(rest) = line.strip_prefix("env:") {
            let (key, value) = rest.trim().split_once('=').unwrap();
            case.env.push((key.to_string(), value.to_string()));
        } else if let Some(rest) = line.strip_prefix("show:") {
            case.show.push(rest.trim().to_string());
        } else {
            panic!("{}: cannot read the line `{line}`", path.display());
        }
    }
    assert!(case.status >= 0, "{}: no `status:` line", path.display());
    case
}

#[test]
fn cli_cases() {
    let mut wrong = Vec::new();
    insta::glob!("cases/*.case", |path| {
        let case = parse(path);
        let tmp = tempfile::tempdir().unwrap();
        let tmp_text = tmp.path().to_str().unwrap().to_string();
        let expand = |s: &str| s.replace("{tmp}", &tmp_text);
        let mut cmd = common::bin();
        cmd.args(case.args.iter().map(|a| expand(a)));
        cmd.env("COLUMNS", "120");
        for (key, value) in &case.env {
            cmd.env(key, expand(value));
        }
        let output = cmd.output().unwrap();
        let status = output.status.code().unwrap_or(-1);
        let mut shown = format!(
            "$ rightscheck {}\nstatus: {status}\n",
            case.args
                .iter()
                .map(|a| if a.contains(' ') {
                    format!("\"{a}\"")
                } else {
                    a.clone()
                })
                .collect::<Vec<_>>()
                .join(" ")
        );
        for (title, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
            if !bytes.is_empty() {
                write!(shown, "--- {title}\n{}", String::from_utf8_lossy(bytes)).unwrap();
                if !shown.ends_with('\n') {
                    shown.push('\n');
                }
            }
        }
        for file in &case.show {
            let text = std::fs::read_to_string(expand(file)).unwrap_or_else(|e| format!("({e})"));
            write!(shown, "--- {file}\n{text}").unwrap();
        }
        let shown = shown.replace(&tmp_text, "[TMP]");
        insta::assert_snapshot!(shown);
        if status != case.status {
            wrong.push(format!(
                "{}: exit status {status}, expected {}",
                path.display(),
                case.status
            ));
        }
    });
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A snapshot whose case file is gone is stale: it fails here, so it is deleted with its case.
#[test]
fn every_case_snapshot_has_its_case() {
    let root = common::root();
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(root.join("tests/snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(case) = name
            .strip_prefix("cli_cases__cli_cases@")
            .and_then(|rest| rest.strip_suffix(".snap"))
            && !root.join("tests/cases").join(case).is_file()
        {
            stale.push(name);
        }
    }
    assert!(stale.is_empty(), "snapshots without a case: {stale:?}");
}
