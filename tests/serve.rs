//! `rightscheck serve`, the real binary on a free port, spoken to with plain HTTP: what it
//! refuses (no token, another site, a path out of the workspace, a large body), what it
//! saves (an answer, in place, never over a file changed on disk) and what it gives
//! (reports byte-identical to `assess`, mistakes with their place).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "common/http.rs"]
mod http;

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};

use common::{AS_OF, bin, root};
use http::{Connection, Reply};
use serde_json::{Value, json};

/// A server on a copy of some examples, stopped when dropped.
struct Served {
    child: Child,
    port: u16,
    token: String,
    folder: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const EXAMPLES: [&str; 3] = [
    "welfare-risk-scoring.yaml",
    "well-governed.json",
    "hostile-strings.yaml",
];

/// Starts `serve --port 0 --no-open` on a fresh folder holding a few examples and reads
/// the address it prints.
fn start() -> Served {
    let folder = tempfile::tempdir().unwrap();
    for name in EXAMPLES {
        std::fs::copy(root().join("examples").join(name), folder.path().join(name)).unwrap();
    }
    let mut child = Process::new(env!("CARGO_BIN_EXE_rightscheck"))
        .args([
            "--no-config",
            "serve",
            "--port",
            "0",
            "--no-open",
            "--as-of",
            AS_OF,
        ])
        .arg(folder.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let rest = line
        .trim()
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("no address printed: {line:?}"));
    let (port, token) = rest.split_once('/').unwrap();
    let token = token.strip_suffix('/').unwrap().to_string();
    assert_eq!(token.len(), 32, "{token}");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
    Served {
        child,
        port: port.parse().unwrap(),
        token,
        folder,
    }
}

impl Served {
    /// A request to a path under the token, with every security header checked.
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let full = format!("/{}/{path}", self.token);
        self.raw(method, &full, headers, body)
    }

    /// A request to any path, with every security header checked.
    fn raw(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let reply = Connection::open(self.port)
            .unwrap()
            .send(method, path, headers, body)
            .unwrap();
        let policy = reply.header("content-security-policy").unwrap_or_else(|| {
            panic!(
                "{method} {path}: no Content-Security-Policy ({})",
                reply.status
            )
        });
        assert!(policy.contains("default-src 'none'"), "{policy}");
        assert!(!policy.contains("script-src 'unsafe"), "{policy}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        reply
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], b"")
    }

    fn post(&self, path: &str, body: &Value) -> Reply {
        self.request(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
    }

    fn system(&self, file: &str) -> Value {
        let reply = self.get(&format!("api/system?file={file}"));
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        reply.json()
    }

    fn path(&self, file: &str) -> PathBuf {
        self.folder.path().join(file)
    }

    /// Answers `path` of `file` at `version`.
    fn answer(&self, file: &str, version: &Value, path: &str, answer: &Value) -> Reply {
        self.post(
            "api/answer",
            &json!({"file": file, "version": version, "path": path, "answer": answer}),
        )
    }

    /// `rightscheck validate` finds no mistake in the file.
    fn assert_valid(&self, file: &str) {
        bin()
            .arg("validate")
            .arg(self.path(file))
            .assert()
            .success();
    }

    /// Writes `broken.yaml`, whose one mistake is at line 5, column 17.
    fn write_broken(&self) {
        std::fs::write(
            self.path("broken.yaml"),
            "descriptor_version: \"1\"\nsystem:\n  name: Broken\noversight:\n  can_override: maybe\n",
        )
        .unwrap();
    }
}

#[test]
fn without_the_token_nothing_is_found() {
    let served = start();
    let wrong = "0".repeat(32);
    for path in [
        "/".to_string(),
        format!("/{wrong}/"),
        format!("/{wrong}/api/workspace"),
        format!("/{}", served.token),
        "/api/workspace".to_string(),
    ] {
        let reply = served.raw("GET", &path, &[], b"");
        assert_eq!(reply.status, 404, "{path}");
        assert!(reply.body.is_empty(), "{path}: a 404 says nothing");
    }
    assert_eq!(served.get("").status, 200);
    assert_eq!(served.get("assets/app.js").status, 200);
    assert_eq!(served.get("assets/app.css").status, 200);
    assert_eq!(served.get("no-such-page").status, 404);
}

