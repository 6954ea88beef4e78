//! Service standards, stories and recorded interactions in SQL, compiled once per backend like
//! `sql.rs`.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use touchpoints_core::audit::Said;
use touchpoints_core::standards::{Interaction, Measure};
use touchpoints_core::{Problem, Problems};

use super::Backend;
use super::sql::{Conn, SqlStore, corrupt, instant, now};
use super::sql_audit::{audit, audit_said};
use super::sql_requests::QUEUE_INTERACTION;
use crate::dialect::Dialect;
use crate::error::OnViolation;
use crate::{
    Example, ImportSummary, InteractionInput, Result, StandardFields, Standards, StoreError,
    StoredInteraction, StoredStandard, StoredStory, StoryFields,
};

#[derive(sqlx::FromRow)]
struct StandardRow {
    id: i64,
    title: String,
    text: String,
    mandatory: i32,
    touchpoint_id: Option<i64>,
    channel: Option<String>,
    measure: Option<String>,
    created_at: i64,
    updated_at: i64,
}

const STANDARD_COLUMNS: &str =
    "id, title, text, mandatory, touchpoint_id, channel, measure, created_at, updated_at";

impl StandardRow {
    fn into_standard(self) -> Result<StoredStandard> {
        let measure = self
            .measure
            .map(|m| serde_json::from_str::<Measure>(&m))
            .transpose()
            .map_err(|e| corrupt("standards", format!("measure: {e}")))?;
        Ok(StoredStandard {
            id: self.id,
            fields: StandardFields {
                title: self.title,
                text: self.text,
                mandatory: self.mandatory != 0,
                touchpoint_id: self.touchpoint_id,
                channel: self.channel,
                measure,
            },
            created_at: instant("standards", self.created_at)?,
            updated_at: instant("standards", self.updated_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct StoryRow {
    id: i64,
    touchpoint_id: i64,
    title: String,
    text: String,
    example: String,
    standard_id: Option<i64>,
    created_by: String,
    created_at: i64,
}

const STORY_COLUMNS: &str =
    "id, touchpoint_id, title, text, example, standard_id, created_by, created_at";

impl StoryRow {
    fn into_story(self) -> Result<StoredStory> {
        Ok(StoredStory {
            id: self.id,
            fields: StoryFields {
                touchpoint_id: self.touchpoint_id,
                title: self.title,
                text: self.text,
                example: Example::parse(&self.example)
                    .ok_or_else(|| corrupt("stories", format!("example {}", self.example)))?,
                standard_id: self.standard_id,
            },
            created_by: self.created_by,
            created_at: instant("stories", self.created_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct InteractionRow {
    id: i64,
    external_id: Option<String>,
    touchpoint_id: Option<i64>,
    channel: String,
    customer_name: Option<String>,
    received_at: i64,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    reply: String,
}

impl InteractionRow {
    fn into_interaction(self) -> Result<StoredInteraction> {
        let optional = |v: Option<i64>| v.map(|m| instant("interactions", m)).transpose();
        Ok(StoredInteraction {
            external_id: self.external_id,
            interaction: Interaction {
                id: self.id,
                touchpoint: self.touchpoint_id,
                channel: self.channel,
                customer_name: self.customer_name,
                received_at: instant("interactions", self.received_at)?,
                first_response_at: optional(self.first_response_at)?,
                resolved_at: optional(self.resolved_at)?,
                reply: self.reply,
            },
        })
    }
}

fn unknown_reference(field: &str, what: &str, id: i64) -> StoreError {
    StoreError::Invalid(Problems::single(
        field,
        Problem::Invalid {
            reason: format!("no {what} has the id {id}"),
        },
    ))
}

async fn channel_keys(conn: &mut Conn) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT key FROM channels ORDER BY key")
        .fetch_all(&mut *conn)
        .await?)
}

async fn exists(conn: &mut Conn, sql: &'static str, id: i64) -> Result<bool> {
    let found: Option<i32> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

async fn touchpoint_exists(conn: &mut Conn, id: i64) -> Result<bool> {
    exists(conn, "SELECT 1 FROM touchpoints WHERE id = $1", id).await
}

/// Reports an unknown channel or touchpoint as a field problem rather than as the
/// foreign-key error the database would raise.
async fn check_standard_references(conn: &mut Conn, fields: &StandardFields) -> Result<()> {
    if let Some(channel) = &fields.channel {
        let keys = channel_keys(conn).await?;
        if !keys.contains(channel) {
            return Err(StoreError::unknown("channel", channel, keys));
        }
    }
    if let Some(id) = fields.touchpoint_id
        && !touchpoint_exists(conn, id).await?
    {
        return Err(unknown_reference("touchpoint_id", "touchpoint", id));
    }
    Ok(())
}

/// A foreign-key violation of a write whose references were checked before: something was
/// deleted meanwhile (PostgreSQL, where the check does not lock what it read).
fn reference_error(e: sqlx::Error, field: &str) -> StoreError {
    StoreError::from_violation(
        e,
        [OnViolation::foreign_key(StoreError::deleted_meanwhile(
            field,
        ))],
    )
}

fn measure_json(fields: &StandardFields) -> Result<Option<String>> {
    fields
        .measure
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| corrupt("standards", e.to_string()))
}

async fn load_standard(conn: &mut Conn, id: i64) -> Result<StoredStandard> {
    let row: Option<StandardRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {STANDARD_COLUMNS} FROM standards WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(StoreError::NotFound { entity: "standard" })?
        .into_standard()
}

#[async_trait]
impl Standards for SqlStore {
    async fn standards(&self) -> Result<Vec<StoredStandard>> {
        let rows: Vec<StandardRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {STANDARD_COLUMNS} FROM standards ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await?;
        let mut standards = rows
            .into_iter()
            .map(StandardRow::into_standard)
            .collect::<Result<Vec<_>>>()?;
        // The key is computed here: SQLite's lower() folds ASCII only.
        standards.sort_by_cached_key(|s| (s.fields.title.to_lowercase(), s.id));
        Ok(standards)
    }

    async fn create_standard(
        &self,
        fields: &StandardFields,
        actor: &str,
    ) -> Result<StoredStandard> {
        let measure = measure_json(fields)?;
        let mut tx = self.begin().await?;
        check_standard_references(&mut tx, fields).await?;
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO standards (title, text, mandatory, touchpoint_id, channel, measure, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&fields.title)
        .bind(&fields.text)
        .bind(i32::from(fields.mandatory))
        .bind(fields.touchpoint_id)
        .bind(&fields.channel)
        .bind(&measure)
        .bind(at.as_microsecond())
        .bind(at.as_microsecond())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| reference_error(e, "touchpoint_id"))?;
        audit(
            &mut tx,
            at,
            actor,
            "standard.create",
            "standard",
            &id.to_string(),
            &fields.title,
        )
        .await?;
        tx.commit().await?;
        Ok(StoredStandard {
            id,
            fields: fields.clone(),
            created_at: at,
            updated_at: at,
        })
    }

    async fn update_standard(
        &self,
        id: i64,
        fields: &StandardFields,
        actor: &str,
    ) -> Result<StoredStandard> {
        let measure = measure_json(fields)?;
        let mut tx = self.begin().await?;
        let known: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT id FROM standards WHERE id = $1{lock_row}",
            lock_row = Backend::LOCK_ROW
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if known.is_none() {
            return Err(StoreError::NotFound { entity: "standard" });
        }
        check_standard_references(&mut tx, fields).await?;
        let at = now();
        sqlx::query(
            "UPDATE standards SET title = $1, text = $2, mandatory = $3, touchpoint_id = $4, \
             channel = $5, measure = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(&fields.title)
        .bind(&fields.text)
        .bind(i32::from(fields.mandatory))
        .bind(fields.touchpoint_id)
        .bind(&fields.channel)
        .bind(&measure)
        .bind(at.as_microsecond())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| reference_error(e, "touchpoint_id"))?;
        audit(
            &mut tx,
            at,
            actor,
            "standard.update",
            "standard",
            &id.to_string(),
            &fields.title,
        )
        .await?;
        let standard = load_standard(&mut tx, id).await?;
        tx.commit().await?;
        Ok(standard)
    }

    async fn delete_standard(&self, id: i64, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let title: Option<String> =
            sqlx::query_scalar("DELETE FROM standards WHERE id = $1 RETURNING title")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let title = title.ok_or(StoreError::NotFound { entity: "standard" })?;
        audit(
            &mut tx,
            now(),
            actor,
            "standard.delete",
            "standard",
            &id.to_string(),
            &title,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn stories(&self) -> Result<Vec<StoredStory>> {
        let rows: Vec<StoryRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {STORY_COLUMNS} FROM stories ORDER BY created_at DESC, id DESC"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(StoryRow::into_story).collect()
    }

    async fn create_story(&self, fields: &StoryFields, actor: &str) -> Result<StoredStory> {
        let mut tx = self.begin().await?;
        if !touchpoint_exists(&mut tx, fields.touchpoint_id).await? {
            return Err(unknown_reference(
                "touchpoint_id",
                "touchpoint",
                fields.touchpoint_id,
            ));
        }
        if let Some(standard) = fields.standard_id
            && !exists(&mut tx, "SELECT 1 FROM standards WHERE id = $1", standard).await?
        {
            return Err(unknown_reference("standard_id", "standard", standard));
        }
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO stories (touchpoint_id, title, text, example, standard_id, created_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(fields.touchpoint_id)
        .bind(&fields.title)
        .bind(&fields.text)
        .bind(fields.example.as_str())
        .bind(fields.standard_id)
        .bind(actor)
        .bind(at.as_microsecond())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| reference_error(e, "touchpoint_id"))?;
        let summary = format!("{} ({})", fields.title, fields.example.as_str());
        audit_said(
            &mut tx,
            at,
            actor,
            "story.create",
            "story",
            &id.to_string(),
            &summary,
            &Said::new("audit-story")
                .text("title", fields.title.as_str())
                .label(
                    "example",
                    format!("story-example-{}", fields.example.as_str()),
                ),
        )
        .await?;
        tx.commit().await?;
        Ok(StoredStory {
            id,
            fields: fields.clone(),
            created_by: actor.to_owned(),
            created_at: at,
        })
    }

    async fn delete_story(&self, id: i64, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let title: Option<String> =
            sqlx::query_scalar("DELETE FROM stories WHERE id = $1 RETURNING title")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let title = title.ok_or(StoreError::NotFound { entity: "story" })?;
        audit(
            &mut tx,
            now(),
            actor,
            "story.delete",
            "story",
            &id.to_string(),
            &title,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn record_interactions(
        &self,
        interactions: &[InteractionInput],
        actor: &str,
    ) -> Result<ImportSummary> {
        let mut tx = self.begin().await?;
        let keys = channel_keys(&mut tx).await?;
        let mut problems = Problems::default();
        for (row, input) in interactions.iter().enumerate() {
            if !keys.contains(&input.channel) {
                problems.push(
                    format!("[{row}].channel"),
                    Problem::Unknown {
                        value: input.channel.clone(),
                        allowed: keys.clone(),
                    },
                );
            }
            // The queue keeps its answered requests under these ids.
            if input
                .external_id
                .as_deref()
                .is_some_and(|e| e.starts_with(QUEUE_INTERACTION))
            {
                problems.push(
                    format!("[{row}].external_id"),
                    Problem::Invalid {
                        reason: format!("\"{QUEUE_INTERACTION}\" is kept for the queue's requests"),
                    },
                );
            }
            if let Some(id) = input.touchpoint_id
                && !touchpoint_exists(&mut tx, id).await?
            {
                problems.push(
                    format!("[{row}].touchpoint_id"),
                    Problem::Invalid {
                        reason: format!("no touchpoint has the id {id}"),
                    },
                );
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let mut summary = ImportSummary::default();
        for input in interactions {
            let known: Option<i64> = match &input.external_id {
                Some(external) => {
                    sqlx::query_scalar(AssertSqlSafe(format!(
                        "SELECT id FROM interactions WHERE external_id = $1{lock_row}",
                        lock_row = Backend::LOCK_ROW
                    )))
                    .bind(external)
                    .fetch_optional(&mut *tx)
                    .await?
                }
                None => None,
            };
            let micros = |t: Option<Timestamp>| t.map(Timestamp::as_microsecond);
            match known {
                Some(id) => {
                    sqlx::query(
                        "UPDATE interactions SET touchpoint_id = $1, channel = $2, \
                         customer_name = $3, received_at = $4, first_response_at = $5, \
                         resolved_at = $6, reply = $7 WHERE id = $8",
                    )
                    .bind(input.touchpoint_id)
                    .bind(&input.channel)
                    .bind(&input.customer_name)
                    .bind(input.received_at.as_microsecond())
                    .bind(micros(input.first_response_at))
                    .bind(micros(input.resolved_at))
                    .bind(&input.reply)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| reference_error(e, "touchpoint_id"))?;
                    summary.updated += 1;
                }
                None => {
                    sqlx::query(
                        "INSERT INTO interactions (external_id, touchpoint_id, channel, \
                         customer_name, received_at, first_response_at, resolved_at, reply) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(&input.external_id)
                    .bind(input.touchpoint_id)
                    .bind(&input.channel)
                    .bind(&input.customer_name)
                    .bind(input.received_at.as_microsecond())
                    .bind(micros(input.first_response_at))
                    .bind(micros(input.resolved_at))
                    .bind(&input.reply)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| {
                        StoreError::from_violation(
                            e,
                            [
                                OnViolation::unique(StoreError::duplicate(
                                    "external_id",
                                    input.external_id.as_deref().unwrap_or(""),
                                )),
                                OnViolation::foreign_key(StoreError::deleted_meanwhile(
                                    "touchpoint_id",
                                )),
                            ],
                        )
                    })?;
                    summary.created += 1;
                }
            }
        }
        let text = format!(
            "{} interactions ({} created, {} updated)",
            interactions.len(),
            summary.created,
            summary.updated
        );
        audit_said(
            &mut tx,
            now(),
            actor,
            "interactions.import",
            "interaction",
            "",
            &text,
            &Said::new("audit-interactions-imported")
                .number("count", interactions.len() as f64)
                .number("created", summary.created as f64)
                .number("updated", summary.updated as f64),
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }

    async fn interactions(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<StoredInteraction>> {
        let rows: Vec<InteractionRow> = sqlx::query_as(
            "SELECT id, external_id, touchpoint_id, channel, customer_name, received_at, \
             first_response_at, resolved_at, reply FROM interactions \
             WHERE received_at >= $1 AND received_at < $2 ORDER BY received_at, id",
        )
        .bind(from.as_microsecond())
        .bind(until.as_microsecond())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(InteractionRow::into_interaction)
            .collect()
    }
}
