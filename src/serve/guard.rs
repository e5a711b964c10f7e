//! The checks every request passes before it reaches a route, and the headers every
//! response carries. In order: the session token (404 with no detail, so that a page of
//! another site cannot even learn a server is there), the Host header (another name for
//! this machine is a DNS-rebinding attack), the Origin (no other site may send requests),
//! the content type and size of a body, and a time limit.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};

use super::Workspace;
use super::error::Refusal;

/// The policy of the application's own pages: its script and style only, from itself.
pub(super) const APP_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of a downloaded HTML report: no script at all; its inline style only.
pub(super) const REPORT_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Longest a request may take, from its headers to its response.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// Whether two byte strings are equal, in a time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether the path starts with `/TOKEN/`.
fn has_token(path: &str, token: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    rest.len() > token.len()
        && rest.as_bytes()[token.len()] == b'/'
        && same(&rest.as_bytes()[..token.len()], token.as_bytes())
}

/// Whether a header names this server: `127.0.0.1:PORT` or `localhost:PORT`, with the
/// scheme when `scheme` is given (an Origin).
fn names_this_server(value: Option<&HeaderValue>, port: u16, scheme: &str) -> bool {
    let Some(value) = value.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(host) = value.strip_prefix(scheme) else {
        return false;
    };
    host == format!("127.0.0.1:{port}") || host.eq_ignore_ascii_case(&format!("localhost:{port}"))
}

/// Whether the body is declared JSON: `application/json`, with parameters or not.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

/// The declared length of the body, when declared.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

/// Every check, then the route, then the headers.
pub(super) async fn guard(
    State(ws): State<Arc<Workspace>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = match refusal(&ws, &request) {
        Some(refused) => refused,
        None => match tokio::time::timeout(TIME_LIMIT, next.run(request)).await {
            Ok(response) => response,
            Err(_) => Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "too-slow",
                "the request took too long and was stopped; try again",
            )
            .into_response(),
        },
    };
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(APP_POLICY),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The refusal of a request that fails a check, if it does.
fn refusal(ws: &Workspace, request: &Request) -> Option<Response> {
    if !has_token(request.uri().path(), &ws.token) {
        return Some(not_found());
    }
    let headers = request.headers();
    if !names_this_server(headers.get(header::HOST), ws.port, "") {
        return Some(
            Refusal::new(
                StatusCode::FORBIDDEN,
                "wrong-host",
                "this server answers only to 127.0.0.1 and localhost",
            )
            .into_response(),
        );
    }
    if headers.contains_key(header::ORIGIN)
        && !names_this_server(headers.get(header::ORIGIN), ws.port, "http://")
    {
        return Some(
            Refusal::new(
                StatusCode::FORBIDDEN,
                "wrong-origin",
                "requests from other sites are refused",
            )
            .into_response(),
        );
    }
    if request.method() == Method::POST {
        if declared_length(headers).is_some_and(|n| n > super::MAX_BODY_BYTES as u64) {
            return Some(
                Refusal::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too-large",
                    "the request is larger than 1 MiB",
                )
                .into_response(),
            );
        }
        if !is_json(headers) {
            return Some(
                Refusal::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "not-json",
                    "the request must be JSON (`Content-Type: application/json`)",
                )
                .into_response(),
            );
        }
    }
    None
}

/// 404 with an empty body.
pub(super) fn not_found() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_must_be_the_first_part_of_the_path() {
        let token = "0123456789abcdef0123456789abcdef";
        assert!(has_token(&format!("/{token}/"), token));
        assert!(has_token(&format!("/{token}/api/workspace"), token));
        assert!(!has_token(&format!("/{token}"), token));
        assert!(!has_token(&format!("/x{token}/"), token));
        assert!(!has_token("/0123456789abcdef0123456789abcdee/", token));
        assert!(!has_token("/", token));
    }

    #[test]
    fn only_this_server_s_names_are_accepted() {
        let ok = |v: &'static str, scheme| {
            names_this_server(Some(&HeaderValue::from_static(v)), 8470, scheme)
        };
        assert!(ok("127.0.0.1:8470", ""));
        assert!(ok("localhost:8470", ""));
        assert!(!ok("127.0.0.1:8471", ""));
        assert!(!ok("evil.example:8470", ""));
        assert!(!ok("127.0.0.1", ""));
        assert!(ok("http://localhost:8470", "http://"));
        assert!(!ok("https://localhost:8470", "http://"));
        assert!(!ok("http://localhost:8470.evil.example", "http://"));
        assert!(!names_this_server(None, 8470, ""));
    }
}
