//! The SQLite backend: the embedded default, one file beside the binary.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::AssertSqlSafe;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::{AbortOnDrop, Result, StoreError};

type Db = sqlx::Sqlite;

const BACKEND: &str = "sqlite";

/// Take the write lock at the start: a deferred transaction that reads first and writes later
/// fails at once with "database is locked" instead of waiting for the busy timeout.
const BEGIN: &str = "BEGIN IMMEDIATE";

/// The active admins, in a statement that keeps them until the transaction ends. Writes
/// here hold the database's one write lock from their start, so a plain read suffices.
const ACTIVE_ADMINS: &str = "SELECT id FROM users WHERE role = 'admin' AND disabled = 0";

/// What a write appends to the read of a row it is about to change, to keep others from
/// changing it meanwhile. Nothing here: the write already holds the database's write lock.
const LOCK_ROW: &str = "";

/// A read-only transaction that reads one snapshot: in WAL mode a deferred transaction does,
/// from its first read to its end.
const READ_SNAPSHOT: &str = "BEGIN";

/// What a write runs before it resolves customer identities, so that two writes never
/// create two profiles for one new identifier. Nothing here: the write lock suffices.
const IDENTITY_LOCK: Option<&str> = None;

/// The rows of a batch bound as `$1`, a JSON array of rows (see `sql::json_rows`): a table
/// `batch` with the row as `value` and its place in the array as `key`, so that a statement
/// writes or looks up a whole batch with one parameter.
const JSON_ROWS: &str = "json_each($1) AS batch";

/// The values of a batch bound as `$1`, a JSON array of strings or numbers: a table `batch`
/// with each value as `value`, as text or a number (text on PostgreSQL, hence a CAST for
/// numbers). What a lookup of many keys binds: one parameter, and no JSON taken apart per row.
const JSON_VALUES: &str = "json_each($1) AS batch";

/// What ends an INSERT whose ids [`inserted_ids`] reads: nothing here.
const RETURNING_ID: &str = "";

/// The ids of the rows one INSERT stored, in the order of its rows. The write lock
/// keeps other writers out and AUTOINCREMENT numbers the rows of one statement one after
/// another, so the last id and the count give them all; reading them back as rows would
/// cost a hand-off to the connection's worker thread per row.
async fn inserted_ids(
    conn: &mut sqlx::SqliteConnection,
    query: sqlx::query::Query<'_, Db, <Db as sqlx::Database>::Arguments>,
) -> std::result::Result<Vec<i64>, sqlx::Error> {
    let done = query.execute(conn).await?;
    let count = i64::try_from(done.rows_affected()).unwrap_or(i64::MAX);
    let last = done.last_insert_rowid();
    Ok((last.saturating_sub(count) + 1..=last).collect())
}

/// What makes an INSERT … SELECT from [`JSON_ROWS`] insert the rows in the batch's order:
/// nothing here, as a scan of `json_each` yields the array in order (an ORDER BY would sort
/// the rows in a temporary B-tree all the same).
const IN_BATCH_ORDER: &str = "";

/// Whether a statement of many values numbers its placeholders (`$1`): not here. SQLite
/// files `$1` as a named parameter, and the driver looks each name up in a list of them all,
/// which makes binding thousands of them slow; nameless `?` bind in order.
const NUMBERED_PARAMS: bool = false;

/// The aggregate that gathers rows into one JSON array, and the function that makes a JSON
/// array of values (see `sql::json_table`).
const JSON_AGG: &str = "json_group_array";
const JSON_ARRAY: &str = "json_array";

/// The migrations in `migrations/sqlite/`, as (version, description, SQL) in version order:
/// listed by the build script from the folder, so every file there is applied.
const MIGRATIONS: &[(i64, &str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/migrations_sqlite.rs"));

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

pub use sql::SqlStore as SqliteStore;

impl SqliteStore {
    /// Opens (creating if missing) the database file the URL names and migrates it.
    pub async fn open(url: &str) -> Result<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("invalid SQLite URL \"{url}\": {e}")))?
            .create_if_missing(true)
            // WAL lets readers go on while one writer commits; NORMAL is durable in WAL mode
            // except for the last transactions before a power loss.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // Checkpoints run in the background (see `checkpoints`); a commit checkpoints
            // itself, fsync included, only if the log grows past 40 MiB regardless.
            .pragma("wal_autocheckpoint", "10000");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        let mut store = SqliteStore::prepare(pool, MIGRATIONS).await?;
        // The one connection that writes keeps the pages writes touch (the queue's indexes,
        // profiles, roll-ups) in a cache larger than SQLite's 2 MiB default.
        store.writes = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.pragma("cache_size", "-65536"))
            .await?;
        // Keeps the query planner's statistics fresh; cheap when nothing changed.
        sqlx::query(AssertSqlSafe("PRAGMA optimize"))
            .execute(&store.pool)
            .await?;
        let task = tokio::spawn(checkpoints(store.pool.clone()));
        store._background = Some(Arc::new(AbortOnDrop(task.abort_handle())));
        Ok(store)
    }
}

/// Copies what the write-ahead log holds into the database file once a second, so that
/// commits need not: SQLite's own checkpoint runs inside the commit that crosses its
/// threshold and makes that writer, and every writer waiting for the connection, wait for
/// the copy and an fsync. PASSIVE never waits for readers or writers.
async fn checkpoints(pool: sqlx::SqlitePool) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::warn!(error = %e, "checkpoint of the write-ahead log failed");
        }
    }
}
