//! The outbox of mails to customers in SQL, compiled once per backend like `sql.rs`.
//!
//! A mail is written in the transaction of the step that sends it (composed by the app), so a
//! reply without its mail, or a mail without its reply, cannot happen. A claim moves a due mail to `sending`
//! and its `next_attempt_at` to the lease's end, in one conditional UPDATE: of servers racing
//! for a mail exactly one changes the row, and a server that dies while sending leaves a
//! mail that is due again when the lease ends.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use touchpoints_core::audit::Said;
use touchpoints_core::mail::{self, MailKind, MailSettings, MailStatus, not_sent};
use touchpoints_core::{Problem, Problems};

use super::sql::{Conn, SqlStore, corrupt, instant, now};
use super::sql_audit::{audit, audit_said};
use super::sql_requests::{parse_setting, put_setting, setting};

use crate::{NewMail, Outbox, OutboxMail, Result, StoreError, StoredRequest};

/// The mail settings are one JSON document among the settings of the queue's table.
const MAIL_SETTINGS: &str = "mail";

const COLUMNS: &str = "id, request_id, step_id, kind, recipient, sender, sender_name, subject, \
                       body_text, body_html, message_id, in_reply_to, refs, status, attempts, \
                       next_attempt_at, last_error, created_at, sent_at, unsubscribe";

/// Due: queued and its try has come, or sending and its lease has ended.
const DUE: &str = "status IN ('queued', 'sending') AND next_attempt_at <= $1";

#[derive(sqlx::FromRow)]
struct MailRow {
    id: i64,
    request_id: Option<i64>,
    step_id: Option<i64>,
    kind: String,
    recipient: String,
    sender: String,
    sender_name: String,
    subject: String,
    body_text: String,
    body_html: String,
    message_id: String,
    in_reply_to: String,
    refs: String,
    status: String,
    attempts: i64,
    next_attempt_at: i64,
    last_error: String,
    created_at: i64,
    sent_at: Option<i64>,
    unsubscribe: String,
}

impl MailRow {
    fn into_mail(self) -> Result<OutboxMail> {
        Ok(OutboxMail {
            id: self.id,
            request_id: self.request_id,
            step_id: self.step_id,
            kind: MailKind::parse(&self.kind)
                .ok_or_else(|| corrupt("outbox_mails", format!("kind {:?}", self.kind)))?,
            recipient: self.recipient,
            sender: self.sender,
            sender_name: self.sender_name,
            subject: self.subject,
            body_text: self.body_text,
            body_html: self.body_html,
            message_id: self.message_id,
            in_reply_to: self.in_reply_to,
            references: self.refs.split_whitespace().map(str::to_owned).collect(),
            status: MailStatus::parse(&self.status)
                .ok_or_else(|| corrupt("outbox_mails", format!("status {:?}", self.status)))?,
            attempts: self.attempts,
            next_attempt_at: instant("outbox_mails", self.next_attempt_at)?,
            last_error: self.last_error,
            created_at: instant("outbox_mails", self.created_at)?,
            sent_at: self
                .sent_at
                .map(|at| instant("outbox_mails", at))
                .transpose()?,
            unsubscribe: self.unsubscribe,
        })
    }
}

/// The mail server's settings; `None` while none is configured.
pub(super) async fn load_settings(conn: &mut Conn) -> Result<Option<MailSettings>> {
    parse_setting(MAIL_SETTINGS, setting(conn, MAIL_SETTINGS).await?)
}

/// Where a new mail to `recipient` starts, and why when it cannot go: held while no mail
/// server is configured, failed at once without an address, queued otherwise.
pub(super) fn initial_status(
    settings: Option<&MailSettings>,
    recipient: &str,
) -> (MailStatus, &'static str) {
    match settings {
        None => (MailStatus::Held, not_sent::NO_SERVER),
        Some(_) if recipient.is_empty() => (MailStatus::Failed, not_sent::NO_ADDRESS),
        Some(_) => (MailStatus::Queued, ""),
    }
}

