//! The schema's migrations: every file in a backend's folder is applied, both backends number
//! theirs alike, and a database migrated by the program before it read the folders opens
//! with its records unchanged.

use std::collections::BTreeMap;
use std::path::Path;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use sqlx::{Row, SqlStr};

use crate::harness::Database;

/// What `_sqlx_migrations` records of one migration.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Applied {
    version: i64,
    description: String,
    /// SHA-384 of the file's text, in hex.
    checksum: String,
    success: bool,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Database {
    fn backend(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "sqlite",
            Database::Postgres { .. } => "postgres",
        }
    }

    /// Runs a migrator of our own on the database, as an earlier program did.
    async fn migrate_with(&self, migrator: &Migrator) {
        match self {
            Database::Sqlite(dir) => {
                let url = format!("{}?mode=rwc", Database::sqlite_url(dir));
                let pool = SqlitePool::connect(&url).await.expect("connect");
                migrator.run(&pool).await.expect("migrate");
                pool.close().await;
            }
            Database::Postgres { admin, schema } => {
                let options = Database::postgres_options(admin, schema);
                let pool = PgPool::connect_with(options).await.expect("connect");
                migrator.run(&pool).await.expect("migrate");
                pool.close().await;
            }
        }
    }

    /// The first column of what a query returns, as text.
    async fn texts(&self, sql: &str) -> Vec<String> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Database::Sqlite(dir) => {
                let pool = SqlitePool::connect(&Database::sqlite_url(dir))
                    .await
                    .expect("connect");
                let texts = sqlx::query_scalar(sql)
                    .fetch_all(&pool)
                    .await
                    .expect("read");
                pool.close().await;
                texts
            }
            Database::Postgres { admin, schema } => {
                let options = Database::postgres_options(admin, schema);
                let pool = PgPool::connect_with(options).await.expect("connect");
                let texts = sqlx::query_scalar(sql)
                    .fetch_all(&pool)
                    .await
                    .expect("read");
                pool.close().await;
                texts
            }
        }
    }

    /// The migrations the database records, by version.
    async fn applied_migrations(&self) -> Vec<Applied> {
        const SQL: &str = "SELECT version, description, checksum, success \
                           FROM _sqlx_migrations ORDER BY version";
        let rows: Vec<(i64, String, Vec<u8>, bool)> = match self {
            Database::Sqlite(dir) => {
                let pool = SqlitePool::connect(&Database::sqlite_url(dir))
                    .await
                    .expect("connect");
                let rows = sqlx::query(SQL).fetch_all(&pool).await.expect("read");
                let rows = rows
                    .iter()
                    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
                    .collect();
                pool.close().await;
                rows
            }
            Database::Postgres { admin, schema } => {
                let options = Database::postgres_options(admin, schema);
                let pool = PgPool::connect_with(options).await.expect("connect");
                let rows = sqlx::query(SQL).fetch_all(&pool).await.expect("read");
                let rows = rows
                    .iter()
                    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
                    .collect();
                pool.close().await;
                rows
            }
        };
        rows.into_iter()
            .map(|(version, description, checksum, success)| Applied {
                version,
                description,
                checksum: hex(&checksum),
                success,
            })
            .collect()
    }
}

/// The migration files of a backend by version, with their description, read from the folder
/// as the build script reads it.
fn files(backend: &str) -> BTreeMap<i64, String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(&folder).expect("migrations folder") {
        let path = entry.expect("folder entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).expect("UTF-8");
        let (version, description) = name
            .strip_suffix(".sql")
            .and_then(|stem| stem.split_once('_'))
            .unwrap_or_else(|| panic!("{name} is not named NNNN_description.sql"));
        let version: i64 = version.parse().expect("a numbered migration");
        let earlier = found.insert(version, description.to_owned());
        assert!(earlier.is_none(), "two migrations share version {version}");
    }
    found
}

