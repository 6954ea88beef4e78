//! What a page handler answers when it cannot show its page: [`PageError`], which any use
//! case's or store's error turns into with `?`, and the [`Id`] of a record in the path, which
//! answers "not found" for anything but a number. [`error_pages`] renders both, once, as the
//! error page in the user's language, with the status the API gives the same error.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use touchpoints_app::AppError;

use super::Page;
use crate::AppState;

/// A page handler's failure; rendered by [`error_pages`].
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(error: E) -> Self {
        PageError(error.into())
    }
}

/// The failure, carried on the bare response to [`error_pages`].
#[derive(Clone)]
struct Failed(AppError);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        response.extensions_mut().insert(Failed(self.0));
        response
    }
}

/// What a page handler returns: its page, or the error page.
pub type PageResult = Result<Response, PageError>;

/// The id of a record in the path (`/touchpoints/{id}`): a number, or the page is not found.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let not_found = || PageError(AppError::NotFound { entity: "page" });
        let axum::extract::Path(text) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| not_found())?;
        text.parse().map(Id).map_err(|_| not_found())
    }
}

/// Middleware on the pages: renders a handler's [`PageError`] as the error page, in the
/// language and with the layout of the page that failed.
pub async fn error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let page = match Page::from_request_parts(&mut parts, &state).await {
        Ok(page) => page,
        Err(never) => match never {},
    };
    let mut response = next.run(Request::from_parts(parts, body)).await;
    match response.extensions_mut().remove::<Failed>() {
        Some(Failed(error)) => page.error(&state, error),
        None => response,
    }
}
