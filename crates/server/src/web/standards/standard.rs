//! The standards page: every standard grouped by touchpoint, channel or everywhere, with its
//! compliance over the last days, and the form to add one.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use jiff::Timestamp;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_core::problem::check_text;
use touchpoints_core::standards::Measure;
use touchpoints_core::{FieldProblem, Problem, Problems, TouchpointFilter};
use touchpoints_store::StandardFields;

use super::compliance::{ComplianceView, Lookup, describe, judge};
use super::{days_ago, options, parse_id};
use crate::AppState;
use crate::web::{Id, Page, PageResult, form_problems};

/// The measure kinds a form offers, in order.
const MEASURES: [&str; 5] = [
    "first_response_within",
    "resolved_within",
    "addressed_by_name",
    "phrases_absent",
    "phrases_present",
];

const DEFAULT_DAYS: i64 = 30;

#[derive(Debug, Serialize)]
struct StandardView {
    id: i64,
    title: String,
    text: String,
    mandatory: bool,
    measure: Option<String>,
    compliance: Option<ComplianceView>,
}

#[derive(Debug, Serialize)]
struct Group {
    label: String,
    kind: &'static str,
    standards: Vec<StandardView>,
}

/// The standards form as the browser sends it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct StandardForm {
    title: String,
    text: String,
    mandatory: String,
    touchpoint_id: String,
    channel: String,
    measure: String,
    hours: String,
    phrases: String,
}

