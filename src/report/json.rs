//! The assessment as pretty-printed JSON (schema: `schemas/assessment.schema.json`), and a
//! portfolio's summary (schema: `schemas/portfolio.schema.json`), each ending in a newline.

use std::io::Write;

use super::error::Result;
use super::portfolio::view::JsonPortfolio;
use super::{Report, Spill, Whole};
use crate::assessment::Assessment;

mod pretty;

/// The JSON report.
pub struct Json;

/// Room reserved for one system's report before it is written: about what a descriptor
/// assessed against the built-in catalog takes, so the buffer seldom grows.
const TYPICAL_REPORT: usize = 320 * 1024;

/// One system's report, written straight into the buffer that [`super::render`] takes as
/// the text itself, without a copy.
pub(super) fn bytes(a: &Assessment) -> Result<Vec<u8>> {
    let mut buffer = Vec::with_capacity(TYPICAL_REPORT);
    pretty::to_vec(&mut buffer, a)?;
    buffer.push(b'\n');
    Ok(buffer)
}

impl Report for Json {
    fn finish(&mut self, whole: Whole<'_>, _: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        match whole {
            Whole::One(a) => pretty::to_writer(&mut *out, a)?,
            Whole::Many(p) => pretty::to_writer(&mut *out, &JsonPortfolio::new(p))?,
        }
        out.write_all(b"\n")?;
        Ok(())
    }
}
