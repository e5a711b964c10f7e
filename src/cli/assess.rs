//! `rightscheck assess FILE|FOLDER…`: one report for a descriptor, or a portfolio report
//! for several.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{CatalogArgs, ColorChoice, Context, ExitStatus, Outcome};
use crate::assessment::FailOn;
use crate::config::Config;
use crate::deadlines::DeadlineChanges;
use crate::diagnostic::{Failure, Message, count};
use crate::document::Document;
use crate::drive::{self, Destination, Run, Written};
use crate::engine::{self, Engine, Options};
use crate::input;
use crate::output::{refuse_inputs, shown, stdout_failed, write_atomically};
use crate::profile::Profile;
use crate::report::error::RenderError;
use crate::report::{self, Only, RenderOptions, ReportFormat};
use crate::schema::{Issue, Schema};
use crate::waivers::Waivers;

#[derive(Debug, clap::Args)]
#[expect(clippy::struct_excessive_bools, reason = "each is a command-line flag")]
pub(super) struct Args {
    /// Descriptor file (YAML or JSON), or `-` for standard input; several files or a
    /// folder assess a whole inventory into one portfolio report
    #[arg(required = true, value_name = "FILE|FOLDER")]
    files: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Write the report to this file (replaced atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Date to assess as of, YYYY-MM-DD (default: today, or `SOURCE_DATE_EPOCH` when set)
    #[arg(long, value_name = "DATE", value_parser = crate::clock::parse_date)]
    as_of: Option<NaiveDate>,
    /// Exit with status 1 when a gap or open question reaches this severity [default: high]
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Also list rules that passed or do not apply
    #[arg(long)]
    all: bool,
    /// Never use colour (the same as `--color never`)
    #[arg(long)]
    no_color: bool,
    /// Name of the person or body making the assessment, for the report's record block
    #[arg(long, value_name = "NAME")]
    assessor: Option<String>,
    /// Replace the built-in template of a human format (HTML, Markdown) with this file
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// Days from the as-of date to each remediation's target date, by severity; severities
    /// not named keep their default [default: blocker=0,high=30,medium=90,low=180,info=365]
    #[arg(long, value_name = "SEVERITY=DAYS,...")]
    deadlines: Option<DeadlineChanges>,
    /// Accepted exceptions: a waivers file (rule, system, justification, approver, expiry)
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
    /// Tailor the catalog: a built-in profile (`procurement`, `self-assessment`, `audit`) or a file
    #[arg(long, value_name = "ID|FILE")]
    profile: Option<String>,
    /// Descriptors assessed at once, for several files or a folder (default: one per core)
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Never show the progress bar (it shows only on a terminal, for several files)
    #[arg(long)]
    no_progress: bool,
    /// CSV only: list gaps, open questions, or both (`all`, the default for a folder);
    /// questions a source never asks are rows only with `--all`
    #[arg(long, value_enum, value_name = "WHAT")]
    only: Option<Only>,
    /// CSV only: write the open questions of each deploying organisation to a file of its
    /// own, in the folder given with `--output`
    #[arg(long, value_enum, value_name = "BY", requires = "output")]
    questions_by: Option<QuestionsBy>,
    /// Also show the smallest set of changes that would lift the verdict one step (one
    /// descriptor; table, json, markdown and html formats)
    #[arg(long)]
    what_if: bool,
    /// With `--questions-by`: replace files of the same name already in the output folder
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    catalog: CatalogArgs,
}

/// How `--questions-by` splits the open questions into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum QuestionsBy {
    /// One file per deploying organisation (`roles.deployer.name`).
    Organisation,
}

/// The settings of one run: the flags given, else the settings file, else the defaults.
struct Settings<'a> {
    fail_on: FailOn,
    /// Over the profile's deadlines: the settings file's, then the flag's.
    deadlines: DeadlineChanges,
    assessor: Option<&'a str>,
    profile: Option<&'a str>,
}

