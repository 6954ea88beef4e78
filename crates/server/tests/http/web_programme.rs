//! The 30-day programme's page over real HTTP: started by its form, phases with dates and
//! states, overdue tasks flagged, manual tasks ticked by forms that work without JavaScript,
//! refused input shown inline, readers without forms, German and English.

use crate::common;

use common::Server;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use touchpoints_core::Role;

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

/// The `<tr>` of a task on the page.
fn row<'a>(html: &'a str, key: &str) -> &'a str {
    let start = html
        .find(&format!(r#"<tr id="task-{key}""#))
        .unwrap_or_else(|| panic!("no row of {key}"));
    let end = html[start..].find("</tr>").expect("row ends") + start;
    &html[start..end]
}

#[tokio::test]
async fn a_manager_starts_the_programme_and_ticks_a_task_by_form() {
    let server = Server::start().await;
    let (status, _, html) = fetch(server.get("/programme")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Das Programm ist noch nicht gestartet."),
        "{html}"
    );
    assert!(html.contains(r#"<form method="post" action="/programme""#));
    assert!(html.contains("Programm starten"));

    let (status, location, _) = fetch(
        server
            .post("/programme")
            .form(&[("start_day", "2020-01-01")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/programme"));

    let (_, _, html) = fetch(server.get("/programme")).await;
    assert!(html.contains("Runde 1"));
    assert!(html.contains("01.01.2020 – 07.01.2020"), "{html}");
    assert!(html.contains("26.01.2020 – 30.01.2020"));
    assert!(html.contains("die 30 Tage sind vorbei"));
    assert!(html.contains("Optimierung fortsetzen"));
    // Long past: the training is overdue and can be ticked; the inventory is read from the
    // data and has no form.
    let training = row(&html, "crm_training");
    assert!(training.contains("programme-status-overdue"), "{training}");
    assert!(training.contains(r#"action="/programme/tasks/crm_training""#));
    assert!(training.contains("Kundenservice"));
    assert!(training.contains("15.01.2020"));
    let inventory = row(&html, "inventory_complete");
    assert!(!inventory.contains("<form"), "{inventory}");
    assert!(inventory.contains("0 von 0"));
    assert!(html.contains(r#"href="/api/v1/programme.ics?lang=de""#));
    assert!(html.contains("0 von 3 erledigt"));

    let (status, location, _) = fetch(
        server
            .post("/programme/tasks/crm_training")
            .form(&[("done", "1")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/programme#task-crm_training"));
    let (_, _, html) = fetch(server.get("/programme")).await;
    let training = row(&html, "crm_training");
    assert!(training.contains("programme-status-done"), "{training}");
    assert!(training.contains("Abgehakt von Test Admin"), "{training}");
    assert!(training.contains("Wieder öffnen"));
    assert!(html.contains("1 von 3 erledigt"));
}

#[tokio::test]
async fn refused_input_is_shown_on_the_page_and_stores_nothing() {
    let server = Server::start().await;
    let (status, _, html) = fetch(server.post("/programme").form(&[("start_day", "morgen")])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="start_day-error""#), "{html}");
    assert!(html.contains(r#"aria-invalid="true""#));
    assert!(html.contains(r#"value="morgen""#));
    assert!(html.contains("Das Programm ist noch nicht gestartet."));

    fetch(
        server
            .post("/programme")
            .form(&[("start_day", "2027-03-01")]),
    )
    .await;
    let (status, _, html) = fetch(
        server
            .post("/programme/tasks/inventory_complete")
            .form(&[("done", "1")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Diese Aufgabe liest das Produkt aus seinen Daten"),
        "{html}"
    );
}

#[tokio::test]
async fn viewers_read_the_programme_without_forms() {
    let server = Server::start().await;
    fetch(
        server
            .post("/programme")
            .form(&[("start_day", "2027-03-01")]),
    )
    .await;
    let viewer = server.as_role(Role::Viewer).await;
    let (status, _, html) = fetch(viewer.get("/programme")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Bestandsaufnahme"));
    assert!(
        !html.contains("<form method=\"post\" action=\"/programme"),
        "{html}"
    );
    for (path, field, value) in [
        ("/programme", "start_day", "2027-04-01"),
        ("/programme/tasks/review_done", "done", "1"),
    ] {
        let (status, _, _) = fetch(viewer.post(path).form(&[(field, value)])).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn the_page_speaks_english_and_the_plan_links_to_it() {
    let server = Server::start().await;
    fetch(
        server
            .post("/programme")
            .form(&[("start_day", "2027-03-01")]),
    )
    .await;
    // The German page says nothing in English.
    let (_, _, german) = fetch(server.get("/programme?lang=de")).await;
    for english in [
        ">Task<",
        ">Owner<",
        ">Due<",
        ">Progress<",
        "Round 1",
        "Mark as done",
        "overdue<",
        "from the data",
    ] {
        assert!(!german.contains(english), "{english} on the German page");
    }
    let (_, _, html) = fetch(server.get("/programme?lang=en")).await;
    for english in [">Task<", ">Owner<", ">Due<", "Round 1", "Mark as done"] {
        assert!(html.contains(english), "{english} on the English page");
    }
    assert!(html.contains("30-day programme"));
    assert!(html.contains("2027-03-01 – 2027-03-07"), "{html}");
    assert!(html.contains("Team trained"));
    assert!(!html.contains("Bestandsaufnahme"));
    let (_, _, plan) = fetch(server.get("/actions")).await;
    assert!(plan.contains(r#"href="/programme""#));
}
