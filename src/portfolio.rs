//! Assessing a whole inventory in one run: many descriptors, read and assessed in
//! parallel, folded into one [`Portfolio`] as they arrive, in a fixed order.
//!
//! Memory stays flat: each worker reads, validates and assesses one descriptor at a time,
//! the results are handed over in file order through a bounded window, and the portfolio
//! keeps only a compact row per system (verdict, level, counts, one cell per theme, the
//! rules with gaps) plus counters per rule. Formats that list every finding (CSV, SARIF,
//! `JUnit`, OSCAL) write each system's part as it arrives (see `report::portfolio`), so no
//! format holds the findings of the whole inventory at once.

mod error;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

use serde::Serialize;

use crate::assessment::{Assessment, CatalogInfo, FailOn, Outcome, ProfileInfo, ToolInfo, Verdict};
use crate::document::{Document, DocumentError, Position};
use crate::engine::{Engine, Evaluation, Options};
use crate::rules::{Catalog, Condition, Level, Severity, Text};
use crate::schema::{Issue, Schema};

pub use error::InputError;

/// File name endings read when a folder is given.
pub const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Workers per core at most: more only wait for each other, and thousands of threads
/// exhaust the process limits.
pub const JOBS_PER_CORE: usize = 4;

/// The most workers a run uses on a machine with `cores` cores.
pub fn max_jobs(cores: usize) -> usize {
    JOBS_PER_CORE.saturating_mul(cores.max(1))
}

/// How many results may wait, in memory, for an earlier file that is still being read:
/// the bound that keeps memory flat when one file is slow.
const WINDOW: usize = 64;

/// Lists the descriptors to assess: files as given, and inside each folder (recursively,
/// sorted by name, hidden entries skipped, links followed) every `.yaml`, `.yml` and
/// `.json` file. A file named twice is assessed once. An entry that cannot be listed (a
/// broken link, a link loop, a folder that cannot be read) is kept, so that the run
/// reports it as an error line instead of leaving it out silently.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut files = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| InputError::Missing {
            path: path.clone(),
            source,
        })?;
        if !meta.is_dir() {
            if seen.insert(path.clone()) {
                files.push(path.clone());
            }
            continue;
        }
        let before = files.len();
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                // A link to nowhere, a link loop or a folder that cannot be read: listed,
                // so that assessing it reports why, as an error line of the report.
                Err(e) => match e.path() {
                    Some(unreadable) if seen.insert(unreadable.to_path_buf()) => {
                        files.push(unreadable.to_path_buf());
                        continue;
                    }
                    Some(_) => continue,
                    None => {
                        return Err(InputError::Walk {
                            path: path.clone(),
                            message: e.to_string(),
                        });
                    }
                },
            };
            // A pipe, device or socket with a descriptor's name is listed too, so that the
            // run reports it instead of leaving it out silently.
            let is_descriptor = !entry.file_type().is_dir()
                && entry.path().extension().is_some_and(|ext| {
                    EXTENSIONS
                        .iter()
                        .any(|known| ext.eq_ignore_ascii_case(known))
                });
            if is_descriptor && seen.insert(entry.path().to_path_buf()) {
                files.push(entry.into_path());
            }
        }
        if files.len() == before {
            return Err(InputError::EmptyFolder { path: path.clone() });
        }
    }
    Ok(files)
}

/// Why one descriptor could not be assessed: a line of the report, not the end of the run.
#[derive(Debug, Clone, Serialize)]
pub struct SystemError {
    /// The file as given.
    pub file: String,
    /// Where the (first) problem is; 0 when the file could not be read at all.
    pub line: u32,
    /// Column of the problem.
    pub column: u32,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: String,
}

impl SystemError {
    /// `file:line:col`, or the file alone when the problem has no position.
    pub fn location(&self) -> String {
        if self.line > 0 {
            format!("{}:{}:{}", self.file, self.line, self.column)
        } else {
            self.file.clone()
        }
    }
}

impl std::fmt::Display for SystemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// One rule's outcome for one system.
#[derive(Debug, Clone, Copy)]
pub struct RuleOutcome {
    /// Index of the rule in the catalog given to [`Portfolio::new`].
    pub rule: u16,
    /// Outcome.
    pub outcome: Outcome,
    /// Severity at the system's level.
    pub severity: Severity,
    /// Whether it reaches the failure threshold.
    pub failing: bool,
    /// A gap only because the profile counts a blank answer as one.
    pub blank_as_gap: bool,
}

