//! Survey pages for staff: the list with each survey's public address, the forms to set one
//! up, change and delete it, and the form that makes a personalised link: one signed for a
//! customer reference and a channel, which the answers given through it are attributed to.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::links;
use touchpoints_core::kpi::Metric;
use touchpoints_core::survey::{SurveyInput, standard_follow_up, standard_question};
use touchpoints_core::{Problem, Problems, TouchpointFilter};
use touchpoints_store::StoredSurvey;

use super::{Id, Page, PageResult, form_problems};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(list).post(create))
        .route("/surveys/new", get(new_form))
        .route("/surveys/{id}", get(show).post(update))
        .route("/surveys/{id}/delete", post(delete))
        .route("/surveys/{id}/link", get(personal_link))
        .route("/surveys/{id}/qr.svg", get(qr_code))
        .route("/surveys/{id}/answers", get(super::survey_answers::answers))
        .route(
            "/surveys/{id}/answers.csv",
            get(super::survey_answers::export_csv),
        )
        .route(
            "/surveys/{id}/answers.xlsx",
            get(super::survey_answers::export_xlsx),
        )
}

/// The survey form as the browser sends it: every field, empty when unused.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct SurveyForm {
    touchpoint_id: String,
    metric: String,
    channel: String,
    question_de: String,
    question_en: String,
    follow_up_de: String,
    follow_up_en: String,
    /// "1" when the checkbox is ticked; absent otherwise.
    active: String,
}

impl SurveyForm {
    fn new() -> SurveyForm {
        SurveyForm {
            metric: "nps".to_owned(),
            follow_up_de: standard_follow_up("de").to_owned(),
            follow_up_en: standard_follow_up("en").to_owned(),
            active: "1".to_owned(),
            ..SurveyForm::default()
        }
    }

    fn of(survey: &StoredSurvey) -> SurveyForm {
        let f = &survey.fields;
        SurveyForm {
            touchpoint_id: f.touchpoint_id.to_string(),
            metric: f.metric.as_str().to_owned(),
            channel: f.channel.clone().unwrap_or_default(),
            question_de: f.question_de.clone(),
            question_en: f.question_en.clone(),
            follow_up_de: f.follow_up_de.clone(),
            follow_up_en: f.follow_up_en.clone(),
            active: if f.active { "1" } else { "" }.to_owned(),
        }
    }

    /// The input the API would get; a touchpoint id that is no number is a field problem.
    fn input(&self) -> Result<SurveyInput, Problems> {
        let touchpoint_id = match self.touchpoint_id.trim() {
            "" => {
                let mut problems = Problems::default();
                problems.push("touchpoint_id", Problem::Required);
                return Err(problems);
            }
            text => text.parse::<i64>().map_err(|_| {
                let mut problems = Problems::default();
                problems.push(
                    "touchpoint_id",
                    Problem::Unknown {
                        value: text.to_owned(),
                        allowed: Vec::new(),
                    },
                );
                problems
            })?,
        };
        Ok(SurveyInput {
            touchpoint_id,
            metric: self.metric.clone(),
            channel: Some(self.channel.clone()),
            question_de: self.question_de.clone(),
            question_en: self.question_en.clone(),
            follow_up_de: Some(self.follow_up_de.clone()),
            follow_up_en: Some(self.follow_up_en.clone()),
            active: Some(self.active == "1"),
        })
    }
}

/// The address people reach the server at, from the request's Host header.
struct Origin {
    scheme: &'static str,
    host: String,
}

impl Origin {
    /// The full address of `path` on this server.
    fn url(&self, path: &str) -> String {
        format!("{}://{}{path}", self.scheme, self.host)
    }

    /// The full address of a survey's public page.
    fn survey(&self, slug: &str) -> String {
        self.url(&format!("/s/{slug}"))
    }
}

fn origin(state: &AppState, headers: &HeaderMap) -> Origin {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost")
        .to_owned();
    let scheme = if state.settings.secure_cookies {
        "https"
    } else {
        "http"
    };
    Origin { scheme, host }
}

