//! The real server for one test: its own SQLite database in a temporary directory, listening
//! on a free port of 127.0.0.1, stopped when the test drops it.
//!
//! Before it serves, the server gets (directly through the store) an admin account with a
//! session and a write-scoped and a read-scoped API token. The default client acts as that
//! admin the way its callers do: API requests (`/api/…`) carry the write token as
//! `Authorization: Bearer` and nothing else (no cookies, no CSRF token); page requests carry
//! the session cookie and a fixed CSRF cookie, and their state-changing requests present the
//! CSRF token: form posts in the `_csrf` field (a post without a body becomes a form with just
//! that field, as a button's form would), other bodies in the `X-CSRF-Token` header.

// Each part of the tests uses a different part of this module.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use touchpoints_app::secrets;
use touchpoints_core::{ApiToken, Role, Scope, User};
use touchpoints_server::{Quotas, Settings};
use touchpoints_store::{NewAccount, Store};

/// The user name of the admin every server starts with.
pub const ADMIN: &str = "admin";
/// The name of the write-scoped API token every server starts with; it acts as
/// `token:tests`.
pub const WRITE_TOKEN: &str = "tests";
/// The name of the read-scoped API token every server starts with.
pub const READ_TOKEN: &str = "tests-read";
/// The value of the `tp_csrf` cookie the test clients send (64 characters, as the server's
/// own tokens, so that pages do not hand out a new one).
pub const CSRF: &str = "c5f0c5f0c5f0c5f0c5f0c5f0c5f0c5f0c5f0c5f0c5f0c5f0c5f0c5f0c5f0c5f0";

