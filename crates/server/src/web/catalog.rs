//! The catalog page: the channels and journey phases touchpoints are filed under, with forms
//! to add, change and remove them.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use touchpoints_core::{Channel, FieldProblem, Kind, Phase, Problem, Problems, Stage};

use super::{Page, PageResult, form_problems};
use minijinja::value::Serde;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/catalog", get(show))
        .route("/catalog/channels", post(put_channel))
        .route("/catalog/channels/{key}/delete", post(delete_channel))
        .route("/catalog/phases", post(put_phase))
        .route("/catalog/phases/{key}/delete", post(delete_phase))
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct EntryForm {
    key: String,
    label_de: String,
    label_en: String,
    /// The channel's kind or the phase's stage.
    group: String,
    position: String,
}

impl EntryForm {
    fn position(&self, problems: &mut Problems) -> i32 {
        match self.position.trim() {
            "" => 0,
            text => text.parse().unwrap_or_else(|_| {
                problems.push(
                    "position",
                    Problem::rule("whole-number", "not a whole number"),
                );
                0
            }),
        }
    }
}

/// Which form a problem belongs to, so it is shown there and nowhere else.
#[derive(Clone, Copy)]
enum Which {
    Channel,
    Phase,
}

async fn render(
    state: &AppState,
    page: &Page,
    which: Option<(Which, &EntryForm, &[FieldProblem])>,
) -> PageResult {
    let catalog = state.store.catalog().await?;
    let empty = EntryForm::default();
    let (channel_form, channel_errors, phase_form, phase_errors, status) = match which {
        Some((Which::Channel, form, problems)) => (
            form,
            page.field_errors(state, problems),
            &empty,
            Default::default(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Some((Which::Phase, form, problems)) => (
            &empty,
            Default::default(),
            form,
            page.field_errors(state, problems),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        None => (
            &empty,
            Default::default(),
            &empty,
            Default::default(),
            StatusCode::OK,
        ),
    };
    Ok(page.render_with_status(
        state,
        status,
        "catalog.html",
        minijinja::context! {
            section => "catalog",
            catalog => Serde(catalog),
            kinds => Serde(Kind::ALL.map(Kind::as_str)),
            stages => Serde(Stage::ALL.map(Stage::as_str)),
            channel_form => Serde(channel_form),
            channel_errors => Serde(channel_errors),
            phase_form => Serde(phase_form),
            phase_errors => Serde(phase_errors),
        },
    ))
}

async fn show(State(state): State<AppState>, page: Page) -> PageResult {
    render(&state, &page, None).await
}

async fn put_channel(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<EntryForm>,
) -> PageResult {
    let mut problems = Problems::default();
    let position = form.position(&mut problems);
    let kind = Kind::parse(&form.group);
    if kind.is_none() {
        problems.push("group", Problem::Required);
    }
    let channel = Channel {
        key: form.key.clone(),
        label_de: form.label_de.clone(),
        label_en: form.label_en.clone(),
        kind: kind.unwrap_or(Kind::Digital),
        position,
    }
    .validated();
    let actor = page.caller.actor();
    let problems = match (channel, problems.is_empty()) {
        (Ok(channel), true) => match state.store.put_channel(&channel, &actor).await {
            Ok(()) => return Ok(Redirect::to("/catalog").into_response()),
            Err(e) => form_problems(e)?,
        },
        (Ok(_), false) => problems,
        (Err(more), _) => {
            problems.0.extend(more.0);
            problems
        }
    };
    render(&state, &page, Some((Which::Channel, &form, &problems.0))).await
}

async fn put_phase(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<EntryForm>,
) -> PageResult {
    let mut problems = Problems::default();
    let position = form.position(&mut problems);
    let stage = Stage::parse(&form.group);
    if stage.is_none() {
        problems.push("group", Problem::Required);
    }
    let phase = Phase {
        key: form.key.clone(),
        label_de: form.label_de.clone(),
        label_en: form.label_en.clone(),
        stage: stage.unwrap_or(Stage::BeforePurchase),
        position,
    }
    .validated();
    let actor = page.caller.actor();
    let problems = match (phase, problems.is_empty()) {
        (Ok(phase), true) => match state.store.put_phase(&phase, &actor).await {
            Ok(()) => return Ok(Redirect::to("/catalog").into_response()),
            Err(e) => form_problems(e)?,
        },
        (Ok(_), false) => problems,
        (Err(more), _) => {
            problems.0.extend(more.0);
            problems
        }
    };
    render(&state, &page, Some((Which::Phase, &form, &problems.0))).await
}

async fn delete_channel(
    State(state): State<AppState>,
    page: Page,
    Path(key): Path<String>,
) -> PageResult {
    state
        .store
        .delete_channel(&key, &page.caller.actor())
        .await?;
    Ok(Redirect::to("/catalog").into_response())
}

async fn delete_phase(
    State(state): State<AppState>,
    page: Page,
    Path(key): Path<String>,
) -> PageResult {
    state.store.delete_phase(&key, &page.caller.actor()).await?;
    Ok(Redirect::to("/catalog").into_response())
}
