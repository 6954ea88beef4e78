//! Answers given before any handler runs — by the access guard, the CSRF check, the rate
//! limits and the body limit — and the net under the API: everything under `/api/v1` answers
//! the JSON error body, everything else a page in the user's language.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::AppState;
use crate::cookies::request_lang;
use crate::error::{ApiError, InternalDetail};

/// Why a request is refused before its handler.
#[derive(Debug, Clone, Copy)]
pub enum Refusal {
    /// The caller's role is below the route's; the least role it needs.
    Forbidden(touchpoints_core::Role),
    /// A state-changing request made with cookies without the session's CSRF token.
    Csrf,
    TooLarge,
    TooMany,
}

/// The JSON API, where tokens count and errors are JSON; `/api/docs` is a page.
pub fn is_api(path: &str) -> bool {
    path.starts_with("/api/v1/")
}

/// A path whose errors are the API's JSON body: the API's and the chat widget's.
fn answers_json(path: &str) -> bool {
    is_api(path) || path.starts_with(crate::widget::PREFIX)
}

impl Refusal {
    fn api_error(self) -> ApiError {
        match self {
            Refusal::Forbidden(role) => {
                ApiError::Forbidden(format!("needs the role {} or higher", role.as_str()))
            }
            Refusal::Csrf => ApiError::Forbidden(
                "a request made with a session cookie needs the X-CSRF-Token header; \
                 integrations send an API token instead"
                    .into(),
            ),
            Refusal::TooLarge => ApiError::PayloadTooLarge,
            Refusal::TooMany => ApiError::TooManyRequests,
        }
    }

    /// The answer for a request to `path`: JSON under the API, a page elsewhere.
    pub fn answer(self, state: &AppState, path: &str, headers: &HeaderMap) -> Response {
        if answers_json(path) {
            return self.api_error().into_response();
        }
        let key = match self {
            Refusal::Forbidden(_) => "error-forbidden",
            Refusal::Csrf => "error-csrf",
            Refusal::TooLarge => "error-too-large",
            Refusal::TooMany => "error-too-many",
        };
        let text = state.messages.get(request_lang(headers), key, None);
        let mut response = (self.api_error().status(), Html(plain_page(&text))).into_response();
        if let Refusal::TooMany = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        response
    }
}

/// A minimal page for answers given before any handler runs.
fn plain_page(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{escaped}</title>\
         <link rel=\"stylesheet\" href=\"{style}\"></head><body><main>\
         <h1>{escaped}</h1><p><a href=\"/\">Touchpoints</a></p></main></body></html>",
        style = crate::assets::url("style.css"),
    )
}

/// Middleware around the whole application: logs each internal error once, inside the
/// request's span (so with its request id), and gives every error answer under `/api/v1`
/// that is not JSON yet — a refusal of axum's own, say — the API's error body.
pub async fn errors(request: Request, next: Next) -> Response {
    let api = answers_json(request.uri().path());
    let mut response = next.run(request).await;
    if let Some(InternalDetail(detail)) = response.extensions_mut().remove::<InternalDetail>() {
        tracing::error!(error = %detail, "internal error");
    }
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if api && (status.is_client_error() || status.is_server_error()) && !is_json {
        let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
        let mut json = ApiError::Status(status).into_response();
        if let Some(value) = retry_after {
            json.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return json;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn only_the_json_api_counts_as_api() {
        assert!(is_api("/api/v1/requests"));
        assert!(!is_api("/api/docs"));
        assert!(!is_api("/queue"));
    }

    #[test]
    fn plain_pages_escape_their_text() {
        assert!(plain_page("<b>&").contains("&lt;b&gt;&amp;"));
    }

    #[test]
    fn the_api_gets_the_status_of_each_refusal() {
        assert_eq!(Refusal::Csrf.api_error().status(), StatusCode::FORBIDDEN);
        assert_eq!(
            Refusal::TooLarge.api_error().status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            Refusal::TooMany.api_error().status(),
            StatusCode::TOO_MANY_REQUESTS
        );
    }
}
