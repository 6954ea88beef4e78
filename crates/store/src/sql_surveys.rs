//! Surveys, answers, customer events and their roll-ups in SQL, compiled once per backend like
//! `sql.rs`.
//!
//! The roll-ups are what makes dashboards fast on years of answers: a write counts its
//! answers into per-day and per-month rows of counts per score in the same transaction, and
//! a dashboard reads a few thousand of those rows instead of millions of answers. Counts
//! merge exactly, so the roll-ups give the very numbers a scan of every answer would.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use async_trait::async_trait;
use futures::TryStreamExt;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use sqlx::{AssertSqlSafe, Pool, QueryBuilder};
use touchpoints_core::audit::Said;
use touchpoints_core::dashboard::TallyRow;
use touchpoints_core::follow_up;
use touchpoints_core::kpi::{
    self, CustomerEventKind, Granularity, Membership, Metric, Tally, day_from_number, day_number,
};
use touchpoints_core::request::NewRequest;
use touchpoints_core::survey::{CustomerEventFields, ResponseFields, SurveyFields};
use touchpoints_core::webhook::{AnswerFacts, Event, EventKind};
use touchpoints_core::{Problem, Problems};

use super::Backend;
use super::sql::Db;
use super::sql::{
    Conn, GroupWrite, SqlStore, corrupt, from_json_table, instant, json_rows, json_table,
    json_table_in_order, now,
};
use super::sql_audit::{audit, audit_said};
use super::sql_intake::intake_in;
use crate::dialect::Dialect;
use crate::{
    AssigneeTally, CustomerDay, DEFAULT_TIME_ZONE, ImportSummary, ReportTallies, ReportWindow,
    Resolution, ResponseFilter, Result, StoreError, StoredResponse, StoredSurvey, Surveys,
};

/// Rows per multi-row INSERT: well under both backends' limit of bound parameters.
const INSERT_CHUNK: usize = 1_000;

const TIME_ZONE_KEY: &str = "time_zone";

#[derive(sqlx::FromRow)]
struct SurveyRow {
    id: i64,
    slug: String,
    touchpoint_id: i64,
    metric: String,
    channel: Option<String>,
    question_de: String,
    question_en: String,
    follow_up_de: String,
    follow_up_en: String,
    active: i32,
    created_at: i64,
    updated_at: i64,
    responses: i64,
}

const SURVEY_SELECT: &str = "SELECT s.id, s.slug, s.touchpoint_id, s.metric, s.channel, \
     s.question_de, s.question_en, s.follow_up_de, s.follow_up_en, s.active, s.created_at, \
     s.updated_at, s.answers AS responses FROM surveys s";

fn metric(table: &'static str, text: &str) -> Result<Metric> {
    Metric::parse(text).ok_or_else(|| corrupt(table, format!("metric {text}")))
}

