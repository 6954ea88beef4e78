//! Both backends' migrations build the same schema: the same tables, columns of the same
//! type family and nullability, the same primary keys and the same indexes. The SQL is
//! shared, so a column or index that one backend lacks is a bug waiting for that backend.

use std::collections::BTreeSet;

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;

use crate::harness::Database;

/// Differences the two schemas are meant to have, each with its reason, as the lines
/// [`Schema::lines`] writes: (backend that has the line, line, reason).
const DELIBERATE: &[(&str, &str, &str)] = &[];

/// What a column holds, as far as the shared SQL and its Rust types see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    Integer,
    Real,
    Text,
    Blob,
    Boolean,
    Timestamp,
    Json,
}

impl Family {
    /// A column type as SQLite declares it, by SQLite's rules of type affinity
    /// (<https://www.sqlite.org/datatype3.html#determination_of_column_affinity>), with the
    /// names of other families first.
    fn of_sqlite(declared: &str) -> Family {
        let t = declared.to_ascii_uppercase();
        match t.as_str() {
            "BOOLEAN" | "BOOL" => return Family::Boolean,
            "TIMESTAMP" | "DATETIME" | "DATE" => return Family::Timestamp,
            "JSON" | "JSONB" => return Family::Json,
            _ => {}
        }
        if t.contains("INT") {
            Family::Integer
        } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
            Family::Text
        } else if t.contains("BLOB") || t.is_empty() {
            Family::Blob
        } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
            Family::Real
        } else {
            panic!("SQLite column type {declared} has no family here yet")
        }
    }

    /// A column type as PostgreSQL's `information_schema.columns.data_type` names it.
    fn of_postgres(data_type: &str) -> Family {
        match data_type {
            "smallint" | "integer" | "bigint" => Family::Integer,
            "real" | "double precision" => Family::Real,
            "text" | "character varying" | "character" => Family::Text,
            "bytea" => Family::Blob,
            "boolean" => Family::Boolean,
            "timestamp with time zone" | "timestamp without time zone" | "date" => {
                Family::Timestamp
            }
            "json" | "jsonb" => Family::Json,
            other => panic!("PostgreSQL column type {other} has no family here yet"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    table: String,
    name: String,
    family: Family,
    nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    table: String,
    /// `None` for the index a UNIQUE constraint makes, whose name each backend makes up.
    name: Option<String>,
    /// Key columns in order; an expression as `(expression)`.
    columns: Vec<String>,
    unique: bool,
    partial: bool,
}

/// A schema as the lines it is compared by.
#[derive(Debug, Default)]
struct Schema {
    tables: BTreeSet<String>,
    columns: BTreeSet<Column>,
    /// (table, key columns in order).
    primary_keys: BTreeSet<(String, Vec<String>)>,
    indexes: BTreeSet<Index>,
}

impl Schema {
    fn lines(&self) -> BTreeSet<String> {
        let mut lines = BTreeSet::new();
        for t in &self.tables {
            lines.insert(format!("table {t}"));
        }
        for c in &self.columns {
            let null = if c.nullable { "null" } else { "not null" };
            lines.insert(format!(
                "column {}.{} {:?} {null}",
                c.table, c.name, c.family
            ));
        }
        for (table, columns) in &self.primary_keys {
            lines.insert(format!("primary key {table} ({})", columns.join(", ")));
        }
        for i in &self.indexes {
            let what = match (&i.name, i.unique) {
                (None, _) => "unique constraint".to_owned(),
                (Some(name), true) => format!("unique index {name}"),
                (Some(name), false) => format!("index {name}"),
            };
            let partial = if i.partial { " partial" } else { "" };
            lines.insert(format!(
                "{what} on {} ({}){partial}",
                i.table,
                i.columns.join(", ")
            ));
        }
        lines
    }
}

impl Database {
    /// The schema of the database, leaving out sqlx's bookkeeping of migrations.
    async fn schema(&self) -> Schema {
        match self {
            Database::Sqlite(dir) => {
                let pool = SqlitePool::connect(&Database::sqlite_url(dir))
                    .await
                    .expect("connect");
                let schema = sqlite_schema(&pool).await;
                pool.close().await;
                schema
            }
            Database::Postgres { admin, schema } => {
                let options = Database::postgres_options(admin, schema);
                let pool = PgPool::connect_with(options).await.expect("connect");
                let schema = postgres_schema(&pool).await;
                pool.close().await;
                schema
            }
        }
    }
}

async fn sqlite_schema(pool: &SqlitePool) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    for (table, sql) in tables {
        let columns: Vec<(String, String, bool, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .expect("columns");
        // SQLite keeps NULL out of a key column not declared NOT NULL in two cases only: the
        // key of a table WITHOUT ROWID, and an INTEGER PRIMARY KEY, which is the rowid.
        let without_rowid = sql.to_ascii_uppercase().contains("WITHOUT ROWID");
        let key_columns = columns.iter().filter(|c| c.3 > 0).count();
        let mut key: Vec<(i64, String)> = Vec::new();
        for (name, declared, not_null, pk) in columns {
            let rowid = !without_rowid
                && key_columns == 1
                && pk == 1
                && declared.eq_ignore_ascii_case("INTEGER");
            let kept_from_null = pk > 0 && (without_rowid || rowid);
            if pk > 0 {
                key.push((pk, name.clone()));
            }
            schema.columns.insert(Column {
                table: table.clone(),
                name,
                family: Family::of_sqlite(&declared),
                nullable: !not_null && !kept_from_null,
            });
        }
        if !key.is_empty() {
            key.sort();
            schema
                .primary_keys
                .insert((table.clone(), key.into_iter().map(|(_, c)| c).collect()));
        }
        let indexes: Vec<(String, bool, String, bool)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .expect("indexes");
        for (name, unique, origin, partial) in indexes {
            // The primary key is compared as such: SQLite makes an index for it only when
            // the key is not the rowid.
            if origin == "pk" {
                continue;
            }
            let columns: Vec<Option<String>> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(pool)
                    .await
                    .expect("index columns");
            schema.indexes.insert(Index {
                table: table.clone(),
                name: (origin != "u").then_some(name),
                columns: columns
                    .into_iter()
                    .map(|c| c.unwrap_or_else(|| "(expression)".to_owned()))
                    .collect(),
                unique,
                partial,
            });
        }
        schema.tables.insert(table);
    }
    schema
}

/// An index as `pg_index` describes it; `constraint` when a UNIQUE constraint made it.
#[derive(sqlx::FromRow)]
struct PgIndexRow {
    name: String,
    table: String,
    unique: bool,
    primary: bool,
    partial: bool,
    constraint: bool,
    columns: Vec<String>,
}

async fn postgres_schema(pool: &PgPool) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    schema.tables = tables.into_iter().collect();
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .expect("columns");
    for (table, name, data_type, nullable) in columns {
        schema.columns.insert(Column {
            table,
            name,
            family: Family::of_postgres(&data_type),
            nullable: nullable == "YES",
        });
    }
    let indexes: Vec<PgIndexRow> = sqlx::query_as(
        "SELECT i.relname::text AS name, t.relname::text AS \"table\", \
         x.indisunique AS \"unique\", x.indisprimary AS \"primary\", \
         x.indpred IS NOT NULL AS partial, \
         EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid \
                 AND c.contype = 'u') AS \"constraint\", \
         ARRAY(SELECT COALESCE(a.attname::text, '(expression)') \
               FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) \
               LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
               WHERE k.n <= x.indnkeyatts ORDER BY k.n) AS columns \
         FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace s ON s.oid = t.relnamespace \
         WHERE s.nspname = current_schema() AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .expect("indexes");
    for PgIndexRow {
        name,
        table,
        unique,
        primary,
        partial,
        constraint,
        columns,
    } in indexes
    {
        if primary {
            schema.primary_keys.insert((table, columns));
            continue;
        }
        schema.indexes.insert(Index {
            table,
            name: (!constraint).then_some(name),
            columns,
            unique,
            partial,
        });
    }
    schema
}

#[tokio::test]
#[ignore = "needs TOUCHPOINTS_TEST_POSTGRES: a PostgreSQL server (scripts/test starts one)"]
async fn both_backends_migrate_to_the_same_schema() {
    let sqlite = Database::sqlite().open().await;
    let postgres = Database::postgres().await.open().await;
    let sqlite_lines = sqlite.db.schema().await.lines();
    let postgres_lines = postgres.db.schema().await.lines();
    assert!(sqlite_lines.iter().any(|l| l.starts_with("index ")));
    assert!(sqlite_lines.iter().any(|l| l.starts_with("unique ")));

    let deliberate = |backend: &str, line: &String| {
        DELIBERATE
            .iter()
            .any(|&(b, l, _)| b == backend && l == line)
    };
    let only_sqlite: Vec<&String> = sqlite_lines
        .difference(&postgres_lines)
        .filter(|l| !deliberate("sqlite", l))
        .collect();
    let only_postgres: Vec<&String> = postgres_lines
        .difference(&sqlite_lines)
        .filter(|l| !deliberate("postgres", l))
        .collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the schemas drift apart:\nonly on SQLite:\n  {}\nonly on PostgreSQL:\n  {}",
        only_sqlite
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        only_postgres
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
    );
    // A deliberate difference that is gone is taken off the list.
    for &(backend, line, _) in DELIBERATE {
        let lines = if backend == "sqlite" {
            &sqlite_lines
        } else {
            &postgres_lines
        };
        assert!(
            lines.contains(line),
            "{line} is listed as deliberate on {backend} but is not there"
        );
    }
    sqlite.finish().await;
    postgres.finish().await;
}
