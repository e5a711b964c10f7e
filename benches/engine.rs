//! Engine benchmark: how much of an assessment is the unavoidable cost of reading YAML?
//!
//! A std-only harness (no criterion, to keep the build light): every measurement warms up,
//! then times batches of iterations with `std::time::Instant` and reports the median and
//! 90th percentile of the time per iteration, plus throughput. Run it with
//! `cargo bench --bench engine`; `benches/README.md` explains each line.

use std::error::Error;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rightscheck::assessment::FailOn;
use rightscheck::document::{Document, Format};
use rightscheck::engine::{self, Options};
use rightscheck::rules::Catalog;
use rightscheck::schema::Schema;

mod common;
use common::{pass_miss, percentile, saphyr_options};

/// The descriptor measured: a real example, about 8 KB with its comments.
const DESCRIPTOR_NAME: &str = "examples/welfare-risk-scoring.yaml";
const DESCRIPTOR: &str = include_str!("../examples/welfare-risk-scoring.yaml");
/// The same system described in JSON, for the JSON parse line.
const JSON_NAME: &str = "examples/well-governed.json";
const JSON_DESCRIPTOR: &str = include_str!("../examples/well-governed.json");
/// The date the CLI run uses, so that both measure the same assessment.
const AS_OF: &str = "2026-06-30";

/// Targets (see `benches/README.md`).
const TARGET_RATIO: f64 = 1.2;
const TARGET_EVALUATE_US: f64 = 20.0;
/// What would change the verdict runs on every answer in the browser.
const TARGET_WHAT_IF_US: f64 = 10_000.0;
const TARGET_PROCESS_MS: f64 = 20.0;
/// A whole `assess` process against `rightscheck --version`: start-up must stay small.
const TARGET_START_RATIO: f64 = 1.5;
/// The questionnaire is built again on every answer given in the browser.
const TARGET_QUESTIONNAIRE_MS: f64 = 3.0;
/// Rounds of the process lines: an `assess` and a `--version` in each.
const PROCESS_RUNS: usize = 200;

/// How long to run a closure before measuring.
const WARM_UP: Duration = Duration::from_millis(300);
/// Aimed duration of one timed batch; the batch size is calibrated to it.
const BATCH: Duration = Duration::from_micros(500);
/// Number of timed batches per measurement.
const SAMPLES: usize = 200;

/// Median and 90th percentile of one measurement, in microseconds per iteration.
#[derive(Clone, Copy)]
struct Stats {
    median_us: f64,
    p90_us: f64,
    iterations: u64,
}

#[allow(clippy::cast_precision_loss)]
fn stats_of(mut per_iteration_us: Vec<f64>, iterations: u64) -> Stats {
    per_iteration_us.sort_by(f64::total_cmp);
    Stats {
        median_us: percentile(&per_iteration_us, 0.5),
        p90_us: percentile(&per_iteration_us, 0.9),
        iterations,
    }
}

/// Warms `f` up, calibrates a batch size, then times `SAMPLES` batches.
#[allow(clippy::cast_precision_loss)]
fn measure<R>(mut f: impl FnMut() -> R) -> Stats {
    let start = Instant::now();
    let mut warm_iterations: u64 = 0;
    while start.elapsed() < WARM_UP {
        black_box(f());
        warm_iterations += 1;
    }
    let per_call = WARM_UP.as_secs_f64() / warm_iterations.max(1) as f64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let batch = ((BATCH.as_secs_f64() / per_call) as u64).max(1);
    let mut samples = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let t = Instant::now();
        for _ in 0..batch {
            black_box(f());
        }
        samples.push(t.elapsed().as_secs_f64() * 1e6 / batch as f64);
    }
    stats_of(samples, batch * SAMPLES as u64)
}

struct Row {
    label: String,
    stats: Option<Stats>,
    /// Bytes processed per iteration, for MB/s; none for per-document throughput only.
    bytes: Option<usize>,
    target: String,
    status: String,
    /// Print in milliseconds rather than microseconds.
    in_ms: bool,
}

impl Row {
    fn timed(label: &str, stats: Stats, bytes: Option<usize>) -> Row {
        Row {
            label: label.to_string(),
            stats: Some(stats),
            bytes,
            target: String::new(),
            status: String::new(),
            in_ms: false,
        }
    }

