//! The web application's page, script and style, embedded in the binary so that it needs
//! no network and no file beside it (`build.rs` rebuilds when they change).

/// The one page of the application.
pub(super) const INDEX: &str = include_str!("../../assets/serve/index.html");
/// Its script.
pub(super) const SCRIPT: &str = include_str!("../../assets/serve/app.js");
/// Its style.
pub(super) const STYLE: &str = include_str!("../../assets/serve/app.css");
