//! Closed-loop feedback: a detractor's comment opens a follow-up request in the answers'
//! transaction, and answers name the request they follow, on both backends.

use jiff::{SignedDuration, Timestamp};
use touchpoints_core::kpi::Metric;
use touchpoints_core::queue::SlaPolicy;
use touchpoints_core::request::{NewRequest, Priority};
use touchpoints_core::survey::ResponseFields;
use touchpoints_store::{QueueFilter, QueueView, Store, StoredRequest};

use crate::harness::{audit_mark, audited_since, fields, invalid_fields};

store_suite!(
    a_detractors_comment_opens_one_follow_up_and_a_retry_none,
    a_refused_batch_opens_no_follow_up,
    an_answer_names_the_request_it_follows,
);

fn answer(touchpoint_id: i64, metric: Metric, score: u8, comment: &str) -> ResponseFields {
    ResponseFields {
        touchpoint_id,
        survey_id: None,
        metric,
        score,
        comment: comment.into(),
        answered_at: Timestamp::now() - SignedDuration::from_hours(1),
        channel: None,
        customer_ref: Some("K-10042".into()),
        external_id: None,
        request_id: None,
    }
}

async fn all_requests(store: &dyn Store) -> Vec<StoredRequest> {
    store
        .queue(&QueueFilter {
            view: QueueView::All,
            limit: 100,
            ..QueueFilter::default()
        })
        .await
        .expect("queue")
}

async fn a_detractors_comment_opens_one_follow_up_and_a_retry_none(store: &dyn Store) {
    let tp = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("touchpoint")
        .id;
    store
        .put_sla_policy(
            &SlaPolicy {
                channel: "phone".into(),
                priority: Priority::High,
                first_response_minutes: 60,
                resolution_minutes: 8 * 60,
                around_the_clock: true,
            },
            "manager",
        )
        .await
        .expect("policy");
    let mut batch = vec![
        // A promoter with a comment, a detractor without one, a detractor with one.
        answer(tp, Metric::Nps, 10, "Super"),
        answer(tp, Metric::Nps, 6, ""),
        answer(tp, Metric::Nps, 6, "Niemand hat zurückgerufen"),
    ];
    for (i, a) in batch.iter_mut().enumerate() {
        a.external_id = Some(format!("survey-tool-{i}"));
    }
    let mark = audit_mark(store).await;
    let summary = store
        .record_responses(&batch, Some("hook"))
        .await
        .expect("record");
    assert_eq!(summary.created, 3);
    let requests = all_requests(store).await;
    assert_eq!(requests.len(), 1, "{requests:?}");
    let follow_up = &requests[0];
    assert_eq!(follow_up.priority, Priority::High);
    assert_eq!(follow_up.channel, "phone");
    assert_eq!(follow_up.touchpoint_id, Some(tp));
    assert_eq!(follow_up.source, "follow-up");
    assert_eq!(
        follow_up.subject,
        "Nachfassen: NPS 6/10: Niemand hat zurückgerufen"
    );
    assert!(follow_up.body.contains("Niemand hat zurückgerufen"));
    // Planned like any intake: phone at high priority answers within the hour, around the
    // clock.
    assert_eq!(
        follow_up.first_response_due,
        Some(follow_up.received_at + SignedDuration::from_hours(1))
    );
    assert!(follow_up.customer_id.is_some());
    let answer_id = follow_up.response_id.expect("linked to its answer");
    let linked = store.response(answer_id).await.expect("answer");
    assert_eq!(linked.fields.score, 6);
    assert_eq!(linked.fields.comment, "Niemand hat zurückgerufen");
    assert_eq!(linked.fields.external_id.as_deref(), Some("survey-tool-2"));
    let audited: Vec<(String, String, String)> = audited_since(store, mark)
        .await
        .into_iter()
        .map(|e| (e.action, e.entity_id, e.summary))
        .collect();
    assert!(
        audited.contains(&(
            "request.follow_up".into(),
            follow_up.id.to_string(),
            format!("follow-up of answer {answer_id}")
        )),
        "{audited:?}"
    );

    // The same delivery again: nothing new, still one follow-up.
    let again = store
        .record_responses(&batch, Some("hook"))
        .await
        .expect("retry");
    assert_eq!((again.created, again.unchanged), (0, 3));
    assert_eq!(all_requests(store).await.len(), 1);

    // The same customer's next complaint finds their profile.
    let second = store
        .record_responses(&[answer(tp, Metric::Csat, 2, "Wieder nichts")], None)
        .await
        .expect("second");
    assert_eq!(second.created, 1);
    let requests = all_requests(store).await;
    assert_eq!(requests.len(), 2);
    assert!(
        requests
            .iter()
            .all(|r| r.customer_id == follow_up.customer_id)
    );
}

async fn a_refused_batch_opens_no_follow_up(store: &dyn Store) {
    let tp = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("touchpoint")
        .id;
    let batch = [
        answer(tp, Metric::Ces, 1, "Viel zu kompliziert"),
        answer(tp + 1000, Metric::Ces, 7, ""),
    ];
    assert_eq!(
        invalid_fields(store.record_responses(&batch, None).await),
        ["[1].touchpoint_id"]
    );
    assert!(all_requests(store).await.is_empty());
    assert!(store.response_page(0, 10).await.expect("page").is_empty());
}

async fn an_answer_names_the_request_it_follows(store: &dyn Store) {
    let tp = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("touchpoint")
        .id;
    let request = NewRequest {
        channel: "email".into(),
        touchpoint_id: Some(tp),
        source: "service@".into(),
        customer_name: "Erika".into(),
        identifiers: Vec::new(),
        subject: "Rechnung".into(),
        body: "Frage zur Rechnung".into(),
        received_at: None,
        language: "de".into(),
        external_id: None,
        priority: Priority::Normal,
        first_response_at: None,
        resolved_at: None,
        message_id: None,
    };
    let id = store.intake(&[request], "t").await.expect("intake")[0].id;
    let mut attributed = answer(tp, Metric::Csat, 5, "Danke");
    attributed.request_id = Some(id);
    let mut unknown = attributed.clone();
    unknown.request_id = Some(id + 1000);
    assert_eq!(
        invalid_fields(
            store
                .record_responses(&[attributed.clone(), unknown], None)
                .await
        ),
        ["[1].request_id"]
    );
    store
        .record_responses(&[attributed], None)
        .await
        .expect("record");
    let stored = store.response_page(0, 10).await.expect("page");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].fields.request_id, Some(id));
    // Recorded under the request's channel, not the touchpoint's (phone).
    assert_eq!(stored[0].fields.channel.as_deref(), Some("email"));
}
