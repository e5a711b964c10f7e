//! The open questions of an inventory, one CSV file per deploying organisation, to send to
//! it: one row per question and system (a question several rules ask is one row, naming
//! them all), with the fields left blank, the register's own wording where the record has
//! one, the link to the record, how many of the organisation's systems the question
//! concerns, and an empty `answer` column for the organisation to fill in. Rows come by
//! question, most severe first, then the questions that concern the most systems, then
//! by the question's text; within a question, in file order. Only open questions are
//! listed: blank answers to what the source asks. Questions a source never asks are not
//! the organisation's silence, and gaps are not questions.
//!
//! The files are named after the organisation (lowercase ASCII letters and digits, words
//! joined by `-`, accents dropped), with `-2`, `-3`... when two names give the same file
//! name, in the order of the names; `_index.csv` lists them all. The CSV conventions are
//! those of the other CSV reports (byte-order mark, CRLF, formula-safe cells).

use std::collections::BTreeMap;

use serde::Serialize;

use super::view::NO_ORGANISATION;
use crate::assessment::{Assessment, Outcome};
use crate::report::RenderOptions;
use crate::report::csv::BOM;
use crate::report::error::{RenderError, Result};
use crate::report::labels::csv_cell as cell;
use crate::rules::Severity;

/// The name of the file that lists the organisations' files.
pub const INDEX: &str = "_index.csv";

/// One question for one organisation, with every system it concerns.
#[derive(Debug, Default)]
struct Question {
    /// Rule ids it settles, in the order first met.
    rules: Vec<String>,
    /// Rule titles, in the same order.
    titles: Vec<String>,
    /// The most severe severity among them.
    severity: Option<Severity>,
    /// The systems, each once, in file order.
    systems: Vec<Asked>,
}

/// A question put about one system.
#[derive(Debug, Default)]
struct Asked {
    /// Descriptor file.
    file: String,
    /// System name.
    name: String,
    /// Its record in the register.
    record_id: String,
    /// The link to the record.
    link: String,
    /// The fields left blank, each once.
    fields: Vec<String>,
    /// The register's wording for the fields behind the question, each once.
    register: Vec<String>,
}

/// The open questions of every organisation, collected as the systems arrive.
#[derive(Debug, Default)]
pub struct Questions {
    /// Per organisation (`None`: none named), per question text.
    by_organisation: BTreeMap<Option<String>, BTreeMap<String, Question>>,
    /// Systems per organisation, open question or not.
    systems: BTreeMap<Option<String>, u32>,
}

#[derive(Serialize)]
struct Row<'a> {
    question: &'a str,
    severity: &'static str,
    answer_by: &'a str,
    system: String,
    record_id: String,
    record_link: String,
    fields_left_blank: String,
    register_wording: String,
    rule_ids: &'a str,
    rules: &'a str,
    systems_asked: usize,
    descriptor_file: String,
    organisation: &'a str,
    answer: &'static str,
}

/// The header of an organisation's file, for a file with no row.
const HEADER: [&str; 14] = [
    "question",
    "severity",
    "answer_by",
    "system",
    "record_id",
    "record_link",
    "fields_left_blank",
    "register_wording",
    "rule_ids",
    "rules",
    "systems_asked",
    "descriptor_file",
    "organisation",
    "answer",
];

#[derive(Serialize)]
struct IndexRow<'a> {
    organisation: &'a str,
    file: &'a str,
    systems: u32,
    questions: usize,
    question_rows: usize,
}

