//! Why a report could not be written.

use std::io;

/// A report that could not be rendered or written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Writing to the output failed (a full disk, a closed pipe).
    #[error(transparent)]
    Io(#[from] io::Error),
    /// A JSON-based format could not be serialised.
    #[error("cannot write the JSON of the report: {0}")]
    Json(#[from] serde_json::Error),
    /// The CSV writer failed.
    #[error("cannot write the CSV report: {0}")]
    Csv(#[from] csv::Error),
    /// The `JUnit` writer failed.
    #[error("cannot write the JUnit report: {0}")]
    Junit(#[from] quick_junit::SerializeError),
    /// A template (built-in or `--template`) failed; the message says how.
    #[error("{0}")]
    Template(String),
    /// A report that needs at least one assessed system got none.
    #[error(
        "no descriptor could be assessed, and OSCAL assessment results need at least one result"
    )]
    NothingAssessed,
    /// A portfolio format that lists every finding was given a system without them.
    #[error("internal error: the full assessment of a system was not kept")]
    NotKept,
    /// A report of one system was asked to write many, or the other way round.
    #[error("internal error: a report was written over the wrong number of systems")]
    Scope,
    /// A report came out as bytes that are not UTF-8 text.
    #[error("the report is not UTF-8 text")]
    NotUtf8,
    /// The built-in data the report cites could not be read.
    #[error("{0}")]
    Data(String),
}

impl RenderError {
    /// Whether the reader of the output went away (`| head`): not worth an error message.
    pub fn is_broken_pipe(&self) -> bool {
        let kind = match self {
            RenderError::Io(e) => Some(e.kind()),
            RenderError::Json(e) => e.io_error_kind(),
            RenderError::Csv(e) => match e.kind() {
                csv::ErrorKind::Io(e) => Some(e.kind()),
                _ => None,
            },
            _ => None,
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    }
}

/// The result of rendering or writing a report.
pub type Result<T> = std::result::Result<T, RenderError>;

impl crate::diagnostic::Diagnostic for RenderError {}
