//! The webhooks page for admins: subscriptions to add, pause, resume and remove, the secret
//! shown once after adding, a test event, and each subscription's newest deliveries.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::webhooks;
use touchpoints_core::FieldProblem;
use touchpoints_core::webhook::{EventKind, SubscriptionInput};

use super::{Page, PageResult, form_problems};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/webhooks", get(show).post(create))
        .route("/admin/webhooks/{id}/active", post(set_active))
        .route("/admin/webhooks/{id}/delete", post(delete))
        .route("/admin/webhooks/{id}/test", post(test))
}

/// How many deliveries the page shows per subscription.
const LISTED: u32 = 10;

/// The form to add a subscription, as typed: one checkbox per event, present when ticked.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct SubscriptionForm {
    url: String,
    request_created: Option<String>,
    request_resolved: Option<String>,
    answer_received: Option<String>,
    answer_detractor: Option<String>,
    campaign_sent: Option<String>,
    allow_http: Option<String>,
    allow_private: Option<String>,
}

impl SubscriptionForm {
    fn input(&self) -> SubscriptionInput {
        let ticked = [
            (&self.request_created, EventKind::RequestCreated),
            (&self.request_resolved, EventKind::RequestResolved),
            (&self.answer_received, EventKind::AnswerReceived),
            (&self.answer_detractor, EventKind::AnswerDetractor),
            (&self.campaign_sent, EventKind::CampaignSent),
        ];
        SubscriptionInput {
            url: self.url.clone(),
            events: ticked
                .iter()
                .filter(|(on, _)| on.is_some())
                .map(|(_, kind)| kind.as_str().to_owned())
                .collect(),
            active: true,
            allow_http: self.allow_http.is_some(),
            allow_private: self.allow_private.is_some(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActiveForm {
    active: String,
}

#[derive(Debug, Default)]
struct Shown<'a> {
    form: Option<&'a SubscriptionForm>,
    problems: &'a [FieldProblem],
    /// The new subscription's id and secret, shown this once.
    secret: Option<(i64, String)>,
}

async fn render(state: &AppState, page: &Page, status: StatusCode, shown: Shown<'_>) -> PageResult {
    let mut hooks = Vec::new();
    for hook in state.store.webhooks().await? {
        let deliveries = state.store.deliveries(hook.id, LISTED).await?;
        hooks.push(minijinja::context! {
            hook => Serde(&hook),
            events => hook.fields.events.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            deliveries => Serde(&deliveries),
        });
    }
    let default_form = SubscriptionForm::default();
    Ok(page.render_with_status(
        state,
        status,
        "webhooks.html",
        minijinja::context! {
            section => "admin",
            hooks => hooks,
            form => Serde(shown.form.unwrap_or(&default_form)),
            errors => Serde(page.field_errors(state, shown.problems)),
            secret => shown.secret.as_ref().map(|(_, s)| s.as_str()),
            secret_for => shown.secret.as_ref().map(|(id, _)| *id),
        },
    ))
}

async fn show(State(state): State<AppState>, page: Page) -> PageResult {
    render(&state, &page, StatusCode::OK, Shown::default()).await
}

/// Adds a subscription and shows its secret once; on problems shows the form again as typed.
async fn create(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<SubscriptionForm>,
) -> PageResult {
    match webhooks::create(state.store.as_ref(), &form.input(), &page.caller.actor()).await {
        Ok(created) => {
            let shown = Shown {
                secret: Some((created.subscription.id, created.secret)),
                ..Shown::default()
            };
            render(&state, &page, StatusCode::CREATED, shown).await
        }
        Err(e) => {
            let problems = form_problems(e)?;
            let shown = Shown {
                form: Some(&form),
                problems: &problems.0,
                ..Shown::default()
            };
            render(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, shown).await
        }
    }
}

async fn set_active(
    State(state): State<AppState>,
    page: Page,
    super::Id(id): super::Id,
    axum::Form(form): axum::Form<ActiveForm>,
) -> PageResult {
    let active = form.active == "1";
    webhooks::set_active(state.store.as_ref(), id, active, &page.caller.actor()).await?;
    Ok(Redirect::to("/admin/webhooks").into_response())
}

async fn delete(State(state): State<AppState>, page: Page, super::Id(id): super::Id) -> PageResult {
    state.store.delete_webhook(id, &page.caller.actor()).await?;
    Ok(Redirect::to("/admin/webhooks").into_response())
}

async fn test(State(state): State<AppState>, page: Page, super::Id(id): super::Id) -> PageResult {
    let _ = &page;
    webhooks::test(state.store.as_ref(), id, Timestamp::now()).await?;
    state.webhooks.wake();
    Ok(Redirect::to(&format!("/admin/webhooks#hook-{id}")).into_response())
}
