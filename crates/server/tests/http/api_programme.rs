//! The 30-day programme over the JSON API: started, read with its phases, tasks and
//! progress from the data, tasks ticked by hand, refused input named by field, readers who
//! cannot write, the calendar file, and a new round that carries the unfinished tasks over.

use crate::common;

use common::{Server, fields, send};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use touchpoints_core::Role;

/// The task of this key in a programme's answer.
fn task<'a>(programme: &'a Value, key: &str) -> &'a Value {
    programme["phases"]
        .as_array()
        .expect("phases")
        .iter()
        .flat_map(|p| p["tasks"].as_array().expect("tasks"))
        .find(|t| t["key"] == key)
        .unwrap_or_else(|| panic!("no task {key} in {programme}"))
}

async fn start(server: &Server, day: &str) -> Value {
    let (status, body) = send(
        server
            .post("/api/v1/programme")
            .json(&json!({ "start_day": day })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

#[tokio::test]
async fn a_programme_starts_with_its_phases_and_reads_progress_from_the_data() {
    let server = Server::start().await;
    let (status, body) = send(server.get("/api/v1/programme")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    // Far ahead: nothing is due yet.
    let started = start(&server, "2099-03-01").await;
    assert_eq!(started["round"], 1);
    assert_eq!(started["start"], "2099-03-01");
    assert_eq!(started["end"], "2099-03-30");
    let phases: Vec<(String, String, String, String)> = started["phases"]
        .as_array()
        .expect("phases")
        .iter()
        .map(|p| {
            (
                p["key"].as_str().expect("key").to_owned(),
                p["start"].as_str().expect("start").to_owned(),
                p["end"].as_str().expect("end").to_owned(),
                p["state"].as_str().expect("state").to_owned(),
            )
        })
        .collect();
    let expected = [
        ("inventory", "2099-03-01", "2099-03-07"),
        ("guideline", "2099-03-08", "2099-03-10"),
        ("requests", "2099-03-11", "2099-03-15"),
        ("personalisation", "2099-03-16", "2099-03-25"),
        ("measurement", "2099-03-26", "2099-03-30"),
    ]
    .map(|(k, s, e)| {
        (
            k.to_owned(),
            s.to_owned(),
            e.to_owned(),
            "upcoming".to_owned(),
        )
    });
    assert_eq!(phases, expected);
    assert_eq!(started["progress"], json!({"done": 0, "total": 11}));
    let inventory = task(&started, "inventory_complete");
    assert_eq!(inventory["due"], "2099-03-05");
    assert_eq!(inventory["status"], "open");
    assert_eq!(inventory["source"], "data");
    assert_eq!(inventory["owner"], "cx_manager");
    assert_eq!(inventory["link"], "/touchpoints");
    assert_eq!(inventory["progress"], json!({"done": 0, "total": 0}));

    // Two active touchpoints, one without an owner; an agent account.
    let hotline = server
        .create(&json!({"name": "Hotline", "channel": "phone", "phase": "after-purchase", "owner": "Service"}))
        .await["id"]
        .as_i64()
        .expect("touchpoint id");
    server
        .create(&json!({"name": "Filiale", "channel": "store", "phase": "during-purchase"}))
        .await;
    server.create_user("agnes", Role::Agent, None).await;
    let read = server.get_json("/api/v1/programme").await;
    let inventory = task(&read, "inventory_complete");
    assert_eq!(inventory["progress"], json!({"done": 1, "total": 2}));
    assert_eq!(inventory["status"], "open");
    assert_eq!(task(&read, "service_team")["status"], "done");
    // No request yet: no channel to set a target for.
    assert_eq!(
        task(&read, "response_targets")["progress"],
        json!({"done": 0, "total": 0})
    );
    assert_eq!(read["progress"], json!({"done": 1, "total": 11}));

    // Requests by phone and e-mail; a target for the phone only.
    for (channel, customer) in [
        ("phone", json!({"phone": "0171 1234567"})),
        ("email", json!({"email": "anna@example.de"})),
    ] {
        let (status, body) = send(server.post("/api/v1/requests").json(&json!({
            "channel": channel, "customer": customer, "subject": "Lieferung", "body": "Wo bleibt mein Sofa?",
        })))
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, body) = send(server.put("/api/v1/sla-policies").json(&json!({
        "channel": "phone", "priority": "normal",
        "first_response_minutes": 30, "resolution_minutes": 240, "around_the_clock": false,
    })))
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let read = server.get_json("/api/v1/programme").await;
    let targets = task(&read, "response_targets");
    assert_eq!(targets["progress"], json!({"done": 1, "total": 2}));
    assert_eq!(targets["status"], "open");

    // Measurement runs once an active survey has an answer: an answer at its touchpoint
    // without the survey does not count.
    let (status, survey) = send(
        server
            .post("/api/v1/surveys")
            .json(&json!({"touchpoint_id": hotline, "metric": "nps"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{survey}");
    for survey_id in [Value::Null, survey["id"].clone()] {
        let read = server.get_json("/api/v1/programme").await;
        assert_eq!(task(&read, "measurement_running")["status"], "open");
        let answer =
            json!({"touchpoint_id": hotline, "metric": "nps", "score": 9, "survey_id": survey_id});
        let (status, body) = send(
            server
                .post("/api/v1/responses")
                .json(&json!({"responses": [answer]})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let read = server.get_json("/api/v1/programme").await;
    assert_eq!(task(&read, "measurement_running")["status"], "done");
}

#[tokio::test]
async fn manual_tasks_are_ticked_and_the_phase_counts_them() {
    let server = Server::start().await;
    // Long past: every task not done is overdue.
    start(&server, "2020-01-01").await;
    let (status, ticked) = send(
        server
            .post("/api/v1/programme/tasks/crm_training")
            .json(&json!({"done": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ticked}");
    assert_eq!(task(&ticked, "crm_training")["status"], "done");
    assert_eq!(task(&ticked, "personal_templates")["status"], "overdue");
    let requests = &ticked["phases"][2];
    assert_eq!(requests["key"], "requests");
    assert_eq!(requests["progress"], json!({"done": 1, "total": 3}));
    assert_eq!(requests["state"], "overdue");
    assert_eq!(ticked["ticks"][0]["task"], "crm_training");
    let actor = ticked["ticks"][0]["done_by"]
        .as_str()
        .expect("who")
        .to_owned();

    let (status, reopened) = send(
        server
            .post("/api/v1/programme/tasks/crm_training")
            .json(&json!({"done": false})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(task(&reopened, "crm_training")["status"], "overdue");
    assert_eq!(reopened["phases"][2]["progress"]["done"], 0);

    let audit = server.audit(&[("action", "programme.")]).await;
    let summaries: Vec<(&str, &str)> = audit
        .iter()
        .map(|e| {
            (
                e["summary"].as_str().expect("summary"),
                e["actor"].as_str().expect("actor"),
            )
        })
        .collect();
    assert_eq!(
        summaries,
        [
            ("crm_training open", actor.as_str()),
            ("crm_training done", actor.as_str()),
            ("round 1 from 2020-01-01, 0 carried over", actor.as_str()),
        ]
    );
}

#[tokio::test]
async fn bad_input_is_named_and_stores_nothing() {
    let server = Server::start().await;
    // Nothing to tick before a start.
    let (status, _) = send(
        server
            .post("/api/v1/programme/tasks/crm_training")
            .json(&json!({"done": true})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for day in ["01.03.2027", "2027-02-30", ""] {
        let (status, body) = send(
            server
                .post("/api/v1/programme")
                .json(&json!({ "start_day": day })),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{day}: {body}");
        assert_eq!(fields(&body), ["start_day"], "{day}");
    }
    let (status, _) = send(server.get("/api/v1/programme")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was started");

    start(&server, "2027-03-01").await;
    for key in ["inventory_complete", "coffee"] {
        let (status, body) = send(
            server
                .post(&format!("/api/v1/programme/tasks/{key}"))
                .json(&json!({"done": true})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{key}: {body}");
        assert_eq!(fields(&body), ["key"], "{key}");
    }
    let (status, body) = send(server.get("/api/v1/programme.ics?lang=fr")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&body), ["lang"]);
    let read = server.get_json("/api/v1/programme").await;
    assert_eq!(read["ticks"], json!([]));
    assert_eq!(read["round"], 1);
}

#[tokio::test]
async fn readers_read_but_cannot_write() {
    let server = Server::start().await;
    start(&server, "2027-03-01").await;
    for reader in [server.read_client(), server.as_role(Role::Viewer).await] {
        let (status, body) = send(reader.get("/api/v1/programme")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, _) = send(
            reader
                .post("/api/v1/programme")
                .json(&json!({"start_day": "2027-04-01"})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = send(
            reader
                .post("/api/v1/programme/tasks/review_done")
                .json(&json!({"done": true})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let read = server.get_json("/api/v1/programme").await;
    assert_eq!(
        (read["round"].clone(), read["ticks"].clone()),
        (json!(1), json!([]))
    );
}

#[tokio::test]
async fn the_calendar_holds_one_todo_per_task() {
    let server = Server::start().await;
    start(&server, "2027-03-01").await;
    send(
        server
            .post("/api/v1/programme/tasks/crm_training")
            .json(&json!({"done": true})),
    )
    .await;
    let response = server
        .get("/api/v1/programme.ics")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()[CONTENT_TYPE]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(content_type.starts_with("text/calendar"), "{content_type}");
    let text = response.text().await.expect("body");
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{text}"
    );
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    // Every line ends with CRLF and fits in 75 octets.
    assert!(!text.replace("\r\n", "").contains('\n'));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{line}");
    }
    let unfolded = text.replace("\r\n ", "");
    assert_eq!(unfolded.matches("BEGIN:VTODO\r\n").count(), 11);
    assert_eq!(unfolded.matches("END:VTODO\r\n").count(), 11);
    assert_eq!(unfolded.matches("STATUS:COMPLETED\r\n").count(), 1);
    // The inventory: from day 1 to day 5; in German by default.
    let inventory = unfolded
        .split("BEGIN:VTODO\r\n")
        .find(|t| t.contains("UID:programme-1-2027-03-01-inventory_complete@touchpoints"))
        .expect("the inventory's to-do");
    assert!(
        inventory.contains("DTSTART;VALUE=DATE:20270301\r\n"),
        "{inventory}"
    );
    assert!(
        inventory.contains("DUE;VALUE=DATE:20270305\r\n"),
        "{inventory}"
    );
    assert!(inventory.contains("SUMMARY:Bestandsaufnahme vollständig\r\n"));
    assert!(inventory.contains("STATUS:NEEDS-ACTION\r\n"));
    let english = server
        .get("/api/v1/programme.ics?lang=en")
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("body")
        .replace("\r\n ", "");
    assert!(english.contains("SUMMARY:Team trained\r\n"), "{english}");
}

#[tokio::test]
async fn a_new_round_carries_the_unfinished_tasks_over() {
    let server = Server::start().await;
    start(&server, "2020-01-01").await;
    send(
        server
            .post("/api/v1/programme/tasks/review_done")
            .json(&json!({"done": true})),
    )
    .await;
    let next = start(&server, "2020-02-01").await;
    assert_eq!(next["round"], 2);
    assert_eq!(next["start"], "2020-02-01");
    // The review was done in round 1: it starts over, not carried; the rest was not done.
    assert_eq!(task(&next, "review_done")["carried_over"], false);
    assert_eq!(task(&next, "review_done")["status"], "overdue");
    assert_eq!(task(&next, "crm_training")["carried_over"], true);
    assert_eq!(task(&next, "inventory_complete")["carried_over"], true);
    assert_eq!(next["ticks"], json!([]));
}
