//! Staff accounts, sessions, login links and API tokens, on both backends.

use jiff::Timestamp;
use touchpoints_core::{Problem, Role, Scope};
use touchpoints_store::{Store, StoreError};

use crate::harness::{
    account, after, assert_audited, assert_not_audited, audit_mark, audited_since, micros, user,
};

store_suite!(
    users_are_created_listed_and_unique,
    the_last_active_admin_stays,
    sessions_live_until_expiry_logout_disabling_or_a_new_password,
    login_links_work_once_before_expiry_for_active_accounts,
    api_tokens_are_used_and_revoked,
    concurrent_demotions_keep_an_admin,
    disabling_an_account_revokes_its_tokens,
    a_demotion_or_a_new_password_revokes_the_creators_tokens,
);

async fn users_are_created_listed_and_unique(store: &dyn Store) {
    assert_eq!(store.count_users().await.expect("count"), 0);
    let mark = audit_mark(store).await;
    let zoe = store
        .create_user(&account("zoe", Role::Viewer), "admin")
        .await
        .expect("create");
    assert_eq!(
        (
            zoe.username.as_str(),
            zoe.display_name.as_str(),
            zoe.role,
            zoe.disabled
        ),
        ("zoe", "Staff zoe", Role::Viewer, false)
    );
    assert_audited(store, mark, "user.create", "admin", "user", "zoe").await;
    let anna = user(store, "anna", Role::Admin).await;
    let ben = user(store, "ben.mueller@nordlicht.de", Role::Manager).await;

    let mark = audit_mark(store).await;
    let mut again = account("anna", Role::Viewer);
    again.password_hash = "hash-other".into();
    match store.create_user(&again, "admin").await {
        Err(StoreError::Conflict(p)) => {
            assert_eq!(p.0[0].field, "username");
            assert_eq!(
                p.0[0].problem,
                Problem::Duplicate {
                    value: "anna".into()
                }
            );
        }
        other => panic!("expected a conflict on the username, got {other:?}"),
    }
    assert_not_audited(store, mark, "a duplicate user").await;
    assert_eq!(store.count_users().await.expect("count"), 3);

    let users = store.users().await.expect("users");
    assert_eq!(
        users,
        [anna.clone(), ben.clone(), zoe.clone()],
        "sorted by name, as created"
    );
    assert_eq!(
        store.credentials("anna").await.expect("credentials"),
        Some((anna, "hash-anna".to_string())),
        "the first account keeps its hash"
    );
    assert_eq!(
        store
            .credentials("ben.mueller@nordlicht.de")
            .await
            .expect("credentials"),
        Some((ben, "hash-ben.mueller@nordlicht.de".to_string()))
    );
    assert_eq!(
        store.credentials("nobody").await.expect("credentials"),
        None
    );
    // An account for login links only has an empty hash.
    let mut link_only = account("lena", Role::Agent);
    link_only.password_hash = String::new();
    let lena = store
        .create_user(&link_only, "admin")
        .await
        .expect("create");
    assert_eq!(
        store.credentials("lena").await.expect("credentials"),
        Some((lena, String::new()))
    );
    assert_eq!(store.count_users().await.expect("count"), 4);
}

