//! Surveys, answers, customer events and their roll-ups, on both backends.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::{Date, date};
use touchpoints_core::Subject;
use touchpoints_core::dashboard::TallyRow;
use touchpoints_core::kpi::{CustomerEventKind, Metric, Tally};
use touchpoints_core::survey::{CustomerEventFields, ResponseFields, SurveyFields};
use touchpoints_store::{
    ImportSummary, ReportWindow, Resolution, ResponseFilter, Store, StoreError,
};

use sqlx::Connection;

use crate::harness::{
    Database, TestStore, audit_mark, audited_since, fields, invalid_fields, postgres, sqlite,
};

/// The upgrade to week roll-ups fills them from the day roll-ups a database already holds:
/// its SQL must put every day in the week the program does, at the turn of a month and a
/// year, on a Sunday and on a Monday.
async fn week_rollups_are_filled_on_upgrade_as_they_are_kept(t: &TestStore, upgrade: &str) {
    let store = t.store.as_ref();
    let tp = hotline(store).await;
    let answers = [
        ("2026-03-29T12:00:00Z", 10), // Sunday of the switch to summer time
        ("2026-03-30T06:00:00Z", 9),  // Monday
        ("2026-12-31T12:00:00Z", 8),  // Thursday; the week began on 28 December
        ("2027-01-03T23:30:00Z", 7),  // Sunday 23:30 UTC, Monday 4 January in Berlin
        ("2028-02-29T12:00:00Z", 0),  // a leap day, Tuesday
    ];
    let batch: Vec<_> = answers
        .iter()
        .map(|(when, score)| answer(tp, Metric::Nps, *score, when))
        .collect();
    store.record_responses(&batch, None).await.expect("record");
    let weeks = || async {
        (
            rows(store, Resolution::Week).await,
            totals(store, Resolution::Week, date(2000, 1, 1), date(2100, 1, 1)).await,
        )
    };
    let kept = weeks().await;
    assert_eq!(
        kept.1
            .iter()
            .map(|r| (r.bucket, r.tally.n()))
            .collect::<Vec<_>>(),
        [
            (date(2026, 3, 23), 1),
            (date(2026, 3, 30), 1),
            (date(2026, 12, 28), 1),
            (date(2027, 1, 4), 1),
            (date(2028, 2, 28), 1)
        ]
    );
    // Empty the week roll-ups, then run the upgrade's statements that fill them.
    let fill = &upgrade[upgrade
        .find("INSERT INTO")
        .expect("the upgrade fills the tables")..];
    t.execute(&format!(
        "DELETE FROM response_weeks; DELETE FROM response_week_totals; {fill}"
    ))
    .await;
    assert_eq!(weeks().await, kept);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn week_rollups_are_filled_on_upgrade_on_sqlite() {
    let t = sqlite().await;
    week_rollups_are_filled_on_upgrade_as_they_are_kept(
        &t,
        include_str!("../../migrations/sqlite/0008_week_rollups.sql"),
    )
    .await;
    t.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn week_rollups_are_filled_on_upgrade_on_postgres() {
    let t = postgres().await;
    week_rollups_are_filled_on_upgrade_as_they_are_kept(
        &t,
        include_str!("../../migrations/postgres/0008_week_rollups.sql"),
    )
    .await;
    t.finish().await;
}

/// Revenue sums saturate at the bounds of a 64-bit integer, in Rust (a batch, a recount)
/// and in SQL (a day's stored revenue plus a batch's), and stay integers on both backends.
async fn revenue_at_the_limit_stays_an_integer(t: &TestStore) {
    use CustomerEventKind::Purchase;
    let store = t.store.as_ref();
    // The store takes what the core validated; sums of many bounded purchases are what
    // these amounts stand for.
    let huge = 6_000_000_000_000_000_000;
    let bound = 1_000_000_000_000;
    let (up, down) = ("2026-03-01T10:00:00Z", "2026-03-02T10:00:00Z");
    let batches = [
        vec![
            event("A", Purchase, up, huge),
            event("B", Purchase, up, huge),
        ],
        vec![event("C", Purchase, up, bound)],
        vec![
            event("A", Purchase, down, -huge),
            event("B", Purchase, down, -huge),
        ],
        vec![event("C", Purchase, down, -bound)],
    ];
    for batch in &batches {
        store
            .record_customer_events(batch, "import")
            .await
            .expect("events");
    }
    let revenue = || async {
        store
            .customer_days(date(2026, 3, 1), date(2026, 3, 3))
            .await
            .expect("customer days read back")
            .iter()
            .map(|d| (d.day, d.revenue_cents, d.purchases))
            .collect::<Vec<_>>()
    };
    let expected = vec![
        (date(2026, 3, 1), i64::MAX, 3),
        (date(2026, 3, 2), i64::MIN, 3),
    ];
    assert_eq!(revenue().await, expected, "kept in the writes");
    store.rebuild_rollups("admin").await.expect("rebuild");
    assert_eq!(revenue().await, expected, "recounted");
    if let Database::Sqlite(dir) = &t.db {
        let mut conn = sqlx::SqliteConnection::connect(&Database::sqlite_url(dir))
            .await
            .expect("connect");
        let types: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT typeof(revenue_cents) FROM customer_days")
                .fetch_all(&mut conn)
                .await
                .expect("types");
        assert_eq!(types, ["integer"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revenue_at_the_limit_stays_an_integer_on_sqlite() {
    let t = sqlite().await;
    revenue_at_the_limit_stays_an_integer(&t).await;
    t.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn revenue_at_the_limit_stays_an_integer_on_postgres() {
    let t = postgres().await;
    revenue_at_the_limit_stays_an_integer(&t).await;
    t.finish().await;
}

store_suite!(
    surveys_are_kept_with_references_checked,
    answers_count_into_day_and_month_rollups_all_or_nothing,
    a_retried_answer_is_stored_once,
    a_surveys_count_of_answers_follows_what_is_stored,
    surveys_answered_since_an_instant_are_found,
    rollups_follow_the_time_zone_and_a_recount_agrees,
    customer_events_count_the_customer_base_in_any_order,
    customer_events_in_any_batches_count_as_a_recount_does,
    a_touchpoint_with_answers_is_retired_not_deleted,
    a_customers_answers_and_events_are_exported_and_erased,
    the_database_merges_tallies_as_rust_would,
    concurrent_answers_and_events_are_answered_one_by_one,
    a_surveys_answers_are_listed_by_score_band_comment_and_text,
);

fn at(text: &str) -> Timestamp {
    text.parse().expect("instant")
}

fn survey(touchpoint_id: i64, metric: Metric) -> SurveyFields {
    SurveyFields {
        touchpoint_id,
        metric,
        channel: None,
        question_de: "Wie wahrscheinlich?".into(),
        question_en: "How likely?".into(),
        follow_up_de: String::new(),
        follow_up_en: String::new(),
        active: true,
    }
}

fn answer(touchpoint_id: i64, metric: Metric, score: u8, answered_at: &str) -> ResponseFields {
    ResponseFields {
        touchpoint_id,
        survey_id: None,
        metric,
        score,
        comment: String::new(),
        answered_at: at(answered_at),
        channel: None,
        customer_ref: None,
        external_id: None,
        request_id: None,
    }
}

fn event(customer: &str, kind: CustomerEventKind, when: &str, cents: i64) -> CustomerEventFields {
    CustomerEventFields {
        customer_ref: customer.into(),
        kind,
        at: at(when),
        amount_cents: cents,
        external_id: None,
    }
}

/// Roll-up rows in one order, so that two reads compare.
fn sorted(mut rows: Vec<TallyRow>) -> Vec<TallyRow> {
    rows.sort_by_key(|r| (r.metric, r.bucket, r.touchpoint_id, r.channel.clone()));
    rows
}

/// The roll-up totals by metric and bucket in `[from, until)`, as a report reads them.
async fn totals(
    store: &dyn Store,
    resolution: Resolution,
    from: Date,
    until: Date,
) -> Vec<TallyRow> {
    let window = ReportWindow {
        previous_from: from,
        from: until,
        until,
    };
    let read = store
        .report_tallies(resolution, Metric::Nps, window, false)
        .await
        .expect("totals");
    sorted(read.buckets)
}

async fn rows(store: &dyn Store, resolution: Resolution) -> Vec<TallyRow> {
    sorted(
        store
            .tallies(resolution, date(2000, 1, 1), date(2100, 1, 1))
            .await
            .expect("tallies"),
    )
}

fn row(metric: Metric, bucket: Date, touchpoint_id: i64, channel: &str, scores: &[u8]) -> TallyRow {
    TallyRow {
        metric,
        bucket,
        touchpoint_id,
        channel: channel.into(),
        tally: Tally::from_scores(scores.iter().copied()),
    }
}

async fn hotline(store: &dyn Store) -> i64 {
    store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("create touchpoint")
        .id
}

async fn surveys_are_kept_with_references_checked(store: &dyn Store) {
    let tp = hotline(store).await;
    let mark = audit_mark(store).await;
    let created = store
        .create_survey("abc123", &survey(tp, Metric::Nps), "anna")
        .await
        .expect("create survey");
    assert_eq!(created.slug, "abc123");
    assert_eq!(created.fields, survey(tp, Metric::Nps));
    assert_eq!(
        store.survey_by_slug("abc123").await.expect("by slug").id,
        created.id
    );
    assert!(matches!(
        store.survey_by_slug("nope").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.create_survey("abc123", &survey(tp, Metric::Ces), "anna").await,
        Err(StoreError::Conflict(p)) if p.0[0].field == "slug"
    ));
    assert_eq!(
        invalid_fields(
            store
                .create_survey("x1", &survey(tp + 99, Metric::Nps), "anna")
                .await
        ),
        ["touchpoint_id"]
    );
    let mut on_chat = survey(tp, Metric::Csat);
    on_chat.channel = Some("telepathy".into());
    assert_eq!(
        invalid_fields(store.update_survey(created.id, &on_chat, "anna").await),
        ["channel"]
    );
    on_chat.channel = Some("chat".into());
    let updated = store
        .update_survey(created.id, &on_chat, "anna")
        .await
        .expect("update");
    assert_eq!(updated.fields.metric, Metric::Csat);
    assert_eq!(updated.fields.channel.as_deref(), Some("chat"));

    // An answer through the survey is recorded under the survey's channel; deleting the
    // survey keeps it.
    let mut through = answer(tp, Metric::Csat, 5, "2026-05-04T10:00:00Z");
    through.survey_id = Some(created.id);
    store
        .record_responses(&[through], None)
        .await
        .expect("record");
    assert_eq!(store.survey(created.id).await.expect("survey").responses, 1);
    store
        .delete_survey(created.id, "anna")
        .await
        .expect("delete");
    let kept = store
        .responses(&ResponseFilter::default(), 10)
        .await
        .expect("responses");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].fields.survey_id, None);
    assert_eq!(kept[0].fields.channel.as_deref(), Some("chat"));
    let actions: Vec<String> = audited_since(store, mark)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    // The public page's answer is data, not a staff change: not audited.
    assert_eq!(actions, ["survey.create", "survey.update", "survey.delete"]);
}

async fn answers_count_into_day_and_month_rollups_all_or_nothing(store: &dyn Store) {
    let tp = hotline(store).await;
    let mut web = answer(tp, Metric::Nps, 3, "2026-01-31T12:00:00Z");
    web.channel = Some("website".into());
    let batch = [
        answer(tp, Metric::Nps, 10, "2026-01-30T09:00:00Z"),
        answer(tp, Metric::Nps, 9, "2026-01-30T17:00:00Z"),
        // 23:30 UTC on 31 January is 00:30 on 1 February in Berlin.
        answer(tp, Metric::Nps, 0, "2026-01-31T23:30:00Z"),
        web,
        answer(tp, Metric::Ces, 6, "2026-01-30T10:00:00Z"),
    ];
    let mark = audit_mark(store).await;
    let summary = store
        .record_responses(&batch, Some("import"))
        .await
        .expect("record");
    assert_eq!(
        summary,
        ImportSummary {
            created: 5,
            updated: 0,
            unchanged: 0
        }
    );
    let entries = audited_since(store, mark).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].action.as_str(), entries[0].summary.as_str()),
        ("responses.import", "5 answers")
    );
    let days = sorted(vec![
        row(Metric::Nps, date(2026, 1, 30), tp, "phone", &[10, 9]),
        row(Metric::Nps, date(2026, 1, 31), tp, "website", &[3]),
        row(Metric::Nps, date(2026, 2, 1), tp, "phone", &[0]),
        row(Metric::Ces, date(2026, 1, 30), tp, "phone", &[6]),
    ]);
    assert_eq!(rows(store, Resolution::Day).await, days);
    // Friday 30 January to Sunday 1 February: one week, keyed by Monday 26 January, across
    // the turn of the month.
    let monday = date(2026, 1, 26);
    assert_eq!(
        rows(store, Resolution::Week).await,
        sorted(vec![
            row(Metric::Nps, monday, tp, "phone", &[10, 9, 0]),
            row(Metric::Nps, monday, tp, "website", &[3]),
            row(Metric::Ces, monday, tp, "phone", &[6]),
        ])
    );
    let months = rows(store, Resolution::Month).await;
    assert_eq!(
        months,
        sorted(vec![
            row(Metric::Nps, date(2026, 1, 1), tp, "phone", &[10, 9]),
            row(Metric::Nps, date(2026, 1, 1), tp, "website", &[3]),
            row(Metric::Nps, date(2026, 2, 1), tp, "phone", &[0]),
            row(Metric::Ces, date(2026, 1, 1), tp, "phone", &[6]),
        ])
    );
    // The window is half-open: 30 January only.
    let window = store
        .tallies(Resolution::Day, date(2026, 1, 30), date(2026, 1, 31))
        .await
        .expect("window");
    assert_eq!(window.iter().map(|r| r.tally.n()).sum::<u64>(), 3);

    // One bad row: nothing is stored, and the roll-ups stay as they were.
    let mut bad_channel = answer(tp, Metric::Nps, 7, "2026-02-02T10:00:00Z");
    bad_channel.channel = Some("pigeon".into());
    let bad = [
        answer(tp, Metric::Nps, 8, "2026-02-02T10:00:00Z"),
        bad_channel,
        answer(tp + 50, Metric::Nps, 8, "2026-02-02T10:00:00Z"),
    ];
    assert_eq!(
        invalid_fields(store.record_responses(&bad, Some("import")).await),
        ["[1].channel", "[2].touchpoint_id"]
    );
    assert_eq!(rows(store, Resolution::Month).await, months);
    assert_eq!(
        store
            .responses(&ResponseFilter::default(), 100)
            .await
            .expect("responses")
            .len(),
        5
    );
}

async fn a_retried_answer_is_stored_once(store: &dyn Store) {
    let tp = hotline(store).await;
    let mut first = answer(tp, Metric::Csat, 5, "2026-03-03T10:00:00Z");
    first.external_id = Some("typeform-1".into());
    let mut second = answer(tp, Metric::Csat, 2, "2026-03-03T11:00:00Z");
    second.external_id = Some("typeform-2".into());
    store
        .record_responses(std::slice::from_ref(&first), Some("api"))
        .await
        .expect("first delivery");
    let summary = store
        .record_responses(&[first.clone(), second.clone(), second], Some("api"))
        .await
        .expect("retry");
    assert_eq!((summary.created, summary.unchanged), (1, 2));
    let all = rows(store, Resolution::Day).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].tally, Tally::from_scores([5, 2]));
    let page = store.response_page(0, 10).await.expect("page");
    assert_eq!(page.len(), 2);
    assert_eq!(
        store
            .response_page(page[0].id, 10)
            .await
            .expect("page 2")
            .len(),
        1
    );
}

