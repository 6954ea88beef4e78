//! Customer requests in the API: intake from every channel (one request or a batch), the
//! queue, one request with its score and steps, and an agent's step on it.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use touchpoints_core::request::{RequestAction, RequestInput, RequestStatus};
use touchpoints_core::{Problem, Problems};
use touchpoints_store::{IntakeOutcome, QueueFilter, QueueView, StoreError};

use super::extract::{Json, JsonBody, Path, Query, from_value, parse};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::scoring;

type Result<T> = std::result::Result<T, ApiError>;

/// The most requests one batch may hold.
pub const BATCH_MAX: usize = 5_000;

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

/// A request of an intake body as read: its input, or the problem with its shape.
type ReadRequest = std::result::Result<RequestInput, Problems>;

/// A batch (`{"requests": [...]}`) or one request, read in one pass when every request in
/// it has the right shape: the common case, and the fast one. `None` otherwise.
fn read_intake(body: &[u8]) -> Option<(bool, Vec<ReadRequest>)> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Batch {
        requests: Vec<RequestInput>,
    }
    if let Ok(b) = serde_json::from_slice::<Batch>(body) {
        return Some((true, b.requests.into_iter().map(Ok).collect()));
    }
    serde_json::from_slice::<RequestInput>(body)
        .ok()
        .map(|r| (false, vec![Ok(r)]))
}

/// Reads an intake body that [`read_intake`] could not, item by item, so that the answer
/// names every problem: a field unknown to a batch, or each request's first bad field.
fn read_intake_naming_problems(body: &[u8]) -> Result<(bool, Vec<ReadRequest>)> {
    let body: Value = parse(body)?;
    let (batch, items) = match body {
        Value::Object(mut map) if map.contains_key("requests") => {
            let mut problems = Problems::default();
            for key in map.keys().filter(|k| *k != "requests") {
                problems.push(
                    key.clone(),
                    Problem::Invalid {
                        reason: "unknown field; a batch has only `requests`".into(),
                    },
                );
            }
            if !problems.is_empty() {
                return Err(ApiError::Unprocessable(problems));
            }
            match map.remove("requests") {
                Some(Value::Array(items)) => (true, items),
                _ => {
                    return Err(ApiError::Unprocessable(Problems::single(
                        "requests",
                        Problem::Invalid {
                            reason: "must be a list of requests".into(),
                        },
                    )));
                }
            }
        }
        single => (false, vec![single]),
    };
    let prefix = |i: usize| {
        if batch {
            format!("requests[{i}].")
        } else {
            String::new()
        }
    };
    Ok((
        batch,
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| from_value::<RequestInput>(item, &prefix(i)))
            .collect(),
    ))
}

/// What a batch did, one result per request in order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BatchResult {
    pub results: Vec<IntakeResult>,
}

/// The store names the fields of a batch `[3].channel`: the API's names are
/// `requests[3].channel` in a batch and `channel` for a single request.
fn rename(problems: Problems, batch: bool) -> Problems {
    Problems(
        problems
            .0
            .into_iter()
            .map(|mut p| {
                p.field = if batch {
                    format!("requests{}", p.field)
                } else {
                    p.field
                        .strip_prefix("[0].")
                        .map_or(p.field.clone(), str::to_owned)
                };
                p
            })
            .collect(),
    )
}

