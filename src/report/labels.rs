//! Every label, key and escape of the report layer, in one place, so that the terminal,
//! HTML, Markdown, CSV and the machine formats can never drift apart.
//!
//! The words of the shared enums (keys for machines, labels for people) are in
//! [`crate::vocabulary`]; this module adds the report layer's own wording (the terminal's
//! outcome cells, group headings, factor weights, counts in words). Escapes make
//! descriptor text safe in each format: control and bidirectional characters become
//! visible ([`clean`]); then Markdown, HTML, CSV cells and URI references each get their
//! own rules.

use std::fmt::Write as _;

use crate::vocabulary::{Level, Outcome, Severity};

pub use crate::text::{sanitize_line, sanitize_terminal};

/// Makes descriptor text safe to show anywhere: control and bidirectional characters
/// become visible escapes (newlines stay).
pub fn clean(text: &str) -> String {
    sanitize_terminal(text)
}

/// Makes a CSV cell safe for a spreadsheet: visible escapes for control characters, and a
/// leading `'` where the cell would otherwise start a formula.
pub fn csv_cell(text: &str) -> String {
    let starts_formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = clean(text);
    if starts_formula {
        format!("'{text}")
    } else {
        text
    }
}

/// A file path as a URI reference, for the formats that point at the descriptor (SARIF,
/// OSCAL): `/` separators; `%`, `#`, `?`, whitespace and control characters
/// percent-encoded as their UTF-8 bytes.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '\\' => out.push('/'),
            '%' | '#' | '?' => {
                let _ = write!(out, "%{:02X}", u32::from(c));
            }
            c if c.is_control() || c.is_whitespace() => {
                let mut buf = [0; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{byte:02X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes text so that Markdown (`CommonMark`, GitHub Flavored Markdown) shows it as it is
/// and nothing in it can become markup, a link, an image, raw HTML or a table cell break.
///
/// Line breaks become spaces, so text always stays inside the paragraph, list item or
/// table cell the template puts it in. `&`, `<` and `>` become entities, which stops raw
/// HTML and autolinks; the other punctuation that can start markup gets a backslash, as do
/// the `:` of `scheme://` and the `.` of `www.` (which GitHub Flavored Markdown would
/// otherwise make into links); and characters that start a block (`-`, `+`, `=`, `1.`) are
/// escaped at the start of the text. The `@` of an e-mail address is escaped too: GitHub
/// Flavored Markdown links an address only when it stands in one piece of text, and an
/// escape splits it.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut prev_cr = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // GitHub Flavored Markdown turns `scheme://...` and `www....` into links on
            // its own; an escaped `:` or `.` stops it.
            ':' if chars.clone().take(2).eq("//".chars()) => out.push_str("\\:"),
            '.' if out.len() >= 3
                && out[out.len() - 3..].eq_ignore_ascii_case("www")
                && !out[..out.len() - 3]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric) =>
            {
                out.push_str("\\.");
            }
            '\n' if prev_cr => {}
            '\r' | '\n' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '$' | '{' | '}' | '@' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        prev_cr = c == '\r';
    }
    // Block markers only matter where a line starts, that is at the start of the text:
    // `-`/`+` followed by a space (list item), a line of only `-`/`=` (rule or setext
    // underline), and digits followed by `.`/`)` and a space (numbered list).
    let spaced_after = |i: usize| out[i..].chars().nth(1).is_none_or(char::is_whitespace);
    if (out.starts_with(['-', '+']) && spaced_after(0))
        || (!out.is_empty() && out.chars().all(|c| matches!(c, '-' | '=' | ' ')))
    {
        out.insert(0, '\\');
    } else if let Some(i) = out.find(|c: char| !c.is_ascii_digit())
        && i > 0
        && matches!(out.as_bytes()[i], b'.' | b')')
        && spaced_after(i)
    {
        out.insert(i, '\\');
    }
    out
}

/// A Markdown code span showing `text` as it is, or `None` where one cannot: empty text,
/// a line break (a span would end the table cell or list item), a `|` (a table would cut
/// the cell there) or a backtick.
pub fn markdown_code(text: &str) -> Option<String> {
    let plain = !text.trim().is_empty() && !text.contains(['|', '\n', '\r', '`']);
    plain.then(|| format!("`{text}`"))
}

/// Escapes the message of a GitHub Actions workflow command, as GitHub's own toolkit
/// does: `%`, carriage return and line feed become `%25`, `%0D`, `%0A`.
pub fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property (`file=`, `title=`) of a workflow command: as [`github_data`], and
/// `:` and `,`, which end a property, become `%3A` and `%2C`.
pub fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2f;"),
            c => out.push(c),
        }
    }
    out
}

/// The heading of a group of findings of one severity, in the terminal.
pub fn severity_heading(s: Severity) -> &'static str {
    match s {
        Severity::Blocker => "Red lines (blocker)",
        Severity::High => "High severity",
        Severity::Medium => "Medium severity",
        Severity::Low => "Low severity",
        Severity::Info => "For information",
    }
}

/// Outcome in the terminal's findings table: what needs action in capitals.
pub fn outcome_cell(o: Outcome) -> &'static str {
    match o {
        Outcome::Gap => "GAP",
        Outcome::Unknown => "UNKNOWN",
        Outcome::NotAsked => "NOT ASKED",
        Outcome::Pass => "pass",
        Outcome::NotApplicable => "n/a",
        Outcome::Waived => "WAIVED",
    }
}

