//! Embeds the default rule catalog (`rules/`) into the binary, so that it runs with nothing
//! to configure. Files are listed in sorted order so builds are reproducible.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(path);
        }
    }
}

/// YAML to JSON text, read as the run-time reader reads it (`src/document/tree.rs`): only
/// `true` and `false` are booleans, and numbers with leading zeros or underscores are text.
fn yaml_to_json(text: &str) -> Result<String, String> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
    };
    let value: serde_json::Value =
        serde_saphyr::from_str_with_options(text, options).map_err(|e| e.to_string())?;
    serde_json::to_string(&value).map_err(|e| e.to_string())
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Files of the embedded catalog: (path relative to `rules/`, contents).\npub static RULE_FILES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file
            .strip_prefix(&rules)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let _ = writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            file.display().to_string()
        );
    }
    code.push_str("];\n");
    // The rule files themselves (not fixtures), as JSON: a run reads these instead of the
    // YAML, which stays embedded for the catalog's digest and for `rules test`. A file
    // that does not convert is left out, and is read as YAML at run time, where its error
    // is reported as usual.
    code.push_str(
        "/// The rule files, the level model and the retired rules, converted to JSON at build time.\npub static RULE_JSON: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        let rel = file
            .strip_prefix(&rules)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let yaml = Path::new(&rel)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        if rel.starts_with("fixtures/") || !yaml {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        match yaml_to_json(&text) {
            Ok(json) => {
                let _ = writeln!(code, "    ({rel:?}, {json:?}),");
            }
            Err(err) => println!("cargo:warning=rules/{rel} is read as YAML at run time: {err}"),
        }
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded_rules.rs");
    if let Err(err) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {err}", out.display());
    }
}
