//! The consistency checker's data in SQL: the guideline, the content library and the
//! documented findings, compiled once per backend like `sql.rs`.

use std::collections::HashSet;

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use touchpoints_core::audit::Said;
use touchpoints_core::consistency::check::{Finding, FindingKind, Place};
use touchpoints_core::consistency::guideline::Guideline;
use touchpoints_core::consistency::library::{ContentFields, FindingStatus};
use touchpoints_core::{Problem, Problems};

use super::Backend;
use super::sql::{Conn, SqlStore, corrupt, instant, now};
use super::sql_audit::{audit, audit_said};
use crate::dialect::Dialect;
use crate::error::OnViolation;
use crate::{Library, Result, StoreError, StoredContent, StoredFinding};

#[derive(sqlx::FromRow)]
struct ContentRow {
    id: i64,
    title: String,
    channel: Option<String>,
    touchpoint_id: Option<i64>,
    url: String,
    language: String,
    body: String,
    valid_from: Option<String>,
    valid_until: Option<String>,
    updated_at: i64,
}

const CONTENT_COLUMNS: &str =
    "id, title, channel, touchpoint_id, url, language, body, valid_from, valid_until, updated_at";

/// A day stored as ISO text (`2026-12-31`).
fn day(text: Option<String>) -> Result<Option<jiff::civil::Date>> {
    text.map(|t| {
        t.parse()
            .map_err(|e: jiff::Error| corrupt("contents", e.to_string()))
    })
    .transpose()
}

impl ContentRow {
    fn into_content(self) -> Result<StoredContent> {
        Ok(StoredContent {
            id: self.id,
            fields: ContentFields {
                title: self.title,
                channel: self.channel,
                touchpoint_id: self.touchpoint_id,
                url: self.url,
                language: self.language,
                body: self.body,
                valid_from: day(self.valid_from)?,
                valid_until: day(self.valid_until)?,
            },
            updated_at: instant("contents", self.updated_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct FindingRow {
    id: i64,
    fingerprint: String,
    kind: String,
    rule: String,
    message: String,
    places: String,
    suggestion: Option<String>,
    status: String,
    status_by: Option<String>,
    first_seen: i64,
    last_seen: i64,
    current: i32,
    unlisted: i64,
    unlisted_places: i64,
}

const FINDING_COLUMNS: &str = "id, fingerprint, kind, rule, message, places, suggestion, \
                               status, status_by, first_seen, last_seen, current, unlisted, \
                               unlisted_places";

/// Current findings first, then by kind, rule and id.
const FINDING_ORDER: &str = " ORDER BY current DESC, kind, rule, id";

impl FindingRow {
    fn into_finding(self) -> Result<StoredFinding> {
        let places: Vec<Place> =
            serde_json::from_str(&self.places).map_err(|e| corrupt("findings", e.to_string()))?;
        Ok(StoredFinding {
            id: self.id,
            fingerprint: self.fingerprint,
            finding: Finding {
                kind: FindingKind::parse(&self.kind)
                    .ok_or_else(|| corrupt("findings", format!("kind {}", self.kind)))?,
                rule: self.rule,
                message: self.message,
                places,
                suggestion: self.suggestion,
                unlisted: count("unlisted", self.unlisted)?,
                unlisted_places: count("unlisted_places", self.unlisted_places)?,
            },
            status: FindingStatus::parse(&self.status)
                .ok_or_else(|| corrupt("findings", format!("status {}", self.status)))?,
            status_by: self.status_by,
            first_seen: instant("findings", self.first_seen)?,
            last_seen: instant("findings", self.last_seen)?,
            current: self.current != 0,
        })
    }
}

/// A count as a column holds it; no count of a check comes near the limit.
fn stored_count(count: usize) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// A stored count, which is never negative.
fn count(column: &str, stored: i64) -> Result<usize> {
    usize::try_from(stored).map_err(|_| corrupt("findings", format!("{column} {stored}")))
}

async fn load_content(conn: &mut Conn, id: i64) -> Result<StoredContent> {
    let row: Option<ContentRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {CONTENT_COLUMNS} FROM contents WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(StoreError::NotFound { entity: "content" })?
        .into_content()
}

async fn load_finding(conn: &mut Conn, id: i64) -> Result<StoredFinding> {
    let row: Option<FindingRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {FINDING_COLUMNS} FROM findings WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(StoreError::NotFound { entity: "finding" })?
        .into_finding()
}

async fn all_findings(conn: &mut Conn) -> Result<Vec<StoredFinding>> {
    let rows: Vec<FindingRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {FINDING_COLUMNS} FROM findings{FINDING_ORDER}"
    )))
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(FindingRow::into_finding).collect()
}

fn unknown_touchpoint(id: i64) -> StoreError {
    StoreError::Invalid(Problems::single(
        "touchpoint_id",
        Problem::Invalid {
            reason: format!("no touchpoint has the id {id}"),
        },
    ))
}

/// Reports an unknown channel or touchpoint as a field problem rather than as the
/// foreign-key error the database would raise.
async fn check_content_references(conn: &mut Conn, fields: &ContentFields) -> Result<()> {
    if let Some(channel) = &fields.channel {
        let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM channels WHERE key = $1")
            .bind(channel)
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            let allowed: Vec<String> = sqlx::query_scalar("SELECT key FROM channels ORDER BY key")
                .fetch_all(&mut *conn)
                .await?;
            return Err(StoreError::unknown("channel", channel, allowed));
        }
    }
    if let Some(id) = fields.touchpoint_id {
        let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM touchpoints WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            return Err(unknown_touchpoint(id));
        }
    }
    Ok(())
}

