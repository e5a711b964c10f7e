//! `assess` over many descriptors (a layer above both [`crate::portfolio`], which tallies,
//! and [`crate::report`], which writes): one portfolio report, written to standard output, to a
//! file (atomically), or as one file of open questions per organisation; each descriptor
//! is assessed in parallel and its part of the report kept in a temporary file until the
//! totals are known.

use std::fmt::Write as _;
use std::io::{IsTerminal as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use crate::assessment::Outcome;
use crate::diagnostic::{Diagnostic, count};
use crate::engine::{Engine, Options};
use crate::output::{OutputError, shown, write_atomically, write_atomically_with};
use crate::portfolio::{
    Findings, JOBS_PER_CORE, Portfolio, RuleFields, Settings, SystemResult, max_jobs,
};
use crate::report::portfolio::questions::{INDEX, Questions};
use crate::report::{Part, RenderError, RenderOptions, Report, ReportFormat, Scope, Whole, report};

/// Why a portfolio run stopped before its report was written.
#[derive(Debug, thiserror::Error)]
pub enum DriveError {
    /// The temporary file that holds each system's part could not be used.
    #[error("cannot write a temporary file for the report: {0}")]
    Spill(String),
    /// A part of the report could not be made or kept.
    #[error("cannot write the report: {0}")]
    Part(RenderError),
    /// Standard output could not be written.
    #[error("cannot write the report: {0}")]
    Stdout(RenderError),
    /// The folder for `--questions-by` is a file.
    #[error("{}: `--questions-by` writes one file per organisation into a folder, and this is a file", .0.display())]
    NotAFolder(PathBuf),
    /// The folder for `--questions-by` could not be created.
    #[error("cannot create the folder {}: {source}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Files of this run are already in the folder, and `--force` was not given.
    #[error("{}: {} of this run already {}, e.g. `{first}`; nothing was written", folder.display(), count(*existing, "file", "files"), if *existing == 1 { "exists" } else { "exist" })]
    Exists {
        /// The folder.
        folder: PathBuf,
        /// How many files are there.
        existing: usize,
        /// The first of them.
        first: String,
    },
    /// The files of open questions could not be made.
    #[error("{0}")]
    Questions(RenderError),
    /// A file could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl Diagnostic for DriveError {
    fn help(&self) -> Option<String> {
        let help = match self {
            DriveError::Spill(_) => "check the space in the temporary folder (TMPDIR)",
            DriveError::Part(_) => {
                "check the space in the temporary folder (TMPDIR); if there is room, this is a bug: please report it"
            }
            DriveError::Stdout(_) => "check the disk or the pipe",
            DriveError::NotAFolder(_) => "give `--output` a folder (it is created when missing)",
            DriveError::Folder { .. } => "check the path and that you may write there",
            DriveError::Exists { .. } => {
                "choose an empty folder, or add `--force` to replace them (other files are kept)"
            }
            DriveError::Questions(_) => return None,
            DriveError::Output(e) => return e.help(),
        };
        Some(help.to_string())
    }
}

/// Where the report of a portfolio run goes.
#[derive(Debug, Clone, Copy)]
pub enum Destination<'a> {
    /// Standard output.
    Stdout,
    /// One file, replaced atomically.
    File(&'a Path),
    /// One CSV file of open questions per deploying organisation, and an index, in this
    /// folder (created when missing); files already there are replaced only with `force`.
    Questions {
        /// The folder.
        folder: &'a Path,
        /// Replace files of the same name.
        force: bool,
    },
}

/// One portfolio run: what to assess and how to write it.
pub struct Run<'a> {
    /// The descriptors, from [`crate::portfolio::collect_inputs`].
    pub files: &'a [PathBuf],
    /// The report's format (ignored for [`Destination::Questions`], always CSV).
    pub format: ReportFormat,
    /// How the report looks.
    pub render: &'a RenderOptions<'a>,
    /// Where it goes.
    pub destination: Destination<'a>,
    /// Descriptors assessed at once (see [`workers`]).
    pub jobs: usize,
    /// Show a progress bar on standard error, when it is a terminal.
    pub progress: bool,
}

/// What a finished run wrote.
#[derive(Debug)]
pub enum Written {
    /// The report, to standard output.
    Stdout,
    /// The report, to this file.
    File(PathBuf),
    /// The index and this many organisation files, to this folder.
    Questions(PathBuf, usize),
    /// Standard output, until its reader closed it (as `head` does), out of this many
    /// descriptors: a report that streams stops the run there.
    Closed(usize),
}

impl Written {
    /// One line on what was written and what the run found; `None` for standard output,
    /// where the report says it.
    pub fn line(&self, p: &Portfolio) -> String {
        match self {
            Written::Stdout => summary_line(p),
            Written::Closed(total) if p.summary.descriptors as usize >= *total => format!(
                "standard output was closed before the whole report was read: {}",
                summary_line(p)
            ),
            Written::Closed(total) => format!(
                "standard output was closed after {} of {total} descriptors, and the run stopped there: {}",
                p.summary.descriptors,
                summary_line(p)
            ),
            Written::File(path) => format!("wrote {}: {}", shown(path), summary_line(p)),
            Written::Questions(folder, files) => format!(
                "wrote {INDEX} and {} to {}: {}",
                count(*files, "organisation file", "organisation files"),
                folder.display(),
                summary_line(p)
            ),
        }
    }
}

