//! Writes the built-in catalog, compiled, as Rust source: `src/rules/baked.rs`.
//!
//! Compiling the built-in rules (reading the rule files' trees, compiling every condition
//! against the descriptor schema, building the level model) took most of a one-descriptor
//! run. The catalog depends only on the rule files, the descriptor schema and the code
//! that compiles them, so it is compiled once, here, and written out as the Rust
//! expressions that build it; a run builds it from them, with no parsing or checking.
//!
//! `baked.rs` records the digest of the files it was compiled from
//! (`CATALOG_INPUTS_SHA256`, computed by `build.rs`). A build whose rule files or schema
//! differ, a clone with a rule edited, say, compiles the rules at run time as before, so
//! the binary is never out of step with its data. The test below fails while `baked.rs`
//! is not what compiling gives today, and writes it anew when run with
//! `RIGHTSCHECK_BAKE=1 cargo test --lib bake`.

use std::fmt::Write as _;

use serde_json::Value;

use super::level::{Factor, Floor, LevelDef, LevelModel, Measure, Mitigation, Variable};
use super::{
    Catalog, Condition, Crosswalk, Leaf, Op, Redirect, Retired, Rule, RuleDocs, Severities, Source,
    Text,
};
use crate::document::Position;

/// A value written as the Rust expression that builds it.
trait Bake {
    fn bake(&self, out: &mut String);
}

/// `name(value)`: a value given to a function or a variant.
fn wrapped(out: &mut String, name: &str, value: &dyn Bake) {
    out.push_str(name);
    out.push('(');
    value.bake(out);
    out.push(')');
}

impl Bake for str {
    fn bake(&self, out: &mut String) {
        // `Debug` writes a string as a Rust literal, every special character escaped.
        let _ = write!(out, "s({self:?})");
    }
}

impl Bake for String {
    fn bake(&self, out: &mut String) {
        self.as_str().bake(out);
    }
}

impl Bake for Text {
    fn bake(&self, out: &mut String) {
        // Text in the binary: built without copying it.
        let _ = write!(out, "t({:?})", self.as_str());
    }
}

/// Numbers and plain enums, written as `Debug` writes them.
macro_rules! bake_debug {
    ($($t:ty),*) => {
        $(impl Bake for $t {
            fn bake(&self, out: &mut String) {
                let _ = write!(out, "{self:?}");
            }
        })*
    };
}
bake_debug!(bool, u32, usize, i64);

impl Bake for f64 {
    fn bake(&self, out: &mut String) {
        // `Debug` writes the shortest text that reads back as the same number, with a
        // decimal point.
        let _ = write!(out, "{self:?}_f64");
    }
}

/// Enums whose variants hold nothing, written with their type's name.
macro_rules! bake_variant {
    ($($t:ident),*) => {
        $(impl Bake for super::$t {
            fn bake(&self, out: &mut String) {
                let _ = write!(out, concat!(stringify!($t), "::{:?}"), self);
            }
        })*
    };
}
bake_variant!(Severity, Level, Relation, Comparison);

impl Bake for super::level::Combine {
    fn bake(&self, out: &mut String) {
        let _ = write!(out, "Combine::{self:?}");
    }
}

/// The items of a list, separated by commas.
fn items<T: Bake>(out: &mut String, list: &[T]) {
    for (i, v) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        v.bake(out);
    }
}

impl<T: Bake> Bake for Option<T> {
    fn bake(&self, out: &mut String) {
        match self {
            None => out.push_str("None"),
            Some(v) => wrapped(out, "Some", v),
        }
    }
}

impl<T: Bake> Bake for std::sync::Arc<[T]> {
    /// An array moved into its shared list: one allocation, where a vector would take
    /// two and a copy.
    fn bake(&self, out: &mut String) {
        out.push_str("shared([");
        items(out, self);
        out.push_str("])");
    }
}

impl<T: Bake> Bake for Vec<T> {
    fn bake(&self, out: &mut String) {
        self.as_slice().bake(out);
    }
}

impl<T: Bake> Bake for [T] {
    fn bake(&self, out: &mut String) {
        out.push_str("vec![");
        items(out, self);
        out.push(']');
    }
}