impl<'a> Settings<'a> {
    fn of(args: &'a Args, config: &'a Config) -> Settings<'a> {
        Settings {
            fail_on: args.fail_on.or(config.fail_on).unwrap_or_default(),
            deadlines: config
                .deadlines
                .unwrap_or_default()
                .then(&args.deadlines.unwrap_or_default()),
            assessor: args.assessor.as_deref().or(config.assessor.as_deref()),
            // `--profile default` undoes a profile of the settings file: the catalog as written.
            profile: args
                .profile
                .as_deref()
                .or(config.profile.as_deref())
                .filter(|p| *p != "default"),
        }
    }
}

/// Flags that only make sense together, or only with some formats.
fn check_flags(args: &Args) -> Result<(), Message> {
    if (args.only.is_some() || args.questions_by.is_some()) && args.format != ReportFormat::Csv {
        return Err(Message::new(
            format!(
                "`{}` applies to the csv format, not `{}`",
                if args.only.is_some() {
                    "--only"
                } else {
                    "--questions-by"
                },
                args.format.as_str()
            ),
            "add `--format csv`",
        ));
    }
    if args.only.is_some() && args.all {
        return Err(Message::new(
            "`--only` and `--all` cannot be used together",
            "`--only` narrows the findings to gaps or open questions; `--all` lists every rule; choose one",
        ));
    }
    if args.force && args.questions_by.is_none() {
        return Err(Message::new(
            "`--force` applies with `--questions-by`",
            "`--output FILE` always replaces the file it names; leave out `--force`",
        ));
    }
    if args.what_if
        && !matches!(
            args.format,
            ReportFormat::Table | ReportFormat::Json | ReportFormat::Markdown | ReportFormat::Html
        )
    {
        return Err(Message::new(
            format!(
                "`--what-if` applies to the table, json, markdown and html formats, not `{}`",
                args.format.as_str()
            ),
            "add `--format json`, `--format markdown` or `--format html`, or leave out `--what-if`",
        ));
    }
    if args.template.is_some() && !args.format.uses_template() {
        return Err(Message::new(
            format!(
                "`--template` applies to the html and markdown formats, not `{}`",
                args.format.as_str()
            ),
            "add `--format html` or `--format markdown`, or leave out `--template`",
        ));
    }
    Ok(())
}

/// Every file `assess` reads besides the descriptors in folders: the files and folders
/// named, the template, the waivers, a profile file and the files of each rule pack.
fn read_by(args: &Args, settings: &Settings<'_>, packs: &[PathBuf]) -> Vec<PathBuf> {
    let mut read = args.files.clone();
    read.extend(args.template.iter().cloned());
    read.extend(args.waivers.iter().cloned());
    read.extend(settings.profile.map(PathBuf::from));
    for pack in packs {
        for folder in [pack.clone(), pack.join("tiers"), pack.join("retired")] {
            if let Ok(entries) = std::fs::read_dir(&folder) {
                read.extend(entries.flatten().map(|e| e.path()));
            }
        }
    }
    read
}

/// A `--template` file: text, read within the size limit of every file.
fn read_template(path: &Path) -> Result<String, Message> {
    let bytes = crate::document::read_bounded(path).map_err(|e| {
        Message::new(
            format!("cannot read the template: {e}"),
            "check the path given to `--template`",
        )
    })?;
    String::from_utf8(bytes).map_err(|_| {
        Message::new(
            format!("{}: the template is not UTF-8 text", shown(path)),
            "save the template as UTF-8 text",
        )
    })
}

/// The flags that shape the report but are not recorded in the assessment, for the
/// command that reproduces it.
fn reproduce(args: &Args, settings: &Settings<'_>) -> Vec<String> {
    let mut words = vec!["--format".to_string(), args.format.as_str().to_string()];
    if let Some(assessor) = settings.assessor {
        words.extend(["--assessor".to_string(), assessor.to_string()]);
    }
    if args.all {
        words.push("--all".to_string());
    }
    if args.what_if {
        words.push("--what-if".to_string());
    }
    if let Some(value) = args
        .only
        .and_then(|o| clap::ValueEnum::to_possible_value(&o))
    {
        words.extend(["--only".to_string(), value.get_name().to_string()]);
    }
    if let Some(template) = &args.template {
        words.extend(["--template".to_string(), template.display().to_string()]);
    }
    words
}

