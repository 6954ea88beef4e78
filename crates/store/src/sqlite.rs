//! The SQLite backend: the embedded default, one file beside the binary.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqliteLockingMode, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Connection, SqliteConnection};

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

    /// The write-ahead log still holds the pages as they were before the erasure: this
    /// copies it into the database file and empties it (`secure_delete` has overwritten the
    /// erased text in the pages it copies).
    const AFTER_ERASURE: Option<&'static str> = Some("PRAGMA wal_checkpoint(TRUNCATE)");

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

    /// Here. The driver runs each statement on its connection's own thread and hands the
    /// answer back; a writer task on the busy HTTP runtime waited its turn there for every
    /// statement of a group, and the group's writers waited with it.
    const WRITER_THREAD: bool = true;

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
#[path = "sql_actions.rs"]
mod sql_actions;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_audit.rs"]
mod sql_audit;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_campaigns.rs"]
mod sql_campaigns;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_chats.rs"]
mod sql_chats;
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
#[path = "sql_limits.rs"]
mod sql_limits;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_organisation.rs"]
mod sql_organisation;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_outbox.rs"]
mod sql_outbox;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_personal_data.rs"]
mod sql_personal_data;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_programme.rs"]
mod sql_programme;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_requests.rs"]
mod sql_requests;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_standards.rs"]
mod sql_standards;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_surveys.rs"]
mod sql_surveys;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_templates.rs"]
mod sql_templates;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_turns.rs"]
mod sql_turns;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose")]
#[path = "sql_webhooks.rs"]
mod sql_webhooks;

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
            // A connection to a file cannot drop like one over a network: testing it before
            // each use would cost a hand-off to its thread and back on every read.
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await?;
        // Before the migrations write through this pool.
        require(&pool, durability).await?;
        let mut store = SqliteStore::prepare(pool).await?;
        // The one connection that writes keeps the pages writes touch (the queue's indexes,
        // profiles, roll-ups) in a cache larger than SQLite's 2 MiB default. Its thread runs
        // on the CPU of the group commits' threads (see `writer_cpu`): the driver runs a
        // connection's statements on a thread it makes, and only a function SQLite calls
        // runs there, so a collation pins it when a new connection first compares with it.
        store.writes = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::query(AssertSqlSafe(format!(
                        "SELECT 'a' < 'b' COLLATE {PIN_WRITER}"
                    )))
                    .execute(conn)
                    .await?;
                    Ok(())
                })
            })
            .connect_with(options.pragma("cache_size", "-65536").collation(
                PIN_WRITER,
                |a: &str, b: &str| {
                    crate::writer_cpu::pin_this_thread();
                    a.cmp(b)
                },
            ))
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

/// The collation that pins the thread of the connection that writes (see
/// [`SqliteStore::open`]); it compares like SQLite's own `BINARY`.
const PIN_WRITER: &str = "touchpoints_pin_writer";

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

impl SqliteStore {
    /// Writes a consistent copy of the database the URL names to `target`, while the server
    /// and other processes go on reading and writing it: `VACUUM INTO` copies one snapshot,
    /// compacted, to a new file beside `target`, which is synced to disk and then renamed to
    /// `target` in one step, so `target` never holds half a copy. An existing `target` is
    /// replaced only if `replace` says so. Fails with a configuration error if there is no
    /// database or it holds no Touchpoints schema.
    pub async fn backup(url: &str, target: &Path, replace: bool) -> Result<()> {
        let (options, database) = file_options(url)?;
        if !database.is_file() {
            return Err(StoreError::Config(format!(
                "there is no database at {}",
                database.display()
            )));
        }
        // Absolute, so that SQLite never reads the name as a `file:` URI.
        let target = std::path::absolute(target).map_err(|e| io_error(target, &e))?;
        if !replace && target.exists() {
            return Err(StoreError::Config(format!(
                "{} exists already",
                target.display()
            )));
        }
        if same_file(&target, &database) {
            return Err(StoreError::Config(format!(
                "{} is the database itself",
                target.display()
            )));
        }
        let temp = beside(&target, "backup");
        let Some(temp_name) = temp.to_str() else {
            return Err(StoreError::Config(format!(
                "{} is not a name SQLite can write to (not UTF-8)",
                target.display()
            )));
        };
        let mut conn =
            SqliteConnection::connect_with(&options.busy_timeout(Duration::from_secs(5))).await?;
        let copied = async {
            schema_version(&mut conn, &database).await?;
            sqlx::query("VACUUM INTO ?")
                .bind(temp_name)
                .execute(&mut conn)
                .await?;
            Ok::<(), StoreError>(())
        }
        .await;
        let closed = conn.close().await;
        let done = copied.and(closed.map_err(StoreError::from)).and_then(|()| {
            sync_file(&temp).map_err(|e| io_error(&temp, &e))?;
            if !replace && target.exists() {
                return Err(StoreError::Config(format!(
                    "{} exists already",
                    target.display()
                )));
            }
            std::fs::rename(&temp, &target).map_err(|e| io_error(&target, &e))?;
            sync_dir(&target).map_err(|e| io_error(&target, &e))
        });
        if done.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        done
    }

