//! The store suite: every behaviour is one function on `&dyn Store`, run once on SQLite and
//! once on PostgreSQL.
//!
//! PostgreSQL runs when `TOUCHPOINTS_TEST_POSTGRES` names a server the tests may create
//! schemas in (`scripts/test` starts a throwaway one). Without it the PostgreSQL half is
//! skipped with a note, unless `TOUCHPOINTS_REQUIRE_POSTGRES=1`, which makes it fail instead.

use std::collections::BTreeSet;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use jiff::{SignedDuration, Timestamp};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use touchpoints_core::audit::{AuditEntry, AuditFilter};
use touchpoints_core::catalog::{default_channels, default_phases};
use touchpoints_core::history::Action;
use touchpoints_core::touchpoint::ImportanceInput;
use touchpoints_core::{
    Channel, Kind, Problem, Role, Scope, Stage, Status, Subject, TouchpointFields,
    TouchpointFilter, TouchpointInput, User,
};
use touchpoints_store::{
    Import, ImportSummary, NewAccount, PostgresStore, SqliteStore, Store, StoreError,
};

/// A store for one test and what it takes to clean up after it.
struct TestStore {
    store: Arc<dyn Store>,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    Schema {
        admin: Box<PgConnectOptions>,
        schema: String,
    },
}

impl TestStore {
    async fn finish(self) {
        drop(self.store);
        if let Cleanup::Schema { admin, schema } = self.cleanup {
            let mut conn = PgConnection::connect_with(&admin).await.expect("connect");
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&mut conn)
                .await
                .expect("drop schema");
        }
    }
}

async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("touchpoints.db").display());
    let store = SqliteStore::open(&url).await.expect("open sqlite");
    TestStore {
        store: Arc::new(store),
        cleanup: Cleanup::Dir(dir),
    }
}