    fn note(label: String, target: String, status: String) -> Row {
        Row {
            label,
            stats: None,
            bytes: None,
            target,
            status,
            in_ms: false,
        }
    }

    fn with_target(mut self, target: String, met: bool) -> Row {
        self.target = target;
        self.status = pass_miss(met).to_string();
        self
    }
}

#[allow(clippy::cast_precision_loss)]
fn throughput(stats: &Stats, bytes: Option<usize>) -> String {
    let per_second = 1e6 / stats.median_us;
    match bytes {
        Some(b) => format!(
            "{:>8.1} MB/s {:>9.0} /s",
            b as f64 * per_second / 1e6,
            per_second
        ),
        None => format!("{:>8} {:>14.0} /s", "", per_second),
    }
}

fn print_table(rows: &[Row]) {
    let header = [
        "step",
        "median",
        "p90",
        "runs",
        "throughput (at median)",
        "target",
        "status",
    ];
    println!(
        "{:<44} {:>10} {:>10} {:>7}  {:<29} {:<12} {}",
        header[0], header[1], header[2], header[3], header[4], header[5], header[6]
    );
    println!("{}", "-".repeat(126));
    for row in rows {
        match &row.stats {
            Some(s) if row.in_ms => println!(
                "{:<44} {:>7.2} ms {:>7.2} ms {:>7}  {:<29} {:<12} {}",
                row.label,
                s.median_us / 1e3,
                s.p90_us / 1e3,
                s.iterations,
                throughput(s, row.bytes),
                row.target,
                row.status
            ),
            Some(s) => println!(
                "{:<44} {:>7.2} µs {:>7.2} µs {:>7}  {:<29} {:<12} {}",
                row.label,
                s.median_us,
                s.p90_us,
                s.iterations,
                throughput(s, row.bytes),
                row.target,
                row.status
            ),
            None => println!(
                "{:<44} {:>10} {:>10} {:>7}  {:<29} {:<12} {}",
                row.label, "", "", "", "", row.target, row.status
            ),
        }
    }
}

/// The release binary: `CARGO_BIN_EXE_rightscheck` when Cargo provides it, else the
/// `rightscheck` next to this bench's target directory (`target/release/deps/engine-…`).
fn find_binary() -> Option<PathBuf> {
    let exe_name = format!("rightscheck{}", std::env::consts::EXE_SUFFIX);
    if let Some(path) = option_env!("CARGO_BIN_EXE_rightscheck").map(PathBuf::from)
        && path.is_file()
    {
        return Some(path);
    }
    let me = std::env::current_exe().ok()?;
    me.ancestors()
        .skip(1)
        .flat_map(|dir| [dir.join(&exe_name), dir.join("release").join(&exe_name)])
        .find(|p| p.is_file())
}

/// The `assess` command line the process lines time.
const ASSESS_ARGS: [&str; 6] = [
    "assess",
    "--as-of",
    AS_OF,
    "--format",
    "json",
    DESCRIPTOR_NAME,
];

/// Spawns the binary with each list of arguments in turn, `runs` rounds; the wall time of
/// each run, in milliseconds, per list. Taking turns keeps a machine that slows down or
/// speeds up during the measurement from favouring one of them.
#[allow(clippy::cast_precision_loss)]
fn time_processes<const N: usize>(
    binary: &Path,
    args: [&[&str]; N],
    runs: usize,
) -> Result<[Vec<f64>; N], String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| -> Result<f64, String> {
        let start = Instant::now();
        let status = Command::new(binary)
            .current_dir(root)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        let elapsed = start.elapsed();
        // 0: nothing failing, 1: findings at the threshold; 2 is a usage or input error.
        match status.code() {
            Some(0 | 1) => Ok(elapsed.as_secs_f64() * 1e3),
            other => Err(format!(
                "{} exited with {other:?}; is the binary up to date?",
                binary.display()
            )),
        }
    };
    for one in args {
        for _ in 0..3 {
            run(one)?;
        }
    }
    let mut times = std::array::from_fn(|_| Vec::with_capacity(runs));
    for _ in 0..runs {
        for (one, out) in args.iter().zip(times.iter_mut()) {
            out.push(run(one)?);
        }
    }
    Ok(times)
}

