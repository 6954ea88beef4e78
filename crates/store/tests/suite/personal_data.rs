//! Export and erasure of what the store holds about a person (DSGVO Art. 15 and 17), on
//! both backends.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::date;
use sqlx::{AssertSqlSafe, Connection};
use touchpoints_core::action_plan::{ActionInput, ActionKind, ActionStatus, StatusChange};
use touchpoints_core::audit::AuditFilter;
use touchpoints_core::catalog::{default_channels, default_phases};
use touchpoints_core::customer::{CustomerFields, Identifier, IdentifierKind};
use touchpoints_core::kpi::{CustomerEventKind, Metric};
use touchpoints_core::request::{NewRequest, RequestAction, RequestCustomer, RequestInput};
use touchpoints_core::survey::{CustomerEventFields, ResponseFields};
use touchpoints_core::{Role, Scope, Subject};
use touchpoints_store::{
    ChatAuthor, InteractionInput, NewAccount, NewChatMessage, NewConversation, Resolution, Store,
    StoreError,
};

use crate::harness::{
    Database, TestStore, account, after, audit_all, audit_mark, audited_since, fields, postgres,
    sqlite, user,
};

store_suite!(
    personal_data_of_staff_is_exported_and_erased,
    personal_data_of_customers_has_no_place_yet,
    erased_account_ids_are_not_reused,
    erasing_an_unknown_person_is_not_found,
    a_customers_export_reaches_every_record_by_any_identifier,
);

