//! The 30-day programme's page: the five phases with their dates and state, each task with
//! its owner, due day, status, progress from the data and the screen where it is done; the
//! forms that tick the tasks done by hand and start the programme or its next round. The
//! programme's reading of the data is the app's; this page only shows it.

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::programme::{self, ProgrammeState};
use touchpoints_core::action_plan::programme::{
    Count, DAYS, PhaseState, Source, TaskKey, TaskStatus,
};
use touchpoints_core::{FieldProblem, Problems};

use super::numbers::day;
use super::{Page, PageResult, form_problems, form_refusal};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programme", get(show).post(start))
        .route("/programme/tasks/{key}", post(tick))
}

/// A message key's part for a stable name: `crm_training` → `crm-training`.
fn msg(name: &str) -> String {
    name.replace('_', "-")
}

#[derive(Debug, Serialize)]
struct Progress {
    done: u64,
    total: u64,
    percent: u64,
}

impl Progress {
    fn new(count: Count) -> Progress {
        Progress {
            done: count.done,
            total: count.total,
            percent: (count.done.min(count.total) * 100)
                .checked_div(count.total)
                .unwrap_or(0),
        }
    }
}

#[derive(Debug, Serialize)]
struct TaskRow {
    key: &'static str,
    msg: String,
    owner: String,
    due: String,
    due_day: i64,
    status: TaskStatus,
    link: String,
    manual: bool,
    progress: Option<Progress>,
    carried_over: bool,
    done_by: Option<String>,
    done_at: Option<String>,
}

#[derive(Debug, Serialize)]
struct PhaseRow {
    key: &'static str,
    first_day: i64,
    last_day: i64,
    start: String,
    end: String,
    state: &'static str,
    progress: Progress,
    current: bool,
    tasks: Vec<TaskRow>,
}

/// The phases as the page shows them; `accounts` gives the display name of a user name.
fn phases(
    state: &ProgrammeState,
    accounts: &HashMap<String, String>,
    page: &Page,
) -> Vec<PhaseRow> {
    let lang = page.lang;
    let day_of_programme = state.view.day;
    state
        .view
        .phases
        .iter()
        .map(|phase| PhaseRow {
            key: phase.key.as_str(),
            first_day: phase.first_day,
            last_day: phase.last_day,
            start: day(phase.start, lang),
            end: day(phase.end, lang),
            state: match phase.state {
                PhaseState::Done => "done",
                PhaseState::Overdue => "overdue",
                PhaseState::Running => "running",
                PhaseState::Upcoming => "upcoming",
                PhaseState::Open => "open",
            },
            progress: Progress::new(phase.progress),
            current: (phase.first_day..=phase.last_day).contains(&day_of_programme),
            tasks: phase
                .tasks
                .iter()
                .map(|task| {
                    let tick = state.ticks.iter().find(|t| t.task == task.key);
                    TaskRow {
                        key: task.key.as_str(),
                        msg: msg(task.key.as_str()),
                        owner: msg(task.owner.as_str()),
                        due: day(task.due, lang),
                        due_day: task.due_day,
                        status: task.status,
                        link: task.link.clone(),
                        manual: task.source == Source::Manual,
                        progress: task.progress.map(Progress::new),
                        carried_over: task.carried_over,
                        done_by: tick.map(|t| {
                            accounts
                                .get(&t.done_by)
                                .cloned()
                                .unwrap_or_else(|| t.done_by.clone())
                        }),
                        done_at: tick.map(|t| page.local_time(t.done_at)),
                    }
                })
                .collect(),
        })
        .collect()
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct StartForm {
    #[serde(default)]
    start_day: String,
}

#[derive(Debug, Default, Deserialize)]
struct TickForm {
    #[serde(default)]
    done: String,
}

/// The page, with the start form as entered and the problems of a refused form, if any.
async fn page_with(
    state: &AppState,
    page: &Page,
    form: Option<&StartForm>,
    problems: &[FieldProblem],
    status: StatusCode,
) -> PageResult {
    let now = Timestamp::now();
    let current = programme::current(state.store.as_ref(), now).await?;
    let today = touchpoints_core::kpi::local_day(now, &page.zone.0);
    let start_day = form.map_or_else(|| today.to_string(), |f| f.start_day.clone());
    let mut errors: BTreeMap<String, String> = page.field_errors(state, problems);
    // A refused tick names its task (`key`), which has no field of its own on the page.
    let task_error = errors.remove("key");
    // Who ticked a task, by the name people know them by.
    let accounts: HashMap<String, String> = match &current {
        Some(_) => state
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| (u.username, u.display_name))
            .collect(),
        None => HashMap::new(),
    };
    let context = match &current {
        Some(current) => minijinja::context! {
            started => true,
            round => current.round,
            started_by => current.started_by.clone(),
            start => day(current.view.start, page.lang),
            end => day(current.view.end, page.lang),
            today => day(current.today, page.lang),
            day => current.view.day,
            finished => current.view.day > DAYS,
            progress => Serde(Progress::new(current.view.progress)),
            phases => Serde(phases(current, &accounts, page)),
            start_day => start_day,
            errors => errors,
            task_error => task_error,
            section => "actions",
        },
        None => minijinja::context! {
            started => false,
            start_day => start_day,
            errors => errors,
            task_error => task_error,
            section => "actions",
        },
    };
    Ok(page.render_with_status(state, status, "programme.html", context))
}

async fn show(State(state): State<AppState>, page: Page) -> PageResult {
    page_with(&state, &page, None, &[], StatusCode::OK).await
}

async fn start(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<StartForm>,
) -> PageResult {
    let result = match programme::start_day(&form.start_day) {
        Ok(day) => {
            programme::start(
                state.store.as_ref(),
                day,
                Timestamp::now(),
                &page.caller.actor(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/programme").into_response()),
        Err(e) => {
            let (code, problems) = form_refusal(e)?;
            page_with(&state, &page, Some(&form), &problems.0, code).await
        }
    }
}

async fn tick(
    State(state): State<AppState>,
    page: Page,
    Path(key): Path<String>,
    axum::Form(form): axum::Form<TickForm>,
) -> PageResult {
    let done = form.done.trim() != "0";
    match programme::tick(
        state.store.as_ref(),
        &key,
        done,
        Timestamp::now(),
        &page.caller.actor(),
    )
    .await
    {
        Ok(_) => {
            let anchor = TaskKey::parse(&key).map_or("", TaskKey::as_str);
            Ok(Redirect::to(&format!("/programme#task-{anchor}")).into_response())
        }
        Err(e) => {
            let problems: Problems = form_problems(e)?;
            page_with(
                &state,
                &page,
                None,
                &problems.0,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
