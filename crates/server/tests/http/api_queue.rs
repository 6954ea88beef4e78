//! Customer requests in the JSON API over real HTTP: intake from every channel, identity
//! resolution into one customer profile, the queue in priority order with scores and SLA
//! risk, agents' steps, and the queue's rules and statistics.

use crate::common;

use common::{Server, fields, input, only_problem, send};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

// --- Requests: intake, identity, queue ------------------------------------------------

fn mail(external_id: &str, body: &str) -> Value {
    json!({
        "channel": "e-mail",
        "customer": {"name": "Anna Schulz", "email": "Anna.Schulz@example.de"},
        "subject": "Lieferung",
        "body": body,
        "external_id": external_id,
    })
}

#[tokio::test]
async fn requests_by_mail_and_phone_land_in_one_profile_and_queue_with_a_score() {
    let server = Server::start().await;
    let (status, body) = send(
        server
            .put("/api/v1/sla-policies")
            .json(&json!({"channel": "phone", "priority": "normal",
                "first_response_minutes": 30, "resolution_minutes": 240, "around_the_clock": true})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, first) = send(
        server
            .post("/api/v1/requests")
            .json(&mail("m-1", "Wo bleibt mein Sofa?")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // Later by phone: the hotline system knows the number and the address.
    let (status, second) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "phone",
        "customer": {"phone": "0171 1234567", "email": "anna.schulz@example.de"},
        "subject": "Rückruf",
        "body": "Das ist unverschämt, ich warte seit Wochen! Dringend!",
        "external_id": "call-7",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(first["customer_id"], second["customer_id"]);

    let customer = server
        .get_json(&format!("/api/v1/customers/{}", first["customer_id"]))
        .await;
    let identifiers: Vec<&str> = customer["identifiers"]
        .as_array()
        .expect("identifiers")
        .iter()
        .map(|i| i["value"].as_str().expect("value"))
        .collect();
    assert_eq!(identifiers, ["anna.schulz@example.de", "+491711234567"]);
    assert_eq!(customer["requests"].as_array().expect("requests").len(), 2);

    // The angry, urgent phone call with a target ranks first, and says why.
    let queue = server.get_json("/api/v1/requests").await;
    let queue = queue.as_array().expect("a list");
    assert_eq!(queue.len(), 2);
    assert_eq!(queue[0]["id"], second["id"]);
    let reasons: Vec<&str> = queue[0]["score"]["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| p["reason"]["kind"].as_str().expect("kind"))
        .collect();
    for kind in ["due_in", "urgent", "negative"] {
        assert!(reasons.contains(&kind), "{kind} in {reasons:?}");
    }
    let total = queue[0]["score"]["total"].as_f64().expect("total");
    let sum: f64 = queue[0]["score"]["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| p["points"].as_f64().expect("points"))
        .sum();
    assert!((total - sum).abs() < 1e-6);
    // Due within the hour the organisation warns ahead: at risk. The mail has no target.
    assert_eq!(queue[0]["risk"], "at-risk");
    assert_eq!(queue[1]["risk"], "on-track");
}

#[tokio::test]
async fn requests_retried_by_external_id_are_not_duplicated() {
    let server = Server::start().await;
    let (status, first) = send(server.post("/api/v1/requests").json(&mail("m-1", "Text"))).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, again) = send(server.post("/api/v1/requests").json(&mail("m-1", "Text"))).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["created"], false);
    let (status, body) = send(
        server
            .post("/api/v1/requests")
            .json(&mail("m-1", "Anderer Text")),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    only_problem(&body, "body", "rule");
    let queue = server.get_json("/api/v1/requests").await;
    assert_eq!(queue.as_array().expect("list").len(), 1);
}

#[tokio::test]
async fn requests_bad_input_is_refused_by_field_and_nothing_is_stored() {
    let server = Server::start().await;
    // A batch with four good requests and one bad: 422 naming the entry's fields, nothing
    // stored.
    let mut batch: Vec<Value> = (0..4).map(|i| mail(&format!("b-{i}"), "ok")).collect();
    batch.insert(
        3,
        json!({"channel": "fax", "customer": {"phone": "12"}, "body": "x", "received_at": "gestern"}),
    );
    let (status, body) = send(
        server
            .post("/api/v1/requests")
            .json(&json!({"requests": batch})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["requests[3].received_at"]);
    batch[3] = json!({"channel": "fax", "customer": {"phone": "12"}, "body": "x"});
    let (status, body) = send(
        server
            .post("/api/v1/requests")
            .json(&json!({"requests": batch})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        fields(&body),
        ["requests[3].channel", "requests[3].customer.phone"]
    );
    assert_eq!(server.get_json("/api/v1/requests").await, json!([]));
    assert_eq!(server.get_json("/api/v1/customers").await, json!([]));
    // A single request: the fields without prefix.
    let (status, body) = send(
        server
            .post("/api/v1/requests")
            .json(&json!({"channel": "email", "customer": {}})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["customer", "body"]);
    let (status, body) = send(
        server
            .post("/api/v1/requests")
            .json(&json!({"customer": {"email": "a@b.de"}})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    only_problem(&body, "channel", "required");
    // Not JSON: 400.
    let (status, body) = send(
        server
            .post("/api/v1/requests")
            .header(CONTENT_TYPE, "application/json")
            .body("{\"channel\": "),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // An unknown touchpoint in a batch is named by the store, with the batch's names.
    let mut unknown = mail("t-1", "x");
    unknown["touchpoint_id"] = json!(4242);
    let (status, body) = send(
        server
            .post("/api/v1/requests")
            .json(&json!({"requests": [mail("t-0", "x"), unknown]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    only_problem(&body, "requests[1].touchpoint_id", "invalid");
    assert_eq!(server.get_json("/api/v1/requests").await, json!([]));
    // Batches of valid requests are stored whole.
    let good: Vec<Value> = (0..3)
        .map(|i| mail(&format!("g-{i}"), &format!("Nr. {i}")))
        .collect();
    let (status, body) = send(
        server
            .post("/api/v1/requests")
            .json(&json!({"requests": good})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["results"].as_array().expect("results").len(), 3);
}

#[tokio::test]
async fn requests_source_mapping_names_the_touchpoint_and_actions_work_it() {
    let server = Server::start().await;
    let tp = server.create(&input("Service-Postfach")).await["id"]
        .as_i64()
        .expect("id");
    let (status, _) = send(server.put("/api/v1/request-sources").json(&json!({
        "channel": "email", "source": "Service@Nordlicht.de", "touchpoint_id": tp})))
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let mut request = mail("s-1", "Frage");
    request["source"] = json!("service@nordlicht.de");
    let (_, created) = send(server.post("/api/v1/requests").json(&request)).await;
    let id = created["id"].as_i64().expect("id");
    let stored = server.get_json(&format!("/api/v1/requests/{id}")).await;
    assert_eq!(stored["touchpoint_id"], tp);
    assert_eq!(stored["customer"]["id"], created["customer_id"]);
    assert_eq!(stored["steps"], json!([]));
    assert_eq!(stored["risk"], "on-track");
    assert!(stored["score"]["total"].is_number(), "{stored}");
    let (status, replied) = send(
        server
            .post(&format!("/api/v1/requests/{id}/actions"))
            .json(&json!({"action": "reply", "body": "Guten Tag Frau Schulz"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{replied}");
    assert!(replied["first_response_at"].is_string());
    let (status, _) = send(
        server
            .post(&format!("/api/v1/requests/{id}/actions"))
            .json(&json!({"action": "resolve"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = send(
        server
            .post(&format!("/api/v1/requests/{id}/actions"))
            .json(&json!({"action": "resolve"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    only_problem(&body, "status", "rule");
    let stats = server.get_json("/api/v1/queue-stats").await;
    assert_eq!(stats["overall"]["requests"], 1);
    assert_eq!(stats["overall"]["responded"], 1);
}
