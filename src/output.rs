//! Writing a report or a template to a file: never over one of the run's inputs, straight
//! into a device or a pipe, and otherwise through a temporary file renamed into place that
//! no interrupted run leaves behind.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::diagnostic::Diagnostic;

/// Why a file or standard output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The file (or its temporary file) could not be written.
    #[error("cannot write {}: {reason}", shown(path))]
    Write {
        /// The file.
        path: PathBuf,
        /// Why, with every cause.
        reason: String,
    },
    /// The file to write is one the run reads.
    #[error("`--output {}` is {}, which this run reads; nothing was written", shown(output), if output == input { "one of the inputs".to_string() } else { format!("the same file as the input {}", shown(input)) })]
    IsInput {
        /// The file to write.
        output: PathBuf,
        /// The input it is.
        input: PathBuf,
    },
    /// Standard output could not be written (a closed pipe is not this: it is the reader's
    /// choice, not an error).
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
}

impl Diagnostic for OutputError {
    fn help(&self) -> Option<String> {
        Some(
            match self {
                OutputError::Write { .. } => {
                    "check that the folder exists and that you may write in it"
                }
                OutputError::IsInput { .. } => "write the report to another file",
                OutputError::Stdout(_) => "check the disk or the pipe",
            }
            .to_string(),
        )
    }
}

/// A path as it may be printed: control and bidirectional characters of its name (a
/// newline that would forge a line of output) shown as escapes.
pub fn shown(path: &Path) -> String {
    crate::text::sanitize_line(&path.display().to_string())
}

/// Writes text to standard output; a closed pipe (`| head`) is the reader's choice and
/// not an error.
pub fn print(text: &str) -> Result<(), OutputError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .or_else(stdout_failed)
}

/// A write to standard output that failed: no error when the reader went away (`| head`),
/// else [`OutputError::Stdout`].
pub fn stdout_failed(e: std::io::Error) -> Result<(), OutputError> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(OutputError::Stdout(e))
    }
}

/// How the temporary files of this tool start: `.rightscheck-PID-`, so that a later run
/// can tell its own leftovers (from a killed run) from anyone else's files.
pub const TEMP_PREFIX: &str = ".rightscheck-";
/// How they end.
pub const TEMP_SUFFIX: &str = ".tmp";

/// The temporary files being written, removed if the run is interrupted.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes the pending temporary files on Ctrl-C (SIGINT) and SIGTERM, then exits with
/// the status a shell gives an interrupted command. Installed once, before the first
/// temporary file is made.
fn remove_on_interrupt() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        // Without a handler (another one is set), an interrupted run may leave a
        // temporary file, which the next run in that folder removes.
        let _ = ctrlc::set_handler(|| {
            let pending = PENDING
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for path in pending.iter() {
                let _ = std::fs::remove_file(path);
            }
            std::process::exit(130);
        });
    });
}

/// Removes, from `dir`, the temporary files of runs of this tool that no longer run (killed
/// with SIGKILL, or by a power cut): their process id is in their name.
fn remove_stale(dir: &Path) {
    // Once per folder and run: an import writes thousands of files into one folder.
    static CLEANED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    {
        let mut cleaned = CLEANED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if cleaned.iter().any(|d| d == dir) {
            return;
        }
        cleaned.push(dir.to_path_buf());
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(TEMP_PREFIX))
            .filter(|n| n.ends_with(TEMP_SUFFIX))
            .and_then(|n| n.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_runs(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id runs; `true` when it cannot be known, so that nothing
/// is removed on a guess.
fn process_runs(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Whether two paths name the same file (same device and inode), following links.
pub fn same_file(a: &Path, b: &Path) -> bool {
    std::fs::metadata(a).is_ok_and(|x| is_file_of(&x, a, b))
}

/// Whether `b` is the file whose metadata (read from the path `a`) is `x`: the output's
/// metadata is read once, however many inputs it is compared with.
fn is_file_of(x: &std::fs::Metadata, a: &Path, b: &Path) -> bool {
    let Ok(y) = std::fs::metadata(b) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let _ = a;
        x.dev() == y.dev() && x.ino() == y.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (x, y);
        matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(p), Ok(q)) if p == q
        )
    }
}

/// Refuses to write the report over any file the run reads.
pub fn refuse_inputs<'a>(
    output: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<(), OutputError> {
    let Ok(meta) = std::fs::metadata(output) else {
        // A file that does not exist yet is not read by anything.
        return Ok(());
    };
    if !meta.is_file() {
        return Ok(());
    }
    for input in inputs {
        if is_file_of(&meta, output, input) {
            return Err(OutputError::IsInput {
                output: output.to_path_buf(),
                input: input.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Whether the target is written in place, not replaced: a device, a pipe or a socket
/// (`/dev/null`, a FIFO), or standard output or error named by their paths.
fn written_in_place(path: &Path) -> bool {
    let named_stream = ["/dev/stdout", "/dev/stderr"]
        .iter()
        .any(|p| path == Path::new(p))
        || path.starts_with("/dev/fd")
        || path.starts_with("/proc/self/fd");
    named_stream || std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Writes a file through a temporary file in the same folder and a rename, so a failed run
/// never leaves a partial file.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), OutputError> {
    write_atomically_with(path, |out| Ok(out.write_all(text.as_bytes())?))
}

/// Like [`write_atomically`], for a report written piece by piece by `write`. A device or
/// a pipe is written directly: replacing it by a rename would turn `/dev/null` into a
/// regular file and never reach the reader of a pipe.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> anyhow::Result<()>,
) -> Result<(), OutputError> {
    write_through_temporary(path, write, true)
}

/// Like [`write_atomically`], without flushing the file to disk: for a run that writes
/// many files into one folder and flushes them all at once with [`sync_folder`].
pub fn write_unsynced(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_through_temporary(path, |out| Ok(out.write_all(bytes)?), false)
}

/// Flushes everything written in the folder's file system to disk: one call for a whole
/// run instead of one per file.
pub fn sync_folder(dir: &Path) -> std::io::Result<()> {
    let folder = std::fs::File::open(dir)?;
    #[cfg(target_os = "linux")]
    rustix::fs::syncfs(&folder)?;
    #[cfg(not(target_os = "linux"))]
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::File::open(entry.path())?.sync_all()?;
        }
    }
    folder.sync_all()
}

fn write_through_temporary(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> anyhow::Result<()>,
    sync: bool,
) -> Result<(), OutputError> {
    let fail = |e: &dyn std::fmt::Display| OutputError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    if written_in_place(path) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| fail(&e))?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out).map_err(|e| fail(&format!("{e:#}")))?;
        return out.flush().map_err(|e| fail(&e));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    remove_stale(&dir);
    remove_on_interrupt();
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(&dir)
        .map_err(|e| fail(&e))?;
    let pending = tmp.path().to_path_buf();
    let lock = || {
        PENDING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    lock().push(pending.clone());
    let written = (|| {
        {
            let mut out = std::io::BufWriter::new(tmp.as_file_mut());
            write(&mut out).map_err(|e| fail(&format!("{e:#}")))?;
            out.flush().map_err(|e| fail(&e))?;
        }
        // A report is for sharing: keep the permissions of the file it replaces, or use
        // the usual ones (the temporary file starts readable by its owner only).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(|e| fail(&e))?;
        }
        if sync {
            tmp.as_file().sync_all().map_err(|e| fail(&e))?;
        }
        tmp.persist(path).map_err(|e| fail(&e.error))?;
        Ok(())
    })();
    lock().retain(|p| p != &pending);
    written
}
