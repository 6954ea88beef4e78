//! The one error type of the JSON API: each variant is one status code, and every body has the
//! same shape, `{"message": …, "errors": [{"field", "code", "message", …}]}`, so a client
//! handles them all in one place. Internal details are logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use touchpoints_app::AppError;
use touchpoints_core::{FieldProblem, Problems};
use touchpoints_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON, or not of the declared content type.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("the body is larger than the server accepts")]
    PayloadTooLarge,
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    /// No valid session or API token.
    #[error("{0}")]
    Unauthorized(String),
    /// Logged in, but the role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    /// Well-formed input that breaks a rule; names each field and problem.
    #[error("invalid input: {0}")]
    Unprocessable(Problems),
    /// Input that collides with stored data (a name already taken, a key still in use).
    #[error("conflict: {0}")]
    Conflict(Problems),
    #[error("too many requests; wait a minute and try again")]
    TooManyRequests,
    #[error("internal error: {0}")]
    Internal(String),
    /// An error answer made outside the API's handlers (by axum or a layer), given the
    /// API's body with the status's own reason.
    #[error("{}", .0.canonical_reason().unwrap_or("error"))]
    Status(StatusCode),
}

/// The detail of an internal error, carried on its response to the middleware that logs it
/// once, in the request's span; it never reaches the client.
#[derive(Debug, Clone)]
pub struct InternalDetail(pub String);

/// The body of every error response.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in English.
    pub message: String,
    /// One entry per field problem; empty for errors that concern no field.
    pub errors: Vec<FieldProblem>,
}

/// The one mapping of the use cases' errors to the API's answers.
impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Malformed(message) => ApiError::BadRequest(message),
            AppError::Invalid(problems) => ApiError::Unprocessable(problems),
            AppError::NotFound { entity } => ApiError::NotFound { entity },
            AppError::Conflict(problems) => ApiError::Conflict(problems),
            AppError::Forbidden(message) => ApiError::Forbidden(message),
            AppError::Internal(detail) => ApiError::Internal(detail),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        AppError::from(error).into()
    }
}

impl From<Problems> for ApiError {
    fn from(problems: Problems) -> Self {
        ApiError::Unprocessable(problems)
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Status(status) => *status,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut detail = None;
        let too_many = matches!(self, ApiError::TooManyRequests);
        let (message, errors) = match self {
            ApiError::Unprocessable(p) => ("invalid input".to_owned(), p.0),
            ApiError::Conflict(p) => ("conflict with stored data".to_owned(), p.0),
            ApiError::Internal(d) => {
                detail = Some(InternalDetail(d));
                ("internal error; see the server log".to_owned(), Vec::new())
            }
            other => (other.to_string(), Vec::new()),
        };
        let mut response = (status, axum::Json(ErrorBody { message, errors })).into_response();
        if too_many {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("60"),
            );
        }
        if let Some(detail) = detail {
            response.extensions_mut().insert(detail);
        }
        response
    }
}