    /// Puts the backup at `source` in place of the database the URL names. The backup must be
    /// a Touchpoints database this version can open: SQLite finds it intact, and every
    /// migration it records is one of this version's (an older backup is brought up to date
    /// the next time the store opens). It is copied beside the database, synced, and renamed
    /// over it in one step, so the database is the old one or the backup, never a mix.
    ///
    /// Refuses while another connection has the database open: SQLite grants an exclusive
    /// lock only then. A server that starts while the restore runs is not noticed, so stop
    /// the server before a restore.
    pub async fn restore(url: &str, source: &Path) -> Result<()> {
        let (options, database) = file_options(url)?;
        inspect(source).await?;
        if same_file(source, &database) {
            return Err(StoreError::Config(format!(
                "{} is the database itself",
                source.display()
            )));
        }
        let temp = beside(&database, "restore");
        // The restored file gets the permissions of the one it replaces.
        let permissions = std::fs::metadata(&database).ok().map(|m| m.permissions());
        let done = async {
            copy_synced(source, &temp, permissions).map_err(|e| io_error(&temp, &e))?;
            release(options, &database).await?;
            std::fs::rename(&temp, &database).map_err(|e| io_error(&database, &e))?;
            sync_dir(&database).map_err(|e| io_error(&database, &e))
        }
        .await;
        if done.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        done
    }
}

/// The options of a plain connection to the database file a SQLite URL names (never created
/// by it), and that file.
fn file_options(url: &str) -> Result<(SqliteConnectOptions, PathBuf)> {
    let (url, _) = take_durability(url)?;
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (name, query) = rest.split_once('?').unwrap_or((rest, ""));
    if name == ":memory:" || query.split('&').any(|pair| pair == "mode=memory") {
        return Err(StoreError::Config(
            "an in-memory database has no file to back up or restore".into(),
        ));
    }
    let options = SqliteConnectOptions::from_str(&url)
        .map_err(|e| StoreError::Config(format!("invalid SQLite URL \"{url}\": {e}")))?
        .create_if_missing(false);
    let file = options.get_filename().to_path_buf();
    Ok((options, file))
}

/// A name for a file that becomes `file` by a rename: in the same folder, so that the rename
/// is one step, and hidden.
fn beside(file: &Path, purpose: &str) -> PathBuf {
    let name = file
        .file_name()
        .map_or_else(|| "touchpoints.db".into(), |n| n.to_string_lossy());
    file.with_file_name(format!(".{name}.{purpose}-{}", std::process::id()))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Checks that the file at `path` is an intact Touchpoints database this version can open,
/// reading it only.
async fn inspect(path: &Path) -> Result<i64> {
    if !path.is_file() {
        return Err(StoreError::Config(format!(
            "there is no file {}",
            path.display()
        )));
    }
    // Immutable: read as the file is, without locks and without a log beside it, which is
    // what the restore copies; nothing is written next to the backup.
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| unreadable(path, e))?;
    let result = async {
        let check: String = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| unreadable(path, e))?;
        if check != "ok" {
            return Err(StoreError::Config(format!(
                "{} is damaged: SQLite's check finds \"{check}\"",
                path.display()
            )));
        }
        schema_version(&mut conn, path).await
    }
    .await;
    let _ = conn.close().await;
    result
}

/// The newest migration the database records, after checking that every migration it
/// records is one of this version's and was applied whole.
async fn schema_version(conn: &mut SqliteConnection, path: &Path) -> Result<i64> {
    let applied: Vec<(i64, Vec<u8>, bool)> =
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.message().contains("no such table") => {
                    not_touchpoints(path, "it records no migrations")
                }
                _ => unreadable(path, e),
            })?;
    let known = crate::migrator(SqliteDialect::MIGRATIONS);
    for (version, checksum, success) in &applied {
        let Some(migration) = known.iter().find(|m| m.version == *version) else {
            return Err(StoreError::Config(format!(
                "{} comes from a newer version of Touchpoints: its schema has migration \
                 {version}, which this version does not know",
                path.display()
            )));
        };
        if migration.checksum.as_ref() != checksum.as_slice() {
            return Err(not_touchpoints(
                path,
                &format!("its migration {version} differs from this version's"),
            ));
        }
        if !success {
            return Err(not_touchpoints(
                path,
                &format!("its migration {version} failed"),
            ));
        }
    }
    applied
        .last()
        .map(|(version, _, _)| *version)
        .ok_or_else(|| not_touchpoints(path, "it records no migrations"))
}