#[test]
fn other_sites_and_other_host_names_are_refused() {
    let served = start();
    let port = served.port.to_string();
    let evil_host = format!("evil.example:{port}");
    let reply = served.request("GET", "api/workspace", &[("Host", &evil_host)], b"");
    assert_eq!(reply.status, 403);
    let reply = served.request(
        "GET",
        "api/workspace",
        &[("Origin", "http://evil.example")],
        b"",
    );
    assert_eq!(reply.status, 403);
    let other_port = format!("http://127.0.0.1:{}", served.port.wrapping_add(1));
    let reply = served.request("GET", "api/workspace", &[("Origin", &other_port)], b"");
    assert_eq!(reply.status, 403);
    // This server's own names are accepted.
    let localhost = format!("localhost:{port}");
    let origin = format!("http://localhost:{port}");
    let reply = served.request(
        "GET",
        "api/workspace",
        &[("Host", &localhost), ("Origin", &origin)],
        b"",
    );
    assert_eq!(reply.status, 200);
}

#[test]
fn the_workspace_lists_every_descriptor_with_its_verdict() {
    let served = start();
    let workspace = served.get("api/workspace").json();
    let files: Vec<&str> = workspace["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    let mut sorted = EXAMPLES.to_vec();
    sorted.sort_unstable();
    assert_eq!(files, sorted);
    let welfare = &workspace["systems"][1];
    assert_eq!(welfare["file"], "welfare-risk-scoring.yaml");
    assert_eq!(welfare["verdict"], "conditional");
    assert_eq!(welfare["level"], "III");
    assert!(welfare["gaps"].as_u64().unwrap() > 0);
}

#[test]
fn no_file_outside_the_workspace_is_opened() {
    let served = start();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.yaml");
    std::fs::copy(root().join("examples/well-governed.yaml"), &secret).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, served.path("link.yaml")).unwrap();
    std::fs::write(served.path("notes.txt"), "not a descriptor").unwrap();
    let absolute = secret.display().to_string();
    for (file, status) in [
        ("../secret.yaml", 403),
        ("sub/../../secret.yaml", 403),
        (absolute.as_str(), 403),
        ("link.yaml", 403),
        ("notes.txt", 400),
    ] {
        let reply = served.get(&format!("api/system?file={file}"));
        assert_eq!(
            reply.status,
            status,
            "{file}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        let reply = served.get(&format!("api/report?file={file}&format=json"));
        assert_eq!(reply.status, status, "report of {file}");
        let reply = served.answer(
            file,
            &json!("x"),
            "system.name",
            &json!({"state": "unknown"}),
        );
        assert_eq!(reply.status, status, "answer to {file}");
    }
    let reply = served.post("api/new", &json!({"file": "../new.yaml", "name": "x"}));
    assert_eq!(reply.status, 403);
    assert!(!outside.path().join("new.yaml").exists());
    // Links leading out are not listed either.
    let workspace = served.get("api/workspace").json();
    assert!(!workspace.to_string().contains("link.yaml"));
}

#[test]
fn bodies_must_be_json_and_small() {
    let served = start();
    let big = vec![b' '; 2 * 1024 * 1024];
    let reply = served.request(
        "POST",
        "api/answer",
        &[("Content-Type", "application/json")],
        &big,
    );
    assert_eq!(reply.status, 413);
    let reply = served.request(
        "POST",
        "api/answer",
        &[("Content-Type", "text/plain")],
        b"{}",
    );
    assert_eq!(reply.status, 415);
    let reply = served.request(
        "POST",
        "api/answer",
        &[("Content-Type", "application/json")],
        b"{",
    );
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["error"], "bad-request");
}