#[test]
fn both_backends_have_the_same_migration_versions() {
    let sqlite: Vec<i64> = files("sqlite").into_keys().collect();
    let postgres: Vec<i64> = files("postgres").into_keys().collect();
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

/// Every file in the backend's folder is applied to a new database, in order, and no
/// other migration is.
async fn every_migration_file_is_applied(db: Database) {
    let backend = db.backend();
    let t = db.open().await;
    let applied: Vec<(i64, String)> =
        t.db.applied_migrations()
            .await
            .into_iter()
            .inspect(|a| assert!(a.success, "{a:?}"))
            .map(|a| (a.version, a.description))
            .collect();
    let files: Vec<(i64, String)> = files(backend).into_iter().collect();
    assert_eq!(applied, files);
    t.finish().await;
}

#[tokio::test]
async fn every_migration_file_is_applied_on_sqlite() {
    every_migration_file_is_applied(Database::sqlite()).await;
}

#[tokio::test]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn every_migration_file_is_applied_on_postgres() {
    every_migration_file_is_applied(Database::postgres().await).await;
}

/// The list each backend kept by hand before the build script read its folder, as it was
/// when the folders were first read: a database migrated by that program holds these
/// records. Never extend them; they are the past.
macro_rules! hand_kept_list {
    ($backend:literal) => {
        [
            (
                1,
                "inventory",
                include_str!(concat!(
                    "../../migrations/",
                    $backend,
                    "/0001_inventory.sql"
                )),
            ),
            (
                2,
                "accounts",
                include_str!(concat!("../../migrations/", $backend, "/0002_accounts.sql")),
            ),
            (
                3,
                "library",
                include_str!(concat!("../../migrations/", $backend, "/0003_library.sql")),
            ),
            (
                4,
                "standards",
                include_str!(concat!(
                    "../../migrations/",
                    $backend,
                    "/0004_standards.sql"
                )),
            ),
            (
                5,
                "surveys",
                include_str!(concat!("../../migrations/", $backend, "/0005_surveys.sql")),
            ),
            (
                6,
                "rollup_totals",
                include_str!(concat!(
                    "../../migrations/",
                    $backend,
                    "/0006_rollup_totals.sql"
                )),
            ),
            (
                7,
                "customers_requests",
                include_str!(concat!(
                    "../../migrations/",
                    $backend,
                    "/0007_customers_requests.sql"
                )),
            ),
            (
                8,
                "week_rollups",
                include_str!(concat!(
                    "../../migrations/",
                    $backend,
                    "/0008_week_rollups.sql"
                )),
            ),
        ]
    };
}

/// The checksums the hand-kept lists recorded (`sha384sum` of the files then). A migration
/// once applied is never edited: a changed file would fail every database that applied it.
const SQLITE_CHECKSUMS: [&str; 8] = [
    "fc6c44ad00aec47828e43d8c63cb6f69550e36db9c642e71eae7f3bd5c4de9816ede3cafa74be1e8ca8f2e0e46ac5ee5",
    "5fb691e936ea71fca872a6d284235fb842972d8a0f68df18d82d1b18ce667101609a95330aa4780529c6c835a3473951",
    "bd1a75893e8c1b1195d9117897c792594a3c2573b418f37c462300e937952a34420ba7d8745e665a32dd246d01c961f0",
    "45e243ced896c86fda8135a191b6a112f8b8ad11b02791962a72d55d55177c95d448ade6f2e986a903da323f25c88d61",
    "bb5f304d23c199363bfc70027e87ea03da95354d88dc62a506e40fbd09a279591373719d5244e5dcb624de75d354f1f7",
    "7ca9c133ba3bf85ba693f05ecc9a5ba4c5b453872ed05eb82bafb6d6979d0f8ad7e471a0352a806497d28027b554dff6",
    "c4a62d336997406ac5017a0765265aee1a08651cde0cf2b8ffac94bce612855e93ad92d2bf46bd8230a76f442934a19b",
    "4e2c0eded33a7e6d2ed03b2333e3514a86b8e557e22222ff32b6c6435e22631139e06a56b92389e2902f039ce71d1621",
];
const POSTGRES_CHECKSUMS: [&str; 8] = [
    "a6c68efb7b99882dec24d03cc2c2539febc75655e1d2e4901687a37bc2e02881e5a4b3c82cb1d4d3c6f839f73442aad4",
    "eaf85d7b15efef89a8caba1f2d162897fc6351f38e8a65b919f4c1e1bdbb19f7a3777b4686b57b870cc6276e5e0ccb95",
    "276ff51ce87db0cd3cade05eef1ac92b8e00b05b14457b48d3c54356150cec38ab0508efd35b5389409f28bb63bf2c43",
    "50e9117864d1d09e2a0e696c427b4d9b016779ff0f9bb0b3f75f24ba20e8eb3913ac117ae55e31b799e45d2701349155",
    "adb01dd61b74b63e4010fbd9c88ff8d56d3ad72e80e35cbbd900d1c0d4e5c66a41ee28a230a3e002a9dc58834da7e531",
    "6d7ce030d9847c0255a9dca33d266a36fdcd62cf6b52b0e7ed983107f836db81c262fae88c2a85952e1e2c7addf634db",
    "b8cb0d0929f4390ee28954ca939b99f4e789323d2465ee023befbad19b4dbe01b1a1bfdbb6663fa8c03b23446d63c517",
    "76976727aac5ff302790bee9fcfdb656c75bf88501cecfbbd19752f1aa0cd536c6b5a2dd6c9e56b325ec42f6d979b130",
];

