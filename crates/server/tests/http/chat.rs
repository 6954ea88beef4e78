//! The chat widget's API over HTTP against the real server: a conversation on an allowed
//! website, the bot's answers from the guideline and the FAQ, the handover into the queue,
//! the person's reply arriving live, the rating counted as CSAT, and every refusal.

use crate::common;

use std::time::Duration;

use common::{Server, generous};
use reqwest::StatusCode;
use serde_json::{Value, json};
use touchpoints_core::consistency::Guideline;
use touchpoints_core::consistency::library::ContentFields;
use touchpoints_core::consistency::text::{TextFormat, plain_text};
use touchpoints_server::{Quotas, Settings};
use touchpoints_store::ChatWidget;

const SHOP: &str = "https://shop.example";

/// A server whose chat touchpoint has the demo company's guideline and FAQ, with its widget
/// on for [`SHOP`]; returns the touchpoint's id.
async fn chat_server(settings: Settings) -> (Server, i64) {
    let server = Server::start_with(settings).await;
    let touchpoint = server
        .client
        .create(&json!({"name": "Live-Chat", "channel": "chat", "phase": "during-purchase"}))
        .await["id"]
        .as_i64()
        .expect("id");
    let guideline = Guideline::from_yaml(include_str!(
        "../../../../examples/nordlicht/guideline.yaml"
    ))
    .expect("guideline");
    server
        .store
        .put_guideline(&guideline, "tests")
        .await
        .expect("guideline");
    for (title, language, html) in [
        (
            "Hilfe & FAQ",
            "de",
            include_str!("../../../../examples/nordlicht/content/website/faq.html"),
        ),
        (
            "Help & FAQ",
            "en",
            include_str!("../../../../examples/nordlicht/content/website/faq-en.html"),
        ),
    ] {
        let fields = ContentFields {
            title: title.into(),
            channel: Some("website".into()),
            touchpoint_id: None,
            url: String::new(),
            language: language.into(),
            body: plain_text(TextFormat::Html, html),
            valid_from: None,
            valid_until: None,
        };
        server
            .store
            .put_content(None, &fields, "tests")
            .await
            .expect("content");
    }
    // The chat's target: a first answer within 5 minutes, around the clock.
    server
        .store
        .put_sla_policy(
            &touchpoints_core::queue::SlaPolicy {
                channel: "chat".into(),
                priority: touchpoints_core::request::Priority::Normal,
                first_response_minutes: 5,
                resolution_minutes: 60,
                around_the_clock: true,
            },
            "tests",
        )
        .await
        .expect("target");
    server
        .store
        .put_chat_widget(
            &ChatWidget {
                touchpoint_id: touchpoint,
                origins: vec![SHOP.into()],
                enabled: true,
            },
            "tests",
        )
        .await
        .expect("widget");
    (server, touchpoint)
}

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

/// Starts a conversation from [`SHOP`] and returns its token.
async fn start(server: &Server, touchpoint: i64, language: &str) -> String {
    let response = http()
        .post(server.url("/chat/v1/conversations"))
        .header("Origin", SHOP)
        .json(&json!({"touchpoint_id": touchpoint, "language": language}))
        .send()
        .await
        .expect("start");
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        SHOP,
        "the shop's pages may read the answer"
    );
    let body: Value = response.json().await.expect("JSON");
    body["token"].as_str().expect("token").to_owned()
}

async fn say(server: &Server, token: &str, text: &str) -> reqwest::Response {
    http()
        .post(server.url("/chat/v1/messages"))
        .header("Origin", SHOP)
        .header("X-Chat-Token", token)
        .json(&json!({ "text": text }))
        .send()
        .await
        .expect("send")
}

/// The conversation's transcript and standing, as the widget reads them.
async fn transcript(server: &Server, token: &str) -> Value {
    http()
        .get(server.url("/chat/v1/messages"))
        .header("X-Chat-Token", token)
        .send()
        .await
        .expect("transcript")
        .json()
        .await
        .expect("JSON")
}

async fn error_of(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("application/json")
    );
    response.json().await.expect("JSON error")
}