async fn postgres() -> Option<TestStore> {
    let Ok(url) = std::env::var("TOUCHPOINTS_TEST_POSTGRES") else {
        assert!(
            std::env::var("TOUCHPOINTS_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "TOUCHPOINTS_REQUIRE_POSTGRES=1 but TOUCHPOINTS_TEST_POSTGRES is not set"
        );
        eprintln!("skipped: set TOUCHPOINTS_TEST_POSTGRES to run the PostgreSQL half");
        return None;
    };
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let schema = format!(
        "test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        jiff::Timestamp::now().as_microsecond() % 1_000_000
    );
    let admin = PgConnectOptions::from_str(&url).expect("TOUCHPOINTS_TEST_POSTGRES is a URL");
    let mut conn = PgConnection::connect_with(&admin).await.expect("connect");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .expect("create schema");
    let options = admin.clone().options([("search_path", schema.as_str())]);
    let store = PostgresStore::open_with(options)
        .await
        .expect("open postgres");
    Some(TestStore {
        store: Arc::new(store),
        cleanup: Cleanup::Schema {
            admin: Box::new(admin),
            schema,
        },
    })
}

macro_rules! store_suite {
    ($($behaviour:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $behaviour() {
                    let t = super::sqlite().await;
                    super::$behaviour(t.store.as_ref()).await;
                    t.finish().await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $behaviour() {
                    let Some(t) = super::postgres().await else { return };
                    super::$behaviour(t.store.as_ref()).await;
                    t.finish().await;
                }
            )*
        }
    };
}

store_suite!(
    new_store_has_the_default_catalog,
    created_touchpoint_reads_back_whole,
    duplicate_name_is_a_conflict_and_writes_nothing,
    unknown_channel_is_named,
    update_records_changed_fields_only,
    retire_and_delete_keep_the_history,
    unknown_ids_are_not_found,
    filters_agree_with_the_core_definition,
    import_is_all_or_nothing_and_updates_by_name,
    catalog_entries_are_updated_and_protected_while_in_use,
    concurrent_writes_all_land,
    users_are_created_listed_and_unique,
    the_last_active_admin_stays,
    sessions_live_until_expiry_logout_disabling_or_a_new_password,
    login_links_work_once_before_expiry_for_active_accounts,
    api_tokens_are_used_and_revoked,
    audit_log_filters_agree_with_the_core_definition,
    personal_data_of_staff_is_exported_and_erased,
    personal_data_of_customers_has_no_place_yet,
    ids_of_deleted_records_are_not_reused,
);

fn fields(name: &str, channel: &str, phase: &str) -> TouchpointFields {
    let catalog = touchpoints_core::Catalog {
        channels: default_channels(),
        phases: default_phases(),
    };
    TouchpointInput {
        name: name.into(),
        channel: channel.into(),
        phase: phase.into(),
        ..TouchpointInput::default()
    }
    .validate(&catalog)
    .expect("valid test touchpoint")
}

async fn count(store: &dyn Store) -> usize {
    store
        .list_touchpoints(&TouchpointFilter::default())
        .await
        .expect("list")
        .len()
}

/// The whole audit log, newest first.
async fn audit_all(store: &dyn Store) -> Vec<AuditEntry> {
    store
        .audit_log(&AuditFilter::default(), 100_000)
        .await
        .expect("audit log")
}

/// The id of the newest audit entry (0 if none): what a later write records comes after it.
async fn audit_mark(store: &dyn Store) -> i64 {
    store
        .audit_log(&AuditFilter::default(), 1)
        .await
        .expect("audit log")
        .first()
        .map_or(0, |e| e.id)
}

/// The audit entries recorded after `mark`, oldest first.
async fn audited_since(store: &dyn Store, mark: i64) -> Vec<AuditEntry> {
    let mut entries: Vec<AuditEntry> = audit_all(store)
        .await
        .into_iter()
        .filter(|e| e.id > mark)
        .collect();
    entries.reverse();
    entries
}

/// Asserts that exactly one audit entry, as given, was recorded after `mark`, and returns it.
async fn assert_audited(
    store: &dyn Store,
    mark: i64,
    action: &str,
    actor: &str,
    entity: &str,
    entity_id: &str,
) -> AuditEntry {
    let entries = audited_since(store, mark).await;
    assert_eq!(
        entries.len(),
        1,
        "expected exactly one audit entry {action}, got {entries:#?}"
    );
    let e = entries.into_iter().next().expect("one entry");
    assert_eq!(
        (
            e.action.as_str(),
            e.actor.as_str(),
            e.entity.as_str(),
            e.entity_id.as_str()
        ),
        (action, actor, entity, entity_id),
        "{e:#?}"
    );
    e
}

/// Asserts that nothing was recorded in the audit log after `mark`.
async fn assert_not_audited(store: &dyn Store, mark: i64, what: &str) {
    let entries = audited_since(store, mark).await;
    assert!(
        entries.is_empty(),
        "{what} must leave no audit entry, got {entries:#?}"
    );
}

fn account(username: &str, role: Role) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: format!("Staff {username}"),
        role,
        password_hash: format!("hash-{username}"),
    }
}

async fn user(store: &dyn Store, username: &str, role: Role) -> User {
    store
        .create_user(&account(username, role), "system")
        .await
        .expect("create user")
}

/// `hours` hours after `ts`.
fn after(ts: Timestamp, hours: i64) -> Timestamp {
    ts.checked_add(SignedDuration::from_secs(hours * 3600))
        .expect("in range")
}

/// The instant as the store keeps it: to the microsecond.
fn micros(ts: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(ts.as_microsecond()).expect("in range")
}

async fn new_store_has_the_default_catalog(store: &dyn Store) {
    let catalog = store.catalog().await.expect("catalog");
    let keys: BTreeSet<String> = catalog.channels.iter().map(|c| c.key.clone()).collect();
    let expected: BTreeSet<String> = default_channels().into_iter().map(|c| c.key).collect();
    assert_eq!(keys, expected);
    assert_eq!(catalog.phases, default_phases());
    assert_eq!(count(store).await, 0);
}

