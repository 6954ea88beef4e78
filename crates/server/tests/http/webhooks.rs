//! Webhooks over real HTTP: the admin's API refuses bad subscriptions naming the field; an
//! event reaches a receiver on loopback signed with the subscription's secret, is tried again
//! after the receiver's 500 with the same event id, and is not sent again once delivered or
//! while another server holds its lease; a loopback URL is refused without `allow_private`.

use crate::common;

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use common::{Server, send};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::json;
use touchpoints_app::webhooks::{deliver_due, signature};
use touchpoints_core::webhook::{DeliveryStatus, Event};
use touchpoints_server::webhooks::HttpTransport;

/// What the receiver got: event id, timestamp, signature and body of each POST.
type Received = Arc<Mutex<Vec<(String, String, String, String)>>>;

/// A receiver on loopback that answers 500 to the first POST and 204 to the rest.
async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    let log = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let log = log.clone();
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned()
                };
                let mut log = log.lock().expect("log");
                log.push((
                    header("touchpoints-event-id"),
                    header("touchpoints-timestamp"),
                    header("touchpoints-signature"),
                    String::from_utf8_lossy(&body).into_owned(),
                ));
                match log.len() {
                    1 => AxumStatus::INTERNAL_SERVER_ERROR,
                    _ => AxumStatus::NO_CONTENT,
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}/hook"), received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_subscriptions_are_refused_naming_the_field() {
    let server = Server::start().await;
    let admin = server.admin_browser();
    for (body, field) in [
        (
            json!({"url": "no url", "events": ["request.created"]}),
            "url",
        ),
        (
            json!({"url": "ftp://hooks.example.com/", "events": ["request.created"]}),
            "url",
        ),
        (
            json!({"url": "http://hooks.example.com/", "events": ["request.created"]}),
            "url",
        ),
        (
            json!({"url": "https://hooks.example.com/", "events": ["request.lost"]}),
            "events[0]",
        ),
    ] {
        let (status, answer) = send(admin.post("/api/v1/webhooks").json(&body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["errors"][0]["field"], field, "{answer}");
    }
    // An admin's: the write token acts as a manager.
    let (status, _) = send(server.post("/api/v1/webhooks").json(&json!({
        "url": "https://hooks.example.com/", "events": ["request.created"]
    })))
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(server.store.webhooks().await.expect("list").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_signed_retried_and_sent_once() {
    let server = Server::start().await;
    let admin = server.admin_browser();
    let (url, received) = receiver().await;

    // Without allow_private the loopback receiver is refused at send time.
    let (status, refused) = send(admin.post("/api/v1/webhooks").json(&json!({
        "url": url, "events": ["request.created"], "allow_http": true
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{refused}");
    let refused_id = refused["id"].as_i64().expect("id");
    let (status, _) = send(admin.post(&format!("/api/v1/webhooks/{refused_id}/test"))).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    // The server's own worker sends it at once.
    let mut log = serde_json::Value::Null;
    for _ in 0..100 {
        (_, log) = send(admin.get(&format!("/api/v1/webhooks/{refused_id}/deliveries"))).await;
        if log[0]["status"] == "failed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(log[0]["status"], "failed", "{log}");
    let error = log[0]["last_error"].as_str().expect("error");
    assert!(
        error.contains("127.0.0.1") && error.contains("loopback"),
        "{error}"
    );
    assert!(received.lock().expect("log").is_empty());
    send(admin.delete(&format!("/api/v1/webhooks/{refused_id}"))).await;

    // Allowed: the secret is shown once, and signs every delivery.
    let (status, created) = send(admin.post("/api/v1/webhooks").json(&json!({
        "url": url, "events": ["request.created"], "allow_http": true, "allow_private": true
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().expect("id");
    let secret = created["secret"].as_str().expect("secret").to_owned();
    let (_, shown) = send(admin.get(&format!("/api/v1/webhooks/{id}"))).await;
    assert!(shown.get("secret").is_none(), "{shown}");
    // The rounds below run on a clock of their own, on the server's database but without
    // its worker: the server stops first.
    let stopped = server.stop();
    let store = stopped.store.as_ref();
    let poster = HttpTransport::new();
    let event = Event::request_created(7, "email", None, Some(3));
    store
        .queue_webhook_event(id, &event, Timestamp::now())
        .await
        .expect("event");

    let now = Timestamp::now();
    let first = deliver_due(store, &poster, || now).await.expect("round");
    assert_eq!(first.retried, 1, "{first:?}");
    // Nothing is due again before the retry's time.
    let early = deliver_due(store, &poster, || now).await.expect("round");
    assert_eq!(early.retried + early.delivered, 0);
    let later = now + SignedDuration::from_mins(2);
    let second = deliver_due(store, &poster, || later).await.expect("round");
    assert_eq!(second.delivered, 1, "{second:?}");
    // Delivered: never again, however late.
    let much_later = later + SignedDuration::from_hours(48);
    let none = deliver_due(store, &poster, || much_later)
        .await
        .expect("round");
    assert_eq!(none, Default::default());

    let got = received.lock().expect("log").clone();
    assert_eq!(got.len(), 2, "one failed try and one retry: {got:?}");
    assert_eq!(got[0].0, got[1].0, "the same event id on every try");
    assert_eq!(got[0].3, got[1].3, "the same body on every try");
    for (event_id, timestamp, sig, body) in &got {
        let ts: i64 = timestamp.parse().expect("unix seconds");
        assert_eq!(sig, &signature(&secret, ts, body));
        let body: serde_json::Value = serde_json::from_str(body).expect("json");
        assert_eq!(body["id"], event_id.as_str());
        assert_eq!(body["type"], "request.created");
        assert_eq!(body["data"]["request_id"], 7);
    }
    let log = store.deliveries(id, 10).await.expect("log");
    assert_eq!(
        (log[0].status, log[0].attempts, log[0].last_status),
        (DeliveryStatus::Delivered, 2, Some(204))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_held_by_a_dead_server_goes_once_after_its_lease() {
    // The store alone, without a server whose worker would deliver on its own.
    let dir = tempfile::tempdir().expect("temp dir");
    let store = touchpoints_store::open(&format!("sqlite://{}/t.db", dir.path().display()))
        .await
        .expect("a store");
    let (url, received) = receiver().await;
    let store = store.as_ref();
    let fields = touchpoints_core::webhook::SubscriptionInput {
        url,
        events: vec!["campaign.sent".into()],
        active: true,
        allow_http: true,
        allow_private: true,
    }
    .validate()
    .expect("valid");
    let hook = store
        .create_webhook(&fields, "s", "admin")
        .await
        .expect("create");
    let now = Timestamp::now();
    store
        .queue_webhook_event(hook.id, &Event::ping(hook.id), now)
        .await
        .expect("ping");
    // A server claims it and dies before it posts: a restarted one must wait for the lease.
    let lease = now + SignedDuration::from_mins(2);
    assert_eq!(
        store
            .claim_deliveries(now, lease, 10)
            .await
            .expect("claim")
            .len(),
        1
    );
    let poster = HttpTransport::new();
    let during = deliver_due(store, &poster, || now).await.expect("round");
    assert_eq!(during, Default::default());
    let after = lease + SignedDuration::from_secs(1);
    // The receiver's first answer is a 500; the retry after it is delivered.
    deliver_due(store, &poster, || after).await.expect("round");
    // Its third try (the dead server's counts): five minutes later.
    let retry = after + SignedDuration::from_mins(6);
    let done = deliver_due(store, &poster, || retry).await.expect("round");
    assert_eq!(done.delivered, 1);
    let again = deliver_due(store, &poster, || retry + SignedDuration::from_hours(1))
        .await
        .expect("round");
    assert_eq!(again, Default::default());
    assert_eq!(received.lock().expect("log").len(), 2);
}
