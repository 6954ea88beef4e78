//! The store's errors: few, so that the server can choose a status code for each.

use touchpoints_core::{Problem, Problems};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No record with that identity.
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    /// The input refers to something that does not exist (an unknown channel, say).
    #[error("invalid input: {0}")]
    Invalid(Problems),
    /// The input collides with stored data: a name already taken, a key still in use.
    #[error("conflict: {0}")]
    Conflict(Problems),
    /// The database URL or settings are unusable.
    #[error("{0}")]
    Config(String),
    /// The database cannot be reached or failed; details are in the source, not for users.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Stored data that cannot be read back; a bug or a hand-edited database.
    #[error("corrupt data in {table}: {reason}")]
    Corrupt { table: &'static str, reason: String },
}

impl StoreError {
    pub(crate) fn duplicate(field: &str, value: &str) -> Self {
        StoreError::Conflict(Problems::single(
            field,
            Problem::Duplicate {
                value: value.to_owned(),
            },
        ))
    }

    pub(crate) fn unknown(field: &str, value: &str, allowed: Vec<String>) -> Self {
        StoreError::Invalid(Problems::single(
            field,
            Problem::Unknown {
                value: value.to_owned(),
                allowed,
            },
        ))
    }

    pub(crate) fn in_use(field: &str, count: u64) -> Self {
        StoreError::Conflict(Problems::single(field, Problem::InUse { count }))
    }
}
