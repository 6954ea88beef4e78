//! Customer profiles in the API: search, read with the history across channels, edit, add
//! identifiers (which may merge profiles), merge by hand and undo a merge.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use touchpoints_core::Problems;
use touchpoints_core::customer::{CustomerInput, IdentifiersInput};
use touchpoints_store::{CustomerProfile, MergeRecord, StoredRequest};

use super::extract::{Json, Path, Query};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

type Result<T> = std::result::Result<T, ApiError>;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Part of a name or identifier, without case.
    pub search: String,
}

#[utoipa::path(get, path = "/api/v1/customers", tag = "customers",
    params(CustomerQuery),
    responses((status = 200, description = "Live profiles matching the search, newest first, at most 100", body = [CustomerProfile])))]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<CustomerQuery>,
) -> Result<axum::Json<Vec<CustomerProfile>>> {
    Ok(axum::Json(state.store.customers(&query.search, 100).await?))
}

/// A profile with its history across channels.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CustomerDetail {
    #[serde(flatten)]
    pub profile: CustomerProfile,
    /// Its requests of every channel, newest first.
    pub requests: Vec<StoredRequest>,
    /// The merges it took part in, newest first.
    pub merges: Vec<MergeRecord>,
}

#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = i64, Path, description = "Customer profile id")),
    responses((status = 200, description = "The profile with its identifiers, its requests of every channel (newest first) and its merges", body = CustomerDetail),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<CustomerDetail>> {
    let profile = state.store.customer(id).await?;
    let requests = state.store.customer_requests(id).await?;
    let merges = state.store.merges(id).await?;
    Ok(axum::Json(CustomerDetail {
        profile,
        requests,
        merges,
    }))
}

#[utoipa::path(put, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = i64, Path, description = "Customer profile id")),
    request_body = CustomerInput,
    responses((status = 200, description = "The profile as stored", body = CustomerProfile),
        (status = 404, description = "Not found", body = ErrorBody), (status = 409, description = "The profile was merged into another", body = ErrorBody),
        (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(input): Json<CustomerInput>,
) -> Result<axum::Json<CustomerProfile>> {
    let fields = input.validate()?;
    let profile = state
        .store
        .update_customer(id, &fields, &caller.actor())
        .await?;
    Ok(axum::Json(profile))
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/identifiers", tag = "customers",
    params(("id" = i64, Path, description = "Customer profile id")),
    request_body = IdentifiersInput,
    responses((status = 200, description = "The surviving profile: an identifier of another profile merges the two, the older surviving", body = CustomerProfile),
        (status = 404, description = "Not found", body = ErrorBody), (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn add_identifiers(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(input): Json<IdentifiersInput>,
) -> Result<axum::Json<CustomerProfile>> {
    let mut problems = Problems::default();
    let identifiers = input.validate(&mut problems, "");
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let profile = state
        .store
        .add_identifiers(id, &identifiers, &caller.actor())
        .await?;
    state.queue_events.send(0, "customer").await;
    Ok(axum::Json(profile))
}

/// The profile to merge with.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    pub with: i64,
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/merge", tag = "customers",
    params(("id" = i64, Path, description = "Customer profile id")),
    request_body = MergeInput,
    responses((status = 200, description = "The merge record; the older profile survives", body = MergeRecord),
        (status = 404, description = "Not found", body = ErrorBody), (status = 409, description = "Conflicts with stored data; names the field", body = ErrorBody), (status = 422, description = "Invalid input; each field and problem named, nothing stored", body = ErrorBody)))]
pub async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(input): Json<MergeInput>,
) -> Result<axum::Json<MergeRecord>> {
    let record = state
        .store
        .merge_customers(id, input.with, &caller.actor())
        .await?;
    state.queue_events.send(0, "customer").await;
    Ok(axum::Json(record))
}

#[utoipa::path(post, path = "/api/v1/customer-merges/{id}/undo", tag = "customers",
    params(("id" = i64, Path, description = "Merge id")),
    responses((status = 200, description = "The merge record, undone: both profiles as they were before it", body = MergeRecord),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "Undone already, or a later merge must be undone first", body = ErrorBody)))]
pub async fn unmerge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<axum::Json<MergeRecord>> {
    let record = state.store.unmerge(id, &caller.actor()).await?;
    state.queue_events.send(0, "customer").await;
    Ok(axum::Json(record))
}