/// Everything a measurement needs, prepared once: one-off costs (schema compilation, rule
/// loading) stay out of the timings.
struct Setup {
    schema: &'static Schema,
    catalog: &'static Catalog,
    options: Options,
    doc: Document,
    valid: bool,
}

fn setup() -> Result<Setup, Box<dyn Error>> {
    let options = Options {
        as_of: NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d")?,
        fail_on: FailOn::default(),
    };
    let schema = Schema::descriptor()?;
    let catalog = Catalog::builtin()?;
    let doc = Document::from_bytes(DESCRIPTOR_NAME, DESCRIPTOR.as_bytes(), Format::Yaml)?;
    let issues = schema.validate(&doc)?;
    if !issues.is_empty() {
        println!(
            "warning: {DESCRIPTOR_NAME} has {} schema issue(s); validation is timed on the slow path",
            issues.len()
        );
    }
    let floor_value: serde_json::Value =
        serde_saphyr::from_str_with_options(DESCRIPTOR, saphyr_options())?;
    if floor_value != doc.value {
        println!("warning: the floor parse and Document::from_bytes disagree on the value");
    }
    Ok(Setup {
        schema,
        catalog,
        options,
        doc,
        valid: issues.is_empty(),
    })
}

fn print_header(setup: &Setup) -> Result<(), Box<dyn Error>> {
    let bytes = DESCRIPTOR.len();
    let lines = DESCRIPTOR.lines().count();
    let comment_bytes: usize = DESCRIPTOR
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .map(|l| l.len() + 1)
        .sum();
    println!("rightscheck engine benchmark");
    println!(
        "descriptor: {DESCRIPTOR_NAME}, {bytes} bytes ({:.1} KiB, {lines} lines, {comment_bytes} bytes of whole-line comments), {} rules, valid: {}",
        f64::from(u32::try_from(bytes)?) / 1024.0,
        setup.catalog.rules().len(),
        setup.valid
    );
    println!(
        "the real example is larger than the ~5 KB aimed at, so it is used as is (nothing synthesised)"
    );
    println!(
        "harness: {} ms warm-up, then {SAMPLES} batches of ~{} µs each; figures are per iteration",
        WARM_UP.as_millis(),
        BATCH.as_micros()
    );
    println!();
    Ok(())
}

/// Lines a to f, plus two informational JSON lines.
/// Line c': validation as a portfolio does it, with the validator compiled once for all.
fn compiled_validate_row(schema: &Schema, doc: &Document) -> Row {
    let label = "c'. validate, compiled validator (a portfolio)";
    match schema.prepare() {
        Ok(schema) => Row::timed(label, measure(|| schema.validate(black_box(doc))), None),
        Err(e) => Row::note(label.to_string(), String::new(), e.to_string()),
    }
}

