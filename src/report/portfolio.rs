//! What the portfolio reports add to the single-system ones: the compact views of many
//! systems ([`view`]), the terminal table, the questions folder, and how SARIF, `JUnit`
//! and OSCAL put many systems' parts into one document.
//!
//! Every format is one [`super::Report`]. The summary formats (table, JSON, Markdown,
//! HTML) render the compact [`crate::portfolio::Portfolio`] at the end. The formats that
//! list every finding (CSV, SARIF, `JUnit`, OSCAL, the CI formats) write each system's part
//! to a spill file as it arrives, with the single-system report's own pieces, and copy it
//! into place at the end: memory does not grow with the number of findings.

pub(crate) mod junit;
pub(crate) mod oscal;
pub mod questions;
pub(crate) mod sarif;
pub(crate) mod table;
pub mod view;
