//! Server benchmark: how long one answer given in the browser takes to come back as the
//! updated live view, and how many answers per second the server holds.
//!
//! The server runs in this process on a free loopback port, over a copy of the welfare
//! example, with the full built-in catalog; the load generator is plain threads, each with
//! one kept-alive HTTP/1.1 connection, so what is timed is what a browser waits for: the
//! request, the file read, checked, edited and replaced, the assessment, the questionnaire
//! and the what-if search, and the reply. A std-only harness, as `benches/engine.rs`; run it
//! with `cargo bench --bench serve`, `benches/README.md` explains each line.

mod common;
#[path = "../tests/common/http.rs"]
mod http;

use std::error::Error;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rightscheck::assessment::FailOn;
use rightscheck::engine::{Options, Tailoring};
use rightscheck::report::Deadlines;
use rightscheck::rules::Catalog;
use rightscheck::serve::{Settings, bind};

use common::{pass_miss, percentile, saphyr_options};
use http::Connection;

/// The descriptor answered: a real example, about 8 KB with its comments.
const DESCRIPTOR_NAME: &str = "examples/welfare-risk-scoring.yaml";
const DESCRIPTOR: &str = include_str!("../examples/welfare-risk-scoring.yaml");
const AS_OF: &str = "2026-06-30";
/// The question answered, back and forth.
const QUESTION: &str = "oversight.can_override";

/// Targets (see `benches/README.md`).
const TARGET_P99_MS: f64 = 50.0;
const TARGET_PER_SECOND: f64 = 200.0;
/// Answers timed one after another, after `WARM_UP_ANSWERS`.
const ANSWERS: usize = 500;
const WARM_UP_ANSWERS: usize = 20;
/// Clients answering at once, each on its own descriptor, for `LOAD_FOR`.
const CLIENTS: usize = 4;
const LOAD_FOR: Duration = Duration::from_secs(5);

/// The `version` of a system's view, found without parsing the whole reply.
fn version_in(body: &[u8]) -> Result<String, Box<dyn Error>> {
    let text = std::str::from_utf8(body)?;
    let start = text
        .find("\"version\":\"")
        .ok_or_else(|| format!("no version in the reply: {}", &text[..text.len().min(300)]))?
        + 11;
    let end = text[start..].find('"').ok_or("unterminated version")? + start;
    Ok(text[start..end].to_string())
}

/// One client answering `QUESTION` of `file` back and forth on one connection.
struct Client {
    connection: Connection,
    base: String,
    file: String,
    version: String,
    value: bool,
}

impl Client {
    fn open(port: u16, token: &str, file: &str) -> Result<Client, Box<dyn Error>> {
        let mut connection = Connection::open(port)?;
        let base = format!("/{token}/");
        let reply = connection.send("GET", &format!("{base}api/system?file={file}"), &[], b"")?;
        if reply.status != 200 {
            return Err(format!("GET api/system: {}", reply.status).into());
        }
        Ok(Client {
            version: version_in(&reply.body)?,
            connection,
            base,
            file: file.to_string(),
            value: false,
        })
    }

    /// One answer; the time from sending it to having read the whole updated view.
    fn answer(&mut self) -> Result<Duration, Box<dyn Error>> {
        let body = serde_json::json!({
            "file": self.file,
            "version": self.version,
            "path": QUESTION,
            "answer": {"state": "value", "value": self.value},
        })
        .to_string();
        let start = Instant::now();
        let reply = self.connection.send(
            "POST",
            &format!("{}api/answer", self.base),
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )?;
        let elapsed = start.elapsed();
        if reply.status != 200 {
            return Err(format!(
                "POST api/answer: {} {}",
                reply.status,
                String::from_utf8_lossy(&reply.body)
            )
            .into());
        }
        self.version = version_in(&reply.body)?;
        self.value = !self.value;
        Ok(elapsed)
    }
}

/// The floor: serde-saphyr reading the descriptor into a value, median of many runs, in
/// microseconds.
#[allow(clippy::cast_precision_loss)]
fn parse_floor_us() -> f64 {
    let mut samples: Vec<f64> = (0..200)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..10 {
                black_box(serde_saphyr::from_str_with_options::<serde_json::Value>(
                    black_box(DESCRIPTOR),
                    saphyr_options(),
                ))
                .ok();
            }
            start.elapsed().as_secs_f64() * 1e6 / 10.0
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    percentile(&samples, 0.5)
}