#[test]
fn an_answer_is_saved_in_place_and_read_back() {
    let served = start();
    let file = "welfare-risk-scoring.yaml";
    let before = std::fs::read_to_string(served.path(file)).unwrap();
    let view = served.system(file);
    let reply = served.answer(
        file,
        &view["version"],
        "oversight.can_override",
        &json!({"state": "value", "value": false}),
    );
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let saved = reply.json();
    assert_ne!(saved["version"], view["version"]);
    let after = std::fs::read_to_string(served.path(file)).unwrap();
    // One line changed, every other byte kept (comments included).
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed, [("  can_override: true", "  can_override: false")]);
    assert_eq!(before.lines().count(), after.lines().count());
    // Read back: the same version, and what the server wrote is a valid descriptor.
    let again = served.system(file);
    assert_eq!(again["version"], saved["version"]);
    assert_eq!(again["assessment"], saved["assessment"]);
    served.assert_valid(file);

    // "Don't know" writes the field blank.
    let reply = served.answer(
        file,
        &saved["version"],
        "oversight.can_override",
        &json!({"state": "unknown"}),
    );
    assert_eq!(reply.status, 200);
    let after = std::fs::read_to_string(served.path(file)).unwrap();
    assert!(after.contains("\n  can_override:\n"), "{after}");
    served.assert_valid(file);
}

#[test]
fn an_answer_to_a_file_changed_on_disk_is_refused_and_nothing_is_overwritten() {
    let served = start();
    let file = "welfare-risk-scoring.yaml";
    let view = served.system(file);
    let edited = std::fs::read_to_string(served.path(file)).unwrap() + "# edited elsewhere\n";
    std::fs::write(served.path(file), &edited).unwrap();
    let reply = served.answer(
        file,
        &view["version"],
        "oversight.can_override",
        &json!({"state": "value", "value": false}),
    );
    assert_eq!(reply.status, 409);
    assert_eq!(reply.json()["error"], "changed-on-disk");
    assert_eq!(std::fs::read_to_string(served.path(file)).unwrap(), edited);
}

#[test]
fn answers_of_the_wrong_kind_or_to_no_question_are_refused() {
    let served = start();
    let file = "welfare-risk-scoring.yaml";
    let before = std::fs::read(served.path(file)).unwrap();
    let version = served.system(file)["version"].clone();
    for (path, value, error) in [
        ("oversight.can_override", json!("perhaps"), "wrong-type"),
        ("oversight.no_such_question", json!(true), "unknown-path"),
        ("system.status", json!("dormant"), "wrong-type"),
    ] {
        let reply = served.answer(
            file,
            &version,
            path,
            &json!({"state": "value", "value": value}),
        );
        assert_eq!(reply.status, 400, "{path}");
        assert_eq!(reply.json()["error"], error, "{path}");
    }
    assert_eq!(std::fs::read(served.path(file)).unwrap(), before);
}

#[test]
fn evidence_is_added_to_its_section() {
    let served = start();
    let file = "well-governed.json";
    let version = served.system(file)["version"].clone();
    let reply = served.post(
        "api/evidence",
        &json!({"file": file, "version": version, "path": "oversight.evidence",
                "title": "Override procedure", "link": "https://example.org/override"}),
    );
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(served.path(file)).unwrap()).unwrap();
    let last = written["oversight"]["evidence"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        last,
        json!({"title": "Override procedure", "link": "https://example.org/override"})
    );
    // The page lists what the file lists, the new document last.
    let listed = reply.json()["evidence"]["oversight.evidence"].clone();
    assert_eq!(listed, written["oversight"]["evidence"]);
    assert_eq!(
        served.system(file)["evidence"]["oversight.evidence"],
        written["oversight"]["evidence"]
    );
    served.assert_valid(file);
}

#[test]
fn a_new_descriptor_is_written_once() {
    let served = start();
    let reply = served.post(
        "api/new",
        &json!({"file": "my-system.yaml", "name": "Parking: permits"}),
    );
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.json()["name"], "Parking: permits");
    served.assert_valid("my-system.yaml");
    let reply = served.post(
        "api/new",
        &json!({"file": "my-system.yaml", "name": "Again"}),
    );
    assert_eq!(reply.status, 409);
    assert!(
        std::fs::read_to_string(served.path("my-system.yaml"))
            .unwrap()
            .contains("Parking")
    );
}

/// `assess --as-of D --format F FILE`, run in the workspace.
fn assessed(folder: &Path, file: &str, format: &str) -> Vec<u8> {
    let mut cmd = bin();
    cmd.current_dir(folder).args([
        "--no-config",
        "assess",
        "--as-of",
        AS_OF,
        "--format",
        format,
        file,
    ]);
    cmd.output().unwrap().stdout
}

