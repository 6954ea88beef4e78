//! Export and erasure of what the store holds about a person (DSGVO Art. 15 and 17), on
//! both backends.

use jiff::Timestamp;
use touchpoints_core::audit::AuditFilter;
use touchpoints_core::{Role, Scope, Subject};
use touchpoints_store::{NewAccount, Store, StoreError};

use crate::harness::{account, after, audit_all, fields, user};

store_suite!(
    personal_data_of_staff_is_exported_and_erased,
    personal_data_of_customers_has_no_place_yet,
    erased_account_ids_are_not_reused,
    erasing_an_unknown_person_is_not_found,
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
        .record(name, "login.success", "session", "", "")
        .await
        .expect("record");
    let token = store
        .create_api_token("Reporting", "tok-bernd", Scope::Read, name)
        .await
        .expect("token");
    store
        .set_role(name, Role::Agent, "anna")
        .await
        .expect("set role");
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
