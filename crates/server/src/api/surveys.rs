//! Surveys, answers from other tools, customer events and the dashboard's numbers in the API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use touchpoints_core::survey::{
    CustomerEventFields, CustomerEventInput, ResponseFields, ResponseInput, SurveyInput,
};
use touchpoints_core::{FieldProblem, Problems};
use touchpoints_store::{
    ImportSummary, ResponseFilter, Store, StoreError, StoredResponse, StoredSurvey,
};

use super::extract::{Json, Path, Query, from_value};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::kpis::{self, CustomerReport, KpiQuery, Report, ReportError};

type Result<T> = std::result::Result<T, ApiError>;

/// Letters and digits that cannot be mistaken for one another when typed from a poster.
const SLUG_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const SLUG_LENGTH: usize = 8;

/// A short random code for a survey's public address (`/s/{slug}`): short enough for a QR
/// code and a printed card, long enough (31^8 ≈ 8.5 × 10^11) not to be guessed.
pub fn new_slug() -> std::result::Result<String, String> {
    // Bytes at or above the largest multiple of the alphabet's length are dropped, so every
    // letter is equally likely.
    let limit = 256 - 256 % SLUG_ALPHABET.len();
    let mut slug = String::with_capacity(SLUG_LENGTH);
    let mut bytes = [0u8; 32];
    while slug.len() < SLUG_LENGTH {
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness from the system: {e}"))?;
        slug.extend(
            bytes
                .iter()
                .filter(|&&b| usize::from(b) < limit)
                .map(|&b| char::from(SLUG_ALPHABET[usize::from(b) % SLUG_ALPHABET.len()]))
                .take(SLUG_LENGTH - slug.len()),
        );
    }
    Ok(slug)
}

