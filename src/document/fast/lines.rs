//! The quickest way to read a descriptor: line by line, for documents written in the plain
//! block style that the examples, `init` and every importer write.
//!
//! A descriptor is a mapping of simple keys, each on its own line, whose values are
//! one-line scalars, lists introduced with `- `, nested mappings, lists of words in
//! brackets, or text over several lines in a `>` or `|` block. For such a document this
//! reader gives the builder exactly the events, with the same positions, that
//! granit-parser gives, at a fraction of the cost of a general YAML scanner. Anything
//! else it declines, and the document goes to the parser: keys that are not plain words,
//! flow collections other than lists of words, quoted scalars over several lines or with
//! an escape other than `\\`, `\"`, `\/`, `\n` and `\t`, plain scalars over several
//! lines, block scalars with an indentation or chomping indicator (but `-`) or with lines
//! indented further, anchors, aliases, tags, directives, document markers, tabs, carriage
//! returns, byte order marks and any character YAML does not allow.
//!
//! The tests of the parent module read documents both ways and compare them with
//! serde-saphyr: every document of the repository, the import fixtures, which must be
//! read line by line, tricky scalars and random YAML.

use std::borrow::Cow;

use granit_parser::ScalarStyle;
use serde_json::Map;

use super::{Builder, Frame, MAX_EVENTS, MAX_SCALAR_BYTES};
use crate::document::Position;

/// One line of the text: its number (from 1), its indentation in spaces, and the whole
/// line without its line break.
#[derive(Clone, Copy)]
struct Line<'a> {
    number: u32,
    indent: usize,
    text: &'a str,
}

impl Line<'_> {
    /// Blank, or a comment alone.
    fn is_filler(&self) -> bool {
        let rest = &self.text[self.indent..];
        rest.is_empty() || rest.starts_with('#')
    }

    /// A list item: `-` then a space (or the end of the line).
    fn is_item(&self) -> bool {
        let rest = &self.text[self.indent..];
        rest == "-" || rest.starts_with("- ")
    }

    fn at(&self, column: usize) -> Position {
        Position {
            line: self.number,
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }
}

/// Feeds the events of `text` to `builder`; `None` if the document is declined (the
/// builder may then hold part of it and is dropped).
pub(super) fn walk<'a>(text: &'a str, builder: &mut Builder<'a>) -> Option<()> {
    // Most descriptors are printable ASCII, which one pass over the bytes, without early
    // exit so that it runs many bytes at a time, finds; the others are read by character.
    let other = text.bytes().fold(0u8, |other, b| {
        other | u8::from(b < b' ' && b != b'\n') | u8::from(b > b'~')
    }) != 0;
    if other && !text.chars().all(allowed) {
        return None;
    }
    let mut lines = Vec::with_capacity(text.len() / 24);
    for (i, line) in text.split_terminator('\n').enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        lines.push(Line {
            number: u32::try_from(i + 1).ok()?,
            indent,
            text: line,
        });
    }
    let mut reader = Reader {
        lines,
        next: 0,
        events: 0,
        scalar_bytes: 0,
        builder,
    };
    reader.skip_filler();
    let first = reader.current()?;
    // A document marker, a directive, or anything but a mapping at the top: the parser's.
    if first.indent != 0 || first.text.starts_with(['-', '%', '.']) {
        return None;
    }
    reader.mapping(0, 0)?;
    reader.skip_filler();
    reader.current().is_none().then_some(())
}

/// Characters the line reader takes as they are: printable, and no tab, carriage return,
/// byte order mark or Unicode line or paragraph separator.
fn allowed(c: char) -> bool {
    matches!(c,
        '\n' | ' '..='~' | '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}'
        | '\u{e000}'..='\u{fefe}' | '\u{ff00}'..='\u{fffd}' | '\u{10000}'..)
}

struct Reader<'a, 'b> {
    lines: Vec<Line<'a>>,
    /// The next line to read.
    next: usize,
    events: usize,
    scalar_bytes: usize,
    builder: &'b mut Builder<'a>,
}