async fn the_last_active_admin_stays(store: &dyn Store) {
    let anna = user(store, "anna", Role::Admin).await;
    user(store, "ben", Role::Manager).await;
    store
        .create_session("s-anna", anna.id, after(Timestamp::now(), 1))
        .await
        .expect("session");
    let mark = audit_mark(store).await;
    for (what, result) in [
        (
            "demoting the last admin",
            store.set_role("anna", Role::Manager, "anna").await,
        ),
        (
            "disabling the last admin",
            store.set_disabled("anna", true, "anna").await,
        ),
    ] {
        match result {
            Err(StoreError::Conflict(p)) => assert_eq!(p.0[0].field, "role", "{what}"),
            other => panic!("{what}: expected a conflict, got {other:?}"),
        }
    }
    assert_not_audited(store, mark, "a refused change of the last admin").await;
    assert_eq!(
        store.credentials("anna").await.expect("credentials"),
        Some((anna.clone(), "hash-anna".to_string())),
        "still an active admin"
    );
    assert_eq!(
        store
            .session_user("s-anna", Timestamp::now())
            .await
            .expect("session"),
        Some(anna.clone()),
        "a refused disabling ends no session"
    );

    // With a second admin, either may step down.
    let ben = store
        .set_role("ben", Role::Admin, "anna")
        .await
        .expect("promote");
    assert_eq!(ben.role, Role::Admin);
    assert_audited(store, mark, "user.role", "anna", "user", "ben").await;
    let mark = audit_mark(store).await;
    let anna = store
        .set_role("anna", Role::Manager, "ben")
        .await
        .expect("demote one of two admins");
    assert_eq!(anna.role, Role::Manager);
    assert_audited(store, mark, "user.role", "ben", "user", "anna").await;
    assert_eq!(
        store.credentials("anna").await.expect("credentials"),
        Some((anna, "hash-anna".to_string()))
    );

    // A disabled admin does not count as one.
    user(store, "carl", Role::Admin).await;
    let carl = store
        .set_disabled("carl", true, "ben")
        .await
        .expect("disable one of two admins");
    assert!(carl.disabled);
    let mark = audit_mark(store).await;
    assert!(matches!(
        store.set_role("ben", Role::Viewer, "ben").await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.set_disabled("ben", true, "ben").await,
        Err(StoreError::Conflict(_))
    ));

    for (what, result) in [
        (
            "set_role",
            store.set_role("nobody", Role::Viewer, "ben").await.err(),
        ),
        (
            "set_disabled",
            store.set_disabled("nobody", true, "ben").await.err(),
        ),
        (
            "set_password",
            store.set_password("nobody", "hash", "ben").await.err(),
        ),
    ] {
        assert!(
            matches!(result, Some(StoreError::NotFound { .. })),
            "{what} on an unknown user: {result:?}"
        );
    }
    assert_not_audited(store, mark, "a refused or failed account change").await;
    let roles: Vec<(String, Role, bool)> = store
        .users()
        .await
        .expect("users")
        .into_iter()
        .map(|u| (u.username, u.role, u.disabled))
        .collect();
    assert_eq!(
        roles,
        [
            ("anna".to_string(), Role::Manager, false),
            ("ben".to_string(), Role::Admin, false),
            ("carl".to_string(), Role::Admin, true),
        ]
    );
}

async fn sessions_live_until_expiry_logout_disabling_or_a_new_password(store: &dyn Store) {
    user(store, "anna", Role::Admin).await;
    let ben = user(store, "ben", Role::Manager).await;
    let carl = user(store, "carl", Role::Agent).await;
    let now = Timestamp::now();
    let later = after(now, 1);
    let alive = |token: &'static str| async move {
        store
            .session_user(token, Timestamp::now())
            .await
            .expect("session lookup")
    };

    store
        .create_session("s-ben-1", ben.id, later)
        .await
        .expect("session");
    assert_eq!(
        store.session_user("s-ben-1", now).await.expect("session"),
        Some(ben.clone())
    );
    assert_eq!(
        store.session_user("s-ben-1", later).await.expect("session"),
        None,
        "a session ends at its expiry"
    );
    assert_eq!(
        store
            .session_user("s-ben-1", after(now, 2))
            .await
            .expect("session"),
        None,
        "expired"
    );
    assert_eq!(alive("unknown").await, None);
    store.delete_session("s-ben-1").await.expect("logout");
    assert_eq!(alive("s-ben-1").await, None, "logged out");
    store
        .delete_session("s-ben-1")
        .await
        .expect("logging out twice is harmless");

    // Disabling ends the account's sessions, not others'; a disabled account has none.
    store
        .create_session("s-ben-2", ben.id, later)
        .await
        .expect("session");
    store
        .create_session("s-carl-1", carl.id, later)
        .await
        .expect("session");
    let mark = audit_mark(store).await;
    let disabled = store
        .set_disabled("ben", true, "anna")
        .await
        .expect("disable");
    assert!(disabled.disabled);
    assert_audited(store, mark, "user.disable", "anna", "user", "ben").await;
    assert_eq!(alive("s-ben-2").await, None);
    assert_eq!(alive("s-carl-1").await, Some(carl.clone()));
    store
        .create_session("s-ben-3", ben.id, later)
        .await
        .expect("session");
    assert_eq!(alive("s-ben-3").await, None, "the account is disabled");
    let mark = audit_mark(store).await;
    store
        .set_disabled("ben", false, "anna")
        .await
        .expect("enable");
    assert_audited(store, mark, "user.enable", "anna", "user", "ben").await;
    assert_eq!(
        alive("s-ben-2").await,
        None,
        "ended sessions stay ended after enabling"
    );

    // A new password ends every session of the account, not others'.
    store
        .create_session("s-carl-2", carl.id, later)
        .await
        .expect("session");
    store
        .create_session("s-ben-4", ben.id, later)
        .await
        .expect("session");
    let mark = audit_mark(store).await;
    store
        .set_password("carl", "hash-carl-2", "carl")
        .await
        .expect("new password");
    assert_audited(store, mark, "user.password", "carl", "user", "carl").await;
    assert_eq!(alive("s-carl-1").await, None);
    assert_eq!(alive("s-carl-2").await, None);
    assert_eq!(alive("s-ben-4").await, Some(ben));
    assert_eq!(
        store.credentials("carl").await.expect("credentials"),
        Some((carl, "hash-carl-2".to_string()))
    );
}

