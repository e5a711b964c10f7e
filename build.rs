//! Embeds every data folder (`rules/`, `schemas/`, `seeds/`, `profiles/`, `templates/`,
//! `registers/`) into the binary, so that it runs with nothing to configure, and prepares
//! the built-in catalog so that a run does no work already done here: the rule files are
//! read from YAML, checked against the rule schema, written out as constant Rust data
//! (`src/data/tree.rs`, so that a run parses no text to read them, as is the descriptor
//! schema), and their digest computed.
//! Files are listed in sorted order so builds are reproducible. A built-in file that does
//! not read, or a rule file the rule schema refuses, fails the build.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The data folders, each embedded whole.
const FOLDERS: [&str; 6] = [
    "rules",
    "schemas",
    "seeds",
    "profiles",
    "templates",
    "registers",
];

/// The kinds of file a data folder holds.
const EXTENSIONS: [&str; 5] = ["yaml", "yml", "json", "txt", "j2"];

/// The level model and the retired rules, read with the rule files (relative to `rules/`).
const CATALOG_EXTRAS: [&str; 2] = ["tiers/risk-level.yaml", "retired/retired.yaml"];

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
            .is_some_and(|e| EXTENSIONS.iter().any(|x| e == *x))
        {
            out.push(path);
        }
    }
}

/// YAML to JSON, read as the run-time reader reads it (`src/document/tree.rs`): only
/// `true` and `false` are booleans, and numbers with leading zeros or underscores are text.
fn yaml_to_json(text: &str) -> Result<serde_json::Value, String> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| e.to_string())
}

/// Whether a file under `rules/` is one of the built-in catalog's: a rule file directly in
/// the folder, the level model or the retired rules (as `Catalog::builtin` reads them).
fn in_catalog(rel: &str) -> bool {
    CATALOG_EXTRAS.contains(&rel)
        || (!rel.contains('/')
            && Path::new(rel)
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json"))
}

/// The descriptor schema, also written out as a constant tree: every run reads it (to
/// validate the descriptor and to know the fields rules test), and a tree is read faster
/// than its text is parsed.
const DESCRIPTOR_SCHEMA: &str = "schemas/ai-system.schema.json";

/// The descriptor schema as a run reads it, added to the pool: the place of its root.
fn descriptor_schema_tree(root: &Path, pool: &mut Pool) -> Result<usize, String> {
    let path = DESCRIPTOR_SCHEMA;
    let text = std::fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: {e}"))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    Ok(pool.add(&for_runs(value)))
}

// What of the descriptor schema a run reads; the crate's tests read the same file.
#[path = "src/schema/for_runs.rs"]
mod for_runs;
use for_runs::for_runs;

/// The schemas `src/schema.rs` compiles at run time, without checking them against their
/// meta-schema again: they are checked here.
const RUN_TIME_SCHEMAS: [&str; 4] = [
    "schemas/ai-system.schema.json",
    "schemas/rule.schema.json",
    "schemas/waivers.schema.json",
    "schemas/profile.schema.json",
];

/// A built-in schema, checked against the 2020-12 meta-schema and compiled.
fn schema(root: &Path, path: &str) -> Result<jsonschema::Validator, String> {
    let text = std::fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: {e}"))?;
    let raw: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&raw)
        .map_err(|e| format!("{path}: {e}"))
}

/// Constant trees of JSON values without pointers (`src/data/tree.rs`): one pool of nodes,
/// each a Rust expression of a `Node`, the key of each value of an object at the same
/// place, and one text holding every string and key.
#[derive(Default)]
struct Pool {
    nodes: Vec<String>,
    keys: Vec<(usize, usize)>,
    text: String,
}

impl Pool {
    /// A string added to the text: where it starts, and its length.
    fn text(&mut self, s: &str) -> (usize, usize) {
        let start = self.text.len();
        self.text.push_str(s);
        (start, s.len())
    }

    /// A value added to the pool: the place of its node.
    fn add(&mut self, value: &serde_json::Value) -> usize {
        let place = self.reserve(1);
        self.fill(place, value);
        place
    }

    /// `n` places in a row, to be filled: the first.
    fn reserve(&mut self, n: usize) -> usize {
        let first = self.nodes.len();
        self.nodes.resize(first + n, String::new());
        self.keys.resize(first + n, (0, 0));
        first
    }