async fn a_surveys_count_of_answers_follows_what_is_stored(store: &dyn Store) {
    let tp = hotline(store).await;
    let nps = store
        .create_survey("count-nps", &survey(tp, Metric::Nps), "anna")
        .await
        .expect("nps survey");
    let ces = store
        .create_survey("count-ces", &survey(tp, Metric::Ces), "anna")
        .await
        .expect("ces survey");
    let through = |survey: i64, metric: Metric, score: u8, external: &str| ResponseFields {
        survey_id: Some(survey),
        external_id: Some(external.into()),
        ..answer(tp, metric, score, "2026-04-01T09:00:00Z")
    };
    let counts = || async {
        let mut counts: Vec<(String, u64)> = store
            .surveys()
            .await
            .expect("surveys")
            .into_iter()
            .map(|s| (s.slug, s.responses))
            .collect();
        counts.sort();
        counts
    };
    store
        .record_responses(
            &[
                through(nps.id, Metric::Nps, 9, "n1"),
                through(nps.id, Metric::Nps, 3, "n2"),
                through(ces.id, Metric::Ces, 5, "c1"),
                answer(tp, Metric::Nps, 7, "2026-04-01T10:00:00Z"),
            ],
            None,
        )
        .await
        .expect("first batch");
    // A retried answer counts once; a refused batch not at all.
    store
        .record_responses(
            &[
                through(nps.id, Metric::Nps, 9, "n1"),
                through(nps.id, Metric::Nps, 10, "n3"),
                through(ces.id, Metric::Ces, 6, "c2"),
            ],
            None,
        )
        .await
        .expect("second batch with a retry");
    let refused = store
        .record_responses(
            &[
                through(nps.id, Metric::Nps, 8, "n4"),
                ResponseFields {
                    touchpoint_id: tp + 99,
                    ..through(ces.id, Metric::Ces, 4, "c3")
                },
            ],
            None,
        )
        .await;
    assert!(refused.is_err(), "an answer at no touchpoint is refused");
    let expected = vec![("count-ces".to_owned(), 2), ("count-nps".to_owned(), 3)];
    assert_eq!(counts().await, expected);
    assert_eq!(store.survey(nps.id).await.expect("survey").responses, 3);
    store.rebuild_rollups("anna").await.expect("recount");
    assert_eq!(
        counts().await,
        expected,
        "a recount from the answers agrees"
    );
}