/// Makes sure that no other connection has the database open and that its write-ahead log
/// is empty: SQLite grants a connection in exclusive locking mode its first read only while
/// no other connection has the file open, and closing it checkpoints the log into the file
/// and removes the log. A file SQLite cannot read (the reason for a restore, perhaps) goes
/// with its log.
async fn release(options: SqliteConnectOptions, database: &Path) -> Result<()> {
    let in_use = || {
        StoreError::Config(format!(
            "the database {} is in use: stop the server, and any other touchpoints command \
             using it, first",
            database.display()
        ))
    };
    let log = sidecar(database, "-wal");
    if database.exists() {
        let options = options
            .locking_mode(SqliteLockingMode::Exclusive)
            .busy_timeout(Duration::ZERO);
        match claim(&options).await {
            Ok(()) => {}
            Err(e) if busy(&e) => return Err(in_use()),
            Err(_) => remove_if_there(&log)?,
        }
    } else {
        remove_if_there(&log)?;
    }
    // A log that is still there belongs to a connection that opened the file meanwhile.
    if log.exists() {
        return Err(in_use());
    }
    remove_if_there(&sidecar(database, "-shm"))
}

async fn claim(options: &SqliteConnectOptions) -> sqlx::Result<()> {
    let mut conn = SqliteConnection::connect_with(options).await?;
    let read = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sqlite_master")
        .fetch_one(&mut conn)
        .await;
    let closed = conn.close().await;
    read?;
    closed
}

/// Whether SQLite refused for a lock another connection holds (SQLITE_BUSY or SQLITE_LOCKED,
/// with their extended codes).
fn busy(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|code| code.parse::<i32>().ok())
            .is_some_and(|code| matches!(code & 0xff, 5 | 6)),
        _ => false,
    }
}

fn sidecar(database: &Path, suffix: &str) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_there(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error(path, &e)),
        _ => Ok(()),
    }
}

fn copy_synced(
    source: &Path,
    target: &Path,
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<()> {
    std::fs::copy(source, target)?;
    sync_file(target)?;
    if let Some(permissions) = permissions {
        std::fs::set_permissions(target, permissions)?;
    }
    Ok(())
}

/// Syncs a file's content to the disk.
fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .sync_all()
}

/// Syncs the folder that names `file`, so that a rename into it survives a power cut.
fn sync_dir(file: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let dir = match file.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

fn io_error(path: &Path, error: &std::io::Error) -> StoreError {
    StoreError::Config(format!("cannot write {}: {error}", path.display()))
}

fn not_touchpoints(path: &Path, why: &str) -> StoreError {
    StoreError::Config(format!(
        "{} is not a Touchpoints database: {why}",
        path.display()
    ))
}

fn unreadable(path: &Path, error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("26") => {
            not_touchpoints(path, "it is not an SQLite database")
        }
        _ => StoreError::Config(format!("cannot read {}: {error}", path.display())),
    }
}

/// One process serves a SQLite database: its server keeps its changes to itself.
#[async_trait::async_trait]
impl crate::Announcements for SqliteStore {
    async fn announce(&self, _announcements: &[crate::Announcement]) -> Result<()> {
        Ok(())
    }

    async fn follow(&self) -> Result<Option<tokio::sync::mpsc::Receiver<crate::Announcement>>> {
        Ok(None)
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The thread of the connection that writes runs on the writers' CPU only (see
    /// `writer_cpu`), from its first statement on; with one CPU no thread is pinned.
    #[tokio::test]
    async fn the_thread_that_writes_runs_on_the_writers_cpu() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let _store = SqliteStore::open(&url).await.expect("open");
        let cpus = |set: rustix::thread::CpuSet| -> Vec<usize> {
            crate::writer_cpu::cpus_in(&set).collect()
        };
        let process = cpus(rustix::thread::sched_getaffinity(None).expect("affinity"));
        // The CPUs each of the driver's threads may use. Other tests' stores may run beside
        // this one, each with a pinned thread of its own.
        let drivers: Vec<Vec<usize>> = std::fs::read_dir("/proc/self/task")
            .expect("threads")
            .filter_map(|task| {
                let task = task.ok()?;
                let name = std::fs::read_to_string(task.path().join("comm")).ok()?;
                if !name.starts_with("sqlx-sqlite-wor") {
                    return None;
                }
                let thread =
                    rustix::thread::Pid::from_raw(task.file_name().to_str()?.parse().ok()?)?;
                rustix::thread::sched_getaffinity(Some(thread))
                    .ok()
                    .map(cpus)
            })
            .collect();
        match crate::writer_cpu::cpu() {
            Some(cpu) => assert!(
                drivers.contains(&vec![cpu]),
                "no thread of the driver runs on CPU {cpu} alone: {drivers:?}"
            ),
            None => assert!(
                drivers.iter().all(|cpus| *cpus == process),
                "one CPU, yet a thread of the driver is pinned: {drivers:?}"
            ),
        }
    }
}
