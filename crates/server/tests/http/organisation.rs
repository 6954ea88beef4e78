//! The organisation's name and logo: set by an admin, shown on the survey page and at login,
//! the logo served with a long cache under its digest; a bad file or name stores nothing.

use crate::common;

use common::{Server, multipart};
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use serde_json::{Value, json};
use touchpoints_core::Role;

/// The first bytes of a PNG file and a little more: enough to be recognised as one.
fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend(0..=200u8);
    bytes
}

async fn save(
    server: &Server,
    fields: &[(&str, Option<&str>, &[u8])],
) -> (StatusCode, Option<String>, String) {
    let token = touchpoints_app::secrets::csrf_token_of_session(&server.admin_session);
    let mut all = vec![("_csrf", None, token.as_bytes())];
    all.extend_from_slice(fields);
    let (content_type, body) = multipart(&all);
    let response = server
        .post("/admin/organisation?lang=de")
        .without_csrf()
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("send");
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, location, response.text().await.expect("a body"))
}

/// The address of the logo a page links, if it links one.
fn logo_link(html: &str) -> Option<String> {
    html.split('"')
        .find(|part| part.starts_with("/logo?v="))
        .map(str::to_owned)
}

async fn survey_page(server: &Server) -> String {
    let touchpoint = server
        .create(&json!({"name": "Kasse", "channel": "store", "phase": "during-purchase"}))
        .await["id"]
        .as_i64()
        .expect("an id");
    let survey: Value = server
        .post("/api/v1/surveys")
        .json(&json!({ "touchpoint_id": touchpoint, "metric": "csat" }))
        .send()
        .await
        .expect("create a survey")
        .json()
        .await
        .expect("the survey");
    survey["path"].as_str().expect("a path").to_owned()
}

#[tokio::test]
async fn the_name_and_logo_show_on_the_survey_page_and_at_login() {
    let server = Server::start().await;
    let survey = survey_page(&server).await;
    let before = server.nobody().get(&survey).send().await.expect("send");
    let before = before.text().await.expect("a page");
    assert!(!before.contains("survey-brand"), "nothing to show yet");

    let logo = png();
    let (status, location, body) = save(
        &server,
        &[
            ("company_name", None, " Nordlicht Wohnen GmbH ".as_bytes()),
            ("logo", Some("logo.png"), &logo),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location.as_deref(), Some("/admin/organisation?saved=1"));

    let page = server
        .nobody()
        .get(&survey)
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("a page");
    assert!(page.contains("Nordlicht Wohnen GmbH"), "{page}");
    let link = logo_link(&page).expect("the survey page links the logo");
    let served = server.nobody().get(&link).send().await.expect("send");
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()[CONTENT_TYPE], "image/png");
    assert_eq!(
        served.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(served.bytes().await.expect("the logo").as_ref(), logo);

    let login = server
        .nobody()
        .get("/login")
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("a page");
    assert_eq!(logo_link(&login), Some(link.clone()));

    // Saved again without a file, the logo stays; removed, it is gone.
    let (status, _, _) = save(&server, &[("company_name", None, b"Nordlicht")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let branding = server.store.branding().await.expect("read");
    assert_eq!(branding.company_name.as_deref(), Some("Nordlicht"));
    assert!(branding.logo.is_some());
    let (status, _, _) = save(
        &server,
        &[
            ("company_name", None, b"Nordlicht"),
            ("remove_logo", None, b"on"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let gone = server.nobody().get("/logo").send().await.expect("send");
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let audit = server.audit(&[("action", "settings.branding")]).await;
    assert_eq!(audit.len(), 3, "{audit:?}");
}

#[tokio::test]
async fn a_bad_file_or_name_is_refused_at_its_field_and_keeps_what_was_stored() {
    let server = Server::start().await;
    let (status, _, _) = save(
        &server,
        &[
            ("company_name", None, b"Nordlicht"),
            ("logo", Some("logo.png"), &png()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let stored = server.store.branding().await.expect("read");

    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let long = "x".repeat(101);
    for (fields, field, message) in [
        (
            vec![
                ("company_name", None, "Andere GmbH".as_bytes()),
                ("logo", Some("logo.svg"), svg.as_slice()),
            ],
            "logo",
            "PNG-, JPEG- oder WebP",
        ),
        (
            vec![("company_name", None, long.as_bytes())],
            "company_name",
            "Höchstens 100 Zeichen",
        ),
    ] {
        let (status, _, body) = save(&server, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains(&format!(r#"id="{field}-error""#)), "{body}");
        assert!(body.contains(message), "{body}");
        assert_eq!(server.store.branding().await.expect("read"), stored);
    }
}

#[tokio::test]
async fn only_admins_set_the_name_and_logo() {
    let server = Server::start().await;
    let manager = server.as_role(Role::Manager).await;
    let response = manager
        .get("/admin/organisation")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
