//! Which day it is for an assessment: the date given, `SOURCE_DATE_EPOCH` when set (for
//! reproducible runs), or today in UTC.

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::text::sanitize_terminal;

/// Why `SOURCE_DATE_EPOCH` cannot give a date.
#[derive(Debug, thiserror::Error)]
pub enum ClockError {
    /// Not a number of seconds.
    #[error("SOURCE_DATE_EPOCH is `{0}`, not a number of seconds")]
    NotSeconds(String),
    /// A number, but no date chrono can hold.
    #[error("SOURCE_DATE_EPOCH is out of range")]
    OutOfRange,
}

impl Diagnostic for ClockError {
    fn help(&self) -> Option<String> {
        Some(
            match self {
                ClockError::NotSeconds(_) => "unset it or give seconds since 1970-01-01",
                ClockError::OutOfRange => "give seconds since 1970-01-01",
            }
            .to_string(),
        )
    }
}

/// The default as-of date: `SOURCE_DATE_EPOCH` when set (reproducible builds), else today (UTC).
pub fn today() -> Result<NaiveDate, ClockError> {
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch
            .trim()
            .parse()
            .map_err(|_| ClockError::NotSeconds(epoch.clone()))?;
        return chrono::DateTime::from_timestamp(secs, 0)
            .map(|d| d.date_naive())
            .ok_or(ClockError::OutOfRange);
    }
    Ok(chrono::Utc::now().date_naive())
}

/// A date written as `YYYY-MM-DD`, exactly: four, two and two digits.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    // chrono alone accepts `2026-6-30`; the format promises four, two and two digits.
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shaped
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            format!(
                "`{}` is not a date written as YYYY-MM-DD, e.g. 2026-06-30",
                sanitize_terminal(s)
            )
        })
}
