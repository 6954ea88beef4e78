//! Message templates in the API: reply templates with the customer's data, checked when
//! saved, previewed for a customer, and filled for a reply to a request.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use touchpoints_app::templates::{self, Filled};
use touchpoints_core::message_template::TemplateFields;
use touchpoints_store::StoredTemplate;

use super::extract::{Json, Path};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

type Result<T> = std::result::Result<T, ApiError>;

/// A stored template.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TemplateOut {
    pub id: i64,
    pub name: String,
    /// `de` or `en`.
    pub language: String,
    /// Empty for a reply, which keeps the request's subject.
    pub subject: String,
    pub body: String,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: jiff::Timestamp,
}

impl From<StoredTemplate> for TemplateOut {
    fn from(t: StoredTemplate) -> TemplateOut {
        TemplateOut {
            id: t.id,
            name: t.fields.name,
            language: t.fields.language,
            subject: t.fields.subject,
            body: t.fields.body,
            updated_at: t.updated_at,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/templates", tag = "templates",
    responses((status = 200, description = "Every template, by name, then language", body = [TemplateOut])))]
pub async fn list(State(state): State<AppState>) -> Result<axum::Json<Vec<TemplateOut>>> {
    let templates = state.store.message_templates().await?;
    Ok(axum::Json(
        templates.into_iter().map(TemplateOut::from).collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/templates", tag = "templates",
    request_body = TemplateFields,
    responses(
        (status = 201, description = "Checked, stored and audited", body = TemplateOut),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named; a template's unknown variable, filter or test, or its syntax error, with line and column (code `template`); nothing stored", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(fields): Json<TemplateFields>,
) -> Result<impl IntoResponse> {
    let stored = templates::save(state.store.as_ref(), None, &fields, &caller.actor()).await?;
    Ok((StatusCode::CREATED, axum::Json(TemplateOut::from(stored))))
}

#[utoipa::path(get, path = "/api/v1/templates/{id}", tag = "templates",
    params(("id" = i64, Path, description = "A template")),
    responses(
        (status = 200, description = "The template", body = TemplateOut),
        (status = 404, description = "No such template", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<TemplateOut>> {
    Ok(axum::Json(state.store.message_template(id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/templates/{id}", tag = "templates",
    params(("id" = i64, Path, description = "A template")),
    request_body = TemplateFields,
    responses(
        (status = 200, description = "Checked, stored and audited", body = TemplateOut),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 404, description = "No such template", body = ErrorBody),
        (status = 422, description = "Invalid fields, as for creating one; nothing stored", body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(fields): Json<TemplateFields>,
) -> Result<axum::Json<TemplateOut>> {
    let stored = templates::save(state.store.as_ref(), Some(id), &fields, &caller.actor()).await?;
    Ok(axum::Json(stored.into()))
}

#[utoipa::path(delete, path = "/api/v1/templates/{id}", tag = "templates",
    params(("id" = i64, Path, description = "A template")),
    responses(
        (status = 204, description = "Deleted and audited"),
        (status = 404, description = "No such template", body = ErrorBody),
        (status = 409, description = "Campaigns use it (`template_id`, code `in_use`); nothing deleted", body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    state
        .store
        .delete_message_template(id, &caller.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A template to try out, and on whom.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewInput {
    /// `de` or `en`.
    pub language: String,
    /// A template of at most 200 characters.
    #[serde(default)]
    pub subject: String,
    /// A template of at most 5,000 characters.
    pub body: String,
    /// The customer profile to fill it for; left out, for a customer of whom nothing is
    /// known, so that every fallback shows.
    pub customer_id: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/templates/preview", tag = "templates",
    request_body = PreviewInput,
    responses(
        (status = 200, description = "The template filled for the customer, signed by the caller; nothing stored or sent", body = Filled),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields (`language`, `subject`, `body`: a template's problems with line and column), or no customer with `customer_id`", body = ErrorBody)))]
pub async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<PreviewInput>,
) -> Result<axum::Json<Filled>> {
    let fields = TemplateFields {
        name: String::new(),
        language: input.language,
        subject: input.subject,
        body: input.body,
    };
    let filled = templates::preview(
        state.store.as_ref(),
        &fields,
        input.customer_id,
        &caller.signature(),
    )
    .await?;
    Ok(axum::Json(filled))
}

#[utoipa::path(get, path = "/api/v1/requests/{id}/templates/{template_id}", tag = "queue",
    params(
        ("id" = i64, Path, description = "The request to reply to"),
        ("template_id" = i64, Path, description = "The template")),
    responses(
        (status = 200, description = "The template filled for the request's customer, touchpoint and the caller, to be edited and sent as a reply; nothing stored or sent", body = Filled),
        (status = 404, description = "No such request or template", body = ErrorBody),
        (status = 422, description = "The template cannot be filled for this customer; names `body` or `subject` with line and column", body = ErrorBody)))]
pub async fn for_request(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, template_id)): Path<(i64, i64)>,
) -> Result<axum::Json<Filled>> {
    let request = state.store.request(id).await?;
    let filled = templates::for_request(
        state.store.as_ref(),
        template_id,
        &request,
        &caller.signature(),
    )
    .await?;
    Ok(axum::Json(filled))
}
