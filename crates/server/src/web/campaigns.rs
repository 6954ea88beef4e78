//! Segments and campaigns on pages: segments built from rule rows with a live count and a
//! sample of members; campaigns with their message as the first recipient gets it (and what
//! the guideline finds in it), a test mail, the send and each recipient's mail. And the
//! customer's own page behind a campaign mail's unsubscribe link.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::campaigns::{self, SegmentPreview, Unsubscribed};
use touchpoints_core::FieldProblem;
use touchpoints_core::campaign::{CampaignFields, PER_MINUTE_DEFAULT};
use touchpoints_core::segment::{Combine, Field, SegmentFields, SegmentRule};

use super::{Id, Page, PageResult, form_problems, form_refusal};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/segments", get(segments).post(create_segment))
        .route("/segments/new", get(new_segment))
        .route("/segments/preview", post(preview_segment))
        .route("/segments/{id}", get(show_segment).post(update_segment))
        .route("/segments/{id}/delete", post(delete_segment))
        .route("/campaigns", get(campaigns_page).post(create_campaign))
        .route("/campaigns/{id}", get(show_campaign))
        .route("/campaigns/{id}/test", post(test_campaign))
        .route("/campaigns/{id}/send", post(send_campaign))
}

/// The customer's unsubscribe page: public, limited per address like the survey pages.
pub fn unsubscribe_routes() -> Router<AppState> {
    Router::new().route(
        "/u/{campaign}/{customer}/{sig}",
        get(unsubscribe_page).post(unsubscribe),
    )
}

/// Rows the segment form offers beyond its rules, since a page without JavaScript cannot add
/// rows.
const BLANK_RULES: usize = 3;

/// One rule row of the form: the field, whether it holds or does not, and the value.
#[derive(Debug, Default, Clone, Serialize)]
struct RuleRow {
    field: String,
    /// `yes` for the field's first operator, `no` for its negation.
    holds: String,
    value: String,
}

/// The segment form, read from the body by hand: the rule rows repeat their names.
#[derive(Debug, Default, Serialize)]
struct SegmentForm {
    id: String,
    name: String,
    combine: String,
    rules: Vec<RuleRow>,
}

impl SegmentForm {
    fn parse(body: &[u8]) -> SegmentForm {
        let mut form = SegmentForm::default();
        let (mut fields, mut holds, mut values) = (Vec::new(), Vec::new(), Vec::new());
        for (key, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            match key.as_ref() {
                "id" => form.id = value,
                "name" => form.name = value,
                "combine" => form.combine = value,
                "rule_field" => fields.push(value),
                "rule_holds" => holds.push(value),
                "rule_value" => values.push(value),
                _ => {}
            }
        }
        form.rules = fields
            .into_iter()
            .enumerate()
            .map(|(i, field)| RuleRow {
                field,
                holds: holds.get(i).cloned().unwrap_or_default(),
                value: values.get(i).cloned().unwrap_or_default(),
            })
            .collect();
        form
    }

    fn of(fields: &SegmentFields) -> SegmentForm {
        SegmentForm {
            id: String::new(),
            name: fields.name.clone(),
            combine: fields.combine.as_str().to_owned(),
            rules: fields
                .rules
                .iter()
                .map(|r| RuleRow {
                    field: r.field.clone(),
                    holds: match Field::parse(&r.field).map(|f| f.ops()[1] == r.op) {
                        Some(true) => "no",
                        _ => "yes",
                    }
                    .to_owned(),
                    value: r.value.clone(),
                })
                .collect(),
        }
    }

    /// The segment the rows say; a row without a field is a blank one and says nothing. Its
    /// rules keep their row's place, so that a problem names the right row.
    fn fields(&self) -> (SegmentFields, Vec<usize>) {
        let mut rows = Vec::new();
        let rules = self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.field.trim().is_empty())
            .map(|(i, r)| {
                rows.push(i);
                let op = Field::parse(r.field.trim())
                    .map(|f| f.ops()[usize::from(r.holds == "no")].to_owned())
                    .unwrap_or_default();
                SegmentRule {
                    field: r.field.clone(),
                    op,
                    value: r.value.clone(),
                }
            })
            .collect();
        let fields = SegmentFields {
            name: self.name.clone(),
            // A form without the choice (or a forged one) means all, the select's default.
            combine: Combine::parse(&self.combine).unwrap_or_default(),
            rules,
        };
        (fields, rows)
    }

    fn with_blank_rows(mut self) -> SegmentForm {
        self.rules
            .extend(std::iter::repeat_n(RuleRow::default(), BLANK_RULES));
        self
    }
}

/// Problems of rule `i` (`rules[i].value`) named by the form's row (`rule_3`), so that each
/// shows at its row.
fn by_row(problems: Vec<FieldProblem>, rows: &[usize]) -> Vec<FieldProblem> {
    problems
        .into_iter()
        .map(|mut p| {
            if let Some(rest) = p.field.strip_prefix("rules[")
                && let Some((index, _)) = rest.split_once(']')
                && let Some(row) = index.parse::<usize>().ok().and_then(|i| rows.get(i))
            {
                p.field = format!("rule_{row}");
            }
            p
        })
        .collect()
}