async fn personal_data_of_staff_is_exported_and_erased(store: &dyn Store) {
    let name = "bernd.schulze";
    let secret = "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0$bernd-9f8e7d";
    let anna = user(store, "anna", Role::Admin).await;
    let bernd = store
        .create_user(
            &NewAccount {
                password_hash: secret.into(),
                ..account(name, Role::Manager)
            },
            "anna",
        )
        .await
        .expect("create");
    // Bernd works, and Anna works on the same touchpoint.
    let tp = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), name)
        .await
        .expect("create");
    let mut next = tp.fields.clone();
    next.owner = "Kundenservice".into();
    store
        .update_touchpoint(tp.id, &next, name)
        .await
        .expect("update");
    next.notes = "Wartezeit".into();
    store
        .update_touchpoint(tp.id, &next, "anna")
        .await
        .expect("update");
    store
        .record(name, "login.success", "session", "", "", None)
        .await
        .expect("record");
    store
        .set_role(name, Role::Agent, "anna")
        .await
        .expect("set role");
    // Created after the demotion, which revokes a creator's tokens: live until the erasure.
    let token = store
        .create_api_token("Reporting", "tok-bernd", Scope::Read, name)
        .await
        .expect("token");
    // In use: the store has verified it, and must forget that with the erasure.
    assert!(
        store
            .use_api_token("tok-bernd", Timestamp::now())
            .await
            .expect("use")
            .is_some()
    );
    // Bernd plans an action, owns it and moves it on.
    let planned = ActionInput {
        kind: ActionKind::Launch,
        title: "Rückruf-Service".into(),
        goal: String::new(),
        target: None,
        owner: Some(name.into()),
        team: String::new(),
        person_days: 2.0,
        start: None,
        due: None,
        status: None,
        touchpoint_ids: Vec::new(),
        finding_ids: Vec::new(),
        budgets: BTreeMap::new(),
    }
    .validate()
    .expect("a valid action");
    let action = store
        .create_action(&planned, ActionStatus::Planned, name)
        .await
        .expect("an action");
    store
        .set_action_status(
            action.id,
            &StatusChange {
                status: ActionStatus::InProgress,
                note: String::new(),
                confirmed: None,
            },
            name,
        )
        .await
        .expect("in progress");
    let later = after(Timestamp::now(), 1);
    store
        .create_session("s-bernd", bernd.id, later)
        .await
        .expect("session");
    store
        .create_login_link("l-bernd", bernd.id, later)
        .await
        .expect("link");
    store
        .create_session("s-anna", anna.id, later)
        .await
        .expect("session");

    // The export: the account without its hash, and what the person did, counted.
    let by_bernd = AuditFilter {
        actor: Some(name.into()),
        ..AuditFilter::default()
    };
    let bernd_entries = store
        .audit_log(&by_bernd, 100_000)
        .await
        .expect("audit log")
        .len();
    assert!(bernd_entries >= 2, "login and token at least");
    let export = store
        .export_personal_data(&Subject::Staff(name.into()))
        .await
        .expect("export");
    assert_eq!(
        export["subject"],
        serde_json::json!({"kind": "staff", "id": name})
    );
    let account_json = &export["places"]["staff_account"];
    assert_eq!(account_json["username"], name, "{export:#}");
    assert_eq!(account_json["id"], bernd.id);
    assert_eq!(account_json["role"], "agent");
    assert!(
        !export.to_string().contains(secret) && !export.to_string().contains("bernd-9f8e7d"),
        "no password hash in the export: {export:#}"
    );
    let activity = &export["places"]["activity"];
    assert_eq!(
        activity["audit_log_entries"], bernd_entries as u64,
        "{export:#}"
    );
    assert_eq!(activity["touchpoint_changes"], 2, "{export:#}");

    // The last active admin cannot be erased; nothing changes.
    let before = audit_all(store).await;
    match store
        .erase_personal_data(&Subject::Staff("anna".into()), "anna")
        .await
    {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("expected a conflict for the last admin, got {other:?}"),
    }
    assert_eq!(audit_all(store).await, before);
    assert_eq!(
        store.credentials("anna").await.expect("credentials"),
        Some((anna.clone(), "hash-anna".to_string()))
    );

    // The erasure.
    let history_before = store.history(tp.id).await.expect("history");
    let erasure = store
        .erase_personal_data(&Subject::Staff(name.into()), "anna")
        .await
        .expect("erase");
    let erased_account = erasure
        .places
        .iter()
        .find(|(place, _)| place == "staff_account")
        .map(|(_, n)| *n);
    assert!(
        erased_account.is_some_and(|n| n > 0),
        "the account place reports what it did: {erasure:?}"
    );
    let alias = format!("erased-user:{}", bernd.id);
    let mut problems = touchpoints_core::Problems::default();
    touchpoints_core::access::check_username(&mut problems, "username", &alias);
    assert!(
        !problems.is_empty(),
        "no account can be named like the pseudonym {alias}"
    );

    // The account, its sessions and its login links are gone; Anna's session is not.
    assert_eq!(store.credentials(name).await.expect("credentials"), None);
    assert_eq!(
        store.users().await.expect("users"),
        std::slice::from_ref(&anna)
    );
    assert_eq!(store.count_users().await.expect("count"), 1);
    let now = Timestamp::now();
    assert_eq!(store.session_user("s-bernd", now).await.expect("s"), None);
    assert_eq!(
        store.take_login_link("l-bernd", now).await.expect("link"),
        None
    );
    assert_eq!(
        store.session_user("s-anna", now).await.expect("s"),
        Some(anna)
    );

    // The audit log keeps every entry, under the pseudonym, plus the revocation of the
    // person's token and the erasure, which name no one.
    let after_erasure = audit_all(store).await;
    assert_eq!(after_erasure.len(), before.len() + 2, "{after_erasure:#?}");
    let erase_entry = &after_erasure[0];
    assert_eq!(
        (erase_entry.action.as_str(), erase_entry.actor.as_str()),
        ("gdpr.erase", "anna")
    );
    let revoke_entry = &after_erasure[1];
    assert_eq!(
        (
            revoke_entry.action.as_str(),
            revoke_entry.actor.as_str(),
            revoke_entry.entity_id.as_str(),
            revoke_entry.summary.as_str()
        ),
        (
            "token.revoke",
            "anna",
            token.id.to_string().as_str(),
            "creator erased"
        )
    );
    for entry in &after_erasure {
        for text in [&entry.actor, &entry.entity_id, &entry.summary] {
            assert!(
                !text.contains(name) && !text.contains("bernd"),
                "the name is gone from the audit log: {entry:?}"
            );
        }
    }
    for (old, new) in before.iter().zip(&after_erasure[2..]) {
        assert_eq!(
            (old.id, old.at, &old.action, &old.entity),
            (new.id, new.at, &new.action, &new.entity)
        );
        let actor = if old.actor == name {
            &alias
        } else {
            &old.actor
        };
        assert_eq!(&new.actor, actor, "{old:?} → {new:?}");
    }
    let by_alias = AuditFilter {
        actor: Some(alias.clone()),
        ..AuditFilter::default()
    };
    assert_eq!(
        store
            .audit_log(&by_alias, 100_000)
            .await
            .expect("audit log")
            .len(),
        bernd_entries
    );

    // The history keeps every change, under the pseudonym.
    let history_after = store.history(tp.id).await.expect("history");
    assert_eq!(history_after.len(), history_before.len());
    for (old, new) in history_before.iter().zip(&history_after) {
        assert_eq!(
            (old.at, old.action, &old.changes),
            (new.at, new.action, &new.changes)
        );
        let actor = if old.actor == name {
            &alias
        } else {
            &old.actor
        };
        assert_eq!(&new.actor, actor);
    }
    assert_eq!(history_after.iter().filter(|h| h.actor == alias).count(), 2);

    // The action stays, without its owner, its history under the pseudonym.
    assert_eq!(
        store.action(action.id).await.expect("action").fields.owner,
        None
    );
    let actors: Vec<String> = store
        .action_history(action.id)
        .await
        .expect("history")
        .into_iter()
        .map(|entry| entry.actor)
        .collect();
    assert_eq!(actors, [alias.clone(), alias.clone()]);

    // The token stays listed, created by the pseudonym, but works no more.
    let tokens = store.api_tokens().await.expect("tokens");
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].id, token.id);
    assert_eq!(tokens[0].created_by, alias);
    assert!(tokens[0].revoked_at.is_some(), "{:?}", tokens[0]);
    assert_eq!(
        store
            .use_api_token("tok-bernd", Timestamp::now())
            .await
            .expect("use"),
        None,
        "the token of an erased account is dead"
    );

    // Nothing is left to export.
    let export = store
        .export_personal_data(&Subject::Staff(name.into()))
        .await
        .expect("export");
    assert!(
        export["places"].get("staff_account").is_none(),
        "{export:#}"
    );
    assert!(!export["places"].to_string().contains(name), "{export:#}");
}

