//! The CI formats (GitHub Actions workflow commands, the GitLab Code Quality report): each
//! system's part written as it arrives, then assembled; one system's report is the same
//! assembler over that one system.

use std::io::{BufRead, Write};

use super::error::Result;
use super::{Part, Report, Spill, Whole, github, gitlab};
use crate::assessment::Assessment;
use crate::portfolio::SystemError;

/// A format made of one part per system, and a document around the parts.
pub struct Parts {
    /// Writes one assessed system's part.
    system: fn(&Assessment, &mut dyn Write) -> Result<()>,
    /// Writes the part of a descriptor that could not be assessed.
    error: fn(&SystemError, &mut dyn Write) -> Result<()>,
    /// Writes the document from the parts.
    document: fn(&mut dyn BufRead, &mut dyn Write) -> Result<()>,
}

/// GitHub Actions workflow commands: the lines of every system, as they are.
pub const GITHUB: Parts = Parts {
    system: github::system,
    error: github::error,
    document: |parts, out| {
        std::io::copy(parts, out)?;
        Ok(())
    },
};

/// The GitLab Code Quality report: the issues of every system, in one array.
pub const GITLAB: Parts = Parts {
    system: gitlab::system,
    error: gitlab::error_part,
    document: gitlab::document,
};

impl Report for Parts {
    fn part(&mut self, part: Part<'_>, spill: &mut dyn Write) -> Result<()> {
        match part {
            Part::Assessed(a) => (self.system)(a, spill),
            Part::Failed(e) => (self.error)(e, spill),
        }
    }

    fn finish(&mut self, _: Whole<'_>, spill: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        (self.document)(spill, out)
    }
}
