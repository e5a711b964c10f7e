//! `rightscheck registers …`: the register mappings built in.

use std::path::Path;

use clap::Subcommand;

use super::{Context, ExitStatus, Outcome, OutputArgs};
use crate::diagnostic::{Failure, Message};
use crate::import::{Mapping, listing};
use crate::report::sanitize_terminal;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(subcommand)]
    command: RegistersCommand,
    #[command(flatten)]
    output: OutputArgs,
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

/// The built-in mappings; a failure is a bug of the build, not the user's.
fn built_in() -> Result<Vec<Mapping>, Failure> {
    Mapping::built_in().map_err(|e| {
        Message::with_help(&e, "this is a bug in a built-in mapping; please report it").into()
    })
}

pub(super) fn run(args: Args, ctx: &Context) -> Outcome {
    let text = match args.command {
        RegistersCommand::List => listing::list(&built_in()?),
        RegistersCommand::Show { id, source } => {
            let found = built_in()?.into_iter().find(|m| m.id == id);
            let mapping = match found {
                Some(m) => m,
                None if Path::new(&id).is_file() => Mapping::from_path(Path::new(&id))?,
                None => {
                    return Err(Message::new(
                        format!("no built-in register mapping is called `{id}`"),
                        "`rightscheck registers list` lists them; a mapping file can be given by its path",
                    )
                    .into());
                }
            };
            if source {
                listing::source_text(&mapping)
            } else {
                listing::show(&mapping)
            }
        }
    };
    ctx.emit(args.output.output.as_deref(), &sanitize_terminal(&text))?;
    Ok(ExitStatus::Success)
}
