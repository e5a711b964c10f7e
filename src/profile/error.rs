use crate::deadlines::DefaultsError;
use crate::document::{DocumentError, Position};
use crate::schema::{Issue, SchemaError};

/// Why a profile could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The profile file could not be read.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// The profile file does not follow the profile schema.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Issue>),
    /// Neither a built-in profile nor a file.
    #[error("`{name}` is neither a built-in profile nor a profile file")]
    NotFound {
        /// What was given.
        name: String,
        /// A close built-in id.
        suggestion: Option<String>,
        /// The built-in ids.
        ids: Vec<String>,
    },
    /// The profile names a rule the catalog does not have.
    #[error("{file}:{}:{}: the profile names rule `{rule}`, which is not in the catalog", position.line, position.column)]
    UnknownRule {
        /// Profile file.
        file: String,
        /// Where the id is written.
        position: Position,
        /// The id.
        rule: String,
        /// A close id.
        suggestion: Option<String>,
    },
    /// The profile names a theme no rule has.
    #[error("{file}:{}:{}: the profile names theme `{theme}`, which no rule has", position.line, position.column)]
    UnknownTheme {
        /// Profile file.
        file: String,
        /// Where the theme is written.
        position: Position,
        /// The theme.
        theme: String,
        /// A close theme.
        suggestion: Option<String>,
    },
    /// The profile lowers the severity of a red line, or leaves it out.
    #[error("{file}:{}:{}: the profile lowers or leaves out red line `{rule}`", position.line, position.column)]
    RedLine {
        /// Profile file.
        file: String,
        /// Where the override is written.
        position: Position,
        /// The rule.
        rule: String,
    },
    /// The built-in schema is broken.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// The built-in defaults every profile starts from are broken.
    #[error(transparent)]
    Defaults(#[from] DefaultsError),
}

impl ProfileError {
    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            ProfileError::Document(e) => e.help().to_string(),
            ProfileError::Invalid(_) => {
                "fix the profile; `rightscheck schema profile` prints its schema".to_string()
            }
            ProfileError::NotFound {
                suggestion, ids, ..
            } => match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "use one of `{}`, or the path of a profile file",
                    ids.join("`, `")
                ),
            },
            ProfileError::UnknownRule { suggestion, .. } => match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "run `rightscheck rules list` to see every rule id".to_string(),
            },
            ProfileError::UnknownTheme { suggestion, .. } => match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "run `rightscheck rules list` to see every theme".to_string(),
            },
            ProfileError::RedLine { .. } => "a red line is a use the sources call on governments to refrain from or ban; no reading of the catalog can make it negotiable: remove it from `exclude_rules` or `severity_overrides`".to_string(),
            ProfileError::Schema(_) | ProfileError::Defaults(_) => {
                "this is a bug; please report it".to_string()
            }
        }
    }
}

impl crate::diagnostic::Diagnostic for ProfileError {
    fn help(&self) -> Option<String> {
        Some(ProfileError::help(self))
    }

    fn location(&self) -> Option<crate::diagnostic::Location> {
        use crate::diagnostic::Location;
        match self {
            ProfileError::Document(e) => e.location(),
            ProfileError::Invalid(issues) => issues.first().and_then(Issue::location),
            ProfileError::UnknownRule { file, position, .. }
            | ProfileError::UnknownTheme { file, position, .. }
            | ProfileError::RedLine { file, position, .. }
            | ProfileError::Defaults(DefaultsError { file, position, .. }) => {
                Location::at(file, position.line, position.column)
            }
            ProfileError::NotFound { .. } | ProfileError::Schema(_) => None,
        }
    }
}