async fn surveys_answered_since_an_instant_are_found(store: &dyn Store) {
    let tp = hotline(store).await;
    let mut ids = Vec::new();
    for slug in ["early", "late", "quiet"] {
        ids.push(
            store
                .create_survey(slug, &survey(tp, Metric::Nps), "anna")
                .await
                .expect("survey")
                .id,
        );
    }
    let [early, late, _quiet] = ids[..] else {
        panic!("three surveys")
    };
    let through = |survey: i64, when: &str| ResponseFields {
        survey_id: Some(survey),
        ..answer(tp, Metric::Nps, 9, when)
    };
    store
        .record_responses(
            &[
                through(early, "2026-03-01T08:00:00Z"),
                through(late, "2026-03-20T08:00:00Z"),
                // After both, but through no survey.
                answer(tp, Metric::Nps, 3, "2026-03-30T08:00:00Z"),
            ],
            None,
        )
        .await
        .expect("answers");
    for (since, expected) in [
        ("2026-03-01T08:00:00Z", vec![early, late]),
        ("2026-03-01T08:00:01Z", vec![late]),
        ("2026-03-20T08:00:01Z", vec![]),
    ] {
        let answered = store
            .surveys_answered_since(at(since))
            .await
            .expect("answered since");
        assert_eq!(answered, BTreeSet::from_iter(expected), "since {since}");
    }
}