async fn login_links_work_once_before_expiry_for_active_accounts(store: &dyn Store) {
    user(store, "anna", Role::Admin).await;
    let ben = user(store, "ben", Role::Manager).await;
    let now = Timestamp::now();
    let later = after(now, 1);

    store
        .create_login_link("l-1", ben.id, later)
        .await
        .expect("link");
    assert_eq!(
        store.take_login_link("l-1", now).await.expect("take"),
        Some(ben.clone())
    );
    assert_eq!(
        store.take_login_link("l-1", now).await.expect("take"),
        None,
        "a link works once"
    );

    store
        .create_login_link("l-2", ben.id, later)
        .await
        .expect("link");
    assert_eq!(
        store.take_login_link("l-2", later).await.expect("take"),
        None,
        "a link ends at its expiry"
    );
    assert_eq!(
        store
            .take_login_link("l-2", after(now, 2))
            .await
            .expect("take"),
        None,
        "expired"
    );
    assert_eq!(
        store.take_login_link("unknown", now).await.expect("take"),
        None
    );

    // A new link voids the account's earlier ones.
    for token in ["l-old", "l-new"] {
        store
            .create_login_link(token, ben.id, later)
            .await
            .expect("link");
    }
    assert_eq!(
        store.take_login_link("l-old", now).await.expect("take"),
        None
    );
    assert_eq!(
        store.take_login_link("l-new", now).await.expect("take"),
        Some(ben.clone())
    );

    // A disabled account logs in by no link: neither one made before nor one made since.
    store
        .create_login_link("l-3", ben.id, later)
        .await
        .expect("link");
    store
        .set_disabled("ben", true, "anna")
        .await
        .expect("disable");
    assert_eq!(store.take_login_link("l-3", now).await.expect("take"), None);
    store
        .create_login_link("l-4", ben.id, later)
        .await
        .expect("link");
    assert_eq!(store.take_login_link("l-4", now).await.expect("take"), None);
    store
        .set_disabled("ben", false, "anna")
        .await
        .expect("enable");
    assert_eq!(
        store.take_login_link("l-3", now).await.expect("take"),
        None,
        "disabling ended the link"
    );
    store
        .create_login_link("l-5", ben.id, later)
        .await
        .expect("link");
    assert_eq!(
        store.take_login_link("l-5", now).await.expect("take"),
        Some(ben),
        "enabled again"
    );
}

