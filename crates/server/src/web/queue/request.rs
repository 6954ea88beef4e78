//! A request with its customer and the customer's history across channels, and the agent's
//! steps on it: assign, reply, note, wait, resume, resolve, reopen, change the priority.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use jiff::Timestamp;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::{replies, scoring, steps, templates};
use touchpoints_core::request::{Priority, RequestAction};
use touchpoints_core::{FieldProblem, Problem, Problems, Role};
use touchpoints_store::RequestMessage;

use super::{points, risk};
use crate::AppState;
use crate::web::mail::MailView;
use crate::web::{Id, Page, PageResult, form_problems};

pub(super) async fn request_page(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
) -> PageResult {
    render_request(&state, &page, id, &[], StatusCode::OK, "").await
}

/// The agent types a reply to a chat: the customer's widget shows it for a few seconds.
pub(super) async fn typing(State(state): State<AppState>, Id(id): Id) -> PageResult {
    if state.store.chat_of_request(id).await?.is_some() {
        state.queue_events.send(id, "typing").await;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn render_request(
    state: &AppState,
    page: &Page,
    id: i64,
    problems: &[FieldProblem],
    status: StatusCode,
    draft: &str,
) -> PageResult {
    let now = Timestamp::now();
    let request = state.store.request(id).await?;
    let customer = match request.customer_id {
        Some(c) => Some(state.store.customer(c).await?),
        None => None,
    };
    let history = match &customer {
        Some(c) => state.store.customer_requests(c.id).await?,
        None => Vec::new(),
    };
    let settings = state.store.queue_settings().await?;
    let score = scoring::score(&state.cues, &settings, &request, customer.as_ref(), now);
    let lang = page.lang.code();
    // The guideline's findings on a reply are listed above the form, with the choice to
    // send it anyway; other problems stand at their fields.
    let (findings, problems): (Vec<&FieldProblem>, Vec<&FieldProblem>) = problems.iter().partition(
        |p| matches!(&p.problem, Problem::Rule { rule, .. } if rule == replies::GUIDELINE_RULE),
    );
    let problems: Vec<FieldProblem> = problems.into_iter().cloned().collect();
    // The refused reply checked again, to say each finding in the page's language.
    let findings: Vec<String> = if findings.is_empty() {
        Vec::new()
    } else {
        let guideline = state.store.guideline().await?;
        replies::check(&*state.store, &request, draft, now)
            .await?
            .iter()
            .map(|f| {
                let text = crate::wording::finding(&state.messages, page.lang, f, &guideline);
                match text.fix.as_str() {
                    "" => text.message,
                    fix => format!("{} — {fix}", text.message),
                }
            })
            .collect()
    };
    let mails = state.store.request_mails(id).await?;
    let steps: Vec<StepView> = state
        .store
        .request_messages(id)
        .await?
        .into_iter()
        .map(|step| StepView {
            mail: mails
                .iter()
                .find(|m| m.step_id == Some(step.id))
                .map(MailView::new),
            step,
        })
        .collect();
    let users: Vec<String> = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| !u.disabled && u.role >= Role::Agent)
        .map(|u| u.username)
        .collect();
    let greeting = replies::greeting(state.store.as_ref(), &request).await?;
    // The templates in the request's language first.
    let mut templates: Vec<(i64, String, bool)> = state
        .store
        .message_templates()
        .await?
        .into_iter()
        .map(|t| {
            let own = t.fields.language == request.language;
            (
                t.id,
                format!("{} ({})", t.fields.name, t.fields.language),
                own,
            )
        })
        .collect();
    templates.sort_by_key(|(_, _, own)| !own);
    let templates: Vec<(i64, String)> = templates
        .into_iter()
        .map(|(id, label, _)| (id, label))
        .collect();
    let touchpoint = match request.touchpoint_id {
        Some(tp) => state.store.touchpoint(tp).await.ok().map(|t| t.fields.name),
        None => None,
    };
    let chat = state.store.chat_of_request(id).await?.is_some();
    // The customer of a chat sees that a person has read what they wrote.
    if chat {
        state.queue_events.send(id, "read").await;
    }
    Ok(page.render_with_status(
        state,
        status,
        "request.html",
        minijinja::context! {
            section => "queue",
            r => Serde(&request),
            risk => risk(&settings, &request, now),
            touchpoint => touchpoint,
            score => points(score.total),
            parts => score.parts.iter().map(|p| p.describe(lang)).collect::<Vec<_>>(),
            customer => Serde(&customer),
            history => Serde(&history),
            steps => Serde(&steps),
            users => users,
            priorities => Priority::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            errors => page.field_errors(state, &problems),
            findings => findings,
            greeting => greeting,
            templates => templates,
            draft => draft,
            chat => chat,
        },
    ))
}

/// A step on the request, with the mail it sent when it was a reply by e-mail.
#[derive(Debug, Serialize)]
struct StepView {
    #[serde(flatten)]
    step: RequestMessage,
    mail: Option<MailView>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ActForm {
    action: String,
    to: String,
    body: String,
    priority: String,
    template_id: String,
}

pub(super) async fn act(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    axum::Form(form): axum::Form<ActForm>,
) -> PageResult {
    let me = page.caller.actor();
    if form.action == "greet" {
        // The draft with the greeting in front, to write on: nothing is stored.
        let request = state.store.request(id).await?;
        let greeting = replies::greeting(state.store.as_ref(), &request).await?;
        let body = form.body.trim_start();
        let draft = if body.starts_with(&greeting) {
            body.to_owned()
        } else {
            format!("{greeting},\n\n{body}")
        };
        return render_request(&state, &page, id, &[], StatusCode::OK, &draft).await;
    }
    if form.action == "template" {
        // The template filled for this request, after what the agent wrote so far: nothing
        // is stored.
        let request = state.store.request(id).await?;
        let Ok(template_id) = form.template_id.parse::<i64>() else {
            let problems = Problems::single("template_id", Problem::Required);
            return rerender(&state, &page, id, problems, &form.body).await;
        };
        let agent = page.caller.signature();
        let filled =
            match templates::for_request(state.store.as_ref(), template_id, &request, &agent).await
            {
                Ok(filled) => filled,
                Err(e) => {
                    let problems = form_problems(e)?;
                    return rerender(&state, &page, id, problems, &form.body).await;
                }
            };
        let draft = match form.body.trim() {
            "" => filled.body,
            written => format!("{written}\n\n{}", filled.body),
        };
        return render_request(&state, &page, id, &[], StatusCode::OK, &draft).await;
    }
    let action = match form.action.as_str() {
        "assign_me" => RequestAction::Assign { to: Some(me) },
        "assign" => RequestAction::Assign {
            to: Some(form.to.clone()).filter(|t| !t.is_empty()),
        },
        "reply" | "reply_anyway" => RequestAction::Reply {
            body: form.body.clone(),
        },
        "note" => RequestAction::Note {
            body: form.body.clone(),
        },
        "resolve" => RequestAction::Resolve,
        "wait" => RequestAction::Wait,
        "resume" => RequestAction::Resume,
        "reopen" => RequestAction::Reopen,
        "priority" => match Priority::parse(&form.priority) {
            Some(priority) => RequestAction::SetPriority { priority },
            None => {
                let problems = Problems::single(
                    "priority",
                    Problem::Unknown {
                        value: form.priority.clone(),
                        allowed: Priority::ALL
                            .iter()
                            .map(|p| p.as_str().to_owned())
                            .collect(),
                    },
                );
                return rerender(&state, &page, id, problems, &form.body).await;
            }
        },
        other => {
            let problems = Problems::single(
                "action",
                Problem::Unknown {
                    value: other.to_owned(),
                    allowed: Vec::new(),
                },
            );
            return rerender(&state, &page, id, problems, &form.body).await;
        }
    };
    // "Trotzdem senden" sends a reply despite the guideline's findings.
    let confirmed = form.action == "reply_anyway";
    let taken = steps::act(
        state.store.as_ref(),
        id,
        action,
        confirmed,
        &page.caller.actor(),
        Timestamp::now(),
    )
    .await;
    match taken {
        Ok((_, action)) => {
            state.stepped(id, &action).await;
            Ok(Redirect::to(&format!("/requests/{id}")).into_response())
        }
        Err(e) => {
            let problems = form_problems(e)?;
            rerender(&state, &page, id, problems, &form.body).await
        }
    }
}

async fn rerender(
    state: &AppState,
    page: &Page,
    id: i64,
    problems: Problems,
    draft: &str,
) -> PageResult {
    render_request(
        state,
        page,
        id,
        &problems.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        draft,
    )
    .await
}
