use super::{RenderOptions, Renderer};
use crate::assessment::Assessment;

/// The assessment as pretty-printed JSON, ending in a newline.
pub struct Json;

impl Renderer for Json {
    fn render(&self, assessment: &Assessment, _: &RenderOptions<'_>) -> anyhow::Result<String> {
        let mut text = serde_json::to_string_pretty(assessment)?;
        text.push('\n');
        Ok(text)
    }
}
