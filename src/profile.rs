//! Profiles tailor the catalog for one kind of assessment, as OSCAL profiles tailor a
//! catalog of controls: which rules apply, at what severity, from which impact level, how
//! unknowns and unevidenced claims are read, and parameters such as how long an impact
//! assessment or an evidence document stays fresh. Evidence is asked for through the
//! profile alone: the engine reads outcomes as the profile says, while it evaluates. Built-in profiles live in `profiles/` and are embedded at build
//! time; `--profile FILE` reads another.

mod error;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::assessment::ProfileInfo;
use crate::deadlines::{self, DeadlineChanges, Deadlines};
use crate::document::{Document, Format, Position};
use crate::rules::{Catalog, Level, Severities, Severity};
use crate::schema::{Schema, did_you_mean};

pub use error::ProfileError;

/// The order `profiles list` shows the built-in profiles in, by id; any other profile in
/// `profiles/` follows, by file name.
const SHOWN_FIRST: [&str; 3] = ["procurement", "self-assessment", "audit"];

/// The built-in profiles: (file name, contents), every file in `profiles/` but the
/// defaults they all start from, in the order `profiles list` shows them.
pub fn builtin_files() -> Vec<(String, &'static str)> {
    let mut files: Vec<(String, &'static str)> = crate::data::folder("profiles")
        .filter(|(name, _)| *name != deadlines::FILE_NAME)
        .map(|(name, text)| (format!("profiles/{name}"), text))
        .collect();
    files.sort_by_key(|(name, _)| {
        let id = name
            .trim_start_matches("profiles/")
            .trim_end_matches(".yaml");
        SHOWN_FIRST
            .iter()
            .position(|p| *p == id)
            .unwrap_or(usize::MAX)
    });
    files
}

/// Values rules may refer to with `{param: NAME, default: N}`, and the profile's own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    /// How many days an impact assessment or due-diligence review stays fresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact_assessment_fresh_days: Option<i64>,
    /// How many days an evidence document stays fresh: an older one is flagged, and where
    /// the profile requires evidence it no longer counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_fresh_days: Option<i64>,
}

impl Parameters {
    /// The rule parameters that are set, by name.
    pub fn set(&self) -> Vec<(&'static str, i64)> {
        self.impact_assessment_fresh_days
            .map(|d| ("impact_assessment_fresh_days", d))
            .into_iter()
            .collect()
    }
}

/// A profile, as its file states it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Short id, e.g. `procurement`.
    pub id: String,
    /// Title.
    pub title: String,
    /// What the profile is for.
    pub description: String,
    /// Only rules of these themes apply; all when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_themes: Option<Vec<String>>,
    /// Rule ids that do not apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_rules: Vec<String>,
    /// A new severity per rule id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub severity_overrides: BTreeMap<String, Severity>,
    /// Rules apply only to systems of this impact level or above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_level: Option<Level>,
    /// Whether an open question counts as a gap.
    pub unknown_as_gap: bool,
    /// A pass at or above this severity whose stated values are only claimed, with no
    /// evidence document (a fresh one, when the profile sets `evidence_fresh_days`), is a
    /// gap. Red lines are exempt: they check that a use is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_required_from: Option<Severity>,
    /// Parameters rules refer to.
    #[serde(default)]
    pub parameters: Parameters,
    /// Days to each remediation's target date, for the severities named; the others keep
    /// the built-in days ([`deadlines::builtin`]).
    #[serde(default, skip_serializing_if = "DeadlineChanges::is_empty")]
    pub deadlines: DeadlineChanges,
    /// `built-in` or the file it was read from.
    #[serde(skip_deserializing)]
    pub source: String,
    #[serde(skip)]
    document: Option<Document>,
}

impl Default for Profile {
    /// The catalog as written: what `assess` does without `--profile`.
    fn default() -> Self {
        let info = ProfileInfo::default();
        Profile {
            id: info.id,
            title: info.title,
            description:
                "Every rule as the catalog defines it; an unanswered question stays a question."
                    .to_string(),
            include_themes: None,
            exclude_rules: Vec::new(),
            severity_overrides: BTreeMap::new(),
            min_level: None,
            unknown_as_gap: false,
            evidence_required_from: None,
            parameters: Parameters::default(),
            deadlines: DeadlineChanges::default(),
            source: info.source,
            document: None,
        }
    }
}

impl Profile {
    /// The built-in profiles.
    pub fn builtins() -> Result<Vec<Profile>, ProfileError> {
        builtin_files()
            .iter()
            .map(|(name, text)| {
                let doc = Document::from_bytes(name, text.as_bytes(), Format::Yaml)?;
                Profile::from_document(doc, "built-in")
            })
            .collect()
    }

    /// A built-in profile by id, or a profile file: `procurement` or `my-profile.yaml`.
    pub fn resolve(name: &str) -> Result<Profile, ProfileError> {
        let builtins = Profile::builtins()?;
        if let Some(p) = builtins.iter().find(|p| p.id == name) {
            return Ok(p.clone());
        }
        let path = Path::new(name);
        if path.is_file() {
            return Profile::from_path(path);
        }
        let ids: Vec<String> = builtins.iter().map(|p| p.id.clone()).collect();
        Err(ProfileError::NotFound {
            name: name.to_string(),
            suggestion: did_you_mean(name, &ids),
            ids,
        })
    }

