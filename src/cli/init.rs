//! `rightscheck init FILE`: a commented template of every section of a descriptor, or with
//! `--interactive` the descriptor written from answers to questions in the terminal.

mod interactive;

use std::path::PathBuf;

use super::{Context, ExitStatus, Outcome};
use crate::diagnostic::Message;
use crate::output::{shown, write_atomically};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// File to create (`.json` for JSON, otherwise commented YAML)
    file: PathBuf,
    /// Replace the file if it exists
    #[arg(long)]
    force: bool,
    /// Ask the questions one by one in the terminal and write the answers, instead of a
    /// template to fill in
    #[arg(long)]
    interactive: bool,
}

pub(super) fn run(args: &Args, ctx: &Context) -> Outcome {
    let file = &args.file;
    // `symlink_metadata`: a link, even one to nowhere, is something that exists.
    if std::fs::symlink_metadata(file).is_ok() && !args.force {
        return Err(Message::new(
            format!("{} already exists; nothing was written", shown(file)),
            "choose another name, or add `--force` to replace it",
        )
        .into());
    }
    if args.interactive {
        return interactive::run(file, args.force, ctx);
    }
    write_atomically(file, &crate::template::for_file(file)?)?;
    ctx.note(&format!(
        "wrote {}: fill in what you know, leave the rest empty, then run `rightscheck validate {}`",
        shown(file),
        shown(file)
    ));
    Ok(ExitStatus::Success)
}
