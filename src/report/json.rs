use super::error::Result;
use super::{RenderOptions, Renderer};
use crate::assessment::Assessment;

/// The assessment as pretty-printed JSON, ending in a newline.
pub struct Json;

impl Renderer for Json {
    fn write(
        &self,
        assessment: &Assessment,
        _: &RenderOptions<'_>,
        out: &mut dyn std::io::Write,
    ) -> Result<()> {
        serde_json::to_writer_pretty(&mut *out, assessment)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}
