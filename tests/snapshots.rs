//! Every renderer, fed from one shared sample assessment, pinned with insta snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use chrono::NaiveDate;
use rightscheck::assessment::{Assessment, FailOn};
use rightscheck::document::Document;
use rightscheck::engine::{Engine, Options};
use rightscheck::report::{RenderOptions, ReportFormat};
use rightscheck::rules::Catalog;

fn sample(example: &str) -> Assessment {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut doc = Document::from_path(&root.join("examples").join(example)).unwrap();
    // Relative name, so snapshots do not depend on where the checkout lives.
    doc.name = format!("examples/{example}");
    let options = Options {
        as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        fail_on: FailOn::High,
    };
    Engine::plain(Catalog::builtin().unwrap())
        .assess(&doc, &options)
        .unwrap()
}

fn render(a: &Assessment, format: ReportFormat, show_all: bool) -> String {
    let options = RenderOptions {
        color: false,
        width: Some(120),
        show_all,
        ..RenderOptions::default()
    };
    rightscheck::report::render(format, a, &options).unwrap()
}

#[test]
fn table_report() {
    insta::assert_snapshot!(render(
        &sample("welfare-risk-scoring.yaml"),
        ReportFormat::Table,
        false
    ));
}

#[test]
fn table_report_with_all_rules() {
    insta::assert_snapshot!(render(
        &sample("well-governed.yaml"),
        ReportFormat::Table,
        true
    ));
}

#[test]
fn table_report_of_a_rejected_system() {
    insta::assert_snapshot!(render(
        &sample("live-facial-recognition.yaml"),
        ReportFormat::Table,
        false
    ));
}

#[test]
fn json_report() {
    insta::assert_snapshot!(render(
        &sample("welfare-risk-scoring.yaml"),
        ReportFormat::Json,
        false
    ));
}

#[test]
fn table_colour_is_only_added_on_request() {
    let a = sample("live-facial-recognition.yaml");
    let plain = render(&a, ReportFormat::Table, false);
    let coloured = rightscheck::report::render(
        ReportFormat::Table,
        &a,
        &RenderOptions {
            color: true,
            width: Some(120),
            ..RenderOptions::default()
        },
    )
    .unwrap();
    assert!(!plain.contains('\u{1b}'));
    assert!(coloured.contains("\u{1b}[1;31mREJECT"));
}