/// How much of what its source asks a descriptor answers, over the fields the catalog's
/// rules read: `asked` counts those fields the source does not list as never asked
/// (`source.not_asked`, a field or its section), `answered` those of them with an answer
/// (anything but a blank: an empty list is the answer "none").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Answered {
    /// Fields the rules read that the source asks.
    pub asked: u32,
    /// Of those, the fields answered.
    pub answered: u32,
}

impl Answered {
    /// Adds another count.
    pub fn add(&mut self, other: Answered) {
        self.asked += other.asked;
        self.answered += other.answered;
    }

    /// `answered` per thousand of `asked`; `None` when nothing is asked.
    pub fn per_mille(self) -> Option<u32> {
        (self.asked > 0).then(|| {
            u32::try_from(
                (u64::from(self.answered) * 1000 + u64::from(self.asked) / 2)
                    / u64::from(self.asked),
            )
            .unwrap_or(1000)
        })
    }
}

/// The fields the catalog's rules read (in `requires` or `applies_when`), each once, sorted
/// by name: what [`Answered`] is counted over.
#[derive(Debug, Clone, Default)]
pub struct RuleFields {
    /// Each field's place among the schema's fields (a leaf's `slot`), and its JSON Pointer.
    fields: Vec<(usize, Text)>,
}

impl RuleFields {
    /// The fields of a catalog.
    pub fn of(catalog: &Catalog) -> RuleFields {
        fn walk(c: &Condition, out: &mut Vec<(usize, Text)>) {
            match c {
                Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| walk(c, out)),
                Condition::Not(c) => walk(c, out),
                Condition::Leaf(leaf) => out.push((leaf.slot(), leaf.pointer.clone())),
            }
        }
        let mut fields = Vec::new();
        for rule in catalog.rules() {
            walk(&rule.requires, &mut fields);
            if let Some(when) = &rule.applies_when {
                walk(when, &mut fields);
            }
        }
        fields.sort_unstable();
        fields.dedup();
        RuleFields { fields }
    }

    /// How many of the fields a descriptor's source asks, and how many it answers; which
    /// it never asked, the evaluation has already read from `source.not_asked`.
    pub fn count(&self, descriptor: &serde_json::Value, e: &Evaluation<'_>) -> Answered {
        let mut out = Answered::default();
        for (slot, pointer) in &self.fields {
            if e.never_asked(*slot) {
                continue;
            }
            out.asked += 1;
            let answered = match crate::engine::lookup(descriptor, pointer) {
                None | Some(serde_json::Value::Null) => false,
                Some(serde_json::Value::String(s)) => !s.trim().is_empty(),
                Some(_) => true,
            };
            if answered {
                out.answered += 1;
            }
        }
        out
    }
}

/// What the portfolio keeps of one assessed system.
#[derive(Debug, Clone)]
pub struct Brief {
    /// The descriptor file.
    pub file: String,
    /// `system.id`, when stated.
    pub id: Option<String>,
    /// `system.name`.
    pub name: String,
    /// The deployer, when stated.
    pub deployer: Option<String>,
    /// Verdict.
    pub verdict: Verdict,
    /// Impact level, or `prohibited`.
    pub level: Level,
    /// The impact level if every open factor held.
    pub highest_possible_level: Level,
    /// How much of what its source asks it answers.
    pub answered: Answered,
    /// Every rule's outcome, most severe first.
    pub outcomes: Vec<RuleOutcome>,
}

impl Brief {
    /// The brief of an evaluation: the verdict, the level, how much of what its source
    /// asks of `fields` it answers, and every rule's outcome, most severe first, then by id
    /// (the catalog's order), as assessments list them.
    pub fn of_evaluation(doc: &Document, e: &Evaluation<'_>, fields: &RuleFields) -> Brief {
        let text = |path: &[&str]| {
            path.iter()
                .try_fold(&doc.value, |v, key| v.get(key))
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        let by_rule: Vec<RuleOutcome> = e
            .outcomes()
            .enumerate()
            .filter_map(|(i, o)| {
                Some(RuleOutcome {
                    rule: u16::try_from(i).ok()?,
                    outcome: o.outcome,
                    severity: o.severity,
                    failing: o.failing,
                    blank_as_gap: o.blank_as_gap,
                })
            })
            .collect();
        // Most serious first, then in rule order: one pass per severity over outcomes
        // already in rule order, rather than a sort for every descriptor.
        let mut outcomes = Vec::with_capacity(by_rule.len());
        for severity in Severity::ALL {
            outcomes.extend(by_rule.iter().filter(|o| o.severity == severity));
        }
        Brief {
            file: doc.name.clone(),
            id: text(&["system", "id"]),
            name: text(&["system", "name"]).unwrap_or_default(),
            deployer: text(&["roles", "deployer", "name"]),
            verdict: e.verdict(),
            level: e.level(),
            highest_possible_level: e.highest_possible_level(),
            answered: fields.count(&doc.value, e),
            outcomes,
        }
    }
}

/// What came of one descriptor.
#[derive(Debug)]
pub enum SystemResult {
    /// It was read, valid, and assessed. The assessment is kept only when the report lists
    /// findings, and holds those it lists ([`Settings::findings`]).
    Assessed(Brief, Option<Box<Assessment>>),
    /// It could not be assessed.
    Failed(SystemError),
}

/// Everything one run needs besides the files.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// The catalog, tailored by the profile, with the waivers.
    pub engine: &'a Engine<'a>,
    /// As-of date and failure threshold.
    pub options: Options,
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Which findings the report lists, and so which of each system's findings are
    /// written up; with none, only its [`Brief`] is kept.
    pub findings: Findings<'a>,
    /// The fields the rules read ([`RuleFields::of`] the engine's catalog).
    pub fields: &'a RuleFields,
}

