//! `rightscheck init --interactive FILE`: the questionnaire in the terminal. The name of the
//! system first, then the facts that decide which rules apply and the level, then the
//! questions that matter for this system, section by section; every question offers
//! "don't know" and, on request, the rules that read it and the sentence they quote.
//! Nothing is written until the end, or until the person chooses to save what is
//! answered; Ctrl-C leaves no file behind.

use std::collections::HashSet;
use std::io::{self, IsTerminal as _};
use std::path::Path;

use chrono::NaiveDate;
use dialoguer::console::Term;
use dialoguer::{Input, MultiSelect, Select};
use serde_json::Value;

use crate::cli::{Context, ExitStatus, Outcome};
use crate::diagnostic::{Failure, Message};
use crate::document::{Document, Format};
use crate::output::{shown, write_atomically};
use crate::questions::write::{new_descriptor, set, to_json, to_yaml};
use crate::questions::{AnswerOption, Kind, Question, Questionnaire, Questions};
use crate::rules::Catalog;
use crate::text::sanitize_terminal;

const DONT_KNOW: &str = "don't know";
const WHY: &str = "why is this asked?";

/// What a person did at one question.
enum Reply {
    /// An answer; `Value::Null` for "don't know".
    Answer(Value),
    /// Esc: stop, and choose whether to keep what is answered.
    Stop,
}

/// Asks the questions, then writes `file` (checked not to exist unless `force`).
pub(super) fn run(file: &Path, force: bool, ctx: &Context) -> Outcome {
    if !io::stdin().is_terminal() || !io::stderr().is_terminal() {
        return Err(Message::new(
            "`init --interactive` asks its questions in a terminal, and this is not one; nothing was written",
            "run it in a terminal, or run `rightscheck init FILE` for a template to fill in with an editor",
        )
        .into());
    }
    let catalog = Catalog::builtin()?;
    let today = crate::clock::today()?;
    let term = Term::stderr();
    // Ctrl-C ends the run before anything is written; give the cursor back on the way out
    // (the choice lists hide it).
    let _ = ctrlc::set_handler(|| {
        let term = Term::stderr();
        let _ = term.show_cursor();
        let _ = term.write_line("\nstopped: nothing was written");
        std::process::exit(130);
    });
    let mut session = Session {
        questions: Questions::new(catalog),
        today,
        name: file.display().to_string(),
        descriptor: new_descriptor(),
        asked: HashSet::new(),
        term,
        section: None,
    };
    line(
        &session.term,
        "Describe the system by answering the questions. Answer only what you know: \"don't know\" leaves the answer blank, and it becomes a question for the vendor.",
    )?;
    let finished = session.ask_all()?;
    if !finished && !session.keep()? {
        return Err(Message::new(
            "stopped before the end; nothing was written",
            "run it again to start over",
        )
        .into());
    }
    // Checked again: another program may have made the file while the questions were asked.
    if std::fs::symlink_metadata(file).is_ok() && !force {
        return Err(Message::new(
            format!(
                "{} was made while the questions were asked; nothing was written",
                shown(file)
            ),
            "run again with another name, or add `--force` to replace it",
        )
        .into());
    }
    let text = match Format::from_name(&session.name) {
        Format::Json => to_json(&session.descriptor),
        Format::Yaml => to_yaml(&session.descriptor),
    }
    .map_err(|e| {
        Message::new(
            format!("the answers could not be written: {e}"),
            "this is a bug: please report it",
        )
    })?;
    write_atomically(file, &text)?;
    let progress = session.questionnaire().progress;
    ctx.note(&format!(
        "wrote {}: {progress}; each \"don't know\" is left blank and becomes a question for the vendor. Next: `rightscheck assess {}`",
        shown(file),
        shown(file)
    ));
    Ok(ExitStatus::Success)
}

/// One run of the questionnaire.
struct Session<'c> {
    questions: Questions<'c>,
    today: NaiveDate,
    /// The file name, for the descriptor's name.
    name: String,
    /// The answers so far.
    descriptor: Value,
    /// The questions already put (answered or not).
    asked: HashSet<String>,
    term: Term,
    /// The section whose heading was printed last.
    section: Option<String>,
}

