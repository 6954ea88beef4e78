//! The SQLite backend: the embedded default, one file beside the binary.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AssertSqlSafe, SqliteConnection};

use crate::dialect::Dialect;
use crate::{AbortOnDrop, Result, StoreError};

/// SQLite's dialect.
pub(crate) struct SqliteDialect;

/// This backend's dialect: the one name the shared SQL reads it by.
type Backend = SqliteDialect;

impl Dialect for SqliteDialect {
    type Db = sqlx::Sqlite;

    const NAME: &'static str = "sqlite";

    /// Take the write lock at the start: a deferred transaction that reads first and writes
    /// later fails at once with "database is locked" instead of waiting for the busy timeout.
    const BEGIN: &'static str = "BEGIN IMMEDIATE";

    /// A plain read: writes here hold the database's one write lock from their start, which
    /// keeps the admins as read until the transaction ends.
    const ACTIVE_ADMINS: &'static str =
        "SELECT id FROM users WHERE role = 'admin' AND disabled = 0";

    /// Nothing here: the write already holds the database's write lock.
    const LOCK_ROW: &'static str = "";

    /// In WAL mode a deferred transaction reads one snapshot, from its first read to its end.
    const READ_SNAPSHOT: &'static str = "BEGIN";

    /// None here: the write lock suffices.
    const IDENTITY_LOCK: Option<&'static str> = None;

    const JSON_ROWS: &'static str = "json_each($1) AS batch";

    const JSON_VALUES: &'static str = "json_each($1) AS batch";

    /// Nothing here: see [`SqliteDialect::inserted_ids`].
    const RETURNING_ID: &'static str = "";

    /// Nothing here, as a scan of `json_each` yields the array in order (an ORDER BY would
    /// sort the rows in a temporary B-tree all the same).
    const IN_BATCH_ORDER: &'static str = "";

    /// Not here. SQLite files `$1` as a named parameter, and the driver looks each name up
    /// in a list of them all, which makes binding thousands of them slow; nameless `?` bind
    /// in order.
    const NUMBERED_PARAMS: bool = false;

    const JSON_AGG: &'static str = "json_group_array";
    const JSON_ARRAY: &'static str = "json_array";

    /// The migrations in `migrations/sqlite/`: listed by the build script from the folder,
    /// so every file there is applied.
    const MIGRATIONS: &'static [(i64, &'static str, &'static str)] =
        include!(concat!(env!("OUT_DIR"), "/migrations_sqlite.rs"));

    /// The write lock keeps other writers out and AUTOINCREMENT numbers the rows of one
    /// statement one after another, so the last id and the count give them all; reading
    /// them back as rows would cost a hand-off to the connection's worker thread per row.
    async fn inserted_ids(
        conn: &mut SqliteConnection,
        query: sqlx::query::Query<'_, sqlx::Sqlite, <sqlx::Sqlite as sqlx::Database>::Arguments>,
    ) -> std::result::Result<Vec<i64>, sqlx::Error> {
        let done = query.execute(conn).await?;
        let count = i64::try_from(done.rows_affected()).unwrap_or(i64::MAX);
        let last = done.last_insert_rowid();
        Ok((last.saturating_sub(count) + 1..=last).collect())
    }
}

// The same SQL, compiled against this backend's dialect and driver: see sql.rs.
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
#[path = "sql_intake.rs"]
mod sql_intake;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_inventory.rs"]
mod sql_inventory;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_keys.rs"]
mod sql_keys;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_library.rs"]
mod sql_library;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_personal_data.rs"]
mod sql_personal_data;
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
    ///
    /// The URL's `durability` parameter chooses how a write is kept: `full` (the default)
    /// makes each commit wait until the write-ahead log is on the disk; `relaxed` leaves that
    /// to the checkpoints, about once a second, so a power cut can take the writes confirmed
    /// since. Opening fails with a configuration error naming the setting if SQLite does not
    /// run the connections as asked.
    pub async fn open(url: &str) -> Result<SqliteStore> {
        let (url, durability) = take_durability(url)?;
        let options = SqliteConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Config(format!("invalid SQLite URL \"{url}\": {e}")))?
            .create_if_missing(true)
            // WAL lets readers go on while one writer commits; the durability decides whether
            // a commit waits for the log to reach the disk.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(durability.synchronous())
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // Checkpoints run in the background (see `checkpoints`); a commit checkpoints
            // itself, fsync included, only if the log grows past 40 MiB regardless.
            .pragma("wal_autocheckpoint", "10000")
            // What a write deletes or replaces is overwritten, so that erased personal data
            // does not linger in the file's free space.
            .pragma("secure_delete", "ON");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        // Before the migrations write through this pool.
        require(&pool, durability).await?;
        let mut store = SqliteStore::prepare(pool).await?;
        // The one connection that writes keeps the pages writes touch (the queue's indexes,
        // profiles, roll-ups) in a cache larger than SQLite's 2 MiB default.
        store.writes = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.pragma("cache_size", "-65536"))
            .await?;
        require(&store.writes, durability).await?;
        // Keeps the query planner's statistics fresh; cheap when nothing changed.
        sqlx::query(AssertSqlSafe("PRAGMA optimize"))
            .execute(&store.pool)
            .await?;
        let task = tokio::spawn(checkpoints(store.pool.clone()));
        store._background = Some(Arc::new(AbortOnDrop(task.abort_handle())));
        Ok(store)
    }

    /// The durability the connection that writes runs with, read back from SQLite: `"full"`
    /// (`synchronous=FULL` or stronger) or `"relaxed"` (`synchronous=NORMAL`), both with the
    /// write-ahead log. Anything else is a configuration error naming what SQLite runs with.
    pub async fn durability(&self) -> Result<&'static str> {
        let (journal_mode, synchronous) = in_force(&self.writes).await?;
        if journal_mode != "wal" {
            return Err(not_wal(&journal_mode));
        }
        match synchronous {
            2.. => Ok(Durability::Full.name()),
            1 => Ok(Durability::Relaxed.name()),
            _ => Err(StoreError::Config(format!(
                "SQLite runs this database with synchronous={}, which no durability setting \
                 asks for",
                synchronous_name(synchronous)
            ))),
        }
    }
}