/// Which findings of each system a report lists, and so writes up.
#[derive(Clone, Copy)]
pub enum Findings<'a> {
    /// None: the report needs each system's [`Brief`] alone.
    None,
    /// Every finding: the full assessment.
    All,
    /// Those a test keeps, given a finding's outcome and, for a waived one, the outcome it
    /// had: the assessment holds only these findings, and the level without the factors
    /// behind it ([`Evaluation::to_listing`]).
    Some(&'a (dyn Fn(Outcome, Option<Outcome>) -> bool + Sync)),
}

impl std::fmt::Debug for Findings<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Findings::None => "None",
            Findings::All => "All",
            Findings::Some(_) => "Some",
        })
    }
}

/// Reads, validates and assesses one descriptor.
pub fn assess_file(path: &Path, settings: &Settings<'_>) -> SystemResult {
    // Unless the report lists every finding, nothing is written up, so no position is
    // needed unless the descriptor has mistakes, which are then reported from a full
    // reading.
    let quick = matches!(settings.findings, Findings::None);
    let read = if quick {
        Document::from_path_quick
    } else {
        Document::from_path
    };
    let name = crate::text::sanitize_line(&path.display().to_string());
    // Opening a pipe would wait for a writer, and a device may never end.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return SystemResult::Failed(SystemError {
            file: name,
            line: 0,
            column: 0,
            message: "not a regular file (a pipe, a device or a socket); nothing was read"
                .to_string(),
            help: "keep only descriptor files in the folder, or name the file itself".to_string(),
        });
    }
    let doc = match read(path) {
        Ok(doc) => doc,
        Err(e) => return SystemResult::Failed(unreadable(name, &e)),
    };
    // Many documents are checked: by the compiled validator, compiled once for all.
    let schema = match Schema::descriptor().and_then(Schema::prepare) {
        Ok(schema) => schema,
        Err(e) => return SystemResult::Failed(internal(name, &e)),
    };
    let mistakes = || -> Result<Option<(Vec<Issue>, usize)>, SystemError> {
        let checked = |doc: &Document| {
            schema
                .validate_counted(doc)
                .map_err(|e| internal(name.clone(), &e))
        };
        let (issues, total) = checked(&doc)?;
        if issues.is_empty() {
            return Ok(None);
        }
        if !quick {
            return Ok(Some((issues, total)));
        }
        // Read without positions: read again with them, to say where the mistakes are.
        let located = Document::from_path(path).map_err(|e| unreadable(name.clone(), &e))?;
        checked(&located).map(Some)
    };
    match mistakes() {
        Ok(None) => {}
        Ok(Some((issues, total))) => {
            return SystemResult::Failed(invalid(name, &issues, total));
        }
        Err(e) => return SystemResult::Failed(e),
    }
    let evaluation = settings.engine.evaluate(&doc, &settings.options);
    let brief = Brief::of_evaluation(&doc, &evaluation, settings.fields);
    let full = match settings.findings {
        Findings::None => None,
        Findings::All => Some(Box::new(evaluation.to_assessment())),
        Findings::Some(listed) => Some(Box::new(evaluation.to_listing(listed))),
    };
    SystemResult::Assessed(brief, full)
}

/// The error line of a descriptor that cannot be read or parsed.
fn unreadable(name: String, e: &DocumentError) -> SystemError {
    let position = e.position().unwrap_or(Position { line: 0, column: 0 });
    SystemError {
        message: strip_location(&e.to_string(), &name, position),
        file: name,
        line: position.line,
        column: position.column,
        help: e.help().to_string(),
    }
}

