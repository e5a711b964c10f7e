//! Why an import could not run at all. A single malformed record is not an error: it is
//! reported and skipped (see [`super::Record::Malformed`]).

use std::path::PathBuf;

/// A failure that stops the whole import.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input file could not be read.
    #[error("cannot read {}: {source}", file.display())]
    Read {
        /// The input file.
        file: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not in the format of the register it was given as.
    #[error("{}: not {expected}: {reason}", file.display())]
    Format {
        /// The input file.
        file: PathBuf,
        /// The format expected.
        expected: &'static str,
        /// What was found instead.
        reason: String,
    },
    /// The output folder could not be created or written.
    #[error("cannot write {}: {reason}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A descriptor could not be turned into YAML (a bug).
    #[error("cannot write the descriptor for record `{record}` as YAML: {reason}")]
    Serialize {
        /// The record's id.
        record: String,
        /// Why.
        reason: String,
    },
}

impl ImportError {
    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            ImportError::Read { .. } => "check the path and that you may read the file".into(),
            ImportError::Format { .. } => {
                "check that the file is the register's own export, and that the right importer was chosen".into()
            }
            ImportError::Write { .. } => {
                "check that the folder can be created and that you may write in it".into()
            }
            ImportError::Serialize { .. } => "this is a bug; please report it".into(),
        }
    }
}
