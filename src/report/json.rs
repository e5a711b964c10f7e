use super::error::Result;
use std::io::Write;

use super::{RenderOptions, Renderer};
use crate::assessment::Assessment;

/// The assessment as pretty-printed JSON, ending in a newline.
pub struct Json;

/// Room reserved for a report before it is written: about what a descriptor assessed
/// against the built-in catalog takes, so the buffer seldom grows.
const TYPICAL_REPORT: usize = 320 * 1024;

impl Renderer for Json {
    fn write(&self, a: &Assessment, _: &RenderOptions<'_>, out: &mut dyn Write) -> Result<()> {
        // Written into a buffer of a known type, then handed over whole: serde_json writes
        // every key, quote and indent separately, and each write through `dyn Write` is
        // a call that cannot be inlined.
        let mut buffer = Vec::with_capacity(TYPICAL_REPORT);
        serde_json::to_writer_pretty(&mut buffer, a)?;
        buffer.push(b'\n');
        out.write_all(&buffer)?;
        Ok(())
    }
}
