//! The audit log in SQL, compiled once per backend like `sql.rs`.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use touchpoints_core::audit::{AuditEntry, AuditFilter, Said};

use super::sql::{Conn, SqlStore, corrupt, instant, now};
use crate::{AuditLog, Result};

/// Records one change inside the caller's transaction, so the entry exists exactly when the
/// change does.
pub(super) async fn audit(
    conn: &mut Conn,
    at: Timestamp,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    summary: &str,
) -> Result<()> {
    write(conn, at, actor, action, entity, entity_id, summary, None).await
}

/// Records one change like [`audit`], with its account in the catalogue's words beside the
/// English summary.
#[allow(clippy::too_many_arguments)]
pub(super) async fn audit_said(
    conn: &mut Conn,
    at: Timestamp,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    summary: &str,
    said: &Said,
) -> Result<()> {
    let said = serde_json::to_string(said).map_err(|e| corrupt("audit_log", e.to_string()))?;
    write(
        conn,
        at,
        actor,
        action,
        entity,
        entity_id,
        summary,
        Some(said),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn write(
    conn: &mut Conn,
    at: Timestamp,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    summary: &str,
    said: Option<String>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, summary, said) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(at.as_microsecond())
    .bind(actor)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(summary)
    .bind(said)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    summary: String,
    said: Option<String>,
}

#[async_trait]
impl AuditLog for SqlStore {
    async fn record(
        &self,
        actor: &str,
        action: &str,
        entity: &str,
        entity_id: &str,
        summary: &str,
        said: Option<&Said>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        match said {
            Some(said) => {
                audit_said(
                    &mut tx,
                    now(),
                    actor,
                    action,
                    entity,
                    entity_id,
                    summary,
                    said,
                )
                .await?
            }
            None => audit(&mut tx, now(), actor, action, entity, entity_id, summary).await?,
        }
        tx.commit().await?;
        Ok(())
    }

    async fn audit_log(&self, filter: &AuditFilter, limit: u32) -> Result<Vec<AuditEntry>> {
        let mut sql = String::from(
            "SELECT id, at, actor, action, entity, entity_id, summary, said FROM audit_log \
             WHERE 1 = 1",
        );
        let mut texts: Vec<String> = Vec::new();
        let mut next = |sql: &mut String, condition: &str, value: String| {
            texts.push(value);
            sql.push_str(&condition.replace("{}", &format!("${}", texts.len())));
        };
        if let Some(actor) = &filter.actor {
            next(&mut sql, " AND actor = {}", actor.clone());
        }
        if let Some(entity) = &filter.entity {
            next(&mut sql, " AND entity = {}", entity.clone());
        }
        if let Some(action) = &filter.action {
            match action.strip_suffix('.') {
                // A prefix: compare the leading characters, which needs no LIKE escaping.
                Some(_) => next(
                    &mut sql,
                    &format!(" AND substr(action, 1, {}) = {{}}", action.chars().count()),
                    action.clone(),
                ),
                None => next(&mut sql, " AND action = {}", action.clone()),
            }
        }
        let mut numbers: Vec<i64> = Vec::new();
        for (condition, instant) in [(" AND at >= ", filter.from), (" AND at < ", filter.until)] {
            if let Some(instant) = instant {
                numbers.push(instant.as_microsecond());
                sql.push_str(&format!("{condition}${}", texts.len() + numbers.len()));
            }
        }
        sql.push_str(&format!(" ORDER BY id DESC LIMIT {limit}"));
        let mut query = sqlx::query_as::<_, AuditRow>(AssertSqlSafe(sql));
        for text in texts {
            query = query.bind(text);
        }
        for number in numbers {
            query = query.bind(number);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.id,
                    at: instant("audit_log", r.at)?,
                    actor: r.actor,
                    action: r.action,
                    entity: r.entity,
                    entity_id: r.entity_id,
                    summary: r.summary,
                    // An account the build cannot read (a newer build's) leaves the summary.
                    said: r.said.and_then(|s| serde_json::from_str(&s).ok()),
                })
            })
            .collect()
    }
}
