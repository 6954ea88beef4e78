//! What holds for the whole JSON API under `/api/v1`: the OpenAPI document (every operation,
//! a typed schema for every answer, served as in the snapshot), the common error body of
//! requests it cannot take, and the headers every response carries.

use crate::common;

use common::{Server, errors, fields, input, post_json, post_raw, send, with_query};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

// --- OpenAPI ------------------------------------------------------------------------------

/// Every operation the API router serves under `/api/v1`, as (method, path). The document
/// does not describe itself (`GET /api/v1/openapi.json`).
const OPERATIONS: [(&str, &str); 109] = [
    ("get", "/api/v1/touchpoints"),
    ("post", "/api/v1/touchpoints"),
    ("get", "/api/v1/touchpoints/{id}"),
    ("put", "/api/v1/touchpoints/{id}"),
    ("delete", "/api/v1/touchpoints/{id}"),
    ("post", "/api/v1/touchpoints/{id}/retire"),
    ("get", "/api/v1/touchpoints/{id}/history"),
    ("get", "/api/v1/journey-map"),
    ("get", "/api/v1/channels"),
    ("put", "/api/v1/channels/{key}"),
    ("delete", "/api/v1/channels/{key}"),
    ("get", "/api/v1/phases"),
    ("put", "/api/v1/phases/{key}"),
    ("delete", "/api/v1/phases/{key}"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/guideline"),
    ("put", "/api/v1/guideline"),
    ("get", "/api/v1/content"),
    ("post", "/api/v1/content"),
    ("get", "/api/v1/content/{id}"),
    ("put", "/api/v1/content/{id}"),
    ("delete", "/api/v1/content/{id}"),
    ("get", "/api/v1/findings"),
    ("post", "/api/v1/findings/check"),
    ("put", "/api/v1/findings/{id}/status"),
    ("get", "/api/v1/surveys"),
    ("post", "/api/v1/surveys"),
    ("get", "/api/v1/surveys/{id}"),
    ("put", "/api/v1/surveys/{id}"),
    ("delete", "/api/v1/surveys/{id}"),
    ("post", "/api/v1/surveys/{id}/links"),
    ("get", "/api/v1/responses"),
    ("post", "/api/v1/responses"),
    ("post", "/api/v1/customer-events"),
    ("get", "/api/v1/kpis"),
    ("get", "/api/v1/kpis/customers"),
    ("get", "/api/v1/kpis/matrix"),
    ("get", "/api/v1/kpis/agents"),
    ("post", "/api/v1/requests"),
    ("get", "/api/v1/requests"),
    ("get", "/api/v1/requests/{id}"),
    ("post", "/api/v1/requests/{id}/actions"),
    ("get", "/api/v1/requests/{id}/mails"),
    ("get", "/api/v1/requests/{id}/templates/{template_id}"),
    ("get", "/api/v1/templates"),
    ("post", "/api/v1/templates"),
    ("post", "/api/v1/templates/preview"),
    ("get", "/api/v1/segments"),
    ("post", "/api/v1/segments"),
    ("post", "/api/v1/segments/preview"),
    ("get", "/api/v1/segments/{id}"),
    ("put", "/api/v1/segments/{id}"),
    ("delete", "/api/v1/segments/{id}"),
    ("get", "/api/v1/campaigns"),
    ("post", "/api/v1/campaigns"),
    ("get", "/api/v1/campaigns/{id}"),
    ("post", "/api/v1/campaigns/{id}/test"),
    ("post", "/api/v1/campaigns/{id}/send"),
    ("get", "/api/v1/templates/{id}"),
    ("put", "/api/v1/templates/{id}"),
    ("delete", "/api/v1/templates/{id}"),
    ("get", "/api/v1/mail/settings"),
    ("put", "/api/v1/mail/settings"),
    ("post", "/api/v1/mail/test"),
    ("get", "/api/v1/outbox"),
    ("post", "/api/v1/outbox/{id}/retry"),
    ("post", "/api/v1/outbox/release"),
    ("get", "/api/v1/webhooks"),
    ("post", "/api/v1/webhooks"),
    ("get", "/api/v1/webhooks/{id}"),
    ("put", "/api/v1/webhooks/{id}"),
    ("delete", "/api/v1/webhooks/{id}"),
    ("get", "/api/v1/webhooks/{id}/deliveries"),
    ("post", "/api/v1/webhooks/{id}/test"),
    ("get", "/api/v1/customers"),
    ("get", "/api/v1/customers/{id}"),
    ("put", "/api/v1/customers/{id}"),
    ("post", "/api/v1/customers/{id}/identifiers"),
    ("post", "/api/v1/customers/{id}/merge"),
    ("post", "/api/v1/customer-merges/{id}/undo"),
    ("get", "/api/v1/sla-policies"),
    ("put", "/api/v1/sla-policies"),
    ("delete", "/api/v1/sla-policies/{channel}/{priority}"),
    ("get", "/api/v1/calendar"),
    ("put", "/api/v1/calendar"),
    ("get", "/api/v1/priority-weights"),
    ("put", "/api/v1/priority-weights"),
    ("get", "/api/v1/request-sources"),
    ("put", "/api/v1/request-sources"),
    ("get", "/api/v1/queue-stats"),
    ("get", "/api/v1/actions"),
    ("post", "/api/v1/actions"),
    ("get", "/api/v1/actions/{id}"),
    ("put", "/api/v1/actions/{id}"),
    ("delete", "/api/v1/actions/{id}"),
    ("post", "/api/v1/actions/{id}/status"),
    ("get", "/api/v1/actions/{id}/history"),
    ("get", "/api/v1/actions/{id}/effect"),
    ("post", "/api/v1/actions/import"),
    ("get", "/api/v1/action-review"),
    ("get", "/api/v1/action-budget"),
    ("get", "/api/v1/action-plan"),
    ("get", "/api/v1/action-plan/settings"),
    ("put", "/api/v1/action-plan/settings"),
    ("post", "/api/v1/action-plan/suggestions/{touchpoint_id}"),
    ("get", "/api/v1/programme"),
    ("post", "/api/v1/programme"),
    ("post", "/api/v1/programme/tasks/{key}"),
    ("get", "/api/v1/programme.ics"),
];

#[tokio::test]
async fn openapi_document_describes_every_operation() {
    let server = Server::start().await;
    let response = server
        .get("/api/v1/openapi.json")
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
    let document: Value = response.json().await.expect("the document is JSON");
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.")),
        "openapi: {}",
        document["openapi"]
    );
    assert_eq!(document["info"]["title"], "Touchpoints API");

    let paths = document["paths"].as_object().expect("paths");
    let mut documented: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|k| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
                .map(|method| (method.clone(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    documented.sort();
    let mut expected: Vec<(String, String)> = OPERATIONS
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(documented, expected);

    // Every error response points at the one error body.
    for (method, path) in OPERATIONS {
        let operation = &document["paths"][path][method];
        for (code, response) in operation["responses"].as_object().expect("responses") {
            if code.starts_with('4') && response.get("content").is_some() {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{method} {path} {code}"
                );
            }
        }
    }
    assert!(document["components"]["schemas"]["ErrorBody"].is_object());
    assert!(document["components"]["schemas"]["TouchpointInput"].is_object());
}

/// Whether a response schema names its types: a reference to a component that exists, or
/// an array or a choice of such.
fn names_a_type(schema: &Value, document: &Value) -> bool {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{reference} points outside the components"));
        return document["components"]["schemas"][name].is_object();
    }
    if schema["type"] == "array" {
        return names_a_type(&schema["items"], document);
    }
    ["oneOf", "anyOf", "allOf"].iter().any(|key| {
        schema[key]
            .as_array()
            .is_some_and(|choices| choices.iter().all(|c| names_a_type(c, document)))
    })
}

/// Every response the document describes, as ("method path status", response).
fn responses(document: &Value) -> Vec<(String, &Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            for (status, response) in operation["responses"].as_object().expect("responses") {
                found.push((format!("{method} {path} {status}"), response));
            }
        }
    }
    found
}

