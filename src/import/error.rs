//! Why an import could not run at all. A single malformed record is not an error: it is
//! reported and skipped (see [`super::Record::Malformed`]).

use std::path::PathBuf;

use super::MappingError;

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
    /// The input file is larger than any register export.
    #[error("{} is larger than {} MB, the most a register file may be", file.display(), limit / (1024 * 1024))]
    TooLarge {
        /// The input file.
        file: PathBuf,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The file is neither CSV nor JSON of a usable shape.
    #[error("{}: cannot be read as a register: {reason}", file.display())]
    Unreadable {
        /// The input file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
    /// No mapping fits the file's columns or keys.
    #[error("{}: no register mapping fits this file\n found: {found}\n expected one of:\n{expected}", file.display())]
    Unrecognised {
        /// The input file.
        file: PathBuf,
        /// What the file holds.
        found: String,
        /// What each mapping expects and does not find.
        expected: String,
    },
    /// The file is a register's, but not one of AI systems.
    #[error("{}: this is the {title}, which is not imported: {reason}", file.display())]
    Refused {
        /// The input file.
        file: PathBuf,
        /// The mapping's title.
        title: String,
        /// Why it is not imported.
        reason: String,
    },
    /// `--register` names no built-in mapping.
    #[error("no built-in register mapping is called `{id}`; the built-in ones are {}", known.join(", "))]
    NoSuchRegister {
        /// The id given.
        id: String,
        /// The built-in ids.
        known: Vec<String>,
    },
    /// A mapping file cannot be used.
    #[error("the register mapping {0}")]
    Mapping(#[from] MappingError),
    /// The output folder could not be created or written.
    #[error("cannot write {}: {reason}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The descriptor schema could not be loaded (a bug).
    #[error("cannot check the descriptor for record `{record}`: {reason}")]
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
            ImportError::TooLarge { .. } => {
                "split the file, or check that it is the register's export".into()
            }
            ImportError::Unreadable { .. } => {
                "give the register's own export, as CSV or JSON".into()
            }
            ImportError::Unrecognised { .. } => {
                "for a register or vintage rightscheck does not ship, write a mapping file (start from `rightscheck registers show us-federal-2025 --source`) and give it with `--mapping FILE`".into()
            }
            ImportError::Refused { .. } => {
                "import the register's list of AI systems or use cases instead".into()
            }
            ImportError::NoSuchRegister { .. } => "`rightscheck registers list` lists them".into(),
            ImportError::Mapping(_) => {
                "fix the mapping file; `rightscheck registers show ID --source` prints a built-in one to start from".into()
            }
            ImportError::Write { .. } => {
                "check that the folder can be created and that you may write in it".into()
            }
            ImportError::Serialize { .. } => "this is a bug; please report it".into(),
        }
    }
}

impl crate::diagnostic::Diagnostic for ImportError {
    fn help(&self) -> Option<String> {
        Some(ImportError::help(self))
    }
}
