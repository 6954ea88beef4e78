//! Customer requests, the queue and its rules in SQL, compiled once per backend like
//! `sql.rs`. Intake (`sql_intake.rs`) writes a whole batch in one transaction; each request is
//! planned (due times, rank key) when it is written, so that the queue is read in index order.

use std::collections::HashMap;

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use touchpoints_core::audit::Said;
use touchpoints_core::queue::{QueueOptions, SlaPolicy, default_calendar};
use touchpoints_core::queue_stats::ResponseRecord;
use touchpoints_core::request::{NewRequest, Priority, RequestAction, RequestStatus};
use touchpoints_core::webhook::Event;
use touchpoints_core::{Problem, Problems};

use super::Backend;
use super::sql::{
    Conn, GroupWrite, SqlStore, corrupt, from_json_table, instant, json_rows, json_table,
    json_table_in_order, now, select_column,
};
use super::sql_audit::{audit, audit_said};
use super::sql_customers::customer_signals;
use crate::dialect::Dialect;
use crate::error::OnViolation;
use crate::plan::{Calendar, Facts, Plan, Rules, Weights, plan};
use crate::{
    IntakeOutcome, QueueFilter, QueueSettings, QueueView, ReplyRecord, RequestMessage, Requests,
    Result, SourceMapping, StepWith, StoreError, StoredRequest, TargetCount,
};

pub(super) const REQUEST_COLUMNS: &str = "id, external_id, channel, touchpoint_id, source, customer_id, \
     customer_name, subject, body, language, priority, status, assignee, received_at, \
     first_response_at, resolved_at, first_response_due, resolution_due, next_due, pauses, \
     static_points, rank_key, earlier_contacts, updated_at, response_id";

#[derive(sqlx::FromRow)]
pub(super) struct RequestRow {
    pub(super) id: i64,
    pub(super) external_id: Option<String>,
    pub(super) channel: String,
    pub(super) touchpoint_id: Option<i64>,
    pub(super) source: String,
    pub(super) customer_id: Option<i64>,
    pub(super) customer_name: String,
    pub(super) subject: String,
    pub(super) body: String,
    pub(super) language: String,
    pub(super) priority: String,
    pub(super) status: String,
    pub(super) assignee: Option<String>,
    pub(super) received_at: i64,
    pub(super) first_response_at: Option<i64>,
    pub(super) resolved_at: Option<i64>,
    pub(super) first_response_due: Option<i64>,
    pub(super) resolution_due: Option<i64>,
    pub(super) next_due: Option<i64>,
    pub(super) pauses: String,
    pub(super) static_points: f64,
    pub(super) rank_key: i64,
    pub(super) earlier_contacts: i64,
    pub(super) updated_at: i64,
    pub(super) response_id: Option<i64>,
}

/// The columns of a [`RecordRow`].
const RECORD_COLUMNS: &str = "channel, touchpoint_id, received_at, first_response_at, \
     resolved_at, first_response_due, resolution_due, id";

/// A request as the statistics read it: a row, or an element of a [`json_table`] of
/// [`RECORD_COLUMNS`].
#[derive(sqlx::FromRow, serde::Deserialize)]
struct RecordRow {
    channel: String,
    touchpoint_id: Option<i64>,
    received_at: i64,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    first_response_due: Option<i64>,
    resolution_due: Option<i64>,
    /// Orders requests received at the same moment.
    id: i64,
}

impl RecordRow {
    fn into_record(self) -> Result<ResponseRecord> {
        Ok(ResponseRecord {
            channel: self.channel,
            touchpoint_id: self.touchpoint_id,
            received_at: instant("requests", self.received_at)?,
            first_response_at: optional(self.first_response_at)?,
            resolved_at: optional(self.resolved_at)?,
            first_response_due: optional(self.first_response_due)?,
            resolution_due: optional(self.resolution_due)?,
        })
    }
}

/// The rows of a [`json_table`] of [`RECORD_COLUMNS`], in the order received: an aggregate
/// keeps no order of its own.
fn from_records(table: &str) -> Result<Vec<ResponseRecord>> {
    let mut rows = from_json_table::<RecordRow>("requests", table)?;
    rows.sort_unstable_by_key(|r| (r.received_at, r.id));
    rows.into_iter().map(RecordRow::into_record).collect()
}

fn optional(micros: Option<i64>) -> Result<Option<Timestamp>> {
    micros.map(|m| instant("requests", m)).transpose()
}

pub(super) fn micros(at: Option<Timestamp>) -> Option<i64> {
    at.map(Timestamp::as_microsecond)
}

