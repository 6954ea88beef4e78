//! The action plan's review, budget and import over real HTTP: verdicts and proposals
//! computed from answers placed before and after each action's start; the review as a
//! workbook; the money summed by quarter, touchpoint and kind; the plan's export imported
//! back unchanged, as CSV and XLSX, through the API and the page; a bad row refusing the
//! whole file; and who may import.

use crate::common;

use common::{Server, fields, multipart, send};
use jiff::ToSpan;
use jiff::civil::Date;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use touchpoints_core::Role;
use touchpoints_core::action_plan::import::COLUMNS;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn touchpoint(server: &Server, name: &str) -> i64 {
    server
        .create(&json!({"name": name, "channel": "phone", "phase": "after-purchase"}))
        .await["id"]
        .as_i64()
        .expect("an id")
}

async fn create(server: &Server, action: &Value) -> i64 {
    let (status, body) = send(server.post("/api/v1/actions").json(action)).await;
    assert_eq!(status, StatusCode::CREATED, "{action} answered {body}");
    body["id"].as_i64().expect("an id")
}

/// `count` NPS answers at `touchpoint` on `day` at noon UTC, `promoters` of them 10 and the
/// rest 2 (detractors).
async fn nps_answers(server: &Server, touchpoint: i64, day: Date, count: usize, promoters: usize) {
    let at = day
        .at(12, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .expect("a day")
        .timestamp();
    let answers: Vec<Value> = (0..count)
        .map(|i| {
            json!({"touchpoint_id": touchpoint, "metric": "nps",
                   "score": if i < promoters { 10 } else { 2 }, "answered_at": at.to_string()})
        })
        .collect();
    let (status, body) = send(
        server
            .post("/api/v1/responses")
            .json(&json!({"responses": answers})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

fn entry(review: &Value, id: i64) -> &Value {
    review["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["action"]["id"] == id)
        .unwrap_or_else(|| panic!("no action {id} in {review}"))
}

fn kinds(entry: &Value) -> Vec<&str> {
    entry["adjustments"]
        .as_array()
        .expect("adjustments")
        .iter()
        .map(|a| a["kind"].as_str().expect("a kind"))
        .collect()
}

#[tokio::test]
async fn the_review_judges_each_action_and_proposes_what_to_adjust() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline").await;
    let website = touchpoint(&server, "Website").await;
    let store = touchpoint(&server, "Filiale").await;
    // Every action started 40 days ago: its 30 days after are complete.
    let start = today().checked_sub(40.days()).expect("a day");
    let day = |offset: i64| start.checked_add(offset.days()).expect("a day");

    // Hotline: 10 promoters of 40 before (NPS 25 − 75 = −50), 30 of 40 after (+50): better,
    // but the target of NPS 60 within 20 days is missed (its day has passed).
    nps_answers(&server, hotline, day(-5), 40, 10).await;
    nps_answers(&server, hotline, day(2), 40, 30).await;
    let better = create(
        &server,
        &json!({"kind": "optimise", "title": "Rückrufe binnen einer Stunde",
                "touchpoint_ids": [hotline], "start": start.to_string(), "status": "in_progress",
                "target": {"metric": "nps", "value": 60, "within_days": 20}}),
    )
    .await;
    // Website: 20 of 40 before and after, NPS 0 both: no detectable change.
    nps_answers(&server, website, day(-3), 40, 20).await;
    nps_answers(&server, website, day(3), 40, 20).await;
    let same = create(
        &server,
        &json!({"kind": "optimise", "title": "Neue Startseite", "touchpoint_ids": [website],
                "start": start.to_string(), "status": "done"}),
    )
    .await;
    // Filiale: five answers after, none before.
    nps_answers(&server, store, day(1), 5, 5).await;
    let few = create(
        &server,
        &json!({"kind": "optimise", "title": "Beratung am Regal", "touchpoint_ids": [store],
                "start": start.to_string(), "status": "in_progress"}),
    )
    .await;
    let unmeasurable = create(
        &server,
        &json!({"kind": "launch", "title": "Chat", "start": start.to_string(),
                "status": "in_progress"}),
    )
    .await;
    let planned = create(
        &server,
        &json!({"kind": "optimise", "title": "Später", "touchpoint_ids": [hotline]}),
    )
    .await;

    let review = server.get_json("/api/v1/action-review").await;
    assert_eq!(review["days"], 30);
    let ids: Vec<i64> = review["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["action"]["id"].as_i64().expect("an id"))
        .collect();
    assert_eq!(
        ids,
        [better, same, few, unmeasurable],
        "planned {planned} is left out"
    );

    let b = entry(&review, better);
    assert_eq!(b["effect"]["metrics"][0]["verdict"], "better", "{b}");
    assert_eq!(b["effect"]["running"], false);
    assert_eq!(b["target"]["outcome"], "missed");
    assert_eq!(b["target"]["measured"].as_f64(), Some(50.0));
    assert_eq!(b["target"]["deadline"], day(20).to_string());
    assert_eq!(kinds(b), ["target_missed"]);
    assert_eq!(
        b["adjustments"][0]["text"],
        format!(
            "Target missed: NPS at least 60 by {}, measured 50. Sharpen the action or set a \
             target it can reach.",
            day(20)
        )
    );

    let s = entry(&review, same);
    assert_eq!(s["effect"]["metrics"][0]["verdict"], "no_detectable_change");
    assert_eq!(s["target"], Value::Null);
    assert_eq!(kinds(s), ["no_detectable_effect"]);
    assert_eq!(
        s["adjustments"][0]["text"],
        "No detectable effect after 30 days (NPS): check that it was carried out, then change \
         or end it."
    );

    let f = entry(&review, few);
    assert_eq!(kinds(f), ["too_few_answers"]);
    assert_eq!(f["adjustments"][0]["metric"], "nps");
    assert_eq!(
        f["adjustments"][0]["text"],
        "Too few answers for NPS: 0 before, 5 after, 30 needed on each side. Extend the survey \
         at these touchpoints or measure longer."
    );

    let u = entry(&review, unmeasurable);
    assert_eq!(u["effect"], Value::Null);
    assert_eq!(u["unmeasurable"]["field"], "touchpoint_ids");
    assert_eq!(kinds(u), ["unmeasurable"]);

    // In German, and with other windows.
    let german = server.get_json("/api/v1/action-review?lang=de").await;
    assert!(
        entry(&german, same)["adjustments"][0]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Keine nachweisbare Wirkung nach 30 Tagen (NPS)")),
        "{german}"
    );
    let (status, body) = send(server.get("/api/v1/action-review?days=400")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&body), ["days"]);
    let (status, body) = send(server.get("/api/v1/action-review?lang=fr")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&body), ["lang"]);

    // The page, for a viewer, in German.
    let viewer = server.as_role(Role::Viewer).await;
    let response = viewer
        .get("/actions/review?lang=de")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("a page");
    assert!(html.contains("<h1>Auswertung</h1>"), "{html}");
    assert!(html.contains("Ziel verfehlt: NPS mindestens 60"), "{html}");
    assert!(html.contains("keine erkennbare Änderung"), "{html}");
    assert!(!html.contains("Später"), "a planned action is not reviewed");

    // The workbook: a row per action, and a row per action and metric.
    let response = viewer
        .get("/actions/review.xlsx")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CONTENT_TYPE].to_str().expect("text"),
        XLSX
    );
    let bytes = response.bytes().await.expect("a workbook");
    let columns = [
        "id",
        "title",
        "status",
        "start",
        "before_from",
        "before_until",
        "after_from",
        "after_until",
        "running",
        "target_metric",
        "target_value",
        "target_deadline",
        "target_measured",
        "target_outcome",
        "unmeasurable",
        "adjustments",
    ];
    let rows = touchpoints_core::workbook::read_xlsx(&bytes, &columns).expect("readable");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].get("id"), Some(better.to_string().as_str()));
    assert_eq!(rows[0].get("target_outcome"), Some("missed"));
    assert_eq!(rows[0].get("target_measured"), Some("50"));
    assert_eq!(rows[1].get("running"), Some("no"));
}

