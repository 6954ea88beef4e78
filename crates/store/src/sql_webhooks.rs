//! Outbound webhooks in SQL, compiled once per backend like `sql.rs`.
//!
//! An event is written by the write that causes it, in its transaction ([`emit`]), once,
//! with a delivery per active subscription that wants it, and only when one does: an
//! intake of thousands of requests with nobody subscribed writes nothing more than one read.
//! A claim is a lease, as for the outbox's mails: a conditional UPDATE moves a due delivery
//! to `sending` and its `next_attempt_at` to the lease's end, so of servers racing for it
//! exactly one gets it, and a server that dies while posting leaves it due again when the
//! lease ends.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use touchpoints_core::webhook::{DeliveryStatus, Event, EventKind, SubscriptionFields};

use super::sql::{
    Conn, SqlStore, corrupt, from_json_table, instant, json_table, now, select_column,
};
use super::sql_audit::audit;
use crate::{ClaimedDelivery, Result, StoreError, WebhookDelivery, WebhookSubscription, Webhooks};

const NOT_FOUND: StoreError = StoreError::NotFound { entity: "webhook" };

const SUBSCRIPTION_COLUMNS: &str =
    "id, url, events, active, allow_http, allow_private, created_at, created_by";

/// Due: queued and its try has come, or sending and its lease has ended.
const DUE: &str = "status IN ('queued', 'sending') AND next_attempt_at <= $1";

#[derive(sqlx::FromRow)]
struct SubscriptionRow {
    id: i64,
    url: String,
    events: String,
    active: i32,
    allow_http: i32,
    allow_private: i32,
    created_at: i64,
    created_by: String,
}

fn events_of(text: &str) -> Result<Vec<EventKind>> {
    text.split_whitespace()
        .map(|name| {
            EventKind::parse(name)
                .ok_or_else(|| corrupt("webhook_subscriptions", format!("event {name:?}")))
        })
        .collect()
}

