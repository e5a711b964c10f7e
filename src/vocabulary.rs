//! The words every part of rightscheck shares: severities, outcomes, verdicts, failure
//! thresholds, support and impact levels. Each enum has one machine form, `key()` (what JSON,
//! CSV and rule files write, the same as its serde name), and one form for people, `label()`.
//! Reports, the engine and the rule reader all take their words from here, so they cannot
//! drift apart.
//!
//! This module depends on nothing else in the crate: any module can use it.

use serde::{Deserialize, Serialize};

/// How serious a gap against a rule is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High: a core safeguard is missing.
    High,
    /// A red line: a use the sources call on governments to refrain from or ban.
    Blocker,
}

impl Severity {
    /// All severities, most serious first.
    pub const ALL: [Severity; 5] = [
        Severity::Blocker,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// The lower-case name written in files and machine output: `blocker`, `high`...
    pub fn key(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Blocker => "blocker",
        }
    }

    /// The severity in words: `Red line`, `High`...
    pub fn label(self) -> &'static str {
        match self {
            Severity::Blocker => "Red line",
            Severity::High => "High",
            Severity::Medium => "Medium",
            Severity::Low => "Low",
            Severity::Info => "Information",
        }
    }

    /// The same as [`Severity::key`], for callers written before it.
    pub fn as_str(self) -> &'static str {
        self.key()
    }
}

/// How a rule ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The system does what the rule asks, or the rule cannot apply.
    Pass,
    /// The system falls short.
    Gap,
    /// The descriptor does not say enough to decide: a question for the vendor.
    Unknown,
    /// Unknown because the source the descriptor comes from (an imported register) never
    /// asks what the rule needs: counted apart from open questions.
    NotAsked,
    /// The rule does not apply to this system.
    NotApplicable,
    /// A gap or open question accepted, for a time, by a waiver that is still valid.
    Waived,
}

impl Outcome {
    /// Every outcome, in the order of the type.
    pub const ALL: [Outcome; 6] = [
        Outcome::Pass,
        Outcome::Gap,
        Outcome::Unknown,
        Outcome::NotAsked,
        Outcome::NotApplicable,
        Outcome::Waived,
    ];

    /// The name written in machine output: `pass`, `gap`, `not-asked`...
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Gap => "gap",
            Outcome::Unknown => "unknown",
            Outcome::NotAsked => "not-asked",
            Outcome::NotApplicable => "not-applicable",
            Outcome::Waived => "waived",
        }
    }

    /// The outcome in words: `Met`, `Gap`, `Open question`...
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "Met",
            Outcome::Gap => "Gap",
            Outcome::Unknown => "Open question",
            Outcome::NotAsked => "Not asked by the source",
            Outcome::NotApplicable => "Not applicable",
            Outcome::Waived => "Waived",
        }
    }

    /// The same as [`Outcome::key`], for callers written before it.
    pub fn as_str(self) -> &'static str {
        self.key()
    }
}

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// A red line is crossed.
    Reject,
    /// A core safeguard is missing or not shown.
    Conditional,
    /// No red line crossed and every high-severity safeguard in place.
    Acceptable,
}

impl Verdict {
    /// Every verdict, in the order of the type.
    pub const ALL: [Verdict; 3] = [Verdict::Reject, Verdict::Conditional, Verdict::Acceptable];

    /// The name written in machine output: `reject`, `conditional`, `acceptable`.
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Reject => "reject",
            Verdict::Conditional => "conditional",
            Verdict::Acceptable => "acceptable",
        }
    }

    /// The verdict in words: `Reject`, `Conditional`, `Acceptable`.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Reject => "Reject",
            Verdict::Conditional => "Conditional",
            Verdict::Acceptable => "Acceptable",
        }
    }

    /// The same as [`Verdict::key`], for callers written before it.
    pub fn as_str(self) -> &'static str {
        self.key()
    }

    /// What the verdict means for the reader.
    pub fn meaning(self) -> &'static str {
        match self {
            Verdict::Reject => {
                "the system crosses a red line that the human-rights sources call on governments to refrain from or ban; it should not be bought or deployed as described"
            }
            Verdict::Conditional => {
                "no red line is crossed, but high-severity safeguards are missing or not shown; close these gaps or get answers before buying or deploying"
            }
            Verdict::Acceptable => {
                "no red line is crossed and every high-severity safeguard is in place; remaining findings are improvements"
            }
        }
    }
}

