//! Replies that reach the customer: a reply in the queue goes through the outbox to a real
//! SMTP server on loopback (aiosmtpd from PyPI, which writes what it receives to a Maildir),
//! threaded, in both parts; the admin's settings, test mail and refusals.
//!
//! The tests that talk SMTP need `TOUCHPOINTS_TEST_SMTPD`, a Python with `aiosmtpd`
//! installed: they are marked ignored, and `scripts/test` makes the environment and runs them.

use crate::common;
use crate::smtpd;

use std::time::{Duration, Instant};

use common::{Server, only_problem, send};
use reqwest::StatusCode;
use serde_json::{Value, json};
use smtpd::{Smtpd, free_port};

async fn configure(server: &Server, port: u16) {
    let (status, body) = send(
        server
            .admin_browser()
            .put("/api/v1/mail/settings")
            .json(&json!({
                "host": "127.0.0.1", "port": port, "security": "none",
                "from_address": "service@nordlicht.example", "from_name": "Nordlicht Kundenservice",
            })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn email_request(server: &Server, subject: &str) -> i64 {
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "email",
        "customer": {"name": "Anna Schulz", "email": "Anna.Schulz@example.de"},
        "subject": subject,
        "body": "Wo bleibt mein Sofa?",
        "message_id": "anna-4711@mail.example.de",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().expect("id")
}

async fn reply(server: &Server, id: i64, text: &str) {
    let (status, body) = send(
        server
            .post(&format!("/api/v1/requests/{id}/actions"))
            .json(&json!({"action": "reply", "body": text})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The request's mails once none is queued or being sent any more.
async fn settled_mails(server: &Server, id: i64) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mails = server
            .get_json(&format!("/api/v1/requests/{id}/mails"))
            .await;
        let mails = mails.as_array().expect("a list").clone();
        if mails
            .iter()
            .all(|m| m["status"] != "queued" && m["status"] != "sending")
        {
            return mails;
        }
        assert!(Instant::now() < deadline, "mails still unsent: {mails:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "needs TOUCHPOINTS_TEST_SMTPD: a Python with aiosmtpd (scripts/test makes one)"]
async fn a_reply_reaches_the_customer_threaded_as_text_and_html() {
    let smtpd = Smtpd::start();
    let server = Server::start().await;
    configure(&server, smtpd.port).await;
    let id = email_request(&server, "Sofa nicht geliefert").await;
    reply(
        &server,
        id,
        "Guten Tag Frau Schulz,\n\ndas Sofa kommt am Montag.",
    )
    .await;
    let first = smtpd.wait_for(1).await;
    reply(&server, id, "Hat alles geklappt?").await;
    let received = smtpd.wait_for(2).await;
    assert_eq!(first.len(), 1);
    assert_eq!(received.len(), 2, "each reply arrives once");

    let mails = settled_mails(&server, id).await;
    assert_eq!(mails.len(), 2);
    assert!(
        mails
            .iter()
            .all(|m| m["status"] == "sent" && m["attempts"] == 1),
        "{mails:?}"
    );
    let (one, two) = (&received[0], &received[1]);
    assert_eq!(one.header("message-id"), mails[0]["message_id"]);
    assert_eq!(two.header("message-id"), mails[1]["message_id"]);
    // Both answer the customer's own mail, the second the first reply too.
    let original = "<anna-4711@mail.example.de>";
    assert_eq!(one.header("in-reply-to"), original);
    assert_eq!(one.header("references"), original);
    assert_eq!(two.header("in-reply-to"), one.header("message-id"));
    assert_eq!(
        two.header("references"),
        format!("{original} {}", one.header("message-id"))
    );
    assert_eq!(one.header("x-rcptto"), "anna.schulz@example.de");
    assert_eq!(one.header("x-mailfrom"), "service@nordlicht.example");
    assert!(
        one.header("from").contains("<service@nordlicht.example>"),
        "{}",
        one.header("from")
    );
    assert_eq!(one.header("subject"), "Re: Sofa nicht geliefert");
    assert!(
        one.header("content-type")
            .starts_with("multipart/alternative"),
        "{}",
        one.header("content-type")
    );
    assert!(
        one.text.contains("Content-Type: text/plain; charset=utf-8"),
        "{}",
        one.text
    );
    assert!(
        one.text.contains("Content-Type: text/html; charset=utf-8"),
        "{}",
        one.text
    );
    assert!(
        one.text.contains("das Sofa kommt am Montag."),
        "{}",
        one.text
    );
    assert!(
        one.text.contains("<p>das Sofa kommt am Montag.</p>"),
        "{}",
        one.text
    );

    // The request page tells the agent where each reply went and that it was sent.
    let page = server
        .admin_browser()
        .get(&format!("/requests/{id}"))
        .send()
        .await
        .expect("page");
    let html = page.text().await.expect("html");
    assert!(
        html.contains("E-Mail an anna.schulz@example.de: gesendet")
            || html.contains("E-mail to anna.schulz@example.de: sent"),
        "{html}"
    );
}

#[tokio::test]
#[ignore = "needs TOUCHPOINTS_TEST_SMTPD: a Python with aiosmtpd (scripts/test makes one)"]
async fn the_test_mail_arrives_and_an_unreachable_server_is_named() {
    let smtpd = Smtpd::start();
    let server = Server::start().await;
    let admin = server.admin_browser();
    let (status, body) = send(
        admin
            .post("/api/v1/mail/test")
            .json(&json!({"to": "it@nordlicht.example"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "no server yet: {body}");
    only_problem(&body, "host", "rule");

    configure(&server, smtpd.port).await;
    let (status, body) = send(
        admin
            .post("/api/v1/mail/test")
            .json(&json!({"to": "IT@nordlicht.example"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"sent": true, "recipient": "it@nordlicht.example", "error": null})
    );
    let received = smtpd.wait_for(1).await;
    assert_eq!(received[0].header("x-rcptto"), "it@nordlicht.example");

    let (status, body) = send(
        admin
            .post("/api/v1/mail/test")
            .json(&json!({"to": "kein-mail"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    only_problem(&body, "to", "invalid");

    // A port nobody listens on: the answer says what went wrong, and a reply stays queued
    // for its next try with the reason.
    configure(&server, free_port()).await;
    let (status, body) = send(
        admin
            .post("/api/v1/mail/test")
            .json(&json!({"to": "it@nordlicht.example"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["sent"], false);
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("onnection")),
        "{body}"
    );

    let id = email_request(&server, "Rechnung").await;
    reply(&server, id, "Die Rechnung ist korrigiert.").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let mail = loop {
        let mails = server
            .get_json(&format!("/api/v1/requests/{id}/mails"))
            .await;
        let mail = mails[0].clone();
        if mail["attempts"] == 1 && mail["status"] == "queued" {
            break mail;
        }
        assert!(Instant::now() < deadline, "no failed try recorded: {mail}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        mail["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("onnection")),
        "{mail}"
    );
    assert_eq!(smtpd.received().len(), 1, "only the test mail arrived");
}

#[tokio::test]
async fn mail_settings_are_for_admins_and_refused_field_by_field() {
    let server = Server::start().await;
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "email", "customer": {"email": "a@example.de"}, "body": "Hallo",
        "message_id": "<zwei worte@example.de>",
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    only_problem(&body, "message_id", "invalid");
    // The write token acts as a manager: the mail server is an admin's.
    let (status, _) = send(server.put("/api/v1/mail/settings").json(&json!({}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = server.admin_browser();
    let (status, body) = send(admin.put("/api/v1/mail/settings").json(&json!({
        "host": "mail server", "port": 0, "security": "ssl",
        "username": "service", "from_address": "service", "from_name": "",
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["host", "port", "security", "from_address"]);
    let (_, setup) = send(admin.get("/api/v1/mail/settings")).await;
    assert_eq!(
        setup,
        json!({"settings": null, "password_set": false}),
        "nothing stored"
    );

    // Without a mail server a reply is kept, and its mail held in the outbox, unsent.
    let id = email_request(&server, "Retoure").await;
    reply(&server, id, "Das Etikett ist unterwegs.").await;
    let mails = server
        .get_json(&format!("/api/v1/requests/{id}/mails"))
        .await;
    assert_eq!(mails[0]["status"], "held");
    assert_eq!(mails[0]["last_error"], "no-server");
    let outbox = server.get_json("/api/v1/outbox").await;
    assert_eq!(outbox["counts"], json!([{"status": "held", "count": 1}]));
    // A reply on another channel is recorded and mails nothing.
    let (status, call) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "phone", "customer": {"email": "b@example.de"}, "body": "Rückruf bitte",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{call}");
    let call = call["id"].as_i64().expect("id");
    reply(&server, call, "Wie besprochen.").await;
    let mails = server
        .get_json(&format!("/api/v1/requests/{call}/mails"))
        .await;
    assert_eq!(mails, json!([]));
    let page = admin.get("/admin/mail").send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("Noch kein Mailserver eingerichtet")
            || html.contains("No mail server is set up yet"),
        "{html}"
    );

    // The page's form names its problems inline and keeps what was typed.
    let response = admin
        .post("/admin/mail")
        .form(&[
            ("host", "smtp.nordlicht.example"),
            ("port", "fünf"),
            ("security", "starttls"),
            ("username", ""),
            ("from_address", "service@nordlicht.example"),
            ("from_name", ""),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(html.contains("value=\"smtp.nordlicht.example\""), "{html}");
    assert!(html.contains("id=\"port-error\""), "{html}");
    let response = admin
        .post("/admin/mail")
        .form(&[
            ("host", "smtp.nordlicht.example"),
            ("port", "587"),
            ("security", "starttls"),
            ("username", "service@nordlicht.example"),
            ("from_address", "service@nordlicht.example"),
            ("from_name", "Nordlicht"),
            ("survey_interval_days", "30"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, setup) = send(admin.get("/api/v1/mail/settings")).await;
    assert_eq!(setup["settings"]["host"], "smtp.nordlicht.example");
    assert_eq!(setup["settings"]["security"], "starttls");

    // Other senders, one a line, by channel key or touchpoint name; an unknown name is the
    // field's problem and nothing changes.
    let touchpoint = server.create(&common::input("Hotline")).await["id"].clone();
    let with_senders = |senders: &'static str| {
        admin.post("/admin/mail").form(&[
            ("host", "smtp.nordlicht.example"),
            ("port", "587"),
            ("security", "starttls"),
            ("from_address", "service@nordlicht.example"),
            ("survey_interval_days", "30"),
            ("senders", senders),
        ])
    };
    let response = with_senders("Brieftaube: taube@nordlicht.example")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(html.contains("id=\"senders-error\""), "{html}");
    let response = with_senders(
        "website: Nordlicht Shop <shop@nordlicht.example>\nhotline: anruf@nordlicht.example",
    )
    .send()
    .await
    .expect("post");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, setup) = send(admin.get("/api/v1/mail/settings")).await;
    assert_eq!(
        setup["settings"]["senders"],
        json!([
            {"channel": "website", "touchpoint_id": null, "from_address": "shop@nordlicht.example", "from_name": "Nordlicht Shop"},
            {"channel": "", "touchpoint_id": touchpoint, "from_address": "anruf@nordlicht.example", "from_name": ""},
        ])
    );
    let html = admin
        .get("/admin/mail")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("website: Nordlicht Shop &lt;shop@nordlicht.example&gt;\nHotline: anruf@nordlicht.example"),
        "the form writes them back: {html}"
    );
}

#[tokio::test]
async fn a_reply_that_breaks_the_guideline_is_held_until_the_agent_confirms_it() {
    let server = Server::start().await;
    let guideline = json!({
        "facts": [{"key": "return-period", "label": "Rückgabefrist", "kind": "duration",
                   "value": "30 Tage", "keywords": ["Rückgabe", "zurückgeben"]}],
        "tone": {"address": "sie", "forbidden": [{"term": "leider nicht möglich", "instead": "Das können wir so nicht anbieten, aber …"}]},
    });
    let (status, body) = send(server.put("/api/v1/guideline").json(&guideline)).await;
    assert!(status.is_success(), "{body}");
    let id = email_request(&server, "Rückgabe").await;
    let wrong = "Guten Tag Frau Schulz, Sie können das Sofa innerhalb von 14 Tagen zurückgeben.";
    let (status, body) = send(
        server
            .post(&format!("/api/v1/requests/{id}/actions"))
            .json(&json!({"action": "reply", "body": wrong})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let problem = only_problem(&body, "body", "rule");
    assert_eq!(problem["rule"], "guideline", "{body}");
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.contains("14 Tage") && m.contains("30 Tage")),
        "{body}"
    );
    let detail = server.get_json(&format!("/api/v1/requests/{id}")).await;
    assert_eq!(detail["steps"], json!([]), "nothing stored");
    assert!(
        server
            .get_json(&format!("/api/v1/requests/{id}/mails"))
            .await
            .as_array()
            .is_some_and(Vec::is_empty)
    );

    // Corrected, it goes; confirmed, the wrong one goes too, and the audit log says so.
    let right = "Guten Tag Frau Schulz, Sie können das Sofa innerhalb von 30 Tagen zurückgeben.";
    reply(&server, id, right).await;
    let (status, body) = send(
        server
            .post(&format!(
                "/api/v1/requests/{id}/actions?confirm_guideline=true"
            ))
            .json(&json!({"action": "reply", "body": wrong})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let audited = server.audit(&[("action", "request.reply")]).await;
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert!(
        audited[0]["summary"]
            .as_str()
            .is_some_and(|s| s.contains("sent despite 1 finding(s)")),
        "{audited:?}"
    );
    assert_eq!(audited[1]["summary"], "Rückgabe");

    // On the page the findings stand above the form, with the choice to send anyway.
    let agent = server.admin_browser();
    let response = agent
        .post(&format!("/requests/{id}/act"))
        .form(&[
            ("action", "reply"),
            ("body", "Das ist leider nicht möglich."),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(html.contains("class=\"reply-findings\""), "{html}");
    assert!(html.contains("leider nicht möglich"), "{html}");
    // In the page's language, with the guideline's fix.
    assert!(
        html.contains("<li>Der Leitfaden verbietet „leider nicht möglich“. — Stattdessen"),
        "{html}"
    );
    assert!(!html.contains("the guideline forbids"), "{html}");
    assert!(html.contains("value=\"reply_anyway\""), "{html}");
    let response = agent
        .post(&format!("/requests/{id}/act"))
        .form(&[
            ("action", "reply_anyway"),
            ("body", "Das ist leider nicht möglich."),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let detail = server.get_json(&format!("/api/v1/requests/{id}")).await;
    assert_eq!(detail["steps"].as_array().map(Vec::len), Some(3));

    // The greeting goes in front of the draft, as the profile and the guideline's "Sie" say;
    // nothing is stored.
    let page = agent
        .get(&format!("/requests/{id}"))
        .send()
        .await
        .expect("page");
    let html = page.text().await.expect("html");
    assert!(
        html.contains("Anrede einfügen: „Guten Tag Anna Schulz,“"),
        "{html}"
    );
    let response = agent
        .post(&format!("/requests/{id}/act"))
        .form(&[("action", "greet"), ("body", "Ihr Sofa kommt am Montag.")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(
        html.contains(">Guten Tag Anna Schulz,\n\nIhr Sofa kommt am Montag.</textarea>"),
        "{html}"
    );
    let detail = server.get_json(&format!("/api/v1/requests/{id}")).await;
    assert_eq!(detail["steps"].as_array().map(Vec::len), Some(3));
}

/// Quoted-printable undone, as a mail client reads the text part.
fn unquote(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
#[ignore = "needs TOUCHPOINTS_TEST_SMTPD: a Python with aiosmtpd (scripts/test makes one)"]
async fn a_resolved_request_sends_its_survey_once_and_the_answer_names_the_request() {
    let smtpd = Smtpd::start();
    let server = Server::start().await;
    let admin = server.admin_browser();
    let (status, body) = send(admin.put("/api/v1/mail/settings").json(&json!({
        "host": "127.0.0.1", "port": smtpd.port, "security": "none",
        "from_address": "service@nordlicht.example", "from_name": "Nordlicht",
        "survey_after_resolution": true, "survey_interval_days": 30,
        "public_url": server.url(""),
    })))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let touchpoint = server.create(&common::input("Kundenservice E-Mail")).await["id"]
        .as_i64()
        .expect("touchpoint");
    let (status, survey) = send(
        server
            .post("/api/v1/surveys")
            .json(&json!({"touchpoint_id": touchpoint, "metric": "nps"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{survey}");
    let request = |external: &str| {
        json!({"channel": "email", "touchpoint_id": touchpoint, "external_id": external,
               "customer": {"name": "Anna Schulz", "email": "anna@example.de"},
               "subject": "Sofa", "body": "Wo bleibt mein Sofa?"})
    };
    let (_, first) = send(server.post("/api/v1/requests").json(&request("m-1"))).await;
    let (_, second) = send(server.post("/api/v1/requests").json(&request("m-2"))).await;
    let (first, second) = (
        first["id"].as_i64().expect("id"),
        second["id"].as_i64().expect("id"),
    );
    let resolve = |id: i64| {
        server
            .post(&format!("/api/v1/requests/{id}/actions"))
            .json(&json!({"action": "resolve"}))
    };

    // Without consent to e-mails beyond the service, no survey.
    let (status, body) = send(resolve(first)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let customer = body["customer_id"].as_i64().expect("customer");
    assert!(
        server
            .get_json(&format!("/api/v1/requests/{first}/mails"))
            .await
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    let (status, body) = send(
        server
            .put(&format!("/api/v1/customers/{customer}"))
            .json(&json!({
                "name": "Anna Schulz", "consent": {"email_marketing": true},
            })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = send(
        server
            .post(&format!("/api/v1/requests/{first}/actions"))
            .json(&json!({"action": "reopen"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = send(resolve(first)).await;
    assert_eq!(status, StatusCode::OK);
    let received = smtpd.wait_for(1).await;
    let mail = &received[0];
    assert_eq!(mail.header("x-rcptto"), "anna@example.de");
    assert_eq!(
        mail.header("subject"),
        format!("Wie zufrieden waren Sie? Ihre Anfrage #{first}")
    );
    let text = unquote(&mail.text);
    assert!(text.contains("Guten Tag Anna Schulz,"), "{text}");
    let start = text.find(&server.url("/s/")).expect("the survey's link");
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    assert!(
        link.contains(&format!("/s/{}?", survey["slug"].as_str().expect("slug"))),
        "{link}"
    );
    assert!(link.contains(&format!("&r={first}&")), "{link}");

    // The customer answers through the link: the answer names the request and its channel.
    let page = server
        .nobody()
        .get(link.trim_start_matches(&server.url("")))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(
        html.contains(&format!("name=\"r\" value=\"{first}\"")),
        "{html}"
    );
    let query: Vec<(String, String)> = link
        .split_once('?')
        .map(|(_, q)| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let mut answer: Vec<(String, String)> = query;
    answer.push(("score".into(), "9".into()));
    let survey_path = link
        .split_once('?')
        .map_or("", |(p, _)| p)
        .trim_start_matches(&server.url(""))
        .to_owned();
    let post_answer = || server.nobody().post(&survey_path).form(&answer).send();
    let response = post_answer().await.expect("answer");
    assert!(
        response.status().is_success() || response.status().is_redirection(),
        "{}",
        response.status()
    );
    let answers = server
        .get_json(&format!("/api/v1/responses?touchpoint_id={touchpoint}"))
        .await;
    assert_eq!(answers[0]["request_id"], first, "{answers}");
    assert_eq!(answers[0]["channel"], "email", "{answers}");
    assert_eq!(answers[0]["score"], 9);

    // The link takes one answer: sent again, it is thanked for and not counted.
    let again = post_answer().await.expect("answer again");
    assert_eq!(again.status(), StatusCode::OK);
    assert!(
        again
            .text()
            .await
            .expect("html")
            .contains("schon beantwortet")
    );
    let answers = server
        .get_json(&format!("/api/v1/responses?touchpoint_id={touchpoint}"))
        .await;
    assert_eq!(answers.as_array().map(Vec::len), Some(1), "{answers}");

    // Within the interval the same customer gets no second survey.
    let (status, _) = send(resolve(second)).await;
    assert_eq!(status, StatusCode::OK);
    let mails = server
        .get_json(&format!("/api/v1/requests/{second}/mails"))
        .await;
    assert_eq!(mails, json!([]), "one survey in 30 days");
    let mails = server
        .get_json(&format!("/api/v1/requests/{first}/mails"))
        .await;
    assert_eq!(mails[0]["kind"], "survey");
    assert_eq!(mails[0]["status"], "sent");
}

#[tokio::test]
async fn a_mail_that_failed_is_sent_again_from_the_api_or_the_outbox_page() {
    let server = Server::start().await;
    configure(&server, free_port()).await;
    let id = email_request(&server, "Rechnung").await;
    reply(&server, id, "Die Rechnung ist korrigiert.").await;
    // Its tries used up, as after a long outage.
    let far = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    let mail = loop {
        let claimed = server.store.claim_mails(far, far, 1).await.expect("claim");
        if let Some(mail) = claimed.into_iter().next() {
            break mail;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    server
        .store
        .mail_not_sent(mail.id, mail.attempts, "Connection refused", None)
        .await
        .expect("failed");
    let page = server
        .admin_browser()
        .get("/admin/mail")
        .send()
        .await
        .expect("page");
    let html = page.text().await.expect("html");
    assert!(
        html.contains(&format!("action=\"/admin/mail/{}/retry\"", mail.id)),
        "{html}"
    );

    let (status, body) = send(server.post(&format!("/api/v1/outbox/{}/retry", mail.id))).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let mails = server
        .get_json(&format!("/api/v1/requests/{id}/mails"))
        .await;
    // The retry starts the mail's tries anew; the outbox worker, woken by it, may already
    // have made the first one (and failed again against the closed port).
    assert_ne!(mails[0]["status"], "failed");
    assert!(
        mails[0]["attempts"].as_i64().is_some_and(|n| n <= 1),
        "{mails}"
    );
    // Only a failed mail is tried again on request.
    let (status, body) = send(server.post(&format!("/api/v1/outbox/{}/retry", mail.id))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    only_problem(&body, "status", "rule");
    let (status, _) = send(server.post("/api/v1/outbox/999999/retry")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let audited = server.audit(&[("action", "mail.retry")]).await;
    assert_eq!(audited.len(), 1, "{audited:?}");
}

/// A customer made by a request by mail, then given segments and consent.
async fn customer(server: &Server, name: &str, email: &str, premium: bool, consent: bool) -> i64 {
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "email", "customer": {"name": name, "email": email},
        "subject": "Frage", "body": "Eine Frage.",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["customer_id"].as_i64().expect("a customer");
    let segments: Vec<&str> = if premium { vec!["premium"] } else { vec![] };
    let (status, body) = send(server.put(&format!("/api/v1/customers/{id}")).json(&json!({
        "name": name, "salutation": "Frau", "language": "de", "segments": segments,
        "consent": {"email_marketing": consent},
    })))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id
}

#[tokio::test]
#[ignore = "needs TOUCHPOINTS_TEST_SMTPD: a Python with aiosmtpd (scripts/test makes one)"]
async fn a_campaign_reaches_each_consenting_member_once_and_its_link_ends_such_mails() {
    let smtpd = Smtpd::start();
    let server = Server::start().await;
    let anna = customer(&server, "Anna Schulz", "anna@example.de", true, true).await;
    customer(&server, "Berta Yilmaz", "berta@example.de", true, false).await;
    customer(&server, "Clara Weber", "clara@example.de", false, true).await;
    let (status, template) = send(server.post("/api/v1/templates").json(&json!({
        "name": "Frühling", "language": "de", "subject": "Frühling bei Nordlicht, {{ first_name }}",
        "body": "{{ greeting }},\n\nals {{ segment }}-Kundin erhalten Sie zuerst unsere neue Kollektion.",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{template}");

    // A rule on a field segments do not know is named by its place.
    let (status, body) = send(server.post("/api/v1/segments").json(&json!({
        "name": "Premium", "rules": [{"field": "shoe_size", "op": "is", "value": "42"}],
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    only_problem(&body, "rules[0].field", "unknown");
    let premium = json!({"name": "Premium", "rules": [{"field": "segment", "op": "has", "value": "premium"}]});
    let (status, preview) = send(server.post("/api/v1/segments/preview").json(&premium)).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(
        (preview["members"].as_u64(), preview["reachable"].as_u64()),
        (Some(2), Some(1))
    );
    let (status, segment) = send(server.post("/api/v1/segments").json(&premium)).await;
    assert_eq!(status, StatusCode::CREATED, "{segment}");

    let (status, body) = send(server.post("/api/v1/campaigns").json(&json!({
        "name": "Frühjahr", "segment_id": 999, "template_id": template["id"],
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    only_problem(&body, "segment_id", "invalid");
    let (status, campaign) = send(server.post("/api/v1/campaigns").json(&json!({
        "name": "Frühjahr", "segment_id": segment["id"], "template_id": template["id"],
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{campaign}");
    let id = campaign["id"].as_i64().expect("id");
    let send_it = || server.post(&format!("/api/v1/campaigns/{id}/send"));

    // With a mail server but no public address no campaign mail may go: its link would lead
    // nowhere. Nothing is written.
    let settings = |public_url: String| {
        server
            .admin_browser()
            .put("/api/v1/mail/settings")
            .json(&json!({
                "host": "127.0.0.1", "port": smtpd.port, "security": "none",
                "from_address": "service@nordlicht.example", "from_name": "Nordlicht",
                "public_url": public_url,
            }))
    };
    let (status, body) = send(settings(String::new())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = send(send_it()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    only_problem(&body, "public_url", "rule");
    let (status, body) = send(settings(server.url(""))).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, sent) = send(send_it()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{sent}");
    assert_eq!(
        sent,
        json!({"queued": 1, "already": 0, "without_consent": 0})
    );
    let (status, again) = send(send_it()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{again}");
    assert_eq!(
        again,
        json!({"queued": 0, "already": 1, "without_consent": 0})
    );

    let received = smtpd.wait_for(1).await;
    assert_eq!(received.len(), 1, "one member with consent, one mail");
    let mail = &received[0];
    assert_eq!(mail.header("x-rcptto"), "anna@example.de");
    // "Frühling" travels encoded (RFC 2047), the rest as it is.
    assert_eq!(
        mail.header("subject"),
        "=?utf-8?b?RnLDvGhsaW5n?= bei Nordlicht, Anna"
    );
    let text = unquote(&mail.text);
    assert!(text.contains("Sehr geehrte Frau Schulz,"), "{text}");
    assert!(text.contains("als premium-Kundin"), "{text}");
    let link = mail
        .header("list-unsubscribe")
        .trim_matches(['<', '>'])
        .to_owned();
    assert!(
        link.starts_with(&server.url(&format!("/u/{id}/{anna}/"))),
        "{link}"
    );
    assert_eq!(
        mail.header("list-unsubscribe-post"),
        "List-Unsubscribe=One-Click"
    );
    assert!(
        text.contains(&link),
        "the link stands in the text too: {text}"
    );
    let detail = server.get_json(&format!("/api/v1/campaigns/{id}")).await;
    assert_eq!(detail["recipients"][0]["customer_id"], anna, "{detail}");

    // Opening the link changes nothing (mail scanners open links); the mail client's
    // one-click POST, without cookies or token, withdraws the consent at once.
    let path = link.trim_start_matches(&server.url(""));
    let anna_path = format!("/api/v1/customers/{anna}");
    let customer = || server.get_json(&anna_path);
    let page = server.nobody().get(path).send().await.expect("the page");
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(customer().await["consent"]["email_marketing"], true);
    let done = server
        .nobody()
        .post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("one click");
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(customer().await["consent"]["email_marketing"], false);
    let (status, preview) = send(server.post("/api/v1/segments/preview").json(&premium)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(preview["reachable"], 0, "{preview}");

    // A link whose signature is not the product's does nothing.
    let forged = format!("/u/{id}/{anna}/{}", "0".repeat(32));
    let refused = server.nobody().post(&forged).send().await.expect("forged");
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
#[ignore = "needs TOUCHPOINTS_TEST_SMTPD: a Python with aiosmtpd (scripts/test makes one)"]
async fn held_mails_go_out_once_released_with_their_links_made_absolute() {
    let smtpd = Smtpd::start();
    let server = Server::start().await;
    let anna = customer(&server, "Anna Schulz", "anna@example.de", true, true).await;
    let (_, template) = send(server.post("/api/v1/templates").json(&json!({
        "name": "Neu", "language": "de", "subject": "Neu", "body": "{{ greeting }},\n\nneu.",
    })))
    .await;
    let (_, segment) = send(server.post("/api/v1/segments").json(&json!({
        "name": "Alle", "rules": [],
    })))
    .await;
    let (_, campaign) = send(server.post("/api/v1/campaigns").json(&json!({
        "name": "Neu", "segment_id": segment["id"], "template_id": template["id"],
    })))
    .await;
    let id = campaign["id"].as_i64().expect("id");

    // Without a mail server the campaign's mail is held, its link a path.
    let (status, sent) = send(server.post(&format!("/api/v1/campaigns/{id}/send"))).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{sent}");
    assert_eq!(sent["queued"], 1);
    let release = || server.post("/api/v1/outbox/release");
    let (status, body) = send(release()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    only_problem(&body, "settings", "rule");

    configure(&server, smtpd.port).await;
    let (status, body) = send(release()).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a campaign mail needs the public address: {body}"
    );
    only_problem(&body, "public_url", "rule");
    let (status, body) = send(
        server
            .admin_browser()
            .put("/api/v1/mail/settings")
            .json(&json!({
                "host": "127.0.0.1", "port": smtpd.port, "security": "none",
                "from_address": "service@nordlicht.example", "from_name": "Nordlicht",
                "public_url": server.url(""),
            })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = send(release()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"released": 1}));
    let received = smtpd.wait_for(1).await;
    assert_eq!(received.len(), 1);
    let link = received[0]
        .header("list-unsubscribe")
        .trim_matches(['<', '>'])
        .to_owned();
    assert!(
        link.starts_with(&server.url(&format!("/u/{id}/{anna}/"))),
        "{link}"
    );
    assert!(
        unquote(&received[0].text).contains(&link),
        "the link in the text is absolute too"
    );
    assert_eq!(
        received[0].header("from"),
        "Nordlicht <service@nordlicht.example>"
    );
    let (_, body) = send(release()).await;
    assert_eq!(body, json!({"released": 0}), "nothing is held any more");
}

#[tokio::test]
#[ignore = "needs TOUCHPOINTS_TEST_SMTPD: a Python with aiosmtpd (scripts/test makes one)"]
async fn a_channel_with_a_sender_of_its_own_replies_from_it() {
    let smtpd = Smtpd::start();
    let server = Server::start().await;
    let settings = |senders: Value| {
        server
            .admin_browser()
            .put("/api/v1/mail/settings")
            .json(&json!({
                "host": "127.0.0.1", "port": smtpd.port, "security": "none",
                "from_address": "service@nordlicht.example", "from_name": "Nordlicht",
                "senders": senders,
            }))
    };
    // A channel the catalog does not know is named; nothing is stored.
    let (status, body) = send(settings(json!([
        {"channel": "brieftaube", "from_address": "taube@nordlicht.example"},
    ])))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    only_problem(&body, "senders[0].channel", "unknown");
    let (status, body) = send(settings(json!([
        {"channel": "email", "from_address": "post@nordlicht.example", "from_name": "Nordlicht Post"},
    ])))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = email_request(&server, "Sofa").await;
    reply(&server, id, "Guten Tag, das Sofa kommt.").await;
    let received = smtpd.wait_for(1).await;
    assert_eq!(
        received[0].header("from"),
        r#""Nordlicht Post" <post@nordlicht.example>"#
    );
}