/// A `multipart/form-data` body as a browser sends it: each field's name, its file name when
/// it is a file, and its bytes. Returns the content type (with the boundary) and the body.
pub fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----touchpointsboundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, file_name, bytes) in fields {
        let disposition = match file_name {
            Some(file_name) => format!(
                "form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream"
            ),
            None => format!("form-data; name=\"{name}\""),
        };
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Quotas so high that no test reaches them by accident.
pub fn generous() -> Settings {
    Settings {
        quotas: Quotas {
            login_per_account: 10_000,
            public_per_address: 10_000,
            chats_per_address: 10_000,
            survey_per_address: 10_000,
            survey_answers_per_day: 10_000,
        },
        ..Settings::default()
    }
}

pub struct Server {
    /// Acts as the admin: write token on the API, admin session on pages.
    pub client: Client,
    /// The store behind the server, for fixtures and for looking behind the HTTP side.
    pub store: Arc<dyn Store>,
    /// The admin the server starts with; `None` for a server started without accounts.
    pub admin: Option<User>,
    /// The secret of the admin's session.
    pub admin_session: String,
    /// The write-scoped token the client uses on the API, and its secret.
    pub write_token: Option<(ApiToken, String)>,
    /// A read-scoped token and its secret.
    pub read_token: Option<(ApiToken, String)>,
    setup_path: String,
    users: AtomicUsize,
    shutdown: Option<oneshot::Sender<()>>,
    // Kept for the life of the server (and given up by `stop`): the database file lives
    // in it.
    dir: Option<tempfile::TempDir>,
}

impl Server {
    /// Starts a server on a fresh database holding the default catalog, no touchpoints, the
    /// admin with a session and the two API tokens; with the default settings.
    pub async fn start() -> Server {
        Server::start_with(Settings::default()).await
    }

    /// Like [`Server::start`], with these settings.
    pub async fn start_with(settings: Settings) -> Server {
        Server::launch(settings, true).await
    }

    /// A server on a fresh database without any account: the first-run state. Its client has
    /// the CSRF cookie only.
    pub async fn start_without_accounts(settings: Settings) -> Server {
        Server::launch(settings, false).await
    }

    async fn launch(settings: Settings, accounts: bool) -> Server {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let store = touchpoints_store::open(&url)
            .await
            .expect("open the SQLite store");
        let (admin, admin_session, write_token, read_token) = if accounts {
            let admin = store
                .create_user(
                    &NewAccount {
                        username: ADMIN.to_owned(),
                        display_name: "Test Admin".to_owned(),
                        role: Role::Admin,
                        password_hash: String::new(),
                    },
                    "tests",
                )
                .await
                .expect("create the admin");
            let session = new_session(&*store, &admin).await;
            let write = new_token(&*store, WRITE_TOKEN, Scope::Write).await;
            let read = new_token(&*store, READ_TOKEN, Scope::Read).await;
            (Some(admin), session, Some(write), Some(read))
        } else {
            (None, String::new(), None, None)
        };
        let state = touchpoints_server::AppState::new(store.clone(), settings)
            .expect("prepare the app state");
        let setup_path = state.setup_path();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port");
        let address = listener
            .local_addr()
            .expect("local address of the listener");
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            touchpoints_server::serve(listener, state, async {
                rx.await.ok();
            })
            .await
            .expect("server runs");
        });
        // Redirects are not followed, so that tests can assert the 303 of a form post.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("build the HTTP client");
        let client = Client {
            base: format!("http://{address}"),
            http,
            session: admin.as_ref().map(|_| admin_session.clone()),
            bearer: write_token.as_ref().map(|(_, secret)| secret.clone()),
            csrf: Some(CSRF.to_owned()),
        };
        Server {
            client,
            store,
            admin,
            admin_session,
            write_token,
            read_token,
            setup_path,
            users: AtomicUsize::new(0),
            shutdown: Some(tx),
            dir: Some(dir),
        }
    }

    /// The path of the first-run setup page with its secret (`/setup?token=…`).
    pub fn setup_path(&self) -> &str {
        &self.setup_path
    }

    pub fn url(&self, path: &str) -> String {
        self.client.url(path)
    }

    pub fn request(&self, method: Method, path: &str) -> Request {
        self.client.request(method, path)
    }

    pub fn get(&self, path: &str) -> Request {
        self.client.get(path)
    }

    pub fn post(&self, path: &str) -> Request {
        self.client.post(path)
    }

    pub fn put(&self, path: &str) -> Request {
        self.client.put(path)
    }

    pub fn delete(&self, path: &str) -> Request {
        self.client.delete(path)
    }

    /// Creates a touchpoint through the API and returns it; fails the test unless it is 201.
    pub async fn create(&self, input: &Value) -> Value {
        self.client.create(input).await
    }

    /// Every stored touchpoint, through the API.
    pub async fn list(&self) -> Vec<Value> {
        self.client.list().await
    }

    pub async fn count(&self) -> usize {
        self.list().await.len()
    }

    /// GETs `path`, asserting 200 and returning the JSON body.
    pub async fn get_json(&self, path: &str) -> Value {
        self.client.get_json(path).await
    }

    // --- callers ----------------------------------------------------------------------------

    /// A browser without a login: it has the CSRF cookie (as after any page), no session.
    pub fn nobody(&self) -> Client {
        Client {
            session: None,
            bearer: None,
            ..self.client.clone()
        }
    }

    /// A client that sends only this bearer token (and, on pages, the CSRF cookie).
    pub fn with_token(&self, secret: &str) -> Client {
        Client {
            session: None,
            bearer: Some(secret.to_owned()),
            ..self.client.clone()
        }
    }

    /// A client with the read-scoped token.
    pub fn read_client(&self) -> Client {
        let (_, secret) = self.read_token.as_ref().expect("the server has tokens");
        self.with_token(secret)
    }

    /// A client with the write-scoped token.
    pub fn write_client(&self) -> Client {
        let (_, secret) = self.write_token.as_ref().expect("the server has tokens");
        self.with_token(secret)
    }

    /// A browser logged in with this session secret (and the CSRF cookie).
    pub fn with_session(&self, session: &str) -> Client {
        Client {
            session: Some(session.to_owned()),
            bearer: None,
            ..self.client.clone()
        }
    }

    /// The admin's browser: the session, no token, also on the API.
    pub fn admin_browser(&self) -> Client {
        self.with_session(&self.admin_session)
    }

    /// Creates an account through the store; with a password, it can log in by form.
    pub async fn create_user(&self, username: &str, role: Role, password: Option<&str>) -> User {
        let password_hash = match password {
            Some(password) => secrets::hash_password(password.to_owned())
                .await
                .expect("hash the password"),
            None => String::new(),
        };
        self.store
            .create_user(
                &NewAccount {
                    username: username.to_owned(),
                    display_name: username.to_owned(),
                    role,
                    password_hash,
                },
                ADMIN,
            )
            .await
            .expect("create a user")
    }

    /// A new session of the user, valid for an hour; returns its secret.
    pub async fn session_for(&self, user: &User) -> String {
        new_session(&*self.store, user).await
    }

    /// A new account with this role (named after it) and a browser logged in as it.
    pub async fn login_as(&self, role: Role) -> (User, Client) {
        let n = self.users.fetch_add(1, Ordering::Relaxed);
        let user = self
            .create_user(&format!("{}-{n}", role.as_str()), role, None)
            .await;
        let session = self.session_for(&user).await;
        (user, self.with_session(&session))
    }

    /// A browser logged in with this role.
    pub async fn as_role(&self, role: Role) -> Client {
        self.login_as(role).await.1
    }

    /// A new API token; returns it and its secret.
    pub async fn token(&self, name: &str, scope: Scope) -> (ApiToken, String) {
        new_token(&*self.store, name, scope).await
    }

    /// The audit log through the API, as the admin's browser sees it, newest first.
    pub async fn audit(&self, query: &[(&str, &str)]) -> Vec<Value> {
        self.admin_browser()
            .get_json(&with_query("/api/v1/audit", query))
            .await
            .as_array()
            .expect("the audit log is an array")
            .clone()
    }
}

