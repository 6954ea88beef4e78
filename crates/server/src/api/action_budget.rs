//! The action plan's budget and timeline in the API.

use axum::extract::State;
use touchpoints_app::action_budget::{self, BudgetReport};

use crate::AppState;
use crate::error::ApiError;

#[utoipa::path(get, path = "/api/v1/action-budget", tag = "action plan",
    responses(
        (status = 200, description = "Money planned and spent, in cents, in total and per quarter, per touchpoint and per kind of action (a dropped action's plan no longer counts, what it spent does; an action at several touchpoints shares its money among them evenly, so the touchpoints add up to the total); and the actions from start to due, by start, for a timeline", body = BudgetReport)))]
pub async fn budget(State(state): State<AppState>) -> Result<axum::Json<BudgetReport>, ApiError> {
    Ok(axum::Json(
        action_budget::budget(state.store.as_ref()).await?,
    ))
}
