//! The public survey page `/s/{slug}`: one question on a phone, without login and without
//! JavaScript. Answers are data, not staff changes, so they are stored without an actor.
//!
//! A link may attribute its answer to a customer reference (`c`) and a channel (`ch`), but
//! only with the product's signature over them (`sig`, see `touchpoints_app::links`): anyone
//! can open a survey, only staff can make a link that speaks for a customer. A link whose
//! signature does not hold still takes an answer, stored without the attribution, and the
//! page says so.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use touchpoints_app::{AppError, links};
use touchpoints_core::survey::{ResponseInput, scale_ends};
use touchpoints_core::{Problem, Problems};
use touchpoints_store::{ResponseFilter, StoreError, StoredSurvey};

use super::{Page, PageResult};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/s/{slug}", get(show).post(answer))
}

/// Where the link came from: a customer reference and a channel, both optional, and the
/// signature that vouches for them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Origin {
    c: String,
    ch: String,
    /// The request the survey follows, by id.
    r: String,
    sig: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AnswerForm {
    score: String,
    comment: String,
    c: String,
    ch: String,
    r: String,
    sig: String,
}

/// What a link says about whom an answer belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attribution {
    /// Neither a customer reference nor a channel.
    None,
    /// Both as the product signed them.
    Signed,
    /// A customer reference or channel without a valid signature: ignored.
    Unsigned,
}

/// Checks the signature of a link's customer reference and channel. The key is read only
/// for a link that claims either.
async fn attribution(
    state: &AppState,
    slug: &str,
    c: &str,
    ch: &str,
    r: &str,
    sig: &str,
) -> Result<Attribution, AppError> {
    if c.is_empty() && ch.is_empty() && r.is_empty() {
        return Ok(Attribution::None);
    }
    let key = links::survey_link_key(state.store.as_ref()).await?;
    Ok(if links::verify(&key, slug, c, ch, r, sig) {
        Attribution::Signed
    } else {
        Attribution::Unsigned
    })
}

impl AnswerForm {
    /// The form without a customer reference and channel the link could not vouch for.
    fn attributed(mut self, attribution: Attribution) -> AnswerForm {
        if attribution != Attribution::Signed {
            self.c.clear();
            self.ch.clear();
            self.r.clear();
            self.sig.clear();
        }
        self
    }
}

