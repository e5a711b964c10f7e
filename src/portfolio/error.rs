use std::path::PathBuf;

/// Why the list of descriptors to assess could not be made: the run does not start.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A path given does not exist or cannot be read.
    #[error("{}: {source}", path.display())]
    Missing {
        /// The path as given.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A folder could not be walked.
    #[error("{}: cannot list the folder: {message}", path.display())]
    Walk {
        /// The folder or entry.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A folder holds no descriptor.
    #[error("{}: no descriptor found (looked for .yaml, .yml and .json files)", path.display())]
    EmptyFolder {
        /// The folder.
        path: PathBuf,
    },
}

impl InputError {
    /// A one-line suggestion for the user.
    pub fn help(&self) -> &'static str {
        match self {
            InputError::Missing { .. } => {
                "check the path; give descriptor files or folders that hold them"
            }
            InputError::Walk { .. } => "check that you may read the folder and everything in it",
            InputError::EmptyFolder { .. } => {
                "import a register first (`rightscheck import ...`), or give the folder that holds the descriptors"
            }
        }
    }
}

impl crate::diagnostic::Diagnostic for InputError {
    fn help(&self) -> Option<String> {
        Some(InputError::help(self).to_string())
    }
}
