//! App servers starting and announcing together on one database: migrations take turns, and
//! an announcement reaches every follower of the database.

use std::sync::Arc;
use std::time::Duration;

use futures::future::join_all;
use touchpoints_store::{Announcement, PostgresStore, Store};

use crate::harness::Database;

store_suite!(
    a_follower_hears_its_own_announcements,
    announcements_made_together_are_heard_in_their_order,
);

/// On PostgreSQL a follower hears every announcement on the database, its own included; on
/// SQLite there is nothing to follow and announcing is fine.
async fn a_follower_hears_its_own_announcements(store: &dyn Store) {
    let change = Announcement {
        request_id: 42,
        what: "intake".to_owned(),
    };
    let follower = store.follow().await.expect("follow");
    store
        .announce(std::slice::from_ref(&change))
        .await
        .expect("announce");
    match (store.backend(), follower) {
        ("sqlite", None) => {}
        ("postgres", Some(mut follower)) => {
            let heard = tokio::time::timeout(Duration::from_secs(5), follower.recv())
                .await
                .expect("heard within five seconds");
            assert_eq!(heard, Some(change));
        }
        (backend, follower) => panic!("{backend} follows as {follower:?}"),
    }
}

/// Several announcements made at once are each heard, in the order they were made.
async fn announcements_made_together_are_heard_in_their_order(store: &dyn Store) {
    let changes: Vec<Announcement> = (1..=50)
        .map(|request_id| Announcement {
            request_id,
            what: if request_id % 2 == 0 {
                "reply"
            } else {
                "intake"
            }
            .to_owned(),
        })
        .collect();
    let follower = store.follow().await.expect("follow");
    store.announce(&changes).await.expect("announce");
    store.announce(&[]).await.expect("announce nothing");
    match (store.backend(), follower) {
        ("sqlite", None) => {}
        ("postgres", Some(mut follower)) => {
            let mut heard = Vec::new();
            while heard.len() < changes.len() {
                let next = tokio::time::timeout(Duration::from_secs(5), follower.recv())
                    .await
                    .expect("heard within five seconds")
                    .expect("still following");
                heard.push(next);
            }
            assert_eq!(heard, changes);
        }
        (backend, follower) => panic!("{backend} follows as {follower:?}"),
    }
}

async fn open_postgres(db: &Database) -> Arc<dyn Store> {
    let Database::Postgres { admin, schema } = db else {
        panic!("a PostgreSQL database")
    };
    Arc::new(
        PostgresStore::open_with(Database::postgres_options(admin, schema))
            .await
            .expect("open postgres"),
    )
}

/// App servers that start together on a new database all open it, migrated once, with one
/// default catalog.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn servers_starting_at_once_migrate_once_on_postgres() {
    let db = Database::postgres().await;
    let stores = join_all((0..6).map(|_| open_postgres(&db))).await;
    let catalogs = join_all(stores.iter().map(|store| store.catalog())).await;
    let first = catalogs[0].as_ref().expect("catalog");
    assert!(!first.channels.is_empty());
    for catalog in &catalogs {
        let catalog = catalog.as_ref().expect("catalog");
        assert_eq!(catalog.channels.len(), first.channels.len());
        assert_eq!(catalog.phases.len(), first.phases.len());
    }
    drop(stores);
    db.remove().await;
}

/// What one server announces, another on the same database hears, and a server on another
/// schema does not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn announcements_reach_every_server_on_the_database_on_postgres() {
    let db = Database::postgres().await;
    let other_db = Database::postgres().await;
    let (a, b, other) = (
        open_postgres(&db).await,
        open_postgres(&db).await,
        open_postgres(&other_db).await,
    );
    let mut hears_b = b.follow().await.expect("follow").expect("a follower");
    let mut hears_other = other.follow().await.expect("follow").expect("a follower");
    let change = Announcement {
        request_id: 7,
        what: "resolve".to_owned(),
    };
    a.announce(std::slice::from_ref(&change))
        .await
        .expect("announce");
    let heard = tokio::time::timeout(Duration::from_secs(5), hears_b.recv())
        .await
        .expect("heard within five seconds");
    assert_eq!(heard, Some(change));
    assert!(
        tokio::time::timeout(Duration::from_millis(300), hears_other.recv())
            .await
            .is_err(),
        "another schema hears nothing"
    );
    drop((a, b, other, hears_b, hears_other));
    db.remove().await;
    other_db.remove().await;
}

/// A follower whose connection is cut says so with a `resync`, listens again, and hears what
/// is announced afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn a_follower_that_loses_its_connection_listens_again_on_postgres() {
    let db = Database::postgres().await;
    let Database::Postgres { schema, .. } = &db else {
        unreachable!("a PostgreSQL database")
    };
    let store = open_postgres(&db).await;
    let mut follower = store.follow().await.expect("follow").expect("a follower");
    db.execute(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE query = 'LISTEN \"touchpoints_queue.{schema}\"'"
    ))
    .await;
    let heard = tokio::time::timeout(Duration::from_secs(10), follower.recv())
        .await
        .expect("told within ten seconds");
    assert_eq!(
        heard,
        Some(Announcement {
            request_id: 0,
            what: "resync".to_owned()
        })
    );
    let change = Announcement {
        request_id: 9,
        what: "reply".to_owned(),
    };
    store
        .announce(std::slice::from_ref(&change))
        .await
        .expect("announce");
    let heard = tokio::time::timeout(Duration::from_secs(10), follower.recv())
        .await
        .expect("heard within ten seconds");
    assert_eq!(heard, Some(change));
    drop((store, follower));
    db.remove().await;
}
