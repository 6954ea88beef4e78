//! The agents' pages: the queue (mine, team, all; at risk and breached), a request with its
//! customer and the customer's history across channels, the agent's steps on it, a customer
//! profile with its merges, the manager's response-time statistics, and the queue's rules.
//! The queue follows changes live through Server-Sent Events when scripts run.

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use futures::stream::Stream;
use jiff::{SignedDuration, Timestamp};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::AppError;
use touchpoints_core::priority::Weights;
use touchpoints_core::queue::{self, QueueOptions, Risk, SlaPolicy};
use touchpoints_core::request::{Priority, RequestAction, RequestStatus};
use touchpoints_core::sla::{CalendarInput, WeekHoursInput};
use touchpoints_core::{FieldProblem, Problem, Problems, Role, TouchpointFilter};
use touchpoints_store::{QueueFilter, QueueView, StoredRequest};

use super::{Id, Page, PageResult, form_problems};
use crate::AppState;
use touchpoints_app::scoring;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/queue", get(queue_page))
        .route("/queue/events", get(events))
        .route("/queue/stats", get(stats_page))
        .route("/queue/rules", get(rules_page))
        .route("/queue/rules/policies", post(put_policy))
        .route("/queue/rules/policies/delete", post(delete_policy))
        .route("/queue/rules/weights", post(put_weights))
        .route("/queue/rules/calendar", post(put_calendar))
        .route("/queue/rules/options", post(put_options))
        .route("/requests/{id}", get(request_page))
        .route("/requests/{id}/act", post(act))
        .route("/customers/{id}", get(customer_page))
        .route("/customer-merges/{id}/undo", post(unmerge))
}

/// A request as a row of the queue: with its score and breakdown in the page's language.
#[derive(Serialize)]
struct Row {
    request: StoredRequest,
    customer: String,
    touchpoint: String,
    score: String,
    parts: Vec<String>,
    /// `breached`, `at-risk` or empty.
    risk: &'static str,
}

/// The row's risk class for the page: empty when on track.
fn risk(r: &StoredRequest, now: Timestamp, window: SignedDuration) -> &'static str {
    match queue::risk(r.status, r.next_due, now, window) {
        Risk::OnTrack => "",
        other => other.as_str(),
    }
}

fn points(total: f64) -> String {
    format!("{total:.0}")
}

