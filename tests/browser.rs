//! The HTML report in a real browser: headless Chromium renders it to PNG and PDF, and its
//! DOM shows the verdict and the findings. Hostile descriptor text must show as text and
//! run nothing.
//!
//! Needs Debian's `chromium` (`.ci/run` installs it). Without it the tests fail when `CI`
//! is set and are skipped, with a notice, otherwise. `RIGHTSCHECK_CHROMIUM` names another
//! binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use common::{AS_OF, root};

fn chromium() -> Option<PathBuf> {
    let named = std::env::var_os("RIGHTSCHECK_CHROMIUM").map(PathBuf::from);
    let candidates = [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ];
    named
        .into_iter()
        .chain(candidates.iter().map(PathBuf::from))
        .find(|p| p.is_file())
}

/// The browser, or `None` after saying why the test is skipped (outside CI only).
fn browser() -> Option<PathBuf> {
    if let Some(path) = chromium() {
        return Some(path);
    }
    let message = "chromium is not installed: install it with `apt-get install chromium` \
                   (Debian), or set RIGHTSCHECK_CHROMIUM to a Chromium binary";
    assert!(std::env::var_os("CI").is_none(), "{message}");
    eprintln!("skipped: {message}");
    None
}

/// Runs headless Chromium on a file and returns its standard output.
fn run_chromium(browser: &Path, args: &[String], page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Process::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).unwrap();
        text
    });
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish in 180 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

/// Writes the HTML report of a descriptor into `dir` and returns its path.
fn html_report(descriptor: &Path, dir: &Path) -> PathBuf {
    let out = dir.join("report.html");
    let status = Command::cargo_bin("rightscheck")
        .unwrap()
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .args([
            "assess",
            "--as-of",
            AS_OF,
            "--format",
            "html",
            "--assessor",
            "A. Auditor",
        ])
        .arg("--output")
        .arg(&out)
        .arg(descriptor)
        .output()
        .unwrap()
        .status
        .code()
        .unwrap();
    assert!(status <= 1, "assess failed with status {status}");
    out
}

/// Keeps the rendered files for a person to look at when `RIGHTSCHECK_BROWSER_OUT` is set.
fn keep(files: &[&Path]) {
    if let Some(dir) = std::env::var_os("RIGHTSCHECK_BROWSER_OUT") {
        std::fs::create_dir_all(&dir).unwrap();
        for f in files {
            std::fs::copy(f, Path::new(&dir).join(f.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn the_report_renders_to_png_and_pdf_and_shows_the_verdict_and_findings() {
    let Some(browser) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = html_report(
        &root().join("examples/live-facial-recognition.yaml"),
        dir.path(),
    );

    let dom = run_chromium(&browser, &["--dump-dom".to_string()], &page);
    assert!(dom.contains("Verdict: Reject"), "the verdict is not shown");
    assert!(dom.contains("Red lines crossed"));
    assert!(
        dom.contains("id=\"rule-rc-pro-003\""),
        "a red-line finding is not shown"
    );
    assert!(dom.contains("Questions for the vendor"));
    assert!(dom.contains("Record of this assessment"));
    assert!(!dom.contains("<script"), "the report has no script");

    let png = dir.path().join("report.png");
    run_chromium(
        &browser,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2000".to_string(),
        ],
        &page,
    );
    let bytes = std::fs::read(&png).expect("chromium wrote no screenshot");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(
        bytes.len() > 20_000,
        "the screenshot looks empty ({} bytes)",
        bytes.len()
    );

    let pdf = dir.path().join("report.pdf");
    run_chromium(
        &browser,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_string(),
        ],
        &page,
    );
    let bytes = std::fs::read(&pdf).expect("chromium wrote no PDF");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    assert!(
        bytes.len() > 50_000,
        "the PDF looks empty ({} bytes)",
        bytes.len()
    );
    keep(&[&page, &png, &pdf]);
}

#[test]
fn hostile_descriptor_text_runs_nothing() {
    let Some(browser) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    // The bundled hostile example, with payloads that would leave a trace in the DOM if
    // any of them ran: a changed title, a marker attribute, an added element.
    let yaml = std::fs::read_to_string(root().join("examples/hostile-strings.yaml")).unwrap();
    let payload = r#"<img src=x onerror="document.title='PWNED';document.body.setAttribute('data-pwned','1')"><script>document.title='PWNED';document.body.appendChild(document.createElement('blink'))</script>"#;
    let yaml = yaml.replacen(
        "  name: <img src=x onerror=alert(1)>",
        &format!("  name: '{}'", payload.replace('\'', "''")),
        1,
    );
    assert!(
        yaml.contains("PWNED"),
        "the hostile example changed; update this test"
    );
    let descriptor = dir.path().join("hostile.yaml");
    std::fs::write(&descriptor, yaml).unwrap();
    let page = html_report(&descriptor, dir.path());

    let dom = run_chromium(&browser, &["--dump-dom".to_string()], &page);
    assert!(
        !dom.contains("<title>PWNED"),
        "a hostile script changed the title"
    );
    assert!(!dom.contains("data-pwned=\""), "a hostile handler ran");
    assert!(!dom.contains("<blink"), "a hostile script added an element");
    for tag in ["<script", "<img", "<iframe", "<marquee", "<svg onload"] {
        assert!(
            !dom.contains(tag),
            "the DOM has a `{tag}` element from the descriptor"
        );
    }
    // It shows the literal text instead.
    assert!(
        dom.contains("&lt;img src=x onerror="),
        "the hostile name is not shown as text"
    );
    assert!(dom.contains("&lt;script&gt;alert('x')&lt;/script&gt;"));
    assert!(dom.contains("Verdict:"));
    keep(&[&page]);
}
