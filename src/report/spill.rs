//! Lists too long to hold in memory: items written to a temporary file as lines of compact
//! JSON, and read back one at a time when the document is written. Used by the portfolio
//! writers and by the formats that stream one list per system.

use std::io::{BufRead, Write};

use super::error::Result;

/// A JSON array whose items were written to a spill file, one compact JSON value per line,
/// serialised straight from the file so that the array is never held in memory.
pub(crate) struct Spilled<'a>(std::cell::RefCell<&'a mut dyn BufRead>);

impl<'a> Spilled<'a> {
    pub(crate) fn new(source: &'a mut dyn BufRead) -> Self {
        Spilled(std::cell::RefCell::new(source))
    }
}

impl serde::Serialize for Spilled<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq as _};
        let mut source = self.0.borrow_mut();
        let mut seq = serializer.serialize_seq(None)?;
        let mut line = String::new();
        loop {
            line.clear();
            let read = source.read_line(&mut line).map_err(S::Error::custom)?;
            if read == 0 {
                break;
            }
            let item = line.trim_end_matches('\n');
            if item.is_empty() {
                continue;
            }
            let raw: Box<serde_json::value::RawValue> =
                serde_json::from_str(item).map_err(S::Error::custom)?;
            seq.serialize_element(&raw)?;
        }
        seq.end()
    }
}

/// A second spill file, for formats that stream two lists (artifacts and results,
/// results and back-matter resources); created on first use, and written through a
/// buffer (`serde_json` writes every key, quote and comma separately).
#[derive(Default)]
pub(crate) struct SideSpill(Option<std::io::BufWriter<std::fs::File>>);

impl SideSpill {
    /// Appends one value as a line of compact JSON.
    pub(crate) fn push(&mut self, value: &impl serde::Serialize) -> Result<()> {
        let file = match &mut self.0 {
            Some(f) => f,
            slot @ None => slot.insert(std::io::BufWriter::new(tempfile::tempfile()?)),
        };
        spill_line(file, value)
    }

    /// Reads back what was pushed, from the start.
    pub(crate) fn reader(&mut self) -> Result<Box<dyn BufRead>> {
        use std::io::Seek as _;
        Ok(match self.0.take() {
            Some(buffered) => {
                let mut f = buffered
                    .into_inner()
                    .map_err(std::io::IntoInnerError::into_error)?;
                f.rewind()?;
                Box::new(std::io::BufReader::new(f))
            }
            None => Box::new(std::io::empty()),
        })
    }
}

/// Writes one value as a line of compact JSON, for [`Spilled`].
pub(crate) fn spill_line(spill: &mut dyn Write, value: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer(&mut *spill, value)?;
    spill.write_all(b"\n")?;
    Ok(())
}
