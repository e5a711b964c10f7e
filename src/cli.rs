//! The command line: the arguments of every command, each in its own file under `cli/`
//! beside a small `run`, and what they share (global flags, printing, exit status). All
//! behaviour lives in the library; `main.rs` only maps the result to an exit status.

use std::borrow::Cow;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Failure};
use crate::output::{self, write_atomically};
use crate::report::sanitize_terminal;
use crate::rules::Catalog;

mod assess;
mod completions;
mod diff;
mod explain;
mod import;
mod init;
mod man;
mod profiles;
mod registers;
mod rules;
mod schema;
mod serve;
mod validate;

/// How a command ended, as the exit status of the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: nothing at or above the failure threshold.
    Success,
    /// 1: findings (or validation errors) at or above the threshold.
    Findings,
    /// 2: usage, input or internal error.
    Error,
}

impl ExitStatus {
    /// `Findings` when `found`, else `Success`.
    pub fn findings_if(found: bool) -> ExitStatus {
        if found {
            ExitStatus::Findings
        } else {
            ExitStatus::Success
        }
    }

    /// The number the process exits with.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// What a command returns: how it ended, or why it could not run.
pub type Outcome = Result<ExitStatus, Failure>;

/// Checks an AI system against the human-rights calls to action governments have adopted,
/// and tells you exactly what is missing.
#[derive(Debug, Parser)]
#[command(name = "rightscheck", version, about, long_about = None)]
#[command(
    after_help = "Start with `rightscheck init my-system.yaml`, fill it in, then `rightscheck assess my-system.yaml`.\nExit status: 0 nothing at or above the failure threshold, 1 findings at or above it, 2 usage or input error."
)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Flags every command takes.
#[derive(Debug, Clone, clap::Args)]
struct Global {
    /// Print only errors and the document asked for: no notes on what was written
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also say what is read, from where, and which settings file is used
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Colour: `auto` (on a terminal, unless `NO_COLOR` is set), `always` or `never`
    #[arg(long, value_enum, global = true, value_name = "WHEN", default_value_t = ColorChoice::Auto, hide_possible_values = true)]
    color: ColorChoice,
    /// Read the settings from this file instead of the nearest `rightscheck.toml`
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Read no settings file
    #[arg(long, global = true)]
    no_config: bool,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set
    Auto,
    /// Always, even in a file or a pipe
    Always,
    /// Never
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a commented template of every section of a descriptor
    Init(init::Args),
    /// Open a folder of descriptors in the browser: answer questions, see the verdict, get reports
    Serve(serve::Args),
    /// Check descriptors for mistakes: all of them at once, with line numbers
    Validate(validate::Args),
    /// Assess a descriptor against the rules and report the verdict and every gap
    Assess(Box<assess::Args>),
    /// The rule catalog
    Rules(rules::Args),
    /// Explain one rule: what it checks, why it matters, how to close the gap, sources
    Explain(explain::Args),
    /// Profiles: tailorings of the catalog for procurement, self-assessment or audit
    Profiles(profiles::Args),
    /// Compare two JSON assessments: gaps closed, new gaps, changes; exit 1 on any regression
    Diff(diff::Args),
    /// Turn a public register's records into descriptors, one file per record; the
    /// register and its vintage are recognised from the file's columns or keys
    Import(import::Args),
    /// The register mappings built in: which column feeds which field, and how
    Registers(registers::Args),
    /// Print a JSON Schema, for editors and other tools
    Schema(schema::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(completions::Args),
    /// Print the manual page (roff), e.g. `rightscheck man > rightscheck.1`
    Man(man::Args),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Outcome {
    let ctx = Context::new(&cli.global);
    match cli.command {
        Command::Init(args) => init::run(&args, &ctx),
        Command::Serve(args) => serve::run(&args, &ctx),
        Command::Validate(args) => validate::run(&args, &ctx),
        Command::Assess(args) => assess::run(&args, &ctx),
        Command::Rules(args) => rules::run(args, &ctx),
        Command::Explain(args) => explain::run(&args, &ctx),
        Command::Profiles(args) => profiles::run(args, &ctx),
        Command::Diff(args) => diff::run(&args, &ctx),
        Command::Import(args) => import::run(&args, &ctx),
        Command::Registers(args) => registers::run(args, &ctx),
        Command::Schema(args) => schema::run(&args, &ctx),
        Command::Completions(args) => completions::run(&args, &ctx),
        Command::Man(args) => man::run(&args, &ctx),
    }
}

/// Prints a failure on standard error: `error: …`, then `  help: …` when there is help.
/// The one place errors are printed, whatever their source.
pub fn print_error(failure: &dyn Diagnostic, color: ColorChoice) {
    use std::io::Write as _;
    let styled = color.enabled(std::io::stderr().is_terminal());
    let error = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Red.into()));
    let help = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Cyan.into()));
    let (error, help) = if styled {
        (error, help)
    } else {
        (anstyle::Style::new(), anstyle::Style::new())
    };
    let mut stderr = std::io::stderr().lock();
    // Messages quote file names and values, which may hold terminal controls.
    let _ = writeln!(
        stderr,
        "{error}error:{error:#} {}",
        sanitize_terminal(&failure.message())
    );
    if let Some(text) = failure.help() {
        let _ = writeln!(stderr, "  {help}help:{help:#} {}", sanitize_terminal(&text));
    }
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal: `NO_COLOR` turns colour
    /// off unless `always` is asked for.
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// The colour choice of a command line, for errors found before or while it is parsed.
pub fn color_of(args: &[std::ffi::OsString]) -> ColorChoice {
    let mut choice = ColorChoice::Auto;
    let mut words = args.iter().filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        let value = match word.strip_prefix("--color") {
            Some("") => words.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(v) = value.and_then(|v| ColorChoice::from_str(v, false).ok()) {
            choice = v;
        }
    }
    choice
}