#[test]
fn downloaded_reports_are_those_of_assess() {
    let served = start();
    for file in ["welfare-risk-scoring.yaml", "hostile-strings.yaml"] {
        for format in ["json", "html"] {
            let reply = served.get(&format!("api/report?file={file}&format={format}"));
            assert_eq!(reply.status, 200, "{file} {format}");
            assert!(
                reply
                    .header("content-disposition")
                    .unwrap()
                    .starts_with("attachment")
            );
            assert_eq!(
                reply.body,
                assessed(served.folder.path(), file, format),
                "{file} {format}"
            );
        }
    }
    // To print, the report opens in the browser: the same bytes, shown, not saved.
    let file = "welfare-risk-scoring.yaml";
    let shown = served.get(&format!(
        "api/report?file={file}&format=html&disposition=inline"
    ));
    assert!(
        shown
            .header("content-disposition")
            .unwrap()
            .starts_with("inline")
    );
    assert_eq!(shown.body, assessed(served.folder.path(), file, "html"));
    let reply = served.get("api/report?file=welfare-risk-scoring.yaml&format=html");
    let policy = reply.header("content-security-policy").unwrap();
    assert!(
        !policy.contains("script-src"),
        "a report runs no script: {policy}"
    );
    let portfolio = served.get("portfolio");
    assert_eq!(portfolio.status, 200);
    assert!(String::from_utf8_lossy(&portfolio.body).contains("Riverton"));
}

#[test]
fn a_descriptor_with_mistakes_opens_with_each_mistake_at_its_place() {
    let served = start();
    served.write_broken();
    let view = served.system("broken.yaml");
    assert_eq!(view["assessment"], Value::Null);
    let mistake = &view["mistakes"][0];
    assert_eq!(mistake["path"], "oversight.can_override");
    assert_eq!(mistake["line"], 5);
    assert_eq!(mistake["column"], 17, "at the value");
    assert!(!mistake["message"].as_str().unwrap().is_empty());
    // The mistake can be answered away.
    let reply = served.answer(
        "broken.yaml",
        &view["version"],
        "oversight.can_override",
        &json!({"state": "value", "value": true}),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["mistakes"], json!([]));
}

#[test]
fn a_port_in_use_is_said_with_the_way_out() {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = bin()
        .args([
            "--no-config",
            "serve",
            "--no-open",
            "--port",
            &port,
            "examples",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
    assert!(stderr.contains("--port 0"), "{stderr}");
}

#[test]
fn a_system_comes_with_its_questions_and_what_would_change_its_verdict() {
    let served = start();
    let view = served.system("welfare-risk-scoring.yaml");
    let questionnaire = &view["questionnaire"];
    assert!(!questionnaire["sections"].as_array().unwrap().is_empty());
    let matter = questionnaire["progress"]["matter"].as_u64().unwrap();
    assert!(matter > 0 && questionnaire["progress"]["answered"].as_u64().unwrap() <= matter);
    assert_eq!(view["what_if"]["verdict"], "conditional");
    assert!(!view["what_if"]["changes"].as_array().unwrap().is_empty());
    // A descriptor with mistakes still has its questions, and no what-if.
    served.write_broken();
    let view = served.system("broken.yaml");
    assert!(view["questionnaire"]["sections"].is_array());
    assert_eq!(view["what_if"], Value::Null);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let mut served = start();
    let pid = served.child.id().to_string();
    let status = Process::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(status.success());
    let exit = served.child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
}

#[test]
fn of_answers_racing_on_one_version_exactly_one_is_saved() {
    let served = std::sync::Arc::new(start());
    let file = "welfare-risk-scoring.yaml";
    let version = served.system(file)["version"].clone();
    let racers: Vec<_> = ["Alpha", "Beta", "Gamma", "Delta"]
        .into_iter()
        .map(|name| {
            let (served, version) = (std::sync::Arc::clone(&served), version.clone());
            std::thread::spawn(move || {
                let answer = json!({"state": "value", "value": name});
                served.answer(file, &version, "system.name", &answer).status
            })
        })
        .collect();
    let mut statuses: Vec<u16> = racers.into_iter().map(|r| r.join().unwrap()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409, 409, 409]);
    served.assert_valid(file);
}