pub(super) fn run(args: &Args, ctx: &Context) -> Outcome {
    check_flags(args)?;
    // A portfolio checks every descriptor with the compiled validator, which takes longer
    // to compile than one descriptor takes to assess. It depends on nothing given here, so
    // it is compiled on another core while the catalog is built, and whoever asks first
    // waits for it (once); a thread that cannot be started changes nothing. One
    // descriptor is checked without it, and everything else it needs is quicker to make
    // on this thread than to wait for from another.
    let portfolio =
        !matches!(args.files.as_slice(), [one] if !one.is_dir() && args.questions_by.is_none());
    if portfolio {
        let _ = std::thread::Builder::new().spawn(move || {
            let _ = Schema::descriptor().and_then(Schema::prepare);
        });
    }
    let config = ctx.config()?;
    let settings = Settings::of(args, config);
    let packs = if args.catalog.packs.is_empty() {
        config.rules.clone()
    } else {
        args.catalog.packs.clone()
    };
    let catalog = ctx.catalog(&packs)?;
    let options = Options {
        as_of: match args.as_of {
            Some(d) => d,
            None => crate::clock::today()?,
        },
        fail_on: settings.fail_on,
    };
    if let Some(profile) = settings.profile {
        ctx.info(&format!("profile: {profile}"));
    }
    let tailoring = engine::Tailoring {
        profile: settings
            .profile
            .map_or_else(|| Ok(Profile::default()), Profile::resolve)?,
        waivers: args
            .waivers
            .as_deref()
            .map(Waivers::from_path)
            .transpose()?,
    };
    for (what, file) in [("waivers", &args.waivers), ("template", &args.template)] {
        if let Some(file) = file {
            ctx.info(&format!("{what}: {}", shown(file)));
        }
    }
    let template = args.template.as_deref().map(read_template).transpose()?;
    let engine = Engine::new(&catalog, &tailoring)?;
    let color = if args.no_color {
        ColorChoice::Never
    } else {
        ctx.color
    };
    let output = args.output.as_deref();
    let reproduce = reproduce(args, &settings);
    let render = RenderOptions {
        color: args.format == ReportFormat::Table && color.enabled(Context::to_terminal(output)),
        width: Some(Context::width_for(output)),
        show_all: args.all,
        assessor: settings.assessor,
        template: template.as_deref(),
        deadlines: tailoring.profile.deadlines()?.with(&settings.deadlines),
        only: args.only,
        reproduce: &reproduce,
    };
    let read = read_by(args, &settings, &packs);
    let job = Job {
        args,
        ctx,
        engine: &engine,
        options,
        render: &render,
    };
    match args.files.as_slice() {
        [one] if !portfolio => {
            if let Some(path) = output {
                refuse_inputs(path, read.iter().map(PathBuf::as_path))?;
            }
            job.single(one)
        }
        _ if args.what_if => Err(Message::new(
            "`--what-if` looks at one descriptor at a time, not a portfolio",
            "run `rightscheck assess FILE --what-if` for each system you want to lift",
        )
        .into()),
        _ => job.portfolio(read),
    }
}

/// What a run of one descriptor still holds once its report is written. The process ends
/// next and its memory goes back to the system whole: freeing the assessment and the
/// descriptor's tree first, one allocation at a time (about a thousand), would only cost
/// time.
fn left_for_exit<T>(held: T) {
    std::mem::forget(held);
}

/// Everything an assessment needs, once the flags and settings are read.
struct Job<'a> {
    args: &'a Args,
    ctx: &'a Context,
    engine: &'a Engine<'a>,
    options: Options,
    render: &'a RenderOptions<'a>,
}

