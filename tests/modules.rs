//! The modules form layers: no module reaches, directly or through others, a module that
//! reaches back to it. The listing is built from the `crate::` and `super::` paths of
//! every file under `src/` (tests left out), per top-level module and per group of sibling
//! modules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Cycles known today and owned by work on those modules; each entry lists the members of
/// one cycle, sorted. A new cycle fails the test. There are none.
const KNOWN: &[&[&str]] = &[];

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Every module file: its module path (`document::fast`) and its text.
fn modules(dir: &Path, prefix: &[String], out: &mut BTreeMap<Vec<String>, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            let mut p = prefix.to_vec();
            p.push(name);
            modules(&path, &p, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            if prefix.is_empty() && (name == "lib" || name == "main") || name == "tests" {
                continue;
            }
            let mut p = prefix.to_vec();
            p.push(name);
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests may reach anywhere.
            let text = match text.find("#[cfg(test)]\nmod tests") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            let code: String = text
                .lines()
                .map(|l| l.split("//").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
            out.insert(p, code);
        }
    }
}

/// The paths a file names: each `crate::` or `super::` path, with `{a, b::c}` groups
/// spread out, as segments from the crate root.
fn paths(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        let starts = rest.starts_with("crate::") || rest.starts_with("super::");
        let boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if !(starts && boundary) {
            i += 1;
            continue;
        }
        let mut base: Vec<String> = Vec::new();
        let mut j = i;
        if rest.starts_with("crate::") {
            j += "crate::".len();
        } else {
            base = module.to_vec();
            while code[j..].starts_with("super::") {
                base.pop();
                j += "super::".len();
            }
        }
        let tail = &code[j..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(tail.len());
        let head: Vec<String> = tail[..end]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let mut prefix = base.clone();
        prefix.extend(head);
        if tail[end..].starts_with('{') {
            let close = tail[end..].find('}').map_or(tail.len(), |c| end + c);
            for item in tail[end + 1..close].split(',') {
                let item = item.split(" as ").next().unwrap_or("").trim();
                if item.is_empty() || item == "self" {
                    continue;
                }
                let mut p = prefix.clone();
                p.extend(item.split("::").map(str::to_string));
                out.push(p);
            }
        }
        out.push(prefix);
        i = j + end;
    }
    out
}

/// The longest leading part of `path` that is a module file.
fn resolve(path: &[String], known: &BTreeMap<Vec<String>, String>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| known.contains_key(p))
}

/// Strongly connected parts of more than one module.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    // Two modules are in one cycle when each reaches the other.
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(m) = stack.pop() {
            for n in graph.get(&m).into_iter().flatten() {
                if seen.insert(n.clone()) {
                    stack.push(n.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut out: BTreeSet<Vec<String>> = BTreeSet::new();
    for (m, r) in &reaches {
        if !r.contains(*m) {
            continue;
        }
        let part: Vec<String> = r
            .iter()
            .filter(|n| reaches.get(n).is_some_and(|back| back.contains(*m)))
            .cloned()
            .collect();
        out.insert(part);
    }
    out.into_iter().collect()
}

#[test]
fn no_module_cycles() {
    let mut files = BTreeMap::new();
    modules(&common::root().join("src"), &[], &mut files);
    let mut top = Graph::new();
    let mut siblings = Graph::new();
    for (module, code) in &files {
        for path in paths(module, code) {
            let Some(target) = resolve(&path, &files) else {
                continue;
            };
            if target.starts_with(module) {
                continue;
            }
            if target[0] != module[0] {
                top.entry(module[0].clone())
                    .or_default()
                    .insert(target[0].clone());
            } else if module.len() > 1
                && target.len() == module.len()
                && target[..target.len() - 1] == module[..module.len() - 1]
            {
                siblings
                    .entry(module.join("::"))
                    .or_default()
                    .insert(target.join("::"));
            }
        }
    }
    let found: Vec<Vec<String>> = cycles(&top).into_iter().chain(cycles(&siblings)).collect();
    let new: Vec<String> = found
        .iter()
        .filter(|c| !KNOWN.iter().any(|k| k == c))
        .map(|c| c.join(" <-> "))
        .collect();
    assert!(new.is_empty(), "module cycles: {new:#?}");
    // The listing sees real edges: the engine uses the rules, the rules do not use it.
    assert!(top["engine"].contains("rules"));
    assert!(!top["rules"].contains("engine"));
}
