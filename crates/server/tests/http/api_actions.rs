//! The action plan in the JSON API over real HTTP: actions created, read, replaced and
//! deleted; invalid input named field by field and writing nothing; who may write; the
//! history of every change of status; and the plan ranked with the quick win on top, its
//! reasons, and the warning before a touchpoint still in use is retired.

use crate::common;

use common::{Server, fields, only_problem, send};
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};
use touchpoints_core::Role;

/// Creates a touchpoint of this importance (each of the three) and returns its id.
async fn touchpoint(server: &Server, name: &str, importance: i64) -> i64 {
    server
        .create(&json!({
            "name": name, "channel": "phone", "phase": "after-purchase",
            "importance": {"experience": importance, "loyalty": importance, "referral": importance},
        }))
        .await["id"]
        .as_i64()
        .expect("an id")
}

/// Creates an action through the API, asserting 201.
async fn create(server: &Server, action: &Value) -> Value {
    let (status, body) = send(server.post("/api/v1/actions").json(action)).await;
    assert_eq!(status, StatusCode::CREATED, "{action} answered {body}");
    body
}

fn id(value: &Value) -> i64 {
    value["id"].as_i64().expect("an id")
}

#[tokio::test]
async fn an_action_is_created_read_replaced_and_deleted() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 5).await;
    let chat = touchpoint(&server, "Chat", 3).await;
    server.create_user("carla", Role::Manager, None).await;
    let input = json!({
        "kind": "optimise",
        "title": "  Rückrufe binnen 4 Stunden ",
        "goal": "Niemand wartet länger als einen Tag",
        "target": {"metric": "response_p90_hours", "value": 4, "within_days": 60},
        "owner": "Carla",
        "team": "Kundenservice",
        "person_days": 7.5,
        "start": "2027-01-04",
        "due": "2027-02-26",
        "touchpoint_ids": [hotline, chat, hotline],
        "budgets": {"2027-Q1": {"planned_cents": 1200000, "spent_cents": 30050}},
    });
    let response = server
        .post("/api/v1/actions")
        .json(&input)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()[LOCATION]
        .to_str()
        .expect("text")
        .to_owned();
    let created: Value = response.json().await.expect("JSON");
    let action = id(&created);
    assert_eq!(location, format!("/api/v1/actions/{action}"));
    assert_eq!(created["title"], "Rückrufe binnen 4 Stunden");
    assert_eq!(created["owner"], "carla", "user names are lower case");
    assert_eq!(created["status"], "planned", "the default status");
    assert_eq!(
        created["touchpoint_ids"],
        json!([hotline.min(chat), hotline.max(chat)])
    );
    assert_eq!(
        created["budgets"],
        json!({"2027-Q1": {"planned_cents": 1200000, "spent_cents": 30050}})
    );
    assert_eq!(created["target"]["metric"], "response_p90_hours");
    assert_eq!(created["start"], "2027-01-04");
    assert_eq!(
        server.get_json(&format!("/api/v1/actions/{action}")).await,
        created
    );
    assert_eq!(server.get_json("/api/v1/actions").await, json!([created]));
    let audit = server.audit(&[("action", "action.create")]).await;
    assert_eq!(audit[0]["entity_id"], action.to_string(), "{audit:?}");

    // What was read is written back as it is, with changes.
    let mut replaced = created.clone();
    for generated in ["id", "status", "created_at", "updated_at"] {
        replaced.as_object_mut().expect("object").remove(generated);
    }
    replaced["title"] = json!("Rückrufe binnen 2 Stunden");
    replaced["budgets"] = json!({});
    let (status, updated) = send(
        server
            .put(&format!("/api/v1/actions/{action}"))
            .json(&replaced),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["title"], "Rückrufe binnen 2 Stunden");
    assert_eq!(updated["budgets"], json!({}));
    assert_eq!(updated["created_at"], created["created_at"]);

    let (status, _) = send(server.delete(&format!("/api/v1/actions/{action}"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for path in [
        format!("/api/v1/actions/{action}"),
        format!("/api/v1/actions/{action}/history"),
    ] {
        let (status, body) = send(server.get(&path)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    let (status, _) = send(server.delete(&format!("/api/v1/actions/{action}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn invalid_input_is_named_field_by_field_and_nothing_is_stored() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 4).await;
    server.create_user("vera", Role::Viewer, None).await;
    let before = server.audit(&[]).await.len();

    let (status, body) = send(server.post("/api/v1/actions").json(&json!({
        "kind": "retire",
        "title": " ",
        "target": {"metric": "nps", "value": 150, "within_days": 0},
        "person_days": -1,
        "start": "2027-03-01",
        "due": "2027-02-01",
        "budgets": {"2027-Q5": {"planned_cents": -5}},
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        fields(&body),
        [
            "title",
            "target.value",
            "target.within_days",
            "person_days",
            "due",
            "touchpoint_ids",
            "budgets.2027-Q5",
            "budgets.2027-Q5.planned_cents",
        ]
    );

    // What only the database knows is named the same way.
    let (status, body) = send(server.post("/api/v1/actions").json(&json!({
        "kind": "optimise",
        "title": "Hotline",
        "touchpoint_ids": [hotline, hotline + 50],
        "finding_ids": [77],
        "owner": "nobody",
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        fields(&body),
        ["touchpoint_ids[1]", "finding_ids[0]", "owner"]
    );
    let (status, body) = send(server.post("/api/v1/actions").json(&json!({
        "kind": "optimise", "title": "Hotline", "touchpoint_ids": [hotline], "owner": "vera",
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let problem = only_problem(&body, "owner", "invalid");
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.contains("no active agent, manager or admin")),
        "{body}"
    );

    // The wrong shape is named by its path; unknown fields are refused.
    let (status, body) = send(server.post("/api/v1/actions").json(&json!({
        "kind": "optimise", "title": "Hotline", "touchpoint_ids": [hotline],
        "start": "2027-02-30",
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["start"]);
    let (status, body) = send(server.post("/api/v1/actions").json(&json!({
        "kind": "optimise", "title": "Hotline", "touchpoint_ids": [hotline], "priority": 1,
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    assert_eq!(server.get_json("/api/v1/actions").await, json!([]));
    assert_eq!(server.audit(&[]).await.len(), before, "nothing audited");
}

#[tokio::test]
async fn everyone_reads_the_plan_and_only_managers_write_it() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 4).await;
    let action = create(
        &server,
        &json!({"kind": "optimise", "title": "Hotline", "touchpoint_ids": [hotline]}),
    )
    .await;
    let action = id(&action);
    let body = json!({"kind": "launch", "title": "App"});
    let status_change = json!({"status": "done"});
    let viewer = server.as_role(Role::Viewer).await;
    let agent = server.as_role(Role::Agent).await;
    let manager = server.as_role(Role::Manager).await;
    for reader in [&viewer, &agent, &server.read_client()] {
        for path in [
            "/api/v1/actions".to_owned(),
            format!("/api/v1/actions/{action}"),
            format!("/api/v1/actions/{action}/history"),
            "/api/v1/action-plan".to_owned(),
        ] {
            let (status, answer) = send(reader.get(&path)).await;
            assert_eq!(status, StatusCode::OK, "{path}: {answer}");
        }
        let refusals = [
            send(reader.post("/api/v1/actions").json(&body)).await,
            send(reader.put(&format!("/api/v1/actions/{action}")).json(&body)).await,
            send(reader.delete(&format!("/api/v1/actions/{action}"))).await,
            send(
                reader
                    .post(&format!("/api/v1/actions/{action}/status"))
                    .json(&status_change),
            )
            .await,
        ];
        for (status, answer) in refusals {
            assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
        }
    }
    let (status, _) = send(server.nobody().get("/api/v1/action-plan")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Nothing the refusals sent was stored.
    let list = server.get_json("/api/v1/actions").await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["status"], "planned");

    let (status, answer) = send(
        manager
            .post(&format!("/api/v1/actions/{action}/status"))
            .json(&status_change),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, answer) = send(manager.post("/api/v1/actions").json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

#[tokio::test]
async fn every_change_of_status_is_in_the_history() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 4).await;
    let action = create(
        &server,
        &json!({"kind": "optimise", "title": "Hotline", "touchpoint_ids": [hotline],
                "status": "idea"}),
    )
    .await;
    assert_eq!(action["status"], "idea");
    let path = format!("/api/v1/actions/{}/status", id(&action));
    let history_path = format!("/api/v1/actions/{}/history", id(&action));
    for (to, note) in [("in_progress", "Team steht"), ("done", "Rückrufe laufen")] {
        let (status, body) = send(
            server
                .post(&path)
                .json(&json!({"status": to, "note": note})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], to);
    }
    // A done action is reopened as planned, not moved on.
    let (status, body) = send(server.post(&path).json(&json!({"status": "in_progress"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    only_problem(&body, "status", "rule");
    let (status, body) = send(
        server
            .post(&path)
            .json(&json!({"status": "done", "note": "x"})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the same status changes nothing: {body}"
    );
    let (status, body) = send(
        server
            .post(&path)
            .json(&json!({"status": "planned", "note": "\u{0007}"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        only_problem(&body, "note", "rule")["rule"],
        "control-characters"
    );
    let (status, _) = send(server.post(&path).json(&json!({"status": "planned"}))).await;
    assert_eq!(status, StatusCode::OK);

    let history = server.get_json(&history_path).await;
    let steps: Vec<(Value, Value, Value, Value)> = history
        .as_array()
        .expect("an array")
        .iter()
        .map(|h| {
            (
                h["from"].clone(),
                h["to"].clone(),
                h["note"].clone(),
                h["actor"].clone(),
            )
        })
        .collect();
    let step =
        |from: Value, to: &str, note: &str| (from, json!(to), json!(note), json!("token:tests"));
    assert_eq!(
        steps,
        [
            step(json!("done"), "planned", ""),
            step(json!("in_progress"), "done", "Rückrufe laufen"),
            step(json!("idea"), "in_progress", "Team steht"),
            step(Value::Null, "idea", ""),
        ]
    );
    let audited = server.audit(&[("action", "action.status")]).await;
    assert_eq!(audited.len(), 3, "{audited:?}");
    assert_eq!(audited[0]["summary"], "done → planned");
}

/// A guideline fact and a text at `touchpoint` that contradicts it; returns the finding's id.
async fn contradiction_at(server: &Server, touchpoint: i64) -> i64 {
    let guideline = json!({
        "facts": [{"key": "return-period", "label": "Rückgabefrist", "kind": "duration",
                   "value": "30 Tage", "keywords": ["Rückgabe"]}],
    });
    let (status, body) = send(server.put("/api/v1/guideline").json(&guideline)).await;
    assert!(status.is_success(), "{body}");
    let text = json!({"title": "FAQ", "channel": "website", "touchpoint_id": touchpoint,
                      "body": "Rückgabe binnen 14 Tagen."});
    let (status, body) = send(server.post("/api/v1/content").json(&text)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, findings) = send(server.post("/api/v1/findings/check")).await;
    assert!(status.is_success(), "{findings}");
    findings
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["finding"]["kind"] == "contradicts_guideline")
        .and_then(|f| f["id"].as_i64())
        .expect("14 days contradict the guideline")
}

#[tokio::test]
async fn the_plan_puts_the_quick_win_on_top_with_its_reasons_and_warns_before_retiring() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 5).await;
    let website = touchpoint(&server, "Website", 2).await;
    let fax = touchpoint(&server, "Fax", 1).await;
    // NPS at the hotline: 5 promoters and 25 detractors, −66.7.
    let answers: Vec<Value> = (0..30)
        .map(|i| {
            json!({"touchpoint_id": hotline, "metric": "nps", "score": if i < 5 { 10 } else { 2 },
                   "customer_ref": format!("kd-{i}")})
        })
        .collect();
    let (status, body) = send(
        server
            .post("/api/v1/responses")
            .json(&json!({"responses": answers})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let finding = contradiction_at(&server, website).await;
    // Two customers still write to the fax, and wait for an answer.
    for email in ["anna@example.org", "bernd@example.org"] {
        let (status, body) = send(server.post("/api/v1/requests").json(&json!({
            "channel": "letter", "touchpoint_id": fax, "customer": {"email": email},
            "subject": "Rechnung", "body": "Bitte um Rückruf",
        })))
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    // Short and small: the quick win, though the next one has more points.
    let quick = create(
        &server,
        &json!({"kind": "optimise", "title": "Rückrufzeiten", "touchpoint_ids": [hotline],
                "person_days": 2, "start": "2027-01-04", "due": "2027-01-13"}),
    )
    .await;
    let long = create(
        &server,
        &json!({"kind": "optimise", "title": "Hotline neu aufstellen",
                "touchpoint_ids": [hotline], "finding_ids": [finding],
                "start": "2027-01-04", "due": "2027-06-30"}),
    )
    .await;
    let retire = create(
        &server,
        &json!({"kind": "retire", "title": "Fax abschalten", "touchpoint_ids": [fax],
                "person_days": 1}),
    )
    .await;
    let finished = create(
        &server,
        &json!({"kind": "optimise", "title": "Hotline-Ansage", "touchpoint_ids": [hotline],
                "status": "done"}),
    )
    .await;

    let plan = server.get_json("/api/v1/action-plan").await;
    let order: Vec<i64> = plan["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a["action"]["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(
        order,
        [id(&quick), id(&long), id(&retire), id(&finished)],
        "{plan:#}"
    );
    let quick_win = &plan["quick_win"];
    assert_eq!(quick_win["outcome"], "chosen");
    assert_eq!(quick_win["action_id"], id(&quick));
    assert_eq!(quick_win["days"], 10);
    assert!(
        quick_win["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("quick win: done in 10 days")),
        "{quick_win}"
    );
    let first = &plan["actions"][0];
    let second = &plan["actions"][1];
    assert_eq!(
        (first["rank"].clone(), first["quick_win"].clone()),
        (json!(1), json!(true))
    );
    assert_eq!(second["quick_win"], false);
    assert!(
        second["points"].as_f64() > first["points"].as_f64(),
        "the quick win leads on the rule, not on points: {plan:#}"
    );

    // Each action's points with their reasons, adding up.
    let texts = |entry: &Value| -> Vec<String> {
        entry["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .map(|p| p["text"].as_str().expect("text").to_owned())
            .collect()
    };
    let first_texts = texts(first);
    assert!(
        first_texts[0].starts_with("NPS -66.7 at a touchpoint of importance 5 +"),
        "{first_texts:?}"
    );
    assert_eq!(
        first_texts.last().map(String::as_str),
        Some("effort 2 person-days -1.2")
    );
    assert!(
        texts(second).contains(&"1 open contradiction +4".to_owned()),
        "{second}"
    );
    for entry in plan["actions"].as_array().expect("actions") {
        let sum: f64 = entry["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .map(|p| p["points"].as_f64().expect("points"))
            .sum();
        let points = entry["points"].as_f64().expect("points");
        assert!((sum - points).abs() < 1e-6, "{entry}");
    }

    // The retire action warns of the customers who still use the fax; others carry nothing.
    let retiring = &plan["actions"][2];
    assert_eq!(retiring["retire"]["usage"]["open_requests"], 2);
    assert_eq!(
        retiring["retire"]["warning"],
        "at least 2 customers used these touchpoints in the last 90 days (2 requests, \
         0 answers), and 2 requests are still open there: move these customers before \
         retiring; for 2 of them it was their only touchpoint: retiring needs an explicit \
         confirmation"
    );
    assert_eq!(retiring["retire"]["only_here"], 2);
    assert_eq!(first["retire"], Value::Null);

    // In German on request; an unknown language is named.
    let german = server.get_json("/api/v1/action-plan?lang=de").await;
    assert!(
        german["quick_win"]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("Quick Win: in 10 Tagen erledigt")),
        "{german:#}"
    );
    assert!(
        german["actions"][2]["retire"]["warning"]
            .as_str()
            .is_some_and(|w| w.starts_with("In den letzten 90 Tagen nutzten mindestens 2 Kunden")),
        "{german:#}"
    );
    let (status, body) = send(server.get("/api/v1/action-plan?lang=fr")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    only_problem(&body, "lang", "unknown");
}

#[tokio::test]
async fn without_a_short_small_action_the_plan_says_why_there_is_no_quick_win() {
    let server = Server::start().await;
    let plan = server.get_json("/api/v1/action-plan").await;
    assert_eq!(plan["quick_win"]["outcome"], "no_open_action");
    assert_eq!(plan["quick_win"]["action_id"], Value::Null);
    assert_eq!(plan["actions"], json!([]));
    let hotline = touchpoint(&server, "Hotline", 4).await;
    create(
        &server,
        &json!({"kind": "optimise", "title": "Hotline", "touchpoint_ids": [hotline],
                "start": "2027-01-04", "due": "2027-12-31"}),
    )
    .await;
    let plan = server.get_json("/api/v1/action-plan").await;
    assert_eq!(plan["quick_win"]["outcome"], "none_short_enough");
    assert_eq!(
        plan["quick_win"]["reason"],
        "no quick win: no open action with a start and a due date is done within 14 days"
    );
    assert_eq!(plan["actions"][0]["quick_win"], false);
}

/// `count` NPS answers at `touchpoint` on `day` at noon UTC, `promoters` of them 10 and the
/// rest 2.
async fn nps_answers(
    server: &Server,
    touchpoint: i64,
    day: jiff::civil::Date,
    count: usize,
    promoters: usize,
) {
    let at = day
        .at(12, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .expect("a day")
        .timestamp();
    let answers: Vec<Value> = (0..count)
        .map(|i| {
            json!({"touchpoint_id": touchpoint, "metric": "nps",
                   "score": if i < promoters { 10 } else { 2 }, "answered_at": at.to_string()})
        })
        .collect();
    let (status, body) = send(
        server
            .post("/api/v1/responses")
            .json(&json!({"responses": answers})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn an_actions_effect_compares_its_touchpoints_before_and_after_its_start() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 4).await;
    let elsewhere = touchpoint(&server, "Website", 4).await;
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let start = today.checked_sub(jiff::ToSpan::days(10)).expect("a day");
    let day = |offset: i64| {
        start
            .checked_add(jiff::ToSpan::days(offset))
            .expect("a day")
    };
    // Before: 10 promoters of 40, NPS 25 % − 75 % = −50. After: 30 of 40, +50.
    nps_answers(&server, hotline, day(-5), 40, 10).await;
    nps_answers(&server, hotline, day(2), 40, 30).await;
    // Answers at another touchpoint do not count.
    nps_answers(&server, elsewhere, day(2), 40, 0).await;
    let action = create(
        &server,
        &json!({"kind": "optimise", "title": "Rückrufe binnen einer Stunde",
                "touchpoint_ids": [hotline], "start": start.to_string()}),
    )
    .await;

    let effect = server
        .get_json(&format!("/api/v1/actions/{}/effect", id(&action)))
        .await;
    assert_eq!(effect["start"], start.to_string());
    assert_eq!(effect["before"]["from"], day(-30).to_string());
    assert_eq!(effect["after"]["from"], start.to_string());
    assert_eq!(effect["running"], true, "{effect}");
    let metric = |name: &str| -> Value {
        effect["metrics"]
            .as_array()
            .expect("metrics")
            .iter()
            .find(|m| m["metric"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name} in {effect}"))
    };
    let nps = metric("nps");
    assert_eq!(nps["before"]["value"].as_f64(), Some(-50.0), "{nps}");
    assert_eq!(nps["after"]["value"].as_f64(), Some(50.0), "{nps}");
    assert_eq!(nps["before"]["n"], 40);
    // Each side's variance (p₊ + p₋ − (p₊ − p₋)²) / n = (1 − 0.25) / 40; the difference's
    // standard error √(2 × 0.01875) = 19.365 points, its interval 100 ± 1.96 × 19.365.
    let difference = &nps["difference"];
    assert_eq!(difference["value"].as_f64(), Some(100.0), "{nps}");
    let low = difference["low"].as_f64().expect("low");
    assert!((low - 62.05).abs() < 0.05, "{nps}");
    assert!(difference["p_value"].as_f64().expect("p") < 1e-6, "{nps}");
    assert_eq!(nps["verdict"], "better");
    // No CSAT answers at all: no verdict.
    let csat = metric("csat");
    assert_eq!(csat["before"], Value::Null);
    assert_eq!(csat["verdict"], "too_few_answers");
    assert_eq!(effect["response_times"]["before"]["requests"], 0);

    // Windows of three days hold no answers before the start: no verdict either way.
    let short = server
        .get_json(&format!("/api/v1/actions/{}/effect?days=3", id(&action)))
        .await;
    assert_eq!(short["before"]["from"], day(-3).to_string());
    let nps = &short["metrics"][0];
    assert_eq!(nps["metric"], "nps");
    assert_eq!(nps["before"], Value::Null, "{short}");
    assert_eq!(nps["verdict"], "too_few_answers");
}

#[tokio::test]
async fn an_effect_that_cannot_be_measured_names_why() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 4).await;
    let dated = create(
        &server,
        &json!({"kind": "optimise", "title": "Hotline", "touchpoint_ids": [hotline],
                "start": "2026-01-05"}),
    )
    .await;
    let effect = |id: i64, query: &str| {
        let server = &server;
        let path = format!("/api/v1/actions/{id}/effect{query}");
        async move { send(server.get(&path)).await }
    };
    for query in ["?days=0", "?days=366", "?days=viele"] {
        let (status, body) = effect(id(&dated), query).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(fields(&body), ["days"], "{query}");
    }
    let launch = create(
        &server,
        &json!({"kind": "launch", "title": "WhatsApp-Kanal", "start": "2026-01-05"}),
    )
    .await;
    let (status, body) = effect(id(&launch), "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["touchpoint_ids"]);
    let undated = create(
        &server,
        &json!({"kind": "optimise", "title": "Irgendwann", "touchpoint_ids": [hotline],
                "status": "idea"}),
    )
    .await;
    let (status, body) = effect(id(&undated), "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["start"]);
    // Once in progress, the day it went so is its start.
    let (status, body) = send(
        server
            .post(&format!("/api/v1/actions/{}/status", id(&undated)))
            .json(&json!({"status": "in_progress"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = effect(id(&undated), "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let future = create(
        &server,
        &json!({"kind": "optimise", "title": "Später", "touchpoint_ids": [hotline],
                "start": "2099-01-04"}),
    )
    .await;
    let (status, body) = effect(id(&future), "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["start"]);
    let (status, _) = effect(999_999, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Sends a request from this e-mail address to a touchpoint, asserting 201.
async fn request_at(server: &Server, touchpoint: i64, email: &str) {
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "letter", "touchpoint_id": touchpoint, "customer": {"email": email},
        "subject": "Frage", "body": "Bitte um Antwort",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn retiring_the_only_touchpoint_of_customers_needs_a_recorded_confirmation() {
    let server = Server::start().await;
    let fax = touchpoint(&server, "Fax", 1).await;
    let hotline = touchpoint(&server, "Hotline", 4).await;
    let shop = touchpoint(&server, "Filiale", 3).await;
    // Anna writes only by fax; Bernd uses the fax and the hotline; Carla the fax, the
    // hotline and the shop; Dora only the shop (no customer of the fax).
    request_at(&server, fax, "anna@example.org").await;
    for (touchpoint, email) in [
        (fax, "bernd@example.org"),
        (hotline, "bernd@example.org"),
        (fax, "carla@example.org"),
        (hotline, "carla@example.org"),
        (shop, "carla@example.org"),
        (shop, "dora@example.org"),
    ] {
        request_at(&server, touchpoint, email).await;
    }
    // An answer at the shop under a reference of its own, who also answered at the fax.
    let (status, body) = send(server.post("/api/v1/responses").json(&json!({"responses": [
        {"touchpoint_id": fax, "metric": "csat", "score": 4, "customer_ref": "KD-9"},
        {"touchpoint_id": shop, "metric": "csat", "score": 5, "customer_ref": "KD-9"},
    ]})))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let retire = create(
        &server,
        &json!({"kind": "retire", "title": "Fax abschalten", "touchpoint_ids": [fax]}),
    )
    .await;

    // Four customers of the fax (Anna, Bernd, Carla, KD-9); Anna had no other touchpoint;
    // Bernd and Carla also use the hotline, Carla and KD-9 the shop.
    let plan = server.get_json("/api/v1/action-plan").await;
    let analysis = &plan["actions"][0]["retire"];
    assert_eq!(analysis["only_here"], 1, "{plan:#}");
    assert_eq!(
        analysis["alternatives"],
        json!([
            {"touchpoint_id": hotline, "name": "Hotline", "customers": 2},
            {"touchpoint_id": shop, "name": "Filiale", "customers": 2},
        ])
    );
    assert!(
        analysis["warning"].as_str().is_some_and(|w| w
            .starts_with("at least 4 customers used these touchpoints")
            && w.ends_with(
                "for 1 of them it was their only touchpoint: retiring needs an explicit \
             confirmation; they also use: Hotline (2), Filiale (2)"
            )),
        "{analysis}"
    );

    // Moving it on without the confirmation is refused and changes nothing.
    let status_url = format!("/api/v1/actions/{}/status", id(&retire));
    let (status, body) = send(
        server
            .post(&status_url)
            .json(&json!({"status": "in_progress"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let problem = only_problem(&body, "confirm_retirement", "rule");
    assert_eq!(problem["rule"], "retire-needs-confirmation");
    assert_eq!(
        server
            .get_json(&format!("/api/v1/actions/{}", id(&retire)))
            .await["status"],
        "planned"
    );
    // Nor can a replacement move it past the confirmation.
    let (status, body) = send(
        server
            .put(&format!("/api/v1/actions/{}", id(&retire)))
            .json(&json!({"kind": "retire", "title": "Fax abschalten",
                          "touchpoint_ids": [fax], "status": "done"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    only_problem(&body, "confirm_retirement", "rule");

    // Confirmed, it moves, and the audit log keeps what was confirmed.
    let (status, body) = send(server.post(&status_url).json(
        &json!({"status": "in_progress", "note": "Anna bekommt einen Anruf", "confirm_retirement": true}),
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "in_progress");
    let audit = server.audit(&[("limit", "5")]).await;
    let entry = audit
        .iter()
        .find(|e| e["action"] == "action.status")
        .expect("the change is audited");
    assert_eq!(
        entry["summary"],
        "planned → in_progress; retiring confirmed: 1 of the customers of the last 90 days \
         had no other touchpoint"
    );
    // Done from in progress asks no second time.
    let (status, body) = send(server.post(&status_url).json(&json!({"status": "done"}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The requests a retire action's analysis counted, and when the plan counted them.
async fn counted(server: &Server) -> (Value, Value) {
    let plan = server.get_json("/api/v1/action-plan").await;
    let retire = plan["actions"]
        .as_array()
        .and_then(|all| all.iter().find(|a| a["retire"].is_object()))
        .map(|a| a["retire"]["usage"]["requests"].clone());
    (retire.unwrap_or(Value::Null), plan["until"].clone())
}

#[tokio::test]
async fn a_server_keeps_the_plans_counts_for_their_age_and_counts_new_touchpoints_at_once() {
    let server = Server::start_with(touchpoints_server::Settings {
        plan_counts_max_age: std::time::Duration::from_secs(300),
        ..touchpoints_server::Settings::default()
    })
    .await;
    let fax = touchpoint(&server, "Fax", 1).await;
    let hotline = touchpoint(&server, "Hotline", 4).await;
    let shop = touchpoint(&server, "Filiale", 3).await;
    for (touchpoint, email) in [
        (fax, "anna@example.org"),
        (hotline, "carla@example.org"),
        (shop, "dora@example.org"),
    ] {
        request_at(&server, touchpoint, email).await;
    }
    let retire = create(
        &server,
        &json!({"kind": "retire", "title": "Fax abschalten", "touchpoint_ids": [fax]}),
    )
    .await;
    create(
        &server,
        &json!({"kind": "optimise", "title": "Hotline", "touchpoint_ids": [hotline]}),
    )
    .await;
    let (requests, at) = counted(&server).await;
    assert_eq!(requests, 1);

    // A request later is not in the kept counting, which says when it was made.
    request_at(&server, fax, "bernd@example.org").await;
    assert_eq!(counted(&server).await, (json!(1), at.clone()));

    // The confirmation a retirement needs counts at the moment of the move: Bernd too.
    let (status, body) = send(
        server
            .post(&format!("/api/v1/actions/{}/status", id(&retire)))
            .json(&json!({"status": "in_progress"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let problem = only_problem(&body, "confirm_retirement", "rule");
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("2 of the customers")),
        "{problem}"
    );

    // What the kept counting lacks is counted on the view, for the same moment: who relies
    // on the hotline, counted so far for an optimisation only, and the shop, which no action
    // concerned. Carla's and Dora's requests before that moment, not Emil's after it.
    request_at(&server, shop, "emil@example.org").await;
    for (title, touchpoint) in [("Hotline abschalten", hotline), ("Filiale schließen", shop)] {
        create(
            &server,
            &json!({"kind": "retire", "title": title, "touchpoint_ids": [touchpoint],
                    "status": "idea"}),
        )
        .await;
    }
    let plan = server.get_json("/api/v1/action-plan").await;
    assert_eq!(plan["until"], at);
    for title in ["Hotline abschalten", "Filiale schließen"] {
        let analysis = plan["actions"]
            .as_array()
            .and_then(|all| all.iter().find(|a| a["action"]["title"] == title))
            .map(|a| &a["retire"])
            .expect("the action");
        assert_eq!(analysis["usage"]["requests"], 1, "{title}: {plan:#}");
        assert_eq!(analysis["only_here"], 1, "{title}: {plan:#}");
    }
}

#[tokio::test]
async fn a_server_that_keeps_nothing_counts_on_every_view() {
    let server = Server::start().await;
    let fax = touchpoint(&server, "Fax", 1).await;
    request_at(&server, fax, "anna@example.org").await;
    create(
        &server,
        &json!({"kind": "retire", "title": "Fax abschalten", "touchpoint_ids": [fax]}),
    )
    .await;
    assert_eq!(counted(&server).await.0, 1);
    request_at(&server, fax, "bernd@example.org").await;
    assert_eq!(counted(&server).await.0, 2);
}

#[tokio::test]
async fn a_manager_weights_target_groups_and_sets_the_quick_win_rule() {
    let server = Server::start().await;
    let defaults = server.get_json("/api/v1/action-plan/settings").await;
    assert_eq!(
        defaults["quick_win"],
        json!({"max_days": 14, "max_effort_days": 10.0})
    );
    assert_eq!(defaults["target_groups"], json!({}));

    let hotline = server
        .create(&json!({
            "name": "Hotline", "channel": "phone", "phase": "after-purchase",
            "importance": {"experience": 5, "loyalty": 5, "referral": 5},
            "target_groups": ["Stammkunden"], "regions": ["Nord"],
        }))
        .await["id"]
        .as_i64()
        .expect("an id");
    let (status, body) = send(server.post("/api/v1/responses").json(&json!({"responses":
        (0..30).map(|i| json!({"touchpoint_id": hotline, "metric": "nps", "score": 2,
                               "customer_ref": format!("kd-{i}")})).collect::<Vec<_>>()})))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Three weeks: no quick win under the default rule of 14 days.
    let action = create(
        &server,
        &json!({"kind": "optimise", "title": "Rückrufe", "touchpoint_ids": [hotline],
                "person_days": 2, "start": "2027-01-04", "due": "2027-01-24"}),
    )
    .await;
    let before = server.get_json("/api/v1/action-plan").await;
    assert_eq!(
        before["quick_win"]["outcome"], "none_short_enough",
        "{before:#}"
    );
    let points_before = before["actions"][0]["points"].as_f64().expect("points");

    // Invalid values are named, and nothing changes.
    let (status, body) = send(server.put("/api/v1/action-plan/settings").json(&json!({
        "target_groups": {"Stammkunden": 7},
        "quick_win": {"max_days": 0},
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        fields(&body),
        ["target_groups.Stammkunden", "quick_win.max_days"]
    );
    assert_eq!(
        server.get_json("/api/v1/action-plan/settings").await,
        defaults
    );
    // A viewer reads them, and may not change them.
    let viewer = server.as_role(Role::Viewer).await;
    assert_eq!(
        viewer.get_json("/api/v1/action-plan/settings").await,
        defaults
    );
    let (status, _) = send(
        viewer
            .put("/api/v1/action-plan/settings")
            .json(&json!({"quick_win": {"max_days": 21}})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, body) = send(server.put("/api/v1/action-plan/settings").json(&json!({
        "target_groups": {" Stammkunden ": 1.5},
        "quick_win": {"max_days": 21, "max_effort_days": 10},
    })))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["target_groups"], json!({"Stammkunden": 1.5}));
    assert_eq!(
        body["weights"], defaults["weights"],
        "left out: the defaults"
    );

    // The plan ranks by them: the action is now the quick win, and its impact counts half
    // again for the core customers, with the reason named.
    let after = server.get_json("/api/v1/action-plan").await;
    assert_eq!(after["quick_win"]["outcome"], "chosen", "{after:#}");
    assert_eq!(after["quick_win"]["action_id"], id(&action));
    let entry = &after["actions"][0];
    let group = entry["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .find(|p| p["reason"]["kind"] == "target_group")
        .expect("the target group's part");
    let impact_before = before["actions"][0]["impact"].as_f64().expect("impact");
    assert_eq!(
        group["text"],
        format!("target group Stammkunden ×1.5 +{:.1}", 0.5 * impact_before)
    );
    let impact_after = entry["impact"].as_f64().expect("impact");
    assert!(
        (impact_after - 1.5 * impact_before).abs() < 1e-9,
        "{impact_before} × 1.5 = {impact_after}"
    );
    let points_after = entry["points"].as_f64().expect("points");
    assert!(
        (points_after - points_before - 0.5 * impact_before).abs() < 1e-9,
        "the group adds half the impact before it: {points_before} → {points_after}"
    );
    let audit = server.audit(&[("limit", "3")]).await;
    assert!(
        audit.iter().any(|e| e["action"] == "action_plan.settings"),
        "{audit:?}"
    );
}

#[tokio::test]
async fn the_plan_suggests_an_idea_for_an_important_weak_touchpoint_nobody_works_on() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 5).await;
    let website = touchpoint(&server, "Website", 4).await;
    let quiet = touchpoint(&server, "Filiale", 5).await;
    // The hotline's NPS is −100 from 30 answers; the website has an open contradiction;
    // the shop shows nothing wrong.
    let answers: Vec<Value> = (0..30)
        .map(|i| {
            json!({"touchpoint_id": hotline, "metric": "nps", "score": 1,
                        "customer_ref": format!("kd-{i}")})
        })
        .collect();
    let (status, body) = send(
        server
            .post("/api/v1/responses")
            .json(&json!({"responses": answers})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let finding = contradiction_at(&server, website).await;

    let plan = server.get_json("/api/v1/action-plan?lang=de").await;
    let suggestions = plan["suggestions"].as_array().expect("suggestions");
    let at: Vec<i64> = suggestions
        .iter()
        .map(|s| s["touchpoint_id"].as_i64().expect("id"))
        .collect();
    assert_eq!(at, [hotline, website], "the most impact first: {plan:#}");
    assert_eq!(suggestions[0]["title"], "Hotline verbessern");
    assert!(
        suggestions[0]["reasons"][0]
            .as_str()
            .is_some_and(|r| r.starts_with("NPS -100 an einem Touchpoint der Wichtigkeit 5 +")),
        "{suggestions:?}"
    );
    assert_eq!(suggestions[1]["finding_ids"], json!([finding]));
    assert!(!at.contains(&quiet));

    // Taken up, it is an idea with the finding linked, and no longer suggested.
    let url = format!("/api/v1/action-plan/suggestions/{website}?lang=en");
    let (status, idea) = send(server.post(&url)).await;
    assert_eq!(status, StatusCode::CREATED, "{idea}");
    assert_eq!(idea["status"], "idea");
    assert_eq!(idea["kind"], "optimise");
    assert_eq!(idea["title"], "Improve Website");
    assert_eq!(idea["touchpoint_ids"], json!([website]));
    assert_eq!(idea["finding_ids"], json!([finding]));
    let (status, body) = send(server.post(&url)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    only_problem(&body, "touchpoint_id", "rule");
    let plan = server.get_json("/api/v1/action-plan").await;
    let at: Vec<i64> = plan["suggestions"]
        .as_array()
        .expect("suggestions")
        .iter()
        .map(|s| s["touchpoint_id"].as_i64().expect("id"))
        .collect();
    assert_eq!(at, [hotline]);
    // Dropping the idea keeps the decision: the website is not suggested again.
    let (status, _) = send(
        server
            .post(&format!("/api/v1/actions/{}/status", id(&idea)))
            .json(&json!({"status": "dropped"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let plan = server.get_json("/api/v1/action-plan").await;
    assert_eq!(plan["suggestions"].as_array().map(Vec::len), Some(1));

    let (status, _) = send(server.post("/api/v1/action-plan/suggestions/999999")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let viewer = server.as_role(Role::Viewer).await;
    let (status, _) =
        send(viewer.post(&format!("/api/v1/action-plan/suggestions/{hotline}"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn findings_the_check_no_longer_finds_are_listed_apart_on_request() {
    let server = Server::start().await;
    let guideline = json!({
        "facts": [{"key": "return-period", "label": "Rückgabefrist", "kind": "duration",
                   "value": "30 Tage", "keywords": ["Rückgabe"]}],
    });
    let (status, body) = send(server.put("/api/v1/guideline").json(&guideline)).await;
    assert!(status.is_success(), "{body}");
    let text = |body: &str| json!({"title": "FAQ", "channel": "website", "body": body});
    let (status, content) = send(
        server
            .post("/api/v1/content")
            .json(&text("Rückgabe binnen 14 Tagen.")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{content}");
    let (status, first) = send(server.post("/api/v1/findings/check")).await;
    assert!(status.is_success(), "{first}");
    let fixed = first[0]["id"].as_i64().expect("the contradiction");

    // The text is fixed, and another one contradicts the guideline now.
    let path = format!("/api/v1/content/{}", content["id"]);
    let (status, body) = send(server.put(&path).json(&text("Rückgabe binnen 30 Tagen."))).await;
    assert!(status.is_success(), "{body}");
    let (status, body) = send(
        server
            .post("/api/v1/content")
            .json(&text("Die Rückgabe ist 7 Tage lang möglich.")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = send(server.post("/api/v1/findings/check")).await;
    assert!(status.is_success(), "{body}");

    let ids = |body: &Value| -> Vec<(i64, bool)> {
        body.as_array()
            .expect("findings")
            .iter()
            .map(|f| (f["id"].as_i64().expect("id"), f["current"] == true))
            .collect()
    };
    let (status, all) = send(server.get("/api/v1/findings")).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let all = ids(&all);
    // The 7 days contradict the guideline and the other text; the current ones come first.
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(all[2], (fixed, false), "{all:?}");
    let (_, current) = send(server.get("/api/v1/findings?current=true")).await;
    assert_eq!(ids(&current), all[..2]);
    let (_, gone) = send(server.get("/api/v1/findings?current=false")).await;
    assert_eq!(ids(&gone), all[2..]);

    let (status, body) = send(server.get("/api/v1/findings?current=maybe")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["current"]);
}
