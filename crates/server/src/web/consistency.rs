//! Consistency pages: the communication guideline, the content library the checker reads,
//! and the findings it documents as weaknesses with their status.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::analysis;
use touchpoints_core::consistency::Guideline;
use touchpoints_core::consistency::library::{ContentFields, FindingStatus};
use touchpoints_core::{Problem, Problems};

use super::{Id, Page, PageResult, form_problems, optional};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consistency", get(findings))
        .route("/consistency/run", post(run))
        .route("/consistency/findings/{id}/status", post(set_status))
        .route("/guideline", get(guideline).post(put_guideline))
        .route("/content", get(contents).post(create_content))
        .route("/content/new", get(new_content))
        .route("/content/{id}", get(show_content).post(update_content))
        .route("/content/{id}/delete", post(delete_content))
}

/// Whether the findings page also lists the findings the latest check no longer found
/// (`?gone=true`); any other value lists only the current ones.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FindingsView {
    gone: String,
}

/// The current findings, and on request those the latest check no longer found: the latter
/// only grow with every run, and the work is in the former.
async fn findings(
    State(state): State<AppState>,
    page: Page,
    Query(view): Query<FindingsView>,
) -> PageResult {
    let mut findings = state.store.findings().await?;
    let gone = findings.iter().filter(|f| !f.current).count();
    let show_gone = view.gone == "true";
    if !show_gone {
        findings.retain(|f| f.current);
    }
    let contents = state.store.contents().await?;
    let guideline = state.store.guideline().await?;
    let open = findings
        .iter()
        .filter(|f| f.current && f.status == FindingStatus::Open)
        .count();
    // What is wrong and the fix, in the page's language, by finding.
    let texts: std::collections::HashMap<String, crate::wording::FindingText> = findings
        .iter()
        .map(|f| {
            let text = crate::wording::finding(&state.messages, page.lang, &f.finding, &guideline);
            (f.id.to_string(), text)
        })
        .collect();
    Ok(page.render(
        &state,
        "consistency.html",
        minijinja::context! {
            section => "consistency",
            findings => Serde(&findings),
            texts => Serde(&texts),
            open => open,
            gone => gone,
            show_gone => show_gone,
            contents => contents.len(),
            facts => guideline.facts.len(),
            guideline => Serde(&guideline),
            statuses => Serde(FindingStatus::ALL.map(FindingStatus::as_str)),
        },
    ))
}

