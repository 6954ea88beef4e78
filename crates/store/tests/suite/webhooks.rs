//! Webhooks: subscriptions and their audit, events written in the transaction of what caused
//! them for the subscriptions that want them, claims as leases no two callers share, and a
//! delivery recorded once. On both backends.

use jiff::{SignedDuration, Timestamp};
use touchpoints_core::kpi::Metric;
use touchpoints_core::request::RequestAction;
use touchpoints_core::survey::ResponseFields;
use touchpoints_core::webhook::{DeliveryStatus, Event, EventKind, SubscriptionFields};
use touchpoints_store::{StepWith, Store, StoreError};

use crate::harness::fields;
use crate::requests::request;

store_suite!(
    webhooks_subscriptions_are_kept_changed_and_removed,
    webhooks_events_are_written_for_the_subscriptions_that_want_them,
    webhooks_a_claim_is_a_lease_and_a_delivery_is_recorded_once,
    webhooks_old_finished_events_leave_the_log_and_unfinished_ones_stay,
);

fn subscription(url: &str, events: &[EventKind]) -> SubscriptionFields {
    SubscriptionFields {
        url: url.into(),
        events: events.to_vec(),
        active: true,
        allow_http: false,
        allow_private: false,
    }
}

fn far_future() -> Timestamp {
    Timestamp::now() + SignedDuration::from_hours(24)
}

async fn webhooks_subscriptions_are_kept_changed_and_removed(store: &dyn Store) {
    let created = store
        .create_webhook(
            &subscription("https://hooks.example.com/a", &[EventKind::CampaignSent]),
            "geheim",
            "admin",
        )
        .await
        .expect("create");
    assert_eq!(
        store.webhooks().await.expect("list"),
        std::slice::from_ref(&created)
    );
    let paused = SubscriptionFields {
        active: false,
        ..created.fields.clone()
    };
    let updated = store
        .update_webhook(created.id, &paused, "admin")
        .await
        .expect("update");
    assert!(!updated.fields.active);
    store
        .queue_webhook_event(created.id, &Event::ping(created.id), Timestamp::now())
        .await
        .expect("ping");
    // A paused subscription's deliveries wait.
    let claimed = store
        .claim_deliveries(far_future(), far_future(), 10)
        .await
        .expect("claim");
    assert!(claimed.is_empty(), "{claimed:?}");
    store
        .delete_webhook(created.id, "admin")
        .await
        .expect("delete");
    assert!(matches!(
        store.webhook(created.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.deliveries(created.id, 10).await,
        Err(StoreError::NotFound { .. })
    ));
    let actions: Vec<String> = store
        .audit_log(&Default::default(), 100)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.starts_with("webhook."))
        .collect();
    assert_eq!(actions.len(), 3, "{actions:?}");
}

async fn webhooks_events_are_written_for_the_subscriptions_that_want_them(store: &dyn Store) {
    let requests = store
        .create_webhook(
            &subscription(
                "https://hooks.example.com/requests",
                &[EventKind::RequestCreated, EventKind::RequestResolved],
            ),
            "s1",
            "admin",
        )
        .await
        .expect("create");
    let answers = store
        .create_webhook(
            &subscription(
                "https://hooks.example.com/answers",
                &[EventKind::AnswerDetractor],
            ),
            "s2",
            "admin",
        )
        .await
        .expect("create");
    let id = store
        .intake(
            &[request("email", Some("kunde@example.de"), None, "Paket?")],
            "t",
        )
        .await
        .expect("intake")[0]
        .id;
    store
        .act_with(id, &RequestAction::Resolve, "agent", &StepWith::default())
        .await
        .expect("resolve");
    let tp = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("touchpoint")
        .id;
    let answer = |score| ResponseFields {
        touchpoint_id: tp,
        survey_id: None,
        metric: Metric::Nps,
        score,
        comment: "Text, der nicht hinausgeht".into(),
        answered_at: Timestamp::now(),
        channel: None,
        customer_ref: Some("kunde@example.de".into()),
        external_id: None,
        request_id: None,
    };
    store
        .record_responses(&[answer(9), answer(3)], None)
        .await
        .expect("answers");

    let kinds = |id| async move {
        let mut log = store.deliveries(id, 10).await.expect("deliveries");
        log.reverse();
        log.into_iter().map(|d| d.kind).collect::<Vec<_>>()
    };
    // The detractor's answer opened a follow-up request: created too, in the answer's write.
    assert_eq!(
        kinds(requests.id).await,
        [
            EventKind::RequestCreated,
            EventKind::RequestResolved,
            EventKind::RequestCreated
        ]
    );
    assert_eq!(kinds(answers.id).await, [EventKind::AnswerDetractor]);

    let claimed = store
        .claim_deliveries(far_future(), far_future(), 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 4);
    let detractor = claimed
        .iter()
        .find(|d| d.subscription_id == answers.id)
        .expect("the detractor's delivery");
    assert_eq!(detractor.secret, "s2");
    let body: serde_json::Value = serde_json::from_str(&detractor.body).expect("json");
    assert_eq!(body["type"], "answer.detractor");
    assert_eq!(body["id"], detractor.event_id.as_str());
    assert_eq!(body["data"]["score"], 3);
    assert!(
        !detractor.body.contains("Text") && !detractor.body.contains("kunde@"),
        "no free text, no address: {}",
        detractor.body
    );
    let created = claimed
        .iter()
        .find(|d| d.body.contains("request.created"))
        .expect("created");
    let body: serde_json::Value = serde_json::from_str(&created.body).expect("json");
    assert_eq!(body["data"]["request_id"], id);
    assert_eq!(body["data"]["channel"], "email");
}

