//! What every part of the suite shares: a store on a database of its own per test (a
//! temporary SQLite file, or a schema of its own on the PostgreSQL server), the macro that
//! runs a behaviour on both backends, and the fixtures and audit-log checks several parts use.

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use jiff::{SignedDuration, Timestamp};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use touchpoints_core::audit::{AuditEntry, AuditFilter};
use touchpoints_core::catalog::{default_channels, default_phases};
use touchpoints_core::{Role, TouchpointFields, TouchpointFilter, TouchpointInput, User};
use touchpoints_store::{NewAccount, PostgresStore, SqliteStore, Store, StoreError};

/// A store for one test on its own database.
pub(crate) struct TestStore {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) db: Database,
}

/// A database of one test: a file in a temporary folder, or a schema of its own on the
/// PostgreSQL server, dropped when the test finishes.
pub(crate) enum Database {
    Sqlite(tempfile::TempDir),
    Postgres {
        admin: Box<PgConnectOptions>,
        schema: String,
    },
}

impl Database {
    /// An empty SQLite database (the file is created when first opened).
    pub(crate) fn sqlite() -> Database {
        Database::Sqlite(tempfile::tempdir().expect("temp dir"))
    }

    /// An empty schema on the PostgreSQL server.
    pub(crate) async fn postgres() -> Database {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let schema = format!(
            "test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            Timestamp::now().as_microsecond() % 1_000_000
        );
        let admin = PgConnectOptions::from_str(&postgres_url())
            .expect("TOUCHPOINTS_TEST_POSTGRES is a URL");
        let mut conn = PgConnection::connect_with(&admin).await.expect("connect");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut conn)
            .await
            .expect("create schema");
        Database::Postgres {
            admin: Box::new(admin),
            schema,
        }
    }

    pub(crate) fn sqlite_url(dir: &tempfile::TempDir) -> String {
        format!("sqlite://{}", dir.path().join("touchpoints.db").display())
    }

    pub(crate) fn postgres_options(admin: &PgConnectOptions, schema: &str) -> PgConnectOptions {
        admin.clone().options([("search_path", schema)])
    }

    /// Opens the store on the database, which migrates it.
    pub(crate) async fn open(self) -> TestStore {
        let store: Arc<dyn Store> = match &self {
            Database::Sqlite(dir) => Arc::new(
                SqliteStore::open(&Database::sqlite_url(dir))
                    .await
                    .expect("open sqlite"),
            ),
            Database::Postgres { admin, schema } => Arc::new(
                PostgresStore::open_with(Database::postgres_options(admin, schema))
                    .await
                    .expect("open postgres"),
            ),
        };
        TestStore { store, db: self }
    }

    /// Runs SQL on the database behind the store's back, as an older version of the program
    /// or an administrator would.
    pub(crate) async fn execute(&self, sql: &str) {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Database::Sqlite(dir) => {
                let mut conn = sqlx::SqliteConnection::connect(&Database::sqlite_url(dir))
                    .await
                    .expect("connect");
                sqlx::raw_sql(sql)
                    .execute(&mut conn)
                    .await
                    .expect("execute");
            }
            Database::Postgres { admin, schema } => {
                let options = Database::postgres_options(admin, schema);
                let mut conn = PgConnection::connect_with(&options).await.expect("connect");
                sqlx::raw_sql(sql)
                    .execute(&mut conn)
                    .await
                    .expect("execute");
            }
        }
    }

    pub(crate) async fn remove(self) {
        if let Database::Postgres { admin, schema } = self {
            let mut conn = PgConnection::connect_with(&admin).await.expect("connect");
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&mut conn)
                .await
                .expect("drop schema");
        }
    }
}

impl TestStore {
    /// See [`Database::execute`].
    pub(crate) async fn execute(&self, sql: &str) {
        self.db.execute(sql).await;
    }

    pub(crate) async fn finish(self) {
        drop(self.store);
        self.db.remove().await;
    }
}

pub(crate) async fn sqlite() -> TestStore {
    Database::sqlite().open().await
}