impl<'a> Reader<'a, '_> {
    fn current(&self) -> Option<Line<'a>> {
        self.lines.get(self.next).copied()
    }

    fn skip_filler(&mut self) {
        while self.current().is_some_and(|l| l.is_filler()) {
            self.next += 1;
        }
    }

    /// Counts an event against the budget the parser's path keeps.
    fn event(&mut self) -> Option<()> {
        self.events += 1;
        (self.events <= MAX_EVENTS).then_some(())
    }

    fn scalar(&mut self, text: Cow<'a, str>, style: ScalarStyle, at: Position) -> Option<()> {
        self.event()?;
        self.scalar_bytes += text.len();
        if self.scalar_bytes > MAX_SCALAR_BYTES {
            return None;
        }
        self.builder.scalar(text, style, at)
    }

    fn start_mapping(&mut self, at: Position) -> Option<()> {
        self.event()?;
        self.builder.start(Frame::Map(Map::new(), None), at)
    }

    fn start_list(&mut self, at: Position) -> Option<()> {
        self.event()?;
        self.builder.start(Frame::Seq(Vec::new(), 0), at)
    }

    fn end(&mut self) -> Option<()> {
        self.event()?;
        self.builder.end()
    }

    /// A block mapping whose keys sit at column `indent`; its first key starts at `from`
    /// on the current line (further right than `indent` for a mapping opened by `- `).
    fn mapping(&mut self, indent: usize, from: usize) -> Option<()> {
        let first = self.current()?;
        self.start_mapping(first.at(from))?;
        let mut column = from;
        loop {
            let line = self.current()?;
            let (key, after) = key(&line.text[column..])?;
            let colon = column + key.len();
            self.scalar(Cow::Borrowed(key), ScalarStyle::Plain, line.at(column))?;
            let value = after.trim_start_matches(' ');
            let value_column = line.text.len() - value.len();
            // Nothing after the colon but perhaps a comment: the value is on the lines below.
            if value.is_empty() || value.starts_with('#') {
                self.next += 1;
                self.block_value(line, indent, colon)?;
            } else {
                self.inline_value(line, value, value_column, indent)?;
            }
            self.skip_filler();
            match self.current() {
                Some(next) if next.indent == indent && !next.is_item() => column = indent,
                Some(next) if next.indent > indent => return None,
                _ => break,
            }
        }
        self.end()
    }

    /// The value of a key with nothing after its colon: what the following lines hold, or
    /// null. `colon` is the column of the colon, where the parser places the null.
    fn block_value(&mut self, key_line: Line<'a>, indent: usize, colon: usize) -> Option<()> {
        self.skip_filler();
        match self.current() {
            Some(next) if next.indent > indent && next.is_item() => self.list(next.indent, false),
            // A list at the key's own indentation belongs to the key.
            Some(next) if next.indent == indent && next.is_item() => self.list(indent, true),
            Some(next) if next.indent > indent => self.mapping(next.indent, next.indent),
            _ => self.scalar(Cow::Borrowed("~"), ScalarStyle::Plain, key_line.at(colon)),
        }
    }

    /// A block list whose `-` sit at column `indent`. The parser places a list at its
    /// first `-`, or at its first item when the list sits at its key's indentation.
    fn list(&mut self, indent: usize, at_key_indent: bool) -> Option<()> {
        let mut first = true;
        while let Some(line) = self.current() {
            if line.indent != indent || !line.is_item() {
                break;
            }
            let item = line.text[indent + 1..].trim_start_matches(' ');
            let column = line.text.len() - item.len();
            if item.is_empty() || item.starts_with(['-', '#']) {
                return None;
            }
            if first {
                self.start_list(line.at(if at_key_indent { column } else { indent }))?;
                first = false;
            }
            if key(item).is_some() {
                self.mapping(column, column)?;
            } else {
                self.inline_value(line, item, column, indent)?;
            }
            self.skip_filler();
            if self.current().is_some_and(|next| next.indent > indent) {
                return None;
            }
        }
        self.end()
    }

    /// A value that starts on the line of its key or `-`, at `column`; the lines it may
    /// not continue onto are those indented more than `indent`.
    fn inline_value(
        &mut self,
        line: Line<'a>,
        value: &'a str,
        column: usize,
        indent: usize,
    ) -> Option<()> {
        let at = line.at(column);
        self.next += 1;
        match value.as_bytes()[0] {
            b'"' => {
                let (inner, rest) = double_quoted(&value[1..])?;
                if !is_end(rest) {
                    return None;
                }
                self.scalar(inner, ScalarStyle::DoubleQuoted, at)
            }
            b'\'' => {
                let (inner, rest) = single_quoted(&value[1..])?;
                if !is_end(rest) {
                    return None;
                }
                self.scalar(inner, ScalarStyle::SingleQuoted, at)
            }
            b'{' => {
                let (pair, rest) = value.split_at_checked(2)?;
                if pair != "{}" || !is_end(rest) {
                    return None;
                }
                self.start_mapping(at)?;
                self.end()
            }
            b'[' => self.flow_list(line, value, column),
            b'>' | b'|' => {
                let (folded, clip) = match value.trim_end_matches(' ') {
                    ">-" => (true, false),
                    ">" => (true, true),
                    "|-" => (false, false),
                    "|" => (false, true),
                    _ => return None,
                };
                self.block_scalar(folded, clip, indent)
            }
            b'-' if value.as_bytes().get(1).is_none_or(|b| !b.is_ascii_digit()) => None,
            b'?' | b':' | b',' | b']' | b'}' | b'#' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' => {
                None
            }
            _ => self.scalar(Cow::Borrowed(plain(value)?), ScalarStyle::Plain, at),
        }
    }

    /// A list of words on one line, `[a, b-c, 1]`, at `column`: items of letters,
    /// digits, `_`, `-` and `.` only, between single commas.
    fn flow_list(&mut self, line: Line<'a>, value: &'a str, column: usize) -> Option<()> {
        let (inner, rest) = value[1..].split_once(']')?;
        if !is_end(rest) {
            return None;
        }
        self.start_list(line.at(column))?;
        if !inner.trim_matches(' ').is_empty() {
            let mut start = column + 1;
            for item in inner.split(',') {
                let word = item.trim_start_matches(' ');
                let word_column = start + item.len() - word.len();
                let word = word.trim_end_matches(' ');
                let word_byte =
                    |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
                if word.is_empty() || !word.bytes().all(word_byte) || word.starts_with('-') {
                    return None;
                }
                self.scalar(
                    Cow::Borrowed(word),
                    ScalarStyle::Plain,
                    line.at(word_column),
                )?;
                start += item.len() + 1;
            }
        }
        self.end()
    }

    /// The lines of a block scalar, `>` (folded) or `|` (literal), clipped (one final line
    /// break kept) or stripped (`-`, none kept): all at one indentation deeper than
    /// `indent`, perhaps with empty lines between them, but with no line indented
    /// further and no line of spaces alone.
    fn block_scalar(&mut self, folded: bool, clip: bool, indent: usize) -> Option<()> {
        let first = self.current()?;
        let content = first.indent;
        if content <= indent || first.is_filler() {
            return None;
        }
        let mut text = String::new();
        // Empty lines seen since the last line of text.
        let mut empty = 0;
        while let Some(line) = self.current() {
            if line.text.is_empty() {
                empty += 1;
                self.next += 1;
                continue;
            }
            // A less indented line ends it.
            if line.indent < content {
                break;
            }
            let body = &line.text[content..];
            if line.indent != content || body.is_empty() {
                return None;
            }
            if !text.is_empty() {
                match (folded, empty) {
                    (true, 0) => text.push(' '),
                    (true, n) => text.extend(std::iter::repeat_n('\n', n)),
                    (false, n) => text.extend(std::iter::repeat_n('\n', n + 1)),
                }
            }
            empty = 0;
            text.push_str(body);
            self.next += 1;
        }
        // Empty lines at its end belong to no one; what follows must not be more of it.
        self.skip_filler();
        if self.current().is_some_and(|l| l.indent > indent) {
            return None;
        }
        if clip {
            text.push('\n');
        }
        let style = if folded {
            ScalarStyle::Folded
        } else {
            ScalarStyle::Literal
        };
        self.scalar(Cow::Owned(text), style, first.at(content))
    }
}

