//! Helpers shared by the integration tests: the checkout's root and the real binary, run
//! from there with a clean environment.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

/// The date every test assesses as of, so results never drift with the calendar.
pub const AS_OF: &str = "2026-06-30";

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `rightscheck` binary, run from the root, without `SOURCE_DATE_EPOCH` or colour.
pub fn bin() -> Command {
    let mut cmd = Command::cargo_bin("rightscheck").unwrap();
    cmd.current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1");
    cmd
}

/// A validator for a JSON Schema in the checkout (e.g. the SARIF 2.1.0 schema).
pub fn validator(schema_path: &str) -> jsonschema::Validator {
    // Erratum of the SARIF 2.1.0 schema: the `language` pattern has a stray `]`, which is
    // not a valid Unicode-mode ECMAScript regex. Later revisions of the schema fix it so.
    fn fix(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if map.get("pattern").and_then(Value::as_str)
                    == Some("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$")
                {
                    map.insert(
                        "pattern".into(),
                        Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$"),
                    );
                }
                map.values_mut().for_each(fix);
            }
            Value::Array(items) => items.iter_mut().for_each(fix),
            _ => {}
        }
    }
    let mut schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(schema_path)).unwrap()).unwrap();
    fix(&mut schema);
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// Asserts that `instance` follows the schema, listing the first errors.
pub fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

/// Every `*-uuid` and `#uuid` reference in an OSCAL document names a UUID defined in it.
pub fn oscal_references_resolve(doc: &Value, file: &str) {
    fn walk(v: &Value, defined: &mut Vec<String>, used: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    match (k.as_str(), x) {
                        ("uuid", Value::String(s)) => defined.push(s.clone()),
                        (k, Value::String(s)) if k.ends_with("-uuid") => used.push(s.clone()),
                        ("href", Value::String(s)) if s.starts_with('#') => {
                            used.push(s[1..].to_string());
                        }
                        _ => {}
                    }
                    walk(x, defined, used);
                }
            }
            Value::Array(items) => items.iter().for_each(|x| walk(x, defined, used)),
            _ => {}
        }
    }
    let (mut defined, mut used) = (Vec::new(), Vec::new());
    walk(doc, &mut defined, &mut used);
    let unique: BTreeSet<&String> = defined.iter().collect();
    assert_eq!(
        unique.len(),
        defined.len(),
        "{file}: a UUID is defined twice"
    );
    for u in &defined {
        let parsed = uuid::Uuid::parse_str(u).unwrap();
        assert_eq!(parsed.get_version_num(), 5, "{file}: {u}");
    }
    for u in &used {
        assert!(
            unique.contains(u),
            "{file}: reference to undefined UUID {u}"
        );
    }
}

/// The Python that has compliance-trestle 3.x (OSCAL 1.1.x models), if any.
pub fn trestle_python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("RIGHTSCHECK_TRESTLE_PYTHON").map(PathBuf::from),
        Some(root().join("target/ci-venv/bin/python")),
        Some(PathBuf::from("python3")),
    ];
    candidates.into_iter().flatten().find(|python| {
        Process::new(python)
            .args([
                "-c",
                "import trestle.oscal as o, sys; sys.exit(0 if o.OSCAL_VERSION.startswith('1.1.') else 1)",
            ])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}
