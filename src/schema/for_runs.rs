//! The descriptor schema as every run reads it: without the annotations only the
//! questionnaire uses. `build.rs` writes the schema's tree through this, and the tests of
//! `src/schema.rs` check the tree against it; it depends on nothing but `serde_json`.

/// Keywords of the descriptor schema a run reads: validating a descriptor and explaining
/// its mistakes (`x-help`, `x-reference`) and indexing its fields (`description`). The
/// other annotations (the questionnaire's `x-question`, `x-effort`, titles, examples) are
/// read from the schema's text by the parts that use them, and constrain nothing, so the
/// tree every run reads leaves them out: a third of the schema.
fn keeps(keyword: &str) -> bool {
    !(matches!(
        keyword,
        "title" | "examples" | "$comment" | "default" | "deprecated" | "readOnly" | "writeOnly"
    ) || (keyword.starts_with("x-") && !matches!(keyword, "x-help" | "x-reference")))
}

/// A schema without the annotations [`keeps`] leaves out, wherever a schema can be:
/// the names under `properties` and `$defs` are kept whatever they are.
pub fn for_runs(schema: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    let Value::Object(map) = schema else {
        return schema;
    };
    let mut out = serde_json::Map::new();
    for (keyword, arg) in map {
        if !keeps(&keyword) {
            continue;
        }
        let arg = match (keyword.as_str(), arg) {
            ("properties" | "$defs" | "patternProperties", Value::Object(subs)) => Value::Object(
                subs.into_iter()
                    .map(|(name, sub)| (name, for_runs(sub)))
                    .collect(),
            ),
            (
                "items" | "additionalProperties" | "not" | "if" | "then" | "else" | "contains",
                sub,
            ) => for_runs(sub),
            ("anyOf" | "allOf" | "oneOf" | "prefixItems", Value::Array(subs)) => {
                Value::Array(subs.into_iter().map(for_runs).collect())
            }
            (_, arg) => arg,
        };
        out.insert(keyword, arg);
    }
    Value::Object(out)
}
