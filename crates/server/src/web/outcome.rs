//! What a page handler answers when it cannot show its page: [`PageError`], which any use
//! case's or store's error turns into with `?`, and the [`Id`] of a record in the path, which
//! answers "not found" for anything but a number. [`error_pages`] renders both, once, as the
//! error page in the user's language, with the status the API gives the same error.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use touchpoints_app::AppError;

use super::Page;
use crate::nul::nul_field;
use crate::{AppState, BODY_LIMIT};

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
    // The organisation's time zone, read once for the page and its handler.
    let zone = match state.store.time_zone().await {
        Ok(name) => super::time::Zone::named(&name),
        Err(e) => {
            tracing::warn!(error = %e, "the time zone could not be read; the page shows the default");
            super::time::Zone::fallback()
        }
    };
    parts.extensions.insert(zone);
    // The channels' labels, from the catalog the store keeps at hand.
    let channel_names = match state.store.catalog().await {
        Ok(catalog) => super::channel_names::ChannelNames::of(&catalog),
        Err(e) => {
            tracing::warn!(error = %e, "the catalog could not be read; the page shows channel keys");
            super::channel_names::ChannelNames::default()
        }
    };
    parts.extensions.insert(channel_names);
    parts
        .extensions
        .insert(state.branding.get(&state).await.brand());
    let page = match Page::from_request_parts(&mut parts, &state).await {
        Ok(page) => page,
        Err(never) => match never {},
    };
    let body = match refuse_nul(&parts, body).await {
        Ok(body) => body,
        Err(error) => return page.error(&state, error),
    };
    let mut response = next.run(Request::from_parts(parts, body)).await;
    match response.extensions_mut().remove::<Failed>() {
        Some(Failed(error)) => page.error(&state, error),
        None => response,
    }
}

/// Refuses a page request whose path, query or form holds a NUL character before any
/// handler reads it: PostgreSQL text cannot hold one, and no name, key or search means one.
/// A form is read whole for the check and handed on as read.
async fn refuse_nul(parts: &Parts, body: Body) -> Result<Body, AppError> {
    if parts.uri.path().contains("%00") {
        return Err(AppError::NotFound { entity: "page" });
    }
    let query = parts.uri.query().unwrap_or("").as_bytes();
    if let Some(problems) = nul_field(query) {
        return Err(AppError::Invalid(problems));
    }
    let is_form = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok(body);
    }
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| AppError::Malformed("the form is larger than the server accepts".into()))?;
    match nul_field(&bytes) {
        Some(problems) => Err(AppError::Invalid(problems)),
        None => Ok(Body::from(bytes)),
    }
}
