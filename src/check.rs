//! Checks of a rule pack that run the rules or read them whole: per-rule fixtures, the
//! static lint and the coverage of the policy texts. They sit above the engine, which they
//! run, and the catalog, which they read; nothing below depends on them.

pub mod builtin;
pub mod coverage;
pub mod fixtures;
pub mod lint;
