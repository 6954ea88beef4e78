//! Surveys, answers and customer events in the JSON API over real HTTP, and the KPIs
//! computed from them: NPS, CSAT and CES, the customer base, and the importance–performance
//! matrix.

use crate::common;

use common::{Server, errors, fields, input, only_problem, send, two_quarters_of_customer_events};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use touchpoints_core::Role;

/// Creates a touchpoint and an NPS survey at it; returns (touchpoint id, survey).
async fn survey_at(server: &Server, name: &str, metric: &str) -> (i64, Value) {
    let touchpoint = server.create(&input(name)).await["id"]
        .as_i64()
        .expect("touchpoint id");
    let (status, survey) = send(
        server
            .post("/api/v1/surveys")
            .json(&json!({"touchpoint_id": touchpoint, "metric": metric})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{survey}");
    (touchpoint, survey)
}

#[tokio::test]
async fn integrations_get_signed_personal_links() {
    let server = Server::start().await;
    let (_, survey) = survey_at(&server, "Hotline", "nps").await;
    let id = survey["id"].as_i64().expect("id");
    let slug = survey["slug"].as_str().expect("slug");
    let (status, body) = send(
        server
            .post(&format!("/api/v1/surveys/{id}/links"))
            .json(&json!({"customer_ref": "KD-10042", "channel": "email"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let path = body["path"].as_str().expect("a path");
    assert!(path.starts_with(&format!("/s/{slug}?")), "{path}");
    assert!(path.contains("KD-10042") && path.contains("sig="), "{path}");
    // The same input signs the same way; another reference signs otherwise.
    let (_, again) = send(
        server
            .post(&format!("/api/v1/surveys/{id}/links"))
            .json(&json!({"customer_ref": "KD-10042", "channel": "email"})),
    )
    .await;
    assert_eq!(again["path"], body["path"]);

    let (status, body) = send(
        server
            .post(&format!("/api/v1/surveys/{id}/links"))
            .json(&json!({"customer_ref": "KD-1", "channel": "fax"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["channel"]);
    let (status, _) = send(
        server
            .post("/api/v1/surveys/4711/links")
            .json(&json!({"customer_ref": "KD-1"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn surveys_take_the_standard_wording_and_name_bad_fields() {
    let server = Server::start().await;
    let (touchpoint, survey) = survey_at(&server, "Hotline", "nps").await;
    assert_eq!(survey["touchpoint_id"], touchpoint);
    assert_eq!(
        survey["question_de"],
        "Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?"
    );
    let slug = survey["slug"].as_str().expect("slug");
    assert_eq!(slug.len(), 8);
    assert_eq!(survey["path"], format!("/s/{slug}"));
    let (status, body) = send(
        server
            .post("/api/v1/surveys")
            .json(&json!({"touchpoint_id": touchpoint, "metric": "stars"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    only_problem(&body, "metric", "unknown");
    let (status, body) = send(
        server
            .post("/api/v1/surveys")
            .json(&json!({"touchpoint_id": 9999, "metric": "csat"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    only_problem(&body, "touchpoint_id", "invalid");
    let id = survey["id"].as_i64().expect("id");
    let (status, updated) = send(
        server
            .put(&format!("/api/v1/surveys/{id}"))
            .json(&json!({"touchpoint_id": touchpoint, "metric": "ces", "active": false})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (updated["metric"].as_str(), updated["active"].as_bool()),
        (Some("ces"), Some(false))
    );
    let (status, _) = send(server.delete(&format!("/api/v1/surveys/{id}"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(server.get(&format!("/api/v1/surveys/{id}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The breakdown row of a touchpoint in a report.
fn row_of(report: &Value, touchpoint: i64) -> &Value {
    let key = touchpoint.to_string();
    report["breakdown"]
        .as_array()
        .expect("breakdown")
        .iter()
        .find(|r| r["key"].as_str() == Some(key.as_str()))
        .unwrap_or_else(|| panic!("no row for {touchpoint} in {report}"))
}

#[tokio::test]
async fn the_matrix_places_touchpoints_by_importance_and_performance() {
    let server = Server::start().await;
    // Importance is the mean of experience, loyalty and referral: 5, 3 and 1.
    let mut ids = Vec::new();
    for (name, level) in [("Kasse", 5), ("Hotline", 3), ("Newsletter", 1)] {
        let mut body = input(name);
        body["importance"] = json!({"experience": level, "loyalty": level, "referral": level});
        ids.push(server.create(&body).await["id"].as_i64().expect("id"));
    }
    // NPS by hand: Kasse 10, 10, 0 → (2 − 1) / 3 = 33.3; Hotline 9, 9 → 100;
    // Newsletter 0, 6 → −100. No answers at all for a fourth touchpoint: not placed.
    server.create(&input("Filiale")).await;
    let mut answers = Vec::new();
    for (id, scores) in ids.iter().zip([&[10, 10, 0][..], &[9, 9], &[0, 6]]) {
        for score in scores {
            answers.push(json!({"touchpoint_id": id, "metric": "nps", "score": score,
                "answered_at": "2026-02-10T10:00:00+01:00"}));
        }
    }
    let (status, body) = send(
        server
            .post("/api/v1/responses")
            .json(&json!({ "responses": answers })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let matrix = server
        .get_json("/api/v1/kpis/matrix?metric=nps&from=2026-02-01&until=2026-03-01&by=channel")
        .await;
    let close = |a: &Value, b: f64| (a.as_f64().expect("a number") - b).abs() < 1e-9;
    // Means: importance (5 + 3 + 1) / 3 = 3; performance (33.3 + 100 − 100) / 3 = 11.1.
    assert!(close(&matrix["mean_importance"], 3.0), "{matrix}");
    assert!(close(&matrix["mean_performance"], 100.0 / 9.0), "{matrix}");
    let points = matrix["points"].as_array().expect("points");
    assert_eq!(points.len(), 3, "{matrix}");
    let placed: Vec<(i64, &str)> = points
        .iter()
        .map(|p| {
            (
                p["touchpoint_id"].as_i64().expect("id"),
                p["quadrant"].as_str().expect("q"),
            )
        })
        .collect();
    assert!(placed.contains(&(ids[0], "keep-up")), "{matrix}");
    // Importance 3 is on the line, so at or above it; 100 is above the mean.
    assert!(placed.contains(&(ids[1], "keep-up")), "{matrix}");
    assert!(placed.contains(&(ids[2], "low-priority")), "{matrix}");
    let kasse = points
        .iter()
        .find(|p| p["touchpoint_id"] == ids[0])
        .expect("Kasse");
    assert!(close(&kasse["performance"], 100.0 / 3.0), "{kasse}");
    assert_eq!(kasse["n"], 3);

    let (status, body) = send(server.get("/api/v1/kpis/matrix?metric=stars")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "metric");
}

#[tokio::test]
async fn answers_give_kpis_by_their_standard_definitions() {
    let server = Server::start().await;
    let (touchpoint, _) = survey_at(&server, "Hotline", "nps").await;
    let answer = |metric: &str, score: i64, day: u32| {
        json!({"touchpoint_id": touchpoint, "metric": metric, "score": score,
               "answered_at": format!("2026-02-{day:02}T10:00:00+01:00")})
    };
    let nps: Vec<Value> = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0]
        .iter()
        .enumerate()
        .map(|(i, &s)| answer("nps", s, 1 + u32::try_from(i).expect("day")))
        .collect();
    let (status, body) = send(
        server
            .post("/api/v1/responses")
            .json(&json!({"responses": nps})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body, json!({"created": 10, "unchanged": 0}));
    for (metric, score) in [
        ("csat", 5),
        ("csat", 4),
        ("csat", 3),
        ("csat", 2),
        ("csat", 5),
        ("ces", 7),
        ("ces", 6),
        ("ces", 5),
    ] {
        let (status, body) = send(
            server
                .post("/api/v1/responses")
                .json(&answer(metric, score, 20)),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let report = server
        .get_json("/api/v1/kpis?metric=nps&from=2026-01-01&until=2026-03-01&granularity=month&by=touchpoint")
        .await;
    // 5 promoters (10, 10, 9, 9, 9), 3 detractors (6, 3, 0) of 10: 100 * (5 - 3) / 10 = 20.
    let row = row_of(&report, touchpoint);
    assert_eq!(
        row["label"], "Hotline",
        "a row by touchpoint is named by it"
    );
    assert_eq!(row["current"]["n"], 10);
    assert_eq!(row["current"]["estimate"]["value"], 20.0);
    assert_eq!(row["current"]["estimate"]["few"], true);
    // SE = 100 * sqrt((0.5 + 0.3 - 0.2^2) / 10) = 100 * sqrt(0.076) = 27.568…
    let se = row["current"]["estimate"]["standard_error"]
        .as_f64()
        .expect("se");
    assert!((se - 27.568_097_504_180_44).abs() < 1e-9, "{se}");
    assert_eq!(
        row["current"]["counts"],
        json!([1, 0, 0, 1, 0, 0, 1, 1, 1, 3, 2])
    );
    let trend: Vec<(&str, u64)> = report["trend"]
        .as_array()
        .expect("trend")
        .iter()
        .map(|p| {
            (
                p["label"].as_str().expect("label"),
                p["n"].as_u64().expect("n"),
            )
        })
        .collect();
    assert_eq!(
        trend,
        [("2026-01", 0), ("2026-02", 10)],
        "{}",
        report["trend"]
    );
    let tile = |metric: &str| {
        report["tiles"]
            .as_array()
            .expect("tiles")
            .iter()
            .find(|t| t["metric"] == metric)
            .expect("tile")["current"]["estimate"]["value"]
            .as_f64()
            .expect("value")
    };
    // CSAT: 5, 4, 5 of 5 answers are 4 or 5: 60 %. CES: (7 + 6 + 5) / 3 = 6.
    assert_eq!((tile("nps"), tile("csat"), tile("ces")), (20.0, 60.0, 6.0));
}

#[tokio::test]
async fn a_bad_batch_of_answers_names_each_item_and_stores_nothing() {
    let server = Server::start().await;
    let (touchpoint, _) = survey_at(&server, "Hotline", "nps").await;
    let good = json!({"touchpoint_id": touchpoint, "metric": "nps", "score": 9});
    let batch = json!({"responses": [
        good,
        {"touchpoint_id": touchpoint, "metric": "nps", "score": 11},
        {"touchpoint_id": touchpoint, "metric": "stars", "score": 3},
        {"touchpoint_id": touchpoint, "metric": "nps", "score": "nine"},
        {"touchpoint_id": touchpoint + 100, "metric": "nps", "score": 9},
    ]});
    let (status, body) = send(server.post("/api/v1/responses").json(&batch)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        fields(&body),
        [
            "responses[1].score",
            "responses[2].metric",
            "responses[3].score"
        ]
    );
    // The unknown touchpoint is found by the store once the rest is well-formed.
    let batch = json!({"responses": [good, {"touchpoint_id": touchpoint + 100, "metric": "nps", "score": 9}]});
    let (status, body) = send(server.post("/api/v1/responses").json(&batch)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["responses[1].touchpoint_id"]);
    let (status, body) = send(
        server
            .post("/api/v1/responses")
            .json(&json!({"touchpoint_id": touchpoint, "metric": "csat", "score": 0})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = only_problem(&body, "score", "out_of_range");
    assert_eq!(
        (problem["min"].as_i64(), problem["max"].as_i64()),
        (Some(1), Some(5))
    );
    let (status, _) = send(
        server
            .post("/api/v1/responses")
            .header(CONTENT_TYPE, "application/json")
            .body("{\"responses\": ["),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let stored = server.get_json("/api/v1/responses").await;
    assert_eq!(stored, json!([]));
}

#[tokio::test]
async fn a_retried_delivery_is_not_counted_twice() {
    let server = Server::start().await;
    let (touchpoint, _) = survey_at(&server, "Hotline", "nps").await;
    let answer = json!({"touchpoint_id": touchpoint, "metric": "nps", "score": 10,
                        "external_id": "typeform:abc", "answered_at": "2026-03-02T10:00:00Z"});
    let (_, first) = send(server.post("/api/v1/responses").json(&answer)).await;
    let (status, again) = send(server.post("/api/v1/responses").json(&answer)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        (
            first["created"].as_u64(),
            again["created"].as_u64(),
            again["unchanged"].as_u64()
        ),
        (Some(1), Some(0), Some(1))
    );
    let report = server
        .get_json("/api/v1/kpis?from=2026-03-01&until=2026-04-01")
        .await;
    assert_eq!(report["total"]["current"]["n"], 1);
}

#[tokio::test]
async fn customer_events_give_retention_and_revenue_per_period() {
    let server = Server::start().await;
    let events = two_quarters_of_customer_events();
    let (status, body) = send(server.post("/api/v1/customer-events").json(&events)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let report = server
        .get_json("/api/v1/kpis/customers?from=2026-01-01&until=2026-07-01&granularity=quarter")
        .await;
    let periods = report["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 2);
    let q2 = &periods[1];
    // S = 3, N = 1 (D), lost 1 (B): E = 3; retention (E − N) / S = 2 / 3.
    assert_eq!(
        (
            q2["customers_at_start"].as_i64(),
            q2["gained"].as_i64(),
            q2["lost"].as_i64(),
            q2["customers_at_end"].as_i64()
        ),
        (Some(3), Some(1), Some(1), Some(3))
    );
    let rate = q2["retention"]["rate"].as_f64().expect("rate");
    assert!((rate - 200.0 / 3.0).abs() < 1e-9, "{rate}");
    // Revenue 300 € after 150 €: +100 %.
    assert_eq!(q2["revenue_cents"], 30_000);
    assert_eq!(q2["revenue_growth"], 100.0);
    assert!(
        periods[0]["retention"]["rate"].is_null(),
        "no customers at the start of Q1"
    );

    let (status, body) = send(
        server
            .post("/api/v1/customer-events")
            .json(&json!({"customer_ref": "X", "kind": "purchase"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    only_problem(&body, "amount_cents", "required");
}

#[tokio::test]
async fn amounts_beyond_the_bound_are_refused_and_revenue_stays_a_number() {
    let server = Server::start().await;
    let purchase = |cents: i64| {
        json!({"customer_ref": "K-1", "kind": "purchase", "at": "2026-02-10T10:00:00Z",
               "amount_cents": cents})
    };
    // Twice i64::MAX overflowed the day's revenue: the report answered 500.
    let events = json!({"events": [purchase(i64::MAX), purchase(i64::MAX)]});
    let (status, body) = send(server.post("/api/v1/customer-events").json(&events)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let errors = errors(&body);
    assert_eq!(errors.len(), 2, "{body}");
    for (i, problem) in errors.iter().enumerate() {
        assert_eq!(
            problem["field"],
            format!("events[{i}].amount_cents"),
            "{body}"
        );
        assert_eq!(problem["code"], "out_of_range", "{body}");
        assert_eq!(problem["max"], 1_000_000_000_000_i64, "{body}");
    }
    // At the bound, the sum is exact.
    let events = json!({"events": [purchase(1_000_000_000_000), purchase(1_000_000_000_000)]});
    let (status, body) = send(server.post("/api/v1/customer-events").json(&events)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let report = server
        .get_json("/api/v1/kpis/customers?from=2026-01-01&until=2026-04-01&granularity=quarter")
        .await;
    assert_eq!(report["periods"][0]["revenue_cents"], 2_000_000_000_000_i64);
}

#[tokio::test]
async fn a_bad_kpi_query_names_each_parameter() {
    let server = Server::start().await;
    let (status, body) =
        send(server.get("/api/v1/kpis?metric=stars&granularity=hour&from=2026-13-01")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&body), ["metric", "granularity", "from"]);
}

/// A request at `touchpoint`, assigned to `agent` unless `None`; returns its id.
async fn request_for(server: &Server, touchpoint: i64, agent: Option<&str>) -> i64 {
    let (status, created) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "email",
        "touchpoint_id": touchpoint,
        "customer": {"name": "Anna Schulz", "email": "anna.schulz@example.de"},
        "subject": "Lieferung",
        "body": "Wo bleibt meine Bestellung?",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().expect("request id");
    if let Some(agent) = agent {
        let (status, body) = send(
            server
                .post(&format!("/api/v1/requests/{id}/actions"))
                .json(&json!({"action": "assign", "to": agent})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    id
}

#[tokio::test]
async fn managers_read_nps_and_csat_per_agent_and_team() {
    let server = Server::start().await;
    server.create_user("berta", Role::Agent, None).await;
    let mut hotline = input("Hotline");
    hotline["owner"] = json!("Kundenservice");
    let hotline = server.create(&hotline).await["id"]
        .as_i64()
        .expect("touchpoint id");
    let bertas = request_for(&server, hotline, Some("berta")).await;
    let nobodys = request_for(&server, hotline, None).await;
    let answer = |request: i64, metric: &str, score: i64, when: &str| {
        json!({"touchpoint_id": hotline, "metric": metric, "score": score,
               "answered_at": when, "request_id": request})
    };
    let mut answers = Vec::new();
    // Berta: 3 promoters (10, 9, 9), 1 passive (8), 1 detractor (3); CSAT 5, 4, 2.
    for score in [10, 9, 9, 8, 3] {
        answers.push(answer(bertas, "nps", score, "2026-03-10T10:00:00+01:00"));
    }
    for score in [5, 4, 2] {
        answers.push(answer(bertas, "csat", score, "2026-03-10T10:00:00+01:00"));
    }
    // Nobody's request: one promoter.
    answers.push(answer(nobodys, "nps", 10, "2026-03-11T10:00:00+01:00"));
    // Half past midnight on 1 April in Berlin is 31 March in UTC: after the window, as on the
    // dashboard, which counts the organisation's days.
    answers.push(answer(bertas, "nps", 0, "2026-04-01T00:30:00+02:00"));
    let (status, body) = send(
        server
            .post("/api/v1/responses")
            .json(&json!({"responses": answers})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let close = |a: &Value, b: f64| (a.as_f64().expect("a number") - b).abs() < 1e-9;
    let scores = server
        .get_json("/api/v1/kpis/agents?from=2026-03-01&until=2026-04-01")
        .await;
    assert_eq!(scores["from"], "2026-03-01");
    assert_eq!(scores["until"], "2026-04-01");
    assert_eq!(scores["min_answers"], 30);
    let agents = scores["agents"].as_array().expect("agents");
    assert_eq!(agents.len(), 2, "{scores}");
    let berta = &agents[0];
    assert_eq!(berta["key"], "berta");
    assert_eq!(berta["label"], "berta");
    assert_eq!(berta["answers"], 8);
    // NPS = 60 % promoters − 20 % detractors = 40, from 5 answers: too few to judge by.
    assert_eq!(berta["nps"]["n"], 5);
    assert_eq!(berta["nps"]["estimate"]["value"], 40.0);
    assert_eq!(berta["nps"]["estimate"]["few"], true);
    let (low, high) = (
        berta["nps"]["estimate"]["low"].as_f64().expect("low"),
        berta["nps"]["estimate"]["high"].as_f64().expect("high"),
    );
    assert!(low < 40.0 && 40.0 < high, "{berta}");
    // CSAT = 2 satisfied (5, 4) of 3 = 66.7 %.
    assert_eq!(berta["csat"]["n"], 3);
    assert!(
        close(&berta["csat"]["estimate"]["value"], 200.0 / 3.0),
        "{berta}"
    );
    // Nobody's request comes last, without a name: NPS 100 from one answer.
    assert_eq!(agents[1]["key"], Value::Null);
    assert_eq!(agents[1]["nps"]["estimate"]["value"], 100.0);
    assert_eq!(agents[1]["csat"]["estimate"], Value::Null);
    // The team is the touchpoint's owner: 4 promoters, 1 passive, 1 detractor of 6:
    // NPS = 66.7 − 16.7 = 50.
    let teams = scores["teams"].as_array().expect("teams");
    assert_eq!(teams.len(), 1, "{scores}");
    assert_eq!(teams[0]["key"], "Kundenservice");
    assert_eq!(teams[0]["answers"], 9);
    assert!(
        close(&teams[0]["nps"]["estimate"]["value"], 50.0),
        "{scores}"
    );

    // Colleagues' scores are the managers': a read token (a viewer) is refused.
    let (status, _) = send(server.read_client().get("/api/v1/kpis/agents")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A window that ends before it starts, and a day that is none, name their field.
    let (status, body) =
        send(server.get("/api/v1/kpis/agents?from=2026-04-01&until=2026-03-01")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["until"]);
    let (status, body) = send(server.get("/api/v1/kpis/agents?from=1.3.2026")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["from"]);

    // The dashboard shows the tables to managers, in German, and not to viewers.
    let window = "/dashboard?from=2026-03-01&until=2026-04-01&lang=de";
    let manager = server.as_role(Role::Manager).await;
    let html = manager
        .get(window)
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("page");
    assert!(
        html.contains("NPS und CSAT nach Mitarbeitenden und Teams"),
        "{html}"
    );
    assert!(
        html.contains(r#"<tr data-key="berta"><th scope="row">berta</th><td class="num">8</td>"#),
        "{html}"
    );
    assert!(html.contains("niemand (Team)"), "{html}");
    assert!(html.contains(r#"<tr data-key="Kundenservice">"#), "{html}");
    let viewer = server.as_role(Role::Viewer).await;
    let html = viewer
        .get(window)
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("page");
    assert!(html.contains("<h1>"), "{html}");
    assert!(!html.contains("agent-scores"), "{html}");
}
