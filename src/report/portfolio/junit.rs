//! `JUnit` XML for the portfolio: one test suite per system, one test case per rule, as in
//! the single-system report; a descriptor that could not be assessed is a suite with one
//! errored case. Each suite is written as its system arrives, in the layout quick-junit
//! gives a whole report, by the same XML writer.

use std::io::Write;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite, XmlString};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::report::RenderOptions;
use crate::report::error::{RenderError, Result};
use crate::report::junit::system_suite;
use crate::report::labels::clean;
use crate::report::{Part, Report, Spill, Whole};

/// The `JUnit` portfolio report.
pub struct Junit<'a> {
    /// How the report looks.
    options: RenderOptions<'a>,
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

/// A writer that drops what it is given until it is opened.
struct Gate<W> {
    inner: W,
    open: bool,
}

impl<W: Write> Write for Gate<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.open {
            self.inner.write(buf)
        } else {
            Ok(buf.len())
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// An XML writer indenting by four spaces, as quick-junit does.
fn writer<W: Write>(out: W) -> Writer<W> {
    Writer::new_with_indent(out, b' ', 4)
}

fn xml(e: std::io::Error) -> RenderError {
    RenderError::Io(e)
}

fn start(w: &mut Writer<impl Write>, tag: BytesStart<'_>) -> Result<()> {
    w.write_event(Event::Start(tag)).map_err(xml)
}

fn end(w: &mut Writer<impl Write>, name: &str) -> Result<()> {
    w.write_event(Event::End(BytesEnd::new(name))).map_err(xml)
}

fn properties(w: &mut Writer<impl Write>, properties: &[Property]) -> Result<()> {
    if properties.is_empty() {
        return Ok(());
    }
    start(w, BytesStart::new("properties"))?;
    for p in properties {
        let mut tag = BytesStart::new("property");
        tag.extend_attributes([("name", p.name.as_str()), ("value", p.value.as_str())]);
        w.write_event(Event::Empty(tag)).map_err(xml)?;
    }
    end(w, "properties")
}

fn status(
    w: &mut Writer<impl Write>,
    name: &str,
    message: Option<&XmlString>,
    ty: Option<&XmlString>,
    description: Option<&XmlString>,
) -> Result<()> {
    let mut tag = BytesStart::new(name);
    if let Some(m) = message {
        tag.push_attribute(("message", m.as_str()));
    }
    if let Some(t) = ty {
        tag.push_attribute(("type", t.as_str()));
    }
    match description {
        Some(d) => {
            start(w, tag)?;
            w.write_event(Event::Text(BytesText::new(d.as_str())))
                .map_err(xml)?;
            end(w, name)
        }
        None => w.write_event(Event::Empty(tag)).map_err(xml),
    }
}

/// One test case, as quick-junit writes it (without timings, reruns or standard error,
/// which this tool never sets).
fn case(w: &mut Writer<impl Write>, c: &TestCase) -> Result<()> {
    let mut tag = BytesStart::new("testcase");
    tag.push_attribute(("name", c.name.as_str()));
    if let Some(class) = &c.classname {
        tag.push_attribute(("classname", class.as_str()));
    }
    let has_status = !matches!(c.status, TestCaseStatus::Success { .. });
    if c.properties.is_empty() && c.system_out.is_none() && !has_status {
        return w.write_event(Event::Empty(tag)).map_err(xml);
    }
    start(w, tag)?;
    properties(w, &c.properties)?;
    match &c.status {
        TestCaseStatus::Success { .. } => {}
        TestCaseStatus::NonSuccess {
            kind,
            message,
            ty,
            description,
            ..
        } => {
            let name = match kind {
                NonSuccessKind::Failure => "failure",
                NonSuccessKind::Error => "error",
            };
            status(w, name, message.as_ref(), ty.as_ref(), description.as_ref())?;
        }
        TestCaseStatus::Skipped {
            message,
            ty,
            description,
        } => status(
            w,
            "skipped",
            message.as_ref(),
            ty.as_ref(),
            description.as_ref(),
        )?,
    }
    if let Some(out) = &c.system_out {
        start(w, BytesStart::new("system-out"))?;
        w.write_event(Event::Text(BytesText::new(out.as_str())))
            .map_err(xml)?;
        end(w, "system-out")?;
    }
    end(w, "testcase")
}

/// One test suite, as quick-junit writes it inside a report.
fn suite(w: &mut Writer<impl Write>, s: &TestSuite) -> Result<()> {
    let mut tag = BytesStart::new("testsuite");
    tag.extend_attributes([
        ("name", s.name.as_str()),
        ("tests", s.tests.to_string().as_str()),
        ("skipped", s.skipped.to_string().as_str()),
        ("errors", s.errors.to_string().as_str()),
        ("failures", s.failures.to_string().as_str()),
    ]);
    if s.properties.is_empty() && s.test_cases.is_empty() {
        return w.write_event(Event::Empty(tag)).map_err(xml);
    }
    start(w, tag)?;
    properties(w, &s.properties)?;
    for c in &s.test_cases {
        case(w, c)?;
    }
    end(w, "testsuite")
}

impl<'a> Junit<'a> {
    /// An empty report, to look as `options` say.
    pub fn new(options: RenderOptions<'a>) -> Self {
        Junit {
            options,
            tests: 0,
            failures: 0,
            errors: 0,
            skipped: 0,
        }
    }
}

impl Report for Junit<'_> {
    fn part(&mut self, part: Part<'_>, spill: &mut dyn Write) -> Result<()> {
        let opts = &self.options;
        let suite_of = match part {
            Part::Assessed(a) => system_suite(a, opts),
            Part::Failed(e) => {
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
        self.tests += suite_of.tests;
        self.failures += suite_of.failures;
        self.errors += suite_of.errors;
        self.skipped += suite_of.skipped;
        // Each suite is written one level in, as inside `<testsuites>`: the writer is
        // taken to that level by an opening tag that goes nowhere.
        let mut w = writer(Gate {
            inner: spill,
            open: false,
        });
        start(&mut w, BytesStart::new("testsuites"))?;
        w.get_mut().open = true;
        suite(&mut w, &suite_of)
    }

    fn finish(&mut self, whole: Whole<'_>, spill: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        let portfolio = whole.many()?;
        let name = XmlString::new(clean(&format!(
            "{}: portfolio of {} descriptors",
            portfolio.tool.name, portfolio.summary.descriptors
        )));
        let mut w = writer(&mut *out);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .map_err(xml)?;
        let mut tag = BytesStart::new("testsuites");
        tag.extend_attributes([
            ("name", name.as_str()),
            ("tests", self.tests.to_string().as_str()),
            ("skipped", self.skipped.to_string().as_str()),
            ("failures", self.failures.to_string().as_str()),
            ("errors", self.errors.to_string().as_str()),
        ]);
        start(&mut w, tag)?;
        std::io::copy(spill, w.get_mut())?;
        end(&mut w, "testsuites")?;
        w.write_indent().map_err(xml)?;
        Ok(())
    }
}
