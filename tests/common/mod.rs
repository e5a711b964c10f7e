//! Helpers shared by the integration tests: the checkout's root and the real binary, run
//! from there with a clean environment.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use assert_cmd::Command;

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
