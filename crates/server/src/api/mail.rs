//! Mails to customers in the API: the mail server's settings, a test mail, the outbox, and
//! the mails of a request.

use axum::extract::State;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use touchpoints_app::outbox::{self, TestMail};
use touchpoints_core::mail::{MailSettings, MailSettingsInput, MailStatus};
use touchpoints_store::OutboxMail;

use super::extract::{Json, Path, Query};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

type Result<T> = std::result::Result<T, ApiError>;

/// The mail server as configured, and whether the server has its password.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MailSetup {
    /// Empty until an admin configures a mail server; until then replies are kept unsent.
    pub settings: Option<MailSettings>,
    /// Whether the server was started with `TOUCHPOINTS_SMTP_PASSWORD`.
    pub password_set: bool,
}

fn setup(state: &AppState, settings: Option<MailSettings>) -> MailSetup {
    MailSetup {
        settings,
        password_set: state.settings.smtp_password.is_some(),
    }
}

#[utoipa::path(get, path = "/api/v1/mail/settings", tag = "mail",
    responses((status = 200, description = "The mail server replies and test mails go through", body = MailSetup)))]
pub async fn get_settings(State(state): State<AppState>) -> Result<axum::Json<MailSetup>> {
    let settings = state.store.mail_settings().await?;
    Ok(axum::Json(setup(&state, settings)))
}

#[utoipa::path(put, path = "/api/v1/mail/settings", tag = "mail",
    request_body = MailSettingsInput,
    responses(
        (status = 200, description = "Stored and audited: mails due from now on go through this server", body = MailSetup),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid values, each named (`host`, `port`, `security`, `username`, `from_address`, `from_name`); nothing stored", body = ErrorBody)))]
pub async fn put_settings(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<MailSettingsInput>,
) -> Result<axum::Json<MailSetup>> {
    let settings = outbox::put_settings(state.store.as_ref(), &input, &caller.actor()).await?;
    Ok(axum::Json(setup(&state, Some(settings))))
}

/// Where a test mail goes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestMailInput {
    pub to: String,
}

#[utoipa::path(post, path = "/api/v1/mail/test", tag = "mail",
    request_body = TestMailInput,
    responses(
        (status = 200, description = "Tried at once: whether the mail server accepted the test mail, and if not, why in its words", body = TestMail),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 409, description = "No mail server is configured; names `host`", body = ErrorBody),
        (status = 422, description = "`to` is no e-mail address", body = ErrorBody)))]
pub async fn test(
    State(state): State<AppState>,
    Json(input): Json<TestMailInput>,
) -> Result<axum::Json<TestMail>> {
    let password = state.settings.smtp_password.as_ref().map(|p| p.expose());
    Ok(axum::Json(
        outbox::send_test_mail(state.store.as_ref(), password, &input.to, Timestamp::now()).await?,
    ))
}

/// The outbox: the newest mails and how many stand where.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutboxPage {
    pub mails: Vec<OutboxMail>,
    /// Every mail counted by its status.
    pub counts: Vec<StatusCount>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatusCount {
    pub status: MailStatus,
    pub count: u64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// How many of the newest mails, 1 to 500; 50 when left out.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/outbox", tag = "mail",
    params(OutboxQuery),
    responses(
        (status = 200, description = "The newest mails first, with their status and why one was not sent", body = OutboxPage),
        (status = 422, description = "`limit` out of range", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<OutboxQuery>,
) -> Result<axum::Json<OutboxPage>> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::from(touchpoints_app::AppError::Invalid(
            touchpoints_core::Problems::single(
                "limit",
                touchpoints_core::Problem::OutOfRange { min: 1, max: 500 },
            ),
        )));
    }
    let (mails, counts) = state.store.outbox(limit).await?;
    Ok(axum::Json(OutboxPage {
        mails,
        counts: counts
            .into_iter()
            .map(|(status, count)| StatusCount { status, count })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/requests/{id}/mails", tag = "queue",
    params(("id" = i64, Path, description = "The request")),
    responses(
        (status = 200, description = "The mails its replies sent, oldest first, each with its status", body = [OutboxMail]),
        (status = 404, description = "No such request", body = ErrorBody)))]
pub async fn of_request(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Vec<OutboxMail>>> {
    state.store.request(id).await?;
    Ok(axum::Json(state.store.request_mails(id).await?))
}

#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "mail",
    params(("id" = i64, Path, description = "A mail of the outbox")),
    responses(
        (status = 204, description = "Queued again, its tries counted afresh; audited"),
        (status = 404, description = "No such mail", body = ErrorBody),
        (status = 409, description = "The mail did not fail, or has no recipient; names `status`", body = ErrorBody)))]
pub async fn retry(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<axum::http::StatusCode> {
    state
        .store
        .retry_mail(id, Timestamp::now(), &caller.actor())
        .await?;
    state.outbox.wake();
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// How many held mails a release queued.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Released {
    pub released: u64,
}

#[utoipa::path(post, path = "/api/v1/outbox/release", tag = "mail",
    responses(
        (status = 200, description = "Every mail held while no mail server was configured queued to go through the one configured now; audited", body = Released),
        (status = 409, description = "No mail server is configured (`settings`), or held campaign mails need the public address (`public_url`); nothing changed", body = ErrorBody)))]
pub async fn release(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<axum::Json<Released>> {
    let released = state
        .store
        .release_held_mails(Timestamp::now(), &caller.actor())
        .await?;
    state.outbox.wake();
    Ok(axum::Json(Released { released }))
}
