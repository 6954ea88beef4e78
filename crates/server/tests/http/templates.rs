//! Reply templates over real HTTP, in the JSON API and on pages: checked when saved (each
//! unknown name with its line and column), filled with the customer's data for a reply, and
//! previewed for a customer and for one of whom nothing is known.

use crate::common;

use common::{Server, send};
use reqwest::StatusCode;
use serde_json::{Value, json};
use touchpoints_core::Role;

/// A request from Petra Schulz, whose profile knows her salutation, customer number, segment
/// and lifetime value, and who bought something on 2 March 2026 under her customer number.
async fn petra(server: &Server) -> (i64, i64) {
    let (status, request) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "email",
        "customer": {"name": "Petra Schulz", "email": "petra@example.de",
            "customer_number": "KD-4711"},
        "subject": "Lieferung",
        "body": "Wo bleibt mein Sofa?",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{request}");
    let customer = request["customer_id"].as_i64().expect("a profile");
    let (status, body) = send(server.put(&format!("/api/v1/customers/{customer}")).json(
        &json!({"name": "Petra Schulz", "salutation": "Frau", "language": "de",
                "segments": ["premium"], "lifetime_value_cents": 123_450}),
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = send(server.post("/api/v1/customer-events").json(&json!({
        "customer_ref": "KD-4711", "kind": "purchase", "at": "2026-03-02T11:00:00Z",
        "amount_cents": 49_900,
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (request["id"].as_i64().expect("id"), customer)
}

const DELAY: &str = "{{ greeting }},\n\nIhre Bestellung vom {{ last_order_date }} über \
                     {{ last_order_amount }} ist unterwegs.{% if segment == \"premium\" %} Als \
                     Premiumkundin ({{ customer_number }}, {{ lifetime_value }}) liefern wir \
                     kostenlos.{% endif %} Offen: {{ open_requests }}.\n\n{{ agent }}";

#[tokio::test]
async fn a_template_is_checked_when_saved_and_filled_with_the_customers_data() {
    let server = Server::start().await;
    let (request, customer) = petra(&server).await;

    // Unknown names anywhere, even in a branch, are refused with line and column.
    let (status, body) = send(server.post("/api/v1/templates").json(&json!({
        "name": "Lieferverzug", "language": "de",
        "subject": "Ihre Bestellung {{ bestellnr }}",
        "body": "{{ greeting }},\n{% if false %}{{ name | fett }}{% endif %}",
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let problems: Vec<(String, String, Value, Value, String)> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|p| {
            (
                p["field"].as_str().expect("field").to_owned(),
                p["code"].as_str().expect("code").to_owned(),
                p["line"].clone(),
                p["column"].clone(),
                p["detail"].as_str().expect("detail").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (
                "subject".into(),
                "template".into(),
                json!(1),
                json!(20),
                "bestellnr".into()
            ),
            (
                "body".into(),
                "template".into(),
                json!(2),
                json!(25),
                "fett".into()
            ),
        ]
    );
    assert!(
        server.get_json("/api/v1/templates").await == json!([]),
        "nothing stored"
    );

    let (status, saved) = send(server.post("/api/v1/templates").json(&json!({
        "name": "Lieferverzug", "language": "de", "body": DELAY,
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");

    // Filled for a reply: an agent may, and signs it.
    let (agent_user, agent) = server.login_as(Role::Agent).await;
    let filled = agent
        .get_json(&format!(
            "/api/v1/requests/{request}/templates/{}",
            saved["id"]
        ))
        .await;
    let body = filled["body"].as_str().expect("body");
    assert!(
        body.starts_with(
            "Sehr geehrte Frau Schulz,\n\nIhre Bestellung vom 02.03.2026 über 499 € ist \
             unterwegs. Als Premiumkundin (KD-4711, 1.234,50 €) liefern wir kostenlos. \
             Offen: 1.\n\n"
        ),
        "{body}"
    );
    assert!(
        body.ends_with(&format!("\n\n{}", agent_user.display_name))
            && !agent_user.display_name.is_empty(),
        "signed by the agent: {body}"
    );
    assert_eq!(filled["subject"], "");

    // An English template greets and writes in English, whatever the customer's language.
    let (status, english) = send(server.post("/api/v1/templates").json(&json!({
        "name": "Delay", "language": "en",
        "body": "{{ greeting }}, your order of {{ last_order_date }} ({{ last_order_amount }}).",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{english}");
    let filled_en = agent
        .get_json(&format!(
            "/api/v1/requests/{request}/templates/{}",
            english["id"]
        ))
        .await;
    assert_eq!(
        filled_en["body"],
        "Dear Ms Schulz, your order of 2026-03-02 (€499)."
    );

    // Agents fill templates but do not write them.
    let (status, _) = send(agent.post("/api/v1/templates").json(&json!({
        "name": "Agentenvorlage", "language": "de", "body": "Hallo",
    })))
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A preview for the customer, and for one of whom nothing is known.
    let body = "{{ greeting }}, Kundennummer {{ customer_number or \"unbekannt\" }}";
    let for_petra = send(
        server
            .post("/api/v1/templates/preview")
            .json(&json!({"language": "de", "body": body, "customer_id": customer})),
    )
    .await;
    assert_eq!(for_petra.0, StatusCode::OK, "{}", for_petra.1);
    assert_eq!(
        for_petra.1["body"],
        "Sehr geehrte Frau Schulz, Kundennummer KD-4711"
    );
    let (status, unknown) = send(
        server
            .post("/api/v1/templates/preview")
            .json(&json!({"language": "de", "body": body})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{unknown}");
    assert_eq!(unknown["body"], "Guten Tag, Kundennummer unbekannt");
    let (status, body) = send(
        server
            .post("/api/v1/templates/preview")
            .json(&json!({"language": "de", "body": body, "customer_id": 999_999})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "customer_id");
    let (status, refused) = send(server.post("/api/v1/templates/preview").json(&json!({
        "language": "fr", "body": "{{ vorname }}",
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let fields: Vec<&str> = refused["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|p| p["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["language", "body"]);

    // Changed, then deleted; both audited.
    let id = saved["id"].as_i64().expect("id");
    let (status, body) = send(server.put(&format!("/api/v1/templates/{id}")).json(&json!({
        "name": "Lieferverzug", "language": "de", "body": "{{ greeting }},\n\nes dauert.",
    })))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let filled = server
        .get_json(&format!("/api/v1/requests/{request}/templates/{id}"))
        .await;
    assert_eq!(filled["body"], "Sehr geehrte Frau Schulz,\n\nes dauert.");
    let (status, _) = send(server.delete(&format!("/api/v1/templates/{id}"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(server.get(&format!("/api/v1/requests/{request}/templates/{id}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let actions: Vec<String> = server
        .audit(&[("entity", "template")])
        .await
        .iter()
        .map(|e| e["action"].as_str().expect("action").to_owned())
        .collect();
    assert_eq!(
        actions,
        [
            "template.delete",
            "template.update",
            "template.create",
            "template.create"
        ]
    );
}

#[tokio::test]
async fn managers_write_templates_on_a_page_and_agents_insert_them_into_a_reply() {
    let server = Server::start().await;
    let (request, customer) = petra(&server).await;
    let (_, manager) = server.login_as(Role::Manager).await;

    // An unknown name is shown at its field in German words, with line and column.
    let response = manager
        .post("/queue/templates")
        .form(&[
            ("name", "Lieferverzug"),
            ("language", "de"),
            ("subject", ""),
            ("body", "{{ greeting }},\n{{ vorname }}"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(
        html.contains("Zeile 2, Spalte 4: unbekannte Variable „vorname“"),
        "{html}"
    );
    assert_eq!(server.get_json("/api/v1/templates").await, json!([]));

    // The preview, for Petra found by her address and for someone unknown; nothing stored.
    let response = manager
        .post("/queue/templates/preview")
        .form(&[
            ("name", "Lieferverzug"),
            ("language", "de"),
            ("subject", ""),
            (
                "body",
                "{{ greeting }}, Ihre Nummer: {{ customer_number or \"–\" }}",
            ),
            ("customer", "petra@example.de"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(html.contains("Für Petra Schulz"), "{html}");
    assert!(
        html.contains("Sehr geehrte Frau Schulz, Ihre Nummer: KD-4711</pre>"),
        "{html}"
    );
    assert!(html.contains("Guten Tag, Ihre Nummer: –</pre>"), "{html}");
    // By the profile's number, by a phone number as anyone writes it; an unknown one is named.
    for (wanted, found) in [
        (format!("#{customer}"), true),
        ("KD-4711".to_owned(), true),
        ("#999999".to_owned(), false),
        ("Niemand".to_owned(), false),
    ] {
        let response = manager
            .post("/queue/templates/preview")
            .form(&[
                ("name", ""),
                ("language", "de"),
                ("subject", ""),
                ("body", "{{ greeting }}"),
                ("customer", wanted.as_str()),
            ])
            .send()
            .await
            .expect("post");
        let status = response.status();
        let html = response.text().await.expect("html");
        if found {
            assert_eq!(status, StatusCode::OK, "{wanted}");
            assert!(html.contains("Für Petra Schulz"), "{wanted}: {html}");
        } else {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{wanted}");
            assert!(
                html.contains(&format!("Unbekannter Wert „{wanted}“")),
                "{wanted}: {html}"
            );
        }
    }
    assert_eq!(server.get_json("/api/v1/templates").await, json!([]));

    let response = manager
        .post("/queue/templates")
        .form(&[
            ("name", "Lieferverzug"),
            ("language", "de"),
            ("subject", ""),
            (
                "body",
                "{{ greeting }},\n\nIhr Paket ({{ last_order_amount }}) kommt morgen.",
            ),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // The agent picks it on the request and finds it filled after what they wrote.
    let (_, agent) = server.login_as(Role::Agent).await;
    let html = agent
        .get(&format!("/requests/{request}"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains(">Lieferverzug (de)</option>"), "{html}");
    let template = server.get_json("/api/v1/templates").await[0]["id"].to_string();
    let response = agent
        .post(&format!("/requests/{request}/act"))
        .form(&[
            ("action", "template"),
            ("template_id", template.as_str()),
            ("body", "Entschuldigung!"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(
        html.contains(
            ">Entschuldigung!\n\nSehr geehrte Frau Schulz,\n\nIhr Paket (499 €) kommt morgen.</textarea>"
        ),
        "{html}"
    );
    let detail = server
        .get_json(&format!("/api/v1/requests/{request}"))
        .await;
    assert_eq!(
        detail["steps"].as_array().map(Vec::len),
        Some(0),
        "nothing is sent or stored: {detail}"
    );
}

#[tokio::test]
async fn replies_count_as_personal_when_they_name_the_customer_and_use_their_data() {
    let server = Server::start().await;
    let (request, _) = petra(&server).await;
    let (status, other) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "phone",
        "customer": {"name": "Jonas Becker", "phone": "0171 5550000"},
        "subject": "Rückruf",
        "body": "Bitte zurückrufen.",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{other}");
    let (status, saved) = send(server.post("/api/v1/templates").json(&json!({
        "name": "Lieferverzug", "language": "de", "body": DELAY,
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let (_, agent) = server.login_as(Role::Agent).await;
    let filled = agent
        .get_json(&format!(
            "/api/v1/requests/{request}/templates/{}",
            saved["id"]
        ))
        .await;
    // Filled from the template: her name and her order. By hand: neither, and a name alone.
    for (id, body) in [
        (request, filled["body"].as_str().expect("body").to_owned()),
        (request, "Wir melden uns.".to_owned()),
        (
            other["id"].as_i64().expect("id"),
            "Hallo Herr Becker, wir rufen zurück.".to_owned(),
        ),
    ] {
        let response = agent
            .post(&format!("/requests/{id}/act"))
            .form(&[("action", "reply"), ("body", body.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{body}");
    }
    let stats = server.get_json("/api/v1/queue-stats?days=1").await;
    let personal = &stats["personalisation"];
    assert_eq!(
        personal["overall"],
        json!({"replies": 3, "by_name": 2, "uses_facts": 1, "personalised": 1}),
        "{stats}"
    );
    assert_eq!(
        personal["by_channel"]["email"],
        json!({"replies": 2, "by_name": 1, "uses_facts": 1, "personalised": 1})
    );
    assert_eq!(
        personal["by_channel"]["phone"],
        json!({"replies": 1, "by_name": 1, "uses_facts": 0, "personalised": 0})
    );
    let agents = personal["by_agent"].as_object().expect("by agent");
    assert_eq!(agents.len(), 1, "{agents:?}");

    // The statistics page shows the share in German.
    let (_, manager) = server.login_as(Role::Manager).await;
    let html = manager
        .get("/queue/stats?days=7")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Personalisierung"), "{html}");
    assert!(
        html.contains("<td>33 %</td>"),
        "a third of the replies: {html}"
    );
}