#[utoipa::path(post, path = "/api/v1/requests", tag = "queue",
    request_body(content = RequestInput, description = "One request, or `{\"requests\": [...]}` (a `RequestBatch`) of up to 5,000 stored all or none"),
    responses(
        (status = 201, description = "Stored; a batch answers with a `BatchResult`", body = IntakeResult),
        (status = 200, description = "Stored before under the same external id with the same content: nothing new", body = IntakeResult),
        (status = 400, description = "Body is not JSON", body = ErrorBody),
        (status = 409, description = "An external id stored before with other content; names the field that differs", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named (`requests[3].channel` in a batch); nothing stored", body = ErrorBody)))]
pub async fn intake(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response> {
    let (batch, inputs) = match read_intake(&body) {
        Some(read) => read,
        None => read_intake_naming_problems(&body)?,
    };
    if batch && inputs.is_empty() {
        return Err(Problems::single("requests", Problem::Required).into());
    }
    if inputs.len() > BATCH_MAX {
        return Err(Problems::single("requests", Problem::TooMany { max: BATCH_MAX }).into());
    }
    let catalog = state.store.catalog().await?;
    let now = Timestamp::now();
    let mut problems = Problems::default();
    let mut requests = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.into_iter().enumerate() {
        let prefix = if batch {
            format!("requests[{i}].")
        } else {
            String::new()
        };
        match input {
            Ok(input) => requests.push(input.validate_into(&mut problems, &prefix, &catalog, now)),
            Err(p) => problems.0.extend(p.0),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::Unprocessable(problems));
    }
    let outcomes = state
        .store
        .intake(&requests, &caller.actor())
        .await
        .map_err(|e| match e {
            StoreError::Invalid(p) => ApiError::Unprocessable(rename(p, batch)),
            StoreError::Conflict(p) => ApiError::Conflict(rename(p, batch)),
            other => other.into(),
        })?;
    let any_created = outcomes.iter().any(|o| o.created);
    if any_created {
        let id = if batch { 0 } else { outcomes[0].id };
        state.queue_events.send(id, "intake");
    }
    let status = if any_created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    if batch {
        let results = outcomes.into_iter().map(IntakeResult::from).collect();
        return Ok((status, axum::Json(BatchResult { results })).into_response());
    }
    let result = IntakeResult::from(outcomes[0]);
    let location = format!("/api/v1/requests/{}", result.id);
    Ok((status, [(header::LOCATION, location)], axum::Json(result)).into_response())
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

/// A request as the API shows it: with its score at this instant.
fn request_json(
    request: &touchpoints_store::StoredRequest,
    score: &touchpoints_core::priority::Score,
) -> Value {
    let mut value = serde_json::to_value(request).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("score".into(), json!(score));
    }
    value
}

#[utoipa::path(get, path = "/api/v1/requests", tag = "queue",
    params(QueueQuery),
    responses((status = 200, description = "The queue in priority order, each request with its score and the score's parts"),
        (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<QueueQuery>,
) -> Result<axum::Json<Vec<Value>>> {
    let filter = query.filter(&caller.actor())?;
    let requests = state.store.queue(&filter).await?;
    let settings = state.store.queue_settings().await?;
    let customers = scoring::customers_of(&state, &requests).await?;
    let now = Timestamp::now();
    Ok(axum::Json(
        requests
            .iter()
            .map(|r| {
                let customer = r.customer_id.and_then(|id| customers.get(&id));
                request_json(r, &scoring::score(&state, &settings, r, customer, now))
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "queue",
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, description = "The request with its score, its steps and its customer's profile"),
        (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, Path(id): Path<i64>) -> Result<axum::Json<Value>> {
    let request = state.store.request(id).await?;
    let customer = match request.customer_id {
        Some(c) => Some(state.store.customer(c).await?),
        None => None,
    };
    let settings = state.store.queue_settings().await?;
    let score = scoring::score(
        &state,
        &settings,
        &request,
        customer.as_ref(),
        Timestamp::now(),
    );
    let mut value = request_json(&request, &score);
    if let Value::Object(map) = &mut value {
        map.insert("customer".into(), json!(customer));
        map.insert(
            "steps".into(),
            json!(state.store.request_messages(id).await?),
        );
    }
    Ok(axum::Json(value))
}

#[utoipa::path(post, path = "/api/v1/requests/{id}/actions", tag = "queue",
    params(("id" = i64, Path, description = "Request id")),
    request_body = RequestAction,
    responses((status = 200, description = "The request after the step"),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The request's status forbids the step", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn act(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(action): Json<RequestAction>,
) -> Result<axum::Json<Value>> {
    let action = action.validate()?;
    let request = state.store.act(id, &action, &caller.actor()).await?;
    state.queue_events.send(id, action.name());
    Ok(axum::Json(
        serde_json::to_value(request).unwrap_or(Value::Null),
    ))
}