/// A server over `folder`, in this process; its port and token, and the sender that
/// stops it.
fn start(folder: &Path) -> Result<(u16, String, tokio::sync::oneshot::Sender<()>), Box<dyn Error>> {
    let settings = Settings {
        folder: folder.to_path_buf(),
        port: 0,
        options: Options {
            as_of: NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d")?,
            fail_on: FailOn::default(),
        },
        catalog: Catalog::builtin()?.clone(),
        tailoring: Tailoring::default(),
        assessor: None,
        deadlines: Deadlines::default(),
    };
    let server = bind(settings).map_err(|e| e.message())?;
    let rest = server
        .url()
        .strip_prefix("http://127.0.0.1:")
        .ok_or("unexpected address")?
        .to_string();
    let (port, token) = rest.split_once('/').ok_or("unexpected address")?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let _ = server.run(
            || async move {
                let _ = stopped.await;
            },
            || {},
        );
    });
    Ok((port.parse()?, token.trim_end_matches('/').to_string(), stop))
}

#[allow(clippy::cast_precision_loss)]
fn main() -> Result<(), Box<dyn Error>> {
    let folder = tempfile::tempdir()?;
    for i in 0..CLIENTS {
        std::fs::write(folder.path().join(format!("system-{i}.yaml")), DESCRIPTOR)?;
    }
    let (port, token, stop) = start(folder.path())?;
    let mut client = Client::open(port, &token, "system-0.yaml")?;
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and then a quick
    // smoke run is enough.
    if !std::env::args().any(|a| a == "--bench") {
        let took = client.answer()?;
        println!(
            "smoke run (one answer in {:.1} ms); run `cargo bench --bench serve` to measure",
            took.as_secs_f64() * 1e3
        );
        let _ = stop.send(());
        return Ok(());
    }
    println!("rightscheck server benchmark");
    println!(
        "descriptor: {DESCRIPTOR_NAME} ({} bytes), {} rules; question answered: {QUESTION}",
        DESCRIPTOR.len(),
        Catalog::builtin()?.rules().len()
    );
    println!();

    // (a) One client: answer → updated view, one after another.
    for _ in 0..WARM_UP_ANSWERS {
        client.answer()?;
    }
    let mut latencies: Vec<f64> = (0..ANSWERS)
        .map(|_| client.answer().map(|d| d.as_secs_f64() * 1e3))
        .collect::<Result<_, _>>()?;
    latencies.sort_by(f64::total_cmp);
    let (p50, p99) = (percentile(&latencies, 0.5), percentile(&latencies, 0.99));

    // (b) Several clients at once, each on its own descriptor, for a fixed time.
    let started = Instant::now();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let token = token.clone();
            std::thread::spawn(move || -> Result<usize, String> {
                let mut client = Client::open(port, &token, &format!("system-{i}.yaml"))
                    .map_err(|e| e.to_string())?;
                let mut answered = 0;
                while started.elapsed() < LOAD_FOR {
                    client.answer().map_err(|e| e.to_string())?;
                    answered += 1;
                }
                Ok(answered)
            })
        })
        .collect();
    let mut answered = 0;
    for worker in workers {
        answered += worker.join().map_err(|_| "a client failed")??;
    }
    let per_second = answered as f64 / started.elapsed().as_secs_f64();
    let floor_us = parse_floor_us();
    let _ = stop.send(());

    println!(
        "{:<58} {:>12} {:>12}  {:<12} status",
        "line", "measured", "floor", "target"
    );
    println!("{}", "-".repeat(108));
    println!(
        "{:<58} {:>9.2} ms {:>9.1} µs  -",
        format!("a. answer -> updated view, p50 ({ANSWERS} answers, 1 client)"),
        p50,
        floor_us,
    );
    println!(
        "{:<58} {:>9.2} ms {:>9.1} µs  {:<12} {}",
        format!("a. answer -> updated view, p99 ({ANSWERS} answers, 1 client)"),
        p99,
        floor_us,
        format!("< {TARGET_P99_MS} ms"),
        pass_miss(p99 < TARGET_P99_MS)
    );
    println!(
        "{:<58} {:>9.0} /s {:>9.1} µs  {:<12} {}",
        format!(
            "b. answers per second ({CLIENTS} clients, {} s)",
            LOAD_FOR.as_secs()
        ),
        per_second,
        floor_us,
        format!(">= {TARGET_PER_SECOND} /s"),
        pass_miss(per_second >= TARGET_PER_SECOND)
    );
    println!();
    println!(
        "p50 is {:.0}x the parse floor ({floor_us:.1} µs to read the descriptor with serde-saphyr)",
        p50 * 1e3 / floor_us
    );
    Ok(())
}