/// A server that was stopped, its store still open: the database folder stays as long as
/// this does.
pub struct Stopped {
    pub store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

impl Server {
    /// Stops the server (its workers with it) and keeps its store, for a test that goes on
    /// on the same database without them. Dropping the server alone would remove the folder
    /// the database lives in, and a new connection of the store would find nothing.
    pub fn stop(mut self) -> Stopped {
        Stopped {
            store: self.store.clone(),
            _dir: self.dir.take(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            tx.send(()).ok();
        }
    }
}

async fn new_session(store: &dyn Store, user: &User) -> String {
    let token = secrets::new_secret().expect("a random session token");
    let expires = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(1))
        .expect("a time in an hour");
    store
        .create_session(&secrets::digest(&token), user.id, expires)
        .await
        .expect("create a session");
    token
}

async fn new_token(store: &dyn Store, name: &str, scope: Scope) -> (ApiToken, String) {
    let token = format!("tp_{}", secrets::new_secret().expect("a random API token"));
    let stored = store
        .create_api_token(name, &secrets::digest(&token), scope, ADMIN)
        .await
        .expect("create an API token");
    (stored, token)
}

/// Who sends requests, and how. See the module documentation for what each request carries.
#[derive(Clone)]
pub struct Client {
    base: String,
    http: reqwest::Client,
    /// The secret of the `tp_session` cookie.
    pub session: Option<String>,
    /// The secret sent as `Authorization: Bearer`.
    pub bearer: Option<String>,
    /// The value of the `tp_csrf` cookie, also presented on state-changing requests.
    pub csrf: Option<String>,
}

impl Client {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The same caller with another (or no) CSRF cookie.
    pub fn with_csrf(&self, csrf: Option<&str>) -> Client {
        Client {
            csrf: csrf.map(str::to_owned),
            ..self.clone()
        }
    }

