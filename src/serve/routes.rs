//! The routes of the local web API, all under `/TOKEN/`. Each reads or writes through the
//! library (documents, `crate::edit`, the engine, the report renderers) on a blocking
//! thread, so that the server keeps answering while a file is read or assessed.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::Value;

use super::error::Refusal;
use super::view::{self, SystemView};
use super::{Workspace, assets, files, guard};
use crate::edit;
use crate::report::{RenderOptions, ReportFormat};
use crate::schema::{FieldKind, descriptor_fields};

/// Every route, behind the checks of `guard.rs`.
pub(super) fn router(ws: Arc<Workspace>) -> Router {
    let base = format!("/{}/", ws.token);
    Router::new()
        .route(&base, get(index))
        .route(&format!("{base}assets/app.js"), get(script))
        .route(&format!("{base}assets/app.css"), get(style))
        .route(&format!("{base}api/workspace"), get(workspace))
        .route(&format!("{base}api/system"), get(system))
        .route(&format!("{base}api/report"), get(report))
        .route(&format!("{base}api/answer"), post(answer))
        .route(&format!("{base}api/evidence"), post(evidence))
        .route(&format!("{base}api/new"), post(new))
        .route(&format!("{base}portfolio"), get(portfolio))
        .fallback(|| async { guard::not_found() })
        .layer(DefaultBodyLimit::max(super::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&ws),
            guard::guard,
        ))
        .with_state(ws)
}

type Answer<T> = Result<T, Refusal>;

/// Runs blocking work (files, assessments) off the server's threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Answer<T> + Send + 'static,
) -> Answer<T> {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|_| {
        Err(Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the request failed inside the server; this is a bug, please report it",
        ))
    })
}

/// The JSON reply of blocking work, or its refusal. Serialized on the blocking thread,
/// into a buffer sized for a system's view (a few hundred kilobytes) at once.
async fn json_of<T: serde::Serialize + Send + 'static>(
    work: impl FnOnce() -> Answer<T> + Send + 'static,
) -> Response {
    let reply = blocking(move || {
        let value = work()?;
        let mut bytes = Vec::with_capacity(512 * 1024);
        serde_json::to_writer(&mut bytes, &value).map_err(|e| {
            Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
        })?;
        Ok(bytes)
    })
    .await;
    match reply {
        Ok(bytes) => ([(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(refusal) => refusal.into_response(),
    }
}

/// A page or file of the application.
fn asset(content_type: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], text).into_response()
}

async fn index() -> Response {
    asset("text/html; charset=utf-8", assets::INDEX)
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", assets::SCRIPT)
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", assets::STYLE)
}

async fn workspace(State(ws): State<Arc<Workspace>>) -> Response {
    json_of(move || Ok(view::workspace(&ws))).await
}

/// `file=REL` of a query.
fn file_of(query: &HashMap<String, String>) -> Answer<&str> {
    query
        .get("file")
        .map(String::as_str)
        .ok_or_else(|| Refusal::bad("no-file", "name the file with `file=`"))
}

/// The view of a file of the workspace, read now.
fn system_view(ws: &Workspace, name: &str) -> Answer<SystemView> {
    let path = files::existing(&ws.root, name)?;
    let read = view::read(&path, name).map_err(|e| Refusal::bad("unreadable", e.to_string()))?;
    Ok(view::system(ws, &read))
}

async fn system(
    State(ws): State<Arc<Workspace>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    json_of(move || system_view(&ws, file_of(&query)?)).await
}

/// A JSON body, or a plain-language refusal of it.
fn body<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Answer<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| Refusal::bad("bad-request", format!("the request does not read: {e}")))
}

/// `POST api/answer`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerRequest {
    file: String,
    version: String,
    path: String,
    answer: Given,
}

/// An answer: still unknown, or a value.
#[derive(Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
enum Given {
    Unknown,
    Value { value: Value },
}

/// The field a question is about, from the schema.
fn field(path: &str) -> Answer<&'static crate::schema::FieldInfo> {
    descriptor_fields().get(path).ok_or_else(|| {
        Refusal::bad(
            "unknown-path",
            format!("`{path}` is not a question of the descriptor"),
        )
    })
}

/// Whether a value fits the field: the kind the schema gives it.
fn check_value(path: &str, value: &Value) -> Answer<()> {
    let field = field(path)?;
    let fits = match (&field.kind, value) {
        (FieldKind::Boolean, Value::Bool(_))
        | (FieldKind::Number, Value::Number(_))
        | (FieldKind::Text, Value::String(_)) => true,
        (FieldKind::Date, Value::String(s)) => {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        }
        (FieldKind::Choice(options), Value::String(s)) => options.is_empty() || options.contains(s),
        (FieldKind::List(options), Value::Array(items)) => items.iter().all(|i| {
            i.as_str()
                .is_some_and(|s| options.is_empty() || options.iter().any(|o| o == s))
        }),
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(Refusal::bad(
            "wrong-type",
            format!(
                "`{path}` cannot take {}",
                crate::schema::describe_value(value)
            ),
        ))
    }
}

