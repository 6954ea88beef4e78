//! Several app servers on one PostgreSQL database, as behind a load balancer: a change made
//! through one reaches the queue pages of the others, and login pauses and the limit of
//! public pages count every server's attempts together.
//!
//! These tests need a PostgreSQL server they may create schemas in, named by
//! `TOUCHPOINTS_TEST_POSTGRES`: they are marked ignored, and `scripts/test` runs them with
//! `--include-ignored`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, COOKIE};
use serde_json::json;
use sqlx::Connection;
use tokio::sync::oneshot;
use touchpoints_app::secrets;
use touchpoints_core::{Role, Scope};
use touchpoints_server::{AppState, Quotas, Settings};
use touchpoints_store::{NewAccount, Store};

/// The URL of the PostgreSQL server.
fn postgres_url() -> String {
    std::env::var("TOUCHPOINTS_TEST_POSTGRES").expect(
        "TOUCHPOINTS_TEST_POSTGRES names no PostgreSQL server: \
         scripts/test starts one, or set it to a server's URL",
    )
}

/// A schema of its own on the PostgreSQL server, dropped at the end of the test.
struct Schema {
    name: String,
}

impl Schema {
    async fn create() -> Schema {
        // The tests of this process run at once: the instant alone can name two alike.
        static CREATED: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "multi_{}_{}_{}",
            std::process::id(),
            jiff::Timestamp::now().as_microsecond() % 1_000_000_000,
            CREATED.fetch_add(1, Ordering::Relaxed)
        );
        Schema::execute(&format!("CREATE SCHEMA {name}")).await;
        Schema { name }
    }

    /// The URL of the database with this schema first on the search path.
    fn url(&self) -> String {
        let url = postgres_url();
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}options[search_path]={}", self.name)
    }

    async fn execute(sql: &str) {
        let mut conn = sqlx::PgConnection::connect(&postgres_url())
            .await
            .expect("connect");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&mut conn)
            .await
            .expect("execute");
    }

    async fn drop(self) {
        Schema::execute(&format!("DROP SCHEMA {} CASCADE", self.name)).await;
    }
}

/// One app server: its own store opened on the URL, listening on a free port, stopped when
/// dropped.
struct AppServer {
    base: String,
    store: Arc<dyn Store>,
    http: reqwest::Client,
    _shutdown: oneshot::Sender<()>,
}

impl AppServer {
    async fn start(url: &str) -> AppServer {
        AppServer::start_with(url, Settings::default()).await
    }

    async fn start_with(url: &str, settings: Settings) -> AppServer {
        let store = touchpoints_store::open(url).await.expect("open the store");
        let state = AppState::new(store.clone(), settings).expect("the app state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port");
        let address = listener.local_addr().expect("the address");
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            touchpoints_server::serve(listener, state, async {
                stopped.await.ok();
            })
            .await
            .expect("the server runs");
        });
        AppServer {
            base: format!("http://{address}"),
            store,
            http: reqwest::Client::new(),
            _shutdown: shutdown,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// An account of this role on the database, and a session of it.
async fn session(store: &dyn Store, username: &str, role: Role) -> String {
    let user = store
        .create_user(
            &NewAccount {
                username: username.to_owned(),
                display_name: username.to_owned(),
                role,
                password_hash: String::new(),
            },
            "tests",
        )
        .await
        .expect("create the account");
    let secret = secrets::new_secret().expect("a session secret");
    let expires = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(1))
        .expect("in an hour");
    store
        .create_session(&secrets::digest(&secret), user.id, expires)
        .await
        .expect("create the session");
    secret
}

/// A write-scoped API token on the database.
async fn write_token(store: &dyn Store) -> String {
    let secret = format!("tp_{}", secrets::new_secret().expect("a token secret"));
    store
        .create_api_token("tests", &secrets::digest(&secret), Scope::Write, "admin")
        .await
        .expect("create the token");
    secret
}