impl SurveyRow {
    fn into_survey(self) -> Result<StoredSurvey> {
        Ok(StoredSurvey {
            id: self.id,
            slug: self.slug,
            fields: SurveyFields {
                touchpoint_id: self.touchpoint_id,
                metric: metric("surveys", &self.metric)?,
                channel: self.channel,
                question_de: self.question_de,
                question_en: self.question_en,
                follow_up_de: self.follow_up_de,
                follow_up_en: self.follow_up_en,
                active: self.active != 0,
            },
            responses: self.responses.unsigned_abs(),
            created_at: instant("surveys", self.created_at)?,
            updated_at: instant("surveys", self.updated_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ResponseRow {
    id: i64,
    external_id: Option<String>,
    survey_id: Option<i64>,
    touchpoint_id: i64,
    metric: String,
    score: i32,
    comment: String,
    answered_at: i64,
    channel: String,
    customer_ref: Option<String>,
    request_id: Option<i64>,
}

/// The columns of a [`ResponseRow`].
const RESPONSE_COLUMNS: &str = "id, external_id, survey_id, touchpoint_id, metric, score, \
     comment, answered_at, channel, customer_ref, request_id";

impl ResponseRow {
    fn into_response(self) -> Result<StoredResponse> {
        Ok(StoredResponse {
            id: self.id,
            fields: ResponseFields {
                touchpoint_id: self.touchpoint_id,
                survey_id: self.survey_id,
                metric: metric("responses", &self.metric)?,
                score: u8::try_from(self.score)
                    .map_err(|_| corrupt("responses", format!("score {}", self.score)))?,
                comment: self.comment,
                answered_at: instant("responses", self.answered_at)?,
                channel: Some(self.channel),
                customer_ref: self.customer_ref,
                external_id: self.external_id,
                request_id: self.request_id,
            },
        })
    }
}

/// A roll-up row as [`TALLY_COLUMNS`] lists it, read as one element of a `json_table`.
#[derive(serde::Deserialize)]
struct TallyDbRow {
    metric: String,
    day: i32,
    touchpoint_id: i64,
    channel: String,
    c0: i64,
    c1: i64,
    c2: i64,
    c3: i64,
    c4: i64,
    c5: i64,
    c6: i64,
    c7: i64,
    c8: i64,
    c9: i64,
    c10: i64,
}

impl TallyDbRow {
    fn into_row(self, table: &'static str) -> Result<TallyRow> {
        let counts = [
            self.c0, self.c1, self.c2, self.c3, self.c4, self.c5, self.c6, self.c7, self.c8,
            self.c9, self.c10,
        ];
        Ok(TallyRow {
            metric: metric(table, &self.metric)?,
            bucket: day_from_number(self.day)
                .ok_or_else(|| corrupt(table, format!("day {}", self.day)))?,
            touchpoint_id: self.touchpoint_id,
            channel: self.channel,
            tally: Tally {
                counts: counts.map(i64::unsigned_abs),
            },
        })
    }
}

/// The counts of roll-up rows merged; `CAST` because PostgreSQL sums BIGINTs as NUMERIC.
const SUMMED: &str = "CAST(SUM(c0) AS BIGINT) AS c0, CAST(SUM(c1) AS BIGINT) AS c1, \
     CAST(SUM(c2) AS BIGINT) AS c2, CAST(SUM(c3) AS BIGINT) AS c3, \
     CAST(SUM(c4) AS BIGINT) AS c4, CAST(SUM(c5) AS BIGINT) AS c5, \
     CAST(SUM(c6) AS BIGINT) AS c6, CAST(SUM(c7) AS BIGINT) AS c7, \
     CAST(SUM(c8) AS BIGINT) AS c8, CAST(SUM(c9) AS BIGINT) AS c9, \
     CAST(SUM(c10) AS BIGINT) AS c10";

/// The columns of a [`TallyDbRow`], in its order.
const TALLY_COLUMNS: &str = "metric, day, touchpoint_id, channel, c0, c1, c2, c3, c4, c5, c6, c7, \
                             c8, c9, c10";

/// The roll-up tables a resolution reads: per touchpoint and channel, and in total.
fn rollup_tables(resolution: Resolution) -> (&'static str, &'static str) {
    match resolution {
        Resolution::Day => ("response_days", "response_day_totals"),
        Resolution::Week => ("response_weeks", "response_week_totals"),
        Resolution::Month => ("response_months", "response_month_totals"),
    }
}

/// The place columns of a totals row: touchpoint 0 and channel "".
const TOTALS_PLACE: &str = "CAST(0 AS BIGINT) AS touchpoint_id, CAST('' AS TEXT) AS channel";

/// The rows of a roll-up table with a day from parameter `from` until parameter `until` (such
/// as `$1`), as [`TALLY_COLUMNS`]; `place` selects the touchpoint and channel columns.
fn window_select(table: &str, place: &str, (from, until): (&str, &str)) -> String {
    format!(
        "SELECT metric, day, {place}, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 \
         FROM {table} WHERE day >= {from} AND day < {until}"
    )
}

/// The rows of one metric in a roll-up table with a day from parameter `from` until parameter
/// `until`, merged by touchpoint and channel, as [`TALLY_COLUMNS`].
fn by_place_select(table: &str, metric: Metric, (from, until): (&str, &str)) -> String {
    // The metric is one of a few fixed names, written into the statement so that every
    // parameter is a day.
    format!(
        "SELECT metric, MIN(day) AS day, touchpoint_id, channel, {SUMMED} FROM {table} \
         WHERE metric = '{metric}' AND day >= {from} AND day < {until} \
         GROUP BY metric, touchpoint_id, channel",
        metric = metric.as_str()
    )
}

/// Rows merged by place, each keyed by `bucket`: the first day of the window they merge.
fn by_place_rows(
    table: &'static str,
    rows: Vec<TallyDbRow>,
    bucket: Date,
) -> Result<Vec<TallyRow>> {
    rows.into_iter()
        .map(|r| {
            let mut row = r.into_row(table)?;
            row.bucket = bucket;
            Ok(row)
        })
        .collect()
}

/// The rows `select` finds for the days from `$1` until `$2`, as `columns` (in the order of
/// `order_by`, if any) gathered into one row of JSON ([`json_table`]): a report reads
/// hundreds of roll-up rows or days.
async fn read_window<T: serde::de::DeserializeOwned>(
    pool: &Pool<Db>,
    select: &str,
    (columns, order_by): (&str, &str),
    table: &'static str,
    (from, until): (Date, Date),
) -> Result<Vec<T>> {
    let rows: String = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT {rows} FROM ({select}) window_rows",
        rows = json_table_in_order(columns, order_by)
    )))
    .bind(day_number(from))
    .bind(day_number(until))
    .fetch_one(pool)
    .await?;
    from_json_table(table, &rows)
}

/// A roll-up row's identity: metric, day number, touchpoint, channel.
type TallyKey = (Metric, i32, i64, String);

/// The Monday of the week a day falls in, as the week roll-up keys it.
fn week_of(day: Date) -> Date {
    kpi::period_start(day, Granularity::Week)
}

/// The day of the month a day falls in, as the month roll-up keys it.
fn month_of(day: Date) -> Date {
    day.first_of_month()
}

async fn time_zone_name(conn: &mut Conn) -> Result<String> {
    let name: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(TIME_ZONE_KEY)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(name.unwrap_or_else(|| DEFAULT_TIME_ZONE.to_owned()))
}

async fn organisation_time_zone(conn: &mut Conn) -> Result<TimeZone> {
    let name = time_zone_name(conn).await?;
    TimeZone::get(&name).map_err(|e| corrupt("settings", format!("time zone {name}: {e}")))
}

/// Adds counts to roll-up rows, creating them where missing. The totals tables are keyed by
/// metric and day only; their keys carry touchpoint 0 and channel "", which are not written.
async fn add_tallies(
    conn: &mut Conn,
    table: &'static str,
    tallies: &HashMap<TallyKey, Tally>,
) -> Result<()> {
    let by_place = !table.ends_with("_totals");
    let (key, first_count) = if by_place {
        ("metric, day, touchpoint_id, channel", 5)
    } else {
        ("metric, day", 3)
    };
    let sql = format!(
        "INSERT INTO {table} ({key}, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10) \
         VALUES ({}) ON CONFLICT ({key}) DO UPDATE SET {}",
        (1..first_count + 11)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", "),
        (0..=10)
            .map(|i| format!("c{i} = {table}.c{i} + excluded.c{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for ((metric, day, touchpoint_id, channel), tally) in tallies {
        let mut query = sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(metric.as_str())
            .bind(day);
        if by_place {
            query = query.bind(touchpoint_id).bind(channel);
        }
        for count in tally.counts {
            query = query.bind(i64::try_from(count).unwrap_or(i64::MAX));
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// What keys a day's counts in a roll-up table: the day itself, its week or its month.
type BucketOf = fn(Date) -> Date;

/// The roll-up tables: per place and in total, by day, week and month, each with the day
/// that keys a day's counts in it.
const ROLLUPS: [(&str, BucketOf); 6] = [
    ("response_days", std::convert::identity),
    ("response_weeks", week_of),
    ("response_months", month_of),
    ("response_day_totals", std::convert::identity),
    ("response_week_totals", week_of),
    ("response_month_totals", month_of),
];

/// Counts answers into the keys of every roll-up table, in the order of [`ROLLUPS`].
#[derive(Default)]
struct Rollups {
    tables: [HashMap<TallyKey, Tally>; ROLLUPS.len()],
}

impl Rollups {
    fn count(&mut self, metric: Metric, day: Date, touchpoint_id: i64, channel: &str, score: u8) {
        for ((table, bucket_of), tallies) in ROLLUPS.iter().zip(&mut self.tables) {
            let bucket = day_number(bucket_of(day));
            let key = if table.ends_with("_totals") {
                (metric, bucket, 0, String::new())
            } else {
                (metric, bucket, touchpoint_id, channel.to_owned())
            };
            tallies.entry(key).or_default().add(score);
        }
    }

    async fn write(&self, conn: &mut Conn) -> Result<()> {
        for ((table, _), tallies) in ROLLUPS.iter().zip(&self.tables) {
            add_tallies(conn, table, tallies).await?;
        }
        Ok(())
    }
}

/// The external ids among `ids` already stored in `table`.
async fn known_external_ids(
    conn: &mut Conn,
    table: &'static str,
    ids: &[&str],
) -> Result<HashSet<String>> {
    let mut known = HashSet::new();
    for chunk in ids.chunks(INSERT_CHUNK) {
        let mut query: QueryBuilder<Db> = QueryBuilder::new(format!(
            "SELECT external_id FROM {table} WHERE external_id IN ("
        ));
        let mut list = query.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        query.push(")");
        let found: Vec<String> = query.build_query_scalar().fetch_all(&mut *conn).await?;
        known.extend(found);
    }
    Ok(known)
}

/// Which items of a batch to store: not those whose external id is stored already or came
/// earlier in the batch.
async fn fresh_items<'a, T>(
    conn: &mut Conn,
    table: &'static str,
    items: &'a [T],
    external_id: impl Fn(&T) -> Option<&str>,
) -> Result<Vec<&'a T>> {
    let ids: Vec<&str> = items.iter().filter_map(&external_id).collect();
    let mut seen = if ids.is_empty() {
        HashSet::new()
    } else {
        known_external_ids(conn, table, &ids).await?
    };
    Ok(items
        .iter()
        .filter(|item| match external_id(item) {
            Some(id) => seen.insert(id.to_owned()),
            None => true,
        })
        .collect())
}

/// Customers gained and lost per day number.
type Memberships = HashMap<i32, (i64, i64)>;

fn add_memberships(into: &mut Memberships, changes: Vec<(Date, Membership)>, sign: i64) {
    for (day, membership) in changes {
        let entry = into.entry(day_number(day)).or_default();
        match membership {
            Membership::Gained => entry.0 += sign,
            Membership::Lost => entry.1 += sign,
        }
    }
}

/// A day's stored revenue plus the revenue a write adds, clamped to the range of a 64-bit
/// integer: the sum never wraps, never fails on PostgreSQL and never turns into a REAL on
/// SQLite (whose `+` does so on overflow). Each branch only computes what cannot overflow,
/// and CASE evaluates its branches in order on both backends.
const REVENUE_SUM: &str = "CASE \
     WHEN excluded.revenue_cents > 0 THEN CASE \
         WHEN customer_days.revenue_cents > 9223372036854775807 - excluded.revenue_cents \
         THEN 9223372036854775807 \
         ELSE customer_days.revenue_cents + excluded.revenue_cents END \
     WHEN excluded.revenue_cents < 0 THEN CASE \
         WHEN customer_days.revenue_cents < (-9223372036854775807 - 1) - excluded.revenue_cents \
         THEN (-9223372036854775807 - 1) \
         ELSE customer_days.revenue_cents + excluded.revenue_cents END \
     ELSE customer_days.revenue_cents END";

#[derive(Default)]
struct CustomerDeltas {
    memberships: Memberships,
    /// Revenue in cents and purchases per day number.
    revenue: HashMap<i32, (i64, i64)>,
}

impl CustomerDeltas {
    async fn write(&self, conn: &mut Conn) -> Result<()> {
        let mut days: HashSet<i32> = self.memberships.keys().copied().collect();
        days.extend(self.revenue.keys());
        for day in days {
            let (gained, lost) = self.memberships.get(&day).copied().unwrap_or_default();
            let (revenue, purchases) = self.revenue.get(&day).copied().unwrap_or_default();
            if (gained, lost, revenue, purchases) == (0, 0, 0, 0) {
                continue;
            }
            sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO customer_days (day, gained, lost, revenue_cents, purchases) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (day) DO UPDATE SET \
                 gained = customer_days.gained + excluded.gained, \
                 lost = customer_days.lost + excluded.lost, \
                 revenue_cents = {REVENUE_SUM}, \
                 purchases = customer_days.purchases + excluded.purchases"
            )))
            .bind(day)
            .bind(gained)
            .bind(lost)
            .bind(revenue)
            .bind(purchases)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }
}

fn event_kind(text: &str) -> Result<CustomerEventKind> {
    CustomerEventKind::parse(text).ok_or_else(|| corrupt("customer_events", format!("kind {text}")))
}

/// The stored events of these customers, by customer.
async fn events_of(
    conn: &mut Conn,
    customers: &[&str],
) -> Result<HashMap<String, Vec<(Timestamp, CustomerEventKind)>>> {
    let mut events: HashMap<String, Vec<(Timestamp, CustomerEventKind)>> = HashMap::new();
    for chunk in customers.chunks(INSERT_CHUNK) {
        let mut query: QueryBuilder<Db> = QueryBuilder::new(
            "SELECT customer_ref, at, kind FROM customer_events WHERE customer_ref IN (",
        );
        let mut list = query.separated(", ");
        for customer in chunk {
            list.push_bind(*customer);
        }
        query.push(")");
        let rows: Vec<(String, i64, String)> = query.build_query_as().fetch_all(&mut *conn).await?;
        for (customer, at, kind) in rows {
            events
                .entry(customer)
                .or_default()
                .push((instant("customer_events", at)?, event_kind(&kind)?));
        }
    }
    Ok(events)
}

/// The last stored event of each of these customers that has one, as far as
/// [`kpi::memberships_after`] tells events apart: its instant, and whether a churn is among
/// the events on it (a purchase and an activity count alike, as `Activity`).
async fn last_events_of(
    conn: &mut Conn,
    customers: &[&str],
) -> Result<HashMap<String, (Timestamp, CustomerEventKind)>> {
    // Two index seeks per customer, and one row of JSON back: the newest instant, then
    // whether a churn falls on it. MATERIALIZED, so that the newest instant is sought once,
    // not once per mention of it.
    let text: String = sqlx::query_scalar(AssertSqlSafe(format!(
        "WITH newest AS MATERIALIZED (SELECT batch.value AS customer, \
           (SELECT MAX(at) FROM customer_events WHERE customer_ref = batch.value) AS at \
           FROM {}) \
         SELECT {} FROM newest WHERE newest.at IS NOT NULL",
        Backend::JSON_VALUES,
        json_table(
            "newest.customer, newest.at, CASE WHEN EXISTS (SELECT 1 FROM customer_events \
             WHERE customer_ref = newest.customer AND at = newest.at AND kind = 'churn') \
             THEN 1 ELSE 0 END"
        ),
    )))
    .bind(json_rows(
        customers.iter().map(|c| serde_json::json!(c)).collect(),
    ))
    .fetch_one(&mut *conn)
    .await?;
    from_json_table::<(String, i64, u8)>("customer_events", &text)?
        .into_iter()
        .map(|(customer, at, churned)| {
            let kind = if churned == 1 {
                CustomerEventKind::Churn
            } else {
                CustomerEventKind::Activity
            };
            Ok((customer, (instant("customer_events", at)?, kind)))
        })
        .collect()
}

/// Recounts every roll-up from the answers and events, in the organisation's time zone, and
/// each survey's count of answers.
async fn recount(conn: &mut Conn) -> Result<()> {
    sqlx::query(
        "UPDATE surveys SET answers = \
         (SELECT COUNT(*) FROM responses r WHERE r.survey_id = surveys.id)",
    )
    .execute(&mut *conn)
    .await?;
    let tz = organisation_time_zone(conn).await?;
    for table in ROLLUPS
        .map(|(table, _)| table)
        .into_iter()
        .chain(["customer_days"])
    {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {table}")))
            .execute(&mut *conn)
            .await?;
    }
    let mut rollups = Rollups::default();
    {
        let mut rows = sqlx::query_as::<_, (String, i32, i64, String, i64)>(
            "SELECT metric, score, touchpoint_id, channel, answered_at FROM responses",
        )
        .fetch(&mut *conn);
        while let Some((metric_text, score, touchpoint_id, channel, at)) = rows.try_next().await? {
            let day = kpi::local_day(instant("responses", at)?, &tz);
            let score =
                u8::try_from(score).map_err(|_| corrupt("responses", format!("score {score}")))?;
            rollups.count(
                metric("responses", &metric_text)?,
                day,
                touchpoint_id,
                &channel,
                score,
            );
        }
    }
    rollups.write(conn).await?;

    let mut deltas = CustomerDeltas::default();
    {
        let mut rows = sqlx::query_as::<_, (String, i64, String, i64)>(
            "SELECT customer_ref, at, kind, amount_cents FROM customer_events \
             ORDER BY customer_ref",
        )
        .fetch(&mut *conn);
        let mut current: Option<String> = None;
        let mut events: Vec<(Timestamp, CustomerEventKind)> = Vec::new();
        while let Some((customer, at, kind, amount)) = rows.try_next().await? {
            if current.as_deref() != Some(customer.as_str()) {
                add_memberships(&mut deltas.memberships, kpi::memberships(&events, &tz), 1);
                events.clear();
                current = Some(customer);
            }
            let at = instant("customer_events", at)?;
            let kind = event_kind(&kind)?;
            if kind == CustomerEventKind::Purchase {
                let entry = deltas
                    .revenue
                    .entry(day_number(kpi::local_day(at, &tz)))
                    .or_default();
                entry.0 = entry.0.saturating_add(amount);
                entry.1 += 1;
            }
            events.push((at, kind));
        }
        add_memberships(&mut deltas.memberships, kpi::memberships(&events, &tz), 1);
    }
    deltas.write(conn).await
}

/// Reports unknown references of answers as field problems naming their row.
struct References {
    touchpoint_channels: HashMap<i64, String>,
    surveys: HashMap<i64, (i64, Option<String>)>,
    channels: Vec<String>,
}

impl References {
    /// Read by one statement, each list as one row of JSON: every group of answers reads
    /// them (see `sql_requests::settings_column`).
    async fn load(conn: &mut Conn) -> Result<References> {
        let (touchpoints, surveys, channels): (String, String, String) =
            sqlx::query_as(AssertSqlSafe(format!(
                "SELECT (SELECT {} FROM touchpoints), (SELECT {} FROM surveys), \
                 (SELECT {} FROM channels)",
                json_table("id, channel"),
                json_table("id, touchpoint_id, channel"),
                json_table_in_order("key", "key"),
            )))
            .fetch_one(&mut *conn)
            .await?;
        let touchpoint_channels = from_json_table::<(i64, String)>("touchpoints", &touchpoints)?
            .into_iter()
            .collect();
        let surveys = from_json_table::<(i64, i64, Option<String>)>("surveys", &surveys)?
            .into_iter()
            .map(|(id, touchpoint, channel)| (id, (touchpoint, channel)))
            .collect();
        let channels = from_json_table::<(String,)>("channels", &channels)?
            .into_iter()
            .map(|(key,)| key)
            .collect();
        Ok(References {
            touchpoint_channels,
            surveys,
            channels,
        })
    }

    /// The channel an answer is recorded under, or the problems of its references.
    fn check(
        &self,
        row: usize,
        response: &ResponseFields,
        request_channels: &HashMap<i64, String>,
        problems: &mut Problems,
    ) -> String {
        let mut channel = response.channel.clone();
        if let Some(request) = response.request_id {
            match request_channels.get(&request) {
                // An answer to a request's survey link is recorded under the request's channel.
                Some(request_channel) => {
                    channel = channel.or_else(|| Some(request_channel.clone()))
                }
                None => problems.push(
                    format!("[{row}].request_id"),
                    Problem::Invalid {
                        reason: format!("no request has the id {request}"),
                    },
                ),
            }
        }
        if let Some(survey) = response.survey_id {
            match self.surveys.get(&survey) {
                None => problems.push(
                    format!("[{row}].survey_id"),
                    Problem::Invalid {
                        reason: format!("no survey has the id {survey}"),
                    },
                ),
                Some((touchpoint, _)) if *touchpoint != response.touchpoint_id => problems.push(
                    format!("[{row}].survey_id"),
                    Problem::Invalid {
                        reason: format!(
                            "survey {survey} belongs to touchpoint {touchpoint}, not {}",
                            response.touchpoint_id
                        ),
                    },
                ),
                Some((_, survey_channel)) => {
                    channel = channel.or_else(|| survey_channel.clone());
                }
            }
        }
        match self.touchpoint_channels.get(&response.touchpoint_id) {
            None => {
                problems.push(
                    format!("[{row}].touchpoint_id"),
                    Problem::Invalid {
                        reason: format!("no touchpoint has the id {}", response.touchpoint_id),
                    },
                );
                String::new()
            }
            Some(touchpoint_channel) => {
                let channel = channel.unwrap_or_else(|| touchpoint_channel.clone());
                if !self.channels.contains(&channel) {
                    problems.push(
                        format!("[{row}].channel"),
                        Problem::Unknown {
                            value: channel.clone(),
                            allowed: self.channels.clone(),
                        },
                    );
                }
                channel
            }
        }
    }
}

async fn check_survey_references(conn: &mut Conn, fields: &SurveyFields) -> Result<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM touchpoints WHERE id = $1")
        .bind(fields.touchpoint_id)
        .fetch_optional(&mut *conn)
        .await?;
    if found.is_none() {
        return Err(StoreError::Invalid(Problems::single(
            "touchpoint_id",
            Problem::Invalid {
                reason: format!("no touchpoint has the id {}", fields.touchpoint_id),
            },
        )));
    }
    if let Some(channel) = &fields.channel {
        let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM channels ORDER BY key")
            .fetch_all(&mut *conn)
            .await?;
        if !keys.contains(channel) {
            return Err(StoreError::unknown("channel", channel, keys));
        }
    }
    Ok(())
}

async fn load_survey(conn: &mut Conn, id: i64) -> Result<StoredSurvey> {
    sqlx::query_as::<_, SurveyRow>(AssertSqlSafe(format!("{SURVEY_SELECT} WHERE s.id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound { entity: "survey" })?
        .into_survey()
}

fn survey_said(fields: &SurveyFields) -> Said {
    Said::new("audit-survey")
        .label("metric", format!("metric-{}", fields.metric.as_str()))
        .number("touchpoint", fields.touchpoint_id as f64)
}

fn survey_summary(fields: &SurveyFields) -> String {
    format!(
        "{} at touchpoint {}",
        fields.metric.as_str(),
        fields.touchpoint_id
    )
}

/// The conditions of a [`ResponseFilter`], after a `WHERE 1 = 1`.
fn push_response_filter(query: &mut QueryBuilder<Db>, filter: &ResponseFilter) {
    if let Some(touchpoint) = filter.touchpoint_id {
        query.push(" AND touchpoint_id = ").push_bind(touchpoint);
    }
    if let Some(survey) = filter.survey_id {
        query.push(" AND survey_id = ").push_bind(survey);
    }
    if let Some(request) = filter.request_id {
        query.push(" AND request_id = ").push_bind(request);
    }
    if filter.with_comment {
        query.push(" AND comment <> ''");
    }
    if let Some(min) = filter.min_score {
        query.push(" AND score >= ").push_bind(i32::from(min));
    }
    if let Some(max) = filter.max_score {
        query.push(" AND score <= ").push_bind(i32::from(max));
    }
    if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        // The text is matched as written: LIKE's wildcards in it are escaped.
        // Both sides are folded by the database, alike: SQLite folds ASCII letters only,
        // so there an umlaut is found as written, the letters around it in any case.
        let escaped = search
            .trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        query
            .push(" AND LOWER(comment) LIKE LOWER(")
            .push_bind(format!("%{escaped}%"))
            .push(") ESCAPE '\\'");
    }
    if let Some(from) = filter.from {
        query
            .push(" AND answered_at >= ")
            .push_bind(from.as_microsecond());
    }
    if let Some(until) = filter.until {
        query
            .push(" AND answered_at < ")
            .push_bind(until.as_microsecond());
    }
}

#[async_trait]
impl Surveys for SqlStore {
    async fn surveys(&self) -> Result<Vec<StoredSurvey>> {
        sqlx::query_as::<_, SurveyRow>(AssertSqlSafe(format!(
            "{SURVEY_SELECT} ORDER BY s.touchpoint_id, s.metric, s.id"
        )))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(SurveyRow::into_survey)
        .collect()
    }

    async fn survey(&self, id: i64) -> Result<StoredSurvey> {
        let mut conn = self.pool.acquire().await?;
        load_survey(&mut conn, id).await
    }

    async fn survey_by_slug(&self, slug: &str) -> Result<StoredSurvey> {
        sqlx::query_as::<_, SurveyRow>(AssertSqlSafe(format!("{SURVEY_SELECT} WHERE s.slug = $1")))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound { entity: "survey" })?
            .into_survey()
    }

    async fn surveys_answered_since(&self, since: Timestamp) -> Result<BTreeSet<i64>> {
        // The condition on survey_id lets both backends use the partial index of answers by
        // survey.
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT s.id FROM surveys s WHERE EXISTS (SELECT 1 FROM responses r \
             WHERE r.survey_id = s.id AND r.survey_id IS NOT NULL AND r.answered_at >= $1)",
        )
        .bind(since.as_microsecond())
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().collect())
    }