/// Saves one field of a file (after `check`) and returns the new view.
fn save(
    ws: &Workspace,
    file: &str,
    version: &str,
    path: &str,
    value: Option<&Value>,
) -> Answer<SystemView> {
    let target = files::existing(&ws.root, file)?;
    let lock = ws.lock_of(&target);
    let (_, doc) = {
        let _writing = lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let name = crate::text::sanitize_line(file);
        edit::set_in_file(&target, &name, version, path, value)?
    };
    Ok(view::system(ws, &view::Read::of(doc)))
}

async fn answer(State(ws): State<Arc<Workspace>>, bytes: Bytes) -> Response {
    json_of(move || {
        let request: AnswerRequest = body(&bytes)?;
        let value = match &request.answer {
            Given::Unknown => {
                field(&request.path)?;
                None
            }
            Given::Value { value } => {
                check_value(&request.path, value)?;
                Some(value)
            }
        };
        save(&ws, &request.file, &request.version, &request.path, value)
    })
    .await
}

/// `POST api/evidence`: one document added to a section's evidence list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceRequest {
    file: String,
    version: String,
    path: String,
    title: String,
    link: Option<String>,
    document: Option<String>,
}

async fn evidence(State(ws): State<Arc<Workspace>>, bytes: Bytes) -> Response {
    json_of(move || {
        let request: EvidenceRequest = body(&bytes)?;
        let section = request
            .path
            .strip_suffix(".evidence")
            .filter(|s| descriptor_fields().get(*s).and_then(|f| f.evidence_section.as_deref()) == Some(*s))
            .ok_or_else(|| Refusal::bad("unknown-path", format!("`{}` is not a list of evidence", request.path)))?;
        let blank = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let (link, document) = (blank(&request.link), blank(&request.document));
        if request.title.trim().is_empty() || (link.is_none() && document.is_none()) {
            return Err(Refusal::bad(
                "incomplete",
                "give the document's title, and a link or its name in the procurement or audit file",
            ));
        }
        let target = files::existing(&ws.root, &request.file)?;
        let read = view::read(&target, &request.file).map_err(|e| Refusal::bad("unreadable", e.to_string()))?;
        let doc = read.doc.map_err(|e| Refusal::bad("unreadable", e.to_string()))?;
        let pointer = format!("/{}/evidence", section.replace('.', "/"));
        let mut list = match doc.value.pointer(&pointer) {
            Some(Value::Array(items)) => items.clone(),
            None | Some(Value::Null) => Vec::new(),
            Some(_) => return Err(Refusal::bad("cannot-save", format!("`{}` is not a list", request.path))),
        };
        let mut item = serde_json::Map::new();
        item.insert("title".to_string(), Value::String(request.title.trim().to_string()));
        if let Some(link) = link {
            item.insert("link".to_string(), Value::String(link));
        }
        if let Some(document) = document {
            item.insert("file".to_string(), Value::String(document));
        }
        list.push(Value::Object(item));
        save(&ws, &request.file, &request.version, &request.path, Some(&Value::Array(list)))
    })
    .await
}

/// `POST api/new`: a new descriptor with its name alone.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewRequest {
    file: String,
    name: String,
}

async fn new(State(ws): State<Arc<Workspace>>, bytes: Bytes) -> Response {
    json_of(move || {
        let request: NewRequest = body(&bytes)?;
        let name = request.name.trim();
        if name.is_empty() {
            return Err(Refusal::bad("incomplete", "give the system a name"));
        }
        let target = files::new(&ws.root, &request.file)?;
        let format = crate::document::Format::from_name(&request.file);
        // The terminal questionnaire starts from the same descriptor (`init --interactive`).
        let mut descriptor = crate::questions::write::new_descriptor();
        crate::questions::write::set(
            &mut descriptor,
            "system.name",
            Value::String(name.to_string()),
        );
        let text = match format {
            crate::document::Format::Yaml => crate::questions::write::to_yaml(&descriptor),
            crate::document::Format::Json => crate::questions::write::to_json(&descriptor),
        }
        .map_err(|e| Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "not-saved", e))?;
        // Written under a new name and linked into place only if nothing has the name.
        write_new(&target, &text).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Refusal::new(
                StatusCode::CONFLICT,
                "exists",
                format!("`{}` already exists", request.file),
            ),
            _ => Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "not-saved",
                format!("cannot write `{}`: {e}", request.file),
            ),
        })?;
        Ok(view::system(
            &ws,
            &view::parse(&request.file, text.as_bytes()),
        ))
    })
    .await
}

/// Writes a new file whole, never replacing one that appeared meanwhile.
fn write_new(target: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let folder = target.parent().unwrap_or(target);
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    temporary.write_all(text.as_bytes())?;
    temporary.as_file().sync_all()?;
    temporary.persist_noclobber(target).map_err(|e| e.error)?;
    Ok(())
}

