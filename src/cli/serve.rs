//! `rightscheck serve [FOLDER]`: the workspace in the browser, for people who do not
//! write YAML.

use std::io::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::{CatalogArgs, Context, ExitStatus, Outcome};
use crate::diagnostic::Message;
use crate::engine::{Options, Tailoring};
use crate::profile::Profile;
use crate::serve::{self, DEFAULT_PORT, Settings};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The folder of descriptors to open (default: the current folder)
    #[arg(value_name = "FOLDER")]
    folder: Option<PathBuf>,
    /// The port to listen on; `0` picks a free one
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Print the address without opening the browser
    #[arg(long)]
    no_open: bool,
    /// Date to assess as of, YYYY-MM-DD (default: today, or `SOURCE_DATE_EPOCH` when set)
    #[arg(long, value_name = "DATE", value_parser = crate::clock::parse_date)]
    as_of: Option<NaiveDate>,
    #[command(flatten)]
    catalog: CatalogArgs,
}

pub(super) fn run(args: &Args, ctx: &Context) -> Outcome {
    let config = ctx.config()?;
    let catalog = ctx.catalog(&args.catalog.packs)?;
    // The settings file's profile, as `assess` reads it; `default` is the catalog as written.
    let profile = config
        .profile
        .as_deref()
        .filter(|p| *p != "default")
        .map_or_else(|| Ok(Profile::default()), Profile::resolve)?;
    let folder = args.folder.clone().unwrap_or_else(|| PathBuf::from("."));
    let settings = Settings {
        folder: folder.clone(),
        port: args.port,
        options: Options {
            as_of: match args.as_of {
                Some(d) => d,
                None => crate::clock::today()?,
            },
            fail_on: config.fail_on.unwrap_or_default(),
        },
        catalog: catalog.into_owned(),
        deadlines: profile
            .deadlines()?
            .with(&config.deadlines.unwrap_or_default()),
        tailoring: Tailoring {
            profile,
            waivers: None,
        },
        assessor: config.assessor.clone(),
    };
    let server = serve::bind(settings)?;
    let url = server.url().to_string();
    let mut printed = Ok(());
    server.run(serve::interrupted, || {
        // The address is the one line on standard output, for people and scripts alike.
        let mut stdout = std::io::stdout().lock();
        printed = writeln!(stdout, "{url}").and_then(|()| stdout.flush());
        drop(stdout);
        ctx.note(&format!(
            "serving {}; open the address above in a browser, press Ctrl-C to stop",
            crate::output::shown(&folder)
        ));
        if !args.no_open && webbrowser::open(&url).is_err() {
            ctx.note("could not open a browser: open the address above yourself");
        }
    })?;
    printed.map_err(|e| Message::new(format!("cannot print the address: {e}"), "run it again"))?;
    Ok(ExitStatus::Success)
}
