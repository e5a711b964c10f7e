//! `rightscheck profiles …`: the tailorings of the catalog.

use clap::Subcommand;

use super::{Context, ExitStatus, ListOut, Outcome};
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
        #[command(flatten)]
        out: ListOut,
    },
    /// Show one profile in full: a built-in id or a profile file
    Show {
        /// Profile id, e.g. procurement, or a file
        id: String,
        #[command(flatten)]
        out: ListOut,
    },
}

pub(super) fn run(args: Args, ctx: &Context) -> Outcome {
    let (listing, out) = match args.command {
        ProfilesCommand::List { out } => {
            let builtins = Profile::builtins()?;
            let listing = catalog::profiles(&builtins, out.format.into(), out.output.width())?;
            (listing, out)
        }
        ProfilesCommand::Show { id, out } => (
            catalog::profile(&Profile::resolve(&id)?, out.format.into())?,
            out,
        ),
    };
    ctx.emit(out.output.output.as_deref(), &listing.text)?;
    Ok(ExitStatus::Success)
}