/// A foreign-key violation of a content write: the channel or touchpoint was deleted after
/// the check (PostgreSQL, where the check does not lock what it read).
fn content_write_error(e: sqlx::Error, fields: &ContentFields) -> StoreError {
    // PostgreSQL names the constraint (contents_touchpoint_id_fkey); SQLite does not, and
    // there the channel is the suspect when the content names one.
    let touchpoint = fields.touchpoint_id.map(unknown_touchpoint);
    let channel = fields.channel.as_ref();
    StoreError::from_violation(
        e,
        [
            touchpoint.map(|error| OnViolation::foreign_key(error).named("touchpoint")),
            channel
                .map(|c| OnViolation::foreign_key(StoreError::unknown("channel", c, Vec::new()))),
            fields
                .touchpoint_id
                .map(|id| OnViolation::foreign_key(unknown_touchpoint(id))),
        ]
        .into_iter()
        .flatten(),
    )
}

/// The parts of a finding that change between runs, as stored.
fn places_json(finding: &Finding) -> Result<String> {
    serde_json::to_string(&finding.places).map_err(|e| corrupt("findings", e.to_string()))
}

/// A stored finding this run has not seen yet that `finding` extends (see
/// [`Finding::extends`]), with its status.
async fn extended(
    conn: &mut Conn,
    finding: &Finding,
    at: Timestamp,
) -> Result<Option<(i64, String)>> {
    let candidates: Vec<(i64, String, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT id, status, places FROM findings \
         WHERE kind = $1 AND rule = $2 AND last_seen <> $3 ORDER BY id{lock_rows}",
        lock_rows = Backend::LOCK_ROW
    )))
    .bind(finding.kind.as_str())
    .bind(&finding.rule)
    .bind(at.as_microsecond())
    .fetch_all(&mut *conn)
    .await?;
    for (id, status, places) in candidates {
        let places: Vec<Place> =
            serde_json::from_str(&places).map_err(|e| corrupt("findings", e.to_string()))?;
        if finding.extends(finding.kind, &finding.rule, &places) {
            return Ok(Some((id, status)));
        }
    }
    Ok(None)
}

