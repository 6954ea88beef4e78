//! The action plan: actions with their touchpoints, findings, owner and budgets, the history
//! of their status, and who used the touchpoints they concern, on both backends.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::date;
use touchpoints_core::action_plan::{
    ActionFields, ActionInput, ActionKind, ActionStatus, Budget, StatusChange, Target, TargetMetric,
};
use touchpoints_core::consistency::check::{Finding, FindingKind, Place};
use touchpoints_core::kpi::Metric;
use touchpoints_core::survey::ResponseFields;
use touchpoints_core::{Role, Subject};
use touchpoints_store::{Store, StoreError, StoredAction};

use crate::harness::{
    after, assert_audited, assert_not_audited, audit_mark, audited_since, fields, invalid_fields,
    user,
};
use crate::requests::request;

store_suite!(
    actions_are_kept_with_their_links_and_audited,
    unknown_references_are_named_and_nothing_is_written,
    status_changes_follow_the_rules_and_are_recorded,
    deleting_what_an_action_names_unlinks_it,
    touchpoint_usage_counts_each_customer_once,
    missed_targets_and_records_are_read_per_touchpoint,
    reliance_contacts_are_every_contact_of_the_touchpoints_customers,
    plan_settings_are_the_defaults_until_set_and_audited,
);

fn finding(rule: &str) -> Finding {
    Finding {
        kind: FindingKind::ContradictsGuideline,
        rule: rule.into(),
        message: format!("{rule} differs from the guideline"),
        places: vec![Place {
            source: "content/1".into(),
            title: "FAQ".into(),
            channel: Some("website".into()),
            line: 1,
            column: 1,
            excerpt: format!("{rule}: 14 Tage"),
            written: Some("14 Tage".into()),
            violation: None,
        }],
        suggestion: Some("30 Tage".into()),
        unlisted: 0,
        unlisted_places: 0,
    }
}

/// A valid action at `touchpoints`, owned by `owner`.
fn action(title: &str, touchpoints: &[i64], owner: Option<&str>) -> ActionFields {
    ActionInput {
        kind: ActionKind::Optimise,
        title: title.into(),
        goal: "Weniger Wartezeit am Telefon".into(),
        target: Some(Target {
            metric: TargetMetric::Nps,
            value: 20.0,
            within_days: 60,
        }),
        owner: owner.map(str::to_owned),
        team: "Kundenservice".into(),
        person_days: 7.5,
        start: Some(date(2027, 1, 4)),
        due: Some(date(2027, 1, 15)),
        status: None,
        touchpoint_ids: touchpoints.to_vec(),
        finding_ids: Vec::new(),
        budgets: BTreeMap::from([
            (
                "2027-Q1".to_owned(),
                Budget {
                    planned_cents: 1_200_000,
                    spent_cents: 300_050,
                },
            ),
            (
                "2026-Q4".to_owned(),
                Budget {
                    planned_cents: 0,
                    spent_cents: 99,
                },
            ),
        ]),
    }
    .validate()
    .expect("a valid action")
}

async fn touchpoint(store: &dyn Store, name: &str) -> i64 {
    store
        .create_touchpoint(&fields(name, "phone", "after-purchase"), "t")
        .await
        .expect("create touchpoint")
        .id
}

