//! Days from the as-of date to the target date of each remediation, by severity. The
//! built-in days are data, `profiles/defaults.yaml`, read and checked once per process: a
//! broken file is an error that names its line, never a silent fallback. A profile's
//! `deadlines:`, then `rightscheck.toml`, then `--deadlines` change them, each only for the
//! severities it names ([`DeadlineChanges`]).

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::document::{Document, Format, Position, escape_pointer_segment};
use crate::vocabulary::Severity;

/// The defaults file's name in `profiles/`, which is not a profile.
pub const FILE_NAME: &str = "defaults.yaml";

/// The defaults file's path from the repository root.
const PATH: &str = "profiles/defaults.yaml";

/// Days from the as-of date to the target date of a remediation, by severity.
///
/// The built-in days are data, in `profiles/defaults.yaml` (blocker 0, high 30, medium 90,
/// low 180, info 365): they follow how the sources rank the findings, a red line resolved
/// before any decision to buy or deploy, a missing core safeguard within a month, the rest
/// within a quarter, half a year or a year. A profile's `deadlines:`, then
/// `rightscheck.toml`, then `--deadlines` change them, each for the severities it names
/// ([`DeadlineChanges`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// Red lines.
    pub blocker: u32,
    /// High severity.
    pub high: u32,
    /// Medium severity.
    pub medium: u32,
    /// Low severity.
    pub low: u32,
    /// For information.
    pub info: u32,
}

impl Default for Deadlines {
    /// The built-in deadlines, as [`builtin`] reads them.
    #[expect(
        clippy::expect_used,
        reason = "the embedded defaults never change after the build: the unit tests read them, and every command reads them through `builtin`, reporting a broken file as an error, before any report asks for this default"
    )]
    fn default() -> Self {
        builtin().expect("profiles/defaults.yaml is read by the tests")
    }
}

impl Deadlines {
    /// Days allowed for a finding of this severity.
    pub fn days(&self, severity: Severity) -> u32 {
        match severity {
            Severity::Blocker => self.blocker,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }

    /// These deadlines with the days `changes` names put in place.
    #[must_use]
    pub fn with(self, changes: &DeadlineChanges) -> Deadlines {
        let day = |severity| changes.days(severity).unwrap_or(self.days(severity));
        Deadlines {
            blocker: day(Severity::Blocker),
            high: day(Severity::High),
            medium: day(Severity::Medium),
            low: day(Severity::Low),
            info: day(Severity::Info),
        }
    }

    /// The target date (YYYY-MM-DD) for a finding of this severity, counted from `as_of`
    /// (itself YYYY-MM-DD). `None` when `as_of` is not a date or the sum overflows.
    pub fn target_date(&self, as_of: &str, severity: Severity) -> Option<String> {
        NaiveDate::parse_from_str(as_of, "%Y-%m-%d")
            .ok()?
            .checked_add_days(Days::new(u64::from(self.days(severity))))
            .map(|d| d.format("%Y-%m-%d").to_string())
    }
}

impl fmt::Display for Deadlines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "blocker={},high={},medium={},low={},info={}",
            self.blocker, self.high, self.medium, self.low, self.info
        )
    }
}

impl FromStr for Deadlines {
    type Err = String;

    /// Parses `blocker=0,high=30,...`; severities not named keep their built-in days.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Deadlines::default().with(&s.parse()?))
    }
}

/// Days for some severities, over the deadlines they change: a profile's `deadlines:`,
/// the `deadlines` of `rightscheck.toml` or `--deadlines`. A severity not named keeps the
/// days it had.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineChanges {
    /// Red lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocker: Option<u32>,
    /// High severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<u32>,
    /// Medium severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<u32>,
    /// Low severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<u32>,
    /// For information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<u32>,
}

impl DeadlineChanges {
    /// The most days a deadline can be: a hundred years.
    pub const MAX_DAYS: u32 = 36_500;

    /// The days named for this severity.
    pub fn days(&self, severity: Severity) -> Option<u32> {
        let mut copy = *self;
        *copy.slot(severity)
    }

