//! Every gap, open question and waived finding of every system (every finding with
//! `--all`), one row each, in the columns of the single-system CSV report; a descriptor
//! that could not be assessed is one row with the outcome `error`. Rows are written as
//! each system arrives.

use std::io::{BufRead, Write};

use super::{PortfolioWriter, full};
use crate::portfolio::{Findings, Portfolio, SystemResult};
use crate::report::RenderOptions;
use crate::report::csv::{BOM, Cells, error_row, header, rows, writer};
use crate::report::error::Result;

/// The CSV portfolio report.
pub struct Csv {
    /// The as-of date, for the rows of descriptors that could not be assessed.
    pub as_of: String,
    /// The cells many rows share (each rule's), made once for the whole report.
    pub cells: Cells,
}

impl PortfolioWriter for Csv {
    fn findings(&self) -> bool {
        true
    }

    /// Gaps, open questions and waived findings (`--only` narrows them to gaps or
    /// questions); with `--all`, every rule. Questions a source never asks are rows only
    /// with `--all`: they would make an inventory's CSV too large to open.
    fn lists(&self, options: &RenderOptions<'_>) -> Findings {
        if options.show_all {
            Findings::All
        } else {
            Findings::Only(options.only.unwrap_or_default())
        }
    }

    fn system(
        &mut self,
        result: &SystemResult,
        options: &RenderOptions<'_>,
        spill: &mut dyn Write,
    ) -> Result<()> {
        let mut w = writer(spill);
        let lists = self.lists(options);
        match (full(result)?, result) {
            (Some(a), _) => rows(&mut w, a, options, &mut self.cells, |f| {
                lists.keeps(
                    f.outcome,
                    f.waiver.as_ref().map(|w| w.waived_outcome.as_str()),
                )
            })?,
            (None, SystemResult::Failed(e)) => error_row(&mut w, e, &self.as_of)?,
            (None, SystemResult::Assessed(..)) => {}
        }
        w.flush()?;
        Ok(())
    }

    fn finish(
        &mut self,
        _: &Portfolio,
        _: &RenderOptions<'_>,
        spill: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<()> {
        out.write_all(BOM.as_bytes())?;
        let mut w = writer(&mut *out);
        header(&mut w)?;
        w.flush()?;
        drop(w);
        std::io::copy(spill, out)?;
        Ok(())
    }
}