/// Queues `mail`, which step `step_id` on request `r` sends, threaded after the conversation
/// so far: the customer's mail, when its Message-ID came with the request, then the request's
/// mails that went or may still go (not the held or failed ones the customer never got).
pub(super) async fn queue_mail(
    conn: &mut Conn,
    r: &StoredRequest,
    step_id: i64,
    mail: &NewMail,
    at: Timestamp,
) -> Result<()> {
    let settings = load_settings(conn).await?;
    let settings = settings.as_ref();
    let original: Option<String> =
        sqlx::query_scalar("SELECT message_id FROM requests WHERE id = $1")
            .bind(r.id)
            .fetch_one(&mut *conn)
            .await?;
    let mut earlier: Vec<String> = original.into_iter().collect();
    earlier.extend(
        sqlx::query_scalar::<_, String>(
            "SELECT message_id FROM outbox_mails WHERE request_id = $1 \
             AND status IN ('queued', 'sending', 'sent') ORDER BY id",
        )
        .bind(r.id)
        .fetch_all(&mut *conn)
        .await?,
    );
    let (in_reply_to, references) = mail::thread(&earlier);
    let (sender, sender_name) = settings
        .map(|s| s.sender_for(r.touchpoint_id, &r.channel))
        .unwrap_or_default();
    let domain = settings.map_or("touchpoints.invalid", |s| s.domain());
    let (status, error) = initial_status(settings, &mail.recipient);
    sqlx::query(
        "INSERT INTO outbox_mails (request_id, step_id, kind, recipient, sender, sender_name, \
         subject, body_text, body_html, message_id, in_reply_to, refs, status, attempts, \
         next_attempt_at, last_error, created_at, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, $14, $15, $14, NULL)",
    )
    .bind(r.id)
    .bind(step_id)
    .bind(mail.kind.as_str())
    .bind(&mail.recipient)
    .bind(sender)
    .bind(sender_name)
    .bind(&mail.composed.subject)
    .bind(&mail.composed.text)
    .bind(&mail.composed.html)
    .bind(mail::message_id(r.id, step_id, at, domain))
    .bind(in_reply_to.unwrap_or_default())
    .bind(references.join(" "))
    .bind(status.as_str())
    .bind(at.as_microsecond())
    .bind(error)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A customer's mails, for the export of their requests.
pub(super) async fn export_request_mails(
    conn: &mut Conn,
    request_id: i64,
) -> Result<Vec<serde_json::Value>> {
    let rows: Vec<MailRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM outbox_mails WHERE request_id = $1 ORDER BY id"
    )))
    .bind(request_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let m = row.into_mail()?;
            Ok(serde_json::json!({
                "recipient": m.recipient, "subject": m.subject, "body": m.body_text,
                "status": m.status.as_str(), "created_at": m.created_at.to_string(),
                "sent_at": m.sent_at.map(|at| at.to_string()),
            }))
        })
        .collect()
}

#[async_trait]
impl Outbox for SqlStore {
    async fn mail_settings(&self) -> Result<Option<MailSettings>> {
        let mut conn = self.pool.acquire().await?;
        load_settings(&mut conn).await
    }

