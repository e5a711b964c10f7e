//! One way to explain a failure to a person: what went wrong, what to do about it, and where.
//! Every error type of the library implements [`Diagnostic`], so that the binary prints all
//! of them in one place and one shape (`error: …` then `  help: …`).
//!
//! This module depends on no other module of the crate: each module implements the trait
//! beside its own error type without creating a cycle.

use std::fmt;

/// The help said for a failure of something built into the binary.
pub const BUG: &str = "this is a bug; please report it";

/// A failure explained for the person running the tool.
pub trait Diagnostic: fmt::Display {
    /// What went wrong, in plain words, with the file and place when known (the error's
    /// `Display` text unless a type says otherwise).
    fn message(&self) -> String {
        self.to_string()
    }

    /// What to do about it, when there is something to say.
    fn help(&self) -> Option<String> {
        None
    }

    /// Where in a file the failure is, when it is about one place.
    fn location(&self) -> Option<Location> {
        None
    }
}

/// A place in a file, counted from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as named to the user.
    pub file: String,
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
}

impl Location {
    /// The place at `line` and `column` of `file`; none when the line is unknown (0).
    pub fn at(file: &str, line: u32, column: u32) -> Option<Location> {
        (line > 0).then(|| Location {
            file: file.to_string(),
            line,
            column,
        })
    }
}

/// A failure described on the spot, for a check that has no error type of its own
/// (e.g. two command-line flags that do not go together).
#[derive(Debug, Clone)]
pub struct Message {
    message: String,
    help: Option<String>,
}

impl Message {
    /// A message and what to do about it.
    pub fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        Message {
            message: message.into(),
            help: Some(help.into()),
        }
    }

    /// Another diagnostic's message with a help that suits where it happened better than
    /// its own (e.g. "this is a bug" for a built-in file).
    pub fn with_help(diagnostic: &dyn Diagnostic, help: impl Into<String>) -> Self {
        Message::new(diagnostic.message(), help)
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Diagnostic for Message {
    fn help(&self) -> Option<String> {
        self.help.clone()
    }
}

/// Any diagnostic, boxed: what a command returns when it fails.
pub type Failure = Box<dyn Diagnostic + Send + Sync>;

impl<'a, E: Diagnostic + Send + Sync + 'a> From<E> for Box<dyn Diagnostic + Send + Sync + 'a> {
    fn from(err: E) -> Self {
        Box::new(err)
    }
}

impl fmt::Debug for dyn Diagnostic + Send + Sync {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Diagnostic")
            .field("message", &self.message())
            .field("help", &self.help())
            .finish()
    }
}

/// A report that could not be rendered or written: the whole chain of causes.
impl Diagnostic for anyhow::Error {
    fn message(&self) -> String {
        format!("{self:#}")
    }
}

impl Diagnostic for serde_json::Error {}

pub use crate::text::count;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_words() {
        assert_eq!(count(0_usize, "gap", "gaps"), "0 gaps");
        assert_eq!(count(1_u32, "gap", "gaps"), "1 gap");
        assert_eq!(count(300_usize, "mistake", "mistakes"), "300 mistakes");
    }

    #[test]
    fn a_place_needs_a_known_line() {
        assert_eq!(Location::at("a.yaml", 0, 0), None);
        assert_eq!(
            Location::at("a.yaml", 3, 5),
            Some(Location {
                file: "a.yaml".to_string(),
                line: 3,
                column: 5
            })
        );
    }

    #[test]
    fn any_diagnostic_boxes_into_a_failure_with_its_help() {
        let failure: Failure = Message::new("broken", "fix it").into();
        assert_eq!(failure.message(), "broken");
        assert_eq!(failure.help().as_deref(), Some("fix it"));
        let from_anyhow: Failure = anyhow::anyhow!("inner").context("outer").into();
        assert_eq!(from_anyhow.message(), "outer: inner");
        assert_eq!(from_anyhow.help(), None);
    }
}
