//! The action plan in SQL, compiled once per backend like `sql.rs`: actions with their
//! touchpoints, findings and budgets, the history of their status, and who used the
//! touchpoints an action concerns.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::AssertSqlSafe;
use touchpoints_core::action_plan::{
    ActionFields, ActionKind, ActionStatus, Budget, Contacts, PlanSettings, Quarter, StatusChange,
    Target, TargetMetric,
};
use touchpoints_core::audit::Said;
use touchpoints_core::{Problem, Problems};

use super::Backend;
use super::sql::{Conn, SqlStore, corrupt, from_json_table, instant, json_rows, json_table, now};
use super::sql_audit::{audit, audit_said};
use super::sql_requests::{parse_setting, put_setting, setting};
use crate::dialect::Dialect;
use crate::error::OnViolation;
use crate::{ActionStatusEntry, Actions, Result, StoreError, StoredAction, TouchpointUsage};

const ACTION_COLUMNS: &str = "id, kind, title, goal, target_metric, target_value, target_days, \
     owner, team, person_days, start_on, due_on, status, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: i64,
    kind: String,
    title: String,
    goal: String,
    target_metric: Option<String>,
    target_value: Option<f64>,
    target_days: Option<i32>,
    owner: Option<String>,
    team: String,
    person_days: f64,
    start_on: Option<String>,
    due_on: Option<String>,
    status: String,
    created_at: i64,
    updated_at: i64,
}

/// What an action holds besides its row.
#[derive(Default)]
struct Links {
    touchpoint_ids: Vec<i64>,
    finding_ids: Vec<i64>,
    budgets: BTreeMap<Quarter, Budget>,
}

fn day(text: Option<String>) -> Result<Option<Date>> {
    text.map(|t| {
        t.parse::<Date>()
            .map_err(|e| corrupt("actions", format!("day {t}: {e}")))
    })
    .transpose()
}

fn status_of(table: &'static str, text: &str) -> Result<ActionStatus> {
    ActionStatus::parse(text).ok_or_else(|| corrupt(table, format!("status {text}")))
}

impl ActionRow {
    fn into_action(self, links: Links) -> Result<StoredAction> {
        let target = match (self.target_metric, self.target_value, self.target_days) {
            (Some(metric), Some(value), Some(days)) => Some(Target {
                metric: TargetMetric::parse(&metric)
                    .ok_or_else(|| corrupt("actions", format!("target metric {metric}")))?,
                value,
                within_days: i64::from(days),
            }),
            (None, None, None) => None,
            _ => return Err(corrupt("actions", "a target without all of its parts")),
        };
        Ok(StoredAction {
            id: self.id,
            fields: ActionFields {
                kind: ActionKind::parse(&self.kind)
                    .ok_or_else(|| corrupt("actions", format!("kind {}", self.kind)))?,
                title: self.title,
                goal: self.goal,
                target,
                owner: self.owner,
                team: self.team,
                person_days: self.person_days,
                start: day(self.start_on)?,
                due: day(self.due_on)?,
                touchpoint_ids: links.touchpoint_ids,
                finding_ids: links.finding_ids,
                budgets: links.budgets,
            },
            status: status_of("actions", &self.status)?,
            created_at: instant("actions", self.created_at)?,
            updated_at: instant("actions", self.updated_at)?,
        })
    }
}

