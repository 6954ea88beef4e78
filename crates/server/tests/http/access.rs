//! Who may do what, over real HTTP: every route of `auth::policy::ROUTES` for every kind of
//! caller, sessions and the login form, CSRF protection, API tokens, rate limits, the
//! first-run setup, one-time login links, security headers and the audit log.

use crate::common;

use common::{ADMIN, CSRF, Client, Server, WRITE_TOKEN, generous, input, with_query};
use reqwest::header::{HeaderMap, LOCATION, RETRY_AFTER, SET_COOKIE, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use touchpoints_app::secrets;
use touchpoints_core::consistency::library::ContentFields;
use touchpoints_core::consistency::{Finding, FindingKind};
use touchpoints_core::{Channel, Kind, Phase, Role, Scope, Stage};
use touchpoints_server::auth::policy::{Access, ROUTES};
use touchpoints_server::{Quotas, Settings};
use touchpoints_store::{Example, StandardFields, StoryFields};

/// A password good enough for the rules (12 characters or more, not the user name).
const PASSWORD: &str = "pferd batterie heftklammer";

/// What came back: status, headers and body.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: impl reqwest::header::AsHeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn location(&self) -> Option<&str> {
        self.header(LOCATION)
    }

    /// The `Set-Cookie` line that sets this cookie, if any.
    fn set_cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
    }

    /// The value a `Set-Cookie` line gives this cookie, if any.
    fn cookie_value(&self, name: &str) -> Option<&str> {
        self.set_cookie(name)
            .and_then(|c| c.split(';').next())
            .and_then(|c| c.split_once('='))
            .map(|(_, v)| v)
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({}): {e}: {}", self.status, self.body))
    }
}

async fn answer(request: common::Request) -> Answer {
    let response = request.send().await.expect("send request");
    let status = response.status();
    let headers = response.headers().clone();
    // A live stream (the queue's events) never ends: its headers are the answer.
    let streaming = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"));
    let body = if streaming {
        String::new()
    } else {
        response.text().await.expect("read the body")
    };
    Answer {
        status,
        headers,
        body,
    }
}

/// Whether the path belongs to the API as the server tells them apart: identified by token,
/// refused with 401 rather than sent to the login page.
fn is_api(path: &str) -> bool {
    path.starts_with("/api/v1/")
}

/// Where the guard sends a browser without a login that asked for `path`.
fn login_redirect(path: &str) -> String {
    format!(
        "/login?{}",
        serde_urlencoded::to_string([("next", path)]).expect("encode")
    )
}

/// Stores one request from a customer with this e-mail address.
async fn intake_one(
    store: &dyn touchpoints_store::Store,
    email: &str,
) -> touchpoints_store::IntakeOutcome {
    let catalog = store.catalog().await.expect("catalog");
    let request = touchpoints_core::request::RequestInput {
        channel: "email".into(),
        customer: touchpoints_core::request::RequestCustomer {
            email: Some(email.into()),
            ..Default::default()
        },
        body: "Frage".into(),
        ..Default::default()
    }
    .validate(&catalog, jiff::Timestamp::now())
    .expect("a valid request");
    store.intake(&[request], ADMIN).await.expect("intake")[0]
}

/// The router's own 404 for a path it does not serve (no handler, no guard).
/// A segment of everyone, named apart.
fn matrix_segment(n: usize) -> touchpoints_core::segment::SegmentFields {
    touchpoints_core::segment::SegmentFields {
        name: format!("Matrix {n}"),
        combine: touchpoints_core::segment::Combine::All,
        rules: Vec::new(),
    }
}

fn is_router_fallback(answer: &Answer) -> bool {
    answer.status == StatusCode::NOT_FOUND
        && (answer.body.is_empty() || answer.body.contains("API endpoint not found"))
}

/// A complete touchpoint form as the browser sends it.
fn touchpoint_form(name: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("name", name),
        ("description", ""),
        ("channel", "store"),
        ("kind", ""),
        ("phase", "during-purchase"),
        ("owner", ""),
        ("target_groups", ""),
        ("regions", ""),
        ("status", "active"),
        ("importance_experience", "3"),
        ("importance_loyalty", "3"),
        ("importance_referral", "3"),
        ("brand_fit", "3"),
        ("notes", ""),
    ]
}

// --- the route × role matrix --------------------------------------------------------------

/// Who calls, in the matrix.
#[derive(Debug, Clone, Copy)]
enum Who {
    Nobody,
    Staff(Role),
    Token(Scope),
}

const EVERYONE: [Who; 8] = [
    Who::Nobody,
    Who::Staff(Role::Viewer),
    Who::Staff(Role::Agent),
    Who::Staff(Role::Manager),
    Who::Staff(Role::Admin),
    Who::Token(Scope::Read),
    Who::Token(Scope::Write),
    Who::Token(Scope::Metrics),
];

/// What a rule means for a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Allowed,
    /// 401 on the API, a redirect to the login page elsewhere.
    NotLoggedIn,
    /// 403.
    TooSmallRole,
}

/// Who the server sees on this path, and the role they act with: tokens count on the API
/// only, and a metrics token is known there but acts with no role.
fn role_on(who: Who, path: &str) -> Option<Option<Role>> {
    match who {
        Who::Nobody => None,
        Who::Staff(role) => Some(Some(role)),
        Who::Token(scope) if is_api(path) => Some(scope.role()),
        Who::Token(_) => None,
    }
}

fn expected(access: Access, known: Option<Option<Role>>) -> Outcome {
    match (access, known) {
        (Access::Public, _) => Outcome::Allowed,
        (Access::Least(_), None) => Outcome::NotLoggedIn,
        (Access::Least(least), Some(role)) if role.is_none_or(|r| r < least) => {
            Outcome::TooSmallRole
        }
        (Access::Least(_), Some(_)) => Outcome::Allowed,
    }
}

/// The matrix server: generous quotas (it sends hundreds of requests), a user of each role,
/// and an account that logs in by password for `POST /login`.
struct Matrix {
    server: Server,
    staff: Vec<(Role, touchpoints_core::User)>,
    /// The secret of a token that reads `/metrics` only.
    metrics_token: String,
    fixtures: std::cell::Cell<usize>,
}

impl Matrix {
    async fn new() -> Matrix {
        let server = Server::start_with(generous()).await;
        let mut staff = Vec::new();
        for role in Role::ALL {
            let (user, _) = server.login_as(role).await;
            staff.push((role, user));
        }
        server
            .create_user("matrix-login", Role::Viewer, Some(PASSWORD))
            .await;
        let (_, metrics_token) = server.token("matrix-metrics", Scope::Metrics).await;
        Matrix {
            server,
            staff,
            metrics_token,
            fixtures: std::cell::Cell::new(0),
        }
    }

    fn next(&self) -> usize {
        let n = self.fixtures.get() + 1;
        self.fixtures.set(n);
        n
    }

