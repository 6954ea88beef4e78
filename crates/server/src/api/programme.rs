//! The 30-day programme in the API: the current round with its phases, tasks, status and
//! progress; its start or continuation; the ticks of the tasks done by hand; and its tasks
//! as an iCalendar file.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use fluent_bundle::FluentArgs;
use jiff::Timestamp;
use serde::Deserialize;
use touchpoints_app::programme::{self, ProgrammeState};
use touchpoints_core::Problems;
use touchpoints_core::action_plan::ical;

use super::extract::{Json, Path, Query, query_lang};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::i18n::Lang;

type Result<T> = std::result::Result<T, ApiError>;

/// The start of the programme, or of its next round.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartInput {
    /// Day 1 of the programme, YYYY-MM-DD.
    pub start_day: String,
}

/// A tick, or its removal, of a task done by hand.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TickInput {
    /// Done (`true`) or open again (`false`).
    pub done: bool,
}

#[utoipa::path(get, path = "/api/v1/programme", tag = "action plan",
    responses(
        (status = 200, description = "The current round on the organisation's today: its five phases with dates and state, each task with due day, status (done, open, overdue after its due day), progress read from the data where the product knows it, and whether the round before carried it over", body = ProgrammeState),
        (status = 404, description = "No programme was started yet", body = ErrorBody)))]
pub async fn get(State(state): State<AppState>) -> Result<axum::Json<ProgrammeState>> {
    programme::current(state.store.as_ref(), Timestamp::now())
        .await?
        .map(axum::Json)
        .ok_or(ApiError::NotFound {
            entity: "programme",
        })
}

#[utoipa::path(post, path = "/api/v1/programme", tag = "action plan",
    request_body = StartInput,
    responses(
        (status = 201, description = "Started from the day: the first round, or the next one, which inherits the tasks the current round has not done", body = ProgrammeState),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 409, description = "Another round was started meanwhile; names `start_day`", body = ErrorBody),
        (status = 422, description = "`start_day` missing or no day YYYY-MM-DD; nothing stored", body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<StartInput>,
) -> Result<impl IntoResponse> {
    let day = programme::start_day(&input.start_day)?;
    let started =
        programme::start(state.store.as_ref(), day, Timestamp::now(), &caller.actor()).await?;
    Ok((StatusCode::CREATED, axum::Json(started)))
}

#[utoipa::path(post, path = "/api/v1/programme/tasks/{key}", tag = "action plan",
    params(("key" = String, Path, description = "A task done by hand: crm_training, personal_templates, personal_campaign or review_done")),
    request_body = TickInput,
    responses(
        (status = 200, description = "The round with the task ticked or open again; a tick that is already so changes nothing", body = ProgrammeState),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 404, description = "No programme was started yet", body = ErrorBody),
        (status = 422, description = "`key` names no task, or one read from the product's data; nothing stored", body = ErrorBody)))]
pub async fn tick(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    Json(input): Json<TickInput>,
) -> Result<axum::Json<ProgrammeState>> {
    Ok(axum::Json(
        programme::tick(
            state.store.as_ref(),
            &key,
            input.done,
            Timestamp::now(),
            &caller.actor(),
        )
        .await?,
    ))
}

/// The language of the calendar's texts.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// `de` or `en` (German when left out or blank).
    pub lang: Option<String>,
}

impl CalendarQuery {
    fn lang(&self) -> std::result::Result<Lang, Problems> {
        query_lang(self.lang.as_deref(), Lang::De)
    }
}

#[utoipa::path(get, path = "/api/v1/programme.ics", tag = "action plan",
    params(CalendarQuery),
    responses(
        (status = 200, description = "The current round's tasks as an iCalendar file (RFC 5545): one all-day to-do per task from its phase's first day to its due day, completed when done; a calendar importing it again updates the to-dos", content_type = "text/calendar", body = String),
        (status = 404, description = "No programme was started yet", body = ErrorBody),
        (status = 422, description = "`lang` is neither de nor en", body = ErrorBody)))]
pub async fn calendar(
    State(state): State<AppState>,
    Query(query): Query<CalendarQuery>,
) -> Result<impl IntoResponse> {
    let lang = query.lang()?;
    let now = Timestamp::now();
    let current =
        programme::current(state.store.as_ref(), now)
            .await?
            .ok_or(ApiError::NotFound {
                entity: "programme",
            })?;
    let text = calendar_text(&state, &current, lang, now);
    let name = format!("programme-{}-{}.ics", current.round, current.view.start);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        text,
    ))
}

fn calendar_text(state: &AppState, current: &ProgrammeState, lang: Lang, now: Timestamp) -> String {
    let messages = &state.messages;
    let todos = programme::todos(current, None, |key| {
        let task = key.as_str().replace('_', "-");
        let phase = key.def().phase.as_str();
        let mut args = FluentArgs::new();
        args.set("link", key.def().link);
        (
            messages.get(lang, &format!("programme-task-{task}"), None),
            format!(
                "{}: {}",
                messages.get(lang, &format!("programme-phase-{phase}"), None),
                messages.get(lang, "programme-ical-description", Some(&args)),
            ),
        )
    });
    let mut args = FluentArgs::new();
    args.set("round", current.round);
    ical::calendar(
        "-//Touchpoints//Programme//EN",
        &messages.get(lang, "programme-ical-name", Some(&args)),
        now,
        &todos,
    )
}