impl RequestRow {
    fn into_request(self) -> Result<StoredRequest> {
        let pauses: Vec<(i64, Option<i64>)> = serde_json::from_str(&self.pauses)
            .map_err(|e| corrupt("requests", format!("pauses: {e}")))?;
        let pauses = pauses
            .into_iter()
            .map(|(from, until)| Ok((instant("requests", from)?, optional(until)?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(StoredRequest {
            id: self.id,
            external_id: self.external_id,
            channel: self.channel,
            touchpoint_id: self.touchpoint_id,
            source: self.source,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            subject: self.subject,
            body: self.body,
            language: self.language,
            priority: Priority::parse(&self.priority)
                .ok_or_else(|| corrupt("requests", format!("priority {}", self.priority)))?,
            status: RequestStatus::parse(&self.status)
                .ok_or_else(|| corrupt("requests", format!("status {}", self.status)))?,
            assignee: self.assignee,
            received_at: instant("requests", self.received_at)?,
            first_response_at: optional(self.first_response_at)?,
            resolved_at: optional(self.resolved_at)?,
            first_response_due: optional(self.first_response_due)?,
            resolution_due: optional(self.resolution_due)?,
            next_due: optional(self.next_due)?,
            pauses,
            static_points: self.static_points,
            rank_key: self.rank_key,
            earlier_contacts: self.earlier_contacts,
            response_id: self.response_id,
            updated_at: instant("requests", self.updated_at)?,
        })
    }
}

fn pauses_json(pauses: &[(Timestamp, Option<Timestamp>)]) -> Result<String> {
    let raw: Vec<(i64, Option<i64>)> = pauses
        .iter()
        .map(|(from, until)| (from.as_microsecond(), micros(*until)))
        .collect();
    serde_json::to_string(&raw).map_err(|e| corrupt("requests", e.to_string()))
}

pub(super) async fn setting(conn: &mut Conn, key: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM queue_settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

pub(super) async fn put_setting(
    conn: &mut Conn,
    key: &str,
    value: &str,
    at: Timestamp,
    actor: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO queue_settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by",
    )
    .bind(key)
    .bind(value)
    .bind(at.as_microsecond())
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(super) fn parse_setting<T: serde::de::DeserializeOwned + Default>(
    key: &str,
    value: Option<String>,
) -> Result<T> {
    match value {
        None => Ok(T::default()),
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| corrupt("queue_settings", format!("{key}: {e}"))),
    }
}

/// The queue's settings as one column of one row, each a row of JSON (see [`json_table`]):
/// the driver hands each row of a result over from the connection's thread on its own, and
/// the intakes and steps of a group commit, whose writer is what bounds single writes on
/// SQLite, read these lists every time.
pub(super) fn settings_column() -> String {
    format!(
        "(SELECT {} FROM queue_settings WHERE key IN ('calendar', 'weights', 'options'))",
        json_table("key, value")
    )
}

/// The response-time targets as one column of one row, as [`settings_column`].
pub(super) fn policies_column() -> String {
    format!(
        "(SELECT {} FROM sla_policies)",
        json_table_in_order(
            "channel, priority, first_response_minutes, resolution_minutes, around_the_clock",
            "channel, priority"
        )
    )
}

fn settings_from(rows: &str) -> Result<QueueSettings> {
    let mut rows: HashMap<String, String> =
        from_json_table::<(String, String)>("queue_settings", rows)?
            .into_iter()
            .collect();
    let calendar: Calendar = match rows.remove("calendar") {
        None => default_calendar(),
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| corrupt("queue_settings", format!("calendar: {e}")))?,
    };
    let weights: Weights = parse_setting("weights", rows.remove("weights"))?;
    let options: QueueOptions = parse_setting("options", rows.remove("options"))?;
    Ok(QueueSettings {
        calendar,
        weights,
        options,
    })
}

fn policies_from(rows: &str) -> Result<Vec<SlaPolicy>> {
    from_json_table::<(String, String, i64, i64, i64)>("sla_policies", rows)?
        .into_iter()
        .map(|(channel, priority, first, resolution, around_the_clock)| {
            Ok(SlaPolicy {
                priority: Priority::parse(&priority)
                    .ok_or_else(|| corrupt("sla_policies", format!("priority {priority}")))?,
                channel,
                first_response_minutes: first,
                resolution_minutes: resolution,
                around_the_clock: around_the_clock != 0,
            })
        })
        .collect()
}

async fn load_settings(conn: &mut Conn) -> Result<QueueSettings> {
    settings_from(&select_column(conn, &settings_column()).await?)
}

async fn load_policies(conn: &mut Conn) -> Result<Vec<SlaPolicy>> {
    policies_from(&select_column(conn, &policies_column()).await?)
}

/// The settings and targets a request is planned by, read by one statement.
pub(super) async fn load_rules(conn: &mut Conn) -> Result<Rules> {
    let (settings, policies): (String, String) = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {}, {}",
        settings_column(),
        policies_column()
    )))
    .fetch_one(&mut *conn)
    .await?;
    rules_from(&settings, &policies)
}

