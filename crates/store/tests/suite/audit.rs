//! The audit log, on both backends.

use std::collections::BTreeSet;

use jiff::Timestamp;
use touchpoints_core::Role;
use touchpoints_core::audit::{AuditEntry, AuditFilter};
use touchpoints_store::Store;

use crate::harness::{account, after, audit_all, audit_mark, fields};

store_suite!(audit_log_filters_agree_with_the_core_definition,);

async fn audit_log_filters_agree_with_the_core_definition(store: &dyn Store) {
    // Three batches a few milliseconds apart, so that time windows have something to cut.
    let pause = || std::thread::sleep(std::time::Duration::from_millis(5));
    let record = |actor: &'static str, action: &'static str, entity: &'static str| async move {
        store
            .record(actor, action, entity, "1", "", None)
            .await
            .expect("record");
    };
    record("anna", "login.success", "session").await;
    record("ben", "login.failed", "session").await;
    record("anna", "username.change", "user").await;
    record("system", "user", "user").await;
    pause();
    let batch_b = audit_mark(store).await;
    store
        .create_user(&account("carl", Role::Agent), "anna")
        .await
        .expect("create user");
    store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "ben")
        .await
        .expect("create touchpoint");
    record("cli", "prüfung.start", "touchpoint").await;
    record("anna", "user.create_more", "user").await;
    pause();
    let batch_c = audit_mark(store).await;
    store
        .set_role("carl", Role::Manager, "anna")
        .await
        .expect("set role");
    let mut letter = store
        .catalog()
        .await
        .expect("catalog")
        .channel("letter")
        .cloned()
        .expect("default letter channel");
    letter.position += 1;
    store.put_channel(&letter, "ben").await.expect("put");
    record("anna", "export.csv", "touchpoint").await;

    let all = audit_all(store).await;
    assert!(
        all.windows(2).all(|w| w[0].id > w[1].id),
        "newest first: {all:#?}"
    );
    let first_after = |mark: i64| {
        all.iter()
            .filter(|e| e.id > mark)
            .map(|e| e.at)
            .min()
            .expect("an entry")
    };
    let (b, c) = (first_after(batch_b), first_after(batch_c));
    assert!(b < c, "the batches are apart in time");
    let far = after(Timestamp::now(), 24);

    let s = |v: &str| Some(v.to_string());
    let filters = [
        AuditFilter::default(),
        AuditFilter {
            actor: s("anna"),
            ..Default::default()
        },
        AuditFilter {
            actor: s("nobody"),
            ..Default::default()
        },
        AuditFilter {
            entity: s("user"),
            ..Default::default()
        },
        AuditFilter {
            action: s("login.failed"),
            ..Default::default()
        },
        AuditFilter {
            action: s("user.create"),
            ..Default::default()
        },
        AuditFilter {
            action: s("user"),
            ..Default::default()
        },
        AuditFilter {
            action: s("user."),
            ..Default::default()
        },
        AuditFilter {
            action: s("login."),
            ..Default::default()
        },
        AuditFilter {
            action: s("prüfung."),
            ..Default::default()
        },
        AuditFilter {
            action: s("touch."),
            ..Default::default()
        },
        AuditFilter {
            action: s("%."),
            ..Default::default()
        },
        AuditFilter {
            from: Some(b),
            ..Default::default()
        },
        AuditFilter {
            until: Some(b),
            ..Default::default()
        },
        AuditFilter {
            from: Some(b),
            until: Some(c),
            ..Default::default()
        },
        AuditFilter {
            from: Some(c),
            until: Some(b),
            ..Default::default()
        },
        AuditFilter {
            from: Some(far),
            ..Default::default()
        },
        AuditFilter {
            actor: s("anna"),
            action: s("user."),
            from: Some(b),
            ..Default::default()
        },
        AuditFilter {
            entity: s("touchpoint"),
            until: Some(c),
            ..Default::default()
        },
    ];
    for filter in &filters {
        let got: Vec<i64> = store
            .audit_log(filter, 100_000)
            .await
            .expect("audit log")
            .into_iter()
            .map(|e| e.id)
            .collect();
        let want: Vec<i64> = all
            .iter()
            .filter(|e| filter.matches(e))
            .map(|e| e.id)
            .collect();
        assert_eq!(got, want, "{filter:?}");
    }
    // The reference is not trivially empty or full for the interesting cases.
    let actions = |filter: &AuditFilter| -> BTreeSet<String> {
        all.iter()
            .filter(|e| filter.matches(e))
            .map(|e| e.action.clone())
            .collect()
    };
    let user_prefix = actions(&filters[7]);
    assert!(user_prefix.contains("user.create") && user_prefix.contains("user.role"));
    assert!(!user_prefix.contains("username.change") && !user_prefix.contains("user"));
    let window = actions(&filters[14]);
    assert!(window.contains("user.create") && !window.contains("user.role"));
    assert!(!window.contains("login.success"));

    // The limit keeps the newest.
    for (filter, limit) in [
        (&filters[0], 0),
        (&filters[0], 3),
        (&filters[1], 2),
        (&filters[7], 1),
    ] {
        let got = store.audit_log(filter, limit).await.expect("audit log");
        let want: Vec<AuditEntry> = all
            .iter()
            .filter(|e| filter.matches(e))
            .take(limit as usize)
            .cloned()
            .collect();
        assert_eq!(got, want, "{filter:?} limit {limit}");
    }
}