/// Creates a survey under a fresh slug, trying again in the unlikely case it is taken.
pub async fn create_survey(
    store: &dyn Store,
    fields: &touchpoints_core::survey::SurveyFields,
    actor: &str,
) -> std::result::Result<StoredSurvey, StoreError> {
    let mut attempts = 0;
    loop {
        let slug = new_slug().map_err(StoreError::Config)?;
        match store.create_survey(&slug, fields, actor).await {
            Err(StoreError::Conflict(p)) if attempts < 5 && p.0[0].field == "slug" => {
                attempts += 1;
            }
            other => return other,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/surveys", tag = "surveys",
    responses((status = 200, body = Vec<SurveyOut>)))]
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
    responses((status = 200, body = SurveyOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<SurveyOut>> {
    Ok(axum::Json(state.store.survey(id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/surveys", tag = "surveys",
    request_body = SurveyInput,
    responses((status = 201, body = SurveyOut), (status = 422, description = "Invalid fields, each named", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<SurveyInput>,
) -> Result<impl IntoResponse> {
    let fields = input.validate()?;
    let created = create_survey(state.store.as_ref(), &fields, &caller.actor()).await?;
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
    responses((status = 200, body = SurveyOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
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
    responses((status = 204, description = "Deleted; its answers stay"), (status = 404, body = ErrorBody)))]
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
    responses((status = 200, body = Vec<Object>)))]
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

/// The largest batch one request may carry.
const BATCH_MAX: usize = 10_000;

/// One item or `{"<key>": [items]}`, each item validated; problems name the item
/// (`responses[3].score`). Returns the items and whether a batch was sent.
fn items<I, T>(
    body: serde_json::Value,
    key: &str,
    validate: impl Fn(&I) -> std::result::Result<T, Problems>,
) -> Result<(Vec<T>, bool)>
where
    I: serde::de::DeserializeOwned,
{
    let (values, batch) = match body {
        serde_json::Value::Object(mut object) if object.contains_key(key) => {
            match object.remove(key) {
                Some(serde_json::Value::Array(values)) => (values, true),
                _ => {
                    return Err(ApiError::Unprocessable(Problems::single(
                        key,
                        touchpoints_core::Problem::Invalid {
                            reason: "must be an array".into(),
                        },
                    )));
                }
            }
        }
        other => (vec![other], false),
    };
    if values.len() > BATCH_MAX {
        return Err(ApiError::Unprocessable(Problems::single(
            key,
            touchpoints_core::Problem::TooMany { max: BATCH_MAX },
        )));
    }
    let mut problems = Problems::default();
    let mut out = Vec::with_capacity(values.len());
    for (i, value) in values.into_iter().enumerate() {
        let prefix = if batch {
            format!("{key}[{i}].")
        } else {
            String::new()
        };
        let input: I = match from_value(value, &prefix) {
            Ok(input) => input,
            Err(found) => {
                problems.0.extend(found.0);
                continue;
            }
        };
        match validate(&input) {
            Ok(item) => out.push(item),
            Err(found) => problems.0.extend(found.0.into_iter().map(|p| {
                let field = format!("{prefix}{}", p.field);
                FieldProblem::new(field, p.problem)
            })),
        }
    }
    problems
        .into_result((out, batch))
        .map_err(ApiError::Unprocessable)
}

/// The store names a batch's rows `[3].field`; the API names them as the body does.
fn store_error(error: StoreError, key: &str, batch: bool) -> ApiError {
    let rename = |problems: Problems| {
        Problems(
            problems
                .0
                .into_iter()
                .map(|p| {
                    let field = match p.field.strip_prefix("[0].") {
                        Some(rest) if !batch => rest.to_owned(),
                        _ if p.field.starts_with('[') => format!("{key}{}", p.field),
                        _ => p.field,
                    };
                    FieldProblem::new(field, p.problem)
                })
                .collect(),
        )
    };
    match error {
        StoreError::Invalid(p) => ApiError::Unprocessable(rename(p)),
        StoreError::Conflict(p) => ApiError::Conflict(rename(p)),
        other => other.into(),
    }
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
    Json(body): Json<serde_json::Value>,
) -> Result<impl IntoResponse> {
    let now = jiff::Timestamp::now();
    let (answers, batch): (Vec<ResponseFields>, bool) =
        items(body, "responses", |input: &ResponseInput| {
            input.validate(now)
        })?;
    let summary = state
        .store
        .record_responses(&answers, Some(&caller.actor()))
        .await
        .map_err(|e| store_error(e, "responses", batch))?;
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
    Json(body): Json<serde_json::Value>,
) -> Result<impl IntoResponse> {
    let now = jiff::Timestamp::now();
    let (events, batch): (Vec<CustomerEventFields>, bool) =
        items(body, "events", |input: &CustomerEventInput| {
            input.validate(now)
        })?;
    let summary = state
        .store
        .record_customer_events(&events, &caller.actor())
        .await
        .map_err(|e| store_error(e, "events", batch))?;
    Ok((StatusCode::CREATED, axum::Json(Recorded::from(summary))))
}

impl From<ReportError> for ApiError {
    fn from(error: ReportError) -> Self {
        match error {
            ReportError::Query(problems) => ApiError::Unprocessable(problems),
            ReportError::Store(e) => e.into(),
        }
    }
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
        kpis::report(state.store.as_ref(), &query).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/kpis/customers", tag = "kpis",
    params(KpiQuery),
    responses(
        (status = 200, description = "Customer base, retention, churn and revenue per period", body = CustomerReport),
        (status = 422, body = ErrorBody)))]
pub async fn customer_report(
    State(state): State<AppState>,
    Query(query): Query<KpiQuery>,
) -> Result<axum::Json<CustomerReport>> {
    Ok(axum::Json(
        kpis::customer_report(state.store.as_ref(), &query).await?,
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn slugs_avoid_lookalikes() {
        for _ in 0..50 {
            let slug = new_slug().unwrap();
            assert_eq!(slug.len(), SLUG_LENGTH);
            assert!(slug.bytes().all(|b| SLUG_ALPHABET.contains(&b)), "{slug}");
            assert!(!slug.contains(['0', 'o', '1', 'l', 'i']));
        }
    }
}
