//! The inventory in SQL, compiled once per backend like `sql.rs`: touchpoints with their
//! labels and history, the catalog of channels and phases, and imports.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use touchpoints_core::audit::Said;
use touchpoints_core::history::{self, Action, FieldChange, HistoryEntry};
use touchpoints_core::touchpoint::{Importance, name_key, search_text, sort_key};
use touchpoints_core::{
    Catalog, Channel, Kind, Phase, Problem, Problems, Stage, Status, Touchpoint, TouchpointFields,
    TouchpointFilter,
};

use super::Backend;
use super::sql::{
    Conn, Db, SqlStore, corrupt, from_json_table, instant, json_table, json_table_in_order, now,
};
use super::sql_audit::{audit, audit_said};
use crate::dialect::Dialect;
use crate::error::OnViolation;
use crate::{Import, ImportSummary, Inventory, Result, SchemaState, StoreError};

macro_rules! touchpoint_columns {
    () => {
        "t.id, t.name, t.description, t.channel, t.kind, t.phase, t.owner, t.status, \
         t.importance_experience, t.importance_loyalty, t.importance_referral, t.brand_fit, \
         t.notes, t.created_at, t.updated_at"
    };
}

/// A touchpoint's columns as `touchpoint_columns!` lists them, in that order (also as one
/// element of a `json_table`).
#[derive(sqlx::FromRow, serde::Deserialize)]
struct TouchpointRow {
    id: i64,
    name: String,
    description: String,
    channel: String,
    kind: String,
    phase: String,
    owner: String,
    status: String,
    importance_experience: i32,
    importance_loyalty: i32,
    importance_referral: i32,
    brand_fit: i32,
    notes: String,
    created_at: i64,
    updated_at: i64,
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct LabelRow {
    touchpoint_id: i64,
    kind: String,
    value: String,
}

/// A channel as the catalog query lists it, column by column.
#[derive(serde::Deserialize)]
struct ChannelRow {
    key: String,
    label_de: String,
    label_en: String,
    kind: String,
    position: i32,
}

/// A phase as the catalog query lists it, column by column.
#[derive(serde::Deserialize)]
struct PhaseRow {
    key: String,
    label_de: String,
    label_en: String,
    stage: String,
    position: i32,
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    touchpoint_id: i64,
    at: i64,
    actor: String,
    action: String,
    changes: String,
}

fn scale(value: i32) -> Result<u8> {
    u8::try_from(value).map_err(|_| corrupt("touchpoints", format!("scale value {value}")))
}

impl TouchpointRow {
    fn into_touchpoint(self, labels: Labels) -> Result<Touchpoint> {
        let fields = TouchpointFields {
            kind: Kind::parse(&self.kind)
                .ok_or_else(|| corrupt("touchpoints", format!("kind {}", self.kind)))?,
            status: Status::parse(&self.status)
                .ok_or_else(|| corrupt("touchpoints", format!("status {}", self.status)))?,
            importance: Importance {
                experience: scale(self.importance_experience)?,
                loyalty: scale(self.importance_loyalty)?,
                referral: scale(self.importance_referral)?,
            },
            brand_fit: scale(self.brand_fit)?,
            name: self.name,
            description: self.description,
            channel: self.channel,
            phase: self.phase,
            owner: self.owner,
            target_groups: labels.groups,
            regions: labels.regions,
            notes: self.notes,
        };
        Ok(Touchpoint {
            id: self.id,
            fields,
            created_at: instant("touchpoints", self.created_at)?,
            updated_at: instant("touchpoints", self.updated_at)?,
        })
    }
}

#[derive(Default)]
struct Labels {
    groups: Vec<String>,
    regions: Vec<String>,
}

fn group_labels(rows: Vec<LabelRow>) -> HashMap<i64, Labels> {
    let mut by_touchpoint: HashMap<i64, Labels> = HashMap::new();
    for row in rows {
        let labels = by_touchpoint.entry(row.touchpoint_id).or_default();
        match row.kind.as_str() {
            "group" => labels.groups.push(row.value),
            _ => labels.regions.push(row.value),
        }
    }
    by_touchpoint
}

/// Escapes `%`, `_` and `\` so a search word matches literally in `LIKE … ESCAPE '\'`.
fn like_pattern(word: &str) -> String {
    let mut pattern = String::with_capacity(word.len() + 2);
    pattern.push('%');
    for c in word.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The `WHERE` clause of a filter on `touchpoints t`, with its bind values in order.
fn filter_clause(filter: &TouchpointFilter) -> (String, Vec<String>) {
    let mut sql = String::from(" WHERE 1 = 1");
    let mut binds: Vec<String> = Vec::new();
    let mut bind = |sql: &mut String, template: &str, value: String| {
        binds.push(value);
        sql.push_str(&template.replace("{}", &format!("${}", binds.len())));
    };
    if let Some(channel) = &filter.channel {
        bind(&mut sql, " AND t.channel = {}", channel.clone());
    }
    if let Some(phase) = &filter.phase {
        bind(&mut sql, " AND t.phase = {}", phase.clone());
    }
    if let Some(status) = filter.status {
        bind(&mut sql, " AND t.status = {}", status.as_str().to_owned());
    }
    if let Some(kind) = filter.kind {
        bind(&mut sql, " AND t.kind = {}", kind.as_str().to_owned());
    }
    if let Some(owner) = &filter.owner {
        bind(&mut sql, " AND t.owner_key = {}", owner.to_lowercase());
    }
    for (kind, value) in [("group", &filter.group), ("region", &filter.region)] {
        if let Some(value) = value {
            bind(
                &mut sql,
                &format!(
                    " AND EXISTS (SELECT 1 FROM touchpoint_labels l WHERE l.touchpoint_id = t.id \
                     AND l.kind = '{kind}' AND l.value_key = {{}})"
                ),
                value.to_lowercase(),
            );
        }
    }
    if let Some(q) = &filter.q {
        for word in q.split_whitespace() {
            bind(
                &mut sql,
                " AND t.search_text LIKE {} ESCAPE '\\'",
                like_pattern(word),
            );
        }
    }
    (sql, binds)
}

async fn load_touchpoint(conn: &mut Conn, id: i64) -> Result<Touchpoint> {
    read_touchpoint(conn, id, "").await
}

/// Reads a touchpoint a write is about to change and keeps it locked until the transaction
/// ends: a concurrent write of the same touchpoint waits, then reads what this one wrote, so
/// that neither loses the other's change nor diffs against an old version.
async fn load_touchpoint_for_update(conn: &mut Conn, id: i64) -> Result<Touchpoint> {
    read_touchpoint(conn, id, Backend::LOCK_ROW).await
}

async fn read_touchpoint(conn: &mut Conn, id: i64, lock: &str) -> Result<Touchpoint> {
    let row: Option<TouchpointRow> = sqlx::query_as(AssertSqlSafe(format!(
        concat!(
            "SELECT ",
            touchpoint_columns!(),
            " FROM touchpoints t WHERE t.id = $1{}"
        ),
        lock
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or(StoreError::NotFound {
        entity: "touchpoint",
    })?;
    let labels: Vec<LabelRow> = sqlx::query_as(
        "SELECT touchpoint_id, kind, value FROM touchpoint_labels \
         WHERE touchpoint_id = $1 ORDER BY kind, position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let labels = group_labels(labels).remove(&id).unwrap_or_default();
    row.into_touchpoint(labels)
}

/// Reports an unknown channel or phase as a field problem rather than as the foreign-key
/// error the database would raise.
async fn check_references(conn: &mut Conn, fields: &TouchpointFields) -> Result<()> {
    for (field, table, key) in [
        ("channel", "channels", &fields.channel),
        ("phase", "phases", &fields.phase),
    ] {
        let exists: Option<i32> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT 1 FROM {table} WHERE key = $1"
        )))
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
        if exists.is_none() {
            let allowed: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT key FROM {table} ORDER BY key"
            )))
            .fetch_all(&mut *conn)
            .await?;
            return Err(StoreError::unknown(field, key, allowed));
        }
    }
    Ok(())
}