/// The migrator the program built from its hand-kept list.
fn hand_kept_migrator(list: [(i64, &'static str, &'static str); 8]) -> Migrator {
    Migrator::with_migrations(
        list.iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    description.into(),
                    MigrationType::Simple,
                    SqlStr::from_static(sql),
                    false,
                )
            })
            .collect(),
    )
}

/// A database the earlier program migrated opens: sqlx compares an applied migration by
/// version and checksum, and the build script yields the same entries the hand-kept list
/// held; what it records stays as it was, and only migrations added since are applied.
async fn a_database_migrated_by_the_hand_kept_list_opens_unchanged(db: Database) {
    let backend = db.backend();
    let (list, checksums) = match backend {
        "sqlite" => (hand_kept_list!("sqlite"), SQLITE_CHECKSUMS),
        _ => (hand_kept_list!("postgres"), POSTGRES_CHECKSUMS),
    };
    db.migrate_with(&hand_kept_migrator(list)).await;
    let before = db.applied_migrations().await;
    let expected: Vec<Applied> = list
        .iter()
        .zip(checksums)
        .map(|(&(version, description, _), checksum)| Applied {
            version,
            description: description.to_owned(),
            checksum: checksum.to_owned(),
            success: true,
        })
        .collect();
    assert_eq!(before, expected, "a migration applied before was edited");
    // What the earlier program stored is there after the upgrade.
    db.execute(
        "INSERT INTO settings (key, value) VALUES ('time_zone', 'Europe/Vienna'); \
         INSERT INTO queue_settings (key, value, updated_at, updated_by) \
         VALUES ('probe', '{}', 1, 'admin')",
    )
    .await;
    if backend == "sqlite" {
        // A row SQLite let in without a key: unreachable, and left behind by the upgrade.
        db.execute("INSERT INTO settings (key, value) VALUES (NULL, 'unreachable')")
            .await;
    }

    let t = db.open().await;
    let after = t.db.applied_migrations().await;
    assert_eq!(after[..before.len()], before[..]);
    assert_eq!(after.len(), files(backend).len());
    assert!(after.iter().all(|a| a.success));
    assert_eq!(t.store.time_zone().await.expect("zone"), "Europe/Vienna");
    // Besides the rules the phone numbers were stored anew by.
    assert_eq!(
        t.db.texts("SELECT key || ' ' || value FROM settings ORDER BY key")
            .await,
        [
            format!("phone_rules {}", touchpoints_core::customer::PHONE_RULES),
            "time_zone Europe/Vienna".to_owned()
        ]
    );
    assert_eq!(
        t.db.texts("SELECT key || ' ' || value || ' ' || updated_by FROM queue_settings")
            .await,
        ["probe {} admin"]
    );
    // The store works on it.
    t.store.catalog().await.expect("catalog");
    t.store
        .set_time_zone("Europe/Berlin", "admin")
        .await
        .expect("time zone");
    t.finish().await;
}

