//! Turns at background tasks, which every app server on the database asks for, on both
//! backends.

use futures::future::join_all;
use jiff::Timestamp;
use touchpoints_store::Store;

store_suite!(
    a_turn_is_held_until_it_ends_and_then_taken_over,
    turns_of_different_tasks_do_not_meet,
    of_servers_asking_at_once_one_gets_the_turn,
);

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + seconds).expect("an instant")
}

async fn take(store: &dyn Store, task: &str, holder: &str, now: i64, until: i64) -> bool {
    store
        .take_turn(task, holder, at(now), at(until))
        .await
        .expect("ask for a turn")
}

async fn a_turn_is_held_until_it_ends_and_then_taken_over(store: &dyn Store) {
    assert!(take(store, "outbox", "a", 0, 15).await, "the first to ask");
    assert!(!take(store, "outbox", "b", 5, 20).await, "a's turn runs");
    assert!(
        take(store, "outbox", "a", 10, 25).await,
        "a renews its own turn"
    );
    assert!(
        !take(store, "outbox", "b", 20, 35).await,
        "renewed until 25"
    );
    assert!(take(store, "outbox", "b", 25, 40).await, "a's turn ended");
    assert!(!take(store, "outbox", "a", 30, 45).await, "now b's");
    assert!(take(store, "outbox", "b", 30, 45).await);
}

async fn turns_of_different_tasks_do_not_meet(store: &dyn Store) {
    assert!(take(store, "outbox", "a", 0, 15).await);
    assert!(take(store, "webhooks", "b", 0, 15).await);
    assert!(!take(store, "webhooks", "a", 1, 16).await);
    assert!(!take(store, "outbox", "b", 1, 16).await);
}

async fn of_servers_asking_at_once_one_gets_the_turn(store: &dyn Store) {
    let holders: Vec<String> = (0..12).map(|n| format!("server-{n}")).collect();
    let answers = join_all(
        holders
            .iter()
            .map(|h| store.take_turn("retention", h, at(0), at(3600))),
    )
    .await;
    let taken: Vec<&String> = holders
        .iter()
        .zip(&answers)
        .filter(|(_, a)| *a.as_ref().expect("ask for a turn"))
        .map(|(h, _)| h)
        .collect();
    assert_eq!(taken.len(), 1, "{taken:?}");
    // And it is the one the database holds: it renews, the others still wait.
    assert!(take(store, "retention", taken[0], 60, 3660).await);
    for h in holders.iter().filter(|h| *h != taken[0]) {
        assert!(!take(store, "retention", h, 60, 3660).await);
    }
}