async fn rollups_follow_the_time_zone_and_a_recount_agrees(store: &dyn Store) {
    let tp = hotline(store).await;
    assert_eq!(store.time_zone().await.expect("zone"), "Europe/Berlin");
    // 22:30 UTC on 31 March is 00:30 on 1 April in Berlin (summer time, UTC+2).
    store
        .record_responses(
            &[
                answer(tp, Metric::Nps, 9, "2026-03-31T22:30:00Z"),
                answer(tp, Metric::Nps, 4, "2026-03-31T12:00:00Z"),
            ],
            None,
        )
        .await
        .expect("record");
    store
        .record_customer_events(
            &[event(
                "K1",
                CustomerEventKind::Purchase,
                "2026-03-31T22:30:00Z",
                1999,
            )],
            "import",
        )
        .await
        .expect("events");
    let berlin = rows(store, Resolution::Month).await;
    assert_eq!(
        berlin
            .iter()
            .map(|r| (r.bucket, r.tally.n()))
            .collect::<Vec<_>>(),
        [(date(2026, 3, 1), 1), (date(2026, 4, 1), 1)]
    );
    assert_eq!(
        invalid_fields(store.set_time_zone("Mars/Olympus", "admin").await),
        ["time_zone"]
    );
    store.set_time_zone("UTC", "admin").await.expect("set UTC");
    // Read at once in the new zone, though the old one was read a moment ago.
    assert_eq!(store.time_zone().await.expect("zone"), "UTC");
    let utc = rows(store, Resolution::Month).await;
    assert_eq!(
        utc.iter()
            .map(|r| (r.bucket, r.tally.n()))
            .collect::<Vec<_>>(),
        [(date(2026, 3, 1), 2)]
    );
    let days = store
        .customer_days(date(2026, 1, 1), date(2027, 1, 1))
        .await
        .expect("days");
    assert_eq!(days.len(), 1);
    assert_eq!(
        (days[0].day, days[0].revenue_cents),
        (date(2026, 3, 31), 1999)
    );

    let all_totals = |resolution| async move {
        totals(store, resolution, date(2000, 1, 1), date(2100, 1, 1)).await
    };
    let all_rollups = || async {
        let mut all = Vec::new();
        for resolution in [Resolution::Day, Resolution::Week, Resolution::Month] {
            all.push(rows(store, resolution).await);
            all.push(all_totals(resolution).await);
        }
        all
    };
    let incremental = all_rollups().await;
    assert_eq!(incremental[4], utc);
    assert_eq!(incremental[5].iter().map(|r| r.tally.n()).sum::<u64>(), 2);
    assert_eq!(
        incremental[3]
            .iter()
            .map(|r| (r.bucket, r.tally.n()))
            .collect::<Vec<_>>(),
        [(date(2026, 3, 30), 2)]
    );
    store.rebuild_rollups("admin").await.expect("rebuild");
    assert_eq!(all_rollups().await, incremental);
}

