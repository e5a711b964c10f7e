//! The minijinja environment shared by the human formats: auto-escaping that is always on
//! (HTML rules for the HTML report, Markdown rules for the Markdown one, whatever the
//! template's file name), strict undefined variables, and the few filters the templates use.

use std::borrow::Cow;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State, UndefinedBehavior};

use super::error::RenderError;
use super::labels::{count, escape_html, escape_markdown, markdown_code};
use super::view::safe_href;

/// The work a report template may do for one system, in minijinja's fuel: about one unit
/// per instruction and per 64 bytes of data made, so it bounds both the time a render
/// takes and the memory it allocates (a loop that never ends, a string doubled until
/// memory runs out: at most about 128 MB). The built-in report of one system needs under
/// 50,000.
pub const TEMPLATE_FUEL: u64 = 2_000_000;

/// The fuel added per system of a portfolio: the built-in portfolio templates need about
/// 600 per system.
pub const TEMPLATE_FUEL_PER_SYSTEM: u64 = 2_000;

/// The largest report a template may write, in bytes.
pub const MAX_TEMPLATE_OUTPUT_BYTES: usize = 256 * 1024 * 1024;

/// Which escaping a template gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// HTML: `< > & " ' /` become entities.
    Html,
    /// Markdown: see [`escape_markdown`].
    Markdown,
}

const MARKDOWN: &str = "markdown";

fn is_markdown(auto_escape: &AutoEscape) -> bool {
    matches!(auto_escape, AutoEscape::Custom(name) if name == MARKDOWN)
}

impl Flavor {
    fn auto_escape(self) -> AutoEscape {
        match self {
            Flavor::Html => AutoEscape::Html,
            Flavor::Markdown => AutoEscape::Custom(Cow::Borrowed(MARKDOWN)),
        }
    }
}

/// The text of a value as the templates see it: strings as they are, nothing for none.
fn text_of(value: &Value) -> String {
    if value.is_none() || value.is_undefined() {
        String::new()
    } else if let Some(s) = value.as_str() {
        s.to_string()
    } else {
        value.to_string()
    }
}

/// `code`: text in which engine messages mark names and values with backticks. HTML
/// shows those spans as `<code>`, Markdown as code spans; everything else is escaped, so
/// a backtick in a value can only misplace a span, never inject markup. Unbalanced
/// backticks leave the whole text escaped as it is.
fn code_filter(state: &State, value: &Value) -> Value {
    let text = text_of(value);
    match state.auto_escape() {
        AutoEscape::Html => Value::from_safe_string(code_spans(&text, escape_html, |p| {
            Some(format!("<code>{}</code>", escape_html(p)))
        })),
        ae if is_markdown(ae) => {
            Value::from_safe_string(code_spans(&text, escape_markdown, markdown_code))
        }
        _ => Value::from(text),
    }
}

/// The text with every span between backticks written by `code` (or, where it declines,
/// by `plain` with its backticks), and everything else by `plain`.
fn code_spans(
    text: &str,
    plain: fn(&str) -> String,
    code: impl Fn(&str) -> Option<String>,
) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return plain(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 0 {
            out.push_str(&plain(part));
        } else if let Some(span) = code(part) {
            out.push_str(&span);
        } else {
            out.push_str(&plain(&format!("`{part}`")));
        }
    }
    out
}

/// `link`: a web address as a link, only if it is a plain `http(s)` address ([`safe_href`]);
/// anything else stays text.
fn link_filter(state: &State, value: &Value) -> Value {
    let text = text_of(value);
    let Some(href) = safe_href(&text) else {
        return if is_markdown(state.auto_escape()) {
            Value::from_safe_string(escape_markdown(&text))
        } else {
            Value::from(text)
        };
    };
    if is_markdown(state.auto_escape()) {
        // An autolink: its text is the address itself, and nothing inside is interpreted.
        Value::from_safe_string(format!("<{href}>"))
    } else {
        let escaped = escape_html(&href);
        Value::from_safe_string(format!(
            "<a href=\"{escaped}\" rel=\"noopener noreferrer\">{escaped}</a>"
        ))
    }
}