async fn segments(State(state): State<AppState>, page: Page) -> PageResult {
    let segments = state.store.segments().await?;
    let counts = campaigns::counts(state.store.as_ref(), &segments, jiff::Timestamp::now()).await?;
    let rows: Vec<minijinja::Value> = segments
        .iter()
        .zip(&counts)
        .map(|(segment, count)| {
            minijinja::context! {
                segment => Serde(segment),
                members => count.members,
                reachable => count.reachable,
            }
        })
        .collect();
    Ok(page.render(
        &state,
        "segments.html",
        minijinja::context! { section => "campaigns", segments => rows },
    ))
}

async fn segment_page(
    state: &AppState,
    page: &Page,
    form: SegmentForm,
    id: Option<i64>,
    problems: &[FieldProblem],
    preview: Option<&SegmentPreview>,
) -> PageResult {
    let status = match problems.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let channels = state.store.catalog().await?.channels;
    Ok(page.render_with_status(
        state,
        status,
        "segment_form.html",
        minijinja::context! {
            section => "campaigns",
            form => Serde(form.with_blank_rows()),
            id => id,
            fields => Field::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
            channels => Serde(&channels),
            preview => Serde(preview),
            errors => Serde(page.field_errors(state, problems)),
        },
    ))
}

async fn new_segment(State(state): State<AppState>, page: Page) -> PageResult {
    let form = SegmentForm {
        combine: "all".to_owned(),
        ..SegmentForm::default()
    };
    segment_page(&state, &page, form, None, &[], None).await
}

async fn show_segment(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    let segment = state.store.segment(id).await?;
    let preview = campaigns::preview(
        state.store.as_ref(),
        &segment.fields,
        jiff::Timestamp::now(),
    )
    .await?;
    let form = SegmentForm {
        id: id.to_string(),
        ..SegmentForm::of(&segment.fields)
    };
    segment_page(&state, &page, form, Some(id), &[], Some(&preview)).await
}

async fn save_segment(state: AppState, page: Page, id: Option<i64>, body: Bytes) -> PageResult {
    let form = SegmentForm::parse(&body);
    let (fields, rows) = form.fields();
    match campaigns::save_segment(state.store.as_ref(), id, &fields, &page.caller.actor()).await {
        Ok(saved) => Ok(Redirect::to(&format!("/segments/{}", saved.id)).into_response()),
        Err(e) => {
            let problems = by_row(form_problems(e)?.0, &rows);
            segment_page(&state, &page, form, id, &problems, None).await
        }
    }
}

async fn create_segment(State(state): State<AppState>, page: Page, body: Bytes) -> PageResult {
    save_segment(state, page, None, body).await
}

async fn update_segment(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    body: Bytes,
) -> PageResult {
    save_segment(state, page, Some(id), body).await
}

/// The form again with who the rules hold now; nothing is stored.
async fn preview_segment(State(state): State<AppState>, page: Page, body: Bytes) -> PageResult {
    let form = SegmentForm::parse(&body);
    let id = form.id.trim().parse::<i64>().ok();
    let (mut fields, rows) = form.fields();
    // A draft needs no name to be counted.
    if fields.name.trim().is_empty() {
        fields.name = "–".to_owned();
    }
    match campaigns::preview(state.store.as_ref(), &fields, jiff::Timestamp::now()).await {
        Ok(preview) => segment_page(&state, &page, form, id, &[], Some(&preview)).await,
        Err(e) => {
            let problems = by_row(form_problems(e)?.0, &rows);
            segment_page(&state, &page, form, id, &problems, None).await
        }
    }
}

async fn delete_segment(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    match state.store.delete_segment(id, &page.caller.actor()).await {
        Ok(()) => Ok(Redirect::to("/segments").into_response()),
        Err(e) => Ok(page.error(&state, e)),
    }
}

/// The new campaign form as the browser sends it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct CampaignForm {
    name: String,
    segment_id: String,
    template_id: String,
    per_minute: String,
}

async fn campaigns_list(
    state: &AppState,
    page: &Page,
    form: &CampaignForm,
    problems: &[FieldProblem],
) -> PageResult {
    let status = match problems.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(page.render_with_status(
        state,
        status,
        "campaigns.html",
        minijinja::context! {
            section => "campaigns",
            campaigns => Serde(state.store.campaigns().await?),
            segments => Serde(state.store.segments().await?),
            templates => Serde(state.store.message_templates().await?),
            form => Serde(form),
            errors => Serde(page.field_errors(state, problems)),
        },
    ))
}

async fn campaigns_page(State(state): State<AppState>, page: Page) -> PageResult {
    let form = CampaignForm {
        per_minute: PER_MINUTE_DEFAULT.to_string(),
        ..CampaignForm::default()
    };
    campaigns_list(&state, &page, &form, &[]).await
}