fn in_process_rows(setup: &Setup) -> Vec<Row> {
    let Setup {
        schema,
        catalog,
        options,
        doc,
        ..
    } = setup;
    let bytes = DESCRIPTOR.as_bytes();
    let floor = measure(|| {
        serde_saphyr::from_str_with_options::<serde_json::Value>(
            black_box(DESCRIPTOR),
            saphyr_options(),
        )
    });
    let parse = measure(|| Document::from_bytes(DESCRIPTOR_NAME, black_box(bytes), Format::Yaml));
    // One document checked, as one `assess` does: the quick check, no validator compiled.
    let validate = measure(|| schema.validate(black_box(doc)));
    let engine = engine::Engine::plain(catalog);
    let evaluate = measure(|| engine.evaluate(black_box(doc), options).verdict());
    let assess = measure(|| engine.evaluate(black_box(doc), options).to_assessment());
    let end_to_end = measure(|| -> Result<usize, Box<dyn Error>> {
        let doc = Document::from_bytes(DESCRIPTOR_NAME, black_box(bytes), Format::Yaml)?;
        let issues = schema.validate(&doc)?;
        let assessment = engine.evaluate(&doc, options).to_assessment();
        Ok(issues.len() + assessment.findings.len())
    });
    // After every line that checks one document as one `assess` does.
    let validate_compiled = compiled_validate_row(schema, doc);
    let json_parse = measure(|| {
        Document::from_bytes(
            JSON_NAME,
            black_box(JSON_DESCRIPTOR.as_bytes()),
            Format::Json,
        )
    });
    let json_floor = measure(|| serde_json::from_str::<serde_json::Value>(JSON_DESCRIPTOR));
    let questionnaire =
        measure(|| rightscheck::questions::questionnaire(catalog, Some(black_box(doc))));
    let what_if = measure(|| rightscheck::whatif::what_if(&engine, black_box(doc), options));

    let ratio = end_to_end.median_us / floor.median_us;
    let ratio_p90 = end_to_end.p90_us / floor.p90_us;
    vec![
        Row::timed(
            "a. floor: serde-saphyr -> serde_json::Value",
            floor,
            Some(bytes.len()),
        ),
        Row::timed(
            "b. Document::from_bytes (YAML, positions)",
            parse,
            Some(bytes.len()),
        ),
        Row::timed("c. validate, quick check (one document)", validate, None),
        validate_compiled,
        Row::timed("d. evaluate (Engine::evaluate)", evaluate, None).with_target(
            format!("< {TARGET_EVALUATE_US} µs"),
            evaluate.median_us < TARGET_EVALUATE_US,
        ),
        Row::timed("d'. assess (Engine::evaluate, written up)", assess, None),
        Row::timed("e. end to end: b + c + d'", end_to_end, Some(bytes.len())),
        Row::note(
            format!("f. ratio e / a = {ratio:.2} (p90 / p90 = {ratio_p90:.2})"),
            format!("<= {TARGET_RATIO}"),
            pass_miss(ratio <= TARGET_RATIO).to_string(),
        ),
        Row::timed(
            "   (info) Document::from_bytes, JSON",
            json_parse,
            Some(JSON_DESCRIPTOR.len()),
        ),
        Row::timed(
            "   (info) serde_json -> Value, same JSON",
            json_floor,
            Some(JSON_DESCRIPTOR.len()),
        ),
        json_report_row(&engine, doc, *options),
        Row::timed(
            "   questions::questionnaire (every question)",
            questionnaire,
            None,
        )
        .with_target(
            format!("< {TARGET_QUESTIONNAIRE_MS} ms"),
            questionnaire.median_us < TARGET_QUESTIONNAIRE_MS * 1e3,
        ),
        Row::timed(
            &format!(
                "j. what_if (whatif::what_if), {:.0} x the floor",
                what_if.median_us / floor.median_us
            ),
            what_if,
            None,
        )
        .with_target(
            format!("< {} ms", TARGET_WHAT_IF_US / 1e3),
            what_if.median_us < TARGET_WHAT_IF_US,
        ),
    ]
}

/// The JSON report of one assessment: the largest report, written by every `assess` that
/// asks for JSON.
fn json_report_row(engine: &engine::Engine<'_>, doc: &Document, options: Options) -> Row {
    use rightscheck::report::{RenderOptions, ReportFormat, render};
    let assessment = engine.evaluate(doc, &options).to_assessment();
    let report_options = RenderOptions::default();
    let json = || render(ReportFormat::Json, black_box(&assessment), &report_options);
    let bytes = json().map_or(0, |text| text.len());
    let stats = measure(|| json().map(|text| text.len()));
    Row::timed(
        "   (info) JSON report of d' (report::render)",
        stats,
        Some(bytes),
    )
}

