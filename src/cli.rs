//! The command line: argument definitions and the commands they run. `main.rs` only maps
//! the result to an exit status.

use std::fmt::Write as _;
use std::io::{IsTerminal, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::assessment::FailOn;
use crate::document::Document;
use crate::engine::{self, AssessError, Options};
use crate::portfolio::{self, Portfolio};
use crate::profile::Profile;
use crate::report::{self, RenderOptions, ReportFormat, sanitize_terminal};
use crate::rules::{Catalog, Rule};
use crate::schema::{self, Issue, Schema};
use crate::waivers::Waivers;

mod output;

pub use output::{same_file, sync_folder, write_atomically, write_atomically_with, write_unsynced};

/// The descriptor template written by `init`.
pub const TEMPLATE: &str = crate::data::get("templates/descriptor.yaml");

/// Exit status: nothing at or above the failure threshold.
pub const EXIT_OK: u8 = 0;
/// Exit status: findings (or validation errors) at or above the threshold.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage, input or internal error.
pub const EXIT_ERROR: u8 = 2;

/// Checks an AI system against the human-rights calls to action governments have adopted,
/// and tells you exactly what is missing.
#[derive(Debug, Parser)]
#[command(name = "rightscheck", version, about, long_about = None)]
#[command(
    after_help = "Start with `rightscheck init my-system.yaml`, fill it in, then `rightscheck assess my-system.yaml`.\nExit status: 0 nothing at or above the failure threshold, 1 findings at or above it, 2 usage or input error."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a commented template of every section of a descriptor
    Init {
        /// File to create
        file: PathBuf,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Check descriptors for mistakes: all of them at once, with line numbers
    Validate {
        /// Descriptor files (YAML or JSON)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Assess a descriptor against the rules and report the verdict and every gap
    Assess(AssessArgs),
    /// The rule catalog
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Explain one rule: what it checks, why it matters, how to close the gap, sources
    Explain {
        /// Rule id, e.g. RC-OVS-001
        id: String,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// Profiles: tailorings of the catalog for procurement, self-assessment or audit
    Profiles {
        #[command(subcommand)]
        command: ProfilesCommand,
    },
    /// Compare two JSON assessments: gaps closed, new gaps, changes; exit 1 on any regression
    Diff {
        /// The earlier assessment (`assess --format json`)
        old: PathBuf,
        /// The later assessment
        new: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = CoverageFormat::Table)]
        format: CoverageFormat,
    },
    /// Turn a public register's records into descriptors, one file per record; the
    /// register and its vintage are recognised from the file's columns or keys
    Import {
        /// The register's export, as published (CSV or JSON)
        file: PathBuf,
        /// Folder to write the descriptors in (created if missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Read the file with this mapping file (for a register rightscheck does not ship)
        #[arg(long, value_name = "FILE", conflicts_with = "register")]
        mapping: Option<PathBuf>,
        /// Read the file with this built-in mapping instead of recognising it
        #[arg(long, value_name = "ID")]
        register: Option<String>,
        /// Replace descriptors that already exist
        #[arg(long)]
        force: bool,
    },
    /// The register mappings built in: which column feeds which field, and how
    Registers {
        #[command(subcommand)]
        command: RegistersCommand,
    },
    /// Print a JSON Schema, for editors and other tools
    Schema {
        /// Which schema
        #[arg(value_enum)]
        which: SchemaKind,
    },
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List every rule
    List {
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// Run each rule's fixtures: the built-in catalog, or the pack in DIR
    Test {
        /// A rules folder with a `fixtures/<RULE-ID>/` folder per rule (default: built-in)
        dir: Option<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// The traceability matrix: every call to action, with the rules that encode it or why none does
    Coverage {
        /// Output format
        #[arg(long, value_enum, default_value_t = CoverageFormat::Table)]
        format: CoverageFormat,
        /// Instead, every provision of this framework (e.g. `eu-ai-act`, `coe-cets-225`,
        /// `nist-ai-rmf`, `ungp`): the rules crosswalked to it, or why no rule can check it
        #[arg(long, value_name = "ID")]
        framework: Option<String>,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// The impact levels: their points, what puts a system at each, and the rules each adds
    Levels {
        /// Output format
        #[arg(long, value_enum, default_value_t = CoverageFormat::Table)]
        format: CoverageFormat,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// Check a rule pack without running it: format, fields, quotes, calls, fixtures
    Lint {
        /// The rules folder
        dir: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Show one rule in full (same as `rightscheck explain`)
    Show {
        /// Rule id, e.g. RC-OVS-001
        id: String,
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
}

#[derive(Debug, Subcommand)]
enum ProfilesCommand {
    /// List the built-in profiles
    List {
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Show one profile in full: a built-in id or a profile file
    Show {
        /// Profile id, e.g. procurement, or a file
        id: String,
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    /// For people
    Table,
    /// For programs
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CoverageFormat {
    /// For people
    Table,
    /// For programs
    Json,
    /// For documents
    Markdown,
}

#[derive(Debug, Subcommand)]
enum RegistersCommand {
    /// List the built-in mappings, field by field
    List,
    /// Show one mapping in full: every answer read and every answer left unread, with why
    Show {
        /// Mapping id (see `registers list`) or a mapping file
        id: String,
        /// Print the mapping file itself, to start a mapping of your own from
        #[arg(long)]
        source: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaKind {
    /// The AI system descriptor
    Descriptor,
    /// A rule file
    Rule,
    /// The JSON report (`assess --format json`)
    Assessment,
    /// A waivers file (`assess --waivers`)
    Waivers,
    /// A profile file (`assess --profile FILE`)
    Profile,
    /// The JSON report of several descriptors (`assess --format json FOLDER`)
    Portfolio,
}

#[derive(Debug, clap::Args)]
struct CatalogArgs {
    /// Add the rules in this folder to the built-in catalog (repeatable)
    #[arg(long = "rules", value_name = "DIR")]
    packs: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
#[expect(clippy::struct_excessive_bools, reason = "each is a command-line flag")]
struct AssessArgs {
    /// Descriptor file (YAML or JSON); several files or a folder assess a whole inventory
    /// into one portfolio report
    #[arg(required = true, value_name = "FILE|FOLDER")]
    files: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Write the report to this file (replaced atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Date to assess as of, YYYY-MM-DD (default: today, or `SOURCE_DATE_EPOCH` when set)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Exit with status 1 when a gap or open question reaches this severity
    #[arg(long, value_enum, default_value_t = FailOn::High)]
    fail_on: FailOn,
    /// Also list rules that passed or do not apply
    #[arg(long)]
    all: bool,
    /// Never use colour (also when `NO_COLOR` is set)
    #[arg(long)]
    no_color: bool,
    /// Name of the person or body making the assessment, for the report's record block
    #[arg(long, value_name = "NAME")]
    assessor: Option<String>,
    /// Replace the built-in template of a human format (HTML, Markdown) with this file
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// Days from the as-of date to each remediation's target date, by severity; severities
    /// not named keep their default
    #[arg(long, value_name = "SEVERITY=DAYS,...", default_value_t = crate::report::Deadlines::default())]
    deadlines: crate::report::Deadlines,
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
    only: Option<crate::report::Only>,
    /// CSV only: write the open questions of each deploying organisation to a file of its
    /// own, in the folder given with `--output`
    #[arg(long, value_enum, value_name = "BY", requires = "output")]
    questions_by: Option<QuestionsBy>,
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

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    // chrono alone accepts `2026-6-30`; the format promises four, two and two digits.
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shaped
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            format!(
                "`{}` is not a date written as YYYY-MM-DD, e.g. 2026-06-30",
                sanitize_terminal(s)
            )
        })
}

/// An error already explained to the user, with the exit status to use.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
}

impl Failure {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            help: Some(help.into()),
        }
    }
}

impl From<report::RenderError> for Failure {
    fn from(err: report::RenderError) -> Self {
        Failure {
            message: err.to_string(),
            help: None,
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(err: anyhow::Error) -> Self {
        Failure {
            message: format!("{err:#}"),
            help: None,
        }
    }
}

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Init { file, force } => init(&file, force),
        Command::Validate { files, format } => validate(&files, format),
        Command::Assess(args) => assess(&args),
        Command::Rules { command } => match command {
            RulesCommand::List { format, catalog } => rules_list(&load_catalog(&catalog)?, format),
            RulesCommand::Test { dir, format } => rules_test(dir.as_deref(), format),
            RulesCommand::Coverage {
                format,
                framework,
                catalog,
            } => match framework {
                Some(id) => framework_coverage(&load_catalog(&catalog)?, &id, format),
                None => rules_coverage(&load_catalog(&catalog)?, format),
            },
            RulesCommand::Levels { format, catalog } => {
                rules_levels(&load_catalog(&catalog)?, format)
            }
            RulesCommand::Lint { dir, format } => rules_lint(&dir, format),
            RulesCommand::Show {
                id,
                format,
                catalog,
            } => explain(&load_catalog(&catalog)?, &id, format),
        },
        Command::Explain { id, catalog } => {
            explain(&load_catalog(&catalog)?, &id, ListFormat::Table)
        }
        Command::Profiles { command } => match command {
            ProfilesCommand::List { format } => profiles_list(format),
            ProfilesCommand::Show { id, format } => profiles_show(&id, format),
        },
        Command::Diff { old, new, format } => diff(&old, &new, format),
        Command::Import {
            file,
            out,
            mapping,
            register,
            force,
        } => {
            let choice = match (&mapping, &register) {
                (Some(path), _) => crate::import::Choice::Mapping(path),
                (None, Some(id)) => crate::import::Choice::Register(id),
                (None, None) => crate::import::Choice::Detect,
            };
            import(choice, &file, &out, force)
        }
        Command::Registers { command } => registers(command),
        Command::Schema { which } => {
            let text = match which {
                SchemaKind::Descriptor => schema::DESCRIPTOR_SCHEMA,
                SchemaKind::Rule => schema::RULE_SCHEMA,
                SchemaKind::Assessment => schema::ASSESSMENT_SCHEMA,
                SchemaKind::Portfolio => schema::PORTFOLIO_SCHEMA,
                SchemaKind::Waivers => schema::WAIVERS_SCHEMA,
                SchemaKind::Profile => schema::PROFILE_SCHEMA,
            };
            print_out(text)?;
            Ok(EXIT_OK)
        }
    }
}

/// A path as it may be printed: control and bidirectional characters of its name (a
/// newline that would forge a line of output) shown as escapes.
pub(crate) fn shown(path: &Path) -> String {
    crate::report::sanitize_line(&path.display().to_string())
}

/// Prints text for people (tables, listings, rule and profile documentation), cleaned of
/// terminal controls whoever wrote it: rule packs and profile files are input too.
fn print_human(text: &str) -> Result<(), Failure> {
    print_out(&sanitize_terminal(text))
}

fn print_out(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::new(
            format!("cannot write to standard output: {e}"),
            "check the disk or the pipe",
        )),
        _ => Ok(()),
    }
}

fn load_catalog(args: &CatalogArgs) -> Result<Catalog, Failure> {
    let mut catalog = Catalog::builtin()
        .map_err(|e| Failure::new(e.to_string(), e.help()))?
        .clone();
    for dir in &args.packs {
        let pack = Catalog::from_dir(dir).map_err(|e| Failure::new(e.to_string(), e.help()))?;
        catalog
            .extend(pack)
            .map_err(|e| Failure::new(e.to_string(), e.help()))?;
    }
    Ok(catalog)
}

fn read_document(path: &Path) -> Result<Document, Failure> {
    Document::from_path(path).map_err(|e| Failure::new(e.to_string(), e.help()))
}

fn init(file: &Path, force: bool) -> Result<u8, Failure> {
    // `symlink_metadata`: a link, even one to nowhere, is something that exists.
    if std::fs::symlink_metadata(file).is_ok() && !force {
        return Err(Failure::new(
            format!("{} already exists; nothing was written", shown(file)),
            "choose another name, or add `--force` to replace it",
        ));
    }
    write_atomically(file, TEMPLATE)?;
    eprintln!(
        "wrote {}: fill in what you know, leave the rest empty, then run `rightscheck validate {}`",
        shown(file),
        shown(file)
    );
    Ok(EXIT_OK)
}

#[derive(Serialize)]
struct ValidationReport<'a> {
    file: String,
    valid: bool,
    errors: &'a [Issue],
    /// Mistakes found past the first [`schema::MAX_MISTAKES`], not listed.
    #[serde(skip_serializing_if = "is_zero")]
    more: usize,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes a reference"
)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The lines of a document's mistakes for the terminal: the first
/// [`schema::MAX_MISTAKES`], then how many more there are.
fn mistake_lines(issues: &[Issue], total: usize) -> String {
    let mut text = String::new();
    for issue in issues {
        text.push_str(&sanitize_terminal(&issue.to_string()));
        text.push('\n');
    }
    if total > issues.len() {
        let _ = writeln!(
            text,
            "… and {} more mistake(s), not listed: fix these first",
            total - issues.len()
        );
    }
    text
}

fn validate(files: &[PathBuf], format: ListFormat) -> Result<u8, Failure> {
    let schema = Schema::descriptor()
        .map_err(|e| Failure::new(e.to_string(), "this is a bug; please report it"))?;
    let mut any_invalid = false;
    let mut reports = Vec::new();
    let mut text = String::new();
    let mut unreadable = false;
    for path in files {
        let doc = match read_document(path) {
            Ok(doc) => doc,
            Err(failure) => {
                // One unreadable file is reported; the others are still checked.
                eprintln!("error: {}", sanitize_terminal(&failure.message));
                if let Some(help) = failure.help {
                    eprintln!("  help: {}", sanitize_terminal(&help));
                }
                unreadable = true;
                continue;
            }
        };
        let (issues, total) = schema.validate_counted(&doc);
        any_invalid |= !issues.is_empty();
        if issues.is_empty() {
            let _ = writeln!(text, "{}: valid", shown(path));
        } else {
            text.push_str(&mistake_lines(&issues, total));
            let _ = writeln!(text, "{}: {} mistake(s)", shown(path), total);
        }
        reports.push((path.display().to_string(), issues, total));
    }
    match format {
        ListFormat::Table => {
            if any_invalid {
                eprint!("{text}");
            } else {
                print_out(&text)?;
            }
        }
        ListFormat::Json => {
            let out: Vec<ValidationReport> = reports
                .iter()
                .map(|(file, issues, total)| ValidationReport {
                    file: file.clone(),
                    valid: issues.is_empty(),
                    errors: issues,
                    more: total - issues.len(),
                })
                .collect();
            let json = serde_json::to_string_pretty(&out)
                .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
            print_out(&(json + "\n"))?;
        }
    }
    Ok(if unreadable {
        EXIT_ERROR
    } else if any_invalid {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// The default as-of date: `SOURCE_DATE_EPOCH` when set (reproducible builds), else today (UTC).
fn default_as_of() -> Result<NaiveDate, Failure> {
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch.trim().parse().map_err(|_| {
            Failure::new(
                format!("SOURCE_DATE_EPOCH is `{epoch}`, not a number of seconds"),
                "unset it or give seconds since 1970-01-01",
            )
        })?;
        return chrono::DateTime::from_timestamp(secs, 0)
            .map(|d| d.date_naive())
            .ok_or_else(|| {
                Failure::new(
                    "SOURCE_DATE_EPOCH is out of range",
                    "give seconds since 1970-01-01",
                )
            });
    }
    Ok(chrono::Utc::now().date_naive())
}

fn use_color(no_color_flag: bool, to_terminal: bool) -> bool {
    !no_color_flag && to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Every file `assess` reads besides the descriptors in folders: the files and folders
/// named, the template, the waivers, a profile file and the files of each rule pack.
fn read_by(args: &AssessArgs) -> Vec<PathBuf> {
    let mut read = args.files.clone();
    read.extend(args.template.iter().cloned());
    read.extend(args.waivers.iter().cloned());
    read.extend(args.profile.iter().map(PathBuf::from));
    for pack in &args.catalog.packs {
        for folder in [pack.clone(), pack.join("tiers"), pack.join("retired")] {
            if let Ok(entries) = std::fs::read_dir(&folder) {
                read.extend(entries.flatten().map(|e| e.path()));
            }
        }
    }
    read
}

/// The profile and waivers named on the command line.
fn load_tailoring(args: &AssessArgs) -> Result<engine::Tailoring, Failure> {
    Ok(engine::Tailoring {
        profile: match &args.profile {
            Some(name) => {
                Profile::resolve(name).map_err(|e| Failure::new(e.to_string(), e.help()))?
            }
            None => Profile::default(),
        },
        waivers: match &args.waivers {
            Some(path) => {
                Some(Waivers::from_path(path).map_err(|e| Failure::new(e.to_string(), e.help()))?)
            }
            None => None,
        },
    })
}

/// Flags that only make sense together, or only with some formats.
fn check_flags(args: &AssessArgs) -> Result<(), Failure> {
    if (args.only.is_some() || args.questions_by.is_some()) && args.format != ReportFormat::Csv {
        return Err(Failure::new(
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
        return Err(Failure::new(
            "`--only` and `--all` cannot be used together",
            "`--only` narrows the findings to gaps or open questions; `--all` lists every rule; choose one",
        ));
    }
    if args.force && args.questions_by.is_none() {
        return Err(Failure::new(
            "`--force` applies with `--questions-by`",
            "`--output FILE` always replaces the file it names; leave out `--force`",
        ));
    }
    Ok(())
}

fn assess(args: &AssessArgs) -> Result<u8, Failure> {
    check_flags(args)?;
    if args.template.is_some() && !args.format.uses_template() {
        return Err(Failure::new(
            format!(
                "`--template` applies to the html and markdown formats, not `{}`",
                args.format.as_str()
            ),
            "add `--format html` or `--format markdown`, or leave out `--template`",
        ));
    }
    let catalog = load_catalog(&args.catalog)?;
    let options = Options {
        as_of: match args.as_of {
            Some(d) => d,
            None => default_as_of()?,
        },
        fail_on: args.fail_on,
    };
    let tailoring = load_tailoring(args)?;
    let template = args.template.as_deref().map(read_template).transpose()?;
    let engine = engine::Engine::new(&catalog, &tailoring).map_err(|e| match e {
        AssessError::Profile(e) => Failure::new(e.to_string(), e.help()),
        AssessError::Waiver(e) => Failure::new(e.to_string(), e.help()),
        other => Failure::new(other.to_string(), "this is a bug; please report it"),
    })?;
    let single = match args.files.as_slice() {
        [one] if !one.is_dir() => Some(one),
        _ => None,
    };
    let Some(file) = single.filter(|_| args.questions_by.is_none()) else {
        return assess_portfolio(args, &engine, options, template.as_deref());
    };
    if let Some(path) = &args.output {
        output::refuse_inputs(path, read_by(args).iter().map(PathBuf::as_path))?;
    }
    let doc = read_document(file)?;
    let (issues, total) = Schema::descriptor()
        .map_err(|e| Failure::new(e.to_string(), "this is a bug; please report it"))?
        .validate_counted(&doc);
    if !issues.is_empty() {
        return Err(not_assessed(&doc, &issues, total));
    }
    let assessment = match engine.assess(&doc, &options) {
        Ok(a) => a,
        Err(AssessError::Invalid(issues)) => {
            return Err(not_assessed(&doc, &issues, issues.len()));
        }
        Err(AssessError::Schema(e)) => {
            return Err(Failure::new(
                e.to_string(),
                "this is a bug; please report it",
            ));
        }
        Err(AssessError::Profile(e)) => return Err(Failure::new(e.to_string(), e.help())),
        Err(AssessError::Waiver(e)) => return Err(Failure::new(e.to_string(), e.help())),
    };
    let render = render_options(args, template.as_deref());
    // Rendered in full before anything is written: a failure leaves no file behind.
    let text = report::renderer(args.format)
        .render(&assessment, &render)
        .map_err(|e| match &args.template {
            Some(path) => Failure::new(
                format!("{}: {e:#}", shown(path)),
                "fix the template, or leave out `--template` to use the built-in one",
            ),
            None => Failure::from(e),
        })?;
    match &args.output {
        Some(path) => {
            write_atomically(path, &text)?;
            eprintln!(
                "wrote {}: verdict {}, {} gap(s), {} open question(s), {} waived",
                shown(path),
                assessment.verdict.as_str(),
                assessment.summary.gap,
                assessment.summary.unknown,
                assessment.summary.waived
            );
        }
        None => print_out(&text)?,
    }
    Ok(if assessment.fails() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// Prints a descriptor's mistakes; the failure that ends `assess`.
fn not_assessed(doc: &Document, issues: &[Issue], total: usize) -> Failure {
    eprint!("{}", mistake_lines(issues, total));
    Failure::new(
        format!("{}: {total} mistake(s); nothing was assessed", doc.name),
        format!(
            "fix them and run again; `rightscheck validate {}` checks the file alone",
            doc.name
        ),
    )
}

/// A `--template` file: text, read within the size limit of every file.
fn read_template(path: &Path) -> Result<String, Failure> {
    let bytes = crate::document::read_bounded(path).map_err(|e| {
        Failure::new(
            format!("cannot read the template: {e}"),
            "check the path given to `--template`",
        )
    })?;
    String::from_utf8(bytes).map_err(|_| {
        Failure::new(
            format!("{}: the template is not UTF-8 text", shown(path)),
            "save the template as UTF-8 text",
        )
    })
}

/// The workers of a portfolio run: `--jobs`, or one per core; never more than
/// [`portfolio::JOBS_PER_CORE`] per core, which only wait for each other.
fn workers(asked: Option<u16>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let most = portfolio::max_jobs(cores);
    match asked.map(usize::from) {
        None => cores,
        Some(asked) if asked > most => {
            eprintln!(
                "note: --jobs {asked} is more than {most} ({} per core, {cores} core(s)); using {most}",
                portfolio::JOBS_PER_CORE
            );
            most
        }
        Some(asked) => asked,
    }
}

/// How the report of `assess` looks.
fn render_options<'a>(args: &'a AssessArgs, template: Option<&'a str>) -> RenderOptions<'a> {
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    RenderOptions {
        color: args.format == ReportFormat::Table && use_color(args.no_color, to_terminal),
        width: None,
        show_all: args.all,
        assessor: args.assessor.as_deref(),
        template,
        deadlines: args.deadlines,
        only: args.only,
    }
}

/// `assess` over several files or folders: one portfolio report.
fn assess_portfolio(
    args: &AssessArgs,
    engine: &engine::Engine<'_>,
    options: Options,
    template: Option<&str>,
) -> Result<u8, Failure> {
    let files = portfolio::collect_inputs(&args.files)
        .map_err(|e| Failure::new(e.to_string(), e.help()))?;
    if let Some(path) = &args.output {
        let mut read = read_by(args);
        read.extend(files.iter().cloned());
        output::refuse_inputs(path, read.iter().map(PathBuf::as_path))?;
    }
    let render = render_options(args, template);
    let mut report = Portfolio::new(engine, &options);
    let questions_folder = match (&args.questions_by, &args.output) {
        (Some(QuestionsBy::Organisation), Some(folder)) => Some(prepare_folder(folder)?),
        _ => None,
    };
    let mut questions = report::portfolio::questions::Questions::default();
    let mut boxed;
    let writer: &mut dyn report::portfolio::PortfolioWriter = if questions_folder.is_some() {
        &mut questions
    } else {
        boxed = report::portfolio::writer(args.format, &report.as_of);
        boxed.as_mut()
    };
    let fields = portfolio::RuleFields::of(engine.catalog());
    let settings = portfolio::Settings {
        engine,
        options,
        jobs: workers(args.jobs),
        findings: writer.findings(),
        fields: &fields,
    };
    let spill_failure = |e: &dyn std::fmt::Display| {
        Failure::new(
            format!("cannot write a temporary file for the report: {e}"),
            "check the space in the temporary folder (TMPDIR)",
        )
    };
    let mut spill = std::io::BufWriter::new(tempfile::tempfile().map_err(|e| spill_failure(&e))?);
    let progress = progress_bar(args, files.len());
    portfolio::run(&files, &settings, |_, result| {
        writer.system(&result, &render, &mut spill)?;
        report.add(&result);
        if let Some(bar) = &progress {
            bar.inc(1);
        }
        Ok::<(), anyhow::Error>(())
    })
    .map_err(|e| {
        Failure::new(
            format!("cannot write the report: {e:#}"),
            "check the space in the temporary folder (TMPDIR); if there is room, this is a bug: please report it",
        )
    })?;
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let mut spill = spill.into_inner().map_err(|e| spill_failure(&e.error()))?;
    spill.rewind().map_err(|e| spill_failure(&e))?;
    let mut spilled = std::io::BufReader::new(spill);
    if let Some(folder) = &questions_folder {
        write_questions(&questions, folder, &report, &render, args.force)?;
    } else if let Some(path) = &args.output {
        write_atomically_with(path, |out| {
            Ok(writer.finish(&report, &render, &mut spilled, out)?)
        })?;
        eprintln!("wrote {}: {}", shown(path), portfolio_line(&report));
        for e in &report.errors {
            eprintln!("{}", sanitize_terminal(&e.to_string()));
        }
    } else {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let written = writer
            .finish(&report, &render, &mut spilled, &mut out)
            .and_then(|()| Ok(out.flush()?));
        if let Err(e) = written
            && !e.is_broken_pipe()
        {
            return Err(Failure::new(
                format!("cannot write the report: {e:#}"),
                "check the disk or the pipe",
            ));
        }
        eprintln!("{}", portfolio_line(&report));
    }
    Ok(if report.summary.errors > 0 {
        EXIT_ERROR
    } else if report.fails() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// The progress bar of a portfolio run, on a terminal unless `--no-progress`.
fn progress_bar(args: &AssessArgs, files: usize) -> Option<indicatif::ProgressBar> {
    (!args.no_progress && std::io::stderr().is_terminal()).then(|| {
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
fn prepare_folder(folder: &Path) -> Result<PathBuf, Failure> {
    if folder.exists() && !folder.is_dir() {
        return Err(Failure::new(
            format!(
                "{}: `--questions-by` writes one file per organisation into a folder, and this is a file",
                folder.display()
            ),
            "give `--output` a folder (it is created when missing)",
        ));
    }
    std::fs::create_dir_all(folder).map_err(|e| {
        Failure::new(
            format!("cannot create the folder {}: {e}", folder.display()),
            "check the path and that you may write there",
        )
    })?;
    Ok(folder.to_path_buf())
}

/// Writes the open questions of each organisation to its own file in `folder`, and the
/// index. Files already there are kept unless `force`: the user named the folder, not them.
/// Nothing is written unless every file can be.
fn write_questions(
    questions: &report::portfolio::questions::Questions,
    folder: &Path,
    report: &Portfolio,
    render: &RenderOptions<'_>,
    force: bool,
) -> Result<(), Failure> {
    let files = questions.files(&report.as_of, render)?;
    let index = questions.index(&files)?;
    let mut all: Vec<(&str, &str)> = vec![(report::portfolio::questions::INDEX, &index)];
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
            return Err(Failure::new(
                format!(
                    "{}: {} file(s) of this run already exist, e.g. `{first}`; nothing was written",
                    folder.display(),
                    existing.len()
                ),
                "choose an empty folder, or add `--force` to replace them (other files are kept)",
            ));
        }
    }
    for (name, text) in &all {
        write_atomically(&folder.join(name), text)?;
    }
    eprintln!(
        "wrote {} and {} organisation file(s) to {}: {}",
        report::portfolio::questions::INDEX,
        files.len(),
        folder.display(),
        portfolio_line(report)
    );
    for e in &report.errors {
        eprintln!("{}", sanitize_terminal(&e.to_string()));
    }
    Ok(())
}

/// One line on what a portfolio run found.
fn portfolio_line(p: &Portfolio) -> String {
    let s = &p.summary;
    let mut line = format!(
        "{} descriptor(s): {} reject, {} conditional, {} acceptable",
        s.descriptors, s.reject, s.conditional, s.acceptable
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

#[derive(Serialize)]
struct RuleSummary<'a> {
    id: &'a str,
    title: &'a str,
    theme: &'a str,
    severity: crate::rules::Severities,
    #[serde(skip_serializing_if = "Option::is_none")]
    applies_from: Option<crate::rules::Level>,
    sources: &'a [crate::rules::Source],
}

/// A rule's severity in words, with the level it applies from: `high`, or
/// `from II: medium at II, high from III`.
fn severity_words(rule: &Rule) -> String {
    let from = rule.applies_from.unwrap_or(crate::rules::Level::I);
    let words = rule.severity.describe(from);
    match rule.applies_from {
        Some(level) => format!("from level {level}: {words}"),
        None => words,
    }
}

fn rules_list(catalog: &Catalog, format: ListFormat) -> Result<u8, Failure> {
    match format {
        ListFormat::Json => {
            let list: Vec<RuleSummary> = catalog
                .rules()
                .iter()
                .map(|r| RuleSummary {
                    id: &r.id,
                    title: &r.title,
                    theme: &r.theme,
                    severity: r.severity,
                    applies_from: r.applies_from,
                    sources: &r.sources,
                })
                .collect();
            let json = serde_json::to_string_pretty(&list)
                .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
            print_out(&(json + "\n"))?;
        }
        ListFormat::Table => {
            let mut grid = listing_grid(vec!["Rule", "Severity", "Theme", "Title", "Sources"]);
            for r in catalog.rules() {
                let sources: Vec<String> = r
                    .sources
                    .iter()
                    .map(|s| format!("{} {}", s.document, s.call))
                    .collect();
                grid.add_row(vec![
                    r.id.clone(),
                    severity_words(r),
                    r.theme.clone(),
                    r.title.clone(),
                    sources.join("\n"),
                ]);
            }
            let themes = catalog.themes();
            print_human(&format!(
                "{grid}\n{} rules in {} themes · catalog sha256 {}\n",
                catalog.rules().len(),
                themes.len(),
                catalog.sha256
            ))?;
        }
    }
    Ok(EXIT_OK)
}

fn explain(catalog: &Catalog, id: &str, format: ListFormat) -> Result<u8, Failure> {
    if let (None, Some(gone)) = (catalog.get(id), catalog.retired(id)) {
        let see = if gone.see.is_empty() {
            "run `rightscheck rules list` to see every rule".to_string()
        } else {
            format!("see {}", gone.see.join(", "))
        };
        return Err(Failure::new(
            format!(
                "rule `{}` (\"{}\") was retired: {}",
                gone.id,
                gone.title,
                gone.reason.trim()
            ),
            see,
        ));
    }
    let Some(rule) = catalog.get(id) else {
        let help = catalog.suggest(id).map_or_else(
            || "run `rightscheck rules list` to see every rule id".to_string(),
            |s| format!("did you mean `{s}`?"),
        );
        return Err(Failure::new(format!("no rule has the id `{id}`"), help));
    };
    match format {
        ListFormat::Json => {
            let json = serde_json::to_string_pretty(rule)
                .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
            print_out(&(json + "\n"))?;
        }
        ListFormat::Table => print_human(&explain_text(rule))?,
    }
    Ok(EXIT_OK)
}

/// The fixed documentation sections of a rule, as `explain` prints them.
pub fn explain_text(rule: &Rule) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", rule.id, rule.title);
    let _ = writeln!(
        out,
        "severity: {} · theme: {}\n",
        severity_words(rule),
        rule.theme
    );
    let _ = writeln!(
        out,
        "What it checks\n  {}\n",
        rule.docs.what_it_checks.trim()
    );
    let _ = writeln!(
        out,
        "Why it matters\n  {}\n",
        rule.docs.why_it_matters.trim()
    );
    let _ = writeln!(out, "How to close the gap\n  {}\n", rule.remediation.trim());
    if let Some(example) = &rule.docs.example {
        let _ = writeln!(out, "Example\n  {}\n", example.trim());
    }
    let _ = writeln!(out, "Sources");
    for s in &rule.sources {
        let _ = writeln!(out, "  {} ({}): \"{}\"", s.document, s.call, s.quote.trim());
    }
    if !rule.crosswalk.is_empty() {
        let _ = writeln!(out, "\nAlso in");
        for c in &rule.crosswalk {
            let _ = writeln!(out, "  {}", c.label());
        }
    }
    let _ = writeln!(out, "\nCondition");
    if let Some(applies) = &rule.applies_when {
        let _ = writeln!(out, "  applies when: {}", applies.to_value());
    }
    let _ = writeln!(out, "  requires: {}", rule.requires.to_value());
    let _ = writeln!(out, "\nDefined in {}", rule.file);
    out
}

fn rules_test(dir: Option<&Path>, format: ListFormat) -> Result<u8, Failure> {
    use crate::check::fixtures;
    let (catalog, fixtures) = match dir {
        None => (
            Catalog::builtin()
                .map_err(|e| Failure::new(e.to_string(), e.help()))?
                .clone(),
            fixtures::builtin(),
        ),
        Some(dir) => (
            Catalog::from_dir(dir).map_err(|e| Failure::new(e.to_string(), e.help()))?,
            fixtures::from_dir(dir).map_err(|e| Failure::new(e.to_string(), e.help()))?,
        ),
    };
    let results = fixtures::run(&catalog, &fixtures);
    let failed = results.iter().filter(|r| !r.passed()).count();
    match format {
        ListFormat::Json => {
            let json = serde_json::to_string_pretty(&results)
                .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
            print_out(&(json + "\n"))?;
        }
        ListFormat::Table => {
            let mut text = String::new();
            for r in results.iter().filter(|r| !r.passed()) {
                let _ = writeln!(
                    text,
                    "FAIL {} {}: {}",
                    r.rule_id,
                    r.fixture,
                    r.problem.as_deref().unwrap_or_default()
                );
            }
            let _ = writeln!(
                text,
                "{} rules, {} fixtures: {} passed, {} failed",
                catalog.rules().len(),
                fixtures.len(),
                results.len() - failed,
                failed
            );
            print_human(&text)?;
        }
    }
    Ok(if failed > 0 { EXIT_FINDINGS } else { EXIT_OK })
}

fn rules_coverage(catalog: &Catalog, format: CoverageFormat) -> Result<u8, Failure> {
    use crate::check::coverage::{self, CallStatus};
    use crate::seeds;
    let calls = seeds::calls().map_err(|e| Failure::new(e, "this is a bug; please report it"))?;
    let rows = coverage::coverage(catalog, &calls);
    let holes = rows
        .iter()
        .filter(|r| r.status == CallStatus::NotCovered)
        .count();
    let count = |s: CallStatus| rows.iter().filter(|r| r.status == s).count();
    let summary = format!(
        "{} calls to action: {} covered by rules, {} out of scope with a reason, {} not accounted for",
        rows.len(),
        count(CallStatus::Covered),
        count(CallStatus::OutOfScope),
        holes
    );
    let accounted = |r: &coverage::CoverageRow| match r.status {
        CallStatus::Covered => r.encoded_by.join(", "),
        CallStatus::OutOfScope => format!(
            "out of scope: {}",
            r.call.out_of_scope.as_deref().unwrap_or_default()
        ),
        CallStatus::NotCovered => "NOT ACCOUNTED FOR".to_string(),
    };
    match format {
        CoverageFormat::Json => {
            let json = serde_json::to_string_pretty(&rows)
                .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
            print_out(&(json + "\n"))?;
        }
        CoverageFormat::Markdown => {
            let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
            let mut text = String::from(
                "| call | document | addressees | text | rules or reason |\n|---|---|---|---|---|\n",
            );
            for r in &rows {
                let _ = writeln!(
                    text,
                    "| {} | {} | {} | {} | {} |",
                    r.call.id,
                    r.call.document,
                    r.call.addressees.join(", "),
                    cell(&r.call.text),
                    cell(&accounted(r))
                );
            }
            let _ = writeln!(text, "\n{summary}");
            print_human(&text)?;
        }
        CoverageFormat::Table => {
            let mut grid = listing_grid(vec!["Call", "Addressees", "Text", "Rules or reason"]);
            for r in &rows {
                let mut text: String = r.call.text.chars().take(160).collect();
                if r.call.text.chars().count() > 160 {
                    text.push('…');
                }
                grid.add_row(vec![
                    r.call.id.clone(),
                    r.call.addressees.join(", "),
                    text,
                    accounted(r),
                ]);
            }
            print_human(&format!("{grid}\n{summary}\n"))?;
        }
    }
    Ok(if holes > 0 { EXIT_FINDINGS } else { EXIT_OK })
}

/// A table for a listing printed to the terminal (rules, calls, levels, provisions,
/// profiles): 120 columns wide, whatever the terminal.
fn listing_grid(header: Vec<&str>) -> comfy_table::Table {
    report::terminal::grid(header, None, false)
}

/// `rules levels`: what each impact level asks, from the level model and the catalog.
fn rules_levels(catalog: &Catalog, format: CoverageFormat) -> Result<u8, Failure> {
    use crate::rules::obligations;
    let levels = obligations::by_level(catalog);
    let text = match format {
        CoverageFormat::Json => {
            serde_json::to_string_pretty(&levels)
                .map_err(|e| Failure::from(anyhow::Error::from(e)))?
                + "\n"
        }
        CoverageFormat::Markdown => sanitize_terminal(&obligations::to_markdown(&levels)),
        CoverageFormat::Table => {
            let mut grid = listing_grid(vec![
                "Level",
                "Points",
                "What it means",
                "At least this level, whatever the points",
                "Rules (high)",
            ]);
            for l in &levels {
                grid.add_row(vec![
                    format!("{} ({})", l.level.as_str(), l.name),
                    format!("{}–{}", l.from_points, l.to_points),
                    l.means.clone(),
                    l.floors.join("\n"),
                    format!("{} ({})", l.rules, l.high),
                ]);
            }
            sanitize_terminal(&format!(
                "{grid}\n{}",
                obligations::changes_as_text(&levels)
            ))
        }
    };
    print_out(&text)?;
    Ok(EXIT_OK)
}

/// `rules coverage --framework ID`: which provisions of a framework the catalog checks,
/// and which it does not and why.
fn framework_coverage(catalog: &Catalog, id: &str, format: CoverageFormat) -> Result<u8, Failure> {
    use crate::check::coverage::{self, CallStatus};
    use crate::seeds;
    let frameworks =
        seeds::frameworks().map_err(|e| Failure::new(e, "this is a bug; please report it"))?;
    let Some(framework) = frameworks.iter().find(|f| f.id == id) else {
        let ids: Vec<String> = frameworks.iter().map(|f| f.id.clone()).collect();
        let help = crate::schema::did_you_mean(id, &ids).map_or_else(
            || format!("use one of `{}`", ids.join("`, `")),
            |s| format!("did you mean `{s}`?"),
        );
        return Err(Failure::new(
            format!("no framework has the id `{id}`"),
            help,
        ));
    };
    let rows = coverage::framework_coverage(catalog, framework);
    let count = |s: CallStatus| rows.iter().filter(|r| r.status == s).count();
    let holes = count(CallStatus::NotCovered);
    let mut summary = format!(
        "{}: {} provisions listed, {} checked by rules, {} out of scope with a reason, {} not accounted for",
        framework.title,
        rows.len(),
        count(CallStatus::Covered),
        count(CallStatus::OutOfScope),
        holes
    );
    if !framework.complete {
        summary.push_str(
            "\n(only the provisions rules cite are listed for this framework, not all of it)",
        );
    }
    let accounted = |r: &coverage::ProvisionRow| match r.status {
        CallStatus::Covered => r
            .checked_by
            .iter()
            .map(|c| format!("{} ({})", c.rule_id, c.relation.as_str()))
            .collect::<Vec<_>>()
            .join(", "),
        CallStatus::OutOfScope => format!(
            "not checked: {}",
            r.provision.out_of_scope.as_deref().unwrap_or_default()
        ),
        CallStatus::NotCovered => "NOT ACCOUNTED FOR".to_string(),
    };
    match format {
        CoverageFormat::Json => {
            let json = serde_json::to_string_pretty(&serde_json::json!({
                "framework": framework.id,
                "title": framework.title,
                "complete": framework.complete,
                "provisions": rows,
            }))
            .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
            print_out(&(json + "\n"))?;
        }
        CoverageFormat::Markdown => {
            let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
            let mut text =
                String::from("| provision | what it asks | rules, or why none |\n|---|---|---|\n");
            for r in &rows {
                let _ = writeln!(
                    text,
                    "| {} | {} | {} |",
                    cell(&r.provision.id),
                    cell(&r.provision.title),
                    cell(&accounted(r))
                );
            }
            let _ = writeln!(text, "\n{summary}");
            print_human(&text)?;
        }
        CoverageFormat::Table => {
            let mut grid = listing_grid(vec!["Provision", "What it asks", "Rules, or why none"]);
            for r in &rows {
                grid.add_row(vec![
                    r.provision.id.clone(),
                    r.provision.title.clone(),
                    accounted(r),
                ]);
            }
            print_human(&format!("{grid}\n{summary}\n"))?;
        }
    }
    Ok(if holes > 0 && framework.complete {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn rules_lint(dir: &Path, format: ListFormat) -> Result<u8, Failure> {
    let problems =
        crate::check::lint::lint_dir(dir).map_err(|e| Failure::new(e.to_string(), e.help()))?;
    match format {
        ListFormat::Json => {
            let json = serde_json::to_string_pretty(&problems)
                .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
            print_out(&(json + "\n"))?;
        }
        ListFormat::Table => {
            let mut text = String::new();
            for p in &problems {
                let _ = writeln!(text, "{p}");
            }
            let _ = writeln!(text, "{}: {} problem(s)", shown(dir), problems.len());
            print_human(&text)?;
        }
    }
    Ok(if problems.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}

fn profiles_list(format: ListFormat) -> Result<u8, Failure> {
    let profiles = Profile::builtins().map_err(|e| Failure::new(e.to_string(), e.help()))?;
    match format {
        ListFormat::Json => {
            let json = serde_json::to_string_pretty(&profiles)
                .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
            print_out(&(json + "\n"))?;
        }
        ListFormat::Table => {
            let mut grid = listing_grid(vec![
                "Profile",
                "Title",
                "Unknowns",
                "Evidence required",
                "Description",
            ]);
            for p in &profiles {
                grid.add_row(vec![
                    p.id.clone(),
                    p.title.clone(),
                    if p.unknown_as_gap {
                        "gaps"
                    } else {
                        "questions"
                    }
                    .to_string(),
                    p.evidence_required_from
                        .map_or_else(|| "no".to_string(), |s| format!("from {s}")),
                    p.description.trim().to_string(),
                ]);
            }
            print_human(&format!(
                "{grid}\nWithout `--profile`, `assess` uses the catalog as written (profile `default`). Show one: rightscheck profiles show ID\n"
            ))?;
        }
    }
    Ok(EXIT_OK)
}

fn profiles_show(id: &str, format: ListFormat) -> Result<u8, Failure> {
    let p = Profile::resolve(id).map_err(|e| Failure::new(e.to_string(), e.help()))?;
    match format {
        ListFormat::Json => {
            let json = serde_json::to_string_pretty(&p)
                .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
            print_out(&(json + "\n"))?;
        }
        ListFormat::Table => {
            let mut out = String::new();
            let _ = writeln!(out, "{}: {}", p.id, p.title);
            let _ = writeln!(out, "source: {}\n", p.source);
            let _ = writeln!(out, "{}\n", p.description.trim());
            let _ = writeln!(
                out,
                "unknowns: {}",
                if p.unknown_as_gap {
                    "counted as gaps"
                } else {
                    "questions for the vendor"
                }
            );
            let _ = writeln!(
                out,
                "evidence required: {}",
                p.evidence_required_from.map_or_else(
                    || "no; claimed answers are accepted".to_string(),
                    |s| format!("for {s}-severity rules and above")
                )
            );
            let _ = writeln!(
                out,
                "themes: {}",
                p.include_themes
                    .as_ref()
                    .map_or_else(|| "all".to_string(), |t| t.join(", "))
            );
            if !p.exclude_rules.is_empty() {
                let _ = writeln!(out, "rules left out: {}", p.exclude_rules.join(", "));
            }
            for (rule, severity) in &p.severity_overrides {
                let _ = writeln!(out, "severity of {rule}: {severity}");
            }
            if let Some(level) = p.min_level {
                let _ = writeln!(out, "rules apply from impact level: {level}");
            }
            for (name, value) in p.parameters.set() {
                let _ = writeln!(out, "parameter {name}: {value}");
            }
            if let Some(days) = p.parameters.evidence_fresh_days {
                let _ = writeln!(
                    out,
                    "evidence documents count for: {days} days from their date"
                );
            }
            print_human(&out)?;
        }
    }
    Ok(EXIT_OK)
}

fn diff(old: &Path, new: &Path, format: CoverageFormat) -> Result<u8, Failure> {
    use crate::diff::{self, DiffFormat};
    let report = diff::diff_files(old, new).map_err(|e| Failure::new(e.to_string(), e.help()))?;
    let text = diff::render(
        &report,
        match format {
            CoverageFormat::Table => DiffFormat::Table,
            CoverageFormat::Json => DiffFormat::Json,
            CoverageFormat::Markdown => DiffFormat::Markdown,
        },
    )
    .map_err(Failure::from)?;
    print_out(&text)?;
    Ok(if report.regressed() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn import(
    choice: crate::import::Choice<'_>,
    file: &Path,
    out: &Path,
    force: bool,
) -> Result<u8, Failure> {
    use crate::import;
    let fail = |e: import::ImportError| Failure::new(e.to_string(), e.help());
    let imported = import::read(file, choice).map_err(fail)?;
    let imported_on = default_as_of()?.format("%Y-%m-%d").to_string();
    let notes = import::listing::unknown_notes(&imported);
    let mut summary = import::write_all(
        imported.read.records,
        out,
        force,
        Some(&imported_on),
        Some(file),
    )
    .map_err(fail)?;
    summary.template_rows = imported.read.template_rows;
    for skip in summary.malformed.iter().chain(&summary.existing) {
        eprintln!(
            "skipped {}: {}",
            sanitize_terminal(&skip.record),
            sanitize_terminal(&skip.reason)
        );
    }
    for note in notes {
        eprintln!("{}", sanitize_terminal(&note));
    }
    print_out(&format!(
        "{}: {summary}\n",
        sanitize_terminal(&imported.mapping.title)
    ))?;
    Ok(if summary.skipped() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn registers(command: RegistersCommand) -> Result<u8, Failure> {
    use crate::import::{Mapping, listing};
    let fail = |e: crate::import::MappingError| {
        Failure::new(
            e.to_string(),
            "this is a bug in a built-in mapping; please report it",
        )
    };
    let text = match command {
        RegistersCommand::List => listing::list(&Mapping::built_in().map_err(fail)?),
        RegistersCommand::Show { id, source } => {
            let all = Mapping::built_in().map_err(fail)?;
            let found = all.into_iter().find(|m| m.id == id);
            let mapping = match found {
                Some(m) => m,
                None if Path::new(&id).is_file() => Mapping::from_path(Path::new(&id))
                    .map_err(|e| Failure::new(e.to_string(), "fix the mapping file"))?,
                None => {
                    return Err(Failure::new(
                        format!("no built-in register mapping is called `{id}`"),
                        "`rightscheck registers list` lists them; a mapping file can be given by its path",
                    ));
                }
            };
            if source {
                listing::source_text(&mapping)
            } else {
                listing::show(&mapping)
            }
        }
    };
    print_out(&sanitize_terminal(&text))?;
    Ok(EXIT_OK)
}
