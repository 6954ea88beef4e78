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
    Database(sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Stored data that cannot be read back; a bug or a hand-edited database.
    #[error("corrupt data in {table}: {reason}")]
    Corrupt { table: &'static str, reason: String },
}

impl From<sqlx::Error> for StoreError {
    /// A text with a NUL character is the caller's input, not a failure of the database:
    /// PostgreSQL's text and JSON cannot hold one (SQLSTATE 22021, and 22P05 for `\u0000`
    /// in JSON), and no name, key or message means one. Whatever field carried it, the
    /// statement stored nothing.
    fn from(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error
            && matches!(db.code().as_deref(), Some("22021" | "22P05"))
        {
            return StoreError::Invalid(Problems::single(
                "",
                Problem::Invalid {
                    reason: "a text contains a NUL character".into(),
                },
            ));
        }
        StoreError::Database(error)
    }
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

/// The kind of constraint a write violated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Constraint {
    /// A UNIQUE constraint or index, or a primary key.
    Unique,
    /// A foreign key.
    ForeignKey,
}

/// One entry of the table [`StoreError::from_violation`] reads: what the violation of a kind
/// of constraint (with a name, where one table's constraints of a kind mean different things)
/// means to the caller.
pub(crate) struct OnViolation {
    constraint: Constraint,
    /// A part of the violated constraint's or index's name (`phase` for
    /// `touchpoints_phase_fkey`). PostgreSQL names it and SQLite does not, so on SQLite an
    /// entry with a name never applies and the first without one decides.
    name: Option<&'static str>,
    error: StoreError,
}

impl OnViolation {
    pub(crate) fn unique(error: StoreError) -> Self {
        OnViolation {
            constraint: Constraint::Unique,
            name: None,
            error,
        }
    }

    pub(crate) fn foreign_key(error: StoreError) -> Self {
        OnViolation {
            constraint: Constraint::ForeignKey,
            name: None,
            error,
        }
    }

    /// Applies only to a constraint whose name contains `part`.
    pub(crate) fn named(self, part: &'static str) -> Self {
        OnViolation {
            name: Some(part),
            ..self
        }
    }
}

impl StoreError {
    /// What a write's error means: for a violated unique or foreign-key constraint, the error
    /// of the first entry of `table` of its kind whose name part (if any) its name contains;
    /// any other error, or a violation the table does not list, stays a database error.
    /// Build the table inside `map_err`, so that a write that succeeds builds none.
    pub(crate) fn from_violation(
        error: sqlx::Error,
        table: impl IntoIterator<Item = OnViolation>,
    ) -> StoreError {
        let meaning = match &error {
            sqlx::Error::Database(db) => {
                let constraint = if db.is_unique_violation() {
                    Some(Constraint::Unique)
                } else if db.is_foreign_key_violation() {
                    Some(Constraint::ForeignKey)
                } else {
                    None
                };
                let name = db.constraint();
                constraint.and_then(|kind| {
                    table.into_iter().find(|entry| {
                        entry.constraint == kind
                            && entry
                                .name
                                .is_none_or(|part| name.is_some_and(|n| n.contains(part)))
                    })
                })
            }
            _ => None,
        };
        meaning.map_or(StoreError::Database(error), |entry| entry.error)
    }

    /// Invalid input: `field` names something that was deleted meanwhile.
    pub(crate) fn deleted_meanwhile(field: impl Into<String>) -> Self {
        StoreError::Invalid(Problems::single(
            field,
            Problem::Invalid {
                reason: "was deleted meanwhile".into(),
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use sqlx::error::{DatabaseError, ErrorKind};

    use super::*;

    /// A violation as a driver reports it: its kind and, on PostgreSQL, the constraint's name.
    #[derive(Debug)]
    struct Violation(ErrorKind, Option<&'static str>);

    impl fmt::Display for Violation {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{:?} {:?}", self.0, self.1)
        }
    }

    impl std::error::Error for Violation {}

    impl DatabaseError for Violation {
        fn message(&self) -> &str {
            "violation"
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn constraint(&self) -> Option<&str> {
            self.1
        }
        fn kind(&self) -> ErrorKind {
            match self.0 {
                ErrorKind::UniqueViolation => ErrorKind::UniqueViolation,
                ErrorKind::ForeignKeyViolation => ErrorKind::ForeignKeyViolation,
                _ => ErrorKind::Other,
            }
        }
    }

    fn violated(kind: ErrorKind, name: Option<&'static str>) -> sqlx::Error {
        sqlx::Error::Database(Box::new(Violation(kind, name)))
    }

    /// The field the error names, or `None` for a database error.
    fn field(error: StoreError) -> Option<String> {
        match error {
            StoreError::Invalid(p) | StoreError::Conflict(p) => Some(p.0[0].field.clone()),
            _ => None,
        }
    }

    fn table() -> [OnViolation; 4] {
        [
            OnViolation::unique(StoreError::duplicate("name", "x")),
            OnViolation::foreign_key(StoreError::deleted_meanwhile("phase")).named("phase"),
            OnViolation::foreign_key(StoreError::deleted_meanwhile("channel")).named("channel"),
            OnViolation::foreign_key(StoreError::deleted_meanwhile("either")),
        ]
    }

    #[test]
    fn the_first_entry_of_the_kind_and_name_decides() {
        let cases = [
            (ErrorKind::UniqueViolation, None, Some("name")),
            (ErrorKind::UniqueViolation, Some("t_name_key"), Some("name")),
            (
                ErrorKind::ForeignKeyViolation,
                Some("t_phase_fkey"),
                Some("phase"),
            ),
            (
                ErrorKind::ForeignKeyViolation,
                Some("t_channel_fkey"),
                Some("channel"),
            ),
            // SQLite names no constraint: the first entry without a name decides.
            (ErrorKind::ForeignKeyViolation, None, Some("either")),
            (
                ErrorKind::ForeignKeyViolation,
                Some("t_owner_fkey"),
                Some("either"),
            ),
            (ErrorKind::CheckViolation, None, None),
        ];
        for (kind, name, expected) in cases {
            let case = format!("{kind:?} {name:?}");
            let error = StoreError::from_violation(violated(kind, name), table());
            assert_eq!(field(error).as_deref(), expected, "{case}");
        }
    }

    #[test]
    fn a_violation_the_table_does_not_list_stays_a_database_error() {
        let error = StoreError::from_violation(
            violated(ErrorKind::ForeignKeyViolation, None),
            [OnViolation::unique(StoreError::duplicate("name", "x"))],
        );
        assert!(matches!(error, StoreError::Database(_)));
        let error = StoreError::from_violation(
            sqlx::Error::RowNotFound,
            [OnViolation::unique(StoreError::duplicate("name", "x"))],
        );
        assert!(matches!(
            error,
            StoreError::Database(sqlx::Error::RowNotFound)
        ));
    }
}
