//! The JSON API under `/api/v1` over real HTTP: status codes, bodies, and that rejected input
//! writes nothing.

mod common;

use common::{Server, input, names, with_query};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LOCATION};
use serde_json::{Value, json};

/// Sends a request and returns its status and body; an empty body is `Value::Null`.
async fn send(request: common::Request) -> (StatusCode, Value) {
    let response = request.send().await.expect("send request");
    let status = response.status();
    let text = response.text().await.expect("read response body");
    if text.is_empty() {
        return (status, Value::Null);
    }
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("response ({status}) is not JSON: {e}: {text}"));
    (status, body)
}

/// The entries of an error body's `errors`, checking the body has the common shape.
fn errors(body: &Value) -> &Vec<Value> {
    assert!(body["message"].is_string(), "no message in {body}");
    body["errors"].as_array().expect("errors is an array")
}

/// The fields an error body names, in order.
fn fields(body: &Value) -> Vec<&str> {
    errors(body)
        .iter()
        .map(|e| e["field"].as_str().expect("field is a string"))
        .collect()
}

/// Asserts the error body has exactly one problem, with this field and code; returns it.
fn only_problem<'a>(body: &'a Value, field: &str, code: &str) -> &'a Value {
    let errors = errors(body);
    assert_eq!(errors.len(), 1, "expected one problem in {body}");
    let problem = &errors[0];
    assert_eq!(problem["field"], field, "{body}");
    assert_eq!(problem["code"], code, "{body}");
    assert!(
        problem["message"].as_str().is_some_and(|m| !m.is_empty()),
        "problem without message: {body}"
    );
    problem
}

/// Posts raw bytes as a touchpoint with the given content type.
async fn post_raw(server: &Server, content_type: &str, body: &str) -> (StatusCode, Value) {
    send(
        server
            .post("/api/v1/touchpoints")
            .header(CONTENT_TYPE, content_type)
            .body(body.to_owned()),
    )
    .await
}

/// Posts JSON as a new touchpoint.
async fn post_json(server: &Server, body: &Value) -> (StatusCode, Value) {
    send(server.post("/api/v1/touchpoints").json(body)).await
}

// --- create, read, list -------------------------------------------------------------------

#[tokio::test]
async fn create_answers_201_with_location_and_fills_defaults() {
    let server = Server::start().await;
    let response = server
        .post("/api/v1/touchpoints")
        .json(&input("Kassenbereich"))
        .send()
        .await
        .expect("send create");
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response
        .headers()
        .get(LOCATION)
        .expect("a Location header")
        .to_str()
        .expect("Location is text")
        .to_owned();
    let body: Value = response.json().await.expect("JSON body");

    let id = body["id"].as_i64().expect("an id");
    assert_eq!(location, format!("/api/v1/touchpoints/{id}"));
    assert_eq!(body["name"], "Kassenbereich");
    assert_eq!(body["channel"], "store");
    assert_eq!(body["phase"], "during-purchase");
    assert_eq!(body["kind"], "physical", "kind comes from the channel");
    assert_eq!(body["status"], "active");
    assert_eq!(
        body["importance"],
        json!({"experience": 3, "loyalty": 3, "referral": 3})
    );
    assert_eq!(body["brand_fit"], 3);
    assert_eq!(body["description"], "");
    assert_eq!(body["target_groups"], json!([]));
    assert!(body["created_at"].is_string(), "{body}");
    assert_eq!(body["created_at"], body["updated_at"]);
}

#[tokio::test]
async fn create_trims_text_and_keeps_an_explicit_kind() {
    let server = Server::start().await;
    let body = server
        .create(&json!({
            "name": "  Website-Chat  ",
            "channel": "website",
            "kind": "communication",
            "phase": "before-purchase",
            "target_groups": ["Familien", " familien ", "Senioren"],
        }))
        .await;
    assert_eq!(body["name"], "Website-Chat");
    assert_eq!(body["kind"], "communication");
    assert_eq!(body["target_groups"], json!(["Familien", "Senioren"]));
}

#[tokio::test]
async fn get_returns_what_create_returned() {
    let server = Server::start().await;
    let created = server
        .create(&json!({
            "name": "Hotline",
            "description": "Rückrufe für Bestandskunden",
            "channel": "phone",
            "phase": "after-purchase",
            "owner": "Kundenservice",
            "regions": ["Süd"],
            "status": "planned",
            "importance": {"experience": 5, "loyalty": 4, "referral": 2},
            "brand_fit": 1,
            "notes": "zweite Zeile\nmit Umbruch",
        }))
        .await;
    let id = created["id"].as_i64().expect("an id");
    let fetched = server.get_json(&format!("/api/v1/touchpoints/{id}")).await;
    assert_eq!(fetched, created);
    assert_eq!(fetched["kind"], "communication");
    assert_eq!(fetched["importance"]["referral"], 2);
}

/// Three touchpoints that each filter tells apart.
async fn three_touchpoints(server: &Server) {
    server
        .create(&json!({
            "name": "Kassenbereich", "channel": "store", "phase": "during-purchase",
            "owner": "Filialteam", "target_groups": ["Familien"], "regions": ["Nord"],
        }))
        .await;
    server
        .create(&json!({
            "name": "Hotline", "channel": "phone", "phase": "after-purchase",
            "owner": "Kundenservice", "target_groups": ["Senioren"], "regions": ["Süd"],
            "status": "planned",
        }))
        .await;
    server
        .create(&json!({
            "name": "Website-Chat", "channel": "website", "kind": "communication",
            "phase": "before-purchase", "owner": "Online-Team",
            "target_groups": ["FAMILIEN"], "regions": ["Nord"], "status": "retired",
        }))
        .await;
}

async fn listed(server: &Server, query: &[(&str, &str)]) -> Vec<String> {
    let (status, body) = send(server.get(&with_query("/api/v1/touchpoints", query))).await;
    assert_eq!(status, StatusCode::OK, "{query:?}: {body}");
    names(body.as_array().expect("an array"))
}

