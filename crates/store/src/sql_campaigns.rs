//! Segments and campaigns in SQL, compiled once per backend like `sql.rs`.
//!
//! A campaign's send writes one `campaign_recipients` row per customer with its mail, in one
//! transaction: the row's primary key (campaign, customer) is what keeps a customer from
//! getting a campaign twice, however often it is sent and by however many servers.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use touchpoints_core::audit::Said;
use touchpoints_core::campaign::{self, CampaignFields};
use touchpoints_core::customer::Consent;
use touchpoints_core::mail::{self, MailKind, MailSettings, MailStatus};
use touchpoints_core::segment::{Combine, CustomerFacts, NpsCategory, SegmentFields};
use touchpoints_core::webhook::Event;
use touchpoints_core::{Problem, Problems};

use super::sql::{Conn, SqlStore, corrupt, instant, now};
use super::sql_audit::{audit, audit_said};
use super::sql_customers::{CUSTOMER_COLUMNS, CustomerRow};
use super::sql_outbox::{initial_status, load_settings};
use crate::error::OnViolation;
use crate::{
    CampaignMailOut, CampaignRecipient, CampaignSend, Campaigns, Result, StoreError,
    StoredCampaign, StoredSegment,
};

const SEGMENT_NOT_FOUND: StoreError = StoreError::NotFound { entity: "segment" };
const CAMPAIGN_NOT_FOUND: StoreError = StoreError::NotFound { entity: "campaign" };

#[derive(sqlx::FromRow)]
struct SegmentRow {
    id: i64,
    name: String,
    combine: String,
    rules: String,
    updated_at: i64,
}

