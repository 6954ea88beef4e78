//! The queue's rules in the API: SLA policies, the organisation's calendar, the priority
//! weights, source-to-touchpoint mappings, and the response-time statistics.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use touchpoints_app::queue_stats::{self, Stats};
use touchpoints_core::priority::Weights;
use touchpoints_core::queue::SlaPolicy;
use touchpoints_core::request::Priority;
use touchpoints_core::sla::CalendarInput;
use touchpoints_core::{Problem, Problems};
use touchpoints_store::SourceMapping;

use super::extract::{Json, Path, Query};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

type Result<T> = std::result::Result<T, ApiError>;

#[utoipa::path(get, path = "/api/v1/sla-policies", tag = "queue",
    responses((status = 200, description = "The SLA policies", body = [SlaPolicy])))]
pub async fn list_policies(State(state): State<AppState>) -> Result<axum::Json<Vec<SlaPolicy>>> {
    Ok(axum::Json(state.store.sla_policies().await?))
}

#[utoipa::path(put, path = "/api/v1/sla-policies", tag = "queue",
    request_body = SlaPolicy,
    responses((status = 204, description = "Stored (replacing the policy of the same channel and priority); open requests planned anew"),
        (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn put_policy(
    State(state): State<AppState>,
    caller: Caller,
    Json(policy): Json<SlaPolicy>,
) -> Result<StatusCode> {
    let catalog = state.store.catalog().await?;
    let policy = policy.validate(&catalog)?;
    state.store.put_sla_policy(&policy, &caller.actor()).await?;
    state.queue_events.send(0, "rules").await;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/sla-policies/{channel}/{priority}", tag = "queue",
    params(("channel" = String, Path, description = "Channel key"),
        ("priority" = Priority, Path, description = "Priority")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn delete_policy(
    State(state): State<AppState>,
    caller: Caller,
    Path((channel, priority)): Path<(String, Priority)>,
) -> Result<StatusCode> {
    state
        .store
        .delete_sla_policy(&channel, priority, &caller.actor())
        .await?;
    state.queue_events.send(0, "rules").await;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/calendar", tag = "queue",
    responses((status = 200, description = "The organisation's business calendar", body = CalendarInput)))]
pub async fn get_calendar(State(state): State<AppState>) -> Result<axum::Json<CalendarInput>> {
    let settings = state.store.queue_settings().await?;
    Ok(axum::Json(CalendarInput::from(&settings.calendar)))
}

#[utoipa::path(put, path = "/api/v1/calendar", tag = "queue",
    request_body = CalendarInput,
    responses((status = 204, description = "Stored; open requests planned anew"),
        (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn put_calendar(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<CalendarInput>,
) -> Result<StatusCode> {
    let calendar = input.validate()?;
    state.store.put_calendar(&calendar, &caller.actor()).await?;
    state.queue_events.send(0, "rules").await;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/priority-weights", tag = "queue",
    responses((status = 200, description = "The priority weights", body = Weights)))]
pub async fn get_weights(State(state): State<AppState>) -> Result<axum::Json<Weights>> {
    Ok(axum::Json(state.store.queue_settings().await?.weights))
}

#[utoipa::path(put, path = "/api/v1/priority-weights", tag = "queue",
    request_body = Weights,
    responses((status = 204, description = "Stored; every open request ranked anew"),
        (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn put_weights(
    State(state): State<AppState>,
    caller: Caller,
    Json(weights): Json<Weights>,
) -> Result<StatusCode> {
    weights.validate()?;
    state.store.put_weights(&weights, &caller.actor()).await?;
    state.queue_events.send(0, "rules").await;
    Ok(StatusCode::NO_CONTENT)
}

/// Where requests of a channel arrive (a mailbox, a hotline) and the touchpoint they belong to.
#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceMappingInput {
    pub channel: String,
    pub source: String,
    pub touchpoint_id: i64,
}

#[utoipa::path(get, path = "/api/v1/request-sources", tag = "queue",
    responses((status = 200, description = "Where requests arrive and the touchpoints they go to", body = [SourceMapping])))]
pub async fn list_sources(State(state): State<AppState>) -> Result<axum::Json<Vec<SourceMapping>>> {
    Ok(axum::Json(state.store.source_mappings().await?))
}

#[utoipa::path(put, path = "/api/v1/request-sources", tag = "queue",
    request_body = SourceMappingInput,
    responses((status = 204, description = "Stored: requests of the channel naming this `source` go to the touchpoint"),
        (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn put_source(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<SourceMappingInput>,
) -> Result<StatusCode> {
    let catalog = state.store.catalog().await?;
    let mut problems = Problems::default();
    if catalog.channel(&input.channel).is_none() {
        problems.push(
            "channel",
            Problem::Unknown {
                value: input.channel.clone(),
                allowed: catalog.channels.iter().map(|c| c.key.clone()).collect(),
            },
        );
    }
    let source =
        touchpoints_core::problem::check_text(&mut problems, "source", &input.source, 200, true);
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let mapping = SourceMapping {
        channel: input.channel,
        source,
        touchpoint_id: input.touchpoint_id,
    };
    state
        .store
        .put_source_mapping(&mapping, &caller.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// The period: the last this many days, 1 to 366 (30 when left out).
    #[param(minimum = 1, maximum = 366)]
    pub days: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/queue-stats", tag = "queue",
    params(StatsQuery),
    responses((status = 200, description = "Median and 90th percentile of the minutes to the first response, and the share of targets met, overall, by channel, by touchpoint and week by week", body = Stats),
        (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn get_stats(
    State(state): State<AppState>,
    Query(query): Query<StatsQuery>,
) -> Result<axum::Json<Stats>> {
    let days = query.days.unwrap_or(30);
    Ok(axum::Json(
        queue_stats::stats(state.store.as_ref(), days, Timestamp::now()).await?,
    ))
}