/// The error line of a descriptor that does not follow the schema.
fn invalid(name: String, issues: &[Issue], total: usize) -> SystemError {
    let first = issues.first();
    SystemError {
        line: first.map_or(0, |i| i.position.line),
        column: first.map_or(0, |i| i.position.column),
        message: match first {
            Some(i) if total > 1 => format!(
                "the descriptor has {total} mistakes; the first: {}",
                i.message
            ),
            Some(i) => format!("the descriptor has a mistake: {}", i.message),
            None => "the descriptor does not follow the schema".to_string(),
        },
        help: format!("run `rightscheck validate {name}` to see every mistake"),
        file: name,
    }
}

/// The error line of a failure that is not the descriptor's fault.
fn internal(name: String, e: &dyn std::fmt::Display) -> SystemError {
    SystemError {
        file: name,
        line: 0,
        column: 0,
        message: e.to_string(),
        help: "this is a bug; please report it".to_string(),
    }
}

/// `file:line:col: message` → `message`.
fn strip_location(text: &str, file: &str, position: Position) -> String {
    let rest = text.strip_prefix(file).and_then(|r| r.strip_prefix(':'));
    let Some(rest) = rest else {
        return text.to_string();
    };
    let located = format!("{}:{}:", position.line, position.column);
    rest.strip_prefix(&located)
        .unwrap_or(rest)
        .trim_start()
        .to_string()
}

/// Assesses every file on `settings.jobs` threads and hands each result to `visit` in the
/// order of `files`, one at a time, on the calling thread. `visit` may stop the run by
/// returning an error, which `run` returns.
///
/// Each worker first passes its results through its own `finish` (made by `worker`, on
/// the worker): what can be done with one result alone, such as writing its part of a
/// report, is then done in parallel, and what the result no longer needs is freed by the
/// thread that allocated it.
///
/// Workers take the files in batches (fewer wake-ups and hand-overs than one by one) and
/// never run more than [`WINDOW`] files ahead of `visit`, so results waiting for a slow
/// file stay few.
pub fn run<E, T: Send, F: FnMut(SystemResult) -> T>(
    files: &[PathBuf],
    settings: &Settings<'_>,
    worker: impl Fn() -> F + Sync,
    mut visit: impl FnMut(usize, T) -> Result<(), E>,
) -> Result<(), E> {
    let jobs = settings.jobs.clamp(1, files.len().max(1));
    // Batches of up to 16 files, small enough that every worker gets several.
    let batch = (files.len() / (jobs * 8)).clamp(1, 16);
    let batches = files.len().div_ceil(batch);
    let window = (WINDOW / batch).max(2);
    let next = AtomicUsize::new(0);
    let gate = Gate::new(window);
    let (sender, receiver) = mpsc::sync_channel::<(usize, Vec<T>)>(window);
    let assess_batch = |number: usize, finish: &mut F| -> Vec<T> {
        let end = files.len().min((number + 1) * batch);
        files[number * batch..end]
            .iter()
            .map(|file| finish(assess_file(file, settings)))
            .collect()
    };
    let worker = &worker;
    std::thread::scope(|scope| {
        let mut workers = 0usize;
        for _ in 0..jobs {
            let sender = sender.clone();
            let (next, gate) = (&next, &gate);
            let assess_batch = &assess_batch;
            let spawned = std::thread::Builder::new().spawn_scoped(scope, move || {
                let mut finish = worker();
                loop {
                    let number = next.fetch_add(1, Ordering::Relaxed);
                    if number >= batches || !gate.wait_for(number) {
                        break;
                    }
                    if sender
                        .send((number, assess_batch(number, &mut finish)))
                        .is_err()
                    {
                        break;
                    }
                }
            });
            // The system may refuse more threads (a process limit): the run goes on with
            // the workers it has, or on this thread alone.
            match spawned {
                Ok(_) => workers += 1,
                Err(_) => break,
            }
        }
        drop(sender);
        let mut waiting: BTreeMap<usize, Vec<T>> = BTreeMap::new();
        let (mut expected, mut position) = (0usize, 0usize);
        let mut outcome = Ok(());
        let mut hand_over = |number: usize, results: Vec<T>| -> bool {
            waiting.insert(number, results);
            while let Some(results) = waiting.remove(&expected) {
                for result in results {
                    outcome = visit(position, result);
                    position += 1;
                    if outcome.is_err() {
                        return false;
                    }
                }
                expected += 1;
                gate.taken(expected);
            }
            true
        };
        if workers == 0 {
            let mut finish = worker();
            loop {
                let number = next.fetch_add(1, Ordering::Relaxed);
                if number >= batches || !hand_over(number, assess_batch(number, &mut finish)) {
                    break;
                }
            }
        } else {
            for (number, results) in &receiver {
                if !hand_over(number, results) {
                    break;
                }
            }
        }
        gate.stop();
        drop(receiver);
        outcome
    })
}