async fn personal_data_of_customers_has_no_place_yet(store: &dyn Store) {
    let anna = user(store, "anna", Role::Admin).await;
    let tp = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "anna")
        .await
        .expect("create");
    let customer = Subject::Customer("K-4711".into());
    let export = store.export_personal_data(&customer).await.expect("export");
    assert_eq!(
        export["subject"],
        serde_json::json!({"kind": "customer", "id": "K-4711"})
    );
    assert_eq!(export["places"], serde_json::json!({}), "{export:#}");

    // Nothing is held, so nothing is erased, and no erasure is reported or recorded.
    let audit_before = audit_all(store).await;
    let history_before = store.history(tp.id).await.expect("history");
    match store.erase_personal_data(&customer, "anna").await {
        Err(StoreError::NotFound { entity: "person" }) => {}
        other => panic!("expected no person found, got {other:?}"),
    }
    assert_eq!(audit_all(store).await, audit_before, "the log is unchanged");
    assert_eq!(store.users().await.expect("users"), [anna]);
    assert_eq!(store.history(tp.id).await.expect("history"), history_before);
}

async fn erased_account_ids_are_not_reused(store: &dyn Store) {
    // An erased account lives on as erased-user:<id> in the logs: a later account must not
    // take the id and share the pseudonym.
    user(store, "anna", Role::Admin).await;
    let gone = user(store, "gustav", Role::Viewer).await;
    store
        .erase_personal_data(&Subject::Staff("gustav".into()), "anna")
        .await
        .expect("erase");
    let next = user(store, "hanna", Role::Viewer).await;
    assert_ne!(
        next.id, gone.id,
        "the id of an erased account is taken again: both would be erased-user:{}",
        gone.id
    );
}

async fn erasing_an_unknown_person_is_not_found(store: &dyn Store) {
    user(store, "anna", Role::Admin).await;
    user(store, "gustav", Role::Viewer).await;
    store
        .erase_personal_data(&Subject::Staff("gustav".into()), "anna")
        .await
        .expect("erase");
    let before = audit_all(store).await;
    // No such account, one erased already, and a name spelled like a pseudonym.
    for name in ["nobody", "gustav", "erased-user:2"] {
        let subject = Subject::Staff(name.into());
        match store.erase_personal_data(&subject, "anna").await {
            Err(StoreError::NotFound { entity: "person" }) => {}
            other => panic!("{name}: expected no person found, got {other:?}"),
        }
        let export = store.export_personal_data(&subject).await.expect("export");
        assert_eq!(
            export["places"],
            serde_json::json!({}),
            "{name}: {export:#}"
        );
    }
    assert_eq!(
        audit_all(store).await,
        before,
        "erasing nothing records no erasure"
    );
}

