//! `rightscheck profiles …`: the tailorings of the catalog.

use clap::Subcommand;

use super::{Context, ExitStatus, ListFormat, Outcome, OutputArgs};
use crate::profile::Profile;
use crate::report::catalog;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(subcommand)]
    command: ProfilesCommand,
}

#[derive(Debug, Subcommand)]
enum ProfilesCommand {
    /// List the built-in profiles
    List {
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Show one profile in full: a built-in id or a profile file
    Show {
        /// Profile id, e.g. procurement, or a file
        id: String,
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[command(flatten)]
        output: OutputArgs,
    },
}

pub(super) fn run(args: Args, ctx: &Context) -> Outcome {
    let (listing, output) = match args.command {
        ProfilesCommand::List { format, output } => {
            let width = Context::width_for(output.output.as_deref());
            let listing = catalog::profiles(&Profile::builtins()?, format.into(), width)?;
            (listing, output)
        }
        ProfilesCommand::Show { id, format, output } => (
            catalog::profile(&Profile::resolve(&id)?, format.into())?,
            output,
        ),
    };
    ctx.emit(output.output.as_deref(), &listing.text)?;
    Ok(ExitStatus::Success)
}