/// How far ahead of `visit` the workers may go: a worker waits before reading a batch more
/// than `window` batches ahead of those `visit` has taken. Batch `n` waits on the slot
/// `n % window`, so each hand-over wakes only the worker whose batch it lets through, not
/// every worker.
struct Gate {
    /// How many batches `visit` has taken.
    taken: Mutex<usize>,
    slots: Vec<Condvar>,
    stop: AtomicBool,
}

impl Gate {
    fn new(window: usize) -> Gate {
        Gate {
            taken: Mutex::new(0),
            slots: (0..window).map(|_| Condvar::new()).collect(),
            stop: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, usize> {
        self.taken
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until batch `number` may be read; false when the run has stopped.
    fn wait_for(&self, number: usize) -> bool {
        let window = self.slots.len();
        let mut taken = self.lock();
        while number >= *taken + window && !self.stop.load(Ordering::Relaxed) {
            taken = self.slots[number % window]
                .wait(taken)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        !self.stop.load(Ordering::Relaxed)
    }

    /// `visit` has taken `taken` batches: the one batch this lets through,
    /// `taken + window - 1`, may be read.
    fn taken(&self, taken: usize) {
        *self.lock() = taken;
        let window = self.slots.len();
        self.slots[(taken + window - 1) % window].notify_all();
    }

    /// Stops the workers, and lets any that wait finish.
    fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
        drop(self.lock());
        for slot in &self.slots {
            slot.notify_all();
        }
    }
}

/// How one theme went for one system: the worst outcome of its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cell {
    /// No rule of the theme applies.
    NotApplicable,
    /// Every rule that applies is met.
    Pass,
    /// The only open findings are waived.
    Waived,
    /// The only open findings are questions the source never asks.
    NotAsked,
    /// At least one open question, no gap.
    Unknown,
    /// At least one gap.
    Gap,
}

impl Cell {
    fn of(outcome: Outcome) -> Cell {
        match outcome {
            Outcome::Pass => Cell::Pass,
            Outcome::Gap => Cell::Gap,
            Outcome::Unknown => Cell::Unknown,
            Outcome::NotAsked => Cell::NotAsked,
            Outcome::NotApplicable => Cell::NotApplicable,
            Outcome::Waived => Cell::Waived,
        }
    }

    /// The name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Cell::NotApplicable => "not-applicable",
            Cell::Pass => "pass",
            Cell::Waived => "waived",
            Cell::NotAsked => "not-asked",
            Cell::Unknown => "unknown",
            Cell::Gap => "gap",
        }
    }
}

/// Counts of one system's findings.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct SystemCounts {
    /// Red lines crossed (blocker gaps).
    pub red_lines: u32,
    /// Gaps.
    pub gap: u32,
    /// Gaps an answer shows: every gap but those a profile counts from a blank answer.
    pub answered_gap: u32,
    /// Open questions.
    pub unknown: u32,
    /// Questions the source never asks.
    pub not_asked: u32,
    /// Met.
    pub pass: u32,
    /// Not applicable.
    pub not_applicable: u32,
    /// Waived.
    pub waived: u32,
    /// Gaps and open questions at or above the failure threshold.
    pub failing: u32,
}

/// One system of the portfolio, in brief.
#[derive(Debug, Clone, Serialize)]
pub struct SystemRow {
    /// The descriptor file.
    pub file: String,
    /// `system.id`, when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `system.name`.
    pub name: String,
    /// The deployer (e.g. the agency), when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployer: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// The impact level, or `prohibited`.
    pub level: Level,
    /// The impact level if every open factor held.
    pub highest_possible_level: Level,
    /// How much of what its source asks it answers.
    pub answered: Answered,
    /// Counts of findings.
    pub counts: SystemCounts,
    /// One cell per theme, in the order of [`Portfolio::themes`].
    pub themes: Vec<Cell>,
    /// Rules with a gap, as indices into [`Portfolio::rules`], most severe first.
    pub gaps: Vec<u16>,
    /// Rules with an open question, as indices into [`Portfolio::rules`].
    pub unknown: Vec<u16>,
}

/// One rule across the portfolio.
#[derive(Debug, Clone, Serialize)]
pub struct RuleTally {
    /// Rule id.
    pub rule_id: String,
    /// Title.
    pub title: String,
    /// Theme.
    pub theme: String,
    /// Severity.
    pub severity: Severity,
    /// Systems it applies to (every outcome but not-applicable).
    pub applies: u32,
    /// Systems that meet it.
    pub pass: u32,
    /// Systems with a gap.
    pub gap: u32,
    /// Systems with a gap an answer shows (not one a profile counts from a blank).
    pub answered_gap: u32,
    /// Systems where it is an open question.
    pub unknown: u32,
    /// Systems whose source never asks what it needs.
    pub not_asked: u32,
    /// Systems where its finding is waived.
    pub waived: u32,
}