    pub fn request(&self, method: Method, path: &str) -> Request {
        let api = path.starts_with("/api/v1/");
        let by_token = api && self.bearer.is_some();
        let mut builder = self.http.request(method.clone(), self.url(path));
        if let Some(bearer) = &self.bearer
            && (api || self.session.is_none())
        {
            builder = builder.header(AUTHORIZATION, format!("Bearer {bearer}"));
        }
        let mut csrf = None;
        if !by_token {
            let cookies: Vec<String> = [("tp_session", &self.session), ("tp_csrf", &self.csrf)]
                .into_iter()
                .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}={v}")))
                .collect();
            if !cookies.is_empty() {
                builder = builder.header(COOKIE, cookies.join("; "));
            }
            if !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
                // A session's forms carry its own token; before a login, the cookie's.
                csrf = match &self.session {
                    Some(session) => Some(secrets::csrf_token_of_session(session)),
                    None => self.csrf.clone(),
                };
            }
        }
        Request {
            builder,
            csrf,
            page: !api,
            body: Body::None,
        }
    }

    pub fn get(&self, path: &str) -> Request {
        self.request(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Request {
        self.request(Method::POST, path)
    }

    pub fn put(&self, path: &str) -> Request {
        self.request(Method::PUT, path)
    }

    pub fn delete(&self, path: &str) -> Request {
        self.request(Method::DELETE, path)
    }

    /// Creates a touchpoint through the API and returns it; fails the test unless it is 201.
    pub async fn create(&self, input: &Value) -> Value {
        let response = self
            .post("/api/v1/touchpoints")
            .json(input)
            .send()
            .await
            .expect("send create request");
        let status = response.status();
        let body = response.text().await.expect("read create response");
        assert_eq!(status, 201, "creating {input} answered {body}");
        serde_json::from_str(&body).expect("create response is JSON")
    }

    /// Every stored touchpoint, through the API.
    pub async fn list(&self) -> Vec<Value> {
        self.get_json("/api/v1/touchpoints")
            .await
            .as_array()
            .expect("the list is an array")
            .clone()
    }

    /// GETs `path`, asserting 200 and returning the JSON body.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).send().await.expect("send GET");
        let status = response.status();
        let body = response.text().await.expect("read GET response");
        assert_eq!(status, 200, "GET {path} answered {body}");
        serde_json::from_str(&body).expect("GET response is JSON")
    }
}

enum Body {
    None,
    /// URL-encoded form fields, sent at the end with the CSRF field added.
    Form(String),
    /// Anything else, already in the builder.
    Other,
}

/// A request being built: a `reqwest::RequestBuilder` that presents the CSRF token of its
/// client when sent (see the module documentation).
pub struct Request {
    builder: reqwest::RequestBuilder,
    /// The token to present; `None` for safe methods, token requests and
    /// [`Request::without_csrf`].
    csrf: Option<String>,
    /// A page rather than the API: an empty state-changing request becomes a form.
    page: bool,
    body: Body,
}

impl Request {
    pub fn header<K, V>(mut self, key: K, value: V) -> Request
    where
        reqwest::header::HeaderName: TryFrom<K>,
        <reqwest::header::HeaderName as TryFrom<K>>::Error: Into<axum::http::Error>,
        reqwest::header::HeaderValue: TryFrom<V>,
        <reqwest::header::HeaderValue as TryFrom<V>>::Error: Into<axum::http::Error>,
    {
        self.builder = self.builder.header(key, value);
        self
    }

    /// URL-encoded form fields; the CSRF field is added when the request is sent.
    pub fn form<T: serde::Serialize + ?Sized>(mut self, fields: &T) -> Request {
        let encoded = serde_urlencoded::to_string(fields).expect("form fields encode");
        self.body = Body::Form(encoded);
        self
    }

    pub fn json<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Request {
        self.builder = self.builder.json(value);
        self.body = Body::Other;
        self
    }

    pub fn body(mut self, body: impl Into<reqwest::Body>) -> Request {
        self.builder = self.builder.body(body);
        self.body = Body::Other;
        self
    }