/// Records one finding of a run: updates the stored one with its fingerprint, or the one it
/// extends with more evidence (opening either again if it was fixed or, for more evidence,
/// accepted), or inserts it as open.
async fn sync_finding(
    conn: &mut Conn,
    finding: &Finding,
    fingerprint: &str,
    at: Timestamp,
    actor: &str,
) -> Result<()> {
    let places = places_json(finding)?;
    // Twice at most: an insert that meets a row a concurrent run inserted meanwhile updates it.
    for _ in 0..2 {
        let known: Option<(i64, String)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT id, status FROM findings WHERE fingerprint = $1{lock_row}",
            lock_row = Backend::LOCK_ROW
        )))
        .bind(fingerprint)
        .fetch_optional(&mut *conn)
        .await?;
        let (known, grown) = match known {
            Some(known) => (Some(known), false),
            None => (extended(conn, finding, at).await?, true),
        };
        if let Some((id, status)) = known {
            let reopen = status == FindingStatus::Fixed.as_str()
                || (grown && status == FindingStatus::Accepted.as_str());
            sqlx::query(
                "UPDATE findings SET fingerprint = $1, message = $2, places = $3, \
                 suggestion = $4, last_seen = $5, current = 1, unlisted = $6, \
                 unlisted_places = $7 WHERE id = $8",
            )
            .bind(fingerprint)
            .bind(&finding.message)
            .bind(&places)
            .bind(&finding.suggestion)
            .bind(at.as_microsecond())
            .bind(stored_count(finding.unlisted))
            .bind(stored_count(finding.unlisted_places))
            .bind(id)
            .execute(&mut *conn)
            .await?;
            if reopen {
                sqlx::query("UPDATE findings SET status = 'open', status_by = $1 WHERE id = $2")
                    .bind(actor)
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                let summary = if grown {
                    format!(
                        "{} {}: {status} → open, found in more places",
                        finding.kind.as_str(),
                        finding.rule
                    )
                } else {
                    format!("{} {}: fixed → open", finding.kind.as_str(), finding.rule)
                };
                audit_said(
                    conn,
                    at,
                    actor,
                    "finding.reopen",
                    "finding",
                    &id.to_string(),
                    &summary,
                    &Said::new(if grown {
                        "audit-finding-grown"
                    } else {
                        "audit-finding-reopened"
                    })
                    .label(
                        "kind",
                        format!("finding-{}", finding.kind.as_str().replace('-', "_")),
                    )
                    .text("rule", finding.rule.as_str()),
                )
                .await?;
            }
            return Ok(());
        }
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO findings (fingerprint, kind, rule, message, places, suggestion, status, \
             first_seen, last_seen, current, unlisted, unlisted_places) \
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, 1, $9, $10) \
             ON CONFLICT (fingerprint) DO NOTHING RETURNING id",
        )
        .bind(fingerprint)
        .bind(finding.kind.as_str())
        .bind(&finding.rule)
        .bind(&finding.message)
        .bind(&places)
        .bind(&finding.suggestion)
        .bind(at.as_microsecond())
        .bind(at.as_microsecond())
        .bind(stored_count(finding.unlisted))
        .bind(stored_count(finding.unlisted_places))
        .fetch_optional(&mut *conn)
        .await?;
        if inserted.is_some() {
            return Ok(());
        }
    }
    Err(corrupt(
        "findings",
        format!("fingerprint {fingerprint} neither found nor inserted"),
    ))
}

#[async_trait]
impl Library for SqlStore {
    async fn guideline(&self) -> Result<Guideline> {
        let document: Option<String> =
            sqlx::query_scalar("SELECT document FROM guideline WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        match document {
            None => Ok(Guideline::default()),
            Some(document) => {
                serde_json::from_str(&document).map_err(|e| corrupt("guideline", e.to_string()))
            }
        }
    }