    async fn create_survey(
        &self,
        slug: &str,
        fields: &SurveyFields,
        actor: &str,
    ) -> Result<StoredSurvey> {
        let mut tx = self.begin().await?;
        check_survey_references(&mut tx, fields).await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM surveys WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::duplicate("slug", slug));
        }
        let now = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO surveys (slug, touchpoint_id, metric, channel, question_de, \
             question_en, follow_up_de, follow_up_en, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(slug)
        .bind(fields.touchpoint_id)
        .bind(fields.metric.as_str())
        .bind(&fields.channel)
        .bind(&fields.question_de)
        .bind(&fields.question_en)
        .bind(&fields.follow_up_de)
        .bind(&fields.follow_up_en)
        .bind(i32::from(fields.active))
        .bind(now.as_microsecond())
        .fetch_one(&mut *tx)
        .await?;
        audit_said(
            &mut tx,
            now,
            actor,
            "survey.create",
            "survey",
            &id.to_string(),
            &survey_summary(fields),
            &survey_said(fields),
        )
        .await?;
        let survey = load_survey(&mut tx, id).await?;
        tx.commit().await?;
        Ok(survey)
    }

    async fn update_survey(
        &self,
        id: i64,
        fields: &SurveyFields,
        actor: &str,
    ) -> Result<StoredSurvey> {
        let mut tx = self.begin().await?;
        let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT id FROM surveys WHERE id = $1{lock_row}",
            lock_row = Backend::LOCK_ROW
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if found.is_none() {
            return Err(StoreError::NotFound { entity: "survey" });
        }
        check_survey_references(&mut tx, fields).await?;
        let now = now();
        sqlx::query(
            "UPDATE surveys SET touchpoint_id = $1, metric = $2, channel = $3, question_de = $4, \
             question_en = $5, follow_up_de = $6, follow_up_en = $7, active = $8, updated_at = $9 \
             WHERE id = $10",
        )
        .bind(fields.touchpoint_id)
        .bind(fields.metric.as_str())
        .bind(&fields.channel)
        .bind(&fields.question_de)
        .bind(&fields.question_en)
        .bind(&fields.follow_up_de)
        .bind(&fields.follow_up_en)
        .bind(i32::from(fields.active))
        .bind(now.as_microsecond())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit_said(
            &mut tx,
            now,
            actor,
            "survey.update",
            "survey",
            &id.to_string(),
            &survey_summary(fields),
            &survey_said(fields),
        )
        .await?;
        let survey = load_survey(&mut tx, id).await?;
        tx.commit().await?;
        Ok(survey)
    }

    async fn delete_survey(&self, id: i64, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let survey = load_survey(&mut tx, id).await?;
        sqlx::query("DELETE FROM surveys WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit_said(
            &mut tx,
            now(),
            actor,
            "survey.delete",
            "survey",
            &id.to_string(),
            &survey_summary(&survey.fields),
            &survey_said(&survey.fields),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn record_responses(
        &self,
        responses: &[ResponseFields],
        actor: Option<&str>,
    ) -> Result<ImportSummary> {
        let part = AnswersPart {
            responses: responses.to_vec(),
            actor: actor.map(str::to_owned),
        };
        self.group_write(&self.queues.answers, part).await
    }

    async fn responses(&self, filter: &ResponseFilter, limit: u32) -> Result<Vec<StoredResponse>> {
        let mut query: QueryBuilder<Db> = QueryBuilder::new(format!(
            "SELECT {RESPONSE_COLUMNS} FROM responses WHERE 1 = 1"
        ));
        push_response_filter(&mut query, filter);
        query
            .push(" ORDER BY answered_at DESC, id DESC LIMIT ")
            .push_bind(i64::from(limit));
        query
            .build_query_as::<ResponseRow>()
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(ResponseRow::into_response)
            .collect()
    }

    async fn score_counts(&self, filter: &ResponseFilter) -> Result<Vec<(u8, u64)>> {
        let mut query: QueryBuilder<Db> =
            QueryBuilder::new("SELECT CAST(score AS BIGINT), COUNT(*) FROM responses WHERE 1 = 1");
        push_response_filter(&mut query, filter);
        query.push(" GROUP BY score ORDER BY score");
        let rows: Vec<(i64, i64)> = query.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|(score, n)| {
                let score = u8::try_from(score)
                    .map_err(|_| corrupt("responses", format!("score {score}")))?;
                Ok((score, u64::try_from(n).unwrap_or(0)))
            })
            .collect()
    }

    async fn response(&self, id: i64) -> Result<StoredResponse> {
        sqlx::query_as::<_, ResponseRow>(AssertSqlSafe(format!(
            "SELECT {RESPONSE_COLUMNS} FROM responses WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound { entity: "response" })?
        .into_response()
    }

    async fn response_page(&self, after_id: i64, limit: u32) -> Result<Vec<StoredResponse>> {
        sqlx::query_as::<_, ResponseRow>(AssertSqlSafe(format!(
            "SELECT {RESPONSE_COLUMNS} FROM responses WHERE id > $1 ORDER BY id LIMIT $2"
        )))
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(ResponseRow::into_response)
        .collect()
    }

    async fn customer_event_page(
        &self,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<(i64, CustomerEventFields)>> {
        let rows: Vec<(i64, Option<String>, String, String, i64, i64)> = sqlx::query_as(
            "SELECT id, external_id, customer_ref, kind, at, amount_cents FROM customer_events \
             WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, external_id, customer_ref, kind, at, amount_cents)| {
                Ok((
                    id,
                    CustomerEventFields {
                        customer_ref,
                        kind: event_kind(&kind)?,
                        at: instant("customer_events", at)?,
                        amount_cents,
                        external_id,
                    },
                ))
            })
            .collect()
    }

    async fn tallies(
        &self,
        resolution: Resolution,
        from: Date,
        until: Date,
    ) -> Result<Vec<TallyRow>> {
        let (table, _) = rollup_tables(resolution);
        let rows: Vec<TallyDbRow> = read_window(
            &self.pool,
            &window_select(table, "touchpoint_id, channel", ("$1", "$2")),
            (TALLY_COLUMNS, ""),
            table,
            (from, until),
        )
        .await?;
        rows.into_iter().map(|r| r.into_row(table)).collect()
    }

    async fn tallies_by_place(
        &self,
        resolution: Resolution,
        metric: Metric,
        from: Date,
        until: Date,
    ) -> Result<Vec<TallyRow>> {
        let (table, _) = rollup_tables(resolution);
        let rows = read_window(
            &self.pool,
            &by_place_select(table, metric, ("$1", "$2")),
            (TALLY_COLUMNS, ""),
            table,
            (from, until),
        )
        .await?;
        by_place_rows(table, rows, from)
    }

    async fn report_tallies(
        &self,
        resolution: Resolution,
        metric: Metric,
        window: ReportWindow,
        names: bool,
    ) -> Result<ReportTallies> {
        let (table, totals) = rollup_tables(resolution);
        let rows = json_table(TALLY_COLUMNS);
        let names_select = if names {
            format!("(SELECT {} FROM touchpoints)", json_table("id, name"))
        } else {
            "CAST('[]' AS TEXT)".to_owned()
        };
        // $1 is where the window before starts, $2 where the report's starts, $3 its end.
        let (buckets, current, previous, names): (String, String, String, String) =
            sqlx::query_as(AssertSqlSafe(format!(
                "SELECT (SELECT {rows} FROM ({buckets}) bucket_rows), \
                 (SELECT {rows} FROM ({current}) current_rows), \
                 (SELECT {rows} FROM ({previous}) previous_rows), {names_select}",
                buckets = window_select(totals, TOTALS_PLACE, ("$1", "$3")),
                current = by_place_select(table, metric, ("$2", "$3")),
                previous = by_place_select(table, metric, ("$1", "$2")),
            )))
            .bind(day_number(window.previous_from))
            .bind(day_number(window.from))
            .bind(day_number(window.until))
            .fetch_one(&self.pool)
            .await?;
        let buckets: Vec<TallyDbRow> = from_json_table(totals, &buckets)?;
        let current: Vec<TallyDbRow> = from_json_table(table, &current)?;
        let previous: Vec<TallyDbRow> = from_json_table(table, &previous)?;
        let names: Vec<(i64, String)> = from_json_table("touchpoints", &names)?;
        Ok(ReportTallies {
            buckets: buckets
                .into_iter()
                .map(|r| r.into_row(totals))
                .collect::<Result<_>>()?,
            current: by_place_rows(table, current, window.from)?,
            previous: by_place_rows(table, previous, window.previous_from)?,
            names: names.into_iter().collect(),
        })
    }

    async fn tallies_by_assignee(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<AssigneeTally>> {
        // Counted per score in the database; the scores are merged into tallies here. The
        // condition on request_id lets both backends use the partial index of such answers.
        let rows: Vec<(Option<String>, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT q.assignee, r.touchpoint_id, r.metric, CAST(r.score AS BIGINT), COUNT(*) \
             FROM responses r JOIN requests q ON q.id = r.request_id \
             WHERE r.request_id IS NOT NULL AND r.answered_at >= $1 AND r.answered_at < $2 \
             GROUP BY q.assignee, r.touchpoint_id, r.metric, r.score",
        )
        .bind(from.as_microsecond())
        .bind(until.as_microsecond())
        .fetch_all(&self.pool)
        .await?;
        let mut tallies: BTreeMap<(Option<String>, i64, Metric), Tally> = BTreeMap::new();
        for (assignee, touchpoint_id, metric_name, score, count) in rows {
            let metric = metric("responses", &metric_name)?;
            let score =
                u8::try_from(score).map_err(|_| corrupt("responses", format!("score {score}")))?;
            let tally = tallies
                .entry((assignee, touchpoint_id, metric))
                .or_default();
            let slot = tally
                .counts
                .get_mut(usize::from(score))
                .ok_or_else(|| corrupt("responses", format!("score {score}")))?;
            *slot = slot.saturating_add(count.unsigned_abs());
        }
        Ok(tallies
            .into_iter()
            .map(|((assignee, touchpoint_id, metric), tally)| AssigneeTally {
                assignee,
                touchpoint_id,
                metric,
                tally,
            })
            .collect())
    }

    async fn record_customer_events(
        &self,
        events: &[CustomerEventFields],
        actor: &str,
    ) -> Result<ImportSummary> {
        let part = EventsPart {
            events: events.to_vec(),
            actor: actor.to_owned(),
        };
        self.group_write(&self.queues.events, part).await
    }

    async fn customer_days(&self, from: Date, until: Date) -> Result<Vec<CustomerDay>> {
        let columns = "day, gained, lost, revenue_cents, purchases";
        let rows: Vec<(i32, i64, i64, i64, i64)> = read_window(
            &self.pool,
            &format!("SELECT {columns} FROM customer_days WHERE day >= $1 AND day < $2"),
            (columns, "day"),
            "customer_days",
            (from, until),
        )
        .await?;
        rows.into_iter()
            .map(|(day, gained, lost, revenue_cents, purchases)| {
                Ok(CustomerDay {
                    day: day_from_number(day)
                        .ok_or_else(|| corrupt("customer_days", format!("day {day}")))?,
                    gained,
                    lost,
                    revenue_cents,
                    purchases,
                })
            })
            .collect()
    }

    async fn customers_before(&self, day: Date) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(gained - lost), 0) AS BIGINT) FROM customer_days \
             WHERE day < $1",
        )
        .bind(day_number(day))
        .fetch_one(&self.pool)
        .await?)
    }

    async fn time_zone(&self) -> Result<String> {
        if let Some(name) = self.remembered.time_zone.get(&()) {
            return Ok(name);
        }
        let started = self.remembered.time_zone.begin();
        let mut conn = self.pool.acquire().await?;
        let name = time_zone_name(&mut conn).await?;
        self.remembered.time_zone.keep(started, (), name.clone());
        Ok(name)
    }

    async fn set_time_zone(&self, name: &str, actor: &str) -> Result<()> {
        let name = name.trim();
        if TimeZone::get(name).is_err() {
            return Err(StoreError::Invalid(Problems::single(
                "time_zone",
                Problem::Invalid {
                    reason: format!("\"{name}\" is no IANA time zone (like Europe/Berlin)"),
                },
            )));
        }
        let mut tx = self.begin().await?;
        let before = time_zone_name(&mut tx).await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(TIME_ZONE_KEY)
        .bind(name)
        .execute(&mut *tx)
        .await?;
        if before != name {
            recount(&mut tx).await?;
        }
        audit(
            &mut tx,
            now(),
            actor,
            "settings.time_zone",
            "settings",
            TIME_ZONE_KEY,
            &format!("{before} → {name}"),
        )
        .await?;
        tx.commit().await?;
        self.remembered.time_zone.forget_all();
        Ok(())
    }

    async fn rebuild_rollups(&self, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        recount(&mut tx).await?;
        audit(&mut tx, now(), actor, "rollups.rebuild", "rollups", "", "").await?;
        tx.commit().await?;
        Ok(())
    }
}

