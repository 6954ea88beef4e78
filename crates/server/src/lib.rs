//! The HTTP side of Touchpoints: the JSON API under `/api/v1` with its OpenAPI document, and
//! the server-rendered web UI in German and English.
//!
//! [`app`] builds the whole router from a [`Store`](touchpoints_store::Store); [`serve`] runs
//! it on a listener until a shutdown signal, so tests run the real server on port 0. Handlers
//! know nothing of the backend behind the store.

mod api;
mod assets;
pub mod auth;
mod background;
mod cookies;
mod error;
mod i18n;
pub mod live;
mod metrics;
mod multipart;
mod nul;
mod outbox;
mod plan_counts;
mod refusal;
mod web;
pub mod webhooks;
mod widget;
pub mod wording;

use std::future::Future;
use std::sync::Arc;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{from_fn, from_fn_with_state};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use touchpoints_app::secrets;
use touchpoints_store::Store;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use api::openapi_document;
pub use auth::limits::Quotas;
pub use i18n::{Lang, Messages};

/// Largest request body accepted; an inventory import of thousands of rows fits.
pub(crate) const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// How the server runs, beyond its store.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Mark session cookies `Secure`: set when users reach the server over HTTPS.
    pub secure_cookies: bool,
    pub quotas: Quotas,
    /// The mail server's password, from the environment: never stored, shown or logged.
    pub smtp_password: Option<Password>,
    /// Chat transcripts older than this many days are deleted (hourly, recorded in the audit
    /// log); 0 keeps them.
    pub chat_retention_days: u32,
    /// How long the action plan's counts of customers, requests and answers are kept
    /// between views; zero counts on every view.
    pub plan_counts_max_age: Duration,
}

/// A password the server holds for a service it logs in to; its `Debug` shows no character.
#[derive(Clone)]
pub struct Password(Arc<str>);