/// The survey of a slug; none when the slug names none.
async fn find(state: &AppState, slug: &str) -> Result<Option<StoredSurvey>, StoreError> {
    match state.store.survey_by_slug(slug).await {
        Ok(survey) => Ok(Some(survey)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The survey page's own answer for a slug that names no survey.
fn missing(state: &AppState, page: &Page) -> Response {
    page.render_with_status(
        state,
        StatusCode::NOT_FOUND,
        "survey_public.html",
        minijinja::context! { state => "missing" },
    )
}

fn closed(state: &AppState, page: &Page) -> Response {
    page.render_with_status(
        state,
        StatusCode::GONE,
        "survey_public.html",
        minijinja::context! { state => "closed" },
    )
}

fn render_form(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    survey: &StoredSurvey,
    form: &AnswerForm,
    unsigned: bool,
    errors: &BTreeMap<String, String>,
) -> Response {
    let lang = page.lang.code();
    let (min, max) = survey.fields.metric.scale();
    let (low, high) = scale_ends(survey.fields.metric, lang);
    page.render_with_status(
        state,
        status,
        "survey_public.html",
        minijinja::context! {
            state => "form",
            slug => survey.slug.clone(),
            metric => survey.fields.metric.as_str(),
            question => survey.fields.question(lang),
            follow_up => survey.fields.follow_up(lang),
            scale => (min..=max).map(u32::from).collect::<Vec<_>>(),
            low => low,
            high => high,
            score => form.score.trim(),
            comment => form.comment.clone(),
            c => form.c.clone(),
            ch => form.ch.clone(),
            r => form.r.clone(),
            sig => form.sig.clone(),
            unsigned => unsigned,
            errors => errors.clone(),
        },
    )
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
    Query(origin): Query<Origin>,
) -> PageResult {
    let Some(survey) = find(&state, &slug).await? else {
        return Ok(missing(&state, &page));
    };
    if !survey.fields.active {
        return Ok(closed(&state, &page));
    }
    let attribution =
        attribution(&state, &slug, &origin.c, &origin.ch, &origin.r, &origin.sig).await?;
    let form = AnswerForm {
        c: origin.c,
        ch: origin.ch,
        r: origin.r,
        sig: origin.sig,
        ..AnswerForm::default()
    }
    .attributed(attribution);
    Ok(render_form(
        &state,
        &page,
        StatusCode::OK,
        &survey,
        &form,
        attribution == Attribution::Unsigned,
        &BTreeMap::new(),
    ))
}

/// The score as typed; anything that is not a whole number is outside the scale.
fn score(problems: &mut Problems, text: &str, scale: (u8, u8)) -> i64 {
    match text.trim() {
        "" => {
            problems.push("score", Problem::Required);
            -1
        }
        text => text.parse().unwrap_or_else(|_| {
            problems.push(
                "score",
                Problem::OutOfRange {
                    min: i64::from(scale.0),
                    max: i64::from(scale.1),
                },
            );
            -1
        }),
    }
}

fn some_text(text: &str) -> Option<String> {
    Some(text.trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

async fn answer(
    State(state): State<AppState>,
    page: Page,
    Path(slug): Path<String>,
    axum::Form(form): axum::Form<AnswerForm>,
) -> PageResult {
    let Some(survey) = find(&state, &slug).await? else {
        return Ok(missing(&state, &page));
    };
    if !survey.fields.active {
        return Ok(closed(&state, &page));
    }
    let attribution = attribution(&state, &slug, &form.c, &form.ch, &form.r, &form.sig).await?;
    let form = form.attributed(attribution);
    // The link of a request's survey takes one answer: sent again, it is thanked for and not
    // counted twice for the request, its agent and its channel.
    if let Ok(request) = form.r.trim().parse::<i64>() {
        let filter = ResponseFilter {
            survey_id: Some(survey.id),
            request_id: Some(request),
            ..ResponseFilter::default()
        };
        if !state.store.responses(&filter, 1).await?.is_empty() {
            return Ok(page.render(
                &state,
                "survey_public.html",
                minijinja::context! { state => "answered" },
            ));
        }
    }
    let mut problems = Problems::default();
    let score = score(&mut problems, &form.score, survey.fields.metric.scale());
    let input = ResponseInput {
        touchpoint_id: survey.fields.touchpoint_id,
        survey_id: Some(survey.id),
        metric: survey.fields.metric.as_str().to_owned(),
        score,
        comment: some_text(&form.comment),
        answered_at: None,
        channel: some_text(&form.ch).or_else(|| survey.fields.channel.clone()),
        customer_ref: some_text(&form.c),
        external_id: None,
        // Signed by the product, so a number; a request erased since is refused below.
        request_id: form.r.trim().parse().ok(),
    };
    let result = if problems.is_empty() {
        input.validate(jiff::Timestamp::now())
    } else {
        Err(problems)
    };
    let refused = |problems: Problems| {
        // `[0].channel` from the store is the form's `ch`; the rest keep their names.
        let problems: Vec<_> = problems
            .0
            .into_iter()
            .map(|mut p| {
                p.field = p
                    .field
                    .trim_start_matches("[0].")
                    .replace("channel", "ch")
                    .replace("customer_ref", "c");
                p
            })
            .collect();
        let errors = page.field_errors(&state, &problems);
        render_form(
            &state,
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            &survey,
            &form,
            attribution == Attribution::Unsigned,
            &errors,
        )
    };
    let fields = match result {
        Ok(fields) => fields,
        Err(problems) => return Ok(refused(problems)),
    };
    // Past its daily cap a survey takes no more answers: a flood of made-up ones must not
    // bury the real ones in the figures.
    if !state
        .limits
        .survey_answer_allowed(&*state.store, survey.id)
        .await?
    {
        let mut full = page.render_with_status(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            "survey_public.html",
            minijinja::context! { state => "full" },
        );
        full.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("3600"),
        );
        return Ok(full);
    }
    match state.store.record_responses(&[fields], None).await {
        Ok(_) => Ok(page.render(
            &state,
            "survey_public.html",
            minijinja::context! { state => "thanks" },
        )),
        Err(StoreError::Invalid(p) | StoreError::Conflict(p)) => Ok(refused(p)),
        Err(e) => Err(e.into()),
    }
}