async fn api_tokens_are_used_and_revoked(store: &dyn Store) {
    let mark = audit_mark(store).await;
    let bi = store
        .create_api_token("Power BI", "tok-hash-1", Scope::Read, "anna")
        .await
        .expect("create token");
    assert_eq!(
        (
            bi.name.as_str(),
            bi.scope,
            bi.created_by.as_str(),
            bi.last_used_at,
            bi.revoked_at
        ),
        ("Power BI", Scope::Read, "anna", None, None)
    );
    let entry = assert_audited(
        store,
        mark,
        "token.create",
        "anna",
        "token",
        &bi.id.to_string(),
    )
    .await;
    assert!(
        !entry.summary.contains("tok-hash-1"),
        "no secret in the log"
    );
    let zap = store
        .create_api_token("Zapier", "tok-hash-2", Scope::Write, "anna")
        .await
        .expect("create token");
    let mut listed = store.api_tokens().await.expect("tokens");
    listed.sort_by_key(|t| t.id);
    assert_eq!(listed, [bi.clone(), zap.clone()]);
    // A token for the monitoring system only.
    let scraper = store
        .create_api_token("Prometheus", "tok-hash-3", Scope::Metrics, "anna")
        .await
        .expect("create token");
    assert_eq!(
        store
            .use_api_token("tok-hash-3", Timestamp::now())
            .await
            .expect("use")
            .map(|t| t.scope),
        Some(Scope::Metrics)
    );
    store
        .revoke_api_token(scraper.id, "anna")
        .await
        .expect("revoke");

    let now = Timestamp::now();
    let mark = audit_mark(store).await;
    let used = store
        .use_api_token("tok-hash-1", now)
        .await
        .expect("use")
        .expect("a live token");
    assert_eq!(used.id, bi.id);
    assert_eq!(used.scope, Scope::Read);
    assert_eq!(used.last_used_at, Some(micros(now)));
    let listed = store.api_tokens().await.expect("tokens");
    let stored = listed.iter().find(|t| t.id == bi.id).expect("listed token");
    assert_eq!(stored.last_used_at, Some(micros(now)), "the use is noted");
    assert_eq!(
        store.use_api_token("tok-hash-x", now).await.expect("use"),
        None
    );

    let revoked = store.revoke_api_token(bi.id, "ben").await.expect("revoke");
    assert!(revoked.revoked_at.is_some());
    assert_eq!(revoked.id, bi.id);
    assert_audited(
        store,
        mark,
        "token.revoke",
        "ben",
        "token",
        &bi.id.to_string(),
    )
    .await;
    assert_eq!(
        store.use_api_token("tok-hash-1", now).await.expect("use"),
        None,
        "a revoked token is dead"
    );
    let listed = store.api_tokens().await.expect("tokens");
    let stored = listed
        .iter()
        .find(|t| t.id == bi.id)
        .expect("a revoked token stays listed");
    assert_eq!(stored.revoked_at, revoked.revoked_at);
    assert_eq!(
        store
            .use_api_token("tok-hash-2", now)
            .await
            .expect("use")
            .map(|t| t.id),
        Some(zap.id),
        "revoking one token leaves the others"
    );

    let mark = audit_mark(store).await;
    assert!(matches!(
        store.revoke_api_token(zap.id + 1000, "ben").await,
        Err(StoreError::NotFound { .. })
    ));
    assert_not_audited(store, mark, "revoking an unknown token").await;
}

async fn concurrent_demotions_keep_an_admin(store: &dyn Store) {
    // Two admins step down at the same moment: one may, the other must be refused, or the
    // installation is left without anyone to administer it. Each round pairs the admin left
    // by the last round with a new one.
    let mut admin = user(store, "admin-0", Role::Admin).await.username;
    for round in 1..=20 {
        let other = user(store, &format!("admin-{round}"), Role::Admin)
            .await
            .username;
        let (first, second) = futures::join!(
            store.set_role(&admin, Role::Manager, &admin),
            store.set_role(&other, Role::Manager, &other)
        );
        let admins: Vec<String> = store
            .users()
            .await
            .expect("users")
            .into_iter()
            .filter(|u| u.role == Role::Admin && !u.disabled)
            .map(|u| u.username)
            .collect();
        assert_eq!(
            admins.len(),
            1,
            "round {round}: {admin} → {:?}, {other} → {:?}; active admins left: {admins:?}",
            first.map(|u| u.role),
            second.map(|u| u.role)
        );
        admin = admins.into_iter().next().expect("one admin");
    }
}

