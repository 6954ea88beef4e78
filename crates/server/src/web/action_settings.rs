//! The plan's settings page: how much each target group and region weighs, the values the
//! metrics are aimed at, and the quick-win rule. The settings themselves, their bounds and
//! their effect on the ranking are the core's and the app's.

use std::collections::BTreeSet;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use minijinja::value::Serde;
use serde::Serialize;
use touchpoints_app::actions;
use touchpoints_core::action_plan::{GROUP_WEIGHT_MAX, GROUP_WEIGHT_MIN, PlanSettings};
use touchpoints_core::{FieldProblem, Problem, Problems, TouchpointFilter};

use super::numbers::number;
use super::numbers::parse_decimal;
use super::{Page, PageResult, form_problems};
use crate::AppState;
use crate::i18n::Lang;

pub fn routes() -> Router<AppState> {
    Router::new().route("/actions/settings", get(show).post(save))
}

/// One weighted name as the form shows it: its field (`target_groups.Stammkunden`), the
/// weight as typed (blank for none), and the key of its problems among the page's errors
/// (see [`Page::field_errors`]).
#[derive(Debug, Serialize)]
struct GroupRow {
    field: String,
    name: String,
    weight: String,
    error_key: String,
}

impl GroupRow {
    fn new(field: String, name: String, weight: String) -> GroupRow {
        let error_key = field
            .split('[')
            .next()
            .unwrap_or_default()
            .replace('.', "_");
        GroupRow {
            field,
            name,
            weight,
            error_key,
        }
    }
}

/// The form's values as typed, by the settings' own field names.
#[derive(Debug, Default, Serialize)]
struct SettingsForm {
    max_days: String,
    max_effort_days: String,
    target_nps: String,
    target_csat: String,
    target_ces: String,
    target_groups: Vec<GroupRow>,
    regions: Vec<GroupRow>,
}

/// The fields of the form that are numbers of the settings, in the order they are shown.
const NUMBERS: [&str; 5] = [
    "quick_win.max_days",
    "quick_win.max_effort_days",
    "weights.target_nps",
    "weights.target_csat",
    "weights.target_ces",
];

impl SettingsForm {
    /// The stored settings, with a row for every target group and region the inventory
    /// names and every one that has a weight.
    fn new(settings: &PlanSettings, names: &Names, lang: Lang) -> SettingsForm {
        let rows = |field: &str, known: &BTreeSet<String>, weights: &_| {
            let weights: &std::collections::BTreeMap<String, f64> = weights;
            known
                .iter()
                .chain(weights.keys())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|name| {
                    GroupRow::new(
                        format!("{field}.{name}"),
                        name.clone(),
                        weights
                            .get(name)
                            .map(|w| number(*w, 2, lang))
                            .unwrap_or_default(),
                    )
                })
                .collect()
        };
        SettingsForm {
            max_days: settings.quick_win.max_days.to_string(),
            max_effort_days: number(settings.quick_win.max_effort_days, 1, lang),
            target_nps: number(settings.weights.target_nps, 1, lang),
            target_csat: number(settings.weights.target_csat, 1, lang),
            target_ces: number(settings.weights.target_ces, 1, lang),
            target_groups: rows(
                "target_groups",
                &names.target_groups,
                &settings.target_groups,
            ),
            regions: rows("regions", &names.regions, &settings.regions),
        }
    }

    /// The form as sent; rows keep the order they came in.
    fn read(body: &[u8]) -> SettingsForm {
        let mut form = SettingsForm::default();
        for (key, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            match key.as_ref() {
                "quick_win_max_days" => form.max_days = value,
                "quick_win_max_effort_days" => form.max_effort_days = value,
                "weights_target_nps" => form.target_nps = value,
                "weights_target_csat" => form.target_csat = value,
                "weights_target_ces" => form.target_ces = value,
                key => {
                    for (prefix, rows) in [
                        ("target_groups.", &mut form.target_groups),
                        ("regions.", &mut form.regions),
                    ] {
                        if let Some(name) = key.strip_prefix(prefix) {
                            rows.push(GroupRow::new(
                                key.to_owned(),
                                name.to_owned(),
                                value.clone(),
                            ));
                        }
                    }
                }
            }
        }
        form
    }

    /// The settings the form asks for over `stored` (which keeps the weights the form does
    /// not show); a number that cannot be read is named by its field.
    fn settings(&self, stored: &PlanSettings, lang: Lang) -> Result<PlanSettings, Problems> {
        let mut p = Problems::default();
        let mut settings = stored.clone();
        let values = [
            &self.max_days,
            &self.max_effort_days,
            &self.target_nps,
            &self.target_csat,
            &self.target_ces,
        ];
        for (field, text) in NUMBERS.into_iter().zip(values) {
            let Some(value) = parse_decimal(text.trim(), lang) else {
                p.push(
                    field,
                    if text.trim().is_empty() {
                        Problem::Required
                    } else {
                        not_a_number()
                    },
                );
                continue;
            };
            match field {
                "quick_win.max_days" if value.fract() == 0.0 => {
                    settings.quick_win.max_days = value as i64;
                }
                "quick_win.max_days" => p.push(field, Problem::rule("whole-number", "")),
                "quick_win.max_effort_days" => settings.quick_win.max_effort_days = value,
                "weights.target_nps" => settings.weights.target_nps = value,
                "weights.target_csat" => settings.weights.target_csat = value,
                _ => settings.weights.target_ces = value,
            }
        }
        settings.target_groups.clear();
        settings.regions.clear();
        for (rows, weights) in [
            (&self.target_groups, &mut settings.target_groups),
            (&self.regions, &mut settings.regions),
        ] {
            for row in rows.iter().filter(|r| !r.weight.trim().is_empty()) {
                match parse_decimal(row.weight.trim(), lang) {
                    Some(weight) => {
                        weights.insert(row.name.clone(), weight);
                    }
                    None => p.push(row.field.clone(), not_a_number()),
                }
            }
        }
        p.into_result(settings)
    }
}