fn environment(flavor: Flavor, fuel: u64) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(fuel));
    env.set_auto_escape_callback(move |_| flavor.auto_escape());
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Markdown is whitespace-sensitive: block tags on their own lines leave no blank
    // lines behind. HTML is not, and keeps the template's layout.
    let markdown = flavor == Flavor::Markdown;
    if let Ok(syntax) = SyntaxConfig::builder()
        .trim_blocks(markdown)
        .lstrip_blocks(markdown)
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.set_formatter(|out, state, value| {
        if is_markdown(state.auto_escape()) {
            let text = if value.is_safe() {
                text_of(value)
            } else {
                escape_markdown(&text_of(value))
            };
            out.write_str(&text)
                .map_err(|e| Error::new(ErrorKind::WriteFailure, e.to_string()))
        } else if value.is_none() {
            Ok(())
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env.add_filter("code", code_filter);
    env.add_filter("link", link_filter);
    env.add_function("count", count_function);
    env
}

/// `count(n, "rule", "rules")`: a count and its noun, singular or plural ([`count`]).
fn count_function(n: usize, singular: &str, plural: &str) -> String {
    count(n, singular, plural)
}

/// The fuel of a report of `systems` systems.
pub fn fuel_for(systems: usize) -> u64 {
    let extra = u64::try_from(systems.saturating_sub(1)).unwrap_or(u64::MAX);
    TEMPLATE_FUEL.saturating_add(TEMPLATE_FUEL_PER_SYSTEM.saturating_mul(extra))
}

/// Renders a report template over a context (a `ReportView`, or the portfolio's view of
/// `systems` systems), within [`fuel_for`] that many systems, straight to `out`: a
/// portfolio's report is never held in memory whole.
pub(crate) fn render_to(
    flavor: Flavor,
    name: &'static str,
    builtin: &'static str,
    custom: Option<&str>,
    context: Value,
    systems: usize,
    out: &mut dyn std::io::Write,
) -> Result<(), RenderError> {
    let fuel = fuel_for(systems);
    let mut env = environment(flavor, fuel);
    let source = custom.unwrap_or(builtin).to_string();
    env.add_template_owned(name, source)
        .map_err(|e| RenderError::Template(format!("the report template is not valid: {e:#}")))?;
    let template = env
        .get_template(name)
        .map_err(|e| RenderError::Template(format!("{e:#}")))?;
    let mut capped = Capped {
        out: std::io::BufWriter::new(out),
        written: 0,
        full: false,
        failed: None,
    };
    let rendered = template.render_captured_to(context, &mut capped);
    if let Some(e) = capped.failed.take() {
        return Err(RenderError::Io(e));
    }
    match rendered {
        Ok(_) => {}
        Err(_) if capped.full => {
            return Err(RenderError::Template(format!(
                "the report template writes more than {} MiB: a template that repeats itself?",
                MAX_TEMPLATE_OUTPUT_BYTES / (1024 * 1024)
            )));
        }
        Err(e) if e.kind() == ErrorKind::OutOfFuel => {
            return Err(RenderError::Template(format!(
                "the report template does more work than a report of this size needs (its budget is {fuel} steps): a loop that never ends, or text that keeps growing?"
            )));
        }
        Err(e) => {
            return Err(RenderError::Template(format!(
                "cannot render the report template: {e:#}"
            )));
        }
    }
    std::io::Write::flush(&mut capped.out)?;
    Ok(())
}

/// Writes a single-system report from its template (`--template` replacing `builtin`).
pub(crate) fn write_report(
    flavor: Flavor,
    name: &'static str,
    builtin: &'static str,
    a: &crate::assessment::Assessment,
    opts: &super::RenderOptions<'_>,
    out: &mut dyn std::io::Write,
) -> Result<(), RenderError> {
    let view = super::view::ReportView::new(a, opts)?;
    render_to(
        flavor,
        name,
        builtin,
        opts.template,
        Value::from(Serde(&view)),
        1,
        out,
    )
}

/// The output of a template, refused past [`MAX_TEMPLATE_OUTPUT_BYTES`]; an error of the
/// output itself is kept, so that it is reported as what it is (a closed pipe, a full
/// disk), not as a template error.
struct Capped<W: std::io::Write> {
    out: W,
    written: usize,
    full: bool,
    failed: Option<std::io::Error>,
}

impl<W: std::io::Write> std::io::Write for Capped<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written + buf.len() > MAX_TEMPLATE_OUTPUT_BYTES {
            self.full = true;
            return Err(std::io::Error::other("the report is too large"));
        }
        self.written += buf.len();
        if let Err(e) = self.out.write_all(buf) {
            let kind = e.kind();
            self.failed = Some(e);
            return Err(std::io::Error::from(kind));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
