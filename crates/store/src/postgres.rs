//! The PostgreSQL backend: the production store, shared by any number of app servers.

use std::str::FromStr;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use tokio::sync::mpsc;

use crate::dialect::Dialect;
use crate::{Announcement, Announcements, Result, StoreError};

/// PostgreSQL's dialect.
pub(crate) struct PostgresDialect;

/// This backend's dialect: the one name the shared SQL reads it by.
type Backend = PostgresDialect;

impl Dialect for PostgresDialect {
    type Db = sqlx::Postgres;

    const NAME: &'static str = "postgres";

    /// Writes run in READ COMMITTED; every write checks what it depends on inside its
    /// transaction, locks the rows it reads in order to change them ([`Dialect::LOCK_ROW`]),
    /// and the constraints catch the rest.
    const BEGIN: &'static str = "BEGIN";

    /// Locked until the transaction ends, so that two admins demoting each other at once
    /// cannot both succeed and leave none.
    const ACTIVE_ADMINS: &'static str =
        "SELECT id FROM users WHERE role = 'admin' AND disabled = 0 ORDER BY id FOR UPDATE";

    /// The row stays locked until the transaction ends, so two writes of one touchpoint take
    /// turns and the second reads (and diffs against) what the first wrote.
    const LOCK_ROW: &'static str = " FOR UPDATE";

    /// In READ COMMITTED each statement would read its own snapshot.
    const READ_SNAPSHOT: &'static str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

    /// A transaction-scoped advisory lock, so intakes (each a batch) take turns while every
    /// other write goes on.
    const IDENTITY_LOCK: Option<&'static str> = Some("SELECT pg_advisory_xact_lock(7401)");

    /// Nothing the store can do: old row versions stay in the server's files until its
    /// vacuum reclaims their space and new rows take it, and in its write-ahead log until
    /// that is recycled.
    const AFTER_ERASURE: Option<&'static str> = None;

    const JSON_ROWS: &'static str =
        "json_array_elements(CAST($1 AS JSON)) WITH ORDINALITY AS batch(value, key)";

    /// Through an array: the planner takes `json_array_elements_text` for a hundred rows,
    /// whatever it is given, and judged a hash over a table of some thousands of rows (or
    /// over all its recent rows) cheaper than a hundred index seeks, while an intake of one
    /// request looks up one key. It takes `unnest` of an array it cannot see into for ten
    /// rows, and seeks: one request per call ran 2.5 times as fast, and a lookup of a
    /// thousand keys a third faster.
    const JSON_VALUES: &'static str =
        "unnest(ARRAY(SELECT json_array_elements_text(CAST($1 AS JSON)))) AS batch(value)";

    const RETURNING_ID: &'static str = " RETURNING id";

    const IN_BATCH_ORDER: &'static str = " ORDER BY batch.key";

    /// PostgreSQL needs numbers.
    const NUMBERED_PARAMS: bool = true;

    /// Not here: a connection's socket belongs to the runtime that opened it.
    const WRITER_THREAD: bool = false;

    const JSON_AGG: &'static str = "json_agg";
    const JSON_ARRAY: &'static str = "json_build_array";

    /// The migrations in `migrations/postgres/`: listed by the build script from the
    /// folder, so every file there is applied.
    const MIGRATIONS: &'static [(i64, &'static str, &'static str)] =
        include!(concat!(env!("OUT_DIR"), "/migrations_postgres.rs"));

    /// A sequence numbers the rows in the order they are inserted, so sorted they are in
    /// order (RETURNING itself promises no order).
    async fn inserted_ids(
        conn: &mut sqlx::PgConnection,
        query: sqlx::query::Query<
            '_,
            sqlx::Postgres,
            <sqlx::Postgres as sqlx::Database>::Arguments,
        >,
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

pub use sql::SqlStore as PostgresStore;

impl PostgresStore {
    /// Connects to the database the URL names and migrates it.
    ///
    /// How long a confirmed write lasts is the server's to decide (`synchronous_commit`), so
    /// the URL's `durability` may only be `full`; `relaxed` is a configuration error.
    pub async fn open(url: &str) -> Result<PostgresStore> {
        let (url, durability) = crate::sqlite::take_durability(url)?;
        if durability != crate::sqlite::Durability::Full {
            return Err(StoreError::Config(format!(
                "durability={} applies to SQLite only: on PostgreSQL, the server's \
                 synchronous_commit decides how confirmed writes are kept",
                durability.name()
            )));
        }
        let options = PgConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Config(format!("invalid PostgreSQL URL: {e}")))?;
        PostgresStore::open_with(options).await
    }

    /// Like [`PostgresStore::open`], with options built by the caller (a schema, say).
    pub async fn open_with(options: PgConnectOptions) -> Result<PostgresStore> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect_with(options)
            .await?;
        warn_unless_durable(&pool).await?;
        // App servers starting at once take turns: the first migrates and fills in the
        // defaults, the others find it done. The lock is a session's, held on a connection
        // of its own that is closed afterwards, so that no error leaves it held.
        let mut lock = pool.acquire().await?.detach();
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut lock)
            .await?;
        let prepared = PostgresStore::prepare(pool).await;
        let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut lock)
            .await;
        if let Err(e) = lock.close().await {
            tracing::debug!(error = %e, "closing the migration lock's connection failed");
        }
        let store = prepared?;
        unlocked?;
        Ok(store)
    }
}