    fn slot(&mut self, severity: Severity) -> &mut Option<u32> {
        match severity {
            Severity::Blocker => &mut self.blocker,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        }
    }

    /// Names the days for a severity.
    pub fn set(&mut self, severity: Severity, days: u32) {
        *self.slot(severity) = Some(days);
    }

    /// The deadlines, when every severity is named; else the first severity not named.
    pub fn complete(&self) -> Result<Deadlines, Severity> {
        let day = |severity| self.days(severity).ok_or(severity);
        Ok(Deadlines {
            blocker: day(Severity::Blocker)?,
            high: day(Severity::High)?,
            medium: day(Severity::Medium)?,
            low: day(Severity::Low)?,
            info: day(Severity::Info)?,
        })
    }

    /// Whether no severity is named.
    pub fn is_empty(&self) -> bool {
        Severity::ALL.iter().all(|s| self.days(*s).is_none())
    }

    /// These changes, then `later`'s over them: a severity `later` names takes its days.
    #[must_use]
    pub fn then(mut self, later: &DeadlineChanges) -> DeadlineChanges {
        for severity in Severity::ALL {
            if let Some(days) = later.days(severity) {
                self.set(severity, days);
            }
        }
        self
    }
}

impl FromStr for DeadlineChanges {
    type Err = String;

    /// Parses `high=30,low=365`: `SEVERITY=DAYS` pairs, separated by commas.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut out = DeadlineChanges::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((name, days)) = part.split_once('=') else {
                return Err(format!("`{part}` is not SEVERITY=DAYS, e.g. `high=30`"));
            };
            let days: u32 = days
                .trim()
                .parse()
                .ok()
                .filter(|d| *d <= Self::MAX_DAYS)
                .ok_or_else(|| {
                    format!(
                        "`{}` is not a number of days from 0 to {}",
                        days.trim(),
                        Self::MAX_DAYS
                    )
                })?;
            let name = name.trim().to_ascii_lowercase();
            let Some(severity) = Severity::ALL.into_iter().find(|s| s.key() == name) else {
                return Err(format!(
                    "`{name}` is not a severity; use blocker, high, medium, low or info"
                ));
            };
            out.set(severity, days);
        }
        Ok(out)
    }
}

/// The built-in deadlines, from `profiles/defaults.yaml`.
pub fn builtin() -> Result<Deadlines, DefaultsError> {
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
fn read(doc: &Document) -> Result<Deadlines, DefaultsError> {
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

/// Why the built-in deadlines (`profiles/defaults.yaml`) cannot be used.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}:{}:{}: {message}", position.line, position.column)]
pub struct DefaultsError {
    /// The file.
    pub file: String,
    /// Where the mistake is.
    pub position: Position,
    /// What is wrong.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_parse_and_keep_defaults() {
        let d: Deadlines = "high=14, low=365".parse().unwrap();
        assert_eq!(d.high, 14);
        assert_eq!(d.low, 365);
        assert_eq!(d.blocker, 0);
        assert_eq!(d.medium, 90);
        assert_eq!(d.to_string().parse::<Deadlines>().unwrap(), d);
        assert!("urgent=3".parse::<Deadlines>().is_err());
        assert!("high=soon".parse::<Deadlines>().is_err());
        assert!("high".parse::<Deadlines>().is_err());
        assert!("high=99999999".parse::<Deadlines>().is_err());
    }

    #[test]
    fn target_dates_count_from_the_as_of_date() {
        let d = Deadlines::default();
        assert_eq!(
            d.target_date("2026-06-30", Severity::High).as_deref(),
            Some("2026-07-30")
        );
        assert_eq!(
            d.target_date("2026-06-30", Severity::Blocker).as_deref(),
            Some("2026-06-30")
        );
        assert_eq!(d.target_date("not a date", Severity::Low), None);
    }

    fn read_text(text: &str) -> Result<Deadlines, DefaultsError> {
        read(&Document::from_bytes("defaults.yaml", text.as_bytes(), Format::Yaml).unwrap())
    }

    #[test]
    fn the_built_in_deadlines_are_read() {
        let d = builtin().unwrap();
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