/// The rules from what [`settings_column`] and [`policies_column`] read.
pub(super) fn rules_from(settings: &str, policies: &str) -> Result<Rules> {
    let settings = settings_from(settings)?;
    Ok(Rules {
        policies: policies_from(policies)?,
        calendar: settings.calendar,
        weights: settings.weights,
    })
}

async fn load_request(conn: &mut Conn, id: i64, lock: bool) -> Result<StoredRequest> {
    let lock = if lock { Backend::LOCK_ROW } else { "" };
    let row: Option<RequestRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {REQUEST_COLUMNS} FROM requests WHERE id = $1{lock}"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(StoreError::NotFound { entity: "request" })?
        .into_request()
}

/// Plans a stored request under `rules`, with its customer's current signals.
async fn replan(conn: &mut Conn, rules: &Rules, r: &StoredRequest) -> Result<Plan> {
    let (ltv, segments) = match r.customer_id {
        Some(id) => customer_signals(conn, id).await?,
        None => (0, Vec::new()),
    };
    Ok(plan(
        rules,
        &Facts {
            channel: &r.channel,
            priority: r.priority,
            status: r.status,
            received_at: r.received_at,
            first_response_at: r.first_response_at,
            pauses: &r.pauses,
            lifetime_value_cents: ltv,
            segments: &segments,
            subject: &r.subject,
            body: &r.body,
            language: &r.language,
            earlier_contacts: r.earlier_contacts,
        },
    ))
}

async fn write_plan(conn: &mut Conn, id: i64, p: &Plan) -> Result<()> {
    sqlx::query(
        "UPDATE requests SET first_response_due = $1, resolution_due = $2, next_due = $3, \
         static_points = $4, rank_key = $5 WHERE id = $6",
    )
    .bind(micros(p.first_response_due))
    .bind(micros(p.resolution_due))
    .bind(micros(p.next_due))
    .bind(p.static_points)
    .bind(p.rank_key)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Plans every open request anew, in the caller's transaction: after the rules changed.
async fn replan_open(conn: &mut Conn) -> Result<u64> {
    let rules = load_rules(conn).await?;
    let rows: Vec<RequestRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {REQUEST_COLUMNS} FROM requests WHERE status <> 'resolved' ORDER BY id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let mut signals: HashMap<i64, (i64, Vec<String>)> = HashMap::new();
    let mut count = 0;
    for row in rows {
        let r = row.into_request()?;
        let (ltv, segments) = match r.customer_id {
            Some(id) => match signals.get(&id) {
                Some(s) => s.clone(),
                None => {
                    let s = customer_signals(conn, id).await?;
                    signals.insert(id, s.clone());
                    s
                }
            },
            None => (0, Vec::new()),
        };
        let p = plan(
            &rules,
            &Facts {
                channel: &r.channel,
                priority: r.priority,
                status: r.status,
                received_at: r.received_at,
                first_response_at: r.first_response_at,
                pauses: &r.pauses,
                lifetime_value_cents: ltv,
                segments: &segments,
                subject: &r.subject,
                body: &r.body,
                language: &r.language,
                earlier_contacts: r.earlier_contacts,
            },
        );
        write_plan(conn, r.id, &p).await?;
        count += 1;
    }
    Ok(count)
}

/// Whether `name` is an active account that may work requests: an agent or more.
async fn can_work_requests(conn: &mut Conn, name: &str) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE username = $1 AND disabled = 0 \
         AND role IN ('agent', 'manager', 'admin')",
    )
    .bind(name)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

fn status_conflict(status: RequestStatus, action: &str) -> StoreError {
    StoreError::Conflict(Problems::single(
        "status",
        Problem::rule(
            "request-status",
            &format!(
                "a {} request cannot take the step {action}",
                status.as_str()
            ),
        ),
    ))
}

/// Column values bound to a dynamically built query, in order.
enum Bind {
    Int(i64),
    Text(String),
}