/// Reads the stream until it has sent `kind` (in a queue event), within five
/// seconds; returns everything it read.
async fn hear(stream: &mut reqwest::Response, kind: &str) -> String {
    let mut heard = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !heard.contains(kind) {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no {kind} within 5 s; heard {heard:?}"))
            .expect("read the stream")
            .unwrap_or_else(|| panic!("the stream ended; heard {heard:?}"));
        heard.push_str(&String::from_utf8_lossy(&chunk));
    }
    heard
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn a_request_posted_to_one_server_reaches_the_queue_pages_of_another() {
    let schema = Schema::create().await;
    // Started together: they migrate the new schema in turns.
    let url = schema.url();
    let (a, b) = tokio::join!(AppServer::start(&url), AppServer::start(&url));
    let token = write_token(&*a.store).await;
    let agent = session(&*b.store, "agent-b", Role::Agent).await;
    let agent_a = session(&*a.store, "agent-a", Role::Agent).await;

    let follow = |server: &AppServer, session: &str| {
        server
            .http
            .get(server.url("/queue/events"))
            .header(COOKIE, format!("tp_session={session}"))
            .send()
    };
    let mut on_b = follow(&b, &agent).await.expect("open B's stream");
    assert_eq!(on_b.status(), StatusCode::OK);
    let mut on_a = follow(&a, &agent_a).await.expect("open A's stream");
    assert_eq!(on_a.status(), StatusCode::OK);

    let posted = a
        .http
        .post(a.url("/api/v1/requests"))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .json(&json!({
            "channel": "email",
            "customer": {"email": "lena@example.de"},
            "body": "Wo bleibt meine Bestellung?",
            "external_id": "multi-1",
        }))
        .send()
        .await
        .expect("post a request to A");
    assert_eq!(posted.status(), StatusCode::CREATED);

    let heard_b = hear(&mut on_b, "\"intake\"").await;
    assert!(heard_b.contains("event: queue"), "{heard_b}");
    // The server that made the change hears it once, like the others.
    let heard_a = hear(&mut on_a, "\"intake\"").await;
    assert_eq!(heard_a.matches("\"intake\"").count(), 1, "{heard_a}");
    let more = tokio::time::timeout(Duration::from_millis(500), on_a.chunk()).await;
    if let Ok(Ok(Some(chunk))) = more {
        let text = String::from_utf8_lossy(&chunk);
        assert!(
            !text.contains("\"intake\""),
            "A heard its change twice: {text}"
        );
    }

    drop((on_a, on_b, a, b));
    schema.drop().await;
}

/// The double-submit CSRF token a browser without a session presents, as cookie and field.
const CSRF: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// A login form posted to this server; its status.
async fn log_in(server: &AppServer, username: &str, password: &str) -> StatusCode {
    // The answer itself, not the page a successful login sends the browser on to.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    http.post(server.url("/login"))
        .header(COOKIE, format!("tp_csrf={CSRF}"))
        .form(&[
            ("username", username),
            ("password", password),
            ("next", "/"),
            ("_csrf", CSRF),
        ])
        .send()
        .await
        .expect("post the login form")
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn failed_logins_spread_over_two_servers_pause_the_account_as_on_one() {
    let schema = Schema::create().await;
    let url = schema.url();
    let (a, b) = tokio::join!(AppServer::start(&url), AppServer::start(&url));
    let password = "pferd batterie heftklammer";
    a.store
        .create_user(
            &NewAccount {
                username: "anna".to_owned(),
                display_name: "Anna".to_owned(),
                role: Role::Viewer,
                password_hash: secrets::hash_password(password.to_owned())
                    .await
                    .expect("hash the password"),
            },
            "tests",
        )
        .await
        .expect("create the account");
    assert_eq!(log_in(&b, "anna", password).await, StatusCode::SEE_OTHER);

    // As on one server: the quota's failures, one more whose failure pauses, then nothing,
    // though each server alone has seen only half of them.
    let failures = Quotas::default().login_per_account + 1;
    for n in 0..failures {
        let server = if n % 2 == 0 { &a } else { &b };
        let status = log_in(server, "Anna", "falsch falsch falsch").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "failure {}", n + 1);
    }
    for server in [&a, &b] {
        assert_eq!(
            log_in(server, "anna", password).await,
            StatusCode::TOO_MANY_REQUESTS,
            "paused on {}, even for the right password",
            server.base
        );
    }
    // Another account is not affected.
    assert_eq!(
        log_in(&a, "ben", "falsch falsch falsch").await,
        StatusCode::UNAUTHORIZED
    );

    drop((a, b));
    schema.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn a_survey_page_is_limited_per_address_across_two_servers() {
    let schema = Schema::create().await;
    let url = schema.url();
    let quota = 6;
    let settings = Settings {
        quotas: Quotas {
            login_per_account: 5,
            survey_per_address: quota,
            ..Quotas::default()
        },
        ..Settings::default()
    };
    let (a, b) = tokio::join!(
        AppServer::start_with(&url, settings.clone()),
        AppServer::start_with(&url, settings.clone())
    );
    let touchpoint = a
        .store
        .create_touchpoint(
            &serde_json::from_value::<touchpoints_core::TouchpointInput>(json!({
                "name": "Lieferung",
                "channel": "email",
                "phase": "before-purchase",
            }))
            .expect("a touchpoint's input")
            .validate(&a.store.catalog().await.expect("the catalog"))
            .expect("a valid touchpoint"),
            "tests",
        )
        .await
        .expect("create a touchpoint");
    let fields = touchpoints_core::survey::SurveyInput {
        touchpoint_id: touchpoint.id,
        metric: "nps".into(),
        ..Default::default()
    }
    .validate()
    .expect("a valid survey");
    let survey = a
        .store
        .create_survey("liefer42", &fields, "tests")
        .await
        .expect("create a survey");
    let page = format!("/s/{}", survey.slug);
    let get = |server: &AppServer| server.http.get(server.url(&page)).send();

    // Each server alone would allow the whole quota; together they allow it once.
    for n in 0..quota {
        let server = if n % 2 == 0 { &a } else { &b };
        let answer = get(server).await.expect("get the survey page");
        assert_eq!(answer.status(), StatusCode::OK, "request {}", n + 1);
    }
    for server in [&a, &b] {
        let answer = get(server).await.expect("get the survey page");
        assert_eq!(
            answer.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "on {}",
            server.base
        );
    }

    drop((a, b));
    schema.drop().await;
}

/// A chat touchpoint made through `server`'s API, with its widget on for `origins`.
async fn chat_touchpoint(server: &AppServer, token: &str, origins: Vec<String>) -> i64 {
    let touchpoint = server
        .http
        .post(server.url("/api/v1/touchpoints"))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .json(&json!({"name": "Live-Chat", "channel": "chat", "phase": "during-purchase"}))
        .send()
        .await
        .expect("create the touchpoint")
        .json::<serde_json::Value>()
        .await
        .expect("JSON")["id"]
        .as_i64()
        .expect("id");
    server
        .store
        .put_chat_widget(
            &touchpoints_store::ChatWidget {
                touchpoint_id: touchpoint,
                origins,
                enabled: true,
            },
            "tests",
        )
        .await
        .expect("the widget");
    touchpoint
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn a_chat_follows_its_customer_and_agent_on_different_servers() {
    let schema = Schema::create().await;
    let url = schema.url();
    let generous = Settings {
        quotas: Quotas {
            chats_per_address: 1000,
            public_per_address: 1000,
            ..Quotas::default()
        },
        ..Settings::default()
    };
    let (a, b) = tokio::join!(
        AppServer::start_with(&url, generous.clone()),
        AppServer::start_with(&url, generous)
    );
    let token = write_token(&*a.store).await;
    let touchpoint = chat_touchpoint(&a, &token, vec!["https://shop.example".into()]).await;

    // The customer's widget talks to B, and follows its chat there.
    let started: serde_json::Value = b
        .http
        .post(b.url("/chat/v1/conversations"))
        .json(&json!({"touchpoint_id": touchpoint}))
        .send()
        .await
        .expect("start on B")
        .json()
        .await
        .expect("JSON");
    let chat = started["token"].as_str().expect("token").to_owned();
    let handed = b
        .http
        .post(b.url("/chat/v1/handover"))
        .header("X-Chat-Token", &chat)
        .json(&json!({"name": "Lena Graf", "email": "lena@example.de"}))
        .send()
        .await
        .expect("hand over on B");
    assert_eq!(handed.status(), StatusCode::OK);
    let request = b
        .store
        .chat_by_token(&secrets::digest(&chat))
        .await
        .expect("read")
        .and_then(|c| c.request_id)
        .expect("the request the handover opened");
    let mut on_b = b
        .http
        .get(b.url("/chat/v1/events?after=0"))
        .header("X-Chat-Token", &chat)
        .send()
        .await
        .expect("open B's stream");
    assert_eq!(on_b.status(), StatusCode::OK);

    // The agent answers through A.
    let replied = a
        .http
        .post(a.url(&format!("/api/v1/requests/{request}/actions")))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .json(&json!({"action": "reply", "body": "Guten Tag Lena Graf, ich bin für Sie da."}))
        .send()
        .await
        .expect("reply through A");
    assert!(replied.status().is_success(), "{}", replied.status());
    let heard = hear(&mut on_b, "ich bin für Sie da").await;
    assert!(heard.contains("event: message"), "{heard}");

    drop((on_b, a, b));
    schema.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn a_chat_survives_its_server_restarting_mid_conversation() {
    let schema = Schema::create().await;
    let url = schema.url();
    let first = AppServer::start(&url).await;
    let token = write_token(&*first.store).await;
    let touchpoint = chat_touchpoint(&first, &token, Vec::new()).await;
    let started: serde_json::Value = first
        .http
        .post(first.url("/chat/v1/conversations"))
        .json(&json!({"touchpoint_id": touchpoint}))
        .send()
        .await
        .expect("start")
        .json()
        .await
        .expect("JSON");
    let chat = started["token"].as_str().expect("token").to_owned();
    let said = first
        .http
        .post(first.url("/chat/v1/messages"))
        .header("X-Chat-Token", &chat)
        .json(&json!({"text": "Hallo, wo bleibt mein Paket?"}))
        .send()
        .await
        .expect("say");
    assert_eq!(said.status(), StatusCode::OK);

    // The server stops; another takes over on the same database, and the widget goes on.
    drop(first);
    let second = AppServer::start(&url).await;
    let transcript: serde_json::Value = second
        .http
        .get(second.url("/chat/v1/messages"))
        .header("X-Chat-Token", &chat)
        .send()
        .await
        .expect("read the transcript")
        .json()
        .await
        .expect("JSON");
    let messages = transcript["messages"].as_array().expect("messages");
    assert_eq!(
        messages.len(),
        2,
        "the question and the bot's answer: {transcript}"
    );
    assert_eq!(messages[0]["body"], "Hallo, wo bleibt mein Paket?");
    let handed = second
        .http
        .post(second.url("/chat/v1/handover"))
        .header("X-Chat-Token", &chat)
        .send()
        .await
        .expect("hand over");
    assert_eq!(handed.status(), StatusCode::OK);

    drop(second);
    schema.drop().await;
}

/// Who holds the turn at each periodic task, read from the database.
async fn turn_holders(url: &str) -> Vec<(String, String)> {
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
    sqlx::query_as("SELECT task, holder FROM turns ORDER BY task")
        .fetch_all(&mut conn)
        .await
        .expect("read the turns")
}

/// Waits up to `seconds` for the turns to satisfy `done`; returns them.
async fn turns_until(
    url: &str,
    seconds: u64,
    done: impl Fn(&[(String, String)]) -> bool,
) -> Vec<(String, String)> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        let turns = turn_holders(url).await;
        if done(&turns) || tokio::time::Instant::now() > deadline {
            return turns;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn the_outbox_and_webhook_rounds_run_on_one_server_and_move_when_it_stops() {
    let schema = Schema::create().await;
    let url = schema.url();
    let first = AppServer::start(&url).await;
    let tasks = |turns: &[(String, String)]| {
        turns
            .iter()
            .map(|(task, _)| task.clone())
            .collect::<Vec<_>>()
    };
    let held = turns_until(&url, 10, |t| t.len() == 2).await;
    assert_eq!(tasks(&held), ["outbox", "webhooks"], "{held:?}");
    let first_holder = held[0].1.clone();
    assert!(held.iter().all(|(_, h)| *h == first_holder), "{held:?}");

    // A second server asks at its start and every round after, and is refused while the
    // first one's turn runs.
    let second = AppServer::start(&url).await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(turn_holders(&url).await, held);

    // The first one stops: within three rounds the second takes both turns.
    drop(first);
    let moved = turns_until(&url, 25, |t| t.iter().all(|(_, h)| *h != first_holder)).await;
    assert_eq!(tasks(&moved), ["outbox", "webhooks"], "{moved:?}");
    assert!(
        moved
            .iter()
            .all(|(_, h)| *h != first_holder && *h == moved[0].1),
        "{moved:?}"
    );

    drop(second);
    schema.drop().await;
}