/// Lines g to i: whole `rightscheck assess` processes, `rightscheck --version` processes
/// (start-up and nothing else), and their ratio.
fn process_rows() -> Vec<Row> {
    let label = format!("g. process: rightscheck assess ({PROCESS_RUNS} runs)");
    let Some(binary) = find_binary() else {
        return vec![Row::note(
            label,
            String::new(),
            "SKIPPED: no target/release/rightscheck; run `cargo build --release`".to_string(),
        )];
    };
    println!("binary: {}", binary.display());
    let stats = |ms: Vec<f64>| stats_of(ms.iter().map(|m| m * 1e3).collect(), PROCESS_RUNS as u64);
    let (assess, version) =
        match time_processes(&binary, [&ASSESS_ARGS, &["--version"]], PROCESS_RUNS) {
            Ok([assess, version]) => (stats(assess), stats(version)),
            Err(message) => {
                return vec![Row::note(
                    label,
                    String::new(),
                    format!("SKIPPED: {message}"),
                )];
            }
        };
    let mut g = Row::timed(&label, assess, None).with_target(
        format!("< {TARGET_PROCESS_MS} ms"),
        assess.median_us / 1e3 < TARGET_PROCESS_MS,
    );
    g.in_ms = true;
    let mut h = Row::timed(
        &format!("h. process: rightscheck --version ({PROCESS_RUNS} runs)"),
        version,
        None,
    );
    h.in_ms = true;
    let ratio = assess.median_us / version.median_us;
    let layout = layout_row(&binary);
    let i = Row::note(
        format!(
            "i. start-up ratio g / h = {ratio:.2} (p90 / p90 = {:.2})",
            assess.p90_us / version.p90_us
        ),
        format!("<= {TARGET_START_RATIO}"),
        pass_miss(ratio <= TARGET_START_RATIO).to_string(),
    );
    vec![g, h, i, layout]
}

/// Whether the list of functions laid out first (`build/symbol-order.txt`) still matches the
/// binary timed: a list gone stale slows start-up without any other sign. Counted with
/// `nm`, against the count the list records for the benchmarks' build.
fn layout_row(binary: &Path) -> Row {
    let label = "   (info) code layout list";
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(list) = std::fs::read_to_string(root.join("build/symbol-order.txt")) else {
        return Row::note(
            label.to_string(),
            String::new(),
            "no build/symbol-order.txt".into(),
        );
    };
    let when_written = list
        .lines()
        .find_map(|l| l.strip_prefix("# names in the benchmarks' build: "))
        .and_then(|n| n.trim().parse::<usize>().ok());
    let names: std::collections::HashSet<&str> =
        list.lines().filter(|l| !l.starts_with('#')).collect();
    let Ok(out) = Command::new("nm").arg(binary).output() else {
        return Row::note(
            label.to_string(),
            String::new(),
            "not checked: no `nm`".into(),
        );
    };
    let symbols = String::from_utf8_lossy(&out.stdout);
    let found: std::collections::HashSet<&str> = symbols
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .filter(|s| names.contains(s))
        .collect();
    let status = match when_written {
        Some(n) if found.len() * 20 < n * 19 => "STALE: run build/symbol-order.sh",
        Some(_) => "current",
        None => "",
    };
    Row::note(
        format!(
            "{label}: {} of its names in the binary ({} when written)",
            found.len(),
            when_written.map_or_else(|| "?".to_string(), |n| n.to_string())
        ),
        String::new(),
        status.to_string(),
    )
}

fn main() -> Result<(), Box<dyn Error>> {
    let setup = setup()?;
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and then a quick
    // smoke run is enough.
    if !std::env::args().any(|a| a == "--bench") {
        let engine = engine::Engine::plain(setup.catalog);
        let evaluation = engine.evaluate(&setup.doc, &setup.options);
        let assessment = evaluation.to_assessment();
        println!(
            "smoke run ({} rules evaluated, {} findings); run `cargo bench --bench engine` to measure",
            evaluation.outcomes().len(),
            assessment.findings.len()
        );
        return Ok(());
    }
    print_header(&setup)?;
    let mut rows = in_process_rows(&setup);
    rows.extend(process_rows());
    print_table(&rows);
    println!();
    let share = |label: &str| {
        rows.iter()
            .find(|r| r.label.starts_with(label))
            .and_then(|r| r.stats)
            .map_or(f64::NAN, |s| s.median_us)
    };
    let total = share("e.");
    println!(
        "share of end to end (medians): parse {:.0}%, validate {:.0}%, assess {:.0}% (of which evaluation {:.0}%)",
        100.0 * share("b.") / total,
        100.0 * share("c.") / total,
        100.0 * share("d'.") / total,
        100.0 * share("d.") / total
    );
    Ok(())
}