/// One caller's answers, all or none; `actor` as [`Surveys::record_responses`] takes it.
pub(super) struct AnswersPart {
    responses: Vec<ResponseFields>,
    actor: Option<String>,
}

impl GroupWrite for AnswersPart {
    type Output = ImportSummary;

    fn items(&self) -> usize {
        self.responses.len()
    }

    async fn write_in(&self, conn: &mut Conn) -> Result<ImportSummary> {
        record_answers_in(conn, &self.responses, self.actor.as_deref()).await
    }
}

async fn record_answers_in(
    tx: &mut Conn,
    responses: &[ResponseFields],
    actor: Option<&str>,
) -> Result<ImportSummary> {
    let at = now();
    let references = References::load(tx).await?;
    // The channels of the requests the answers follow, in one lookup; an id without a
    // request stays out and is a problem of its row.
    let request_ids: BTreeSet<i64> = responses.iter().filter_map(|r| r.request_id).collect();
    let request_channels: HashMap<i64, String> = if request_ids.is_empty() {
        HashMap::new()
    } else {
        let batch = json_rows(request_ids.iter().map(|id| serde_json::json!(id)).collect());
        let found: String = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT {} FROM requests \
             WHERE id IN (SELECT CAST(batch.value AS BIGINT) FROM {})",
            json_table("id, channel"),
            Backend::JSON_VALUES
        )))
        .bind(batch)
        .fetch_one(&mut *tx)
        .await?;
        from_json_table::<(i64, String)>("requests", &found)?
            .into_iter()
            .collect()
    };
    let mut problems = Problems::default();
    let checked: Vec<(&ResponseFields, String)> = responses
        .iter()
        .enumerate()
        .map(|(row, response)| {
            let channel = references.check(row, response, &request_channels, &mut problems);
            (response, channel)
        })
        .collect();
    if !problems.is_empty() {
        return Err(StoreError::Invalid(problems));
    }
    let fresh = fresh_items(tx, "responses", &checked, |(r, _)| r.external_id.as_deref()).await?;
    let tz = organisation_time_zone(tx).await?;
    let mut rollups = Rollups::default();
    // Answers go in by the thousand; one that opens a follow-up goes in on its own, in its
    // place, to learn its id.
    let mut pending: Vec<&(&ResponseFields, String)> = Vec::with_capacity(INSERT_CHUNK);
    let mut follow_ups: Vec<(i64, NewRequest)> = Vec::new();
    // An answer's events need its id: while a webhook wants them, answers go in one by one.
    let subscribers = super::sql_webhooks::subscribers(tx).await?;
    let one_by_one =
        subscribers.want(EventKind::AnswerReceived) || subscribers.want(EventKind::AnswerDetractor);
    let mut events = Vec::new();
    for &item in &fresh {
        let (response, channel) = item;
        rollups.count(
            response.metric,
            kpi::local_day(response.answered_at, &tz),
            response.touchpoint_id,
            channel,
            response.score,
        );
        let opened = follow_up::follow_up(response, channel, None, at);
        if opened.is_some() || one_by_one {
            insert_answers(tx, &pending).await?;
            pending.clear();
            let id = insert_answer(tx, item).await?;
            if one_by_one {
                events.extend(Event::answer(&AnswerFacts {
                    response_id: id,
                    survey_id: response.survey_id,
                    touchpoint_id: response.touchpoint_id,
                    channel,
                    request_id: response.request_id,
                    metric: response.metric.as_str(),
                    score: i64::from(response.score),
                }));
            }
            if let Some(opened) = opened {
                follow_ups.push((id, opened.into_request()));
            }
            continue;
        }
        pending.push(item);
        if pending.len() == INSERT_CHUNK {
            insert_answers(tx, &pending).await?;
            pending.clear();
        }
    }
    insert_answers(tx, &pending).await?;
    count_survey_answers(tx, fresh.iter().filter_map(|(r, _)| r.survey_id)).await?;
    super::sql_webhooks::emit(tx, &subscribers, &events, at).await?;
    rollups.write(tx).await?;
    if !follow_ups.is_empty() {
        open_follow_ups(tx, &follow_ups, actor.unwrap_or(follow_up::SOURCE), at).await?;
    }
    let summary = ImportSummary {
        created: fresh.len(),
        updated: 0,
        unchanged: responses.len() - fresh.len(),
    };
    if let Some(actor) = actor {
        audit_said(
            tx,
            at,
            actor,
            "responses.import",
            "responses",
            "",
            &format!("{} answers", summary.created),
            &Said::new("audit-answers-imported").number("count", summary.created as f64),
        )
        .await?;
    }
    Ok(summary)
}

