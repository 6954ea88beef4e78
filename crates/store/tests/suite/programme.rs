//! The 30-day programme: rounds, what a new round carries over, ticks by hand, their audit,
//! and the pseudonym of an erased account, on both backends.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::date;
use touchpoints_core::action_plan::programme::TaskKey;
use touchpoints_core::{Role, Subject};
use touchpoints_store::{Store, StoreError};

use crate::harness::{after, assert_audited, assert_not_audited, audit_mark, user};
use crate::requests::request;

store_suite!(
    rounds_start_and_carry_unfinished_tasks_over,
    ticks_belong_to_the_current_round_and_are_audited,
    an_erased_account_stays_named_by_its_pseudonym,
    request_channels_are_those_of_the_window,
);

async fn rounds_start_and_carry_unfinished_tasks_over(store: &dyn Store) {
    assert_eq!(store.programme().await.expect("read"), None);
    let mark = audit_mark(store).await;
    // The first round carries nothing over, whatever it is handed.
    let first = store
        .start_programme(
            date(2027, 3, 1),
            &BTreeSet::from([TaskKey::ReviewDone]),
            "anna",
        )
        .await
        .expect("start");
    assert_eq!(
        (first.round, first.start, first.started_by.as_str()),
        (1, date(2027, 3, 1), "anna")
    );
    assert!(first.carried.is_empty() && first.ticks.is_empty());
    let entry = assert_audited(store, mark, "programme.start", "anna", "programme", "1").await;
    assert_eq!(entry.summary, "round 1 from 2027-03-01, 0 carried over");
    store
        .tick_programme_task(TaskKey::CrmTraining, true, "anna")
        .await
        .expect("tick");

    // Going on after day 30: the unfinished tasks come along, the ticks stay behind.
    let mark = audit_mark(store).await;
    let carried = BTreeSet::from([TaskKey::PersonalCampaign, TaskKey::ReviewDone]);
    let second = store
        .start_programme(date(2027, 4, 1), &carried, "bernd")
        .await
        .expect("continue");
    assert_eq!((second.round, second.start), (2, date(2027, 4, 1)));
    assert_eq!(second.carried, carried);
    assert!(second.ticks.is_empty(), "{:?}", second.ticks);
    let entry = assert_audited(store, mark, "programme.start", "bernd", "programme", "2").await;
    assert_eq!(entry.summary, "round 2 from 2027-04-01, 2 carried over");
    assert_eq!(store.programme().await.expect("read"), Some(second));
}

async fn ticks_belong_to_the_current_round_and_are_audited(store: &dyn Store) {
    // No programme, nothing to tick.
    assert!(matches!(
        store
            .tick_programme_task(TaskKey::CrmTraining, true, "anna")
            .await,
        Err(StoreError::NotFound {
            entity: "programme"
        })
    ));
    store
        .start_programme(date(2027, 3, 1), &BTreeSet::new(), "anna")
        .await
        .expect("start");
    let mark = audit_mark(store).await;
    let ticked = store
        .tick_programme_task(TaskKey::PersonalTemplates, true, "carla")
        .await
        .expect("tick");
    assert_eq!(
        ticked.ticked(),
        BTreeSet::from([TaskKey::PersonalTemplates])
    );
    assert_eq!(ticked.ticks[0].done_by, "carla");
    let entry = assert_audited(store, mark, "programme.tick", "carla", "programme", "1").await;
    assert_eq!(entry.summary, "personal_templates done");

    // Ticking again changes nothing: the first tick's time and person stay.
    let mark = audit_mark(store).await;
    let again = store
        .tick_programme_task(TaskKey::PersonalTemplates, true, "dora")
        .await
        .expect("tick again");
    assert_eq!(again.ticks, ticked.ticks);
    assert_not_audited(store, mark, "a second tick").await;

    let untick = store
        .tick_programme_task(TaskKey::PersonalTemplates, false, "dora")
        .await
        .expect("untick");
    assert!(untick.ticks.is_empty());
    let entry = assert_audited(store, mark, "programme.tick", "dora", "programme", "1").await;
    assert_eq!(entry.summary, "personal_templates open");
    let mark = audit_mark(store).await;
    store
        .tick_programme_task(TaskKey::PersonalTemplates, false, "dora")
        .await
        .expect("untick again");
    assert_not_audited(store, mark, "unticking an open task").await;
}

async fn an_erased_account_stays_named_by_its_pseudonym(store: &dyn Store) {
    user(store, "anna", Role::Admin).await;
    let bernd = user(store, "bernd", Role::Manager).await;
    store
        .start_programme(date(2027, 3, 1), &BTreeSet::new(), "bernd")
        .await
        .expect("start");
    store
        .tick_programme_task(TaskKey::ReviewDone, true, "bernd")
        .await
        .expect("tick");
    store
        .erase_personal_data(&Subject::Staff("bernd".into()), "anna")
        .await
        .expect("erase");
    let alias = format!("erased-user:{}", bernd.id);
    let programme = store.programme().await.expect("read").expect("programme");
    assert_eq!(programme.started_by, alias);
    assert_eq!(programme.ticks[0].done_by, alias);
    assert_eq!(programme.ticks[0].task, TaskKey::ReviewDone);
}

async fn request_channels_are_those_of_the_window(store: &dyn Store) {
    let now = Timestamp::now();
    assert!(
        store
            .request_channels(after(now, -24))
            .await
            .expect("none")
            .is_empty()
    );
    let at = |channel: &str, received: Timestamp| {
        let mut r = request(channel, Some("anna@example.org"), None, "Rückruf bitte");
        r.received_at = Some(received);
        r
    };
    store
        .intake(
            &[
                at("phone", after(now, -2)),
                at("email", after(now, -3)),
                at("phone", after(now, -5)),
                // Before the window.
                at("letter", after(now, -24 * 100)),
            ],
            "t",
        )
        .await
        .expect("intake");
    assert_eq!(
        store
            .request_channels(after(now, -24 * 90))
            .await
            .expect("channels"),
        ["email", "phone"]
    );
    assert_eq!(
        store
            .request_channels(after(now, -24 * 200))
            .await
            .expect("channels"),
        ["email", "letter", "phone"]
    );
}