/// `field: value, ` for each field, baked.
macro_rules! bake_fields {
    ($out:expr, $self:ident { $($field:ident),* }) => {{
        $(
            $out.push_str(concat!(stringify!($field), ": "));
            $self.$field.bake($out);
            $out.push_str(", ");
        )*
    }};
}

/// `Bake` for structs whose fields are all public to this module: `Name { field: value, ... }`.
macro_rules! bake_structs {
    ($($name:ident { $($field:ident),* })*) => {
        $(impl Bake for $name {
            fn bake(&self, out: &mut String) {
                out.push_str(concat!(stringify!($name), " { "));
                bake_fields!(out, self { $($field),* });
                out.push('}');
            }
        })*
    };
}

impl Bake for Value {
    fn bake(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("Value::Null"),
            Value::Bool(b) => {
                let _ = write!(out, "Value::Bool({b})");
            }
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    let _ = write!(out, "Value::from({u}_u64)");
                } else if let Some(i) = n.as_i64() {
                    let _ = write!(out, "Value::from({i}_i64)");
                } else {
                    wrapped(out, "Value::from", &n.as_f64().unwrap_or_default());
                }
            }
            Value::String(s) => wrapped(out, "Value::String", s),
            Value::Array(items) => wrapped(out, "Value::Array", items),
            Value::Object(map) => {
                out.push_str("Value::Object(serde_json::Map::from_iter([");
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push('(');
                    k.bake(out);
                    out.push_str(", ");
                    v.bake(out);
                    out.push(')');
                }
                out.push_str("]))");
            }
        }
    }
}

impl Bake for Op {
    fn bake(&self, out: &mut String) {
        match self {
            Op::Equals(v) => wrapped(out, "Op::Equals", v),
            Op::OneOf(v) => wrapped(out, "Op::OneOf", v),
            Op::ContainsAny(v) => wrapped(out, "Op::ContainsAny", v),
            Op::ContainsAll(v) => wrapped(out, "Op::ContainsAll", v),
            Op::OlderThanDays(n) => wrapped(out, "Op::OlderThanDays", n),
            Op::NewerThanDays(n) => wrapped(out, "Op::NewerThanDays", n),
            Op::ContainsAtLeast { count, values } => {
                let _ = write!(out, "Op::ContainsAtLeast {{ count: {count}, values: ");
                values.bake(out);
                out.push_str(" }");
            }
            Op::IncludesAllOfField { field, slot } => {
                out.push_str("Op::IncludesAllOfField { field: ");
                field.bake(out);
                let _ = write!(out, ", slot: {slot} }}");
            }
            Op::Compare { comparison, value } => {
                out.push_str("Op::Compare { comparison: ");
                comparison.bake(out);
                out.push_str(", value: ");
                value.bake(out);
                out.push_str(" }");
            }
        }
    }
}

impl Bake for Condition {
    fn bake(&self, out: &mut String) {
        match self {
            Condition::All(c) => wrapped(out, "Condition::All", c),
            Condition::Any(c) => wrapped(out, "Condition::Any", c),
            Condition::Not(c) => {
                out.push_str("Condition::Not(Box::new(");
                c.bake(out);
                out.push_str("))");
            }
            Condition::Leaf(leaf) => wrapped(out, "Condition::Leaf", leaf),
        }
    }
}

impl Bake for Leaf {
    fn bake(&self, out: &mut String) {
        // The written expectations are left to be written when first needed, as after
        // compiling.
        out.push_str("Leaf { expectations: Default::default(), ");
        bake_fields!(
            out,
            self {
                field,
                pointer,
                evidence_pointer,
                slot,
                evidence_slot,
                op,
                param,
                unanswered_false
            }
        );
        out.push('}');
    }
}

impl Bake for Severities {
    fn bake(&self, out: &mut String) {
        out.push_str("Severities([");
        for (i, s) in self.0.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            s.bake(out);
        }
        out.push_str("])");
    }
}

bake_structs! {
    Position { line, column }
    Source { document, call, quote }
    RuleDocs { what_it_checks, why_it_matters, example }
    Crosswalk { framework, provision, relation }
    Retired { id, title, reason, see }
    Redirect { from, to }
    LevelDef { level, name, from_points, means }
    Factor { id, reason, score, could_reach, when }
    Variable { id, name, question, weight, combine, base, if_unknown, max, factors }
    Measure { id, reason, when }
    Mitigation { share, reduction, measures }
    Floor { id, level, reason, when }
    LevelModel { levels, variables, mitigation, floors }
}

