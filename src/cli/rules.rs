//! `rightscheck rules …`: the catalog, its fixtures, its coverage of the calls to action
//! and frameworks, its impact levels, and the linting of a rule pack.

use std::path::PathBuf;

use clap::Subcommand;

use super::{CatalogArgs, Context, CoverageOut, ExitStatus, ListOut, Outcome};
use crate::check::fixtures;
use crate::report::catalog;
use crate::rules::Catalog;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(subcommand)]
    command: RulesCommand,
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List every rule
    List {
        #[command(flatten)]
        out: ListOut,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// Run each rule's fixtures: the built-in catalog, or the pack in DIR
    Test {
        /// A rules folder with a `fixtures/<RULE-ID>/` folder per rule (default: built-in)
        dir: Option<PathBuf>,
        #[command(flatten)]
        out: ListOut,
    },
    /// The traceability matrix: every call to action, with the rules that encode it or why none does
    Coverage {
        #[command(flatten)]
        out: CoverageOut,
        /// Instead, every provision of this framework (e.g. `eu-ai-act`, `coe-cets-225`,
        /// `nist-ai-rmf`, `ungp`): the rules crosswalked to it, or why no rule can check it
        #[arg(long, value_name = "ID")]
        framework: Option<String>,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// The impact levels: their points, what puts a system at each, and the rules each adds
    Levels {
        #[command(flatten)]
        out: CoverageOut,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// Check a rule pack without running it: format, fields, quotes, calls, fixtures
    Lint {
        /// The rules folder
        dir: PathBuf,
        #[command(flatten)]
        out: ListOut,
    },
    /// Show one rule in full (same as `rightscheck explain`)
    Show {
        /// Rule id, e.g. RC-OVS-001
        id: String,
        #[command(flatten)]
        out: ListOut,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
}

pub(super) fn run(args: Args, ctx: &Context) -> Outcome {
    let (listing, output) = match args.command {
        RulesCommand::List { out, catalog } => {
            let rules = ctx.catalog(&catalog.packs)?;
            let listing = catalog::rules(&rules, out.format.into(), out.output.width())?;
            (listing, out.output)
        }
        RulesCommand::Test { dir, out } => {
            let (catalog, fixtures) = match &dir {
                None => (Catalog::builtin()?.clone(), fixtures::builtin()),
                Some(dir) => (Catalog::from_dir(dir)?, fixtures::from_dir(dir)?),
            };
            let results = fixtures::run(&catalog, &fixtures);
            let format = out.format.into();
            let listing = catalog::fixture_results(&catalog, &fixtures, &results, format)?;
            (listing, out.output)
        }
        RulesCommand::Coverage {
            out,
            framework,
            catalog,
        } => {
            let rules = ctx.catalog(&catalog.packs)?;
            let (format, width) = (out.format.into(), out.output.width());
            let listing = match framework {
                Some(id) => catalog::framework_coverage(&rules, &id, format, width)?,
                None => catalog::coverage(&rules, format, width)?,
            };
            (listing, out.output)
        }
        RulesCommand::Levels { out, catalog } => {
            let rules = ctx.catalog(&catalog.packs)?;
            let listing = catalog::levels(&rules, out.format.into(), out.output.width())?;
            (listing, out.output)
        }
        RulesCommand::Lint { dir, out } => {
            let problems = crate::check::lint::lint_dir(&dir)?;
            let listing = catalog::lint_problems(&dir, &problems, out.format.into())?;
            (listing, out.output)
        }
        RulesCommand::Show { id, out, catalog } => {
            return super::explain::show(ctx, &catalog, &id, out.format.into(), &out.output);
        }
    };
    ctx.emit(output.output.as_deref(), &listing.text)?;
    Ok(ExitStatus::findings_if(listing.findings))
}