/// One theme across the portfolio: how many systems are in each state.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeTally {
    /// Theme name.
    pub theme: String,
    /// Systems with at least one gap in the theme.
    pub gap: u32,
    /// Systems with open questions and no gap.
    pub unknown: u32,
    /// Systems whose only open findings are questions their source never asks.
    pub not_asked: u32,
    /// Systems whose only open findings are waived.
    pub waived: u32,
    /// Systems that meet every rule of the theme that applies.
    pub pass: u32,
    /// Systems to which no rule of the theme applies.
    pub not_applicable: u32,
}

/// Totals over the portfolio.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PortfolioSummary {
    /// Descriptors found.
    pub descriptors: u32,
    /// Assessed.
    pub assessed: u32,
    /// Could not be assessed (unreadable or invalid).
    pub errors: u32,
    /// Verdict `reject`.
    pub reject: u32,
    /// Verdict `conditional`.
    pub conditional: u32,
    /// Verdict `acceptable`.
    pub acceptable: u32,
    /// Systems with a finding at or above the failure threshold.
    pub failing: u32,
    /// Systems by impact level (`prohibited` when a red line is crossed).
    pub levels: BTreeMap<Level, u32>,
    /// Systems with at least one rule their source never asks about.
    pub not_asked: u32,
    /// Findings, over all systems, that their sources never ask about.
    pub not_asked_findings: u32,
    /// Gaps an answer shows, over all systems (not those a profile counts from a blank).
    pub answered_gap_findings: u32,
    /// Systems with at least one gap an answer shows.
    pub answered_gap_systems: u32,
    /// Open questions (blank answers to what the source asks), over all systems.
    pub open_question_findings: u32,
    /// Systems with at least one open question.
    pub open_question_systems: u32,
    /// Over all systems, the fields the rules read that their sources ask, and how many
    /// are answered.
    pub fields: Answered,
    /// Deploying organisations named (systems without one are not counted here).
    pub organisations: u32,
    /// Systems whose descriptor names no deploying organisation.
    pub no_organisation: u32,
}

impl PortfolioSummary {
    /// Counts one assessed system.
    fn add(&mut self, row: &SystemRow) {
        let s = self;
        s.assessed += 1;
        match row.verdict {
            Verdict::Reject => s.reject += 1,
            Verdict::Conditional => s.conditional += 1,
            Verdict::Acceptable => s.acceptable += 1,
        }
        if row.counts.failing > 0 {
            s.failing += 1;
        }
        if row.counts.not_asked > 0 {
            s.not_asked += 1;
            s.not_asked_findings += row.counts.not_asked;
        }
        *s.levels.entry(row.level).or_default() += 1;
        s.answered_gap_findings += row.counts.answered_gap;
        s.answered_gap_systems += u32::from(row.counts.answered_gap > 0);
        s.open_question_findings += row.counts.unknown;
        s.open_question_systems += u32::from(row.counts.unknown > 0);
        s.fields.add(row.answered);
    }
}

/// One deploying organisation (`roles.deployer.name`) across the portfolio.
#[derive(Debug, Clone, Default)]
pub struct OrganisationTally {
    /// Its name as the descriptors write it; `None` for the systems that name none.
    pub name: Option<String>,
    /// Systems.
    pub systems: u32,
    /// Systems rejected.
    pub reject: u32,
    /// Systems conditional.
    pub conditional: u32,
    /// Systems acceptable.
    pub acceptable: u32,
    /// Systems by level.
    pub levels: BTreeMap<Level, u32>,
    /// Fields asked and answered, over its systems.
    pub fields: Answered,
    /// Gaps an answer shows, over its systems.
    pub answered_gap: u32,
    /// Open questions, over its systems.
    pub unknown: u32,
    /// Questions its source never asks, over its systems.
    pub not_asked: u32,
    /// Systems with a finding at or above the failure threshold.
    pub failing: u32,
    /// Per rule index, its systems with a gap an answer shows (sparse).
    pub gaps_by_rule: BTreeMap<u16, u32>,
}