/// The severity at or above which findings make the run fail (exit status 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, Default)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Only red lines.
    Blocker,
    /// High and red lines (the default).
    #[default]
    High,
    /// Medium and above.
    Medium,
    /// Low and above.
    Low,
    /// Never fail on findings.
    Never,
}

impl FailOn {
    /// Every threshold, in the order of the type.
    pub const ALL: [FailOn; 5] = [
        FailOn::Blocker,
        FailOn::High,
        FailOn::Medium,
        FailOn::Low,
        FailOn::Never,
    ];

    /// The name used on the command line and in machine output: `blocker`, `high`...
    pub fn key(self) -> &'static str {
        match self {
            FailOn::Blocker => "blocker",
            FailOn::High => "high",
            FailOn::Medium => "medium",
            FailOn::Low => "low",
            FailOn::Never => "never",
        }
    }

    /// The threshold in words: `red lines only`, `high and above`...
    pub fn label(self) -> &'static str {
        match self {
            FailOn::Blocker => "red lines only",
            FailOn::High => "high and above",
            FailOn::Medium => "medium and above",
            FailOn::Low => "low and above",
            FailOn::Never => "never",
        }
    }

    /// The same as [`FailOn::key`], for callers written before it.
    pub fn as_str(self) -> &'static str {
        self.key()
    }

    /// Whether a finding of this severity reaches the threshold.
    pub fn reached_by(self, severity: Severity) -> bool {
        match self {
            FailOn::Blocker => severity >= Severity::Blocker,
            FailOn::High => severity >= Severity::High,
            FailOn::Medium => severity >= Severity::Medium,
            FailOn::Low => severity >= Severity::Low,
            FailOn::Never => false,
        }
    }
}

/// How well a stated value is backed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Support {
    /// The descriptor does not state the value.
    #[default]
    NotStated,
    /// Stated, with no evidence document in its section.
    Claimed,
    /// Stated, and its section lists at least one evidence document.
    Evidenced,
}

impl Support {
    /// Every support, in the order of the type.
    pub const ALL: [Support; 3] = [Support::NotStated, Support::Claimed, Support::Evidenced];

    /// The name written in machine output: `not-stated`, `claimed`, `evidenced`.
    pub fn key(self) -> &'static str {
        match self {
            Support::NotStated => "not-stated",
            Support::Claimed => "claimed",
            Support::Evidenced => "evidenced",
        }
    }

    /// The support in words: `Evidenced: documents are listed`...
    pub fn label(self) -> &'static str {
        match self {
            Support::Evidenced => "Evidenced: documents are listed",
            Support::Claimed => "Claimed: no evidence document given",
            Support::NotStated => "Not stated in the descriptor",
        }
    }
}

/// An impact level, lowest first, or `prohibited` when a red line is crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// Little to no impact.
    #[serde(rename = "I")]
    I,
    /// Moderate impact.
    #[serde(rename = "II")]
    II,
    /// High impact.
    #[serde(rename = "III")]
    III,
    /// Very high impact.
    #[serde(rename = "IV")]
    IV,
    /// A red line is crossed: the use is one the sources call on governments to refrain
    /// from or ban.
    #[serde(rename = "prohibited")]
    Prohibited,
}

impl Level {
    /// Every level, in the order of the type.
    pub const ALL: [Level; 5] = [
        Level::I,
        Level::II,
        Level::III,
        Level::IV,
        Level::Prohibited,
    ];

    /// The four impact levels, lowest first.
    pub const IMPACT: [Level; 4] = [Level::I, Level::II, Level::III, Level::IV];

    /// The name written in files and output: `I` to `IV`, or `prohibited`.
    pub fn key(self) -> &'static str {
        match self {
            Level::I => "I",
            Level::II => "II",
            Level::III => "III",
            Level::IV => "IV",
            Level::Prohibited => "prohibited",
        }
    }

    /// The level in words: `Level I` to `Level IV`, or `Prohibited`. (The level model names
    /// each level too, e.g. `high impact`; that name is data, in the model file.)
    pub fn label(self) -> &'static str {
        match self {
            Level::I => "Level I",
            Level::II => "Level II",
            Level::III => "Level III",
            Level::IV => "Level IV",
            Level::Prohibited => "Prohibited",
        }
    }

    /// The same as [`Level::key`], for callers written before it.
    pub fn as_str(self) -> &'static str {
        self.key()
    }

    /// Its place among the impact levels (`prohibited` counts as IV): 0 to 3.
    pub fn index(self) -> usize {
        match self {
            Level::I => 0,
            Level::II => 1,
            Level::III => 2,
            Level::IV | Level::Prohibited => 3,
        }
    }
}

