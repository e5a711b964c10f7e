//! Text from descriptors and file names made safe to print. Every part of the tool that
//! prints user text uses these, the readers (for file names in their errors) as much as
//! the reports, so this module depends on nothing else in the crate.

use std::fmt::Write as _;

/// Whether a character must be shown as a visible escape: control characters (which could
/// move the cursor or recolour the screen) other than a line break, bidirectional
/// overrides (which could reorder what is shown), and U+FFFE and U+FFFF (which show as
/// nothing and are not allowed in XML).
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
        || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Whether text can be shown as it is: almost every cell of a report is plain text, so a
/// quick look at its bytes saves escaping it character by character.
fn is_clean(text: &str) -> bool {
    text.bytes()
        .all(|b| (0x20..0x7f).contains(&b) || b == b'\n')
        || !text.chars().any(needs_escape)
}

/// Makes text from a descriptor safe to print on a terminal: the characters of
/// [`needs_escape`] are replaced by visible escapes (`\u{001b}`). The same text is then
/// safe in every format, `JUnit` included.
pub fn sanitize_terminal(text: &str) -> String {
    if is_clean(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c) {
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

/// `1 gap`, `2 gaps`: a count with its noun in the right number, never `gap(s)`.
pub fn count<N: Copy + std::fmt::Display + TryInto<u8>>(n: N, one: &str, many: &str) -> String {
    let single = n.try_into().is_ok_and(|n: u8| n == 1);
    format!("{n} {}", if single { one } else { many })
}
