//! Many actions stored at once, as an import stores them: all in one transaction, each
//! audited, or none with the problem named by the action's place.

use jiff::civil::date;
use touchpoints_core::Role;
use touchpoints_core::action_plan::{ActionFields, ActionInput, ActionKind, ActionStatus};
use touchpoints_store::Store;

use crate::harness::{assert_not_audited, audit_mark, audited_since, fields, invalid_fields, user};

store_suite!(actions_are_stored_together_or_not_at_all);

fn action(title: &str, touchpoints: &[i64], owner: Option<&str>) -> ActionFields {
    ActionInput {
        kind: if touchpoints.is_empty() {
            ActionKind::Launch
        } else {
            ActionKind::Optimise
        },
        title: title.into(),
        owner: owner.map(str::to_owned),
        start: Some(date(2027, 1, 4)),
        touchpoint_ids: touchpoints.to_vec(),
        ..ActionInput::default()
    }
    .validate()
    .expect("a valid action")
}

async fn actions_are_stored_together_or_not_at_all(store: &dyn Store) {
    let hotline = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("create touchpoint")
        .id;
    user(store, "carla", Role::Agent).await;
    user(store, "vera", Role::Viewer).await;
    let mark = audit_mark(store).await;

    // A viewer owns no action: the first action refused is named by its place, and the one
    // before it is not stored either.
    let refused = store
        .create_actions(
            &[
                (
                    action("Eins", &[hotline], Some("carla")),
                    ActionStatus::Planned,
                ),
                (action("Zwei", &[hotline], Some("vera")), ActionStatus::Done),
                (
                    action("Drei", &[hotline + 100], None),
                    ActionStatus::Planned,
                ),
            ],
            "carla",
        )
        .await;
    assert_eq!(invalid_fields(refused), ["actions[1].owner"]);
    assert!(store.actions().await.expect("actions").is_empty());
    assert_not_audited(store, mark, "a refused import").await;

    let stored = store
        .create_actions(
            &[
                (
                    action("Eins", &[hotline], Some("carla")),
                    ActionStatus::InProgress,
                ),
                (action("Zwei", &[], None), ActionStatus::Done),
            ],
            "carla",
        )
        .await
        .expect("stored");
    let titles: Vec<(&str, ActionStatus)> = stored
        .iter()
        .map(|a| (a.fields.title.as_str(), a.status))
        .collect();
    assert_eq!(
        titles,
        [
            ("Eins", ActionStatus::InProgress),
            ("Zwei", ActionStatus::Done)
        ]
    );
    assert_eq!(stored[0].fields.touchpoint_ids, [hotline]);
    assert_eq!(store.actions().await.expect("actions"), stored);
    // Each begins its history in its status, and each creation is audited.
    let history = store.action_history(stored[1].id).await.expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].to, ActionStatus::Done);
    let created: Vec<String> = audited_since(store, mark)
        .await
        .into_iter()
        .filter(|e| e.action == "action.create")
        .map(|e| e.entity_id)
        .collect();
    assert_eq!(created.len(), 2);
}