impl Job<'_> {
    /// One descriptor: one report.
    fn single(&self, file: &Path) -> Outcome {
        self.ctx
            .info(&format!("reading {}", shown(Path::new(&input::name(file)))));
        let doc = input::read(file)?;
        let (issues, total) = Schema::descriptor()?.validate_counted(&doc)?;
        if !issues.is_empty() {
            return Err(not_assessed(&doc, &issues, total));
        }
        // Validated just above: evaluated at once rather than validated again by `assess`.
        let mut assessment = self.engine.evaluate(&doc, &self.options).to_assessment();
        if self.args.what_if {
            assessment.what_if = Some(crate::whatif::what_if(self.engine, &doc, &self.options));
        }
        // JSON to standard output is written as it is rendered: it cannot fail halfway but
        // for the output itself, and the largest report is then never held whole.
        if self.args.format == ReportFormat::Json && self.args.output.is_none() {
            let mut stdout = std::io::stdout().lock();
            let written = report::write(self.args.format, &assessment, self.render, &mut stdout)
                .and_then(|()| Ok(std::io::Write::flush(&mut stdout)?));
            match written {
                Err(RenderError::Io(e)) => stdout_failed(e)?,
                Err(e) => return Err(e.into()),
                Ok(()) => {}
            }
            let status = ExitStatus::findings_if(assessment.fails());
            left_for_exit((doc, assessment));
            return Ok(status);
        }
        // Rendered in full before anything is written: a failure leaves no file behind.
        let text =
            report::render(self.args.format, &assessment, self.render).map_err(|e| -> Failure {
                match &self.args.template {
                    Some(path) => Message::new(
                        format!("{}: {e:#}", shown(path)),
                        "fix the template, or leave out `--template` to use the built-in one",
                    )
                    .into(),
                    None => e.into(),
                }
            })?;
        match &self.args.output {
            Some(path) => {
                write_atomically(path, &text)?;
                self.ctx.note(&format!(
                    "wrote {}: verdict {}, {}, {}, {} waived",
                    shown(path),
                    assessment.verdict.as_str(),
                    count(assessment.summary.gap, "gap", "gaps"),
                    count(
                        assessment.summary.unknown,
                        "open question",
                        "open questions"
                    ),
                    assessment.summary.waived
                ));
            }
            None => crate::output::print(&text)?,
        }
        let status = ExitStatus::findings_if(assessment.fails());
        left_for_exit((doc, assessment));
        Ok(status)
    }

    /// Several descriptors, or folders of them: one portfolio report.
    fn portfolio(&self, mut read: Vec<PathBuf>) -> Outcome {
        if self.args.files.iter().any(|f| input::is_stdin(f)) {
            return Err(Message::new(
                "`-` (standard input) is one descriptor and cannot be part of a portfolio",
                "give the descriptor on standard input alone, or save it to a file",
            )
            .into());
        }
        let files = crate::portfolio::collect_inputs(&self.args.files)?;
        self.ctx.info(&format!(
            "{} to assess",
            count(files.len(), "descriptor", "descriptors")
        ));
        if let Some(path) = &self.args.output {
            read.extend(files.iter().cloned());
            refuse_inputs(path, read.iter().map(PathBuf::as_path))?;
        }
        let destination = match (self.args.questions_by, self.args.output.as_deref()) {
            (Some(QuestionsBy::Organisation), Some(folder)) => Destination::Questions {
                folder,
                force: self.args.force,
            },
            (_, Some(path)) => Destination::File(path),
            (_, None) => Destination::Stdout,
        };
        let (jobs, note) = drive::workers(self.args.jobs);
        if let Some(note) = note {
            self.ctx.note(&note);
        }
        let run = Run {
            files: &files,
            format: self.args.format,
            render: self.render,
            destination,
            jobs,
            progress: !self.args.no_progress && !self.ctx.quiet,
        };
        let (report, written) = drive::assess(self.engine, self.options, &run)?;
        self.ctx.note(&written.line(&report));
        if !matches!(written, Written::Stdout | Written::Closed(_)) {
            for e in &report.errors {
                eprintln!("{}", crate::report::sanitize_terminal(&e.to_string()));
            }
        }
        Ok(if report.summary.errors > 0 {
            ExitStatus::Error
        } else {
            ExitStatus::findings_if(report.fails())
        })
    }
}

/// Prints a descriptor's mistakes; the failure that ends `assess`.
fn not_assessed(doc: &Document, issues: &[Issue], total: usize) -> Failure {
    eprint!("{}", super::validate::mistake_lines(issues, total));
    let name = if doc.name == input::STDIN_NAME {
        "-"
    } else {
        &doc.name
    };
    Message::new(
        format!(
            "{}: {}; nothing was assessed",
            doc.name,
            count(total, "mistake", "mistakes")
        ),
        format!("fix them and run again; `rightscheck validate {name}` checks the file alone"),
    )
    .into()
}
