//! The PostgreSQL backend: the production store, shared by any number of app servers.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::{Result, StoreError};

type Db = sqlx::Postgres;

const BACKEND: &str = "postgres";

/// Writes run in READ COMMITTED; every write checks what it depends on inside its transaction,
/// locks the rows it reads in order to change them ([`LOCK_ROW`]), and the constraints catch
/// the rest.
const BEGIN: &str = "BEGIN";

/// The active admins, locked until the transaction ends, so that two admins demoting each
/// other at once cannot both succeed and leave none.
const ACTIVE_ADMINS: &str =
    "SELECT id FROM users WHERE role = 'admin' AND disabled = 0 ORDER BY id FOR UPDATE";

/// What a write appends to the read of a row it is about to change: the row stays locked
/// until the transaction ends, so two writes of one touchpoint take turns and the second
/// reads (and diffs against) what the first wrote.
const LOCK_ROW: &str = " FOR UPDATE";

/// A read-only transaction that reads one snapshot: in READ COMMITTED each statement would
/// read its own.
const READ_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// What a write runs before it resolves customer identities, so that two writes never
/// create two profiles for one new identifier: a transaction-scoped advisory lock, so
/// intakes (each a batch) take turns while every other write goes on.
const IDENTITY_LOCK: Option<&str> = Some("SELECT pg_advisory_xact_lock(7401)");

/// The rows of a batch bound as `$1`, a JSON array of rows (see `sql::json_rows`): a table
/// `batch` with the row as `value` and its place in the array as `key`, so that a statement
/// writes or looks up a whole batch with one parameter.
const JSON_ROWS: &str =
    "json_array_elements(CAST($1 AS JSON)) WITH ORDINALITY AS batch(value, key)";

/// The values of a batch bound as `$1`, a JSON array of strings or numbers: a table `batch`
/// with each value as `value`, as text or a number (text on PostgreSQL, hence a CAST for
/// numbers). What a lookup of many keys binds: one parameter, and no JSON taken apart per row.
const JSON_VALUES: &str = "json_array_elements_text(CAST($1 AS JSON)) AS batch(value)";

/// What ends an INSERT whose ids [`inserted_ids`] reads.
const RETURNING_ID: &str = " RETURNING id";

/// The ids of the rows one INSERT stored, in the order of its rows. A sequence
/// numbers the rows in the order they are inserted, so sorted they are in order (RETURNING
/// itself promises no order).
async fn inserted_ids(
    conn: &mut sqlx::PgConnection,
    query: sqlx::query::Query<'_, Db, <Db as sqlx::Database>::Arguments>,
) -> std::result::Result<Vec<i64>, sqlx::Error> {
    use sqlx::Row;
    let mut ids = query
        .fetch_all(conn)
        .await?
        .iter()
        .map(|row| row.try_get::<i64, _>(0))
        .collect::<std::result::Result<Vec<i64>, _>>()?;
    ids.sort_unstable();
    Ok(ids)
}

/// What makes an INSERT … SELECT from [`JSON_ROWS`] insert the rows in the batch's order.
const IN_BATCH_ORDER: &str = " ORDER BY batch.key";

/// Whether a statement of many values numbers its placeholders (`$1`), as PostgreSQL needs.
const NUMBERED_PARAMS: bool = true;

/// The aggregate that gathers rows into one JSON array, and the function that makes a JSON
/// array of values (see `sql::json_table`).
const JSON_AGG: &str = "json_agg";
const JSON_ARRAY: &str = "json_build_array";

/// The migrations in `migrations/postgres/`, as (version, description, SQL) in version order:
/// listed by the build script from the folder, so every file there is applied.
const MIGRATIONS: &[(i64, &str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/migrations_postgres.rs"));

// The same SQL, compiled against this backend's `Db`: see sql.rs.
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql.rs"]
mod sql;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_accounts.rs"]
mod sql_accounts;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_audit.rs"]
mod sql_audit;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_customers.rs"]
mod sql_customers;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_library.rs"]
mod sql_library;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_requests.rs"]
mod sql_requests;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_standards.rs"]
mod sql_standards;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_surveys.rs"]
mod sql_surveys;

pub use sql::SqlStore as PostgresStore;

impl PostgresStore {
    /// Connects to the database the URL names and migrates it.
    pub async fn open(url: &str) -> Result<PostgresStore> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("invalid PostgreSQL URL: {e}")))?;
        PostgresStore::open_with(options).await
    }

    /// Like [`PostgresStore::open`], with options built by the caller (a schema, say).
    pub async fn open_with(options: PgConnectOptions) -> Result<PostgresStore> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect_with(options)
            .await?;
        PostgresStore::prepare(pool, MIGRATIONS).await
    }
}
