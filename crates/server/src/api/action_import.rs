//! Actions imported into the plan from a CSV or XLSX file with the columns of its export.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use serde::Serialize;
use touchpoints_app::AppError;
use touchpoints_app::action_import::{self, FileFormat};
use touchpoints_store::StoredAction;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What an import stored.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportAnswer {
    /// How many actions were created.
    pub created: usize,
    /// The new actions, in the order of the file's rows.
    pub actions: Vec<StoredAction>,
}

#[utoipa::path(post, path = "/api/v1/actions/import", tag = "action plan",
    request_body(
        description = "A file with the columns of the plan's export (`/actions/export.csv` or `.xlsx`), any order and case; `kind` and `title` are required, `rank`, `id`, `quick_win` and `points` are read over. Touchpoints by name separated by `;`, the owner by user name or display name, budgets per quarter as `2027-Q1: 5000.00/1200.00` (planned/spent euros) separated by `;`. Each row becomes a new action.",
        content(
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )
    ),
    responses(
        (status = 201, description = "Every row stored as a new action, in one transaction", body = ImportAnswer),
        (status = 415, description = "The body is neither `text/csv` nor an XLSX workbook", body = ErrorBody),
        (status = 422, description = "Problems of the file, each named by row and column as `rows[4].due` (rows as a spreadsheet numbers them, the header row 1; `file` for the whole file); nothing stored", body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match content_type.as_str() {
        "text/csv" => FileFormat::Csv,
        XLSX => FileFormat::Xlsx,
        _ => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "send the file as text/csv or {XLSX}"
            )));
        }
    };
    let actions = action_import::import(
        state.store.as_ref(),
        format,
        &body,
        jiff::Timestamp::now(),
        &caller.actor(),
    )
    .await
    .map_err(AppError::from)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(ImportAnswer {
            created: actions.len(),
            actions,
        }),
    ))
}
