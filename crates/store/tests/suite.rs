//! The store suite: every behaviour is one function on `&dyn Store`, run once on SQLite and
//! once on PostgreSQL.
//!
//! The PostgreSQL half needs a server the tests may create schemas in, named by
//! `TOUCHPOINTS_TEST_POSTGRES`: its tests are marked ignored, so a plain `cargo test` lists
//! them as ignored rather than passed, and `scripts/test` starts a throwaway server and runs
//! them with `--include-ignored`. Run without the variable, they fail.

use std::collections::BTreeSet;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use jiff::{SignedDuration, Timestamp};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use touchpoints_core::audit::{AuditEntry, AuditFilter};
use touchpoints_core::catalog::{default_channels, default_phases};
use touchpoints_core::consistency::check::{Finding, FindingKind, Place};
use touchpoints_core::consistency::guideline::{Fact, Guideline, TermRule};
use touchpoints_core::consistency::library::{ContentFields, FindingStatus};
use touchpoints_core::consistency::tone::Address;
use touchpoints_core::consistency::value::ValueKind;
use touchpoints_core::customer::{CustomerFields, Identifier, IdentifierKind};
use touchpoints_core::history::Action;
use touchpoints_core::queue::SlaPolicy;
use touchpoints_core::request::{
    NewRequest, Priority, RequestAction, RequestCustomer, RequestInput, RequestStatus,
};
use touchpoints_core::standards::Measure;
use touchpoints_core::touchpoint::ImportanceInput;
use touchpoints_core::{
    Channel, Kind, Problem, Role, Scope, Stage, Status, Subject, TouchpointFields,
    TouchpointFilter, TouchpointInput, User,
};
use touchpoints_store::{
    Example, Import, ImportSummary, InteractionInput, NewAccount, PostgresStore, QueueFilter,
    QueueView, SqliteStore, StandardFields, Store, StoreError, StoredFinding, StoryFields,
};

/// A store for one test on its own database.
struct TestStore {
    store: Arc<dyn Store>,
    db: Database,
}

/// A database of one test: a file in a temporary folder, or a schema of its own on the
/// PostgreSQL server, dropped when the test finishes.
enum Database {
    Sqlite(tempfile::TempDir),
    Postgres {
        admin: Box<PgConnectOptions>,
        schema: String,
    },
}

impl Database {
    /// An empty SQLite database (the file is created when first opened).
    fn sqlite() -> Database {
        Database::Sqlite(tempfile::tempdir().expect("temp dir"))
    }

    /// An empty schema on the PostgreSQL server.
    async fn postgres() -> Database {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let schema = format!(
            "test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            Timestamp::now().as_microsecond() % 1_000_000
        );
        let admin = PgConnectOptions::from_str(&postgres_url())
            .expect("TOUCHPOINTS_TEST_POSTGRES is a URL");
        let mut conn = PgConnection::connect_with(&admin).await.expect("connect");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut conn)
            .await
            .expect("create schema");
        Database::Postgres {
            admin: Box::new(admin),
            schema,
        }
    }

    fn sqlite_url(dir: &tempfile::TempDir) -> String {
        format!("sqlite://{}", dir.path().join("touchpoints.db").display())
    }

    fn postgres_options(admin: &PgConnectOptions, schema: &str) -> PgConnectOptions {
        admin.clone().options([("search_path", schema)])
    }

    /// Opens the store on the database, which migrates it.
    async fn open(self) -> TestStore {
        let store: Arc<dyn Store> = match &self {
            Database::Sqlite(dir) => Arc::new(
                SqliteStore::open(&Database::sqlite_url(dir))
                    .await
                    .expect("open sqlite"),
            ),
            Database::Postgres { admin, schema } => Arc::new(
                PostgresStore::open_with(Database::postgres_options(admin, schema))
                    .await
                    .expect("open postgres"),
            ),
        };
        TestStore { store, db: self }
    }

    /// Runs SQL on the database behind the store's back, as an older version of the program
    /// or an administrator would.
    async fn execute(&self, sql: &str) {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Database::Sqlite(dir) => {
                let mut conn = sqlx::SqliteConnection::connect(&Database::sqlite_url(dir))
                    .await
                    .expect("connect");
                sqlx::raw_sql(sql)
                    .execute(&mut conn)
                    .await
                    .expect("execute");
            }
            Database::Postgres { admin, schema } => {
                let options = Database::postgres_options(admin, schema);
                let mut conn = PgConnection::connect_with(&options).await.expect("connect");
                sqlx::raw_sql(sql)
                    .execute(&mut conn)
                    .await
                    .expect("execute");
            }
        }
    }

    async fn remove(self) {
        if let Database::Postgres { admin, schema } = self {
            let mut conn = PgConnection::connect_with(&admin).await.expect("connect");
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&mut conn)
                .await
                .expect("drop schema");
        }
    }
}

impl TestStore {
    /// See [`Database::execute`].
    async fn execute(&self, sql: &str) {
        self.db.execute(sql).await;
    }

    async fn finish(self) {
        drop(self.store);
        self.db.remove().await;
    }
}

async fn sqlite() -> TestStore {
    Database::sqlite().open().await
}

/// The URL of the PostgreSQL server the PostgreSQL half runs on.
fn postgres_url() -> String {
    std::env::var("TOUCHPOINTS_TEST_POSTGRES").expect(
        "TOUCHPOINTS_TEST_POSTGRES names no PostgreSQL server: \
         scripts/test starts one, or set it to a server's URL",
    )
}

