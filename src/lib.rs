//! rightscheck: checks an AI system's descriptor against the human-rights calls to action
//! that governments have adopted, and reports what is missing.
//!
//! The flow is: [`document::Document`] (a parsed YAML or JSON file with the position of
//! every value) → [`schema::validate`] → [`engine::assess`] with a [`rules::Catalog`] →
//! one [`assessment::Assessment`] → any renderer in [`report`].

pub mod assessment;
pub mod check;
pub mod cli;
pub mod clock;
pub mod config;
pub mod data;
pub mod deadlines;
pub mod diagnostic;
pub mod diff;
pub mod document;
pub mod drive;
pub mod edit;
pub mod engine;
pub mod import;
pub mod input;
pub mod output;
pub mod portfolio;
pub mod profile;
pub mod questions;
pub mod report;
pub mod rules;
pub mod schema;
pub mod seeds;
pub mod serve;
pub mod template;
pub mod text;
pub mod vocabulary;
pub mod waivers;
pub mod whatif;
