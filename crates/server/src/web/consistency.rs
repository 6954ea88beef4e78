//! Consistency pages: the communication guideline, the content library the checker reads,
//! and the findings it documents as weaknesses with their status.

use axum::Router;
use axum::extract::{Path, State};
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
use touchpoints_store::StoreError;

use super::{Page, form_problems, optional};
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

const NOT_FOUND: StoreError = StoreError::NotFound { entity: "content" };

async fn findings(State(state): State<AppState>, page: Page) -> Response {
    let result = async {
        Ok::<_, StoreError>((
            state.store.findings().await?,
            state.store.contents().await?,
            state.store.guideline().await?,
        ))
    }
    .await;
    match result {
        Ok((findings, contents, guideline)) => {
            let open = findings
                .iter()
                .filter(|f| f.current && f.status == FindingStatus::Open)
                .count();
            page.render(
                &state,
                "consistency.html",
                minijinja::context! {
                    section => "consistency",
                    findings => Serde(&findings),
                    open => open,
                    contents => contents.len(),
                    facts => guideline.facts.len(),
                    guideline => Serde(&guideline),
                    statuses => Serde(FindingStatus::ALL.map(FindingStatus::as_str)),
                },
            )
        }
        Err(e) => page.error(&state, e),
    }
}

async fn run(State(state): State<AppState>, page: Page) -> Response {
    let actor = page.caller.actor();
    match analysis::check_weaknesses(state.store.as_ref(), &actor, Timestamp::now()).await {
        Ok(_) => Redirect::to("/consistency").into_response(),
        Err(e) => page.error(&state, e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusForm {
    status: String,
}

async fn set_status(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<StatusForm>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return page.error(&state, StoreError::NotFound { entity: "finding" });
    };
    let Some(status) = FindingStatus::parse(&form.status) else {
        let problems = Problems::single(
            "status",
            Problem::Unknown {
                value: form.status.clone(),
                allowed: FindingStatus::ALL.map(|s| s.as_str().to_owned()).to_vec(),
            },
        );
        return page.error(&state, StoreError::Invalid(problems));
    };
    match state
        .store
        .set_finding_status(id, status, &page.caller.actor())
        .await
    {
        Ok(_) => Redirect::to("/consistency").into_response(),
        Err(e) => page.error(&state, e),
    }
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

async fn guideline(State(state): State<AppState>, page: Page) -> Response {
    match state.store.guideline().await {
        Ok(g) => guideline_page(&state, &page, &g, &g.to_yaml(), &[]).await,
        Err(e) => page.error(&state, e),
    }
}

/// Saves the guideline as edited in YAML (JSON is YAML too); every problem is shown above
/// the editor, with the text as entered, and nothing is saved.
async fn put_guideline(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<GuidelineForm>,
) -> Response {
    let current = match state.store.guideline().await {
        Ok(g) => g,
        Err(e) => return page.error(&state, e),
    };
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
        Ok(g) => match state.store.put_guideline(&g, &page.caller.actor()).await {
            Ok(()) => Redirect::to("/guideline").into_response(),
            Err(e) => page.error(&state, e),
        },
        Err(errors) => guideline_page(&state, &page, &current, &form.document, &errors).await,
    }
}

async fn contents(State(state): State<AppState>, page: Page) -> Response {
    let result = async {
        Ok::<_, StoreError>((state.store.contents().await?, state.store.catalog().await?))
    }
    .await;
    match result {
        Ok((contents, catalog)) => page.render(
            &state,
            "contents.html",
            minijinja::context! {
                section => "consistency",
                contents => Serde(&contents),
                catalog => Serde(&catalog),
            },
        ),
        Err(e) => page.error(&state, e),
    }
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
    optional(problems, field, text, |_| "not a date (YYYY-MM-DD)".into())
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
        let touchpoint_id = optional(&mut problems, "touchpoint_id", &self.touchpoint_id, |_| {
            "not a touchpoint".into()
        });
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
) -> Response {
    let result = async {
        Ok::<_, StoreError>((
            state.store.catalog().await?,
            state
                .store
                .list_touchpoints(&touchpoints_core::TouchpointFilter::default())
                .await?,
        ))
    }
    .await;
    let (catalog, touchpoints) = match result {
        Ok(r) => r,
        Err(e) => return page.error(state, e),
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let touchpoints: Vec<(String, String)> = touchpoints
        .iter()
        .map(|t| (t.id.to_string(), t.fields.name.clone()))
        .collect();
    page.render_with_status(
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
    )
}

async fn new_content(State(state): State<AppState>, page: Page) -> Response {
    content_form(&state, &page, &ContentForm::default(), None, &[]).await
}

async fn show_content(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return page.error(&state, NOT_FOUND);
    };
    match state.store.content(id).await {
        Ok(c) => {
            content_form(
                &state,
                &page,
                &ContentForm::from_fields(&c.fields),
                Some(id),
                &[],
            )
            .await
        }
        Err(e) => page.error(&state, e),
    }
}

async fn save_content(state: AppState, page: Page, id: Option<i64>, form: ContentForm) -> Response {
    let fields = match form.validate() {
        Ok(fields) => fields,
        Err(problems) => return content_form(&state, &page, &form, id, &problems.0).await,
    };
    match state
        .store
        .put_content(id, &fields, &page.caller.actor())
        .await
    {
        Ok(_) => Redirect::to("/content").into_response(),
        Err(e) => match form_problems(e) {
            Ok(problems) => content_form(&state, &page, &form, id, &problems.0).await,
            Err(e) => page.error(&state, e),
        },
    }
}

async fn create_content(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<ContentForm>,
) -> Response {
    save_content(state, page, None, form).await
}

async fn update_content(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<ContentForm>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return page.error(&state, NOT_FOUND);
    };
    save_content(state, page, Some(id), form).await
}

async fn delete_content(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return page.error(&state, NOT_FOUND);
    };
    match state.store.delete_content(id, &page.caller.actor()).await {
        Ok(()) => Redirect::to("/content").into_response(),
        Err(e) => page.error(&state, e),
    }
}
