//! The one error of every use case. Each variant is one answer a front end gives: the API maps
//! it to a status and the JSON error body, the pages to a status and an error page, the
//! command line to a message and an exit code — each in one place.

use touchpoints_core::Problems;
use touchpoints_store::StoreError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    /// The input cannot be read at all (JSON that is not JSON).
    #[error("{0}")]
    Malformed(String),
    /// Well-formed input that breaks a rule; names each field and problem.
    #[error("invalid input: {0}")]
    Invalid(Problems),
    /// No record with that identity.
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    /// The input collides with stored data (a name already taken, a key still in use, a
    /// step the request's status forbids).
    #[error("conflict: {0}")]
    Conflict(Problems),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Something that is not the caller's fault: the database, the system's randomness.
    /// The detail is for the log, never for the caller.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { entity } => AppError::NotFound { entity },
            StoreError::Invalid(problems) => AppError::Invalid(problems),
            StoreError::Conflict(problems) => AppError::Conflict(problems),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<Problems> for AppError {
    fn from(problems: Problems) -> Self {
        AppError::Invalid(problems)
    }
}

impl AppError {
    /// The field problems of an invalid or conflicting input; empty for the other errors.
    pub fn problems(&self) -> &[touchpoints_core::FieldProblem] {
        match self {
            AppError::Invalid(p) | AppError::Conflict(p) => &p.0,
            _ => &[],
        }
    }

    /// The same error with every field named under `prefix` as the caller named it
    /// (`requests[3].` for the fourth request of a batch).
    pub fn map_fields(self, rename: impl Fn(String) -> String) -> Self {
        let rename_all = |p: Problems| {
            Problems(
                p.0.into_iter()
                    .map(|mut f| {
                        f.field = rename(f.field);
                        f
                    })
                    .collect(),
            )
        };
        match self {
            AppError::Invalid(p) => AppError::Invalid(rename_all(p)),
            AppError::Conflict(p) => AppError::Conflict(rename_all(p)),
            other => other,
        }
    }
}