impl OrganisationTally {
    /// Counts one of its systems (its gaps by rule are counted as the rules are).
    fn add(&mut self, row: &SystemRow) {
        self.systems += 1;
        match row.verdict {
            Verdict::Reject => self.reject += 1,
            Verdict::Conditional => self.conditional += 1,
            Verdict::Acceptable => self.acceptable += 1,
        }
        *self.levels.entry(row.level).or_default() += 1;
        self.fields.add(row.answered);
        self.answered_gap += row.counts.answered_gap;
        self.unknown += row.counts.unknown;
        self.not_asked += row.counts.not_asked;
        self.failing += u32::from(row.counts.failing > 0);
    }

    /// Its rules with the most answered gaps, most first, then by severity and id.
    pub fn common_gaps<'p>(
        &self,
        rules: &'p [RuleTally],
        limit: usize,
    ) -> Vec<(&'p RuleTally, u32)> {
        let mut out: Vec<(&RuleTally, u32)> = self
            .gaps_by_rule
            .iter()
            .filter_map(|(i, n)| Some((rules.get(usize::from(*i))?, *n)))
            .collect();
        out.sort_by(|(a, n), (b, m)| {
            m.cmp(n)
                .then(b.severity.cmp(&a.severity))
                .then(a.rule_id.cmp(&b.rule_id))
        });
        out.truncate(limit);
        out
    }
}

/// The assessment of a whole inventory.
#[derive(Debug, Clone, Serialize)]
pub struct Portfolio {
    /// The tool.
    pub tool: ToolInfo,
    /// The date of the assessment (YYYY-MM-DD).
    pub as_of: String,
    /// The rules.
    pub catalog: CatalogInfo,
    /// Failure threshold.
    pub fail_on: FailOn,
    /// Profile used.
    pub profile: ProfileInfo,
    /// Totals.
    pub summary: PortfolioSummary,
    /// Theme names, the columns of the system-by-theme matrix.
    pub themes: Vec<String>,
    /// Per theme, systems in each state.
    pub theme_tallies: Vec<ThemeTally>,
    /// Every rule, in catalog order, with its counts.
    pub rules: Vec<RuleTally>,
    /// One row per system assessed, in file order.
    pub systems: Vec<SystemRow>,
    /// One line per descriptor that could not be assessed, in file order.
    pub errors: Vec<SystemError>,
    /// Per deploying organisation, by name (`None`: no organisation named).
    #[serde(skip)]
    pub organisations: BTreeMap<Option<String>, OrganisationTally>,
    /// The theme column of each rule, by rule index.
    #[serde(skip)]
    rule_theme: Vec<usize>,
}

impl Portfolio {
    /// An empty portfolio for this catalog and these settings.
    pub fn new(engine: &Engine<'_>, options: &Options) -> Portfolio {
        let catalog = engine.catalog();
        let themes: Vec<String> = catalog.themes().keys().map(|t| (*t).to_string()).collect();
        let rule_theme = catalog
            .rules()
            .iter()
            .map(|r| themes.iter().position(|t| *t == r.theme).unwrap_or(0))
            .collect();
        Portfolio {
            tool: ToolInfo::current(),
            as_of: options.as_of.format("%Y-%m-%d").to_string(),
            catalog: CatalogInfo::of(catalog),
            fail_on: options.fail_on,
            profile: engine.profile().info(),
            summary: PortfolioSummary::default(),
            theme_tallies: themes
                .iter()
                .map(|t| ThemeTally {
                    theme: t.clone(),
                    gap: 0,
                    unknown: 0,
                    not_asked: 0,
                    waived: 0,
                    pass: 0,
                    not_applicable: 0,
                })
                .collect(),
            themes,
            rules: catalog
                .rules()
                .iter()
                .map(|r| RuleTally {
                    rule_id: r.id.to_string(),
                    title: r.title.to_string(),
                    theme: r.theme.to_string(),
                    severity: r.severity.highest(),
                    applies: 0,
                    pass: 0,
                    gap: 0,
                    answered_gap: 0,
                    unknown: 0,
                    not_asked: 0,
                    waived: 0,
                })
                .collect(),
            systems: Vec::new(),
            errors: Vec::new(),
            organisations: BTreeMap::new(),
            rule_theme,
        }
    }

    /// Folds one result in.
    pub fn add(&mut self, result: &SystemResult) {
        self.summary.descriptors += 1;
        match result {
            SystemResult::Failed(e) => {
                self.summary.errors += 1;
                self.errors.push(e.clone());
            }
            SystemResult::Assessed(brief, _) => self.add_brief(brief),
        }
    }