async fn customer_events_count_the_customer_base_in_any_order(store: &dyn Store) {
    use CustomerEventKind::{Activity, Churn, Purchase};
    store
        .record_customer_events(
            &[
                event("A", Activity, "2026-01-05T10:00:00Z", 0),
                event("B", Purchase, "2026-01-06T10:00:00Z", 5000),
                event("C", Activity, "2026-02-10T10:00:00Z", 0),
                event("B", Churn, "2026-02-15T10:00:00Z", 0),
            ],
            "import",
        )
        .await
        .expect("first batch");
    // Late: A churned in January after all; B bought again in March and is won back; a
    // churn of someone never seen changes nothing.
    store
        .record_customer_events(
            &[
                event("A", Churn, "2026-01-20T10:00:00Z", 0),
                event("B", Purchase, "2026-03-02T10:00:00Z", 2500),
                event("Z", Churn, "2026-03-03T10:00:00Z", 0),
            ],
            "import",
        )
        .await
        .expect("late batch");
    // Jan: +A +B −A; Feb: +C −B; Mar: +B.
    assert_eq!(
        store.customers_before(date(2026, 1, 1)).await.expect("s"),
        0
    );
    assert_eq!(
        store.customers_before(date(2026, 2, 1)).await.expect("s"),
        1
    );
    assert_eq!(
        store.customers_before(date(2026, 3, 1)).await.expect("s"),
        1
    );
    assert_eq!(
        store.customers_before(date(2026, 4, 1)).await.expect("s"),
        2
    );
    let march = store
        .customer_days(date(2026, 3, 1), date(2026, 4, 1))
        .await
        .expect("march");
    let sum = |f: fn(&touchpoints_store::CustomerDay) -> i64| march.iter().map(f).sum::<i64>();
    assert_eq!(sum(|d| d.gained), 1);
    assert_eq!(sum(|d| d.lost), 0);
    assert_eq!(sum(|d| d.revenue_cents), 2500);
    assert_eq!(sum(|d| d.purchases), 1);

    let incremental = store
        .customer_days(date(2000, 1, 1), date(2100, 1, 1))
        .await
        .expect("days");
    store.rebuild_rollups("admin").await.expect("rebuild");
    let recounted = store
        .customer_days(date(2000, 1, 1), date(2100, 1, 1))
        .await
        .expect("days");
    assert_eq!(nonzero(incremental), nonzero(recounted));
}

/// The days with a change: days whose changes cancelled out may remain as zero rows when the
/// roll-ups are kept batch by batch, and a recount writes none.
fn nonzero(days: Vec<touchpoints_store::CustomerDay>) -> Vec<touchpoints_store::CustomerDay> {
    days.into_iter()
        .filter(|d| (d.gained, d.lost, d.revenue_cents, d.purchases) != (0, 0, 0, 0))
        .collect()
}