/// Assesses every descriptor of the run and writes the report.
pub fn assess(
    engine: &Engine<'_>,
    options: Options,
    run: &Run<'_>,
) -> Result<(Portfolio, Written), DriveError> {
    let mut portfolio = Portfolio::new(engine, &options);
    let questions_folder = match run.destination {
        Destination::Questions { folder, .. } => Some(prepare_folder(folder)?),
        _ => None,
    };
    let mut questions = Questions::default();
    let mut writer = report(run.format, Scope::Many, run.render, &portfolio.as_of);
    // The questions folder is made of every system's open questions.
    let parts = questions_folder.is_some() || run.format.has_parts();
    let only = writer.lists();
    let listed = |outcome: Outcome, was: Option<Outcome>| {
        only.is_none_or(|only| only.keeps(outcome, was.map(Outcome::as_str)))
    };
    let fields = RuleFields::of(engine.catalog());
    let settings = Settings {
        engine,
        options,
        jobs: run.jobs,
        // Only what the report lists is written up; the questions folder reads every finding.
        findings: match (parts, questions_folder.is_some(), only) {
            (false, _, _) => Findings::None,
            (true, false, Some(_)) => Findings::Some(&listed),
            (true, _, _) => Findings::All,
        },
        fields: &fields,
    };
    let file = match run.destination {
        Destination::File(path) => Some(path),
        _ => None,
    };
    let written = match run.destination {
        Destination::Questions { folder, force } => {
            let mut sink = std::io::sink();
            let each = Each {
                writer: &mut *writer,
                parts,
                questions: Some(&mut questions),
                on_workers: false,
            };
            each.assess(run, &settings, &mut portfolio, &mut sink)
                .map_err(DriveError::Part)?;
            let files = write_questions(&questions, folder, &portfolio, run.render, force)?;
            Written::Questions(folder.to_path_buf(), files)
        }
        // The parts go straight to the output, after the report's head.
        _ if writer.streams() => write_to(file, run.files.len(), |out| {
            // Many small parts: written in large blocks, as the spill file would have
            // been copied.
            let mut out = std::io::BufWriter::with_capacity(STREAM_BUFFER, out);
            writer.head(&mut out)?;
            let each = Each {
                writer: &mut *writer,
                parts,
                questions: None,
                on_workers: true,
            };
            each.assess(run, &settings, &mut portfolio, &mut out)?;
            Ok(out.flush()?)
        })?,
        // The parts are kept in a spill file until the totals are known.
        _ => {
            let spill_failure = |e: &dyn std::fmt::Display| DriveError::Spill(e.to_string());
            let mut spill =
                std::io::BufWriter::new(tempfile::tempfile().map_err(|e| spill_failure(&e))?);
            let each = Each {
                writer: &mut *writer,
                parts,
                questions: None,
                on_workers: false,
            };
            each.assess(run, &settings, &mut portfolio, &mut spill)
                .map_err(DriveError::Part)?;
            let mut spill = spill.into_inner().map_err(|e| spill_failure(&e.error()))?;
            spill.rewind().map_err(|e| spill_failure(&e))?;
            let mut spilled = std::io::BufReader::new(spill);
            write_to(file, run.files.len(), |out| {
                writer.finish(Whole::Many(&portfolio), &mut spilled, out)
            })?
        }
    };
    Ok((portfolio, written))
}

/// The buffer of a report written as the run goes (see [`Report::streams`]).
const STREAM_BUFFER: usize = 1 << 16;

/// Where each system's part goes while a run assesses them.
struct Each<'w, 'a> {
    /// The report.
    writer: &'w mut (dyn Report + 'a),
    /// Whether anything needs the parts (see [`ReportFormat::has_parts`]).
    parts: bool,
    /// For `--questions-by`: the open questions, kept in place of any part.
    questions: Option<&'w mut Questions>,
    /// Whether each part is written on the worker that assessed the system, by a report
    /// of its own (for a report that [`streams`](Report::streams)).
    on_workers: bool,
}

/// A result as a worker hands it over: with the part of the report it wrote, if it
/// wrote one (the assessment itself then stays and is freed on the worker).
type Handed = (SystemResult, Option<Result<Vec<u8>, RenderError>>);