impl SegmentRow {
    fn into_segment(self) -> Result<StoredSegment> {
        let combine = Combine::parse(&self.combine)
            .ok_or_else(|| corrupt("segments", format!("combine {:?}", self.combine)))?;
        Ok(StoredSegment {
            id: self.id,
            fields: SegmentFields {
                name: self.name,
                combine,
                rules: serde_json::from_str(&self.rules)
                    .map_err(|e| corrupt("segments", e.to_string()))?,
            },
            updated_at: instant("segments", self.updated_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct CampaignRow {
    id: i64,
    name: String,
    segment_id: i64,
    template_id: i64,
    per_minute: i64,
    created_by: String,
    created_at: i64,
    sent_at: Option<i64>,
    sent_by: Option<String>,
}

const CAMPAIGN_COLUMNS: &str =
    "id, name, segment_id, template_id, per_minute, created_by, created_at, sent_at, sent_by";

impl CampaignRow {
    fn into_campaign(self, mails: Vec<(MailStatus, u64)>) -> Result<StoredCampaign> {
        Ok(StoredCampaign {
            id: self.id,
            fields: CampaignFields {
                name: self.name,
                segment_id: self.segment_id,
                template_id: self.template_id,
                per_minute: u32::try_from(self.per_minute)
                    .map_err(|e| corrupt("campaigns", e.to_string()))?,
            },
            created_by: self.created_by,
            created_at: instant("campaigns", self.created_at)?,
            sent_at: self
                .sent_at
                .map(|at| instant("campaigns", at))
                .transpose()?,
            sent_by: self.sent_by,
            mails,
        })
    }
}

/// The recipients' mails per status, by campaign: of campaign `only`, or of every one.
async fn mail_counts(
    conn: &mut Conn,
    only: Option<i64>,
) -> Result<HashMap<i64, Vec<(MailStatus, u64)>>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT cr.campaign_id, m.status, COUNT(*) FROM campaign_recipients cr \
         JOIN outbox_mails m ON m.id = cr.mail_id \
         WHERE $1 IS NULL OR cr.campaign_id = $1 GROUP BY cr.campaign_id, m.status",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let mut counts: HashMap<i64, Vec<(MailStatus, u64)>> = HashMap::new();
    for (campaign, status, n) in rows {
        let status = MailStatus::parse(&status)
            .ok_or_else(|| corrupt("outbox_mails", format!("status {status:?}")))?;
        counts
            .entry(campaign)
            .or_default()
            .push((status, n.unsigned_abs()));
    }
    for list in counts.values_mut() {
        list.sort_by_key(|(status, _)| MailStatus::ALL.iter().position(|s| s == status));
    }
    Ok(counts)
}

async fn load_campaign(conn: &mut Conn, id: i64) -> Result<StoredCampaign> {
    let row: Option<CampaignRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or(CAMPAIGN_NOT_FOUND)?;
    let mails = mail_counts(conn, Some(id))
        .await?
        .remove(&id)
        .unwrap_or_default();
    row.into_campaign(mails)
}

/// Writes a campaign's mail to the outbox, due at `due`; its id.
async fn insert_mail(
    conn: &mut Conn,
    settings: Option<&MailSettings>,
    mail: &CampaignMailOut,
    message_id: &str,
    at: Timestamp,
    due: Timestamp,
) -> Result<i64> {
    let (sender, sender_name) = settings
        .map(|s| (s.from_address.clone(), s.from_name.clone()))
        .unwrap_or_default();
    let (status, error) = initial_status(settings, &mail.recipient);
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox_mails (request_id, step_id, kind, recipient, sender, sender_name, \
         subject, body_text, body_html, message_id, in_reply_to, refs, status, attempts, \
         next_attempt_at, last_error, created_at, sent_at, unsubscribe) \
         VALUES (NULL, NULL, $1, $2, $3, $4, $5, $6, $7, $8, '', '', $9, 0, $10, $11, $12, NULL, \
         $13) RETURNING id",
    )
    .bind(MailKind::Campaign.as_str())
    .bind(&mail.recipient)
    .bind(sender)
    .bind(sender_name)
    .bind(&mail.composed.subject)
    .bind(&mail.composed.text)
    .bind(&mail.composed.html)
    .bind(message_id)
    .bind(status.as_str())
    .bind(due.as_microsecond())
    .bind(error)
    .bind(at.as_microsecond())
    .bind(&mail.unsubscribe)
    .fetch_one(&mut *conn)
    .await?)
}

/// The domain of the sender's address, for `Message-ID`s.
fn mail_domain(settings: Option<&MailSettings>) -> String {
    settings.map_or_else(
        || "touchpoints.invalid".to_owned(),
        |s| s.domain().to_owned(),
    )
}

/// A campaign a customer got, and its mail (gone when erased from the outbox).
#[derive(sqlx::FromRow)]
struct SentRow {
    campaign: String,
    at: i64,
    recipient: Option<String>,
    subject: Option<String>,
    status: Option<String>,
}

/// A customer's campaign mails, for their export.
pub(super) async fn export_campaign_mails(
    conn: &mut Conn,
    profiles: &[i64],
) -> Result<serde_json::Value> {
    let mut out = Vec::new();
    for id in profiles {
        let rows: Vec<SentRow> = sqlx::query_as(
            "SELECT c.name AS campaign, cr.at, m.recipient, m.subject, m.status \
             FROM campaign_recipients cr JOIN campaigns c ON c.id = cr.campaign_id \
             LEFT JOIN outbox_mails m ON m.id = cr.mail_id \
             WHERE cr.customer_id = $1 ORDER BY cr.at, c.id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        for row in rows {
            out.push(serde_json::json!({
                "campaign": row.campaign,
                "at": instant("campaign_recipients", row.at)?.to_string(),
                "recipient": row.recipient, "subject": row.subject, "status": row.status,
            }));
        }
    }
    Ok(match out.is_empty() {
        true => serde_json::Value::Null,
        false => serde_json::Value::Array(out),
    })
}

/// Deletes a customer's campaign mails and the record that they got each campaign.
pub(super) async fn erase_campaign_mails(conn: &mut Conn, profiles: &[i64]) -> Result<u64> {
    let mut changed = 0;
    for id in profiles {
        changed += sqlx::query(
            "DELETE FROM outbox_mails WHERE id IN \
             (SELECT mail_id FROM campaign_recipients WHERE customer_id = $1)",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        changed += sqlx::query("DELETE FROM campaign_recipients WHERE customer_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(changed)
}

#[async_trait]
impl Campaigns for SqlStore {
    async fn segments(&self) -> Result<Vec<StoredSegment>> {
        let rows: Vec<SegmentRow> = sqlx::query_as(
            "SELECT id, name, combine, rules, updated_at FROM segments ORDER BY name_key, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(SegmentRow::into_segment).collect()
    }

    async fn segment(&self, id: i64) -> Result<StoredSegment> {
        let row: Option<SegmentRow> = sqlx::query_as(
            "SELECT id, name, combine, rules, updated_at FROM segments WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.ok_or(SEGMENT_NOT_FOUND)?.into_segment()
    }

    async fn put_segment(
        &self,
        id: Option<i64>,
        fields: &SegmentFields,
        actor: &str,
    ) -> Result<StoredSegment> {
        let at = now();
        let rules =
            serde_json::to_string(&fields.rules).map_err(|e| corrupt("segments", e.to_string()))?;
        let mut tx = self.begin().await?;
        let key = fields.name.to_lowercase();
        let other: Option<i64> = sqlx::query_scalar("SELECT id FROM segments WHERE name_key = $1")
            .bind(&key)
            .fetch_optional(&mut *tx)
            .await?;
        if other.is_some_and(|other| Some(other) != id) {
            return Err(StoreError::duplicate("name", &fields.name));
        }
        let duplicate = |e: sqlx::Error| {
            StoreError::from_violation(
                e,
                [OnViolation::unique(StoreError::duplicate(
                    "name",
                    &fields.name,
                ))],
            )
        };
        let (id, action) = match id {
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO segments (name, name_key, combine, rules, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                )
                .bind(&fields.name)
                .bind(&key)
                .bind(fields.combine.as_str())
                .bind(&rules)
                .bind(at.as_microsecond())
                .fetch_one(&mut *tx)
                .await
                .map_err(duplicate)?;
                (id, "segment.create")
            }
            Some(id) => {
                let changed = sqlx::query(
                    "UPDATE segments SET name = $1, name_key = $2, combine = $3, rules = $4, \
                     updated_at = $5 WHERE id = $6",
                )
                .bind(&fields.name)
                .bind(&key)
                .bind(fields.combine.as_str())
                .bind(&rules)
                .bind(at.as_microsecond())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(duplicate)?;
                if changed.rows_affected() == 0 {
                    return Err(SEGMENT_NOT_FOUND);
                }
                (id, "segment.update")
            }
        };
        audit(
            &mut tx,
            at,
            actor,
            action,
            "segment",
            &id.to_string(),
            &fields.name,
        )
        .await?;
        tx.commit().await?;
        Ok(StoredSegment {
            id,
            fields: fields.clone(),
            updated_at: at,
        })
    }

    async fn delete_segment(&self, id: i64, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let used: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaigns WHERE segment_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if used > 0 {
            return Err(StoreError::in_use("segment_id", used.unsigned_abs()));
        }
        let name: Option<String> =
            sqlx::query_scalar("DELETE FROM segments WHERE id = $1 RETURNING name")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let name = name.ok_or(SEGMENT_NOT_FOUND)?;
        audit(
            &mut tx,
            now(),
            actor,
            "segment.delete",
            "segment",
            &id.to_string(),
            &name,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn customer_facts(&self) -> Result<Vec<CustomerFacts>> {
        let mut conn = self.pool.acquire().await?;
        let rows: Vec<CustomerRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE merged_into IS NULL ORDER BY id"
        )))
        .fetch_all(&mut *conn)
        .await?;
        let mut facts = Vec::with_capacity(rows.len());
        let mut index = HashMap::with_capacity(rows.len());
        for row in &rows {
            index.insert(row.id, facts.len());
            facts.push(CustomerFacts {
                id: row.id,
                fields: row.fields()?,
                last_contact: None,
                channels: Default::default(),
                nps: None,
                open_requests: 0,
                has_email: false,
            });
        }
        let mut touch = |id: i64, at: i64, channel: String| -> Result<()> {
            if let Some(f) = index.get(&id).map(|i| &mut facts[*i]) {
                let at = instant("requests", at)?;
                f.last_contact = Some(f.last_contact.map_or(at, |last| last.max(at)));
                f.channels.insert(channel);
            }
            Ok(())
        };
        // Requests by customer and channel, and answers by the customer references their
        // identifiers are.
        let requests: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT customer_id, channel, MAX(received_at) FROM requests \
             WHERE customer_id IS NOT NULL GROUP BY customer_id, channel",
        )
        .fetch_all(&mut *conn)
        .await?;
        for (id, channel, at) in requests {
            touch(id, at, channel)?;
        }
        let answers: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT ci.customer_id, r.channel, MAX(r.answered_at) FROM responses r \
             JOIN customer_identifiers ci ON ci.value = r.customer_ref \
             GROUP BY ci.customer_id, r.channel",
        )
        .fetch_all(&mut *conn)
        .await?;
        for (id, channel, at) in answers {
            touch(id, at, channel)?;
        }
        let open: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT customer_id, COUNT(*) FROM requests \
             WHERE customer_id IS NOT NULL AND status <> 'resolved' GROUP BY customer_id",
        )
        .fetch_all(&mut *conn)
        .await?;
        for (id, n) in open {
            if let Some(i) = index.get(&id) {
                facts[*i].open_requests = n.unsigned_abs();
            }
        }
        let with_email: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT customer_id FROM customer_identifiers WHERE kind = 'email'",
        )
        .fetch_all(&mut *conn)
        .await?;
        for id in with_email {
            if let Some(i) = index.get(&id) {
                facts[*i].has_email = true;
            }
        }
        // The latest NPS answer decides; of two at one instant, the later stored.
        let nps: Vec<(i64, i64)> = sqlx::query_as(
            // The score is a 4-byte integer on PostgreSQL.
            "SELECT ci.customer_id, CAST(r.score AS BIGINT) FROM responses r \
             JOIN customer_identifiers ci ON ci.value = r.customer_ref \
             WHERE r.metric = 'nps' ORDER BY r.answered_at, r.id",
        )
        .fetch_all(&mut *conn)
        .await?;
        for (id, score) in nps {
            if let Some(i) = index.get(&id) {
                let score = u8::try_from(score).map_err(|e| corrupt("responses", e.to_string()))?;
                facts[*i].nps = Some(NpsCategory::of(score));
            }
        }
        Ok(facts)
    }

    async fn campaigns(&self) -> Result<Vec<StoredCampaign>> {
        let mut conn = self.pool.acquire().await?;
        let rows: Vec<CampaignRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns ORDER BY id DESC"
        )))
        .fetch_all(&mut *conn)
        .await?;
        let mut counts = mail_counts(&mut conn, None).await?;
        rows.into_iter()
            .map(|row| {
                let mails = counts.remove(&row.id).unwrap_or_default();
                row.into_campaign(mails)
            })
            .collect()
    }

    async fn campaign(&self, id: i64) -> Result<StoredCampaign> {
        let mut conn = self.pool.acquire().await?;
        load_campaign(&mut conn, id).await
    }

    async fn create_campaign(
        &self,
        fields: &CampaignFields,
        actor: &str,
    ) -> Result<StoredCampaign> {
        let at = now();
        let mut tx = self.begin().await?;
        let mut problems = Problems::default();
        for (field, table, id) in [
            ("segment_id", "segments", fields.segment_id),
            ("template_id", "message_templates", fields.template_id),
        ] {
            let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT id FROM {table} WHERE id = $1"
            )))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if found.is_none() {
                problems.push(
                    field,
                    Problem::Invalid {
                        reason: format!("no {} has the id {id}", &field[..field.len() - 3]),
                    },
                );
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO campaigns (name, segment_id, template_id, per_minute, created_by, \
             created_at, sent_at, sent_by) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL) RETURNING id",
        )
        .bind(&fields.name)
        .bind(fields.segment_id)
        .bind(fields.template_id)
        .bind(i64::from(fields.per_minute))
        .bind(actor)
        .bind(at.as_microsecond())
        .fetch_one(&mut *tx)
        .await?;
        audit(
            &mut tx,
            at,
            actor,
            "campaign.create",
            "campaign",
            &id.to_string(),
            &fields.name,
        )
        .await?;
        let campaign = load_campaign(&mut tx, id).await?;
        tx.commit().await?;
        Ok(campaign)
    }

    async fn send_campaign(
        &self,
        id: i64,
        mails: &[CampaignMailOut],
        actor: &str,
        at: Timestamp,
    ) -> Result<CampaignSend> {
        let mut tx = self.begin().await?;
        // Every send of a campaign takes its row first, so that two at once take turns and the
        // second sees the first's recipients.
        let row: Option<(String, i64, i64)> = sqlx::query_as(
            "UPDATE campaigns SET sent_at = COALESCE(sent_at, $1), \
             sent_by = COALESCE(sent_by, $2) WHERE id = $3 \
             RETURNING name, per_minute, segment_id",
        )
        .bind(at.as_microsecond())
        .bind(actor)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let (name, per_minute, segment_id) = row.ok_or(CAMPAIGN_NOT_FOUND)?;
        let per_minute = u32::try_from(per_minute).unwrap_or(campaign::PER_MINUTE_DEFAULT);
        let settings = load_settings(&mut tx).await?;
        let domain = mail_domain(settings.as_ref());
        // A profile that absorbed one this campaign reached is the same person: the profiles
        // up the merge chain from every recipient.
        let reached_by_merge: HashSet<i64> = sqlx::query_scalar(
            "WITH RECURSIVE up(id) AS ( \
               SELECT c.merged_into FROM campaign_recipients cr \
               JOIN customers c ON c.id = cr.customer_id \
               WHERE cr.campaign_id = $1 AND c.merged_into IS NOT NULL \
               UNION \
               SELECT c.merged_into FROM customers c JOIN up ON c.id = up.id \
               WHERE c.merged_into IS NOT NULL) \
             SELECT id FROM up",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
        let mut send = CampaignSend::default();
        for mail in mails {
            if reached_by_merge.contains(&mail.customer_id) {
                send.already += 1;
                continue;
            }
            let consent: Option<String> = sqlx::query_scalar(
                "SELECT consent FROM customers WHERE id = $1 AND merged_into IS NULL",
            )
            .bind(mail.customer_id)
            .fetch_optional(&mut *tx)
            .await?;
            let consents = consent
                .map(|c| serde_json::from_str::<Consent>(&c))
                .transpose()
                .map_err(|e| corrupt("customers", e.to_string()))?
                .is_some_and(|c| c.email_marketing);
            if !consents {
                send.without_consent += 1;
                continue;
            }
            let added = sqlx::query(
                "INSERT INTO campaign_recipients (campaign_id, customer_id, mail_id, at) \
                 VALUES ($1, $2, NULL, $3) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(mail.customer_id)
            .bind(at.as_microsecond())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added == 0 {
                send.already += 1;
                continue;
            }
            let due = campaign::due_at(at, send.queued, per_minute);
            let message_id = mail::campaign_message_id(id, mail.customer_id, &domain);
            let mail_id =
                insert_mail(&mut tx, settings.as_ref(), mail, &message_id, at, due).await?;
            sqlx::query(
                "UPDATE campaign_recipients SET mail_id = $1 \
                 WHERE campaign_id = $2 AND customer_id = $3",
            )
            .bind(mail_id)
            .bind(id)
            .bind(mail.customer_id)
            .execute(&mut *tx)
            .await?;
            send.queued += 1;
        }
        audit_said(
            &mut tx,
            at,
            actor,
            "campaign.send",
            "campaign",
            &id.to_string(),
            &format!("{name}: {} mails", send.queued),
            &Said::new("audit-campaign-send")
                .text("name", &name)
                .number("count", send.queued as f64),
        )
        .await?;
        let sent = Event::campaign_sent(id, segment_id, send.queued);
        super::sql_webhooks::emit_now(&mut tx, &[sent], at).await?;
        tx.commit().await?;
        Ok(send)
    }

    async fn test_campaign(
        &self,
        id: i64,
        mail: &CampaignMailOut,
        actor: &str,
        at: Timestamp,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM campaigns WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let name = name.ok_or(CAMPAIGN_NOT_FOUND)?;
        let settings = load_settings(&mut tx).await?;
        let domain = mail_domain(settings.as_ref());
        let message_id = format!(
            "<touchpoints.campaign-test.{id}.{}@{domain}>",
            at.as_microsecond()
        );
        insert_mail(&mut tx, settings.as_ref(), mail, &message_id, at, at).await?;
        audit_said(
            &mut tx,
            at,
            actor,
            "campaign.test",
            "campaign",
            &id.to_string(),
            // Not the address: a test may go to anyone, and the log outlives erasures.
            &format!("{name}: test mail"),
            &Said::new("audit-campaign-test").text("name", &name),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn campaign_recipients(&self, id: i64) -> Result<Vec<CampaignRecipient>> {
        let mut conn = self.pool.acquire().await?;
        load_campaign(&mut conn, id).await?;
        let rows: Vec<(i64, String, String, String, String, Option<i64>)> = sqlx::query_as(
            "SELECT cr.customer_id, c.name, m.recipient, m.status, m.last_error, m.sent_at \
             FROM campaign_recipients cr JOIN customers c ON c.id = cr.customer_id \
             JOIN outbox_mails m ON m.id = cr.mail_id \
             WHERE cr.campaign_id = $1 ORDER BY c.name, cr.customer_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter()
            .map(
                |(customer_id, customer_name, recipient, status, last_error, sent_at)| {
                    Ok(CampaignRecipient {
                        customer_id,
                        customer_name,
                        recipient,
                        status: MailStatus::parse(&status)
                            .ok_or_else(|| corrupt("outbox_mails", format!("status {status:?}")))?,
                        last_error,
                        sent_at: sent_at.map(|at| instant("outbox_mails", at)).transpose()?,
                    })
                },
            )
            .collect()
    }

    async fn unsubscribe(&self, customer_id: i64, campaign_id: i64) -> Result<bool> {
        let at = now();
        let mut tx = self.begin().await?;
        let row: Option<(String, Option<i64>)> =
            sqlx::query_as("SELECT consent, merged_into FROM customers WHERE id = $1")
                .bind(customer_id)
                .fetch_optional(&mut *tx)
                .await?;
        let (consent, merged_into) = row.ok_or(StoreError::NotFound { entity: "customer" })?;
        // A link from before a merge ends the mails of the profile it went into.
        let customer_id = merged_into.unwrap_or(customer_id);
        let consent: String = match merged_into {
            None => consent,
            Some(survivor) => {
                sqlx::query_scalar("SELECT consent FROM customers WHERE id = $1")
                    .bind(survivor)
                    .fetch_one(&mut *tx)
                    .await?
            }
        };
        let mut consent: Consent =
            serde_json::from_str(&consent).map_err(|e| corrupt("customers", e.to_string()))?;
        if !consent.email_marketing {
            return Ok(false);
        }
        consent.email_marketing = false;
        sqlx::query("UPDATE customers SET consent = $1, updated_at = $2 WHERE id = $3")
            .bind(serde_json::to_string(&consent).map_err(|e| corrupt("customers", e.to_string()))?)
            .bind(at.as_microsecond())
            .bind(customer_id)
            .execute(&mut *tx)
            .await?;
        audit_said(
            &mut tx,
            at,
            "customer",
            "customer.unsubscribe",
            "customer",
            &customer_id.to_string(),
            &format!("withdrew consent to marketing mails through campaign {campaign_id}"),
            &Said::new("audit-customer-unsubscribe").number("campaign", campaign_id as f64),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
