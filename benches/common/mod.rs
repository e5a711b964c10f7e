//! What the benchmarks share: the percentile of a sorted sample, the serde-saphyr options
//! of the parse floor, and the PASS/MISS word of a target.
#![allow(dead_code)]

/// Sorted-sample percentile (nearest rank).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The YAML options of `src/document/tree.rs`, so the floor parses under the same rules.
pub fn saphyr_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        budget: serde_saphyr::budget! {
            max_depth: 64,
            max_documents: 1,
            max_nodes: 250_000,
            max_events: 500_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_total_scalar_bytes: rightscheck::document::MAX_DOCUMENT_BYTES,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 50_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 100,
        },
    }
}

/// `PASS` when a target is met, else `MISS`.
pub fn pass_miss(met: bool) -> &'static str {
    if met { "PASS" } else { "MISS" }
}