/// The documented statuses of an operation, from the served document.
fn documented(document: &Value, method: &str, path: &str) -> Vec<String> {
    document["paths"][path][method]["responses"]
        .as_object()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_operation_documents_the_refusals_it_answers() {
    let server = Server::start().await;
    let document = server.get_json("/api/v1/openapi.json").await;
    for (method, path) in OPERATIONS {
        let statuses = documented(&document, method, path);
        let url = path.replace("{id}", "1").replace("{key}", "x");
        let url = url
            .replace("{channel}", "email")
            .replace("{priority}", "high");
        let method_of = |m: &str| reqwest::Method::from_bytes(m.to_uppercase().as_bytes());
        let method_of = method_of(method).expect("a method");
        // Nobody: the guard refuses before the handler.
        let (status, body) = send(server.nobody().request(method_of.clone(), &url)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}: {body}");
        assert!(
            statuses.contains(&"401".to_owned()),
            "{method} {path} answers 401 undocumented"
        );
        // A body that is not declared as JSON, sent by an admin.
        if document["paths"][path][method]["requestBody"].is_object() {
            let (status, body) = send(
                server
                    .admin_browser()
                    .request(method_of, &url)
                    .header(CONTENT_TYPE, "text/plain")
                    .body("x"),
            )
            .await;
            assert_eq!(
                status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{method} {path}: {body}"
            );
            for status in ["400", "413", "415", "422"] {
                assert!(
                    statuses.contains(&status.to_owned()),
                    "{method} {path} answers {status} undocumented"
                );
            }
        }
        if path.contains('{') {
            assert!(
                statuses.contains(&"404".to_owned()),
                "{method} {path} answers 404 undocumented"
            );
        }
    }
}

#[tokio::test]
async fn every_response_is_described() {
    // OpenAPI 3.1 requires a description on every response object; generators refuse a
    // document without them.
    let server = Server::start().await;
    let document = server.get_json("/api/v1/openapi.json").await;
    let all = responses(&document);
    assert!(all.len() >= 100, "only {} responses found", all.len());
    let missing: Vec<&String> = all
        .iter()
        .filter(|(_, response)| response["description"].as_str().is_none_or(str::is_empty))
        .map(|(name, _)| name)
        .collect();
    assert!(
        missing.is_empty(),
        "responses without a description: {missing:#?}"
    );
}

#[tokio::test]
async fn every_success_response_has_a_typed_schema() {
    let server = Server::start().await;
    let document = server.get_json("/api/v1/openapi.json").await;
    let mut untyped = Vec::new();
    let mut checked = 0;
    for (name, response) in responses(&document) {
        let status = name.rsplit(' ').next().unwrap_or_default();
        // 204 has no body by definition.
        if !status.starts_with('2') || status == "204" {
            continue;
        }
        let content = response["content"].as_object();
        // Downloads (CSV, XLSX, iCalendar) are files, not JSON.
        let download = content.is_some_and(|c| {
            !c.contains_key("application/json")
                && c.keys()
                    .all(|t| t == "text/csv" || t == "text/calendar" || t.contains("spreadsheet"))
        });
        if download {
            continue;
        }
        checked += 1;
        let schema = &response["content"]["application/json"]["schema"];
        if !names_a_type(schema, &document) {
            untyped.push(name);
        }
    }
    assert!(checked >= 40, "only {checked} success responses found");
    untyped.sort();
    assert!(
        untyped.is_empty(),
        "success responses without a typed schema: {untyped:?}"
    );
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    let server = Server::start().await;
    let id = server.create(&input("Kassenbereich")).await["id"]
        .as_i64()
        .expect("an id");
    let channel = json!({"label_de": "Marktplatz", "label_en": "Marketplace", "kind": "digital"});
    let phase = json!({"label_de": "Später", "label_en": "Later", "stage": "after_purchase"});
    // Writes come before the deletes of the same thing, so that each answers 2xx.
    for (method, path) in [
        ("get", "/api/v1/touchpoints"),
        ("post", "/api/v1/touchpoints"),
        ("get", "/api/v1/touchpoints/{id}"),
        ("put", "/api/v1/touchpoints/{id}"),
        ("post", "/api/v1/touchpoints/{id}/retire"),
        ("get", "/api/v1/touchpoints/{id}/history"),
        ("delete", "/api/v1/touchpoints/{id}"),
        ("get", "/api/v1/journey-map"),
        ("get", "/api/v1/channels"),
        ("put", "/api/v1/channels/{key}"),
        ("delete", "/api/v1/channels/{key}"),
        ("get", "/api/v1/phases"),
        ("put", "/api/v1/phases/{key}"),
        ("delete", "/api/v1/phases/{key}"),
        ("get", "/api/v1/audit"),
    ] {
        assert!(OPERATIONS.contains(&(method, path)));
        let url = path
            .replace("{id}", &id.to_string())
            .replace("{key}", "extra");
        let request = match method {
            // The audit log is for admins; the test token may write but is no admin.
            "get" if url.ends_with("/audit") => server.admin_browser().get(&url),
            "get" => server.get(&url),
            "post" if url.ends_with("/touchpoints") => server.post(&url).json(&input("Umkleide")),
            "post" => server.post(&url),
            "put" if url.contains("/touchpoints/") => {
                server.put(&url).json(&input("Kassenbereich 2"))
            }
            "put" if url.contains("/channels/") => server.put(&url).json(&channel),
            "put" => server.put(&url).json(&phase),
            "delete" => server.delete(&url),
            other => panic!("no request for {other}"),
        };
        let (status, body) = send(request).await;
        assert!(status.is_success(), "{method} {url}: {status} {body}");
    }
}

/// Three texts at the size limit, each breaking the guideline thousands of times, make a
/// check answer of a few dozen findings, not tens of megabytes.
#[tokio::test]
async fn a_check_of_texts_full_of_findings_answers_in_proportion() {
    let server = Server::start().await;
    let guideline = json!({
        "facts": [{"key": "hotline", "label": "Hotline", "kind": "phone",
                   "value": "0800 123 45 67", "keywords": ["Hotline"]}],
        "allowed_contacts": ["service@example.de"],
        "tone": {"address": "sie"}
    });
    let (status, body) = send(server.put("/api/v1/guideline").json(&guideline)).await;
    assert!(status.is_success(), "{status} {body}");
    let fill = |line: &dyn Fn(usize) -> String| {
        let mut text = String::new();
        for i in 0.. {
            let next = line(i);
            if text.len() + next.len() > 490_000 {
                break;
            }
            text.push_str(&next);
        }
        text
    };
    let texts = [
        (
            "website",
            fill(&|i| format!("Hotline: 0800 {:07}. ", 1_000_000 + i)),
        ),
        (
            "email",
            fill(&|i| format!("Schreiben Sie an a{i}@example.org.\n")),
        ),
        (
            "newsletter",
            fill(&|i| format!("Kannst du uns {i}-mal helfen?\n")),
        ),
    ];
    for (channel, body) in &texts {
        let text = json!({"title": channel, "channel": channel, "body": body});
        let (status, created) = send(server.post("/api/v1/content").json(&text)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
    }
    let response = server
        .post("/api/v1/findings/check")
        .send()
        .await
        .expect("the check answers");
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.bytes().await.expect("a body");
    assert!(body.len() < 100_000, "{} bytes of findings", body.len());
    let findings: Vec<Value> = serde_json::from_slice(&body).expect("JSON findings");
    let count = |kind: &str| {
        findings
            .iter()
            .filter(|f| f["finding"]["kind"] == kind)
            .count()
    };
    assert_eq!(count("contradicts_guideline"), 20);
    assert_eq!(count("unknown_contact"), 20);
    assert_eq!(count("wrong_address"), 20);
}

#[tokio::test]
async fn every_library_operation_is_served() {
    let server = Server::start().await;
    let guideline = json!({
        "facts": [{"key": "return-period", "label": "Rückgabefrist", "kind": "duration",
                   "value": "30 Tage", "keywords": ["Rückgabe"]}],
        "allowed_contacts": ["presse@example.de"],
        "tone": {"address": "sie"}
    });
    let (status, body) = send(server.put("/api/v1/guideline").json(&guideline)).await;
    assert!(status.is_success(), "{status} {body}");
    assert_eq!(body["facts"][0]["key"], "return-period");
    assert_eq!(body["allowed_contacts"][0], "presse@example.de");
    let text = json!({"title": "FAQ", "channel": "website",
        "body": "Rückgabe binnen 14 Tagen. Presse: presse@example.de, Bestellungen: info@example.de."});
    let (status, created) = send(server.post("/api/v1/content").json(&text)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().expect("an id");
    let (status, checked) = send(server.post("/api/v1/findings/check")).await;
    assert!(status.is_success(), "{status} {checked}");
    let finding = checked
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["finding"]["kind"] == "contradicts_guideline")
        .expect("14 days contradict the guideline")
        .clone();
    assert_eq!(finding["finding"]["places"][0]["written"], "14 Tagen");
    // The address the guideline does not allow is a warning of its own kind; the allowed one
    // is none.
    let contacts: Vec<&str> = checked
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["finding"]["kind"] == "unknown_contact")
        .filter_map(|f| f["finding"]["rule"].as_str())
        .collect();
    assert_eq!(contacts, ["info@example.de"]);
    let finding_id = finding["id"].as_i64().expect("an id");
    for (method, path) in [
        ("get", "/api/v1/guideline"),
        ("get", "/api/v1/content"),
        ("get", "/api/v1/content/{id}"),
        ("put", "/api/v1/content/{id}"),
        ("get", "/api/v1/findings"),
        ("put", "/api/v1/findings/{id}/status"),
        ("delete", "/api/v1/content/{id}"),
    ] {
        assert!(OPERATIONS.contains(&(method, path)));
        let request = match (method, path) {
            ("put", "/api/v1/findings/{id}/status") => server
                .put(&format!("/api/v1/findings/{finding_id}/status"))
                .json(&json!({"status": "accepted"})),
            ("put", _) => server
                .put(&path.replace("{id}", &id.to_string()))
                .json(&json!({"title": "FAQ", "body": "Rückgabe binnen 30 Tagen."})),
            ("delete", _) => server.delete(&path.replace("{id}", &id.to_string())),
            _ => server.get(&path.replace("{id}", &id.to_string())),
        };
        let (status, body) = send(request).await;
        assert!(status.is_success(), "{method} {path}: {status} {body}");
    }
    // Bad input is named and changes nothing.
    let (status, body) = send(
        server
            .put("/api/v1/guideline")
            .json(&json!({"facts": [{"key": "x", "label": "X", "kind": "duration", "value": "bald", "keywords": []}]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["facts[0].value", "facts[0].keywords"]);
    let (status, body) = send(
        server
            .put("/api/v1/guideline")
            .json(&json!({"allowed_contacts": ["presse@example.de", "Hamburg"]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "allowed_contacts[1]", "{body}");
    let (_, kept) = send(server.get("/api/v1/guideline")).await;
    assert_eq!(kept["facts"][0]["key"], "return-period");
    let (status, body) = send(
        server
            .post("/api/v1/content")
            .json(&json!({"title": "", "body": ""})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn openapi_document_matches_the_snapshot() {
    let server = Server::start().await;
    let mut document = server.get_json("/api/v1/openapi.json").await;
    assert_eq!(
        document,
        serde_json::to_value(touchpoints_server::openapi_document()).expect("serializes"),
        "served document is the library's"
    );
    // The crate version changes with every release; the rest of the document should not
    // change unnoticed.
    document["info"]["version"] = json!("[version]");
    insta::assert_json_snapshot!("openapi", document);
}

#[tokio::test]
async fn api_docs_page_renders_the_document() {
    let server = Server::start().await;
    let response = server.get("/api/docs").send().await.expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
    );
    // The template escapes '/' as "&#x2f;", which a browser shows as '/'.
    let html = response.text().await.expect("body").replace("&#x2f;", "/");
    assert!(html.contains("/api/v1/touchpoints"), "{html}");
    assert!(html.contains("/api/v1/openapi.json"));
    assert!(html.contains("ErrorBody"));
}

// --- headers ------------------------------------------------------------------------------

#[tokio::test]
async fn responses_carry_the_security_headers_and_a_request_id() {
    let server = Server::start().await;
    for path in [
        "/api/v1/touchpoints",
        "/api/v1/touchpoints/4711",
        "/api/v1/openapi.json",
        "/journey",
        "/healthz",
    ] {
        let response = server.get(path).send().await.expect("send");
        let headers = response.headers();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_else(|| panic!("{path}: no {name} header"))
        };
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert!(
            header("content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(!header("x-request-id").is_empty(), "{path}");
    }
}

#[tokio::test]
async fn a_given_request_id_is_passed_back() {
    let server = Server::start().await;
    let response = server
        .get("/api/v1/channels")
        .header("x-request-id", "test-4711")
        .send()
        .await
        .expect("send");
    assert_eq!(
        response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("test-4711")
    );
}

// --- the common error body -----------------------------------------------------------

#[tokio::test]
async fn unknown_api_path_is_a_json_404() {
    let server = Server::start().await;
    let response = server
        .get("/api/v1/touchpunkte")
        .send()
        .await
        .expect("send");
    assert!(
        response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"))
    );
    let (status, body) = send(server.get("/api/v1/touchpunkte")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["message"], "API endpoint not found");
    assert_eq!(errors(&body).len(), 0);
}

#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let server = Server::start().await;
    for body in [
        r#"{"name": "#,
        "nicht json",
        r#"{"name":"x","channel":"store","phase":"during-purchase"} trailing"#,
        "",
    ] {
        let (status, answer) = post_raw(&server, "application/json", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body:?}: {answer}");
        assert!(
            answer["message"]
                .as_str()
                .is_some_and(|m| m.contains("malformed JSON")),
            "{answer}"
        );
        assert_eq!(errors(&answer).len(), 0);
    }
    assert_eq!(server.count().await, 0);
}

/// Serde fills a struct from an array of its fields, and one whose fields all have defaults
/// from `[]`; the document says object, so every nested struct refuses an array by name.
#[tokio::test]
async fn an_array_where_an_object_belongs_is_refused_by_name() {
    let server = Server::start().await;
    let (status, created) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "email", "customer": {"email": "anna@example.de"}, "body": "Hallo"
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let customers = server.get_json("/api/v1/customers").await;
    let customer = customers[0]["id"].as_i64().expect("a customer");
    let mut touchpoint = input("Kassenbereich");
    touchpoint["importance"] = json!([]);
    let cases = [
        (
            "post",
            "/api/v1/touchpoints".to_owned(),
            touchpoint,
            "importance",
        ),
        (
            "post",
            "/api/v1/requests".to_owned(),
            json!({"channel": "email", "customer": ["Anna", "anna@example.de"], "body": "x"}),
            "customer",
        ),
        (
            "put",
            "/api/v1/guideline".to_owned(),
            json!({"tone": []}),
            "tone",
        ),
        (
            "put",
            "/api/v1/calendar".to_owned(),
            json!({"time_zone": "Europe/Berlin", "hours": ["08:00-18:00"]}),
            "hours",
        ),
        (
            "put",
            format!("/api/v1/customers/{customer}"),
            json!({"name": "Anna", "consent": [true, true, true]}),
            "consent",
        ),
        (
            "post",
            "/api/v1/actions".to_owned(),
            json!({"kind": "launch", "title": "App", "budgets": {"2027-Q1": [100, 0]}}),
            "budgets.2027-Q1",
        ),
        (
            "put",
            "/api/v1/action-plan/settings".to_owned(),
            json!({"quick_win": []}),
            "quick_win",
        ),
        // Structs with required fields, written as arrays of the right length and types.
        (
            "post",
            "/api/v1/actions".to_owned(),
            json!({"kind": "launch", "title": "App", "target": ["nps", 50, 90]}),
            "target",
        ),
        (
            "post",
            "/api/v1/requests".to_owned(),
            json!({"requests": [
                {"channel": "email", "customer": {"email": "ben@example.de"}, "body": "x"},
                {"channel": "email", "customer": ["Carla", "carla@example.de"], "body": "y"}
            ]}),
            "requests[1].customer",
        ),
    ];
    // The admin's session: the calendar is the admin's.
    let admin = server.admin_browser();
    for (method, path, body, field) in cases {
        let request = match method {
            "post" => admin.post(&path),
            _ => admin.put(&path),
        };
        let (status, answer) = send(request.json(&body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {answer}");
        assert_eq!(fields(&answer), [field], "{path}: {answer}");
    }
    assert_eq!(server.count().await, 0);
    let actions = server.get_json("/api/v1/actions").await;
    assert_eq!(actions.as_array().map(Vec::len), Some(0), "{actions}");
}

#[tokio::test]
async fn body_of_another_content_type_is_unsupported() {
    let server = Server::start().await;
    let valid = input("Kassenbereich").to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/jsonx",
    ] {
        let (status, body) = post_raw(&server, content_type, &valid).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}: {body}"
        );
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("application/json")),
            "{body}"
        );
    }
    let (status, _) = send(server.post("/api/v1/touchpoints").body(valid.clone())).await;
    assert_eq!(
        status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "no Content-Type at all"
    );
    assert_eq!(server.count().await, 0);

    // A charset parameter is fine.
    let (status, body) = post_raw(&server, "application/json; charset=utf-8", &valid).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn body_over_the_limit_is_payload_too_large() {
    let server = Server::start().await;
    let mut body = input("Kassenbereich");
    body["description"] = json!("x".repeat(4 * 1024 * 1024));
    let (status, answer) = post_json(&server, &body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert!(answer["message"].is_string(), "{answer}");
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn non_numeric_id_gets_the_common_error_body() {
    let server = Server::start().await;
    let (status, body) = send(server.get("/api/v1/touchpoints/abc")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(errors(&body).len(), 0);
}

#[tokio::test]
async fn unknown_filter_value_gets_the_common_error_body() {
    let server = Server::start().await;
    let (status, body) = send(server.get(&with_query(
        "/api/v1/touchpoints",
        &[("status", "vielleicht")],
    )))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["status"]);
}

#[tokio::test]
async fn unsupported_method_gets_the_common_error_body() {
    let server = Server::start().await;
    let id = server.create(&input("Kassenbereich")).await["id"]
        .as_i64()
        .expect("an id");
    let (status, body) = send(
        server
            .request(reqwest::Method::PATCH, &format!("/api/v1/touchpoints/{id}"))
            .json(&json!({"owner": "Zentrale"})),
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    errors(&body);
}