#[tokio::test]
async fn the_bot_answers_from_the_guideline_and_names_its_source() {
    let (server, touchpoint) = chat_server(generous()).await;
    let token = start(&server, touchpoint, "de").await;
    let answered: Value = say(
        &server,
        &token,
        "Wie lange habe ich Zeit für eine Rückgabe?",
    )
    .await
    .json()
    .await
    .expect("JSON");
    let bot = &answered["messages"][1];
    assert_eq!(bot["author"], "bot");
    assert!(
        bot["body"].as_str().expect("text").contains("30 Tagen"),
        "{bot}"
    );
    assert_eq!(bot["source"]["kind"], "passage");
    assert_eq!(bot["source"]["facts"][0]["key"], "return-period");
    assert_eq!(bot["source"]["facts"][0]["value"], "30 Tage");
    assert_eq!(answered["offers_person"], false);

    // In English, from the English FAQ; a question no source answers is not guessed.
    let english = start(&server, touchpoint, "en").await;
    let answered: Value = say(&server, &english, "Do you offer an assembly service?")
        .await
        .json()
        .await
        .expect("JSON");
    assert!(
        answered["messages"][1]["body"]
            .as_str()
            .expect("text")
            .contains("39 €")
    );
    let unsure: Value = say(&server, &english, "Do you sell cars?")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(unsure["offers_person"], true);
    assert_eq!(unsure["messages"][1]["source"], Value::Null);

    // The transcript holds all of it, oldest first.
    let transcript = transcript(&server, &english).await;
    assert_eq!(transcript["messages"].as_array().expect("list").len(), 4);
    assert_eq!(transcript["handed_over"], false);

    // Two conversations with questions, both answered by the bot alone so far.
    let dashboard = server
        .client
        .get("/dashboard")
        .send()
        .await
        .expect("dashboard")
        .text()
        .await
        .expect("page");
    assert!(
        dashboard.contains(
            "2 Gespräche mit Fragen: vom Bot beantwortet 100,0 % · an eine Person übergeben 0,0 %"
        ),
        "{dashboard}"
    );
}

