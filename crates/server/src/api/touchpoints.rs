//! Touchpoints in the API: list with filters, read, create, replace, retire, delete, history,
//! and the journey map.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use touchpoints_core::history::HistoryEntry;
use touchpoints_core::journey::JourneyMap;
use touchpoints_core::{Touchpoint, TouchpointFilter, TouchpointInput};

use super::extract::{Json, Path, Query};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

type Result<T> = std::result::Result<T, ApiError>;

#[utoipa::path(get, path = "/api/v1/touchpoints", tag = "touchpoints",
    params(TouchpointFilter),
    responses((status = 200, description = "Touchpoints matching every given filter, by name", body = [Touchpoint])))]
pub async fn list(
    State(state): State<AppState>,
    Query(filter): Query<TouchpointFilter>,
) -> Result<axum::Json<Vec<Touchpoint>>> {
    Ok(axum::Json(
        state.store.list_touchpoints(&filter.normalized()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/touchpoints/{id}", tag = "touchpoints",
    params(("id" = i64, Path, description = "Touchpoint id")),
    responses((status = 200, description = "The touchpoint", body = Touchpoint), (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Touchpoint>> {
    Ok(axum::Json(state.store.touchpoint(id).await?))
}

#[utoipa::path(post, path = "/api/v1/touchpoints", tag = "touchpoints",
    request_body = TouchpointInput,
    responses(
        (status = 201, description = "Created", body = Touchpoint),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 409, description = "Name already taken", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<TouchpointInput>,
) -> Result<impl IntoResponse> {
    let catalog = state.store.catalog().await?;
    let fields = input.validate(&catalog)?;
    let created = state
        .store
        .create_touchpoint(&fields, &caller.actor())
        .await?;
    let location = format!("/api/v1/touchpoints/{}", created.id);
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::LOCATION, location)],
        axum::Json(created),
    ))
}

#[utoipa::path(put, path = "/api/v1/touchpoints/{id}", tag = "touchpoints",
    params(("id" = i64, Path, description = "Touchpoint id")),
    request_body = TouchpointInput,
    responses(
        (status = 200, description = "Replaced; unchanged fields keep their history quiet", body = Touchpoint),
        (status = 404, description = "Not found", body = ErrorBody), (status = 409, description = "Conflicts with stored data; names the field", body = ErrorBody), (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(input): Json<TouchpointInput>,
) -> Result<axum::Json<Touchpoint>> {
    let catalog = state.store.catalog().await?;
    let fields = input.validate(&catalog)?;
    Ok(axum::Json(
        state
            .store
            .update_touchpoint(id, &fields, &caller.actor())
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/touchpoints/{id}/retire", tag = "touchpoints",
    params(("id" = i64, Path, description = "Touchpoint id")),
    responses((status = 200, description = "The touchpoint", body = Touchpoint), (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn retire(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Touchpoint>> {
    Ok(axum::Json(
        state.store.retire_touchpoint(id, &caller.actor()).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/touchpoints/{id}", tag = "touchpoints",
    params(("id" = i64, Path, description = "Touchpoint id")),
    responses((status = 204, description = "Deleted; the history stays"), (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    state.store.delete_touchpoint(id, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/touchpoints/{id}/history", tag = "touchpoints",
    params(("id" = i64, Path, description = "Touchpoint id")),
    responses((status = 200, description = "Newest first", body = [HistoryEntry]), (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Vec<HistoryEntry>>> {
    Ok(axum::Json(state.store.history(id).await?))
}

#[utoipa::path(get, path = "/api/v1/journey-map", tag = "touchpoints",
    params(TouchpointFilter),
    responses((status = 200, description = "Phases as columns, channels with touchpoints as rows; each cell a list of touchpoints", body = JourneyMap)))]
pub async fn journey_map(
    State(state): State<AppState>,
    Query(filter): Query<TouchpointFilter>,
) -> Result<axum::Json<JourneyMap>> {
    let catalog = state.store.catalog().await?;
    let touchpoints = state.store.list_touchpoints(&filter.normalized()).await?;
    Ok(axum::Json(JourneyMap::build(&catalog, &touchpoints, false)))
}