impl Questions {
    /// Takes the open questions of one assessed system.
    pub fn add(&mut self, a: &Assessment) {
        let organisation = a
            .descriptor
            .brief
            .deployer
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string);
        *self.systems.entry(organisation.clone()).or_default() += 1;
        let source = a.descriptor.source.as_ref();
        let questions = self.by_organisation.entry(organisation).or_default();
        for f in a.findings.iter().filter(|f| f.outcome == Outcome::Unknown) {
            let text = f.question.as_deref().unwrap_or(&f.title).trim().to_string();
            let q = questions.entry(text).or_default();
            if !q.rules.iter().any(|r| **r == *f.rule_id) {
                q.rules.push(f.rule_id.to_string());
                q.titles.push(f.title.to_string());
            }
            q.severity = q.severity.max(Some(f.severity));
            // Systems arrive one at a time: this system's row is the last, if there is one.
            if q.systems.last().is_none_or(|s| s.file != a.descriptor.file) {
                q.systems.push(Asked {
                    file: a.descriptor.file.clone(),
                    name: a.descriptor.system_name.clone(),
                    record_id: source.and_then(|s| s.record_id.clone()).unwrap_or_default(),
                    link: source.and_then(|s| s.url.clone()).unwrap_or_default(),
                    ..Asked::default()
                });
            }
            let Some(asked) = q.systems.last_mut() else {
                continue;
            };
            for o in f
                .observations
                .iter()
                .filter(|o| o.value.is_none() && !o.not_asked)
            {
                if !asked.fields.iter().any(|x| **x == *o.field) {
                    asked.fields.push(o.field.to_string());
                }
            }
            for r in crate::report::view::register_answers(a, f) {
                let wording = format!("{}: \u{201c}{}\u{201d}", r.question, r.answer);
                if !asked.register.contains(&wording) {
                    asked.register.push(wording);
                }
            }
        }
    }

    /// The file of each organisation, in the order of their names (the systems that name
    /// none last): (organisation as shown, file name, CSV text).
    pub fn files(
        &self,
        as_of: &str,
        options: &RenderOptions<'_>,
    ) -> Result<Vec<(String, String, String)>> {
        let mut used = std::collections::HashSet::new();
        let mut out = Vec::new();
        let mut named: Vec<(&Option<String>, &u32)> = self.systems.iter().collect();
        // Named organisations first, by name; then the systems that name none.
        named.sort_by(|(a, _), (b, _)| a.is_none().cmp(&b.is_none()).then(a.cmp(b)));
        for (organisation, _) in named {
            let shown = organisation.as_deref().unwrap_or(NO_ORGANISATION);
            let stem = slug(organisation.as_deref().unwrap_or("no organisation named"));
            let mut name = format!("{stem}.csv");
            let mut n = 1;
            while !used.insert(name.clone()) {
                n += 1;
                name = format!("{stem}-{n}.csv");
            }
            let empty = BTreeMap::new();
            let questions = self.by_organisation.get(organisation).unwrap_or(&empty);
            out.push((
                shown.to_string(),
                name,
                organisation_csv(shown, questions, as_of, options)?,
            ));
        }
        Ok(out)
    }

    /// The index: one row per organisation, with its file and counts.
    pub fn index(&self, files: &[(String, String, String)]) -> Result<String> {
        let mut writer = csv_writer();
        let mut named: Vec<(&Option<String>, &u32)> = self.systems.iter().collect();
        named.sort_by(|(a, _), (b, _)| a.is_none().cmp(&b.is_none()).then(a.cmp(b)));
        for ((organisation, systems), (shown, file, _)) in named.into_iter().zip(files) {
            let questions = self.by_organisation.get(organisation);
            writer.serialize(IndexRow {
                organisation: &cell(shown),
                file,
                systems: *systems,
                questions: questions.map_or(0, BTreeMap::len),
                question_rows: questions.map_or(0, |q| q.values().map(|q| q.systems.len()).sum()),
            })?;
        }
        if files.is_empty() {
            writer.write_record([
                "organisation",
                "file",
                "systems",
                "questions",
                "question_rows",
            ])?;
        }
        finish(writer)
    }
}

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<String> {
    let bytes = writer
        .into_inner()
        .map_err(|e| RenderError::Io(e.into_error()))?;
    let text = String::from_utf8(bytes).map_err(|_| RenderError::NotUtf8)?;
    Ok(format!("{BOM}{text}"))
}

/// One organisation's questions, most severe first, then the most systems, then by text.
fn organisation_csv(
    organisation: &str,
    questions: &BTreeMap<String, Question>,
    as_of: &str,
    options: &RenderOptions<'_>,
) -> Result<String> {
    let mut list: Vec<(&String, &Question)> = questions.iter().collect();
    list.sort_by(|(a, x), (b, y)| {
        y.severity
            .cmp(&x.severity)
            .then(y.systems.len().cmp(&x.systems.len()))
            .then(a.cmp(b))
    });
    let mut writer = csv_writer();
    let organisation = cell(organisation);
    for (text, q) in list {
        let severity = q.severity.unwrap_or(Severity::Info);
        let question = cell(text);
        let answer_by = options
            .deadlines
            .target_date(as_of, severity)
            .unwrap_or_default();
        let rule_ids = cell(&q.rules.join("; "));
        let rules = cell(&q.titles.join("; "));
        for asked in &q.systems {
            writer.serialize(Row {
                question: &question,
                severity: severity.as_str(),
                answer_by: &answer_by,
                system: cell(&asked.name),
                record_id: cell(&asked.record_id),
                record_link: cell(&asked.link),
                fields_left_blank: cell(&asked.fields.join("; ")),
                register_wording: cell(&asked.register.join("; ")),
                rule_ids: &rule_ids,
                rules: &rules,
                systems_asked: q.systems.len(),
                descriptor_file: cell(&asked.file),
                organisation: &organisation,
                answer: "",
            })?;
        }
    }
    if questions.is_empty() {
        // No open question: the header alone, so the file still says what it would hold.
        writer.write_record(HEADER)?;
    }
    finish(writer)
}

/// A safe, portable file name stem for an organisation: ASCII letters and digits in lower
/// case, accents dropped, every other run of characters one `-`, at most 80 characters;
/// `organisation` when nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
        if out.len() >= 80 {
            break;
        }
    }
    if out.is_empty() {
        "organisation".to_string()
    } else {
        out
    }
}

/// A Latin letter with an accent as its plain letter(s); anything else as it is.
fn fold(c: char) -> Vec<char> {
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => "A",
        'æ' => "ae",
        'Æ' => "AE",
        'ç' | 'č' | 'ć' => "c",
        'Ç' | 'Č' | 'Ć' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ĳ' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Ĳ' => "I",
        'ñ' | 'ń' => "n",
        'Ñ' | 'Ń' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => "O",
        'œ' => "oe",
        'Œ' => "OE",
        'ß' => "ss",
        'š' | 'ś' => "s",
        'Š' | 'Ś' => "S",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ž' | 'ź' | 'ż' => "z",
        'Ž' | 'Ź' | 'Ż' => "Z",
        _ => return vec![c],
    };
    plain.chars().collect()
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn file_names_are_plain_and_stable() {
        assert_eq!(
            slug("Department of Homeland Security"),
            "department-of-homeland-security"
        );
        assert_eq!(
            slug("Gemeente 's-Hertogenbosch"),
            "gemeente-s-hertogenbosch"
        );
        assert_eq!(slug("Bureau Économie & Société"), "bureau-economie-societe");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("  "), "organisation");
        assert_eq!(slug("東京都"), "organisation");
        assert!(slug(&"a".repeat(500)).len() <= 80);
    }
}
