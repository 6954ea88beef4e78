//! Segments and campaigns in the API: segments of customers by rules, previewed with a live
//! count; campaigns that send a message template to a segment's consenting members.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use touchpoints_app::campaigns::{self, Draft, SegmentPreview};
use touchpoints_core::campaign::CampaignFields;
use touchpoints_core::segment::SegmentFields;
use touchpoints_store::{CampaignRecipient, CampaignSend, StoredCampaign, StoredSegment};

use super::extract::{Json, Path};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

type Result<T> = std::result::Result<T, ApiError>;

#[utoipa::path(get, path = "/api/v1/segments", tag = "campaigns",
    responses((status = 200, description = "Every segment, by name", body = [StoredSegment])))]
pub async fn list_segments(
    State(state): State<AppState>,
) -> Result<axum::Json<Vec<StoredSegment>>> {
    Ok(axum::Json(state.store.segments().await?))
}

#[utoipa::path(post, path = "/api/v1/segments", tag = "campaigns",
    request_body = SegmentFields,
    responses(
        (status = 201, description = "Checked, stored and audited", body = StoredSegment),
        (status = 409, description = "Another segment has the name", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named (`rules[2].field`: an unknown field, with the allowed ones); nothing stored", body = ErrorBody)))]
pub async fn create_segment(
    State(state): State<AppState>,
    caller: Caller,
    Json(fields): Json<SegmentFields>,
) -> Result<impl IntoResponse> {
    let stored =
        campaigns::save_segment(state.store.as_ref(), None, &fields, &caller.actor()).await?;
    Ok((StatusCode::CREATED, axum::Json(stored)))
}

#[utoipa::path(get, path = "/api/v1/segments/{id}", tag = "campaigns",
    params(("id" = i64, Path, description = "A segment")),
    responses(
        (status = 200, description = "The segment", body = StoredSegment),
        (status = 404, description = "No such segment", body = ErrorBody)))]
pub async fn get_segment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<StoredSegment>> {
    Ok(axum::Json(state.store.segment(id).await?))
}

#[utoipa::path(put, path = "/api/v1/segments/{id}", tag = "campaigns",
    params(("id" = i64, Path, description = "A segment")),
    request_body = SegmentFields,
    responses(
        (status = 200, description = "Checked, stored and audited", body = StoredSegment),
        (status = 404, description = "No such segment", body = ErrorBody),
        (status = 409, description = "Another segment has the name", body = ErrorBody),
        (status = 422, description = "Invalid fields, as for creating one; nothing stored", body = ErrorBody)))]
pub async fn update_segment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(fields): Json<SegmentFields>,
) -> Result<axum::Json<StoredSegment>> {
    let stored =
        campaigns::save_segment(state.store.as_ref(), Some(id), &fields, &caller.actor()).await?;
    Ok(axum::Json(stored))
}

#[utoipa::path(delete, path = "/api/v1/segments/{id}", tag = "campaigns",
    params(("id" = i64, Path, description = "A segment")),
    responses(
        (status = 204, description = "Deleted and audited"),
        (status = 404, description = "No such segment", body = ErrorBody),
        (status = 409, description = "Campaigns use it (`segment_id`, code `in_use`)", body = ErrorBody)))]
pub async fn delete_segment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    state.store.delete_segment(id, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/segments/preview", tag = "campaigns",
    request_body = SegmentFields,
    responses(
        (status = 200, description = "How many customers the rules hold now, how many a campaign would reach, and the first of them; nothing stored", body = SegmentPreview),
        (status = 422, description = "Invalid fields, as for creating one", body = ErrorBody)))]
pub async fn preview_segment(
    State(state): State<AppState>,
    Json(fields): Json<SegmentFields>,
) -> Result<axum::Json<SegmentPreview>> {
    let preview = campaigns::preview(state.store.as_ref(), &fields, jiff::Timestamp::now()).await?;
    Ok(axum::Json(preview))
}

#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns",
    responses((status = 200, description = "Every campaign, newest first, with its mails per status", body = [StoredCampaign])))]
pub async fn list_campaigns(
    State(state): State<AppState>,
) -> Result<axum::Json<Vec<StoredCampaign>>> {
    Ok(axum::Json(state.store.campaigns().await?))
}

#[utoipa::path(post, path = "/api/v1/campaigns", tag = "campaigns",
    request_body = CampaignFields,
    responses(
        (status = 201, description = "Stored as a draft and audited; nothing sent", body = StoredCampaign),
        (status = 422, description = "Invalid fields, each named: `name`, `per_minute`, or a `segment_id` or `template_id` that does not exist", body = ErrorBody)))]
pub async fn create_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Json(fields): Json<CampaignFields>,
) -> Result<impl IntoResponse> {
    let stored = campaigns::create(state.store.as_ref(), &fields, &caller.actor()).await?;
    Ok((StatusCode::CREATED, axum::Json(stored)))
}

/// A campaign with its message as its first recipient gets it and its recipients so far.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignOut {
    pub campaign: StoredCampaign,
    pub draft: Draft,
    pub recipients: Vec<CampaignRecipient>,
}

#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "campaigns",
    params(("id" = i64, Path, description = "A campaign")),
    responses(
        (status = 200, description = "The campaign, its message filled for its first recipient with the guideline's findings, and each recipient's mail", body = CampaignOut),
        (status = 404, description = "No such campaign", body = ErrorBody)))]
pub async fn get_campaign(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<CampaignOut>> {
    let store = state.store.as_ref();
    Ok(axum::Json(CampaignOut {
        campaign: store.campaign(id).await?,
        draft: campaigns::draft(store, id, jiff::Timestamp::now()).await?,
        recipients: store.campaign_recipients(id).await?,
    }))
}

/// Where a campaign's test mail goes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestInput {
    /// An e-mail address.
    pub to: String,
}

#[utoipa::path(post, path = "/api/v1/campaigns/{id}/test", tag = "campaigns",
    params(("id" = i64, Path, description = "A campaign")),
    request_body = TestInput,
    responses(
        (status = 204, description = "The message, filled for the first recipient, queued to the address alone"),
        (status = 404, description = "No such campaign", body = ErrorBody),
        (status = 409, description = "A mail server is set but no public address for the links (`public_url`); without a mail server the mails are held in the outbox", body = ErrorBody),
        (status = 422, description = "`to` is not an e-mail address", body = ErrorBody)))]
pub async fn test_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(input): Json<TestInput>,
) -> Result<StatusCode> {
    campaigns::test(
        state.store.as_ref(),
        id,
        &input.to,
        &caller.actor(),
        jiff::Timestamp::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/campaigns/{id}/send", tag = "campaigns",
    params(("id" = i64, Path, description = "A campaign")),
    responses(
        (status = 202, description = "Mails queued to the segment's members with an address and consent who had not got it; sent at the campaign's pace", body = CampaignSend),
        (status = 404, description = "No such campaign", body = ErrorBody),
        (status = 409, description = "A mail server is set but no public address for the links (`public_url`); without a mail server the mails are held in the outbox", body = ErrorBody)))]
pub async fn send_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse> {
    let sent = campaigns::send(
        state.store.as_ref(),
        id,
        &caller.actor(),
        jiff::Timestamp::now(),
    )
    .await?;
    Ok((StatusCode::ACCEPTED, axum::Json(sent)))
}