#[tokio::test]
async fn a_database_migrated_by_the_hand_kept_list_opens_unchanged_on_sqlite() {
    a_database_migrated_by_the_hand_kept_list_opens_unchanged(Database::sqlite()).await;
}

#[tokio::test]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn a_database_migrated_by_the_hand_kept_list_opens_unchanged_on_postgres() {
    a_database_migrated_by_the_hand_kept_list_opens_unchanged(Database::postgres().await).await;
}

/// A migrator of the backend's files up to `last`, as a program of that version ran them.
fn migrator_up_to(backend: &str, last: i64) -> Migrator {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let migrations = files(backend)
        .into_iter()
        .filter(|(version, _)| *version <= last)
        .map(|(version, description)| {
            let path = folder.join(format!("{version:04}_{description}.sql"));
            let sql: &'static str = Box::leak(
                std::fs::read_to_string(&path)
                    .expect("a migration")
                    .into_boxed_str(),
            );
            Migration::new(
                version,
                description.replace('_', " ").into(),
                MigrationType::Simple,
                SqlStr::from_static(sql),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

/// Phone numbers stored by earlier rules are stored anew when the store opens: the national
/// 0 after the country code goes, an Italian number keeps its 0, and two profiles whose
/// numbers turn out to be one are merged as any merge is, recorded and undoable.
async fn phone_numbers_with_a_national_zero_are_stored_anew(db: Database) {
    db.migrate_with(&migrator_up_to(db.backend(), 20)).await;
    db.execute(
        "INSERT INTO customers (id, name, salutation, language, preferred_channel, segments, \
         attributes, consent, lifetime_value_cents, created_at, updated_at) VALUES \
         (1, 'Anna', '', '', '', '[]', '{}', '{}', 0, 1, 1), \
         (2, 'Ben', '', '', '', '[]', '{}', '{}', 0, 1, 1), \
         (3, 'Cem', '', '', '', '[]', '{}', '{}', 0, 2, 2), \
         (4, 'Dora', '', '', '', '[]', '{}', '{}', 0, 1, 1); \
         INSERT INTO customer_identifiers (customer_id, kind, value, created_at) VALUES \
         (1, 'phone', '+4901711234567', 1), \
         (2, 'phone', '+4306641234567', 1), \
         (3, 'phone', '+4901701111111', 1), \
         (3, 'email', 'cem@example.de', 1), \
         (4, 'phone', '+491701111111', 1), \
         (4, 'phone', '+390612345678', 1), \
         (4, 'customer_number', '+4901', 1)",
    )
    .await;
    let t = db.open().await;
    let identifiers = "SELECT CAST(customer_id AS TEXT) || ' ' || value FROM customer_identifiers \
                       ORDER BY customer_id, value";
    assert_eq!(
        t.db.texts(identifiers).await,
        [
            "1 +491711234567",
            "2 +436641234567",
            // Cem's number is Dora's: Dora, the older profile, holds both now.
            "4 +390612345678",
            "4 +4901",
            "4 +491701111111",
            "4 cem@example.de",
        ]
    );
    let merges = t.store.merges(4).await.expect("merges");
    assert_eq!(merges.len(), 1);
    assert_eq!(
        (
            merges[0].survivor_id,
            merges[0].absorbed_id,
            merges[0].reason.as_str()
        ),
        (4, 3, "phone number")
    );
    // Undone, Cem is a profile of his own again; the number stays with Dora, who held it.
    t.store
        .unmerge(merges[0].id, "admin")
        .await
        .expect("unmerge");
    assert_eq!(
        t.db.texts(identifiers).await,
        [
            "1 +491711234567",
            "2 +436641234567",
            "3 cem@example.de",
            "4 +390612345678",
            "4 +4901",
            "4 +491701111111",
        ]
    );
    t.finish().await;
}

#[tokio::test]
async fn phone_numbers_with_a_national_zero_are_stored_anew_on_sqlite() {
    phone_numbers_with_a_national_zero_are_stored_anew(Database::sqlite()).await;
}

#[tokio::test]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn phone_numbers_with_a_national_zero_are_stored_anew_on_postgres() {
    phone_numbers_with_a_national_zero_are_stored_anew(Database::postgres().await).await;
}