/// The canary: one customer, known by an e-mail address, a customer number and a phone
/// number, whose traces are looked for everywhere after an erasure.
const EMAIL: &str = "zyxwa.canarius@example.de";
const NUMBER: &str = "KD-CANARY7";
const PHONE: &str = "0171 5550123";
/// What only the canary's data contains, lower case: the name, the customer number and the
/// phone number.
const CANARY: [&str; 3] = ["zyxwa", "canar", "5550123"];
/// What only another customer's data contains, who must keep everything.
const OTHER: &str = "kontrolle";

fn new_request(customer: RequestCustomer, subject: &str, body: &str) -> NewRequest {
    let catalog = touchpoints_core::Catalog {
        channels: default_channels(),
        phases: default_phases(),
    };
    RequestInput {
        channel: "email".into(),
        customer,
        subject: subject.into(),
        body: body.into(),
        ..RequestInput::default()
    }
    .validate(&catalog, Timestamp::now())
    .expect("valid request")
}

fn response(touchpoint_id: i64, score: u8, customer_ref: &str, comment: &str) -> ResponseFields {
    ResponseFields {
        touchpoint_id,
        survey_id: None,
        metric: Metric::Nps,
        score,
        comment: comment.into(),
        answered_at: "2026-03-02T10:00:00Z".parse().expect("instant"),
        channel: None,
        customer_ref: Some(customer_ref.into()),
        external_id: None,
        request_id: None,
    }
}

fn customer_event(customer_ref: &str, kind: CustomerEventKind, cents: i64) -> CustomerEventFields {
    CustomerEventFields {
        customer_ref: customer_ref.into(),
        kind,
        at: "2026-03-02T11:00:00Z".parse().expect("instant"),
        amount_cents: cents,
        external_id: None,
    }
}

fn interaction(name: &str, reply: &str) -> InteractionInput {
    InteractionInput {
        external_id: None,
        touchpoint_id: None,
        channel: "phone".into(),
        customer_name: Some(name.into()),
        received_at: Timestamp::now(),
        first_response_at: None,
        resolved_at: None,
        reply: reply.into(),
    }
}