/// How a rule relates to a provision of another framework it is crosswalked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The rule checks what the provision asks, no more and no less.
    Equivalent,
    /// The rule checks part of what the provision asks.
    Narrower,
    /// The rule asks more than the provision does.
    Broader,
    /// They overlap, from different angles.
    Related,
}

impl Relation {
    /// Every relation, in the order of the type.
    pub const ALL: [Relation; 4] = [
        Relation::Equivalent,
        Relation::Narrower,
        Relation::Broader,
        Relation::Related,
    ];

    /// The name written in files and output: `equivalent`, `narrower`...
    pub fn key(self) -> &'static str {
        match self {
            Relation::Equivalent => "equivalent",
            Relation::Narrower => "narrower",
            Relation::Broader => "broader",
            Relation::Related => "related",
        }
    }

    /// The relation in words: `the same as`, `part of`...
    pub fn label(self) -> &'static str {
        match self {
            Relation::Equivalent => "the same as",
            Relation::Narrower => "part of",
            Relation::Broader => "more than",
            Relation::Related => "related to",
        }
    }

    /// The same as [`Relation::key`], for callers written before it.
    pub fn as_str(self) -> &'static str {
        self.key()
    }
}

/// Each enum prints as its key, the form files and machine output use.
macro_rules! display_as_key {
    ($($name:ident),*) => {
        $(impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.key())
            }
        })*
    };
}

display_as_key!(Severity, Outcome, Verdict, FailOn, Support, Level, Relation);

#[cfg(test)]
mod tests {
    use super::*;

    /// Each key is exactly the serde name, so JSON and every other machine format agree.
    #[test]
    fn keys_are_the_serde_names() {
        fn check_all<
            T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug + Copy,
        >(
            values: &[T],
            key: fn(T) -> &'static str,
        ) {
            for value in values {
                let json = serde_json::to_string(value).unwrap();
                assert_eq!(json, format!("\"{}\"", key(*value)));
                let back: T = serde_json::from_str(&json).unwrap();
                assert_eq!(back, *value);
            }
        }
        check_all(&Severity::ALL, Severity::key);
        check_all(&Outcome::ALL, Outcome::key);
        check_all(&Verdict::ALL, Verdict::key);
        check_all(&FailOn::ALL, FailOn::key);
        check_all(&Support::ALL, Support::key);
        check_all(&Level::ALL, Level::key);
        check_all(&Relation::ALL, Relation::key);
    }
}

/// Text a rule gives its findings: written into the binary (the built-in catalog, compiled
/// ahead of time) or read from a rule file and shared by every finding that repeats it.
/// Either way it is copied by reference, never as a new string.
///
/// Sixteen bytes, the size of a `&str`: text read at run time is held through a thin
/// pointer, so that the two kinds share the space (the catalog and every finding hold
/// thousands of texts, and a third of a report's memory was their size).
#[derive(Clone)]
pub enum Text {
    /// Text in the binary.
    Static(&'static str),
    /// Text read at run time, shared by reference count.
    Shared(std::sync::Arc<Box<str>>),
}

const _: () = assert!(std::mem::size_of::<Text>() == 16);

impl Text {
    /// Whether both are the very same text in memory, not merely equal text.
    pub fn is_same(&self, other: &Text) -> bool {
        match (self, other) {
            (Text::Static(a), Text::Static(b)) => std::ptr::eq(*a, *b),
            (Text::Shared(a), Text::Shared(b)) => std::sync::Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Static(s) => s,
            Text::Shared(s) => s,
        }
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::Static("")
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl AsRef<std::path::Path> for Text {
    fn as_ref(&self) -> &std::path::Path {
        self.as_str().as_ref()
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Shared(std::sync::Arc::new(s.into()))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Shared(std::sync::Arc::new(s.into_boxed_str()))
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        String::deserialize(deserializer).map(Text::from)
    }
}