#[tokio::test]
async fn the_budget_sums_planned_and_spent_by_quarter_touchpoint_and_kind() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline").await;
    let website = touchpoint(&server, "Website").await;
    let budget = |planned: i64, spent: i64| json!({"planned_cents": planned, "spent_cents": spent});
    // 1,000.01 € in Q1 over two touchpoints: 500.01 € at the first, 500.00 € at the second.
    create(
        &server,
        &json!({"kind": "optimise", "title": "Hotline und Website", "touchpoint_ids": [hotline, website],
                "start": "2027-01-04", "due": "2027-03-31",
                "budgets": {"2027-Q1": budget(100_001, 20_000), "2027-Q2": budget(50_000, 0)}}),
    )
    .await;
    create(
        &server,
        &json!({"kind": "launch", "title": "App", "due": "2027-06-30",
                "budgets": {"2027-Q2": budget(300_000, 12_345)}}),
    )
    .await;
    // Dropped: only what it spent counts.
    create(
        &server,
        &json!({"kind": "retire", "title": "Fax", "touchpoint_ids": [website], "status": "dropped",
                "budgets": {"2027-Q1": budget(999_999, 1_000)}}),
    )
    .await;
    let report = server.get_json("/api/v1/action-budget").await;
    assert_eq!(
        report["total"],
        json!({"planned_cents": 450_001, "spent_cents": 33_345, "actions": 3})
    );
    assert_eq!(
        report["by_quarter"],
        json!([
            {"quarter": "2027-Q1", "planned_cents": 100_001, "spent_cents": 21_000, "actions": 2},
            {"quarter": "2027-Q2", "planned_cents": 350_000, "spent_cents": 12_345, "actions": 2},
        ])
    );
    // 150,001 planned and 20,000 spent shared by two; the fax's 1,000 spent at the website.
    assert_eq!(
        report["by_touchpoint"],
        json!([
            {"touchpoint_id": hotline, "name": "Hotline", "planned_cents": 75_001, "spent_cents": 10_000, "actions": 1},
            {"touchpoint_id": website, "name": "Website", "planned_cents": 75_000, "spent_cents": 11_000, "actions": 2},
            {"touchpoint_id": null, "name": null, "planned_cents": 300_000, "spent_cents": 12_345, "actions": 1},
        ])
    );
    assert_eq!(
        report["by_kind"],
        json!([
            {"kind": "optimise", "planned_cents": 150_001, "spent_cents": 20_000, "actions": 1},
            {"kind": "launch", "planned_cents": 300_000, "spent_cents": 12_345, "actions": 1},
            {"kind": "retire", "planned_cents": 0, "spent_cents": 1_000, "actions": 1},
        ])
    );
    let timeline: Vec<(&str, &str, &str)> = report["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|t| {
            (
                t["title"].as_str().expect("a title"),
                t["from"].as_str().expect("from"),
                t["until"].as_str().expect("until"),
            )
        })
        .collect();
    assert_eq!(
        timeline,
        [
            ("Hotline und Website", "2027-01-04", "2027-03-31"),
            ("App", "2027-06-30", "2027-06-30")
        ]
    );
    assert_eq!(report["undated"], 1);

    // The page: tables without JavaScript, the chart's data as JSON that escapes markup.
    create(
        &server,
        &json!({"kind": "launch", "title": "<img src=x onerror=alert(1)>", "start": "2027-02-01"}),
    )
    .await;
    let response = server
        .get("/actions/budget?lang=de")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("a page");
    assert!(html.contains("<h1>Budget und Zeitplan</h1>"), "{html}");
    assert!(html.contains("1.000,01 €"), "{html}");
    let script_url = html
        .split(r#"<script src=""#)
        .filter_map(|part| part.split('"').next())
        .find(|src| src.starts_with("/assets/action_budget."))
        .expect("the page loads its script by its fingerprinted name")
        .to_owned();
    assert!(!html.contains("<img src=x"), "{html}");
    let script = server.get(&script_url).send().await.expect("send");
    assert_eq!(script.status(), StatusCode::OK);
    assert!(
        script
            .text()
            .await
            .expect("text")
            .contains("escapeHtml(a.title)")
    );
}