/// The links of the actions `ids` (every action when `None`), by action.
async fn load_links(conn: &mut Conn, ids: Option<&[i64]>) -> Result<HashMap<i64, Links>> {
    // One parameter either way: the ids as a JSON batch, or none for every action.
    let (filter, batch) = match ids {
        Some(ids) => (
            format!(
                " WHERE action_id IN (SELECT CAST(batch.value AS BIGINT) FROM {})",
                Backend::JSON_VALUES
            ),
            Some(json_rows(
                ids.iter().map(|id| serde_json::json!(id)).collect(),
            )),
        ),
        None => (String::new(), None),
    };
    let mut links: HashMap<i64, Links> = HashMap::new();
    let touchpoints: Vec<(i64, i64)> = rows(
        conn,
        format!(
            "SELECT action_id, touchpoint_id FROM action_touchpoints{filter} \
             ORDER BY action_id, touchpoint_id"
        ),
        batch.as_deref(),
    )
    .await?;
    for (action, touchpoint) in touchpoints {
        links
            .entry(action)
            .or_default()
            .touchpoint_ids
            .push(touchpoint);
    }
    let findings: Vec<(i64, i64)> = rows(
        conn,
        format!(
            "SELECT action_id, finding_id FROM action_findings{filter} \
             ORDER BY action_id, finding_id"
        ),
        batch.as_deref(),
    )
    .await?;
    for (action, finding) in findings {
        links.entry(action).or_default().finding_ids.push(finding);
    }
    let budgets: Vec<(i64, String, i64, i64)> = rows(
        conn,
        format!(
            "SELECT action_id, quarter, planned_cents, spent_cents FROM action_budgets{filter}"
        ),
        batch.as_deref(),
    )
    .await?;
    for (action, quarter, planned_cents, spent_cents) in budgets {
        let quarter = quarter
            .parse::<Quarter>()
            .map_err(|e| corrupt("action_budgets", e.to_string()))?;
        links.entry(action).or_default().budgets.insert(
            quarter,
            Budget {
                planned_cents,
                spent_cents,
            },
        );
    }
    Ok(links)
}

/// The rows of `sql`, with `batch` bound as its `$1` if it has one.
async fn rows<T>(conn: &mut Conn, sql: String, batch: Option<&str>) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, <super::sql::Db as sqlx::Database>::Row> + Send + Unpin,
{
    let mut query = sqlx::query_as::<_, T>(AssertSqlSafe(sql));
    if let Some(batch) = batch {
        query = query.bind(batch.to_owned());
    }
    Ok(query.fetch_all(&mut *conn).await?)
}

async fn load_action(conn: &mut Conn, id: i64) -> Result<StoredAction> {
    let row: Option<ActionRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {ACTION_COLUMNS} FROM actions WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or(StoreError::NotFound { entity: "action" })?;
    let mut links = load_links(conn, Some(&[id])).await?;
    row.into_action(links.remove(&id).unwrap_or_default())
}

/// The status of an action, read so that no other write changes the action until the
/// transaction ends.
async fn lock_status(conn: &mut Conn, id: i64) -> Result<ActionStatus> {
    let status: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT status FROM actions WHERE id = $1{lock_row}",
        lock_row = Backend::LOCK_ROW
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    status_of(
        "actions",
        &status.ok_or(StoreError::NotFound { entity: "action" })?,
    )
}

/// Those of `ids` that `table` holds.
async fn known_ids(conn: &mut Conn, table: &'static str, ids: &[i64]) -> Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT id FROM {table} WHERE id IN (SELECT CAST(batch.value AS BIGINT) FROM {})",
        Backend::JSON_VALUES
    )))
    .bind(json_rows(
        ids.iter().map(|id| serde_json::json!(id)).collect(),
    ))
    .fetch_all(&mut *conn)
    .await?)
}

/// Reports what only the database knows as field problems: touchpoints and findings that
/// do not exist, and an owner who is no account or none that works on the plan (a viewer
/// only reads, a disabled account cannot log in).
async fn check_references(conn: &mut Conn, fields: &ActionFields) -> Result<()> {
    let mut problems = Problems::default();
    for (field, table, what, ids) in [
        (
            "touchpoint_ids",
            "touchpoints",
            "touchpoint",
            &fields.touchpoint_ids,
        ),
        ("finding_ids", "findings", "finding", &fields.finding_ids),
    ] {
        let known = known_ids(conn, table, ids).await?;
        for (i, id) in ids.iter().enumerate() {
            if !known.contains(id) {
                problems.push(
                    format!("{field}[{i}]"),
                    Problem::Invalid {
                        reason: format!("no {what} has the id {id}"),
                    },
                );
            }
        }
    }
    if let Some(owner) = &fields.owner {
        let account: Option<(String, i32)> =
            sqlx::query_as("SELECT role, disabled FROM users WHERE username = $1")
                .bind(owner)
                .fetch_optional(&mut *conn)
                .await?;
        let reason = match account {
            None => Some(format!("no account is named \"{owner}\"")),
            Some((role, disabled)) if disabled != 0 || role == "viewer" => Some(format!(
                "\"{owner}\" is no active agent, manager or admin, who alone own actions"
            )),
            Some(_) => None,
        };
        if let Some(reason) = reason {
            problems.push("owner", Problem::Invalid { reason });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(problems))
    }
}