/// Adds answers just stored to their surveys' counts, one statement per survey.
async fn count_survey_answers(tx: &mut Conn, surveys: impl Iterator<Item = i64>) -> Result<()> {
    let mut added: BTreeMap<i64, i64> = BTreeMap::new();
    for survey in surveys {
        *added.entry(survey).or_default() += 1;
    }
    for (survey, count) in added {
        sqlx::query("UPDATE surveys SET answers = answers + $1 WHERE id = $2")
            .bind(count)
            .bind(survey)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// One multi-row statement inserting `rows`.
fn answer_insert(rows: &[&(&ResponseFields, String)]) -> QueryBuilder<Db> {
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "INSERT INTO responses (external_id, survey_id, touchpoint_id, metric, score, \
         comment, answered_at, channel, customer_ref, request_id) ",
    );
    query.push_values(rows, |mut row, (response, channel)| {
        row.push_bind(response.external_id.as_deref())
            .push_bind(response.survey_id)
            .push_bind(response.touchpoint_id)
            .push_bind(response.metric.as_str())
            .push_bind(i32::from(response.score))
            .push_bind(response.comment.as_str())
            .push_bind(response.answered_at.as_microsecond())
            .push_bind(channel.as_str())
            .push_bind(response.customer_ref.as_deref())
            .push_bind(response.request_id);
    });
    query
}

/// Inserts answers with one statement.
async fn insert_answers(tx: &mut Conn, rows: &[&(&ResponseFields, String)]) -> Result<()> {
    if !rows.is_empty() {
        answer_insert(rows).build().execute(&mut *tx).await?;
    }
    Ok(())
}

/// Inserts one answer and returns its id.
async fn insert_answer(tx: &mut Conn, item: &(&ResponseFields, String)) -> Result<i64> {
    let rows = [item];
    let mut query = answer_insert(&rows);
    query.push(" RETURNING id");
    Ok(query.build_query_scalar().fetch_one(&mut *tx).await?)
}

/// Opens the follow-up requests of answers (answer id, request) through the intake, in the
/// answers' transaction, and links each to its answer with an audit entry naming it.
async fn open_follow_ups(
    tx: &mut Conn,
    follow_ups: &[(i64, NewRequest)],
    actor: &str,
    at: Timestamp,
) -> Result<()> {
    let requests: Vec<NewRequest> = follow_ups.iter().map(|(_, r)| r.clone()).collect();
    let outcomes = intake_in(tx, &requests, actor).await?;
    for ((response_id, _), outcome) in follow_ups.iter().zip(outcomes) {
        sqlx::query("UPDATE requests SET response_id = $1 WHERE id = $2")
            .bind(response_id)
            .bind(outcome.id)
            .execute(&mut *tx)
            .await?;
        audit_said(
            tx,
            at,
            actor,
            "request.follow_up",
            "request",
            &outcome.id.to_string(),
            &format!("follow-up of answer {response_id}"),
            &Said::new("audit-follow-up").number("answer", *response_id as f64),
        )
        .await?;
    }
    Ok(())
}

/// One caller's customer events, all or none.
pub(super) struct EventsPart {
    events: Vec<CustomerEventFields>,
    actor: String,
}

impl GroupWrite for EventsPart {
    type Output = ImportSummary;

    fn items(&self) -> usize {
        self.events.len()
    }

    async fn write_in(&self, conn: &mut Conn) -> Result<ImportSummary> {
        record_events_in(conn, &self.events, &self.actor).await
    }
}

async fn record_events_in(
    tx: &mut Conn,
    events: &[CustomerEventFields],
    actor: &str,
) -> Result<ImportSummary> {
    let fresh = fresh_items(tx, "customer_events", events, |e| e.external_id.as_deref()).await?;
    let tz = organisation_time_zone(tx).await?;
    let mut deltas = CustomerDeltas::default();
    let mut new_events: HashMap<&str, Vec<(Timestamp, CustomerEventKind)>> = HashMap::new();
    for event in &fresh {
        new_events
            .entry(event.customer_ref.as_str())
            .or_default()
            .push((event.at, event.kind));
        if event.kind == CustomerEventKind::Purchase {
            let entry = deltas
                .revenue
                .entry(day_number(kpi::local_day(event.at, &tz)))
                .or_default();
            entry.0 = entry.0.saturating_add(event.amount_cents);
            entry.1 += 1;
        }
    }
    // Events after a customer's last stored one continue their history from it; a customer
    // with an event before it (a late import) is recounted from all their events, before
    // and after, so that the event lands where it belongs.
    let customers: Vec<&str> = new_events.keys().copied().collect();
    let last = last_events_of(tx, &customers).await?;
    let mut late = Vec::new();
    for (customer, events) in &new_events {
        match kpi::memberships_after(last.get(*customer).copied(), events, &tz) {
            Some(changes) => add_memberships(&mut deltas.memberships, changes, 1),
            None => late.push(*customer),
        }
    }
    for (customer, before) in events_of(tx, &late).await? {
        let mut after = before.clone();
        after.extend(new_events.get(customer.as_str()).into_iter().flatten());
        add_memberships(&mut deltas.memberships, kpi::memberships(&before, &tz), -1);
        add_memberships(&mut deltas.memberships, kpi::memberships(&after, &tz), 1);
    }
    for chunk in fresh.chunks(INSERT_CHUNK) {
        let mut query: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO customer_events (external_id, customer_ref, kind, at, amount_cents) ",
        );
        query.push_values(chunk, |mut row, event| {
            row.push_bind(event.external_id.as_deref())
                .push_bind(event.customer_ref.as_str())
                .push_bind(event.kind.as_str())
                .push_bind(event.at.as_microsecond())
                .push_bind(event.amount_cents);
        });
        query.build().execute(&mut *tx).await?;
    }
    deltas.write(tx).await?;
    let summary = ImportSummary {
        created: fresh.len(),
        updated: 0,
        unchanged: events.len() - fresh.len(),
    };
    audit_said(
        tx,
        now(),
        actor,
        "customer_events.import",
        "customer_events",
        "",
        &format!("{} events", summary.created),
        &Said::new("audit-events-imported").number("count", summary.created as f64),
    )
    .await?;
    Ok(summary)
}