    async fn put_mail_settings(&self, settings: &MailSettings, actor: &str) -> Result<()> {
        let text = serde_json::to_string(settings)
            .map_err(|e| corrupt("queue_settings", e.to_string()))?;
        let mut tx = self.begin().await?;
        let at = now();
        put_setting(&mut tx, MAIL_SETTINGS, &text, at, actor).await?;
        audit_said(
            &mut tx,
            at,
            actor,
            "mail.settings",
            "settings",
            MAIL_SETTINGS,
            &format!(
                "{}:{} ({}), sender {}",
                settings.host,
                settings.port,
                settings.security.as_str(),
                settings.from_address
            ),
            &Said::new("audit-mail-settings")
                .text(
                    "server",
                    format!(
                        "{}:{} ({})",
                        settings.host,
                        settings.port,
                        settings.security.as_str()
                    ),
                )
                .text("sender", settings.from_address.as_str()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn claim_mails(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<OutboxMail>> {
        let candidates: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT id FROM outbox_mails WHERE {DUE} ORDER BY next_attempt_at, id LIMIT $2"
        )))
        .bind(now.as_microsecond())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::with_capacity(candidates.len());
        for id in candidates {
            // Conditional, so that of servers racing for the mail one changes it.
            let row: Option<MailRow> = sqlx::query_as(AssertSqlSafe(format!(
                "UPDATE outbox_mails SET status = 'sending', attempts = attempts + 1, \
                 next_attempt_at = $2 WHERE id = $3 AND {DUE} RETURNING {COLUMNS}"
            )))
            .bind(now.as_microsecond())
            .bind(lease_until.as_microsecond())
            .bind(id)
            .fetch_optional(&self.writes)
            .await?;
            if let Some(row) = row {
                claimed.push(row.into_mail()?);
            }
        }
        Ok(claimed)
    }

    async fn mail_sent(&self, id: i64, attempt: i64, at: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE outbox_mails SET status = 'sent', sent_at = $1, last_error = '' \
             WHERE id = $2 AND status = 'sending' AND attempts = $3",
        )
        .bind(at.as_microsecond())
        .bind(id)
        .bind(attempt)
        .execute(&self.writes)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn mail_not_sent(
        &self,
        id: i64,
        attempt: i64,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<bool> {
        let status = match retry_at {
            Some(_) => MailStatus::Queued,
            None => MailStatus::Failed,
        };
        let done = sqlx::query(
            "UPDATE outbox_mails SET status = $1, last_error = $2, \
             next_attempt_at = COALESCE($3, next_attempt_at) \
             WHERE id = $4 AND status = 'sending' AND attempts = $5",
        )
        .bind(status.as_str())
        .bind(error)
        .bind(retry_at.map(|at| at.as_microsecond()))
        .bind(id)
        .bind(attempt)
        .execute(&self.writes)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn retry_mail(&self, id: i64, now: Timestamp, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let found: Option<(String, String, String)> =
            sqlx::query_as("SELECT status, recipient, subject FROM outbox_mails WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let (status, recipient, subject) = found.ok_or(StoreError::NotFound { entity: "mail" })?;
        if status != MailStatus::Failed.as_str() || recipient.is_empty() {
            return Err(StoreError::Conflict(Problems::single(
                "status",
                Problem::rule(
                    "mail-not-retryable",
                    &format!(
                        "only a mail that failed and has a recipient is tried again; this one is {status}"
                    ),
                ),
            )));
        }
        sqlx::query(
            "UPDATE outbox_mails SET status = 'queued', attempts = 0, next_attempt_at = $1, \
             last_error = '' WHERE id = $2",
        )
        .bind(now.as_microsecond())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            now,
            actor,
            "mail.retry",
            "mail",
            &id.to_string(),
            &subject,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn release_held_mails(&self, now: Timestamp, actor: &str) -> Result<u64> {
        let mut tx = self.begin().await?;
        let Some(settings) = load_settings(&mut tx).await? else {
            return Err(StoreError::Conflict(Problems::single(
                "settings",
                Problem::rule(
                    "no-mail-server",
                    "configure the mail server first: held mails go out through it",
                ),
            )));
        };
        let held: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT id, unsubscribe, body_text, body_html FROM outbox_mails \
             WHERE status = 'held' ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let needs_address = held.iter().any(|(_, link, ..)| link.starts_with('/'));
        if needs_address && settings.public_url.is_empty() {
            return Err(StoreError::Conflict(Problems::single(
                "public_url",
                Problem::rule(
                    "no-public-url",
                    "set the public address in the mail settings first: held campaign mails \
                     carry a link that ends such mails",
                ),
            )));
        }
        for (id, link, text, html) in &held {
            // The path stands in the text and in the HTML's href as written; the HTML
            // escapes no character of a path of digits, letters and slashes.
            let (link, text, html) = match link.starts_with('/') {
                true => {
                    let absolute = format!("{}{link}", settings.public_url);
                    let text = text.replace(link.as_str(), &absolute);
                    let html = html.replace(link.as_str(), &absolute);
                    (absolute, text, html)
                }
                false => (link.clone(), text.clone(), html.clone()),
            };
            sqlx::query(
                "UPDATE outbox_mails SET status = CASE WHEN recipient = '' THEN 'failed' \
                 ELSE 'queued' END, last_error = CASE WHEN recipient = '' THEN $1 ELSE '' END, \
                 sender = $2, sender_name = $3, attempts = 0, next_attempt_at = $4, \
                 unsubscribe = $5, body_text = $6, body_html = $7 WHERE id = $8",
            )
            .bind(not_sent::NO_ADDRESS)
            .bind(&settings.from_address)
            .bind(&settings.from_name)
            .bind(now.as_microsecond())
            .bind(link)
            .bind(text)
            .bind(html)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        let released = held.len() as u64;
        if released > 0 {
            audit_said(
                &mut tx,
                now,
                actor,
                "mail.release",
                "mail",
                "",
                &format!("{released} held mails released"),
                &Said::new("audit-mail-release").number("count", released as f64),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(released)
    }

    async fn request_mails(&self, request_id: i64) -> Result<Vec<OutboxMail>> {
        let rows: Vec<MailRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM outbox_mails WHERE request_id = $1 ORDER BY id"
        )))
        .bind(request_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(MailRow::into_mail).collect()
    }

    async fn last_survey_mail(&self, customer_id: i64) -> Result<Option<Timestamp>> {
        let last: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(m.created_at) FROM outbox_mails m JOIN requests q ON q.id = m.request_id \
             WHERE q.customer_id = $1 AND m.kind = 'survey'",
        )
        .bind(customer_id)
        .fetch_one(&self.pool)
        .await?;
        last.map(|at| instant("outbox_mails", at)).transpose()
    }

    async fn outbox(&self, limit: u32) -> Result<(Vec<OutboxMail>, Vec<(MailStatus, u64)>)> {
        let rows: Vec<MailRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM outbox_mails ORDER BY id DESC LIMIT $1"
        )))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mails = rows
            .into_iter()
            .map(MailRow::into_mail)
            .collect::<Result<_>>()?;
        let counts: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM outbox_mails GROUP BY status")
                .fetch_all(&self.pool)
                .await?;
        let mut counts = counts
            .into_iter()
            .map(|(status, n)| {
                let status = MailStatus::parse(&status)
                    .ok_or_else(|| corrupt("outbox_mails", format!("status {status:?}")))?;
                Ok((status, u64::try_from(n).unwrap_or(0)))
            })
            .collect::<Result<Vec<_>>>()?;
        counts.sort_by_key(|(status, _)| MailStatus::ALL.iter().position(|s| s == status));
        Ok((mails, counts))
    }
}
