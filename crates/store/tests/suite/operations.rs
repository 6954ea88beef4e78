//! Running the store: how durably it keeps a confirmed write. This is a property of a backend
//! rather than a behaviour of `Store`, so each test names its backend.

use touchpoints_store::{PostgresStore, SqliteStore, StoreError};

use crate::harness::{Database, count, postgres_url};

/// The message of a configuration error; fails the test for anything else.
fn config_message<T>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Config(message)) => message,
        Err(other) => panic!("expected a configuration error, got {other:?}"),
        Ok(_) => panic!("expected a configuration error, got success"),
    }
}

fn sqlite_file(dir: &tempfile::TempDir) -> String {
    Database::sqlite_url(dir)
}

// --- durability ---------------------------------------------------------------------------

#[tokio::test]
async fn sqlite_keeps_every_confirmed_write_by_default() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&sqlite_file(&dir)).await.expect("open");
    assert_eq!(store.durability().await.expect("read back"), "full");
    let store = SqliteStore::open(&format!("{}?durability=full", sqlite_file(&dir)))
        .await
        .expect("open");
    assert_eq!(store.durability().await.expect("read back"), "full");
}

#[tokio::test]
async fn sqlite_relaxes_durability_only_when_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    // With another parameter on either side, which SQLite still reads.
    for query in [
        "?durability=relaxed&mode=rwc",
        "?mode=rwc&durability=relaxed",
    ] {
        let url = format!("{}{query}", sqlite_file(&dir));
        let store = SqliteStore::open(&url).await.expect("open");
        assert_eq!(
            store.durability().await.expect("read back"),
            "relaxed",
            "{query}"
        );
    }
}

#[tokio::test]
async fn an_unknown_durability_is_a_configuration_error_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = sqlite_file(&dir);
    let message = config_message(touchpoints_store::open(&format!("{base}?durability=fast")).await);
    assert!(message.contains("durability"), "{message}");
    assert!(message.contains("\"fast\""), "{message}");
    let message = config_message(
        touchpoints_store::open(&format!("{base}?durability=full&durability=relaxed")).await,
    );
    assert!(message.contains("durability"), "{message}");
    let message = config_message(touchpoints_store::open(&format!("{base}?durability")).await);
    assert!(message.contains("durability"), "{message}");
    assert!(
        !dir.path().join("touchpoints.db").exists(),
        "nothing was created"
    );
}

#[tokio::test]
async fn sqlite_refuses_to_start_without_the_write_ahead_log() {
    // SQLite's "unix-none" file system layer has no shared memory, so the database keeps its
    // rollback journal: the store reads that back and refuses, naming the setting.
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("{}?vfs=unix-none&mode=rwc", sqlite_file(&dir));
    let message = config_message(SqliteStore::open(&url).await);
    assert!(message.contains("journal_mode="), "{message}");
    assert!(message.contains("not wal"), "{message}");
}

#[tokio::test]
async fn an_in_memory_sqlite_database_still_opens() {
    // It keeps nothing past the process: durability does not apply to it.
    let store = touchpoints_store::open("sqlite::memory:")
        .await
        .expect("open in memory");
    assert_eq!(count(store.as_ref()).await, 0);
}

#[tokio::test]
async fn postgres_leaves_durability_to_its_server() {
    // Refused before any connection is tried: no server is needed.
    let message = config_message(
        PostgresStore::open("postgres://touchpoints@127.0.0.1:1/touchpoints?durability=relaxed")
            .await,
    );
    assert!(message.contains("durability=relaxed"), "{message}");
    assert!(message.contains("synchronous_commit"), "{message}");
    let message = config_message(
        PostgresStore::open("postgres://touchpoints@127.0.0.1:1/touchpoints?durability=fast").await,
    );
    assert!(message.contains("\"fast\""), "{message}");
}

mod on_postgres {
    use super::*;

    #[tokio::test]
    #[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
    async fn full_durability_opens_and_the_parameter_is_not_passed_on() {
        let database = Database::postgres().await;
        let Database::Postgres { schema, .. } = &database else {
            unreachable!("a PostgreSQL database")
        };
        let url = postgres_url();
        let separator = if url.contains('?') { '&' } else { '?' };
        let url = format!("{url}{separator}options[search_path]={schema}&durability=full");
        let store = PostgresStore::open(&url).await.expect("open");
        assert_eq!(count(&store).await, 0);
        drop(store);
        database.remove().await;
    }
}