/// The key a mapping line starts with: a plain word (letters, digits and `_`), then `:`
/// and a space or the end of the line; with what follows the colon.
fn key(text: &str) -> Option<(&str, &str)> {
    let length = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let after = text[length..].strip_prefix(':')?;
    (length > 0 && (after.is_empty() || after.starts_with(' '))).then(|| (&text[..length], after))
}

/// A plain scalar on one line: up to a comment (` #`), without trailing spaces; `None`
/// if a `: ` or a final `:` would make it a mapping.
fn plain(value: &str) -> Option<&str> {
    let bytes = value.as_bytes();
    let mut end = bytes.len();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'#' if i > 0 && bytes[i - 1] == b' ' => {
                end = i;
                break;
            }
            b':' if bytes.get(i + 1).is_none_or(|next| *next == b' ') => return None,
            _ => {}
        }
    }
    Some(value[..end].trim_end_matches(' '))
}

/// Nothing after a closed quote but spaces, and a comment after at least one of them.
fn is_end(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

/// The text of a double-quoted scalar closed on its line, and what follows it. Only the
/// escapes `\\`, `\"`, `\/`, `\n` and `\t` are read here; any other is left to the parser.
fn double_quoted(after_quote: &str) -> Option<(Cow<'_, str>, &str)> {
    let close = after_quote.find(['"', '\\'])?;
    if after_quote.as_bytes()[close] == b'"' {
        return Some((
            Cow::Borrowed(&after_quote[..close]),
            &after_quote[close + 1..],
        ));
    }
    let mut text = String::from(&after_quote[..close]);
    let mut chars = after_quote[close..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(text), &after_quote[close + i + 1..])),
            '\\' => text.push(match chars.next()?.1 {
                c @ ('\\' | '"' | '/') => c,
                'n' => '\n',
                't' => '\t',
                _ => return None,
            }),
            c => text.push(c),
        }
    }
    None
}

/// The text of a single-quoted scalar (`''` is one quote) and what follows it.
fn single_quoted(after_quote: &str) -> Option<(Cow<'_, str>, &str)> {
    let mut end = 0;
    let bytes = after_quote.as_bytes();
    loop {
        let close = end + after_quote[end..].find('\'')?;
        if bytes.get(close + 1) == Some(&b'\'') {
            end = close + 2;
            continue;
        }
        let inner = &after_quote[..close];
        let text = if inner.contains("''") {
            Cow::Owned(inner.replace("''", "'"))
        } else {
            Cow::Borrowed(inner)
        };
        return Some((text, &after_quote[close + 1..]));
    }
}