/// Puts the canary into every place that can hold a customer's data, and another customer
/// beside them: two profiles merged into one (a request by e-mail and customer number, one
/// by phone), a request with a step, the profile edited by staff, answers under the customer
/// number and under the e-mail address in another spelling, with the name in the comment,
/// events under the customer number and the phone number, and an interaction under the
/// name.
async fn canary(store: &dyn Store) {
    let tp = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "anna")
        .await
        .expect("touchpoint")
        .id;
    let outcomes = store
        .intake(
            &[
                new_request(
                    RequestCustomer {
                        name: Some("Zyxwa Canarius".into()),
                        email: Some(EMAIL.into()),
                        customer_number: Some(NUMBER.into()),
                        ..RequestCustomer::default()
                    },
                    "Sofa für Zyxwa Canarius",
                    "Bitte an zyxwa.canarius@example.de antworten, Kundennummer KD-CANARY7.",
                ),
                new_request(
                    RequestCustomer {
                        name: Some("Z. Canarius".into()),
                        phone: Some(PHONE.into()),
                        ..RequestCustomer::default()
                    },
                    "Rückruf",
                    "Bitte unter 0171 5550123 zurückrufen, Z. Canarius",
                ),
                new_request(
                    RequestCustomer {
                        name: Some("Bernd Kontrolle".into()),
                        email: Some("bernd.kontrolle@example.de".into()),
                        ..RequestCustomer::default()
                    },
                    "Frage von Bernd Kontrolle",
                    "Gruß, Bernd Kontrolle",
                ),
            ],
            "import",
        )
        .await
        .expect("intake");
    let (first, by_phone) = (outcomes[0], outcomes[1]);
    // The call-back request came from a chat: its transcript names the customer.
    let chat = store
        .start_chat(&NewConversation {
            token_hash: "c".repeat(64),
            touchpoint_id: tp,
            language: "de".into(),
            origin: "https://shop.example".into(),
            at: Timestamp::now(),
        })
        .await
        .expect("chat");
    store
        .add_chat_messages(
            chat.id,
            &[NewChatMessage {
                author: ChatAuthor::Customer,
                body: "Hier Zyxwa Canarius, bitte rufen Sie 0171 5550123 an.".into(),
                source: None,
            }],
            Timestamp::now(),
        )
        .await
        .expect("chat message");
    store
        .link_chat_request(chat.id, by_phone.id, false, Timestamp::now())
        .await
        .expect("handover");
    store
        .act(
            first.id,
            &RequestAction::Reply {
                body: "Guten Tag Frau Canarius, das Sofa kommt morgen.".into(),
            },
            "anna",
        )
        .await
        .expect("reply");
    // The e-mail address joins the phone number's profile: one person, two profiles merged.
    let profile = store
        .add_identifiers(
            by_phone.customer_id.expect("profile"),
            &[Identifier::parse(IdentifierKind::Email, EMAIL).expect("e-mail")],
            "anna",
        )
        .await
        .expect("merge");
    assert_eq!(
        Some(profile.id),
        first.customer_id,
        "the older profile survives"
    );
    store
        .update_customer(
            profile.id,
            &CustomerFields {
                name: "Zyxwa Canarius".into(),
                salutation: "Frau".into(),
                attributes: BTreeMap::from([("Adresse".into(), "Canariusweg 7".into())]),
                consent: touchpoints_core::customer::Consent {
                    email_marketing: true,
                    ..Default::default()
                },
                ..CustomerFields::default()
            },
            "anna",
        )
        .await
        .expect("update");
    // A campaign reached them, by name.
    let segment = store
        .put_segment(
            None,
            &touchpoints_core::segment::SegmentFields {
                name: "Alle".into(),
                combine: touchpoints_core::segment::Combine::All,
                rules: Vec::new(),
            },
            "anna",
        )
        .await
        .expect("segment");
    let template = store
        .put_message_template(
            None,
            &touchpoints_core::message_template::TemplateFields {
                name: "Neu".into(),
                language: "de".into(),
                subject: "Neu".into(),
                body: "{{ greeting }},".into(),
            },
            "anna",
        )
        .await
        .expect("template");
    let campaign = store
        .create_campaign(
            &touchpoints_core::campaign::CampaignFields {
                name: "Herbst".into(),
                segment_id: segment.id,
                template_id: template.id,
                per_minute: 600,
            },
            "anna",
        )
        .await
        .expect("campaign");
    let mail = touchpoints_store::CampaignMailOut {
        customer_id: profile.id,
        recipient: EMAIL.into(),
        composed: touchpoints_core::mail::Composed {
            subject: "Neu für Zyxwa Canarius".into(),
            text: "Guten Tag Frau Canarius,".into(),
            html: "<p>Guten Tag Frau Canarius,</p>".into(),
        },
        unsubscribe: format!("/u/{}/{}/00", campaign.id, profile.id),
    };
    let sent = store
        .send_campaign(campaign.id, &[mail], "anna", Timestamp::now())
        .await
        .expect("campaign sent");
    assert_eq!(sent.queued, 1);
    store
        .record_responses(
            &[
                response(tp, 2, NUMBER, "Zyxwa Canarius wartet seit Wochen"),
                response(
                    tp,
                    4,
                    "Zyxwa.Canarius@Example.DE",
                    "Frau Canarius ist verärgert",
                ),
                response(tp, 9, "KD-OTHER1", "Bernd Kontrolle ist zufrieden"),
            ],
            None,
        )
        .await
        .expect("answers");
    store
        .record_customer_events(
            &[
                customer_event(NUMBER, CustomerEventKind::Purchase, 49_900),
                customer_event("+49 171 5550123", CustomerEventKind::Activity, 0),
                customer_event("KD-KONTROLLE", CustomerEventKind::Purchase, 1_000),
            ],
            "import",
        )
        .await
        .expect("events");
    store
        .record_interactions(
            &[
                interaction("Zyxwa Canarius", "Hallo Frau Canarius, gern geschehen."),
                interaction("Bernd Kontrolle", "Hallo Herr Kontrolle."),
            ],
            "import",
        )
        .await
        .expect("interactions");
}