    /// The route with its parameters replaced by records made for this one request, so that
    /// no request depends on what an earlier one wrote or deleted.
    async fn path(&self, route: &str) -> String {
        let mut path = String::new();
        for segment in route.split('/').skip(1) {
            path.push('/');
            let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
                path.push_str(segment);
                continue;
            };
            let n = self.next();
            let store = &self.server.store;
            let value = match name {
                "id" if route.starts_with("/admin/tokens/") => {
                    let (token, _) = self.server.token(&format!("matrix-{n}"), Scope::Read).await;
                    token.id.to_string()
                }
                "id" if route.contains("/webhooks/") => {
                    let fields = touchpoints_core::webhook::SubscriptionFields {
                        url: format!("https://hooks.example.com/matrix-{n}"),
                        events: vec![touchpoints_core::webhook::EventKind::RequestCreated],
                        active: true,
                        allow_http: false,
                        allow_private: false,
                    };
                    store
                        .create_webhook(&fields, "matrix-secret", ADMIN)
                        .await
                        .expect("a webhook")
                        .id
                        .to_string()
                }
                "id" if route.contains("/content/") => {
                    let fields = ContentFields {
                        title: format!("Matrix {n}"),
                        body: "Rückgabe binnen 30 Tagen.".into(),
                        ..ContentFields::default()
                    };
                    store
                        .put_content(None, &fields, ADMIN)
                        .await
                        .expect("a content")
                        .id
                        .to_string()
                }
                "id" if route.contains("/findings/") => {
                    let finding = Finding {
                        kind: FindingKind::MissingTerm,
                        rule: format!("matrix-{n}"),
                        message: "Impressum fehlt".into(),
                        places: vec![],
                        suggestion: None,
                        unlisted: 0,
                        unlisted_places: 0,
                    };
                    let stored = store
                        .sync_findings(&[finding], ADMIN)
                        .await
                        .expect("a finding");
                    stored
                        .iter()
                        .find(|f| f.finding.rule == format!("matrix-{n}"))
                        .expect("the new finding")
                        .id
                        .to_string()
                }
                "id" if route.starts_with("/standards/") => {
                    let fields = StandardFields {
                        title: format!("Matrix {n}"),
                        text: "Freundlich bleiben.".into(),
                        ..StandardFields::default()
                    };
                    store
                        .create_standard(&fields, ADMIN)
                        .await
                        .expect("a standard")
                        .id
                        .to_string()
                }
                "id" if route.starts_with("/stories/") => {
                    let touchpoint = self.server.create(&input(&format!("Matrix {n}"))).await["id"]
                        .as_i64()
                        .expect("an id");
                    let fields = StoryFields {
                        touchpoint_id: touchpoint,
                        title: format!("Matrix {n}"),
                        text: "Gut gelaufen.".into(),
                        example: Example::Good,
                        standard_id: None,
                    };
                    store
                        .create_story(&fields, ADMIN)
                        .await
                        .expect("a story")
                        .id
                        .to_string()
                }
                "id" | "slug" if route.contains("/surveys/") || route.starts_with("/s/") => {
                    let touchpoint = self.server.create(&input(&format!("Matrix {n}"))).await["id"]
                        .as_i64()
                        .expect("an id");
                    let fields = touchpoints_core::survey::SurveyInput {
                        touchpoint_id: touchpoint,
                        metric: "nps".into(),
                        ..Default::default()
                    }
                    .validate()
                    .expect("a valid survey");
                    let survey = store
                        .create_survey(&format!("matrix{n}"), &fields, ADMIN)
                        .await
                        .expect("a survey");
                    if name == "slug" {
                        survey.slug
                    } else {
                        survey.id.to_string()
                    }
                }
                "id" if route.contains("/requests/") || route.contains("/customers/") => {
                    let outcome =
                        intake_one(store.as_ref(), &format!("matrix-{n}@example.de")).await;
                    if route.contains("/customers/") {
                        outcome.customer_id.expect("a profile").to_string()
                    } else {
                        outcome.id.to_string()
                    }
                }
                "id" if route.contains("/customer-merges/") => {
                    let a = intake_one(store.as_ref(), &format!("merge-a-{n}@example.de")).await;
                    let b = intake_one(store.as_ref(), &format!("merge-b-{n}@example.de")).await;
                    store
                        .merge_customers(
                            a.customer_id.expect("a profile"),
                            b.customer_id.expect("a profile"),
                            ADMIN,
                        )
                        .await
                        .expect("a merge")
                        .id
                        .to_string()
                }
                "id" | "template_id" if route.contains("/templates/") => {
                    let fields = touchpoints_core::message_template::TemplateFields {
                        name: format!("Matrix {n}"),
                        language: "de".into(),
                        subject: String::new(),
                        body: "{{ greeting }},".into(),
                    };
                    store
                        .put_message_template(None, &fields, ADMIN)
                        .await
                        .expect("a template")
                        .id
                        .to_string()
                }
                "id" if route.contains("/segments/") => store
                    .put_segment(None, &matrix_segment(n), ADMIN)
                    .await
                    .expect("a segment")
                    .id
                    .to_string(),
                "id" if route.contains("/campaigns/") => {
                    let segment = store
                        .put_segment(None, &matrix_segment(n), ADMIN)
                        .await
                        .expect("a segment");
                    let template = touchpoints_core::message_template::TemplateFields {
                        name: format!("Matrix campaign {n}"),
                        language: "de".into(),
                        subject: "Neu".into(),
                        body: "{{ greeting }},".into(),
                    };
                    let template = store
                        .put_message_template(None, &template, ADMIN)
                        .await
                        .expect("a template");
                    let fields = touchpoints_core::campaign::CampaignFields {
                        name: format!("Matrix {n}"),
                        segment_id: segment.id,
                        template_id: template.id,
                        per_minute: 600,
                    };
                    store
                        .create_campaign(&fields, ADMIN)
                        .await
                        .expect("a campaign")
                        .id
                        .to_string()
                }
                // No unsubscribe link has this signature: the page says so, whoever asks.
                "campaign" | "customer" => "1".to_owned(),
                "sig" => "0".repeat(32),
                "channel" => "email".to_owned(),
                "priority" => "normal".to_owned(),
                "id" => self.server.create(&input(&format!("Matrix {n}"))).await["id"]
                    .as_i64()
                    .expect("an id")
                    .to_string(),
                "key" if route.contains("/channels/") => {
                    let channel = Channel {
                        key: format!("matrix-{n}"),
                        label_de: format!("Kanal {n}"),
                        label_en: format!("Channel {n}"),
                        kind: Kind::Digital,
                        position: 900,
                    };
                    store.put_channel(&channel, ADMIN).await.expect("a channel");
                    channel.key
                }
                "key" if route.contains("/phases/") => {
                    let phase = Phase {
                        key: format!("matrix-{n}"),
                        label_de: format!("Phase {n}"),
                        label_en: format!("Phase {n}"),
                        stage: Stage::AfterPurchase,
                        position: 90,
                    };
                    store.put_phase(&phase, ADMIN).await.expect("a phase");
                    phase.key
                }
                // A task ticked by hand, in a programme started for it if none runs.
                "key" if route.contains("/programme/tasks/") => {
                    if store.programme().await.expect("the programme").is_none() {
                        store
                            .start_programme(
                                jiff::civil::date(2027, 3, 1),
                                &std::collections::BTreeSet::new(),
                                ADMIN,
                            )
                            .await
                            .expect("a programme");
                    }
                    "review_done".to_owned()
                }
                // Any touchpoint: whether the plan suggests something there is data.
                "touchpoint_id" => self.server.create(&input(&format!("Matrix {n}"))).await["id"]
                    .as_i64()
                    .expect("an id")
                    .to_string(),
                "username" => {
                    self.server
                        .create_user(&format!("target-{n}"), Role::Viewer, None)
                        .await
                        .username
                }
                "file" => "style.css".to_owned(),
                // No link has this token: the page says so, whoever asks.
                "token" => "0".repeat(64),
                other => panic!("the matrix cannot fill {{{other}}} in {route}: teach it"),
            };
            path.push_str(&value);
        }
        path
    }

    /// The caller, with a fresh session for staff (a `POST /logout` ends the one it used).
    async fn client(&self, who: Who) -> Client {
        match who {
            Who::Nobody => self.server.nobody(),
            Who::Staff(role) => {
                let (_, user) = self
                    .staff
                    .iter()
                    .find(|(r, _)| *r == role)
                    .expect("a user of each role");
                let session = self.server.session_for(user).await;
                self.server.with_session(&session)
            }
            Who::Token(Scope::Read) => self.server.read_client(),
            Who::Token(Scope::Write) => self.server.write_client(),
            Who::Token(Scope::Metrics) => self.server.with_token(&self.metrics_token),
        }
    }

    /// Sends the request of the route; bodies of writes are empty or invalid where that is
    /// enough, as only access is checked here.
    async fn send(&self, who: Who, method: &Method, route: &str, path: &str) -> Answer {
        let client = self.client(who).await;
        let mut request = client.request(method.clone(), path);
        if *method == Method::POST && route == "/login" {
            request = request.form(&[("username", "matrix-login"), ("password", PASSWORD)]);
        } else if is_api(path) && (*method == Method::POST || *method == Method::PUT) {
            request = request.json(&json!({}));
        }
        answer(request).await
    }
}

