//! Running the store: how durably it keeps a confirmed write, and the backup and restore of a
//! SQLite database. These are properties of a backend rather than behaviours of `Store`, so
//! each test names its backend.

use std::path::{Path, PathBuf};

use touchpoints_core::TouchpointFilter;
use touchpoints_store::{Inventory, PostgresStore, SqliteStore, StoreError};

use crate::harness::{Database, count, fields, postgres_url};

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

    /// Connections the server closed while they sat idle in the pool (a restart, a firewall)
    /// are tested before use and replaced: the next reads succeed.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
    async fn connections_cut_while_idle_are_replaced() {
        let database = Database::postgres().await;
        let Database::Postgres { admin, schema } = &database else {
            unreachable!("a PostgreSQL database")
        };
        // Named after the schema, so that only this store's connections are cut.
        let options = Database::postgres_options(admin, schema).application_name(schema);
        let store = PostgresStore::open_with(options).await.expect("open");
        let reads = || futures::future::join_all((0..4).map(|_| count(&store)));
        assert_eq!(reads().await, [0; 4]);
        database
            .execute(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE application_name = '{schema}'"
            ))
            .await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(reads().await, [0; 4]);
        drop(store);
        database.remove().await;
    }
}

// --- backup and restore -------------------------------------------------------------------

/// A SQLite database in a folder of its own, with the store open on it.
struct Live {
    dir: tempfile::TempDir,
    store: SqliteStore,
}

impl Live {
    async fn with_touchpoints(names: &[&str]) -> Live {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(&sqlite_file(&dir)).await.expect("open");
        for name in names {
            store
                .create_touchpoint(&fields(name, "phone", "after-purchase"), "tests")
                .await
                .expect("create");
        }
        Live { dir, store }
    }

