//! Surveys, answers from other tools, customer events and the dashboard's numbers in the API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use touchpoints_app::agent_scores::{self, AgentScores, ScoresQuery};
use touchpoints_app::matrix::{self, Matrix};
use touchpoints_app::reports::{self, CustomerReport, KpiQuery, Report};
use touchpoints_app::{links, surveys};
use touchpoints_core::survey::{CustomerEventInput, ResponseInput, SurveyInput};
use touchpoints_store::{ImportSummary, ResponseFilter, StoredResponse, StoredSurvey};

use super::extract::{Json, JsonBody, Path, Query};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

type Result<T> = std::result::Result<T, ApiError>;

#[utoipa::path(get, path = "/api/v1/surveys", tag = "surveys",
    responses((status = 200, description = "The surveys", body = Vec<SurveyOut>)))]
pub async fn list(State(state): State<AppState>) -> Result<axum::Json<Vec<SurveyOut>>> {
    let surveys = state.store.surveys().await?;
    Ok(axum::Json(
        surveys.into_iter().map(SurveyOut::from).collect(),
    ))
}

/// A survey with the address of its public page.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SurveyOut {
    pub id: i64,
    pub slug: String,
    /// The path of the public page; put the server's address in front.
    pub path: String,
    #[serde(flatten)]
    pub fields: touchpoints_core::survey::SurveyFields,
    pub responses: u64,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: jiff::Timestamp,
}

impl From<StoredSurvey> for SurveyOut {
    fn from(s: StoredSurvey) -> Self {
        SurveyOut {
            id: s.id,
            path: format!("/s/{}", s.slug),
            slug: s.slug,
            fields: s.fields,
            responses: s.responses,
            updated_at: s.updated_at,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}", tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "The survey", body = SurveyOut), (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<SurveyOut>> {
    Ok(axum::Json(state.store.survey(id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/surveys", tag = "surveys",
    request_body = SurveyInput,
    responses((status = 201, description = "Created: the survey", body = SurveyOut), (status = 422, description = "Invalid fields, each named", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<SurveyInput>,
) -> Result<impl IntoResponse> {
    let fields = input.validate()?;
    let created = surveys::create_survey(state.store.as_ref(), &fields, &caller.actor()).await?;
    let location = format!("/api/v1/surveys/{}", created.id);
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::LOCATION, location)],
        axum::Json(SurveyOut::from(created)),
    ))
}

#[utoipa::path(put, path = "/api/v1/surveys/{id}", tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    request_body = SurveyInput,
    responses((status = 200, description = "The survey", body = SurveyOut), (status = 404, description = "Not found", body = ErrorBody), (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(input): Json<SurveyInput>,
) -> Result<axum::Json<SurveyOut>> {
    let fields = input.validate()?;
    let updated = state
        .store
        .update_survey(id, &fields, &caller.actor())
        .await?;
    Ok(axum::Json(updated.into()))
}

#[utoipa::path(delete, path = "/api/v1/surveys/{id}", tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 204, description = "Deleted; its answers stay"), (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    state.store.delete_survey(id, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which answers to list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResponsesQuery {
    pub touchpoint_id: Option<i64>,
    /// Only answers with a comment.
    #[serde(default)]
    pub with_comment: bool,
    /// At most this many, newest first (default 100, at most 1000).
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/responses", tag = "surveys",
    params(ResponsesQuery),
    responses((status = 200, description = "Answers, newest first", body = [StoredResponse])))]
pub async fn list_responses(
    State(state): State<AppState>,
    Query(query): Query<ResponsesQuery>,
) -> Result<axum::Json<Vec<StoredResponse>>> {
    let filter = ResponseFilter {
        touchpoint_id: query.touchpoint_id,
        with_comment: query.with_comment,
        ..ResponseFilter::default()
    };
    let limit = query.limit.unwrap_or(100).min(1_000);
    Ok(axum::Json(state.store.responses(&filter, limit).await?))
}

/// What a delivery of answers or events did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Recorded {
    /// Stored now.
    pub created: usize,
    /// Sent before (same external id) and left as they were.
    pub unchanged: usize,
}

