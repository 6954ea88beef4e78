//! Channels and journey phases in the API: list, put (insert or update by key), delete.

use axum::extract::State;
use axum::http::StatusCode;
use touchpoints_core::{Channel, Phase, Problem, Problems};

use super::extract::{Json, Path};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

type Result<T> = std::result::Result<T, ApiError>;

/// The key in the URL and in the body must agree; a body may leave it out.
fn key_matches(path_key: &str, body_key: &mut String) -> Result<()> {
    if body_key.is_empty() {
        *body_key = path_key.to_owned();
    }
    if body_key != path_key {
        return Err(ApiError::Unprocessable(Problems::single(
            "key",
            Problem::Invalid {
                reason: format!("must equal the key in the URL, \"{path_key}\""),
            },
        )));
    }
    Ok(())
}

#[utoipa::path(get, path = "/api/v1/channels", tag = "catalog",
    responses((status = 200, description = "In display order", body = [Channel])))]
pub async fn list_channels(State(state): State<AppState>) -> Result<axum::Json<Vec<Channel>>> {
    Ok(axum::Json(state.store.catalog().await?.channels))
}

#[utoipa::path(put, path = "/api/v1/channels/{key}", tag = "catalog",
    params(("key" = String, Path, description = "Channel key: a-z, 0-9, '-' and '_'")),
    request_body = Channel,
    responses((status = 200, description = "The channel", body = Channel), (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn put_channel(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    Json(mut channel): Json<Channel>,
) -> Result<axum::Json<Channel>> {
    key_matches(&key, &mut channel.key)?;
    let channel = channel.validated()?;
    state.store.put_channel(&channel, &caller.actor()).await?;
    Ok(axum::Json(channel))
}

#[utoipa::path(delete, path = "/api/v1/channels/{key}", tag = "catalog",
    params(("key" = String, Path, description = "Channel key")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "Still used by touchpoints", body = ErrorBody)))]
pub async fn delete_channel(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
) -> Result<StatusCode> {
    state.store.delete_channel(&key, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/phases", tag = "catalog",
    responses((status = 200, description = "In journey order", body = [Phase])))]
pub async fn list_phases(State(state): State<AppState>) -> Result<axum::Json<Vec<Phase>>> {
    let catalog = state.store.catalog().await?;
    Ok(axum::Json(
        catalog.phases_in_order().into_iter().cloned().collect(),
    ))
}

#[utoipa::path(put, path = "/api/v1/phases/{key}", tag = "catalog",
    params(("key" = String, Path, description = "Phase key: a-z, 0-9, '-' and '_'")),
    request_body = Phase,
    responses((status = 200, description = "The phase", body = Phase), (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn put_phase(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    Json(mut phase): Json<Phase>,
) -> Result<axum::Json<Phase>> {
    key_matches(&key, &mut phase.key)?;
    let phase = phase.validated()?;
    state.store.put_phase(&phase, &caller.actor()).await?;
    Ok(axum::Json(phase))
}

#[utoipa::path(delete, path = "/api/v1/phases/{key}", tag = "catalog",
    params(("key" = String, Path, description = "Phase key")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "Still used by touchpoints", body = ErrorBody)))]
pub async fn delete_phase(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
) -> Result<StatusCode> {
    state.store.delete_phase(&key, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}
