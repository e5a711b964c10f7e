//! Takes a descriptor through every output format, alone and as a portfolio of one, and
//! checks that each output reads back with its own reader (JSON, SARIF and OSCAL with
//! serde_json, JUnit with an XML parser, CSV with the csv crate) and that no output carries
//! a raw control character where it must not.
//!
//! The input is read as a descriptor; whatever reads and validates is rendered. Then its
//! text, cut at NUL bytes, is written into the free-text fields of a valid descriptor, so
//! that every input reaches the renderers as hostile text, even when it is no descriptor.
#![no_main]

use std::io::Cursor;
use std::sync::OnceLock;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use rightscheck::assessment::FailOn;
use rightscheck::document::{Document, Format};
use rightscheck::engine::{Engine, Options};
use rightscheck::portfolio::{Brief, Portfolio, RuleFields, SystemResult};
use rightscheck::report::{self, Part, RenderOptions, ReportFormat, Scope, Whole};
use rightscheck::rules::Catalog;
use rightscheck::schema::Schema;
use serde_json::Value;

const BASE: &str = include_str!("../../examples/well-governed.yaml");

const FORMATS: [ReportFormat; 10] = [
    ReportFormat::Table,
    ReportFormat::Json,
    ReportFormat::Markdown,
    ReportFormat::Html,
    ReportFormat::Csv,
    ReportFormat::Sarif,
    ReportFormat::Junit,
    ReportFormat::Oscal,
    ReportFormat::Github,
    ReportFormat::Gitlab,
];

fn options() -> Options {
    static AS_OF: OnceLock<NaiveDate> = OnceLock::new();
    Options {
        as_of: *AS_OF.get_or_init(|| NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default()),
        fail_on: FailOn::High,
    }
}

/// A character that no output may carry raw: C0 and C1 controls other than the line
/// breaks and tabs text formats use, and the characters XML forbids.
fn forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

fn check(format: ReportFormat, text: &str) {
    if let Some(c) = text.chars().find(|c| forbidden(*c)) {
        panic!(
            "{}: raw U+{:04X} in the output",
            format.as_str(),
            u32::from(c)
        );
    }
    match format {
        ReportFormat::Json | ReportFormat::Sarif | ReportFormat::Oscal | ReportFormat::Gitlab => {
            if let Err(e) = serde_json::from_str::<Value>(text) {
                panic!("{}: not JSON: {e}", format.as_str());
            }
        }
        ReportFormat::Junit => {
            if let Err(e) = roxmltree::Document::parse(text) {
                panic!("junit: not XML: {e}");
            }
        }
        ReportFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(false)
                .from_reader(text.as_bytes());
            for record in reader.records() {
                if let Err(e) = record {
                    panic!("csv: not CSV: {e}");
                }
            }
        }
        ReportFormat::Table | ReportFormat::Markdown | ReportFormat::Html | ReportFormat::Github => {}
    }
}

fn render_all(engine: &Engine<'_>, doc: &Document) {
    let Ok(schema) = Schema::descriptor() else {
        return;
    };
    if !schema.validate(doc).is_ok_and(|issues| issues.is_empty()) {
        return;
    }
    let options = options();
    let render = RenderOptions {
        show_all: true,
        ..RenderOptions::default()
    };
    let evaluation = engine.evaluate(doc, &options);
    let assessment = evaluation.to_assessment();
    for format in FORMATS {
        match report::render(format, &assessment, &render) {
            Ok(text) => check(format, &text),
            Err(e) => panic!("{}: the built-in renderer failed: {e:#}", format.as_str()),
        }
    }
    // The same system as a portfolio of one.
    let brief = Brief::of_evaluation(doc, &evaluation, &RuleFields::of(engine.catalog()));
    let result = SystemResult::Assessed(brief, Some(Box::new(assessment)));
    for format in FORMATS {
        let mut portfolio = Portfolio::new(engine, &options);
        let mut writer = report::report(format, Scope::Many, &render, &portfolio.as_of);
        let mut spill = Vec::new();
        if format.has_parts() {
            let part = Part::of(&result).unwrap_or_else(|e| panic!("{}: {e:#}", format.as_str()));
            if let Err(e) = writer.part(part, &mut spill) {
                panic!("{}: portfolio part failed: {e:#}", format.as_str());
            }
        }
        portfolio.add(&result);
        let mut out = Vec::new();
        if let Err(e) = writer.finish(Whole::Many(&portfolio), &mut Cursor::new(spill), &mut out) {
            panic!("{}: portfolio report failed: {e:#}", format.as_str());
        }
        match String::from_utf8(out) {
            Ok(text) => check(format, &text),
            Err(_) => panic!("{}: portfolio report is not UTF-8", format.as_str()),
        }
    }
}

/// The valid base descriptor with `pieces` in its free-text fields.
fn hostile(pieces: &[&str]) -> Option<Document> {
    let mut doc = Document::from_bytes("hostile.yaml", BASE.as_bytes(), Format::Yaml).ok()?;
    let get = |i: usize| pieces.get(i % pieces.len().max(1)).copied().unwrap_or("");
    let v = &mut doc.value;
    v["system"]["name"] = Value::from(format!("n{}", get(0)));
    v["system"]["version"] = Value::from(get(1));
    v["roles"]["deployer"]["name"] = Value::from(format!("d{}", get(2)));
    v["context"]["other_sectors"] = Value::from(vec![format!("s{}", get(3))]);
    v["purpose"]["description"] = Value::from(format!("p{}", get(4)));
    Some(doc)
}

fuzz_target!(|data: &[u8]| {
    static CATALOG: OnceLock<Option<Catalog>> = OnceLock::new();
    let Some(catalog) = CATALOG.get_or_init(|| Catalog::builtin().ok().cloned()) else {
        return;
    };
    let engine = Engine::plain(catalog);
    for format in [Format::Yaml, Format::Json] {
        if let Ok(doc) = Document::from_bytes("fuzz.yaml", data, format) {
            render_all(&engine, &doc);
        }
    }
    let text = String::from_utf8_lossy(data);
    let pieces: Vec<&str> = text.split('\0').take(8).collect();
    if let Some(doc) = hostile(&pieces) {
        render_all(&engine, &doc);
    }
});