async fn webhooks_a_claim_is_a_lease_and_a_delivery_is_recorded_once(store: &dyn Store) {
    let hook = store
        .create_webhook(
            &subscription("https://hooks.example.com/", &[EventKind::CampaignSent]),
            "s",
            "admin",
        )
        .await
        .expect("create");
    let now = Timestamp::from_microsecond(Timestamp::now().as_microsecond()).expect("now")
        + SignedDuration::from_secs(1);
    for _ in 0..2 {
        store
            .queue_webhook_event(hook.id, &Event::ping(hook.id), now)
            .await
            .expect("ping");
    }
    let lease = now + SignedDuration::from_mins(5);
    let (a, b) = tokio::join!(
        store.claim_deliveries(now, lease, 10),
        store.claim_deliveries(now, lease, 10)
    );
    let (a, b) = (a.expect("claim a"), b.expect("claim b"));
    assert_eq!(a.len() + b.len(), 2, "each claimed once: {a:?} {b:?}");
    assert_ne!(
        a.iter().chain(&b).next().map(|d| &d.event_id),
        a.iter().chain(&b).nth(1).map(|d| &d.event_id),
        "two events, two ids"
    );
    // A server that dies holding them: nobody gets them during the lease, the next after it.
    let during = store.claim_deliveries(now, lease, 10).await.expect("claim");
    assert!(during.is_empty());
    let after = lease + SignedDuration::from_secs(1);
    let again = store
        .claim_deliveries(after, after + SignedDuration::from_mins(5), 10)
        .await
        .expect("claim");
    assert_eq!(again.len(), 2);
    assert!(again.iter().all(|d| d.attempts == 2));
    let first = a
        .iter()
        .chain(&b)
        .find(|d| d.id == again[0].id)
        .expect("same");
    assert_eq!(first.body, again[0].body, "the same bytes on every try");
    // The dead server's late record does not count; the current try's does, once.
    assert!(
        !store
            .delivered(again[0].id, 1, 200, after)
            .await
            .expect("late")
    );
    assert!(
        store
            .delivered(again[0].id, 2, 204, after)
            .await
            .expect("delivered")
    );
    assert!(
        !store
            .delivered(again[0].id, 2, 204, after)
            .await
            .expect("twice")
    );
    let retry = after + SignedDuration::from_mins(1);
    assert!(
        store
            .not_delivered(again[1].id, 2, "HTTP 500", Some(500), Some(retry))
            .await
            .expect("failed try")
    );
    let log = store.deliveries(hook.id, 10).await.expect("log");
    let by_id = |id| log.iter().find(|d| d.id == id).expect("logged");
    let done = by_id(again[0].id);
    assert_eq!(
        (done.status, done.last_status, done.delivered_at),
        (DeliveryStatus::Delivered, Some(204), Some(after))
    );
    let failed = by_id(again[1].id);
    assert_eq!(
        (
            failed.status,
            failed.last_status,
            failed.last_error.as_str(),
            failed.next_attempt_at
        ),
        (DeliveryStatus::Queued, Some(500), "HTTP 500", retry)
    );
    // Nothing more is due before the retry; the delivered one never again.
    assert!(
        store
            .claim_deliveries(after, after, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    let last = store
        .claim_deliveries(retry, retry, 10)
        .await
        .expect("claim");
    assert_eq!(last.iter().map(|d| d.id).collect::<Vec<_>>(), [again[1].id]);
    assert!(
        store
            .not_delivered(again[1].id, 3, "timeout", None, None)
            .await
            .expect("ends")
    );
    let newest = &store.deliveries(hook.id, 1).await.expect("log")[0];
    assert_eq!(
        (newest.id, newest.status),
        (again[1].id, DeliveryStatus::Failed)
    );
}

async fn webhooks_old_finished_events_leave_the_log_and_unfinished_ones_stay(store: &dyn Store) {
    let hook = store
        .create_webhook(
            &subscription("https://hooks.example.com/", &[EventKind::CampaignSent]),
            "s",
            "admin",
        )
        .await
        .expect("create");
    let old = Timestamp::now() - SignedDuration::from_hours(24 * 40);
    let recent = Timestamp::now() - SignedDuration::from_hours(24);
    let cutoff = Timestamp::now() - SignedDuration::from_hours(24 * 30);
    // Four events: old and delivered, old and failed, old and still to retry, recent and
    // delivered.
    for at in [old, old, old, recent] {
        store
            .queue_webhook_event(hook.id, &Event::ping(hook.id), at)
            .await
            .expect("ping");
    }
    let claimed = store
        .claim_deliveries(Timestamp::now(), far_future(), 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 4);
    let mut by_age = claimed.clone();
    by_age.sort_by_key(|d| d.id);
    let at = Timestamp::now();
    assert!(store.delivered(by_age[0].id, 1, 200, at).await.expect("ok"));
    assert!(
        store
            .not_delivered(by_age[1].id, 1, "HTTP 410", Some(410), None)
            .await
            .expect("failed for good")
    );
    assert!(
        store
            .not_delivered(by_age[2].id, 1, "timeout", None, Some(far_future()))
            .await
            .expect("retry later")
    );
    assert!(store.delivered(by_age[3].id, 1, 204, at).await.expect("ok"));

    assert_eq!(store.purge_webhook_events(cutoff).await.expect("purge"), 2);
    let left: Vec<i64> = store
        .deliveries(hook.id, 10)
        .await
        .expect("log")
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(left, [by_age[3].id, by_age[2].id], "newest first");
    assert_eq!(store.purge_webhook_events(cutoff).await.expect("again"), 0);
}
