//! The data folders (`rules/`, `schemas/`, `seeds/`, `profiles/`, `templates/`,
//! `registers/`), embedded whole at build time by `build.rs`: one table of every file,
//! looked up by its path from the repository root. Nothing is listed by hand, so a file
//! added to a folder is embedded with no change to the code.
//!
//! This module depends on nothing else in the crate.

mod tree;

mod embedded {
    use super::tree::Tree as T;

    include!(concat!(env!("OUT_DIR"), "/embedded_data.rs"));
}

pub(crate) use embedded::{DESCRIPTOR_SCHEMA_TREE, RULE_TREES, RULES_SHA256};

/// The data folders, each embedded whole: `rules`, `schemas`, `seeds`, `profiles`,
/// `templates` and `registers`.
pub const FOLDERS: &[&str] = embedded::FOLDERS;

/// Every embedded file: (path from the repository root, contents), sorted by path.
pub const FILES: &[(&str, &str)] = embedded::FILES;

/// An embedded file by its path from the repository root, e.g. `seeds/index.yaml`.
pub fn file(path: &str) -> Option<&'static str> {
    FILES
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .ok()
        .map(|i| FILES[i].1)
}

/// The embedded files of a folder and its subfolders: (path relative to the folder,
/// contents), sorted by path.
pub fn folder(name: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES.iter().filter_map(move |(path, text)| {
        path.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('/'))
            .map(|rel| (rel, *text))
    })
}

/// An embedded file by path, looked up while compiling: a path that names no file fails
/// the build, so a constant holding built-in data can never be missing.
#[expect(
    clippy::panic,
    reason = "evaluated at compile time only, where a panic is a build error"
)]
pub(crate) const fn get(path: &str) -> &'static str {
    let mut i = 0;
    while i < FILES.len() {
        if same(FILES[i].0, path) {
            return FILES[i].1;
        }
        i += 1;
    }
    panic!("no such file in the data folders")
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_folder_is_embedded_in_order() {
        for name in FOLDERS {
            assert!(folder(name).next().is_some(), "{name}");
        }
        assert!(FILES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(
            file("profiles/audit.yaml"),
            Some(get("profiles/audit.yaml"))
        );
        assert_eq!(file("profiles/none.yaml"), None);
    }
}