/// The URL of the PostgreSQL server the PostgreSQL half runs on.
pub(crate) fn postgres_url() -> String {
    std::env::var("TOUCHPOINTS_TEST_POSTGRES").expect(
        "TOUCHPOINTS_TEST_POSTGRES names no PostgreSQL server: \
         scripts/test starts one, or set it to a server's URL",
    )
}

pub(crate) async fn postgres() -> TestStore {
    Database::postgres().await.open().await
}

macro_rules! store_suite {
    ($($behaviour:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $behaviour() {
                    let t = crate::harness::sqlite().await;
                    super::$behaviour(t.store.as_ref()).await;
                    t.finish().await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
                async fn $behaviour() {
                    let t = crate::harness::postgres().await;
                    super::$behaviour(t.store.as_ref()).await;
                    t.finish().await;
                }
            )*
        }
    };
}

pub(crate) fn fields(name: &str, channel: &str, phase: &str) -> TouchpointFields {
    let catalog = touchpoints_core::Catalog {
        channels: default_channels(),
        phases: default_phases(),
    };
    TouchpointInput {
        name: name.into(),
        channel: channel.into(),
        phase: phase.into(),
        ..TouchpointInput::default()
    }
    .validate(&catalog)
    .expect("valid test touchpoint")
}

pub(crate) async fn count(store: &dyn Store) -> usize {
    store
        .list_touchpoints(&TouchpointFilter::default())
        .await
        .expect("list")
        .len()
}

/// The whole audit log, newest first.
pub(crate) async fn audit_all(store: &dyn Store) -> Vec<AuditEntry> {
    store
        .audit_log(&AuditFilter::default(), 100_000)
        .await
        .expect("audit log")
}

/// The id of the newest audit entry (0 if none): what a later write records comes after it.
pub(crate) async fn audit_mark(store: &dyn Store) -> i64 {
    store
        .audit_log(&AuditFilter::default(), 1)
        .await
        .expect("audit log")
        .first()
        .map_or(0, |e| e.id)
}

/// The audit entries recorded after `mark`, oldest first.
pub(crate) async fn audited_since(store: &dyn Store, mark: i64) -> Vec<AuditEntry> {
    let mut entries: Vec<AuditEntry> = audit_all(store)
        .await
        .into_iter()
        .filter(|e| e.id > mark)
        .collect();
    entries.reverse();
    entries
}

/// Asserts that exactly one audit entry, as given, was recorded after `mark`, and returns it.
pub(crate) async fn assert_audited(
    store: &dyn Store,
    mark: i64,
    action: &str,
    actor: &str,
    entity: &str,
    entity_id: &str,
) -> AuditEntry {
    let entries = audited_since(store, mark).await;
    assert_eq!(
        entries.len(),
        1,
        "expected exactly one audit entry {action}, got {entries:#?}"
    );
    let e = entries.into_iter().next().expect("one entry");
    assert_eq!(
        (
            e.action.as_str(),
            e.actor.as_str(),
            e.entity.as_str(),
            e.entity_id.as_str()
        ),
        (action, actor, entity, entity_id),
        "{e:#?}"
    );
    e
}

/// Asserts that nothing was recorded in the audit log after `mark`.
pub(crate) async fn assert_not_audited(store: &dyn Store, mark: i64, what: &str) {
    let entries = audited_since(store, mark).await;
    assert!(
        entries.is_empty(),
        "{what} must leave no audit entry, got {entries:#?}"
    );
}

pub(crate) fn account(username: &str, role: Role) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: format!("Staff {username}"),
        role,
        password_hash: format!("hash-{username}"),
    }
}

pub(crate) async fn user(store: &dyn Store, username: &str, role: Role) -> User {
    store
        .create_user(&account(username, role), "system")
        .await
        .expect("create user")
}

/// `hours` hours after `ts`.
pub(crate) fn after(ts: Timestamp, hours: i64) -> Timestamp {
    ts.checked_add(SignedDuration::from_secs(hours * 3600))
        .expect("in range")
}

/// The instant as the store keeps it: to the microsecond.
pub(crate) fn micros(ts: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(ts.as_microsecond()).expect("in range")
}

pub(crate) fn invalid_fields(result: Result<impl std::fmt::Debug, StoreError>) -> Vec<String> {
    match result {
        Err(StoreError::Invalid(p)) => p.0.into_iter().map(|p| p.field).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}