/// Turns the constraint violations a touchpoint write can meet into field problems: a unique
/// violation on the name, and a foreign-key violation when the channel or phase was deleted
/// after [`check_references`] saw it.
fn write_failed(error: sqlx::Error, fields: &TouchpointFields) -> StoreError {
    let gone = |field: &str, reason: String| {
        StoreError::Invalid(Problems::single(field, Problem::Invalid { reason }))
    };
    // PostgreSQL names the constraint (touchpoints_channel_fkey); SQLite does not.
    StoreError::from_violation(
        error,
        [
            OnViolation::unique(StoreError::duplicate("name", &fields.name)),
            OnViolation::foreign_key(gone(
                "phase",
                format!("phase \"{}\" no longer exists", fields.phase),
            ))
            .named("phase"),
            OnViolation::foreign_key(gone(
                "channel",
                format!("channel \"{}\" no longer exists", fields.channel),
            ))
            .named("channel"),
            OnViolation::foreign_key(gone(
                "channel",
                "channel or phase no longer exists".to_owned(),
            )),
        ],
    )
}

async fn write_labels(conn: &mut Conn, id: i64, fields: &TouchpointFields) -> Result<()> {
    sqlx::query("DELETE FROM touchpoint_labels WHERE touchpoint_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (kind, values) in [
        ("group", &fields.target_groups),
        ("region", &fields.regions),
    ] {
        for (position, value) in values.iter().enumerate() {
            sqlx::query(
                "INSERT INTO touchpoint_labels (touchpoint_id, kind, position, value, value_key) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(kind)
            .bind(i32::try_from(position).unwrap_or(i32::MAX))
            .bind(value)
            .bind(value.to_lowercase())
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

type Statement<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments>;

/// The touchpoint columns written by both insert and update, in this order, as `$1`…`$16`.
const FIELD_COLUMNS: [&str; 16] = [
    "name",
    "name_key",
    "sort_key",
    "description",
    "channel",
    "kind",
    "phase",
    "owner",
    "owner_key",
    "status",
    "importance_experience",
    "importance_loyalty",
    "importance_referral",
    "brand_fit",
    "notes",
    "search_text",
];

/// Binds the values of [`FIELD_COLUMNS`], with the keys derived from them.
fn bind_fields<'q>(statement: Statement<'q>, fields: &TouchpointFields) -> Statement<'q> {
    statement
        .bind(fields.name.clone())
        .bind(fields.name_key())
        .bind(sort_key(&fields.name))
        .bind(fields.description.clone())
        .bind(fields.channel.clone())
        .bind(fields.kind.as_str())
        .bind(fields.phase.clone())
        .bind(fields.owner.clone())
        .bind(fields.owner.to_lowercase())
        .bind(fields.status.as_str())
        .bind(i32::from(fields.importance.experience))
        .bind(i32::from(fields.importance.loyalty))
        .bind(i32::from(fields.importance.referral))
        .bind(i32::from(fields.brand_fit))
        .bind(fields.notes.clone())
        .bind(search_text(fields))
}

async fn insert_touchpoint(
    conn: &mut Conn,
    fields: &TouchpointFields,
    now: Timestamp,
) -> Result<i64> {
    check_references(conn, fields).await?;
    let placeholders: Vec<String> = (1..=FIELD_COLUMNS.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "INSERT INTO touchpoints ({}, created_at, updated_at) VALUES ({}, $17, $17) RETURNING id",
        FIELD_COLUMNS.join(", "),
        placeholders.join(", ")
    );
    let row = bind_fields(sqlx::query(AssertSqlSafe(sql)), fields)
        .bind(now.as_microsecond())
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| write_failed(e, fields))?;
    let id: i64 = sqlx::Row::try_get(&row, 0)?;
    write_labels(conn, id, fields).await?;
    Ok(id)
}

async fn update_row(
    conn: &mut Conn,
    id: i64,
    fields: &TouchpointFields,
    now: Timestamp,
) -> Result<()> {
    check_references(conn, fields).await?;
    let assignments: Vec<String> = FIELD_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, column)| format!("{column} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE touchpoints SET {}, updated_at = $17 WHERE id = $18",
        assignments.join(", ")
    );
    let updated = bind_fields(sqlx::query(AssertSqlSafe(sql)), fields)
        .bind(now.as_microsecond())
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(|e| write_failed(e, fields))?
        .rows_affected();
    if updated == 0 {
        return Err(StoreError::NotFound {
            entity: "touchpoint",
        });
    }
    write_labels(conn, id, fields).await
}

