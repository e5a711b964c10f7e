//! The gap report as Markdown, rendered from `templates/report.md.j2` (or `--template`).

use super::templating::{self, Flavor};
use super::view::ReportView;
use super::{RenderOptions, Renderer};
use crate::assessment::Assessment;

/// The built-in template.
pub const TEMPLATE: &str = include_str!("../../templates/report.md.j2");

/// The Markdown report.
pub struct Markdown;

impl Renderer for Markdown {
    fn render(&self, a: &Assessment, options: &RenderOptions<'_>) -> anyhow::Result<String> {
        let view = ReportView::new(a, options)?;
        templating::render(
            Flavor::Markdown,
            "report.md.j2",
            TEMPLATE,
            options.template,
            &view,
            1,
        )
    }
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

#[cfg(test)]
mod tests {
    use super::escape_markdown as e;

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
