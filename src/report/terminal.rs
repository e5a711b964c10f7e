//! The one terminal table set-up of every listing and report: the same frame, the same
//! wrapping, colour only when asked.

use comfy_table::{ContentArrangement, Table, presets};

/// The width tables are laid out in when none is given.
pub const DEFAULT_WIDTH: u16 = 120;

/// A table with this header, laid out in `width` columns (or [`DEFAULT_WIDTH`]), with ANSI
/// styling only when `color` is set.
pub fn grid(header: Vec<&str>, width: Option<u16>, color: bool) -> Table {
    let mut grid = Table::new();
    grid.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.unwrap_or(DEFAULT_WIDTH));
    if color {
        grid.enforce_styling();
    } else {
        grid.force_no_tty();
    }
    grid.set_header(header);
    grid
}

/// Text in an ANSI style (`1` bold, `1;31` bold red, ...) when `color` is set.
pub fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}
