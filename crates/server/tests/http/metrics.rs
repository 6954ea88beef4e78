//! `/metrics` and `/readyz` from outside: the real server over HTTP on loopback, the real
//! router with a remote peer address where a loopback socket cannot pretend to be one, and a
//! database whose migration bookkeeping a test moves behind or ahead of the build.

use crate::common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request as HttpRequest, StatusCode as HttpStatus};
use common::{Server, generous, send};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;
use touchpoints_server::AppState;
use tower::ServiceExt;

/// The scrape's lines that are samples, each as (name with labels, value); fails the test on
/// a line that is neither a comment nor a sample of the text format.
fn samples(text: &str) -> Vec<(String, f64)> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (series, value) = line
                .rsplit_once(' ')
                .unwrap_or_else(|| panic!("not a sample: {line}"));
            let name_end = series.find('{').unwrap_or(series.len());
            let name = &series[..name_end];
            assert!(
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
                "not a metric name: {line}"
            );
            if name_end < series.len() {
                assert!(series.ends_with('}'), "unclosed labels: {line}");
            }
            let value = match value {
                "+Inf" => f64::INFINITY,
                "-Inf" => f64::NEG_INFINITY,
                v => v
                    .parse::<f64>()
                    .unwrap_or_else(|_| panic!("not a value: {line}")),
            };
            (series.to_owned(), value)
        })
        .collect()
}

fn value(samples: &[(String, f64)], series: &str) -> Option<f64> {
    samples.iter().find(|(s, _)| s == series).map(|&(_, v)| v)
}

async fn scrape(server: &Server) -> (String, Vec<(String, f64)>) {
    let response = server
        .nobody()
        .get("/metrics")
        .send()
        .await
        .expect("scrape");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "text/plain; version=0.0.4; charset=utf-8");
    let text = response.text().await.expect("the scrape's text");
    let parsed = samples(&text);
    (text, parsed)
}

