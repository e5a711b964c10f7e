//! Every report format, rendered from one shared sample assessment, pinned with insta.
//! The table and JSON views of the same sample are pinned in `tests/snapshots.rs`.
//!
//! Accept intended changes with `INSTA_UPDATE=always cargo test --test report_snapshots`
//! and review the diff; CI (`CI=true`) fails on a stale or missing snapshot.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rightscheck::assessment::{Assessment, FailOn};
use rightscheck::document::Document;
use rightscheck::engine::{Engine, Options, Tailoring};
use rightscheck::report::{RenderOptions, ReportFormat};
use rightscheck::rules::Catalog;

/// The shared sample: the welfare risk-scoring example, as of 2026-06-30, with the example
/// waivers (two applied, one expired, one unused), so every format shows them.
fn sample() -> &'static Assessment {
    static SAMPLE: OnceLock<Assessment> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut doc =
            Document::from_path(&root.join("examples/welfare-risk-scoring.yaml")).unwrap();
        doc.name = "examples/welfare-risk-scoring.yaml".to_string();
        let options = Options {
            as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            fail_on: FailOn::High,
        };
        let mut waivers = Document::from_path(&root.join("examples/waivers.yaml")).unwrap();
        waivers.name = "examples/waivers.yaml".to_string();
        let tailoring = Tailoring {
            waivers: Some(rightscheck::waivers::Waivers::from_document(&waivers).unwrap()),
            ..Tailoring::default()
        };
        Engine::new(Catalog::builtin().unwrap(), &tailoring)
            .unwrap()
            .assess(&doc, &options)
            .unwrap()
    })
}

fn render(format: ReportFormat) -> String {
    let options = RenderOptions {
        width: Some(120),
        assessor: Some("A. Auditor"),
        ..RenderOptions::default()
    };
    rightscheck::report::render(format, sample(), &options).unwrap()
}

#[test]
fn markdown() {
    insta::assert_snapshot!(render(ReportFormat::Markdown));
}

#[test]
fn html() {
    insta::assert_snapshot!(render(ReportFormat::Html));
}

#[test]
fn csv() {
    insta::assert_snapshot!(render(ReportFormat::Csv));
}

#[test]
fn sarif() {
    insta::assert_snapshot!(render(ReportFormat::Sarif));
}

#[test]
fn junit() {
    insta::assert_snapshot!(render(ReportFormat::Junit));
}

#[test]
fn oscal() {
    insta::assert_snapshot!(render(ReportFormat::Oscal));
}