    /// Reads a profile file.
    pub fn from_path(path: &Path) -> Result<Profile, ProfileError> {
        let doc = Document::from_path(path)?;
        let source = doc.name.clone();
        Profile::from_document(doc, &source)
    }

    fn from_document(doc: Document, source: &str) -> Result<Profile, ProfileError> {
        let issues = Schema::profile()?.validate(&doc)?;
        if !issues.is_empty() {
            return Err(ProfileError::Invalid(issues));
        }
        let mut profile: Profile = serde_json::from_value(doc.value.clone()).map_err(|e| {
            ProfileError::Invalid(vec![crate::schema::Issue {
                file: doc.name.clone(),
                position: Position::START,
                pointer: String::new(),
                message: e.to_string(),
                help: Some(
                    "run `rightscheck profiles show procurement` for an example".to_string(),
                ),
            }])
        })?;
        profile.source = source.to_string();
        profile.document = Some(doc);
        Ok(profile)
    }

    /// What the assessment records about the profile.
    pub fn info(&self) -> ProfileInfo {
        ProfileInfo {
            id: self.id.clone(),
            title: self.title.clone(),
            source: self.source.clone(),
            deadlines: self.deadlines,
        }
    }

    /// The days to each remediation's target date under this profile: its own, over the
    /// built-in ones.
    pub fn deadlines(&self) -> Result<Deadlines, ProfileError> {
        Ok(deadlines::builtin()?.with(&self.deadlines))
    }

    fn position(&self, pointer: &str) -> (String, Position) {
        match &self.document {
            Some(doc) => (doc.name.clone(), doc.position_of(pointer)),
            None => (self.source.clone(), Position::START),
        }
    }

    /// Whether [`Profile::tailor`] changes a catalog at all: the default profile, and any
    /// that only reads outcomes differently, assess with the catalog as it is.
    pub fn tailors_catalog(&self) -> bool {
        self.include_themes.is_some()
            || !self.exclude_rules.is_empty()
            || !self.severity_overrides.is_empty()
            || self.min_level.is_some()
            || !self.parameters.set().is_empty()
    }

    /// The catalog as this profile tailors it: rules left out, severities overridden, a
    /// minimum level, parameters set. A rule id or theme the catalog does not know is an
    /// error, so that a typo never silently keeps a rule in force; so is leaving out or
    /// lowering a red line, and red lines apply whatever themes the profile keeps.
    pub fn tailor(&self, catalog: &Catalog) -> Result<Catalog, ProfileError> {
        let ids: Vec<String> = catalog.rules().iter().map(|r| r.id.to_string()).collect();
        let unknown_rule = |id: &str, pointer: String| {
            let (file, position) = self.position(&pointer);
            ProfileError::UnknownRule {
                file,
                position,
                rule: id.to_string(),
                suggestion: did_you_mean(id, &ids),
            }
        };
        for (i, id) in self.exclude_rules.iter().enumerate() {
            match catalog.get(id) {
                None => return Err(unknown_rule(id, format!("/exclude_rules/{i}"))),
                Some(rule) if rule.severity.is_blocker() => {
                    let (file, position) = self.position(&format!("/exclude_rules/{i}"));
                    return Err(ProfileError::RedLine {
                        file,
                        position,
                        rule: rule.id.to_string(),
                    });
                }
                Some(_) => {}
            }
        }
        for (id, severity) in &self.severity_overrides {
            let pointer = format!(
                "/severity_overrides/{}",
                crate::document::escape_pointer_segment(id)
            );
            match catalog.get(id) {
                None => return Err(unknown_rule(id, pointer)),
                Some(rule) if rule.severity.is_blocker() && *severity != Severity::Blocker => {
                    let (file, position) = self.position(&pointer);
                    return Err(ProfileError::RedLine {
                        file,
                        position,
                        rule: rule.id.to_string(),
                    });
                }
                Some(_) => {}
            }
        }
        if let Some(themes) = &self.include_themes {
            let known: Vec<String> = catalog.themes().keys().map(|t| (*t).to_string()).collect();
            for (i, theme) in themes.iter().enumerate() {
                if !known.contains(theme) {
                    let (file, position) = self.position(&format!("/include_themes/{i}"));
                    return Err(ProfileError::UnknownTheme {
                        file,
                        position,
                        theme: theme.clone(),
                        suggestion: did_you_mean(theme, &known),
                    });
                }
            }
        }
        let mut tailored = catalog.clone();
        let parameters = self.parameters.set();
        tailored.retain_mut(|rule| {
            if self.exclude_rules.iter().any(|id| id == &rule.id) {
                return false;
            }
            // Red lines apply whatever themes the profile keeps.
            if let Some(themes) = &self.include_themes
                && !themes.iter().any(|t| *t == rule.theme)
                && !rule.severity.is_blocker()
            {
                return false;
            }
            if let Some(severity) = self.severity_overrides.get(rule.id.as_str()) {
                rule.severity = Severities::uniform(*severity);
            }
            if let Some(min) = self.min_level
                && min > Level::I
                && !rule.severity.is_blocker()
            {
                rule.applies_from = Some(rule.applies_from.map_or(min, |own| own.max(min)));
            }
            for (name, days) in &parameters {
                rule.requires.set_parameter(name, *days);
                if let Some(cond) = &mut rule.applies_when {
                    cond.set_parameter(name, *days);
                }
            }
            true
        });
        Ok(tailored)
    }
}