/// A foreign-key violation of a write whose references were checked before: something was
/// deleted meanwhile (PostgreSQL, where the check does not lock what it read).
fn deleted_meanwhile(e: sqlx::Error, field: &str) -> StoreError {
    StoreError::from_violation(
        e,
        [OnViolation::foreign_key(StoreError::deleted_meanwhile(
            field,
        ))],
    )
}

/// Writes the links of action `id` anew: its touchpoints, findings and budgets.
async fn write_links(conn: &mut Conn, id: i64, fields: &ActionFields) -> Result<()> {
    for table in ["action_touchpoints", "action_findings", "action_budgets"] {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE action_id = $1"
        )))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    for (table, column, field, ids) in [
        (
            "action_touchpoints",
            "touchpoint_id",
            "touchpoint_ids",
            &fields.touchpoint_ids,
        ),
        (
            "action_findings",
            "finding_id",
            "finding_ids",
            &fields.finding_ids,
        ),
    ] {
        if ids.is_empty() {
            continue;
        }
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO {table} (action_id, {column}) \
             SELECT $2, CAST(batch.value AS BIGINT) FROM {}",
            Backend::JSON_VALUES
        )))
        .bind(json_rows(
            ids.iter().map(|id| serde_json::json!(id)).collect(),
        ))
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(|e| deleted_meanwhile(e, field))?;
    }
    for (quarter, budget) in &fields.budgets {
        sqlx::query(
            "INSERT INTO action_budgets (action_id, quarter, planned_cents, spent_cents) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(quarter.to_string())
        .bind(budget.planned_cents)
        .bind(budget.spent_cents)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The target's columns: metric, value and days, or none of them.
fn target_columns(
    fields: &ActionFields,
) -> Result<(Option<&'static str>, Option<f64>, Option<i32>)> {
    let Some(target) = &fields.target else {
        return Ok((None, None, None));
    };
    // Validated to 1 to 3,650 days; a value beyond `i32` is no input of the core's.
    let days = i32::try_from(target.within_days).map_err(|_| {
        StoreError::Invalid(Problems::single(
            "target.within_days",
            Problem::OutOfRange {
                min: 1,
                max: i64::from(i32::MAX),
            },
        ))
    })?;
    Ok((Some(target.metric.as_str()), Some(target.value), Some(days)))
}

async fn record_status(
    conn: &mut Conn,
    id: i64,
    from: Option<ActionStatus>,
    to: ActionStatus,
    actor: &str,
    at: Timestamp,
    note: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO action_status_history (action_id, from_status, to_status, actor, at, note) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(from.map(ActionStatus::as_str))
    .bind(to.as_str())
    .bind(actor)
    .bind(at.as_microsecond())
    .bind(note)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Refuses a move the status rules do not allow, naming `status`.
fn check_transition(from: ActionStatus, to: ActionStatus) -> Result<()> {
    if from.may_become(to) {
        return Ok(());
    }
    Err(StoreError::Conflict(Problems::single(
        "status",
        Problem::rule(
            "action-status",
            &format!(
                "a {} action can only be reopened as planned, not moved to {}",
                from.as_str(),
                to.as_str()
            ),
        ),
    )))
}

/// Moves action `id` from `from` to `to` (already checked): the row, its history and the
/// audit log, with what was confirmed to do so, if anything.
#[allow(clippy::too_many_arguments)]
async fn change_status(
    conn: &mut Conn,
    id: i64,
    from: ActionStatus,
    to: ActionStatus,
    note: &str,
    confirmed: Option<&str>,
    actor: &str,
    at: Timestamp,
) -> Result<()> {
    sqlx::query("UPDATE actions SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(to.as_str())
        .bind(at.as_microsecond())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    record_status(conn, id, Some(from), to, actor, at, note).await?;
    audit_said(
        conn,
        at,
        actor,
        "action.status",
        "action",
        &id.to_string(),
        &match confirmed {
            Some(confirmed) => format!("{} → {}; {confirmed}", from.as_str(), to.as_str()),
            None => format!("{} → {}", from.as_str(), to.as_str()),
        },
        &match confirmed {
            Some(confirmed) => {
                Said::new("audit-action-status-confirmed").text("confirmed", confirmed)
            }
            None => Said::new("audit-action-status"),
        }
        .label("from", format!("plan-status-{}", from.as_str()))
        .label("to", format!("plan-status-{}", to.as_str())),
    )
    .await
}

/// Inserts a new action in `status` with its links, its first history entry and its audit
/// entry; its references checked before.
async fn insert_action(
    conn: &mut Conn,
    fields: &ActionFields,
    status: ActionStatus,
    actor: &str,
    at: Timestamp,
) -> Result<i64> {
    let (metric, value, days) = target_columns(fields)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO actions (kind, title, goal, target_metric, target_value, target_days, \
         owner, team, person_days, start_on, due_on, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(fields.kind.as_str())
    .bind(&fields.title)
    .bind(&fields.goal)
    .bind(metric)
    .bind(value)
    .bind(days)
    .bind(&fields.owner)
    .bind(&fields.team)
    .bind(fields.person_days)
    .bind(fields.start.map(|d| d.to_string()))
    .bind(fields.due.map(|d| d.to_string()))
    .bind(status.as_str())
    .bind(at.as_microsecond())
    .bind(at.as_microsecond())
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| deleted_meanwhile(e, "owner"))?;
    write_links(conn, id, fields).await?;
    record_status(conn, id, None, status, actor, at, "").await?;
    audit(
        conn,
        at,
        actor,
        "action.create",
        "action",
        &id.to_string(),
        &fields.title,
    )
    .await?;
    Ok(id)
}

#[async_trait]
impl Actions for SqlStore {
    async fn actions(&self) -> Result<Vec<StoredAction>> {
        // One snapshot, so that every action comes with the links it had.
        let mut tx = self.pool.begin_with(Backend::READ_SNAPSHOT).await?;
        let rows: Vec<ActionRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {ACTION_COLUMNS} FROM actions ORDER BY id"
        )))
        .fetch_all(&mut *tx)
        .await?;
        let mut links = load_links(&mut tx, None).await?;
        tx.commit().await?;
        rows.into_iter()
            .map(|row| {
                let own = links.remove(&row.id).unwrap_or_default();
                row.into_action(own)
            })
            .collect()
    }

    async fn action(&self, id: i64) -> Result<StoredAction> {
        let mut tx = self.pool.begin_with(Backend::READ_SNAPSHOT).await?;
        let action = load_action(&mut tx, id).await?;
        tx.commit().await?;
        Ok(action)
    }

    async fn create_action(
        &self,
        fields: &ActionFields,
        status: ActionStatus,
        actor: &str,
    ) -> Result<StoredAction> {
        target_columns(fields)?;
        let mut tx = self.begin().await?;
        check_references(&mut tx, fields).await?;
        let id = insert_action(&mut tx, fields, status, actor, now()).await?;
        let action = load_action(&mut tx, id).await?;
        tx.commit().await?;
        Ok(action)
    }

    async fn create_actions(
        &self,
        actions: &[(ActionFields, ActionStatus)],
        actor: &str,
    ) -> Result<Vec<StoredAction>> {
        let in_place = |i: usize, e: StoreError| match e {
            StoreError::Invalid(p) => StoreError::Invalid(Problems(
                p.0.into_iter()
                    .map(|mut fp| {
                        fp.field = format!("actions[{i}].{}", fp.field);
                        fp
                    })
                    .collect(),
            )),
            other => other,
        };
        let mut tx = self.begin().await?;
        let at = now();
        let mut ids = Vec::with_capacity(actions.len());
        for (i, (fields, status)) in actions.iter().enumerate() {
            check_references(&mut tx, fields)
                .await
                .map_err(|e| in_place(i, e))?;
            ids.push(
                insert_action(&mut tx, fields, *status, actor, at)
                    .await
                    .map_err(|e| in_place(i, e))?,
            );
        }
        let mut links = load_links(&mut tx, Some(&ids)).await?;
        let rows: Vec<ActionRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {ACTION_COLUMNS} FROM actions WHERE id IN \
             (SELECT CAST(batch.value AS BIGINT) FROM {}) ORDER BY id",
            Backend::JSON_VALUES
        )))
        .bind(json_rows(
            ids.iter().map(|id| serde_json::json!(id)).collect(),
        ))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.into_iter()
            .map(|row| {
                let own = links.remove(&row.id).unwrap_or_default();
                row.into_action(own)
            })
            .collect()
    }

    async fn update_action(
        &self,
        id: i64,
        fields: &ActionFields,
        status: Option<ActionStatus>,
        actor: &str,
    ) -> Result<StoredAction> {
        let (metric, value, days) = target_columns(fields)?;
        let mut tx = self.begin().await?;
        let stored = lock_status(&mut tx, id).await?;
        check_references(&mut tx, fields).await?;
        let to = status.unwrap_or(stored);
        check_transition(stored, to)?;
        let at = now();
        sqlx::query(
            "UPDATE actions SET kind = $1, title = $2, goal = $3, target_metric = $4, \
             target_value = $5, target_days = $6, owner = $7, team = $8, person_days = $9, \
             start_on = $10, due_on = $11, updated_at = $12 WHERE id = $13",
        )
        .bind(fields.kind.as_str())
        .bind(&fields.title)
        .bind(&fields.goal)
        .bind(metric)
        .bind(value)
        .bind(days)
        .bind(&fields.owner)
        .bind(&fields.team)
        .bind(fields.person_days)
        .bind(fields.start.map(|d| d.to_string()))
        .bind(fields.due.map(|d| d.to_string()))
        .bind(at.as_microsecond())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| deleted_meanwhile(e, "owner"))?;
        write_links(&mut tx, id, fields).await?;
        audit(
            &mut tx,
            at,
            actor,
            "action.update",
            "action",
            &id.to_string(),
            &fields.title,
        )
        .await?;
        if to != stored {
            change_status(&mut tx, id, stored, to, "", None, actor, at).await?;
        }
        let action = load_action(&mut tx, id).await?;
        tx.commit().await?;
        Ok(action)
    }

    async fn set_action_status(
        &self,
        id: i64,
        change: &StatusChange,
        actor: &str,
    ) -> Result<StoredAction> {
        let mut tx = self.begin().await?;
        let stored = lock_status(&mut tx, id).await?;
        check_transition(stored, change.status)?;
        if change.status != stored {
            change_status(
                &mut tx,
                id,
                stored,
                change.status,
                &change.note,
                change.confirmed.as_deref(),
                actor,
                now(),
            )
            .await?;
        }
        let action = load_action(&mut tx, id).await?;
        tx.commit().await?;
        Ok(action)
    }

    async fn delete_action(&self, id: i64, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        // The links, budgets and history go with it (ON DELETE CASCADE).
        let title: Option<String> =
            sqlx::query_scalar("DELETE FROM actions WHERE id = $1 RETURNING title")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let title = title.ok_or(StoreError::NotFound { entity: "action" })?;
        audit(
            &mut tx,
            now(),
            actor,
            "action.delete",
            "action",
            &id.to_string(),
            &title,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn action_history(&self, id: i64) -> Result<Vec<ActionStatusEntry>> {
        let mut tx = self.pool.begin_with(Backend::READ_SNAPSHOT).await?;
        let known: Option<i64> = sqlx::query_scalar("SELECT id FROM actions WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(StoreError::NotFound { entity: "action" });
        }
        let rows: Vec<(i64, Option<String>, String, String, i64, String)> = sqlx::query_as(
            "SELECT id, from_status, to_status, actor, at, note FROM action_status_history \
             WHERE action_id = $1 ORDER BY id DESC",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.into_iter()
            .map(|(entry, from, to, actor, at, note)| {
                let table = "action_status_history";
                Ok(ActionStatusEntry {
                    id: entry,
                    action_id: id,
                    from: from.map(|f| status_of(table, &f)).transpose()?,
                    to: status_of(table, &to)?,
                    actor,
                    at: instant(table, at)?,
                    note,
                })
            })
            .collect()
    }

    async fn touchpoint_usage(
        &self,
        touchpoint_ids: &[i64],
        from: Timestamp,
        until: Timestamp,
    ) -> Result<TouchpointUsage> {
        if touchpoint_ids.is_empty() {
            return Ok(TouchpointUsage::default());
        }
        let batch = json_rows(
            touchpoint_ids
                .iter()
                .map(|id| serde_json::json!(id))
                .collect(),
        );
        let touchpoints = format!(
            "touchpoint_id IN (SELECT CAST(batch.value AS BIGINT) FROM {})",
            Backend::JSON_VALUES
        );
        let mut tx = self.pool.begin_with(Backend::READ_SNAPSHOT).await?;
        let (requests, request_customers): (i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT COUNT(*), COUNT(DISTINCT customer_id) FROM requests \
             WHERE {touchpoints} AND received_at >= $2 AND received_at < $3"
        )))
        .bind(&batch)
        .bind(from.as_microsecond())
        .bind(until.as_microsecond())
        .fetch_one(&mut *tx)
        .await?;
        let (answers, answer_customers): (i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT COUNT(*), COUNT(DISTINCT customer_ref) FROM responses \
             WHERE {touchpoints} AND answered_at >= $2 AND answered_at < $3"
        )))
        .bind(&batch)
        .bind(from.as_microsecond())
        .bind(until.as_microsecond())
        .fetch_one(&mut *tx)
        .await?;
        let open_requests: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM requests WHERE {touchpoints} AND status <> 'resolved'"
        )))
        .bind(&batch)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(TouchpointUsage {
            requests: count(requests),
            request_customers: count(request_customers),
            answers: count(answers),
            answer_customers: count(answer_customers),
            open_requests: count(open_requests),
        })
    }

    async fn reliance_contacts(
        &self,
        touchpoint_ids: &[i64],
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<Contacts>> {
        if touchpoint_ids.is_empty() {
            return Ok(Vec::new());
        }
        let batch = json_rows(
            touchpoint_ids
                .iter()
                .map(|id| serde_json::json!(id))
                .collect(),
        );
        let touchpoints = format!(
            "touchpoint_id IN (SELECT CAST(batch.value AS BIGINT) FROM {})",
            Backend::JSON_VALUES
        );
        // Found through the touchpoints' indexes first, then each customer's own contacts
        // through the customer's: the cost follows the retiring touchpoints' use. The rows
        // come back as one JSON table each: thousands of customers are common here.
        let contacts = |source: &str| {
            format!(
                "SELECT {} FROM ({source}) AS contacts",
                json_table("customer, touchpoint_id, n")
            )
        };
        let mut tx = self.pool.begin_with(Backend::READ_SNAPSHOT).await?;
        let requests: String = sqlx::query_scalar(AssertSqlSafe(contacts(&format!(
            "SELECT 'p' || CAST(mine.customer_id AS TEXT) AS customer, \
                 mine.touchpoint_id AS touchpoint_id, COUNT(*) AS n \
             FROM requests mine \
             WHERE mine.received_at >= $2 AND mine.received_at < $3 AND mine.customer_id IN ( \
                 SELECT customer_id FROM requests WHERE {touchpoints} \
                 AND received_at >= $2 AND received_at < $3 AND customer_id IS NOT NULL) \
             GROUP BY mine.customer_id, mine.touchpoint_id"
        ))))
        .bind(&batch)
        .bind(from.as_microsecond())
        .bind(until.as_microsecond())
        .fetch_one(&mut *tx)
        .await?;
        let answers: String = sqlx::query_scalar(AssertSqlSafe(contacts(&format!(
            "SELECT 'r' || mine.customer_ref AS customer, mine.touchpoint_id AS touchpoint_id, \
                 COUNT(*) AS n \
             FROM responses mine \
             WHERE mine.answered_at >= $2 AND mine.answered_at < $3 AND mine.customer_ref IN ( \
                 SELECT customer_ref FROM responses WHERE {touchpoints} \
                 AND answered_at >= $2 AND answered_at < $3 AND customer_ref IS NOT NULL) \
             GROUP BY mine.customer_ref, mine.touchpoint_id"
        ))))
        .bind(&batch)
        .bind(from.as_microsecond())
        .bind(until.as_microsecond())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        let requests = from_json_table::<(String, Option<i64>, i64)>("requests", &requests)?;
        let answers = from_json_table::<(String, Option<i64>, i64)>("responses", &answers)?;
        Ok(requests
            .into_iter()
            .chain(answers)
            .map(|(customer, touchpoint_id, count)| Contacts {
                customer,
                touchpoint_id,
                count: u64::try_from(count).unwrap_or(0),
            })
            .collect())
    }

    async fn members_contacts(
        &self,
        members: &[i64],
        touchpoint_ids: &[i64],
        from: Timestamp,
        until: Timestamp,
    ) -> Result<(u64, u64)> {
        if members.is_empty() {
            return Ok((0, 0));
        }
        let ids = |list: &[i64]| json_rows(list.iter().map(|id| serde_json::json!(id)).collect());
        // Each list as JSON once, bound to all four counts.
        let (members, touchpoint_ids) = (ids(members), ids(touchpoint_ids));
        let in_batch = |column: &str, n: usize| {
            format!(
                "{column} IN (SELECT CAST(batch.value AS BIGINT) FROM {})",
                Backend::JSON_VALUES.replace("$1", &format!("${n}"))
            )
        };
        let mut tx = self.pool.begin_with(Backend::READ_SNAPSHOT).await?;
        let mut counts = [0u64; 2];
        for (i, at_touchpoints) in [true, false].into_iter().enumerate() {
            let only_there = match at_touchpoints {
                true => format!("AND {}", in_batch("touchpoint_id", 4)),
                false => String::new(),
            };
            let mut total = 0;
            for sql in [
                format!(
                    "SELECT COUNT(*) FROM requests WHERE {} \
                     AND received_at >= $2 AND received_at < $3 {only_there}",
                    in_batch("customer_id", 1)
                ),
                format!(
                    "SELECT COUNT(*) FROM responses WHERE customer_ref IN ( \
                         SELECT value FROM customer_identifiers WHERE {}) \
                     AND answered_at >= $2 AND answered_at < $3 {only_there}",
                    in_batch("customer_id", 1)
                ),
            ] {
                let query = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql))
                    .bind(members.as_str())
                    .bind(from.as_microsecond())
                    .bind(until.as_microsecond());
                let query = match at_touchpoints {
                    true => query.bind(touchpoint_ids.as_str()),
                    false => query,
                };
                total += query.fetch_one(&mut *tx).await?;
            }
            counts[i] = total.unsigned_abs();
        }
        tx.commit().await?;
        Ok((counts[0], counts[1]))
    }

    async fn plan_settings(&self) -> Result<PlanSettings> {
        let mut conn = self.pool.acquire().await?;
        parse_setting(PLAN_SETTINGS, setting(&mut conn, PLAN_SETTINGS).await?)
    }

    async fn set_plan_settings(&self, settings: &PlanSettings, actor: &str) -> Result<()> {
        let text = serde_json::to_string(settings)
            .map_err(|e| corrupt("queue_settings", e.to_string()))?;
        let mut tx = self.begin().await?;
        let at = now();
        put_setting(&mut tx, PLAN_SETTINGS, &text, at, actor).await?;
        audit_said(
            &mut tx,
            at,
            actor,
            "action_plan.settings",
            "settings",
            PLAN_SETTINGS,
            &format!(
                "quick win within {} days and {} person-days; weighted target groups: {}, \
                 regions: {}",
                settings.quick_win.max_days,
                settings.quick_win.max_effort_days,
                settings.target_groups.len(),
                settings.regions.len()
            ),
            &Said::new("audit-plan-settings")
                .number("days", settings.quick_win.max_days as f64)
                .number("effort", settings.quick_win.max_effort_days)
                .number("groups", settings.target_groups.len() as f64)
                .number("regions", settings.regions.len() as f64),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The plan's settings are one JSON document among the settings of the queue's table.
const PLAN_SETTINGS: &str = "action_plan";