async fn record(
    conn: &mut Conn,
    id: i64,
    now: Timestamp,
    actor: &str,
    action: Action,
    changes: &[FieldChange],
) -> Result<()> {
    let changes =
        serde_json::to_string(changes).map_err(|e| corrupt("touchpoint_history", e.to_string()))?;
    sqlx::query(
        "INSERT INTO touchpoint_history (touchpoint_id, at, actor, action, changes) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(now.as_microsecond())
    .bind(actor)
    .bind(action.as_str())
    .bind(changes)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The history and audit entries of a new touchpoint.
async fn record_creation(
    conn: &mut Conn,
    id: i64,
    fields: &TouchpointFields,
    actor: &str,
    now: Timestamp,
) -> Result<()> {
    record(
        conn,
        id,
        now,
        actor,
        Action::Created,
        &history::created(fields),
    )
    .await?;
    let id = id.to_string();
    audit(
        conn,
        now,
        actor,
        "touchpoint.create",
        "touchpoint",
        &id,
        &fields.name,
    )
    .await
}

/// Applies new content to a stored touchpoint; returns whether anything changed.
async fn change_touchpoint(
    conn: &mut Conn,
    before: &Touchpoint,
    fields: &TouchpointFields,
    actor: &str,
    now: Timestamp,
) -> Result<bool> {
    let changes = history::diff(&before.fields, fields);
    if changes.is_empty() {
        return Ok(false);
    }
    let action = if fields.status == Status::Retired && before.fields.status != Status::Retired {
        Action::Retired
    } else {
        Action::Updated
    };
    update_row(conn, before.id, fields, now).await?;
    record(conn, before.id, now, actor, action, &changes).await?;
    let changed: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    let summary = format!("{}: {}", fields.name, changed.join(", "));
    let verb = if action == Action::Retired {
        "touchpoint.retire"
    } else {
        "touchpoint.update"
    };
    // The fields by their labels, as the touchpoint's history names them.
    let labels = changed
        .iter()
        .map(|field| format!("field-{}", field.replace(['_', '.'], "-")))
        .collect();
    audit_said(
        conn,
        now,
        actor,
        verb,
        "touchpoint",
        &before.id.to_string(),
        &summary,
        &Said::new("audit-touchpoint-changed")
            .text("name", fields.name.as_str())
            .labels("fields", labels),
    )
    .await?;
    Ok(true)
}

async fn put_channel_in(conn: &mut Conn, channel: &Channel) -> Result<()> {
    sqlx::query(
        "INSERT INTO channels (key, label_de, label_en, kind, position) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (key) DO UPDATE SET label_de = excluded.label_de, \
         label_en = excluded.label_en, kind = excluded.kind, position = excluded.position",
    )
    .bind(&channel.key)
    .bind(&channel.label_de)
    .bind(&channel.label_en)
    .bind(channel.kind.as_str())
    .bind(channel.position)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn put_phase_in(conn: &mut Conn, phase: &Phase) -> Result<()> {
    sqlx::query(
        "INSERT INTO phases (key, label_de, label_en, stage, position) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (key) DO UPDATE SET label_de = excluded.label_de, \
         label_en = excluded.label_en, stage = excluded.stage, position = excluded.position",
    )
    .bind(&phase.key)
    .bind(&phase.label_de)
    .bind(&phase.label_en)
    .bind(phase.stage.as_str())
    .bind(phase.position)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The audit entity of a catalog column: `channel` or `phase`.
fn column_entity(column: &str) -> &'static str {
    if column == "channel" {
        "channel"
    } else {
        "phase"
    }
}

impl SqlStore {
    /// The catalog as stored now.
    async fn read_catalog(&self) -> Result<Catalog> {
        // One row that holds both lists: intake reads the catalog on every call, and the
        // SQLite driver hands each row of a result over from its worker thread on its own.
        let (channels, phases): (String, String) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT (SELECT {channels} FROM channels), (SELECT {phases} FROM phases)",
            channels = json_table("key, label_de, label_en, kind, position"),
            phases = json_table("key, label_de, label_en, stage, position"),
        )))
        .fetch_one(&self.pool)
        .await?;
        let mut channels: Vec<ChannelRow> = from_json_table("channels", &channels)?;
        channels.sort_by(|a, b| (a.position, &a.key).cmp(&(b.position, &b.key)));
        let mut phases: Vec<PhaseRow> = from_json_table("phases", &phases)?;
        phases.sort_by(|a, b| (a.position, &a.key).cmp(&(b.position, &b.key)));
        let channels = channels
            .into_iter()
            .map(|r| {
                Ok(Channel {
                    kind: Kind::parse(&r.kind)
                        .ok_or_else(|| corrupt("channels", format!("kind {}", r.kind)))?,
                    key: r.key,
                    label_de: r.label_de,
                    label_en: r.label_en,
                    position: r.position,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let phases = phases
            .into_iter()
            .map(|r| {
                Ok(Phase {
                    stage: Stage::parse(&r.stage)
                        .ok_or_else(|| corrupt("phases", format!("stage {}", r.stage)))?,
                    key: r.key,
                    label_de: r.label_de,
                    label_en: r.label_en,
                    position: r.position,
                })
            })
            .collect::<Result<Vec<Phase>>>()?;
        let mut catalog = Catalog { channels, phases };
        catalog.phases = catalog.phases_in_order().into_iter().cloned().collect();
        Ok(catalog)
    }

    /// Deletes a catalog entry unless a touchpoint still uses it.
    async fn delete_catalog_entry(
        &self,
        table: &str,
        column: &str,
        key: &str,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let used: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM touchpoints WHERE {column} = $1"
        )))
        .bind(key)
        .fetch_one(&mut *tx)
        .await?;
        if used > 0 {
            return Err(StoreError::in_use("key", used.unsigned_abs()));
        }
        let deleted = sqlx::query(AssertSqlSafe(format!("DELETE FROM {table} WHERE key = $1")))
            .bind(key)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                // A touchpoint written since the count took the entry into use (PostgreSQL:
                // the foreign key's RESTRICT sees the committed row).
                StoreError::from_violation(
                    e,
                    [OnViolation::foreign_key(StoreError::in_use("key", 1))],
                )
            })?
            .rows_affected();
        if deleted == 0 {
            return Err(StoreError::NotFound {
                entity: column_entity(column),
            });
        }
        let action = format!("{column}.delete");
        audit(
            &mut tx,
            now(),
            actor,
            &action,
            column_entity(column),
            key,
            "",
        )
        .await?;
        tx.commit().await?;
        self.remembered.catalog.forget_all();
        Ok(())
    }
}

