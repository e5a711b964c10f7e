//! Every gap, open question and waived finding of every system (every finding with
//! `--all`), one row each, in the columns of the single-system CSV report; a descriptor
//! that could not be assessed is one row with the outcome `error`. Rows are written as
//! each system arrives.

use std::io::{BufRead, Write};

use super::{PortfolioWriter, full};
use crate::portfolio::{Portfolio, SystemError, SystemResult};
use crate::report::RenderOptions;
use crate::report::csv::{BOM, error_row, rows};

/// The CSV portfolio report.
pub struct Csv {
    /// The as-of date, for the rows of descriptors that could not be assessed.
    pub as_of: String,
}

/// Splits the header line off a CSV text (the header holds no quoted line break).
fn split_header(text: &str) -> (&str, &str) {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    text.split_once("\r\n").unwrap_or((text, ""))
}

impl PortfolioWriter for Csv {
    fn findings(&self) -> bool {
        true
    }

    fn system(
        &mut self,
        result: &SystemResult,
        options: &RenderOptions<'_>,
        spill: &mut dyn Write,
    ) -> anyhow::Result<()> {
        let text = match (full(result)?, result) {
            // Gaps, open questions and waived findings (`--only` narrows them to gaps or
            // questions); with `--all`, every rule. Questions a source never asks are rows
            // only with `--all`: they would make an inventory's CSV too large to open.
            (Some(a), _) => rows(a, options, |f| {
                options.show_all
                    || options.only.unwrap_or_default().keeps(
                        f.outcome,
                        f.waiver.as_ref().map(|w| w.waived_outcome.as_str()),
                    )
            })?,
            (None, SystemResult::Failed(e)) => error_row(e, &self.as_of)?,
            (None, SystemResult::Assessed(..)) => return Ok(()),
        };
        spill.write_all(split_header(&text).1.as_bytes())?;
        Ok(())
    }

    fn finish(
        &mut self,
        portfolio: &Portfolio,
        _: &RenderOptions<'_>,
        spill: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> anyhow::Result<()> {
        let probe = SystemError {
            file: String::new(),
            line: 0,
            column: 0,
            message: String::new(),
            help: String::new(),
        };
        let header = error_row(&probe, &portfolio.as_of)?;
        out.write_all(BOM.as_bytes())?;
        out.write_all(split_header(&header).0.as_bytes())?;
        out.write_all(b"\r\n")?;
        std::io::copy(spill, out)?;
        Ok(())
    }
}
