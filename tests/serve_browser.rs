//! The web application of `rightscheck serve` in a real browser: each test starts the real
//! binary on a temporary copy of a workspace and runs one scenario of
//! `tests/browser-app/` (Node, playwright-core, headless Chromium) against it.
//!
//! - describing a system from scratch: answers of every kind, the verdict changing, "don't
//!   know", evidence, a reload, a file changed on disk; the downloaded HTML and JSON
//!   reports byte-identical with `rightscheck assess`;
//! - a descriptor with mistakes, each shown at its question; hostile text shown as text;
//! - requests without the token, from a foreign origin or host, or for files outside the
//!   workspace, refused;
//! - no WCAG 2.2 AA violation found by axe-core;
//! - the whole questionnaire completed with the keyboard alone.
//!
//! Screenshots of each view, at desktop width and 320 px, go to `target/serve-screenshots/`.
//!
//! Needs Node, Debian's `chromium` and `npm ci` in `tests/browser-app` (`.ci/run` does all
//! three). Without them the tests fail when `CI` is set and are skipped, with a notice,
//! otherwise. `RIGHTSCHECK_CHROMIUM` names another Chromium binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{AS_OF, bin, root};

/// The scenarios' folder, and Node to run them.
struct Tools {
    node: PathBuf,
    app: PathBuf,
}

/// The tools, or `None` after saying why the test is skipped (outside CI only).
fn tools() -> Option<Tools> {
    let app = root().join("tests/browser-app");
    let node = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|dir| dir.join("node"))
        .find(|p| p.is_file());
    let chromium = std::env::var_os("RIGHTSCHECK_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let missing = if node.is_none() {
        Some("node is not installed: install it with `apt-get install nodejs npm` (Debian)")
    } else if !chromium.is_file() {
        Some(
            "chromium is not installed: install it with `apt-get install chromium` (Debian), \
             or set RIGHTSCHECK_CHROMIUM to a Chromium binary",
        )
    } else if !app.join("node_modules/playwright-core").is_dir()
        || !app.join("node_modules/axe-core").is_dir()
    {
        Some("the browser test packages are not installed: run `npm ci` in tests/browser-app")
    } else {
        None
    };
    if let Some(message) = missing {
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("skipped: {message}");
        return None;
    }
    Some(Tools {
        node: node.unwrap(),
        app,
    })
}

/// Where the screenshots go, kept as CI artefacts.
fn screenshots() -> PathBuf {
    let dir = root().join("target/serve-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `rightscheck serve` on a fresh copy of a workspace, stopped when dropped.
struct Server {
    child: Child,
    url: String,
    /// Holds `workspace/` (served) and `outside/` (a file the server must never show).
    dir: tempfile::TempDir,
}

impl Server {
    /// Serves a workspace of three examples, a descriptor with mistakes and a link to a
    /// file outside the workspace.
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("workspace");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&workspace).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        for example in [
            "examples/well-governed.yaml",
            "examples/live-facial-recognition.yaml",
            "examples/hostile-strings.yaml",
            "tests/browser-app/fixtures/with-mistakes.yaml",
        ] {
            let from = root().join(example);
            std::fs::copy(&from, workspace.join(from.file_name().unwrap())).unwrap();
        }
        let secret = outside.join("secret.yaml");
        std::fs::write(
            &secret,
            "descriptor_version: \"1\"\nsystem:\n  name: SECRET-OUTSIDE\n",
        )
        .unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&secret, workspace.join("link-out.yaml")).unwrap();
        std::fs::write(workspace.join("notes.txt"), "SECRET-OUTSIDE notes\n").unwrap();

        let mut child = Process::new(env!("CARGO_BIN_EXE_rightscheck"))
            .args(["serve", "--port", "0", "--no-open", "--as-of", AS_OF])
            .arg(&workspace)
            .env_remove("SOURCE_DATE_EPOCH")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The address is printed on one of the two streams; both are read to the end so
        // the server never blocks on a full pipe.
        let (lines, address) = mpsc::channel::<String>();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        for stream in [Box::new(stdout) as Box<dyn Read + Send>, Box::new(stderr)] {
            let lines = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = lines.send(line);
                }
            });
        }
        // Both streams closed, the server has stopped: no address will come.
        drop(lines);
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        let url = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = address.recv_timeout(left) else {
                let _ = child.kill();
                panic!(
                    "`rightscheck serve` printed no address; it printed:\n{}",
                    seen.join("\n")
                );
            };
            if let Some(start) = line.find("http://127.0.0.1:") {
                let url = line[start..].split_whitespace().next().unwrap();
                break url.to_string();
            }
            seen.push(line);
        };
        Server { child, url, dir }
    }

    fn workspace(&self) -> PathBuf {
        self.dir.path().join("workspace")
    }

    /// Where a scenario saves what it downloads.
    fn downloads(&self) -> PathBuf {
        self.dir.path().join("downloads")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `node SCRIPT URL SCREENSHOTS WORKSPACE DOWNLOADS` in `tests/browser-app` against
/// a new server; its output is printed (shown when the test fails). Fails unless the
/// script exits 0 having passed the checks of each of `names`. Returns the server, for
/// what the test checks after, or `None` when the tools are missing outside CI.
fn passes(script: &str, names: &[&str]) -> Option<Server> {
    let tools = tools()?;
    let server = Server::start();
    std::fs::create_dir_all(server.downloads()).unwrap();
    let mut child = Process::new(&tools.node)
        .current_dir(&tools.app)
        .arg(script)
        .arg(&server.url)
        .arg(screenshots())
        .arg(server.workspace())
        .arg(server.downloads())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).unwrap();
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).unwrap();
        text
    });
    let deadline = Instant::now() + Duration::from_secs(900);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("node {script} did not finish in 900 s");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let output = format!("{}{}", out.join().unwrap(), err.join().unwrap());
    println!("node {script}:\n{output}");
    assert!(status.success(), "node {script} failed: {status}\n{output}");
    for name in names {
        assert_passed(&output, name);
    }
    Some(server)
}