async fn disabling_an_account_revokes_its_tokens(store: &dyn Store) {
    user(store, "anna", Role::Admin).await;
    user(store, "ben", Role::Manager).await;
    let reporting = store
        .create_api_token("Reporting", "tok-ben-1", Scope::Read, "ben")
        .await
        .expect("token");
    let sync = store
        .create_api_token("Sync", "tok-ben-2", Scope::Write, "ben")
        .await
        .expect("token");
    let old = store
        .create_api_token("Alt", "tok-ben-3", Scope::Read, "ben")
        .await
        .expect("token");
    let old = store.revoke_api_token(old.id, "ben").await.expect("revoke");
    let annas = store
        .create_api_token("Power BI", "tok-anna", Scope::Read, "anna")
        .await
        .expect("token");

    // In use just before: a token the store has verified is refused as soon as it is revoked.
    assert!(
        store
            .use_api_token("tok-ben-1", Timestamp::now())
            .await
            .expect("use")
            .is_some()
    );
    let mark = audit_mark(store).await;
    store
        .set_disabled("ben", true, "anna")
        .await
        .expect("disable");
    let entries: Vec<(String, String, String, String, String)> = audited_since(store, mark)
        .await
        .into_iter()
        .map(|e| (e.action, e.actor, e.entity, e.entity_id, e.summary))
        .collect();
    let entry = |action: &str, entity: &str, id: String, summary: &str| {
        (
            action.to_string(),
            "anna".to_string(),
            entity.to_string(),
            id,
            summary.to_string(),
        )
    };
    assert_eq!(
        entries,
        [
            entry("user.disable", "user", "ben".into(), ""),
            entry(
                "token.revoke",
                "token",
                reporting.id.to_string(),
                "creator disabled"
            ),
            entry(
                "token.revoke",
                "token",
                sync.id.to_string(),
                "creator disabled"
            ),
        ],
        "the live tokens of the account are revoked, each on the record"
    );
    let now = Timestamp::now();
    for hash in ["tok-ben-1", "tok-ben-2", "tok-ben-3"] {
        assert_eq!(
            store.use_api_token(hash, now).await.expect("use"),
            None,
            "{hash} of a disabled account"
        );
    }
    assert_eq!(
        store
            .use_api_token("tok-anna", now)
            .await
            .expect("use")
            .map(|t| t.id),
        Some(annas.id),
        "the tokens of others work on"
    );
    let listed = store.api_tokens().await.expect("tokens");
    let stored = |id: i64| listed.iter().find(|t| t.id == id).expect("listed").clone();
    assert!(stored(reporting.id).revoked_at.is_some());
    assert!(stored(sync.id).revoked_at.is_some());
    assert_eq!(
        stored(old.id).revoked_at,
        old.revoked_at,
        "a revoked token keeps its revocation"
    );

    // Enabling the account again brings no token back.
    let mark = audit_mark(store).await;
    store
        .set_disabled("ben", false, "anna")
        .await
        .expect("enable");
    assert_audited(store, mark, "user.enable", "anna", "user", "ben").await;
    assert_eq!(
        store.use_api_token("tok-ben-1", now).await.expect("use"),
        None
    );
    // A refused disabling revokes nothing.
    let mark = audit_mark(store).await;
    assert!(matches!(
        store.set_disabled("anna", true, "anna").await,
        Err(StoreError::Conflict(_))
    ));
    assert_not_audited(store, mark, "a refused disabling").await;
    assert!(
        store
            .use_api_token("tok-anna", now)
            .await
            .expect("use")
            .is_some()
    );
}

async fn a_demotion_or_a_new_password_revokes_the_creators_tokens(store: &dyn Store) {
    user(store, "anna", Role::Admin).await;
    user(store, "ben", Role::Admin).await;
    user(store, "carl", Role::Admin).await;
    let now = Timestamp::now();
    for (name, digest) in [
        ("ben", "tok-ben"),
        ("carl", "tok-carl"),
        ("anna", "tok-anna"),
    ] {
        store
            .create_api_token(&format!("Sync {name}"), digest, Scope::Write, name)
            .await
            .expect("token");
    }
    // Promotion and a role kept leave tokens alone.
    store
        .set_role("ben", Role::Admin, "anna")
        .await
        .expect("same role");
    assert!(
        store
            .use_api_token("tok-ben", now)
            .await
            .expect("use")
            .is_some()
    );

    let mark = audit_mark(store).await;
    store
        .set_role("ben", Role::Viewer, "anna")
        .await
        .expect("demote");
    assert!(
        store
            .use_api_token("tok-ben", now)
            .await
            .expect("use")
            .is_none(),
        "a demoted creator's write token must not keep manager power"
    );
    let revoked: Vec<(String, String)> = audited_since(store, mark)
        .await
        .into_iter()
        .filter(|e| e.action == "token.revoke")
        .map(|e| (e.actor, e.summary))
        .collect();
    assert_eq!(revoked, [("anna".to_owned(), "creator demoted".to_owned())]);

    assert!(
        store
            .use_api_token("tok-carl", now)
            .await
            .expect("use")
            .is_some()
    );
    store
        .set_password("carl", "$argon2id$new", "anna")
        .await
        .expect("new password");
    assert!(
        store
            .use_api_token("tok-carl", now)
            .await
            .expect("use")
            .is_none()
    );
    // Other creators' tokens live on.
    assert!(
        store
            .use_api_token("tok-anna", now)
            .await
            .expect("use")
            .is_some()
    );
}
