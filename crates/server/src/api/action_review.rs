//! The action plan's review in the API: every action in progress or done with its before
//! and after, its target against what was measured, and what to adjust.

use axum::extract::State;
use jiff::Timestamp;
use serde::Deserialize;
use touchpoints_app::action_review::{self, Review};
use touchpoints_core::Problems;

use super::extract::{Query, query_lang};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::i18n::Lang;

/// The windows of the review and the language of its proposals.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// Days in each window before and after an action's start, 1 to 365 (30 when left out).
    pub days: Option<i64>,
    /// `de` or `en` (English when left out or blank).
    pub lang: Option<String>,
}

impl ReviewQuery {
    fn lang(&self) -> Result<&'static str, Problems> {
        query_lang(self.lang.as_deref(), Lang::En).map(Lang::code)
    }
}

#[utoipa::path(get, path = "/api/v1/action-review", tag = "action plan",
    params(ReviewQuery),
    responses(
        (status = 200, description = "Every action in progress or done, by id: its before and after at its touchpoints (as `GET /api/v1/actions/{id}/effect` gives it) or why it cannot be measured, its measurable target against the value measured after its start (met, missed once its day has passed, pending, or unmeasured), and what to adjust in words: a metric that got worse, a missed target, no detectable effect once the window after the start is complete, too few answers (under 30 on a side) to tell", body = Review),
        (status = 422, description = "`days` out of range or `lang` unknown", body = ErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    Query(query): Query<ReviewQuery>,
) -> Result<axum::Json<Review>, ApiError> {
    let lang = query.lang()?;
    Ok(axum::Json(
        action_review::review(state.store.as_ref(), query.days, Timestamp::now(), lang).await?,
    ))
}
