//! A request refused, as the web page reads it: a status and
//! `{ "error": key, "message": plain words }`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::edit::EditError;

/// A request refused: a status and `{ "error": key, "message": plain words }`.
#[derive(Debug)]
pub(crate) struct Refusal {
    status: StatusCode,
    error: &'static str,
    message: String,
}

impl Refusal {
    pub(crate) fn new(
        status: StatusCode,
        error: &'static str,
        message: impl Into<String>,
    ) -> Refusal {
        Refusal {
            status,
            error,
            message: message.into(),
        }
    }

    pub(crate) fn bad(error: &'static str, message: impl Into<String>) -> Refusal {
        Refusal::new(StatusCode::BAD_REQUEST, error, message)
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            error: &'a str,
            message: &'a str,
        }
        let body = Body {
            error: self.error,
            message: &self.message,
        };
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<EditError> for Refusal {
    fn from(e: EditError) -> Refusal {
        match e {
            EditError::Changed => Refusal::new(
                StatusCode::CONFLICT,
                "changed-on-disk",
                "the file was changed by another program or tab since it was opened; nothing was saved. Open it again to see the changes",
            ),
            EditError::Write(e) => Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "not-saved",
                e.to_string(),
            ),
            other => Refusal::bad("cannot-save", other.to_string()),
        }
    }
}