    fn add_brief(&mut self, brief: &Brief) {
        let mut row = SystemRow {
            file: brief.file.clone(),
            id: brief.id.clone(),
            name: brief.name.clone(),
            deployer: brief.deployer.clone(),
            verdict: brief.verdict,
            level: brief.level,
            highest_possible_level: brief.highest_possible_level,
            answered: brief.answered,
            counts: SystemCounts::default(),
            themes: vec![Cell::NotApplicable; self.themes.len()],
            gaps: Vec::new(),
            unknown: Vec::new(),
        };
        let key = brief
            .deployer
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string);
        let org = self
            .organisations
            .entry(key)
            .or_insert_with_key(|k| OrganisationTally {
                name: k.clone(),
                ..OrganisationTally::default()
            });
        for o in &brief.outcomes {
            let Some(rule) = self.rules.get_mut(usize::from(o.rule)) else {
                continue;
            };
            let c = &mut row.counts;
            match o.outcome {
                Outcome::Pass => {
                    c.pass += 1;
                    rule.pass += 1;
                }
                Outcome::Gap => {
                    c.gap += 1;
                    rule.gap += 1;
                    if !o.blank_as_gap {
                        c.answered_gap += 1;
                        rule.answered_gap += 1;
                        *org.gaps_by_rule.entry(o.rule).or_default() += 1;
                    }
                    row.gaps.push(o.rule);
                    if o.severity == Severity::Blocker {
                        c.red_lines += 1;
                    }
                }
                Outcome::Unknown => {
                    c.unknown += 1;
                    rule.unknown += 1;
                    row.unknown.push(o.rule);
                }
                Outcome::NotAsked => {
                    c.not_asked += 1;
                    rule.not_asked += 1;
                }
                Outcome::NotApplicable => c.not_applicable += 1,
                Outcome::Waived => {
                    c.waived += 1;
                    rule.waived += 1;
                }
            }
            if o.outcome != Outcome::NotApplicable {
                rule.applies += 1;
            }
            if o.failing {
                c.failing += 1;
            }
            if let Some(cell) = self
                .rule_theme
                .get(usize::from(o.rule))
                .and_then(|t| row.themes.get_mut(*t))
            {
                *cell = (*cell).max(Cell::of(o.outcome));
            }
        }
        for (tally, cell) in self.theme_tallies.iter_mut().zip(&row.themes) {
            match cell {
                Cell::Gap => tally.gap += 1,
                Cell::Unknown => tally.unknown += 1,
                Cell::NotAsked => tally.not_asked += 1,
                Cell::Waived => tally.waived += 1,
                Cell::Pass => tally.pass += 1,
                Cell::NotApplicable => tally.not_applicable += 1,
            }
        }
        self.summary.add(&row);
        org.add(&row);
        if org.name.is_none() {
            self.summary.no_organisation += 1;
        } else if org.systems == 1 {
            self.summary.organisations += 1;
        }
        row.gaps.shrink_to_fit();
        row.unknown.shrink_to_fit();
        self.systems.push(row);
    }

    /// The rules with the most gaps an answer shows across the portfolio, then the most
    /// open questions; rules with neither are left out. Questions a source never asks
    /// never count, and neither do gaps a profile counts from blank answers.
    pub fn common_gaps(&self, limit: usize) -> Vec<&RuleTally> {
        let mut rules: Vec<&RuleTally> = self
            .rules
            .iter()
            .filter(|r| r.answered_gap + r.unknown > 0)
            .collect();
        rules.sort_by(|a, b| {
            b.answered_gap
                .cmp(&a.answered_gap)
                .then(b.severity.cmp(&a.severity))
                .then(b.unknown.cmp(&a.unknown))
                .then(a.rule_id.cmp(&b.rule_id))
        });
        rules.truncate(limit);
        rules
    }

    /// The organisations, worst first: most systems rejected; then the smallest share of
    /// what their sources ask answered (an organisation that leaves the register blank
    /// never ranks above one that answers it; none asked counts as nothing answered);
    /// then the most answered gaps per system; then by name, the systems that name no
    /// organisation last.
    pub fn organisations_worst_first(&self) -> Vec<&OrganisationTally> {
        let mut out: Vec<&OrganisationTally> = self.organisations.values().collect();
        out.sort_by(|a, b| {
            b.reject
                .cmp(&a.reject)
                .then(
                    a.fields
                        .per_mille()
                        .unwrap_or(0)
                        .cmp(&b.fields.per_mille().unwrap_or(0)),
                )
                .then(
                    // a.gaps / a.systems > b.gaps / b.systems, without division.
                    (u64::from(b.answered_gap) * u64::from(a.systems))
                        .cmp(&(u64::from(a.answered_gap) * u64::from(b.systems))),
                )
                .then(a.name.is_none().cmp(&b.name.is_none()))
                .then(a.name.cmp(&b.name))
        });
        out
    }

    /// Whether any system reaches the failure threshold.
    pub fn fails(&self) -> bool {
        self.summary.failing > 0
    }
}