impl Bake for Rule {
    fn bake(&self, out: &mut String) {
        out.push_str("Rule { ");
        bake_fields!(
            out,
            self {
                id,
                title,
                theme,
                severity,
                sources,
                applies_when,
                requires,
                question,
                applies_from,
                remediation,
                docs,
                crosswalk,
                file,
                position
            }
        );
        out.push('}');
    }
}

/// The Rust source of `baked.rs`: the catalog, compiled from files whose digest is `inputs`.
fn source(catalog: &Catalog, inputs: &str) -> String {
    let mut out = String::from(
        "// @generated by `RIGHTSCHECK_BAKE=1 cargo test --lib bake` from the built-in\n\
         // rule files and the descriptor schema (see `src/rules/bake.rs`). Do not edit.\n\
         #![allow(unused_imports, clippy::all, clippy::pedantic, clippy::unreadable_literal)]\n\n\
         use serde_json::Value;\n\n\
         use super::level::{Combine, Factor, Floor, LevelDef, LevelModel, Measure, Mitigation, Variable};\n\
         use super::{\n    Catalog, Comparison, Condition, Crosswalk, Leaf, Level, Op, Redirect, Relation, Retired, Rule,\n    RuleDocs, Severities, Severity, Source, Text,\n};\n\
         use crate::document::Position;\n\n\
         /// The digest of the files the catalog below was compiled from.\n",
    );
    let _ = write!(out, "pub(super) const INPUTS: &str = {inputs:?};\n\n");
    out.push_str(
        "fn s(text: &str) -> String {\n    text.to_string()\n}\n\n\
         const fn t(text: &'static str) -> Text {\n    Text::Static(text)\n}\n\n\
         fn shared<T, const N: usize>(list: [T; N]) -> std::sync::Arc<[T]> {\n    std::sync::Arc::new(list)\n}\n\n",
    );
    out.push_str("/// The built-in catalog.\npub(super) fn catalog() -> Catalog {\n    let mut rules = Vec::with_capacity(");
    let _ = writeln!(out, "{});", catalog.rules.len());
    for i in 0..catalog.rules.len() {
        let _ = writeln!(out, "    rules.push(rule_{i}());");
    }
    out.push_str("    Catalog {\n        rules,\n        retired: ");
    catalog.retired.bake(&mut out);
    out.push_str(",\n        redirects: ");
    catalog.redirects.bake(&mut out);
    out.push_str(",\n        level_model: level_model(),\n        sha256: ");
    catalog.sha256.bake(&mut out);
    out.push_str(",\n        origins: ");
    catalog.origins.bake(&mut out);
    out.push_str(",\n    }\n}\n\n");
    out.push_str("fn level_model() -> LevelModel {\n    ");
    catalog.level_model.bake(&mut out);
    out.push_str("\n}\n");
    for (i, rule) in catalog.rules.iter().enumerate() {
        let _ = write!(out, "\n/// `{}`.\nfn rule_{i}() -> Rule {{\n    ", rule.id);
        rule.bake(&mut out);
        out.push_str("\n}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_baked_catalog_is_the_one_compiling_gives() {
        let compiled = Catalog::compiled().unwrap();
        let inputs = crate::data::CATALOG_INPUTS_SHA256;
        let text = source(&compiled, inputs);
        let what = "the catalog the rule files compile to today";
        if !crate::data::compiled_ahead_is_current("src/rules/baked.rs", &text, what) {
            return;
        }
        assert_eq!(super::super::baked::INPUTS, inputs);
        // A build from other files (a rule edited) compiles them instead.
        let other = Catalog::prepared_from("another digest").unwrap();
        assert_eq!(format!("{other:?}"), format!("{compiled:?}"));
        let read_at_run_time =
            |c: &Catalog| c.rules.iter().all(|r| matches!(r.title, Text::Shared(_)));
        assert!(
            read_at_run_time(&other) && !read_at_run_time(&Catalog::prepared_from(inputs).unwrap())
        );
        // What the source builds is what compiling builds.
        assert_eq!(
            format!("{:?}", super::super::baked::catalog()),
            format!("{compiled:?}")
        );
    }
}