#[tokio::test]
async fn requests_are_counted_by_route_template_method_and_status() {
    let server = Server::start().await;
    for _ in 0..2 {
        let (status, _) = send(server.get("/api/v1/touchpoints/4711")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = send(server.get("/api/v1/touchpoints/4712")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(server.get("/nowhere/at/all")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (text, samples) = scrape(&server).await;
    let route = r#"method="GET",route="/api/v1/touchpoints/{id}""#;
    assert_eq!(
        value(
            &samples,
            &format!("touchpoints_http_requests_total{{{route},status=\"404\"}}")
        ),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        value(
            &samples,
            &format!("touchpoints_http_request_duration_seconds_count{{{route}}}")
        ),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        value(
            &samples,
            &format!("touchpoints_http_request_duration_seconds_bucket{{{route},le=\"+Inf\"}}")
        ),
        Some(3.0),
        "{text}"
    );
    assert!(
        samples.iter().any(|(s, _)| s
            .starts_with("touchpoints_http_request_duration_seconds_bucket{")
            && s.contains(route)
            && s.ends_with("le=\"0.005\"}")),
        "{text}"
    );
    // What clients typed never becomes a label.
    assert!(
        !text.contains("4711") && !text.contains("nowhere"),
        "{text}"
    );
    assert_eq!(
        value(
            &samples,
            r#"touchpoints_http_requests_total{method="GET",route="unmatched",status="404"}"#
        ),
        Some(1.0),
        "{text}"
    );

    // The scrape itself is counted, by the next one.
    let (_, again) = scrape(&server).await;
    let scrapes = r#"touchpoints_http_requests_total{method="GET",route="/metrics",status="200"}"#;
    assert_eq!(value(&again, scrapes), Some(1.0));
    let (_, third) = scrape(&server).await;
    assert_eq!(value(&third, scrapes), Some(2.0));
}

#[tokio::test]
async fn the_queue_and_its_live_followers_are_gauges() {
    let server = Server::start().await;
    let (text, samples) = scrape(&server).await;
    assert_eq!(
        value(&samples, "touchpoints_open_requests"),
        Some(0.0),
        "{text}"
    );
    assert_eq!(
        value(&samples, "touchpoints_live_queue_followers"),
        Some(0.0)
    );
    assert!(
        samples
            .iter()
            .any(|(s, v)| s.starts_with("touchpoints_build_info{version=") && *v == 1.0),
        "{text}"
    );

    for (id, channel) in [("m-1", "e-mail"), ("m-2", "e-mail"), ("c-1", "phone")] {
        let (status, body) = send(server.post("/api/v1/requests").json(&json!({
            "channel": channel,
            "customer": {"name": "Anna Schulz", "email": "anna.schulz@example.de"},
            "subject": "Lieferung",
            "body": "Wo bleibt mein Sofa?",
            "external_id": id,
        })))
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    // A page following the queue live, kept open while the scrape runs.
    let following = server
        .admin_browser()
        .get("/queue/events")
        .send()
        .await
        .expect("follow the queue");
    assert_eq!(following.status(), StatusCode::OK);

    let (text, samples) = scrape(&server).await;
    assert_eq!(
        value(&samples, "touchpoints_open_requests"),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        value(&samples, "touchpoints_unassigned_requests"),
        Some(3.0)
    );
    assert_eq!(
        value(&samples, "touchpoints_live_queue_followers"),
        Some(1.0)
    );
    drop(following);
}

/// The router of a second state on the server's store, asked as if from `peer`.
async fn ask(
    server: &Server,
    peer: &str,
    headers: &[(&str, String)],
) -> (HttpStatus, String, Option<String>) {
    let state = AppState::new(server.store.clone(), generous()).expect("the app state");
    let mut request = HttpRequest::get("/metrics");
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let mut request = request.body(Body::empty()).expect("a request");
    let peer: SocketAddr = peer.parse().expect("an address");
    request.extensions_mut().insert(ConnectInfo(peer));
    let response = touchpoints_server::app(state)
        .oneshot(request)
        .await
        .expect("an answer");
    let status = response.status();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("the body");
    (
        status,
        String::from_utf8(body.to_vec()).expect("UTF-8"),
        challenge,
    )
}

fn error_message(body: &str) -> String {
    let json: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    assert!(json["errors"].is_array(), "{body}");
    json["message"].as_str().expect("a message").to_owned()
}

#[tokio::test]
async fn another_host_needs_an_admin_or_a_metrics_token() {
    let server = Server::start().await;
    let remote = "203.0.113.7:40000";
    let bearer = |secret: &str| vec![("authorization", format!("Bearer {secret}"))];

    let (status, body, challenge) = ask(&server, remote, &[]).await;
    assert_eq!(status, HttpStatus::UNAUTHORIZED, "{body}");
    assert_eq!(challenge.as_deref(), Some("Bearer"));
    error_message(&body);

    // Read and write tokens act as viewer or manager, never as admin.
    for (_, secret) in [&server.read_token, &server.write_token]
        .into_iter()
        .map(|t| t.as_ref().expect("a token"))
    {
        let (status, body, _) = ask(&server, remote, &bearer(secret)).await;
        assert_eq!(status, HttpStatus::FORBIDDEN, "{body}");
        assert!(error_message(&body).contains("admin"), "{body}");
    }
    let (status, body, _) = ask(&server, remote, &bearer("not-a-token")).await;
    assert_eq!(status, HttpStatus::UNAUTHORIZED, "{body}");
    error_message(&body);

    // A metrics token scrapes from anywhere, and reads nothing else.
    let (scraper, secret) = server
        .token("Prometheus", touchpoints_core::Scope::Metrics)
        .await;
    let (status, body, _) = ask(&server, remote, &bearer(&secret)).await;
    assert_eq!(status, HttpStatus::OK, "{body}");
    assert!(body.contains("\ntouchpoints_build_info{"), "{body}");
    for path in ["/api/v1/touchpoints", "/api/v1/requests", "/api/v1/audit"] {
        let (status, body) = send(server.with_token(&secret).get(path)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
    }
    server
        .store
        .revoke_api_token(scraper.id, "admin")
        .await
        .expect("revoke");
    let (status, body, _) = ask(&server, remote, &bearer(&secret)).await;
    assert_eq!(status, HttpStatus::UNAUTHORIZED, "a revoked token: {body}");

    let (_, manager) = server.login_as(touchpoints_core::Role::Manager).await;
    let manager_session = manager.session.expect("a session");
    let cookie = |session: &str| vec![("cookie", format!("tp_session={session}"))];
    let (status, body, _) = ask(&server, remote, &cookie(&manager_session)).await;
    assert_eq!(status, HttpStatus::FORBIDDEN, "{body}");
    error_message(&body);

    let (status, body, _) = ask(&server, remote, &cookie(&server.admin_session)).await;
    assert_eq!(status, HttpStatus::OK, "{body}");
    assert!(body.contains("\ntouchpoints_build_info{"), "{body}");

    // This host itself, unless a proxy on it passed the request on.
    let (status, body, _) = ask(&server, "127.0.0.1:40000", &[]).await;
    assert_eq!(status, HttpStatus::OK, "{body}");
    let (status, _, _) = ask(&server, "[::1]:40000", &[]).await;
    assert_eq!(status, HttpStatus::OK);
    let forwarded = [("x-forwarded-for", "203.0.113.7".to_owned())];
    let (status, body, _) = ask(&server, "127.0.0.1:40000", &forwarded).await;
    assert_eq!(status, HttpStatus::UNAUTHORIZED, "{body}");
}

// --- readiness ----------------------------------------------------------------------------

/// A server of its own on a database file the test can reach behind the store's back.
struct Own {
    base: String,
    db: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Own {
    async fn start() -> Own {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = format!("sqlite://{}/ready.db", dir.path().display());
        let store = touchpoints_store::open(&db).await.expect("open the store");
        let state = AppState::new(store, generous()).expect("the app state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let base = format!("http://{}", listener.local_addr().expect("its address"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            touchpoints_server::serve(listener, state, async {
                rx.await.ok();
            })
            .await
            .expect("the server runs");
        });
        Own {
            base,
            db,
            shutdown: Some(tx),
            _dir: dir,
        }
    }

    async fn ready(&self) -> (StatusCode, String) {
        let response = reqwest::get(format!("{}/readyz", self.base))
            .await
            .expect("ask for readiness");
        let status = response.status();
        (status, response.text().await.expect("the answer"))
    }

    async fn sql(&self, sql: &str) {
        let mut db = sqlx::SqliteConnection::connect(&self.db)
            .await
            .expect("open the database");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&mut db)
            .await
            .expect("change the bookkeeping");
        db.close().await.expect("close the database");
    }
}

impl Drop for Own {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

#[tokio::test]
async fn readiness_needs_the_schema_this_build_carries() {
    let own = Own::start().await;
    assert_eq!(own.ready().await, (StatusCode::OK, "ready\n".to_owned()));
    let not_ready = (StatusCode::SERVICE_UNAVAILABLE, "not ready\n".to_owned());

    // A newer server migrated the database further.
    own.sql(
        "INSERT INTO _sqlx_migrations \
         (version, description, success, checksum, execution_time) \
         VALUES (999999, 'from a newer build', TRUE, X'00', 0)",
    )
    .await;
    assert_eq!(own.ready().await, not_ready);
    own.sql("DELETE FROM _sqlx_migrations WHERE version = 999999")
        .await;
    assert_eq!(own.ready().await, (StatusCode::OK, "ready\n".to_owned()));

    // A migration that failed half-way, and one missing.
    own.sql(
        "UPDATE _sqlx_migrations SET success = FALSE \
         WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .await;
    assert_eq!(own.ready().await, not_ready);
    own.sql(
        "DELETE FROM _sqlx_migrations \
         WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .await;
    assert_eq!(own.ready().await, not_ready);

    // No bookkeeping at all.
    own.sql("DROP TABLE _sqlx_migrations").await;
    assert_eq!(own.ready().await, not_ready);
}
