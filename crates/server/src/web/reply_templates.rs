//! Reply templates on pages: the list, the form that checks a template when it is saved
//! (each unknown name at its line and column) and previews it for a customer and for one of
//! whom nothing is known. Agents use them from the request page.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::AppError;
use touchpoints_app::templates::{self, Filled};
use touchpoints_core::customer::{Identifier, IdentifierKind};
use touchpoints_core::message_template::{TemplateFields, VARIABLES};
use touchpoints_core::{FieldProblem, Problem};
use touchpoints_store::{CustomerProfile, StoreError};

use super::{Id, Page, PageResult, form_problems};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/queue/templates", get(list).post(create))
        .route("/queue/templates/new", get(new))
        .route("/queue/templates/preview", post(preview))
        .route("/queue/templates/{id}", get(show).post(update))
        .route("/queue/templates/{id}/delete", post(delete))
}

async fn list(State(state): State<AppState>, page: Page) -> PageResult {
    let templates = state.store.message_templates().await?;
    Ok(page.render(
        &state,
        "reply_templates.html",
        minijinja::context! {
            section => "queue",
            templates => Serde(&templates),
        },
    ))
}

/// The form as the browser sends it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct TemplateForm {
    /// The template's id when an existing one is previewed.
    id: String,
    name: String,
    language: String,
    subject: String,
    body: String,
    /// Whom to preview it for: `#` and a profile's number, an e-mail address, phone or
    /// customer number, or a name.
    customer: String,
}

impl TemplateForm {
    fn fields(&self) -> TemplateFields {
        TemplateFields {
            name: self.name.clone(),
            language: self.language.clone(),
            subject: self.subject.clone(),
            body: self.body.clone(),
        }
    }
}

/// A preview: for whom, and the text.
#[derive(Debug, Serialize)]
struct Preview {
    /// The customer's name; empty for the one of whom nothing is known.
    customer: String,
    filled: Filled,
}

async fn form_page(
    state: &AppState,
    page: &Page,
    form: &TemplateForm,
    id: Option<i64>,
    problems: &[FieldProblem],
    previews: &[Preview],
) -> PageResult {
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(page.render_with_status(
        state,
        status,
        "reply_template_form.html",
        minijinja::context! {
            section => "queue",
            form => Serde(form),
            id => id,
            variables => VARIABLES,
            previews => Serde(previews),
            errors => Serde(page.field_errors(state, problems)),
        },
    ))
}

async fn new(State(state): State<AppState>, page: Page) -> PageResult {
    let form = TemplateForm {
        language: page.lang.code().to_owned(),
        body: "{{ greeting }},\n\n\n\n{{ agent }}".into(),
        ..TemplateForm::default()
    };
    form_page(&state, &page, &form, None, &[], &[]).await
}

async fn show(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    let stored = state.store.message_template(id).await?;
    let form = TemplateForm {
        id: id.to_string(),
        name: stored.fields.name,
        language: stored.fields.language,
        subject: stored.fields.subject,
        body: stored.fields.body,
        customer: String::new(),
    };
    form_page(&state, &page, &form, Some(id), &[], &[]).await
}

async fn save(state: AppState, page: Page, id: Option<i64>, form: TemplateForm) -> PageResult {
    match templates::save(
        state.store.as_ref(),
        id,
        &form.fields(),
        &page.caller.actor(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/queue/templates").into_response()),
        Err(e) => {
            let problems = form_problems(e)?;
            form_page(&state, &page, &form, id, &problems.0, &[]).await
        }
    }
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<TemplateForm>,
) -> PageResult {
    save(state, page, None, form).await
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    axum::Form(form): axum::Form<TemplateForm>,
) -> PageResult {
    save(state, page, Some(id), form).await
}

async fn delete(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    state
        .store
        .delete_message_template(id, &page.caller.actor())
        .await?;
    Ok(Redirect::to("/queue/templates").into_response())
}

/// The form again with the template filled for the customer named (if any) and for one of
/// whom nothing is known; nothing is stored.
async fn preview(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<TemplateForm>,
) -> PageResult {
    let id = form.id.trim().parse::<i64>().ok();
    let agent = page.caller.signature();
    let customer = match find_customer(&state, form.customer.trim()).await? {
        Ok(customer) => customer,
        Err(problem) => {
            let problem = FieldProblem::new("customer", problem);
            return form_page(&state, &page, &form, id, &[problem], &[]).await;
        }
    };
    let fields = form.fields();
    let mut previews = Vec::new();
    for found in customer.into_iter().map(Some).chain([None]) {
        let customer_id = found.as_ref().map(|c| c.id);
        let filled =
            match templates::preview(state.store.as_ref(), &fields, customer_id, &agent).await {
                Ok(filled) => filled,
                Err(e) => {
                    let mut problems = form_problems(e)?;
                    for p in &mut problems.0 {
                        if p.field == "customer_id" {
                            p.field = "customer".into();
                        }
                    }
                    return form_page(&state, &page, &form, id, &problems.0, &[]).await;
                }
            };
        let name = found.map(|c| c.fields.name).unwrap_or_default();
        previews.push(Preview {
            customer: name,
            filled,
        });
    }
    form_page(&state, &page, &form, id, &[], &previews).await
}

/// The customer a preview is for: none for an empty field; `#12` by the profile's number; else
/// the one profile with the e-mail address, phone number or customer number as written (in
/// any usual spelling), or else the one whose name or identifier contains the text. More than
/// one match, or none, is the field's problem.
async fn find_customer(
    state: &AppState,
    wanted: &str,
) -> Result<Result<Option<CustomerProfile>, Problem>, AppError> {
    if wanted.is_empty() {
        return Ok(Ok(None));
    }
    if let Some(id) = wanted
        .strip_prefix('#')
        .and_then(|n| n.trim().parse::<i64>().ok())
    {
        return Ok(match state.store.customer(id).await {
            Ok(found) => Ok(Some(found)),
            Err(StoreError::NotFound { .. }) => Err(unknown(wanted)),
            Err(e) => return Err(e.into()),
        });
    }
    for kind in [
        IdentifierKind::Email,
        IdentifierKind::Phone,
        IdentifierKind::CustomerNumber,
    ] {
        if let Ok(identifier) = Identifier::parse(kind, wanted)
            && let Some(found) = state.store.find_customer(&identifier).await?
        {
            return Ok(Ok(Some(found)));
        }
    }
    let mut found = state.store.customers(wanted, 2).await?;
    Ok(match found.len() {
        1 => Ok(found.pop()),
        0 => Err(unknown(wanted)),
        _ => Err(Problem::rule(
            "customer-ambiguous",
            "more than one customer matches; give an e-mail address, a number or #id",
        )),
    })
}

fn unknown(wanted: &str) -> Problem {
    Problem::Unknown {
        value: wanted.to_owned(),
        allowed: Vec::new(),
    }
}