impl Session<'_> {
    fn questionnaire(&self) -> Questionnaire {
        let doc = Document::from_value(&self.name, self.descriptor.clone(), Format::Yaml);
        self.questions.ask(Some(&doc), self.today)
    }

    /// Asks until no question that matters is left (`true`), or the person stops (`false`).
    fn ask_all(&mut self) -> Result<bool, Failure> {
        loop {
            // Built again after every answer: an answer can open or close sections.
            let q = self.questionnaire();
            let Some((question, heading)) = next(&q, &self.asked) else {
                return Ok(true);
            };
            if self.section.as_deref() != Some(heading.0.as_str()) {
                line(&self.term, "")?;
                line(&self.term, &format!("── {} ──", heading.1))?;
                line(&self.term, &heading.2)?;
                self.section = Some(heading.0);
            }
            line(&self.term, &format!("({})", q.progress))?;
            match self.ask(question)? {
                Reply::Answer(value) => {
                    set(&mut self.descriptor, &question.path, value);
                    self.asked.insert(question.path.clone());
                }
                Reply::Stop => return Ok(false),
            }
        }
    }

    /// Whether to keep what is answered, after Esc.
    fn keep(&self) -> Result<bool, Failure> {
        let choice = Select::new()
            .with_prompt("You stopped before the end. What now?")
            .items(["save the answers given so far", "leave without saving"])
            .default(1)
            .interact_on_opt(&self.term);
        Ok(matches!(prompted(choice)?, Some(0)))
    }

    /// Puts one question until it is answered, "don't know" included.
    fn ask(&self, question: &Question) -> Result<Reply, Failure> {
        let prompt = sanitize_terminal(&question.prompt);
        loop {
            let reply = match &question.kind {
                Kind::YesNo => {
                    let items = ["yes", "no", DONT_KNOW, WHY];
                    match self.select(&prompt, &items)? {
                        Some(0) => Some(Reply::Answer(Value::Bool(true))),
                        Some(1) => Some(Reply::Answer(Value::Bool(false))),
                        Some(2) => Some(Reply::Answer(Value::Null)),
                        Some(_) => None,
                        None => Some(Reply::Stop),
                    }
                }
                Kind::Choice { options } => {
                    let mut items = labels(options);
                    items.extend([DONT_KNOW.to_string(), WHY.to_string()]);
                    match self.select(&prompt, &items)? {
                        Some(i) if i < options.len() => {
                            Some(Reply::Answer(Value::from(options[i].key.clone())))
                        }
                        Some(i) if i == options.len() => Some(Reply::Answer(Value::Null)),
                        Some(_) => None,
                        None => Some(Reply::Stop),
                    }
                }
                Kind::Choices { options } => self.choices(&prompt, options)?,
                Kind::Text | Kind::Date | Kind::List | Kind::Number { .. } => {
                    self.typed(&prompt, question)?
                }
            };
            match reply {
                Some(Reply::Answer(Value::Null)) if question.required => {
                    line(&self.term, "this one needs an answer")?;
                }
                Some(reply) => return Ok(reply),
                None => self.why(question)?,
            }
        }
    }

    /// A choice from a list; `None` on Esc.
    fn select<T: ToString>(&self, prompt: &str, items: &[T]) -> Result<Option<usize>, Failure> {
        let choice = Select::new()
            .with_prompt(prompt)
            .items(items.iter().map(ToString::to_string))
            .default(0)
            .interact_on_opt(&self.term);
        prompted(choice)
    }

    /// Any number of a fixed set: first whether to choose, then which; `None` for "why".
    fn choices(&self, prompt: &str, options: &[AnswerOption]) -> Result<Option<Reply>, Failure> {
        let first = ["choose from the list", "none of them", DONT_KNOW, WHY];
        let picked = match self.select(prompt, &first)? {
            Some(0) => {
                let chosen = MultiSelect::new()
                    .with_prompt("space ticks an item, Enter confirms")
                    .items(labels(options))
                    .interact_on_opt(&self.term);
                match prompted(chosen)? {
                    Some(indices) => indices
                        .into_iter()
                        .filter_map(|i| options.get(i))
                        .map(|o| Value::from(o.key.clone()))
                        .collect(),
                    None => return Ok(Some(Reply::Stop)),
                }
            }
            Some(1) => Vec::new(),
            Some(2) => return Ok(Some(Reply::Answer(Value::Null))),
            Some(_) => return Ok(None),
            None => return Ok(Some(Reply::Stop)),
        };
        Ok(Some(Reply::Answer(Value::Array(picked))))
    }

    /// Text, a number, a date or a list, typed; `None` for "why".
    fn typed(&self, prompt: &str, question: &Question) -> Result<Option<Reply>, Failure> {
        let hint = match &question.kind {
            Kind::Date => "a date as YYYY-MM-DD; ",
            Kind::List => "items separated by commas; ",
            Kind::Number { .. } => "a number; ",
            _ => "",
        };
        let blank = if question.required {
            String::new()
        } else {
            format!("Enter alone: {DONT_KNOW}; ")
        };
        let kind = question.kind.clone();
        let typed: Result<String, _> = Input::<String>::new()
            .with_prompt(format!("{prompt} ({hint}{blank}?: why)"))
            .allow_empty(true)
            .validate_with(move |text: &String| read_typed(&kind, text).map(|_| ()))
            .interact_text_on(&self.term);
        let text = prompted(typed.map(Some))?.unwrap_or_default();
        if text.trim() == "?" {
            return Ok(None);
        }
        Ok(Some(Reply::Answer(
            read_typed(&question.kind, &text).map_err(|e| Message::new(e, "answer again"))?,
        )))
    }

    /// Why a question is asked: the rules that read it and the sentence each quotes.
    fn why(&self, question: &Question) -> Result<(), Failure> {
        let term = &self.term;
        if let Some(help) = &question.help {
            line(term, &format!("  {}", sanitize_terminal(help)))?;
        }
        if question.rules.is_empty() {
            line(
                term,
                "  no rule reads this answer: it describes the system in the report",
            )?;
        }
        for why in &question.rules {
            line(
                term,
                &format!(
                    "  {}: {}\n    “{}”\n    ({})",
                    sanitize_terminal(&why.rule),
                    sanitize_terminal(&why.title),
                    sanitize_terminal(&why.quote),
                    sanitize_terminal(&why.document)
                ),
            )?;
        }
        Ok(())
    }
}

