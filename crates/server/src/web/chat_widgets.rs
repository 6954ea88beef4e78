//! The chat page for managers: per touchpoint, whether its chat widget answers and the
//! websites that may embed it, the snippet to embed it with, what the bot leaves out of its
//! sources and why, and how the chat did over the last 30 days.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use jiff::{SignedDuration, Timestamp};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::chat;
use touchpoints_core::{FieldProblem, TouchpointFilter};

use super::{Id, Page, PageResult, form_problems};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/queue/chat", get(show))
        .route("/queue/chat/{id}", axum::routing::post(save))
}

/// The span the page's figures cover.
const FIGURES_DAYS: i64 = 30;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WidgetForm {
    /// One website per line.
    origins: String,
    /// A checkbox: present when ticked.
    enabled: Option<String>,
}

#[derive(Debug, Serialize)]
struct WidgetView {
    touchpoint_id: i64,
    name: String,
    origins: String,
    enabled: bool,
    configured: bool,
}

async fn render(
    state: &AppState,
    page: &Page,
    headers: &HeaderMap,
    status: StatusCode,
    typed: Option<(i64, &WidgetForm, &[FieldProblem])>,
) -> PageResult {
    let widgets = state.store.chat_widgets().await?;
    let touchpoints = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?;
    let views: Vec<WidgetView> = touchpoints
        .iter()
        .filter(|t| {
            matches!(t.fields.channel.as_str(), "chat" | "chatbot")
                || widgets.iter().any(|w| w.touchpoint_id == t.id)
        })
        .map(|t| {
            let stored = widgets.iter().find(|w| w.touchpoint_id == t.id);
            match typed {
                Some((id, form, _)) if id == t.id => WidgetView {
                    touchpoint_id: t.id,
                    name: t.fields.name.clone(),
                    origins: form.origins.clone(),
                    enabled: form.enabled.is_some(),
                    configured: stored.is_some(),
                },
                _ => WidgetView {
                    touchpoint_id: t.id,
                    name: t.fields.name.clone(),
                    origins: stored.map(|w| w.origins.join("\n")).unwrap_or_default(),
                    enabled: stored.is_some_and(|w| w.enabled),
                    configured: stored.is_some(),
                },
            }
        })
        .collect();
    let now = Timestamp::now();
    let bot = state.chat_bot.get(&*state.store, now).await?;
    let figures = state
        .store
        .chat_figures(now - SignedDuration::from_hours(24 * FIGURES_DAYS), now)
        .await?;
    let share = |n: u64| {
        (figures.with_questions > 0).then(|| 100.0 * n as f64 / figures.with_questions as f64)
    };
    // The address this server is reached at, for the snippet; a proxy's public name is the
    // admin's to put in.
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("touchpoints.example");
    let (editing, problems) = match typed {
        Some((id, _, problems)) => (Some(id), problems),
        None => (None, &[][..]),
    };
    Ok(page.render_with_status(
        state,
        status,
        "chat_widgets.html",
        minijinja::context! {
            section => "queue",
            widgets => Serde(&views),
            host => host,
            editing => editing,
            errors => page.field_errors(state, problems),
            sources => bot.source_count(),
            left_out => Serde(bot.left_out()),
            days => FIGURES_DAYS,
            conversations => figures.conversations,
            with_questions => figures.with_questions,
            bot_rate => share(figures.answered_by_bot),
            handover_rate => share(figures.handed_over),
        },
    ))
}

async fn show(State(state): State<AppState>, page: Page, headers: HeaderMap) -> PageResult {
    render(&state, &page, &headers, StatusCode::OK, None).await
}

/// Saves a touchpoint's widget; on problems shows the page again with the form as typed,
/// each problem at its line, and stores nothing.
async fn save(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
    Id(id): Id,
    axum::Form(form): axum::Form<WidgetForm>,
) -> PageResult {
    let origins: Vec<String> = form.origins.lines().map(str::to_owned).collect();
    match chat::save_widget(
        &*state.store,
        id,
        &origins,
        form.enabled.is_some(),
        &page.caller.actor(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/queue/chat").into_response()),
        Err(e) => {
            let problems = form_problems(e)?;
            render(
                &state,
                &page,
                &headers,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some((id, &form, &problems.0)),
            )
            .await
        }
    }
}
