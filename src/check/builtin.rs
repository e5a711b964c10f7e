//! The built-in data read as a whole and checked against itself, once: every schema
//! compiles, the seed files read and every indexed document has its text, every profile
//! reads, and the catalog loads. Anything wrong is a typed error naming the file; nothing
//! falls back to a default.

use crate::profile::{Profile, ProfileError};
use crate::rules::{Catalog, RuleError};
use crate::schema::{self, Schema, SchemaError};
use crate::seeds;

/// What is wrong with the built-in data (only possible with a broken build).
#[derive(Debug, thiserror::Error)]
pub enum BuiltinError {
    /// A schema does not compile.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// A schema shipped for others to use (reports, portfolios) is not JSON.
    #[error("the built-in {file} is not JSON: {message}")]
    NotJson {
        /// The file.
        file: &'static str,
        /// The parser's explanation.
        message: String,
    },
    /// A seed file does not read.
    #[error("the built-in {0}")]
    Seeds(String),
    /// A document of the seed index has no text.
    #[error("the seed index lists `{document}`, whose text `seeds/{file}` is not embedded")]
    MissingText {
        /// The document id.
        document: String,
        /// Its file name.
        file: String,
    },
    /// A profile does not read.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The catalog does not load.
    #[error(transparent)]
    Catalog(#[from] RuleError),
}

/// Reads every built-in file and checks them against each other.
pub fn check() -> Result<(), BuiltinError> {
    // Each schema's validator is compiled here, not only when a document first needs it.
    Schema::descriptor()?.prepare()?;
    Schema::rule()?.prepare()?;
    Schema::waivers()?.prepare()?;
    Schema::profile()?.prepare()?;
    for (file, text) in [
        ("schemas/assessment.schema.json", schema::ASSESSMENT_SCHEMA),
        ("schemas/portfolio.schema.json", schema::PORTFOLIO_SCHEMA),
    ] {
        serde_json::from_str::<serde_json::Value>(text).map_err(|e| BuiltinError::NotJson {
            file,
            message: e.to_string(),
        })?;
    }
    seeds::calls().map_err(BuiltinError::Seeds)?;
    seeds::frameworks().map_err(BuiltinError::Seeds)?;
    for doc in seeds::index().map_err(BuiltinError::Seeds)? {
        if !seeds::texts().any(|(file, _)| file == doc.file) {
            return Err(BuiltinError::MissingText {
                document: doc.id.clone(),
                file: doc.file.clone(),
            });
        }
    }
    Profile::builtins()?;
    Catalog::builtin()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_builtin_data_is_whole() {
        super::check().unwrap();
    }
}
