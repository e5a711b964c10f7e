use crate::document::{DocumentError, Position};
use crate::schema::{Issue, SchemaError};

/// Why a waivers file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum WaiverError {
    /// The file could not be read.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// The file does not follow the waivers schema, or its dates disagree.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Issue>),
    /// A waiver of a red line.
    #[error("{file}:{}:{}: rule `{rule}` is a red line (blocker) and cannot be waived: {title}", position.line, position.column)]
    RedLine {
        /// The waivers file.
        file: String,
        /// Where the waiver is written.
        position: Position,
        /// The rule id.
        rule: String,
        /// The rule title.
        title: String,
    },
    /// The built-in schema is broken.
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

impl WaiverError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            WaiverError::Document(e) => e.help(),
            WaiverError::Invalid(_) => {
                "fix the waivers file; `rightscheck schema waivers` prints its schema"
            }
            WaiverError::RedLine { .. } => {
                "remove this waiver: the sources call on governments to refrain from or ban this use, so it cannot be accepted for a time; stop the use instead"
            }
            WaiverError::Schema(_) => "this is a bug; please report it",
        }
    }
}

impl crate::diagnostic::Diagnostic for WaiverError {
    fn help(&self) -> Option<String> {
        Some(WaiverError::help(self).to_string())
    }

    fn location(&self) -> Option<crate::diagnostic::Location> {
        use crate::diagnostic::Location;
        match self {
            WaiverError::Document(e) => e.location(),
            WaiverError::Invalid(issues) => issues.first().and_then(Issue::location),
            WaiverError::RedLine { file, position, .. } => {
                Location::at(file, position.line, position.column)
            }
            WaiverError::Schema(_) => None,
        }
    }
}