impl From<ImportSummary> for Recorded {
    fn from(s: ImportSummary) -> Self {
        Recorded {
            created: s.created,
            unchanged: s.unchanged,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/responses", tag = "surveys",
    request_body(content = ResponseInput, description = "One answer, or `{\"responses\": [...]}` with up to 10,000; all or none are stored. An answer with a known `external_id` is not stored twice."),
    responses(
        (status = 201, description = "Stored", body = Recorded),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid answers, each field named (`responses[3].score`)", body = ErrorBody)))]
pub async fn record_responses(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<impl IntoResponse> {
    let summary = surveys::record_responses_json(
        state.store.as_ref(),
        &body,
        &caller.actor(),
        jiff::Timestamp::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(Recorded::from(summary))))
}

#[utoipa::path(post, path = "/api/v1/customer-events", tag = "surveys",
    request_body(content = CustomerEventInput, description = "One event, or `{\"events\": [...]}` with up to 10,000; all or none are stored."),
    responses(
        (status = 201, description = "Stored", body = Recorded),
        (status = 422, description = "Invalid events, each field named (`events[3].kind`)", body = ErrorBody)))]
pub async fn record_customer_events(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<impl IntoResponse> {
    let summary = surveys::record_customer_events_json(
        state.store.as_ref(),
        &body,
        &caller.actor(),
        jiff::Timestamp::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(Recorded::from(summary))))
}

#[utoipa::path(get, path = "/api/v1/kpis", tag = "kpis",
    params(KpiQuery),
    responses(
        (status = 200, description = "Tiles of all metrics, the trend and the breakdown of one, each with the window before and whether the change is larger than the noise", body = Report),
        (status = 422, description = "A parameter is unknown or malformed", body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    Query(query): Query<KpiQuery>,
) -> Result<axum::Json<Report>> {
    Ok(axum::Json(
        reports::report(state.store.as_ref(), &query, jiff::Timestamp::now()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/kpis/customers", tag = "kpis",
    params(KpiQuery),
    responses(
        (status = 200, description = "Customer base, retention, churn and revenue per period", body = CustomerReport),
        (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn customer_report(
    State(state): State<AppState>,
    Query(query): Query<KpiQuery>,
) -> Result<axum::Json<CustomerReport>> {
    Ok(axum::Json(
        reports::customer_report(state.store.as_ref(), &query, jiff::Timestamp::now()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/kpis/matrix", tag = "kpis",
    params(KpiQuery),
    responses(
        (status = 200, description = "The importance–performance matrix: every touchpoint with answers in the window, its importance from the inventory, the metric's value and its quadrant against the means (`by` is ignored)", body = Matrix),
        (status = 422, description = "A parameter is unknown or malformed", body = ErrorBody)))]
pub async fn matrix(
    State(state): State<AppState>,
    Query(query): Query<KpiQuery>,
) -> Result<axum::Json<Matrix>> {
    Ok(axum::Json(
        matrix::matrix(state.store.as_ref(), &query, jiff::Timestamp::now()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/kpis/agents", tag = "kpis",
    params(ScoresQuery),
    responses(
        (status = 200, description = "NPS and CSAT per agent (the assignee of the answered request) and per team (the owner of the answer's touchpoint) over the answers to requests in the window, each with its interval, its number of answers and whether they are too few to judge by (managers)", body = AgentScores),
        (status = 422, description = "A parameter is malformed or the window ends before it starts; each field and problem named", body = ErrorBody)))]
pub async fn agent_scores(
    State(state): State<AppState>,
    Query(query): Query<ScoresQuery>,
) -> Result<axum::Json<AgentScores>> {
    Ok(axum::Json(
        agent_scores::agent_scores(state.store.as_ref(), &query, jiff::Timestamp::now()).await?,
    ))
}

/// The customer reference and channel a personalised survey link attributes answers to;
/// either may be empty.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkIn {
    #[serde(default)]
    pub customer_ref: String,
    /// A channel key of the catalog.
    #[serde(default)]
    pub channel: String,
}

/// A survey link signed by the product.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LinkOut {
    /// The path of the public page with its signed parameters; put the server's address in
    /// front.
    pub path: String,
}

#[utoipa::path(post, path = "/api/v1/surveys/{id}/links", tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    request_body = LinkIn,
    responses(
        (status = 200, description = "A link signed by the product: answers through it are attributed to the customer reference and channel; a link whose parameters were changed attributes nothing", body = LinkOut),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "Invalid input; each field and problem named", body = ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<LinkIn>,
) -> Result<axum::Json<LinkOut>> {
    let survey = state.store.survey(id).await?;
    let path = links::personal_link(
        state.store.as_ref(),
        &survey.slug,
        &input.customer_ref,
        &input.channel,
    )
    .await?;
    Ok(axum::Json(LinkOut { path }))
}
