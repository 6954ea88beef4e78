//! The organisation's name and logo: set by an admin on `/admin/organisation`, shown on the
//! pages customers see (the survey page) and at login, and the logo served at `/logo`.
//!
//! Every page reads them, so each server keeps them for a few seconds; a change made on
//! another server shows after that.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::RwLock;
use touchpoints_core::Problems;
use touchpoints_core::branding::{self, Branding, Logo};

use super::{Page, PageResult};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/organisation", get(show).post(save))
        .route("/logo", get(logo))
}

/// How long a server keeps the name and logo before it reads them again.
const KEPT_FOR: Duration = Duration::from_secs(5);

/// The name and logo with the digest the logo's address carries.
#[derive(Debug, Default)]
pub(crate) struct Shown {
    branding: Branding,
    /// The first bytes of the logo's SHA-256, in hex; empty without a logo.
    digest: String,
}

impl Shown {
    fn new(branding: Branding) -> Shown {
        let digest = branding.logo.as_ref().map_or_else(String::new, |logo| {
            Sha256::digest(&logo.bytes)[..8]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        });
        Shown { branding, digest }
    }

    /// What a page shows: the name, and the logo's address when there is one.
    pub(crate) fn brand(&self) -> Brand {
        Brand {
            company: self.branding.company_name.clone(),
            logo: (!self.digest.is_empty()).then(|| format!("/logo?v={}", self.digest)),
        }
    }
}

/// The organisation as every page's template sees it (`brand.company`, `brand.logo`).
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Brand {
    pub company: Option<String>,
    pub logo: Option<String>,
}

/// This server's copy of the name and logo.
#[derive(Default)]
pub(crate) struct Cache(RwLock<Option<(Instant, Arc<Shown>)>>);

impl Cache {
    /// The name and logo, read from the store when the copy is older than [`KEPT_FOR`].
    pub(crate) async fn get(&self, state: &AppState) -> Arc<Shown> {
        if let Some((read, shown)) = &*self.0.read().await
            && read.elapsed() < KEPT_FOR
        {
            return shown.clone();
        }
        let shown = match state.store.branding().await {
            Ok(branding) => Arc::new(Shown::new(branding)),
            Err(e) => {
                // Pages still answer, without the name and logo.
                tracing::warn!(error = %e, "the company name and logo could not be read");
                return Arc::default();
            }
        };
        *self.0.write().await = Some((Instant::now(), shown.clone()));
        shown
    }

    async fn forget(&self) {
        *self.0.write().await = None;
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LogoQuery {
    v: String,
}

/// The logo, kept by browsers for a year under the address pages link (its digest in `v`),
/// for five minutes under any other.
async fn logo(State(state): State<AppState>, Query(query): Query<LogoQuery>) -> Response {
    let shown = state.branding.get(&state).await;
    let Some(logo) = &shown.branding.logo else {
        return (StatusCode::NOT_FOUND, "no logo is set\n").into_response();
    };
    let cache = if query.v == shown.digest {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    (
        [
            (header::CONTENT_TYPE, logo.content_type.clone()),
            (header::CACHE_CONTROL, cache.to_owned()),
        ],
        logo.bytes.clone(),
    )
        .into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    saved: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ShowQuery>,
) -> PageResult {
    let branding = state.store.branding().await?;
    Ok(render(
        &state,
        &page,
        StatusCode::OK,
        branding.company_name.as_deref().unwrap_or_default(),
        &Problems::default(),
        query.saved.is_some(),
    )
    .await)
}

async fn render(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    company_name: &str,
    problems: &Problems,
    saved: bool,
) -> Response {
    let current = state.branding.get(state).await;
    page.render_with_status(
        state,
        status,
        "organisation.html",
        minijinja::context! {
            section => "admin",
            company_name => company_name,
            max_name => branding::MAX_NAME,
            max_logo_kb => branding::MAX_LOGO_BYTES / 1024,
            current_logo => current.brand().logo,
            errors => minijinja::value::Serde(page.field_errors(state, &problems.0)),
            saved => saved,
        },
    )
}

/// The form as sent: a multipart form, for the logo's file.
#[derive(Debug, Default)]
struct Form {
    company_name: String,
    logo: Option<Vec<u8>>,
    remove_logo: bool,
}

async fn read_form(headers: &HeaderMap, body: Bytes) -> Form {
    let mut form = Form::default();
    for (name, bytes) in crate::multipart::fields(headers, body).await {
        match name.as_str() {
            "company_name" => form.company_name = String::from_utf8_lossy(&bytes).into_owned(),
            "logo" if !bytes.is_empty() => form.logo = Some(bytes.to_vec()),
            "remove_logo" => form.remove_logo = true,
            _ => {}
        }
    }
    form
}

/// Saves the name and logo; on a problem shows the form again with it and keeps what was
/// stored. Without a new file and without "remove", the logo stays.
async fn save(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let form = read_form(&headers, body).await;
    let mut problems = Problems::default();
    let company_name = branding::company_name(&mut problems, &form.company_name);
    let logo = match form.logo {
        Some(bytes) => match Logo::from_upload(bytes) {
            Ok(logo) => Some(logo),
            Err(problem) => {
                problems.push("logo", problem);
                None
            }
        },
        None if form.remove_logo => None,
        None => state.store.branding().await?.logo,
    };
    if !problems.is_empty() {
        return Ok(render(
            &state,
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.company_name,
            &problems,
            false,
        )
        .await);
    }
    state
        .store
        .set_branding(&Branding { company_name, logo }, &page.caller.actor())
        .await?;
    state.branding.forget().await;
    Ok(Redirect::to("/admin/organisation?saved=1").into_response())
}
