//! The HTTP side of Touchpoints: the JSON API under `/api/v1` with its OpenAPI document, and
//! the server-rendered web UI in German and English.
//!
//! [`app`] builds the whole router from a [`Store`](touchpoints_store::Store); [`serve`] runs
//! it on a listener until a shutdown signal, so tests run the real server on port 0. Handlers
//! know nothing of the backend behind the store.

mod api;
mod error;
mod i18n;
mod web;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use tokio::net::TcpListener;
use touchpoints_store::Store;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use api::openapi_document;
pub use i18n::{Lang, Messages};

/// Largest request body accepted; an inventory import of thousands of rows fits.
const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    messages: Arc<Messages>,
    pages: Arc<minijinja::Environment<'static>>,
}

impl AppState {
    /// Prepares the state; fails only if the compiled-in message catalogues or page templates
    /// are broken, which the tests catch before a release.
    pub fn new(store: Arc<dyn Store>) -> Result<AppState, String> {
        let messages = Arc::new(Messages::load()?);
        let pages = Arc::new(web::templates(messages.clone()).map_err(|e| e.to_string())?);
        Ok(AppState {
            store,
            messages,
            pages,
        })
    }
}

/// The whole application: API, web UI, assets and the middleware around them.
pub fn app(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(web::routes())
        .nest("/api/v1", api::routes())
        .merge(api::docs_routes())
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; \
                 form-action 'self'; base-uri 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// Serves the application on `listener` until `shutdown` completes, then finishes the
/// requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