async fn created_touchpoint_reads_back_whole(store: &dyn Store) {
    let catalog = store.catalog().await.expect("catalog");
    let input = TouchpointInput {
        name: "Beratung im Showroom „Küche“".into(),
        description: "Persönliche Küchenplanung – mit 3D-Entwurf.\nZweite Zeile.".into(),
        channel: "store".into(),
        kind: Some(Kind::Physical),
        phase: "before-purchase".into(),
        owner: "Filialvertrieb Süd".into(),
        target_groups: vec!["Familien".into(), "Best Ager".into(), "Ärzte".into()],
        regions: vec!["Süd".into(), "Österreich".into()],
        status: Some(Status::Planned),
        importance: ImportanceInput {
            experience: 5,
            loyalty: 4,
            referral: 2,
        },
        brand_fit: 1,
        notes: "Wartezeit > 20 min; 50% Rabatt-Aktion".into(),
    };
    let fields = input.validate(&catalog).expect("valid");
    let mark = audit_mark(store).await;
    let created = store
        .create_touchpoint(&fields, "tester")
        .await
        .expect("create");
    assert_eq!(created.fields, fields);
    assert_audited(
        store,
        mark,
        "touchpoint.create",
        "tester",
        "touchpoint",
        &created.id.to_string(),
    )
    .await;
    let read = store.touchpoint(created.id).await.expect("read");
    assert_eq!(
        read, created,
        "labels keep their order, instants their microseconds"
    );
    let history = store.history(created.id).await.expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, Action::Created);
    assert_eq!(history[0].actor, "tester");
    assert!(
        history[0]
            .changes
            .iter()
            .any(|c| c.field == "name" && c.after == fields.name)
    );
}

