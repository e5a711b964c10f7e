//! The project's settings file, `rightscheck.toml`: defaults for `assess` and the catalog
//! commands (profile, rule packs, assessor, deadlines, failure threshold), found in the
//! current folder or the nearest parent that has one. Flags given on the command line win.
//!
//! ```toml
//! profile = "procurement"
//! rules = ["policy/rules"]          # folders relative to this file
//! assessor = "Ministry of Welfare, AI assurance team"
//! deadlines = "high=14,medium=60"
//! fail-on = "medium"
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use crate::assessment::FailOn;
use crate::deadlines::DeadlineChanges;
use crate::diagnostic::{Diagnostic, Location};

/// The name of the settings file.
pub const FILE_NAME: &str = "rightscheck.toml";

/// The largest settings file read.
const MAX_BYTES: u64 = 64 * 1024;

/// Settings read from a `rightscheck.toml`; every one optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// The file the settings were read from.
    #[serde(skip)]
    pub file: Option<PathBuf>,
    /// A built-in profile id, or a profile file (relative to the settings file).
    pub profile: Option<String>,
    /// Rule packs added to the built-in catalog (folders relative to the settings file).
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Who makes the assessments.
    pub assessor: Option<String>,
    /// Days to each remediation's target date, as `--deadlines` takes them: the severities
    /// named change the profile's days, and `--deadlines` changes these in turn.
    #[serde(default, deserialize_with = "deadlines")]
    pub deadlines: Option<DeadlineChanges>,
    /// The severity at which `assess` exits with status 1.
    #[serde(default, deserialize_with = "fail_on")]
    pub fail_on: Option<FailOn>,
}

fn deadlines<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DeadlineChanges>, D::Error> {
    let text = String::deserialize(d)?;
    text.parse().map(Some).map_err(serde::de::Error::custom)
}

fn fail_on<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FailOn>, D::Error> {
    use clap::ValueEnum as _;
    let text = String::deserialize(d)?;
    FailOn::from_str(&text, false).map(Some).map_err(|_| {
        let names: Vec<String> = FailOn::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        serde::de::Error::custom(format!(
            "`{text}` is not a severity; use one of `{}`",
            names.join("`, `")
        ))
    })
}

/// Why the settings file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{}: cannot read the file: {source}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is larger than any settings file.
    #[error("{}: the file is larger than {MAX_BYTES} bytes", file.display())]
    TooLarge {
        /// The file.
        file: PathBuf,
    },
    /// The file is not valid TOML, has an unknown key, or a value of the wrong kind.
    #[error("{}:{line}:{column}: {message}", file.display())]
    Invalid {
        /// The file.
        file: PathBuf,
        /// Line, from 1.
        line: u32,
        /// Column, from 1.
        column: u32,
        /// What is wrong.
        message: String,
    },
}

impl Diagnostic for ConfigError {
    fn help(&self) -> Option<String> {
        Some(match self {
            ConfigError::Read { .. } | ConfigError::TooLarge { .. } => {
                "check the file, or add `--no-config` to run without it".to_string()
            }
            ConfigError::Invalid { .. } => "fix the file (it takes `profile`, `rules`, `assessor`, `deadlines` and `fail-on`), or add `--no-config` to run without it".to_string(),
        })
    }

    fn location(&self) -> Option<Location> {
        match self {
            ConfigError::Invalid {
                file, line, column, ..
            } => Location::at(&file.display().to_string(), *line, *column),
            _ => None,
        }
    }
}

impl Config {
    /// The settings of the nearest `rightscheck.toml` in `start` or its parents; the
    /// default settings when there is none.
    pub fn discover(start: &Path) -> Result<Config, ConfigError> {
        match start
            .ancestors()
            .map(|dir| dir.join(FILE_NAME))
            .find(|file| file.is_file())
        {
            Some(file) => Config::from_path(&file),
            None => Ok(Config::default()),
        }
    }

    /// The settings in `file`.
    pub fn from_path(file: &Path) -> Result<Config, ConfigError> {
        let read = |source| ConfigError::Read {
            file: file.to_path_buf(),
            source,
        };
        if std::fs::metadata(file).map_err(read)?.len() > MAX_BYTES {
            return Err(ConfigError::TooLarge {
                file: file.to_path_buf(),
            });
        }
        let text = std::fs::read_to_string(file).map_err(read)?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            let start = e.span().map_or(0, |s| s.start).min(text.len());
            let before = text.get(..start).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            ConfigError::Invalid {
                file: file.to_path_buf(),
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
                message: e.message().trim().to_string(),
            }
        })?;
        // Paths in the file are relative to it, wherever the command runs.
        let dir = file.parent().unwrap_or_else(|| Path::new("."));
        for pack in &mut config.rules {
            *pack = dir.join(&*pack);
        }
        if let Some(profile) = &mut config.profile
            && dir.join(&*profile).is_file()
        {
            *profile = dir.join(&*profile).display().to_string();
        }
        config.file = Some(file.to_path_buf());
        Ok(config)
    }

    /// One line on where the settings come from, for `--verbose`.
    pub fn describe(&self) -> String {
        match &self.file {
            Some(file) => format!("settings: {}", crate::output::shown(file)),
            None => format!("settings: no {FILE_NAME} in this folder or its parents"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(text: &str) -> ConfigError {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        std::fs::write(&file, text).unwrap();
        match Config::from_path(&file) {
            Err(e) => e,
            Ok(c) => panic!("accepted: {c:?}"),
        }
    }

    #[test]
    fn mistakes_are_located_by_line_and_column() {
        let e = invalid("profile = \"audit\"\n  colour = \"red\"\n");
        let place = e.location().unwrap_or_else(|| panic!("no location: {e}"));
        assert_eq!((place.line, place.column), (2, 3), "{e}");
        assert!(e.to_string().contains("unknown field `colour`"), "{e}");

        let e = invalid("deadlines = \"high=soon\"\n");
        assert!(e.to_string().contains(":1:13: "), "{e}");
        assert!(
            e.to_string().contains("`soon` is not a number of days"),
            "{e}"
        );
    }

    #[test]
    fn paths_are_relative_to_the_file_and_the_nearest_file_wins() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("a/b");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "assessor = \"outer\"\n").unwrap();
        std::fs::write(
            dir.path().join("a").join(FILE_NAME),
            "rules = [\"packs/x\"]\n",
        )
        .unwrap();
        let config = Config::discover(&inner).unwrap();
        assert_eq!(config.assessor, None);
        assert_eq!(config.rules, vec![dir.path().join("a").join("packs/x")]);
        assert_eq!(config.file, Some(dir.path().join("a").join(FILE_NAME)));
    }
}