    /// Writes the node of `value` at `place`, the items of an array or the values of an
    /// object in a row of places of their own.
    fn fill(&mut self, place: usize, value: &serde_json::Value) {
        use serde_json::Value;
        let node = match value {
            Value::Null => "N::Null".to_string(),
            Value::Bool(b) => format!("N::Bool({b})"),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => format!("N::Unsigned({u})"),
                (None, Some(i), _) => format!("N::Signed({i})"),
                // `{:?}` writes the shortest text that reads back as the same number.
                (None, None, Some(f)) => format!("N::Float({f:?})"),
                (None, None, None) => "N::Null".to_string(),
            },
            Value::String(text) => {
                let (start, len) = self.text(text);
                format!("N::Text({start}, {len})")
            }
            Value::Array(items) => {
                let first = self.reserve(items.len());
                for (i, item) in items.iter().enumerate() {
                    self.fill(first + i, item);
                }
                format!("N::List({first}, {})", items.len())
            }
            Value::Object(map) => {
                let first = self.reserve(map.len());
                for (i, (key, item)) in map.iter().enumerate() {
                    self.keys[first + i] = self.text(key);
                    self.fill(first + i, item);
                }
                format!("N::Map({first}, {})", map.len())
            }
        };
        self.nodes[place] = node;
    }

    /// The pool as Rust statics.
    fn write(&self, code: &mut String) {
        code.push_str("/// Every node of the built-in trees.\npub static TREE_NODES: &[N] = &[\n");
        for node in &self.nodes {
            let _ = writeln!(code, "{node},");
        }
        code.push_str("];\n/// The key of each node that is a value of an object: (start, length) in\n/// `TREE_TEXT`.\npub static TREE_KEYS: &[(u32, u32)] = &[\n");
        for (start, len) in &self.keys {
            let _ = writeln!(code, "({start}, {len}),");
        }
        let _ = writeln!(
            code,
            "];\n/// Every string and key of the built-in trees, one after another.\npub static TREE_TEXT: &str = {:?};",
            self.text
        );
    }
}

/// The built-in catalog's files added to the pool (a table of each file's path relative to
/// `rules/` and the place of its tree), each rule file checked against the rule schema,
/// and the catalog's digest: SHA-256 over every file's name and bytes, in path order, as
/// `Catalog::load` computes it.
fn prepare_catalog(
    root: &Path,
    files: &[(String, PathBuf)],
    pool: &mut Pool,
) -> Result<(String, String), String> {
    for path in RUN_TIME_SCHEMAS {
        schema(root, path)?;
    }
    let schema = schema(root, "schemas/rule.schema.json")?;
    let mut hasher = Sha256::new();
    let mut table = String::new();
    for (path, file) in files {
        let Some(rel) = path.strip_prefix("rules/").filter(|rel| in_catalog(rel)) else {
            continue;
        };
        let bytes = std::fs::read(file).map_err(|e| format!("{path}: {e}"))?;
        hasher.update(rel.rsplit('/').next().unwrap_or(rel).as_bytes());
        hasher.update([0]);
        hasher.update(&bytes);
        hasher.update([0]);
        let text = String::from_utf8(bytes).map_err(|e| format!("{path}: {e}"))?;
        let value = if Path::new(rel).extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?
        } else {
            yaml_to_json(&text).map_err(|e| format!("{path}: {e}"))?
        };
        if !CATALOG_EXTRAS.contains(&rel) {
            let problems: Vec<String> = schema
                .iter_errors(&value)
                .map(|e| format!("{path}: {}: {e}", e.instance_path().as_str()))
                .collect();
            if !problems.is_empty() {
                return Err(problems.join("\n"));
            }
        }
        let _ = writeln!(table, "    ({rel:?}, Tree({})),", pool.add(&value));
    }
    let digest: String = hasher.finalize().iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    });
    Ok((table, digest))
}

/// The renamed rule ids, checked against the catalog when it is compiled.
const REDIRECTS: &str = "rules/retired/redirects.yaml";

/// SHA-256, in hex, over `prefix` and then each file's path and bytes.
fn digest_of(root: &Path, prefix: &str, paths: &[&str]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prefix.as_bytes());
    for path in paths {
        hasher.update([0]);
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(std::fs::read(root.join(path)).unwrap_or_default());
    }
    hasher
        .finalize()
        .iter()
        .fold(String::new(), |mut out, byte| {
            let _ = write!(out, "{byte:02x}");
            out
        })
}