async fn rows(
    state: &AppState,
    page: &Page,
    requests: Vec<StoredRequest>,
    now: Timestamp,
) -> Result<Vec<Row>, AppError> {
    let settings = state.store.queue_settings().await?;
    let customers = scoring::customers_of(state.store.as_ref(), &requests).await?;
    let touchpoints: HashMap<i64, String> = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?
        .into_iter()
        .map(|t| (t.id, t.fields.name))
        .collect();
    let window = SignedDuration::from_mins(settings.options.at_risk_minutes);
    let lang = page.lang.code();
    Ok(requests
        .into_iter()
        .map(|r| {
            let customer = r.customer_id.and_then(|id| customers.get(&id));
            let score = scoring::score(&state.cues, &settings, &r, customer, now);
            let name = customer
                .map(|c| c.fields.name.clone())
                .filter(|n| !n.is_empty())
                .or_else(|| (!r.customer_name.is_empty()).then(|| r.customer_name.clone()))
                .or_else(|| customer.and_then(|c| c.identifiers.first().map(|i| i.value.clone())))
                .unwrap_or_default();
            Row {
                customer: name,
                touchpoint: r
                    .touchpoint_id
                    .and_then(|id| touchpoints.get(&id).cloned())
                    .unwrap_or_default(),
                score: points(score.total),
                parts: score.parts.iter().map(|p| p.describe(lang)).collect(),
                risk: risk(&r, now, window),
                request: r,
            }
        })
        .collect())
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct QueueParams {
    /// `mine`, `team`, `all`, `at-risk`, `breached`.
    view: String,
    channel: String,
    touchpoint_id: String,
    status: String,
}

async fn queue_page(
    State(state): State<AppState>,
    page: Page,
    Query(params): Query<QueueParams>,
) -> PageResult {
    let me = page.caller.actor();
    let now = Timestamp::now();
    let settings = state.store.queue_settings().await?;
    let window = SignedDuration::from_mins(settings.options.at_risk_minutes);
    let view = match params.view.as_str() {
        "mine" | "team" | "at-risk" | "breached" => params.view.as_str(),
        _ => "all",
    };
    let filter = QueueFilter {
        view: match view {
            "mine" => QueueView::Mine(me.clone()),
            "team" => QueueView::Team,
            _ => QueueView::All,
        },
        channel: Some(params.channel.clone()).filter(|c| !c.is_empty()),
        touchpoint_id: params.touchpoint_id.parse().ok(),
        status: RequestStatus::parse(&params.status),
        due_before: match view {
            "at-risk" => now.checked_add(window).ok(),
            "breached" => Some(now),
            _ => None,
        },
        // At risk: due within the window and not yet overdue.
        due_from: (view == "at-risk").then_some(now),
        limit: 200,
    };
    let requests = state.store.queue(&filter).await?;
    let rows = rows(&state, &page, requests, now).await?;
    let (mine, team, all) = state.store.queue_counts(&me).await?;
    let catalog = state.store.catalog().await?;
    let touchpoints = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?;
    let channels: Vec<(String, String)> = catalog
        .channels_in_order()
        .iter()
        .map(|c| {
            let label = match page.lang {
                crate::Lang::De => c.label_de.clone(),
                crate::Lang::En => c.label_en.clone(),
            };
            (c.key.clone(), label)
        })
        .collect();
    let touchpoint_options: Vec<(String, String)> = touchpoints
        .iter()
        .map(|t| (t.id.to_string(), t.fields.name.clone()))
        .collect();
    Ok(page.render(
        &state,
        "queue.html",
        minijinja::context! {
            section => "queue",
            view => view,
            params => Serde(params),
            rows => Serde(rows),
            counts => minijinja::context! { mine => mine, team => team, all => all },
            channels => channels,
            touchpoints => touchpoint_options,
            statuses => RequestStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            at_risk_minutes => settings.options.at_risk_minutes,
        },
    ))
}

/// The queue's changes as Server-Sent Events: one `queue` event per change, so the page's
/// script reloads the list. A listener that falls behind gets a `queue` event too.
async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.queue_events.subscribe();
    let stream = futures::stream::unfold(receiver, |mut receiver| async move {
        use tokio::sync::broadcast::error::RecvError;
        let data = match receiver.recv().await {
            Ok(event) => serde_json::to_string(&event).unwrap_or_default(),
            Err(RecvError::Lagged(_)) => "{}".to_owned(),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok(Event::default().event("queue").data(data)), receiver))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
}

async fn request_page(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    render_request(&state, &page, id, &[], StatusCode::OK, "").await
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
    let steps = state.store.request_messages(id).await?;
    let users: Vec<String> = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| !u.disabled && u.role >= Role::Agent)
        .map(|u| u.username)
        .collect();
    let touchpoint = match request.touchpoint_id {
        Some(tp) => state.store.touchpoint(tp).await.ok().map(|t| t.fields.name),
        None => None,
    };
    let window = SignedDuration::from_mins(settings.options.at_risk_minutes);
    Ok(page.render_with_status(
        state,
        status,
        "request.html",
        minijinja::context! {
            section => "queue",
            r => Serde(&request),
            risk => risk(&request, now, window),
            touchpoint => touchpoint,
            score => points(score.total),
            parts => score.parts.iter().map(|p| p.describe(lang)).collect::<Vec<_>>(),
            customer => Serde(&customer),
            history => Serde(&history),
            steps => Serde(&steps),
            users => users,
            priorities => Priority::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            errors => page.field_errors(state, problems),
            draft => draft,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActForm {
    action: String,
    to: String,
    body: String,
    priority: String,
}

async fn act(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    axum::Form(form): axum::Form<ActForm>,
) -> PageResult {
    let me = page.caller.actor();
    let action = match form.action.as_str() {
        "assign_me" => RequestAction::Assign { to: Some(me) },
        "assign" => RequestAction::Assign {
            to: Some(form.to.clone()).filter(|t| !t.is_empty()),
        },
        "reply" => RequestAction::Reply {
            body: form.body.clone(),
        },
        "note" => RequestAction::Note {
            body: form.body.clone(),
        },
        "wait" => RequestAction::Wait,
        "resume" => RequestAction::Resume,
        "resolve" => RequestAction::Resolve,
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
    let action = match action.validate() {
        Ok(action) => action,
        Err(problems) => return rerender(&state, &page, id, problems, &form.body).await,
    };
    match state.store.act(id, &action, &page.caller.actor()).await {
        Ok(_) => {
            state.queue_events.send(id, action.name());
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

async fn customer_page(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    let customer = state.store.customer(id).await?;
    let history = state.store.customer_requests(id).await?;
    let merges = state.store.merges(id).await?;
    Ok(page.render(
        &state,
        "customer.html",
        minijinja::context! {
            section => "queue",
            customer => Serde(&customer),
            history => Serde(&history),
            merges => Serde(&merges),
        },
    ))
}

async fn unmerge(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    let record = state.store.unmerge(id, &page.caller.actor()).await?;
    state.queue_events.send(0, "customer");
    Ok(Redirect::to(&format!("/customers/{}", record.survivor_id)).into_response())
}

// --- statistics -------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatsParams {
    days: String,
}

async fn stats_page(
    State(state): State<AppState>,
    page: Page,
    Query(params): Query<StatsParams>,
) -> PageResult {
    let days = params
        .days
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=366).contains(d))
        .unwrap_or(30);
    let stats =
        touchpoints_app::queue_stats::stats(state.store.as_ref(), days, Timestamp::now()).await?;
    let touchpoints: HashMap<i64, String> = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?
        .into_iter()
        .map(|t| (t.id, t.fields.name))
        .collect();
    let catalog = state.store.catalog().await?;
    let channel_label = |key: &str| {
        catalog
            .channel(key)
            .map(|c| match page.lang {
                crate::Lang::De => c.label_de.clone(),
                crate::Lang::En => c.label_en.clone(),
            })
            .unwrap_or_else(|| key.to_owned())
    };
    let by_channel: Vec<(String, _)> = stats
        .by_channel
        .iter()
        .map(|(k, s)| (channel_label(k), summary(s)))
        .collect();
    let by_touchpoint: Vec<(String, _)> = stats
        .by_touchpoint
        .iter()
        .map(|(id, s)| {
            (
                touchpoints.get(id).cloned().unwrap_or_else(|| "–".into()),
                summary(s),
            )
        })
        .collect();
    Ok(page.render(
        &state,
        "queue_stats.html",
        minijinja::context! {
            section => "queue",
            days => days,
            overall => summary(&stats.overall),
            by_channel => by_channel,
            by_touchpoint => by_touchpoint,
        },
    ))
}

/// A summary's figures as the page shows them.
fn summary(s: &touchpoints_core::queue_stats::Summary) -> minijinja::Value {
    let minutes = |m: Option<f64>| m.map_or_else(|| "–".to_owned(), |m| format!("{m:.0}"));
    let share =
        |p: Option<f64>| p.map_or_else(|| "–".to_owned(), |p| format!("{:.0} %", p * 100.0));
    minijinja::context! {
        requests => s.requests,
        responded => s.responded,
        median => minutes(s.median_minutes),
        p90 => minutes(s.p90_minutes),
        first_response => share(s.first_response_compliance),
        resolution => share(s.resolution_compliance),
        breached => s.breached,
    }
}

// --- rules: SLA policies, weights, calendar, options ---------------------------------------

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct PolicyForm {
    channel: String,
    priority: String,
    first_response_minutes: String,
    resolution_minutes: String,
    around_the_clock: Option<String>,
}

/// The calendar form; its fields are named `calendar_…` in the page, as other forms share it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct CalendarForm {
    #[serde(alias = "calendar_time_zone")]
    time_zone: String,
    #[serde(alias = "calendar_monday")]
    monday: String,
    #[serde(alias = "calendar_tuesday")]
    tuesday: String,
    #[serde(alias = "calendar_wednesday")]
    wednesday: String,
    #[serde(alias = "calendar_thursday")]
    thursday: String,
    #[serde(alias = "calendar_friday")]
    friday: String,
    #[serde(alias = "calendar_saturday")]
    saturday: String,
    #[serde(alias = "calendar_sunday")]
    sunday: String,
    #[serde(alias = "calendar_public_holidays")]
    public_holidays: String,
    #[serde(alias = "calendar_custom_holidays")]
    custom_holidays: String,
}

impl CalendarForm {
    fn input(&self) -> CalendarInput {
        CalendarInput {
            time_zone: self.time_zone.trim().to_owned(),
            hours: WeekHoursInput {
                monday: self.monday.clone(),
                tuesday: self.tuesday.clone(),
                wednesday: self.wednesday.clone(),
                thursday: self.thursday.clone(),
                friday: self.friday.clone(),
                saturday: self.saturday.clone(),
                sunday: self.sunday.clone(),
            },
            public_holidays: Some(self.public_holidays.trim().to_owned()).filter(|s| !s.is_empty()),
            custom_holidays: super::split_labels(&self.custom_holidays),
        }
    }

    fn from_input(input: &CalendarInput) -> CalendarForm {
        CalendarForm {
            time_zone: input.time_zone.clone(),
            monday: input.hours.monday.clone(),
            tuesday: input.hours.tuesday.clone(),
            wednesday: input.hours.wednesday.clone(),
            thursday: input.hours.thursday.clone(),
            friday: input.hours.friday.clone(),
            saturday: input.hours.saturday.clone(),
            sunday: input.hours.sunday.clone(),
            public_holidays: input.public_holidays.clone().unwrap_or_default(),
            custom_holidays: input.custom_holidays.join(", "),
        }
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct RuleForms {
    policy: PolicyForm,
    weights: String,
    calendar: CalendarForm,
    at_risk_minutes: String,
}

async fn rules_page(State(state): State<AppState>, page: Page) -> PageResult {
    render_rules(&state, &page, None, &[], StatusCode::OK).await
}

async fn render_rules(
    state: &AppState,
    page: &Page,
    forms: Option<RuleForms>,
    problems: &[FieldProblem],
    status: StatusCode,
) -> PageResult {
    let settings = state.store.queue_settings().await?;
    let policies = state.store.sla_policies().await?;
    let catalog = state.store.catalog().await?;
    let forms = forms.unwrap_or_else(|| RuleForms {
        policy: PolicyForm {
            priority: "normal".into(),
            ..PolicyForm::default()
        },
        weights: serde_json::to_string_pretty(&settings.weights).unwrap_or_default(),
        calendar: CalendarForm::from_input(&CalendarInput::from(&settings.calendar)),
        at_risk_minutes: settings.options.at_risk_minutes.to_string(),
    });
    let channels: Vec<(String, String)> = catalog
        .channels_in_order()
        .iter()
        .map(|c| {
            let label = match page.lang {
                crate::Lang::De => c.label_de.clone(),
                crate::Lang::En => c.label_en.clone(),
            };
            (c.key.clone(), label)
        })
        .collect();
    Ok(page.render_with_status(
        state,
        status,
        "queue_rules.html",
        minijinja::context! {
            section => "queue",
            policies => Serde(&policies),
            channels => channels,
            priorities => Priority::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            form => Serde(&forms),
            errors => page.field_errors(state, problems),
            can_admin => page.caller.role() == Some(Role::Admin),
        },
    ))
}

async fn rules_problems(
    state: &AppState,
    page: &Page,
    forms: RuleForms,
    problems: Problems,
) -> PageResult {
    render_rules(
        state,
        page,
        Some(forms),
        &problems.0,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn put_policy(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<PolicyForm>,
) -> PageResult {
    let mut problems = Problems::default();
    let number = |problems: &mut Problems, field: &str, text: &str| {
        super::optional::<i64>(problems, field, text, |t| {
            format!("\"{t}\" is not a number of minutes")
        })
        .unwrap_or_else(|| {
            if text.trim().is_empty() {
                problems.push(field, Problem::Required);
            }
            0
        })
    };
    let first = number(
        &mut problems,
        "first_response_minutes",
        &form.first_response_minutes,
    );
    let resolution = number(
        &mut problems,
        "resolution_minutes",
        &form.resolution_minutes,
    );
    let priority = Priority::parse(&form.priority).unwrap_or_else(|| {
        problems.push(
            "priority",
            Problem::Unknown {
                value: form.priority.clone(),
                allowed: Priority::ALL
                    .iter()
                    .map(|p| p.as_str().to_owned())
                    .collect(),
            },
        );
        Priority::Normal
    });
    let catalog = state.store.catalog().await?;
    let policy = SlaPolicy {
        channel: form.channel.clone(),
        priority,
        first_response_minutes: first,
        resolution_minutes: resolution,
        around_the_clock: form.around_the_clock.is_some(),
    };
    let policy = match (problems.is_empty(), policy.validate(&catalog)) {
        (true, Ok(policy)) => policy,
        (_, Err(more)) => {
            problems.0.extend(more.0);
            return rules_problems(
                &state,
                &page,
                RuleForms {
                    policy: form,
                    ..defaults(&state).await
                },
                problems,
            )
            .await;
        }
        (false, Ok(_)) => {
            return rules_problems(
                &state,
                &page,
                RuleForms {
                    policy: form,
                    ..defaults(&state).await
                },
                problems,
            )
            .await;
        }
    };
    match state
        .store
        .put_sla_policy(&policy, &page.caller.actor())
        .await
    {
        Ok(()) => Ok(rules_changed(&state)),
        Err(e) => {
            let problems = form_problems(e)?;
            rules_problems(
                &state,
                &page,
                RuleForms {
                    policy: form,
                    ..defaults(&state).await
                },
                problems,
            )
            .await
        }
    }
}

/// The forms as stored, for a page that shows one form's problems.
async fn defaults(state: &AppState) -> RuleForms {
    let settings = state.store.queue_settings().await.ok();
    RuleForms {
        policy: PolicyForm::default(),
        weights: settings
            .as_ref()
            .and_then(|s| serde_json::to_string_pretty(&s.weights).ok())
            .unwrap_or_default(),
        calendar: settings
            .as_ref()
            .map(|s| CalendarForm::from_input(&CalendarInput::from(&s.calendar)))
            .unwrap_or_default(),
        at_risk_minutes: settings
            .map(|s| s.options.at_risk_minutes.to_string())
            .unwrap_or_default(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PolicyKey {
    channel: String,
    priority: String,
}

async fn delete_policy(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<PolicyKey>,
) -> PageResult {
    let Some(priority) = Priority::parse(&form.priority) else {
        return Err(AppError::NotFound {
            entity: "SLA policy",
        }
        .into());
    };
    state
        .store
        .delete_sla_policy(&form.channel, priority, &page.caller.actor())
        .await?;
    Ok(rules_changed(&state))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WeightsForm {
    weights: String,
}

async fn put_weights(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<WeightsForm>,
) -> PageResult {
    let weights = match serde_json::from_str::<Weights>(&form.weights) {
        Ok(w) => match w.validate() {
            Ok(()) => w,
            Err(p) => {
                // The weights' own field names belong to the one text area.
                let problems = Problems(
                    p.0.into_iter()
                        .map(|f| {
                            FieldProblem::new(
                                "weights",
                                Problem::Invalid {
                                    reason: format!("{}: {}", f.field, f.message),
                                },
                            )
                        })
                        .collect(),
                );
                return rules_problems(
                    &state,
                    &page,
                    RuleForms {
                        weights: form.weights,
                        ..defaults(&state).await
                    },
                    problems,
                )
                .await;
            }
        },
        Err(e) => {
            let problems = Problems::single(
                "weights",
                Problem::Invalid {
                    reason: e.to_string(),
                },
            );
            return rules_problems(
                &state,
                &page,
                RuleForms {
                    weights: form.weights,
                    ..defaults(&state).await
                },
                problems,
            )
            .await;
        }
    };
    state
        .store
        .put_weights(&weights, &page.caller.actor())
        .await?;
    Ok(rules_changed(&state))
}

async fn put_calendar(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<CalendarForm>,
) -> PageResult {
    let calendar = match form.input().validate() {
        Ok(c) => c,
        Err(problems) => {
            // `hours.monday` is the form field `calendar_monday`.
            let problems = Problems(
                problems
                    .0
                    .into_iter()
                    .map(|p| {
                        let field = p.field.strip_prefix("hours.").unwrap_or(&p.field);
                        FieldProblem::new(format!("calendar_{field}"), p.problem)
                    })
                    .collect(),
            );
            return rules_problems(
                &state,
                &page,
                RuleForms {
                    calendar: form,
                    ..defaults(&state).await
                },
                problems,
            )
            .await;
        }
    };
    state
        .store
        .put_calendar(&calendar, &page.caller.actor())
        .await?;
    Ok(rules_changed(&state))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OptionsForm {
    at_risk_minutes: String,
}

async fn put_options(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<OptionsForm>,
) -> PageResult {
    let mut problems = Problems::default();
    let minutes = super::optional::<i64>(
        &mut problems,
        "at_risk_minutes",
        &form.at_risk_minutes,
        |t| format!("\"{t}\" is not a number of minutes"),
    )
    .unwrap_or(0);
    let options = QueueOptions {
        at_risk_minutes: minutes,
    };
    let options = match (problems.is_empty(), options.validate()) {
        (true, Ok(o)) => o,
        (_, result) => {
            if let Err(more) = result {
                problems.0.extend(more.0);
            }
            return rules_problems(
                &state,
                &page,
                RuleForms {
                    at_risk_minutes: form.at_risk_minutes,
                    ..defaults(&state).await
                },
                problems,
            )
            .await;
        }
    };
    state
        .store
        .put_queue_options(&options, &page.caller.actor())
        .await?;
    Ok(Redirect::to("/queue/rules").into_response())
}

/// After a change of the queue's rules: open queue pages re-read, and the rules page shows
/// the change.
fn rules_changed(state: &AppState) -> Response {
    state.queue_events.send(0, "rules");
    Redirect::to("/queue/rules").into_response()
}
