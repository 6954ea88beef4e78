//! Customer requests in the API: intake from every channel (one request or a batch), the
//! queue, one request with its score and steps, and an agent's step on it.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use touchpoints_app::{intake, scoring, steps};
use touchpoints_core::priority::Score;
use touchpoints_core::queue::Risk;
use touchpoints_core::request::{RequestAction, RequestInput, RequestStatus};
use touchpoints_core::{Problem, Problems};
use touchpoints_store::{
    CustomerProfile, IntakeOutcome, QueueFilter, QueueSettings, QueueView, RequestMessage,
    StoredRequest,
};

use super::extract::{Json, JsonBody, Path, Query};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

type Result<T> = std::result::Result<T, ApiError>;

/// What intake did with one request.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IntakeResult {
    pub id: i64,
    pub customer_id: Option<i64>,
    /// False for a retry of a request stored before under the same external id.
    pub created: bool,
}

impl From<IntakeOutcome> for IntakeResult {
    fn from(o: IntakeOutcome) -> Self {
        IntakeResult {
            id: o.id,
            customer_id: o.customer_id,
            created: o.created,
        }
    }
}

/// Several requests, stored all or none.
#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RequestBatch {
    pub requests: Vec<RequestInput>,
}

/// What a batch did, one result per request in order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BatchResult {
    pub results: Vec<IntakeResult>,
}

/// What intake answers: the result of one request, or of a batch.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum IntakeAnswer {
    One(IntakeResult),
    Batch(BatchResult),
}

#[utoipa::path(post, path = "/api/v1/requests", tag = "queue",
    request_body(content = RequestInput, description = "One request, or `{\"requests\": [...]}` (a `RequestBatch`) of up to 5,000 stored all or none"),
    responses(
        (status = 201, description = "Stored; one request answers with an `IntakeResult` and its `Location`, a batch with a `BatchResult`", body = IntakeAnswer),
        (status = 200, description = "Stored before under the same external id with the same content: nothing new", body = IntakeAnswer),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 409, description = "An external id stored before with other content; names the field that differs", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named (`requests[3].channel` in a batch); nothing stored", body = ErrorBody)))]
pub async fn intake(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response> {
    let intake = intake::intake_json(
        state.store.as_ref(),
        &body,
        &caller.actor(),
        Timestamp::now(),
    )
    .await?;
    let (batch, outcomes) = (intake.batch, intake.outcomes);
    let any_created = outcomes.iter().any(|o| o.created);
    if any_created {
        let id = if batch { 0 } else { outcomes[0].id };
        state.queue_events.send(id, "intake").await;
    }
    let status = if any_created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    if batch {
        let results = outcomes.into_iter().map(IntakeResult::from).collect();
        let answer = IntakeAnswer::Batch(BatchResult { results });
        return Ok((status, axum::Json(answer)).into_response());
    }
    let result = IntakeResult::from(outcomes[0]);
    let location = format!("/api/v1/requests/{}", result.id);
    let answer = IntakeAnswer::One(result);
    Ok((status, [(header::LOCATION, location)], axum::Json(answer)).into_response())
}

/// Which requests the queue lists.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `all` (default), `team` (assigned to nobody) or `mine`.
    pub view: Option<String>,
    pub channel: Option<String>,
    pub touchpoint_id: Option<i64>,
    /// `open`, `waiting` or `resolved`; open and waiting when left out.
    pub status: Option<RequestStatus>,
    /// At most this many, 1 to 500 (100 when left out).
    pub limit: Option<u32>,
}

impl QueueQuery {
    /// The store's filter for the caller; an unknown view or limit is a problem.
    pub fn filter(&self, user: &str) -> std::result::Result<QueueFilter, Problems> {
        let mut problems = Problems::default();
        let view = match self.view.as_deref().unwrap_or("all") {
            "all" | "" => QueueView::All,
            "team" => QueueView::Team,
            "mine" => QueueView::Mine(user.to_owned()),
            other => {
                problems.push(
                    "view",
                    Problem::Unknown {
                        value: other.to_owned(),
                        allowed: vec!["all".into(), "team".into(), "mine".into()],
                    },
                );
                QueueView::All
            }
        };
        let limit = self.limit.unwrap_or(100);
        if !(1..=500).contains(&limit) {
            problems.push("limit", Problem::OutOfRange { min: 1, max: 500 });
        }
        problems.into_result(QueueFilter {
            view,
            channel: self.channel.clone().filter(|c| !c.is_empty()),
            touchpoint_id: self.touchpoint_id,
            status: self.status,
            due_before: None,
            due_from: None,
            limit,
        })
    }
}

/// A request as the queue shows it: with its score and its SLA risk at this instant.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueEntry {
    #[serde(flatten)]
    pub request: StoredRequest,
    pub score: Score,
    /// How the request stands against its next target, warned the organisation's
    /// `at_risk_minutes` ahead; a request that waits or is resolved is on track.
    pub risk: Risk,
}