    fn url(&self) -> String {
        sqlite_file(&self.dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

async fn names_in(url: &str) -> Vec<String> {
    let store = SqliteStore::open(url).await.expect("open");
    let mut names: Vec<String> = store
        .list_touchpoints(&Default::default())
        .await
        .expect("list")
        .into_iter()
        .map(|t| t.fields.name)
        .collect();
    names.sort();
    names
}

fn url_of(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

#[tokio::test]
async fn a_backup_is_a_consistent_copy_taken_while_the_store_writes() {
    let live = Live::with_touchpoints(&["Hotline", "Filiale"]).await;
    let target = live.path("backup.db");
    SqliteStore::backup(&live.url(), &target, false)
        .await
        .expect("backup");
    // The store goes on writing; the backup keeps what was there.
    live.store
        .create_touchpoint(&fields("Chat", "chat", "after-purchase"), "tests")
        .await
        .expect("write after the backup");
    // Nothing of the work is left beside it.
    let files: Vec<String> = std::fs::read_dir(live.dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("touchpoints.db"))
        .collect();
    assert_eq!(files, ["backup.db"]);
    assert_eq!(names_in(&url_of(&target)).await, ["Filiale", "Hotline"]);
    assert_eq!(count(&live.store).await, 3);
}

#[tokio::test]
async fn a_backup_replaces_an_existing_file_only_when_told() {
    let live = Live::with_touchpoints(&["Hotline"]).await;
    let target = live.path("backup.db");
    std::fs::write(&target, b"an older backup").expect("write");
    let message = config_message(SqliteStore::backup(&live.url(), &target, false).await);
    assert!(message.contains("exists already"), "{message}");
    assert_eq!(std::fs::read(&target).expect("read"), b"an older backup");

    SqliteStore::backup(&live.url(), &target, true)
        .await
        .expect("backup over the old one");
    assert_eq!(names_in(&url_of(&target)).await, ["Hotline"]);
}

#[tokio::test]
async fn a_backup_needs_a_touchpoints_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("backup.db");
    let message = config_message(
        SqliteStore::backup(&url_of(&dir.path().join("missing.db")), &target, false).await,
    );
    assert!(message.contains("there is no database"), "{message}");
    assert!(!dir.path().join("missing.db").exists(), "not created");

    let other = dir.path().join("other.db");
    std::fs::write(&other, b"").expect("an empty SQLite database");
    let message = config_message(SqliteStore::backup(&url_of(&other), &target, false).await);
    assert!(message.contains("not a Touchpoints database"), "{message}");
    assert!(!target.exists());

    let message = config_message(SqliteStore::backup("sqlite::memory:", &target, false).await);
    assert!(message.contains("in-memory"), "{message}");
}

#[tokio::test]
async fn a_restore_puts_the_backup_in_place_of_the_database() {
    let live = Live::with_touchpoints(&["Hotline", "Filiale"]).await;
    let backup = live.path("backup.db");
    SqliteStore::backup(&live.url(), &backup, false)
        .await
        .expect("backup");
    // Another database, changed since, and not open (the store above is on another file).
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("touchpoints.db");
    std::fs::copy(&backup, &database).expect("copy");
    {
        let store = SqliteStore::open(&url_of(&database)).await.expect("open");
        store
            .create_touchpoint(&fields("Chat", "chat", "after-purchase"), "tests")
            .await
            .expect("create");
    }
    // Let the store's connections close, as a stopped server's have.
    let mut restored = Err(StoreError::Config(String::new()));
    for _ in 0..50 {
        restored = SqliteStore::restore(&url_of(&database), &backup).await;
        if restored.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    restored.expect("restore");
    assert_eq!(names_in(&url_of(&database)).await, ["Filiale", "Hotline"]);
}

#[tokio::test]
async fn a_restore_refuses_while_the_database_is_open() {
    let live = Live::with_touchpoints(&["Hotline"]).await;
    let backup = live.path("backup.db");
    SqliteStore::backup(&live.url(), &backup, false)
        .await
        .expect("backup");
    live.store
        .create_touchpoint(&fields("Chat", "chat", "after-purchase"), "tests")
        .await
        .expect("create");
    let message = config_message(SqliteStore::restore(&live.url(), &backup).await);
    assert!(message.contains("in use"), "{message}");
    assert!(message.contains("stop the server"), "{message}");
    assert_eq!(count(&live.store).await, 2, "the database is as it was");
}

#[tokio::test]
async fn a_restore_refuses_what_is_not_a_touchpoints_backup() {
    let live = Live::with_touchpoints(&["Hotline"]).await;
    // Compared by content: the store's background checkpoints may rewrite the file's pages
    // at any moment without changing what it holds.
    let holds = || async {
        live.store
            .list_touchpoints(&TouchpointFilter::default())
            .await
            .expect("list")
    };
    let before = holds().await;
    let cases: [(&str, &[u8], &str); 3] = [
        ("missing.db", b"", "there is no file"),
        (
            "notes.txt",
            b"not a database at all, but long enough to have a header......",
            "not an SQLite database",
        ),
        ("empty.db", b"", "records no migrations"),
    ];
    for (name, content, expected) in cases {
        let path = live.path(name);
        if name != "missing.db" {
            std::fs::write(&path, content).expect("write");
        }
        let message = config_message(SqliteStore::restore(&live.url(), &path).await);
        assert!(message.contains(expected), "{name}: {message}");
    }
    assert_eq!(holds().await, before, "the database is as it was");
    assert_eq!(count(&live.store).await, 1);
}

#[tokio::test]
async fn a_restore_refuses_a_backup_of_a_newer_version() {
    let live = Live::with_touchpoints(&["Hotline"]).await;
    let backup = live.path("backup.db");
    SqliteStore::backup(&live.url(), &backup, false)
        .await
        .expect("backup");
    let newer = Database::Sqlite(tempfile::tempdir().expect("temp dir"));
    let Database::Sqlite(newer_dir) = &newer else {
        unreachable!()
    };
    std::fs::copy(&backup, newer_dir.path().join("touchpoints.db")).expect("copy");
    newer
        .execute(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
             execution_time) VALUES (99999, 'from the future', 1, x'00', 0)",
        )
        .await;
    let message = config_message(
        SqliteStore::restore(&live.url(), &newer_dir.path().join("touchpoints.db")).await,
    );
    assert!(message.contains("newer version"), "{message}");
    assert!(message.contains("99999"), "{message}");
}