impl Each<'_, '_> {
    /// Assesses every file of the run, adds each system to `portfolio`, and hands its
    /// part to the questions or to the report, which may write it to `out`; with a
    /// progress bar on a terminal.
    fn assess(
        mut self,
        run: &Run<'_>,
        settings: &Settings<'_>,
        portfolio: &mut Portfolio,
        out: &mut dyn std::io::Write,
    ) -> Result<(), RenderError> {
        let progress = progress_bar(run.progress, run.files.len());
        let as_of = portfolio.as_of.clone();
        let on_workers = self.parts && self.on_workers;
        let worker = || {
            let mut writer =
                on_workers.then(|| report(run.format, Scope::Many, run.render, &as_of));
            move |result: SystemResult| -> Handed {
                let Some(writer) = writer.as_mut() else {
                    return (result, None);
                };
                let mut part = Vec::new();
                let written = Part::of(&result)
                    .and_then(|p| writer.part(p, &mut part))
                    .map(|()| part);
                let result = match result {
                    SystemResult::Assessed(brief, Some(_)) => SystemResult::Assessed(brief, None),
                    other => other,
                };
                (result, Some(written))
            }
        };
        crate::portfolio::run(run.files, settings, worker, |_, (result, part)| {
            match part {
                Some(written) => out.write_all(&written?)?,
                None if self.parts => match (Part::of(&result)?, self.questions.as_deref_mut()) {
                    (Part::Assessed(a), Some(questions)) => questions.add(a),
                    (_, Some(_)) => {}
                    (part, None) => self.writer.part(part, out)?,
                },
                None => {}
            }
            portfolio.add(&result);
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            Ok::<(), RenderError>(())
        })?;
        if let Some(bar) = &progress {
            bar.finish_and_clear();
        }
        Ok(())
    }
}

/// Writes the report to a file (atomically) or, without one, to standard output, where a
/// reader that stops reading ends the run without an error.
fn write_to(
    file: Option<&Path>,
    descriptors: usize,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), RenderError>,
) -> Result<Written, DriveError> {
    if let Some(path) = file {
        write_atomically_with(path, |out| Ok(write(out)?))?;
        return Ok(Written::File(path.to_path_buf()));
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut out).and_then(|()| Ok(out.flush()?)) {
        Ok(()) => Ok(Written::Stdout),
        Err(e) if e.is_broken_pipe() => Ok(Written::Closed(descriptors)),
        Err(e) => Err(DriveError::Stdout(e)),
    }
}

/// The workers of a portfolio run: `asked` (`--jobs`), or one per core; never more than
/// [`JOBS_PER_CORE`] per core, which only wait for each other. With a note when the number
/// asked is lowered.
pub fn workers(asked: Option<u16>) -> (usize, Option<String>) {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let most = max_jobs(cores);
    match asked.map(usize::from) {
        None => (cores, None),
        Some(asked) if asked > most => (
            most,
            Some(format!(
                "note: --jobs {asked} is more than {most} ({JOBS_PER_CORE} per core, {}); using {most}",
                count(cores, "core", "cores")
            )),
        ),
        Some(asked) => (asked, None),
    }
}

/// The progress bar of a portfolio run, on a terminal only.
fn progress_bar(wanted: bool, files: usize) -> Option<indicatif::ProgressBar> {
    (wanted && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(files as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} descriptors, {eta} left")
        {
            bar.set_style(style);
        }
        bar
    })
}

/// The folder of `--questions-by`: created when missing; refused when it is a file.
fn prepare_folder(folder: &Path) -> Result<PathBuf, DriveError> {
    if folder.exists() && !folder.is_dir() {
        return Err(DriveError::NotAFolder(folder.to_path_buf()));
    }
    std::fs::create_dir_all(folder).map_err(|source| DriveError::Folder {
        path: folder.to_path_buf(),
        source,
    })?;
    Ok(folder.to_path_buf())
}

/// Writes the open questions of each organisation to its own file in `folder`, and the
/// index; returns how many organisation files. Files already there are kept unless
/// `force`: the user named the folder, not them. Nothing is written unless every file can be.
fn write_questions(
    questions: &Questions,
    folder: &Path,
    report: &Portfolio,
    render: &RenderOptions<'_>,
    force: bool,
) -> Result<usize, DriveError> {
    let files = questions
        .files(&report.as_of, render)
        .map_err(DriveError::Questions)?;
    let index = questions.index(&files).map_err(DriveError::Questions)?;
    let mut all: Vec<(&str, &str)> = vec![(INDEX, &index)];
    all.extend(
        files
            .iter()
            .map(|(_, name, text)| (name.as_str(), text.as_str())),
    );
    if !force {
        let existing: Vec<&str> = all
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| folder.join(name).exists())
            .collect();
        if let Some(first) = existing.first() {
            return Err(DriveError::Exists {
                folder: folder.to_path_buf(),
                existing: existing.len(),
                first: (*first).to_string(),
            });
        }
    }
    for (name, text) in &all {
        write_atomically(&folder.join(name), text)?;
    }
    Ok(files.len())
}

/// One line on what a portfolio run found.
pub fn summary_line(p: &Portfolio) -> String {
    let s = &p.summary;
    let mut line = format!(
        "{}: {} reject, {} conditional, {} acceptable",
        count(s.descriptors, "descriptor", "descriptors"),
        s.reject,
        s.conditional,
        s.acceptable
    );
    if s.errors > 0 {
        let _ = write!(
            line,
            "; {} could not be assessed (listed in the report)",
            s.errors
        );
    }
    line
}
