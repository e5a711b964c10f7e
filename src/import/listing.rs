//! The register mappings described for people: `registers list`, `registers show`, and
//! the notes an import prints about answers its mapping does not know.

use std::fmt::Write as _;

use super::Imported;
use super::mapping::{BUILT_IN, FileFormat, Mapping};

/// How many unknown answers an import names before counting the rest.
const NOTES_SHOWN: usize = 12;

/// One block per mapping: what it reads, and each field with its column.
pub fn list(mappings: &[Mapping]) -> String {
    let mut out = String::new();
    for m in mappings {
        let _ = writeln!(out, "{}  {}", m.id, m.title);
        let _ = writeln!(out, "  recognised by: {}", shape(m));
        if let Some(reason) = &m.refuse {
            let _ = writeln!(out, "  not imported: {}", one_line(reason));
            out.push('\n');
            continue;
        }
        for c in &m.constants {
            let _ = writeln!(out, "  {:<46} = {}  ({})", c.field, c.value, c.because);
        }
        for f in &m.fields {
            let how = if f.text {
                "as written".to_string()
            } else {
                let unread = f.unread.len();
                format!(
                    "{} {} read, {} left unread",
                    f.answers.len(),
                    plural(f.answers.len(), "answer", "answers"),
                    unread
                )
            };
            let _ = writeln!(out, "  {:<46} <- {}  ({how})", f.field, short(&f.from));
        }
        for mention in &m.mentions {
            let _ = writeln!(
                out,
                "  {:<46} <- words in {}",
                mention.asks.join(", "),
                mention.from.join(", ")
            );
        }
        let _ = writeln!(out, "  every other question: not asked by this register\n");
    }
    out.push_str(
        "`rightscheck registers show ID` shows every answer a mapping reads and why; \
         `import FILE --mapping FILE` reads a register with a mapping of your own.\n",
    );
    out
}

/// One mapping in full.
pub fn show(m: &Mapping) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}\n", m.id, m.title);
    if !m.about.trim().is_empty() {
        let _ = writeln!(out, "{}\n", m.about.trim());
    }
    let _ = writeln!(out, "Recognised by: {}", shape(m));
    let _ = writeln!(out, "Written as: source.register = {}", m.register);
    if let Some(reason) = &m.refuse {
        let _ = writeln!(out, "Not imported: {}", one_line(reason));
        return out;
    }
    out.push('\n');
    for c in &m.constants {
        let _ = writeln!(
            out,
            "{} = {}\n  every record: {}\n",
            c.field, c.value, c.because
        );
    }
    for f in &m.fields {
        let _ = writeln!(out, "{} <- {}", f.field, f.from);
        if let Some(note) = &f.note {
            let _ = writeln!(out, "  {}", one_line(note));
        }
        if f.text {
            out.push_str("  read as written\n");
        }
        for (answer, value) in &f.answers {
            let _ = writeln!(out, "  \"{answer}\" -> {value}");
        }
        for (answer, reason) in &f.unread {
            let answer = if answer == "*" {
                "any other answer".to_string()
            } else {
                format!("\"{answer}\"")
            };
            let _ = writeln!(out, "  {answer}: not read, {}", one_line(reason));
        }
        if let Some(e) = &f.explanation {
            let e = if e == "next" { "the next column" } else { e };
            let _ = writeln!(out, "  explained by: {e}");
        }
        for c in &f.asked_if {
            let _ = writeln!(
                out,
                "  asked only when {} is {}",
                c.from,
                c.answer_in.join(" or ")
            );
        }
        out.push('\n');
    }
    for mention in &m.mentions {
        let _ = writeln!(
            out,
            "{} <- the words {} in {}\n  {}\n",
            mention.asks.join(", "),
            mention.words.join(", "),
            mention.from.join(", "),
            one_line(&mention.note)
        );
    }
    if !m.unread_columns.is_empty() {
        out.push_str("Columns not read:\n");
        for (column, reason) in &m.unread_columns {
            let _ = writeln!(out, "  {column}: {}", one_line(reason));
        }
    }
    out
}

/// The mapping file as written (a built-in one, or the file given).
pub fn source_text(m: &Mapping) -> String {
    BUILT_IN
        .iter()
        .find(|(file, _)| *file == m.origin)
        .map(|(_, text)| (*text).to_string())
        .or_else(|| std::fs::read_to_string(&m.origin).ok())
        .unwrap_or_default()
}

/// What the import prints about answers and columns its mapping does not know.
pub fn unknown_notes(imported: &Imported) -> Vec<String> {
    let mut notes = Vec::new();
    let unknown = &imported.read.unknown_answers;
    if !unknown.is_empty() {
        let total: usize = unknown.values().sum();
        notes.push(format!(
            "note: {total} {} in {} distinct {} not in the mapping's tables: kept verbatim, the field left unknown",
            plural(total, "answer", "answers"),
            unknown.len(),
            plural(unknown.len(), "wording is", "wordings are"),
        ));
        for (answer, count) in unknown.iter().take(NOTES_SHOWN) {
            notes.push(format!(
                "  {}: \"{}\" ({count})",
                short(&answer.column),
                short(&answer.answer)
            ));
        }
        if unknown.len() > NOTES_SHOWN {
            notes.push(format!("  and {} more", unknown.len() - NOTES_SHOWN));
        }
    }
    let columns = &imported.read.unknown_columns;
    if !columns.is_empty() {
        notes.push(format!(
            "note: {} {} neither read nor listed as unread by the mapping: {}",
            columns.len(),
            plural(columns.len(), "column is", "columns are"),
            columns
                .iter()
                .take(NOTES_SHOWN)
                .map(|c| format!("`{}`", short(c)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes
}

fn shape(m: &Mapping) -> String {
    let columns: Vec<String> = m.detect.iter().map(|d| format!("`{d}`")).collect();
    match (m.format, &m.records) {
        (FileFormat::Csv, _) => format!("a CSV file with the columns {}", columns.join(", ")),
        (FileFormat::Json, None) => format!("a JSON list of records with {}", columns.join(", ")),
        (FileFormat::Json, Some(w)) => format!(
            "a JSON object with records under `{w}`, with {}",
            columns.join(", ")
        ),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn short(text: &str) -> String {
    let text = one_line(text);
    if text.chars().count() > 70 {
        let cut: String = text.chars().take(67).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
