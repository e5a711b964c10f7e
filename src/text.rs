//! Text from descriptors and file names made safe to print. Every part of the tool that
//! prints user text uses these, the readers (for file names in their errors) as much as
//! the reports, so this module depends on nothing else in the crate.

use std::fmt::Write as _;

/// Makes text from a descriptor safe to print on a terminal: control characters (which
/// could move the cursor or recolour the screen) and bidirectional overrides (which could
/// reorder what is shown) are replaced by visible escapes. So are U+FFFE and U+FFFF, which
/// show as nothing on a terminal and are not allowed in XML: the same text is then safe in
/// every format, `JUnit` included.
pub fn sanitize_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}');
        let not_xml = matches!(c, '\u{FFFE}' | '\u{FFFF}');
        if (c.is_control() && c != '\n') || bidi || not_xml {
            let _ = write!(out, "\\u{{{:04x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Like [`sanitize_terminal`], for text that must stay on one line (a file name in a
/// message): a line break becomes a visible escape too, so that no name can start a line
/// of its own (`x\nerror: forged`).
pub fn sanitize_line(text: &str) -> String {
    sanitize_terminal(text).replace('\n', "\\u{000a}")
}