/// What a factor of the impact level adds: its score, the level it sets at least, or
/// both (`+3, at least III`), the same in every format.
pub fn factor_weight(score: Option<u32>, floor: Option<Level>) -> String {
    match (score, floor) {
        (Some(score), Some(floor)) => format!("+{score}, at least {floor}"),
        (None, Some(floor)) => format!("at least {floor}"),
        (Some(score), None) => score.to_string(),
        (None, None) => String::new(),
    }
}

pub use crate::text::count;

/// The fragment id of a rule inside a report.
pub fn anchor(rule_id: &str) -> String {
    let mut out = String::from("rule-");
    out.extend(rule_id.chars().map(|c| {
        if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '-'
        }
    }));
    out
}

/// `welfare-and-social-services` → `Welfare and social services`.
pub fn humanize(slug: &str) -> String {
    let spaced = clean(slug).replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `12345` → `12,345`.
pub fn thousands(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_markdown as e;
    use super::*;

    #[test]
    fn uri_paths_encode_reserved_characters_and_whitespace_as_utf8_bytes() {
        assert_eq!(uri_path("my dir\\a#b?.yaml"), "my%20dir/a%23b%3F.yaml");
        assert_eq!(uri_path("100%.yaml"), "100%25.yaml");
        assert_eq!(uri_path("a\u{a0}b\tc.yaml"), "a%C2%A0b%09c.yaml");
        assert_eq!(uri_path("répertoire/x.yaml"), "répertoire/x.yaml");
    }

    #[test]
    fn formulas_become_text() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+cmd"), "'+cmd");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(1)"), "'@SUM(1)");
        assert_eq!(csv_cell("\tx"), "'\\u{0009}x");
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a=b"), "a=b");
    }

    #[test]
    fn only_what_needs_it_is_escaped() {
        assert_eq!(clean("plain text\nsecond line"), "plain text\nsecond line");
        assert_eq!(clean("é and ü"), "é and ü");
        assert_eq!(clean("a\u{1b}[31mb"), "a\\u{001b}[31mb");
        assert_eq!(clean("x\u{202e}y\u{85}z"), "x\\u{202e}y\\u{0085}z");
        assert_eq!(clean("\u{fffe}"), "\\u{fffe}");
        assert_eq!(sanitize_line("a\nb"), "a\\u{000a}b");
    }

    #[test]
    fn code_spans_only_where_they_show_the_text_as_it_is() {
        assert_eq!(markdown_code("a.b_c").as_deref(), Some("`a.b_c`"));
        assert_eq!(markdown_code("<b>").as_deref(), Some("`<b>`"));
        assert_eq!(markdown_code("a|b"), None);
        assert_eq!(markdown_code("a\nb"), None);
        assert_eq!(markdown_code(" "), None);
    }

    #[test]
    fn workflow_commands_escape_what_ends_them() {
        assert_eq!(github_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(github_property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn labels_agree_and_count_in_words() {
        assert_eq!(factor_weight(None, Some(Level::III)), "at least III");
        assert_eq!(factor_weight(Some(3), Some(Level::III)), "+3, at least III");
        assert_eq!(factor_weight(Some(2), None), "2");
        assert_eq!(count(1, "rule", "rules"), "1 rule");
        assert_eq!(count(0, "rule", "rules"), "0 rules");
        assert_eq!(thousands(1_234_567_u32), "1,234,567");
    }

    #[test]
    fn markup_is_shown_not_interpreted() {
        assert_eq!(
            e("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            e("[click me](javascript:alert(1))"),
            "\\[click me\\](javascript:alert(1))"
        );
        assert_eq!(
            e("![x](http://t.example/p.png)"),
            "!\\[x\\](http\\://t.example/p.png)"
        );
        assert_eq!(e("| a | b |"), "\\| a \\| b \\|");
        assert_eq!(
            e("**bold** _it_ `code`"),
            "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"
        );
        assert_eq!(e("&lt;"), "&amp;lt;");
        assert_eq!(e("line\r\n# heading"), "line \\# heading");
        assert_eq!(
            e("<https://evil.example>"),
            "&lt;https\\://evil.example&gt;"
        );
        assert_eq!(e("see http://a.example"), "see http\\://a.example");
        assert_eq!(e("www.a.example and WWW.b"), "www\\.a.example and WWW\\.b");
        assert_eq!(e("awww.a"), "awww.a");
        assert_eq!(e("note: x"), "note: x");
    }

    #[test]
    fn block_markers_at_the_start_are_escaped() {
        assert_eq!(e("- item"), "\\- item");
        assert_eq!(e("+ cmd"), "\\+ cmd");
        assert_eq!(e("+2"), "+2");
        assert_eq!(e("=1+1"), "=1+1");
        assert_eq!(e("---"), "\\---");
        assert_eq!(e("==="), "\\===");
        assert_eq!(e("1. first"), "1\\. first");
        assert_eq!(e("12) x"), "12\\) x");
        assert_eq!(e("2.1"), "2.1");
        assert_eq!(e("3."), "3\\.");
        assert_eq!(e("2026-06-30"), "2026-06-30");
        assert_eq!(e("a - b"), "a - b");
        assert_eq!(e(""), "");
    }
}