#[async_trait]
impl Inventory for SqlStore {
    fn backend(&self) -> &'static str {
        Backend::NAME
    }

    async fn schema_state(&self) -> Result<SchemaState> {
        // sqlx's bookkeeping: one row per migration tried, `success` false for one that
        // failed half-way.
        let applied: Vec<(i64, bool)> =
            sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&self.pool)
                .await?;
        let carried: Vec<i64> = Backend::MIGRATIONS.iter().map(|&(v, _, _)| v).collect();
        Ok(crate::schema_state(&carried, &applied))
    }

    async fn catalog(&self) -> Result<Catalog> {
        if let Some(catalog) = self.remembered.catalog.get(&()) {
            return Ok(catalog);
        }
        let started = self.remembered.catalog.begin();
        let catalog = self.read_catalog().await?;
        self.remembered.catalog.keep(started, (), catalog.clone());
        Ok(catalog)
    }

    async fn put_channel(&self, channel: &Channel, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        put_channel_in(&mut tx, channel).await?;
        let summary = format!(
            "{} / {} ({})",
            channel.label_de,
            channel.label_en,
            channel.kind.as_str()
        );
        audit(
            &mut tx,
            now(),
            actor,
            "channel.put",
            "channel",
            &channel.key,
            &summary,
        )
        .await?;
        tx.commit().await?;
        self.remembered.catalog.forget_all();
        Ok(())
    }

    async fn delete_channel(&self, key: &str, actor: &str) -> Result<()> {
        self.delete_catalog_entry("channels", "channel", key, actor)
            .await
    }

    async fn put_phase(&self, phase: &Phase, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        put_phase_in(&mut tx, phase).await?;
        let summary = format!(
            "{} / {} ({})",
            phase.label_de,
            phase.label_en,
            phase.stage.as_str()
        );
        audit(
            &mut tx,
            now(),
            actor,
            "phase.put",
            "phase",
            &phase.key,
            &summary,
        )
        .await?;
        tx.commit().await?;
        self.remembered.catalog.forget_all();
        Ok(())
    }

    async fn delete_phase(&self, key: &str, actor: &str) -> Result<()> {
        self.delete_catalog_entry("phases", "phase", key, actor)
            .await
    }

    async fn list_touchpoints(&self, filter: &TouchpointFilter) -> Result<Vec<Touchpoint>> {
        let (clause, binds) = filter_clause(filter);
        // Rows and labels in one statement, so that a concurrent write cannot pair a row with
        // labels of another version; each list as one row of JSON, because the SQLite driver
        // hands every row of a result over from its worker thread on its own (hundreds of
        // labels took milliseconds).
        let mut query = sqlx::query_as::<_, (String, String)>(AssertSqlSafe(format!(
            "SELECT (SELECT {rows} FROM touchpoints t{clause}), \
                    (SELECT {labels} FROM touchpoint_labels tl \
                     WHERE tl.touchpoint_id IN (SELECT t.id FROM touchpoints t{clause}))",
            rows = json_table_in_order(touchpoint_columns!(), "t.sort_key, t.name_key"),
            labels = json_table_in_order(
                "tl.touchpoint_id, tl.kind, tl.value",
                "tl.touchpoint_id, tl.kind, tl.position"
            ),
        )));
        for value in &binds {
            query = query.bind(value);
        }
        let (rows, labels) = query.fetch_one(&self.pool).await?;
        let rows: Vec<TouchpointRow> = from_json_table("touchpoints", &rows)?;
        let mut labels = group_labels(from_json_table("touchpoint_labels", &labels)?);
        rows.into_iter()
            .map(|row| {
                let own = labels.remove(&row.id).unwrap_or_default();
                row.into_touchpoint(own)
            })
            .collect()
    }

    async fn touchpoint(&self, id: i64) -> Result<Touchpoint> {
        let mut conn = self.pool.acquire().await?;
        load_touchpoint(&mut conn, id).await
    }

    async fn create_touchpoint(
        &self,
        fields: &TouchpointFields,
        actor: &str,
    ) -> Result<Touchpoint> {
        let now = now();
        let mut tx = self.begin().await?;
        let id = insert_touchpoint(&mut tx, fields, now).await?;
        record_creation(&mut tx, id, fields, actor, now).await?;
        tx.commit().await?;
        Ok(Touchpoint {
            id,
            fields: fields.clone(),
            created_at: now,
            updated_at: now,
        })
    }

    async fn update_touchpoint(
        &self,
        id: i64,
        fields: &TouchpointFields,
        actor: &str,
    ) -> Result<Touchpoint> {
        let mut tx = self.begin().await?;
        let before = load_touchpoint_for_update(&mut tx, id).await?;
        // Taken with the lock held, so that the writes of one touchpoint are in time order.
        let now = now();
        let changed = change_touchpoint(&mut tx, &before, fields, actor, now).await?;
        tx.commit().await?;
        Ok(if changed {
            Touchpoint {
                fields: fields.clone(),
                updated_at: now,
                ..before
            }
        } else {
            before
        })
    }

    async fn retire_touchpoint(&self, id: i64, actor: &str) -> Result<Touchpoint> {
        let mut tx = self.begin().await?;
        let before = load_touchpoint_for_update(&mut tx, id).await?;
        let now = now();
        let mut fields = before.fields.clone();
        fields.status = Status::Retired;
        let changed = change_touchpoint(&mut tx, &before, &fields, actor, now).await?;
        tx.commit().await?;
        Ok(if changed {
            Touchpoint {
                fields,
                updated_at: now,
                ..before
            }
        } else {
            before
        })
    }

    async fn delete_touchpoint(&self, id: i64, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let before = load_touchpoint_for_update(&mut tx, id).await?;
        // Survey answers are measurements of the past: a touchpoint that has them is retired,
        // not deleted, so that the dashboard's history stays whole.
        let answers: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE touchpoint_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if answers > 0 {
            return Err(StoreError::in_use("responses", answers.unsigned_abs()));
        }
        let now = now();
        sqlx::query("DELETE FROM touchpoints WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let gone = FieldChange {
            field: "name".into(),
            before: before.fields.name.clone(),
            after: String::new(),
        };
        record(&mut tx, id, now, actor, Action::Deleted, &[gone]).await?;
        audit(
            &mut tx,
            now,
            actor,
            "touchpoint.delete",
            "touchpoint",
            &id.to_string(),
            &before.fields.name,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn history(&self, id: i64) -> Result<Vec<HistoryEntry>> {
        let rows: Vec<HistoryRow> = sqlx::query_as(
            "SELECT touchpoint_id, at, actor, action, changes FROM touchpoint_history \
             WHERE touchpoint_id = $1 ORDER BY id DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound {
                entity: "touchpoint",
            });
        }
        rows.into_iter()
            .map(|r| {
                Ok(HistoryEntry {
                    touchpoint_id: r.touchpoint_id,
                    at: instant("touchpoint_history", r.at)?,
                    actor: r.actor,
                    action: Action::parse(&r.action).ok_or_else(|| {
                        corrupt("touchpoint_history", format!("action {}", r.action))
                    })?,
                    changes: serde_json::from_str(&r.changes)
                        .map_err(|e| corrupt("touchpoint_history", e.to_string()))?,
                })
            })
            .collect()
    }

    async fn import(&self, import: &Import, actor: &str) -> Result<ImportSummary> {
        let mut summary = ImportSummary::default();
        let mut tx = self.begin().await?;
        for channel in &import.channels {
            put_channel_in(&mut tx, channel).await?;
        }
        for phase in &import.phases {
            put_phase_in(&mut tx, phase).await?;
        }
        let mut seen: HashSet<String> = HashSet::new();
        for fields in &import.touchpoints {
            if !seen.insert(name_key(&fields.name)) {
                return Err(StoreError::duplicate("name", &fields.name));
            }
        }
        // The touchpoints to update, locked like a single update's (a touchpoint changed or
        // deleted meanwhile is seen as it is now), and in one order, by name, so that two
        // imports at once take turns instead of deadlocking.
        let mut keys: Vec<String> = seen.into_iter().collect();
        keys.sort_unstable();
        let mut existing: HashMap<String, i64> = HashMap::new();
        for key in keys {
            let id: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT id FROM touchpoints WHERE name_key = $1{lock_row}",
                lock_row = Backend::LOCK_ROW
            )))
            .bind(&key)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = id {
                existing.insert(key, id);
            }
        }
        let now = now();
        for fields in &import.touchpoints {
            match existing.get(&name_key(&fields.name)) {
                Some(&id) => {
                    let before = load_touchpoint(&mut tx, id).await?;
                    if change_touchpoint(&mut tx, &before, fields, actor, now).await? {
                        summary.updated += 1;
                    } else {
                        summary.unchanged += 1;
                    }
                }
                None => {
                    let id = insert_touchpoint(&mut tx, fields, now).await?;
                    record_creation(&mut tx, id, fields, actor, now).await?;
                    summary.created += 1;
                }
            }
        }
        let text = format!(
            "{} channels, {} phases; touchpoints: {} created, {} updated, {} unchanged",
            import.channels.len(),
            import.phases.len(),
            summary.created,
            summary.updated,
            summary.unchanged
        );
        audit_said(
            &mut tx,
            now,
            actor,
            "inventory.import",
            "touchpoint",
            "",
            &text,
            &Said::new("audit-inventory-import")
                .number("channels", import.channels.len() as f64)
                .number("phases", import.phases.len() as f64)
                .number("created", summary.created as f64)
                .number("updated", summary.updated as f64)
                .number("unchanged", summary.unchanged as f64),
        )
        .await?;
        tx.commit().await?;
        self.remembered.catalog.forget_all();
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_match_literally() {
        assert_eq!(like_pattern("50%_Rabatt"), "%50\\%\\_rabatt%");
    }

    #[test]
    fn filter_numbers_its_placeholders_in_order() {
        let filter = TouchpointFilter {
            channel: Some("phone".into()),
            group: Some("Familien".into()),
            q: Some("warte zeit".into()),
            ..TouchpointFilter::default()
        };
        let (sql, binds) = filter_clause(&filter);
        assert!(sql.contains("t.channel = $1"));
        assert!(sql.contains("l.value_key = $2"));
        assert!(sql.contains("LIKE $3") && sql.contains("LIKE $4"));
        assert_eq!(binds, ["phone", "familien", "%warte%", "%zeit%"]);
    }
}