fn not_a_number() -> Problem {
    Problem::rule("not-a-number", "is no number")
}

/// The target groups and regions the inventory names.
struct Names {
    target_groups: BTreeSet<String>,
    regions: BTreeSet<String>,
}

impl Names {
    async fn load(state: &AppState) -> Result<Names, touchpoints_store::StoreError> {
        let touchpoints = state
            .store
            .list_touchpoints(&TouchpointFilter::default())
            .await?;
        Ok(Names {
            target_groups: touchpoints
                .iter()
                .flat_map(|t| t.fields.target_groups.iter().cloned())
                .collect(),
            regions: touchpoints
                .iter()
                .flat_map(|t| t.fields.regions.iter().cloned())
                .collect(),
        })
    }
}

fn render(
    state: &AppState,
    page: &Page,
    form: &SettingsForm,
    problems: &[FieldProblem],
    status: StatusCode,
) -> PageResult {
    Ok(page.render_with_status(
        state,
        status,
        "action_settings.html",
        minijinja::context! {
            section => "actions",
            form => Serde(form),
            errors => Serde(page.field_errors(state, problems)),
            weight_min => number(GROUP_WEIGHT_MIN, 1, page.lang),
            weight_max => number(GROUP_WEIGHT_MAX, 1, page.lang),
        },
    ))
}

async fn show(State(state): State<AppState>, page: Page) -> PageResult {
    let settings = actions::settings(state.store.as_ref()).await?;
    let names = Names::load(&state).await?;
    let form = SettingsForm::new(&settings, &names, page.lang);
    render(&state, &page, &form, &[], StatusCode::OK)
}

/// Saves the settings; on problems shows the form again as typed, each problem at its field,
/// and stores nothing.
async fn save(State(state): State<AppState>, page: Page, body: Bytes) -> PageResult {
    let form = SettingsForm::read(&body);
    let stored = actions::settings(state.store.as_ref()).await?;
    let written = match form.settings(&stored, page.lang) {
        Ok(settings) => {
            actions::set_settings(state.store.as_ref(), &settings, &page.caller.actor()).await
        }
        Err(problems) => Err(touchpoints_app::AppError::Invalid(problems)),
    };
    match written {
        Ok(_) => Ok(Redirect::to("/actions").into_response()),
        Err(e) => {
            let problems = form_problems(e)?;
            render(
                &state,
                &page,
                &form,
                &problems.0,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_german_numbers_and_leaves_blank_weights_out() {
        let body = "_csrf=x&quick_win_max_days=21&quick_win_max_effort_days=7%2C5\
            &weights_target_nps=35&weights_target_csat=80&weights_target_ces=5%2C5\
            &target_groups.Stammkunden=1%2C5&target_groups.Neukunden=\
            &regions.S%C3%BCd=0%2C8";
        let form = SettingsForm::read(body.as_bytes());
        let settings = form
            .settings(&PlanSettings::default(), Lang::De)
            .expect("valid");
        assert_eq!(settings.quick_win.max_days, 21);
        assert_eq!(settings.quick_win.max_effort_days, 7.5);
        assert_eq!(settings.weights.target_ces, 5.5);
        assert_eq!(
            settings.target_groups.into_iter().collect::<Vec<_>>(),
            [("Stammkunden".to_owned(), 1.5)]
        );
        assert_eq!(settings.regions.get("Süd"), Some(&0.8));
        assert_eq!(
            settings.weights.gap,
            touchpoints_core::action_plan::PlanWeights::default().gap,
            "the weights the form does not show are kept"
        );
    }

    #[test]
    fn what_cannot_be_read_is_named_by_its_field() {
        let body = "quick_win_max_days=2.5&quick_win_max_effort_days=viel\
            &weights_target_nps=&weights_target_csat=80&weights_target_ces=5\
            &target_groups.Stammkunden=hoch";
        let problems = SettingsForm::read(body.as_bytes())
            .settings(&PlanSettings::default(), Lang::En)
            .expect_err("invalid");
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "quick_win.max_days",
                "quick_win.max_effort_days",
                "weights.target_nps",
                "target_groups.Stammkunden",
            ]
        );
    }
}