async fn a_customers_export_reaches_every_record_by_any_identifier(store: &dyn Store) {
    canary(store).await;
    let export = store
        .export_personal_data(&Subject::Customer(EMAIL.into()))
        .await
        .expect("export");
    let places = &export["places"];
    let listed = |place: &str| places[place].as_array().map_or(0, Vec::len);
    // Both answers, under the customer number and under the e-mail address in another
    // spelling, with what they wrote.
    assert_eq!(listed("survey_responses"), 2, "{export:#}");
    let answers = places["survey_responses"].to_string();
    assert!(
        answers.contains("Zyxwa Canarius wartet seit Wochen"),
        "{answers}"
    );
    assert!(answers.contains("Frau Canarius ist verärgert"), "{answers}");
    // The purchase under the customer number, the activity under the phone number of the
    // profile merged in.
    assert_eq!(listed("customer_events"), 2, "{export:#}");
    assert_eq!(places["customer_events"][0]["customer_ref"], NUMBER);
    assert_eq!(places["customer_events"][0]["amount_cents"], 49_900);
    assert_eq!(listed("customer_requests"), 2, "{export:#}");
    assert_eq!(
        places["customer_requests"][0]["steps"][0]["body"],
        "Guten Tag Frau Canarius, das Sofa kommt morgen."
    );
    assert_eq!(
        listed("customer_profiles"),
        2,
        "survivor and absorbed: {export:#}"
    );
    assert_eq!(listed("customer_merges"), 1, "{export:#}");
    assert_eq!(listed("campaign_mails"), 1, "{export:#}");
    assert_eq!(places["campaign_mails"][0]["campaign"], "Herbst");
    assert_eq!(
        places["campaign_mails"][0]["subject"],
        "Neu für Zyxwa Canarius"
    );
    assert_eq!(listed("chat_transcripts"), 1, "{export:#}");
    assert_eq!(
        places["chat_transcripts"][0]["messages"][0]["body"],
        "Hier Zyxwa Canarius, bitte rufen Sie 0171 5550123 an."
    );
    // The recorded one, and the request answered in the queue, kept for the standards.
    assert_eq!(listed("interactions"), 2, "{export:#}");
    assert!(
        places["audit_log"].to_string().contains("Zyxwa Canarius"),
        "the profile's edit names the customer: {export:#}"
    );
    assert!(
        !export.to_string().to_lowercase().contains(OTHER),
        "nothing of another customer: {export:#}"
    );
    // Every identifier finds the same.
    for other in [NUMBER, "kd-canary7", PHONE, "+49 171 5550123"] {
        let by_other = store
            .export_personal_data(&Subject::Customer(other.into()))
            .await
            .expect("export");
        assert_eq!(by_other["places"], export["places"], "by {other}");
    }
}

/// Every value of every column of every table that contains one of `needles` (lower case),
/// without case, as `table.column: value`.
async fn holdings(db: &Database, needles: &[&str]) -> Vec<String> {
    fn search(table: &str, column: &str, needles: &[&str]) -> AssertSqlSafe<String> {
        let value = format!("CAST(\"{column}\" AS TEXT)");
        let matches = needles
            .iter()
            .map(|n| format!("lower({value}) LIKE '%{n}%'"))
            .collect::<Vec<_>>()
            .join(" OR ");
        AssertSqlSafe(format!("SELECT {value} FROM \"{table}\" WHERE {matches}"))
    }
    let mut found = Vec::new();
    match db {
        Database::Sqlite(dir) => {
            let mut conn = sqlx::SqliteConnection::connect(&Database::sqlite_url(dir))
                .await
                .expect("connect");
            let columns: Vec<(String, String)> = sqlx::query_as(
                "SELECT t.name, c.name FROM sqlite_master t, pragma_table_info(t.name) c \
                 WHERE t.type = 'table'",
            )
            .fetch_all(&mut conn)
            .await
            .expect("columns");
            assert!(columns.len() > 100, "{columns:?}");
            for (table, column) in columns {
                let values: Vec<String> = sqlx::query_scalar(search(&table, &column, needles))
                    .fetch_all(&mut conn)
                    .await
                    .expect("search");
                found.extend(values.into_iter().map(|v| format!("{table}.{column}: {v}")));
            }
        }
        Database::Postgres { admin, schema } => {
            let options = Database::postgres_options(admin, schema);
            let mut conn = sqlx::PgConnection::connect_with(&options)
                .await
                .expect("connect");
            let columns: Vec<(String, String)> = sqlx::query_as(
                "SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c \
                 JOIN information_schema.tables t \
                 ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
                 WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE'",
            )
            .bind(schema)
            .fetch_all(&mut conn)
            .await
            .expect("columns");
            assert!(columns.len() > 100, "{columns:?}");
            for (table, column) in columns {
                let values: Vec<String> = sqlx::query_scalar(search(&table, &column, needles))
                    .fetch_all(&mut conn)
                    .await
                    .expect("search");
                found.extend(values.into_iter().map(|v| format!("{table}.{column}: {v}")));
            }
        }
    }
    found
}