/// Asserts that the scenario printed its closing line with checks and no failure.
fn assert_passed(output: &str, name: &str) {
    let line = output
        .lines()
        .find(|l| l.starts_with(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no closing line for {name}"));
    let passed: usize = line[name.len() + 2..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(passed > 0, "{name} ran no check");
    assert!(line.ends_with(" passed, 0 failed"), "{line}");
}

/// What `rightscheck assess` writes for a file of the workspace, run in the workspace.
fn assess(workspace: &Path, file: &str, format: &str) -> Vec<u8> {
    let output = bin()
        .current_dir(workspace)
        .args(["assess", "--as-of", AS_OF, "--format", format, file])
        .output()
        .unwrap();
    let status = output.status.code().unwrap();
    assert!(
        status <= 1,
        "assess --format {format} failed with status {status}"
    );
    output.stdout
}

#[test]
fn a_system_described_from_scratch_in_the_browser_gives_the_command_lines_reports() {
    let Some(server) = passes("describe.mjs", &["describe a system"]) else {
        return;
    };
    let file = "ward-staffing-forecast.yaml";
    for format in ["html", "json"] {
        let downloaded = std::fs::read(server.downloads().join(format!("downloaded.{format}")))
            .unwrap_or_else(|e| panic!("the {format} report was not downloaded: {e}"));
        let expected = assess(&server.workspace(), file, format);
        assert!(
            downloaded == expected,
            "the downloaded {format} report differs from `rightscheck assess --as-of {AS_OF} \
             --format {format} {file}`:\n--- downloaded\n{}\n--- command line\n{}",
            String::from_utf8_lossy(&downloaded),
            String::from_utf8_lossy(&expected),
        );
    }
    // What the browser wrote is a valid descriptor, with the answers given.
    let written = std::fs::read_to_string(server.workspace().join(file)).unwrap();
    validates(&server, file);
    for answer in [
        "Ward staffing forecast",
        "Forecasts how many nurses each ward needs next week.",
        "human-in-the-loop",
        "1200",
        "2026-03-31",
        "How many nurses work on each ward",
        "Ward staffing oversight procedure",
    ] {
        assert!(
            written.contains(answer),
            "`{answer}` is not in the file:\n{written}"
        );
    }
}

/// Asserts that `rightscheck validate` finds no mistake in a file of the workspace.
fn validates(server: &Server, file: &str) {
    bin()
        .current_dir(server.workspace())
        .args(["validate", file])
        .assert()
        .success();
}

#[test]
fn a_descriptor_with_mistakes_opens_with_each_mistake_at_its_question() {
    passes(
        "mistakes.mjs",
        &["a descriptor with mistakes", "a descriptor of hostile text"],
    );
}

#[test]
fn requests_without_the_token_from_elsewhere_or_outside_the_workspace_are_refused() {
    if let Some(server) = passes("refusals.mjs", &["refusals"]) {
        assert!(!server.dir.path().join("created-outside.yaml").exists());
    }
}

#[test]
fn axe_finds_no_wcag_22_aa_violation_in_any_view() {
    passes("axe.mjs", &["accessibility"]);
}

#[test]
fn the_whole_questionnaire_can_be_completed_with_the_keyboard_alone() {
    if let Some(server) = passes("keyboard.mjs", &["keyboard only"]) {
        validates(&server, "keyboard-only.yaml");
    }
}