/// Events arrive in batches of any size, in time order or late, several on one instant: the
/// roll-ups kept batch by batch equal a recount from all events.
async fn customer_events_in_any_batches_count_as_a_recount_does(store: &dyn Store) {
    use CustomerEventKind::{Activity, Churn, Purchase};
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |below: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    };
    let start = at("2026-01-01T00:00:00Z").as_second();
    let mut events: Vec<CustomerEventFields> = (0..600)
        .map(|n| {
            // Mostly in time order, one in five late by up to a month; instants on the full
            // hour, so that some fall together.
            let hour = n / 4 - if next(5) == 0 { next(720) as i64 } else { 0 };
            let kind = [Activity, Purchase, Churn][next(3) as usize];
            CustomerEventFields {
                customer_ref: format!("K{}", next(40)),
                kind,
                at: Timestamp::from_second(start + hour.max(0) * 3600).expect("instant"),
                amount_cents: if kind == Purchase { 100 } else { 0 },
                external_id: None,
            }
        })
        .collect();
    // A churn and a purchase on the same instant, the purchase stored after the churn.
    events.push(event("K0", Churn, "2026-04-01T12:00:00Z", 0));
    events.push(event("K0", Purchase, "2026-04-01T12:00:00Z", 100));
    let mut rest = events.as_slice();
    while !rest.is_empty() {
        let (batch, later) = rest.split_at((1 + next(60) as usize).min(rest.len()));
        store
            .record_customer_events(batch, "import")
            .await
            .expect("batch");
        rest = later;
    }
    let everything = || store.customer_days(date(2000, 1, 1), date(2100, 1, 1));
    let kept = nonzero(everything().await.expect("days"));
    store.rebuild_rollups("admin").await.expect("rebuild");
    let recounted = nonzero(everything().await.expect("days"));
    assert!(recounted.iter().map(|d| d.lost).sum::<i64>() > 10);
    assert_eq!(kept, recounted);
}