/// Phrases one per line, or separated by semicolons.
fn split_phrases(text: &str) -> Vec<String> {
    text.split(['\n', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

impl StandardForm {
    fn validate(&self) -> Result<StandardFields, Problems> {
        let mut problems = Problems::default();
        let title = check_text(&mut problems, "title", &self.title, 200, true);
        let text = check_text(&mut problems, "text", &self.text, 4000, true);
        let touchpoint_id = parse_id(&mut problems, "touchpoint_id", &self.touchpoint_id);
        let channel = Some(self.channel.trim().to_owned()).filter(|c| !c.is_empty());
        if touchpoint_id.is_some() && channel.is_some() {
            problems.push(
                "channel",
                Problem::rule("one-scope", "choose a touchpoint or a channel, not both"),
            );
        }
        let hours = || match self.hours.trim().parse::<u32>() {
            Ok(h) if (1..=8760).contains(&h) => Some(h),
            _ => None,
        };
        let phrases = split_phrases(&self.phrases);
        let need_hours = |problems: &mut Problems| {
            let h = hours();
            if h.is_none() {
                problems.push("hours", Problem::OutOfRange { min: 1, max: 8760 });
            }
            h.unwrap_or(1)
        };
        let measure = match self.measure.trim() {
            "" => None,
            "first_response_within" => Some(Measure::FirstResponseWithin {
                hours: need_hours(&mut problems),
            }),
            "resolved_within" => Some(Measure::ResolvedWithin {
                hours: need_hours(&mut problems),
            }),
            "addressed_by_name" => Some(Measure::AddressedByName),
            kind @ ("phrases_absent" | "phrases_present") => {
                if phrases.is_empty() {
                    problems.push(
                        "phrases",
                        Problem::rule("phrases-needed", "name at least one phrase"),
                    );
                }
                for (i, p) in phrases.iter().enumerate() {
                    check_text(&mut problems, &format!("phrases[{i}]"), p, 200, true);
                }
                Some(if kind == "phrases_absent" {
                    Measure::PhrasesAbsent { phrases }
                } else {
                    Measure::PhrasesPresent { phrases }
                })
            }
            other => {
                problems.push(
                    "measure",
                    Problem::Unknown {
                        value: other.to_owned(),
                        allowed: MEASURES.map(str::to_owned).to_vec(),
                    },
                );
                None
            }
        };
        problems.into_result(StandardFields {
            title,
            text,
            mandatory: !self.mandatory.is_empty(),
            touchpoint_id,
            channel,
            measure,
        })
    }
}

/// The period of the standards page: the last `days` days (1 to 365, default 30).
fn period_days(query: &HashMap<String, String>) -> i64 {
    query
        .get("days")
        .and_then(|d| d.trim().parse::<i64>().ok())
        .filter(|d| (1..=365).contains(d))
        .unwrap_or(DEFAULT_DAYS)
}

async fn render_standards(
    state: &AppState,
    page: &Page,
    days: i64,
    form: &StandardForm,
    problems: &[FieldProblem],
) -> PageResult {
    let now = Timestamp::now();
    let stored = state.store.standards().await?;
    let catalog = state.store.catalog().await?;
    let touchpoints = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?;
    let interactions = state.store.interactions(days_ago(now, days), now).await?;
    let touchpoint_options = options(&touchpoints);
    let lookup = Lookup::new(touchpoints, &catalog, page.lang);
    let mut judged = judge(state, page.lang, &lookup, &stored, &interactions, now);
    // Grouped: each touchpoint (by name), then each channel (in catalog order), then those
    // for everywhere.
    let mut by_touchpoint: BTreeMap<(String, i64), Vec<StandardView>> = BTreeMap::new();
    let mut by_channel: BTreeMap<(usize, String), Vec<StandardView>> = BTreeMap::new();
    let mut everywhere = Vec::new();
    for s in &stored {
        let view = StandardView {
            id: s.id,
            title: s.fields.title.clone(),
            text: s.fields.text.clone(),
            mandatory: s.fields.mandatory,
            measure: s
                .fields
                .measure
                .as_ref()
                .map(|m| describe(state, page.lang, m)),
            compliance: judged.remove(&s.id),
        };
        if let Some(id) = s.fields.touchpoint_id {
            let name = lookup.touchpoint_name(Some(id)).unwrap_or_default();
            by_touchpoint
                .entry((name.to_lowercase(), id))
                .or_default()
                .push(view);
        } else if let Some(channel) = &s.fields.channel {
            let position = catalog
                .channels
                .iter()
                .position(|c| &c.key == channel)
                .unwrap_or(usize::MAX);
            by_channel
                .entry((position, channel.clone()))
                .or_default()
                .push(view);
        } else {
            everywhere.push(view);
        }
    }
    let mut groups = Vec::new();
    for ((_, id), standards) in by_touchpoint {
        groups.push(Group {
            label: lookup.touchpoint_name(Some(id)).unwrap_or_default(),
            kind: "touchpoint",
            standards,
        });
    }
    for ((_, key), standards) in by_channel {
        groups.push(Group {
            label: lookup.channel_label(&key),
            kind: "channel",
            standards,
        });
    }
    if !everywhere.is_empty() {
        groups.push(Group {
            label: state.messages.get(page.lang, "standards-everywhere", None),
            kind: "everywhere",
            standards: everywhere,
        });
    }
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(page.render_with_status(
        state,
        status,
        "standards.html",
        minijinja::context! {
            section => "standards",
            groups => Serde(&groups),
            count => stored.len(),
            interactions => interactions.len(),
            days => days,
            form => Serde(form),
            catalog => Serde(&catalog),
            touchpoints => Serde(&touchpoint_options),
            measures => Serde(MEASURES),
            errors => Serde(page.field_errors(state, problems)),
        },
    ))
}

pub(super) async fn standards_page(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let form = StandardForm {
        mandatory: "1".into(),
        ..StandardForm::default()
    };
    render_standards(&state, &page, period_days(&query), &form, &[]).await
}

pub(super) async fn create_standard(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<StandardForm>,
) -> PageResult {
    let fields = match form.validate() {
        Ok(fields) => fields,
        Err(problems) => {
            return render_standards(&state, &page, DEFAULT_DAYS, &form, &problems.0).await;
        }
    };
    match state
        .store
        .create_standard(&fields, &page.caller.actor())
        .await
    {
        Ok(_) => Ok(Redirect::to("/standards").into_response()),
        Err(e) => {
            let problems = form_problems(e)?;
            render_standards(&state, &page, DEFAULT_DAYS, &form, &problems.0).await
        }
    }
}

pub(super) async fn delete_standard(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
) -> PageResult {
    state
        .store
        .delete_standard(id, &page.caller.actor())
        .await?;
    Ok(Redirect::to("/standards").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_asks_for_what_the_measure_needs() {
        let form = StandardForm {
            title: "Schnell".into(),
            text: "Antwort binnen Stunden".into(),
            measure: "first_response_within".into(),
            hours: "0".into(),
            touchpoint_id: "3".into(),
            channel: "email".into(),
            ..StandardForm::default()
        };
        let problems = form.validate().expect_err("invalid");
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["channel", "hours"]);
        let form = StandardForm {
            title: "Floskeln".into(),
            text: "Keine Floskeln".into(),
            measure: "phrases_absent".into(),
            phrases: "leider nicht möglich\n; geht nicht ".into(),
            mandatory: "1".into(),
            ..StandardForm::default()
        };
        let fields = form.validate().expect("valid");
        assert!(fields.mandatory);
        assert_eq!(
            fields.measure,
            Some(Measure::PhrasesAbsent {
                phrases: vec!["leider nicht möglich".into(), "geht nicht".into()]
            })
        );
    }
}