impl Password {
    pub fn new(password: &str) -> Password {
        Password(password.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// What every handler shares, behind one pointer: each request hands it to its layers and
/// its handler, and a copy costs one reference count, not one per part.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The parts of [`AppState`].
pub struct Shared {
    pub store: Arc<dyn Store>,
    messages: Arc<Messages>,
    pages: Arc<minijinja::Environment<'static>>,
    limits: auth::limits::Limits,
    settings: Settings,
    /// The cookies' names and attributes, by `settings.secure_cookies`.
    cookies: auth::Cookies,
    /// The secret that opens the first-run setup page, while no account exists.
    setup_token: Arc<String>,
    /// The priority cue words, compiled once.
    cues: Arc<touchpoints_core::priority::Cues>,
    /// Changes of the queue, for the pages that follow it live.
    queue_events: live::QueueEvents,
    /// The API's OpenAPI document, for the page that shows it to people.
    api_document: Arc<serde_json::Value>,
    /// Requests counted since the process started, for `/metrics`.
    metrics: metrics::Metrics,
    /// Wakes the outbox worker after a step queued a mail.
    pub(crate) outbox: outbox::Wakeup,
    /// Wakes the webhook worker after a test event.
    pub(crate) webhooks: webhooks::Wakeup,
    /// The chat's bot over the guideline and the library, read again every 30 seconds.
    chat_bot: Arc<touchpoints_app::chat::ChatBot>,
    /// The organisation's name and logo, read again every few seconds.
    branding: Arc<web::organisation::Cache>,
    /// The action plan's counts, kept between views.
    pub(crate) plan_counts: Arc<touchpoints_app::plan_counts::PlanCounts>,
}

impl AppState {
    /// Prepares the state; fails only if the compiled-in message catalogues or page templates
    /// are broken, which the tests catch before a release, or the system has no randomness.
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> Result<AppState, String> {
        let messages = Arc::new(Messages::load()?);
        let pages = Arc::new(web::templates(messages.clone()).map_err(|e| e.to_string())?);
        let plan_counts = Arc::new(touchpoints_app::plan_counts::PlanCounts::new(
            settings.plan_counts_max_age,
        ));
        Ok(AppState(Arc::new(Shared {
            store,
            messages,
            pages,
            limits: auth::limits::Limits::new(settings.quotas),
            cookies: auth::Cookies::new(settings.secure_cookies),
            settings,
            setup_token: Arc::new(secrets::new_secret().map_err(|e| e.to_string())?),
            cues: Arc::new(touchpoints_core::priority::Cues::new()),
            queue_events: live::QueueEvents::new(),
            api_document: Arc::new(
                serde_json::to_value(openapi_document()).map_err(|e| e.to_string())?,
            ),
            metrics: metrics::Metrics::new(),
            outbox: outbox::Wakeup::default(),
            webhooks: webhooks::Wakeup::default(),
            chat_bot: Arc::default(),
            branding: Arc::default(),
            plan_counts,
        })))
    }

    /// The path of the first-run setup page with its secret, for the console while no
    /// account exists: only who can read the console can create the first admin.
    pub fn setup_path(&self) -> String {
        format!("/setup?token={}", self.setup_token)
    }

    /// After an agent's step on request `id`: the live pages hear of it, and a mail the step
    /// queued (a reply's, a resolution's survey) goes out without waiting for the outbox
    /// worker's next look.
    pub(crate) async fn stepped(&self, id: i64, action: &touchpoints_core::request::RequestAction) {
        use touchpoints_core::request::RequestAction::{Reply, Resolve};
        if matches!(action, Reply { .. } | Resolve) {
            self.outbox.wake();
        }
        self.queue_events.send(id, action.name()).await;
    }
}

/// The whole application: API, web UI, assets and the middleware around them.
pub fn app(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let metrics = state.metrics.clone();
    Router::new()
        .merge(web::routes().route_layer(from_fn_with_state(state.clone(), web::error_pages)))
        .merge(
            web::public_routes()
                .route_layer(from_fn_with_state(state.clone(), web::error_pages))
                .route_layer(from_fn_with_state(state.clone(), auth::limits::public)),
        )
        .merge(
            web::survey_routes()
                .route_layer(from_fn_with_state(state.clone(), web::error_pages))
                .route_layer(from_fn_with_state(state.clone(), auth::limits::survey)),
        )
        .merge(
            widget::routes().route_layer(from_fn_with_state(state.clone(), auth::limits::public)),
        )
        .nest("/api/v1", api::routes())
        .merge(metrics::routes())
        .route_layer(from_fn_with_state(state.clone(), auth::guard))
        .with_state(state.clone())
        // Outside the guard: a browser's CORS preflight for the widget's API is answered
        // before any route or rule is looked at.
        .layer(from_fn_with_state(state, widget::cors))
        // Innermost of the layers on the whole router: it sees the route the router matched
        // and the status of every answer, the guard's refusals included.
        .layer(from_fn_with_state(metrics, metrics::track))
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
        // Pages and API answers hold personal data: no cache keeps them. Assets say
        // otherwise for themselves.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(from_fn(refusal::errors))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                // Every line logged while a request is served carries its id.
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    uri = %request.uri().path(),
                    request_id = %id,
                )
            }),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        // Pages, API answers and assets go out as brotli or gzip when the client takes
        // them; live streams (Server-Sent Events) and images as they are.
        .layer(CompressionLayer::new())
}

/// How long a client may take to send a request's headers, and how long a kept-alive
/// connection may sit idle before its next request: a client that trickles its headers in
/// (slowloris) holds a connection this long at most.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request may take, body included, until its answer starts.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a shutdown waits for the requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves the application on `listener` until `shutdown` completes, then finishes the
/// requests in flight (for at most ten seconds).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // On a database that app servers share, this one hears the others' queue changes until
    // it stops serving.
    let _following = state.queue_events.follow(state.store.clone()).await;
    // The background tasks run while the server serves, and stop with it. The periodic ones
    // take turns with the other servers on the database under this server's name.
    let holder: Arc<str> = Arc::from(format!(
        "{}-{}",
        std::process::id(),
        secrets::new_secret()
            .map_err(std::io::Error::other)?
            .get(..16)
            .unwrap_or_default()
    ));
    let _outbox = outbox::start(
        state.store.clone(),
        state.settings.smtp_password.clone(),
        state.outbox.clone(),
        holder.clone(),
    );
    let _webhooks = webhooks::start(state.store.clone(), state.webhooks.clone(), holder.clone());
    let _retention = widget::retention(
        state.store.clone(),
        state.settings.chat_retention_days,
        holder,
    );
    // The action plan's counts are renewed while managers view it.
    let _recount = plan_counts::recount(state.store.clone(), state.plan_counts.clone());
    let router = app(state).layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        REQUEST_TIMEOUT,
    ));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: wait rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // The peer address feeds the rate limits of public endpoints.
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request.map(Body::new))
        });
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after the shutdown grace period were cut");
    }
    Ok(())
}

