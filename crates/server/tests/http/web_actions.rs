//! The action plan's pages over real HTTP: the plan ranked with the quick win on top, its
//! reasons and the warning before retiring a touchpoint in use; the form that plans and
//! edits an action, with inline errors that store nothing; the status form and the history;
//! who may write; German and English.

use crate::common;

use common::{Server, send};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, LOCATION};
use serde_json::{Value, json};
use touchpoints_core::Role;

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

/// Creates a touchpoint of this importance (each of the three) through the API.
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

/// A valid action form at `touchpoint`, with some fields replaced or added (a field given
/// twice, like `touchpoint_ids`, is sent twice, as a multiple select sends it).
fn form(touchpoint: i64, overrides: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = [
        ("kind", "optimise"),
        ("title", "Rückrufzeiten halbieren"),
        (
            "goal",
            "Niemand wartet länger als einen Tag auf einen Rückruf",
        ),
        ("status", "planned"),
        ("target_metric", "response_p90_hours"),
        ("target_value", "4"),
        ("target_within_days", "60"),
        ("owner", ""),
        ("team", "Kundenservice"),
        ("person_days", "12,5"),
        ("start", "2027-01-04"),
        ("due", "2027-02-26"),
        ("budget_quarter", "2027-Q1"),
        ("budget_planned", "5.000"),
        ("budget_spent", "1.234,50"),
        ("budget_quarter", ""),
        ("budget_planned", ""),
        ("budget_spent", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect();
    fields.push(("touchpoint_ids", touchpoint.to_string()));
    for (key, value) in overrides {
        match fields.iter_mut().find(|(k, _)| k == key) {
            Some(field) => field.1 = (*value).to_owned(),
            None => fields.push((key, (*value).to_owned())),
        }
    }
    fields
}

/// Posts the form to create an action; returns the id it redirects to.
async fn create_by_form(server: &Server, fields: &[(&'static str, String)]) -> i64 {
    let (status, location, body) = fetch(server.post("/actions").form(fields)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let location = location.expect("a Location");
    location
        .strip_prefix("/actions/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirect to {location}"))
}

/// The stored actions, through the API.
async fn stored(server: &Server) -> Vec<Value> {
    server
        .get_json("/api/v1/actions")
        .await
        .as_array()
        .expect("a list")
        .clone()
}

/// The ids of the plan's rows, in the order the page shows them.
fn rows(html: &str) -> Vec<i64> {
    html.match_indices(r#"data-action=""#)
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect()
}

/// The HTML of the plan's row of an action.
fn row(html: &str, id: i64) -> &str {
    let start = html
        .find(&format!(r#"data-action="{id}""#))
        .unwrap_or_else(|| panic!("no row of action {id}"));
    let end = html[start..].find("</tr>").expect("the row ends") + start;
    &html[start..end]
}

/// NPS answers at `touchpoint`: 5 promoters and 25 detractors, −66.7.
async fn low_nps_at(server: &Server, touchpoint: i64) {
    let answers: Vec<Value> = (0..30)
        .map(|i| {
            json!({"touchpoint_id": touchpoint, "metric": "nps",
                   "score": if i < 5 { 10 } else { 2 }, "customer_ref": format!("kd-{i}")})
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
async fn the_plan_shows_the_quick_win_first_with_its_rule_reasons_and_retire_warning() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 5).await;
    let fax = touchpoint(&server, "Fax", 1).await;
    low_nps_at(&server, hotline).await;
    // A customer still writes to the fax and waits for an answer.
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "letter", "touchpoint_id": fax, "customer": {"email": "anna@example.org"},
        "subject": "Rechnung", "body": "Bitte um Rückruf",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Long and without effort: more points, but no quick win. Created first, so that only
    // the rule can put the short one above it.
    let long = create_by_form(
        &server,
        &form(
            hotline,
            &[
                ("title", "Hotline neu aufstellen"),
                ("person_days", ""),
                ("due", "2027-06-30"),
                ("budget_quarter", ""),
                ("budget_planned", ""),
                ("budget_spent", ""),
            ],
        ),
    )
    .await;
    let retire = create_by_form(
        &server,
        &form(
            fax,
            &[
                ("kind", "retire"),
                ("title", "Fax abschalten"),
                ("target_metric", ""),
                ("target_value", ""),
                ("target_within_days", ""),
            ],
        ),
    )
    .await;
    let quick = create_by_form(
        &server,
        &form(
            hotline,
            &[
                ("title", "Rückrufe am selben Tag"),
                ("person_days", "2"),
                ("due", "2027-01-13"),
                ("budget_quarter", ""),
                ("budget_planned", ""),
                ("budget_spent", ""),
            ],
        ),
    )
    .await;

    let html = page(&server, "/actions").await;
    assert_eq!(rows(&html), [quick, long, retire], "{html}");
    // The quick win and its rule in words, above the table.
    let section = &html[html
        .find(r#"class="quick-win chosen""#)
        .expect("a quick win")..];
    assert!(
        section.contains(&format!(
            r#"<a href="/actions/{quick}">Rückrufe am selben Tag</a>"#
        )),
        "{section}"
    );
    assert!(
        section.contains("Quick Win: in 10 Tagen erledigt"),
        "{section}"
    );
    assert!(html.find("quick-win chosen") < html.find(r#"id="plan""#));
    let first = row(&html, quick);
    assert!(first.contains("quick-win-badge"), "{first}");
    assert!(!row(&html, long).contains("quick-win-badge"));
    // The reasons as the core words them, in German.
    assert!(
        first.contains("<li>NPS -66,7 an einem Touchpoint der Wichtigkeit 5 +"),
        "{first}"
    );
    assert!(
        first.contains("<li>Aufwand 2 Personentage -1,2</li>"),
        "{first}"
    );
    assert!(first.contains(&format!(r#"<a href="/touchpoints/{hotline}">Hotline</a>"#)));
    assert!(first.contains(">Optimieren<") && first.contains(">Geplant<"));
    assert!(
        first.contains("13.01.2027"),
        "the due date, German: {first}"
    );
    // The retire action warns that the fax is still in use.
    let fax_row = row(&html, retire);
    assert!(fax_row.contains(">Streichen<"), "{fax_row}");
    assert!(fax_row.contains("Noch in Nutzung"), "{fax_row}");
    assert!(fax_row.contains("mindestens 1 Kunden"), "{fax_row}");
    assert!(!first.contains("Noch in Nutzung"));
    assert!(
        !html.contains(">in_progress<") && !html.contains(">optimise<"),
        "labels, not keys"
    );

    // Filtered by kind and by status.
    let only_retire = page(&server, "/actions?kind=retire").await;
    assert_eq!(rows(&only_retire), [retire]);
    assert!(only_retire.contains("1 von 3 Maßnahmen"), "{only_retire}");
    let (status, _, _) = fetch(
        server
            .post(&format!("/actions/{long}/status"))
            .form(&[("status", "in_progress"), ("note", "")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let in_progress = page(&server, "/actions?status=in_progress").await;
    assert_eq!(rows(&in_progress), [long]);
    assert!(in_progress.contains(r#"<option value="in_progress" selected>In Arbeit</option>"#));
}

#[tokio::test]
async fn without_a_short_action_the_plan_says_why_there_is_no_quick_win() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 5).await;
    let html = page(&server, "/actions").await;
    assert!(
        html.contains("Kein Quick Win: keine offene Maßnahme"),
        "{html}"
    );
    assert!(html.contains("Noch keine Maßnahmen geplant."));
    create_by_form(&server, &form(hotline, &[("due", "2027-06-30")])).await;
    let html = page(&server, "/actions").await;
    assert!(!html.contains("quick-win chosen"));
    assert!(
        html.contains(
            "Kein Quick Win: keine offene Maßnahme mit Start und Fälligkeit wird in 14 Tagen fertig"
        ),
        "{html}"
    );
}

#[tokio::test]
async fn the_form_creates_an_action_and_redirects_to_it() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 4).await;
    let website = touchpoint(&server, "Website", 3).await;
    server.create_user("carla", Role::Agent, None).await;
    // Two touchpoints chosen in the multiple select: the field twice.
    let mut fields = form(hotline, &[("owner", "carla")]);
    fields.push(("touchpoint_ids", website.to_string()));
    let id = create_by_form(&server, &fields).await;

    let list = stored(&server).await;
    assert_eq!(list.len(), 1);
    let action = &list[0];
    assert_eq!(action["id"], id);
    assert_eq!(action["title"], "Rückrufzeiten halbieren");
    assert_eq!(action["status"], "planned");
    assert_eq!(action["owner"], "carla");
    assert_eq!(action["team"], "Kundenservice");
    assert_eq!(action["person_days"], 12.5, "German decimal comma");
    assert_eq!(
        action["touchpoint_ids"],
        json!([hotline.min(website), hotline.max(website)])
    );
    assert_eq!(
        action["target"],
        json!({"metric": "response_p90_hours", "value": 4.0, "within_days": 60})
    );
    assert_eq!(
        action["budgets"],
        json!({"2027-Q1": {"planned_cents": 500_000, "spent_cents": 123_450}}),
        "euros in German notation, the blank row left out"
    );

    let html = page(&server, &format!("/actions/{id}")).await;
    assert!(html.contains("<h1>Rückrufzeiten halbieren</h1>"), "{html}");
    assert!(
        html.contains("<dd>carla</dd>"),
        "the owner's display name: {html}"
    );
    assert!(html.contains("<dd>12,5</dd>"));
    assert!(
        html.contains("5.000 €") && html.contains("1.234,50 €"),
        "{html}"
    );
    assert!(html.contains("Antwortzeit (p90) höchstens 4 h innerhalb von 60 Tagen"));
    assert!(html.contains("<dd>04.01.2027</dd>") && html.contains("<dd>26.02.2027</dd>"));
    assert!(
        html.contains("Angelegt als Geplant"),
        "the history's first entry"
    );
    assert!(html.contains("<td>Test Admin</td>"), "who: {html}");

    // The edit form is filled with what was stored, and saving it replaces the action.
    let edit = page(&server, &format!("/actions/{id}/edit")).await;
    assert!(
        edit.contains(r#"value="Rückrufzeiten halbieren""#),
        "{edit}"
    );
    assert!(edit.contains(r#"value="12,5""#));
    assert!(edit.contains(r#"value="5000""#) && edit.contains(r#"value="1234,50""#));
    assert!(edit.contains(&format!(
        r#"<option value="{website}" selected>Website</option>"#
    )));
    assert!(edit.contains(r#"<option value="carla" selected>carla (carla)</option>"#));
    assert!(edit.contains(&format!(r#"action="/actions/{id}""#)));
    let (status, location, body) = fetch(server.post(&format!("/actions/{id}")).form(&form(
        hotline,
        &[
            ("title", "Rückrufe binnen 4 Stunden"),
            ("status", "done"),
            ("target_within_days", "1"),
        ],
    )))
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location.as_deref(), Some(format!("/actions/{id}").as_str()));
    let action = &stored(&server).await[0];
    assert_eq!(action["title"], "Rückrufe binnen 4 Stunden");
    assert_eq!(action["touchpoint_ids"], json!([hotline]));
    assert_eq!(action["status"], "planned", "the edit form moves no status");
    let html = page(&server, &format!("/actions/{id}")).await;
    assert!(
        html.contains("Antwortzeit (p90) höchstens 4 h innerhalb von einem Tag"),
        "{html}"
    );
}

#[tokio::test]
async fn invalid_input_shows_the_form_again_with_inline_errors_and_stores_nothing() {
    let server = Server::start().await;
    let (status, location, html) = fetch(server.post("/actions").form(&[
        ("kind", "optimise"),
        ("title", "  "),
        ("goal", "Kunden warten nicht"),
        ("team", "Kundenservice"),
        ("person_days", "viel"),
        ("start", "2027-03-01"),
        ("due", "2027-02-01"),
        ("budget_quarter", "2027-Q5"),
        ("budget_planned", "-5"),
        ("budget_spent", ""),
    ]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert_eq!(location, None);
    for (field, message) in [
        ("title", "Bitte ausfüllen."),
        ("person_days", "Bitte eine Zahl angeben."),
        ("due", "Die Fälligkeit liegt vor dem Start."),
        (
            "touchpoint_ids",
            "Optimieren und Streichen brauchen mindestens einen Touchpoint.",
        ),
        ("budget_quarter_0", "Bitte ein Quartal wie 2027-Q1 angeben."),
        (
            "budget_planned_0",
            "Bitte einen Betrag von 0 bis 10.000.000.000 € angeben.",
        ),
    ] {
        assert!(
            html.contains(&format!(
                r#"<p class="field-error" id="{field}-error">{message}</p>"#
            )),
            "{field}: {html}"
        );
    }
    assert_eq!(html.matches(r#"aria-invalid="true""#).count(), 6, "{html}");
    assert!(html.contains(r#"role="alert""#), "an error summary");
    // What was entered is still there.
    assert!(html.contains(">Kunden warten nicht</textarea>"));
    assert!(html.contains(r#"value="Kundenservice""#));
    assert!(html.contains(r#"value="viel""#));
    assert!(html.contains(r#"value="2027-Q5""#) && html.contains(r#"value="-5""#));
    assert!(
        html.contains(r#"action="/actions""#),
        "still the create form"
    );
    assert!(stored(&server).await.is_empty());

    // A touchpoint or owner that does not exist is the store's to find: named, in German.
    let (status, _, html) = fetch(
        server
            .post("/actions")
            .form(&form(999, &[("owner", "niemand")])),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(
        html.contains("Diesen Touchpoint gibt es nicht (mehr)."),
        "{html}"
    );
    assert!(
        html.contains(r#"id="owner-error">Verantwortlich sein kann nur"#),
        "{html}"
    );
    assert!(stored(&server).await.is_empty());
}

#[tokio::test]
async fn the_status_form_moves_an_action_and_the_history_shows_who_when_and_why() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 4).await;
    let id = create_by_form(&server, &form(hotline, &[])).await;
    let path = format!("/actions/{id}/status");
    for (status, note) in [("in_progress", "Team steht"), ("done", "")] {
        let (code, location, body) = fetch(
            server
                .post(&path)
                .form(&[("status", status), ("note", note)]),
        )
        .await;
        assert_eq!(code, StatusCode::SEE_OTHER, "{body}");
        assert_eq!(location.as_deref(), Some(format!("/actions/{id}").as_str()));
    }
    let html = page(&server, &format!("/actions/{id}")).await;
    let history = &html[html.find("action-history").expect("the history")..];
    let newest = history.find("In Arbeit → Erledigt").expect("done last");
    let older = history
        .find("Geplant → In Arbeit")
        .expect("in progress before");
    assert!(newest < older, "newest first: {history}");
    assert!(history.contains("<td>Team steht</td>"));
    // When, in the organisation's time zone (Berlin, an hour or two ahead of UTC).
    assert!(
        history.contains(r#"title="Europe/Berlin, UTC+0"#),
        "{history}"
    );
    assert!(history.contains("</time></td>"), "when");
    // A done action may only be reopened as planned: the form offers nothing else...
    let form_html = &html[html.find("status-form").expect("a status form")..];
    let form_html = &form_html[..form_html.find("</form>").expect("form ends")];
    assert!(form_html.contains(r#"<option value="planned""#));
    assert!(
        !form_html.contains(r#"<option value="in_progress""#),
        "{form_html}"
    );
    // ...and a tampered one is refused next to the field, changing nothing.
    let (code, _, body) = fetch(
        server
            .post(&path)
            .form(&[("status", "in_progress"), ("note", "")]),
    )
    .await;
    assert_eq!(code, StatusCode::CONFLICT, "{body}");
    assert!(body.contains(
        "Eine erledigte oder verworfene Maßnahme kann nur wieder als geplant geöffnet werden."
    ));
    let (code, _, body) = fetch(server.post(&path).form(&[("status", "fertig")])).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Unbekannter Wert „fertig“."), "{body}");
    assert_eq!(stored(&server).await[0]["status"], "done");

    // A manager deletes it.
    let (code, location, _) = fetch(server.post(&format!("/actions/{id}/delete"))).await;
    assert_eq!(code, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/actions"));
    assert!(stored(&server).await.is_empty());
    let (code, _, _) = fetch(server.get(&format!("/actions/{id}"))).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn viewers_and_agents_read_the_plan_but_cannot_write_it() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 4).await;
    let id = create_by_form(&server, &form(hotline, &[])).await;
    for role in [Role::Viewer, Role::Agent] {
        let reader = server.as_role(role).await;
        let (status, _, html) = fetch(reader.get("/actions")).await;
        assert_eq!(status, StatusCode::OK, "{role:?}");
        assert_eq!(rows(&html), [id]);
        assert!(
            !html.contains(r#"href="/actions/new""#),
            "{role:?} gets no form link"
        );
        let (status, _, html) = fetch(reader.get(&format!("/actions/{id}"))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !html.contains("status-form") && !html.contains("/delete"),
            "{html}"
        );
        for path in ["/actions/new".to_owned(), format!("/actions/{id}/edit")] {
            let (status, _, _) = fetch(reader.get(&path)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} GET {path}");
        }
        let writes = [
            (
                "/actions".to_owned(),
                form(hotline, &[("title", "Heimlich")]),
            ),
            (
                format!("/actions/{id}"),
                form(hotline, &[("title", "Heimlich")]),
            ),
            (
                format!("/actions/{id}/status"),
                vec![("status", "dropped".to_owned())],
            ),
            (format!("/actions/{id}/delete"), vec![]),
        ];
        for (path, fields) in writes {
            let (status, _, _) = fetch(reader.post(&path).form(&fields)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} POST {path}");
        }
    }
    let list = stored(&server).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["title"], "Rückrufzeiten halbieren");
    assert_eq!(list[0]["status"], "planned");
}

#[tokio::test]
async fn the_pages_speak_german_and_english() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 5).await;
    low_nps_at(&server, hotline).await;
    let id = create_by_form(
        &server,
        &form(hotline, &[("due", "2027-01-13"), ("person_days", "2")]),
    )
    .await;

    let german = page(&server, "/actions").await;
    assert!(german.contains(r#"<html lang="de">"#));
    assert!(german.contains("<h1>Maßnahmenplan</h1>"));
    assert!(
        german.contains(r#"href="/actions" aria-current="page">Maßnahmenplan</a>"#),
        "the navigation"
    );
    assert!(german.contains("Quick Win: in 10 Tagen erledigt"));
    // When the customers were counted: on this view, as this server keeps nothing.
    assert!(
        german.contains("Kunden, Anfragen und Antworten gezählt: <time")
            && german.contains(">jetzt</time>"),
        "{german}"
    );
    for english in [
        ">Planned<",
        ">Optimise<",
        ">Action plan<",
        "quick win:",
        "at a touchpoint",
    ] {
        assert!(!german.contains(english), "{english} on a German page");
    }
    let (status, _, english) = fetch(
        server
            .get("/actions")
            .header(ACCEPT_LANGUAGE, "en-GB,en;q=0.9"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(english.contains(r#"<html lang="en">"#));
    assert!(english.contains("<h1>Action plan</h1>"));
    assert!(
        english.contains(">Optimise<") && english.contains(">Planned<"),
        "{english}"
    );
    assert!(english.contains("quick win: done in 10 days"), "{english}");
    assert!(
        english.contains("<li>NPS -66.7 at a touchpoint of importance 5 +"),
        "{english}"
    );
    assert!(english.contains("2027-01-13"));
    for german_text in ["Maßnahme", "Optimieren", "Geplant", "Personentage"] {
        assert!(
            !english.contains(german_text),
            "{german_text} on an English page"
        );
    }

    let detail = page(&server, &format!("/actions/{id}?lang=en")).await;
    assert!(detail.contains("Created as Planned"), "{detail}");
    assert!(
        detail.contains("€5,000") && detail.contains("€1,234.50"),
        "{detail}"
    );
    assert!(detail.contains("Response time (p90) at most 4 h within 60 days"));
    let form_en = page(&server, "/actions/new?lang=en").await;
    assert!(
        form_en.contains(r#"<label for="person_days">Person-days</label>"#),
        "{form_en}"
    );
    assert!(form_en.contains(">Response time p90 (hours, at most)<"));
    let (status, _, invalid) = fetch(
        server
            .post("/actions?lang=en")
            .form(&form(hotline, &[("due", "2026-12-01")])),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        invalid.contains(r#"id="due-error">The due date comes before the start.</p>"#),
        "{invalid}"
    );
}

/// `count` NPS answers at `touchpoint` on `day` at noon UTC, `promoters` of them 10 and the
/// rest 2, through the API.
async fn nps_on(
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
async fn an_actions_page_shows_its_before_and_after_or_why_there_is_none() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 4).await;
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let start = today.checked_sub(jiff::ToSpan::days(10)).expect("a day");
    let day = |offset: i64| {
        start
            .checked_add(jiff::ToSpan::days(offset))
            .expect("a day")
    };
    // NPS −50 before, +50 after: a difference of 100 points.
    nps_on(&server, hotline, day(-5), 40, 10).await;
    nps_on(&server, hotline, day(2), 40, 30).await;
    let (status, body) = send(server.post("/api/v1/actions").json(&json!({
        "kind": "optimise", "title": "Rückrufe binnen einer Stunde",
        "touchpoint_ids": [hotline], "start": start.to_string(),
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let html = page(&server, &format!("/actions/{}", body["id"])).await;
    let nps = html
        .split("<tr class=\"verdict-")
        .find(|row| row.contains(">NPS<"))
        .expect("an NPS row");
    assert!(nps.starts_with("better"), "{nps}");
    assert!(
        nps.contains("-50 (n = 40)") && nps.contains("50 (n = 40)"),
        "{nps}"
    );
    assert!(nps.contains("+100"), "{nps}");
    assert!(nps.contains(">besser<"), "{nps}");
    assert!(html.contains("Der Zeitraum danach läuft noch."), "{html}");
    let csat = html
        .split("<tr class=\"verdict-")
        .find(|row| row.contains(">CSAT<"))
        .expect("a CSAT row");
    assert!(csat.contains(">zu wenige Antworten<"), "{csat}");

    let (status, body) = send(server.post("/api/v1/actions").json(&json!({
        "kind": "launch", "title": "WhatsApp-Kanal",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let html = page(&server, &format!("/actions/{}", body["id"])).await;
    assert!(
        html.contains("Die Maßnahme nennt keinen Touchpoint"),
        "{html}"
    );
}

#[tokio::test]
async fn the_plan_exports_as_csv_and_xlsx_in_its_order() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline", 4).await;
    let id = create_by_form(&server, &form(hotline, &[("title", "=Rückrufe+1")])).await;
    let (status, _, html) = fetch(server.get("/actions")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/actions/export.csv\""), "{html}");

    let response = server
        .get("/actions/export.csv")
        .send()
        .await
        .expect("the CSV");
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response
        .headers()
        .get(reqwest::header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(disposition.contains("action-plan.csv"), "{disposition}");
    let csv = response.text().await.expect("text");
    let mut lines = csv.lines();
    let header = lines.next().expect("a header");
    assert!(
        header.starts_with("rank,id,quick_win,kind,title,status,touchpoints"),
        "{header}"
    );
    let row = lines.next().expect("a row");
    assert!(row.starts_with(&format!("1,{id},")), "{row}");
    // A title that looks like a formula stays text a spreadsheet does not run.
    assert!(row.contains("'=Rückrufe+1"), "{row}");
    assert!(row.contains(",Hotline,"), "{row}");

    let response = server
        .get("/actions/export.xlsx")
        .send()
        .await
        .expect("the workbook");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"PK"), "an XLSX is a zip file");
}

#[tokio::test]
async fn retiring_the_only_touchpoint_of_a_customer_asks_for_a_ticked_confirmation() {
    let server = Server::start().await;
    let fax = touchpoint(&server, "Fax", 1).await;
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "letter", "touchpoint_id": fax, "customer": {"email": "anna@example.org"},
        "subject": "Rechnung", "body": "Bitte per Fax",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = send(
        server
            .post("/api/v1/actions")
            .json(&json!({"kind": "retire", "title": "Fax abschalten", "touchpoint_ids": [fax]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().expect("an id");

    let detail = fetch(
        server
            .get(&format!("/actions/{id}"))
            .header(ACCEPT_LANGUAGE, "de"),
    )
    .await
    .2;
    assert!(
        detail.contains("Trotzdem streichen: Für 1 Kunden war es in den letzten 90 Tagen"),
        "{detail}"
    );
    let (status, _, body) = fetch(
        server
            .post(&format!("/actions/{id}/status"))
            .header(ACCEPT_LANGUAGE, "de")
            .form(&[("status", "in_progress"), ("note", "")]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body.contains("Streichen bitte ausdrücklich bestätigen"),
        "the refusal stands next to the checkbox: {body}"
    );
    assert_eq!(
        server.get_json(&format!("/api/v1/actions/{id}")).await["status"],
        "planned"
    );
    let (status, location, body) = fetch(server.post(&format!("/actions/{id}/status")).form(&[
        ("status", "in_progress"),
        ("note", ""),
        ("confirm_retirement", "1"),
    ]))
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location.as_deref(), Some(format!("/actions/{id}").as_str()));
    assert_eq!(
        server.get_json(&format!("/api/v1/actions/{id}")).await["status"],
        "in_progress"
    );
}

#[tokio::test]
async fn a_manager_sets_the_weights_on_the_settings_page_in_german() {
    let server = Server::start().await;
    server
        .create(&json!({
            "name": "Filiale", "channel": "store", "phase": "during-purchase",
            "target_groups": ["Stammkunden"], "regions": ["Nord"],
        }))
        .await;
    let (status, _, body) = fetch(
        server
            .get("/actions/settings")
            .header(ACCEPT_LANGUAGE, "de"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Gewichtung des Maßnahmenplans"), "{body}");
    assert!(
        body.contains(r#"name="target_groups.Stammkunden""#),
        "{body}"
    );
    assert!(body.contains(r#"name="regions.Nord""#), "{body}");
    assert!(body.contains(r#"value="14""#), "the default rule: {body}");

    let form = [
        ("quick_win_max_days", "21"),
        ("quick_win_max_effort_days", "7,5"),
        ("weights_target_nps", "35"),
        ("weights_target_csat", "80"),
        ("weights_target_ces", "5,5"),
        ("target_groups.Stammkunden", "2,5"),
        ("regions.Nord", "9"),
    ];
    let (status, _, body) = fetch(
        server
            .post("/actions/settings")
            .header(ACCEPT_LANGUAGE, "de")
            .form(&form),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains(r#"id="rg-1-error""#), "{body}");
    assert!(body.contains(r#"value="2,5""#), "kept as typed: {body}");
    assert_eq!(
        server.get_json("/api/v1/action-plan/settings").await["quick_win"]["max_days"],
        14,
        "nothing stored"
    );

    let mut form = form;
    form[6] = ("regions.Nord", "");
    let (status, location, body) = fetch(
        server
            .post("/actions/settings")
            .header(ACCEPT_LANGUAGE, "de")
            .form(&form),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location.as_deref(), Some("/actions"));
    let settings = server.get_json("/api/v1/action-plan/settings").await;
    assert_eq!(
        settings["quick_win"],
        json!({"max_days": 21, "max_effort_days": 7.5})
    );
    assert_eq!(settings["target_groups"], json!({"Stammkunden": 2.5}));
    assert_eq!(settings["regions"], json!({}));
    assert_eq!(settings["weights"]["target_ces"], 5.5);

    let viewer = server.as_role(Role::Viewer).await;
    let (status, _, _) = fetch(viewer.get("/actions/settings")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
