//! Reads arbitrary bytes as a descriptor, in YAML and in JSON; validates whatever reads;
//! assesses whatever validates. Nothing may panic, hang or blow the stack.
#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use rightscheck::assessment::FailOn;
use rightscheck::document::{Document, Format};
use rightscheck::engine::{self, Options};
use rightscheck::rules::Catalog;
use rightscheck::schema::Schema;

fn options() -> Options {
    static AS_OF: OnceLock<NaiveDate> = OnceLock::new();
    Options {
        as_of: *AS_OF.get_or_init(|| NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default()),
        fail_on: FailOn::High,
    }
}

fuzz_target!(|data: &[u8]| {
    let (Ok(schema), Ok(catalog)) = (Schema::descriptor(), Catalog::builtin()) else {
        // A broken build, not a finding of the fuzzer.
        return;
    };
    for format in [Format::Yaml, Format::Json] {
        let doc = match Document::from_bytes("fuzz", data, format) {
            Ok(doc) => doc,
            Err(err) => {
                // Rendering the error and its help must not panic either.
                let _ = (err.to_string(), err.help(), err.position());
                continue;
            }
        };
        let Ok(issues) = schema.validate(&doc) else {
            // A broken build, not a finding of the fuzzer.
            return;
        };
        for issue in &issues {
            let _ = issue.to_string();
        }
        if issues.is_empty() {
            let assessment = engine::Engine::plain(catalog)
                .evaluate(&doc, &options())
                .to_assessment();
            let _ = assessment.fails();
        }
    }
});
