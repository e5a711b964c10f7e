//! The assessment as pretty-printed JSON (schema: `schemas/assessment.schema.json`), and a
//! portfolio's summary (schema: `schemas/portfolio.schema.json`), each ending in a newline.

use std::io::Write;

use super::error::Result;
use super::portfolio::view::JsonPortfolio;
use super::{Report, Spill, Whole};
use crate::assessment::Assessment;

/// The JSON report.
pub struct Json;

/// Room reserved for one system's report before it is written: about what a descriptor
/// assessed against the built-in catalog takes, so the buffer seldom grows.
const TYPICAL_REPORT: usize = 320 * 1024;

/// One system's report in a buffer of a known type: `serde_json` writes every key, quote
/// and indent separately, and each write through `dyn Write` is a call that cannot be
/// inlined. [`super::render`] takes the buffer as the text itself, without a copy.
pub(super) fn bytes(a: &Assessment) -> Result<Vec<u8>> {
    let mut buffer = Vec::with_capacity(TYPICAL_REPORT);
    serde_json::to_writer_pretty(&mut buffer, a)?;
    buffer.push(b'\n');
    Ok(buffer)
}

impl Report for Json {
    fn finish(&mut self, whole: Whole<'_>, _: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        match whole {
            Whole::One(a) => out.write_all(&bytes(a)?)?,
            Whole::Many(p) => {
                serde_json::to_writer_pretty(&mut *out, &JsonPortfolio::new(p))?;
                out.write_all(b"\n")?;
            }
        }
        Ok(())
    }
}