/// Which of `needles` (lower case) the SQLite database's files hold anywhere, without case:
/// the database file and its write-ahead log, as they are, with the rows, the indexes, and
/// the space that rows left free.
fn sqlite_files_hold(dir: &tempfile::TempDir, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for suffix in ["", "-wal"] {
        let name = format!("touchpoints.db{suffix}");
        let Ok(bytes) = std::fs::read(dir.path().join(&name)) else {
            continue;
        };
        let bytes = bytes.to_ascii_lowercase();
        for needle in needles {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(format!("{needle} in {name}"));
            }
        }
    }
    found
}

/// An erasure by one identifier leaves nothing of the canary in any column of any table,
/// nor (on SQLite) in the database file's bytes; another customer keeps everything, and
/// the roll-ups keep their counts.
async fn an_erasure_leaves_no_trace_of_the_customer(t: &TestStore) {
    let store = t.store.as_ref();
    canary(store).await;
    assert!(
        holdings(&t.db, &CANARY).await.len() > 20,
        "the canary is everywhere"
    );
    if let Database::Sqlite(dir) = &t.db {
        let held = sqlite_files_hold(dir, &CANARY);
        for needle in CANARY {
            assert!(held.iter().any(|h| h.starts_with(needle)), "{held:?}");
        }
    }
    let others = holdings(&t.db, &[OTHER]).await;
    let counts = || async {
        (
            store
                .tallies(Resolution::Day, date(2000, 1, 1), date(2100, 1, 1))
                .await
                .expect("tallies"),
            store
                .customer_days(date(2000, 1, 1), date(2100, 1, 1))
                .await
                .expect("days"),
        )
    };
    let before = counts().await;
    let mark = audit_mark(store).await;

    let erasure = store
        .erase_personal_data(&Subject::Customer(EMAIL.into()), "dpo")
        .await
        .expect("erase");
    let count = |place: &str| {
        erasure
            .places
            .iter()
            .find(|(p, _)| p == place)
            .map_or(0, |(_, n)| *n)
    };
    assert_eq!(count("survey_responses"), 2, "{erasure:?}");
    assert_eq!(count("customer_events"), 2, "{erasure:?}");
    assert_eq!(
        count("interactions"),
        2,
        "the recorded one and the answered request: {erasure:?}"
    );

    assert_eq!(holdings(&t.db, &CANARY).await, Vec::<String>::new());
    if let Database::Sqlite(dir) = &t.db {
        assert_eq!(sqlite_files_hold(dir, &CANARY), Vec::<String>::new());
    }
    assert_eq!(
        holdings(&t.db, &[OTHER]).await,
        others,
        "another customer keeps all"
    );
    // One entry records the erasure, naming no one.
    let entries = audited_since(store, mark).await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(
        (entries[0].action.as_str(), entries[0].actor.as_str()),
        ("gdpr.erase", "dpo")
    );
    // The answers' scores and the events stay, so the roll-ups count as before, also when
    // recounted.
    assert_eq!(counts().await, before);
    store.rebuild_rollups("admin").await.expect("rebuild");
    assert_eq!(counts().await, before);
    // Nothing is left to export or erase, by any identifier.
    for subject in [EMAIL, NUMBER, PHONE] {
        let subject = Subject::Customer(subject.into());
        let export = store.export_personal_data(&subject).await.expect("export");
        assert_eq!(export["places"], serde_json::json!({}), "{export:#}");
        assert!(matches!(
            store.erase_personal_data(&subject, "dpo").await,
            Err(StoreError::NotFound { .. })
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_leaves_no_trace_of_the_customer_on_sqlite() {
    let t = sqlite().await;
    an_erasure_leaves_no_trace_of_the_customer(&t).await;
    t.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn an_erasure_leaves_no_trace_of_the_customer_on_postgres() {
    let t = postgres().await;
    an_erasure_leaves_no_trace_of_the_customer(&t).await;
    t.finish().await;
}
