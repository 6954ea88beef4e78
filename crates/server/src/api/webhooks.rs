//! Outbound webhooks in the API (admins): subscriptions, their delivery logs and a test
//! event.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use touchpoints_app::webhooks::{self, CreatedWebhook, LOG_LIMIT};
use touchpoints_core::webhook::SubscriptionInput;
use touchpoints_store::{WebhookDelivery, WebhookSubscription};

use super::extract::{Json, Path};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

type Result<T> = std::result::Result<T, ApiError>;

#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses((status = 200, description = "Every subscription, oldest first, without its secret", body = [WebhookSubscription])))]
pub async fn list(State(state): State<AppState>) -> Result<axum::Json<Vec<WebhookSubscription>>> {
    Ok(axum::Json(state.store.webhooks().await?))
}

#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks",
    request_body = SubscriptionInput,
    responses(
        (status = 201, description = "Stored and audited, with the secret that signs its deliveries: shown this once", body = CreatedWebhook),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid values, each named (`url`, `events`, `events[i]`); nothing stored", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<SubscriptionInput>,
) -> Result<(StatusCode, axum::Json<CreatedWebhook>)> {
    let created = webhooks::create(state.store.as_ref(), &input, &caller.actor()).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path, description = "The subscription")),
    responses(
        (status = 200, description = "The subscription, without its secret", body = WebhookSubscription),
        (status = 404, description = "No such subscription", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<WebhookSubscription>> {
    Ok(axum::Json(state.store.webhook(id).await?))
}

#[utoipa::path(put, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path, description = "The subscription")),
    request_body = SubscriptionInput,
    responses(
        (status = 200, description = "Changed and audited; the secret stays", body = WebhookSubscription),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 404, description = "No such subscription", body = ErrorBody),
        (status = 422, description = "Invalid values, each named (`url`, `events`, `events[i]`); nothing changed", body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(input): Json<SubscriptionInput>,
) -> Result<axum::Json<WebhookSubscription>> {
    Ok(axum::Json(
        webhooks::update(state.store.as_ref(), id, &input, &caller.actor()).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path, description = "The subscription")),
    responses(
        (status = 204, description = "Removed with its deliveries; audited"),
        (status = 404, description = "No such subscription", body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    state.store.delete_webhook(id, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = i64, Path, description = "The subscription")),
    responses(
        (status = 200, description = "Its newest 50 deliveries, newest first: status, tries, the receiver's last status and why the last try failed", body = [WebhookDelivery]),
        (status = 404, description = "No such subscription", body = ErrorBody)))]
pub async fn deliveries(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Vec<WebhookDelivery>>> {
    Ok(axum::Json(state.store.deliveries(id, LOG_LIMIT).await?))
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks",
    params(("id" = i64, Path, description = "The subscription")),
    responses(
        (status = 202, description = "A `ping` event is queued and sent at once by the worker; its delivery as the log shows it", body = WebhookDelivery),
        (status = 404, description = "No such subscription", body = ErrorBody),
        (status = 409, description = "The subscription is paused; names `active`", body = ErrorBody)))]
pub async fn test(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<(StatusCode, axum::Json<WebhookDelivery>)> {
    let delivery = webhooks::test(state.store.as_ref(), id, Timestamp::now()).await?;
    state.webhooks.wake();
    Ok((StatusCode::ACCEPTED, axum::Json(delivery)))
}
