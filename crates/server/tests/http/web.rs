//! The web UI over real HTTP: languages, forms with their redirects and inline errors, the
//! journey map, search, exports, the catalog page and the health check.

use crate::common;

use common::{Server, input, names, send, two_quarters_of_customer_events, with_query};
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, ACCEPT_LANGUAGE, CONTENT_DISPOSITION, CONTENT_ENCODING, CONTENT_TYPE, COOKIE,
    LOCATION, SET_COOKIE,
};
use serde_json::{Value, json};

/// Sends a request and returns its status, its `Location` (if any) and its body.
async fn fetch(request: common::Request) -> (StatusCode, Option<String>, String) {
    let response = request.send().await.expect("send request");
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|v| v.to_str().expect("Location is text").to_owned());
    let body = response.text().await.expect("read response body");
    (status, location, body)
}

/// A page that must answer 200.
async fn page(server: &Server, path: &str) -> String {
    let (status, _, body) = fetch(server.get(path)).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

/// A complete, valid touchpoint form as the browser sends it, with some fields replaced.
fn form(overrides: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = [
        ("name", "Kassenbereich"),
        ("description", "Kasse mit Wartebereich für Familien"),
        ("channel", "store"),
        ("kind", ""),
        ("phase", "during-purchase"),
        ("owner", "Filialteam"),
        ("target_groups", "Familien, Senioren"),
        ("regions", "Nord"),
        ("status", "active"),
        ("importance_experience", "4"),
        ("importance_loyalty", "3"),
        ("importance_referral", "2"),
        ("brand_fit", "5"),
        ("notes", "Samstags lange Schlangen"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect();
    for (key, value) in overrides {
        let field = fields
            .iter_mut()
            .find(|(k, _)| k == key)
            .unwrap_or_else(|| panic!("no form field {key}"));
        field.1 = (*value).to_owned();
    }
    fields
}

/// Posts the form to `path`.
async fn submit(
    server: &Server,
    path: &str,
    fields: &[(&'static str, String)],
) -> (StatusCode, Option<String>, String) {
    fetch(server.post(path).form(fields)).await
}

/// Creates a touchpoint through the form; returns its id.
async fn create_by_form(server: &Server, fields: &[(&'static str, String)]) -> i64 {
    let (status, location, body) = submit(server, "/touchpoints", fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let location = location.expect("a Location");
    location
        .strip_prefix("/touchpoints/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirect to {location}"))
}

/// The HTML of the journey-map cell of a channel and a phase, if the map has one.
fn cell<'a>(html: &'a str, channel: &str, phase: &str) -> Option<&'a str> {
    let open = format!(r#"<td data-channel="{channel}" data-phase="{phase}">"#);
    let start = html.find(&open)? + open.len();
    let end = html[start..].find("</td>").expect("the cell ends") + start;
    Some(&html[start..end])
}

// --- languages ----------------------------------------------------------------------------

#[tokio::test]
async fn form_speaks_german_to_a_german_browser() {
    let server = Server::start().await;
    let (status, _, html) = fetch(
        server
            .get("/touchpoints/new")
            .header(ACCEPT_LANGUAGE, "de-DE,de;q=0.9,en;q=0.8"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="de">"#));
    assert!(
        html.contains(r#"<label for="channel">Kanal</label>"#),
        "{html}"
    );
    assert!(html.contains("Speichern"));
    assert!(!html.contains(">Save<"));
}

#[tokio::test]
async fn form_speaks_english_to_an_english_browser() {
    let server = Server::start().await;
    let (status, _, html) = fetch(
        server
            .get("/touchpoints/new")
            .header(ACCEPT_LANGUAGE, "en-GB,en;q=0.9"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(
        html.contains(r#"<label for="channel">Channel</label>"#),
        "{html}"
    );
    assert!(html.contains(">Save<"));
    assert!(!html.contains("Speichern"));
}

#[tokio::test]
async fn pages_default_to_german() {
    let server = Server::start().await;
    for accept in [None, Some("fr-FR, it;q=0.5")] {
        let mut request = server.get("/touchpoints/new");
        if let Some(accept) = accept {
            request = request.header(ACCEPT_LANGUAGE, accept);
        }
        let (_, _, html) = fetch(request).await;
        assert!(html.contains(r#"<html lang="de">"#), "{accept:?}");
        assert!(html.contains("Speichern"), "{accept:?}");
    }
}

#[tokio::test]
async fn lang_parameter_is_remembered_in_a_cookie_that_beats_accept_language() {
    let server = Server::start().await;
    let response = server
        .get("/touchpoints/new?lang=en")
        .header(ACCEPT_LANGUAGE, "de-DE")
        .send()
        .await
        .expect("send");
    let cookie = response
        .headers()
        .get(SET_COOKIE)
        .expect("a Set-Cookie header")
        .to_str()
        .expect("cookie is text")
        .to_owned();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    let html = response.text().await.expect("body");
    assert!(html.contains(">Save<"));

    let response = server
        .get("/touchpoints/new")
        .header(ACCEPT_LANGUAGE, "de-DE")
        .header(COOKIE, "theme=dark; lang=en")
        .send()
        .await
        .expect("send");
    assert!(
        response.headers().get(SET_COOKIE).is_none(),
        "only ?lang= sets the cookie"
    );
    let html = response.text().await.expect("body");
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains(r#"<label for="channel">Channel</label>"#));

    // The parameter beats the cookie.
    let (_, _, html) = fetch(
        server
            .get("/touchpoints/new?lang=de")
            .header(COOKIE, "lang=en"),
    )
    .await;
    assert!(html.contains("Speichern"));
}

// --- touchpoint forms ---------------------------------------------------------------------

#[tokio::test]
async fn form_post_creates_and_redirects_to_the_detail_page() {
    let server = Server::start().await;
    let (status, location, _) = submit(&server, "/touchpoints", &form(&[])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let list = server.list().await;
    assert_eq!(names(&list), ["Kassenbereich"]);
    let id = list[0]["id"].as_i64().expect("an id");
    assert_eq!(
        location.as_deref(),
        Some(format!("/touchpoints/{id}").as_str())
    );

    let stored = &list[0];
    assert_eq!(
        stored["kind"], "physical",
        "an empty kind comes from the channel"
    );
    assert_eq!(stored["target_groups"], json!(["Familien", "Senioren"]));
    assert_eq!(
        stored["importance"],
        json!({"experience": 4, "loyalty": 3, "referral": 2})
    );
    assert_eq!(stored["brand_fit"], 5);

    let html = page(&server, &format!("/touchpoints/{id}")).await;
    assert!(html.contains("<h1>Kassenbereich</h1>"), "{html}");
    assert!(html.contains("Kasse mit Wartebereich für Familien"));
    assert!(
        html.contains("<strong>Angelegt</strong>"),
        "a history entry"
    );
    assert!(html.contains("<td>admin</td>"), "the actor: the user name");
}

#[tokio::test]
async fn empty_name_shows_the_form_again_with_the_entered_values() {
    let server = Server::start().await;
    let (status, location, html) = submit(&server, "/touchpoints", &form(&[("name", "  ")])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(location, None);
    assert_eq!(html.matches(r#"aria-invalid="true""#).count(), 1, "{html}");
    assert!(html.contains(r#"<input id="name" name="name" type="text" value="  " required maxlength="120" aria-invalid="true" aria-describedby="name-error">"#), "{html}");
    assert!(html.contains(r#"<p class="field-error" id="name-error">Bitte ausfüllen.</p>"#));
    assert!(html.contains(r#"role="alert""#), "an error summary");
    assert!(html.contains(">Kasse mit Wartebereich für Familien</textarea>"));
    assert!(html.contains(">Samstags lange Schlangen</textarea>"));
    assert!(html.contains(r#"value="Filialteam""#));
    assert!(html.contains(r#"value="Familien, Senioren""#));
    assert!(html.contains(r#"<option value="store" selected>"#));
    assert!(html.contains(r#"<option value="during-purchase" selected>"#));
    assert!(
        html.contains(r#"<option value="5" selected>5</option>"#),
        "brand fit"
    );
    assert!(
        html.contains(r#"action="/touchpoints""#),
        "still the create form"
    );
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn errors_are_shown_in_the_page_language() {
    let server = Server::start().await;
    let (status, _, html) = fetch(
        server
            .post("/touchpoints")
            .header(ACCEPT_LANGUAGE, "en")
            .form(&form(&[("name", "")])),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains(r#"<p class="field-error" id="name-error">Please fill in.</p>"#),
        "{html}"
    );
}

#[tokio::test]
async fn tampered_channel_is_a_field_error_not_a_server_error() {
    let server = Server::start().await;
    let (status, _, html) = submit(&server, "/touchpoints", &form(&[("channel", "fax")])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(
        html.contains(r#"<select id="channel" name="channel" aria-invalid="true""#),
        "{html}"
    );
    assert!(html.contains(r#"<p class="field-error" id="channel-error">"#));
    assert!(html.contains("fax"));
    assert_eq!(server.count().await, 0);
}

/// PostgreSQL text cannot hold NUL: a page request with one is refused before any handler
/// reads it, naming the field, on every store.
#[tokio::test]
async fn a_nul_character_in_a_form_or_query_is_refused_naming_its_field() {
    let server = Server::start().await;
    let (status, _, html) =
        submit(&server, "/touchpoints", &form(&[("channel", "store\u{0}")])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("NUL"), "{html}");
    assert_eq!(server.count().await, 0);

    let (status, _, html) = fetch(server.get("/touchpoints?q=Kasse%00")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    let (status, _, _) = fetch(server.get("/catalog/channels/store%00")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tampered_kind_status_and_phase_are_field_errors() {
    let server = Server::start().await;
    let (status, _, html) = submit(
        &server,
        "/touchpoints",
        &form(&[
            ("kind", "hologram"),
            ("status", "vielleicht"),
            ("phase", "nie"),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    for field in ["kind", "status", "phase"] {
        assert!(
            html.contains(&format!(r#"id="{field}-error""#)),
            "{field}: {html}"
        );
    }
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn non_numeric_importance_is_a_field_error_not_a_server_error() {
    let server = Server::start().await;
    let (status, _, html) = submit(
        &server,
        "/touchpoints",
        &form(&[("importance_loyalty", "viel"), ("brand_fit", "9")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(
        html.contains(r#"<p class="field-error" id="importance_loyalty-error">"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<p class="field-error" id="brand_fit-error">"#),
        "{html}"
    );
    assert_eq!(html.matches(r#"aria-invalid="true""#).count(), 2);
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn duplicate_name_shows_a_message_and_creates_nothing() {
    let server = Server::start().await;
    server.create(&input("Kassenbereich")).await;
    let (status, _, html) = submit(
        &server,
        "/touchpoints",
        &form(&[("name", " KASSENBEREICH ")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(
        html.contains(r#"<p class="field-error" id="name-error">"#),
        "{html}"
    );
    assert!(html.contains("gibt es schon"), "{html}");
    assert!(
        html.contains(r#"value=" KASSENBEREICH ""#),
        "the entry is kept"
    );
    assert_eq!(names(&server.list().await), ["Kassenbereich"]);
}

#[tokio::test]
async fn edit_form_is_filled_with_the_stored_values() {
    let server = Server::start().await;
    let id = create_by_form(&server, &form(&[])).await;
    let html = page(&server, &format!("/touchpoints/{id}/edit")).await;
    assert!(
        html.contains(&format!(r#"action="/touchpoints/{id}""#)),
        "{html}"
    );
    assert!(html.contains(r#"value="Kassenbereich""#));
    assert!(html.contains(r#"value="Familien, Senioren""#));
    assert!(html.contains(r#"<option value="physical" selected>"#));
    assert!(html.contains(">Samstags lange Schlangen</textarea>"));
}

#[tokio::test]
async fn form_post_to_a_touchpoint_updates_it_and_redirects() {
    let server = Server::start().await;
    let id = create_by_form(&server, &form(&[])).await;
    let path = format!("/touchpoints/{id}");
    let (status, location, _) = submit(
        &server,
        &path,
        &form(&[("owner", "Zentrale"), ("status", "planned")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some(path.as_str()));

    let stored = server.get_json(&format!("/api/v1{path}")).await;
    assert_eq!(stored["owner"], "Zentrale");
    assert_eq!(stored["status"], "planned");
    let history = server.get_json(&format!("/api/v1{path}/history")).await;
    assert_eq!(history[0]["action"], "updated");
    assert_eq!(history[0]["actor"], "admin", "the user name");
    let changed: Vec<&Value> = history[0]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| &c["field"])
        .collect();
    assert_eq!(changed, [&json!("owner"), &json!("status")]);

    let html = page(&server, &path).await;
    assert!(html.contains("<strong>Geändert</strong>"), "{html}");
    assert!(html.contains("<ins>Zentrale</ins>"), "{html}");
}

#[tokio::test]
async fn invalid_update_shows_the_edit_form_and_changes_nothing() {
    let server = Server::start().await;
    let id = create_by_form(&server, &form(&[])).await;
    let before = server.get_json(&format!("/api/v1/touchpoints/{id}")).await;
    let (status, _, html) = submit(
        &server,
        &format!("/touchpoints/{id}"),
        &form(&[("name", ""), ("owner", "Zentrale")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains(&format!(r#"action="/touchpoints/{id}""#)),
        "{html}"
    );
    assert!(html.contains(r#"value="Zentrale""#));
    assert_eq!(
        server.get_json(&format!("/api/v1/touchpoints/{id}")).await,
        before
    );
}

#[tokio::test]
async fn renaming_onto_another_name_in_the_form_is_an_inline_error() {
    let server = Server::start().await;
    server.create(&input("Umkleide")).await;
    let id = create_by_form(&server, &form(&[])).await;
    let before = server.get_json(&format!("/api/v1/touchpoints/{id}")).await;
    let (status, _, html) = submit(
        &server,
        &format!("/touchpoints/{id}"),
        &form(&[("name", "umkleide")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(
        html.contains(r#"<p class="field-error" id="name-error">"#),
        "{html}"
    );
    assert_eq!(
        server.get_json(&format!("/api/v1/touchpoints/{id}")).await,
        before
    );
}

#[tokio::test]
async fn retire_button_retires_and_redirects_to_the_touchpoint() {
    let server = Server::start().await;
    let id = create_by_form(&server, &form(&[])).await;
    let path = format!("/touchpoints/{id}");
    assert!(
        page(&server, &path)
            .await
            .contains(&format!(r#"action="{path}/retire""#))
    );

    let (status, location, _) = fetch(server.post(&format!("{path}/retire"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some(path.as_str()));
    assert_eq!(
        server.get_json(&format!("/api/v1{path}")).await["status"],
        "retired"
    );
    let html = page(&server, &path).await;
    assert!(html.contains("status-retired"));
    assert!(html.contains("<strong>Eingestellt</strong>"));
    assert!(
        !html.contains(&format!(r#"action="{path}/retire""#)),
        "no retire button on a retired touchpoint"
    );
}

#[tokio::test]
async fn delete_button_deletes_and_redirects_to_the_list() {
    let server = Server::start().await;
    let id = create_by_form(&server, &form(&[])).await;
    let (status, location, _) = fetch(server.post(&format!("/touchpoints/{id}/delete"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/touchpoints"));
    assert_eq!(server.count().await, 0);
    let (status, _, html) = fetch(server.get(&format!("/touchpoints/{id}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Nicht gefunden"));
}

#[tokio::test]
async fn missing_touchpoint_is_a_404_page() {
    let server = Server::start().await;
    for (method, path) in [
        ("GET", "/touchpoints/4711"),
        ("GET", "/touchpoints/4711/edit"),
        ("POST", "/touchpoints/4711/retire"),
        ("POST", "/touchpoints/4711/delete"),
    ] {
        let request = if method == "GET" {
            server.get(path)
        } else {
            server.post(path)
        };
        let response = request.send().await.expect("send");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
        assert!(
            response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html")),
            "{method} {path}"
        );
        let html = response.text().await.expect("body");
        assert!(
            html.contains("<h1>Nicht gefunden</h1>"),
            "{method} {path}: {html}"
        );
    }
    let (status, _, _) = submit(&server, "/touchpoints/4711", &form(&[])).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "updating a missing touchpoint"
    );
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn non_numeric_id_is_a_404_page() {
    let server = Server::start().await;
    let response = server.get("/touchpoints/abc").send().await.expect("send");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = response.text().await.expect("body");
    assert!(html.contains("<h1>Nicht gefunden</h1>"), "{html}");
}

#[tokio::test]
async fn text_from_users_is_escaped() {
    let server = Server::start().await;
    let id = server
        .create(&input(r#"<script>alert("x")</script>"#))
        .await["id"]
        .as_i64()
        .expect("an id");
    for path in [
        format!("/touchpoints/{id}"),
        "/touchpoints".to_owned(),
        "/journey".to_owned(),
    ] {
        let html = page(&server, &path).await;
        assert!(!html.contains("<script>alert"), "{path}");
        assert!(html.contains("&lt;script&gt;"), "{path}");
    }
}

// --- journey map, inventory, exports ------------------------------------------------------

async fn store_and_hotline(server: &Server) {
    server.create(&input("Kassenbereich")).await;
    server
        .create(&json!({
            "name": "Hotline", "channel": "phone", "phase": "after-purchase",
            "status": "retired", "owner": "Kundenservice",
        }))
        .await;
}

#[tokio::test]
async fn journey_shows_each_touchpoint_as_a_card_in_its_cell() {
    let server = Server::start().await;
    store_and_hotline(&server).await;
    let html = page(&server, "/journey").await;

    let store = cell(&html, "store", "during-purchase").expect("a store cell");
    assert!(store.contains(r#"class="card status-active""#), "{store}");
    assert!(store.contains("Kassenbereich"), "{store}");
    let phone = cell(&html, "phone", "after-purchase").expect("a phone cell");
    assert!(phone.contains(r#"class="card status-retired""#), "{phone}");
    assert!(phone.contains("Hotline"), "{phone}");

    let empty = cell(&html, "store", "before-purchase").expect("an empty cell");
    assert!(!empty.contains("card"), "{empty}");
    assert!(
        cell(&html, "website", "before-purchase").is_none(),
        "no empty rows"
    );
}

#[tokio::test]
async fn journey_status_filter_hides_the_others() {
    let server = Server::start().await;
    store_and_hotline(&server).await;
    let html = page(&server, "/journey?status=retired").await;
    assert!(cell(&html, "store", "during-purchase").is_none(), "{html}");
    assert!(!html.contains(r#"class="card status-active""#), "{html}");
    let phone = cell(&html, "phone", "after-purchase").expect("a phone cell");
    assert!(phone.contains("Hotline"));

    let html = page(&server, "/journey?all_channels=1&status=retired").await;
    let store = cell(&html, "store", "during-purchase").expect("all channels shown");
    assert!(!store.contains("Kassenbereich"), "{store}");
}

#[tokio::test]
async fn journey_without_touchpoints_says_so() {
    let server = Server::start().await;
    let html = page(&server, "/journey").await;
    assert!(!html.contains("<td data-channel"));
    assert!(html.contains(r#"class="empty""#), "{html}");
}

#[tokio::test]
async fn inventory_search_filters_the_list() {
    let server = Server::start().await;
    server.create(&input("Küchenplanung")).await;
    server
        .create(&json!({"name": "Kundenhotline", "channel": "phone", "phase": "after-purchase"}))
        .await;
    let html = page(&server, "/touchpoints").await;
    assert!(html.contains(">Küchenplanung</a>") && html.contains(">Kundenhotline</a>"));

    let html = page(&server, &with_query("/touchpoints", &[("q", "KÜCHE")])).await;
    assert!(html.contains(">Küchenplanung</a>"), "{html}");
    assert!(!html.contains(">Kundenhotline</a>"), "{html}");
    assert!(
        html.contains(r#"value="KÜCHE""#),
        "the search is kept in the field"
    );

    let html = page(&server, "/touchpoints?channel=phone&phase=&status=&q=").await;
    assert!(!html.contains(">Küchenplanung</a>"));
    assert!(html.contains(">Kundenhotline</a>"));
}

#[tokio::test]
async fn csv_export_lists_the_touchpoints() {
    let server = Server::start().await;
    store_and_hotline(&server).await;
    let response = server
        .get("/touchpoints/export.csv")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        header(CONTENT_TYPE).starts_with("text/csv"),
        "{}",
        header(CONTENT_TYPE)
    );
    assert!(header(CONTENT_DISPOSITION).contains("touchpoints.csv"));
    let csv = response.text().await.expect("body");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("name,description,channel"), "{csv}");
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[1].starts_with("Hotline,"), "{csv}");
    assert!(lines[2].starts_with("Kassenbereich,"), "{csv}");

    let (_, _, csv) = fetch(server.get("/touchpoints/export.csv?status=retired")).await;
    assert_eq!(csv.lines().count(), 2, "the filter applies: {csv}");
    assert!(csv.contains("Hotline"));
}

#[tokio::test]
async fn json_export_is_an_array_of_touchpoints() {
    let server = Server::start().await;
    store_and_hotline(&server).await;
    let response = server
        .get("/touchpoints/export.json")
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
    let exported: Value = response.json().await.expect("JSON");
    let items = exported.as_array().expect("an array");
    assert_eq!(names(items), ["Hotline", "Kassenbereich"]);
    assert_eq!(items[0]["channel"], "phone");
    assert_eq!(items[0]["status"], "retired");

    let (_, _, text) = fetch(server.get("/touchpoints/export.json?channel=store")).await;
    let filtered: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        names(filtered.as_array().expect("an array")),
        ["Kassenbereich"]
    );
}

// --- catalog ------------------------------------------------------------------------------

fn channel_form(key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("key", key.to_owned()),
        ("label_de", "Marktplatz".to_owned()),
        ("label_en", "Marketplace".to_owned()),
        ("group", "digital".to_owned()),
        ("position", "55".to_owned()),
    ]
}

async fn channel_keys(server: &Server) -> Vec<String> {
    server
        .get_json("/api/v1/channels")
        .await
        .as_array()
        .expect("an array")
        .iter()
        .map(|c| c["key"].as_str().expect("a key").to_owned())
        .collect()
}

#[tokio::test]
async fn catalog_form_adds_a_channel() {
    let server = Server::start().await;
    let (status, location, _) =
        submit(&server, "/catalog/channels", &channel_form("marketplace")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/catalog"));
    let html = page(&server, "/catalog").await;
    assert!(html.contains("<code>marketplace</code>"), "{html}");
    assert!(html.contains("<td>Marktplatz</td>"));
    assert!(
        channel_keys(&server)
            .await
            .contains(&"marketplace".to_owned())
    );
}

#[tokio::test]
async fn catalog_form_with_an_invalid_key_shows_an_inline_error() {
    let server = Server::start().await;
    let (status, _, html) = submit(&server, "/catalog/channels", &channel_form("Mein Kanal")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(
        html.contains(r#"<p class="field-error" id="key-error">"#),
        "{html}"
    );
    assert!(html.contains(r#"aria-invalid="true""#));
    assert!(html.contains(r#"value="Mein Kanal""#), "the entry is kept");
    // In the page's language, not the engine's English.
    assert!(
        html.contains("Bitte nur Kleinbuchstaben a–z, Ziffern, „-“ und „_“ verwenden."),
        "{html}"
    );
    assert!(!html.contains("lower-case"), "{html}");
    assert_eq!(channel_keys(&server).await.len(), 13);

    let mut missing_kind = channel_form("marketplace");
    missing_kind[3].1 = "hologram".to_owned();
    missing_kind[4].1 = "fünf".to_owned();
    let (status, _, html) = submit(&server, "/catalog/channels", &missing_kind).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains(r#"id="group-error""#), "{html}");
    assert!(html.contains(r#"id="position-error""#), "{html}");
    assert!(html.contains("Bitte eine ganze Zahl angeben."), "{html}");
    assert_eq!(channel_keys(&server).await.len(), 13);
}

#[tokio::test]
async fn deleting_a_channel_in_use_is_a_409_page_and_keeps_it() {
    let server = Server::start().await;
    server.create(&input("Kassenbereich")).await;
    let (status, _, html) = fetch(server.post("/catalog/channels/store/delete")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(
        html.contains("Wird noch von 1 Touchpoint(s) verwendet."),
        "{html}"
    );
    assert!(channel_keys(&server).await.contains(&"store".to_owned()));
    assert!(
        page(&server, "/catalog")
            .await
            .contains("<code>store</code>")
    );
}

#[tokio::test]
async fn deleting_an_unused_channel_redirects_to_the_catalog() {
    let server = Server::start().await;
    let (status, location, _) = fetch(server.post("/catalog/channels/letter/delete")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/catalog"));
    assert!(!channel_keys(&server).await.contains(&"letter".to_owned()));
    let (status, _, _) = fetch(server.post("/catalog/channels/letter/delete")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn catalog_form_adds_a_phase_in_journey_order() {
    let server = Server::start().await;
    let fields = [
        ("key", "awareness"),
        ("label_de", "Aufmerksamkeit"),
        ("label_en", "Awareness"),
        ("group", "before_purchase"),
        ("position", "5"),
    ];
    let (status, location, _) = fetch(server.post("/catalog/phases").form(&fields)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/catalog"));
    let phases = server.get_json("/api/v1/phases").await;
    assert_eq!(phases[0]["key"], "awareness");
}

// --- plumbing -----------------------------------------------------------------------------

#[tokio::test]
async fn health_check_tells_nothing_of_the_internals() {
    let server = Server::start().await;
    let response = server.get("/healthz").send().await.expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get(reqwest::header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    assert_eq!(response.text().await.expect("body"), "ok\n");
}

#[tokio::test]
async fn pages_and_api_answers_are_not_cached_but_assets_are() {
    let server = Server::start().await;
    for path in [
        "/touchpoints",
        "/queue",
        "/api/v1/touchpoints",
        "/api/v1/customers",
    ] {
        let response = server.get(path).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            response
                .headers()
                .get(reqwest::header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{path}"
        );
    }
    let css = server.get("/assets/style.css").send().await.expect("send");
    assert_eq!(
        css.headers()
            .get(reqwest::header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("public, max-age=3600")
    );
}

#[tokio::test]
async fn root_redirects_to_the_journey_map() {
    let server = Server::start().await;
    let (status, location, _) = fetch(server.get("/")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/journey"));
}

#[tokio::test]
async fn pages_link_assets_by_their_digest_which_browsers_keep_for_a_year() {
    let server = Server::start().await;
    let (status, _, html) = fetch(server.get("/touchpoints")).await;
    assert_eq!(status, StatusCode::OK);
    let linked = |prefix: &str| {
        html.split('"')
            .find(|part| part.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix}… in {html}"))
            .to_owned()
    };
    let style = linked("/assets/style.");
    let icon = linked("/assets/favicon.");
    assert_ne!(
        style, "/assets/style.css",
        "a plain name is not cached for long"
    );
    for (path, content_type) in [(&style, "text/css"), (&icon, "image/svg+xml")] {
        let response = server.nobody().get(path).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert!(header(CONTENT_TYPE).starts_with(content_type), "{path}");
        assert_eq!(
            header(reqwest::header::CACHE_CONTROL),
            "public, max-age=31536000, immutable",
            "{path}"
        );
    }
    // A digest that is not the content's is not served as if it were.
    let (status, _, _) = fetch(server.nobody().get("/assets/style.0000000000000000.css")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn answers_are_compressed_for_clients_that_take_it() {
    let server = Server::start().await;
    let plain = server
        .nobody()
        .get("/assets/echarts.min.js")
        .send()
        .await
        .expect("send");
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    let plain_len = plain.bytes().await.expect("body").len();
    for encoding in ["br", "gzip"] {
        for path in ["/assets/echarts.min.js", "/touchpoints"] {
            let response = server
                .get(path)
                .header(ACCEPT_ENCODING, encoding)
                .send()
                .await
                .expect("send");
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(
                response
                    .headers()
                    .get(CONTENT_ENCODING)
                    .and_then(|v| v.to_str().ok()),
                Some(encoding),
                "{path}"
            );
            if path.starts_with("/assets/") {
                let compressed = response.bytes().await.expect("body").len();
                assert!(
                    compressed * 3 < plain_len,
                    "{encoding}: {compressed} of {plain_len} bytes"
                );
            }
        }
    }
}

#[tokio::test]
async fn assets_are_served_with_their_types() {
    let server = Server::start().await;
    for (path, content_type) in [
        ("/assets/style.css", "text/css"),
        ("/assets/app.js", "text/javascript"),
    ] {
        let response = server.get(path).send().await.expect("send");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with(content_type)),
            "{path}"
        );
    }
}

/// The guideline of the demo company, as a manager would paste it into the editor.
const GUIDELINE: &str = "facts:
  - key: return-period
    label: Rückgabefrist
    kind: duration
    value: 30 Tage
    keywords: [Rückgabe, Rückgaberecht, zurückgeben]
  - key: hotline
    label: Service-Hotline
    kind: phone
    value: 0800 123 45 67
    keywords: [Hotline]
tone:
  address: sie
";

#[tokio::test]
async fn the_check_names_both_places_of_a_contradiction() {
    let server = Server::start().await;
    let (status, location, body) =
        fetch(server.post("/guideline").form(&[("document", GUIDELINE)])).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location.as_deref(), Some("/guideline"));
    for (title, channel, body) in [
        (
            "Hilfe & FAQ",
            "website",
            "Sie können Ihre Bestellung innerhalb von 30 Tagen zurückgeben.\nUnsere Hotline 0800 123 45 67 ist für Sie da.",
        ),
        (
            "Newsletter November",
            "newsletter",
            "Hol dir deinen Gutschein!\nDu hast 14 Tage Rückgaberecht.\nUnsere Hotline 0800 765 43 21 hilft gern.",
        ),
    ] {
        let (status, _, answer) = fetch(server.post("/content").form(&[
            ("title", title),
            ("channel", channel),
            ("body", body),
        ]))
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{answer}");
    }
    let (status, location, _) = fetch(server.post("/consistency/run")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/consistency"));

    let findings = page(&server, "/consistency").await;
    assert!(
        findings.contains("Widerspricht dem Leitfaden"),
        "{findings}"
    );
    assert!(
        findings.contains("Widerspruch zwischen Kanälen"),
        "{findings}"
    );
    // Both places of the return period and of the hotline are named.
    for excerpt in [
        "Du hast 14 Tage Rückgaberecht.",
        "Sie können Ihre Bestellung innerhalb von 30 Tagen zurückgeben.",
        "Unsere Hotline 0800 765 43 21 hilft gern.",
        "Unsere Hotline 0800 123 45 67 ist für Sie da.",
    ] {
        assert!(findings.contains(excerpt), "{excerpt} in {findings}");
    }
    assert!(
        findings.contains("Falsche Anrede"),
        "the newsletter says du"
    );
    let stored = server.store.findings().await.expect("findings");
    assert!(stored.len() >= 5, "{stored:?}");

    // Accepting a finding keeps it accepted through the next check.
    let id = stored[0].id;
    let (status, _, _) = fetch(
        server
            .post(&format!("/consistency/findings/{id}/status"))
            .form(&[("status", "accepted")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    fetch(server.post("/consistency/run")).await;
    let again = server.store.findings().await.expect("findings");
    let kept = again.iter().find(|f| f.id == id).expect("the finding");
    assert_eq!(kept.status.as_str(), "accepted");
}

#[tokio::test]
async fn a_fixed_finding_leaves_the_list_and_is_shown_again_on_request() {
    let server = Server::start().await;
    let (status, _, body) = fetch(server.post("/guideline").form(&[("document", GUIDELINE)])).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (status, _, body) = fetch(server.post("/content").form(&[
        ("title", "FAQ"),
        ("channel", "website"),
        ("body", "Sie haben 14 Tage Rückgaberecht."),
    ]))
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    fetch(server.post("/consistency/run")).await;
    let before = page(&server, "/consistency").await;
    assert!(
        before.contains("Sie haben 14 Tage Rückgaberecht."),
        "{before}"
    );
    assert!(
        !before.contains("?gone=true"),
        "nothing is gone yet: {before}"
    );

    let id = server.store.contents().await.expect("contents")[0].id;
    let (status, _, body) = fetch(server.post(&format!("/content/{id}")).form(&[
        ("title", "FAQ"),
        ("channel", "website"),
        ("body", "Sie haben 30 Tage Rückgaberecht."),
    ]))
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    fetch(server.post("/consistency/run")).await;

    let after = page(&server, "/consistency").await;
    assert!(
        !after.contains("14 Tage"),
        "the fixed finding is not listed: {after}"
    );
    assert!(after.contains("0 offene Befunde."), "{after}");
    assert!(
        after.contains("Ein früherer Befund wird nicht mehr gefunden"),
        "{after}"
    );
    assert!(after.contains("href=\"/consistency?gone=true\""), "{after}");
    let all = page(&server, "/consistency?gone=true").await;
    assert!(all.contains("Sie haben 14 Tage Rückgaberecht."), "{all}");
    assert!(
        all.contains("(bei der letzten Prüfung nicht mehr gefunden)"),
        "{all}"
    );
    assert!(all.contains("href=\"/consistency\""), "{all}");
}

#[tokio::test]
async fn the_findings_page_says_what_the_check_left_out() {
    let server = Server::start().await;
    let (status, _, body) = fetch(server.post("/guideline").form(&[("document", GUIDELINE)])).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let informal: String = (1..=22)
        .map(|i| format!("Kannst du uns zum Angebot {i} schreiben?\n"))
        .collect();
    let (status, _, body) = fetch(server.post("/content").form(&[
        ("title", "Newsletter"),
        ("channel", "newsletter"),
        ("body", informal.as_str()),
    ]))
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    fetch(server.post("/consistency/run")).await;
    let findings = page(&server, "/consistency").await;
    assert_eq!(findings.matches("Falsche Anrede").count(), 20, "{findings}");
    assert_eq!(
        findings
            .matches("2 weitere Befunde dieser Art sind nicht aufgeführt")
            .count(),
        1,
        "{findings}"
    );
}

#[tokio::test]
async fn the_check_warns_of_a_phone_number_the_guideline_does_not_allow() {
    let server = Server::start().await;
    let guideline = format!("{GUIDELINE}allowed_contacts: [\"+49 40 987654\"]\n");
    let (status, _, body) = fetch(
        server
            .post("/guideline")
            .form(&[("document", guideline.as_str())]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let shown = page(&server, "/guideline").await;
    assert!(shown.contains("Weitere erlaubte Kontakte"), "{shown}");
    assert!(shown.contains("<code>+49 40 987654</code>"), "{shown}");

    let (status, _, answer) = fetch(server.post("/content").form(&[
        ("title", "Kontakt"),
        ("channel", "website"),
        (
            "body",
            "Unsere Zentrale erreichen Sie unter 040 98 76 54.\nBestellungen nimmt Frau Meier unter 040 555 666 77 an.",
        ),
    ]))
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{answer}");
    fetch(server.post("/consistency/run")).await;

    let findings = page(&server, "/consistency").await;
    assert!(findings.contains("Unbekannter Kontakt"), "{findings}");
    assert!(
        findings.contains(
            "Unbekannte Telefonnummer? „040 555 666 77“ steht weder im Leitfaden noch unter den erlaubten Kontakten."
        ),
        "{findings}"
    );
    assert!(
        findings.contains(
            "„0800 123 45 67“ (Service-Hotline) aus dem Leitfaden schreiben oder „040 555 666 77“ unter allowed_contacts in den Leitfaden aufnehmen."
        ),
        "{findings}"
    );
    assert!(
        findings.contains("Bestellungen nimmt Frau Meier unter 040 555 666 77 an."),
        "the place's excerpt: {findings}"
    );
    // The allowed number is no finding, and nothing on the German page is English.
    assert!(!findings.contains("98 76 54"), "{findings}");
    assert!(!findings.contains("Unknown"), "{findings}");
    // A warning, styled apart from the contradictions.
    assert!(!findings.contains("status-retired error"), "{findings}");

    let stored = server.store.findings().await.expect("findings");
    let kinds: Vec<(&str, &str)> = stored
        .iter()
        .map(|f| (f.finding.kind.as_str(), f.finding.rule.as_str()))
        .collect();
    assert_eq!(kinds, [("unknown-contact", "+49 4055566677")]);
    assert!(!stored[0].finding.kind.is_error());
}

/// A reply may give the customer their own phone number and e-mail address back; any other
/// the guideline does not know holds the reply up like every finding.
#[tokio::test]
async fn a_reply_may_name_the_customers_own_contacts() {
    let server = Server::start().await;
    let (status, _, body) = fetch(server.post("/guideline").form(&[("document", GUIDELINE)])).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "phone",
        "customer": {"name": "Anna Schulz", "phone": "+49 171 7654321", "email": "anna@example.de"},
        "subject": "Rückruf",
        "body": "Bitte rufen Sie mich zurück.",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().expect("an id");
    let reply = |text: &str| {
        server
            .post(&format!("/api/v1/requests/{id}/actions"))
            .json(&json!({"action": "reply", "body": text}))
    };
    let (status, body) = send(reply(
        "Guten Tag Frau Schulz, wir rufen Sie morgen unter 0171 765 43 21 an \
         und schicken die Unterlagen an anna@example.de.",
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = send(reply(
        "Guten Tag Frau Schulz, rufen Sie bitte Herrn Meier unter 040 555 666 77 an.",
    ))
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("040 555 666 77"), "{body}");
}

#[tokio::test]
async fn a_broken_guideline_is_refused_with_its_problems_and_nothing_changes() {
    let server = Server::start().await;
    let (status, _, _) = fetch(server.post("/guideline").form(&[("document", GUIDELINE)])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let before = server.store.guideline().await.expect("guideline");
    for (document, problem) in [
        ("facts: [", "unclosed bracket"),
        (
            "facts:\n  - key: x\n    label: X\n    kind: duration\n    value: bald\n    keywords: [a]\n",
            "facts[0].value: Bitte eine Dauer wie „30 Tage“ angeben.",
        ),
        ("colour: red\n", "colour"),
        (
            "allowed_contacts: [Hamburg]\n",
            "allowed_contacts[0]: Bitte eine Telefonnummer, E-Mail- oder Web-Adresse angeben.",
        ),
    ] {
        let (status, _, body) =
            fetch(server.post("/guideline").form(&[("document", document)])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{document}");
        assert!(body.contains(problem), "{problem} in {body}");
        assert!(body.contains("aria-invalid=\"true\""));
    }
    assert_eq!(server.store.guideline().await.expect("guideline"), before);
}

#[tokio::test]
async fn a_guideline_with_an_alias_bomb_is_refused_and_nothing_changes() {
    let server = Server::start().await;
    let (status, _, _) = fetch(server.post("/guideline").form(&[("document", GUIDELINE)])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let before = server.store.guideline().await.expect("guideline");
    // One anchored text of 10 KB referred to 20,000 times: 0.3 MB of form that a parser
    // replaying aliases would make 200 MB of terms.
    let mut bomb = format!(
        "tone:\n  forbidden:\n    - term: &t \"{}\"\n",
        "x".repeat(10_000)
    );
    for _ in 0..20_000 {
        bomb.push_str("    - term: *t\n");
    }
    let (status, _, body) = fetch(server.post("/guideline").form(&[("document", &bomb)])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("document: "), "{body}");
    assert!(body.contains("alias (*name)"), "{body}");
    assert_eq!(server.store.guideline().await.expect("guideline"), before);
}

#[tokio::test]
async fn content_needs_a_title_and_a_known_channel() {
    let server = Server::start().await;
    let (status, _, body) =
        fetch(
            server
                .post("/content")
                .form(&[("title", ""), ("channel", "fax"), ("body", "Text")]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"title-error\""), "{body}");
    let (status, _, body) = fetch(server.post("/content").form(&[
        ("title", "FAQ"),
        ("channel", "fax"),
        ("body", "Text"),
    ]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("id=\"channel-error\""), "{body}");
    assert!(server.store.contents().await.expect("contents").is_empty());
}

// --- service standards, stories and the meeting digest ------------------------------------

/// A touchpoint of the e-mail service team; returns its id.
async fn mail_service(server: &Server) -> i64 {
    server
        .create(&json!({
            "name": "Kundenservice E-Mail",
            "channel": "email",
            "phase": "after-purchase",
            "owner": "Serviceteam Nord",
        }))
        .await["id"]
        .as_i64()
        .expect("an id")
}

/// Two e-mails of the last days: one answered by name, one not.
async fn record_mails(server: &Server, touchpoint: i64) {
    let now = jiff::Timestamp::now();
    let ago = |hours: i64| {
        now.checked_sub(jiff::SignedDuration::from_hours(hours))
            .expect("an instant")
    };
    let mail = |id: &str, hours: i64, reply: &str| touchpoints_store::InteractionInput {
        external_id: Some(id.into()),
        touchpoint_id: Some(touchpoint),
        channel: "email".into(),
        customer_name: Some("Anna Becker".into()),
        received_at: ago(hours),
        first_response_at: Some(ago(hours - 1)),
        resolved_at: None,
        reply: reply.into(),
    };
    server
        .store
        .record_interactions(
            &[
                mail(
                    "M-1",
                    30,
                    "Sehr geehrte Frau Becker,\nvielen Dank für Ihre Nachricht.",
                ),
                mail(
                    "M-2",
                    20,
                    "Sehr geehrte Damen und Herren,\nIhre Bestellung ist unterwegs.",
                ),
            ],
            "tests",
        )
        .await
        .expect("record interactions");
}

fn standard_form(overrides: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = [
        ("title", "Kunden mit Namen ansprechen"),
        (
            "text",
            "Jede Antwort beginnt mit dem Namen der Kundin oder des Kunden.",
        ),
        ("mandatory", "1"),
        ("touchpoint_id", ""),
        ("channel", "email"),
        ("measure", "addressed_by_name"),
        ("hours", ""),
        ("phrases", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect();
    for (key, value) in overrides {
        let field = fields
            .iter_mut()
            .find(|(k, _)| k == key)
            .unwrap_or_else(|| panic!("no form field {key}"));
        field.1 = (*value).to_owned();
    }
    fields
}

#[tokio::test]
async fn a_reply_without_the_customers_name_is_listed_as_a_violation() {
    let server = Server::start().await;
    let touchpoint = mail_service(&server).await;
    let (status, location, body) = submit(&server, "/standards", &standard_form(&[])).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location.as_deref(), Some("/standards"));
    record_mails(&server, touchpoint).await;

    let standards = page(&server, "/standards").await;
    assert!(
        standards.contains("Kunden mit Namen ansprechen"),
        "{standards}"
    );
    assert!(standards.contains("Verbindlich"), "{standards}");
    assert!(standards.contains("Kanal: E-Mail"), "{standards}");
    assert!(
        standards.contains("50 % eingehalten (1 von 2)"),
        "{standards}"
    );
    assert!(
        standards.contains("Die Antwort spricht Anna Becker nicht mit Namen an"),
        "{standards}"
    );
    assert!(
        standards.contains("M-2"),
        "the violating interaction is named"
    );
    assert!(!standards.contains("M-1"), "the kept one is not listed");
    // The check of the weaknesses records it; its page says why in German as well.
    let (status, _, body) = fetch(server.post("/consistency/run")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let findings = page(&server, "/consistency").await;
    assert!(
        findings.contains(
            "<strong>Verstoß gegen den Standard „Kunden mit Namen ansprechen“. Die Antwort \
             spricht Anna Becker nicht mit Namen an</strong>"
        ),
        "{findings}"
    );
    assert!(!findings.contains("does not address"), "{findings}");
    // The same in English, and outside the period nothing is judged.
    let english = page(&server, "/standards?lang=en").await;
    assert!(
        english.contains("The reply does not address Anna Becker by name"),
        "{english}"
    );
    let store = &server.store;
    let id = store.standards().await.expect("standards")[0].id;
    let (status, _, _) = fetch(server.post(&format!("/standards/{id}/delete"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(store.standards().await.expect("standards").is_empty());
}

/// A touchpoint's page also shows how its requests were answered (managers only), how it
/// kept the standards, and the plan's actions on it.
#[tokio::test]
async fn a_touchpoints_page_shows_its_response_times_standards_and_actions() {
    let server = Server::start().await;
    let touchpoint = mail_service(&server).await;
    let path = format!("/touchpoints/{touchpoint}");
    let html = page(&server, &path).await;
    assert!(
        html.contains("In den letzten 30 Tagen kam hier keine Anfrage an."),
        "{html}"
    );
    assert!(
        html.contains("Kein messbarer Standard wurde hier beurteilt."),
        "{html}"
    );
    assert!(
        html.contains("Keine Maßnahme betrifft diesen Touchpoint."),
        "{html}"
    );

    submit(&server, "/standards", &standard_form(&[])).await;
    record_mails(&server, touchpoint).await;
    let received = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_mins(135))
        .expect("an instant");
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "email",
        "touchpoint_id": touchpoint,
        "customer": {"name": "Anna Schulz", "email": "anna@example.de"},
        "subject": "Lieferung",
        "body": "Wann kommt meine Bestellung?",
        "received_at": received.to_string(),
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let request = body["id"].as_i64().expect("an id");
    let (status, body) = send(
        server
            .post(&format!("/api/v1/requests/{request}/actions"))
            .json(&json!({"action": "reply", "body": "Guten Tag Frau Schulz, morgen."})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for (title, status, due) in [
        ("Antwortvorlagen überarbeiten", "done", "2026-11-30"),
        ("Namen in jeder Antwort", "planned", "2027-02-26"),
    ] {
        let (code, body) = send(server.post("/api/v1/actions").json(&json!({
            "kind": "optimise",
            "title": title,
            "status": status,
            "due": due,
            "touchpoint_ids": [touchpoint],
        })))
        .await;
        assert_eq!(code, StatusCode::CREATED, "{body}");
    }

    let html = page(&server, &path).await;
    let times = html
        .split(r#"id="times-head""#)
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the response times");
    // One request, answered 135 minutes after it came in.
    assert!(times.contains("<dd>1</dd>"), "{times}");
    assert!(times.contains("<dd>2 Std. 15 Min.</dd>"), "{times}");
    // One of the two recorded mails addresses the customer by name, and so does the reply
    // written in the queue: 2 of 3, rounded down.
    assert!(
        html.contains("Kunden mit Namen ansprechen</a> <span class=\"badge\">Verbindlich</span>: <strong>66 %</strong>"),
        "{html}"
    );
    assert!(html.contains("3 beurteilt, 1 verletzt"), "{html}");
    // The action still to do first, with its day as German pages write it.
    let open = html.find("Namen in jeder Antwort").expect(&html);
    let done = html.find("Antwortvorlagen überarbeiten").expect(&html);
    assert!(open < done, "{html}");
    assert!(html.contains("fällig 26.02.2027"), "{html}");

    // Response times are the managers' figures; a viewer sees the rest.
    let viewer = server.as_role(touchpoints_core::Role::Viewer).await;
    let (status, _, html) = fetch(viewer.get(&path)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("times-head"), "{html}");
    assert!(html.contains("3 beurteilt, 1 verletzt"), "{html}");
    assert!(html.contains("Namen in jeder Antwort"), "{html}");
}

/// The audit log says what changed in the reader's language; the API keeps the English
/// summary.
#[tokio::test]
async fn the_audit_log_reads_in_the_pages_language() {
    let server = Server::start().await;
    let mut ids = Vec::new();
    for email in ["anna@example.de", "a.schulz@example.de"] {
        let (status, body) = send(server.post("/api/v1/requests").json(&json!({
            "channel": "email",
            "customer": {"name": "Anna Schulz", "email": email},
            "subject": "Frage",
            "body": "Eine Frage.",
        })))
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        ids.push(body["customer_id"].as_i64().expect("a profile"));
    }
    let merge = server
        .store
        .merge_customers(ids[0], ids[1], "tests")
        .await
        .expect("merge");
    let mut settings = server.store.plan_settings().await.expect("settings");
    settings.quick_win.max_effort_days = 2.5;
    server
        .store
        .set_plan_settings(&settings, "tests")
        .await
        .expect("settings");

    let hotline = server.create(&input("Hotline")).await["id"]
        .as_i64()
        .expect("an id");
    let mut fields = server.store.touchpoint(hotline).await.expect("it").fields;
    fields.description = "Rückrufe binnen 4 Stunden".into();
    fields.importance.loyalty = 5;
    server
        .store
        .update_touchpoint(hotline, &fields, "tests")
        .await
        .expect("update");

    server
        .store
        .put_sla_policy(
            &touchpoints_core::queue::SlaPolicy {
                channel: "email".into(),
                priority: touchpoints_core::request::Priority::High,
                first_response_minutes: 60,
                resolution_minutes: 480,
                around_the_clock: false,
            },
            "tests",
        )
        .await
        .expect("policy");

    let german = page(&server, "/admin/audit").await;
    assert!(
        german.contains("Hotline: Beschreibung, Wichtigkeit für die Bindung"),
        "{german}"
    );
    // A channel by its label, a priority by its word.
    assert!(
        german.contains("E-Mail, hoch: 60 &#x2f; 480 Min.; 2 offene Anfragen neu geplant"),
        "{german}"
    );
    assert!(
        german.contains(&format!(
            "Profil {} in {} zusammengeführt (von Hand)",
            merge.absorbed_id, merge.survivor_id
        )),
        "{german}"
    );
    assert!(german.contains("und 2,5 Personentagen"), "{german}");
    assert!(
        german.contains("1 Anfrage (1 neu, 0 schon gespeichert, 1 neues Profil)"),
        "{german}"
    );
    assert!(!german.contains("merged into"), "{german}");
    let csv = fetch(server.get("/admin/audit.csv")).await.2;
    assert!(csv.contains("zusammengeführt (von Hand)"), "{csv}");

    let english = page(&server, "/admin/audit?lang=en").await;
    assert!(
        english.contains(&format!(
            "profile {} merged into {} (by hand)",
            merge.absorbed_id, merge.survivor_id
        )),
        "{english}"
    );
    assert!(english.contains("and 2.5 person-days"), "{english}");
    let stored = server
        .store
        .audit_log(
            &touchpoints_core::audit::AuditFilter {
                action: Some("customer.merge".into()),
                ..Default::default()
            },
            1,
        )
        .await
        .expect("the log");
    assert_eq!(
        stored[0].summary,
        format!(
            "profile {} merged into {} (by hand)",
            merge.absorbed_id, merge.survivor_id
        )
    );
}

#[tokio::test]
async fn the_digest_lists_new_stories_and_violations_per_team() {
    let server = Server::start().await;
    let touchpoint = mail_service(&server).await;
    submit(&server, "/standards", &standard_form(&[])).await;
    let standard = server.store.standards().await.expect("standards")[0].id;
    record_mails(&server, touchpoint).await;
    let story = [
        ("touchpoint_id", touchpoint.to_string()),
        ("title", "Anonyme Antwort verärgert Stammkundin".to_owned()),
        ("text", "Frau Becker fühlte sich nicht gemeint.".to_owned()),
        ("example", "bad".to_owned()),
        ("standard_id", standard.to_string()),
    ];
    let (status, location, body) = submit(&server, "/stories", &story).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location.as_deref(), Some("/stories"));
    let stories = page(&server, "/stories").await;
    assert!(stories.contains("Schlechtes Beispiel"), "{stories}");
    assert!(
        stories.contains("Standard: Kunden mit Namen ansprechen"),
        "{stories}"
    );

    let digest = page(&server, "/digest").await;
    let team = digest.find("<h2>Serviceteam Nord</h2>").expect(&digest);
    let rest = &digest[team..];
    assert!(
        rest.contains("Anonyme Antwort verärgert Stammkundin"),
        "{digest}"
    );
    assert!(
        rest.contains("Die Antwort spricht Anna Becker nicht mit Namen an"),
        "{digest}"
    );
    assert!(
        digest.contains("1 Verstoß") || digest.contains("ein Verstoß"),
        "{digest}"
    );
    // A week long past holds nothing; a date that is no date is refused inline.
    let old = page(&server, "/digest?week=2020-01-08").await;
    assert!(
        old.contains("Meeting-Digest 06.01.2020 – 12.01.2020"),
        "{old}"
    );
    assert!(!old.contains("Serviceteam Nord"), "{old}");
    let (status, _, body) = fetch(server.get("/digest?week=8.1.2020")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"week-error\""), "{body}");
}

#[tokio::test]
async fn bad_standards_and_stories_are_refused_inline_and_write_nothing() {
    let server = Server::start().await;
    let touchpoint = mail_service(&server).await.to_string();
    for (overrides, field) in [
        (vec![("title", "")], "title"),
        (
            vec![("measure", "first_response_within"), ("hours", "0")],
            "hours",
        ),
        (vec![("touchpoint_id", touchpoint.as_str())], "channel"),
        (vec![("measure", "phrases_absent")], "phrases"),
        (vec![("measure", "telepathy")], "measure"),
        (vec![("channel", "fax")], "channel"),
    ] {
        let form = standard_form(&overrides);
        let (status, _, body) = submit(&server, "/standards", &form).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{overrides:?}: {body}"
        );
        assert!(
            body.contains(&format!("id=\"{field}-error\"")),
            "{field} in {body}"
        );
        assert!(body.contains("aria-invalid=\"true\""));
    }
    assert!(
        server
            .store
            .standards()
            .await
            .expect("standards")
            .is_empty()
    );

    for (story, field) in [
        (
            [
                ("touchpoint_id", ""),
                ("title", "Gut"),
                ("text", "x"),
                ("example", "good"),
            ],
            "touchpoint_id",
        ),
        (
            [
                ("touchpoint_id", touchpoint.as_str()),
                ("title", "Gut"),
                ("text", "x"),
                ("example", "great"),
            ],
            "example",
        ),
        (
            [
                ("touchpoint_id", "999999"),
                ("title", "Gut"),
                ("text", "x"),
                ("example", "good"),
            ],
            "touchpoint_id",
        ),
    ] {
        let (status, _, body) = fetch(server.post("/stories").form(&story)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{story:?}: {body}"
        );
        assert!(
            body.contains(&format!("id=\"{field}-error\"")),
            "{field} in {body}"
        );
    }
    assert!(server.store.stories().await.expect("stories").is_empty());
}

#[tokio::test]
async fn a_broken_mandatory_standard_joins_the_weaknesses_of_its_touchpoint() {
    let server = Server::start().await;
    let touchpoint = mail_service(&server).await;
    record_mails(&server, touchpoint).await;
    let (status, _, body) = fetch(server.post("/standards").form(&standard_form(&[]))).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (status, _, _) = fetch(server.post("/consistency/run")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let findings = page(&server, "/consistency").await;
    assert!(
        findings.contains("Verstoß gegen den Standard „Kunden mit Namen ansprechen“"),
        "{findings}"
    );
    assert!(
        findings.contains("Sehr geehrte Damen und Herren"),
        "{findings}"
    );
    let detail = page(&server, &format!("/touchpoints/{touchpoint}")).await;
    assert!(detail.contains("Dokumentierte Schwachstellen"), "{detail}");
    assert!(detail.contains("Verstoß gegen einen Standard"), "{detail}");
    // The reply that named the customer is no weakness.
    let stored = server.store.findings().await.expect("findings");
    assert_eq!(stored.len(), 1, "{stored:?}");
}

#[tokio::test]
async fn only_published_texts_are_checked_and_dates_are_validated() {
    let server = Server::start().await;
    let (status, _, _) = fetch(server.post("/guideline").form(&[("document", GUIDELINE)])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, body) = fetch(server.post("/content").form(&[
        ("title", "Alte Aktion"),
        ("body", "Rückgabe binnen 14 Tagen."),
        ("valid_until", "31.12.2025"),
    ]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("id=\"valid_until-error\""), "{body}");
    assert!(server.store.contents().await.expect("contents").is_empty());

    let (status, _, body) = fetch(server.post("/content").form(&[
        ("title", "Alte Aktion"),
        ("body", "Rückgabe binnen 14 Tagen."),
        ("valid_until", "2025-12-31"),
    ]))
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    fetch(server.post("/consistency/run")).await;
    assert!(
        server.store.findings().await.expect("findings").is_empty(),
        "a text no longer published contradicts nothing"
    );
}

// --- surveys and the dashboard ------------------------------------------------------------

/// A touchpoint and an NPS survey on it, made through the API; returns (touchpoint, survey).
async fn survey_fixture(server: &Server, metric: &str) -> (i64, Value) {
    let touchpoint = server.create(&input("Kasse")).await;
    let tp = touchpoint["id"].as_i64().expect("a touchpoint id");
    let response = server
        .post("/api/v1/surveys")
        .json(&json!({ "touchpoint_id": tp, "metric": metric }))
        .send()
        .await
        .expect("create a survey");
    assert_eq!(response.status(), StatusCode::CREATED);
    (tp, response.json().await.expect("the survey as JSON"))
}

fn slug_path(survey: &Value) -> String {
    survey["path"].as_str().expect("a path").to_owned()
}

/// The path of the survey's link signed for this customer reference and channel, as staff
/// get it.
async fn signed_path(server: &Server, survey: &Value, c: &str, ch: &str) -> String {
    let key = touchpoints_app::links::survey_link_key(server.store.as_ref())
        .await
        .expect("the key for survey links");
    let slug = survey["slug"].as_str().expect("a slug");
    touchpoints_app::links::signed_survey_link(&key, slug, c, ch, "")
}

/// The signature a link for this customer reference and channel carries.
async fn signature_of(server: &Server, survey: &Value, c: &str, ch: &str) -> String {
    let path = signed_path(server, survey, c, ch).await;
    path.split_once("sig=").expect("a signature").1.to_owned()
}

async fn answers_of(server: &Server, survey: &Value) -> u64 {
    let id = survey["id"].as_i64().expect("a survey id");
    server.get_json(&format!("/api/v1/surveys/{id}")).await["responses"]
        .as_u64()
        .expect("a count of answers")
}

#[tokio::test]
async fn the_public_survey_page_needs_no_login_and_speaks_the_visitors_language() {
    let server = Server::start().await;
    let (_, survey) = survey_fixture(&server, "nps").await;
    let anonymous = server.nobody();
    let path = slug_path(&survey);
    let (status, _, body) = fetch(anonymous.get(&path)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Wie wahrscheinlich ist es"), "{body}");
    assert!(
        body.contains("<legend>"),
        "the scale is a fieldset with a legend"
    );
    for score in 0..=10 {
        assert!(
            body.contains(&format!(r#"name="score" value="{score}""#)),
            "{score}"
        );
    }
    assert!(body.contains("sehr unwahrscheinlich"));
    assert!(!body.contains("<script"), "the page needs no JavaScript");
    let (status, _, body) = fetch(
        anonymous
            .get(&signed_path(&server, &survey, "K-17", "website").await)
            .header(ACCEPT_LANGUAGE, "en-GB,en;q=0.9"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("How likely is it"), "{body}");
    assert!(body.contains(r#"name="c" value="K-17""#));
    assert!(body.contains(r#"name="ch" value="website""#));
    let (status, _, body) = fetch(anonymous.get("/s/nothere")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("nicht gefunden"));
}

#[tokio::test]
async fn an_answer_off_the_scale_is_refused_and_stores_nothing() {
    let server = Server::start().await;
    let (_, survey) = survey_fixture(&server, "csat").await;
    let path = slug_path(&survey);
    for score in ["6", "0", "", "zehn"] {
        let (status, _, body) = fetch(
            server
                .nobody()
                .post(&path)
                .form(&[("score", score), ("comment", "nett")]),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{score}: {body}");
        assert!(body.contains(r#"id="score-error""#), "{body}");
        assert!(body.contains("nett"), "the comment is kept");
    }
    let (_, _, body) = fetch(server.nobody().post(&path).form(&[("score", "9")])).await;
    assert!(body.contains("Bitte einen Wert von"), "{body}");
    let (_, _, body) = fetch(
        server
            .nobody()
            .post(&format!("{path}?lang=en"))
            .form(&[("score", "")]),
    )
    .await;
    assert!(body.contains("Please fill in."), "{body}");
    assert_eq!(answers_of(&server, &survey).await, 0);
}

#[tokio::test]
async fn survey_pages_are_limited_per_survey_and_address_and_answers_per_survey_and_day() {
    let server = Server::start_with(touchpoints_server::Settings {
        quotas: touchpoints_server::Quotas {
            survey_per_address: 4,
            survey_answers_per_day: 2,
            ..touchpoints_server::Quotas::default()
        },
        ..touchpoints_server::Settings::default()
    })
    .await;
    let (touchpoint, first) = survey_fixture(&server, "csat").await;
    let second: Value = server
        .post("/api/v1/surveys")
        .json(&json!({ "touchpoint_id": touchpoint, "metric": "csat" }))
        .send()
        .await
        .expect("create a survey")
        .json()
        .await
        .expect("the survey as JSON");
    let (first, second_survey) = (slug_path(&first), second);
    let second = slug_path(&second_survey);
    for n in 1..=4 {
        let (status, _, _) = fetch(server.nobody().get(&first)).await;
        assert_eq!(status, StatusCode::OK, "request {n}");
    }
    let (status, _, body) =
        fetch(server.nobody().get(&first).header(ACCEPT_LANGUAGE, "de-DE")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("Zu viele Anfragen"), "{body}");
    // Another survey from the same address, and the login page, count apart.
    let (status, _, _) = fetch(server.nobody().get(&second)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = fetch(server.nobody().get("/login")).await;
    assert_eq!(status, StatusCode::OK);

    // Two answers a day to the second survey; the third is not stored and says why.
    for n in 1..=2 {
        let (status, _, body) = fetch(server.nobody().post(&second).form(&[("score", "4")])).await;
        assert_eq!(status, StatusCode::OK, "answer {n}: {body}");
        assert!(body.contains("Vielen Dank"), "{body}");
    }
    let (status, _, body) = fetch(
        server
            .nobody()
            .post(&format!("{second}?lang=en"))
            .form(&[("score", "5")]),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("No more answers today"), "{body}");
    assert_eq!(answers_of(&server, &second_survey).await, 2);
}

#[tokio::test]
async fn a_good_answer_is_stored_and_counted_on_the_dashboard() {
    let server = Server::start().await;
    let (tp, survey) = survey_fixture(&server, "nps").await;
    let path = slug_path(&survey);
    let sig = signature_of(&server, &survey, "K-17", "").await;
    let (status, _, body) = fetch(server.nobody().post(&path).form(&[
        ("score", "9"),
        ("comment", "Schnell und freundlich"),
        ("c", "K-17"),
        ("ch", ""),
        ("sig", &sig),
    ]))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Vielen Dank"), "{body}");
    assert_eq!(answers_of(&server, &survey).await, 1);
    let report = server.get_json("/api/v1/kpis?metric=nps").await;
    assert_eq!(report["total"]["current"]["n"], 1, "{report}");
    let html = page(&server, "/dashboard?metric=nps").await;
    assert!(html.contains(r#"n = <span class="n">1</span>"#), "{html}");
    assert!(
        html.contains(&format!(r#"data-key="{tp}""#)),
        "the breakdown row"
    );
    assert!(html.contains(r#"id="kpi-data""#));
    assert!(
        html.contains("heat-10"),
        "one promoter colours the card green"
    );
    let responses = server
        .get_json(&format!("/api/v1/responses?touchpoint_id={tp}"))
        .await;
    assert!(responses.to_string().contains("K-17"), "{responses}");
}

#[tokio::test]
async fn a_closed_survey_takes_no_answers() {
    let server = Server::start().await;
    let (tp, survey) = survey_fixture(&server, "ces").await;
    let id = survey["id"].as_i64().expect("an id");
    let (status, _, body) = submit(
        &server,
        &format!("/surveys/{id}"),
        &[
            ("touchpoint_id", tp.to_string()),
            ("metric", "ces".to_owned()),
            ("channel", String::new()),
            ("question_de", String::new()),
            ("question_en", String::new()),
            ("follow_up_de", String::new()),
            ("follow_up_en", String::new()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let path = slug_path(&survey);
    let (status, _, body) = fetch(server.nobody().get(&path)).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(body.contains("beendet"));
    let (status, _, _) = fetch(server.nobody().post(&path).form(&[("score", "5")])).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(answers_of(&server, &survey).await, 0);
}

#[tokio::test]
async fn surveys_are_set_up_listed_and_deleted_by_form() {
    let server = Server::start().await;
    let tp = server.create(&input("Hotline")).await["id"]
        .as_i64()
        .expect("an id");
    let new = page(&server, "/surveys/new").await;
    assert!(new.contains("placeholder=\"Wie wahrscheinlich"), "{new}");
    let mut fields = vec![
        ("touchpoint_id", String::new()),
        ("metric", "csat".to_owned()),
        ("channel", String::new()),
        ("question_de", String::new()),
        ("question_en", "How did we do?".to_owned()),
        ("follow_up_de", String::new()),
        ("follow_up_en", String::new()),
        ("active", "1".to_owned()),
    ];
    let (status, _, body) = submit(&server, "/surveys", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#"id="touchpoint_id-error""#), "{body}");
    fields[0].1 = tp.to_string();
    let (status, location, body) = submit(&server, "/surveys", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location.as_deref(), Some("/surveys"));
    let list = server.get_json("/api/v1/surveys").await;
    let survey = &list[0];
    assert_eq!(survey["question_en"], "How did we do?");
    assert_eq!(survey["question_de"], "Wie zufrieden waren Sie mit uns?");
    let html = fetch(
        server
            .get("/surveys")
            .header("host", "umfrage.example:8080"),
    )
    .await
    .2
    .replace("&#x2f;", "/");
    let slug = survey["slug"].as_str().expect("a slug");
    assert!(
        html.contains(&format!("http://umfrage.example:8080/s/{slug}")),
        "{html}"
    );
    assert!(html.contains("Hotline"));
    let id = survey["id"].as_i64().expect("an id");
    let (status, _, _) = fetch(server.post(&format!("/surveys/{id}/delete"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(server.get_json("/api/v1/surveys").await, json!([]));
}

#[tokio::test]
async fn the_dashboard_renders_without_answers_in_both_languages() {
    let server = Server::start().await;
    server.create(&input("Kasse")).await;
    let de = page(&server, "/dashboard").await;
    assert!(de.contains("Wichtigkeit und Leistung"), "{de}");
    assert!(de.contains("Keine Antworten in diesem Zeitraum."));
    assert!(de.contains("heat-none"));
    let en = page(
        &server,
        "/dashboard?lang=en&metric=ces&granularity=week&by=channel",
    )
    .await;
    assert!(en.contains("Importance and performance"), "{en}");
    assert!(en.contains(r#"<option value="ces" selected>"#));
    let (status, _, body) = fetch(server.get("/dashboard?metric=stars&from=gestern")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#"id="metric-error""#), "{body}");
    assert!(body.contains(r#"id="from-error""#), "{body}");
    assert!(
        body.contains("Bitte ein Datum im Format JJJJ-MM-TT angeben."),
        "{body}"
    );
    assert!(!body.contains("is no day in the form"), "{body}");
    let (status, _, body) = fetch(server.get("/dashboard?from=2026-06-01&until=2026-05-01")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Das Ende muss nach dem Anfang liegen."),
        "{body}"
    );
}

#[tokio::test]
async fn dashboard_tables_export_as_csv_and_as_a_workbook() {
    let server = Server::start().await;
    let (tp, survey) = survey_fixture(&server, "nps").await;
    let path = slug_path(&survey);
    for score in ["10", "3"] {
        let (status, _, _) = fetch(server.nobody().post(&path).form(&[("score", score)])).await;
        assert_eq!(status, StatusCode::OK);
    }
    let response = server
        .get("/dashboard/export.csv?table=breakdown&metric=nps")
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[CONTENT_DISPOSITION]
            .to_str()
            .expect("text")
            .contains("attachment")
    );
    let csv = response.text().await.expect("the CSV");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "key,label,n,value,low_95,high_95,few_answers,previous_n,previous_value,\
         previous_low_95,previous_high_95,change,significant"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].starts_with(&format!("{tp},Kasse,2,0,")), "{csv}");
    // The interval's lower end is negative, and a number to a spreadsheet, not text.
    let low = lines[1].split(',').nth(4).expect("low_95");
    assert!(low.starts_with('-') && low.parse::<f64>().is_ok(), "{csv}");
    let tiles = fetch(server.get("/dashboard/export.csv?table=tiles"))
        .await
        .2;
    assert_eq!(tiles.lines().count(), 4, "{tiles}");
    assert!(
        tiles.lines().nth(1).expect("a row").starts_with("nps,2,"),
        "{tiles}"
    );
    let trend = fetch(server.get("/dashboard/export.csv?table=trend&granularity=month"))
        .await
        .2;
    assert!(
        trend.starts_with("period,start,n,value,low_95,high_95"),
        "{trend}"
    );
    assert_eq!(
        trend.lines().count(),
        13,
        "twelve months and the header: {trend}"
    );
    let (status, _, _) = fetch(server.get("/dashboard/export.csv?table=secrets")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let response = server
        .get("/dashboard/export.xlsx?metric=nps")
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .expect("text")
            .contains("spreadsheetml")
    );
    let bytes = response.bytes().await.expect("the workbook");
    assert!(bytes.starts_with(b"PK"), "a zip file");
}

#[tokio::test]
async fn the_dashboard_shows_retention_churn_and_revenue_beside_the_scores() {
    let server = Server::start().await;
    let quarters = "/dashboard?from=2026-01-01&until=2026-07-01&granularity=quarter";
    let before = page(&server, quarters).await;
    assert!(
        !before.contains("customers-head"),
        "no section before any customer event: {before}"
    );
    let events = two_quarters_of_customer_events();
    let (status, body) = send(server.post("/api/v1/customer-events").json(&events)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let html = page(&server, quarters).await;
    assert!(
        html.contains("Kundenbasis, Kundenbindung und Umsatz"),
        "{html}"
    );
    let table = html
        .split(r#"<table class="customers">"#)
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .expect("the customers table");
    let rows: Vec<Vec<String>> = table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            row.split(['<', '>'])
                .enumerate()
                .filter(|(i, part)| i % 2 == 0 && !part.trim().is_empty())
                .map(|(_, part)| part.trim().to_owned())
                .collect()
        })
        .collect();
    // Q2: S = 3, N = 1, lost 1, E = 3; retention (E − N) / S = 2/3, churn 1/3; revenue
    // 300 € after 150 € is +100 %. Q1 has no customers at its start: no rates, no growth.
    assert_eq!(
        rows,
        [
            ["2026-Q1", "0", "3", "0", "3", "–", "–", "150 €", "2", "–"],
            [
                "2026-Q2", "3", "1", "1", "3", "66,7 %", "33,3 %", "300 €", "1", "+100,0 %"
            ],
        ],
        "{table}"
    );
    // The last quarter on tiles beside the scores. Retention 2 of 3: the Wilson interval
    // for 2/3 at n = 3 is 20.8 % to 93.9 %, half its width 36.5 points.
    let tile = |metric: &str| {
        html.split(&format!(r#"data-metric="{metric}""#))
            .nth(1)
            .and_then(|rest| rest.split("</div>").next())
            .unwrap_or_else(|| panic!("the {metric} tile in {html}"))
            .to_owned()
    };
    let retention = tile("retention");
    assert!(
        retention.contains("Kundenbindung <span class=\"muted\">2026-Q2</span>"),
        "{retention}"
    );
    assert!(
        retention.contains(r#"<p class="kpi-value">66,7 % <span class="kpi-margin""#),
        "{retention}"
    );
    assert!(retention.contains(">± 36,5</span>"), "{retention}");
    assert!(
        retention.contains(r#"<span class="n">3</span>"#),
        "{retention}"
    );
    // Q1 had no customers at its start: nothing to compare with.
    assert!(retention.contains("Kein Vergleich"), "{retention}");
    assert!(tile("churn").contains(r#"<p class="kpi-value">33,3 % "#));
    let growth = tile("revenue_growth");
    assert!(
        growth.contains(r#"<p class="kpi-value">+100,0 %</p>"#),
        "{growth}"
    );
    assert!(growth.contains("vollständig gezählt"), "{growth}");
    let en = page(&server, &format!("{quarters}&lang=en")).await;
    assert!(en.contains("Customer base, retention and revenue"), "{en}");
    assert!(en.contains(">66.7 %<"), "{en}");

    let csv = fetch(server.get(
        "/dashboard/export.csv?table=customers&from=2026-01-01&until=2026-07-01&granularity=quarter",
    ))
    .await
    .2;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "period,start,customers_at_start,gained,lost,customers_at_end,retention_percent,\
         churn_percent,revenue_eur,purchases,revenue_growth_percent"
    );
    assert_eq!(
        lines[2], "2026-Q2,2026-04-01,3,1,1,3,66.67,33.33,300,1,100",
        "{csv}"
    );
}

#[tokio::test]
async fn a_touchpoints_page_shows_its_scores_surveys_and_open_requests() {
    let server = Server::start().await;
    let (tp, survey) = survey_fixture(&server, "nps").await;
    let html = page(&server, &format!("/touchpoints/{tp}")).await;
    assert!(html.contains("Bewertungen an diesem Touchpoint"), "{html}");
    assert!(
        html.contains("Keine Antworten in diesem Zeitraum."),
        "{html}"
    );
    for score in ["10", "10", "3"] {
        let (status, _, _) = fetch(
            server
                .nobody()
                .post(&slug_path(&survey))
                .form(&[("score", score)]),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "store",
        "touchpoint_id": tp,
        "customer": {"name": "Anna Schulz", "email": "anna@example.de"},
        "subject": "Kassenbon fehlt",
        "body": "Ich habe keinen Bon bekommen.",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let request = body["id"].as_i64().expect("an id");

    let html = page(&server, &format!("/touchpoints/{tp}")).await;
    // Two promoters and one detractor of three: NPS = 66.7 − 33.3 = 33.
    let tile = html
        .split(r#"data-metric="nps""#)
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("the NPS tile");
    assert!(tile.contains(r#"<p class="kpi-value">33 "#), "{tile}");
    assert!(tile.contains(r#"n = <span class="n">3</span>"#), "{tile}");
    assert!(
        !html.contains(r#"data-metric="csat""#),
        "no CSAT answers: {html}"
    );
    let survey_id = survey["id"].as_i64().expect("a survey id");
    assert!(
        html.contains(&format!(
            r#"<a href="/surveys/{survey_id}/answers">3 Antworten</a>"#
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            r#"<a href="/requests/{request}">Kassenbon fehlt</a>"#
        )),
        "{html}"
    );
    let queue_link = format!(r#"href="/queue?touchpoint_id={tp}""#);
    assert!(
        !html.contains(&queue_link),
        "one request needs no link: {html}"
    );
    // Beyond ten open requests, the page links the queue for the rest.
    let more: Vec<Value> = (0..10)
        .map(|i| {
            json!({
                "channel": "store",
                "touchpoint_id": tp,
                "customer": {"name": "Anna Schulz", "email": "anna@example.de"},
                "subject": format!("Frage {i}"),
                "body": "Noch eine Frage.",
            })
        })
        .collect();
    let (status, body) = send(
        server
            .post("/api/v1/requests")
            .json(&json!({ "requests": more })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let html = page(&server, &format!("/touchpoints/{tp}")).await;
    assert_eq!(
        html.matches(r#"<li><a href="/requests/"#).count(),
        10,
        "{html}"
    );
    assert!(html.contains(&queue_link), "{html}");

    // A viewer sees the scores, not the customers' requests.
    let viewer = server.as_role(touchpoints_core::Role::Viewer).await;
    let (status, _, html) = fetch(viewer.get(&format!("/touchpoints/{tp}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"data-metric="nps""#), "{html}");
    assert!(!html.contains("Kassenbon fehlt"), "{html}");
}

#[tokio::test]
async fn the_inventory_shows_scores_and_sorts_by_them() {
    let server = Server::start().await;
    let mut ids = Vec::new();
    for (name, scores) in [
        ("Anmeldung", &["10", "10", "3"][..]),
        ("Mitte", &[][..]),
        ("Zustellung", &["10"][..]),
    ] {
        let id = server.create(&input(name)).await["id"]
            .as_i64()
            .expect("an id");
        ids.push(id);
        if scores.is_empty() {
            continue;
        }
        let survey: Value = server
            .post("/api/v1/surveys")
            .json(&json!({ "touchpoint_id": id, "metric": "nps" }))
            .send()
            .await
            .expect("create a survey")
            .json()
            .await
            .expect("the survey");
        for score in scores {
            let (status, _, _) = fetch(
                server
                    .nobody()
                    .post(&slug_path(&survey))
                    .form(&[("score", *score)]),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
        }
    }
    let order = |html: &str| -> Vec<&'static str> {
        let mut found: Vec<(usize, &'static str)> = ["Anmeldung", "Mitte", "Zustellung"]
            .into_iter()
            .map(|name| (html.find(&format!(">{name}</a>")).expect(name), name))
            .collect();
        found.sort();
        found.into_iter().map(|(_, name)| name).collect()
    };
    let html = page(&server, "/touchpoints?sort=nps").await;
    // NPS 100 (one promoter) before 33 (two promoters, one detractor); none last.
    assert_eq!(order(&html), ["Zustellung", "Anmeldung", "Mitte"], "{html}");
    assert!(
        html.contains(
            r#"<td class="num" data-metric="nps">33 <span class="muted">n = 3</span></td>"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"<option value="nps" selected>"#), "{html}");
    let html = page(&server, "/touchpoints?sort=name").await;
    assert_eq!(order(&html), ["Anmeldung", "Mitte", "Zustellung"], "{html}");
    // The filter still applies to a sorted list.
    let html = page(&server, "/touchpoints?sort=nps&q=Zust").await;
    assert!(!html.contains(">Anmeldung</a>"), "{html}");
}

#[tokio::test]
async fn a_surveys_public_link_is_printable_as_a_qr_code() {
    let server = Server::start().await;
    let (_, survey) = survey_fixture(&server, "nps").await;
    let id = survey["id"].as_i64().expect("a survey id");
    let html = page(&server, &format!("/surveys/{id}")).await;
    let url = html
        .split(r#"class="public-url">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the public link")
        .replace("&#x2f;", "/");
    assert!(
        html.contains(&format!(r#"<img src="/surveys/{id}/qr.svg""#)),
        "{html}"
    );
    assert!(
        page(&server, "/surveys")
            .await
            .contains(&format!("/surveys/{id}/qr.svg"))
    );

    let response = server
        .get(&format!("/surveys/{id}/qr.svg"))
        .send()
        .await
        .expect("the QR code");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "image/svg+xml");
    let svg = response.text().await.expect("SVG");
    // The code holds exactly the page's public link.
    let expected = qrcode::QrCode::new(url.as_bytes())
        .expect("a code")
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .build();
    assert!(url.ends_with(&slug_path(&survey)), "{url}");
    assert_eq!(svg, expected);

    let viewer = server.as_role(touchpoints_core::Role::Viewer).await;
    let (status, _, _) = fetch(viewer.get(&format!("/surveys/{id}/qr.svg"))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = fetch(server.get("/surveys/999999/qr.svg")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn response_times_read_as_hours_and_export_as_csv() {
    let server = Server::start().await;
    let touchpoint = server.create(&input("Hotline")).await["id"]
        .as_i64()
        .expect("an id");
    let received = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_mins(135))
        .expect("an instant");
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "phone",
        "touchpoint_id": touchpoint,
        "customer": {"name": "Anna Schulz", "phone": "+49 171 1234567"},
        "subject": "Rückruf",
        "body": "Bitte rufen Sie mich zurück.",
        "received_at": received.to_string(),
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().expect("an id");
    let (status, body) = send(
        server
            .post(&format!("/api/v1/requests/{id}/actions"))
            .json(&json!({"action": "reply", "body": "Guten Tag Frau Schulz, gern."})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The first reply came 135 minutes after the request.
    let html = page(&server, "/queue/stats?days=7").await;
    assert!(html.contains("<td>2 Std. 15 Min.</td>"), "{html}");
    assert!(!html.contains("<td>135</td>"), "{html}");
    let csv = fetch(server.get("/queue/stats/export.csv?table=touchpoints&days=7"))
        .await
        .2;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "touchpoint_id,touchpoint,requests,responded,median_minutes,p90_minutes,\
         first_response_compliance_percent,resolution_compliance_percent,breached"
    );
    assert!(
        lines[1].starts_with(&format!("{touchpoint},Hotline,1,1,135,135,")),
        "{csv}"
    );
    let overall = fetch(server.get("/queue/stats/export.csv?table=overall&days=7"))
        .await
        .2;
    assert!(
        overall
            .lines()
            .nth(1)
            .expect("a row")
            .starts_with("1,1,135,135,"),
        "{overall}"
    );
    let (status, _, _) = fetch(server.get("/queue/stats/export.csv?table=secrets")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Week by week: a request of eight days ago, answered now, falls in an earlier week
    // (Monday to Sunday, Berlin time) than today's; the week between has none.
    let now = jiff::Timestamp::now();
    let earlier = now
        .checked_sub(jiff::SignedDuration::from_hours(8 * 24))
        .expect("an instant");
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "phone",
        "touchpoint_id": touchpoint,
        "customer": {"name": "Ben Yilmaz", "phone": "+49 171 7654321"},
        "subject": "Rechnung",
        "body": "Wo bleibt meine Rechnung?",
        "received_at": earlier.to_string(),
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let late = body["id"].as_i64().expect("an id");
    let (status, body) = send(
        server
            .post(&format!("/api/v1/requests/{late}/actions"))
            .json(&json!({"action": "reply", "body": "Guten Tag Herr Yilmaz, anbei."})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let berlin = jiff::tz::TimeZone::get("Europe/Berlin").expect("the zone");
    let monday = |at: jiff::Timestamp| {
        let day = at.to_zoned(berlin.clone()).date();
        day.checked_sub(jiff::Span::new().days(day.weekday().to_monday_zero_offset()))
            .expect("a Monday")
            .to_string()
    };
    let weeks = fetch(server.get("/queue/stats/export.csv?table=weeks&days=14"))
        .await
        .2;
    let rows: Vec<&str> = weeks.lines().collect();
    assert_eq!(
        rows[0],
        "week,requests,responded,median_minutes,p90_minutes,\
         first_response_compliance_percent,resolution_compliance_percent,breached"
    );
    // Fourteen days touch three weeks, oldest first.
    assert_eq!(rows.len(), 4, "{weeks}");
    let row = |week: String| {
        rows.iter()
            .find(|r| r.starts_with(&format!("{week},")))
            .unwrap_or_else(|| panic!("{week} in {weeks}"))
            .to_string()
    };
    // The week the first request came in: early on a Monday, 135 minutes before was the
    // week before.
    let its_week = row(monday(received));
    assert!(its_week.ends_with(",1,1,135,135,,,0"), "{weeks}");
    // Eight days to the reply: 11,520 minutes.
    let that_week = row(monday(earlier));
    assert!(that_week.contains(",1,1,1152"), "{weeks}");
    assert_eq!(
        rows.iter().filter(|r| r.contains(",0,0,,,,,0")).count(),
        1,
        "{weeks}"
    );
    let html = page(&server, "/queue/stats?days=14").await;
    assert!(html.contains("Verlauf nach Wochen"), "{html}");
    assert!(html.contains("optimum=\"0\" value=\"100\""), "{html}");
    let response = server
        .get("/queue/stats/export.xlsx?days=7")
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .bytes()
            .await
            .expect("the workbook")
            .starts_with(b"PK")
    );
    let agent = server.as_role(touchpoints_core::Role::Agent).await;
    let (status, _, _) = fetch(agent.get("/queue/stats/export.csv")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn charts_are_served_from_the_binary() {
    let server = Server::start().await;
    let (_, _, dashboard) = fetch(server.get("/dashboard")).await;
    let linked = |prefix: &str| {
        dashboard
            .split('"')
            .find(|part| part.starts_with(prefix))
            .unwrap_or_else(|| panic!("the dashboard links {prefix}…"))
            .to_owned()
    };
    let anonymous = server.nobody();
    let response = anonymous
        .get(&linked("/assets/echarts.min."))
        .send()
        .await
        .expect("fetch");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .expect("text")
            .contains("max-age=31536000")
    );
    let (status, _, body) = fetch(anonymous.get(&linked("/assets/dashboard."))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("kpi-data"));
}

#[tokio::test]
async fn a_phone_that_refuses_cookies_can_still_answer() {
    let server = Server::start().await;
    let (_, survey) = survey_fixture(&server, "csat").await;
    // A bare client: no cookie jar, no CSRF token, no session.
    let response = reqwest::Client::new()
        .post(server.url(&slug_path(&survey)))
        .form(&[("score", "4")])
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(answers_of(&server, &survey).await, 1);
}

// --- The queue's pages -------------------------------------------------------------------

#[tokio::test]
async fn priority_weights_are_a_form_with_a_field_per_weight() {
    let server = Server::start().await;
    let rules = page(&server, "/queue/rules").await;
    // The stored weights fill the form, with their explanation, and the channels by label.
    assert!(
        rules.contains(r#"name="time_per_hour" type="text" value="10""#),
        "{rules}"
    );
    assert!(rules.contains("Punkte je Stunde"), "{rules}");
    assert!(
        rules.contains(r#"name="segment_key_0" type="text" value="premium""#),
        "{rules}"
    );
    assert!(
        rules.contains(r#"<label for="channel_letter">Brief</label>"#),
        "{rules}"
    );
    assert!(!rules.contains("JSON"), "{rules}");

    let mut fields: Vec<(&str, &str)> = vec![
        ("time_per_hour", "12,5"),
        ("horizon_hours", "8"),
        ("value_per_1000_eur", "1"),
        ("value_cap", "20"),
        ("urgent", "30"),
        ("negative", "10"),
        ("repeat_contact", "5"),
        ("repeat_cap", "3"),
        ("segment_key_0", "vip"),
        ("segment_points_0", "40"),
        ("segment_key_1", ""),
        ("segment_points_1", ""),
        ("channel_phone", "5"),
        ("channel_letter", "-5"),
    ];
    let (status, location, body) = fetch(server.post("/queue/rules/weights").form(&fields)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location.as_deref(), Some("/queue/rules"));
    let weights = server
        .store
        .queue_settings()
        .await
        .expect("settings")
        .weights;
    assert!((weights.time_per_hour - 12.5).abs() < f64::EPSILON);
    assert_eq!(
        weights.segments.len(),
        1,
        "premium was not sent, so it is gone"
    );
    assert_eq!(weights.segments.get("vip"), Some(&40.0));
    assert_eq!(weights.channels.get("letter"), Some(&-5.0));

    // Bad numbers are named at their fields, in German, and nothing is stored.
    fields[0] = ("time_per_hour", "viel");
    fields[9] = ("segment_points_0", "5000");
    let (status, _, body) = fetch(server.post("/queue/rules/weights").form(&fields)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#"id="time_per_hour-error""#), "{body}");
    assert!(body.contains("Bitte eine Zahl angeben."), "{body}");
    assert!(body.contains(r#"id="segment_points_0-error""#), "{body}");
    assert!(
        body.contains(r#"value="viel""#),
        "the form keeps what was typed"
    );
    assert_eq!(
        server
            .store
            .queue_settings()
            .await
            .expect("settings")
            .weights,
        weights
    );
}

#[tokio::test]
async fn queue_pages_show_rules_statistics_and_undo_merges() {
    let server = Server::start().await;
    // Rules: a bad target is shown at its field, a good one is listed.
    let (status, _, body) = fetch(server.post("/queue/rules/policies").form(&[
        ("channel", "chat"),
        ("priority", "normal"),
        ("first_response_minutes", "bald"),
        ("resolution_minutes", "60"),
    ]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("id=\"first_response_minutes-error\""),
        "{body}"
    );
    let (status, location, _) = fetch(server.post("/queue/rules/policies").form(&[
        ("channel", "chat"),
        ("priority", "normal"),
        ("first_response_minutes", "15"),
        ("resolution_minutes", "60"),
        ("around_the_clock", "1"),
    ]))
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/queue/rules"));
    // Targets read in minutes, hours or days, the channel by its label.
    let rules = page(&server, "/queue/rules").await;
    assert!(
        rules
            .contains(r#"<th scope="row">Chat</th><td>normal</td><td>15 Min.</td><td>1 Std.</td>"#),
        "{rules}"
    );
    // The calendar: an unknown zone is named at its field.
    let (status, _, body) = fetch(server.post("/queue/rules/calendar").form(&[
        ("calendar_time_zone", "Europe/Nirgendwo"),
        ("calendar_monday", "08:00-18:00"),
    ]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"calendar_time_zone-error\""), "{body}");

    // Two profiles linked by a request, then split again by the admin on the profile page.
    for body in [
        json!({"channel": "chat", "customer": {"email": "a@example.de"}, "body": "eins"}),
        json!({"channel": "phone", "customer": {"phone": "0171 1234567"}, "body": "zwei"}),
        json!({"channel": "email", "customer": {"email": "a@example.de", "phone": "+491711234567"}, "body": "drei"}),
    ] {
        let response = server
            .post("/api/v1/requests")
            .json(&body)
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let customer = page(&server, "/customers/1").await;
    assert!(customer.contains("<dd>+491711234567</dd>"), "{customer}");
    assert!(
        customer.contains("action=\"/customer-merges/1/undo\""),
        "{customer}"
    );
    let (status, location, _) = fetch(server.post("/customer-merges/1/undo")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/customers/1"));
    assert!(
        !page(&server, "/customers/1")
            .await
            .contains("<dd>+491711234567</dd>")
    );
    assert!(
        page(&server, "/customers/2")
            .await
            .contains("<dd>+491711234567</dd>")
    );

    // The queue in its views, and the statistics.
    let queue = page(&server, "/queue?view=all").await;
    assert_eq!(queue.matches("class=\"request-row").count(), 3, "{queue}");
    assert!(
        page(&server, "/queue?view=breached")
            .await
            .contains("queue-list")
    );
    let stats = page(&server, "/queue/stats").await;
    assert!(stats.contains("<td>3</td>"), "{stats}");
}

// --- personalised survey links ------------------------------------------------------------

/// The answers of a touchpoint through the API, newest first.
async fn responses_of(server: &Server, tp: i64) -> Vec<Value> {
    server
        .get_json(&format!("/api/v1/responses?touchpoint_id={tp}"))
        .await
        .as_array()
        .expect("an array")
        .clone()
}

#[tokio::test]
async fn a_made_up_customer_or_channel_in_a_survey_link_attributes_nothing() {
    let server = Server::start().await;
    let (tp, survey) = survey_fixture(&server, "nps").await;
    let path = slug_path(&survey);
    let anonymous = server.nobody();
    let forged_sig = "0".repeat(32);
    for query in [
        "c=K-99&ch=website".to_owned(),
        format!("c=K-99&ch=website&sig={forged_sig}"),
        format!(
            "c=K-99&sig={}",
            signature_of(&server, &survey, "K-17", "").await
        ),
    ] {
        let (status, _, body) = fetch(anonymous.get(&format!("{path}?{query}"))).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert!(!body.contains(r#"value="K-99""#), "{query}: {body}");
        assert!(!body.contains(r#"name="ch""#), "{query}: {body}");
        assert!(
            body.contains("survey-unsigned") && body.contains("ohne sie gespeichert"),
            "the respondent learns the answer is not attributed: {body}"
        );
        assert!(
            body.contains(r#"name="score" value="9""#),
            "the answer is possible"
        );
    }
    // A forged form post is taken, without the forged attribution.
    for (c, ch, sig) in [
        ("K-99", "website", ""),
        ("K-99", "website", forged_sig.as_str()),
        (
            "K-99",
            "",
            &signature_of(&server, &survey, "K-17", "").await,
        ),
    ] {
        let (status, _, body) = fetch(anonymous.post(&path).form(&[
            ("score", "9"),
            ("c", c),
            ("ch", ch),
            ("sig", sig),
        ]))
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("Vielen Dank"), "{body}");
    }
    let responses = responses_of(&server, tp).await;
    assert_eq!(responses.len(), 3, "{responses:?}");
    for response in &responses {
        assert!(response["customer_ref"].is_null(), "{response}");
        assert_ne!(response["channel"], "website", "{response}");
    }
}

#[tokio::test]
async fn staff_make_signed_links_that_attribute_answers() {
    let server = Server::start().await;
    let (tp, survey) = survey_fixture(&server, "nps").await;
    let id = survey["id"].as_i64().expect("an id");
    let agent = server.as_role(touchpoints_core::Role::Agent).await;
    let (status, _, html) = fetch(agent.get(&format!("/surveys/{id}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!(r#"href="/surveys/{id}/link""#)),
        "{html}"
    );
    let (status, _, html) = fetch(agent.get(&format!(
        "/surveys/{id}/link?customer_ref=K-17&channel=website"
    )))
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let html = html.replace("&#x2f;", "/").replace("&amp;", "&");
    let start = html
        .find(r#"id="personal-link""#)
        .expect("the link is shown");
    let value = &html[start..];
    let value = &value[value.find("value=\"").expect("a value") + 7..];
    let link = &value[..value.find('"').expect("the value ends")];
    let path = &link[link.find("/s/").expect("a survey path")..];
    assert!(path.contains("c=K-17") && path.contains("sig="), "{path}");

    // The respondent's page carries the attribution, and the answer keeps it.
    let anonymous = server.nobody();
    let (status, _, body) = fetch(anonymous.get(path)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(r#"name="c" value="K-17""#), "{body}");
    assert!(!body.contains("survey-unsigned"), "{body}");
    let hidden = |name: &str| {
        let marker = format!(r#"name="{name}" value=""#);
        let start = body.find(&marker).expect("a hidden field") + marker.len();
        body[start..start + body[start..].find('"').expect("ends")].to_owned()
    };
    let (c, ch, sig) = (hidden("c"), hidden("ch"), hidden("sig"));
    let (status, _, body) = fetch(anonymous.post(&slug_path(&survey)).form(&[
        ("score", "10"),
        ("c", c.as_str()),
        ("ch", ch.as_str()),
        ("sig", sig.as_str()),
    ]))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let responses = responses_of(&server, tp).await;
    assert_eq!(responses.len(), 1, "{responses:?}");
    assert_eq!(responses[0]["customer_ref"], "K-17");
    assert_eq!(responses[0]["channel"], "website");

    // The same link with another customer is no longer signed.
    let tampered = path.replace("c=K-17", "c=K-18");
    let (_, _, body) = fetch(anonymous.get(&tampered)).await;
    assert!(
        !body.contains(r#"value="K-18""#) && body.contains("survey-unsigned"),
        "{body}"
    );
}

#[tokio::test]
async fn personalised_links_need_a_known_channel_and_an_agent() {
    let server = Server::start().await;
    let (_, survey) = survey_fixture(&server, "csat").await;
    let id = survey["id"].as_i64().expect("an id");
    let (status, _, html) = fetch(server.get(&format!(
        "/surveys/{id}/link?customer_ref=K-1&channel=brieftaube"
    )))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="channel-error""#), "{html}");
    assert!(!html.contains(r#"id="personal-link""#), "{html}");
    let long = "K".repeat(121);
    let (status, _, html) =
        fetch(server.get(&format!("/surveys/{id}/link?customer_ref={long}"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="customer_ref-error""#), "{html}");
    let (status, _, html) = fetch(server.get(&format!("/surveys/{id}/link"))).await;
    assert_eq!(status, StatusCode::OK, "an empty form");
    assert!(!html.contains(r#"id="personal-link""#), "{html}");
    let viewer = server.as_role(touchpoints_core::Role::Viewer).await;
    let (status, _, html) = fetch(viewer.get(&format!("/surveys/{id}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("/link\""), "{html}");
    let (status, _, _) = fetch(viewer.get(&format!("/surveys/{id}/link?customer_ref=K-1"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Agents open on the queue, where their work is; everyone else on the journey map.
#[tokio::test]
async fn the_start_page_depends_on_the_role() {
    let server = Server::start().await;
    for (role, start) in [
        (touchpoints_core::Role::Agent, "/queue"),
        (touchpoints_core::Role::Viewer, "/journey"),
        (touchpoints_core::Role::Manager, "/journey"),
        (touchpoints_core::Role::Admin, "/journey"),
    ] {
        let browser = server.as_role(role).await;
        let response = browser.get("/").send().await.expect("send");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{role:?}");
        assert_eq!(
            response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok()),
            Some(start),
            "{role:?}"
        );
    }
    let response = server.nobody().get("/").send().await.expect("send");
    assert_eq!(
        response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/login")
    );
}

#[tokio::test]
async fn pages_name_a_channel_by_its_label_not_its_key() {
    let server = Server::start().await;
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "email",
        "customer": {"name": "Anna Schulz", "email": "anna@example.de"},
        "subject": "Lieferung",
        "body": "Wann kommt mein Sofa?",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().expect("an id");
    let customer = body["customer_id"].as_i64().expect("a customer");

    let queue = page(&server, "/queue").await;
    assert!(queue.contains("<td>E-Mail</td>"), "{queue}");
    assert!(!queue.contains("<td>email</td>"), "{queue}");
    let request = page(&server, &format!("/requests/{id}")).await;
    assert!(request.contains("<dd>E-Mail</dd>"), "{request}");
    let english = page(&server, &format!("/requests/{id}?lang=en")).await;
    assert!(english.contains("<dd>E-mail</dd>"), "{english}");
    let profile = page(&server, &format!("/customers/{customer}")).await;
    assert!(profile.contains("E-Mail ·"), "{profile}");
    assert!(!profile.contains(">email ·"), "{profile}");
}

#[tokio::test]
async fn a_touchpoints_history_names_statuses_channels_and_phases_by_their_labels() {
    let server = Server::start().await;
    let created = server
        .create(&json!({
            "name": "Kasse", "channel": "store", "phase": "during-purchase", "status": "planned",
        }))
        .await;
    let id = created["id"].as_i64().expect("an id");
    let (status, body) = send(server.put(&format!("/api/v1/touchpoints/{id}")).json(&json!({
        "name": "Kasse", "channel": "online-shop", "phase": "after-purchase", "status": "active",
    })))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let html = page(&server, &format!("/touchpoints/{id}")).await;
    for (before, after) in [
        ("Geplant", "Aktiv"),
        ("Filiale", "Onlineshop"),
        ("Während des Kaufs", "Nach dem Kauf"),
        ("Physisch", "Digital"),
    ] {
        assert!(
            html.contains(&format!("<del>{before}</del> → <ins>{after}</ins>")),
            "{before} → {after}: {html}"
        );
    }
    assert!(!html.contains("<del>planned</del>"), "{html}");
    let html = page(&server, &format!("/touchpoints/{id}?lang=en")).await;
    assert!(
        html.contains("<del>Planned</del> → <ins>Active</ins>"),
        "{html}"
    );
}

#[tokio::test]
async fn the_survey_form_carries_every_metrics_standard_question_for_its_placeholders() {
    let server = Server::start().await;
    let html = page(&server, "/surveys/new").await;
    let at = html
        .find("data-standard='")
        .expect("the questions of every metric");
    let json = &html[at + "data-standard='".len()..];
    let json = &json[..json.find('\'').expect("the attribute ends")];
    let questions: Value = serde_json::from_str(json).expect("JSON in the attribute");
    assert_eq!(questions["csat"]["de"], "Wie zufrieden waren Sie mit uns?");
    assert_eq!(
        questions["ces"]["en"],
        "How easy was it to get your issue handled?"
    );
    assert!(
        questions["nps"]["de"]
            .as_str()
            .is_some_and(|q| q.starts_with("Wie wahrscheinlich"))
    );
}

#[tokio::test]
async fn a_surveys_answers_are_read_with_their_comments_filtered_by_band_and_text() {
    let server = Server::start().await;
    let (_, survey) = survey_fixture(&server, "nps").await;
    let id = survey["id"].as_i64().expect("a survey id");
    let path = slug_path(&survey);
    for (score, comment) in [
        ("2", "Niemand hat zurückgerufen <b>!</b>"),
        ("8", "Ganz ordentlich"),
        ("10", ""),
    ] {
        let (status, _, _) = fetch(
            server
                .nobody()
                .post(&path)
                .form(&[("score", score), ("comment", comment)]),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    // First visit: the answers with a comment, newest first, comments escaped.
    let html = page(&server, &format!("/surveys/{id}/answers")).await;
    assert!(html.contains("2 Antworten, die neuesten zuerst."), "{html}");
    let ordentlich = html.find("Ganz ordentlich").expect("the passive's comment");
    let niemand = html
        .find("Niemand hat zurückgerufen &lt;b&gt;!&lt;&#x2f;b&gt;")
        .unwrap_or_else(|| panic!("the detractor's comment, escaped: {html}"));
    assert!(ordentlich < niemand, "newest first");
    // The unhappy end of the scale only.
    let low = page(
        &server,
        &format!("/surveys/{id}/answers?band=low&comments=1"),
    )
    .await;
    assert!(low.contains("Niemand hat"), "{low}");
    assert!(!low.contains("Ganz ordentlich"), "{low}");
    assert!(low.contains(r#"<option value="low" selected>niedrig (0–6)</option>"#));
    // The filter form as a browser submits it, every field present.
    let high = page(
        &server,
        &format!("/surveys/{id}/answers?band=high&comments=1&q="),
    )
    .await;
    assert!(
        high.contains("Keine Antworten für diese Auswahl."),
        "{high}"
    );
    // Every answer, with a text: none matches.
    let all = page(
        &server,
        &format!("/surveys/{id}/answers?comments=0&q=liefer"),
    )
    .await;
    assert!(all.contains("Keine Antworten für diese Auswahl."), "{all}");
    let all = page(&server, &format!("/surveys/{id}/answers?comments=0")).await;
    assert!(all.contains("3 Antworten"), "{all}");
    // The survey's page links to its answers.
    let form = page(&server, &format!("/surveys/{id}")).await;
    assert!(form.contains(&format!(
        r#"<a href="/surveys/{id}/answers">Antworten lesen</a>"#
    )));

    // The distribution of the three answers: one detractor, one passive, one promoter, so
    // NPS = 33 % − 33 % = 0; and this month's NPS in the trend.
    assert!(
        all.contains(r#"<tr><th scope="row">2</th><td class="num">1</td>"#),
        "{all}"
    );
    assert!(
        all.contains(r#"<tr><th scope="row">3</th><td class="num">0</td>"#),
        "{all}"
    );
    assert!(all.contains(r#"<p class="kpi-value">NPS 0 "#), "{all}");
    let month = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Europe/Berlin").expect("Berlin"))
        .strftime("%Y-%m")
        .to_string();
    assert!(
        all.contains(&format!(
            r#"<tr><th scope="row">{month}</th><td class="num">0 <span class="badge few">"#
        )),
        "{all}"
    );
    // A period without answers, and a day that is none.
    let today = jiff::Zoned::now().date();
    let before = today
        .checked_sub(jiff::Span::new().days(10))
        .expect("a day");
    let earlier = page(
        &server,
        &format!("/surveys/{id}/answers?comments=0&from={before}&until={before}"),
    )
    .await;
    assert!(
        earlier.contains("Keine Antworten für diese Auswahl."),
        "{earlier}"
    );
    let (status, _, body) = fetch(server.get(&format!("/surveys/{id}/answers?from=gestern"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#"id="from-error""#), "{body}");

    // The answers the filters keep, as CSV and Excel.
    let (status, _, csv) = fetch(server.get(&format!("/surveys/{id}/answers.csv?band=low"))).await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "answered_at,score,comment,channel,customer_ref");
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].contains(",2,Niemand hat zurückgerufen <b>!</b>,"),
        "{csv}"
    );
    let xlsx = server
        .get(&format!("/surveys/{id}/answers.xlsx"))
        .send()
        .await
        .expect("send")
        .bytes()
        .await
        .expect("a workbook");
    assert!(xlsx.starts_with(b"PK"));
}

#[tokio::test]
async fn a_chat_widget_with_a_bad_website_is_refused_in_the_pages_language() {
    let server = Server::start().await;
    let chat = server
        .create(&json!({"name": "Live-Chat", "channel": "chat", "phase": "during-purchase"}))
        .await["id"]
        .as_i64()
        .expect("an id");
    let (status, _, body) = fetch(server.post(&format!("/queue/chat/{chat}?lang=de")).form(&[
        ("enabled", "on"),
        ("origins", "https://shop.example\nshop.example/pfad"),
    ]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains(
            r#"<p class="field-error">Bitte eine Website-Adresse wie https:&#x2f;&#x2f;shop.example angeben"#
        ),
        "{body}"
    );
    assert!(!body.contains("is no web origin"), "{body}");
    assert!(
        server
            .store
            .chat_widgets()
            .await
            .expect("widgets")
            .is_empty()
    );
}

#[tokio::test]
async fn a_segment_is_built_from_rule_rows_counted_and_sent_to_as_a_campaign_draft() {
    let server = Server::start().await;
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "email", "customer": {"name": "Anna Schulz", "email": "anna@example.de"},
        "subject": "Frage", "body": "Eine Frage.",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(page(&server, "/segments/new").await.contains("Segment-Tag"));

    // A bad row is named at its row; the blank rows say nothing.
    let (status, _, html) = fetch(server.post("/segments").form(&[
        ("name", "Neu"),
        ("combine", "all"),
        ("rule_field", "open_requests"),
        ("rule_holds", "yes"),
        ("rule_value", "viele"),
        ("rule_field", ""),
        ("rule_holds", "yes"),
        ("rule_value", ""),
    ]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="rule_0-error""#), "{html}");
    assert_eq!(server.get_json("/api/v1/segments").await, json!([]));

    let (status, location, _) = fetch(server.post("/segments").form(&[
        ("name", "Offene Anfragen"),
        ("combine", "all"),
        ("rule_field", "open_requests"),
        ("rule_holds", "yes"),
        ("rule_value", "1"),
        ("rule_field", "consent"),
        ("rule_holds", "no"),
        ("rule_value", "email_marketing"),
    ]))
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.expect("to the segment");
    let html = page(&server, &location).await;
    assert!(
        html.contains("1 Kundinnen und Kunden, davon 0 per Kampagne erreichbar"),
        "{html}"
    );
    assert!(html.contains("Anna Schulz"), "{html}");
    assert!(
        html.contains(r#"<option value="no" selected>trifft nicht zu</option>"#),
        "{html}"
    );
    let segments = server.get_json("/api/v1/segments").await;
    assert_eq!(
        segments[0]["rules"],
        json!([{"field": "open_requests", "op": "at_least", "value": "1"},
               {"field": "consent", "op": "not_given", "value": "email_marketing"}])
    );
    assert!(
        page(&server, "/segments?lang=en")
            .await
            .contains("Reachable by campaign")
    );

    let (status, template) = send(server.post("/api/v1/templates").json(&json!({
        "name": "Hinweis", "language": "de", "subject": "Neu", "body": "{{ greeting }},\n\nneu bei uns.",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{template}");
    let (status, location, _) = fetch(server.post("/campaigns").form(&[
        ("name", "Herbst"),
        ("segment_id", segments[0]["id"].to_string().as_str()),
        ("template_id", template["id"].to_string().as_str()),
        ("per_minute", "600"),
    ]))
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = page(&server, &location.expect("to the campaign")).await;
    // Nobody is reachable: the message shows as for a customer of whom nothing is known.
    assert!(html.contains("Guten Tag,\n\nneu bei uns."), "{html}");
    assert!(html.contains("An 0 Kundinnen und Kunden senden"), "{html}");
    assert!(
        page(&server, "/campaigns?lang=en")
            .await
            .contains("draft, not sent")
    );

    // A mail server without a public address for the links: the send is refused on the page,
    // with the way to the settings.
    let (status, body) = send(
        server
            .admin_browser()
            .put("/api/v1/mail/settings")
            .json(&json!({
                "host": "127.0.0.1", "port": 2525, "security": "none",
                "from_address": "service@nordlicht.example", "from_name": "Nordlicht",
            })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = location_id(&server).await;
    let (status, _, html) = fetch(server.post(&format!("/campaigns/{id}/send"))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains(r#"href="/admin/mail""#), "{html}");

    let (status, _, html) = fetch(
        server
            .nobody()
            .get(&format!("/u/{id}/1/{}", "0".repeat(32))),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Von Werbe-Mails abmelden"), "{html}");
}

/// The id of the newest campaign.
async fn location_id(server: &Server) -> i64 {
    server.get_json("/api/v1/campaigns").await[0]["id"]
        .as_i64()
        .expect("a campaign")
}
