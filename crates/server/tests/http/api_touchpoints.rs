//! Touchpoints in the JSON API over real HTTP: create, read, list with filters, update with
//! its history, retire and delete; invalid input named field by field and writing nothing;
//! the catalog of channels and phases; and the journey map.

use crate::common;

use common::{Server, errors, fields, input, names, only_problem, post_json, send, with_query};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LOCATION};
use serde_json::{Value, json};

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

// --- bad input: each is rejected and writes nothing ---------------------------------------

#[tokio::test]
async fn wrong_type_is_unprocessable_naming_the_field() {
    let server = Server::start().await;
    let mut body = input("Kassenbereich");
    body["brand_fit"] = json!("hoch");
    let (status, answer) = post_json(&server, &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let problem = only_problem(&answer, "brand_fit", "invalid");
    // Said in JSON's words, with no type name of the program's.
    let reason = problem["reason"].as_str().expect("a reason");
    assert!(reason.starts_with("must be "), "{answer}");
    assert!(reason.contains("the text \"hoch\""), "{answer}");
    assert!(
        !reason.contains("u8") && !reason.contains("struct"),
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
    assert_eq!(only_problem(&body, "key", "rule")["rule"], "key-characters");
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