/// How a confirmed write is kept on SQLite, as the database URL's `durability` parameter
/// names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Durability {
    /// `synchronous=FULL`: each commit waits until the write-ahead log is on the disk, so a
    /// write once confirmed survives a power cut or a crash of the operating system.
    Full,
    /// `synchronous=NORMAL`: the log reaches the disk at checkpoints (about once a second),
    /// so such a cut can take the writes confirmed since; the database stays consistent.
    Relaxed,
}

impl Durability {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Durability::Full => "full",
            Durability::Relaxed => "relaxed",
        }
    }

    fn synchronous(self) -> SqliteSynchronous {
        match self {
            Durability::Full => SqliteSynchronous::Full,
            Durability::Relaxed => SqliteSynchronous::Normal,
        }
    }

    /// What `PRAGMA synchronous` reads under this durability, at least.
    fn level(self) -> i64 {
        match self {
            Durability::Full => 2,
            Durability::Relaxed => 1,
        }
    }
}

/// The database URL without its `durability` parameter, and the durability that asks for:
/// `full` without one. An unknown value, or the parameter given twice, is a configuration
/// error that names it.
pub(crate) fn take_durability(url: &str) -> Result<(String, Durability)> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_owned(), Durability::Full));
    };
    let mut durability = None;
    let mut rest = Vec::new();
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key != "durability" {
            rest.push(pair);
            continue;
        }
        if durability.is_some() {
            return Err(StoreError::Config(
                "the database URL names its durability twice".into(),
            ));
        }
        durability = Some(match value {
            "full" => Durability::Full,
            "relaxed" => Durability::Relaxed,
            other => {
                return Err(StoreError::Config(format!(
                    "invalid durability \"{other}\": use full or relaxed"
                )));
            }
        });
    }
    let url = if rest.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    Ok((url, durability.unwrap_or(Durability::Full)))
}

/// The journal mode and synchronous level a connection of the pool runs with.
async fn in_force(pool: &sqlx::SqlitePool) -> Result<(String, i64)> {
    let mut conn = pool.acquire().await?;
    let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await?;
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await?;
    Ok((journal_mode.to_ascii_lowercase(), synchronous))
}

/// Refuses a pool whose connections do not run as the durability asks: SQLite keeps its
/// journal mode when it cannot use the write-ahead log (on a file system without shared
/// memory, say) and only says so when asked.
async fn require(pool: &sqlx::SqlitePool, durability: Durability) -> Result<()> {
    let (journal_mode, synchronous) = in_force(pool).await?;
    // An in-memory database keeps nothing past the process: there is nothing to make
    // durable, and it has no write-ahead log.
    if journal_mode == "memory" {
        return Ok(());
    }
    if journal_mode != "wal" {
        return Err(not_wal(&journal_mode));
    }
    if synchronous < durability.level() {
        return Err(StoreError::Config(format!(
            "SQLite runs this database with synchronous={}, not {} as durability={} asks",
            synchronous_name(synchronous),
            synchronous_name(durability.level()),
            durability.name()
        )));
    }
    Ok(())
}

fn not_wal(journal_mode: &str) -> StoreError {
    StoreError::Config(format!(
        "SQLite runs this database with journal_mode={journal_mode}, not wal: the file system \
         may not support the write-ahead log (a network share, say)"
    ))
}

fn synchronous_name(level: i64) -> String {
    match level {
        0 => "OFF".into(),
        1 => "NORMAL".into(),
        2 => "FULL".into(),
        3 => "EXTRA".into(),
        other => other.to_string(),
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
