//! Keys the product keeps for itself, on both backends.

use futures::future::join_all;
use touchpoints_store::Store;

use crate::harness::audit_all;

store_suite!(
    a_key_is_made_once_and_every_caller_gets_it,
    racing_first_uses_agree_on_one_key,
);

async fn a_key_is_made_once_and_every_caller_gets_it(store: &dyn Store) {
    let before = audit_all(store).await;
    let first = store
        .key("survey-links", "erster-kandidat")
        .await
        .expect("make the key");
    assert_eq!(
        first, "erster-kandidat",
        "the first use stores its candidate"
    );
    let again = store
        .key("survey-links", "zweiter-kandidat")
        .await
        .expect("read the key");
    assert_eq!(again, first, "a later candidate does not replace the key");
    let other = store
        .key("another-purpose", "dritter-kandidat")
        .await
        .expect("make another key");
    assert_eq!(other, "dritter-kandidat", "each name has a key of its own");
    let after = audit_all(store).await;
    assert_eq!(after.len(), before.len(), "a key is no staff write");
    assert!(
        !format!("{after:?}").contains("kandidat"),
        "no key in the audit log"
    );
}

async fn racing_first_uses_agree_on_one_key(store: &dyn Store) {
    let candidates: Vec<String> = (0..16).map(|n| format!("kandidat-{n}")).collect();
    let keys = join_all(
        candidates
            .iter()
            .map(|candidate| store.key("survey-links", candidate)),
    )
    .await;
    let keys: Vec<String> = keys.into_iter().map(|key| key.expect("a key")).collect();
    assert!(candidates.contains(&keys[0]), "{keys:?}");
    assert!(keys.iter().all(|key| *key == keys[0]), "{keys:?}");
    assert_eq!(
        store
            .key("survey-links", "nachzügler")
            .await
            .expect("read the key"),
        keys[0]
    );
}
