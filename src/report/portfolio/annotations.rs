//! The CI formats for the portfolio: GitHub Actions workflow commands and the GitLab Code
//! Quality report, each system's part written as it arrives.

use std::io::{BufRead, Write};

use super::{PortfolioWriter, full, spill_line};
use crate::portfolio::{Portfolio, SystemResult};
use crate::report::error::Result;
use crate::report::{RenderOptions, github, gitlab};

/// The GitHub Actions annotations of every system.
pub struct Github;

impl PortfolioWriter for Github {
    fn findings(&self) -> bool {
        true
    }

    fn system(
        &mut self,
        result: &SystemResult,
        _: &RenderOptions<'_>,
        spill: &mut dyn Write,
    ) -> Result<()> {
        match (full(result)?, result) {
            (Some(a), _) => github::system(a, spill),
            (None, SystemResult::Failed(e)) => github::error(e, spill),
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
        std::io::copy(spill, out)?;
        Ok(())
    }
}

/// The GitLab Code Quality issues of every system.
pub struct Gitlab;

impl PortfolioWriter for Gitlab {
    fn findings(&self) -> bool {
        true
    }

    fn system(
        &mut self,
        result: &SystemResult,
        _: &RenderOptions<'_>,
        spill: &mut dyn Write,
    ) -> Result<()> {
        match (full(result)?, result) {
            (Some(a), _) => {
                for issue in gitlab::issues(a) {
                    spill_line(spill, &issue)?;
                }
                Ok(())
            }
            (None, SystemResult::Failed(e)) => spill_line(spill, &gitlab::error(e)),
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
        gitlab::document(spill, out)
    }
}
