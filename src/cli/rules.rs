//! `rightscheck rules …`: the catalog, its fixtures, its coverage of the calls to action
//! and frameworks, its impact levels, and the linting of a rule pack.

use std::path::PathBuf;

use clap::Subcommand;

use super::{CatalogArgs, Context, CoverageFormat, ExitStatus, ListFormat, Outcome, OutputArgs};
use crate::report::catalog::{self, Listing};
use crate::rules::{Catalog, fixtures};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(subcommand)]
    command: RulesCommand,
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
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Run each rule's fixtures: the built-in catalog, or the pack in DIR
    Test {
        /// A rules folder with a `fixtures/<RULE-ID>/` folder per rule (default: built-in)
        dir: Option<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[command(flatten)]
        output: OutputArgs,
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
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The impact levels: their points, what puts a system at each, and the rules each adds
    Levels {
        /// Output format
        #[arg(long, value_enum, default_value_t = CoverageFormat::Table)]
        format: CoverageFormat,
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Check a rule pack without running it: format, fields, quotes, calls, fixtures
    Lint {
        /// The rules folder
        dir: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[command(flatten)]
        output: OutputArgs,
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
        #[command(flatten)]
        output: OutputArgs,
    },
}

pub(super) fn run(args: Args, ctx: &Context) -> Outcome {
    let (listing, output): (Listing, OutputArgs) = match args.command {
        RulesCommand::List {
            format,
            catalog,
            output,
        } => {
            let width = Context::width_for(output.output.as_deref());
            let listing = catalog::rules(&ctx.catalog(&catalog.packs)?, format.into(), width)?;
            (listing, output)
        }
        RulesCommand::Test {
            dir,
            format,
            output,
        } => {
            let (catalog, fixtures) = match &dir {
                None => (Catalog::builtin()?.clone(), fixtures::builtin()),
                Some(dir) => (Catalog::from_dir(dir)?, fixtures::from_dir(dir)?),
            };
            let results = fixtures::run(&catalog, &fixtures);
            let listing = catalog::fixture_results(&catalog, &fixtures, &results, format.into())?;
            (listing, output)
        }
        RulesCommand::Coverage {
            format,
            framework,
            catalog,
            output,
        } => {
            let width = Context::width_for(output.output.as_deref());
            let rules = ctx.catalog(&catalog.packs)?;
            let listing = match framework {
                Some(id) => catalog::framework_coverage(&rules, &id, format.into(), width)?,
                None => catalog::coverage(&rules, format.into(), width)?,
            };
            (listing, output)
        }
        RulesCommand::Levels {
            format,
            catalog,
            output,
        } => {
            let width = Context::width_for(output.output.as_deref());
            let listing = catalog::levels(&ctx.catalog(&catalog.packs)?, format.into(), width)?;
            (listing, output)
        }
        RulesCommand::Lint {
            dir,
            format,
            output,
        } => {
            let problems = crate::rules::lint::lint_dir(&dir)?;
            (
                catalog::lint_problems(&dir, &problems, format.into())?,
                output,
            )
        }
        RulesCommand::Show {
            id,
            format,
            catalog,
            output,
        } => return super::explain::show(ctx, &catalog, &id, format.into(), &output),
    };
    ctx.emit(output.output.as_deref(), &listing.text)?;
    Ok(ExitStatus::findings_if(listing.findings))
}
