//! What every profile starts from, `profiles/defaults.yaml`: the built-in days to each
//! remediation's target date, by severity. The file is read and checked once per process;
//! a broken one is an error that names its line, never a silent fallback.

use std::sync::OnceLock;

use serde_json::Value;

use super::DefaultsError;
use crate::document::{Document, Format, Position, escape_pointer_segment};
use crate::report::{DeadlineChanges, Deadlines};
use crate::rules::Severity;

/// The file's name in `profiles/`, which [`super::builtin_files`] does not list as a
/// profile.
pub(super) const FILE_NAME: &str = "defaults.yaml";

/// The file's path from the repository root.
const PATH: &str = "profiles/defaults.yaml";

/// The built-in deadlines, from `profiles/defaults.yaml`.
pub fn builtin_deadlines() -> Result<Deadlines, DefaultsError> {
    static CELL: OnceLock<Result<Deadlines, DefaultsError>> = OnceLock::new();
    CELL.get_or_init(|| {
        let doc = Document::from_bytes(PATH, crate::data::get(PATH).as_bytes(), Format::Yaml)
            .map_err(|e| DefaultsError {
                file: PATH.to_string(),
                position: Position::START,
                message: e.to_string(),
            })?;
        read(&doc)
    })
    .clone()
}

/// The deadlines a defaults document states: a `deadlines` mapping that names every
/// severity once, with a whole number of days from 0 to [`DeadlineChanges::MAX_DAYS`], and
/// nothing else.
pub(super) fn read(doc: &Document) -> Result<Deadlines, DefaultsError> {
    let at = |pointer: &str, message: String| DefaultsError {
        file: doc.name.clone(),
        position: doc.position_of(pointer),
        message,
    };
    let top = doc.value.as_object();
    if let Some(key) = top
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
        .find(|k| *k != "deadlines")
    {
        return Err(at(
            &format!("/{}", escape_pointer_segment(key)),
            format!("unknown key `{key}`; the file holds `deadlines` only"),
        ));
    }
    let Some(block) = top
        .and_then(|t| t.get("deadlines"))
        .and_then(Value::as_object)
    else {
        return Err(at(
            "",
            "`deadlines` must be a mapping of severity to days".to_string(),
        ));
    };
    let mut changes = DeadlineChanges::default();
    for (key, value) in block {
        let pointer = format!("/deadlines/{}", escape_pointer_segment(key));
        let Some(severity) = Severity::ALL.into_iter().find(|s| s.key() == key) else {
            return Err(at(
                &pointer,
                format!("`{key}` is not a severity; use blocker, high, medium, low or info"),
            ));
        };
        let Some(days) = value
            .as_u64()
            .and_then(|d| u32::try_from(d).ok())
            .filter(|d| *d <= DeadlineChanges::MAX_DAYS)
        else {
            return Err(at(
                &pointer,
                format!(
                    "`deadlines.{key}` must be a whole number of days from 0 to {}, found {}",
                    DeadlineChanges::MAX_DAYS,
                    crate::schema::describe_value(value)
                ),
            ));
        };
        changes.set(severity, days);
    }
    changes.complete().map_err(|missing| {
        at(
            "/deadlines",
            format!("`deadlines` does not name `{}`", missing.key()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Deadlines, DefaultsError> {
        read(&Document::from_bytes("defaults.yaml", text.as_bytes(), Format::Yaml).unwrap())
    }

    #[test]
    fn the_built_in_deadlines_are_read() {
        let d = builtin_deadlines().unwrap();
        assert_eq!(
            d.to_string(),
            "blocker=0,high=30,medium=90,low=180,info=365"
        );
        assert_eq!(Deadlines::default(), d);
    }

    #[test]
    fn a_broken_file_names_the_line() {
        let complete =
            "deadlines:\n  blocker: 0\n  high: 30\n  medium: 90\n  low: 180\n  info: 365\n";
        assert!(read_text(complete).is_ok());
        for (text, line, words) in [
            (
                complete.replace("30", "soon"),
                3,
                "`deadlines.high` must be a whole number",
            ),
            (complete.replace("90", "-1"), 4, "found `-1`"),
            (complete.replace("365", "40000"), 6, "from 0 to 36500"),
            (
                complete.replace("low", "urgent"),
                5,
                "`urgent` is not a severity",
            ),
            (
                complete.replace("  info: 365\n", ""),
                1,
                "does not name `info`",
            ),
            (
                format!("{complete}colour: red\n"),
                7,
                "unknown key `colour`",
            ),
            ("deadlines: soon\n".to_string(), 1, "must be a mapping"),
        ] {
            let e = read_text(&text).unwrap_err();
            assert_eq!(e.position.line, line, "{e}");
            assert!(e.to_string().contains(words), "{e}");
            assert!(e.to_string().starts_with("defaults.yaml:"), "{e}");
        }
    }
}