async fn actions_are_kept_with_their_links_and_audited(store: &dyn Store) {
    assert!(store.actions().await.expect("actions").is_empty());
    let hotline = touchpoint(store, "Hotline").await;
    let chat = touchpoint(store, "Chat").await;
    user(store, "carla", Role::Manager).await;
    let found = store
        .sync_findings(&[finding("return-period")], "checker")
        .await
        .expect("sync");
    let mut fields = action("Rückrufe binnen 4 Stunden", &[chat, hotline], Some("carla"));
    fields.finding_ids = vec![found[0].id];

    let mark = audit_mark(store).await;
    let created = store
        .create_action(&fields, ActionStatus::Planned, "carla")
        .await
        .expect("create");
    let id = created.id.to_string();
    let entry = assert_audited(store, mark, "action.create", "carla", "action", &id).await;
    assert_eq!(entry.summary, "Rückrufe binnen 4 Stunden");
    // Every field reads back as written: touchpoints ascending, quarters in order.
    assert_eq!(created.fields, fields);
    assert_eq!(
        created.fields.touchpoint_ids,
        [hotline.min(chat), hotline.max(chat)]
    );
    assert_eq!(created.status, ActionStatus::Planned);
    assert_eq!(created.created_at, created.updated_at);
    assert_eq!(store.action(created.id).await.expect("read"), created);
    assert_eq!(
        store.actions().await.expect("actions"),
        std::slice::from_ref(&created)
    );
    // The creation is the history's first entry.
    let history = store.action_history(created.id).await.expect("history");
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(
        (history[0].from, history[0].to, history[0].actor.as_str()),
        (None, ActionStatus::Planned, "carla")
    );

    // A second action without target, owner, dates or budget.
    let bare = ActionInput {
        kind: ActionKind::Launch,
        title: "Kundenportal".into(),
        ..ActionInput::default()
    }
    .validate()
    .expect("valid");
    let launch = store
        .create_action(&bare, ActionStatus::Idea, "dora")
        .await
        .expect("create");
    assert_eq!(launch.fields, bare);
    assert_eq!(
        store
            .actions()
            .await
            .expect("actions")
            .iter()
            .map(|a| a.id)
            .collect::<Vec<_>>(),
        [created.id, launch.id]
    );

    // An update replaces every field and link; the status stays without one given.
    let mut changed = fields.clone();
    changed.title = "Rückrufe binnen 2 Stunden".into();
    changed.touchpoint_ids = vec![hotline];
    changed.finding_ids = Vec::new();
    changed.owner = None;
    changed.target = None;
    changed.budgets = BTreeMap::new();
    changed.start = None;
    let mark = audit_mark(store).await;
    let updated = store
        .update_action(created.id, &changed, None, "dora")
        .await
        .expect("update");
    assert_eq!(updated.fields, changed);
    assert_eq!(updated.status, ActionStatus::Planned);
    assert_eq!(updated.created_at, created.created_at);
    assert!(updated.updated_at > created.updated_at);
    assert_eq!(store.action(created.id).await.expect("read"), updated);
    assert_audited(store, mark, "action.update", "dora", "action", &id).await;
    assert_eq!(store.action_history(created.id).await.expect("h").len(), 1);

    // Deleting takes the action with its links and history.
    let mark = audit_mark(store).await;
    store
        .delete_action(created.id, "dora")
        .await
        .expect("delete");
    assert_audited(store, mark, "action.delete", "dora", "action", &id).await;
    assert!(matches!(
        store.action(created.id).await,
        Err(StoreError::NotFound { entity: "action" })
    ));
    assert!(matches!(
        store.action_history(created.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_action(created.id, "dora").await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(
        store.actions().await.expect("actions"),
        std::slice::from_ref(&launch)
    );
}

async fn unknown_references_are_named_and_nothing_is_written(store: &dyn Store) {
    let hotline = touchpoint(store, "Hotline").await;
    user(store, "carla", Role::Agent).await;
    user(store, "vera", Role::Viewer).await;
    user(store, "otto", Role::Manager).await;
    store
        .set_disabled("otto", true, "system")
        .await
        .expect("disable");
    let stored = store
        .create_action(
            &action("Hotline", &[hotline], Some("carla")),
            ActionStatus::Planned,
            "carla",
        )
        .await
        .expect("an agent owns an action");
    let mark = audit_mark(store).await;
    let before = store.actions().await.expect("actions");

    let mut unknown = action("Nirgends", &[hotline, hotline + 100], Some("nobody"));
    unknown.finding_ids = vec![4711];
    assert_eq!(
        invalid_fields(
            store
                .create_action(&unknown, ActionStatus::Planned, "carla")
                .await
        ),
        ["touchpoint_ids[1]", "finding_ids[0]", "owner"]
    );
    for owner in ["vera", "otto"] {
        let not_staff = action("Hotline", &[hotline], Some(owner));
        let result = store
            .create_action(&not_staff, ActionStatus::Planned, "carla")
            .await;
        let Err(StoreError::Invalid(problems)) = result else {
            panic!("{owner} owns no action: {result:?}");
        };
        assert_eq!(problems.0[0].field, "owner");
        assert!(
            problems.0[0].message.contains("no active agent"),
            "{problems}"
        );
        assert_eq!(
            invalid_fields(
                store
                    .update_action(stored.id, &not_staff, None, "carla")
                    .await
            ),
            ["owner"]
        );
    }
    // An update with an unknown touchpoint changes neither fields nor status.
    assert_eq!(
        invalid_fields(
            store
                .update_action(
                    stored.id,
                    &action("Hotline", &[hotline + 100], None),
                    Some(ActionStatus::Done),
                    "carla"
                )
                .await
        ),
        ["touchpoint_ids[0]"]
    );
    assert_eq!(store.actions().await.expect("actions"), before);
    assert_eq!(store.action_history(stored.id).await.expect("h").len(), 1);
    assert_not_audited(store, mark, "a refused action").await;
    assert!(matches!(
        store
            .update_action(999_999, &action("x", &[hotline], None), None, "carla")
            .await,
        Err(StoreError::NotFound { .. })
    ));
}

fn change(status: ActionStatus, note: &str) -> StatusChange {
    StatusChange {
        status,
        note: note.into(),
        confirmed: None,
    }
}

async fn status_of(store: &dyn Store, id: i64) -> ActionStatus {
    store.action(id).await.expect("action").status
}

async fn status_changes_follow_the_rules_and_are_recorded(store: &dyn Store) {
    use ActionStatus::*;
    let hotline = touchpoint(store, "Hotline").await;
    let id = store
        .create_action(&action("Hotline", &[hotline], None), Idea, "carla")
        .await
        .expect("create")
        .id;
    let mark = audit_mark(store).await;
    let moved = store
        .set_action_status(id, &change(InProgress, "Team steht"), "carla")
        .await
        .expect("idea → in progress");
    assert_eq!(moved.status, InProgress);
    let entry = assert_audited(
        store,
        mark,
        "action.status",
        "carla",
        "action",
        &id.to_string(),
    )
    .await;
    assert_eq!(entry.summary, "idea → in_progress");
    store
        .set_action_status(id, &change(Done, "erledigt"), "dora")
        .await
        .expect("in progress → done");

    // A finished action is reopened as planned, never moved on as if still open.
    let mark = audit_mark(store).await;
    for to in [Idea, InProgress, Dropped] {
        match store.set_action_status(id, &change(to, ""), "carla").await {
            Err(StoreError::Conflict(problems)) => {
                assert_eq!(problems.0[0].field, "status", "{problems}");
            }
            other => panic!("done → {to:?} must be refused, got {other:?}"),
        }
    }
    // The same status again is no change: nothing recorded.
    let same = store
        .set_action_status(id, &change(Done, "nochmal"), "carla")
        .await
        .expect("done → done");
    assert_eq!(same.status, Done);
    assert_not_audited(store, mark, "refused and empty status changes").await;
    assert_eq!(status_of(store, id).await, Done);

    store
        .set_action_status(id, &change(Planned, "Wirkung blieb aus"), "carla")
        .await
        .expect("done → planned");
    // A replacement that names another status moves it too, by the same rules.
    let fields = store.action(id).await.expect("read").fields;
    let mark = audit_mark(store).await;
    store
        .update_action(id, &fields, Some(Dropped), "dora")
        .await
        .expect("planned → dropped by update");
    let entries = audited_since(store, mark).await;
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["action.update", "action.status"]);
    assert!(matches!(
        store.update_action(id, &fields, Some(Done), "dora").await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(status_of(store, id).await, Dropped);

    let history = store.action_history(id).await.expect("history");
    let steps: Vec<(Option<ActionStatus>, ActionStatus, &str, &str)> = history
        .iter()
        .map(|h| (h.from, h.to, h.actor.as_str(), h.note.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            (Some(Planned), Dropped, "dora", ""),
            (Some(Done), Planned, "carla", "Wirkung blieb aus"),
            (Some(InProgress), Done, "dora", "erledigt"),
            (Some(Idea), InProgress, "carla", "Team steht"),
            (None, Idea, "carla", ""),
        ],
        "newest first"
    );
    assert!(history.windows(2).all(|w| w[0].at >= w[1].at));
    assert!(history.iter().all(|h| h.action_id == id));
    assert!(matches!(
        store
            .set_action_status(999_999, &change(Done, ""), "carla")
            .await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn deleting_what_an_action_names_unlinks_it(store: &dyn Store) {
    let hotline = touchpoint(store, "Hotline").await;
    let chat = touchpoint(store, "Chat").await;
    user(store, "admin", Role::Admin).await;
    user(store, "carla", Role::Manager).await;
    let created: StoredAction = store
        .create_action(
            &action("Hotline und Chat", &[hotline, chat], Some("carla")),
            ActionStatus::Planned,
            "carla",
        )
        .await
        .expect("create");
    store
        .delete_touchpoint(chat, "admin")
        .await
        .expect("a touchpoint an action names can be deleted");
    let read = store.action(created.id).await.expect("read");
    assert_eq!(read.fields.touchpoint_ids, [hotline]);
    // An erased owner leaves the action without one, and nothing else changes.
    store
        .erase_personal_data(&Subject::Staff("carla".into()), "admin")
        .await
        .expect("erase");
    let read = store.action(created.id).await.expect("read");
    assert_eq!(read.fields.owner, None);
    assert_eq!(read.fields.title, "Hotline und Chat");
    assert_eq!(read.status, ActionStatus::Planned);
}

fn answer(touchpoint: i64, customer: Option<&str>, at: Timestamp) -> ResponseFields {
    ResponseFields {
        touchpoint_id: touchpoint,
        survey_id: None,
        metric: Metric::Nps,
        score: 9,
        comment: String::new(),
        answered_at: at,
        channel: None,
        customer_ref: customer.map(str::to_owned),
        external_id: None,
        request_id: None,
    }
}

async fn touchpoint_usage_counts_each_customer_once(store: &dyn Store) {
    let hotline = touchpoint(store, "Hotline").await;
    let chat = touchpoint(store, "Chat").await;
    let elsewhere = touchpoint(store, "Filiale").await;
    let now = Timestamp::now();
    let long_ago = after(now, -24 * 200);
    let at = |touchpoint: i64, email: &str, received: Timestamp| {
        let mut r = request("phone", Some(email), None, "Rückruf bitte");
        r.touchpoint_id = Some(touchpoint);
        r.received_at = Some(received);
        r
    };
    // Anna calls both touchpoints, Bernd one twice; Clara long ago; Dora elsewhere.
    let outcomes = store
        .intake(
            &[
                at(hotline, "anna@example.org", after(now, -2)),
                at(chat, "anna@example.org", after(now, -3)),
                at(hotline, "bernd@example.org", after(now, -4)),
                at(hotline, "bernd@example.org", after(now, -5)),
                at(hotline, "clara@example.org", long_ago),
                at(elsewhere, "dora@example.org", after(now, -1)),
            ],
            "t",
        )
        .await
        .expect("intake");
    store
        .act(
            outcomes[3].id,
            &touchpoints_core::request::RequestAction::Resolve,
            "t",
        )
        .await
        .expect("resolve");
    store
        .record_responses(
            &[
                answer(hotline, Some("anna@example.org"), after(now, -6)),
                answer(chat, Some("anna@example.org"), after(now, -6)),
                answer(chat, Some("kd-77"), after(now, -7)),
                answer(chat, None, after(now, -8)),
                answer(hotline, Some("kd-99"), long_ago),
            ],
            Some("t"),
        )
        .await
        .expect("answers");

    let since = after(now, -24 * 90);
    let until = after(now, 1);
    let usage = store
        .touchpoint_usage(&[hotline, chat], since, until)
        .await
        .expect("usage");
    assert_eq!(
        (usage.requests, usage.request_customers),
        (4, 2),
        "{usage:?}"
    );
    assert_eq!((usage.answers, usage.answer_customers), (4, 2), "{usage:?}");
    // Open now, whenever received: Clara's old request still waits; Bernd's second is done.
    assert_eq!(usage.open_requests, 4, "{usage:?}");
    let chat_only = store
        .touchpoint_usage(&[chat], since, until)
        .await
        .expect("usage");
    assert_eq!(
        (
            chat_only.requests,
            chat_only.request_customers,
            chat_only.answers
        ),
        (1, 1, 3)
    );
    assert_eq!(
        store
            .touchpoint_usage(&[], since, until)
            .await
            .expect("usage"),
        Default::default()
    );
}

async fn missed_targets_and_records_are_read_per_touchpoint(store: &dyn Store) {
    let hotline = touchpoint(store, "Hotline").await;
    let chat = touchpoint(store, "Chat").await;
    store
        .put_sla_policy(
            &touchpoints_core::queue::SlaPolicy {
                channel: "phone".into(),
                priority: touchpoints_core::request::Priority::Normal,
                first_response_minutes: 60,
                resolution_minutes: 8 * 60,
                around_the_clock: true,
            },
            "t",
        )
        .await
        .expect("policy");
    let now = Timestamp::now();
    // Each first response is due an hour after receipt, around the clock.
    let at = |touchpoint: i64, received_hours_ago: i64, answered_after_minutes: Option<i64>| {
        let mut r = request("phone", Some("anna@example.org"), None, "Rückruf bitte");
        r.touchpoint_id = Some(touchpoint);
        let received = after(now, -received_hours_ago);
        r.received_at = Some(received);
        r.first_response_at =
            answered_after_minutes.map(|m| received + jiff::SignedDuration::from_mins(m));
        r
    };
    store
        .intake(
            &[
                at(hotline, 10, Some(30)),   // kept
                at(hotline, 10, Some(90)),   // late
                at(hotline, 5, None),        // unanswered past its target: missed
                at(hotline, 0, None),        // may still be kept: undecided
                at(chat, 10, Some(59)),      // kept
                at(hotline, 24 * 100, None), // before the window
            ],
            "t",
        )
        .await
        .expect("intake");
    let since = after(now, -24 * 90);
    let until = after(now, 1);
    let targets = store
        .first_response_targets(since, until, now)
        .await
        .expect("targets");
    let count = |t: i64| targets.get(&t).map(|c| (c.decided, c.missed));
    assert_eq!(count(hotline), Some((3, 2)), "{targets:?}");
    assert_eq!(count(chat), Some((1, 0)), "{targets:?}");
    assert_eq!(targets.len(), 2, "{targets:?}");

    let records = store
        .touchpoint_response_records(&[chat], since, until)
        .await
        .expect("records");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].touchpoint_id, Some(chat));
    let records = store
        .touchpoint_response_records(&[hotline, chat], since, until)
        .await
        .expect("records");
    assert_eq!(records.len(), 5);
    assert!(
        records
            .windows(2)
            .all(|w| w[0].received_at <= w[1].received_at)
    );
    assert!(
        store
            .touchpoint_response_records(&[], since, until)
            .await
            .expect("records")
            .is_empty()
    );
}

async fn reliance_contacts_are_every_contact_of_the_touchpoints_customers(store: &dyn Store) {
    let fax = touchpoint(store, "Fax").await;
    let hotline = touchpoint(store, "Hotline").await;
    let now = Timestamp::now();
    let long_ago = after(now, -24 * 200);
    let at = |touchpoint: Option<i64>, email: &str, received: Timestamp| {
        let mut r = request("phone", Some(email), None, "Rückruf bitte");
        r.touchpoint_id = touchpoint;
        r.received_at = Some(received);
        r
    };
    // Anna faxes twice and calls; Bernd faxes and wrote without a touchpoint; Clara faxed
    // long ago and calls now (not a customer of the fax in the window); Dora only calls.
    let outcomes = store
        .intake(
            &[
                at(Some(fax), "anna@example.org", after(now, -2)),
                at(Some(fax), "anna@example.org", after(now, -3)),
                at(Some(hotline), "anna@example.org", after(now, -4)),
                at(Some(fax), "bernd@example.org", after(now, -5)),
                at(None, "bernd@example.org", after(now, -6)),
                at(Some(fax), "clara@example.org", long_ago),
                at(Some(hotline), "clara@example.org", after(now, -7)),
                at(Some(hotline), "dora@example.org", after(now, -8)),
            ],
            "t",
        )
        .await
        .expect("intake");
    let (anna, bernd) = (outcomes[0].customer_id, outcomes[3].customer_id);
    store
        .record_responses(
            &[
                answer(fax, Some("KD-1"), after(now, -6)),
                answer(hotline, Some("KD-1"), after(now, -6)),
                answer(hotline, Some("KD-1"), after(now, -7)),
                answer(hotline, Some("KD-2"), after(now, -6)),
                answer(fax, None, after(now, -6)),
            ],
            Some("t"),
        )
        .await
        .expect("answers");

    let since = after(now, -24 * 90);
    let until = after(now, 1);
    let mut contacts: Vec<(String, Option<i64>, u64)> = store
        .reliance_contacts(&[fax], since, until)
        .await
        .expect("contacts")
        .into_iter()
        .map(|c| (c.customer, c.touchpoint_id, c.count))
        .collect();
    contacts.sort();
    let mut expected = vec![
        (format!("p{}", anna.expect("anna's profile")), Some(fax), 2),
        (
            format!("p{}", anna.expect("anna's profile")),
            Some(hotline),
            1,
        ),
        (format!("p{}", bernd.expect("bernd's profile")), None, 1),
        (
            format!("p{}", bernd.expect("bernd's profile")),
            Some(fax),
            1,
        ),
        ("rKD-1".to_owned(), Some(fax), 1),
        ("rKD-1".to_owned(), Some(hotline), 2),
    ];
    expected.sort();
    assert_eq!(contacts, expected);
    assert!(
        store
            .reliance_contacts(&[], since, until)
            .await
            .expect("contacts")
            .is_empty()
    );

    // Anna and Bernd as a segment: their requests and the answers under their identifiers,
    // at the fax and in all. Anna: fax 2 + hotline 1 + an answer at the fax under her
    // address; Bernd: fax 1 + one without a touchpoint. Clara's old fax is outside.
    store
        .record_responses(
            &[answer(fax, Some("anna@example.org"), after(now, -6))],
            Some("t"),
        )
        .await
        .expect("an answer");
    let members = [anna.expect("anna"), bernd.expect("bernd")];
    assert_eq!(
        store
            .members_contacts(&members, &[fax], since, until)
            .await
            .expect("contacts"),
        (4, 6)
    );
    assert_eq!(
        store
            .members_contacts(&[], &[fax], since, until)
            .await
            .expect("none"),
        (0, 0)
    );
}

async fn plan_settings_are_the_defaults_until_set_and_audited(store: &dyn Store) {
    use touchpoints_core::action_plan::PlanSettings;
    assert_eq!(
        store.plan_settings().await.expect("settings"),
        PlanSettings::default()
    );
    let mut settings = PlanSettings::default();
    settings.target_groups.insert("Stammkunden".into(), 1.5);
    settings.regions.insert("Nord".into(), 0.8);
    settings.regions.insert("Süd".into(), 1.2);
    settings.quick_win.max_days = 21;
    settings.weights.target_nps = 40.0;
    let mark = audit_mark(store).await;
    store
        .set_plan_settings(&settings, "carla")
        .await
        .expect("set");
    let entry = assert_audited(
        store,
        mark,
        "action_plan.settings",
        "carla",
        "settings",
        "action_plan",
    )
    .await;
    assert_eq!(
        entry.summary,
        "quick win within 21 days and 10 person-days; weighted target groups: 1, regions: 2"
    );
    assert_eq!(store.plan_settings().await.expect("settings"), settings);
    // The queue's own settings are untouched by the plan's.
    assert_eq!(
        store
            .queue_settings()
            .await
            .expect("queue settings")
            .options,
        Default::default()
    );
}