/// How a report is rendered for download: as `assess` renders it into a file or a pipe.
fn render_options<'a>(ws: &'a Workspace, reproduce: &'a [String]) -> RenderOptions<'a> {
    RenderOptions {
        color: false,
        width: Some(120),
        show_all: false,
        assessor: ws.assessor.as_deref(),
        template: None,
        deadlines: ws.deadlines,
        only: None,
        reproduce,
    }
}

/// The formats a report can be downloaded in, with their media type and extension.
fn download_format(name: &str) -> Answer<(ReportFormat, &'static str, &'static str)> {
    Ok(match name {
        "html" => (ReportFormat::Html, "text/html; charset=utf-8", "html"),
        "json" => (ReportFormat::Json, "application/json", "json"),
        "markdown" => (ReportFormat::Markdown, "text/markdown; charset=utf-8", "md"),
        "csv" => (ReportFormat::Csv, "text/csv; charset=utf-8", "csv"),
        "sarif" => (ReportFormat::Sarif, "application/sarif+json", "sarif"),
        "junit" => (ReportFormat::Junit, "application/xml", "xml"),
        "oscal" => (ReportFormat::Oscal, "application/json", "oscal.json"),
        other => {
            return Err(Refusal::bad(
                "unknown-format",
                format!(
                    "`{other}` is not a report format; choose html, json, markdown, csv, sarif, junit or oscal"
                ),
            ));
        }
    })
}

/// A download: the bytes, their type, and the file name offered; `inline` shows it in
/// the browser instead of saving it.
fn attachment(
    bytes: Vec<u8>,
    content_type: &'static str,
    file_name: &str,
    html: bool,
    inline: bool,
) -> Response {
    let mut response = ([(header::CONTENT_TYPE, content_type)], bytes).into_response();
    let headers = response.headers_mut();
    // Only letters, digits, dots and dashes reach the header: no quoting to get wrong.
    let safe: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let disposition = if inline { "inline" } else { "attachment" };
    if let Ok(value) = HeaderValue::from_str(&format!("{disposition}; filename=\"{safe}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    if html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(guard::REPORT_POLICY),
        );
    }
    response
}

async fn report(
    State(ws): State<Arc<Workspace>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    blocking(move || {
        let name = file_of(&query)?;
        let (format, content_type, extension) =
            download_format(query.get("format").map_or("html", String::as_str))?;
        let path = files::existing(&ws.root, name)?;
        let read =
            view::read(&path, name).map_err(|e| Refusal::bad("unreadable", e.to_string()))?;
        let doc = read
            .doc
            .map_err(|e| Refusal::bad("has-mistakes", e.to_string()))?;
        let assessment = view::assess(&ws, &doc).map_err(|issues| {
            Refusal::bad(
                "has-mistakes",
                format!(
                    "{}: fix them to get a report",
                    crate::text::count(issues.len(), "mistake", "mistakes")
                ),
            )
        })?;
        let reproduce = ["--format".to_string(), format.as_str().to_string()];
        let reproduce = match &ws.assessor {
            Some(assessor) => [
                reproduce.to_vec(),
                vec!["--assessor".to_string(), assessor.clone()],
            ]
            .concat(),
            None => reproduce.to_vec(),
        };
        // `disposition=inline` opens the report in the browser, to read or print it.
        let inline = query.get("disposition").is_some_and(|d| d == "inline");
        let text = crate::report::render(format, &assessment, &render_options(&ws, &reproduce))
            .map_err(|e| {
                Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            })?;
        let stem = std::path::Path::new(name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("report");
        Ok(attachment(
            text.into_bytes(),
            content_type,
            &format!("{stem}.{extension}"),
            format == ReportFormat::Html,
            inline,
        ))
    })
    .await
    .into_response()
}

async fn portfolio(State(ws): State<Arc<Workspace>>) -> Response {
    blocking(move || {
        let files = crate::portfolio::collect_inputs(std::slice::from_ref(&ws.root))
            .map_err(|e| Refusal::bad("empty", e.to_string()))?;
        let files: Vec<_> = files
            .into_iter()
            .filter(|f| std::fs::canonicalize(f).is_ok_and(|c| c.starts_with(&ws.root)))
            .collect();
        let reproduce = ["--format".to_string(), "html".to_string()];
        let render = render_options(&ws, &reproduce);
        let folder = tempfile::tempdir().map_err(|e| {
            Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
        })?;
        let out = folder.path().join("portfolio.html");
        let run = crate::drive::Run {
            files: &files,
            format: ReportFormat::Html,
            render: &render,
            destination: crate::drive::Destination::File(&out),
            jobs: crate::drive::workers(None).0,
            progress: false,
        };
        crate::drive::assess(ws.engine, ws.options, &run).map_err(|e| {
            Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
        })?;
        let bytes = std::fs::read(&out).map_err(|e| {
            Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
        })?;
        let mut response =
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes).into_response();
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(guard::REPORT_POLICY),
        );
        Ok(response)
    })
    .await
    .into_response()
}
