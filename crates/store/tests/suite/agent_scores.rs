//! The counts behind the dashboard's scores per agent and team: answers to requests in a
//! window, by the request's assignee, touchpoint and metric, on both backends.

use jiff::Timestamp;
use touchpoints_core::Role;
use touchpoints_core::kpi::{self, Metric, Tally};
use touchpoints_core::request::{NewRequest, Priority, RequestAction};
use touchpoints_core::survey::ResponseFields;
use touchpoints_store::{AssigneeTally, Store};

use crate::harness::{fields, user};

store_suite!(answers_to_requests_are_counted_by_assignee_in_the_window);

fn at(text: &str) -> Timestamp {
    text.parse().expect("instant")
}

async fn request(store: &dyn Store, touchpoint_id: i64, assignee: Option<&str>) -> i64 {
    let id = store
        .intake(
            &[NewRequest {
                channel: "email".into(),
                touchpoint_id: Some(touchpoint_id),
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
            }],
            "t",
        )
        .await
        .expect("intake")[0]
        .id;
    if let Some(name) = assignee {
        store
            .act(
                id,
                &RequestAction::Assign {
                    to: Some(name.into()),
                },
                name,
            )
            .await
            .expect("assign");
    }
    id
}

/// An answer without a comment, so that no detractor opens a follow-up request.
fn answer(
    touchpoint_id: i64,
    request_id: Option<i64>,
    metric: Metric,
    score: u8,
    when: &str,
) -> ResponseFields {
    ResponseFields {
        touchpoint_id,
        survey_id: None,
        metric,
        score,
        comment: String::new(),
        answered_at: at(when),
        channel: None,
        customer_ref: None,
        external_id: None,
        request_id,
    }
}

fn find<'a>(
    rows: &'a [AssigneeTally],
    assignee: Option<&str>,
    touchpoint_id: i64,
    metric: Metric,
) -> &'a Tally {
    &rows
        .iter()
        .find(|r| {
            r.assignee.as_deref() == assignee
                && r.touchpoint_id == touchpoint_id
                && r.metric == metric
        })
        .unwrap_or_else(|| panic!("no row {assignee:?} {touchpoint_id} {metric}: {rows:?}"))
        .tally
}

async fn answers_to_requests_are_counted_by_assignee_in_the_window(store: &dyn Store) {
    user(store, "berta", Role::Agent).await;
    user(store, "carl", Role::Agent).await;
    let hotline = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("touchpoint")
        .id;
    let mail = store
        .create_touchpoint(&fields("Service-Mail", "email", "after-purchase"), "t")
        .await
        .expect("touchpoint")
        .id;
    let bertas = request(store, hotline, Some("berta")).await;
    let bertas_mail = request(store, mail, Some("berta")).await;
    let carls = request(store, hotline, Some("carl")).await;
    let nobodys = request(store, hotline, None).await;

    let inside = "2026-03-10T10:00:00Z";
    let mut answers = Vec::new();
    // Berta at the hotline: 3 promoters (10, 9, 9), 1 passive (8), 1 detractor (3).
    for score in [10, 9, 9, 8, 3] {
        answers.push(answer(hotline, Some(bertas), Metric::Nps, score, inside));
    }
    // Berta by mail: CSAT 5, 4 and 2.
    for score in [5, 4, 2] {
        answers.push(answer(mail, Some(bertas_mail), Metric::Csat, score, inside));
    }
    // Carl: two detractors and one satisfied customer.
    for score in [6, 0] {
        answers.push(answer(hotline, Some(carls), Metric::Nps, score, inside));
    }
    answers.push(answer(hotline, Some(carls), Metric::Csat, 5, inside));
    // A request nobody holds: one passive.
    answers.push(answer(hotline, Some(nobodys), Metric::Nps, 7, inside));
    // Not counted: an answer that names no request, and Berta's answers just outside the
    // window [1 March, 1 April): the window's end is exclusive.
    answers.push(answer(hotline, None, Metric::Nps, 10, inside));
    answers.push(answer(
        hotline,
        Some(bertas),
        Metric::Nps,
        0,
        "2026-02-28T23:59:59.999999Z",
    ));
    answers.push(answer(
        hotline,
        Some(bertas),
        Metric::Nps,
        0,
        "2026-04-01T00:00:00Z",
    ));
    store
        .record_responses(&answers, None)
        .await
        .expect("record");

    let rows = store
        .tallies_by_assignee(at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z"))
        .await
        .expect("tallies");
    assert_eq!(rows.len(), 5, "{rows:?}");

    let berta_nps = find(&rows, Some("berta"), hotline, Metric::Nps);
    assert_eq!(berta_nps.n(), 5);
    assert_eq!(
        (
            berta_nps.count_between(9, 10),
            berta_nps.count_between(7, 8),
            berta_nps.count_between(0, 6)
        ),
        (3, 1, 1)
    );
    // NPS = 60 % promoters − 20 % detractors = 40.
    let estimate = kpi::estimate(Metric::Nps, berta_nps).expect("nps");
    assert_eq!(estimate.value, 40.0);
    assert!(estimate.few, "5 answers are few");

    // CSAT = 2 satisfied (4, 5) of 3 = 66.7 %.
    let berta_csat = find(&rows, Some("berta"), mail, Metric::Csat);
    assert_eq!(*berta_csat, Tally::from_scores([5, 4, 2]));
    let estimate = kpi::estimate(Metric::Csat, berta_csat).expect("csat");
    assert!((estimate.value - 200.0 / 3.0).abs() < 1e-9, "{estimate:?}");

    // Carl: 0 promoters, 2 detractors of 2: NPS = 0 − 100 = −100; CSAT 1 of 1 = 100.
    let carl_nps = find(&rows, Some("carl"), hotline, Metric::Nps);
    assert_eq!(*carl_nps, Tally::from_scores([6, 0]));
    assert_eq!(
        kpi::estimate(Metric::Nps, carl_nps).map(|e| e.value),
        Some(-100.0)
    );
    let carl_csat = find(&rows, Some("carl"), hotline, Metric::Csat);
    assert_eq!(
        kpi::estimate(Metric::Csat, carl_csat).map(|e| e.value),
        Some(100.0)
    );

    // Nobody's request: one passive, NPS 0.
    let nobody = find(&rows, None, hotline, Metric::Nps);
    assert_eq!(*nobody, Tally::from_scores([7]));
    assert_eq!(
        kpi::estimate(Metric::Nps, nobody).map(|e| e.value),
        Some(0.0)
    );

    // The answers count under the request's assignee as it is now.
    store
        .act(
            carls,
            &RequestAction::Assign {
                to: Some("berta".into()),
            },
            "berta",
        )
        .await
        .expect("reassign");
    let rows = store
        .tallies_by_assignee(at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z"))
        .await
        .expect("tallies");
    assert!(
        rows.iter().all(|r| r.assignee.as_deref() != Some("carl")),
        "{rows:?}"
    );
    assert_eq!(
        *find(&rows, Some("berta"), hotline, Metric::Nps),
        Tally::from_scores([10, 9, 9, 8, 3, 6, 0])
    );

    // An empty window has no rows.
    let none = store
        .tallies_by_assignee(at("2026-05-01T00:00:00Z"), at("2026-06-01T00:00:00Z"))
        .await
        .expect("empty");
    assert!(none.is_empty(), "{none:?}");
}