impl SqlStore {
    /// Stores a setting the plans of requests depend on, plans every open request anew under
    /// it and audits `{key}.put` with how many ("12 open requests ranked anew"), in one
    /// transaction.
    async fn put_plan_setting(
        &self,
        key: &str,
        value: &impl serde::Serialize,
        anew: &str,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let at = now();
        let text =
            serde_json::to_string(value).map_err(|e| corrupt("queue_settings", e.to_string()))?;
        put_setting(&mut tx, key, &text, at, actor).await?;
        let n = replan_open(&mut tx).await?;
        audit_said(
            &mut tx,
            at,
            actor,
            &format!("{key}.put"),
            "settings",
            key,
            &format!("{n} open requests {anew} anew"),
            &Said::new(if anew == "ranked" {
                "audit-requests-ranked"
            } else {
                "audit-requests-planned"
            })
            .number("count", n as f64),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait]
impl Requests for SqlStore {
    async fn intake(&self, requests: &[NewRequest], actor: &str) -> Result<Vec<IntakeOutcome>> {
        super::sql_intake::intake(self, requests, actor).await
    }

    async fn request(&self, id: i64) -> Result<StoredRequest> {
        let mut conn = self.pool.acquire().await?;
        load_request(&mut conn, id, false).await
    }

    async fn request_messages(&self, id: i64) -> Result<Vec<RequestMessage>> {
        let rows: Vec<(i64, i64, String, String, String, i64)> = sqlx::query_as(
            "SELECT id, request_id, kind, author, body, at FROM request_messages \
             WHERE request_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, request_id, kind, author, body, at)| {
                Ok(RequestMessage {
                    id,
                    request_id,
                    kind,
                    author,
                    body,
                    at: instant("request_messages", at)?,
                })
            })
            .collect()
    }

    async fn queue(&self, filter: &QueueFilter) -> Result<Vec<StoredRequest>> {
        let mut sql = format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE ");
        let mut binds: Vec<Bind> = Vec::new();
        let mut push = |sql: &mut String, clause: &str, bind: Bind| {
            binds.push(bind);
            sql.push_str(&clause.replace("{}", &format!("${}", binds.len())));
        };
        let resolved = filter.status == Some(RequestStatus::Resolved);
        match filter.status {
            None => sql.push_str("status <> 'resolved'"),
            Some(RequestStatus::Resolved) => sql.push_str("status = 'resolved'"),
            // The open index's predicate first, so the planner uses it.
            Some(s) => sql.push_str(&format!(
                "status <> 'resolved' AND status = '{}'",
                s.as_str()
            )),
        }
        match &filter.view {
            QueueView::Mine(user) => push(&mut sql, " AND assignee = {}", Bind::Text(user.clone())),
            QueueView::Team => sql.push_str(" AND assignee IS NULL"),
            QueueView::All => {}
        }
        if let Some(channel) = &filter.channel {
            push(&mut sql, " AND channel = {}", Bind::Text(channel.clone()));
        }
        if let Some(tp) = filter.touchpoint_id {
            push(&mut sql, " AND touchpoint_id = {}", Bind::Int(tp));
        }
        if let Some(due) = filter.due_before {
            push(
                &mut sql,
                " AND next_due IS NOT NULL AND next_due < {}",
                Bind::Int(due.as_microsecond()),
            );
        }
        if let Some(from) = filter.due_from {
            push(
                &mut sql,
                " AND next_due IS NOT NULL AND next_due >= {}",
                Bind::Int(from.as_microsecond()),
            );
        }
        if resolved {
            sql.push_str(" ORDER BY resolved_at DESC, id DESC");
        } else if filter.due_before.is_some() || filter.due_from.is_some() {
            sql.push_str(" ORDER BY next_due, id");
        } else {
            sql.push_str(" ORDER BY rank_key DESC, id");
        }
        let limit = if filter.limit == 0 { 100 } else { filter.limit };
        sql.push_str(&format!(" LIMIT {limit}"));
        let mut query = sqlx::query_as::<_, RequestRow>(AssertSqlSafe(sql));
        for bind in binds {
            query = match bind {
                Bind::Int(v) => query.bind(v),
                Bind::Text(v) => query.bind(v),
            };
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.into_iter().map(RequestRow::into_request).collect()
    }

    async fn queue_counts(&self, user: &str) -> Result<(u64, u64, u64)> {
        let (mine, team, all): (i64, i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN assignee = $1 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN assignee IS NULL THEN 1 ELSE 0 END), 0), COUNT(*) \
             FROM requests WHERE status <> 'resolved'",
        )
        .bind(user)
        .fetch_one(&self.pool)
        .await?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok((n(mine), n(team), n(all)))
    }