/// The advisory lock app servers take turns under while they bring the schema up to date.
const MIGRATION_LOCK: i64 = 7400;

/// The channel of the queue's announcements: one per schema, so that databases kept side by
/// side in schemas of one PostgreSQL database do not hear each other.
const CHANNEL: &str = "SELECT CASE COALESCE(current_schema(), 'public') \
     WHEN 'public' THEN 'touchpoints_queue' \
     ELSE 'touchpoints_queue.' || current_schema() END";

/// How long a follower waits before it tries its lost connection again, at most.
const RETRY_AT_MOST: std::time::Duration = std::time::Duration::from_secs(30);

#[async_trait::async_trait]
impl Announcements for PostgresStore {
    /// A notification per announcement, `<request id>:<what>`, all sent by one statement:
    /// PostgreSQL commits notifying transactions one at a time, so a transaction per
    /// announcement would bound busy queues to one commit per change. Like any notifications
    /// of one transaction, identical ones are heard once.
    async fn announce(&self, announcements: &[Announcement]) -> Result<()> {
        if announcements.is_empty() {
            return Ok(());
        }
        let payloads: Vec<String> = announcements
            .iter()
            .map(|announcement| format!("{}:{}", announcement.request_id, announcement.what))
            .collect();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT pg_notify(({CHANNEL}), payload) FROM unnest($1::text[]) AS payload"
        )))
        .bind(payloads)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// One connection that listens, in a task that forwards what it hears and ends when
    /// the receiver is dropped.
    async fn follow(&self) -> Result<Option<mpsc::Receiver<Announcement>>> {
        let channel: String = sqlx::query_scalar(CHANNEL).fetch_one(&self.pool).await?;
        let mut listener = PgListener::connect_with(&self.pool).await?;
        listener.listen(&channel).await?;
        let (sender, receiver) = mpsc::channel(256);
        tokio::spawn(forward(listener, sender));
        Ok(Some(receiver))
    }
}

/// Forwards the notifications `listener` hears to `sender` until `sender`'s receiver is gone;
/// a lost connection is logged, made again (with growing pauses while that fails), and
/// reported as a `resync`.
async fn forward(mut listener: PgListener, sender: mpsc::Sender<Announcement>) {
    let resync = || Announcement {
        request_id: 0,
        what: "resync".to_owned(),
    };
    let mut pause = std::time::Duration::from_millis(250);
    loop {
        let heard = tokio::select! {
            heard = listener.try_recv() => heard,
            () = sender.closed() => return,
        };
        let announcement = match heard {
            Ok(Some(notification)) => match parse(notification.payload()) {
                Some(announcement) => announcement,
                None => {
                    tracing::warn!(
                        payload = notification.payload(),
                        "ignoring a queue announcement that is not <id>:<what>"
                    );
                    continue;
                }
            },
            Ok(None) => {
                tracing::warn!("the queue's announcements lost their connection; listening again");
                resync()
            }
            Err(e) => {
                tracing::warn!(
                    error = %e,
                    retry_in = ?pause,
                    "the queue's announcements cannot listen to the database"
                );
                tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    () = sender.closed() => return,
                }
                pause = (pause * 2).min(RETRY_AT_MOST);
                // Connects and listens again, if the connection is gone.
                if sqlx::query("SELECT 1")
                    .execute(&mut listener)
                    .await
                    .is_err()
                {
                    continue;
                }
                tracing::info!("the queue's announcements listen again");
                resync()
            }
        };
        pause = std::time::Duration::from_millis(250);
        if sender.send(announcement).await.is_err() {
            return;
        }
    }
}

/// An announcement from its notification's payload, `<request id>:<what>`.
fn parse(payload: &str) -> Option<Announcement> {
    let (id, what) = payload.split_once(':')?;
    Some(Announcement {
        request_id: id.parse().ok()?,
        what: what.to_owned(),
    })
}

/// Warns when the server confirms commits before they are on its disk: with
/// `synchronous_commit=off`, a crash of the database server loses the last writes it
/// confirmed (up to three times `wal_writer_delay`), though the database stays consistent.
async fn warn_unless_durable(pool: &sqlx::PgPool) -> Result<()> {
    let synchronous_commit: String = sqlx::query_scalar("SHOW synchronous_commit")
        .fetch_one(pool)
        .await?;
    if synchronous_commit == "off" {
        tracing::warn!(
            "PostgreSQL runs with synchronous_commit=off: a crash of the database server can \
             lose writes it has already confirmed; set synchronous_commit=on for this \
             database or role to keep every confirmed write"
        );
    }
    Ok(())
}
