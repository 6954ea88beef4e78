//! The action plan in the API: actions read, written and deleted, moved through their
//! statuses with a history, and the plan ranked with the quick win on top and the reasons of
//! every rank.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use jiff::Timestamp;
use serde::Deserialize;
use touchpoints_app::action_effect::{self, ActionEffect};
use touchpoints_app::actions::{self, Plan};
use touchpoints_core::Problems;
use touchpoints_core::action_plan::{ActionInput, PlanSettings, StatusChangeInput};
use touchpoints_store::{ActionStatusEntry, StoredAction};

use super::extract::{Json, Path, Query, query_lang};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::i18n::Lang;

type Result<T> = std::result::Result<T, ApiError>;

#[utoipa::path(get, path = "/api/v1/actions", tag = "action plan",
    responses((status = 200, description = "Every action, by id", body = [StoredAction])))]
pub async fn list(State(state): State<AppState>) -> Result<axum::Json<Vec<StoredAction>>> {
    Ok(axum::Json(state.store.actions().await?))
}

#[utoipa::path(post, path = "/api/v1/actions", tag = "action plan",
    request_body = ActionInput,
    responses(
        (status = 201, description = "Created in its status (planned when none is given), recorded as the first entry of its history", body = StoredAction),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 409, description = "A retire action created in progress or done while customers of the last 90 days used only its touchpoints: create it planned and move it with `confirm_retirement`; names `confirm_retirement`, nothing stored", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named: also a touchpoint or finding that does not exist (`touchpoint_ids[0]`) and an owner who is no active agent, manager or admin; nothing stored", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<ActionInput>,
) -> Result<impl IntoResponse> {
    let created = actions::create(
        state.store.as_ref(),
        &input,
        Timestamp::now(),
        &caller.actor(),
    )
    .await?;
    let location = format!("/api/v1/actions/{}", created.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(created),
    ))
}