#[tokio::test]
async fn list_without_filter_returns_all_by_name() {
    let server = Server::start().await;
    three_touchpoints(&server).await;
    assert_eq!(
        listed(&server, &[]).await,
        ["Hotline", "Kassenbereich", "Website-Chat"]
    );
}

#[tokio::test]
async fn list_filters_by_channel_phase_status_and_kind() {
    let server = Server::start().await;
    three_touchpoints(&server).await;
    assert_eq!(
        listed(&server, &[("channel", "store")]).await,
        ["Kassenbereich"]
    );
    assert_eq!(
        listed(&server, &[("phase", "after-purchase")]).await,
        ["Hotline"]
    );
    assert_eq!(listed(&server, &[("status", "planned")]).await, ["Hotline"]);
    assert_eq!(
        listed(&server, &[("status", "retired")]).await,
        ["Website-Chat"]
    );
    assert_eq!(
        listed(&server, &[("kind", "communication")]).await,
        ["Hotline", "Website-Chat"]
    );
    assert_eq!(
        listed(&server, &[("channel", "app")]).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn list_filters_by_owner_group_and_region_without_regard_to_case() {
    let server = Server::start().await;
    three_touchpoints(&server).await;
    assert_eq!(
        listed(&server, &[("owner", "KUNDENSERVICE")]).await,
        ["Hotline"]
    );
    assert_eq!(
        listed(&server, &[("group", "familien")]).await,
        ["Kassenbereich", "Website-Chat"]
    );
    assert_eq!(listed(&server, &[("region", "SÜD")]).await, ["Hotline"]);
    assert_eq!(
        listed(&server, &[("region", "nord"), ("kind", "communication")]).await,
        ["Website-Chat"],
        "every criterion must hold"
    );
    assert_eq!(
        listed(&server, &[("owner", ""), ("group", " ")])
            .await
            .len(),
        3,
        "empty criteria are ignored"
    );
}

#[tokio::test]
async fn list_search_finds_words_with_umlauts_in_any_case() {
    let server = Server::start().await;
    server
        .create(&json!({
            "name": "Küchenplanung im Möbelhaus", "channel": "store",
            "phase": "before-purchase", "description": "Beratung für Familien",
        }))
        .await;
    server
        .create(&json!({
            "name": "Kundenhotline", "channel": "phone", "phase": "after-purchase",
            "notes": "Wartezeit an Samstagen",
        }))
        .await;
    assert_eq!(
        listed(&server, &[("q", "KÜCHEN")]).await,
        ["Küchenplanung im Möbelhaus"]
    );
    assert_eq!(
        listed(&server, &[("q", "möbelhaus FÜR")]).await,
        ["Küchenplanung im Möbelhaus"],
        "every word must occur, in name or description"
    );
    assert_eq!(
        listed(&server, &[("q", "samstagen")]).await,
        ["Kundenhotline"],
        "notes are searched"
    );
    assert_eq!(
        listed(&server, &[("q", "küchen samstagen")]).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn list_search_matches_wildcard_characters_literally() {
    let server = Server::start().await;
    server
        .create(&json!({
            "name": "Rabatt 50% Aktion", "channel": "newsletter", "phase": "before-purchase",
        }))
        .await;
    server.create(&input("Kassenbereich")).await;
    assert_eq!(listed(&server, &[("q", "%")]).await, ["Rabatt 50% Aktion"]);
    assert_eq!(
        listed(&server, &[("q", "_")]).await,
        Vec::<String>::new(),
        "'_' is no single-character wildcard"
    );
}

#[tokio::test]
async fn list_orders_names_as_german_dictionaries_do() {
    let server = Server::start().await;
    for name in ["Zahlung", "Kundenhotline", "Küchenplanung"] {
        server.create(&input(name)).await;
    }
    assert_eq!(
        names(&server.list().await),
        ["Küchenplanung", "Kundenhotline", "Zahlung"]
    );
}

// --- update, history, retire, delete ------------------------------------------------------

#[tokio::test]
async fn update_records_only_the_changed_fields_newest_first() {
    let server = Server::start().await;
    let mut body = input("Kassenbereich");
    body["owner"] = json!("Filialteam");
    let created = server.create(&body).await;
    let id = created["id"].as_i64().expect("an id");

    body["owner"] = json!("Zentrale");
    body["brand_fit"] = json!(5);
    let (status, updated) =
        send(server.put(&format!("/api/v1/touchpoints/{id}")).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["id"], id);
    assert_eq!(updated["owner"], "Zentrale");
    assert_eq!(updated["brand_fit"], 5);
    assert_eq!(updated["created_at"], created["created_at"]);
    assert_eq!(
        server.get_json(&format!("/api/v1/touchpoints/{id}")).await,
        updated
    );

    let history = server
        .get_json(&format!("/api/v1/touchpoints/{id}/history"))
        .await;
    let history = history.as_array().expect("an array");
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0]["action"], "updated");
    assert_eq!(history[0]["actor"], "token:tests", "the token that wrote");
    assert_eq!(history[0]["touchpoint_id"], id);
    assert_eq!(
        history[0]["changes"],
        json!([
            {"field": "owner", "before": "Filialteam", "after": "Zentrale"},
            {"field": "brand_fit", "before": "3", "after": "5"},
        ])
    );
    assert_eq!(history[1]["action"], "created");
    assert!(
        history[1]["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .any(|c| c["field"] == "name" && c["after"] == "Kassenbereich"),
        "{history:?}"
    );
}

#[tokio::test]
async fn update_without_changes_adds_no_history() {
    let server = Server::start().await;
    let created = server.create(&input("Kassenbereich")).await;
    let id = created["id"].as_i64().expect("an id");
    let (status, body) = send(
        server
            .put(&format!("/api/v1/touchpoints/{id}"))
            .json(&input("  Kassenbereich ")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, created);
    let history = server
        .get_json(&format!("/api/v1/touchpoints/{id}/history"))
        .await;
    assert_eq!(history.as_array().expect("an array").len(), 1);
}

#[tokio::test]
async fn retire_sets_the_status_and_is_recorded() {
    let server = Server::start().await;
    let id = server.create(&input("Kassenbereich")).await["id"]
        .as_i64()
        .expect("an id");
    let (status, body) = send(server.post(&format!("/api/v1/touchpoints/{id}/retire"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "retired");
    assert_eq!(
        server.get_json(&format!("/api/v1/touchpoints/{id}")).await["status"],
        "retired"
    );
    let history = server
        .get_json(&format!("/api/v1/touchpoints/{id}/history"))
        .await;
    assert_eq!(history[0]["action"], "retired");
    assert_eq!(
        history[0]["changes"],
        json!([{"field": "status", "before": "active", "after": "retired"}])
    );

    // Retiring again changes nothing and records nothing.
    let (status, again) = send(server.post(&format!("/api/v1/touchpoints/{id}/retire"))).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again, body);
    let history = server
        .get_json(&format!("/api/v1/touchpoints/{id}/history"))
        .await;
    assert_eq!(history.as_array().expect("an array").len(), 2);
}

#[tokio::test]
async fn delete_removes_the_touchpoint_but_keeps_its_history() {
    let server = Server::start().await;
    let id = server.create(&input("Kassenbereich")).await["id"]
        .as_i64()
        .expect("an id");
    let path = format!("/api/v1/touchpoints/{id}");

    let (status, body) = send(server.delete(&path)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(body, Value::Null, "204 has no body");

    let (status, body) = send(server.get(&path)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(errors(&body).len(), 0);
    assert_eq!(server.count().await, 0);

    let history = server.get_json(&format!("{path}/history")).await;
    let history = history.as_array().expect("an array");
    let actions: Vec<&Value> = history.iter().map(|e| &e["action"]).collect();
    assert_eq!(actions, [&json!("deleted"), &json!("created")]);
    assert_eq!(
        history[0]["changes"],
        json!([{"field": "name", "before": "Kassenbereich", "after": ""}])
    );

    let (status, _) = send(server.delete(&path)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "deleting twice");
}

#[tokio::test]
async fn unknown_id_is_not_found_for_every_operation() {
    let server = Server::start().await;
    server.create(&input("Kassenbereich")).await;
    let path = "/api/v1/touchpoints/4711";
    for (what, request) in [
        ("GET", server.get(path)),
        ("PUT", server.put(path).json(&input("Anderer Name"))),
        ("DELETE", server.delete(path)),
        ("retire", server.post(&format!("{path}/retire"))),
        ("history", server.get(&format!("{path}/history"))),
    ] {
        let (status, body) = send(request).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{what}: {body}");
        assert_eq!(body["message"], "touchpoint not found", "{what}");
        assert_eq!(errors(&body).len(), 0, "{what}");
    }
    assert_eq!(names(&server.list().await), ["Kassenbereich"]);
}

#[tokio::test]
async fn unknown_api_path_is_a_json_404() {
    let server = Server::start().await;
    let response = server
        .get("/api/v1/touchpunkte")
        .send()
        .await
        .expect("send");
    assert!(
        response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"))
    );
    let (status, body) = send(server.get("/api/v1/touchpunkte")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["message"], "API endpoint not found");
    assert_eq!(errors(&body).len(), 0);
}

// --- bad input: each is rejected and writes nothing ---------------------------------------

#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let server = Server::start().await;
    for body in [
        r#"{"name": "#,
        "nicht json",
        r#"{"name":"x","channel":"store","phase":"during-purchase"} trailing"#,
        "",
    ] {
        let (status, answer) = post_raw(&server, "application/json", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body:?}: {answer}");
        assert!(
            answer["message"]
                .as_str()
                .is_some_and(|m| m.contains("malformed JSON")),
            "{answer}"
        );
        assert_eq!(errors(&answer).len(), 0);
    }
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn body_of_another_content_type_is_unsupported() {
    let server = Server::start().await;
    let valid = input("Kassenbereich").to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/jsonx",
    ] {
        let (status, body) = post_raw(&server, content_type, &valid).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}: {body}"
        );
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("application/json")),
            "{body}"
        );
    }
    let (status, _) = send(server.post("/api/v1/touchpoints").body(valid.clone())).await;
    assert_eq!(
        status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "no Content-Type at all"
    );
    assert_eq!(server.count().await, 0);

    // A charset parameter is fine.
    let (status, body) = post_raw(&server, "application/json; charset=utf-8", &valid).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn wrong_type_is_unprocessable_naming_the_field() {
    let server = Server::start().await;
    let mut body = input("Kassenbereich");
    body["brand_fit"] = json!("hoch");
    let (status, answer) = post_json(&server, &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let problem = only_problem(&answer, "brand_fit", "invalid");
    assert!(
        problem["reason"]
            .as_str()
            .is_some_and(|r| r.contains("invalid type")),
        "{answer}"
    );
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn nested_wrong_type_names_the_dotted_path() {
    let server = Server::start().await;
    let mut body = input("Kassenbereich");
    body["importance"] = json!({"loyalty": "x"});
    let (status, answer) = post_json(&server, &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    only_problem(&answer, "importance.loyalty", "invalid");
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn missing_name_is_required() {
    let server = Server::start().await;
    let (status, answer) = post_json(
        &server,
        &json!({"channel": "store", "phase": "during-purchase"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    only_problem(&answer, "name", "required");
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn unknown_field_is_named() {
    let server = Server::start().await;
    let mut top = input("Kassenbereich");
    top["colour"] = json!("red");
    let mut nested = input("Kassenbereich");
    nested["importance"] = json!({"loyalty": 4, "joy": 5});
    for (body, field) in [(top, "colour"), (nested, "importance.joy")] {
        let (status, answer) = post_json(&server, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        let problem = only_problem(&answer, field, "invalid");
        assert!(
            problem["reason"]
                .as_str()
                .is_some_and(|r| r.starts_with("unknown field")),
            "{answer}"
        );
    }
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn unknown_enum_values_name_their_field() {
    let server = Server::start().await;
    for (field, value) in [("status", "vielleicht"), ("kind", "hologram")] {
        let mut body = input("Kassenbereich");
        body[field] = json!(value);
        let (status, answer) = post_json(&server, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        let problem = only_problem(&answer, field, "invalid");
        assert!(
            problem["reason"]
                .as_str()
                .is_some_and(|r| r.contains(value)),
            "{answer}"
        );
    }
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn unknown_channel_is_reported_with_the_allowed_keys() {
    let server = Server::start().await;
    let mut body = input("Kassenbereich");
    body["channel"] = json!("fax");
    let (status, answer) = post_json(&server, &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let problem = only_problem(&answer, "channel", "unknown");
    assert_eq!(problem["value"], "fax");
    let allowed = problem["allowed"].as_array().expect("allowed keys");
    assert!(allowed.contains(&json!("store")), "{answer}");
    assert!(allowed.contains(&json!("phone")), "{answer}");
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn unknown_phase_is_reported() {
    let server = Server::start().await;
    let mut body = input("Kassenbereich");
    body["phase"] = json!("irgendwann");
    let (status, answer) = post_json(&server, &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    only_problem(&answer, "phase", "unknown");
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn scale_outside_one_to_five_is_out_of_range() {
    let server = Server::start().await;
    for value in [0, 6, -1, 300] {
        let mut body = input("Kassenbereich");
        body["brand_fit"] = json!(value);
        let (status, answer) = post_json(&server, &body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{value}: {answer}"
        );
        let problem = only_problem(&answer, "brand_fit", "out_of_range");
        assert_eq!(problem["min"], 1);
        assert_eq!(problem["max"], 5);

        let mut body = input("Kassenbereich");
        body["importance"] = json!({"experience": value});
        let (status, answer) = post_json(&server, &body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{value}: {answer}"
        );
        only_problem(&answer, "importance.experience", "out_of_range");
    }
    assert_eq!(server.count().await, 0);
    for value in [1, 5] {
        let mut body = input(&format!("Grenze {value}"));
        body["brand_fit"] = json!(value);
        body["importance"] = json!({"referral": value});
        let created = server.create(&body).await;
        assert_eq!(created["brand_fit"], value);
        assert_eq!(created["importance"]["referral"], value);
    }
}

#[tokio::test]
async fn name_longer_than_120_characters_is_too_long() {
    let server = Server::start().await;
    // Umlauts take two bytes each, so the limit must count characters, not bytes.
    let too_long = "Ä".repeat(121);
    let (status, answer) = post_json(&server, &input(&too_long)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let problem = only_problem(&answer, "name", "too_long");
    assert_eq!(problem["max"], 120);
    assert_eq!(server.count().await, 0);

    let longest = "Ü".repeat(120);
    assert_eq!(longest.len(), 240, "bytes");
    let created = server.create(&input(&longest)).await;
    assert_eq!(created["name"], longest.as_str());
}

#[tokio::test]
async fn blank_name_is_required() {
    let server = Server::start().await;
    let (status, answer) = post_json(&server, &input("   ")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    only_problem(&answer, "name", "required");
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn several_problems_are_reported_together() {
    let server = Server::start().await;
    let (status, answer) = post_json(
        &server,
        &json!({
            "name": "  ",
            "channel": "fax",
            "phase": "",
            "importance": {"loyalty": 0},
            "brand_fit": 9,
            "regions": ["Nord", "x".repeat(61)],
        }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(
        fields(&answer),
        [
            "name",
            "channel",
            "phase",
            "regions[1]",
            "importance.loyalty",
            "brand_fit"
        ]
    );
    let codes: Vec<&Value> = errors(&answer).iter().map(|e| &e["code"]).collect();
    assert_eq!(
        codes,
        [
            "required",
            "unknown",
            "required",
            "too_long",
            "out_of_range",
            "out_of_range"
        ]
    );
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn duplicate_name_is_a_conflict_naming_the_field() {
    let server = Server::start().await;
    server.create(&input("Hotline Kundenservice")).await;
    let (status, answer) = post_json(&server, &input("  hotline   KUNDENSERVICE ")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    only_problem(&answer, "name", "duplicate");
    assert_eq!(names(&server.list().await), ["Hotline Kundenservice"]);

    // Case is folded beyond ASCII.
    server.create(&input("Über uns")).await;
    let (status, answer) = post_json(&server, &input("ÜBER UNS")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    only_problem(&answer, "name", "duplicate");
    assert_eq!(server.count().await, 2);
}

#[tokio::test]
async fn renaming_onto_another_name_is_a_conflict_and_changes_nothing() {
    let server = Server::start().await;
    server.create(&input("Kassenbereich")).await;
    let other = server.create(&input("Umkleide")).await;
    let id = other["id"].as_i64().expect("an id");

    let mut body = input("KASSENBEREICH");
    body["owner"] = json!("Filialteam");
    let (status, answer) = send(server.put(&format!("/api/v1/touchpoints/{id}")).json(&body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    only_problem(&answer, "name", "duplicate");

    assert_eq!(
        server.get_json(&format!("/api/v1/touchpoints/{id}")).await,
        other
    );
    let history = server
        .get_json(&format!("/api/v1/touchpoints/{id}/history"))
        .await;
    assert_eq!(history.as_array().expect("an array").len(), 1);
}

#[tokio::test]
async fn invalid_update_changes_nothing() {
    let server = Server::start().await;
    let created = server.create(&input("Kassenbereich")).await;
    let id = created["id"].as_i64().expect("an id");
    let path = format!("/api/v1/touchpoints/{id}");

    let mut body = input("Kassenbereich neu");
    body["brand_fit"] = json!(0);
    let (status, answer) = send(server.put(&path).json(&body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    only_problem(&answer, "brand_fit", "out_of_range");

    let (status, answer) = send(
        server
            .put(&path)
            .header(CONTENT_TYPE, "application/json")
            .body("{\"name\":"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");

    assert_eq!(server.get_json(&path).await, created);
    let history = server.get_json(&format!("{path}/history")).await;
    assert_eq!(history.as_array().expect("an array").len(), 1);
}

#[tokio::test]
async fn body_over_the_limit_is_payload_too_large() {
    let server = Server::start().await;
    let mut body = input("Kassenbereich");
    body["description"] = json!("x".repeat(4 * 1024 * 1024));
    let (status, answer) = post_json(&server, &body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert!(answer["message"].is_string(), "{answer}");
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn non_numeric_id_gets_the_common_error_body() {
    let server = Server::start().await;
    let (status, body) = send(server.get("/api/v1/touchpoints/abc")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(errors(&body).len(), 0);
}

#[tokio::test]
async fn unknown_filter_value_gets_the_common_error_body() {
    let server = Server::start().await;
    let (status, body) = send(server.get(&with_query(
        "/api/v1/touchpoints",
        &[("status", "vielleicht")],
    )))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["status"]);
}

#[tokio::test]
async fn unsupported_method_gets_the_common_error_body() {
    let server = Server::start().await;
    let id = server.create(&input("Kassenbereich")).await["id"]
        .as_i64()
        .expect("an id");
    let (status, body) = send(
        server
            .request(reqwest::Method::PATCH, &format!("/api/v1/touchpoints/{id}"))
            .json(&json!({"owner": "Zentrale"})),
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    errors(&body);
}

// --- catalog ------------------------------------------------------------------------------

fn keys(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|e| e["key"].as_str().expect("a key"))
        .collect()
}

#[tokio::test]
async fn channels_list_the_defaults_in_display_order() {
    let server = Server::start().await;
    let channels = server.get_json("/api/v1/channels").await;
    assert_eq!(
        keys(&channels),
        [
            "store",
            "event",
            "field-service",
            "website",
            "online-shop",
            "app",
            "social-media",
            "phone",
            "email",
            "newsletter",
            "chat",
            "chatbot",
            "letter"
        ]
    );
    assert_eq!(
        channels[0],
        json!({"key": "store", "label_de": "Filiale", "label_en": "Store",
               "kind": "physical", "position": 10})
    );
}

#[tokio::test]
async fn phases_list_the_defaults_in_journey_order() {
    let server = Server::start().await;
    let phases = server.get_json("/api/v1/phases").await;
    assert_eq!(
        keys(&phases),
        ["before-purchase", "during-purchase", "after-purchase"]
    );
    let stages: Vec<&Value> = phases
        .as_array()
        .expect("an array")
        .iter()
        .map(|p| &p["stage"])
        .collect();
    assert_eq!(
        stages,
        [
            &json!("before_purchase"),
            &json!("during_purchase"),
            &json!("after_purchase")
        ]
    );
}

#[tokio::test]
async fn put_channel_creates_it_and_touchpoints_can_use_it() {
    let server = Server::start().await;
    let channel = json!({"label_de": "Marktplatz", "label_en": "Marketplace",
                         "kind": "digital", "position": 55});
    let (status, body) = send(server.put("/api/v1/channels/marketplace").json(&channel)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["key"], "marketplace");
    assert_eq!(body["label_en"], "Marketplace");

    let channels = server.get_json("/api/v1/channels").await;
    let keys = keys(&channels);
    let at = keys
        .iter()
        .position(|k| *k == "marketplace")
        .expect("listed");
    assert_eq!(keys[at - 1], "online-shop", "ordered by position");
    assert_eq!(keys[at + 1], "app", "ordered by position");

    let created = server
        .create(&json!({"name": "Shop bei Otto", "channel": "marketplace",
                        "phase": "during-purchase"}))
        .await;
    assert_eq!(created["kind"], "digital");

    // Putting again updates in place.
    let mut changed = channel.clone();
    changed["label_de"] = json!("Online-Marktplatz");
    changed["key"] = json!("marketplace");
    let (status, body) = send(server.put("/api/v1/channels/marketplace").json(&changed)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let channels = server.get_json("/api/v1/channels").await;
    let stored: Vec<&Value> = channels
        .as_array()
        .expect("an array")
        .iter()
        .filter(|c| c["key"] == "marketplace")
        .collect();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["label_de"], "Online-Marktplatz");
}

#[tokio::test]
async fn put_channel_with_another_key_in_the_body_is_rejected() {
    let server = Server::start().await;
    let (status, body) = send(server.put("/api/v1/channels/marketplace").json(&json!({
        "key": "bazaar", "label_de": "Marktplatz", "label_en": "Marketplace", "kind": "digital",
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let problem = only_problem(&body, "key", "invalid");
    assert!(
        problem["reason"]
            .as_str()
            .is_some_and(|r| r.contains("marketplace")),
        "{body}"
    );
    let channels = server.get_json("/api/v1/channels").await;
    let keys = keys(&channels);
    assert!(!keys.contains(&"marketplace") && !keys.contains(&"bazaar"));
}

#[tokio::test]
async fn put_channel_with_an_invalid_key_is_rejected() {
    let server = Server::start().await;
    let (status, body) = send(server.put("/api/v1/channels/Mein%20Kanal").json(&json!({
        "label_de": "Mein Kanal", "label_en": "My channel", "kind": "digital",
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    only_problem(&body, "key", "invalid");
    let channels = server.get_json("/api/v1/channels").await;
    assert_eq!(keys(&channels).len(), 13);
}

#[tokio::test]
async fn put_channel_reports_every_missing_label_and_bad_kind() {
    let server = Server::start().await;
    let (status, body) = send(server.put("/api/v1/channels/marketplace").json(&json!({
        "label_de": " ", "label_en": "", "kind": "digital",
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["label_de", "label_en"]);

    let (status, body) = send(server.put("/api/v1/channels/marketplace").json(&json!({
        "label_de": "Marktplatz", "label_en": "Marketplace", "kind": "hologram",
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    only_problem(&body, "kind", "invalid");
    assert_eq!(keys(&server.get_json("/api/v1/channels").await).len(), 13);
}

#[tokio::test]
async fn deleting_a_channel_in_use_is_a_conflict() {
    let server = Server::start().await;
    server.create(&input("Kassenbereich")).await;
    server.create(&input("Umkleide")).await;
    let (status, body) = send(server.delete("/api/v1/channels/store")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let problem = only_problem(&body, "key", "in_use");
    assert_eq!(problem["count"], 2);
    assert!(keys(&server.get_json("/api/v1/channels").await).contains(&"store"));
    assert_eq!(server.count().await, 2);
}

#[tokio::test]
async fn deleting_an_unused_channel_answers_204() {
    let server = Server::start().await;
    let (status, body) = send(server.delete("/api/v1/channels/letter")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(body, Value::Null);
    assert!(!keys(&server.get_json("/api/v1/channels").await).contains(&"letter"));
}

#[tokio::test]
async fn deleting_an_unknown_channel_is_not_found() {
    let server = Server::start().await;
    let (status, body) = send(server.delete("/api/v1/channels/fax")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["message"], "channel not found");
    assert_eq!(keys(&server.get_json("/api/v1/channels").await).len(), 13);
}

#[tokio::test]
async fn put_phase_places_it_in_journey_order() {
    let server = Server::start().await;
    let (status, body) = send(server.put("/api/v1/phases/awareness").json(&json!({
        "label_de": "Aufmerksamkeit", "label_en": "Awareness",
        "stage": "before_purchase", "position": 5,
    })))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        keys(&server.get_json("/api/v1/phases").await),
        [
            "awareness",
            "before-purchase",
            "during-purchase",
            "after-purchase"
        ]
    );
}

#[tokio::test]
async fn deleting_phases_follows_the_channel_rules() {
    let server = Server::start().await;
    server.create(&input("Kassenbereich")).await;
    let (status, body) = send(server.delete("/api/v1/phases/during-purchase")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    only_problem(&body, "key", "in_use");
    let (status, _) = send(server.delete("/api/v1/phases/after-purchase")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = send(server.delete("/api/v1/phases/after-purchase")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["message"], "phase not found");
    assert_eq!(
        keys(&server.get_json("/api/v1/phases").await),
        ["before-purchase", "during-purchase"]
    );
}

// --- journey map --------------------------------------------------------------------------

#[tokio::test]
async fn journey_map_lays_touchpoints_out_by_channel_and_phase() {
    let server = Server::start().await;
    three_touchpoints(&server).await;
    let map = server.get_json("/api/v1/journey-map").await;
    assert_eq!(
        keys(&map["phases"]),
        ["before-purchase", "during-purchase", "after-purchase"]
    );
    let rows = map["rows"].as_array().expect("rows");
    let row_keys: Vec<&Value> = rows.iter().map(|r| &r["channel"]["key"]).collect();
    assert_eq!(
        row_keys,
        [&json!("store"), &json!("website"), &json!("phone")],
        "only channels with touchpoints, in catalog order"
    );
    assert_eq!(rows[0]["cells"][1][0]["name"], "Kassenbereich");
    assert_eq!(rows[0]["cells"][0], json!([]));
    assert_eq!(rows[2]["cells"][2][0]["name"], "Hotline");

    let map = server.get_json("/api/v1/journey-map?status=planned").await;
    assert_eq!(map["rows"].as_array().expect("rows").len(), 1);
}

// --- OpenAPI ------------------------------------------------------------------------------

/// Every operation the API router serves under `/api/v1`, as (method, path). The document
/// does not describe itself (`GET /api/v1/openapi.json`).
const OPERATIONS: [(&str, &str); 56] = [
    ("get", "/api/v1/touchpoints"),
    ("post", "/api/v1/touchpoints"),
    ("get", "/api/v1/touchpoints/{id}"),
    ("put", "/api/v1/touchpoints/{id}"),
    ("delete", "/api/v1/touchpoints/{id}"),
    ("post", "/api/v1/touchpoints/{id}/retire"),
    ("get", "/api/v1/touchpoints/{id}/history"),
    ("get", "/api/v1/journey-map"),
    ("get", "/api/v1/channels"),
    ("put", "/api/v1/channels/{key}"),
    ("delete", "/api/v1/channels/{key}"),
    ("get", "/api/v1/phases"),
    ("put", "/api/v1/phases/{key}"),
    ("delete", "/api/v1/phases/{key}"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/guideline"),
    ("put", "/api/v1/guideline"),
    ("get", "/api/v1/content"),
    ("post", "/api/v1/content"),
    ("get", "/api/v1/content/{id}"),
    ("put", "/api/v1/content/{id}"),
    ("delete", "/api/v1/content/{id}"),
    ("get", "/api/v1/findings"),
    ("post", "/api/v1/findings/check"),
    ("put", "/api/v1/findings/{id}/status"),
    ("get", "/api/v1/surveys"),
    ("post", "/api/v1/surveys"),
    ("get", "/api/v1/surveys/{id}"),
    ("put", "/api/v1/surveys/{id}"),
    ("delete", "/api/v1/surveys/{id}"),
    ("get", "/api/v1/responses"),
    ("post", "/api/v1/responses"),
    ("post", "/api/v1/customer-events"),
    ("get", "/api/v1/kpis"),
    ("get", "/api/v1/kpis/customers"),
    ("get", "/api/v1/kpis/matrix"),
    ("post", "/api/v1/requests"),
    ("get", "/api/v1/requests"),
    ("get", "/api/v1/requests/{id}"),
    ("post", "/api/v1/requests/{id}/actions"),
    ("get", "/api/v1/customers"),
    ("get", "/api/v1/customers/{id}"),
    ("put", "/api/v1/customers/{id}"),
    ("post", "/api/v1/customers/{id}/identifiers"),
    ("post", "/api/v1/customers/{id}/merge"),
    ("post", "/api/v1/customer-merges/{id}/undo"),
    ("get", "/api/v1/sla-policies"),
    ("put", "/api/v1/sla-policies"),
    ("delete", "/api/v1/sla-policies/{channel}/{priority}"),
    ("get", "/api/v1/calendar"),
    ("put", "/api/v1/calendar"),
    ("get", "/api/v1/priority-weights"),
    ("put", "/api/v1/priority-weights"),
    ("get", "/api/v1/request-sources"),
    ("put", "/api/v1/request-sources"),
    ("get", "/api/v1/queue-stats"),
];

#[tokio::test]
async fn openapi_document_describes_every_operation() {
    let server = Server::start().await;
    let response = server
        .get("/api/v1/openapi.json")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"))
    );
    let document: Value = response.json().await.expect("the document is JSON");
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.")),
        "openapi: {}",
        document["openapi"]
    );
    assert_eq!(document["info"]["title"], "Touchpoints API");

    let paths = document["paths"].as_object().expect("paths");
    let mut documented: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|k| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
                .map(|method| (method.clone(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    documented.sort();
    let mut expected: Vec<(String, String)> = OPERATIONS
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(documented, expected);

    // Every error response points at the one error body.
    for (method, path) in OPERATIONS {
        let operation = &document["paths"][path][method];
        for (code, response) in operation["responses"].as_object().expect("responses") {
            if code.starts_with('4') && response.get("content").is_some() {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{method} {path} {code}"
                );
            }
        }
    }
    assert!(document["components"]["schemas"]["ErrorBody"].is_object());
    assert!(document["components"]["schemas"]["TouchpointInput"].is_object());
}

/// Operations whose success answer has no schema naming a type yet, as "method path status".
/// Their types come from the core, which has no schema for them: `JourneyMap` and the
/// `ResponseFields` of a stored answer. Remove an entry once its type has one.
const UNTYPED_SUCCESS: [&str; 2] = ["get /api/v1/journey-map 200", "get /api/v1/responses 200"];

/// Whether a response schema names its types: a reference to a component that exists, or
/// an array or a choice of such.
fn names_a_type(schema: &Value, document: &Value) -> bool {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{reference} points outside the components"));
        return document["components"]["schemas"][name].is_object();
    }
    if schema["type"] == "array" {
        return names_a_type(&schema["items"], document);
    }
    ["oneOf", "anyOf", "allOf"].iter().any(|key| {
        schema[key]
            .as_array()
            .is_some_and(|choices| choices.iter().all(|c| names_a_type(c, document)))
    })
}

#[tokio::test]
async fn every_success_response_has_a_typed_schema() {
    let server = Server::start().await;
    let document = server.get_json("/api/v1/openapi.json").await;
    let mut untyped = Vec::new();
    let mut checked = 0;
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let Some(responses) = operation["responses"].as_object() else {
                continue;
            };
            for (status, response) in responses {
                // 204 has no body by definition.
                if !status.starts_with('2') || status == "204" {
                    continue;
                }
                let content = response["content"].as_object();
                // Downloads (CSV, XLSX) are files, not JSON; none is under /api/v1 today.
                let download = content.is_some_and(|c| {
                    !c.contains_key("application/json")
                        && c.keys()
                            .all(|t| t == "text/csv" || t.contains("spreadsheet"))
                });
                if download {
                    continue;
                }
                checked += 1;
                let schema = &response["content"]["application/json"]["schema"];
                if !names_a_type(schema, &document) {
                    untyped.push(format!("{method} {path} {status}"));
                }
            }
        }
    }
    assert!(checked >= 40, "only {checked} success responses found");
    untyped.sort();
    assert_eq!(
        untyped, UNTYPED_SUCCESS,
        "success responses without a typed schema"
    );
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    let server = Server::start().await;
    let id = server.create(&input("Kassenbereich")).await["id"]
        .as_i64()
        .expect("an id");
    let channel = json!({"label_de": "Marktplatz", "label_en": "Marketplace", "kind": "digital"});
    let phase = json!({"label_de": "Später", "label_en": "Later", "stage": "after_purchase"});
    // Writes come before the deletes of the same thing, so that each answers 2xx.
    for (method, path) in [
        ("get", "/api/v1/touchpoints"),
        ("post", "/api/v1/touchpoints"),
        ("get", "/api/v1/touchpoints/{id}"),
        ("put", "/api/v1/touchpoints/{id}"),
        ("post", "/api/v1/touchpoints/{id}/retire"),
        ("get", "/api/v1/touchpoints/{id}/history"),
        ("delete", "/api/v1/touchpoints/{id}"),
        ("get", "/api/v1/journey-map"),
        ("get", "/api/v1/channels"),
        ("put", "/api/v1/channels/{key}"),
        ("delete", "/api/v1/channels/{key}"),
        ("get", "/api/v1/phases"),
        ("put", "/api/v1/phases/{key}"),
        ("delete", "/api/v1/phases/{key}"),
        ("get", "/api/v1/audit"),
    ] {
        assert!(OPERATIONS.contains(&(method, path)));
        let url = path
            .replace("{id}", &id.to_string())
            .replace("{key}", "extra");
        let request = match method {
            // The audit log is for admins; the test token may write but is no admin.
            "get" if url.ends_with("/audit") => server.admin_browser().get(&url),
            "get" => server.get(&url),
            "post" if url.ends_with("/touchpoints") => server.post(&url).json(&input("Umkleide")),
            "post" => server.post(&url),
            "put" if url.contains("/touchpoints/") => {
                server.put(&url).json(&input("Kassenbereich 2"))
            }
            "put" if url.contains("/channels/") => server.put(&url).json(&channel),
            "put" => server.put(&url).json(&phase),
            "delete" => server.delete(&url),
            other => panic!("no request for {other}"),
        };
        let (status, body) = send(request).await;
        assert!(status.is_success(), "{method} {url}: {status} {body}");
    }
}

#[tokio::test]
async fn every_library_operation_is_served() {
    let server = Server::start().await;
    let guideline = json!({
        "facts": [{"key": "return-period", "label": "Rückgabefrist", "kind": "duration",
                   "value": "30 Tage", "keywords": ["Rückgabe"]}],
        "tone": {"address": "sie"}
    });
    let (status, body) = send(server.put("/api/v1/guideline").json(&guideline)).await;
    assert!(status.is_success(), "{status} {body}");
    assert_eq!(body["facts"][0]["key"], "return-period");
    let text = json!({"title": "FAQ", "channel": "website", "body": "Rückgabe binnen 14 Tagen."});
    let (status, created) = send(server.post("/api/v1/content").json(&text)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().expect("an id");
    let (status, checked) = send(server.post("/api/v1/findings/check")).await;
    assert!(status.is_success(), "{status} {checked}");
    let finding = checked
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["finding"]["kind"] == "contradicts_guideline")
        .expect("14 days contradict the guideline")
        .clone();
    assert_eq!(finding["finding"]["places"][0]["written"], "14 Tagen");
    let finding_id = finding["id"].as_i64().expect("an id");
    for (method, path) in [
        ("get", "/api/v1/guideline"),
        ("get", "/api/v1/content"),
        ("get", "/api/v1/content/{id}"),
        ("put", "/api/v1/content/{id}"),
        ("get", "/api/v1/findings"),
        ("put", "/api/v1/findings/{id}/status"),
        ("delete", "/api/v1/content/{id}"),
    ] {
        assert!(OPERATIONS.contains(&(method, path)));
        let request = match (method, path) {
            ("put", "/api/v1/findings/{id}/status") => server
                .put(&format!("/api/v1/findings/{finding_id}/status"))
                .json(&json!({"status": "accepted"})),
            ("put", _) => server
                .put(&path.replace("{id}", &id.to_string()))
                .json(&json!({"title": "FAQ", "body": "Rückgabe binnen 30 Tagen."})),
            ("delete", _) => server.delete(&path.replace("{id}", &id.to_string())),
            _ => server.get(&path.replace("{id}", &id.to_string())),
        };
        let (status, body) = send(request).await;
        assert!(status.is_success(), "{method} {path}: {status} {body}");
    }
    // Bad input is named and changes nothing.
    let (status, body) = send(
        server
            .put("/api/v1/guideline")
            .json(&json!({"facts": [{"key": "x", "label": "X", "kind": "duration", "value": "bald", "keywords": []}]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["facts[0].value", "facts[0].keywords"]);
    let (_, kept) = send(server.get("/api/v1/guideline")).await;
    assert_eq!(kept["facts"][0]["key"], "return-period");
    let (status, body) = send(
        server
            .post("/api/v1/content")
            .json(&json!({"title": "", "body": ""})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn openapi_document_matches_the_snapshot() {
    let server = Server::start().await;
    let mut document = server.get_json("/api/v1/openapi.json").await;
    assert_eq!(
        document,
        serde_json::to_value(touchpoints_server::openapi_document()).expect("serializes"),
        "served document is the library's"
    );
    // The crate version changes with every release; the rest of the document should not
    // change unnoticed.
    document["info"]["version"] = json!("[version]");
    insta::assert_json_snapshot!("openapi", document);
}

#[tokio::test]
async fn api_docs_page_renders_the_document() {
    let server = Server::start().await;
    let response = server.get("/api/docs").send().await.expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
    );
    // The template escapes '/' as "&#x2f;", which a browser shows as '/'.
    let html = response.text().await.expect("body").replace("&#x2f;", "/");
    assert!(html.contains("/api/v1/touchpoints"), "{html}");
    assert!(html.contains("/api/v1/openapi.json"));
    assert!(html.contains("ErrorBody"));
}

// --- headers ------------------------------------------------------------------------------

#[tokio::test]
async fn responses_carry_the_security_headers_and_a_request_id() {
    let server = Server::start().await;
    for path in [
        "/api/v1/touchpoints",
        "/api/v1/touchpoints/4711",
        "/api/v1/openapi.json",
        "/journey",
        "/healthz",
    ] {
        let response = server.get(path).send().await.expect("send");
        let headers = response.headers();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_else(|| panic!("{path}: no {name} header"))
        };
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert!(
            header("content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(!header("x-request-id").is_empty(), "{path}");
    }
}

#[tokio::test]
async fn a_given_request_id_is_passed_back() {
    let server = Server::start().await;
    let response = server
        .get("/api/v1/channels")
        .header("x-request-id", "test-4711")
        .send()
        .await
        .expect("send");
    assert_eq!(
        response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("test-4711")
    );
}

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
    let event = |customer: &str, kind: &str, at: &str, cents: Option<i64>| {
        let mut e = json!({"customer_ref": customer, "kind": kind, "at": at});
        if let Some(cents) = cents {
            e["amount_cents"] = json!(cents);
        }
        e
    };
    // Q1: A, B, C join (B and C buy); Q2: B churns, D joins and buys.
    let events = json!({"events": [
        event("A", "activity", "2026-01-10T10:00:00Z", None),
        event("B", "purchase", "2026-02-10T10:00:00Z", Some(10_000)),
        event("C", "purchase", "2026-03-10T10:00:00Z", Some(5_000)),
        event("B", "churn", "2026-04-10T10:00:00Z", None),
        event("D", "purchase", "2026-05-10T10:00:00Z", Some(30_000)),
    ]});
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
async fn a_bad_kpi_query_names_each_parameter() {
    let server = Server::start().await;
    let (status, body) =
        send(server.get("/api/v1/kpis?metric=stars&granularity=hour&from=2026-13-01")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&body), ["metric", "granularity", "from"]);
}

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