    async fn put_guideline(&self, guideline: &Guideline, actor: &str) -> Result<()> {
        let document =
            serde_json::to_string(guideline).map_err(|e| corrupt("guideline", e.to_string()))?;
        let at = now();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO guideline (id, document, updated_at, updated_by) VALUES (1, $1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET document = excluded.document, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(&document)
        .bind(at.as_microsecond())
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        let summary = format!("{} facts", guideline.facts.len());
        audit_said(
            &mut tx,
            at,
            actor,
            "guideline.put",
            "guideline",
            "",
            &summary,
            &Said::new("audit-guideline").number("facts", guideline.facts.len() as f64),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn contents(&self) -> Result<Vec<StoredContent>> {
        let rows: Vec<ContentRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CONTENT_COLUMNS} FROM contents ORDER BY title_key, id"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ContentRow::into_content).collect()
    }

    async fn content(&self, id: i64) -> Result<StoredContent> {
        let mut conn = self.pool.acquire().await?;
        load_content(&mut conn, id).await
    }

    async fn put_content(
        &self,
        id: Option<i64>,
        fields: &ContentFields,
        actor: &str,
    ) -> Result<StoredContent> {
        let mut tx = self.begin().await?;
        if let Some(id) = id {
            let known: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT id FROM contents WHERE id = $1{lock_row}",
                lock_row = Backend::LOCK_ROW
            )))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if known.is_none() {
                return Err(StoreError::NotFound { entity: "content" });
            }
        }
        check_content_references(&mut tx, fields).await?;
        let at = now();
        let title_key = fields.title.to_lowercase();
        let (id, action) = match id {
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO contents (title, title_key, channel, touchpoint_id, url, \
                     language, body, created_at, updated_at, valid_from, valid_until) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(&fields.title)
                .bind(&title_key)
                .bind(&fields.channel)
                .bind(fields.touchpoint_id)
                .bind(&fields.url)
                .bind(&fields.language)
                .bind(&fields.body)
                .bind(at.as_microsecond())
                .bind(at.as_microsecond())
                .bind(fields.valid_from.map(|d| d.to_string()))
                .bind(fields.valid_until.map(|d| d.to_string()))
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| content_write_error(e, fields))?;
                (id, "content.create")
            }
            Some(id) => {
                sqlx::query(
                    "UPDATE contents SET title = $1, title_key = $2, channel = $3, \
                     touchpoint_id = $4, url = $5, language = $6, body = $7, updated_at = $8, \
                     valid_from = $10, valid_until = $11 WHERE id = $9",
                )
                .bind(&fields.title)
                .bind(&title_key)
                .bind(&fields.channel)
                .bind(fields.touchpoint_id)
                .bind(&fields.url)
                .bind(&fields.language)
                .bind(&fields.body)
                .bind(at.as_microsecond())
                .bind(id)
                .bind(fields.valid_from.map(|d| d.to_string()))
                .bind(fields.valid_until.map(|d| d.to_string()))
                .execute(&mut *tx)
                .await
                .map_err(|e| content_write_error(e, fields))?;
                (id, "content.update")
            }
        };
        audit(
            &mut tx,
            at,
            actor,
            action,
            "content",
            &id.to_string(),
            &fields.title,
        )
        .await?;
        tx.commit().await?;
        Ok(StoredContent {
            id,
            fields: fields.clone(),
            updated_at: at,
        })
    }

    async fn delete_content(&self, id: i64, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let title: Option<String> =
            sqlx::query_scalar("DELETE FROM contents WHERE id = $1 RETURNING title")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let title = title.ok_or(StoreError::NotFound { entity: "content" })?;
        // A finding about the deleted text is no longer found anywhere until a check finds it
        // again elsewhere. Places are stored as compact JSON, so the source appears exactly
        // so, closing quote included (`content/1` is not `content/12`).
        sqlx::query("UPDATE findings SET current = 0 WHERE current = 1 AND places LIKE $1")
            .bind(format!("%\"source\":\"content/{id}\"%"))
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            now(),
            actor,
            "content.delete",
            "content",
            &id.to_string(),
            &title,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn sync_findings(&self, findings: &[Finding], actor: &str) -> Result<Vec<StoredFinding>> {
        let mut tx = self.begin().await?;
        // Marks every finding not current first; those found again become current below. On
        // PostgreSQL this also locks the current findings, so that two runs take turns.
        sqlx::query("UPDATE findings SET current = 0 WHERE current = 1")
            .execute(&mut *tx)
            .await?;
        let at = now();
        let mut seen: HashSet<String> = HashSet::new();
        for finding in findings {
            let fingerprint = finding.fingerprint();
            if seen.insert(fingerprint.clone()) {
                sync_finding(&mut tx, finding, &fingerprint, at, actor).await?;
            }
        }
        // A finding another run made current while this one waited for the first update (on
        // PostgreSQL) was not found by this run.
        sqlx::query("UPDATE findings SET current = 0 WHERE current = 1 AND last_seen <> $1")
            .bind(at.as_microsecond())
            .execute(&mut *tx)
            .await?;
        let all = all_findings(&mut tx).await?;
        tx.commit().await?;
        Ok(all)
    }

    async fn findings(&self) -> Result<Vec<StoredFinding>> {
        let mut conn = self.pool.acquire().await?;
        all_findings(&mut conn).await
    }

    async fn set_finding_status(
        &self,
        id: i64,
        status: FindingStatus,
        actor: &str,
    ) -> Result<StoredFinding> {
        let mut tx = self.begin().await?;
        let before: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT status FROM findings WHERE id = $1{lock_row}",
            lock_row = Backend::LOCK_ROW
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let before = before.ok_or(StoreError::NotFound { entity: "finding" })?;
        sqlx::query("UPDATE findings SET status = $1, status_by = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(actor)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let summary = format!("{before} → {}", status.as_str());
        audit(
            &mut tx,
            now(),
            actor,
            "finding.status",
            "finding",
            &id.to_string(),
            &summary,
        )
        .await?;
        let finding = load_finding(&mut tx, id).await?;
        tx.commit().await?;
        Ok(finding)
    }
}
