//! Files named by the browser, confined to the workspace: a name is a relative path of
//! plain folder and file names, ending in `.yaml`, `.yml` or `.json`, and what it resolves
//! to (links followed) must be inside the workspace. Anything else is refused before any
//! byte is read or written.

use std::path::{Component, Path, PathBuf};

use axum::http::StatusCode;

use super::error::Refusal;

/// The extensions of descriptor files.
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Checks the shape of a name: relative, plain parts only, a descriptor's extension.
fn check_name(name: &str) -> Result<&Path, Refusal> {
    let path = Path::new(name);
    let plain = !name.is_empty()
        && !name.contains(['\0', '\\'])
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        return Err(Refusal::new(
            StatusCode::FORBIDDEN,
            "outside-workspace",
            format!("`{name}` is not a file of this folder"),
        ));
    }
    let descriptor = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)));
    if !descriptor {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "not-a-descriptor",
            format!("`{name}` is not a descriptor: only .yaml, .yml and .json files are opened"),
        ));
    }
    Ok(path)
}

/// The refusal of a name that resolves outside the workspace.
fn outside(name: &str) -> Refusal {
    Refusal::new(
        StatusCode::FORBIDDEN,
        "outside-workspace",
        format!("`{name}` leads outside this folder"),
    )
}

/// The file an existing descriptor's name resolves to, inside `root` (canonical).
pub(super) fn existing(root: &Path, name: &str) -> Result<PathBuf, Refusal> {
    let path = check_name(name)?;
    let Ok(resolved) = std::fs::canonicalize(root.join(path)) else {
        return Err(Refusal::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("there is no file `{name}` in this folder"),
        ));
    };
    if !resolved.starts_with(root) {
        return Err(outside(name));
    }
    if !resolved.is_file() {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "not-a-descriptor",
            format!("`{name}` is not a file"),
        ));
    }
    Ok(resolved)
}

/// Where a new descriptor of that name is written: its folder must exist inside `root`,
/// and nothing (not even a link) may have the name yet.
pub(super) fn new(root: &Path, name: &str) -> Result<PathBuf, Refusal> {
    let path = check_name(name)?;
    let (Some(parent), Some(file)) = (path.parent(), path.file_name()) else {
        return Err(outside(name));
    };
    let folder = std::fs::canonicalize(root.join(parent)).map_err(|_| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "no-folder",
            format!("the folder of `{name}` does not exist"),
        )
    })?;
    if !folder.starts_with(root) {
        return Err(outside(name));
    }
    let target = folder.join(file);
    if std::fs::symlink_metadata(&target).is_ok() {
        return Err(Refusal::new(
            StatusCode::CONFLICT,
            "exists",
            format!("`{name}` already exists"),
        ));
    }
    Ok(target)
}

/// The name of a file inside `root`, relative to it with `/` between parts.
pub(super) fn name_of(root: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}