/// Checks one answer against the outcome the table expects; returns what is wrong.
fn check(expected: Outcome, path: &str, answer: &Answer) -> Option<String> {
    let status = answer.status;
    let to_login = status == StatusCode::SEE_OTHER
        && answer
            .location()
            .is_some_and(|l| l.starts_with("/login?next="));
    let wrong = match expected {
        Outcome::NotLoggedIn if is_api(path) => {
            status != StatusCode::UNAUTHORIZED
                || answer.header(WWW_AUTHENTICATE) != Some("Bearer")
                || !answer.body.starts_with('{')
        }
        Outcome::NotLoggedIn => {
            status != StatusCode::SEE_OTHER
                || answer.location() != Some(login_redirect(path).as_str())
        }
        Outcome::TooSmallRole => {
            status != StatusCode::FORBIDDEN
                // The refusal of the role, not of the CSRF check.
                || answer.body.contains("outdated")
        }
        Outcome::Allowed => {
            // The chat widget's routes past the guard ask for the conversation's own token,
            // which no caller of the matrix holds: that refusal is the route's, not a rule's.
            let conversation_token = path.starts_with("/chat/v1/")
                && status == StatusCode::UNAUTHORIZED
                && answer.body.contains("X-Chat-Token");
            (status == StatusCode::UNAUTHORIZED && !conversation_token)
                || status == StatusCode::FORBIDDEN
                || to_login
                || is_router_fallback(answer)
        }
    };
    wrong.then(|| {
        let body: String = answer.body.chars().take(160).collect();
        format!(
            "expected {expected:?}, got {status} (Location {:?}): {body}",
            answer.location()
        )
    })
}