#[tokio::test]
async fn bad_input_gets_a_clear_refusal_and_changes_nothing() {
    let (server, touchpoint) = chat_server(generous()).await;
    // A website the widget does not allow: refused before anything happens, preflight too.
    let foreign = http()
        .post(server.url("/chat/v1/conversations"))
        .header("Origin", "https://evil.example")
        .json(&json!({"touchpoint_id": touchpoint}))
        .send()
        .await
        .expect("start");
    let body = error_of(foreign, StatusCode::FORBIDDEN).await;
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("website")
    );
    let preflight = http()
        .request(reqwest::Method::OPTIONS, server.url("/chat/v1/messages"))
        .header("Origin", SHOP)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type, x-chat-token",
        )
        .send()
        .await
        .expect("preflight");
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    assert_eq!(preflight.headers()["access-control-allow-origin"], SHOP);
    assert!(
        preflight.headers()["access-control-allow-headers"]
            .to_str()
            .expect("headers")
            .contains("x-chat-token")
    );
    let refused = http()
        .request(reqwest::Method::OPTIONS, server.url("/chat/v1/messages"))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .expect("preflight");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    // The preview page of a widget that is on; none for a touchpoint without one.
    let preview = http()
        .get(server.url(&format!("/chat/preview?touchpoint={touchpoint}")))
        .send()
        .await
        .expect("preview");
    assert_eq!(preview.status(), StatusCode::OK);
    let page = preview.text().await.expect("page");
    assert!(page.contains("Chat-Vorschau: Live-Chat"), "{page}");
    assert!(
        page.contains(&format!("data-touchpoint=\"{touchpoint}\"")),
        "{page}"
    );
    let none = http()
        .get(server.url(&format!("/chat/preview?touchpoint={}", touchpoint + 100)))
        .send()
        .await
        .expect("preview");
    error_of(none, StatusCode::NOT_FOUND).await;

    // A touchpoint without a widget.
    let missing = http()
        .post(server.url("/chat/v1/conversations"))
        .json(&json!({"touchpoint_id": touchpoint + 100}))
        .send()
        .await
        .expect("start");
    error_of(missing, StatusCode::NOT_FOUND).await;

    let token = start(&server, touchpoint, "de").await;
    let empty = error_of(
        say(&server, &token, "   ").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(empty["errors"][0]["field"], "text");
    let long = error_of(
        say(&server, &token, &"x".repeat(2_001)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(long["errors"][0]["field"], "text");
    let unknown = error_of(
        say(&server, &"f".repeat(64), "Hallo").await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert!(
        unknown["message"]
            .as_str()
            .expect("message")
            .contains("conversation")
    );
    let without = http()
        .post(server.url("/chat/v1/messages"))
        .json(&json!({"text": "Hallo"}))
        .send()
        .await
        .expect("send");
    error_of(without, StatusCode::UNAUTHORIZED).await;
    let malformed = http()
        .post(server.url("/chat/v1/messages"))
        .header("X-Chat-Token", &token)
        .header("content-type", "application/json")
        .body("{\"text\": ")
        .send()
        .await
        .expect("send");
    error_of(malformed, StatusCode::BAD_REQUEST).await;
    // The token works only on the website it was started on.
    let elsewhere = http()
        .get(server.url("/chat/v1/messages"))
        .header("Origin", "https://other-shop.example")
        .header("X-Chat-Token", &token)
        .send()
        .await
        .expect("read");
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN);
    let rating = http()
        .post(server.url("/chat/v1/rating"))
        .header("X-Chat-Token", &token)
        .json(&json!({"score": 9}))
        .send()
        .await
        .expect("rate");
    let body = error_of(rating, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["errors"][0]["field"], "score");

    // None of the refused messages reached the transcript.
    let transcript = transcript(&server, &token).await;
    assert_eq!(transcript["messages"], json!([]));
}

#[tokio::test]
async fn conversations_per_address_are_limited() {
    let settings = Settings {
        quotas: Quotas {
            chats_per_address: 2,
            ..generous().quotas
        },
        ..Settings::default()
    };
    let (server, touchpoint) = chat_server(settings).await;
    start(&server, touchpoint, "de").await;
    start(&server, touchpoint, "de").await;
    let third = http()
        .post(server.url("/chat/v1/conversations"))
        .header("Origin", SHOP)
        .json(&json!({"touchpoint_id": touchpoint}))
        .send()
        .await
        .expect("start");
    error_of(third, StatusCode::TOO_MANY_REQUESTS).await;
}

/// Reads the event stream until an event of `kind` arrives; its data.
async fn next_event(stream: &mut reqwest::Response, buffer: &mut String, kind: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        while let Some(cut) = buffer.find("\n\n") {
            let block: String = buffer.drain(..cut + 2).collect();
            let event = block
                .lines()
                .find_map(|l| l.strip_prefix("event: "))
                .unwrap_or_default();
            let data = block
                .lines()
                .find_map(|l| l.strip_prefix("data: "))
                .unwrap_or("null");
            if event == kind {
                return serde_json::from_str(data).expect("event data");
            }
        }
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no {kind} event within 10 s"))
            .expect("stream")
            .expect("the stream goes on");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn a_person_takes_over_answers_live_and_the_rating_counts() {
    let (server, touchpoint) = chat_server(generous()).await;
    let token = start(&server, touchpoint, "de").await;
    say(&server, &token, "Kann ich ein Sofa mieten?").await;
    let handed: Value = http()
        .post(server.url("/chat/v1/handover"))
        .header("Origin", SHOP)
        .header("X-Chat-Token", &token)
        .json(&json!({"name": "Jana Krüger", "email": "jana@example.de"}))
        .send()
        .await
        .expect("handover")
        .json()
        .await
        .expect("JSON");
    assert_eq!(handed["message"]["author"], "bot");
    assert!(handed["ahead"].is_u64());
    assert_eq!(
        handed["open_now"], true,
        "the chat's target runs around the clock"
    );
    assert!(
        handed["message"]["body"]
            .as_str()
            .expect("text")
            .contains("spätestens"),
        "{handed}"
    );

    // The request waits in the queue with the transcript, the chat's channel and touchpoint.
    let queue = server.client.get_json("/api/v1/requests").await;
    let request = queue
        .as_array()
        .expect("requests")
        .iter()
        .find(|r| r["channel"] == "chat")
        .expect("the chat in the queue")
        .clone();
    let id = request["id"].as_i64().expect("id");
    assert_eq!(request["touchpoint_id"], touchpoint);
    assert_eq!(request["customer_name"], "Jana Krüger");
    assert!(
        request["body"]
            .as_str()
            .expect("body")
            .contains("Kunde: Kann ich ein Sofa mieten?")
    );
    assert!(request["first_response_due"].is_string());
    // Handing over again opens no second request.
    http()
        .post(server.url("/chat/v1/handover"))
        .header("X-Chat-Token", &token)
        .send()
        .await
        .expect("handover again");
    let chats = server
        .client
        .get_json("/api/v1/requests")
        .await
        .as_array()
        .expect("requests")
        .iter()
        .filter(|r| r["channel"] == "chat")
        .count();
    assert_eq!(chats, 1);

    // The customer's stream hears the person's reply and the end of the chat.
    let seen = transcript(&server, &token).await;
    let last = seen["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["id"].as_i64())
        .expect("a message");
    let mut stream = http()
        .get(server.url(&format!("/chat/v1/events?after={last}")))
        .header("X-Chat-Token", &token)
        .send()
        .await
        .expect("events");
    assert_eq!(stream.status(), StatusCode::OK);
    let mut buffer = String::new();
    let reply = server
        .client
        .post(&format!("/api/v1/requests/{id}/actions"))
        .json(&json!({"action": "reply", "body": "Guten Tag, Mieten bieten wir leider nicht an – aber eine Finanzierung."}))
        .send()
        .await
        .expect("reply");
    assert!(reply.status().is_success(), "{:?}", reply.text().await);
    let message = next_event(&mut stream, &mut buffer, "message").await;
    assert_eq!(message["author"], "agent");
    assert!(
        message["body"]
            .as_str()
            .expect("body")
            .contains("Finanzierung")
    );
    // What the customer writes now reaches the request.
    say(&server, &token, "Danke, dann schaue ich mir das an.").await;
    let steps = server
        .client
        .get_json(&format!("/api/v1/requests/{id}"))
        .await;
    assert!(
        steps.to_string().contains("dann schaue ich mir das an"),
        "{steps}"
    );
    server
        .client
        .post(&format!("/api/v1/requests/{id}/actions"))
        .json(&json!({"action": "resolve"}))
        .send()
        .await
        .expect("resolve");
    next_event(&mut stream, &mut buffer, "closed").await;
    let after = transcript(&server, &token).await;
    assert_eq!(after["closed"], true);
    let ended = error_of(
        say(&server, &token, "Noch eine Frage").await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(ended["errors"][0]["field"], "conversation");

    // The rating is a CSAT answer at the chat's touchpoint.
    let rated = http()
        .post(server.url("/chat/v1/rating"))
        .header("X-Chat-Token", &token)
        .json(&json!({"score": 5}))
        .send()
        .await
        .expect("rate");
    assert_eq!(rated.status(), StatusCode::NO_CONTENT);
    let answers = server
        .client
        .get_json(&format!("/api/v1/responses?touchpoint_id={touchpoint}"))
        .await;
    let answers = answers.as_array().expect("responses");
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(
        (answers[0]["metric"].clone(), answers[0]["score"].clone()),
        (json!("csat"), json!(5))
    );
}

#[tokio::test]
async fn after_hours_the_customer_is_told_when_and_the_answer_goes_by_mail_too() {
    let (server, touchpoint) = chat_server(generous()).await;
    // The chat's target counts business hours, and the organisation is closed today and
    // tomorrow (its own closing days), open around the clock otherwise.
    server
        .store
        .put_sla_policy(
            &touchpoints_core::queue::SlaPolicy {
                channel: "chat".into(),
                priority: touchpoints_core::request::Priority::Normal,
                first_response_minutes: 5,
                resolution_minutes: 60,
                around_the_clock: false,
            },
            "tests",
        )
        .await
        .expect("target");
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Europe/Berlin").expect("zone"))
        .date();
    let always = "00:00-24:00".to_owned();
    let calendar = touchpoints_core::sla::CalendarInput {
        time_zone: "Europe/Berlin".into(),
        hours: touchpoints_core::sla::WeekHoursInput {
            monday: always.clone(),
            tuesday: always.clone(),
            wednesday: always.clone(),
            thursday: always.clone(),
            friday: always.clone(),
            saturday: always.clone(),
            sunday: always,
        },
        public_holidays: None,
        custom_holidays: vec![
            today.to_string(),
            today.tomorrow().expect("tomorrow").to_string(),
        ],
    }
    .validate()
    .expect("calendar");
    server
        .store
        .put_calendar(&calendar, "tests")
        .await
        .expect("calendar");

    let token = start(&server, touchpoint, "de").await;
    let asked: Value = say(&server, &token, "Seid ihr gerade erreichbar?")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(asked["messages"][1]["source"]["kind"], "opening_hours");
    assert!(
        asked["messages"][1]["body"]
            .as_str()
            .expect("text")
            .contains("Gerade ist niemand aus unserem Team da"),
        "{asked}"
    );
    let handed: Value = http()
        .post(server.url("/chat/v1/handover"))
        .header("X-Chat-Token", &token)
        .json(&json!({"name": "Lena Graf", "email": "lena@example.de"}))
        .send()
        .await
        .expect("handover")
        .json()
        .await
        .expect("JSON");
    assert_eq!(handed["open_now"], false);
    assert!(handed["next_open"].is_string(), "{handed}");
    assert!(
        handed["message"]["body"]
            .as_str()
            .expect("text")
            .contains("und per E-Mail"),
        "{handed}"
    );

    // The agent's reply goes to the widget and, queued in the outbox, by e-mail.
    let request = server
        .client
        .get_json("/api/v1/requests")
        .await
        .as_array()
        .expect("requests")
        .iter()
        .find(|r| r["channel"] == "chat")
        .expect("the chat")["id"]
        .as_i64()
        .expect("id");
    let replied = server
        .client
        .post(&format!("/api/v1/requests/{request}/actions"))
        .json(&json!({"action": "reply", "body": "Guten Tag Lena Graf, ja, das geht."}))
        .send()
        .await
        .expect("reply");
    assert!(replied.status().is_success());
    let mails = server
        .client
        .get_json(&format!("/api/v1/requests/{request}/mails"))
        .await;
    let mails = mails.as_array().expect("mails");
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0]["recipient"], "lena@example.de");
}