async fn duplicate_name_is_a_conflict_and_writes_nothing(store: &dyn Store) {
    let mark = audit_mark(store).await;
    let first = store
        .create_touchpoint(&fields("Kundenhotline", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    assert_audited(
        store,
        mark,
        "touchpoint.create",
        "t",
        "touchpoint",
        &first.id.to_string(),
    )
    .await;
    let mark = audit_mark(store).await;
    let again = fields("  KUNDENHOTLINE ", "email", "before-purchase");
    let err = store
        .create_touchpoint(&again, "t")
        .await
        .expect_err("duplicate");
    match err {
        StoreError::Conflict(p) => {
            assert_eq!(p.0[0].field, "name");
            assert!(matches!(p.0[0].problem, Problem::Duplicate { .. }));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_not_audited(store, mark, "a duplicate create").await;
    // Renaming another touchpoint onto the name fails too and leaves it as it was.
    let other = store
        .create_touchpoint(&fields("Rückrufservice", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    let mut renamed = other.fields.clone();
    renamed.name = "kundenhotline".into();
    let mark = audit_mark(store).await;
    assert!(matches!(
        store.update_touchpoint(other.id, &renamed, "t").await,
        Err(StoreError::Conflict(_))
    ));
    assert_not_audited(store, mark, "a rename onto a taken name").await;
    assert_eq!(store.touchpoint(other.id).await.expect("read"), other);
    assert_eq!(store.history(other.id).await.expect("history").len(), 1);
    assert_eq!(count(store).await, 2);
    assert_eq!(store.touchpoint(first.id).await.expect("read"), first);
}

async fn unknown_channel_is_named(store: &dyn Store) {
    let mut bad = fields("Faxabruf", "phone", "after-purchase");
    bad.channel = "fax".into();
    let mark = audit_mark(store).await;
    match store.create_touchpoint(&bad, "t").await {
        Err(StoreError::Invalid(p)) => {
            assert_eq!(p.0[0].field, "channel");
            assert!(
                matches!(&p.0[0].problem, Problem::Unknown { value, allowed } if value == "fax" && allowed.contains(&"phone".to_string()))
            );
        }
        other => panic!("expected invalid channel, got {other:?}"),
    }
    assert_eq!(count(store).await, 0);
    assert_not_audited(store, mark, "a create with an unknown channel").await;
    // An update onto an unknown phase fails the same way, and records nothing either.
    let good = store
        .create_touchpoint(&fields("Faxabruf", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    let mut bad = good.fields.clone();
    bad.phase = "never".into();
    let mark = audit_mark(store).await;
    match store.update_touchpoint(good.id, &bad, "t").await {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "phase"),
        other => panic!("expected invalid phase, got {other:?}"),
    }
    assert_not_audited(store, mark, "an update with an unknown phase").await;
    assert_eq!(store.touchpoint(good.id).await.expect("read"), good);
}

async fn update_records_changed_fields_only(store: &dyn Store) {
    let created = store
        .create_touchpoint(
            &fields("Newsletter", "newsletter", "after-purchase"),
            "anna",
        )
        .await
        .expect("create");
    let mark = audit_mark(store).await;
    let unchanged = store
        .update_touchpoint(created.id, &created.fields, "ben")
        .await
        .expect("no-op update");
    assert_eq!(
        unchanged, created,
        "an update without changes changes nothing"
    );
    assert_not_audited(store, mark, "an update without changes").await;

    let mut next = created.fields.clone();
    next.owner = "CRM & Loyalty".into();
    next.regions = vec!["Nord".into()];
    let updated = store
        .update_touchpoint(created.id, &next, "ben")
        .await
        .expect("update");
    let entry = assert_audited(
        store,
        mark,
        "touchpoint.update",
        "ben",
        "touchpoint",
        &created.id.to_string(),
    )
    .await;
    assert!(
        entry.summary.contains("owner") && entry.summary.contains("regions"),
        "the summary names the changed fields: {entry:?}"
    );
    assert_eq!(updated.fields, next);
    assert!(updated.updated_at >= created.updated_at);
    assert_eq!(updated.created_at, created.created_at);
    assert_eq!(store.touchpoint(created.id).await.expect("read"), updated);

    let history = store.history(created.id).await.expect("history");
    assert_eq!(history.len(), 2, "the no-op update is not in the history");
    assert_eq!(history[0].action, Action::Updated);
    assert_eq!(history[0].actor, "ben");
    let changed: Vec<&str> = history[0]
        .changes
        .iter()
        .map(|c| c.field.as_str())
        .collect();
    assert_eq!(changed, ["owner", "regions"]);
    assert_eq!(history[0].changes[1].after, "Nord");
}

async fn retire_and_delete_keep_the_history(store: &dyn Store) {
    let created = store
        .create_touchpoint(&fields("Printkatalog", "letter", "before-purchase"), "t")
        .await
        .expect("create");
    let id = created.id.to_string();
    let mark = audit_mark(store).await;
    let retired = store
        .retire_touchpoint(created.id, "rita")
        .await
        .expect("retire");
    assert_eq!(retired.fields.status, Status::Retired);
    assert_audited(store, mark, "touchpoint.retire", "rita", "touchpoint", &id).await;
    // Retiring twice is harmless and adds nothing.
    let mark = audit_mark(store).await;
    store
        .retire_touchpoint(created.id, "t")
        .await
        .expect("retire again");
    assert_not_audited(store, mark, "retiring a retired touchpoint").await;
    store
        .delete_touchpoint(created.id, "dora")
        .await
        .expect("delete");
    let entry = assert_audited(store, mark, "touchpoint.delete", "dora", "touchpoint", &id).await;
    assert_eq!(
        entry.summary, "Printkatalog",
        "the summary names what is gone"
    );
    assert!(matches!(
        store.touchpoint(created.id).await,
        Err(StoreError::NotFound { .. })
    ));
    let actions: Vec<Action> = store
        .history(created.id)
        .await
        .expect("history of a deleted touchpoint")
        .into_iter()
        .map(|h| h.action)
        .collect();
    assert_eq!(actions, [Action::Deleted, Action::Retired, Action::Created]);
    assert_eq!(count(store).await, 0);
}

async fn unknown_ids_are_not_found(store: &dyn Store) {
    let f = fields("Egal", "phone", "after-purchase");
    let mark = audit_mark(store).await;
    assert!(matches!(
        store.touchpoint(999).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.update_touchpoint(999, &f, "t").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.retire_touchpoint(999, "t").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_touchpoint(999, "t").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.history(999).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(count(store).await, 0);
    assert_not_audited(store, mark, "a write to an unknown touchpoint").await;
}

async fn filters_agree_with_the_core_definition(store: &dyn Store) {
    let rows = [
        (
            "Küchenplanung",
            "store",
            "before-purchase",
            "Filiale Nord",
            &["Familien"][..],
            &["Nord"][..],
            Status::Active,
            "Beratung mit 3D",
        ),
        (
            "Onlineshop Suche",
            "online-shop",
            "before-purchase",
            "E-Commerce",
            &["Junge Berufstätige"],
            &["Online"],
            Status::Active,
            "Suche findet keine Umlaute",
        ),
        (
            "Checkout",
            "online-shop",
            "during-purchase",
            "e-commerce",
            &["Familien", "Best Ager"],
            &["Online"],
            Status::Active,
            "50% Abbruch_rate",
        ),
        (
            "Kundenhotline",
            "phone",
            "after-purchase",
            "Kundenservice",
            &["Best Ager"],
            &["Nord", "Süd"],
            Status::Active,
            "Wartezeit samstags",
        ),
        (
            "Rückrufservice",
            "phone",
            "after-purchase",
            "Kundenservice",
            &[],
            &["ÖSTERREICH"],
            Status::Planned,
            "",
        ),
        (
            "Printkatalog",
            "letter",
            "before-purchase",
            "Marketing",
            &["Best Ager"],
            &[],
            Status::Retired,
            "zu teuer",
        ),
    ];
    for (name, channel, phase, owner, groups, regions, status, notes) in rows {
        let mut f = fields(name, channel, phase);
        f.owner = owner.into();
        f.target_groups = groups.iter().map(|s| s.to_string()).collect();
        f.regions = regions.iter().map(|s| s.to_string()).collect();
        f.status = status;
        f.notes = notes.into();
        store.create_touchpoint(&f, "t").await.expect("create");
    }
    let all = store
        .list_touchpoints(&TouchpointFilter::default())
        .await
        .expect("list");
    let names: Vec<&str> = all.iter().map(|t| t.fields.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Checkout",
            "Küchenplanung",
            "Kundenhotline",
            "Onlineshop Suche",
            "Printkatalog",
            "Rückrufservice"
        ],
        "ordered by name"
    );
    let s = |v: &str| Some(v.to_string());
    let filters = [
        TouchpointFilter {
            channel: s("online-shop"),
            ..Default::default()
        },
        TouchpointFilter {
            phase: s("after-purchase"),
            ..Default::default()
        },
        TouchpointFilter {
            status: Some(Status::Retired),
            ..Default::default()
        },
        TouchpointFilter {
            kind: Some(Kind::Communication),
            ..Default::default()
        },
        TouchpointFilter {
            owner: s("E-COMMERCE"),
            ..Default::default()
        },
        TouchpointFilter {
            group: s("best ager"),
            ..Default::default()
        },
        TouchpointFilter {
            region: s("österreich"),
            ..Default::default()
        },
        TouchpointFilter {
            region: s("nord"),
            group: s("familien"),
            ..Default::default()
        },
        TouchpointFilter {
            q: s("KÜCHEN"),
            ..Default::default()
        },
        TouchpointFilter {
            q: s("50%"),
            ..Default::default()
        },
        TouchpointFilter {
            q: s("abbruch_"),
            ..Default::default()
        },
        TouchpointFilter {
            q: s("%"),
            ..Default::default()
        },
        TouchpointFilter {
            q: s("kundenservice samstags"),
            ..Default::default()
        },
        TouchpointFilter {
            channel: s("phone"),
            status: Some(Status::Active),
            ..Default::default()
        },
        TouchpointFilter {
            channel: s("nonexistent"),
            ..Default::default()
        },
    ];
    for filter in filters {
        let got: Vec<i64> = store
            .list_touchpoints(&filter)
            .await
            .expect("list")
            .into_iter()
            .map(|t| t.id)
            .collect();
        let want: Vec<i64> = all
            .iter()
            .filter(|t| filter.matches(&t.fields))
            .map(|t| t.id)
            .collect();
        assert_eq!(got, want, "{filter:?}");
    }
    // The reference is not trivially empty or full for the interesting cases.
    let by_group = TouchpointFilter {
        group: s("best ager"),
        ..Default::default()
    };
    assert_eq!(
        all.iter().filter(|t| by_group.matches(&t.fields)).count(),
        3
    );
}

async fn import_is_all_or_nothing_and_updates_by_name(store: &dyn Store) {
    let existing = store
        .create_touchpoint(&fields("Kundenhotline", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    let new_channel = Channel {
        key: "marketplace".into(),
        label_de: "Marktplatz".into(),
        label_en: "Marketplace".into(),
        kind: Kind::Digital,
        position: 55,
    };
    let mut hotline = existing.fields.clone();
    hotline.owner = "Kundenservice".into();
    // A duplicate at the end must undo the channel, the update and the rows before it, and
    // their audit entries.
    let bad = Import {
        channels: vec![new_channel.clone()],
        phases: vec![],
        touchpoints: vec![
            hotline.clone(),
            fields("Marktplatz-Shop", "online-shop", "during-purchase"),
            fields("Chat", "chat", "after-purchase"),
            fields("chat", "chat", "after-purchase"),
        ],
    };
    let mark = audit_mark(store).await;
    assert!(matches!(
        store.import(&bad, "import").await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(count(store).await, 1);
    assert_eq!(store.touchpoint(existing.id).await.expect("read"), existing);
    assert!(
        store
            .catalog()
            .await
            .expect("catalog")
            .channel("marketplace")
            .is_none()
    );
    assert_not_audited(store, mark, "an import with a duplicate").await;
    // So must a reference to an unknown channel.
    let mut unknown = fields("Fax", "phone", "after-purchase");
    unknown.channel = "fax".into();
    let bad = Import {
        channels: vec![new_channel.clone()],
        phases: vec![],
        touchpoints: vec![hotline.clone(), unknown],
    };
    assert!(matches!(
        store.import(&bad, "import").await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.touchpoint(existing.id).await.expect("read"), existing);
    assert_not_audited(store, mark, "an import with an unknown channel").await;
    assert_eq!(store.history(existing.id).await.expect("history").len(), 1);
    let mut market = fields("Marktplatz-Shop", "online-shop", "during-purchase");
    market.channel = "marketplace".into();
    let good = Import {
        channels: vec![new_channel],
        phases: vec![],
        touchpoints: vec![
            hotline.clone(),
            market,
            fields("Chat", "chat", "after-purchase"),
        ],
    };
    let summary = store.import(&good, "import").await.expect("import");
    assert_eq!(
        summary,
        ImportSummary {
            created: 2,
            updated: 1,
            unchanged: 0
        }
    );
    let entries = audited_since(store, mark).await;
    let imports = entries
        .iter()
        .filter(|e| e.action == "inventory.import")
        .count();
    assert_eq!(imports, 1, "one inventory.import entry: {entries:#?}");
    assert!(
        entries.iter().all(|e| e.actor == "import"),
        "every entry of the import names its actor: {entries:#?}"
    );
    assert_eq!(
        store.touchpoint(existing.id).await.expect("read").fields,
        hotline
    );
    let again = store.import(&good, "import").await.expect("re-import");
    assert_eq!(
        again,
        ImportSummary {
            created: 0,
            updated: 0,
            unchanged: 3
        }
    );
    assert_eq!(count(store).await, 3);
}

async fn catalog_entries_are_updated_and_protected_while_in_use(store: &dyn Store) {
    let mut phone = store
        .catalog()
        .await
        .expect("catalog")
        .channel("phone")
        .cloned()
        .expect("default phone channel");
    phone.label_de = "Telefon-Hotline".into();
    let mark = audit_mark(store).await;
    store
        .put_channel(&phone, "carla")
        .await
        .expect("update channel");
    assert_eq!(
        store.catalog().await.expect("catalog").channel("phone"),
        Some(&phone)
    );
    let entry = assert_audited(store, mark, "channel.put", "carla", "channel", "phone").await;
    assert!(entry.summary.contains("Telefon-Hotline"), "{entry:?}");
    store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    let mark = audit_mark(store).await;
    match store.delete_channel("phone", "carla").await {
        Err(StoreError::Conflict(p)) => {
            assert_eq!(p.0[0].problem, Problem::InUse { count: 1 })
        }
        other => panic!("expected in-use conflict, got {other:?}"),
    }
    assert!(matches!(
        store.delete_phase("after-purchase", "carla").await,
        Err(StoreError::Conflict(_))
    ));
    assert_not_audited(store, mark, "deleting a catalog entry in use").await;
    store
        .delete_channel("letter", "carla")
        .await
        .expect("unused channel");
    assert_audited(store, mark, "channel.delete", "carla", "channel", "letter").await;
    let mark = audit_mark(store).await;
    assert!(matches!(
        store.delete_channel("letter", "carla").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_phase("never", "carla").await,
        Err(StoreError::NotFound { .. })
    ));
    assert_not_audited(store, mark, "deleting an unknown catalog entry").await;
    let phase = touchpoints_core::Phase {
        key: "awareness".into(),
        label_de: "Aufmerksamkeit".into(),
        label_en: "Awareness".into(),
        stage: Stage::BeforePurchase,
        position: 5,
    };
    store.put_phase(&phase, "carla").await.expect("add phase");
    assert_audited(store, mark, "phase.put", "carla", "phase", "awareness").await;
    let catalog = store.catalog().await.expect("catalog");
    assert_eq!(catalog.phases_in_order()[0], &phase);
    assert!(catalog.channel("letter").is_none());
    let mark = audit_mark(store).await;
    store
        .delete_phase("awareness", "carla")
        .await
        .expect("unused phase");
    assert_audited(store, mark, "phase.delete", "carla", "phase", "awareness").await;
}

async fn concurrent_writes_all_land(store: &dyn Store) {
    // Sixteen writers at once: SQLite serialises them, PostgreSQL runs them side by side;
    // neither may lose one or fail with a lock error.
    let mark = audit_mark(store).await;
    let writes = (0..16).map(|i| {
        let f = fields(&format!("Filiale {i}"), "store", "during-purchase");
        async move { store.create_touchpoint(&f, "t").await }
    });
    let mut ids = BTreeSet::new();
    for result in futures::future::join_all(writes).await {
        ids.insert(result.expect("concurrent create").id.to_string());
    }
    assert_eq!(count(store).await, 16);
    // Each write recorded its own audit entry.
    let audited: BTreeSet<String> = audited_since(store, mark)
        .await
        .into_iter()
        .filter(|e| e.action == "touchpoint.create")
        .map(|e| e.entity_id)
        .collect();
    assert_eq!(audited, ids);
}