fn events_text(events: &[EventKind]) -> String {
    events
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

impl SubscriptionRow {
    fn into_subscription(self) -> Result<WebhookSubscription> {
        Ok(WebhookSubscription {
            id: self.id,
            fields: SubscriptionFields {
                url: self.url,
                events: events_of(&self.events)?,
                active: self.active != 0,
                allow_http: self.allow_http != 0,
                allow_private: self.allow_private != 0,
            },
            created_at: instant("webhook_subscriptions", self.created_at)?,
            created_by: self.created_by,
        })
    }
}

/// The public id of event `id`: its row's id with the instant it was written, so that a
/// database started afresh does not hand a receiver an id it has seen and dedupes.
fn public_event_id(id: i64, created_at: i64) -> String {
    format!("evt_{id}_{created_at:x}")
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    subscription_id: i64,
    event_id: i64,
    kind: String,
    event_at: i64,
    status: String,
    attempts: i64,
    next_attempt_at: i64,
    last_error: String,
    last_status: Option<i64>,
    created_at: i64,
    delivered_at: Option<i64>,
}

const DELIVERY_COLUMNS: &str = "d.id, d.subscription_id, d.event_id, e.kind, \
     e.created_at AS event_at, d.status, d.attempts, d.next_attempt_at, d.last_error, \
     d.last_status, d.created_at, d.delivered_at";

impl DeliveryRow {
    fn into_delivery(self) -> Result<WebhookDelivery> {
        let table = "webhook_deliveries";
        Ok(WebhookDelivery {
            id: self.id,
            subscription_id: self.subscription_id,
            event_id: public_event_id(self.event_id, self.event_at),
            kind: EventKind::parse(&self.kind)
                .ok_or_else(|| corrupt(table, format!("kind {:?}", self.kind)))?,
            status: DeliveryStatus::parse(&self.status)
                .ok_or_else(|| corrupt(table, format!("status {:?}", self.status)))?,
            attempts: self.attempts,
            next_attempt_at: instant(table, self.next_attempt_at)?,
            last_error: self.last_error,
            last_status: self.last_status,
            created_at: instant(table, self.created_at)?,
            delivered_at: self.delivered_at.map(|at| instant(table, at)).transpose()?,
        })
    }
}

/// The active subscriptions and the events each wants, read once per write that may emit.
#[derive(Debug, Default)]
pub(super) struct Subscribers(Vec<(i64, Vec<EventKind>)>);

impl Subscribers {
    pub(super) fn want(&self, kind: EventKind) -> bool {
        self.0.iter().any(|(_, events)| events.contains(&kind))
    }
}

/// The active subscriptions as one column of one row (see `sql_requests::settings_column`):
/// every intake and group of answers asks.
pub(super) fn subscribers_column() -> String {
    format!(
        "(SELECT {} FROM webhook_subscriptions WHERE active = 1)",
        json_table("id, events")
    )
}

/// The subscribers [`subscribers_column`] read.
pub(super) fn subscribers_from(rows: &str) -> Result<Subscribers> {
    from_json_table::<(i64, String)>("webhook_subscriptions", rows)?
        .into_iter()
        .map(|(id, events)| Ok((id, events_of(&events)?)))
        .collect::<Result<_>>()
        .map(Subscribers)
}

pub(super) async fn subscribers(conn: &mut Conn) -> Result<Subscribers> {
    subscribers_from(&select_column(conn, &subscribers_column()).await?)
}

/// Writes each of `events` that a subscriber wants, with a delivery due at once for each
/// subscriber that wants it.
pub(super) async fn emit(
    conn: &mut Conn,
    subscribers: &Subscribers,
    events: &[Event],
    at: Timestamp,
) -> Result<()> {
    for event in events {
        let ids: Vec<i64> = subscribers
            .0
            .iter()
            .filter(|(_, wanted)| wanted.contains(&event.kind))
            .map(|(id, _)| *id)
            .collect();
        if !ids.is_empty() {
            write_event(conn, &ids, event, at).await?;
        }
    }
    Ok(())
}

/// [`emit`] after reading the subscribers, for a write that emits a few events.
pub(super) async fn emit_now(conn: &mut Conn, events: &[Event], at: Timestamp) -> Result<()> {
    let subscribers = subscribers(conn).await?;
    emit(conn, &subscribers, events, at).await
}

/// Writes `event` with a delivery to each of `subscriptions`; the last delivery's id.
async fn write_event(
    conn: &mut Conn,
    subscriptions: &[i64],
    event: &Event,
    at: Timestamp,
) -> Result<i64> {
    let event_id: i64 = sqlx::query_scalar(
        "INSERT INTO webhook_events (kind, data, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(event.kind.as_str())
    .bind(event.data.to_string())
    .bind(at.as_microsecond())
    .fetch_one(&mut *conn)
    .await?;
    let mut last = 0;
    for subscription in subscriptions {
        last = sqlx::query_scalar(
            "INSERT INTO webhook_deliveries (subscription_id, event_id, status, attempts, \
             next_attempt_at, last_error, last_status, created_at, delivered_at) \
             VALUES ($1, $2, 'queued', 0, $3, '', NULL, $3, NULL) RETURNING id",
        )
        .bind(subscription)
        .bind(event_id)
        .bind(at.as_microsecond())
        .fetch_one(&mut *conn)
        .await?;
    }
    Ok(last)
}

async fn load(conn: &mut Conn, id: i64) -> Result<WebhookSubscription> {
    let row: Option<SubscriptionRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(NOT_FOUND)?.into_subscription()
}

fn summary(fields: &SubscriptionFields) -> String {
    format!(
        "{} ({}){}",
        fields.url,
        events_text(&fields.events),
        if fields.active { "" } else { ", paused" }
    )
}

#[async_trait]
impl Webhooks for SqlStore {
    async fn webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        let rows: Vec<SubscriptionRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(SubscriptionRow::into_subscription)
            .collect()
    }

    async fn webhook(&self, id: i64) -> Result<WebhookSubscription> {
        let mut conn = self.pool.acquire().await?;
        load(&mut conn, id).await
    }

    async fn create_webhook(
        &self,
        fields: &SubscriptionFields,
        secret: &str,
        actor: &str,
    ) -> Result<WebhookSubscription> {
        let mut tx = self.begin().await?;
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO webhook_subscriptions (url, events, active, allow_http, allow_private, \
             secret, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&fields.url)
        .bind(events_text(&fields.events))
        .bind(i32::from(fields.active))
        .bind(i32::from(fields.allow_http))
        .bind(i32::from(fields.allow_private))
        .bind(secret)
        .bind(at.as_microsecond())
        .bind(actor)
        .fetch_one(&mut *tx)
        .await?;
        audit(
            &mut tx,
            at,
            actor,
            "webhook.create",
            "webhook",
            &id.to_string(),
            &summary(fields),
        )
        .await?;
        let created = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn update_webhook(
        &self,
        id: i64,
        fields: &SubscriptionFields,
        actor: &str,
    ) -> Result<WebhookSubscription> {
        let mut tx = self.begin().await?;
        let changed = sqlx::query(
            "UPDATE webhook_subscriptions SET url = $1, events = $2, active = $3, \
             allow_http = $4, allow_private = $5 WHERE id = $6",
        )
        .bind(&fields.url)
        .bind(events_text(&fields.events))
        .bind(i32::from(fields.active))
        .bind(i32::from(fields.allow_http))
        .bind(i32::from(fields.allow_private))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 0 {
            return Err(NOT_FOUND);
        }
        audit(
            &mut tx,
            now(),
            actor,
            "webhook.update",
            "webhook",
            &id.to_string(),
            &summary(fields),
        )
        .await?;
        let updated = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(updated)
    }

    async fn delete_webhook(&self, id: i64, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let gone = load(&mut tx, id).await?;
        sqlx::query("DELETE FROM webhook_deliveries WHERE subscription_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM webhook_subscriptions WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // Events no subscription waits for any more.
        sqlx::query(
            "DELETE FROM webhook_events WHERE NOT EXISTS \
             (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)",
        )
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            now(),
            actor,
            "webhook.delete",
            "webhook",
            &id.to_string(),
            &gone.fields.url,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn queue_webhook_event(&self, id: i64, event: &Event, at: Timestamp) -> Result<i64> {
        let mut tx = self.begin().await?;
        load(&mut tx, id).await?;
        let delivery = write_event(&mut tx, &[id], event, at).await?;
        tx.commit().await?;
        Ok(delivery)
    }

    async fn claim_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedDelivery>> {
        let candidates: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT id FROM webhook_deliveries WHERE {DUE} AND subscription_id IN \
             (SELECT id FROM webhook_subscriptions WHERE active = 1) \
             ORDER BY next_attempt_at, id LIMIT $2"
        )))
        .bind(now.as_microsecond())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::with_capacity(candidates.len());
        for id in candidates {
            // Conditional, so that of servers racing for the delivery one changes it.
            let row: Option<(i64, i64, i64)> = sqlx::query_as(AssertSqlSafe(format!(
                "UPDATE webhook_deliveries SET status = 'sending', attempts = attempts + 1, \
                 next_attempt_at = $2 WHERE id = $3 AND {DUE} \
                 RETURNING subscription_id, event_id, attempts"
            )))
            .bind(now.as_microsecond())
            .bind(lease_until.as_microsecond())
            .bind(id)
            .fetch_optional(&self.writes)
            .await?;
            let Some((subscription_id, event_id, attempts)) = row else {
                continue;
            };
            let (url, allow_private, secret): (String, i32, String) = sqlx::query_as(
                "SELECT url, allow_private, secret FROM webhook_subscriptions WHERE id = $1",
            )
            .bind(subscription_id)
            .fetch_one(&self.writes)
            .await?;
            let (kind, data, created_at): (String, String, i64) =
                sqlx::query_as("SELECT kind, data, created_at FROM webhook_events WHERE id = $1")
                    .bind(event_id)
                    .fetch_one(&self.writes)
                    .await?;
            let table = "webhook_events";
            let event = Event {
                kind: EventKind::parse(&kind)
                    .ok_or_else(|| corrupt(table, format!("kind {kind:?}")))?,
                data: serde_json::from_str(&data).map_err(|e| corrupt(table, e.to_string()))?,
            };
            let public_id = public_event_id(event_id, created_at);
            claimed.push(ClaimedDelivery {
                id,
                subscription_id,
                attempts,
                url,
                allow_private: allow_private != 0,
                secret,
                body: event.body(&public_id, instant(table, created_at)?),
                event_id: public_id,
            });
        }
        Ok(claimed)
    }

    async fn delivered(&self, id: i64, attempt: i64, status: u16, at: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET status = 'delivered', delivered_at = $1, \
             last_error = '', last_status = $2 \
             WHERE id = $3 AND status = 'sending' AND attempts = $4",
        )
        .bind(at.as_microsecond())
        .bind(i64::from(status))
        .bind(id)
        .bind(attempt)
        .execute(&self.writes)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn not_delivered(
        &self,
        id: i64,
        attempt: i64,
        error: &str,
        status: Option<u16>,
        retry_at: Option<Timestamp>,
    ) -> Result<bool> {
        let next = match retry_at {
            Some(_) => DeliveryStatus::Queued,
            None => DeliveryStatus::Failed,
        };
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET status = $1, last_error = $2, last_status = $3, \
             next_attempt_at = COALESCE($4, next_attempt_at) \
             WHERE id = $5 AND status = 'sending' AND attempts = $6",
        )
        .bind(next.as_str())
        .bind(error)
        .bind(status.map(i64::from))
        .bind(retry_at.map(|at| at.as_microsecond()))
        .bind(id)
        .bind(attempt)
        .execute(&self.writes)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn deliveries(&self, id: i64, limit: u32) -> Result<Vec<WebhookDelivery>> {
        let mut conn = self.pool.acquire().await?;
        load(&mut conn, id).await?;
        let rows: Vec<DeliveryRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d \
             JOIN webhook_events e ON e.id = d.event_id \
             WHERE d.subscription_id = $1 ORDER BY d.id DESC LIMIT $2"
        )))
        .bind(id)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter().map(DeliveryRow::into_delivery).collect()
    }

    async fn purge_webhook_events(&self, before: Timestamp) -> Result<u64> {
        // The deliveries go with their event: `ON DELETE CASCADE` on both backends.
        let purged = sqlx::query(
            "DELETE FROM webhook_events WHERE created_at < $1 AND NOT EXISTS ( \
               SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id \
               AND d.status NOT IN ('delivered', 'failed'))",
        )
        .bind(before.as_microsecond())
        .execute(&self.writes)
        .await?
        .rows_affected();
        Ok(purged)
    }
}
