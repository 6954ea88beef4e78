//! Counts of hits per window, which every app server on the database shares, on both
//! backends.

use futures::future::join_all;
use jiff::{SignedDuration, Timestamp};
use touchpoints_store::{Hits, Store};

use crate::harness::audit_all;

store_suite!(
    hits_count_per_kind_and_subject_until_the_window_ends,
    the_hit_that_reaches_the_limit_begins_the_window_anew,
    racing_hits_each_count_once,
    a_forgiven_hit_no_longer_counts,
    ended_windows_are_purged,
);

const MINUTE: SignedDuration = SignedDuration::from_secs(60);

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + seconds).expect("an instant")
}

async fn hit(store: &dyn Store, kind: &str, subject: &str, now: Timestamp) -> Hits {
    store
        .hit(kind, subject, 100, MINUTE, now)
        .await
        .expect("count a hit")
}

async fn hits_count_per_kind_and_subject_until_the_window_ends(store: &dyn Store) {
    let before = audit_all(store).await;
    for n in 1..=3 {
        let hits = hit(store, "login", "a1", at(n)).await;
        assert_eq!(hits.count, n as u64);
        assert_eq!(
            hits.window_ends,
            at(1 + 60),
            "the first hit began the window"
        );
    }
    assert_eq!(
        hit(store, "login", "b2", at(4)).await.count,
        1,
        "another subject"
    );
    assert_eq!(
        hit(store, "public", "a1", at(4)).await.count,
        1,
        "another kind"
    );
    // The window began at second 1 and ends at 61: the hit at 61 begins the next one.
    assert_eq!(hit(store, "login", "a1", at(60)).await.count, 4);
    let next = hit(store, "login", "a1", at(61)).await;
    assert_eq!(
        next,
        Hits {
            count: 1,
            window_ends: at(121)
        }
    );
    assert_eq!(
        audit_all(store).await.len(),
        before.len(),
        "a hit is no staff write"
    );
}

async fn the_hit_that_reaches_the_limit_begins_the_window_anew(store: &dyn Store) {
    let limit = 3;
    let hit = |second| store.hit("login", "a1", limit, MINUTE, at(second));
    assert_eq!(hit(0).await.expect("hit").window_ends, at(60));
    assert_eq!(hit(10).await.expect("hit").window_ends, at(60));
    let third = hit(50).await.expect("hit");
    assert_eq!(third.count, 3);
    assert_eq!(
        third.window_ends,
        at(110),
        "past the limit means a whole window's wait after it"
    );
    let fourth = hit(70).await.expect("hit");
    assert_eq!((fourth.count, fourth.window_ends), (4, at(110)));
    assert_eq!(hit(110).await.expect("hit").count, 1, "the wait is over");
}

async fn racing_hits_each_count_once(store: &dyn Store) {
    let now = at(0);
    let hits = join_all((0..20).map(|_| store.hit("public", "c3", 100, MINUTE, now))).await;
    let mut counts: Vec<u64> = hits
        .into_iter()
        .map(|hits| hits.expect("count a hit").count)
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<u64>>());
}

async fn a_forgiven_hit_no_longer_counts(store: &dyn Store) {
    hit(store, "login", "a1", at(0)).await;
    hit(store, "login", "a1", at(1)).await;
    store.forgive("login", "a1", at(2)).await.expect("forgive");
    assert_eq!(hit(store, "login", "a1", at(3)).await.count, 2);
    // Nothing to take back from a window that has ended, nor from a subject never counted.
    store.forgive("login", "a1", at(60)).await.expect("forgive");
    store.forgive("login", "z9", at(3)).await.expect("forgive");
    assert_eq!(hit(store, "login", "a1", at(60)).await.count, 1);
    assert_eq!(hit(store, "login", "z9", at(4)).await.count, 1);
}

async fn ended_windows_are_purged(store: &dyn Store) {
    hit(store, "login", "a1", at(0)).await;
    hit(store, "public", "a1", at(30)).await;
    assert_eq!(store.purge_throttles(at(59)).await.expect("purge"), 0);
    assert_eq!(store.purge_throttles(at(60)).await.expect("purge"), 1);
    assert_eq!(
        hit(store, "public", "a1", at(61)).await.count,
        2,
        "a current window stays"
    );
    assert_eq!(store.purge_throttles(at(200)).await.expect("purge"), 1);
    assert_eq!(store.purge_throttles(at(200)).await.expect("purge"), 0);
}