    async fn customer_requests(&self, customer_id: i64) -> Result<Vec<StoredRequest>> {
        let rows: Vec<RequestRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {REQUEST_COLUMNS} FROM requests WHERE customer_id = $1 \
             ORDER BY received_at DESC, id DESC"
        )))
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(RequestRow::into_request).collect()
    }

    async fn act_with(
        &self,
        id: i64,
        action: &RequestAction,
        actor: &str,
        with: &StepWith,
    ) -> Result<StoredRequest> {
        let step = StepPart {
            id,
            action: action.clone(),
            actor: actor.to_owned(),
            with: with.clone(),
        };
        self.group_write(&self.queues.steps, step).await
    }

    async fn replies(&self, from: Timestamp, until: Timestamp) -> Result<Vec<ReplyRecord>> {
        type Row = (
            i64,
            Option<i64>,
            String,
            Option<i64>,
            String,
            String,
            String,
            i64,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT r.id, r.touchpoint_id, r.channel, r.customer_id, r.customer_name, \
             m.author, m.body, m.at FROM request_messages m JOIN requests r ON r.id = m.request_id \
             WHERE m.kind = 'reply' AND m.at >= $1 AND m.at < $2 ORDER BY m.at, m.id",
        )
        .bind(from.as_microsecond())
        .bind(until.as_microsecond())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(
                |(
                    request_id,
                    touchpoint_id,
                    channel,
                    customer_id,
                    customer_name,
                    author,
                    body,
                    at,
                )| {
                    Ok(ReplyRecord {
                        request_id,
                        touchpoint_id,
                        channel,
                        customer_id,
                        customer_name,
                        author,
                        body,
                        at: instant("request_messages", at)?,
                    })
                },
            )
            .collect()
    }

    async fn response_records(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<ResponseRecord>> {
        // Row by row: a year of requests is too much for one JSON text.
        let rows: Vec<RecordRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM requests \
             WHERE received_at >= $1 AND received_at < $2 ORDER BY received_at, id"
        )))
        .bind(from.as_microsecond())
        .bind(until.as_microsecond())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(RecordRow::into_record).collect()
    }

    async fn touchpoint_response_records(
        &self,
        touchpoint_ids: &[i64],
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<ResponseRecord>> {
        if touchpoint_ids.is_empty() {
            return Ok(Vec::new());
        }
        let batch = json_rows(
            touchpoint_ids
                .iter()
                .map(|id| serde_json::json!(id))
                .collect(),
        );
        // A few touchpoints over a few months, thousands of requests: one JSON table saves
        // the SQLite driver's hand-over of each row, and the covering index the rows.
        let rows: String = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT {} FROM requests \
             WHERE touchpoint_id IN (SELECT CAST(batch.value AS BIGINT) FROM {}) \
             AND received_at >= $2 AND received_at < $3",
            json_table(RECORD_COLUMNS),
            Backend::JSON_VALUES
        )))
        .bind(&batch)
        .bind(from.as_microsecond())
        .bind(until.as_microsecond())
        .fetch_one(&self.pool)
        .await?;
        from_records(&rows)
    }

    async fn first_response_targets(
        &self,
        from: Timestamp,
        until: Timestamp,
        now: Timestamp,
    ) -> Result<HashMap<i64, TargetCount>> {
        // Counted where the requests are, from the covering index on their receipt: the
        // plan reads this for every touchpoint on every call.
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT touchpoint_id, COUNT(*), \
                 SUM(CASE WHEN first_response_at IS NULL OR first_response_at > first_response_due \
                     THEN 1 ELSE 0 END) \
             FROM requests \
             WHERE received_at >= $1 AND received_at < $2 AND touchpoint_id IS NOT NULL \
               AND first_response_due IS NOT NULL \
               AND (first_response_at IS NOT NULL OR first_response_due < $3) \
             GROUP BY touchpoint_id",
        )
        .bind(from.as_microsecond())
        .bind(until.as_microsecond())
        .bind(now.as_microsecond())
        .fetch_all(&self.pool)
        .await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(rows
            .into_iter()
            .map(|(touchpoint, decided, missed)| {
                (
                    touchpoint,
                    TargetCount {
                        decided: count(decided),
                        missed: count(missed),
                    },
                )
            })
            .collect())
    }

    async fn sla_policies(&self) -> Result<Vec<SlaPolicy>> {
        let mut conn = self.pool.acquire().await?;
        load_policies(&mut conn).await
    }

    async fn put_sla_policy(&self, policy: &SlaPolicy, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let known: Option<String> = sqlx::query_scalar("SELECT key FROM channels WHERE key = $1")
            .bind(&policy.channel)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM channels ORDER BY key")
                .fetch_all(&mut *tx)
                .await?;
            return Err(StoreError::unknown("channel", &policy.channel, keys));
        }
        sqlx::query(
            "INSERT INTO sla_policies (channel, priority, first_response_minutes, \
             resolution_minutes, around_the_clock) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (channel, priority) DO UPDATE SET \
             first_response_minutes = excluded.first_response_minutes, \
             resolution_minutes = excluded.resolution_minutes, \
             around_the_clock = excluded.around_the_clock",
        )
        .bind(&policy.channel)
        .bind(policy.priority.as_str())
        .bind(policy.first_response_minutes)
        .bind(policy.resolution_minutes)
        .bind(i32::from(policy.around_the_clock))
        .execute(&mut *tx)
        .await?;
        let n = replan_open(&mut tx).await?;
        let summary = format!(
            "{} {}: {} / {} min{}; {n} open requests planned anew",
            policy.channel,
            policy.priority.as_str(),
            policy.first_response_minutes,
            policy.resolution_minutes,
            if policy.around_the_clock {
                ", 24/7"
            } else {
                ""
            }
        );
        audit_said(
            &mut tx,
            now(),
            actor,
            "sla_policy.put",
            "sla_policy",
            &policy.channel,
            &summary,
            &Said::new(if policy.around_the_clock {
                "audit-sla-put-always"
            } else {
                "audit-sla-put"
            })
            .channel("channel", policy.channel.as_str())
            .label("priority", format!("priority-{}", policy.priority.as_str()))
            .text("first", policy.first_response_minutes.to_string())
            .text("resolution", policy.resolution_minutes.to_string())
            .number("count", n as f64),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_sla_policy(
        &self,
        channel: &str,
        priority: Priority,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let deleted = sqlx::query("DELETE FROM sla_policies WHERE channel = $1 AND priority = $2")
            .bind(channel)
            .bind(priority.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted == 0 {
            return Err(StoreError::NotFound {
                entity: "SLA policy",
            });
        }
        let n = replan_open(&mut tx).await?;
        let summary = format!(
            "{channel} {}; {n} open requests planned anew",
            priority.as_str()
        );
        audit_said(
            &mut tx,
            now(),
            actor,
            "sla_policy.delete",
            "sla_policy",
            channel,
            &summary,
            &Said::new("audit-sla-delete")
                .channel("channel", channel)
                .label("priority", format!("priority-{}", priority.as_str()))
                .number("count", n as f64),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn source_mappings(&self) -> Result<Vec<SourceMapping>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT channel, source, touchpoint_id FROM request_sources ORDER BY channel, source",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(channel, source, touchpoint_id)| SourceMapping {
                channel,
                source,
                touchpoint_id,
            })
            .collect())
    }

    async fn put_source_mapping(&self, mapping: &SourceMapping, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let source = mapping.source.trim().to_lowercase();
        sqlx::query(
            "INSERT INTO request_sources (channel, source, touchpoint_id) VALUES ($1, $2, $3) \
             ON CONFLICT (channel, source) DO UPDATE SET touchpoint_id = excluded.touchpoint_id",
        )
        .bind(&mapping.channel)
        .bind(&source)
        .bind(mapping.touchpoint_id)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            StoreError::from_violation(
                e,
                [OnViolation::foreign_key(StoreError::Invalid(
                    Problems::single(
                        "touchpoint_id",
                        Problem::Invalid {
                            reason: "no such channel or touchpoint".into(),
                        },
                    ),
                ))],
            )
        })?;
        let summary = format!("{} {source} → {}", mapping.channel, mapping.touchpoint_id);
        audit(
            &mut tx,
            now(),
            actor,
            "request_source.put",
            "request_source",
            &mapping.channel,
            &summary,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_source_mapping(&self, channel: &str, source: &str, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let deleted = sqlx::query("DELETE FROM request_sources WHERE channel = $1 AND source = $2")
            .bind(channel)
            .bind(source.trim().to_lowercase())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted == 0 {
            return Err(StoreError::NotFound {
                entity: "source mapping",
            });
        }
        audit(
            &mut tx,
            now(),
            actor,
            "request_source.delete",
            "request_source",
            channel,
            source,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn queue_settings(&self) -> Result<QueueSettings> {
        let mut conn = self.pool.acquire().await?;
        load_settings(&mut conn).await
    }

    async fn put_calendar(&self, calendar: &Calendar, actor: &str) -> Result<()> {
        self.put_plan_setting("calendar", calendar, "planned", actor)
            .await
    }
    async fn put_weights(&self, weights: &Weights, actor: &str) -> Result<()> {
        self.put_plan_setting("weights", weights, "ranked", actor)
            .await
    }

    async fn put_queue_options(&self, options: &QueueOptions, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let at = now();
        let text =
            serde_json::to_string(options).map_err(|e| corrupt("queue_settings", e.to_string()))?;
        put_setting(&mut tx, "options", &text, at, actor).await?;
        audit(
            &mut tx,
            at,
            actor,
            "queue_options.put",
            "settings",
            "options",
            &text,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The requests of the profiles with their steps, for an export (DSGVO Art. 15).
pub(super) async fn export_customer_requests(
    conn: &mut Conn,
    customers: &[i64],
) -> Result<serde_json::Value> {
    let mut out = Vec::new();
    for customer in customers {
        let rows: Vec<RequestRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {REQUEST_COLUMNS} FROM requests WHERE customer_id = $1 ORDER BY id"
        )))
        .bind(customer)
        .fetch_all(&mut *conn)
        .await?;
        for row in rows {
            let r = row.into_request()?;
            let steps: Vec<(String, String, String, i64)> = sqlx::query_as(
                "SELECT kind, author, body, at FROM request_messages WHERE request_id = $1 \
                 ORDER BY id",
            )
            .bind(r.id)
            .fetch_all(&mut *conn)
            .await?;
            let steps = steps
                .into_iter()
                .map(|(kind, author, body, at)| {
                    Ok(serde_json::json!({
                        "kind": kind, "author": author, "body": body,
                        "at": instant("request_messages", at)?.to_string(),
                    }))
                })
                .collect::<Result<Vec<_>>>()?;
            let mails = super::sql_outbox::export_request_mails(&mut *conn, r.id).await?;
            out.push(serde_json::json!({
                "id": r.id,
                "channel": r.channel,
                "received_at": r.received_at.to_string(),
                "customer_name": r.customer_name,
                "subject": r.subject,
                "body": r.body,
                "steps": steps,
                "mails": mails,
            }));
        }
    }
    Ok(serde_json::Value::Array(out))
}

/// Keeps the requests for the statistics and removes who sent them, what they said and the
/// mails they were sent.
pub(super) async fn erase_customer_requests(conn: &mut Conn, customers: &[i64]) -> Result<u64> {
    let mut changed = 0;
    for customer in customers {
        // A mail still waiting goes with them, so an erased customer gets nothing more (but
        // the one a server may be handing to the mail server at this moment).
        changed += sqlx::query(
            "DELETE FROM outbox_mails WHERE request_id IN \
             (SELECT id FROM requests WHERE customer_id = $1)",
        )
        .bind(customer)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        changed += sqlx::query(
            "UPDATE request_messages SET body = '' WHERE request_id IN \
             (SELECT id FROM requests WHERE customer_id = $1)",
        )
        .bind(customer)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        changed += sqlx::query(
            "UPDATE requests SET customer_id = NULL, customer_name = '', subject = '', body = '', \
             message_id = NULL WHERE customer_id = $1",
        )
        .bind(customer)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(changed)
}

/// An agent's step on a request, which a group commit puts in one transaction with the steps
/// taken at the same moment (see `group_commit`).
pub(super) struct StepPart {
    id: i64,
    action: RequestAction,
    actor: String,
    with: StepWith,
}

impl GroupWrite for StepPart {
    type Output = StoredRequest;

    fn items(&self) -> usize {
        1
    }

    async fn write_in(&self, conn: &mut Conn) -> Result<StoredRequest> {
        act_in(conn, self).await
    }
}

/// Takes one step on its request in the transaction `tx`.
async fn act_in(tx: &mut Conn, step: &StepPart) -> Result<StoredRequest> {
    let (id, action, actor) = (step.id, &step.action, step.actor.as_str());
    let mut r = load_request(tx, id, true).await?;
    let at = now();
    let open_pause_ends = |r: &mut StoredRequest| {
        for pause in &mut r.pauses {
            if pause.1.is_none() {
                pause.1 = Some(at);
            }
        }
    };
    let mut message = String::new();
    match action {
        RequestAction::Assign { to } => {
            if let Some(name) = to
                && !can_work_requests(&mut *tx, name).await?
            {
                return Err(StoreError::Invalid(Problems::single(
                    "to",
                    Problem::Invalid {
                        reason: format!("no active agent, manager or admin is named \"{name}\""),
                    },
                )));
            }
            r.assignee = to.clone();
            message = to.clone().unwrap_or_default();
        }
        RequestAction::Reply { body } => {
            if r.status == RequestStatus::Resolved {
                return Err(status_conflict(r.status, "reply"));
            }
            if r.first_response_at.is_none() {
                r.first_response_at = Some(at);
            }
            message = body.clone();
        }
        RequestAction::Note { body } => message = body.clone(),
        RequestAction::Wait => {
            if r.status != RequestStatus::Open {
                return Err(status_conflict(r.status, "wait"));
            }
            r.status = RequestStatus::Waiting;
            r.pauses.push((at, None));
        }
        RequestAction::Resume => {
            if r.status != RequestStatus::Waiting {
                return Err(status_conflict(r.status, "resume"));
            }
            r.status = RequestStatus::Open;
            open_pause_ends(&mut r);
        }
        RequestAction::Resolve => {
            if r.status == RequestStatus::Resolved {
                return Err(status_conflict(r.status, "resolve"));
            }
            r.status = RequestStatus::Resolved;
            r.resolved_at = Some(at);
            open_pause_ends(&mut r);
        }
        RequestAction::Reopen => {
            if r.status != RequestStatus::Resolved {
                return Err(status_conflict(r.status, "reopen"));
            }
            r.status = RequestStatus::Open;
            r.resolved_at = None;
        }
        RequestAction::SetPriority { priority } => {
            r.priority = *priority;
            message = priority.as_str().to_owned();
        }
    }
    let rules = load_rules(&mut *tx).await?;
    let p = replan(&mut *tx, &rules, &r).await?;
    sqlx::query(
        "UPDATE requests SET status = $1, assignee = $2, first_response_at = $3, \
         resolved_at = $4, pauses = $5, priority = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(r.status.as_str())
    .bind(&r.assignee)
    .bind(micros(r.first_response_at))
    .bind(micros(r.resolved_at))
    .bind(pauses_json(&r.pauses)?)
    .bind(r.priority.as_str())
    .bind(at.as_microsecond())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    write_plan(&mut *tx, id, &p).await?;
    let step_id: i64 = sqlx::query_scalar(
        "INSERT INTO request_messages (request_id, kind, author, body, at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(id)
    .bind(action.name())
    .bind(actor)
    .bind(&message)
    .bind(at.as_microsecond())
    .fetch_one(&mut *tx)
    .await?;
    if let Some(mail) = &step.with.mail {
        super::sql_outbox::queue_mail(&mut *tx, &r, step_id, mail, at).await?;
    }
    super::sql_chats::follow_step(&mut *tx, id, action, actor, at).await?;
    if matches!(action, RequestAction::Resolve) {
        let resolved = Event::request_resolved(id, &r.channel, r.touchpoint_id, r.customer_id);
        super::sql_webhooks::emit_now(&mut *tx, &[resolved], at).await?;
    }
    if matches!(
        action,
        RequestAction::Reply { .. } | RequestAction::Resolve | RequestAction::Reopen
    ) {
        judge_as_interaction(&mut *tx, &r).await?;
    }
    audit(
        &mut *tx,
        at,
        actor,
        &format!("request.{}", action.name()),
        "request",
        &id.to_string(),
        &match step.with.note.as_str() {
            "" => r.subject.clone(),
            note => format!("{} ({note})", r.subject),
        },
    )
    .await?;
    load_request(&mut *tx, id, false).await
}

/// The prefix of the `external_id` under which a request answered in the queue is kept among
/// the interactions the service standards are judged by.
pub(super) const QUEUE_INTERACTION: &str = "queue:";

/// Keeps a request that has been answered among the interactions the service standards are
/// judged by, as imported ones are: its times and every reply so far, under the external id
/// `queue:<request id>`, updated with each reply, resolution and reopening.
async fn judge_as_interaction(tx: &mut Conn, r: &StoredRequest) -> Result<()> {
    if r.first_response_at.is_none() {
        return Ok(());
    }
    let replies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM request_messages WHERE request_id = $1 AND kind = 'reply' ORDER BY id",
    )
    .bind(r.id)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO interactions (external_id, touchpoint_id, channel, customer_name, \
         received_at, first_response_at, resolved_at, reply) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (external_id) DO UPDATE SET touchpoint_id = excluded.touchpoint_id, \
         channel = excluded.channel, customer_name = excluded.customer_name, \
         received_at = excluded.received_at, first_response_at = excluded.first_response_at, \
         resolved_at = excluded.resolved_at, reply = excluded.reply",
    )
    .bind(format!("{QUEUE_INTERACTION}{}", r.id))
    .bind(r.touchpoint_id)
    .bind(&r.channel)
    .bind(Some(r.customer_name.as_str()).filter(|n| !n.is_empty()))
    .bind(r.received_at.as_microsecond())
    .bind(micros(r.first_response_at))
    .bind(micros(r.resolved_at))
    .bind(replies.join("\n\n"))
    .execute(&mut *tx)
    .await?;
    Ok(())
}
