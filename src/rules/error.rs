/// Why rules could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// A file or folder could not be read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// File or folder.
        file: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A rule or fixture file is too large, or not text.
    #[error(transparent)]
    Read(#[from] crate::document::DocumentError),
    /// A rules folder holds no rule files.
    #[error("{dir}: no rule files (`*.yaml`, `*.yml` or `*.json`) in this folder")]
    EmptyPack {
        /// The folder.
        dir: String,
    },
    /// Two rules share an id.
    #[error("{second}: rule id `{id}` is already defined in {first}")]
    DuplicateId {
        /// The id.
        id: String,
        /// Where it was first defined.
        first: String,
        /// Where it is defined again.
        second: String,
    },
    /// One or more rule files are invalid; each entry is a located message.
    #[error("{}", .0.join("\n"))]
    Invalid(Vec<String>),
    /// The catalog built into the binary is broken (a build problem, never a user one).
    #[error("the built-in rule catalog is invalid:\n{0}")]
    Builtin(String),
}

impl RuleError {
    /// A one-line suggestion for the user.
    pub fn help(&self) -> &'static str {
        match self {
            RuleError::Io { .. } => "check the path given to `--rules`",
            RuleError::Read(e) => e.help(),
            RuleError::EmptyPack { .. } => {
                "point `--rules` at the folder that holds your rule files"
            }
            RuleError::DuplicateId { .. } => {
                "rule ids are permanent and unique: give the new rule an id no other rule uses"
            }
            RuleError::Invalid(_) => {
                "fix the rules above; `rightscheck schema rule` prints the rule file format"
            }
            RuleError::Builtin(_) => "this is a bug in rightscheck; please report it",
        }
    }
}

impl crate::diagnostic::Diagnostic for RuleError {
    fn help(&self) -> Option<String> {
        Some(RuleError::help(self).to_string())
    }

    fn location(&self) -> Option<crate::diagnostic::Location> {
        match self {
            RuleError::Read(e) => crate::diagnostic::Diagnostic::location(e),
            _ => None,
        }
    }
}
