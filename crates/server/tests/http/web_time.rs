//! Times and numbers on the pages as their readers write them: instants in the
//! organisation's time zone (Europe/Berlin until set otherwise), German pages with the
//! German date and decimal comma, the UTC instant kept for machines in `datetime`.

use crate::common;

use common::{Server, send};
use reqwest::StatusCode;
use serde_json::json;

/// The page at `path` in `lang`, which must answer 200.
async fn page(server: &Server, path: &str, lang: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    let response = server
        .get(&format!("{path}{separator}lang={lang}"))
        .send()
        .await
        .expect("send request");
    let status = response.status();
    let body = response.text().await.expect("read the page");
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

/// Takes in a phone request received at `at` (RFC 3339) and returns its id and customer's id.
async fn request_received(server: &Server, at: &str, phone: &str) -> (i64, i64) {
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "phone",
        "customer": {"name": "Anna Schulz", "phone": phone},
        "subject": "Rückruf",
        "body": "Bitte um Rückruf",
        "received_at": at,
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (
        body["id"].as_i64().expect("a request id"),
        body["customer_id"].as_i64().expect("a customer id"),
    )
}

#[tokio::test]
async fn a_request_shows_when_it_came_in_berlin_time_in_winter_and_in_summer() {
    let server = Server::start().await;
    let (winter, _) = request_received(&server, "2026-12-04T14:00:00Z", "0171 1111111").await;
    let (summer, _) = request_received(&server, "2026-07-01T14:00:00Z", "0171 2222222").await;

    // Berlin is UTC+1 in December (CET) and UTC+2 in July (CEST).
    let html = page(&server, &format!("/requests/{winter}"), "de").await;
    assert!(
        html.contains(
            r#"<time datetime="2026-12-04T14:00Z" title="Europe/Berlin, UTC+01:00">04.12.2026, 15:00</time>"#
        ),
        "{html}"
    );
    assert!(!html.contains(" UTC<"), "no time is shown in UTC: {html}");
    let html = page(&server, &format!("/requests/{summer}"), "de").await;
    assert!(
        html.contains(
            r#"<time datetime="2026-07-01T14:00Z" title="Europe/Berlin, UTC+02:00">01.07.2026, 16:00</time>"#
        ),
        "{html}"
    );

    // English pages keep the ISO order, in the same zone.
    let html = page(&server, &format!("/requests/{winter}"), "en").await;
    assert!(html.contains(">2026-12-04 15:00</time>"), "{html}");

    // The API goes on answering in UTC.
    let json = server.get_json(&format!("/api/v1/requests/{winter}")).await;
    assert_eq!(json["received_at"], "2026-12-04T14:00:00Z");
}

#[tokio::test]
async fn a_new_time_zone_shows_on_the_next_page() {
    let server = Server::start().await;
    let (id, _) = request_received(&server, "2026-12-04T14:00:00Z", "0171 1111111").await;
    server
        .store
        .set_time_zone("America/New_York", "tests")
        .await
        .expect("set the time zone");
    let html = page(&server, &format!("/requests/{id}"), "de").await;
    assert!(
        html.contains(r#"title="America/New_York, UTC-05:00">04.12.2026, 09:00</time>"#),
        "{html}"
    );
}

#[tokio::test]
async fn the_audit_log_shows_seconds_in_local_time_and_keeps_the_instant() {
    let server = Server::start().await;
    server
        .store
        .set_time_zone("UTC", "tests")
        .await
        .expect("set the time zone");
    let html = page(&server, "/admin/audit", "de").await;
    // The change of the zone is the newest entry; on a UTC page only the tooltip says UTC.
    assert!(html.contains("settings.time_zone"), "{html}");
    let at = html.find(r#"<time datetime=""#).expect("a time element");
    let element = &html[at..at + html[at..].find("</time>").expect("ends")];
    let (machine, text) = element
        .split_once(r#"" title="UTC">"#)
        .expect("UTC as the tooltip");
    let machine = machine.trim_start_matches(r#"<time datetime=""#);
    // "2026-12-04T14:37:05Z" is shown as "04.12.2026, 14:37:05".
    let (day, clock) = machine
        .trim_end_matches('Z')
        .split_once('T')
        .expect("a date and a time");
    let parts: Vec<&str> = day.split('-').collect();
    assert_eq!(
        text,
        format!("{}.{}.{}, {clock}", parts[2], parts[1], parts[0]),
        "{element}"
    );
    assert_eq!(clock.len(), 8, "to the second: {clock}");
}

#[tokio::test]
async fn german_pages_write_numbers_and_money_with_a_decimal_comma() {
    let server = Server::start().await;
    // Importance 4, 4 and 3: an average of 3.67, shown with one decimal.
    let touchpoint = server
        .create(&json!({
            "name": "Hotline", "channel": "phone", "phase": "after-purchase",
            "importance": {"experience": 4, "loyalty": 4, "referral": 3},
        }))
        .await["id"]
        .as_i64()
        .expect("an id");
    let html = page(&server, "/touchpoints", "de").await;
    assert!(html.contains(r#"<td class="num">3,7</td>"#), "{html}");
    let html = page(&server, "/touchpoints", "en").await;
    assert!(html.contains(r#"<td class="num">3.7</td>"#), "{html}");
    let html = page(&server, &format!("/touchpoints/{touchpoint}"), "de").await;
    assert!(html.contains("<strong>3,7</strong>"), "{html}");

    let (_, customer) = request_received(&server, "2026-12-04T14:00:00Z", "0171 1111111").await;
    let (status, body) = send(
        server
            .put(&format!("/api/v1/customers/{customer}"))
            .json(&json!({"name": "Anna Schulz", "lifetime_value_cents": 123_450})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let html = page(&server, &format!("/customers/{customer}"), "de").await;
    assert!(html.contains("<dd>1.234,50 €</dd>"), "{html}");
    let html = page(&server, &format!("/customers/{customer}"), "en").await;
    assert!(html.contains("<dd>€1,234.50</dd>"), "{html}");
}

#[tokio::test]
async fn the_queue_says_how_long_until_a_request_is_due() {
    let server = Server::start().await;
    let (status, body) = send(server.put("/api/v1/sla-policies").json(&json!({
        "channel": "phone", "priority": "normal", "first_response_minutes": 30,
        "resolution_minutes": 240, "around_the_clock": true})))
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let now = jiff::Timestamp::now();
    let (id, _) = request_received(&server, &now.to_string(), "0171 1111111").await;
    let due: jiff::Timestamp = server.get_json(&format!("/api/v1/requests/{id}")).await["next_due"]
        .as_str()
        .expect("a request under a response target is due")
        .parse()
        .expect("an instant");
    assert!(due > now);

    let html = page(&server, "/queue", "de").await;
    let cell = html
        .split(r#"<td class="due">"#)
        .nth(1)
        .expect("the queue has a due column");
    assert!(
        cell.starts_with(&format!(
            r#"<time datetime="{}""#,
            due.strftime("%Y-%m-%dT%H:%MZ")
        )),
        "{cell}"
    );
    let text = cell
        .split('>')
        .nth(1)
        .and_then(|t| t.split('<').next())
        .expect("a text");
    assert!(text.starts_with("in "), "{text}");
    let html = page(&server, &format!("/requests/{id}"), "en").await;
    assert!(html.contains(" · <time"), "{html}");
}
