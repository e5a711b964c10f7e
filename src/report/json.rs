use super::error::Result;
use std::io::Write;

use super::{RenderOptions, Renderer};
use crate::assessment::Assessment;

/// The assessment as pretty-printed JSON, ending in a newline.
pub struct Json;

impl Renderer for Json {
    fn write(&self, a: &Assessment, _: &RenderOptions<'_>, out: &mut dyn Write) -> Result<()> {
        serde_json::to_writer_pretty(&mut *out, a)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}