async fn a_touchpoint_with_answers_is_retired_not_deleted(store: &dyn Store) {
    let tp = hotline(store).await;
    store
        .record_responses(&[answer(tp, Metric::Nps, 9, "2026-03-01T10:00:00Z")], None)
        .await
        .expect("record");
    match store.delete_touchpoint(tp, "anna").await {
        Err(StoreError::Conflict(p)) => {
            assert_eq!(p.0[0].field, "responses");
            assert_eq!(
                p.0[0].problem,
                touchpoints_core::Problem::InUse { count: 1 }
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(store.touchpoint(tp).await.is_ok());
}

async fn a_customers_answers_and_events_are_exported_and_erased(store: &dyn Store) {
    let tp = hotline(store).await;
    let mut mine = answer(tp, Metric::Nps, 2, "2026-03-01T10:00:00Z");
    mine.customer_ref = Some("K-1001".into());
    mine.comment = "Niemand ruft zurück, Frau Berger ist verärgert".into();
    store
        .record_responses(
            &[mine, answer(tp, Metric::Nps, 9, "2026-03-01T11:00:00Z")],
            None,
        )
        .await
        .expect("record");
    store
        .record_customer_events(
            &[event(
                "K-1001",
                CustomerEventKind::Purchase,
                "2026-03-01T10:00:00Z",
                990,
            )],
            "import",
        )
        .await
        .expect("events");
    let subject = Subject::Customer("K-1001".into());
    let export = store.export_personal_data(&subject).await.expect("export");
    assert_eq!(export["places"]["survey_responses"][0]["score"], 2);
    assert_eq!(export["places"]["customer_events"][0]["amount_cents"], 990);
    let before = (
        rows(store, Resolution::Day).await,
        store
            .customer_days(date(2000, 1, 1), date(2100, 1, 1))
            .await
            .expect("days"),
    );
    let erasure = store
        .erase_personal_data(&subject, "dpo")
        .await
        .expect("erase");
    let count = |place: &str| {
        erasure
            .places
            .iter()
            .find(|(p, _)| p == place)
            .map(|(_, n)| *n)
    };
    assert_eq!(count("survey_responses"), Some(1));
    assert_eq!(count("customer_events"), Some(1));
    let after = store.export_personal_data(&subject).await.expect("export");
    assert!(after["places"].get("survey_responses").is_none());
    let kept = store
        .responses(&ResponseFilter::default(), 10)
        .await
        .expect("responses");
    assert!(kept.iter().all(|r| r.fields.customer_ref.is_none()));
    assert!(kept.iter().all(|r| r.fields.comment.is_empty()));
    // The KPIs of the past do not change, and a recount still sees one customer.
    store.rebuild_rollups("admin").await.expect("rebuild");
    let after_counts = (
        rows(store, Resolution::Day).await,
        store
            .customer_days(date(2000, 1, 1), date(2100, 1, 1))
            .await
            .expect("days"),
    );
    assert_eq!(after_counts, before);
}

async fn the_database_merges_tallies_as_rust_would(store: &dyn Store) {
    let hotline = hotline(store).await;
    let shop = store
        .create_touchpoint(&fields("Shop", "online-shop", "during-purchase"), "t")
        .await
        .expect("create touchpoint")
        .id;
    let mut on_chat = answer(hotline, Metric::Nps, 2, "2026-01-06T10:00:00Z");
    on_chat.channel = Some("chat".into());
    store
        .record_responses(
            &[
                answer(hotline, Metric::Nps, 10, "2026-01-05T10:00:00Z"),
                answer(hotline, Metric::Nps, 9, "2026-01-06T10:00:00Z"),
                on_chat,
                answer(shop, Metric::Nps, 0, "2026-01-06T11:00:00Z"),
                answer(shop, Metric::Csat, 5, "2026-01-06T11:00:00Z"),
                answer(shop, Metric::Nps, 7, "2026-02-01T11:00:00Z"),
            ],
            None,
        )
        .await
        .expect("record");
    let (from, until) = (date(2026, 1, 1), date(2026, 2, 1));
    let by_bucket = totals(store, Resolution::Day, from, until).await;
    assert_eq!(
        by_bucket,
        sorted(vec![
            row(Metric::Nps, date(2026, 1, 5), 0, "", &[10]),
            row(Metric::Nps, date(2026, 1, 6), 0, "", &[9, 2, 0]),
            row(Metric::Csat, date(2026, 1, 6), 0, "", &[5]),
        ])
    );
    let by_place = sorted(
        store
            .tallies_by_place(Resolution::Day, Metric::Nps, from, until)
            .await
            .expect("by place"),
    );
    assert_eq!(
        by_place,
        sorted(vec![
            row(Metric::Nps, from, hotline, "phone", &[10, 9]),
            row(Metric::Nps, from, hotline, "chat", &[2]),
            row(Metric::Nps, from, shop, "online-shop", &[0]),
        ])
    );
    let months = store
        .tallies_by_place(Resolution::Month, Metric::Nps, from, date(2026, 3, 1))
        .await
        .expect("months");
    assert_eq!(months.iter().map(|r| r.tally.n()).sum::<u64>(), 5);

    // A report's reads in one statement: the window before holds the 5th, the report's own
    // the 6th to the 1st of February.
    let window = ReportWindow {
        previous_from: date(2026, 1, 1),
        from: date(2026, 1, 6),
        until: date(2026, 2, 2),
    };
    let report = store
        .report_tallies(Resolution::Day, Metric::Nps, window, true)
        .await
        .expect("report");
    assert_eq!(
        sorted(report.current),
        sorted(vec![
            row(Metric::Nps, window.from, hotline, "phone", &[9]),
            row(Metric::Nps, window.from, hotline, "chat", &[2]),
            row(Metric::Nps, window.from, shop, "online-shop", &[0, 7]),
        ])
    );
    assert_eq!(
        report.previous,
        [row(
            Metric::Nps,
            window.previous_from,
            hotline,
            "phone",
            &[10]
        )]
    );
    assert_eq!(
        sorted(report.buckets),
        sorted(vec![
            row(Metric::Nps, date(2026, 1, 5), 0, "", &[10]),
            row(Metric::Nps, date(2026, 1, 6), 0, "", &[9, 2, 0]),
            row(Metric::Csat, date(2026, 1, 6), 0, "", &[5]),
            row(Metric::Nps, date(2026, 2, 1), 0, "", &[7]),
        ])
    );
    assert_eq!(
        report.names,
        [(hotline, "Hotline".to_owned()), (shop, "Shop".to_owned())].into()
    );
    // Months are keyed by their first day, so a window of months starts on one.
    let january = ReportWindow {
        previous_from: date(2025, 12, 1),
        from: date(2026, 1, 1),
        until: date(2026, 2, 1),
    };
    let unnamed = store
        .report_tallies(Resolution::Month, Metric::Csat, january, false)
        .await
        .expect("report by month");
    assert!(unnamed.names.is_empty());
    assert!(unnamed.previous.is_empty());
    assert_eq!(
        unnamed.current,
        [row(Metric::Csat, january.from, shop, "online-shop", &[5])]
    );
}

/// Answers and events sent one per call at once share commits (group commit), yet each
/// caller hears its own answer, and the roll-ups count every stored one exactly once.
async fn concurrent_answers_and_events_are_answered_one_by_one(store: &dyn Store) {
    let tp = hotline(store).await;
    let answers: Vec<ResponseFields> = (0..30u8)
        .map(|i| {
            let mut a = answer(tp, Metric::Nps, i % 11, "2026-05-04T10:00:00Z");
            if i == 5 {
                a.touchpoint_id = 999_999;
            }
            a
        })
        .collect();
    let results = futures::future::join_all(
        answers
            .iter()
            .map(|a| store.record_responses(std::slice::from_ref(a), Some("hook"))),
    )
    .await;
    for (i, result) in results.iter().enumerate() {
        match (i, result) {
            (5, Err(StoreError::Invalid(p))) => assert_eq!(p.0[0].field, "[0].touchpoint_id"),
            (5, other) => panic!("expected the unknown touchpoint refused, got {other:?}"),
            (_, Ok(summary)) => assert_eq!(summary.created, 1),
            (_, Err(e)) => panic!("answer {i} refused: {e}"),
        }
    }
    let stored: Vec<u8> = (0..30u8).filter(|&i| i != 5).map(|i| i % 11).collect();
    assert_eq!(
        rows(store, Resolution::Day).await,
        vec![row(Metric::Nps, date(2026, 5, 4), tp, "phone", &stored)]
    );

    let events: Vec<CustomerEventFields> = (0..20)
        .map(|i| {
            let mut e = event(
                &format!("K{i}"),
                CustomerEventKind::Purchase,
                "2026-05-04T11:00:00Z",
                100 + i,
            );
            // Two deliveries of one event: stored once.
            e.external_id = Some(format!("order-{}", i.min(18)));
            e
        })
        .collect();
    let results = futures::future::join_all(
        events
            .iter()
            .map(|e| store.record_customer_events(std::slice::from_ref(e), "hook")),
    )
    .await;
    let created: usize = results
        .iter()
        .map(|r| r.as_ref().expect("stored").created)
        .sum();
    assert_eq!(created, 19, "the repeated delivery is stored once");
    let day = store
        .customer_days(date(2026, 5, 4), date(2026, 5, 5))
        .await
        .expect("days");
    // 100 … 117 cents, and 118 or 119 for whichever delivery of order-18 came first.
    let revenue: i64 = (0..18).map(|i| 100 + i).sum();
    assert_eq!(day.len(), 1);
    assert_eq!(day[0].purchases, 19);
    assert!(
        [revenue + 118, revenue + 119].contains(&day[0].revenue_cents),
        "revenue {} counts one of the two deliveries",
        day[0].revenue_cents
    );
}

async fn a_surveys_answers_are_listed_by_score_band_comment_and_text(store: &dyn Store) {
    let tp = hotline(store).await;
    let nps = store
        .create_survey("nps00001", &survey(tp, Metric::Nps), "t")
        .await
        .expect("survey")
        .id;
    let other = store
        .create_survey("nps00002", &survey(tp, Metric::Nps), "t")
        .await
        .expect("survey")
        .id;
    let said = |survey_id: i64, score: u8, comment: &str, day: &str| ResponseFields {
        survey_id: Some(survey_id),
        comment: comment.into(),
        ..answer(tp, Metric::Nps, score, &format!("{day}T10:00:00Z"))
    };
    store
        .record_responses(
            &[
                said(nps, 2, "Niemand rief ZURÜCK, 100% enttäuscht", "2026-01-05"),
                said(nps, 5, "", "2026-01-06"),
                said(nps, 8, "Ganz ok", "2026-01-07"),
                said(nps, 10, "Schnelle Hilfe, danke", "2026-01-08"),
                said(other, 1, "Schnelle Hilfe? Nein", "2026-01-09"),
            ],
            Some("t"),
        )
        .await
        .expect("answers");
    let comments = |filter: ResponseFilter| async move {
        store
            .responses(&filter, 100)
            .await
            .expect("answers")
            .into_iter()
            .map(|r| r.fields.comment)
            .collect::<Vec<_>>()
    };
    let of_survey = ResponseFilter {
        survey_id: Some(nps),
        ..ResponseFilter::default()
    };
    assert_eq!(
        comments(of_survey.clone()).await.len(),
        4,
        "only this survey's"
    );
    // Detractors with a comment, newest first.
    assert_eq!(
        comments(ResponseFilter {
            max_score: Some(6),
            with_comment: true,
            ..of_survey.clone()
        })
        .await,
        ["Niemand rief ZURÜCK, 100% enttäuscht"]
    );
    assert_eq!(
        comments(ResponseFilter {
            min_score: Some(7),
            max_score: Some(8),
            ..of_survey.clone()
        })
        .await,
        ["Ganz ok"]
    );
    // Text regardless of case; LIKE's wildcards are matched as written.
    assert_eq!(
        comments(ResponseFilter {
            search: Some("schnelle".into()),
            ..of_survey.clone()
        })
        .await,
        ["Schnelle Hilfe, danke"]
    );
    assert_eq!(
        comments(ResponseFilter {
            search: Some("rief zur".into()),
            ..of_survey.clone()
        })
        .await,
        ["Niemand rief ZURÜCK, 100% enttäuscht"]
    );
    // A word with an umlaut, as written, with the letters around it in another case.
    assert_eq!(
        comments(ResponseFilter {
            search: Some("zurÜck".into()),
            ..of_survey.clone()
        })
        .await,
        ["Niemand rief ZURÜCK, 100% enttäuscht"]
    );
    assert_eq!(
        comments(ResponseFilter {
            search: Some("100%".into()),
            ..of_survey.clone()
        })
        .await
        .len(),
        1
    );
    assert!(
        comments(ResponseFilter {
            search: Some("0_".into()),
            ..of_survey.clone()
        })
        .await
        .is_empty(),
        "an underscore is no wildcard"
    );
    // The distribution of the survey's scores, and of a period of it.
    assert_eq!(
        store.score_counts(&of_survey).await.expect("counts"),
        [(2, 1), (5, 1), (8, 1), (10, 1)]
    );
    let from: Timestamp = "2026-01-06T00:00:00Z".parse().expect("an instant");
    let until: Timestamp = "2026-01-08T00:00:00Z".parse().expect("an instant");
    assert_eq!(
        store
            .score_counts(&ResponseFilter {
                from: Some(from),
                until: Some(until),
                ..of_survey
            })
            .await
            .expect("counts"),
        [(5, 1), (8, 1)]
    );
}