/// The fields of an action that an export carries, for comparing actions across an import.
fn portable(action: &Value) -> Value {
    let mut a = action.clone();
    for key in ["id", "created_at", "updated_at"] {
        a.as_object_mut().expect("an object").remove(key);
    }
    a
}

/// The actions created after `before` (by id), in order.
async fn actions_after(server: &Server, before: i64) -> Vec<Value> {
    let all = server.get_json("/api/v1/actions").await;
    all.as_array()
        .expect("actions")
        .iter()
        .filter(|a| a["id"].as_i64().is_some_and(|id| id > before))
        .cloned()
        .collect()
}

/// A multipart form with the CSRF field first and the file, as a browser sends it.
fn upload(token: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    multipart(&[
        ("_csrf", None, token.as_bytes()),
        ("file", Some(file_name), bytes),
    ])
}

#[tokio::test]
async fn an_export_imports_back_unchanged_and_a_bad_row_stores_nothing() {
    let server = Server::start().await;
    let hotline = touchpoint(&server, "Hotline").await;
    let odd = touchpoint(&server, "Filiale; am Markt").await;
    server.create_user("carla", Role::Agent, None).await;
    let first = create(
        &server,
        &json!({"kind": "optimise", "title": "=Rückrufe halbieren", "goal": "-schneller\nund freundlicher",
                "touchpoint_ids": [hotline, odd], "owner": "carla", "team": "Service",
                "person_days": 2.5, "start": "2027-01-04", "due": "2027-05-31", "status": "in_progress",
                "target": {"metric": "response_p90_hours", "value": 4.5, "within_days": 60},
                "budgets": {"2027-Q1": {"planned_cents": 500_050, "spent_cents": 12_000},
                            "2027-Q2": {"planned_cents": 10, "spent_cents": 0}}}),
    )
    .await;
    create(
        &server,
        &json!({"kind": "launch", "title": "App", "status": "idea"}),
    )
    .await;
    let originals = actions_after(&server, first - 1).await;
    assert_eq!(originals.len(), 2);
    let last = originals[1]["id"].as_i64().expect("an id");

    // CSV through the API: every field as it was, the defused title and goal included.
    let csv = server
        .get("/actions/export.csv")
        .send()
        .await
        .expect("send")
        .bytes()
        .await
        .expect("a file");
    assert!(String::from_utf8_lossy(&csv).contains("'=Rückrufe halbieren"));
    let (status, body) = send(
        server
            .post("/api/v1/actions/import")
            .header(CONTENT_TYPE, "text/csv")
            .body(csv.to_vec()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["created"], 2);
    let imported = actions_after(&server, last).await;
    // The export is in the plan's order; compare as sets by title.
    let by_title = |list: &[Value]| {
        let mut v: Vec<Value> = list.iter().map(portable).collect();
        v.sort_by_key(|a| a["title"].as_str().unwrap_or_default().to_owned());
        v
    };
    assert_eq!(by_title(&imported), by_title(&originals));
    let last = imported
        .iter()
        .filter_map(|a| a["id"].as_i64())
        .max()
        .expect("ids");

    // XLSX through the page's form, as a manager.
    let xlsx = server
        .get("/actions/export.xlsx")
        .send()
        .await
        .expect("send")
        .bytes()
        .await
        .expect("a file");
    let (manager, browser) = server.login_as(Role::Manager).await;
    let token = touchpoints_app::secrets::csrf_token_of_session(
        browser.session.as_deref().expect("a session"),
    );
    let (content_type, body) = upload(&token, "plan.xlsx", &xlsx);
    let response = browser
        .post("/actions/import")
        .without_csrf()
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("a page");
    // The plan is exported with the quick win first: four actions now, two imported.
    assert!(
        html.contains("4 Maßnahmen importiert") || html.contains("4 actions imported"),
        "{html}"
    );
    let imported = actions_after(&server, last).await;
    assert_eq!(imported.len(), 4);
    let originals_twice: Vec<Value> = originals.iter().chain(originals.iter()).cloned().collect();
    assert_eq!(by_title(&imported), by_title(&originals_twice));
    let audit = server.audit(&[("action", "action.create")]).await;
    assert!(
        audit
            .iter()
            .any(|e| e["actor"] == manager.username.as_str()),
        "{audit:?}"
    );
    let total = server
        .get_json("/api/v1/actions")
        .await
        .as_array()
        .expect("a list")
        .len();

    // One bad row (row 4: due before start) refuses the whole file.
    let bad = "kind,title,touchpoints,start,due\n\
               optimise,Eins,Hotline,2027-01-01,2027-02-01\n\
               launch,Zwei,,,\n\
               optimise,Drei,Hotline,2027-03-01,2027-02-01\n";
    let (status, body) = send(
        server
            .post("/api/v1/actions/import")
            .header(CONTENT_TYPE, "text/csv; charset=utf-8")
            .body(bad),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["rows[4].due"]);
    assert_eq!(
        body["errors"][0]["message"],
        "comes before the start (2027-03-01)"
    );
    assert_eq!(
        server
            .get_json("/api/v1/actions")
            .await
            .as_array()
            .expect("a list")
            .len(),
        total,
        "nothing stored"
    );
    // A finding that does not exist is seen only by the store: still by row and column.
    let (status, body) = send(
        server
            .post("/api/v1/actions/import")
            .header(CONTENT_TYPE, "text/csv")
            .body("kind,title,finding_ids\nlaunch,Eins,\nlaunch,Zwei,999\n"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["rows[3].finding_ids"]);
    assert_eq!(
        server
            .get_json("/api/v1/actions")
            .await
            .as_array()
            .expect("a list")
            .len(),
        total
    );
    // The page says it in its language, by row and column.
    let (content_type, body) = upload(&token, "plan.csv", bad.as_bytes());
    let response = browser
        .post("/actions/import?lang=de")
        .without_csrf()
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("a page");
    assert!(
        html.contains("Zeile 4, Spalte due: Die Fälligkeit liegt vor dem Start."),
        "{html}"
    );
    // Another content type is refused as such.
    let (status, _) = send(
        server
            .post("/api/v1/actions/import")
            .header(CONTENT_TYPE, "application/json")
            .body("[]"),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // The export's columns are the ones an import reads.
    let header = String::from_utf8_lossy(&csv)
        .lines()
        .next()
        .map(str::to_owned);
    assert_eq!(header, Some(COLUMNS.join(",")));
}

#[tokio::test]
async fn viewers_cannot_import_and_a_form_needs_its_csrf_token() {
    let server = Server::start().await;
    let file = "kind,title\nlaunch,App\n";
    let (status, _) = send(
        server
            .read_client()
            .post("/api/v1/actions/import")
            .header(CONTENT_TYPE, "text/csv")
            .body(file),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let viewer = server.as_role(Role::Viewer).await;
    let token = touchpoints_app::secrets::csrf_token_of_session(
        viewer.session.as_deref().expect("a session"),
    );
    let (content_type, body) = upload(&token, "plan.csv", file.as_bytes());
    let response = viewer
        .post("/actions/import")
        .without_csrf()
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // A manager's form without the session's token is refused too.
    let manager = server.as_role(Role::Manager).await;
    let (content_type, body) = upload("forged", "plan.csv", file.as_bytes());
    let response = manager
        .post("/actions/import")
        .without_csrf()
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        server
            .get_json("/api/v1/actions")
            .await
            .as_array()
            .expect("a list")
            .len(),
        0
    );
}

#[tokio::test]
async fn an_import_cannot_retire_the_only_touchpoint_of_customers_unconfirmed() {
    let server = Server::start().await;
    let fax = touchpoint(&server, "Fax").await;
    let (status, body) = send(server.post("/api/v1/requests").json(&json!({
        "channel": "letter", "touchpoint_id": fax, "customer": {"email": "anna@example.org"},
        "subject": "Rechnung", "body": "Nur per Fax",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = create(
        &server,
        &json!({"kind": "retire", "title": "Fax abschalten", "touchpoint_ids": [fax]}),
    )
    .await;
    let csv = server
        .get("/actions/export.csv")
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("a file");
    let (status, _) = send(server.delete(&format!("/api/v1/actions/{id}"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(csv.contains(",planned,"), "{csv}");
    let in_progress = csv.replace(",planned,", ",in_progress,");

    let (status, body) = send(
        server
            .post("/api/v1/actions/import")
            .header(CONTENT_TYPE, "text/csv")
            .body(in_progress),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "rows[2].status", "{body}");
    assert_eq!(body["errors"][0]["rule"], "retire-needs-confirmation");
    assert_eq!(server.get_json("/api/v1/actions").await, json!([]));
    // Planned, it imports; it is moved on with the confirmation from its page.
    let (status, body) = send(
        server
            .post("/api/v1/actions/import")
            .header(CONTENT_TYPE, "text/csv")
            .body(csv),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}
