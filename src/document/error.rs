use super::Position;

/// What a value holding an unquoted `: ` is told (the parser says "mapping values are not
/// allowed in this context").
pub(super) const UNQUOTED_COLON: &str = "this value contains `: `, which YAML reads as the start of a new key; a value containing `: ` must be put in quotes";

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The file could not be opened or read.
    #[error("{file}: cannot read the file: {source}")]
    Io {
        /// File name.
        file: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The file is larger than any real descriptor.
    #[error("{file}: the file is {size} bytes, more than the {max} bytes accepted", max = super::MAX_DOCUMENT_BYTES)]
    TooLarge {
        /// File name.
        file: String,
        /// Size in bytes.
        size: u64,
    },
    /// The file is not UTF-8 text.
    #[error("{file}:{}:{}: the file is not UTF-8 text", position.line, position.column)]
    NotUtf8 {
        /// File name.
        file: String,
        /// First invalid byte.
        position: Position,
    },
    /// The file holds nothing.
    #[error("{file}: the file is empty")]
    Empty {
        /// File name.
        file: String,
    },
    /// YAML or JSON syntax error.
    #[error("{file}:{}:{}: {message}", position.line, position.column)]
    Syntax {
        /// File name.
        file: String,
        /// Where the parser stopped.
        position: Position,
        /// The parser's explanation.
        message: String,
    },
    /// Too deep, too many nodes, or aliases that expand too far.
    #[error("{file}:{}:{}: the document is too complex to read safely: {message}", position.line, position.column)]
    TooComplex {
        /// File name.
        file: String,
        /// Where the limit was reached.
        position: Position,
        /// Which limit.
        message: String,
    },
}

impl DocumentError {
    /// A one-line suggestion for the user.
    pub fn help(&self) -> &'static str {
        match self {
            DocumentError::Io { .. } => "check the path and that you may read the file",
            DocumentError::TooLarge { .. } => {
                "a descriptor describes one system in a few kilobytes; split or trim the file"
            }
            DocumentError::NotUtf8 { .. } => "save the file as UTF-8 text",
            DocumentError::Empty { .. } => {
                "run `rightscheck init FILE` to start from a template of every section"
            }
            DocumentError::Syntax { message, .. } if message.contains("duplicate") => {
                "each key may appear once in a section; remove or merge the repeated one"
            }
            DocumentError::Syntax { message, .. } if message == UNQUOTED_COLON => {
                "put the whole value in double quotes, e.g. `summary: \"Flags files for review: caseworkers decide\"`"
            }
            DocumentError::Syntax { message, .. } if message.contains("anchor") => {
                "descriptors need no anchors or aliases (`&name`, `*name`); write the value out plainly"
            }
            DocumentError::Syntax { .. } => {
                "check indentation (spaces, not tabs), closing quotes and brackets on or just before this line"
            }
            DocumentError::TooComplex { .. } => {
                "descriptors need no anchors, aliases or deep nesting; write the values out plainly"
            }
        }
    }

    /// Where the error is, when it has a position.
    pub fn position(&self) -> Option<Position> {
        match self {
            DocumentError::NotUtf8 { position, .. }
            | DocumentError::Syntax { position, .. }
            | DocumentError::TooComplex { position, .. } => Some(*position),
            _ => None,
        }
    }
}

impl crate::diagnostic::Diagnostic for DocumentError {
    fn help(&self) -> Option<String> {
        Some(DocumentError::help(self).to_string())
    }

    fn location(&self) -> Option<crate::diagnostic::Location> {
        match self {
            DocumentError::NotUtf8 { file, position }
            | DocumentError::Syntax { file, position, .. }
            | DocumentError::TooComplex { file, position, .. } => {
                crate::diagnostic::Location::at(file, position.line, position.column)
            }
            _ => None,
        }
    }
}