/// The public link as a QR code, to print for a counter, a receipt or a parcel: an SVG that
/// scales to any size.
async fn qr_code(State(state): State<AppState>, headers: HeaderMap, Id(id): Id) -> PageResult {
    let survey = state.store.survey(id).await?;
    let url = origin(&state, &headers).survey(&survey.slug);
    let Ok(code) = qrcode::QrCode::new(url.as_bytes()) else {
        // Only an absurdly long Host header makes a link too long for a QR code.
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            "the link is too long for a QR code",
        )
            .into_response());
    };
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"survey-{}.svg\"", survey.slug),
            ),
        ],
        svg,
    )
        .into_response())
}

#[derive(Serialize)]
struct SurveyRow {
    id: i64,
    touchpoint: String,
    metric: &'static str,
    channel: Option<String>,
    languages: Vec<&'static str>,
    active: bool,
    responses: u64,
    url: String,
    short: String,
}

async fn list(State(state): State<AppState>, page: Page, headers: HeaderMap) -> PageResult {
    let surveys = state.store.surveys().await?;
    let names = super::touchpoint_names(&state).await?;
    let origin = origin(&state, &headers);
    let rows: Vec<SurveyRow> = surveys
        .iter()
        .map(|s| {
            let f = &s.fields;
            let mut languages = Vec::new();
            if !f.question_de.is_empty() {
                languages.push("de");
            }
            if !f.question_en.is_empty() {
                languages.push("en");
            }
            SurveyRow {
                id: s.id,
                touchpoint: names
                    .get(&f.touchpoint_id)
                    .cloned()
                    .unwrap_or_else(|| f.touchpoint_id.to_string()),
                metric: f.metric.as_str(),
                channel: f.channel.clone(),
                languages,
                active: f.active,
                responses: s.responses,
                url: origin.survey(&s.slug),
                short: format!("{}/s/{}", origin.host, s.slug),
            }
        })
        .collect();
    Ok(page.render(
        &state,
        "surveys.html",
        minijinja::context! { section => "surveys", surveys => Serde(rows) },
    ))
}

async fn render_form(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    survey: Option<&StoredSurvey>,
    form: &SurveyForm,
    errors: BTreeMap<String, String>,
    headers: &HeaderMap,
) -> PageResult {
    let catalog = state.store.catalog().await?;
    let touchpoints = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?;
    let touchpoint_options: Vec<(String, String)> = touchpoints
        .iter()
        .map(|t| (t.id.to_string(), t.fields.name.clone()))
        .collect();
    let metric = Metric::parse(&form.metric).unwrap_or(Metric::Nps);
    let origin = origin(state, headers);
    Ok(page.render_with_status(
        state,
        status,
        "survey_form.html",
        minijinja::context! {
            section => "surveys",
            id => survey.map(|s| s.id),
            url => survey.map(|s| origin.survey(&s.slug)),
            responses => survey.map(|s| s.responses),
            form => Serde(form),
            errors => errors,
            touchpoints => touchpoint_options,
            catalog => Serde(catalog),
            metrics => Metric::ALL.map(Metric::as_str),
            standard_de => standard_question(metric, "de"),
            standard_en => standard_question(metric, "en"),
            // Every metric's standard questions, so that the placeholders follow the chosen
            // metric in the browser.
            standards => Metric::ALL
                .iter()
                .map(|m| {
                    let question = |lang| standard_question(*m, lang);
                    (m.as_str(), BTreeMap::from([("de", question("de")), ("en", question("en"))]))
                })
                .collect::<BTreeMap<_, _>>(),
            follow_up_de => standard_follow_up("de"),
            follow_up_en => standard_follow_up("en"),
        },
    ))
}