/// The layers' rules, read from the sources and manifests so that a change that breaks one
/// fails a test instead of waiting for a review.
#[cfg(test)]
pub(crate) mod layers {
    use std::path::{Path, PathBuf};

    fn crates() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the crates folder")
            .to_path_buf()
    }

    /// Every Rust file below `folder`, with its text up to its unit tests.
    pub(crate) fn sources(folder: &Path) -> Vec<(PathBuf, String)> {
        let mut found = Vec::new();
        let mut folders = vec![folder.to_path_buf()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("a source folder") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("a source file");
                    let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
                    found.push((path, code));
                }
            }
        }
        found
    }

    /// The names of a manifest's `[dependencies]`.
    fn dependencies(manifest: &Path) -> Vec<String> {
        let text = std::fs::read_to_string(manifest).expect("a manifest");
        text.split("\n[")
            .find(|section| section.starts_with("dependencies]"))
            .unwrap_or("")
            .lines()
            .skip(1)
            .filter_map(|line| line.split(['.', ' ', '=']).next())
            .filter(|name| !name.is_empty() && !name.starts_with('#'))
            .map(str::to_owned)
            .collect()
    }

    fn assert_absent(folder: &str, forbidden: &[&str]) {
        for (path, code) in sources(&crates().join(folder)) {
            for word in forbidden {
                assert!(
                    !code.contains(word),
                    "{} uses {word}, which its layer must not",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn the_api_and_the_pages_import_nothing_of_each_other() {
        assert_absent("server/src/api", &["crate::web", "crate::widget"]);
        assert_absent("server/src/web", &["crate::api", "crate::widget"]);
        assert_absent("server/src/auth", &["crate::web", "crate::api"]);
        let widget = std::fs::read_to_string(crates().join("server/src/widget.rs"))
            .expect("the widget's source");
        for forbidden in ["crate::api", "crate::web"] {
            assert!(!widget.contains(forbidden), "widget.rs uses {forbidden}");
        }
    }

    #[test]
    fn the_core_reads_no_clock_and_the_app_knows_no_http_or_sql() {
        assert_absent(
            "core/src",
            &["::now()", "SystemTime", "std::fs", "std::net"],
        );
        assert_absent("app/src", &["::now()", "axum", "sqlx", "hyper"]);
        let core = dependencies(&crates().join("core/Cargo.toml"));
        let app = dependencies(&crates().join("app/Cargo.toml"));
        assert!(app.iter().any(|d| d == "touchpoints-store"), "{app:?}");
        assert!(core.iter().any(|d| d == "jiff"), "{core:?}");
        for (name, deps, forbidden) in [
            (
                "core",
                &core,
                &["tokio", "sqlx", "axum", "hyper", "reqwest"][..],
            ),
            (
                "app",
                &app,
                &["sqlx", "axum", "hyper", "tower", "tower-http"][..],
            ),
        ] {
            for dep in forbidden {
                assert!(!deps.iter().any(|d| d == dep), "{name} depends on {dep}");
            }
        }
    }

    #[test]
    fn the_command_line_uses_the_server_to_serve_and_for_words() {
        for (path, code) in sources(&crates().join("cli/src")) {
            for (at, _) in code.match_indices("touchpoints_server::") {
                let item = code[at + "touchpoints_server::".len()..]
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .unwrap_or("");
                assert!(
                    [
                        "serve", "AppState", "Settings", "Quotas", "Password", // to serve
                        "wording", "Messages", "Lang", // words in the reader's language
                    ]
                    .contains(&item),
                    "{} uses touchpoints_server::{item}",
                    path.display()
                );
            }
        }
    }
}
