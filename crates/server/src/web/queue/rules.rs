//! The queue's rules: SLA policies, the priority weights, the business-hours calendar and the
//! options; a change of policies, weights or calendar plans every open request anew.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};

use super::weights::WeightsForm;
use touchpoints_app::AppError;
use touchpoints_core::queue::{QueueOptions, SlaPolicy};
use touchpoints_core::request::Priority;
use touchpoints_core::sla::{CalendarInput, WeekHoursInput};
use touchpoints_core::{FieldProblem, Problem, Problems, Role};

use crate::AppState;
use crate::web::{Page, PageResult, form_problems};

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct PolicyForm {
    channel: String,
    priority: String,
    first_response_minutes: String,
    resolution_minutes: String,
    around_the_clock: Option<String>,
}

/// The calendar form; its fields are named `calendar_…` in the page, as other forms share it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct CalendarForm {
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
            custom_holidays: crate::web::split_labels(&self.custom_holidays),
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

#[derive(Debug, Default, Serialize)]
struct RuleForms {
    policy: PolicyForm,
    weights: WeightsForm,
    calendar: CalendarForm,
    at_risk_minutes: String,
}

pub(super) async fn rules_page(State(state): State<AppState>, page: Page) -> PageResult {
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
        weights: WeightsForm::of(&settings.weights, &catalog, page.lang),
        calendar: CalendarForm::from_input(&CalendarInput::from(&settings.calendar)),
        at_risk_minutes: settings.options.at_risk_minutes.to_string(),
    });
    let channels: Vec<(String, String)> = catalog
        .channels_in_order()
        .iter()
        .map(|c| {
            (
                c.key.clone(),
                page.lang.pick(&c.label_de, &c.label_en).to_owned(),
            )
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

pub(super) async fn put_policy(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<PolicyForm>,
) -> PageResult {
    let mut problems = Problems::default();
    let number = |problems: &mut Problems, field: &str, text: &str| {
        crate::web::optional::<i64>(problems, field, text, "whole-number", |t| {
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
                    ..defaults(&state, page.lang).await
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
                    ..defaults(&state, page.lang).await
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
        Ok(()) => Ok(rules_changed(&state).await),
        Err(e) => {
            let problems = form_problems(e)?;
            rules_problems(
                &state,
                &page,
                RuleForms {
                    policy: form,
                    ..defaults(&state, page.lang).await
                },
                problems,
            )
            .await
        }
    }
}

/// The forms as stored, for a page that shows one form's problems.
async fn defaults(state: &AppState, lang: crate::i18n::Lang) -> RuleForms {
    let settings = state.store.queue_settings().await.ok();
    let catalog = state.store.catalog().await.ok().unwrap_or_default();
    RuleForms {
        policy: PolicyForm::default(),
        weights: settings
            .as_ref()
            .map(|s| WeightsForm::of(&s.weights, &catalog, lang))
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
pub(super) struct PolicyKey {
    channel: String,
    priority: String,
}

pub(super) async fn delete_policy(
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
    Ok(rules_changed(&state).await)
}

pub(super) async fn put_weights(
    State(state): State<AppState>,
    page: Page,
    body: axum::body::Bytes,
) -> PageResult {
    let form = WeightsForm::parse(&body);
    let weights = match form.weights(page.lang) {
        Ok(weights) => weights,
        Err(problems) => {
            return rules_problems(
                &state,
                &page,
                RuleForms {
                    weights: form,
                    ..defaults(&state, page.lang).await
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
    Ok(rules_changed(&state).await)
}

pub(super) async fn put_calendar(
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
                    ..defaults(&state, page.lang).await
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
    Ok(rules_changed(&state).await)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct OptionsForm {
    at_risk_minutes: String,
}

pub(super) async fn put_options(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<OptionsForm>,
) -> PageResult {
    let mut problems = Problems::default();
    let minutes = crate::web::optional::<i64>(
        &mut problems,
        "at_risk_minutes",
        &form.at_risk_minutes,
        "whole-number",
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
                    ..defaults(&state, page.lang).await
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
async fn rules_changed(state: &AppState) -> Response {
    state.queue_events.send(0, "rules").await;
    Redirect::to("/queue/rules").into_response()
}
