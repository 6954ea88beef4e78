//! The plan's import from the page: a CSV or XLSX file (the plan's own export, edited or
//! not) uploaded as a form, each row a new action, all or nothing; the page answers with
//! the actions created or every problem by row and column.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use minijinja::value::Serde;
use serde::Serialize;
use touchpoints_app::action_import::{self, FileFormat, ImportError};
use touchpoints_core::Problem;

use super::{Page, PageResult};
use crate::AppState;
use crate::i18n::Lang;

pub fn routes() -> Router<AppState> {
    Router::new().route("/actions/import", post(import))
}

/// A problem of the file as the page says it.
#[derive(Debug, Serialize)]
struct ProblemView {
    row: usize,
    column: String,
    text: String,
}

#[derive(Debug, Serialize)]
struct CreatedView {
    id: i64,
    title: String,
}

fn problem_text(state: &AppState, lang: Lang, problem: &Problem) -> String {
    match problem {
        // Reasons only in English words (a line CSV cannot read, a cell showing an error):
        // the page names the place and says it cannot be read.
        Problem::Invalid { .. } => state.messages.get(lang, "plan-import-unreadable", None),
        other => state.messages.problem(lang, other),
    }
}

async fn import(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let file = crate::multipart::field(&headers, body, "file")
        .await
        .filter(|bytes| !bytes.is_empty());
    let outcome = match &file {
        None => None,
        Some(bytes) => Some(
            action_import::import(
                state.store.as_ref(),
                FileFormat::sniff(bytes),
                bytes,
                jiff::Timestamp::now(),
                &page.caller.actor(),
            )
            .await,
        ),
    };
    let (status, created, problems) = match outcome {
        None => (StatusCode::UNPROCESSABLE_ENTITY, Vec::new(), Vec::new()),
        Some(Ok(actions)) => (
            StatusCode::OK,
            actions
                .into_iter()
                .map(|a| CreatedView {
                    id: a.id,
                    title: a.fields.title,
                })
                .collect(),
            Vec::new(),
        ),
        Some(Err(ImportError::Rows(rows))) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Vec::new(),
            rows.iter()
                .map(|p| ProblemView {
                    row: p.row,
                    column: p.column.clone(),
                    text: problem_text(&state, page.lang, &p.problem),
                })
                .collect(),
        ),
        Some(Err(ImportError::App(e))) => return Err(e.into()),
    };
    Ok(page.render_with_status(
        &state,
        status,
        "action_import.html",
        minijinja::context! {
            section => "actions",
            no_file => file.is_none(),
            created => Serde(created),
            problems => Serde(problems),
        },
    ))
}