async fn postgres() -> TestStore {
    Database::postgres().await.open().await
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
                #[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
                async fn $behaviour() {
                    let t = super::postgres().await;
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
    deleted_touchpoint_ids_are_not_reused,
    erased_account_ids_are_not_reused,
    concurrent_demotions_keep_an_admin,
    concurrent_updates_of_one_touchpoint_take_turns,
    updates_racing_a_delete_land_before_it_or_not_at_all,
    catalog_deletes_racing_touchpoint_writes_fail_cleanly,
    disabling_an_account_revokes_its_tokens,
    erasing_an_unknown_person_is_not_found,
    guideline_is_empty_then_stored_whole,
    content_is_kept_with_references_checked,
    deleting_a_channel_or_touchpoint_unlinks_content,
    findings_keep_their_status_across_runs,
    standards_are_kept_with_references_checked,
    stories_keep_their_touchpoint_and_standard,
    interactions_are_recorded_all_or_nothing,
    a_customers_interactions_are_exported_and_erased,
    queue_requests_of_one_person_join_one_profile,
    queue_linking_identifiers_merge_and_unmerge_restores_exactly,
    queue_intake_is_idempotent_by_external_id,
    queue_a_bad_batch_stores_nothing,
    queue_requests_are_worked_to_resolution,
    queue_policies_set_due_times_and_order,
    queue_customer_data_is_exported_and_erased,
    queue_one_batch_links_and_merges_profiles,
    customers_are_read_by_many_ids_at_once,
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

async fn audit_log_filters_agree_with_the_core_definition(store: &dyn Store) {
    // Three batches a few milliseconds apart, so that time windows have something to cut.
    let pause = || std::thread::sleep(std::time::Duration::from_millis(5));
    let record = |actor: &'static str, action: &'static str, entity: &'static str| async move {
        store
            .record(actor, action, entity, "1", "")
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

async fn deleted_touchpoint_ids_are_not_reused(store: &dyn Store) {
    // A deleted touchpoint keeps its history under its id: a new one must not take the id and
    // inherit that history.
    let old = store
        .create_touchpoint(&fields("Printkatalog", "letter", "before-purchase"), "t")
        .await
        .expect("create");
    store.delete_touchpoint(old.id, "t").await.expect("delete");
    let new = store
        .create_touchpoint(
            &fields("Onlinekatalog", "online-shop", "before-purchase"),
            "t",
        )
        .await
        .expect("create");
    let history: Vec<Action> = store
        .history(new.id)
        .await
        .expect("history")
        .into_iter()
        .map(|h| h.action)
        .collect();
    assert_eq!(
        history,
        [Action::Created],
        "a new touchpoint starts its own history"
    );
    assert_ne!(
        new.id, old.id,
        "the id of a deleted touchpoint is taken again"
    );
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

async fn concurrent_updates_of_one_touchpoint_take_turns(store: &dyn Store) {
    // Eight editors save the same touchpoint at once, each with another owner. Every save
    // lands, one after the other: each compares against what the one before wrote, so no
    // change is lost and the history's "before" values chain.
    let created = store
        .create_touchpoint(&fields("Kundenhotline", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    let mark = audit_mark(store).await;
    let owners: Vec<String> = (0..8).map(|i| format!("Team {i}")).collect();
    let writes = owners.iter().enumerate().map(|(i, owner)| {
        let mut next = created.fields.clone();
        next.owner = owner.clone();
        async move {
            let actor = format!("editor-{i}");
            let updated = store.update_touchpoint(created.id, &next, &actor).await;
            (next, updated)
        }
    });
    for (next, updated) in futures::future::join_all(writes).await {
        let updated = updated.expect("concurrent update");
        assert_eq!(updated.fields, next, "each save returns what it saved");
    }

    let mut history = store.history(created.id).await.expect("history");
    history.reverse();
    assert_eq!(history[0].action, Action::Created);
    let updates = &history[1..];
    assert_eq!(
        updates.len(),
        8,
        "every save is in the history: {history:#?}"
    );
    let mut owner = created.fields.owner.clone();
    let mut at = history[0].at;
    for entry in updates {
        assert_eq!(entry.action, Action::Updated);
        assert_eq!(entry.changes.len(), 1, "{entry:?}");
        let change = &entry.changes[0];
        assert_eq!(change.field, "owner");
        assert_eq!(
            change.before, owner,
            "each entry starts where the one before ended: {history:#?}"
        );
        assert!(entry.at >= at, "the saves are recorded in time order");
        owner = change.after.clone();
        at = entry.at;
    }
    let afters: BTreeSet<&str> = updates
        .iter()
        .map(|e| e.changes[0].after.as_str())
        .collect();
    let expected: BTreeSet<&str> = owners.iter().map(String::as_str).collect();
    assert_eq!(afters, expected, "every owner was set once");
    let stored = store.touchpoint(created.id).await.expect("read");
    assert_eq!(stored.fields.owner, owner, "the last save is what stays");
    let audited = audited_since(store, mark).await;
    assert_eq!(
        audited
            .iter()
            .filter(|e| e.action == "touchpoint.update")
            .count(),
        8,
        "{audited:#?}"
    );
}

async fn updates_racing_a_delete_land_before_it_or_not_at_all(store: &dyn Store) {
    // An update and a delete of one touchpoint at once: either the update comes first and
    // the delete after it, or the update finds nothing. It never records a change to a
    // touchpoint that is gone.
    let mut last = None;
    for round in 0..12 {
        let tp = store
            .create_touchpoint(
                &fields(&format!("Aktion {round}"), "email", "before-purchase"),
                "t",
            )
            .await
            .expect("create");
        let mut next = tp.fields.clone();
        next.owner = "Marketing".into();
        let mark = audit_mark(store).await;
        let (updated, deleted) = futures::join!(
            store.update_touchpoint(tp.id, &next, "u"),
            store.delete_touchpoint(tp.id, "d")
        );
        deleted.expect("the delete succeeds either way");
        let mut actions: Vec<Action> = store
            .history(tp.id)
            .await
            .expect("history")
            .into_iter()
            .map(|h| h.action)
            .collect();
        actions.reverse();
        let audited: Vec<String> = audited_since(store, mark)
            .await
            .into_iter()
            .map(|e| e.action)
            .collect();
        match updated {
            Ok(t) => {
                assert_eq!(t.fields, next);
                assert_eq!(actions, [Action::Created, Action::Updated, Action::Deleted]);
                assert_eq!(audited, ["touchpoint.update", "touchpoint.delete"]);
            }
            Err(StoreError::NotFound {
                entity: "touchpoint",
            }) => {
                assert_eq!(actions, [Action::Created, Action::Deleted], "round {round}");
                assert_eq!(audited, ["touchpoint.delete"], "round {round}");
            }
            Err(other) => panic!("round {round}: expected success or not found, got {other:?}"),
        }
        assert!(matches!(
            store.touchpoint(tp.id).await,
            Err(StoreError::NotFound { .. })
        ));
        last = Some(tp);
    }

    // After the delete, every write of it finds nothing and records nothing.
    let tp = last.expect("a round");
    let history = store.history(tp.id).await.expect("history");
    let mark = audit_mark(store).await;
    assert!(matches!(
        store.update_touchpoint(tp.id, &tp.fields, "u").await,
        Err(StoreError::NotFound { .. })
    ));
    let mut renamed = tp.fields.clone();
    renamed.name = "Aktion neu".into();
    assert!(matches!(
        store.update_touchpoint(tp.id, &renamed, "u").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.retire_touchpoint(tp.id, "u").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_touchpoint(tp.id, "u").await,
        Err(StoreError::NotFound { .. })
    ));
    assert_not_audited(store, mark, "a write to a deleted touchpoint").await;
    assert_eq!(store.history(tp.id).await.expect("history"), history);
    assert_eq!(count(store).await, 0);
}

async fn catalog_deletes_racing_touchpoint_writes_fail_cleanly(store: &dyn Store) {
    // A channel is deleted while a touchpoint is written onto it. Either the write comes
    // first and the delete is refused as in use, or the delete comes first and the write is
    // refused as invalid; never both, never neither, never a database error.
    let moving = store
        .create_touchpoint(&fields("Wanderer", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    for round in 0..16 {
        let key = format!("race-{round}");
        let channel = Channel {
            key: key.clone(),
            label_de: format!("Kanal {round}"),
            label_en: format!("Channel {round}"),
            kind: Kind::Digital,
            position: 200 + round,
        };
        store.put_channel(&channel, "c").await.expect("put channel");
        // Even rounds create a touchpoint on the channel, odd ones move one onto it.
        let mut f = if round % 2 == 0 {
            fields(&format!("Neu {round}"), "phone", "after-purchase")
        } else {
            store.touchpoint(moving.id).await.expect("read").fields
        };
        f.channel = key.clone();
        let write = async {
            if round % 2 == 0 {
                store.create_touchpoint(&f, "t").await.map(|t| t.id)
            } else {
                store
                    .update_touchpoint(moving.id, &f, "t")
                    .await
                    .map(|t| t.id)
            }
        };
        let (written, deleted) = futures::join!(write, store.delete_channel(&key, "c"));
        let still_there = store
            .catalog()
            .await
            .expect("catalog")
            .channel(&key)
            .is_some();
        match (written, deleted) {
            (Ok(id), Err(StoreError::Conflict(p))) => {
                assert!(still_there, "round {round}");
                assert_eq!(p.0[0].field, "key");
                assert!(matches!(p.0[0].problem, Problem::InUse { .. }), "{p:?}");
                let stored = store.touchpoint(id).await.expect("read");
                assert_eq!(stored.fields.channel, key);
                if round % 2 == 0 {
                    store.delete_touchpoint(id, "t").await.expect("clean up");
                } else {
                    let mut back = stored.fields;
                    back.channel = "phone".into();
                    store.update_touchpoint(id, &back, "t").await.expect("back");
                }
            }
            (Err(StoreError::Invalid(p)), Ok(())) => {
                assert!(!still_there, "round {round}");
                assert_eq!(p.0[0].field, "channel", "{p:?}");
                assert_eq!(
                    store
                        .touchpoint(moving.id)
                        .await
                        .expect("read")
                        .fields
                        .channel,
                    "phone"
                );
            }
            other => panic!("round {round}: {other:?}"),
        }
        let on_channel = TouchpointFilter {
            channel: Some(key.clone()),
            ..TouchpointFilter::default()
        };
        assert!(
            store
                .list_touchpoints(&on_channel)
                .await
                .expect("list")
                .is_empty(),
            "round {round}"
        );
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

async fn guideline_is_empty_then_stored_whole(store: &dyn Store) {
    assert_eq!(
        store.guideline().await.expect("guideline"),
        Guideline::default()
    );
    let mut guideline = Guideline::default();
    guideline.facts.push(Fact {
        key: "return-period".into(),
        label: "Rückgabefrist".into(),
        kind: ValueKind::Duration,
        value: Some("30 Tage".into()),
        keywords: vec!["Rückgabe".into(), "return".into()],
        valid_from: Some(jiff::civil::date(2025, 1, 1)),
        valid_until: None,
    });
    guideline.facts.push(Fact {
        key: "hotline".into(),
        label: "Hotline".into(),
        kind: ValueKind::Phone,
        value: None,
        keywords: vec!["Hotline".into()],
        valid_from: None,
        valid_until: None,
    });
    guideline.tone.address = Some(Address::Formal);
    guideline.tone.forbidden.push(TermRule {
        term: "leider nicht möglich".into(),
        instead: Some("gern prüfen wir".into()),
        channels: vec!["email".into()],
    });
    let mark = audit_mark(store).await;
    store
        .put_guideline(&guideline, "carla")
        .await
        .expect("put guideline");
    assert_eq!(store.guideline().await.expect("guideline"), guideline);
    let entry = assert_audited(store, mark, "guideline.put", "carla", "guideline", "").await;
    assert_eq!(entry.summary, "2 facts");
    // A second write replaces the first.
    guideline.facts.truncate(1);
    let mark = audit_mark(store).await;
    store
        .put_guideline(&guideline, "dora")
        .await
        .expect("replace guideline");
    assert_eq!(store.guideline().await.expect("guideline"), guideline);
    let entry = assert_audited(store, mark, "guideline.put", "dora", "guideline", "").await;
    assert_eq!(entry.summary, "1 facts");
}

fn text(title: &str, channel: Option<&str>) -> ContentFields {
    ContentFields {
        title: title.into(),
        channel: channel.map(str::to_owned),
        touchpoint_id: None,
        url: format!("https://example.com/{}", title.to_lowercase()),
        language: "de".into(),
        body: format!("{title}: Rückgabe binnen 30 Tagen."),
        valid_from: Some(jiff::civil::date(2026, 1, 1)),
        valid_until: None,
    }
}

async fn content_is_kept_with_references_checked(store: &dyn Store) {
    assert!(store.contents().await.expect("contents").is_empty());
    let touchpoint = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("create touchpoint");
    let mark = audit_mark(store).await;
    let mut faq = text("faq", Some("phone"));
    faq.touchpoint_id = Some(touchpoint.id);
    let faq = store
        .put_content(None, &faq, "carla")
        .await
        .expect("create content");
    let id = faq.id.to_string();
    let entry = assert_audited(store, mark, "content.create", "carla", "content", &id).await;
    assert_eq!(entry.summary, "faq");
    assert_eq!(store.content(faq.id).await.expect("read"), faq);
    let agb = store
        .put_content(None, &text("AGB", None), "carla")
        .await
        .expect("create content");
    let zebra = store
        .put_content(None, &text("Zebra", None), "carla")
        .await
        .expect("create content");
    // By title without case.
    assert_eq!(
        store.contents().await.expect("contents"),
        [agb.clone(), faq.clone(), zebra.clone()]
    );

    // An update replaces every field.
    let mut changed = faq.fields.clone();
    changed.title = "FAQ Rückgabe".into();
    changed.channel = None;
    changed.touchpoint_id = None;
    changed.body = "Rückgabe binnen 14 Tagen.".into();
    let mark = audit_mark(store).await;
    let updated = store
        .put_content(Some(faq.id), &changed, "dora")
        .await
        .expect("update content");
    assert_eq!(updated.id, faq.id);
    assert_eq!(updated.fields, changed);
    assert!(updated.updated_at >= faq.updated_at);
    assert_eq!(store.content(faq.id).await.expect("read"), updated);
    assert_audited(store, mark, "content.update", "dora", "content", &id).await;

    // Unknown references are field problems and write nothing.
    let mark = audit_mark(store).await;
    match store
        .put_content(None, &text("Fax", Some("fax")), "carla")
        .await
    {
        Err(StoreError::Invalid(p)) => {
            assert_eq!(p.0[0].field, "channel");
            assert!(
                matches!(&p.0[0].problem, Problem::Unknown { value, allowed } if value == "fax" && allowed.contains(&"phone".to_string())),
                "{p:?}"
            );
        }
        other => panic!("expected an unknown channel, got {other:?}"),
    }
    let mut orphan = text("Orphan", None);
    orphan.touchpoint_id = Some(touchpoint.id + 1000);
    match store.put_content(Some(faq.id), &orphan, "carla").await {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "touchpoint_id"),
        other => panic!("expected an unknown touchpoint, got {other:?}"),
    }
    match store.put_content(None, &orphan, "carla").await {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "touchpoint_id"),
        other => panic!("expected an unknown touchpoint, got {other:?}"),
    }
    assert_not_audited(store, mark, "content with unknown references").await;
    assert_eq!(store.contents().await.expect("contents").len(), 3);
    assert_eq!(store.content(faq.id).await.expect("read"), updated);

    // Unknown ids.
    assert!(matches!(
        store.content(9999).await,
        Err(StoreError::NotFound { entity: "content" })
    ));
    assert!(matches!(
        store
            .put_content(Some(9999), &text("X", None), "carla")
            .await,
        Err(StoreError::NotFound { entity: "content" })
    ));
    assert!(matches!(
        store.delete_content(9999, "carla").await,
        Err(StoreError::NotFound { entity: "content" })
    ));
    assert_not_audited(store, mark, "writes to unknown content").await;

    let mark = audit_mark(store).await;
    store
        .delete_content(zebra.id, "carla")
        .await
        .expect("delete");
    let entry = assert_audited(
        store,
        mark,
        "content.delete",
        "carla",
        "content",
        &zebra.id.to_string(),
    )
    .await;
    assert_eq!(entry.summary, "Zebra");
    assert!(matches!(
        store.content(zebra.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.contents().await.expect("contents"), [agb, updated]);
}

async fn deleting_a_channel_or_touchpoint_unlinks_content(store: &dyn Store) {
    let touchpoint = store
        .create_touchpoint(&fields("Brief", "email", "after-purchase"), "t")
        .await
        .expect("create touchpoint");
    let mut letter = text("Anschreiben", Some("letter"));
    letter.touchpoint_id = Some(touchpoint.id);
    let letter = store
        .put_content(None, &letter, "carla")
        .await
        .expect("create content");
    store
        .delete_channel("letter", "carla")
        .await
        .expect("a channel used only by content can go");
    let read = store.content(letter.id).await.expect("read");
    assert_eq!(read.fields.channel, None);
    assert_eq!(read.fields.touchpoint_id, Some(touchpoint.id));
    store
        .delete_touchpoint(touchpoint.id, "carla")
        .await
        .expect("delete touchpoint");
    let read = store.content(letter.id).await.expect("read");
    assert_eq!(read.fields.touchpoint_id, None);
    assert_eq!(read.fields.title, "Anschreiben");
}

fn finding(kind: FindingKind, rule: &str, source: &str, message: &str) -> Finding {
    Finding {
        kind,
        rule: rule.into(),
        message: message.into(),
        places: vec![Place {
            source: source.into(),
            title: format!("Title of {source}"),
            channel: Some("phone".into()),
            line: 3,
            column: 7,
            excerpt: format!("{rule} stated in {source}"),
            written: Some("30 Tage".into()),
        }],
        suggestion: Some("30 Tage".into()),
    }
}

fn by_fingerprint<'a>(all: &'a [StoredFinding], f: &Finding) -> &'a StoredFinding {
    let fingerprint = f.fingerprint();
    all.iter()
        .find(|s| s.fingerprint == fingerprint)
        .unwrap_or_else(|| panic!("finding {fingerprint} stored: {all:#?}"))
}

async fn findings_keep_their_status_across_runs(store: &dyn Store) {
    assert!(store.findings().await.expect("findings").is_empty());
    let period = finding(
        FindingKind::ContradictsGuideline,
        "return-period",
        "content/1",
        "14 Tage statt 30 Tage",
    );
    let hotline = finding(
        FindingKind::ContradictsChannel,
        "hotline",
        "content/2",
        "two numbers",
    );
    let term = finding(
        FindingKind::ForbiddenTerm,
        "leider",
        "content/3",
        "forbidden",
    );

    // The first run inserts every finding as open and current.
    let mark = audit_mark(store).await;
    let first = store
        .sync_findings(&[term.clone(), period.clone(), hotline.clone()], "checker")
        .await
        .expect("first run");
    assert_not_audited(store, mark, "a run that reopens nothing").await;
    assert_eq!(first.len(), 3);
    let kinds: Vec<FindingKind> = first.iter().map(|f| f.finding.kind).collect();
    let mut sorted = kinds.clone();
    sorted.sort_by_key(|k| k.as_str());
    assert_eq!(kinds, sorted, "ordered by kind");
    for f in [&period, &hotline, &term] {
        let stored = by_fingerprint(&first, f);
        assert_eq!(&stored.finding, f);
        assert_eq!(stored.status, FindingStatus::Open);
        assert_eq!(stored.status_by, None);
        assert_eq!(stored.first_seen, stored.last_seen);
        assert!(stored.current);
    }
    assert_eq!(store.findings().await.expect("findings"), first);
    let period_id = by_fingerprint(&first, &period).id;
    let hotline_first = by_fingerprint(&first, &hotline).clone();

    // Accepting records who and what.
    let mark = audit_mark(store).await;
    let accepted = store
        .set_finding_status(period_id, FindingStatus::Accepted, "carla")
        .await
        .expect("accept");
    assert_eq!(accepted.status, FindingStatus::Accepted);
    assert_eq!(accepted.status_by.as_deref(), Some("carla"));
    let entry = assert_audited(
        store,
        mark,
        "finding.status",
        "carla",
        "finding",
        &period_id.to_string(),
    )
    .await;
    assert_eq!(entry.summary, "open → accepted");

    // The second run: the term is gone, the period found again at another line with another
    // message (same fingerprint), the hotline again.
    let mut moved = period.clone();
    moved.message = "14 Tage statt 30 Tage (moved)".into();
    moved.places[0].line = 12;
    assert_eq!(moved.fingerprint(), period.fingerprint());
    let second = store
        .sync_findings(&[hotline.clone(), moved.clone()], "checker")
        .await
        .expect("second run");
    assert_eq!(second.len(), 3);
    let current: Vec<bool> = second.iter().map(|f| f.current).collect();
    assert_eq!(current, [true, true, false], "current first: {second:#?}");
    let gone = by_fingerprint(&second, &term);
    assert!(!gone.current);
    assert_eq!(gone.last_seen, gone.first_seen);
    let again = by_fingerprint(&second, &moved);
    assert_eq!(again.id, period_id);
    assert_eq!(again.finding, moved);
    assert_eq!(again.status, FindingStatus::Accepted, "accepted stays");
    assert_eq!(again.status_by.as_deref(), Some("carla"));
    let hotline_again = by_fingerprint(&second, &hotline);
    assert_eq!(hotline_again.first_seen, hotline_first.first_seen);
    assert!(hotline_again.last_seen >= hotline_first.last_seen);
    assert_eq!(store.findings().await.expect("findings"), second);

    // Fixed, then found again: open again, with an entry saying so.
    let hotline_id = hotline_again.id;
    store
        .set_finding_status(hotline_id, FindingStatus::Fixed, "dora")
        .await
        .expect("fix");
    let mark = audit_mark(store).await;
    let third = store
        .sync_findings(&[hotline.clone(), hotline.clone()], "checker")
        .await
        .expect("third run");
    let reopened = by_fingerprint(&third, &hotline);
    assert_eq!(reopened.id, hotline_id);
    assert_eq!(reopened.status, FindingStatus::Open);
    assert!(reopened.current);
    assert_eq!(third.iter().filter(|f| f.current).count(), 1, "{third:#?}");
    assert_eq!(
        by_fingerprint(&third, &moved).status,
        FindingStatus::Accepted
    );
    let entry = assert_audited(
        store,
        mark,
        "finding.reopen",
        "checker",
        "finding",
        &hotline_id.to_string(),
    )
    .await;
    assert!(entry.summary.contains("fixed → open"), "{entry:?}");

    // A term found anew after it was gone is current again, with its first sighting kept.
    let fourth = store
        .sync_findings(std::slice::from_ref(&term), "checker")
        .await
        .expect("fourth run");
    let back = by_fingerprint(&fourth, &term);
    assert!(back.current);
    assert_eq!(back.first_seen, gone.first_seen);
    assert_eq!(back.status, FindingStatus::Open);

    // Unknown ids.
    let mark = audit_mark(store).await;
    assert!(matches!(
        store
            .set_finding_status(9999, FindingStatus::Accepted, "carla")
            .await,
        Err(StoreError::NotFound { entity: "finding" })
    ));
    assert_not_audited(store, mark, "a status for an unknown finding").await;
    // An empty run leaves every finding stored, none current.
    let none = store
        .sync_findings(&[], "checker")
        .await
        .expect("empty run");
    assert_eq!(none.len(), 3);
    assert!(none.iter().all(|f| !f.current));
}

// --- service standards, stories and interactions -----------------------------------------

fn standard(title: &str, channel: Option<&str>, measure: Option<Measure>) -> StandardFields {
    StandardFields {
        title: title.into(),
        text: format!("{title}: so machen wir es."),
        mandatory: true,
        touchpoint_id: None,
        channel: channel.map(str::to_owned),
        measure,
    }
}

fn invalid_fields(result: Result<impl std::fmt::Debug, StoreError>) -> Vec<String> {
    match result {
        Err(StoreError::Invalid(p)) => p.0.into_iter().map(|p| p.field).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn standards_are_kept_with_references_checked(store: &dyn Store) {
    assert!(store.standards().await.expect("standards").is_empty());
    let hotline = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("create touchpoint");
    let mark = audit_mark(store).await;
    let named = store
        .create_standard(
            &standard(
                "Kunden mit Namen ansprechen",
                Some("email"),
                Some(Measure::AddressedByName),
            ),
            "carla",
        )
        .await
        .expect("create standard");
    let id = named.id.to_string();
    let entry = assert_audited(store, mark, "standard.create", "carla", "standard", &id).await;
    assert_eq!(entry.summary, "Kunden mit Namen ansprechen");
    let mut fast = standard(
        "Antwort binnen 4 Stunden",
        None,
        Some(Measure::FirstResponseWithin { hours: 4 }),
    );
    fast.touchpoint_id = Some(hotline.id);
    fast.mandatory = false;
    let fast = store.create_standard(&fast, "carla").await.expect("create");
    let phrases = store
        .create_standard(
            &standard(
                "Äußerst höflich",
                None,
                Some(Measure::PhrasesAbsent {
                    phrases: vec!["leider nicht möglich".into()],
                }),
            ),
            "carla",
        )
        .await
        .expect("create");
    // By title without case, measures read back whole.
    assert_eq!(
        store.standards().await.expect("standards"),
        [fast.clone(), named.clone(), phrases.clone()]
    );
    assert_eq!(named.to_standard().channel.as_deref(), Some("email"));

    // An update replaces every field.
    let mut changed = named.fields.clone();
    changed.channel = None;
    changed.measure = Some(Measure::PhrasesPresent {
        phrases: vec!["Ihr Nordlicht-Team".into()],
    });
    let mark = audit_mark(store).await;
    let updated = store
        .update_standard(named.id, &changed, "dora")
        .await
        .expect("update");
    assert_eq!(updated.fields, changed);
    assert_eq!(updated.created_at, named.created_at);
    assert_audited(store, mark, "standard.update", "dora", "standard", &id).await;

    // Unknown references are field problems and write nothing.
    let mark = audit_mark(store).await;
    let before = store.standards().await.expect("standards");
    assert_eq!(
        invalid_fields(
            store
                .create_standard(&standard("Fax", Some("fax"), None), "carla")
                .await
        ),
        ["channel"]
    );
    let mut nowhere = standard("Nirgends", None, None);
    nowhere.touchpoint_id = Some(hotline.id + 1000);
    assert_eq!(
        invalid_fields(store.update_standard(named.id, &nowhere, "carla").await),
        ["touchpoint_id"]
    );
    assert_eq!(store.standards().await.expect("standards"), before);
    assert_not_audited(store, mark, "a refused standard").await;
    assert!(matches!(
        store.update_standard(999_999, &changed, "carla").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_standard(999_999, "carla").await,
        Err(StoreError::NotFound { .. })
    ));

    // A standard goes with its touchpoint, and can be deleted by itself.
    store
        .delete_touchpoint(hotline.id, "t")
        .await
        .expect("delete touchpoint");
    assert_eq!(
        store.standards().await.expect("standards"),
        [updated.clone(), phrases.clone()]
    );
    let mark = audit_mark(store).await;
    store
        .delete_standard(phrases.id, "dora")
        .await
        .expect("delete");
    assert_audited(
        store,
        mark,
        "standard.delete",
        "dora",
        "standard",
        &phrases.id.to_string(),
    )
    .await;
    assert_eq!(store.standards().await.expect("standards"), [updated]);
}

async fn stories_keep_their_touchpoint_and_standard(store: &dyn Store) {
    user(store, "anna", Role::Admin).await;
    let erika = user(store, "erika", Role::Manager).await;
    let hotline = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("create touchpoint");
    let filiale = store
        .create_touchpoint(&fields("Filiale", "store", "during-purchase"), "t")
        .await
        .expect("create touchpoint");
    let named = store
        .create_standard(&standard("Mit Namen", None, None), "t")
        .await
        .expect("standard");
    let mark = audit_mark(store).await;
    let good = store
        .create_story(
            &StoryFields {
                touchpoint_id: hotline.id,
                title: "Frau Becker bedankt sich".into(),
                text: "Sie wurde mit Namen begrüßt.".into(),
                example: Example::Good,
                standard_id: Some(named.id),
            },
            "erika",
        )
        .await
        .expect("create story");
    let entry = assert_audited(
        store,
        mark,
        "story.create",
        "erika",
        "story",
        &good.id.to_string(),
    )
    .await;
    assert_eq!(entry.summary, "Frau Becker bedankt sich (good)");
    assert_eq!(good.created_by, "erika");
    let bad = store
        .create_story(
            &StoryFields {
                touchpoint_id: filiale.id,
                title: "Warten ohne Gruß".into(),
                text: "Niemand sagte etwas.".into(),
                example: Example::Bad,
                standard_id: None,
            },
            "anna",
        )
        .await
        .expect("create story");
    // Newest first.
    assert_eq!(
        store.stories().await.expect("stories"),
        [bad.clone(), good.clone()]
    );

    // Unknown references are field problems and write nothing.
    let mark = audit_mark(store).await;
    let mut unknown = good.fields.clone();
    unknown.touchpoint_id = filiale.id + 1000;
    assert_eq!(
        invalid_fields(store.create_story(&unknown, "anna").await),
        ["touchpoint_id"]
    );
    let mut unknown = good.fields.clone();
    unknown.standard_id = Some(named.id + 1000);
    assert_eq!(
        invalid_fields(store.create_story(&unknown, "anna").await),
        ["standard_id"]
    );
    assert_not_audited(store, mark, "a refused story").await;
    assert_eq!(store.stories().await.expect("stories").len(), 2);

    // Deleting the standard keeps the story; deleting the touchpoint takes it along.
    store
        .delete_standard(named.id, "t")
        .await
        .expect("delete standard");
    let stories = store.stories().await.expect("stories");
    assert_eq!(stories[1].id, good.id);
    assert_eq!(stories[1].fields.standard_id, None);
    store
        .delete_touchpoint(filiale.id, "t")
        .await
        .expect("delete touchpoint");
    assert_eq!(
        store
            .stories()
            .await
            .expect("stories")
            .iter()
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        [good.id]
    );

    // The teller is staff: erased, the story stays under the pseudonym.
    store
        .erase_personal_data(&Subject::Staff("erika".into()), "anna")
        .await
        .expect("erase");
    let stories = store.stories().await.expect("stories");
    assert_eq!(stories[0].created_by, format!("erased-user:{}", erika.id));

    let mark = audit_mark(store).await;
    store.delete_story(good.id, "anna").await.expect("delete");
    assert_audited(
        store,
        mark,
        "story.delete",
        "anna",
        "story",
        &good.id.to_string(),
    )
    .await;
    assert!(store.stories().await.expect("stories").is_empty());
    assert!(matches!(
        store.delete_story(good.id, "anna").await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn interactions_are_recorded_all_or_nothing(store: &dyn Store) {
    let hotline = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("create touchpoint");
    let start = micros(Timestamp::now());
    let call = |external: Option<&str>, hours: i64, reply: &str| InteractionInput {
        external_id: external.map(str::to_owned),
        touchpoint_id: Some(hotline.id),
        channel: "phone".into(),
        customer_name: Some("Anna Becker".into()),
        received_at: after(start, hours),
        first_response_at: Some(after(start, hours + 1)),
        resolved_at: None,
        reply: reply.into(),
    };
    let mut mail = call(None, 2, "Guten Tag.");
    mail.channel = "email".into();
    mail.touchpoint_id = None;
    mail.customer_name = None;

    // One bad row refuses the whole batch, naming the row and field.
    let mut fax = call(Some("T-3"), 3, "x");
    fax.channel = "fax".into();
    let mut lost = call(Some("T-4"), 4, "x");
    lost.touchpoint_id = Some(hotline.id + 1000);
    let mark = audit_mark(store).await;
    assert_eq!(
        invalid_fields(
            store
                .record_interactions(&[call(Some("T-1"), 0, "Hallo"), fax, lost], "import")
                .await
        ),
        ["[1].channel", "[2].touchpoint_id"]
    );
    assert_not_audited(store, mark, "a refused import").await;
    async fn all(store: &dyn Store, start: Timestamp) -> Vec<touchpoints_store::StoredInteraction> {
        store
            .interactions(after(start, -100), after(start, 100))
            .await
            .expect("interactions")
    }
    assert!(all(store, start).await.is_empty());

    let summary = store
        .record_interactions(
            &[
                call(Some("T-1"), 0, "Hallo Frau Becker"),
                mail.clone(),
                call(Some("T-2"), 5, "Guten Tag"),
            ],
            "import",
        )
        .await
        .expect("record");
    assert_eq!(
        summary,
        ImportSummary {
            created: 3,
            updated: 0,
            unchanged: 0
        }
    );
    let entries = audited_since(store, mark).await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0].action, "interactions.import");
    assert_eq!(entries[0].actor, "import");
    let stored = all(store, start).await;
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[0].external_id.as_deref(), Some("T-1"));
    assert_eq!(stored[0].interaction.reply, "Hallo Frau Becker");
    assert_eq!(stored[0].interaction.touchpoint, Some(hotline.id));
    assert_eq!(stored[0].interaction.received_at, start);
    assert_eq!(
        stored[0].interaction.first_response_at,
        Some(after(start, 1))
    );
    assert_eq!(stored[1].external_id, None);
    assert_eq!(stored[1].interaction.customer_name, None);
    assert_eq!(stored[1].interaction.channel, "email");

    // Importing a known external id again updates it.
    let summary = store
        .record_interactions(&[call(Some("T-1"), 0, "Hallo Anna")], "import")
        .await
        .expect("record");
    assert_eq!((summary.created, summary.updated), (0, 1));
    let stored = all(store, start).await;
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[0].interaction.reply, "Hallo Anna");

    // The period counts from its start (inclusive) to its end (exclusive).
    let window = store
        .interactions(after(start, 2), after(start, 5))
        .await
        .expect("interactions");
    assert_eq!(window.len(), 1);
    assert_eq!(window[0].interaction.channel, "email");

    // A deleted touchpoint leaves its interactions, unassigned.
    store
        .delete_touchpoint(hotline.id, "t")
        .await
        .expect("delete");
    assert!(
        all(store, start)
            .await
            .iter()
            .all(|i| i.interaction.touchpoint.is_none())
    );
}

async fn a_customers_interactions_are_exported_and_erased(store: &dyn Store) {
    let now = Timestamp::now();
    let call = |name: &str, reply: &str| InteractionInput {
        external_id: None,
        touchpoint_id: None,
        channel: "phone".into(),
        customer_name: Some(name.into()),
        received_at: now,
        first_response_at: None,
        resolved_at: None,
        reply: reply.into(),
    };
    store
        .record_interactions(
            &[
                call(
                    "Anna Becker",
                    "Guten Tag Frau Becker, Ihr Paket kommt morgen.",
                ),
                call("Bernd Kurz", "Hallo Herr Kurz."),
            ],
            "tests",
        )
        .await
        .expect("record");
    let anna = Subject::Customer("anna becker".into());
    let export = store.export_personal_data(&anna).await.expect("export");
    let held = export["places"]["interactions"]
        .as_array()
        .expect("interactions");
    assert_eq!(held.len(), 1);
    assert!(
        held[0]["reply"]
            .as_str()
            .is_some_and(|r| r.contains("Frau Becker"))
    );

    let erasure = store
        .erase_personal_data(&anna, "admin")
        .await
        .expect("erase");
    assert!(
        erasure.places.contains(&("interactions".to_owned(), 1)),
        "{erasure:?}"
    );
    let day = SignedDuration::from_hours(24);
    let left = store
        .interactions(
            now.checked_sub(day).expect("time"),
            now.checked_add(day).expect("time"),
        )
        .await
        .expect("interactions");
    assert_eq!(left.len(), 2, "the requests stay for the counts");
    assert!(left.iter().all(|i| !i.interaction.reply.contains("Becker")));
    assert!(
        left.iter()
            .any(|i| i.interaction.customer_name.as_deref() == Some("Bernd Kurz"))
    );
    assert!(matches!(
        store.erase_personal_data(&anna, "admin").await,
        Err(StoreError::NotFound { .. })
    ));
}

// Behaviours of one part of the store, kept in files of their own; the macro above must come
// first.
#[path = "suite/migrations.rs"]
mod migrations;
#[path = "suite/schema.rs"]
mod schema;
#[path = "suite/surveys.rs"]
mod surveys;
// --- The queue: customer profiles, identity resolution, requests -------------------------

fn request(channel: &str, email: Option<&str>, phone: Option<&str>, body: &str) -> NewRequest {
    let catalog = touchpoints_core::Catalog {
        channels: default_channels(),
        phases: default_phases(),
    };
    RequestInput {
        channel: channel.into(),
        customer: RequestCustomer {
            name: Some("Anna Schulz".into()),
            email: email.map(str::to_owned),
            phone: phone.map(str::to_owned),
            ..RequestCustomer::default()
        },
        subject: "Lieferung".into(),
        body: body.into(),
        ..RequestInput::default()
    }
    .validate(&catalog, Timestamp::now())
    .expect("valid request")
}

fn with_external(mut r: NewRequest, id: &str) -> NewRequest {
    r.external_id = Some(id.into());
    r
}

async fn count_requests(store: &dyn Store) -> usize {
    store
        .queue(&QueueFilter {
            limit: 1000,
            ..QueueFilter::default()
        })
        .await
        .expect("queue")
        .len()
}

async fn queue_requests_of_one_person_join_one_profile(store: &dyn Store) {
    let by_mail = store
        .intake(
            &[request(
                "email",
                Some("Anna.Schulz@Example.de"),
                None,
                "Wo bleibt mein Sofa?",
            )],
            "token:mail",
        )
        .await
        .expect("intake");
    // Later by phone: the agent noted both the number and the address.
    let by_phone = store
        .intake(
            &[request(
                "phone",
                Some("anna.schulz@example.de"),
                Some("0171 1234567"),
                "Anruf",
            )],
            "token:phone",
        )
        .await
        .expect("intake");
    // And a chat that knows only the number, written another way.
    let by_chat = store
        .intake(
            &[request("chat", None, Some("+49 171 1234567"), "Hallo?")],
            "token:chat",
        )
        .await
        .expect("intake");
    let customer = by_mail[0].customer_id.expect("profile");
    assert_eq!(by_phone[0].customer_id, Some(customer));
    assert_eq!(by_chat[0].customer_id, Some(customer));
    let profile = store.customer(customer).await.expect("profile");
    assert_eq!(profile.fields.name, "Anna Schulz");
    assert_eq!(
        profile.identifiers,
        vec![
            Identifier {
                kind: IdentifierKind::Email,
                value: "anna.schulz@example.de".into()
            },
            Identifier {
                kind: IdentifierKind::Phone,
                value: "+491711234567".into()
            },
        ]
    );
    let history = store.customer_requests(customer).await.expect("history");
    let channels: Vec<&str> = history.iter().map(|r| r.channel.as_str()).collect();
    assert_eq!(channels, ["chat", "phone", "email"]);
    assert_eq!(history[0].earlier_contacts, 2);
    let found = store
        .find_customer(&Identifier {
            kind: IdentifierKind::Phone,
            value: "+491711234567".into(),
        })
        .await
        .expect("find");
    assert_eq!(found.map(|p| p.id), Some(customer));
}

async fn queue_linking_identifiers_merge_and_unmerge_restores_exactly(store: &dyn Store) {
    let old = store
        .intake(
            &[request("email", Some("anna@example.de"), None, "eins")],
            "t",
        )
        .await
        .expect("intake")[0];
    let young = store
        .intake(&[request("phone", None, Some("0171 1234567"), "zwei")], "t")
        .await
        .expect("intake")[0];
    let (a, b) = (old.customer_id.expect("a"), young.customer_id.expect("b"));
    assert_ne!(a, b);
    let young_fields = CustomerFields {
        name: "A. Schulz".into(),
        language: "de".into(),
        segments: vec!["Premium".into()],
        lifetime_value_cents: 5_000,
        ..CustomerFields::default()
    };
    store
        .update_customer(b, &young_fields, "agent")
        .await
        .expect("update");
    let before_a = store.customer(a).await.expect("a");
    let before_b = store.customer(b).await.expect("b");

    // A request naming both identifiers links the two: the older profile survives.
    let link = store
        .intake(
            &[request(
                "chat",
                Some("anna@example.de"),
                Some("+491711234567"),
                "drei",
            )],
            "t",
        )
        .await
        .expect("intake")[0];
    assert_eq!(link.customer_id, Some(a));
    let merged = store.customer(a).await.expect("a");
    assert_eq!(merged.identifiers.len(), 2);
    assert_eq!(merged.fields.name, "Anna Schulz");
    assert_eq!(merged.fields.language, "de");
    assert_eq!(merged.fields.segments, ["Premium"]);
    assert_eq!(store.customer(b).await.expect("b").merged_into, Some(a));
    assert_eq!(store.customer_requests(a).await.expect("requests").len(), 3);
    assert!(
        store
            .customer_requests(b)
            .await
            .expect("requests")
            .is_empty()
    );
    let merges = store.merges(a).await.expect("merges");
    assert_eq!(merges.len(), 1);
    let entries = store
        .audit_log(
            &AuditFilter {
                action: Some("customer.merge".into()),
                ..AuditFilter::default()
            },
            10,
        )
        .await
        .expect("audit");
    assert_eq!(entries.len(), 1);

    // The admin undoes it: both profiles as they were, the linking request stays with the
    // survivor.
    let undone = store.unmerge(merges[0].id, "admin").await.expect("unmerge");
    assert!(undone.undone_at.is_some());
    let after_a = store.customer(a).await.expect("a");
    let after_b = store.customer(b).await.expect("b");
    assert_eq!(after_a.fields, before_a.fields);
    assert_eq!(after_a.identifiers, before_a.identifiers);
    assert_eq!(after_b.fields, before_b.fields);
    assert_eq!(after_b.identifiers, before_b.identifiers);
    assert_eq!(after_b.merged_into, None);
    let b_requests: Vec<i64> = store
        .customer_requests(b)
        .await
        .expect("b")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(b_requests, [young.id]);
    assert_eq!(store.customer_requests(a).await.expect("a").len(), 2);
    // Twice is a conflict naming the merge.
    match store.unmerge(merges[0].id, "admin").await {
        Err(StoreError::Conflict(p)) => assert_eq!(p.0[0].field, "merge"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // By hand, too: the older survives whichever is named first.
    let by_hand = store.merge_customers(b, a, "admin").await.expect("merge");
    assert_eq!((by_hand.survivor_id, by_hand.absorbed_id), (a, b));
}

async fn queue_intake_is_idempotent_by_external_id(store: &dyn Store) {
    let first = store
        .intake(
            &[with_external(
                request("email", Some("a@example.de"), None, "Text"),
                "m-1",
            )],
            "t",
        )
        .await
        .expect("intake");
    assert!(first[0].created);
    // The webhook retries: same id, nothing new.
    let again = store
        .intake(
            &[with_external(
                request("email", Some("a@example.de"), None, "Text"),
                "m-1",
            )],
            "t",
        )
        .await
        .expect("retry");
    assert_eq!(again[0].id, first[0].id);
    assert!(!again[0].created);
    // The same id with another content is a conflict naming the field; nothing is stored,
    // also not the valid request beside it.
    let before = count_requests(store).await;
    let clash = store
        .intake(
            &[
                with_external(request("email", Some("b@example.de"), None, "neu"), "m-2"),
                with_external(
                    request("email", Some("a@example.de"), None, "anders"),
                    "m-1",
                ),
            ],
            "t",
        )
        .await;
    match clash {
        Err(StoreError::Conflict(p)) => assert_eq!(p.0[0].field, "[1].body"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(count_requests(store).await, before);
    assert!(
        store
            .find_customer(&Identifier {
                kind: IdentifierKind::Email,
                value: "b@example.de".into()
            })
            .await
            .expect("find")
            .is_none()
    );
    // Twice in one batch: stored once.
    let twice = store
        .intake(
            &[
                with_external(request("chat", Some("c@example.de"), None, "x"), "c-1"),
                with_external(request("chat", Some("c@example.de"), None, "x"), "c-1"),
            ],
            "t",
        )
        .await
        .expect("intake");
    assert_eq!(twice[0].id, twice[1].id);
    assert_eq!((twice[0].created, twice[1].created), (true, false));
}

async fn queue_a_bad_batch_stores_nothing(store: &dyn Store) {
    let mut bad = request("email", Some("x@example.de"), None, "b");
    bad.touchpoint_id = Some(999_999);
    let result = store
        .intake(
            &[request("email", Some("y@example.de"), None, "a"), bad],
            "t",
        )
        .await;
    match result {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "[1].touchpoint_id"),
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert_eq!(count_requests(store).await, 0);
    assert!(store.customers("", 10).await.expect("customers").is_empty());
}

async fn queue_requests_are_worked_to_resolution(store: &dyn Store) {
    user(store, "berta", Role::Agent).await;
    let id = store
        .intake(
            &[request("email", Some("a@example.de"), None, "Hilfe")],
            "t",
        )
        .await
        .expect("intake")[0]
        .id;
    let assigned = store
        .act(
            id,
            &RequestAction::Assign {
                to: Some("berta".into()),
            },
            "berta",
        )
        .await
        .expect("assign");
    assert_eq!(assigned.assignee.as_deref(), Some("berta"));
    match store
        .act(
            id,
            &RequestAction::Assign {
                to: Some("nobody".into()),
            },
            "berta",
        )
        .await
    {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "to"),
        other => panic!("expected invalid input, got {other:?}"),
    }
    let mine = store
        .queue(&QueueFilter {
            view: QueueView::Mine("berta".into()),
            ..QueueFilter::default()
        })
        .await
        .expect("queue");
    assert_eq!(mine.len(), 1);
    assert_eq!(
        store.queue_counts("berta").await.expect("counts"),
        (1, 0, 1)
    );
    let replied = store
        .act(
            id,
            &RequestAction::Reply {
                body: "Guten Tag Frau Schulz".into(),
            },
            "berta",
        )
        .await
        .expect("reply");
    let first = replied.first_response_at.expect("first response");
    let again = store
        .act(
            id,
            &RequestAction::Reply {
                body: "Nachtrag".into(),
            },
            "berta",
        )
        .await
        .expect("reply");
    assert_eq!(
        again.first_response_at,
        Some(first),
        "the first response stays"
    );
    let waiting = store
        .act(id, &RequestAction::Wait, "berta")
        .await
        .expect("wait");
    assert_eq!(waiting.status, RequestStatus::Waiting);
    assert_eq!(waiting.pauses.len(), 1);
    match store.act(id, &RequestAction::Wait, "berta").await {
        Err(StoreError::Conflict(p)) => assert_eq!(p.0[0].field, "status"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let resumed = store
        .act(id, &RequestAction::Resume, "berta")
        .await
        .expect("resume");
    assert!(resumed.pauses[0].1.is_some());
    let resolved = store
        .act(id, &RequestAction::Resolve, "berta")
        .await
        .expect("resolve");
    assert_eq!(resolved.status, RequestStatus::Resolved);
    assert_eq!(count_requests(store).await, 0);
    let reopened = store
        .act(id, &RequestAction::Reopen, "berta")
        .await
        .expect("reopen");
    assert_eq!(reopened.status, RequestStatus::Open);
    assert_eq!(reopened.resolved_at, None);
    let steps: Vec<String> = store
        .request_messages(id)
        .await
        .expect("messages")
        .into_iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(
        steps,
        [
            "assign", "reply", "reply", "wait", "resume", "resolve", "reopen"
        ]
    );
}

async fn queue_policies_set_due_times_and_order(store: &dyn Store) {
    let policy = |channel: &str, priority, first| SlaPolicy {
        channel: channel.into(),
        priority,
        first_response_minutes: first,
        resolution_minutes: first * 10,
        around_the_clock: true,
    };
    let received: Timestamp = "2026-11-23T09:00:00Z".parse().expect("instant");
    let mut slow = request("letter", Some("a@example.de"), None, "Brief");
    slow.received_at = Some(received);
    let slow = store.intake(&[slow], "t").await.expect("intake")[0].id;
    let mut fast = request("chat", Some("b@example.de"), None, "Chat");
    fast.received_at = Some(received);
    let fast = store.intake(&[fast], "t").await.expect("intake")[0].id;
    assert_eq!(store.request(fast).await.expect("request").next_due, None);
    // A policy plans the open requests anew: the chat is due first and ranks first.
    store
        .put_sla_policy(&policy("chat", Priority::Normal, 30), "manager")
        .await
        .expect("policy");
    store
        .put_sla_policy(&policy("letter", Priority::Normal, 24 * 60), "manager")
        .await
        .expect("policy");
    let chat = store.request(fast).await.expect("request");
    assert_eq!(
        chat.first_response_due,
        Some("2026-11-23T09:30:00Z".parse().expect("instant"))
    );
    let order: Vec<i64> = store
        .queue(&QueueFilter::default())
        .await
        .expect("queue")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(order, [fast, slow]);
    let policies = store.sla_policies().await.expect("policies");
    assert_eq!(policies.len(), 2);
    match store
        .put_sla_policy(&policy("fax", Priority::Normal, 5), "manager")
        .await
    {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "channel"),
        other => panic!("expected invalid input, got {other:?}"),
    }
    // Breached at 10:00: the chat's first response was due at 09:30, the letter's a day later.
    let breached = store
        .queue(&QueueFilter {
            due_before: Some("2026-11-23T10:00:00Z".parse().expect("instant")),
            ..QueueFilter::default()
        })
        .await
        .expect("breached");
    assert_eq!(breached.iter().map(|r| r.id).collect::<Vec<_>>(), [fast]);
    // At risk at 09:00 within the hour: the chat, not yet breached then.
    let at_risk = store
        .queue(&QueueFilter {
            due_before: Some("2026-11-23T10:00:00Z".parse().expect("instant")),
            due_from: Some("2026-11-23T09:00:00Z".parse().expect("instant")),
            ..QueueFilter::default()
        })
        .await
        .expect("at risk");
    assert_eq!(at_risk.iter().map(|r| r.id).collect::<Vec<_>>(), [fast]);
    let none = store
        .queue(&QueueFilter {
            due_before: Some("2026-11-23T10:00:00Z".parse().expect("instant")),
            due_from: Some("2026-11-23T09:45:00Z".parse().expect("instant")),
            ..QueueFilter::default()
        })
        .await
        .expect("at risk");
    assert!(none.is_empty());
    let records = store
        .response_records(received, Timestamp::now())
        .await
        .expect("records");
    assert_eq!(records.len(), 2);
}

async fn queue_customer_data_is_exported_and_erased(store: &dyn Store) {
    let mut r = request(
        "email",
        Some("anna@example.de"),
        None,
        "Meine Adresse ist Hauptstr. 1",
    );
    r.identifiers.push(Identifier {
        kind: IdentifierKind::CustomerNumber,
        value: "KD-10042".into(),
    });
    let id = store.intake(&[r], "t").await.expect("intake")[0].id;
    store
        .act(
            id,
            &RequestAction::Reply {
                body: "Danke, Frau Schulz".into(),
            },
            "admin",
        )
        .await
        .expect("reply");
    let subject = Subject::Customer("kd-10042".into());
    let export = store.export_personal_data(&subject).await.expect("export");
    let places = export["places"].as_object().expect("places");
    assert_eq!(places["customer_profiles"][0]["name"], "Anna Schulz");
    assert_eq!(
        places["customer_requests"][0]["body"],
        "Meine Adresse ist Hauptstr. 1"
    );
    assert_eq!(
        places["customer_requests"][0]["steps"][0]["body"],
        "Danke, Frau Schulz"
    );
    store
        .erase_personal_data(&subject, "admin")
        .await
        .expect("erase");
    let after = store
        .export_personal_data(&Subject::Customer("anna@example.de".into()))
        .await
        .expect("export");
    assert_eq!(after["places"], serde_json::json!({}));
    // The request stays for the statistics, without what identifies the person.
    let kept = store.request(id).await.expect("request");
    assert_eq!((kept.customer_id, kept.body.as_str()), (None, ""));
    assert!(
        store
            .request_messages(id)
            .await
            .expect("steps")
            .iter()
            .all(|m| m.body.is_empty())
    );
}

async fn queue_one_batch_links_and_merges_profiles(store: &dyn Store) {
    let mut unnamed = request("chat", None, Some("0171 1234567"), "Hallo?");
    unnamed.customer_name = String::new();
    let batch = [
        request(
            "email",
            Some("anna@example.de"),
            None,
            "Wo bleibt mein Sofa?",
        ),
        // A second new profile, without a name yet.
        unnamed,
        // Links the two profiles made in this batch: they merge into the first.
        request(
            "phone",
            Some("anna@example.de"),
            Some("0171 1234567"),
            "Anruf",
        ),
        request("letter", None, Some("+49 171 1234567"), "Brief"),
        // Someone else entirely.
        request("email", Some("ben@example.de"), None, "Rechnung"),
    ];
    let outcomes = store.intake(&batch, "token:batch").await.expect("intake");
    let anna = outcomes[0].customer_id.expect("profile");
    let ids: Vec<Option<i64>> = outcomes.iter().map(|o| o.customer_id).collect();
    assert_eq!(ids[..4], [Some(anna); 4]);
    assert_ne!(ids[4], Some(anna));
    assert!(outcomes.iter().all(|o| o.created));
    let profiles = store.customers("", 10).await.expect("customers");
    assert_eq!(profiles.len(), 2);
    let profile = store.customer(anna).await.expect("profile");
    assert_eq!(profile.fields.name, "Anna Schulz");
    assert_eq!(
        profile.identifiers,
        vec![
            Identifier {
                kind: IdentifierKind::Email,
                value: "anna@example.de".into()
            },
            Identifier {
                kind: IdentifierKind::Phone,
                value: "+491711234567".into()
            },
        ]
    );
    let history = store.customer_requests(anna).await.expect("history");
    let contacts: Vec<(&str, i64)> = history
        .iter()
        .map(|r| (r.channel.as_str(), r.earlier_contacts))
        .collect();
    assert_eq!(
        contacts,
        [("letter", 3), ("phone", 2), ("chat", 0), ("email", 0)]
    );
    // The merge is recorded and can be undone: the chat goes back to its own profile.
    let merges = store.merges(anna).await.expect("merges");
    assert_eq!(merges.len(), 1);
    let merge = merges[0].id;
    store.unmerge(merge, "admin").await.expect("unmerge");
    let absorbed = merge_absorbed(store, merge).await;
    let restored: Vec<i64> = store
        .customer_requests(absorbed)
        .await
        .expect("requests")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(restored, [outcomes[1].id]);
}

async fn customers_are_read_by_many_ids_at_once(store: &dyn Store) {
    let email = |value: &str| Identifier {
        kind: IdentifierKind::Email,
        value: value.into(),
    };
    let phone = Identifier {
        kind: IdentifierKind::Phone,
        value: "+491711234567".into(),
    };
    let named = |name: &str| CustomerFields {
        name: name.into(),
        segments: vec!["Premium".into()],
        lifetime_value_cents: 1_200,
        ..CustomerFields::default()
    };
    let anna = store
        .create_customer(
            &named("Anna Schulz"),
            &[email("anna@example.de"), phone.clone()],
            "agent",
        )
        .await
        .expect("create")
        .id;
    let bare = store
        .create_customer(&named("Ohne Kennung"), &[], "agent")
        .await
        .expect("create")
        .id;
    let later = store
        .create_customer(
            &named("A. Schulz"),
            &[email("a.schulz@example.de")],
            "agent",
        )
        .await
        .expect("create")
        .id;
    // A profile merged into another is read too, as `customer` reads it.
    store
        .merge_customers(anna, later, "admin")
        .await
        .expect("merge");
    let one_by_one = [
        store.customer(anna).await.expect("anna"),
        store.customer(bare).await.expect("bare"),
        store.customer(later).await.expect("later"),
    ];
    assert_eq!(one_by_one[0].identifiers.len(), 3);
    assert!(one_by_one[1].identifiers.is_empty());
    assert_eq!(one_by_one[2].merged_into, Some(anna));

    // Any order, duplicates and unknown ids: each known profile once, by ascending id.
    let unknown = later + 1_000;
    let many = store
        .customers_by_id(&[later, anna, unknown, bare, anna, later])
        .await
        .expect("many");
    assert_eq!(many, one_by_one);
    assert_eq!(
        store.customers_by_id(&[bare]).await.expect("one"),
        [one_by_one[1].clone()]
    );
    assert!(
        store
            .customers_by_id(&[unknown, -1])
            .await
            .expect("unknown")
            .is_empty()
    );
    assert!(store.customers_by_id(&[]).await.expect("none").is_empty());
}

async fn merge_absorbed(store: &dyn Store, merge: i64) -> i64 {
    let profiles = store.customers("", 10).await.expect("customers");
    for p in profiles {
        if let Some(m) = store
            .merges(p.id)
            .await
            .expect("merges")
            .into_iter()
            .find(|m| m.id == merge)
        {
            return m.absorbed_id;
        }
    }
    panic!("merge {merge} not found")
}