    /// Presents no CSRF token (the cookie is still sent).
    pub fn without_csrf(mut self) -> Request {
        self.csrf = None;
        self
    }

    /// Presents this CSRF token instead of the cookie's value.
    pub fn presenting_csrf(mut self, token: &str) -> Request {
        self.csrf = Some(token.to_owned());
        self
    }

    pub async fn send(self) -> reqwest::Result<reqwest::Response> {
        let Request {
            mut builder,
            csrf,
            page,
            body,
        } = self;
        let field = |token: &str| format!("_csrf={}", encode(token));
        let form = match (body, csrf) {
            (Body::Form(fields), Some(token)) if fields.is_empty() => Some(field(&token)),
            (Body::Form(fields), Some(token)) => Some(format!("{fields}&{}", field(&token))),
            (Body::Form(fields), None) => Some(fields),
            (Body::None, Some(token)) if page => Some(field(&token)),
            (_, Some(token)) => {
                builder = builder.header("x-csrf-token", token);
                None
            }
            (_, None) => None,
        };
        if let Some(form) = form {
            builder = builder
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(form);
        }
        builder.send().await
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The smallest valid input: a name on the store channel, during the purchase.
pub fn input(name: &str) -> Value {
    json!({ "name": name, "channel": "store", "phase": "during-purchase" })
}

/// The names of a list of touchpoints, in order.
pub fn names(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|t| t["name"].as_str().expect("a name").to_owned())
        .collect()
}

/// `path?k=v&…` with keys and values percent-encoded as UTF-8.
pub fn with_query(path: &str, query: &[(&str, &str)]) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let pairs: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{path}?{}", pairs.join("&"))
}

// --- answers of the JSON API ---------------------------------------------------------------

/// Sends a request and returns its status and body; an empty body is `Value::Null`.
pub async fn send(request: Request) -> (StatusCode, Value) {
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
pub fn errors(body: &Value) -> &Vec<Value> {
    assert!(body["message"].is_string(), "no message in {body}");
    body["errors"].as_array().expect("errors is an array")
}

/// The fields an error body names, in order.
pub fn fields(body: &Value) -> Vec<&str> {
    errors(body)
        .iter()
        .map(|e| e["field"].as_str().expect("field is a string"))
        .collect()
}

/// Asserts the error body has exactly one problem, with this field and code; returns it.
pub fn only_problem<'a>(body: &'a Value, field: &str, code: &str) -> &'a Value {
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
pub async fn post_raw(server: &Server, content_type: &str, body: &str) -> (StatusCode, Value) {
    send(
        server
            .post("/api/v1/touchpoints")
            .header(CONTENT_TYPE, content_type)
            .body(body.to_owned()),
    )
    .await
}

/// Posts JSON as a new touchpoint.
pub async fn post_json(server: &Server, body: &Value) -> (StatusCode, Value) {
    send(server.post("/api/v1/touchpoints").json(body)).await
}

/// Customer events over two quarters of 2026, as `POST /api/v1/customer-events` takes them.
/// Q1: A, B and C join, B and C buy for 100 € and 50 €; Q2: B leaves, D joins and buys for
/// 300 €. So Q2 starts with S = 3, gains N = 1, loses 1 and ends with E = 3.
pub fn two_quarters_of_customer_events() -> Value {
    let event = |customer: &str, kind: &str, at: &str, cents: Option<i64>| {
        let mut e = json!({"customer_ref": customer, "kind": kind, "at": at});
        if let Some(cents) = cents {
            e["amount_cents"] = json!(cents);
        }
        e
    };
    json!({"events": [
        event("A", "activity", "2026-01-10T10:00:00Z", None),
        event("B", "purchase", "2026-02-10T10:00:00Z", Some(10_000)),
        event("C", "purchase", "2026-03-10T10:00:00Z", Some(5_000)),
        event("B", "churn", "2026-04-10T10:00:00Z", None),
        event("D", "purchase", "2026-05-10T10:00:00Z", Some(30_000)),
    ]})
}