async fn run(State(state): State<AppState>, page: Page) -> PageResult {
    let actor = page.caller.actor();
    analysis::check_weaknesses(state.store.as_ref(), &actor, Timestamp::now()).await?;
    Ok(Redirect::to("/consistency").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusForm {
    status: String,
}

async fn set_status(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    axum::Form(form): axum::Form<StatusForm>,
) -> PageResult {
    let Some(status) = FindingStatus::parse(&form.status) else {
        let problems = Problems::single(
            "status",
            Problem::Unknown {
                value: form.status.clone(),
                allowed: FindingStatus::ALL.map(|s| s.as_str().to_owned()).to_vec(),
            },
        );
        return Err(problems.into());
    };
    state
        .store
        .set_finding_status(id, status, &page.caller.actor())
        .await?;
    Ok(Redirect::to("/consistency").into_response())
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct GuidelineForm {
    document: String,
}

async fn guideline_page(
    state: &AppState,
    page: &Page,
    guideline: &Guideline,
    document: &str,
    errors: &[String],
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.render_with_status(
        state,
        status,
        "guideline.html",
        minijinja::context! {
            section => "consistency",
            guideline => Serde(guideline),
            document => document,
            errors => Serde(errors),
        },
    )
}

async fn guideline(State(state): State<AppState>, page: Page) -> PageResult {
    let g = state.store.guideline().await?;
    Ok(guideline_page(&state, &page, &g, &g.to_yaml(), &[]).await)
}

/// Saves the guideline as edited in YAML (JSON is YAML too); every problem is shown above
/// the editor, with the text as entered, and nothing is saved.
async fn put_guideline(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<GuidelineForm>,
) -> PageResult {
    let current = state.store.guideline().await?;
    let parsed = Guideline::from_yaml(&form.document).map_err(|problems| {
        problems
            .0
            .iter()
            .map(|p| {
                format!(
                    "{}: {}",
                    p.field,
                    state.messages.problem(page.lang, &p.problem)
                )
            })
            .collect::<Vec<String>>()
    });
    match parsed {
        Ok(g) => {
            state.store.put_guideline(&g, &page.caller.actor()).await?;
            Ok(Redirect::to("/guideline").into_response())
        }
        Err(errors) => Ok(guideline_page(&state, &page, &current, &form.document, &errors).await),
    }
}

async fn contents(State(state): State<AppState>, page: Page) -> PageResult {
    let contents = state.store.contents().await?;
    let catalog = state.store.catalog().await?;
    Ok(page.render(
        &state,
        "contents.html",
        minijinja::context! {
            section => "consistency",
            contents => Serde(&contents),
            catalog => Serde(&catalog),
        },
    ))
}

/// The content form as the browser sends it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct ContentForm {
    title: String,
    channel: String,
    touchpoint_id: String,
    url: String,
    language: String,
    body: String,
    valid_from: String,
    valid_until: String,
}

/// A date field of a form: empty is none, anything else must be `YYYY-MM-DD`.
fn form_date(problems: &mut Problems, field: &str, text: &str) -> Option<jiff::civil::Date> {
    optional(problems, field, text, "not-a-date", |_| {
        "not a date (YYYY-MM-DD)".into()
    })
}

impl ContentForm {
    fn from_fields(f: &ContentFields) -> Self {
        ContentForm {
            title: f.title.clone(),
            channel: f.channel.clone().unwrap_or_default(),
            touchpoint_id: f.touchpoint_id.map(|t| t.to_string()).unwrap_or_default(),
            url: f.url.clone(),
            language: f.language.clone(),
            body: f.body.clone(),
            valid_from: f.valid_from.map(|d| d.to_string()).unwrap_or_default(),
            valid_until: f.valid_until.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    fn validate(&self) -> Result<ContentFields, Problems> {
        let mut problems = Problems::default();
        let touchpoint_id = optional(
            &mut problems,
            "touchpoint_id",
            &self.touchpoint_id,
            "unknown-touchpoint",
            |_| "not a touchpoint".into(),
        );
        let valid_from = form_date(&mut problems, "valid_from", &self.valid_from);
        let valid_until = form_date(&mut problems, "valid_until", &self.valid_until);
        let fields = ContentFields {
            title: self.title.clone(),
            channel: Some(self.channel.clone()),
            touchpoint_id,
            url: self.url.clone(),
            language: self.language.clone(),
            body: self.body.clone(),
            valid_from,
            valid_until,
        };
        match fields.validate() {
            Ok(valid) if problems.is_empty() => Ok(valid),
            Ok(_) => Err(problems),
            Err(more) => {
                problems.0.extend(more.0);
                Err(problems)
            }
        }
    }
}

async fn content_form(
    state: &AppState,
    page: &Page,
    form: &ContentForm,
    id: Option<i64>,
    problems: &[touchpoints_core::FieldProblem],
) -> PageResult {
    let catalog = state.store.catalog().await?;
    let touchpoints = state
        .store
        .list_touchpoints(&touchpoints_core::TouchpointFilter::default())
        .await?;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let touchpoints: Vec<(String, String)> = touchpoints
        .iter()
        .map(|t| (t.id.to_string(), t.fields.name.clone()))
        .collect();
    Ok(page.render_with_status(
        state,
        status,
        "content_form.html",
        minijinja::context! {
            section => "consistency",
            form => Serde(form),
            id => id,
            catalog => Serde(&catalog),
            touchpoints => Serde(&touchpoints),
            errors => Serde(page.field_errors(state, problems)),
        },
    ))
}

async fn new_content(State(state): State<AppState>, page: Page) -> PageResult {
    content_form(&state, &page, &ContentForm::default(), None, &[]).await
}

async fn show_content(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    let c = state.store.content(id).await?;
    let form = ContentForm::from_fields(&c.fields);
    content_form(&state, &page, &form, Some(id), &[]).await
}

async fn save_content(
    state: AppState,
    page: Page,
    id: Option<i64>,
    form: ContentForm,
) -> PageResult {
    let fields = match form.validate() {
        Ok(fields) => fields,
        Err(problems) => return content_form(&state, &page, &form, id, &problems.0).await,
    };
    match state
        .store
        .put_content(id, &fields, &page.caller.actor())
        .await
    {
        Ok(_) => Ok(Redirect::to("/content").into_response()),
        Err(e) => {
            let problems = form_problems(e)?;
            content_form(&state, &page, &form, id, &problems.0).await
        }
    }
}

async fn create_content(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<ContentForm>,
) -> PageResult {
    save_content(state, page, None, form).await
}

async fn update_content(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    axum::Form(form): axum::Form<ContentForm>,
) -> PageResult {
    save_content(state, page, Some(id), form).await
}

async fn delete_content(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    state.store.delete_content(id, &page.caller.actor()).await?;
    Ok(Redirect::to("/content").into_response())
}