/// What every command needs besides its arguments: the global flags and the settings.
pub(crate) struct Context {
    quiet: bool,
    verbose: bool,
    color: ColorChoice,
    /// `--config FILE`, or `None` to look for `rightscheck.toml`.
    config_file: Option<PathBuf>,
    no_config: bool,
    /// The settings, read when a command first asks: a command that takes none (`schema`,
    /// `init`…) runs whatever state the settings file is in.
    config: std::cell::OnceCell<Config>,
}

impl Context {
    fn new(global: &Global) -> Context {
        Context {
            quiet: global.quiet,
            verbose: global.verbose,
            color: global.color,
            config_file: global.config.clone(),
            no_config: global.no_config,
            config: std::cell::OnceCell::new(),
        }
    }

    /// The settings: from `--config FILE`, the nearest `rightscheck.toml`, or none with
    /// `--no-config`; `--verbose` says which.
    fn config(&self) -> Result<&Config, Failure> {
        if let Some(config) = self.config.get() {
            return Ok(config);
        }
        let config = if self.no_config {
            self.info("settings: none read (--no-config)");
            Config::default()
        } else {
            let config = if let Some(file) = &self.config_file {
                Config::from_path(file)?
            } else {
                let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
                Config::discover(&here)?
            };
            self.info(&config.describe());
            config
        };
        Ok(self.config.get_or_init(|| config))
    }

    /// A note on what was done (what was written, a number lowered): not with `--quiet`.
    fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{}", sanitize_terminal(text));
        }
    }

    /// What was read and from where: only with `--verbose`.
    fn info(&self, text: &str) {
        if self.verbose {
            eprintln!("{}", sanitize_terminal(text));
        }
    }

    /// Whether the document, written to `output` or standard output, goes to a terminal.
    fn to_terminal(output: Option<&Path>) -> bool {
        output.is_none() && std::io::stdout().is_terminal()
    }

    /// The width to lay tables out in: the terminal's when the document goes to one,
    /// else 120 columns, so that files and pipes are the same wherever they are made.
    fn width_for(output: Option<&Path>) -> u16 {
        const FIXED: u16 = 120;
        if !Context::to_terminal(output) {
            return FIXED;
        }
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .or_else(|| terminal_size::terminal_size().map(|(w, _)| w.0))
            .filter(|w| *w >= 40)
            .unwrap_or(FIXED)
    }

    /// Writes a document to `output` (replaced atomically) or to standard output.
    fn emit(&self, output: Option<&Path>, text: &str) -> Result<(), Failure> {
        match output {
            Some(path) => {
                write_atomically(path, text)?;
                self.info(&format!("wrote {}", output::shown(path)));
            }
            None => output::print(text)?,
        }
        Ok(())
    }

    /// The built-in catalog with the packs given (or, when none is, those of the settings).
    /// Without packs it is the built-in catalog itself, borrowed: copying it (and freeing
    /// the copy at exit) cost more than anything else a run did besides loading it.
    fn catalog(&self, packs: &[PathBuf]) -> Result<Cow<'static, Catalog>, Failure> {
        let packs = if packs.is_empty() {
            &self.config()?.rules
        } else {
            packs
        };
        let mut catalog = Cow::Borrowed(Catalog::builtin()?);
        for dir in packs {
            self.info(&format!("rules: {}", output::shown(dir)));
            catalog.to_mut().extend(Catalog::from_dir(dir)?)?;
        }
        Ok(catalog)
    }
}

/// `--output FILE`, for every command that prints a document.
#[derive(Debug, Clone, clap::Args)]
struct OutputArgs {
    /// Write to this file (replaced atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// `--format` and `--output` of a listing for people or programs.
#[derive(Debug, Clone, clap::Args)]
struct ListOut {
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
    #[command(flatten)]
    output: OutputArgs,
}

/// `--format` and `--output` of a listing that also makes sense in a document.
#[derive(Debug, Clone, clap::Args)]
struct CoverageOut {
    /// Output format
    #[arg(long, value_enum, default_value_t = CoverageFormat::Table)]
    format: CoverageFormat,
    #[command(flatten)]
    output: OutputArgs,
}

impl OutputArgs {
    /// The width of a table written there.
    fn width(&self) -> u16 {
        Context::width_for(self.output.as_deref())
    }
}

/// `--rules DIR`, for every command that reads the catalog.
#[derive(Debug, Clone, clap::Args)]
struct CatalogArgs {
    /// Add the rules in this folder to the built-in catalog (repeatable)
    #[arg(long = "rules", value_name = "DIR")]
    packs: Vec<PathBuf>,
}

/// `--format` of listings: for people or for programs.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    /// For people
    Table,
    /// For programs
    Json,
}

/// `--format` of listings that also make sense in a document.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum CoverageFormat {
    /// For people
    Table,
    /// For programs
    Json,
    /// For documents
    Markdown,
}

impl From<ListFormat> for crate::report::catalog::Format {
    fn from(f: ListFormat) -> Self {
        match f {
            ListFormat::Table => Self::Table,
            ListFormat::Json => Self::Json,
        }
    }
}

impl From<CoverageFormat> for crate::report::catalog::Format {
    fn from(f: CoverageFormat) -> Self {
        match f {
            CoverageFormat::Table => Self::Table,
            CoverageFormat::Json => Self::Json,
            CoverageFormat::Markdown => Self::Markdown,
        }
    }
}
