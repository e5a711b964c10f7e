//! `rightscheck serve`: a local web application over a folder of descriptors (the
//! workspace). It listens on the loopback address only, every request must carry the
//! session's random token in its path, and no file outside the workspace is ever read or
//! written (see `guard.rs` and `files.rs`). Every answer is written into the descriptor at
//! once (`crate::edit`); every view and report comes from the library's one engine and
//! renderers, as `assess` gives them.

mod assets;
mod error;
mod files;
mod guard;
mod routes;
mod view;

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diagnostic::{Failure, Message};
use crate::engine::{Engine, Options, Tailoring};
use crate::questions::Questions;
use crate::report::Deadlines;
use crate::rules::Catalog;

/// The port `serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 8470;

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What a server is started with.
pub struct Settings {
    /// The workspace folder.
    pub folder: PathBuf,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// As-of date and failure threshold of every assessment.
    pub options: Options,
    /// The catalog, with any rule packs.
    pub catalog: Catalog,
    /// Profile and waivers.
    pub tailoring: Tailoring,
    /// The assessor named in the reports.
    pub assessor: Option<String>,
    /// Days to each remediation's target date.
    pub deadlines: Deadlines,
}

/// What every request shares: the workspace, the engine and the session.
pub(crate) struct Workspace {
    /// The folder, canonical.
    root: PathBuf,
    /// The engine every assessment runs on; it lives as long as the process.
    engine: &'static Engine<'static>,
    /// The questions of the engine's catalog.
    questions: Questions<'static>,
    options: Options,
    assessor: Option<String>,
    deadlines: Deadlines,
    /// The session token every path starts with.
    token: String,
    /// The port listened on, for the Host and Origin checks.
    port: u16,
    /// One lock per file, held while the file is compared with its version and replaced,
    /// so that two answers to it never both pass the check and one overwrites the other;
    /// answers to different files are saved at the same time.
    writing: Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>,
}

impl Workspace {
    /// The lock of a file (see `writing`).
    fn lock_of(&self, file: &Path) -> Arc<Mutex<()>> {
        let mut locks = self
            .writing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(locks.entry(file.to_path_buf()).or_default())
    }
}

/// A server bound to its port, not yet serving.
pub struct Server {
    listener: TcpListener,
    workspace: Arc<Workspace>,
    url: String,
}

/// 32 hexadecimal characters from the operating system's random source.
fn token() -> Result<String, Failure> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        Message::new(
            format!("cannot draw a random session token: {e}"),
            crate::diagnostic::BUG,
        )
    })?;
    Ok(crate::document::hex(&bytes))
}

/// Binds the loopback address and prepares the workspace: the folder must exist.
pub fn bind(settings: Settings) -> Result<Server, Failure> {
    let root = workspace_root(&settings.folder)?;
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, settings.port)))
        .map_err(|e| -> Failure {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                Message::new(
                    format!("port {} is already in use", settings.port),
                    "another program, or another `rightscheck serve`, listens there; add `--port 0` to pick a free port",
                )
                .into()
            } else {
                Message::new(
                    format!("cannot listen on port {}: {e}", settings.port),
                    "add `--port 0` to pick a free port",
                )
                .into()
            }
        })?;
    let port = listener
        .local_addr()
        .map_err(|e| {
            Message::new(
                format!("cannot read the port listened on: {e}"),
                crate::diagnostic::BUG,
            )
        })?
        .port();
    // The engine borrows the catalog and tailoring for as long as it serves: the whole
    // process, so both are given up to it rather than borrowed from a frame.
    let catalog: &'static Catalog = Box::leak(Box::new(settings.catalog));
    let tailoring: &'static Tailoring = Box::leak(Box::new(settings.tailoring));
    let engine: &'static Engine<'static> = Box::leak(Box::new(Engine::new(catalog, tailoring)?));
    let token = token()?;
    let url = format!("http://127.0.0.1:{port}/{token}/");
    Ok(Server {
        listener,
        url,
        workspace: Arc::new(Workspace {
            root,
            engine,
            questions: Questions::new(engine.catalog()),
            options: settings.options,
            assessor: settings.assessor,
            deadlines: settings.deadlines,
            token,
            port,
            writing: Mutex::new(HashMap::new()),
        }),
    })
}

/// The workspace folder, canonical; an error a person can act on when it is missing.
fn workspace_root(folder: &Path) -> Result<PathBuf, Failure> {
    let shown = crate::output::shown(folder);
    match std::fs::canonicalize(folder) {
        Ok(root) if root.is_dir() => Ok(root),
        Ok(_) => Err(Message::new(
            format!("{shown} is a file, not a folder"),
            "give the folder that holds the descriptors, e.g. `rightscheck serve systems/`",
        )
        .into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Message::new(
            format!("{shown}: there is no such folder"),
            "check the folder's name, or leave it out to serve the current folder",
        )
        .into()),
        Err(e) => Err(Message::new(
            format!("{shown}: cannot open the folder: {e}"),
            "check the folder's name, or leave it out to serve the current folder",
        )
        .into()),
    }
}

impl Server {
    /// The address to open: `http://127.0.0.1:PORT/TOKEN/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serves until the future `stop` makes completes, on a runtime of two threads.
    /// `stop` is called, then `ready`, before the first request is taken: what `stop`
    /// listens for (Ctrl-C) is in place by the time `ready` tells anyone the address.
    pub fn run<Stop>(self, stop: impl FnOnce() -> Stop, ready: impl FnOnce()) -> Result<(), Failure>
    where
        Stop: std::future::Future<Output = ()> + Send + 'static,
    {
        let failed = |e: std::io::Error| -> Failure {
            Message::new(format!("the server stopped: {e}"), crate::diagnostic::BUG).into()
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_io()
            .enable_time()
            .build()
            .map_err(failed)?;
        runtime
            .block_on(async move {
                self.listener.set_nonblocking(true)?;
                let listener = tokio::net::TcpListener::from_std(self.listener)?;
                let app = routes::router(self.workspace);
                let stop = stop();
                ready();
                axum::serve(listener, app)
                    .with_graceful_shutdown(stop)
                    .await
            })
            .map_err(failed)
    }
}

/// Listens for Ctrl-C (or, on Unix, a request to terminate) from now on, and returns what
/// completes when one comes. Must be called on the server's runtime, as [`Server::run`]
/// calls its `stop`.
pub fn interrupted() -> impl std::future::Future<Output = ()> + Send + 'static {
    let stop = Arc::new(tokio::sync::Notify::new());
    #[cfg(unix)]
    for kind in [
        tokio::signal::unix::SignalKind::interrupt(),
        tokio::signal::unix::SignalKind::terminate(),
    ] {
        if let Ok(mut signal) = tokio::signal::unix::signal(kind) {
            let stop = Arc::clone(&stop);
            tokio::spawn(async move {
                if signal.recv().await.is_some() {
                    stop.notify_one();
                }
            });
        }
    }
    #[cfg(not(unix))]
    {
        let stop = Arc::clone(&stop);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.notify_one();
            }
        });
    }
    async move { stop.notified().await }
}
