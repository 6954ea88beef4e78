//! The audit log in the API, for admins.

use axum::extract::State;
use serde::Deserialize;
use touchpoints_core::audit::{AuditEntry, AuditFilter};

use super::extract::Query;
use crate::AppState;
use crate::error::{ApiError, ErrorBody};

/// The filter and how many entries at most (default 200, at most 5,000). The filter's fields
/// are spelt out rather than flattened, so that an unknown parameter is still refused.
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    actor: Option<String>,
    entity: Option<String>,
    action: Option<String>,
    from: Option<jiff::Timestamp>,
    until: Option<jiff::Timestamp>,
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit",
    params(AuditFilter, ("limit" = Option<u32>, Query, description = "At most this many entries, newest first (default 200, at most 5000)")),
    responses((status = 200, description = "Newest first", body = [AuditEntry]),
        (status = 401, description = "No valid session or API token", body = ErrorBody), (status = 403, description = "The caller's role does not allow this", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<AuditQuery>,
) -> Result<axum::Json<Vec<AuditEntry>>, ApiError> {
    let AuditQuery {
        actor,
        entity,
        action,
        from,
        until,
        limit,
    } = query;
    let filter = AuditFilter {
        actor,
        entity,
        action,
        from,
        until,
    };
    let limit = limit.unwrap_or(200).min(5_000);
    Ok(axum::Json(state.store.audit_log(&filter, limit).await?))
}