#[tokio::test]
async fn every_route_answers_every_caller_as_its_rule_says() {
    let matrix = Matrix::new().await;
    let mut wrong = Vec::new();
    let mut cases = 0;
    for (method, route, access) in ROUTES {
        for who in EVERYONE {
            let path = matrix.path(route).await;
            let outcome = expected(*access, role_on(who, &path));
            let answer = matrix.send(who, method, route, &path).await;
            cases += 1;
            if let Some(problem) = check(outcome, &path, &answer) {
                wrong.push(format!("{method} {path} as {who:?}: {problem}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {cases} cases are wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(cases >= ROUTES.len() * EVERYONE.len());
}

#[tokio::test]
async fn every_route_in_the_table_is_routed() {
    let matrix = Matrix::new().await;
    let mut missing = Vec::new();
    for (method, route, access) in ROUTES {
        let path = matrix.path(route).await;
        // The guard runs only for routed paths: a refusal proves the route exists.
        let nobody = matrix.send(Who::Nobody, method, route, &path).await;
        let admin = matrix
            .send(
                Who::Staff(Role::Admin),
                method,
                route,
                &matrix.path(route).await,
            )
            .await;
        let refused = matches!(nobody.status, StatusCode::UNAUTHORIZED)
            || nobody
                .location()
                .is_some_and(|l| l.starts_with("/login?next="));
        let routed = match access {
            Access::Least(_) => refused,
            Access::Public => !is_router_fallback(&nobody),
        } && !is_router_fallback(&admin)
            && admin.status != StatusCode::METHOD_NOT_ALLOWED;
        if !routed {
            missing.push(format!(
                "{method} {path}: {} for nobody, {} for the admin",
                nobody.status, admin.status
            ));
        }
    }
    assert!(missing.is_empty(), "not routed:\n{}", missing.join("\n"));
}

#[tokio::test]
async fn the_table_keeps_its_promises() {
    // Every public route is there for the login itself, what a browser needs for it, and
    // the survey page customers answer on; nothing that reads or writes the inventory is
    // public.
    for (method, route, access) in ROUTES {
        if *access == Access::Public {
            assert!(
                [
                    "/",
                    "/healthz",
                    "/readyz",
                    // Public to the guard only: it answers loopback and admins alone.
                    "/metrics",
                    "/assets/{file}",
                    "/logo",
                    "/login",
                    "/logout",
                    "/login/link/{token}",
                    "/setup",
                    "/api/v1/openapi.json",
                    "/s/{slug}",
                    // The chat widget on the company's website, and a page to try it on.
                    "/chat.js",
                    "/chat/v1/conversations",
                    "/chat/v1/messages",
                    "/chat/v1/handover",
                    "/chat/v1/rating",
                    "/chat/v1/close",
                    "/chat/v1/events",
                    "/chat/preview",
                    // The link in a campaign mail that ends such mails, signed for its
                    // customer.
                    "/u/{campaign}/{customer}/{sig}",
                ]
                .contains(route),
                "{method} {route} is public"
            );
        }
        if route.starts_with("/admin/") || *route == "/api/v1/audit" {
            assert_eq!(*access, Access::Least(Role::Admin), "{method} {route}");
        }
        // Agents write one thing: their steps on customer requests (and say they are typing
        // one to a chat, which writes nothing).
        if matches!(*route, "/requests/{id}/act" | "/requests/{id}/typing") {
            assert_eq!(*access, Access::Least(Role::Agent), "{method} {route}");
        } else if *method != Method::GET
            && !matches!(
                *route,
                "/login" | "/logout" | "/setup" | "/s/{slug}" | "/u/{campaign}/{customer}/{sig}"
            )
            && !route.starts_with("/chat/v1/")
        {
            assert!(
                matches!(access, Access::Least(role) if *role >= Role::Manager),
                "{method} {route} writes with less than a manager"
            );
        }
    }
}

#[tokio::test]
async fn a_path_nobody_routed_is_a_404_for_everyone() {
    let server = Server::start().await;
    for client in [server.nobody(), server.client.clone()] {
        let answer = answer(client.get("/nirgendwo")).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_role_change_takes_effect_at_the_next_request() {
    let server = Server::start().await;
    let (user, manager) = server.login_as(Role::Manager).await;
    let created = answer(manager.post("/touchpoints").form(&touchpoint_form("A"))).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    server
        .store
        .set_role(&user.username, Role::Viewer, ADMIN)
        .await
        .expect("demote");
    let refused = answer(manager.get("/touchpoints/new")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(answer(manager.get("/touchpoints")).await.status, 200);
}

#[tokio::test]
async fn a_refused_page_explains_itself_in_the_page_language() {
    let server = Server::start().await;
    let viewer = server.as_role(Role::Viewer).await;
    let answer = answer(
        viewer
            .get("/touchpoints/new")
            .header("accept-language", "en"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(
        answer.body.contains("You do not have permission for this."),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn api_docs_page_sends_a_browser_without_login_to_the_login_page() {
    let server = Server::start().await;
    let answer = answer(server.nobody().get("/api/docs")).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(
        answer.location(),
        Some(login_redirect("/api/docs").as_str())
    );
}

#[tokio::test]
async fn a_method_a_route_does_not_serve_is_405() {
    let server = Server::start().await;
    let id = server.create(&input("Kassenbereich")).await["id"]
        .as_i64()
        .expect("an id");
    for (method, path) in [
        (Method::PUT, "/touchpoints".to_owned()),
        (Method::GET, "/logout".to_owned()),
        (Method::DELETE, format!("/touchpoints/{id}")),
        (Method::PATCH, format!("/api/v1/touchpoints/{id}")),
    ] {
        let answer = answer(server.request(method.clone(), &path)).await;
        assert_eq!(
            answer.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {}",
            answer.body
        );
    }
}

// --- sessions -----------------------------------------------------------------------------

/// Posts the login form as a browser without a session.
async fn log_in(server: &Server, username: &str, password: &str, next: &str) -> Answer {
    answer(server.nobody().post("/login").form(&[
        ("username", username),
        ("password", password),
        ("next", next),
    ]))
    .await
}

#[tokio::test]
async fn login_with_the_right_password_starts_a_session() {
    let server = Server::start().await;
    server
        .create_user("anna", Role::Manager, Some(PASSWORD))
        .await;

    // A browser without a session is sent to the login page, which remembers where it was.
    let away = answer(server.nobody().get("/touchpoints?status=active")).await;
    assert_eq!(away.status, StatusCode::SEE_OTHER);
    let login = away.location().expect("a Location").to_owned();
    assert_eq!(login, login_redirect("/touchpoints?status=active"));
    let form = answer(server.nobody().get(&login)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"name="next""#), "{}", form.body);

    let answer = log_in(&server, " Anna ", PASSWORD, "/touchpoints").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.location(), Some("/touchpoints"));
    let cookie = answer.set_cookie("tp_session").expect("a session cookie");
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
    assert!(attributes.contains(&"HttpOnly"), "{cookie}");
    assert!(attributes.contains(&"SameSite=Lax"), "{cookie}");
    assert!(attributes.contains(&"Path=/"), "{cookie}");
    assert!(
        !attributes.contains(&"Secure"),
        "not Secure unless configured: {cookie}"
    );
    let session = answer.cookie_value("tp_session").expect("a value");
    assert_eq!(session.len(), 64, "a long random token");

    let anna = server.with_session(session);
    assert_eq!(
        self::answer(anna.get("/touchpoints/new")).await.status,
        StatusCode::OK
    );
    let entries = server.audit(&[("action", "login")]).await;
    assert_eq!(entries[0]["actor"], "anna", "{entries:?}");
    assert_eq!(entries[0]["entity_id"], "anna");
}

#[tokio::test]
async fn session_cookies_are_secure_when_configured() {
    let server = Server::start_with(Settings {
        secure_cookies: true,
        ..Settings::default()
    })
    .await;
    server
        .create_user("anna", Role::Viewer, Some(PASSWORD))
        .await;
    // Behind HTTPS the cookies carry the `__Host-` prefix, the CSRF cookie's too.
    let browser = server.nobody().with_csrf(None);
    let answer = answer(
        browser
            .post("/login")
            .header(reqwest::header::COOKIE, format!("__Host-tp_csrf={CSRF}"))
            .form(&[("username", "anna"), ("password", PASSWORD), ("next", "/")])
            .presenting_csrf(CSRF),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let cookie = answer
        .set_cookie("__Host-tp_session")
        .expect("a session cookie");
    assert!(
        cookie.split(';').map(str::trim).any(|a| a == "Secure"),
        "{cookie}"
    );
    let session = answer
        .cookie_value("__Host-tp_session")
        .expect("a value")
        .to_owned();
    let with = |name: &str| {
        browser
            .get("/journey")
            .header(reqwest::header::COOKIE, format!("{name}={session}"))
    };
    assert_eq!(
        answer_of(with("__Host-tp_session")).await,
        StatusCode::OK,
        "the prefixed cookie logs in"
    );
    assert_eq!(
        answer_of(with("tp_session")).await,
        StatusCode::SEE_OTHER,
        "a cookie without the prefix, as a subdomain could plant it, does not"
    );
}

async fn answer_of(request: common::Request) -> StatusCode {
    answer(request).await.status
}

#[tokio::test]
async fn wrong_password_and_unknown_user_fail_alike_and_are_audited() {
    let server = Server::start().await;
    server
        .create_user("anna", Role::Viewer, Some(PASSWORD))
        .await;
    let wrong = log_in(&server, "anna", "pferd batterie heftklammer!", "/").await;
    let unknown = log_in(&server, "bruno", PASSWORD, "/").await;
    for (what, answer) in [("wrong password", &wrong), ("unknown user", &unknown)] {
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{what}");
        assert!(answer.set_cookie("tp_session").is_none(), "{what}");
        assert!(
            answer
                .body
                .contains("Benutzername oder Passwort ist falsch."),
            "{what}: {}",
            answer.body
        );
        assert!(
            answer.body.contains(r#"action="/login""#),
            "{what}: the form again"
        );
    }
    // The same page but for the name entered.
    assert_eq!(
        wrong.body.replace("anna", "bruno"),
        unknown.body,
        "the answers tell nothing about which names exist"
    );
    let failed = server.audit(&[("action", "login.failed")]).await;
    let who: Vec<&Value> = failed.iter().map(|e| &e["entity_id"]).collect();
    assert_eq!(who, [&json!("bruno"), &json!("anna")], "{failed:?}");
    assert!(failed.iter().all(|e| e["actor"] == "anonymous"));
}

#[tokio::test]
async fn logout_ends_the_session() {
    let server = Server::start().await;
    server
        .create_user("anna", Role::Viewer, Some(PASSWORD))
        .await;
    let login = log_in(&server, "anna", PASSWORD, "/").await;
    let session = login.cookie_value("tp_session").expect("a session");
    let anna = server.with_session(session);
    assert_eq!(answer(anna.get("/journey")).await.status, StatusCode::OK);

    let out = answer(anna.post("/logout")).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location(), Some("/login"));
    let cleared = out.set_cookie("tp_session").expect("the cookie is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    let after = answer(anna.get("/journey")).await;
    assert_eq!(
        after.status,
        StatusCode::SEE_OTHER,
        "the old cookie is dead"
    );
    assert_eq!(after.location(), Some(login_redirect("/journey").as_str()));
    let api = answer(anna.get("/api/v1/touchpoints")).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_disabled_user_cannot_log_in_and_its_sessions_end() {
    let server = Server::start().await;
    let user = server
        .create_user("anna", Role::Manager, Some(PASSWORD))
        .await;
    let session = server.session_for(&user).await;
    let anna = server.with_session(&session);
    assert_eq!(answer(anna.get("/journey")).await.status, StatusCode::OK);

    server
        .store
        .set_disabled("anna", true, ADMIN)
        .await
        .expect("disable");
    let page = answer(anna.get("/journey")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some(login_redirect("/journey").as_str()));
    let write = answer(anna.post("/api/v1/touchpoints").json(&input("X"))).await;
    assert_eq!(write.status, StatusCode::UNAUTHORIZED);
    assert_eq!(server.count().await, 0);

    let login = log_in(&server, "anna", PASSWORD, "/").await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED, "{}", login.body);
    assert!(login.set_cookie("tp_session").is_none());

    // Enabled again, the account logs in; the old session stays ended.
    server
        .store
        .set_disabled("anna", false, ADMIN)
        .await
        .expect("enable");
    assert_eq!(
        log_in(&server, "anna", PASSWORD, "/").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn an_expired_session_does_not_work() {
    let server = Server::start().await;
    let user = server.create_user("anna", Role::Admin, None).await;
    let token = secrets::new_secret().expect("random");
    let expired = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_secs(1))
        .expect("a time");
    server
        .store
        .create_session(&secrets::digest(&token), user.id, expired)
        .await
        .expect("a session");
    let anna = server.with_session(&token);
    let page = answer(anna.get("/journey")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some(login_redirect("/journey").as_str()));
    assert_eq!(
        answer(anna.get("/api/v1/touchpoints")).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_unknown_session_cookie_counts_as_no_login() {
    let server = Server::start().await;
    let stranger = server.with_session(&"f".repeat(64));
    let page = answer(stranger.get("/journey")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    // The secret itself is no session: only its digest is stored.
    let digest_as_cookie = server.with_session(&secrets::digest(&server.admin_session));
    assert_eq!(
        answer(digest_as_cookie.get("/journey")).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn login_follows_next_only_to_paths_on_this_server() {
    let server = Server::start_with(generous()).await;
    server
        .create_user("anna", Role::Viewer, Some(PASSWORD))
        .await;
    for (next, to) in [
        ("/touchpoints", "/touchpoints"),
        ("/touchpoints?status=active", "/touchpoints?status=active"),
        ("", "/"),
        ("//evil.example", "/"),
        ("https://evil.example", "/"),
        ("/\\evil.example", "/"),
        ("evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ] {
        let answer = log_in(&server, "anna", PASSWORD, next).await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "{next}: {}",
            answer.body
        );
        assert_eq!(answer.location(), Some(to), "next={next}");
    }
}

#[tokio::test]
async fn the_login_page_escapes_what_it_echoes() {
    let server = Server::start().await;
    let path = with_query("/login", &[("next", r#""><script>alert(1)</script>"#)]);
    let page = answer(server.nobody().get(&path)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    let failed = log_in(&server, r#"<b onmouseover="x">"#, "irgendwas", "/").await;
    assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    assert!(!failed.body.contains("<b onmouseover"), "{}", failed.body);
}

#[tokio::test]
async fn an_account_without_a_password_cannot_log_in_by_form() {
    let server = Server::start_with(generous()).await;
    server.create_user("anna", Role::Admin, None).await;
    for password in ["", " ", "anna"] {
        let answer = log_in(&server, "anna", password, "/").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{password:?}");
        assert!(answer.set_cookie("tp_session").is_none());
    }
    // Nor the admin every test server starts with.
    let answer = log_in(&server, ADMIN, "", "/").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_with_a_next_that_is_no_header_value_still_redirects() {
    let server = Server::start_with(generous()).await;
    server
        .create_user("anna", Role::Viewer, Some(PASSWORD))
        .await;
    let mut wrong = Vec::new();
    for next in ["/touchpoints\r\nSet-Cookie: x=y", "/touchpoints\n"] {
        let answer = log_in(&server, "anna", PASSWORD, next).await;
        let local = answer
            .location()
            .is_some_and(|l| l.starts_with('/') && !l.starts_with("//"));
        if answer.status != StatusCode::SEE_OTHER
            || !local
            || answer.set_cookie("tp_session").is_none()
            || answer.set_cookie("x").is_some()
        {
            wrong.push(format!(
                "next={next:?}: {} to {:?}: {}",
                answer.status,
                answer.location(),
                answer.body
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// --- CSRF ---------------------------------------------------------------------------------

#[tokio::test]
async fn a_form_post_needs_the_csrf_token_of_the_cookie() {
    let server = Server::start().await;
    let fields = touchpoint_form("Kassenbereich");
    let admin = &server.client;
    for (what, request) in [
        (
            "no token",
            admin.post("/touchpoints").form(&fields).without_csrf(),
        ),
        (
            "a wrong token",
            admin
                .post("/touchpoints")
                .form(&fields)
                .presenting_csrf(&"0".repeat(64)),
        ),
        (
            "an empty token",
            admin.post("/touchpoints").form(&fields).presenting_csrf(""),
        ),
        (
            "no cookie",
            admin
                .with_csrf(None)
                .post("/touchpoints")
                .form(&fields)
                .presenting_csrf(CSRF),
        ),
    ] {
        let answer = answer(request).await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{what}: {}",
            answer.body
        );
        assert!(
            answer.body.contains("laden Sie die Seite neu"),
            "{what}: {}",
            answer.body
        );
    }
    assert_eq!(server.count().await, 0, "nothing was created");

    // Deleting by button needs it as much.
    let id = server.create(&input("Umkleide")).await["id"]
        .as_i64()
        .expect("an id");
    let refused = answer(
        admin
            .post(&format!("/touchpoints/{id}/delete"))
            .without_csrf(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(server.count().await, 1);

    let created = answer(admin.post("/touchpoints").form(&fields)).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(server.count().await, 2);
}

/// The API's error body: a message and a list of field problems.
fn assert_api_error(answer: &Answer, status: StatusCode) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert!(
        answer
            .header(reqwest::header::CONTENT_TYPE)
            .is_some_and(|v| v.starts_with("application/json")),
        "{:?}",
        answer.headers
    );
    let body: Value = serde_json::from_str(&answer.body).expect("a JSON body");
    assert!(body["message"].is_string(), "{body}");
    assert!(body["errors"].is_array(), "{body}");
}

#[tokio::test]
async fn refusals_under_the_api_answer_its_json_error_body() {
    let server = Server::start().await;
    let browser = server.admin_browser();

    // A write with the session cookie but without the CSRF token: refused before the handler.
    let forged = answer(
        browser
            .post("/api/v1/touchpoints")
            .json(&input("Kassenbereich"))
            .without_csrf(),
    )
    .await;
    assert_api_error(&forged, StatusCode::FORBIDDEN);
    assert!(forged.body.contains("X-CSRF-Token"), "{}", forged.body);
    assert_eq!(server.count().await, 0);

    // A form-encoded body over the limit, read by the CSRF check before any handler.
    let huge = format!("_csrf={CSRF}&name={}", "x".repeat(5 * 1024 * 1024));
    let too_large = answer(
        browser
            .post("/api/v1/touchpoints")
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(huge)
            .without_csrf(),
    )
    .await;
    assert_api_error(&too_large, StatusCode::PAYLOAD_TOO_LARGE);

    // Not JSON: unsupported media type, in the same shape.
    let form = answer(
        server
            .write_client()
            .post("/api/v1/touchpoints")
            .header(reqwest::header::CONTENT_TYPE, "text/plain")
            .body("name=x"),
    )
    .await;
    assert_api_error(&form, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // A role too low, and no caller at all.
    let viewer = server.as_role(Role::Viewer).await;
    assert_api_error(
        &answer(viewer.post("/api/v1/touchpoints").json(&input("Kasse"))).await,
        StatusCode::FORBIDDEN,
    );
    assert_api_error(
        &answer(server.nobody().get("/api/v1/touchpoints")).await,
        StatusCode::UNAUTHORIZED,
    );
    // A method the route does not serve.
    assert_api_error(
        &answer(server.request(Method::PATCH, "/api/v1/touchpoints")).await,
        StatusCode::METHOD_NOT_ALLOWED,
    );

    // The same refusals on pages answer a page in the user's language.
    let page = answer(
        browser
            .post("/touchpoints")
            .form(&touchpoint_form("Kasse"))
            .without_csrf(),
    )
    .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(
        page.header(reqwest::header::CONTENT_TYPE)
            .is_some_and(|v| v.starts_with("text/html")),
        "{:?}",
        page.headers
    );
}

#[tokio::test]
async fn the_header_carries_the_csrf_token_too() {
    let server = Server::start().await;
    let answer = answer(
        server
            .post("/catalog/channels/letter/delete")
            .without_csrf()
            .header(
                "x-csrf-token",
                secrets::csrf_token_of_session(&server.admin_session),
            ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
}

#[tokio::test]
async fn csrf_tokens_belong_to_their_session() {
    let server = Server::start().await;
    let (_, other) = server.login_as(Role::Admin).await;
    let other_session = other.session.clone().expect("a session");
    // The token another session's page carries opens nothing here.
    let foreign = answer(
        server
            .post("/catalog/channels/letter/delete")
            .presenting_csrf(&secrets::csrf_token_of_session(&other_session)),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN, "{}", foreign.body);
    // Nor does the double-submit cookie's, once logged in.
    let cookie_token = answer(
        server
            .post("/catalog/channels/letter/delete")
            .presenting_csrf(CSRF),
    )
    .await;
    assert_eq!(cookie_token.status, StatusCode::FORBIDDEN);
    // A page shows the session's own token in its forms.
    let page = answer(server.get("/touchpoints/new")).await;
    let own = secrets::csrf_token_of_session(&server.admin_session);
    assert!(
        page.body
            .contains(&format!(r#"name="_csrf" value="{own}""#)),
        "{}",
        page.body
    );

    // Before a login: an empty cookie and an empty field are no pair.
    let empty = answer(
        server
            .nobody()
            .with_csrf(Some(""))
            .post("/login")
            .form(&[("username", "admin"), ("password", "falsch falsch falsch")])
            .presenting_csrf(""),
    )
    .await;
    assert_eq!(empty.status, StatusCode::FORBIDDEN, "{}", empty.body);
}

#[tokio::test]
async fn behind_https_the_cookies_carry_the_host_prefix() {
    let server = Server::start_with(Settings {
        secure_cookies: true,
        ..generous()
    })
    .await;
    let page = answer(server.nobody().with_csrf(None).get("/login")).await;
    let cookie = page
        .set_cookie("__Host-tp_csrf")
        .expect("a __Host- CSRF cookie");
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.to_lowercase().contains("domain="), "{cookie}");
    assert!(page.set_cookie("tp_csrf").is_none());
}

#[tokio::test]
async fn pages_hand_out_a_csrf_cookie_their_forms_carry() {
    let server = Server::start().await;
    let browser = server.nobody().with_csrf(None);
    let page = answer(browser.get("/login")).await;
    assert_eq!(page.status, StatusCode::OK);
    let cookie = page.set_cookie("tp_csrf").expect("a CSRF cookie");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let value = page.cookie_value("tp_csrf").expect("a value");
    assert_eq!(value.len(), 64);
    assert!(
        page.body
            .contains(&format!(r#"name="_csrf" value="{value}""#)),
        "{}",
        page.body
    );
    // A page of a browser that has the cookie keeps it.
    let again = answer(server.nobody().get("/login")).await;
    assert!(again.set_cookie("tp_csrf").is_none());
    assert!(again.body.contains(&format!(r#"value="{CSRF}""#)));
}

#[tokio::test]
async fn the_login_form_is_protected_from_other_sites_too() {
    let server = Server::start().await;
    server
        .create_user("anna", Role::Viewer, Some(PASSWORD))
        .await;
    let answer = answer(
        server
            .nobody()
            .post("/login")
            .form(&[("username", "anna"), ("password", PASSWORD)])
            .without_csrf(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.set_cookie("tp_session").is_none());
}

#[tokio::test]
async fn an_api_write_with_the_session_cookie_needs_the_csrf_header() {
    let server = Server::start().await;
    let browser = server.admin_browser();
    let refused = answer(
        browser
            .post("/api/v1/touchpoints")
            .json(&input("Kassenbereich"))
            .without_csrf(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let refused = answer(
        browser
            .delete("/api/v1/channels/letter")
            .presenting_csrf("falsch"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(server.count().await, 0);

    let created = answer(
        browser
            .post("/api/v1/touchpoints")
            .json(&input("Kassenbereich")),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["name"], "Kassenbereich");
    let history = server
        .get_json(&format!(
            "/api/v1/touchpoints/{}/history",
            created.json()["id"]
        ))
        .await;
    assert_eq!(history[0]["actor"], ADMIN, "the user of the session");
}

#[tokio::test]
async fn an_api_write_with_a_bearer_token_needs_no_csrf() {
    let server = Server::start().await;
    // The default client sends no cookie and no CSRF token with a token.
    let created = answer(
        server
            .post("/api/v1/touchpoints")
            .json(&input("Kassenbereich")),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let deleted = answer(server.delete("/api/v1/channels/letter")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
}

// --- API tokens ---------------------------------------------------------------------------

#[tokio::test]
async fn the_api_without_a_token_is_401_with_a_challenge() {
    let server = Server::start().await;
    for request in [
        server.nobody().get("/api/v1/touchpoints"),
        server
            .nobody()
            .post("/api/v1/touchpoints")
            .json(&input("X")),
        server.nobody().get("/api/v1/audit"),
    ] {
        let answer = answer(request).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
        assert_eq!(answer.header(WWW_AUTHENTICATE), Some("Bearer"));
        assert!(answer.json()["message"].is_string(), "{}", answer.body);
    }
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn an_unknown_token_is_401() {
    let server = Server::start().await;
    let (_, real) = server.write_token.clone().expect("a token");
    for token in [
        format!("tp_{}", "0".repeat(64)),
        real.trim_start_matches("tp_").to_owned(),
        secrets::digest(&real),
        String::new(),
    ] {
        let answer = answer(server.with_token(&token).get("/api/v1/touchpoints")).await;
        assert_eq!(
            answer.status,
            StatusCode::UNAUTHORIZED,
            "{token}: {}",
            answer.body
        );
        assert!(answer.header(WWW_AUTHENTICATE).is_some());
    }
}

#[tokio::test]
async fn a_read_token_reads_but_does_not_write() {
    let server = Server::start().await;
    let id = server.create(&input("Kassenbereich")).await["id"]
        .as_i64()
        .expect("an id");
    let reader = server.read_client();
    for path in [
        "/api/v1/touchpoints".to_owned(),
        format!("/api/v1/touchpoints/{id}"),
        format!("/api/v1/touchpoints/{id}/history"),
        "/api/v1/journey-map".to_owned(),
        "/api/v1/channels".to_owned(),
        "/api/v1/phases".to_owned(),
    ] {
        assert_eq!(
            answer(reader.get(&path)).await.status,
            StatusCode::OK,
            "{path}"
        );
    }
    for (what, request) in [
        (
            "create",
            reader.post("/api/v1/touchpoints").json(&input("B")),
        ),
        (
            "update",
            reader
                .put(&format!("/api/v1/touchpoints/{id}"))
                .json(&input("C")),
        ),
        (
            "retire",
            reader.post(&format!("/api/v1/touchpoints/{id}/retire")),
        ),
        (
            "delete",
            reader.delete(&format!("/api/v1/touchpoints/{id}")),
        ),
        ("delete channel", reader.delete("/api/v1/channels/letter")),
        ("audit", reader.get("/api/v1/audit")),
    ] {
        let answer = answer(request).await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{what}: {}",
            answer.body
        );
        assert!(answer.json()["message"].is_string(), "{what}");
    }
    let stored = server.get_json(&format!("/api/v1/touchpoints/{id}")).await;
    assert_eq!(stored["name"], "Kassenbereich");
    assert_eq!(stored["status"], "active");
    assert_eq!(
        server
            .get_json("/api/v1/channels")
            .await
            .as_array()
            .map(Vec::len),
        Some(13)
    );
}

#[tokio::test]
async fn a_write_token_writes_and_is_named_in_history_and_audit() {
    let server = Server::start().await;
    let (token, secret) = server.token("etl-job", Scope::Write).await;
    let writer = server.with_token(&secret);
    let created = writer.create(&input("Kassenbereich")).await;
    let id = created["id"].as_i64().expect("an id");
    let retired = answer(writer.post(&format!("/api/v1/touchpoints/{id}/retire"))).await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.body);

    let history = server
        .get_json(&format!("/api/v1/touchpoints/{id}/history"))
        .await;
    let actors: Vec<&Value> = history
        .as_array()
        .expect("an array")
        .iter()
        .map(|e| &e["actor"])
        .collect();
    assert_eq!(actors, [&json!("token:etl-job"), &json!("token:etl-job")]);
    let audit = server.audit(&[("actor", "token:etl-job")]).await;
    let actions: Vec<&Value> = audit.iter().map(|e| &e["action"]).collect();
    assert_eq!(
        actions,
        [&json!("touchpoint.retire"), &json!("touchpoint.create")]
    );

    let used = server
        .store
        .api_tokens()
        .await
        .expect("tokens")
        .into_iter()
        .find(|t| t.id == token.id)
        .expect("the token");
    assert!(used.last_used_at.is_some(), "its use is noted");
    // A write token is no admin.
    assert_eq!(
        answer(writer.get("/api/v1/audit")).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_revoked_token_is_401() {
    let server = Server::start().await;
    let (token, secret) = server.token("old", Scope::Write).await;
    let client = server.with_token(&secret);
    assert_eq!(
        answer(client.get("/api/v1/touchpoints")).await.status,
        StatusCode::OK
    );
    server
        .store
        .revoke_api_token(token.id, ADMIN)
        .await
        .expect("revoke");
    for request in [
        client.get("/api/v1/touchpoints"),
        client.post("/api/v1/touchpoints").json(&input("X")),
    ] {
        let answer = answer(request).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    }
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn a_token_is_no_login_for_pages() {
    let server = Server::start().await;
    let writer = server.write_client();
    let page = answer(writer.get("/touchpoints")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.location(),
        Some(login_redirect("/touchpoints").as_str())
    );
    let post = answer(writer.post("/touchpoints").form(&[("name", "X")])).await;
    assert_eq!(post.status, StatusCode::SEE_OTHER);
    assert_eq!(server.count().await, 0);
}

// --- rate limits --------------------------------------------------------------------------

#[tokio::test]
async fn too_many_failed_logins_pause_the_account_even_for_the_right_password() {
    // Three failures a minute are allowed; the fourth pauses the account's logins.
    let server = Server::start_with(Settings {
        quotas: Quotas {
            login_per_account: 3,
            public_per_address: 1000,
            ..Quotas::default()
        },
        ..Settings::default()
    })
    .await;
    server
        .create_user("anna", Role::Viewer, Some(PASSWORD))
        .await;
    server
        .create_user("ben", Role::Viewer, Some(PASSWORD))
        .await;
    for name in ["anna", "Anna", "ANNA ", "anna"] {
        let answer = log_in(&server, name, "falsch falsch falsch", "/").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{name}");
    }
    for name in ["anna", " Anna"] {
        let throttled = log_in(&server, name, PASSWORD, "/").await;
        assert_eq!(
            throttled.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{name}: even with the right password"
        );
        assert_eq!(throttled.header(RETRY_AFTER), Some("60"));
        assert!(throttled.set_cookie("tp_session").is_none());
        assert!(
            throttled.body.contains("Zu viele Anmeldeversuche"),
            "{}",
            throttled.body
        );
    }
    assert_eq!(
        server.audit(&[("action", "login.throttled")]).await[0]["entity_id"],
        "anna"
    );

    // Other accounts still log in, as often as they like: successes do not count.
    for _ in 0..5 {
        let ben = log_in(&server, "ben", PASSWORD, "/").await;
        assert_eq!(ben.status, StatusCode::SEE_OTHER, "{}", ben.body);
        assert!(ben.set_cookie("tp_session").is_some());
    }
}

#[tokio::test]
async fn public_pages_are_limited_per_address() {
    let server = Server::start_with(Settings {
        quotas: Quotas {
            login_per_account: 5,
            public_per_address: 5,
            ..Quotas::default()
        },
        ..Settings::default()
    })
    .await;
    for i in 1..=5 {
        let answer = answer(server.nobody().get("/login")).await;
        assert_eq!(answer.status, StatusCode::OK, "request {i}");
    }
    let sixth = answer(server.nobody().get("/login")).await;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sixth.header(RETRY_AFTER), Some("60"));
    // Other public endpoints share the limit; pages behind the login do not count.
    assert_eq!(
        answer(server.nobody().get("/login/link/abc")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(answer(server.get("/journey")).await.status, StatusCode::OK);
}

// --- first-run setup ----------------------------------------------------------------------

fn setup_form<'a>(
    server: &'a Server,
    password: &'a str,
    repeat: &'a str,
) -> Vec<(&'static str, &'a str)> {
    let token = server
        .setup_path()
        .strip_prefix("/setup?token=")
        .expect("the setup path carries the token");
    vec![
        ("token", token),
        ("username", "Chefin"),
        ("display_name", "Die Chefin"),
        ("password", password),
        ("password_repeat", repeat),
    ]
}

#[tokio::test]
async fn setup_creates_the_first_admin_once() {
    let server = Server::start_without_accounts(Settings::default()).await;
    let browser = server.nobody();

    // Without the token: to the login page, which explains what to do.
    for path in ["/setup", "/setup?token=falsch"] {
        let answer = answer(browser.get(path)).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(answer.location(), Some("/login"), "{path}");
    }
    let login = answer(browser.get("/login")).await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(
        login.body.contains("Es gibt noch kein Konto"),
        "{}",
        login.body
    );
    assert!(!login.body.contains(r#"name="password""#), "no form yet");
    let wrong_token = answer(browser.post("/setup").form(&[
        ("token", "falsch"),
        ("username", "chefin"),
        ("password", PASSWORD),
        ("password_repeat", PASSWORD),
    ]))
    .await;
    assert_eq!(wrong_token.status, StatusCode::SEE_OTHER);
    assert_eq!(server.store.count_users().await.expect("count"), 0);

    // With it: the form.
    let form = answer(browser.get(server.setup_path())).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains(r#"action="/setup""#), "{}", form.body);
    assert!(form.body.contains(r#"name="password_repeat""#));

    let mismatch = answer(browser.post("/setup").form(&setup_form(
        &server,
        PASSWORD,
        "pferd batterie heftklammern",
    )))
    .await;
    assert_eq!(
        mismatch.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        mismatch.body
    );
    assert!(
        mismatch.body.contains(r#"id="password_repeat-error""#),
        "{}",
        mismatch.body
    );
    assert!(
        mismatch.body.contains(r#"value="Chefin""#),
        "the entry is kept"
    );
    assert!(
        !mismatch.body.contains(PASSWORD),
        "passwords are not sent back"
    );
    let short = answer(
        browser
            .post("/setup")
            .form(&setup_form(&server, "kurz", "kurz")),
    )
    .await;
    assert_eq!(
        short.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        short.body
    );
    assert!(
        short.body.contains(r#"id="password-error""#),
        "{}",
        short.body
    );
    assert_eq!(server.store.count_users().await.expect("count"), 0);

    let done = answer(
        browser
            .post("/setup")
            .form(&setup_form(&server, PASSWORD, PASSWORD)),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), Some("/"));
    let session = done.cookie_value("tp_session").expect("logged in");
    let users = server.store.users().await.expect("users");
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].username, "chefin");
    assert_eq!(users[0].display_name, "Die Chefin");
    assert_eq!(users[0].role, Role::Admin);
    let admin = server.with_session(session);
    assert_eq!(
        answer(admin.get("/api/v1/audit")).await.status,
        StatusCode::OK,
        "the session is an admin's"
    );

    // Never again, not even with the token.
    let again = answer(browser.get(server.setup_path())).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), Some("/login"));
    let mut second = setup_form(&server, PASSWORD, PASSWORD);
    second[1].1 = "zweiter";
    let again = answer(browser.post("/setup").form(&second)).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), Some("/login"));
    assert!(again.set_cookie("tp_session").is_none());
    assert_eq!(server.store.count_users().await.expect("count"), 1);
    // The login page is a login page now, and the admin can log in.
    let login = answer(browser.get("/login")).await;
    assert!(login.body.contains(r#"name="password""#));
    assert_eq!(
        log_in(&server, "chefin", PASSWORD, "/").await.status,
        StatusCode::SEE_OTHER
    );
}

// --- login links --------------------------------------------------------------------------

async fn login_link(server: &Server, user: &touchpoints_core::User, valid_for: i64) -> String {
    let token = secrets::new_secret().expect("random");
    let expires = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(valid_for))
        .expect("a time");
    server
        .store
        .create_login_link(&secrets::digest(&token), user.id, expires)
        .await
        .expect("a login link");
    format!("/login/link/{token}")
}

#[tokio::test]
async fn a_login_link_logs_in_once() {
    let server = Server::start().await;
    let user = server.create_user("anna", Role::Manager, None).await;
    let link = login_link(&server, &user, 600).await;

    let first = answer(server.nobody().get(&link)).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    assert_eq!(first.location(), Some("/"));
    let session = first.cookie_value("tp_session").expect("a session");
    assert_eq!(
        answer(server.with_session(session).get("/touchpoints/new"))
            .await
            .status,
        StatusCode::OK
    );
    let entries = server.audit(&[("action", "login")]).await;
    assert_eq!(entries[0]["actor"], "anna");
    assert_eq!(entries[0]["summary"], "one-time link");

    let second = answer(server.nobody().get(&link)).await;
    assert_eq!(second.status, StatusCode::NOT_FOUND);
    assert!(second.set_cookie("tp_session").is_none());
    assert!(
        second.body.contains("abgelaufen oder wurde schon benutzt"),
        "{}",
        second.body
    );
}

#[tokio::test]
async fn an_expired_or_unknown_login_link_does_not_log_in() {
    let server = Server::start().await;
    let user = server.create_user("anna", Role::Manager, None).await;
    let expired = login_link(&server, &user, -1).await;
    for link in [expired, format!("/login/link/{}", "a".repeat(64))] {
        let answer = answer(server.nobody().get(&link)).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{link}");
        assert!(answer.set_cookie("tp_session").is_none());
    }
}

// --- slow clients -------------------------------------------------------------------------

#[tokio::test]
async fn a_client_that_trickles_its_headers_is_cut_off() {
    let server = Server::start().await;
    let address = server
        .url("")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let outcome = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&address).expect("connect");
        // Half a request, and then nothing: the headers never end.
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            .expect("write");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(60)))
            .expect("timeout");
        let started = std::time::Instant::now();
        let mut answer = Vec::new();
        let result = stream.read_to_end(&mut answer);
        (result.map(|_| answer), started.elapsed())
    })
    .await
    .expect("the client ran");
    let (result, waited) = outcome;
    // The server closes the connection (with a 408 or without a word); a read that runs
    // into the client's own 60-second limit means it kept it open.
    match result {
        Ok(answer) => {
            let text = String::from_utf8_lossy(&answer);
            assert!(
                text.is_empty() || text.starts_with("HTTP/1.1 408"),
                "{text}"
            );
        }
        Err(e) => assert!(
            !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "the server kept the connection open: {e}"
        ),
    }
    assert!(
        waited >= touchpoints_server::HEADER_READ_TIMEOUT / 2,
        "closed after {waited:?}, before the client had its time"
    );
}

// --- security headers ---------------------------------------------------------------------

fn directive<'a>(policy: &'a str, name: &str) -> Option<&'a str> {
    policy
        .split(';')
        .map(str::trim)
        .find(|d| d.split_whitespace().next() == Some(name))
}

#[tokio::test]
async fn pages_and_json_carry_the_security_headers() {
    let server = Server::start().await;
    for (who, request) in [
        ("a page", server.get("/journey")),
        ("the login page", server.nobody().get("/login")),
        ("JSON", server.get("/api/v1/touchpoints")),
        ("a refusal", server.nobody().get("/api/v1/touchpoints")),
    ] {
        let answer = answer(request).await;
        let policy = answer
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{who}: no Content-Security-Policy"));
        // Scripts follow script-src, or default-src without it.
        let scripts = directive(policy, "script-src")
            .or_else(|| directive(policy, "default-src"))
            .unwrap_or_else(|| panic!("{who}: no rule for scripts in {policy}"));
        assert!(!scripts.contains("'unsafe-inline'"), "{who}: {policy}");
        assert!(!scripts.contains('*'), "{who}: {policy}");
        assert_eq!(
            directive(policy, "frame-ancestors"),
            Some("frame-ancestors 'none'"),
            "{who}: {policy}"
        );
        assert_eq!(
            answer.header("x-content-type-options"),
            Some("nosniff"),
            "{who}"
        );
    }
}

// --- audit --------------------------------------------------------------------------------

#[tokio::test]
async fn writes_through_web_and_api_are_in_the_audit_log() {
    let server = Server::start().await;
    let (manager, browser) = server.login_as(Role::Manager).await;
    let created = answer(
        browser
            .post("/touchpoints")
            .form(&touchpoint_form("Kassenbereich")),
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = created
        .location()
        .and_then(|l| l.strip_prefix("/touchpoints/"))
        .expect("to the touchpoint")
        .to_owned();
    let deleted = answer(server.delete("/api/v1/channels/letter")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let retired = answer(server.post(&format!("/api/v1/touchpoints/{id}/retire"))).await;
    assert_eq!(retired.status, StatusCode::OK);

    let entries = server.audit(&[]).await;
    let recent: Vec<(&str, &str, &str)> = entries
        .iter()
        .take(3)
        .map(|e| {
            (
                e["actor"].as_str().expect("an actor"),
                e["action"].as_str().expect("an action"),
                e["entity_id"].as_str().expect("an entity id"),
            )
        })
        .collect();
    let token = format!("token:{WRITE_TOKEN}");
    assert_eq!(
        recent,
        [
            (token.as_str(), "touchpoint.retire", id.as_str()),
            (token.as_str(), "channel.delete", "letter"),
            (manager.username.as_str(), "touchpoint.create", id.as_str()),
        ]
    );
    assert!(entries.iter().all(|e| e["at"].is_string()));

    // Filters work over HTTP.
    let only = server
        .audit(&[("actor", &manager.username), ("action", "touchpoint.")])
        .await;
    assert_eq!(only.len(), 1, "{only:?}");
    assert_eq!(server.audit(&[("limit", "1")]).await.len(), 1);
}

#[tokio::test]
async fn only_admins_read_the_audit_log() {
    let server = Server::start().await;
    for role in [Role::Viewer, Role::Agent, Role::Manager] {
        let client = server.as_role(role).await;
        let answer = answer(client.get("/api/v1/audit")).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{role:?}");
        assert!(answer.json()["message"].is_string());
    }
    let admin = answer(
        server
            .admin_browser()
            .get(&with_query("/api/v1/audit", &[("entity", "token")])),
    )
    .await;
    assert_eq!(admin.status, StatusCode::OK, "{}", admin.body);
    let entries = admin.json();
    let names: Vec<&Value> = entries
        .as_array()
        .expect("an array")
        .iter()
        .map(|e| &e["action"])
        .collect();
    assert_eq!(names, [&json!("token.create"), &json!("token.create")]);
}

#[tokio::test]
async fn a_made_up_user_name_is_refused_without_a_trace() {
    let server = Server::start().await;
    let before = server.audit(&[]).await.len();
    for name in [
        "x".repeat(100_000),
        "anna müller".to_owned(),
        "a\nb".to_owned(),
    ] {
        let answer = log_in(&server, &name, "irgendein Passwort", "/").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert!(answer.set_cookie("tp_session").is_none());
    }
    // A name no account can have is neither written to the audit log nor counted: the log
    // cannot be flooded through the login form.
    let after = server.audit(&[]).await;
    assert_eq!(after.len(), before, "{after:?}");
}

// --- the queue's live stream ends with its session ------------------------------------------

/// A new request through the API, which announces a change to every page following the
/// queue.
async fn announce_a_change(server: &Server, external_id: &str) {
    let response = server
        .post("/api/v1/requests")
        .json(&json!({
            "channel": "email",
            "customer": {"email": "lena@example.de"},
            "body": "Wo bleibt meine Bestellung?",
            "external_id": external_id,
        }))
        .send()
        .await
        .expect("send a request");
    assert_eq!(response.status(), StatusCode::CREATED);
}

/// What a stream sends next within a bound: `Some(text)`, or `None` when it has ended.
/// Fails the test if the stream neither sends nor ends in time.
async fn next_of_stream(stream: &mut reqwest::Response, what: &str) -> Option<String> {
    let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), stream.chunk())
        .await
        .unwrap_or_else(|_| panic!("{what}: the stream neither sent nor ended within 5 s"))
        .expect("read the stream");
    chunk.map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads what the stream sends until it ends, within a bound; fails the test if it goes on.
async fn stream_ends(stream: &mut reqwest::Response, what: &str) {
    for _ in 0..10 {
        match next_of_stream(stream, what).await {
            None => return,
            Some(text) => assert!(
                !text.contains("event: queue"),
                "{what}: a change was sent after the session ended: {text}"
            ),
        }
    }
    panic!("{what}: the stream goes on after its session ended");
}

/// Opens the queue's live stream as this browser and checks that a change arrives on it.
async fn follow_the_queue(server: &Server, browser: &Client, id: &str) -> reqwest::Response {
    let mut stream = browser
        .get("/queue/events")
        .send()
        .await
        .expect("open the stream");
    assert_eq!(stream.status(), StatusCode::OK);
    announce_a_change(server, id).await;
    let text = next_of_stream(&mut stream, "a live session")
        .await
        .expect("the stream is open");
    assert!(text.contains("event: queue"), "{text}");
    stream
}

#[tokio::test]
async fn the_queue_stream_ends_at_logout() {
    let server = Server::start().await;
    let (_, browser) = server.login_as(Role::Agent).await;
    let mut stream = follow_the_queue(&server, &browser, "live-1").await;
    let logout = answer(browser.post("/logout")).await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    announce_a_change(&server, "live-2").await;
    stream_ends(&mut stream, "after logout").await;
}

#[tokio::test]
async fn the_queue_stream_ends_when_the_account_is_disabled_or_demoted() {
    let server = Server::start().await;
    let (agent, browser) = server.login_as(Role::Agent).await;
    let mut stream = follow_the_queue(&server, &browser, "live-1").await;
    server
        .store
        .set_disabled(&agent.username, true, ADMIN)
        .await
        .expect("disable the account");
    announce_a_change(&server, "live-2").await;
    stream_ends(&mut stream, "after disabling").await;

    let (viewer, browser) = server.login_as(Role::Agent).await;
    let mut stream = follow_the_queue(&server, &browser, "live-3").await;
    server
        .store
        .set_role(&viewer.username, Role::Viewer, ADMIN)
        .await
        .expect("demote the account");
    announce_a_change(&server, "live-4").await;
    stream_ends(&mut stream, "after demotion to viewer").await;
}