impl QueueEntry {
    fn new(
        state: &AppState,
        settings: &QueueSettings,
        request: StoredRequest,
        customer: Option<&CustomerProfile>,
        now: Timestamp,
    ) -> QueueEntry {
        let score = scoring::score(&state.cues, settings, &request, customer, now);
        let risk = scoring::risk(settings, &request, now);
        QueueEntry {
            request,
            score,
            risk,
        }
    }
}

/// One request with everything an agent needs to work it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RequestDetail {
    #[serde(flatten)]
    pub entry: QueueEntry,
    /// The profile of the customer it came from; null when intake found none.
    pub customer: Option<CustomerProfile>,
    /// Replies, notes and events, oldest first.
    pub steps: Vec<RequestMessage>,
}

#[utoipa::path(get, path = "/api/v1/requests", tag = "queue",
    params(QueueQuery),
    responses((status = 200, description = "The queue in priority order, each request with its score, the score's parts and its SLA risk", body = [QueueEntry]),
        (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<QueueQuery>,
) -> Result<axum::Json<Vec<QueueEntry>>> {
    let filter = query.filter(&caller.actor())?;
    let requests = state.store.queue(&filter).await?;
    let settings = state.store.queue_settings().await?;
    let customers = scoring::customers_of(state.store.as_ref(), &requests).await?;
    let now = Timestamp::now();
    Ok(axum::Json(
        requests
            .into_iter()
            .map(|r| {
                let customer = r.customer_id.and_then(|id| customers.get(&id));
                QueueEntry::new(&state, &settings, r, customer, now)
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "queue",
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, description = "The request with its score, its SLA risk, its steps and its customer's profile", body = RequestDetail),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<RequestDetail>> {
    let request = state.store.request(id).await?;
    let customer = match request.customer_id {
        Some(c) => Some(state.store.customer(c).await?),
        None => None,
    };
    let settings = state.store.queue_settings().await?;
    let entry = QueueEntry::new(
        &state,
        &settings,
        request,
        customer.as_ref(),
        Timestamp::now(),
    );
    let steps = state.store.request_messages(id).await?;
    Ok(axum::Json(RequestDetail {
        entry,
        customer,
        steps,
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default, deny_unknown_fields)]
pub struct ActQuery {
    /// Send a reply although the guideline or a mandatory standard finds fault with it; the
    /// audit log records what it was sent despite.
    confirm_guideline: bool,
}

#[utoipa::path(post, path = "/api/v1/requests/{id}/actions", tag = "queue",
    params(("id" = i64, Path, description = "Request id"), ActQuery),
    request_body = RequestAction,
    responses((status = 200, description = "The request after the step; a reply to an e-mail request is queued as a mail to the customer, and so is the survey of its touchpoint when a request is resolved and the mail settings ask for it", body = StoredRequest),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "The request's status forbids the step (names `status`), or a reply breaks the guideline or a mandatory standard: one problem on `body` with rule `guideline` per finding, each with the fix; nothing stored until sent with `confirm_guideline=true`", body = ErrorBody),
        (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn act(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(query): Query<ActQuery>,
    Json(action): Json<RequestAction>,
) -> Result<axum::Json<StoredRequest>> {
    let (request, action) = steps::act(
        state.store.as_ref(),
        id,
        action,
        query.confirm_guideline,
        &caller.actor(),
        Timestamp::now(),
    )
    .await?;
    state.stepped(id, &action).await;
    Ok(axum::Json(request))
}