async fn create_campaign(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<CampaignForm>,
) -> PageResult {
    let id = |text: &str| text.trim().parse::<i64>().unwrap_or(0);
    let fields = CampaignFields {
        name: form.name.clone(),
        segment_id: id(&form.segment_id),
        template_id: id(&form.template_id),
        per_minute: form.per_minute.trim().parse().unwrap_or(0),
    };
    match campaigns::create(state.store.as_ref(), &fields, &page.caller.actor()).await {
        Ok(campaign) => Ok(Redirect::to(&format!("/campaigns/{}", campaign.id)).into_response()),
        Err(e) => {
            let problems = form_problems(e)?;
            campaigns_list(&state, &page, &form, &problems.0).await
        }
    }
}

/// What the campaign page says happened: a test queued, or a send's counts.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct Outcome {
    tested: String,
    queued: Option<u64>,
    already: Option<u64>,
    without_consent: Option<u64>,
}

async fn campaign_page(
    state: &AppState,
    page: &Page,
    id: i64,
    outcome: &Outcome,
    to: &str,
    refusal: Option<(StatusCode, &[FieldProblem])>,
) -> PageResult {
    let (status, problems) = refusal.unwrap_or((StatusCode::OK, &[]));
    let store = state.store.as_ref();
    let campaign = store.campaign(id).await?;
    let segment = store.segment(campaign.fields.segment_id).await?;
    let template = store.message_template(campaign.fields.template_id).await?;
    let now = jiff::Timestamp::now();
    let (draft, reach) = campaigns::draft_and_reach(store, id, now).await?;
    let guideline = store.guideline().await?;
    let findings: Vec<crate::wording::FindingText> = draft
        .findings
        .iter()
        .map(|f| crate::wording::finding(&state.messages, page.lang, f, &guideline))
        .collect();
    Ok(page.render_with_status(
        state,
        status,
        "campaign.html",
        minijinja::context! {
            section => "campaigns",
            campaign => Serde(&campaign),
            segment => Serde(&segment),
            template => Serde(&template),
            draft => Serde(&draft),
            findings => Serde(&findings),
            reach => Serde(&reach),
            recipients => Serde(store.campaign_recipients(id).await?),
            outcome => Serde(outcome),
            to => to,
            errors => Serde(page.field_errors(state, problems)),
        },
    ))
}

async fn show_campaign(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    axum::extract::Query(outcome): axum::extract::Query<Outcome>,
) -> PageResult {
    campaign_page(&state, &page, id, &outcome, "", None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TestForm {
    to: String,
}

async fn test_campaign(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    axum::Form(form): axum::Form<TestForm>,
) -> PageResult {
    let now = jiff::Timestamp::now();
    match campaigns::test(
        state.store.as_ref(),
        id,
        &form.to,
        &page.caller.actor(),
        now,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/campaigns/{id}?tested=1")).into_response()),
        Err(e) => {
            let (status, problems) = form_refusal(e)?;
            let refusal = Some((status, problems.0.as_slice()));
            campaign_page(&state, &page, id, &Outcome::default(), &form.to, refusal).await
        }
    }
}

async fn send_campaign(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    let now = jiff::Timestamp::now();
    match campaigns::send(state.store.as_ref(), id, &page.caller.actor(), now).await {
        Ok(sent) => Ok(Redirect::to(&format!(
            "/campaigns/{id}?queued={}&already={}&without_consent={}",
            sent.queued, sent.already, sent.without_consent
        ))
        .into_response()),
        Err(e) => {
            let (status, problems) = form_refusal(e)?;
            let refusal = Some((status, problems.0.as_slice()));
            campaign_page(&state, &page, id, &Outcome::default(), "", refusal).await
        }
    }
}

/// The ids and signature an unsubscribe link names.
#[derive(Debug, Deserialize)]
struct Link {
    campaign: i64,
    customer: i64,
    sig: String,
}

/// The page a customer reaches from a campaign mail: a button, because a GET must change
/// nothing (mail scanners open links before the customer does).
async fn unsubscribe_page(
    State(state): State<AppState>,
    page: Page,
    Path(link): Path<Link>,
) -> Response {
    page.render(
        &state,
        "unsubscribe.html",
        minijinja::context! { state => "ask", link => format!("/u/{}/{}/{}", link.campaign, link.customer, link.sig) },
    )
}

/// Withdraws the consent: from the page's button, or from the mail client's own (RFC 8058),
/// which posts `List-Unsubscribe=One-Click` without cookies.
async fn unsubscribe(
    State(state): State<AppState>,
    page: Page,
    Path(link): Path<Link>,
) -> PageResult {
    let done = campaigns::unsubscribe(
        state.store.as_ref(),
        link.campaign,
        link.customer,
        &link.sig,
    )
    .await;
    let state_name = match done {
        Ok(Unsubscribed::Now) => "done",
        Ok(Unsubscribed::Already) => "already",
        Err(touchpoints_app::AppError::NotFound { .. }) => {
            return Ok(page.render_with_status(
                &state,
                StatusCode::NOT_FOUND,
                "unsubscribe.html",
                minijinja::context! { state => "invalid" },
            ));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(page.render(
        &state,
        "unsubscribe.html",
        minijinja::context! { state => state_name },
    ))
}
