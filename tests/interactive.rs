//! `init --interactive` driven through a pseudo-terminal, keys and all, as a person would.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::session::PtySession;
use serde_json::{Value, json};

const DOWN: &str = "\x1b[B";
const UP: &str = "\x1b[A";
const ENTER: &str = "\r";
const ESC: &str = "\x1b";

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_rightscheck")
}

/// Starts the questionnaire for `file` and names the system.
fn start_named(file: &Path, name: &str) -> PtySession {
    let mut p = start(file);
    p.exp_string("What is the system called?").unwrap();
    p.send_line(name).unwrap();
    p
}

fn start(file: &Path) -> PtySession {
    let mut command = Command::new(binary());
    command
        .args(["init", "--interactive"])
        .arg(file)
        .env("SOURCE_DATE_EPOCH", "1782777600")
        .env("TERM", "xterm")
        .env_remove("NO_COLOR");
    rexpect::session::spawn_command(command, Some(20_000)).unwrap()
}

/// Moves `down` places in a list of choices and takes that one.
fn pick(p: &mut PtySession, down: usize) {
    p.send(&DOWN.repeat(down)).unwrap();
    p.send(ENTER).unwrap();
    p.flush().unwrap();
}

fn exit_code(p: &PtySession) -> i32 {
    match p.process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        WaitStatus::Signaled(_, signal, _) => 128 + signal as i32,
        other => panic!("unexpected end: {other:?}"),
    }
}

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(binary())
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1782777600")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn answers_and_dont_knows_make_a_descriptor_that_validates_and_assesses() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("benefits.yaml");
    let mut p = start_named(&file, "Benefit checker: \"v2\" # pilot");

    // The triage, in schema order.
    p.exp_string("Where is the system in its life?").unwrap();
    p.exp_string(" retired").unwrap();
    pick(&mut p, 4); // planned, being bought, being built, in a trial, in use
    p.exp_string("Is the organisation that uses it a public authority?")
        .unwrap();
    pick(&mut p, 0); // yes
    p.exp_string("Is the organisation that buys it a public authority?")
        .unwrap();
    p.exp_string("why is this asked?").unwrap();
    pick(&mut p, 3); // why is this asked?
    // The rule that reads it, with the sentence it quotes.
    p.exp_string("RC-TRA-001").unwrap();
    let catalog = rightscheck::rules::Catalog::builtin().unwrap();
    let quote = &catalog.get("RC-TRA-001").unwrap().sources[0].quote;
    // The pseudo-terminal is read byte by byte: compare the quote's plain-ASCII start.
    let ascii: String = quote.chars().take_while(char::is_ascii).take(30).collect();
    assert!(ascii.len() > 10);
    p.exp_string(&ascii).unwrap();
    p.exp_string("Is the organisation that buys it a public authority?")
        .unwrap();
    p.exp_string("why is this asked?").unwrap();
    pick(&mut p, 2); // don't know
    p.exp_string("How far does it go in decisions about people?")
        .unwrap();
    p.exp_string("why is this asked?").unwrap();
    pick(&mut p, 2); // it recommends what a person decides
    p.exp_string("Can those decisions affect people's rights")
        .unwrap();
    p.exp_string("why is this asked?").unwrap();
    pick(&mut p, 2); // don't know
    p.exp_string("questions that matter for this system answered")
        .unwrap();
    p.exp_string("Are its outputs used to investigate").unwrap();
    p.exp_string("why is this asked?").unwrap();

    // Esc, then keep what is answered.
    p.send(ESC).unwrap();
    p.flush().unwrap();
    p.exp_string("You stopped before the end").unwrap();
    p.exp_string("leave without saving").unwrap();
    p.send(UP).unwrap();
    p.send(ENTER).unwrap();
    p.flush().unwrap();
    p.exp_string("wrote").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);

    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("    public_authority:\n"),
        "a blank for don't know:\n{text}"
    );
    let written = rightscheck::document::Document::from_path(&file).unwrap();
    let at = |pointer: &str| written.value.pointer(pointer).cloned();
    assert_eq!(
        at("/system/name"),
        Some(json!("Benefit checker: \"v2\" # pilot"))
    );
    assert_eq!(at("/system/status"), Some(json!("in-use")));
    assert_eq!(at("/roles/deployer/public_authority"), Some(json!(true)));
    assert_eq!(at("/roles/procurer/public_authority"), Some(Value::Null));
    assert_eq!(at("/purpose/decision_role"), Some(json!("recommends")));
    assert_eq!(at("/purpose/decisions_affect_rights"), Some(Value::Null));
    assert_eq!(at("/purpose/used_for_enforcement"), None, "not asked yet");

    let path = file.to_str().unwrap();
    let (code, out) = run(&["validate", path]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(&["assess", "--format", "json", "--fail-on", "never", path]);
    assert_eq!(code, 0, "{out}");
    let assessment: Value = serde_json::from_str(&out).unwrap();
    assert!(
        assessment["summary"]["unknown"].as_u64().unwrap() > 0,
        "don't know is an open question"
    );
}

#[test]
fn ctrl_c_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stopped.yaml");
    let mut p = start_named(&file, "Half described");
    p.exp_string("Where is the system in its life?").unwrap();
    p.exp_string("why is this asked?").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("nothing was written").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 130);
    assert!(!file.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary file either"
    );
}

#[test]
fn esc_and_leave_without_saving_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("left.yaml");
    let mut p = start_named(&file, "Left");
    p.exp_string("why is this asked?").unwrap();
    p.send(ESC).unwrap();
    p.flush().unwrap();
    p.exp_string("leave without saving").unwrap();
    p.send(ENTER).unwrap();
    p.flush().unwrap();
    p.exp_string("nothing was written").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 2);
    assert!(!file.exists());
}

#[test]
fn the_name_cannot_be_left_blank() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.yaml");
    let mut p = start(&file);
    p.exp_string("What is the system called?").unwrap();
    p.send_line("").unwrap();
    p.exp_string("this one needs an answer").unwrap();
    p.exp_string("What is the system called?").unwrap();
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
    assert!(!file.exists());
}
