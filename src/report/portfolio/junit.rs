//! `JUnit` XML for the portfolio: one test suite per system, one test case per rule, as in
//! the single-system report; a descriptor that could not be assessed is a suite with one
//! errored case. Each suite is written as its system arrives.

use std::io::{BufRead, Write};

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::{PortfolioWriter, full};
use crate::portfolio::{Portfolio, SystemResult};
use crate::report::RenderOptions;
use crate::report::error::{RenderError, Result};
use crate::report::junit::system_suite;
use crate::report::labels::clean;

/// The `JUnit` portfolio report.
#[derive(Default)]
pub struct Junit {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

/// Where the `<testsuite>` elements of a serialised report stand, with their indentation.
fn suites_of(xml: &str) -> Result<std::ops::Range<usize>> {
    let start = xml
        .find("<testsuite ")
        .or_else(|| xml.find("<testsuite>"))
        .and_then(|i| xml[..i].rfind('\n').map(|n| n + 1))
        .ok_or_else(|| RenderError::Data("the JUnit writer produced no test suite".to_string()))?;
    let end = xml
        .rfind("</testsuites>")
        .and_then(|i| xml[..i].rfind('\n').map(|n| n + 1))
        .ok_or_else(|| RenderError::Data("the JUnit writer produced no closing tag".to_string()))?;
    Ok(start..end.max(start))
}

impl PortfolioWriter for Junit {
    fn findings(&self) -> bool {
        true
    }

    fn system(
        &mut self,
        result: &SystemResult,
        options: &RenderOptions<'_>,
        spill: &mut dyn Write,
    ) -> Result<()> {
        let suite = match (full(result)?, result) {
            (Some(a), _) => system_suite(a, options),
            (None, SystemResult::Assessed(..)) => return Ok(()),
            (None, SystemResult::Failed(e)) => {
                let mut suite = TestSuite::new(clean(&e.file));
                suite.add_property(Property::new("descriptor", clean(&e.file)));
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status
                    .set_type("unreadable")
                    .set_message(clean(&e.to_string()))
                    .set_description(clean(&e.help));
                let mut case = TestCase::new("the descriptor can be read and is valid", status);
                case.set_classname("rightscheck.descriptor");
                suite.add_test_case(case);
                suite
            }
        };
        self.tests += suite.tests;
        self.failures += suite.failures;
        self.errors += suite.errors;
        self.skipped += suite.skipped;
        let mut report = Report::new("system");
        report.add_test_suite(suite);
        let xml = report.to_string()?;
        spill.write_all(&xml.as_bytes()[suites_of(&xml)?])?;
        Ok(())
    }

    fn finish(
        &mut self,
        portfolio: &Portfolio,
        _: &RenderOptions<'_>,
        spill: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<()> {
        let mut report = Report::new(clean(&format!(
            "{}: portfolio of {} descriptors",
            portfolio.tool.name, portfolio.summary.descriptors
        )));
        // An empty suite keeps the wrapper open, so that the spilled suites fit inside.
        report.add_test_suite(TestSuite::new("placeholder"));
        report.tests = self.tests;
        report.failures = self.failures;
        report.errors = self.errors;
        report.skipped = self.skipped;
        let xml = report.to_string()?;
        let placeholder = suites_of(&xml)?;
        out.write_all(&xml.as_bytes()[..placeholder.start])?;
        std::io::copy(spill, out)?;
        out.write_all(&xml.as_bytes()[placeholder.end..])?;
        Ok(())
    }
}