/// The next question to put, with its section's key, title and reason: the required ones,
/// then the triage, then the questions that matter, section by section.
fn next<'q>(
    q: &'q Questionnaire,
    asked: &HashSet<String>,
) -> Option<(&'q Question, (String, String, String))> {
    let open = |x: &&Question| !asked.contains(&x.path);
    let of_section = |s: &crate::questions::Section| {
        (
            s.key.clone(),
            sanitize_terminal(&s.title),
            sanitize_terminal(&s.reason),
        )
    };
    if let Some((section, question)) = q
        .sections
        .iter()
        .flat_map(|s| s.questions.iter().map(move |x| (s, x)))
        .find(|(_, x)| x.required && open(x))
    {
        return Some((question, of_section(section)));
    }
    if let Some(question) = q.triage.iter().filter(|x| x.matters).find(open) {
        let heading = (
            String::new(),
            "First, what the system is and does".to_string(),
            "these answers decide which questions follow".to_string(),
        );
        return Some((question, heading));
    }
    q.sections
        .iter()
        .filter(|s| s.shown)
        .flat_map(|s| s.questions.iter().map(move |x| (s, x)))
        .find(|(_, x)| x.matters && open(x))
        .map(|(section, question)| (question, of_section(section)))
}

/// What was typed, read as the kind of answer the question takes: blank for "don't know".
fn read_typed(kind: &Kind, text: &str) -> Result<Value, String> {
    let text = text.trim();
    if text.is_empty() || text == "?" {
        return Ok(Value::Null);
    }
    match kind {
        Kind::Date => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(|_| Value::from(text))
            .map_err(|_| format!("`{text}` is not a date written YYYY-MM-DD, e.g. 2026-03-31")),
        Kind::List => Ok(Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Value::from)
                .collect(),
        )),
        Kind::Number {
            minimum,
            maximum,
            whole,
        } => {
            let number: f64 = text
                .parse()
                .map_err(|_| format!("`{text}` is not a number: write digits only, e.g. 12000"))?;
            if *whole && number.fract() != 0.0 {
                return Err(format!("`{text}` is not a whole number"));
            }
            if minimum.is_some_and(|m| number < m) || maximum.is_some_and(|m| number > m) {
                return Err(format!("`{text}` is out of range"));
            }
            if *whole {
                #[expect(clippy::cast_possible_truncation, reason = "a whole number")]
                let whole = number as i64;
                Ok(Value::from(whole))
            } else {
                Ok(serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number))
            }
        }
        _ => Ok(Value::from(text)),
    }
}

fn labels(options: &[AnswerOption]) -> Vec<String> {
    options
        .iter()
        .map(|o| sanitize_terminal(&o.label))
        .collect()
}

/// A prompt's answer; Ctrl-C and Esc become `None`, a terminal that fails an error.
fn prompted<T>(result: dialoguer::Result<Option<T>>) -> Result<Option<T>, Failure> {
    match result {
        Ok(answer) => Ok(answer),
        Err(dialoguer::Error::IO(e)) if e.kind() == io::ErrorKind::Interrupted => Ok(None),
        Err(dialoguer::Error::IO(e)) => Err(terminal_error(&e)),
    }
}

fn line(term: &Term, text: &str) -> Result<(), Failure> {
    term.write_line(text).map_err(|e| terminal_error(&e))
}

fn terminal_error(e: &io::Error) -> Failure {
    Message::new(
        format!("the terminal could not be used: {e}; nothing was written"),
        "run it again in a terminal",
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_answers_are_read_as_their_kind() {
        let number = Kind::Number {
            minimum: Some(0.0),
            maximum: None,
            whole: true,
        };
        assert_eq!(read_typed(&number, " 12000 "), Ok(Value::from(12000)));
        assert_eq!(read_typed(&number, ""), Ok(Value::Null));
        assert!(read_typed(&number, "-1").is_err());
        assert!(read_typed(&number, "1.5").is_err());
        assert!(read_typed(&number, "many").is_err());
        assert_eq!(
            read_typed(&Kind::Date, "2026-03-31"),
            Ok(Value::from("2026-03-31"))
        );
        assert!(read_typed(&Kind::Date, "31/03/2026").is_err());
        assert_eq!(
            read_typed(&Kind::List, "Dutch, Arabic,, "),
            Ok(serde_json::json!(["Dutch", "Arabic"]))
        );
        assert_eq!(read_typed(&Kind::Text, " A: b "), Ok(Value::from("A: b")));
    }
}
