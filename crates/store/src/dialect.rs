//! What the shared SQL needs from a backend beyond its driver: the trait each backend
//! implements once (`sqlite::SqliteDialect`, `postgres::PostgresDialect`), so that the
//! compiler checks every backend provides every piece. The shared modules read it through
//! one name, their parent's `Backend`.

use std::future::Future;

use sqlx::Database;
use sqlx::query::Query;

/// A backend's SQL dialect and the few steps that differ between the backends.
pub(crate) trait Dialect {
    /// The sqlx driver the shared SQL is compiled against.
    type Db: Database;

    /// The name of the backend, for logs and the health endpoint.
    const NAME: &'static str;

    /// The statement that begins a write transaction.
    const BEGIN: &'static str;

    /// The ids of the active admins, read so that they stay as read until the transaction
    /// ends.
    const ACTIVE_ADMINS: &'static str;

    /// What a write appends to the read of a row it is about to change, to keep others from
    /// changing it meanwhile.
    const LOCK_ROW: &'static str;

    /// The statement that begins a read-only transaction reading one snapshot.
    const READ_SNAPSHOT: &'static str;

    /// What a write runs before it resolves customer identities, so that two writes never
    /// create two profiles for one new identifier; `None` when the write lock suffices.
    const IDENTITY_LOCK: Option<&'static str>;

    /// What runs after an erasure of personal data commits, so that what it erased leaves
    /// the database's files as well as its tables; `None` when nothing can. A first column
    /// other than 0 in its answer says that it could not finish.
    const AFTER_ERASURE: Option<&'static str>;

    /// The rows of a batch bound as `$1`, a JSON array of rows (see `sql::json_rows`): a
    /// table `batch` with the row as `value` and its place in the array as `key`, so that a
    /// statement writes or looks up a whole batch with one parameter.
    const JSON_ROWS: &'static str;

    /// The values of a batch bound as `$1`, a JSON array of strings or numbers: a table
    /// `batch` with each value as `value`, as text or a number (text on PostgreSQL, hence a
    /// CAST for numbers). What a lookup of many keys binds: one parameter, and no JSON taken
    /// apart per row.
    const JSON_VALUES: &'static str;

    /// What ends an INSERT whose ids [`Dialect::inserted_ids`] reads.
    const RETURNING_ID: &'static str;

    /// What makes an INSERT … SELECT from [`Dialect::JSON_ROWS`] insert the rows in the
    /// batch's order.
    const IN_BATCH_ORDER: &'static str;

    /// Whether a statement of many values numbers its placeholders (`$1`) rather than
    /// leaving them nameless (`?`).
    const NUMBERED_PARAMS: bool;

    /// Whether the group commits write from a thread of their own rather than from a task
    /// on the runtime that serves HTTP (see `group_commit`).
    const WRITER_THREAD: bool;

    /// The aggregate that gathers rows into one JSON array, and the function that makes a
    /// JSON array of values (see `sql::json_table`).
    const JSON_AGG: &'static str;
    const JSON_ARRAY: &'static str;

    /// The backend's migrations as (version, description, SQL), in version order.
    const MIGRATIONS: &'static [(i64, &'static str, &'static str)];

    /// The ids of the rows one INSERT (ended by [`Dialect::RETURNING_ID`]) stored, in the
    /// order of its rows.
    fn inserted_ids(
        conn: &mut <Self::Db as Database>::Connection,
        query: Query<'_, Self::Db, <Self::Db as Database>::Arguments>,
    ) -> impl Future<Output = Result<Vec<i64>, sqlx::Error>> + Send;
}
