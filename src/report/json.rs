use super::error::Result;
use std::io::Write;

use super::{RenderError, RenderOptions, Renderer};
use crate::assessment::Assessment;

/// The assessment as pretty-printed JSON, ending in a newline.
pub struct Json;

/// Room reserved for a report before it is written: about what a descriptor assessed
/// against the built-in catalog takes, so the buffer seldom grows.
const TYPICAL_REPORT: usize = 320 * 1024;

impl Json {
    /// The report in a buffer of a known type: `serde_json` writes every key, quote and
    /// indent separately, and each write through `dyn Write` is a call that cannot be
    /// inlined.
    fn bytes(a: &Assessment) -> Result<Vec<u8>> {
        let mut buffer = Vec::with_capacity(TYPICAL_REPORT);
        serde_json::to_writer_pretty(&mut buffer, a)?;
        buffer.push(b'\n');
        Ok(buffer)
    }
}

impl Renderer for Json {
    fn write(&self, a: &Assessment, _: &RenderOptions<'_>, out: &mut dyn Write) -> Result<()> {
        out.write_all(&Json::bytes(a)?)?;
        Ok(())
    }

    /// The buffer becomes the text itself, rather than being copied into another.
    fn render(&self, a: &Assessment, _: &RenderOptions<'_>) -> Result<String> {
        String::from_utf8(Json::bytes(a)?).map_err(|_| RenderError::NotUtf8)
    }
}
