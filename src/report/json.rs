//! The assessment as pretty-printed JSON (schema: `schemas/assessment.schema.json`), and a
//! portfolio's summary (schema: `schemas/portfolio.schema.json`), each ending in a newline.

use std::io::Write;

use super::error::Result;
use super::portfolio::view::JsonPortfolio;
use super::{Report, Spill, Whole};

/// The JSON report.
pub struct Json;

impl Report for Json {
    fn finish(&mut self, whole: Whole<'_>, _: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        match whole {
            Whole::One(a) => serde_json::to_writer_pretty(&mut *out, a)?,
            Whole::Many(p) => serde_json::to_writer_pretty(&mut *out, &JsonPortfolio::new(p))?,
        }
        out.write_all(b"\n")?;
        Ok(())
    }
}