async fn new_form(State(state): State<AppState>, page: Page, headers: HeaderMap) -> PageResult {
    render_form(
        &state,
        &page,
        StatusCode::OK,
        None,
        &SurveyForm::new(),
        BTreeMap::new(),
        &headers,
    )
    .await
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
    Id(id): Id,
) -> PageResult {
    let survey = state.store.survey(id).await?;
    let form = SurveyForm::of(&survey);
    render_form(
        &state,
        &page,
        StatusCode::OK,
        Some(&survey),
        &form,
        BTreeMap::new(),
        &headers,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
    axum::Form(form): axum::Form<SurveyForm>,
) -> PageResult {
    let actor = page.caller.actor();
    let problems = match form.input().and_then(|i| i.validate()) {
        Ok(fields) => {
            match touchpoints_app::surveys::create_survey(state.store.as_ref(), &fields, &actor)
                .await
            {
                Ok(_) => return Ok(Redirect::to("/surveys").into_response()),
                Err(e) => form_problems(e)?,
            }
        }
        Err(problems) => problems,
    };
    form_again(&state, &page, &headers, None, &form, &problems).await
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
    Id(id): Id,
    axum::Form(form): axum::Form<SurveyForm>,
) -> PageResult {
    let survey = state.store.survey(id).await?;
    let actor = page.caller.actor();
    let problems = match form.input().and_then(|i| i.validate()) {
        Ok(fields) => match state.store.update_survey(survey.id, &fields, &actor).await {
            Ok(_) => return Ok(Redirect::to("/surveys").into_response()),
            Err(e) => form_problems(e)?,
        },
        Err(problems) => problems,
    };
    form_again(&state, &page, &headers, Some(&survey), &form, &problems).await
}

/// The survey form again, as entered, with its problems next to their fields.
async fn form_again(
    state: &AppState,
    page: &Page,
    headers: &HeaderMap,
    survey: Option<&StoredSurvey>,
    form: &SurveyForm,
    problems: &Problems,
) -> PageResult {
    let errors = page.field_errors(state, &problems.0);
    render_form(
        state,
        page,
        StatusCode::UNPROCESSABLE_ENTITY,
        survey,
        form,
        errors,
        headers,
    )
    .await
}

async fn delete(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    state.store.delete_survey(id, &page.caller.actor()).await?;
    Ok(Redirect::to("/surveys").into_response())
}

/// Whom and which channel a personalised link is for; both may be empty.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct LinkForm {
    customer_ref: String,
    channel: String,
}

/// The form for a personalised link and, once filled in, the link: signed for the customer
/// reference and channel, so the public page attributes its answers to them. A read: the
/// form is sent with GET, and only the key is made, once, on the first link ever.
async fn personal_link(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
    Id(id): Id,
    Query(form): Query<LinkForm>,
) -> PageResult {
    let survey = state.store.survey(id).await?;
    let origin = origin(&state, &headers);
    let asked = !form.customer_ref.trim().is_empty() || !form.channel.trim().is_empty();
    let (link, errors) = if asked {
        match links::personal_link(
            state.store.as_ref(),
            &survey.slug,
            &form.customer_ref,
            &form.channel,
        )
        .await
        {
            Ok(path) => (Some(origin.url(&path)), BTreeMap::new()),
            Err(e) => (None, page.field_errors(&state, &form_problems(e)?.0)),
        }
    } else {
        (None, BTreeMap::new())
    };
    let catalog = state.store.catalog().await?;
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
    let touchpoint = state
        .store
        .touchpoint(survey.fields.touchpoint_id)
        .await
        .map(|t| t.fields.name)
        .unwrap_or_else(|_| survey.fields.touchpoint_id.to_string());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(page.render_with_status(
        &state,
        status,
        "survey_link.html",
        minijinja::context! {
            section => "surveys",
            id => survey.id,
            touchpoint => touchpoint,
            metric => survey.fields.metric.as_str(),
            url => origin.survey(&survey.slug),
            form => Serde(&form),
            channels => channels,
            link => link,
            errors => errors,
        },
    ))
}