#[utoipa::path(get, path = "/api/v1/actions/{id}", tag = "action plan",
    params(("id" = i64, Path, description = "Action id")),
    responses((status = 200, description = "The action", body = StoredAction), (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<StoredAction>> {
    Ok(axum::Json(state.store.action(id).await?))
}

#[utoipa::path(put, path = "/api/v1/actions/{id}", tag = "action plan",
    params(("id" = i64, Path, description = "Action id")),
    request_body = ActionInput,
    responses(
        (status = 200, description = "Replaced; a status other than the stored one is a change recorded in the history", body = StoredAction),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "The status may not follow the stored one (a done or dropped action is reopened as planned); names `status`, nothing stored. A retire action whose touchpoints are some customers' only ones moves into progress or done only through the status change with `confirm_retirement`: names `confirm_retirement`", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named, as for create; nothing stored", body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(input): Json<ActionInput>,
) -> Result<axum::Json<StoredAction>> {
    Ok(axum::Json(
        actions::replace(
            state.store.as_ref(),
            id,
            &input,
            Timestamp::now(),
            &caller.actor(),
        )
        .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/actions/{id}", tag = "action plan",
    params(("id" = i64, Path, description = "Action id")),
    responses((status = 204, description = "Deleted with its budgets and history; the audit log keeps the deletion"), (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    state.store.delete_action(id, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/actions/{id}/status", tag = "action plan",
    params(("id" = i64, Path, description = "Action id")),
    request_body = StatusChangeInput,
    responses(
        (status = 200, description = "The action in its new status, the change recorded in its history with the note; the status it already has changes nothing", body = StoredAction),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "The status may not follow the stored one: an open action may become any other, a done or dropped one only planned again; names `status`. Or a retire action would go into progress or be done while customers of the last 90 days used only its touchpoints, without `confirm_retirement`: names `confirm_retirement`; with it, the audit entry records what was confirmed", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named; nothing stored", body = ErrorBody)))]
pub async fn set_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(input): Json<StatusChangeInput>,
) -> Result<axum::Json<StoredAction>> {
    Ok(axum::Json(
        actions::set_status(
            state.store.as_ref(),
            id,
            &input,
            Timestamp::now(),
            &caller.actor(),
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/actions/{id}/history", tag = "action plan",
    params(("id" = i64, Path, description = "Action id")),
    responses((status = 200, description = "Every change of the action's status with who made it, when and why, newest first; the last entry is its creation", body = [ActionStatusEntry]), (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Vec<ActionStatusEntry>>> {
    Ok(axum::Json(
        actions::history(state.store.as_ref(), id).await?,
    ))
}

/// The length of the windows before and after an action's start.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EffectQuery {
    /// Days in each window, 1 to 365 (30 when left out).
    pub days: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/actions/{id}/effect", tag = "action plan",
    params(("id" = i64, Path, description = "Action id"), EffectQuery),
    responses(
        (status = 200, description = "At the action's touchpoints, NPS, CSAT and CES in the days before its start and the days from it, each with the difference, its 95% interval, p-value and verdict (better, worse, no detectable change, or too few answers: under 30 on a side); and the response times of the requests received there in both windows", body = ActionEffect),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "`days` out of range, or the action cannot be measured: no touchpoint (`touchpoint_ids`), no start date and never in progress, or a start after today (`start`)", body = ErrorBody)))]
pub async fn effect(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<EffectQuery>,
) -> Result<axum::Json<ActionEffect>> {
    Ok(axum::Json(
        action_effect::action_effect(state.store.as_ref(), id, query.days, Timestamp::now())
            .await?,
    ))
}

/// The language of the plan's reasons.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// `de` or `en` (English when left out or blank).
    pub lang: Option<String>,
}

impl PlanQuery {
    fn lang(&self) -> std::result::Result<&'static str, Problems> {
        query_lang(self.lang.as_deref(), Lang::En).map(Lang::code)
    }
}

#[utoipa::path(get, path = "/api/v1/action-plan", tag = "action plan",
    params(PlanQuery),
    responses(
        (status = 200, description = "The actions ranked from the customer's view: the quick win first (or why there is none), then the open actions by their points, then the done and dropped ones; each with the parts of its score and their reasons, measured over the last 90 days, and for an open retire action who still uses its touchpoints", body = Plan),
        (status = 422, description = "A query parameter is unknown or malformed; each one named", body = ErrorBody)))]
pub async fn plan(
    State(state): State<AppState>,
    Query(query): Query<PlanQuery>,
) -> Result<axum::Json<Plan>> {
    let lang = query.lang()?;
    Ok(axum::Json(
        actions::plan(
            state.store.as_ref(),
            &state.plan_counts,
            Timestamp::now(),
            lang,
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/action-plan/settings", tag = "action plan",
    responses((status = 200, description = "The weights of target groups and regions, the quick-win rule and the score's weights the plan ranks by; the defaults until a manager sets them", body = PlanSettings)))]
pub async fn settings(State(state): State<AppState>) -> Result<axum::Json<PlanSettings>> {
    Ok(axum::Json(actions::settings(state.store.as_ref()).await?))
}

#[utoipa::path(put, path = "/api/v1/action-plan/settings", tag = "action plan",
    request_body = PlanSettings,
    responses(
        (status = 200, description = "Replaced: the plan ranks by these from now on; the change is audited. Fields left out take their defaults", body = PlanSettings),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid values, each named (`target_groups.Stammkunden`, `quick_win.max_days`); nothing stored", body = ErrorBody)))]
pub async fn set_settings(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<PlanSettings>,
) -> Result<axum::Json<PlanSettings>> {
    Ok(axum::Json(
        actions::set_settings(state.store.as_ref(), &input, &caller.actor()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/action-plan/suggestions/{touchpoint_id}", tag = "action plan",
    params(("touchpoint_id" = i64, Path, description = "The touchpoint of one of the plan's suggestions"), PlanQuery),
    responses(
        (status = 201, description = "The suggestion taken up as an idea: an optimisation of the touchpoint with the suggested title and goal (in `lang`) and its open findings linked", body = StoredAction),
        (status = 404, description = "No such touchpoint", body = ErrorBody),
        (status = 409, description = "The plan suggests nothing there: an action concerns the touchpoint already, or nothing was measured wrong; names `touchpoint_id`", body = ErrorBody),
        (status = 422, description = "A query parameter is unknown or malformed; each one named", body = ErrorBody)))]
pub async fn accept_suggestion(
    State(state): State<AppState>,
    caller: Caller,
    Path(touchpoint_id): Path<i64>,
    Query(query): Query<PlanQuery>,
) -> Result<(StatusCode, axum::Json<StoredAction>)> {
    let lang = query.lang()?;
    let action = actions::accept_suggestion(
        state.store.as_ref(),
        &state.plan_counts,
        touchpoint_id,
        Timestamp::now(),
        lang,
        &caller.actor(),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(action)))
}
