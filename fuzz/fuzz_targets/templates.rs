//! Renders arbitrary text as a `--template` for the Markdown and HTML reports, of one
//! system and of a portfolio. A template may be refused (syntax, strict undefined values,
//! the fuel budget, the output cap) but never panic, hang or exhaust memory.
#![no_main]

use std::io::Cursor;
use std::sync::OnceLock;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use rightscheck::assessment::{Assessment, FailOn};
use rightscheck::document::{Document, Format};
use rightscheck::engine::{Engine, Options};
use rightscheck::portfolio::{Brief, Portfolio, RuleFields, SystemResult};
use rightscheck::report::{self, Part, RenderOptions, ReportFormat, Scope, Whole};
use rightscheck::rules::Catalog;

const BASE: &str = include_str!("../../examples/welfare-risk-scoring.yaml");

struct Fixture {
    catalog: Catalog,
    doc: Document,
    assessment: Assessment,
}

fn options() -> Options {
    Options {
        as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default(),
        fail_on: FailOn::High,
    }
}

fn fixture() -> Option<&'static Fixture> {
    static FIXTURE: OnceLock<Option<Fixture>> = OnceLock::new();
    FIXTURE
        .get_or_init(|| {
            let catalog = Catalog::builtin().ok()?.clone();
            let doc = Document::from_bytes("base.yaml", BASE.as_bytes(), Format::Yaml).ok()?;
            let assessment = Engine::plain(&catalog)
                .evaluate(&doc, &options())
                .to_assessment();
            Some(Fixture {
                catalog,
                doc,
                assessment,
            })
        })
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Some(fx) = fixture() else {
        return;
    };
    let Ok(template) = std::str::from_utf8(data) else {
        return;
    };
    let render = RenderOptions {
        template: Some(template),
        ..RenderOptions::default()
    };
    for format in [ReportFormat::Markdown, ReportFormat::Html] {
        let _ = report::render(format, &fx.assessment, &render);
    }
    // The portfolio templates get their own view.
    let engine = Engine::plain(&fx.catalog);
    let evaluation = engine.evaluate(&fx.doc, &options());
    let brief = Brief::of_evaluation(&fx.doc, &evaluation, &RuleFields::of(&fx.catalog));
    let result = SystemResult::Assessed(brief, Some(Box::new(evaluation.to_assessment())));
    for format in [ReportFormat::Markdown, ReportFormat::Html] {
        let mut portfolio = Portfolio::new(&engine, &options());
        let mut writer = report::report(format, Scope::Many, &render, &portfolio.as_of);
        let mut spill = Vec::new();
        let part = Part::of(&result);
        if format.has_parts() && part.is_ok_and(|part| writer.part(part, &mut spill).is_err()) {
            continue;
        }
        portfolio.add(&result);
        let mut out = Vec::new();
        let _ = writer.finish(Whole::Many(&portfolio), &mut Cursor::new(spill), &mut out);
    }
});
