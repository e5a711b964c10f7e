//! `JUnit` XML, one test case per rule, grouped in one test suite per theme, for the test
//! report views of CI systems.
//!
//! A gap is a `failure`, an open question an `error` (the rule could not be decided), a
//! rule that does not apply is `skipped`, a pass succeeds. Whether the run fails is still
//! decided by `--fail-on` and the exit status, not by this file. No timings or timestamps
//! are written, so the file is reproducible.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use super::error::Result;
use super::labels::clean;
use super::view::{evidence_of, lines_of};
use super::{RenderOptions, Report, Spill, Whole};
use crate::assessment::{Assessment, Finding, Outcome};

/// The `JUnit` report of one system.
pub struct Junit<'a>(pub RenderOptions<'a>);

fn details(a: &Assessment, f: &Finding, options: &RenderOptions<'_>) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "{}: {}", f.rule_id, f.title);
    let _ = writeln!(text, "severity: {}", f.severity);
    let _ = writeln!(text, "found: {}", f.message);
    let lines = lines_of(&f.observations);
    if !lines.is_empty() {
        let _ = writeln!(text, "descriptor: {} line {lines}", a.descriptor.file);
    }
    if let Some(q) = &f.question {
        let _ = writeln!(text, "question for the vendor: {q}");
    }
    let _ = writeln!(text, "what to do: {}", f.remediation);
    if let Some(date) = &f.waiver_expired_on {
        let _ = writeln!(
            text,
            "a waiver expired on {date}: the finding is open again"
        );
    }
    if let Some(date) = options.deadlines.target_date(&a.as_of, f.severity) {
        let _ = writeln!(text, "target date: {date}");
    }
    for s in f.sources.iter() {
        let _ = writeln!(
            text,
            "source: {} {}: \"{}\"",
            s.document,
            s.call,
            s.quote.trim()
        );
    }
    clean(&text)
}

fn case(a: &Assessment, f: &Finding, options: &RenderOptions<'_>) -> TestCase {
    let status = match f.outcome {
        Outcome::Pass => TestCaseStatus::success(),
        Outcome::Gap => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_type("gap")
                .set_message(clean(&f.message))
                .set_description(details(a, f, options));
            s
        }
        Outcome::Unknown => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
            s.set_type("unknown")
                .set_message(clean(&format!(
                    "open question: {}",
                    f.question.as_deref().unwrap_or(&f.message)
                )))
                .set_description(details(a, f, options));
            s
        }
        Outcome::NotAsked => {
            let mut s = TestCaseStatus::skipped();
            s.set_type("not-asked").set_message(clean(&format!(
                "not asked by {}: {}",
                f.not_asked_by.as_deref().unwrap_or("the source"),
                f.question.as_deref().unwrap_or(&f.message)
            )));
            s.set_description(details(a, f, options));
            s
        }
        Outcome::NotApplicable => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(clean(&f.message));
            s
        }
        Outcome::Waived => {
            let mut s = TestCaseStatus::skipped();
            if let Some(w) = &f.waiver {
                s.set_type("waived").set_message(clean(&format!(
                    "waived until {}: {} (approved by {} on {}; compensating measure: {})",
                    w.expires_on,
                    w.justification,
                    w.approved_by,
                    w.approved_on,
                    w.compensating_measure
                )));
            }
            s.set_description(details(a, f, options));
            s
        }
    };
    let mut case = TestCase::new(clean(&format!("{}: {}", f.rule_id, f.title)), status);
    case.set_classname(clean(&format!("{}.{}", a.tool.name, f.theme)));
    case.add_property(Property::new("severity", f.severity.as_str()));
    if f.outcome == Outcome::Pass {
        let evidence: Vec<String> = evidence_of(f).into_iter().map(|e| e.title).collect();
        let out = if evidence.is_empty() {
            "met; claimed, no evidence document given".to_string()
        } else {
            format!("met; evidence: {}", evidence.join("; "))
        };
        case.set_system_out(clean(&out));
    }
    case
}

/// One test suite holding every rule of one system, for portfolio reports.
pub(crate) fn system_suite(a: &Assessment, options: &RenderOptions<'_>) -> TestSuite {
    let mut suite = TestSuite::new(clean(&format!(
        "{} ({})",
        a.descriptor.system_name, a.descriptor.file
    )));
    suite.add_properties([
        Property::new("system", clean(&a.descriptor.system_name)),
        Property::new("descriptor", clean(&a.descriptor.file)),
        Property::new("descriptor-sha256", a.descriptor.sha256.as_str()),
        Property::new("verdict", a.verdict.as_str()),
        Property::new("impact-level", a.level.level.as_str()),
    ]);
    let mut findings: Vec<&Finding> = a.findings.iter().collect();
    findings.sort_by(|x, y| x.theme.cmp(&y.theme).then(x.rule_id.cmp(&y.rule_id)));
    suite.add_test_cases(findings.into_iter().map(|f| case(a, f, options)));
    suite
}

impl Report for Junit<'_> {
    fn finish(&mut self, whole: Whole<'_>, _: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        let (a, opts) = (whole.one()?, &self.0);
        let mut themes: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in &a.findings {
            themes.entry(&*f.theme).or_default().push(f);
        }
        let mut report = quick_junit::Report::new(clean(&format!(
            "{}: {}",
            a.tool.name, a.descriptor.system_name
        )));
        for (theme, mut findings) in themes {
            findings.sort_by(|x, y| x.rule_id.cmp(&y.rule_id));
            let mut suite = TestSuite::new(clean(theme));
            suite.add_properties([
                Property::new("system", clean(&a.descriptor.system_name)),
                Property::new("descriptor", clean(&a.descriptor.file)),
                Property::new("descriptor-sha256", a.descriptor.sha256.as_str()),
                Property::new("catalog-sha256", a.catalog.sha256.as_str()),
                Property::new("as-of", a.as_of.as_str()),
                Property::new("verdict", a.verdict.as_str()),
                Property::new("impact-level", a.level.level.as_str()),
            ]);
            suite.add_test_cases(findings.iter().map(|f| case(a, f, opts)));
            report.add_test_suite(suite);
        }
        report.serialize(out)?;
        Ok(())
    }
}
