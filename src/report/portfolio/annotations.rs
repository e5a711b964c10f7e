//! The CI formats for the portfolio (GitHub Actions workflow commands, the GitLab Code
//! Quality report): each system's part written as it arrives, then assembled.

use std::io::{BufRead, Write};

use super::{PortfolioWriter, full};
use crate::assessment::Assessment;
use crate::portfolio::{Portfolio, SystemError, SystemResult};
use crate::report::error::Result;
use crate::report::{RenderOptions, github, gitlab};

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

impl PortfolioWriter for Parts {
    fn findings(&self) -> bool {
        true
    }

    fn system(&mut self, r: &SystemResult, _: &RenderOptions, spill: &mut dyn Write) -> Result<()> {
        match (full(r)?, r) {
            (Some(a), _) => (self.system)(a, spill),
            (None, SystemResult::Failed(e)) => (self.error)(e, spill),
            (None, SystemResult::Assessed(..)) => Ok(()),
        }
    }

    fn finish(
        &mut self,
        _: &Portfolio,
        _: &RenderOptions<'_>,
        spill: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<()> {
        (self.document)(spill, out)
    }
}
