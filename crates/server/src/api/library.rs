//! The communication guideline, the content library and the findings of the consistency
//! checker in the API, so that a company's own systems can keep them in step.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use touchpoints_app::analysis;
use touchpoints_core::consistency::library::{ContentFields, FindingStatus};
use touchpoints_core::consistency::{Finding, Guideline};
use touchpoints_core::problem::Problem;
use touchpoints_store::{StoredContent, StoredFinding};

use super::extract::{Json, Path, Query};
use super::fact_values;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

type Result<T> = std::result::Result<T, ApiError>;

/// A text of the content library.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ContentOut {
    pub id: i64,
    #[serde(flatten)]
    pub fields: ContentFields,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl From<StoredContent> for ContentOut {
    fn from(c: StoredContent) -> Self {
        ContentOut {
            id: c.id,
            fields: c.fields,
            updated_at: c.updated_at,
        }
    }
}

/// A documented finding of the consistency checker.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FindingOut {
    pub id: i64,
    pub finding: Finding,
    pub status: FindingStatus,
    pub status_by: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub first_seen: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub last_seen: Timestamp,
    /// Found by the latest check.
    pub current: bool,
}

impl From<StoredFinding> for FindingOut {
    fn from(f: StoredFinding) -> Self {
        FindingOut {
            id: f.id,
            finding: f.finding,
            status: f.status,
            status_by: f.status_by,
            first_seen: f.first_seen,
            last_seen: f.last_seen,
            current: f.current,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/guideline", tag = "consistency",
    responses((status = 200, description = "The guideline", body = Guideline)))]
pub async fn get_guideline(State(state): State<AppState>) -> Result<axum::Json<Guideline>> {
    Ok(axum::Json(state.store.guideline().await?))
}

#[utoipa::path(put, path = "/api/v1/guideline", tag = "consistency",
    request_body = Guideline,
    responses((status = 200, description = "The guideline", body = Guideline), (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn put_guideline(
    State(state): State<AppState>,
    caller: Caller,
    Json(guideline): Json<Guideline>,
) -> Result<axum::Json<Guideline>> {
    let mut problems = guideline.validate().err().unwrap_or_default();
    // Through the API a value is written in the plain form the document states for its kind.
    for (i, fact) in guideline.facts.iter().enumerate() {
        let field = format!("facts[{i}].value");
        if let Some(value) = &fact.value
            && !fact_values::accepts(fact.kind, value)
            && !problems.0.iter().any(|p| p.field == field)
        {
            problems.push(
                field,
                Problem::Invalid {
                    reason: format!(
                        "\"{value}\" is not a {} as the API takes one: {}",
                        fact.kind.as_str(),
                        fact_values::description(fact.kind)
                    ),
                },
            );
        }
    }
    problems.into_result(())?;
    state
        .store
        .put_guideline(&guideline, &caller.actor())
        .await?;
    Ok(axum::Json(guideline))
}

#[utoipa::path(get, path = "/api/v1/content", tag = "consistency",
    responses((status = 200, description = "The texts", body = [ContentOut])))]
pub async fn list_content(State(state): State<AppState>) -> Result<axum::Json<Vec<ContentOut>>> {
    let contents = state.store.contents().await?;
    Ok(axum::Json(
        contents.into_iter().map(ContentOut::from).collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/content", tag = "consistency",
    request_body = ContentFields,
    responses((status = 201, description = "Created: the text", body = ContentOut), (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn create_content(
    State(state): State<AppState>,
    caller: Caller,
    Json(fields): Json<ContentFields>,
) -> Result<impl IntoResponse> {
    let fields = fields.validate()?;
    let stored = state
        .store
        .put_content(None, &fields, &caller.actor())
        .await?;
    Ok((StatusCode::CREATED, axum::Json(ContentOut::from(stored))))
}

#[utoipa::path(get, path = "/api/v1/content/{id}", tag = "consistency",
    params(("id" = i64, Path, description = "Content id")),
    responses((status = 200, description = "The text", body = ContentOut), (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get_content(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<ContentOut>> {
    Ok(axum::Json(state.store.content(id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/content/{id}", tag = "consistency",
    params(("id" = i64, Path, description = "Content id")),
    request_body = ContentFields,
    responses((status = 200, description = "The text", body = ContentOut), (status = 404, description = "Not found", body = ErrorBody), (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn update_content(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(fields): Json<ContentFields>,
) -> Result<axum::Json<ContentOut>> {
    let fields = fields.validate()?;
    let stored = state
        .store
        .put_content(Some(id), &fields, &caller.actor())
        .await?;
    Ok(axum::Json(stored.into()))
}

#[utoipa::path(delete, path = "/api/v1/content/{id}", tag = "consistency",
    params(("id" = i64, Path, description = "Content id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn delete_content(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    state.store.delete_content(id, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which documented findings to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FindingsQuery {
    /// `true`: only those the last run found; `false`: only those it no longer found (fixed
    /// in the texts, or their text removed). Both when left out.
    pub current: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/findings", tag = "consistency",
    params(FindingsQuery),
    responses(
        (status = 200, description = "Current findings first", body = [FindingOut]),
        (status = 422, description = "A query parameter is unknown or malformed; each one named", body = ErrorBody)))]
pub async fn list_findings(
    State(state): State<AppState>,
    Query(query): Query<FindingsQuery>,
) -> Result<axum::Json<Vec<FindingOut>>> {
    let findings = state.store.findings().await?;
    Ok(axum::Json(
        findings
            .into_iter()
            .filter(|f| query.current.is_none_or(|current| f.current == current))
            .map(FindingOut::from)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/findings/check", tag = "consistency",
    responses((status = 200, description = "Checks the library against the guideline and the recorded interactions against the mandatory standards, and records the findings", body = [FindingOut])))]
pub async fn check(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<axum::Json<Vec<FindingOut>>> {
    let findings =
        analysis::check_weaknesses(state.store.as_ref(), &caller.actor(), Timestamp::now()).await?;
    Ok(axum::Json(
        findings.into_iter().map(FindingOut::from).collect(),
    ))
}

/// The new status of a finding.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusIn {
    pub status: FindingStatus,
}

#[utoipa::path(put, path = "/api/v1/findings/{id}/status", tag = "consistency",
    params(("id" = i64, Path, description = "Finding id")),
    request_body = StatusIn,
    responses((status = 200, description = "The finding", body = FindingOut), (status = 404, description = "Not found", body = ErrorBody), (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn set_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<StatusIn>,
) -> Result<axum::Json<FindingOut>> {
    let stored = state
        .store
        .set_finding_status(id, body.status, &caller.actor())
        .await?;
    Ok(axum::Json(stored.into()))
}