/// Asks the linker of a release build to place the functions that a run needs first side by
/// side, in the order `build/symbol-order.sh` listed them, so that a process touches fewer
/// pages of code. Only LLVM's linker takes the list: it is Rust's default linker for x86-64
/// Linux from Rust 1.90, and is assumed unless the build names another linker.
/// `RIGHTSCHECK_SYMBOL_ORDER=0` leaves the list out.
fn symbol_order(root: &Path) {
    println!("cargo:rerun-if-changed=build/symbol-order.txt");
    println!("cargo:rerun-if-env-changed=RIGHTSCHECK_SYMBOL_ORDER");
    println!("cargo:rerun-if-env-changed=CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER");
    let env = |key: &str| std::env::var(key).unwrap_or_default();
    let list = root.join("build/symbol-order.txt");
    // The compiler is asked its version last, and only for a release build.
    let lld = || {
        env("TARGET") == "x86_64-unknown-linux-gnu"
            && !env("CARGO_ENCODED_RUSTFLAGS").contains("linker")
            && env("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_empty()
            && rustc_minor().is_some_and(|minor| minor >= 90)
    };
    if env("RIGHTSCHECK_SYMBOL_ORDER") == "0"
        || env("PROFILE") != "release"
        || !list.is_file()
        || list.to_string_lossy().contains(',')
        || !lld()
    {
        return;
    }
    println!(
        "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
        list.display()
    );
    // A function renamed since the list was written is simply not placed.
    println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
}

/// The minor version of the compiler building this crate: 95 for 1.95.0.
fn rustc_minor() -> Option<u32> {
    let rustc = std::env::var_os("RUSTC")?;
    let out = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let version = text.split_whitespace().nth(1)?;
    version.split('.').nth(1)?.parse().ok()
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    symbol_order(&root);
    // The web application of `serve`, embedded by `src/serve/assets.rs`.
    println!("cargo:rerun-if-changed=assets/serve");
    println!("cargo:rerun-if-changed=src/schema/for_runs.rs");
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for folder in FOLDERS {
        println!("cargo:rerun-if-changed={folder}");
        let mut found = Vec::new();
        collect(&root.join(folder), &mut found);
        for file in found {
            println!("cargo:rerun-if-changed={}", file.display());
            let path = file
                .strip_prefix(&root)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            files.push((path, file));
        }
    }
    files.sort();
    let mut code = format!(
        "/// The data folders, each embedded whole.\npub const FOLDERS: &[&str] = &{FOLDERS:?};\n"
    );
    code.push_str(
        "/// Every file of the data folders: (path from the repository root, contents), sorted\n/// by path.\npub const FILES: &[(&str, &str)] = &[\n",
    );
    for (path, file) in &files {
        let _ = writeln!(
            code,
            "    ({path:?}, include_str!({:?})),",
            file.display().to_string()
        );
    }
    code.push_str("];\n");
    let mut pool = Pool::default();
    match prepare_catalog(&root, &files, &mut pool).and_then(|catalog| {
        descriptor_schema_tree(&root, &mut pool).map(|schema| (catalog, schema))
    }) {
        Ok(((table, digest), schema)) => {
            // What the compiled catalog depends on besides the code: the catalog's files
            // (by their digest), the renamed rule ids and the descriptor schema, whose
            // fields rules test.
            let inputs = digest_of(&root, &digest, &[REDIRECTS, DESCRIPTOR_SCHEMA]);
            let schema_digest = digest_of(&root, "", &[DESCRIPTOR_SCHEMA]);
            let _ = write!(
                code,
                "/// The built-in catalog's files (rule files, level model, retired rules), checked\n/// against the rule schema: (path relative to `rules/`, the file as a tree).\npub static RULE_TREES: &[(&str, Tree)] = &[\n{table}];\n/// SHA-256 of the built-in catalog's files.\npub const RULES_SHA256: &str = {digest:?};\n/// `{DESCRIPTOR_SCHEMA}` as a tree.\npub static DESCRIPTOR_SCHEMA_TREE: Tree = Tree({schema});\n/// SHA-256 of everything the compiled built-in catalog depends on: the catalog's files,\n/// the renamed rule ids and the descriptor schema (`src/rules/bake.rs`).\npub const CATALOG_INPUTS_SHA256: &str = {inputs:?};\n/// SHA-256 of the descriptor schema (`src/schema/bake.rs`).\npub const DESCRIPTOR_SCHEMA_SHA256: &str = {schema_digest:?};\n"
            );
            pool.write(&mut code);
        }
        Err(problems) => {
            for line in problems.lines() {
                println!("cargo::error=built-in data: {line}");
            }
            return;
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded_data.rs");
    if let Err(err) = std::fs::write(&out, code) {
        println!("cargo::error=cannot write {}: {err}", out.display());
    }
}
